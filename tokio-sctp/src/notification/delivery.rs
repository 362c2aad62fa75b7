//! Delivery events: a message could not be sent ([`SendFailed`], [`SendFailedState`],
//! [`DataChunkFlags`]), the peer reported an error ([`RemoteError`]), a partial delivery was
//! aborted ([`PartialDelivery`], [`PartialDeliveryIndication`]).

use bytes::Bytes;
use linux_sctp_sys::sctp_assoc_t;

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
