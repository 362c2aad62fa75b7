//! Structs and unions of `linux/sctp.h`.
//!
//! Every type keeps its C name and C field names, so `grep sctp_paddrparams` finds the same
//! item in C and in Rust. All of them are `#[repr(C)]`, implement [`Pod`] and `Default` (all
//! fields zero), and their sizes, alignments and field offsets are checked against the C
//! header by `tests/layout.rs`.
//!
//! # Flexible array members
//!
//! C structs that end in a flexible array member (`__u8 sac_info[];`) end here in a
//! zero-length array (`sac_info: [u8; 0]`): it sits at the C offset and adds nothing to the
//! size. The bytes that follow belong to the buffer the kernel filled, not to the struct;
//! read them from that buffer.
//!
//! # The five packed structs
//!
//! [`sctp_paddrparams`], [`sctp_paddrinfo`], [`sctp_paddr_change`], [`sctp_prim`] and
//! [`sctp_setpeerprim`] are `__attribute__((packed, aligned(4)))` in C. Each is a
//! `#[repr(C, align(4))]` newtype around a `#[repr(C, packed)]` struct of the fields
//! (`sctp_paddrparams_packed`, ...) that it derefs to; their docs say how to use them.

use core::fmt;
use core::ops::{Deref, DerefMut};

use libc::{c_int, c_uint, sockaddr, sockaddr_storage};

/// An association identifier (C: `typedef __s32 sctp_assoc_t`).
///
/// On one-to-many sockets it names one association; [`SCTP_FUTURE_ASSOC`],
/// [`SCTP_CURRENT_ASSOC`] and [`SCTP_ALL_ASSOC`] are special values for socket options.
///
/// [`SCTP_FUTURE_ASSOC`]: crate::SCTP_FUTURE_ASSOC
/// [`SCTP_CURRENT_ASSOC`]: crate::SCTP_CURRENT_ASSOC
/// [`SCTP_ALL_ASSOC`]: crate::SCTP_ALL_ASSOC
pub type sctp_assoc_t = i32;

/// Plain old data: a `Copy` type for which every bit pattern, the all-zero one included, is a
/// valid value.
///
/// Values of such a type can be filled by the kernel (`getsockopt`, `recvmsg`) or read from
/// bytes without further checks. The types may contain padding, so do not view a value as a
/// byte slice; pass a pointer to the kernel instead.
///
/// # Safety
///
/// Implement it only for types with no invalid bit patterns: integers, arrays and `repr(C)`
/// aggregates of such types, raw pointers. Never for `bool`, `char`, references, enums or
/// anything with a destructor or an invariant.
pub unsafe trait Pod: Copy + 'static {
    /// A value with every byte zero.
    fn zeroed() -> Self {
        // SAFETY: implementors of `Pod` guarantee that the all-zero bit pattern is valid.
        unsafe { core::mem::zeroed() }
    }
}

macro_rules! impl_pod {
    ($($t:ty),* $(,)?) => {$(
        // SAFETY: the type is an integer, or a `repr(C)` aggregate of integers, arrays of
        // integers, `sockaddr_storage` and raw pointers only: every bit pattern is valid.
        unsafe impl Pod for $t {}
    )*};
}

/// `Default` as all fields zero, for types that cannot derive it.
macro_rules! impl_default_zeroed {
    ($($t:ty),* $(,)?) => {$(
        impl Default for $t {
            fn default() -> Self {
                <$t as Pod>::zeroed()
            }
        }
    )*};
}

impl_pod!(i8, u8, i16, u16, i32, u32, i64, u64, isize, usize);
impl_pod!(
    libc::sockaddr,
    libc::sockaddr_storage,
    libc::sockaddr_in,
    libc::sockaddr_in6,
    libc::in_addr,
    libc::in6_addr,
);
// SAFETY: an array of plain old data is plain old data.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}

/// Declares a `packed, aligned(4)` C struct: the packed field struct and the aligned newtype.
macro_rules! packed_aligned4 {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($packed:ident) {
            $( $(#[$fmeta:meta])* pub $field:ident: $ty:ty, )*
        }
    ) => {
        #[doc = concat!("The fields of [`", stringify!($name), "`], byte-packed ",
            "(`#[repr(C, packed)]`, size without the trailing alignment padding).")]
        ///
        /// Fields may be unaligned: copy them out, do not take references.
        #[repr(C, packed)]
        #[derive(Clone, Copy, Debug)]
        pub struct $packed {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        $(#[$meta])*
        ///
        /// C: `__attribute__((packed, aligned(4)))`: no padding between the fields, the
        /// struct 4-aligned and its size rounded up to 4. Rust cannot combine `packed` and
        /// `align` on one type, and `#[repr(C, packed(4))]` would lay some fields out
        /// differently, so this is a `#[repr(C, align(4))]` newtype around the
        #[doc = concat!("`#[repr(C, packed)]` [`", stringify!($packed), "`]. It derefs to it,")]
        /// so `s.field` reads and writes work, and a struct literal wraps the fields:
        #[doc = concat!("`", stringify!($name), "(", stringify!($packed), " { .., ..Default::default() })`.")]
        ///
        /// Fields of a packed struct may be unaligned, so Rust refuses references to them
        /// (`&s.field` is error E0793): copy the field out (`let a = s.field;`, or `{ s.field }`
        /// in a macro argument), or use `ptr::addr_of!` with `read_unaligned`.
        #[repr(C, align(4))]
        #[derive(Clone, Copy, Debug)]
        pub struct $name(pub $packed);

        impl Deref for $name {
            type Target = $packed;
            fn deref(&self) -> &$packed {
                &self.0
            }
        }

        impl DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $packed {
                &mut self.0
            }
        }

        impl From<$packed> for $name {
            fn from(fields: $packed) -> Self {
                Self(fields)
            }
        }

        impl_pod!($packed, $name);
        impl_default_zeroed!($packed, $name);
    };
}

// ---------------------------------------------------------------------------------------
// Ancillary data (cmsg) payloads
// ---------------------------------------------------------------------------------------

/// `SCTP_INIT` cmsg and `SCTP_INITMSG` option: parameters of the INIT for new associations.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_initmsg {
    /// Number of outbound streams requested.
    pub sinit_num_ostreams: u16,
    /// Maximum number of inbound streams accepted.
    pub sinit_max_instreams: u16,
    /// Maximum number of INIT retransmissions.
    pub sinit_max_attempts: u16,
    /// Maximum INIT retransmission timeout, in milliseconds.
    pub sinit_max_init_timeo: u16,
}

/// `SCTP_SNDRCV` cmsg and `SCTP_DEFAULT_SEND_PARAM` option: per-message send/receive
/// information (RFC 6458 deprecates it in favour of [`sctp_sndinfo`] and [`sctp_rcvinfo`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_sndrcvinfo {
    /// Stream number.
    pub sinfo_stream: u16,
    /// Stream sequence number (receive only).
    pub sinfo_ssn: u16,
    /// `SCTP_UNORDERED`, `SCTP_EOF`, ... and the PR-SCTP policy bits.
    pub sinfo_flags: u16,
    /// Payload protocol identifier, passed through opaquely (network byte order by convention).
    pub sinfo_ppid: u32,
    /// Opaque context (on receive: the receiver's `SCTP_CONTEXT`).
    pub sinfo_context: u32,
    /// Lifetime in milliseconds (PR-SCTP TTL).
    pub sinfo_timetolive: u32,
    /// Transmission sequence number (receive only).
    pub sinfo_tsn: u32,
    /// Cumulative TSN (receive only).
    pub sinfo_cumtsn: u32,
    /// Association identifier.
    pub sinfo_assoc_id: sctp_assoc_t,
}

/// `SCTP_SNDINFO` cmsg and `SCTP_DEFAULT_SNDINFO` option: per-message send parameters.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_sndinfo {
    /// Stream number.
    pub snd_sid: u16,
    /// `SCTP_UNORDERED`, `SCTP_EOF`, `SCTP_ABORT`, ... flags.
    pub snd_flags: u16,
    /// Payload protocol identifier.
    pub snd_ppid: u32,
    /// Opaque context returned in send-failure notifications.
    pub snd_context: u32,
    /// Association identifier (one-to-many sockets).
    pub snd_assoc_id: sctp_assoc_t,
}

/// `SCTP_RCVINFO` cmsg: information about a received message (with `SCTP_RECVRCVINFO` on).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_rcvinfo {
    /// Stream number.
    pub rcv_sid: u16,
    /// Stream sequence number.
    pub rcv_ssn: u16,
    /// `SCTP_UNORDERED` if the message was sent unordered.
    pub rcv_flags: u16,
    /// Payload protocol identifier.
    pub rcv_ppid: u32,
    /// Transmission sequence number.
    pub rcv_tsn: u32,
    /// Cumulative TSN.
    pub rcv_cumtsn: u32,
    /// The receiver's `SCTP_CONTEXT` value.
    pub rcv_context: u32,
    /// Association identifier.
    pub rcv_assoc_id: sctp_assoc_t,
}

/// `SCTP_NXTINFO` cmsg: information about the next queued message (with `SCTP_RECVNXTINFO`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_nxtinfo {
    /// Stream number.
    pub nxt_sid: u16,
    /// `SCTP_UNORDERED`, `SCTP_NOTIFICATION`, ... flags.
    pub nxt_flags: u16,
    /// Payload protocol identifier.
    pub nxt_ppid: u32,
    /// Bytes of the next message queued so far.
    pub nxt_length: u32,
    /// Association identifier.
    pub nxt_assoc_id: sctp_assoc_t,
}

/// `SCTP_PRINFO` cmsg: partial-reliability policy for one message (kernel 4.17+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_prinfo {
    /// `SCTP_PR_SCTP_NONE`, `_TTL`, `_RTX` or `_PRIO`.
    pub pr_policy: u16,
    /// The policy's value (milliseconds, retransmissions or priority).
    pub pr_value: u32,
}

/// `SCTP_AUTHINFO` cmsg: the shared key to authenticate one message with (kernel 4.17+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_authinfo {
    /// Shared key number.
    pub auth_keynumber: u16,
}

/// Legacy union of the `SCTP_INIT` and `SCTP_SNDRCV` cmsg payloads (C: `sctp_cmsg_data_t`).
#[repr(C)]
#[derive(Clone, Copy)]
pub union sctp_cmsg_data_t {
    /// The first byte.
    pub raw: u8,
    /// As an `SCTP_INIT` payload.
    pub init: sctp_initmsg,
    /// As an `SCTP_SNDRCV` payload.
    pub sndrcv: sctp_sndrcvinfo,
}

impl fmt::Debug for sctp_cmsg_data_t {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("sctp_cmsg_data_t").finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------

/// The header every notification starts with: the `sn_header` member of
/// [`sctp_notification`] (an anonymous struct in the current header, `struct sctp_tlv` in
/// older headers and in lksctp-tools).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_tlv {
    /// Notification type (`SCTP_ASSOC_CHANGE`, ...).
    pub sn_type: u16,
    /// Type-specific flags.
    pub sn_flags: u16,
    /// Length of the whole notification, in bytes.
    pub sn_length: u32,
}

/// `SCTP_ASSOC_CHANGE` notification: an association started or ended.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_assoc_change {
    /// `SCTP_ASSOC_CHANGE`.
    pub sac_type: u16,
    /// Unused (0).
    pub sac_flags: u16,
    /// Length of the notification, `sac_info` included.
    pub sac_length: u32,
    /// `SCTP_COMM_UP`, `SCTP_COMM_LOST`, `SCTP_RESTART`, `SCTP_SHUTDOWN_COMP` or
    /// `SCTP_CANT_STR_ASSOC`.
    pub sac_state: u16,
    /// Protocol error cause, if any.
    pub sac_error: u16,
    /// Number of outbound streams.
    pub sac_outbound_streams: u16,
    /// Number of inbound streams.
    pub sac_inbound_streams: u16,
    /// Association identifier.
    pub sac_assoc_id: sctp_assoc_t,
    /// Flexible array: the ABORT chunk body, or the supported features on COMM_UP/RESTART.
    pub sac_info: [u8; 0],
}

packed_aligned4! {
    /// `SCTP_PEER_ADDR_CHANGE` notification: a peer address changed state.
    pub struct sctp_paddr_change(sctp_paddr_change_packed) {
        /// `SCTP_PEER_ADDR_CHANGE`.
        pub spc_type: u16,
        /// Unused (0).
        pub spc_flags: u16,
        /// Length of the notification.
        pub spc_length: u32,
        /// The peer address concerned.
        pub spc_aaddr: sockaddr_storage,
        /// `SCTP_ADDR_AVAILABLE`, `SCTP_ADDR_UNREACHABLE`, ...
        pub spc_state: c_int,
        /// Error code (`SCTP_FAILED_THRESHOLD`, ...).
        pub spc_error: c_int,
        /// Association identifier.
        pub spc_assoc_id: sctp_assoc_t,
    }
}

/// `SCTP_REMOTE_ERROR` notification: the peer sent an Operation Error.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_remote_error {
    /// `SCTP_REMOTE_ERROR`.
    pub sre_type: u16,
    /// Unused (0).
    pub sre_flags: u16,
    /// Length of the notification, `sre_data` included.
    pub sre_length: u32,
    /// Error cause code, in network byte order (C: `__be16`).
    pub sre_error: u16,
    /// Association identifier.
    pub sre_assoc_id: sctp_assoc_t,
    /// Flexible array: the rest of the error cause.
    pub sre_data: [u8; 0],
}

/// `SCTP_SEND_FAILED` notification (deprecated form): a message could not be delivered.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_send_failed {
    /// `SCTP_SEND_FAILED`.
    pub ssf_type: u16,
    /// `SCTP_DATA_UNSENT` or `SCTP_DATA_SENT`.
    pub ssf_flags: u16,
    /// Length of the notification, `ssf_data` included.
    pub ssf_length: u32,
    /// Error code.
    pub ssf_error: u32,
    /// The send parameters of the message (flags hold the DATA chunk flags).
    pub ssf_info: sctp_sndrcvinfo,
    /// Association identifier.
    pub ssf_assoc_id: sctp_assoc_t,
    /// Flexible array: the undelivered payload.
    pub ssf_data: [u8; 0],
}

/// `SCTP_SEND_FAILED_EVENT` notification (RFC 6458 form, kernel 5.5+).
///
/// The Linux field names are `ssf_*` except `ssfe_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_send_failed_event {
    /// `SCTP_SEND_FAILED_EVENT`.
    pub ssf_type: u16,
    /// `SCTP_DATA_UNSENT` or `SCTP_DATA_SENT`.
    pub ssf_flags: u16,
    /// Length of the notification, `ssf_data` included.
    pub ssf_length: u32,
    /// Error code.
    pub ssf_error: u32,
    /// The send parameters of the message (flags hold the DATA chunk flags).
    pub ssfe_info: sctp_sndinfo,
    /// Association identifier.
    pub ssf_assoc_id: sctp_assoc_t,
    /// Flexible array: the undelivered payload.
    pub ssf_data: [u8; 0],
}

/// `SCTP_SHUTDOWN_EVENT` notification: the peer sent SHUTDOWN.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_shutdown_event {
    /// `SCTP_SHUTDOWN_EVENT`.
    pub sse_type: u16,
    /// Unused (0).
    pub sse_flags: u16,
    /// Length of the notification.
    pub sse_length: u32,
    /// Association identifier.
    pub sse_assoc_id: sctp_assoc_t,
}

/// `SCTP_ADAPTATION_INDICATION` notification: the peer's Adaptation Layer Indication.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_adaptation_event {
    /// `SCTP_ADAPTATION_INDICATION`.
    pub sai_type: u16,
    /// Unused (0).
    pub sai_flags: u16,
    /// Length of the notification.
    pub sai_length: u32,
    /// The peer's adaptation indication.
    pub sai_adaptation_ind: u32,
    /// Association identifier.
    pub sai_assoc_id: sctp_assoc_t,
}

/// `SCTP_PARTIAL_DELIVERY_EVENT` notification: a partial delivery was aborted.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_pdapi_event {
    /// `SCTP_PARTIAL_DELIVERY_EVENT`.
    pub pdapi_type: u16,
    /// Unused (0).
    pub pdapi_flags: u16,
    /// Length of the notification.
    pub pdapi_length: u32,
    /// `SCTP_PARTIAL_DELIVERY_ABORTED`.
    pub pdapi_indication: u32,
    /// Association identifier.
    pub pdapi_assoc_id: sctp_assoc_t,
    /// Stream of the aborted message (kernel 4.16+).
    pub pdapi_stream: u32,
    /// Sequence number of the aborted message (kernel 4.16+).
    pub pdapi_seq: u32,
}

/// `SCTP_AUTHENTICATION_EVENT` notification: a key became active or free, or the peer does
/// not support AUTH.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_authkey_event {
    /// `SCTP_AUTHENTICATION_EVENT`.
    pub auth_type: u16,
    /// Unused (0).
    pub auth_flags: u16,
    /// Length of the notification.
    pub auth_length: u32,
    /// Key number concerned.
    pub auth_keynumber: u16,
    /// Alternate key number (always 0 on Linux).
    pub auth_altkeynumber: u16,
    /// `SCTP_AUTH_NEW_KEY`, `SCTP_AUTH_FREE_KEY` or `SCTP_AUTH_NO_AUTH`.
    pub auth_indication: u32,
    /// Association identifier.
    pub auth_assoc_id: sctp_assoc_t,
}

/// `SCTP_SENDER_DRY_EVENT` notification: nothing left to send or retransmit.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_sender_dry_event {
    /// `SCTP_SENDER_DRY_EVENT`.
    pub sender_dry_type: u16,
    /// Unused (0).
    pub sender_dry_flags: u16,
    /// Length of the notification.
    pub sender_dry_length: u32,
    /// Association identifier.
    pub sender_dry_assoc_id: sctp_assoc_t,
}

/// `SCTP_STREAM_RESET_EVENT` notification: streams were reset (RFC 6525, kernel 4.11+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_stream_reset_event {
    /// `SCTP_STREAM_RESET_EVENT`.
    pub strreset_type: u16,
    /// `SCTP_STREAM_RESET_INCOMING_SSN`, `_OUTGOING_SSN`, `_DENIED`, `_FAILED`.
    pub strreset_flags: u16,
    /// Length of the notification, the stream list included.
    pub strreset_length: u32,
    /// Association identifier.
    pub strreset_assoc_id: sctp_assoc_t,
    /// Flexible array: the streams reset (host byte order).
    pub strreset_stream_list: [u16; 0],
}

/// `SCTP_ASSOC_RESET_EVENT` notification: the association's TSNs were reset (kernel 4.12+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_assoc_reset_event {
    /// `SCTP_ASSOC_RESET_EVENT`.
    pub assocreset_type: u16,
    /// `SCTP_ASSOC_RESET_DENIED` or `SCTP_ASSOC_RESET_FAILED`.
    pub assocreset_flags: u16,
    /// Length of the notification.
    pub assocreset_length: u32,
    /// Association identifier.
    pub assocreset_assoc_id: sctp_assoc_t,
    /// New local TSN.
    pub assocreset_local_tsn: u32,
    /// New remote TSN.
    pub assocreset_remote_tsn: u32,
}

/// `SCTP_STREAM_CHANGE_EVENT` notification: streams were added (kernel 4.12+).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_stream_change_event {
    /// `SCTP_STREAM_CHANGE_EVENT`.
    pub strchange_type: u16,
    /// `SCTP_STREAM_CHANGE_DENIED` or `SCTP_STREAM_CHANGE_FAILED`.
    pub strchange_flags: u16,
    /// Length of the notification.
    pub strchange_length: u32,
    /// Association identifier.
    pub strchange_assoc_id: sctp_assoc_t,
    /// Number of inbound streams now.
    pub strchange_instrms: u16,
    /// Number of outbound streams now.
    pub strchange_outstrms: u16,
}

/// `SCTP_EVENTS` option (deprecated): one byte per notification type, nonzero = subscribed.
///
/// Byte *i* enables type `SCTP_SN_TYPE_BASE + i`. The kernel accepts a shorter `optlen`
/// (older layouts) but not a longer one.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct sctp_event_subscribe {
    /// `SCTP_SNDRCV` cmsg on received data.
    pub sctp_data_io_event: u8,
    /// `SCTP_ASSOC_CHANGE`.
    pub sctp_association_event: u8,
    /// `SCTP_PEER_ADDR_CHANGE`.
    pub sctp_address_event: u8,
    /// `SCTP_SEND_FAILED`.
    pub sctp_send_failure_event: u8,
    /// `SCTP_REMOTE_ERROR`.
    pub sctp_peer_error_event: u8,
    /// `SCTP_SHUTDOWN_EVENT`.
    pub sctp_shutdown_event: u8,
    /// `SCTP_PARTIAL_DELIVERY_EVENT`.
    pub sctp_partial_delivery_event: u8,
    /// `SCTP_ADAPTATION_INDICATION`.
    pub sctp_adaptation_layer_event: u8,
    /// `SCTP_AUTHENTICATION_EVENT`.
    pub sctp_authentication_event: u8,
    /// `SCTP_SENDER_DRY_EVENT` (kernel 3.0+).
    pub sctp_sender_dry_event: u8,
    /// `SCTP_STREAM_RESET_EVENT` (kernel 4.11+).
    pub sctp_stream_reset_event: u8,
    /// `SCTP_ASSOC_RESET_EVENT` (kernel 4.12+).
    pub sctp_assoc_reset_event: u8,
    /// `SCTP_STREAM_CHANGE_EVENT` (kernel 4.12+).
    pub sctp_stream_change_event: u8,
    /// `SCTP_SEND_FAILED_EVENT` (kernel 5.5+).
    pub sctp_send_failure_event_event: u8,
}

/// Any notification, as read from a socket with `MSG_NOTIFICATION` set: look at
/// `sn_header.sn_type`, then at the matching member.
///
/// The kernel may deliver fewer bytes than `size_of::<sctp_notification>()`; parse from the
/// received bytes rather than reading members of a partly filled union.
#[repr(C)]
#[derive(Clone, Copy)]
pub union sctp_notification {
    /// The common header.
    pub sn_header: sctp_tlv,
    /// `SCTP_ASSOC_CHANGE`.
    pub sn_assoc_change: sctp_assoc_change,
    /// `SCTP_PEER_ADDR_CHANGE`.
    pub sn_paddr_change: sctp_paddr_change,
    /// `SCTP_REMOTE_ERROR`.
    pub sn_remote_error: sctp_remote_error,
    /// `SCTP_SEND_FAILED`.
    pub sn_send_failed: sctp_send_failed,
    /// `SCTP_SHUTDOWN_EVENT`.
    pub sn_shutdown_event: sctp_shutdown_event,
    /// `SCTP_ADAPTATION_INDICATION`.
    pub sn_adaptation_event: sctp_adaptation_event,
    /// `SCTP_PARTIAL_DELIVERY_EVENT`.
    pub sn_pdapi_event: sctp_pdapi_event,
    /// `SCTP_AUTHENTICATION_EVENT`.
    pub sn_authkey_event: sctp_authkey_event,
    /// `SCTP_SENDER_DRY_EVENT`.
    pub sn_sender_dry_event: sctp_sender_dry_event,
    /// `SCTP_STREAM_RESET_EVENT`.
    pub sn_strreset_event: sctp_stream_reset_event,
    /// `SCTP_ASSOC_RESET_EVENT`.
    pub sn_assocreset_event: sctp_assoc_reset_event,
    /// `SCTP_STREAM_CHANGE_EVENT`.
    pub sn_strchange_event: sctp_stream_change_event,
    /// `SCTP_SEND_FAILED_EVENT`.
    pub sn_send_failed_event: sctp_send_failed_event,
}

impl fmt::Debug for sctp_notification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: every member starts with the same plain-integer header, and any bit pattern
        // is a valid `sctp_tlv`.
        let header = unsafe { self.sn_header };
        f.debug_struct("sctp_notification")
            .field("sn_header", &header)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------
// Socket options
// ---------------------------------------------------------------------------------------

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
    sctp_initmsg,
    sctp_sndrcvinfo,
    sctp_sndinfo,
    sctp_rcvinfo,
    sctp_nxtinfo,
    sctp_prinfo,
    sctp_authinfo,
    sctp_cmsg_data_t,
    sctp_tlv,
    sctp_assoc_change,
    sctp_remote_error,
    sctp_send_failed,
    sctp_send_failed_event,
    sctp_shutdown_event,
    sctp_adaptation_event,
    sctp_pdapi_event,
    sctp_authkey_event,
    sctp_sender_dry_event,
    sctp_stream_reset_event,
    sctp_assoc_reset_event,
    sctp_stream_change_event,
    sctp_event_subscribe,
    sctp_notification,
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
    sctp_cmsg_data_t,
    sctp_notification,
    sctp_getaddrs_old,
    sctp_assoc_stats,
    sctp_paddrthlds,
    sctp_paddrthlds_v2,
    sctp_info,
    sctp_udpencaps,
    sctp_probeinterval,
);
