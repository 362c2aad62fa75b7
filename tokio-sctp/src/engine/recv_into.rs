//! Partial reads into the caller's buffer (`recv_into`): one `recvmsg(2)` straight into it,
//! no reassembly and no size cap, a [`RecvPiece`] saying how much and whether the message
//! ended. Data another reader queued comes first; notifications met on the way go to the
//! event stream.

use std::io::{self, IoSliceMut};
use std::task::{Context, Poll};

use crate::error::Result;
use crate::message::RecvPiece;
use crate::notification::Notification;
use crate::sync::{lock, Slot};

use super::queues::Taken;
use super::reassembly::{Assembled, Piece};
use super::recv::{recv_info, ReadError, Reading, Routed, Rx, Step};
use super::Core;

impl Core {
    /// Receives (part of) one message into `buf`; see `SctpStream::recv_into`.
    pub(crate) async fn recv_into(&self, buf: &mut [u8]) -> Result<RecvPiece> {
        self.read(|r| self.recv_into_step(r, buf)).await
    }

    /// Poll form of [`recv_into`](Self::recv_into) (one waker: the last caller's).
    pub(crate) fn poll_recv_into(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<Result<RecvPiece>> {
        self.poll_read(cx, &mut Slot::last_poller(), |r| {
            self.recv_into_step(r, buf)
        })
    }

    /// [`recv_into`](Self::recv_into) without waiting: `WouldBlock` when nothing can be had
    /// at once.
    pub(crate) fn try_recv_into(&self, buf: &mut [u8]) -> Result<RecvPiece> {
        self.try_read(|r| self.recv_into_step(r, buf))
    }

    fn recv_into_step(&self, mut reading: Reading<'_, '_>, buf: &mut [u8]) -> Step<RecvPiece> {
        let mut rx = lock(&self.rx);
        // Data read ahead by the event stream first.
        if let Some((piece, taken)) = rx.queues.pop_data_into(buf) {
            if taken == Taken::Resumes {
                self.readers.wake_all();
            }
            return Step::Done(piece);
        }
        loop {
            if rx.eof {
                return self.data_end(&rx);
            }
            if !reading.may_read(self.recv_over()) {
                return Step::Wait;
            }
            let mut slices = [IoSliceMut::new(&mut *buf)];
            let r = match linux_sctp_sys::ops::recvmsg(self.fd(), &mut slices, 0) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    reading.clear();
                    return match self.data_end(&rx) {
                        Step::Wait if reading.is_ready() => Step::Again,
                        end => end,
                    };
                }
                Err(e) => match self.read_error(&mut rx, e) {
                    ReadError::Ended => return self.data_end(&rx),
                    ReadError::Failed(e) => return Step::Done(Err(e)),
                },
            };
            let queue_empty = rx.look_ahead(&r);
            let eor = r.is_eor();
            if r.len == 0 && !eor && !r.is_notification() && !buf.is_empty() {
                self.read_eof(&mut rx);
                return self.data_end(&rx);
            }
            if r.is_notification() {
                if let Err(e) = self.notification_into(&mut rx, &buf[..r.len], eor) {
                    return Step::Done(Err(e));
                }
                continue;
            }
            if queue_empty {
                reading.clear();
            }
            return Step::Done(Ok(RecvPiece {
                len: r.len,
                eor,
                info: recv_info(&r),
            }));
        }
    }

    /// A notification piece read into the caller's buffer: reassembled and handed to the
    /// event stream like any other.
    fn notification_into(&self, rx: &mut Rx, piece: &[u8], eor: bool) -> Result<()> {
        rx.asm.buf_mut().extend_from_slice(piece);
        if let Assembled::Notification(parsed) =
            rx.asm
                .complete(Piece::Notification, eor, Notification::parse)
        {
            if let Some(item) = self.route_notification(rx, parsed) {
                self.queue(rx, item);
            }
        }
        if piece.is_empty() && !eor {
            // The caller's buffer is empty: the notification cannot move through it, and
            // reading it that way again would spin. Take it through the receive buffer.
            match self.read_step(rx) {
                Ok(Routed::Piece {
                    item: Some(item), ..
                }) => self.queue(rx, item),
                Ok(Routed::Piece { item: None, .. }) => {}
                Ok(Routed::Eof) => self.read_eof(rx),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// What a data reader gets once the receive side is over, or `Wait`.
    fn data_end(&self, rx: &Rx) -> Step<RecvPiece> {
        match self.recv_end_cause(rx) {
            Some(cause) => Step::Done(Err(cause.to_error())),
            None => Step::Wait,
        }
    }
}
