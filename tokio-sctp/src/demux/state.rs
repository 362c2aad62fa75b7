//! The demux's shared state: one bounded queue per (association, stream), the unclaimed
//! queue, the slow-consumer policy, claims and releases, and the ends of associations. Plain
//! synchronous state under the demux's lock; `mod.rs` drives the socket around it and runs
//! the wake-ups it asks for.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;

use bytes::Bytes;

use crate::engine::{EndCause as End, EndedMemory};
use crate::error::{Error, ErrorKind, Result};
use crate::message::RecvInfo;
use crate::{AssocId, SctpEndpoint};

use super::SlowConsumer;

/// Association (0 on a one-to-one socket) and stream.
pub(super) type Key = (AssocId, u16);

/// Which queue a receiver reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Key(Key),
    Unclaimed,
}

/// One bounded queue.
#[derive(Debug, Default)]
pub(super) struct Queue {
    pub(super) items: VecDeque<(Bytes, RecvInfo)>,
    /// Messages dropped from the front since the receiver last looked (`DropOldest`).
    pub(super) lagged: u64,
    /// The id of the receiver reading this queue, if any.
    pub(super) owner: Option<u64>,
    /// Set when the queue's association ended (one-to-many keys only).
    pub(super) end: Option<End>,
}

/// Everything the receivers share, behind one lock.
#[derive(Debug)]
pub(super) struct State {
    pub(super) capacity: usize,
    pub(super) policy: SlowConsumer,
    pub(super) one_to_many: bool,
    pub(super) queues: HashMap<Key, Queue>,
    pub(super) unclaimed: Queue,
    /// Queues holding `capacity` messages or more (`Backpressure` stops reading while > 0).
    pub(super) full: usize,
    /// One-to-one: the association ended.
    pub(super) end: Option<End>,
    /// One-to-many: ended associations, for receivers made later (bounded, oldest dropped).
    pub(super) ended: EndedMemory<End>,
    /// One-to-many: associations seen up and not yet seen ended.
    pub(super) up: HashSet<AssocId>,
    pub(super) next_id: u64,
}

/// What the state asks of the wakers after a change (run once the lock is released).
#[derive(Default)]
pub(super) struct Wakeups {
    /// Receivers that got a message.
    pub(super) ids: Vec<u64>,
    /// Wake every waiting receiver (one of them must go on reading the socket).
    pub(super) all: bool,
}

impl State {
    pub(super) fn new(capacity: usize, policy: SlowConsumer, one_to_many: bool) -> State {
        State {
            capacity: capacity.max(1),
            policy,
            one_to_many,
            queues: HashMap::new(),
            unclaimed: Queue::default(),
            full: 0,
            end: None,
            ended: EndedMemory::default(),
            up: HashSet::new(),
            next_id: 0,
        }
    }

    pub(super) fn key_of(&self, info: &RecvInfo) -> Key {
        let assoc = if self.one_to_many { info.assoc_id } else { 0 };
        (assoc, info.stream)
    }

    pub(super) fn queue_mut(&mut self, target: Target) -> &mut Queue {
        match target {
            Target::Key(k) => self.queues.entry(k).or_default(),
            Target::Unclaimed => &mut self.unclaimed,
        }
    }

    /// Appends a message to `target`'s queue under the policy. Returns the owner to wake.
    pub(super) fn push(&mut self, target: Target, item: (Bytes, RecvInfo)) -> Option<u64> {
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
    pub(super) fn pop(&mut self, target: Target) -> Option<(Result<(Bytes, RecvInfo)>, bool)> {
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
    pub(super) fn end_for(&self, target: Target) -> Option<&End> {
        if !self.one_to_many {
            return self.end.as_ref();
        }
        match target {
            Target::Key(k) => self.queues.get(&k).and_then(|q| q.end.as_ref()),
            Target::Unclaimed => None,
        }
    }

    /// Files a message read from the socket. Returns the receiver to wake, if any.
    pub(super) fn route(&mut self, bytes: Bytes, info: RecvInfo) -> Option<u64> {
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
    pub(super) fn claim(&mut self, target: Target) -> Result<u64> {
        let id = self.next_id;
        let ended = match target {
            Target::Key((assoc, _)) if self.one_to_many => self.ended.get(assoc).cloned(),
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
    pub(super) fn release(&mut self, target: Target) -> Wakeups {
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
    pub(super) fn end_assoc(&mut self, assoc: AssocId, end: End) {
        self.up.remove(&assoc);
        self.queues.retain(|&(a, _), q| {
            if a != assoc {
                return true;
            }
            q.end = Some(end.clone());
            q.owner.is_some() || !q.items.is_empty() || q.lagged > 0
        });
        self.ended.insert(assoc, end);
    }

    /// One-to-many, once the socket has nothing more to read: ends the watched associations
    /// the endpoint no longer knows. Returns true if one ended.
    pub(super) fn check_ends(&mut self, ep: &SctpEndpoint) -> bool {
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
pub(super) fn endpoint_end(ep: &SctpEndpoint, assoc: AssocId) -> End {
    ep.end_cause(assoc).unwrap_or_else(|| End::unknown(assoc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
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
}
