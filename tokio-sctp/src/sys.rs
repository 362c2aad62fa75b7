//! The only module of this crate with `unsafe` code. Every syscall is in
//! `linux_sctp_sys::ops`; what stays here is what needs `unsafe` on this crate's side:
//!
//! * registering an owned socket with tokio's reactor ([`register`]): `AsyncFd::register` is
//!   `unsafe` because tokio cannot check that the descriptor stays open and unchanged;
//! * committing the bytes a receive wrote into the spare (uninitialised) capacity of the
//!   reassembly buffer (`BytesMut::set_len`), so that a received message costs no zeroing and
//!   no copy: one message with `recvmsg` ([`recv_into_spare`]), or a batch with `recvmmsg` into
//!   consecutive windows of the same spare capacity ([`recvmmsg_into`]), each entry handed out
//!   as its own piece of the block. Bytes are committed only together with what the kernel
//!   said about them: a receive that fails, or whose control messages do not decode, commits
//!   nothing.
#![allow(unsafe_code)]

use std::io;
use std::mem::MaybeUninit;
use std::os::fd::{BorrowedFd, OwnedFd};

use bytes::BytesMut;
use linux_sctp_sys::cmsg::RecvCmsgs;
use linux_sctp_sys::ops::{self, RecvMsg};
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

/// One `recvmsg(2)` (`ops::recvmsg_uninit`) into the spare capacity of `buf`, reading at most
/// `max` bytes; the bytes received are appended to `buf`.
///
/// The caller reserves capacity first; with no spare capacity this reads zero bytes, which the
/// caller must not confuse with end-of-file. `EINTR` is retried.
pub(crate) fn recv_into_spare(
    fd: BorrowedFd<'_>,
    buf: &mut BytesMut,
    max: usize,
) -> io::Result<RecvMsg> {
    // SAFETY: `recvmsg_uninit` initialises the first `m.len` bytes of the slice it is given,
    // and `m.len` is at most its length.
    unsafe { commit_with(buf, max, |spare| ops::recvmsg_uninit(fd, spare, 0)) }
}

/// Runs `read` on at most `max` bytes of `buf`'s spare capacity and, once it returned `Ok`,
/// appends the bytes it reports to `buf`. A read that fails (its syscall, or the decoding of
/// its control messages) commits nothing, so no byte of it can be glued to the message in
/// progress.
///
/// # Safety
///
/// When `read` returns `Ok(m)`, it must have initialised the first `m.len` bytes of the slice
/// it was given (`m.len` is clamped to that slice).
unsafe fn commit_with(
    buf: &mut BytesMut,
    max: usize,
    read: impl FnOnce(&mut [MaybeUninit<u8>]) -> io::Result<RecvMsg>,
) -> io::Result<RecvMsg> {
    let spare = buf.spare_capacity_mut();
    let want = spare.len().min(max);
    let m = read(&mut spare[..want])?;
    let len = m.len.min(want);
    // SAFETY: the caller promises `len` initialised bytes right after the buffer's length.
    unsafe { buf.set_len(buf.len() + len) };
    Ok(RecvMsg { len, ..m })
}

/// Most entries of one [`recvmmsg_into`].
pub(crate) const BATCH_MAX: usize = ops::MMSG_MAX;

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
    mut each: impl FnMut(BytesMut, &RecvMsg),
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
    let blank = RecvMsg {
        len: 0,
        flags: 0,
        from: None,
        cmsgs: RecvCmsgs::default(),
    };
    let mut msgs = [blank; BATCH_MAX];
    // SAFETY: the first `n` iovecs cover consecutive, disjoint windows of `region`'s spare
    // capacity (`at <= room` bytes in all), which `region` owns and nothing else borrows
    // during the call; the kernel only writes there.
    let count = unsafe { ops::recvmmsg_raw(fd, &iovs[..n], &mut msgs[..n], 0, false)? };
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
        each(piece, &RecvMsg { len, ..msgs[i] });
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_that_fails_commits_nothing() {
        let mut buf = BytesMut::with_capacity(64);
        buf.extend_from_slice(b"head");
        // As `recvmsg_uninit` does when the control messages do not decode: the kernel wrote
        // the bytes, the call fails.
        let write_then_fail = |spare: &mut [MaybeUninit<u8>]| {
            for (slot, b) in spare.iter_mut().zip(b"piece") {
                slot.write(*b);
            }
            Err(io::Error::from(io::ErrorKind::InvalidData))
        };
        // SAFETY: the closure reports no bytes.
        let e = unsafe { commit_with(&mut buf, 64, write_then_fail) }.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            &buf[..],
            b"head",
            "the piece must not be glued to the message"
        );
        let succeed = |spare: &mut [MaybeUninit<u8>]| {
            for (slot, b) in spare.iter_mut().zip(b"piece") {
                slot.write(*b);
            }
            Ok(RecvMsg {
                len: 5,
                flags: libc::MSG_EOR,
                from: None,
                cmsgs: RecvCmsgs::default(),
            })
        };
        // SAFETY: the closure wrote the 5 bytes it reports.
        let m = unsafe { commit_with(&mut buf, 64, succeed) }.unwrap();
        assert_eq!((m.len, m.is_eor()), (5, true));
        assert_eq!(&buf[..], b"headpiece");
    }
}

/// `setns(2)` and `ioctl(NS_GET_NSTYPE)` for [`crate::netns`]: self-contained, nothing above
/// uses them.
pub(crate) mod namespace {
    use std::io;
    use std::os::fd::{AsRawFd, BorrowedFd};

    /// `_IO(0xb7, 0x3)` of `linux/nsfs.h` (Linux 4.11), spelled out because older `libc`
    /// releases lack it.
    const NS_GET_NSTYPE: u64 = 0xb703;

    /// `setns(ns, CLONE_NEWNET)`: moves the calling thread, and only it, into the network
    /// namespace that `ns` refers to.
    pub(crate) fn enter_net(ns: BorrowedFd<'_>) -> io::Result<()> {
        // SAFETY: setns(2) takes a descriptor and a flag, no pointers; `ns` is a valid
        // borrowed descriptor. It changes only the calling thread's network namespace, which
        // the caller (a thread made for the purpose) owns.
        if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// `ioctl(ns, NS_GET_NSTYPE)`: the `CLONE_NEW*` flag of the namespace that `ns` refers to
    /// (`ENOTTY` when it is not a namespace file).
    pub(crate) fn kind(ns: BorrowedFd<'_>) -> io::Result<libc::c_int> {
        // SAFETY: NS_GET_NSTYPE takes no argument and writes no memory; `ns` is a valid
        // borrowed descriptor.
        let rc = unsafe { libc::ioctl(ns.as_raw_fd(), NS_GET_NSTYPE as _) };
        if rc >= 0 {
            Ok(rc)
        } else {
            Err(io::Error::last_os_error())
        }
    }
}
