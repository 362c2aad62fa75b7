//! Batching: `send_batch` (one `sendmmsg(2)` with per-message `SCTP_SNDINFO`/`SCTP_PRINFO`,
//! every message checked first) and `recv_batch` (one `recvmmsg(2)` into consecutive windows
//! of the reassembly block, each entry routed exactly as a single read is).

use std::future::poll_fn;
use std::io;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use linux_sctp_sys::sctp_assoc_t;

use crate::error::{Error, Result};
use crate::message::{RecvInfo, SendInfo};
use crate::sync::{lock, Slot, WaitGuard};
use crate::sys;

use super::queues::Taken;
use super::reassembly::{BLOCK, READ_WINDOW};
use super::recv::{Item, ReadError, Reading, Routed, Rx, Step};
use super::{Core, Style};

/// The smallest window of a batch entry after the first.
const MIN_BATCH_WINDOW: usize = 256;

/// How a batch read ended.
enum BatchEnd {
    /// The read returned end-of-file (see `Core::read_eof`).
    Eof,
    /// Entries were routed; `queue_empty` as in [`Routed::Piece`], for the last one.
    More { queue_empty: bool },
}

impl Core {
    // ----------------------------------------------------------------------------------
    // send_batch
    // ----------------------------------------------------------------------------------

    /// The association a message of a batch is checked against: its own on a one-to-many
    /// socket, the socket's otherwise.
    fn batch_assoc(&self, info: &SendInfo) -> Option<sctp_assoc_t> {
        match self.style {
            Style::OneToMany => Some(info.assoc_id),
            _ => None,
        }
    }

    /// Checks every message of a batch (latched end, stream range) before any syscall.
    fn check_batch(&self, msgs: &[(&[u8], SendInfo)]) -> Result<()> {
        let t = lock(&self.table);
        for (_, info) in msgs.iter().take(sys::BATCH_MAX) {
            t.check_send(self.batch_assoc(info), info.stream)?;
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
        let mut waiting = WaitGuard::new(&self.writers);
        poll_fn(|cx| self.poll_send_batch_in(cx, waiting.slot(), msgs)).await
    }

    /// Polls a [`send_batch`](Self::send_batch) (one waker: the last caller's).
    pub(crate) fn poll_send_batch(
        &self,
        cx: &mut Context<'_>,
        msgs: &[(&[u8], SendInfo)],
    ) -> Poll<Result<usize>> {
        self.poll_send_batch_in(cx, &mut Slot::last_poller(), msgs)
    }

    /// [`poll_send_batch`](Self::poll_send_batch), waiting in `slot`; every poll checks the
    /// whole batch first.
    fn poll_send_batch_in(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Slot,
        msgs: &[(&[u8], SendInfo)],
    ) -> Poll<Result<usize>> {
        if let Err(e) = self.check_batch(msgs) {
            return Poll::Ready(Err(e));
        }
        if msgs.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let assoc = msgs.first().and_then(|(_, info)| self.batch_assoc(info));
        self.poll_write(
            cx,
            slot,
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
        self.try_write(|| self.sendmmsg(msgs), |e| self.map_batch_err(msgs, e))
    }

    // ----------------------------------------------------------------------------------
    // recv_batch
    // ----------------------------------------------------------------------------------

    /// Receives whole messages, up to `max`, appending them to `out`; waits for the first.
    pub(crate) async fn recv_batch(
        &self,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Result<usize> {
        self.read(|r| self.batch_step(r, out, max)).await
    }

    /// Poll form of [`recv_batch`](Self::recv_batch) (one waker: the last caller's).
    pub(crate) fn poll_recv_batch(
        &self,
        cx: &mut Context<'_>,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Poll<Result<usize>> {
        self.poll_read(cx, &mut Slot::last_poller(), |r| {
            self.batch_step(r, out, max)
        })
    }

    /// [`recv_batch`](Self::recv_batch) without waiting: `WouldBlock` when no whole message
    /// can be had at once.
    pub(crate) fn try_recv_batch(
        &self,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Result<usize> {
        self.try_read(|r| self.batch_step(r, out, max))
    }

    /// Receives up to `max` whole messages into `out` (appended): the queued ones first, then,
    /// when the kernel may hold more (no queued message, or the last `SCTP_NXTINFO` announced
    /// one), one `recvmmsg(2)`.
    ///
    /// Everything a batch read returns is routed like a single read's: notifications to the
    /// event queue, pieces reassembled (across entries and calls), the size cap applied. A
    /// failure after some messages were taken is kept for the next call (an item in the data
    /// queue, or the latched end).
    fn batch_step(
        &self,
        mut reading: Reading<'_, '_>,
        out: &mut Vec<(Bytes, RecvInfo)>,
        max: usize,
    ) -> Step<usize> {
        if max == 0 {
            return Step::Done(Ok(0));
        }
        let mut rx = lock(&self.rx);
        let start = out.len();
        loop {
            let mut resumes = false;
            while out.len() - start < max {
                match rx.queues.pop_data() {
                    Some((Ok(m), taken)) => {
                        resumes |= taken == Taken::Resumes;
                        out.push(m);
                    }
                    Some((Err(e), taken)) if out.len() == start => {
                        if resumes || taken == Taken::Resumes {
                            self.readers.wake_all();
                        }
                        return Step::Done(Err(e));
                    }
                    Some((Err(e), _)) => {
                        rx.queues.push_data_front(Err(e));
                        break;
                    }
                    None => break,
                }
            }
            if resumes {
                // An event stream stopped by a full queue may read again.
                self.readers.wake_all();
            }
            let n = out.len() - start;
            let more_queued = rx.hint.is_some() || !rx.nxtinfo_on;
            if n == max || n > 0 && (!more_queued || rx.queues.data_front_is_err()) {
                return Step::Done(Ok(n));
            }
            if rx.eof {
                return self.batch_end(&rx, n);
            }
            if !reading.may_read(self.recv_over()) {
                return if n > 0 { Step::Done(Ok(n)) } else { Step::Wait };
            }
            let batch = self.read_batch(&mut rx, max - n, out);
            let delivered = out.len() - start;
            match batch {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    reading.clear();
                    if delivered > 0 {
                        return Step::Done(Ok(delivered));
                    }
                    return match self.batch_end(&rx, 0) {
                        Step::Wait if reading.is_ready() => Step::Again,
                        end => end,
                    };
                }
                Err(e) => {
                    let failed = self.read_error(&mut rx, e);
                    if delivered > 0 {
                        // Keep a failure that is not the (latched) end for the next call.
                        if let ReadError::Failed(e) = failed {
                            rx.queues.push_data_front(Err(e));
                        }
                        return Step::Done(Ok(delivered));
                    }
                    return match failed {
                        ReadError::Ended => self.batch_end(&rx, 0),
                        ReadError::Failed(e) => Step::Done(Err(e)),
                    };
                }
                Ok(BatchEnd::Eof) => {
                    self.read_eof(&mut rx);
                    return self.batch_end(&rx, delivered);
                }
                Ok(BatchEnd::More { queue_empty }) => {
                    if queue_empty {
                        reading.clear();
                    }
                    if delivered > 0 {
                        return Step::Done(Ok(delivered));
                    }
                    if queue_empty && reading.is_ready() && !rx.queues.has_data() {
                        return Step::Again;
                    }
                }
            }
        }
    }

    /// `n` messages taken, or (none) the end of the receive side, or `Wait`.
    fn batch_end(&self, rx: &Rx, n: usize) -> Step<usize> {
        if n > 0 {
            return Step::Done(Ok(n));
        }
        match self.recv_end_cause(rx) {
            Some(cause) => Step::Done(Err(cause.to_error())),
            None => Step::Wait,
        }
    }

    /// One `recvmmsg` of at most `want` entries into the reassembly block, each entry routed
    /// as [`route`](Self::route) does for a single read; whole messages go to `out` until
    /// one fails (over the cap), after which everything goes to the data queue, in order.
    fn read_batch(
        &self,
        rx: &mut Rx,
        want: usize,
        out: &mut Vec<(Bytes, RecvInfo)>,
    ) -> io::Result<BatchEnd> {
        let max = rx.asm.max();
        // Entry 0 is sized like a single read (it may continue a message); the others by the
        // running average of message sizes, within one block in all.
        let first = rx.asm.window(rx.hint);
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
        rx.asm.reserve(total);
        let held = rx.asm.buf_mut().len();
        let mut region: BytesMut = rx.asm.buf_mut().split_off(held);
        let mut eof = false;
        let mut queue_empty = false;
        let mut deferred = false;
        let r = sys::recvmmsg_into(self.fd(), &mut region, &windows[..count], |piece, raw| {
            if eof {
                return; // a socket at EOF fills every entry with EOF
            }
            rx.asm.buf_mut().unsplit(piece);
            match self.route(rx, raw) {
                Routed::Eof => eof = true,
                Routed::Piece {
                    item,
                    queue_empty: qe,
                } => {
                    queue_empty = qe;
                    match item {
                        Some(Item::Data(Ok((b, info)))) => {
                            rx.typical = (rx.typical * 7 + b.len()) / 8;
                            if deferred {
                                self.queue_data(rx, Ok((b, info)));
                            } else {
                                out.push((b, info));
                            }
                        }
                        Some(Item::Data(Err(e))) => {
                            deferred = true;
                            self.queue_data(rx, Err(e));
                        }
                        Some(item) => self.queue(rx, item),
                        None => {}
                    }
                }
            }
        });
        rx.asm.buf_mut().unsplit(region);
        r?;
        Ok(if eof {
            BatchEnd::Eof
        } else {
            BatchEnd::More { queue_empty }
        })
    }
}
