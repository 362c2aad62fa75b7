//! Associations and their addresses: `bindx` add/remove, multihomed `connectx`, IPv6 and
//! v4-mapped peers, `peeloff`/`peeloff_flags`, and `accept4`.

use std::io::IoSliceMut;
use std::net::{Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, OwnedFd};

use linux_sctp_sys::ops;
use linux_sctp_sys::*;

use crate::support::*;

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
    set_int(s.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
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
    set_int(m.as_fd(), sockopt::SCTP_RECVRCVINFO, 1);
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
    set_int(m.as_fd(), sockopt::SCTP_I_WANT_MAPPED_V4_ADDR, 0);
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
    let ty = sockopt::get(pa.as_fd(), sockopt::SO_TYPE).unwrap();
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
    let n: u32 = sockopt::get(m.as_fd(), sockopt::SCTP_GET_ASSOC_NUMBER).unwrap();
    assert_eq!(n, 0);
}

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
    let st: sctp_status = sockopt::get(s1.as_fd(), sockopt::SCTP_STATUS).unwrap();
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
