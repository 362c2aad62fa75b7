//! Socket options: the raw `getsockopt(2)`/`setsockopt(2)` calls every typed option and
//! every getsockopt-shaped libsctp call (peeloff, connectx, getpaddrs) is built on.

use std::io;
use std::mem::size_of;
use std::os::fd::{AsRawFd, BorrowedFd};

use libc::{c_int, c_void, socklen_t};

use super::{einval, retry};
use crate::{Pod, SOL_SCTP};

// ---------------------------------------------------------------------------------------
// Socket options
// ---------------------------------------------------------------------------------------
//
// The generic option functions below are safe because the options they are for (SOL_SCTP and
// SOL_SOCKET) only make the kernel read and write the option buffer itself (or, for
// SCTP_SOCKOPT_CONNECTX3, read the list its pointer names). A few options of other protocols
// carry user pointers the kernel *writes* through or maps memory at (TCP_ZEROCOPY_RECEIVE,
// XDP_UMEM_REG, netfilter's *_SO_SET_REPLACE at SOL_IP/SOL_IPV6), so every level other than
// those two is refused before the syscall: that is what keeps these functions safe.

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

/// `getsockopt(fd, level, optname, val, &len)` with `len` in and out; returns `len`.
pub(super) fn raw_getsockopt(
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
        // SAFETY: the caller passes `val` valid for writes of `len` bytes (and initialised
        // input where the option reads it); `optlen` is a live local; the kernel writes at
        // most `len` bytes to `val`, and nowhere else for the options the public callers are
        // documented for.
        unsafe { libc::getsockopt(fd.as_raw_fd(), level, optname, val, &mut optlen) }
    })?;
    Ok((rc, optlen))
}

/// Reads a socket option of type `T`: `getsockopt(fd, level, optname, &val, sizeof(T))`.
///
/// For `SOL_SCTP` and `SOL_SOCKET` options only: other levels are refused with
/// `InvalidInput` before the syscall, because a few of their options hold a user-space
/// address the kernel writes through or maps memory at (`TCP_ZEROCOPY_RECEIVE`,
/// `XDP_UMEM_REG`, netfilter's `*_SO_SET_REPLACE`), which a safe function cannot allow.
///
/// # Errors
///
/// The `getsockopt(2)` error (`ENOPROTOOPT` for an option this kernel does not know, `EINVAL`
/// for a wrong size or an unknown association, ...), or `InvalidData` if the kernel returned
/// fewer than `size_of::<T>()` bytes: a short read means the running kernel's struct is not
/// the one `T` describes. Use [`getsockopt_bytes`] for options whose length varies.
pub fn getsockopt<T: Pod>(fd: BorrowedFd<'_>, level: c_int, optname: c_int) -> io::Result<T> {
    let mut val = T::zeroed();
    let len = getsockopt_inout(fd, level, optname, &mut val)?;
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
/// The same options only as [`getsockopt`] (see there).
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub fn getsockopt_inout<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: &mut T,
) -> io::Result<socklen_t> {
    let len = optlen_of(size_of::<T>())?;
    let (_, optlen) = raw_getsockopt(fd, level, optname, (val as *mut T).cast(), len)?;
    Ok(optlen.min(len))
}

/// Sets a socket option of type `T`: `setsockopt(fd, level, optname, val, sizeof(T))`.
///
/// For `SOL_SCTP` and `SOL_SOCKET` options only: other levels are refused with
/// `InvalidInput` before the syscall, because a few of their options hold a user-space
/// address the kernel writes through or maps memory at (`TCP_ZEROCOPY_RECEIVE`,
/// `XDP_UMEM_REG`, netfilter's `*_SO_SET_REPLACE`), which a safe function cannot allow.
///
/// # Errors
///
/// The `setsockopt(2)` error: `ENOPROTOOPT` for an unknown option, `EINVAL` for a bad value or
/// size, `EACCES`/`EPERM` for features the kernel has switched off (AUTH, ASCONF), ...
pub fn setsockopt<T: Pod>(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    val: &T,
) -> io::Result<()> {
    check_level(level)?;
    let len = optlen_of(size_of::<T>())?;
    // SAFETY: `val` is a live `T`, readable for size_of::<T>() bytes; at the two levels
    // `check_level` lets through, the kernel only reads it.
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
/// The same options only as [`getsockopt`] (see there).
///
/// # Errors
///
/// The `getsockopt(2)` error.
pub fn getsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &mut [u8],
) -> io::Result<usize> {
    let len = optlen_of(buf.len())?;
    let (_, optlen) = raw_getsockopt(fd, level, optname, buf.as_mut_ptr().cast(), len)?;
    Ok((optlen as usize).min(buf.len()))
}

/// Sets a socket option from raw bytes (variable-length structs such as `sctp_authkey` or
/// `sctp_reset_streams`).
///
/// The same options only as [`setsockopt`] (see there).
///
/// # Errors
///
/// The `setsockopt(2)` error.
pub fn setsockopt_bytes(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &[u8],
) -> io::Result<()> {
    setsockopt_bytes_rc(fd, level, optname, buf).map(drop)
}

/// [`setsockopt_bytes`] returning the (non-negative) return value, which is meaningful for
/// `SCTP_SOCKOPT_CONNECTX`.
fn setsockopt_bytes_rc(
    fd: BorrowedFd<'_>,
    level: c_int,
    optname: c_int,
    buf: &[u8],
) -> io::Result<c_int> {
    check_level(level)?;
    let len = optlen_of(buf.len())?;
    // SAFETY: `buf` is readable for `len` bytes; at the two levels `check_level` lets
    // through, the kernel only reads it.
    retry(|| unsafe { libc::setsockopt(fd.as_raw_fd(), level, optname, buf.as_ptr().cast(), len) })
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
            let errs = [
                getsockopt::<c_int>(fd, level, 1).unwrap_err(),
                getsockopt_bytes(fd, level, 1, &mut [0; 8]).unwrap_err(),
                setsockopt(fd, level, 1, &1i32).unwrap_err(),
                setsockopt_bytes(fd, level, 1, &[0; 4]).unwrap_err(),
            ];
            for e in errs {
                assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "level {level}: {e}");
                assert_eq!(e.raw_os_error(), None);
            }
        }
        // The two allowed levels do reach the kernel.
        let e = getsockopt::<c_int>(fd, SOL_SCTP, crate::SCTP_NODELAY).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        let e = getsockopt::<c_int>(fd, libc::SOL_SOCKET, libc::SO_TYPE).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }
}
