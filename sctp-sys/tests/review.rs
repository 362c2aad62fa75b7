//! Tests from the soundness review of `linux-sctp-sys`'s unsafe code and parsers.
//!
//! * The kernel counts a control message's alignment padding in `msg_controllen` without
//!   writing it (shown on a real SCTP socket: needs the lab runner, fails without SCTP), which
//!   is why `recvmmsg_raw` zeroes its control slots before viewing them as `&[u8]`.
//! * `msg_len` may exceed the entry's buffer (`MSG_TRUNC` on a datagram socket), which is why
//!   `recvmmsg_raw` promises only `min(len, iov_len)` initialised bytes.
//! * Property loops over random and truncated input for the total parsers (`cmsg::decode`,
//!   `decode_truncated`, `CmsgIter`, `unpack_addrs`, `socket_addr_from_bytes`,
//!   `socket_addr_from_raw`): no panic, and every result consistent with its input. These
//!   need no kernel and run under miri.

use std::io::IoSliceMut;
use std::mem;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use libc::c_int;
use linux_sctp_sys::addr::{
    pack_addrs, raw_len, socket_addr_from_bytes, socket_addr_from_raw, socket_addr_to_raw,
    unpack_addrs, AddrError,
};
use linux_sctp_sys::cmsg::{self, CmsgIter, RECV_CMSG_SPACE};
use linux_sctp_sys::ops::{self, RecvMsg};
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

fn blank() -> RecvMsg {
    RecvMsg {
        len: 0,
        flags: 0,
        from: None,
        cmsgs: Default::default(),
    }
}

// ---------------------------------------------------------------------------------------
// Kernel behaviour behind the fixes
// ---------------------------------------------------------------------------------------

fn sctp_sock(ty: c_int) -> OwnedFd {
    let fd = ops::socket(libc::AF_INET, ty | libc::SOCK_CLOEXEC).unwrap_or_else(|e| {
        panic!("socket(IPPROTO_SCTP) failed: {e}: this test needs a kernel with SCTP (run through the lab runner)")
    });
    let mut tv = Vec::new();
    tv.extend_from_slice(&5i64.to_ne_bytes());
    tv.extend_from_slice(&0i64.to_ne_bytes());
    for opt in [libc::SO_RCVTIMEO, libc::SO_SNDTIMEO] {
        ops::setsockopt_bytes(fd.as_fd(), libc::SOL_SOCKET, opt, &tv).unwrap();
    }
    fd
}

/// A connected one-to-one pair: (client, accepted server side, listener).
fn sctp_pair() -> (OwnedFd, OwnedFd, OwnedFd) {
    let l = sctp_sock(libc::SOCK_STREAM);
    let mut a: SocketAddr = "127.0.0.1:0".parse().unwrap();
    ops::bindx(l.as_fd(), &[a], SCTP_BINDX_ADD_ADDR).unwrap();
    a.set_port(ops::getladdrs(l.as_fd(), 0).unwrap()[0].port());
    // SAFETY: listen(2) takes no pointers.
    assert_eq!(unsafe { libc::listen(l.as_raw_fd(), 4) }, 0);
    let c = sctp_sock(libc::SOCK_STREAM);
    ops::connectx(c.as_fd(), &[a]).unwrap();
    // SAFETY: null address pointers are allowed; SO_RCVTIMEO bounds the wait.
    let rc = unsafe {
        libc::accept4(
            l.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            libc::SOCK_CLOEXEC,
        )
    };
    assert!(rc >= 0, "accept: {}", std::io::Error::last_os_error());
    // SAFETY: a new descriptor owned by nobody else.
    let s = unsafe { OwnedFd::from_raw_fd(rc) };
    (c, s, l)
}

fn send(fd: BorrowedFd<'_>, data: &[u8], sid: u16, ppid: u32) {
    let cm = cmsg::SendCmsgs {
        sndinfo: Some(sctp_sndinfo {
            snd_sid: sid,
            snd_ppid: ppid,
            ..Default::default()
        }),
        ..Default::default()
    };
    let n = ops::sendmsg(fd, &[std::io::IoSlice::new(data)], None, &cm, 0).unwrap();
    assert_eq!(n, data.len());
}

#[repr(C, align(8))]
struct Control([u8; RECV_CMSG_SPACE]);

/// `put_cmsg` writes `CMSG_LEN` bytes but advances `msg_control` by `CMSG_SPACE`: after an
/// `SCTP_RCVINFO` (28-byte payload) `msg_controllen` is 48 while bytes 44..48 were never
/// written. A control buffer left uninitialised would expose those 4 bytes.
#[test]
fn kernel_counts_cmsg_padding_it_never_writes() {
    let (c, s, _l) = sctp_pair();
    ops::setsockopt(s.as_fd(), SOL_SCTP, SCTP_RECVRCVINFO, &(1 as c_int)).unwrap();
    send(c.as_fd(), b"padding", 2, 77);

    let mut data = [0u8; 64];
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr().cast(),
        iov_len: data.len(),
    };
    let mut control = Control([0xaa; RECV_CMSG_SPACE]);
    // SAFETY: all-zero is a valid msghdr.
    let mut msg: libc::msghdr = unsafe { mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.0.as_mut_ptr().cast();
    msg.msg_controllen = RECV_CMSG_SPACE as _;
    // SAFETY: `msg` points at `iov` (over `data`) and `control`, both live and writable for
    // the lengths given.
    let n = unsafe { libc::recvmsg(s.as_raw_fd(), &mut msg, 0) };
    assert_eq!(n, 7, "recvmsg: {}", std::io::Error::last_os_error());
    assert_eq!(&data[..7], b"padding");
    #[allow(clippy::unnecessary_cast)]
    let controllen = msg.msg_controllen as usize;
    assert_eq!(controllen, cmsg::cmsg_space(28), "CMSG_SPACE(sctp_rcvinfo)");
    let mut l = [0u8; mem::size_of::<usize>()];
    l.copy_from_slice(&control.0[..mem::size_of::<usize>()]);
    assert_eq!(usize::from_ne_bytes(l), cmsg::cmsg_len(28), "cmsg_len");
    assert_eq!(
        &control.0[cmsg::cmsg_len(28)..controllen],
        &[0xaa; 4],
        "the padding counted in msg_controllen is left untouched"
    );
    let got = cmsg::decode(&control.0[..controllen])
        .unwrap()
        .rcvinfo
        .unwrap();
    assert_eq!((got.rcv_sid, got.rcv_ppid), (2, 77));

    // The batch receive decodes the same message kind correctly from its (zeroed) slots.
    send(c.as_fd(), b"second", 3, 78);
    let mut b = [0u8; 64];
    let mut out = [blank(); 2];
    let k = ops::recvmmsg(
        s.as_fd(),
        &mut [IoSliceMut::new(&mut b)],
        &mut out,
        libc::MSG_DONTWAIT,
    );
    let k = match k {
        Ok(k) => k,
        // The message may not have crossed loopback yet.
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            ops::recvmmsg(s.as_fd(), &mut [IoSliceMut::new(&mut b)], &mut out, 0).unwrap()
        }
        Err(e) => panic!("recvmmsg: {e}"),
    };
    assert_eq!(k, 1);
    assert_eq!(&b[..out[0].len], b"second");
    let r = out[0].cmsgs.rcvinfo.unwrap();
    assert_eq!((r.rcv_sid, r.rcv_ppid), (3, 78));
}

/// With `MSG_TRUNC` a datagram socket reports the datagram's length, more than the entry's
/// buffer: `recvmmsg_raw` callers must clamp `len` to `iov_len`.
#[test]
fn recvmmsg_len_may_exceed_the_entry_with_msg_trunc() {
    let mut fds = [0 as c_int; 2];
    // SAFETY: `fds` has room for the two descriptors socketpair(2) writes.
    let rc = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    assert_eq!(rc, 0, "socketpair: {}", std::io::Error::last_os_error());
    // SAFETY: two new descriptors, each owned once here.
    let (a, b) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let msg = b"0123456789";
    // SAFETY: `msg` is readable for its length.
    let n = unsafe { libc::send(a.as_raw_fd(), msg.as_ptr().cast(), msg.len(), 0) };
    assert_eq!(n, 10);

    let mut buf = [0xeeu8; 8];
    let iov = [libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: 4,
    }];
    let mut out = [blank()];
    // SAFETY: the iovec covers the first 4 bytes of `buf`, writable and not otherwise
    // borrowed during the call.
    let k = unsafe {
        ops::recvmmsg_raw(
            b.as_fd(),
            &iov,
            &mut out,
            libc::MSG_TRUNC | libc::MSG_DONTWAIT,
            false,
        )
    }
    .unwrap();
    assert_eq!(k, 1);
    assert_eq!(
        out[0].len, 10,
        "the datagram's length, not the bytes written"
    );
    assert_ne!(out[0].flags & libc::MSG_TRUNC, 0);
    assert_eq!(&buf, b"0123\xee\xee\xee\xee", "only iov_len bytes written");
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
