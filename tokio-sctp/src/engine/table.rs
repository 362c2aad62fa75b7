//! The association table: the associations a socket knows (id, negotiated stream counts), the
//! ones it saw end and why ([`EndCause`], remembered by [`EndedMemory`]), and the end latches
//! of a one-to-one socket (sending over, receiving over).
//!
//! Plain synchronous state, changed only through its methods from notifications and syscall
//! results. It makes no syscall and wakes nobody: the engine (`Core::update_table`) wakes
//! every waiter of the socket after each change, so a task waiting for an association to come
//! up or end can never miss it.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::io;

use bytes::Bytes;
use linux_sctp_sys::sctp_assoc_t;

use crate::error::{Error, ErrorKind, Result};
use crate::notification::{AssocChange, AssocChangeState, Notification, Shutdown};

/// Ended associations a socket (or a demux) remembers, to explain later failures.
pub(crate) const ENDED_MEMORY: usize = 1024;

/// A map keyed by association id.
pub(crate) type AssocMap<V> = HashMap<sctp_assoc_t, V, BuildHasherDefault<AssocIdHasher>>;

/// Hashes association ids with one multiplication instead of SipHash: every data send
/// looks its association up, and the ids are small integers the kernel hands out, not
/// values a peer chooses. The odd multiplier keeps distinct ids distinct in the low bits
/// (the bucket) and spreads them into the high bits (the tag).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AssocIdHasher(u64);

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for AssocIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(GOLDEN);
        }
    }

    fn write_i32(&mut self, i: i32) {
        self.0 = (self.0 ^ u64::from(i as u32)).wrapping_mul(GOLDEN);
    }
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

    /// The [`AssociationEnded`](ErrorKind::AssociationEnded) error of this end.
    pub(crate) fn to_error(&self) -> Error {
        Error::association_ended(
            self.cause.clone(),
            self.errno.map(io::Error::from_raw_os_error),
        )
    }

    /// The notification that ended the association (or the synthesized one).
    pub(crate) fn cause(&self) -> &Notification {
        &self.cause
    }

    /// The errno the end was seen with, if a system call reported it.
    pub(crate) fn errno(&self) -> Option<i32> {
        self.errno
    }
}

/// The last [`ENDED_MEMORY`] ends, by association id; the oldest is forgotten first.
#[derive(Debug)]
pub(crate) struct EndedMemory<T> {
    ends: AssocMap<T>,
    order: VecDeque<sctp_assoc_t>,
}

impl<T> Default for EndedMemory<T> {
    fn default() -> Self {
        EndedMemory {
            ends: AssocMap::default(),
            order: VecDeque::new(),
        }
    }
}

impl<T> EndedMemory<T> {
    /// Remembers the end of `id` (keeping the first one if it was already remembered).
    pub(crate) fn insert(&mut self, id: sctp_assoc_t, end: T) {
        if self.ends.contains_key(&id) {
            return;
        }
        self.ends.insert(id, end);
        self.order.push_back(id);
        if self.order.len() > ENDED_MEMORY {
            if let Some(old) = self.order.pop_front() {
                self.ends.remove(&old);
            }
        }
    }

    /// The remembered end of `id`.
    pub(crate) fn get(&self, id: sctp_assoc_t) -> Option<&T> {
        self.ends.get(&id)
    }

    /// Forgets the end of `id` (an id the kernel reuses for a new association).
    pub(crate) fn forget(&mut self, id: sctp_assoc_t) {
        if self.ends.remove(&id).is_some() {
            self.order.retain(|&o| o != id);
        }
    }
}

/// Stream counts of one association.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Streams {
    pub(crate) outbound: u16,
    pub(crate) inbound: u16,
}

/// What applying a notification changed, beyond the table itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    /// The table changed: wake every waiter.
    pub(crate) changed: bool,
    /// The stream counts of this association must be read back (`SCTP_STATUS`).
    pub(crate) refresh_streams: Option<sctp_assoc_t>,
}

/// Association bookkeeping of one socket.
#[derive(Debug)]
pub(crate) struct Table {
    /// One-to-one or peeled-off: one association, with whole-socket latches. One-to-many
    /// sockets remember ends per association instead.
    whole: bool,
    /// Established associations and their negotiated stream counts.
    up: AssocMap<Streams>,
    /// Recently ended associations (one-to-many).
    ended: EndedMemory<EndCause>,
    /// One-to-one: sending is over (peer SHUTDOWN, local shutdown, abort, loss).
    send_end: Option<EndCause>,
    /// The receive side is over: once the kernel queue is drained, receives fail. One-to-one:
    /// the association is gone; any socket: the user shut reading down.
    recv_end: Option<EndCause>,
    /// One-to-one: the association id (from connectx, COMM_UP or SCTP_STATUS).
    assoc_id: sctp_assoc_t,
}

impl Table {
    /// The table of a one-to-one (`whole`) or one-to-many socket.
    pub(crate) fn new(whole: bool) -> Self {
        Table {
            whole,
            up: AssocMap::default(),
            ended: EndedMemory::default(),
            send_end: None,
            recv_end: None,
            assoc_id: 0,
        }
    }

    /// Records an established association (after connect/accept/peeloff).
    pub(crate) fn set_established(&mut self, id: sctp_assoc_t, streams: Streams) {
        self.assoc_id = id;
        self.up.insert(id, streams);
        self.ended.forget(id);
    }

    /// One-to-one: the association id.
    pub(crate) fn assoc_id(&self) -> sctp_assoc_t {
        self.assoc_id
    }

    /// Stream counts of `id` (one-to-one: of the association), if known.
    pub(crate) fn streams(&self, id: Option<sctp_assoc_t>) -> Option<Streams> {
        self.up.get(&id.unwrap_or(self.assoc_id)).copied()
    }

    /// Replaces the stream counts of `id`, if it is up.
    pub(crate) fn set_streams(&mut self, id: sctp_assoc_t, streams: Streams) {
        if let Some(st) = self.up.get_mut(&id) {
            *st = streams;
        }
    }

    /// Why the association ended, if it did (one-to-one: the receive-side latch, then the
    /// send-side one; one-to-many: the remembered end of `id`).
    pub(crate) fn end_cause(&self, id: Option<sctp_assoc_t>) -> Option<EndCause> {
        match (self.whole, id) {
            (false, Some(id)) => self.ended.get(id).cloned(),
            (false, None) => None,
            (true, _) => self.recv_end.clone().or_else(|| self.send_end.clone()),
        }
    }

    /// The latched end of the receive side: receives fail once the kernel queue is drained.
    /// Only the receive side: a latched end of sending (a local or peer SHUTDOWN) leaves
    /// receiving to the kernel's EOF.
    pub(crate) fn recv_end(&self) -> Option<&EndCause> {
        self.recv_end.as_ref()
    }

    /// Latches the end of the whole association (both directions); the first cause stays.
    pub(crate) fn latch_end(&mut self, cause: EndCause) {
        self.send_end.get_or_insert(cause.clone());
        self.recv_end.get_or_insert(cause);
    }

    /// Latches the end of the sending direction only.
    pub(crate) fn latch_send_end(&mut self, cause: EndCause) {
        self.send_end.get_or_insert(cause);
    }

    /// Latches the end of the receive side only (the user shut reading down).
    pub(crate) fn latch_recv_end(&mut self, cause: EndCause) {
        self.recv_end.get_or_insert(cause);
    }

    /// Applies a notification.
    pub(crate) fn apply(&mut self, n: &Notification) -> Applied {
        let mut applied = Applied::default();
        match n {
            Notification::AssocChange(c) => {
                let id = c.assoc_id;
                applied.changed = true;
                match c.state {
                    AssocChangeState::CommUp | AssocChangeState::Restart => {
                        let streams = Streams {
                            outbound: c.outbound_streams,
                            inbound: c.inbound_streams,
                        };
                        self.up.insert(id, streams);
                        self.ended.forget(id);
                        if self.whole {
                            self.assoc_id = id;
                        }
                    }
                    s if s.is_terminal() => {
                        self.up.remove(&id);
                        if self.whole {
                            self.latch_end(EndCause::notification(n));
                        } else {
                            self.ended.insert(id, EndCause::notification(n));
                        }
                    }
                    _ => applied.changed = false,
                }
            }
            Notification::Shutdown(_) if self.whole => {
                self.latch_send_end(EndCause::notification(n));
                applied.changed = true;
            }
            Notification::StreamChange(c) => {
                // Linux reports the number of streams *added* (and each direction in an event
                // of its own), not the new totals: the caller reads the totals back.
                let id = if self.whole {
                    self.assoc_id
                } else {
                    c.assoc_id
                };
                applied.refresh_streams = self.up.contains_key(&id).then_some(id);
            }
            _ => {}
        }
        applied
    }

    /// Checks what can be checked before a data send to `assoc` (one-to-one: `None`): a
    /// latched end, and the stream id against the negotiated outbound stream count.
    pub(crate) fn check_send(&self, assoc: Option<sctp_assoc_t>, sid: u16) -> Result<()> {
        if let Some(cause) = self.send_ended(assoc) {
            return Err(cause.to_error());
        }
        let id = if self.whole {
            Some(self.assoc_id)
        } else {
            assoc
        };
        if let Some(st) = id.and_then(|id| self.up.get(&id)) {
            if sid >= st.outbound {
                return Err(Error::new(ErrorKind::StreamOutOfRange {
                    stream: sid,
                    outbound_streams: st.outbound,
                }));
            }
        }
        Ok(())
    }

    /// The latched end that stops data sends to `assoc` (one-to-one: the socket's sending
    /// side), if there is one.
    pub(crate) fn send_ended(&self, assoc: Option<sctp_assoc_t>) -> Option<&EndCause> {
        if self.whole {
            self.send_end.as_ref()
        } else {
            assoc.and_then(|id| self.ended.get(id))
        }
    }

    /// One-to-one: a send failed with `errno`, which means the association is gone (see
    /// [`is_gone`]): the sending side is latched with it (unless it already was). Returns
    /// the latched end.
    pub(crate) fn send_failed(&mut self, errno: i32) -> EndCause {
        let id = self.assoc_id;
        self.send_end
            .get_or_insert(EndCause::lost(id, errno))
            .clone()
    }

    /// Whether association `id` (one-to-one: `None`) is up, with its id and stream counts;
    /// or how it ended. `None` while neither is known.
    pub(crate) fn established(
        &self,
        id: Option<sctp_assoc_t>,
    ) -> Option<std::result::Result<(sctp_assoc_t, Streams), EndCause>> {
        let id = id.unwrap_or(self.assoc_id);
        if let Some(st) = self.up.get(&id) {
            return Some(Ok((id, *st)));
        }
        let end = if self.whole {
            self.recv_end.as_ref()
        } else {
            self.ended.get(id)
        };
        end.cloned().map(Err)
    }
}

/// Whether a socket error means the association is gone: the pending error of a one-to-one
/// socket (`ETIMEDOUT` when retransmissions ran out, `ECONNRESET` after an ABORT) or the
/// errno of a socket without one (`EPIPE`, `ENOTCONN`, ...). One rule for sends and receives;
/// any other errno (`ENOMEM`, `ENOBUFS`, `EFAULT`, ...) is the call's own failure and ends
/// nothing.
pub(crate) fn is_gone(errno: i32) -> bool {
    matches!(
        errno,
        libc::EPIPE
            | libc::ECONNRESET
            | libc::ESHUTDOWN
            | libc::ENOTCONN
            | libc::ETIMEDOUT
            | libc::ECONNREFUSED
            | libc::ECONNABORTED
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(state: AssocChangeState, id: sctp_assoc_t) -> Notification {
        Notification::AssocChange(AssocChange {
            state,
            error: 0,
            outbound_streams: 4,
            inbound_streams: 5,
            assoc_id: id,
            info: Bytes::new(),
        })
    }

    #[test]
    fn a_send_side_end_leaves_receiving_to_the_kernel() {
        for shut in [
            |t: &mut Table| t.latch_send_end(EndCause::shutdown(3, Some(libc::ESHUTDOWN))),
            |t: &mut Table| {
                t.apply(&Notification::Shutdown(Shutdown { assoc_id: 3 }));
            },
        ] {
            let mut t = Table::new(true);
            t.set_established(3, Streams::default());
            shut(&mut t);
            assert!(t.send_ended(None).is_some());
            assert!(t.end_cause(None).is_some());
            assert!(t.recv_end().is_none(), "only sending ended");
        }
    }

    #[test]
    fn comm_up_and_end_on_one_to_many() {
        let mut t = Table::new(false);
        assert!(t.established(Some(7)).is_none());
        assert!(t.apply(&change(AssocChangeState::CommUp, 7)).changed);
        let (id, st) = t.established(Some(7)).unwrap().unwrap();
        assert_eq!((id, st.outbound, st.inbound), (7, 4, 5));
        let e = t.check_send(Some(7), 4).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::StreamOutOfRange { .. }));
        t.check_send(Some(7), 3).unwrap();
        assert!(t.apply(&change(AssocChangeState::CommLost, 7)).changed);
        assert!(t.established(Some(7)).unwrap().is_err());
        assert!(t.send_ended(Some(7)).is_some());
        assert!(t.recv_end().is_none(), "a one-to-many socket goes on");
        // The id comes back for a new association: the old end is forgotten.
        t.apply(&change(AssocChangeState::CommUp, 7));
        assert!(t.send_ended(Some(7)).is_none());
    }

    #[test]
    fn ended_memory_forgets_the_oldest() {
        let mut m = EndedMemory::default();
        for id in 0..(ENDED_MEMORY as i32 + 10) {
            m.insert(id, id);
        }
        assert!(m.get(9).is_none());
        assert_eq!(m.get(10), Some(&10));
        m.insert(10, -1);
        assert_eq!(m.get(10), Some(&10), "the first end stays");
    }

    #[test]
    fn one_errno_rule() {
        for errno in [
            libc::ECONNRESET,
            libc::ETIMEDOUT,
            libc::EPIPE,
            libc::ENOTCONN,
        ] {
            assert!(is_gone(errno));
        }
        for errno in [
            libc::ENOMEM,
            libc::ENOBUFS,
            libc::EFAULT,
            libc::ENOTSOCK,
            libc::EINTR,
        ] {
            assert!(!is_gone(errno));
        }
    }
}
