//! Association events: an association came up, ended or restarted ([`AssocChange`],
//! [`AssocChangeState`]), the peer started a shutdown ([`Shutdown`]), nothing is left to send
//! ([`SenderDry`]), and the peer's adaptation layer indication ([`AdaptationIndication`]).

use bytes::Bytes;
use linux_sctp_sys::sctp_assoc_t;

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

/// `SCTP_SHUTDOWN_EVENT` (`struct sctp_shutdown_event`): the peer started a graceful shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Shutdown {
    /// The association (`sse_assoc_id`).
    pub assoc_id: sctp_assoc_t,
}

/// `SCTP_SENDER_DRY_EVENT` (`struct sctp_sender_dry_event`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SenderDry {
    /// The association (`sender_dry_assoc_id`).
    pub assoc_id: sctp_assoc_t,
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
