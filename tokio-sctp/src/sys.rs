//! The only module of this crate with `unsafe` code.
//!
//! Three things need it:
//!
//! * registering an owned socket with tokio's reactor ([`register`]): `AsyncFd::register` is
//!   `unsafe` because tokio cannot check that the descriptor stays open and unchanged;
//! * receiving straight into the spare (uninitialised) capacity of the reassembly buffer
//!   ([`recvmsg_into`]), so that a received message costs no zeroing and no copy; its bytes
//!   are committed to the buffer only once its control messages decoded;
//! * receiving a batch of messages with `recvmmsg(2)` straight into consecutive windows of the
//!   same spare capacity ([`recvmmsg_into`]), each entry handed out as its own piece of the
//!   block without a copy;
//! * `accept4(2)` with `SOCK_NONBLOCK | SOCK_CLOEXEC` ([`accept`]), which hands back a new
//!   descriptor that we take ownership of.
//!
//! Everything else (socket options, bindx, connectx, peeloff, sendmsg) goes through the safe
//! functions of `linux_sctp_sys::ops`.
#![allow(unsafe_code)]

use std::io;
use std::mem::{self, MaybeUninit};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use bytes::BytesMut;
use linux_sctp_sys::cmsg::{self, RecvCmsgs, RECV_CMSG_SPACE};
use tokio::io::unix::AsyncFd;

/// Registers `fd` with the current tokio reactor for read and write readiness.
///
/// `fd` must already be non-blocking.
///
/// # Panics
///
/// Panics if called outside a tokio runtime (as `AsyncFd::register` does).
pub(crate) fn register(fd: OwnedFd) -> io::Result<AsyncFd<OwnedFd>> {
    // SAFETY: `OwnedFd` owns an open descriptor and closes it only when dropped; the `AsyncFd`
    // takes ownership of the `OwnedFd`, so the descriptor stays open and refers to the same open
    // file description for the whole life of the `AsyncFd`, and `OwnedFd::as_raw_fd` always
    // returns that same number. Nothing in this crate exposes `AsyncFd::get_mut` to users.
    unsafe { AsyncFd::register(fd) }.map_err(|e| e.into_parts().1)
}

/// Control-message space for a receive, aligned for `cmsghdr`, kept by the socket across
/// reads. Zeroed once when made: the kernel counts the alignment padding after a control
/// message in `msg_controllen` without writing it, and those bytes must be initialised before
/// they are viewed as `&[u8]`; reusing the buffer keeps them so without zeroing per read.
#[repr(C, align(8))]
pub(crate) struct RecvControl([u8; RECV_CMSG_SPACE]);

impl Default for RecvControl {
    fn default() -> Self {
        RecvControl([0; RECV_CMSG_SPACE])
    }
}

impl std::fmt::Debug for RecvControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecvControl")
    }
}

/// What one `recvmsg(2)` returned.
#[derive(Debug)]
pub(crate) struct RawRecv {
    /// Bytes appended to the buffer.
    pub(crate) len: usize,
    /// `msg_flags` (`MSG_EOR`, `MSG_NOTIFICATION`, `MSG_CTRUNC`).
    pub(crate) flags: libc::c_int,
    /// The decoded SCTP ancillary data (RCVINFO, NXTINFO, SNDRCV).
    pub(crate) cmsgs: RecvCmsgs,
}

impl RawRecv {
    /// `MSG_EOR`: this read ended a message (or a notification).
    pub(crate) fn is_eor(&self) -> bool {
        self.flags & libc::MSG_EOR != 0
    }

    /// `MSG_NOTIFICATION`: the bytes are (part of) a notification, not user data.
    pub(crate) fn is_notification(&self) -> bool {
        self.flags & linux_sctp_sys::MSG_NOTIFICATION != 0
    }
}

/// One `recvmsg(2)` into the spare capacity of `buf`, reading at most `max` bytes, with
/// `control` for the ancillary data.
///
/// On success the received bytes are appended to `buf` (its length grows by `len`). On any
/// failure, the call's or the decoding of its control messages, `buf` is unchanged: bytes are
/// committed only together with what the kernel said about them. The caller reserves
/// capacity first; with no spare capacity this reads zero bytes, which the caller must not
/// confuse with end-of-file. `EINTR` is retried.
pub(crate) fn recvmsg_into(
    fd: BorrowedFd<'_>,
    buf: &mut BytesMut,
    max: usize,
    control: &mut RecvControl,
) -> io::Result<RawRecv> {
    let spare = buf.spare_capacity_mut();
    let want = spare.len().min(max);
    let mut iov = libc::iovec {
        iov_base: spare.as_mut_ptr().cast(),
        iov_len: want,
    };
    // SAFETY: `msghdr` is a plain C struct for which all-zero is a valid value (null pointers,
    // zero lengths). No `msg_name`: the association id in `SCTP_RCVINFO` identifies the
    // sender, and skipping the address saves its conversion on every message.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.0.as_mut_ptr().cast();
    msg.msg_controllen = RECV_CMSG_SPACE as _;
    let n = loop {
        // SAFETY: every pointer in `msg` points to live memory of the stated length that
        // outlives the call: `iov` covers `want` bytes of `buf`'s spare capacity (the kernel
        // only writes there, never reads) and `control` has `RECV_CMSG_SPACE` bytes. `fd` is
        // a valid borrowed descriptor.
        let n = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, 0) };
        if n >= 0 {
            break n as usize;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    };
    debug_assert!(n <= want);
    let controllen = (msg.msg_controllen as usize).min(RECV_CMSG_SPACE);
    // SAFETY: the kernel wrote `n.min(want) <= spare.len()` bytes at the start of the spare
    // capacity.
    unsafe { commit(buf, n.min(want), msg.msg_flags, &control.0[..controllen]) }
}

/// Decodes `control` and only then appends the first `n` bytes of `buf`'s spare capacity
/// to it: a read whose control messages do not decode commits nothing.
///
/// # Safety
///
/// The first `n` bytes of `buf`'s spare capacity must be initialised.
unsafe fn commit(
    buf: &mut BytesMut,
    n: usize,
    flags: libc::c_int,
    control: &[u8],
) -> io::Result<RawRecv> {
    let cmsgs = if flags & libc::MSG_CTRUNC != 0 {
        cmsg::decode_truncated(control)
    } else {
        cmsg::decode(control)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?
    };
    // SAFETY: the caller promises `n` initialised bytes right after the buffer's length.
    unsafe { buf.set_len(buf.len() + n) };
    Ok(RawRecv {
        len: n,
        flags,
        cmsgs,
    })
}

/// Most entries of one [`recvmmsg_into`].
pub(crate) const BATCH_MAX: usize = linux_sctp_sys::ops::MMSG_MAX;

/// One `recvmmsg(2)` into the spare capacity of `region`, which must be empty: entry `i`
/// reads at most `windows[i]` bytes into a window laid right after entry `i - 1`'s.
///
/// For every entry the kernel filled, in order, `each` gets the bytes as a `BytesMut` split
/// off the front of `region` (no copy) and what the kernel said about them. The unused end
/// of each window but the last is dropped (its memory comes back with the block); on return
/// `region` starts right after the last entry's bytes. Returns the number of entries.
/// `EINTR` is retried.
///
/// # Errors
///
/// The `recvmmsg` error (nothing was received: `region` is untouched), or `InvalidInput`
/// if `region` is not empty.
pub(crate) fn recvmmsg_into(
    fd: BorrowedFd<'_>,
    region: &mut BytesMut,
    windows: &[usize],
    mut each: impl FnMut(BytesMut, &RawRecv),
) -> io::Result<usize> {
    if !region.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "recvmmsg_into: the region must be empty",
        ));
    }
    let spare = region.spare_capacity_mut();
    let base = spare.as_mut_ptr();
    let room = spare.len();
    let mut iovs = [libc::iovec {
        iov_base: std::ptr::null_mut(),
        iov_len: 0,
    }; BATCH_MAX];
    let mut lens = [0usize; BATCH_MAX];
    let mut at = 0;
    let mut n = 0;
    for &w in windows.iter().take(BATCH_MAX) {
        let w = w.min(room - at);
        if w == 0 {
            break;
        }
        iovs[n] = libc::iovec {
            // `at < room`: inside the spare capacity.
            iov_base: base.wrapping_add(at).cast(),
            iov_len: w,
        };
        lens[n] = w;
        at += w;
        n += 1;
    }
    let blank = linux_sctp_sys::ops::RecvMsg {
        len: 0,
        flags: 0,
        from: None,
        cmsgs: RecvCmsgs::default(),
    };
    let mut msgs = [blank; BATCH_MAX];
    // SAFETY: the first `n` iovecs cover consecutive, disjoint windows of `region`'s spare
    // capacity (`at <= room` bytes in all), which `region` owns and nothing else borrows
    // during the call; the kernel only writes there.
    let count =
        unsafe { linux_sctp_sys::ops::recvmmsg_raw(fd, &iovs[..n], &mut msgs[..n], 0, false)? };
    for i in 0..count {
        let len = msgs[i].len.min(lens[i]);
        // SAFETY: `region` is empty and starts at window `i` (the windows before it were
        // split off), and the kernel initialised the first `len <= lens[i]` bytes of it.
        unsafe { region.set_len(len) };
        let piece = region.split_to(len);
        if i + 1 < count {
            // Skip the unused end of this window: the next entry's bytes start after it.
            *region = region.split_off(lens[i] - len);
        }
        let raw = RawRecv {
            len,
            flags: msgs[i].flags,
            cmsgs: msgs[i].cmsgs,
        };
        each(piece, &raw);
    }
    Ok(count)
}

/// `accept4(2)` with `SOCK_NONBLOCK | SOCK_CLOEXEC`; `EINTR` is retried.
pub(crate) fn accept(fd: BorrowedFd<'_>) -> io::Result<(OwnedFd, Option<SocketAddr>)> {
    let mut storage = MaybeUninit::<libc::sockaddr_storage>::zeroed();
    loop {
        let mut len = mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        // SAFETY: `storage` is a writable `sockaddr_storage` and `len` holds its size; `fd` is a
        // valid borrowed descriptor.
        let new = unsafe {
            libc::accept4(
                fd.as_raw_fd(),
                storage.as_mut_ptr().cast(),
                &mut len,
                libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            )
        };
        if new >= 0 {
            // SAFETY: `accept4` returned a new descriptor that nothing else owns.
            let owned = unsafe { OwnedFd::from_raw_fd(new) };
            // SAFETY: zero-initialised, possibly overwritten by the kernel; every byte pattern
            // is a valid `sockaddr_storage`.
            let storage = unsafe { storage.assume_init_ref() };
            let peer = linux_sctp_sys::addr::socket_addr_from_raw(storage, len).ok();
            return Ok((owned, peer));
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_whose_control_messages_do_not_decode_commits_nothing() {
        let mut buf = BytesMut::with_capacity(64);
        buf.extend_from_slice(b"head");
        for (slot, b) in buf.spare_capacity_mut().iter_mut().zip(b"piece") {
            slot.write(*b);
        }
        // A `cmsghdr` that claims more bytes than the control buffer holds.
        let mut control = [0u8; 24];
        control[..mem::size_of::<usize>()].copy_from_slice(&64usize.to_ne_bytes());
        // SAFETY: the first 5 bytes of the spare capacity were written above.
        let e = unsafe { commit(&mut buf, 5, libc::MSG_EOR, &control) }.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            &buf[..],
            b"head",
            "the piece must not be glued to the message"
        );
        // SAFETY: as above, the bytes are still there.
        let r = unsafe { commit(&mut buf, 5, libc::MSG_EOR, &[]) }.unwrap();
        assert_eq!((r.len, r.is_eor()), (5, true));
        assert_eq!(&buf[..], b"headpiece");
    }
}
