//! The read-ahead queues between the two kinds of reader of one socket.
//!
//! The kernel delivers one interleaved sequence of data messages and notifications, and
//! whoever reads takes the next item, whatever it is. What one kind of reader reads for the
//! other waits here: data read by the event stream (or a connect) for `recv`, notifications
//! read by `recv` (or a connect) for the event stream. Both are bounded, differently:
//!
//! * data: at most [`DATA_QUEUE_LIMIT`] bytes. Past it the event stream stops reading until
//!   `recv` takes some (back-pressure: nothing is dropped). An error entry is a message that
//!   went over the size cap, reported to `recv` in its place, in order;
//! * notifications: at most `event_capacity` entries. When full the oldest is dropped and
//!   counted, and the event stream's next item reports the count (`EventsLagged`).
//!
//! Plain synchronous state under the engine's receive lock; the engine wakes the other
//! reader after a push.

use std::collections::VecDeque;

use bytes::Bytes;
use linux_sctp_sys::sctp_assoc_t;

use crate::error::{Error, ErrorKind, Result};
use crate::message::{RecvInfo, RecvPiece};
use crate::notification::Notification;

/// Bytes of data the event stream may read ahead and queue for `recv` before it stops reading.
pub(crate) const DATA_QUEUE_LIMIT: usize = 4 << 20;
/// Default number of notifications kept for the event stream before the oldest is dropped.
pub(crate) const DEFAULT_EVENT_CAPACITY: usize = 1024;

/// One data entry: a whole message, or a message over the cap in its place.
pub(crate) type DataItem = Result<(Bytes, RecvInfo)>;

/// The two queues of one socket.
#[derive(Debug)]
pub(crate) struct ReadAhead {
    data: VecDeque<DataItem>,
    data_bytes: usize,
    events: VecDeque<Result<Notification>>,
    /// Notifications dropped from a full queue since the event stream last looked.
    lagged: u64,
    event_capacity: usize,
}

/// What happened to the data queue's back-pressure when an item was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Taken {
    /// Nothing to report.
    Same,
    /// The queue was full and is not any more: a reader stopped by it may read again.
    Resumes,
}

impl ReadAhead {
    /// Empty queues keeping at most `event_capacity` notifications (at least 1).
    pub(crate) fn new(event_capacity: usize) -> Self {
        ReadAhead {
            data: VecDeque::new(),
            data_bytes: 0,
            events: VecDeque::new(),
            lagged: 0,
            event_capacity: event_capacity.max(1),
        }
    }

    /// The notification capacity.
    pub(crate) fn event_capacity(&self) -> usize {
        self.event_capacity
    }

    /// Whether data waits for `recv`.
    pub(crate) fn has_data(&self) -> bool {
        !self.data.is_empty()
    }

    /// Whether the data queue is at its limit: readers other than `recv` must not read.
    pub(crate) fn data_full(&self) -> bool {
        self.data_bytes >= DATA_QUEUE_LIMIT
    }

    /// Whether the next data entry is an error (a message over the cap).
    pub(crate) fn data_front_is_err(&self) -> bool {
        matches!(self.data.front(), Some(Err(_)))
    }

    /// Queues a data entry for `recv`.
    pub(crate) fn push_data(&mut self, item: DataItem) {
        if let Ok((b, _)) = &item {
            self.data_bytes += b.len();
        }
        self.data.push_back(item);
    }

    /// Puts a data entry back in front (an error kept for the next call).
    pub(crate) fn push_data_front(&mut self, item: DataItem) {
        if let Ok((b, _)) = &item {
            self.data_bytes += b.len();
        }
        self.data.push_front(item);
    }

    /// Takes the next data entry.
    pub(crate) fn pop_data(&mut self) -> Option<(DataItem, Taken)> {
        let was_full = self.data_full();
        let item = self.data.pop_front()?;
        if let Ok((b, _)) = &item {
            self.data_bytes -= b.len();
        }
        Some((item, self.taken(was_full)))
    }

    /// Copies the front of the next data entry into `buf` (`recv_into`): what does not fit
    /// stays queued as the rest of that message.
    pub(crate) fn pop_data_into(&mut self, buf: &mut [u8]) -> Option<(Result<RecvPiece>, Taken)> {
        let was_full = self.data_full();
        let (b, info) = match self.data.pop_front()? {
            Ok(m) => m,
            Err(e) => return Some((Err(e), self.taken(was_full))),
        };
        let len = b.len().min(buf.len());
        buf[..len].copy_from_slice(&b[..len]);
        self.data_bytes -= len;
        let eor = len == b.len();
        if !eor {
            self.data.push_front(Ok((b.slice(len..), info)));
        }
        Some((Ok(RecvPiece { len, eor, info }), self.taken(was_full)))
    }

    fn taken(&self, was_full: bool) -> Taken {
        if was_full && !self.data_full() {
            Taken::Resumes
        } else {
            Taken::Same
        }
    }

    /// Queues a notification for the event stream, dropping the oldest when full.
    pub(crate) fn push_event(&mut self, ev: Result<Notification>) {
        if self.events.len() >= self.event_capacity {
            self.events.pop_front();
            self.lagged += 1;
        }
        self.events.push_back(ev);
    }

    /// Takes the next item for the event stream: a loss report first, then notifications.
    pub(crate) fn pop_event(&mut self) -> Option<Result<Notification>> {
        if self.lagged > 0 {
            let dropped = std::mem::take(&mut self.lagged);
            return Some(Err(Error::new(ErrorKind::EventsLagged { dropped })));
        }
        self.events.pop_front()
    }

    /// Moves everything queued for association `id` out (peeloff).
    pub(crate) fn take_assoc(&mut self, id: sctp_assoc_t) -> (Queued, Taken) {
        let was_full = self.data_full();
        let (data, keep): (VecDeque<_>, VecDeque<_>) = self
            .data
            .drain(..)
            .partition(|item| matches!(item, Ok((_, info)) if info.assoc_id == id));
        self.data = keep;
        self.data_bytes = self.data.iter().flatten().map(|(b, _)| b.len()).sum();
        let (events, keep): (VecDeque<_>, VecDeque<_>) = self
            .events
            .drain(..)
            .partition(|ev| matches!(ev, Ok(n) if n.assoc_id() == Some(id)));
        self.events = keep;
        (Queued { data, events }, self.taken(was_full))
    }

    /// Puts entries moved from another socket in front of these queues.
    pub(crate) fn adopt(&mut self, moved: Queued) {
        for item in moved.data.into_iter().rev() {
            self.push_data_front(item);
        }
        for ev in moved.events.into_iter().rev() {
            self.events.push_front(ev);
        }
    }
}

/// Entries moved from a one-to-many socket to a peeled-off one.
#[derive(Debug, Default)]
pub(crate) struct Queued {
    data: VecDeque<DataItem>,
    events: VecDeque<Result<Notification>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(assoc: sctp_assoc_t, len: usize) -> DataItem {
        let info = RecvInfo {
            assoc_id: assoc,
            ..RecvInfo::default()
        };
        Ok((Bytes::from(vec![7u8; len]), info))
    }

    #[test]
    fn data_limit_and_resume() {
        let mut q = ReadAhead::new(4);
        q.push_data(msg(1, DATA_QUEUE_LIMIT - 1));
        assert!(!q.data_full());
        q.push_data(msg(1, 1));
        assert!(q.data_full());
        let (_, t) = q.pop_data().unwrap();
        assert_eq!(t, Taken::Resumes);
        let (_, t) = q.pop_data().unwrap();
        assert_eq!(t, Taken::Same);
        assert!(q.pop_data().is_none());
    }

    #[test]
    fn recv_into_takes_a_queued_message_in_parts() {
        let mut q = ReadAhead::new(4);
        q.push_data(msg(2, 10));
        let mut buf = [0u8; 4];
        let (p, _) = q.pop_data_into(&mut buf).unwrap();
        let p = p.unwrap();
        assert_eq!((p.len, p.eor), (4, false));
        let mut big = [0u8; 16];
        let (p, _) = q.pop_data_into(&mut big).unwrap();
        let p = p.unwrap();
        assert_eq!((p.len, p.eor), (6, true));
        assert!(!q.has_data());
    }

    #[test]
    fn a_full_event_queue_counts_what_it_drops() {
        let mut q = ReadAhead::new(1);
        for _ in 0..3 {
            q.push_event(Err(Error::new(ErrorKind::EventsLagged { dropped: 0 })));
        }
        match q.pop_event().unwrap().unwrap_err().kind() {
            ErrorKind::EventsLagged { dropped } => assert_eq!(*dropped, 2),
            other => panic!("{other:?}"),
        }
        assert!(q.pop_event().is_some());
        assert!(q.pop_event().is_none());
    }

    #[test]
    fn take_assoc_moves_only_that_association() {
        let mut q = ReadAhead::new(4);
        q.push_data(msg(1, 3));
        q.push_data(msg(2, 5));
        q.push_data(msg(1, 7));
        let (moved, _) = q.take_assoc(1);
        let mut other = ReadAhead::new(4);
        other.push_data(msg(1, 1));
        other.adopt(moved);
        let lens: Vec<usize> = std::iter::from_fn(|| other.pop_data())
            .map(|(m, _)| m.unwrap().0.len())
            .collect();
        assert_eq!(lens, [3, 7, 1]);
        assert_eq!(q.pop_data().unwrap().0.unwrap().0.len(), 5);
    }
}
