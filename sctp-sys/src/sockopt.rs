//! Socket options bound to their payload types: one declarative row per option (C name,
//! level, payload type, how it may be used), one marker type per row, and safe typed calls.
//!
//! ```no_run
//! use linux_sctp_sys::{sctp_rtoinfo, sockopt};
//! # fn f(fd: std::os::fd::BorrowedFd<'_>) -> std::io::Result<()> {
//! sockopt::set(fd, sockopt::SCTP_NODELAY, &1)?;
//! let mut rto = sctp_rtoinfo { srto_assoc_id: 0, ..Default::default() };
//! sockopt::get_inout(fd, sockopt::SCTP_RTOINFO, &mut rto)?;
//! # Ok(()) }
//! ```
//!
//! # Why the calls are safe
//!
//! `getsockopt(2)`/`setsockopt(2)` take a pointer and a length, and what the kernel does with
//! them depends on the option: most options read or write just those bytes, but some hold a
//! user-space pointer the kernel writes through (`TCP_ZEROCOPY_RECEIVE`), maps memory at
//! (`XDP_UMEM_REG`) or create a descriptor (`SCTP_SOCKOPT_PEELOFF`). A generic safe call for
//! any option and any `T: Pod` would rest on a claim about every option of every level.
//!
//! Here the claim is made once per option, in the table at the bottom of this file: each row
//! names the option, its level, its payload type and the uses the kernel's handler allows
//! (checked against `net/sctp/socket.c` of Linux 6.1, `sctp_setsockopt`/`sctp_getsockopt`).
//! Every row's handler reads or writes only the payload buffer. The marker types implement the
//! `unsafe` traits [`Get`], [`GetInOut`], [`Set`], [`GetBytes`] and [`SetBytes`] accordingly,
//! and the functions of this module accept only markers with the matching trait:
//!
//! * [`get`]: `getsockopt` into a zeroed payload; the kernel must fill all of it;
//! * [`get_inout`]: `getsockopt` whose payload is also the request (the association id,
//!   address, stream or event type most SCTP options read first);
//! * [`set`]: `setsockopt` of the payload;
//! * [`get_bytes`] / [`set_bytes`]: the variable-length options (`sctp_authkey`,
//!   `sctp_hmacalgo`, `sctp_reset_streams`, ...) as bytes.
//!
//! The calls that create descriptors or pass pointers (`sctp_peeloff`, `sctp_connectx`) are
//! functions of [`ops`] of their own; any other option goes through the `unsafe`
//! [`ops::getsockopt`] family, whose contract says what the caller
//! must know. [`TABLE`] lists every row, for tests and tools.
//!
//! # Adding an option
//!
//! One row in the `sockopts!` table: `/// doc`, then
//! `NAME: level, payload type, uses;`, for example
//! `SCTP_NODELAY: SOL_SCTP, c_int, get set;` (the option number is the crate constant of the
//! same name; `NAME = path: ...` names another one, as the socket-level rows do).

use std::io;
use std::os::fd::BorrowedFd;

use libc::{c_int, timeval};

use crate::ops;
use crate::{
    sctp_add_streams, sctp_assoc_stats, sctp_assoc_t, sctp_assoc_value, sctp_assocparams,
    sctp_authchunk, sctp_authkeyid, sctp_default_prinfo, sctp_event, sctp_event_subscribe,
    sctp_initmsg, sctp_paddrinfo, sctp_paddrparams, sctp_paddrthlds, sctp_paddrthlds_v2, sctp_prim,
    sctp_probeinterval, sctp_prstatus, sctp_rtoinfo, sctp_sack_info, sctp_setadaptation,
    sctp_setpeerprim, sctp_sndinfo, sctp_sndrcvinfo, sctp_status, sctp_stream_value,
    sctp_udpencaps, Pod, SOL_SCTP,
};

/// A socket option: its level, number, C name and payload type.
pub trait SockOpt: Copy {
    /// `level` of `getsockopt`/`setsockopt` (`SOL_SCTP`, `SOL_SOCKET`).
    const LEVEL: c_int;
    /// `optname`.
    const NAME: c_int;
    /// The C name (`"SCTP_RTOINFO"`), for messages.
    const C_NAME: &'static str;
    /// The payload: a `Pod` C type, or `[u8]` for the variable-length options.
    type Value: ?Sized;
}

/// An option [`get`] may read: `getsockopt` into a zeroed `Value`.
///
/// # Safety
///
/// For this option the kernel writes at most `size_of::<Value>()` bytes into the buffer and
/// touches no other user memory; `Value` is `Pod`.
pub unsafe trait Get: SockOpt {}

/// An option [`get_inout`] may read: the payload goes in as the request and comes back filled.
///
/// # Safety
///
/// As [`Get`]; the kernel also reads only the buffer.
pub unsafe trait GetInOut: SockOpt {}

/// An option [`set`] may write.
///
/// # Safety
///
/// For this option the kernel reads at most `size_of::<Value>()` bytes from the buffer, writes
/// no user memory, and a `Value` of any bit pattern is accepted or refused with an errno;
/// `Value` is `Pod`.
pub unsafe trait Set: SockOpt {}

/// A variable-length option [`get_bytes`] may read into a byte buffer (also the request).
///
/// # Safety
///
/// For this option the kernel reads and writes only the buffer, within its length.
pub unsafe trait GetBytes: SockOpt {}

/// A variable-length option [`set_bytes`] may write from a byte buffer.
///
/// # Safety
///
/// For this option the kernel reads only the buffer, within its length, and writes no user
/// memory.
pub unsafe trait SetBytes: SockOpt {}

/// Reads option `O`: `getsockopt(fd, O::LEVEL, O::NAME, &value, sizeof(value))` into a zeroed
/// value (association id 0, `SCTP_FUTURE_ASSOC`, where the payload has one).
///
/// # Errors
///
/// The `getsockopt(2)` error (`ENOPROTOOPT` for an option this kernel does not know,
/// `EINVAL`, `EOPNOTSUPP`, ...), or `InvalidData` when the kernel filled less than the whole
/// payload (the running kernel's struct is not the one `O::Value` describes).
pub fn get<O>(fd: BorrowedFd<'_>, _: O) -> io::Result<O::Value>
where
    O: Get,
    O::Value: Pod,
{
    // SAFETY: `O: Get` promises that the kernel writes only within an `O::Value` for this
    // option at this level, and that `O::Value` is the payload type.
    unsafe { ops::getsockopt(fd, O::LEVEL, O::NAME) }
}

/// Reads option `O` with `value` as the request: `getsockopt(fd, O::LEVEL, O::NAME, value,
/// &len)` with `len = sizeof(*value)`; returns the length the kernel reported.
///
/// A length below `size_of::<O::Value>()` means the kernel filled only a prefix; the bytes
/// after it keep their input values.
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub fn get_inout<O>(fd: BorrowedFd<'_>, _: O, value: &mut O::Value) -> io::Result<usize>
where
    O: GetInOut,
    O::Value: Pod,
{
    // SAFETY: `O: GetInOut` promises that the kernel reads and writes only within an
    // `O::Value` for this option at this level.
    unsafe { ops::getsockopt_inout(fd, O::LEVEL, O::NAME, value) }.map(|n| n as usize)
}

/// Sets option `O`: `setsockopt(fd, O::LEVEL, O::NAME, value, sizeof(*value))`.
///
/// # Errors
///
/// The `setsockopt(2)` error: `ENOPROTOOPT` for an unknown option, `EINVAL` for a bad value,
/// `EACCES`/`EPERM` for features a sysctl has switched off (AUTH, ASCONF, interleaving), ...
pub fn set<O>(fd: BorrowedFd<'_>, _: O, value: &O::Value) -> io::Result<()>
where
    O: Set,
    O::Value: Pod,
{
    // SAFETY: `O: Set` promises that the kernel only reads an `O::Value` for this option at
    // this level.
    unsafe { ops::setsockopt(fd, O::LEVEL, O::NAME, value) }
}

/// Reads the variable-length option `O` into `buf` (which is also the request: an
/// association id in front, for the options that take one); returns the bytes the kernel
/// reported.
///
/// # Errors
///
/// The `getsockopt(2)` error (`EINVAL` when `buf` is too small for some options).
pub fn get_bytes<O: GetBytes>(fd: BorrowedFd<'_>, _: O, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `O: GetBytes` promises that the kernel reads and writes only within `buf`.
    unsafe { ops::getsockopt_bytes(fd, O::LEVEL, O::NAME, buf) }
}

/// Sets the variable-length option `O` from `buf` (`sctp_authkey`, `sctp_hmacalgo`,
/// `sctp_reset_streams`, a packed address list, ...).
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub fn set_bytes<O: SetBytes>(fd: BorrowedFd<'_>, _: O, buf: &[u8]) -> io::Result<()> {
    // SAFETY: `O: SetBytes` promises that the kernel only reads `buf`.
    unsafe { ops::setsockopt_bytes(fd, O::LEVEL, O::NAME, buf) }
}

/// One row of [`TABLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The C name.
    pub c_name: &'static str,
    /// `level`.
    pub level: c_int,
    /// `optname`.
    pub name: c_int,
    /// The payload type, as written in the table.
    pub payload: &'static str,
    /// The uses the row allows (`get`, `inout`, `set`, `get_bytes`, `set_bytes`).
    pub uses: &'static [&'static str],
}

/// The option number of a row: the crate constant of the row's name, or the path given.
macro_rules! sockopt_number {
    ($name:ident) => {
        crate::$name
    };
    ($name:ident $num:path) => {
        $num
    };
}

/// The trait behind one use of a row.
macro_rules! sockopt_use {
    ($name:ident get) => {
        // SAFETY: audited row of the `sockopts!` table (see the module docs): the handler
        // writes at most a payload's bytes into the buffer.
        unsafe impl Get for $name {}
    };
    ($name:ident inout) => {
        // SAFETY: audited row (module docs): the handler reads and writes only the payload.
        unsafe impl GetInOut for $name {}
    };
    ($name:ident set) => {
        // SAFETY: audited row (module docs): the handler only reads the payload.
        unsafe impl Set for $name {}
    };
    ($name:ident get_bytes) => {
        // SAFETY: audited row (module docs): the handler reads and writes only the buffer.
        unsafe impl GetBytes for $name {}
    };
    ($name:ident set_bytes) => {
        // SAFETY: audited row (module docs): the handler only reads the buffer.
        unsafe impl SetBytes for $name {}
    };
}

/// The table: `/// doc` then `NAME [= number path]: level, payload, uses;` per option.
macro_rules! sockopts {
    ($(
        $(#[$doc:meta])*
        $name:ident $(= $num:path)?: $level:ident, $ty:ty, $($use:ident)+;
    )*) => {
        $(
            $(#[$doc])*
            ///
            #[doc = concat!(
                "Level `", stringify!($level), "`, payload `", stringify!($ty), "`; uses: ",
                $("`", stringify!($use), "` ",)+ "."
            )]
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct $name;

            impl SockOpt for $name {
                const LEVEL: c_int = $level;
                const NAME: c_int = sockopt_number!($name $($num)?);
                const C_NAME: &'static str = stringify!($name);
                type Value = $ty;
            }

            $(sockopt_use!($name $use);)+
        )*

        /// Every row of the table, in table order.
        pub const TABLE: &[Row] = &[$(
            Row {
                c_name: stringify!($name),
                level: $level,
                name: sockopt_number!($name $($num)?),
                payload: stringify!($ty),
                uses: &[$(stringify!($use)),+],
            },
        )*];
    };
}

use libc::SOL_SOCKET;

sockopts! {
    /// RTO bounds of an association or the endpoint, in milliseconds.
    SCTP_RTOINFO: SOL_SCTP, sctp_rtoinfo, get inout set;
    /// Association parameters (maximum retransmissions, cookie life, windows).
    SCTP_ASSOCINFO: SOL_SCTP, sctp_assocparams, get inout set;
    /// INIT parameters of future associations.
    SCTP_INITMSG: SOL_SCTP, sctp_initmsg, get set;
    /// `int`: 1 turns the Nagle-like bundling delay off.
    SCTP_NODELAY: SOL_SCTP, c_int, get set;
    /// `int`: idle seconds before a one-to-many socket closes an association.
    SCTP_AUTOCLOSE: SOL_SCTP, c_int, get set;
    /// Ask the peer to make one of our addresses its primary (ASCONF), set only.
    SCTP_SET_PEER_PRIMARY_ADDR: SOL_SCTP, sctp_setpeerprim, set;
    /// The primary path to the peer.
    SCTP_PRIMARY_ADDR: SOL_SCTP, sctp_prim, get inout set;
    /// The Adaptation Layer Indication sent in INIT.
    SCTP_ADAPTATION_LAYER: SOL_SCTP, sctp_setadaptation, get set;
    /// `int`: 1 refuses messages over the fragmentation point.
    SCTP_DISABLE_FRAGMENTS: SOL_SCTP, c_int, get set;
    /// Heartbeat, path MTU and SACK delay of a path, an association or the endpoint.
    SCTP_PEER_ADDR_PARAMS: SOL_SCTP, sctp_paddrparams, get inout set;
    /// Default send parameters, the deprecated form.
    SCTP_DEFAULT_SEND_PARAM: SOL_SCTP, sctp_sndrcvinfo, get inout set;
    /// All notification subscriptions at once, deprecated (a newer kernel's struct is longer:
    /// use `get_inout`, which accepts a prefix).
    SCTP_EVENTS: SOL_SCTP, sctp_event_subscribe, get inout set;
    /// `int`: 1 reports IPv4 peers of an `AF_INET6` socket as v4-mapped addresses.
    SCTP_I_WANT_MAPPED_V4_ADDR: SOL_SCTP, c_int, get set;
    /// The user fragmentation point (`assoc_value`).
    SCTP_MAXSEG: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Association status, get only.
    SCTP_STATUS: SOL_SCTP, sctp_status, get inout;
    /// State of one path, get only.
    SCTP_GET_PEER_ADDR_INFO: SOL_SCTP, sctp_paddrinfo, inout;
    /// Delayed-SACK timer and frequency (also `SCTP_DELAYED_ACK_TIME`, `SCTP_DELAYED_ACK`).
    #[doc(alias = "SCTP_DELAYED_ACK_TIME")]
    #[doc(alias = "SCTP_DELAYED_ACK")]
    SCTP_DELAYED_SACK: SOL_SCTP, sctp_sack_info, get inout set;
    /// The context reported with received messages (`assoc_value`).
    SCTP_CONTEXT: SOL_SCTP, sctp_assoc_value, get inout set;
    /// `int`: 1 lets partial deliveries of different associations interleave.
    SCTP_FRAGMENT_INTERLEAVE: SOL_SCTP, c_int, get set;
    /// `u32`: the message size at which partial delivery starts.
    SCTP_PARTIAL_DELIVERY_POINT: SOL_SCTP, u32, get set;
    /// Maximum burst (`assoc_value`).
    SCTP_MAX_BURST: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Add a chunk type that must be authenticated, set only.
    SCTP_AUTH_CHUNK: SOL_SCTP, sctp_authchunk, set;
    /// The accepted HMAC algorithms: `struct sctp_hmacalgo` with its identifier list.
    SCTP_HMAC_IDENT: SOL_SCTP, [u8], get_bytes set_bytes;
    /// Install a shared key: `struct sctp_authkey` with the key bytes, set only.
    SCTP_AUTH_KEY: SOL_SCTP, [u8], set_bytes;
    /// The active shared key.
    SCTP_AUTH_ACTIVE_KEY: SOL_SCTP, sctp_authkeyid, inout set;
    /// Delete a shared key, set only.
    SCTP_AUTH_DELETE_KEY: SOL_SCTP, sctp_authkeyid, set;
    /// Chunk types the peer requires authenticated: `struct sctp_authchunks` and its list,
    /// the association id in front.
    SCTP_PEER_AUTH_CHUNKS: SOL_SCTP, [u8], get_bytes;
    /// Chunk types we require authenticated: `struct sctp_authchunks` and its list.
    SCTP_LOCAL_AUTH_CHUNKS: SOL_SCTP, [u8], get_bytes;
    /// `u32`: the number of associations of a one-to-many socket.
    SCTP_GET_ASSOC_NUMBER: SOL_SCTP, u32, get;
    /// The association ids of a one-to-many socket: `struct sctp_assoc_ids` and its list
    /// (`EINVAL` when the buffer is too small for all of them).
    SCTP_GET_ASSOC_ID_LIST: SOL_SCTP, [u8], get_bytes;
    /// `int`: 1 announces local address changes with ASCONF (wildcard-bound endpoints).
    SCTP_AUTO_ASCONF: SOL_SCTP, c_int, get set;
    /// Path failure thresholds.
    SCTP_PEER_ADDR_THLDS: SOL_SCTP, sctp_paddrthlds, get inout set;
    /// `int`: 1 attaches `SCTP_RCVINFO` to received messages.
    SCTP_RECVRCVINFO: SOL_SCTP, c_int, get set;
    /// `int`: 1 attaches `SCTP_NXTINFO` to received messages.
    SCTP_RECVNXTINFO: SOL_SCTP, c_int, get set;
    /// Default send parameters.
    SCTP_DEFAULT_SNDINFO: SOL_SCTP, sctp_sndinfo, get inout set;
    /// Retire a shared key, set only (Linux 4.17+).
    SCTP_AUTH_DEACTIVATE_KEY: SOL_SCTP, sctp_authkeyid, set;
    /// `int`: 1 lets another one-to-one socket bind the port (before `bind`).
    SCTP_REUSE_PORT: SOL_SCTP, c_int, get set;
    /// Path failure thresholds with the primary switchover threshold (Linux 5.5+).
    SCTP_PEER_ADDR_THLDS_V2: SOL_SCTP, sctp_paddrthlds_v2, get inout set;
    /// `sctp_bindx(SCTP_BINDX_ADD_ADDR)`: a packed address list, set only.
    SCTP_SOCKOPT_BINDX_ADD: SOL_SCTP, [u8], set_bytes;
    /// `sctp_bindx(SCTP_BINDX_REM_ADDR)`: a packed address list, set only.
    SCTP_SOCKOPT_BINDX_REM: SOL_SCTP, [u8], set_bytes;
    /// `sctp_connectx` of kernels before 2.6.26: a packed address list, set only.
    SCTP_SOCKOPT_CONNECTX_OLD: SOL_SCTP, [u8], set_bytes;
    /// `sctp_getpaddrs`: `struct sctp_getaddrs` (association id in) and the packed list.
    SCTP_GET_PEER_ADDRS: SOL_SCTP, [u8], get_bytes;
    /// `sctp_getladdrs`: `struct sctp_getaddrs` and the packed list (`optlen` counts the
    /// list only).
    SCTP_GET_LOCAL_ADDRS: SOL_SCTP, [u8], get_bytes;
    /// Association counters, get only (Linux 3.8+).
    SCTP_GET_ASSOC_STATS: SOL_SCTP, sctp_assoc_stats, inout;
    /// PR-SCTP support (`assoc_value`, Linux 4.8+).
    SCTP_PR_SUPPORTED: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Default PR-SCTP policy (Linux 4.8+).
    SCTP_DEFAULT_PRINFO: SOL_SCTP, sctp_default_prinfo, get inout set;
    /// Abandoned-message counters of an association, get only (Linux 4.8+).
    SCTP_PR_ASSOC_STATUS: SOL_SCTP, sctp_prstatus, inout;
    /// Abandoned-message counters of a stream, get only (Linux 4.12+).
    SCTP_PR_STREAM_STATUS: SOL_SCTP, sctp_prstatus, inout;
    /// Stream reconfiguration support (`assoc_value`, Linux 4.12+).
    SCTP_RECONFIG_SUPPORTED: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Allowed reconfiguration requests, `SCTP_ENABLE_*` bits (`assoc_value`, Linux 4.11+).
    SCTP_ENABLE_STREAM_RESET: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Reset streams: `struct sctp_reset_streams` with its stream list, set only.
    SCTP_RESET_STREAMS: SOL_SCTP, [u8], set_bytes;
    /// Reset the association's TSNs: the association id, set only.
    SCTP_RESET_ASSOC: SOL_SCTP, sctp_assoc_t, set;
    /// Add streams, set only.
    SCTP_ADD_STREAMS: SOL_SCTP, sctp_add_streams, set;
    /// Stream scheduler, `SCTP_SS_*` (`assoc_value`, Linux 4.15+).
    SCTP_STREAM_SCHEDULER: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Per-stream scheduler value (Linux 4.15+).
    SCTP_STREAM_SCHEDULER_VALUE: SOL_SCTP, sctp_stream_value, inout set;
    /// I-DATA interleaving support (`assoc_value`, Linux 4.16+).
    SCTP_INTERLEAVING_SUPPORTED: SOL_SCTP, sctp_assoc_value, get inout set;
    /// One notification subscription (Linux 5.0+).
    SCTP_EVENT: SOL_SCTP, sctp_event, inout set;
    /// ASCONF support (`assoc_value`, Linux 5.4+).
    SCTP_ASCONF_SUPPORTED: SOL_SCTP, sctp_assoc_value, get inout set;
    /// AUTH support (`assoc_value`, Linux 5.4+).
    SCTP_AUTH_SUPPORTED: SOL_SCTP, sctp_assoc_value, get inout set;
    /// ECN support (`assoc_value`, Linux 5.4+).
    SCTP_ECN_SUPPORTED: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Expose the potentially-failed path state (`assoc_value`, Linux 5.5+).
    #[doc(alias = "SCTP_EXPOSE_PF_STATE")]
    SCTP_EXPOSE_POTENTIALLY_FAILED_STATE: SOL_SCTP, sctp_assoc_value, get inout set;
    /// Remote UDP encapsulation port (Linux 5.11+).
    SCTP_REMOTE_UDP_ENCAPS_PORT: SOL_SCTP, sctp_udpencaps, inout set;
    /// PLPMTUD probe interval (Linux 5.14+).
    SCTP_PLPMTUD_PROBE_INTERVAL: SOL_SCTP, sctp_probeinterval, inout set;

    /// `int`: the socket type (`SOCK_STREAM`, `SOCK_SEQPACKET`), get only.
    SO_TYPE = libc::SO_TYPE: SOL_SOCKET, c_int, get;
    /// `int`: the pending socket error, cleared by the read, get only.
    SO_ERROR = libc::SO_ERROR: SOL_SOCKET, c_int, get;
    /// `int`: the send buffer size (the kernel doubles what is set).
    SO_SNDBUF = libc::SO_SNDBUF: SOL_SOCKET, c_int, get set;
    /// `int`: the receive buffer size (the kernel doubles what is set).
    SO_RCVBUF = libc::SO_RCVBUF: SOL_SOCKET, c_int, get set;
    /// `int`: the receive buffer size past `net.core.rmem_max` (`CAP_NET_ADMIN`), set only.
    SO_RCVBUFFORCE = libc::SO_RCVBUFFORCE: SOL_SOCKET, c_int, set;
    /// The timeout of blocking receives.
    SO_RCVTIMEO = libc::SO_RCVTIMEO: SOL_SOCKET, timeval, get set;
    /// The timeout of blocking sends.
    SO_SNDTIMEO = libc::SO_SNDTIMEO: SOL_SOCKET, timeval, get set;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn table_rows_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for row in TABLE {
            assert!(seen.insert((row.level, row.name)), "{row:?} twice");
            assert!(!row.uses.is_empty(), "{row:?}");
            let bytes = row.payload == "[u8]";
            for u in row.uses {
                assert_eq!(
                    u.ends_with("_bytes"),
                    bytes,
                    "{row:?}: {u} with {}",
                    row.payload
                );
            }
        }
        assert_eq!(SCTP_RTOINFO::C_NAME, "SCTP_RTOINFO");
        assert_eq!(SCTP_DELAYED_SACK::NAME, crate::SCTP_DELAYED_ACK_TIME);
        assert_eq!(SO_RCVTIMEO::LEVEL, libc::SOL_SOCKET);
    }

    #[test]
    fn typed_calls_reach_the_kernel() {
        // Not a socket: every typed call fails in the kernel with ENOTSOCK.
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsFd::as_fd(&file);
        let errno = |r: io::Result<()>| r.unwrap_err().raw_os_error();
        assert_eq!(errno(get(fd, SCTP_NODELAY).map(drop)), Some(libc::ENOTSOCK));
        assert_eq!(errno(set(fd, SCTP_NODELAY, &1)), Some(libc::ENOTSOCK));
        let mut st = sctp_status::default();
        assert_eq!(
            errno(get_inout(fd, SCTP_STATUS, &mut st).map(drop)),
            Some(libc::ENOTSOCK)
        );
        let mut b = [0u8; 8];
        assert_eq!(
            errno(get_bytes(fd, SCTP_GET_ASSOC_ID_LIST, &mut b).map(drop)),
            Some(libc::ENOTSOCK)
        );
        assert_eq!(
            errno(set_bytes(fd, SCTP_AUTH_KEY, &b)),
            Some(libc::ENOTSOCK)
        );
        assert_eq!(errno(get(fd, SO_TYPE).map(drop)), Some(libc::ENOTSOCK));
    }
}
