//! Builds the withsctp shim (the `linux-sctp-withsctp` cdylib in `withsctp/`) so that the
//! `withsctp` binary can carry it: `cargo install` installs binaries, never a shared library.
//!
//! The shim is built by a nested `cargo build --release` of that package into its own target
//! directory under `OUT_DIR` (a separate directory, so the outer build's lock is never
//! waited for), then copied to `OUT_DIR/libwithsctp.so`, which `src/bin/withsctp.rs`
//! embeds with `include_bytes!`. Its FNV-1a hash goes to `WITHSCTP_SHIM_HASH` for the file
//! name the binary writes it under.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));
    let target = env("TARGET");
    let shim = manifest_dir.join("withsctp");
    println!("cargo:rerun-if-changed={}", shim.join("src").display());
    println!(
        "cargo:rerun-if-changed={}",
        shim.join("Cargo.toml").display()
    );

    let target_dir = out_dir.join("shim-target");
    let mut cargo = Command::new(env("CARGO"));
    cargo
        .arg("build")
        .arg("--release")
        .arg("--lib")
        .arg("--manifest-path")
        .arg(shim.join("Cargo.toml"))
        .arg("--target")
        .arg(&target)
        .arg("--target-dir")
        .arg(&target_dir)
        // `cargo clippy` and friends wrap rustc for the workspace; the shim is an ordinary
        // build here (clippy checks it as a workspace member anyway).
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    let status = cargo
        .status()
        .unwrap_or_else(|e| panic!("running cargo to build the withsctp shim: {e}"));
    assert!(
        status.success(),
        "building the withsctp shim ({}) failed: {status}",
        shim.display()
    );

    let built = target_dir
        .join(&target)
        .join("release")
        .join("libwithsctp_shim.so");
    let bytes = std::fs::read(&built)
        .unwrap_or_else(|e| panic!("reading the built shim {}: {e}", built.display()));
    write(&out_dir.join("libwithsctp.so"), &bytes);
    println!("cargo:rustc-env=WITHSCTP_SHIM_HASH={:016x}", fnv1a(&bytes));
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// 64-bit FNV-1a: a content name for the shim file, not a security measure.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
