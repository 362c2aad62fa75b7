//! Kernel socket addresses and SCTP's packed address lists.
//!
//! SCTP passes lists of addresses (`sctp_bindx`, `sctp_connectx`, `SCTP_GET_PEER_ADDRS`,
//! `SCTP_GET_LOCAL_ADDRS`) as **packed** arrays: a `sockaddr_in` (16 bytes) or a `sockaddr_in6`
//! (28 bytes) directly after the other, each entry's size given by its own `sa_family`. Never
//! step through such a list by `sizeof(struct sockaddr_storage)`.
//!
//! The parsers here are total: short or malformed input gives an [`AddrError`], never a panic.
//!
//! IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are returned exactly as the kernel gives them,
//! as [`SocketAddr::V6`]. An `AF_INET6` SCTP socket reports IPv4 peers that way unless
//! `SCTP_I_WANT_MAPPED_V4_ADDR` is turned off; use [`std::net::Ipv6Addr::to_ipv4_mapped`] to
//! fold them if you want to.
//!
//! Field encodings follow `std` and `socket2`: the port and the IPv4/IPv6 address bytes are in
//! network byte order on the wire, while `sin6_flowinfo` and `sin6_scope_id` are copied as they
//! are (no byte swapping), so that `SocketAddrV6::flowinfo()` round-trips.

use std::fmt;
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// Size of a `struct sockaddr_in` (16 bytes).
pub const SOCKADDR_IN_LEN: usize = mem::size_of::<libc::sockaddr_in>();
/// Size of a `struct sockaddr_in6` (28 bytes).
pub const SOCKADDR_IN6_LEN: usize = mem::size_of::<libc::sockaddr_in6>();

const _: () = assert!(SOCKADDR_IN_LEN == 16);
const _: () = assert!(SOCKADDR_IN6_LEN == 28);
const _: () = assert!(mem::size_of::<libc::sockaddr_storage>() >= SOCKADDR_IN6_LEN);

/// Why a kernel address could not be turned into a [`SocketAddr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddrError {
    /// The bytes end before the address (or its family field) does.
    Truncated {
        /// Bytes the address needs (2 when even the family field is missing).
        needed: usize,
        /// Bytes that were available.
        available: usize,
    },
    /// The `sa_family` is neither `AF_INET` nor `AF_INET6`.
    UnsupportedFamily(libc::sa_family_t),
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AddrError::Truncated { needed, available } => write!(
                f,
                "socket address truncated: needs {needed} bytes, {available} available"
            ),
            AddrError::UnsupportedFamily(family) => {
                write!(f, "unsupported socket address family {family}")
            }
        }
    }
}

impl std::error::Error for AddrError {}

impl From<AddrError> for std::io::Error {
    fn from(err: AddrError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidData, err)
    }
}

/// Size in bytes of the kernel form of `addr`: 16 for IPv4, 28 for IPv6 (`sctp_getaddrlen`).
pub const fn raw_len(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => SOCKADDR_IN_LEN,
        SocketAddr::V6(_) => SOCKADDR_IN6_LEN,
    }
}

/// Writes the kernel form of `addr` (`sockaddr_in` or `sockaddr_in6`) into the front of a
/// 28-byte array and returns how many bytes it used.
fn encode_addr(addr: &SocketAddr) -> ([u8; SOCKADDR_IN6_LEN], usize) {
    let mut b = [0u8; SOCKADDR_IN6_LEN];
    match addr {
        SocketAddr::V4(a) => {
            b[0..2].copy_from_slice(&(libc::AF_INET as libc::sa_family_t).to_ne_bytes());
            b[2..4].copy_from_slice(&a.port().to_be_bytes());
            b[4..8].copy_from_slice(&a.ip().octets());
            // b[8..16] is sin_zero.
            (b, SOCKADDR_IN_LEN)
        }
        SocketAddr::V6(a) => {
            b[0..2].copy_from_slice(&(libc::AF_INET6 as libc::sa_family_t).to_ne_bytes());
            b[2..4].copy_from_slice(&a.port().to_be_bytes());
            b[4..8].copy_from_slice(&a.flowinfo().to_ne_bytes());
            b[8..24].copy_from_slice(&a.ip().octets());
            b[24..28].copy_from_slice(&a.scope_id().to_ne_bytes());
            (b, SOCKADDR_IN6_LEN)
        }
    }
}

/// Converts `addr` into a `sockaddr_storage` holding a `sockaddr_in` or `sockaddr_in6`, and the
/// length to pass to the kernel (16 or 28).
pub fn socket_addr_to_raw(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    let (bytes, len) = encode_addr(addr);
    // SAFETY: sockaddr_storage is plain old data (integers and byte arrays); all zeroes is a
    // valid value.
    let mut storage: libc::sockaddr_storage = unsafe { mem::zeroed() };
    // SAFETY: `len <= 28` bytes are copied, and the storage is at least 28 bytes (asserted at
    // compile time); the destination is a live, exclusively borrowed local and the source a
    // distinct local array, so the regions do not overlap.
    unsafe {
        std::ptr::copy_nonoverlapping(
            bytes.as_ptr(),
            (&mut storage as *mut libc::sockaddr_storage).cast::<u8>(),
            len,
        );
    }
    (storage, len as libc::socklen_t)
}

/// Reads the address in `storage`, of which the kernel reported `len` bytes as valid.
///
/// Only the first `len` bytes are read; they must have been written (by the kernel, by
/// [`socket_addr_to_raw`], or by zeroing), which is the case for any storage obtained without
/// `unsafe` code. The bytes after them may be anything, uninitialised padding included.
///
/// # Errors
///
/// [`AddrError::Truncated`] if `len` is too short for the family (or larger than the storage),
/// [`AddrError::UnsupportedFamily`] for anything but `AF_INET`/`AF_INET6` (including
/// `AF_UNSPEC`, which is what an unfilled `msg_name` holds).
pub fn socket_addr_from_raw(
    storage: &libc::sockaddr_storage,
    len: libc::socklen_t,
) -> Result<SocketAddr, AddrError> {
    let size = mem::size_of::<libc::sockaddr_storage>();
    let len = len as usize;
    if len > size {
        return Err(AddrError::Truncated {
            needed: len,
            available: size,
        });
    }
    // SAFETY: `len <= size_of::<sockaddr_storage>()`, so the slice stays inside `*storage`,
    // which the borrow keeps alive. Only the first `len` bytes are viewed: libc declares the
    // bytes after `ss_family` as `MaybeUninit` padding, and the part of them that holds the
    // address is initialised by whoever filled the storage (the kernel writes the `len` bytes
    // it reports; this crate zeroes every storage it hands out). Bytes past `len` are never
    // touched, so a storage whose tail was left uninitialised is fine.
    let bytes = unsafe {
        std::slice::from_raw_parts((storage as *const libc::sockaddr_storage).cast::<u8>(), len)
    };
    socket_addr_from_bytes(bytes).map(|(addr, _)| addr)
}

/// Reads one address from the front of `buf` and returns it with the number of bytes it
/// occupied (16 or 28), so that a packed list can be walked.
///
/// # Errors
///
/// [`AddrError::Truncated`] if `buf` ends before the address does,
/// [`AddrError::UnsupportedFamily`] for families other than `AF_INET`/`AF_INET6`.
pub fn socket_addr_from_bytes(buf: &[u8]) -> Result<(SocketAddr, usize), AddrError> {
    let family = match buf.get(..2) {
        Some(b) => libc::sa_family_t::from_ne_bytes([b[0], b[1]]),
        None => {
            return Err(AddrError::Truncated {
                needed: 2,
                available: buf.len(),
            })
        }
    };
    let needed = match i32::from(family) {
        libc::AF_INET => SOCKADDR_IN_LEN,
        libc::AF_INET6 => SOCKADDR_IN6_LEN,
        _ => return Err(AddrError::UnsupportedFamily(family)),
    };
    let Some(b) = buf.get(..needed) else {
        return Err(AddrError::Truncated {
            needed,
            available: buf.len(),
        });
    };
    let port = u16::from_be_bytes([b[2], b[3]]);
    let addr = if needed == SOCKADDR_IN_LEN {
        let ip = Ipv4Addr::new(b[4], b[5], b[6], b[7]);
        SocketAddr::V4(SocketAddrV4::new(ip, port))
    } else {
        let flowinfo = u32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
        let mut octets = [0u8; 16];
        octets.copy_from_slice(&b[8..24]);
        let scope_id = u32::from_ne_bytes([b[24], b[25], b[26], b[27]]);
        SocketAddr::V6(SocketAddrV6::new(
            Ipv6Addr::from(octets),
            port,
            flowinfo,
            scope_id,
        ))
    };
    Ok((addr, needed))
}

/// Packs `addrs` into the kernel's packed list format: each address as a `sockaddr_in` or
/// `sockaddr_in6`, one after the other, with no padding. The result's length is what
/// `SCTP_SOCKOPT_BINDX_ADD` and the connectx options take as the list's byte length.
pub fn pack_addrs(addrs: &[SocketAddr]) -> Vec<u8> {
    let mut out = Vec::with_capacity(addrs.iter().map(raw_len).sum());
    for addr in addrs {
        let (bytes, len) = encode_addr(addr);
        out.extend_from_slice(&bytes[..len]);
    }
    out
}

/// Reads exactly `count` addresses from the packed list at the front of `buf`, stepping by each
/// entry's family. Bytes after the last address are ignored (the kernel's buffers are usually
/// larger than the list).
///
/// # Errors
///
/// [`AddrError::Truncated`] if the list ends before `count` addresses were read,
/// [`AddrError::UnsupportedFamily`] for an entry that is neither IPv4 nor IPv6.
pub fn unpack_addrs(buf: &[u8], count: usize) -> Result<Vec<SocketAddr>, AddrError> {
    // Every entry takes at least 16 bytes; cap the reservation by what the buffer can hold so a
    // garbage `count` cannot make us allocate wildly.
    let mut out = Vec::with_capacity(count.min(buf.len() / SOCKADDR_IN_LEN));
    let mut rest = buf;
    for _ in 0..count {
        let (addr, used) = socket_addr_from_bytes(rest)?;
        out.push(addr);
        rest = &rest[used..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv4_bytes_are_sockaddr_in() {
        let bytes = pack_addrs(&[v4("127.0.0.2:5000")]);
        let mut expect = Vec::new();
        expect.extend_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
        expect.extend_from_slice(&[0x13, 0x88, 127, 0, 0, 2]);
        expect.extend_from_slice(&[0; 8]);
        assert_eq!(bytes, expect);
    }

    #[test]
    fn ipv6_bytes_are_sockaddr_in6() {
        let a = SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::LOCALHOST, 0x1234, 7, 9));
        let bytes = pack_addrs(&[a]);
        assert_eq!(bytes.len(), 28);
        assert_eq!(&bytes[0..2], &(libc::AF_INET6 as u16).to_ne_bytes());
        assert_eq!(&bytes[2..4], &[0x12, 0x34]);
        assert_eq!(&bytes[4..8], &7u32.to_ne_bytes());
        assert_eq!(bytes[23], 1);
        assert!(bytes[8..23].iter().all(|&b| b == 0));
        assert_eq!(&bytes[24..28], &9u32.to_ne_bytes());
    }

    #[test]
    fn raw_matches_libc_struct_layout() {
        let (storage, len) = socket_addr_to_raw(&v4("10.1.2.3:80"));
        assert_eq!(len, 16);
        // SAFETY: the storage holds a sockaddr_in (family AF_INET) and is suitably aligned.
        let sin =
            unsafe { &*(&storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
        assert_eq!(i32::from(sin.sin_family), libc::AF_INET);
        assert_eq!(u16::from_be(sin.sin_port), 80);
        assert_eq!(u32::from_be(sin.sin_addr.s_addr), 0x0a01_0203);

        let a6: SocketAddr = "[fe80::1%3]:443".parse().unwrap();
        let (storage, len) = socket_addr_to_raw(&a6);
        assert_eq!(len, 28);
        // SAFETY: as above, for sockaddr_in6.
        let sin6 =
            unsafe { &*(&storage as *const libc::sockaddr_storage).cast::<libc::sockaddr_in6>() };
        assert_eq!(i32::from(sin6.sin6_family), libc::AF_INET6);
        assert_eq!(u16::from_be(sin6.sin6_port), 443);
        assert_eq!(sin6.sin6_scope_id, 3);
        assert_eq!(sin6.sin6_addr.s6_addr[0], 0xfe);
        assert_eq!(socket_addr_from_raw(&storage, len), Ok(a6));
    }

    #[test]
    fn mixed_list_round_trips() {
        let addrs = vec![
            v4("127.0.0.1:1"),
            "[::1]:2".parse().unwrap(),
            v4("127.0.0.2:3"),
            "[::ffff:127.0.0.1]:4".parse().unwrap(),
            SocketAddr::V6(SocketAddrV6::new(
                "2001:db8::5".parse().unwrap(),
                5,
                0xabcde,
                42,
            )),
        ];
        let packed = pack_addrs(&addrs);
        assert_eq!(packed.len(), 16 * 2 + 28 * 3);
        assert_eq!(unpack_addrs(&packed, addrs.len()).unwrap(), addrs);
        // Fewer than present is fine; trailing bytes are ignored.
        assert_eq!(unpack_addrs(&packed, 2).unwrap(), &addrs[..2]);
        let mut padded = packed.clone();
        padded.extend_from_slice(&[0xff; 40]);
        assert_eq!(unpack_addrs(&padded, addrs.len()).unwrap(), addrs);
    }

    #[test]
    fn v4_mapped_stays_v6() {
        let a: SocketAddr = "[::ffff:127.0.0.1]:9".parse().unwrap();
        let (got, used) = socket_addr_from_bytes(&pack_addrs(&[a])).unwrap();
        assert_eq!(used, 28);
        assert_eq!(got, a);
        assert!(matches!(got, SocketAddr::V6(_)));
    }

    #[test]
    fn truncated_lists_are_errors() {
        let addrs = [v4("127.0.0.1:1"), "[::1]:2".parse().unwrap()];
        let packed = pack_addrs(&addrs);
        for cut in 0..packed.len() {
            let r = unpack_addrs(&packed[..cut], 2);
            assert!(
                matches!(r, Err(AddrError::Truncated { .. })),
                "cut {cut}: {r:?}"
            );
        }
        assert_eq!(
            unpack_addrs(&packed[..20], 2),
            Err(AddrError::Truncated {
                needed: 28,
                available: 4
            })
        );
        assert_eq!(
            unpack_addrs(&packed, 3),
            Err(AddrError::Truncated {
                needed: 2,
                available: 0
            })
        );
        assert_eq!(unpack_addrs(&[], 0), Ok(vec![]));
    }

    #[test]
    fn unknown_family_is_an_error() {
        let mut b = [0u8; 32];
        b[..2].copy_from_slice(&(libc::AF_UNIX as u16).to_ne_bytes());
        assert_eq!(
            socket_addr_from_bytes(&b),
            Err(AddrError::UnsupportedFamily(libc::AF_UNIX as u16))
        );
        // An unfilled msg_name (AF_UNSPEC) is rejected too.
        // SAFETY: all-zero is a valid sockaddr_storage.
        let zero: libc::sockaddr_storage = unsafe { mem::zeroed() };
        assert_eq!(
            socket_addr_from_raw(&zero, 0),
            Err(AddrError::Truncated {
                needed: 2,
                available: 0
            })
        );
        assert_eq!(
            socket_addr_from_raw(&zero, 16),
            Err(AddrError::UnsupportedFamily(0))
        );
        assert!(matches!(
            socket_addr_from_raw(&zero, 100_000),
            Err(AddrError::Truncated { .. })
        ));
    }

    #[test]
    fn garbage_never_panics() {
        // A small deterministic generator: every prefix of pseudo-random bytes, with the family
        // field forced to each interesting value in turn.
        let mut x: u32 = 0x1234_5678;
        let mut buf = [0u8; 96];
        for round in 0..2000 {
            for b in buf.iter_mut() {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *b = x as u8;
            }
            let fam = [libc::AF_INET, libc::AF_INET6, 0, 0xffff][round % 4] as u16;
            buf[..2].copy_from_slice(&fam.to_ne_bytes());
            let cut = (x as usize) % buf.len();
            let _ = unpack_addrs(&buf[..cut], (x >> 8) as usize % 8);
            let _ = unpack_addrs(&buf[..cut], usize::MAX);
            let _ = socket_addr_from_bytes(&buf[..cut]);
        }
    }
}
