//! PR-SCTP (RFC 3758): the default partial-reliability policy of sends, the abandoned-message
//! counters ([`PrStatus`], by [`PrStatusPolicy`]) and whether PR-SCTP is advertised. The
//! per-message policy itself is [`PrPolicy`] of [`crate::message`].

use linux_sctp_sys::{sctp_default_prinfo, sctp_prstatus};

use super::table::{bad_data, socket_options, FromC, IntoC, Request};
use crate::error::Result;
use crate::message::PrPolicy;

/// Which PR-SCTP policy [`SocketOptions::pr_assoc_status`](super::SocketOptions::pr_assoc_status)
/// counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrStatusPolicy {
    /// `SCTP_PR_SCTP_TTL`.
    Ttl,
    /// `SCTP_PR_SCTP_RTX`.
    Rtx,
    /// `SCTP_PR_SCTP_PRIO`.
    Prio,
    /// `SCTP_PR_SCTP_ALL`: the sum over all policies.
    All,
}

impl PrStatusPolicy {
    fn to_raw(self) -> u16 {
        match self {
            Self::Ttl => linux_sctp_sys::SCTP_PR_SCTP_TTL,
            Self::Rtx => linux_sctp_sys::SCTP_PR_SCTP_RTX,
            Self::Prio => linux_sctp_sys::SCTP_PR_SCTP_PRIO,
            Self::All => linux_sctp_sys::SCTP_PR_SCTP_ALL,
        }
    }
}

/// Abandoned-message counters (`struct sctp_prstatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PrStatus {
    /// Messages abandoned before they were sent.
    pub abandoned_unsent: u64,
    /// Messages abandoned after they were sent at least once.
    pub abandoned_sent: u64,
}

impl Request<sctp_prstatus> for (PrStatusPolicy,) {
    fn request(self, p: &mut sctp_prstatus) -> Result<()> {
        (0, self.0).request(p)
    }
}

impl Request<sctp_prstatus> for (u16, PrStatusPolicy) {
    fn request(self, p: &mut sctp_prstatus) -> Result<()> {
        p.sprstat_sid = self.0;
        p.sprstat_policy = self.1.to_raw();
        Ok(())
    }
}

impl FromC<sctp_prstatus> for PrStatus {
    fn from_c(p: &sctp_prstatus) -> Result<Self> {
        Ok(PrStatus {
            abandoned_unsent: p.sprstat_abandoned_unsent,
            abandoned_sent: p.sprstat_abandoned_sent,
        })
    }
}

impl FromC<sctp_default_prinfo> for PrPolicy {
    fn from_c(p: &sctp_default_prinfo) -> Result<Self> {
        PrPolicy::from_raw(p.pr_policy, p.pr_value)
            .ok_or_else(|| bad_data(format!("unknown PR-SCTP policy {:#x}", p.pr_policy)))
    }
}

impl IntoC<sctp_default_prinfo> for PrPolicy {
    fn into_c(self, p: &mut sctp_default_prinfo) -> Result<()> {
        p.pr_policy = self.policy();
        p.pr_value = self.value();
        Ok(())
    }
}

socket_options! {
    "SCTP_PR_ASSOC_STATUS" SCTP_PR_ASSOC_STATUS: assoc since "4.8" {
        /// Abandoned-message counters of the association for `policy`.
        get pr_assoc_status(policy: PrStatusPolicy) -> PrStatus {
            /// `EINVAL` if there is no such association.
        }
    }

    "SCTP_PR_STREAM_STATUS" SCTP_PR_STREAM_STATUS: assoc since "4.12" {
        /// Abandoned-message counters of outgoing stream `stream` for `policy`.
        get pr_stream_status(stream: u16, policy: PrStatusPolicy) -> PrStatus {
            /// `EINVAL` if there is no such association or stream.
        }
    }

    "SCTP_DEFAULT_PRINFO" SCTP_DEFAULT_PRINFO: assoc since "4.8" {
        /// The default partial-reliability policy of sends.
        #[doc(alias = "sctp_default_prinfo")]
        get default_prinfo() -> PrPolicy {
            /// `EINVAL` for an unknown association; `InvalidData` for a policy this crate does
            /// not know.
        }
        /// Sets the default partial-reliability policy of sends. Accepts
        /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_default_prinfo(policy: PrPolicy) {
            /// `EINVAL` for an unknown association.
        }
    }

    "SCTP_PR_SUPPORTED" SCTP_PR_SUPPORTED: assoc since "4.8" {
        /// PR-SCTP: with an association, whether the peer supports it; otherwise whether we
        /// advertise it.
        get pr_supported() -> bool {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Advertises PR-SCTP in future associations (default: sysctl `prsctp_enable`, on).
        set set_pr_supported(on: bool) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }
}
