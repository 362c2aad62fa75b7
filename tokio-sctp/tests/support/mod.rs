//! Helpers shared by the kernel tests (each test binary boots the lab kernel once): time
//! limits, sockets, listeners, endpoints and connected pairs on loopback, message patterns
//! and the common assertions. Nothing here needs more than the 6.1 lab kernel.
#![allow(dead_code)]

pub mod netns;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio_linux_sctp::error::{Error, ErrorKind};
use tokio_linux_sctp::{InitParams, SctpEndpoint, SctpListener, SctpSocket, SctpStream};

/// Every test step runs under this limit, so that a bug shows as a failure, not a hang.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Awaits `fut`, failing the test if it takes longer than [`LIMIT`].
pub async fn within<F: Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(LIMIT, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no result within {LIMIT:?}"),
    }
}

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

/// Asserts that `err` is [`ErrorKind::AssociationEnded`], whatever ended the association.
#[track_caller]
pub fn assert_ended(err: &Error) {
    assert!(
        matches!(err.kind(), ErrorKind::AssociationEnded { .. }),
        "{err:?}"
    );
}

/// Same IP address and port, comparing v4-mapped IPv6 and IPv4 as equal.
pub fn same_addr(a: SocketAddr, b: SocketAddr) -> bool {
    let canon = |s: SocketAddr| (s.ip().to_canonical(), s.port());
    canon(a) == canon(b)
}
