//! The send loop: the checks before the syscall (a latched end, the stream id against the
//! negotiated outbound streams), write readiness over `AsyncFd`, the one `sendmsg(2)` per
//! message (`MSG_NOSIGNAL`), and the mapping of its errors (an errno that means the
//! association is gone becomes `AssociationEnded` and latches the end).
//!
//! A data send waiting for room also waits for the end of its association: the kernel may
//! never make room again (a local shutdown or abort with the peer not reading, the ABORT of
//! `abort` held back until this very send lets go of the socket), and the send would fail
//! anyway. `SCTP_EOF` / `SCTP_ABORT` sends end the association themselves and are never
//! stopped by a latched end.

use std::future::poll_fn;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::task::{Context, Poll};

use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::sctp_assoc_t;
use tokio::io::Interest;

use crate::error::{Error, ErrorKind, Result};
use crate::message::SendInfo;
use crate::sync::{lock, Slot, WaitGuard};

use super::table::is_gone;
use super::{Core, Style};

/// One message on its way out: its bytes and control messages, where it goes, and what is
/// checked before the syscall.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outgoing<'a> {
    /// The association it goes to, as far as the checks and the error mapping go
    /// (one-to-many; one-to-one: `None`).
    pub(crate) assoc: Option<sctp_assoc_t>,
    /// `msg_name`: the peer of an implicit setup (one-to-many `send_to`).
    pub(crate) to: Option<&'a SocketAddr>,
    pub(crate) data: &'a [u8],
    pub(crate) cmsgs: SendCmsgs<'a>,
    /// For a data send: the stream, checked with the latched end before the syscall.
    pub(crate) stream: Option<u16>,
}

impl<'a> Outgoing<'a> {
    /// A data message described by `info` (SNDINFO, plus PRINFO for a PR-SCTP policy) to
    /// `assoc`, checked before the syscall.
    pub(crate) fn data(assoc: Option<sctp_assoc_t>, data: &'a [u8], info: &SendInfo) -> Self {
        Outgoing {
            assoc,
            to: None,
            data,
            cmsgs: Core::cmsgs_for(info),
            stream: Some(info.stream),
        }
    }

    /// An empty message with the flags of `info` (`SCTP_EOF`, `SCTP_ABORT`): never checked,
    /// never stopped by a latched end.
    pub(crate) fn control(assoc: Option<sctp_assoc_t>, info: &SendInfo) -> Self {
        Outgoing {
            stream: None,
            ..Self::data(assoc, &[], info)
        }
    }
}

/// Which latched end stops a send: `Some(assoc)` for a data send to `assoc` (one-to-one:
/// `None`), `None` for a control send (`SCTP_EOF` / `SCTP_ABORT`), which nothing stops.
pub(super) type Checked = Option<Option<sctp_assoc_t>>;

impl Core {
    /// Builds the cmsgs for `info` (SNDINFO, plus PRINFO when a PR-SCTP policy is set).
    pub(super) fn cmsgs_for(info: &SendInfo) -> SendCmsgs<'static> {
        SendCmsgs {
            sndinfo: Some(info.to_sndinfo()),
            prinfo: info.to_prinfo(),
            ..SendCmsgs::default()
        }
    }

    /// Sends one message: one `sendmsg(2)` with `MSG_NOSIGNAL`, retried after waiting for
    /// write readiness while it would block. Cancel safe: the message goes whole or not at all.
    pub(crate) async fn send(&self, out: &Outgoing<'_>) -> Result<usize> {
        let mut waiting = WaitGuard::new(&self.writers);
        poll_fn(|cx| self.poll_send_in(cx, waiting.slot(), out)).await
    }

    /// Polls one send (one waker: the last caller's); see [`send`](Self::send).
    pub(crate) fn poll_send(
        &self,
        cx: &mut Context<'_>,
        out: &Outgoing<'_>,
    ) -> Poll<Result<usize>> {
        self.poll_send_in(cx, &mut Slot::last_poller(), out)
    }

    /// [`poll_send`](Self::poll_send), waiting in `slot`. Every poll checks first.
    fn poll_send_in(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Slot,
        out: &Outgoing<'_>,
    ) -> Poll<Result<usize>> {
        if let Err(e) = self.check(out) {
            return Poll::Ready(Err(e));
        }
        let checked = (!is_control(&out.cmsgs)).then_some(out.assoc);
        self.poll_write(
            cx,
            slot,
            checked,
            || self.sendmsg(out),
            |e| self.map_send_err(out.assoc, e),
        )
    }

    /// Tries one send without waiting.
    pub(crate) fn try_send(&self, out: &Outgoing<'_>) -> Result<usize> {
        self.check(out)?;
        self.try_write(|| self.sendmsg(out), |e| self.map_send_err(out.assoc, e))
    }

    /// The checks of a data send (`out.stream` set) before any syscall: a latched end, and
    /// the stream id against the negotiated outbound stream count.
    fn check(&self, out: &Outgoing<'_>) -> Result<()> {
        match out.stream {
            Some(sid) => lock(&self.table).check_send(out.assoc, sid),
            None => Ok(()),
        }
    }

    /// The one send loop: polls write readiness and runs `io` (one syscall) until it does not
    /// block, waiting in `slot` of the writers' set. Once it had to wait, every poll first
    /// checks the latched end of `checked`.
    pub(super) fn poll_write<T>(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Slot,
        checked: Checked,
        mut io: impl FnMut() -> io::Result<T>,
        map: impl Fn(io::Error) -> Error,
    ) -> Poll<Result<T>> {
        let mut registered = false;
        loop {
            if let (true, Some(assoc)) = (registered, checked) {
                // Registered first, then the check: a latch set after it wakes us.
                if let Some(cause) = lock(&self.table).send_ended(assoc) {
                    return Poll::Ready(Err(cause.to_error()));
                }
            }
            let mut wcx = Context::from_waker(&self.writer_waker);
            match self.fd.poll_write_ready(&mut wcx) {
                Poll::Ready(Ok(mut guard)) => match guard.try_io(|_| io()) {
                    Ok(r) => return Poll::Ready(r.map_err(map)),
                    Err(_would_block) => continue,
                },
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Pending if !registered => {
                    self.writers.register(slot, cx.waker());
                    registered = true;
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// Runs `io` once if the socket is writable, `WouldBlock` otherwise.
    pub(super) fn try_write<T>(
        &self,
        io: impl FnMut() -> io::Result<T>,
        map: impl Fn(io::Error) -> Error,
    ) -> Result<T> {
        let mut io = io;
        self.fd.try_io(Interest::WRITABLE, |_| io()).map_err(|e| {
            if e.kind() == io::ErrorKind::WouldBlock {
                e.into()
            } else {
                map(e)
            }
        })
    }

    fn sendmsg(&self, out: &Outgoing<'_>) -> io::Result<usize> {
        linux_sctp_sys::ops::sendmsg(
            self.fd(),
            &[IoSlice::new(out.data)],
            out.to,
            &out.cmsgs,
            libc::MSG_NOSIGNAL,
        )
    }

    /// Turns a send error into `MessageTooLarge` or, when it means the association is gone,
    /// `AssociationEnded` (latching the end of sending on a one-to-one socket).
    pub(super) fn map_send_err(&self, assoc: Option<sctp_assoc_t>, e: io::Error) -> Error {
        let errno = e.raw_os_error().unwrap_or(0);
        if errno == libc::EMSGSIZE {
            // SCTP sends are atomic: a message over the send buffer can never go out.
            let limit = socket2::SockRef::from(&self.fd())
                .send_buffer_size()
                .unwrap_or(0);
            return Error::with_io(ErrorKind::MessageTooLarge { limit }, e);
        }
        // A one-to-one socket's pending error (`sk_err`) comes out of `sendmsg` too: after a
        // loss (`ETIMEDOUT`: retransmissions ran out) or an ABORT, before or instead of the
        // `EPIPE` of a closed socket.
        if !is_gone(errno) {
            return e.into();
        }
        if self.style == Style::OneToMany {
            return match lock(&self.table).send_ended(assoc) {
                Some(cause) => cause.to_error(),
                None => e.into(),
            };
        }
        // Other sends waiting for room fail the same way.
        self.update_table(|t| t.send_failed(errno)).to_error()
    }
}

/// Whether a send is `SCTP_EOF` / `SCTP_ABORT`: such a send ends the association itself,
/// so a latched end of the sending side must not stop it.
fn is_control(cmsgs: &SendCmsgs<'_>) -> bool {
    cmsgs
        .sndinfo
        .is_some_and(|i| i.snd_flags & (linux_sctp_sys::SCTP_EOF | linux_sctp_sys::SCTP_ABORT) != 0)
}
