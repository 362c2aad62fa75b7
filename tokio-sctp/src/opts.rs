//! Typed SCTP socket options.
//!
//! [`SocketOptions`] borrows a socket and an association id and reads and writes the
//! `SOL_SCTP` options of `linux/sctp.h` with Rust types: [`Duration`]s for the millisecond
//! fields, enums for states and policies, structs with named fields, [`SocketAddr`] for
//! addresses. Method names follow `socket2` (`nodelay()` / `set_nodelay(bool)`), and each has a
//! `#[doc(alias)]` with the C option name, so searching the docs for `SCTP_NODELAY` finds it.
//!
//! The socket types hand one out (`stream.options()`, `endpoint.options(assoc_id)`), and
//! [`SocketOptions::new`] works on any SCTP file descriptor.
//!
//! # Which association
//!
//! Most SCTP options take an association id in their first field; [`SocketOptions`] fills it
//! in with the id it was made with:
//!
//! * On a **one-to-one** socket (and a peeled-off one) the kernel ignores the id: an option
//!   applies to the socket's association while it is established, and to the socket's
//!   defaults for future associations otherwise. Use [`SCTP_FUTURE_ASSOC`] (0).
//! * On a **one-to-many** socket, an association's id reads and writes that association;
//!   [`SCTP_FUTURE_ASSOC`] reads and writes the defaults that new associations start with;
//!   some setters also take [`SCTP_CURRENT_ASSOC`] (every existing association) or
//!   [`SCTP_ALL_ASSOC`] (both). An id that names no association gives `EINVAL`.
//!
//! The `*_supported` getters are asymmetric: with an association they report what the
//! **peer** negotiated; without one, the local setting. Their setters always change the
//! endpoint (future associations).
//!
//! # Errors
//!
//! Everything returns [`io::Result`], with the kernel's errno. An option the running kernel
//! does not know gives `ENOPROTOOPT` (the version each option appeared in is in its docs).
//! Where an errno means one thing only, a sysctl that turns a feature off, the `io::Error`
//! wraps a [`crate::error::Error`] of kind [`ErrorKind::FeatureDisabled`] naming the sysctl
//! (the AUTH options' `EACCES`, for example); [`Error::errno_of`] still finds the errno.
//! Values that the kernel would silently ignore (a zero where zero means "unchanged") or that
//! do not fit the C field are refused up front with [`io::ErrorKind::InvalidInput`].
//!
//! Socket-level options (`SO_SNDBUF`, `SO_RCVBUF`, `SO_LINGER`, `SO_REUSEADDR`, ...) are not
//! repeated here: use `socket2::SockRef::from(&socket)`.
//!
//! [`SCTP_FUTURE_ASSOC`]: linux_sctp_sys::SCTP_FUTURE_ASSOC
//! [`SCTP_CURRENT_ASSOC`]: linux_sctp_sys::SCTP_CURRENT_ASSOC
//! [`SCTP_ALL_ASSOC`]: linux_sctp_sys::SCTP_ALL_ASSOC
//! [`ErrorKind::FeatureDisabled`]: crate::error::ErrorKind::FeatureDisabled
//! [`Error::errno_of`]: crate::error::Error::errno_of

// Kernel structs are built the C way: zeroed (`Default`), then the fields that matter set.
// The packed newtypes cannot be written as struct literals anyway.
#![allow(clippy::field_reassign_with_default)]

use std::fmt;
use std::io;
use std::mem::size_of;
use std::net::SocketAddr;
use std::os::fd::BorrowedFd;
use std::time::Duration;

use libc::c_int;
use linux_sctp_sys::addr::{socket_addr_from_raw, socket_addr_to_raw};
use linux_sctp_sys::sockopt;
use linux_sctp_sys::{sctp_assoc_t, Pod};

use crate::engine::EventChoice;
use crate::error::Error;
use crate::message::PrPolicy;
use crate::notification::EventType;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn invalid(msg: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

fn bad_data(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Whole milliseconds for the kernel, rounded up; `InvalidInput` if they do not fit `u32`.
fn ms_u32(d: Duration, what: &'static str) -> io::Result<u32> {
    let ms = d.as_millis() + u128::from(d.subsec_nanos() % 1_000_000 != 0);
    u32::try_from(ms).map_err(|_| invalid(what))
}

fn ms(v: u32) -> Duration {
    Duration::from_millis(u64::from(v))
}

/// The kernel form of an optional address: `None` is the wildcard (all zero, `AF_UNSPEC`),
/// which the path options read as "the association (or socket), not one path".
fn storage_of(addr: Option<&SocketAddr>) -> libc::sockaddr_storage {
    match addr {
        Some(a) => socket_addr_to_raw(a).0,
        None => <libc::sockaddr_storage as Pod>::zeroed(),
    }
}

/// A kernel-filled address: `None` when it is all zero (`AF_UNSPEC`).
fn addr_of_opt(storage: &libc::sockaddr_storage) -> io::Result<Option<SocketAddr>> {
    if storage.ss_family == libc::AF_UNSPEC as libc::sa_family_t {
        return Ok(None);
    }
    addr_of(storage).map(Some)
}

fn addr_of(storage: &libc::sockaddr_storage) -> io::Result<SocketAddr> {
    let len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    Ok(socket_addr_from_raw(storage, len)?)
}

/// Maps `EACCES` from an AUTH option to [`ErrorKind::FeatureDisabled`](crate::error::ErrorKind::FeatureDisabled).
fn auth_error(err: io::Error) -> io::Error {
    if err.raw_os_error() == Some(libc::EACCES) {
        Error::feature_disabled("net.sctp.auth_enable", err).into()
    } else {
        err
    }
}

// ---------------------------------------------------------------------------------------
// Value types
// ---------------------------------------------------------------------------------------

/// State of an association (`sstat_state`, C `enum sctp_sstat_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssocState {
    /// `SCTP_EMPTY`.
    #[doc(alias = "SCTP_EMPTY")]
    Empty,
    /// `SCTP_CLOSED`.
    #[doc(alias = "SCTP_CLOSED")]
    Closed,
    /// `SCTP_COOKIE_WAIT`: INIT sent.
    #[doc(alias = "SCTP_COOKIE_WAIT")]
    CookieWait,
    /// `SCTP_COOKIE_ECHOED`: COOKIE ECHO sent.
    #[doc(alias = "SCTP_COOKIE_ECHOED")]
    CookieEchoed,
    /// `SCTP_ESTABLISHED`.
    #[doc(alias = "SCTP_ESTABLISHED")]
    Established,
    /// `SCTP_SHUTDOWN_PENDING`: shutdown asked for, data still outstanding.
    #[doc(alias = "SCTP_SHUTDOWN_PENDING")]
    ShutdownPending,
    /// `SCTP_SHUTDOWN_SENT`.
    #[doc(alias = "SCTP_SHUTDOWN_SENT")]
    ShutdownSent,
    /// `SCTP_SHUTDOWN_RECEIVED`.
    #[doc(alias = "SCTP_SHUTDOWN_RECEIVED")]
    ShutdownReceived,
    /// `SCTP_SHUTDOWN_ACK_SENT`.
    #[doc(alias = "SCTP_SHUTDOWN_ACK_SENT")]
    ShutdownAckSent,
    /// A value this crate does not know.
    Unknown(i32),
}

impl AssocState {
    /// Converts the kernel's `sstat_state`.
    pub const fn from_raw(raw: i32) -> Self {
        match raw {
            linux_sctp_sys::SCTP_EMPTY => Self::Empty,
            linux_sctp_sys::SCTP_CLOSED => Self::Closed,
            linux_sctp_sys::SCTP_COOKIE_WAIT => Self::CookieWait,
            linux_sctp_sys::SCTP_COOKIE_ECHOED => Self::CookieEchoed,
            linux_sctp_sys::SCTP_ESTABLISHED => Self::Established,
            linux_sctp_sys::SCTP_SHUTDOWN_PENDING => Self::ShutdownPending,
            linux_sctp_sys::SCTP_SHUTDOWN_SENT => Self::ShutdownSent,
            linux_sctp_sys::SCTP_SHUTDOWN_RECEIVED => Self::ShutdownReceived,
            linux_sctp_sys::SCTP_SHUTDOWN_ACK_SENT => Self::ShutdownAckSent,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's `sstat_state` value.
    pub const fn to_raw(self) -> i32 {
        match self {
            Self::Empty => linux_sctp_sys::SCTP_EMPTY,
            Self::Closed => linux_sctp_sys::SCTP_CLOSED,
            Self::CookieWait => linux_sctp_sys::SCTP_COOKIE_WAIT,
            Self::CookieEchoed => linux_sctp_sys::SCTP_COOKIE_ECHOED,
            Self::Established => linux_sctp_sys::SCTP_ESTABLISHED,
            Self::ShutdownPending => linux_sctp_sys::SCTP_SHUTDOWN_PENDING,
            Self::ShutdownSent => linux_sctp_sys::SCTP_SHUTDOWN_SENT,
            Self::ShutdownReceived => linux_sctp_sys::SCTP_SHUTDOWN_RECEIVED,
            Self::ShutdownAckSent => linux_sctp_sys::SCTP_SHUTDOWN_ACK_SENT,
            Self::Unknown(raw) => raw,
        }
    }
}

/// State of one path to the peer (`spinfo_state`, C `enum sctp_spinfo_state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathState {
    /// `SCTP_INACTIVE`: the path failed.
    #[doc(alias = "SCTP_INACTIVE")]
    Inactive,
    /// `SCTP_PF`: potentially failed (RFC 7829). With the PF state hidden
    /// ([`PfStateExposure::Disabled`]), reading such a path's info gives `EACCES` instead.
    #[doc(alias = "SCTP_PF")]
    #[doc(alias = "SCTP_POTENTIALLY_FAILED")]
    PotentiallyFailed,
    /// `SCTP_ACTIVE` (the kernel also reports `SCTP_UNKNOWN` this way).
    #[doc(alias = "SCTP_ACTIVE")]
    Active,
    /// `SCTP_UNCONFIRMED`: not yet confirmed by a heartbeat.
    #[doc(alias = "SCTP_UNCONFIRMED")]
    Unconfirmed,
    /// A value this crate does not know.
    Unknown(i32),
}

impl PathState {
    /// Converts the kernel's `spinfo_state`.
    pub const fn from_raw(raw: i32) -> Self {
        match raw {
            linux_sctp_sys::SCTP_INACTIVE => Self::Inactive,
            linux_sctp_sys::SCTP_PF => Self::PotentiallyFailed,
            linux_sctp_sys::SCTP_ACTIVE => Self::Active,
            linux_sctp_sys::SCTP_UNCONFIRMED => Self::Unconfirmed,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's `spinfo_state` value.
    pub const fn to_raw(self) -> i32 {
        match self {
            Self::Inactive => linux_sctp_sys::SCTP_INACTIVE,
            Self::PotentiallyFailed => linux_sctp_sys::SCTP_PF,
            Self::Active => linux_sctp_sys::SCTP_ACTIVE,
            Self::Unconfirmed => linux_sctp_sys::SCTP_UNCONFIRMED,
            Self::Unknown(raw) => raw,
        }
    }
}

/// State of one peer address (`struct sctp_paddrinfo`), from [`SocketOptions::peer_addr_info`]
/// or [`SctpStatus::primary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PeerAddrInfo {
    /// The association (`spinfo_assoc_id`).
    pub assoc_id: sctp_assoc_t,
    /// The peer address (IPv4 peers of an `AF_INET6` socket appear v4-mapped unless
    /// [`set_mapped_v4(false)`](SocketOptions::set_mapped_v4)).
    pub address: SocketAddr,
    /// The path's state.
    pub state: PathState,
    /// Congestion window, in bytes.
    pub cwnd: u32,
    /// Smoothed round-trip time.
    pub srtt: Duration,
    /// Current retransmission timeout.
    pub rto: Duration,
    /// Path MTU.
    pub mtu: u32,
}

impl PeerAddrInfo {
    fn from_raw(p: &linux_sctp_sys::sctp_paddrinfo) -> io::Result<Self> {
        // Copy every field out of the packed struct by value: no references into it.
        let address = p.spinfo_address;
        Ok(PeerAddrInfo {
            assoc_id: p.spinfo_assoc_id,
            address: addr_of(&address)?,
            state: PathState::from_raw(p.spinfo_state),
            cwnd: p.spinfo_cwnd,
            srtt: ms(p.spinfo_srtt),
            rto: ms(p.spinfo_rto),
            mtu: p.spinfo_mtu,
        })
    }
}

/// Status of an association (`struct sctp_status`), from [`SocketOptions::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SctpStatus {
    /// The association (`sstat_assoc_id`): on a one-to-one socket, the id of its
    /// association.
    pub assoc_id: sctp_assoc_t,
    /// Its state.
    pub state: AssocState,
    /// The peer's receive window, in bytes.
    pub rwnd: u32,
    /// DATA chunks sent and not yet acknowledged.
    pub unacked_data: u16,
    /// DATA chunks received and waiting for a gap to fill.
    pub pending_data: u16,
    /// Inbound streams (the peer may send on `0..inbound_streams`).
    pub inbound_streams: u16,
    /// Outbound streams (we may send on `0..outbound_streams`).
    pub outbound_streams: u16,
    /// Size above which messages are fragmented, in bytes.
    pub fragmentation_point: u32,
    /// The primary path.
    pub primary: PeerAddrInfo,
}

/// Retransmission timeout bounds (`struct sctp_rtoinfo`), for [`SocketOptions::rto_info`].
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

/// Association parameters (`struct sctp_assocparams`), for [`SocketOptions::assoc_info`].
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

/// Parameters of the INIT chunk (`struct sctp_initmsg`), for [`SocketOptions::init_msg`].
///
/// They affect associations set up after the call (an accepted socket inherits its
/// listener's). Zero fields leave the setting unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct InitMsg {
    /// Outbound streams to ask for (`sinit_num_ostreams`; default 10).
    pub num_ostreams: u16,
    /// Inbound streams to accept at most (`sinit_max_instreams`; default 65535).
    pub max_instreams: u16,
    /// INIT retransmissions before giving up (`sinit_max_attempts`).
    pub max_attempts: u16,
    /// Largest RTO while retransmitting INIT (`sinit_max_init_timeo`, whole milliseconds,
    /// at most 65535 ms).
    pub max_init_timeout: Duration,
}

/// Per-path (or per-association, or per-socket) parameters, as read by
/// [`SocketOptions::peer_addr_params`] (`struct sctp_paddrparams`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PeerAddrParams {
    /// The path these are for (`None`: the association, or the socket's defaults).
    pub address: Option<SocketAddr>,
    /// Whether heartbeats are sent on idle paths (`SPP_HB_ENABLE`).
    pub heartbeat: bool,
    /// Heartbeat interval (`spp_hbinterval`; default 30 s).
    pub heartbeat_interval: Duration,
    /// Retransmissions before a path is considered failed (`spp_pathmaxrxt`; default 5).
    pub path_max_retransmissions: u16,
    /// Whether path MTU discovery is on (`SPP_PMTUD_ENABLE`).
    pub pmtud: bool,
    /// Path MTU (`spp_pathmtu`): the discovered value, or the fixed one with PMTUD off.
    pub path_mtu: u32,
    /// Whether delayed SACK is on (`SPP_SACKDELAY_ENABLE`).
    pub sack_delay_enabled: bool,
    /// Delayed-SACK timeout (`spp_sackdelay`; default 200 ms).
    pub sack_delay: Duration,
    /// IPv6 flow label (`spp_ipv6_flowlabel`), when one is set (`SPP_IPV6_FLOWLABEL`).
    pub ipv6_flow_label: Option<u32>,
    /// DSCP code point (0..=63, the upper six bits of `spp_dscp`), when one is set
    /// (`SPP_DSCP`).
    pub dscp: Option<u8>,
}

/// A change to per-path parameters, for [`SocketOptions::set_peer_addr_params`]. Fields left
/// at their default (`None` / `false`) are not changed.
///
/// ```
/// use std::time::Duration;
/// use tokio_linux_sctp::opts::PeerAddrParamsChange;
///
/// let change = PeerAddrParamsChange {
///     heartbeat_interval: Some(Duration::from_secs(5)), // also turns heartbeats on
///     path_max_retransmissions: Some(3),
///     ..Default::default()
/// };
/// # let _ = change;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PeerAddrParamsChange {
    /// Turn heartbeats on or off (`SPP_HB_ENABLE` / `SPP_HB_DISABLE`).
    pub heartbeat: Option<bool>,
    /// Heartbeat interval. The kernel reads it only together with `SPP_HB_ENABLE`, so
    /// setting it also turns heartbeats on (and conflicts with `heartbeat: Some(false)`).
    /// Zero is allowed (`SPP_HB_TIME_IS_ZERO`): heartbeat every RTO.
    pub heartbeat_interval: Option<Duration>,
    /// Send a heartbeat now (`SPP_HB_DEMAND`); needs an address and an association.
    pub heartbeat_now: bool,
    /// Retransmissions before the path is considered failed (not 0).
    pub path_max_retransmissions: Option<u16>,
    /// Turn path MTU discovery on or off (`SPP_PMTUD_ENABLE` / `SPP_PMTUD_DISABLE`).
    pub pmtud: Option<bool>,
    /// A fixed path MTU. Only meaningful with PMTU discovery off, so setting it also turns
    /// discovery off (and conflicts with `pmtud: Some(true)`).
    pub path_mtu: Option<u32>,
    /// Turn delayed SACK on or off (`SPP_SACKDELAY_ENABLE` / `SPP_SACKDELAY_DISABLE`).
    pub sack_delay_enabled: Option<bool>,
    /// Delayed-SACK timeout (1..=500 ms); also turns delayed SACK on (conflicts with
    /// `sack_delay_enabled: Some(false)`).
    pub sack_delay: Option<Duration>,
    /// IPv6 flow label (20 bits, `SPP_IPV6_FLOWLABEL`; ignored for IPv4 paths).
    pub ipv6_flow_label: Option<u32>,
    /// DSCP code point (0..=63; `SPP_DSCP`).
    pub dscp: Option<u8>,
}

impl PeerAddrParamsChange {
    fn to_raw(
        self,
        assoc_id: sctp_assoc_t,
        addr: Option<&SocketAddr>,
    ) -> io::Result<linux_sctp_sys::sctp_paddrparams> {
        let mut p = linux_sctp_sys::sctp_paddrparams::default();
        p.spp_assoc_id = assoc_id;
        p.spp_address = storage_of(addr);
        let mut flags = 0u32;
        match (self.heartbeat, self.heartbeat_interval) {
            (Some(false), Some(_)) => {
                return Err(invalid(
                    "a heartbeat interval needs heartbeats on (SPP_HB_ENABLE)",
                ))
            }
            (Some(false), None) => flags |= linux_sctp_sys::SPP_HB_DISABLE,
            (Some(true), None) => flags |= linux_sctp_sys::SPP_HB_ENABLE,
            (_, Some(interval)) => {
                flags |= linux_sctp_sys::SPP_HB_ENABLE;
                let v = ms_u32(interval, "heartbeat interval too large")?;
                if v == 0 {
                    flags |= linux_sctp_sys::SPP_HB_TIME_IS_ZERO;
                }
                p.spp_hbinterval = v;
            }
            (None, None) => {}
        }
        if self.heartbeat_now {
            if addr.is_none() {
                return Err(invalid("an on-demand heartbeat needs a peer address"));
            }
            flags |= linux_sctp_sys::SPP_HB_DEMAND;
        }
        if let Some(n) = self.path_max_retransmissions {
            if n == 0 {
                return Err(invalid("path_max_retransmissions must not be 0"));
            }
            p.spp_pathmaxrxt = n;
        }
        match (self.pmtud, self.path_mtu) {
            (Some(true), Some(_)) => {
                return Err(invalid("a fixed path MTU needs PMTU discovery off"));
            }
            (Some(true), None) => flags |= linux_sctp_sys::SPP_PMTUD_ENABLE,
            (Some(false), None) => flags |= linux_sctp_sys::SPP_PMTUD_DISABLE,
            (_, Some(mtu)) => {
                if mtu == 0 {
                    return Err(invalid("path_mtu must not be 0"));
                }
                flags |= linux_sctp_sys::SPP_PMTUD_DISABLE;
                p.spp_pathmtu = mtu;
            }
            (None, None) => {}
        }
        match (self.sack_delay_enabled, self.sack_delay) {
            (Some(false), Some(_)) => {
                return Err(invalid("a SACK delay needs delayed SACK on"));
            }
            (Some(false), None) => flags |= linux_sctp_sys::SPP_SACKDELAY_DISABLE,
            (Some(true), None) => flags |= linux_sctp_sys::SPP_SACKDELAY_ENABLE,
            (_, Some(delay)) => {
                let v = ms_u32(delay, "SACK delay too large")?;
                if v == 0 {
                    return Err(invalid("sack_delay must be at least 1 ms"));
                }
                flags |= linux_sctp_sys::SPP_SACKDELAY_ENABLE;
                p.spp_sackdelay = v;
            }
            (None, None) => {}
        }
        if let Some(label) = self.ipv6_flow_label {
            if label > 0xf_ffff {
                return Err(invalid("an IPv6 flow label has 20 bits"));
            }
            flags |= linux_sctp_sys::SPP_IPV6_FLOWLABEL;
            p.spp_ipv6_flowlabel = label;
        }
        if let Some(dscp) = self.dscp {
            if dscp > 63 {
                return Err(invalid("a DSCP code point has 6 bits"));
            }
            flags |= linux_sctp_sys::SPP_DSCP;
            p.spp_dscp = dscp << 2;
        }
        p.spp_flags = flags;
        Ok(p)
    }
}

/// Path failure thresholds (`struct sctp_paddrthlds_v2`), for
/// [`SocketOptions::peer_addr_thresholds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PathThresholds {
    /// Retransmissions before the path is failed (`spt_pathmaxrxt`; 0 on set leaves it
    /// unchanged).
    pub path_max_retransmissions: u16,
    /// Retransmissions before the path is potentially failed (`spt_pathpfthld`, RFC 7829;
    /// sysctl `pf_retrans`, default 0).
    pub pf_threshold: u16,
    /// Retransmissions on the primary before switching to another path
    /// (`spt_pathcpthld`; sysctl `ps_retrans`, default 65535 = never). Must not be below
    /// [`pf_threshold`](Self::pf_threshold) (`EINVAL`).
    pub ps_threshold: u16,
}

/// Delayed-SACK settings (`struct sctp_sack_info`), for [`SocketOptions::delayed_sack`].
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

/// Default parameters for sends without a send-info control message
/// (`struct sctp_sndinfo`), for [`SocketOptions::default_sndinfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DefaultSendInfo {
    /// Stream.
    pub stream: u16,
    /// `snd_flags`: the kernel accepts `SCTP_UNORDERED`, `SCTP_ADDR_OVER`, `SCTP_ABORT` and
    /// `SCTP_EOF` (`linux_sctp_sys` constants); anything else is `EINVAL`.
    pub flags: u16,
    /// Payload protocol identifier, host byte order (this crate's convention, see
    /// [`crate::message`]).
    pub ppid: u32,
    /// Context, returned in notifications about the message.
    pub context: u32,
}

impl DefaultSendInfo {
    /// Whether [`flags`](Self::flags) has `SCTP_UNORDERED`.
    pub fn unordered(&self) -> bool {
        self.flags & linux_sctp_sys::SCTP_UNORDERED != 0
    }
}

/// Stream reconfiguration requests we allow (`SCTP_ENABLE_STREAM_RESET` bits), a set of
/// `SCTP_ENABLE_*` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StreamResetFlags(pub u32);

impl StreamResetFlags {
    /// No requests.
    pub const NONE: Self = Self(0);
    /// `SCTP_ENABLE_RESET_STREAM_REQ`: stream reset requests.
    #[doc(alias = "SCTP_ENABLE_RESET_STREAM_REQ")]
    pub const RESET_STREAM: Self = Self(linux_sctp_sys::SCTP_ENABLE_RESET_STREAM_REQ);
    /// `SCTP_ENABLE_RESET_ASSOC_REQ`: association (SSN/TSN) reset requests.
    #[doc(alias = "SCTP_ENABLE_RESET_ASSOC_REQ")]
    pub const RESET_ASSOC: Self = Self(linux_sctp_sys::SCTP_ENABLE_RESET_ASSOC_REQ);
    /// `SCTP_ENABLE_CHANGE_ASSOC_REQ`: add-stream requests.
    #[doc(alias = "SCTP_ENABLE_CHANGE_ASSOC_REQ")]
    pub const CHANGE_ASSOC: Self = Self(linux_sctp_sys::SCTP_ENABLE_CHANGE_ASSOC_REQ);
    /// All three.
    pub const ALL: Self = Self(linux_sctp_sys::SCTP_ENABLE_STRRESET_MASK);

    /// Whether every flag of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for StreamResetFlags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

/// Which direction of streams [`SocketOptions::reset_streams`] resets
/// (`SCTP_STREAM_RESET_INCOMING` / `_OUTGOING`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamResetDirection {
    /// Ask the peer to reset its outgoing (our incoming) streams.
    #[doc(alias = "SCTP_STREAM_RESET_INCOMING")]
    Incoming,
    /// Reset our outgoing streams.
    #[doc(alias = "SCTP_STREAM_RESET_OUTGOING")]
    Outgoing,
    /// Both.
    Both,
}

impl StreamResetDirection {
    fn to_raw(self) -> u16 {
        match self {
            Self::Incoming => linux_sctp_sys::SCTP_STREAM_RESET_INCOMING,
            Self::Outgoing => linux_sctp_sys::SCTP_STREAM_RESET_OUTGOING,
            Self::Both => {
                linux_sctp_sys::SCTP_STREAM_RESET_INCOMING
                    | linux_sctp_sys::SCTP_STREAM_RESET_OUTGOING
            }
        }
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

/// Whether the potentially-failed path state is reported
/// (`SCTP_EXPOSE_POTENTIALLY_FAILED_STATE`), for [`SocketOptions::expose_pf_state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PfStateExposure {
    /// 0: not set (the sysctl `pf_expose` default): no `SCTP_ADDR_POTENTIALLY_FAILED`
    /// notification, but a PF path's info can still be read.
    Unset,
    /// 1: hide the PF state: no `SCTP_ADDR_POTENTIALLY_FAILED` notification, and reading a
    /// PF path's info gives `EACCES`.
    Disabled,
    /// 2: report it everywhere.
    Enabled,
    /// A value this crate does not know.
    Unknown(u32),
}

impl PfStateExposure {
    /// Converts the kernel's value.
    pub const fn from_raw(raw: u32) -> Self {
        match raw {
            0 => Self::Unset,
            1 => Self::Disabled,
            2 => Self::Enabled,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's value.
    pub const fn to_raw(self) -> u32 {
        match self {
            Self::Unset => 0,
            Self::Disabled => 1,
            Self::Enabled => 2,
            Self::Unknown(raw) => raw,
        }
    }
}

/// Association counters (`struct sctp_assoc_stats`), from [`SocketOptions::assoc_stats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct AssocStats {
    /// The path on which [`max_rto_jiffies`](Self::max_rto_jiffies) was observed, if an RTO
    /// was computed in this period.
    pub max_rto_address: Option<SocketAddr>,
    /// Largest RTO observed since the previous read (`sas_maxrto`). The kernel reports it
    /// **in jiffies** (units of 1/`CONFIG_HZ` s), not milliseconds, and each read starts a
    /// new period at the association's minimum RTO.
    pub max_rto_jiffies: u64,
    /// SACKs received.
    pub in_sacks: u64,
    /// SACKs sent.
    pub out_sacks: u64,
    /// Packets sent.
    pub out_packets: u64,
    /// Packets received.
    pub in_packets: u64,
    /// Chunks retransmitted.
    pub retransmitted_chunks: u64,
    /// TSNs received out of sequence.
    pub out_of_seq_tsns: u64,
    /// Duplicate chunks received.
    pub in_dup_chunks: u64,
    /// Gap-ack blocks received.
    pub gap_count: u64,
    /// Unordered DATA chunks sent.
    pub out_unordered_chunks: u64,
    /// Unordered DATA chunks received.
    pub in_unordered_chunks: u64,
    /// Ordered DATA chunks sent.
    pub out_ordered_chunks: u64,
    /// Ordered DATA chunks received.
    pub in_ordered_chunks: u64,
    /// Control chunks sent.
    pub out_control_chunks: u64,
    /// Control chunks received.
    pub in_control_chunks: u64,
}

/// Which PR-SCTP policy [`SocketOptions::pr_assoc_status`] counts.
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

/// An HMAC algorithm for SCTP-AUTH (`SCTP_AUTH_HMAC_ID_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HmacId {
    /// `SCTP_AUTH_HMAC_ID_SHA1` (1): every list must contain it.
    #[doc(alias = "SCTP_AUTH_HMAC_ID_SHA1")]
    Sha1,
    /// `SCTP_AUTH_HMAC_ID_SHA256` (3).
    #[doc(alias = "SCTP_AUTH_HMAC_ID_SHA256")]
    Sha256,
    /// A value this crate does not know.
    Unknown(u16),
}

impl HmacId {
    /// Converts the kernel's value.
    pub const fn from_raw(raw: u16) -> Self {
        match raw {
            linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA1 => Self::Sha1,
            linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA256 => Self::Sha256,
            other => Self::Unknown(other),
        }
    }

    /// The kernel's value.
    pub const fn to_raw(self) -> u16 {
        match self {
            Self::Sha1 => linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA1,
            Self::Sha256 => linux_sctp_sys::SCTP_AUTH_HMAC_ID_SHA256,
            Self::Unknown(raw) => raw,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Variable-length parsers (total over the kernel's bytes)
// ---------------------------------------------------------------------------------------

fn u32_at(buf: &[u8], at: usize) -> Option<u32> {
    let b = buf.get(at..at.checked_add(4)?)?;
    Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// `struct sctp_assoc_ids`: a u32 count, then that many `sctp_assoc_t`.
fn parse_assoc_ids(buf: &[u8]) -> io::Result<Vec<sctp_assoc_t>> {
    let n = u32_at(buf, 0).ok_or_else(|| bad_data("SCTP_GET_ASSOC_ID_LIST: short".into()))?;
    let body = &buf[4..];
    let n = n as usize;
    if body.len() / 4 < n {
        return Err(bad_data(format!(
            "SCTP_GET_ASSOC_ID_LIST: {n} ids in {} bytes",
            body.len()
        )));
    }
    Ok(body
        .chunks_exact(4)
        .take(n)
        .map(|c| sctp_assoc_t::from_ne_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// `struct sctp_hmacalgo`: a u32 count, then that many u16.
fn parse_hmacalgo(buf: &[u8]) -> io::Result<Vec<HmacId>> {
    let n = u32_at(buf, 0).ok_or_else(|| bad_data("SCTP_HMAC_IDENT: short".into()))? as usize;
    let body = &buf[4..];
    if body.len() / 2 < n {
        return Err(bad_data(format!(
            "SCTP_HMAC_IDENT: {n} ids in {} bytes",
            body.len()
        )));
    }
    Ok(body
        .chunks_exact(2)
        .take(n)
        .map(|c| HmacId::from_raw(u16::from_ne_bytes([c[0], c[1]])))
        .collect())
}

/// `struct sctp_authchunks`: assoc id, u32 count, then that many chunk types.
fn parse_authchunks(buf: &[u8]) -> io::Result<Vec<u8>> {
    let n = u32_at(buf, 4).ok_or_else(|| bad_data("AUTH_CHUNKS: short".into()))? as usize;
    let body = &buf[8..];
    body.get(..n)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| bad_data(format!("AUTH_CHUNKS: {n} chunks in {} bytes", body.len())))
}

// ---------------------------------------------------------------------------------------
// SocketOptions
// ---------------------------------------------------------------------------------------

/// Typed access to the SCTP options of one socket, for one association (or the socket's
/// defaults).
///
/// Cheap to make and `Copy`: it is a borrowed fd and an association id. See the [module
/// documentation](self) for how the id is used and how errors are reported.
///
/// # Examples
///
/// ```no_run
/// use std::os::fd::AsFd;
/// use std::time::Duration;
/// use tokio_linux_sctp::opts::{RtoInfo, SocketOptions};
///
/// # fn f(sock: &std::os::fd::OwnedFd) -> std::io::Result<()> {
/// let opts = SocketOptions::new(sock.as_fd(), linux_sctp_sys::SCTP_FUTURE_ASSOC);
/// opts.set_nodelay(true)?;
/// opts.set_rto_info(&RtoInfo {
///     initial: Duration::from_millis(500),
///     max: Duration::from_secs(5),
///     min: Duration::from_millis(200),
/// })?;
/// let status = opts.status()?;
/// println!("{:?} with {} outbound streams", status.state, status.outbound_streams);
/// # Ok(()) }
/// ```
///
/// # Options a tokio-linux-sctp socket needs
///
/// The receive loop of [`SctpStream`](crate::SctpStream), [`SctpEndpoint`](crate::SctpEndpoint)
/// and the others relies on `SCTP_RECVRCVINFO` (a message's stream, PPID and association) and
/// `SCTP_RECVNXTINFO` (whether another message is queued, which decides when readiness is
/// cleared: with it off, a queued message can stay unread until the next one arrives). The
/// `SocketOptions` those types hand out refuse to turn either off (`InvalidInput`); one made
/// with [`SocketOptions::new`] on a socket you drive yourself allows it.
#[derive(Clone, Copy)]
pub struct SocketOptions<'a> {
    fd: BorrowedFd<'a>,
    assoc_id: sctp_assoc_t,
    /// The socket belongs to a tokio-linux-sctp socket type: keep what its receive loop needs,
    /// and choose events through the socket's choice (`engine/subscriptions.rs`).
    managed: Option<&'a EventChoice>,
}

impl fmt::Debug for SocketOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketOptions")
            .field("fd", &self.fd)
            .field("assoc_id", &self.assoc_id)
            .finish()
    }
}

impl<'a> SocketOptions<'a> {
    /// Options of the SCTP socket `fd`, for the association `assoc_id` (an association id, or
    /// `SCTP_FUTURE_ASSOC` / `SCTP_CURRENT_ASSOC` / `SCTP_ALL_ASSOC`; one-to-one sockets
    /// ignore it).
    pub fn new(fd: BorrowedFd<'a>, assoc_id: sctp_assoc_t) -> Self {
        SocketOptions {
            fd,
            assoc_id,
            managed: None,
        }
    }

    /// Options of a socket driven by one of this crate's socket types, which refuse to turn
    /// off what its receive loop needs (see [`SocketOptions`]).
    pub(crate) fn managed(
        fd: BorrowedFd<'a>,
        assoc_id: sctp_assoc_t,
        events: &'a EventChoice,
    ) -> Self {
        SocketOptions {
            managed: Some(events),
            ..Self::new(fd, assoc_id)
        }
    }

    /// `InvalidInput` when turning `name` off on a socket a tokio-linux-sctp type drives.
    fn keep_on(&self, name: &str, on: bool) -> io::Result<()> {
        if self.managed.is_some() && !on {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{name} must stay on for a tokio-linux-sctp socket: its receive loop relies on \
                     it (use SocketOptions::new on a socket you drive yourself)"
                ),
            ));
        }
        Ok(())
    }

    /// The same socket, another association id.
    pub fn with_assoc_id(self, assoc_id: sctp_assoc_t) -> Self {
        SocketOptions { assoc_id, ..self }
    }

    /// The socket.
    pub fn fd(&self) -> BorrowedFd<'a> {
        self.fd
    }

    /// The association id the options are read and written for.
    pub fn assoc_id(&self) -> sctp_assoc_t {
        self.assoc_id
    }

    // ----- generic helpers ------------------------------------------------------------

    fn get<O>(&self, opt: O) -> io::Result<O::Value>
    where
        O: sockopt::Get,
        O::Value: Pod,
    {
        sockopt::get(self.fd, opt)
    }

    /// In/out getsockopt that insists on a full struct back.
    fn get_inout<O>(&self, opt: O, mut val: O::Value) -> io::Result<O::Value>
    where
        O: sockopt::GetInOut,
        O::Value: Pod,
    {
        let len = sockopt::get_inout(self.fd, opt, &mut val)?;
        if len < size_of::<O::Value>() {
            return Err(bad_data(format!(
                "getsockopt({}) returned {len} bytes, expected {}",
                O::C_NAME,
                size_of::<O::Value>()
            )));
        }
        Ok(val)
    }

    fn set<O>(&self, opt: O, val: &O::Value) -> io::Result<()>
    where
        O: sockopt::Set,
        O::Value: Pod,
    {
        sockopt::set(self.fd, opt, val)
    }

    fn get_bool<O: sockopt::Get<Value = c_int>>(&self, opt: O) -> io::Result<bool> {
        Ok(self.get(opt)? != 0)
    }

    fn set_bool<O: sockopt::Set<Value = c_int>>(&self, opt: O, on: bool) -> io::Result<()> {
        self.set(opt, &c_int::from(on))
    }

    fn assoc_value(&self, value: u32) -> linux_sctp_sys::sctp_assoc_value {
        let mut v = linux_sctp_sys::sctp_assoc_value::default();
        v.assoc_id = self.assoc_id;
        v.assoc_value = value;
        v
    }

    fn get_assoc_value<O>(&self, opt: O) -> io::Result<u32>
    where
        O: sockopt::GetInOut<Value = linux_sctp_sys::sctp_assoc_value>,
    {
        Ok(self.get_inout(opt, self.assoc_value(0))?.assoc_value)
    }

    fn set_assoc_value<O>(&self, opt: O, value: u32) -> io::Result<()>
    where
        O: sockopt::Set<Value = linux_sctp_sys::sctp_assoc_value>,
    {
        self.set(opt, &self.assoc_value(value))
    }

    // ----- status and path information -------------------------------------------------

    /// The association's status.
    ///
    /// Maps to `getsockopt(SCTP_STATUS)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` if there is no such association (or, on a one-to-one socket, none
    /// established).
    #[doc(alias = "SCTP_STATUS")]
    #[doc(alias = "sctp_status")]
    pub fn status(&self) -> io::Result<SctpStatus> {
        let mut s = linux_sctp_sys::sctp_status::default();
        s.sstat_assoc_id = self.assoc_id;
        let s = self.get_inout(sockopt::SCTP_STATUS, s)?;
        Ok(SctpStatus {
            assoc_id: s.sstat_assoc_id,
            state: AssocState::from_raw(s.sstat_state),
            rwnd: s.sstat_rwnd,
            unacked_data: s.sstat_unackdata,
            pending_data: s.sstat_penddata,
            inbound_streams: s.sstat_instrms,
            outbound_streams: s.sstat_outstrms,
            fragmentation_point: s.sstat_fragmentation_point,
            primary: PeerAddrInfo::from_raw(&s.sstat_primary)?,
        })
    }

    /// State of the path to the peer address `addr`.
    ///
    /// Maps to `getsockopt(SCTP_GET_PEER_ADDR_INFO)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` if `addr` is not a peer address of the association; `EACCES` if the path is
    /// potentially failed and that state is hidden ([`PfStateExposure::Disabled`]).
    #[doc(alias = "SCTP_GET_PEER_ADDR_INFO")]
    #[doc(alias = "sctp_paddrinfo")]
    pub fn peer_addr_info(&self, addr: &SocketAddr) -> io::Result<PeerAddrInfo> {
        let mut p = linux_sctp_sys::sctp_paddrinfo::default();
        p.spinfo_assoc_id = self.assoc_id;
        p.spinfo_address = socket_addr_to_raw(addr).0;
        let p = self.get_inout(sockopt::SCTP_GET_PEER_ADDR_INFO, p)?;
        PeerAddrInfo::from_raw(&p)
    }

    /// Association counters. Each read starts a new observation period for
    /// [`AssocStats::max_rto_jiffies`].
    ///
    /// Maps to `getsockopt(SCTP_GET_ASSOC_STATS)` (Linux 3.8+).
    ///
    /// # Errors
    ///
    /// `EINVAL` if there is no such association.
    #[doc(alias = "SCTP_GET_ASSOC_STATS")]
    #[doc(alias = "sctp_assoc_stats")]
    pub fn assoc_stats(&self) -> io::Result<AssocStats> {
        let mut s = linux_sctp_sys::sctp_assoc_stats::default();
        s.sas_assoc_id = self.assoc_id;
        let s = self.get_inout(sockopt::SCTP_GET_ASSOC_STATS, s)?;
        Ok(AssocStats {
            max_rto_address: addr_of_opt(&s.sas_obs_rto_ipaddr)?,
            max_rto_jiffies: s.sas_maxrto,
            in_sacks: s.sas_isacks,
            out_sacks: s.sas_osacks,
            out_packets: s.sas_opackets,
            in_packets: s.sas_ipackets,
            retransmitted_chunks: s.sas_rtxchunks,
            out_of_seq_tsns: s.sas_outofseqtsns,
            in_dup_chunks: s.sas_idupchunks,
            gap_count: s.sas_gapcnt,
            out_unordered_chunks: s.sas_ouodchunks,
            in_unordered_chunks: s.sas_iuodchunks,
            out_ordered_chunks: s.sas_oodchunks,
            in_ordered_chunks: s.sas_iodchunks,
            out_control_chunks: s.sas_octrlchunks,
            in_control_chunks: s.sas_ictrlchunks,
        })
    }

    /// Number of associations on a one-to-many socket.
    ///
    /// Maps to `getsockopt(SCTP_GET_ASSOC_NUMBER)`.
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a one-to-one socket.
    #[doc(alias = "SCTP_GET_ASSOC_NUMBER")]
    pub fn assoc_number(&self) -> io::Result<u32> {
        self.get(sockopt::SCTP_GET_ASSOC_NUMBER)
    }

    /// Ids of the associations on a one-to-many socket.
    ///
    /// Maps to `getsockopt(SCTP_GET_ASSOC_ID_LIST)` (Linux 3.0+), sized from
    /// `SCTP_GET_ASSOC_NUMBER` and retried if associations appear in between (the kernel
    /// answers a short buffer with `EINVAL`).
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a one-to-one socket.
    #[doc(alias = "SCTP_GET_ASSOC_ID_LIST")]
    #[doc(alias = "sctp_assoc_ids")]
    pub fn assoc_ids(&self) -> io::Result<Vec<sctp_assoc_t>> {
        let mut attempt = 0;
        loop {
            let n = self.assoc_number()? as usize;
            // Room for growth between the two calls.
            let room = n + 8 + attempt * 64;
            let mut buf = vec![0u8; 4 + room * size_of::<sctp_assoc_t>()];
            match sockopt::get_bytes(self.fd, sockopt::SCTP_GET_ASSOC_ID_LIST, &mut buf) {
                Ok(len) => return parse_assoc_ids(&buf[..len]),
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) && attempt < 4 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// Abandoned-message counters of the association for `policy` (PR-SCTP).
    ///
    /// Maps to `getsockopt(SCTP_PR_ASSOC_STATUS)` (Linux 4.8+).
    ///
    /// # Errors
    ///
    /// `EINVAL` if there is no such association.
    #[doc(alias = "SCTP_PR_ASSOC_STATUS")]
    pub fn pr_assoc_status(&self, policy: PrStatusPolicy) -> io::Result<PrStatus> {
        self.pr_status(sockopt::SCTP_PR_ASSOC_STATUS, 0, policy)
    }

    /// Abandoned-message counters of outgoing stream `stream` for `policy` (PR-SCTP).
    ///
    /// Maps to `getsockopt(SCTP_PR_STREAM_STATUS)` (Linux 4.12+).
    ///
    /// # Errors
    ///
    /// `EINVAL` if there is no such association or stream.
    #[doc(alias = "SCTP_PR_STREAM_STATUS")]
    pub fn pr_stream_status(&self, stream: u16, policy: PrStatusPolicy) -> io::Result<PrStatus> {
        self.pr_status(sockopt::SCTP_PR_STREAM_STATUS, stream, policy)
    }

    fn pr_status<O>(&self, opt: O, sid: u16, policy: PrStatusPolicy) -> io::Result<PrStatus>
    where
        O: sockopt::GetInOut<Value = linux_sctp_sys::sctp_prstatus>,
    {
        let mut p = linux_sctp_sys::sctp_prstatus::default();
        p.sprstat_assoc_id = self.assoc_id;
        p.sprstat_sid = sid;
        p.sprstat_policy = policy.to_raw();
        let p = self.get_inout(opt, p)?;
        Ok(PrStatus {
            abandoned_unsent: p.sprstat_abandoned_unsent,
            abandoned_sent: p.sprstat_abandoned_sent,
        })
    }

    // ----- timers and retransmission -----------------------------------------------------

    /// Retransmission timeout bounds.
    ///
    /// Maps to `getsockopt(SCTP_RTOINFO)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_RTOINFO")]
    #[doc(alias = "sctp_rtoinfo")]
    pub fn rto_info(&self) -> io::Result<RtoInfo> {
        let mut r = linux_sctp_sys::sctp_rtoinfo::default();
        r.srto_assoc_id = self.assoc_id;
        let r = self.get_inout(sockopt::SCTP_RTOINFO, r)?;
        Ok(RtoInfo {
            initial: ms(r.srto_initial),
            max: ms(r.srto_max),
            min: ms(r.srto_min),
        })
    }

    /// Sets the retransmission timeout bounds; zero durations leave a bound unchanged.
    ///
    /// Maps to `setsockopt(SCTP_RTOINFO)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` if the minimum ends up above the maximum or the initial value outside them;
    /// `InvalidInput` for durations over `u32::MAX` ms.
    #[doc(alias = "SCTP_RTOINFO")]
    pub fn set_rto_info(&self, rto: &RtoInfo) -> io::Result<()> {
        let mut r = linux_sctp_sys::sctp_rtoinfo::default();
        r.srto_assoc_id = self.assoc_id;
        r.srto_initial = ms_u32(rto.initial, "initial RTO too large")?;
        r.srto_max = ms_u32(rto.max, "maximum RTO too large")?;
        r.srto_min = ms_u32(rto.min, "minimum RTO too large")?;
        self.set(sockopt::SCTP_RTOINFO, &r)
    }

    /// Association parameters: maximum retransmissions, cookie life, peer count and windows.
    ///
    /// Maps to `getsockopt(SCTP_ASSOCINFO)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_ASSOCINFO")]
    #[doc(alias = "sctp_assocparams")]
    pub fn assoc_info(&self) -> io::Result<AssocInfo> {
        let mut a = linux_sctp_sys::sctp_assocparams::default();
        a.sasoc_assoc_id = self.assoc_id;
        let a = self.get_inout(sockopt::SCTP_ASSOCINFO, a)?;
        Ok(AssocInfo {
            max_retransmissions: a.sasoc_asocmaxrxt,
            peer_destinations: a.sasoc_number_peer_destinations,
            peer_rwnd: a.sasoc_peer_rwnd,
            local_rwnd: a.sasoc_local_rwnd,
            cookie_life: ms(a.sasoc_cookie_life),
        })
    }

    /// Sets the association's maximum retransmissions and cookie life (zero leaves one
    /// unchanged; the read-only fields are ignored).
    ///
    /// Maps to `setsockopt(SCTP_ASSOCINFO)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` if `max_retransmissions` exceeds the sum of the paths' maximums (with more
    /// than one path); `InvalidInput` for a cookie life over `u32::MAX` ms.
    #[doc(alias = "SCTP_ASSOCINFO")]
    pub fn set_assoc_info(&self, info: &AssocInfo) -> io::Result<()> {
        let mut a = linux_sctp_sys::sctp_assocparams::default();
        a.sasoc_assoc_id = self.assoc_id;
        a.sasoc_asocmaxrxt = info.max_retransmissions;
        a.sasoc_cookie_life = ms_u32(info.cookie_life, "cookie life too large")?;
        self.set(sockopt::SCTP_ASSOCINFO, &a)
    }

    /// INIT parameters for future associations.
    ///
    /// Maps to `getsockopt(SCTP_INITMSG)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_INITMSG")]
    #[doc(alias = "sctp_initmsg")]
    pub fn init_msg(&self) -> io::Result<InitMsg> {
        let i = self.get(sockopt::SCTP_INITMSG)?;
        Ok(InitMsg {
            num_ostreams: i.sinit_num_ostreams,
            max_instreams: i.sinit_max_instreams,
            max_attempts: i.sinit_max_attempts,
            max_init_timeout: ms(u32::from(i.sinit_max_init_timeo)),
        })
    }

    /// Sets the INIT parameters for future associations (zero fields leave a value
    /// unchanged).
    ///
    /// Maps to `setsockopt(SCTP_INITMSG)`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if `max_init_timeout` is over 65535 ms.
    #[doc(alias = "SCTP_INITMSG")]
    pub fn set_init_msg(&self, init: &InitMsg) -> io::Result<()> {
        let timeo = ms_u32(init.max_init_timeout, "max_init_timeout over 65535 ms")?;
        let mut i = linux_sctp_sys::sctp_initmsg::default();
        i.sinit_num_ostreams = init.num_ostreams;
        i.sinit_max_instreams = init.max_instreams;
        i.sinit_max_attempts = init.max_attempts;
        i.sinit_max_init_timeo =
            u16::try_from(timeo).map_err(|_| invalid("max_init_timeout over 65535 ms"))?;
        self.set(sockopt::SCTP_INITMSG, &i)
    }

    /// Heartbeat, path MTU, SACK delay, flow label and DSCP of one path (`Some(addr)`) or of
    /// the association / socket defaults (`None`).
    ///
    /// Maps to `getsockopt(SCTP_PEER_ADDR_PARAMS)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association or an address that is not the peer's.
    #[doc(alias = "SCTP_PEER_ADDR_PARAMS")]
    #[doc(alias = "sctp_paddrparams")]
    pub fn peer_addr_params(&self, addr: Option<&SocketAddr>) -> io::Result<PeerAddrParams> {
        let mut p = linux_sctp_sys::sctp_paddrparams::default();
        p.spp_assoc_id = self.assoc_id;
        p.spp_address = storage_of(addr);
        let p = self.get_inout(sockopt::SCTP_PEER_ADDR_PARAMS, p)?;
        // Copy the packed fields out by value.
        let address = p.spp_address;
        let flags = p.spp_flags;
        let label = p.spp_ipv6_flowlabel;
        let dscp = p.spp_dscp;
        Ok(PeerAddrParams {
            address: addr_of_opt(&address)?,
            heartbeat: flags & linux_sctp_sys::SPP_HB_ENABLE != 0,
            heartbeat_interval: ms(p.spp_hbinterval),
            path_max_retransmissions: p.spp_pathmaxrxt,
            pmtud: flags & linux_sctp_sys::SPP_PMTUD_ENABLE != 0,
            path_mtu: p.spp_pathmtu,
            sack_delay_enabled: flags & linux_sctp_sys::SPP_SACKDELAY_ENABLE != 0,
            sack_delay: ms(p.spp_sackdelay),
            ipv6_flow_label: (flags & linux_sctp_sys::SPP_IPV6_FLOWLABEL != 0).then_some(label),
            dscp: (flags & linux_sctp_sys::SPP_DSCP != 0).then_some(dscp >> 2),
        })
    }

    /// Changes heartbeat, path MTU, SACK delay, flow label or DSCP of one path
    /// (`Some(addr)`) or of the association / socket defaults (`None`, which also applies
    /// the change to every existing path of the association).
    ///
    /// Maps to `setsockopt(SCTP_PEER_ADDR_PARAMS)`.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for contradictory or out-of-range fields (see
    /// [`PeerAddrParamsChange`]); `EINVAL` from the kernel for a SACK delay over 500 ms, an
    /// unknown association or address, or an on-demand heartbeat without an association.
    #[doc(alias = "SCTP_PEER_ADDR_PARAMS")]
    pub fn set_peer_addr_params(
        &self,
        addr: Option<&SocketAddr>,
        change: &PeerAddrParamsChange,
    ) -> io::Result<()> {
        let p = change.to_raw(self.assoc_id, addr)?;
        self.set(sockopt::SCTP_PEER_ADDR_PARAMS, &p)
    }

    /// Path failure thresholds of one path (`Some(addr)`) or of the association / socket
    /// (`None`).
    ///
    /// Maps to `getsockopt(SCTP_PEER_ADDR_THLDS_V2)` (Linux 5.5+).
    ///
    /// # Errors
    ///
    /// `ENOENT` for an address that is not the peer's; `EINVAL` for an unknown association.
    #[doc(alias = "SCTP_PEER_ADDR_THLDS_V2")]
    #[doc(alias = "SCTP_PEER_ADDR_THLDS")]
    #[doc(alias = "sctp_paddrthlds_v2")]
    pub fn peer_addr_thresholds(&self, addr: Option<&SocketAddr>) -> io::Result<PathThresholds> {
        let mut t = linux_sctp_sys::sctp_paddrthlds_v2::default();
        t.spt_assoc_id = self.assoc_id;
        t.spt_address = storage_of(addr);
        let t = self.get_inout(sockopt::SCTP_PEER_ADDR_THLDS_V2, t)?;
        Ok(PathThresholds {
            path_max_retransmissions: t.spt_pathmaxrxt,
            pf_threshold: t.spt_pathpfthld,
            ps_threshold: t.spt_pathcpthld,
        })
    }

    /// Sets the path failure thresholds of one path (`Some(addr)`) or of the association /
    /// socket and all its paths (`None`).
    ///
    /// Maps to `setsockopt(SCTP_PEER_ADDR_THLDS_V2)` (Linux 5.5+).
    ///
    /// # Errors
    ///
    /// `EINVAL` if `pf_threshold > ps_threshold`; `ENOENT` for an address that is not the
    /// peer's.
    #[doc(alias = "SCTP_PEER_ADDR_THLDS_V2")]
    #[doc(alias = "SCTP_PEER_ADDR_THLDS")]
    pub fn set_peer_addr_thresholds(
        &self,
        addr: Option<&SocketAddr>,
        thresholds: &PathThresholds,
    ) -> io::Result<()> {
        let mut t = linux_sctp_sys::sctp_paddrthlds_v2::default();
        t.spt_assoc_id = self.assoc_id;
        t.spt_address = storage_of(addr);
        t.spt_pathmaxrxt = thresholds.path_max_retransmissions;
        t.spt_pathpfthld = thresholds.pf_threshold;
        t.spt_pathcpthld = thresholds.ps_threshold;
        self.set(sockopt::SCTP_PEER_ADDR_THLDS_V2, &t)
    }

    /// Whether the potentially-failed path state is reported.
    ///
    /// Maps to `getsockopt(SCTP_EXPOSE_POTENTIALLY_FAILED_STATE)` (Linux 5.5+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_EXPOSE_POTENTIALLY_FAILED_STATE")]
    #[doc(alias = "SCTP_EXPOSE_PF_STATE")]
    pub fn expose_pf_state(&self) -> io::Result<PfStateExposure> {
        Ok(PfStateExposure::from_raw(self.get_assoc_value(
            sockopt::SCTP_EXPOSE_POTENTIALLY_FAILED_STATE,
        )?))
    }

    /// Sets whether the potentially-failed path state is reported.
    ///
    /// Maps to `setsockopt(SCTP_EXPOSE_POTENTIALLY_FAILED_STATE)` (Linux 5.5+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for a value above 2 or an unknown association.
    #[doc(alias = "SCTP_EXPOSE_POTENTIALLY_FAILED_STATE")]
    pub fn set_expose_pf_state(&self, exposure: PfStateExposure) -> io::Result<()> {
        self.set_assoc_value(
            sockopt::SCTP_EXPOSE_POTENTIALLY_FAILED_STATE,
            exposure.to_raw(),
        )
    }

    /// Delayed-SACK timeout and frequency.
    ///
    /// Maps to `getsockopt(SCTP_DELAYED_SACK)` with `struct sctp_sack_info`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_DELAYED_SACK")]
    #[doc(alias = "SCTP_DELAYED_ACK_TIME")]
    #[doc(alias = "sctp_sack_info")]
    pub fn delayed_sack(&self) -> io::Result<DelayedSack> {
        let mut s = linux_sctp_sys::sctp_sack_info::default();
        s.sack_assoc_id = self.assoc_id;
        let s = self.get_inout(sockopt::SCTP_DELAYED_SACK, s)?;
        Ok(DelayedSack {
            delay: ms(s.sack_delay),
            frequency: s.sack_freq,
        })
    }

    /// Sets the delayed-SACK timeout and frequency (`frequency == 1` turns delayed SACK off;
    /// zero fields leave a value unchanged).
    ///
    /// Maps to `setsockopt(SCTP_DELAYED_SACK)` with `struct sctp_sack_info`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for a delay over 500 ms.
    #[doc(alias = "SCTP_DELAYED_SACK")]
    pub fn set_delayed_sack(&self, sack: &DelayedSack) -> io::Result<()> {
        let mut s = linux_sctp_sys::sctp_sack_info::default();
        s.sack_assoc_id = self.assoc_id;
        s.sack_delay = ms_u32(sack.delay, "SACK delay too large")?;
        s.sack_freq = sack.frequency;
        self.set(sockopt::SCTP_DELAYED_SACK, &s)
    }

    /// Idle time after which a one-to-many socket closes an association (`None`: never).
    ///
    /// Maps to `getsockopt(SCTP_AUTOCLOSE)` (seconds).
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a one-to-one socket.
    #[doc(alias = "SCTP_AUTOCLOSE")]
    pub fn autoclose(&self) -> io::Result<Option<Duration>> {
        let secs = self.get(sockopt::SCTP_AUTOCLOSE)?;
        Ok((secs > 0).then(|| Duration::from_secs(secs as u64)))
    }

    /// Sets the idle time after which a one-to-many socket closes an association, in whole
    /// seconds (rounded up; `None` or zero: never). The kernel caps it at the sysctl
    /// `net.sctp.max_autoclose`.
    ///
    /// Maps to `setsockopt(SCTP_AUTOCLOSE)`.
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a one-to-one socket; `InvalidInput` over `i32::MAX` seconds.
    #[doc(alias = "SCTP_AUTOCLOSE")]
    pub fn set_autoclose(&self, idle: Option<Duration>) -> io::Result<()> {
        let secs = match idle {
            None => 0,
            Some(d) => d.as_secs() + u64::from(d.subsec_nanos() != 0),
        };
        let secs = c_int::try_from(secs).map_err(|_| invalid("autoclose too large"))?;
        self.set(sockopt::SCTP_AUTOCLOSE, &secs)
    }

    // ----- sending and fragmentation --------------------------------------------------------

    /// Whether the Nagle-like bundling delay is off.
    ///
    /// Maps to `getsockopt(SCTP_NODELAY)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_NODELAY")]
    pub fn nodelay(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_NODELAY)
    }

    /// Turns the Nagle-like bundling delay off (`true`) or on.
    ///
    /// Maps to `setsockopt(SCTP_NODELAY)`.
    ///
    /// # Errors
    ///
    /// The `setsockopt(2)` error.
    #[doc(alias = "SCTP_NODELAY")]
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.set_bool(sockopt::SCTP_NODELAY, nodelay)
    }

    /// The user fragmentation point in bytes (0: follow the path MTU).
    ///
    /// Maps to `getsockopt(SCTP_MAXSEG)` with `struct sctp_assoc_value`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_MAXSEG")]
    pub fn maxseg(&self) -> io::Result<u32> {
        self.get_assoc_value(sockopt::SCTP_MAXSEG)
    }

    /// Sets the user fragmentation point in bytes (0: follow the path MTU).
    ///
    /// Maps to `setsockopt(SCTP_MAXSEG)` with `struct sctp_assoc_value`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for a value out of the kernel's range (too small for a DATA chunk, or above
    /// `SCTP_MAX_CHUNK_LEN`).
    #[doc(alias = "SCTP_MAXSEG")]
    pub fn set_maxseg(&self, maxseg: u32) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_MAXSEG, maxseg)
    }

    /// Whether messages larger than the fragmentation point are refused (`EMSGSIZE`) instead
    /// of fragmented.
    ///
    /// Maps to `getsockopt(SCTP_DISABLE_FRAGMENTS)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_DISABLE_FRAGMENTS")]
    pub fn disable_fragments(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_DISABLE_FRAGMENTS)
    }

    /// Refuses (`true`) or fragments messages larger than the fragmentation point.
    ///
    /// Maps to `setsockopt(SCTP_DISABLE_FRAGMENTS)`.
    ///
    /// # Errors
    ///
    /// The `setsockopt(2)` error.
    #[doc(alias = "SCTP_DISABLE_FRAGMENTS")]
    pub fn set_disable_fragments(&self, disable: bool) -> io::Result<()> {
        self.set_bool(sockopt::SCTP_DISABLE_FRAGMENTS, disable)
    }

    /// Maximum number of packets sent in one burst (0: no limit; sysctl default 4).
    ///
    /// Maps to `getsockopt(SCTP_MAX_BURST)` with `struct sctp_assoc_value`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_MAX_BURST")]
    pub fn max_burst(&self) -> io::Result<u32> {
        self.get_assoc_value(sockopt::SCTP_MAX_BURST)
    }

    /// Sets the maximum burst (0: no limit). Accepts `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_MAX_BURST)` with `struct sctp_assoc_value`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_MAX_BURST")]
    pub fn set_max_burst(&self, max_burst: u32) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_MAX_BURST, max_burst)
    }

    /// Default parameters for sends that carry no send-info control message.
    ///
    /// Maps to `getsockopt(SCTP_DEFAULT_SNDINFO)` (Linux 3.17+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_DEFAULT_SNDINFO")]
    #[doc(alias = "SCTP_DEFAULT_SEND_PARAM")]
    pub fn default_sndinfo(&self) -> io::Result<DefaultSendInfo> {
        let mut s = linux_sctp_sys::sctp_sndinfo::default();
        s.snd_assoc_id = self.assoc_id;
        let s = self.get_inout(sockopt::SCTP_DEFAULT_SNDINFO, s)?;
        Ok(DefaultSendInfo {
            stream: s.snd_sid,
            flags: s.snd_flags,
            ppid: u32::from_be(s.snd_ppid),
            context: s.snd_context,
        })
    }

    /// Sets the default parameters for sends that carry no send-info control message.
    /// Accepts `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_DEFAULT_SNDINFO)` (Linux 3.17+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for flags other than `SCTP_UNORDERED`, `SCTP_ADDR_OVER`, `SCTP_ABORT`,
    /// `SCTP_EOF`, or an unknown association.
    #[doc(alias = "SCTP_DEFAULT_SNDINFO")]
    pub fn set_default_sndinfo(&self, info: &DefaultSendInfo) -> io::Result<()> {
        let mut s = linux_sctp_sys::sctp_sndinfo::default();
        s.snd_assoc_id = self.assoc_id;
        s.snd_sid = info.stream;
        s.snd_flags = info.flags;
        s.snd_ppid = info.ppid.to_be();
        s.snd_context = info.context;
        self.set(sockopt::SCTP_DEFAULT_SNDINFO, &s)
    }

    /// The default partial-reliability policy of sends.
    ///
    /// Maps to `getsockopt(SCTP_DEFAULT_PRINFO)` (Linux 4.8+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association; `InvalidData` for a policy this crate does not
    /// know.
    #[doc(alias = "SCTP_DEFAULT_PRINFO")]
    #[doc(alias = "sctp_default_prinfo")]
    pub fn default_prinfo(&self) -> io::Result<PrPolicy> {
        let mut p = linux_sctp_sys::sctp_default_prinfo::default();
        p.pr_assoc_id = self.assoc_id;
        let p = self.get_inout(sockopt::SCTP_DEFAULT_PRINFO, p)?;
        PrPolicy::from_raw(p.pr_policy, p.pr_value)
            .ok_or_else(|| bad_data(format!("unknown PR-SCTP policy {:#x}", p.pr_policy)))
    }

    /// Sets the default partial-reliability policy of sends. Accepts
    /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_DEFAULT_PRINFO)` (Linux 4.8+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association.
    #[doc(alias = "SCTP_DEFAULT_PRINFO")]
    pub fn set_default_prinfo(&self, policy: PrPolicy) -> io::Result<()> {
        let mut p = linux_sctp_sys::sctp_default_prinfo::default();
        p.pr_assoc_id = self.assoc_id;
        p.pr_policy = policy.policy();
        p.pr_value = policy.value();
        self.set(sockopt::SCTP_DEFAULT_PRINFO, &p)
    }

    /// The value the kernel reports as the context of received messages (`rcv_context`).
    ///
    /// Maps to `getsockopt(SCTP_CONTEXT)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_CONTEXT")]
    pub fn context(&self) -> io::Result<u32> {
        self.get_assoc_value(sockopt::SCTP_CONTEXT)
    }

    /// Sets the context reported with received messages. Accepts
    /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_CONTEXT)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_CONTEXT")]
    pub fn set_context(&self, context: u32) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_CONTEXT, context)
    }

    // ----- receiving ------------------------------------------------------------------------

    /// Whether partial deliveries of different associations may interleave.
    ///
    /// Maps to `getsockopt(SCTP_FRAGMENT_INTERLEAVE)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_FRAGMENT_INTERLEAVE")]
    pub fn fragment_interleave(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_FRAGMENT_INTERLEAVE)
    }

    /// Lets partial deliveries of different associations interleave (`true`); turning it
    /// off also turns I-DATA interleaving off.
    ///
    /// Maps to `setsockopt(SCTP_FRAGMENT_INTERLEAVE)`.
    ///
    /// # Errors
    ///
    /// The `setsockopt(2)` error.
    #[doc(alias = "SCTP_FRAGMENT_INTERLEAVE")]
    pub fn set_fragment_interleave(&self, on: bool) -> io::Result<()> {
        self.set_bool(sockopt::SCTP_FRAGMENT_INTERLEAVE, on)
    }

    /// Message size at which partial delivery starts, in bytes (0: only under memory
    /// pressure).
    ///
    /// Maps to `getsockopt(SCTP_PARTIAL_DELIVERY_POINT)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_PARTIAL_DELIVERY_POINT")]
    pub fn partial_delivery_point(&self) -> io::Result<u32> {
        self.get(sockopt::SCTP_PARTIAL_DELIVERY_POINT)
    }

    /// Sets the message size at which partial delivery starts.
    ///
    /// Maps to `setsockopt(SCTP_PARTIAL_DELIVERY_POINT)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` above half the receive buffer (`SO_RCVBUF`).
    #[doc(alias = "SCTP_PARTIAL_DELIVERY_POINT")]
    pub fn set_partial_delivery_point(&self, bytes: u32) -> io::Result<()> {
        self.set(sockopt::SCTP_PARTIAL_DELIVERY_POINT, &bytes)
    }

    /// Whether received messages carry an `SCTP_RCVINFO` control message.
    ///
    /// Maps to `getsockopt(SCTP_RECVRCVINFO)` (Linux 3.17+).
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_RECVRCVINFO")]
    pub fn recv_rcvinfo(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_RECVRCVINFO)
    }

    /// Asks for an `SCTP_RCVINFO` control message with every received message.
    ///
    /// Maps to `setsockopt(SCTP_RECVRCVINFO)` (Linux 3.17+).
    ///
    /// **The socket types of this crate need it on** (see [`SocketOptions`]): on options
    /// obtained from one of them, `set_recv_rcvinfo(false)` fails and changes nothing.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for `false` on a tokio-linux-sctp socket; the `setsockopt(2)` error.
    #[doc(alias = "SCTP_RECVRCVINFO")]
    pub fn set_recv_rcvinfo(&self, on: bool) -> io::Result<()> {
        self.keep_on("SCTP_RECVRCVINFO", on)?;
        self.set_bool(sockopt::SCTP_RECVRCVINFO, on)
    }

    /// Whether received messages carry an `SCTP_NXTINFO` control message (about the next
    /// queued message).
    ///
    /// Maps to `getsockopt(SCTP_RECVNXTINFO)` (Linux 3.17+).
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_RECVNXTINFO")]
    pub fn recv_nxtinfo(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_RECVNXTINFO)
    }

    /// Asks for an `SCTP_NXTINFO` control message with every received message.
    ///
    /// Maps to `setsockopt(SCTP_RECVNXTINFO)` (Linux 3.17+).
    ///
    /// **The socket types of this crate need it on** (see [`SocketOptions`]): on options
    /// obtained from one of them, `set_recv_nxtinfo(false)` fails and changes nothing.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for `false` on a tokio-linux-sctp socket; the `setsockopt(2)` error.
    #[doc(alias = "SCTP_RECVNXTINFO")]
    pub fn set_recv_nxtinfo(&self, on: bool) -> io::Result<()> {
        self.keep_on("SCTP_RECVNXTINFO", on)?;
        self.set_bool(sockopt::SCTP_RECVNXTINFO, on)
    }

    /// Whether the notification `event` is subscribed.
    ///
    /// Maps to `getsockopt(SCTP_EVENT)` (Linux 5.0+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an event type the kernel does not know or an unknown association.
    #[doc(alias = "SCTP_EVENT")]
    #[doc(alias = "sctp_event")]
    pub fn event(&self, event: EventType) -> io::Result<bool> {
        let e = self.get_inout(
            sockopt::SCTP_EVENT,
            event.to_sctp_event(self.assoc_id, false),
        )?;
        Ok(e.se_on != 0)
    }

    /// Subscribes to (`true`) or unsubscribes from the notification `event`. Accepts
    /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_EVENT)` (Linux 5.0+).
    ///
    /// On options of a tokio-linux-sctp socket the choice is the socket's, as
    /// [`SctpSocket::subscribe`](crate::SctpSocket::subscribe) makes it: `event` then reaches
    /// the socket's [event stream](crate::SctpEvents) exactly when it is on. Association
    /// changes, shutdown and partial delivery events stay subscribed in the kernel (the
    /// socket needs them); turning one off stops its delivery only.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an event type the kernel does not know (`SendFailedEvent` before 5.5) or
    /// an unknown association.
    #[doc(alias = "SCTP_EVENT")]
    pub fn set_event(&self, event: EventType, on: bool) -> io::Result<()> {
        if let Some(events) = self.managed {
            return events.set_event(self.fd, self.assoc_id, event, on);
        }
        self.set(sockopt::SCTP_EVENT, &event.to_sctp_event(self.assoc_id, on))
    }

    // ----- addresses --------------------------------------------------------------------

    /// Whether IPv4 peers of an `AF_INET6` socket are reported as v4-mapped IPv6 addresses
    /// (on by default).
    ///
    /// Maps to `getsockopt(SCTP_I_WANT_MAPPED_V4_ADDR)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_I_WANT_MAPPED_V4_ADDR")]
    pub fn mapped_v4(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_I_WANT_MAPPED_V4_ADDR)
    }

    /// Reports IPv4 peers as v4-mapped IPv6 addresses (`true`) or as IPv4.
    ///
    /// Maps to `setsockopt(SCTP_I_WANT_MAPPED_V4_ADDR)`.
    ///
    /// # Errors
    ///
    /// The `setsockopt(2)` error.
    #[doc(alias = "SCTP_I_WANT_MAPPED_V4_ADDR")]
    pub fn set_mapped_v4(&self, on: bool) -> io::Result<()> {
        self.set_bool(sockopt::SCTP_I_WANT_MAPPED_V4_ADDR, on)
    }

    /// The peer address used as the primary path.
    ///
    /// Maps to `getsockopt(SCTP_PRIMARY_ADDR)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` if there is no such association.
    #[doc(alias = "SCTP_PRIMARY_ADDR")]
    #[doc(alias = "sctp_prim")]
    pub fn primary_addr(&self) -> io::Result<SocketAddr> {
        let mut p = linux_sctp_sys::sctp_prim::default();
        p.ssp_assoc_id = self.assoc_id;
        let p = self.get_inout(sockopt::SCTP_PRIMARY_ADDR, p)?;
        let addr = p.ssp_addr;
        addr_of(&addr)
    }

    /// Makes the peer address `addr` the primary path.
    ///
    /// Maps to `setsockopt(SCTP_PRIMARY_ADDR)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` if `addr` is not a peer address of the association.
    #[doc(alias = "SCTP_PRIMARY_ADDR")]
    pub fn set_primary_addr(&self, addr: &SocketAddr) -> io::Result<()> {
        let mut p = linux_sctp_sys::sctp_prim::default();
        p.ssp_assoc_id = self.assoc_id;
        p.ssp_addr = socket_addr_to_raw(addr).0;
        self.set(sockopt::SCTP_PRIMARY_ADDR, &p)
    }

    /// Asks the peer to use our address `addr` as its primary path (ASCONF SET PRIMARY).
    ///
    /// Maps to `setsockopt(SCTP_SET_PEER_PRIMARY_ADDR)`.
    ///
    /// # Errors
    ///
    /// `EPERM` if ASCONF is off here ([`set_asconf_supported`](Self::set_asconf_supported),
    /// sysctl `net.sctp.addip_enable`) or the peer did not negotiate it; `EADDRNOTAVAIL` if
    /// `addr` is not a local address of the association; `ENOTCONN`/`EINVAL` without an
    /// established association.
    #[doc(alias = "SCTP_SET_PEER_PRIMARY_ADDR")]
    #[doc(alias = "sctp_setpeerprim")]
    pub fn set_peer_primary_addr(&self, addr: &SocketAddr) -> io::Result<()> {
        let mut p = linux_sctp_sys::sctp_setpeerprim::default();
        p.sspp_assoc_id = self.assoc_id;
        p.sspp_addr = socket_addr_to_raw(addr).0;
        self.set(sockopt::SCTP_SET_PEER_PRIMARY_ADDR, &p)
    }

    /// Whether local address changes are announced to peers automatically (ASCONF).
    ///
    /// Maps to `getsockopt(SCTP_AUTO_ASCONF)` (Linux 3.1+).
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_AUTO_ASCONF")]
    pub fn auto_asconf(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_AUTO_ASCONF)
    }

    /// Announces local address changes to peers automatically (`true`).
    ///
    /// Maps to `setsockopt(SCTP_AUTO_ASCONF)` (Linux 3.1+).
    ///
    /// # Errors
    ///
    /// `EINVAL` unless the socket is bound to the wildcard address.
    #[doc(alias = "SCTP_AUTO_ASCONF")]
    pub fn set_auto_asconf(&self, on: bool) -> io::Result<()> {
        self.set_bool(sockopt::SCTP_AUTO_ASCONF, on)
    }

    /// Whether the port may be reused by another one-to-one socket (RFC 6458 §8.1.27).
    ///
    /// Maps to `getsockopt(SCTP_REUSE_PORT)` (Linux 4.19+). Always `false` on a one-to-many
    /// socket.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_REUSE_PORT")]
    pub fn reuse_port(&self) -> io::Result<bool> {
        self.get_bool(sockopt::SCTP_REUSE_PORT)
    }

    /// Allows (`true`) another one-to-one socket to bind the same port. Must be called
    /// before `bind`.
    ///
    /// Maps to `setsockopt(SCTP_REUSE_PORT)` (Linux 4.19+). `SO_REUSEPORT` (socket2) is a
    /// different option.
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a one-to-many socket; `EFAULT` (sic) once the socket is bound.
    #[doc(alias = "SCTP_REUSE_PORT")]
    pub fn set_reuse_port(&self, on: bool) -> io::Result<()> {
        self.set_bool(sockopt::SCTP_REUSE_PORT, on)
    }

    /// The remote UDP encapsulation port (RFC 6951) of a path (`Some(addr)`) or of the
    /// association / socket (`None`); 0 means no encapsulation.
    ///
    /// Maps to `getsockopt(SCTP_REMOTE_UDP_ENCAPS_PORT)` (Linux 5.11+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association or address.
    #[doc(alias = "SCTP_REMOTE_UDP_ENCAPS_PORT")]
    #[doc(alias = "sctp_udpencaps")]
    pub fn remote_udp_encaps_port(&self, addr: Option<&SocketAddr>) -> io::Result<u16> {
        let mut u = linux_sctp_sys::sctp_udpencaps::default();
        u.sue_assoc_id = self.assoc_id;
        u.sue_address = storage_of(addr);
        let u = self.get_inout(sockopt::SCTP_REMOTE_UDP_ENCAPS_PORT, u)?;
        Ok(u16::from_be(u.sue_port))
    }

    /// Sets the remote UDP encapsulation port (host byte order; 0 turns encapsulation off)
    /// of a path or of the association / socket. Packets are encapsulated only if the local
    /// UDP port is set too (sysctl `net.sctp.udp_port`).
    ///
    /// Maps to `setsockopt(SCTP_REMOTE_UDP_ENCAPS_PORT)` (Linux 5.11+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association or address.
    #[doc(alias = "SCTP_REMOTE_UDP_ENCAPS_PORT")]
    pub fn set_remote_udp_encaps_port(
        &self,
        addr: Option<&SocketAddr>,
        port: u16,
    ) -> io::Result<()> {
        let mut u = linux_sctp_sys::sctp_udpencaps::default();
        u.sue_assoc_id = self.assoc_id;
        u.sue_address = storage_of(addr);
        u.sue_port = port.to_be();
        self.set(sockopt::SCTP_REMOTE_UDP_ENCAPS_PORT, &u)
    }

    /// The PLPMTUD (RFC 8899) probe interval of a path or of the association / socket
    /// (`None`: probing off, the sysctl default).
    ///
    /// Maps to `getsockopt(SCTP_PLPMTUD_PROBE_INTERVAL)` (Linux 5.14+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association or address.
    #[doc(alias = "SCTP_PLPMTUD_PROBE_INTERVAL")]
    #[doc(alias = "sctp_probeinterval")]
    pub fn plpmtud_probe_interval(
        &self,
        addr: Option<&SocketAddr>,
    ) -> io::Result<Option<Duration>> {
        let mut p = linux_sctp_sys::sctp_probeinterval::default();
        p.spi_assoc_id = self.assoc_id;
        p.spi_address = storage_of(addr);
        let p = self.get_inout(sockopt::SCTP_PLPMTUD_PROBE_INTERVAL, p)?;
        Ok((p.spi_interval != 0).then(|| ms(p.spi_interval)))
    }

    /// Sets the PLPMTUD probe interval (`None` turns probing off).
    ///
    /// Maps to `setsockopt(SCTP_PLPMTUD_PROBE_INTERVAL)` (Linux 5.14+).
    ///
    /// # Errors
    ///
    /// `EINVAL` below the kernel's minimum of 5 s (`SCTP_PROBE_TIMER_MIN`), or for an
    /// unknown association or address.
    #[doc(alias = "SCTP_PLPMTUD_PROBE_INTERVAL")]
    pub fn set_plpmtud_probe_interval(
        &self,
        addr: Option<&SocketAddr>,
        interval: Option<Duration>,
    ) -> io::Result<()> {
        let mut p = linux_sctp_sys::sctp_probeinterval::default();
        p.spi_assoc_id = self.assoc_id;
        p.spi_address = storage_of(addr);
        p.spi_interval = match interval {
            None => 0,
            Some(d) => match ms_u32(d, "probe interval too large")? {
                0 => {
                    return Err(invalid(
                        "a zero probe interval: use None to turn probing off",
                    ))
                }
                v => v,
            },
        };
        self.set(sockopt::SCTP_PLPMTUD_PROBE_INTERVAL, &p)
    }

    // ----- features advertised at association setup ------------------------------------------

    /// The Adaptation Layer Indication sent in INIT / INIT-ACK.
    ///
    /// Maps to `getsockopt(SCTP_ADAPTATION_LAYER)`.
    ///
    /// # Errors
    ///
    /// The `getsockopt(2)` error.
    #[doc(alias = "SCTP_ADAPTATION_LAYER")]
    pub fn adaptation_layer(&self) -> io::Result<u32> {
        Ok(self.get(sockopt::SCTP_ADAPTATION_LAYER)?.ssb_adaptation_ind)
    }

    /// Sets the Adaptation Layer Indication sent in INIT / INIT-ACK (the peer sees it in an
    /// adaptation-indication notification).
    ///
    /// Maps to `setsockopt(SCTP_ADAPTATION_LAYER)`.
    ///
    /// # Errors
    ///
    /// The `setsockopt(2)` error.
    #[doc(alias = "SCTP_ADAPTATION_LAYER")]
    pub fn set_adaptation_layer(&self, indication: u32) -> io::Result<()> {
        let mut a = linux_sctp_sys::sctp_setadaptation::default();
        a.ssb_adaptation_ind = indication;
        self.set(sockopt::SCTP_ADAPTATION_LAYER, &a)
    }

    /// PR-SCTP (RFC 3758): with an association, whether the peer supports it; otherwise
    /// whether we advertise it.
    ///
    /// Maps to `getsockopt(SCTP_PR_SUPPORTED)` (Linux 4.8+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_PR_SUPPORTED")]
    pub fn pr_supported(&self) -> io::Result<bool> {
        Ok(self.get_assoc_value(sockopt::SCTP_PR_SUPPORTED)? != 0)
    }

    /// Advertises PR-SCTP in future associations (default: sysctl `prsctp_enable`, on).
    ///
    /// Maps to `setsockopt(SCTP_PR_SUPPORTED)` (Linux 4.8+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_PR_SUPPORTED")]
    pub fn set_pr_supported(&self, on: bool) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_PR_SUPPORTED, u32::from(on))
    }

    /// Stream reconfiguration (RFC 6525): with an association, whether the peer supports it;
    /// otherwise whether we advertise it.
    ///
    /// Maps to `getsockopt(SCTP_RECONFIG_SUPPORTED)` (Linux 4.12+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_RECONFIG_SUPPORTED")]
    pub fn reconfig_supported(&self) -> io::Result<bool> {
        Ok(self.get_assoc_value(sockopt::SCTP_RECONFIG_SUPPORTED)? != 0)
    }

    /// Advertises stream reconfiguration in future associations (default: sysctl
    /// `net.sctp.reconf_enable`, off).
    ///
    /// Maps to `setsockopt(SCTP_RECONFIG_SUPPORTED)` (Linux 4.12+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_RECONFIG_SUPPORTED")]
    pub fn set_reconfig_supported(&self, on: bool) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_RECONFIG_SUPPORTED, u32::from(on))
    }

    /// I-DATA message interleaving (RFC 8260): with an association, whether it was
    /// negotiated; otherwise whether we advertise it.
    ///
    /// Maps to `getsockopt(SCTP_INTERLEAVING_SUPPORTED)` (Linux 4.16+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_INTERLEAVING_SUPPORTED")]
    pub fn interleaving_supported(&self) -> io::Result<bool> {
        Ok(self.get_assoc_value(sockopt::SCTP_INTERLEAVING_SUPPORTED)? != 0)
    }

    /// Advertises I-DATA interleaving in future associations. The kernel allows it only with
    /// the sysctl `net.sctp.intl_enable` on **and**
    /// [`fragment_interleave`](Self::set_fragment_interleave) already on.
    ///
    /// Maps to `setsockopt(SCTP_INTERLEAVING_SUPPORTED)` (Linux 4.16+).
    ///
    /// # Errors
    ///
    /// `EPERM`: when fragment interleave is on, the `io::Error` wraps
    /// [`FeatureDisabled`](crate::error::ErrorKind::FeatureDisabled) for
    /// `net.sctp.intl_enable`; otherwise it is the plain errno (turn fragment interleave on
    /// first).
    #[doc(alias = "SCTP_INTERLEAVING_SUPPORTED")]
    pub fn set_interleaving_supported(&self, on: bool) -> io::Result<()> {
        match self.set_assoc_value(sockopt::SCTP_INTERLEAVING_SUPPORTED, u32::from(on)) {
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => {
                if self.fragment_interleave().unwrap_or(false) {
                    Err(Error::feature_disabled("net.sctp.intl_enable", e).into())
                } else {
                    Err(e)
                }
            }
            other => other,
        }
    }

    /// ASCONF / dynamic address reconfiguration (RFC 5061): with an association, whether the
    /// peer supports it; otherwise whether we advertise it.
    ///
    /// Maps to `getsockopt(SCTP_ASCONF_SUPPORTED)` (Linux 5.4+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_ASCONF_SUPPORTED")]
    pub fn asconf_supported(&self) -> io::Result<bool> {
        Ok(self.get_assoc_value(sockopt::SCTP_ASCONF_SUPPORTED)? != 0)
    }

    /// Advertises ASCONF in future associations (default: sysctl `net.sctp.addip_enable`,
    /// off). ASCONF also needs AUTH on both sides unless `net.sctp.addip_noauth_enable`.
    ///
    /// Maps to `setsockopt(SCTP_ASCONF_SUPPORTED)` (Linux 5.4+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_ASCONF_SUPPORTED")]
    pub fn set_asconf_supported(&self, on: bool) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_ASCONF_SUPPORTED, u32::from(on))
    }

    /// SCTP-AUTH (RFC 4895): with an association, whether the peer supports it; otherwise
    /// whether we advertise it.
    ///
    /// Maps to `getsockopt(SCTP_AUTH_SUPPORTED)` (Linux 5.4+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_AUTH_SUPPORTED")]
    pub fn auth_supported(&self) -> io::Result<bool> {
        Ok(self.get_assoc_value(sockopt::SCTP_AUTH_SUPPORTED)? != 0)
    }

    /// Turns SCTP-AUTH on for this endpoint (default: sysctl `net.sctp.auth_enable`, off),
    /// which also makes the AUTH key and chunk options usable.
    ///
    /// Maps to `setsockopt(SCTP_AUTH_SUPPORTED)` (Linux 5.4+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_AUTH_SUPPORTED")]
    pub fn set_auth_supported(&self, on: bool) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_AUTH_SUPPORTED, u32::from(on))
    }

    /// Explicit congestion notification: with an association, whether the peer supports it;
    /// otherwise whether we advertise it.
    ///
    /// Maps to `getsockopt(SCTP_ECN_SUPPORTED)` (Linux 5.4+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_ECN_SUPPORTED")]
    pub fn ecn_supported(&self) -> io::Result<bool> {
        Ok(self.get_assoc_value(sockopt::SCTP_ECN_SUPPORTED)? != 0)
    }

    /// Advertises ECN in future associations (default: sysctl `net.sctp.ecn_enable`, on).
    ///
    /// Maps to `setsockopt(SCTP_ECN_SUPPORTED)` (Linux 5.4+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_ECN_SUPPORTED")]
    pub fn set_ecn_supported(&self, on: bool) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_ECN_SUPPORTED, u32::from(on))
    }

    // ----- stream reconfiguration and scheduling --------------------------------------------

    /// Which stream reconfiguration requests are allowed (and may be sent).
    ///
    /// Maps to `getsockopt(SCTP_ENABLE_STREAM_RESET)` (Linux 4.11+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_ENABLE_STREAM_RESET")]
    pub fn enable_stream_reset(&self) -> io::Result<StreamResetFlags> {
        Ok(StreamResetFlags(
            self.get_assoc_value(sockopt::SCTP_ENABLE_STREAM_RESET)?,
        ))
    }

    /// Sets which stream reconfiguration requests are allowed. Accepts
    /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_ENABLE_STREAM_RESET)` (Linux 4.11+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for bits outside [`StreamResetFlags::ALL`] or an unknown association.
    #[doc(alias = "SCTP_ENABLE_STREAM_RESET")]
    pub fn set_enable_stream_reset(&self, flags: StreamResetFlags) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_ENABLE_STREAM_RESET, flags.0)
    }

    /// Resets the sequence numbers of `streams` (all streams if empty) in `direction`.
    ///
    /// Maps to `setsockopt(SCTP_RESET_STREAMS)` (Linux 4.11+).
    ///
    /// # Errors
    ///
    /// `ENOPROTOOPT` if the request is not allowed here
    /// ([`set_enable_stream_reset`](Self::set_enable_stream_reset)); when it is allowed
    /// here, `ENOPROTOOPT` means the peer did not negotiate reconfiguration and the
    /// `io::Error` wraps [`FeatureDisabled`](crate::error::ErrorKind::FeatureDisabled) for
    /// `net.sctp.reconf_enable` (or [`set_reconfig_supported`](Self::set_reconfig_supported)).
    /// `EINPROGRESS` while another request is outstanding; `EAGAIN` while data is queued on
    /// the outgoing streams; `EINVAL` for a stream out of range.
    #[doc(alias = "SCTP_RESET_STREAMS")]
    #[doc(alias = "sctp_reset_streams")]
    pub fn reset_streams(
        &self,
        direction: StreamResetDirection,
        streams: &[u16],
    ) -> io::Result<()> {
        let count = u16::try_from(streams.len()).map_err(|_| invalid("too many streams"))?;
        let mut buf = Vec::with_capacity(8 + 2 * streams.len());
        buf.extend_from_slice(&self.assoc_id.to_ne_bytes());
        buf.extend_from_slice(&direction.to_raw().to_ne_bytes());
        buf.extend_from_slice(&count.to_ne_bytes());
        for s in streams {
            buf.extend_from_slice(&s.to_ne_bytes());
        }
        let res = sockopt::set_bytes(self.fd, sockopt::SCTP_RESET_STREAMS, &buf);
        self.reconf_error(res, StreamResetFlags::RESET_STREAM)
    }

    /// Resets the whole association's sequence numbers and TSNs.
    ///
    /// Maps to `setsockopt(SCTP_RESET_ASSOC)` (Linux 4.11+).
    ///
    /// # Errors
    ///
    /// As [`reset_streams`](Self::reset_streams); `EAGAIN` while the send queue is not empty.
    #[doc(alias = "SCTP_RESET_ASSOC")]
    pub fn reset_assoc(&self) -> io::Result<()> {
        let res = self.set(sockopt::SCTP_RESET_ASSOC, &self.assoc_id);
        self.reconf_error(res, StreamResetFlags::RESET_ASSOC)
    }

    /// Adds `inbound` and `outbound` streams to the association.
    ///
    /// Maps to `setsockopt(SCTP_ADD_STREAMS)` (Linux 4.11+).
    ///
    /// # Errors
    ///
    /// As [`reset_streams`](Self::reset_streams); `EINVAL` beyond 65535 streams.
    #[doc(alias = "SCTP_ADD_STREAMS")]
    pub fn add_streams(&self, inbound: u16, outbound: u16) -> io::Result<()> {
        let mut a = linux_sctp_sys::sctp_add_streams::default();
        a.sas_assoc_id = self.assoc_id;
        a.sas_instrms = inbound;
        a.sas_outstrms = outbound;
        let res = self.set(sockopt::SCTP_ADD_STREAMS, &a);
        self.reconf_error(res, StreamResetFlags::CHANGE_ASSOC)
    }

    fn reconf_error(&self, res: io::Result<()>, needed: StreamResetFlags) -> io::Result<()> {
        match res {
            Err(e) if e.raw_os_error() == Some(libc::ENOPROTOOPT) => {
                match self.enable_stream_reset() {
                    Ok(flags) if flags.contains(needed) => {
                        Err(Error::feature_disabled("net.sctp.reconf_enable", e).into())
                    }
                    _ => Err(e),
                }
            }
            other => other,
        }
    }

    /// The outgoing stream scheduler.
    ///
    /// Maps to `getsockopt(SCTP_STREAM_SCHEDULER)` (Linux 4.15+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown association on a one-to-many socket.
    #[doc(alias = "SCTP_STREAM_SCHEDULER")]
    pub fn stream_scheduler(&self) -> io::Result<StreamScheduler> {
        Ok(StreamScheduler::from_raw(
            self.get_assoc_value(sockopt::SCTP_STREAM_SCHEDULER)?,
        ))
    }

    /// Sets the outgoing stream scheduler. Accepts `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_STREAM_SCHEDULER)` (Linux 4.15+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for a scheduler the running kernel does not have (fair capacity and WFQ
    /// before 6.4) or an unknown association.
    #[doc(alias = "SCTP_STREAM_SCHEDULER")]
    pub fn set_stream_scheduler(&self, scheduler: StreamScheduler) -> io::Result<()> {
        self.set_assoc_value(sockopt::SCTP_STREAM_SCHEDULER, scheduler.to_raw())
    }

    /// The scheduler value of outgoing stream `stream`: its priority (PRIO) or weight (WFQ).
    ///
    /// Maps to `getsockopt(SCTP_STREAM_SCHEDULER_VALUE)` (Linux 4.15+).
    ///
    /// # Errors
    ///
    /// `EINVAL` without an association or for a stream out of range.
    #[doc(alias = "SCTP_STREAM_SCHEDULER_VALUE")]
    #[doc(alias = "sctp_stream_value")]
    pub fn stream_scheduler_value(&self, stream: u16) -> io::Result<u16> {
        let mut v = linux_sctp_sys::sctp_stream_value::default();
        v.assoc_id = self.assoc_id;
        v.stream_id = stream;
        Ok(self
            .get_inout(sockopt::SCTP_STREAM_SCHEDULER_VALUE, v)?
            .stream_value)
    }

    /// Sets the scheduler value of outgoing stream `stream`. Accepts `SCTP_CURRENT_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_STREAM_SCHEDULER_VALUE)` (Linux 4.15+).
    ///
    /// # Errors
    ///
    /// `EINVAL` without an association or for a stream out of range.
    #[doc(alias = "SCTP_STREAM_SCHEDULER_VALUE")]
    pub fn set_stream_scheduler_value(&self, stream: u16, value: u16) -> io::Result<()> {
        let mut v = linux_sctp_sys::sctp_stream_value::default();
        v.assoc_id = self.assoc_id;
        v.stream_id = stream;
        v.stream_value = value;
        self.set(sockopt::SCTP_STREAM_SCHEDULER_VALUE, &v)
    }

    // ----- AUTH (RFC 4895) ------------------------------------------------------------------

    /// The HMAC algorithms we accept, in order of preference.
    ///
    /// Maps to `getsockopt(SCTP_HMAC_IDENT)`.
    ///
    /// # Errors
    ///
    /// `EACCES` when AUTH is off, wrapped as
    /// [`FeatureDisabled`](crate::error::ErrorKind::FeatureDisabled) for
    /// `net.sctp.auth_enable` (or [`set_auth_supported`](Self::set_auth_supported)).
    #[doc(alias = "SCTP_HMAC_IDENT")]
    #[doc(alias = "sctp_hmacalgo")]
    pub fn hmac_ident(&self) -> io::Result<Vec<HmacId>> {
        let mut buf = [0u8; 4 + 2 * 32];
        let len =
            sockopt::get_bytes(self.fd, sockopt::SCTP_HMAC_IDENT, &mut buf).map_err(auth_error)?;
        parse_hmacalgo(&buf[..len])
    }

    /// Sets the HMAC algorithms we accept, in order of preference; the list must contain
    /// [`HmacId::Sha1`].
    ///
    /// Maps to `setsockopt(SCTP_HMAC_IDENT)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an empty list or one without SHA-1; `EACCES` (wrapped as
    /// `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_HMAC_IDENT")]
    pub fn set_hmac_ident(&self, idents: &[HmacId]) -> io::Result<()> {
        let n = u32::try_from(idents.len()).map_err(|_| invalid("too many HMAC ids"))?;
        let mut buf = Vec::with_capacity(4 + 2 * idents.len());
        buf.extend_from_slice(&n.to_ne_bytes());
        for id in idents {
            buf.extend_from_slice(&id.to_raw().to_ne_bytes());
        }
        sockopt::set_bytes(self.fd, sockopt::SCTP_HMAC_IDENT, &buf).map_err(auth_error)
    }

    /// Requires chunks of type `chunk_type` to be authenticated in future associations.
    ///
    /// Maps to `setsockopt(SCTP_AUTH_CHUNK)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for INIT, INIT-ACK, SHUTDOWN-COMPLETE and AUTH; `EACCES` (wrapped as
    /// `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_AUTH_CHUNK")]
    pub fn add_auth_chunk(&self, chunk_type: u8) -> io::Result<()> {
        let mut c = linux_sctp_sys::sctp_authchunk::default();
        c.sauth_chunk = chunk_type;
        self.set(sockopt::SCTP_AUTH_CHUNK, &c).map_err(auth_error)
    }

    /// Chunk types the peer requires us to authenticate.
    ///
    /// Maps to `getsockopt(SCTP_PEER_AUTH_CHUNKS)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` without an association; `EACCES` (wrapped as `FeatureDisabled`) when the
    /// association did not negotiate AUTH.
    #[doc(alias = "SCTP_PEER_AUTH_CHUNKS")]
    pub fn peer_auth_chunks(&self) -> io::Result<Vec<u8>> {
        self.auth_chunks(sockopt::SCTP_PEER_AUTH_CHUNKS)
    }

    /// Chunk types we require the peer to authenticate.
    ///
    /// Maps to `getsockopt(SCTP_LOCAL_AUTH_CHUNKS)`.
    ///
    /// # Errors
    ///
    /// `EACCES` (wrapped as `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_LOCAL_AUTH_CHUNKS")]
    pub fn local_auth_chunks(&self) -> io::Result<Vec<u8>> {
        self.auth_chunks(sockopt::SCTP_LOCAL_AUTH_CHUNKS)
    }

    fn auth_chunks<O: sockopt::GetBytes>(&self, opt: O) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; 8 + 256];
        buf[..4].copy_from_slice(&self.assoc_id.to_ne_bytes());
        let len = sockopt::get_bytes(self.fd, opt, &mut buf).map_err(auth_error)?;
        parse_authchunks(&buf[..len])
    }

    /// Installs the shared key `key` under `key_number` (replacing a key of that number).
    ///
    /// Maps to `setsockopt(SCTP_AUTH_KEY)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an empty key; `EACCES` (wrapped as `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_AUTH_KEY")]
    #[doc(alias = "sctp_authkey")]
    pub fn set_auth_key(&self, key_number: u16, key: &[u8]) -> io::Result<()> {
        let len = u16::try_from(key.len()).map_err(|_| invalid("AUTH key too long"))?;
        let mut buf = Vec::with_capacity(8 + key.len());
        buf.extend_from_slice(&self.assoc_id.to_ne_bytes());
        buf.extend_from_slice(&key_number.to_ne_bytes());
        buf.extend_from_slice(&len.to_ne_bytes());
        buf.extend_from_slice(key);
        sockopt::set_bytes(self.fd, sockopt::SCTP_AUTH_KEY, &buf).map_err(auth_error)
    }

    /// The key number used to authenticate outgoing chunks.
    ///
    /// Maps to `getsockopt(SCTP_AUTH_ACTIVE_KEY)`.
    ///
    /// # Errors
    ///
    /// `EACCES` (wrapped as `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_AUTH_ACTIVE_KEY")]
    pub fn active_auth_key(&self) -> io::Result<u16> {
        let k = self
            .get_inout(sockopt::SCTP_AUTH_ACTIVE_KEY, self.keyid(0))
            .map_err(auth_error)?;
        Ok(k.scact_keynumber)
    }

    /// Makes key `key_number` the one that authenticates outgoing chunks. Accepts
    /// `SCTP_CURRENT_ASSOC`/`SCTP_ALL_ASSOC`.
    ///
    /// Maps to `setsockopt(SCTP_AUTH_ACTIVE_KEY)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for a key number not installed; `EACCES` (wrapped as `FeatureDisabled`) when
    /// AUTH is off.
    #[doc(alias = "SCTP_AUTH_ACTIVE_KEY")]
    pub fn set_active_auth_key(&self, key_number: u16) -> io::Result<()> {
        self.set(sockopt::SCTP_AUTH_ACTIVE_KEY, &self.keyid(key_number))
            .map_err(auth_error)
    }

    /// Deletes key `key_number` (not the active one).
    ///
    /// Maps to `setsockopt(SCTP_AUTH_DELETE_KEY)`.
    ///
    /// # Errors
    ///
    /// `EINVAL` for the active key or a key not installed; `EACCES` (wrapped as
    /// `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_AUTH_DELETE_KEY")]
    pub fn delete_auth_key(&self, key_number: u16) -> io::Result<()> {
        self.set(sockopt::SCTP_AUTH_DELETE_KEY, &self.keyid(key_number))
            .map_err(auth_error)
    }

    /// Retires key `key_number`: no longer used to send; an `SCTP_AUTH_FREE_KEY`
    /// authentication event follows once nothing in flight uses it.
    ///
    /// Maps to `setsockopt(SCTP_AUTH_DEACTIVATE_KEY)` (Linux 4.17+).
    ///
    /// # Errors
    ///
    /// `EINVAL` for the active key or a key not installed; `EACCES` (wrapped as
    /// `FeatureDisabled`) when AUTH is off.
    #[doc(alias = "SCTP_AUTH_DEACTIVATE_KEY")]
    pub fn deactivate_auth_key(&self, key_number: u16) -> io::Result<()> {
        self.set(sockopt::SCTP_AUTH_DEACTIVATE_KEY, &self.keyid(key_number))
            .map_err(auth_error)
    }

    fn keyid(&self, key_number: u16) -> linux_sctp_sys::sctp_authkeyid {
        let mut k = linux_sctp_sys::sctp_authkeyid::default();
        k.scact_assoc_id = self.assoc_id;
        k.scact_keynumber = key_number;
        k
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_options_refuse_to_turn_off_what_the_receive_loop_needs() {
        // Not a socket: any setsockopt that gets through fails with ENOTSOCK, so an
        // InvalidInput proves the refusal came first.
        use std::os::fd::AsFd;
        let file = std::fs::File::open("/dev/null").unwrap();
        let events = crate::engine::EventChoice::default();
        let managed = SocketOptions::managed(file.as_fd(), 0, &events).with_assoc_id(3);
        for (name, r) in [
            ("SCTP_RECVNXTINFO", managed.set_recv_nxtinfo(false)),
            ("SCTP_RECVRCVINFO", managed.set_recv_rcvinfo(false)),
        ] {
            let e = r.unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
            assert_eq!(e.raw_os_error(), None);
            assert!(e.to_string().starts_with(name), "{e}");
        }
        // Turning them on is passed to the kernel.
        let e = managed.set_recv_nxtinfo(true).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        // A user's own fd may turn them off.
        let own = SocketOptions::new(file.as_fd(), 0);
        let e = own.set_recv_nxtinfo(false).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        let e = own.set_recv_rcvinfo(false).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }

    #[test]
    fn paddrparams_change_encodes_flags() {
        let addr: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let c = PeerAddrParamsChange {
            heartbeat_interval: Some(Duration::from_millis(1500)),
            path_max_retransmissions: Some(3),
            path_mtu: Some(1400),
            sack_delay: Some(Duration::from_millis(100)),
            ipv6_flow_label: Some(0x12345),
            dscp: Some(46),
            ..Default::default()
        };
        let p = c.to_raw(7, Some(&addr)).unwrap();
        assert_eq!({ p.spp_assoc_id }, 7);
        assert_eq!(
            { p.spp_flags },
            linux_sctp_sys::SPP_HB_ENABLE
                | linux_sctp_sys::SPP_PMTUD_DISABLE
                | linux_sctp_sys::SPP_SACKDELAY_ENABLE
                | linux_sctp_sys::SPP_IPV6_FLOWLABEL
                | linux_sctp_sys::SPP_DSCP
        );
        assert_eq!({ p.spp_hbinterval }, 1500);
        assert_eq!({ p.spp_pathmaxrxt }, 3);
        assert_eq!({ p.spp_pathmtu }, 1400);
        assert_eq!({ p.spp_sackdelay }, 100);
        assert_eq!({ p.spp_ipv6_flowlabel }, 0x12345);
        assert_eq!({ p.spp_dscp }, 46 << 2);
        let a = p.spp_address;
        assert_eq!(addr_of(&a).unwrap(), addr);
    }

    #[test]
    fn paddrparams_change_zero_interval_and_disables() {
        let c = PeerAddrParamsChange {
            heartbeat_interval: Some(Duration::ZERO),
            pmtud: Some(true),
            sack_delay_enabled: Some(false),
            ..Default::default()
        };
        let p = c.to_raw(0, None).unwrap();
        assert_eq!(
            { p.spp_flags },
            linux_sctp_sys::SPP_HB_ENABLE
                | linux_sctp_sys::SPP_HB_TIME_IS_ZERO
                | linux_sctp_sys::SPP_PMTUD_ENABLE
                | linux_sctp_sys::SPP_SACKDELAY_DISABLE
        );
        let a = p.spp_address;
        assert_eq!(addr_of_opt(&a).unwrap(), None);
        let none = PeerAddrParamsChange::default().to_raw(0, None).unwrap();
        assert_eq!({ none.spp_flags }, 0);
    }

    #[test]
    fn paddrparams_change_rejects_contradictions() {
        let cases = [
            PeerAddrParamsChange {
                heartbeat: Some(false),
                heartbeat_interval: Some(Duration::from_secs(1)),
                ..Default::default()
            },
            PeerAddrParamsChange {
                pmtud: Some(true),
                path_mtu: Some(1200),
                ..Default::default()
            },
            PeerAddrParamsChange {
                sack_delay_enabled: Some(false),
                sack_delay: Some(Duration::from_millis(10)),
                ..Default::default()
            },
            PeerAddrParamsChange {
                sack_delay: Some(Duration::ZERO),
                ..Default::default()
            },
            PeerAddrParamsChange {
                path_max_retransmissions: Some(0),
                ..Default::default()
            },
            PeerAddrParamsChange {
                heartbeat_now: true,
                ..Default::default()
            },
            PeerAddrParamsChange {
                ipv6_flow_label: Some(0x10_0000),
                ..Default::default()
            },
            PeerAddrParamsChange {
                dscp: Some(64),
                ..Default::default()
            },
            PeerAddrParamsChange {
                heartbeat_interval: Some(Duration::from_secs(u64::from(u32::MAX))),
                ..Default::default()
            },
        ];
        for c in cases {
            let e = c.to_raw(0, None).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{c:?}");
        }
    }

    #[test]
    fn durations_round_up_to_ms() {
        assert_eq!(ms_u32(Duration::from_micros(1500), "x").unwrap(), 2);
        assert_eq!(ms_u32(Duration::from_millis(7), "x").unwrap(), 7);
        assert_eq!(ms_u32(Duration::ZERO, "x").unwrap(), 0);
        assert!(ms_u32(Duration::from_millis(u64::from(u32::MAX) + 1), "x").is_err());
    }

    #[test]
    fn enums_round_trip() {
        for raw in 0..=9 {
            assert_eq!(AssocState::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(AssocState::from_raw(4), AssocState::Established);
        assert_eq!(AssocState::from_raw(9), AssocState::Unknown(9));
        for raw in [0, 1, 2, 3, 0xffff] {
            assert_eq!(PathState::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(PathState::from_raw(1), PathState::PotentiallyFailed);
        for raw in 0..=5 {
            assert_eq!(StreamScheduler::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(StreamScheduler::from_raw(2), StreamScheduler::RoundRobin);
        for raw in 0..=3 {
            assert_eq!(PfStateExposure::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(HmacId::from_raw(3), HmacId::Sha256);
        assert_eq!(HmacId::from_raw(2).to_raw(), 2);
    }

    #[test]
    fn variable_length_parsers_are_total() {
        let mut ids = Vec::new();
        ids.extend_from_slice(&2u32.to_ne_bytes());
        ids.extend_from_slice(&5i32.to_ne_bytes());
        ids.extend_from_slice(&9i32.to_ne_bytes());
        assert_eq!(parse_assoc_ids(&ids).unwrap(), vec![5, 9]);
        for cut in 0..ids.len() {
            assert!(parse_assoc_ids(&ids[..cut]).is_err(), "cut {cut}");
        }
        let mut h = Vec::new();
        h.extend_from_slice(&2u32.to_ne_bytes());
        h.extend_from_slice(&3u16.to_ne_bytes());
        h.extend_from_slice(&1u16.to_ne_bytes());
        assert_eq!(
            parse_hmacalgo(&h).unwrap(),
            vec![HmacId::Sha256, HmacId::Sha1]
        );
        for cut in 0..h.len() {
            assert!(parse_hmacalgo(&h[..cut]).is_err(), "cut {cut}");
        }
        let mut c = Vec::new();
        c.extend_from_slice(&0i32.to_ne_bytes());
        c.extend_from_slice(&2u32.to_ne_bytes());
        c.extend_from_slice(&[0, 0x80]);
        assert_eq!(parse_authchunks(&c).unwrap(), vec![0, 0x80]);
        for cut in 0..c.len() {
            assert!(parse_authchunks(&c[..cut]).is_err(), "cut {cut}");
        }
        // Huge counts do not allocate or panic.
        let mut big = u32::MAX.to_ne_bytes().to_vec();
        big.extend_from_slice(&[0; 8]);
        assert!(parse_assoc_ids(&big).is_err());
        assert!(parse_hmacalgo(&big).is_err());
        assert!(parse_authchunks(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]).is_err());
    }

    #[test]
    fn stream_reset_flags() {
        let f = StreamResetFlags::RESET_STREAM | StreamResetFlags::CHANGE_ASSOC;
        assert_eq!(f.0, 5);
        assert!(f.contains(StreamResetFlags::RESET_STREAM));
        assert!(!f.contains(StreamResetFlags::RESET_ASSOC));
        assert!(StreamResetFlags::ALL.contains(f));
        assert_eq!(StreamResetDirection::Both.to_raw(), 3);
    }
}
