//! One-to-one sockets against the real kernel SCTP stack (run through the lab runner): round
//! trips over IPv4 and IPv6, streams and their order, unordered messages, sizes up to 256 KiB,
//! sharing and cancelling (several tasks receiving on one stream), ends (abort, drop, graceful
//! shutdown), the receive cap, partial delivery and `recv_into`, the `try_`/`poll_` variants,
//! the socket's addresses and a two-address server.
//!
//! The 6.1 lab kernel runs all of it. What it cannot show: multihoming over distinct links
//! (the two addresses, 127.0.0.1 and 127.0.0.2, are both on its loopback, so no path fails
//! over here; `lifecycle.rs` makes a dead path with `tc netem` in a private namespace).

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Duration;

use linux_sctp_sys::sockopt;
use support::{
    assert_ended, listener, on_thread, pair, pair_with, pattern, ppids_received, receivers,
    same_addr, socket_for, v4, v6, within,
};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::SctpStream;

async fn round_trip(addr: std::net::SocketAddr) {
    let l = listener(addr);
    let laddr = l.local_addr().unwrap();
    let (client, server) = pair_with(l, socket_for(addr)).await;

    assert!(client.assoc_id() > 0, "assoc id {}", client.assoc_id());
    assert!(server.assoc_id() > 0);
    assert_eq!(client.outbound_streams(), 16);
    assert_eq!(client.inbound_streams(), 16);
    assert_eq!(server.outbound_streams(), 16);
    let peers = client.peer_addrs().unwrap();
    assert!(
        peers.iter().any(|p| same_addr(*p, laddr)),
        "{peers:?} vs {laddr}"
    );
    assert!(same_addr(client.primary_addr().unwrap(), laddr));
    let locals = client.local_addrs().unwrap();
    assert!(!locals.is_empty());

    let n = within(
        "send",
        client.send(b"hello sctp", &SendInfo::new().stream(5).ppid(0x1234_5678)),
    )
    .await
    .unwrap();
    assert_eq!(n, 10);
    let (msg, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!(&msg[..], b"hello sctp");
    assert_eq!(info.stream, 5);
    assert_eq!(info.ppid, 0x1234_5678);
    assert_eq!(info.assoc_id, server.assoc_id());
    assert!(!info.is_unordered());

    within(
        "reply",
        server.send(b"back", &SendInfo::new().stream(15).ppid(7)),
    )
    .await
    .unwrap();
    let (msg, info) = within("recv reply", client.recv()).await.unwrap();
    assert_eq!((&msg[..], info.stream, info.ppid), (&b"back"[..], 15, 7));
}

#[tokio::test]
async fn round_trip_ipv4() {
    round_trip(v4()).await;
}

#[tokio::test]
async fn round_trip_ipv6() {
    round_trip(v6()).await;
}

#[tokio::test]
async fn connect_helpers_and_v4_peer_on_dual_stack_listener() {
    // A dual-stack IPv6 listener takes an IPv4 client.
    let l = listener("[::]:0".parse().unwrap());
    let port = l.local_addr().unwrap().port();
    let target: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let targets = [target];
    let (c, s) = within("connect", async {
        tokio::join!(SctpStream::connect_multi(&targets), l.accept())
    })
    .await;
    let (client, (server, peers)) = (c.unwrap(), s.unwrap());
    assert!(
        peers.iter().all(|p| p.ip().to_canonical().is_loopback()),
        "{peers:?}"
    );
    client.send(b"x", &SendInfo::new()).await.unwrap();
    let (m, _) = within("recv", server.recv()).await.unwrap();
    assert_eq!(&m[..], b"x");
    // The client has the kernel's default stream count (10) since it set no INITMSG.
    assert_eq!(client.outbound_streams(), 10);
}

#[tokio::test]
async fn sixteen_streams_interleaved_keep_per_stream_order() {
    let (client, server) = pair(v4()).await;
    const PER_STREAM: u32 = 40;
    let sender = async {
        for seq in 0..PER_STREAM {
            for sid in 0..16u16 {
                let body = format!("{sid}:{seq}");
                client
                    .send(
                        body.as_bytes(),
                        &SendInfo::new().stream(sid).ppid(u32::from(sid) + 100),
                    )
                    .await
                    .unwrap();
            }
        }
    };
    let receiver = async {
        let mut next: HashMap<u16, u32> = HashMap::new();
        for _ in 0..16 * PER_STREAM {
            let (m, info) = server.recv().await.unwrap();
            let text = std::str::from_utf8(&m).unwrap();
            let (sid, seq) = text.split_once(':').unwrap();
            let (sid, seq): (u16, u32) = (sid.parse().unwrap(), seq.parse().unwrap());
            assert_eq!(sid, info.stream);
            assert_eq!(info.ppid, u32::from(sid) + 100);
            let expected = next.entry(sid).or_insert(0);
            assert_eq!(seq, *expected, "stream {sid} out of order");
            *expected += 1;
        }
        assert_eq!(next.len(), 16);
        assert!(next.values().all(|v| *v == PER_STREAM));
    };
    within("interleaved", async { tokio::join!(sender, receiver) }).await;
}

#[tokio::test]
async fn unordered_flag_round_trips() {
    let (client, server) = pair(v4()).await;
    client
        .send(b"u", &SendInfo::new().stream(2).ppid(9).unordered(true))
        .await
        .unwrap();
    client
        .send(b"o", &SendInfo::new().stream(2).ppid(9))
        .await
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..2 {
        let (m, info) = within("recv", server.recv()).await.unwrap();
        got.push((m[0], info.is_unordered()));
    }
    got.sort();
    assert_eq!(got, vec![(b'o', false), (b'u', true)]);
}

#[tokio::test]
async fn message_sizes_from_1_byte_to_256_kib() {
    let addr = v4();
    let l = {
        let s = socket_for(addr);
        s.set_recv_buffer_size(512 << 10).unwrap();
        s.set_send_buffer_size(512 << 10).unwrap();
        s.bind(addr).unwrap();
        s.listen(4).unwrap()
    };
    let c = socket_for(addr);
    c.set_send_buffer_size(512 << 10).unwrap();
    c.set_recv_buffer_size(512 << 10).unwrap();
    let (client, server) = pair_with(l, c).await;
    let sizes = [
        1usize,
        2,
        100,
        1452,
        1500,
        4096,
        65535,
        65536,
        65537,
        100_000,
        200_000,
        256 << 10,
    ];
    let sender = async {
        for (i, len) in sizes.iter().enumerate() {
            let data = pattern(*len, i as u8);
            let n = client
                .send(
                    &data,
                    &SendInfo::new().stream((i % 16) as u16).ppid(*len as u32),
                )
                .await
                .unwrap();
            assert_eq!(n, *len);
        }
    };
    let receiver = async {
        for (i, len) in sizes.iter().enumerate() {
            let (m, info) = server.recv().await.unwrap();
            assert_eq!(m.len(), *len, "message {i}");
            assert_eq!(info.ppid, *len as u32);
            assert_eq!(info.stream, (i % 16) as u16);
            assert!(
                m[..] == pattern(*len, i as u8)[..],
                "content of message {i} ({len} bytes)"
            );
        }
    };
    within("sizes", async { tokio::join!(sender, receiver) }).await;
}

#[tokio::test]
async fn one_association_shared_by_tasks_through_arc() {
    let (client, server) = pair(v4()).await;
    let client = Arc::new(client);
    let server = Arc::new(server);
    const TASKS: u16 = 4;
    const EACH: u32 = 50;

    // Echo server, itself two concurrent receivers.
    let mut echo = Vec::new();
    for _ in 0..2 {
        let server = Arc::clone(&server);
        echo.push(tokio::spawn(async move {
            loop {
                match server.recv().await {
                    Ok((m, info)) => {
                        let reply = SendInfo::new().stream(info.stream).ppid(info.ppid);
                        server.send(&m, &reply).await.unwrap();
                    }
                    Err(e) => return e,
                }
            }
        }));
    }
    let mut senders = Vec::new();
    for t in 0..TASKS {
        let client = Arc::clone(&client);
        senders.push(tokio::spawn(async move {
            for i in 0..EACH {
                let body = format!("{t}-{i}");
                client
                    .send(
                        body.as_bytes(),
                        &SendInfo::new().stream(t).ppid(u32::from(t)),
                    )
                    .await
                    .unwrap();
            }
        }));
    }
    let mut receivers = Vec::new();
    for _ in 0..2 {
        let client = Arc::clone(&client);
        receivers.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                match tokio::time::timeout(Duration::from_secs(2), client.recv()).await {
                    Ok(Ok((m, info))) => {
                        got.push((info.stream, String::from_utf8(m.to_vec()).unwrap()))
                    }
                    Ok(Err(e)) => panic!("recv: {e}"),
                    Err(_) => return got,
                }
            }
        }));
    }
    for s in senders {
        within("senders", s).await.unwrap();
    }
    let mut all = Vec::new();
    for r in receivers {
        all.extend(within("receivers", r).await.unwrap());
    }
    assert_eq!(all.len(), (TASKS as usize) * EACH as usize);
    let mut per_task: HashMap<u16, Vec<u32>> = HashMap::new();
    for (sid, body) in all {
        let (t, i) = body.split_once('-').unwrap();
        assert_eq!(t.parse::<u16>().unwrap(), sid);
        per_task.entry(sid).or_default().push(i.parse().unwrap());
    }
    for t in 0..TASKS {
        let mut v = per_task.remove(&t).unwrap();
        v.sort_unstable();
        assert_eq!(v, (0..EACH).collect::<Vec<_>>());
    }
    drop(client);
    for e in echo {
        let err = within("echo end", e).await.unwrap();
        assert_ended(&err);
    }
}

#[tokio::test]
async fn cancelled_recv_mid_message_loses_nothing() {
    let addr = v4();
    let l = {
        let s = socket_for(addr);
        s.set_send_buffer_size(512 << 10).unwrap();
        s.bind(addr).unwrap();
        s.listen(4).unwrap()
    };
    let c = socket_for(addr);
    // A receive buffer far smaller than the message: the kernel must hand the message over
    // in pieces (partial delivery) while the rest is still in flight.
    c.set_recv_buffer_size(16 << 10).unwrap();
    let (client, server) = pair_with(l, c).await;
    let big = pattern(256 << 10, 42);
    let sender = {
        let big = big.clone();
        async move {
            server
                .send(&big, &SendInfo::new().stream(1).ppid(77))
                .await
                .unwrap();
            server
                .send(b"after", &SendInfo::new().stream(1).ppid(78))
                .await
                .unwrap();
            server
        }
    };
    let receiver = async {
        let mut pending_polls = 0u32;
        let (m, info) = loop {
            // Poll a fresh recv future once and drop it if it is not done.
            match tokio::time::timeout(Duration::ZERO, client.recv()).await {
                Ok(r) => break r.unwrap(),
                Err(_) => {
                    pending_polls += 1;
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }
        };
        assert!(pending_polls > 0);
        assert_eq!(info.ppid, 77);
        assert_eq!(m.len(), big.len());
        assert!(
            m[..] == big[..],
            "message content survived the dropped futures"
        );
        let (m, info) = client.recv().await.unwrap();
        assert_eq!((&m[..], info.ppid), (&b"after"[..], 78));
    };
    let (_server, ()) = within("cancel", async { tokio::join!(sender, receiver) }).await;
}

#[tokio::test]
async fn peer_abort_reaches_pending_recv() {
    let (client, server) = pair(v4()).await;
    let client = Arc::new(client);
    let pending = tokio::spawn({
        let client = Arc::clone(&client);
        async move { client.recv().await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    within("abort", server.abort()).await.unwrap();
    let err = within("pending recv", pending).await.unwrap().unwrap_err();
    match err.kind() {
        ErrorKind::AssociationEnded { cause } => match &**cause {
            Notification::AssocChange(c) => {
                assert_eq!(c.state, AssocChangeState::CommLost);
                assert_eq!(c.assoc_id, client.assoc_id());
            }
            other => panic!("cause {other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // Later calls fail the same way instead of hanging.
    let err = within("send after abort", client.send(b"x", &SendInfo::new()))
        .await
        .unwrap_err();
    assert_ended(&err);
    let err = within("recv after abort", client.recv()).await.unwrap_err();
    assert_ended(&err);
}

#[tokio::test]
async fn dropped_peer_ends_recv_and_send() {
    let (client, server) = pair(v4()).await;
    server
        .send(b"last words", &SendInfo::new().stream(3))
        .await
        .unwrap();
    drop(server);
    let (m, info) = within("data before the end", client.recv()).await.unwrap();
    assert_eq!((&m[..], info.stream), (&b"last words"[..], 3));
    let err = within("recv at end", client.recv()).await.unwrap_err();
    assert_ended(&err);
    let err = within("send at end", client.send(b"x", &SendInfo::new()))
        .await
        .unwrap_err();
    assert_ended(&err);
}

#[tokio::test]
async fn graceful_shutdown_delivers_then_ends() {
    let (client, server) = pair(v4()).await;
    client.send(b"req", &SendInfo::new()).await.unwrap();
    within("shutdown", client.shutdown()).await.unwrap();
    let err = client.send(b"more", &SendInfo::new()).await.unwrap_err();
    assert_ended(&err);
    let (m, _) = within("server recv", server.recv()).await.unwrap();
    assert_eq!(&m[..], b"req");
    let err = within("server eof", server.recv()).await.unwrap_err();
    assert_ended(&err);
    let err = within("client end", client.recv()).await.unwrap_err();
    assert_ended(&err);
}

#[tokio::test]
async fn stream_id_out_of_range_is_refused_before_the_syscall() {
    let (client, _server) = pair(v4()).await;
    let err = client
        .send(b"x", &SendInfo::new().stream(16))
        .await
        .unwrap_err();
    match err.kind() {
        ErrorKind::StreamOutOfRange {
            stream,
            outbound_streams,
        } => assert_eq!((*stream, *outbound_streams), (16, 16)),
        other => panic!("{other:?}"),
    }
    assert!(err.raw_os_error().is_none(), "no syscall was made");
    let err = client
        .try_send(b"x", &SendInfo::new().stream(u16::MAX))
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::StreamOutOfRange { .. }));
}

#[tokio::test]
async fn connect_refused_reports_econnrefused() {
    // A port nobody listens on: the peer kernel answers INIT with ABORT.
    let l = listener(v4());
    let addr = l.local_addr().unwrap();
    drop(l);
    let err = within("connect", SctpStream::connect(addr))
        .await
        .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED), "{err:?}");
}

#[tokio::test]
async fn message_over_the_cap_fails_once_then_recv_continues() {
    let (client, server) = pair(v4()).await;
    server.set_max_message_size(1000);
    assert_eq!(server.max_message_size(), 1000);
    client
        .send(&pattern(5000, 1), &SendInfo::new())
        .await
        .unwrap();
    client
        .send(&pattern(1000, 2), &SendInfo::new().ppid(2))
        .await
        .unwrap();
    let err = within("too large", server.recv()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::MessageTooLarge { limit: 1000 }),
        "{err:?}"
    );
    let (m, info) = within("next", server.recv()).await.unwrap();
    assert_eq!(info.ppid, 2);
    assert!(m[..] == pattern(1000, 2)[..]);
}

#[tokio::test]
async fn recv_into_reports_partial_delivery() {
    let (client, server) = pair(v4()).await;
    let data = pattern(1000, 9);
    client
        .send(&data, &SendInfo::new().stream(4).ppid(5))
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 300];
    loop {
        let piece = within("recv_into", server.recv_into(&mut buf))
            .await
            .unwrap();
        assert_eq!((piece.info.stream, piece.info.ppid), (4, 5));
        got.extend_from_slice(&buf[..piece.len]);
        if piece.eor {
            break;
        }
        assert_eq!(piece.len, 300);
    }
    assert_eq!(got, data);
}

#[tokio::test]
async fn try_and_poll_variants() {
    let (client, server) = pair(v4()).await;
    let err = server.try_recv().unwrap_err();
    assert_eq!(err.io_kind(), std::io::ErrorKind::WouldBlock);
    client.try_send(b"try", &SendInfo::new().ppid(1)).unwrap();
    let (m, info) = within("poll_recv", std::future::poll_fn(|cx| server.poll_recv(cx)))
        .await
        .unwrap();
    assert_eq!((&m[..], info.ppid), (&b"try"[..], 1));
    let n = within(
        "poll_send",
        std::future::poll_fn(|cx| server.poll_send(cx, b"polled", &SendInfo::new().ppid(2))),
    )
    .await
    .unwrap();
    assert_eq!(n, 6);
    // Wait until it is there, then try_recv takes it.
    let mut tries = 0;
    let (m, _) = loop {
        match client.try_recv() {
            Ok(r) => break r,
            Err(e) if e.io_kind() == std::io::ErrorKind::WouldBlock => {
                tries += 1;
                assert!(tries < 2000, "never arrived");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(&m[..], b"polled");
}

#[tokio::test]
async fn stream_sender_handles() {
    let (client, server) = pair(v4()).await;
    let a = client.sender(3, 99);
    let b = a.clone();
    assert_eq!((b.stream_id(), b.ppid()), (3, 99));
    let t = tokio::spawn(async move { b.send(b"from task").await.unwrap() });
    a.send(b"direct").await.unwrap();
    within("task", t).await.unwrap();
    a.send_with(b"other ppid", &SendInfo::new().ppid(5).stream(9))
        .await
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        let (m, info) = within("recv", server.recv()).await.unwrap();
        assert_eq!(info.stream, 3, "the handle's stream wins");
        got.push((String::from_utf8(m.to_vec()).unwrap(), info.ppid));
    }
    got.sort();
    assert_eq!(
        got,
        vec![
            ("direct".to_string(), 99),
            ("from task".to_string(), 99),
            ("other ppid".to_string(), 5)
        ]
    );
    let bad = client.sender(20, 1);
    let err = bad.send(b"x").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::StreamOutOfRange { .. }));
}

#[tokio::test]
async fn streams_expose_their_descriptor() {
    let (client, _server) = pair(v4()).await;
    let fd = client.as_fd();
    let ty = sockopt::get(fd, sockopt::SO_TYPE).unwrap();
    assert_eq!(ty, libc::SOCK_STREAM);
}

#[tokio::test]
async fn multihomed_bindx_and_connect_multi() {
    // 127.0.0.1 and 127.0.0.2 are both on lo: a two-address server, reached through both.
    let s = socket_for(v4());
    s.bindx(&["127.0.0.1:0".parse().unwrap()]).unwrap();
    let port = s.local_addr().unwrap().port();
    let second: std::net::SocketAddr = format!("127.0.0.2:{port}").parse().unwrap();
    s.bindx(&[second]).unwrap();
    let l = s.listen(4).unwrap();
    let mut locals = l.local_addrs().unwrap();
    locals.sort();
    assert_eq!(locals.len(), 2, "{locals:?}");
    let targets: Vec<std::net::SocketAddr> =
        vec![format!("127.0.0.1:{port}").parse().unwrap(), second];
    let (c, a) = within("connect_multi", async {
        tokio::join!(SctpStream::connect_multi(&targets), l.accept())
    })
    .await;
    let client = c.unwrap();
    let (server, _) = a.unwrap();
    let mut peers = client.peer_addrs().unwrap();
    peers.sort();
    assert_eq!(
        peers, targets,
        "the association spans both server addresses"
    );
    client.send(b"mh", &SendInfo::new()).await.unwrap();
    let (m, _) = within("recv", server.recv()).await.unwrap();
    assert_eq!(&m[..], b"mh");
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

async fn stream_addrs_mirror_each_other(addr: SocketAddr) {
    let (client, server) = pair(addr).await;
    let (cl, cp) = (client.local_addr().unwrap(), client.peer_addr().unwrap());
    let (sl, sp) = (server.local_addr().unwrap(), server.peer_addr().unwrap());
    assert!(same_addr(cl, sp), "client local {cl}, server sees {sp}");
    assert!(same_addr(cp, sl), "client peer {cp}, server local {sl}");
    assert_eq!(cl.ip(), addr.ip());
    assert_ne!(cl.port(), 0);
    // One of the addresses the SCTP calls report.
    assert!(client
        .local_addrs()
        .unwrap()
        .iter()
        .any(|a| same_addr(*a, cl)));
    assert!(client
        .peer_addrs()
        .unwrap()
        .iter()
        .any(|a| same_addr(*a, cp)));
    assert!(same_addr(client.primary_addr().unwrap(), cp));
}

#[tokio::test]
async fn stream_local_and_peer_addr_v4() {
    stream_addrs_mirror_each_other(v4()).await;
}

#[tokio::test]
async fn stream_local_and_peer_addr_v6() {
    stream_addrs_mirror_each_other(v6()).await;
}

// ---------------------------------------------------------------------------------------
// Several tasks, and recv_into
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn several_tasks_receiving_on_one_stream_all_get_a_message() {
    let (client, server) = pair(v4()).await;
    let server = Arc::new(server);
    let tasks = receivers(4, &server, |s| async move { s.recv().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..4u8 {
        client
            .send(
                &pattern(100 + usize::from(i), i),
                &SendInfo::new().ppid(u32::from(i)),
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ppids = ppids_received(tasks, |m, ppid| assert_eq!(m.len(), 100 + ppid as usize)).await;
    assert_eq!(ppids, vec![0, 1, 2, 3]);
}

#[tokio::test]
async fn recv_into_an_empty_buffer_with_a_notification_queued_returns() {
    let (client, server) = pair(v4()).await;
    // The peer's SHUTDOWN: a SHUTDOWN_EVENT notification, then EOF, wait in the queue.
    within("shutdown", client.shutdown()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let server = Arc::new(server);
    let s = Arc::clone(&server);
    let r = on_thread(move || s.try_recv_into(&mut []));
    let piece = r.unwrap();
    assert_eq!((piece.len, piece.eor), (0, false));
    // With room, the end is reported.
    let mut buf = [0u8; 64];
    let e = within("recv_into", server.recv_into(&mut buf))
        .await
        .unwrap_err();
    assert_ended(&e);
}
