//! `withsctp PROGRAM [ARGS...]`: runs an unmodified TCP program over SCTP, as lksctp-tools'
//! `withsctp` script does: with the withsctp shim in `LD_PRELOAD`, the program's TCP stream
//! sockets are created as SCTP sockets and its TCP options are mapped onto SCTP ones (the
//! shim's crate docs, `tools/withsctp/src/lib.rs`, list them).
//!
//! The shim (`libwithsctp.so`) is built by `tools/build.rs` and carried inside this binary,
//! so `cargo install --path tools` is the whole installation. At run time the binary writes
//! it, once per shim version, to a private directory (see [`shim_dirs`]) and points
//! `LD_PRELOAD` there; `WITHSCTP_SHIM=/path/libwithsctp.so` uses a shim of the caller's
//! choosing instead.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The shim, built by `build.rs`.
const SHIM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libwithsctp.so"));

/// Its content hash (also from `build.rs`), which names the file it is written to.
const SHIM_HASH: &str = env!("WITHSCTP_SHIM_HASH");

const USAGE: &str = "usage: withsctp PROGRAM [ARGS...]";

const HELP: &str = "\
withsctp: run a TCP program over SCTP

usage: withsctp PROGRAM [ARGS...]

Runs PROGRAM with the withsctp shim preloaded (LD_PRELOAD): its TCP stream sockets
(socket(AF_INET or AF_INET6, SOCK_STREAM, 0 or IPPROTO_TCP)) become one-to-one SCTP
sockets, and its TCP_NODELAY, TCP_MAXSEG, TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT
options are set as their SCTP counterparts. Exits 1 if the kernel has no SCTP,
127 if PROGRAM cannot be found, 126 if it cannot be run; otherwise PROGRAM's status.

options (before PROGRAM only):
  -h, --help     this text
  -V, --version  the version

environment:
  WITHSCTP_SHIM=PATH   preload this shim instead of the one built into withsctp
  WITHSCTP_DEBUG=1     the shim logs every rewrite on stderr
  The built-in shim is written to $XDG_RUNTIME_DIR/linux-sctp-tools, else
  $XDG_CACHE_HOME/linux-sctp-tools, else $HOME/.cache/linux-sctp-tools.
";

fn main() -> ExitCode {
    let (program, args) = match parse_args() {
        Ok(Some(command)) => command,
        Ok(None) => return ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("withsctp: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = linux_sctp_sys::ops::socket(libc::AF_INET, libc::SOCK_STREAM) {
        eprintln!(
            "withsctp: SCTP is not available in this kernel: socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP): {e}; load the sctp module (modprobe sctp)"
        );
        return ExitCode::from(1);
    }
    let shim = match shim_path() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("withsctp: {e}");
            return ExitCode::from(1);
        }
    };
    let err = Command::new(&program)
        .args(args)
        .env("LD_PRELOAD", preload(&shim, std::env::var_os("LD_PRELOAD")))
        .exec();
    eprintln!("withsctp: {}: {err}", Path::new(&program).display());
    ExitCode::from(if err.kind() == std::io::ErrorKind::NotFound {
        127
    } else {
        126
    })
}

/// The program and its arguments, or `None` after `--help` / `--version`.
fn parse_args() -> Result<Option<(OsString, Vec<OsString>)>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    match parser.next()? {
        Some(Short('h') | Long("help")) => {
            let _ = std::io::stdout().write_all(HELP.as_bytes());
            Ok(None)
        }
        Some(Short('V') | Long("version")) => {
            println!("withsctp (linux-sctp-tools) {}", env!("CARGO_PKG_VERSION"));
            Ok(None)
        }
        Some(Value(program)) => Ok(Some((program, parser.raw_args()?.collect()))),
        Some(other) => Err(other.unexpected()),
        None => Err("no PROGRAM to run".into()),
    }
}

/// `LD_PRELOAD` with the shim first, then whatever the caller preloads already.
fn preload(shim: &Path, existing: Option<OsString>) -> OsString {
    let mut value = shim.as_os_str().to_owned();
    if let Some(rest) = existing.filter(|v| !v.is_empty()) {
        value.push(":");
        value.push(rest);
    }
    value
}

/// Where the shim to preload is: `WITHSCTP_SHIM`, or the built-in shim written to the first
/// usable directory of [`shim_dirs`].
fn shim_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("WITHSCTP_SHIM") {
        let p = std::fs::canonicalize(&p)
            .map_err(|e| format!("WITHSCTP_SHIM={}: {e}", Path::new(&p).display()))?;
        return preloadable(&p).map(|()| p);
    }
    let mut tried = Vec::new();
    for dir in shim_dirs() {
        match install_shim(&dir) {
            Ok(p) => return Ok(p),
            Err(e) => tried.push(format!("{}: {e}", dir.display())),
        }
    }
    if tried.is_empty() {
        tried.push("XDG_RUNTIME_DIR, XDG_CACHE_HOME and HOME are all unset".into());
    }
    Err(format!(
        "nowhere to put the shim ({}); set WITHSCTP_SHIM to a libwithsctp.so",
        tried.join("; ")
    ))
}

/// The directories the built-in shim may be written to, in order: the per-user runtime
/// directory (a private tmpfs), then the per-user cache.
fn shim_dirs() -> Vec<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let mut dirs = Vec::new();
    if let Some(d) = var("XDG_RUNTIME_DIR") {
        dirs.push(d.join("linux-sctp-tools"));
    }
    if let Some(d) = var("XDG_CACHE_HOME") {
        dirs.push(d.join("linux-sctp-tools"));
    } else if let Some(d) = var("HOME") {
        dirs.push(d.join(".cache").join("linux-sctp-tools"));
    }
    dirs
}

/// Writes the built-in shim into `dir` (made private, 0700, if it does not exist) unless an
/// identical copy is there, and returns its path. The directory must belong to this user
/// and be writable by nobody else, and its file system must allow mapping code.
fn install_shim(dir: &Path) -> Result<PathBuf, String> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| e.to_string())?;
    let meta = std::fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
    // /proc/self belongs to the process's effective user.
    let me = std::fs::metadata("/proc/self").map_err(|e| format!("/proc/self: {e}"))?;
    if !meta.is_dir() || meta.uid() != me.uid() || meta.mode() & 0o022 != 0 {
        return Err("not a directory of this user's that only they can write".into());
    }
    let path = dir.join(format!("libwithsctp-{SHIM_HASH}.so"));
    preloadable(&path)?;
    if std::fs::read(&path).is_ok_and(|b| b == SHIM) {
        return Ok(path);
    }
    // Write a private temporary file, then rename: a concurrent withsctp never sees half a
    // shim, and two writers leave the same bytes.
    let tmp = dir.join(format!(".libwithsctp-{SHIM_HASH}.{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o755)
        .open(&tmp)
        .and_then(|mut f| f.write_all(SHIM))
        .and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.to_string());
    }
    Ok(path)
}

/// Checks that the dynamic linker can preload `path`: no separator in the name (`LD_PRELOAD`
/// splits at spaces and colons) and a file system not mounted `noexec` (where the linker
/// would skip the shim with a warning and the program would silently stay TCP).
fn preloadable(path: &Path) -> Result<(), String> {
    if path
        .as_os_str()
        .as_bytes()
        .iter()
        .any(|b| b" :".contains(b))
    {
        return Err(format!(
            "{}: LD_PRELOAD cannot name a path with a space or a colon",
            path.display()
        ));
    }
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    if mount_options(&mountinfo, path).is_some_and(|o| o.split(',').any(|o| o == "noexec")) {
        return Err(format!("{}: mounted noexec", path.display()));
    }
    Ok(())
}

/// The per-mount options of the mount holding `path` (the longest mount point that is a
/// prefix of it) in `/proc/self/mountinfo` text.
fn mount_options<'a>(mountinfo: &'a str, path: &Path) -> Option<&'a str> {
    mountinfo
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let point = unescape(fields.nth(4)?);
            let options = fields.next()?;
            path.starts_with(&point).then_some((point, options))
        })
        .max_by_key(|(point, _)| point.as_os_str().len())
        .map(|(_, options)| options)
}

/// A mountinfo path field: `\040` style octal escapes decoded.
fn unescape(field: &str) -> PathBuf {
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b.get(i + 1..i + 4).and_then(|d| {
            std::str::from_utf8(d)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 8).ok())
        });
        match (b[i], octal) {
            (b'\\', Some(c)) => {
                out.push(c);
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    PathBuf::from(OsStr::from_bytes(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
23 22 0:21 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw
24 23 0:22 / /run/user/1000 rw,nosuid,nodev,relatime shared:6 - tmpfs tmpfs rw
25 22 0:23 / /dev/shm rw,nosuid,nodev,noexec shared:7 - tmpfs tmpfs rw
26 22 0:24 / /mnt/my\\040disk rw,noexec shared:8 - ext4 /dev/sdb1 rw
";

    #[test]
    fn the_longest_mount_point_decides() {
        let opts = |p: &str| mount_options(MOUNTINFO, Path::new(p));
        assert_eq!(
            opts("/run/user/1000/x/lib.so"),
            Some("rw,nosuid,nodev,relatime")
        );
        assert_eq!(opts("/run/other"), Some("rw,nosuid,nodev"));
        assert_eq!(opts("/dev/shm/x"), Some("rw,nosuid,nodev,noexec"));
        assert_eq!(opts("/home/u/.cache/x"), Some("rw,relatime"));
        // A path component, not a string prefix.
        assert_eq!(opts("/run/user/10000/x"), Some("rw,nosuid,nodev"));
        assert_eq!(opts("/mnt/my disk/x"), Some("rw,noexec"));
        assert_eq!(mount_options("", Path::new("/x")), None);
        assert_eq!(mount_options("garbage\n1 2", Path::new("/x")), None);
    }

    #[test]
    fn escapes_decode_and_odd_ones_stay() {
        assert_eq!(unescape("/a\\040b"), PathBuf::from("/a b"));
        assert_eq!(unescape("/a\\134b"), PathBuf::from("/a\\b"));
        assert_eq!(unescape("/a\\04"), PathBuf::from("/a\\04"));
        assert_eq!(unescape("\\"), PathBuf::from("\\"));
    }

    #[test]
    fn the_shim_goes_first_in_ld_preload() {
        let shim = Path::new("/run/user/1/linux-sctp-tools/libwithsctp-0.so");
        assert_eq!(preload(shim, None), shim.as_os_str());
        assert_eq!(preload(shim, Some("".into())), shim.as_os_str());
        assert_eq!(
            preload(shim, Some("/lib/a.so".into())),
            OsString::from(format!("{}:/lib/a.so", shim.display()))
        );
    }

    #[test]
    fn paths_ld_preload_cannot_name_are_refused() {
        assert!(preloadable(Path::new("/tmp/a b/libwithsctp.so")).is_err());
        assert!(preloadable(Path::new("/tmp/a:b/libwithsctp.so")).is_err());
    }

    #[test]
    fn the_built_in_shim_is_an_elf_shared_object() {
        assert_eq!(&SHIM[..4], b"\x7fELF");
        assert_eq!(SHIM_HASH.len(), 16);
    }
}
