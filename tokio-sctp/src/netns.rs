//! Network namespaces: SCTP sockets opened inside another network namespace, from async code,
//! without moving any of the caller's threads ([`NetNamespace`]).
//!
//! A socket belongs for good to the network namespace of the thread that created it: it binds,
//! connects and routes there, whichever thread uses it afterwards. [`NetNamespace`] opens a
//! namespace file (`/run/netns/NAME` as made by `ip netns add NAME`, or any other, such as
//! `/proc/PID/ns/net`), and each of its socket constructors starts a short-lived thread that
//! enters the namespace (`setns(2)`), creates the socket and ends; the caller's threads, and
//! the tokio runtime's, never change namespace. The socket that comes back is an ordinary
//! [`SctpSocket`]: configure it, bind it, then make it a listener, a stream or an endpoint on
//! any thread of the runtime.
//!
//! This is what integration tests need to put each side of an association in a namespace of
//! its own, joined by veth pairs that the test shapes with `tc netem` or cuts with
//! `ip link set down`; and what a gateway needs to serve several VRF-like namespaces from one
//! process.
//!
//! Opening and entering a namespace needs `CAP_SYS_ADMIN` (root); the errors name the
//! namespace file and say what failed.
//!
//! # Examples
//!
//! A listener in namespace `server`, a client in namespace `client` (joined, say, by a veth
//! pair with 10.0.0.1 on the server's side):
//!
//! ```no_run
//! use tokio_linux_sctp::message::SendInfo;
//! use tokio_linux_sctp::netns::NetNamespace;
//!
//! # async fn f() -> tokio_linux_sctp::error::Result<()> {
//! let server_ns = NetNamespace::named("server")?;
//! let socket = server_ns.socket_v4().await?;
//! socket.bind("10.0.0.1:3868".parse().unwrap())?;
//! let listener = socket.listen(128)?;
//!
//! let client_ns = NetNamespace::named("client")?;
//! let client = client_ns
//!     .socket_v4()
//!     .await?
//!     .connect("10.0.0.1:3868".parse().unwrap())
//!     .await?;
//! let (server, _peers) = listener.accept().await?;
//! client.send(b"CER", &SendInfo::new().ppid(46)).await?;
//! let (msg, _info) = server.recv().await?;
//! assert_eq!(&msg[..], b"CER");
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::sys::namespace;
use crate::SctpSocket;

/// Where `ip netns add NAME` puts the namespace file of `NAME`.
const NAMED_DIR: &str = "/run/netns";

/// An open network namespace file: the handle to create SCTP sockets (or run any code)
/// inside that namespace.
///
/// The open file keeps the namespace alive, even after `ip netns delete`, until this value
/// and its clones are dropped; sockets created inside keep it alive too. Cloning is cheap
/// (the file is shared).
///
/// # Examples
///
/// A one-to-many endpoint inside namespace `sigtran`:
///
/// ```no_run
/// use tokio_linux_sctp::netns::NetNamespace;
///
/// # async fn f() -> tokio_linux_sctp::error::Result<()> {
/// let ns = NetNamespace::named("sigtran")?;
/// let socket = ns.socket_v4_one_to_many().await?;
/// socket.bind("0.0.0.0:2905".parse().unwrap())?;
/// let endpoint = socket.into_endpoint()?;
/// endpoint.listen(128)?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct NetNamespace {
    inner: Arc<Inner>,
}

struct Inner {
    file: OwnedFd,
    path: PathBuf,
}

impl NetNamespace {
    /// Opens the named network namespace `NAME`: the file `/run/netns/NAME` that
    /// `ip netns add NAME` creates.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NetNamespace`] naming `/run/netns/NAME`: `InvalidInput` for a name that is
    /// empty, `.`, `..` or contains `/`; otherwise as [`open`](Self::open) (`ENOENT` when no
    /// such namespace exists).
    #[doc(alias = "ip netns")]
    pub fn named(name: &str) -> Result<NetNamespace> {
        // Not `Path::join`: an absolute `name` would replace the directory.
        let path = PathBuf::from(format!("{NAMED_DIR}/{name}"));
        if name.is_empty() || name == "." || name == ".." || name.contains('/') {
            let why = format!("{name:?} is not a namespace name (it must be a file name)");
            return Err(namespace_error(path, invalid(why)));
        }
        Self::open(path)
    }

    /// Opens the network namespace file at `path`: `/run/netns/NAME`, `/proc/PID/ns/net`,
    /// `/proc/PID/task/TID/ns/net`, or a bind mount of one (`open(2)`, then
    /// `ioctl(NS_GET_NSTYPE)` to check that it is a network namespace).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NetNamespace`] naming `path`, with the `open` error (`ENOENT`, `EACCES`,
    /// ...), or `InvalidInput` when the file is not a namespace file or is the file of
    /// another kind of namespace (mount, user, ...).
    pub fn open(path: impl AsRef<Path>) -> Result<NetNamespace> {
        let path = path.as_ref().to_path_buf();
        let file = match File::open(&path) {
            Ok(file) => OwnedFd::from(file),
            Err(e) => return Err(namespace_error(path, e)),
        };
        match namespace::kind(file.as_fd()) {
            Ok(libc::CLONE_NEWNET) => {}
            Ok(other) => {
                let why = format!("a {} namespace, not a network namespace", kind_name(other));
                return Err(namespace_error(path, invalid(why)));
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOTTY) => {
                let why = "not a namespace file (ioctl NS_GET_NSTYPE: ENOTTY)".to_string();
                return Err(namespace_error(path, invalid(why)));
            }
            Err(e) => return Err(namespace_error(path, e)),
        }
        Ok(NetNamespace {
            inner: Arc::new(Inner { file, path }),
        })
    }

    /// The namespace file this was opened from.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on a new thread inside this namespace and returns its result; the thread
    /// ends with `f`. Sockets `f` creates belong to the namespace for good; the caller's
    /// thread, and every other, stays where it is.
    ///
    /// The thread is a plain OS thread, not one of tokio's (`spawn_blocking` threads are
    /// reused, and one left in another namespace would surprise later tasks), so `f` is
    /// synchronous: create sockets there and do the async work on the runtime. Works on any
    /// executor.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future does not stop `f`: it runs to the end and its result is dropped
    /// (a socket it made is closed).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NetNamespace`] with the `setns` error (`EPERM` without `CAP_SYS_ADMIN`),
    /// or the error of starting the thread. `f`'s own errors are in `T`.
    ///
    /// # Panics
    ///
    /// If `f` panics, the panic is resumed in the caller.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use tokio_linux_sctp::netns::NetNamespace;
    ///
    /// # async fn f() -> tokio_linux_sctp::error::Result<()> {
    /// let ns = NetNamespace::named("blue")?;
    /// // Any socket type, not only SCTP.
    /// let udp = ns.run(|| std::net::UdpSocket::bind("0.0.0.0:0")).await??;
    /// # Ok(())
    /// # }
    /// ```
    #[doc(alias = "setns")]
    pub async fn run<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let inner = Arc::clone(&self.inner);
        std::thread::Builder::new()
            .name("netns".into())
            .spawn(move || {
                let outcome = inner
                    .enter()
                    .map(|()| panic::catch_unwind(AssertUnwindSafe(f)));
                let _ = tx.send(outcome);
            })
            .map_err(Error::from)?;
        match rx.await {
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(payload))) => panic::resume_unwind(payload),
            Ok(Err(e)) => Err(e),
            // The thread catches panics and always sends.
            Err(_) => Err(io::Error::other("the namespace thread ended without a result").into()),
        }
    }

    /// Runs `f` on a new thread inside this namespace and waits for it, blocking the calling
    /// thread: [`run`](Self::run) for synchronous code (and for `f` that borrows).
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    ///
    /// # Panics
    ///
    /// If `f` panics, the panic is resumed in the caller.
    pub fn run_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce() -> T + Send,
        T: Send,
    {
        std::thread::scope(|s| {
            let thread = std::thread::Builder::new()
                .name("netns".into())
                .spawn_scoped(s, || self.inner.enter().map(|()| f()))
                .map_err(Error::from)?;
            thread
                .join()
                .unwrap_or_else(|payload| panic::resume_unwind(payload))
        })
    }

    /// A one-to-one (`SOCK_STREAM`) IPv4 socket inside this namespace: [`SctpSocket::new_v4`]
    /// on a thread that [`run`](Self::run) put in the namespace.
    ///
    /// # Cancel safety
    ///
    /// As [`run`](Self::run): a socket made after the future was dropped is closed.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run), and as [`SctpSocket::new_v4`].
    pub async fn socket_v4(&self) -> Result<SctpSocket> {
        self.run(SctpSocket::new_v4).await?
    }

    /// A one-to-one IPv6 socket inside this namespace ([`SctpSocket::new_v6`]).
    ///
    /// # Cancel safety
    ///
    /// As [`socket_v4`](Self::socket_v4).
    ///
    /// # Errors
    ///
    /// As [`socket_v4`](Self::socket_v4).
    pub async fn socket_v6(&self) -> Result<SctpSocket> {
        self.run(SctpSocket::new_v6).await?
    }

    /// A one-to-many (`SOCK_SEQPACKET`) IPv4 socket inside this namespace
    /// ([`SctpSocket::new_v4_one_to_many`]), for an [`SctpEndpoint`](crate::SctpEndpoint).
    ///
    /// # Cancel safety
    ///
    /// As [`socket_v4`](Self::socket_v4).
    ///
    /// # Errors
    ///
    /// As [`socket_v4`](Self::socket_v4).
    pub async fn socket_v4_one_to_many(&self) -> Result<SctpSocket> {
        self.run(SctpSocket::new_v4_one_to_many).await?
    }

    /// A one-to-many IPv6 socket inside this namespace
    /// ([`SctpSocket::new_v6_one_to_many`]).
    ///
    /// # Cancel safety
    ///
    /// As [`socket_v4`](Self::socket_v4).
    ///
    /// # Errors
    ///
    /// As [`socket_v4`](Self::socket_v4).
    pub async fn socket_v6_one_to_many(&self) -> Result<SctpSocket> {
        self.run(SctpSocket::new_v6_one_to_many).await?
    }
}

impl Inner {
    /// Moves the calling thread into the namespace.
    fn enter(&self) -> Result<()> {
        namespace::enter_net(self.file.as_fd()).map_err(|e| namespace_error(self.path.clone(), e))
    }
}

impl AsFd for NetNamespace {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.file.as_fd()
    }
}

impl AsRawFd for NetNamespace {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.file.as_raw_fd()
    }
}

impl fmt::Debug for NetNamespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetNamespace")
            .field("path", &self.inner.path)
            .field("fd", &self.inner.file.as_raw_fd())
            .finish()
    }
}

fn namespace_error(path: PathBuf, io: io::Error) -> Error {
    Error::with_io(ErrorKind::NetNamespace { path }, io)
}

fn invalid(why: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, why)
}

/// The name of a `CLONE_NEW*` namespace type, for messages.
fn kind_name(flag: libc::c_int) -> &'static str {
    match flag {
        libc::CLONE_NEWNS => "mount",
        libc::CLONE_NEWUTS => "UTS",
        libc::CLONE_NEWIPC => "IPC",
        libc::CLONE_NEWUSER => "user",
        libc::CLONE_NEWPID => "PID",
        libc::CLONE_NEWCGROUP => "cgroup",
        libc::CLONE_NEWTIME => "time",
        _ => "non-network",
    }
}

/// The [`Display`](fmt::Display) text of [`ErrorKind::NetNamespace`]: the path, the system
/// call's error and, where it helps, what to do.
pub(crate) fn fmt_error(
    path: &Path,
    io: Option<&io::Error>,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    write!(f, "network namespace {}", path.display())?;
    let Some(io) = io else {
        return Ok(());
    };
    write!(f, ": {io}")?;
    match io.raw_os_error() {
        Some(libc::ENOENT) if path.parent() == Some(Path::new(NAMED_DIR)) => {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            write!(f, "; `ip netns add {name}` creates it")
        }
        Some(libc::EPERM | libc::EACCES) => {
            f.write_str("; opening and entering a network namespace needs CAP_SYS_ADMIN (root)")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_file_names_are_refused_before_any_syscall() {
        for name in ["", ".", "..", "a/b", "/abs"] {
            let err = NetNamespace::named(name).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::NetNamespace { .. }),
                "{name:?}: {err:?}"
            );
            assert_eq!(err.io_kind(), io::ErrorKind::InvalidInput, "{name:?}");
            let text = err.to_string();
            assert!(text.starts_with("network namespace /run/netns"), "{text}");
            assert!(text.contains("is not a namespace name"), "{text}");
        }
    }

    #[test]
    fn a_missing_namespace_names_its_path_and_how_to_make_it() {
        let err = NetNamespace::named("no-such-namespace-here").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
        assert_eq!(
            err.to_string(),
            format!(
                "network namespace /run/netns/no-such-namespace-here: {}; \
                 `ip netns add no-such-namespace-here` creates it",
                io::Error::from_raw_os_error(libc::ENOENT)
            )
        );
        let err = NetNamespace::open("/nonexistent/ns").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "network namespace /nonexistent/ns: {}",
                io::Error::from_raw_os_error(libc::ENOENT)
            )
        );
    }

    #[test]
    fn files_that_are_not_network_namespaces_are_refused_at_open() {
        let err = NetNamespace::open("/proc/self/stat").unwrap_err();
        assert_eq!(err.io_kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("not a namespace file"), "{err}");
        let err = NetNamespace::open("/proc/self/ns/uts").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("a UTS namespace, not a network namespace"),
            "{err}"
        );
    }
}
