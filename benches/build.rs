//! Builds the C libsctp baseline (`c/libsctp_loops.c`) into a static library and links it,
//! with Debian's libsctp (`libsctp-dev`, installed by `scripts/setup`).
//!
//! One C file for one target (Linux, the host's C compiler) needs two commands, `cc -c` and
//! `ar`, so this runs them itself instead of adding the `cc` crate as a build dependency.

use std::path::PathBuf;
use std::process::Command;

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (apt-get install gcc libsctp-dev)"));
    assert!(status.success(), "{cmd:?} failed: {status}");
}

fn main() {
    let src = "c/libsctp_loops.c";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-env-changed=CC");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let obj = out.join("libsctp_loops.o");
    let lib = out.join("libsctp_loops.a");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    run(Command::new(&cc)
        .args([
            "-O2", "-fPIC", "-Wall", "-Wextra", "-Werror", "-c", src, "-o",
        ])
        .arg(&obj));
    let _ = std::fs::remove_file(&lib);
    run(Command::new("ar").arg("crs").arg(&lib).arg(&obj));
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=sctp_loops");
    println!("cargo:rustc-link-lib=dylib=sctp");
}
