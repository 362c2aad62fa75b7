//! Information and status: the association's state ([`SctpStatus`], [`AssocState`]), one
//! path's state ([`PeerAddrInfo`], [`PathState`]), the association counters
//! ([`AssocStats`]) and the association ids of a one-to-many socket.

use std::mem::{offset_of, size_of};
use std::net::SocketAddr;
use std::time::Duration;

use linux_sctp_sys::{sctp_assoc_ids, sctp_assoc_stats, sctp_assoc_t, sctp_paddrinfo, sctp_status};

use super::table::{addr_of, addr_of_opt, parse_list, socket_options, FromC, Request};
use super::SocketOptions;
use crate::error::Result;
use crate::millis::from_millis;

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
    /// ([`PfStateExposure::Disabled`](super::PfStateExposure::Disabled)), reading such a path's info gives `EACCES` instead.
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

impl FromC<sctp_paddrinfo> for PeerAddrInfo {
    fn from_c(p: &sctp_paddrinfo) -> Result<Self> {
        // Copy every field out of the packed struct by value: no references into it.
        let address = p.spinfo_address;
        Ok(PeerAddrInfo {
            assoc_id: p.spinfo_assoc_id,
            address: addr_of(&address)?,
            state: PathState::from_raw(p.spinfo_state),
            cwnd: p.spinfo_cwnd,
            srtt: from_millis(p.spinfo_srtt),
            rto: from_millis(p.spinfo_rto),
            mtu: p.spinfo_mtu,
        })
    }
}

impl Request<sctp_paddrinfo> for (&SocketAddr,) {
    fn request(self, p: &mut sctp_paddrinfo) -> Result<()> {
        p.spinfo_address = linux_sctp_sys::addr::socket_addr_to_raw(self.0).0;
        Ok(())
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

impl FromC<sctp_status> for SctpStatus {
    fn from_c(s: &sctp_status) -> Result<Self> {
        Ok(SctpStatus {
            assoc_id: s.sstat_assoc_id,
            state: AssocState::from_raw(s.sstat_state),
            rwnd: s.sstat_rwnd,
            unacked_data: s.sstat_unackdata,
            pending_data: s.sstat_penddata,
            inbound_streams: s.sstat_instrms,
            outbound_streams: s.sstat_outstrms,
            fragmentation_point: s.sstat_fragmentation_point,
            primary: PeerAddrInfo::from_c(&s.sstat_primary)?,
        })
    }
}

impl FromC<sctp_assoc_stats> for AssocStats {
    fn from_c(s: &sctp_assoc_stats) -> Result<Self> {
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
}

socket_options! {
    "SCTP_STATUS" SCTP_STATUS: assoc {
        /// The association's status.
        #[doc(alias = "sctp_status")]
        get status() -> SctpStatus {
            /// `EINVAL` if there is no such association (or, on a one-to-one socket, none
            /// established).
        }
    }

    "SCTP_GET_PEER_ADDR_INFO" SCTP_GET_PEER_ADDR_INFO: assoc {
        /// State of the path to the peer address `addr`.
        #[doc(alias = "sctp_paddrinfo")]
        get peer_addr_info(addr: &SocketAddr) -> PeerAddrInfo {
            /// `EINVAL` if `addr` is not a peer address of the association; `EACCES` if the
            /// path is potentially failed and that state is hidden
            /// ([`PfStateExposure::Disabled`](super::PfStateExposure::Disabled)).
        }
    }

    "SCTP_GET_ASSOC_STATS" SCTP_GET_ASSOC_STATS: assoc since "3.8" {
        /// Association counters. Each read starts a new observation period for
        /// [`AssocStats::max_rto_jiffies`].
        #[doc(alias = "sctp_assoc_stats")]
        get assoc_stats() -> AssocStats {
            /// `EINVAL` if there is no such association.
        }
    }

    "SCTP_GET_ASSOC_NUMBER" SCTP_GET_ASSOC_NUMBER: socket {
        /// Number of associations on a one-to-many socket.
        get assoc_number() -> u32 {
            /// `EOPNOTSUPP` on a one-to-one socket.
        }
    }
}

/// `struct sctp_assoc_ids`: a count, then that many `sctp_assoc_t`.
fn parse_assoc_ids(buf: &[u8]) -> Result<Vec<sctp_assoc_t>> {
    parse_list(
        buf,
        "SCTP_GET_ASSOC_ID_LIST",
        |h: &sctp_assoc_ids| h.gaids_number_of_ids as usize,
        offset_of!(sctp_assoc_ids, gaids_assoc_id),
        size_of::<sctp_assoc_t>(),
        |c| sctp_assoc_t::from_ne_bytes([c[0], c[1], c[2], c[3]]),
    )
}

impl SocketOptions<'_> {
    /// Ids of the associations on a one-to-many socket.
    ///
    /// Maps to `getsockopt(SCTP_GET_ASSOC_ID_LIST)` (Linux 3.0+), sized from
    /// `SCTP_GET_ASSOC_NUMBER` and retried if associations appear in between (the kernel
    /// answers a short buffer with `EINVAL`). The one option method not generated by the
    /// table: its buffer size is read from another option first.
    ///
    /// # Errors
    ///
    /// `EOPNOTSUPP` on a one-to-one socket.
    #[doc(alias = "SCTP_GET_ASSOC_ID_LIST")]
    #[doc(alias = "sctp_assoc_ids")]
    pub fn assoc_ids(&self) -> Result<Vec<sctp_assoc_t>> {
        let name = "SCTP_GET_ASSOC_ID_LIST";
        let mut attempt = 0;
        loop {
            let n = self.assoc_number()? as usize;
            // Room for growth between the two calls.
            let room = n + 8 + attempt * 64;
            let mut buf = vec![0u8; size_of::<sctp_assoc_ids>() + room * size_of::<sctp_assoc_t>()];
            let r = linux_sctp_sys::sockopt::get_bytes(
                self.fd,
                linux_sctp_sys::sockopt::SCTP_GET_ASSOC_ID_LIST,
                &mut buf,
            );
            match r {
                Ok(len) => return self.finish(name, None, parse_assoc_ids(&buf[..len])),
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) && attempt < 4 => attempt += 1,
                Err(e) => return self.finish(name, None, Err(e.into())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip() {
        for raw in 0..=9 {
            assert_eq!(AssocState::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(AssocState::from_raw(4), AssocState::Established);
        assert_eq!(AssocState::from_raw(9), AssocState::Unknown(9));
        for raw in [0, 1, 2, 3, 0xffff] {
            assert_eq!(PathState::from_raw(raw).to_raw(), raw);
        }
        assert_eq!(PathState::from_raw(1), PathState::PotentiallyFailed);
    }

    #[test]
    fn assoc_ids_parser_is_total() {
        let mut ids = Vec::new();
        ids.extend_from_slice(&2u32.to_ne_bytes());
        ids.extend_from_slice(&5i32.to_ne_bytes());
        ids.extend_from_slice(&9i32.to_ne_bytes());
        assert_eq!(parse_assoc_ids(&ids).unwrap(), vec![5, 9]);
        for cut in 0..ids.len() {
            assert!(parse_assoc_ids(&ids[..cut]).is_err(), "cut {cut}");
        }
        // A huge count does not allocate or panic.
        let mut big = u32::MAX.to_ne_bytes().to_vec();
        big.extend_from_slice(&[0; 8]);
        assert!(parse_assoc_ids(&big).is_err());
    }
}
