//! Helpers shared by tokio-linux-sctp's own kernel tests (`support`) and the `tests` crate's
//! lksctp ports (`lksctp_support`, which includes this file with `#[path]`): the time limit of
//! every step, address comparison, the end of an association, shell commands, and private
//! network namespaces (built on the sibling `netns` module).

use std::fs::File;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::os::fd::AsRawFd;
use std::process::Command;
use std::time::Duration;

use tokio_linux_sctp::error::{Error, ErrorKind};
use tokio_linux_sctp::notification::Notification;

use super::netns;

/// Every awaited step runs under this limit, so that a bug shows as a failure, not a hang.
pub const LIMIT: Duration = Duration::from_secs(30);

/// Awaits `fut`, failing the test if it takes longer than [`LIMIT`].
pub async fn within<F: Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(LIMIT, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no result within {LIMIT:?}"),
    }
}

/// Same IP address and port, comparing v4-mapped IPv6 and IPv4 as equal.
pub fn same_addr(a: SocketAddr, b: SocketAddr) -> bool {
    let canon = |s: SocketAddr| (s.ip().to_canonical(), s.port());
    canon(a) == canon(b)
}

/// Asserts that `r` failed with `AssociationEnded` and returns the notification that ended
/// the association (and the errno the failing call saw, if any).
#[track_caller]
pub fn ended<T: std::fmt::Debug>(r: Result<T, Error>) -> (Notification, Option<i32>) {
    match r {
        Ok(v) => panic!("expected AssociationEnded, got Ok({v:?})"),
        Err(e) => match e.kind() {
            ErrorKind::AssociationEnded { cause } => ((**cause).clone(), e.raw_os_error()),
            other => panic!("expected AssociationEnded, got {other:?} ({e})"),
        },
    }
}

/// Asserts that `err` is [`ErrorKind::AssociationEnded`], whatever ended the association.
#[track_caller]
pub fn assert_ended(err: &Error) {
    assert!(
        matches!(err.kind(), ErrorKind::AssociationEnded { .. }),
        "{err:?}"
    );
}

/// Runs `cmd` with `sh -c`, failing the test if it fails; returns its output.
pub fn sh(cmd: &str) -> String {
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `body` on its own thread inside a new network namespace (private to that thread)
/// with loopback up and the given `net.sctp.*` sysctls set, on a current-thread tokio runtime.
/// Sysctls are per network namespace, so the other tests keep the defaults.
pub fn in_private_netns<F, Fut>(sysctls: &[(&str, &str)], body: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let sysctls: Vec<(String, String)> = sysctls
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let t = std::thread::spawn(move || {
        // This helper's own thread, which ends with the body.
        let sysctls: Vec<(&str, &str)> = sysctls.iter().map(|(k, v)| (&**k, &**v)).collect();
        netns::enter_new(&sysctls);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            tokio::time::timeout(LIMIT * 2, body())
                .await
                .expect("netns test body timed out")
        });
    });
    if let Err(p) = t.join() {
        std::panic::resume_unwind(p);
    }
}

/// A private network namespace with its loopback up, entered for a moment at a time from
/// the caller's runtime. It lives as long as this handle or a socket made in it.
pub struct Netns {
    handle: File,
}

impl Default for Netns {
    fn default() -> Self {
        Self::new()
    }
}

impl Netns {
    /// A new namespace.
    pub fn new() -> Netns {
        std::thread::spawn(|| {
            // This thread ends right after; the handle keeps the namespace.
            netns::enter_new(&[]);
            Netns {
                handle: File::open("/proc/thread-self/ns/net").expect("open ns/net"),
            }
        })
        .join()
        .expect("netns thread")
    }

    /// Runs `f` on a thread inside the namespace (sockets made there belong to it), with
    /// the current tokio runtime entered so that `f` can register sockets.
    pub fn enter<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        let rt = tokio::runtime::Handle::current();
        std::thread::scope(|s| {
            s.spawn(|| {
                // SAFETY: setns(2) reads no memory; the descriptor is an open ns/net file
                // owned by `self`, and only this scoped thread changes namespace.
                let rc = unsafe { libc::setns(self.handle.as_raw_fd(), libc::CLONE_NEWNET) };
                assert_eq!(rc, 0, "setns: {}", io::Error::last_os_error());
                let _guard = rt.enter();
                f()
            })
            .join()
            .expect("thread in netns")
        })
    }

    /// Runs `cmd` inside the namespace.
    pub fn sh(&self, cmd: &str) -> String {
        self.enter(|| sh(cmd))
    }
}
