//! The lab's files carried inside the binary, and their unpacked copy in the cache directory.
//!
//! The lab is four files beside `Cargo.toml` (the scripts `sctp-lab`, `cargo-runner`,
//! `selftest` and the C source `xstate-shim.c`); the binary embeds them at build time and, on
//! first use, writes them into `<cache>/lab-<version>-<digest>/`, where `<cache>` is the
//! directory the `sctp-lab` script also keeps its compiled shim in. The directory name
//! carries a digest of the contents, so two versions never share one, and each file is
//! checked against the embedded copy before every use (about 15 KB), so a damaged copy is
//! replaced rather than run. Unpacking writes a private temporary directory and renames it
//! into place: several runs starting at once never see a half-written lab.

use std::fs;
use std::io;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// One file of the lab, as embedded.
pub struct LabFile {
    /// The file name inside the unpacked directory.
    pub name: &'static str,
    /// The contents.
    pub text: &'static str,
    /// Whether it is a script to be executed (mode 0755, else 0644).
    pub executable: bool,
}

/// The files of the lab, embedded from the crate directory.
pub const FILES: [LabFile; 4] = [
    LabFile::script("sctp-lab", include_str!("../sctp-lab")),
    LabFile::script("cargo-runner", include_str!("../cargo-runner")),
    LabFile::script("selftest", include_str!("../selftest")),
    LabFile {
        name: "xstate-shim.c",
        text: include_str!("../xstate-shim.c"),
        executable: false,
    },
];

impl LabFile {
    const fn script(name: &'static str, text: &'static str) -> LabFile {
        LabFile {
            name,
            text,
            executable: true,
        }
    }
}

/// FNV-1a (64 bits) over every file's name and contents: names the unpacked directory.
pub fn digest() -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &FILES {
        for b in f.name.bytes().chain([0]).chain(f.text.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The cache directory, chosen as the `sctp-lab` script chooses it: `$SCTP_LAB_CACHE`, else
/// `$XDG_CACHE_HOME/sctp-lab`, else `$HOME/.cache/sctp-lab`, else `/tmp/.cache/sctp-lab`
/// (an empty variable counts as unset).
pub fn base_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("SCTP_LAB_CACHE") {
        return dir.into();
    }
    let cache = var("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(var("HOME").unwrap_or_else(|| "/tmp".into())).join(".cache")
    });
    cache.join("sctp-lab")
}

/// The per-user fallback when `base` cannot be created (a read-only home, say), as the
/// script's: `/tmp/sctp-lab-cache-<uid>`.
pub fn fallback_dir() -> PathBuf {
    let uid = fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0);
    PathBuf::from(format!("/tmp/sctp-lab-cache-{uid}"))
}

/// The unpacked lab under `base` (created if needed), checked file by file against the
/// embedded copy. Returns the directory holding the four files.
///
/// # Errors
///
/// The file system's error, with the path it concerns.
pub fn unpack(base: &Path) -> io::Result<PathBuf> {
    let dir = base.join(format!(
        "lab-{}-{:016x}",
        env!("CARGO_PKG_VERSION"),
        digest()
    ));
    if is_intact(&dir) {
        return Ok(dir);
    }
    fs::create_dir_all(base).map_err(|e| with_path(e, base))?;
    let tmp = unique(base, "unpacking");
    let written = write_all(&tmp);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if fs::rename(&tmp, &dir).is_ok() {
        return Ok(dir);
    }
    // Someone else unpacked first (then theirs is intact), or a damaged copy is in the way:
    // move it aside and put ours in its place.
    if !is_intact(&dir) {
        let stale = unique(base, "stale");
        let _ = fs::rename(&dir, &stale);
        let _ = fs::rename(&tmp, &dir);
        let _ = fs::remove_dir_all(&stale);
    }
    let _ = fs::remove_dir_all(&tmp);
    if is_intact(&dir) {
        Ok(dir)
    } else {
        Err(io::Error::other(format!(
            "{}: the unpacked lab does not match the embedded one",
            dir.display()
        )))
    }
}

/// A fresh name under `base` for a directory private to this call.
fn unique(base: &Path, what: &str) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    base.join(format!(".{what}-{}-{n}", std::process::id()))
}

/// Writes every file into the new directory `dir`, with its mode.
fn write_all(dir: &Path) -> io::Result<()> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir(dir).map_err(|e| with_path(e, dir))?;
    for f in &FILES {
        let path = dir.join(f.name);
        fs::write(&path, f.text).map_err(|e| with_path(e, &path))?;
        let mode = if f.executable { 0o755 } else { 0o644 };
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))
            .map_err(|e| with_path(e, &path))?;
    }
    Ok(())
}

/// Whether `dir` holds every file with the embedded contents, scripts executable.
pub fn is_intact(dir: &Path) -> bool {
    FILES.iter().all(|f| {
        let path = dir.join(f.name);
        let mode_ok = fs::metadata(&path)
            .is_ok_and(|m| m.is_file() && (m.mode() & 0o111 != 0) == f.executable);
        mode_ok && fs::read(&path).is_ok_and(|text| text == f.text.as_bytes())
    })
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own under the system's temporary directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("sctp-lab-cache-test-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn unpacks_every_file_with_its_contents_and_mode() {
        let s = Scratch::new("fresh");
        let base = s.0.join("a/b");
        let dir = unpack(&base).unwrap();
        assert!(dir.starts_with(&base));
        for f in &FILES {
            let path = dir.join(f.name);
            assert_eq!(fs::read_to_string(&path).unwrap(), f.text, "{}", f.name);
            let mode = fs::metadata(&path).unwrap().mode() & 0o777;
            assert_eq!(mode, if f.executable { 0o755 } else { 0o644 }, "{}", f.name);
        }
        // Nothing but the lab directory is left in the cache.
        let names: Vec<_> = fs::read_dir(&base)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(names, vec![dir.clone()]);
        // A second run uses the same directory.
        assert_eq!(unpack(&base).unwrap(), dir);
    }

    #[test]
    fn a_damaged_copy_is_replaced() {
        let s = Scratch::new("damaged");
        let dir = unpack(&s.0).unwrap();
        let script = dir.join("sctp-lab");
        fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
        assert!(!is_intact(&dir));
        assert_eq!(unpack(&s.0).unwrap(), dir);
        assert!(is_intact(&dir));
        // A script that lost its exec bit is damaged too.
        fs::set_permissions(&script, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(!is_intact(&dir));
        unpack(&s.0).unwrap();
        assert!(is_intact(&dir));
        assert_eq!(
            fs::read_dir(&s.0).unwrap().count(),
            1,
            "stale copies left behind"
        );
    }

    #[test]
    fn runs_starting_at_once_agree_on_one_intact_copy() {
        let s = Scratch::new("race");
        let base = s.0.clone();
        let dirs: Vec<PathBuf> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| unpack(&base))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap().unwrap())
                .collect()
        });
        assert!(dirs.windows(2).all(|w| w[0] == w[1]), "{dirs:?}");
        assert!(is_intact(&dirs[0]));
        assert_eq!(
            fs::read_dir(&s.0).unwrap().count(),
            1,
            "temporary copies left behind"
        );
    }

    #[test]
    fn the_digest_names_the_contents() {
        // The lab scripts are real files of this crate, not empty placeholders.
        assert!(
            FILES.iter().all(|f| f.text.len() > 1000),
            "an embedded file is too short"
        );
        assert!(FILES[0].text.starts_with("#!/bin/bash"));
        assert_eq!(digest(), digest());
        assert_ne!(digest(), 0xcbf2_9ce4_8422_2325);
    }
}
