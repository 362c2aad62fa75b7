//! Socket-option structs of `linux/sctp.h`, in the header's order: the values of the
//! `SOL_SCTP` options (RTO, association and path parameters, AUTH, streams and scheduling,
//! PR-SCTP, reconfiguration, UDP encapsulation, probing), the read-only status structs
//! (`sctp_status`, `sctp_paddrinfo`, `sctp_assoc_stats`, `sctp_info`), and the arguments of
//! the getsockopt-shaped calls (`sctp_getaddrs`, `sctp_getaddrs_old`, the peeloff args).

use libc::{c_int, c_uint, sockaddr, sockaddr_storage};

use super::{sctp_assoc_t, Pod};

/// `SCTP_RTOINFO` option: retransmission timeout bounds, in milliseconds (0 = unchanged).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_rtoinfo {
    /// Association identifier.
    pub srto_assoc_id: sctp_assoc_t,
    /// Initial RTO.
    pub srto_initial: u32,
    /// Maximum RTO.
    pub srto_max: u32,
    /// Minimum RTO.
    pub srto_min: u32,
}

/// `SCTP_ASSOCINFO` option: association parameters.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_assocparams {
    /// Association identifier.
    pub sasoc_assoc_id: sctp_assoc_t,
    /// Maximum retransmissions before the association is considered unreachable.
    pub sasoc_asocmaxrxt: u16,
    /// Number of peer addresses (read only).
    pub sasoc_number_peer_destinations: u16,
    /// Peer's receive window (read only).
    pub sasoc_peer_rwnd: u32,
    /// Local receive window (read only).
    pub sasoc_local_rwnd: u32,
    /// Cookie lifetime, in milliseconds.
    pub sasoc_cookie_life: u32,
}

packed_aligned4! {
    /// `SCTP_SET_PEER_PRIMARY_ADDR` option: ask the peer to use one of our addresses as its
    /// primary.
    pub struct sctp_setpeerprim(sctp_setpeerprim_packed) {
        /// Association identifier.
        pub sspp_assoc_id: sctp_assoc_t,
        /// One of our addresses.
        pub sspp_addr: sockaddr_storage,
    }
}

packed_aligned4! {
    /// `SCTP_PRIMARY_ADDR` option: the peer address used as primary path.
    pub struct sctp_prim(sctp_prim_packed) {
        /// Association identifier.
        pub ssp_assoc_id: sctp_assoc_t,
        /// One of the peer's addresses.
        pub ssp_addr: sockaddr_storage,
    }
}

/// The old name of [`sctp_prim`] (C: `#define sctp_setprim sctp_prim`).
pub type sctp_setprim = sctp_prim;

/// `SCTP_ADAPTATION_LAYER` option: the Adaptation Layer Indication we send.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_setadaptation {
    /// The adaptation indication.
    pub ssb_adaptation_ind: u32,
}

packed_aligned4! {
    /// `SCTP_PEER_ADDR_PARAMS` option: heartbeat, path MTU and SACK-delay parameters of a
    /// peer address, an association or the socket.
    ///
    /// ```
    /// use linux_sctp_sys::{sctp_paddrparams, sctp_paddrparams_packed, SPP_HB_ENABLE};
    ///
    /// let p = sctp_paddrparams(sctp_paddrparams_packed {
    ///     spp_hbinterval: 5000,
    ///     spp_flags: SPP_HB_ENABLE,
    ///     ..Default::default()
    /// });
    /// let mut q = p;
    /// q.spp_pathmaxrxt = 4; // writes go through `DerefMut`
    /// assert_eq!(({ q.spp_hbinterval }, { q.spp_pathmaxrxt }), (5000, 4));
    /// assert_eq!(std::mem::size_of::<sctp_paddrparams>(), 156);
    /// ```
    pub struct sctp_paddrparams(sctp_paddrparams_packed) {
        /// Association identifier.
        pub spp_assoc_id: sctp_assoc_t,
        /// Peer address (a wildcard address means all of them).
        pub spp_address: sockaddr_storage,
        /// Heartbeat interval, in milliseconds.
        pub spp_hbinterval: u32,
        /// Maximum retransmissions before the address is considered unreachable.
        pub spp_pathmaxrxt: u16,
        /// Path MTU, when PMTU discovery is disabled.
        pub spp_pathmtu: u32,
        /// SACK delay, in milliseconds.
        pub spp_sackdelay: u32,
        /// `SPP_*` flags.
        pub spp_flags: u32,
        /// IPv6 flow label, with `SPP_IPV6_FLOWLABEL` (kernel 4.19+).
        pub spp_ipv6_flowlabel: u32,
        /// DSCP, with `SPP_DSCP` (kernel 4.19+).
        pub spp_dscp: u8,
    }
}

/// `SCTP_AUTH_CHUNK` option: a chunk type that must be authenticated.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_authchunk {
    /// Chunk type.
    pub sauth_chunk: u8,
}

/// `SCTP_HMAC_IDENT` option: the HMAC algorithms we accept, by preference.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_hmacalgo {
    /// Number of identifiers that follow (C alias: `shmac_number_of_idents`).
    pub shmac_num_idents: u32,
    /// Flexible array: `SCTP_AUTH_HMAC_ID_*` identifiers.
    pub shmac_idents: [u16; 0],
}

/// `SCTP_AUTH_KEY` option: install a shared key.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_authkey {
    /// Association identifier.
    pub sca_assoc_id: sctp_assoc_t,
    /// Key number.
    pub sca_keynumber: u16,
    /// Key length, in bytes.
    pub sca_keylength: u16,
    /// Flexible array: the key.
    pub sca_key: [u8; 0],
}

/// `SCTP_AUTH_ACTIVE_KEY`, `SCTP_AUTH_DELETE_KEY` and `SCTP_AUTH_DEACTIVATE_KEY` options: a key
/// number.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_authkeyid {
    /// Association identifier.
    pub scact_assoc_id: sctp_assoc_t,
    /// Key number.
    pub scact_keynumber: u16,
}

/// `SCTP_DELAYED_SACK` option: delayed-SACK timer and frequency (0 = unchanged).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_sack_info {
    /// Association identifier.
    pub sack_assoc_id: sctp_assoc_t,
    /// Delay, in milliseconds (at most 500).
    pub sack_delay: u32,
    /// Packets per SACK (1 disables delayed SACK).
    pub sack_freq: u32,
}

/// An association identifier and a value: the argument of many options (`SCTP_MAXSEG`,
/// `SCTP_CONTEXT`, `SCTP_PR_SUPPORTED`, `SCTP_STREAM_SCHEDULER`, ...).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_assoc_value {
    /// Association identifier.
    pub assoc_id: sctp_assoc_t,
    /// The option's value.
    pub assoc_value: u32,
}

/// `SCTP_STREAM_SCHEDULER_VALUE` option: a per-stream scheduler value.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_stream_value {
    /// Association identifier.
    pub assoc_id: sctp_assoc_t,
    /// Stream number.
    pub stream_id: u16,
    /// Priority (PRIO scheduler) or weight (WFQ scheduler).
    pub stream_value: u16,
}

packed_aligned4! {
    /// `SCTP_GET_PEER_ADDR_INFO` option: state of one peer address.
    pub struct sctp_paddrinfo(sctp_paddrinfo_packed) {
        /// Association identifier.
        pub spinfo_assoc_id: sctp_assoc_t,
        /// The peer address.
        pub spinfo_address: sockaddr_storage,
        /// `SCTP_ACTIVE`, `SCTP_INACTIVE`, `SCTP_PF`, `SCTP_UNCONFIRMED`, ...
        pub spinfo_state: i32,
        /// Congestion window, in bytes.
        pub spinfo_cwnd: u32,
        /// Smoothed round-trip time, in milliseconds.
        pub spinfo_srtt: u32,
        /// Retransmission timeout, in milliseconds.
        pub spinfo_rto: u32,
        /// Path MTU.
        pub spinfo_mtu: u32,
    }
}

/// `SCTP_STATUS` option: association status.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct sctp_status {
    /// Association identifier.
    pub sstat_assoc_id: sctp_assoc_t,
    /// Association state (`SCTP_ESTABLISHED`, ...).
    pub sstat_state: i32,
    /// Peer's receive window.
    pub sstat_rwnd: u32,
    /// Unacknowledged DATA chunks.
    pub sstat_unackdata: u16,
    /// DATA chunks pending receipt.
    pub sstat_penddata: u16,
    /// Number of inbound streams.
    pub sstat_instrms: u16,
    /// Number of outbound streams.
    pub sstat_outstrms: u16,
    /// Fragmentation point.
    pub sstat_fragmentation_point: u32,
    /// The primary path.
    pub sstat_primary: sctp_paddrinfo,
}

/// `SCTP_PEER_AUTH_CHUNKS` and `SCTP_LOCAL_AUTH_CHUNKS` options: chunk types that must be
/// authenticated.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_authchunks {
    /// Association identifier.
    pub gauth_assoc_id: sctp_assoc_t,
    /// Number of chunk types that follow (C alias: `guth_number_of_chunks`).
    pub gauth_number_of_chunks: u32,
    /// Flexible array: the chunk types.
    pub gauth_chunks: [u8; 0],
}

/// `SCTP_GET_ASSOC_ID_LIST` option: the socket's association identifiers.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_assoc_ids {
    /// Number of identifiers that follow.
    pub gaids_number_of_ids: u32,
    /// Flexible array: the identifiers.
    pub gaids_assoc_id: [sctp_assoc_t; 0],
}

/// `SCTP_SOCKOPT_CONNECTX3` argument (`sctp_connectx` with an association id out).
///
/// The layout differs for 32-bit tasks on a 64-bit kernel (the kernel has a compat path).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_getaddrs_old {
    /// Association identifier (output).
    pub assoc_id: sctp_assoc_t,
    /// For CONNECTX3: the byte length of the packed address list.
    pub addr_num: c_int,
    /// The packed address list.
    pub addrs: *mut sockaddr,
}

/// `SCTP_GET_PEER_ADDRS` and `SCTP_GET_LOCAL_ADDRS` options: header of the address list.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_getaddrs {
    /// Association identifier (input).
    pub assoc_id: sctp_assoc_t,
    /// Number of addresses (output).
    pub addr_num: u32,
    /// Flexible array: the packed addresses (output).
    pub addrs: [u8; 0],
}

/// `SCTP_GET_ASSOC_STATS` option: association counters (kernel 3.8+).
///
/// Each read restarts the period of `sas_maxrto`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_assoc_stats {
    /// Association identifier (input).
    pub sas_assoc_id: sctp_assoc_t,
    /// Transport on which the maximum RTO was observed.
    pub sas_obs_rto_ipaddr: sockaddr_storage,
    /// Maximum observed RTO in the period.
    pub sas_maxrto: u64,
    /// SACKs received.
    pub sas_isacks: u64,
    /// SACKs sent.
    pub sas_osacks: u64,
    /// Packets sent.
    pub sas_opackets: u64,
    /// Packets received.
    pub sas_ipackets: u64,
    /// Retransmitted chunks.
    pub sas_rtxchunks: u64,
    /// TSNs received beyond the next expected.
    pub sas_outofseqtsns: u64,
    /// Duplicate chunks received.
    pub sas_idupchunks: u64,
    /// Gap acknowledgements received.
    pub sas_gapcnt: u64,
    /// Unordered DATA chunks sent.
    pub sas_ouodchunks: u64,
    /// Unordered DATA chunks received.
    pub sas_iuodchunks: u64,
    /// Ordered DATA chunks sent.
    pub sas_oodchunks: u64,
    /// Ordered DATA chunks received.
    pub sas_iodchunks: u64,
    /// Control chunks sent.
    pub sas_octrlchunks: u64,
    /// Control chunks received.
    pub sas_ictrlchunks: u64,
}

/// `SCTP_SOCKOPT_PEELOFF` argument.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_peeloff_arg_t {
    /// Association to peel off.
    pub associd: sctp_assoc_t,
    /// The new socket (output).
    pub sd: c_int,
}

/// `SCTP_SOCKOPT_PEELOFF_FLAGS` argument (kernel 4.13+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_peeloff_flags_arg_t {
    /// Association and new socket.
    pub p_arg: sctp_peeloff_arg_t,
    /// `SOCK_NONBLOCK` and/or `SOCK_CLOEXEC`.
    pub flags: c_uint,
}

/// `SCTP_PEER_ADDR_THLDS` option: path failure thresholds (not packed: 4-byte hole at 4).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_paddrthlds {
    /// Association identifier.
    pub spt_assoc_id: sctp_assoc_t,
    /// Peer address (a wildcard address means all of them).
    pub spt_address: sockaddr_storage,
    /// Maximum retransmissions before the path is unreachable.
    pub spt_pathmaxrxt: u16,
    /// Retransmissions before the path is potentially failed.
    pub spt_pathpfthld: u16,
}

/// `SCTP_PEER_ADDR_THLDS_V2` option: [`sctp_paddrthlds`] plus the primary switchover
/// threshold (kernel 5.5+).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_paddrthlds_v2 {
    /// Association identifier.
    pub spt_assoc_id: sctp_assoc_t,
    /// Peer address (a wildcard address means all of them).
    pub spt_address: sockaddr_storage,
    /// Maximum retransmissions before the path is unreachable.
    pub spt_pathmaxrxt: u16,
    /// Retransmissions before the path is potentially failed.
    pub spt_pathpfthld: u16,
    /// Retransmissions before the primary path is switched over (RFC 7829).
    pub spt_pathcpthld: u16,
}

/// `SCTP_PR_ASSOC_STATUS` and `SCTP_PR_STREAM_STATUS` options: abandoned-message counters.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_prstatus {
    /// Association identifier.
    pub sprstat_assoc_id: sctp_assoc_t,
    /// Stream (for `SCTP_PR_STREAM_STATUS`).
    pub sprstat_sid: u16,
    /// Policy to report, or `SCTP_PR_SCTP_ALL` for the sum.
    pub sprstat_policy: u16,
    /// Messages abandoned before being sent.
    pub sprstat_abandoned_unsent: u64,
    /// Messages abandoned after being sent.
    pub sprstat_abandoned_sent: u64,
}

/// `SCTP_DEFAULT_PRINFO` option: the default PR-SCTP policy.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_default_prinfo {
    /// Association identifier.
    pub pr_assoc_id: sctp_assoc_t,
    /// The policy's value.
    pub pr_value: u32,
    /// `SCTP_PR_SCTP_*` policy.
    pub pr_policy: u16,
}

/// Association information reported through `sock_diag` (`ss`); not a socket option.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_info {
    /// Local verification tag.
    pub sctpi_tag: u32,
    /// Association state.
    pub sctpi_state: u32,
    /// Peer's receive window.
    pub sctpi_rwnd: u32,
    /// Unacknowledged DATA chunks.
    pub sctpi_unackdata: u16,
    /// DATA chunks pending receipt.
    pub sctpi_penddata: u16,
    /// Number of inbound streams.
    pub sctpi_instrms: u16,
    /// Number of outbound streams.
    pub sctpi_outstrms: u16,
    /// Fragmentation point.
    pub sctpi_fragmentation_point: u32,
    /// Bytes in the input queue.
    pub sctpi_inqueue: u32,
    /// Bytes in the output queue.
    pub sctpi_outqueue: u32,
    /// Overall error count.
    pub sctpi_overall_error: u32,
    /// Maximum burst.
    pub sctpi_max_burst: u32,
    /// Maximum segment size.
    pub sctpi_maxseg: u32,
    /// Peer's receive window as advertised.
    pub sctpi_peer_rwnd: u32,
    /// Peer's verification tag.
    pub sctpi_peer_tag: u32,
    /// Peer capabilities bitmap.
    pub sctpi_peer_capable: u8,
    /// Peer SACK state.
    pub sctpi_peer_sack: u8,
    /// Reserved.
    pub __reserved1: u16,
    /// SACKs received.
    pub sctpi_isacks: u64,
    /// SACKs sent.
    pub sctpi_osacks: u64,
    /// Packets sent.
    pub sctpi_opackets: u64,
    /// Packets received.
    pub sctpi_ipackets: u64,
    /// Retransmitted chunks.
    pub sctpi_rtxchunks: u64,
    /// TSNs received beyond the next expected.
    pub sctpi_outofseqtsns: u64,
    /// Duplicate chunks received.
    pub sctpi_idupchunks: u64,
    /// Gap acknowledgements received.
    pub sctpi_gapcnt: u64,
    /// Unordered DATA chunks sent.
    pub sctpi_ouodchunks: u64,
    /// Unordered DATA chunks received.
    pub sctpi_iuodchunks: u64,
    /// Ordered DATA chunks sent.
    pub sctpi_oodchunks: u64,
    /// Ordered DATA chunks received.
    pub sctpi_iodchunks: u64,
    /// Control chunks sent.
    pub sctpi_octrlchunks: u64,
    /// Control chunks received.
    pub sctpi_ictrlchunks: u64,
    /// Primary path address.
    pub sctpi_p_address: sockaddr_storage,
    /// Primary path state.
    pub sctpi_p_state: i32,
    /// Primary path congestion window.
    pub sctpi_p_cwnd: u32,
    /// Primary path smoothed RTT.
    pub sctpi_p_srtt: u32,
    /// Primary path RTO.
    pub sctpi_p_rto: u32,
    /// Primary path heartbeat interval.
    pub sctpi_p_hbinterval: u32,
    /// Primary path maximum retransmissions.
    pub sctpi_p_pathmaxrxt: u32,
    /// Primary path SACK delay.
    pub sctpi_p_sackdelay: u32,
    /// Primary path SACK frequency.
    pub sctpi_p_sackfreq: u32,
    /// Primary path slow-start threshold.
    pub sctpi_p_ssthresh: u32,
    /// Primary path partially acknowledged bytes.
    pub sctpi_p_partial_bytes_acked: u32,
    /// Primary path bytes in flight.
    pub sctpi_p_flight_size: u32,
    /// Primary path error count.
    pub sctpi_p_error: u16,
    /// Reserved.
    pub __reserved2: u16,
    /// Socket autoclose, in seconds.
    pub sctpi_s_autoclose: u32,
    /// Socket adaptation indication.
    pub sctpi_s_adaptation_ind: u32,
    /// Socket partial delivery point.
    pub sctpi_s_pd_point: u32,
    /// Socket `SCTP_NODELAY`.
    pub sctpi_s_nodelay: u8,
    /// Socket `SCTP_DISABLE_FRAGMENTS`.
    pub sctpi_s_disable_fragments: u8,
    /// Socket `SCTP_I_WANT_MAPPED_V4_ADDR`.
    pub sctpi_s_v4mapped: u8,
    /// Socket `SCTP_FRAGMENT_INTERLEAVE`.
    pub sctpi_s_frag_interleave: u8,
    /// Socket type (one-to-one or one-to-many).
    pub sctpi_s_type: u32,
    /// Reserved.
    pub __reserved3: u32,
}

/// `SCTP_RESET_STREAMS` option: reset streams (kernel 4.11+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_reset_streams {
    /// Association identifier.
    pub srs_assoc_id: sctp_assoc_t,
    /// `SCTP_STREAM_RESET_INCOMING` and/or `SCTP_STREAM_RESET_OUTGOING`.
    pub srs_flags: u16,
    /// Number of streams that follow (0 = all).
    pub srs_number_streams: u16,
    /// Flexible array: the streams.
    pub srs_stream_list: [u16; 0],
}

/// `SCTP_ADD_STREAMS` option: add streams (kernel 4.11+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_add_streams {
    /// Association identifier.
    pub sas_assoc_id: sctp_assoc_t,
    /// Inbound streams to add.
    pub sas_instrms: u16,
    /// Outbound streams to add.
    pub sas_outstrms: u16,
}

/// `SCTP_EVENT` option: subscribe to one notification type (kernel 5.0+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_event {
    /// Association identifier, or `SCTP_FUTURE_ASSOC`/`_CURRENT_ASSOC`/`_ALL_ASSOC`.
    pub se_assoc_id: sctp_assoc_t,
    /// Notification type (`SCTP_ASSOC_CHANGE`, ...; `SCTP_DATA_IO_EVENT` allowed).
    pub se_type: u16,
    /// 1 to subscribe, 0 to unsubscribe.
    pub se_on: u8,
}

/// `SCTP_REMOTE_UDP_ENCAPS_PORT` option: remote UDP encapsulation port (kernel 5.11+).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_udpencaps {
    /// Association identifier.
    pub sue_assoc_id: sctp_assoc_t,
    /// Peer address (a wildcard address means all of them).
    pub sue_address: sockaddr_storage,
    /// UDP port, in network byte order.
    pub sue_port: u16,
}

/// `SCTP_PLPMTUD_PROBE_INTERVAL` option: PLPMTUD probe interval (kernel 5.14+).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct sctp_probeinterval {
    /// Association identifier.
    pub spi_assoc_id: sctp_assoc_t,
    /// Peer address (a wildcard address means all of them).
    pub spi_address: sockaddr_storage,
    /// Interval, in milliseconds (0 disables probing).
    pub spi_interval: u32,
}

impl_pod!(
    sctp_rtoinfo,
    sctp_assocparams,
    sctp_setadaptation,
    sctp_authchunk,
    sctp_hmacalgo,
    sctp_authkey,
    sctp_authkeyid,
    sctp_sack_info,
    sctp_assoc_value,
    sctp_stream_value,
    sctp_status,
    sctp_authchunks,
    sctp_assoc_ids,
    sctp_getaddrs_old,
    sctp_getaddrs,
    sctp_assoc_stats,
    sctp_peeloff_arg_t,
    sctp_peeloff_flags_arg_t,
    sctp_paddrthlds,
    sctp_paddrthlds_v2,
    sctp_prstatus,
    sctp_default_prinfo,
    sctp_info,
    sctp_reset_streams,
    sctp_add_streams,
    sctp_event,
    sctp_udpencaps,
    sctp_probeinterval,
);

impl_default_zeroed!(
    sctp_getaddrs_old,
    sctp_assoc_stats,
    sctp_paddrthlds,
    sctp_paddrthlds_v2,
    sctp_info,
    sctp_udpencaps,
    sctp_probeinterval,
);
