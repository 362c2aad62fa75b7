//! The linux-sctp-tools binaries for the tools tests, and what those tests share.
//!
//! The binaries live in cargo's target directory next to the test binary
//! (`target/<profile>/withsctp`, `target/<profile>/sctp_perf`). `cargo test --workspace`
//! builds them (the tools package has integration tests of its own, so cargo builds its
//! binaries); `cargo test -p tests --test tools_perf` alone does not. A missing binary, or
//! one older than the sources it is built from, fails the test with the command that
//! builds it, so a test never runs an old tool.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The newest modification time under `dir` (files only, recursively).
fn newest(dir: &Path) -> Option<SystemTime> {
    let mut best = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            } else if let Ok(t) = meta.modified() {
                best = best.max(Some(t));
            }
        }
    }
    best
}

/// The path of the linux-sctp-tools binary `name`, built from the current sources.
pub fn tool(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    // target/<profile>/deps/<test>-<hash> -> target/<profile>/<name>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the test binary is in target/<profile>/deps");
    let path = dir.join(name);
    let build = "cargo build -p linux-sctp-tools (cargo test --workspace does it)";
    let built = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|e| panic!("{}: {e}: build it with {build}", path.display()));
    let root = root();
    let sources = [
        "tools/src",
        "tools/withsctp/src",
        "tools/build.rs",
        "tools/Cargo.toml",
        "tokio-sctp/src",
        "sctp-sys/src",
    ];
    for s in sources {
        let p = root.join(s);
        let newest = if p.is_dir() {
            newest(&p)
        } else {
            std::fs::metadata(&p).and_then(|m| m.modified()).ok()
        };
        if let Some(t) = newest {
            assert!(
                t <= built,
                "{} is older than {s}: rebuild it with {build}",
                path.display()
            );
        }
    }
    path
}

/// `len` bytes of a deterministic pattern that does not repeat in short periods (a
/// Fibonacci-hash sequence).
pub fn pattern(len: usize, seed: u64) -> Vec<u8> {
    (0..len as u64)
        .map(|i| ((i + seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8)
        .collect()
}

/// A fresh private directory under the system temp directory, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Makes `<tmp>/<prefix>-<pid>-<n>`.
    pub fn new(prefix: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "{prefix}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        TempDir(p)
    }

    /// A path inside.
    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
