//! One-to-many endpoints against the real kernel SCTP stack (run through the lab runner):
//! implicit setup by `send_to`, INIT parameters, `connect` ids agreeing with the events,
//! several peers and several receiving tasks, per-association shutdown and abort,
//! `recv_into` per association, peeloff (its addresses; messages the endpoint had read ahead;
//! a message it had partly read).
//!
//! The 6.1 lab kernel runs all of it; every peer is on its loopback (one test in a private
//! namespace with a small MTU and an `iptables-legacy` rule), so nothing here depends on a real
//! link.

mod support;

use std::io;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Duration;

use linux_sctp_sys::sockopt;
use support::{
    assert_ended, endpoint, pattern, ppids_received, receivers, socket_for, v4, v6, within,
};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::{InitParams, RecvPiece, SctpEndpoint, SctpSocket, SctpStream};

/// The next association change of `state` from `events`, skipping other notifications.
async fn next_change(
    events: &mut tokio_linux_sctp::SctpEvents,
    state: AssocChangeState,
) -> tokio_linux_sctp::notification::AssocChange {
    loop {
        match within("event", events.next()).await {
            Some(Ok(Notification::AssocChange(c))) if c.state == state => return c,
            Some(Ok(_)) => continue,
            other => panic!("expected {state:?}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn implicit_setup_by_send_to_and_reply_by_assoc_id() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();

    let n = within(
        "send_to",
        client.send_to(b"hello", saddr, &SendInfo::new().stream(3).ppid(11)),
    )
    .await
    .unwrap();
    assert_eq!(n, 5);
    let (m, info) = within("server recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.stream, info.ppid), (&b"hello"[..], 3, 11));
    assert!(info.assoc_id > 0);
    assert_eq!(server.outbound_streams(info.assoc_id), Some(8));
    let peers = server.peer_addrs(info.assoc_id).unwrap();
    assert_eq!(peers[0].port(), client.local_addr().unwrap().port());

    let reply = SendInfo::new().stream(3).ppid(12).assoc_id(info.assoc_id);
    within("reply", server.send(b"world", &reply))
        .await
        .unwrap();
    let (m, rinfo) = within("client recv", client.recv()).await.unwrap();
    assert_eq!((&m[..], rinfo.stream, rinfo.ppid), (&b"world"[..], 3, 12));

    // Stream ids are checked against the association's negotiated count.
    let err = server
        .send(b"x", &SendInfo::new().stream(8).assoc_id(info.assoc_id))
        .await
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::StreamOutOfRange {
            stream: 8,
            outbound_streams: 8
        }
    ));
}

#[tokio::test]
async fn send_to_with_init_sets_stream_counts() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let mut events = client.events();
    within(
        "send_to",
        client.send_to_with_init(
            b"x",
            saddr,
            &SendInfo::new(),
            Some(InitParams::new().streams(3, 3)),
        ),
    )
    .await
    .unwrap();
    let up = next_change(&mut events, AssocChangeState::CommUp).await;
    assert_eq!(up.outbound_streams, 3);
    let (_, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!(server.outbound_streams(info.assoc_id), Some(3));
}

#[tokio::test]
async fn connect_reports_assoc_id_and_events_agree() {
    let server = endpoint(v6());
    let client = endpoint(v6());
    let mut server_events = server.events();
    let mut client_events = client.events();
    let id = within("connect", client.connect(server.local_addr().unwrap()))
        .await
        .unwrap();
    assert!(id > 0);
    let up = next_change(&mut client_events, AssocChangeState::CommUp).await;
    assert_eq!(up.assoc_id, id);
    assert_eq!(up.outbound_streams, 8);
    let sup = next_change(&mut server_events, AssocChangeState::CommUp).await;
    assert!(sup.assoc_id > 0);

    within(
        "send",
        client.send(b"via id", &SendInfo::new().assoc_id(id).ppid(1)),
    )
    .await
    .unwrap();
    let (m, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!(&m[..], b"via id");
    assert_eq!(info.assoc_id, sup.assoc_id);
}

#[tokio::test]
async fn several_peers_get_distinct_assoc_ids() {
    let server = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let clients: Vec<_> = (0..3).map(|_| endpoint(v4())).collect();
    for (i, c) in clients.iter().enumerate() {
        let body = pattern(100 + i, i as u8);
        within(
            "send_to",
            c.send_to(&body, saddr, &SendInfo::new().ppid(i as u32)),
        )
        .await
        .unwrap();
    }
    let mut seen = std::collections::HashMap::new();
    for _ in 0..3 {
        let (m, info) = within("recv", server.recv()).await.unwrap();
        let i = info.ppid as usize;
        assert!(m[..] == pattern(100 + i, i as u8)[..]);
        assert!(
            seen.insert(info.assoc_id, i).is_none(),
            "assoc ids are distinct"
        );
    }
    // Replies by assoc id reach the right client.
    for (id, i) in &seen {
        let reply = SendInfo::new().assoc_id(*id).ppid(*i as u32);
        server.send(b"r", &reply).await.unwrap();
    }
    for (i, c) in clients.iter().enumerate() {
        let (_, info) = within("client recv", c.recv()).await.unwrap();
        assert_eq!(info.ppid, i as u32);
    }
}

#[tokio::test]
async fn per_association_shutdown_and_abort() {
    let server = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let a = endpoint(v4());
    let b = endpoint(v4());
    let mut a_events = a.events();
    let mut b_events = b.events();
    let mut server_events = server.events();
    a.send_to(b"a", saddr, &SendInfo::new()).await.unwrap();
    b.send_to(b"b", saddr, &SendInfo::new()).await.unwrap();
    let mut ids = std::collections::HashMap::new();
    for _ in 0..2 {
        let (m, info) = within("recv", server.recv()).await.unwrap();
        ids.insert(m[0], info.assoc_id);
    }

    within("shutdown a", server.shutdown(ids[&b'a']))
        .await
        .unwrap();
    let a_up = next_change(&mut a_events, AssocChangeState::CommUp).await;
    let a_done = next_change(&mut a_events, AssocChangeState::ShutdownComplete).await;
    assert_eq!(a_done.assoc_id, a_up.assoc_id);
    let s_done = next_change(&mut server_events, AssocChangeState::ShutdownComplete).await;
    assert_eq!(s_done.assoc_id, ids[&b'a']);

    within("abort b", server.abort(ids[&b'b'])).await.unwrap();
    let b_up = next_change(&mut b_events, AssocChangeState::CommUp).await;
    let b_lost = next_change(&mut b_events, AssocChangeState::CommLost).await;
    assert_eq!(b_lost.assoc_id, b_up.assoc_id);

    // The server remembers the end: a send there is AssociationEnded, not a bare EPIPE.
    let err = server
        .send(b"x", &SendInfo::new().assoc_id(ids[&b'a']))
        .await
        .unwrap_err();
    assert_ended(&err);
}

#[tokio::test]
async fn peeloff_moves_the_association_to_a_stream() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    client
        .send_to(b"first", saddr, &SendInfo::new().stream(1))
        .await
        .unwrap();
    let (m, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!(&m[..], b"first");
    // A second message queued before the peeloff moves with the association.
    client
        .send_to(b"second", saddr, &SendInfo::new().stream(2))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;

    let peeled = server.peeloff(info.assoc_id).unwrap();
    assert_eq!(peeled.assoc_id(), info.assoc_id);
    assert_eq!(peeled.outbound_streams(), 8);
    let ty = sockopt::get(peeled.as_fd(), sockopt::SO_TYPE).unwrap();
    assert_eq!(ty, libc::SOCK_SEQPACKET);
    let flags = fd_flags(&peeled);
    assert!(
        flags & libc::O_NONBLOCK != 0,
        "peeled socket is non-blocking"
    );

    let (m, info2) = within("peeled recv", peeled.recv()).await.unwrap();
    assert_eq!((&m[..], info2.stream), (&b"second"[..], 2));
    within(
        "peeled send",
        peeled.send(b"pong", &SendInfo::new().stream(4)),
    )
    .await
    .unwrap();
    let (m, info3) = within("client recv", client.recv()).await.unwrap();
    assert_eq!((&m[..], info3.stream), (&b"pong"[..], 4));

    // The endpoint no longer has it.
    let err = server
        .send(b"x", &SendInfo::new().assoc_id(info.assoc_id))
        .await
        .unwrap_err();
    assert!(
        err.raw_os_error().is_some() || matches!(err.kind(), ErrorKind::AssociationEnded { .. })
    );

    // Graceful shutdown through the peeled socket ends it on both sides.
    let mut client_events = client.events();
    within("peeled shutdown", peeled.shutdown()).await.unwrap();
    next_change(&mut client_events, AssocChangeState::ShutdownComplete).await;
    let err = within("peeled recv end", peeled.recv()).await.unwrap_err();
    assert_ended(&err);
}

/// The file status flags (`fcntl(F_GETFL)`), read from `/proc/self/fdinfo`.
fn fd_flags(s: &impl std::os::fd::AsRawFd) -> libc::c_int {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{}", s.as_raw_fd())).unwrap();
    let line = info.lines().find(|l| l.starts_with("flags:")).unwrap();
    libc::c_int::from_str_radix(line["flags:".len()..].trim(), 8).unwrap()
}

#[tokio::test]
async fn events_stream_yields_comm_up_with_assoc_ids() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let mut events = server.events();
    client.send_to(b"x", saddr, &SendInfo::new()).await.unwrap();
    let ev = within("event", events.next()).await.unwrap().unwrap();
    let id = match ev {
        Notification::AssocChange(c) => {
            assert_eq!(c.state, AssocChangeState::CommUp);
            assert_eq!(c.outbound_streams, 8);
            c.assoc_id
        }
        other => panic!("{other:?}"),
    };
    let (_, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!(info.assoc_id, id);
}

#[tokio::test]
async fn peeloff_takes_messages_read_ahead_by_the_endpoint() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let mut events = server.events();
    client
        .send_to(b"one", saddr, &SendInfo::new().ppid(1))
        .await
        .unwrap();
    let id = next_change(&mut events, AssocChangeState::CommUp)
        .await
        .assoc_id;
    // The event stream reads on, finds the data and queues it for recv on the endpoint.
    let r = tokio::time::timeout(Duration::from_millis(200), events.next()).await;
    assert!(r.is_err(), "no further event: {r:?}");
    let peeled = server.peeloff(id).unwrap();
    let (m, info) = within("peeled recv", peeled.recv()).await.unwrap();
    assert_eq!((&m[..], info.ppid, info.assoc_id), (&b"one"[..], 1, id));
    assert_eq!(
        server.try_recv().unwrap_err().io_kind(),
        std::io::ErrorKind::WouldBlock
    );
}

// ---------------------------------------------------------------------------------------
// Addresses, several tasks, recv_into
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn peeled_off_stream_has_local_and_peer_addr() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let (saddr, caddr) = (server.local_addr().unwrap(), client.local_addr().unwrap());
    let id = within("connect", client.connect(saddr)).await.unwrap();
    let peeled = client.peeloff(id).unwrap();
    assert_eq!(peeled.peer_addr().unwrap(), saddr);
    assert_eq!(peeled.local_addr().unwrap(), caddr);
}

#[tokio::test]
async fn several_endpoint_tasks_receiving_all_get_a_message() {
    let server = Arc::new(endpoint(v4()));
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let tasks = receivers(4, &server, |s| async move { s.recv().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..4u8 {
        within(
            "send_to",
            client.send_to(&pattern(10, i), saddr, &SendInfo::new().ppid(u32::from(i))),
        )
        .await
        .unwrap();
    }
    let ppids = ppids_received(tasks, |m, ppid| assert_eq!(m, pattern(10, ppid as u8))).await;
    assert_eq!(ppids, vec![0, 1, 2, 3]);
}

/// Reads one message piecewise with `buf_len`-byte reads, checking every piece's metadata.
async fn read_pieces(ep: &SctpEndpoint, buf_len: usize) -> (Vec<u8>, Vec<RecvPiece>) {
    let mut msg = Vec::new();
    let mut pieces = Vec::new();
    let mut buf = vec![0u8; buf_len];
    loop {
        let p = within("recv_into", ep.recv_into(&mut buf)).await.unwrap();
        msg.extend_from_slice(&buf[..p.len]);
        pieces.push(p);
        if p.eor {
            return (msg, pieces);
        }
    }
}

#[tokio::test]
async fn endpoint_recv_into_reports_partial_delivery_per_association() {
    let server = endpoint(v4());
    let a = endpoint(v4());
    let b = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let big = pattern(2500, 3);
    let info = SendInfo::new().stream(2).ppid(7);
    within("a send_to", a.send_to(&big, saddr, &info))
        .await
        .unwrap();

    // The first piece of A's message.
    let mut buf = [0u8; 1000];
    let first = within("recv_into", server.recv_into(&mut buf))
        .await
        .unwrap();
    assert_eq!((first.len, first.eor), (1000, false));
    assert_eq!(buf[..], big[..1000]);
    assert_eq!((first.info.stream, first.info.ppid), (2, 7));
    let a_id = first.info.assoc_id;
    assert!(a_id > 0);

    // B's message arrives meanwhile; the rest of A's still comes first.
    within(
        "b send_to",
        b.send_to(b"from b", saddr, &SendInfo::new().stream(5).ppid(9)),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (rest, pieces) = read_pieces(&server, 1000).await;
    assert_eq!(rest[..], big[1000..]);
    assert_eq!(
        pieces.iter().map(|p| (p.len, p.eor)).collect::<Vec<_>>(),
        [(1000, false), (500, true)]
    );
    for p in &pieces {
        assert_eq!((p.info.assoc_id, p.info.stream, p.info.ppid), (a_id, 2, 7));
    }

    // B's message, whole in one read, without waiting.
    let mut buf = [0u8; 64];
    let p = server.try_recv_into(&mut buf).unwrap();
    assert_eq!((&buf[..p.len], p.eor), (&b"from b"[..], true));
    assert_eq!((p.info.stream, p.info.ppid), (5, 9));
    assert_ne!(p.info.assoc_id, a_id);
    assert!(p.info.assoc_id > 0);
    let e = server.try_recv_into(&mut buf).unwrap_err();
    assert_eq!(e.io_kind(), io::ErrorKind::WouldBlock);
}

#[tokio::test]
async fn endpoint_recv_into_hands_out_a_message_read_ahead_by_the_events() {
    let server = endpoint(v4());
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let id = within("connect", client.connect(saddr)).await.unwrap();
    let msg = pattern(300, 9);
    let info = SendInfo::new().ppid(4).assoc_id(id);
    within("send", client.send(&msg, &info)).await.unwrap();
    within("shutdown", client.shutdown(id)).await.unwrap();
    // Waiting for the end in the event stream reads the message ahead and queues it.
    let mut events = server.events();
    loop {
        match within("event", events.next()).await {
            Some(Ok(Notification::AssocChange(c)))
                if c.state == AssocChangeState::ShutdownComplete =>
            {
                break
            }
            Some(Ok(_)) => continue,
            other => panic!("{other:?}"),
        }
    }
    let (got, pieces) = read_pieces(&server, 128).await;
    assert_eq!(got, msg);
    assert_eq!(
        pieces.iter().map(|p| (p.len, p.eor)).collect::<Vec<_>>(),
        [(128, false), (128, false), (44, true)]
    );
    assert!(pieces.iter().all(|p| p.info.ppid == 4));
}

// ---------------------------------------------------------------------------------------
// Peeloff of what the endpoint holds
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn peeloff_of_read_ahead_data_lets_the_event_stream_read_again() {
    const MSG: usize = 64 << 10;
    const COUNT: usize = 80; // 5 MiB: more than the event stream may read ahead
    let (ep, id, a) = endpoint_to_a_stream(|s| s.set_recv_buffer_size(8 << 20), 8 << 20).await;
    ep.listen(4).unwrap();
    let ep_addr = ep.local_addr().unwrap();
    let a = Arc::new(a);
    let ev = support::shutdown_seen(ep.events());
    let sender = support::send_patterns(&a, COUNT, MSG);
    // Let the event stream read ahead until it stops (4 MiB queued for recv).
    tokio::time::sleep(Duration::from_millis(3000)).await;
    // The read-ahead data moves with the association.
    let peeled = ep.peeloff(id).unwrap();
    let (m, _) = within("peeled recv", peeled.recv()).await.unwrap();
    assert_eq!(m[..], pattern(MSG, 0)[..]);
    // Another association comes and goes: the endpoint's event stream must see it.
    let b = within("connect b", SctpStream::connect(ep_addr))
        .await
        .unwrap();
    within("shutdown b", b.shutdown()).await.unwrap();
    let got = within("shutdown event", ev).await.unwrap();
    assert!(got.is_some_and(|g| g != id), "{got:?}");
    drop(sender);
}

/// An endpoint (set up by `setup` before it binds) connected to a listener's stream with a
/// `sndbuf`-byte send buffer: the endpoint, the association's id there, the stream.
async fn endpoint_to_a_stream(
    setup: impl FnOnce(&SctpSocket) -> tokio_linux_sctp::error::Result<()>,
    sndbuf: usize,
) -> (SctpEndpoint, tokio_linux_sctp::AssocId, SctpStream) {
    let s = SctpSocket::new_v4_one_to_many().unwrap();
    setup(&s).unwrap();
    s.bind(v4()).unwrap();
    let ep = s.into_endpoint().unwrap();
    let ls = socket_for(v4());
    ls.set_send_buffer_size(sndbuf).unwrap();
    ls.bind(v4()).unwrap();
    let l = ls.listen(4).unwrap();
    let (id, accepted) = within("connect/accept", async {
        tokio::join!(ep.connect(l.local_addr().unwrap()), l.accept())
    })
    .await;
    (ep, id.unwrap(), accepted.unwrap().0)
}

/// Waits until `fd` is readable (at most 10 s).
fn wait_readable(fd: std::os::fd::BorrowedFd<'_>) {
    use std::os::fd::AsRawFd;
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid `pollfd`, for the duration of the call.
    let rc = unsafe { libc::poll(&mut p, 1, 10_000) };
    assert_eq!(rc, 1, "not readable: {}", std::io::Error::last_os_error());
}

/// Review finding 1: a peeloff in the middle of a message the endpoint has partly read. The
/// endpoint's small receive window holds only the head of a 256 KiB message; the endpoint
/// reads it (`try_recv`: the rest has not arrived, the path is cut for the moment), then the
/// association is peeled off. The head moves with it: the peeled stream returns the message
/// whole. Before, it returned the tail alone (257788 of 262144 bytes) and the head stayed
/// parked on the endpoint.
///
/// In a private namespace: loopback MTU 1500 (small chunks for the small window) and an
/// `iptables-legacy` rule that holds the rest back while the endpoint reads the head.
#[test]
fn peeloff_in_the_middle_of_a_message_moves_its_head() {
    support::in_private_netns(&[], || async {
        support::sh("ip link set lo mtu 1500");
        let (ep, id, server) = endpoint_to_a_stream(
            |s| {
                s.set_nodelay(true)?;
                s.set_recv_buffer_size(4096)
            },
            1 << 20,
        )
        .await;
        ep.options(linux_sctp_sys::SCTP_FUTURE_ASSOC)
            .set_partial_delivery_point(1)
            .unwrap();
        let msg = pattern(256 << 10, 5);
        server.send(&msg, &SendInfo::new().stream(3)).await.unwrap();
        // The window closes with the head of the message in the endpoint's queue.
        wait_readable(ep.as_fd());
        tokio::time::sleep(Duration::from_millis(200)).await;
        support::sh("iptables-legacy -A INPUT -p sctp -j DROP");
        match ep.try_recv() {
            Err(e) if e.io_kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("only the head should be there: {other:?}"),
        }
        support::sh("iptables-legacy -D INPUT -p sctp -j DROP");
        let peeled = ep.peeloff(id).unwrap();
        let (m, info) = within("peeled recv", peeled.recv()).await.unwrap();
        assert_eq!(info.stream, 3);
        assert_eq!(m.len(), msg.len(), "the whole message, head included");
        assert!(m[..] == msg[..], "the bytes in order");
    });
}
