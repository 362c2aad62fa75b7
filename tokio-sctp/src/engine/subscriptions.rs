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

use linux_sctp_sys::{sctp_assoc_t, sockopt};

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
            set_kernel(fd, linux_sctp_sys::SCTP_FUTURE_ASSOC, t, on)?;
            if on {
                kernel.insert(t);
            } else {
                kernel.remove(t);
            }
        }
        *lock(&self.wanted) = wanted;
        Ok(())
    }

    /// `SocketOptions::set_event` on a socket this crate drives: subscribes or unsubscribes
    /// `t` for `assoc_id` in the kernel, except that a required type stays subscribed (it
    /// only stops reaching the event stream), and records the choice (for the whole socket).
    pub(crate) fn set_event(
        &self,
        fd: BorrowedFd<'_>,
        assoc_id: sctp_assoc_t,
        t: EventType,
        on: bool,
    ) -> io::Result<()> {
        if on || !REQUIRED.contains(t) {
            set_kernel(fd, assoc_id, t, on)?;
        }
        let mut wanted = lock(&self.wanted);
        if on {
            wanted.insert(t);
        } else {
            wanted.remove(t);
        }
        Ok(())
    }
}

impl Default for EventChoice {
    fn default() -> Self {
        EventChoice::new(Subscriptions::default())
    }
}

fn set_kernel(
    fd: BorrowedFd<'_>,
    assoc_id: sctp_assoc_t,
    t: EventType,
    on: bool,
) -> io::Result<()> {
    let ev = t.to_sctp_event(assoc_id, on);
    sockopt::set(fd, sockopt::SCTP_EVENT, &ev)
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn required_types_stay_on_and_others_follow_the_kernel() {
        // Not a socket: a setsockopt that gets through fails with ENOTSOCK, so Ok proves it
        // was not made.
        let file = std::fs::File::open("/dev/null").unwrap();
        let choice = EventChoice::new(Subscriptions::empty());
        assert!(!choice.delivers(EventType::AssocChange));
        assert!(
            choice.delivers(EventType::SenderDry),
            "sent by the kernel: asked for"
        );
        for t in REQUIRED.iter() {
            choice.set_event(file.as_fd(), 0, t, false).unwrap();
        }
        let e = choice
            .set_event(file.as_fd(), 0, EventType::Shutdown, true)
            .unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        let e = choice
            .set_event(file.as_fd(), 0, EventType::SenderDry, false)
            .unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }
}
