//! One message at a time: `sendmsg(2)` and `recvmsg(2)` with SCTP ancillary data.

use std::io::{self, IoSlice, IoSliceMut};
use std::mem::{self, size_of, MaybeUninit};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, socklen_t};

use super::retry_size;
use crate::addr::{socket_addr_from_raw, socket_addr_to_raw};
use crate::cmsg::{self, CmsgBuffer, RecvCmsgs, SendCmsgs, RECV_CMSG_SPACE};
use crate::MSG_NOTIFICATION;

/// Sends one message: `sendmsg(fd, {msg_name = to, msg_iov = bufs, msg_control = cmsgs},
/// flags | MSG_NOSIGNAL)`.
///
/// SCTP sends are all-or-nothing: the result is the whole length or an error. `to` is needed
/// on one-to-many sockets to name (or create) the association unless `cmsgs` selects it by
/// `snd_assoc_id`; on one-to-one sockets leave it `None`. `MSG_NOSIGNAL` is always added: an
/// `EPIPE` comes back as an error, never as `SIGPIPE`.
///
/// The control buffer lives on the stack; only more than ten extra destination addresses
/// make it allocate.
///
/// # Errors
///
/// `EAGAIN` (non-blocking, not enough send buffer for the whole message), `EMSGSIZE`
/// (message larger than `SO_SNDBUF`, or than the fragmentation point with
/// `SCTP_DISABLE_FRAGMENTS`), `EPIPE` (no association), `EINVAL` (stream out of range, bad
/// flags), `ESHUTDOWN`, ... `InvalidInput` if the control data is over
/// [`cmsg::SEND_CMSG_MAX`].
pub fn sendmsg(
    fd: BorrowedFd<'_>,
    bufs: &[IoSlice<'_>],
    to: Option<&SocketAddr>,
    cmsgs: &SendCmsgs<'_>,
    flags: c_int,
) -> io::Result<usize> {
    let mut control_buf = CmsgBuffer::new();
    let control = cmsg::encode(cmsgs, &mut control_buf)?;
    let name = to.map(socket_addr_to_raw);

    // SAFETY: msghdr is a plain C struct; all-zero (null pointers, zero lengths) is valid.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    if let Some((storage, len)) = &name {
        msg.msg_name = (storage as *const libc::sockaddr_storage).cast_mut().cast();
        msg.msg_namelen = *len;
    }
    // IoSlice is guaranteed ABI-compatible with `struct iovec` on Unix.
    msg.msg_iov = bufs.as_ptr().cast_mut().cast();
    msg.msg_iovlen = bufs.len() as _;
    if !control.is_empty() {
        msg.msg_control = control.as_ptr().cast_mut().cast();
        msg.msg_controllen = control.len() as _;
    }
    // SAFETY: every pointer in `msg` refers to memory that outlives the call (`name`,
    // `bufs`, `control`), with the lengths given; sendmsg only reads through them.
    retry_size(|| unsafe { libc::sendmsg(fd.as_raw_fd(), &msg, flags | libc::MSG_NOSIGNAL) })
}

/// What [`recvmsg`] received (`Default`: nothing yet, for arrays of [`recvmmsg`] results).
///
/// [`recvmmsg`]: super::recvmmsg
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecvMsg {
    /// Bytes written into the buffers. (On a non-SCTP socket with `MSG_TRUNC` in the call's
    /// flags, the kernel reports the datagram's full length instead, which may be more.)
    pub len: usize,
    /// `msg_flags`: `MSG_NOTIFICATION`, `MSG_EOR`, `MSG_CTRUNC`, ...
    pub flags: c_int,
    /// The peer address (`msg_name`), when the kernel gave one in a form this crate reads.
    pub from: Option<SocketAddr>,
    /// The SCTP ancillary data.
    pub cmsgs: RecvCmsgs,
}

impl RecvMsg {
    /// True when the bytes are a notification (`union sctp_notification`), not user data.
    pub fn is_notification(&self) -> bool {
        self.flags & MSG_NOTIFICATION != 0
    }

    /// True when this read completed a message or notification (`MSG_EOR`); false when the
    /// buffer was too small and the rest follows in the next reads.
    pub fn is_eor(&self) -> bool {
        self.flags & libc::MSG_EOR != 0
    }

    /// True when the kernel cut the control data short (`MSG_CTRUNC`); `cmsgs` then holds what
    /// arrived whole.
    pub fn is_ctrunc(&self) -> bool {
        self.flags & libc::MSG_CTRUNC != 0
    }
}

/// Control buffer for receives, aligned for `struct cmsghdr`.
#[repr(C, align(8))]
struct RecvControl([u8; RECV_CMSG_SPACE]);

/// Receives one message, or the next part of one: `recvmsg(fd, {msg_iov = bufs}, flags)`.
///
/// One call returns at most one message or notification. If the buffers are too small the
/// kernel returns a prefix without `MSG_EOR` and keeps the rest for the next call (with the
/// same ancillary data again). The control buffer is a [`RECV_CMSG_SPACE`]-byte array on the
/// stack: nothing is allocated.
///
/// A one-to-many socket never reports end of file; a one-to-one socket returns `len` 0 once the
/// peer has shut down and everything was read.
///
/// # Errors
///
/// `EAGAIN` (non-blocking, nothing queued), `ENOTCONN`, ..., and `InvalidData` if control
/// data without `MSG_CTRUNC` does not parse (a kernel bug).
pub fn recvmsg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    flags: c_int,
) -> io::Result<RecvMsg> {
    // SAFETY: IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix, and each one
    // covers initialised memory borrowed mutably for the whole call.
    unsafe { recvmsg_raw(fd, bufs.as_mut_ptr().cast(), bufs.len(), flags, true) }
}

/// Receives one message, or the next part of one, into memory that need not be initialised
/// (the spare capacity of a `Vec` or `BytesMut`): `recvmsg(fd, {msg_iov = {buf}}, flags)`.
///
/// On `Ok(m)` the kernel has initialised the first `m.len` bytes of `buf` (`m.len <=
/// buf.len()`, even with `MSG_TRUNC` in `flags`) and nothing after them; the caller may then
/// commit that length (`Vec::set_len(old + m.len)`). The SCTP ancillary data is decoded
/// before this returns, so a control buffer that does not parse is an `Err` with no length
/// to commit: no bytes of a failed receive are left behind in the caller's buffer.
///
/// No `msg_name` is asked for (`m.from` is `None`): the association id in `SCTP_RCVINFO`
/// names the sender, and skipping the address saves its conversion on every message. Use
/// [`recvmsg`] for the address. Otherwise as [`recvmsg`]: at most one message or
/// notification, `MSG_EOR` on its last piece, a [`RECV_CMSG_SPACE`]-byte control buffer on
/// the stack, `EINTR` retried. With an empty `buf` the kernel reads nothing, which is not end
/// of file.
///
/// # Errors
///
/// As [`recvmsg`].
///
/// # Examples
///
/// ```no_run
/// # fn demo(fd: std::os::fd::BorrowedFd<'_>) -> std::io::Result<()> {
/// let mut buf: Vec<u8> = Vec::with_capacity(65536);
/// let m = linux_sctp_sys::ops::recvmsg_uninit(fd, buf.spare_capacity_mut(), 0)?;
/// // SAFETY: recvmsg_uninit initialised the first `m.len` bytes of the spare capacity.
/// unsafe { buf.set_len(buf.len() + m.len) };
/// # Ok(()) }
/// ```
pub fn recvmsg_uninit(
    fd: BorrowedFd<'_>,
    buf: &mut [MaybeUninit<u8>],
    flags: c_int,
) -> io::Result<RecvMsg> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: `iov` covers `buf`, writable for its length and borrowed mutably for the call;
    // the kernel only writes there (uninitialised memory is fine for that).
    let mut m = unsafe { recvmsg_raw(fd, &mut iov, 1, flags, false)? };
    m.len = m.len.min(buf.len());
    Ok(m)
}

/// The one `recvmsg(2)` of [`recvmsg`] and [`recvmsg_uninit`]: `iovlen` iovecs at `iov`, the
/// peer address only with `name`, the control data decoded before returning.
///
/// # Safety
///
/// `iov` points to `iovlen` iovecs, each pointing to memory writable for `iov_len` bytes for
/// the whole call and not otherwise borrowed.
unsafe fn recvmsg_raw(
    fd: BorrowedFd<'_>,
    iov: *mut libc::iovec,
    iovlen: usize,
    flags: c_int,
    name: bool,
) -> io::Result<RecvMsg> {
    // SAFETY: sockaddr_storage and msghdr are plain C structs; all zeroes is valid for both.
    let mut storage: libc::sockaddr_storage = unsafe { mem::zeroed() };
    // Zeroed: the kernel counts a message's alignment padding in `msg_controllen` without
    // writing it, and every byte `msg_controllen` covers is read as `&[u8]` below.
    let mut control = RecvControl([0; RECV_CMSG_SPACE]);
    // SAFETY: as above.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    let len = retry_size(|| {
        if name {
            msg.msg_name = (&mut storage as *mut libc::sockaddr_storage).cast();
            msg.msg_namelen = size_of::<libc::sockaddr_storage>() as socklen_t;
        }
        msg.msg_iov = iov;
        msg.msg_iovlen = iovlen as _;
        msg.msg_control = control.0.as_mut_ptr().cast();
        msg.msg_controllen = control.0.len() as _;
        msg.msg_flags = 0;
        // SAFETY: `msg` points at `storage` and `control`, live and writable for the lengths
        // given, and at the caller's iovecs, which the caller guarantees point to writable
        // memory; the kernel writes within them and updates the lengths in `msg`.
        unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, flags) }
    })?;

    let namelen = msg.msg_namelen;
    let from = if !name || namelen == 0 {
        None
    } else {
        socket_addr_from_raw(&storage, namelen).ok()
    };
    // `size_t` on glibc, `socklen_t` elsewhere.
    #[allow(clippy::unnecessary_cast)]
    let controllen = msg.msg_controllen as usize;
    let cmsgs = decode_control(&control.0[..controllen.min(RECV_CMSG_SPACE)], msg.msg_flags)?;
    Ok(RecvMsg {
        len,
        flags: msg.msg_flags,
        from,
        cmsgs,
    })
}

/// Decodes a received control buffer: what arrived whole when the kernel set `MSG_CTRUNC` in
/// `msg_flags`, otherwise all of it (an error if it does not parse).
pub(super) fn decode_control(control: &[u8], msg_flags: c_int) -> io::Result<RecvCmsgs> {
    if msg_flags & libc::MSG_CTRUNC != 0 {
        Ok(cmsg::decode_truncated(control))
    } else {
        Ok(cmsg::decode(control)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recvmsg_flag_helpers() {
        let m = RecvMsg {
            len: 1,
            flags: MSG_NOTIFICATION | libc::MSG_EOR,
            from: None,
            cmsgs: RecvCmsgs::default(),
        };
        assert!(m.is_notification() && m.is_eor() && !m.is_ctrunc());
        let m = RecvMsg {
            flags: libc::MSG_CTRUNC,
            ..m
        };
        assert!(!m.is_notification() && !m.is_eor() && m.is_ctrunc());
    }
}
