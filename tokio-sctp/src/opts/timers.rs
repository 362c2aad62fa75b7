//! Timers and retransmission: RTO bounds ([`RtoInfo`]), association parameters
//! ([`AssocInfo`]: maximum retransmissions, cookie life), delayed SACK ([`DelayedSack`]) and
//! autoclose.

use std::time::Duration;

use libc::c_int;
use linux_sctp_sys::{sctp_assocparams, sctp_rtoinfo, sctp_sack_info};

use super::table::{invalid, ms_u32, socket_options, FromC, IntoC};
use crate::error::Result;
use crate::millis::{from_millis, to_secs};

/// Retransmission timeout bounds (`struct sctp_rtoinfo`), for
/// [`SocketOptions::rto_info`](super::SocketOptions::rto_info).
///
/// On set, a zero duration leaves that bound unchanged; a minimum above the maximum gives
/// `EINVAL`. Durations are counted in whole milliseconds (rounded up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RtoInfo {
    /// Initial RTO (`srto_initial`; sysctl default 3 s).
    pub initial: Duration,
    /// Maximum RTO (`srto_max`; default 60 s).
    pub max: Duration,
    /// Minimum RTO (`srto_min`; default 1 s).
    pub min: Duration,
}

/// Association parameters (`struct sctp_assocparams`), for
/// [`SocketOptions::assoc_info`](super::SocketOptions::assoc_info).
///
/// On set only [`max_retransmissions`](Self::max_retransmissions) and
/// [`cookie_life`](Self::cookie_life) are written (0 leaves them unchanged); the others are
/// read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AssocInfo {
    /// Retransmissions before the association is given up (`sasoc_asocmaxrxt`; sysctl
    /// default 10). Above the sum of the paths' maximums (with several paths) is `EINVAL`.
    pub max_retransmissions: u16,
    /// Number of peer addresses (read only).
    pub peer_destinations: u16,
    /// The peer's receive window, in bytes (read only).
    pub peer_rwnd: u32,
    /// Our receive window, in bytes (read only).
    pub local_rwnd: u32,
    /// Lifetime of the state cookie we hand out (`sasoc_cookie_life`; default 60 s).
    pub cookie_life: Duration,
}

/// Delayed-SACK settings (`struct sctp_sack_info`), for
/// [`SocketOptions::delayed_sack`](super::SocketOptions::delayed_sack).
///
/// Reading gives `frequency == 1` and a zero delay when delayed SACK is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DelayedSack {
    /// Delay before a SACK is sent (at most 500 ms; 0 on set leaves it unchanged).
    pub delay: Duration,
    /// Packets received before a SACK is sent anyway: 1 turns delayed SACK off, 0 on set
    /// leaves it unchanged (default 2).
    pub frequency: u32,
}

impl FromC<sctp_rtoinfo> for RtoInfo {
    fn from_c(r: &sctp_rtoinfo) -> Result<Self> {
        Ok(RtoInfo {
            initial: from_millis(r.srto_initial),
            max: from_millis(r.srto_max),
            min: from_millis(r.srto_min),
        })
    }
}

impl IntoC<sctp_rtoinfo> for &RtoInfo {
    fn into_c(self, r: &mut sctp_rtoinfo) -> Result<()> {
        r.srto_initial = ms_u32(self.initial, "initial RTO too large")?;
        r.srto_max = ms_u32(self.max, "maximum RTO too large")?;
        r.srto_min = ms_u32(self.min, "minimum RTO too large")?;
        Ok(())
    }
}

impl FromC<sctp_assocparams> for AssocInfo {
    fn from_c(a: &sctp_assocparams) -> Result<Self> {
        Ok(AssocInfo {
            max_retransmissions: a.sasoc_asocmaxrxt,
            peer_destinations: a.sasoc_number_peer_destinations,
            peer_rwnd: a.sasoc_peer_rwnd,
            local_rwnd: a.sasoc_local_rwnd,
            cookie_life: from_millis(a.sasoc_cookie_life),
        })
    }
}

impl IntoC<sctp_assocparams> for &AssocInfo {
    fn into_c(self, a: &mut sctp_assocparams) -> Result<()> {
        a.sasoc_asocmaxrxt = self.max_retransmissions;
        a.sasoc_cookie_life = ms_u32(self.cookie_life, "cookie life too large")?;
        Ok(())
    }
}

impl FromC<sctp_sack_info> for DelayedSack {
    fn from_c(s: &sctp_sack_info) -> Result<Self> {
        Ok(DelayedSack {
            delay: from_millis(s.sack_delay),
            frequency: s.sack_freq,
        })
    }
}

impl IntoC<sctp_sack_info> for &DelayedSack {
    fn into_c(self, s: &mut sctp_sack_info) -> Result<()> {
        s.sack_delay = ms_u32(self.delay, "SACK delay too large")?;
        s.sack_freq = self.frequency;
        Ok(())
    }
}

/// `SCTP_AUTOCLOSE`: whole seconds in an `int`, 0 for never.
impl FromC<c_int> for Option<Duration> {
    fn from_c(secs: &c_int) -> Result<Self> {
        Ok((*secs > 0).then(|| Duration::from_secs(*secs as u64)))
    }
}

impl IntoC<c_int> for Option<Duration> {
    fn into_c(self, c: &mut c_int) -> Result<()> {
        let secs = self.map_or(0, to_secs);
        *c = c_int::try_from(secs).map_err(|_| invalid("autoclose too large"))?;
        Ok(())
    }
}

socket_options! {
    "SCTP_RTOINFO" SCTP_RTOINFO: assoc {
        /// Retransmission timeout bounds.
        #[doc(alias = "sctp_rtoinfo")]
        get rto_info() -> RtoInfo {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the retransmission timeout bounds; zero durations leave a bound unchanged.
        set set_rto_info(rto: &RtoInfo) {
            /// `EINVAL` if the minimum ends up above the maximum or the initial value outside
            /// them; `InvalidInput` for durations over `u32::MAX` ms.
        }
    }

    "SCTP_ASSOCINFO" SCTP_ASSOCINFO: assoc {
        /// Association parameters: maximum retransmissions, cookie life, peer count and
        /// windows.
        #[doc(alias = "sctp_assocparams")]
        get assoc_info() -> AssocInfo {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the association's maximum retransmissions and cookie life (zero leaves one
        /// unchanged; the read-only fields are ignored).
        set set_assoc_info(info: &AssocInfo) {
            /// `EINVAL` if `max_retransmissions` exceeds the sum of the paths' maximums (with
            /// more than one path); `InvalidInput` for a cookie life over `u32::MAX` ms.
        }
    }

    "SCTP_DELAYED_SACK" SCTP_DELAYED_SACK: assoc {
        /// Delayed-SACK timeout and frequency (`struct sctp_sack_info`).
        #[doc(alias = "SCTP_DELAYED_ACK_TIME")]
        #[doc(alias = "sctp_sack_info")]
        get delayed_sack() -> DelayedSack {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the delayed-SACK timeout and frequency (`frequency == 1` turns delayed SACK
        /// off; zero fields leave a value unchanged).
        set set_delayed_sack(sack: &DelayedSack) {
            /// `EINVAL` for a delay over 500 ms.
        }
    }

    "SCTP_AUTOCLOSE" SCTP_AUTOCLOSE: socket {
        /// Idle time after which a one-to-many socket closes an association (`None`: never),
        /// in whole seconds.
        get autoclose() -> Option<Duration> {
            /// `EOPNOTSUPP` on a one-to-one socket.
        }
        /// Sets the idle time after which a one-to-many socket closes an association, in
        /// whole seconds (rounded up; `None` or zero: never). The kernel caps it at the
        /// sysctl `net.sctp.max_autoclose`.
        set set_autoclose(idle: Option<Duration>) {
            /// `EOPNOTSUPP` on a one-to-one socket; `InvalidInput` over `i32::MAX` seconds.
        }
    }
}
