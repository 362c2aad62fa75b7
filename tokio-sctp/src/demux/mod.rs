//! Per-stream receivers: a [`Demux`] reads the messages of a socket and hands each SCTP
//! stream's messages to its own consumer, a [`StreamReceiver`] (a [`Stream`] of messages).
//!
//! ```text
//!                      ┌─ queue (assoc, 0) ─▶ StreamReceiver for stream 0
//! socket ─▶ Demux ─────┼─ queue (assoc, 1) ─▶ StreamReceiver for stream 1
//!                      └─ unclaimed queue  ─▶ StreamReceiver for every other stream
//! ```
//!
//! On a one-to-one [`SctpStream`] a receiver is keyed by stream id
//! ([`Demux::stream`]); on a one-to-many [`SctpEndpoint`] by association and stream id
//! ([`Demux::stream_of`]).
//!
//! # Order
//!
//! Each receiver yields its stream's messages in the order the kernel delivered them, which
//! for ordered messages is the sender's order on that stream. Reading the socket and filing a
//! message in its queue happen under one lock, so two tasks driving the demux can never swap
//! two messages of one stream.
//!
//! # Bounded queues and slow consumers
//!
//! Every queue holds at most `capacity` messages (at least 1). What happens when a message
//! arrives for a full queue is the [`SlowConsumer`] policy, chosen when the demux is made:
//!
//! * [`Backpressure`](SlowConsumer::Backpressure) (the default): the demux stops reading the
//!   socket while **any** queue is full. Nothing is dropped. The kernel's receive buffer then
//!   fills, the advertised receive window shrinks to zero and SCTP flow control stops the
//!   peer. The price: one stalled consumer stalls **every** stream of the socket (on an
//!   endpoint, every association), because the kernel has one receive queue per socket.
//!   The other receivers still get what was already in their queues (up to `capacity` each).
//!   Once the queue has room again the demux drains the kernel's buffer at once, but a
//!   peer that was stopped by a closed window may resume only when its retransmission
//!   timer fires: in the lab (Linux 6.1, loopback, 64 KiB buffers) 50 messages of 4 KiB
//!   sent after a stall took about 1.4 s to arrive with the default RTO bounds
//!   (`net.sctp.rto_min` 1 s), 0.37 s with an RTO of 50-200 ms on the sender.
//! * [`DropOldest`](SlowConsumer::DropOldest): the demux keeps reading; a full queue drops its
//!   oldest message to make room, and its receiver's next item is an [`Error`] of kind
//!   [`MessagesLagged { dropped }`](crate::error::ErrorKind::MessagesLagged) with the exact
//!   number dropped, followed by the messages kept. Loss is counted and reported, never
//!   silent. Note that a receiver looking for its own message reads past the messages of
//!   other streams: a burst of more than `capacity` messages on one stream, arriving before
//!   that stream's consumer runs again, loses messages even when the consumer is quick. Size
//!   `capacity` for the bursts the peer sends, or use `Backpressure`.
//!
//! # Unclaimed streams and dropped receivers
//!
//! A message for a stream nobody claimed goes to the [`unclaimed`](Demux::unclaimed)
//! receiver, when one exists. Otherwise it is **held** in that stream's queue (bounded, under
//! the same policy) until someone claims the stream: a receiver made after its first messages
//! arrived still gets them, so there is no race between making receivers and the peer's first
//! sends. With `Backpressure`, a held queue that fills stalls the socket until it is claimed:
//! claim every stream the peer uses, or keep an `unclaimed` receiver.
//!
//! Dropping a [`StreamReceiver`] makes its stream unclaimed again: the messages still in its
//! queue, and later ones, go to the `unclaimed` receiver if there is one, and are held for the
//! next claim of the stream otherwise. Messages left in a dropped `unclaimed` receiver are
//! held for the next [`unclaimed`](Demux::unclaimed) receiver.
//!
//! # Who reads the socket
//!
//! There is no background task: whichever receiver is polled and finds its queue empty reads
//! the socket, files every message in its queue and wakes that queue's receiver, until it has
//! a message of its own or the socket has nothing more. When the socket becomes readable
//! every waiting receiver is woken, and the first to run reads for all; a receiver that stops
//! reading before the socket is drained wakes the others to carry on. So the demux needs no
//! runtime of its own, costs nothing while nobody reads, and every `recv` is cancel safe:
//! messages live in the queues, never in a future. The demux must be the only reader of the
//! socket's data: a `recv` on the socket itself takes a message away from the demux.
//!
//! # End of an association
//!
//! When an association ends, each of its receivers yields the messages already queued, then
//! one [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded) error with the
//! notification that ended it, then `None`. A receiver made for an association that has
//! already ended does the same. On a one-to-one socket the `unclaimed` receiver ends too; on
//! an endpoint it never ends.
//!
//! On an endpoint the demux learns of an association's end from the endpoint's association
//! table, which whoever reads the notification that ended it updates (the demux itself, or a
//! task reading the endpoint's [events](SctpEndpoint::events)), and checks it each time the
//! socket has nothing more to read. Associations are watched once they are seen up (a message
//! from them, or up when the receiver was made). A peeled-off association is no longer the
//! endpoint's: its receivers on the endpoint's demux get nothing more and do not end.
//!
//! # Examples
//!
//! ```no_run
//! use std::sync::Arc;
//! use futures_util::StreamExt;
//! use tokio_linux_sctp::demux::{Demux, SlowConsumer};
//! use tokio_linux_sctp::SctpStream;
//!
//! # async fn f() -> tokio_linux_sctp::error::Result<()> {
//! let stream = Arc::new(SctpStream::connect("127.0.0.1:2905".parse().unwrap()).await?);
//! let demux = Demux::new(stream, 64, SlowConsumer::Backpressure);
//! for sid in 0..4 {
//!     let mut rx = demux.stream(sid)?;
//!     tokio::spawn(async move {
//!         while let Some(msg) = rx.next().await {
//!             match msg {
//!                 Ok((bytes, info)) => println!("stream {}: {} bytes", info.stream, bytes.len()),
//!                 Err(e) => eprintln!("stream {sid}: {e}"),
//!             }
//!         }
//!     });
//! }
//! # Ok(())
//! # }
//! ```

mod state;

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use futures_core::Stream;

use crate::engine::EndCause as End;
use crate::error::{Error, Result};
use crate::message::RecvInfo;
use crate::sync::{lock, Slot, WakerSet};
use crate::{AssocId, SctpEndpoint, SctpStream};

use self::state::{State, Target, Wakeups};

// Receivers move to other tasks; the demux is shared between them.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Demux>();
    assert_send_sync::<StreamReceiver>();
};

/// The queue capacity [`Demux::with_defaults`] uses: 64 messages per stream.
pub const DEFAULT_CAPACITY: usize = 64;

/// What a [`Demux`] does when a message arrives for a full queue. See the
/// [module docs](self#bounded-queues-and-slow-consumers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SlowConsumer {
    /// Stop reading the socket while any queue is full. Nothing is lost; SCTP flow control
    /// stops the peer, and every stream of the socket waits for the slow consumer.
    #[default]
    Backpressure,
    /// Keep reading; a full queue drops its oldest message, and its receiver gets a
    /// [`MessagesLagged`](crate::error::ErrorKind::MessagesLagged) error with the number
    /// dropped before the messages that follow the gap.
    DropOldest,
}

/// The socket a demux reads.
enum Source {
    Stream(Arc<SctpStream>),
    Endpoint(Arc<SctpEndpoint>),
}

impl Source {
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Result<(Bytes, RecvInfo)>> {
        match self {
            Source::Stream(s) => s.poll_recv(cx),
            Source::Endpoint(e) => e.poll_recv(cx),
        }
    }

    fn one_to_many(&self) -> bool {
        matches!(self, Source::Endpoint(_))
    }
}

struct Shared {
    source: Source,
    state: Mutex<State>,
    /// The receivers waiting for a message. As a waker (`driver`) it is what the demux gives
    /// the socket: readiness wakes every waiting receiver, and the first to run reads.
    waiters: Arc<WakerSet>,
    /// `waiters` as a waker, handed to the socket.
    driver: Waker,
}

impl Shared {
    /// Runs the wake-ups a change of the state asked for.
    fn run(&self, wake: Wakeups) {
        if wake.all {
            self.waiters.wake_all();
        } else {
            self.waiters.wake_slots(wake.ids);
        }
    }
}

/// What one poll of a receiver gave.
enum Polled {
    Item(Result<(Bytes, RecvInfo)>),
    End(Error),
    Pending,
}

impl Shared {
    fn poll_for(
        &self,
        id: u64,
        target: Target,
        cx: &mut Context<'_>,
        wake: &mut Wakeups,
    ) -> Polled {
        let mut st = lock(&self.state);
        // Registered before looking, under the state lock: a message filed or a readiness
        // edge after this point wakes us.
        self.waiters.register(&mut Slot::with_id(id), cx.waker());
        let mut read = false;
        loop {
            if let Some((item, resumes)) = st.pop(target) {
                self.waiters.remove(&Slot::with_id(id));
                // Hand reading on: we may have left messages in the socket, or unblocked it.
                wake.all |= resumes || read;
                return Polled::Item(item);
            }
            if let Some(end) = st.end_for(target) {
                self.waiters.remove(&Slot::with_id(id));
                wake.all |= read;
                return Polled::End(end.to_error());
            }
            if st.policy == SlowConsumer::Backpressure && st.full > 0 {
                // Woken when the queue that is full is full no more.
                return Polled::Pending;
            }
            let mut dcx = Context::from_waker(&self.driver);
            match self.source.poll_recv(&mut dcx) {
                Poll::Pending => {
                    if let Source::Endpoint(ep) = &self.source {
                        if st.check_ends(ep) {
                            wake.all = true;
                            continue;
                        }
                    }
                    return Polled::Pending;
                }
                Poll::Ready(Ok((bytes, info))) => {
                    read = true;
                    if let Some(owner) = st.route(bytes, info) {
                        if owner != id {
                            wake.ids.push(owner);
                        }
                    }
                }
                Poll::Ready(Err(e)) => {
                    if !self.source.one_to_many() {
                        if let Some(end) = End::from_error(&e) {
                            st.end.get_or_insert(end);
                            wake.all = true;
                            continue;
                        }
                    }
                    // A socket-level error (a message over the size cap, a failed recvmsg):
                    // the receiver that was reading reports it.
                    self.waiters.remove(&Slot::with_id(id));
                    wake.all |= read;
                    return Polled::Item(Err(e));
                }
            }
        }
    }
}

/// Splits the messages of one socket into one [`StreamReceiver`] per stream (per association
/// and stream on an endpoint), with bounded queues. See the [module docs](self).
///
/// Cloning is cheap (an `Arc`); the clones share the queues. The demux and its receivers keep
/// the socket open.
#[derive(Clone)]
pub struct Demux {
    shared: Arc<Shared>,
}

impl Demux {
    /// A demux over the messages of a one-to-one `stream`, with at most `capacity` messages
    /// (at least 1) queued per stream and `policy` for a full queue.
    ///
    /// The demux must be the only reader of the stream's data (notifications still go to
    /// [`SctpStream::events`]; sending is unaffected).
    pub fn new(stream: Arc<SctpStream>, capacity: usize, policy: SlowConsumer) -> Demux {
        Demux::from_source(Source::Stream(stream), capacity, policy)
    }

    /// [`new`](Self::new) with [`DEFAULT_CAPACITY`] and [`SlowConsumer::Backpressure`].
    pub fn with_defaults(stream: Arc<SctpStream>) -> Demux {
        Demux::new(stream, DEFAULT_CAPACITY, SlowConsumer::default())
    }

    /// A demux over the messages of every association of a one-to-many `endpoint`, keyed by
    /// association and stream ([`stream_of`](Self::stream_of)).
    pub fn for_endpoint(
        endpoint: Arc<SctpEndpoint>,
        capacity: usize,
        policy: SlowConsumer,
    ) -> Demux {
        Demux::from_source(Source::Endpoint(endpoint), capacity, policy)
    }

    fn from_source(source: Source, capacity: usize, policy: SlowConsumer) -> Demux {
        let one_to_many = source.one_to_many();
        let waiters = Arc::new(WakerSet::default());
        let driver = Waker::from(Arc::clone(&waiters));
        Demux {
            shared: Arc::new(Shared {
                source,
                state: Mutex::new(State::new(capacity, policy, one_to_many)),
                waiters,
                driver,
            }),
        }
    }

    /// The receiver of stream `sid` of a one-to-one socket. It starts with the messages of
    /// that stream held so far (see [unclaimed streams](self#unclaimed-streams-and-dropped-receivers)).
    ///
    /// # Errors
    ///
    /// `AlreadyExists` when the stream has a receiver; `InvalidInput` on an endpoint demux
    /// (use [`stream_of`](Self::stream_of)) or when `sid` is not below the association's
    /// inbound stream count.
    pub fn stream(&self, sid: u16) -> Result<StreamReceiver> {
        let Source::Stream(s) = &self.shared.source else {
            return Err(invalid(
                "an endpoint demux needs an association: use stream_of",
            ));
        };
        let inbound = s.inbound_streams();
        if inbound > 0 && sid >= inbound {
            return Err(invalid(&format!(
                "stream {sid} out of range: the association has {inbound} inbound streams"
            )));
        }
        self.claim(Target::Key((0, sid)))
    }

    /// The receiver of stream `sid` of association `assoc_id` of an endpoint.
    ///
    /// # Errors
    ///
    /// `AlreadyExists` when the stream has a receiver; `InvalidInput` on a one-to-one demux
    /// (use [`stream`](Self::stream)).
    pub fn stream_of(&self, assoc_id: AssocId, sid: u16) -> Result<StreamReceiver> {
        let Source::Endpoint(ep) = &self.shared.source else {
            return Err(invalid(
                "a one-to-one demux has one association: use stream",
            ));
        };
        if ep.outbound_streams(assoc_id).is_some() {
            lock(&self.shared.state).up.insert(assoc_id);
        }
        self.claim(Target::Key((assoc_id, sid)))
    }

    /// The receiver of every message whose stream has no receiver of its own (see
    /// [unclaimed streams](self#unclaimed-streams-and-dropped-receivers)).
    ///
    /// # Errors
    ///
    /// `AlreadyExists` when there is one already.
    pub fn unclaimed(&self) -> Result<StreamReceiver> {
        self.claim(Target::Unclaimed)
    }

    fn claim(&self, target: Target) -> Result<StreamReceiver> {
        let id = lock(&self.shared.state).claim(target)?;
        Ok(StreamReceiver {
            shared: Arc::clone(&self.shared),
            id,
            target,
            done: false,
        })
    }

    /// The capacity of each queue.
    pub fn capacity(&self) -> usize {
        lock(&self.shared.state).capacity
    }

    /// The slow-consumer policy.
    pub fn policy(&self) -> SlowConsumer {
        lock(&self.shared.state).policy
    }
}

fn invalid(what: &str) -> Error {
    io::Error::new(io::ErrorKind::InvalidInput, what.to_owned()).into()
}

impl fmt::Debug for Demux {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = lock(&self.shared.state);
        f.debug_struct("Demux")
            .field("one_to_many", &st.one_to_many)
            .field("capacity", &st.capacity)
            .field("policy", &st.policy)
            .field("queues", &st.queues.len())
            .field("full", &st.full)
            .finish_non_exhaustive()
    }
}

/// The messages of one stream (or the unclaimed ones), as a [`Stream`] of
/// `Result<(Bytes, RecvInfo)>`. Made by [`Demux::stream`], [`Demux::stream_of`] and
/// [`Demux::unclaimed`].
///
/// Items are the stream's messages in order; an error item is a
/// [`MessagesLagged`](crate::error::ErrorKind::MessagesLagged) report (policy
/// [`DropOldest`](SlowConsumer::DropOldest)), a socket error met while this receiver was
/// reading for all, or, last, [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded);
/// after that the stream ends (`None`).
///
/// Dropping the receiver hands its stream back to the demux (see
/// [unclaimed streams](self#unclaimed-streams-and-dropped-receivers)).
pub struct StreamReceiver {
    shared: Arc<Shared>,
    id: u64,
    target: Target,
    done: bool,
}

impl StreamReceiver {
    /// The stream id, `None` for the unclaimed receiver.
    pub fn stream_id(&self) -> Option<u16> {
        match self.target {
            Target::Key((_, s)) => Some(s),
            Target::Unclaimed => None,
        }
    }

    /// The association id on an endpoint demux, `None` otherwise.
    pub fn assoc_id(&self) -> Option<AssocId> {
        match self.target {
            Target::Key((a, _)) if self.shared.source.one_to_many() => Some(a),
            _ => None,
        }
    }

    /// Messages waiting in this receiver's queue.
    pub fn queued(&self) -> usize {
        let st = lock(&self.shared.state);
        match self.target {
            Target::Key(k) => st.queues.get(&k).map_or(0, |q| q.items.len()),
            Target::Unclaimed => st.unclaimed.items.len(),
        }
    }

    /// Receives the next message of the stream; `None` after the end was reported.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: messages wait in the demux's queue, never in the future.
    ///
    /// # Errors
    ///
    /// See [`StreamReceiver`]: lag reports, socket errors, and the end of the association.
    pub async fn recv(&mut self) -> Option<Result<(Bytes, RecvInfo)>> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next message; see [`recv`](Self::recv). The task is woken when a
    /// message is filed for this receiver or when the socket has something to read.
    ///
    /// # Errors
    ///
    /// As [`recv`](Self::recv).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(Bytes, RecvInfo)>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let mut wake = Wakeups::default();
        let polled = self.shared.poll_for(self.id, self.target, cx, &mut wake);
        self.shared.run(wake);
        match polled {
            Polled::Item(item) => Poll::Ready(Some(item)),
            Polled::End(e) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Polled::Pending => Poll::Pending,
        }
    }
}

impl Stream for StreamReceiver {
    type Item = Result<(Bytes, RecvInfo)>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_recv(cx)
    }
}

impl Drop for StreamReceiver {
    fn drop(&mut self) {
        self.shared.waiters.remove(&Slot::with_id(self.id));
        let wake = lock(&self.shared.state).release(self.target);
        self.shared.run(wake);
    }
}

impl fmt::Debug for StreamReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamReceiver")
            .field("assoc_id", &self.assoc_id())
            .field("stream_id", &self.stream_id())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
