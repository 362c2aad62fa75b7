//! The receive loop: readiness over `AsyncFd`, one `recvmsg` per step, routing each piece
//! (data to reassembly, notifications to the association table and the event stream), and
//! the typed readers built on it (`recv`, the event stream; `connect.rs`, `recv_into.rs` and
//! `batch.rs` add theirs).
//!
//! Every way of receiving, async, `poll_` or `try_`, is [`Core::poll_read`] (or
//! [`Core::try_read`]) around a step: a function that serves what is already there or reads
//! once, and says [`Step::Done`], [`Step::Again`] (readiness was cleared) or [`Step::Wait`].
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
//!
//! A latched end of the receive side needs no readiness: the loop asks the kernel directly,
//! which answers EOF, `ENOTCONN` or `EAGAIN`, and the reader reports the end instead of
//! waiting forever. A latched end of sending (a local or peer SHUTDOWN) changes nothing here:
//! the peer may still send, and the kernel's EOF ends receiving.

use std::future::poll_fn;
use std::io;
use std::os::fd::OwnedFd;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use linux_sctp_sys::ops::RecvMsg;
use tokio::io::unix::AsyncFdReadyGuard;
use tokio::io::Ready;

use crate::error::{Error, ErrorKind, Result};
use crate::message::RecvInfo;
use crate::notification::{Notification, NotificationError, PartialDeliveryIndication};
use crate::sync::{lock, Slot, WaitGuard};
use crate::sys;

use super::queues::{DataItem, ReadAhead, Taken};
use super::reassembly::{Assembled, Piece, Reassembly};
use super::table::{is_gone, EndCause, Streams};
use super::{Config, Core, Style};

/// Receive-side state. Lives behind a mutex in [`Core`], so no future ever owns any of it.
#[derive(Debug)]
pub(super) struct Rx {
    pub(super) asm: Reassembly,
    pub(super) queues: ReadAhead,
    /// `nxt_length` of the next queued message, from the last `SCTP_NXTINFO`.
    pub(super) hint: Option<usize>,
    /// Running average size of the messages batch reads returned: sizes their windows.
    pub(super) typical: usize,
    /// The read side saw EOF (or a terminal error): every further read says the same.
    pub(super) eof: bool,
    /// Whether `SCTP_RECVNXTINFO` is on: only then does a read without `SCTP_NXTINFO` prove
    /// the kernel queue empty. Off while a one-to-one socket connects (see
    /// [`Core::set_recv_nxtinfo`]).
    pub(super) nxtinfo_on: bool,
    /// See [`Config::connect_timeout`].
    pub(super) connect_timeout: Option<Duration>,
}

impl Rx {
    pub(super) fn new(config: &Config) -> Self {
        Rx {
            asm: Reassembly::new(config.max_message_size),
            queues: ReadAhead::new(config.event_capacity),
            hint: None,
            typical: 0,
            eof: false,
            nxtinfo_on: true,
            connect_timeout: config.connect_timeout,
        }
    }
}

impl Rx {
    /// Takes in what a read says about the next one (`SCTP_NXTINFO`): the size hint, and
    /// whether the kernel queue was empty after it (`MSG_EOR` and no `SCTP_NXTINFO`, which
    /// proves it only while `SCTP_RECVNXTINFO` is on). See the [module docs](self#readiness).
    pub(super) fn look_ahead(&mut self, raw: &RecvMsg) -> bool {
        self.hint = raw.cmsgs.nxtinfo.map(|n| n.nxt_length as usize);
        raw.is_eor() && raw.cmsgs.nxtinfo.is_none() && self.nxtinfo_on
    }
}

/// What the kernel says about a data piece (`SCTP_RCVINFO`; all zero without it).
pub(super) fn recv_info(raw: &RecvMsg) -> RecvInfo {
    raw.cmsgs
        .rcvinfo
        .as_ref()
        .map(RecvInfo::from_rcvinfo)
        .unwrap_or_default()
}

/// How a step may use the socket.
pub(super) enum Reading<'a, 'g> {
    /// No readiness reported: serve what is queued; read only if the receive side is over.
    Unready,
    /// tokio reports the socket readable: read, and clear readiness through the guard once
    /// the kernel queue is known to be empty.
    Ready(&'a mut AsyncFdReadyGuard<'g, OwnedFd>),
    /// A `try_` call: read without waiting for readiness.
    Try,
}

impl Reading<'_, '_> {
    /// Clears read readiness (after `EAGAIN`, or when the kernel queue is known empty).
    pub(super) fn clear(&mut self) {
        if let Reading::Ready(g) = self {
            g.clear_ready_matching(Ready::READABLE);
        }
    }

    /// Whether the step may read the socket (`recv_over`: the receive side is latched over).
    pub(super) fn may_read(&self, recv_over: bool) -> bool {
        !matches!(self, Reading::Unready) || recv_over
    }

    pub(super) fn is_ready(&self) -> bool {
        matches!(self, Reading::Ready(_))
    }
}

/// What one step did.
pub(super) enum Step<T> {
    /// Finished with this result.
    Done(Result<T>),
    /// Readiness was cleared: poll it again.
    Again,
    /// Nothing to do until a wake-up (readiness, or another task's change).
    Wait,
}

/// What a read produced, for whichever reader takes it.
pub(super) enum Item {
    Data(DataItem),
    Event(Result<Notification>),
}

/// What one `recvmsg` gave.
pub(super) enum Routed {
    /// End-of-file (see [`Core::read_eof`]).
    Eof,
    /// A piece; `item` when it completed a message or notification.
    Piece {
        item: Option<Item>,
        /// `MSG_EOR` and no `SCTP_NXTINFO`: the kernel had nothing else queued.
        queue_empty: bool,
    },
}

/// How a read error ends up.
pub(super) enum ReadError {
    /// The association is gone: the end is latched, the reader reports it.
    Ended,
    /// The call failed; nothing ends.
    Failed(Error),
}

/// One kind of reader, as a type: each has its own output, so no step is dispatched at run
/// time. [`Core::drive`] runs any of them.
pub(super) trait Reader {
    type Output;
    /// Takes what this reader waits for from the queues or the association table.
    fn take(&mut self, core: &Core, rx: &mut Rx) -> Option<Result<Self::Output>>;
    /// Whether it may read now: the others stop reading while `recv`'s queue is full.
    fn may_read(&self, rx: &Rx) -> bool;
    /// An item a read produced: returned if it is this reader's, else queued for the other.
    fn offer(&mut self, core: &Core, rx: &mut Rx, item: Item) -> Option<Result<Self::Output>>;
    /// What this reader reports once the receive side is over.
    fn ended(&mut self, core: &Core, cause: EndCause) -> Result<Self::Output>;
}

/// `recv`: whole data messages.
pub(super) struct DataReader;

impl Reader for DataReader {
    type Output = (Bytes, RecvInfo);

    fn take(&mut self, core: &Core, rx: &mut Rx) -> Option<DataItem> {
        if !rx.queues.has_data() {
            return None;
        }
        core.pop_data(rx)
    }

    fn may_read(&self, _: &Rx) -> bool {
        true
    }

    fn offer(&mut self, core: &Core, rx: &mut Rx, item: Item) -> Option<DataItem> {
        match item {
            Item::Data(d) => Some(d),
            Item::Event(e) => {
                core.queue_event(rx, e);
                None
            }
        }
    }

    fn ended(&mut self, _: &Core, cause: EndCause) -> DataItem {
        Err(cause.to_error())
    }
}

/// The event stream: notifications; `None` once the receive side is over.
pub(super) struct EventReader;

impl Reader for EventReader {
    type Output = Option<Result<Notification>>;

    fn take(&mut self, _: &Core, rx: &mut Rx) -> Option<Result<Self::Output>> {
        rx.queues.pop_event().map(|ev| Ok(Some(ev)))
    }

    fn may_read(&self, rx: &Rx) -> bool {
        // The event stream must not read unboundedly far ahead of `recv`.
        !rx.queues.data_full()
    }

    fn offer(&mut self, core: &Core, rx: &mut Rx, item: Item) -> Option<Result<Self::Output>> {
        match item {
            Item::Event(e) => Some(Ok(Some(e))),
            Item::Data(d) => {
                core.queue_data(rx, d);
                None
            }
        }
    }

    fn ended(&mut self, _: &Core, _: EndCause) -> Result<Self::Output> {
        Ok(None)
    }
}

impl Core {
    /// The one receive loop: polls read readiness and runs `step` until it is done, waiting
    /// in `slot` of the readers' set when it must (registered before the last look, so no
    /// wake-up is missed in between).
    pub(super) fn poll_read<T>(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Slot,
        mut step: impl FnMut(Reading<'_, '_>) -> Step<T>,
    ) -> Poll<Result<T>> {
        let mut registered = false;
        loop {
            let mut rcx = Context::from_waker(&self.reader_waker);
            let outcome = match self.fd.poll_read_ready(&mut rcx) {
                Poll::Ready(Ok(mut guard)) => step(Reading::Ready(&mut guard)),
                Poll::Ready(Err(e)) => Step::Done(Err(e.into())),
                Poll::Pending => step(Reading::Unready),
            };
            match outcome {
                Step::Done(r) => return Poll::Ready(r),
                Step::Again => {}
                Step::Wait if !registered => {
                    self.readers.register(slot, cx.waker());
                    registered = true;
                }
                Step::Wait => return Poll::Pending,
            }
        }
    }

    /// [`poll_read`](Self::poll_read) as a future, waiting in a place of its own.
    pub(super) async fn read<T>(
        &self,
        mut step: impl FnMut(Reading<'_, '_>) -> Step<T>,
    ) -> Result<T> {
        let mut waiting = WaitGuard::new(&self.readers);
        poll_fn(|cx| self.poll_read(cx, waiting.slot(), &mut step)).await
    }

    /// One `try_` step: `WouldBlock` when it would have to wait.
    pub(super) fn try_read<T>(&self, step: impl FnOnce(Reading<'_, '_>) -> Step<T>) -> Result<T> {
        match step(Reading::Try) {
            Step::Done(r) => r,
            Step::Again | Step::Wait => Err(io::Error::from(io::ErrorKind::WouldBlock).into()),
        }
    }

    /// Reads for `reader` until it has its item or the kernel has nothing more.
    pub(super) fn drive<R: Reader>(
        &self,
        reader: &mut R,
        mut reading: Reading<'_, '_>,
    ) -> Step<R::Output> {
        let mut rx = lock(&self.rx);
        loop {
            if let Some(r) = reader.take(self, &mut rx) {
                return Step::Done(r);
            }
            if rx.eof {
                return self.end_step(reader, &rx);
            }
            if !reader.may_read(&rx) || !reading.may_read(self.recv_over()) {
                return Step::Wait;
            }
            let routed = match self.read_step(&mut rx) {
                Ok(routed) => routed,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    reading.clear();
                    return match self.recv_end_cause(&rx) {
                        Some(cause) => Step::Done(reader.ended(self, cause)),
                        None if reading.is_ready() => Step::Again,
                        None => Step::Wait,
                    };
                }
                Err(e) => match self.read_error(&mut rx, e) {
                    ReadError::Ended => return self.end_step(reader, &rx),
                    ReadError::Failed(e) => return Step::Done(Err(e)),
                },
            };
            let (item, queue_empty) = match routed {
                Routed::Eof => {
                    self.read_eof(&mut rx);
                    return self.end_step(reader, &rx);
                }
                Routed::Piece { item, queue_empty } => (item, queue_empty),
            };
            if queue_empty {
                reading.clear();
            }
            if let Some(item) = item {
                if let Some(r) = reader.offer(self, &mut rx, item) {
                    return Step::Done(r);
                }
            }
            if queue_empty {
                if let Some(r) = reader.take(self, &mut rx) {
                    return Step::Done(r);
                }
                if reading.is_ready() {
                    return Step::Again;
                }
            }
        }
    }

    /// The end `reader` reports, once the receive side is over.
    fn end_step<R: Reader>(&self, reader: &mut R, rx: &Rx) -> Step<R::Output> {
        match self.recv_end_cause(rx) {
            Some(cause) => Step::Done(reader.ended(self, cause)),
            None => Step::Wait,
        }
    }

    /// Why the receive side is over, if it is: the latched end, or the EOF seen.
    pub(super) fn recv_end_cause(&self, rx: &Rx) -> Option<EndCause> {
        if !rx.eof && !self.recv_over() {
            return None;
        }
        let t = lock(&self.table);
        match t.recv_end() {
            Some(c) => Some(c.clone()),
            None => rx.eof.then(|| EndCause::shutdown(t.assoc_id(), None)),
        }
    }

    /// One `recvmsg` into the block and the routing of the piece it returned.
    pub(super) fn read_step(&self, rx: &mut Rx) -> io::Result<Routed> {
        let window = rx.asm.window(rx.hint);
        rx.asm.reserve(window);
        let raw = sys::recv_into_spare(self.fd(), rx.asm.buf_mut(), window)?;
        Ok(self.route(rx, &raw))
    }

    /// Routes the piece one read appended to the block, described by `raw`: the one place
    /// where reads of every kind (single or batched) become messages, notifications and the
    /// end of the stream.
    pub(super) fn route(&self, rx: &mut Rx, raw: &RecvMsg) -> Routed {
        let queue_empty = rx.look_ahead(raw);
        if raw.len == 0 && raw.flags & (libc::MSG_EOR | linux_sctp_sys::MSG_NOTIFICATION) == 0 {
            rx.asm.discard_piece();
            return Routed::Eof;
        }
        let item = if raw.is_notification() {
            match rx
                .asm
                .complete(Piece::Notification, raw.is_eor(), Notification::parse)
            {
                Assembled::Notification(parsed) => self.route_notification(rx, parsed),
                _ => None,
            }
        } else {
            let info = recv_info(raw);
            let key = (info.assoc_id, info.stream);
            match rx.asm.complete(Piece::Data(key), raw.is_eor(), |_| ()) {
                Assembled::Message(b) => Some(Item::Data(Ok((b, info)))),
                Assembled::TooLarge { limit } => {
                    Some(Item::Data(Err(Error::new(ErrorKind::MessageTooLarge {
                        limit,
                    }))))
                }
                Assembled::Incomplete | Assembled::Notification(()) => None,
            }
        };
        Routed::Piece { item, queue_empty }
    }

    /// A whole notification: drops the partial messages it makes stale, applies it to the
    /// association table, and hands it on unless it is a required one the user did not ask
    /// for.
    pub(super) fn route_notification(
        &self,
        rx: &mut Rx,
        parsed: std::result::Result<Notification, NotificationError>,
    ) -> Option<Item> {
        let n = match parsed {
            Ok(n) => n,
            Err(e) => return Some(Item::Event(Err(e.into()))),
        };
        drop_stale_partials(&mut rx.asm, &n);
        self.apply_notification(&n);
        match n.event_type() {
            Some(t) if !self.events.delivers(t) => None,
            _ => Some(Item::Event(Ok(n))),
        }
    }

    /// Applies a notification to the association table; wakes every waiter if it changed.
    fn apply_notification(&self, n: &Notification) {
        let applied = {
            let mut t = lock(&self.table);
            let applied = t.apply(n);
            self.recv_over
                .store(t.recv_end().is_some(), std::sync::atomic::Ordering::Release);
            applied
        };
        if let Some(id) = applied.refresh_streams {
            // Linux reports the streams added, not the new totals: read them back. Rare, so
            // one SCTP_STATUS is fine.
            let mut status = linux_sctp_sys::sctp_status {
                sstat_assoc_id: id,
                ..Default::default()
            };
            let read = linux_sctp_sys::sockopt::get_inout(
                self.fd(),
                linux_sctp_sys::sockopt::SCTP_STATUS,
                &mut status,
            );
            if read.is_ok() {
                let streams = Streams {
                    outbound: status.sstat_outstrms,
                    inbound: status.sstat_instrms,
                };
                lock(&self.table).set_streams(id, streams);
            }
        }
        if applied.changed {
            self.wake_all();
        }
    }

    /// A read failed with `e` (not `WouldBlock`). One rule for every reader ([`is_gone`]): on
    /// a one-to-one socket an errno that means the association is gone latches the end;
    /// anything else is the call's own failure.
    pub(super) fn read_error(&self, rx: &mut Rx, e: io::Error) -> ReadError {
        let errno = e.raw_os_error().unwrap_or(0);
        if self.style == Style::OneToMany || !is_gone(errno) {
            return ReadError::Failed(e.into());
        }
        self.end_reading(rx, |id| EndCause::lost(id, errno));
        ReadError::Ended
    }

    /// One-to-one: the kernel says the association is gone (EOF or a receive error); nothing
    /// more will be read. Latches `cause` (given the association id) for both directions.
    fn end_reading(
        &self,
        rx: &mut Rx,
        cause: impl FnOnce(linux_sctp_sys::sctp_assoc_t) -> EndCause,
    ) {
        rx.eof = true;
        self.update_table(|t| {
            let c = cause(t.assoc_id());
            t.latch_end(c);
        });
    }

    /// A read returned 0 bytes without `MSG_EOR` or `MSG_NOTIFICATION`: the kernel queue is
    /// empty and its read side is shut, so every further read says the same. One-to-one: the
    /// association is over (EOF), both directions are latched. Peeled-off and one-to-many
    /// sockets report the end of an association otherwise (`ENOTCONN`, notifications): for
    /// them it means the user shut the read side (`shutdown(fd, SHUT_RD)`), and only
    /// receiving ends.
    pub(super) fn read_eof(&self, rx: &mut Rx) {
        if self.style == Style::OneToOne {
            self.end_reading(rx, |id| EndCause::shutdown(id, None));
            return;
        }
        rx.eof = true;
        self.update_table(|t| {
            let c = EndCause::shutdown(t.assoc_id(), None);
            t.latch_recv_end(c);
        });
    }

    /// Takes the next queued data entry, waking a reader stopped by the full queue.
    pub(super) fn pop_data(&self, rx: &mut Rx) -> Option<DataItem> {
        let (item, taken) = rx.queues.pop_data()?;
        if taken == Taken::Resumes {
            self.readers.wake_all();
        }
        Some(item)
    }

    /// Queues data for `recv` and wakes the readers.
    pub(super) fn queue_data(&self, rx: &mut Rx, item: DataItem) {
        rx.queues.push_data(item);
        self.readers.wake_all();
    }

    /// Queues a notification for the event stream and wakes the readers.
    pub(super) fn queue_event(&self, rx: &mut Rx, ev: Result<Notification>) {
        rx.queues.push_event(ev);
        self.readers.wake_all();
    }

    /// Queues an item read on behalf of another reader.
    pub(super) fn queue(&self, rx: &mut Rx, item: Item) {
        match item {
            Item::Data(d) => self.queue_data(rx, d),
            Item::Event(e) => self.queue_event(rx, e),
        }
    }

    /// Reads the rest of a notification split across reads (before a peeloff).
    pub(super) fn finish_notification(&self, rx: &mut Rx) -> io::Result<()> {
        while rx.asm.notification_in_progress() {
            match self.read_step(rx)? {
                Routed::Piece {
                    item: Some(item), ..
                } => self.queue(rx, item),
                Routed::Piece { item: None, .. } => {}
                Routed::Eof => {
                    self.read_eof(rx);
                    break;
                }
            }
        }
        Ok(())
    }

    // ----------------------------------------------------------------------------------
    // recv and the event stream
    // ----------------------------------------------------------------------------------

    /// Receives one whole data message, from any number of tasks at once. Cancel safe.
    pub(crate) async fn recv(&self) -> Result<(Bytes, RecvInfo)> {
        self.read(|r| self.drive(&mut DataReader, r)).await
    }

    /// Polls for one whole data message (one waker: the last caller's).
    pub(crate) fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Result<(Bytes, RecvInfo)>> {
        self.poll_read(cx, &mut Slot::last_poller(), |r| {
            self.drive(&mut DataReader, r)
        })
    }

    /// Receives one whole data message if one can be had without waiting.
    pub(crate) fn try_recv(&self) -> Result<(Bytes, RecvInfo)> {
        self.try_read(|r| self.drive(&mut DataReader, r))
    }

    /// Polls for the next notification, waiting in `slot`; `None` once a one-to-one
    /// association is gone and everything queued was delivered.
    pub(crate) fn poll_next_event(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Slot,
    ) -> Poll<Option<Result<Notification>>> {
        self.poll_read(cx, slot, |r| self.drive(&mut EventReader, r))
            .map(|r| r.unwrap_or_else(|e| Some(Err(e))))
    }

    /// Takes a notification if one is available without waiting.
    pub(crate) fn try_next_event(&self) -> Option<Result<Notification>> {
        match self.try_read(|r| self.drive(&mut EventReader, r)) {
            Ok(ev) => ev,
            Err(e) if e.io_kind() == io::ErrorKind::WouldBlock => None,
            Err(e) => Some(Err(e)),
        }
    }

    /// Leaves the readers' set (a waiter that owns its slot and stops waiting).
    pub(crate) fn stop_reading(&self, slot: &Slot) {
        self.readers.remove(slot);
    }
}

/// Drops the partial messages the kernel will never finish after `n`: those of an
/// association that ended, or the one whose partial delivery was aborted (PR-SCTP
/// `FORWARD-TSN` past it). Kept, such a piece would be glued in front of the next message of
/// the same stream, or parked forever.
fn drop_stale_partials(asm: &mut Reassembly, n: &Notification) {
    match n {
        Notification::AssocChange(c) if c.state.is_terminal() => {
            asm.drop_assoc(c.assoc_id);
        }
        Notification::PartialDelivery(p) if p.indication == PartialDeliveryIndication::Aborted => {
            // With I-DATA the event names the stream. With DATA the kernel reports stream 0
            // whatever the stream was, but then an association has one partial delivery at a
            // time: when nothing of the named stream is in progress, it is the one.
            let id = p.assoc_id;
            let sid = p.stream.and_then(|s| u16::try_from(s).ok());
            if sid.is_some_and(|s| asm.drop_stream((id, s))) {
                return;
            }
            if sid.is_none_or(|s| s == 0) {
                asm.drop_assoc(id);
            }
        }
        _ => {}
    }
}
