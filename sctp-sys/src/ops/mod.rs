//! The libsctp operations over raw syscalls.
//!
//! Each function here is one or a few `setsockopt`/`getsockopt`/`sendmsg`/`recvmsg` calls on an
//! SCTP socket, the way lksctp-tools' `libsctp` does them, but without linking `libsctp` and
//! without its quirks: errors are always `io::Error` from `errno`, return values are checked
//! before `errno`, `sendmsg` always passes `MSG_NOSIGNAL`, and `EINTR` is retried (except by
//! [`connectx`], which documents why).
//!
//! All functions borrow the socket ([`BorrowedFd`](std::os::fd::BorrowedFd)) and never close
//! it. Sockets they create ([`socket`], [`accept4`], [`peeloff`], [`peeloff_flags`]) come back
//! as [`OwnedFd`](std::os::fd::OwnedFd).
//!
//! By call family (one file each, all re-exported here):
//!
//! * `socket`: [`socket`], [`accept4`];
//! * `sockopt`: the raw `getsockopt`/`setsockopt` calls;
//! * `assoc`: [`bindx`], [`connectx`], [`peeloff`], [`peeloff_flags`], [`getpaddrs`],
//!   [`getladdrs`];
//! * `msg`: [`sendmsg`], [`recvmsg`], [`recvmsg_uninit`];
//! * `mmsg`: [`sendmmsg`], [`recvmmsg`], [`recvmmsg_raw`].
//!
//! # PPID byte order
//!
//! The kernel treats the payload protocol identifier (`snd_ppid`, `rcv_ppid`, `sinfo_ppid`) as
//! four opaque bytes: what `sendmsg` gets in the struct goes on the wire unchanged, and
//! `recvmsg` returns the wire bytes unchanged. This crate does no conversion either. Values
//! registered with IANA are defined in network byte order, so a peer that is not this crate
//! sees `ppid.to_be()` if you want it to see `ppid`; two programs that both use this crate on
//! hosts of the same endianness see the same number either way.

use std::io;

use libc::c_int;

mod assoc;
mod mmsg;
mod msg;
mod socket;
mod sockopt;

pub use assoc::{bindx, connectx, getladdrs, getpaddrs, peeloff, peeloff_flags, Connectx};
pub use mmsg::{recvmmsg, recvmmsg_raw, sendmmsg, MmsgSend, MMSG_MAX};
pub use msg::{recvmsg, recvmsg_uninit, sendmsg, RecvMsg};
pub use socket::{accept4, socket};
pub use sockopt::{getsockopt, getsockopt_bytes, getsockopt_inout, setsockopt, setsockopt_bytes};

/// Runs a syscall until it does not fail with `EINTR`; a negative return becomes the `errno`.
fn retry(mut f: impl FnMut() -> c_int) -> io::Result<c_int> {
    loop {
        let rc = f();
        if rc >= 0 {
            return Ok(rc);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Like [`retry`] for syscalls returning `ssize_t`.
fn retry_size(mut f: impl FnMut() -> isize) -> io::Result<usize> {
    loop {
        let rc = f();
        if rc >= 0 {
            return Ok(rc as usize);
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

fn einval(msg: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}
