//! Everything `unsafe` in the shim: the exported `socket`, `setsockopt` and `getsockopt` the
//! dynamic linker binds the program's calls to, the lookup of the C library's own functions
//! (`dlsym(RTLD_NEXT)`), and the calls through them.
//!
//! Every export runs its body under `catch_unwind` (no panic is expected; kernel structs are
//! read through `linux_sctp_sys`'s layout-tested types) and, should one ever happen, does
//! what the C library would have done with the original arguments: nothing unwinds into C.
//! The shim's own option calls go straight to the C library's functions, never back through
//! these exports.

use std::ffi::{c_void, CStr};
use std::io::Write;
use std::mem::{size_of, transmute};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use libc::{c_int, socklen_t};
use linux_sctp_sys::{
    sctp_assoc_value, sctp_assocparams, sctp_paddrparams, Pod, SCTP_ASSOCINFO, SCTP_MAXSEG,
    SCTP_NODELAY, SCTP_PEER_ADDR_PARAMS, SOL_SCTP, SPP_HB_ENABLE,
};

use crate::TcpOption;

type SocketFn = unsafe extern "C" fn(c_int, c_int, c_int) -> c_int;
type SetsockoptFn = unsafe extern "C" fn(c_int, c_int, c_int, *const c_void, socklen_t) -> c_int;
type GetsockoptFn = unsafe extern "C" fn(c_int, c_int, c_int, *mut c_void, *mut socklen_t) -> c_int;

/// The address of one C library function, looked up once.
struct Real {
    name: &'static CStr,
    addr: AtomicUsize,
}

impl Real {
    const fn new(name: &'static CStr) -> Real {
        Real {
            name,
            addr: AtomicUsize::new(0),
        }
    }

    /// The function's address: the next definition after this library (`RTLD_NEXT`), else
    /// the global one, never `own` (this library's export of the same name).
    fn addr(&self, own: usize) -> Option<usize> {
        let cached = self.addr.load(Ordering::Relaxed);
        if cached != 0 {
            return Some(cached);
        }
        for handle in [libc::RTLD_NEXT, libc::RTLD_DEFAULT] {
            // SAFETY: dlsym reads the NUL-terminated name and returns an address or null; both
            // handles are the pseudo-handles glibc defines for exactly this use.
            let found = unsafe { libc::dlsym(handle, self.name.as_ptr()) } as usize;
            if found != 0 && found != own {
                // Racing threads store the same address.
                self.addr.store(found, Ordering::Relaxed);
                return Some(found);
            }
        }
        None
    }
}

static REAL_SOCKET: Real = Real::new(c"socket");
static REAL_SETSOCKOPT: Real = Real::new(c"setsockopt");
static REAL_GETSOCKOPT: Real = Real::new(c"getsockopt");

fn real_socket() -> Option<SocketFn> {
    let addr = REAL_SOCKET.addr(socket as SocketFn as usize)?;
    // SAFETY: `addr` is the C library's `socket`, whose C signature is `SocketFn`.
    Some(unsafe { transmute::<usize, SocketFn>(addr) })
}

fn real_setsockopt() -> Option<SetsockoptFn> {
    let addr = REAL_SETSOCKOPT.addr(setsockopt as SetsockoptFn as usize)?;
    // SAFETY: `addr` is the C library's `setsockopt`, whose C signature is `SetsockoptFn`.
    Some(unsafe { transmute::<usize, SetsockoptFn>(addr) })
}

fn real_getsockopt() -> Option<GetsockoptFn> {
    let addr = REAL_GETSOCKOPT.addr(getsockopt as GetsockoptFn as usize)?;
    // SAFETY: `addr` is the C library's `getsockopt`, whose C signature is `GetsockoptFn`.
    Some(unsafe { transmute::<usize, GetsockoptFn>(addr) })
}

fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn set_errno(e: c_int) {
    // SAFETY: __errno_location returns this thread's errno slot, valid for the thread's life.
    unsafe { *libc::__errno_location() = e };
}

/// Fails the call the way C does: `-1` with `errno`.
fn fail(e: c_int) -> c_int {
    set_errno(e);
    -1
}

/// Runs `body`, or `fallback` should `body` panic; if that panics too, fails with `EIO`.
fn guarded(body: impl FnOnce() -> c_int, fallback: impl FnOnce() -> c_int) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => r,
        Err(_) => catch_unwind(AssertUnwindSafe(fallback)).unwrap_or_else(|_| fail(libc::EIO)),
    }
}

/// Whether `WITHSCTP_DEBUG` is set to something non-empty (read once).
fn debug() -> bool {
    static STATE: AtomicU8 = AtomicU8::new(0); // 0 unknown, 1 off, 2 on
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var_os("WITHSCTP_DEBUG").is_some_and(|v| !v.is_empty());
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
        s => s == 2,
    }
}

/// Writes one debug line to stderr, keeping `errno` as the call left it.
fn log(line: std::fmt::Arguments<'_>) {
    let saved = errno();
    let _ = writeln!(std::io::stderr(), "withsctp: {line}");
    set_errno(saved);
}

/// `0` or the errno, as text for the debug log.
fn outcome(rc: c_int) -> String {
    if rc == 0 {
        "ok".to_string()
    } else {
        format!("{}", std::io::Error::from_raw_os_error(errno()))
    }
}

/// `socket(2)` under withsctp: a TCP stream socket (see [`crate::is_tcp_stream`]) is
/// created as a one-to-one SCTP socket; anything else is created as asked.
///
/// # Safety
///
/// None beyond `socket(2)`'s: it takes no pointers.
#[no_mangle]
pub unsafe extern "C" fn socket(domain: c_int, ty: c_int, protocol: c_int) -> c_int {
    let call = |protocol: c_int| match real_socket() {
        // SAFETY: socket(2) takes no pointers.
        Some(real) => unsafe { real(domain, ty, protocol) },
        None => fail(libc::ENOSYS),
    };
    guarded(
        || {
            if !crate::is_tcp_stream(domain, ty, protocol) {
                return call(protocol);
            }
            let fd = call(libc::IPPROTO_SCTP);
            if debug() {
                let result = if fd >= 0 {
                    format!("fd {fd}")
                } else {
                    outcome(fd)
                };
                log(format_args!(
                    "socket({}, SOCK_STREAM, {protocol}) -> IPPROTO_SCTP: {result}",
                    crate::domain_name(domain)
                ));
            }
            fd
        },
        || call(protocol),
    )
}

/// `setsockopt(2)` under withsctp: the mapped `IPPROTO_TCP` options of an SCTP socket (see
/// [`TcpOption`]) are set as their SCTP counterparts; everything else goes through as is.
///
/// # Safety
///
/// `optval` must point to `optlen` readable bytes, as for `setsockopt(2)`.
#[no_mangle]
pub unsafe extern "C" fn setsockopt(
    fd: c_int,
    level: c_int,
    optname: c_int,
    optval: *const c_void,
    optlen: socklen_t,
) -> c_int {
    let pass = || match real_setsockopt() {
        // SAFETY: the caller's own arguments, passed on unchanged under the caller's contract.
        Some(real) => unsafe { real(fd, level, optname, optval, optlen) },
        None => fail(libc::ENOSYS),
    };
    guarded(
        || {
            let Some(opt) = mapped(fd, level, optname) else {
                return pass();
            };
            if optval.is_null() {
                return fail(libc::EFAULT);
            }
            if (optlen as usize) < size_of::<c_int>() {
                return fail(libc::EINVAL);
            }
            // SAFETY: the caller promises `optlen` (checked >= size_of::<c_int>()) readable
            // bytes at `optval`; read_unaligned needs no alignment.
            let value = unsafe { ptr::read_unaligned(optval.cast::<c_int>()) };
            let rc = match opt.kernel_value(value) {
                Ok(raw) => set_sctp(fd, opt, raw),
                Err(e) => fail(e),
            };
            if debug() {
                log(format_args!(
                    "setsockopt({fd}, IPPROTO_TCP, {}, {value}) -> {}: {}",
                    opt.name(),
                    opt.target(),
                    outcome(rc)
                ));
            }
            rc
        },
        pass,
    )
}

/// `getsockopt(2)` under withsctp: the mapped `IPPROTO_TCP` options of an SCTP socket are
/// read from their SCTP counterparts and returned as TCP would (an `int`, keep-alive times
/// in seconds); everything else goes through as is.
///
/// # Safety
///
/// `optlen` must point to a writable `socklen_t` and `optval` to that many writable bytes,
/// as for `getsockopt(2)`.
#[no_mangle]
pub unsafe extern "C" fn getsockopt(
    fd: c_int,
    level: c_int,
    optname: c_int,
    optval: *mut c_void,
    optlen: *mut socklen_t,
) -> c_int {
    let pass = || match real_getsockopt() {
        // SAFETY: the caller's own arguments, passed on unchanged under the caller's contract.
        Some(real) => unsafe { real(fd, level, optname, optval, optlen) },
        None => fail(libc::ENOSYS),
    };
    guarded(
        || {
            let Some(opt) = mapped(fd, level, optname) else {
                return pass();
            };
            if optval.is_null() || optlen.is_null() {
                return fail(libc::EFAULT);
            }
            let raw = match get_sctp(fd, opt) {
                Ok(raw) => raw,
                Err(e) => return fail(e),
            };
            let value = opt.tcp_value(raw).to_ne_bytes();
            // SAFETY: the caller promises a readable and writable socklen_t at `optlen`.
            let len = unsafe { ptr::read_unaligned(optlen) };
            // As TCP does: at most an int, never more than the caller's buffer.
            let n = (len as usize).min(value.len());
            // SAFETY: the caller promises `len` writable bytes at `optval`; `n <= len`, and
            // `value` is a local array of at least `n` bytes that cannot overlap it.
            unsafe {
                ptr::copy_nonoverlapping(value.as_ptr(), optval.cast::<u8>(), n);
                ptr::write_unaligned(optlen, n as socklen_t);
            }
            if debug() {
                log(format_args!(
                    "getsockopt({fd}, IPPROTO_TCP, {}) -> {}: {}",
                    opt.name(),
                    opt.target(),
                    i32::from_ne_bytes(value)
                ));
            }
            0
        },
        pass,
    )
}

/// The mapped TCP option, when `fd` is an SCTP socket and the option is one the shim maps.
fn mapped(fd: c_int, level: c_int, optname: c_int) -> Option<TcpOption> {
    if level != libc::IPPROTO_TCP {
        return None;
    }
    let opt = TcpOption::from_name(optname)?;
    let mut protocol: c_int = 0;
    let rc = get_raw(fd, libc::SOL_SOCKET, libc::SO_PROTOCOL, &mut protocol);
    (rc == 0 && protocol == libc::IPPROTO_SCTP).then_some(opt)
}

/// Sets the SCTP counterpart of `opt` to the kernel value `raw`; `0` or `-1` with errno.
fn set_sctp(fd: c_int, opt: TcpOption, raw: u32) -> c_int {
    match opt {
        TcpOption::NoDelay => set_raw(fd, SCTP_NODELAY, &(raw as c_int)),
        TcpOption::MaxSeg => set_raw(
            fd,
            SCTP_MAXSEG,
            &sctp_assoc_value {
                assoc_id: 0,
                assoc_value: raw,
            },
        ),
        TcpOption::KeepIdle | TcpOption::KeepIntvl => {
            // All-zero: assoc 0 (ignored on one-to-one sockets), the wildcard address (every
            // path, or the socket's default before it connects), nothing else changed.
            let mut p = sctp_paddrparams::zeroed();
            p.spp_hbinterval = raw;
            p.spp_flags = SPP_HB_ENABLE;
            set_raw(fd, SCTP_PEER_ADDR_PARAMS, &p)
        }
        TcpOption::KeepCnt => {
            // Zero fields are left unchanged by the kernel.
            let mut a = sctp_assocparams::zeroed();
            a.sasoc_asocmaxrxt = u16::try_from(raw).unwrap_or(u16::MAX);
            set_raw(fd, SCTP_ASSOCINFO, &a)
        }
    }
}

/// Reads the kernel value of the SCTP counterpart of `opt`, or the errno.
fn get_sctp(fd: c_int, opt: TcpOption) -> Result<u32, c_int> {
    let check = |rc: c_int| if rc == 0 { Ok(()) } else { Err(errno()) };
    match opt {
        TcpOption::NoDelay => {
            let mut v: c_int = 0;
            check(get_raw(fd, SOL_SCTP, SCTP_NODELAY, &mut v))?;
            Ok(v.unsigned_abs())
        }
        TcpOption::MaxSeg => {
            let mut v = sctp_assoc_value::zeroed();
            check(get_raw(fd, SOL_SCTP, SCTP_MAXSEG, &mut v))?;
            Ok(v.assoc_value)
        }
        TcpOption::KeepIdle | TcpOption::KeepIntvl => {
            let mut p = sctp_paddrparams::zeroed();
            check(get_raw(fd, SOL_SCTP, SCTP_PEER_ADDR_PARAMS, &mut p))?;
            Ok(p.spp_hbinterval)
        }
        TcpOption::KeepCnt => {
            let mut a = sctp_assocparams::zeroed();
            check(get_raw(fd, SOL_SCTP, SCTP_ASSOCINFO, &mut a))?;
            Ok(u32::from(a.sasoc_asocmaxrxt))
        }
    }
}

/// `setsockopt(fd, SOL_SCTP, optname, value)` through the C library's function.
fn set_raw<T: Pod>(fd: c_int, optname: c_int, value: &T) -> c_int {
    let Some(real) = real_setsockopt() else {
        return fail(libc::ENOSYS);
    };
    // SAFETY: `value` is a live `T` of exactly the length passed; the kernel only reads it.
    unsafe {
        real(
            fd,
            SOL_SCTP,
            optname,
            (value as *const T).cast(),
            size_of::<T>() as socklen_t,
        )
    }
}

/// `getsockopt(fd, level, optname, value)` through the C library's function, with `value`
/// as the in/out buffer (SCTP options read the association id and address from it). The
/// kernel writes at most `size_of::<T>()` bytes of a plain-data type.
fn get_raw<T: Pod>(fd: c_int, level: c_int, optname: c_int, value: &mut T) -> c_int {
    let Some(real) = real_getsockopt() else {
        return fail(libc::ENOSYS);
    };
    let mut len = size_of::<T>() as socklen_t;
    // SAFETY: `value` is a live, writable `T` of `len` bytes and `len` a live socklen_t; any
    // bytes the kernel writes form a valid `T` (`Pod`).
    unsafe { real(fd, level, optname, (value as *mut T).cast(), &mut len) }
}
