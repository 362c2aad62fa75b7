//! The Rust ABI of `linux-sctp-sys` against the C header `<linux/sctp.h>`.
//!
//! It needs no SCTP kernel (it goes through the cargo runner like every binary, but only
//! compiles and runs C). What it checks against is the installed 6.1 uapi header, so the
//! constants that later kernels add cannot be compared with a header (see below).
//!
//! The test generates a C program from the tables below, compiles it with the system C
//! compiler (`$CC`, else `gcc`), runs it, and compares what it prints with the Rust side:
//! the value of every constant, the size and alignment of every struct, union and typedef,
//! and the offset and size of every field (element size for flexible array members), plus
//! the results of the header's function-like macros on sample inputs.
//!
//! To prove the tables complete, it also parses the header itself (every `#define`, every
//! enum member, every struct/union field, every typedef) and the crate's own `consts.rs` and
//! `types/`, and fails if anything on either side is not compared. Constants that kernels
//! newer than the installed header added are compared with their documented values instead.
//!
//! A missing C compiler is a failure, not a skip.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::mem::{align_of, offset_of, size_of};
use std::path::{Path, PathBuf};
use std::process::Command;

use linux_sctp_sys::*;

// ------------------------------------------------------------------------------------------
// Rust-side tables
// ------------------------------------------------------------------------------------------

/// A constant: C name, C expression to evaluate, Rust value.
struct Const {
    name: &'static str,
    c_expr: &'static str,
    value: i64,
}

/// A type: key (as the header parser names it), C type expression, Rust size and alignment.
struct Ty {
    key: &'static str,
    c_type: &'static str,
    rust: &'static str,
    size: usize,
    align: usize,
}

/// A field: type key, C type expression, C field name, Rust field name, Rust offset and size.
struct Field {
    key: &'static str,
    c_type: &'static str,
    c_field: &'static str,
    rust: &'static str,
    offset: usize,
    /// Field size; for a flexible array member, the element size.
    size: usize,
    flex: bool,
}

/// An evaluation of a function-like macro: the macro, the C expression, the Rust result.
struct MacroEval {
    mac: &'static str,
    c_expr: &'static str,
    value: i64,
}

/// Size of the type a raw-pointer projection points to (never calls the function).
fn pointee_size<T, F>(_: fn(*const T) -> *const F) -> usize {
    size_of::<F>()
}

/// Element size of the zero-length array a projection points to (never calls the function).
fn flex_elem_size<T, E>(_: fn(*const T) -> *const [E; 0]) -> usize {
    size_of::<E>()
}

macro_rules! consts {
    ($($name:ident),* $(,)?) => {
        vec![$(Const { name: stringify!($name), c_expr: stringify!($name), value: i64::from($name) }),*]
    };
}

macro_rules! ty {
    ($key:literal, $c:expr, $t:ty) => {
        Ty {
            key: $key,
            c_type: $c,
            rust: stringify!($t),
            size: size_of::<$t>(),
            align: align_of::<$t>(),
        }
    };
}

/// `fields!(out, "struct x", "struct x", RustType { a, b, c: c_name } flex { tail })`
macro_rules! fields {
    ($out:ident, $key:literal, $c:expr, $t:ty { $($f:ident $(: $cf:ident)?),* $(,)? } $(flex { $($ff:ident),* })?) => {
        $(
            $out.push(Field {
                key: $key,
                c_type: $c,
                c_field: fields!(@cname $f $($cf)?),
                rust: concat!(stringify!($t), ".", stringify!($f)),
                offset: offset_of!($t, $f),
                // SAFETY: the function is only used for its type and is never called.
                size: pointee_size(|p: *const $t| unsafe { &raw const (*p).$f }),
                flex: false,
            });
        )*
        $($(
            $out.push(Field {
                key: $key,
                c_type: $c,
                c_field: stringify!($ff),
                rust: concat!(stringify!($t), ".", stringify!($ff)),
                offset: offset_of!($t, $ff),
                // SAFETY: the function is only used for its type and is never called.
                size: flex_elem_size(|p: *const $t| unsafe { &raw const (*p).$ff }),
                flex: true,
            });
        )*)?
    };
    (@cname $f:ident) => { stringify!($f) };
    (@cname $f:ident $cf:ident) => { stringify!($cf) };
}

#[rustfmt::skip]
fn constants() -> Vec<Const> {
    let mut v = consts![
        IPPROTO_SCTP,
        SCTP_FUTURE_ASSOC, SCTP_CURRENT_ASSOC, SCTP_ALL_ASSOC,
        // socket options 0..=37
        SCTP_RTOINFO, SCTP_ASSOCINFO, SCTP_INITMSG, SCTP_NODELAY, SCTP_AUTOCLOSE,
        SCTP_SET_PEER_PRIMARY_ADDR, SCTP_PRIMARY_ADDR, SCTP_ADAPTATION_LAYER,
        SCTP_DISABLE_FRAGMENTS, SCTP_PEER_ADDR_PARAMS, SCTP_DEFAULT_SEND_PARAM, SCTP_EVENTS,
        SCTP_I_WANT_MAPPED_V4_ADDR, SCTP_MAXSEG, SCTP_STATUS, SCTP_GET_PEER_ADDR_INFO,
        SCTP_DELAYED_ACK_TIME, SCTP_DELAYED_ACK, SCTP_DELAYED_SACK, SCTP_CONTEXT,
        SCTP_FRAGMENT_INTERLEAVE, SCTP_PARTIAL_DELIVERY_POINT, SCTP_MAX_BURST, SCTP_AUTH_CHUNK,
        SCTP_HMAC_IDENT, SCTP_AUTH_KEY, SCTP_AUTH_ACTIVE_KEY, SCTP_AUTH_DELETE_KEY,
        SCTP_PEER_AUTH_CHUNKS, SCTP_LOCAL_AUTH_CHUNKS, SCTP_GET_ASSOC_NUMBER,
        SCTP_GET_ASSOC_ID_LIST, SCTP_AUTO_ASCONF, SCTP_PEER_ADDR_THLDS, SCTP_RECVRCVINFO,
        SCTP_RECVNXTINFO, SCTP_DEFAULT_SNDINFO, SCTP_AUTH_DEACTIVATE_KEY, SCTP_REUSE_PORT,
        SCTP_PEER_ADDR_THLDS_V2,
        // socket options 100..=133
        SCTP_SOCKOPT_BINDX_ADD, SCTP_SOCKOPT_BINDX_REM, SCTP_SOCKOPT_PEELOFF,
        SCTP_SOCKOPT_CONNECTX_OLD, SCTP_GET_PEER_ADDRS, SCTP_GET_LOCAL_ADDRS,
        SCTP_SOCKOPT_CONNECTX, SCTP_SOCKOPT_CONNECTX3, SCTP_GET_ASSOC_STATS, SCTP_PR_SUPPORTED,
        SCTP_DEFAULT_PRINFO, SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS,
        SCTP_RECONFIG_SUPPORTED, SCTP_ENABLE_STREAM_RESET, SCTP_RESET_STREAMS, SCTP_RESET_ASSOC,
        SCTP_ADD_STREAMS, SCTP_SOCKOPT_PEELOFF_FLAGS, SCTP_STREAM_SCHEDULER,
        SCTP_STREAM_SCHEDULER_VALUE, SCTP_INTERLEAVING_SUPPORTED, SCTP_SENDMSG_CONNECT,
        SCTP_EVENT, SCTP_ASCONF_SUPPORTED, SCTP_AUTH_SUPPORTED, SCTP_ECN_SUPPORTED,
        SCTP_EXPOSE_POTENTIALLY_FAILED_STATE, SCTP_EXPOSE_PF_STATE, SCTP_REMOTE_UDP_ENCAPS_PORT,
        SCTP_PLPMTUD_PROBE_INTERVAL,
        // PR-SCTP
        SCTP_PR_SCTP_NONE, SCTP_PR_SCTP_TTL, SCTP_PR_SCTP_RTX, SCTP_PR_SCTP_PRIO,
        SCTP_PR_SCTP_MAX, SCTP_PR_SCTP_MASK,
        // stream reconfiguration
        SCTP_ENABLE_RESET_STREAM_REQ, SCTP_ENABLE_RESET_ASSOC_REQ, SCTP_ENABLE_CHANGE_ASSOC_REQ,
        SCTP_ENABLE_STRRESET_MASK, SCTP_STREAM_RESET_INCOMING, SCTP_STREAM_RESET_OUTGOING,
        // msg_flags and sinfo_flags
        MSG_NOTIFICATION,
        SCTP_UNORDERED, SCTP_ADDR_OVER, SCTP_ABORT, SCTP_SACK_IMMEDIATELY, SCTP_SENDALL,
        SCTP_PR_SCTP_ALL, SCTP_NOTIFICATION, SCTP_EOF,
        // cmsg types
        SCTP_INIT, SCTP_SNDRCV, SCTP_SNDINFO, SCTP_RCVINFO, SCTP_NXTINFO, SCTP_PRINFO,
        SCTP_AUTHINFO, SCTP_DSTADDRV4, SCTP_DSTADDRV6,
        // notification states, indications and flags
        SCTP_COMM_UP, SCTP_COMM_LOST, SCTP_RESTART, SCTP_SHUTDOWN_COMP, SCTP_CANT_STR_ASSOC,
        SCTP_ADDR_AVAILABLE, SCTP_ADDR_UNREACHABLE, SCTP_ADDR_REMOVED, SCTP_ADDR_ADDED,
        SCTP_ADDR_MADE_PRIM, SCTP_ADDR_CONFIRMED, SCTP_ADDR_POTENTIALLY_FAILED, SCTP_ADDR_PF,
        SCTP_DATA_UNSENT, SCTP_DATA_SENT, SCTP_PARTIAL_DELIVERY_ABORTED,
        SCTP_AUTH_NEW_KEY, SCTP_AUTH_NEWKEY, SCTP_AUTH_FREE_KEY, SCTP_AUTH_NO_AUTH,
        SCTP_STREAM_RESET_INCOMING_SSN, SCTP_STREAM_RESET_OUTGOING_SSN, SCTP_STREAM_RESET_DENIED,
        SCTP_STREAM_RESET_FAILED, SCTP_ASSOC_RESET_DENIED, SCTP_ASSOC_RESET_FAILED,
        SCTP_ASSOC_CHANGE_DENIED, SCTP_ASSOC_CHANGE_FAILED, SCTP_STREAM_CHANGE_DENIED,
        SCTP_STREAM_CHANGE_FAILED,
        // notification types
        SCTP_SN_TYPE_BASE, SCTP_DATA_IO_EVENT, SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE,
        SCTP_SEND_FAILED, SCTP_REMOTE_ERROR, SCTP_SHUTDOWN_EVENT, SCTP_PARTIAL_DELIVERY_EVENT,
        SCTP_ADAPTATION_INDICATION, SCTP_AUTHENTICATION_EVENT, SCTP_AUTHENTICATION_INDICATION,
        SCTP_SENDER_DRY_EVENT, SCTP_STREAM_RESET_EVENT, SCTP_ASSOC_RESET_EVENT,
        SCTP_STREAM_CHANGE_EVENT, SCTP_SEND_FAILED_EVENT, SCTP_SN_TYPE_MAX,
        // notification error codes
        SCTP_FAILED_THRESHOLD, SCTP_RECEIVED_SACK, SCTP_HEARTBEAT_SUCCESS,
        SCTP_RESPONSE_TO_USER_REQ, SCTP_INTERNAL_ERROR, SCTP_SHUTDOWN_GUARD_EXPIRES,
        SCTP_PEER_FAULTY,
        // spp_flags
        SPP_HB_ENABLE, SPP_HB_DISABLE, SPP_HB, SPP_HB_DEMAND, SPP_PMTUD_ENABLE,
        SPP_PMTUD_DISABLE, SPP_PMTUD, SPP_SACKDELAY_ENABLE, SPP_SACKDELAY_DISABLE,
        SPP_SACKDELAY, SPP_HB_TIME_IS_ZERO, SPP_IPV6_FLOWLABEL, SPP_DSCP,
        // HMAC identifiers
        SCTP_AUTH_HMAC_ID_SHA1, SCTP_AUTH_HMAC_ID_SHA256,
        // path and association states
        SCTP_INACTIVE, SCTP_PF, SCTP_POTENTIALLY_FAILED, SCTP_ACTIVE, SCTP_UNCONFIRMED,
        SCTP_UNKNOWN, SCTP_EMPTY, SCTP_CLOSED, SCTP_COOKIE_WAIT, SCTP_COOKIE_ECHOED,
        SCTP_ESTABLISHED, SCTP_SHUTDOWN_PENDING, SCTP_SHUTDOWN_SENT, SCTP_SHUTDOWN_RECEIVED,
        SCTP_SHUTDOWN_ACK_SENT,
        // sctp_bindx flags
        SCTP_BINDX_ADD_ADDR, SCTP_BINDX_REM_ADDR,
        // stream schedulers present in every supported header
        SCTP_SS_FCFS, SCTP_SS_DEFAULT, SCTP_SS_PRIO, SCTP_SS_RR,
    ];
    // SOL_SCTP is defined by the kernel's internal <linux/socket.h> (132), not by any
    // user-space header; the kernel treats it as IPPROTO_SCTP.
    v.push(Const { name: "SOL_SCTP", c_expr: "IPPROTO_SCTP", value: i64::from(SOL_SCTP) });
    v
}

/// Constants that kernels newer than 6.1 added: (name, Rust value, documented value, since).
/// Compared with C when the installed header has them, with the documented value otherwise.
fn newer_constants() -> Vec<(&'static str, i64, i64, &'static str)> {
    vec![
        ("SCTP_SS_FC", i64::from(SCTP_SS_FC), 3, "6.4"),
        ("SCTP_SS_WFQ", i64::from(SCTP_SS_WFQ), 4, "6.4"),
    ]
}

/// Constants whose value changed after 6.1: (name, Rust value, value in 6.1 headers,
/// marker of the newer header, since).
fn changed_constants() -> Vec<(&'static str, i64, i64, &'static str, &'static str)> {
    // 6.4 moved SCTP_SS_MAX from SCTP_SS_RR (2) to SCTP_SS_WFQ (4).
    vec![(
        "SCTP_SS_MAX",
        i64::from(SCTP_SS_MAX),
        2,
        "SCTP_SS_WFQ",
        "6.4",
    )]
}

fn macro_evals() -> Vec<MacroEval> {
    let mut v = Vec::new();
    macro_rules! eval {
        ($mac:literal, $c:literal, $r:expr) => {
            v.push(MacroEval {
                mac: $mac,
                c_expr: $c,
                value: i64::from($r),
            })
        };
    }
    eval!(
        "__SCTP_PR_INDEX",
        "__SCTP_PR_INDEX(0x0010)",
        SCTP_PR_INDEX(0x0010)
    );
    eval!(
        "__SCTP_PR_INDEX",
        "__SCTP_PR_INDEX(0x0000)",
        SCTP_PR_INDEX(0x0000)
    );
    eval!(
        "SCTP_PR_INDEX",
        "SCTP_PR_INDEX(NONE)",
        SCTP_PR_INDEX(SCTP_PR_SCTP_NONE)
    );
    eval!(
        "SCTP_PR_INDEX",
        "SCTP_PR_INDEX(TTL)",
        SCTP_PR_INDEX(SCTP_PR_SCTP_TTL)
    );
    eval!(
        "SCTP_PR_INDEX",
        "SCTP_PR_INDEX(RTX)",
        SCTP_PR_INDEX(SCTP_PR_SCTP_RTX)
    );
    eval!(
        "SCTP_PR_INDEX",
        "SCTP_PR_INDEX(PRIO)",
        SCTP_PR_INDEX(SCTP_PR_SCTP_PRIO)
    );
    eval!(
        "SCTP_PR_INDEX",
        "SCTP_PR_INDEX(MAX)",
        SCTP_PR_INDEX(SCTP_PR_SCTP_MAX)
    );
    eval!(
        "SCTP_PR_POLICY",
        "SCTP_PR_POLICY((__u16)0xffff)",
        SCTP_PR_POLICY(0xffff)
    );
    eval!(
        "SCTP_PR_POLICY",
        "SCTP_PR_POLICY((__u16)0x8021)",
        SCTP_PR_POLICY(0x8021)
    );
    eval!(
        "SCTP_PR_POLICY",
        "SCTP_PR_POLICY((__u16)0x000f)",
        SCTP_PR_POLICY(0x000f)
    );
    eval!(
        "SCTP_PR_SET_POLICY",
        "({ __u16 f = 0xffff; SCTP_PR_SET_POLICY(f, SCTP_PR_SCTP_RTX); f; })",
        {
            let mut f = 0xffff;
            SCTP_PR_SET_POLICY(&mut f, SCTP_PR_SCTP_RTX);
            f
        }
    );
    eval!(
        "SCTP_PR_SET_POLICY",
        "({ __u16 f = 0x0201; SCTP_PR_SET_POLICY(f, SCTP_PR_SCTP_PRIO); f; })",
        {
            let mut f = 0x0201;
            SCTP_PR_SET_POLICY(&mut f, SCTP_PR_SCTP_PRIO);
            f
        }
    );
    for (flags, c_ttl, c_rtx, c_prio) in [
        (
            0x0010u16,
            "SCTP_PR_TTL_ENABLED(0x0010)",
            "SCTP_PR_RTX_ENABLED(0x0010)",
            "SCTP_PR_PRIO_ENABLED(0x0010)",
        ),
        (
            0x0021,
            "SCTP_PR_TTL_ENABLED(0x0021)",
            "SCTP_PR_RTX_ENABLED(0x0021)",
            "SCTP_PR_PRIO_ENABLED(0x0021)",
        ),
        (
            0x8030,
            "SCTP_PR_TTL_ENABLED(0x8030)",
            "SCTP_PR_RTX_ENABLED(0x8030)",
            "SCTP_PR_PRIO_ENABLED(0x8030)",
        ),
        (
            0x0000,
            "SCTP_PR_TTL_ENABLED(0x0000)",
            "SCTP_PR_RTX_ENABLED(0x0000)",
            "SCTP_PR_PRIO_ENABLED(0x0000)",
        ),
    ] {
        v.push(MacroEval {
            mac: "SCTP_PR_TTL_ENABLED",
            c_expr: c_ttl,
            value: i64::from(SCTP_PR_TTL_ENABLED(flags)),
        });
        v.push(MacroEval {
            mac: "SCTP_PR_RTX_ENABLED",
            c_expr: c_rtx,
            value: i64::from(SCTP_PR_RTX_ENABLED(flags)),
        });
        v.push(MacroEval {
            mac: "SCTP_PR_PRIO_ENABLED",
            c_expr: c_prio,
            value: i64::from(SCTP_PR_PRIO_ENABLED(flags)),
        });
    }
    v
}

#[rustfmt::skip]
fn types() -> Vec<Ty> {
    vec![
        ty!("sctp_assoc_t", "sctp_assoc_t", sctp_assoc_t),
        ty!("sctp_cmsg_t", "sctp_cmsg_t", sctp_cmsg_t),
        ty!("sctp_sn_error_t", "sctp_sn_error_t", sctp_sn_error_t),
        ty!("struct sctp_initmsg", "struct sctp_initmsg", sctp_initmsg),
        ty!("struct sctp_sndrcvinfo", "struct sctp_sndrcvinfo", sctp_sndrcvinfo),
        ty!("struct sctp_sndinfo", "struct sctp_sndinfo", sctp_sndinfo),
        ty!("struct sctp_rcvinfo", "struct sctp_rcvinfo", sctp_rcvinfo),
        ty!("struct sctp_nxtinfo", "struct sctp_nxtinfo", sctp_nxtinfo),
        ty!("struct sctp_prinfo", "struct sctp_prinfo", sctp_prinfo),
        ty!("struct sctp_authinfo", "struct sctp_authinfo", sctp_authinfo),
        ty!("sctp_cmsg_data_t", "sctp_cmsg_data_t", sctp_cmsg_data_t),
        ty!("struct sctp_assoc_change", "struct sctp_assoc_change", sctp_assoc_change),
        ty!("struct sctp_paddr_change", "struct sctp_paddr_change", sctp_paddr_change),
        ty!("struct sctp_remote_error", "struct sctp_remote_error", sctp_remote_error),
        ty!("struct sctp_send_failed", "struct sctp_send_failed", sctp_send_failed),
        ty!("struct sctp_send_failed_event", "struct sctp_send_failed_event", sctp_send_failed_event),
        ty!("struct sctp_shutdown_event", "struct sctp_shutdown_event", sctp_shutdown_event),
        ty!("struct sctp_adaptation_event", "struct sctp_adaptation_event", sctp_adaptation_event),
        ty!("struct sctp_pdapi_event", "struct sctp_pdapi_event", sctp_pdapi_event),
        ty!("struct sctp_authkey_event", "struct sctp_authkey_event", sctp_authkey_event),
        ty!("struct sctp_sender_dry_event", "struct sctp_sender_dry_event", sctp_sender_dry_event),
        ty!("struct sctp_stream_reset_event", "struct sctp_stream_reset_event", sctp_stream_reset_event),
        ty!("struct sctp_assoc_reset_event", "struct sctp_assoc_reset_event", sctp_assoc_reset_event),
        ty!("struct sctp_stream_change_event", "struct sctp_stream_change_event", sctp_stream_change_event),
        ty!("struct sctp_event_subscribe", "struct sctp_event_subscribe", sctp_event_subscribe),
        ty!("union sctp_notification", "union sctp_notification", sctp_notification),
        ty!("union sctp_notification::sn_header", SN_HEADER, sctp_tlv),
        ty!("struct sctp_rtoinfo", "struct sctp_rtoinfo", sctp_rtoinfo),
        ty!("struct sctp_assocparams", "struct sctp_assocparams", sctp_assocparams),
        ty!("struct sctp_setpeerprim", "struct sctp_setpeerprim", sctp_setpeerprim),
        ty!("struct sctp_prim", "struct sctp_prim", sctp_prim),
        ty!("struct sctp_setprim", "struct sctp_setprim", sctp_setprim),
        ty!("struct sctp_setadaptation", "struct sctp_setadaptation", sctp_setadaptation),
        ty!("struct sctp_paddrparams", "struct sctp_paddrparams", sctp_paddrparams),
        ty!("struct sctp_authchunk", "struct sctp_authchunk", sctp_authchunk),
        ty!("struct sctp_hmacalgo", "struct sctp_hmacalgo", sctp_hmacalgo),
        ty!("struct sctp_authkey", "struct sctp_authkey", sctp_authkey),
        ty!("struct sctp_authkeyid", "struct sctp_authkeyid", sctp_authkeyid),
        ty!("struct sctp_sack_info", "struct sctp_sack_info", sctp_sack_info),
        ty!("struct sctp_assoc_value", "struct sctp_assoc_value", sctp_assoc_value),
        ty!("struct sctp_stream_value", "struct sctp_stream_value", sctp_stream_value),
        ty!("struct sctp_paddrinfo", "struct sctp_paddrinfo", sctp_paddrinfo),
        ty!("struct sctp_status", "struct sctp_status", sctp_status),
        ty!("struct sctp_authchunks", "struct sctp_authchunks", sctp_authchunks),
        ty!("struct sctp_assoc_ids", "struct sctp_assoc_ids", sctp_assoc_ids),
        ty!("struct sctp_getaddrs_old", "struct sctp_getaddrs_old", sctp_getaddrs_old),
        ty!("struct sctp_getaddrs", "struct sctp_getaddrs", sctp_getaddrs),
        ty!("struct sctp_assoc_stats", "struct sctp_assoc_stats", sctp_assoc_stats),
        ty!("sctp_peeloff_arg_t", "sctp_peeloff_arg_t", sctp_peeloff_arg_t),
        ty!("sctp_peeloff_flags_arg_t", "sctp_peeloff_flags_arg_t", sctp_peeloff_flags_arg_t),
        ty!("struct sctp_paddrthlds", "struct sctp_paddrthlds", sctp_paddrthlds),
        ty!("struct sctp_paddrthlds_v2", "struct sctp_paddrthlds_v2", sctp_paddrthlds_v2),
        ty!("struct sctp_prstatus", "struct sctp_prstatus", sctp_prstatus),
        ty!("struct sctp_default_prinfo", "struct sctp_default_prinfo", sctp_default_prinfo),
        ty!("struct sctp_info", "struct sctp_info", sctp_info),
        ty!("struct sctp_reset_streams", "struct sctp_reset_streams", sctp_reset_streams),
        ty!("struct sctp_add_streams", "struct sctp_add_streams", sctp_add_streams),
        ty!("struct sctp_event", "struct sctp_event", sctp_event),
        ty!("struct sctp_udpencaps", "struct sctp_udpencaps", sctp_udpencaps),
        ty!("struct sctp_probeinterval", "struct sctp_probeinterval", sctp_probeinterval),
    ]
}

/// The anonymous struct of `union sctp_notification`'s `sn_header`, as a C type.
const SN_HEADER: &str = "__typeof__(((union sctp_notification *)0)->sn_header)";

/// The packed field structs of the five `packed, aligned(4)` types: (packed Rust type,
/// its size, its alignment, the wrapper's size, the offset of the packed struct in the
/// wrapper, the wrapper's name).
fn packed_pairs() -> Vec<(&'static str, usize, usize, usize, usize, &'static str)> {
    macro_rules! pair {
        ($w:ident, $p:ident) => {
            (
                stringify!($p),
                size_of::<$p>(),
                align_of::<$p>(),
                size_of::<$w>(),
                offset_of!($w, 0),
                stringify!($w),
            )
        };
    }
    vec![
        pair!(sctp_paddr_change, sctp_paddr_change_packed),
        pair!(sctp_setpeerprim, sctp_setpeerprim_packed),
        pair!(sctp_prim, sctp_prim_packed),
        pair!(sctp_paddrparams, sctp_paddrparams_packed),
        pair!(sctp_paddrinfo, sctp_paddrinfo_packed),
    ]
}

#[rustfmt::skip]
fn fields() -> Vec<Field> {
    let mut f = Vec::new();
    fields!(f, "struct sctp_initmsg", "struct sctp_initmsg", sctp_initmsg {
        sinit_num_ostreams, sinit_max_instreams, sinit_max_attempts, sinit_max_init_timeo });
    fields!(f, "struct sctp_sndrcvinfo", "struct sctp_sndrcvinfo", sctp_sndrcvinfo {
        sinfo_stream, sinfo_ssn, sinfo_flags, sinfo_ppid, sinfo_context, sinfo_timetolive,
        sinfo_tsn, sinfo_cumtsn, sinfo_assoc_id });
    fields!(f, "struct sctp_sndinfo", "struct sctp_sndinfo", sctp_sndinfo {
        snd_sid, snd_flags, snd_ppid, snd_context, snd_assoc_id });
    fields!(f, "struct sctp_rcvinfo", "struct sctp_rcvinfo", sctp_rcvinfo {
        rcv_sid, rcv_ssn, rcv_flags, rcv_ppid, rcv_tsn, rcv_cumtsn, rcv_context, rcv_assoc_id });
    fields!(f, "struct sctp_nxtinfo", "struct sctp_nxtinfo", sctp_nxtinfo {
        nxt_sid, nxt_flags, nxt_ppid, nxt_length, nxt_assoc_id });
    fields!(f, "struct sctp_prinfo", "struct sctp_prinfo", sctp_prinfo { pr_policy, pr_value });
    fields!(f, "struct sctp_authinfo", "struct sctp_authinfo", sctp_authinfo { auth_keynumber });
    fields!(f, "sctp_cmsg_data_t", "sctp_cmsg_data_t", sctp_cmsg_data_t { raw, init, sndrcv });
    fields!(f, "struct sctp_assoc_change", "struct sctp_assoc_change", sctp_assoc_change {
        sac_type, sac_flags, sac_length, sac_state, sac_error, sac_outbound_streams,
        sac_inbound_streams, sac_assoc_id } flex { sac_info });
    fields!(f, "struct sctp_paddr_change", "struct sctp_paddr_change", sctp_paddr_change_packed {
        spc_type, spc_flags, spc_length, spc_aaddr, spc_state, spc_error, spc_assoc_id });
    fields!(f, "struct sctp_remote_error", "struct sctp_remote_error", sctp_remote_error {
        sre_type, sre_flags, sre_length, sre_error, sre_assoc_id } flex { sre_data });
    fields!(f, "struct sctp_send_failed", "struct sctp_send_failed", sctp_send_failed {
        ssf_type, ssf_flags, ssf_length, ssf_error, ssf_info, ssf_assoc_id } flex { ssf_data });
    fields!(f, "struct sctp_send_failed_event", "struct sctp_send_failed_event", sctp_send_failed_event {
        ssf_type, ssf_flags, ssf_length, ssf_error, ssfe_info, ssf_assoc_id } flex { ssf_data });
    fields!(f, "struct sctp_shutdown_event", "struct sctp_shutdown_event", sctp_shutdown_event {
        sse_type, sse_flags, sse_length, sse_assoc_id });
    fields!(f, "struct sctp_adaptation_event", "struct sctp_adaptation_event", sctp_adaptation_event {
        sai_type, sai_flags, sai_length, sai_adaptation_ind, sai_assoc_id });
    fields!(f, "struct sctp_pdapi_event", "struct sctp_pdapi_event", sctp_pdapi_event {
        pdapi_type, pdapi_flags, pdapi_length, pdapi_indication, pdapi_assoc_id, pdapi_stream,
        pdapi_seq });
    fields!(f, "struct sctp_authkey_event", "struct sctp_authkey_event", sctp_authkey_event {
        auth_type, auth_flags, auth_length, auth_keynumber, auth_altkeynumber, auth_indication,
        auth_assoc_id });
    fields!(f, "struct sctp_sender_dry_event", "struct sctp_sender_dry_event", sctp_sender_dry_event {
        sender_dry_type, sender_dry_flags, sender_dry_length, sender_dry_assoc_id });
    fields!(f, "struct sctp_stream_reset_event", "struct sctp_stream_reset_event", sctp_stream_reset_event {
        strreset_type, strreset_flags, strreset_length, strreset_assoc_id }
        flex { strreset_stream_list });
    fields!(f, "struct sctp_assoc_reset_event", "struct sctp_assoc_reset_event", sctp_assoc_reset_event {
        assocreset_type, assocreset_flags, assocreset_length, assocreset_assoc_id,
        assocreset_local_tsn, assocreset_remote_tsn });
    fields!(f, "struct sctp_stream_change_event", "struct sctp_stream_change_event", sctp_stream_change_event {
        strchange_type, strchange_flags, strchange_length, strchange_assoc_id, strchange_instrms,
        strchange_outstrms });
    fields!(f, "struct sctp_event_subscribe", "struct sctp_event_subscribe", sctp_event_subscribe {
        sctp_data_io_event, sctp_association_event, sctp_address_event, sctp_send_failure_event,
        sctp_peer_error_event, sctp_shutdown_event, sctp_partial_delivery_event,
        sctp_adaptation_layer_event, sctp_authentication_event, sctp_sender_dry_event,
        sctp_stream_reset_event, sctp_assoc_reset_event, sctp_stream_change_event,
        sctp_send_failure_event_event });
    fields!(f, "union sctp_notification", "union sctp_notification", sctp_notification {
        sn_header, sn_assoc_change, sn_paddr_change, sn_remote_error, sn_send_failed,
        sn_shutdown_event, sn_adaptation_event, sn_pdapi_event, sn_authkey_event,
        sn_sender_dry_event, sn_strreset_event, sn_assocreset_event, sn_strchange_event,
        sn_send_failed_event });
    fields!(f, "union sctp_notification::sn_header", SN_HEADER, sctp_tlv {
        sn_type, sn_flags, sn_length });
    fields!(f, "struct sctp_rtoinfo", "struct sctp_rtoinfo", sctp_rtoinfo {
        srto_assoc_id, srto_initial, srto_max, srto_min });
    fields!(f, "struct sctp_assocparams", "struct sctp_assocparams", sctp_assocparams {
        sasoc_assoc_id, sasoc_asocmaxrxt, sasoc_number_peer_destinations, sasoc_peer_rwnd,
        sasoc_local_rwnd, sasoc_cookie_life });
    fields!(f, "struct sctp_setpeerprim", "struct sctp_setpeerprim", sctp_setpeerprim_packed {
        sspp_assoc_id, sspp_addr });
    fields!(f, "struct sctp_prim", "struct sctp_prim", sctp_prim_packed { ssp_assoc_id, ssp_addr });
    fields!(f, "struct sctp_setadaptation", "struct sctp_setadaptation", sctp_setadaptation {
        ssb_adaptation_ind });
    fields!(f, "struct sctp_paddrparams", "struct sctp_paddrparams", sctp_paddrparams_packed {
        spp_assoc_id, spp_address, spp_hbinterval, spp_pathmaxrxt, spp_pathmtu, spp_sackdelay,
        spp_flags, spp_ipv6_flowlabel, spp_dscp });
    fields!(f, "struct sctp_authchunk", "struct sctp_authchunk", sctp_authchunk { sauth_chunk });
    // `shmac_number_of_idents` is a C macro alias of the field `shmac_num_idents`.
    fields!(f, "struct sctp_hmacalgo", "struct sctp_hmacalgo", sctp_hmacalgo {
        shmac_num_idents, shmac_num_idents: shmac_number_of_idents } flex { shmac_idents });
    fields!(f, "struct sctp_authkey", "struct sctp_authkey", sctp_authkey {
        sca_assoc_id, sca_keynumber, sca_keylength } flex { sca_key });
    fields!(f, "struct sctp_authkeyid", "struct sctp_authkeyid", sctp_authkeyid {
        scact_assoc_id, scact_keynumber });
    fields!(f, "struct sctp_sack_info", "struct sctp_sack_info", sctp_sack_info {
        sack_assoc_id, sack_delay, sack_freq });
    fields!(f, "struct sctp_assoc_value", "struct sctp_assoc_value", sctp_assoc_value {
        assoc_id, assoc_value });
    fields!(f, "struct sctp_stream_value", "struct sctp_stream_value", sctp_stream_value {
        assoc_id, stream_id, stream_value });
    fields!(f, "struct sctp_paddrinfo", "struct sctp_paddrinfo", sctp_paddrinfo_packed {
        spinfo_assoc_id, spinfo_address, spinfo_state, spinfo_cwnd, spinfo_srtt, spinfo_rto,
        spinfo_mtu });
    fields!(f, "struct sctp_status", "struct sctp_status", sctp_status {
        sstat_assoc_id, sstat_state, sstat_rwnd, sstat_unackdata, sstat_penddata, sstat_instrms,
        sstat_outstrms, sstat_fragmentation_point, sstat_primary });
    // `guth_number_of_chunks` is a C macro alias of the field `gauth_number_of_chunks`.
    fields!(f, "struct sctp_authchunks", "struct sctp_authchunks", sctp_authchunks {
        gauth_assoc_id, gauth_number_of_chunks, gauth_number_of_chunks: guth_number_of_chunks }
        flex { gauth_chunks });
    fields!(f, "struct sctp_assoc_ids", "struct sctp_assoc_ids", sctp_assoc_ids {
        gaids_number_of_ids } flex { gaids_assoc_id });
    fields!(f, "struct sctp_getaddrs_old", "struct sctp_getaddrs_old", sctp_getaddrs_old {
        assoc_id, addr_num, addrs });
    fields!(f, "struct sctp_getaddrs", "struct sctp_getaddrs", sctp_getaddrs {
        assoc_id, addr_num } flex { addrs });
    fields!(f, "struct sctp_assoc_stats", "struct sctp_assoc_stats", sctp_assoc_stats {
        sas_assoc_id, sas_obs_rto_ipaddr, sas_maxrto, sas_isacks, sas_osacks, sas_opackets,
        sas_ipackets, sas_rtxchunks, sas_outofseqtsns, sas_idupchunks, sas_gapcnt,
        sas_ouodchunks, sas_iuodchunks, sas_oodchunks, sas_iodchunks, sas_octrlchunks,
        sas_ictrlchunks });
    fields!(f, "sctp_peeloff_arg_t", "sctp_peeloff_arg_t", sctp_peeloff_arg_t { associd, sd });
    fields!(f, "sctp_peeloff_flags_arg_t", "sctp_peeloff_flags_arg_t", sctp_peeloff_flags_arg_t {
        p_arg, flags });
    fields!(f, "struct sctp_paddrthlds", "struct sctp_paddrthlds", sctp_paddrthlds {
        spt_assoc_id, spt_address, spt_pathmaxrxt, spt_pathpfthld });
    fields!(f, "struct sctp_paddrthlds_v2", "struct sctp_paddrthlds_v2", sctp_paddrthlds_v2 {
        spt_assoc_id, spt_address, spt_pathmaxrxt, spt_pathpfthld, spt_pathcpthld });
    fields!(f, "struct sctp_prstatus", "struct sctp_prstatus", sctp_prstatus {
        sprstat_assoc_id, sprstat_sid, sprstat_policy, sprstat_abandoned_unsent,
        sprstat_abandoned_sent });
    fields!(f, "struct sctp_default_prinfo", "struct sctp_default_prinfo", sctp_default_prinfo {
        pr_assoc_id, pr_value, pr_policy });
    fields!(f, "struct sctp_info", "struct sctp_info", sctp_info {
        sctpi_tag, sctpi_state, sctpi_rwnd, sctpi_unackdata, sctpi_penddata, sctpi_instrms,
        sctpi_outstrms, sctpi_fragmentation_point, sctpi_inqueue, sctpi_outqueue,
        sctpi_overall_error, sctpi_max_burst, sctpi_maxseg, sctpi_peer_rwnd, sctpi_peer_tag,
        sctpi_peer_capable, sctpi_peer_sack, __reserved1, sctpi_isacks, sctpi_osacks,
        sctpi_opackets, sctpi_ipackets, sctpi_rtxchunks, sctpi_outofseqtsns, sctpi_idupchunks,
        sctpi_gapcnt, sctpi_ouodchunks, sctpi_iuodchunks, sctpi_oodchunks, sctpi_iodchunks,
        sctpi_octrlchunks, sctpi_ictrlchunks, sctpi_p_address, sctpi_p_state, sctpi_p_cwnd,
        sctpi_p_srtt, sctpi_p_rto, sctpi_p_hbinterval, sctpi_p_pathmaxrxt, sctpi_p_sackdelay,
        sctpi_p_sackfreq, sctpi_p_ssthresh, sctpi_p_partial_bytes_acked, sctpi_p_flight_size,
        sctpi_p_error, __reserved2, sctpi_s_autoclose, sctpi_s_adaptation_ind, sctpi_s_pd_point,
        sctpi_s_nodelay, sctpi_s_disable_fragments, sctpi_s_v4mapped, sctpi_s_frag_interleave,
        sctpi_s_type, __reserved3 });
    fields!(f, "struct sctp_reset_streams", "struct sctp_reset_streams", sctp_reset_streams {
        srs_assoc_id, srs_flags, srs_number_streams } flex { srs_stream_list });
    fields!(f, "struct sctp_add_streams", "struct sctp_add_streams", sctp_add_streams {
        sas_assoc_id, sas_instrms, sas_outstrms });
    fields!(f, "struct sctp_event", "struct sctp_event", sctp_event { se_assoc_id, se_type, se_on });
    fields!(f, "struct sctp_udpencaps", "struct sctp_udpencaps", sctp_udpencaps {
        sue_assoc_id, sue_address, sue_port });
    fields!(f, "struct sctp_probeinterval", "struct sctp_probeinterval", sctp_probeinterval {
        spi_assoc_id, spi_address, spi_interval });
    f
}

/// `#define`s of the header that are not constants, with the reason.
const NOT_CONSTANTS: &[(&str, &str)] = &[
    ("_SCTP_H", "header include guard"),
    (
        "_UAPI_SCTP_H",
        "header include guard (kernel tree spelling)",
    ),
    (
        "sctp_setprim",
        "type alias of struct sctp_prim: compared as a type",
    ),
    (
        "shmac_number_of_idents",
        "field alias: compared as a field of struct sctp_hmacalgo",
    ),
    (
        "guth_number_of_chunks",
        "field alias: compared as a field of struct sctp_authchunks",
    ),
];

// ------------------------------------------------------------------------------------------
// Header parser (enough C for linux/sctp.h)
// ------------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Header {
    /// Object-like `#define` names.
    defines: BTreeSet<String>,
    /// Function-like `#define` names.
    macros: BTreeSet<String>,
    /// Enum members.
    enum_members: BTreeSet<String>,
    /// Struct/union keys (`struct x`, `union x`, a typedef name for anonymous ones,
    /// `parent::member` for nested anonymous ones) and typedef names.
    types: BTreeSet<String>,
    /// (type key, field name).
    fields: BTreeSet<(String, String)>,
}

fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                out.push(' ');
                let end = rest[b + 2..]
                    .find("*/")
                    .expect("unterminated comment in header");
                rest = &rest[b + 2 + end + 2..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                let end = rest[l..].find('\n').map_or(rest.len(), |e| l + e);
                rest = &rest[end..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

fn tokenize(src: &str) -> Vec<String> {
    let mut toks = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let mut t = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_ascii_alphanumeric() || c == '_' {
                    t.push(c);
                    chars.next();
                } else {
                    break;
                }
            }
            toks.push(t);
        } else {
            toks.push(c.to_string());
            chars.next();
        }
    }
    toks
}

fn is_ident(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// Splits `toks` at `sep` tokens at brace/paren depth 0.
fn split_top(toks: &[String], sep: &str) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let mut depth = 0i32;
    for t in toks {
        match t.as_str() {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => depth -= 1,
            _ => {}
        }
        if depth == 0 && t == sep {
            out.push(Vec::new());
        } else {
            out.last_mut().unwrap().push(t.clone());
        }
    }
    out.retain(|d| !d.is_empty());
    out
}

/// The index of the `}` matching the `{` at `open`.
fn matching_brace(toks: &[String], open: usize) -> usize {
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced braces in header");
}

fn parse_aggregate_body(h: &mut Header, key: &str, body: &[String]) {
    for decl in split_top(body, ";") {
        if let Some(open) = decl.iter().position(|t| t == "{") {
            let close = matching_brace(&decl, open);
            let member = decl[close + 1..]
                .iter()
                .rev()
                .find(|t| is_ident(t))
                .expect("nested member name");
            let nested = format!("{key}::{member}");
            h.fields.insert((key.to_string(), member.clone()));
            h.types.insert(nested.clone());
            parse_aggregate_body(h, &nested, &decl[open + 1..close]);
        } else {
            let end = decl
                .iter()
                .position(|t| t == "[" || t == ":")
                .unwrap_or(decl.len());
            let name = decl[..end]
                .iter()
                .rev()
                .find(|t| is_ident(t))
                .expect("field name");
            h.fields.insert((key.to_string(), name.clone()));
        }
    }
}

fn parse_header(src: &str) -> Header {
    let mut h = Header::default();
    let src = strip_comments(src);
    // Join continued lines, then take preprocessor lines out.
    let src = src.replace("\\\n", " ");
    let mut code = String::new();
    for line in src.lines() {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix('#') {
            let rest = rest.trim_start();
            if let Some(def) = rest.strip_prefix("define") {
                let def = def.trim_start();
                let name: String = def
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if def[name.len()..].starts_with('(') {
                    h.macros.insert(name);
                } else {
                    h.defines.insert(name);
                }
            }
        } else {
            code.push_str(line);
            code.push('\n');
        }
    }
    let toks = tokenize(&code);
    for decl in split_top(&toks, ";") {
        let (typedef, decl) = match decl.first().map(String::as_str) {
            Some("typedef") => (true, &decl[1..]),
            _ => (false, &decl[..]),
        };
        let kind = decl[0].as_str();
        let open = decl.iter().position(|t| t == "{");
        match (kind, open) {
            ("struct" | "union" | "enum", Some(open)) => {
                let close = matching_brace(decl, open);
                let body = &decl[open + 1..close];
                let tag = (open == 2).then(|| decl[1].clone());
                let typedef_name = typedef
                    .then(|| {
                        decl[close + 1..]
                            .iter()
                            .rev()
                            .find(|t| is_ident(t))
                            .cloned()
                    })
                    .flatten();
                if let Some(name) = &typedef_name {
                    h.types.insert(name.clone());
                }
                if kind == "enum" {
                    for item in split_top(body, ",") {
                        h.enum_members.insert(item[0].clone());
                    }
                } else {
                    let key = match (&tag, &typedef_name) {
                        (Some(tag), _) => format!("{kind} {tag}"),
                        (None, Some(name)) => name.clone(),
                        (None, None) => panic!("anonymous top-level {kind} in header"),
                    };
                    h.types.insert(key.clone());
                    parse_aggregate_body(&mut h, &key, body);
                }
            }
            _ if typedef => {
                let name = decl
                    .iter()
                    .rev()
                    .find(|t| is_ident(t))
                    .expect("typedef name");
                h.types.insert(name.clone());
            }
            _ => panic!("unexpected top-level declaration in header: {decl:?}"),
        }
    }
    h
}

/// Public item names declared in a Rust source file of this crate.
fn rust_items(src: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let (mut consts, mut types) = (BTreeSet::new(), BTreeSet::new());
    for line in src.lines() {
        let t = line.trim_start();
        if let Some(r) = t.strip_prefix("pub const fn ") {
            consts.insert(ident(r));
        } else if let Some(r) = t.strip_prefix("pub const ") {
            consts.insert(ident(r));
        } else if let Some(r) = t
            .strip_prefix("pub struct ")
            .or_else(|| t.strip_prefix("pub union "))
            .or_else(|| t.strip_prefix("pub type "))
        {
            if r.starts_with('$') {
                continue; // inside a macro definition
            }
            let name = ident(r);
            if let Some(inner) = r[name.len()..].strip_prefix('(') {
                let inner = inner.trim_start_matches("pub ");
                if !inner.starts_with('$') {
                    types.insert(ident(inner));
                }
            }
            types.insert(name);
        }
    }
    (consts, types)
}

// ------------------------------------------------------------------------------------------
// The C side
// ------------------------------------------------------------------------------------------

/// A scratch directory under the system temp dir, removed on drop (also when a check panics).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("sctp-sys-layout-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn c_compiler() -> String {
    std::env::var("CC")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "gcc".to_string())
}

fn header_path(cc: &str, dir: &Path) -> PathBuf {
    let probe = dir.join("probe.c");
    std::fs::write(&probe, "#include <linux/sctp.h>\n").unwrap();
    let out = Command::new(cc)
        .arg("-M")
        .arg(&probe)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{cc}` (set CC): {e}"));
    assert!(
        out.status.success(),
        "`{cc} -M` failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deps = String::from_utf8(out.stdout).unwrap();
    let path = deps
        .split_whitespace()
        .find(|w| w.ends_with("/linux/sctp.h"))
        .unwrap_or_else(|| panic!("linux/sctp.h not in the dependencies: {deps}"));
    PathBuf::from(path)
}

fn c_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn c_program(
    consts: &[Const],
    extra_consts: &[&str],
    types: &[Ty],
    fields: &[Field],
    evals: &[MacroEval],
) -> String {
    let mut c = String::from(
        "#include <stdint.h>\n#include <sys/socket.h>\n#include <netinet/in.h>\n#include <linux/sctp.h>\n\
         #include <stddef.h>\n#include <stdio.h>\n\nint main(void) {\n",
    );
    for k in consts {
        writeln!(
            c,
            "  printf(\"K\\t%s\\t%lld\\n\", {}, (long long)({}));",
            c_string(k.name),
            k.c_expr
        )
        .unwrap();
    }
    for name in extra_consts {
        writeln!(
            c,
            "  printf(\"K\\t%s\\t%lld\\n\", {}, (long long)({name}));",
            c_string(name)
        )
        .unwrap();
    }
    for t in types {
        writeln!(
            c,
            "  printf(\"T\\t%s\\t%zu\\t%zu\\n\", {}, sizeof({ty}), _Alignof({ty}));",
            c_string(t.key),
            ty = t.c_type
        )
        .unwrap();
    }
    for f in fields {
        let size = if f.flex {
            format!("sizeof((({} *)0)->{}[0])", f.c_type, f.c_field)
        } else {
            format!("sizeof((({} *)0)->{})", f.c_type, f.c_field)
        };
        writeln!(
            c,
            "  printf(\"F\\t%s\\t%s\\t%zu\\t%zu\\n\", {}, {}, offsetof({}, {}), {size});",
            c_string(f.key),
            c_string(f.c_field),
            f.c_type,
            f.c_field
        )
        .unwrap();
    }
    for e in evals {
        writeln!(
            c,
            "  printf(\"M\\t%s\\t%lld\\n\", {}, (long long)({}));",
            c_string(e.c_expr),
            e.c_expr
        )
        .unwrap();
    }
    c.push_str("  return 0;\n}\n");
    c
}

/// Runs the C program; returns its lines split at tabs, keyed by everything but the values.
fn run_c(cc: &str, dir: &Path, program: &str) -> BTreeMap<String, Vec<i64>> {
    let src = dir.join("layout.c");
    let bin = dir.join("layout");
    std::fs::write(&src, program).unwrap();
    let out = Command::new(cc)
        .args(["-std=gnu11", "-Wall", "-Werror", "-o"])
        .arg(&bin)
        .arg(&src)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{cc}` (set CC): {e}"));
    assert!(
        out.status.success(),
        "compiling {} failed:\n{}",
        src.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(&bin)
        .output()
        .expect("run the C layout program");
    assert!(out.status.success(), "the C layout program failed");
    let mut map = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let nkeys = match parts[0] {
            "K" | "M" => 2,
            "T" => 2,
            "F" => 3,
            other => panic!("unexpected line kind {other}"),
        };
        let key = parts[..nkeys].join("\t");
        let values = parts[nkeys..].iter().map(|v| v.parse().unwrap()).collect();
        assert!(
            map.insert(key.clone(), values).is_none(),
            "duplicate C output {key}"
        );
    }
    map
}

// ------------------------------------------------------------------------------------------
// The test
// ------------------------------------------------------------------------------------------

#[test]
fn layout_matches_c_header() {
    let cc = c_compiler();
    let tmp = TempDir::new();
    let dir = tmp.0.clone();

    let header_file = header_path(&cc, &dir);
    let header = parse_header(&std::fs::read_to_string(&header_file).unwrap());

    let consts = constants();
    let types = types();
    let fields = fields();
    let evals = macro_evals();
    let newer = newer_constants();
    let changed = changed_constants();
    let header_has = |n: &str| header.enum_members.contains(n) || header.defines.contains(n);

    // Newer constants the installed header already has are compared with C directly.
    let mut extra_c: Vec<&str> = newer
        .iter()
        .map(|n| n.0)
        .filter(|n| header_has(n))
        .collect();
    extra_c.extend(changed.iter().map(|c| c.0));

    let program = c_program(&consts, &extra_c, &types, &fields, &evals);
    let c = run_c(&cc, &dir, &program);
    drop(tmp);

    let mut errors = Vec::new();
    let c_get = |key: String| -> Option<&Vec<i64>> { c.get(&key) };

    // Values.
    let (mut n_consts, mut n_types, mut n_fields) = (0, 0, 0);
    for k in &consts {
        let got = c_get(format!("K\t{}", k.name)).expect("C output for constant")[0];
        if got != k.value {
            errors.push(format!(
                "constant {}: C {} (0x{got:x}), Rust {}",
                k.name, got, k.value
            ));
        }
        n_consts += 1;
    }
    let mut n_documented = 0;
    for (name, rust, documented, since) in &newer {
        if rust != documented {
            errors.push(format!(
                "constant {name} (since {since}): Rust {rust}, documented {documented}"
            ));
        }
        if let Some(v) = c.get(&format!("K\t{name}")) {
            if v[0] != *rust {
                errors.push(format!("constant {name}: C {}, Rust {rust}", v[0]));
            }
            n_consts += 1;
        } else {
            n_documented += 1;
        }
    }
    for (name, rust, old_c, marker, since) in &changed {
        let got = c_get(format!("K\t{name}")).expect("C output for changed constant")[0];
        if header_has(marker) {
            if got != *rust {
                errors.push(format!("constant {name}: C {got}, Rust {rust}"));
            }
        } else if got != *old_c {
            errors.push(format!(
                "constant {name}: C {got}, expected {old_c} in a header older than {since}"
            ));
        } else {
            n_documented += 1;
        }
        n_consts += 1;
    }
    for t in &types {
        let got = c_get(format!("T\t{}", t.key)).expect("C output for type");
        if got[0] as usize != t.size || got[1] as usize != t.align {
            errors.push(format!(
                "type {} ({}): C size {} align {}, Rust size {} align {}",
                t.key, t.rust, got[0], got[1], t.size, t.align
            ));
        }
        n_types += 1;
    }
    for f in &fields {
        let got = c_get(format!("F\t{}\t{}", f.key, f.c_field)).expect("C output for field");
        if got[0] as usize != f.offset || got[1] as usize != f.size {
            errors.push(format!(
                "field {}.{} ({}): C offset {} size {}, Rust offset {} size {}{}",
                f.key,
                f.c_field,
                f.rust,
                got[0],
                got[1],
                f.offset,
                f.size,
                if f.flex {
                    " (flexible array: element size)"
                } else {
                    ""
                }
            ));
        }
        n_fields += 1;
    }
    for e in &evals {
        let got = c_get(format!("M\t{}", e.c_expr)).expect("C output for macro")[0];
        if got != e.value {
            errors.push(format!("macro {}: C {got}, Rust {}", e.c_expr, e.value));
        }
    }
    for (packed, psize, palign, wsize, off, wrapper) in packed_pairs() {
        if palign != 1 || off != 0 || wsize != psize.next_multiple_of(4) {
            errors.push(format!(
                "{wrapper}: packed {packed} size {psize} align {palign} at offset {off}, wrapper size {wsize}"
            ));
        }
    }

    // Completeness: every header item is compared.
    let const_names: BTreeSet<&str> = consts
        .iter()
        .map(|k| k.name)
        .chain(newer.iter().map(|n| n.0))
        .chain(changed.iter().map(|c| c.0))
        .collect();
    let not_consts: BTreeSet<&str> = NOT_CONSTANTS.iter().map(|n| n.0).collect();
    for name in header.defines.iter().chain(&header.enum_members) {
        if !const_names.contains(name.as_str()) && !not_consts.contains(name.as_str()) {
            errors.push(format!("header constant {name} is not compared"));
        }
    }
    let eval_macros: BTreeSet<&str> = evals.iter().map(|e| e.mac).collect();
    for name in &header.macros {
        if !eval_macros.contains(name.as_str()) {
            errors.push(format!("header macro {name} is not evaluated"));
        }
    }
    let type_keys: BTreeSet<&str> = types.iter().map(|t| t.key).collect();
    for key in &header.types {
        if !type_keys.contains(key.as_str()) {
            errors.push(format!("header type {key} is not compared"));
        }
    }
    let field_keys: BTreeSet<(&str, &str)> = fields.iter().map(|f| (f.key, f.c_field)).collect();
    for (key, field) in &header.fields {
        if !field_keys.contains(&(key.as_str(), field.as_str())) {
            errors.push(format!("header field {key}.{field} is not compared"));
        }
    }
    // The field aliases must be covered as fields.
    for alias in ["shmac_number_of_idents", "guth_number_of_chunks"] {
        if !fields.iter().any(|f| f.c_field == alias) {
            errors.push(format!("field alias {alias} is not compared"));
        }
    }
    // ... and every public Rust item is compared (nothing Rust-only slips in unchecked).
    let (rc, rt_consts) = rust_items(include_str!("../src/consts.rs"));
    let mut rt_types = Vec::new();
    let type_files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/types"))
        .unwrap()
        .count();
    assert_eq!(
        type_files, 4,
        "a new file in src/types: add it to the list below"
    );
    for src in [
        include_str!("../src/types/mod.rs"),
        include_str!("../src/types/ancillary.rs"),
        include_str!("../src/types/notifications.rs"),
        include_str!("../src/types/options.rs"),
    ] {
        rt_types.extend(rust_items(src).1);
    }
    let rust_type_names: BTreeSet<&str> = types.iter().map(|t| t.rust).collect();
    let packed_names: BTreeSet<&str> = packed_pairs().iter().map(|p| p.0).collect();
    for name in &rc {
        if !const_names.contains(name.as_str()) && !eval_macros.contains(name.as_str()) {
            errors.push(format!("Rust constant {name} is not compared"));
        }
    }
    for name in rt_consts.iter().chain(&rt_types) {
        if !rust_type_names.contains(name.as_str()) && !packed_names.contains(name.as_str()) {
            errors.push(format!("Rust type {name} is not compared"));
        }
    }

    println!(
        "layout: compared {n_consts} constants, {n_types} types, {n_fields} fields \
         (+ {} macro evaluations, {} packed structs, {n_documented} newer-than-header values \
         checked against their documentation) with {}",
        evals.len(),
        packed_names.len(),
        header_file.display()
    );
    assert!(
        errors.is_empty(),
        "{} layout mismatches:\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
    // Sanity: the header really was parsed.
    assert!(
        header.defines.len() > 80 && header.enum_members.len() > 60 && header.fields.len() > 250,
        "{header:?}"
    );
}

#[test]
fn header_parser_reads_c() {
    let h = parse_header(
        "#ifndef G\n#define G\n#define A 1 /* c */\n#define F(x) ((x) + \\\n 1)\n\
         typedef int t_t;\nenum e { X = 1 << 2, Y,\n#define Y Y\n Z = Y };\n\
         struct s { int a; struct { char b; } n; unsigned c[]; } __attribute__((packed));\n\
         typedef union { char r; struct s s; } u_t;\n#endif\n",
    );
    assert_eq!(h.defines, ["A", "G", "Y"].map(String::from).into());
    assert_eq!(h.macros, ["F"].map(String::from).into());
    assert_eq!(h.enum_members, ["X", "Y", "Z"].map(String::from).into());
    assert_eq!(
        h.types,
        ["struct s", "struct s::n", "t_t", "u_t"]
            .map(String::from)
            .into()
    );
    let fields: Vec<(&str, &str)> = h
        .fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("struct s", "a"),
            ("struct s", "c"),
            ("struct s", "n"),
            ("struct s::n", "b"),
            ("u_t", "r"),
            ("u_t", "s")
        ]
    );
}

#[test]
#[allow(clippy::field_reassign_with_default)] // the point is writing through `DerefMut`
fn packed_fields_read_and_write_through_the_wrapper() {
    let mut p = sctp_paddrparams::default();
    p.spp_hbinterval = 0x0102_0304;
    p.spp_pathmaxrxt = 0x0506;
    p.spp_pathmtu = 0x0708_090a;
    p.spp_dscp = 0x2e;
    assert_eq!({ p.spp_hbinterval }, 0x0102_0304);
    assert_eq!({ p.spp_pathmtu }, 0x0708_090a);
    // The bytes land at the C offsets: hbinterval @132, pathmaxrxt @136, pathmtu @138, dscp @154.
    // SAFETY: the first 155 bytes of `p` are its packed fields, with no padding between
    // them, all initialised (zeroed by `default()`, then written); the 156th is padding.
    let bytes = unsafe { std::slice::from_raw_parts((&raw const p).cast::<u8>(), 155) };
    assert_eq!(&bytes[132..136], &0x0102_0304u32.to_ne_bytes());
    assert_eq!(&bytes[136..138], &0x0506u16.to_ne_bytes());
    assert_eq!(&bytes[138..142], &0x0708_090au32.to_ne_bytes());
    assert_eq!(bytes[154], 0x2e);
    assert_eq!(align_of::<sctp_paddrparams>(), 4);
    assert_eq!(size_of::<sctp_paddrparams>(), 156);
}

#[test]
fn packed_struct_literal_and_default() {
    let p = sctp_paddrinfo(sctp_paddrinfo_packed {
        spinfo_assoc_id: 7,
        spinfo_state: SCTP_ACTIVE,
        spinfo_mtu: 1500,
        ..Default::default()
    });
    assert_eq!(
        ({ p.spinfo_assoc_id }, { p.spinfo_state }, { p.spinfo_mtu }),
        (7, 2, 1500)
    );
    assert_eq!({ p.spinfo_cwnd }, 0);
    assert_eq!({ p.spinfo_address.ss_family }, 0);
    let s = sctp_status {
        sstat_primary: p,
        ..Default::default()
    };
    assert_eq!({ s.sstat_primary.spinfo_mtu }, 1500);
    assert_eq!({ <sctp_paddr_change as Pod>::zeroed().spc_state }, 0);
}
