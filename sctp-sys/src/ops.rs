//! The libsctp operations over raw syscalls.
//!
//! Each function here is one or a few `setsockopt`/`getsockopt`/`sendmsg`/`recvmsg` calls on an
//! SCTP socket, the way lksctp-tools' `libsctp` does them, but without linking `libsctp` and
//! without its quirks: errors are always `io::Error` from `errno`, return values are checked
//! before `errno`, `sendmsg` always passes `MSG_NOSIGNAL`, and `EINTR` is retried (except by
//! [`connectx`], which documents why).
//!
//! All functions borrow the socket ([`BorrowedFd`]) and never close it. Sockets they create
//! ([`socket`], [`peeloff`], [`peeloff_flags`]) come back as [`OwnedFd`].
//!
//! # PPID byte order
//!
//! The kernel treats the payload protocol identifier (`snd_ppid`, `rcv_ppid`, `sinfo_ppid`) as
//! four opaque bytes: what `sendmsg` gets in the struct goes on the wire unchanged, and
//! `recvmsg` returns the wire bytes unchanged. This crate does no conversion either. Values
//! registered with IANA are defined in network byte order, so a peer that is not this crate
//! sees `ppid.to_be()` if you want it to see `ppid`; two programs that both use this crate on
//! hosts of the same endianness see the same number either way.

use std::io::{self, IoSlice, IoSliceMut};
use std::mem::{self, size_of};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use libc::{c_int, c_uint, c_void, socklen_t};

use crate::addr::{pack_addrs, socket_addr_from_raw, socket_addr_to_raw, unpack_addrs};
use crate::cmsg::{self, CmsgBuffer, RecvCmsgs, SendCmsgs, RECV_CMSG_SPACE};
use crate::{
    sctp_assoc_t, sctp_getaddrs_old, sctp_peeloff_arg_t, sctp_peeloff_flags_arg_t, Pod,
    MSG_NOTIFICATION, SCTP_BINDX_ADD_ADDR, SCTP_BINDX_REM_ADDR, SCTP_GET_LOCAL_ADDRS,
    SCTP_GET_PEER_ADDRS, SCTP_SOCKOPT_BINDX_ADD, SCTP_SOCKOPT_BINDX_REM, SCTP_SOCKOPT_CONNECTX,
    SCTP_SOCKOPT_CONNECTX3, SCTP_SOCKOPT_CONNECTX_OLD, SCTP_SOCKOPT_PEELOFF,
    SCTP_SOCKOPT_PEELOFF_FLAGS, SOL_SCTP,
};

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

fn optlen_of(len: usize) -> io::Result<socklen_t> {
    socklen_t::try_from(len).map_err(|_| einval("socket option value too large"))
}

// ---------------------------------------------------------------------------------------
// Sockets
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Socket options
// ---------------------------------------------------------------------------------------
//
// The generic option functions below are safe because the options they are for (SOL_SCTP and
// SOL_SOCKET) only make the kernel read and write the option buffer itself (or, for
// SCTP_SOCKOPT_CONNECTX3, read the list its pointer names). A few options of other protocols
// carry user pointers the kernel *writes* through or maps memory at (TCP_ZEROCOPY_RECEIVE,
// XDP_UMEM_REG, netfilter's *_SO_SET_REPLACE at SOL_IP/SOL_IPV6), so every level other than
// those two is refused before the syscall: that is what keeps these functions safe.

/// The levels the generic option functions accept.
fn check_level(level: c_int) -> io::Result<()> {
    if level == SOL_SCTP || level == libc::SOL_SOCKET {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "linux_sctp_sys::ops socket options take level SOL_SCTP or SOL_SOCKET, not {level} \
                 (options of other levels may carry pointers the kernel writes through: use \
                 libc or socket2 for them)"
            ),
        ))
    }
}

/// `getsockopt(fd, level, optname, val, &len)` with `len` in and out; returns `len`.
fn raw_getsockopt(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: *mut c_void,
    len: socklen_t,
) -> io::Result<(c_int, socklen_t)> {
    check_level(level)?;
    let mut optlen = len;
    let rc = retry(|| {
        optlen = len;
        // SAFETY: the caller passes `val` valid for writes of `len` bytes (and initialised
        // input where the option reads it); `optlen` is a live local; the kernel writes at
        // most `len` bytes to `val`, and nowhere else for the options the public callers are
        // documented for.
        unsafe { libc::getsockopt(fd.as_raw_fd(), level, optname, val, &mut optlen) }
    })?;
    Ok((rc, optlen))
}

/// Reads a socket option of type `T`: `getsockopt(fd, level, optname, &val, sizeof(T))`.
///
/// For `SOL_SCTP` and `SOL_SOCKET` options only: other levels are refused with
/// `InvalidInput` before the syscall, because a few of their options hold a user-space
/// address the kernel writes through or maps memory at (`TCP_ZEROCOPY_RECEIVE`,
/// `XDP_UMEM_REG`, netfilter's `*_SO_SET_REPLACE`), which a safe function cannot allow.
///
/// # Errors
///
/// The `getsockopt(2)` error (`ENOPROTOOPT` for an option this kernel does not know, `EINVAL`
/// for a wrong size or an unknown association, ...), or `InvalidData` if the kernel returned
/// fewer than `size_of::<T>()` bytes: a short read means the running kernel's struct is not
/// the one `T` describes. Use [`getsockopt_bytes`] for options whose length varies.
pub fn getsockopt<T: Pod>(fd: BorrowedFd<'_>, level: c_int, optname: c_int) -> io::Result<T> {
    let mut val = T::zeroed();
    let len = getsockopt_inout(fd, level, optname, &mut val)?;
    if (len as usize) < size_of::<T>() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "getsockopt({level}, {optname}) returned {len} bytes, expected {}",
                size_of::<T>()
            ),
        ));
    }
    Ok(val)
}

/// Reads a socket option whose buffer is also an input: the association id or address that
/// most SCTP options take in their first fields. `val` goes to the kernel as it is and comes
/// back filled; the return value is the length the kernel reported.
///
/// When that length is shorter than `size_of::<T>()` the kernel filled only a prefix, and the
/// bytes after it keep the values they had on input (SCTP_EVENTS on an older kernel, for
/// example); the kernel never reports more than it was given.
///
/// The same options only as [`getsockopt`] (see there).
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub fn getsockopt_inout<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: &mut T,
) -> io::Result<socklen_t> {
    let len = optlen_of(size_of::<T>())?;
    let (_, optlen) = raw_getsockopt(fd, level, optname, (val as *mut T).cast(), len)?;
    Ok(optlen.min(len))
}

/// Sets a socket option of type `T`: `setsockopt(fd, level, optname, val, sizeof(T))`.
///
/// For `SOL_SCTP` and `SOL_SOCKET` options only: other levels are refused with
/// `InvalidInput` before the syscall, because a few of their options hold a user-space
/// address the kernel writes through or maps memory at (`TCP_ZEROCOPY_RECEIVE`,
/// `XDP_UMEM_REG`, netfilter's `*_SO_SET_REPLACE`), which a safe function cannot allow.
///
/// # Errors
///
/// The `setsockopt(2)` error: `ENOPROTOOPT` for an unknown option, `EINVAL` for a bad value or
/// size, `EACCES`/`EPERM` for features the kernel has switched off (AUTH, ASCONF), ...
pub fn setsockopt<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: &T,
) -> io::Result<()> {
    check_level(level)?;
    let len = optlen_of(size_of::<T>())?;
    // SAFETY: `val` is a live `T`, readable for size_of::<T>() bytes; at the two levels
    // `check_level` lets through, the kernel only reads it.
    retry(|| unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            optname,
            (val as *const T).cast(),
            len,
        )
    })?;
    Ok(())
}

/// Reads a socket option into `buf` (which is also the input, for options that take one) and
/// returns the number of bytes the kernel reported.
///
/// The same options only as [`getsockopt`] (see there).
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub fn getsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &mut [u8],
) -> io::Result<usize> {
    let len = optlen_of(buf.len())?;
    let (_, optlen) = raw_getsockopt(fd, level, optname, buf.as_mut_ptr().cast(), len)?;
    Ok((optlen as usize).min(buf.len()))
}

/// Sets a socket option from raw bytes (variable-length structs such as `sctp_authkey` or
/// `sctp_reset_streams`).
///
/// The same options only as [`setsockopt`] (see there).
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub fn setsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &[u8],
) -> io::Result<()> {
    setsockopt_bytes_rc(fd, level, optname, buf).map(drop)
}

/// [`setsockopt_bytes`] returning the (non-negative) return value, which is meaningful for
/// `SCTP_SOCKOPT_CONNECTX`.
fn setsockopt_bytes_rc(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &[u8],
) -> io::Result<c_int> {
    check_level(level)?;
    let len = optlen_of(buf.len())?;
    // SAFETY: `buf` is readable for `len` bytes; at the two levels `check_level` lets
    // through, the kernel only reads it.
    retry(|| unsafe { libc::setsockopt(fd.as_raw_fd(), level, optname, buf.as_ptr().cast(), len) })
}

// ---------------------------------------------------------------------------------------
// bindx, connectx, peeloff
// ---------------------------------------------------------------------------------------

/// Adds or removes local addresses: `sctp_bindx(fd, addrs, flags)`.
///
/// `flags` must be exactly [`SCTP_BINDX_ADD_ADDR`] or [`SCTP_BINDX_REM_ADDR`]. Adding to an
/// unbound socket binds it; all addresses must use the same port (0 picks one). On an
/// association that exists, the kernel announces the change to the peer with ASCONF (when
/// `net.sctp.addip_enable` allows).
///
/// Maps to `setsockopt(SCTP_SOCKOPT_BINDX_ADD | SCTP_SOCKOPT_BINDX_REM)` with the packed list.
///
/// # Errors
///
/// `InvalidInput` (`EINVAL`-like) for other `flags` or an empty list, and the kernel's errors
/// (`EADDRINUSE`, `EADDRNOTAVAIL`, `EINVAL` for a port mismatch, ...). A failed add leaves the
/// socket as it was: the kernel rolls back the addresses it had already added.
pub fn bindx(fd: BorrowedFd<'_>, addrs: &[SocketAddr], flags: c_int) -> io::Result<()> {
    let optname = match flags {
        SCTP_BINDX_ADD_ADDR => SCTP_SOCKOPT_BINDX_ADD,
        SCTP_BINDX_REM_ADDR => SCTP_SOCKOPT_BINDX_REM,
        _ => {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
    };
    if addrs.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    setsockopt_bytes(fd, SOL_SCTP, optname, &pack_addrs(addrs))
}

/// The result of [`connectx`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connectx {
    /// The new association's id, or 0 when the kernel could not report one (only kernels
    /// without `SCTP_SOCKOPT_CONNECTX3` on a non-blocking socket, or with neither that nor
    /// `SCTP_SOCKOPT_CONNECTX`: older than 2.6.26).
    pub assoc_id: sctp_assoc_t,
    /// True when the socket is non-blocking and the handshake is still running (`EINPROGRESS`).
    /// Completion shows up as writability, `SO_ERROR` and an `SCTP_ASSOC_CHANGE` notification
    /// (`SCTP_COMM_UP` or `SCTP_CANT_STR_ASSOC`).
    pub in_progress: bool,
}

/// Starts an association to a peer known by several addresses: `sctp_connectx(fd, addrs, &id)`.
///
/// All addresses must share one port. A blocking socket returns once the association is up;
/// a non-blocking one returns at once with `in_progress: true` and the id already assigned.
///
/// Tries `getsockopt(SCTP_SOCKOPT_CONNECTX3)` (the id is written back even with `EINPROGRESS`),
/// then on `ENOPROTOOPT` `setsockopt(SCTP_SOCKOPT_CONNECTX)` (which returns the id), then
/// `setsockopt(SCTP_SOCKOPT_CONNECTX_OLD)` (no id). Unlike libsctp it decides from the return
/// value, never from a stale `errno`.
///
/// `EINTR` is **not** retried: the kernel keeps setting the association up after the
/// interruption, so a second call would fail with `EALREADY`. The caller sees `Interrupted`
/// and learns the outcome from the association notifications.
///
/// # Errors
///
/// `EINVAL` (empty list, different ports), `EISCONN`, `EALREADY`, `EADDRNOTAVAIL`,
/// `ECONNREFUSED`/`ETIMEDOUT` (blocking sockets), ...
pub fn connectx(fd: BorrowedFd<'_>, addrs: &[SocketAddr]) -> io::Result<Connectx> {
    if addrs.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    let packed = pack_addrs(addrs);
    let byte_len = c_int::try_from(packed.len()).map_err(|_| einval("address list too long"))?;
    let mut param = sctp_getaddrs_old {
        assoc_id: 0,
        addr_num: byte_len,
        addrs: packed.as_ptr().cast_mut().cast(),
    };
    let mut optlen = size_of::<sctp_getaddrs_old>() as socklen_t;
    // SAFETY: `param` is a live, writable sctp_getaddrs_old of `optlen` bytes whose `addrs`
    // points at `packed`, readable for `addr_num` bytes and alive until after the call; the
    // kernel reads the list and writes only the struct's assoc_id.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            SOL_SCTP,
            SCTP_SOCKOPT_CONNECTX3,
            (&mut param as *mut sctp_getaddrs_old).cast(),
            &mut optlen,
        )
    };
    let r = if rc == 0 {
        Ok(param.assoc_id)
    } else {
        Err(io::Error::last_os_error())
    };
    if let Some(done) = connectx_outcome(r, param.assoc_id) {
        return done;
    }
    // Kernels before CONNECTX3: a setsockopt of the packed list.
    let legacy = |opt: c_int| {
        // SAFETY: `packed` is readable for its length; the kernel only reads it.
        let rc = unsafe {
            libc::setsockopt(
                fd.as_raw_fd(),
                SOL_SCTP,
                opt,
                packed.as_ptr().cast(),
                byte_len as socklen_t,
            )
        };
        if rc >= 0 {
            Ok(rc)
        } else {
            Err(io::Error::last_os_error())
        }
    };
    // CONNECTX returns the id.
    if let Some(done) = connectx_outcome(legacy(SCTP_SOCKOPT_CONNECTX), 0) {
        return done;
    }
    // CONNECTX_OLD (before 2.6.26) reports none.
    connectx_outcome(legacy(SCTP_SOCKOPT_CONNECTX_OLD).map(|_| 0), 0)
        .unwrap_or_else(|| Err(io::Error::from_raw_os_error(libc::ENOPROTOOPT)))
}

/// The outcome of one connectx attempt that gave `id` or failed: `EINPROGRESS` is a started
/// handshake (with `pending_id`, what the kernel reported by then), `ENOPROTOOPT` says this
/// kernel lacks the option (`None`: try the older one).
fn connectx_outcome(
    r: io::Result<sctp_assoc_t>,
    pending_id: sctp_assoc_t,
) -> Option<io::Result<Connectx>> {
    match r {
        Ok(assoc_id) => Some(Ok(Connectx {
            assoc_id,
            in_progress: false,
        })),
        Err(e) => match e.raw_os_error() {
            Some(libc::EINPROGRESS) => Some(Ok(Connectx {
                assoc_id: pending_id,
                in_progress: true,
            })),
            Some(libc::ENOPROTOOPT) => None,
            _ => Some(Err(e)),
        },
    }
}

/// Wraps the descriptor a peeloff getsockopt returned. The kernel gives it both as the
/// return value and in `sd`; it is owned once, from the return value. (It can legitimately be 0
/// when the process has closed stdin, so 0 is not "no descriptor" here.)
fn own_peeled(rc: c_int, sd: c_int) -> OwnedFd {
    debug_assert_eq!(rc, sd, "peeloff: return value and sd disagree");
    // SAFETY: `raw_getsockopt` succeeded, so `rc >= 0` is the descriptor the kernel installed
    // in our table for this call; nobody else owns it and it is wrapped exactly once (the copy
    // in `sd` is not used).
    unsafe { OwnedFd::from_raw_fd(rc as RawFd) }
}

/// Branches one association of a one-to-many socket off into a new socket:
/// `sctp_peeloff(fd, assoc_id)`, i.e. `getsockopt(SCTP_SOCKOPT_PEELOFF)`.
///
/// The new socket is blocking and **not** close-on-exec whatever `fd` is; prefer
/// [`peeloff_flags`] with `SOCK_NONBLOCK | SOCK_CLOEXEC`. It inherits every SCTP option and
/// event subscription, and the association's queued messages move to it.
///
/// # Errors
///
/// `EINVAL` for an unknown id, a one-to-one socket or an already peeled-off socket.
pub fn peeloff(fd: BorrowedFd<'_>, assoc_id: sctp_assoc_t) -> io::Result<OwnedFd> {
    let mut arg = sctp_peeloff_arg_t {
        associd: assoc_id,
        sd: 0,
    };
    let (rc, _) = raw_getsockopt(
        fd,
        SOL_SCTP,
        SCTP_SOCKOPT_PEELOFF,
        (&mut arg as *mut sctp_peeloff_arg_t).cast(),
        size_of::<sctp_peeloff_arg_t>() as socklen_t,
    )?;
    Ok(own_peeled(rc, arg.sd))
}

/// [`peeloff`] with file flags set atomically on the new socket:
/// `getsockopt(SCTP_SOCKOPT_PEELOFF_FLAGS)` (kernel 4.13+). `flags` may hold `SOCK_NONBLOCK`
/// and `SOCK_CLOEXEC`; with 0 this is plain [`peeloff`], as in libsctp.
///
/// # Errors
///
/// As [`peeloff`]; `EINVAL` for other flags; `ENOPROTOOPT` before 4.13.
pub fn peeloff_flags(
    fd: BorrowedFd<'_>,
    assoc_id: sctp_assoc_t,
    flags: c_uint,
) -> io::Result<OwnedFd> {
    if flags == 0 {
        return peeloff(fd, assoc_id);
    }
    let mut arg = sctp_peeloff_flags_arg_t {
        p_arg: sctp_peeloff_arg_t {
            associd: assoc_id,
            sd: 0,
        },
        flags,
    };
    let (rc, _) = raw_getsockopt(
        fd,
        SOL_SCTP,
        SCTP_SOCKOPT_PEELOFF_FLAGS,
        (&mut arg as *mut sctp_peeloff_flags_arg_t).cast(),
        size_of::<sctp_peeloff_flags_arg_t>() as socklen_t,
    )?;
    Ok(own_peeled(rc, arg.p_arg.sd))
}

// ---------------------------------------------------------------------------------------
// getpaddrs / getladdrs
// ---------------------------------------------------------------------------------------

/// First buffer size for the address lists.
const ADDRS_START: usize = 4096;
/// Largest buffer tried before giving up with `ENOBUFS` (room for over 9000 IPv6 addresses).
const ADDRS_MAX: usize = 256 * 1024;
/// `sizeof(struct sctp_getaddrs)`: `assoc_id` and `addr_num`.
const GETADDRS_HDR: usize = 8;

fn getaddrs(
    fd: BorrowedFd<'_>,
    optname: c_int,
    assoc_id: sctp_assoc_t,
) -> io::Result<Vec<SocketAddr>> {
    let mut size = ADDRS_START;
    loop {
        let mut buf = vec![0u8; size];
        buf[..4].copy_from_slice(&assoc_id.to_ne_bytes());
        match getsockopt_bytes(fd, SOL_SCTP, optname, &mut buf) {
            Ok(optlen) => return parse_getaddrs(&buf, optlen, optname == SCTP_GET_LOCAL_ADDRS),
            Err(e) if e.raw_os_error() == Some(libc::ENOMEM) => {
                if size >= ADDRS_MAX {
                    return Err(io::Error::from_raw_os_error(libc::ENOBUFS));
                }
                size *= 2;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Parses the `struct sctp_getaddrs` the kernel wrote into `buf`.
///
/// `optlen` is what the kernel reported: for `SCTP_GET_PEER_ADDRS` it includes the 8-byte
/// header, for `SCTP_GET_LOCAL_ADDRS` it counts the addresses only (a kernel quirk it keeps
/// for compatibility). Either way the list is walked `addr_num` entries by family, within the
/// bytes the kernel says it wrote.
fn parse_getaddrs(buf: &[u8], optlen: usize, local: bool) -> io::Result<Vec<SocketAddr>> {
    let Some(hdr) = buf.get(..GETADDRS_HDR) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "short sctp_getaddrs",
        ));
    };
    let addr_num = u32::from_ne_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]) as usize;
    let list_len = if local {
        optlen
    } else {
        optlen.saturating_sub(GETADDRS_HDR)
    };
    let end = GETADDRS_HDR.saturating_add(list_len).min(buf.len());
    Ok(unpack_addrs(&buf[GETADDRS_HDR..end], addr_num)?)
}

/// The peer's addresses in an association: `sctp_getpaddrs(fd, assoc_id)`, i.e.
/// `getsockopt(SCTP_GET_PEER_ADDRS)`. On one-to-one sockets `assoc_id` is ignored.
///
/// On an `AF_INET6` socket, IPv4 peers come back as v4-mapped IPv6 addresses unless
/// `SCTP_I_WANT_MAPPED_V4_ADDR` is off (see [`crate::addr`]).
///
/// # Errors
///
/// `EINVAL` when there is no such association (libsctp's man page says 0 addresses; the kernel
/// says EINVAL), `ENOBUFS` if the list does not fit 256 KiB, `InvalidData` for a malformed list.
pub fn getpaddrs(fd: BorrowedFd<'_>, assoc_id: sctp_assoc_t) -> io::Result<Vec<SocketAddr>> {
    getaddrs(fd, SCTP_GET_PEER_ADDRS, assoc_id)
}

/// The local addresses of an association, or of the endpoint with `assoc_id` 0
/// (`SCTP_FUTURE_ASSOC`): `sctp_getladdrs(fd, assoc_id)`, i.e. `getsockopt(SCTP_GET_LOCAL_ADDRS)`.
/// A wildcard-bound endpoint reports every local address of its family (no IPv4 ones with
/// `IPV6_V6ONLY`).
///
/// # Errors
///
/// As [`getpaddrs`].
pub fn getladdrs(fd: BorrowedFd<'_>, assoc_id: sctp_assoc_t) -> io::Result<Vec<SocketAddr>> {
    getaddrs(fd, SCTP_GET_LOCAL_ADDRS, assoc_id)
}

// ---------------------------------------------------------------------------------------
// sendmsg / recvmsg
// ---------------------------------------------------------------------------------------

/// Sends one message: `sendmsg(fd, {msg_name = to, msg_iov = bufs, msg_control = cmsgs},
/// flags | MSG_NOSIGNAL)`.
///
/// SCTP sends are all-or-nothing: the result is the whole length or an error. `to` is needed
/// on one-to-many sockets to name (or create) the association unless `cmsgs` selects it by
/// `snd_assoc_id`; on one-to-one sockets leave it `None`. `MSG_NOSIGNAL` is always added: an
/// `EPIPE` comes back as an error, never as `SIGPIPE`.
///
/// The control buffer lives on the stack; only more than ten extra destination addresses
/// make it allocate.
///
/// # Errors
///
/// `EAGAIN` (non-blocking, not enough send buffer for the whole message), `EMSGSIZE`
/// (message larger than `SO_SNDBUF`, or than the fragmentation point with
/// `SCTP_DISABLE_FRAGMENTS`), `EPIPE` (no association), `EINVAL` (stream out of range, bad
/// flags), `ESHUTDOWN`, ... `InvalidInput` if the control data is over
/// [`cmsg::SEND_CMSG_MAX`].
pub fn sendmsg(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    to: Option<&SocketAddr>,
    cmsgs: &SendCmsgs<'_>,
    flags: c_int,
) -> io::Result<usize> {
    let mut control_buf = CmsgBuffer::new();
    let control = cmsg::encode(cmsgs, &mut control_buf)?;
    let name = to.map(socket_addr_to_raw);

    // SAFETY: msghdr is a plain C struct; all-zero (null pointers, zero lengths) is valid.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    if let Some((storage, len)) = &name {
        msg.msg_name = (storage as *const libc::sockaddr_storage).cast_mut().cast();
        msg.msg_namelen = *len;
    }
    // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix.
    msg.msg_iov = bufs.as_ptr().cast_mut().cast();
    msg.msg_iovlen = bufs.len() as _;
    if !control.is_empty() {
        msg.msg_control = control.as_ptr().cast_mut().cast();
        msg.msg_controllen = control.len() as _;
    }
    // SAFETY: every pointer in `msg` refers to memory that outlives the call (`name`,
    // `bufs`, `control`), with the lengths given; sendmsg only reads through them.
    retry_size(|| unsafe { libc::sendmsg(fd.as_raw_fd(), &msg, flags | libc::MSG_NOSIGNAL) })
}

/// What [`recvmsg`] received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecvMsg {
    /// Bytes written into the buffers. (On a non-SCTP socket with `MSG_TRUNC` in the call's
    /// flags, the kernel reports the datagram's full length instead, which may be more.)
    pub len: usize,
    /// `msg_flags`: `MSG_NOTIFICATION`, `MSG_EOR`, `MSG_CTRUNC`, ...
    pub flags: c_int,
    /// The peer address (`msg_name`), when the kernel gave one in a form this crate reads.
    pub from: Option<SocketAddr>,
    /// The SCTP ancillary data.
    pub cmsgs: RecvCmsgs,
}

impl RecvMsg {
    /// True when the bytes are a notification (`union sctp_notification`), not user data.
    pub fn is_notification(&self) -> bool {
        self.flags & MSG_NOTIFICATION != 0
    }

    /// True when this read completed a message or notification (`MSG_EOR`); false when the
    /// buffer was too small and the rest follows in the next reads.
    pub fn is_eor(&self) -> bool {
        self.flags & libc::MSG_EOR != 0
    }

    /// True when the kernel cut the control data short (`MSG_CTRUNC`); `cmsgs` then holds what
    /// arrived whole.
    pub fn is_ctrunc(&self) -> bool {
        self.flags & libc::MSG_CTRUNC != 0
    }
}

/// Control buffer for receives, aligned for `struct cmsghdr`.
#[repr(C, align(8))]
struct RecvControl([u8; RECV_CMSG_SPACE]);

/// Receives one message, or the next part of one: `recvmsg(fd, {msg_iov = bufs}, flags)`.
///
/// One call returns at most one message or notification. If the buffers are too small the
/// kernel returns a prefix without `MSG_EOR` and keeps the rest for the next call (with the
/// same ancillary data again). The control buffer is a [`RECV_CMSG_SPACE`]-byte array on the
/// stack: nothing is allocated.
///
/// A one-to-many socket never reports end of file; a one-to-one socket returns `len` 0 once the
/// peer has shut down and everything was read.
///
/// # Errors
///
/// `EAGAIN` (non-blocking, nothing queued), `ENOTCONN`, ..., and `InvalidData` if control
/// data without `MSG_CTRUNC` does not parse (a kernel bug).
pub fn recvmsg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    flags: c_int,
) -> io::Result<RecvMsg> {
    // SAFETY: sockaddr_storage and msghdr are plain C structs; all zeroes is valid for both.
    let mut storage: libc::sockaddr_storage = unsafe { mem::zeroed() };
    let mut control = RecvControl([0; RECV_CMSG_SPACE]);
    // SAFETY: as above.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    let len = retry_size(|| {
        msg.msg_name = (&mut storage as *mut libc::sockaddr_storage).cast();
        msg.msg_namelen = size_of::<libc::sockaddr_storage>() as socklen_t;
        // IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix.
        msg.msg_iov = bufs.as_mut_ptr().cast();
        msg.msg_iovlen = bufs.len() as _;
        msg.msg_control = control.0.as_mut_ptr().cast();
        msg.msg_controllen = control.0.len() as _;
        msg.msg_flags = 0;
        // SAFETY: `msg` points at `storage`, `bufs` and `control`, all live and writable for
        // the lengths given; the kernel writes within them and updates the lengths in `msg`.
        unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, flags) }
    })?;

    let namelen = msg.msg_namelen;
    let from = if namelen == 0 {
        None
    } else {
        socket_addr_from_raw(&storage, namelen).ok()
    };
    let controllen = (msg.msg_controllen as usize).min(control.0.len());
    let control = &control.0[..controllen];
    let cmsgs = if msg.msg_flags & libc::MSG_CTRUNC != 0 {
        cmsg::decode_truncated(control)
    } else {
        cmsg::decode(control)?
    };
    Ok(RecvMsg {
        len,
        flags: msg.msg_flags,
        from,
        cmsgs,
    })
}

// ---------------------------------------------------------------------------------------
// sendmmsg / recvmmsg
// ---------------------------------------------------------------------------------------

/// Most messages one [`sendmmsg`] or [`recvmmsg`] call handles; longer inputs are cut to it.
///
/// The per-message headers, addresses and control buffers of a batch live on the stack of the
/// call (about 30 KiB at this size), so a batch never allocates.
pub const MMSG_MAX: usize = 64;

/// Control space of one message of a [`sendmmsg`] batch: every fixed SCTP send message at once
/// (INIT, SNDRCV, SNDINFO, PRINFO, AUTHINFO). Destination-address lists do not fit.
const MMSG_SEND_CONTROL: usize = cmsg::cmsg_space(size_of::<crate::sctp_initmsg>())
    + cmsg::cmsg_space(size_of::<crate::sctp_sndrcvinfo>())
    + cmsg::cmsg_space(size_of::<crate::sctp_sndinfo>())
    + cmsg::cmsg_space(size_of::<crate::sctp_prinfo>())
    + cmsg::cmsg_space(size_of::<crate::sctp_authinfo>());

/// One message of a [`sendmmsg`] batch.
#[derive(Clone, Copy, Debug, Default)]
pub struct MmsgSend<'a> {
    /// The whole message.
    pub data: &'a [u8],
    /// `msg_name`: needed on one-to-many sockets unless `cmsgs` names the association.
    pub to: Option<&'a SocketAddr>,
    /// The ancillary data of this message (`dstaddrs` must be empty: see [`sendmmsg`]).
    pub cmsgs: SendCmsgs<'a>,
}

/// A send control buffer of one batch entry, aligned for `struct cmsghdr`.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct SendControl([u8; MMSG_SEND_CONTROL]);

/// Sends up to [`MMSG_MAX`] messages in one system call: `sendmmsg(fd, msgvec, vlen, flags |
/// MSG_NOSIGNAL)`, each message with its own name and control data.
///
/// Returns how many messages, from the front, the kernel took. SCTP sends are
/// all-or-nothing per message, so the count is exact. It is less than the number given when a
/// later message would block (non-blocking socket, send buffer full) or failed: the kernel
/// reports a failure only when it is the first message's, so send the rest again to learn
/// the error. Messages past [`MMSG_MAX`] are not looked at.
///
/// Every entry's control data is encoded into a fixed slot on the stack before the call;
/// nothing is allocated. `EINTR` (only possible before the first message went) is retried.
///
/// # Errors
///
/// `InvalidInput` before any syscall when an entry has `dstaddrs` (not supported in batches:
/// use [`sendmsg`]); otherwise the first message's
/// error, as for [`sendmsg`] (`EAGAIN`, `EPIPE`, `EINVAL`, ...).
pub fn sendmmsg<'a>(
    fd: BorrowedFd<'_>,
    msgs: impl IntoIterator<Item = MmsgSend<'a>>,
    flags: c_int,
) -> io::Result<usize> {
    use std::mem::MaybeUninit;
    let mut hdrs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; MMSG_MAX];
    let mut iovs = [const { MaybeUninit::<libc::iovec>::uninit() }; MMSG_MAX];
    let mut names = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; MMSG_MAX];
    let mut controls = [SendControl([0; MMSG_SEND_CONTROL]); MMSG_MAX];
    let mut scratch = CmsgBuffer::new();
    let mut n = 0;
    for m in msgs.into_iter().take(MMSG_MAX) {
        if !m.cmsgs.dstaddrs.is_empty() || m.cmsgs.space() > MMSG_SEND_CONTROL {
            return Err(einval(
                "sendmmsg: dstaddrs is not supported in batches (use sendmsg)",
            ));
        }
        let control = cmsg::encode(&m.cmsgs, &mut scratch)?;
        let clen = control.len();
        controls[n].0[..clen].copy_from_slice(control);
        let iov = iovs[n].write(libc::iovec {
            iov_base: m.data.as_ptr().cast_mut().cast(),
            iov_len: m.data.len(),
        });
        // SAFETY: msghdr is a plain C struct; all-zero (null pointers, zero lengths) is valid.
        let mut hdr: libc::msghdr = unsafe { mem::zeroed() };
        if let Some(to) = m.to {
            let (storage, len) = socket_addr_to_raw(to);
            let storage = names[n].write(storage);
            hdr.msg_name = (storage as *mut libc::sockaddr_storage).cast();
            hdr.msg_namelen = len;
        }
        hdr.msg_iov = iov;
        hdr.msg_iovlen = 1;
        if clen > 0 {
            hdr.msg_control = controls[n].0.as_mut_ptr().cast();
            hdr.msg_controllen = clen as _;
        }
        hdrs[n].write(libc::mmsghdr {
            msg_hdr: hdr,
            msg_len: 0,
        });
        n += 1;
    }
    if n == 0 {
        return Ok(0);
    }
    let vec = hdrs.as_mut_ptr().cast::<libc::mmsghdr>();
    // SAFETY: the first `n` headers are initialised; each points at an iovec, a name and a
    // control buffer of this frame (or at the caller's message bytes, borrowed for `'a`), all
    // live for the call with the lengths given. The kernel only reads through them and writes
    // `msg_len` of the headers.
    let sent = retry(|| unsafe {
        libc::sendmmsg(fd.as_raw_fd(), vec, n as c_uint, flags | libc::MSG_NOSIGNAL)
    })?;
    Ok(sent as usize)
}

/// Control buffer for one received message, aligned for `struct cmsghdr`.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct RecvControlSlot([mem::MaybeUninit<u8>; RECV_CMSG_SPACE]);

/// Receives up to [`MMSG_MAX`] messages (or message pieces, or notifications) in one system
/// call: `recvmmsg(fd, msgvec, vlen, flags, NULL)`, entry `i` into `bufs[i]` with its result in
/// `out[i]`.
///
/// Returns how many entries the kernel filled (at least one). On SCTP each entry is what one
/// [`recvmsg`] would return: at most one message or notification, with its own flags
/// (`MSG_EOR`, `MSG_NOTIFICATION`, `MSG_CTRUNC`) and ancillary data (`SCTP_RCVINFO`,
/// `SCTP_NXTINFO`, ...). A message larger than its entry's buffer comes back as a prefix
/// without `MSG_EOR`, and the next entry (or the next call) continues it. On a non-blocking
/// socket the call stops at the first entry that would block; a one-to-one socket at EOF
/// fills every entry with a zero-length result without flags.
///
/// The control buffers ([`RECV_CMSG_SPACE`] per entry) live on the stack: nothing is
/// allocated. The number of entries is the smallest of `bufs.len()`, `out.len()` and
/// [`MMSG_MAX`]. `EINTR` is retried.
///
/// # Errors
///
/// The error of the first entry (`EAGAIN`, `ENOTCONN`, ...), or `InvalidData` if an entry's
/// control data without `MSG_CTRUNC` does not parse. An error after the first entry is kept
/// by the kernel for the next receive on the socket.
pub fn recvmmsg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    out: &mut [RecvMsg],
    flags: c_int,
) -> io::Result<usize> {
    let n = bufs.len().min(out.len()).min(MMSG_MAX);
    // SAFETY: IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix, and each
    // one covers writable memory borrowed mutably for the whole call.
    let iovs = unsafe { std::slice::from_raw_parts(bufs.as_mut_ptr().cast::<libc::iovec>(), n) };
    // SAFETY: as above: every iovec points to writable memory of its length.
    unsafe { recvmmsg_raw(fd, iovs, &mut out[..n], flags, true) }
}

/// [`recvmmsg`] over raw `iovec`s, one per entry, which may point to uninitialised memory
/// (the spare capacity of a buffer). With `names` false no `msg_name` is asked for and every
/// `from` is `None` (cheaper: the association id in `SCTP_RCVINFO` names the sender).
///
/// # Safety
///
/// Every `iovec` must point to memory writable for `iov_len` bytes for the duration of the
/// call, and not otherwise borrowed. After an `Ok(count)`, the first
/// `min(out[i].len, iovs[i].iov_len)` bytes behind `iovs[i]` (for `i < count`) are
/// initialised. Clamp before relying on it: SCTP never reports more than it copied, but on
/// other sockets `MSG_TRUNC` in `flags` makes `out[i].len` the full datagram length.
///
/// # Errors
///
/// As [`recvmmsg`].
pub unsafe fn recvmmsg_raw(
    fd: BorrowedFd<'_>,
    iovs: &[libc::iovec],
    out: &mut [RecvMsg],
    flags: c_int,
    names: bool,
) -> io::Result<usize> {
    use std::mem::MaybeUninit;
    let n = iovs.len().min(out.len()).min(MMSG_MAX);
    if n == 0 {
        return Ok(0);
    }
    let mut hdrs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; MMSG_MAX];
    let mut storage = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; MMSG_MAX];
    let mut controls = [RecvControlSlot([MaybeUninit::uninit(); RECV_CMSG_SPACE]); MMSG_MAX];
    // The kernel counts each message's CMSG_SPACE in `msg_controllen` but writes only its
    // CMSG_LEN: the alignment padding after a payload (4 bytes after SCTP_RCVINFO's 28) is
    // left as it was. Zero the slots in use so that every byte `msg_controllen` covers is
    // initialised when it is read as `&[u8]` below.
    for slot in &mut controls[..n] {
        slot.0.fill(MaybeUninit::new(0));
    }
    let count = retry(|| {
        for i in 0..n {
            // SAFETY: msghdr is a plain C struct; all-zero (null pointers, zero lengths) is
            // valid.
            let mut hdr: libc::msghdr = unsafe { mem::zeroed() };
            if names {
                // SAFETY: sockaddr_storage is a plain C struct; all-zero is valid. Zeroed so
                // that the bytes past what the kernel writes are initialised too.
                let st = storage[i].write(unsafe { mem::zeroed() });
                hdr.msg_name = (st as *mut libc::sockaddr_storage).cast();
                hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as socklen_t;
            }
            hdr.msg_iov = (&iovs[i] as *const libc::iovec).cast_mut();
            hdr.msg_iovlen = 1;
            hdr.msg_control = controls[i].0.as_mut_ptr().cast();
            hdr.msg_controllen = RECV_CMSG_SPACE as _;
            hdrs[i].write(libc::mmsghdr {
                msg_hdr: hdr,
                msg_len: 0,
            });
        }
        // SAFETY: the first `n` headers are initialised and point at names and control
        // buffers of this frame and at the caller's iovecs (which the caller guarantees point
        // to writable memory); the kernel writes within the lengths given and updates the
        // lengths and flags in the headers. It does not write through `msg_iov` itself.
        unsafe {
            libc::recvmmsg(
                fd.as_raw_fd(),
                hdrs.as_mut_ptr().cast(),
                n as c_uint,
                flags,
                std::ptr::null_mut(),
            )
        }
    })? as usize;
    for (i, slot) in out.iter_mut().enumerate().take(count.min(n)) {
        // SAFETY: the kernel filled the first `count` headers (initialised above anyway).
        let hdr = unsafe { hdrs[i].assume_init_ref() };
        let msg = &hdr.msg_hdr;
        let from = if names && msg.msg_namelen > 0 {
            // SAFETY: initialised (zeroed) before the call whenever `names` is set; the kernel
            // wrote the address over it.
            let st = unsafe { storage[i].assume_init_ref() };
            socket_addr_from_raw(st, msg.msg_namelen).ok()
        } else {
            None
        };
        // `size_t` on glibc, `socklen_t` elsewhere.
        #[allow(clippy::unnecessary_cast)]
        let controllen = (msg.msg_controllen as usize).min(RECV_CMSG_SPACE);
        // SAFETY: the first `n` slots were zeroed before the call and the kernel wrote only
        // initialised bytes into them, so the first `controllen <= RECV_CMSG_SPACE` bytes of
        // this one (`i < count <= n`) are initialised, padding included.
        let control =
            unsafe { std::slice::from_raw_parts(controls[i].0.as_ptr().cast::<u8>(), controllen) };
        let cmsgs = if msg.msg_flags & libc::MSG_CTRUNC != 0 {
            cmsg::decode_truncated(control)
        } else {
            cmsg::decode(control)?
        };
        *slot = RecvMsg {
            len: hdr.msg_len as usize,
            flags: msg.msg_flags,
            from,
            cmsgs,
        };
    }
    Ok(count.min(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addr::pack_addrs;

    #[test]
    fn other_levels_are_refused_before_the_syscall() {
        // A descriptor that is not even a socket: a refusal that reached the kernel would be
        // ENOTSOCK, so InvalidInput without an errno proves nothing was called.
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsFd::as_fd(&file);
        for level in [
            libc::SOL_IP,
            libc::SOL_IPV6,
            libc::SOL_TCP,
            283, /* SOL_XDP */
        ] {
            let errs = [
                getsockopt::<c_int>(fd, level, 1).unwrap_err(),
                getsockopt_bytes(fd, level, 1, &mut [0; 8]).unwrap_err(),
                setsockopt(fd, level, 1, &1i32).unwrap_err(),
                setsockopt_bytes(fd, level, 1, &[0; 4]).unwrap_err(),
            ];
            for e in errs {
                assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "level {level}: {e}");
                assert_eq!(e.raw_os_error(), None);
            }
        }
        // The two allowed levels do reach the kernel.
        let e = getsockopt::<c_int>(fd, SOL_SCTP, crate::SCTP_NODELAY).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        let e = getsockopt::<c_int>(fd, libc::SOL_SOCKET, libc::SO_TYPE).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }

    #[test]
    fn connectx_outcome_by_errno() {
        let err = |errno| Err(io::Error::from_raw_os_error(errno));
        let done = |assoc_id, in_progress| Connectx {
            assoc_id,
            in_progress,
        };
        assert_eq!(connectx_outcome(Ok(7), 9).unwrap().unwrap(), done(7, false));
        assert_eq!(
            connectx_outcome(err(libc::EINPROGRESS), 9)
                .unwrap()
                .unwrap(),
            done(9, true)
        );
        assert!(connectx_outcome(err(libc::ENOPROTOOPT), 9).is_none());
        let e = connectx_outcome(err(libc::EISCONN), 9)
            .unwrap()
            .unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EISCONN));
    }

    fn getaddrs_buf(addrs: &[SocketAddr], claimed: u32) -> Vec<u8> {
        let mut b = vec![0u8; 8];
        b[4..8].copy_from_slice(&claimed.to_ne_bytes());
        b.extend_from_slice(&pack_addrs(addrs));
        b.resize(4096, 0);
        b
    }

    #[test]
    fn getaddrs_lengths_peer_and_local() {
        let addrs: Vec<SocketAddr> = vec![
            "127.0.0.1:5".parse().unwrap(),
            "[::1]:5".parse().unwrap(),
            "[::ffff:127.0.0.2]:5".parse().unwrap(),
        ];
        let list = 16 + 28 + 28;
        let buf = getaddrs_buf(&addrs, 3);
        // Peer: optlen includes the header.
        assert_eq!(parse_getaddrs(&buf, 8 + list, false).unwrap(), addrs);
        // Local: optlen is the list only.
        assert_eq!(parse_getaddrs(&buf, list, true).unwrap(), addrs);
        // Confusing the two conventions cuts the list short: an error, not a short list.
        assert!(parse_getaddrs(&buf, list, false).is_err());
        // addr_num larger than what was written.
        let buf = getaddrs_buf(&addrs, 4);
        let err = parse_getaddrs(&buf, 8 + list, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        // Zero addresses.
        assert_eq!(
            parse_getaddrs(&getaddrs_buf(&[], 0), 8, false).unwrap(),
            vec![]
        );
        // Garbage sizes never panic.
        for optlen in [0, 3, 7, 9, 100_000, usize::MAX] {
            let _ = parse_getaddrs(&buf, optlen, false);
            let _ = parse_getaddrs(&buf, optlen, true);
            let _ = parse_getaddrs(&buf[..optlen.min(6)], optlen, true);
        }
    }

    #[test]
    fn bindx_rejects_bad_flags_before_any_syscall() {
        // An fd that is not a socket: if the flag check did not come first, we would get
        // ENOTSOCK from the kernel instead.
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsFd::as_fd(&file);
        let a: SocketAddr = "127.0.0.1:0".parse().unwrap();
        for flags in [0, 3, -1, SCTP_BINDX_ADD_ADDR | 4] {
            let e = bindx(fd, &[a], flags).unwrap_err();
            assert_eq!(e.raw_os_error(), Some(libc::EINVAL), "flags {flags}");
        }
        let e = bindx(fd, &[], SCTP_BINDX_ADD_ADDR).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
        let e = bindx(fd, &[a], SCTP_BINDX_ADD_ADDR).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }

    #[test]
    fn recvmsg_flag_helpers() {
        let m = RecvMsg {
            len: 1,
            flags: MSG_NOTIFICATION | libc::MSG_EOR,
            from: None,
            cmsgs: RecvCmsgs::default(),
        };
        assert!(m.is_notification() && m.is_eor() && !m.is_ctrunc());
        let m = RecvMsg {
            flags: libc::MSG_CTRUNC,
            ..m
        };
        assert!(!m.is_notification() && !m.is_eor() && m.is_ctrunc());
    }

    #[test]
    fn batches_check_their_input_before_any_syscall() {
        // Not a socket: anything that reached the kernel would fail with ENOTSOCK.
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsFd::as_fd(&file);
        assert_eq!(
            sendmmsg(fd, [], 0).unwrap(),
            0,
            "nothing to send: no syscall"
        );
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let addrs = [a];
        let with_addrs = MmsgSend {
            data: b"x",
            to: None,
            cmsgs: SendCmsgs {
                dstaddrs: &addrs,
                ..SendCmsgs::default()
            },
        };
        let plain = MmsgSend {
            data: b"x",
            ..MmsgSend::default()
        };
        let e = sendmmsg(fd, [plain, with_addrs], 0).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let e = sendmmsg(fd, [plain], 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        // Every fixed message at once fits an entry's slot.
        let full = MmsgSend {
            cmsgs: SendCmsgs {
                init: Some(Default::default()),
                sndrcv: Some(Default::default()),
                sndinfo: Some(Default::default()),
                prinfo: Some(Default::default()),
                authinfo: Some(Default::default()),
                dstaddrs: &[],
            },
            ..plain
        };
        let e = sendmmsg(fd, [full; 70], 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));

        let mut b = [0u8; 4];
        let blank = RecvMsg {
            len: 0,
            flags: 0,
            from: None,
            cmsgs: RecvCmsgs::default(),
        };
        let mut out = [blank; 2];
        assert_eq!(recvmmsg(fd, &mut [], &mut out, 0).unwrap(), 0);
        let e = recvmmsg(fd, &mut [IoSliceMut::new(&mut b)], &mut out, 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }
}
