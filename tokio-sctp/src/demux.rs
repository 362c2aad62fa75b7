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

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use bytes::Bytes;
use futures_core::Stream;

use crate::error::{Error, ErrorKind, Result};
use crate::engine::EndCause as End;
use crate::message::RecvInfo;
use crate::{AssocId, SctpEndpoint, SctpStream};

/// The queue capacity [`Demux::with_defaults`] uses: 64 messages per stream.
pub const DEFAULT_CAPACITY: usize = 64;

/// Ended associations remembered by an endpoint demux, for receivers made after the end.
const ENDED_MEMORY: usize = 1024;

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

/// Association (0 on a one-to-one socket) and stream.
type Key = (AssocId, u16);

/// Which queue a receiver reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Key(Key),
    Unclaimed,
}

/// One bounded queue.
#[derive(Debug, Default)]
struct Queue {
    items: VecDeque<(Bytes, RecvInfo)>,
    /// Messages dropped from the front since the receiver last looked (`DropOldest`).
    lagged: u64,
    /// The id of the receiver reading this queue, if any.
    owner: Option<u64>,
    /// Set when the queue's association ended (one-to-many keys only).
    end: Option<End>,
}

/// Everything the receivers share, behind one lock.
#[derive(Debug)]
struct State {
    capacity: usize,
    policy: SlowConsumer,
    one_to_many: bool,
    queues: HashMap<Key, Queue>,
    unclaimed: Queue,
    /// Queues holding `capacity` messages or more (`Backpressure` stops reading while > 0).
    full: usize,
    /// One-to-one: the association ended.
    end: Option<End>,
    /// One-to-many: ended associations, for receivers made later (bounded, oldest dropped).
    ended: HashMap<AssocId, End>,
    ended_order: VecDeque<AssocId>,
    /// One-to-many: associations seen up and not yet seen ended.
    up: HashSet<AssocId>,
    next_id: u64,
}

/// What the state asks of the wakers after a change (run once the lock is released).
#[derive(Default)]
struct Wakeups {
    /// Receivers that got a message.
    ids: Vec<u64>,
    /// Wake every waiting receiver (one of them must go on reading the socket).
    all: bool,
}

impl State {
    fn new(capacity: usize, policy: SlowConsumer, one_to_many: bool) -> State {
        State {
            capacity: capacity.max(1),
            policy,
            one_to_many,
            queues: HashMap::new(),
            unclaimed: Queue::default(),
            full: 0,
            end: None,
            ended: HashMap::new(),
            ended_order: VecDeque::new(),
            up: HashSet::new(),
            next_id: 0,
        }
    }

    fn key_of(&self, info: &RecvInfo) -> Key {
        let assoc = if self.one_to_many { info.assoc_id } else { 0 };
        (assoc, info.stream)
    }

    fn queue_mut(&mut self, target: Target) -> &mut Queue {
        match target {
            Target::Key(k) => self.queues.entry(k).or_default(),
            Target::Unclaimed => &mut self.unclaimed,
        }
    }

    /// Appends a message to `target`'s queue under the policy. Returns the owner to wake.
    fn push(&mut self, target: Target, item: (Bytes, RecvInfo)) -> Option<u64> {
        let cap = self.capacity;
        let policy = self.policy;
        let q = self.queue_mut(target);
        let was_full = q.items.len() >= cap;
        if was_full && policy == SlowConsumer::DropOldest {
            q.items.pop_front();
            q.lagged += 1;
        }
        q.items.push_back(item);
        let now_full = q.items.len() >= cap;
        let owner = q.owner;
        if now_full && !was_full {
            self.full += 1;
        }
        owner
    }

    /// Takes the next item of `target`'s queue: a lag report first, then messages. The flag
    /// says that reading may resume (the last full queue is full no more).
    fn pop(&mut self, target: Target) -> Option<(Result<(Bytes, RecvInfo)>, bool)> {
        let cap = self.capacity;
        let q = match target {
            Target::Key(k) => self.queues.get_mut(&k)?,
            Target::Unclaimed => &mut self.unclaimed,
        };
        if q.lagged > 0 {
            let dropped = std::mem::take(&mut q.lagged);
            let e = Error::new(ErrorKind::MessagesLagged { dropped });
            return Some((Err(e), false));
        }
        let was_full = q.items.len() >= cap;
        let item = q.items.pop_front()?;
        let now_full = q.items.len() >= cap;
        let mut resumes = false;
        if was_full && !now_full {
            self.full -= 1;
            resumes = self.full == 0;
        }
        Some((Ok(item), resumes))
    }

    /// The end `target`'s receiver reports once its queue is empty.
    fn end_for(&self, target: Target) -> Option<&End> {
        if !self.one_to_many {
            return self.end.as_ref();
        }
        match target {
            Target::Key(k) => self.queues.get(&k).and_then(|q| q.end.as_ref()),
            Target::Unclaimed => None,
        }
    }

    /// Files a message read from the socket. Returns the receiver to wake, if any.
    fn route(&mut self, bytes: Bytes, info: RecvInfo) -> Option<u64> {
        let key = self.key_of(&info);
        if self.one_to_many {
            self.up.insert(key.0);
        }
        let claimed = self.queues.get(&key).is_some_and(|q| q.owner.is_some());
        let target = if !claimed && self.unclaimed.owner.is_some() {
            Target::Unclaimed
        } else {
            Target::Key(key)
        };
        self.push(target, (bytes, info))
    }

    /// Gives `target` to a new receiver.
    fn claim(&mut self, target: Target) -> Result<u64> {
        let id = self.next_id;
        let ended = match target {
            Target::Key((assoc, _)) if self.one_to_many => self.ended.get(&assoc).cloned(),
            _ => None,
        };
        let q = self.queue_mut(target);
        if q.owner.is_some() {
            let what = match target {
                Target::Key((a, s)) => format!("association {a} stream {s} already has a receiver"),
                Target::Unclaimed => "the demux already has an unclaimed receiver".to_owned(),
            };
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, what).into());
        }
        q.owner = Some(id);
        if ended.is_some() {
            q.end = ended;
        }
        self.next_id += 1;
        Ok(id)
    }

    /// A receiver of `target` went away: its queue becomes unclaimed (see the module docs).
    fn release(&mut self, target: Target) -> Wakeups {
        let cap = self.capacity;
        let full_before = self.full;
        let mut wake = Wakeups::default();
        match target {
            Target::Unclaimed => self.unclaimed.owner = None,
            Target::Key(k) => {
                let Some(q) = self.queues.get_mut(&k) else {
                    return wake;
                };
                q.owner = None;
                if self.unclaimed.owner.is_some() {
                    let was_full = q.items.len() >= cap;
                    let items = std::mem::take(&mut q.items);
                    let lagged = std::mem::take(&mut q.lagged);
                    if was_full {
                        self.full -= 1;
                    }
                    self.unclaimed.lagged += lagged;
                    for item in items {
                        wake.ids.extend(self.push(Target::Unclaimed, item));
                    }
                    if lagged > 0 {
                        wake.ids.extend(self.unclaimed.owner);
                    }
                }
                let q = &self.queues[&k];
                if q.items.is_empty() && q.lagged == 0 {
                    self.queues.remove(&k);
                }
            }
        }
        wake.all = full_before > 0 && self.full == 0;
        wake
    }

    /// One-to-many: marks `assoc` ended; its receivers end once their queues are empty.
    fn end_assoc(&mut self, assoc: AssocId, end: End) {
        self.up.remove(&assoc);
        self.queues.retain(|&(a, _), q| {
            if a != assoc {
                return true;
            }
            q.end = Some(end.clone());
            q.owner.is_some() || !q.items.is_empty() || q.lagged > 0
        });
        if self.ended.insert(assoc, end).is_none() {
            self.ended_order.push_back(assoc);
            if self.ended_order.len() > ENDED_MEMORY {
                if let Some(old) = self.ended_order.pop_front() {
                    self.ended.remove(&old);
                }
            }
        }
    }

    /// One-to-many, once the socket has nothing more to read: ends the watched associations
    /// the endpoint no longer knows. Returns true if one ended.
    fn check_ends(&mut self, ep: &SctpEndpoint) -> bool {
        let mut watched: Vec<AssocId> = self
            .queues
            .iter()
            .filter(|(_, q)| q.end.is_none())
            .map(|(&(a, _), _)| a)
            .collect();
        watched.sort_unstable();
        watched.dedup();
        let mut any = false;
        for a in watched {
            if ep.outbound_streams(a).is_some() {
                self.up.insert(a);
            } else if self.up.contains(&a) {
                self.end_assoc(a, endpoint_end(ep, a));
                any = true;
            }
        }
        any
    }
}

/// Why association `assoc` of `ep` ended, once it is gone from the endpoint's table: the
/// notification (and errno) the endpoint kept for it. Should the endpoint have forgotten the
/// association (more than a thousand ends since), a `COMM_LOST` with no errno.
fn endpoint_end(ep: &SctpEndpoint, assoc: AssocId) -> End {
    ep.end_cause(assoc).unwrap_or_else(|| End::unknown(assoc))
}

/// The wakers of receivers waiting for a message. As a [`Wake`] it is the waker the demux
/// gives the socket: readiness wakes every waiting receiver, and the first to run reads.
#[derive(Debug, Default)]
struct Waiters {
    wakers: Mutex<HashMap<u64, Waker>>,
}

impl Waiters {
    fn register(&self, id: u64, waker: &Waker) {
        let mut w = lock(&self.wakers);
        match w.get_mut(&id) {
            Some(old) if old.will_wake(waker) => {}
            Some(old) => old.clone_from(waker),
            None => {
                w.insert(id, waker.clone());
            }
        }
    }

    fn remove(&self, id: u64) {
        lock(&self.wakers).remove(&id);
    }

    fn run(&self, wake: Wakeups) {
        let wakers: Vec<Waker> = {
            let mut w = lock(&self.wakers);
            if wake.all {
                w.drain().map(|(_, w)| w).collect()
            } else {
                wake.ids.iter().filter_map(|id| w.remove(id)).collect()
            }
        };
        for w in wakers {
            w.wake();
        }
    }
}

impl Wake for Waiters {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.run(Wakeups {
            ids: Vec::new(),
            all: true,
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The state is consistent between statements that could panic; keep going after a panic
    // elsewhere rather than turning it into a panic in every receiver.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct Shared {
    source: Source,
    state: Mutex<State>,
    waiters: Arc<Waiters>,
    /// `waiters` as a waker, handed to the socket.
    driver: Waker,
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
        self.waiters.register(id, cx.waker());
        let mut read = false;
        loop {
            if let Some((item, resumes)) = st.pop(target) {
                self.waiters.remove(id);
                // Hand reading on: we may have left messages in the socket, or unblocked it.
                wake.all |= resumes || read;
                return Polled::Item(item);
            }
            if let Some(end) = st.end_for(target) {
                self.waiters.remove(id);
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
                    self.waiters.remove(id);
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
        let waiters = Arc::new(Waiters::default());
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
        self.shared.waiters.run(wake);
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
        self.shared.waiters.remove(self.id);
        let wake = lock(&self.shared.state).release(self.target);
        self.shared.waiters.run(wake);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::{AssocChange, AssocChangeState, Notification};

    fn msg(assoc: AssocId, stream: u16, seq: u8) -> (Bytes, RecvInfo) {
        let info = RecvInfo {
            stream,
            assoc_id: assoc,
            ..RecvInfo::default()
        };
        (Bytes::from(vec![seq]), info)
    }

    fn take(st: &mut State, t: Target) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some((item, _)) = st.pop(t) {
            out.push(item.unwrap().0[0]);
        }
        out
    }

    #[test]
    fn routes_by_stream_and_keeps_order() {
        let mut st = State::new(8, SlowConsumer::Backpressure, false);
        let a = st.claim(Target::Key((0, 1))).unwrap();
        let b = st.claim(Target::Key((0, 2))).unwrap();
        assert_ne!(a, b);
        for seq in 0..4 {
            // The association id is ignored on a one-to-one demux.
            assert_eq!(st.route(msg(7, 1, seq).0, msg(7, 1, seq).1), Some(a));
            assert_eq!(
                st.route(msg(7, 2, 10 + seq).0, msg(7, 2, 10 + seq).1),
                Some(b)
            );
        }
        assert_eq!(take(&mut st, Target::Key((0, 1))), [0, 1, 2, 3]);
        assert_eq!(take(&mut st, Target::Key((0, 2))), [10, 11, 12, 13]);
        assert_eq!(st.full, 0);
    }

    #[test]
    fn one_to_many_keys_by_association() {
        let mut st = State::new(8, SlowConsumer::Backpressure, true);
        let a = st.claim(Target::Key((5, 1))).unwrap();
        let (bytes, info) = msg(6, 1, 9);
        // Association 6 has no receiver: held in its own queue.
        assert_eq!(st.route(bytes, info), None);
        let (bytes, info) = msg(5, 1, 3);
        assert_eq!(st.route(bytes, info), Some(a));
        assert_eq!(take(&mut st, Target::Key((5, 1))), [3]);
        assert_eq!(take(&mut st, Target::Key((6, 1))), [9]);
        assert!(st.up.contains(&5) && st.up.contains(&6));
    }

    #[test]
    fn backpressure_counts_full_queues_and_resumes_on_pop() {
        let mut st = State::new(2, SlowConsumer::Backpressure, false);
        st.claim(Target::Key((0, 1))).unwrap();
        let (b, i) = msg(0, 1, 0);
        st.route(b, i);
        assert_eq!(st.full, 0);
        let (b, i) = msg(0, 1, 1);
        st.route(b, i);
        assert_eq!(st.full, 1);
        let (item, resumes) = st.pop(Target::Key((0, 1))).unwrap();
        assert_eq!(item.unwrap().0[..], [0]);
        assert!(resumes, "the last full queue has room again");
        assert_eq!(st.full, 0);
        let (_, resumes) = st.pop(Target::Key((0, 1))).unwrap();
        assert!(!resumes);
        assert!(st.pop(Target::Key((0, 1))).is_none());
    }

    #[test]
    fn drop_oldest_reports_the_exact_count_first() {
        let mut st = State::new(3, SlowConsumer::DropOldest, false);
        st.claim(Target::Key((0, 4))).unwrap();
        for seq in 0..10 {
            let (b, i) = msg(0, 4, seq);
            st.route(b, i);
        }
        assert_eq!(st.full, 1);
        let (first, _) = st.pop(Target::Key((0, 4))).unwrap();
        match first.unwrap_err().kind() {
            ErrorKind::MessagesLagged { dropped } => assert_eq!(*dropped, 7),
            other => panic!("{other:?}"),
        }
        assert_eq!(take(&mut st, Target::Key((0, 4))), [7, 8, 9]);
        assert_eq!(st.full, 0);
    }

    #[test]
    fn unclaimed_receiver_and_held_queues() {
        let mut st = State::new(8, SlowConsumer::Backpressure, false);
        // No receivers at all: held per stream.
        let (b, i) = msg(0, 3, 1);
        assert_eq!(st.route(b, i), None);
        let u = st.claim(Target::Unclaimed).unwrap();
        assert!(st.claim(Target::Unclaimed).is_err());
        let (b, i) = msg(0, 3, 2);
        assert_eq!(
            st.route(b, i),
            Some(u),
            "unclaimed stream goes to the catch-all"
        );
        // Claiming stream 3 later gets the message held before the catch-all existed.
        let s3 = st.claim(Target::Key((0, 3))).unwrap();
        let e = st.claim(Target::Key((0, 3))).unwrap_err();
        assert_eq!(e.io_kind(), io::ErrorKind::AlreadyExists);
        let (b, i) = msg(0, 3, 3);
        assert_eq!(st.route(b, i), Some(s3));
        assert_eq!(take(&mut st, Target::Key((0, 3))), [1, 3]);
        assert_eq!(take(&mut st, Target::Unclaimed), [2]);
    }

    #[test]
    fn released_queue_moves_to_unclaimed_or_is_held() {
        let mut st = State::new(2, SlowConsumer::Backpressure, false);
        st.claim(Target::Key((0, 1))).unwrap();
        for seq in 0..2 {
            let (b, i) = msg(0, 1, seq);
            st.route(b, i);
        }
        assert_eq!(st.full, 1);
        // No catch-all: held for the next claim, still full.
        let w = st.release(Target::Key((0, 1)));
        assert!(!w.all && w.ids.is_empty());
        assert_eq!(st.full, 1);
        st.claim(Target::Key((0, 1))).unwrap();
        let u = st.claim(Target::Unclaimed).unwrap();
        // With a catch-all: moved there, in order; reading resumes? The catch-all is full
        // now (capacity 2), so it does not.
        let w = st.release(Target::Key((0, 1)));
        assert_eq!(w.ids, [u, u]);
        assert!(!st.queues.contains_key(&(0, 1)));
        assert_eq!(st.full, 1);
        assert_eq!(take(&mut st, Target::Unclaimed), [0, 1]);
        assert_eq!(st.full, 0);
    }

    #[test]
    fn association_end_reaches_queues_and_later_claims() {
        let mut st = State::new(4, SlowConsumer::Backpressure, true);
        st.claim(Target::Key((5, 0))).unwrap();
        let (b, i) = msg(5, 0, 1);
        st.route(b, i);
        let (b, i) = msg(5, 1, 2);
        st.route(b, i); // held
        let end = End::new(
            Notification::AssocChange(AssocChange {
                state: AssocChangeState::ShutdownComplete,
                error: 0,
                outbound_streams: 0,
                inbound_streams: 0,
                assoc_id: 5,
                info: Bytes::new(),
            }),
            None,
        );
        st.end_assoc(5, end);
        assert!(!st.up.contains(&5));
        // Messages first, then the end.
        assert!(st.end_for(Target::Key((5, 0))).is_some());
        assert_eq!(take(&mut st, Target::Key((5, 0))), [1]);
        st.claim(Target::Key((5, 1))).unwrap();
        assert_eq!(take(&mut st, Target::Key((5, 1))), [2]);
        st.claim(Target::Key((5, 7))).unwrap();
        let e = st.end_for(Target::Key((5, 7))).unwrap().to_error();
        match e.kind() {
            ErrorKind::AssociationEnded { cause } => assert!(matches!(
                &**cause,
                Notification::AssocChange(c) if c.state == AssocChangeState::ShutdownComplete
            )),
            other => panic!("{other:?}"),
        }
        assert!(st.end_for(Target::Unclaimed).is_none());
    }

    #[test]
    fn capacity_is_at_least_one() {
        let st = State::new(0, SlowConsumer::Backpressure, false);
        assert_eq!(st.capacity, 1);
    }

    #[test]
    fn types_are_send_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Demux>();
        assert_send_sync::<StreamReceiver>();
    }
}
