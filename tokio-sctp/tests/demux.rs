//! The per-stream demultiplexer against the real kernel SCTP stack (run through the lab
//! runner): order per stream, both slow-consumer policies, held and unclaimed streams,
//! one-to-many keys, and ends.
//!
//! The 6.1 lab kernel runs all of it. What it cannot show: flow control over a real link
//! (the Backpressure tests see the peer's window close over loopback, with a short RTO because
//! a closed window reopens on the sender's retransmission timer), and I-DATA
//! interleaving of one association's streams (`net.sctp.intl_enable` is off here; the lksctp
//! one-to-many port turns it on in a private namespace).

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use support::{pair, pattern, v4, within};
use tokio_linux_sctp::demux::{Demux, SlowConsumer, StreamReceiver};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::{RecvInfo, SendInfo};
use tokio_linux_sctp::notification::{AssocChangeState, Notification};
use tokio_linux_sctp::{AssocId, InitParams, SctpEndpoint, SctpSocket, SctpStream};

/// A message: a 10-byte header (tag, stream, sequence number) and a body that depends on all
/// three, so a misplaced or corrupted message shows.
fn message(tag: u32, sid: u16, seq: u32) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&tag.to_be_bytes());
    m.extend_from_slice(&sid.to_be_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    let len = (seq as usize % 7) * 61 + 3;
    m.extend_from_slice(&pattern(len, (tag as u8) ^ (sid as u8) ^ (seq as u8)));
    m
}

/// Checks `got` is `message(tag, sid, seq)` received on `sid` with PPID `1000 + sid`.
fn check(got: &(Bytes, RecvInfo), tag: u32, sid: u16, seq: u32) {
    let (bytes, info) = got;
    assert_eq!(info.stream, sid, "stream of message {seq}");
    assert_eq!(info.ppid, 1000 + u32::from(sid), "PPID of message {seq}");
    let want = message(tag, sid, seq);
    if bytes[..] != want[..] {
        let head = |b: &[u8]| b[..10.min(b.len())].to_vec();
        panic!(
            "stream {sid}: expected message {seq} (header {:?}, {} bytes), got header {:?}, {} bytes",
            head(&want),
            want.len(),
            head(bytes),
            bytes.len()
        );
    }
}

/// Short, bounded retransmission timeouts for `sender`. While a `Backpressure` demux holds
/// the receive window closed the sender stops, and it resumes when its retransmission timer
/// probes the reopened window: with the default RTO bounds (1 s minimum, backing off up to
/// 60 s) a few stalls in a row could outlast the test's time limit.
fn fast_rto(sender: &SctpStream) {
    let rto = tokio_linux_sctp::opts::RtoInfo {
        initial: Duration::from_millis(100),
        max: Duration::from_millis(200),
        min: Duration::from_millis(50),
    };
    sender.options().set_rto_info(&rto).unwrap();
}

fn info(sid: u16) -> SendInfo {
    SendInfo::new().stream(sid).ppid(1000 + u32::from(sid))
}

/// The next item of `rx`, which must be a message.
async fn next_msg(rx: &mut StreamReceiver) -> (Bytes, RecvInfo) {
    match within("demux recv", rx.recv()).await {
        Some(Ok(m)) => m,
        other => panic!("{rx:?}: expected a message, got {other:?}"),
    }
}

/// Asserts that `rx` ends: one `AssociationEnded` error, then `None`. Returns the cause.
async fn expect_end(rx: &mut StreamReceiver) -> Notification {
    let cause = match within("demux end", rx.recv()).await {
        Some(Err(e)) => match e.kind() {
            ErrorKind::AssociationEnded { cause } => (**cause).clone(),
            _ => panic!("{rx:?}: expected AssociationEnded, got {e:?}"),
        },
        other => panic!("{rx:?}: expected AssociationEnded, got {other:?}"),
    };
    assert!(
        within("after end", rx.recv()).await.is_none(),
        "{rx:?}: None after the end"
    );
    assert!(rx.recv().await.is_none(), "{rx:?}: None stays");
    cause
}

/// Asserts that `rx` has nothing for `wait`.
async fn expect_quiet(rx: &mut StreamReceiver, wait: Duration) {
    if let Ok(got) = tokio::time::timeout(wait, rx.recv()).await {
        panic!("{rx:?}: expected nothing, got {got:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_interleaved_streams_keep_order_and_end() {
    const ROUNDS: u32 = 120;
    let (client, server) = pair(v4()).await;
    fast_rto(&client);
    assert_eq!(server.inbound_streams(), 16);
    // A small capacity, so that the queues fill and reading pauses many times on the way.
    let demux = Demux::new(Arc::new(server), 4, SlowConsumer::Backpressure);
    let mut tasks = Vec::new();
    for sid in 0..16u16 {
        let mut rx = demux.stream(sid).unwrap();
        assert_eq!((rx.stream_id(), rx.assoc_id()), (Some(sid), None));
        tasks.push(tokio::spawn(async move {
            for seq in 0..ROUNDS {
                let m = next_msg(&mut rx).await;
                check(&m, 7, sid, seq);
            }
            expect_end(&mut rx).await
        }));
    }
    within("send", async {
        for seq in 0..ROUNDS {
            for sid in 0..16 {
                client
                    .send(&message(7, sid, seq), &info(sid))
                    .await
                    .unwrap();
            }
        }
    })
    .await;
    client.shutdown().await.unwrap();
    for t in tasks {
        let cause = within("receiver task", t).await.unwrap();
        // The peer's SHUTDOWN (or the SHUTDOWN_COMP after it) ended the association.
        assert!(
            matches!(cause, Notification::Shutdown(_))
                || matches!(&cause, Notification::AssocChange(c)
                    if c.state == AssocChangeState::ShutdownComplete),
            "{cause:?}"
        );
    }
}

#[tokio::test]
async fn backpressure_stalls_at_capacity_and_loses_nothing() {
    const N: u32 = 40;
    const FAST: u16 = 1;
    const SLOW: u16 = 2;
    let (client, server) = pair(v4()).await;
    fast_rto(&client);
    let demux = Demux::new(Arc::new(server), 4, SlowConsumer::Backpressure);
    assert_eq!(
        (demux.capacity(), demux.policy()),
        (4, SlowConsumer::Backpressure)
    );
    let mut fast = demux.stream(FAST).unwrap();
    let mut slow = demux.stream(SLOW).unwrap();
    within("send", async {
        for seq in 0..N {
            client
                .send(&message(1, FAST, seq), &info(FAST))
                .await
                .unwrap();
            client
                .send(&message(1, SLOW, seq), &info(SLOW))
                .await
                .unwrap();
        }
    })
    .await;

    // Only the fast consumer reads. Its messages alternate with the slow stream's, so it
    // gets exactly as many as the slow queue holds, then everything waits.
    for seq in 0..4 {
        let m = next_msg(&mut fast).await;
        check(&m, 1, FAST, seq);
    }
    expect_quiet(&mut fast, Duration::from_millis(300)).await;
    assert_eq!(slow.queued(), 4, "the slow queue is full");
    assert_eq!(fast.queued(), 0);

    // The slow consumer wakes up: both get everything, in order.
    let fast_task = tokio::spawn(async move {
        for seq in 4..N {
            let m = next_msg(&mut fast).await;
            check(&m, 1, FAST, seq);
        }
        fast
    });
    for seq in 0..N {
        let m = next_msg(&mut slow).await;
        check(&m, 1, SLOW, seq);
    }
    let mut fast = within("fast task", fast_task).await.unwrap();
    client.shutdown().await.unwrap();
    expect_end(&mut fast).await;
    expect_end(&mut slow).await;
}

#[tokio::test]
async fn drop_oldest_reports_the_number_dropped() {
    const SLOW: u16 = 2;
    const MARK: u16 = 3;
    let (client, server) = pair(v4()).await;
    let demux = Demux::new(Arc::new(server), 4, SlowConsumer::DropOldest);
    let mut slow = demux.stream(SLOW).unwrap();
    let mut mark = demux.stream(MARK).unwrap();
    within("send", async {
        for seq in 0..20 {
            client
                .send(&message(2, SLOW, seq), &info(SLOW))
                .await
                .unwrap();
        }
        client
            .send(&message(2, MARK, 0), &info(MARK))
            .await
            .unwrap();
    })
    .await;
    // Reading stream 3 reads past all 20 messages of stream 2: 16 of them cannot be kept.
    let m = next_msg(&mut mark).await;
    check(&m, 2, MARK, 0);
    assert_eq!(slow.queued(), 4);

    match within("lag report", slow.recv()).await {
        Some(Err(e)) => {
            assert!(
                matches!(e.kind(), ErrorKind::MessagesLagged { dropped: 16 }),
                "{e:?}"
            );
            assert!(e.to_string().starts_with("16 SCTP messages dropped"), "{e}");
            assert_eq!(std::io::Error::from(e).kind(), std::io::ErrorKind::Other);
        }
        other => panic!("expected MessagesLagged, got {other:?}"),
    }
    for seq in 16..20 {
        let m = next_msg(&mut slow).await;
        check(&m, 2, SLOW, seq);
    }
    // One report per gap: the next gap is counted afresh.
    within("send", async {
        for seq in 20..30 {
            client
                .send(&message(2, SLOW, seq), &info(SLOW))
                .await
                .unwrap();
        }
        client
            .send(&message(2, MARK, 1), &info(MARK))
            .await
            .unwrap();
    })
    .await;
    let m = next_msg(&mut mark).await;
    check(&m, 2, MARK, 1);
    match within("second lag report", slow.recv()).await {
        Some(Err(e)) => assert!(
            matches!(e.kind(), ErrorKind::MessagesLagged { dropped: 6 }),
            "{e:?}"
        ),
        other => panic!("expected MessagesLagged, got {other:?}"),
    }
    for seq in 26..30 {
        let m = next_msg(&mut slow).await;
        check(&m, 2, SLOW, seq);
    }
    drop(client);
    expect_end(&mut slow).await;
    expect_end(&mut mark).await;
}

#[tokio::test]
async fn unclaimed_streams_are_held_or_caught_and_claims_are_checked() {
    let (client, server) = pair(v4()).await;
    let demux = Demux::with_defaults(Arc::new(server));
    let mut s0 = demux.stream(0).unwrap();

    // Claims are checked.
    let e = demux.stream(0).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::AlreadyExists, "{e}");
    let e = demux.stream(16).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::InvalidInput, "{e}");
    let e = demux.stream_of(1, 0).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::InvalidInput, "{e}");

    // Stream 5 has no receiver and there is no catch-all: its messages are held.
    within("send", async {
        for seq in 0..3 {
            client.send(&message(3, 5, seq), &info(5)).await.unwrap();
        }
        client.send(&message(3, 0, 0), &info(0)).await.unwrap();
    })
    .await;
    let m = next_msg(&mut s0).await;
    check(&m, 3, 0, 0);
    let mut s5 = demux.stream(5).unwrap();
    assert_eq!(s5.queued(), 3, "held messages go to the late claim");
    for seq in 0..2 {
        let m = next_msg(&mut s5).await;
        check(&m, 3, 5, seq);
    }

    // A catch-all gets the unclaimed streams, and what a dropped receiver left.
    let mut rest = demux.unclaimed().unwrap();
    assert_eq!((rest.stream_id(), rest.assoc_id()), (None, None));
    assert_eq!(
        demux.unclaimed().unwrap_err().io_kind(),
        std::io::ErrorKind::AlreadyExists
    );
    drop(s5);
    within("send", async {
        client.send(&message(3, 5, 3), &info(5)).await.unwrap();
        client.send(&message(3, 9, 0), &info(9)).await.unwrap();
        client.send(&message(3, 0, 1), &info(0)).await.unwrap();
    })
    .await;
    let m = next_msg(&mut s0).await;
    check(&m, 3, 0, 1);
    let m = next_msg(&mut rest).await;
    check(&m, 3, 5, 2);
    let m = next_msg(&mut rest).await;
    check(&m, 3, 5, 3);
    let m = next_msg(&mut rest).await;
    check(&m, 3, 9, 0);

    // The stream can be claimed again.
    let mut s5 = demux.stream(5).unwrap();
    client.send(&message(3, 5, 4), &info(5)).await.unwrap();
    let m = next_msg(&mut s5).await;
    check(&m, 3, 5, 4);
    assert_eq!(rest.queued(), 0);

    drop(client);
    for rx in [&mut s0, &mut s5, &mut rest] {
        expect_end(rx).await;
    }
    // A receiver made after the end ends at once.
    let mut late = demux.stream(7).unwrap();
    expect_end(&mut late).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_abort_ends_every_waiting_receiver() {
    let (client, server) = pair(v4()).await;
    let demux = Demux::new(Arc::new(server), 8, SlowConsumer::DropOldest);
    let mut tasks = Vec::new();
    for sid in 0..16 {
        let mut rx = demux.stream(sid).unwrap();
        tasks.push(tokio::spawn(async move { expect_end(&mut rx).await }));
    }
    let mut rest = demux.unclaimed().unwrap();
    tasks.push(tokio::spawn(async move { expect_end(&mut rest).await }));
    // Every receiver is waiting now, none has anything.
    tokio::time::sleep(Duration::from_millis(100)).await;
    client.abort().await.unwrap();
    for t in tasks {
        let cause = within("receiver task", t).await.unwrap();
        assert!(
            matches!(&cause, Notification::AssocChange(c) if c.state == AssocChangeState::CommLost),
            "{cause:?}"
        );
    }
}

fn endpoint() -> Arc<SctpEndpoint> {
    let s = SctpSocket::new_v4_one_to_many().unwrap();
    s.set_init(InitParams::new().streams(16, 16)).unwrap();
    s.set_nodelay(true).unwrap();
    s.bind(v4()).unwrap();
    let e = s.into_endpoint().unwrap();
    e.listen(16).unwrap();
    Arc::new(e)
}

async fn connect(addr: SocketAddr) -> SctpStream {
    let s = support::socket_for(addr);
    within("connect", s.connect(addr)).await.unwrap()
}

#[tokio::test]
async fn one_to_many_demuxes_associations_and_streams_separately() {
    const N: u32 = 50;
    let server = endpoint();
    let saddr = server.local_addr().unwrap();
    let demux = Demux::for_endpoint(Arc::clone(&server), 8, SlowConsumer::Backpressure);
    let e = demux.stream(1).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::InvalidInput, "{e}");
    let mut hello = demux.unclaimed().unwrap();

    let a = connect(saddr).await;
    let b = connect(saddr).await;
    fast_rto(&a);
    fast_rto(&b);
    // Each client says hello on stream 0 so that the server learns its association id.
    a.send(&message(10, 0, 0), &info(0)).await.unwrap();
    b.send(&message(11, 0, 0), &info(0)).await.unwrap();
    let mut ids: Vec<(u32, AssocId)> = Vec::new();
    for _ in 0..2 {
        let (m, i) = next_msg(&mut hello).await;
        let tag = u32::from_be_bytes(m[..4].try_into().unwrap());
        check(&(m, i), tag, 0, 0);
        ids.push((tag, i.assoc_id));
    }
    ids.sort();
    let [(10, id_a), (11, id_b)] = ids[..] else {
        panic!("hellos: {ids:?}");
    };
    assert_ne!(id_a, id_b);

    let mut rxs: Vec<(u32, AssocId, u16, StreamReceiver)> = Vec::new();
    for (tag, id) in [(10, id_a), (11, id_b)] {
        for sid in 1..=4 {
            let rx = demux.stream_of(id, sid).unwrap();
            assert_eq!((rx.assoc_id(), rx.stream_id()), (Some(id), Some(sid)));
            rxs.push((tag, id, sid, rx));
        }
    }
    assert_eq!(
        demux.stream_of(id_a, 1).unwrap_err().io_kind(),
        std::io::ErrorKind::AlreadyExists
    );
    let tasks: Vec<_> = rxs
        .into_iter()
        .map(|(tag, id, sid, mut rx)| {
            tokio::spawn(async move {
                for seq in 0..N {
                    let m = next_msg(&mut rx).await;
                    assert_eq!(m.1.assoc_id, id);
                    check(&m, tag, sid, seq);
                }
                (tag, sid, rx)
            })
        })
        .collect();
    within("send", async {
        for seq in 0..N {
            for sid in 1..=4 {
                a.send(&message(10, sid, seq), &info(sid)).await.unwrap();
                b.send(&message(11, sid, seq), &info(sid)).await.unwrap();
            }
        }
    })
    .await;
    let mut of_a = Vec::new();
    let mut of_b = Vec::new();
    for t in tasks {
        let (tag, sid, rx) = within("receiver task", t).await.unwrap();
        if tag == 10 {
            of_a.push((sid, rx));
        } else {
            of_b.push((sid, rx));
        }
    }

    // Association a shuts down: its receivers end; b's go on.
    a.shutdown().await.unwrap();
    for (_, rx) in &mut of_a {
        let cause = expect_end(rx).await;
        match cause {
            Notification::AssocChange(c) => {
                assert_eq!(
                    (c.state, c.assoc_id),
                    (AssocChangeState::ShutdownComplete, id_a)
                )
            }
            other => panic!("{other:?}"),
        }
    }
    for (sid, _) in &of_b {
        b.send(&message(11, *sid, N), &info(*sid)).await.unwrap();
    }
    for (sid, rx) in &mut of_b {
        let m = next_msg(rx).await;
        check(&m, 11, *sid, N);
    }
    // A late claim on the ended association ends at once.
    let mut late = demux.stream_of(id_a, 9).unwrap();
    expect_end(&mut late).await;

    // Association b is aborted by the peer.
    b.abort().await.unwrap();
    for (_, rx) in &mut of_b {
        match expect_end(rx).await {
            Notification::AssocChange(c) => {
                assert_eq!((c.state, c.assoc_id), (AssocChangeState::CommLost, id_b))
            }
            other => panic!("{other:?}"),
        }
    }
    // The endpoint itself goes on: the catch-all does not end.
    expect_quiet(&mut hello, Duration::from_millis(200)).await;
    let c = connect(saddr).await;
    c.send(&message(12, 0, 0), &info(0)).await.unwrap();
    let m = next_msg(&mut hello).await;
    check(&m, 12, 0, 0);
    assert!(m.1.assoc_id != id_a && m.1.assoc_id != id_b);
}

/// A dropped `recv` future loses nothing: the message waits in the queue.
#[tokio::test]
async fn cancelled_recv_loses_nothing() {
    let (client, server) = pair(v4()).await;
    let demux = Demux::with_defaults(Arc::new(server));
    let mut rx = demux.stream(3).unwrap();
    for _ in 0..5 {
        let r = tokio::time::timeout(Duration::from_millis(20), rx.recv()).await;
        assert!(r.is_err(), "nothing sent yet");
    }
    client.send(&message(4, 3, 0), &info(3)).await.unwrap();
    let m = next_msg(&mut rx).await;
    check(&m, 4, 3, 0);
}

/// With `Backpressure`, a full queue stops the reading, the kernel's receive window closes and
/// the peer's sends wait: the stall reaches the sender, and nothing is lost.
#[tokio::test]
async fn backpressure_reaches_the_peer_through_flow_control() {
    const STUCK: u16 = 1;
    const BULK: u16 = 2;
    let lsock = support::socket_for(v4());
    lsock.set_recv_buffer_size(64 << 10).unwrap();
    lsock.bind(v4()).unwrap();
    let listener = lsock.listen(4).unwrap();
    let csock = support::socket_for(v4());
    csock.set_send_buffer_size(64 << 10).unwrap();
    let (client, server) = support::pair_with(listener, csock).await;
    // Measured here: the 50 messages after the stall take about 1.4 s with the default
    // RTO bounds, 0.37 s with these.
    fast_rto(&client);
    let demux = Demux::new(Arc::new(server), 1, SlowConsumer::Backpressure);
    let mut stuck = demux.stream(STUCK).unwrap();
    let mut bulk = demux.stream(BULK).unwrap();

    client
        .send(&message(5, STUCK, 0), &info(STUCK))
        .await
        .unwrap();
    // The bulk consumer reads as fast as it can, on its own task.
    let reader = tokio::spawn(async move {
        let mut seq = 0;
        while let Some(m) = bulk.recv().await {
            match m {
                Ok(m) => {
                    let big = big_message(seq);
                    assert_eq!((&m.0[..], m.1.stream), (&big[..], BULK), "bulk {seq}");
                    seq += 1;
                }
                Err(e) => {
                    assert!(
                        matches!(e.kind(), ErrorKind::AssociationEnded { .. }),
                        "{e}"
                    );
                    break;
                }
            }
        }
        seq
    });
    // Send bulk messages until a send waits for the peer.
    let mut sent = 0u32;
    loop {
        let (big, bulk_info) = (big_message(sent), info(BULK));
        let send = client.send(&big, &bulk_info);
        match tokio::time::timeout(Duration::from_millis(500), send).await {
            Ok(r) => {
                r.unwrap();
                sent += 1;
                assert!(sent < 2000, "the sender was never stopped");
            }
            Err(_) => break,
        }
    }
    // Buffers of 64 KiB each way hold a few dozen 4 KiB messages, not thousands.
    assert!(sent >= 2, "sent {sent}");
    assert_eq!(stuck.queued(), 1);

    // The stuck consumer takes its message: everything flows again, in order.
    let m = next_msg(&mut stuck).await;
    check(&m, 5, STUCK, 0);
    within("rest", async {
        for seq in sent..sent + 50 {
            client.send(&big_message(seq), &info(BULK)).await.unwrap();
        }
    })
    .await;
    client.shutdown().await.unwrap();
    let got = within("reader", reader).await.unwrap();
    assert_eq!(got, sent + 50, "every bulk message arrived");
    expect_end(&mut stuck).await;
}

fn big_message(seq: u32) -> Vec<u8> {
    let mut m = seq.to_be_bytes().to_vec();
    m.extend_from_slice(&pattern(4096, seq as u8));
    m
}

/// On an endpoint whose notifications another task consumes, receivers still end with their
/// association (the demux reads the association table, not the notifications).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_to_many_end_with_a_concurrent_event_reader() {
    let mut s = SctpSocket::new_v4_one_to_many().unwrap();
    s.subscribe(tokio_linux_sctp::notification::Subscriptions::all())
        .unwrap();
    s.set_init(InitParams::new().streams(16, 16)).unwrap();
    s.bind(v4()).unwrap();
    let server = Arc::new(s.into_endpoint().unwrap());
    server.listen(16).unwrap();
    let saddr = server.local_addr().unwrap();
    let mut events = server.events();
    let watcher = tokio::spawn(async move {
        let mut ended = Vec::new();
        while ended.len() < 3 {
            match events.next().await {
                Some(Ok(n)) if n.is_association_end() => ended.push(n.assoc_id().unwrap()),
                Some(Ok(_)) => {}
                other => panic!("event stream: {other:?}"),
            }
        }
        ended
    });
    let demux = Demux::for_endpoint(Arc::clone(&server), 4, SlowConsumer::Backpressure);
    let mut hello = demux.unclaimed().unwrap();
    let mut ids = Vec::new();
    for round in 0..3u32 {
        let c = connect(saddr).await;
        c.send(&message(20 + round, 0, 0), &info(0)).await.unwrap();
        let (m, i) = next_msg(&mut hello).await;
        check(&(m, i), 20 + round, 0, 0);
        let mut rxs: Vec<StreamReceiver> = (1..=3)
            .map(|sid| demux.stream_of(i.assoc_id, sid).unwrap())
            .collect();
        // Half the rounds end gracefully, the others by ABORT.
        if round % 2 == 0 {
            c.shutdown().await.unwrap();
        } else {
            c.abort().await.unwrap();
        }
        for rx in &mut rxs {
            match expect_end(rx).await {
                Notification::AssocChange(ch) => assert_eq!(ch.assoc_id, i.assoc_id),
                other => panic!("{other:?}"),
            }
        }
        ids.push(i.assoc_id);
    }
    let mut ended = within("event watcher", watcher).await.unwrap();
    ended.sort();
    ids.sort();
    assert_eq!(ended, ids, "the event reader saw the same ends");
}
