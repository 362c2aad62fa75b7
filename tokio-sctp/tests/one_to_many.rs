//! One-to-many endpoints against the real kernel SCTP stack (run through the lab runner):
//! implicit setup by `send_to`, INIT parameters, `connect` ids agreeing with the events,
//! several peers, per-association shutdown and abort, peeloff (also of messages the endpoint
//! had read ahead).
//!
//! The 6.1 lab kernel runs all of it; every peer is on its loopback, so nothing here depends
//! on a real link.

mod support;

use std::os::fd::AsFd;

use linux_sctp_sys::sockopt;
use std::time::Duration;

use support::{assert_ended, endpoint, pattern, v4, v6, within};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::InitParams;

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
