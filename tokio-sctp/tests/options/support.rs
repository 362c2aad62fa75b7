//! Helpers of the option tests: sockets with timeouts, connected pairs, sends and receives
//! on plain kernel sockets, errno and error-kind assertions, a watchdog.
#![allow(dead_code, unused_imports)]

pub use std::io::{self, IoSlice, IoSliceMut};
pub use std::net::SocketAddr;
pub use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
pub use std::sync::mpsc;
pub use std::thread;
pub use std::time::{Duration, Instant};

pub(crate) use crate::netns;
pub use libc::c_int;
pub use linux_sctp_sys::cmsg::SendCmsgs;
pub use linux_sctp_sys::ops::{self, RecvMsg};
pub use linux_sctp_sys::{SCTP_CURRENT_ASSOC, SCTP_FUTURE_ASSOC, SOL_SCTP};
pub use socket2::{SockAddr, SockRef};
pub use tokio_linux_sctp::error::{Error, ErrorKind, Result};
pub use tokio_linux_sctp::message::PrPolicy;
pub use tokio_linux_sctp::notification::EventType;
pub use tokio_linux_sctp::opts::*;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

pub const SOCK_TIMEOUT: Duration = Duration::from_secs(5);
pub const TEST_LIMIT: Duration = Duration::from_secs(60);

/// A boolean option: its getter's name, getter and setter.
pub type Toggle = (
    &'static str,
    fn(&SocketOptions<'_>) -> Result<bool>,
    fn(&SocketOptions<'_>, bool) -> Result<()>,
);

/// The [`Toggle`] of the getter `$get` and the setter `$set`.
macro_rules! toggle {
    ($get:ident, $set:ident) => {{
        let t: Toggle = (
            stringify!($get),
            |o: &SocketOptions<'_>| o.$get(),
            |o: &SocketOptions<'_>, v: bool| o.$set(v),
        );
        t
    }};
}

pub(crate) use toggle;

/// Sets a boolean option to `!from` and reads that back, then sets `from` again and reads
/// that back.
pub fn flip_and_restore(o: &SocketOptions<'_>, (name, get, set): Toggle, from: bool) {
    set(o, !from).unwrap();
    assert_eq!(get(o).unwrap(), !from, "{name} flipped");
    set(o, from).unwrap();
    assert_eq!(get(o).unwrap(), from, "{name} restored");
}

/// Runs `f` on its own thread and fails if it takes longer than [`TEST_LIMIT`].
pub fn run(f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(TEST_LIMIT) {
        Ok(()) => h.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(h.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("test did not finish within {TEST_LIMIT:?}"),
    }
}

pub fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// The errno of a failed call (of the option API, or a plain `io::Result`).
#[track_caller]
pub fn errno<T: std::fmt::Debug, E: Into<Error>>(r: std::result::Result<T, E>) -> i32 {
    match r.map_err(Into::into) {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e
            .raw_os_error()
            .unwrap_or_else(|| panic!("no errno in {e:?}")),
    }
}

/// Asserts that `r` failed with `FeatureDisabled { sysctl }` carrying `errno`, and that the
/// error names its option.
#[track_caller]
pub fn assert_feature_disabled<T: std::fmt::Debug>(r: Result<T>, sysctl: &str, want_errno: i32) {
    let e = r.expect_err("expected FeatureDisabled");
    match e.kind() {
        ErrorKind::FeatureDisabled { sysctl: s } => assert_eq!(*s, sysctl),
        other => panic!("expected FeatureDisabled, got {other:?}"),
    }
    assert_eq!(e.raw_os_error(), Some(want_errno));
    assert!(e.to_string().contains(sysctl), "{e}");
    let option = e.socket_option().expect("the error names its option");
    assert!(e.to_string().starts_with(option), "{e}");
}

/// Asserts that `r` failed with a plain kernel errno `want` (kind `Io`, not a typed one).
#[track_caller]
pub fn assert_plain_errno<T: std::fmt::Debug>(r: Result<T>, want: i32) {
    let e = r.expect_err("expected an error");
    assert!(matches!(e.kind(), ErrorKind::Io), "{e:?}");
    assert_eq!(e.raw_os_error(), Some(want), "{e:?}");
}

/// An SCTP socket with send/receive timeouts; fails when the kernel has no SCTP.
pub fn sock(domain: c_int, ty: c_int) -> OwnedFd {
    let fd = ops::socket(domain, ty | libc::SOCK_CLOEXEC).unwrap_or_else(|e| {
        panic!("socket(IPPROTO_SCTP): {e}: this test needs a kernel with SCTP (the lab runner)")
    });
    let s = SockRef::from(&fd);
    s.set_read_timeout(Some(SOCK_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(SOCK_TIMEOUT)).unwrap();
    fd
}

pub fn domain_of(a: &SocketAddr) -> c_int {
    match a {
        SocketAddr::V4(_) => libc::AF_INET,
        SocketAddr::V6(_) => libc::AF_INET6,
    }
}

pub fn opts(fd: &OwnedFd) -> SocketOptions<'_> {
    SocketOptions::new(fd.as_fd(), SCTP_FUTURE_ASSOC)
}

pub fn local_addr(fd: &OwnedFd) -> SocketAddr {
    SockRef::from(fd).local_addr().unwrap().as_socket().unwrap()
}

/// A one-to-one association over loopback.
pub struct Pair {
    pub _listener: OwnedFd,
    pub server: OwnedFd,
    pub client: OwnedFd,
    /// The listener's (and server's) address as the client connected to it.
    pub server_addr: SocketAddr,
}

/// Connects a one-to-one pair: `setup` runs on the listener and on the client before
/// listen/connect; the client (of family `client_domain`) connects to `listen_on`.
pub fn pair_full(listen_on: &str, client_domain: c_int, setup: impl Fn(SocketOptions<'_>)) -> Pair {
    let listen_on = addr(listen_on);
    let listener = sock(domain_of(&listen_on), libc::SOCK_STREAM);
    setup(opts(&listener));
    let l = SockRef::from(&listener);
    l.bind(&SockAddr::from(listen_on)).unwrap();
    l.listen(8).unwrap();
    let server_addr = local_addr(&listener);
    let client = sock(client_domain, libc::SOCK_STREAM);
    setup(opts(&client));
    SockRef::from(&client)
        .connect(&SockAddr::from(server_addr))
        .unwrap();
    let (server, _) = l.accept().unwrap();
    let server: OwnedFd = server.into();
    let s = SockRef::from(&server);
    s.set_read_timeout(Some(SOCK_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(SOCK_TIMEOUT)).unwrap();
    Pair {
        _listener: listener,
        server,
        client,
        server_addr,
    }
}

pub fn pair_with(setup: impl Fn(SocketOptions<'_>)) -> Pair {
    pair_full("127.0.0.1:0", libc::AF_INET, setup)
}

pub fn pair() -> Pair {
    pair_with(|_| {})
}

pub fn send(fd: &OwnedFd, data: &[u8]) {
    let n = ops::sendmsg(
        fd.as_fd(),
        &[IoSlice::new(data)],
        None,
        &SendCmsgs::default(),
        0,
    )
    .unwrap();
    assert_eq!(n, data.len());
}

pub fn recv(fd: BorrowedFd<'_>) -> (Vec<u8>, RecvMsg) {
    let mut buf = vec![0u8; 65536];
    let m = ops::recvmsg(fd, &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
    buf.truncate(m.len);
    (buf, m)
}

/// Reads until a data message arrives (skipping notifications).
pub fn recv_data(fd: &OwnedFd) -> (Vec<u8>, RecvMsg) {
    loop {
        let (b, m) = recv(fd.as_fd());
        if !m.is_notification() {
            return (b, m);
        }
    }
}

/// Reads until a notification of type `sn_type` arrives; returns its bytes. Data messages
/// fail the test.
pub fn wait_notification(fd: BorrowedFd<'_>, sn_type: u16) -> Vec<u8> {
    loop {
        let (b, m) = recv(fd);
        assert!(
            m.is_notification(),
            "expected a notification, got data {b:?}"
        );
        assert!(b.len() >= 8, "short notification {b:?}");
        if u16::from_ne_bytes([b[0], b[1]]) == sn_type {
            return b;
        }
    }
}

/// Polls `f` until it returns `Some`, for up to 10 s.
pub fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}
