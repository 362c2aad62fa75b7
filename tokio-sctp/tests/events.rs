//! The event stream against the real kernel SCTP stack (run through the lab runner):
//! `COMM_UP` and shutdown notifications with their states and association ids, data and
//! notifications read ahead by one reader kept for the other (also with several tasks and
//! `recv_into` reading), subscriptions (through the builder and through `options()`), a full
//! event queue reported as `EventsLagged`, and the options a socket of this crate keeps on.
//!
//! The 6.1 lab kernel runs all of it. Events that need a feature its default sysctls turn off
//! (`AUTHENTICATION_EVENT`, `STREAM_RESET_EVENT`, `ASSOC_RESET_EVENT`, `STREAM_CHANGE_EVENT`)
//! are not raised here; the lksctp ports (`tests/tests/lksctp_*.rs`) cover them with the
//! sysctls on.

mod support;

use std::io;
use std::os::fd::{AsFd, FromRawFd, OwnedFd};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use support::{
    assert_ended, endpoint, listener, pair, pair_with, pattern, ppids_received, receivers,
    socket_for, v4, within,
};
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, EventType, Notification, Subscriptions};
use tokio_linux_sctp::opts::SocketOptions;
use tokio_linux_sctp::SctpEvents;

async fn next(events: &mut SctpEvents) -> Notification {
    within("event", events.next())
        .await
        .expect("stream ended")
        .expect("event")
}

#[tokio::test]
async fn comm_up_and_shutdown_with_states_and_ids() {
    let (client, server) = pair(v4()).await;
    let mut ce = client.events();
    let mut se = server.events();

    match next(&mut ce).await {
        Notification::AssocChange(c) => {
            assert_eq!(c.state, AssocChangeState::CommUp);
            assert_eq!(c.assoc_id, client.assoc_id());
            assert_eq!((c.outbound_streams, c.inbound_streams), (16, 16));
        }
        other => panic!("{other:?}"),
    }
    match next(&mut se).await {
        Notification::AssocChange(c) => {
            assert_eq!(c.state, AssocChangeState::CommUp);
            assert_eq!(c.assoc_id, server.assoc_id());
        }
        other => panic!("{other:?}"),
    }

    within("shutdown", client.shutdown()).await.unwrap();
    // The server hears the peer's SHUTDOWN, then the shutdown completes on both sides.
    let mut server_saw = Vec::new();
    while let Some(ev) = within("server events", se.next()).await {
        server_saw.push(ev.unwrap());
    }
    assert!(
        matches!(&server_saw[0], Notification::Shutdown(s) if s.assoc_id == server.assoc_id()),
        "{server_saw:?}"
    );
    assert!(
        server_saw.iter().any(|e| matches!(e,
            Notification::AssocChange(c) if c.state == AssocChangeState::ShutdownComplete
                && c.assoc_id == server.assoc_id())),
        "{server_saw:?}"
    );
    let mut client_saw = Vec::new();
    while let Some(ev) = within("client events", ce.next()).await {
        client_saw.push(ev.unwrap());
    }
    assert!(
        client_saw.iter().any(|e| matches!(e,
            Notification::AssocChange(c) if c.state == AssocChangeState::ShutdownComplete
                && c.assoc_id == client.assoc_id())),
        "{client_saw:?}"
    );
}

#[tokio::test]
async fn data_read_by_the_event_stream_is_kept_for_recv() {
    let (client, server) = pair(v4()).await;
    let mut ce = client.events();
    assert!(matches!(next(&mut ce).await, Notification::AssocChange(_)));
    for i in 0..3u32 {
        server
            .send(format!("m{i}").as_bytes(), &SendInfo::new().ppid(i))
            .await
            .unwrap();
    }
    // The event stream reads the three messages while looking for a notification.
    let r = tokio::time::timeout(Duration::from_millis(200), ce.next()).await;
    assert!(r.is_err(), "no event expected: {r:?}");
    for i in 0..3u32 {
        let (m, info) = within("recv", client.recv()).await.unwrap();
        assert_eq!((&m[..], info.ppid), (format!("m{i}").as_bytes(), i));
    }
}

#[tokio::test]
async fn notifications_read_by_recv_reach_the_event_stream() {
    let (client, server) = pair(v4()).await;
    server.send(b"data", &SendInfo::new()).await.unwrap();
    // recv reads COMM_UP (queued first) on its way to the data.
    let (m, _) = within("recv", client.recv()).await.unwrap();
    assert_eq!(&m[..], b"data");
    let mut ce = client.events();
    match ce.try_next() {
        Some(Ok(Notification::AssocChange(c))) => {
            assert_eq!(c.state, AssocChangeState::CommUp);
            assert_eq!(c.assoc_id, client.assoc_id());
        }
        other => panic!("{other:?}"),
    }
    // Also through the futures Stream trait.
    server.send(b"more", &SendInfo::new()).await.unwrap();
    drop(server);
    let ev = within("stream next", StreamExt::next(&mut ce))
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(ev, Notification::Shutdown(_)), "{ev:?}");
    let (m, _) = within("recv more", client.recv()).await.unwrap();
    assert_eq!(&m[..], b"more");
}

#[tokio::test]
async fn subscriptions_choose_what_reaches_the_stream() {
    let addr = v4();
    let l = listener(addr);
    let mut c = socket_for(addr);
    // Sender-dry on, association changes off (still used internally: connect works).
    let subs = Subscriptions::default()
        .with(EventType::SenderDry)
        .without(EventType::AssocChange);
    c.subscribe(subs).unwrap();
    assert_eq!(c.subscriptions(), subs);
    let (client, server) = pair_with(l, c).await;
    assert_eq!(
        client.outbound_streams(),
        16,
        "stream counts learnt without delivery"
    );
    let mut ce = client.events();
    client.send(b"x", &SendInfo::new()).await.unwrap();
    let (m, _) = within("server recv", server.recv()).await.unwrap();
    assert_eq!(&m[..], b"x");
    match next(&mut ce).await {
        Notification::SenderDry(d) => assert_eq!(d.assoc_id, client.assoc_id()),
        other => panic!("expected SenderDry, got {other:?}"),
    }
}

#[tokio::test]
async fn a_full_event_queue_reports_the_loss() {
    let addr = v4();
    let l = listener(addr);
    let mut c = socket_for(addr);
    c.set_event_capacity(1);
    c.subscribe(Subscriptions::default().with(EventType::SenderDry))
        .unwrap();
    let (client, server) = pair_with(l, c).await;
    // COMM_UP, SENDER_DRY (on subscribe, nothing outstanding) and more SENDER_DRYs, all read
    // by recv while nobody takes events: only the newest one fits.
    client.send(b"ping", &SendInfo::new()).await.unwrap();
    let (m, _) = within("server recv", server.recv()).await.unwrap();
    server.send(&m, &SendInfo::new()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (m, _) = within("client recv", client.recv()).await.unwrap();
    assert_eq!(&m[..], b"ping");
    let mut ce = client.events();
    let lag = ce.try_next().expect("an item").unwrap_err();
    match lag.kind() {
        tokio_linux_sctp::error::ErrorKind::EventsLagged { dropped } => assert!(*dropped >= 1),
        other => panic!("{other:?}"),
    }
    assert!(matches!(ce.try_next(), Some(Ok(_))));
}

// ---------------------------------------------------------------------------------------
// Two kinds of reader at once
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn recv_tasks_and_the_event_stream_together_see_everything() {
    let (client, server) = pair(v4()).await;
    let server = Arc::new(server);
    let mut events = server.events();
    let recvs = receivers(3, &server, |s| async move { s.recv().await });
    let ev = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(e) = events.next().await {
            seen.push(e);
        }
        seen
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..3u8 {
        client
            .send(&pattern(50, i), &SendInfo::new().ppid(u32::from(i)))
            .await
            .unwrap();
    }
    let ppids = ppids_received(recvs, |m, ppid| assert_eq!(m, pattern(50, ppid as u8))).await;
    assert_eq!(ppids, vec![0, 1, 2]);
    within("shutdown", client.shutdown()).await.unwrap();
    let seen = within("events end", ev).await.unwrap();
    assert!(!seen.is_empty());
    let e = within("recv after end", server.recv()).await.unwrap_err();
    assert_ended(&e);
}

#[tokio::test]
async fn recv_into_draining_read_ahead_data_lets_the_event_stream_read_again() {
    const MSG: usize = 64 << 10;
    const COUNT: usize = 80; // 5 MiB: more than the event stream may read ahead
    let s = socket_for(v4());
    s.set_recv_buffer_size(8 << 20).unwrap();
    s.bind(v4()).unwrap();
    let l = s.listen(4).unwrap();
    let c = socket_for(v4());
    c.set_send_buffer_size(8 << 20).unwrap();
    let (client, server) = support::pair_with(l, c).await;
    let client = Arc::new(client);
    let ev = support::shutdown_seen(server.events());
    let sender = support::send_patterns(&client, COUNT, MSG);
    // Let the event stream read ahead until it stops (4 MiB queued for recv).
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let mut buf = vec![0u8; MSG];
    for i in 0..COUNT {
        // The kernel may hand a message over in pieces (partial delivery).
        let mut msg = Vec::new();
        loop {
            let piece = within("recv_into", server.recv_into(&mut buf))
                .await
                .unwrap();
            msg.extend_from_slice(&buf[..piece.len]);
            if piece.eor {
                break;
            }
        }
        assert_eq!(msg, pattern(MSG, i as u8), "message {i}");
    }
    within("sender", sender).await.unwrap();
    within("shutdown", client.shutdown()).await.unwrap();
    assert!(within("shutdown event", ev).await.unwrap().is_some());
}

// ---------------------------------------------------------------------------------------
// What a socket of this crate keeps on
// ---------------------------------------------------------------------------------------

/// Review finding 2: a notification subscribed through `options().set_event` on a socket of
/// this crate reaches its event stream. Before, the kernel delivered `SENDER_DRY` and the
/// engine dropped it (its own list of delivered types lacked it).
#[tokio::test]
async fn set_event_on_a_managed_socket_reaches_the_event_stream() {
    let (client, _server) = pair(v4()).await;
    let mut events = client.events();
    client
        .options()
        .set_event(EventType::SenderDry, true)
        .unwrap();
    client.send(b"x", &SendInfo::new()).await.unwrap();
    let found = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match events.next().await {
                Some(Ok(Notification::SenderDry(d))) => return d,
                Some(Ok(_)) => continue,
                other => panic!("{other:?}"),
            }
        }
    })
    .await;
    let dry = found.expect("SENDER_DRY subscribed through options() reaches the events");
    assert_eq!(dry.assoc_id, client.assoc_id());
}

/// Review finding 2: turning off the events the engine needs (association changes,
/// shutdown, partial delivery) through `options()` only stops their delivery; the kernel stays
/// subscribed, so a connect still learns `COMM_UP`. Before, the kernel was unsubscribed
/// (`event()` read false) and the connect waited forever.
#[tokio::test]
async fn the_engine_keeps_the_events_it_needs() {
    let ep = endpoint(v4());
    let o = ep.options(linux_sctp_sys::SCTP_FUTURE_ASSOC);
    for t in [
        EventType::AssocChange,
        EventType::Shutdown,
        EventType::PartialDelivery,
    ] {
        o.set_event(t, false).unwrap();
        assert!(o.event(t).unwrap(), "{t:?} stays on in the kernel");
    }
    let l = listener(v4());
    let r = tokio::time::timeout(Duration::from_secs(5), async {
        tokio::join!(ep.connect(l.local_addr().unwrap()), l.accept())
    })
    .await;
    let (id, acc) = r.expect("connect learns COMM_UP");
    let id = id.unwrap();
    let (server, _) = acc.unwrap();
    server.send(b"hi", &SendInfo::new().ppid(4)).await.unwrap();
    let (m, info) = within("recv", ep.recv()).await.unwrap();
    assert_eq!((&m[..], info.assoc_id), (&b"hi"[..], id));
    // Turned off for the user: the event stream does not deliver association changes.
    let mut events = ep.events();
    assert!(events.try_next().is_none(), "no COMM_UP delivered");
}

fn assert_refused(r: tokio_linux_sctp::error::Result<()>, name: &str) {
    let e = r.unwrap_err();
    assert_eq!(e.io_kind(), io::ErrorKind::InvalidInput, "{name}: {e}");
    assert!(e.to_string().contains(name), "{e}");
}

fn assert_receive_options_kept(o: SocketOptions<'_>) {
    assert_refused(o.set_recv_nxtinfo(false), "SCTP_RECVNXTINFO");
    assert_refused(o.set_recv_rcvinfo(false), "SCTP_RECVRCVINFO");
    assert!(o.recv_nxtinfo().unwrap());
    assert!(o.recv_rcvinfo().unwrap());
    // Turning them on is allowed (and changes nothing).
    o.set_recv_nxtinfo(true).unwrap();
    o.set_recv_rcvinfo(true).unwrap();
}

#[tokio::test]
async fn socket_types_refuse_to_turn_receive_info_off() {
    let socket = support::socket_for(v4());
    assert_receive_options_kept(socket.options());
    let listener = support::listener(v4());
    assert_receive_options_kept(listener.options());
    let (client, server) = pair(v4()).await;
    assert_receive_options_kept(client.options());
    assert_receive_options_kept(server.options().with_assoc_id(0));
    let ep = endpoint(v4());
    assert_receive_options_kept(ep.options(linux_sctp_sys::SCTP_FUTURE_ASSOC));

    // Messages still flow, with their metadata.
    within(
        "send",
        client.send(b"still", &SendInfo::new().stream(1).ppid(2)),
    )
    .await
    .unwrap();
    let (m, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.stream, info.ppid), (&b"still"[..], 1, 2));
}

#[test]
fn own_socket_may_turn_receive_info_off() {
    // SAFETY: socket(2) takes no pointers; the descriptor it returns is owned right below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, libc::IPPROTO_SCTP) };
    assert!(fd >= 0, "socket: {}", io::Error::last_os_error());
    // SAFETY: `fd` is a fresh descriptor nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let o = SocketOptions::new(fd.as_fd(), 0);
    o.set_recv_nxtinfo(true).unwrap();
    o.set_recv_rcvinfo(true).unwrap();
    o.set_recv_nxtinfo(false).unwrap();
    o.set_recv_rcvinfo(false).unwrap();
    assert!(!o.recv_nxtinfo().unwrap());
    assert!(!o.recv_rcvinfo().unwrap());
}
