//! Reassembly: the pure state machine that turns the pieces reads return into whole messages
//! and notifications, under the size cap.
//!
//! Input: one piece at a time, with its kind ([`Piece`]: data of an association and stream,
//! or a notification) and whether the read had `MSG_EOR`. Output: [`Assembled`]. No syscall,
//! no lock, no async: the engine feeds it the bytes each `recvmsg` appended to
//! [`buf_mut`](Reassembly::buf_mut), unit tests and fuzz targets feed it copies through
//! [`push`](Reassembly::push). [`ReassemblyBuffer`](crate::message::ReassemblyBuffer) is the
//! public face of the same machine for a caller's own reads.
//!
//! # Memory
//!
//! Reads land in the spare capacity of one block, at least [`BLOCK`] bytes: the message in
//! progress sits at its front and the kernel appends each piece right after it, so a message
//! read in one piece, or in several in a row, costs no copy. A whole message is split off the
//! front as `Bytes`; once every message from a block is dropped, the next `reserve` takes the
//! block back without allocating. Only fragment interleaving (a piece of another message
//! while one is in progress) parks the one in progress in a buffer of its own, a copy.
//!
//! # Per association
//!
//! Everything half-received of one association is one [`AssocPartials`]: its messages in
//! progress, by stream, and the streams whose oversized message is being dropped. When the
//! association moves to another socket (peeloff), that unit moves with it
//! ([`take_assoc`](Reassembly::take_assoc), [`adopt`](Reassembly::adopt)), so the kernel's
//! next piece of the message meets its head on the new socket. When the kernel will never
//! finish a message (the association ended, its partial delivery was aborted), the engine
//! drops its part ([`drop_assoc`](Reassembly::drop_assoc),
//! [`drop_stream`](Reassembly::drop_stream)).
//!
//! # The size cap
//!
//! A message longer than the cap is reported once, as [`Assembled::TooLarge`], in its place;
//! the rest of it is dropped as it arrives, and the next message of that stream starts fresh.
//! At most `max` bytes of it are held. The cap applies to the whole message, so lowering it
//! applies to a message in progress at its next piece.

use bytes::{Bytes, BytesMut};
use linux_sctp_sys::sctp_assoc_t;

/// The default cap on the size of one reassembled message: 4 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 << 20;
/// How much room a read offers when the size of the next message is unknown: 64 KiB.
pub const READ_WINDOW: usize = 64 << 10;
/// The smallest block the buffer allocates at a time: several reads deep.
pub const BLOCK: usize = 4 * READ_WINDOW;

/// Which message a data piece belongs to: association and stream.
pub type Key = (sctp_assoc_t, u16);

/// What a piece is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// User data of one association and stream (from `SCTP_RCVINFO`).
    Data(Key),
    /// (Part of) a notification (`MSG_NOTIFICATION`).
    Notification,
}

/// What a piece completed.
#[derive(Debug, PartialEq, Eq)]
pub enum Assembled<N> {
    /// Nothing yet: the piece continued a message or notification, or was dropped.
    Incomplete,
    /// A whole data message of the piece's key.
    Message(Bytes),
    /// The message of the piece's key went over the cap (`limit` bytes): reported once, in
    /// its place; the rest of it is dropped as it arrives.
    TooLarge {
        /// The cap.
        limit: usize,
    },
    /// A whole notification, as the caller's parser read it.
    Notification(N),
}

/// Everything half-received of one association: per stream, the bytes so far or the mark
/// that the rest of an oversized message is being dropped. One unit, so it moves with its
/// association.
#[derive(Debug)]
pub struct AssocPartials {
    assoc: sctp_assoc_t,
    streams: Vec<(u16, Partial)>,
}

impl AssocPartials {
    /// The association these partials belong to.
    pub fn assoc(&self) -> sctp_assoc_t {
        self.assoc
    }

    /// Bytes held for the association's messages in progress.
    pub fn held(&self) -> usize {
        self.streams
            .iter()
            .map(|(_, p)| match p {
                Partial::Held(b) => b.len(),
                Partial::Dropping => 0,
            })
            .sum()
    }
}

#[derive(Debug)]
enum Partial {
    /// The first pieces of a message.
    Held(BytesMut),
    /// The rest of an oversized message is being read and dropped.
    Dropping,
}

/// The reassembly state of one socket.
#[derive(Debug)]
pub struct Reassembly {
    /// The block reads append to; `buf[..]` is the message in progress (`current`), or empty.
    buf: BytesMut,
    /// Key of the message in `buf`, while it lacks its last piece.
    current: Option<Key>,
    /// Partial messages other than the current one, and streams being dropped, per
    /// association. Empty unless fragments interleave or a message went over the cap.
    parked: Vec<AssocPartials>,
    /// Length of the message in progress: where the next piece starts (0 when none is).
    held_current: usize,
    /// A notification split across reads.
    notification: BytesMut,
    /// The cap on one message.
    max: usize,
}

impl Reassembly {
    /// A machine with the cap `max`. Allocates nothing until the first piece.
    pub fn new(max: usize) -> Self {
        Reassembly {
            buf: BytesMut::new(),
            current: None,
            parked: Vec::new(),
            held_current: 0,
            notification: BytesMut::new(),
            max,
        }
    }

    /// The cap on one message.
    pub fn max(&self) -> usize {
        self.max
    }

    /// Changes the cap; see the [module docs](self#the-size-cap).
    pub fn set_max(&mut self, max: usize) {
        self.max = max;
    }

    /// The buffer the next read appends to (into its spare capacity), holding the message in
    /// progress. Append one piece, never modify what is there, then call
    /// [`complete`](Self::complete) (or [`discard_piece`](Self::discard_piece)).
    pub fn buf_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Bytes in the buffer: the message in progress plus a piece not yet completed.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Bytes of the message in progress and of every parked one.
    pub fn held(&self) -> usize {
        let current = if self.current.is_some() {
            self.buf.len()
        } else {
            0
        };
        current
            + self.parked.iter().map(AssocPartials::held).sum::<usize>()
            + self.notification.len()
    }

    /// Makes sure the buffer has `room` bytes of spare capacity, reserving a whole block
    /// when it must allocate (see the [module docs](self#memory)).
    pub fn reserve(&mut self, room: usize) {
        if self.buf.capacity() - self.buf.len() < room {
            self.buf.reserve(room.max(BLOCK));
        }
    }

    /// How much room the next read should offer: a continued message is at least as big as
    /// what was offered last time; a fresh one is `hint` (the `nxt_length` the kernel
    /// announced) or [`READ_WINDOW`]; never more than the cap allows, never 0.
    pub fn window(&self, hint: Option<usize>) -> usize {
        let held = self.buf.len();
        let window = match (self.current.is_some() || self.dropping_any(), hint) {
            (true, _) => held.max(READ_WINDOW),
            (false, Some(h)) => h.max(1),
            (false, None) => READ_WINDOW,
        };
        window
            .min(self.max.saturating_add(1).saturating_sub(held))
            .max(1)
    }

    /// Whether a notification is in progress (split across reads).
    pub fn notification_in_progress(&self) -> bool {
        !self.notification.is_empty()
    }

    /// Whether the rest of `key`'s message is being dropped.
    pub fn is_dropping(&self, key: Key) -> bool {
        self.partial(key)
            .is_some_and(|p| matches!(p, Partial::Dropping))
    }

    fn dropping_any(&self) -> bool {
        self.parked.iter().any(|a| {
            a.streams
                .iter()
                .any(|(_, p)| matches!(p, Partial::Dropping))
        })
    }

    /// Where the piece the caller appended starts: right after the message in progress.
    fn piece_start(&self) -> usize {
        // Between pieces the buffer holds the current message and nothing else.
        self.held_current
    }

    /// Accounts for the piece just appended to [`buf_mut`](Self::buf_mut): `kind` and `eor`
    /// as the read reported them. `parse` reads a whole notification (it runs on the bytes in
    /// place, without a copy when the notification came in one read).
    pub fn complete<N>(
        &mut self,
        kind: Piece,
        eor: bool,
        parse: impl FnOnce(&[u8]) -> N,
    ) -> Assembled<N> {
        match kind {
            Piece::Data(key) => self.data(key, eor),
            Piece::Notification => match self.notification_piece(eor, parse) {
                Some(n) => Assembled::Notification(n),
                None => Assembled::Incomplete,
            },
        }
    }

    /// Drops the piece just appended (a read that returned end-of-file).
    pub fn discard_piece(&mut self) {
        let start = self.piece_start();
        self.buf.truncate(start);
    }

    /// Appends a copy of `piece` and [`complete`](Self::complete)s it; a piece that would
    /// be dropped (its message is being dropped, or goes over the cap with it) is not
    /// copied. Notifications come back as `Bytes`. The entry point for tests and fuzz
    /// targets, and for callers that hold the piece in a buffer of their own.
    pub fn push(&mut self, piece: &[u8], kind: Piece, eor: bool) -> Assembled<Bytes> {
        if let Piece::Data(key) = kind {
            if self.is_dropping(key) {
                if eor {
                    self.stop_dropping(key);
                }
                return Assembled::Incomplete;
            }
            let so_far = match self.current {
                Some(k) if k == key => self.buf.len(),
                _ => match self.partial(key) {
                    Some(Partial::Held(b)) => b.len(),
                    _ => 0,
                },
            };
            if so_far.saturating_add(piece.len()) > self.max {
                self.drop_key(key);
                if !eor {
                    self.mark_dropping(key);
                }
                return Assembled::TooLarge { limit: self.max };
            }
        }
        self.buf.extend_from_slice(piece);
        self.complete(kind, eor, Bytes::copy_from_slice)
    }

    fn data<N>(&mut self, key: Key, eor: bool) -> Assembled<N> {
        let start = self.piece_start();
        if self.is_dropping(key) {
            self.buf.truncate(start);
            if eor {
                self.stop_dropping(key);
            }
            return Assembled::Incomplete;
        }
        if let Some(prev) = self.current.filter(|&k| k != key) {
            // A piece of another message than the one in progress (fragment interleaving):
            // park the one in progress and go on in the block with this piece. Rare.
            let piece = self.buf.split_off(start);
            let head = std::mem::replace(&mut self.buf, piece);
            self.park(prev, Partial::Held(head));
            self.current = None;
            self.held_current = 0;
        }
        if self.current.is_none() && !self.parked.is_empty() {
            if let Some(Partial::Held(earlier)) = self.unpark(key) {
                // The continuation of a parked message: the head goes back in front (a copy).
                let piece = self.buf.split();
                self.buf.extend_from_slice(&earlier);
                self.buf.extend_from_slice(&piece);
            }
        }
        if self.buf.len() > self.max {
            self.buf.clear();
            self.current = None;
            self.held_current = 0;
            if !eor {
                self.mark_dropping(key);
            }
            return Assembled::TooLarge { limit: self.max };
        }
        if eor {
            self.current = None;
            self.held_current = 0;
            return Assembled::Message(self.buf.split().freeze());
        }
        self.current = Some(key);
        self.held_current = self.buf.len();
        Assembled::Incomplete
    }

    fn notification_piece<N>(&mut self, eor: bool, parse: impl FnOnce(&[u8]) -> N) -> Option<N> {
        let start = self.piece_start();
        if eor && self.notification.is_empty() {
            let n = parse(&self.buf[start..]);
            self.buf.truncate(start);
            return Some(n);
        }
        self.notification.extend_from_slice(&self.buf[start..]);
        self.buf.truncate(start);
        if !eor {
            return None;
        }
        let n = parse(&self.notification);
        self.notification.clear();
        Some(n)
    }

    fn partial(&self, (assoc, sid): Key) -> Option<&Partial> {
        let unit = self.parked.iter().find(|a| a.assoc == assoc)?;
        unit.streams.iter().find(|(s, _)| *s == sid).map(|(_, p)| p)
    }

    fn park(&mut self, (assoc, sid): Key, partial: Partial) {
        let unit = match self.parked.iter().position(|a| a.assoc == assoc) {
            Some(i) => &mut self.parked[i],
            None => {
                self.parked.push(AssocPartials {
                    assoc,
                    streams: Vec::new(),
                });
                self.parked.last_mut().expect("just pushed")
            }
        };
        match unit.streams.iter_mut().find(|(s, _)| *s == sid) {
            Some((_, p)) => *p = partial,
            None => unit.streams.push((sid, partial)),
        }
    }

    /// Takes `key`'s parked partial out, dropping its association's unit once empty.
    fn unpark(&mut self, (assoc, sid): Key) -> Option<Partial> {
        let i = self.parked.iter().position(|a| a.assoc == assoc)?;
        let unit = &mut self.parked[i];
        let j = unit.streams.iter().position(|(s, _)| *s == sid)?;
        let (_, p) = unit.streams.swap_remove(j);
        if unit.streams.is_empty() {
            self.parked.swap_remove(i);
        }
        Some(p)
    }

    fn mark_dropping(&mut self, key: Key) {
        self.park(key, Partial::Dropping);
    }

    fn stop_dropping(&mut self, key: Key) {
        self.unpark(key);
    }

    /// Drops whatever is held for `key` (the message in progress or a parked one).
    fn drop_key(&mut self, key: Key) -> bool {
        let mut hit = false;
        if self.current == Some(key) {
            self.buf.clear();
            self.current = None;
            self.held_current = 0;
            hit = true;
        }
        hit | self.unpark(key).is_some()
    }

    /// Drops every partial message of `assoc` (in progress, parked, being dropped): the
    /// kernel will not finish them (the association ended). Returns whether there was one.
    pub fn drop_assoc(&mut self, assoc: sctp_assoc_t) -> bool {
        let mut hit = false;
        if self.current.is_some_and(|k| k.0 == assoc) {
            self.buf.clear();
            self.current = None;
            self.held_current = 0;
            hit = true;
        }
        let before = self.parked.len();
        self.parked.retain(|a| a.assoc != assoc);
        hit || self.parked.len() != before
    }

    /// Drops the partial message of one stream (its partial delivery was aborted). Returns
    /// whether there was one.
    pub fn drop_stream(&mut self, key: Key) -> bool {
        self.drop_key(key)
    }

    /// Takes everything half-received of `assoc` out, as one unit (peeloff).
    pub fn take_assoc(&mut self, assoc: sctp_assoc_t) -> Option<AssocPartials> {
        if let Some(key) = self.current.filter(|k| k.0 == assoc) {
            let head = self.buf.split();
            self.current = None;
            self.held_current = 0;
            self.park(key, Partial::Held(head));
        }
        let i = self.parked.iter().position(|a| a.assoc == assoc)?;
        Some(self.parked.swap_remove(i))
    }

    /// Takes in what another socket held of an association moving here (peeloff): the next
    /// pieces of those messages continue them.
    pub fn adopt(&mut self, unit: AssocPartials) {
        for (sid, p) in unit.streams {
            self.park((unit.assoc, sid), p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(a: Assembled<Bytes>) -> Option<Vec<u8>> {
        match a {
            Assembled::Message(b) => Some(b.to_vec()),
            _ => None,
        }
    }

    const A: Piece = Piece::Data((7, 1));
    const B: Piece = Piece::Data((7, 2));
    const C: Piece = Piece::Data((8, 1));

    #[test]
    fn pieces_of_one_message_join_in_place() {
        let mut r = Reassembly::new(100);
        r.reserve(16);
        let block = r.buf_mut().as_ptr();
        for piece in [&b"ab"[..], b"cd"] {
            r.buf_mut().extend_from_slice(piece);
            assert_eq!(r.complete(A, false, |_| ()), Assembled::Incomplete);
        }
        r.buf_mut().extend_from_slice(b"e");
        match r.complete(A, true, |_| ()) {
            Assembled::Message(b) => {
                assert_eq!(&b[..], b"abcde");
                assert_eq!(b.as_ptr(), block, "no copy");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.held(), 0);
        assert_eq!(
            msg(r.push(b"", A, true)),
            Some(Vec::new()),
            "an empty message"
        );
    }

    #[test]
    fn interleaved_messages_are_parked_and_resumed() {
        let mut r = Reassembly::new(100);
        assert_eq!(r.push(b"a1", A, false), Assembled::Incomplete);
        assert_eq!(r.push(b"b1", B, false), Assembled::Incomplete);
        assert_eq!(r.push(b"c1", C, false), Assembled::Incomplete);
        assert_eq!(msg(r.push(b"a2", A, true)), Some(b"a1a2".to_vec()));
        assert_eq!(msg(r.push(b"c2", C, true)), Some(b"c1c2".to_vec()));
        assert_eq!(r.held(), 2);
        assert_eq!(msg(r.push(b"b2", B, true)), Some(b"b1b2".to_vec()));
        assert_eq!(r.held(), 0);
    }

    #[test]
    fn a_notification_between_pieces_leaves_the_message_alone() {
        let mut r = Reassembly::new(100);
        assert_eq!(r.push(b"head", A, false), Assembled::Incomplete);
        assert_eq!(
            r.push(b"no", Piece::Notification, false),
            Assembled::Incomplete
        );
        assert!(r.notification_in_progress());
        match r.push(b"te", Piece::Notification, true) {
            Assembled::Notification(n) => assert_eq!(&n[..], b"note"),
            other => panic!("{other:?}"),
        }
        assert_eq!(msg(r.push(b"tail", A, true)), Some(b"headtail".to_vec()));
    }

    #[test]
    fn over_the_cap_fails_once_then_the_rest_is_dropped() {
        for in_place in [false, true] {
            let mut r = Reassembly::new(5);
            let feed = |r: &mut Reassembly, p: &[u8], eor| {
                if in_place {
                    r.buf_mut().extend_from_slice(p);
                    match r.complete(A, eor, |_| Bytes::new()) {
                        Assembled::Message(b) => Assembled::Message(b),
                        Assembled::TooLarge { limit } => Assembled::TooLarge { limit },
                        _ => Assembled::Incomplete,
                    }
                } else {
                    r.push(p, A, eor)
                }
            };
            assert_eq!(feed(&mut r, b"1234", false), Assembled::Incomplete);
            assert_eq!(
                feed(&mut r, b"567", false),
                Assembled::TooLarge { limit: 5 }
            );
            assert!(r.is_dropping((7, 1)));
            assert_eq!(r.held(), 0);
            assert_eq!(feed(&mut r, b"89", false), Assembled::Incomplete);
            assert_eq!(feed(&mut r, b"0", true), Assembled::Incomplete);
            assert!(!r.is_dropping((7, 1)));
            assert_eq!(msg(feed(&mut r, b"next", true)), Some(b"next".to_vec()));
            assert_eq!(
                feed(&mut r, b"abcdefgh", true),
                Assembled::TooLarge { limit: 5 }
            );
            assert!(
                !r.is_dropping((7, 1)),
                "a single piece with EOR leaves nothing"
            );
        }
    }

    #[test]
    fn dropping_one_stream_spares_the_next_of_another() {
        let mut r = Reassembly::new(4);
        assert_eq!(r.push(b"12345", A, false), Assembled::TooLarge { limit: 4 });
        assert_eq!(msg(r.push(b"ok", B, true)), Some(b"ok".to_vec()));
        assert_eq!(r.push(b"rest", A, true), Assembled::Incomplete);
        assert_eq!(msg(r.push(b"new", A, true)), Some(b"new".to_vec()));
    }

    #[test]
    fn an_association_moves_as_one_unit() {
        let mut from = Reassembly::new(100);
        assert_eq!(from.push(b"a-", A, false), Assembled::Incomplete);
        assert_eq!(from.push(b"c-", C, false), Assembled::Incomplete);
        assert_eq!(from.push(b"b-", B, false), Assembled::Incomplete);
        let unit = from.take_assoc(7).expect("association 7 had partials");
        assert_eq!((unit.assoc(), unit.held()), (7, 4));
        assert!(from.take_assoc(7).is_none());
        let mut to = Reassembly::new(100);
        to.adopt(unit);
        assert_eq!(msg(to.push(b"b", B, true)), Some(b"b-b".to_vec()));
        assert_eq!(msg(to.push(b"a", A, true)), Some(b"a-a".to_vec()));
        assert_eq!(msg(from.push(b"c", C, true)), Some(b"c-c".to_vec()));
        assert_eq!((from.held(), to.held()), (0, 0));
    }

    #[test]
    fn stale_partials_are_dropped() {
        let mut r = Reassembly::new(100);
        r.push(b"a", A, false);
        r.push(b"b", B, false);
        assert!(r.drop_stream((7, 2)));
        assert!(!r.drop_stream((7, 2)));
        assert!(r.drop_assoc(7));
        assert_eq!(r.held(), 0);
        assert_eq!(msg(r.push(b"x", A, true)), Some(b"x".to_vec()));
    }

    #[test]
    fn windows_follow_the_hint_the_message_and_the_cap() {
        let mut r = Reassembly::new(1 << 20);
        assert_eq!(r.window(None), READ_WINDOW);
        assert_eq!(r.window(Some(100)), 100);
        assert_eq!(r.window(Some(0)), 1);
        r.push(&[0; 10], A, false);
        assert_eq!(r.window(Some(5)), READ_WINDOW, "a continued message");
        let r = Reassembly::new(10);
        assert_eq!(r.window(None), 11, "one byte past the cap shows it is over");
    }
}
