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

use std::fmt;
use std::net::SocketAddr;

use bytes::Bytes;
use linux_sctp_sys::sctp_assoc_t;

/// Size of the common header (`sn_type`, `sn_flags`, `sn_length`).
const HEADER_LEN: usize = 8;

// `sn_type` values (`enum sctp_sn_type`), as u16 for matching.
const DATA_IO_EVENT: u16 = linux_sctp_sys::SCTP_DATA_IO_EVENT;
const ASSOC_CHANGE: u16 = linux_sctp_sys::SCTP_ASSOC_CHANGE;
const PEER_ADDR_CHANGE: u16 = linux_sctp_sys::SCTP_PEER_ADDR_CHANGE;
const SEND_FAILED: u16 = linux_sctp_sys::SCTP_SEND_FAILED;
const REMOTE_ERROR: u16 = linux_sctp_sys::SCTP_REMOTE_ERROR;
const SHUTDOWN_EVENT: u16 = linux_sctp_sys::SCTP_SHUTDOWN_EVENT;
const PARTIAL_DELIVERY_EVENT: u16 = linux_sctp_sys::SCTP_PARTIAL_DELIVERY_EVENT;
const ADAPTATION_INDICATION: u16 = linux_sctp_sys::SCTP_ADAPTATION_INDICATION;
const AUTHENTICATION_EVENT: u16 = linux_sctp_sys::SCTP_AUTHENTICATION_EVENT;
const SENDER_DRY_EVENT: u16 = linux_sctp_sys::SCTP_SENDER_DRY_EVENT;
const STREAM_RESET_EVENT: u16 = linux_sctp_sys::SCTP_STREAM_RESET_EVENT;
const ASSOC_RESET_EVENT: u16 = linux_sctp_sys::SCTP_ASSOC_RESET_EVENT;
const STREAM_CHANGE_EVENT: u16 = linux_sctp_sys::SCTP_STREAM_CHANGE_EVENT;
const SEND_FAILED_EVENT: u16 = linux_sctp_sys::SCTP_SEND_FAILED_EVENT;

// Fixed-part sizes of each notification struct (x86_64 and every other Linux ABI: these
// structs hold only 16- and 32-bit fields and a sockaddr_storage in a packed struct).
const ASSOC_CHANGE_LEN: usize = 20;
const PADDR_CHANGE_LEN: usize = 148;
const SEND_FAILED_LEN: usize = 48;
const REMOTE_ERROR_LEN: usize = 16;
const SHUTDOWN_LEN: usize = 12;
/// `sctp_pdapi_event` before Linux 4.16 (no stream and sequence fields).
const PDAPI_OLD_LEN: usize = 16;
const PDAPI_LEN: usize = 24;
const ADAPTATION_LEN: usize = 16;
const AUTHKEY_LEN: usize = 20;
const SENDER_DRY_LEN: usize = 12;
const STREAM_RESET_LEN: usize = 12;
const ASSOC_RESET_LEN: usize = 20;
const STREAM_CHANGE_LEN: usize = 16;
const SEND_FAILED_EVENT_LEN: usize = 32;

/// Offset of `spc_aaddr` (a `sockaddr_storage`) in the packed `sctp_paddr_change`.
const PADDR_ADDR_OFFSET: usize = 8;
/// Size of `struct sockaddr_storage`.
const SOCKADDR_STORAGE_LEN: usize = 128;

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

/// `SCTP_ASSOC_CHANGE` (`struct sctp_assoc_change`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssocChange {
    /// What happened (`sac_state`).
    pub state: AssocChangeState,
    /// `sac_error`, exactly as the kernel filled it in; prefer
    /// [`abort_cause`](Self::abort_cause).
    ///
    /// Its byte order depends on the path that ended the association, so the raw value
    /// cannot be read on its own: when an ABORT ended it (`COMM_LOST`, or `CANT_STR_ASSOC`
    /// when the peer refused), Linux copies the first error cause code from the chunk
    /// unconverted, in **network** byte order (User-Initiated Abort, 12, reads as 3072 on a
    /// little-endian machine), and the same goes for the `SCTP_ERROR_*` causes of the
    /// kernel's own aborts; `CANT_STR_ASSOC` after the INITs ran out carries an errno in host
    /// order (`ETIMEDOUT`); retransmission failures leave 0.
    pub error: u16,
    /// Outbound streams the association now has (`sac_outbound_streams`); 0 when it ended.
    pub outbound_streams: u16,
    /// Inbound streams the association now has (`sac_inbound_streams`); 0 when it ended.
    pub inbound_streams: u16,
    /// The association (`sac_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// `sac_info`: when an ABORT chunk ended the association, the kernel copies that chunk's
    /// body here (its error causes, RFC 9260 §3.3.10). Empty otherwise.
    pub info: Bytes,
}

impl AssocChange {
    /// The code of the first error cause of the ABORT that ended the association (RFC 9260
    /// §3.3.10), in host byte order: 12 for User-Initiated Abort, 1 for Invalid Stream
    /// Identifier, and so on. Read from [`info`](Self::info), where the kernel copies the
    /// ABORT's causes; `None` when there is no ABORT body (a graceful end, a retransmission
    /// failure, an ABORT without causes) or it is shorter than one cause header.
    ///
    /// Linux attaches the ABORT body only to a `COMM_LOST` caused by the peer's ABORT. A
    /// setup the peer refused with an ABORT (`CANT_STR_ASSOC`) and the kernel's own aborts
    /// carry their cause only in [`error`](Self::error), in network byte order, where it
    /// cannot be told apart from the host-order errno of other paths with certainty: this
    /// method does not guess, and returns `None` for them.
    ///
    /// Use this rather than [`error`](Self::error), whose byte order depends on the path.
    pub fn abort_cause(&self) -> Option<u16> {
        match self.info.get(..4)? {
            &[c0, c1, l0, l1] if u16::from_be_bytes([l0, l1]) >= 4 => {
                Some(u16::from_be_bytes([c0, c1]))
            }
            _ => None,
        }
    }
}

/// `sac_state` of [`AssocChange`] (`enum sctp_sac_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssocChangeState {
    /// `SCTP_COMM_UP`: the association is established and ready to carry data.
    #[doc(alias = "SCTP_COMM_UP")]
    CommUp,
    /// `SCTP_COMM_LOST`: the association failed (an ABORT, or too many retransmissions).
    #[doc(alias = "SCTP_COMM_LOST")]
    CommLost,
    /// `SCTP_RESTART`: the peer restarted; the association continues with new state.
    #[doc(alias = "SCTP_RESTART")]
    Restart,
    /// `SCTP_SHUTDOWN_COMP`: the graceful shutdown completed.
    #[doc(alias = "SCTP_SHUTDOWN_COMP")]
    ShutdownComplete,
    /// `SCTP_CANT_STR_ASSOC`: the association could not be set up (INIT retries exhausted,
    /// or refused).
    #[doc(alias = "SCTP_CANT_STR_ASSOC")]
    CantStartAssoc,
    /// A value this crate does not know.
    Unknown(u16),
}

impl AssocChangeState {
    /// Converts the kernel's `sac_state`.
    pub const fn from_raw(raw: u16) -> Self {
        match raw {
            0 => Self::CommUp,
            1 => Self::CommLost,
            2 => Self::Restart,
            3 => Self::ShutdownComplete,
            4 => Self::CantStartAssoc,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's `sac_state` value.
    pub const fn to_raw(self) -> u16 {
        match self {
            Self::CommUp => 0,
            Self::CommLost => 1,
            Self::Restart => 2,
            Self::ShutdownComplete => 3,
            Self::CantStartAssoc => 4,
            Self::Unknown(raw) => raw,
        }
    }

    /// Whether the association no longer exists after this change (`CommLost`,
    /// `ShutdownComplete`, `CantStartAssoc`).
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::CommLost | Self::ShutdownComplete | Self::CantStartAssoc
        )
    }
}

/// `SCTP_PEER_ADDR_CHANGE` (`struct sctp_paddr_change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PeerAddrChange {
    /// The peer address concerned (`spc_aaddr`).
    ///
    /// Returned exactly as the kernel reports it. On an `AF_INET6` socket with
    /// `SCTP_I_WANT_MAPPED_V4_ADDR` on (the kernel default), an IPv4 peer shows up as an
    /// IPv4-mapped IPv6 address (`[::ffff:a.b.c.d]:port`); use
    /// [`IpAddr::to_canonical`](std::net::IpAddr::to_canonical) to fold it.
    pub addr: SocketAddr,
    /// The new state of the address (`spc_state`).
    pub state: PeerAddrState,
    /// Why (`spc_error`, `enum sctp_sn_error`); see [`PeerAddrChange::cause`]. The kernel
    /// leaves 0 here for changes with no particular cause, and 0 is also
    /// `SCTP_FAILED_THRESHOLD`, so read it together with [`state`](Self::state).
    pub error: i32,
    /// The association (`spc_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

impl PeerAddrChange {
    /// [`error`](Self::error) as a typed [`AddrChangeCause`].
    pub const fn cause(&self) -> AddrChangeCause {
        AddrChangeCause::from_raw(self.error)
    }
}

/// `spc_state` of [`PeerAddrChange`] (`enum sctp_spc_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PeerAddrState {
    /// `SCTP_ADDR_AVAILABLE`: the address is reachable again.
    #[doc(alias = "SCTP_ADDR_AVAILABLE")]
    Available,
    /// `SCTP_ADDR_UNREACHABLE`: the address can no longer be reached.
    #[doc(alias = "SCTP_ADDR_UNREACHABLE")]
    Unreachable,
    /// `SCTP_ADDR_REMOVED`: the peer removed the address from the association.
    #[doc(alias = "SCTP_ADDR_REMOVED")]
    Removed,
    /// `SCTP_ADDR_ADDED`: the peer added the address to the association.
    #[doc(alias = "SCTP_ADDR_ADDED")]
    Added,
    /// `SCTP_ADDR_MADE_PRIM`: the address is now the primary path.
    #[doc(alias = "SCTP_ADDR_MADE_PRIM")]
    MadePrimary,
    /// `SCTP_ADDR_CONFIRMED`: the address was confirmed (a heartbeat answered).
    #[doc(alias = "SCTP_ADDR_CONFIRMED")]
    Confirmed,
    /// `SCTP_ADDR_POTENTIALLY_FAILED` (`SCTP_ADDR_PF`): the path is potentially failed
    /// (reported only when `SCTP_EXPOSE_POTENTIALLY_FAILED_STATE` / sysctl `pf_expose`
    /// allows it, Linux 5.5+).
    #[doc(alias = "SCTP_ADDR_POTENTIALLY_FAILED")]
    #[doc(alias = "SCTP_ADDR_PF")]
    PotentiallyFailed,
    /// A value this crate does not know.
    Unknown(i32),
}

impl PeerAddrState {
    /// Converts the kernel's `spc_state`.
    pub const fn from_raw(raw: i32) -> Self {
        match raw {
            0 => Self::Available,
            1 => Self::Unreachable,
            2 => Self::Removed,
            3 => Self::Added,
            4 => Self::MadePrimary,
            5 => Self::Confirmed,
            6 => Self::PotentiallyFailed,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's `spc_state` value.
    pub const fn to_raw(self) -> i32 {
        match self {
            Self::Available => 0,
            Self::Unreachable => 1,
            Self::Removed => 2,
            Self::Added => 3,
            Self::MadePrimary => 4,
            Self::Confirmed => 5,
            Self::PotentiallyFailed => 6,
            Self::Unknown(raw) => raw,
        }
    }
}

/// `spc_error` of [`PeerAddrChange`] (`enum sctp_sn_error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddrChangeCause {
    /// `SCTP_FAILED_THRESHOLD` (also the value of "no cause").
    #[doc(alias = "SCTP_FAILED_THRESHOLD")]
    FailedThreshold,
    /// `SCTP_RECEIVED_SACK`.
    #[doc(alias = "SCTP_RECEIVED_SACK")]
    ReceivedSack,
    /// `SCTP_HEARTBEAT_SUCCESS`.
    #[doc(alias = "SCTP_HEARTBEAT_SUCCESS")]
    HeartbeatSuccess,
    /// `SCTP_RESPONSE_TO_USER_REQ`.
    #[doc(alias = "SCTP_RESPONSE_TO_USER_REQ")]
    ResponseToUserReq,
    /// `SCTP_INTERNAL_ERROR`.
    #[doc(alias = "SCTP_INTERNAL_ERROR")]
    InternalError,
    /// `SCTP_SHUTDOWN_GUARD_EXPIRES`.
    #[doc(alias = "SCTP_SHUTDOWN_GUARD_EXPIRES")]
    ShutdownGuardExpires,
    /// `SCTP_PEER_FAULTY`.
    #[doc(alias = "SCTP_PEER_FAULTY")]
    PeerFaulty,
    /// A value this crate does not know.
    Unknown(i32),
}

impl AddrChangeCause {
    /// Converts the kernel's `spc_error`.
    pub const fn from_raw(raw: i32) -> Self {
        match raw {
            0 => Self::FailedThreshold,
            1 => Self::ReceivedSack,
            2 => Self::HeartbeatSuccess,
            3 => Self::ResponseToUserReq,
            4 => Self::InternalError,
            5 => Self::ShutdownGuardExpires,
            6 => Self::PeerFaulty,
            other => Self::Unknown(other),
        }
    }
}

/// `SCTP_SEND_FAILED` and `SCTP_SEND_FAILED_EVENT` (`struct sctp_send_failed`,
/// `struct sctp_send_failed_event`): data the kernel gives back undelivered.
///
/// The kernel sends one notification per **DATA chunk**, not per message: a fragmented
/// message fails as several notifications, whose [`chunk_flags`](Self::chunk_flags) tell the
/// fragments apart.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendFailed {
    /// Whether the data went on the wire (`ssf_flags`).
    pub state: SendFailedState,
    /// The error that caused the failure (`ssf_error`), as the kernel reports it.
    pub error: u32,
    /// The stream the data was sent on (`sinfo_stream` / `snd_sid`).
    pub stream: u16,
    /// The DATA chunk flags of the failed chunk (`sinfo_flags` / `snd_flags`; the kernel puts
    /// the raw chunk flags here, not the user's send flags).
    pub chunk_flags: DataChunkFlags,
    /// The payload protocol identifier, in host byte order (`u32::from_be` of the kernel's
    /// field; see [`SendInfo::ppid`](crate::message::SendInfo::ppid)).
    pub ppid: u32,
    /// The sender's context value (`sinfo_context` / `snd_context`).
    pub context: u32,
    /// The association (`ssf_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// The undelivered user data of this chunk (`ssf_data`).
    pub data: Bytes,
}

/// `ssf_flags` of [`SendFailed`] (`enum sctp_ssf_flags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendFailedState {
    /// `SCTP_DATA_UNSENT`: the data never went on the wire.
    #[doc(alias = "SCTP_DATA_UNSENT")]
    Unsent,
    /// `SCTP_DATA_SENT`: the data was sent, but may or may not have arrived.
    #[doc(alias = "SCTP_DATA_SENT")]
    Sent,
    /// A value this crate does not know.
    Unknown(u16),
}

impl SendFailedState {
    /// Converts the kernel's `ssf_flags` (Linux values: 0 unsent, 1 sent).
    pub const fn from_raw(raw: u16) -> Self {
        match raw {
            0 => Self::Unsent,
            1 => Self::Sent,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's `ssf_flags` value.
    pub const fn to_raw(self) -> u16 {
        match self {
            Self::Unsent => 0,
            Self::Sent => 1,
            Self::Unknown(raw) => raw,
        }
    }
}

/// The flags byte of a DATA chunk (RFC 9260 §3.3.1, RFC 7053), as reported in
/// [`SendFailed::chunk_flags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DataChunkFlags(pub u16);

impl DataChunkFlags {
    /// E bit (0x01): the last fragment of a message.
    pub const END: u16 = 0x01;
    /// B bit (0x02): the first fragment of a message.
    pub const BEGIN: u16 = 0x02;
    /// U bit (0x04): unordered data.
    pub const UNORDERED: u16 = 0x04;
    /// I bit (0x08): the sender asked for an immediate SACK.
    pub const IMMEDIATE: u16 = 0x08;

    /// The raw value.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// Whether the chunk starts a message (B bit).
    pub const fn is_first_fragment(self) -> bool {
        self.0 & Self::BEGIN != 0
    }

    /// Whether the chunk ends a message (E bit).
    pub const fn is_last_fragment(self) -> bool {
        self.0 & Self::END != 0
    }

    /// Whether the chunk is the whole message (B and E bits).
    pub const fn is_complete_message(self) -> bool {
        self.is_first_fragment() && self.is_last_fragment()
    }

    /// Whether the chunk was sent unordered (U bit).
    pub const fn is_unordered(self) -> bool {
        self.0 & Self::UNORDERED != 0
    }
}

/// `SCTP_REMOTE_ERROR` (`struct sctp_remote_error`): the peer reported an operational error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RemoteError {
    /// The error cause code (RFC 9260 §3.3.10), in **host** byte order. The kernel's
    /// `sre_error` is in network byte order; the parser converts it.
    pub cause: u16,
    /// The association (`sre_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// `sre_data`: the value of the first error cause, after its 4-byte code and length
    /// header, padded to a multiple of 4 bytes as on the wire. Decoding it depends on
    /// [`cause`](Self::cause) (RFC 9260 §3.3.10).
    pub data: Bytes,
}

/// `SCTP_SHUTDOWN_EVENT` (`struct sctp_shutdown_event`): the peer started a graceful shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Shutdown {
    /// The association (`sse_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

/// `SCTP_PARTIAL_DELIVERY_EVENT` (`struct sctp_pdapi_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PartialDelivery {
    /// What happened (`pdapi_indication`).
    pub indication: PartialDeliveryIndication,
    /// The association (`pdapi_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// The stream of the message being delivered (`pdapi_stream`); `None` on kernels before
    /// 4.16, whose struct ends before this field.
    pub stream: Option<u32>,
    /// The stream sequence number of that message (`pdapi_seq`); `None` before 4.16.
    pub seq: Option<u32>,
}

/// `pdapi_indication` of [`PartialDelivery`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PartialDeliveryIndication {
    /// `SCTP_PARTIAL_DELIVERY_ABORTED`: the rest of the partly delivered message will not
    /// come.
    #[doc(alias = "SCTP_PARTIAL_DELIVERY_ABORTED")]
    Aborted,
    /// A value this crate does not know.
    Unknown(u32),
}

impl PartialDeliveryIndication {
    /// Converts the kernel's `pdapi_indication`.
    pub const fn from_raw(raw: u32) -> Self {
        match raw {
            0 => Self::Aborted,
            other => Self::Unknown(other),
        }
    }
}

/// `SCTP_ADAPTATION_INDICATION` (`struct sctp_adaptation_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AdaptationIndication {
    /// The peer's adaptation layer indication (`sai_adaptation_ind`), as the kernel reports it.
    pub indication: u32,
    /// The association (`sai_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

/// `SCTP_AUTHENTICATION_EVENT` (`struct sctp_authkey_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authentication {
    /// The key concerned (`auth_keynumber`).
    pub keynumber: u16,
    /// What happened (`auth_indication`).
    pub indication: AuthIndication,
    /// The association (`auth_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

/// `auth_indication` of [`Authentication`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthIndication {
    /// `SCTP_AUTH_NEW_KEY` (`SCTP_AUTH_NEWKEY`): the peer used a new key.
    #[doc(alias = "SCTP_AUTH_NEW_KEY")]
    #[doc(alias = "SCTP_AUTH_NEWKEY")]
    NewKey,
    /// `SCTP_AUTH_FREE_KEY`: a deactivated key is no longer in use and can be deleted.
    #[doc(alias = "SCTP_AUTH_FREE_KEY")]
    FreeKey,
    /// `SCTP_AUTH_NO_AUTH`: the peer does not support SCTP-AUTH (Linux 4.16+).
    #[doc(alias = "SCTP_AUTH_NO_AUTH")]
    NoAuth,
    /// A value this crate does not know.
    Unknown(u32),
}

impl AuthIndication {
    /// Converts the kernel's `auth_indication`.
    pub const fn from_raw(raw: u32) -> Self {
        match raw {
            0 => Self::NewKey,
            1 => Self::FreeKey,
            2 => Self::NoAuth,
            other => Self::Unknown(other),
        }
    }
}

/// `SCTP_SENDER_DRY_EVENT` (`struct sctp_sender_dry_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SenderDry {
    /// The association (`sender_dry_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

/// Flags of the stream reconfiguration notifications ([`StreamReset`], [`AssocReset`],
/// [`StreamChange`]), RFC 6525.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ReconfFlags(pub u16);

impl ReconfFlags {
    /// `SCTP_STREAM_RESET_INCOMING_SSN` (stream reset only): incoming streams were reset.
    #[doc(alias = "SCTP_STREAM_RESET_INCOMING_SSN")]
    pub const INCOMING_SSN: u16 = 0x0001;
    /// `SCTP_STREAM_RESET_OUTGOING_SSN` (stream reset only): outgoing streams were reset.
    #[doc(alias = "SCTP_STREAM_RESET_OUTGOING_SSN")]
    pub const OUTGOING_SSN: u16 = 0x0002;
    /// `SCTP_*_DENIED`: the peer denied the request.
    #[doc(alias = "SCTP_STREAM_RESET_DENIED")]
    #[doc(alias = "SCTP_ASSOC_RESET_DENIED")]
    #[doc(alias = "SCTP_STREAM_CHANGE_DENIED")]
    pub const DENIED: u16 = 0x0004;
    /// `SCTP_*_FAILED`: the request failed.
    #[doc(alias = "SCTP_STREAM_RESET_FAILED")]
    #[doc(alias = "SCTP_ASSOC_RESET_FAILED")]
    #[doc(alias = "SCTP_STREAM_CHANGE_FAILED")]
    pub const FAILED: u16 = 0x0008;

    /// The raw value.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// Whether every bit of `flags` is set.
    pub const fn contains(self, flags: u16) -> bool {
        self.0 & flags == flags
    }

    /// Whether the peer denied the request.
    pub const fn is_denied(self) -> bool {
        self.contains(Self::DENIED)
    }

    /// Whether the request failed.
    pub const fn is_failed(self) -> bool {
        self.contains(Self::FAILED)
    }
}

/// `SCTP_STREAM_RESET_EVENT` (`struct sctp_stream_reset_event`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamReset {
    /// Direction and outcome (`strreset_flags`).
    pub flags: ReconfFlags,
    /// The association (`strreset_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// The streams concerned (`strreset_stream_list`; the kernel converts the ids from the
    /// wire to host order); empty means all streams.
    pub streams: Vec<u16>,
}

/// `SCTP_ASSOC_RESET_EVENT` (`struct sctp_assoc_reset_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssocReset {
    /// Outcome (`assocreset_flags`).
    pub flags: ReconfFlags,
    /// The association (`assocreset_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// The next local TSN (`assocreset_local_tsn`).
    pub local_tsn: u32,
    /// The next remote TSN (`assocreset_remote_tsn`).
    pub remote_tsn: u32,
}

/// `SCTP_STREAM_CHANGE_EVENT` (`struct sctp_stream_change_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamChange {
    /// Outcome (`strchange_flags`).
    pub flags: ReconfFlags,
    /// The association (`strchange_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// Inbound streams **added** by this change (`strchange_instrms`), not the new total.
    ///
    /// Linux reports each direction in an event of its own: an addition of outbound streams
    /// gives an event with only `outbound_streams` set, one of inbound streams an event with
    /// only `inbound_streams` set (the other 0). Read `SCTP_STATUS` for the totals.
    pub inbound_streams: u16,
    /// Outbound streams **added** by this change (`strchange_outstrms`), not the new total;
    /// see [`inbound_streams`](Self::inbound_streams).
    pub outbound_streams: u16,
}

/// The fixed-part size a notification of type `sn_type` needs (the header alone for unknown
/// types).
const fn min_len(sn_type: u16) -> usize {
    match sn_type {
        ASSOC_CHANGE => ASSOC_CHANGE_LEN,
        PEER_ADDR_CHANGE => PADDR_CHANGE_LEN,
        SEND_FAILED => SEND_FAILED_LEN,
        REMOTE_ERROR => REMOTE_ERROR_LEN,
        SHUTDOWN_EVENT => SHUTDOWN_LEN,
        PARTIAL_DELIVERY_EVENT => PDAPI_OLD_LEN,
        ADAPTATION_INDICATION => ADAPTATION_LEN,
        AUTHENTICATION_EVENT => AUTHKEY_LEN,
        SENDER_DRY_EVENT => SENDER_DRY_LEN,
        STREAM_RESET_EVENT => STREAM_RESET_LEN,
        ASSOC_RESET_EVENT => ASSOC_RESET_LEN,
        STREAM_CHANGE_EVENT => STREAM_CHANGE_LEN,
        SEND_FAILED_EVENT => SEND_FAILED_EVENT_LEN,
        _ => HEADER_LEN,
    }
}

/// A bounds-checked native-endian reader over one notification.
struct Fields<'a> {
    buf: &'a [u8],
}

impl Fields<'_> {
    fn array<const N: usize>(&self, offset: usize) -> Result<[u8; N], NotificationError> {
        offset
            .checked_add(N)
            .and_then(|end| self.buf.get(offset..end))
            .and_then(|b| <[u8; N]>::try_from(b).ok())
            .ok_or(NotificationError::Truncated {
                needed: offset.saturating_add(N),
                available: self.buf.len(),
            })
    }

    fn u16(&self, offset: usize) -> Result<u16, NotificationError> {
        self.array(offset).map(u16::from_ne_bytes)
    }

    fn u32(&self, offset: usize) -> Result<u32, NotificationError> {
        self.array(offset).map(u32::from_ne_bytes)
    }

    fn i32(&self, offset: usize) -> Result<i32, NotificationError> {
        self.array(offset).map(i32::from_ne_bytes)
    }
}

impl Notification {
    /// Parses one complete notification: the bytes of a read (or of reassembled reads) that
    /// had `MSG_NOTIFICATION` set, ending with the piece that had `MSG_EOR`.
    ///
    /// Only the first `sn_length` bytes are used; anything after them is ignored. Variable
    /// tails (`sac_info`, `ssf_data`, `sre_data`) are copied into [`Bytes`]; use
    /// [`parse_bytes`](Self::parse_bytes) to share the input buffer instead.
    ///
    /// # Errors
    ///
    /// * [`NotificationError::Truncated`] if `buf` is shorter than the header or than its
    ///   `sn_length` (a partial read);
    /// * [`NotificationError::BadLength`] if `sn_length` is too small for the type;
    /// * [`NotificationError::BadAddress`] if a peer address is not `AF_INET`/`AF_INET6`.
    ///
    /// Unknown types are not an error: they give [`Notification::Unknown`].
    ///
    /// # Examples
    ///
    /// ```
    /// use tokio_linux_sctp::notification::{AssocChangeState, Notification, NotificationError};
    ///
    /// // SCTP_ASSOC_CHANGE (0x8001), 20 bytes: COMM_UP, 10 out / 5 in streams, assoc 3.
    /// let mut b = Vec::new();
    /// for v in [0x8001u16, 0] {
    ///     b.extend_from_slice(&v.to_ne_bytes());
    /// }
    /// b.extend_from_slice(&20u32.to_ne_bytes());
    /// for v in [0u16, 0, 10, 5] {
    ///     b.extend_from_slice(&v.to_ne_bytes());
    /// }
    /// b.extend_from_slice(&3i32.to_ne_bytes());
    ///
    /// match Notification::parse(&b)? {
    ///     Notification::AssocChange(c) => {
    ///         assert_eq!(c.state, AssocChangeState::CommUp);
    ///         assert_eq!((c.outbound_streams, c.inbound_streams, c.assoc_id), (10, 5, 3));
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// }
    ///
    /// // A prefix is an error, not a panic.
    /// assert!(matches!(
    ///     Notification::parse(&b[..12]),
    ///     Err(NotificationError::Truncated { needed: 20, available: 12 })
    /// ));
    /// # Ok::<(), NotificationError>(())
    /// ```
    pub fn parse(buf: &[u8]) -> Result<Self, NotificationError> {
        Self::parse_with(buf, &|range: std::ops::Range<usize>| {
            Bytes::copy_from_slice(&buf[range])
        })
    }

    /// Like [`parse`](Self::parse), but the variable tails are slices of `buf` (no copy).
    ///
    /// # Errors
    ///
    /// As for [`parse`](Self::parse).
    pub fn parse_bytes(buf: &Bytes) -> Result<Self, NotificationError> {
        Self::parse_with(buf, &|range: std::ops::Range<usize>| buf.slice(range))
    }

    /// The parser. `tail` turns a range of `buf` (always in bounds: only called with ranges
    /// inside the checked `sn_length`) into `Bytes`.
    fn parse_with(
        buf: &[u8],
        tail: &dyn Fn(std::ops::Range<usize>) -> Bytes,
    ) -> Result<Self, NotificationError> {
        let header = Fields { buf };
        let sn_type = header.u16(0)?;
        let sn_flags = header.u16(2)?;
        let sn_length = header.u32(4)?;
        let len = usize::try_from(sn_length).unwrap_or(usize::MAX);
        if len > buf.len() {
            return Err(NotificationError::Truncated {
                needed: len,
                available: buf.len(),
            });
        }
        let min = min_len(sn_type);
        let bad_length = NotificationError::BadLength {
            sn_type,
            sn_length,
            min,
        };
        if len < min {
            return Err(bad_length);
        }
        // From here on every read is within `f.buf`, which is exactly `sn_length` bytes; the
        // reads still go through the checked accessors.
        let f = Fields { buf: &buf[..len] };
        let n = match sn_type {
            ASSOC_CHANGE => Notification::AssocChange(AssocChange {
                state: AssocChangeState::from_raw(f.u16(8)?),
                error: f.u16(10)?,
                outbound_streams: f.u16(12)?,
                inbound_streams: f.u16(14)?,
                assoc_id: f.i32(16)?,
                info: tail(ASSOC_CHANGE_LEN..len),
            }),
            PEER_ADDR_CHANGE => {
                let storage = &f.buf[PADDR_ADDR_OFFSET..PADDR_ADDR_OFFSET + SOCKADDR_STORAGE_LEN];
                let (addr, _) = linux_sctp_sys::addr::socket_addr_from_bytes(storage)
                    .map_err(NotificationError::BadAddress)?;
                Notification::PeerAddrChange(PeerAddrChange {
                    addr,
                    state: PeerAddrState::from_raw(f.i32(136)?),
                    error: f.i32(140)?,
                    assoc_id: f.i32(144)?,
                })
            }
            SEND_FAILED => Notification::SendFailed(SendFailed {
                state: SendFailedState::from_raw(sn_flags),
                error: f.u32(8)?,
                // ssf_info: struct sctp_sndrcvinfo at offset 12.
                stream: f.u16(12)?,
                chunk_flags: DataChunkFlags(f.u16(16)?),
                ppid: u32::from_be(f.u32(20)?),
                context: f.u32(24)?,
                assoc_id: f.i32(44)?,
                data: tail(SEND_FAILED_LEN..len),
            }),
            SEND_FAILED_EVENT => Notification::SendFailedEvent(SendFailed {
                state: SendFailedState::from_raw(sn_flags),
                error: f.u32(8)?,
                // ssfe_info: struct sctp_sndinfo at offset 12.
                stream: f.u16(12)?,
                chunk_flags: DataChunkFlags(f.u16(14)?),
                ppid: u32::from_be(f.u32(16)?),
                context: f.u32(20)?,
                assoc_id: f.i32(28)?,
                data: tail(SEND_FAILED_EVENT_LEN..len),
            }),
            REMOTE_ERROR => Notification::RemoteError(RemoteError {
                cause: u16::from_be_bytes(f.array(8)?),
                assoc_id: f.i32(12)?,
                data: tail(REMOTE_ERROR_LEN..len),
            }),
            SHUTDOWN_EVENT => Notification::Shutdown(Shutdown {
                assoc_id: f.i32(8)?,
            }),
            PARTIAL_DELIVERY_EVENT => {
                let full = len >= PDAPI_LEN;
                Notification::PartialDelivery(PartialDelivery {
                    indication: PartialDeliveryIndication::from_raw(f.u32(8)?),
                    assoc_id: f.i32(12)?,
                    stream: if full { Some(f.u32(16)?) } else { None },
                    seq: if full { Some(f.u32(20)?) } else { None },
                })
            }
            ADAPTATION_INDICATION => Notification::AdaptationIndication(AdaptationIndication {
                indication: f.u32(8)?,
                assoc_id: f.i32(12)?,
            }),
            AUTHENTICATION_EVENT => Notification::Authentication(Authentication {
                keynumber: f.u16(8)?,
                indication: AuthIndication::from_raw(f.u32(12)?),
                assoc_id: f.i32(16)?,
            }),
            SENDER_DRY_EVENT => Notification::SenderDry(SenderDry {
                assoc_id: f.i32(8)?,
            }),
            STREAM_RESET_EVENT => {
                let list = &f.buf[STREAM_RESET_LEN..];
                if list.len() % 2 != 0 {
                    return Err(bad_length);
                }
                Notification::StreamReset(StreamReset {
                    flags: ReconfFlags(sn_flags),
                    assoc_id: f.i32(8)?,
                    streams: list
                        .chunks_exact(2)
                        .map(|c| u16::from_ne_bytes([c[0], c[1]]))
                        .collect(),
                })
            }
            ASSOC_RESET_EVENT => Notification::AssocReset(AssocReset {
                flags: ReconfFlags(sn_flags),
                assoc_id: f.i32(8)?,
                local_tsn: f.u32(12)?,
                remote_tsn: f.u32(16)?,
            }),
            STREAM_CHANGE_EVENT => Notification::StreamChange(StreamChange {
                flags: ReconfFlags(sn_flags),
                assoc_id: f.i32(8)?,
                inbound_streams: f.u16(12)?,
                outbound_streams: f.u16(14)?,
            }),
            _ => Notification::Unknown {
                sn_type,
                sn_flags,
                bytes: tail(0..len),
            },
        };
        Ok(n)
    }

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

/// A kind of event a socket can subscribe to (`enum sctp_sn_type`, used with the `SCTP_EVENT`
/// socket option).
///
/// All but [`DataIo`](Self::DataIo) turn on one [`Notification`] type. Nothing is subscribed on
/// a new kernel socket, and events nobody subscribed to are dropped by the kernel, not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EventType {
    /// `SCTP_DATA_IO_EVENT` (0x8000): not a notification. Turns on the `SCTP_SNDRCV` control
    /// message on received data (this crate uses `SCTP_RCVINFO` instead).
    #[doc(alias = "SCTP_DATA_IO_EVENT")]
    DataIo,
    /// `SCTP_ASSOC_CHANGE` (0x8001) → [`Notification::AssocChange`].
    #[doc(alias = "SCTP_ASSOC_CHANGE")]
    AssocChange,
    /// `SCTP_PEER_ADDR_CHANGE` (0x8002) → [`Notification::PeerAddrChange`].
    #[doc(alias = "SCTP_PEER_ADDR_CHANGE")]
    PeerAddrChange,
    /// `SCTP_SEND_FAILED` (0x8003) → [`Notification::SendFailed`] (deprecated form).
    #[doc(alias = "SCTP_SEND_FAILED")]
    SendFailed,
    /// `SCTP_REMOTE_ERROR` (0x8004) → [`Notification::RemoteError`].
    #[doc(alias = "SCTP_REMOTE_ERROR")]
    RemoteError,
    /// `SCTP_SHUTDOWN_EVENT` (0x8005) → [`Notification::Shutdown`].
    #[doc(alias = "SCTP_SHUTDOWN_EVENT")]
    Shutdown,
    /// `SCTP_PARTIAL_DELIVERY_EVENT` (0x8006) → [`Notification::PartialDelivery`].
    #[doc(alias = "SCTP_PARTIAL_DELIVERY_EVENT")]
    PartialDelivery,
    /// `SCTP_ADAPTATION_INDICATION` (0x8007) → [`Notification::AdaptationIndication`].
    #[doc(alias = "SCTP_ADAPTATION_INDICATION")]
    AdaptationIndication,
    /// `SCTP_AUTHENTICATION_EVENT` (0x8008) → [`Notification::Authentication`].
    #[doc(alias = "SCTP_AUTHENTICATION_EVENT")]
    Authentication,
    /// `SCTP_SENDER_DRY_EVENT` (0x8009) → [`Notification::SenderDry`]. Subscribing queues one
    /// immediately if nothing is outstanding.
    #[doc(alias = "SCTP_SENDER_DRY_EVENT")]
    SenderDry,
    /// `SCTP_STREAM_RESET_EVENT` (0x800a) → [`Notification::StreamReset`] (Linux 4.11+).
    #[doc(alias = "SCTP_STREAM_RESET_EVENT")]
    StreamReset,
    /// `SCTP_ASSOC_RESET_EVENT` (0x800b) → [`Notification::AssocReset`] (Linux 4.12+).
    #[doc(alias = "SCTP_ASSOC_RESET_EVENT")]
    AssocReset,
    /// `SCTP_STREAM_CHANGE_EVENT` (0x800c) → [`Notification::StreamChange`] (Linux 4.12+).
    #[doc(alias = "SCTP_STREAM_CHANGE_EVENT")]
    StreamChange,
    /// `SCTP_SEND_FAILED_EVENT` (0x800d) → [`Notification::SendFailedEvent`] (Linux 5.5+;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV4, SocketAddrV6};

    /// Builds a notification: header (type, flags, total length) + body.
    fn notif(sn_type: u16, sn_flags: u16, body: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&sn_type.to_ne_bytes());
        b.extend_from_slice(&sn_flags.to_ne_bytes());
        b.extend_from_slice(&((HEADER_LEN + body.len()) as u32).to_ne_bytes());
        b.extend_from_slice(body);
        b
    }

    #[derive(Default)]
    struct Body(Vec<u8>);
    impl Body {
        fn u16(mut self, v: u16) -> Self {
            self.0.extend_from_slice(&v.to_ne_bytes());
            self
        }
        fn u32(mut self, v: u32) -> Self {
            self.0.extend_from_slice(&v.to_ne_bytes());
            self
        }
        fn i32(mut self, v: i32) -> Self {
            self.0.extend_from_slice(&v.to_ne_bytes());
            self
        }
        fn raw(mut self, v: &[u8]) -> Self {
            self.0.extend_from_slice(v);
            self
        }
    }

    fn sockaddr_storage_v4(ip: [u8; 4], port: u16) -> [u8; 128] {
        let mut s = [0u8; 128];
        s[0..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
        s[2..4].copy_from_slice(&port.to_be_bytes());
        s[4..8].copy_from_slice(&ip);
        s
    }

    fn sockaddr_storage_v6(ip: Ipv6Addr, port: u16, scope: u32) -> [u8; 128] {
        let mut s = [0u8; 128];
        s[0..2].copy_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
        s[2..4].copy_from_slice(&port.to_be_bytes());
        s[8..24].copy_from_slice(&ip.octets());
        s[24..28].copy_from_slice(&scope.to_ne_bytes());
        s
    }

    fn comm_lost_with(error: u16, info: &[u8]) -> AssocChange {
        AssocChange {
            state: AssocChangeState::CommLost,
            error,
            outbound_streams: 0,
            inbound_streams: 0,
            assoc_id: 3,
            info: Bytes::copy_from_slice(info),
        }
    }

    #[test]
    fn abort_cause_reads_the_first_cause_of_the_abort_body() {
        // What Linux delivers for a peer's User-Initiated Abort: sac_error holds the cause
        // code in network order (3072 on little-endian), sac_info the causes.
        let (bytes, _) = &samples()[0];
        let Notification::AssocChange(c) = Notification::parse(bytes).unwrap() else {
            panic!("not an ASSOC_CHANGE");
        };
        assert_eq!(c.abort_cause(), Some(12));
        assert_eq!(c.error.to_ne_bytes(), [0x00, 0x0c]);
        // Two causes: the first counts (Invalid Stream Identifier, then User-Initiated).
        let two = [0, 1, 0, 8, 0, 7, 0, 0, 0, 12, 0, 4];
        assert_eq!(comm_lost_with(0x0100, &two).abort_cause(), Some(1));
        // No ABORT body: a retransmission failure or an ABORT without causes.
        assert_eq!(comm_lost_with(0, &[]).abort_cause(), None);
        // INIT attempts ran out: an errno in sac_error, no body.
        assert_eq!(comm_lost_with(110, &[]).abort_cause(), None);
        // Shorter than a cause header, or a cause length below its own header: no cause.
        assert_eq!(comm_lost_with(0, &[0, 12, 0]).abort_cause(), None);
        assert_eq!(comm_lost_with(0, &[0, 12, 0, 3]).abort_cause(), None);
        // The cause length may run past the copy; the code is still the code.
        assert_eq!(comm_lost_with(0, &[0, 13, 0, 40]).abort_cause(), Some(13));
    }

    /// One valid sample of every kind, with the expected parse.
    fn samples() -> Vec<(Vec<u8>, Notification)> {
        let mut v = Vec::new();

        let abort_cause = [0x00, 0x0c, 0x00, 0x06, b'h', b'i', 0, 0];
        v.push((
            notif(
                ASSOC_CHANGE,
                0,
                &Body::default()
                    .u16(1)
                    // sac_error: the ABORT's cause code, copied unconverted (network order).
                    .raw(&[0x00, 0x0c])
                    .u16(0)
                    .u16(0)
                    .i32(42)
                    .raw(&abort_cause)
                    .0,
            ),
            Notification::AssocChange(AssocChange {
                state: AssocChangeState::CommLost,
                error: u16::from_ne_bytes([0x00, 0x0c]),
                outbound_streams: 0,
                inbound_streams: 0,
                assoc_id: 42,
                info: Bytes::copy_from_slice(&abort_cause),
            }),
        ));

        v.push((
            notif(
                PEER_ADDR_CHANGE,
                0,
                &Body::default()
                    .raw(&sockaddr_storage_v4([127, 0, 0, 2], 36412))
                    .i32(1)
                    .i32(0)
                    .i32(9)
                    .0,
            ),
            Notification::PeerAddrChange(PeerAddrChange {
                addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 2), 36412)),
                state: PeerAddrState::Unreachable,
                error: 0,
                assoc_id: 9,
            }),
        ));

        let mapped = Ipv4Addr::new(10, 1, 2, 3).to_ipv6_mapped();
        v.push((
            notif(
                PEER_ADDR_CHANGE,
                0,
                &Body::default()
                    .raw(&sockaddr_storage_v6(mapped, 3868, 0))
                    .i32(6)
                    .i32(2)
                    .i32(10)
                    .0,
            ),
            Notification::PeerAddrChange(PeerAddrChange {
                addr: SocketAddr::V6(SocketAddrV6::new(mapped, 3868, 0, 0)),
                state: PeerAddrState::PotentiallyFailed,
                error: 2,
                assoc_id: 10,
            }),
        ));

        // Legacy SEND_FAILED: ssf_error, sctp_sndrcvinfo, ssf_assoc_id, data.
        v.push((
            notif(
                SEND_FAILED,
                1,
                &Body::default()
                    .u32(0x1234)
                    .u16(3) // sinfo_stream
                    .u16(0) // sinfo_ssn
                    .u16(0x03) // sinfo_flags: B|E
                    .u16(0) // pad
                    .u32(46u32.to_be()) // sinfo_ppid (network order)
                    .u32(77) // sinfo_context
                    .u32(0) // timetolive
                    .u32(0) // tsn
                    .u32(0) // cumtsn
                    .i32(5) // sinfo_assoc_id
                    .i32(5) // ssf_assoc_id
                    .raw(b"lost")
                    .0,
            ),
            Notification::SendFailed(SendFailed {
                state: SendFailedState::Sent,
                error: 0x1234,
                stream: 3,
                chunk_flags: DataChunkFlags(0x03),
                ppid: 46,
                context: 77,
                assoc_id: 5,
                data: Bytes::from_static(b"lost"),
            }),
        ));

        // SEND_FAILED_EVENT: ssf_error, sctp_sndinfo, ssf_assoc_id, data.
        v.push((
            notif(
                SEND_FAILED_EVENT,
                0,
                &Body::default()
                    .u32(7)
                    .u16(9) // snd_sid
                    .u16(0x06) // snd_flags: B|U
                    .u32(3u32.to_be()) // snd_ppid
                    .u32(1) // snd_context
                    .i32(0) // snd_assoc_id
                    .i32(11) // ssf_assoc_id
                    .raw(&[1, 2, 3])
                    .0,
            ),
            Notification::SendFailedEvent(SendFailed {
                state: SendFailedState::Unsent,
                error: 7,
                stream: 9,
                chunk_flags: DataChunkFlags(0x06),
                ppid: 3,
                context: 1,
                assoc_id: 11,
                data: Bytes::from_static(&[1, 2, 3]),
            }),
        ));

        v.push((
            notif(
                REMOTE_ERROR,
                0,
                &Body::default()
                    .raw(&0x000du16.to_be_bytes())
                    .u16(0)
                    .i32(12)
                    .raw(b"cause")
                    .0,
            ),
            Notification::RemoteError(RemoteError {
                cause: 0x000d,
                assoc_id: 12,
                data: Bytes::from_static(b"cause"),
            }),
        ));

        v.push((
            notif(SHUTDOWN_EVENT, 0, &Body::default().i32(13).0),
            Notification::Shutdown(Shutdown { assoc_id: 13 }),
        ));

        v.push((
            notif(
                PARTIAL_DELIVERY_EVENT,
                0,
                &Body::default().u32(0).i32(14).u32(4).u32(99).0,
            ),
            Notification::PartialDelivery(PartialDelivery {
                indication: PartialDeliveryIndication::Aborted,
                assoc_id: 14,
                stream: Some(4),
                seq: Some(99),
            }),
        ));

        // Pre-4.16 layout: no stream/seq.
        v.push((
            notif(PARTIAL_DELIVERY_EVENT, 0, &Body::default().u32(0).i32(15).0),
            Notification::PartialDelivery(PartialDelivery {
                indication: PartialDeliveryIndication::Aborted,
                assoc_id: 15,
                stream: None,
                seq: None,
            }),
        ));

        v.push((
            notif(
                ADAPTATION_INDICATION,
                0,
                &Body::default().u32(0xdead_beef).i32(16).0,
            ),
            Notification::AdaptationIndication(AdaptationIndication {
                indication: 0xdead_beef,
                assoc_id: 16,
            }),
        ));

        v.push((
            notif(
                AUTHENTICATION_EVENT,
                0,
                &Body::default().u16(0).u16(0).u32(2).i32(17).0,
            ),
            Notification::Authentication(Authentication {
                keynumber: 0,
                indication: AuthIndication::NoAuth,
                assoc_id: 17,
            }),
        ));

        v.push((
            notif(
                AUTHENTICATION_EVENT,
                0,
                &Body::default().u16(5).u16(0).u32(1).i32(17).0,
            ),
            Notification::Authentication(Authentication {
                keynumber: 5,
                indication: AuthIndication::FreeKey,
                assoc_id: 17,
            }),
        ));

        v.push((
            notif(SENDER_DRY_EVENT, 0, &Body::default().i32(18).0),
            Notification::SenderDry(SenderDry { assoc_id: 18 }),
        ));

        v.push((
            notif(
                STREAM_RESET_EVENT,
                ReconfFlags::OUTGOING_SSN,
                &Body::default().i32(19).u16(1).u16(7).u16(300).0,
            ),
            Notification::StreamReset(StreamReset {
                flags: ReconfFlags(ReconfFlags::OUTGOING_SSN),
                assoc_id: 19,
                streams: vec![1, 7, 300],
            }),
        ));

        v.push((
            notif(
                ASSOC_RESET_EVENT,
                ReconfFlags::DENIED,
                &Body::default().i32(20).u32(1000).u32(2000).0,
            ),
            Notification::AssocReset(AssocReset {
                flags: ReconfFlags(ReconfFlags::DENIED),
                assoc_id: 20,
                local_tsn: 1000,
                remote_tsn: 2000,
            }),
        ));

        v.push((
            notif(
                STREAM_CHANGE_EVENT,
                0,
                &Body::default().i32(21).u16(10).u16(20).0,
            ),
            Notification::StreamChange(StreamChange {
                flags: ReconfFlags(0),
                assoc_id: 21,
                inbound_streams: 10,
                outbound_streams: 20,
            }),
        ));

        let unknown = notif(0x8042, 3, &[9, 9, 9, 9]);
        v.push((
            unknown.clone(),
            Notification::Unknown {
                sn_type: 0x8042,
                sn_flags: 3,
                bytes: Bytes::from(unknown),
            },
        ));

        v
    }

    #[test]
    fn parses_every_type() {
        let samples = samples();
        // Every known sn_type is covered.
        for ty in EventType::ALL.into_iter().skip(1) {
            assert!(
                samples.iter().any(|(_, n)| n.event_type() == Some(ty)),
                "no sample for {ty:?}"
            );
        }
        for (bytes, expected) in &samples {
            assert_eq!(&Notification::parse(bytes).unwrap(), expected);
            let shared = Bytes::copy_from_slice(bytes);
            assert_eq!(&Notification::parse_bytes(&shared).unwrap(), expected);
            assert_eq!(expected.sn_type(), u16::from_ne_bytes([bytes[0], bytes[1]]));
        }
    }

    #[test]
    fn kernel_constants_match() {
        assert_eq!(ASSOC_CHANGE, 0x8001);
        assert_eq!(SEND_FAILED_EVENT, 0x800d);
        for (i, e) in EventType::ALL.into_iter().enumerate() {
            assert_eq!(e.to_raw(), 0x8000 + i as u16);
            assert_eq!(EventType::from_raw(e.to_raw()), Some(e));
            assert_eq!(e.index(), i);
        }
        assert_eq!(EventType::from_raw(0x7fff), None);
        assert_eq!(EventType::from_raw(0x800e), None);
        assert_eq!(EventType::from_raw(0), None);
        assert_eq!(
            AssocChangeState::from_raw(linux_sctp_sys::SCTP_CANT_STR_ASSOC),
            AssocChangeState::CantStartAssoc
        );
        assert_eq!(
            PeerAddrState::from_raw(linux_sctp_sys::SCTP_ADDR_POTENTIALLY_FAILED),
            PeerAddrState::PotentiallyFailed
        );
    }

    #[test]
    fn accessors() {
        for (_, n) in samples() {
            match &n {
                Notification::Unknown { .. } => {
                    assert_eq!(n.assoc_id(), None);
                    assert_eq!(n.event_type(), None);
                }
                _ => assert!(n.assoc_id().is_some()),
            }
        }
        let (bytes, _) = &samples()[0];
        let n = Notification::parse(bytes).unwrap();
        assert_eq!(n.assoc_id(), Some(42));
        assert!(n.is_association_end());
        assert!(AssocChangeState::ShutdownComplete.is_terminal());
        assert!(!AssocChangeState::Restart.is_terminal());
        for raw in 0..8 {
            assert_eq!(AssocChangeState::from_raw(raw).to_raw(), raw);
            assert_eq!(
                PeerAddrState::from_raw(i32::from(raw)).to_raw(),
                i32::from(raw)
            );
            assert_eq!(SendFailedState::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(
            AddrChangeCause::from_raw(2),
            AddrChangeCause::HeartbeatSuccess
        );
        assert_eq!(AddrChangeCause::from_raw(99), AddrChangeCause::Unknown(99));
        let flags = DataChunkFlags(0x03);
        assert!(flags.is_complete_message() && !flags.is_unordered());
        assert!(ReconfFlags(0x0c).is_denied() && ReconfFlags(0x0c).is_failed());
    }

    #[test]
    fn every_truncation_is_an_error() {
        for (bytes, _) in samples() {
            for cut in 0..bytes.len() {
                let err = Notification::parse(&bytes[..cut]).unwrap_err();
                assert!(
                    matches!(err, NotificationError::Truncated { available, .. } if available == cut),
                    "cut {cut} of {bytes:?}: {err:?}"
                );
            }
        }
    }

    #[test]
    fn short_sn_length_is_an_error() {
        for (bytes, n) in samples() {
            if matches!(n, Notification::Unknown { .. }) {
                continue;
            }
            let sn_type = n.sn_type();
            let min = min_len(sn_type);
            assert!(min <= bytes.len());
            for sn_length in 0..min as u32 {
                let mut b = bytes.clone();
                b[4..8].copy_from_slice(&sn_length.to_ne_bytes());
                let err = Notification::parse(&b).unwrap_err();
                assert_eq!(
                    err,
                    NotificationError::BadLength {
                        sn_type,
                        sn_length,
                        min
                    }
                );
            }
        }
    }

    #[test]
    fn trailing_bytes_after_sn_length_are_ignored() {
        for (bytes, expected) in samples() {
            let mut b = bytes.clone();
            b.extend_from_slice(&[0xee; 5]);
            let got = Notification::parse(&b).unwrap();
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn odd_stream_list_and_bad_family() {
        let b = notif(
            STREAM_RESET_EVENT,
            0,
            &Body::default().i32(1).raw(&[1, 0, 2]).0,
        );
        assert!(matches!(
            Notification::parse(&b),
            Err(NotificationError::BadLength {
                sn_type: STREAM_RESET_EVENT,
                ..
            })
        ));
        let mut storage = [0u8; 128];
        storage[0..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
        let b = notif(
            PEER_ADDR_CHANGE,
            0,
            &Body::default().raw(&storage).i32(0).i32(0).i32(1).0,
        );
        assert_eq!(
            Notification::parse(&b),
            Err(NotificationError::BadAddress(
                linux_sctp_sys::addr::AddrError::UnsupportedFamily(libc::AF_UNIX as u16)
            ))
        );
    }

    #[test]
    fn huge_sn_length_is_truncated_not_a_panic() {
        let mut b = notif(SHUTDOWN_EVENT, 0, &Body::default().i32(1).0);
        b[4..8].copy_from_slice(&u32::MAX.to_ne_bytes());
        assert!(matches!(
            Notification::parse(&b),
            Err(NotificationError::Truncated { available: 12, .. })
        ));
    }

    /// xorshift64*: deterministic pseudo-random bytes without a dependency.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut ok = 0;
        for i in 0..20_000 {
            let len = (rng.next() % 200) as usize;
            let mut b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            // Make most inputs get past the header checks so the per-type code runs.
            if len >= 8 && i % 4 != 0 {
                let ty = 0x8000 + (rng.next() % 15) as u16;
                b[0..2].copy_from_slice(&ty.to_ne_bytes());
                let sn_len = (rng.next() % (len as u64 + 1)) as u32;
                b[4..8].copy_from_slice(&sn_len.to_ne_bytes());
                if ty == PEER_ADDR_CHANGE && len >= 10 && i % 3 == 0 {
                    let fam = if i % 2 == 0 {
                        libc::AF_INET
                    } else {
                        libc::AF_INET6
                    };
                    b[8..10].copy_from_slice(&(fam as u16).to_ne_bytes());
                }
            }
            if Notification::parse(&b).is_ok() {
                ok += 1;
            }
        }
        // The generator must reach the typed parsers, not only the error paths.
        assert!(ok > 1000, "only {ok} random inputs parsed");
    }

    #[test]
    fn subscriptions() {
        let d = Subscriptions::default();
        let got: Vec<_> = d.iter().collect();
        assert_eq!(
            got,
            [
                EventType::AssocChange,
                EventType::PeerAddrChange,
                EventType::RemoteError,
                EventType::Shutdown,
                EventType::SendFailedEvent
            ]
        );
        assert!(!d.contains(EventType::SenderDry));
        assert_eq!(d.sctp_events_len(), 14);
        let legacy = d.with_legacy_send_failed();
        assert!(legacy.contains(EventType::SendFailed));
        assert!(!legacy.contains(EventType::SendFailedEvent));
        assert_eq!(legacy.sctp_events_len(), 6);
        assert_eq!(Subscriptions::empty().sctp_events_len(), 1);
        assert_eq!(Subscriptions::all().iter().count(), 14);
        assert!(Subscriptions::empty().is_empty());

        let s: Subscriptions = [EventType::DataIo, EventType::SenderDry]
            .into_iter()
            .collect();
        let es = s.to_sctp_event_subscribe();
        assert_eq!(es.sctp_data_io_event, 1);
        assert_eq!(es.sctp_sender_dry_event, 1);
        assert_eq!(es.sctp_association_event, 0);
        assert_eq!(s.sctp_events_len(), 10);
        let mut s2 = s;
        s2.remove(EventType::SenderDry);
        s2.extend([EventType::Shutdown]);
        assert_eq!(
            s2.iter().collect::<Vec<_>>(),
            [EventType::DataIo, EventType::Shutdown]
        );

        let ev = EventType::StreamReset.to_sctp_event(7, true);
        assert_eq!((ev.se_assoc_id, ev.se_type, ev.se_on), (7, 0x800a, 1));
    }
}
