//! `sctp-lab`: the SCTP lab as one installable command.
//!
//! Runs a command, or every binary cargo runs, inside a real Linux kernel with SCTP (Debian's
//! user-mode Linux 6.1) on machines whose own kernel has none. The lab is the scripts beside
//! this crate's `Cargo.toml`; this binary carries them and unpacks them into a cache
//! directory on first use ([`cache`]), then hands over to them with `exec`, so the exit
//! status, stdout and stderr, signals, environment and working directory are exactly the
//! scripts'.
//!
//! ```text
//! cargo install sctp-lab
//! sctp-lab checksctp                         # one command in the lab
//! # .cargo/config.toml of any crate:
//! # [target.'cfg(target_os = "linux")']
//! # runner = "sctp-lab --runner"
//! ```

mod cache;

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitCode};

/// The exit status when the lab itself failed (the scripts use the same).
const LAB_FAILED: u8 = 125;

const USAGE: &str = "\
usage: sctp-lab [--] COMMAND [ARGS...]   run COMMAND as root inside Linux 6.1 with SCTP
       sctp-lab --runner COMMAND [ARGS...] cargo's target runner: COMMAND natively when this
                                          kernel has SCTP, else in the lab (SCTP_LAB=auto,
                                          always or never)
       sctp-lab --selftest                prove the lab keeps its promises (a few seconds)
       sctp-lab --unpack                  print the directory holding the lab's scripts
       sctp-lab --help | --version

In a crate's .cargo/config.toml, to run its tests, examples and benches in the lab:
    [target.'cfg(target_os = \"linux\")']
    runner = \"sctp-lab --runner\"

Exit status: COMMAND's own, or 125 when the lab failed (the kernel log is then printed).
Needs the Debian packages user-mode-linux kmod iproute2 util-linux gcc perl.";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Mode {
    Help,
    Version,
    Unpack,
    Selftest,
    /// `--runner COMMAND...`: the `cargo-runner` script.
    Runner(Vec<OsString>),
    /// `[--] COMMAND...`: the `sctp-lab` script.
    Lab(Vec<OsString>),
}

/// Reads the arguments after the program name.
fn parse(mut args: Vec<OsString>) -> Result<Mode, String> {
    let Some(first) = args.first().and_then(|a| a.to_str()).map(str::to_owned) else {
        return match args.is_empty() {
            true => Err("no command given".into()),
            false => Ok(Mode::Lab(args)),
        };
    };
    let only = |mode: Mode| match args.len() {
        1 => Ok(mode),
        _ => Err(format!("{first} takes no arguments")),
    };
    match first.as_str() {
        "-h" | "--help" => only(Mode::Help),
        "-V" | "--version" => only(Mode::Version),
        "--unpack" => only(Mode::Unpack),
        "--selftest" => only(Mode::Selftest),
        "--runner" | "--" => {
            args.remove(0);
            match (args.is_empty(), first == "--runner") {
                (true, _) => Err(format!("{first} needs a command")),
                (false, true) => Ok(Mode::Runner(args)),
                (false, false) => Ok(Mode::Lab(args)),
            }
        }
        flag if flag.starts_with('-') => Err(format!(
            "unknown option {flag} (put `--` before a command whose name starts with `-`)"
        )),
        _ => Ok(Mode::Lab(args)),
    }
}

fn main() -> ExitCode {
    let mode = match parse(std::env::args_os().skip(1).collect()) {
        Ok(mode) => mode,
        Err(msg) => {
            eprintln!("sctp-lab: {msg}\n\n{USAGE}");
            return ExitCode::from(LAB_FAILED);
        }
    };
    match mode {
        Mode::Help => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Mode::Version => {
            println!("sctp-lab {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let dir = match cache::unpack(&cache::base_dir()).or_else(|first| {
        cache::unpack(&cache::fallback_dir()).map_err(|second| format!("{first}; {second}"))
    }) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("sctp-lab: cannot unpack the lab's scripts: {e}");
            return ExitCode::from(LAB_FAILED);
        }
    };
    match mode {
        Mode::Unpack => {
            println!("{}", dir.display());
            ExitCode::SUCCESS
        }
        Mode::Selftest => match std::env::current_exe() {
            // The selftest drives this very binary, so the promises are proven end to end.
            Ok(me) => exec(&dir.join("selftest"), vec![me.into()]),
            Err(e) => {
                eprintln!("sctp-lab: cannot find my own executable: {e}");
                ExitCode::from(LAB_FAILED)
            }
        },
        Mode::Runner(cmd) => exec(&dir.join("cargo-runner"), cmd),
        Mode::Lab(cmd) => {
            let mut args = vec![OsString::from("--")];
            args.extend(cmd);
            exec(&dir.join("sctp-lab"), args)
        }
        Mode::Help | Mode::Version => unreachable!("handled above"),
    }
}

/// Replaces this process with `script ARGS...`; returns only if that fails.
fn exec(script: &Path, args: Vec<OsString>) -> ExitCode {
    let err = Command::new(script).args(args).exec();
    eprintln!("sctp-lab: cannot run {}: {err}", script.display());
    ExitCode::from(LAB_FAILED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_command_runs_in_the_lab_with_its_arguments_untouched() {
        let cmd = args(&["sh", "-c", "exit 3", "--runner", "--"]);
        assert_eq!(parse(cmd.clone()), Ok(Mode::Lab(cmd.clone())));
        let mut dashed = args(&["--"]);
        dashed.extend(cmd.clone());
        assert_eq!(parse(dashed), Ok(Mode::Lab(cmd)));
        assert_eq!(
            parse(args(&["--", "--help"])),
            Ok(Mode::Lab(args(&["--help"])))
        );
    }

    #[test]
    fn runner_mode_takes_the_binary_and_its_arguments() {
        assert_eq!(
            parse(args(&[
                "--runner",
                "target/debug/deps/t-1",
                "--nocapture",
                "x"
            ])),
            Ok(Mode::Runner(args(&[
                "target/debug/deps/t-1",
                "--nocapture",
                "x"
            ])))
        );
    }

    #[test]
    fn options_and_usage_errors() {
        assert_eq!(parse(args(&["--help"])), Ok(Mode::Help));
        assert_eq!(parse(args(&["-V"])), Ok(Mode::Version));
        assert_eq!(parse(args(&["--selftest"])), Ok(Mode::Selftest));
        assert_eq!(parse(args(&["--unpack"])), Ok(Mode::Unpack));
        assert_eq!(parse(vec![]), Err("no command given".into()));
        assert_eq!(
            parse(args(&["--runner"])),
            Err("--runner needs a command".into())
        );
        assert_eq!(parse(args(&["--"])), Err("-- needs a command".into()));
        assert!(parse(args(&["--selftest", "x"]))
            .unwrap_err()
            .contains("takes no arguments"));
        assert!(parse(args(&["--frobnicate"]))
            .unwrap_err()
            .contains("unknown option --frobnicate"));
    }

    #[test]
    fn a_command_name_that_is_not_utf8_is_still_a_command() {
        use std::os::unix::ffi::OsStringExt;
        let odd = vec![OsString::from_vec(vec![0xff, b'x'])];
        assert_eq!(parse(odd.clone()), Ok(Mode::Lab(odd)));
    }
}
