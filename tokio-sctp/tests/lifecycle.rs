//! Association life cycle against the real kernel: connect timeouts and the kernel's own INIT
//! limit, refused connects, peers that vanish (a killed process, a dead path), and messages
//! over the receive cap.
//!
//! Silent peers and dead paths are made in private network namespaces (`unshare(CLONE_NEWNET)`
//! on a dedicated thread, then `iptables-legacy` / `tc netem` inside them), so no rule ever
//! touches the loopback of the machine or of the other tests. A vanished peer is a real
//! process: this test binary started again as [`peer_process`] and killed with `SIGKILL`.
//!
//! The namespaces need root (`CAP_SYS_ADMIN`, `CAP_NET_ADMIN`), which the lab gives; on a
//! host with SCTP, run as root or with `SCTP_LAB=always`. Without it those tests fail at
//! `unshare`, they are never skipped. The tools come from `iproute2` and `iptables`
//! (`scripts/setup`).
//!
//! The lab kernel runs at HZ=100, so RTOs below about 200 ms are not used here. Everything
//! else runs on the 6.1 lab kernel; a path that fails over to another address of a
//! multihomed peer is not shown (the silent multihomed peer only proves INITs go to both).

mod support;

use std::io;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{assert_ended, listener, pair_with, pattern, socket_for, v4, within, Netns};
use tokio_linux_sctp::error::{Error, ErrorKind};
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{AssocChange, AssocChangeState, Notification};
use tokio_linux_sctp::opts::{AssocInfo, PeerAddrParamsChange, RtoInfo};
use tokio_linux_sctp::{InitParams, SctpListener, SctpSocket, SctpStream};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Runs `cmd` with `sh -c` in the calling thread's namespaces and returns its stdout.
/// Packets dropped by the `INPUT` rule for destination `dst` in `ns` (from `iptables -v -x`).
fn dropped_to(ns: &Netns, dst: &str) -> u64 {
    let table = ns.sh("iptables-legacy -L INPUT -v -x -n");
    table
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() >= 9 && f[2] == "DROP" && f[8] == dst)
        .unwrap_or_else(|| panic!("no DROP rule for {dst} in\n{table}"))[0]
        .parse()
        .expect("packet count")
}

/// RTOs for INIT: 300 ms, not growing, so a few INITs go out per second.
fn fast_init(s: &SctpSocket) {
    s.options()
        .set_rto_info(&RtoInfo {
            initial: Duration::from_millis(300),
            min: Duration::from_millis(200),
            max: Duration::from_millis(300),
        })
        .expect("RTOINFO");
}

/// Asserts that `err` is the end of association `assoc_id` with a `COMM_LOST` cause, and
/// returns that notification.
fn assert_comm_lost(err: &Error, assoc_id: i32) -> AssocChange {
    match err.kind() {
        ErrorKind::AssociationEnded { cause } => match &**cause {
            Notification::AssocChange(c) => {
                assert_eq!(c.state, AssocChangeState::CommLost, "{err:?}");
                assert_eq!(c.assoc_id, assoc_id, "{err:?}");
                c.clone()
            }
            other => panic!("cause {other:?}"),
        },
        _ => panic!("{err:?}"),
    }
}

/// The error causes of an ABORT with one "User-Initiated Abort" cause (code 12, RFC 9260
/// §3.3.10.12) and no reason: code and length, network order.
const USER_ABORT_CAUSE: [u8; 4] = [0, 12, 0, 4];

// ---------------------------------------------------------------------------------------
// Connect: timeouts, the kernel's INIT limit, refusal
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn connect_timeout_aborts_init_to_a_silent_multihomed_peer() {
    let ns = Netns::new();
    // Both addresses of the "peer" swallow everything: INITs are never answered.
    ns.sh("iptables-legacy -A INPUT -p sctp -d 127.0.0.5 -j DROP && \
         iptables-legacy -A INPUT -p sctp -d 127.0.0.6 -j DROP");
    let peer: Vec<SocketAddr> = vec![
        "127.0.0.5:3868".parse().unwrap(),
        "127.0.0.6:3868".parse().unwrap(),
    ];
    let mut socket = ns.enter(|| socket_for(v4()));
    fast_init(&socket);
    assert_eq!(socket.connect_timeout(), None);
    socket.set_connect_timeout(Some(Duration::from_millis(1500)));
    assert_eq!(socket.connect_timeout(), Some(Duration::from_millis(1500)));

    let start = Instant::now();
    let err = within("connect with timeout", socket.connectx(&peer))
        .await
        .unwrap_err();
    let took = start.elapsed();
    assert_eq!(err.raw_os_error(), Some(libc::ETIMEDOUT), "{err:?}");
    assert_eq!(err.io_kind(), io::ErrorKind::TimedOut);
    let as_io: io::Error = err.into();
    assert_eq!(as_io.kind(), io::ErrorKind::TimedOut);
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(4),
        "took {took:?}"
    );

    // INITs went out while waiting, to both addresses of the peer (the kernel moves INIT
    // retransmissions to the next address).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (a, b) = (dropped_to(&ns, "127.0.0.5"), dropped_to(&ns, "127.0.0.6"));
    assert!(a + b >= 3, "INITs seen: {a} + {b}");
    assert!(a >= 1 && b >= 1, "INITs seen: {a} + {b}");
    // ... and stop once the connect gave up: the socket was closed with an ABORT. Without
    // that, one would go out every 300 ms.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        (dropped_to(&ns, "127.0.0.5"), dropped_to(&ns, "127.0.0.6")),
        (a, b),
        "INITs went on after the connect timed out"
    );
}

#[tokio::test]
async fn cancelled_connect_stops_the_init_attempts_too() {
    let ns = Netns::new();
    ns.sh("iptables-legacy -A INPUT -p sctp -d 127.0.0.7 -j DROP");
    let socket = ns.enter(|| socket_for(v4()));
    fast_init(&socket);
    let r = tokio::time::timeout(
        Duration::from_millis(800),
        socket.connect("127.0.0.7:3868".parse().unwrap()),
    )
    .await;
    assert!(r.is_err(), "a silent peer cannot complete a handshake");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let n = dropped_to(&ns, "127.0.0.7");
    assert!(n >= 2, "INITs seen: {n}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        dropped_to(&ns, "127.0.0.7"),
        n,
        "INITs went on after the drop"
    );
}

#[tokio::test]
async fn kernel_init_attempts_run_out_with_etimedout() {
    let ns = Netns::new();
    ns.sh("iptables-legacy -A INPUT -p sctp -d 127.0.0.5 -j DROP");
    let socket = ns.enter(|| socket_for(v4()));
    fast_init(&socket);
    socket
        .set_init(
            InitParams::new()
                .streams(16, 16)
                .max_attempts(2)
                .max_init_timeout(Duration::from_millis(300)),
        )
        .unwrap();
    let start = Instant::now();
    let err = within("connect", socket.connect("127.0.0.5:3868".parse().unwrap()))
        .await
        .unwrap_err();
    let took = start.elapsed();
    // The kernel's own verdict, through SO_ERROR: no connect timeout was set.
    assert_eq!(err.raw_os_error(), Some(libc::ETIMEDOUT), "{err:?}");
    assert_eq!(err.io_kind(), io::ErrorKind::TimedOut);
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // max_attempts counts retransmissions after the first INIT: 1 + 2 were sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(dropped_to(&ns, "127.0.0.5"), 3);
}

#[tokio::test]
async fn connect_timeout_does_not_hide_a_refusal() {
    // Nobody listens: the peer kernel answers INIT with ABORT at once. The timeout must not
    // turn that into ETIMEDOUT, nor wait for it.
    let l = listener(v4());
    let addr = l.local_addr().unwrap();
    drop(l);
    let start = Instant::now();
    let err = within(
        "connect",
        SctpStream::connect_timeout(addr, Duration::from_secs(10)),
    )
    .await
    .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED), "{err:?}");
    assert_eq!(err.io_kind(), io::ErrorKind::ConnectionRefused);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn connect_timeout_leaves_a_working_association_alone() {
    let l = listener(v4());
    let addr = l.local_addr().unwrap();
    let (client, server) = within("connect/accept", async {
        tokio::join!(
            SctpStream::connect_timeout(addr, Duration::from_secs(10)),
            l.accept()
        )
    })
    .await;
    let (client, (server, _)) = (client.unwrap(), server.unwrap());
    client
        .send(b"in time", &SendInfo::new().ppid(9))
        .await
        .unwrap();
    let (m, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.ppid), (&b"in time"[..], 9));
}

#[tokio::test]
async fn endpoint_connect_timeout_aborts_only_that_association() {
    let ns = Netns::new();
    ns.sh("iptables-legacy -A INPUT -p sctp -d 127.0.0.5 -j DROP");
    let (endpoint, live) = ns.enter(|| {
        let s = SctpSocket::new_v4_one_to_many().unwrap();
        fast_init(&s);
        s.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        (s.into_endpoint().unwrap(), listener(v4()))
    });
    endpoint.set_connect_timeout(Some(Duration::from_millis(1000)));
    let live_addr = live.local_addr().unwrap();
    // One association that comes up and stays up...
    let (id, accepted) = within("endpoint connect", async {
        tokio::join!(endpoint.connect(live_addr), live.accept())
    })
    .await;
    let id = id.unwrap();
    let (server, _) = accepted.unwrap();
    // ... and one to a silent peer, which times out.
    let err = within(
        "endpoint connect to silent peer",
        endpoint.connect("127.0.0.5:3868".parse().unwrap()),
    )
    .await
    .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ETIMEDOUT), "{err:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let n = dropped_to(&ns, "127.0.0.5");
    assert!(n >= 2, "INITs seen: {n}");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(dropped_to(&ns, "127.0.0.5"), n, "INITs went on");
    assert_eq!(endpoint.options(0).assoc_ids().unwrap(), vec![id]);
    endpoint
        .send(b"still here", &SendInfo::new().assoc_id(id).ppid(3))
        .await
        .unwrap();
    let (m, info) = within("recv", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.ppid), (&b"still here"[..], 3));
}

#[tokio::test]
async fn endpoint_kernel_init_failure_reads_as_refused() {
    // One-to-many sockets get no errno for a failed setup: only CANT_STR_ASSOC, the same
    // for a peer's ABORT and for INIT attempts running out (documented on connect).
    let ns = Netns::new();
    ns.sh("iptables-legacy -A INPUT -p sctp -d 127.0.0.5 -j DROP");
    let endpoint = ns.enter(|| {
        let s = SctpSocket::new_v4_one_to_many().unwrap();
        fast_init(&s);
        s.set_init(
            InitParams::new()
                .max_attempts(1)
                .max_init_timeout(Duration::from_millis(300)),
        )
        .unwrap();
        s.into_endpoint().unwrap()
    });
    let err = within(
        "endpoint connect",
        endpoint.connect("127.0.0.5:3868".parse().unwrap()),
    )
    .await
    .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED), "{err:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(dropped_to(&ns, "127.0.0.5"), 2, "1 INIT + 1 retransmission");
}

// ---------------------------------------------------------------------------------------
// Peers that vanish
// ---------------------------------------------------------------------------------------

/// Environment variable that makes [`peer_process`] the peer side, connecting to this address.
const PEER_ENV: &str = "TOKIO_SCTP_LIFECYCLE_PEER";

/// The receive buffer the peer process asks for (`SO_RCVBUF`; the kernel doubles it).
const PEER_RCVBUF: usize = 4096;

/// Two roles in one test entry, so that no entry of this binary is ignored.
///
/// With [`PEER_ENV`] set (by [`spawn_peer`], which runs just this entry in a child process),
/// it is the peer of the killed-peer tests: it connects with a small receive buffer, sends
/// "ready", then reads nothing until it is killed.
///
/// In a normal run it checks that peer from the parent's side: it runs in another process,
/// connects from loopback, its receive window is the small buffer (so that [`fill`] fills
/// it quickly), and `SIGKILL` ends it and its association.
#[test]
fn peer_process() {
    if let Ok(addr) = std::env::var(PEER_ENV) {
        run_peer(addr.parse().expect("peer address"));
        return;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let l = listener(v4());
        let (child, stream) = accept_peer(&l).await;
        assert_ne!(child.id(), std::process::id());
        assert_eq!(stream.peer_addr().unwrap().ip(), v4().ip());
        // a_rwnd of the peer's INIT: half of the doubled SO_RCVBUF, against about 100 KiB
        // with the default buffer.
        let rwnd = stream.options().status().unwrap().rwnd;
        assert!(rwnd > 0 && rwnd as usize <= PEER_RCVBUF, "peer rwnd {rwnd}");
        kill(child);
        assert_ended(
            &within("recv after the kill", stream.recv())
                .await
                .unwrap_err(),
        );
    });
}

/// The peer side of [`peer_process`], in the child process.
fn run_peer(addr: SocketAddr) {
    let fd = linux_sctp_sys::ops::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC)
        .expect("socket");
    let sock = socket2::SockRef::from(&fd);
    sock.set_recv_buffer_size(PEER_RCVBUF).expect("SO_RCVBUF");
    sock.connect(&addr.into()).expect("connect");
    sock.send(b"ready").expect("send");
    // Bounded: the parent kills us long before.
    std::thread::sleep(Duration::from_secs(60));
}

/// Starts [`peer_process`] in a child process, as the peer of `addr`.
fn spawn_peer(addr: SocketAddr) -> Child {
    Command::new(std::env::current_exe().expect("current_exe"))
        .args(["--exact", "peer_process", "--test-threads=1"])
        .env(PEER_ENV, addr.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn the peer process")
}

/// Accepts the peer process's association and reads its "ready".
async fn accept_peer(l: &SctpListener) -> (Child, SctpStream) {
    let child = spawn_peer(l.local_addr().unwrap());
    let (stream, _) = within("accept the peer process", l.accept()).await.unwrap();
    let (m, _) = within("ready", stream.recv()).await.unwrap();
    assert_eq!(&m[..], b"ready");
    (child, stream)
}

fn kill(mut child: Child) {
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGKILL), "{status:?}");
}

/// Sends 1 KiB messages until the send buffer stays full (the peer reads nothing, so once
/// its receive window is full nothing is acknowledged any more). Returns how many were sent.
async fn fill(stream: &SctpStream) -> usize {
    support::fill_with(|m| stream.try_send(m, &SendInfo::new())).await
}

#[tokio::test]
async fn killed_peer_process_ends_pending_recv_and_send_with_its_abort() {
    let s = socket_for(v4());
    s.bind(v4()).unwrap();
    s.set_send_buffer_size(8192).unwrap();
    let l = s.listen(4).unwrap();
    let (child, stream) = accept_peer(&l).await;
    let stream = Arc::new(stream);
    let id = stream.assoc_id();

    let queued = fill(&stream).await;
    assert!(queued > 0, "nothing fit in the send buffer");
    let send = tokio::spawn({
        let s = Arc::clone(&stream);
        async move { s.send(&pattern(1024, 8), &SendInfo::new()).await }
    });
    let recv = tokio::spawn({
        let s = Arc::clone(&stream);
        async move { s.recv().await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!send.is_finished(), "the send should wait for the peer");
    assert!(!recv.is_finished(), "the peer sends nothing more");

    // The kernel closes the killed process's socket; with our data unread in it, it aborts
    // the association (cause 12, User-Initiated Abort, which the COMM_LOST carries).
    kill(child);
    let recv_err = within("pending recv", recv).await.unwrap().unwrap_err();
    let lost = assert_comm_lost(&recv_err, id);
    assert_eq!(lost.info[..], USER_ABORT_CAUSE, "{recv_err:?}");
    assert_eq!(recv_err.io_kind(), io::ErrorKind::ConnectionReset);
    let send_err = within("pending send", send).await.unwrap().unwrap_err();
    assert_comm_lost(&send_err, id);

    // Later calls say the same at once.
    let e = within("later send", stream.send(b"x", &SendInfo::new()))
        .await
        .unwrap_err();
    assert_comm_lost(&e, id);
    let e = within("later recv", stream.recv()).await.unwrap_err();
    assert_comm_lost(&e, id);
    let e = stream.try_send(b"x", &SendInfo::new()).unwrap_err();
    assert_comm_lost(&e, id);
}

#[tokio::test]
async fn killed_idle_peer_process_ends_pending_recv() {
    // Nothing unread on the peer's side: its kernel shuts the association down gracefully.
    let l = listener(v4());
    let (child, stream) = accept_peer(&l).await;
    let stream = Arc::new(stream);
    let recv = tokio::spawn({
        let s = Arc::clone(&stream);
        async move { s.recv().await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!recv.is_finished());
    kill(child);
    let err = within("pending recv", recv).await.unwrap().unwrap_err();
    match err.kind() {
        ErrorKind::AssociationEnded { cause } => match &**cause {
            Notification::AssocChange(c) => {
                assert_eq!(c.state, AssocChangeState::ShutdownComplete, "{err:?}");
                assert_eq!(c.assoc_id, stream.assoc_id());
            }
            other => panic!("cause {other:?}"),
        },
        other => panic!("{other:?}"),
    }
    let e = within("later send", stream.send(b"x", &SendInfo::new()))
        .await
        .unwrap_err();
    assert_ended(&e);
    let e = within("later recv", stream.recv()).await.unwrap_err();
    assert_ended(&e);
}

#[tokio::test]
async fn dead_path_ends_pending_recv_and_send_with_comm_lost() {
    let ns = Netns::new();
    let (l, client) = ns.enter(|| {
        let s = socket_for(v4());
        s.bind(v4()).unwrap();
        s.set_send_buffer_size(8192).unwrap();
        (s.listen(4).unwrap(), socket_for(v4()))
    });
    let (client, server) = pair_with(l, client).await;
    let client = Arc::new(client);
    let id = client.assoc_id();
    // Give up after 2 retransmissions, with RTOs of 200..400 ms.
    let o = client.options();
    o.set_rto_info(&RtoInfo {
        initial: Duration::ZERO,
        min: Duration::from_millis(200),
        max: Duration::from_millis(400),
    })
    .unwrap();
    o.set_peer_addr_params(
        None,
        &PeerAddrParamsChange {
            path_max_retransmissions: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    o.set_assoc_info(&AssocInfo {
        max_retransmissions: 2,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(o.assoc_info().unwrap().max_retransmissions, 2);

    // The path dies: every packet on the namespace's loopback is lost from now on.
    ns.sh("tc qdisc add dev lo root netem loss 100%");
    let start = Instant::now();
    let recv = tokio::spawn({
        let c = Arc::clone(&client);
        async move { c.recv().await }
    });
    // Nothing is acknowledged any more, so the send buffer fills and a send waits.
    let sender = tokio::spawn({
        let c = Arc::clone(&client);
        async move {
            let msg = pattern(1024, 3);
            loop {
                c.send(&msg, &SendInfo::new().stream(1)).await?;
            }
            #[allow(unreachable_code)]
            Ok::<(), Error>(())
        }
    });
    // Well before the third timeout (200 + 400 + 400 ms), both are still waiting.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        !recv.is_finished() && !sender.is_finished(),
        "ended too early"
    );
    let recv_err = within("pending recv", recv).await.unwrap().unwrap_err();
    let lost_after = start.elapsed();
    // T3 timeouts: no ABORT, so no error cause.
    let lost = assert_comm_lost(&recv_err, id);
    assert_eq!((lost.error, lost.info.len()), (0, 0), "{recv_err:?}");
    assert!(lost_after < Duration::from_secs(10), "{lost_after:?}");
    let send_err = within("pending send", sender).await.unwrap().unwrap_err();
    assert_comm_lost(&send_err, id);

    let e = within("later send", client.send(b"x", &SendInfo::new()))
        .await
        .unwrap_err();
    assert_comm_lost(&e, id);
    let e = within("later recv", client.recv()).await.unwrap_err();
    assert_comm_lost(&e, id);
    drop(server);
}

// ---------------------------------------------------------------------------------------
// Messages over the receive cap
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn messages_over_the_cap_fail_alone_and_the_next_ones_arrive_intact() {
    const CAP: usize = 64 << 10;
    let l = listener(v4());
    let client = socket_for(v4());
    client.set_send_buffer_size(1 << 20).unwrap();
    let (client, server) = pair_with(l, client).await;
    server.set_max_message_size(CAP);
    let sizes = [
        (10, true),
        (300 << 10, false), // many reads, all dropped
        (CAP, true),        // exactly at the cap
        (CAP + 1, false),   // one byte over
        (5, true),
    ];
    let send = async {
        for (i, (len, _)) in sizes.iter().enumerate() {
            let info = SendInfo::new().stream(i as u16).ppid(100 + i as u32);
            client.send(&pattern(*len, i as u8), &info).await.unwrap();
        }
    };
    let recv = async {
        for (i, (len, fits)) in sizes.iter().enumerate() {
            match server.recv().await {
                Ok((m, info)) => {
                    assert!(fits, "message {i} of {len} bytes came through");
                    assert_eq!((info.stream, info.ppid), (i as u16, 100 + i as u32));
                    assert!(m[..] == pattern(*len, i as u8)[..], "message {i} altered");
                }
                Err(e) => {
                    assert!(!fits, "message {i} of {len} bytes: {e:?}");
                    assert!(
                        matches!(e.kind(), ErrorKind::MessageTooLarge { limit: CAP }),
                        "{e:?}"
                    );
                    assert_eq!(e.io_kind(), io::ErrorKind::InvalidData);
                }
            }
        }
    };
    within("send and receive", async { tokio::join!(send, recv) }).await;
    // The association is fine afterwards, both ways.
    server.send(b"ok", &SendInfo::new().ppid(1)).await.unwrap();
    let (m, _) = within("reply", client.recv()).await.unwrap();
    assert_eq!(&m[..], b"ok");
}

#[tokio::test]
async fn over_the_cap_read_ahead_by_the_event_stream_keeps_its_place() {
    // The event stream reads data ahead for `recv` while it looks for notifications; a
    // message over the cap that it meets becomes the error `recv` returns in its place.
    const CAP: usize = 1000;
    let (client, server) = support::pair(v4()).await;
    server.set_max_message_size(CAP);
    for (i, len) in [10, 5000, 20].into_iter().enumerate() {
        let info = SendInfo::new().ppid(i as u32);
        client.send(&pattern(len, i as u8), &info).await.unwrap();
    }
    within("client shutdown", client.shutdown()).await.unwrap();
    // The SHUTDOWN notification comes after the three messages: reading up to it queues
    // all of them.
    let mut events = server.events();
    loop {
        match within("events", events.next()).await {
            Some(Ok(Notification::Shutdown(_))) => break,
            Some(Ok(_)) => continue,
            other => panic!("{other:?}"),
        }
    }
    let (m, info) = within("recv 0", server.recv()).await.unwrap();
    assert_eq!((m.len(), info.ppid), (10, 0));
    let e = within("recv 1", server.recv()).await.unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::MessageTooLarge { limit: CAP }),
        "{e:?}"
    );
    let (m, info) = within("recv 2", server.recv()).await.unwrap();
    assert_eq!((&m[..], info.ppid), (&pattern(20, 2)[..], 2));
    assert_ended(&within("recv at the end", server.recv()).await.unwrap_err());
}

#[tokio::test]
async fn over_the_cap_on_an_endpoint_spares_the_other_associations() {
    const CAP: usize = 1000;
    let endpoint = tokio_linux_sctp::SctpEndpoint::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    endpoint.set_max_message_size(CAP);
    let addr = endpoint.local_addr().unwrap();
    let a = within("connect a", SctpStream::connect(addr))
        .await
        .unwrap();
    let b = within("connect b", SctpStream::connect(addr))
        .await
        .unwrap();
    a.send(&pattern(5000, 1), &SendInfo::new().ppid(1))
        .await
        .unwrap();
    // Sent after a's big message has fully arrived (SCTP does not interleave messages of
    // two associations unless fragment interleave is on).
    tokio::time::sleep(Duration::from_millis(100)).await;
    b.send(b"from b", &SendInfo::new().ppid(2)).await.unwrap();
    a.send(b"a again", &SendInfo::new().ppid(3)).await.unwrap();
    let e = within("too large", endpoint.recv()).await.unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::MessageTooLarge { limit: CAP }),
        "{e:?}"
    );
    let mut got = Vec::new();
    for _ in 0..2 {
        let (m, info) = within("recv", endpoint.recv()).await.unwrap();
        got.push((m.to_vec(), info.ppid));
    }
    got.sort_by_key(|g| g.1);
    assert_eq!(got, vec![(b"from b".to_vec(), 2), (b"a again".to_vec(), 3)]);
}
