//! Real-kernel tests of `sctp_sys::ops`, run against Linux SCTP (natively when the host kernel
//! has it, otherwise inside the user-mode-Linux lab through the cargo runner).
//!
//! They **fail** when SCTP is unavailable: there is no skip. Everything uses loopback
//! (127.0.0.1, 127.0.0.2, ::1) and ephemeral ports; every socket gets 5-second send and receive
//! timeouts so that a broken kernel interaction fails instead of hanging.
//!
//! PPID convention: the kernel passes PPIDs through untouched, so these tests use host-order
//! values throughout and check that the receiver sees exactly the number the sender wrote.

use std::collections::BTreeMap;
use std::io::{IoSlice, IoSliceMut};
use std::mem::size_of;
use std::net::{Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use libc::c_int;
use sctp_sys::addr::{pack_addrs, socket_addr_to_raw};
use sctp_sys::cmsg::SendCmsgs;
use sctp_sys::ops::{self, RecvMsg};
use sctp_sys::*;

const TIMEOUT_SECS: i64 = 5;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn errno_of(r: std::io::Result<impl std::fmt::Debug>) -> Option<i32> {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e.raw_os_error(),
    }
}

/// An SCTP socket with timeouts; panics (fails the test) when the kernel has no SCTP.
fn sock(domain: c_int, ty: c_int) -> OwnedFd {
    let fd = ops::socket(domain, ty | libc::SOCK_CLOEXEC).unwrap_or_else(|e| {
        panic!("socket(IPPROTO_SCTP) failed: {e}: this test needs a kernel with SCTP (run through the lab runner)")
    });
    let mut tv = Vec::new();
    tv.extend_from_slice(&TIMEOUT_SECS.to_ne_bytes());
    tv.extend_from_slice(&0i64.to_ne_bytes());
    for opt in [libc::SO_RCVTIMEO, libc::SO_SNDTIMEO] {
        ops::setsockopt_bytes(fd.as_fd(), libc::SOL_SOCKET, opt, &tv).unwrap();
    }
    fd
}

/// Binds with bindx (ADD) and returns the bound address with the kernel-chosen port.
fn bind(fd: BorrowedFd<'_>, a: &str) -> SocketAddr {
    ops::bindx(fd, &[addr(a)], SCTP_BINDX_ADD_ADDR).unwrap();
    let mut want = addr(a);
    let local = ops::getladdrs(fd, 0).unwrap();
    assert!(!local.is_empty());
    want.set_port(local[0].port());
    assert_ne!(want.port(), 0);
    if want.ip().is_unspecified() {
        // A wildcard endpoint lists every local address of its family.
        assert!(local.iter().all(|l| l.port() == want.port()), "{local:?}");
    } else {
        assert_eq!(local, [want]);
    }
    want
}

fn listen(fd: BorrowedFd<'_>) {
    // SAFETY: listen(2) takes no pointers.
    assert_eq!(unsafe { libc::listen(fd.as_raw_fd(), 16) }, 0);
}

fn accept(fd: BorrowedFd<'_>) -> OwnedFd {
    // SAFETY: null address pointers are allowed; SO_RCVTIMEO bounds the wait.
    let rc = unsafe {
        libc::accept4(
            fd.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            libc::SOCK_CLOEXEC,
        )
    };
    assert!(rc >= 0, "accept: {}", std::io::Error::last_os_error());
    // SAFETY: a new descriptor owned by nobody else.
    unsafe { OwnedFd::from_raw_fd(rc) }
}

fn fcntl(fd: BorrowedFd<'_>, cmd: c_int) -> c_int {
    // SAFETY: F_GETFL/F_GETFD take no pointer argument.
    let rc = unsafe { libc::fcntl(fd.as_raw_fd(), cmd) };
    assert!(rc >= 0);
    rc
}

fn set_nonblocking(fd: BorrowedFd<'_>) {
    let fl = fcntl(fd, libc::F_GETFL);
    // SAFETY: F_SETFL takes an int.
    assert_eq!(
        unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK) },
        0
    );
}

fn wait_readable(fd: BorrowedFd<'_>) {
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    let rc = unsafe { libc::poll(&mut p, 1, (TIMEOUT_SECS * 1000) as c_int) };
    assert_eq!(rc, 1, "socket did not become readable in time");
}

fn set_int(fd: BorrowedFd<'_>, opt: c_int, v: c_int) {
    ops::setsockopt(fd, SOL_SCTP, opt, &v).unwrap();
}

fn subscribe(fd: BorrowedFd<'_>, se_type: u16) {
    let ev = sctp_event {
        se_assoc_id: SCTP_FUTURE_ASSOC,
        se_type,
        se_on: 1,
    };
    ops::setsockopt(fd, SOL_SCTP, SCTP_EVENT, &ev).unwrap();
}

fn send(fd: BorrowedFd<'_>, data: &[u8], to: Option<SocketAddr>, info: sctp_sndinfo) -> usize {
    let cm = SendCmsgs {
        sndinfo: Some(info),
        ..Default::default()
    };
    ops::sendmsg(fd, &[IoSlice::new(data)], to.as_ref(), &cm, 0).unwrap()
}

fn sndinfo(sid: u16, ppid: u32, assoc: sctp_assoc_t) -> sctp_sndinfo {
    sctp_sndinfo {
        snd_sid: sid,
        snd_ppid: ppid,
        snd_assoc_id: assoc,
        ..Default::default()
    }
}

fn recv(fd: BorrowedFd<'_>, cap: usize) -> (Vec<u8>, RecvMsg) {
    let mut buf = vec![0u8; cap];
    let m = ops::recvmsg(fd, &mut [IoSliceMut::new(&mut buf)], 0)
        .unwrap_or_else(|e| panic!("recvmsg: {e}"));
    buf.truncate(m.len);
    (buf, m)
}

/// Reads the next message, which must be an SCTP_ASSOC_CHANGE notification with
/// `sac_state == state`, and returns `sac_assoc_id`. Offsets from `struct sctp_assoc_change`:
/// sn_type @0, sn_length @4, sac_state @8, sac_assoc_id @16.
fn expect_assoc_change(fd: BorrowedFd<'_>, state: u16) -> sctp_assoc_t {
    let (b, m) = recv(fd, 1024);
    assert!(
        m.is_notification(),
        "expected a notification, got {m:?} {b:?}"
    );
    assert!(m.is_eor());
    assert!(b.len() >= 20, "{b:?}");
    assert_eq!(u16::from_ne_bytes([b[0], b[1]]), SCTP_ASSOC_CHANGE);
    assert_eq!(
        u32::from_ne_bytes([b[4], b[5], b[6], b[7]]) as usize,
        b.len()
    );
    assert_eq!(u16::from_ne_bytes([b[8], b[9]]), state);
    let id = i32::from_ne_bytes([b[16], b[17], b[18], b[19]]);
    assert!(id > SCTP_ALL_ASSOC, "assoc id {id}");
    id
}

/// A one-to-one pair: (client, accepted server side, listener).
fn one_to_one(domain: c_int, local: &str) -> (OwnedFd, OwnedFd, OwnedFd, SocketAddr) {
    let l = sock(domain, libc::SOCK_STREAM);
    let laddr = bind(l.as_fd(), local);
    listen(l.as_fd());
    let c = sock(domain, libc::SOCK_STREAM);
    let r = ops::connectx(c.as_fd(), &[laddr]).unwrap();
    assert!(!r.in_progress, "blocking connectx finished");
    assert!(r.assoc_id > SCTP_ALL_ASSOC, "{r:?}");
    let s = accept(l.as_fd());
    (c, s, l, laddr)
}

/// A one-to-many server subscribed to ASSOC_CHANGE, listening on `local`.
fn many_server(domain: c_int, local: &str) -> (OwnedFd, SocketAddr) {
    let m = sock(domain, libc::SOCK_SEQPACKET);
    let a = bind(m.as_fd(), local);
    subscribe(m.as_fd(), SCTP_ASSOC_CHANGE);
    listen(m.as_fd());
    (m, a)
}

// ---------------------------------------------------------------------------------------
// Data path
// ---------------------------------------------------------------------------------------

#[test]
fn one_to_one_sndinfo_rcvinfo_eor() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    set_int(s.as_fd(), SCTP_RECVRCVINFO, 1);
    let n = send(c.as_fd(), b"hello sctp", None, sndinfo(3, 0x1234_5678, 0));
    assert_eq!(n, 10);
    let (data, m) = recv(s.as_fd(), 64);
    assert_eq!(data, b"hello sctp");
    assert!(
        m.is_eor() && !m.is_notification() && !m.is_ctrunc(),
        "{m:?}"
    );
    let rcv = m.cmsgs.rcvinfo.expect("RCVINFO attached");
    assert_eq!(rcv.rcv_sid, 3);
    assert_eq!(rcv.rcv_ppid, 0x1234_5678, "PPID passes through unchanged");
    assert_eq!(rcv.rcv_ssn, 0);
    assert!(
        m.cmsgs.sndrcv.is_none(),
        "no data-io subscription, no SNDRCV"
    );
    // msg_name is the client's address.
    let client_local = ops::getladdrs(c.as_fd(), 0).unwrap();
    assert_eq!(m.from, Some(client_local[0]));
    // The server's association id is the one SCTP_STATUS reports.
    let st: sctp_status = ops::getsockopt(s.as_fd(), SOL_SCTP, SCTP_STATUS).unwrap();
    assert_eq!(rcv.rcv_assoc_id, st.sstat_assoc_id);
    assert_eq!(st.sstat_state, SCTP_ESTABLISHED);

    // The deprecated SNDRCV path works too, with the data-io subscription. recvmsg checks the
    // *socket's* subscription; on a connected one-to-one socket SCTP_EVENT only changes the
    // association's mask (the id is ignored), so it takes SCTP_EVENTS, which sets both.
    subscribe(s.as_fd(), SCTP_DATA_IO_EVENT);
    let mut b = [0u8; 16];
    send(c.as_fd(), b"-", None, sndinfo(0, 0, 0));
    let m = ops::recvmsg(s.as_fd(), &mut [IoSliceMut::new(&mut b)], 0).unwrap();
    assert!(
        m.cmsgs.sndrcv.is_none(),
        "SCTP_EVENT on a 1:1 socket: still no SNDRCV"
    );
    let ev = sctp_event_subscribe {
        sctp_data_io_event: 1,
        ..Default::default()
    };
    ops::setsockopt(s.as_fd(), SOL_SCTP, SCTP_EVENTS, &ev).unwrap();
    let cm = SendCmsgs {
        sndrcv: Some(sctp_sndrcvinfo {
            sinfo_stream: 4,
            sinfo_ppid: 99,
            ..Default::default()
        }),
        ..Default::default()
    };
    ops::sendmsg(
        c.as_fd(),
        &[IoSlice::new(b"x"), IoSlice::new(b"yz")],
        None,
        &cm,
        0,
    )
    .unwrap();
    let (data, m) = recv(s.as_fd(), 64);
    assert_eq!(data, b"xyz");
    let sr = m.cmsgs.sndrcv.expect("SNDRCV attached");
    assert_eq!((sr.sinfo_stream, sr.sinfo_ppid, sr.sinfo_ssn), (4, 99, 0));
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_sid, 4);
}

#[test]
fn partial_read_sets_eor_only_on_the_last_piece() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    set_int(s.as_fd(), SCTP_RECVRCVINFO, 1);
    let msg: Vec<u8> = (0..100u8).collect();
    send(c.as_fd(), &msg, None, sndinfo(1, 7, 0));
    send(c.as_fd(), b"next", None, sndinfo(2, 8, 0));
    let mut got = Vec::new();
    let mut lens = Vec::new();
    loop {
        let (b, m) = recv(s.as_fd(), 30);
        let r = m.cmsgs.rcvinfo.unwrap();
        assert_eq!(
            (r.rcv_sid, r.rcv_ppid),
            (1, 7),
            "same RCVINFO on every piece"
        );
        got.extend_from_slice(&b);
        lens.push(m.len);
        if m.is_eor() {
            break;
        }
    }
    assert_eq!(lens, [30, 30, 30, 10]);
    assert_eq!(got, msg);
    let (b, m) = recv(s.as_fd(), 30);
    assert_eq!(b, b"next");
    assert!(m.is_eor());
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_sid, 2);
}

#[test]
fn one_to_many_implicit_association_and_comm_up() {
    let (m, maddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    set_int(m.as_fd(), SCTP_RECVRCVINFO, 1);
    set_int(m.as_fd(), SCTP_RECVNXTINFO, 1);
    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);
    set_int(c.as_fd(), SCTP_RECVRCVINFO, 1);

    // sendmsg to an unknown peer creates the association.
    send(c.as_fd(), b"first", Some(maddr), sndinfo(2, 0x0102_0304, 0));
    send(c.as_fd(), b"second!", Some(maddr), sndinfo(5, 6, 0));
    let cid = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);

    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"first");
    let ri = r.cmsgs.rcvinfo.unwrap();
    assert_eq!(
        (ri.rcv_sid, ri.rcv_ppid, ri.rcv_assoc_id),
        (2, 0x0102_0304, sid)
    );
    // NXTINFO describes the message queued behind this one.
    let nx = r
        .cmsgs
        .nxtinfo
        .expect("NXTINFO with a second message queued");
    assert_eq!(
        (nx.nxt_sid, nx.nxt_ppid, nx.nxt_length, nx.nxt_assoc_id),
        (5, 6, 7, sid)
    );
    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"second!");
    assert!(
        r.cmsgs.nxtinfo.is_none(),
        "nothing queued behind the last message"
    );
    let from = r.from.unwrap();
    assert_eq!(from.ip(), addr("127.0.0.1:0").ip());

    // Reply by association id, without an address.
    send(m.as_fd(), b"reply", None, sndinfo(1, 77, sid));
    let (b, r) = recv(c.as_fd(), 64);
    assert_eq!(b, b"reply");
    let ri = r.cmsgs.rcvinfo.unwrap();
    assert_eq!((ri.rcv_sid, ri.rcv_ppid, ri.rcv_assoc_id), (1, 77, cid));
    assert_eq!(r.from, Some(maddr));

    // No address and an unknown id: EPIPE, as an error (MSG_NOSIGNAL: no SIGPIPE).
    let e = ops::sendmsg(
        m.as_fd(),
        &[IoSlice::new(b"x")],
        None,
        &SendCmsgs {
            sndinfo: Some(sndinfo(0, 0, 4242)),
            ..Default::default()
        },
        0,
    );
    assert_eq!(errno_of(e), Some(libc::EPIPE));
}

#[test]
fn bindx_two_addresses_then_remove_one() {
    let m = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    let a1 = bind(m.as_fd(), "127.0.0.1:0");
    let port = a1.port();
    let a2 = SocketAddr::from(([127, 0, 0, 2], port));
    ops::bindx(m.as_fd(), &[a2], SCTP_BINDX_ADD_ADDR).unwrap();
    let mut l = ops::getladdrs(m.as_fd(), 0).unwrap();
    l.sort();
    assert_eq!(l, [a1, a2]);
    // A different port is refused.
    let other = SocketAddr::from(([127, 0, 0, 3], port.wrapping_add(1)));
    assert_eq!(
        errno_of(ops::bindx(m.as_fd(), &[other], SCTP_BINDX_ADD_ADDR)),
        Some(libc::EINVAL)
    );
    // Flags other than exactly ADD or REM are refused.
    assert_eq!(
        errno_of(ops::bindx(m.as_fd(), &[a2], 3)),
        Some(libc::EINVAL)
    );
    ops::bindx(m.as_fd(), &[a2], SCTP_BINDX_REM_ADDR).unwrap();
    assert_eq!(ops::getladdrs(m.as_fd(), 0).unwrap(), [a1]);
    // Several at once, packed in one list.
    let a3 = SocketAddr::from(([127, 0, 0, 3], port));
    ops::bindx(m.as_fd(), &[a2, a3], SCTP_BINDX_ADD_ADDR).unwrap();
    let mut l = ops::getladdrs(m.as_fd(), 0).unwrap();
    l.sort();
    assert_eq!(l, [a1, a2, a3]);
}

#[test]
fn connectx_multihomed_reports_the_comm_up_id() {
    let (m, a1) = many_server(libc::AF_INET, "127.0.0.1:0");
    let a2 = SocketAddr::from(([127, 0, 0, 2], a1.port()));
    ops::bindx(m.as_fd(), &[a2], SCTP_BINDX_ADD_ADDR).unwrap();

    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET | libc::SOCK_NONBLOCK);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);
    let r = ops::connectx(c.as_fd(), &[a1, a2]).unwrap();
    assert!(r.in_progress, "non-blocking connectx is in progress: {r:?}");
    assert!(r.assoc_id > SCTP_ALL_ASSOC);
    wait_readable(c.as_fd());
    let id = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    assert_eq!(id, r.assoc_id, "CONNECTX3 id == COMM_UP sac_assoc_id");
    let mut p = ops::getpaddrs(c.as_fd(), id).unwrap();
    p.sort();
    assert_eq!(p, [a1, a2]);
    wait_readable(m.as_fd());
    let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
    let mut l = ops::getladdrs(m.as_fd(), sid).unwrap();
    l.sort();
    assert_eq!(l, [a1, a2]);
    // Unknown association: EINVAL, not an empty list.
    assert_eq!(
        errno_of(ops::getpaddrs(c.as_fd(), 9999)),
        Some(libc::EINVAL)
    );
    // Connecting again to the same peer.
    let e = ops::connectx(c.as_fd(), &[a1]);
    assert_eq!(errno_of(e), Some(libc::EISCONN));
}

#[test]
fn ipv6_loopback_and_v4_mapped_peers() {
    let (c, s, _l, laddr) = one_to_one(libc::AF_INET6, "[::1]:0");
    assert_eq!(laddr.ip(), Ipv6Addr::LOCALHOST);
    set_int(s.as_fd(), SCTP_RECVRCVINFO, 1);
    send(c.as_fd(), b"v6", None, sndinfo(1, 0xfeed_f00d, 0));
    let (b, m) = recv(s.as_fd(), 16);
    assert_eq!(b, b"v6");
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_ppid, 0xfeed_f00d);
    let from = m.from.unwrap();
    assert_eq!(from.ip(), Ipv6Addr::LOCALHOST);
    assert_eq!(ops::getpaddrs(c.as_fd(), 0).unwrap(), [laddr]);
    // The client was not bound, so it announced every local address: ::1 and, through the
    // dual-stack socket, 127.0.0.1 (v4-mapped). The kernel fills in the loopback scope id.
    let mut peers: Vec<_> = ops::getpaddrs(s.as_fd(), 0)
        .unwrap()
        .iter()
        .map(|a| (a.ip(), a.port()))
        .collect();
    peers.sort();
    let mapped = Ipv6Addr::from([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    assert_eq!(
        peers,
        [
            (Ipv6Addr::LOCALHOST.into(), from.port()),
            (mapped.into(), from.port())
        ]
    );

    // An AF_INET6 wildcard server sees an IPv4 client as ::ffff:127.0.0.1 (mapped by default).
    let (m, maddr) = many_server(libc::AF_INET6, "[::]:0");
    set_int(m.as_fd(), SCTP_RECVRCVINFO, 1);
    let c4 = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    let to = SocketAddr::from(([127, 0, 0, 1], maddr.port()));
    send(c4.as_fd(), b"v4", Some(to), sndinfo(0, 1, 0));
    let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
    let (_, r) = recv(m.as_fd(), 16);
    let from = r.from.unwrap();
    assert_eq!(from.ip(), mapped, "v4-mapped msg_name");
    let peers = ops::getpaddrs(m.as_fd(), sid).unwrap();
    assert_eq!(peers, [from], "v4-mapped getpaddrs entry (28 bytes)");
    // With mapping off, the same list comes back as a 16-byte sockaddr_in.
    set_int(m.as_fd(), SCTP_I_WANT_MAPPED_V4_ADDR, 0);
    let peers = ops::getpaddrs(m.as_fd(), sid).unwrap();
    assert_eq!(peers, [SocketAddr::from(([127, 0, 0, 1], from.port()))]);
}

/// A client of [`server_with_two_assocs`]: its socket, its association id and the server's.
struct Client {
    fd: OwnedFd,
    id: sctp_assoc_t,
    server_id: sctp_assoc_t,
}

/// Sets up a one-to-many server with two associations from one-to-many clients.
fn server_with_two_assocs() -> (OwnedFd, SocketAddr, Vec<Client>) {
    let (m, maddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    let mut clients = Vec::new();
    for i in 0..2u8 {
        let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
        subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);
        let r = ops::connectx(c.as_fd(), &[maddr]).unwrap();
        assert!(!r.in_progress);
        assert_eq!(expect_assoc_change(c.as_fd(), SCTP_COMM_UP), r.assoc_id);
        let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
        send(c.as_fd(), &[i], None, sndinfo(0, 0, r.assoc_id));
        let (b, _) = recv(m.as_fd(), 16);
        assert_eq!(b, [i]);
        clients.push(Client {
            fd: c,
            id: r.assoc_id,
            server_id: sid,
        });
    }
    (m, maddr, clients)
}

#[test]
fn peeloff_and_peeloff_flags() {
    let (m, _maddr, clients) = server_with_two_assocs();
    let (ca, ida) = (&clients[0].fd, clients[0].server_id);
    let (cb, idb) = (&clients[1].fd, clients[1].server_id);
    let (ca_id, cb_id) = (clients[0].id, clients[1].id);

    // Plain peeloff: blocking, no close-on-exec, whatever the parent.
    let pa = ops::peeloff(m.as_fd(), ida).unwrap();
    assert_eq!(fcntl(pa.as_fd(), libc::F_GETFL) & libc::O_NONBLOCK, 0);
    assert_eq!(fcntl(pa.as_fd(), libc::F_GETFD) & libc::FD_CLOEXEC, 0);
    let ty: c_int = ops::getsockopt(pa.as_fd(), libc::SOL_SOCKET, libc::SO_TYPE).unwrap();
    assert_eq!(ty, libc::SOCK_SEQPACKET, "a peeled socket stays SEQPACKET");
    send(ca.as_fd(), b"to peeled a", None, sndinfo(0, 0, ca_id));
    let (b, _) = recv(pa.as_fd(), 64);
    assert_eq!(b, b"to peeled a");
    send(pa.as_fd(), b"from peeled a", None, sndinfo(0, 0, 0));
    assert_eq!(recv(ca.as_fd(), 64).0, b"from peeled a");
    // The association left the parent.
    assert_eq!(errno_of(ops::peeloff(m.as_fd(), ida)), Some(libc::EINVAL));
    // Peeling off a peeled (or any one-to-one style) socket is refused.
    assert_eq!(errno_of(ops::peeloff(pa.as_fd(), ida)), Some(libc::EINVAL));

    // peeloff_flags: non-blocking and close-on-exec, atomically.
    let pb = ops::peeloff_flags(
        m.as_fd(),
        idb,
        (libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC) as u32,
    )
    .unwrap();
    assert_ne!(fcntl(pb.as_fd(), libc::F_GETFL) & libc::O_NONBLOCK, 0);
    assert_ne!(fcntl(pb.as_fd(), libc::F_GETFD) & libc::FD_CLOEXEC, 0);
    let mut buf = [0u8; 16];
    let e = ops::recvmsg(pb.as_fd(), &mut [IoSliceMut::new(&mut buf)], 0);
    assert_eq!(errno_of(e), Some(libc::EAGAIN));
    send(cb.as_fd(), b"to peeled b", None, sndinfo(0, 0, cb_id));
    wait_readable(pb.as_fd());
    assert_eq!(recv(pb.as_fd(), 64).0, b"to peeled b");
    // Only SOCK_NONBLOCK | SOCK_CLOEXEC are accepted.
    assert_eq!(
        errno_of(ops::peeloff_flags(m.as_fd(), idb, libc::O_APPEND as u32)),
        Some(libc::EINVAL)
    );
    // One-to-one sockets cannot be peeled.
    let (c1, _s1, _l1, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    assert_eq!(errno_of(ops::peeloff(c1.as_fd(), 0)), Some(libc::EINVAL));
    // The parent has no associations left.
    let n: u32 = ops::getsockopt(m.as_fd(), SOL_SCTP, SCTP_GET_ASSOC_NUMBER).unwrap();
    assert_eq!(n, 0);
}
