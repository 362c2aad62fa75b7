//! Running a tool, ours or lksctp-tools' C binary of the same name, inside a test's network
//! namespace, and comparing what the two print.
//!
//! Ours come from `target/<profile>/` next to this test binary (`cargo test --workspace`
//! builds them: the tools package has integration tests of its own); a missing or stale
//! binary fails the test with the command that builds it. Both run as `ip netns exec NS
//! stdbuf -oL TOOL ARGS` with `PATH` choosing which `TOOL` is found, so both see the same
//! `argv[0]` and the C tool's stdout is line-buffered (nothing lost when a test kills it).
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::netlab::{self, KillOnDrop, Netns, LIMIT};

/// Which implementation of a tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impl {
    /// linux-sctp-tools (this workspace).
    Ours,
    /// lksctp-tools' C binary.
    C,
}

impl Impl {
    /// The other one.
    pub fn other(self) -> Impl {
        match self {
            Impl::Ours => Impl::C,
            Impl::C => Impl::Ours,
        }
    }
}

/// The tools we build.
pub const OURS: [&str; 4] = ["checksctp", "sctp_darn", "sctp_status", "sctp_test"];

/// `target/<profile>/`, holding our tool binaries, checked to be there and newer than every
/// source file of the tools package.
pub fn ours_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binary in target/<profile>/deps")
        .to_path_buf();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/src");
    let newest_src = newest(&src);
    for tool in OURS {
        let bin = dir.join(tool);
        let built = std::fs::metadata(&bin)
            .and_then(|m| m.modified())
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e}: build the tools first (`cargo build -p linux-sctp-tools`; \
                     `cargo test --workspace` builds them)",
                    bin.display()
                )
            });
        assert!(
            built >= newest_src,
            "{} is older than the tools' sources: `cargo build -p linux-sctp-tools`",
            bin.display()
        );
    }
    dir
}

fn newest(dir: &Path) -> SystemTime {
    let mut t = SystemTime::UNIX_EPOCH;
    for e in std::fs::read_dir(dir).expect("tools/src").flatten() {
        let p = e.path();
        let m = if p.is_dir() {
            newest(&p)
        } else {
            e.metadata().and_then(|m| m.modified()).unwrap_or(t)
        };
        t = t.max(m);
    }
    t
}

/// `PATH` that finds `imp`'s tools first.
fn path_for(imp: Impl) -> OsString {
    let ours = ours_dir();
    let rest: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|p| p != &ours)
        .collect();
    let mut all = Vec::new();
    if imp == Impl::Ours {
        all.push(ours);
    }
    all.extend(rest);
    std::env::join_paths(all).expect("PATH")
}

/// `ip netns exec NS stdbuf -oL TOOL ARGS`, finding `imp`'s `tool`; stdin, stdout and stderr
/// piped.
pub fn tool(ns: &Netns, imp: Impl, name: &str, args: &[&str]) -> Command {
    if imp == Impl::C {
        netlab::require("lksctp-tools", name);
    }
    let mut c = Command::new("ip");
    c.args(["netns", "exec", ns.name(), "stdbuf", "-oL", name])
        .args(args)
        .env("PATH", path_for(imp))
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// The same, outside any namespace (for tools that do not open associations).
pub fn tool_here(imp: Impl, name: &str, args: &[&str]) -> Command {
    if imp == Impl::C {
        netlab::require("lksctp-tools", name);
    }
    let mut c = Command::new(name);
    c.args(args)
        .env("PATH", path_for(imp))
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// What a finished tool printed.
#[derive(Clone, Debug)]
pub struct Out {
    /// The exit status (`None`: killed by a signal).
    pub code: Option<i32>,
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
}

impl Out {
    fn from(status: ExitStatus, stdout: String, stderr: String) -> Out {
        Out {
            code: status.code(),
            stdout,
            stderr,
        }
    }
}

/// A tool running in the background, its output collected as it comes.
pub struct Bg {
    what: String,
    child: KillOnDrop,
    stdin: Option<ChildStdin>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

fn collect(src: impl Read + Send + 'static) -> (Arc<Mutex<String>>, std::thread::JoinHandle<()>) {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    let h = std::thread::spawn(move || {
        let mut src = src;
        let mut buf = [0u8; 8192];
        while let Ok(n) = src.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    (text, h)
}

impl Bg {
    /// Starts `cmd` (made by [`tool`]) in a process group of its own, so that what it forks
    /// (the C sctp_status's status child) ends with it.
    pub fn spawn(mut cmd: Command) -> Bg {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
        let what = format!("{cmd:?}");
        let mut child = KillOnDrop::spawn("lksctp-tools", &mut cmd);
        let stdin = child.child().stdin.take();
        let (stdout, h1) = collect(child.child().stdout.take().expect("piped stdout"));
        let (stderr, h2) = collect(child.child().stderr.take().expect("piped stderr"));
        Bg {
            what,
            child,
            stdin,
            stdout,
            stderr,
            readers: vec![h1, h2],
        }
    }

    /// Everything printed on stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Everything printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Writes to the tool's stdin.
    pub fn write(&mut self, bytes: &[u8]) {
        let w = self.stdin.as_mut().expect("stdin open");
        w.write_all(bytes).expect("write to the tool's stdin");
        w.flush().expect("flush the tool's stdin");
    }

    /// Closes the tool's stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits (at most [`LIMIT`]) until stdout holds `needle` `count` times.
    pub fn wait_for(&self, needle: &str, count: usize) -> String {
        let start = Instant::now();
        loop {
            let t = self.stdout();
            if t.matches(needle).count() >= count {
                return t;
            }
            assert!(
                start.elapsed() < LIMIT,
                "{}: no {count}x `{needle}` within {LIMIT:?} in:\n{t}\nstderr:\n{}",
                self.what,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits (at most `limit`) for the tool to exit by itself.
    pub fn finish(mut self, limit: Duration) -> Out {
        self.stdin = None;
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.child().try_wait().expect("try_wait") {
                break s;
            }
            assert!(
                start.elapsed() < limit,
                "{} did not exit within {limit:?}; stdout:\n{}\nstderr:\n{}",
                self.what,
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        self.drain(status)
    }

    /// Kills the tool and returns what it printed.
    pub fn stop(mut self) -> Out {
        self.stdin = None;
        let _ = self.child.child().kill();
        let status = self.child.child().wait().expect("wait");
        self.drain(status)
    }

    /// Kills what is left of the tool's process group.
    fn kill_group(&mut self) {
        if let Some(child) = self.child.0.as_ref() {
            let _ = Command::new("sh")
                .args([
                    "-c",
                    &format!("kill -s KILL -- -{} 2>/dev/null", child.id()),
                ])
                .status();
        }
    }

    fn drain(mut self, status: ExitStatus) -> Out {
        // Whatever the tool left running in its group holds the output pipes open.
        self.kill_group();
        for h in self.readers.drain(..) {
            let _ = h.join();
        }
        Out::from(status, self.stdout(), self.stderr())
    }
}

impl Drop for Bg {
    fn drop(&mut self) {
        self.kill_group();
    }
}

/// Runs `cmd` to its end with `input` on stdin, at most [`LIMIT`].
pub fn run(cmd: Command, input: &[u8]) -> Out {
    let mut bg = Bg::spawn(cmd);
    if !input.is_empty() {
        bg.write(input);
    }
    bg.finish(LIMIT)
}

/// [`Netns::wait_listening`] for the tests here, which are not async.
pub fn wait_listening(ns: &Netns, port: u16) {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime")
        .block_on(ns.wait_listening(port));
}

/// Masks the fields that must differ between two runs: each rule replaces the number after
/// a key (`tsn=`) by `N`, or a literal by another.
#[derive(Default)]
pub struct Mask {
    numbers_after: Vec<&'static str>,
    literals: Vec<(String, String)>,
}

impl Mask {
    /// A mask with no rules.
    pub fn new() -> Mask {
        Mask::default()
    }

    /// Replaces the number following `key` by `N`.
    pub fn number(mut self, key: &'static str) -> Mask {
        self.numbers_after.push(key);
        self
    }

    /// Replaces every `from` by `to` (applied before the number rules).
    pub fn literal(mut self, from: impl Into<String>, to: impl Into<String>) -> Mask {
        self.literals.push((from.into(), to.into()));
        self
    }

    /// The masked text.
    pub fn apply(&self, text: &str) -> String {
        let mut t = text.to_owned();
        for (from, to) in &self.literals {
            t = t.replace(from.as_str(), to);
        }
        for key in &self.numbers_after {
            let mut out = String::with_capacity(t.len());
            let mut rest = t.as_str();
            while let Some(i) = rest.find(key) {
                out.push_str(&rest[..i + key.len()]);
                rest = &rest[i + key.len()..];
                let digits =
                    rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                if digits > 0 {
                    out.push('N');
                    rest = &rest[digits..];
                }
            }
            out.push_str(rest);
            t = out;
        }
        t
    }
}

/// Asserts that two outputs are the same line by line, showing the first difference.
pub fn assert_same_lines(what: &str, ours: &str, c: &str) {
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), c.lines().collect());
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(
            x,
            y,
            "{what}: line {} differs (ours / C)\n--- ours:\n{ours}\n--- C:\n{c}",
            i + 1
        );
    }
    assert_eq!(
        a.len(),
        b.len(),
        "{what}: {} lines from ours, {} from C\n--- ours:\n{ours}\n--- C:\n{c}",
        a.len(),
        b.len()
    );
}

/// Asserts that stderr holds exactly one line, and returns it.
pub fn one_line(what: &str, stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: stderr is not one line:\n{stderr}");
    lines[0].to_owned()
}

/// A scoped thread's result, its panic passed on.
pub fn join<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// [`tool`] with the arguments written as one line (split at whitespace).
pub fn tool_line(ns: &Netns, imp: Impl, name: &str, line: &str) -> Command {
    let args: Vec<&str> = line.split_whitespace().collect();
    tool(ns, imp, name, &args)
}
