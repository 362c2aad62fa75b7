//! The shared engine behind every socket type: one registered SCTP socket, the receive state
//! that must survive a dropped future (reassembly, queued messages and notifications), and the
//! association table (negotiated stream counts, the end-of-association latch).
//!
//! # Reading model
//!
//! The kernel delivers one interleaved sequence of data messages and notifications on a socket.
//! Whoever reads (a `recv` call, the event stream, a `connect` waiting for `COMM_UP`) takes the
//! receive lock, does one `recvmsg(2)` and routes the piece: data is reassembled until `MSG_EOR`
//! and then returned or queued for `recv`; notifications are reassembled, parsed, applied to the
//! association table and returned or queued for the event stream. Every piece of state lives in
//! [`Core`], never in a future, so cancelling any future loses nothing.
//!
//! # Readiness
//!
//! We follow tokio's rule (only a real `WouldBlock` clears readiness) with one exception that
//! saves a syscall per message: when a `recvmsg` ends a message (`MSG_EOR`) and carries no
//! `SCTP_NXTINFO`, the kernel found nothing else queued on the socket at that moment (it peeks
//! the receive queue after dequeuing our message and attaches `NXTINFO` only if something is
//! there). Anything that arrives later is queued by the kernel together with a fresh wake-up of
//! the socket, which epoll reports as a new edge, and tokio's readiness ticks make sure an edge
//! seen after our guard was created is not cleared by it. So we clear read readiness right away
//! instead of calling `recvmsg` once more only to get `EAGAIN`. A partial read (no `MSG_EOR`)
//! never clears: the rest of the message is still queued.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::pin::pin;
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::future::{select, Either};
use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::sctp_assoc_t;
use tokio::io::unix::{AsyncFd, AsyncFdReadyGuard};
use tokio::io::{Interest, Ready};
use tokio::sync::Notify;

use crate::error::{Error, ErrorKind, Result};
use crate::message::{RecvInfo, SendInfo};
use crate::notification::{
    AssocChange, AssocChangeState, Notification, PartialDeliveryIndication, Shutdown, Subscriptions,
};
use crate::message::RecvPiece;
use crate::sys;

/// Default cap on the size of one reassembled message: 4 MiB.
pub(crate) const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 << 20;
/// Default number of notifications kept for the event stream before the oldest is dropped.
pub(crate) const DEFAULT_EVENT_CAPACITY: usize = 1024;
/// Bytes of data the event stream may read ahead and queue for `recv` before it stops reading.
pub(crate) const DATA_QUEUE_LIMIT: usize = 4 << 20;
/// How much room a read offers when the size of the next message is unknown.
const READ_WINDOW: usize = 64 << 10;
/// The smallest block the reassembly buffer allocates at a time.
const BLOCK: usize = 4 * READ_WINDOW;
/// The smallest window of a batch entry after the first.
const MIN_BATCH_WINDOW: usize = 256;
/// Ended associations remembered on a one-to-many socket (to explain later failed sends).
const ENDED_MEMORY: usize = 1024;

/// The three kinds of SCTP socket this crate drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// `SOCK_STREAM`, one association per socket; EOF at the end.
    OneToOne,
    /// `SOCK_SEQPACKET`, many associations.
    OneToMany,
    /// A one-to-one socket made by peeloff: `SOCK_SEQPACKET` underneath, so shutdown and abort
    /// go through `SCTP_EOF` / `SCTP_ABORT` send flags, and the end shows as `ENOTCONN`.
    PeeledOff,
}

/// Why an association ended, as far as this socket saw it: the notification that ended it,
/// and the errno a system call reported, if one did.
///
/// When the end was seen only through a system call (EOF, `ECONNRESET`, a local abort) and no
/// notification, the cause is a synthesized one: a [`Shutdown`] for a graceful end, an
/// [`AssocChange`] with state `COMM_LOST` otherwise, with the errno attached.
#[derive(Clone, Debug)]
pub(crate) struct EndCause {
    cause: Notification,
    errno: Option<i32>,
}

impl EndCause {
    fn notification(n: &Notification) -> Self {
        EndCause {
            cause: n.clone(),
            errno: None,
        }
    }

    /// The peer shut down (EOF on the read side) or this side did (`errno` `ESHUTDOWN`).
    pub(crate) fn shutdown(assoc_id: sctp_assoc_t, errno: Option<i32>) -> Self {
        EndCause {
            cause: Notification::Shutdown(Shutdown { assoc_id }),
            errno,
        }
    }

    /// The association is gone, known from `errno` only.
    pub(crate) fn lost(assoc_id: sctp_assoc_t, errno: i32) -> Self {
        EndCause {
            cause: Notification::AssocChange(AssocChange {
                state: AssocChangeState::CommLost,
                error: 0,
                outbound_streams: 0,
                inbound_streams: 0,
                assoc_id,
                info: Bytes::new(),
            }),
            errno: Some(errno),
        }
    }

    /// The association is gone and neither a notification nor an errno says why (a
    /// one-to-many socket that no longer remembers it): a `COMM_LOST` with no errno.
    pub(crate) fn unknown(assoc_id: sctp_assoc_t) -> Self {
        EndCause {
            errno: None,
            ..Self::lost(assoc_id, 0)
        }
    }

    /// An end made of its parts (tests).
    #[cfg(test)]
    pub(crate) fn new(cause: Notification, errno: Option<i32>) -> Self {
        EndCause { cause, errno }
    }

    /// The end an [`AssociationEnded`](ErrorKind::AssociationEnded) error reports; `None`
    /// for any other error.
    pub(crate) fn from_error(e: &Error) -> Option<Self> {
        match e.kind() {
            ErrorKind::AssociationEnded { cause } => Some(EndCause {
                cause: (**cause).clone(),
                errno: e.raw_os_error(),
            }),
            _ => None,
        }
    }

    pub(crate) fn to_error(&self) -> Error {
        Error::association_ended(
            self.cause.clone(),
            self.errno.map(io::Error::from_raw_os_error),
        )
    }
}

/// Stream counts of one association.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Streams {
    pub(crate) outbound: u16,
    pub(crate) inbound: u16,
}

/// Association bookkeeping, updated from notifications and syscall results.
#[derive(Debug, Default)]
struct Assocs {
    /// Established associations and their negotiated stream counts.
    up: HashMap<sctp_assoc_t, Streams>,
    /// Recently ended associations (one-to-many only; the whole-socket latches below serve
    /// one-to-one sockets).
    ended: HashMap<sctp_assoc_t, EndCause>,
    ended_order: VecDeque<sctp_assoc_t>,
    /// One-to-one: sending is over (peer SHUTDOWN, local shutdown, abort, loss).
    send_end: Option<EndCause>,
    /// One-to-one: the association is gone; once the kernel queue is drained, receives fail.
    recv_end: Option<EndCause>,
    /// One-to-one: the association id (from connectx, COMM_UP or SCTP_STATUS).
    assoc_id: sctp_assoc_t,
}

/// Key of a message being reassembled: association and stream.
type PartialKey = (sctp_assoc_t, u16);

/// Receive-side state. Lives behind a mutex in [`Core`], so no future ever owns any of it.
#[derive(Debug)]
struct Rx {
    /// Reassembly buffer; reads land in its spare capacity. Holds the message in progress.
    buf: BytesMut,
    /// Key of the message in `buf`, while it lacks its last piece.
    cur: Option<PartialKey>,
    /// Partial messages of other associations/streams (fragment interleaving only).
    parked: Vec<(PartialKey, BytesMut)>,
    /// A message over the size cap whose remaining pieces are being read and dropped.
    discard: Option<PartialKey>,
    /// A notification in progress (split across reads).
    notif: BytesMut,
    /// `nxt_length` of the next queued message, from the last `SCTP_NXTINFO`.
    hint: Option<usize>,
    /// Running average size of the messages batch reads returned: sizes their windows.
    typical: usize,
    /// Data read by the event stream (or a connect) for `recv`, in arrival order; an error
    /// entry is a message that went over the size cap, reported to `recv` in its place.
    data_q: VecDeque<Result<(Bytes, RecvInfo)>>,
    data_q_bytes: usize,
    /// Notifications read by `recv`, for the event stream.
    event_q: VecDeque<Result<Notification>>,
    /// Notifications dropped from a full `event_q` since the event stream last looked.
    lagged: u64,
    /// Waker of the last `poll_recv` caller, woken when another reader queues data.
    recv_waker: Option<Waker>,
    /// The one-to-one read side saw EOF (or a terminal error).
    eof: bool,
    max_message_size: usize,
    event_capacity: usize,
    /// Notification types the user subscribed to; others are read (the crate always needs
    /// association changes and shutdowns) but not queued for the event stream.
    delivered: Subscriptions,
    /// See [`Config::connect_timeout`].
    connect_timeout: Option<Duration>,
    /// Whether `SCTP_RECVNXTINFO` is on: only then does a read without `SCTP_NXTINFO` prove
    /// the kernel queue empty. Off while a one-to-one socket connects (see
    /// [`Core::set_recv_nxtinfo`]).
    nxtinfo_on: bool,
}

/// What a reader is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// A whole data message.
    Data,
    /// A notification.
    Event,
    /// An association coming up (`COMM_UP`) or failing (`CANT_STR_ASSOC`), for connect.
    Established(Option<sctp_assoc_t>),
}

/// What a reader got.
enum Got {
    Data(Bytes, RecvInfo),
    Event(Result<Notification>),
    /// The event stream is over (one-to-one association gone, nothing left queued).
    EventsEnd,
    Established(sctp_assoc_t, Streams),
}

/// Settings carried from the builder to every socket made from it (accept, peeloff).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    pub(crate) max_message_size: usize,
    pub(crate) event_capacity: usize,
    /// The notification types delivered to the event stream.
    pub(crate) delivered: Subscriptions,
    /// How long a connect may wait for `COMM_UP` before it aborts the handshake.
    pub(crate) connect_timeout: Option<Duration>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            event_capacity: DEFAULT_EVENT_CAPACITY,
            delivered: Subscriptions::default(),
            connect_timeout: None,
        }
    }
}

/// One registered SCTP socket and everything the socket types share about it.
#[derive(Debug)]
pub(crate) struct Core {
    fd: AsyncFd<OwnedFd>,
    style: Style,
    rx: Mutex<Rx>,
    assocs: Mutex<Assocs>,
    /// Woken when data is queued for `recv` or the read side ends.
    data_notify: Notify,
    /// Woken when a notification is queued, queued data is taken, or the read side ends.
    event_notify: Notify,
    /// Woken when the sending side of an association is latched as ended, so that a send
    /// waiting for room (which may never come) fails instead.
    send_notify: Notify,
    /// Waker of the last `poll_send` / `poll_send_batch` caller waiting for room, woken with
    /// `send_notify` (one waker, as `AsyncFd::poll_write_ready` keeps).
    send_waker: Mutex<Option<Waker>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks cannot leave the state half-updated in a way
    // that matters more than losing the socket, and poisoning would turn one panic into a panic
    // on every later call: take the guard either way.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Core {
    /// Registers `fd` (non-blocking, options already set) with the reactor.
    pub(crate) fn new(fd: OwnedFd, style: Style, config: Config) -> io::Result<Core> {
        let fd = sys::register(fd)?;
        Ok(Core {
            fd,
            style,
            rx: Mutex::new(Rx {
                buf: BytesMut::new(),
                cur: None,
                parked: Vec::new(),
                discard: None,
                notif: BytesMut::new(),
                hint: None,
                typical: 0,
                data_q: VecDeque::new(),
                data_q_bytes: 0,
                event_q: VecDeque::new(),
                lagged: 0,
                recv_waker: None,
                eof: false,
                max_message_size: config.max_message_size,
                event_capacity: config.event_capacity,
                delivered: config.delivered,
                connect_timeout: config.connect_timeout,
                nxtinfo_on: true,
            }),
            assocs: Mutex::new(Assocs::default()),
            data_notify: Notify::new(),
            event_notify: Notify::new(),
            send_notify: Notify::new(),
            send_waker: Mutex::new(None),
        })
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.get_ref().as_fd()
    }

    pub(crate) fn style(&self) -> Style {
        self.style
    }

    pub(crate) fn config(&self) -> Config {
        let rx = lock(&self.rx);
        Config {
            max_message_size: rx.max_message_size,
            event_capacity: rx.event_capacity,
            delivered: rx.delivered,
            connect_timeout: rx.connect_timeout,
        }
    }

    pub(crate) fn max_message_size(&self) -> usize {
        lock(&self.rx).max_message_size
    }

    pub(crate) fn set_max_message_size(&self, max: usize) {
        lock(&self.rx).max_message_size = max.max(1);
    }

    /// Turns `SCTP_RECVNXTINFO` on or off, keeping the readiness shortcut in step with it.
    ///
    /// A one-to-one socket connects with it off. The reason is a kernel quirk: with it on,
    /// the `recvmsg` that returns `CANT_STR_ASSOC` peeks at the receive queue for the next
    /// message's `NXTINFO`, finds it empty and, doing so, takes and discards the socket error
    /// (`ETIMEDOUT` when the INITs ran out, `ECONNREFUSED` when the peer aborted): the
    /// notification alone cannot tell the two apart, and `SO_ERROR` would then be empty.
    pub(crate) fn set_recv_nxtinfo(&self, on: bool) -> io::Result<()> {
        let v = libc::c_int::from(on);
        if !on {
            lock(&self.rx).nxtinfo_on = false;
        }
        linux_sctp_sys::ops::setsockopt(
            self.fd(),
            linux_sctp_sys::SOL_SCTP,
            linux_sctp_sys::SCTP_RECVNXTINFO,
            &v,
        )?;
        if on {
            lock(&self.rx).nxtinfo_on = true;
        }
        Ok(())
    }

    pub(crate) fn set_connect_timeout(&self, limit: Option<Duration>) {
        lock(&self.rx).connect_timeout = limit;
    }

    // ----------------------------------------------------------------------------------
    // Association table
    // ----------------------------------------------------------------------------------

    /// Records an established association (after connect/accept/peeloff).
    pub(crate) fn set_established(&self, id: sctp_assoc_t, streams: Streams) {
        let mut a = lock(&self.assocs);
        a.assoc_id = id;
        a.up.insert(id, streams);
        a.ended.remove(&id);
    }

    /// One-to-one: the association id.
    pub(crate) fn assoc_id(&self) -> sctp_assoc_t {
        lock(&self.assocs).assoc_id
    }

    /// Stream counts of `id` (one-to-one: of the association), if known.
    pub(crate) fn streams(&self, id: Option<sctp_assoc_t>) -> Option<Streams> {
        let a = lock(&self.assocs);
        let id = id.unwrap_or(a.assoc_id);
        a.up.get(&id).copied()
    }

    /// Why the association ended, if it did (one-to-one: the send-side latch, then the
    /// receive-side one; one-to-many: the remembered end of `id`).
    pub(crate) fn end_cause(&self, id: Option<sctp_assoc_t>) -> Option<EndCause> {
        let a = lock(&self.assocs);
        match (self.style, id) {
            (Style::OneToMany, Some(id)) => a.ended.get(&id).cloned(),
            (Style::OneToMany, None) => None,
            _ => a.recv_end.clone().or_else(|| a.send_end.clone()),
        }
    }

    /// Latches the end of the whole one-to-one association (both directions) and wakes every
    /// waiter so that it re-checks.
    pub(crate) fn latch_end(&self, cause: EndCause) {
        {
            let mut a = lock(&self.assocs);
            a.send_end.get_or_insert(cause.clone());
            a.recv_end.get_or_insert(cause);
        }
        self.data_notify.notify_waiters();
        self.event_notify.notify_waiters();
        self.wake_senders();
    }

    /// Wakes every send waiting for room (async and poll-based) so that it re-checks the
    /// latched ends.
    fn wake_senders(&self) {
        self.send_notify.notify_waiters();
        let waker = lock(&self.send_waker).take();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Latches the end of the sending direction only.
    pub(crate) fn latch_send_end(&self, cause: EndCause) {
        lock(&self.assocs).send_end.get_or_insert(cause);
        self.wake_senders();
    }

    /// Applies a notification to the association table. Returns true if the read side of a
    /// one-to-one socket ended.
    fn apply(&self, n: &Notification) -> bool {
        let ended = self.apply_to_table(n);
        if matches!(n, Notification::AssocChange(_) | Notification::Shutdown(_)) {
            // Sends waiting for room re-check the updated table.
            self.wake_senders();
        }
        ended
    }

    fn apply_to_table(&self, n: &Notification) -> bool {
        let mut a = lock(&self.assocs);
        let whole = self.style != Style::OneToMany;
        match n {
            Notification::AssocChange(c) => {
                let id = c.assoc_id;
                let streams = Streams {
                    outbound: c.outbound_streams,
                    inbound: c.inbound_streams,
                };
                let cause = match c.state {
                    AssocChangeState::CommUp | AssocChangeState::Restart => {
                        a.up.insert(id, streams);
                        a.ended.remove(&id);
                        if whole {
                            a.assoc_id = id;
                        }
                        None
                    }
                    s if s.is_terminal() => Some(EndCause::notification(n)),
                    _ => None,
                };
                if let Some(cause) = cause {
                    a.up.remove(&id);
                    if whole {
                        a.send_end.get_or_insert(cause.clone());
                        a.recv_end.get_or_insert(cause);
                        return true;
                    }
                    if a.ended.insert(id, cause).is_none() {
                        a.ended_order.push_back(id);
                        if a.ended_order.len() > ENDED_MEMORY {
                            if let Some(old) = a.ended_order.pop_front() {
                                a.ended.remove(&old);
                            }
                        }
                    }
                }
            }
            Notification::Shutdown(s) => {
                if whole {
                    a.send_end.get_or_insert(EndCause::notification(n));
                } else {
                    let _ = s;
                }
            }
            Notification::StreamChange(c) => {
                // Linux reports the number of streams *added* (and each direction in an event
                // of its own), not the new totals: read the totals back. Rare, so one
                // SCTP_STATUS is fine.
                let id = if whole { a.assoc_id } else { c.assoc_id };
                let mut status = linux_sctp_sys::sctp_status {
                    sstat_assoc_id: id,
                    ..Default::default()
                };
                let read = linux_sctp_sys::ops::getsockopt_inout(
                    self.fd(),
                    linux_sctp_sys::SOL_SCTP,
                    linux_sctp_sys::SCTP_STATUS,
                    &mut status,
                );
                if let (Ok(_), Some(st)) = (read, a.up.get_mut(&id)) {
                    st.outbound = status.sstat_outstrms;
                    st.inbound = status.sstat_instrms;
                }
            }
            _ => {}
        }
        false
    }

    // ----------------------------------------------------------------------------------
    // Sending
    // ----------------------------------------------------------------------------------

    /// Checks what can be checked before the syscall: a latched end, and the stream id against
    /// the negotiated outbound stream count.
    pub(crate) fn check_send(&self, assoc: Option<sctp_assoc_t>, sid: u16) -> Result<()> {
        let a = lock(&self.assocs);
        if self.style != Style::OneToMany {
            if let Some(cause) = &a.send_end {
                return Err(cause.to_error());
            }
        } else if let Some(cause) = assoc.and_then(|id| a.ended.get(&id)) {
            return Err(cause.to_error());
        }
        let id = match self.style {
            Style::OneToMany => assoc,
            _ => Some(a.assoc_id),
        };
        if let Some(st) = id.and_then(|id| a.up.get(&id)) {
            if sid >= st.outbound {
                return Err(Error::new(ErrorKind::StreamOutOfRange {
                    stream: sid,
                    outbound_streams: st.outbound,
                }));
            }
        }
        Ok(())
    }

    /// Turns a send error into `AssociationEnded` when it means the association is gone.
    fn map_send_err(&self, assoc: Option<sctp_assoc_t>, e: io::Error) -> Error {
        let errno = e.raw_os_error().unwrap_or(0);
        if errno == libc::EMSGSIZE {
            // SCTP sends are atomic: a message over the send buffer can never go out.
            let limit = socket2::SockRef::from(&self.fd())
                .send_buffer_size()
                .unwrap_or(0);
            return Error::with_io(ErrorKind::MessageTooLarge { limit }, e);
        }
        // A one-to-one socket's pending error (`sk_err`) comes out of `sendmsg` too: after a
        // loss (`ETIMEDOUT`: retransmissions ran out) or an ABORT, before or instead of the
        // `EPIPE` of a closed socket.
        let ended = matches!(
            errno,
            libc::EPIPE
                | libc::ECONNRESET
                | libc::ESHUTDOWN
                | libc::ENOTCONN
                | libc::ETIMEDOUT
                | libc::ECONNREFUSED
                | libc::ECONNABORTED
        );
        if !ended {
            return e.into();
        }
        if self.style == Style::OneToMany {
            return match assoc.and_then(|id| lock(&self.assocs).ended.get(&id).cloned()) {
                Some(cause) => cause.to_error(),
                None => e.into(),
            };
        }
        let cause = {
            let mut a = lock(&self.assocs);
            let id = a.assoc_id;
            a.send_end.get_or_insert(EndCause::lost(id, errno)).clone()
        };
        // Other sends waiting for room fail the same way.
        self.wake_senders();
        cause.to_error()
    }

    fn sendmsg(
        &self,
        to: Option<&SocketAddr>,
        data: &[u8],
        cmsgs: &SendCmsgs<'_>,
    ) -> io::Result<usize> {
        linux_sctp_sys::ops::sendmsg(
            self.fd(),
            &[IoSlice::new(data)],
            to,
            cmsgs,
            libc::MSG_NOSIGNAL,
        )
    }

    /// Sends one message: one `sendmsg(2)` with `MSG_NOSIGNAL`, retried on `EAGAIN` after
    /// waiting for write readiness.
    pub(crate) async fn send(
        &self,
        assoc: Option<sctp_assoc_t>,
        to: Option<&SocketAddr>,
        data: &[u8],
        cmsgs: &SendCmsgs<'_>,
    ) -> Result<usize> {
        let io = self
            .fd
            .async_io(Interest::WRITABLE, |_| self.sendmsg(to, data, cmsgs));
        if Self::is_control(cmsgs) {
            // SCTP_EOF / SCTP_ABORT: they end the association themselves; a latched end
            // of the sending side must not stop them.
            return io.await.map_err(|e| self.map_send_err(assoc, e));
        }
        self.send_until_end(assoc, io, |e| self.map_send_err(assoc, e))
            .await
    }

    /// Whether a send is `SCTP_EOF` / `SCTP_ABORT`: such a send ends the association itself,
    /// so a latched end of the sending side must not stop it.
    fn is_control(cmsgs: &SendCmsgs<'_>) -> bool {
        cmsgs.sndinfo.is_some_and(|i| {
            i.snd_flags & (linux_sctp_sys::SCTP_EOF | linux_sctp_sys::SCTP_ABORT) != 0
        })
    }

    /// The latched end that stops data sends to `assoc` (one-to-one: the socket's sending
    /// side), if there is one.
    fn send_ended(&self, assoc: Option<sctp_assoc_t>) -> Option<EndCause> {
        let a = lock(&self.assocs);
        match self.style {
            Style::OneToMany => assoc.and_then(|id| a.ended.get(&id).cloned()),
            _ => a.send_end.clone(),
        }
    }

    /// Awaits `io`, a data send waiting for write readiness, unless the sending side of its
    /// association is latched as ended first: the kernel may never make room again (a
    /// local shutdown or abort with the peer not reading, the ABORT of `abort` held back
    /// until this very send lets go of the socket), and the send would fail anyway.
    async fn send_until_end<T>(
        &self,
        assoc: Option<sctp_assoc_t>,
        io: impl Future<Output = io::Result<T>>,
        map: impl Fn(io::Error) -> Error,
    ) -> Result<T> {
        let mut io = pin!(io);
        loop {
            let mut ended = pin!(self.send_notify.notified());
            ended.as_mut().enable();
            if let Some(cause) = self.send_ended(assoc) {
                return Err(cause.to_error());
            }
            match select(io.as_mut(), ended).await {
                Either::Left((r, _)) => return r.map_err(map),
                Either::Right(_) => continue,
            }
        }
    }

    /// Polls one send; see [`send`](Self::send).
    pub(crate) fn poll_send(
        &self,
        cx: &mut Context<'_>,
        assoc: Option<sctp_assoc_t>,
        to: Option<&SocketAddr>,
        data: &[u8],
        cmsgs: &SendCmsgs<'_>,
    ) -> Poll<Result<usize>> {
        let checked = (!Self::is_control(cmsgs)).then_some(assoc);
        self.poll_send_io(
            cx,
            checked,
            || self.sendmsg(to, data, cmsgs),
            |e| self.map_send_err(assoc, e),
        )
    }

    /// Polls a send (`io`) for write readiness, as [`send_until_end`](Self::send_until_end)
    /// awaits one: on every poll, fails at once if the sending side of `checked` is latched as
    /// ended (`None`: a control send, never stopped), and leaves the caller's waker for the
    /// latching code before waiting.
    fn poll_send_io<T>(
        &self,
        cx: &mut Context<'_>,
        checked: Option<Option<sctp_assoc_t>>,
        mut io: impl FnMut() -> io::Result<T>,
        map: impl Fn(io::Error) -> Error,
    ) -> Poll<Result<T>> {
        loop {
            if let Some(assoc) = checked {
                // Waker first, then the check: a latch set after the check wakes it.
                {
                    let mut w = lock(&self.send_waker);
                    if !w.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                        *w = Some(cx.waker().clone());
                    }
                }
                if let Some(cause) = self.send_ended(assoc) {
                    return Poll::Ready(Err(cause.to_error()));
                }
            }
            let mut guard = match self.fd.poll_write_ready(cx) {
                Poll::Ready(Ok(g)) => g,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Pending => return Poll::Pending,
            };
            match guard.try_io(|_| io()) {
                Ok(r) => return Poll::Ready(r.map_err(map)),
                Err(_would_block) => continue,
            }
        }
    }

    /// Tries one send without waiting.
    pub(crate) fn try_send(
        &self,
        assoc: Option<sctp_assoc_t>,
        to: Option<&SocketAddr>,
        data: &[u8],
        cmsgs: &SendCmsgs<'_>,
    ) -> Result<usize> {
        self.fd
            .try_io(Interest::WRITABLE, |_| self.sendmsg(to, data, cmsgs))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::WouldBlock {
                    e.into()
                } else {
                    self.map_send_err(assoc, e)
                }
            })
    }

    /// The association a message of a batch is checked against: its own on a one-to-many
    /// socket, the socket's otherwise.
    fn batch_assoc(&self, info: &SendInfo) -> Option<sctp_assoc_t> {
        match self.style {
            Style::OneToMany => Some(info.assoc_id),
            _ => None,
        }
    }

    /// Checks every message of a batch (latched end, stream range) before any syscall.
    pub(crate) fn check_batch(&self, msgs: &[(&[u8], SendInfo)]) -> Result<()> {
        for (_, info) in msgs.iter().take(sys::BATCH_MAX) {
            self.check_send(self.batch_assoc(info), info.stream)?;
        }
        Ok(())
    }

    fn sendmmsg(&self, msgs: &[(&[u8], SendInfo)]) -> io::Result<usize> {
        let entries = msgs
            .iter()
            .map(|(data, info)| linux_sctp_sys::ops::MmsgSend {
                data,
                to: None,
                cmsgs: Self::cmsgs_for(info),
            });
        linux_sctp_sys::ops::sendmmsg(self.fd(), entries, libc::MSG_NOSIGNAL)
    }

    fn map_batch_err(&self, msgs: &[(&[u8], SendInfo)], e: io::Error) -> Error {
        let assoc = msgs.first().and_then(|(_, info)| self.batch_assoc(info));
        self.map_send_err(assoc, e)
    }

    /// Sends up to [`sys::BATCH_MAX`] messages with one `sendmmsg(2)`, waiting for write
    /// readiness while the first would block. Returns how many went, from the front.
    pub(crate) async fn send_batch(&self, msgs: &[(&[u8], SendInfo)]) -> Result<usize> {
        self.check_batch(msgs)?;
        if msgs.is_empty() {
            return Ok(0);
        }
        let io = self
            .fd
            .async_io(Interest::WRITABLE, |_| self.sendmmsg(msgs));
        let assoc = msgs.first().and_then(|(_, info)| self.batch_assoc(info));
        self.send_until_end(assoc, io, |e| self.map_batch_err(msgs, e))
            .await
    }

    /// Polls a [`send_batch`](Self::send_batch).
    pub(crate) fn poll_send_batch(
        &self,
        cx: &mut Context<'_>,
        msgs: &[(&[u8], SendInfo)],
    ) -> Poll<Result<usize>> {
        if let Err(e) = self.check_batch(msgs) {
            return Poll::Ready(Err(e));
        }
        if msgs.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let assoc = msgs.first().and_then(|(_, info)| self.batch_assoc(info));
        self.poll_send_io(
            cx,
            Some(assoc),
            || self.sendmmsg(msgs),
            |e| self.map_batch_err(msgs, e),
        )
    }

    /// Tries a [`send_batch`](Self::send_batch) without waiting.
    pub(crate) fn try_send_batch(&self, msgs: &[(&[u8], SendInfo)]) -> Result<usize> {
        self.check_batch(msgs)?;
        if msgs.is_empty() {
            return Ok(0);
        }
        self.fd
            .try_io(Interest::WRITABLE, |_| self.sendmmsg(msgs))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::WouldBlock {
                    e.into()
                } else {
                    self.map_batch_err(msgs, e)
                }
            })
    }

    /// Builds the cmsgs for `info` (SNDINFO, plus PRINFO when a PR-SCTP policy is set).
    pub(crate) fn cmsgs_for(info: &SendInfo) -> SendCmsgs<'static> {
        SendCmsgs {
            sndinfo: Some(info.to_sndinfo()),
            prinfo: info.to_prinfo(),
            ..SendCmsgs::default()
        }
    }

    // ----------------------------------------------------------------------------------
    // Receiving
    // ----------------------------------------------------------------------------------

    /// Takes what `want` asks for from the queues or the association table, if it is there.
    fn take(&self, rx: &mut Rx, want: Want) -> Option<Result<Got>> {
        match want {
            Want::Data => {
                let item = rx.data_q.pop_front()?;
                if let Ok((b, _)) = &item {
                    rx.data_q_bytes -= b.len();
                }
                self.event_notify.notify_waiters();
                Some(item.map(|(b, info)| Got::Data(b, info)))
            }
            Want::Event => {
                if rx.lagged > 0 {
                    let n = std::mem::take(&mut rx.lagged);
                    return Some(Ok(Got::Event(Err(Error::new(ErrorKind::EventsLagged {
                        dropped: n,
                    })))));
                }
                rx.event_q.pop_front().map(|e| Ok(Got::Event(e)))
            }
            Want::Established(id) => {
                let a = lock(&self.assocs);
                let id = id.unwrap_or(a.assoc_id);
                if let Some(st) = a.up.get(&id) {
                    return Some(Ok(Got::Established(id, *st)));
                }
                let cause = match self.style {
                    Style::OneToMany => a.ended.get(&id).cloned(),
                    _ => a.recv_end.clone(),
                };
                cause.map(|c| Err(self.connect_error(&c)))
            }
        }
    }

    /// The error a connect reports for an association that did not come up: the socket's
    /// pending error (`SO_ERROR`: `ECONNREFUSED`, `ETIMEDOUT`, ...) on one-to-one sockets, else
    /// the errno the end was seen with, else `ECONNREFUSED` for `CANT_STR_ASSOC` and
    /// `ECONNRESET` for any other end.
    fn connect_error(&self, cause: &EndCause) -> Error {
        if self.style == Style::OneToOne {
            if let Ok(Some(e)) = socket2::SockRef::from(&self.fd()).take_error() {
                return e.into();
            }
        }
        let errno = cause.errno.unwrap_or(match &cause.cause {
            Notification::AssocChange(c) if c.state == AssocChangeState::CantStartAssoc => {
                libc::ECONNREFUSED
            }
            _ => libc::ECONNRESET,
        });
        io::Error::from_raw_os_error(errno).into()
    }

    /// The read side is over for `want` (checked when the kernel has nothing more for us).
    fn ended_for(&self, rx: &Rx, want: Want) -> Option<Result<Got>> {
        // One-to-many sockets latch a receive-side end only when the user shut reading
        // down (see `read_eof`); their associations end one by one in the table.
        let cause = lock(&self.assocs).recv_end.clone();
        let cause = match (cause, rx.eof) {
            (Some(c), _) => c,
            (None, true) => EndCause::shutdown(lock(&self.assocs).assoc_id, None),
            (None, false) => return None,
        };
        Some(match want {
            Want::Data => Err(cause.to_error()),
            Want::Event => Ok(Got::EventsEnd),
            Want::Established(_) => Err(self.connect_error(&cause)),
        })
    }

    /// The error a data reader gets once the read side is over, if it is.
    fn data_end(&self, rx: &Rx) -> Option<Error> {
        match self.ended_for(rx, Want::Data)? {
            Err(e) => Some(e),
            Ok(_) => unreachable!("a data reader's end is an error"),
        }
    }

    /// One-to-one: the kernel says the association is gone (EOF or a receive error); nothing
    /// more will be read. Latches `cause` (given the association id) for both directions.
    fn end_reading(&self, rx: &mut Rx, cause: impl FnOnce(sctp_assoc_t) -> EndCause) {
        rx.eof = true;
        // Lock order: rx, then assocs (as when a notification is applied).
        self.latch_end(cause(self.assoc_id()));
    }

    /// A read returned 0 bytes without `MSG_EOR` or `MSG_NOTIFICATION`: the kernel queue is
    /// empty and its read side is shut, so every further read says the same. One-to-one: the
    /// association is over (EOF), both directions are latched. Peeled-off and one-to-many
    /// sockets report the end of an association otherwise (`ENOTCONN`, notifications): for
    /// them it means the user shut the read side (`shutdown(fd, SHUT_RD)`), and only
    /// receiving ends.
    fn read_eof(&self, rx: &mut Rx) {
        if self.style == Style::OneToOne {
            self.end_reading(rx, |id| EndCause::shutdown(id, None));
            return;
        }
        rx.eof = true;
        let id = self.assoc_id();
        lock(&self.assocs)
            .recv_end
            .get_or_insert(EndCause::shutdown(id, None));
        if let Some(w) = rx.recv_waker.take() {
            w.wake();
        }
        self.data_notify.notify_waiters();
        self.event_notify.notify_waiters();
    }

    /// Whether receives are over for good (checked before waiting for read readiness,
    /// which a latched end may never bring).
    fn read_ended(&self) -> bool {
        self.end_cause(None).is_some() || lock(&self.assocs).recv_end.is_some()
    }

    /// Reads from the socket until `want` is satisfied or the kernel has nothing more.
    ///
    /// Returns `None` when the caller must wait for readiness (read readiness was cleared
    /// through `guard`). Without a guard (try_ calls, or a read-side end already latched) a
    /// `WouldBlock` is reported as `None` as well.
    fn drive(
        &self,
        guard: Option<&mut AsyncFdReadyGuard<'_, OwnedFd>>,
        want: Want,
    ) -> Option<Result<Got>> {
        let mut rx = lock(&self.rx);
        let mut guard = guard;
        loop {
            if let Some(got) = self.take(&mut rx, want) {
                return Some(got);
            }
            if rx.eof {
                return self.ended_for(&rx, want);
            }
            // The event stream (or a connect) must not read unboundedly far ahead of `recv`.
            if want != Want::Data && rx.data_q_bytes >= DATA_QUEUE_LIMIT {
                return None;
            }
            let max = rx.max_message_size;
            let step = self.read_step(&mut rx, max);
            match step {
                Err(e) => return self.read_failed(&mut rx, e, guard.as_deref_mut(), want),
                Ok(Step::Eof) => {
                    self.read_eof(&mut rx);
                    return self.ended_for(&rx, want);
                }
                Ok(Step::Item { got, queue_empty }) => {
                    if queue_empty {
                        if let Some(g) = guard.as_deref_mut() {
                            g.clear_ready_matching(Ready::READABLE);
                        }
                    }
                    if let Some(got) = got {
                        match (got, want) {
                            (Ok(Got::Data(b, i)), Want::Data) => {
                                return Some(Ok(Got::Data(b, i)));
                            }
                            (Ok(Got::Event(ev)), Want::Event) => {
                                return Some(Ok(Got::Event(ev)));
                            }
                            (Err(e), Want::Data) => return Some(Err(e)),
                            (got, _) => self.queue(&mut rx, got),
                        }
                    }
                    if queue_empty {
                        if let Some(got) = self.take(&mut rx, want) {
                            return Some(got);
                        }
                        if guard.is_some() {
                            return None;
                        }
                    }
                }
            }
        }
    }

    /// A read failed with `e`: `WouldBlock` clears read readiness (through `guard`) and
    /// reports the end if there is one, else `None` (wait); on a one-to-one socket an errno
    /// that means the association is gone latches the end.
    fn read_failed(
        &self,
        rx: &mut Rx,
        e: io::Error,
        guard: Option<&mut AsyncFdReadyGuard<'_, OwnedFd>>,
        want: Want,
    ) -> Option<Result<Got>> {
        if e.kind() == io::ErrorKind::WouldBlock {
            if let Some(g) = guard {
                g.clear_ready_matching(Ready::READABLE);
            }
            return self.ended_for(rx, want);
        }
        if self.style == Style::OneToMany {
            return Some(Err(e.into()));
        }
        let errno = e.raw_os_error().unwrap_or(0);
        if matches!(
            errno,
            libc::ECONNRESET
                | libc::ENOTCONN
                | libc::EPIPE
                | libc::ECONNREFUSED
                | libc::ETIMEDOUT
                | libc::ECONNABORTED
        ) {
            self.end_reading(rx, |id| EndCause::lost(id, errno));
            if let Want::Established(_) = want {
                return Some(Err(e.into()));
            }
            return self.ended_for(rx, want);
        }
        Some(Err(e.into()))
    }

    /// Queues an item read on behalf of another kind of reader, and wakes that reader.
    fn queue(&self, rx: &mut Rx, got: Result<Got>) {
        match got {
            Ok(Got::Data(b, info)) => {
                rx.data_q_bytes += b.len();
                rx.data_q.push_back(Ok((b, info)));
                self.wake_recv(rx);
            }
            Ok(Got::Event(ev)) => {
                if rx.event_q.len() >= rx.event_capacity {
                    rx.event_q.pop_front();
                    rx.lagged += 1;
                }
                rx.event_q.push_back(ev);
                self.event_notify.notify_waiters();
            }
            // A data-side error (message over the cap) found by a non-data reader: hand it to
            // `recv` as its next result, in order.
            Err(e) => {
                rx.data_q.push_back(Err(e));
                self.wake_recv(rx);
            }
            Ok(Got::EventsEnd) | Ok(Got::Established(..)) => {}
        }
    }

    fn wake_recv(&self, rx: &mut Rx) {
        if let Some(w) = rx.recv_waker.take() {
            w.wake();
        }
        self.data_notify.notify_waiters();
    }

    /// How much room the next read of a single piece offers.
    fn window(rx: &Rx, max: usize) -> usize {
        let old_len = rx.buf.len();
        let window = match (rx.cur.is_some() || rx.discard.is_some(), rx.hint) {
            // Continuing a message: the rest is at least as big as what we offered last time.
            (true, _) => old_len.max(READ_WINDOW),
            (false, Some(h)) => h.max(1),
            (false, None) => READ_WINDOW,
        };
        window
            .min(max.saturating_add(1).saturating_sub(old_len))
            .max(1)
    }

    /// Makes sure `rx.buf` has `room` bytes of spare capacity.
    fn reserve(rx: &mut Rx, room: usize) {
        if rx.buf.capacity() - rx.buf.len() < room {
            // Reserve a block several reads deep: messages are carved off its front and
            // handed out as `Bytes`, so one block serves many messages. Once every message
            // from it has been dropped, `reserve` takes the block back without allocating;
            // while some are still held, the new block is shared by the next ones in turn
            // (a kept 10-byte message never pins a block of its own).
            rx.buf.reserve(room.max(BLOCK));
        }
    }

    /// One `recvmsg` and the routing of the piece it returned.
    fn read_step(&self, rx: &mut Rx, max: usize) -> io::Result<Step> {
        let old_len = rx.buf.len();
        let window = Self::window(rx, max);
        Self::reserve(rx, window);
        let r = sys::recvmsg_into(self.fd(), &mut rx.buf, window)?;
        Ok(self.route(rx, old_len, &r, max))
    }

    /// Routes the piece one read appended at `rx.buf[old_len..]`, described by `r`: the
    /// one place where reads of every kind (single or batched) become messages,
    /// notifications and the end of the stream.
    fn route(&self, rx: &mut Rx, old_len: usize, r: &sys::RawRecv, max: usize) -> Step {
        rx.hint = r.cmsgs.nxtinfo.map(|n| n.nxt_length as usize);
        let queue_empty = r.is_eor() && r.cmsgs.nxtinfo.is_none() && rx.nxtinfo_on;
        if r.len == 0 && r.flags & (libc::MSG_EOR | linux_sctp_sys::MSG_NOTIFICATION) == 0 {
            rx.buf.truncate(old_len);
            return Step::Eof;
        }
        if r.is_notification() {
            return Step::Item {
                got: self.on_notification(rx, old_len, r.is_eor()),
                queue_empty,
            };
        }
        let info = r
            .cmsgs
            .rcvinfo
            .as_ref()
            .map(RecvInfo::from_rcvinfo)
            .unwrap_or_default();
        let key = (info.assoc_id, info.stream);
        Step::Item {
            got: on_data(rx, old_len, key, info, r.is_eor(), max),
            queue_empty,
        }
    }

    /// Routes a notification piece at `rx.buf[old_len..]`.
    fn on_notification(&self, rx: &mut Rx, old_len: usize, eor: bool) -> Option<Result<Got>> {
        let parsed = if eor && rx.notif.is_empty() {
            let p = Notification::parse(&rx.buf[old_len..]);
            rx.buf.truncate(old_len);
            p
        } else {
            let piece = rx.buf.split_off(old_len);
            rx.notif.extend_from_slice(&piece);
            drop(piece);
            if !eor {
                return None;
            }
            let p = Notification::parse(&rx.notif);
            rx.notif.clear();
            p
        };
        match parsed {
            Ok(n) => {
                drop_stale_partials(rx, &n);
                if self.apply(&n) {
                    self.data_notify.notify_waiters();
                    if let Some(w) = rx.recv_waker.take() {
                        w.wake();
                    }
                }
                if let Some(t) = n.event_type() {
                    if !rx.delivered.contains(t) {
                        return None;
                    }
                }
                Some(Ok(Got::Event(Ok(n))))
            }
            Err(e) => Some(Ok(Got::Event(Err(e.into())))),
        }
    }

    /// Waits for `want`, from any number of tasks at once. Cancel safe.
    async fn wait(&self, want: Want) -> Result<Got> {
        let notify = match want {
            Want::Data => &self.data_notify,
            _ => &self.event_notify,
        };
        loop {
            let mut notified = pin!(notify.notified());
            notified.as_mut().enable();
            if let Some(r) = self.take(&mut lock(&self.rx), want) {
                return r;
            }
            // A latched end needs no readiness: ask the kernel directly, it will say EOF,
            // ENOTCONN or EAGAIN, and then we report the end instead of waiting forever.
            if self.read_ended() || want != Want::Data && self.data_full() {
                if let Some(r) = self.drive(None, want) {
                    return r;
                }
                if want != Want::Data && self.data_full() {
                    notified.await;
                    continue;
                }
            }
            let readable = pin!(self.fd.readable());
            match select(notified, readable).await {
                Either::Left(_) => continue,
                Either::Right((guard, _)) => {
                    let mut guard = guard?;
                    if let Some(r) = self.drive(Some(&mut guard), want) {
                        return r;
                    }
                }
            }
        }
    }

    fn data_full(&self) -> bool {
        lock(&self.rx).data_q_bytes >= DATA_QUEUE_LIMIT
    }

    /// Receives one whole data message.
    pub(crate) async fn recv(&self) -> Result<(Bytes, RecvInfo)> {
        match self.wait(Want::Data).await? {
            Got::Data(b, i) => Ok((b, i)),
            _ => unreachable!("a data wait returns data"),
        }
    }

    /// Polls for one whole data message (one waker: the last caller's).
    pub(crate) fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Result<(Bytes, RecvInfo)>> {
        loop {
            {
                let mut rx = lock(&self.rx);
                rx.recv_waker = Some(cx.waker().clone());
            }
            if self.read_ended() {
                if let Some(r) = self.drive(None, Want::Data) {
                    return Poll::Ready(r.map(expect_data));
                }
            }
            let mut guard = match self.fd.poll_read_ready(cx) {
                Poll::Ready(Ok(g)) => g,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Pending => {
                    // Something may have been queued between our check and the registration.
                    let mut rx = lock(&self.rx);
                    if let Some(r) = self.take(&mut rx, Want::Data) {
                        return Poll::Ready(r.map(expect_data));
                    }
                    return Poll::Pending;
                }
            };
            if let Some(r) = self.drive(Some(&mut guard), Want::Data) {
                return Poll::Ready(r.map(expect_data));
            }
        }
    }

    /// Receives one whole data message if one can be had without waiting.
    pub(crate) fn try_recv(&self) -> Result<(Bytes, RecvInfo)> {
        match self.drive(None, Want::Data) {
            Some(r) => r.map(expect_data),
            None => Err(io::Error::from(io::ErrorKind::WouldBlock).into()),
        }
    }

    /// Waits for the next notification; `None` once a one-to-one association is gone and
    /// everything queued was delivered.
    pub(crate) async fn next_event(&self) -> Option<Result<Notification>> {
        match self.wait(Want::Event).await {
            Ok(Got::Event(e)) => Some(e),
            Ok(Got::EventsEnd) => None,
            Ok(_) => unreachable!("an event wait returns events"),
            Err(e) => Some(Err(e)),
        }
    }

    /// Takes a notification if one is available without waiting.
    pub(crate) fn try_next_event(&self) -> Option<Result<Notification>> {
        match self.drive(None, Want::Event) {
            Some(Ok(Got::Event(e))) => Some(e),
            Some(Err(e)) => Some(Err(e)),
            _ => None,
        }
    }

    /// Waits until association `id` (one-to-one: the association) is up, returning its
    /// id and stream counts, or fails with the kernel's reason.
    pub(crate) async fn wait_established(
        &self,
        id: Option<sctp_assoc_t>,
    ) -> Result<(sctp_assoc_t, Streams)> {
        match self.wait(Want::Established(id)).await? {
            Got::Established(id, st) => Ok((id, st)),
            _ => unreachable!("an established wait returns established"),
        }
    }

    /// [`wait_established`](Self::wait_established) for at most `limit` (no limit: `None`).
    /// When the time runs out the caller must abort the handshake; the error is `ETIMEDOUT`
    /// (`io::ErrorKind::TimedOut`), the errno the kernel itself reports when its INIT
    /// retransmissions run out.
    pub(crate) async fn wait_established_within(
        &self,
        id: Option<sctp_assoc_t>,
        limit: Option<Duration>,
    ) -> std::result::Result<Result<(sctp_assoc_t, Streams)>, Error> {
        let Some(limit) = limit else {
            return Ok(self.wait_established(id).await);
        };
        tokio::time::timeout(limit, self.wait_established(id))
            .await
            .map_err(|_| io::Error::from_raw_os_error(libc::ETIMEDOUT).into())
    }

    /// Low-level receive into `buf`; see `SctpStream::recv_into`.
    pub(crate) fn recv_into_step(
        &self,
        guard: Option<&mut AsyncFdReadyGuard<'_, OwnedFd>>,
        buf: &mut [u8],
    ) -> Option<Result<RecvPiece>> {
        let mut rx = lock(&self.rx);
        // Hand out queued data first (a message read ahead by the event stream).
        if let Some(item) = rx.data_q.pop_front() {
            let (b, info) = match item {
                Ok(m) => m,
                Err(e) => return Some(Err(e)),
            };
            let len = b.len().min(buf.len());
            buf[..len].copy_from_slice(&b[..len]);
            rx.data_q_bytes -= len;
            // An event stream stopped by a full queue may read again.
            self.event_notify.notify_waiters();
            let eor = len == b.len();
            if !eor {
                rx.data_q.push_front(Ok((b.slice(len..), info)));
            }
            return Some(Ok(RecvPiece { len, eor, info }));
        }
        let mut guard = guard;
        loop {
            if rx.eof {
                return self.data_end(&rx).map(Err);
            }
            let mut slices = [io::IoSliceMut::new(&mut *buf)];
            let r = match linux_sctp_sys::ops::recvmsg(self.fd(), &mut slices, 0) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    if let Some(g) = guard.as_deref_mut() {
                        g.clear_ready_matching(Ready::READABLE);
                    }
                    return self.data_end(&rx).map(Err);
                }
                Err(e) if self.style != Style::OneToMany => {
                    let errno = e.raw_os_error().unwrap_or(0);
                    self.end_reading(&mut rx, |id| EndCause::lost(id, errno));
                    return Some(Err(self.data_end(&rx).unwrap_or_else(|| e.into())));
                }
                Err(e) => return Some(Err(e.into())),
            };
            rx.hint = r.cmsgs.nxtinfo.map(|n| n.nxt_length as usize);
            let eor = r.is_eor();
            if r.len == 0 && !eor && !r.is_notification() && !buf.is_empty() {
                self.read_eof(&mut rx);
                return self.data_end(&rx).map(Err);
            }
            if r.is_notification() {
                let old_len = rx.buf.len();
                rx.buf.extend_from_slice(&buf[..r.len]);
                if let Some(got) = self.on_notification(&mut rx, old_len, eor) {
                    self.queue(&mut rx, got);
                }
                if r.len == 0 && !eor {
                    // `buf` is empty: the notification cannot move through it, and reading
                    // it that way again would spin. Take it through the receive buffer.
                    let max = rx.max_message_size;
                    match self.read_step(&mut rx, max) {
                        Ok(Step::Item { got: Some(got), .. }) => self.queue(&mut rx, got),
                        Ok(Step::Item { got: None, .. }) => {}
                        Ok(Step::Eof) => {
                            self.read_eof(&mut rx);
                            return self.data_end(&rx).map(Err);
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                        Err(e) => return Some(Err(e.into())),
                    }
                }
                continue;
            }
            if eor && r.cmsgs.nxtinfo.is_none() && rx.nxtinfo_on {
                if let Some(g) = guard.as_deref_mut() {
                    g.clear_ready_matching(Ready::READABLE);
                }
            }
            let info = r
                .cmsgs
                .rcvinfo
                .as_ref()
                .map(RecvInfo::from_rcvinfo)
                .unwrap_or_default();
            return Some(Ok(RecvPiece {
                len: r.len,
                eor,
                info,
            }));
        }
    }

    /// [`recv_into_step`](Self::recv_into_step) without a readiness guard: `WouldBlock`
    /// when nothing can be had at once.
    pub(crate) fn try_recv_into(&self, buf: &mut [u8]) -> Result<RecvPiece> {
        self.recv_into_step(None, buf)
            .unwrap_or_else(|| Err(io::Error::from(io::ErrorKind::WouldBlock).into()))
    }

    /// Async form of [`recv_into_step`](Self::recv_into_step).
    pub(crate) async fn recv_into(&self, buf: &mut [u8]) -> Result<RecvPiece> {
        loop {
            let mut notified = pin!(self.data_notify.notified());
            notified.as_mut().enable();
            if self.read_ended() {
                if let Some(r) = self.recv_into_step(None, buf) {
                    return r;
                }
            }
            {
                let rx = lock(&self.rx);
                if !rx.data_q.is_empty() {
                    drop(rx);
                    if let Some(r) = self.recv_into_step(None, buf) {
                        return r;
                    }
                }
            }
            let readable = pin!(self.fd.readable());
            match select(notified, readable).await {
                Either::Left(_) => continue,
                Either::Right((guard, _)) => {
                    let mut guard = guard?;
                    if let Some(r) = self.recv_into_step(Some(&mut guard), buf) {
                        return r;
                    }
                }
            }
        }
    }

    /// Poll form of [`recv_into`](Self::recv_into).
    pub(crate) fn poll_recv_into(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<Result<RecvPiece>> {
        self.poll_read_with(cx, |guard| self.recv_into_step(guard, buf))
    }

    /// The poll loop of [`poll_recv_into`](Self::poll_recv_into) and
    /// [`poll_recv_batch`](Self::poll_recv_batch): `step(None)` serves what is already queued
    /// (or the latched end), `step(Some(guard))` reads from the socket; a step that returns
    /// `None` sends the loop back to waiting for readiness. The last caller's waker is kept.
    fn poll_read_with<T>(
        &self,
        cx: &mut Context<'_>,
        mut step: impl FnMut(Option<&mut AsyncFdReadyGuard<'_, OwnedFd>>) -> Option<Result<T>>,
    ) -> Poll<Result<T>> {
        loop {
            lock(&self.rx).recv_waker = Some(cx.waker().clone());
            if self.read_ended() || !lock(&self.rx).data_q.is_empty() {
                if let Some(r) = step(None) {
                    return Poll::Ready(r);
                }
            }
            let mut guard = match self.fd.poll_read_ready(cx) {
                Poll::Ready(Ok(g)) => g,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Pending => {
                    if !lock(&self.rx).data_q.is_empty() {
                        continue;
                    }
                    return Poll::Pending;
                }
            };
            if let Some(r) = step(Some(&mut guard)) {
                return Poll::Ready(r);
            }
        }
    }

    /// Receives up to `max` whole messages into `out` (appended): the queued ones first, then,
    /// when the kernel may hold more (no queued message, or the last `SCTP_NXTINFO` announced
    /// one), one `recvmmsg(2)`. `None` when the caller must wait for readiness.
    ///
    /// Everything a batch read returns is routed like a single read's: notifications to the
    /// event queue, pieces reassembled (across entries and calls), the size cap applied. A
    /// failure after some messages were taken is kept for the next call (an item in the data
    /// queue, or the latched end).
    fn drive_batch(
        &self,
        guard: Option<&mut AsyncFdReadyGuard<'_, OwnedFd>>,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Option<Result<usize>> {
        let mut rx = lock(&self.rx);
        let mut guard = guard;
        let start = out.len();
        loop {
            let mut took = false;
            while out.len() - start < max {
                match rx.data_q.pop_front() {
                    Some(Ok((b, info))) => {
                        rx.data_q_bytes -= b.len();
                        out.push((b, info));
                        took = true;
                    }
                    Some(Err(e)) if out.len() == start => {
                        self.event_notify.notify_waiters();
                        return Some(Err(e));
                    }
                    Some(Err(e)) => {
                        rx.data_q.push_front(Err(e));
                        break;
                    }
                    None => break,
                }
            }
            if took {
                self.event_notify.notify_waiters();
            }
            let n = out.len() - start;
            let more_queued = rx.hint.is_some() || !rx.nxtinfo_on;
            if n == max || n > 0 && (!more_queued || matches!(rx.data_q.front(), Some(Err(_)))) {
                return Some(Ok(n));
            }
            if rx.eof {
                if n > 0 {
                    return Some(Ok(n));
                }
                return self.data_end(&rx).map(Err);
            }
            let batch = self.batch_step(&mut rx, max - n, out);
            let delivered = out.len() - start;
            match batch {
                Err(e) => {
                    let r = self.read_failed(&mut rx, e, guard.as_deref_mut(), Want::Data);
                    if delivered == 0 {
                        return r.map(|r| r.map(|_| 0));
                    }
                    // Keep a failure that is not the (latched) end for the next call.
                    if let (Some(Err(e)), false) = (r, rx.eof) {
                        rx.data_q.push_front(Err(e));
                    }
                    return Some(Ok(delivered));
                }
                Ok(BatchEnd::Eof) => {
                    self.read_eof(&mut rx);
                    if delivered > 0 {
                        return Some(Ok(delivered));
                    }
                    return self.data_end(&rx).map(Err);
                }
                Ok(BatchEnd::More { queue_empty }) => {
                    if queue_empty {
                        if let Some(g) = guard.as_deref_mut() {
                            g.clear_ready_matching(Ready::READABLE);
                        }
                    }
                    if delivered > 0 {
                        return Some(Ok(delivered));
                    }
                    if queue_empty && guard.is_some() && rx.data_q.is_empty() {
                        return None;
                    }
                }
            }
        }
    }

    /// One `recvmmsg` of at most `want` entries into the reassembly block, each entry routed
    /// as [`route`](Self::route) does for a single read; whole messages go to `out` until
    /// one fails (over the cap), after which everything goes to the data queue, in order.
    fn batch_step(
        &self,
        rx: &mut Rx,
        want: usize,
        out: &mut Vec<(Bytes, RecvInfo)>,
    ) -> io::Result<BatchEnd> {
        let max = rx.max_message_size;
        // Entry 0 is sized like a single read (it may continue a message); the others by the
        // running average of message sizes, within one block in all.
        let first = Self::window(rx, max);
        let other = rx
            .typical
            .max(MIN_BATCH_WINDOW)
            .next_power_of_two()
            .min(READ_WINDOW)
            .min(max.saturating_add(1));
        let count = want.min(sys::BATCH_MAX).min(1 + BLOCK / other).max(1);
        let mut windows = [other; sys::BATCH_MAX];
        windows[0] = first;
        let total = first + other * (count - 1);
        Self::reserve(rx, total);
        let old_len = rx.buf.len();
        let mut region = rx.buf.split_off(old_len);
        let mut eof = false;
        let mut queue_empty = false;
        let mut deferred = false;
        let r = sys::recvmmsg_into(self.fd(), &mut region, &windows[..count], |piece, raw| {
            if eof {
                return; // a socket at EOF fills every entry with EOF
            }
            let old = rx.buf.len();
            rx.buf.unsplit(piece);
            match self.route(rx, old, raw, max) {
                Step::Eof => eof = true,
                Step::Item {
                    got,
                    queue_empty: qe,
                } => {
                    queue_empty = qe;
                    match got {
                        Some(Ok(Got::Data(b, info))) => {
                            rx.typical = (rx.typical * 7 + b.len()) / 8;
                            if deferred {
                                self.queue(rx, Ok(Got::Data(b, info)));
                            } else {
                                out.push((b, info));
                            }
                        }
                        Some(Err(e)) => {
                            deferred = true;
                            self.queue(rx, Err(e));
                        }
                        Some(got) => self.queue(rx, got),
                        None => {}
                    }
                }
            }
        });
        rx.buf.unsplit(region);
        r?;
        Ok(if eof {
            BatchEnd::Eof
        } else {
            BatchEnd::More { queue_empty }
        })
    }

    /// Receives whole messages, up to `max`, appending them to `out`; waits for the first.
    pub(crate) async fn recv_batch(
        &self,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Result<usize> {
        if max == 0 {
            return Ok(0);
        }
        loop {
            let mut notified = pin!(self.data_notify.notified());
            notified.as_mut().enable();
            if self.read_ended() || !lock(&self.rx).data_q.is_empty() {
                if let Some(r) = self.drive_batch(None, out, max) {
                    return r;
                }
            }
            let readable = pin!(self.fd.readable());
            match select(notified, readable).await {
                Either::Left(_) => continue,
                Either::Right((guard, _)) => {
                    let mut guard = guard?;
                    if let Some(r) = self.drive_batch(Some(&mut guard), out, max) {
                        return r;
                    }
                }
            }
        }
    }

    /// Poll form of [`recv_batch`](Self::recv_batch) (one waker: the last caller's).
    pub(crate) fn poll_recv_batch(
        &self,
        cx: &mut Context<'_>,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Poll<Result<usize>> {
        if max == 0 {
            return Poll::Ready(Ok(0));
        }
        self.poll_read_with(cx, |guard| self.drive_batch(guard, out, max))
    }

    /// [`recv_batch`](Self::recv_batch) without waiting: `WouldBlock` when no whole message
    /// can be had at once.
    pub(crate) fn try_recv_batch(
        &self,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Result<usize> {
        if max == 0 {
            return Ok(0);
        }
        self.drive_batch(None, out, max)
            .unwrap_or_else(|| Err(io::Error::from(io::ErrorKind::WouldBlock).into()))
    }

    /// Moves everything queued for association `id` out of this socket's receive state
    /// (used by peeloff, so that no message read ahead is stranded on the parent).
    pub(crate) fn take_assoc(&self, id: sctp_assoc_t) -> TakenQueue {
        let mut rx = lock(&self.rx);
        let mut data = VecDeque::new();
        let mut keep = VecDeque::new();
        for item in rx.data_q.drain(..) {
            match &item {
                Ok((_, info)) if info.assoc_id == id => data.push_back(item),
                _ => keep.push_back(item),
            }
        }
        rx.data_q_bytes = keep.iter().flatten().map(|(b, _)| b.len()).sum();
        rx.data_q = keep;
        let mut events = VecDeque::new();
        let mut keep_ev = VecDeque::new();
        for ev in rx.event_q.drain(..) {
            match &ev {
                Ok(n) if n.assoc_id() == Some(id) => events.push_back(ev),
                _ => keep_ev.push_back(ev),
            }
        }
        rx.event_q = keep_ev;
        if !data.is_empty() {
            // An event stream stopped by a full queue may read again.
            self.event_notify.notify_waiters();
        }
        TakenQueue { data, events }
    }

    /// Puts items taken from another socket in front of this socket's queues.
    pub(crate) fn adopt(&self, taken: TakenQueue) {
        let mut rx = lock(&self.rx);
        for item in taken.data.into_iter().rev() {
            if let Ok((b, _)) = &item {
                rx.data_q_bytes += b.len();
            }
            rx.data_q.push_front(item);
        }
        for ev in taken.events.into_iter().rev() {
            rx.event_q.push_front(ev);
        }
    }
}

/// How a batch read ended.
enum BatchEnd {
    /// The read returned end-of-file (see `Core::read_eof`).
    Eof,
    /// Entries were routed; `queue_empty` as in [`Step::Item`], for the last one.
    More { queue_empty: bool },
}

/// Items moved from a one-to-many socket to a peeled-off one.
pub(crate) struct TakenQueue {
    data: VecDeque<Result<(Bytes, RecvInfo)>>,
    events: VecDeque<Result<Notification>>,
}

/// The result of one `recvmsg`.
enum Step {
    /// The read returned end-of-file (see `Core::read_eof`).
    Eof,
    /// A piece was read; `got` is set when it completed a message or notification.
    Item {
        got: Option<Result<Got>>,
        /// `MSG_EOR` and no `SCTP_NXTINFO`: the kernel had nothing else queued.
        queue_empty: bool,
    },
}

fn expect_data(g: Got) -> (Bytes, RecvInfo) {
    match g {
        Got::Data(b, i) => (b, i),
        _ => unreachable!("a data wait returns data"),
    }
}

/// Drops the partial messages the kernel will never finish after `n`: those of an
/// association that ended, or the one whose partial delivery was aborted (PR-SCTP
/// `FORWARD-TSN` past it). Kept, such a piece would be glued in front of the next message of
/// the same stream, or parked forever. Called with `rx.buf` holding only the message in
/// progress (the notification's bytes already taken out).
fn drop_stale_partials(rx: &mut Rx, n: &Notification) {
    match n {
        Notification::AssocChange(c) if c.state.is_terminal() => {
            drop_partials(rx, |k| k.0 == c.assoc_id);
        }
        Notification::PartialDelivery(p) if p.indication == PartialDeliveryIndication::Aborted => {
            // With I-DATA the event names the stream. With DATA the kernel reports stream 0
            // whatever the stream was, but then an association has one partial delivery at a
            // time: when nothing of the named stream is in progress, it is the one.
            let id = p.assoc_id;
            let sid = p.stream.and_then(|s| u16::try_from(s).ok());
            if sid.is_some_and(|s| drop_partials(rx, |k| *k == (id, s))) {
                return;
            }
            if sid.is_none_or(|s| s == 0) {
                drop_partials(rx, |k| k.0 == id);
            }
        }
        _ => {}
    }
}

/// Drops every partial message (in progress, parked or being discarded) whose key is
/// `stale`. Returns whether there was one.
fn drop_partials(rx: &mut Rx, stale: impl Fn(&PartialKey) -> bool) -> bool {
    let mut hit = false;
    if rx.cur.as_ref().is_some_and(&stale) {
        rx.buf.clear();
        rx.cur = None;
        hit = true;
    }
    if rx.discard.as_ref().is_some_and(&stale) {
        rx.discard = None;
        hit = true;
    }
    let before = rx.parked.len();
    rx.parked.retain(|(k, _)| !stale(k));
    hit || rx.parked.len() != before
}

/// Routes a data piece at `rx.buf[old_len..]` with key `key`.
fn on_data(
    rx: &mut Rx,
    old_len: usize,
    key: PartialKey,
    info: RecvInfo,
    eor: bool,
    max: usize,
) -> Option<Result<Got>> {
    // The rest of a message over the cap: drop it.
    if rx.discard == Some(key) {
        rx.buf.truncate(old_len);
        if eor {
            rx.discard = None;
        }
        return None;
    }
    // A piece of a different message than the one in progress (fragment interleaving): park
    // the one in progress and continue the one this piece belongs to. Rare; copies are fine.
    if old_len > 0 && rx.cur != Some(key) {
        let piece = rx.buf.split_off(old_len);
        let prev = rx.buf.split();
        if let Some(prev_key) = rx.cur.take() {
            rx.parked.push((prev_key, prev));
        }
        if let Some(i) = rx.parked.iter().position(|(k, _)| *k == key) {
            let (_, earlier) = rx.parked.swap_remove(i);
            rx.buf.extend_from_slice(&earlier);
        }
        rx.buf.extend_from_slice(&piece);
    } else if old_len == 0 {
        if let Some(i) = rx.parked.iter().position(|(k, _)| *k == key) {
            let (_, earlier) = rx.parked.swap_remove(i);
            let piece = rx.buf.split();
            rx.buf.extend_from_slice(&earlier);
            rx.buf.extend_from_slice(&piece);
        }
    }
    if rx.buf.len() > max {
        rx.buf.clear();
        rx.cur = None;
        if !eor {
            rx.discard = Some(key);
        }
        return Some(Err(Error::new(ErrorKind::MessageTooLarge { limit: max })));
    }
    if eor {
        rx.cur = None;
        return Some(Ok(Got::Data(rx.buf.split().freeze(), info)));
    }
    rx.cur = Some(key);
    None
}

/// Runs `fut` to completion only if it is ready at once (used by tests of cancel safety).
#[allow(dead_code)]
pub(crate) fn now_or_never<F: Future>(fut: F) -> Option<F::Output> {
    let waker = futures_util::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    let fut = pin!(fut);
    match fut.poll(&mut cx) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::net::UnixDatagram;

    use super::*;

    /// A core over a Unix socket: `route` never touches the descriptor for the pieces fed
    /// here, so the kernel's SCTP is not needed.
    fn core(style: Style) -> Core {
        let (a, _b) = UnixDatagram::pair().unwrap();
        a.set_nonblocking(true).unwrap();
        Core::new(OwnedFd::from(a), style, Config::default()).unwrap()
    }

    /// Routes `bytes` as one read: data of `(assoc, stream)`, or a notification.
    fn feed(core: &Core, bytes: &[u8], eor: bool, data: Option<(sctp_assoc_t, u16)>) -> Step {
        let mut rx = lock(&core.rx);
        let old = rx.buf.len();
        rx.buf.extend_from_slice(bytes);
        let mut flags = if eor { libc::MSG_EOR } else { 0 };
        let mut cmsgs = linux_sctp_sys::cmsg::RecvCmsgs::default();
        match data {
            Some((assoc, sid)) => {
                cmsgs.rcvinfo = Some(linux_sctp_sys::sctp_rcvinfo {
                    rcv_sid: sid,
                    rcv_assoc_id: assoc,
                    ..Default::default()
                });
            }
            None => flags |= linux_sctp_sys::MSG_NOTIFICATION,
        }
        let raw = sys::RawRecv {
            len: bytes.len(),
            flags,
            cmsgs,
        };
        core.route(&mut rx, old, &raw, 1 << 20)
    }

    fn data_of(step: Step) -> Option<(Vec<u8>, sctp_assoc_t, u16)> {
        match step {
            Step::Item {
                got: Some(Ok(Got::Data(b, i))),
                ..
            } => Some((b.to_vec(), i.assoc_id, i.stream)),
            _ => None,
        }
    }

    fn comm_lost(assoc: sctp_assoc_t) -> Vec<u8> {
        let mut n = Vec::new();
        n.extend_from_slice(&linux_sctp_sys::SCTP_ASSOC_CHANGE.to_ne_bytes());
        n.extend_from_slice(&0u16.to_ne_bytes());
        n.extend_from_slice(&20u32.to_ne_bytes());
        n.extend_from_slice(&linux_sctp_sys::SCTP_COMM_LOST.to_ne_bytes());
        n.extend_from_slice(&[0; 6]); // error, outbound and inbound streams
        n.extend_from_slice(&assoc.to_ne_bytes());
        n
    }

    /// `sctp_pdapi_event` with `SCTP_PARTIAL_DELIVERY_ABORTED`.
    fn pd_aborted(assoc: sctp_assoc_t, stream: u32) -> Vec<u8> {
        let mut n = Vec::new();
        n.extend_from_slice(&linux_sctp_sys::SCTP_PARTIAL_DELIVERY_EVENT.to_ne_bytes());
        n.extend_from_slice(&0u16.to_ne_bytes());
        n.extend_from_slice(&24u32.to_ne_bytes());
        n.extend_from_slice(&0u32.to_ne_bytes());
        n.extend_from_slice(&assoc.to_ne_bytes());
        n.extend_from_slice(&stream.to_ne_bytes());
        n.extend_from_slice(&0u32.to_ne_bytes());
        n
    }

    #[tokio::test]
    async fn an_aborted_partial_delivery_is_not_glued_to_the_next_message() {
        let c = core(Style::OneToMany);
        assert!(data_of(feed(&c, b"stale", false, Some((7, 5)))).is_none());
        // DATA chunks: the kernel reports stream 0 whatever the stream was.
        feed(&c, &pd_aborted(7, 0), true, None);
        let got = data_of(feed(&c, b"fresh", true, Some((7, 5))));
        assert_eq!(got, Some((b"fresh".to_vec(), 7, 5)));
    }

    #[tokio::test]
    async fn an_aborted_partial_delivery_of_one_stream_spares_the_others() {
        let c = core(Style::OneToMany);
        assert!(data_of(feed(&c, b"a1", false, Some((7, 1)))).is_none());
        assert!(data_of(feed(&c, b"b1", false, Some((7, 2)))).is_none());
        // I-DATA: the event names the stream.
        feed(&c, &pd_aborted(7, 2), true, None);
        let got = data_of(feed(&c, b"b2", true, Some((7, 2))));
        assert_eq!(got, Some((b"b2".to_vec(), 7, 2)));
        let got = data_of(feed(&c, b"a2", true, Some((7, 1))));
        assert_eq!(got, Some((b"a1a2".to_vec(), 7, 1)));
    }

    #[tokio::test]
    async fn the_partial_message_of_an_ended_association_is_dropped() {
        let c = core(Style::OneToMany);
        assert!(data_of(feed(&c, b"half", false, Some((7, 1)))).is_none());
        feed(&c, &comm_lost(7), true, None);
        let got = data_of(feed(&c, b"x", true, Some((8, 1))));
        assert_eq!(got, Some((b"x".to_vec(), 8, 1)));
        let rx = lock(&c.rx);
        assert!(rx.parked.is_empty(), "{:?}", rx.parked);
        assert_eq!((rx.buf.len(), rx.cur), (0, None));
    }
}
