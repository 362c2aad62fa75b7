//! Helpers shared by the linux-sctp-sys kernel test files (`kernel.rs`, `batch.rs`): blocking
//! accept, waiting for readability, integer options and event subscriptions.
#![allow(dead_code)]

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use libc::c_int;
use linux_sctp_sys::ops;
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

/// Sets an `int` `SOL_SCTP` option.
pub fn set_int(fd: BorrowedFd<'_>, opt: c_int, v: c_int) {
    ops::setsockopt(fd, SOL_SCTP, opt, &v).unwrap();
}

/// Turns one notification type on for future associations (`SCTP_EVENT`).
pub fn subscribe(fd: BorrowedFd<'_>, se_type: u16) {
    let ev = sctp_event {
        se_assoc_id: SCTP_FUTURE_ASSOC,
        se_type,
        se_on: 1,
    };
    ops::setsockopt(fd, SOL_SCTP, SCTP_EVENT, &ev).unwrap();
}
