//! Streams and their scheduling: the INIT parameters of new associations ([`InitParams`]:
//! stream counts and INIT retransmissions), the outgoing stream scheduler
//! ([`StreamScheduler`]) and its per-stream values, and I-DATA interleaving.

use std::time::Duration;

use linux_sctp_sys::{sctp_initmsg, sctp_stream_value};

use super::table::{assoc_value_codec, socket_options, FromC, IntoC, Request};
use super::SocketOptions;
use crate::error::Result;
use crate::millis::{from_millis, to_millis};

/// Parameters of the INIT chunk for new associations (`struct sctp_initmsg`): the
/// `SCTP_INITMSG` option ([`SctpSocket::set_init`](crate::SctpSocket::set_init),
/// [`SocketOptions::set_init_msg`]) or the `SCTP_INIT` control message of an implicit setup.
///
/// They affect associations set up after the call (an accepted socket inherits its
/// listener's). A zero field keeps the kernel's default (10 outbound streams, 65535 inbound
/// streams, `net.sctp.max_init_retransmits` attempts, `net.sctp.rto_max` timeout).
///
/// ```
/// use std::time::Duration;
/// use tokio_linux_sctp::InitParams;
///
/// let p = InitParams::new().streams(16, 16).max_attempts(4);
/// assert_eq!((p.outbound_streams, p.max_inbound_streams, p.max_attempts), (16, 16, 4));
/// assert_eq!(p.max_init_timeout, Duration::ZERO);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[doc(alias = "sctp_initmsg")]
pub struct InitParams {
    /// Outbound streams to ask for (`sinit_num_ostreams`).
    pub outbound_streams: u16,
    /// Most inbound streams to accept (`sinit_max_instreams`).
    pub max_inbound_streams: u16,
    /// Most INIT retransmissions before giving up with `ETIMEDOUT` (`sinit_max_attempts`):
    /// Linux sends the first INIT and then up to this many more.
    pub max_attempts: u16,
    /// Upper bound of the INIT retransmission timeout (`sinit_max_init_timeo`): whole
    /// milliseconds, rounded up, and capped at 65535 ms (the field is 16 bits).
    pub max_init_timeout: Duration,
}

impl InitParams {
    /// All defaults (every field zero).
    pub const fn new() -> Self {
        InitParams {
            outbound_streams: 0,
            max_inbound_streams: 0,
            max_attempts: 0,
            max_init_timeout: Duration::ZERO,
        }
    }

    /// Sets the outbound and the most inbound streams.
    pub const fn streams(mut self, outbound: u16, max_inbound: u16) -> Self {
        self.outbound_streams = outbound;
        self.max_inbound_streams = max_inbound;
        self
    }

    /// Sets the most INIT retransmissions.
    pub const fn max_attempts(mut self, attempts: u16) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the upper bound of the INIT retransmission timeout.
    pub const fn max_init_timeout(mut self, timeout: Duration) -> Self {
        self.max_init_timeout = timeout;
        self
    }

    /// The kernel struct (`max_init_timeout` rounded up to milliseconds, capped at 65535).
    pub fn to_initmsg(&self) -> sctp_initmsg {
        sctp_initmsg {
            sinit_num_ostreams: self.outbound_streams,
            sinit_max_instreams: self.max_inbound_streams,
            sinit_max_attempts: self.max_attempts,
            sinit_max_init_timeo: to_millis(self.max_init_timeout).unwrap_or(u16::MAX),
        }
    }
}

impl FromC<sctp_initmsg> for InitParams {
    fn from_c(i: &sctp_initmsg) -> Result<Self> {
        Ok(InitParams {
            outbound_streams: i.sinit_num_ostreams,
            max_inbound_streams: i.sinit_max_instreams,
            max_attempts: i.sinit_max_attempts,
            max_init_timeout: from_millis(i.sinit_max_init_timeo),
        })
    }
}

impl IntoC<sctp_initmsg> for &InitParams {
    fn into_c(self, i: &mut sctp_initmsg) -> Result<()> {
        *i = self.to_initmsg();
        Ok(())
    }
}

/// Outgoing stream scheduler (`enum sctp_sched_type`), for
/// [`SocketOptions::stream_scheduler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum StreamScheduler {
    /// `SCTP_SS_FCFS`: first come, first served (the default).
    #[default]
    #[doc(alias = "SCTP_SS_FCFS")]
    #[doc(alias = "SCTP_SS_DEFAULT")]
    Fcfs,
    /// `SCTP_SS_PRIO`: strict priority per stream (lower value first); set it with
    /// [`SocketOptions::set_stream_scheduler_value`].
    #[doc(alias = "SCTP_SS_PRIO")]
    Priority,
    /// `SCTP_SS_RR`: round robin between streams.
    #[doc(alias = "SCTP_SS_RR")]
    RoundRobin,
    /// `SCTP_SS_FC`: fair capacity (Linux 6.4+; older kernels answer `EINVAL`).
    #[doc(alias = "SCTP_SS_FC")]
    FairCapacity,
    /// `SCTP_SS_WFQ`: weighted fair queueing, weight per stream (Linux 6.4+; older kernels
    /// answer `EINVAL`).
    #[doc(alias = "SCTP_SS_WFQ")]
    WeightedFairQueueing,
    /// A value this crate does not know.
    Unknown(u32),
}

impl StreamScheduler {
    /// Converts the kernel's value.
    pub const fn from_raw(raw: u32) -> Self {
        match raw {
            linux_sctp_sys::SCTP_SS_FCFS => Self::Fcfs,
            linux_sctp_sys::SCTP_SS_PRIO => Self::Priority,
            linux_sctp_sys::SCTP_SS_RR => Self::RoundRobin,
            linux_sctp_sys::SCTP_SS_FC => Self::FairCapacity,
            linux_sctp_sys::SCTP_SS_WFQ => Self::WeightedFairQueueing,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's value (`SCTP_SS_*`).
    pub const fn to_raw(self) -> u32 {
        match self {
            Self::Fcfs => linux_sctp_sys::SCTP_SS_FCFS,
            Self::Priority => linux_sctp_sys::SCTP_SS_PRIO,
            Self::RoundRobin => linux_sctp_sys::SCTP_SS_RR,
            Self::FairCapacity => linux_sctp_sys::SCTP_SS_FC,
            Self::WeightedFairQueueing => linux_sctp_sys::SCTP_SS_WFQ,
            Self::Unknown(raw) => raw,
        }
    }
}

assoc_value_codec!(StreamScheduler);

impl Request<sctp_stream_value> for (u16,) {
    fn request(self, v: &mut sctp_stream_value) -> Result<()> {
        v.stream_id = self.0;
        Ok(())
    }
}

impl SocketOptions<'_> {
    /// Whether fragment interleave is on, for the interleaving row's gate: the kernel
    /// answers `EPERM` both for that and for the sysctl.
    fn fragment_interleave_on(&self) -> bool {
        self.fragment_interleave().unwrap_or(false)
    }
}

socket_options! {
    "SCTP_INITMSG" SCTP_INITMSG: socket {
        /// INIT parameters for future associations.
        get init_msg() -> InitParams {
            /// The `getsockopt(2)` error.
        }
        /// Sets the INIT parameters for future associations (zero fields leave a value
        /// unchanged; `max_init_timeout` is capped at 65535 ms).
        set set_init_msg(init: &InitParams) {
            /// The `setsockopt(2)` error.
        }
    }

    "SCTP_STREAM_SCHEDULER" SCTP_STREAM_SCHEDULER: assoc since "4.15" {
        /// The outgoing stream scheduler.
        get stream_scheduler() -> StreamScheduler {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets the outgoing stream scheduler. Accepts `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
        set set_stream_scheduler(scheduler: StreamScheduler) {
            /// `EINVAL` for a scheduler the running kernel does not have (fair capacity and WFQ
            /// before 6.4) or an unknown association.
        }
    }

    "SCTP_STREAM_SCHEDULER_VALUE" SCTP_STREAM_SCHEDULER_VALUE: assoc since "4.15" {
        /// The scheduler value of outgoing stream `stream`: its priority (PRIO) or weight
        /// (WFQ).
        #[doc(alias = "sctp_stream_value")]
        get stream_scheduler_value(stream: u16) -> u16 {
            /// `EINVAL` without an association or for a stream out of range.
        }
        /// Sets the scheduler value of outgoing stream `stream`. Accepts `SCTP_CURRENT_ASSOC`.
        set set_stream_scheduler_value[stream: u16](value: u16) {
            /// `EINVAL` without an association or for a stream out of range.
        }
    }

    "SCTP_INTERLEAVING_SUPPORTED" SCTP_INTERLEAVING_SUPPORTED: assoc since "4.16"
        gate("net.sctp.intl_enable", EPERM, |o| o.fragment_interleave_on()) {
        /// I-DATA message interleaving (RFC 8260): with an association, whether it was
        /// negotiated; otherwise whether we advertise it.
        get interleaving_supported() -> bool {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Advertises I-DATA interleaving in future associations. The kernel allows it only
        /// with the sysctl `net.sctp.intl_enable` on **and**
        /// [`fragment_interleave`](Self::set_fragment_interleave) already on.
        set set_interleaving_supported(on: bool) {
            /// `EPERM`: when fragment interleave is on, that is the sysctl (and comes as
            /// `FeatureDisabled`); otherwise it is the plain errno (turn fragment interleave
            /// on first).
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_params_to_initmsg() {
        let params = InitParams::new()
            .streams(16, 32)
            .max_attempts(3)
            .max_init_timeout(Duration::from_millis(1500));
        let m = params.to_initmsg();
        assert_eq!(m.sinit_num_ostreams, 16);
        assert_eq!(m.sinit_max_instreams, 32);
        assert_eq!(m.sinit_max_attempts, 3);
        assert_eq!(m.sinit_max_init_timeo, 1500);
        // One rounding rule: up to the next millisecond, capped at the 16-bit field.
        let p = InitParams::new().max_init_timeout(Duration::from_micros(1500));
        assert_eq!(p.to_initmsg().sinit_max_init_timeo, 2);
        let big = InitParams::new().max_init_timeout(Duration::from_secs(3600));
        assert_eq!(big.to_initmsg().sinit_max_init_timeo, u16::MAX);
        assert_eq!(InitParams::from_c(&m).unwrap(), params);
    }

    #[test]
    fn schedulers_round_trip() {
        for raw in 0..=5 {
            assert_eq!(StreamScheduler::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(StreamScheduler::from_raw(2), StreamScheduler::RoundRobin);
    }
}
