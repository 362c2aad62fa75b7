//! The raw `getsockopt(2)`/`setsockopt(2)` calls (`unsafe`: the caller vouches for the
//! option) that the typed options of [`crate::sockopt`] and the getsockopt-shaped libsctp
//! calls (peeloff) are built on.

use std::io;
use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, c_void, socklen_t};

use super::{einval, retry};
use crate::{Pod, SOL_SCTP};

// The typed, safe calls are in `crate::sockopt`, one audited table row per option. The raw
// calls below take any `T: Pod` and any option, so they cannot know what the kernel does with
// the buffer: they are `unsafe`, and their contract is the one every row of that table
// fulfils. Levels other than SOL_SCTP and SOL_SOCKET are refused before the syscall all the
// same, as a second fence: a few of their options carry user pointers the kernel writes
// through or maps memory at (TCP_ZEROCOPY_RECEIVE, XDP_UMEM_REG, netfilter's
// *_SO_SET_REPLACE at SOL_IP/SOL_IPV6).

fn optlen_of(len: usize) -> io::Result<socklen_t> {
    socklen_t::try_from(len).map_err(|_| einval("socket option value too large"))
}

/// The levels the generic option functions accept.
fn check_level(level: c_int) -> io::Result<()> {
    if level == SOL_SCTP || level == libc::SOL_SOCKET {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "linux_sctp_sys::ops socket options take level SOL_SCTP or SOL_SOCKET, not {level} \
                 (options of other levels may carry pointers the kernel writes through: use \
                 libc or socket2 for them)"
            ),
        ))
    }
}

/// `getsockopt(fd, level, optname, val, &len)` with `len` in and out; returns the syscall's
/// result and `len`.
///
/// # Safety
///
/// `val` is valid for reads and writes of `len` bytes, and for this option the kernel touches
/// no user memory but those bytes.
pub(super) unsafe fn raw_getsockopt(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: *mut c_void,
    len: socklen_t,
) -> io::Result<(c_int, socklen_t)> {
    check_level(level)?;
    let mut optlen = len;
    let rc = retry(|| {
        optlen = len;
        // SAFETY: the caller guarantees `val` is valid for `len` bytes and that the option
        // touches nothing else; `optlen` is a live local.
        unsafe { libc::getsockopt(fd.as_raw_fd(), level, optname, val, &mut optlen) }
    })?;
    Ok((rc, optlen))
}

/// Reads a socket option of type `T`: `getsockopt(fd, level, optname, &val, sizeof(T))`.
///
/// Levels other than `SOL_SCTP` and `SOL_SOCKET` are refused with `InvalidInput` before the
/// syscall, as a second fence: a few of their options hold a user-space address the kernel
/// writes through or maps memory at (`TCP_ZEROCOPY_RECEIVE`, `XDP_UMEM_REG`, netfilter's
/// `*_SO_SET_REPLACE`).
///
/// # Safety
///
/// For option `optname` at `level`, the kernel's handler must touch no user memory but the
/// buffer given (at most `size_of::<T>()` bytes), and `T` must be a type the kernel's bytes
/// are a valid value of (`Pod` ensures that). Options that hold a pointer the kernel writes
/// through or that create descriptors violate this. Every row of [`crate::sockopt`] is an
/// option that fulfils it: prefer its typed calls.
///
/// # Errors
///
/// The `getsockopt(2)` error (`ENOPROTOOPT` for an option this kernel does not know, `EINVAL`
/// for a wrong size or an unknown association, ...), or `InvalidData` if the kernel returned
/// fewer than `size_of::<T>()` bytes: a short read means the running kernel's struct is not
/// the one `T` describes. Use [`getsockopt_bytes`] for options whose length varies.
pub unsafe fn getsockopt<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
) -> io::Result<T> {
    let mut val = T::zeroed();
    // SAFETY: the caller's contract is this function's.
    let len = unsafe { getsockopt_inout(fd, level, optname, &mut val)? };
    if (len as usize) < size_of::<T>() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "getsockopt({level}, {optname}) returned {len} bytes, expected {}",
                size_of::<T>()
            ),
        ));
    }
    Ok(val)
}

/// Reads a socket option whose buffer is also an input: the association id or address that
/// most SCTP options take in their first fields. `val` goes to the kernel as it is and comes
/// back filled; the return value is the length the kernel reported.
///
/// When that length is shorter than `size_of::<T>()` the kernel filled only a prefix, and the
/// bytes after it keep the values they had on input (SCTP_EVENTS on an older kernel, for
/// example); the kernel never reports more than it was given.
///
/// The same levels only as [`getsockopt`] (see there).
///
/// # Safety
///
/// For option `optname` at `level`, the kernel's handler must touch no user memory but the
/// buffer given (at most `size_of::<T>()` bytes), and `T` must be a type the kernel's bytes
/// are a valid value of (`Pod` ensures that). Options that hold a pointer the kernel writes
/// through or that create descriptors violate this. Every row of [`crate::sockopt`] is an
/// option that fulfils it: prefer its typed calls.
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub unsafe fn getsockopt_inout<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: &mut T,
) -> io::Result<socklen_t> {
    let len = optlen_of(size_of::<T>())?;
    // SAFETY: `val` is a live `T`, valid for `len` bytes; the caller vouches for the option.
    let (_, optlen) = unsafe { raw_getsockopt(fd, level, optname, (val as *mut T).cast(), len)? };
    Ok(optlen.min(len))
}

/// Sets a socket option of type `T`: `setsockopt(fd, level, optname, val, sizeof(T))`.
///
/// Levels other than `SOL_SCTP` and `SOL_SOCKET` are refused with `InvalidInput` before the
/// syscall, as a second fence: a few of their options hold a user-space address the kernel
/// writes through or maps memory at (`TCP_ZEROCOPY_RECEIVE`, `XDP_UMEM_REG`, netfilter's
/// `*_SO_SET_REPLACE`).
///
/// # Safety
///
/// For option `optname` at `level`, the kernel's handler must touch no user memory but the
/// buffer given (at most `size_of::<T>()` bytes), and `T` must be a type the kernel's bytes
/// are a valid value of (`Pod` ensures that). Options that hold a pointer the kernel writes
/// through or that create descriptors violate this. Every row of [`crate::sockopt`] is an
/// option that fulfils it: prefer its typed calls.
///
/// # Errors
///
/// The `setsockopt(2)` error: `ENOPROTOOPT` for an unknown option, `EINVAL` for a bad value or
/// size, `EACCES`/`EPERM` for features the kernel has switched off (AUTH, ASCONF), ...
pub unsafe fn setsockopt<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: &T,
) -> io::Result<()> {
    check_level(level)?;
    let len = optlen_of(size_of::<T>())?;
    // SAFETY: `val` is a live `T`, readable for size_of::<T>() bytes; the caller guarantees
    // that the kernel only reads it for this option.
    retry(|| unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            optname,
            (val as *const T).cast(),
            len,
        )
    })?;
    Ok(())
}

/// Reads a socket option into `buf` (which is also the input, for options that take one) and
/// returns the number of bytes the kernel reported.
///
/// The same levels only as [`getsockopt`] (see there).
///
/// # Safety
///
/// For option `optname` at `level`, the kernel's handler must touch no user memory but the
/// buffer given (`buf`, within its length). Options that hold a pointer the kernel writes
/// through or that create descriptors violate this. Every row of [`crate::sockopt`] is an
/// option that fulfils it: prefer its typed calls.
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub unsafe fn getsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &mut [u8],
) -> io::Result<usize> {
    let len = optlen_of(buf.len())?;
    // SAFETY: `buf` is valid for `len` bytes; the caller vouches for the option.
    let (_, optlen) = unsafe { raw_getsockopt(fd, level, optname, buf.as_mut_ptr().cast(), len)? };
    Ok((optlen as usize).min(buf.len()))
}

/// Sets a socket option from raw bytes (variable-length structs such as `sctp_authkey` or
/// `sctp_reset_streams`).
///
/// The same levels only as [`setsockopt`] (see there).
///
/// # Safety
///
/// For option `optname` at `level`, the kernel's handler must touch no user memory but the
/// buffer given (`buf`, within its length). Options that hold a pointer the kernel writes
/// through or that create descriptors violate this. Every row of [`crate::sockopt`] is an
/// option that fulfils it: prefer its typed calls.
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub unsafe fn setsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &[u8],
) -> io::Result<()> {
    check_level(level)?;
    let len = optlen_of(buf.len())?;
    // SAFETY: `buf` is readable for `len` bytes; the caller guarantees that the kernel only
    // reads it for this option.
    retry(|| unsafe {
        libc::setsockopt(fd.as_raw_fd(), level, optname, buf.as_ptr().cast(), len)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_levels_are_refused_before_the_syscall() {
        // A descriptor that is not even a socket: a refusal that reached the kernel would be
        // ENOTSOCK, so InvalidInput without an errno proves nothing was called.
        let file = std::fs::File::open("/dev/null").unwrap();
        let fd = std::os::fd::AsFd::as_fd(&file);
        for level in [
            libc::SOL_IP,
            libc::SOL_IPV6,
            libc::SOL_TCP,
            283, /* SOL_XDP */
        ] {
            // SAFETY: none of these calls reaches the kernel (the level check comes first),
            // and the fd is not a socket anyway.
            let errs = unsafe {
                [
                    getsockopt::<c_int>(fd, level, 1).unwrap_err(),
                    getsockopt_bytes(fd, level, 1, &mut [0; 8]).unwrap_err(),
                    setsockopt(fd, level, 1, &1i32).unwrap_err(),
                    setsockopt_bytes(fd, level, 1, &[0; 4]).unwrap_err(),
                ]
            };
            for e in errs {
                assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "level {level}: {e}");
                assert_eq!(e.raw_os_error(), None);
            }
        }
        // The two allowed levels do reach the kernel.
        // SAFETY: SCTP_NODELAY and SO_TYPE write one int; the fd is not a socket anyway.
        let e = unsafe { getsockopt::<c_int>(fd, SOL_SCTP, crate::SCTP_NODELAY) }.unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        // SAFETY: as above.
        let e = unsafe { getsockopt::<c_int>(fd, libc::SOL_SOCKET, libc::SO_TYPE) }.unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }
}
