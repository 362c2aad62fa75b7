//! The event stream against the real kernel SCTP stack (run through the lab runner):
//! `COMM_UP` and shutdown notifications with their states and association ids, data and
//! notifications read ahead by one reader kept for the other, subscriptions, and a full
//! event queue reported as `EventsLagged`.
//!
//! The 6.1 lab kernel runs all of it. Events that need a feature its default sysctls turn off
//! (`AUTHENTICATION_EVENT`, `STREAM_RESET_EVENT`, `ASSOC_RESET_EVENT`, `STREAM_CHANGE_EVENT`)
//! are not raised here; the lksctp ports (`tests/tests/lksctp_*.rs`) cover them with the
//! sysctls on.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use support::{listener, pair, pair_with, socket_for, v4, within};
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChangeState, EventType, Notification, Subscriptions};
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
