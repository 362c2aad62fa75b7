//! The command lines of `sctp_perf` and `withsctp`: `--help` and `--version`, bad input
//! answered with one line on stderr and a non-zero exit status (never a panic), and what
//! `withsctp` hands the program it runs (arguments, exit status, `LD_PRELOAD`).
//!
//! These run the binaries cargo built for this package (`CARGO_BIN_EXE_*`); the tests of
//! the tools against other programs, which need namespaces and peers, are in the workspace's
//! `tests/tests/tools_*.rs`. `withsctp` probes the kernel for SCTP before it runs anything,
//! so these tests need an SCTP kernel too: the lab runner gives them one.

use std::path::PathBuf;
use std::process::{Command, Output};

const PERF: &str = env!("CARGO_BIN_EXE_sctp_perf");
const WITHSCTP: &str = env!("CARGO_BIN_EXE_withsctp");

fn run(bin: &str, args: &[&str]) -> Output {
    Command::new(bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{bin}: {e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A private directory for withsctp's shim.
fn runtime_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("withsctp-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("runtime dir");
    d
}

/// Fails unless `out` is a failure with `status` and exactly one stderr line that starts
/// with `prefix` and contains `says`.
fn one_line_error(out: &Output, status: i32, prefix: &str, says: &str, what: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(status), "{what}: {err}");
    assert_eq!(err.lines().count(), 1, "{what}: not one line: {err:?}");
    assert!(err.starts_with(prefix), "{what}: {err:?}");
    assert!(err.contains(says), "{what}: {err:?} does not say {says:?}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(
        out.stdout.is_empty(),
        "{what}: stdout {:?}",
        text(&out.stdout)
    );
}

#[test]
fn sctp_perf_has_help_and_version() {
    let out = run(PERF, &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for option in [
        "-s, --server",
        "-c, --client",
        "--streams",
        "--pr POLICY",
        "-b, --batch",
        "--one-to-many",
        "-J, --json",
    ] {
        assert!(help.contains(option), "--help lacks {option}");
    }
    let out = run(PERF, &["-V"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("sctp_perf (linux-sctp-tools) "));
}

#[test]
fn sctp_perf_bad_command_lines_exit_2_with_one_line() {
    for (args, says) in [
        (&[][..], "say -s (server), -c ADDR (client) or -L"),
        (
            &["-c", "127.0.0.1", "--frobnicate"][..],
            "invalid option '--frobnicate'",
        ),
        (&["-c"][..], "missing argument for option '-c'"),
        (
            &["-c", "127.0.0.1", "--port"][..],
            "missing argument for option '--port'",
        ),
        (
            &["-c", "not-an-address"][..],
            "'not-an-address' is not an IP address",
        ),
        (
            &["-c", "127.0.0.1", "-p", "99999"][..],
            "-p: '99999' out of range (0 to 65535)",
        ),
        (
            &["-c", "127.0.0.1", "-l", "64,0"][..],
            "-l: '0' out of range",
        ),
        (
            &["-c", "127.0.0.1", "--pr", "sometimes"][..],
            "--pr: 'sometimes': say ttl:MILLISECONDS",
        ),
        (
            &["-c", "127.0.0.1", "--streams", "0"][..],
            "--streams: '0' out of range (1 to 65535)",
        ),
        (&["-s", "--sizes", "64"][..], "--sizes is a client option"),
        (&["-s", "-c", "::1"][..], "-s, -c and -L exclude each other"),
    ] {
        let out = run(PERF, args);
        one_line_error(&out, 2, "sctp_perf: ", says, &format!("{args:?}"));
        assert!(text(&out.stderr)
            .trim_end()
            .ends_with("(see sctp_perf --help)"));
    }
}

#[test]
fn withsctp_has_help_and_version() {
    let out = run(WITHSCTP, &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    assert!(help.contains("usage: withsctp PROGRAM [ARGS...]"), "{help}");
    assert!(help.contains("WITHSCTP_SHIM"), "{help}");
    let out = run(WITHSCTP, &["--version"]);
    assert!(text(&out.stdout).starts_with("withsctp (linux-sctp-tools) "));
}

#[test]
fn withsctp_bad_input_fails_with_a_clear_line() {
    // Usage errors: the line, then the usage line.
    for (args, says) in [
        (&[][..], "no PROGRAM to run"),
        (&["--bogus"][..], "invalid option '--bogus'"),
    ] {
        let out = run(WITHSCTP, args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(
            err.lines().collect::<Vec<_>>(),
            [
                format!("withsctp: {says}").as_str(),
                "usage: withsctp PROGRAM [ARGS...]"
            ]
        );
    }
    let dir = runtime_dir("bad");
    let with_dir = |args: &[&str]| {
        Command::new(WITHSCTP)
            .args(args)
            .env("XDG_RUNTIME_DIR", &dir)
            .output()
            .expect("withsctp")
    };
    let out = with_dir(&["/no/such/program"]);
    one_line_error(
        &out,
        127,
        "withsctp: /no/such/program: ",
        "No such file or directory",
        "missing program",
    );
    let plain = dir.join("not-executable");
    std::fs::write(&plain, "echo ran\n").expect("write");
    let plain = plain.to_str().expect("UTF-8");
    let out = with_dir(&[plain]);
    one_line_error(
        &out,
        126,
        &format!("withsctp: {plain}: "),
        "Permission denied",
        "not executable",
    );
    let out = Command::new(WITHSCTP)
        .arg("true")
        .env("WITHSCTP_SHIM", "/no/such/libwithsctp.so")
        .output()
        .expect("withsctp");
    one_line_error(
        &out,
        1,
        "withsctp: WITHSCTP_SHIM=/no/such/libwithsctp.so: ",
        "No such file",
        "bad WITHSCTP_SHIM",
    );
    let out = Command::new(WITHSCTP)
        .arg("true")
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("HOME")
        .output()
        .expect("withsctp");
    one_line_error(
        &out,
        1,
        "withsctp: nowhere to put the shim",
        "WITHSCTP_SHIM",
        "no directory",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn withsctp_runs_the_program_with_its_arguments_status_and_the_shim_preloaded() {
    let dir = runtime_dir("run");
    let run_in = |args: &[&str], preload: Option<&str>| {
        let mut c = Command::new(WITHSCTP);
        c.args(args).env("XDG_RUNTIME_DIR", &dir);
        match preload {
            Some(p) => c.env("LD_PRELOAD", p),
            None => c.env_remove("LD_PRELOAD"),
        };
        c.output().expect("withsctp")
    };
    // Arguments (options included) reach the program untouched; its status is ours.
    let out = run_in(
        &[
            "sh",
            "-c",
            "printf '%s|' \"$@\"; exit 3",
            "sh",
            "-h",
            "--x",
            "a b",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout), "-h|--x|a b|");
    let out = run_in(&["--", "printenv", "LD_PRELOAD"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shim = text(&out.stdout).trim().to_string();
    let prefix = dir.join("linux-sctp-tools").join("libwithsctp-");
    assert!(
        shim.starts_with(prefix.to_str().unwrap()) && shim.ends_with(".so"),
        "{shim}"
    );
    let bytes = std::fs::read(&shim).expect("the shim file");
    assert_eq!(&bytes[..4], b"\x7fELF");
    // The directory is private; a second run reuses the same file; other preloads stay,
    // after the shim.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.join("linux-sctp-tools"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
    let out = run_in(&["printenv", "LD_PRELOAD"], Some("/lib/other.so"));
    assert_eq!(text(&out.stdout).trim(), format!("{shim}:/lib/other.so"));
    let _ = std::fs::remove_dir_all(&dir);
}
