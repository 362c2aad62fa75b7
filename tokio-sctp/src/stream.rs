//! [`SctpStream`]: one SCTP association on a one-to-one socket.

use std::fmt;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use linux_sctp_sys::{ops, sctp_assoc_t, sctp_status};
use socket2::SockRef;

use crate::engine::{Config, Core, EndCause, Outgoing, Streams, Style};
use crate::error::Result;
use crate::events::SctpEvents;
use crate::message::{RecvInfo, RecvPiece, SendInfo};
use crate::opts::SocketOptions;
use crate::sender::StreamSender;
use crate::SctpSocket;

/// One SCTP association on a one-to-one socket: messages with a stream id and a PPID, in both
/// directions.
///
/// Get one from [`SctpStream::connect`], [`SctpSocket::connect`],
/// [`SctpListener::accept`](crate::SctpListener::accept) or
/// [`SctpEndpoint::peeloff`](crate::SctpEndpoint::peeloff).
///
/// Every method takes `&self`: share a stream between tasks with an `Arc` (it is `Send` and
/// `Sync`), or hand out [`StreamSender`]s and an [`SctpEvents`]. Sends from several tasks go
/// out as whole messages; receives from several tasks each get whole messages.
///
/// # Messages
///
/// [`send`](Self::send) is one `sendmsg(2)` per message (SCTP sends are all-or-nothing; a
/// message larger than `SO_SNDBUF` fails with `EMSGSIZE`). [`recv`](Self::recv) returns one
/// whole message, reassembled when the kernel hands it over in pieces, up to the configured
/// [maximum size](SctpSocket::set_max_message_size). Notifications never come out of `recv`:
/// they go to [`events`](Self::events).
///
/// # End of the association
///
/// Once the association is over (graceful shutdown, ABORT, loss) every later `send` and
/// `recv`, from any task, fails with [`ErrorKind::AssociationEnded`] and the notification that
/// ended it, after the data that arrived before the end has been received.
///
/// [`ErrorKind::AssociationEnded`]: crate::error::ErrorKind::AssociationEnded
pub struct SctpStream {
    core: Arc<Core>,
}

/// Closes the half-open socket with an ABORT if a connect is cancelled.
struct AbortOnDrop<'a>(Option<&'a Core>);

impl Drop for AbortOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(core) = self.0 {
            // SO_LINGER {on, 0}: close(2) sends ABORT instead of a graceful SHUTDOWN, so the
            // peer (and our kernel) forget the half-open association at once.
            let _ = SockRef::from(&core.fd()).set_linger(Some(Duration::ZERO));
        }
    }
}

impl SctpStream {
    /// Connects to `addr` with a new socket of the matching family and default options.
    ///
    /// For options (streams, buffer sizes, nodelay, a local bind) use [`SctpSocket`].
    ///
    /// # Cancel safety
    ///
    /// Dropping the future aborts the handshake (see [`SctpSocket::connect`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SctpUnavailable`](crate::error::ErrorKind::SctpUnavailable) without kernel
    /// SCTP, or the kernel's reason the association did not come up (`ECONNREFUSED`,
    /// `ETIMEDOUT`, ...).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use tokio_linux_sctp::{message::SendInfo, SctpStream};
    ///
    /// # async fn f() -> tokio_linux_sctp::error::Result<()> {
    /// let stream = SctpStream::connect("127.0.0.1:3868".parse().unwrap()).await?;
    /// stream.send(b"hello", &SendInfo::new().stream(0).ppid(46)).await?;
    /// let (reply, info) = stream.recv().await?;
    /// println!("{} bytes on stream {}", reply.len(), info.stream);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(addr: SocketAddr) -> Result<SctpStream> {
        SctpSocket::for_addr(&addr)?.connect(addr).await
    }

    /// [`connect`](Self::connect) that gives up after `timeout`: if the association is not
    /// up by then, the handshake is aborted (the half-open socket is closed with an ABORT, so
    /// no more INITs go out) and the call fails with `ETIMEDOUT`
    /// ([`io::ErrorKind::TimedOut`](std::io::ErrorKind::TimedOut)). See
    /// [`SctpSocket::set_connect_timeout`].
    ///
    /// # Panics
    ///
    /// If the tokio runtime has no time driver (`enable_time`).
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect), plus `ETIMEDOUT` when the time runs out.
    pub async fn connect_timeout(addr: SocketAddr, timeout: Duration) -> Result<SctpStream> {
        let mut socket = SctpSocket::for_addr(&addr)?;
        socket.set_connect_timeout(Some(timeout));
        socket.connect(addr).await
    }

    /// Connects to a multihomed peer through several of its addresses (`sctp_connectx`; all
    /// with the same port), with a new socket of the family of the first address.
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](Self::connect).
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect); `EINVAL` for an empty list or different ports.
    #[doc(alias = "sctp_connectx")]
    pub async fn connect_multi(addrs: &[SocketAddr]) -> Result<SctpStream> {
        let first = addrs
            .first()
            .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EINVAL))?;
        SctpSocket::for_addr(first)?.connectx(addrs).await
    }

    /// Connects `fd` (configured, non-blocking, one-to-one) and waits for `COMM_UP`.
    pub(crate) async fn establish(
        fd: OwnedFd,
        config: Config,
        addrs: &[SocketAddr],
    ) -> Result<SctpStream> {
        let core = Arc::new(Core::new(fd, Style::OneToOne, config)?);
        // Off until COMM_UP, so that a failure's errno survives for SO_ERROR (see
        // `Core::set_recv_nxtinfo`).
        core.set_recv_nxtinfo(false)?;
        let cx = ops::connectx(core.fd(), addrs)?;
        let mut guard = AbortOnDrop(Some(&core));
        // Out of time: the guard stays armed, so returning closes the socket with an ABORT
        // and the kernel stops retransmitting INIT.
        let (id, streams) = core
            .wait_established_within(None, config.connect_timeout)
            .await?
            .inspect_err(|_| guard.0 = None)?;
        guard.0 = None;
        drop(guard);
        core.set_recv_nxtinfo(true)?;
        let id = if id != 0 { id } else { cx.assoc_id };
        core.set_established(id, streams);
        Ok(SctpStream { core })
    }

    /// Wraps an established one-to-one (or peeled-off) socket, learning its association id
    /// and stream counts from `SCTP_STATUS`.
    pub(crate) fn from_established(fd: OwnedFd, style: Style, config: Config) -> Result<Self> {
        Self::from_core(Arc::new(Core::new(fd, style, config)?), 0)
    }

    pub(crate) fn from_core(core: Arc<Core>, assoc_id: sctp_assoc_t) -> Result<Self> {
        let mut status = sctp_status {
            sstat_assoc_id: assoc_id,
            ..Default::default()
        };
        match linux_sctp_sys::sockopt::get_inout(
            core.fd(),
            linux_sctp_sys::sockopt::SCTP_STATUS,
            &mut status,
        ) {
            Ok(_) => core.set_established(
                status.sstat_assoc_id,
                Streams {
                    outbound: status.sstat_outstrms,
                    inbound: status.sstat_instrms,
                },
            ),
            // An accepted association that ended while it waited in the accept queue: the
            // kernel still hands out its socket, with the messages that arrived before the
            // end. Receives return them and then the end (EOF); sends fail. Its id and
            // stream counts are gone with it (0 and unknown).
            Err(e) if core.style() == Style::OneToOne && e.raw_os_error() == Some(libc::EINVAL) => {
            }
            Err(e) => return Err(e.into()),
        }
        Ok(SctpStream { core })
    }

    /// The association id (`sctp_assoc_t`).
    pub fn assoc_id(&self) -> sctp_assoc_t {
        self.core.assoc_id()
    }

    /// The negotiated number of outbound streams: valid stream ids for
    /// [`send`](Self::send) are `0..outbound_streams()`.
    pub fn outbound_streams(&self) -> u16 {
        self.core.streams(None).map_or(0, |s| s.outbound)
    }

    /// The negotiated number of inbound streams.
    pub fn inbound_streams(&self) -> u16 {
        self.core.streams(None).map_or(0, |s| s.inbound)
    }

    /// The local addresses of the association (`sctp_getladdrs`).
    ///
    /// # Errors
    ///
    /// The `getsockopt` error (`EINVAL` once the association is gone).
    #[doc(alias = "sctp_getladdrs")]
    pub fn local_addrs(&self) -> Result<Vec<SocketAddr>> {
        Ok(ops::getladdrs(self.core.fd(), self.assoc_id())?)
    }

    /// The peer's addresses (`sctp_getpaddrs`).
    ///
    /// # Errors
    ///
    /// The `getsockopt` error (`EINVAL` once the association is gone).
    #[doc(alias = "sctp_getpaddrs")]
    pub fn peer_addrs(&self) -> Result<Vec<SocketAddr>> {
        Ok(ops::getpaddrs(self.core.fd(), self.assoc_id())?)
    }

    /// The socket's local address (`getsockname(2)`): the address it is bound to, or, on a
    /// socket bound to a wildcard, what the kernel reports for it. One address; see
    /// [`local_addrs`](Self::local_addrs) for all of them.
    ///
    /// # Errors
    ///
    /// The `getsockname` error, or `InvalidData` for an address family the crate cannot read.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        sock_addr(SockRef::from(&self.core.fd()).local_addr())
    }

    /// The peer address the socket reports (`getpeername(2)`). One address of a possibly
    /// multihomed peer; see [`peer_addrs`](Self::peer_addrs) for all of them and
    /// [`primary_addr`](Self::primary_addr) for the path in use.
    ///
    /// # Errors
    ///
    /// The `getpeername` error (`ENOTCONN` once the association is gone), or `InvalidData`
    /// for an address family the crate cannot read.
    pub fn peer_addr(&self) -> Result<SocketAddr> {
        sock_addr(SockRef::from(&self.core.fd()).peer_addr())
    }

    /// The peer address used as the primary path (`SCTP_STATUS`'s `sstat_primary`).
    ///
    /// # Errors
    ///
    /// The `getsockopt` error, or `InvalidData` for an address family the crate cannot read.
    pub fn primary_addr(&self) -> Result<SocketAddr> {
        let mut status = sctp_status {
            sstat_assoc_id: self.assoc_id(),
            ..Default::default()
        };
        linux_sctp_sys::sockopt::get_inout(
            self.core.fd(),
            linux_sctp_sys::sockopt::SCTP_STATUS,
            &mut status,
        )?;
        let primary = status.sstat_primary;
        let addr = primary.spinfo_address;
        let len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        Ok(linux_sctp_sys::addr::socket_addr_from_raw(&addr, len).map_err(std::io::Error::from)?)
    }

    /// The typed socket options, applied to this association.
    pub fn options(&self) -> SocketOptions<'_> {
        SocketOptions::managed(self.core.fd(), self.assoc_id(), self.core.events())
    }

    /// Sends one message: one `sendmsg(2)` with an `SCTP_SNDINFO` (and an `SCTP_PRINFO` when
    /// `info` has a PR-SCTP policy) and `MSG_NOSIGNAL`. Waits for send-buffer space.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a message is either handed to the kernel whole or not at all; if the
    /// future is dropped, nothing was sent unless it had already completed.
    ///
    /// # Errors
    ///
    /// * [`StreamOutOfRange`](crate::error::ErrorKind::StreamOutOfRange) when `info.stream`
    ///   is not below [`outbound_streams`](Self::outbound_streams), before any syscall;
    /// * [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded) after the
    ///   association ended (or the peer started shutting it down);
    /// * `EMSGSIZE` for a message larger than `SO_SNDBUF`, and other `sendmsg` errors.
    pub async fn send(&self, data: &[u8], info: &SendInfo) -> Result<usize> {
        self.core.send(&Outgoing::data(None, data, info)).await
    }

    /// Polls a [`send`](Self::send). Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send).
    pub fn poll_send(
        &self,
        cx: &mut Context<'_>,
        data: &[u8],
        info: &SendInfo,
    ) -> Poll<Result<usize>> {
        self.core.poll_send(cx, &Outgoing::data(None, data, info))
    }

    /// Tries to send without waiting; `WouldBlock` when the socket is not writable.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), plus `WouldBlock`.
    pub fn try_send(&self, data: &[u8], info: &SendInfo) -> Result<usize> {
        self.core.try_send(&Outgoing::data(None, data, info))
    }

    /// Receives one whole message and its metadata (stream, PPID, flags, ...).
    ///
    /// In steady state this is one `recvmsg(2)` per message: the read is sized from the
    /// `SCTP_NXTINFO` of the previous one, and the buffer is shared with the returned
    /// [`Bytes`] (no copy).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe. A message that was partly read when the future was dropped stays in the
    /// stream and the next `recv` completes it; nothing is lost.
    ///
    /// # Errors
    ///
    /// * [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded) once the association
    ///   is over and everything before the end was received;
    /// * [`MessageTooLarge`](crate::error::ErrorKind::MessageTooLarge) once for a message over
    ///   the cap (the rest of it is dropped; the next `recv` returns the next message);
    /// * other `recvmsg` errors.
    pub async fn recv(&self) -> Result<(Bytes, RecvInfo)> {
        self.core.recv().await
    }

    /// Polls a [`recv`](Self::recv). Only the last task to poll is woken; use `recv` from
    /// several tasks at once.
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    pub fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Result<(Bytes, RecvInfo)>> {
        self.core.poll_recv(cx)
    }

    /// Receives a whole message if one is available without waiting; `WouldBlock`
    /// otherwise. A partly arrived message is kept for the next call.
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv), plus `WouldBlock`.
    pub fn try_recv(&self) -> Result<(Bytes, RecvInfo)> {
        self.core.try_recv()
    }

    /// Most messages one [`send_batch`](Self::send_batch) sends or one
    /// [`recv_batch`](Self::recv_batch) reads from the kernel (64).
    pub const BATCH_MAX: usize = linux_sctp_sys::ops::MMSG_MAX;

    /// Sends several messages with one `sendmmsg(2)`: each with its own `SCTP_SNDINFO` (and
    /// `SCTP_PRINFO` when its [`SendInfo`] has a PR-SCTP policy), `MSG_NOSIGNAL`. Waits for
    /// send-buffer space while not even the first message fits.
    ///
    /// Returns how many messages went, from the front: all of them, or fewer when the send
    /// buffer filled up, a later message failed (send the rest again: that call reports its
    /// error), or there were more than [`BATCH_MAX`](Self::BATCH_MAX) (only that many are
    /// looked at). Zero only for an empty slice.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the messages are handed to the kernel in the call that completes the
    /// future, or not at all.
    ///
    /// # Errors
    ///
    /// Checked for every message (up to `BATCH_MAX`) before any syscall, so nothing is sent:
    /// [`StreamOutOfRange`](crate::error::ErrorKind::StreamOutOfRange) when a stream id is not
    /// below [`outbound_streams`](Self::outbound_streams), and
    /// [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded) after the end. Then
    /// the first message's `sendmsg` errors, as for [`send`](Self::send).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use tokio_linux_sctp::{message::SendInfo, SctpStream};
    ///
    /// # async fn f() -> tokio_linux_sctp::error::Result<()> {
    /// let sctp = SctpStream::connect("127.0.0.1:3868".parse().unwrap()).await?;
    /// let info = SendInfo::new().stream(1).ppid(46);
    /// let batch = [(&b"one"[..], info), (&b"two"[..], info.stream(2))];
    /// let mut sent = 0;
    /// while sent < batch.len() {
    ///     sent += sctp.send_batch(&batch[sent..]).await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_batch(&self, msgs: &[(&[u8], SendInfo)]) -> Result<usize> {
        self.core.send_batch(msgs).await
    }

    /// Polls a [`send_batch`](Self::send_batch). Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As [`send_batch`](Self::send_batch).
    pub fn poll_send_batch(
        &self,
        cx: &mut Context<'_>,
        msgs: &[(&[u8], SendInfo)],
    ) -> Poll<Result<usize>> {
        self.core.poll_send_batch(cx, msgs)
    }

    /// Tries a [`send_batch`](Self::send_batch) without waiting; `WouldBlock` when not even
    /// the first message fits.
    ///
    /// # Errors
    ///
    /// As [`send_batch`](Self::send_batch), plus `WouldBlock`.
    pub fn try_send_batch(&self, msgs: &[(&[u8], SendInfo)]) -> Result<usize> {
        self.core.try_send_batch(msgs)
    }

    /// Receives up to `max` whole messages, appended to `out` with their metadata; waits
    /// until there is at least one. Returns how many were appended (0 only when `max` is 0).
    ///
    /// Messages already read ahead come first; when the kernel may hold more, one
    /// `recvmmsg(2)` reads up to `max` entries (at most [`BATCH_MAX`](Self::BATCH_MAX)) into
    /// the same reused buffer [`recv`](Self::recv) uses, each message split off it without a
    /// copy. Everything else is as for `recv`: notifications met on the way go to
    /// [`events`](Self::events), messages larger than a read are reassembled (across entries
    /// and calls), the size cap applies, and only whole messages are returned.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, as [`recv`](Self::recv): messages are appended to `out` in the same poll
    /// that reads them, and a message partly read stays in the socket for the next call.
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv). An error met after some messages were appended is returned
    /// by the next call instead, after those messages.
    pub async fn recv_batch(&self, out: &mut Vec<(Bytes, RecvInfo)>, max: usize) -> Result<usize> {
        self.core.recv_batch(out, max).await
    }

    /// Polls a [`recv_batch`](Self::recv_batch). Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As [`recv_batch`](Self::recv_batch).
    pub fn poll_recv_batch(
        &self,
        cx: &mut Context<'_>,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Poll<Result<usize>> {
        self.core.poll_recv_batch(cx, out, max)
    }

    /// Receives whole messages (up to `max`) that can be had without waiting; `WouldBlock`
    /// when there is none.
    ///
    /// # Errors
    ///
    /// As [`recv_batch`](Self::recv_batch), plus `WouldBlock`.
    pub fn try_recv_batch(&self, out: &mut Vec<(Bytes, RecvInfo)>, max: usize) -> Result<usize> {
        self.core.try_recv_batch(out, max)
    }

    /// Low-level receive of (part of) one message into `buf`: one `recvmsg(2)`.
    ///
    /// If the message does not fit, the call returns what fit with
    /// [`eor`](RecvPiece::eor) false, and the next call continues that message. Notifications
    /// met on the way are handed to the event stream. Do not mix with [`recv`](Self::recv)
    /// in the middle of a message: `recv` would return only the rest of it.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the bytes are in `buf` once the future completes, and nothing is read
    /// before.
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv), except that no size cap applies.
    pub async fn recv_into(&self, buf: &mut [u8]) -> Result<RecvPiece> {
        self.core.recv_into(buf).await
    }

    /// Polls a [`recv_into`](Self::recv_into).
    ///
    /// # Errors
    ///
    /// As [`recv_into`](Self::recv_into).
    pub fn poll_recv_into(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<Result<RecvPiece>> {
        self.core.poll_recv_into(cx, buf)
    }

    /// Tries a [`recv_into`](Self::recv_into) without waiting.
    ///
    /// # Errors
    ///
    /// As [`recv_into`](Self::recv_into), plus `WouldBlock`.
    pub fn try_recv_into(&self, buf: &mut [u8]) -> Result<RecvPiece> {
        self.core.try_recv_into(buf)
    }

    /// The notifications of this association, as a stream (see [`SctpEvents`]).
    pub fn events(&self) -> SctpEvents {
        SctpEvents::new(Arc::clone(&self.core))
    }

    /// A cheap, cloneable handle that sends on stream `stream` with PPID `ppid` (host
    /// order). It keeps the socket open.
    pub fn sender(&self, stream: u16, ppid: u32) -> StreamSender {
        StreamSender::new(Arc::clone(&self.core), None, stream, ppid)
    }

    /// The cap on one received message.
    pub fn max_message_size(&self) -> usize {
        self.core.max_message_size()
    }

    /// Changes the cap on one received message (see
    /// [`SctpSocket::set_max_message_size`]).
    pub fn set_max_message_size(&self, max: usize) {
        self.core.set_max_message_size(max);
    }

    /// Starts a graceful shutdown: no more sends; the peer gets the data already queued, then
    /// the association closes (`shutdown(2)` with `SHUT_WR`; on a peeled-off socket, an empty
    /// `sendmsg` with `SCTP_EOF`). Keep calling [`recv`](Self::recv) to drain what the peer
    /// still sends: it fails with `AssociationEnded` when the shutdown completes.
    ///
    /// # Errors
    ///
    /// The `shutdown`/`sendmsg` error (`ENOTCONN` when there is no association).
    pub async fn shutdown(&self) -> Result<()> {
        let id = self.assoc_id();
        if self.core.style() == Style::PeeledOff {
            let info = SendInfo::new().eof(true).assoc_id(id);
            self.core.send(&Outgoing::control(None, &info)).await?;
        } else {
            SockRef::from(&self.core.fd()).shutdown(std::net::Shutdown::Write)?;
        }
        self.core
            .latch_send_end(EndCause::shutdown(id, Some(libc::ESHUTDOWN)));
        Ok(())
    }

    /// Aborts the association: the peer gets an ABORT, queued data is dropped.
    ///
    /// Linux refuses `SCTP_ABORT` sends on one-to-one sockets, so this sets `SO_LINGER` to 0
    /// and closes the socket, which sends the ABORT. The socket closes when its last handle
    /// goes: if [`StreamSender`]s or [`SctpEvents`] of this stream still exist, the ABORT
    /// leaves when they are dropped, and meanwhile they fail with `AssociationEnded`. On a
    /// peeled-off socket the ABORT is sent at once (`SCTP_ABORT` send flag).
    ///
    /// # Errors
    ///
    /// The `setsockopt`/`sendmsg` error.
    pub async fn abort(self) -> Result<()> {
        let id = self.assoc_id();
        if self.core.style() == Style::PeeledOff {
            let info = SendInfo::new().abort(true).assoc_id(id);
            self.core.send(&Outgoing::control(None, &info)).await?;
        } else {
            SockRef::from(&self.core.fd()).set_linger(Some(Duration::ZERO))?;
        }
        self.core.latch_end(EndCause::lost(id, libc::ECONNABORTED));
        Ok(())
    }
}

/// A `getsockname`/`getpeername` result as a `SocketAddr` (`InvalidData` for another family).
pub(crate) fn sock_addr(addr: std::io::Result<socket2::SockAddr>) -> Result<SocketAddr> {
    addr?
        .as_socket()
        .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidData).into())
}

impl AsFd for SctpStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.fd()
    }
}

impl AsRawFd for SctpStream {
    fn as_raw_fd(&self) -> RawFd {
        self.core.fd().as_raw_fd()
    }
}

impl fmt::Debug for SctpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SctpStream")
            .field("fd", &self.core.fd())
            .field("assoc_id", &self.assoc_id())
            .finish_non_exhaustive()
    }
}
