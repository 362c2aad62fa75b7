//! SCTP ancillary data (cmsg) encoding and decoding.
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
use std::net::SocketAddr;

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

// The payload sizes the kernel insists on (x86_64 and every other Linux ABI: these structs hold
// only fixed-size integers).
const INITMSG_LEN: usize = 8;
const SNDRCVINFO_LEN: usize = 32;
const SNDINFO_LEN: usize = 16;
const PRINFO_LEN: usize = 8;
const AUTHINFO_LEN: usize = 2;
const _: () = assert!(size_of::<sctp_initmsg>() == INITMSG_LEN);
const _: () = assert!(size_of::<sctp_sndrcvinfo>() == SNDRCVINFO_LEN);
const _: () = assert!(size_of::<sctp_sndinfo>() == SNDINFO_LEN);
const _: () = assert!(size_of::<sctp_prinfo>() == PRINFO_LEN);
const _: () = assert!(size_of::<sctp_authinfo>() == AUTHINFO_LEN);
const _: () = assert!(size_of::<sctp_rcvinfo>() == 28);
const _: () = assert!(size_of::<sctp_nxtinfo>() == 16);

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
pub const RECV_CMSG_SPACE: usize =
    cmsg_space(SNDRCVINFO_LEN) + cmsg_space(28) + cmsg_space(16) + 128;

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

/// What [`encode`] sends; `Default` is "no ancillary data".
///
/// Each `Some` becomes one SCTP control message. The kernel honours `init` and `dstaddrs` only
/// when this `sendmsg` creates an association (one-to-many socket, unknown peer); `sndinfo`
/// overrides `sndrcv` when both are given; when either is present the socket's default send
/// parameters are not merged in at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendCmsgs<'a> {
    /// `SCTP_INIT`: the INIT parameters of an association this send creates.
    pub init: Option<sctp_initmsg>,
    /// `SCTP_SNDRCV`: the deprecated send parameters (the only ones that carry a TTL directly).
    pub sndrcv: Option<sctp_sndrcvinfo>,
    /// `SCTP_SNDINFO`: stream, flags, PPID, context and association of this message.
    pub sndinfo: Option<sctp_sndinfo>,
    /// `SCTP_PRINFO`: partial-reliability policy and value (kernel 4.17+).
    pub prinfo: Option<sctp_prinfo>,
    /// `SCTP_AUTHINFO`: the shared key to authenticate this message with (kernel 4.17+).
    pub authinfo: Option<sctp_authinfo>,
    /// `SCTP_DSTADDRV4`/`SCTP_DSTADDRV6`: more peer addresses for an association this send
    /// creates. Only the IP addresses are sent: the kernel takes the port (and the IPv6 flow
    /// information) from `msg_name`, so the ports here are ignored.
    pub dstaddrs: &'a [SocketAddr],
}

impl SendCmsgs<'_> {
    /// The number of control bytes [`encode`] will produce for this value.
    pub fn space(&self) -> usize {
        let mut n = 0usize;
        self.each(|_, payload| n = n.saturating_add(cmsg_space(payload.len())));
        n
    }

    /// Calls `f` with the type and payload of each control message, in encoding order: the
    /// one list both [`space`](Self::space) and [`encode`] follow.
    fn each(&self, mut f: impl FnMut(c_int, &[u8])) {
        if let Some(v) = &self.init {
            f(ty::INIT, &initmsg_bytes(v));
        }
        if let Some(v) = &self.sndrcv {
            f(ty::SNDRCV, &sndrcvinfo_bytes(v));
        }
        if let Some(v) = &self.sndinfo {
            f(ty::SNDINFO, &sndinfo_bytes(v));
        }
        if let Some(v) = &self.prinfo {
            f(ty::PRINFO, &prinfo_bytes(v));
        }
        if let Some(v) = &self.authinfo {
            f(ty::AUTHINFO, &authinfo_bytes(v));
        }
        for addr in self.dstaddrs {
            match addr {
                SocketAddr::V4(a) => f(ty::DSTADDRV4, &a.ip().octets()),
                SocketAddr::V6(a) => f(ty::DSTADDRV6, &a.ip().octets()),
            }
        }
    }

    /// True when there is nothing to encode.
    pub fn is_empty(&self) -> bool {
        self.init.is_none()
            && self.sndrcv.is_none()
            && self.sndinfo.is_none()
            && self.prinfo.is_none()
            && self.authinfo.is_none()
            && self.dstaddrs.is_empty()
    }
}

/// The SCTP control messages one `recvmsg` returned; `None` for what the kernel did not attach.
///
/// The kernel attaches `sndrcv` only with the `SCTP_DATA_IO_EVENT` subscription, `rcvinfo` only
/// with `SCTP_RECVRCVINFO` on, and `nxtinfo` only with `SCTP_RECVNXTINFO` on and a further
/// message queued. None of them comes with a notification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecvCmsgs {
    /// `SCTP_SNDRCV`.
    pub sndrcv: Option<sctp_sndrcvinfo>,
    /// `SCTP_RCVINFO`.
    pub rcvinfo: Option<sctp_rcvinfo>,
    /// `SCTP_NXTINFO`: describes the **next** queued message, not this one.
    pub nxtinfo: Option<sctp_nxtinfo>,
}

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

/// A control-message buffer aligned for `struct cmsghdr`, for [`encode`].
///
/// It holds [`SEND_CMSG_INLINE`] bytes in place (on the stack when the buffer is a local), which
/// covers every fixed SCTP send message plus ten IPv6 destination addresses; only a longer
/// `dstaddrs` list makes [`encode`] use a heap allocation, kept for reuse.
pub struct CmsgBuffer {
    inline: Aligned<[u8; SEND_CMSG_INLINE]>,
    heap: Vec<u64>,
}

#[repr(C, align(8))]
struct Aligned<T>(T);

impl CmsgBuffer {
    /// An empty buffer.
    pub const fn new() -> Self {
        CmsgBuffer {
            inline: Aligned([0; SEND_CMSG_INLINE]),
            heap: Vec::new(),
        }
    }

    /// Zeroed, 8-byte-aligned room for `len` bytes.
    fn room(&mut self, len: usize) -> &mut [u8] {
        if len <= SEND_CMSG_INLINE {
            let buf = &mut self.inline.0[..len];
            buf.fill(0);
            buf
        } else {
            let words = len.div_ceil(8);
            self.heap.clear();
            self.heap.resize(words, 0);
            let ptr = self.heap.as_mut_ptr().cast::<u8>();
            // SAFETY: the Vec owns `words * 8 >= len` initialised bytes (u64 zeroes) starting at
            // `ptr`; u8 has no alignment or validity requirements; the returned slice borrows
            // `self` mutably, so the Vec cannot be touched or reallocated while it lives.
            unsafe { std::slice::from_raw_parts_mut(ptr, len) }
        }
    }
}

impl Default for CmsgBuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for CmsgBuffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CmsgBuffer")
            .field("inline", &SEND_CMSG_INLINE)
            .field("heap_bytes", &(self.heap.capacity() * 8))
            .finish()
    }
}

/// Writes consecutive messages into a zeroed buffer sized by [`SendCmsgs::space`].
struct Writer<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl Writer<'_> {
    fn push(&mut self, cmsg_type: c_int, payload: &[u8]) {
        let space = cmsg_space(payload.len());
        // The caller sized the buffer with `SendCmsgs::space`, which counts exactly these
        // messages; `get_mut` keeps this total even if that ever changed.
        let Some(msg) = self.buf.get_mut(self.pos..self.pos + space) else {
            debug_assert!(false, "cmsg buffer sized wrongly");
            return;
        };
        let len = cmsg_len(payload.len());
        msg[..ALIGN].copy_from_slice(&len.to_ne_bytes()[..ALIGN]);
        msg[ALIGN..ALIGN + 4].copy_from_slice(&LEVEL.to_ne_bytes());
        msg[ALIGN + 4..ALIGN + 8].copy_from_slice(&cmsg_type.to_ne_bytes());
        msg[HDR..HDR + payload.len()].copy_from_slice(payload);
        self.pos += space;
    }
}

/// Little helper to lay out C structs byte by byte in native order.
struct Bytes<const N: usize>([u8; N]);

impl<const N: usize> Bytes<N> {
    fn new() -> Self {
        Bytes([0; N])
    }
    fn u16(mut self, at: usize, v: u16) -> Self {
        self.0[at..at + 2].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn u32(mut self, at: usize, v: u32) -> Self {
        self.0[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }
    fn i32(mut self, at: usize, v: i32) -> Self {
        self.0[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        self
    }
}

fn initmsg_bytes(v: &sctp_initmsg) -> [u8; INITMSG_LEN] {
    Bytes::new()
        .u16(0, v.sinit_num_ostreams)
        .u16(2, v.sinit_max_instreams)
        .u16(4, v.sinit_max_attempts)
        .u16(6, v.sinit_max_init_timeo)
        .0
}

fn sndrcvinfo_bytes(v: &sctp_sndrcvinfo) -> [u8; SNDRCVINFO_LEN] {
    Bytes::new()
        .u16(0, v.sinfo_stream)
        .u16(2, v.sinfo_ssn)
        .u16(4, v.sinfo_flags)
        .u32(8, v.sinfo_ppid)
        .u32(12, v.sinfo_context)
        .u32(16, v.sinfo_timetolive)
        .u32(20, v.sinfo_tsn)
        .u32(24, v.sinfo_cumtsn)
        .i32(28, v.sinfo_assoc_id)
        .0
}

fn sndinfo_bytes(v: &sctp_sndinfo) -> [u8; SNDINFO_LEN] {
    Bytes::new()
        .u16(0, v.snd_sid)
        .u16(2, v.snd_flags)
        .u32(4, v.snd_ppid)
        .u32(8, v.snd_context)
        .i32(12, v.snd_assoc_id)
        .0
}

fn prinfo_bytes(v: &sctp_prinfo) -> [u8; PRINFO_LEN] {
    Bytes::new().u16(0, v.pr_policy).u32(4, v.pr_value).0
}

fn authinfo_bytes(v: &sctp_authinfo) -> [u8; AUTHINFO_LEN] {
    Bytes::new().u16(0, v.auth_keynumber).0
}

/// Encodes `cmsgs` into `buf` and returns the control bytes to pass as `msg_control` (empty
/// when there is nothing to send). The returned slice starts 8-byte aligned.
///
/// # Errors
///
/// [`CmsgError::TooLarge`] when the encoding would exceed [`SEND_CMSG_MAX`] bytes (thousands
/// of destination addresses); nothing is written then.
pub fn encode<'b>(cmsgs: &SendCmsgs<'_>, buf: &'b mut CmsgBuffer) -> Result<&'b [u8], CmsgError> {
    let needed = cmsgs.space();
    if needed > SEND_CMSG_MAX {
        return Err(CmsgError::TooLarge { needed });
    }
    let mut w = Writer {
        buf: buf.room(needed),
        pos: 0,
    };
    cmsgs.each(|cmsg_type, payload| w.push(cmsg_type, payload));
    debug_assert_eq!(w.pos, needed);
    Ok(w.buf)
}

/// One control message: its level, type and payload (`cmsg_len - CMSG_LEN(0)` bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawCmsg<'a> {
    /// `cmsg_level`.
    pub level: c_int,
    /// `cmsg_type`.
    pub cmsg_type: c_int,
    /// The payload.
    pub data: &'a [u8],
}

/// Iterator over the messages of a control buffer (`CMSG_FIRSTHDR`/`CMSG_NXTHDR` over bytes).
///
/// It yields `Err` once for a malformed buffer and then stops.
#[derive(Clone, Debug)]
pub struct CmsgIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> CmsgIter<'a> {
    /// Walks `control`, which need not be aligned.
    pub fn new(control: &'a [u8]) -> Self {
        CmsgIter {
            buf: control,
            pos: 0,
        }
    }
}

impl<'a> Iterator for CmsgIter<'a> {
    type Item = Result<RawCmsg<'a>, CmsgError>;

    fn next(&mut self) -> Option<Self::Item> {
        let offset = self.pos;
        let rest = self.buf.get(offset..)?;
        if rest.is_empty() {
            return None;
        }
        // From here on, any error ends the iteration.
        self.pos = self.buf.len();
        if rest.len() < HDR {
            return Some(Err(CmsgError::TrailingBytes {
                offset,
                len: rest.len(),
            }));
        }
        let mut len_bytes = [0u8; size_of::<usize>()];
        len_bytes.copy_from_slice(&rest[..ALIGN]);
        let cmsg_len = usize::from_ne_bytes(len_bytes);
        let level = c_int::from_ne_bytes([
            rest[ALIGN],
            rest[ALIGN + 1],
            rest[ALIGN + 2],
            rest[ALIGN + 3],
        ]);
        let cmsg_type = c_int::from_ne_bytes([
            rest[ALIGN + 4],
            rest[ALIGN + 5],
            rest[ALIGN + 6],
            rest[ALIGN + 7],
        ]);
        if cmsg_len < HDR || cmsg_len > rest.len() {
            return Some(Err(CmsgError::BadLength {
                offset,
                cmsg_len,
                available: rest.len(),
            }));
        }
        // The kernel pads each message to CMSG_SPACE but may omit the last one's padding.
        self.pos = offset + cmsg_align(cmsg_len).min(rest.len());
        Some(Ok(RawCmsg {
            level,
            cmsg_type,
            data: &rest[HDR..cmsg_len],
        }))
    }
}

/// Reads a `T` from the front of a payload that may be unaligned.
fn read_payload<T: Pod>(cmsg_type: c_int, data: &[u8]) -> Result<T, CmsgError> {
    if data.len() < size_of::<T>() {
        return Err(CmsgError::ShortPayload {
            cmsg_type,
            expected: size_of::<T>(),
            got: data.len(),
        });
    }
    // SAFETY: `data` holds at least size_of::<T>() initialised bytes; read_unaligned has no
    // alignment requirement; `T: Pod` promises that every bit pattern is a valid `T`.
    Ok(unsafe { data.as_ptr().cast::<T>().read_unaligned() })
}

fn absorb(out: &mut RecvCmsgs, msg: RawCmsg<'_>) -> Result<(), CmsgError> {
    if msg.level != LEVEL {
        return Ok(());
    }
    match msg.cmsg_type {
        ty::SNDRCV => out.sndrcv = Some(read_payload(msg.cmsg_type, msg.data)?),
        ty::RCVINFO => out.rcvinfo = Some(read_payload(msg.cmsg_type, msg.data)?),
        ty::NXTINFO => out.nxtinfo = Some(read_payload(msg.cmsg_type, msg.data)?),
        _ => {}
    }
    Ok(())
}

/// Decodes the control bytes a `recvmsg` returned (`msg_control`, `msg_controllen` bytes).
///
/// Messages at levels other than `IPPROTO_SCTP` and SCTP types other than SNDRCV, RCVINFO and
/// NXTINFO are skipped. When a type appears twice, the last one wins.
///
/// # Errors
///
/// Any [`CmsgError`] for a malformed buffer; see the [module documentation](self).
pub fn decode(control: &[u8]) -> Result<RecvCmsgs, CmsgError> {
    let mut out = RecvCmsgs::default();
    for msg in CmsgIter::new(control) {
        absorb(&mut out, msg?)?;
    }
    Ok(out)
}

/// Like [`decode`], but keeps whatever decoded before the first malformed message instead of
/// failing: for a `recvmsg` that reported `MSG_CTRUNC`, where the kernel cut the last message
/// short.
pub fn decode_truncated(control: &[u8]) -> RecvCmsgs {
    let mut out = RecvCmsgs::default();
    for msg in CmsgIter::new(control) {
        match msg.and_then(|m| absorb(&mut out, m)) {
            Ok(()) => {}
            Err(_) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hdr(len: usize, level: c_int, t: c_int) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&len.to_ne_bytes());
        v.extend_from_slice(&level.to_ne_bytes());
        v.extend_from_slice(&t.to_ne_bytes());
        v
    }

    fn padded(mut v: Vec<u8>) -> Vec<u8> {
        v.resize(cmsg_align(v.len()), 0);
        v
    }

    #[test]
    fn cmsg_macros_match_libc() {
        for n in [0usize, 1, 2, 4, 8, 16, 28, 32, 100] {
            // SAFETY: CMSG_LEN and CMSG_SPACE are pure arithmetic.
            let (l, s) = unsafe { (libc::CMSG_LEN(n as u32), libc::CMSG_SPACE(n as u32)) };
            assert_eq!(cmsg_len(n), l as usize, "CMSG_LEN({n})");
            assert_eq!(cmsg_space(n), s as usize, "CMSG_SPACE({n})");
        }
        // The x86_64 numbers from the header survey.
        #[cfg(target_pointer_width = "64")]
        {
            assert_eq!(cmsg_space(SNDRCVINFO_LEN), 48);
            assert_eq!(cmsg_space(SNDINFO_LEN), 32);
            assert_eq!(cmsg_space(28), 48);
            assert_eq!(cmsg_space(PRINFO_LEN), 24);
            assert_eq!(cmsg_space(AUTHINFO_LEN), 24);
            assert_eq!(cmsg_space(INITMSG_LEN), 24);
            assert_eq!(cmsg_space(4), 24);
            assert_eq!(cmsg_space(16), 32);
            assert_eq!(RECV_CMSG_SPACE, 128 + 128);
        }
    }

    fn sample_sndinfo() -> sctp_sndinfo {
        sctp_sndinfo {
            snd_sid: 3,
            snd_flags: 0x0400,
            snd_ppid: 0x1234_5678,
            snd_context: 0xdead_beef,
            snd_assoc_id: 77,
        }
    }

    fn sample_sndrcv() -> sctp_sndrcvinfo {
        sctp_sndrcvinfo {
            sinfo_stream: 9,
            sinfo_ssn: 10,
            sinfo_flags: 0x0001,
            sinfo_ppid: 0x0a0b_0c0d,
            sinfo_context: 11,
            sinfo_timetolive: 12,
            sinfo_tsn: 13,
            sinfo_cumtsn: 14,
            sinfo_assoc_id: -5,
        }
    }

    /// Splits an encoding back into messages, checking the exact lengths the kernel wants.
    fn messages(bytes: &[u8]) -> Vec<RawCmsg<'_>> {
        let v: Vec<_> = CmsgIter::new(bytes).map(|m| m.unwrap()).collect();
        for m in &v {
            assert_eq!(m.level, libc::IPPROTO_SCTP);
        }
        v
    }

    #[test]
    fn empty_encodes_to_nothing() {
        let mut buf = CmsgBuffer::new();
        let c = SendCmsgs::default();
        assert!(c.is_empty());
        assert_eq!(encode(&c, &mut buf).unwrap(), &[] as &[u8]);
    }

    #[test]
    fn every_send_message_has_exact_len_and_layout() {
        let init = sctp_initmsg {
            sinit_num_ostreams: 5,
            sinit_max_instreams: 6,
            sinit_max_attempts: 7,
            sinit_max_init_timeo: 8,
        };
        let prinfo = sctp_prinfo {
            pr_policy: 0x10,
            pr_value: 1000,
        };
        let authinfo = sctp_authinfo {
            auth_keynumber: 0x4242,
        };
        let dst: [SocketAddr; 2] = ["127.0.0.2:1".parse().unwrap(), "[::1]:2".parse().unwrap()];
        let c = SendCmsgs {
            init: Some(init),
            sndrcv: Some(sample_sndrcv()),
            sndinfo: Some(sample_sndinfo()),
            prinfo: Some(prinfo),
            authinfo: Some(authinfo),
            dstaddrs: &dst,
        };
        let mut buf = CmsgBuffer::new();
        let bytes = encode(&c, &mut buf).unwrap();
        assert_eq!(bytes.len(), c.space());
        assert_eq!(bytes.as_ptr() as usize % 8, 0);
        let m = messages(bytes);
        let types: Vec<_> = m.iter().map(|m| m.cmsg_type).collect();
        assert_eq!(
            types,
            [
                ty::INIT,
                ty::SNDRCV,
                ty::SNDINFO,
                ty::PRINFO,
                ty::AUTHINFO,
                ty::DSTADDRV4,
                ty::DSTADDRV6
            ]
        );
        let lens: Vec<_> = m.iter().map(|m| m.data.len()).collect();
        assert_eq!(lens, [8, 32, 16, 8, 2, 4, 16]);

        // The bytes read back as the C structs (this checks our offsets against types.rs).
        let i: sctp_initmsg = read_payload(0, m[0].data).unwrap();
        assert_eq!(
            (
                i.sinit_num_ostreams,
                i.sinit_max_instreams,
                i.sinit_max_attempts,
                i.sinit_max_init_timeo
            ),
            (5, 6, 7, 8)
        );
        let s: sctp_sndrcvinfo = read_payload(0, m[1].data).unwrap();
        let e = sample_sndrcv();
        assert_eq!(
            (
                s.sinfo_stream,
                s.sinfo_ssn,
                s.sinfo_flags,
                s.sinfo_ppid,
                s.sinfo_context,
                s.sinfo_timetolive,
                s.sinfo_tsn,
                s.sinfo_cumtsn,
                s.sinfo_assoc_id
            ),
            (
                e.sinfo_stream,
                e.sinfo_ssn,
                e.sinfo_flags,
                e.sinfo_ppid,
                e.sinfo_context,
                e.sinfo_timetolive,
                e.sinfo_tsn,
                e.sinfo_cumtsn,
                e.sinfo_assoc_id
            )
        );
        assert_eq!(&m[1].data[6..8], &[0, 0], "padding is zeroed");
        let s: sctp_sndinfo = read_payload(0, m[2].data).unwrap();
        assert_eq!(
            (
                s.snd_sid,
                s.snd_flags,
                s.snd_ppid,
                s.snd_context,
                s.snd_assoc_id
            ),
            (3, 0x0400, 0x1234_5678, 0xdead_beef, 77)
        );
        let p: sctp_prinfo = read_payload(0, m[3].data).unwrap();
        assert_eq!((p.pr_policy, p.pr_value), (0x10, 1000));
        let a: sctp_authinfo = read_payload(0, m[4].data).unwrap();
        assert_eq!(a.auth_keynumber, 0x4242);
        assert_eq!(m[5].data, &[127, 0, 0, 2]);
        assert_eq!(m[6].data, &std::net::Ipv6Addr::LOCALHOST.octets());
        // Every header says exactly CMSG_LEN(sizeof T).
        let mut off = 0;
        for (msg, size) in m.iter().zip([8usize, 32, 16, 8, 2, 4, 16]) {
            let mut l = [0u8; size_of::<usize>()];
            l.copy_from_slice(&bytes[off..off + ALIGN]);
            assert_eq!(usize::from_ne_bytes(l), cmsg_len(size));
            assert_eq!(msg.data.len(), size);
            off += cmsg_space(size);
        }
        assert_eq!(off, bytes.len());
    }

    #[test]
    fn many_dstaddrs_spill_to_the_heap_and_too_many_are_refused() {
        let addrs: Vec<SocketAddr> = (0..40u16)
            .map(|i| SocketAddr::from(([10, 0, (i >> 8) as u8, i as u8], 9)))
            .collect();
        let c = SendCmsgs {
            sndinfo: Some(sample_sndinfo()),
            dstaddrs: &addrs,
            ..Default::default()
        };
        let mut buf = CmsgBuffer::new();
        let bytes = encode(&c, &mut buf).unwrap();
        assert_eq!(bytes.len(), cmsg_space(16) + 40 * cmsg_space(4));
        assert!(bytes.len() > SEND_CMSG_INLINE);
        assert_eq!(bytes.as_ptr() as usize % 8, 0);
        let m = messages(bytes);
        assert_eq!(m.len(), 41);
        assert_eq!(m[40].data, &[10, 0, 0, 39]);

        let huge: Vec<SocketAddr> = vec!["[::1]:1".parse().unwrap(); 1000];
        let c = SendCmsgs {
            dstaddrs: &huge,
            ..Default::default()
        };
        assert_eq!(
            encode(&c, &mut buf),
            Err(CmsgError::TooLarge {
                needed: 1000 * cmsg_space(16)
            })
        );
        // The buffer is still usable afterwards, and a shorter encoding does not see stale bytes.
        let c = SendCmsgs {
            sndinfo: Some(sample_sndinfo()),
            ..Default::default()
        };
        let bytes = encode(&c, &mut buf).unwrap();
        assert_eq!(messages(bytes).len(), 1);
    }

    /// Builds control bytes the way the kernel's `put_cmsg` does.
    fn kernel_style(msgs: &[(c_int, c_int, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (level, t, data) in msgs {
            let mut m = hdr(cmsg_len(data.len()), *level, *t);
            m.extend_from_slice(data);
            out.extend(padded(m));
        }
        out
    }

    fn rcvinfo_bytes(sid: u16, ppid: u32, assoc: i32) -> Vec<u8> {
        let mut b = vec![0u8; 28];
        b[0..2].copy_from_slice(&sid.to_ne_bytes());
        b[2..4].copy_from_slice(&4u16.to_ne_bytes()); // ssn
        b[4..6].copy_from_slice(&1u16.to_ne_bytes()); // flags
        b[8..12].copy_from_slice(&ppid.to_ne_bytes());
        b[12..16].copy_from_slice(&100u32.to_ne_bytes()); // tsn
        b[16..20].copy_from_slice(&99u32.to_ne_bytes()); // cumtsn
        b[20..24].copy_from_slice(&7u32.to_ne_bytes()); // context
        b[24..28].copy_from_slice(&assoc.to_ne_bytes());
        b
    }

    fn nxtinfo_bytes() -> Vec<u8> {
        let mut b = vec![0u8; 16];
        b[0..2].copy_from_slice(&2u16.to_ne_bytes());
        b[2..4].copy_from_slice(&0x8000u16.to_ne_bytes());
        b[4..8].copy_from_slice(&5u32.to_ne_bytes());
        b[8..12].copy_from_slice(&48u32.to_ne_bytes());
        b[12..16].copy_from_slice(&6i32.to_ne_bytes());
        b
    }

    #[test]
    fn decodes_receive_messages_and_skips_unknown() {
        let sndrcv = sndrcvinfo_bytes(&sample_sndrcv());
        let rcv = rcvinfo_bytes(3, 0x1234_5678, 42);
        let nxt = nxtinfo_bytes();
        let control = kernel_style(&[
            (libc::SOL_SOCKET, libc::SO_TIMESTAMP, &[1u8; 16][..]),
            (LEVEL, ty::SNDRCV, &sndrcv),
            (LEVEL, 99, &[1, 2, 3]),
            (LEVEL, ty::RCVINFO, &rcv),
            (libc::IPPROTO_IP, ty::RCVINFO, &[0xff; 3]),
            (LEVEL, ty::NXTINFO, &nxt),
        ]);
        let got = decode(&control).unwrap();
        let s = got.sndrcv.unwrap();
        assert_eq!(
            (s.sinfo_stream, s.sinfo_ppid, s.sinfo_assoc_id),
            (9, 0x0a0b_0c0d, -5)
        );
        let r = got.rcvinfo.unwrap();
        assert_eq!(
            (
                r.rcv_sid,
                r.rcv_ssn,
                r.rcv_flags,
                r.rcv_ppid,
                r.rcv_tsn,
                r.rcv_cumtsn,
                r.rcv_context,
                r.rcv_assoc_id
            ),
            (3, 4, 1, 0x1234_5678, 100, 99, 7, 42)
        );
        let n = got.nxtinfo.unwrap();
        assert_eq!(
            (
                n.nxt_sid,
                n.nxt_flags,
                n.nxt_ppid,
                n.nxt_length,
                n.nxt_assoc_id
            ),
            (2, 0x8000, 5, 48, 6)
        );

        // Unaligned input decodes the same.
        let mut shifted = vec![0u8; 1];
        shifted.extend_from_slice(&control);
        let again = decode(&shifted[1..]).unwrap();
        assert_eq!(again.rcvinfo.unwrap().rcv_ppid, 0x1234_5678);

        // The last message without its trailing padding is fine too.
        let control = kernel_style(&[(LEVEL, ty::RCVINFO, &rcv)]);
        assert_eq!(control.len(), 48);
        let got = decode(&control[..44]).unwrap();
        assert_eq!(got.rcvinfo.unwrap().rcv_sid, 3);
        assert!(got.sndrcv.is_none() && got.nxtinfo.is_none());
    }

    #[test]
    fn malformed_control_is_an_error() {
        assert!(decode(&[]).unwrap().rcvinfo.is_none());
        // Fewer bytes than a header.
        assert_eq!(
            decode(&[0u8; 5]),
            Err(CmsgError::TrailingBytes { offset: 0, len: 5 })
        );
        // cmsg_len 0 (would loop forever in a naive walker) and cmsg_len past the end.
        let z = hdr(0, LEVEL, ty::RCVINFO);
        assert!(matches!(
            decode(&z),
            Err(CmsgError::BadLength { cmsg_len: 0, .. })
        ));
        let mut long = hdr(1000, LEVEL, ty::RCVINFO);
        long.extend_from_slice(&[0; 28]);
        assert!(matches!(
            decode(&long),
            Err(CmsgError::BadLength { cmsg_len: 1000, .. })
        ));
        // A cut-off RCVINFO, as put_cmsg writes it when the buffer is too small.
        let rcv = rcvinfo_bytes(3, 1, 2);
        let mut cut = hdr(cmsg_len(20), LEVEL, ty::RCVINFO);
        cut.extend_from_slice(&rcv[..20]);
        assert_eq!(
            decode(&cut),
            Err(CmsgError::ShortPayload {
                cmsg_type: ty::RCVINFO,
                expected: 28,
                got: 20
            })
        );
        // decode_truncated keeps what came before it.
        let mut control = kernel_style(&[(LEVEL, ty::NXTINFO, &nxtinfo_bytes())]);
        control.extend_from_slice(&cut);
        assert!(decode(&control).is_err());
        let partial = decode_truncated(&control);
        assert_eq!(partial.nxtinfo.unwrap().nxt_length, 48);
        assert!(partial.rcvinfo.is_none());
        // A longer payload (a grown struct) is accepted.
        let mut grown = rcv.clone();
        grown.extend_from_slice(&[0xaa; 8]);
        let control = kernel_style(&[(LEVEL, ty::RCVINFO, &grown)]);
        assert_eq!(decode(&control).unwrap().rcvinfo.unwrap().rcv_assoc_id, 2);
    }

    #[test]
    fn every_truncation_of_valid_control_is_handled() {
        let sndrcv = sndrcvinfo_bytes(&sample_sndrcv());
        let rcv = rcvinfo_bytes(1, 2, 3);
        let control = kernel_style(&[
            (LEVEL, ty::SNDRCV, &sndrcv),
            (LEVEL, ty::RCVINFO, &rcv),
            (LEVEL, ty::NXTINFO, &nxtinfo_bytes()),
        ]);
        assert!(control.len() <= RECV_CMSG_SPACE);
        for cut in 0..=control.len() {
            let strict = decode(&control[..cut]);
            let lenient = decode_truncated(&control[..cut]);
            if let Ok(full) = strict {
                assert_eq!(full.sndrcv.is_some(), lenient.sndrcv.is_some());
            }
            if cut >= 48 {
                assert_eq!(lenient.sndrcv.unwrap().sinfo_stream, 9, "cut {cut}");
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut buf = [0u8; 200];
        for _ in 0..5000 {
            for b in buf.iter_mut() {
                *b = next() as u8;
            }
            // Plant plausible headers so the walker gets past the first message sometimes.
            let mut off = 0;
            while off + HDR <= buf.len() && next() % 3 != 0 {
                let len = (next() % 64) as usize;
                let t = (next() % 10) as c_int;
                let level = if next() % 4 == 0 { 0 } else { LEVEL };
                buf[off..off + HDR].copy_from_slice(&hdr(len, level, t));
                off += cmsg_align(len.max(1));
            }
            let cut = (next() as usize) % (buf.len() + 1);
            let _ = decode(&buf[..cut]);
            let _ = decode_truncated(&buf[..cut]);
            for m in CmsgIter::new(&buf[..cut]) {
                if m.is_err() {
                    break;
                }
            }
        }
    }
}
