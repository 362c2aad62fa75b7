//! The event stream: SCTP notifications of a socket as a [`futures_core::Stream`].
//!
//! Notifications arrive in-band, in the same receive queue as data. Both the event stream and
//! `recv` read from that queue, and each hands over what belongs to the other:
//!
//! * a notification read by `recv` is queued for the event stream; the queue holds
//!   [`SctpSocket::set_event_capacity`](crate::SctpSocket::set_event_capacity) entries
//!   (1024 by default). When it is full the **oldest** notification is dropped and the stream's
//!   next item is an [`Error`](crate::error::Error) of kind
//!   [`EventsLagged`](crate::error::ErrorKind::EventsLagged) saying how many were dropped: a
//!   loss is always reported, never silent;
//! * data read by the event stream is queued for `recv`, up to 4 MiB. Past that the event
//!   stream stops reading until `recv` takes some (back-pressure, nothing dropped): a
//!   notification queued behind unread data is delivered once that data has been received.
//!
//! Only the notification types the socket was configured to deliver reach the stream
//! ([`SctpSocket::subscribe`](crate::SctpSocket::subscribe)); the association change, shutdown
//! and partial delivery notifications that tokio-linux-sctp always asks the kernel for (to learn
//! stream counts, association ends and abandoned partial messages) are applied and then
//! dropped when the user did not ask for them.
//!
//! Several [`SctpEvents`] handles on one socket share one queue: each notification goes to one
//! of them.

use std::fmt;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::engine::Core;
use crate::error::Result;
use crate::notification::Notification;
use crate::sync::Slot;

/// The notifications of one socket, as a [`Stream`] of `Result<Notification>`.
///
/// Made by `events()` on [`SctpStream`](crate::SctpStream) and
/// [`SctpEndpoint`](crate::SctpEndpoint). It keeps the socket open while it exists.
///
/// On a one-to-one socket the stream ends (`None`) once the association is gone and every
/// notification read before that was delivered; on a one-to-many socket it never ends. Each
/// [`Notification`] carries its association id
/// ([`Notification::assoc_id`](crate::notification::Notification::assoc_id)).
///
/// # Cancel safety
///
/// [`next`](Self::next) is cancel safe, and so is dropping the stream between items:
/// notifications and partial reads live in the socket, not in the future.
///
/// # Examples
///
/// ```no_run
/// use futures_util::StreamExt;
/// use tokio_linux_sctp::notification::Notification;
/// use tokio_linux_sctp::SctpStream;
///
/// # async fn f() -> tokio_linux_sctp::error::Result<()> {
/// let stream = SctpStream::connect("127.0.0.1:3868".parse().unwrap()).await?;
/// let mut events = stream.events();
/// while let Some(event) = events.next().await {
///     if let Notification::AssocChange(change) = event? {
///         println!("{:?} on association {}", change.state, change.assoc_id);
///     }
/// }
/// # Ok(())
/// # }
/// ```
pub struct SctpEvents {
    core: Arc<Core>,
    /// This handle's place among the socket's waiting readers.
    slot: Slot,
}

impl SctpEvents {
    pub(crate) fn new(core: Arc<Core>) -> Self {
        SctpEvents {
            core,
            slot: Slot::new(),
        }
    }

    /// Waits for the next notification.
    ///
    /// Returns `None` on a one-to-one socket whose association is over (after every
    /// notification read before the end).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing read from the socket is lost when the future is dropped.
    ///
    /// # Errors
    ///
    /// An item is an error when a notification could not be parsed (its bytes are in the
    /// error), when notifications were dropped from a full queue
    /// ([`EventsLagged`](crate::error::ErrorKind::EventsLagged)), or when the socket failed.
    pub async fn next(&mut self) -> Option<Result<Notification>> {
        poll_fn(|cx| self.poll_next_event(cx)).await
    }

    /// Polls for the next notification. Each handle has a place of its own among the
    /// socket's waiters, so several handles polled from different tasks are all woken.
    fn poll_next_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Notification>>> {
        self.core.poll_next_event(cx, &mut self.slot)
    }

    /// Takes a notification that is available without waiting, reading the socket if tokio
    /// reports it readable.
    pub fn try_next(&mut self) -> Option<Result<Notification>> {
        self.core.try_next_event()
    }
}

impl Stream for SctpEvents {
    type Item = Result<Notification>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_event(cx)
    }
}

impl Drop for SctpEvents {
    fn drop(&mut self) {
        self.core.stop_reading(&self.slot);
    }
}

impl fmt::Debug for SctpEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SctpEvents")
            .field("fd", &self.core.fd())
            .finish_non_exhaustive()
    }
}
