//! Waiting for an association to come up: a connect reads the socket like any other reader
//! until the association table says the association is up (`COMM_UP`) or failed
//! (`CANT_STR_ASSOC`, an end), queuing everything it reads for `recv` and the event stream.
//!
//! It waits among the socket's readers, and every change of the association table wakes all
//! of them, so it learns of `COMM_UP` even when another task (a `recv`, the event stream) read
//! the notification, and even when the user does not have association changes delivered.

use std::io;
use std::time::Duration;

use linux_sctp_sys::sctp_assoc_t;

use crate::error::{Error, Result};
use crate::notification::{AssocChangeState, Notification};
use crate::sync::lock;

use super::recv::{Item, Reader, Rx};
use super::table::{EndCause, Streams};
use super::{Core, Style};

/// A connect: association `id` (one-to-one: `None`, the socket's) up, or why not.
struct Established(Option<sctp_assoc_t>);

impl Reader for Established {
    type Output = (sctp_assoc_t, Streams);

    fn take(&mut self, core: &Core, _: &mut Rx) -> Option<Result<Self::Output>> {
        let state = lock(&core.table).established(self.0)?;
        Some(state.map_err(|cause| core.connect_error(&cause)))
    }

    fn may_read(&self, rx: &Rx) -> bool {
        !rx.queues.data_full()
    }

    fn offer(&mut self, core: &Core, rx: &mut Rx, item: Item) -> Option<Result<Self::Output>> {
        core.queue(rx, item);
        self.take(core, rx)
    }

    fn ended(&mut self, core: &Core, cause: EndCause) -> Result<Self::Output> {
        Err(core.connect_error(&cause))
    }
}

impl Core {
    /// Waits until association `id` (one-to-one: the association) is up, returning its
    /// id and stream counts, or fails with the kernel's reason.
    pub(crate) async fn wait_established(
        &self,
        id: Option<sctp_assoc_t>,
    ) -> Result<(sctp_assoc_t, Streams)> {
        let mut reader = Established(id);
        self.read(|r| self.drive(&mut reader, r)).await
    }

    /// [`wait_established`](Self::wait_established) for at most `limit` (no limit: `None`).
    /// When the time runs out the caller must abort the handshake; the error is `ETIMEDOUT`
    /// (`io::ErrorKind::TimedOut`), the errno the kernel itself reports when its INIT
    /// retransmissions run out.
    pub(crate) async fn wait_established_within(
        &self,
        id: Option<sctp_assoc_t>,
        limit: Option<Duration>,
    ) -> std::result::Result<Result<(sctp_assoc_t, Streams)>, Error> {
        let Some(limit) = limit else {
            return Ok(self.wait_established(id).await);
        };
        tokio::time::timeout(limit, self.wait_established(id))
            .await
            .map_err(|_| io::Error::from_raw_os_error(libc::ETIMEDOUT).into())
    }

    /// The error a connect reports for an association that did not come up: the socket's
    /// pending error (`SO_ERROR`: `ECONNREFUSED`, `ETIMEDOUT`, ...) on one-to-one sockets, else
    /// the errno the end was seen with, else `ECONNREFUSED` for `CANT_STR_ASSOC` and
    /// `ECONNRESET` for any other end.
    fn connect_error(&self, cause: &EndCause) -> Error {
        if self.style == Style::OneToOne {
            if let Ok(Some(e)) = socket2::SockRef::from(&self.fd()).take_error() {
                return e.into();
            }
        }
        let errno = cause.errno().unwrap_or(match cause.cause() {
            Notification::AssocChange(c) if c.state == AssocChangeState::CantStartAssoc => {
                libc::ECONNREFUSED
            }
            _ => libc::ECONNRESET,
        });
        io::Error::from_raw_os_error(errno).into()
    }
}
