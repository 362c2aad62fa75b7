//! Named network namespaces for the multihoming and interop tests: each test makes its own
//! (`ip netns add`, unique names), builds links inside them (veth pairs, `tc netem`), creates
//! its sockets there and starts the other implementations' tools there (`ip netns exec`), so
//! fixed ports and link changes never meet another test or the machine's own network.
//!
//! Inside the lab, `/run` is private to the guest, so `/run/netns/*` never touches the host.
//! Needs root (`CAP_SYS_ADMIN`, `CAP_NET_ADMIN`), which the lab gives; without it the tests
//! fail at `ip netns add`, they are never skipped. Tools come from `iproute2` (`ip`, `ss`,
//! `tc`).
#![allow(dead_code)]

use std::future::Future;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio_linux_sctp::netns::NetNamespace;

/// Every awaited step runs under this limit, so that a bug shows as a failure, not a hang.
pub const LIMIT: Duration = Duration::from_secs(30);

/// Awaits `fut`, failing the test if it takes longer than `limit`.
pub async fn within<F: Future>(what: &str, limit: Duration, fut: F) -> F::Output {
    match tokio::time::timeout(limit, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no result within {limit:?}"),
    }
}

/// Runs a program (not a shell line), failing the test with its stderr if it fails. A
/// program that cannot be started fails the test naming `package`.
pub fn run(package: &str, program: &str, args: &[&str]) -> Output {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program} (package {package}): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A named network namespace, deleted when dropped (sockets made in it keep the namespace
/// alive until they close).
pub struct Netns {
    name: String,
    handle: NetNamespace,
}

impl Netns {
    /// Makes a namespace named `<prefix>-<pid>-<n>` with its loopback up.
    pub fn new(prefix: &str) -> Netns {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "{prefix}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        run("iproute2", "ip", &["netns", "add", &name]);
        let handle = NetNamespace::named(&name).unwrap_or_else(|e| panic!("{e}"));
        let ns = Netns { name, handle };
        ns.ip(&["link", "set", "lo", "up"]);
        ns
    }

    /// The crate's handle to the namespace ([`tokio_linux_sctp::netns`]).
    pub fn handle(&self) -> &NetNamespace {
        &self.handle
    }

    /// The namespace's name (for `ip netns exec`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Runs `ip -n <name> ARGS`.
    pub fn ip(&self, args: &[&str]) -> Output {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        run("iproute2", "ip", &all)
    }

    /// A command that runs `program` inside the namespace (`ip netns exec`, which execs the
    /// program: the child's pid is the program's).
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name, program]);
        c
    }

    /// Runs `program ARGS` inside the namespace and returns its output; a program that is
    /// missing fails the test naming `package`.
    pub fn exec(&self, package: &str, program: &str, args: &[&str]) -> Output {
        require(package, program);
        let mut all = vec!["netns", "exec", &self.name, program];
        all.extend_from_slice(args);
        run(package, "ip", &all)
    }

    /// Runs `f` on a thread inside the namespace: sockets it creates belong to the namespace
    /// for good, whichever thread uses them later ([`NetNamespace::run_blocking`]).
    pub fn enter<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        self.handle
            .run_blocking(f)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits (polling `ss`, at most [`LIMIT`]) until an SCTP socket listens on `port` in the
    /// namespace.
    pub async fn wait_listening(&self, port: u16) {
        let needle = format!(":{port} ");
        let start = Instant::now();
        loop {
            let out = self.exec("iproute2", "ss", &["-Hln", "-A", "sctp"]);
            let text = String::from_utf8_lossy(&out.stdout);
            if text.lines().any(|l| format!("{l} ").contains(&needle)) {
                return;
            }
            assert!(
                start.elapsed() < LIMIT,
                "nothing listens on SCTP port {port} in {} after {LIMIT:?}:\n{text}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Reads a counter of interface `dev` (`/sys/class/net/<dev>/statistics/<counter>`, as
    /// `ip netns exec` mounts the namespace's own sysfs).
    pub fn counter(&self, dev: &str, counter: &str) -> u64 {
        let path = format!("/sys/class/net/{dev}/statistics/{counter}");
        let out = self.exec("coreutils", "cat", &[&path]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        // Best effort: a failing test must still report its own failure, not this one.
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}

/// Fails the test, naming the package, when `program` is not on `PATH`.
pub fn require(package: &str, program: &str) {
    let found = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let p = dir.join(program);
            p.is_file()
        })
    });
    assert!(
        found,
        "`{program}` is missing: install the `{package}` package (scripts/setup does)"
    );
}

/// A child process killed (and reaped) when dropped, so that a failing test leaves no tool
/// running.
pub struct KillOnDrop(pub Option<Child>);

impl KillOnDrop {
    /// Starts `cmd`, failing the test naming `package` if it cannot start.
    pub fn spawn(package: &str, cmd: &mut Command) -> KillOnDrop {
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("{cmd:?} (package {package}): {e}"));
        KillOnDrop(Some(child))
    }

    /// The child, still running (or exited, not yet reaped).
    pub fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("child")
    }

    /// Waits, polling, up to `limit` for the child to exit by itself and returns its output
    /// (stdout/stderr must be piped or null); fails the test if it does not exit in time.
    pub async fn wait_output(mut self, limit: Duration) -> Output {
        let start = Instant::now();
        loop {
            if self.child().try_wait().expect("try_wait").is_some() {
                let child = self.0.take().expect("child");
                return child.wait_with_output().expect("wait_with_output");
            }
            assert!(
                start.elapsed() < limit,
                "{:?} did not exit within {limit:?}",
                self.child().id()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Kills the child and returns its output.
    pub fn kill_output(mut self) -> Output {
        let mut child = self.0.take().expect("child");
        let _ = child.kill();
        child.wait_with_output().expect("wait_with_output")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Two namespaces `a` and `b` joined by two veth pairs: path 1 is `va1` (10.0.1.1/24, in
/// `a`) – `vb1` (10.0.1.2/24, in `b`), path 2 is `va2` (10.0.2.1/24) – `vb2` (10.0.2.2/24).
pub struct TwoPaths {
    /// The client side.
    pub a: Netns,
    /// The server side.
    pub b: Netns,
}

impl TwoPaths {
    /// Builds the topology and waits until both links carry traffic (a ping over each).
    pub fn new(prefix: &str) -> TwoPaths {
        let a = Netns::new(&format!("{prefix}a"));
        let b = Netns::new(&format!("{prefix}b"));
        for n in ["1", "2"] {
            let (va, vb) = (format!("va{n}"), format!("vb{n}"));
            run(
                "iproute2",
                "ip",
                &[
                    "link",
                    "add",
                    &va,
                    "netns",
                    a.name(),
                    "type",
                    "veth",
                    "peer",
                    "name",
                    &vb,
                    "netns",
                    b.name(),
                ],
            );
            a.ip(&["addr", "add", &format!("10.0.{n}.1/24"), "dev", &va]);
            b.ip(&["addr", "add", &format!("10.0.{n}.2/24"), "dev", &vb]);
            a.ip(&["link", "set", &va, "up"]);
            b.ip(&["link", "set", &vb, "up"]);
        }
        TwoPaths { a, b }
    }
}
