//! Constants of `linux/sctp.h`, and its function-like macros as `const fn`.
//!
//! Each constant has its C name and the type of the C field or argument it is used with:
//! socket option names, cmsg types and `msg_flags` bits are `c_int`; flags stored in `__u16`
//! fields (`sinfo_flags`, `sn_type`, `pr_policy`, ...) are `u16`; values stored in `__u32`
//! fields (`spp_flags`, `assoc_value`, ...) are `u32`; association states are `i32`. The C
//! header declares most of them as enum members or untyped macros; the doc of each group
//! says which field it goes in. Items that kernels newer than 6.1 added say since when.
//!
//! `SOL_SCTP` and `IPPROTO_SCTP` come from `<linux/socket.h>` and `<netinet/in.h>`; they are
//! repeated here for convenience.
#![allow(non_snake_case)] // the C macros keep their C names as `const fn`

use libc::c_int;

use crate::types::sctp_assoc_t;

/// Socket option level of SCTP options (C: `SOL_SCTP`, from `<linux/socket.h>`).
pub const SOL_SCTP: c_int = 132;
/// The SCTP protocol number, for `socket()` and as cmsg level (C: `IPPROTO_SCTP`).
pub const IPPROTO_SCTP: c_int = 132;

// ----- special association ids ------------------------------------------------------------

/// Association id meaning "the socket's defaults for future associations".
pub const SCTP_FUTURE_ASSOC: sctp_assoc_t = 0;
/// Association id meaning "every current association".
pub const SCTP_CURRENT_ASSOC: sctp_assoc_t = 1;
/// Association id meaning "current and future associations".
pub const SCTP_ALL_ASSOC: sctp_assoc_t = 2;

// ----- socket options (optname, level SOL_SCTP) -------------------------------------------

/// Option: RTO bounds ([`sctp_rtoinfo`](crate::sctp_rtoinfo)).
pub const SCTP_RTOINFO: c_int = 0;
/// Option: association parameters ([`sctp_assocparams`](crate::sctp_assocparams)).
pub const SCTP_ASSOCINFO: c_int = 1;
/// Option: INIT parameters ([`sctp_initmsg`](crate::sctp_initmsg)).
pub const SCTP_INITMSG: c_int = 2;
/// Option: disable the Nagle-like bundling delay (`int`).
pub const SCTP_NODELAY: c_int = 3;
/// Option: idle seconds before an association is closed, one-to-many only (`int`).
pub const SCTP_AUTOCLOSE: c_int = 4;
/// Option: ask the peer to use one of our addresses as primary
/// ([`sctp_setpeerprim`](crate::sctp_setpeerprim)).
pub const SCTP_SET_PEER_PRIMARY_ADDR: c_int = 5;
/// Option: local primary path ([`sctp_prim`](crate::sctp_prim)).
pub const SCTP_PRIMARY_ADDR: c_int = 6;
/// Option: Adaptation Layer Indication ([`sctp_setadaptation`](crate::sctp_setadaptation)).
pub const SCTP_ADAPTATION_LAYER: c_int = 7;
/// Option: refuse messages larger than the fragmentation point (`int`).
pub const SCTP_DISABLE_FRAGMENTS: c_int = 8;
/// Option: peer address parameters ([`sctp_paddrparams`](crate::sctp_paddrparams)).
pub const SCTP_PEER_ADDR_PARAMS: c_int = 9;
/// Option: default send parameters ([`sctp_sndrcvinfo`](crate::sctp_sndrcvinfo)).
pub const SCTP_DEFAULT_SEND_PARAM: c_int = 10;
/// Option: notification subscriptions, deprecated
/// ([`sctp_event_subscribe`](crate::sctp_event_subscribe)).
pub const SCTP_EVENTS: c_int = 11;
/// Option: report IPv4 peers as v4-mapped IPv6 addresses (`int`).
pub const SCTP_I_WANT_MAPPED_V4_ADDR: c_int = 12;
/// Option: maximum fragment size ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_MAXSEG: c_int = 13;
/// Option: association status, get only ([`sctp_status`](crate::sctp_status)).
pub const SCTP_STATUS: c_int = 14;
/// Option: peer address state, get only ([`sctp_paddrinfo`](crate::sctp_paddrinfo)).
pub const SCTP_GET_PEER_ADDR_INFO: c_int = 15;
/// Option: delayed SACK ([`sctp_sack_info`](crate::sctp_sack_info)).
pub const SCTP_DELAYED_ACK_TIME: c_int = 16;
/// Alias of [`SCTP_DELAYED_ACK_TIME`].
pub const SCTP_DELAYED_ACK: c_int = SCTP_DELAYED_ACK_TIME;
/// Alias of [`SCTP_DELAYED_ACK_TIME`] (the RFC 6458 name).
pub const SCTP_DELAYED_SACK: c_int = SCTP_DELAYED_ACK_TIME;
/// Option: context reported with received messages ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_CONTEXT: c_int = 17;
/// Option: interleave partial deliveries of different associations (`int`).
pub const SCTP_FRAGMENT_INTERLEAVE: c_int = 18;
/// Option: message size that starts partial delivery (`u32`).
pub const SCTP_PARTIAL_DELIVERY_POINT: c_int = 19;
/// Option: maximum burst ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_MAX_BURST: c_int = 20;
/// Option: add a chunk type to authenticate, set only ([`sctp_authchunk`](crate::sctp_authchunk)).
pub const SCTP_AUTH_CHUNK: c_int = 21;
/// Option: accepted HMAC algorithms ([`sctp_hmacalgo`](crate::sctp_hmacalgo)).
pub const SCTP_HMAC_IDENT: c_int = 22;
/// Option: install a shared key, set only ([`sctp_authkey`](crate::sctp_authkey)).
pub const SCTP_AUTH_KEY: c_int = 23;
/// Option: active shared key ([`sctp_authkeyid`](crate::sctp_authkeyid)).
pub const SCTP_AUTH_ACTIVE_KEY: c_int = 24;
/// Option: delete a shared key, set only ([`sctp_authkeyid`](crate::sctp_authkeyid)).
pub const SCTP_AUTH_DELETE_KEY: c_int = 25;
/// Option: chunks the peer requires authenticated, get only
/// ([`sctp_authchunks`](crate::sctp_authchunks)).
pub const SCTP_PEER_AUTH_CHUNKS: c_int = 26;
/// Option: chunks we require authenticated, get only ([`sctp_authchunks`](crate::sctp_authchunks)).
pub const SCTP_LOCAL_AUTH_CHUNKS: c_int = 27;
/// Option: number of associations, get only (`u32`).
pub const SCTP_GET_ASSOC_NUMBER: c_int = 28;
/// Option: association ids, get only ([`sctp_assoc_ids`](crate::sctp_assoc_ids)).
pub const SCTP_GET_ASSOC_ID_LIST: c_int = 29;
/// Option: automatic ASCONF on address changes (`int`).
pub const SCTP_AUTO_ASCONF: c_int = 30;
/// Option: path failure thresholds ([`sctp_paddrthlds`](crate::sctp_paddrthlds)).
pub const SCTP_PEER_ADDR_THLDS: c_int = 31;
/// Option: deliver `SCTP_RCVINFO` cmsgs (`int`).
pub const SCTP_RECVRCVINFO: c_int = 32;
/// Option: deliver `SCTP_NXTINFO` cmsgs (`int`).
pub const SCTP_RECVNXTINFO: c_int = 33;
/// Option: default send parameters ([`sctp_sndinfo`](crate::sctp_sndinfo)).
pub const SCTP_DEFAULT_SNDINFO: c_int = 34;
/// Option: retire a shared key, set only ([`sctp_authkeyid`](crate::sctp_authkeyid)).
pub const SCTP_AUTH_DEACTIVATE_KEY: c_int = 35;
/// Option: port reuse, one-to-one sockets before bind (`int`).
pub const SCTP_REUSE_PORT: c_int = 36;
/// Option: path thresholds with the switchover threshold
/// ([`sctp_paddrthlds_v2`](crate::sctp_paddrthlds_v2)).
pub const SCTP_PEER_ADDR_THLDS_V2: c_int = 37;

/// Internal option behind `sctp_bindx(SCTP_BINDX_ADD_ADDR)`: packed address list.
pub const SCTP_SOCKOPT_BINDX_ADD: c_int = 100;
/// Internal option behind `sctp_bindx(SCTP_BINDX_REM_ADDR)`: packed address list.
pub const SCTP_SOCKOPT_BINDX_REM: c_int = 101;
/// Internal option behind `sctp_peeloff` ([`sctp_peeloff_arg_t`](crate::sctp_peeloff_arg_t)).
pub const SCTP_SOCKOPT_PEELOFF: c_int = 102;
/// Internal option: `sctp_connectx` without an association id out.
pub const SCTP_SOCKOPT_CONNECTX_OLD: c_int = 107;
/// Internal option behind `sctp_getpaddrs` ([`sctp_getaddrs`](crate::sctp_getaddrs)).
pub const SCTP_GET_PEER_ADDRS: c_int = 108;
/// Internal option behind `sctp_getladdrs` ([`sctp_getaddrs`](crate::sctp_getaddrs)).
pub const SCTP_GET_LOCAL_ADDRS: c_int = 109;
/// Internal option: `sctp_connectx` returning the association id as the result.
pub const SCTP_SOCKOPT_CONNECTX: c_int = 110;
/// Internal option: `sctp_connectx` reporting the association id also when in progress
/// ([`sctp_getaddrs_old`](crate::sctp_getaddrs_old)).
pub const SCTP_SOCKOPT_CONNECTX3: c_int = 111;
/// Option: association counters, get only ([`sctp_assoc_stats`](crate::sctp_assoc_stats)).
pub const SCTP_GET_ASSOC_STATS: c_int = 112;
/// Option: PR-SCTP support ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_PR_SUPPORTED: c_int = 113;
/// Option: default PR-SCTP policy ([`sctp_default_prinfo`](crate::sctp_default_prinfo)).
pub const SCTP_DEFAULT_PRINFO: c_int = 114;
/// Option: abandoned-message counters of an association ([`sctp_prstatus`](crate::sctp_prstatus)).
pub const SCTP_PR_ASSOC_STATUS: c_int = 115;
/// Option: abandoned-message counters of a stream ([`sctp_prstatus`](crate::sctp_prstatus)).
pub const SCTP_PR_STREAM_STATUS: c_int = 116;
/// Option: stream reconfiguration support ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_RECONFIG_SUPPORTED: c_int = 117;
/// Option: allowed reconfiguration requests, `SCTP_ENABLE_*` bits
/// ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_ENABLE_STREAM_RESET: c_int = 118;
/// Option: reset streams, set only ([`sctp_reset_streams`](crate::sctp_reset_streams)).
pub const SCTP_RESET_STREAMS: c_int = 119;
/// Option: reset the association's TSNs, set only (`sctp_assoc_t`).
pub const SCTP_RESET_ASSOC: c_int = 120;
/// Option: add streams, set only ([`sctp_add_streams`](crate::sctp_add_streams)).
pub const SCTP_ADD_STREAMS: c_int = 121;
/// Internal option behind `sctp_peeloff_flags`
/// ([`sctp_peeloff_flags_arg_t`](crate::sctp_peeloff_flags_arg_t)).
pub const SCTP_SOCKOPT_PEELOFF_FLAGS: c_int = 122;
/// Option: stream scheduler, `SCTP_SS_*` ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_STREAM_SCHEDULER: c_int = 123;
/// Option: per-stream scheduler value ([`sctp_stream_value`](crate::sctp_stream_value)).
pub const SCTP_STREAM_SCHEDULER_VALUE: c_int = 124;
/// Option: I-DATA interleaving support ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_INTERLEAVING_SUPPORTED: c_int = 125;
/// Not a socket option: the code the LSM hook sees when `sendmsg` creates an association.
pub const SCTP_SENDMSG_CONNECT: c_int = 126;
/// Option: subscribe to one notification type ([`sctp_event`](crate::sctp_event)).
pub const SCTP_EVENT: c_int = 127;
/// Option: ADD-IP (ASCONF) support ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_ASCONF_SUPPORTED: c_int = 128;
/// Option: AUTH support ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_AUTH_SUPPORTED: c_int = 129;
/// Option: ECN support ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_ECN_SUPPORTED: c_int = 130;
/// Option: expose the potentially-failed path state (0 unset, 1 disable, 2 enable)
/// ([`sctp_assoc_value`](crate::sctp_assoc_value)).
pub const SCTP_EXPOSE_POTENTIALLY_FAILED_STATE: c_int = 131;
/// Alias of [`SCTP_EXPOSE_POTENTIALLY_FAILED_STATE`].
pub const SCTP_EXPOSE_PF_STATE: c_int = SCTP_EXPOSE_POTENTIALLY_FAILED_STATE;
/// Option: remote UDP encapsulation port ([`sctp_udpencaps`](crate::sctp_udpencaps)).
pub const SCTP_REMOTE_UDP_ENCAPS_PORT: c_int = 132;
/// Option: PLPMTUD probe interval ([`sctp_probeinterval`](crate::sctp_probeinterval)).
pub const SCTP_PLPMTUD_PROBE_INTERVAL: c_int = 133;

// ----- PR-SCTP policies (u16: sinfo_flags, snd_flags, pr_policy, sprstat_policy) -----------

/// PR-SCTP policy: reliable.
pub const SCTP_PR_SCTP_NONE: u16 = 0x0000;
/// PR-SCTP policy: abandon after a lifetime in milliseconds.
pub const SCTP_PR_SCTP_TTL: u16 = 0x0010;
/// PR-SCTP policy: abandon after a number of retransmissions.
pub const SCTP_PR_SCTP_RTX: u16 = 0x0020;
/// PR-SCTP policy: abandon lower-priority messages when the send buffer is short.
pub const SCTP_PR_SCTP_PRIO: u16 = 0x0030;
/// The highest PR-SCTP policy.
pub const SCTP_PR_SCTP_MAX: u16 = SCTP_PR_SCTP_PRIO;
/// The bits of the flags that hold the PR-SCTP policy.
pub const SCTP_PR_SCTP_MASK: u16 = 0x0030;

/// Index of a PR-SCTP policy in per-policy tables (C: `__SCTP_PR_INDEX`, and
/// `SCTP_PR_INDEX(TTL)` is `SCTP_PR_INDEX(SCTP_PR_SCTP_TTL)` here): TTL 0, RTX 1, PRIO 2,
/// NONE -1.
pub const fn SCTP_PR_INDEX(policy: u16) -> c_int {
    (policy >> 4) as c_int - 1
}

/// The PR-SCTP policy bits of `flags` (C: `SCTP_PR_POLICY`).
pub const fn SCTP_PR_POLICY(flags: u16) -> u16 {
    flags & SCTP_PR_SCTP_MASK
}

/// Replace the PR-SCTP policy bits of `flags` with `policy` (C: `SCTP_PR_SET_POLICY`).
pub const fn SCTP_PR_SET_POLICY(flags: &mut u16, policy: u16) {
    *flags &= !SCTP_PR_SCTP_MASK;
    *flags |= policy;
}

/// Whether the policy of `flags` is TTL (C: `SCTP_PR_TTL_ENABLED`).
pub const fn SCTP_PR_TTL_ENABLED(flags: u16) -> bool {
    SCTP_PR_POLICY(flags) == SCTP_PR_SCTP_TTL
}

/// Whether the policy of `flags` is RTX (C: `SCTP_PR_RTX_ENABLED`).
pub const fn SCTP_PR_RTX_ENABLED(flags: u16) -> bool {
    SCTP_PR_POLICY(flags) == SCTP_PR_SCTP_RTX
}

/// Whether the policy of `flags` is PRIO (C: `SCTP_PR_PRIO_ENABLED`).
pub const fn SCTP_PR_PRIO_ENABLED(flags: u16) -> bool {
    SCTP_PR_POLICY(flags) == SCTP_PR_SCTP_PRIO
}

// ----- stream reconfiguration (RFC 6525) -------------------------------------------------

/// `SCTP_ENABLE_STREAM_RESET` bit (u32 `assoc_value`): allow stream reset requests.
pub const SCTP_ENABLE_RESET_STREAM_REQ: u32 = 0x01;
/// `SCTP_ENABLE_STREAM_RESET` bit: allow association (TSN) reset requests.
pub const SCTP_ENABLE_RESET_ASSOC_REQ: u32 = 0x02;
/// `SCTP_ENABLE_STREAM_RESET` bit: allow add-stream requests.
pub const SCTP_ENABLE_CHANGE_ASSOC_REQ: u32 = 0x04;
/// All `SCTP_ENABLE_*` bits.
pub const SCTP_ENABLE_STRRESET_MASK: u32 = 0x07;

/// `srs_flags` bit (u16): reset incoming streams.
pub const SCTP_STREAM_RESET_INCOMING: u16 = 0x01;
/// `srs_flags` bit (u16): reset outgoing streams.
pub const SCTP_STREAM_RESET_OUTGOING: u16 = 0x02;

// ----- msg_flags ---------------------------------------------------------------------------

/// `msg_flags` bit (`c_int`, C `enum sctp_msg_flags`): the data read is a notification.
///
/// The same bit as `MSG_MORE`: never pass received `msg_flags` back as send flags.
pub const MSG_NOTIFICATION: c_int = 0x8000;

// ----- sinfo_flags / snd_flags / rcv_flags / nxt_flags (u16, C enum sctp_sinfo_flags) ------

/// Send or received unordered.
pub const SCTP_UNORDERED: u16 = 1 << 0;
/// Send to the address in `msg_name` instead of the primary path.
pub const SCTP_ADDR_OVER: u16 = 1 << 1;
/// Abort the association (one-to-many sockets).
pub const SCTP_ABORT: u16 = 1 << 2;
/// Ask the peer to SACK this message without delay.
pub const SCTP_SACK_IMMEDIATELY: u16 = 1 << 3;
/// Send to every association of a one-to-many socket.
pub const SCTP_SENDALL: u16 = 1 << 6;
/// In `sprstat_policy`: the sum over all PR-SCTP policies.
pub const SCTP_PR_SCTP_ALL: u16 = 1 << 7;
/// In `nxt_flags`: the next message is a notification (equals [`MSG_NOTIFICATION`]).
pub const SCTP_NOTIFICATION: u16 = MSG_NOTIFICATION as u16;
/// Shut the association down gracefully (one-to-many sockets; equals `MSG_FIN`).
pub const SCTP_EOF: u16 = libc::MSG_FIN as u16;

// ----- cmsg types (cmsg_type, c_int; C enum sctp_cmsg_type) -------------------------------

/// The C `sctp_cmsg_t` (`enum sctp_cmsg_type`): an SCTP `cmsg_type`.
pub type sctp_cmsg_t = c_int;

/// cmsg: [`sctp_initmsg`](crate::sctp_initmsg), send.
pub const SCTP_INIT: sctp_cmsg_t = 0;
/// cmsg: [`sctp_sndrcvinfo`](crate::sctp_sndrcvinfo), send and receive.
pub const SCTP_SNDRCV: sctp_cmsg_t = 1;
/// cmsg: [`sctp_sndinfo`](crate::sctp_sndinfo), send.
pub const SCTP_SNDINFO: sctp_cmsg_t = 2;
/// cmsg: [`sctp_rcvinfo`](crate::sctp_rcvinfo), receive.
pub const SCTP_RCVINFO: sctp_cmsg_t = 3;
/// cmsg: [`sctp_nxtinfo`](crate::sctp_nxtinfo), receive.
pub const SCTP_NXTINFO: sctp_cmsg_t = 4;
/// cmsg: [`sctp_prinfo`](crate::sctp_prinfo), send.
pub const SCTP_PRINFO: sctp_cmsg_t = 5;
/// cmsg: [`sctp_authinfo`](crate::sctp_authinfo), send.
pub const SCTP_AUTHINFO: sctp_cmsg_t = 6;
/// cmsg: an IPv4 address (`in_addr`) for an implicitly created association, send.
pub const SCTP_DSTADDRV4: sctp_cmsg_t = 7;
/// cmsg: an IPv6 address (`in6_addr`) for an implicitly created association, send.
pub const SCTP_DSTADDRV6: sctp_cmsg_t = 8;

// ----- sac_state (u16, C enum sctp_sac_state) ---------------------------------------------

/// `sac_state`: the association is up.
pub const SCTP_COMM_UP: u16 = 0;
/// `sac_state`: the association was lost.
pub const SCTP_COMM_LOST: u16 = 1;
/// `sac_state`: the peer restarted.
pub const SCTP_RESTART: u16 = 2;
/// `sac_state`: the shutdown completed.
pub const SCTP_SHUTDOWN_COMP: u16 = 3;
/// `sac_state`: the association could not be started.
pub const SCTP_CANT_STR_ASSOC: u16 = 4;

// ----- spc_state (c_int, C enum sctp_spc_state) -------------------------------------------

/// `spc_state`: the address is reachable.
pub const SCTP_ADDR_AVAILABLE: c_int = 0;
/// `spc_state`: the address is unreachable.
pub const SCTP_ADDR_UNREACHABLE: c_int = 1;
/// `spc_state`: the address was removed.
pub const SCTP_ADDR_REMOVED: c_int = 2;
/// `spc_state`: the address was added.
pub const SCTP_ADDR_ADDED: c_int = 3;
/// `spc_state`: the address became primary.
pub const SCTP_ADDR_MADE_PRIM: c_int = 4;
/// `spc_state`: the address was confirmed.
pub const SCTP_ADDR_CONFIRMED: c_int = 5;
/// `spc_state`: the address is potentially failed (shown only with PF exposure on).
pub const SCTP_ADDR_POTENTIALLY_FAILED: c_int = 6;
/// Alias of [`SCTP_ADDR_POTENTIALLY_FAILED`].
pub const SCTP_ADDR_PF: c_int = SCTP_ADDR_POTENTIALLY_FAILED;

// ----- ssf_flags (u16, C enum sctp_ssf_flags) ---------------------------------------------

/// `ssf_flags`: the data was never put on the wire.
pub const SCTP_DATA_UNSENT: u16 = 0;
/// `ssf_flags`: the data was put on the wire.
pub const SCTP_DATA_SENT: u16 = 1;

// ----- pdapi_indication (u32) --------------------------------------------------------------

/// `pdapi_indication`: the partial delivery was aborted.
pub const SCTP_PARTIAL_DELIVERY_ABORTED: u32 = 0;

// ----- auth_indication (u32) ---------------------------------------------------------------

/// `auth_indication`: a new key is active.
pub const SCTP_AUTH_NEW_KEY: u32 = 0;
/// Alias of [`SCTP_AUTH_NEW_KEY`].
pub const SCTP_AUTH_NEWKEY: u32 = SCTP_AUTH_NEW_KEY;
/// `auth_indication`: a deactivated key is no longer used.
pub const SCTP_AUTH_FREE_KEY: u32 = 1;
/// `auth_indication`: the peer does not support AUTH.
pub const SCTP_AUTH_NO_AUTH: u32 = 2;

// ----- notification flags (u16) ------------------------------------------------------------

/// `strreset_flags`: incoming streams were reset.
pub const SCTP_STREAM_RESET_INCOMING_SSN: u16 = 0x0001;
/// `strreset_flags`: outgoing streams were reset.
pub const SCTP_STREAM_RESET_OUTGOING_SSN: u16 = 0x0002;
/// `strreset_flags`: the peer denied the reset.
pub const SCTP_STREAM_RESET_DENIED: u16 = 0x0004;
/// `strreset_flags`: the reset failed.
pub const SCTP_STREAM_RESET_FAILED: u16 = 0x0008;
/// `assocreset_flags`: the peer denied the reset.
pub const SCTP_ASSOC_RESET_DENIED: u16 = 0x0004;
/// `assocreset_flags`: the reset failed.
pub const SCTP_ASSOC_RESET_FAILED: u16 = 0x0008;
/// `strchange_flags`: the peer denied the change.
pub const SCTP_ASSOC_CHANGE_DENIED: u16 = 0x0004;
/// `strchange_flags`: the change failed.
pub const SCTP_ASSOC_CHANGE_FAILED: u16 = 0x0008;
/// Alias of [`SCTP_ASSOC_CHANGE_DENIED`].
pub const SCTP_STREAM_CHANGE_DENIED: u16 = SCTP_ASSOC_CHANGE_DENIED;
/// Alias of [`SCTP_ASSOC_CHANGE_FAILED`].
pub const SCTP_STREAM_CHANGE_FAILED: u16 = SCTP_ASSOC_CHANGE_FAILED;

// ----- notification types (u16: sn_type, se_type; C enum sctp_sn_type) --------------------

/// The lowest notification type.
pub const SCTP_SN_TYPE_BASE: u16 = 1 << 15;
/// Subscription to `SCTP_SNDRCV` cmsgs on data (not a notification).
pub const SCTP_DATA_IO_EVENT: u16 = SCTP_SN_TYPE_BASE;
/// Notification [`sctp_assoc_change`](crate::sctp_assoc_change).
pub const SCTP_ASSOC_CHANGE: u16 = SCTP_SN_TYPE_BASE + 1;
/// Notification [`sctp_paddr_change`](crate::sctp_paddr_change).
pub const SCTP_PEER_ADDR_CHANGE: u16 = SCTP_SN_TYPE_BASE + 2;
/// Notification [`sctp_send_failed`](crate::sctp_send_failed).
pub const SCTP_SEND_FAILED: u16 = SCTP_SN_TYPE_BASE + 3;
/// Notification [`sctp_remote_error`](crate::sctp_remote_error).
pub const SCTP_REMOTE_ERROR: u16 = SCTP_SN_TYPE_BASE + 4;
/// Notification [`sctp_shutdown_event`](crate::sctp_shutdown_event).
pub const SCTP_SHUTDOWN_EVENT: u16 = SCTP_SN_TYPE_BASE + 5;
/// Notification [`sctp_pdapi_event`](crate::sctp_pdapi_event).
pub const SCTP_PARTIAL_DELIVERY_EVENT: u16 = SCTP_SN_TYPE_BASE + 6;
/// Notification [`sctp_adaptation_event`](crate::sctp_adaptation_event).
pub const SCTP_ADAPTATION_INDICATION: u16 = SCTP_SN_TYPE_BASE + 7;
/// Notification [`sctp_authkey_event`](crate::sctp_authkey_event).
pub const SCTP_AUTHENTICATION_EVENT: u16 = SCTP_SN_TYPE_BASE + 8;
/// Alias of [`SCTP_AUTHENTICATION_EVENT`].
pub const SCTP_AUTHENTICATION_INDICATION: u16 = SCTP_AUTHENTICATION_EVENT;
/// Notification [`sctp_sender_dry_event`](crate::sctp_sender_dry_event).
pub const SCTP_SENDER_DRY_EVENT: u16 = SCTP_SN_TYPE_BASE + 9;
/// Notification [`sctp_stream_reset_event`](crate::sctp_stream_reset_event).
pub const SCTP_STREAM_RESET_EVENT: u16 = SCTP_SN_TYPE_BASE + 10;
/// Notification [`sctp_assoc_reset_event`](crate::sctp_assoc_reset_event).
pub const SCTP_ASSOC_RESET_EVENT: u16 = SCTP_SN_TYPE_BASE + 11;
/// Notification [`sctp_stream_change_event`](crate::sctp_stream_change_event).
pub const SCTP_STREAM_CHANGE_EVENT: u16 = SCTP_SN_TYPE_BASE + 12;
/// Notification [`sctp_send_failed_event`](crate::sctp_send_failed_event).
pub const SCTP_SEND_FAILED_EVENT: u16 = SCTP_SN_TYPE_BASE + 13;
/// The highest notification type.
pub const SCTP_SN_TYPE_MAX: u16 = SCTP_SEND_FAILED_EVENT;

// ----- notification error codes (c_int: spc_error; C enum sctp_sn_error) ------------------

/// The C `sctp_sn_error_t`: a notification error code.
pub type sctp_sn_error_t = c_int;

/// Error: the failure threshold was reached.
pub const SCTP_FAILED_THRESHOLD: sctp_sn_error_t = 0;
/// Error code: a SACK was received.
pub const SCTP_RECEIVED_SACK: sctp_sn_error_t = 1;
/// Error code: a heartbeat succeeded.
pub const SCTP_HEARTBEAT_SUCCESS: sctp_sn_error_t = 2;
/// Error code: in response to a user request.
pub const SCTP_RESPONSE_TO_USER_REQ: sctp_sn_error_t = 3;
/// Error code: internal error.
pub const SCTP_INTERNAL_ERROR: sctp_sn_error_t = 4;
/// Error code: the shutdown guard timer expired.
pub const SCTP_SHUTDOWN_GUARD_EXPIRES: sctp_sn_error_t = 5;
/// Error code: the peer is faulty.
pub const SCTP_PEER_FAULTY: sctp_sn_error_t = 6;

// ----- spp_flags (u32, C enum sctp_spp_flags) ---------------------------------------------

/// `spp_flags`: enable heartbeats.
pub const SPP_HB_ENABLE: u32 = 1 << 0;
/// `spp_flags`: disable heartbeats.
pub const SPP_HB_DISABLE: u32 = 1 << 1;
/// `spp_flags`: both heartbeat bits.
pub const SPP_HB: u32 = SPP_HB_ENABLE | SPP_HB_DISABLE;
/// `spp_flags`: send a heartbeat now.
pub const SPP_HB_DEMAND: u32 = 1 << 2;
/// `spp_flags`: enable path MTU discovery.
pub const SPP_PMTUD_ENABLE: u32 = 1 << 3;
/// `spp_flags`: disable path MTU discovery.
pub const SPP_PMTUD_DISABLE: u32 = 1 << 4;
/// `spp_flags`: both PMTUD bits.
pub const SPP_PMTUD: u32 = SPP_PMTUD_ENABLE | SPP_PMTUD_DISABLE;
/// `spp_flags`: enable delayed SACK.
pub const SPP_SACKDELAY_ENABLE: u32 = 1 << 5;
/// `spp_flags`: disable delayed SACK.
pub const SPP_SACKDELAY_DISABLE: u32 = 1 << 6;
/// `spp_flags`: both SACK-delay bits.
pub const SPP_SACKDELAY: u32 = SPP_SACKDELAY_ENABLE | SPP_SACKDELAY_DISABLE;
/// `spp_flags`: set the heartbeat delay to 0.
pub const SPP_HB_TIME_IS_ZERO: u32 = 1 << 7;
/// `spp_flags`: `spp_ipv6_flowlabel` is valid (kernel 4.19+).
pub const SPP_IPV6_FLOWLABEL: u32 = 1 << 8;
/// `spp_flags`: `spp_dscp` is valid (kernel 4.19+).
pub const SPP_DSCP: u32 = 1 << 9;

// ----- HMAC identifiers (u16: shmac_idents) -----------------------------------------------

/// HMAC identifier: SHA-1.
pub const SCTP_AUTH_HMAC_ID_SHA1: u16 = 1;
/// HMAC identifier: SHA-256.
pub const SCTP_AUTH_HMAC_ID_SHA256: u16 = 3;

// ----- spinfo_state (i32, C enum sctp_spinfo_state) ---------------------------------------

/// Path state: inactive.
pub const SCTP_INACTIVE: i32 = 0;
/// Path state: potentially failed.
pub const SCTP_PF: i32 = 1;
/// Alias of [`SCTP_PF`].
pub const SCTP_POTENTIALLY_FAILED: i32 = SCTP_PF;
/// Path state: active.
pub const SCTP_ACTIVE: i32 = 2;
/// Path state: not yet confirmed by a heartbeat.
pub const SCTP_UNCONFIRMED: i32 = 3;
/// Path state: unknown.
pub const SCTP_UNKNOWN: i32 = 0xffff;

// ----- sstat_state (i32, C enum sctp_sstat_state) -----------------------------------------

/// Association state: empty.
pub const SCTP_EMPTY: i32 = 0;
/// Association state: closed.
pub const SCTP_CLOSED: i32 = 1;
/// Association state: INIT sent.
pub const SCTP_COOKIE_WAIT: i32 = 2;
/// Association state: COOKIE-ECHO sent.
pub const SCTP_COOKIE_ECHOED: i32 = 3;
/// Association state: established.
pub const SCTP_ESTABLISHED: i32 = 4;
/// Association state: shutdown pending.
pub const SCTP_SHUTDOWN_PENDING: i32 = 5;
/// Association state: SHUTDOWN sent.
pub const SCTP_SHUTDOWN_SENT: i32 = 6;
/// Association state: SHUTDOWN received.
pub const SCTP_SHUTDOWN_RECEIVED: i32 = 7;
/// Association state: SHUTDOWN-ACK sent.
pub const SCTP_SHUTDOWN_ACK_SENT: i32 = 8;

// ----- sctp_bindx flags (c_int) -----------------------------------------------------------

/// `sctp_bindx` flag: add the addresses.
pub const SCTP_BINDX_ADD_ADDR: c_int = 0x01;
/// `sctp_bindx` flag: remove the addresses.
pub const SCTP_BINDX_REM_ADDR: c_int = 0x02;

// ----- stream schedulers (u32 assoc_value; C enum sctp_sched_type) ------------------------

/// Scheduler: first come, first served.
pub const SCTP_SS_FCFS: u32 = 0;
/// The default scheduler (FCFS).
pub const SCTP_SS_DEFAULT: u32 = SCTP_SS_FCFS;
/// Scheduler: priority (`stream_value` is the priority).
pub const SCTP_SS_PRIO: u32 = 1;
/// Scheduler: round robin.
pub const SCTP_SS_RR: u32 = 2;
/// Scheduler: fair capacity (RFC 8260). Since Linux 6.4.
pub const SCTP_SS_FC: u32 = 3;
/// Scheduler: weighted fair queueing (`stream_value` is the weight). Since Linux 6.4.
pub const SCTP_SS_WFQ: u32 = 4;
/// The highest scheduler this crate knows: [`SCTP_SS_WFQ`] as in Linux 6.4+.
///
/// Linux 6.1 headers define it as `SCTP_SS_RR` (2); a kernel rejects values above its own
/// maximum with `EINVAL`.
pub const SCTP_SS_MAX: u32 = SCTP_SS_WFQ;
