//! SCTP notifications: the typed [`Notification`] enum, its total parser, and the event types a
//! socket can subscribe to.
//!
//! The kernel delivers notifications in-band: a `recvmsg` whose `msg_flags` has
//! `MSG_NOTIFICATION` set returns one `union sctp_notification` instead of user data (RFC 6458
//! §6.1). Every notification starts with the same 8-byte header
//! (`u16 sn_type; u16 sn_flags; u32 sn_length`), where `sn_length` counts the whole notification,
//! variable-length tail included. Like data, a notification can arrive split over several reads
//! (no `MSG_EOR` until the last piece); [`Notification::parse`] wants the complete bytes, which
//! [`ReassemblyBuffer`](crate::message::ReassemblyBuffer) collects.
//!
//! [`Notification::parse`] is total over bytes: a short, inconsistent or unknown input gives a
//! [`NotificationError`] or [`Notification::Unknown`], never a panic and never a read out of
//! bounds. Multi-byte fields are read in native byte order, exactly as the kernel writes them,
//! with the one exception the kernel makes: `sre_error` of `SCTP_REMOTE_ERROR` is a network-order
//! cause code and is returned in host order.
//!
//! Nothing is subscribed on a fresh kernel socket. [`Subscriptions`] names a set of
//! [`EventType`]s; [`Subscriptions::default`] is the set this crate turns on unless told
//! otherwise.
//!
//! # Examples
//!
//! ```
//! use tokio_linux_sctp::notification::{Notification, Shutdown};
//!
//! // An SCTP_SHUTDOWN_EVENT (0x8005) for association 7, as the kernel lays it out.
//! let mut bytes = Vec::new();
//! bytes.extend_from_slice(&0x8005u16.to_ne_bytes()); // sse_type
//! bytes.extend_from_slice(&0u16.to_ne_bytes()); // sse_flags
//! bytes.extend_from_slice(&12u32.to_ne_bytes()); // sse_length
//! bytes.extend_from_slice(&7i32.to_ne_bytes()); // sse_assoc_id
//!
//! let n = Notification::parse(&bytes)?;
//! assert!(matches!(n, Notification::Shutdown(Shutdown { assoc_id: 7, .. })));
//! assert_eq!(n.assoc_id(), Some(7));
//! # Ok::<(), tokio_linux_sctp::notification::NotificationError>(())
//! ```
//!
//! # Where things are
//!
//! * this file: [`Notification`], its accessors and [`NotificationError`];
//! * `parse.rs`: the one total parser, reading each kernel struct through its layout-tested
//!   `linux_sctp_sys` type;
//! * the event types and their state enums by family: `assoc.rs` (association changes,
//!   shutdown, sender dry, adaptation), `paths.rs` (peer address changes), `delivery.rs`
//!   (send failures, remote errors, partial delivery), `auth.rs`, `reconf.rs`;
//! * `subscriptions.rs`: [`EventType`] and [`Subscriptions`].

use std::fmt;

use bytes::Bytes;
use linux_sctp_sys::sctp_assoc_t;

mod assoc;
mod auth;
mod delivery;
mod parse;
mod paths;
mod reconf;
mod subscriptions;

/// Short names for the notification types (`sn_type` / `se_type`, C `enum sctp_sn_type`).
mod sn {
    pub(super) use linux_sctp_sys::{
        SCTP_ADAPTATION_INDICATION as ADAPTATION_INDICATION, SCTP_ASSOC_CHANGE as ASSOC_CHANGE,
        SCTP_ASSOC_RESET_EVENT as ASSOC_RESET_EVENT,
        SCTP_AUTHENTICATION_EVENT as AUTHENTICATION_EVENT, SCTP_DATA_IO_EVENT as DATA_IO_EVENT,
        SCTP_PARTIAL_DELIVERY_EVENT as PARTIAL_DELIVERY_EVENT,
        SCTP_PEER_ADDR_CHANGE as PEER_ADDR_CHANGE, SCTP_REMOTE_ERROR as REMOTE_ERROR,
        SCTP_SENDER_DRY_EVENT as SENDER_DRY_EVENT, SCTP_SEND_FAILED as SEND_FAILED,
        SCTP_SEND_FAILED_EVENT as SEND_FAILED_EVENT, SCTP_SHUTDOWN_EVENT as SHUTDOWN_EVENT,
        SCTP_STREAM_CHANGE_EVENT as STREAM_CHANGE_EVENT,
        SCTP_STREAM_RESET_EVENT as STREAM_RESET_EVENT,
    };
}

pub use assoc::{AdaptationIndication, AssocChange, AssocChangeState, SenderDry, Shutdown};
pub use auth::{AuthIndication, Authentication};
pub use delivery::{
    DataChunkFlags, PartialDelivery, PartialDeliveryIndication, RemoteError, SendFailed,
    SendFailedState,
};
pub use paths::{AddrChangeCause, PeerAddrChange, PeerAddrState};
pub use reconf::{AssocReset, ReconfFlags, StreamChange, StreamReset};
pub use subscriptions::{EventType, Subscriptions};

/// Why bytes could not be parsed as a notification.
///
/// Returned by [`Notification::parse`]. The parser never panics; these are the ways input can be
/// wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotificationError {
    /// The buffer is shorter than the notification: shorter than the 8-byte header, or shorter
    /// than the header's `sn_length`. A read that ended without `MSG_EOR` returns such a
    /// prefix; collect the rest before parsing.
    Truncated {
        /// Bytes the notification needs (8 while the header itself is incomplete).
        needed: usize,
        /// Bytes that were available.
        available: usize,
    },
    /// `sn_length` is too small for a notification of type `sn_type`: the fixed part of the
    /// struct does not fit, or a list tail has an odd number of bytes.
    BadLength {
        /// The notification type from the header.
        sn_type: u16,
        /// The header's `sn_length`.
        sn_length: u32,
        /// The minimum length this type needs.
        min: usize,
    },
    /// The peer address of an `SCTP_PEER_ADDR_CHANGE` is not a valid `AF_INET`/`AF_INET6`
    /// socket address.
    BadAddress(linux_sctp_sys::addr::AddrError),
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NotificationError::Truncated { needed, available } => write!(
                f,
                "notification truncated: needs {needed} bytes, {available} available"
            ),
            NotificationError::BadLength {
                sn_type,
                sn_length,
                min,
            } => write!(
                f,
                "notification type {sn_type:#06x} has sn_length {sn_length}, needs at least {min}"
            ),
            NotificationError::BadAddress(err) => {
                write!(f, "notification carries a bad peer address: {err}")
            }
        }
    }
}

impl std::error::Error for NotificationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NotificationError::BadAddress(err) => Some(err),
            _ => None,
        }
    }
}

/// One SCTP notification, as read from a socket with `MSG_NOTIFICATION` set (RFC 6458 §6.1).
///
/// There is one variant per notification type of the Linux kernel, plus
/// [`Unknown`](Self::Unknown) for types this crate does not know (a newer kernel). The enum is
/// `#[non_exhaustive]`: new kernel notifications may become new variants.
///
/// Build one with [`Notification::parse`] (or [`Notification::parse_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notification {
    /// `SCTP_ASSOC_CHANGE`: an association came up, was lost, restarted, shut down, or could
    /// not be set up.
    #[doc(alias = "SCTP_ASSOC_CHANGE")]
    AssocChange(AssocChange),
    /// `SCTP_PEER_ADDR_CHANGE`: a peer address changed state (reachability, added, removed,
    /// made primary, confirmed).
    #[doc(alias = "SCTP_PEER_ADDR_CHANGE")]
    PeerAddrChange(PeerAddrChange),
    /// `SCTP_SEND_FAILED` (deprecated form, `struct sctp_send_failed`): a message (one DATA
    /// chunk of it) could not be delivered.
    #[doc(alias = "SCTP_SEND_FAILED")]
    SendFailed(SendFailed),
    /// `SCTP_SEND_FAILED_EVENT` (RFC 6458 form, `struct sctp_send_failed_event`, Linux 5.5+):
    /// a message (one DATA chunk of it) could not be delivered. If both this and
    /// [`SendFailed`](Self::SendFailed) are subscribed, the kernel queues both.
    #[doc(alias = "SCTP_SEND_FAILED_EVENT")]
    SendFailedEvent(SendFailed),
    /// `SCTP_REMOTE_ERROR`: the peer sent an ERROR chunk.
    #[doc(alias = "SCTP_REMOTE_ERROR")]
    RemoteError(RemoteError),
    /// `SCTP_SHUTDOWN_EVENT`: the peer sent SHUTDOWN; no more data can be sent.
    #[doc(alias = "SCTP_SHUTDOWN_EVENT")]
    Shutdown(Shutdown),
    /// `SCTP_PARTIAL_DELIVERY_EVENT`: a partial delivery was aborted.
    #[doc(alias = "SCTP_PARTIAL_DELIVERY_EVENT")]
    PartialDelivery(PartialDelivery),
    /// `SCTP_ADAPTATION_INDICATION`: the peer sent an Adaptation Layer Indication.
    #[doc(alias = "SCTP_ADAPTATION_INDICATION")]
    AdaptationIndication(AdaptationIndication),
    /// `SCTP_AUTHENTICATION_EVENT`: SCTP-AUTH key events, or the peer does not do AUTH.
    #[doc(alias = "SCTP_AUTHENTICATION_EVENT")]
    #[doc(alias = "SCTP_AUTHENTICATION_INDICATION")]
    Authentication(Authentication),
    /// `SCTP_SENDER_DRY_EVENT`: nothing is queued or awaiting retransmission.
    #[doc(alias = "SCTP_SENDER_DRY_EVENT")]
    SenderDry(SenderDry),
    /// `SCTP_STREAM_RESET_EVENT`: streams were reset (RFC 6525), or a reset request was denied
    /// or failed.
    #[doc(alias = "SCTP_STREAM_RESET_EVENT")]
    StreamReset(StreamReset),
    /// `SCTP_ASSOC_RESET_EVENT`: the association's TSNs were reset (RFC 6525).
    #[doc(alias = "SCTP_ASSOC_RESET_EVENT")]
    AssocReset(AssocReset),
    /// `SCTP_STREAM_CHANGE_EVENT`: streams were added (RFC 6525).
    #[doc(alias = "SCTP_STREAM_CHANGE_EVENT")]
    StreamChange(StreamChange),
    /// A notification type this crate does not decode.
    Unknown {
        /// The header's `sn_type`.
        sn_type: u16,
        /// The header's `sn_flags`.
        sn_flags: u16,
        /// The whole notification, header included (`sn_length` bytes).
        bytes: Bytes,
    },
}

impl Notification {
    /// The association this notification is about, or `None` for
    /// [`Unknown`](Self::Unknown).
    ///
    /// On a one-to-one socket this is the socket's one association; on a one-to-many socket it
    /// says which association the event belongs to.
    pub fn assoc_id(&self) -> Option<sctp_assoc_t> {
        Some(match self {
            Notification::AssocChange(n) => n.assoc_id,
            Notification::PeerAddrChange(n) => n.assoc_id,
            Notification::SendFailed(n) | Notification::SendFailedEvent(n) => n.assoc_id,
            Notification::RemoteError(n) => n.assoc_id,
            Notification::Shutdown(n) => n.assoc_id,
            Notification::PartialDelivery(n) => n.assoc_id,
            Notification::AdaptationIndication(n) => n.assoc_id,
            Notification::Authentication(n) => n.assoc_id,
            Notification::SenderDry(n) => n.assoc_id,
            Notification::StreamReset(n) => n.assoc_id,
            Notification::AssocReset(n) => n.assoc_id,
            Notification::StreamChange(n) => n.assoc_id,
            Notification::Unknown { .. } => return None,
        })
    }

    /// The raw `sn_type` of this notification (`SCTP_ASSOC_CHANGE` = 0x8001 and so on).
    pub fn sn_type(&self) -> u16 {
        match self {
            Notification::Unknown { sn_type, .. } => *sn_type,
            known => known.event_type().map_or(0, EventType::to_raw),
        }
    }

    /// The subscription that makes the kernel deliver this notification, or `None` for
    /// [`Unknown`](Self::Unknown).
    pub fn event_type(&self) -> Option<EventType> {
        Some(match self {
            Notification::AssocChange(_) => EventType::AssocChange,
            Notification::PeerAddrChange(_) => EventType::PeerAddrChange,
            Notification::SendFailed(_) => EventType::SendFailed,
            Notification::SendFailedEvent(_) => EventType::SendFailedEvent,
            Notification::RemoteError(_) => EventType::RemoteError,
            Notification::Shutdown(_) => EventType::Shutdown,
            Notification::PartialDelivery(_) => EventType::PartialDelivery,
            Notification::AdaptationIndication(_) => EventType::AdaptationIndication,
            Notification::Authentication(_) => EventType::Authentication,
            Notification::SenderDry(_) => EventType::SenderDry,
            Notification::StreamReset(_) => EventType::StreamReset,
            Notification::AssocReset(_) => EventType::AssocReset,
            Notification::StreamChange(_) => EventType::StreamChange,
            Notification::Unknown { .. } => return None,
        })
    }

    /// Whether this notification ends its association: an [`AssocChange`] whose state
    /// [is terminal](AssocChangeState::is_terminal) (`COMM_LOST`, `SHUTDOWN_COMP`,
    /// `CANT_STR_ASSOC`).
    ///
    /// [`Shutdown`] is not terminal: the association still delivers queued data until the
    /// shutdown completes.
    pub fn is_association_end(&self) -> bool {
        matches!(self, Notification::AssocChange(c) if c.state.is_terminal())
    }
}

#[cfg(test)]
mod tests;
