//! The cmsg decoder: a bounds-checked walk over received control bytes ([`CmsgIter`]) and the
//! SCTP messages read from it through their structs ([`RecvCmsgs`]). Total over any input.

use std::mem::size_of;

use libc::c_int;

use super::{cmsg_align, ty, CmsgError, CmsgHdr, HDR, LEVEL};
use crate::{read_prefix, sctp_nxtinfo, sctp_rcvinfo, sctp_sndrcvinfo, Pod};

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
        // `rest.len() >= HDR`: the header reads.
        let hdr = read_prefix::<CmsgHdr>(rest)?;
        let (cmsg_len, level, cmsg_type) = (hdr.cmsg_len, hdr.cmsg_level, hdr.cmsg_type);
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
pub(super) fn read_payload<T: Pod>(cmsg_type: c_int, data: &[u8]) -> Result<T, CmsgError> {
    read_prefix(data).ok_or(CmsgError::ShortPayload {
        cmsg_type,
        expected: size_of::<T>(),
        got: data.len(),
    })
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
/// Any [`CmsgError`] for a malformed buffer; see the [module documentation](crate::cmsg).
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
