//! Helpers shared by the ports of the lksctp-tools functional suite (`lksctp_one_to_one.rs`,
//! `lksctp_one_to_many.rs`, `lksctp_raw.rs`). Each of those test binaries boots the lab kernel
//! once; this module is compiled into each of them. The time limit, the common assertions and
//! private network namespaces come from tokio-linux-sctp's `tests/support/common.rs` and
//! `netns.rs`, shared with tokio-linux-sctp's own tests.
#![allow(dead_code)]

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio_linux_sctp::error::Error;
use tokio_linux_sctp::notification::{AssocChange, AssocChangeState, Notification};
use tokio_linux_sctp::opts::SocketOptions;
use tokio_linux_sctp::{
    InitParams, SctpEndpoint, SctpEvents, SctpListener, SctpSocket, SctpStream,
};

/// Private network namespaces, shared with tokio-linux-sctp's own kernel tests.
#[path = "../../../tokio-sctp/tests/support/netns.rs"]
pub mod netns;

/// Limits, assertions, shell commands and namespaces, shared with tokio-linux-sctp's tests.
#[path = "../../../tokio-sctp/tests/support/common.rs"]
mod common;

pub use common::*;

/// The two address families every scenario with an lksctp `_v6` variant runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// IPv4, `127.0.0.1`.
    V4,
    /// IPv6, `::1`.
    V6,
}

/// Both families, for `for fam in FAMILIES`.
pub const FAMILIES: [Family; 2] = [Family::V4, Family::V6];

impl Family {
    /// The loopback address with port 0 (ephemeral).
    pub fn loopback(self) -> SocketAddr {
        match self {
            Family::V4 => "127.0.0.1:0".parse().unwrap(),
            Family::V6 => "[::1]:0".parse().unwrap(),
        }
    }

    /// The wildcard address with port 0.
    pub fn any(self) -> SocketAddr {
        match self {
            Family::V4 => "0.0.0.0:0".parse().unwrap(),
            Family::V6 => "[::]:0".parse().unwrap(),
        }
    }

    /// The `AF_*` constant.
    pub fn domain(self) -> libc::c_int {
        match self {
            Family::V4 => libc::AF_INET,
            Family::V6 => libc::AF_INET6,
        }
    }

    /// A new one-to-one socket of this family.
    pub fn socket(self) -> SctpSocket {
        match self {
            Family::V4 => SctpSocket::new_v4(),
            Family::V6 => SctpSocket::new_v6(),
        }
        .expect("socket(IPPROTO_SCTP): this test needs a kernel with SCTP (the lab runner)")
    }

    /// A new one-to-many socket of this family.
    pub fn socket_one_to_many(self) -> SctpSocket {
        match self {
            Family::V4 => SctpSocket::new_v4_one_to_many(),
            Family::V6 => SctpSocket::new_v6_one_to_many(),
        }
        .expect("socket(IPPROTO_SCTP): this test needs a kernel with SCTP (the lab runner)")
    }
}

/// The family of `addr`.
pub fn family_of(addr: &SocketAddr) -> Family {
    match addr {
        SocketAddr::V4(_) => Family::V4,
        SocketAddr::V6(_) => Family::V6,
    }
}

/// Parses an address literal.
pub fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// `addr` with port `port`.
pub fn with_port(mut addr: SocketAddr, port: u16) -> SocketAddr {
    addr.set_port(port);
    addr
}

/// A one-to-one socket with nodelay on (the lksctp tests send small messages and wait).
pub fn socket(fam: Family) -> SctpSocket {
    let s = fam.socket();
    s.set_nodelay(true).expect("SCTP_NODELAY");
    s
}

/// A listener on the loopback of `fam` (ephemeral port) with `backlog`.
pub fn listener(fam: Family, backlog: u32) -> SctpListener {
    let s = socket(fam);
    s.bind(fam.loopback()).expect("bind");
    s.listen(backlog).expect("listen")
}

/// Connects a fresh socket of `listener`'s family and accepts: `(client, accepted)`.
pub async fn pair(listener: &SctpListener) -> (SctpStream, SctpStream) {
    let to = listener.local_addr().expect("getsockname");
    let client = socket(family_of(&to));
    let (c, a) = within("connect + accept", async {
        tokio::join!(client.connect(to), listener.accept())
    })
    .await;
    (c.expect("connect"), a.expect("accept").0)
}

/// A one-to-many endpoint bound to `local`, listening, with nodelay.
pub fn endpoint_on(local: SocketAddr) -> SctpEndpoint {
    let s = family_of(&local).socket_one_to_many();
    s.set_nodelay(true).expect("SCTP_NODELAY");
    s.bind(local).expect("bind");
    let e = s.into_endpoint().expect("into_endpoint");
    e.listen(16).expect("listen");
    e
}

/// A one-to-many endpoint on the loopback of `fam`, listening.
pub fn endpoint(fam: Family) -> SctpEndpoint {
    endpoint_on(fam.loopback())
}

/// A one-to-many endpoint with INIT parameters.
pub fn endpoint_with_init(fam: Family, init: InitParams) -> SctpEndpoint {
    let s = fam.socket_one_to_many();
    s.set_nodelay(true).expect("SCTP_NODELAY");
    s.set_init(init).expect("SCTP_INITMSG");
    s.bind(fam.loopback()).expect("bind");
    let e = s.into_endpoint().expect("into_endpoint");
    e.listen(16).expect("listen");
    e
}

/// The lksctp `test_build_msg(len)` message: `"0123456789..."` repeated, `len` bytes, the last
/// one NUL.
pub fn build_msg(len: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..len).map(|i| b'0' + (i % 10) as u8).collect();
    if let Some(last) = v.last_mut() {
        *last = 0;
    }
    v
}

/// The errno of an `io::Error`, also when it wraps a typed tokio-linux-sctp [`Error`].
#[track_caller]
pub fn errno_io(e: &io::Error) -> i32 {
    Error::errno_of(e).unwrap_or_else(|| panic!("no errno in {e:?}"))
}

/// The errno of a failed call returning the crate's [`Error`].
#[track_caller]
pub fn errno<T: std::fmt::Debug>(r: Result<T, Error>) -> i32 {
    match r {
        Ok(v) => panic!("expected an error, got Ok({v:?})"),
        Err(e) => e
            .raw_os_error()
            .unwrap_or_else(|| panic!("expected an errno, got {e:?}")),
    }
}

/// The errno of a failed `io::Result`.
#[track_caller]
pub fn io_errno<T: std::fmt::Debug, E: Into<Error>>(r: Result<T, E>) -> i32 {
    errno(r.map_err(Into::into))
}

/// Whether `n` is the end of a graceful shutdown: the peer's SHUTDOWN (EOF on a one-to-one
/// socket) or `SHUTDOWN_COMP`.
pub fn is_graceful_end(n: &Notification) -> bool {
    match n {
        Notification::Shutdown(_) => true,
        Notification::AssocChange(c) => c.state == AssocChangeState::ShutdownComplete,
        _ => false,
    }
}

/// The next association change of `state` from `events`, skipping other notifications (and
/// earlier non-terminal changes such as `COMM_UP`); another terminal change fails the test.
pub async fn next_change(events: &mut SctpEvents, state: AssocChangeState) -> AssocChange {
    loop {
        match within("notification", events.next()).await {
            Some(Ok(Notification::AssocChange(c))) if c.state == state => return c,
            Some(Ok(Notification::AssocChange(c))) if c.state.is_terminal() => {
                panic!("expected ASSOC_CHANGE {state:?}, got {c:?}")
            }
            Some(Ok(_)) => continue,
            other => panic!("expected ASSOC_CHANGE {state:?}, got {other:?}"),
        }
    }
}

/// The next notification accepted by `pick`, skipping the others.
pub async fn next_matching<T>(
    events: &mut SctpEvents,
    what: &str,
    mut pick: impl FnMut(Notification) -> Option<T>,
) -> T {
    loop {
        match within(what, events.next()).await {
            Some(Ok(n)) => {
                if let Some(v) = pick(n) {
                    return v;
                }
            }
            other => panic!("{what}: event stream gave {other:?}"),
        }
    }
}

/// lksctp `test_sockopt.c`'s `SCTP_INITMSG` get, set, get: the defaults (10 outbound, 65535
/// inbound streams), then 5 / 5 / 3 attempts / 30 s set and read back whole.
pub fn initmsg_get_set_get(o: &SocketOptions<'_>) {
    let d = o.init_msg().unwrap();
    assert_eq!(
        (d.outbound_streams, d.max_inbound_streams),
        (10, 65535),
        "defaults"
    );
    let want = InitParams::new()
        .streams(5, 5)
        .max_attempts(3)
        .max_init_timeout(Duration::from_millis(30000));
    o.set_init_msg(&want).unwrap();
    assert_eq!(o.init_msg().unwrap(), want);
}
