//! The cmsg encoder: [`SendCmsgs`] into the control bytes of a `sendmsg`, written field by
//! field at each struct field's offset, either complete or not at all.

use std::fmt;
use std::mem::{self, size_of};
use std::net::SocketAddr;

use libc::c_int;

use super::{
    cmsg_len, cmsg_space, ty, CmsgError, CmsgHdr, AUTHINFO_LEN, HDR, INITMSG_LEN, LEVEL,
    PRINFO_LEN, SEND_CMSG_INLINE, SEND_CMSG_MAX, SNDINFO_LEN, SNDRCVINFO_LEN,
};
use crate::{sctp_authinfo, sctp_initmsg, sctp_prinfo, sctp_sndinfo, sctp_sndrcvinfo};

/// The bytes of a C struct value, field by field in native order at each field's
/// `offset_of!`, the padding zero (a struct copy could carry uninitialised padding, which
/// must not reach the kernel or a `&[u8]`). Every field of the struct is listed.
macro_rules! c_bytes {
    ($v:expr, $t:ty { $($field:ident),+ $(,)? }) => {{
        let mut b = [0u8; size_of::<$t>()];
        $(
            let x = $v.$field.to_ne_bytes();
            let at = mem::offset_of!($t, $field);
            b[at..at + x.len()].copy_from_slice(&x);
        )+
        b
    }};
}

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
        let hdr = CmsgHdr {
            cmsg_len: cmsg_len(payload.len()),
            cmsg_level: LEVEL,
            cmsg_type,
        };
        let hdr = c_bytes!(
            hdr,
            CmsgHdr {
                cmsg_len,
                cmsg_level,
                cmsg_type
            }
        );
        msg[..HDR].copy_from_slice(&hdr);
        msg[HDR..HDR + payload.len()].copy_from_slice(payload);
        self.pos += space;
    }
}

fn initmsg_bytes(v: &sctp_initmsg) -> [u8; INITMSG_LEN] {
    c_bytes!(
        v,
        sctp_initmsg {
            sinit_num_ostreams,
            sinit_max_instreams,
            sinit_max_attempts,
            sinit_max_init_timeo,
        }
    )
}

pub(super) fn sndrcvinfo_bytes(v: &sctp_sndrcvinfo) -> [u8; SNDRCVINFO_LEN] {
    c_bytes!(
        v,
        sctp_sndrcvinfo {
            sinfo_stream,
            sinfo_ssn,
            sinfo_flags,
            sinfo_ppid,
            sinfo_context,
            sinfo_timetolive,
            sinfo_tsn,
            sinfo_cumtsn,
            sinfo_assoc_id,
        }
    )
}

fn sndinfo_bytes(v: &sctp_sndinfo) -> [u8; SNDINFO_LEN] {
    c_bytes!(
        v,
        sctp_sndinfo {
            snd_sid,
            snd_flags,
            snd_ppid,
            snd_context,
            snd_assoc_id,
        }
    )
}

fn prinfo_bytes(v: &sctp_prinfo) -> [u8; PRINFO_LEN] {
    c_bytes!(
        v,
        sctp_prinfo {
            pr_policy,
            pr_value
        }
    )
}

fn authinfo_bytes(v: &sctp_authinfo) -> [u8; AUTHINFO_LEN] {
    c_bytes!(v, sctp_authinfo { auth_keynumber })
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
