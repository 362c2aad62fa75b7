//! Review tests: concurrency, readiness and end-of-association corner cases of the async
//! core (several tasks on one socket, a send waiting for room when the association ends).

mod support;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use support::{assert_ended, endpoint, listener, pair, pattern, socket_for, v4, within};
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpEndpoint, SctpStream};

/// Sends 1 KiB messages with `try_send` until the send buffer stays full.
async fn fill_with(
    mut try_send: impl FnMut(&[u8]) -> tokio_linux_sctp::error::Result<usize>,
) -> usize {
    let msg = pattern(1024, 7);
    let mut sent = 0;
    for _round in 0..50 {
        let before = sent;
        loop {
            match try_send(&msg) {
                Ok(n) => assert_eq!(n, 1024),
                Err(e) if e.io_kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("send {sent}: {e:?}"),
            }
            sent += 1;
            assert!(sent < 10_000, "the send buffer never filled");
        }
        if sent == before && sent > 0 {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    panic!("the send buffer never stayed full ({sent} sent)");
}

/// A one-to-one pair whose client has a small send buffer.
async fn small_buffer_pair() -> (SctpStream, SctpStream) {
    let l = listener(v4());
    let c = socket_for(v4());
    c.set_send_buffer_size(8192).unwrap();
    support::pair_with(l, c).await
}

#[tokio::test]
async fn pending_send_without_any_reader_ends_when_the_peer_aborts() {
    let (client, server) = small_buffer_pair().await;
    let client = Arc::new(client);
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let send = tokio::spawn({
        let c = Arc::clone(&client);
        async move { c.send(&pattern(1024, 8), &SendInfo::new()).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the send should wait for room");
    within("abort", server.abort()).await.unwrap();
    let err = within("pending send", send).await.unwrap().unwrap_err();
    assert_ended(&err);
}

#[tokio::test]
async fn endpoint_pending_send_without_any_reader_ends_when_the_peer_aborts() {
    let s = tokio_linux_sctp::SctpSocket::new_v4_one_to_many().unwrap();
    s.set_send_buffer_size(8192).unwrap();
    s.bind(v4()).unwrap();
    let ep: SctpEndpoint = s.into_endpoint().unwrap();
    let l = listener(v4());
    let addr = l.local_addr().unwrap();
    let (id, accepted) = within("connect/accept", async {
        tokio::join!(ep.connect(addr), l.accept())
    })
    .await;
    let id = id.unwrap();
    let (server, _) = accepted.unwrap();
    let ep = Arc::new(ep);
    fill_with(|m| ep.try_send(m, &SendInfo::new().assoc_id(id))).await;
    let send = tokio::spawn({
        let e = Arc::clone(&ep);
        async move {
            e.send(&pattern(1024, 8), &SendInfo::new().assoc_id(id))
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the send should wait for room");
    within("abort", server.abort()).await.unwrap();
    let r = within("pending send", send).await.unwrap();
    assert!(r.is_err(), "{r:?}");
}

#[tokio::test]
async fn several_tasks_receiving_on_one_stream_all_get_a_message() {
    let (client, server) = pair(v4()).await;
    let server = Arc::new(server);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let s = Arc::clone(&server);
            tokio::spawn(async move { s.recv().await })
        })
        .collect();
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
    let mut ppids = Vec::new();
    for t in tasks {
        let (m, info) = within("recv", t).await.unwrap().unwrap();
        assert_eq!(m.len(), 100 + info.ppid as usize);
        ppids.push(info.ppid);
    }
    ppids.sort();
    assert_eq!(ppids, vec![0, 1, 2, 3]);
}

#[tokio::test]
async fn several_endpoint_tasks_receiving_all_get_a_message() {
    let server = Arc::new(endpoint(v4()));
    let client = endpoint(v4());
    let saddr = server.local_addr().unwrap();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let s = Arc::clone(&server);
            tokio::spawn(async move { s.recv().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    for i in 0..4u8 {
        within(
            "send_to",
            client.send_to(&pattern(10, i), saddr, &SendInfo::new().ppid(u32::from(i))),
        )
        .await
        .unwrap();
    }
    let mut ppids = Vec::new();
    for t in tasks {
        let (_, info) = within("recv", t).await.unwrap().unwrap();
        ppids.push(info.ppid);
    }
    ppids.sort();
    assert_eq!(ppids, vec![0, 1, 2, 3]);
}

#[tokio::test]
async fn recv_tasks_and_the_event_stream_together_see_everything() {
    let (client, server) = pair(v4()).await;
    let server = Arc::new(server);
    let mut events = server.events();
    let recvs: Vec<_> = (0..3)
        .map(|_| {
            let s = Arc::clone(&server);
            tokio::spawn(async move { s.recv().await })
        })
        .collect();
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
    let mut ppids = Vec::new();
    for t in recvs {
        let (_, info) = within("recv", t).await.unwrap().unwrap();
        ppids.push(info.ppid);
    }
    ppids.sort();
    assert_eq!(ppids, vec![0, 1, 2]);
    within("shutdown", client.shutdown()).await.unwrap();
    let seen = within("events end", ev).await.unwrap();
    assert!(!seen.is_empty());
    let e = within("recv after end", server.recv()).await.unwrap_err();
    assert_ended(&e);
}

/// Runs `f` on a thread of its own and waits at most 5 s for it: a call that spins forever
/// (holding a lock, never yielding) shows as a failure instead of a hung test.
fn on_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the call did not return within 5 s")
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

#[tokio::test]
async fn local_abort_ends_a_send_pending_in_a_stream_sender() {
    let (client, server) = small_buffer_pair().await;
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let sender = client.sender(0, 0);
    let send = tokio::spawn(async move { sender.send(&pattern(1024, 8)).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the send should wait for room");
    // The ABORT leaves when the last handle goes: the pending send must give its handle up.
    within("abort", client.abort()).await.unwrap();
    let err = within("pending send", send).await.unwrap().unwrap_err();
    assert_ended(&err);
    let e = within("peer recv", async {
        loop {
            match server.recv().await {
                Ok(_) => continue,
                Err(e) => return e,
            }
        }
    })
    .await;
    assert_ended(&e);
}

#[tokio::test]
async fn local_shutdown_ends_a_pending_send() {
    let (client, _server) = small_buffer_pair().await;
    let client = Arc::new(client);
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let send = tokio::spawn({
        let c = Arc::clone(&client);
        async move { c.send(&pattern(1024, 8), &SendInfo::new()).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the send should wait for room");
    within("shutdown", client.shutdown()).await.unwrap();
    let err = within("pending send", send).await.unwrap().unwrap_err();
    assert_ended(&err);
    assert_eq!(err.raw_os_error(), Some(libc::ESHUTDOWN), "{err:?}");
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
    let mut events = server.events();
    let ev = tokio::spawn(async move {
        loop {
            match events.next().await {
                Some(Ok(tokio_linux_sctp::notification::Notification::Shutdown(_))) => return true,
                Some(_) => continue,
                None => return false,
            }
        }
    });
    let sender = tokio::spawn({
        let c = Arc::clone(&client);
        async move {
            for i in 0..COUNT {
                c.send(&pattern(MSG, i as u8), &SendInfo::new())
                    .await
                    .unwrap();
            }
        }
    });
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
    assert!(within("shutdown event", ev).await.unwrap());
}

#[tokio::test]
async fn peeloff_of_read_ahead_data_lets_the_event_stream_read_again() {
    const MSG: usize = 64 << 10;
    const COUNT: usize = 80; // 5 MiB: more than the event stream may read ahead
    let s = tokio_linux_sctp::SctpSocket::new_v4_one_to_many().unwrap();
    s.set_recv_buffer_size(8 << 20).unwrap();
    s.bind(v4()).unwrap();
    let ep = s.into_endpoint().unwrap();
    ep.listen(4).unwrap();
    let ep_addr = ep.local_addr().unwrap();
    let ls = socket_for(v4());
    ls.set_send_buffer_size(8 << 20).unwrap();
    ls.bind(v4()).unwrap();
    let l = ls.listen(4).unwrap();
    let (id, accepted) = within("connect/accept", async {
        tokio::join!(ep.connect(l.local_addr().unwrap()), l.accept())
    })
    .await;
    let id = id.unwrap();
    let (a, _) = accepted.unwrap();
    let a = Arc::new(a);
    let mut events = ep.events();
    let ev = tokio::spawn(async move {
        loop {
            match events.next().await {
                Some(Ok(tokio_linux_sctp::notification::Notification::Shutdown(s))) => {
                    return Some(s.assoc_id)
                }
                Some(_) => continue,
                None => return None,
            }
        }
    });
    let sender = tokio::spawn({
        let a = Arc::clone(&a);
        async move {
            for i in 0..COUNT {
                a.send(&pattern(MSG, i as u8), &SendInfo::new())
                    .await
                    .unwrap();
            }
        }
    });
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

#[tokio::test]
async fn local_shutdown_ends_a_pending_poll_send() {
    let (client, _server) = small_buffer_pair().await;
    let client = Arc::new(client);
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let send = tokio::spawn({
        let c = Arc::clone(&client);
        async move {
            let (msg, info) = (pattern(1024, 8), SendInfo::new());
            std::future::poll_fn(|cx| c.poll_send(cx, &msg, &info)).await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the poll_send should wait for room");
    within("shutdown", client.shutdown()).await.unwrap();
    let err = within("pending poll_send", send)
        .await
        .unwrap()
        .unwrap_err();
    assert_ended(&err);
    assert_eq!(err.raw_os_error(), Some(libc::ESHUTDOWN), "{err:?}");
}

#[tokio::test]
async fn local_shutdown_ends_a_pending_poll_send_batch() {
    let (client, _server) = small_buffer_pair().await;
    let client = Arc::new(client);
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let send = tokio::spawn({
        let c = Arc::clone(&client);
        async move {
            let msg = pattern(1024, 8);
            let msgs = [(&msg[..], SendInfo::new()), (&msg[..], SendInfo::new())];
            std::future::poll_fn(|cx| c.poll_send_batch(cx, &msgs)).await
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !send.is_finished(),
        "the poll_send_batch should wait for room"
    );
    within("shutdown", client.shutdown()).await.unwrap();
    let err = within("pending poll_send_batch", send)
        .await
        .unwrap()
        .unwrap_err();
    assert_ended(&err);
    assert_eq!(err.raw_os_error(), Some(libc::ESHUTDOWN), "{err:?}");
}

#[tokio::test]
async fn local_abort_ends_a_poll_send_pending_in_a_stream_sender() {
    let (client, server) = small_buffer_pair().await;
    fill_with(|m| client.try_send(m, &SendInfo::new())).await;
    let sender = client.sender(0, 0);
    let send = tokio::spawn(async move {
        let msg = pattern(1024, 8);
        std::future::poll_fn(|cx| sender.poll_send(cx, &msg)).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the poll_send should wait for room");
    // The ABORT leaves when the last handle goes: the pending poll_send must give it up.
    within("abort", client.abort()).await.unwrap();
    let err = within("pending poll_send", send)
        .await
        .unwrap()
        .unwrap_err();
    assert_ended(&err);
    let e = within("peer recv", async {
        loop {
            match server.recv().await {
                Ok(_) => continue,
                Err(e) => return e,
            }
        }
    })
    .await;
    assert_ended(&e);
}

/// `shutdown(fd, SHUT_RD)` on `fd`, through the raw descriptor as a user would.
fn shut_read(fd: std::os::fd::RawFd) -> io::Result<()> {
    // SAFETY: shutdown(2) takes a descriptor and a flag; `fd` is an open socket of the
    // caller's, and no memory is passed.
    let rc = unsafe { libc::shutdown(fd, libc::SHUT_RD) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[tokio::test]
async fn peeled_off_recv_after_a_read_shutdown_reports_the_end() {
    use std::os::fd::AsRawFd;
    let ep = endpoint(v4());
    let l = listener(v4());
    let (id, accepted) = within("connect/accept", async {
        tokio::join!(ep.connect(l.local_addr().unwrap()), l.accept())
    })
    .await;
    let id = id.unwrap();
    let (server, _) = accepted.unwrap();
    let peeled = Arc::new(ep.peeloff(id).unwrap());
    shut_read(peeled.as_raw_fd()).unwrap();
    // The kernel now answers every read with 0 bytes and no flags.
    let p = Arc::clone(&peeled);
    let e = on_thread(move || p.try_recv()).unwrap_err();
    assert_ended(&e);
    let e = within("recv", peeled.recv()).await.unwrap_err();
    assert_ended(&e);
    let mut buf = [0u8; 64];
    let e = within("recv_into", peeled.recv_into(&mut buf))
        .await
        .unwrap_err();
    assert_ended(&e);
    // Only the read side is shut: the association still carries sends.
    peeled
        .send(&pattern(10, 3), &SendInfo::new().ppid(9))
        .await
        .unwrap();
    let (m, info) = within("server recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.ppid), (&pattern(10, 3)[..], 9));
}

#[tokio::test]
async fn endpoint_recv_after_a_read_shutdown_reports_the_end() {
    use std::os::fd::AsRawFd;
    let s = tokio_linux_sctp::SctpSocket::new_v4_one_to_many().unwrap();
    s.bind(v4()).unwrap();
    let ep = Arc::new(s.into_endpoint().unwrap());
    // A one-to-many socket that is not listening is in the CLOSED state: the kernel shuts
    // the read side and still answers ENOTCONN.
    match shut_read(ep.as_raw_fd()) {
        Ok(()) => {}
        Err(e) => assert_eq!(e.raw_os_error(), Some(libc::ENOTCONN), "{e:?}"),
    }
    let e2 = Arc::clone(&ep);
    let e = on_thread(move || e2.try_recv()).unwrap_err();
    assert_ended(&e);
    let e = within("recv", ep.recv()).await.unwrap_err();
    assert_ended(&e);
}
