//! Path events: a peer address changed state ([`PeerAddrChange`], [`PeerAddrState`],
//! [`AddrChangeCause`]).

use std::net::SocketAddr;

use linux_sctp_sys::sctp_assoc_t;

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
