//! The `multistream_echo` example as other programs meet it: started with `--listen`, socat
//! (another SCTP implementation's user, through the same kernel) gets its message echoed;
//! the example's own `--connect` client checks 64 echoes on 16 streams against it; and a
//! failing `main` prints the error's `Display` text, not its `Debug` struct.
//!
//! Runs the example binary that `cargo test` builds next to this test (`cargo test -p
//! examples` or `--workspace` build every example; `cargo test -p examples --test
//! echo_interop` alone does not, and then this fails saying so). Needs `socat` (scripts/setup
//! installs it); never skipped.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Longest wait for one line of the server's output.
const LIMIT: Duration = Duration::from_secs(20);

/// `target/<profile>/examples/multistream_echo`, beside this test's `deps` directory.
fn example() -> PathBuf {
    let me = std::env::current_exe().expect("current_exe");
    let dir = me
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let path = dir.join("examples/multistream_echo");
    assert!(
        path.is_file(),
        "{} is not built: run `cargo test -p examples` (which builds the examples) or \
         `cargo build -p examples --examples` first",
        path.display()
    );
    path
}

/// A program whose stdout is read line by line; killed when dropped.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Running {
    fn spawn(cmd: &mut Command) -> Running {
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{cmd:?}: {e} (socat comes from the `socat` package)"));
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running { child, lines }
    }

    /// The example started with `--listen 127.0.0.1:0`, and the port it listens on.
    fn server() -> (Running, u16) {
        let mut server = Running::spawn(
            Command::new(example())
                .args(["--listen", "127.0.0.1:0"])
                .stdin(Stdio::null()),
        );
        let first = server.line();
        let port = first
            .strip_prefix("server: listening on 127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        (server, port)
    }

    fn line(&mut self) -> String {
        self.lines
            .recv_timeout(LIMIT)
            .unwrap_or_else(|e| panic!("no line within {LIMIT:?}: {e}"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn output(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (socat comes from the `socat` package)"));
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn socat_and_the_example_client_talk_to_the_example_server() {
    let (mut server, port) = Running::server();

    // socat sends each line of its stdin as one message (stream 0, PPID 0) and prints what
    // comes back. Its stdin stays open until the echo is in: SCTP has no half-close, so
    // socat's shutdown at EOF would end the association before the echo.
    let mut socat = Running::spawn(
        Command::new("socat")
            .args(["-", &format!("SCTP-CONNECT:127.0.0.1:{port}")])
            .stdin(Stdio::piped()),
    );
    let mut stdin = socat.child.stdin.take().unwrap();
    stdin.write_all(b"hello from socat\n").unwrap();
    assert_eq!(socat.line(), "hello from socat");
    drop(stdin);
    let status = socat.child.wait().unwrap();
    assert!(status.success(), "socat: {status}");
    let accepted = server.line();
    assert!(accepted.starts_with("server: association "), "{accepted:?}");
    let done = server.line();
    assert!(done.ends_with(" done after 1 messages"), "{done:?}");

    // The example's own client: 64 messages over 16 streams, each echoed on its stream.
    let out = output(
        Command::new(example()).args(["--connect", &format!("127.0.0.1:{port}")]),
        b"",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "--connect: {}: {stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("client: 64 echoes on 16 streams, each stream in order"),
        "{stdout}"
    );
    assert!(server.line().starts_with("server: association "));
    assert!(server.line().ends_with(" done after 64 messages"));
}

#[test]
fn a_failing_example_prints_the_errors_display_text() {
    let out = output(Command::new(example()).args(["--listen", "nonsense"]), b"");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "multistream_echo: \"nonsense\" is not an address like 127.0.0.1:5000: invalid socket address syntax"
    );

    // A kernel error through the crate's Error: its Display, errno included.
    let out = output(
        Command::new(example()).args(["--listen", "192.0.2.1:5000"]),
        b"",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "multistream_echo: {}",
            std::io::Error::from_raw_os_error(libc::EADDRNOTAVAIL)
        )
    );
    assert!(
        !stderr.contains("kind:") && !stderr.contains("Error {"),
        "{stderr}"
    );
}
