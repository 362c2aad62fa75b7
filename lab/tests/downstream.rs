//! The proof that another crate gets a real SCTP kernel with one install command and one line
//! of `.cargo/config.toml`: this test installs the runner (`cargo install --path lab --root
//! <tmp>`), makes a throwaway crate in a temporary directory outside the workspace that
//! depends on `tokio-linux-sctp` by path, writes the one `runner = "sctp-lab --runner"` line
//! into its `.cargo/config.toml`, puts the installed binary on `PATH` as a user's
//! `~/.cargo/bin` would be, and runs that crate's SCTP test with plain `cargo test`: once as a
//! user would (the lab on a host without SCTP, natively where the host has it) and once with
//! `SCTP_LAB=always` (the lab on every host). Then it runs the installed binary's own
//! selftest, and checks that the runs left nothing in their temporary directory.
//!
//! It drives cargo and boots the lab from the host, so it must itself run natively, not inside
//! the lab like the workspace's other tests (a lab inside the lab does not boot, and cargo
//! would compile tokio under ptrace). Hence `test = false` in `Cargo.toml`: `cargo test
//! --workspace` does not run it, and `.ci/run` runs it on the host with
//!
//! ```sh
//! SCTP_LAB=never cargo test -p sctp-lab --test downstream
//! ```
//!
//! Started inside the lab anyway, it fails saying so: it is never skipped.
//! The throwaway crate's build directory is kept under cargo's `target/tmp`, so only the first
//! run compiles tokio.

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const TEST_SOURCE: &str = r#"
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpListener, SctpStream};

#[tokio::test]
async fn echo_over_a_real_sctp_association() {
    let listener = SctpListener::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (msg, info) = stream.recv().await.unwrap();
        stream.send(&msg, &SendInfo::new().stream(info.stream).ppid(info.ppid)).await.unwrap();
        stream
    });
    let client = SctpStream::connect(addr).await.unwrap();
    client.send(b"downstream", &SendInfo::new().stream(1).ppid(46)).await.unwrap();
    let (msg, info) = client.recv().await.unwrap();
    assert_eq!((&msg[..], info.stream, info.ppid), (&b"downstream"[..], 1, 46));
    drop(server.await.unwrap());
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    println!("downstream-proof: echo on stream 1 with ppid 46, kernel Linux {}", release.trim());
}
"#;

/// A directory removed with everything in it when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn in_the_lab() -> bool {
    fs::read_to_string("/proc/cmdline").is_ok_and(|c| c.contains("rootfstype=hostfs"))
}

fn host_has_sctp() -> bool {
    // SAFETY: socket() takes no pointers; the descriptor is closed at once.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, libc::IPPROTO_SCTP) };
    if fd >= 0 {
        // SAFETY: `fd` is ours and open.
        unsafe { libc::close(fd) };
    }
    fd >= 0
}

/// Runs `cmd`, failing the test with its output unless it succeeds; logs how long it took.
fn run(what: &str, cmd: &mut Command) -> Output {
    let start = Instant::now();
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: {cmd:?}: {e}"));
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    eprintln!("downstream: {what}: {:.1} s", start.elapsed().as_secs_f64());
    out
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // What steers this test's own run must not steer the user's: the lab mode, a runner
    // given by environment, the workspace's target directory.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name == "SCTP_LAB"
            || name == "CARGO_TARGET_DIR"
            || (name.starts_with("CARGO_TARGET_") && name.ends_with("_RUNNER"))
        {
            cmd.env_remove(OsStr::new(&*name));
        }
    }
    cmd
}

#[test]
fn a_crate_outside_the_workspace_runs_its_sctp_test_through_the_installed_runner() {
    assert!(
        !in_the_lab(),
        "this test boots the lab from the host and cannot run inside it: run it natively with \
         `SCTP_LAB=never cargo test -p sctp-lab --test downstream`"
    );
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = lab.parent().expect("the lab crate lives in the workspace");
    let tmp =
        TempDir(std::env::temp_dir().join(format!("sctp-lab-downstream-{}", std::process::id())));
    let _ = fs::remove_dir_all(&tmp.0);
    let (root, krate, cache, tmpdir) = (
        tmp.0.join("root"),
        tmp.0.join("downstream-proof"),
        tmp.0.join("cache"),
        tmp.0.join("tmp"),
    );
    for d in [&krate.join("tests"), &krate.join(".cargo"), &cache, &tmpdir] {
        fs::create_dir_all(d).unwrap();
    }
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("downstream");

    // 1. The one install command.
    run(
        "cargo install --path lab",
        cargo()
            .args(["install", "--quiet", "--offline", "--path"])
            .arg(lab)
            .arg("--root")
            .arg(&root)
            .env("CARGO_TARGET_DIR", kept.join("install")),
    );
    let bin = root.join("bin");
    assert!(bin.join("sctp-lab").is_file(), "no sctp-lab in {bin:?}");

    // 2. A crate of its own, outside the workspace, with the one config line.
    let manifest = format!(
        r#"[package]
name = "downstream-proof"
version = "0.0.0"
edition = "2021"
publish = false

[dev-dependencies]
tokio-linux-sctp = {{ path = "{}" }}
tokio = {{ version = "1", features = ["rt", "macros"] }}

[workspace]
"#,
        workspace.join("tokio-sctp").display()
    );
    fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    fs::write(krate.join("tests/sctp.rs"), TEST_SOURCE).unwrap();
    let config = "[target.'cfg(target_os = \"linux\")']\nrunner = \"sctp-lab --runner\"\n";
    fs::write(krate.join(".cargo/config.toml"), config).unwrap();
    // The same versions as the workspace, so that the build works offline.
    fs::copy(workspace.join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();

    let path = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let user_test = |mode: Option<&str>| {
        let mut cmd = cargo();
        cmd.args(["test", "--offline", "--quiet", "--", "--nocapture"])
            .current_dir(&krate)
            .env("PATH", &path)
            .env("CARGO_TARGET_DIR", kept.join("target"))
            .env("SCTP_LAB_CACHE", &cache)
            .env("TMPDIR", &tmpdir);
        if let Some(mode) = mode {
            cmd.env("SCTP_LAB", mode);
        }
        let what = format!("cargo test (SCTP_LAB={})", mode.unwrap_or("unset"));
        let out = run(&what, &mut cmd);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert!(
            stdout.contains("downstream-proof: echo on stream 1 with ppid 46")
                && stdout.contains("test result: ok. 1 passed"),
            "{what}: the SCTP test did not run:\n{stdout}\n{stderr}"
        );
        let in_lab = stderr.contains("in the SCTP lab");
        println!(
            "{what}: {}",
            stdout
                .lines()
                .find(|l| l.starts_with("downstream-proof:"))
                .unwrap()
        );
        in_lab
    };

    // 3. `cargo test` as the user runs it: the lab where the host has no SCTP.
    let in_lab = user_test(None);
    assert_eq!(
        in_lab,
        !host_has_sctp(),
        "the runner's automatic choice is wrong"
    );
    // ... and the lab on any host.
    assert!(
        user_test(Some("always")),
        "SCTP_LAB=always did not use the lab"
    );

    // 4. The installed binary's own selftest (it drives the binary, not the bare scripts).
    let out = run(
        "sctp-lab --selftest",
        Command::new(bin.join("sctp-lab"))
            .arg("--selftest")
            .env("SCTP_LAB_CACHE", &cache)
            .env("TMPDIR", &tmpdir),
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("lab selftest: ok")
            && said.contains(&*bin.join("sctp-lab").to_string_lossy()),
        "{said}"
    );

    // 5. First use unpacked the scripts and built the shim into the cache; the runs left
    //    nothing in their temporary directory.
    let cached: Vec<String> = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        cached.iter().any(|n| n.starts_with("lab-")),
        "no unpacked lab in the cache: {cached:?}"
    );
    let left: Vec<_> = fs::read_dir(&tmpdir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("sctp-lab"))
        .collect();
    assert!(left.is_empty(), "left behind in TMPDIR: {left:?}");
}
