//! Helpers of tokio-linux-sctp's kernel tests (each test binary boots the lab kernel once):
//! sockets, listeners, endpoints and connected pairs on loopback and message patterns; the
//! time limit, the common assertions and private network namespaces come from `common.rs`,
//! shared with the `tests` crate's lksctp ports. Nothing here needs more than the 6.1 lab
//! kernel.
#![allow(dead_code)]

mod common;
pub mod netns;

pub use common::*;

use std::net::SocketAddr;
use std::time::Duration;

use tokio_linux_sctp::{InitParams, SctpEndpoint, SctpListener, SctpSocket, SctpStream};

/// Loopback addresses for the two families.
pub fn v4() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// IPv6 loopback.
pub fn v6() -> SocketAddr {
    "[::1]:0".parse().unwrap()
}

/// A one-to-one socket of the family of `addr`, with 16 streams each way and nodelay.
pub fn socket_for(addr: SocketAddr) -> SctpSocket {
    let s = match addr {
        SocketAddr::V4(_) => SctpSocket::new_v4(),
        SocketAddr::V6(_) => SctpSocket::new_v6(),
    }
    .expect("socket");
    s.set_init(InitParams::new().streams(16, 16))
        .expect("INITMSG");
    s.set_nodelay(true).expect("nodelay");
    s
}

/// A listener on `addr` (ephemeral port), 16 streams each way, nodelay.
pub fn listener(addr: SocketAddr) -> SctpListener {
    let s = socket_for(addr);
    s.bind(addr).expect("bind");
    s.listen(16).expect("listen")
}

/// A one-to-many endpoint bound to `addr` (ephemeral port), listening, 8 streams each way,
/// nodelay.
pub fn endpoint(addr: SocketAddr) -> SctpEndpoint {
    let s = match addr {
        SocketAddr::V4(_) => SctpSocket::new_v4_one_to_many(),
        SocketAddr::V6(_) => SctpSocket::new_v6_one_to_many(),
    }
    .expect("socket");
    s.set_init(InitParams::new().streams(8, 8))
        .expect("INITMSG");
    s.set_nodelay(true).expect("nodelay");
    s.bind(addr).expect("bind");
    let e = s.into_endpoint().expect("into_endpoint");
    e.listen(16).expect("listen");
    e
}

/// A connected pair (client, server) over `addr`'s loopback.
pub async fn pair(addr: SocketAddr) -> (SctpStream, SctpStream) {
    pair_with(listener(addr), socket_for(addr)).await
}

/// Connects `client` to `listener` and accepts the association.
pub async fn pair_with(listener: SctpListener, client: SctpSocket) -> (SctpStream, SctpStream) {
    let addr = listener.local_addr().expect("local_addr");
    let (c, s) = within("connect/accept", async {
        tokio::join!(client.connect(addr), listener.accept())
    })
    .await;
    let client = c.expect("connect");
    let (server, peers) = s.expect("accept");
    assert!(!peers.is_empty(), "accept reports the peer's addresses");
    (client, server)
}

/// `len` bytes of a pattern that depends on `seed`, so that misplaced bytes show.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(31).wrapping_add(u32::from(seed)) as u8)
        .collect()
}

/// Runs `f` on a thread of its own and waits at most 5 s for it: a call that spins forever
/// (holding a lock, never yielding) shows as a failure instead of a hung test.
pub fn on_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("the call did not return within 5 s")
}

/// Sends 1 KiB messages with `try_send` until the send buffer stays full (the peer not
/// reading); returns how many went.
pub async fn fill_with(
    mut try_send: impl FnMut(&[u8]) -> tokio_linux_sctp::error::Result<usize>,
) -> usize {
    let msg = pattern(1024, 7);
    let mut sent = 0;
    for _round in 0..50 {
        let before = sent;
        loop {
            match try_send(&msg) {
                Ok(n) => assert_eq!(n, 1024),
                Err(e) if e.io_kind() == std::io::ErrorKind::WouldBlock => break,
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

/// What one receiving task got.
pub type Received =
    tokio_linux_sctp::error::Result<(bytes::Bytes, tokio_linux_sctp::message::RecvInfo)>;

/// Starts `n` tasks that each receive one message through `recv` on a shared socket.
pub fn receivers<S, F, Fut>(
    n: usize,
    socket: &std::sync::Arc<S>,
    recv: F,
) -> Vec<tokio::task::JoinHandle<Received>>
where
    S: Send + Sync + 'static,
    F: Fn(std::sync::Arc<S>) -> Fut,
    Fut: std::future::Future<Output = Received> + Send + 'static,
{
    (0..n)
        .map(|_| tokio::spawn(recv(std::sync::Arc::clone(socket))))
        .collect()
}

/// Waits for every receiver, checking each message with `check`; returns the PPIDs, sorted.
pub async fn ppids_received(
    tasks: Vec<tokio::task::JoinHandle<Received>>,
    check: impl Fn(&[u8], u32),
) -> Vec<u32> {
    let mut ppids = Vec::new();
    for t in tasks {
        let (m, info) = within("recv", t).await.unwrap().unwrap();
        check(&m, info.ppid);
        ppids.push(info.ppid);
    }
    ppids.sort();
    ppids
}

/// Sends `count` messages of `size` bytes (`pattern(size, i)` for message `i`) on a task.
pub fn send_patterns(
    stream: &std::sync::Arc<SctpStream>,
    count: usize,
    size: usize,
) -> tokio::task::JoinHandle<()> {
    let s = std::sync::Arc::clone(stream);
    tokio::spawn(async move {
        for i in 0..count {
            s.send(
                &pattern(size, i as u8),
                &tokio_linux_sctp::message::SendInfo::new(),
            )
            .await
            .unwrap();
        }
    })
}

/// Reads `events` on a task until a SHUTDOWN event: its association id, or `None` if the
/// stream ended first.
pub fn shutdown_seen(
    mut events: tokio_linux_sctp::SctpEvents,
) -> tokio::task::JoinHandle<Option<tokio_linux_sctp::AssocId>> {
    use tokio_linux_sctp::notification::Notification;
    tokio::spawn(async move {
        loop {
            match events.next().await {
                Some(Ok(Notification::Shutdown(s))) => return Some(s.assoc_id),
                Some(_) => continue,
                None => return None,
            }
        }
    })
}
