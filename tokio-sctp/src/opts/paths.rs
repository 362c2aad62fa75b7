//! Paths and addresses: the per-path parameters ([`PeerAddrParams`],
//! [`PeerAddrParamsChange`]: heartbeats, path MTU, SACK delay, flow label, DSCP), path
//! failure thresholds ([`PathThresholds`]) and the potentially-failed state
//! ([`PfStateExposure`]), the primary paths, v4-mapped addresses, ASCONF, port reuse, UDP
//! encapsulation and PLPMTUD probing.

use std::net::SocketAddr;
use std::time::Duration;

use linux_sctp_sys::addr::socket_addr_to_raw;
use linux_sctp_sys::{
    sctp_paddrparams, sctp_paddrthlds_v2, sctp_prim, sctp_probeinterval, sctp_setpeerprim,
    sctp_udpencaps,
};

use super::table::{
    addr_of, addr_of_opt, assoc_value_codec, invalid, ms_u32, socket_options, FromC, IntoC,
};
use super::SocketOptions;
use crate::error::Result;
use crate::millis::from_millis;

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

/// The change into a payload whose association id and address (the request) are set.
impl IntoC<sctp_paddrparams> for &PeerAddrParamsChange {
    fn into_c(self, p: &mut sctp_paddrparams) -> Result<()> {
        let address = p.spp_address;
        let has_addr = address.ss_family != libc::AF_UNSPEC as libc::sa_family_t;
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
            if !has_addr {
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
        Ok(())
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

assoc_value_codec!(PfStateExposure);

impl FromC<sctp_paddrparams> for PeerAddrParams {
    fn from_c(p: &sctp_paddrparams) -> Result<Self> {
        // Copy the packed fields out by value.
        let address = p.spp_address;
        let flags = p.spp_flags;
        let label = p.spp_ipv6_flowlabel;
        let dscp = p.spp_dscp;
        Ok(PeerAddrParams {
            address: addr_of_opt(&address)?,
            heartbeat: flags & linux_sctp_sys::SPP_HB_ENABLE != 0,
            heartbeat_interval: from_millis(p.spp_hbinterval),
            path_max_retransmissions: p.spp_pathmaxrxt,
            pmtud: flags & linux_sctp_sys::SPP_PMTUD_ENABLE != 0,
            path_mtu: p.spp_pathmtu,
            sack_delay_enabled: flags & linux_sctp_sys::SPP_SACKDELAY_ENABLE != 0,
            sack_delay: from_millis(p.spp_sackdelay),
            ipv6_flow_label: (flags & linux_sctp_sys::SPP_IPV6_FLOWLABEL != 0).then_some(label),
            dscp: (flags & linux_sctp_sys::SPP_DSCP != 0).then_some(dscp >> 2),
        })
    }
}

impl FromC<sctp_paddrthlds_v2> for PathThresholds {
    fn from_c(t: &sctp_paddrthlds_v2) -> Result<Self> {
        Ok(PathThresholds {
            path_max_retransmissions: t.spt_pathmaxrxt,
            pf_threshold: t.spt_pathpfthld,
            ps_threshold: t.spt_pathcpthld,
        })
    }
}

impl IntoC<sctp_paddrthlds_v2> for &PathThresholds {
    fn into_c(self, t: &mut sctp_paddrthlds_v2) -> Result<()> {
        t.spt_pathmaxrxt = self.path_max_retransmissions;
        t.spt_pathpfthld = self.pf_threshold;
        t.spt_pathcpthld = self.ps_threshold;
        Ok(())
    }
}

impl FromC<sctp_prim> for SocketAddr {
    fn from_c(p: &sctp_prim) -> Result<Self> {
        let addr = p.ssp_addr;
        addr_of(&addr)
    }
}

impl IntoC<sctp_prim> for &SocketAddr {
    fn into_c(self, p: &mut sctp_prim) -> Result<()> {
        p.ssp_addr = socket_addr_to_raw(self).0;
        Ok(())
    }
}

impl IntoC<sctp_setpeerprim> for &SocketAddr {
    fn into_c(self, p: &mut sctp_setpeerprim) -> Result<()> {
        p.sspp_addr = socket_addr_to_raw(self).0;
        Ok(())
    }
}

/// `SCTP_REMOTE_UDP_ENCAPS_PORT`: the port in network byte order in the payload.
impl FromC<sctp_udpencaps> for u16 {
    fn from_c(u: &sctp_udpencaps) -> Result<Self> {
        Ok(u16::from_be(u.sue_port))
    }
}

impl IntoC<sctp_udpencaps> for u16 {
    fn into_c(self, u: &mut sctp_udpencaps) -> Result<()> {
        u.sue_port = self.to_be();
        Ok(())
    }
}

/// `SCTP_PLPMTUD_PROBE_INTERVAL`: milliseconds, 0 for off.
impl FromC<sctp_probeinterval> for Option<Duration> {
    fn from_c(p: &sctp_probeinterval) -> Result<Self> {
        Ok((p.spi_interval != 0).then(|| from_millis(p.spi_interval)))
    }
}

impl IntoC<sctp_probeinterval> for Option<Duration> {
    fn into_c(self, p: &mut sctp_probeinterval) -> Result<()> {
        p.spi_interval = match self {
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
        Ok(())
    }
}

socket_options! {
    "SCTP_PEER_ADDR_PARAMS" SCTP_PEER_ADDR_PARAMS: assoc {
        /// Heartbeat, path MTU, SACK delay, flow label and DSCP of one path (`Some(addr)`) or
        /// of the association / socket defaults (`None`).
        #[doc(alias = "sctp_paddrparams")]
        get peer_addr_params(addr: Option<&SocketAddr>) -> PeerAddrParams {
            /// `EINVAL` for an unknown association or an address that is not the peer's.
        }
        /// Changes heartbeat, path MTU, SACK delay, flow label or DSCP of one path
        /// (`Some(addr)`) or of the association / socket defaults (`None`, which also applies
        /// the change to every existing path of the association).
        set set_peer_addr_params[addr: Option<&SocketAddr>](change: &PeerAddrParamsChange) {
            /// `InvalidInput` for contradictory or out-of-range fields (see
            /// [`PeerAddrParamsChange`]); `EINVAL` from the kernel for a SACK delay over
            /// 500 ms, an unknown association or address, or an on-demand heartbeat without an
            /// association.
        }
    }

    "SCTP_PEER_ADDR_THLDS_V2" SCTP_PEER_ADDR_THLDS_V2: assoc since "5.5" {
        /// Path failure thresholds of one path (`Some(addr)`) or of the association / socket
        /// (`None`).
        #[doc(alias = "SCTP_PEER_ADDR_THLDS")]
        #[doc(alias = "sctp_paddrthlds_v2")]
        get peer_addr_thresholds(addr: Option<&SocketAddr>) -> PathThresholds {
            /// `ENOENT` for an address that is not the peer's; `EINVAL` for an unknown
            /// association.
        }
        /// Sets the path failure thresholds of one path (`Some(addr)`) or of the association
        /// / socket and all its paths (`None`).
        #[doc(alias = "SCTP_PEER_ADDR_THLDS")]
        set set_peer_addr_thresholds[addr: Option<&SocketAddr>](thresholds: &PathThresholds) {
            /// `EINVAL` if `pf_threshold > ps_threshold`; `ENOENT` for an address that is not
            /// the peer's.
        }
    }

    "SCTP_EXPOSE_POTENTIALLY_FAILED_STATE" SCTP_EXPOSE_POTENTIALLY_FAILED_STATE: assoc since "5.5" {
        /// Whether the potentially-failed path state is reported.
        #[doc(alias = "SCTP_EXPOSE_PF_STATE")]
        get expose_pf_state() -> PfStateExposure {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Sets whether the potentially-failed path state is reported.
        #[doc(alias = "SCTP_EXPOSE_PF_STATE")]
        set set_expose_pf_state(exposure: PfStateExposure) {
            /// `EINVAL` for a value above 2 or an unknown association.
        }
    }

    "SCTP_PRIMARY_ADDR" SCTP_PRIMARY_ADDR: assoc {
        /// The peer address used as the primary path.
        #[doc(alias = "sctp_prim")]
        get primary_addr() -> SocketAddr {
            /// `EINVAL` if there is no such association.
        }
        /// Makes the peer address `addr` the primary path.
        set set_primary_addr(addr: &SocketAddr) {
            /// `EINVAL` if `addr` is not a peer address of the association.
        }
    }

    "SCTP_SET_PEER_PRIMARY_ADDR" SCTP_SET_PEER_PRIMARY_ADDR: assoc
        gate("net.sctp.addip_enable", EPERM, |o| o.asconf_off_here()) {
        /// Asks the peer to use our address `addr` as its primary path (ASCONF SET PRIMARY).
        #[doc(alias = "sctp_setpeerprim")]
        set set_peer_primary_addr(addr: &SocketAddr) {
            /// `EPERM` if ASCONF is off here ([`set_asconf_supported`](Self::set_asconf_supported),
            /// sysctl `net.sctp.addip_enable`) or the peer did not negotiate it;
            /// `EADDRNOTAVAIL` if `addr` is not a local address of the association;
            /// `ENOTCONN`/`EINVAL` without an established association.
        }
    }

    "SCTP_I_WANT_MAPPED_V4_ADDR" SCTP_I_WANT_MAPPED_V4_ADDR: socket {
        /// Whether IPv4 peers of an `AF_INET6` socket are reported as v4-mapped IPv6
        /// addresses (on by default).
        get mapped_v4() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Reports IPv4 peers as v4-mapped IPv6 addresses (`true`) or as IPv4.
        set set_mapped_v4(on: bool) {
            /// The `setsockopt(2)` error.
        }
    }

    "SCTP_AUTO_ASCONF" SCTP_AUTO_ASCONF: socket since "3.1" {
        /// Whether local address changes are announced to peers automatically (ASCONF).
        get auto_asconf() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Announces local address changes to peers automatically (`true`).
        set set_auto_asconf(on: bool) {
            /// `EINVAL` unless the socket is bound to the wildcard address.
        }
    }

    "SCTP_ASCONF_SUPPORTED" SCTP_ASCONF_SUPPORTED: assoc since "5.4" {
        /// ASCONF / dynamic address reconfiguration (RFC 5061): with an association, whether
        /// the peer supports it; otherwise whether we advertise it.
        get asconf_supported() -> bool {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
        /// Advertises ASCONF in future associations (default: sysctl
        /// `net.sctp.addip_enable`, off). ASCONF also needs AUTH on both sides unless
        /// `net.sctp.addip_noauth_enable`.
        set set_asconf_supported(on: bool) {
            /// `EINVAL` for an unknown association on a one-to-many socket.
        }
    }

    "SCTP_REUSE_PORT" SCTP_REUSE_PORT: socket since "4.19" {
        /// Whether the port may be reused by another one-to-one socket (RFC 6458 §8.1.27).
        /// Always `false` on a one-to-many socket.
        get reuse_port() -> bool {
            /// The `getsockopt(2)` error.
        }
        /// Allows (`true`) another one-to-one socket to bind the same port. Must be called
        /// before `bind`. `SO_REUSEPORT` (socket2) is a different option.
        set set_reuse_port(on: bool) {
            /// `EOPNOTSUPP` on a one-to-many socket; `EFAULT` (sic) once the socket is bound.
        }
    }

    "SCTP_REMOTE_UDP_ENCAPS_PORT" SCTP_REMOTE_UDP_ENCAPS_PORT: assoc since "5.11" {
        /// The remote UDP encapsulation port (RFC 6951) of a path (`Some(addr)`) or of the
        /// association / socket (`None`); 0 means no encapsulation.
        #[doc(alias = "sctp_udpencaps")]
        get remote_udp_encaps_port(addr: Option<&SocketAddr>) -> u16 {
            /// `EINVAL` for an unknown association or address.
        }
        /// Sets the remote UDP encapsulation port (host byte order; 0 turns encapsulation
        /// off) of a path or of the association / socket. Packets are encapsulated only if
        /// the local UDP port is set too (sysctl `net.sctp.udp_port`).
        set set_remote_udp_encaps_port[addr: Option<&SocketAddr>](port: u16) {
            /// `EINVAL` for an unknown association or address.
        }
    }

    "SCTP_PLPMTUD_PROBE_INTERVAL" SCTP_PLPMTUD_PROBE_INTERVAL: assoc since "5.14" {
        /// The PLPMTUD (RFC 8899) probe interval of a path or of the association / socket
        /// (`None`: probing off, the sysctl default).
        #[doc(alias = "sctp_probeinterval")]
        get plpmtud_probe_interval(addr: Option<&SocketAddr>) -> Option<Duration> {
            /// `EINVAL` for an unknown association or address.
        }
        /// Sets the PLPMTUD probe interval (`None` turns probing off).
        set set_plpmtud_probe_interval[addr: Option<&SocketAddr>](interval: Option<Duration>) {
            /// `EINVAL` below the kernel's minimum of 5 s (`SCTP_PROBE_TIMER_MIN`), or for an
            /// unknown association or address; `InvalidInput` for a zero interval (use
            /// `None`).
        }
    }
}

impl SocketOptions<'_> {
    /// Whether ASCONF is off on this endpoint, for the peer-primary row's gate: then
    /// `EPERM` is the sysctl (or the per-endpoint switch), not the peer.
    fn asconf_off_here(&self) -> bool {
        !self
            .with_assoc_id(linux_sctp_sys::SCTP_FUTURE_ASSOC)
            .asconf_supported()
            .unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opts::table::Request;

    /// The payload `set_peer_addr_params` sends.
    fn encode(
        c: PeerAddrParamsChange,
        assoc_id: linux_sctp_sys::sctp_assoc_t,
        addr: Option<&SocketAddr>,
    ) -> Result<sctp_paddrparams> {
        let mut p = sctp_paddrparams::default();
        p.spp_assoc_id = assoc_id;
        (addr,).request(&mut p)?;
        (&c).into_c(&mut p)?;
        Ok(p)
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
        let p = encode(c, 7, Some(&addr)).unwrap();
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
        let p = encode(c, 0, None).unwrap();
        assert_eq!(
            { p.spp_flags },
            linux_sctp_sys::SPP_HB_ENABLE
                | linux_sctp_sys::SPP_HB_TIME_IS_ZERO
                | linux_sctp_sys::SPP_PMTUD_ENABLE
                | linux_sctp_sys::SPP_SACKDELAY_DISABLE
        );
        let a = p.spp_address;
        assert_eq!(addr_of_opt(&a).unwrap(), None);
        let none = encode(PeerAddrParamsChange::default(), 0, None).unwrap();
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
            let e = encode(c, 0, None).unwrap_err();
            assert_eq!(e.io_kind(), std::io::ErrorKind::InvalidInput, "{c:?}");
        }
    }

    #[test]
    fn pf_exposure_round_trips() {
        for raw in 0..=3 {
            assert_eq!(PfStateExposure::from_raw(raw).to_raw(), raw);
        }
    }
}
