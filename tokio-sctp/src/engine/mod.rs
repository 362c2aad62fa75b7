//! The engine every socket type shares: [`Core`], one registered SCTP socket and everything
//! about it that must outlive a dropped future, composed of one part per concept.
//!
//! | file | owns |
//! |---|---|
//! | `mod.rs` | [`Core`]: the composition; [`Style`], [`Config`]; the association table's and peeloff's entry points |
//! | `recv.rs` | the receive loop: readiness over `AsyncFd`, one `recvmsg` per step, routing each piece, the typed readers (`recv`, the event stream) |
//! | `connect.rs` | waiting for an association to come up (`COMM_UP`) or fail |
//! | `recv_into.rs` | partial reads into the caller's buffer (`recv_into`) |
//! | `batch.rs` | `recv_batch`: one `recvmmsg` into consecutive windows of the block |
//! | `send.rs` | the send loop: checks, write readiness, `sendmsg`/`sendmmsg`, error mapping |
//! | `reassembly.rs` | the pure reassembly state machine (pieces, flags, key -> messages) |
//! | `queues.rs` | the read-ahead queues between data and events |
//! | `table.rs` | the association table: stream counts, ends, end latches |
//! | `subscriptions.rs` | which notifications the kernel sends and which reach the event stream |
//!
//! # Reading model
//!
//! The kernel delivers one interleaved sequence of data messages and notifications on a
//! socket. Whoever reads (a `recv` call, the event stream, a connect waiting for `COMM_UP`)
//! takes the receive lock, does one `recvmsg(2)` and routes the piece: data is reassembled
//! until `MSG_EOR` and then returned or queued for `recv`; notifications are reassembled,
//! parsed, applied to the association table and returned or queued for the event stream.
//! Every piece of state lives in [`Core`], never in a future, so cancelling any future loses
//! nothing.
//!
//! # Waiting
//!
//! Every task waiting on the socket waits in one of two [`WakerSet`]s, readers and writers,
//! which are also the wakers tokio's reactor holds for the socket's read and write readiness.
//! A readiness edge wakes every waiter of its direction; any change another task makes (a
//! queued message, a latched end, an association coming up or ending) wakes them too. So
//! there is one readiness wait per message and no other handshake, and no change is missed.
//!
//! Locks: `rx` (receive state) before `table`; no other lock is held while taking either.

mod batch;
mod connect;
mod queues;
pub(crate) mod reassembly;
mod recv;
mod recv_into;
mod send;
mod subscriptions;
mod table;
#[cfg(test)]
mod tests;

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Waker;
use std::time::Duration;

use linux_sctp_sys::sctp_assoc_t;
use tokio::io::unix::AsyncFd;

use crate::error::Result;
use crate::notification::Subscriptions;
use crate::sync::{lock, WakerSet};
use crate::sys;

use self::queues::{Queued, Taken};
use self::reassembly::AssocPartials;
use self::recv::Rx;
use self::table::Table;

pub(crate) use self::queues::DEFAULT_EVENT_CAPACITY;
pub(crate) use self::reassembly::DEFAULT_MAX_MESSAGE_SIZE;
pub(crate) use self::send::Outgoing;
pub(crate) use self::subscriptions::EventChoice;
pub(crate) use self::table::{EndCause, EndedMemory, Streams};

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

/// Settings carried from the builder to every socket made from it (accept, peeloff).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Config {
    pub(crate) max_message_size: usize,
    pub(crate) event_capacity: usize,
    /// The notification types the user asked for (see `subscriptions.rs`).
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
    /// Receive state: reassembly, read-ahead queues, read hints.
    rx: Mutex<Rx>,
    /// The association table.
    table: Mutex<Table>,
    /// Whether the table latched the end of the receive side (readable without its lock).
    recv_over: AtomicBool,
    /// The notifications the user chose.
    events: EventChoice,
    /// Tasks waiting to receive (anything: data, events, an association).
    readers: Arc<WakerSet>,
    /// `readers` as a waker: what the reactor holds for read readiness.
    reader_waker: Waker,
    /// Tasks waiting to send.
    writers: Arc<WakerSet>,
    /// `writers` as a waker: what the reactor holds for write readiness.
    writer_waker: Waker,
}

impl Core {
    /// Registers `fd` (non-blocking, options already set) with the reactor.
    pub(crate) fn new(fd: OwnedFd, style: Style, config: Config) -> io::Result<Core> {
        let fd = sys::register(fd)?;
        let readers = Arc::new(WakerSet::default());
        let writers = Arc::new(WakerSet::default());
        Ok(Core {
            fd,
            style,
            rx: Mutex::new(Rx::new(&config)),
            table: Mutex::new(Table::new(style != Style::OneToMany)),
            recv_over: AtomicBool::new(false),
            events: EventChoice::new(config.delivered),
            reader_waker: Waker::from(Arc::clone(&readers)),
            readers,
            writer_waker: Waker::from(Arc::clone(&writers)),
            writers,
        })
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.fd.get_ref().as_fd()
    }

    pub(crate) fn style(&self) -> Style {
        self.style
    }

    /// The settings a socket made from this one (peeloff) inherits.
    pub(crate) fn config(&self) -> Config {
        let rx = lock(&self.rx);
        Config {
            max_message_size: rx.asm.max(),
            event_capacity: rx.queues.event_capacity(),
            delivered: self.events.wanted(),
            connect_timeout: rx.connect_timeout,
        }
    }

    /// The notifications the user chose, shared with the socket's `SocketOptions`.
    pub(crate) fn events(&self) -> &EventChoice {
        &self.events
    }

    pub(crate) fn max_message_size(&self) -> usize {
        lock(&self.rx).asm.max()
    }

    pub(crate) fn set_max_message_size(&self, max: usize) {
        lock(&self.rx).asm.set_max(max.max(1));
    }

    pub(crate) fn set_connect_timeout(&self, limit: Option<Duration>) {
        lock(&self.rx).connect_timeout = limit;
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
        linux_sctp_sys::sockopt::set(self.fd(), linux_sctp_sys::sockopt::SCTP_RECVNXTINFO, &v)?;
        if on {
            lock(&self.rx).nxtinfo_on = true;
        }
        Ok(())
    }

    // ----------------------------------------------------------------------------------
    // The association table
    // ----------------------------------------------------------------------------------

    /// Runs `change` on the association table and wakes every waiter of the socket, readers
    /// and writers: whoever waits for an association, an end or room re-checks.
    fn update_table<T>(&self, change: impl FnOnce(&mut Table) -> T) -> T {
        let r = {
            let mut t = lock(&self.table);
            let r = change(&mut t);
            self.recv_over
                .store(t.recv_end().is_some(), Ordering::Release);
            r
        };
        self.wake_all();
        r
    }

    /// Wakes every task waiting on the socket.
    fn wake_all(&self) {
        self.readers.wake_all();
        self.writers.wake_all();
    }

    /// Whether the receive side is latched as over: reads then go to the kernel without
    /// waiting for readiness, which may never come, and report the end once it is drained.
    fn recv_over(&self) -> bool {
        self.recv_over.load(Ordering::Acquire)
    }

    /// Records an established association (after connect/accept/peeloff).
    pub(crate) fn set_established(&self, id: sctp_assoc_t, streams: Streams) {
        self.update_table(|t| t.set_established(id, streams));
    }

    /// One-to-one: the association id.
    pub(crate) fn assoc_id(&self) -> sctp_assoc_t {
        lock(&self.table).assoc_id()
    }

    /// Stream counts of `id` (one-to-one: of the association), if known.
    pub(crate) fn streams(&self, id: Option<sctp_assoc_t>) -> Option<Streams> {
        lock(&self.table).streams(id)
    }

    /// Why the association ended, if it did (one-to-one: the receive-side latch, then the
    /// send-side one; one-to-many: the remembered end of `id`).
    pub(crate) fn end_cause(&self, id: Option<sctp_assoc_t>) -> Option<EndCause> {
        lock(&self.table).end_cause(id)
    }

    /// Latches the end of the whole one-to-one association (both directions).
    pub(crate) fn latch_end(&self, cause: EndCause) {
        self.update_table(|t| t.latch_end(cause));
    }

    /// Latches the end of the sending direction only.
    pub(crate) fn latch_send_end(&self, cause: EndCause) {
        self.update_table(|t| t.latch_send_end(cause));
    }

    // ----------------------------------------------------------------------------------
    // Peeloff
    // ----------------------------------------------------------------------------------

    /// Peels association `id` off this one-to-many socket with `peel` (the syscall) and
    /// takes out everything this socket holds of it: queued messages and notifications and
    /// its partial messages, for [`adopt`](Self::adopt) on the new socket.
    ///
    /// All under the receive lock, so no read of this socket comes in between. A
    /// notification split across reads is finished first: its rest is in the kernel queue
    /// of this socket until the peeloff, and its association is unknown until it is whole.
    pub(crate) fn peel(
        &self,
        id: sctp_assoc_t,
        peel: impl FnOnce() -> io::Result<OwnedFd>,
    ) -> Result<(OwnedFd, Moved)> {
        let mut rx = lock(&self.rx);
        self.finish_notification(&mut rx)?;
        let fd = peel()?;
        let (queued, taken) = rx.queues.take_assoc(id);
        let partials = rx.asm.take_assoc(id);
        drop(rx);
        if taken == Taken::Resumes {
            // An event stream stopped by a full queue may read again.
            self.readers.wake_all();
        }
        Ok((fd, Moved { queued, partials }))
    }

    /// Takes in what [`peel`](Self::peel) moved from the socket this one was peeled off.
    pub(crate) fn adopt(&self, moved: Moved) {
        let mut rx = lock(&self.rx);
        rx.queues.adopt(moved.queued);
        if let Some(p) = moved.partials {
            rx.asm.adopt(p);
        }
    }
}

/// Everything of one association a socket held when it was peeled off: queued messages and
/// notifications, and its partial messages.
#[derive(Debug)]
pub(crate) struct Moved {
    queued: Queued,
    partials: Option<AssocPartials>,
}
