//! Property loops over the total parsers of linux-sctp-sys (`cmsg::decode`,
//! `decode_truncated`, `CmsgIter`, `unpack_addrs`, `socket_addr_from_bytes`,
//! `socket_addr_from_raw`, `read_prefix`): random and truncated input never panics, and every
//! result is consistent with its input. No kernel; they run under miri.

use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use libc::c_int;
use linux_sctp_sys::addr::{
    pack_addrs, raw_len, socket_addr_from_bytes, socket_addr_from_raw, socket_addr_to_raw,
    unpack_addrs, AddrError,
};
use linux_sctp_sys::cmsg::{self, CmsgIter, RECV_CMSG_SPACE};
use linux_sctp_sys::*;

/// xorshift64: deterministic pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn fill(&mut self, b: &mut [u8]) {
        for x in b {
            *x = self.next() as u8;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Property loops over the parsers (no kernel)
// ---------------------------------------------------------------------------------------

fn rounds(native: usize) -> usize {
    if cfg!(miri) {
        native / 50
    } else {
        native
    }
}

fn random_addr(r: &mut Rng) -> SocketAddr {
    let port = r.next() as u16;
    if r.next() % 2 == 0 {
        SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(r.next() as u32), port))
    } else {
        SocketAddr::V6(SocketAddrV6::new(
            Ipv6Addr::from(u128::from(r.next()) << 64 | u128::from(r.next())),
            port,
            r.next() as u32,
            r.next() as u32,
        ))
    }
}

#[test]
fn addresses_round_trip_and_every_cut_is_an_error() {
    let mut r = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..rounds(3000) {
        let addrs: Vec<SocketAddr> = (0..r.below(6)).map(|_| random_addr(&mut r)).collect();
        let packed = pack_addrs(&addrs);
        assert_eq!(packed.len(), addrs.iter().map(raw_len).sum::<usize>());
        assert_eq!(unpack_addrs(&packed, addrs.len()).unwrap(), addrs);
        if !packed.is_empty() {
            let cut = r.below(packed.len());
            assert!(matches!(
                unpack_addrs(&packed[..cut], addrs.len()),
                Err(AddrError::Truncated { .. })
            ));
        }
        for a in &addrs {
            let (storage, len) = socket_addr_to_raw(a);
            assert_eq!(len as usize, raw_len(a));
            assert_eq!(socket_addr_from_raw(&storage, len), Ok(*a));
            // Every shorter length is refused, never misread.
            let short = r.below(len as usize) as libc::socklen_t;
            assert!(socket_addr_from_raw(&storage, short).is_err());
        }
    }
}

#[test]
fn random_address_bytes_never_panic_and_stay_in_bounds() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut buf = [0u8; 160];
    for round in 0..rounds(20_000) {
        r.fill(&mut buf);
        if round % 2 == 0 {
            let fam = [libc::AF_INET, libc::AF_INET6][r.below(2)] as u16;
            buf[..2].copy_from_slice(&fam.to_ne_bytes());
        }
        let cut = r.below(buf.len() + 1);
        match socket_addr_from_bytes(&buf[..cut]) {
            Ok((a, used)) => {
                assert_eq!(used, raw_len(&a));
                assert!(used <= cut);
                // Re-encoding gives the same bytes, except sin_zero of IPv4.
                let again = pack_addrs(&[a]);
                let cmp = if a.is_ipv4() { 8 } else { 28 };
                assert_eq!(&again[..cmp], &buf[..cmp]);
            }
            Err(AddrError::Truncated { needed, available }) => {
                assert_eq!(available, cut);
                assert!(needed > cut);
            }
            Err(AddrError::UnsupportedFamily(f)) => {
                assert_eq!(f.to_ne_bytes(), [buf[0], buf[1]]);
            }
            Err(e) => panic!("{e:?}"),
        }
        let count = [0, 1, 3, 9, usize::MAX][r.below(5)];
        if let Ok(v) = unpack_addrs(&buf[..cut], count) {
            assert_eq!(v.len(), count);
        }
        // A storage filled with random bytes and a random length.
        // SAFETY: all-zero is a valid sockaddr_storage.
        let mut st: libc::sockaddr_storage = unsafe { mem::zeroed() };
        let size = mem::size_of::<libc::sockaddr_storage>();
        // SAFETY: `buf[..min(cut, size)]` is copied into the storage's own bytes; the
        // regions do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                buf.as_ptr(),
                (&mut st as *mut libc::sockaddr_storage).cast::<u8>(),
                cut.min(size),
            )
        };
        let len = [cut as u32, r.next() as u32, u32::MAX, 0][r.below(4)];
        let got = socket_addr_from_raw(&st, len);
        if len as usize > size {
            assert!(matches!(got, Err(AddrError::Truncated { .. })), "{got:?}");
        }
    }
}

fn put_hdr(b: &mut [u8], at: usize, len: usize, level: c_int, ty: c_int) {
    let w = mem::size_of::<usize>();
    b[at..at + w].copy_from_slice(&len.to_ne_bytes());
    b[at + w..at + w + 4].copy_from_slice(&level.to_ne_bytes());
    b[at + w + 4..at + w + 8].copy_from_slice(&ty.to_ne_bytes());
}

#[test]
fn random_control_bytes_never_panic_and_stay_in_bounds() {
    let hdr = cmsg::cmsg_len(0);
    let mut r = Rng(0xd1b5_4a32_d192_ed03);
    let mut buf = [0u8; RECV_CMSG_SPACE + 64];
    for _ in 0..rounds(20_000) {
        r.fill(&mut buf);
        // Plausible headers, with lengths around the interesting sizes.
        let mut at = 0;
        while at + hdr <= buf.len() && r.below(4) != 0 {
            let payload = [0, 1, 15, 16, 27, 28, 31, 32, 33, 200][r.below(10)];
            let len = match r.below(6) {
                0 => r.next() as usize,
                1 => hdr - 1,
                _ => hdr + payload,
            };
            let level = [libc::IPPROTO_SCTP, libc::SOL_SOCKET][r.below(2)];
            let ty = [SCTP_SNDRCV, SCTP_RCVINFO, SCTP_NXTINFO, 99][r.below(4)];
            put_hdr(&mut buf, at, len, level, ty);
            at += cmsg::cmsg_align(len.min(buf.len()).max(1));
        }
        let cut = r.below(buf.len() + 1);
        let control = &buf[..cut];
        let strict = cmsg::decode(control);
        let lenient = cmsg::decode_truncated(control);
        if let Ok(s) = strict {
            assert_eq!(
                s, lenient,
                "decode_truncated agrees with a successful decode"
            );
        }
        let base = control.as_ptr() as usize;
        let mut errors = 0;
        for m in CmsgIter::new(control) {
            match m {
                Ok(m) => {
                    let start = m.data.as_ptr() as usize - base;
                    assert!(start >= hdr && start + m.data.len() <= cut);
                    assert_eq!(errors, 0, "nothing after an error");
                }
                Err(_) => errors += 1,
            }
        }
        assert!(errors <= 1);
    }
}

#[test]
fn read_prefix_reads_exactly_the_struct_or_nothing() {
    let mut r = Rng(0x5eed_cafe);
    let mut b = vec![0u8; 256];
    for _ in 0..rounds(2000) {
        r.fill(&mut b);
        let n = r.below(b.len() + 1);
        let got = read_prefix::<sctp_assoc_change>(&b[..n]);
        let need = mem::size_of::<sctp_assoc_change>();
        assert_eq!(got.is_some(), n >= need, "{n} bytes");
        if let Some(c) = got {
            // Field by field, at the header's offsets.
            let at = mem::offset_of!(sctp_assoc_change, sac_assoc_id);
            let id = i32::from_ne_bytes(b[at..at + 4].try_into().unwrap());
            assert_eq!(c.sac_assoc_id, id);
            assert_eq!(c.sac_type, u16::from_ne_bytes([b[0], b[1]]));
        }
        // Unaligned starts read the same way.
        let _ = read_prefix::<sctp_paddr_change>(&b[1..n.max(1)]);
    }
}
