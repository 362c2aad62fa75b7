//! Batches: `sendmmsg(2)` and `recvmmsg(2)`, up to [`MMSG_MAX`] messages per system call.

use std::io::{self, IoSliceMut};
use std::mem::{self, size_of};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, c_uint, socklen_t};

use super::msg::{decode_control, RecvMsg};
use super::{einval, retry};
use crate::addr::{socket_addr_from_raw, socket_addr_to_raw};
use crate::cmsg::{self, CmsgBuffer, SendCmsgs, RECV_CMSG_SPACE};

/// Most messages one [`sendmmsg`] or [`recvmmsg`] call handles; longer inputs are cut to it.
///
/// The per-message headers, addresses and control buffers of a batch live on the stack of the
/// call (about 30 KiB at this size), so a batch never allocates.
pub const MMSG_MAX: usize = 64;

/// Control space of one message of a [`sendmmsg`] batch: every fixed SCTP send message at once
/// (INIT, SNDRCV, SNDINFO, PRINFO, AUTHINFO). Destination-address lists do not fit.
const MMSG_SEND_CONTROL: usize = cmsg::cmsg_space(size_of::<crate::sctp_initmsg>())
    + cmsg::cmsg_space(size_of::<crate::sctp_sndrcvinfo>())
    + cmsg::cmsg_space(size_of::<crate::sctp_sndinfo>())
    + cmsg::cmsg_space(size_of::<crate::sctp_prinfo>())
    + cmsg::cmsg_space(size_of::<crate::sctp_authinfo>());

/// One message of a [`sendmmsg`] batch.
#[derive(Clone, Copy, Debug, Default)]
pub struct MmsgSend<'a> {
    /// The whole message.
    pub data: &'a [u8],
    /// `msg_name`: needed on one-to-many sockets unless `cmsgs` names the association.
    pub to: Option<&'a SocketAddr>,
    /// The ancillary data of this message (`dstaddrs` must be empty: see [`sendmmsg`]).
    pub cmsgs: SendCmsgs<'a>,
}

/// A send control buffer of one batch entry, aligned for `struct cmsghdr`.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct SendControl([u8; MMSG_SEND_CONTROL]);

/// Sends up to [`MMSG_MAX`] messages in one system call: `sendmmsg(fd, msgvec, vlen, flags |
/// MSG_NOSIGNAL)`, each message with its own name and control data.
///
/// Returns how many messages, from the front, the kernel took. SCTP sends are
/// all-or-nothing per message, so the count is exact. It is less than the number given when a
/// later message would block (non-blocking socket, send buffer full) or failed: the kernel
/// reports a failure only when it is the first message's, so send the rest again to learn
/// the error. Messages past [`MMSG_MAX`] are not looked at.
///
/// Every entry's control data is encoded into a fixed slot on the stack before the call;
/// nothing is allocated. `EINTR` (only possible before the first message went) is retried.
///
/// # Errors
///
/// `InvalidInput` before any syscall when an entry has `dstaddrs` (not supported in batches:
/// use [`sendmsg`](super::sendmsg)); otherwise the first message's
/// error, as for [`sendmsg`](super::sendmsg) (`EAGAIN`, `EPIPE`, `EINVAL`, ...).
pub fn sendmmsg<'a>(
    fd: BorrowedFd<'_>,
    msgs: impl IntoIterator<Item = MmsgSend<'a>>,
    flags: c_int,
) -> io::Result<usize> {
    use std::mem::MaybeUninit;
    let mut hdrs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; MMSG_MAX];
    let mut iovs = [const { MaybeUninit::<libc::iovec>::uninit() }; MMSG_MAX];
    let mut names = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; MMSG_MAX];
    let mut controls = [SendControl([0; MMSG_SEND_CONTROL]); MMSG_MAX];
    let mut scratch = CmsgBuffer::new();
    let mut n = 0;
    for m in msgs.into_iter().take(MMSG_MAX) {
        if !m.cmsgs.dstaddrs.is_empty() || m.cmsgs.space() > MMSG_SEND_CONTROL {
            return Err(einval(
                "sendmmsg: dstaddrs is not supported in batches (use sendmsg)",
            ));
        }
        let control = cmsg::encode(&m.cmsgs, &mut scratch)?;
        let clen = control.len();
        controls[n].0[..clen].copy_from_slice(control);
        let iov = iovs[n].write(libc::iovec {
            iov_base: m.data.as_ptr().cast_mut().cast(),
            iov_len: m.data.len(),
        });
        // SAFETY: msghdr is a plain C struct; all-zero (null pointers, zero lengths) is valid.
        let mut hdr: libc::msghdr = unsafe { mem::zeroed() };
        if let Some(to) = m.to {
            let (storage, len) = socket_addr_to_raw(to);
            let storage = names[n].write(storage);
            hdr.msg_name = (storage as *mut libc::sockaddr_storage).cast();
            hdr.msg_namelen = len;
        }
        hdr.msg_iov = iov;
        hdr.msg_iovlen = 1;
        if clen > 0 {
            hdr.msg_control = controls[n].0.as_mut_ptr().cast();
            hdr.msg_controllen = clen as _;
        }
        hdrs[n].write(libc::mmsghdr {
            msg_hdr: hdr,
            msg_len: 0,
        });
        n += 1;
    }
    if n == 0 {
        return Ok(0);
    }
    let vec = hdrs.as_mut_ptr().cast::<libc::mmsghdr>();
    // SAFETY: the first `n` headers are initialised; each points at an iovec, a name and a
    // control buffer of this frame (or at the caller's message bytes, borrowed for `'a`), all
    // live for the call with the lengths given. The kernel only reads through them and writes
    // `msg_len` of the headers.
    let sent = retry(|| unsafe {
        libc::sendmmsg(fd.as_raw_fd(), vec, n as c_uint, flags | libc::MSG_NOSIGNAL)
    })?;
    Ok(sent as usize)
}

/// Control buffer for one received message, aligned for `struct cmsghdr`.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct RecvControlSlot([mem::MaybeUninit<u8>; RECV_CMSG_SPACE]);

/// Receives up to [`MMSG_MAX`] messages (or message pieces, or notifications) in one system
/// call: `recvmmsg(fd, msgvec, vlen, flags, NULL)`, entry `i` into `bufs[i]` with its result in
/// `out[i]`.
///
/// Returns how many entries the kernel filled (at least one). On SCTP each entry is what one
/// [`recvmsg`](super::recvmsg) would return: at most one message or notification, with its own flags
/// (`MSG_EOR`, `MSG_NOTIFICATION`, `MSG_CTRUNC`) and ancillary data (`SCTP_RCVINFO`,
/// `SCTP_NXTINFO`, ...). A message larger than its entry's buffer comes back as a prefix
/// without `MSG_EOR`, and the next entry (or the next call) continues it. On a non-blocking
/// socket the call stops at the first entry that would block; a one-to-one socket at EOF
/// fills every entry with a zero-length result without flags.
///
/// The control buffers ([`RECV_CMSG_SPACE`] per entry) live on the stack: nothing is
/// allocated. The number of entries is the smallest of `bufs.len()`, `out.len()` and
/// [`MMSG_MAX`]. `EINTR` is retried.
///
/// # Errors
///
/// The error of the first entry (`EAGAIN`, `ENOTCONN`, ...), or `InvalidData` if an entry's
/// control data without `MSG_CTRUNC` does not parse. An error after the first entry is kept
/// by the kernel for the next receive on the socket.
pub fn recvmmsg(
    fd: BorrowedFd<'_>,
    bufs: &mut [IoSliceMut<'_>],
    out: &mut [RecvMsg],
    flags: c_int,
) -> io::Result<usize> {
    let n = bufs.len().min(out.len()).min(MMSG_MAX);
    // SAFETY: IoSliceMut is guaranteed ABI-compatible with `struct iovec` on Unix, and each
    // one covers writable memory borrowed mutably for the whole call.
    let iovs = unsafe { std::slice::from_raw_parts(bufs.as_mut_ptr().cast::<libc::iovec>(), n) };
    // SAFETY: as above: every iovec points to writable memory of its length.
    unsafe { recvmmsg_raw(fd, iovs, &mut out[..n], flags, true) }
}

/// [`recvmmsg`] over raw `iovec`s, one per entry, which may point to uninitialised memory
/// (the spare capacity of a buffer). With `names` false no `msg_name` is asked for and every
/// `from` is `None` (cheaper: the association id in `SCTP_RCVINFO` names the sender).
///
/// # Safety
///
/// Every `iovec` must point to memory writable for `iov_len` bytes for the duration of the
/// call, and not otherwise borrowed. After an `Ok(count)`, the first
/// `min(out[i].len, iovs[i].iov_len)` bytes behind `iovs[i]` (for `i < count`) are
/// initialised. Clamp before relying on it: SCTP never reports more than it copied, but on
/// other sockets `MSG_TRUNC` in `flags` makes `out[i].len` the full datagram length.
///
/// # Errors
///
/// As [`recvmmsg`].
pub unsafe fn recvmmsg_raw(
    fd: BorrowedFd<'_>,
    iovs: &[libc::iovec],
    out: &mut [RecvMsg],
    flags: c_int,
    names: bool,
) -> io::Result<usize> {
    use std::mem::MaybeUninit;
    let n = iovs.len().min(out.len()).min(MMSG_MAX);
    if n == 0 {
        return Ok(0);
    }
    let mut hdrs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; MMSG_MAX];
    let mut storage = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; MMSG_MAX];
    let mut controls = [RecvControlSlot([MaybeUninit::uninit(); RECV_CMSG_SPACE]); MMSG_MAX];
    // The kernel counts each message's CMSG_SPACE in `msg_controllen` but writes only its
    // CMSG_LEN: the alignment padding after a payload (4 bytes after SCTP_RCVINFO's 28) is
    // left as it was. Zero the slots in use so that every byte `msg_controllen` covers is
    // initialised when it is read as `&[u8]` below.
    for slot in &mut controls[..n] {
        slot.0.fill(MaybeUninit::new(0));
    }
    let count = retry(|| {
        for i in 0..n {
            // SAFETY: msghdr is a plain C struct; all-zero (null pointers, zero lengths) is
            // valid.
            let mut hdr: libc::msghdr = unsafe { mem::zeroed() };
            if names {
                // SAFETY: sockaddr_storage is a plain C struct; all-zero is valid. Zeroed so
                // that the bytes past what the kernel writes are initialised too.
                let st = storage[i].write(unsafe { mem::zeroed() });
                hdr.msg_name = (st as *mut libc::sockaddr_storage).cast();
                hdr.msg_namelen = size_of::<libc::sockaddr_storage>() as socklen_t;
            }
            hdr.msg_iov = (&iovs[i] as *const libc::iovec).cast_mut();
            hdr.msg_iovlen = 1;
            hdr.msg_control = controls[i].0.as_mut_ptr().cast();
            hdr.msg_controllen = RECV_CMSG_SPACE as _;
            hdrs[i].write(libc::mmsghdr {
                msg_hdr: hdr,
                msg_len: 0,
            });
        }
        // SAFETY: the first `n` headers are initialised and point at names and control
        // buffers of this frame and at the caller's iovecs (which the caller guarantees point
        // to writable memory); the kernel writes within the lengths given and updates the
        // lengths and flags in the headers. It does not write through `msg_iov` itself.
        unsafe {
            libc::recvmmsg(
                fd.as_raw_fd(),
                hdrs.as_mut_ptr().cast(),
                n as c_uint,
                flags,
                std::ptr::null_mut(),
            )
        }
    })? as usize;
    for (i, slot) in out.iter_mut().enumerate().take(count.min(n)) {
        // SAFETY: the kernel filled the first `count` headers (initialised above anyway).
        let hdr = unsafe { hdrs[i].assume_init_ref() };
        let msg = &hdr.msg_hdr;
        let from = if names && msg.msg_namelen > 0 {
            // SAFETY: initialised (zeroed) before the call whenever `names` is set; the kernel
            // wrote the address over it.
            let st = unsafe { storage[i].assume_init_ref() };
            socket_addr_from_raw(st, msg.msg_namelen).ok()
        } else {
            None
        };
        // `size_t` on glibc, `socklen_t` elsewhere.
        #[allow(clippy::unnecessary_cast)]
        let controllen = (msg.msg_controllen as usize).min(RECV_CMSG_SPACE);
        // SAFETY: the first `n` slots were zeroed before the call and the kernel wrote only
        // initialised bytes into them, so the first `controllen <= RECV_CMSG_SPACE` bytes of
        // this one (`i < count <= n`) are initialised, padding included.
        let control =
            unsafe { std::slice::from_raw_parts(controls[i].0.as_ptr().cast::<u8>(), controllen) };
        let cmsgs = decode_control(control, msg.msg_flags)?;
        *slot = RecvMsg {
            len: hdr.msg_len as usize,
            flags: msg.msg_flags,
            from,
            cmsgs,
        };
    }
    Ok(count.min(n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmsg::RecvCmsgs;

    #[test]
    fn batches_check_their_input_before_any_syscall() {
        // Not a socket: anything that reached the kernel would fail with ENOTSOCK.
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsFd::as_fd(&file);
        assert_eq!(
            sendmmsg(fd, [], 0).unwrap(),
            0,
            "nothing to send: no syscall"
        );
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let addrs = [a];
        let with_addrs = MmsgSend {
            data: b"x",
            to: None,
            cmsgs: SendCmsgs {
                dstaddrs: &addrs,
                ..SendCmsgs::default()
            },
        };
        let plain = MmsgSend {
            data: b"x",
            ..MmsgSend::default()
        };
        let e = sendmmsg(fd, [plain, with_addrs], 0).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let e = sendmmsg(fd, [plain], 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        // Every fixed message at once fits an entry's slot.
        let full = MmsgSend {
            cmsgs: SendCmsgs {
                init: Some(Default::default()),
                sndrcv: Some(Default::default()),
                sndinfo: Some(Default::default()),
                prinfo: Some(Default::default()),
                authinfo: Some(Default::default()),
                dstaddrs: &[],
            },
            ..plain
        };
        let e = sendmmsg(fd, [full; 70], 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));

        let mut b = [0u8; 4];
        let blank = RecvMsg {
            len: 0,
            flags: 0,
            from: None,
            cmsgs: RecvCmsgs::default(),
        };
        let mut out = [blank; 2];
        assert_eq!(recvmmsg(fd, &mut [], &mut out, 0).unwrap(), 0);
        let e = recvmmsg(fd, &mut [IoSliceMut::new(&mut b)], &mut out, 0).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }
}
