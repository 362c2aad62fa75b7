//! Event subscriptions: the one home of which notifications a socket asks the kernel for
//! and which of them reach its event stream.
//!
//! The engine needs three notification types whatever the user chooses ([`REQUIRED`]):
//! association changes (stream counts, association ids, ends), shutdown events (sends stop
//! early) and partial delivery events (the rest of a message will never come). They stay
//! subscribed in the kernel; when the user did not ask for them they are applied and then
//! dropped instead of delivered. Every other type reaches the event stream exactly when the
//! kernel sends it, that is, when the user subscribed to it, through
//! [`SctpSocket::subscribe`](crate::SctpSocket::subscribe) or a socket's
//! [`options().set_event`](crate::opts::SocketOptions::set_event).
//!
//! [`EventChoice`] is the user's side of it, shared by a socket and the
//! [`SocketOptions`](crate::opts::SocketOptions) it hands out, so that both ways of choosing
//! agree.

use std::io;
use std::os::fd::BorrowedFd;
use std::sync::Mutex;

use linux_sctp_sys::sockopt;

use crate::notification::{EventType, Subscriptions};
use crate::sync::lock;

/// The notification types the engine always has the kernel deliver.
pub(crate) const REQUIRED: Subscriptions = Subscriptions::empty()
    .with(EventType::AssocChange)
    .with(EventType::Shutdown)
    .with(EventType::PartialDelivery);

/// The notifications the user of one socket asked for.
#[derive(Debug)]
pub(crate) struct EventChoice {
    wanted: Mutex<Subscriptions>,
}

impl EventChoice {
    /// The choice `wanted`.
    pub(crate) fn new(wanted: Subscriptions) -> Self {
        EventChoice {
            wanted: Mutex::new(wanted),
        }
    }

    /// What the user asked for.
    pub(crate) fn wanted(&self) -> Subscriptions {
        *lock(&self.wanted)
    }

    /// Whether a notification of type `t` reaches the event stream: every type the kernel
    /// sends, except a required one the user did not ask for.
    pub(crate) fn delivers(&self, t: EventType) -> bool {
        !REQUIRED.contains(t) || self.wanted().contains(t)
    }

    /// Brings the kernel from `kernel` (updated) to `wanted` plus the required types, with
    /// one `SCTP_EVENT` per type that changes, and makes `wanted` the choice.
    pub(crate) fn apply(
        &self,
        fd: BorrowedFd<'_>,
        kernel: &mut Subscriptions,
        wanted: Subscriptions,
    ) -> io::Result<()> {
        let mut target = wanted;
        for t in REQUIRED.iter() {
            target.insert(t);
        }
        for t in EventType::ALL {
            let on = target.contains(t);
            if on == kernel.contains(t) {
                continue;
            }
            let ev = t.to_sctp_event(linux_sctp_sys::SCTP_FUTURE_ASSOC, on);
            sockopt::set(fd, sockopt::SCTP_EVENT, &ev)?;
            if on {
                kernel.insert(t);
            } else {
                kernel.remove(t);
            }
        }
        *lock(&self.wanted) = wanted;
        Ok(())
    }

    /// `SocketOptions::set_event` on a socket this crate drives: whether the kernel is told.
    /// A required type stays subscribed (turning it off only stops its delivery).
    pub(crate) fn kernel_follows(&self, t: EventType, on: bool) -> bool {
        on || !REQUIRED.contains(t)
    }

    /// Records the choice of `t` (for the whole socket), once the kernel took it.
    pub(crate) fn record(&self, t: EventType, on: bool) {
        let mut wanted = lock(&self.wanted);
        if on {
            wanted.insert(t);
        } else {
            wanted.remove(t);
        }
    }
}

impl Default for EventChoice {
    fn default() -> Self {
        EventChoice::new(Subscriptions::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_types_stay_on_and_others_follow_the_kernel() {
        let choice = EventChoice::new(Subscriptions::empty());
        assert!(!choice.delivers(EventType::AssocChange));
        assert!(
            choice.delivers(EventType::SenderDry),
            "sent by the kernel: asked for"
        );
        for t in REQUIRED.iter() {
            assert!(!choice.kernel_follows(t, false), "{t:?} stays on");
            assert!(choice.kernel_follows(t, true));
            choice.record(t, true);
            assert!(choice.delivers(t));
            choice.record(t, false);
            assert!(!choice.delivers(t));
        }
        assert!(choice.kernel_follows(EventType::SenderDry, false));
    }
}
