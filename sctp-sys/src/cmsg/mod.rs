//! SCTP ancillary data (cmsg) encoding and decoding.
//!
//! The sizes and `CMSG_*` arithmetic, the header as the kernel writes it and [`CmsgError`]
//! live here; the encoder in `encode.rs`, the decoder in `decode.rs`.
//!
//! Pure functions over byte buffers, with no system calls, so they can be fuzzed and run under
//! miri:
//!
//! * [`encode`] turns a [`SendCmsgs`] into the control bytes of a `sendmsg` (`msg_control`);
//! * [`decode`] turns the control bytes a `recvmsg` returned into a [`RecvCmsgs`];
//! * [`CmsgIter`] walks any control buffer and yields each message's level, type and payload.
//!
//! # Encoding rules (what the kernel checks in `sctp_msghdr_parse`)
//!
//! Every SCTP cmsg is written with `cmsg_level = IPPROTO_SCTP` and
//! `cmsg_len = CMSG_LEN(sizeof(T))` **exactly**: the kernel rejects any other length with
//! `EINVAL`, so payloads are written field by field in the C layout, padding included
//! (`sctp_prinfo` is 8 bytes, `sctp_sndrcvinfo` 32). Each message occupies `CMSG_SPACE(sizeof(T))`
//! bytes and the padding between messages is zeroed. The encoder first computes the total size,
//! then writes everything: it either returns the complete control buffer or an error, never a
//! half-written one.
//!
//! # Decoding rules
//!
//! Each `cmsg_len` is checked against the header size and the bytes that remain; payloads are
//! read unaligned; messages at other levels or of other SCTP types are skipped. A known SCTP
//! payload shorter than its C struct is an error (the kernel cuts the last message short when
//! the buffer is too small, and then sets `MSG_CTRUNC`). Longer payloads are accepted and their
//! prefix read, so that a struct grown by a future kernel still decodes. No input makes the
//! decoder panic.

use std::fmt;
use std::mem::{self, size_of};

use libc::c_int;

use crate::{
    sctp_authinfo, sctp_initmsg, sctp_nxtinfo, sctp_prinfo, sctp_rcvinfo, sctp_sndinfo,
    sctp_sndrcvinfo, Pod,
};

/// `cmsg_level` of every SCTP ancillary message (`IPPROTO_SCTP`).
const LEVEL: c_int = libc::IPPROTO_SCTP;

/// Short names for the `enum sctp_cmsg_type` values (`cmsg_type`).
mod ty {
    pub(super) use crate::{
        SCTP_AUTHINFO as AUTHINFO, SCTP_DSTADDRV4 as DSTADDRV4, SCTP_DSTADDRV6 as DSTADDRV6,
        SCTP_INIT as INIT, SCTP_NXTINFO as NXTINFO, SCTP_PRINFO as PRINFO, SCTP_RCVINFO as RCVINFO,
        SCTP_SNDINFO as SNDINFO, SCTP_SNDRCV as SNDRCV,
    };
}

// The payload sizes the kernel insists on (`cmsg_len == CMSG_LEN(sizeof(T))` exactly): the
// layout-tested structs' sizes.
const INITMSG_LEN: usize = size_of::<sctp_initmsg>();
const SNDRCVINFO_LEN: usize = size_of::<sctp_sndrcvinfo>();
const SNDINFO_LEN: usize = size_of::<sctp_sndinfo>();
const PRINFO_LEN: usize = size_of::<sctp_prinfo>();
const AUTHINFO_LEN: usize = size_of::<sctp_authinfo>();

/// `struct cmsghdr` as the kernel writes it (`libc::cmsghdr` has private padding fields on
/// some targets, so it cannot be `Pod` here): `cmsg_len` is `size_t` on Linux.
#[repr(C)]
#[derive(Clone, Copy)]
struct CmsgHdr {
    cmsg_len: usize,
    cmsg_level: c_int,
    cmsg_type: c_int,
}
// SAFETY: integers only; every bit pattern is valid.
unsafe impl Pod for CmsgHdr {}
const _: () = assert!(size_of::<CmsgHdr>() == size_of::<libc::cmsghdr>());
const _: () =
    assert!(mem::offset_of!(CmsgHdr, cmsg_type) == mem::offset_of!(libc::cmsghdr, cmsg_type));

/// Size of `struct cmsghdr` (16 on LP64).
const HDR: usize = size_of::<libc::cmsghdr>();
/// Alignment of control messages: `CMSG_ALIGN` rounds to `sizeof(size_t)` on Linux.
const ALIGN: usize = size_of::<usize>();
const _: () = assert!(mem::align_of::<libc::cmsghdr>() <= 8);
const _: () = assert!(HDR == cmsg_align(HDR));

/// `CMSG_ALIGN(len)`: `len` rounded up to the control-message alignment.
pub const fn cmsg_align(len: usize) -> usize {
    (len + ALIGN - 1) & !(ALIGN - 1)
}

/// `CMSG_LEN(len)`: the `cmsg_len` of a message with a `len`-byte payload.
pub const fn cmsg_len(len: usize) -> usize {
    cmsg_align(HDR) + len
}

/// `CMSG_SPACE(len)`: the bytes a message with a `len`-byte payload occupies, padding included.
pub const fn cmsg_space(len: usize) -> usize {
    cmsg_align(HDR) + cmsg_align(len)
}

/// Room for the receive-side SCTP messages: `SCTP_SNDRCV` (48 bytes on x86_64), `SCTP_RCVINFO`
/// (48) and `SCTP_NXTINFO` (32), plus 128 bytes of slack for socket-level messages such as
/// `SO_TIMESTAMP` that the application may have enabled. A `recvmsg` control buffer of this size
/// never sets `MSG_CTRUNC` because of SCTP data.
pub const RECV_CMSG_SPACE: usize = cmsg_space(SNDRCVINFO_LEN)
    + cmsg_space(size_of::<sctp_rcvinfo>())
    + cmsg_space(size_of::<sctp_nxtinfo>())
    + 128;

/// Room for every fixed send-side message at once: INIT, SNDRCV, SNDINFO, PRINFO, AUTHINFO.
const SEND_FIXED_SPACE: usize = cmsg_space(INITMSG_LEN)
    + cmsg_space(SNDRCVINFO_LEN)
    + cmsg_space(SNDINFO_LEN)
    + cmsg_space(PRINFO_LEN)
    + cmsg_space(AUTHINFO_LEN);

/// Bytes a [`CmsgBuffer`] holds without allocating: every fixed send-side message plus ten
/// `SCTP_DSTADDRV6` (or fifteen `SCTP_DSTADDRV4`) messages.
pub const SEND_CMSG_INLINE: usize = 512;
const _: () = assert!(SEND_CMSG_INLINE >= SEND_FIXED_SPACE + 10 * cmsg_space(16));
const _: () = assert!(SEND_CMSG_INLINE % 8 == 0);

/// Largest control buffer [`encode`] produces. Linux copies `msg_control` into a buffer limited
/// by `net.core.optmem_max` (20480 bytes by default) and fails with `ENOBUFS` beyond it, so larger
/// encodings are refused up front.
pub const SEND_CMSG_MAX: usize = 20480;

/// A malformed control buffer, or one that cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsgError {
    /// Bytes remain after the last message but fewer than a `cmsghdr`.
    TrailingBytes {
        /// Offset of the leftover bytes.
        offset: usize,
        /// How many bytes are left over.
        len: usize,
    },
    /// A `cmsg_len` smaller than the header or larger than the bytes that remain.
    BadLength {
        /// Offset of the message in the buffer.
        offset: usize,
        /// Its `cmsg_len`.
        cmsg_len: usize,
        /// The bytes from its start to the end of the buffer.
        available: usize,
    },
    /// A known SCTP message whose payload is shorter than its C struct (a cut-off message).
    ShortPayload {
        /// The message's `cmsg_type`.
        cmsg_type: c_int,
        /// Payload bytes the struct needs.
        expected: usize,
        /// Payload bytes present.
        got: usize,
    },
    /// The encoding would exceed [`SEND_CMSG_MAX`] bytes.
    TooLarge {
        /// Bytes needed.
        needed: usize,
    },
}

impl fmt::Display for CmsgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CmsgError::TrailingBytes { offset, len } => {
                write!(f, "{len} stray control bytes at offset {offset}")
            }
            CmsgError::BadLength {
                offset,
                cmsg_len,
                available,
            } => write!(
                f,
                "control message at offset {offset} has cmsg_len {cmsg_len} \
                 ({available} bytes available)"
            ),
            CmsgError::ShortPayload {
                cmsg_type,
                expected,
                got,
            } => write!(
                f,
                "SCTP control message type {cmsg_type} has {got} payload bytes, needs {expected}"
            ),
            CmsgError::TooLarge { needed } => write!(
                f,
                "control data of {needed} bytes exceeds the {SEND_CMSG_MAX}-byte limit"
            ),
        }
    }
}

impl std::error::Error for CmsgError {}

impl From<CmsgError> for std::io::Error {
    fn from(err: CmsgError) -> Self {
        let kind = match err {
            CmsgError::TooLarge { .. } => std::io::ErrorKind::InvalidInput,
            _ => std::io::ErrorKind::InvalidData,
        };
        std::io::Error::new(kind, err)
    }
}

mod decode;
mod encode;

pub use decode::{decode, decode_truncated, CmsgIter, RawCmsg, RecvCmsgs};
pub use encode::{encode, CmsgBuffer, SendCmsgs};

#[cfg(test)]
mod tests;
