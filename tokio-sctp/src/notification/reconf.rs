//! Stream reconfiguration events (RFC 6525): streams reset ([`StreamReset`]), the
//! association reset ([`AssocReset`]), streams added ([`StreamChange`]), and their
//! [`ReconfFlags`].

use linux_sctp_sys::sctp_assoc_t;

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
