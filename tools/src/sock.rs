//! The tools' sockets: blocking SCTP sockets made and driven as the C tools drive theirs,
//! through `linux-sctp-sys` (socket, bindx, connectx, sendmsg/recvmsg with SCTP ancillary
//! data, getpaddrs) and `socket2` (bind, listen, accept, buffer sizes, linger), with
//! tokio-linux-sctp's subscriptions and typed options.

use std::io::{self, IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::{ops, sctp_assoc_t, sctp_sndrcvinfo, sockopt};
use socket2::{SockRef, Socket};
use tokio_linux_sctp::notification::{EventType, Notification, Subscriptions};
use tokio_linux_sctp::opts::{InitParams, SctpStatus, SocketOptions};

/// How much one receive offers, as the C tools' `REALLY_BIG` buffer.
pub const RECV_SIZE: usize = 65536;

/// The kind of SCTP socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// One-to-one, `SOCK_STREAM` (the tools' `-T` / `-t`).
    OneToOne,
    /// One-to-many, `SOCK_SEQPACKET` (the tools' default).
    OneToMany,
}

impl Style {
    /// The socket type.
    pub fn socket_type(self) -> i32 {
        match self {
            Style::OneToOne => libc::SOCK_STREAM,
            Style::OneToMany => libc::SOCK_SEQPACKET,
        }
    }

    /// `"SOCK_STREAM"` or `"SOCK_SEQPACKET"`, as sctp_test prints it.
    pub fn name(self) -> &'static str {
        match self {
            Style::OneToOne => "SOCK_STREAM",
            Style::OneToMany => "SOCK_SEQPACKET",
        }
    }
}

/// A blocking SCTP socket of `style` for addresses like `addr`.
///
/// # Errors
///
/// `EPROTONOSUPPORT` when the kernel has no SCTP, and `socket(2)`'s other errors.
pub fn open(addr: &SocketAddr, style: Style) -> io::Result<Socket> {
    let domain = crate::addr::family(addr);
    let fd: OwnedFd = ops::socket(domain, style.socket_type() | libc::SOCK_CLOEXEC)?;
    Ok(Socket::from(fd))
}

/// Subscribes with the legacy `SCTP_EVENTS` option, as the C tools do: `SCTP_SNDRCV` on every
/// data message, and association changes.
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub fn subscribe_data_io_and_assoc(fd: BorrowedFd<'_>) -> io::Result<()> {
    let subs = Subscriptions::empty()
        .with(EventType::DataIo)
        .with(EventType::AssocChange);
    let raw = subs.to_sctp_event_subscribe();
    let bytes = event_subscribe_bytes(&raw);
    // SAFETY: SCTP_EVENTS only reads its buffer (`bytes`, live for the call). The raw call,
    // because this writes the prefix a kernel older than the struct accepts, which the typed
    // row (the whole struct) cannot.
    unsafe {
        ops::setsockopt_bytes(
            fd,
            linux_sctp_sys::SOL_SCTP,
            linux_sctp_sys::SCTP_EVENTS,
            &bytes[..subs.sctp_events_len()],
        )
    }
}

/// The bytes of a `struct sctp_event_subscribe` (one byte per event, in field order).
fn event_subscribe_bytes(s: &linux_sctp_sys::sctp_event_subscribe) -> [u8; 14] {
    [
        s.sctp_data_io_event,
        s.sctp_association_event,
        s.sctp_address_event,
        s.sctp_send_failure_event,
        s.sctp_peer_error_event,
        s.sctp_shutdown_event,
        s.sctp_partial_delivery_event,
        s.sctp_adaptation_layer_event,
        s.sctp_authentication_event,
        s.sctp_sender_dry_event,
        s.sctp_stream_reset_event,
        s.sctp_assoc_reset_event,
        s.sctp_stream_change_event,
        s.sctp_send_failure_event_event,
    ]
}

/// `setsockopt(SCTP_INITMSG)` with these stream counts and attempts (0 keeps a default).
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub fn set_init(
    fd: BorrowedFd<'_>,
    ostreams: u16,
    instreams: u16,
    attempts: u16,
) -> io::Result<()> {
    let init = InitParams::new()
        .streams(ostreams, instreams)
        .max_attempts(attempts);
    Ok(SocketOptions::new(fd, 0).set_init_msg(&init)?)
}

/// `sctp_bindx` on `fd`.
///
/// # Errors
///
/// The kernel's error.
pub fn bindx(fd: BorrowedFd<'_>, addrs: &[SocketAddr], add: bool) -> io::Result<()> {
    let flag = if add {
        linux_sctp_sys::SCTP_BINDX_ADD_ADDR
    } else {
        linux_sctp_sys::SCTP_BINDX_REM_ADDR
    };
    ops::bindx(fd, addrs, flag)
}

/// `sctp_connectx` on a blocking socket: returns the association id once it is up.
///
/// # Errors
///
/// `ECONNREFUSED`, `ETIMEDOUT`, `EINVAL`, ...
pub fn connectx(fd: BorrowedFd<'_>, addrs: &[SocketAddr]) -> io::Result<sctp_assoc_t> {
    Ok(ops::connectx(fd, addrs)?.assoc_id)
}

/// The peer addresses of an association (`sctp_getpaddrs`).
///
/// # Errors
///
/// The kernel's error (`EINVAL` for an unknown association).
pub fn peer_addrs(fd: BorrowedFd<'_>, assoc: sctp_assoc_t) -> io::Result<Vec<SocketAddr>> {
    ops::getpaddrs(fd, assoc)
}

/// `sendmsg(2)` of `data` to `to` (or the connected peer) with an `SCTP_SNDRCV` control
/// message when `sndrcv` is given. No `SIGPIPE`: a dead association is an `EPIPE` error.
///
/// # Errors
///
/// The kernel's error.
pub fn send(
    fd: BorrowedFd<'_>,
    data: &[u8],
    to: Option<&SocketAddr>,
    sndrcv: Option<sctp_sndrcvinfo>,
    flags: i32,
) -> io::Result<usize> {
    let cmsgs = SendCmsgs {
        sndrcv,
        ..SendCmsgs::default()
    };
    ops::sendmsg(fd, &[IoSlice::new(data)], to, &cmsgs, flags)
}

/// What one `recvmsg(2)` returned.
#[derive(Clone, Copy, Debug)]
pub struct Received {
    /// Bytes received (the start of the buffer).
    pub len: usize,
    /// `msg_flags`.
    pub flags: i32,
    /// The sender's address, if the kernel gave one.
    pub from: Option<SocketAddr>,
    /// The `SCTP_SNDRCV` control message, if one came.
    pub sndrcv: Option<sctp_sndrcvinfo>,
}

impl Received {
    /// Whether these bytes are a notification.
    pub fn is_notification(&self) -> bool {
        self.flags & linux_sctp_sys::MSG_NOTIFICATION != 0
    }
}

/// One `recvmsg(2)` into `buf`.
///
/// # Errors
///
/// The kernel's error (`EAGAIN` on a non-blocking socket with nothing queued, `ENOTCONN`...).
pub fn recv(fd: BorrowedFd<'_>, buf: &mut [u8], flags: i32) -> io::Result<Received> {
    let r = ops::recvmsg(fd, &mut [IoSliceMut::new(buf)], flags)?;
    Ok(Received {
        len: r.len,
        flags: r.flags,
        from: r.from,
        sndrcv: r.cmsgs.sndrcv,
    })
}

/// Parses the notification in `bytes`, if it is one the tools know; `None` for a truncated
/// or malformed one.
pub fn notification(bytes: &[u8]) -> Option<Notification> {
    Notification::parse(bytes).ok()
}

/// The raw `sn_type` of the notification in `bytes` (0 if too short).
pub fn sn_type(bytes: &[u8]) -> u16 {
    match bytes {
        [a, b, ..] => u16::from_ne_bytes([*a, *b]),
        _ => 0,
    }
}

/// `getsockopt(SCTP_STATUS)` for `assoc` (0: the one-to-one socket's association).
///
/// # Errors
///
/// `EINVAL` when there is no such association.
pub fn status(fd: BorrowedFd<'_>, assoc: sctp_assoc_t) -> io::Result<SctpStatus> {
    Ok(SocketOptions::new(fd, assoc).status()?)
}

/// The C tools' `test_sk_for_assoc`: whether `SCTP_STATUS` finds association `assoc`.
pub fn has_assoc(fd: BorrowedFd<'_>, assoc: sctp_assoc_t) -> bool {
    status(fd, assoc).is_ok()
}

/// `SO_SNDBUF` / `SO_RCVBUF` as the kernel reports them (`int`, doubled by the kernel).
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub fn buffer_size(fd: BorrowedFd<'_>, send: bool) -> io::Result<i32> {
    if send {
        sockopt::get(fd, sockopt::SO_SNDBUF)
    } else {
        sockopt::get(fd, sockopt::SO_RCVBUF)
    }
}

/// Sets `SO_SNDBUF` / `SO_RCVBUF` to a C `int` as given (negative values as the kernel
/// takes them).
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub fn set_buffer_size(fd: BorrowedFd<'_>, send: bool, size: i32) -> io::Result<()> {
    if send {
        sockopt::set(fd, sockopt::SO_SNDBUF, &size)
    } else {
        sockopt::set(fd, sockopt::SO_RCVBUF, &size)
    }
}

/// `SockRef` for a borrowed descriptor, for socket2's calls.
pub fn sock_ref(fd: &impl AsFd) -> SockRef<'_> {
    SockRef::from(fd)
}

/// An on-demand heartbeat for association `assoc` without naming a path: `SCTP_PEER_ADDR_PARAMS`
/// with `SPP_HB_DEMAND` and a wildcard address (what sctp_darn's `heartbeat` sends; the
/// kernel accepts it and sends nothing).
///
/// # Errors
///
/// The kernel's error (`EINVAL` without an association).
// `sctp_paddrparams` is a packed struct behind a wrapper: no struct literal, fields are set
// one by one.
#[allow(clippy::field_reassign_with_default)]
pub fn heartbeat_all(fd: BorrowedFd<'_>, assoc: sctp_assoc_t) -> io::Result<()> {
    let mut p = linux_sctp_sys::sctp_paddrparams::default();
    p.spp_assoc_id = assoc;
    p.spp_flags = linux_sctp_sys::SPP_HB_DEMAND;
    sockopt::set(fd, sockopt::SCTP_PEER_ADDR_PARAMS, &p)
}
