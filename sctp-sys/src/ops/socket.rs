//! Creating SCTP sockets: `socket(2)` with `IPPROTO_SCTP` and `accept4(2)`.

use std::io;
use std::mem::{size_of, MaybeUninit};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use libc::{c_int, socklen_t};

use super::retry;
use crate::addr::socket_addr_from_raw;

/// Creates an SCTP socket: `socket(domain, ty, IPPROTO_SCTP)`.
///
/// `domain` is `AF_INET` or `AF_INET6`; `ty` is `SOCK_STREAM` (one-to-one) or `SOCK_SEQPACKET`
/// (one-to-many), optionally OR-ed with `SOCK_NONBLOCK` and `SOCK_CLOEXEC`.
///
/// # Errors
///
/// `EPROTONOSUPPORT` when the kernel has no SCTP (module not loaded or not built), plus the
/// usual `socket(2)` errors.
pub fn socket(domain: c_int, ty: c_int) -> io::Result<OwnedFd> {
    // SAFETY: socket(2) takes no pointers; a non-negative result is a new descriptor that
    // nothing else owns, so it is wrapped exactly once below.
    let fd = retry(|| unsafe { libc::socket(domain, ty, libc::IPPROTO_SCTP) })?;
    // SAFETY: `fd` was just returned by socket(2), is open, and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Takes the next established association off a listening one-to-one socket's queue:
/// `accept4(fd, &peer, &len, flags)`, returning the new socket and the peer's address.
///
/// `flags` may hold `SOCK_NONBLOCK` and `SOCK_CLOEXEC`, set atomically on the new socket
/// (which inherits the listener's SCTP options and event subscriptions, not its file flags).
/// The address is the peer's primary address as the kernel reports it (`None` only if it is
/// in a family this crate does not read). `EINTR` is retried.
///
/// # Errors
///
/// `EAGAIN` (non-blocking listener, nothing queued), `EINVAL` (not listening, a one-to-many
/// socket, an already connected socket, or bad `flags`), `EMFILE`, ...
pub fn accept4(fd: BorrowedFd<'_>, flags: c_int) -> io::Result<(OwnedFd, Option<SocketAddr>)> {
    let mut storage = MaybeUninit::<libc::sockaddr_storage>::zeroed();
    let mut len = 0;
    let new = retry(|| {
        len = size_of::<libc::sockaddr_storage>() as socklen_t;
        // SAFETY: `storage` is a writable `sockaddr_storage` and `len` holds its size; the
        // kernel writes at most `len` bytes of address there and the real length into `len`.
        unsafe { libc::accept4(fd.as_raw_fd(), storage.as_mut_ptr().cast(), &mut len, flags) }
    })?;
    // SAFETY: accept4(2) returned a new descriptor that nothing else owns; it is wrapped once.
    let owned = unsafe { OwnedFd::from_raw_fd(new) };
    // SAFETY: zero-initialised above and possibly overwritten by the kernel; every byte
    // pattern is a valid `sockaddr_storage`.
    let storage = unsafe { storage.assume_init_ref() };
    Ok((owned, socket_addr_from_raw(storage, len).ok()))
}
