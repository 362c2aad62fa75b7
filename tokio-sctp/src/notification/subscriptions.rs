//! What a socket subscribes to: one [`EventType`] per kind of notification (`enum
//! sctp_sn_type`, the `SCTP_EVENT` option) and sets of them ([`Subscriptions`]).

use linux_sctp_sys::sctp_assoc_t;

use super::sn::*;

/// A kind of event a socket can subscribe to (`enum sctp_sn_type`, used with the `SCTP_EVENT`
/// socket option).
///
/// All but [`DataIo`](Self::DataIo) turn on one [`Notification`](super::Notification) type. Nothing is subscribed on
/// a new kernel socket, and events nobody subscribed to are dropped by the kernel, not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EventType {
    /// `SCTP_DATA_IO_EVENT` (0x8000): not a notification. Turns on the `SCTP_SNDRCV` control
    /// message on received data (this crate uses `SCTP_RCVINFO` instead).
    #[doc(alias = "SCTP_DATA_IO_EVENT")]
    DataIo,
    /// `SCTP_ASSOC_CHANGE` (0x8001) → [`Notification::AssocChange`](super::Notification::AssocChange).
    #[doc(alias = "SCTP_ASSOC_CHANGE")]
    AssocChange,
    /// `SCTP_PEER_ADDR_CHANGE` (0x8002) → [`Notification::PeerAddrChange`](super::Notification::PeerAddrChange).
    #[doc(alias = "SCTP_PEER_ADDR_CHANGE")]
    PeerAddrChange,
    /// `SCTP_SEND_FAILED` (0x8003) → [`Notification::SendFailed`](super::Notification::SendFailed) (deprecated form).
    #[doc(alias = "SCTP_SEND_FAILED")]
    SendFailed,
    /// `SCTP_REMOTE_ERROR` (0x8004) → [`Notification::RemoteError`](super::Notification::RemoteError).
    #[doc(alias = "SCTP_REMOTE_ERROR")]
    RemoteError,
    /// `SCTP_SHUTDOWN_EVENT` (0x8005) → [`Notification::Shutdown`](super::Notification::Shutdown).
    #[doc(alias = "SCTP_SHUTDOWN_EVENT")]
    Shutdown,
    /// `SCTP_PARTIAL_DELIVERY_EVENT` (0x8006) → [`Notification::PartialDelivery`](super::Notification::PartialDelivery).
    #[doc(alias = "SCTP_PARTIAL_DELIVERY_EVENT")]
    PartialDelivery,
    /// `SCTP_ADAPTATION_INDICATION` (0x8007) → [`Notification::AdaptationIndication`](super::Notification::AdaptationIndication).
    #[doc(alias = "SCTP_ADAPTATION_INDICATION")]
    AdaptationIndication,
    /// `SCTP_AUTHENTICATION_EVENT` (0x8008) → [`Notification::Authentication`](super::Notification::Authentication).
    #[doc(alias = "SCTP_AUTHENTICATION_EVENT")]
    Authentication,
    /// `SCTP_SENDER_DRY_EVENT` (0x8009) → [`Notification::SenderDry`](super::Notification::SenderDry). Subscribing queues one
    /// immediately if nothing is outstanding.
    #[doc(alias = "SCTP_SENDER_DRY_EVENT")]
    SenderDry,
    /// `SCTP_STREAM_RESET_EVENT` (0x800a) → [`Notification::StreamReset`](super::Notification::StreamReset) (Linux 4.11+).
    #[doc(alias = "SCTP_STREAM_RESET_EVENT")]
    StreamReset,
    /// `SCTP_ASSOC_RESET_EVENT` (0x800b) → [`Notification::AssocReset`](super::Notification::AssocReset) (Linux 4.12+).
    #[doc(alias = "SCTP_ASSOC_RESET_EVENT")]
    AssocReset,
    /// `SCTP_STREAM_CHANGE_EVENT` (0x800c) → [`Notification::StreamChange`](super::Notification::StreamChange) (Linux 4.12+).
    #[doc(alias = "SCTP_STREAM_CHANGE_EVENT")]
    StreamChange,
    /// `SCTP_SEND_FAILED_EVENT` (0x800d) → [`Notification::SendFailedEvent`](super::Notification::SendFailedEvent) (Linux 5.5+;
    /// older kernels answer `SCTP_EVENT` for it with `EINVAL`, where
    /// [`SendFailed`](Self::SendFailed) is the fallback).
    #[doc(alias = "SCTP_SEND_FAILED_EVENT")]
    SendFailedEvent,
}

impl EventType {
    /// Every event type, in `sn_type` order.
    pub const ALL: [EventType; 14] = [
        EventType::DataIo,
        EventType::AssocChange,
        EventType::PeerAddrChange,
        EventType::SendFailed,
        EventType::RemoteError,
        EventType::Shutdown,
        EventType::PartialDelivery,
        EventType::AdaptationIndication,
        EventType::Authentication,
        EventType::SenderDry,
        EventType::StreamReset,
        EventType::AssocReset,
        EventType::StreamChange,
        EventType::SendFailedEvent,
    ];

    /// The `sn_type` / `se_type` value (`SCTP_*_EVENT`, 0x8000..=0x800d).
    pub const fn to_raw(self) -> u16 {
        match self {
            EventType::DataIo => DATA_IO_EVENT,
            EventType::AssocChange => ASSOC_CHANGE,
            EventType::PeerAddrChange => PEER_ADDR_CHANGE,
            EventType::SendFailed => SEND_FAILED,
            EventType::RemoteError => REMOTE_ERROR,
            EventType::Shutdown => SHUTDOWN_EVENT,
            EventType::PartialDelivery => PARTIAL_DELIVERY_EVENT,
            EventType::AdaptationIndication => ADAPTATION_INDICATION,
            EventType::Authentication => AUTHENTICATION_EVENT,
            EventType::SenderDry => SENDER_DRY_EVENT,
            EventType::StreamReset => STREAM_RESET_EVENT,
            EventType::AssocReset => ASSOC_RESET_EVENT,
            EventType::StreamChange => STREAM_CHANGE_EVENT,
            EventType::SendFailedEvent => SEND_FAILED_EVENT,
        }
    }

    /// The event type with this `sn_type` value, if there is one.
    pub const fn from_raw(raw: u16) -> Option<Self> {
        let Some(index) = raw.checked_sub(DATA_IO_EVENT) else {
            return None;
        };
        if (index as usize) < Self::ALL.len() {
            Some(Self::ALL[index as usize])
        } else {
            None
        }
    }

    /// The byte of `struct sctp_event_subscribe` (the deprecated `SCTP_EVENTS` option) that
    /// switches this event: `sn_type - 0x8000`.
    pub const fn index(self) -> usize {
        (self.to_raw() - DATA_IO_EVENT) as usize
    }

    /// The `struct sctp_event` for the `SCTP_EVENT` socket option (Linux 5.0+) that turns this
    /// event on or off for `assoc_id` (an association, or `SCTP_FUTURE_ASSOC`,
    /// `SCTP_CURRENT_ASSOC`, `SCTP_ALL_ASSOC`).
    #[doc(alias = "SCTP_EVENT")]
    pub fn to_sctp_event(self, assoc_id: sctp_assoc_t, on: bool) -> linux_sctp_sys::sctp_event {
        linux_sctp_sys::sctp_event {
            se_assoc_id: assoc_id,
            se_type: self.to_raw(),
            se_on: u8::from(on),
        }
    }
}

/// A set of [`EventType`]s to subscribe to.
///
/// [`Subscriptions::default()`] is the set tokio-linux-sctp turns on for a new socket unless the
/// builder is told otherwise:
///
/// | on | off |
/// |---|---|
/// | [`AssocChange`](EventType::AssocChange), [`PeerAddrChange`](EventType::PeerAddrChange), [`SendFailedEvent`](EventType::SendFailedEvent), [`RemoteError`](EventType::RemoteError), [`Shutdown`](EventType::Shutdown) | everything else, notably [`SenderDry`](EventType::SenderDry) (it fires after every drained send queue) and [`DataIo`](EventType::DataIo) |
///
/// The association events are what a one-to-many socket needs to learn association ids and
/// endings, and what tells a one-to-one socket why its association ended. On kernels older
/// than 5.5, which lack `SCTP_SEND_FAILED_EVENT`, subscribe
/// [`SendFailed`](EventType::SendFailed) instead (see
/// [`with_legacy_send_failed`](Self::with_legacy_send_failed)).
///
/// # Examples
///
/// ```
/// use tokio_linux_sctp::notification::{EventType, Subscriptions};
///
/// let subs = Subscriptions::default().with(EventType::SenderDry);
/// assert!(subs.contains(EventType::AssocChange));
/// assert!(subs.contains(EventType::SenderDry));
/// assert!(!subs.contains(EventType::DataIo));
/// // SCTP_EVENTS fallback: the struct prefix that covers these events.
/// assert_eq!(subs.sctp_events_len(), 14);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subscriptions(u16);

impl Default for Subscriptions {
    fn default() -> Self {
        Subscriptions::empty()
            .with(EventType::AssocChange)
            .with(EventType::PeerAddrChange)
            .with(EventType::SendFailedEvent)
            .with(EventType::RemoteError)
            .with(EventType::Shutdown)
    }
}

impl Subscriptions {
    /// No events.
    pub const fn empty() -> Self {
        Subscriptions(0)
    }

    /// Every event type, [`DataIo`](EventType::DataIo) included.
    pub const fn all() -> Self {
        Subscriptions((1 << EventType::ALL.len()) - 1)
    }

    /// This set plus `event`.
    #[must_use]
    pub const fn with(self, event: EventType) -> Self {
        Subscriptions(self.0 | 1 << event.index())
    }

    /// This set minus `event`.
    #[must_use]
    pub const fn without(self, event: EventType) -> Self {
        Subscriptions(self.0 & !(1 << event.index()))
    }

    /// Adds `event`.
    pub fn insert(&mut self, event: EventType) {
        *self = self.with(event);
    }

    /// Removes `event`.
    pub fn remove(&mut self, event: EventType) {
        *self = self.without(event);
    }

    /// Whether `event` is in the set.
    pub const fn contains(self, event: EventType) -> bool {
        self.0 & (1 << event.index()) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// For kernels before 5.5: [`SendFailedEvent`](EventType::SendFailedEvent), if present,
    /// replaced by [`SendFailed`](EventType::SendFailed).
    #[must_use]
    pub const fn with_legacy_send_failed(self) -> Self {
        if self.contains(EventType::SendFailedEvent) {
            self.without(EventType::SendFailedEvent)
                .with(EventType::SendFailed)
        } else {
            self
        }
    }

    /// The event types in the set, in `sn_type` order.
    pub fn iter(self) -> impl Iterator<Item = EventType> {
        EventType::ALL
            .into_iter()
            .filter(move |e| self.contains(*e))
    }

    /// The set as a `struct sctp_event_subscribe`, for the deprecated `SCTP_EVENTS` option.
    ///
    /// Pass only the first [`sctp_events_len`](Self::sctp_events_len) bytes: kernels reject
    /// an `optlen` longer than their own struct with `EINVAL`, and the struct grew from 10
    /// to 14 bytes between Linux 3.0 and 5.5.
    #[doc(alias = "SCTP_EVENTS")]
    pub fn to_sctp_event_subscribe(self) -> linux_sctp_sys::sctp_event_subscribe {
        let on = |e| u8::from(self.contains(e));
        linux_sctp_sys::sctp_event_subscribe {
            sctp_data_io_event: on(EventType::DataIo),
            sctp_association_event: on(EventType::AssocChange),
            sctp_address_event: on(EventType::PeerAddrChange),
            sctp_send_failure_event: on(EventType::SendFailed),
            sctp_peer_error_event: on(EventType::RemoteError),
            sctp_shutdown_event: on(EventType::Shutdown),
            sctp_partial_delivery_event: on(EventType::PartialDelivery),
            sctp_adaptation_layer_event: on(EventType::AdaptationIndication),
            sctp_authentication_event: on(EventType::Authentication),
            sctp_sender_dry_event: on(EventType::SenderDry),
            sctp_stream_reset_event: on(EventType::StreamReset),
            sctp_assoc_reset_event: on(EventType::AssocReset),
            sctp_stream_change_event: on(EventType::StreamChange),
            sctp_send_failure_event_event: on(EventType::SendFailedEvent),
        }
    }

    /// The shortest prefix of `struct sctp_event_subscribe` that covers every event in the
    /// set (the index of the highest one plus one), but at least 1.
    pub const fn sctp_events_len(self) -> usize {
        if self.0 == 0 {
            1
        } else {
            16 - self.0.leading_zeros() as usize
        }
    }
}

impl FromIterator<EventType> for Subscriptions {
    fn from_iter<I: IntoIterator<Item = EventType>>(iter: I) -> Self {
        iter.into_iter()
            .fold(Subscriptions::empty(), Subscriptions::with)
    }
}

impl Extend<EventType> for Subscriptions {
    fn extend<I: IntoIterator<Item = EventType>>(&mut self, iter: I) {
        for e in iter {
            self.insert(e);
        }
    }
}
