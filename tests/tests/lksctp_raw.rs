//! The parts of the lksctp-tools functional suite (`src/func_tests`, lksctp-tools 1.0.21) that
//! tokio-linux-sctp's safe API cannot express, ported at the level of `linux_sctp_sys` and plain system
//! calls, and run against the real kernel SCTP stack (the lab: Linux 6.1 in user-mode Linux).
//!
//! These are the misuse cases (bad descriptors, descriptors that are not sockets, bad user
//! pointers, bad lengths, wrong socket states) and the raw `sendmsg`/`recvmsg` flags. Sockets
//! here are **blocking**, as in the C tests, with 5 s send/receive timeouts so that a broken
//! interaction fails instead of hanging. Each test names its C origin and asserts the C
//! test's errno. `BAD_PTR` is the C tests' `(void *)-1`: the kernel refuses it with `EFAULT`
//! and nothing in this process is read or written through it.
//!
//! | C file | Rust tests here |
//! |---|---|
//! | `test_1_to_1_connect.c` | `connect_misuse` |
//! | `test_1_to_1_connectx.c` | `connect_misuse` (the `sctp_connectx` socket options) |
//! | `test_1_to_1_accept_close.c` | `accept_and_close_misuse` |
//! | `test_1_to_1_addrs.c` | `getaddrs_misuse` |
//! | `test_1_to_1_nonblock.c` | `nonblocking_connect_einprogress_and_connectx_id` |
//! | `test_1_to_1_recvfrom.c`, `test_1_to_1_recvmsg.c` | `recv_misuse_and_eof` |
//! | `test_1_to_1_send.c`, `test_1_to_1_sendmsg.c`, `test_1_to_1_sendto.c` | `send_and_sendmsg_misuse`, `implicit_association_by_sendmsg_and_sendto` |
//! | `test_1_to_1_shutdown.c` | `shutdown_misuse_shut_rd_shut_rdwr` |
//! | `test_1_to_1_socket_bind_listen.c` | `socket_bind_listen_misuse`, `reserved_port_eacces_as_non_root` |
//! | `test_1_to_1_sockopt.c` | `sockopt_misuse` |
//! | `test_getname.c` (+v6) | `getname_misuse` |
//! | `test_tcp_style.c` (+v6) | `accept_and_close_misuse`, `recv_misuse_and_eof`, `send_and_sendmsg_misuse`, `shutdown_misuse_shut_rd_shut_rdwr`, `implicit_association_by_sendmsg_and_sendto` |
//! | `test_basic.c` (+v6) | `one_to_many_blocking_recv_enotconn` |
//! | `test_connect.c`, `test_connectx.c` | `nonblocking_connect_einprogress_and_connectx_id` |
//! | `test_recvmsg.c` | `recvmsg_pieces_and_msg_peek` |
//! | `test_sockopt.c` (+v6) | `peer_addr_params_flag_conflicts_einval` |
//!
//! The lab kernel (6.1) runs every scenario of this file. Kept as in C: `SCTP_AUTOCLOSE` on a
//! one-to-one socket is `EOPNOTSUPP`; an invalid level is `EOPNOTSUPP` for `getsockopt` and
//! `ENOPROTOOPT` for `setsockopt`.
//!
//! Not ported as written: `test_1_to_1_accept_close.c`'s and the `test_1_to_1_*` files' use of
//! descriptor 0 as "not a socket" (`/dev/null` is opened instead: the test runner's stdin is
//! not guaranteed), and closing a descriptor twice on a low number (a descriptor number above
//! 900 is used, so that a parallel test cannot reuse it in between).

use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut};
use std::mem::{size_of, zeroed};
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

use libc::{c_int, c_void, socklen_t};
use linux_sctp_sys::addr::socket_addr_to_raw;
use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::{ops, sockopt};
use linux_sctp_sys::{sctp_assoc_change, sctp_paddrparams, sctp_sndrcvinfo, SOL_SCTP};
use socket2::SockRef;

/// The C tests' `(void *)-1`: an address no process can use.
const BAD_PTR: usize = usize::MAX;
/// IPv4 and IPv6, as the `_v6` builds of the C tests.
const DOMAINS: [c_int; 2] = [libc::AF_INET, libc::AF_INET6];

fn bad<T>() -> *mut T {
    BAD_PTR as *mut T
}

/// The errno of a failed system call returning `rc`.
#[track_caller]
fn fails(rc: isize, want: i32, what: &str) {
    let err = io::Error::last_os_error();
    assert_eq!(
        rc, -1,
        "{what}: expected failure with errno {want}, got {rc}"
    );
    assert_eq!(err.raw_os_error(), Some(want), "{what}: {err}");
}

#[track_caller]
fn ok(rc: isize, what: &str) -> isize {
    assert!(rc >= 0, "{what}: {}", io::Error::last_os_error());
    rc
}

#[track_caller]
fn errno_of<T: std::fmt::Debug>(r: io::Result<T>) -> i32 {
    r.expect_err("expected an error")
        .raw_os_error()
        .expect("an errno")
}

/// A blocking SCTP socket with 5 s timeouts.
fn sock(domain: c_int, ty: c_int) -> OwnedFd {
    let fd = ops::socket(domain, ty | libc::SOCK_CLOEXEC).unwrap_or_else(|e| {
        panic!("socket(IPPROTO_SCTP): {e}: this test needs a kernel with SCTP")
    });
    let s = SockRef::from(&fd);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    fd
}

fn loopback(domain: c_int) -> SocketAddr {
    match domain {
        libc::AF_INET => "127.0.0.1:0".parse().unwrap(),
        _ => "[::1]:0".parse().unwrap(),
    }
}

fn bind_lo(fd: BorrowedFd<'_>, domain: c_int) -> SocketAddr {
    let s = SockRef::from(&fd);
    s.bind(&loopback(domain).into()).unwrap();
    s.local_addr().unwrap().as_socket().unwrap()
}

fn listener(domain: c_int, ty: c_int) -> (OwnedFd, SocketAddr) {
    let l = sock(domain, ty);
    let a = bind_lo(l.as_fd(), domain);
    SockRef::from(&l).listen(10).unwrap();
    (l, a)
}

fn connect(fd: BorrowedFd<'_>, to: SocketAddr) {
    SockRef::from(&fd).connect(&to.into()).unwrap();
}

fn accept(fd: BorrowedFd<'_>) -> OwnedFd {
    // SAFETY: accept(2) with null address pointers writes nothing but the new descriptor.
    let rc = unsafe { libc::accept(fd.as_raw_fd(), std::ptr::null_mut(), std::ptr::null_mut()) };
    let nfd = ok(rc as isize, "accept") as RawFd;
    // SAFETY: a fresh descriptor from accept(2), owned by nobody else.
    let nfd = unsafe { OwnedFd::from_raw_fd(nfd) };
    let s = SockRef::from(&nfd);
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    nfd
}

/// A connected one-to-one pair: (listener, client, accepted, listener address).
fn pair(domain: c_int) -> (OwnedFd, OwnedFd, OwnedFd, SocketAddr) {
    let (l, a) = listener(domain, libc::SOCK_STREAM);
    let c = sock(domain, libc::SOCK_STREAM);
    connect(c.as_fd(), a);
    let s = accept(l.as_fd());
    (l, c, s, a)
}

/// An open descriptor that is not a socket.
fn not_a_socket() -> File {
    File::open("/dev/null").unwrap()
}

/// `call` fails with `EBADF` on descriptor -1 and with `ENOTSOCK` on `file`, which is not a
/// socket.
#[track_caller]
fn bad_descriptors(file: &File, what: &str, mut call: impl FnMut(RawFd) -> isize) {
    let (ebadf, enotsock) = (format!("{what} EBADF"), format!("{what} ENOTSOCK"));
    fails(call(-1), libc::EBADF, &ebadf);
    fails(call(file.as_raw_fd()), libc::ENOTSOCK, &enotsock);
}

fn send(fd: RawFd, buf: *const c_void, len: usize, flags: c_int) -> isize {
    // SAFETY: send(2) only reads `len` bytes at `buf`; the kernel checks the pointer (a bad one
    // gives EFAULT) and the descriptor (EBADF/ENOTSOCK).
    unsafe { libc::send(fd, buf, len, flags) }
}

fn recv(fd: RawFd, buf: *mut c_void, len: usize, flags: c_int) -> isize {
    // SAFETY: recv(2) writes at most `len` bytes at `buf`, which is either a live buffer of
    // that size or a pointer the kernel refuses with EFAULT.
    unsafe { libc::recv(fd, buf, len, flags) }
}

fn send_ok(fd: BorrowedFd<'_>, data: &[u8]) {
    let n = send(
        fd.as_raw_fd(),
        data.as_ptr().cast(),
        data.len(),
        libc::MSG_NOSIGNAL,
    );
    assert_eq!(ok(n, "send"), data.len() as isize);
}

fn recv_buf(fd: BorrowedFd<'_>) -> isize {
    let mut buf = [0u8; 256];
    recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0)
}

/// A `msghdr` for one buffer and an optional control buffer.
fn msghdr(iov: *mut libc::iovec, iovlen: usize, control: &mut [u8]) -> libc::msghdr {
    // SAFETY: msghdr is a plain C struct; all zeroes (null pointers, zero lengths) is valid.
    let mut m: libc::msghdr = unsafe { zeroed() };
    m.msg_iov = iov;
    m.msg_iovlen = iovlen as _;
    if !control.is_empty() {
        m.msg_control = control.as_mut_ptr().cast();
        m.msg_controllen = control.len() as _;
    }
    m
}

/// A control buffer holding one `SCTP_SNDRCV` with `sinfo_flags = flags`.
fn sndrcv_cmsg(flags: u16) -> Vec<u8> {
    let space = linux_sctp_sys::cmsg::cmsg_space(size_of::<sctp_sndrcvinfo>());
    let mut buf = vec![0u8; space];
    let hdr = libc::cmsghdr {
        cmsg_len: linux_sctp_sys::cmsg::cmsg_len(size_of::<sctp_sndrcvinfo>()) as _,
        cmsg_level: SOL_SCTP,
        cmsg_type: linux_sctp_sys::SCTP_SNDRCV,
    };
    let info = sctp_sndrcvinfo {
        sinfo_flags: flags,
        ..Default::default()
    };
    // SAFETY: `buf` has room for the header and the payload (cmsg_space); both are written
    // unaligned, byte by byte, so the Vec's alignment does not matter.
    unsafe {
        std::ptr::write_unaligned(buf.as_mut_ptr().cast::<libc::cmsghdr>(), hdr);
        let data = buf.as_mut_ptr().add(linux_sctp_sys::cmsg::cmsg_len(0));
        std::ptr::write_unaligned(data.cast::<sctp_sndrcvinfo>(), info);
    }
    buf
}

fn sendmsg_raw(fd: RawFd, msg: *const libc::msghdr, flags: c_int) -> isize {
    // SAFETY: sendmsg(2) only reads through `msg` and the pointers in it; each is either live
    // for the lengths given or one the kernel refuses with EFAULT.
    unsafe { libc::sendmsg(fd, msg, flags) }
}

fn recvmsg_raw(fd: RawFd, msg: *mut libc::msghdr, flags: c_int) -> isize {
    // SAFETY: recvmsg(2) writes through `msg` and its buffers, which are live for the lengths
    // given or refused by the kernel with EFAULT.
    unsafe { libc::recvmsg(fd, msg, flags) }
}

fn sockaddr(a: SocketAddr) -> (libc::sockaddr_storage, socklen_t) {
    socket_addr_to_raw(&a)
}

fn connect_raw(fd: RawFd, addr: *const libc::sockaddr, len: socklen_t) -> isize {
    // SAFETY: connect(2) reads `len` bytes at `addr`, a live sockaddr or a pointer the kernel
    // refuses with EFAULT.
    unsafe { libc::connect(fd, addr, len) as isize }
}

// lksctp: test_1_to_1_connect.c, test_1_to_1_connectx.c
#[test]
fn connect_misuse() {
    let (_l, to) = listener(libc::AF_INET, libc::SOCK_STREAM);
    let (st, len) = sockaddr(to);
    let addr = (&st as *const libc::sockaddr_storage).cast::<libc::sockaddr>();
    let sk = sock(libc::AF_INET, libc::SOCK_STREAM);
    let file = not_a_socket();
    bad_descriptors(&file, "connect", |fd| connect_raw(fd, addr, len));
    fails(
        connect_raw(sk.as_raw_fd(), bad(), len),
        libc::EFAULT,
        "connect EFAULT",
    );
    fails(
        connect_raw(sk.as_raw_fd(), addr, len - 3),
        libc::EINVAL,
        "connect bad addrlen",
    );
    let mut wrong = st;
    wrong.ss_family = 9090;
    let waddr = (&wrong as *const libc::sockaddr_storage).cast::<libc::sockaddr>();
    fails(
        connect_raw(sk.as_raw_fd(), waddr, len),
        libc::EINVAL,
        "connect bad family",
    );

    // sctp_connectx is setsockopt(SCTP_SOCKOPT_CONNECTX) / getsockopt(CONNECTX3) with a packed
    // address list.
    let list = linux_sctp_sys::addr::pack_addrs(&[to]);
    let setopt = |fd: RawFd, p: *const c_void, n: usize| -> isize {
        // SAFETY: setsockopt(2) reads `n` bytes at `p`, a live buffer or one the kernel
        // refuses with EFAULT.
        unsafe {
            libc::setsockopt(
                fd,
                SOL_SCTP,
                linux_sctp_sys::SCTP_SOCKOPT_CONNECTX,
                p,
                n as socklen_t,
            ) as isize
        }
    };
    bad_descriptors(&file, "connectx", |fd| {
        setopt(fd, list.as_ptr().cast(), list.len())
    });
    fails(
        setopt(sk.as_raw_fd(), bad(), list.len()),
        libc::EFAULT,
        "connectx EFAULT",
    );
    let mut wrong_list = list.clone();
    wrong_list[..2].copy_from_slice(&9090u16.to_ne_bytes());
    fails(
        setopt(sk.as_raw_fd(), wrong_list.as_ptr().cast(), wrong_list.len()),
        libc::EINVAL,
        "connectx bad family",
    );
    fails(
        setopt(sk.as_raw_fd(), list.as_ptr().cast(), 3),
        libc::EINVAL,
        "connectx bad length",
    );
    // A valid connectx still works on that socket afterwards.
    let cx = ops::connectx(sk.as_fd(), &[to]).unwrap();
    assert!(!cx.in_progress && cx.assoc_id > 0);
}

// lksctp: test_1_to_1_accept_close.c, test_tcp_style.c (+v6)
#[test]
fn accept_and_close_misuse() {
    for domain in DOMAINS {
        let (l, to) = listener(domain, libc::SOCK_STREAM);
        let file = not_a_socket();
        let accept_raw = |fd: RawFd, addr: *mut libc::sockaddr, len: *mut socklen_t| -> isize {
            // SAFETY: accept(2) writes the peer address through `addr`/`len`, live storage or
            // pointers the kernel refuses with EFAULT.
            unsafe { libc::accept(fd, addr, len) as isize }
        };
        // SAFETY: sockaddr_storage is plain data; all zeroes is valid.
        let mut st: libc::sockaddr_storage = unsafe { zeroed() };
        let mut len = size_of::<libc::sockaddr_storage>() as socklen_t;
        let sa = (&mut st as *mut libc::sockaddr_storage).cast::<libc::sockaddr>();
        bad_descriptors(&file, "accept", |fd| accept_raw(fd, sa, &mut len));
        // A non-listening socket: EINVAL.
        let fresh = sock(domain, libc::SOCK_STREAM);
        fails(
            accept_raw(fresh.as_raw_fd(), sa, &mut len),
            libc::EINVAL,
            "accept non-listening",
        );
        // Established sockets: EINVAL (the C test also allows EACCES).
        let client = sock(domain, libc::SOCK_STREAM);
        connect(client.as_fd(), to);
        fails(
            accept_raw(client.as_raw_fd(), sa, &mut len),
            libc::EINVAL,
            "accept on client",
        );
        let accepted = accept(l.as_fd());
        fails(
            accept_raw(accepted.as_raw_fd(), sa, &mut len),
            libc::EINVAL,
            "accept on accepted",
        );
        // A bad address buffer with an association waiting: EFAULT.
        let c2 = sock(domain, libc::SOCK_STREAM);
        connect(c2.as_fd(), to);
        fails(
            accept_raw(l.as_raw_fd(), bad(), &mut len),
            libc::EFAULT,
            "accept EFAULT",
        );
        // An association that closed before accept() can still be accepted.
        let c3 = sock(domain, libc::SOCK_STREAM);
        connect(c3.as_fd(), to);
        send_ok(c3.as_fd(), b"before close");
        drop(c3);
        std::thread::sleep(Duration::from_millis(200));
        let closed = accept(l.as_fd());
        let mut buf = [0u8; 64];
        let n = recv(closed.as_raw_fd(), buf.as_mut_ptr().cast(), 64, 0);
        assert_eq!(&buf[..ok(n, "recv") as usize], b"before close");
        assert_eq!(recv_buf(closed.as_fd()), 0, "then EOF");

        // close(): EBADF, a valid close, then the same descriptor again: EBADF. The number is
        // above 900, so that no parallel test can be handed it in between.
        // SAFETY: close(-1) touches no descriptor.
        fails(
            unsafe { libc::close(-1) } as isize,
            libc::EBADF,
            "close EBADF",
        );
        // SAFETY: F_DUPFD makes a new descriptor >= 900 that only this test knows.
        let high = unsafe { libc::fcntl(accepted.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 900) };
        assert!(high >= 900, "{}", io::Error::last_os_error());
        // SAFETY: `high` is ours; it is closed exactly once successfully.
        assert_eq!(unsafe { libc::close(high) }, 0);
        // SAFETY: `high` is closed; nobody else uses numbers this high, so this touches no
        // live descriptor.
        fails(
            unsafe { libc::close(high) } as isize,
            libc::EBADF,
            "close twice",
        );
    }
}

// lksctp: test_1_to_1_recvfrom.c, test_1_to_1_recvmsg.c, test_tcp_style.c (+v6)
#[test]
fn recv_misuse_and_eof() {
    for domain in DOMAINS {
        let (l, c, s, _) = pair(domain);
        let file = not_a_socket();
        let mut buf = [0u8; 100];
        let p = buf.as_mut_ptr().cast();
        bad_descriptors(&file, "recv", |fd| recv(fd, p, 100, 0));
        // On a listening socket: ENOTCONN.
        fails(
            recv(l.as_raw_fd(), p, 100, 0),
            libc::ENOTCONN,
            "recv on a listener",
        );
        // A bad buffer with data waiting: EFAULT.
        send_ok(c.as_fd(), b"one");
        fails(
            recv(s.as_raw_fd(), bad(), 100, 0),
            libc::EFAULT,
            "recv EFAULT",
        );
        // recvmsg with a bad iovec and a bad msghdr: EFAULT.
        send_ok(c.as_fd(), b"two");
        let mut m = msghdr(bad(), 1, &mut []);
        fails(
            recvmsg_raw(s.as_raw_fd(), &mut m, 0),
            libc::EFAULT,
            "recvmsg bad iovec",
        );
        fails(
            recvmsg_raw(s.as_raw_fd(), bad(), 0),
            libc::EFAULT,
            "recvmsg bad msghdr",
        );
        // Drain what is left, whatever the failed reads kept.
        SockRef::from(&s).set_nonblocking(true).unwrap();
        while recv_buf(s.as_fd()) > 0 {}
        SockRef::from(&s).set_nonblocking(false).unwrap();

        // The peer shuts down: pending data first, then 0 (EOF).
        send_ok(c.as_fd(), b"last");
        SockRef::from(&c)
            .shutdown(std::net::Shutdown::Write)
            .unwrap();
        let n = recv(s.as_raw_fd(), p, 100, 0);
        assert_eq!(&buf[..ok(n, "recv") as usize], b"last");
        let p = buf.as_mut_ptr().cast();
        assert_eq!(
            recv(s.as_raw_fd(), p, 100, 0),
            0,
            "EOF after the peer's SHUTDOWN"
        );

        // Our own shutdown: pending data is still read, then ENOTCONN.
        let (_l2, c2, s2, _) = pair(domain);
        send_ok(s2.as_fd(), b"pending");
        std::thread::sleep(Duration::from_millis(100));
        SockRef::from(&c2)
            .shutdown(std::net::Shutdown::Write)
            .unwrap();
        let n = recv(c2.as_raw_fd(), p, 100, 0);
        assert_eq!(&buf[..ok(n, "recv pending") as usize], b"pending");
        // Wait until SHUTDOWN_COMPLETE has been processed.
        assert_eq!(recv_buf(s2.as_fd()), 0);
        std::thread::sleep(Duration::from_millis(100));
        let p = buf.as_mut_ptr().cast();
        fails(
            recv(c2.as_raw_fd(), p, 100, 0),
            libc::ENOTCONN,
            "recv after own shutdown",
        );
    }
}

// lksctp: test_1_to_1_send.c, test_1_to_1_sendmsg.c, test_tcp_style.c (+v6)
#[test]
fn send_and_sendmsg_misuse() {
    for domain in DOMAINS {
        let (l, c, s, to) = pair(domain);
        let file = not_a_socket();
        let msg = b"Hello world\0";
        let mp = msg.as_ptr().cast();
        let nosig = libc::MSG_NOSIGNAL;
        bad_descriptors(&file, "send", |fd| send(fd, mp, msg.len(), nosig));
        fails(
            send(l.as_raw_fd(), mp, msg.len(), nosig),
            libc::EPIPE,
            "send on a listener",
        );
        fails(
            send(c.as_raw_fd(), bad(), msg.len(), nosig),
            libc::EFAULT,
            "send EFAULT",
        );

        let (st, len) = sockaddr(to);
        let mut iov = libc::iovec {
            iov_base: msg.as_ptr() as *mut c_void,
            iov_len: msg.len(),
        };
        let mut control = sndrcv_cmsg(0);
        let mut m = msghdr(&mut iov, 1, &mut control);
        m.msg_name = (&st as *const libc::sockaddr_storage).cast_mut().cast();
        m.msg_namelen = len;
        bad_descriptors(&file, "sendmsg", |fd| sendmsg_raw(fd, &m, nosig));
        fails(
            sendmsg_raw(l.as_raw_fd(), &m, nosig),
            libc::EPIPE,
            "sendmsg on a listener",
        );
        let mut badiov = m;
        badiov.msg_iov = bad();
        fails(
            sendmsg_raw(c.as_raw_fd(), &badiov, nosig),
            libc::EFAULT,
            "sendmsg bad iovec",
        );
        let mut noiov = m;
        noiov.msg_iovlen = 0;
        fails(
            sendmsg_raw(c.as_raw_fd(), &noiov, nosig),
            libc::EINVAL,
            "sendmsg iovlen 0",
        );
        fails(
            sendmsg_raw(c.as_raw_fd(), bad(), nosig),
            libc::EFAULT,
            "sendmsg bad msghdr",
        );
        // Invalid sinfo_flags (999, with flags -1): EINVAL.
        let mut c999 = sndrcv_cmsg(999);
        let mut m999 = msghdr(&mut iov, 1, &mut c999);
        m999.msg_name = m.msg_name;
        m999.msg_namelen = len;
        fails(
            sendmsg_raw(c.as_raw_fd(), &m999, -1),
            libc::EINVAL,
            "sinfo_flags 999",
        );
        // SCTP_EOF and SCTP_ABORT cannot end a one-to-one association: EINVAL.
        for (flag, what) in [
            (linux_sctp_sys::SCTP_EOF, "SCTP_EOF"),
            (linux_sctp_sys::SCTP_ABORT, "SCTP_ABORT"),
        ] {
            let mut cf = sndrcv_cmsg(flag);
            let mut mf = msghdr(&mut iov, 1, &mut cf);
            mf.msg_name = m.msg_name;
            mf.msg_namelen = len;
            fails(sendmsg_raw(c.as_raw_fd(), &mf, nosig), libc::EINVAL, what);
        }
        // And with no data at all, as test_tcp_style.c does it.
        let mut ce = sndrcv_cmsg(linux_sctp_sys::SCTP_EOF);
        let me = msghdr(std::ptr::null_mut(), 0, &mut ce);
        fails(
            sendmsg_raw(c.as_raw_fd(), &me, nosig),
            libc::EINVAL,
            "empty SCTP_EOF",
        );

        // Plain sendmsg both ways works; each message arrives whole with MSG_EOR.
        assert_eq!(
            ok(
                sendmsg_raw(s.as_raw_fd(), &msghdr(&mut iov, 1, &mut []), nosig),
                "sendmsg"
            ),
            12
        );
        let mut buf = [0u8; 64];
        let r = ops::recvmsg(c.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!((&buf[..r.len], r.is_eor()), (&msg[..], true));
        assert_eq!(
            ok(
                sendmsg_raw(c.as_raw_fd(), &m, nosig),
                "sendmsg with msg_name"
            ),
            12
        );
        let r = ops::recvmsg(s.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!((&buf[..r.len], r.is_eor()), (&msg[..], true));
        // Partial buffer: a shorter length sends only that many bytes.
        send_ok(c.as_fd(), &msg[..5]);
        let r = ops::recvmsg(s.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!(&buf[..r.len], &msg[..5]);

        // A closed association: EPIPE.
        drop(c);
        assert_eq!(recv_buf(s.as_fd()), 0, "EOF");
        fails(
            send(s.as_raw_fd(), mp, msg.len(), nosig),
            libc::EPIPE,
            "send on closed",
        );
        fails(
            sendmsg_raw(s.as_raw_fd(), &msghdr(&mut iov, 1, &mut []), nosig),
            libc::EPIPE,
            "sendmsg on closed",
        );
    }
}

// lksctp: test_1_to_1_sendto.c, test_1_to_1_sendmsg.c, test_tcp_style.c (+v6)
#[test]
fn implicit_association_by_sendmsg_and_sendto() {
    for domain in DOMAINS {
        let (l, to) = listener(domain, libc::SOCK_STREAM);
        // sendto() without connect(): the association is set up on the fly.
        let c1 = sock(domain, libc::SOCK_STREAM);
        let (st, len) = sockaddr(to);
        let msg = b"implicit\0";
        // SAFETY: sendto(2) reads `msg` and the address, both live for the lengths given.
        let n = unsafe {
            libc::sendto(
                c1.as_raw_fd(),
                msg.as_ptr().cast(),
                msg.len(),
                libc::MSG_NOSIGNAL,
                (&st as *const libc::sockaddr_storage).cast(),
                len,
            )
        };
        assert_eq!(ok(n, "sendto"), msg.len() as isize);
        let a1 = accept(l.as_fd());
        let mut buf = [0u8; 64];
        let r = ops::recvmsg(a1.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!(&buf[..r.len], &msg[..]);
        // Reply over the implicit association.
        send_ok(a1.as_fd(), b"reply");
        let r = ops::recvmsg(c1.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!(&buf[..r.len], b"reply");

        // sendmsg() with msg_name from an unconnected socket, then SHUT_RD and send again.
        let c2 = sock(domain, libc::SOCK_STREAM);
        let n = ops::sendmsg(
            c2.as_fd(),
            &[IoSlice::new(msg)],
            Some(&to),
            &SendCmsgs::default(),
            0,
        )
        .unwrap();
        assert_eq!(n, msg.len());
        let a2 = accept(l.as_fd());
        let r = ops::recvmsg(a2.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!(&buf[..r.len], &msg[..]);
        SockRef::from(&c2)
            .shutdown(std::net::Shutdown::Read)
            .unwrap();
        let n = ops::sendmsg(
            c2.as_fd(),
            &[IoSlice::new(msg)],
            Some(&to),
            &SendCmsgs::default(),
            0,
        )
        .unwrap();
        assert_eq!(n, msg.len(), "sendmsg on a SHUT_RD socket");
        let r = ops::recvmsg(a2.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        assert_eq!(&buf[..r.len], &msg[..]);
    }
}

// lksctp: test_1_to_1_shutdown.c, test_tcp_style.c (+v6)
#[test]
fn shutdown_misuse_shut_rd_shut_rdwr() {
    for domain in DOMAINS {
        let file = not_a_socket();
        // SAFETY: shutdown(2) takes no pointers.
        let sh = |fd: RawFd, how: c_int| unsafe { libc::shutdown(fd, how) } as isize;
        bad_descriptors(&file, "shutdown", |fd| sh(fd, libc::SHUT_WR));
        let unconnected = sock(domain, libc::SOCK_STREAM);
        fails(
            sh(unconnected.as_raw_fd(), libc::SHUT_WR),
            libc::ENOTCONN,
            "shutdown unconnected",
        );

        // SHUT_WR: sends fail afterwards, the peer sees EOF.
        let (_l, c, s, _) = pair(domain);
        ok(sh(c.as_raw_fd(), libc::SHUT_WR), "SHUT_WR");
        assert_eq!(recv_buf(s.as_fd()), 0, "peer EOF");
        let m = b"x";
        fails(
            send(c.as_raw_fd(), m.as_ptr().cast(), 1, libc::MSG_NOSIGNAL),
            libc::EPIPE,
            "send after SHUT_WR",
        );

        // SHUT_RD: recv returns 0 at once; this side still sends; what the peer sends to it
        // is dropped (recv keeps returning 0).
        let (_l, c, s, _) = pair(domain);
        ok(sh(c.as_raw_fd(), libc::SHUT_RD), "SHUT_RD");
        assert_eq!(recv_buf(c.as_fd()), 0, "recv on a SHUT_RD socket");
        send_ok(c.as_fd(), b"from SHUT_RD");
        let mut buf = [0u8; 64];
        let n = recv(s.as_raw_fd(), buf.as_mut_ptr().cast(), 64, 0);
        assert_eq!(&buf[..ok(n, "recv") as usize], b"from SHUT_RD");
        send_ok(s.as_fd(), b"dropped");
        assert_eq!(
            recv_buf(c.as_fd()),
            0,
            "data to a SHUT_RD socket is not delivered"
        );

        // SHUT_RDWR: both ends read 0.
        let (_l, c, s, _) = pair(domain);
        ok(sh(c.as_raw_fd(), libc::SHUT_RDWR), "SHUT_RDWR");
        assert_eq!(recv_buf(s.as_fd()), 0);
        assert_eq!(recv_buf(c.as_fd()), 0);
    }
}

// lksctp: test_1_to_1_sockopt.c
#[test]
fn sockopt_misuse() {
    let (_l, c, _s, _) = pair(libc::AF_INET);
    let file = not_a_socket();
    let mut init = linux_sctp_sys::sctp_initmsg::default();
    let p = (&mut init as *mut linux_sctp_sys::sctp_initmsg).cast::<c_void>();
    let n = size_of::<linux_sctp_sys::sctp_initmsg>() as socklen_t;
    let get = |fd: RawFd, level: c_int, opt: c_int, p: *mut c_void, len: *mut socklen_t| -> isize {
        // SAFETY: getsockopt(2) writes at most `*len` bytes at `p`, live storage or a pointer
        // the kernel refuses with EFAULT.
        unsafe { libc::getsockopt(fd, level, opt, p, len) as isize }
    };
    let set = |fd: RawFd, level: c_int, opt: c_int, p: *const c_void, len: socklen_t| -> isize {
        // SAFETY: setsockopt(2) reads `len` bytes at `p`, live storage or a pointer the kernel
        // refuses with EFAULT.
        unsafe { libc::setsockopt(fd, level, opt, p, len) as isize }
    };
    let fd = c.as_raw_fd();
    let o = linux_sctp_sys::SCTP_INITMSG;
    let mut len = n;
    bad_descriptors(&file, "getsockopt", |fd| get(fd, SOL_SCTP, o, p, &mut len));
    bad_descriptors(&file, "setsockopt", |fd| set(fd, SOL_SCTP, o, p, n));
    // An invalid level: getsockopt says EOPNOTSUPP, setsockopt ENOPROTOOPT (6.1).
    fails(
        get(fd, -1, o, p, &mut len),
        libc::EOPNOTSUPP,
        "getsockopt invalid level",
    );
    fails(
        set(fd, -1, o, p, n),
        libc::ENOPROTOOPT,
        "setsockopt invalid level",
    );
    // Bad buffers: EFAULT.
    fails(
        get(fd, SOL_SCTP, o, bad(), &mut len),
        libc::EFAULT,
        "getsockopt EFAULT",
    );
    fails(
        get(fd, SOL_SCTP, o, p, bad()),
        libc::EFAULT,
        "getsockopt bad optlen",
    );
    fails(
        set(fd, SOL_SCTP, o, bad(), n),
        libc::EFAULT,
        "setsockopt EFAULT",
    );
    // SCTP_AUTOCLOSE on one-to-one ("invalid option name" in C): EOPNOTSUPP.
    let v: c_int = 5;
    fails(
        set(
            fd,
            SOL_SCTP,
            linux_sctp_sys::SCTP_AUTOCLOSE,
            (&v as *const c_int).cast(),
            4,
        ),
        libc::EOPNOTSUPP,
        "SCTP_AUTOCLOSE on one-to-one",
    );
    // A valid get still works.
    let mut len = n;
    ok(get(fd, SOL_SCTP, o, p, &mut len), "getsockopt SCTP_INITMSG");
    assert_eq!(len, n);
    assert_eq!(init.sinit_num_ostreams, 10);
}

// lksctp: test_getname.c (+v6)
#[test]
fn getname_misuse() {
    for domain in DOMAINS {
        let (_l, c, _s, _) = pair(domain);
        let file = not_a_socket();
        // SAFETY: sockaddr_storage is plain data; all zeroes is valid.
        let mut st: libc::sockaddr_storage = unsafe { zeroed() };
        let sa = (&mut st as *mut libc::sockaddr_storage).cast::<libc::sockaddr>();
        let mut len = size_of::<libc::sockaddr_storage>() as socklen_t;
        type Name = unsafe extern "C" fn(c_int, *mut libc::sockaddr, *mut socklen_t) -> c_int;
        for (f, what) in [
            (libc::getsockname as Name, "getsockname"),
            (libc::getpeername as Name, "getpeername"),
        ] {
            let call = |fd: RawFd, a: *mut libc::sockaddr, l: *mut socklen_t| -> isize {
                // SAFETY: get{sock,peer}name(2) writes the address through `a`/`l`, live
                // storage or pointers the kernel refuses with EFAULT.
                unsafe { f(fd, a, l) as isize }
            };
            bad_descriptors(&file, what, |fd| call(fd, sa, &mut len));
            fails(call(c.as_raw_fd(), bad(), &mut len), libc::EFAULT, what);
            fails(call(c.as_raw_fd(), sa, bad()), libc::EFAULT, what);
            let mut len = size_of::<libc::sockaddr_storage>() as socklen_t;
            ok(call(c.as_raw_fd(), sa, &mut len), what);
            assert_eq!(i32::from(st.ss_family), domain);
        }
    }
}

// lksctp: test_1_to_1_socket_bind_listen.c
#[test]
fn socket_bind_listen_misuse() {
    // SAFETY: socket(2) takes no pointers; a successful call is not expected here.
    let s = |d: c_int, t: c_int| unsafe { libc::socket(d, t, libc::IPPROTO_SCTP) } as isize;
    fails(
        s(9090, libc::SOCK_STREAM),
        libc::EAFNOSUPPORT,
        "socket bad domain",
    );
    fails(s(libc::AF_INET, 9090), libc::EINVAL, "socket bad type");

    let sk = sock(libc::AF_INET, libc::SOCK_STREAM);
    let file = not_a_socket();
    let (st, len) = sockaddr(loopback(libc::AF_INET));
    let a = (&st as *const libc::sockaddr_storage).cast::<libc::sockaddr>();
    let bind = |fd: RawFd, a: *const libc::sockaddr, l: socklen_t| -> isize {
        // SAFETY: bind(2) reads `l` bytes at `a`, live storage or a pointer the kernel refuses
        // with EFAULT.
        unsafe { libc::bind(fd, a, l) as isize }
    };
    fails(
        bind(sk.as_raw_fd(), bad(), len),
        libc::EFAULT,
        "bind EFAULT",
    );
    fails(
        bind(sk.as_raw_fd(), a, len - 1),
        libc::EINVAL,
        "bind bad length",
    );
    bad_descriptors(&file, "bind", |fd| bind(fd, a, len));
    ok(bind(sk.as_raw_fd(), a, len), "bind");
    // SAFETY: listen(2) takes no pointers.
    let listen = |fd: RawFd| unsafe { libc::listen(fd, 10) } as isize;
    bad_descriptors(&file, "listen", listen);
    ok(listen(sk.as_raw_fd()), "listen");
}

// lksctp: test_1_to_1_socket_bind_listen.c (reserved port as non-root)
#[test]
fn reserved_port_eacces_as_non_root() {
    // Credentials are per thread in the kernel: the raw setresuid syscall (not libc's, which
    // changes every thread of the process) drops root for this thread only, and with it the
    // capabilities, CAP_NET_BIND_SERVICE included.
    let t = std::thread::spawn(|| {
        let sk = sock(libc::AF_INET, libc::SOCK_STREAM);
        // SAFETY: setresuid takes no pointers and affects only the calling thread.
        let rc = unsafe { libc::syscall(libc::SYS_setresuid, 65534, 65534, 65534) };
        assert_eq!(rc, 0, "setresuid: {}", io::Error::last_os_error());
        let to: SocketAddr = "127.0.0.1:1023".parse().unwrap();
        let e = SockRef::from(&sk).bind(&to.into()).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::EACCES), "{e}");
        // An unprivileged port is fine.
        SockRef::from(&sk)
            .bind(&"127.0.0.1:0".parse::<SocketAddr>().unwrap().into())
            .unwrap();
    });
    if let Err(p) = t.join() {
        std::panic::resume_unwind(p);
    }
}

// lksctp: test_1_to_1_addrs.c
#[test]
fn getaddrs_misuse() {
    let mut buf = [0u8; 512];
    let get = |fd: RawFd, opt: c_int, buf: &mut [u8]| -> isize {
        let mut len = buf.len() as socklen_t;
        // SAFETY: getsockopt(2) writes at most `len` bytes into `buf`.
        unsafe { libc::getsockopt(fd, SOL_SCTP, opt, buf.as_mut_ptr().cast(), &mut len) as isize }
    };
    for opt in [
        linux_sctp_sys::SCTP_GET_LOCAL_ADDRS,
        linux_sctp_sys::SCTP_GET_PEER_ADDRS,
    ] {
        fails(get(-1, opt, &mut buf), libc::EBADF, "getaddrs EBADF");
    }
    let file = not_a_socket();
    assert_eq!(errno_of(ops::getladdrs(file.as_fd(), 0)), libc::ENOTSOCK);
    assert_eq!(errno_of(ops::getpaddrs(file.as_fd(), 0)), libc::ENOTSOCK);
    // A TCP socket: the SCTP level is unknown to it.
    let tcp = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    assert_eq!(errno_of(ops::getladdrs(tcp.as_fd(), 0)), libc::EOPNOTSUPP);
    assert_eq!(errno_of(ops::getpaddrs(tcp.as_fd(), 0)), libc::EOPNOTSUPP);
    // Success: address, port and family of both ends.
    let (_l, c, s, to) = pair(libc::AF_INET);
    let caddr = SockRef::from(&c).local_addr().unwrap().as_socket().unwrap();
    assert_eq!(ops::getpaddrs(c.as_fd(), 0).unwrap(), vec![to]);
    assert_eq!(ops::getladdrs(c.as_fd(), 0).unwrap(), vec![caddr]);
    assert_eq!(ops::getpaddrs(s.as_fd(), 0).unwrap(), vec![caddr]);
    assert_eq!(ops::getladdrs(s.as_fd(), 0).unwrap(), vec![to]);
}

/// Reads notifications from a one-to-many socket until an ASSOC_CHANGE arrives.
fn read_assoc_change(fd: BorrowedFd<'_>) -> sctp_assoc_change {
    let mut buf = [0u8; 512];
    loop {
        let r = ops::recvmsg(fd, &mut [IoSliceMut::new(&mut buf)], 0).unwrap();
        if !r.is_notification() {
            continue;
        }
        let ty = u16::from_ne_bytes([buf[0], buf[1]]);
        if ty == linux_sctp_sys::SCTP_ASSOC_CHANGE {
            assert!(r.len >= size_of::<sctp_assoc_change>());
            // SAFETY: the kernel wrote a whole sctp_assoc_change (length checked); read
            // unaligned from the byte buffer.
            return unsafe { std::ptr::read_unaligned(buf.as_ptr().cast()) };
        }
    }
}

fn subscribe_assoc_change(fd: BorrowedFd<'_>) {
    let ev = linux_sctp_sys::sctp_event {
        se_assoc_id: linux_sctp_sys::SCTP_FUTURE_ASSOC,
        se_type: linux_sctp_sys::SCTP_ASSOC_CHANGE,
        se_on: 1,
    };
    sockopt::set(fd, sockopt::SCTP_EVENT, &ev).unwrap();
}

// lksctp: test_1_to_1_nonblock.c, test_connect.c, test_connectx.c
#[test]
fn nonblocking_connect_einprogress_and_connectx_id() {
    for domain in DOMAINS {
        // One-to-one: non-blocking accept with nothing queued → EAGAIN; connect → EINPROGRESS.
        let (l, to) = listener(domain, libc::SOCK_STREAM);
        SockRef::from(&l).set_nonblocking(true).unwrap();
        // SAFETY: accept(2) with null address pointers.
        let rc = unsafe { libc::accept(l.as_raw_fd(), std::ptr::null_mut(), std::ptr::null_mut()) };
        fails(rc as isize, libc::EAGAIN, "non-blocking accept");
        let c = sock(domain, libc::SOCK_STREAM | libc::SOCK_NONBLOCK);
        let (st, len) = sockaddr(to);
        let rc = connect_raw(
            c.as_raw_fd(),
            (&st as *const libc::sockaddr_storage).cast(),
            len,
        );
        fails(rc, libc::EINPROGRESS, "non-blocking connect");
        SockRef::from(&l).set_nonblocking(false).unwrap();
        let s = accept(l.as_fd());
        // Non-blocking recv with no data: EAGAIN; then data arrives.
        SockRef::from(&s).set_nonblocking(true).unwrap();
        fails(recv_buf(s.as_fd()), libc::EAGAIN, "non-blocking recv");
        SockRef::from(&s).set_nonblocking(false).unwrap();
        SockRef::from(&c).set_nonblocking(false).unwrap();
        send_ok(c.as_fd(), b"data");
        assert_eq!(recv_buf(s.as_fd()), 4);

        // One-to-many: non-blocking connect → EINPROGRESS; connectx reports the id at once,
        // and it is the id COMM_UP carries.
        let (srv, sto) = listener(domain, libc::SOCK_SEQPACKET);
        let m1 = sock(domain, libc::SOCK_SEQPACKET | libc::SOCK_NONBLOCK);
        subscribe_assoc_change(m1.as_fd());
        let (st, len) = sockaddr(sto);
        let rc = connect_raw(
            m1.as_raw_fd(),
            (&st as *const libc::sockaddr_storage).cast(),
            len,
        );
        fails(rc, libc::EINPROGRESS, "non-blocking one-to-many connect");
        let m2 = sock(domain, libc::SOCK_SEQPACKET | libc::SOCK_NONBLOCK);
        subscribe_assoc_change(m2.as_fd());
        let cx = ops::connectx(m2.as_fd(), &[sto]).unwrap();
        assert!(cx.in_progress && cx.assoc_id > 0, "{cx:?}");
        SockRef::from(&m2).set_nonblocking(false).unwrap();
        let up = read_assoc_change(m2.as_fd());
        assert_eq!(up.sac_state, linux_sctp_sys::SCTP_COMM_UP);
        assert_eq!(up.sac_assoc_id, cx.assoc_id);
        drop(srv);
    }
}

// lksctp: test_basic.c (+v6)
#[test]
fn one_to_many_blocking_recv_enotconn() {
    for domain in DOMAINS {
        // Neither listening nor associated: a blocking recvmsg has no reason to wait.
        let sk = sock(domain, libc::SOCK_SEQPACKET);
        bind_lo(sk.as_fd(), domain);
        let mut buf = [0u8; 64];
        let r = ops::recvmsg(sk.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0);
        assert_eq!(errno_of(r), libc::ENOTCONN);
        // No address and association id 0: EPIPE.
        let info = linux_sctp_sys::sctp_sndinfo::default();
        let cm = SendCmsgs {
            sndinfo: Some(info),
            ..SendCmsgs::default()
        };
        let r = ops::sendmsg(sk.as_fd(), &[IoSlice::new(b"x")], None, &cm, 0);
        assert_eq!(errno_of(r), libc::EPIPE);
    }
}

// lksctp: test_recvmsg.c
#[test]
fn recvmsg_pieces_and_msg_peek() {
    let (srv, to) = listener(libc::AF_INET, libc::SOCK_SEQPACKET);
    let cl = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    let msg: Vec<u8> = (0..1000).map(|i| b'0' + (i % 10) as u8).collect();
    let n = ops::sendmsg(
        cl.as_fd(),
        &[IoSlice::new(&msg)],
        Some(&to),
        &SendCmsgs::default(),
        0,
    )
    .unwrap();
    assert_eq!(n, 1000);
    // MSG_PEEK returns data without consuming it.
    let mut peek = [0u8; 100];
    let r = ops::recvmsg(
        srv.as_fd(),
        &mut [IoSliceMut::new(&mut peek)],
        libc::MSG_PEEK,
    )
    .unwrap();
    assert_eq!(r.len, 100);
    assert!(!r.is_eor());
    assert_eq!(&peek[..], &msg[..100]);
    // Read it in small pieces: MSG_EOR only on the last one.
    let mut got = Vec::new();
    loop {
        let mut piece = [0u8; 90];
        let r = ops::recvmsg(srv.as_fd(), &mut [IoSliceMut::new(&mut piece)], 0).unwrap();
        got.extend_from_slice(&piece[..r.len]);
        if got.len() < msg.len() {
            assert!(!r.is_eor(), "MSG_EOR before the end at {}", got.len());
            assert_eq!(r.len, 90);
        } else {
            assert!(r.is_eor(), "MSG_EOR on the last piece");
            break;
        }
    }
    assert_eq!(got, msg, "the peek consumed nothing");
}

// lksctp: test_sockopt.c (+v6), TEST 5: conflicting spp_flags, HB demand without an address,
// short optlen
#[test]
// sctp_paddrparams is a packed-layout wrapper written through DerefMut: no struct literal.
#[allow(clippy::field_reassign_with_default)]
fn peer_addr_params_flag_conflicts_einval() {
    for domain in DOMAINS {
        let (srv, to) = listener(domain, libc::SOCK_SEQPACKET);
        let cl = sock(domain, libc::SOCK_SEQPACKET);
        let cx = ops::connectx(cl.as_fd(), &[to]).unwrap();
        let id = cx.assoc_id;
        let params = |flags: u32, addr: Option<SocketAddr>| {
            let mut p = sctp_paddrparams::default();
            p.spp_assoc_id = id;
            if let Some(a) = addr {
                p.spp_address = socket_addr_to_raw(&a).0;
            }
            p.spp_flags = flags;
            p
        };
        let set =
            |p: &sctp_paddrparams| sockopt::set(cl.as_fd(), sockopt::SCTP_PEER_ADDR_PARAMS, p);
        use linux_sctp_sys::{
            SPP_HB_DEMAND, SPP_HB_DISABLE, SPP_HB_ENABLE, SPP_PMTUD_DISABLE, SPP_PMTUD_ENABLE,
            SPP_SACKDELAY_DISABLE, SPP_SACKDELAY_ENABLE,
        };
        for (flags, what) in [
            (SPP_HB_ENABLE | SPP_HB_DISABLE, "HB enable+disable"),
            (SPP_PMTUD_ENABLE | SPP_PMTUD_DISABLE, "PMTUD enable+disable"),
            (
                SPP_SACKDELAY_ENABLE | SPP_SACKDELAY_DISABLE,
                "SACKDELAY enable+disable",
            ),
        ] {
            assert_eq!(errno_of(set(&params(flags, None))), libc::EINVAL, "{what}");
        }
        // HB demand with neither an association nor an address (the endpoint defaults): EINVAL.
        let mut demand = params(SPP_HB_DEMAND, None);
        demand.spp_assoc_id = linux_sctp_sys::SCTP_FUTURE_ASSOC;
        assert_eq!(
            errno_of(set(&demand)),
            libc::EINVAL,
            "HB demand without an address"
        );
        // HB demand with the peer's address is fine.
        set(&params(SPP_HB_DEMAND, Some(to))).unwrap();
        // A short optlen: EINVAL.
        let p = params(SPP_HB_ENABLE, None);
        // SAFETY: sctp_paddrparams is plain data; viewing it as bytes is sound.
        let bytes = unsafe {
            std::slice::from_raw_parts(
                (&p as *const sctp_paddrparams).cast::<u8>(),
                size_of::<sctp_paddrparams>(),
            )
        };
        // SAFETY: SCTP_PEER_ADDR_PARAMS only reads its buffer (here it refuses the short
        // length without reading); `bytes` is live for the call. The raw call, because the
        // typed one always passes the whole struct.
        let r = unsafe {
            ops::setsockopt_bytes(
                cl.as_fd(),
                SOL_SCTP,
                linux_sctp_sys::SCTP_PEER_ADDR_PARAMS,
                &bytes[..20],
            )
        };
        assert_eq!(errno_of(r), libc::EINVAL, "short optlen");
        drop(srv);
    }
}
