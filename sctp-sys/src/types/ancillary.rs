//! Ancillary-data (cmsg) payloads of `linux/sctp.h`: what `sendmsg` takes and `recvmsg`
//! returns in `msg_control` (`SCTP_INIT`, `SCTP_SNDRCV`, `SCTP_SNDINFO`, `SCTP_RCVINFO`,
//! `SCTP_NXTINFO`, `SCTP_PRINFO`, `SCTP_AUTHINFO`) and the `sctp_cmsg_data_t` union.
//!
//! The codec that reads and writes them is [`crate::cmsg`].

use core::fmt;

use super::{sctp_assoc_t, Pod};

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

impl_pod!(
    sctp_initmsg,
    sctp_sndrcvinfo,
    sctp_sndinfo,
    sctp_rcvinfo,
    sctp_nxtinfo,
    sctp_prinfo,
    sctp_authinfo,
    sctp_cmsg_data_t,
);

impl_default_zeroed!(sctp_cmsg_data_t,);
