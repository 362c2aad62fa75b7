//! Associations and their addresses: `sctp_bindx`, `sctp_connectx`, `sctp_peeloff`,
//! `sctp_getpaddrs`/`sctp_getladdrs`.

use std::io;
use std::mem::size_of;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use libc::{c_int, c_uint, socklen_t};

use super::einval;
use super::sockopt::raw_getsockopt;
use crate::addr::{pack_addrs, unpack_addrs};
use crate::sockopt;
use crate::{
    read_prefix, sctp_assoc_t, sctp_getaddrs, sctp_getaddrs_old, sctp_peeloff_arg_t,
    sctp_peeloff_flags_arg_t, Pod, SCTP_BINDX_ADD_ADDR, SCTP_BINDX_REM_ADDR, SCTP_SOCKOPT_CONNECTX,
    SCTP_SOCKOPT_CONNECTX3, SCTP_SOCKOPT_CONNECTX_OLD, SCTP_SOCKOPT_PEELOFF,
    SCTP_SOCKOPT_PEELOFF_FLAGS, SOL_SCTP,
};

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
    if flags != SCTP_BINDX_ADD_ADDR && flags != SCTP_BINDX_REM_ADDR || addrs.is_empty() {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    let packed = pack_addrs(addrs);
    if flags == SCTP_BINDX_ADD_ADDR {
        sockopt::set_bytes(fd, sockopt::SCTP_SOCKOPT_BINDX_ADD, &packed)
    } else {
        sockopt::set_bytes(fd, sockopt::SCTP_SOCKOPT_BINDX_REM, &packed)
    }
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

/// The peeloff getsockopt: `opt` is `SCTP_SOCKOPT_PEELOFF` with a `sctp_peeloff_arg_t` or
/// `SCTP_SOCKOPT_PEELOFF_FLAGS` with a `sctp_peeloff_flags_arg_t`; returns the new descriptor
/// number (to own once, with [`own_peeled`]).
fn peeloff_call<T: Pod>(fd: BorrowedFd<'_>, opt: c_int, arg: &mut T) -> io::Result<c_int> {
    // SAFETY: `arg` is a live, writable `T` of the length given; for the two peeloff options
    // the kernel reads the association id (and flags) from it and writes the new descriptor
    // into it, nothing else.
    let (rc, _) = unsafe {
        raw_getsockopt(
            fd,
            SOL_SCTP,
            opt,
            (arg as *mut T).cast(),
            size_of::<T>() as socklen_t,
        )?
    };
    Ok(rc)
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
    let rc = peeloff_call(fd, SCTP_SOCKOPT_PEELOFF, &mut arg)?;
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
    let rc = peeloff_call(fd, SCTP_SOCKOPT_PEELOFF_FLAGS, &mut arg)?;
    Ok(own_peeled(rc, arg.p_arg.sd))
}

// ---------------------------------------------------------------------------------------
// getpaddrs / getladdrs
// ---------------------------------------------------------------------------------------

/// First buffer size for the address lists.
const ADDRS_START: usize = 4096;
/// Largest buffer tried before giving up with `ENOBUFS` (room for over 9000 IPv6 addresses).
const ADDRS_MAX: usize = 256 * 1024;
/// `sizeof(struct sctp_getaddrs)`: `assoc_id` and `addr_num`, then the list.
const GETADDRS_HDR: usize = size_of::<sctp_getaddrs>();

fn getaddrs(
    fd: BorrowedFd<'_>,
    local: bool,
    assoc_id: sctp_assoc_t,
) -> io::Result<Vec<SocketAddr>> {
    let mut size = ADDRS_START;
    loop {
        let mut buf = vec![0u8; size];
        buf[..size_of::<sctp_assoc_t>()].copy_from_slice(&assoc_id.to_ne_bytes());
        let got = if local {
            sockopt::get_bytes(fd, sockopt::SCTP_GET_LOCAL_ADDRS, &mut buf)
        } else {
            sockopt::get_bytes(fd, sockopt::SCTP_GET_PEER_ADDRS, &mut buf)
        };
        match got {
            Ok(optlen) => return parse_getaddrs(&buf, optlen, local),
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
    let Some(hdr) = read_prefix::<sctp_getaddrs>(buf) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "short sctp_getaddrs",
        ));
    };
    let addr_num = hdr.addr_num as usize;
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
    getaddrs(fd, false, assoc_id)
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
    getaddrs(fd, true, assoc_id)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
