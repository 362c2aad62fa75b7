//! `checksctp`: whether this kernel supports SCTP (exit 0) or not (exit 1), like lksctp-tools'
//! checksctp; with `-v`, also which module or sysctl is missing and which SCTP extensions the
//! kernel enables (`net.sctp.*`).
//!
//! The check is the C tool's: `socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP)`. Its lines are the
//! C tool's too: `SCTP supported` on stderr, or `checksctp: <strerror>` on stderr and exit 1.
//!
//! ```
//! // Doc-tests run natively (the lab runner is not involved), so this is the host kernel's
//! // answer: exit status 0 exactly when an SCTP socket opens here, 1 with the reason when not.
//! let (mut out, mut err) = (Vec::new(), Vec::new());
//! let code = linux_sctp_tools::checksctp::run(&["checksctp".into()], &mut out, &mut err);
//! let err = String::from_utf8(err).unwrap();
//! match linux_sctp_sys::ops::socket(libc::AF_INET, libc::SOCK_STREAM) {
//!     Ok(_) => assert_eq!((code, err.as_str()), (0, "SCTP supported\n")),
//!     Err(e) => {
//!         assert_eq!(code, 1);
//!         assert_eq!(err, format!("checksctp: {}\n", linux_sctp_tools::cli::strerror(&e)));
//!     }
//! }
//! ```

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::Path;

use crate::cli::{strerror, Exit, Key, Spec};

const SPEC: Spec = Spec {
    shorts: "v",
    longs: &[],
};

const USAGE: &str = "usage: checksctp [-v]
Says whether this kernel supports SCTP: \"SCTP supported\" and exit status 0, or the
reason on stderr and exit status 1.
  -v   also say which kernel module or sysctl is missing, and which SCTP
       extensions the kernel enables (net.sctp.auth_enable, addip_enable,
       prsctp_enable, reconf_enable, intl_enable, ecn_enable, udp_port)
";

/// The SCTP extensions `-v` reports: sysctl name under `/proc/sys/net/sctp`, and what it is.
pub const EXTENSIONS: [(&str, &str); 7] = [
    ("auth_enable", "AUTH chunks (RFC 4895)"),
    (
        "addip_enable",
        "dynamic address reconfiguration, ASCONF (RFC 5061)",
    ),
    ("prsctp_enable", "partial reliability, PR-SCTP (RFC 3758)"),
    (
        "reconf_enable",
        "stream reconfiguration, RE-CONFIG (RFC 6525)",
    ),
    (
        "intl_enable",
        "user message interleaving, I-DATA (RFC 8260)",
    ),
    (
        "ecn_enable",
        "explicit congestion notification (RFC 9260 appendix A)",
    ),
    ("udp_port", "UDP encapsulation port, 0 = off (RFC 6951)"),
];

/// Runs checksctp with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    run(&args, &mut std::io::stdout(), &mut std::io::stderr())
}

/// Runs checksctp with `args` (`args[0]` is the program name), printing to `out` / `err`;
/// returns the exit status.
pub fn run(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match check(args, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(
                err,
                "checksctp: {} (see checksctp --help)",
                e.message.unwrap_or_default()
            );
            e.code
        }
    }
}

fn check(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Exit> {
    let parsed = SPEC.parse(args.iter().skip(1).cloned())?;
    if parsed.help {
        let _ = out.write_all(USAGE.as_bytes());
        return Ok(0);
    }
    if let Some(op) = parsed.operands.first() {
        return Err(Exit::usage(format!("unexpected argument '{op}'")));
    }
    let verbose = parsed.opts.iter().any(|o| o.key == Key::Short('v'));
    let opened = linux_sctp_sys::ops::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC);
    let code = match &opened {
        Ok(_) => {
            let _ = writeln!(err, "SCTP supported");
            0
        }
        Err(e) => {
            let _ = writeln!(err, "checksctp: {}", strerror(e));
            1
        }
    };
    drop(opened);
    if verbose {
        report(code == 0, Path::new("/"), out, err);
    }
    Ok(code)
}

/// The `-v` report, reading the kernel's files under `root` (`/` normally).
pub fn report(supported: bool, root: &Path, out: &mut dyn Write, err: &mut dyn Write) {
    let release = fs::read_to_string(root.join("proc/sys/kernel/osrelease"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let module = root.join("sys/module/sctp");
    let sysctls = root.join("proc/sys/net/sctp");
    let _ = writeln!(out, "kernel: Linux {release}");
    if module.exists() {
        let how = if module.join("initstate").exists() {
            "loaded as a module"
        } else {
            "built into the kernel"
        };
        let _ = writeln!(out, "module: sctp {how}");
    } else {
        let _ = match find_module(&root.join("lib/modules").join(&release)) {
            Some(ko) => writeln!(
                err,
                "checksctp: module sctp is not loaded ({} exists: try `modprobe sctp`)",
                ko.display()
            ),
            None => writeln!(
                err,
                "checksctp: module sctp is not loaded and no sctp.ko is installed under \
                 /lib/modules/{release}: this kernel was built without SCTP (CONFIG_IP_SCTP)"
            ),
        };
    }
    if !sysctls.is_dir() {
        let _ =
            writeln!(
            err,
            "checksctp: sysctl net.sctp is missing (/proc/sys/net/sctp): SCTP is not active in \
             this kernel{}",
            if supported { " or this network namespace" } else { "" }
        );
        return;
    }
    for (name, what) in EXTENSIONS {
        let _ = match fs::read_to_string(sysctls.join(name)) {
            Ok(v) => {
                let v = v.trim();
                let state = match (name, v) {
                    ("udp_port", "0") => "off".to_owned(),
                    ("udp_port", port) => format!("on, port {port}"),
                    (_, "0") => "off".to_owned(),
                    _ => "on".to_owned(),
                };
                writeln!(out, "net.sctp.{name} = {v} ({what}: {state})")
            }
            Err(_) => writeln!(
                out,
                "net.sctp.{name}: missing (this kernel predates {what})"
            ),
        };
    }
}

/// An installed `sctp.ko` (any compression) under a kernel's module directory.
fn find_module(dir: &Path) -> Option<std::path::PathBuf> {
    let net = dir.join("kernel/net/sctp");
    let entries = fs::read_dir(net).ok()?;
    entries.flatten().map(|e| e.path()).find(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("sctp.ko"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_root(tag: &str) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("checksctp-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("proc/sys/kernel")).unwrap();
        fs::write(root.join("proc/sys/kernel/osrelease"), "6.1.0\n").unwrap();
        root
    }

    #[test]
    fn report_names_the_missing_module_and_sysctl() {
        let root = fake_root("none");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        report(false, &root, &mut out, &mut err);
        let err = String::from_utf8(err).unwrap();
        assert!(err.contains("built without SCTP (CONFIG_IP_SCTP)"), "{err}");
        assert!(err.contains("sysctl net.sctp is missing"), "{err}");
        fs::create_dir_all(root.join("lib/modules/6.1.0/kernel/net/sctp")).unwrap();
        fs::write(
            root.join("lib/modules/6.1.0/kernel/net/sctp/sctp.ko.xz"),
            "",
        )
        .unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        report(false, &root, &mut out, &mut err);
        let err = String::from_utf8(err).unwrap();
        assert!(err.contains("try `modprobe sctp`"), "{err}");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn report_lists_every_extension() {
        let root = fake_root("all");
        fs::create_dir_all(root.join("sys/module/sctp")).unwrap();
        fs::write(root.join("sys/module/sctp/initstate"), "live\n").unwrap();
        let dir = root.join("proc/sys/net/sctp");
        fs::create_dir_all(&dir).unwrap();
        for (name, _) in EXTENSIONS.iter().skip(1) {
            fs::write(dir.join(name), "1\n").unwrap();
        }
        fs::write(dir.join("udp_port"), "9899\n").unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        report(true, &root, &mut out, &mut err);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("module: sctp loaded as a module"), "{out}");
        assert!(out.contains("net.sctp.auth_enable: missing"), "{out}");
        assert!(
            out.contains("net.sctp.prsctp_enable = 1 (partial reliability"),
            "{out}"
        );
        assert!(out.contains("net.sctp.udp_port = 9899 (UDP encapsulation port, 0 = off (RFC 6951): on, port 9899)"), "{out}");
        assert!(err.is_empty());
        let _ = fs::remove_dir_all(&root);
    }
}
