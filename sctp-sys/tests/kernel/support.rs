//! Helpers shared by the kernel test modules: sockets with timeouts, bind/listen/accept, a
//! connected pair, sends and receives with SCTP cmsgs, waiting for readability, integer
//! options, event subscriptions and ASSOC_CHANGE notifications.
#![allow(dead_code)]

use std::io::{IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use libc::c_int;
use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::ops::{self, RecvMsg};
use linux_sctp_sys::*;

/// How long a blocking step may take before the test fails.
pub const TIMEOUT_SECS: i64 = 5;

/// A blocking `accept4(SOCK_CLOEXEC)` (the socket's SO_RCVTIMEO bounds it).
pub fn accept(fd: BorrowedFd<'_>) -> OwnedFd {
    // SAFETY: null address pointers are allowed; SO_RCVTIMEO bounds the wait.
    let rc = unsafe {
        libc::accept4(
            fd.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            libc::SOCK_CLOEXEC,
        )
    };
    assert!(rc >= 0, "accept: {}", std::io::Error::last_os_error());
    // SAFETY: a new descriptor owned by nobody else.
    unsafe { OwnedFd::from_raw_fd(rc) }
}

/// Waits until `fd` is readable, failing after [`TIMEOUT_SECS`].
pub fn wait_readable(fd: BorrowedFd<'_>) {
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let rc = unsafe { libc::poll(&mut p, 1, (TIMEOUT_SECS * 1000) as c_int) };
    assert_eq!(rc, 1, "socket did not become readable in time");
}

/// Sets an `int` option of the typed table.
pub fn set_int<O>(fd: BorrowedFd<'_>, opt: O, v: c_int)
where
    O: sockopt::Set<Value = c_int>,
{
    sockopt::set(fd, opt, &v).unwrap();
}

/// Turns one notification type on for future associations (`SCTP_EVENT`).
pub fn subscribe(fd: BorrowedFd<'_>, se_type: u16) {
    let ev = sctp_event {
        se_assoc_id: SCTP_FUTURE_ASSOC,
        se_type,
        se_on: 1,
    };
    sockopt::set(fd, sockopt::SCTP_EVENT, &ev).unwrap();
}

pub fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

pub fn errno_of(r: std::io::Result<impl std::fmt::Debug>) -> Option<i32> {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.raw_os_error(),
    }
}

/// An SCTP socket with timeouts; panics (fails the test) when the kernel has no SCTP.
pub fn sock(domain: c_int, ty: c_int) -> OwnedFd {
    let fd = ops::socket(domain, ty | libc::SOCK_CLOEXEC).unwrap_or_else(|e| {
        panic!("socket(IPPROTO_SCTP) failed: {e}: this test needs a kernel with SCTP (run through the lab runner)")
    });
    let tv = libc::timeval {
        tv_sec: TIMEOUT_SECS,
        tv_usec: 0,
    };
    sockopt::set(fd.as_fd(), sockopt::SO_RCVTIMEO, &tv).unwrap();
    sockopt::set(fd.as_fd(), sockopt::SO_SNDTIMEO, &tv).unwrap();
    fd
}

/// Binds with bindx (ADD) and returns the bound address with the kernel-chosen port.
pub fn bind(fd: BorrowedFd<'_>, a: &str) -> SocketAddr {
    ops::bindx(fd, &[addr(a)], SCTP_BINDX_ADD_ADDR).unwrap();
    let mut want = addr(a);
    let local = ops::getladdrs(fd, 0).unwrap();
    assert!(!local.is_empty());
    want.set_port(local[0].port());
    assert_ne!(want.port(), 0);
    if want.ip().is_unspecified() {
        // A wildcard endpoint lists every local address of its family.
        assert!(local.iter().all(|l| l.port() == want.port()), "{local:?}");
    } else {
        assert_eq!(local, [want]);
    }
    want
}

pub fn listen(fd: BorrowedFd<'_>) {
    // SAFETY: listen(2) takes no pointers.
    assert_eq!(unsafe { libc::listen(fd.as_raw_fd(), 16) }, 0);
}

pub fn fcntl(fd: BorrowedFd<'_>, cmd: c_int) -> c_int {
    // SAFETY: F_GETFL/F_GETFD take no pointer argument.
    let rc = unsafe { libc::fcntl(fd.as_raw_fd(), cmd) };
    assert!(rc >= 0);
    rc
}

pub fn send(fd: BorrowedFd<'_>, data: &[u8], to: Option<SocketAddr>, info: sctp_sndinfo) -> usize {
    let cm = SendCmsgs {
        sndinfo: Some(info),
        ..Default::default()
    };
    ops::sendmsg(fd, &[IoSlice::new(data)], to.as_ref(), &cm, 0).unwrap()
}

pub fn sndinfo(sid: u16, ppid: u32, assoc: sctp_assoc_t) -> sctp_sndinfo {
    sctp_sndinfo {
        snd_sid: sid,
        snd_ppid: ppid,
        snd_assoc_id: assoc,
        ..Default::default()
    }
}

pub fn recv(fd: BorrowedFd<'_>, cap: usize) -> (Vec<u8>, RecvMsg) {
    let mut buf = vec![0u8; cap];
    let m = ops::recvmsg(fd, &mut [IoSliceMut::new(&mut buf)], 0)
        .unwrap_or_else(|e| panic!("recvmsg: {e}"));
    buf.truncate(m.len);
    (buf, m)
}

/// Reads the next message, which must be an SCTP_ASSOC_CHANGE notification with
/// `sac_state == state`, and returns `sac_assoc_id`. Offsets from `struct sctp_assoc_change`:
/// sn_type @0, sn_length @4, sac_state @8, sac_assoc_id @16.
pub fn expect_assoc_change(fd: BorrowedFd<'_>, state: u16) -> sctp_assoc_t {
    let (b, m) = recv(fd, 1024);
    assert!(
        m.is_notification(),
        "expected a notification, got {m:?} {b:?}"
    );
    assert!(m.is_eor());
    assert!(b.len() >= 20, "{b:?}");
    assert_eq!(u16::from_ne_bytes([b[0], b[1]]), SCTP_ASSOC_CHANGE);
    assert_eq!(
        u32::from_ne_bytes([b[4], b[5], b[6], b[7]]) as usize,
        b.len()
    );
    assert_eq!(u16::from_ne_bytes([b[8], b[9]]), state);
    let id = i32::from_ne_bytes([b[16], b[17], b[18], b[19]]);
    assert!(id > SCTP_ALL_ASSOC, "assoc id {id}");
    id
}

/// A one-to-one pair: (client, accepted server side, listener).
pub fn one_to_one(domain: c_int, local: &str) -> (OwnedFd, OwnedFd, OwnedFd, SocketAddr) {
    let l = sock(domain, libc::SOCK_STREAM);
    let laddr = bind(l.as_fd(), local);
    listen(l.as_fd());
    let c = sock(domain, libc::SOCK_STREAM);
    let r = ops::connectx(c.as_fd(), &[laddr]).unwrap();
    assert!(!r.in_progress, "blocking connectx finished");
    assert!(r.assoc_id > SCTP_ALL_ASSOC, "{r:?}");
    let s = accept(l.as_fd());
    (c, s, l, laddr)
}

/// A one-to-many server subscribed to ASSOC_CHANGE, listening on `local`.
pub fn many_server(domain: c_int, local: &str) -> (OwnedFd, SocketAddr) {
    let m = sock(domain, libc::SOCK_SEQPACKET);
    let a = bind(m.as_fd(), local);
    subscribe(m.as_fd(), SCTP_ASSOC_CHANGE);
    listen(m.as_fd());
    (m, a)
}
