//! Notification structs of `linux/sctp.h`: the `sctp_tlv` header, one struct per
//! notification type (`SCTP_ASSOC_CHANGE` ... `SCTP_SEND_FAILED_EVENT`), the
//! `sctp_notification` union, and the `SCTP_EVENTS` subscription struct.

use core::fmt;

use libc::{c_int, sockaddr_storage};

use super::{sctp_assoc_t, sctp_sndinfo, sctp_sndrcvinfo, Pod};

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

impl_pod!(
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
);

impl_default_zeroed!(sctp_notification,);
