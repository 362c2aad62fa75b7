//! [`SctpEndpoint`]: a one-to-many socket carrying many associations.

use std::fmt;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use linux_sctp_sys::{ops, sctp_assoc_t};
use socket2::SockRef;

use crate::engine::{Config, Core, EndCause, Outgoing, Style};
use crate::error::Result;
use crate::events::SctpEvents;
use crate::message::{RecvInfo, SendInfo};
use crate::opts::SocketOptions;
use crate::sender::StreamSender;
use crate::stream::sock_addr;
use crate::{InitParams, RecvPiece, SctpSocket, SctpStream};

/// A one-to-many (`SOCK_SEQPACKET`) SCTP socket: any number of associations, told apart by
/// their association id.
///
/// Associations come up when a peer connects (after [`listen`](Self::listen)), when this side
/// calls [`connect`](Self::connect), or implicitly when [`send_to`](Self::send_to) names a new
/// peer. [`recv`](Self::recv) returns messages of every association, each with its
/// [`assoc_id`](RecvInfo::assoc_id); the [event stream](Self::events) reports associations
/// coming and going. [`peeloff`](Self::peeloff) moves one association to its own
/// [`SctpStream`].
///
/// All methods take `&self`; share the endpoint between tasks with an `Arc`.
///
/// # Closing
///
/// Dropping the last handle closes the socket, which shuts every association down
/// gracefully, **except** that the kernel aborts them all (ABORT, not SHUTDOWN) when unread
/// data is still queued on the socket. Receive everything, or shut associations down one by
/// one with [`shutdown`](Self::shutdown), before dropping it.
///
/// # Shared buffers
///
/// With the default `net.sctp.sndbuf_policy = 0` the send buffer is shared by all
/// associations: one slow peer can make sends to every other peer wait.
///
/// # Examples
///
/// ```no_run
/// use tokio_linux_sctp::{message::SendInfo, SctpEndpoint};
///
/// # async fn f() -> tokio_linux_sctp::error::Result<()> {
/// let endpoint = SctpEndpoint::bind("0.0.0.0:2905".parse().unwrap())?;
/// loop {
///     let (msg, info) = endpoint.recv().await?;
///     let reply = SendInfo::new().stream(info.stream).ppid(info.ppid).assoc_id(info.assoc_id);
///     endpoint.send(&msg, &reply).await?;
/// }
/// # }
/// ```
pub struct SctpEndpoint {
    core: Arc<Core>,
}

impl SctpEndpoint {
    /// A one-to-many socket of the family of `addr`, bound to `addr` and listening (backlog
    /// 1024) so that peers can connect.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SctpUnavailable`](crate::error::ErrorKind::SctpUnavailable), or the
    /// `bind`/`listen` error.
    pub fn bind(addr: SocketAddr) -> Result<SctpEndpoint> {
        let socket = match addr {
            SocketAddr::V4(_) => SctpSocket::new_v4_one_to_many()?,
            SocketAddr::V6(_) => SctpSocket::new_v6_one_to_many()?,
        };
        socket.bind(addr)?;
        let endpoint = socket.into_endpoint()?;
        endpoint.listen(1024)?;
        Ok(endpoint)
    }

    pub(crate) fn from_parts(fd: OwnedFd, config: Config) -> Result<SctpEndpoint> {
        Ok(SctpEndpoint {
            core: Arc::new(Core::new(fd, Style::OneToMany, config)?),
        })
    }

    /// Accepts incoming associations from now on (`listen(2)`); a one-to-many socket does
    /// not without it. A backlog of 0 stops accepting again.
    ///
    /// # Errors
    ///
    /// The `listen` error.
    pub fn listen(&self, backlog: u32) -> Result<()> {
        let backlog = i32::try_from(backlog).unwrap_or(i32::MAX);
        SockRef::from(&self.core.fd()).listen(backlog)?;
        Ok(())
    }

    /// Starts an association to `addr` and waits until it is up; returns its id.
    ///
    /// # Cancel safety
    ///
    /// If the future is dropped, the handshake goes on in the kernel; the association shows
    /// up in the event stream (or fails there).
    ///
    /// With a [connect timeout](Self::set_connect_timeout), an association not up in time is
    /// aborted (`SCTP_ABORT`) and the call fails with `ETIMEDOUT`.
    ///
    /// # Errors
    ///
    /// `ECONNREFUSED` when the association could not be set up, `ETIMEDOUT` when the
    /// connect timeout ran out, or the `connectx` error. Unlike a one-to-one socket, a
    /// one-to-many socket gets no errno from the kernel for a failed setup, only
    /// `CANT_STR_ASSOC`, which looks the same for an ABORT from the peer and for INIT
    /// attempts running out: both give `ECONNREFUSED`. Set a connect timeout shorter than the
    /// kernel's INIT attempts to tell a silent peer from a refusing one.
    pub async fn connect(&self, addr: SocketAddr) -> Result<sctp_assoc_t> {
        self.connectx(&[addr]).await
    }

    /// Starts an association to a peer known by several addresses (`sctp_connectx`, one
    /// port) and waits until it is up; returns its id.
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](Self::connect).
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect); `EINVAL` for different ports.
    #[doc(alias = "sctp_connectx")]
    pub async fn connectx(&self, addrs: &[SocketAddr]) -> Result<sctp_assoc_t> {
        let cx = ops::connectx(self.core.fd(), addrs)?;
        if cx.assoc_id == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                "the kernel did not report the association id (SCTP_SOCKOPT_CONNECTX3 missing)",
            )
            .into());
        }
        let limit = self.core.config().connect_timeout;
        match self
            .core
            .wait_established_within(Some(cx.assoc_id), limit)
            .await
        {
            Ok(r) => Ok(r?.0),
            Err(timed_out) => {
                // Stop the INIT retransmissions of this association only. If it came up
                // meanwhile, this aborts it, which is what the caller asked for: it gets no id.
                let _ = self.abort(cx.assoc_id).await;
                Err(timed_out)
            }
        }
    }

    /// Sends one message to `addr`, setting up an association to it first if there is none
    /// (implicit setup): one `sendmsg(2)` with `msg_name`. `info.assoc_id` is ignored.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the message is either handed to the kernel whole or not at all.
    ///
    /// # Errors
    ///
    /// [`StreamOutOfRange`](crate::error::ErrorKind::StreamOutOfRange) (when the
    /// association to `addr` is known), and `sendmsg` errors.
    pub async fn send_to(&self, data: &[u8], addr: SocketAddr, info: &SendInfo) -> Result<usize> {
        self.send_to_with_init(data, addr, info, None).await
    }

    /// [`send_to`](Self::send_to) with the INIT parameters of the association it may create
    /// (an `SCTP_INIT` control message; the kernel ignores it for an existing association).
    ///
    /// # Cancel safety
    ///
    /// As [`send_to`](Self::send_to).
    ///
    /// # Errors
    ///
    /// As [`send_to`](Self::send_to).
    pub async fn send_to_with_init(
        &self,
        data: &[u8],
        addr: SocketAddr,
        info: &SendInfo,
        init: Option<InitParams>,
    ) -> Result<usize> {
        // An implicit setup: no association yet, the address names the peer.
        let mut out = Outgoing::data(None, data, info);
        out.to = Some(&addr);
        out.stream = None;
        if let Some(sndinfo) = out.cmsgs.sndinfo.as_mut() {
            sndinfo.snd_assoc_id = 0;
        }
        out.cmsgs.init = init.map(|p| p.to_initmsg());
        self.core.send(&out).await
    }

    /// Sends one message on the association `info.assoc_id`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: the message is either handed to the kernel whole or not at all.
    ///
    /// # Errors
    ///
    /// [`StreamOutOfRange`](crate::error::ErrorKind::StreamOutOfRange),
    /// [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded) for an association this
    /// endpoint saw end, `EPIPE` for an unknown association, and other `sendmsg` errors.
    pub async fn send(&self, data: &[u8], info: &SendInfo) -> Result<usize> {
        let out = Outgoing::data(Some(info.assoc_id), data, info);
        self.core.send(&out).await
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
        let out = Outgoing::data(Some(info.assoc_id), data, info);
        self.core.poll_send(cx, &out)
    }

    /// Tries a [`send`](Self::send) without waiting.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send), plus `WouldBlock`.
    pub fn try_send(&self, data: &[u8], info: &SendInfo) -> Result<usize> {
        let out = Outgoing::data(Some(info.assoc_id), data, info);
        self.core.try_send(&out)
    }

    /// Receives one whole message of any association; [`RecvInfo::assoc_id`] says which.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: partial messages stay in the endpoint.
    ///
    /// # Errors
    ///
    /// [`MessageTooLarge`](crate::error::ErrorKind::MessageTooLarge) once per message over
    /// the cap, and `recvmsg` errors. A one-to-many socket never reports an end.
    pub async fn recv(&self) -> Result<(Bytes, RecvInfo)> {
        self.core.recv().await
    }

    /// Polls a [`recv`](Self::recv). Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    pub fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Result<(Bytes, RecvInfo)>> {
        self.core.poll_recv(cx)
    }

    /// Tries a [`recv`](Self::recv) without waiting.
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
    /// Each message names its association in [`SendInfo::assoc_id`] (no address: use
    /// [`send_to`](Self::send_to) to set one up).
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
    /// below its association's [`outbound_streams`](Self::outbound_streams), and
    /// [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded) after the end. Then
    /// the first message's `sendmsg` errors, as for [`send`](Self::send).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use tokio_linux_sctp::{message::SendInfo, SctpEndpoint};
    ///
    /// # async fn f() -> tokio_linux_sctp::error::Result<()> {
    /// let sctp = SctpEndpoint::bind("127.0.0.1:0".parse().unwrap())?;
    /// let assoc = sctp.connect("127.0.0.1:3868".parse().unwrap()).await?;
    /// let info = SendInfo::new().assoc_id(assoc).stream(1).ppid(46);
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

    /// Low-level receive of (part of) one message of any association into `buf`: one
    /// `recvmsg(2)`; [`RecvPiece::info`] says which association and stream.
    ///
    /// If the message does not fit, the call returns what fit with
    /// [`eor`](RecvPiece::eor) false, and a later call continues that message. With
    /// `SCTP_FRAGMENT_INTERLEAVE` off (the default) the kernel delivers nothing else until
    /// that message is complete, so the next call continues it; with interleaving on,
    /// pieces of messages of other associations (level 1) or streams (level 2) can come in
    /// between: tell them apart by `info.assoc_id` and `info.stream`. Notifications met on
    /// the way are handed to the event stream. Do not mix with [`recv`](Self::recv) in the
    /// middle of a message: `recv` would return only the rest of it.
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

    /// Polls a [`recv_into`](Self::recv_into). Only the last task to poll is woken.
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

    /// Limits how long [`connect`](Self::connect) and [`connectx`](Self::connectx) wait for
    /// an association to come up (see [`SctpSocket::set_connect_timeout`]); `None` leaves it
    /// to the kernel's INIT attempts.
    pub fn set_connect_timeout(&self, timeout: Option<std::time::Duration>) {
        self.core.set_connect_timeout(timeout);
    }

    /// Starts a graceful shutdown of one association: an empty `sendmsg` with `SCTP_EOF`.
    /// Its end shows in the event stream (`SHUTDOWN_COMP`).
    ///
    /// # Errors
    ///
    /// The `sendmsg` error (`EPIPE`/`EINVAL` for an unknown association).
    pub async fn shutdown(&self, assoc_id: sctp_assoc_t) -> Result<()> {
        let info = SendInfo::new().eof(true).assoc_id(assoc_id);
        self.core
            .send(&Outgoing::control(Some(assoc_id), &info))
            .await?;
        Ok(())
    }

    /// Aborts one association: an empty `sendmsg` with `SCTP_ABORT`.
    ///
    /// # Errors
    ///
    /// The `sendmsg` error (`EPIPE`/`EINVAL` for an unknown association).
    pub async fn abort(&self, assoc_id: sctp_assoc_t) -> Result<()> {
        let info = SendInfo::new().abort(true).assoc_id(assoc_id);
        self.core
            .send(&Outgoing::control(Some(assoc_id), &info))
            .await?;
        Ok(())
    }

    /// Moves one association to a socket of its own (`sctp_peeloff_flags` with
    /// `SOCK_NONBLOCK | SOCK_CLOEXEC`). Messages and notifications of that association that
    /// this endpoint had already read and queued move with it, and so does the head of a
    /// message it had partly read: the peeled-off stream returns that message whole.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association; `ENOPROTOOPT` before Linux 4.13.
    #[doc(alias = "sctp_peeloff")]
    pub fn peeloff(&self, assoc_id: sctp_assoc_t) -> Result<SctpStream> {
        let flags = (libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) as libc::c_uint;
        let (fd, moved) = self.core.peel(assoc_id, || {
            ops::peeloff_flags(self.core.fd(), assoc_id, flags)
        })?;
        let core = Arc::new(Core::new(fd, Style::PeeledOff, self.core.config())?);
        core.adopt(moved);
        SctpStream::from_core(core, assoc_id)
    }

    /// The notifications of every association, as a stream (see [`SctpEvents`]); each carries
    /// its association id.
    pub fn events(&self) -> SctpEvents {
        SctpEvents::new(Arc::clone(&self.core))
    }

    /// A cheap, cloneable handle that sends on association `assoc_id`, stream `stream`, with
    /// PPID `ppid` (host order).
    pub fn sender(&self, assoc_id: sctp_assoc_t, stream: u16, ppid: u32) -> StreamSender {
        StreamSender::new(Arc::clone(&self.core), Some(assoc_id), stream, ppid)
    }

    /// The negotiated outbound streams of an association this endpoint saw come up.
    pub fn outbound_streams(&self, assoc_id: sctp_assoc_t) -> Option<u16> {
        self.core.streams(Some(assoc_id)).map(|s| s.outbound)
    }

    /// The typed socket options of association `assoc_id` (or `SCTP_FUTURE_ASSOC` and the
    /// like for the endpoint's defaults).
    pub fn options(&self, assoc_id: sctp_assoc_t) -> SocketOptions<'_> {
        SocketOptions::managed(self.core.fd(), assoc_id, self.core.events())
    }

    /// The endpoint's local addresses (`sctp_getladdrs(fd, 0)`).
    ///
    /// # Errors
    ///
    /// The `getsockopt` error.
    #[doc(alias = "sctp_getladdrs")]
    pub fn local_addrs(&self) -> Result<Vec<SocketAddr>> {
        Ok(ops::getladdrs(self.core.fd(), 0)?)
    }

    /// The bound address (`getsockname(2)`).
    ///
    /// # Errors
    ///
    /// The `getsockname` error.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        sock_addr(SockRef::from(&self.core.fd()).local_addr())
    }

    /// The peer addresses of one association (`sctp_getpaddrs`).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association.
    #[doc(alias = "sctp_getpaddrs")]
    pub fn peer_addrs(&self, assoc_id: sctp_assoc_t) -> Result<Vec<SocketAddr>> {
        Ok(ops::getpaddrs(self.core.fd(), assoc_id)?)
    }

    /// Changes the cap on one received message.
    pub fn set_max_message_size(&self, max: usize) {
        self.core.set_max_message_size(max);
    }

    /// Why association `assoc_id` ended, if this endpoint saw it end and still remembers it.
    pub(crate) fn end_cause(&self, assoc_id: sctp_assoc_t) -> Option<EndCause> {
        self.core.end_cause(Some(assoc_id))
    }
}

impl AsFd for SctpEndpoint {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.core.fd()
    }
}

impl AsRawFd for SctpEndpoint {
    fn as_raw_fd(&self) -> RawFd {
        self.core.fd().as_raw_fd()
    }
}

impl fmt::Debug for SctpEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SctpEndpoint")
            .field("fd", &self.core.fd())
            .finish_non_exhaustive()
    }
}
