//! Kernel tests of the batch calls: `send_batch` (one `sendmmsg`) and `recv_batch` (one
//! `recvmmsg`) on `SctpStream` and `SctpEndpoint`. They run in the 6.1 lab kernel (or
//! natively with SCTP); everything here works there.
//!
//! Covered: 1000 messages of 1 B to 70 KiB on 16 streams with PPIDs, checked per stream;
//! notifications interleaved with the data (SENDER_DRY) reaching the event stream and never
//! `recv_batch`; messages larger than a read window and than a buffer block reassembled; the
//! size cap inside a batch; cancel safety; a bad stream in the middle of a batch refused
//! before any syscall; a partial send reported as such; the one-to-many forms.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::{RecvInfo, SendInfo};
use tokio_linux_sctp::notification::{EventType, Notification, Subscriptions};
use tokio_linux_sctp::{SctpStream, StreamSender};

use support::*;

/// Sends all of `msgs` with `send_batch`, `chunk` at a time, resending what a call left.
async fn send_all(s: &SctpStream, msgs: &[(&[u8], SendInfo)], chunk: usize) -> usize {
    let mut sent = 0;
    let mut calls = 0;
    while sent < msgs.len() {
        let end = (sent + chunk).min(msgs.len());
        let n = s.send_batch(&msgs[sent..end]).await.expect("send_batch");
        assert!(n >= 1 && n <= end - sent, "{n} of {}", end - sent);
        sent += n;
        calls += 1;
    }
    calls
}

/// Receives with `recv_batch(max)` until `n` messages arrived; returns them and the calls.
async fn recv_n(s: &SctpStream, n: usize, max: usize) -> (Vec<(Bytes, RecvInfo)>, usize) {
    let mut out = Vec::new();
    let mut calls = 0;
    while out.len() < n {
        let before = out.len();
        let got = within("recv_batch", s.recv_batch(&mut out, max))
            .await
            .expect("recv_batch");
        assert_eq!(got, out.len() - before, "the count is what was appended");
        assert!(got >= 1 && got <= max, "{got} (max {max})");
        calls += 1;
    }
    assert_eq!(out.len(), n, "more messages than were sent");
    (out, calls)
}

/// Size of message `i`: mostly small, every seventh over 64 KiB (a read window, and the
/// fragmentation point of loopback), up to 70 KiB.
fn size_of(i: usize) -> usize {
    let r = (i.wrapping_mul(2_654_435_761) >> 7) % 2048 + 1;
    if i % 7 == 3 {
        (64 << 10) + r * 3 // 64 KiB + 3 .. 70 KiB
    } else {
        r
    }
}

#[tokio::test]
async fn thousand_mixed_messages_on_16_streams_with_interleaved_notifications() {
    let addr = v4();
    let l = socket_for(addr);
    l.set_recv_buffer_size(4 << 20).unwrap();
    let mut l = l;
    // The receiver subscribes to SENDER_DRY: one at once (nothing outstanding) and one
    // after each of its replies below is acknowledged, queued among the data it receives.
    l.subscribe(Subscriptions::default().with(EventType::SenderDry))
        .unwrap();
    l.bind(addr).unwrap();
    let (client, server) = pair_with(l.listen(16).unwrap(), socket_for(addr)).await;
    let mut events = server.events();

    const N: usize = 1000;
    let datas: Vec<Vec<u8>> = (0..N).map(|i| pattern(size_of(i), i as u8)).collect();
    let client = std::sync::Arc::new(client);
    let sender = {
        let client = client.clone();
        let datas = datas.clone();
        tokio::spawn(async move {
            let msgs: Vec<(&[u8], SendInfo)> = datas
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    (
                        &d[..],
                        SendInfo::new().stream((i % 16) as u16).ppid(i as u32),
                    )
                })
                .collect();
            send_all(&client, &msgs, 32).await
        })
    };

    let mut out: Vec<(Bytes, RecvInfo)> = Vec::new();
    let mut calls = 0;
    let reply = SendInfo::new().stream(0).ppid(7);
    while out.len() < N {
        let before = out.len();
        let got = within("recv_batch", server.recv_batch(&mut out, 64))
            .await
            .expect("recv_batch");
        assert_eq!(got, out.len() - before);
        calls += 1;
        if calls % 10 == 0 {
            // A reply: its acknowledgement makes another SENDER_DRY on the server.
            server.send(b"r", &reply).await.unwrap();
        }
    }
    let send_calls = within("sender", sender).await.unwrap();
    assert_eq!(out.len(), N);
    assert!(
        calls < N,
        "recv_batch returned more than one message per call at least once ({calls} calls)"
    );
    assert!(send_calls < N, "{send_calls} send_batch calls");

    // Per stream: the messages of that stream in send order, whole, with their PPIDs.
    let mut next: HashMap<u16, usize> = HashMap::new();
    for (b, info) in &out {
        let i = info.ppid as usize;
        assert!(i < N, "PPID {i}: not one of ours (a notification as data?)");
        assert_eq!(info.stream as usize, i % 16);
        let want = next.entry(info.stream).or_insert(info.stream as usize);
        assert_eq!(i, *want, "stream {} out of order", info.stream);
        *want += 16;
        assert_eq!(b.len(), datas[i].len(), "message {i}");
        assert_eq!(&b[..], &datas[i][..], "message {i}");
        assert_eq!(info.assoc_id, server.assoc_id());
    }
    // The notifications went to the event stream: the SENDER_DRY of the subscription plus
    // at least one more (after a reply was acknowledged).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut out2 = Vec::new();
    let e = server.try_recv_batch(&mut out2, 8).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::WouldBlock);
    let mut dry = 0;
    while let Some(ev) = events.try_next() {
        match ev.unwrap() {
            Notification::SenderDry(d) => {
                assert_eq!(d.assoc_id, server.assoc_id());
                dry += 1;
            }
            Notification::AssocChange(c) => assert_eq!(c.assoc_id, server.assoc_id()),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(
        dry >= 2,
        "{dry} SENDER_DRY notifications reached the event stream"
    );
    // The replies all arrived, in order, on the other side.
    let (replies, _) = recv_n(&client, calls / 10, 64).await;
    assert!(replies.iter().all(|(b, i)| &b[..] == b"r" && i.ppid == 7));
}

#[tokio::test]
async fn messages_larger_than_a_window_and_a_block_inside_one_batch() {
    let addr = v4();
    let l = socket_for(addr);
    l.set_recv_buffer_size(4 << 20).unwrap();
    l.bind(addr).unwrap();
    let c = socket_for(addr);
    c.set_send_buffer_size(1 << 20).unwrap();
    let (client, server) = pair_with(l.listen(16).unwrap(), c).await;
    // 100 KiB (over the 64 KiB read window) and 300 KiB (over the 256 KiB buffer block),
    // between small ones.
    let sizes = [5usize, 100 << 10, 17, 300 << 10, 1, 64];
    let datas: Vec<Vec<u8>> = sizes
        .iter()
        .enumerate()
        .map(|(i, n)| pattern(*n, 40 + i as u8))
        .collect();
    let msgs: Vec<(&[u8], SendInfo)> = datas
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                &d[..],
                SendInfo::new().stream(i as u16 + 1).ppid(100 + i as u32),
            )
        })
        .collect();
    // Receive while sending: the receiver's buffer (capped by net.core.rmem_max) need not
    // hold everything at once.
    let (_, (out, calls)) = within(
        "send and receive",
        futures_util::future::join(send_all(&client, &msgs, 64), async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            recv_n(&server, datas.len(), 64).await
        }),
    )
    .await;
    for (i, (b, info)) in out.iter().enumerate() {
        assert_eq!((info.stream, info.ppid), (i as u16 + 1, 100 + i as u32));
        assert_eq!(b.len(), sizes[i], "message {i}");
        assert_eq!(&b[..], &datas[i][..], "message {i}");
    }
    assert!(
        calls < datas.len(),
        "{calls} calls for {} messages",
        datas.len()
    );
    let mut more = Vec::new();
    let e = server.try_recv_batch(&mut more, 64).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::WouldBlock);
    assert!(more.is_empty());
}

#[tokio::test]
async fn the_size_cap_inside_a_batch_fails_once_in_order() {
    let (client, server) = pair(v4()).await;
    server.set_max_message_size(1000);
    let big = pattern(5000, 1);
    let msgs: [(&[u8], SendInfo); 4] = [
        (b"first", SendInfo::new().ppid(1)),
        (&big, SendInfo::new().ppid(2)),
        (b"third", SendInfo::new().ppid(3)),
        (b"fourth", SendInfo::new().stream(3).ppid(4)),
    ];
    assert_eq!(client.send_batch(&msgs).await.unwrap(), 4);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    while out.len() < 3 {
        match within("recv_batch", server.recv_batch(&mut out, 16)).await {
            Ok(n) => assert!(n >= 1),
            Err(e) => {
                // Nothing after the too-large message was delivered before its error.
                assert_eq!(out.len(), 1, "the error comes right after message 1");
                errors.push(e);
            }
        }
    }
    assert_eq!(errors.len(), 1, "{errors:?}");
    match errors[0].kind() {
        ErrorKind::MessageTooLarge { limit } => assert_eq!(*limit, 1000),
        other => panic!("{other:?}"),
    }
    let got: Vec<(&[u8], u32)> = out.iter().map(|(b, i)| (&b[..], i.ppid)).collect();
    assert_eq!(
        got,
        [(&b"first"[..], 1), (&b"third"[..], 3), (&b"fourth"[..], 4)]
    );
}

#[tokio::test]
async fn recv_batch_is_cancel_safe() {
    let addr = v4();
    let l = socket_for(addr);
    l.set_recv_buffer_size(4 << 20).unwrap();
    l.bind(addr).unwrap();
    let (client, server) = pair_with(l.listen(16).unwrap(), socket_for(addr)).await;
    // A future dropped before anything arrived takes nothing with it.
    let mut out = Vec::new();
    assert!(tokio_sctp_now(server.recv_batch(&mut out, 8)).is_none());
    assert!(out.is_empty());

    const N: usize = 300;
    let datas: Vec<Vec<u8>> = (0..N)
        .map(|i| pattern(if i % 25 == 0 { 90 << 10 } else { i + 1 }, i as u8))
        .collect();
    let sender = {
        let datas = datas.clone();
        let tx: StreamSender = client.sender(2, 0);
        tokio::spawn(async move {
            for (i, d) in datas.iter().enumerate() {
                tx.send(d).await.unwrap();
                if i % 10 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    // Race every recv_batch against a future that is ready on its second poll: many are
    // dropped while they wait, some in the middle of a message read in pieces.
    let mut dropped = 0;
    while out.len() < N {
        tokio::select! {
            r = server.recv_batch(&mut out, 7) => { r.unwrap(); }
            _ = tokio::task::yield_now() => dropped += 1,
        }
    }
    within("sender", sender).await.unwrap();
    assert!(dropped > 0, "no recv_batch was cancelled");
    assert_eq!(out.len(), N);
    for (i, (b, info)) in out.iter().enumerate() {
        assert_eq!(info.stream, 2);
        assert_eq!(&b[..], &datas[i][..], "message {i}");
    }
}

/// Polls `fut` once.
fn tokio_sctp_now<F: std::future::Future>(fut: F) -> Option<F::Output> {
    let waker = futures_util::task::noop_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => Some(v),
        std::task::Poll::Pending => None,
    }
}

#[tokio::test]
async fn a_bad_stream_in_the_middle_fails_before_any_syscall() {
    let (client, server) = pair(v4()).await;
    assert_eq!(client.outbound_streams(), 16);
    let msgs: [(&[u8], SendInfo); 4] = [
        (b"a", SendInfo::new().stream(0)),
        (b"b", SendInfo::new().stream(15)),
        (b"c", SendInfo::new().stream(16)),
        (b"d", SendInfo::new().stream(1)),
    ];
    let e = client.send_batch(&msgs).await.unwrap_err();
    match e.kind() {
        ErrorKind::StreamOutOfRange {
            stream,
            outbound_streams,
        } => assert_eq!((*stream, *outbound_streams), (16, 16)),
        other => panic!("{other:?}"),
    }
    let e = client.try_send_batch(&msgs).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::StreamOutOfRange { .. }));
    // Nothing of the batch went: the next message is the first the server sees.
    client.send(b"marker", &SendInfo::new()).await.unwrap();
    let (out, _) = recv_n(&server, 1, 8).await;
    assert_eq!(&out[0].0[..], b"marker");
    assert_eq!(client.send_batch(&[]).await.unwrap(), 0);
}

#[tokio::test]
async fn a_full_send_buffer_sends_part_of_a_batch_and_says_so() {
    let addr = v4();
    let c = socket_for(addr);
    c.set_send_buffer_size(16 << 10).unwrap();
    let (client, server) = pair_with(listener(addr), c).await;
    let data = pattern(4096, 9);
    let msgs: Vec<(&[u8], SendInfo)> = (0..64)
        .map(|i| (&data[..], SendInfo::new().stream(3).ppid(i)))
        .collect();
    let n = client.try_send_batch(&msgs).unwrap();
    assert!((1..64).contains(&n), "{n} of 64 fit a 16 KiB send buffer");
    // Exactly those arrive, in order; the rest goes out with the next calls.
    let (calls, (out, _)) =
        tokio::join!(send_all(&client, &msgs[n..], 64), recv_n(&server, 64, 64));
    assert!(calls >= 1);
    for (i, (b, info)) in out.iter().enumerate() {
        assert_eq!((info.stream, info.ppid), (3, i as u32));
        assert_eq!(&b[..], &data[..]);
    }
}

#[tokio::test]
async fn one_to_many_send_batch_and_recv_batch() {
    let addr = v4();
    let server = endpoint(addr);
    let saddr = server.local_addr().unwrap();
    let client = endpoint(addr);
    let id = within("connect", client.connect(saddr)).await.unwrap();
    let datas: Vec<Vec<u8>> = (0..40).map(|i| pattern(i * 37 + 1, i as u8)).collect();
    let msgs: Vec<(&[u8], SendInfo)> = datas
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let info = SendInfo::new()
                .assoc_id(id)
                .stream((i % 8) as u16)
                .ppid(i as u32);
            (&d[..], info)
        })
        .collect();
    // The endpoint checks each message against its association's stream count (8).
    let mut bad = msgs.clone();
    bad[20].1 = bad[20].1.stream(8);
    let e = client.send_batch(&bad).await.unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::StreamOutOfRange { stream: 8, .. }),
        "{e:?}"
    );
    let mut sent = 0;
    while sent < msgs.len() {
        sent += client.send_batch(&msgs[sent..]).await.unwrap();
    }
    let mut out = Vec::new();
    let mut server_assoc = None;
    while out.len() < msgs.len() {
        within("recv_batch", server.recv_batch(&mut out, 16))
            .await
            .unwrap();
    }
    for (i, (b, info)) in out.iter().enumerate() {
        assert_eq!(*server_assoc.get_or_insert(info.assoc_id), info.assoc_id);
        assert_eq!((info.stream, info.ppid), ((i % 8) as u16, i as u32));
        assert_eq!(&b[..], &datas[i][..]);
    }
    let mut none = Vec::new();
    let e = server.try_recv_batch(&mut none, 4).unwrap_err();
    assert_eq!(e.io_kind(), std::io::ErrorKind::WouldBlock);
    assert_eq!(server.try_recv_batch(&mut none, 0).unwrap(), 0);
}
