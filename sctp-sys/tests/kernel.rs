//! Real-kernel tests of `linux_sctp_sys::ops`, run against Linux SCTP (natively when the host kernel
//! has it, otherwise inside the user-mode-Linux lab through the cargo runner).
//!
//! They **fail** when SCTP is unavailable: there is no skip. Everything uses loopback
//! (127.0.0.1, 127.0.0.2, ::1) and ephemeral ports; every socket gets 5-second send and receive
//! timeouts so that a broken kernel interaction fails instead of hanging.
//!
//! PPID convention: the kernel passes PPIDs through untouched, so these tests use host-order
//! values throughout and check that the receiver sees exactly the number the sender wrote.
//!
//! What the 6.1 lab kernel cannot exercise: the stream schedulers of Linux 6.4 (`SCTP_SS_FC`,
//! `SCTP_SS_WFQ`) and option numbers past 133, asserted as the refusals 6.1 gives (`EINVAL`,
//! `ENOPROTOOPT`). Options that need a feature its default sysctls turn off (stream
//! reconfiguration, ASCONF's `SCTP_SET_PEER_PRIMARY_ADDR`, interleaving) are asserted as their
//! refusals here; AUTH is exercised for real by turning `SCTP_AUTH_SUPPORTED` on per endpoint.

use std::collections::BTreeMap;
use std::io::{IoSlice, IoSliceMut};
use std::mem::size_of;
use std::net::{Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use libc::c_int;
use linux_sctp_sys::addr::{pack_addrs, socket_addr_to_raw};
use linux_sctp_sys::cmsg::SendCmsgs;
use linux_sctp_sys::ops::{self, RecvMsg};
use linux_sctp_sys::*;

mod support;
use support::{accept, set_int, subscribe, wait_readable, TIMEOUT_SECS};

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

fn fcntl(fd: BorrowedFd<'_>, cmd: c_int) -> c_int {
    // SAFETY: F_GETFL/F_GETFD take no pointer argument.
    let rc = unsafe { libc::fcntl(fd.as_raw_fd(), cmd) };
    assert!(rc >= 0);
    rc
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

// ---------------------------------------------------------------------------------------
// Every socket option
// ---------------------------------------------------------------------------------------

/// Collects the outcome of every option row, so that one run reports every mismatch.
#[derive(Default)]
struct Table {
    /// optname -> name, for every row.
    rows: BTreeMap<c_int, &'static str>,
    gets: usize,
    sets: usize,
    refusals: usize,
    failures: Vec<String>,
}

macro_rules! opt {
    ($name:ident) => {
        ($name, stringify!($name))
    };
}

type Opt = (c_int, &'static str);

impl Table {
    fn row(&mut self, (opt, name): Opt) {
        self.rows.insert(opt, name);
    }

    fn fail(&mut self, name: &str, what: String) {
        self.failures.push(format!("{name}: {what}"));
    }

    fn check<V: PartialEq + std::fmt::Debug>(&mut self, o: Opt, what: &str, got: V, want: V) {
        if got != want {
            self.fail(o.1, format!("{what}: got {got:?}, want {want:?}"));
        }
    }

    fn ok(&mut self, o: Opt, what: &str, cond: bool) {
        if !cond {
            self.fail(o.1, format!("{what}: false"));
        }
    }

    /// getsockopt with `v` as input; the kernel must fill the whole struct.
    fn get<T: Pod>(&mut self, fd: BorrowedFd<'_>, o: Opt, mut v: T) -> T {
        self.row(o);
        match ops::getsockopt_inout(fd, SOL_SCTP, o.0, &mut v) {
            Ok(len) => {
                self.gets += 1;
                self.check(o, "getsockopt length", len as usize, size_of::<T>());
            }
            Err(e) => self.fail(o.1, format!("getsockopt: {e}")),
        }
        v
    }

    /// [`get`](Self::get) with `query`, then checks `view` of the answer against `want`.
    fn get_check<T: Pod, V: PartialEq + std::fmt::Debug>(
        &mut self,
        fd: BorrowedFd<'_>,
        o: Opt,
        query: T,
        what: &str,
        view: impl Fn(T) -> V,
        want: V,
    ) -> T {
        let v = self.get(fd, o, query);
        self.check(o, what, view(v), want);
        v
    }

    /// The round trip of a struct option: `view` of the answer to `query` is `default`; after
    /// setting `new`, `view` of the answer to `query` is `after`.
    #[allow(clippy::too_many_arguments)]
    fn roundtrip<T: Pod, V: PartialEq + std::fmt::Debug>(
        &mut self,
        fd: BorrowedFd<'_>,
        o: Opt,
        query: T,
        view: impl Fn(T) -> V,
        default: V,
        new: &T,
        after: V,
    ) {
        self.get_check(fd, o, query, "default", &view, default);
        self.set(fd, o, new);
        self.get_check(fd, o, query, "after set", &view, after);
    }

    fn set<T: Pod>(&mut self, fd: BorrowedFd<'_>, o: Opt, v: &T) {
        self.row(o);
        match ops::setsockopt(fd, SOL_SCTP, o.0, v) {
            Ok(()) => self.sets += 1,
            Err(e) => self.fail(o.1, format!("setsockopt: {e}")),
        }
    }

    fn set_bytes(&mut self, fd: BorrowedFd<'_>, o: Opt, v: &[u8]) {
        self.row(o);
        match ops::setsockopt_bytes(fd, SOL_SCTP, o.0, v) {
            Ok(()) => self.sets += 1,
            Err(e) => self.fail(o.1, format!("setsockopt: {e}")),
        }
    }

    fn get_bytes(&mut self, fd: BorrowedFd<'_>, o: Opt, buf: &mut [u8]) -> usize {
        self.row(o);
        match ops::getsockopt_bytes(fd, SOL_SCTP, o.0, buf) {
            Ok(n) => {
                self.gets += 1;
                n
            }
            Err(e) => {
                self.fail(o.1, format!("getsockopt: {e}"));
                0
            }
        }
    }

    fn refused(&mut self, o: Opt, what: &str, r: std::io::Result<()>, errno: i32) {
        self.row(o);
        match r {
            Ok(()) => self.fail(o.1, format!("{what}: succeeded, expected errno {errno}")),
            Err(e) if e.raw_os_error() == Some(errno) => self.refusals += 1,
            Err(e) => self.fail(o.1, format!("{what}: {e}, expected errno {errno}")),
        }
    }

    fn get_refused<T: Pod>(&mut self, fd: BorrowedFd<'_>, o: Opt, mut v: T, errno: i32) {
        let r = ops::getsockopt_inout(fd, SOL_SCTP, o.0, &mut v).map(drop);
        self.refused(o, "getsockopt", r, errno);
    }

    fn set_refused<T: Pod>(&mut self, fd: BorrowedFd<'_>, o: Opt, v: &T, errno: i32) {
        let r = ops::setsockopt(fd, SOL_SCTP, o.0, v);
        self.refused(o, "setsockopt", r, errno);
    }
}

fn int_roundtrip(t: &mut Table, fd: BorrowedFd<'_>, o: Opt, default: c_int, new: c_int) {
    t.roundtrip(fd, o, 0 as c_int, |v| v, default, &new, new);
}

fn assoc_value(id: sctp_assoc_t, v: u32) -> sctp_assoc_value {
    sctp_assoc_value {
        assoc_id: id,
        assoc_value: v,
    }
}

/// Reads a `sctp_assoc_value` option for `id`, checks it, sets `set_id` to `new` and reads
/// `set_id` back.
fn av_roundtrip(
    t: &mut Table,
    fd: BorrowedFd<'_>,
    o: Opt,
    (id, want): (sctp_assoc_t, u32),
    (set_id, new): (sctp_assoc_t, u32),
) {
    t.get_check(fd, o, assoc_value(id, 0), "value", |v| v.assoc_value, want);
    t.set(fd, o, &assoc_value(set_id, new));
    let v = t.get(fd, o, assoc_value(set_id, 0));
    t.check(o, "after set", v.assoc_value, new);
}

fn storage(a: SocketAddr) -> libc::sockaddr_storage {
    socket_addr_to_raw(&a).0
}

/// Every SCTP socket option of Linux 6.1, one row per option name: read on a live
/// association, set and read back where the kernel lets us, and the refusals the default
/// sysctls cause asserted with their errno.
#[test]
fn every_socket_option() {
    let mut t = Table::default();

    // A live one-to-many association: server `m` (bound to 127.0.0.1) <- client `c`.
    let (m, maddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);
    send(c.as_fd(), b"hi", Some(maddr), sndinfo(0, 0, 0));
    let cid = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    let id = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
    assert_eq!(recv(m.as_fd(), 16).0, b"hi");
    let peer = ops::getpaddrs(m.as_fd(), id).unwrap()[0];
    let fd = m.as_fd();
    let zero = storage(SocketAddr::from(([0, 0, 0, 0], 0)));

    // 0 SCTP_RTOINFO: sysctl defaults rto_initial/max/min 3000/60000/1000.
    let o = opt!(SCTP_RTOINFO);
    let q = sctp_rtoinfo {
        srto_assoc_id: id,
        ..Default::default()
    };
    let rto = |v: sctp_rtoinfo| (v.srto_assoc_id, v.srto_initial, v.srto_max, v.srto_min);
    let new = sctp_rtoinfo {
        srto_assoc_id: id,
        srto_initial: 2000,
        srto_max: 50000,
        srto_min: 500,
    };
    t.roundtrip(fd, o, q, rto, (id, 3000, 60000, 1000), &new, rto(new));

    // 1 SCTP_ASSOCINFO
    let o = opt!(SCTP_ASSOCINFO);
    let q = sctp_assocparams {
        sasoc_assoc_id: id,
        ..Default::default()
    };
    let v = t.get_check(
        fd,
        o,
        q,
        "maxrxt/peers/cookie",
        |v| {
            let n = v.sasoc_number_peer_destinations;
            (v.sasoc_asocmaxrxt, n, v.sasoc_cookie_life)
        },
        (10, 1, 60000),
    );
    t.ok(o, "peer_rwnd > 0", v.sasoc_peer_rwnd > 0);
    let new = sctp_assocparams {
        sasoc_asocmaxrxt: 8,
        ..q
    };
    t.set(fd, o, &new);
    t.get_check(fd, o, q, "maxrxt after set", |v| v.sasoc_asocmaxrxt, 8);

    // 2 SCTP_INITMSG (endpoint: future associations)
    let o = opt!(SCTP_INITMSG);
    let init = |o, i, a, t| sctp_initmsg {
        sinit_num_ostreams: o,
        sinit_max_instreams: i,
        sinit_max_attempts: a,
        sinit_max_init_timeo: t,
    };
    let new = init(12, 13, 4, 1000);
    let q = sctp_initmsg::default();
    t.roundtrip(fd, o, q, |v| v, init(10, 65535, 8, 60000), &new, new);

    // 3 SCTP_NODELAY
    int_roundtrip(&mut t, fd, opt!(SCTP_NODELAY), 0, 1);

    // 4 SCTP_AUTOCLOSE: one-to-many only.
    int_roundtrip(&mut t, fd, opt!(SCTP_AUTOCLOSE), 0, 30);
    let (c1, s1, _l1, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    t.get_refused(
        s1.as_fd(),
        opt!(SCTP_AUTOCLOSE),
        0 as c_int,
        libc::EOPNOTSUPP,
    );
    t.set_refused(
        s1.as_fd(),
        opt!(SCTP_AUTOCLOSE),
        &5 as &c_int,
        libc::EOPNOTSUPP,
    );

    // 5 SCTP_SET_PEER_PRIMARY_ADDR (set only): needs ASCONF (net.sctp.addip_enable = 0).
    let o = opt!(SCTP_SET_PEER_PRIMARY_ADDR);
    let spp = sctp_setpeerprim(sctp_setpeerprim_packed {
        sspp_assoc_id: id,
        sspp_addr: storage(maddr),
    });
    t.set_refused(fd, o, &spp, libc::EPERM);
    t.get_refused(fd, o, spp, libc::ENOPROTOOPT);

    // 6 SCTP_PRIMARY_ADDR
    let o = opt!(SCTP_PRIMARY_ADDR);
    let mut prim = sctp_prim(sctp_prim_packed {
        ssp_assoc_id: id,
        ..Default::default()
    });
    let addr_of =
        |v: sctp_prim| linux_sctp_sys::addr::socket_addr_from_raw(&{ v.ssp_addr }, 16).ok();
    t.get_check(fd, o, prim, "primary", addr_of, Some(peer));
    prim.ssp_addr = storage(peer);
    t.set(fd, o, &prim);

    // 7 SCTP_ADAPTATION_LAYER
    let o = opt!(SCTP_ADAPTATION_LAYER);
    let ind = |v: sctp_setadaptation| v.ssb_adaptation_ind;
    let new = sctp_setadaptation {
        ssb_adaptation_ind: 0x0102_0304,
    };
    let q = sctp_setadaptation::default();
    t.roundtrip(fd, o, q, ind, 0, &new, 0x0102_0304);

    // 8 SCTP_DISABLE_FRAGMENTS
    int_roundtrip(&mut t, fd, opt!(SCTP_DISABLE_FRAGMENTS), 0, 1);
    set_int(fd, SCTP_DISABLE_FRAGMENTS, 0);

    // 9 SCTP_PEER_ADDR_PARAMS: association-wide (wildcard address) and per transport.
    let o = opt!(SCTP_PEER_ADDR_PARAMS);
    let mut pp = sctp_paddrparams(sctp_paddrparams_packed {
        spp_assoc_id: id,
        ..Default::default()
    });
    let v = t.get_check(
        fd,
        o,
        pp,
        "hbinterval/pathmaxrxt/sackdelay",
        |v| (v.spp_hbinterval, v.spp_pathmaxrxt, v.spp_sackdelay),
        (30000, 5, 200),
    );
    let want = SPP_HB_ENABLE | SPP_PMTUD_ENABLE | SPP_SACKDELAY_ENABLE;
    t.check(o, "flags", { v.spp_flags } & want, want);
    t.ok(o, "pathmtu > 0", { v.spp_pathmtu } > 0);
    pp.spp_hbinterval = 5000;
    pp.spp_flags = SPP_HB_ENABLE;
    t.set(fd, o, &pp);
    let q = sctp_paddrparams(sctp_paddrparams_packed {
        spp_assoc_id: id,
        spp_address: storage(peer),
        ..Default::default()
    });
    let what = "transport hbinterval after set";
    t.get_check(fd, o, q, what, |v| v.spp_hbinterval, 5000);

    // 10 SCTP_DEFAULT_SEND_PARAM
    let o = opt!(SCTP_DEFAULT_SEND_PARAM);
    let q = sctp_sndrcvinfo {
        sinfo_assoc_id: id,
        ..Default::default()
    };
    let new = sctp_sndrcvinfo {
        sinfo_stream: 1,
        sinfo_ppid: 7,
        sinfo_context: 9,
        ..q
    };
    let sp = |v: sctp_sndrcvinfo| (v.sinfo_stream, v.sinfo_ppid, v.sinfo_context);
    t.roundtrip(fd, o, q, sp, (0, 0, 0), &new, (1, 7, 9));

    // 34 SCTP_DEFAULT_SNDINFO shares that storage.
    let o = opt!(SCTP_DEFAULT_SNDINFO);
    let q = sndinfo(0, 0, id);
    let si = |v: sctp_sndinfo| (v.snd_sid, v.snd_ppid, v.snd_context);
    t.get_check(fd, o, q, "same as DEFAULT_SEND_PARAM", si, (1, 7, 9));
    t.set(fd, o, &sndinfo(2, 0x1234_5678, id));
    let sid_ppid = |v: sctp_sndinfo| (v.snd_sid, v.snd_ppid);
    t.get_check(fd, o, q, "after set", sid_ppid, (2, 0x1234_5678));

    // 11 SCTP_EVENTS (the 14-byte struct of 5.5+)
    let o = opt!(SCTP_EVENTS);
    let so_far = sctp_event_subscribe {
        sctp_association_event: 1,
        ..Default::default()
    };
    let new = sctp_event_subscribe {
        sctp_address_event: 1,
        sctp_send_failure_event_event: 1,
        ..so_far
    };
    let q = sctp_event_subscribe::default();
    t.get_check(fd, o, q, "subscribed so far", |v| v, so_far);
    t.set(fd, o, &new);
    t.get_check(fd, o, q, "after set", |v| v, new);

    // 127 SCTP_EVENT (per type, per association)
    let o = opt!(SCTP_EVENT);
    let ev = |se_type, se_on| sctp_event {
        se_assoc_id: id,
        se_type,
        se_on,
    };
    let on = |v: sctp_event| v.se_on;
    t.roundtrip(
        fd,
        o,
        ev(SCTP_SHUTDOWN_EVENT, 0),
        on,
        0,
        &ev(SCTP_SHUTDOWN_EVENT, 1),
        1,
    );
    t.get_check(
        fd,
        o,
        ev(SCTP_PEER_ADDR_CHANGE, 0),
        "set by SCTP_EVENTS",
        on,
        1,
    );
    t.set_refused(fd, o, &ev(7, 1), libc::EINVAL);

    // 12 SCTP_I_WANT_MAPPED_V4_ADDR
    int_roundtrip(&mut t, fd, opt!(SCTP_I_WANT_MAPPED_V4_ADDR), 1, 0);
    set_int(fd, SCTP_I_WANT_MAPPED_V4_ADDR, 1);

    // 13 SCTP_MAXSEG: with an association the getter reports its fragmentation point.
    let o = opt!(SCTP_MAXSEG);
    let v = t.get(fd, o, assoc_value(id, 0));
    t.ok(o, "frag point > 1000", v.assoc_value > 1000);
    t.set(fd, o, &assoc_value(id, 1200));
    t.get_check(
        fd,
        o,
        assoc_value(id, 0),
        "after set",
        |v| v.assoc_value,
        1200,
    );

    // 14 SCTP_STATUS (get only)
    let o = opt!(SCTP_STATUS);
    let status = |sstat_assoc_id| sctp_status {
        sstat_assoc_id,
        ..Default::default()
    };
    let v = t.get_check(
        fd,
        o,
        status(id),
        "state/instrms/outstrms",
        |v| (v.sstat_state, v.sstat_instrms, v.sstat_outstrms),
        (SCTP_ESTABLISHED, 10, 10),
    );
    let primary = v.sstat_primary.spinfo_state;
    t.check(o, "primary state", primary, SCTP_ACTIVE);
    t.check(o, "frag point (MAXSEG)", v.sstat_fragmentation_point, 1200);
    t.set_refused(fd, o, &v, libc::ENOPROTOOPT);
    t.get_refused(fd, o, status(9999), libc::EINVAL);

    // 15 SCTP_GET_PEER_ADDR_INFO (get only)
    let o = opt!(SCTP_GET_PEER_ADDR_INFO);
    let mut pi = sctp_paddrinfo(sctp_paddrinfo_packed {
        spinfo_assoc_id: id,
        spinfo_address: storage(peer),
        ..Default::default()
    });
    let v = t.get_check(fd, o, pi, "state", |v| v.spinfo_state, SCTP_ACTIVE);
    t.ok(
        o,
        "mtu/rto/cwnd > 0",
        { v.spinfo_mtu } > 0 && { v.spinfo_rto } > 0 && { v.spinfo_cwnd } > 0,
    );
    pi.spinfo_address = storage(SocketAddr::from(([127, 0, 0, 9], 1)));
    t.get_refused(fd, o, pi, libc::EINVAL);

    // 16 SCTP_DELAYED_SACK (= SCTP_DELAYED_ACK_TIME)
    let o = opt!(SCTP_DELAYED_SACK);
    let sack = |sack_delay, sack_freq| sctp_sack_info {
        sack_assoc_id: id,
        sack_delay,
        sack_freq,
    };
    let df = |v: sctp_sack_info| (v.sack_delay, v.sack_freq);
    t.roundtrip(fd, o, sack(0, 0), df, (200, 2), &sack(100, 2), (100, 2));
    t.set_refused(fd, o, &sack(501, 2), libc::EINVAL);

    // 17 SCTP_CONTEXT
    av_roundtrip(&mut t, fd, opt!(SCTP_CONTEXT), (id, 0), (id, 42));

    // 18 SCTP_FRAGMENT_INTERLEAVE
    int_roundtrip(&mut t, fd, opt!(SCTP_FRAGMENT_INTERLEAVE), 0, 1);

    // 19 SCTP_PARTIAL_DELIVERY_POINT (u32)
    let o = opt!(SCTP_PARTIAL_DELIVERY_POINT);
    t.roundtrip(fd, o, 0u32, |v| v, 0, &1000u32, 1000);

    // 20 SCTP_MAX_BURST
    av_roundtrip(&mut t, fd, opt!(SCTP_MAX_BURST), (id, 4), (id, 8));

    // 21-27, 35: AUTH. Refused while net.sctp.auth_enable = 0 (EACCES); the set-only ones
    // answer getsockopt with EOPNOTSUPP.
    let key = |id: sctp_assoc_t, n: u16| {
        let mut b = Vec::new();
        b.extend_from_slice(&id.to_ne_bytes());
        b.extend_from_slice(&n.to_ne_bytes());
        b.extend_from_slice(&4u16.to_ne_bytes());
        b.extend_from_slice(b"k3y!");
        b
    };
    let hmacs = |ids: &[u16]| {
        let mut b = (ids.len() as u32).to_ne_bytes().to_vec();
        for i in ids {
            b.extend_from_slice(&i.to_ne_bytes());
        }
        b
    };
    let keyid = |id, n| sctp_authkeyid {
        scact_assoc_id: id,
        scact_keynumber: n,
    };
    t.set_refused(
        fd,
        opt!(SCTP_AUTH_CHUNK),
        &sctp_authchunk { sauth_chunk: 0 },
        libc::EACCES,
    );
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_CHUNK),
        sctp_authchunk::default(),
        libc::EOPNOTSUPP,
    );
    let r = ops::setsockopt_bytes(
        fd,
        SOL_SCTP,
        SCTP_HMAC_IDENT,
        &hmacs(&[SCTP_AUTH_HMAC_ID_SHA1]),
    );
    t.refused(opt!(SCTP_HMAC_IDENT), "setsockopt", r, libc::EACCES);
    let r = ops::getsockopt_bytes(fd, SOL_SCTP, SCTP_HMAC_IDENT, &mut [0u8; 64]).map(drop);
    t.refused(opt!(SCTP_HMAC_IDENT), "getsockopt", r, libc::EACCES);
    let r = ops::setsockopt_bytes(fd, SOL_SCTP, SCTP_AUTH_KEY, &key(id, 1));
    t.refused(opt!(SCTP_AUTH_KEY), "setsockopt", r, libc::EACCES);
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_KEY),
        sctp_authkey::default(),
        libc::EOPNOTSUPP,
    );
    t.set_refused(fd, opt!(SCTP_AUTH_ACTIVE_KEY), &keyid(id, 0), libc::EACCES);
    t.get_refused(fd, opt!(SCTP_AUTH_ACTIVE_KEY), keyid(id, 0), libc::EACCES);
    t.set_refused(fd, opt!(SCTP_AUTH_DELETE_KEY), &keyid(id, 1), libc::EACCES);
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_DELETE_KEY),
        keyid(id, 1),
        libc::EOPNOTSUPP,
    );
    t.set_refused(
        fd,
        opt!(SCTP_AUTH_DEACTIVATE_KEY),
        &keyid(id, 1),
        libc::EACCES,
    );
    t.get_refused(
        fd,
        opt!(SCTP_AUTH_DEACTIVATE_KEY),
        keyid(id, 1),
        libc::EOPNOTSUPP,
    );
    let chunks = |id: sctp_assoc_t| {
        let mut b = [0u8; 64];
        b[..4].copy_from_slice(&id.to_ne_bytes());
        b
    };
    for o in [opt!(SCTP_PEER_AUTH_CHUNKS), opt!(SCTP_LOCAL_AUTH_CHUNKS)] {
        let r = ops::getsockopt_bytes(fd, SOL_SCTP, o.0, &mut chunks(id)).map(drop);
        t.refused(o, "getsockopt", r, libc::EACCES);
        let r = ops::setsockopt_bytes(fd, SOL_SCTP, o.0, &chunks(id));
        t.refused(o, "setsockopt (get only)", r, libc::ENOPROTOOPT);
    }

    // 28 SCTP_GET_ASSOC_NUMBER, 29 SCTP_GET_ASSOC_ID_LIST (get only, one-to-many only)
    let o = opt!(SCTP_GET_ASSOC_NUMBER);
    t.get_check(fd, o, 0u32, "one association", |v| v, 1);
    t.get_refused(s1.as_fd(), o, 0u32, libc::EOPNOTSUPP);
    let o = opt!(SCTP_GET_ASSOC_ID_LIST);
    let mut b = [0u8; 4 + 4 * 4];
    let n = t.get_bytes(fd, o, &mut b);
    t.check(o, "bytes", n, 8);
    t.check(
        o,
        "ids",
        (
            u32::from_ne_bytes(b[..4].try_into().unwrap()),
            i32::from_ne_bytes(b[4..8].try_into().unwrap()),
        ),
        (1, id),
    );
    let r = ops::getsockopt_bytes(fd, SOL_SCTP, o.0, &mut [0u8; 4]).map(drop);
    t.refused(o, "getsockopt, buffer too small", r, libc::EINVAL);

    // 30 SCTP_AUTO_ASCONF: wildcard-bound endpoints only.
    let o = opt!(SCTP_AUTO_ASCONF);
    t.get_check(fd, o, 0 as c_int, "default", |v| v, 0);
    t.set_refused(fd, o, &1 as &c_int, libc::EINVAL);
    let w = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    bind(w.as_fd(), "0.0.0.0:0");
    int_roundtrip(&mut t, w.as_fd(), o, 0, 1);

    // 31 SCTP_PEER_ADDR_THLDS, 37 SCTP_PEER_ADDR_THLDS_V2 (same size, 144 bytes)
    let o = opt!(SCTP_PEER_ADDR_THLDS);
    let th = |maxrxt, pf| sctp_paddrthlds {
        spt_assoc_id: id,
        spt_address: zero,
        spt_pathmaxrxt: maxrxt,
        spt_pathpfthld: pf,
    };
    let mp = |v: sctp_paddrthlds| (v.spt_pathmaxrxt, v.spt_pathpfthld);
    t.roundtrip(fd, o, th(0, 0), mp, (5, 0), &th(6, 2), (6, 2));
    let o = opt!(SCTP_PEER_ADDR_THLDS_V2);
    let th2 = |pf, cp| sctp_paddrthlds_v2 {
        spt_assoc_id: id,
        spt_address: zero,
        spt_pathmaxrxt: 6,
        spt_pathpfthld: pf,
        spt_pathcpthld: cp,
    };
    let mpc = |v: sctp_paddrthlds_v2| (v.spt_pathmaxrxt, v.spt_pathpfthld, v.spt_pathcpthld);
    t.get_check(fd, o, th2(0, 0), "v2 values", mpc, (6, 2, 0xffff));
    t.set(fd, o, &th2(2, 3));
    t.get_check(fd, o, th2(0, 0), "after set", |v| v.spt_pathcpthld, 3);
    t.set_refused(fd, o, &th2(4, 3), libc::EINVAL);

    // 32 SCTP_RECVRCVINFO, 33 SCTP_RECVNXTINFO
    int_roundtrip(&mut t, fd, opt!(SCTP_RECVRCVINFO), 0, 1);
    int_roundtrip(&mut t, fd, opt!(SCTP_RECVNXTINFO), 0, 1);

    // 36 SCTP_REUSE_PORT: one-to-one sockets, before bind.
    let o = opt!(SCTP_REUSE_PORT);
    let u = sock(libc::AF_INET, libc::SOCK_STREAM);
    int_roundtrip(&mut t, u.as_fd(), o, 0, 1);
    t.set_refused(s1.as_fd(), o, &1 as &c_int, libc::EFAULT);
    t.set_refused(fd, o, &1 as &c_int, libc::EOPNOTSUPP);

    // 100/101 SCTP_SOCKOPT_BINDX_ADD/REM on the live endpoint (no ASCONF: local only).
    let a3 = SocketAddr::from(([127, 0, 0, 3], maddr.port()));
    t.row(opt!(SCTP_SOCKOPT_BINDX_ADD));
    t.set_bytes(fd, opt!(SCTP_SOCKOPT_BINDX_ADD), &pack_addrs(&[a3]));
    let mut l = ops::getladdrs(fd, 0).unwrap();
    l.sort();
    t.check(
        opt!(SCTP_SOCKOPT_BINDX_ADD),
        "local addresses",
        l,
        vec![maddr, a3],
    );
    t.set_bytes(fd, opt!(SCTP_SOCKOPT_BINDX_REM), &pack_addrs(&[a3]));
    t.check(
        opt!(SCTP_SOCKOPT_BINDX_REM),
        "local addresses",
        ops::getladdrs(fd, 0).unwrap(),
        vec![maddr],
    );
    let r = ops::getsockopt_bytes(fd, SOL_SCTP, SCTP_SOCKOPT_BINDX_ADD, &mut [0u8; 16]).map(drop);
    t.refused(
        opt!(SCTP_SOCKOPT_BINDX_ADD),
        "getsockopt",
        r,
        libc::ENOPROTOOPT,
    );

    // 102 SCTP_SOCKOPT_PEELOFF, 122 SCTP_SOCKOPT_PEELOFF_FLAGS: unknown id (live peeloff is
    // exercised by peeloff_and_peeloff_flags).
    let r = ops::peeloff(fd, 9999).map(drop);
    t.refused(opt!(SCTP_SOCKOPT_PEELOFF), "peeloff(9999)", r, libc::EINVAL);
    let r = ops::peeloff_flags(fd, 9999, libc::SOCK_CLOEXEC as u32).map(drop);
    t.refused(
        opt!(SCTP_SOCKOPT_PEELOFF_FLAGS),
        "peeloff_flags(9999)",
        r,
        libc::EINVAL,
    );

    // 108 SCTP_GET_PEER_ADDRS, 109 SCTP_GET_LOCAL_ADDRS (through getpaddrs/getladdrs)
    t.row(opt!(SCTP_GET_PEER_ADDRS));
    t.row(opt!(SCTP_GET_LOCAL_ADDRS));
    t.gets += 2;
    t.check(
        opt!(SCTP_GET_PEER_ADDRS),
        "peers",
        ops::getpaddrs(fd, id).unwrap(),
        vec![peer],
    );
    t.check(
        opt!(SCTP_GET_LOCAL_ADDRS),
        "locals",
        ops::getladdrs(fd, id).unwrap(),
        vec![maddr],
    );

    // 112 SCTP_GET_ASSOC_STATS (get only)
    let o = opt!(SCTP_GET_ASSOC_STATS);
    let st = sctp_assoc_stats {
        sas_assoc_id: id,
        ..Default::default()
    };
    // The one DATA chunk ("hi") arrived bundled with COOKIE-ECHO, before the association
    // existed, so it counts as an ordered chunk in but not as an association packet in.
    let v = t.get_check(fd, o, st, "ordered DATA chunks in", |v| v.sas_iodchunks, 1);
    t.ok(
        o,
        &format!("SACK and packets out, max RTO: {v:?}"),
        v.sas_osacks >= 1 && v.sas_opackets >= 1 && v.sas_maxrto > 0,
    );

    // 113 SCTP_PR_SUPPORTED: with an id, the peer's capability; set on the endpoint.
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_PR_SUPPORTED),
        (id, 1),
        (SCTP_FUTURE_ASSOC, 0),
    );

    // 114 SCTP_DEFAULT_PRINFO
    let o = opt!(SCTP_DEFAULT_PRINFO);
    let pri = |pr_policy, pr_value| sctp_default_prinfo {
        pr_assoc_id: id,
        pr_value,
        pr_policy,
    };
    let pv = |v: sctp_default_prinfo| (v.pr_policy, v.pr_value);
    let none = (SCTP_PR_SCTP_NONE, 0);
    let ttl = (SCTP_PR_SCTP_TTL, 1000);
    t.roundtrip(fd, o, pri(0, 0), pv, none, &pri(ttl.0, ttl.1), ttl);

    // 115 SCTP_PR_ASSOC_STATUS, 116 SCTP_PR_STREAM_STATUS (get only)
    let prs = |policy| sctp_prstatus {
        sprstat_assoc_id: id,
        sprstat_sid: 0,
        sprstat_policy: policy,
        ..Default::default()
    };
    let abandoned = |v: sctp_prstatus| (v.sprstat_abandoned_unsent, v.sprstat_abandoned_sent);
    let o = opt!(SCTP_PR_ASSOC_STATUS);
    t.get_check(fd, o, prs(SCTP_PR_SCTP_ALL), "abandoned", abandoned, (0, 0));
    t.get_refused(fd, o, prs(0), libc::EINVAL);
    let o = opt!(SCTP_PR_STREAM_STATUS);
    t.get_check(fd, o, prs(SCTP_PR_SCTP_TTL), "abandoned", abandoned, (0, 0));
    let mut bad = prs(SCTP_PR_SCTP_TTL);
    bad.sprstat_sid = 100;
    t.get_refused(fd, o, bad, libc::EINVAL);

    // 117 SCTP_RECONFIG_SUPPORTED (net.sctp.reconf_enable = 0: the peer is not capable)
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_RECONFIG_SUPPORTED),
        (id, 0),
        (SCTP_FUTURE_ASSOC, 1),
    );
    // 118 SCTP_ENABLE_STREAM_RESET
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_ENABLE_STREAM_RESET),
        (id, 0),
        (
            id,
            SCTP_ENABLE_RESET_STREAM_REQ
                | SCTP_ENABLE_RESET_ASSOC_REQ
                | SCTP_ENABLE_CHANGE_ASSOC_REQ,
        ),
    );
    // 119-121: the stream reconfiguration requests need a reconf-capable peer: ENOPROTOOPT.
    let mut rs = id.to_ne_bytes().to_vec();
    rs.extend_from_slice(&SCTP_STREAM_RESET_OUTGOING.to_ne_bytes());
    rs.extend_from_slice(&0u16.to_ne_bytes());
    let r = ops::setsockopt_bytes(fd, SOL_SCTP, SCTP_RESET_STREAMS, &rs);
    t.refused(opt!(SCTP_RESET_STREAMS), "setsockopt", r, libc::ENOPROTOOPT);
    t.set_refused(fd, opt!(SCTP_RESET_ASSOC), &id, libc::ENOPROTOOPT);
    t.set_refused(
        fd,
        opt!(SCTP_ADD_STREAMS),
        &sctp_add_streams {
            sas_assoc_id: id,
            sas_instrms: 1,
            sas_outstrms: 1,
        },
        libc::ENOPROTOOPT,
    );
    for o in [
        opt!(SCTP_RESET_STREAMS),
        opt!(SCTP_RESET_ASSOC),
        opt!(SCTP_ADD_STREAMS),
    ] {
        t.get_refused(fd, o, sctp_add_streams::default(), libc::ENOPROTOOPT);
    }

    // 123 SCTP_STREAM_SCHEDULER, 124 SCTP_STREAM_SCHEDULER_VALUE
    let o = opt!(SCTP_STREAM_SCHEDULER);
    av_roundtrip(&mut t, fd, o, (id, SCTP_SS_FCFS), (id, SCTP_SS_PRIO));
    // SCTP_SS_FC and SCTP_SS_WFQ arrived in Linux 6.4: a 6.1 kernel rejects them.
    t.set_refused(fd, o, &assoc_value(id, SCTP_SS_FC), libc::EINVAL);
    t.set_refused(fd, o, &assoc_value(id, SCTP_SS_WFQ), libc::EINVAL);
    let o = opt!(SCTP_STREAM_SCHEDULER_VALUE);
    let sv = |v| sctp_stream_value {
        assoc_id: id,
        stream_id: 1,
        stream_value: v,
    };
    t.set(fd, o, &sv(5));
    let value = |v: sctp_stream_value| v.stream_value;
    t.get_check(fd, o, sv(0), "priority of stream 1", value, 5);

    // 125 SCTP_INTERLEAVING_SUPPORTED: net.sctp.intl_enable = 0 -> EPERM.
    let o = opt!(SCTP_INTERLEAVING_SUPPORTED);
    t.get_check(
        fd,
        o,
        assoc_value(id, 9),
        "peer capable",
        |v| v.assoc_value,
        0,
    );
    t.set_refused(fd, o, &assoc_value(SCTP_FUTURE_ASSOC, 1), libc::EPERM);

    // 126 SCTP_SENDMSG_CONNECT is not an option.
    t.get_refused(
        fd,
        opt!(SCTP_SENDMSG_CONNECT),
        0 as c_int,
        libc::ENOPROTOOPT,
    );
    t.set_refused(
        fd,
        opt!(SCTP_SENDMSG_CONNECT),
        &0 as &c_int,
        libc::ENOPROTOOPT,
    );

    // 128 SCTP_ASCONF_SUPPORTED, 129 SCTP_AUTH_SUPPORTED, 130 SCTP_ECN_SUPPORTED: with an id,
    // the peer's capability; set on the endpoint.
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_ASCONF_SUPPORTED),
        (id, 0),
        (SCTP_FUTURE_ASSOC, 1),
    );
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_AUTH_SUPPORTED),
        (id, 0),
        (SCTP_FUTURE_ASSOC, 1),
    );
    av_roundtrip(
        &mut t,
        fd,
        opt!(SCTP_ECN_SUPPORTED),
        (id, 1),
        (SCTP_FUTURE_ASSOC, 0),
    );

    // 131 SCTP_EXPOSE_POTENTIALLY_FAILED_STATE
    let o = opt!(SCTP_EXPOSE_POTENTIALLY_FAILED_STATE);
    av_roundtrip(&mut t, fd, o, (id, 0), (id, 2));
    t.set_refused(fd, o, &assoc_value(id, 3), libc::EINVAL);

    // 132 SCTP_REMOTE_UDP_ENCAPS_PORT (set on the endpoint: an association would switch to UDP)
    let o = opt!(SCTP_REMOTE_UDP_ENCAPS_PORT);
    let ue = |id, port| sctp_udpencaps {
        sue_assoc_id: id,
        sue_address: zero,
        sue_port: port,
    };
    let port = |v: sctp_udpencaps| v.sue_port;
    t.get_check(fd, o, ue(id, 0), "association port", port, 0);
    t.set(fd, o, &ue(SCTP_FUTURE_ASSOC, 9899u16.to_be()));
    let what = "endpoint port after set";
    t.get_check(fd, o, ue(SCTP_FUTURE_ASSOC, 0), what, port, 9899u16.to_be());

    // 133 SCTP_PLPMTUD_PROBE_INTERVAL
    let o = opt!(SCTP_PLPMTUD_PROBE_INTERVAL);
    let pr = |id, iv| sctp_probeinterval {
        spi_assoc_id: id,
        spi_address: zero,
        spi_interval: iv,
    };
    let interval = |v: sctp_probeinterval| v.spi_interval;
    t.get_check(fd, o, pr(id, 7), "association interval", interval, 0);
    t.set(fd, o, &pr(SCTP_FUTURE_ASSOC, 5000));
    let what = "endpoint interval after set";
    t.get_check(fd, o, pr(SCTP_FUTURE_ASSOC, 0), what, interval, 5000);
    t.set_refused(fd, o, &pr(SCTP_FUTURE_ASSOC, 100), libc::EINVAL);

    // The AUTH options for real, on endpoints with SCTP_AUTH_SUPPORTED turned on (this
    // overrides net.sctp.auth_enable per endpoint) and a live authenticated association.
    let (am, amaddr) = many_server(libc::AF_INET, "127.0.0.1:0");
    let ac = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(ac.as_fd(), SCTP_ASSOC_CHANGE);
    for s in [&am, &ac] {
        ops::setsockopt(s.as_fd(), SOL_SCTP, SCTP_AUTH_SUPPORTED, &assoc_value(0, 1)).unwrap();
    }
    let afd = am.as_fd();
    t.set(
        afd,
        opt!(SCTP_AUTH_CHUNK),
        &sctp_authchunk { sauth_chunk: 0 },
    ); // DATA
    t.set_bytes(
        afd,
        opt!(SCTP_HMAC_IDENT),
        &hmacs(&[SCTP_AUTH_HMAC_ID_SHA256, SCTP_AUTH_HMAC_ID_SHA1]),
    );
    let mut hb = [0u8; 64];
    let n = t.get_bytes(afd, opt!(SCTP_HMAC_IDENT), &mut hb);
    t.check(
        opt!(SCTP_HMAC_IDENT),
        "idents",
        hb[..n].to_vec(),
        hmacs(&[SCTP_AUTH_HMAC_ID_SHA256, SCTP_AUTH_HMAC_ID_SHA1]),
    );
    t.set_bytes(afd, opt!(SCTP_AUTH_KEY), &key(0, 1));
    t.set(afd, opt!(SCTP_AUTH_ACTIVE_KEY), &keyid(0, 1));
    let keynumber = |v: sctp_authkeyid| v.scact_keynumber;
    let o = opt!(SCTP_AUTH_ACTIVE_KEY);
    t.get_check(afd, o, keyid(0, 0), "active key", keynumber, 1);
    t.set_bytes(afd, opt!(SCTP_AUTH_KEY), &key(0, 2));
    t.set(afd, opt!(SCTP_AUTH_DEACTIVATE_KEY), &keyid(0, 2));
    t.set(afd, opt!(SCTP_AUTH_DELETE_KEY), &keyid(0, 2));
    t.set_refused(afd, opt!(SCTP_AUTH_DELETE_KEY), &keyid(0, 1), libc::EINVAL);
    let mut lb = chunks(0);
    let n = t.get_bytes(afd, opt!(SCTP_LOCAL_AUTH_CHUNKS), &mut lb);
    t.check(
        opt!(SCTP_LOCAL_AUTH_CHUNKS),
        "endpoint chunks",
        (n, lb[4..8].to_vec(), lb[8]),
        (9, 1u32.to_ne_bytes().to_vec(), 0),
    );
    // Authenticated association: the client sends DATA, which the server requires signed.
    send(ac.as_fd(), b"signed", Some(amaddr), sndinfo(0, 0, 0));
    let acid = expect_assoc_change(ac.as_fd(), SCTP_COMM_UP);
    let aid = expect_assoc_change(afd, SCTP_COMM_UP);
    assert_eq!(recv(afd, 16).0, b"signed");
    let mut pb = chunks(acid);
    let n = t.get_bytes(ac.as_fd(), opt!(SCTP_PEER_AUTH_CHUNKS), &mut pb);
    t.check(
        opt!(SCTP_PEER_AUTH_CHUNKS),
        "peer requires DATA signed",
        (n, pb[8]),
        (9, 0),
    );
    av_roundtrip(
        &mut t,
        afd,
        opt!(SCTP_AUTH_SUPPORTED),
        (aid, 1),
        (SCTP_FUTURE_ASSOC, 1),
    );
    t.get_check(afd, o, keyid(aid, 0), "association key", keynumber, 1);

    // 107 SCTP_SOCKOPT_CONNECTX_OLD, 110 SCTP_SOCKOPT_CONNECTX (assoc id as the return value),
    // 111 SCTP_SOCKOPT_CONNECTX3 (through ops::connectx), each on a fresh one-to-one client.
    let (_xl, xaddr) = {
        let l = sock(libc::AF_INET, libc::SOCK_STREAM);
        let a = bind(l.as_fd(), "127.0.0.1:0");
        listen(l.as_fd());
        (l, a)
    };
    let packed = pack_addrs(&[xaddr]);
    let x1 = sock(libc::AF_INET, libc::SOCK_STREAM);
    t.set_bytes(x1.as_fd(), opt!(SCTP_SOCKOPT_CONNECTX_OLD), &packed);
    let x2 = sock(libc::AF_INET, libc::SOCK_STREAM);
    t.row(opt!(SCTP_SOCKOPT_CONNECTX));
    // SAFETY: `packed` is readable for its length; the kernel only reads it.
    let rc = unsafe {
        libc::setsockopt(
            x2.as_raw_fd(),
            SOL_SCTP,
            SCTP_SOCKOPT_CONNECTX,
            packed.as_ptr().cast(),
            packed.len() as libc::socklen_t,
        )
    };
    t.sets += 1;
    let st: sctp_status = ops::getsockopt(x2.as_fd(), SOL_SCTP, SCTP_STATUS).unwrap();
    t.check(
        opt!(SCTP_SOCKOPT_CONNECTX),
        "return value is the assoc id",
        rc,
        st.sstat_assoc_id,
    );
    let x3 = sock(libc::AF_INET, libc::SOCK_STREAM);
    t.row(opt!(SCTP_SOCKOPT_CONNECTX3));
    t.gets += 1;
    let r = ops::connectx(x3.as_fd(), &[xaddr]).unwrap();
    let st: sctp_status = ops::getsockopt(x3.as_fd(), SOL_SCTP, SCTP_STATUS).unwrap();
    t.check(
        opt!(SCTP_SOCKOPT_CONNECTX3),
        "id",
        r.assoc_id,
        st.sstat_assoc_id,
    );
    for x in [&x1, &x2, &x3] {
        let st: sctp_status = ops::getsockopt(x.as_fd(), SOL_SCTP, SCTP_STATUS).unwrap();
        t.check(
            opt!(SCTP_SOCKOPT_CONNECTX),
            "established",
            st.sstat_state,
            SCTP_ESTABLISHED,
        );
    }

    // Numbers the 6.1 kernel does not know: the removed 103-106 and 134, one past the last
    // option. No socket option was added after 5.14 (SCTP_PLPMTUD_PROBE_INTERVAL, 133); newer
    // kernels only added scheduler values (SCTP_SS_FC/WFQ, 6.4, refused above with EINVAL).
    // Whatever a later kernel adds will get ENOPROTOOPT here, as these do.
    let mut unknown = 0;
    for optname in [103, 104, 105, 106, 134, 135, 200] {
        let r = ops::getsockopt::<[u8; 64]>(fd, SOL_SCTP, optname).map(drop);
        t.refused(
            (optname, "unknown option"),
            "getsockopt",
            r,
            libc::ENOPROTOOPT,
        );
        let r = ops::setsockopt(fd, SOL_SCTP, optname, &[0u8; 64]);
        t.refused(
            (optname, "unknown option"),
            "setsockopt",
            r,
            libc::ENOPROTOOPT,
        );
        t.rows.remove(&optname);
        unknown += 1;
    }

    // Every option number of the Linux 6.1 header has a row.
    let all: Vec<c_int> = (0..=37).chain(100..=102).chain(107..=133).collect();
    let missing: Vec<_> = all.iter().filter(|o| !t.rows.contains_key(o)).collect();
    assert!(missing.is_empty(), "options without a row: {missing:?}");
    assert_eq!(t.rows.len(), all.len());
    let _ = (c1, cid);

    println!(
        "socket options: {} option names exercised ({} gets, {} sets, {} asserted refusals), \
         {} unknown option numbers refused with ENOPROTOOPT",
        t.rows.len(),
        t.gets,
        t.sets,
        t.refusals,
        unknown
    );
    assert!(
        t.failures.is_empty(),
        "{} failures:\n{}",
        t.failures.len(),
        t.failures.join("\n")
    );
}

/// Every send-side cmsg the encoder writes is accepted by the kernel (which insists on the exact
/// `CMSG_LEN(sizeof T)`), and the ones that act on a new association do.
#[test]
fn send_cmsgs_init_prinfo_authinfo_dstaddrs() {
    let (m, a1) = many_server(libc::AF_INET, "127.0.0.1:0");
    let a2 = SocketAddr::from(([127, 0, 0, 2], a1.port()));
    ops::bindx(m.as_fd(), &[a2], SCTP_BINDX_ADD_ADDR).unwrap();
    set_int(m.as_fd(), SCTP_RECVRCVINFO, 1);
    let c = sock(libc::AF_INET, libc::SOCK_SEQPACKET);
    subscribe(c.as_fd(), SCTP_ASSOC_CHANGE);

    // A new association with 3 outbound streams (SCTP_INIT) and a second peer address
    // (SCTP_DSTADDRV4).
    let dst = [a2];
    let cm = SendCmsgs {
        init: Some(sctp_initmsg {
            sinit_num_ostreams: 3,
            sinit_max_instreams: 5,
            ..Default::default()
        }),
        sndinfo: Some(sndinfo(2, 0xabcd, 0)),
        prinfo: None,
        authinfo: None,
        dstaddrs: &dst,
        sndrcv: None,
    };
    let n = ops::sendmsg(c.as_fd(), &[IoSlice::new(b"all cmsgs")], Some(&a1), &cm, 0).unwrap();
    assert_eq!(n, 9);
    let cid = expect_assoc_change(c.as_fd(), SCTP_COMM_UP);
    let sid = expect_assoc_change(m.as_fd(), SCTP_COMM_UP);
    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"all cmsgs");
    let ri = r.cmsgs.rcvinfo.unwrap();
    assert_eq!((ri.rcv_sid, ri.rcv_ppid, ri.rcv_assoc_id), (2, 0xabcd, sid));

    let mut st = sctp_status {
        sstat_assoc_id: cid,
        ..Default::default()
    };
    ops::getsockopt_inout(c.as_fd(), SOL_SCTP, SCTP_STATUS, &mut st).unwrap();
    assert_eq!(
        (st.sstat_outstrms, st.sstat_instrms),
        (3, 5),
        "SCTP_INIT applied"
    );
    let mut peers = ops::getpaddrs(c.as_fd(), cid).unwrap();
    peers.sort();
    assert_eq!(peers, [a1, a2], "SCTP_DSTADDRV4 added the second address");

    // PRINFO and AUTHINFO (and the deprecated SNDRCV) on the established association: the
    // kernel accepts their exact lengths and delivers the message.
    let cm = SendCmsgs {
        sndrcv: Some(sctp_sndrcvinfo {
            sinfo_stream: 1,
            sinfo_assoc_id: cid,
            ..Default::default()
        }),
        sndinfo: Some(sndinfo(1, 0x5151, cid)),
        prinfo: Some(sctp_prinfo {
            pr_policy: SCTP_PR_SCTP_TTL,
            pr_value: 30_000,
        }),
        authinfo: Some(sctp_authinfo { auth_keynumber: 0 }),
        ..Default::default()
    };
    ops::sendmsg(c.as_fd(), &[IoSlice::new(b"pr")], None, &cm, 0).unwrap();
    let (b, r) = recv(m.as_fd(), 64);
    assert_eq!(b, b"pr");
    assert_eq!(
        r.cmsgs.rcvinfo.unwrap().rcv_ppid,
        0x5151,
        "SNDINFO overrides SNDRCV"
    );

    // Stream 3 does not exist on this association: EINVAL from the kernel.
    let e = ops::sendmsg(
        c.as_fd(),
        &[IoSlice::new(b"x")],
        None,
        &SendCmsgs {
            sndinfo: Some(sndinfo(3, 0, cid)),
            ..Default::default()
        },
        0,
    );
    assert_eq!(errno_of(e), Some(libc::EINVAL));
    // Flags outside the kernel's set are refused too (0x8000 is not a send flag).
    let mut bad = sndinfo(0, 0, cid);
    bad.snd_flags = 0x8000;
    let e = ops::sendmsg(
        c.as_fd(),
        &[IoSlice::new(b"x")],
        None,
        &SendCmsgs {
            sndinfo: Some(bad),
            ..Default::default()
        },
        0,
    );
    assert_eq!(errno_of(e), Some(libc::EINVAL));
}

// ---------------------------------------------------------------------------------------
// accept4 and recvmsg into uninitialised memory
// ---------------------------------------------------------------------------------------

#[test]
fn accept4_sets_file_flags_and_reports_the_peer() {
    let l = sock(libc::AF_INET, libc::SOCK_STREAM);
    let laddr = bind(l.as_fd(), "127.0.0.1:0");
    // Not listening yet: EINVAL.
    assert_eq!(errno_of(ops::accept4(l.as_fd(), 0)), Some(libc::EINVAL));
    listen(l.as_fd());
    // Flags other than SOCK_NONBLOCK | SOCK_CLOEXEC: EINVAL before anything is dequeued.
    assert_eq!(
        errno_of(ops::accept4(l.as_fd(), libc::O_APPEND)),
        Some(libc::EINVAL)
    );

    let c1 = sock(libc::AF_INET, libc::SOCK_STREAM);
    ops::connectx(c1.as_fd(), &[laddr]).unwrap();
    let (s1, peer) = ops::accept4(l.as_fd(), libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC).unwrap();
    assert_eq!(peer, Some(ops::getladdrs(c1.as_fd(), 0).unwrap()[0]));
    assert_ne!(fcntl(s1.as_fd(), libc::F_GETFL) & libc::O_NONBLOCK, 0);
    assert_ne!(fcntl(s1.as_fd(), libc::F_GETFD) & libc::FD_CLOEXEC, 0);
    // The new socket carries the association.
    let st: sctp_status = ops::getsockopt(s1.as_fd(), SOL_SCTP, SCTP_STATUS).unwrap();
    assert_eq!(st.sstat_state, SCTP_ESTABLISHED);

    let c2 = sock(libc::AF_INET, libc::SOCK_STREAM);
    ops::connectx(c2.as_fd(), &[laddr]).unwrap();
    let (s2, peer) = ops::accept4(l.as_fd(), 0).unwrap();
    assert_eq!(peer, Some(ops::getladdrs(c2.as_fd(), 0).unwrap()[0]));
    assert_eq!(fcntl(s2.as_fd(), libc::F_GETFL) & libc::O_NONBLOCK, 0);
    assert_eq!(fcntl(s2.as_fd(), libc::F_GETFD) & libc::FD_CLOEXEC, 0);

    // Nothing queued on a non-blocking listener: EAGAIN.
    let nb = sock(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_NONBLOCK);
    bind(nb.as_fd(), "127.0.0.1:0");
    listen(nb.as_fd());
    assert_eq!(errno_of(ops::accept4(nb.as_fd(), 0)), Some(libc::EAGAIN));
    // A one-to-many socket has no accept.
    let (m, _) = many_server(libc::AF_INET, "127.0.0.1:0");
    assert_eq!(errno_of(ops::accept4(m.as_fd(), 0)), Some(libc::EOPNOTSUPP));
}

#[test]
fn recvmsg_uninit_fills_only_what_it_reports() {
    let (c, s, _l, _) = one_to_one(libc::AF_INET, "127.0.0.1:0");
    set_int(s.as_fd(), SCTP_RECVRCVINFO, 1);
    let msg: Vec<u8> = (0..100u8).collect();
    send(c.as_fd(), &msg, None, sndinfo(5, 0xfeed, 0));
    send(c.as_fd(), b"tail", None, sndinfo(6, 1, 0));

    // The spare capacity holds a marker, so that bytes the kernel did not write show.
    let mut buf: Vec<u8> = Vec::with_capacity(256);
    let marker = |buf: &mut Vec<u8>| {
        for b in buf.spare_capacity_mut() {
            b.write(0xAA);
        }
    };
    // An empty window reads nothing and leaves the message queued.
    let m = ops::recvmsg_uninit(s.as_fd(), &mut [], 0).unwrap();
    assert_eq!((m.len, m.is_eor()), (0, false), "{m:?}");

    // Pieces of 30 appended one after the other, as a reassembly buffer does.
    let mut lens = Vec::new();
    loop {
        marker(&mut buf);
        let at = buf.len();
        let spare = &mut buf.spare_capacity_mut()[..30];
        let m = ops::recvmsg_uninit(s.as_fd(), spare, 0).unwrap();
        assert!(
            m.len <= 30 && m.from.is_none() && !m.is_notification(),
            "{m:?}"
        );
        let r = m.cmsgs.rcvinfo.expect("RCVINFO on every piece");
        assert_eq!((r.rcv_sid, r.rcv_ppid), (5, 0xfeed));
        // SAFETY: the marker loop initialised the whole spare capacity.
        unsafe { buf.set_len(at + 30) };
        assert!(
            buf[at + m.len..].iter().all(|&b| b == 0xAA),
            "nothing written past the reported length"
        );
        buf.truncate(at + m.len);
        lens.push(m.len);
        if m.is_eor() {
            break;
        }
    }
    assert_eq!(lens, [30, 30, 30, 10]);
    assert_eq!(buf, msg);

    // The next message, into fresh (truly uninitialised) capacity: commit exactly `len`.
    let mut next: Vec<u8> = Vec::with_capacity(64);
    let m = ops::recvmsg_uninit(s.as_fd(), next.spare_capacity_mut(), 0).unwrap();
    // SAFETY: recvmsg_uninit initialised the first `m.len` bytes of the spare capacity.
    unsafe { next.set_len(m.len) };
    assert_eq!(next, b"tail");
    assert!(m.is_eor());
    assert_eq!(m.cmsgs.rcvinfo.unwrap().rcv_sid, 6);

    // Notifications come the same way: the peer's SHUTDOWN_EVENT.
    subscribe(s.as_fd(), SCTP_SHUTDOWN_EVENT);
    // SAFETY: shutdown(2) takes no pointers.
    assert_eq!(unsafe { libc::shutdown(c.as_raw_fd(), libc::SHUT_WR) }, 0);
    wait_readable(s.as_fd());
    let mut n: Vec<u8> = Vec::with_capacity(64);
    let m = ops::recvmsg_uninit(s.as_fd(), n.spare_capacity_mut(), 0).unwrap();
    // SAFETY: as above.
    unsafe { n.set_len(m.len) };
    assert!(m.is_notification() && m.is_eor(), "{m:?}");
    assert_eq!(n.len(), size_of::<sctp_shutdown_event>());
    assert_eq!(u16::from_ne_bytes([n[0], n[1]]), SCTP_SHUTDOWN_EVENT);
}
