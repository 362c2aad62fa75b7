//! Multihoming against the real kernel: a client connects to a peer known by two addresses
//! and learns at once, from its event stream, when a path goes down or comes back, while its
//! messages keep flowing over the other path.
//!
//! Topology (per test, [`netlab::TwoPaths`]): namespaces A and B joined by two veth pairs,
//! path 1 = 10.0.1.1 – 10.0.1.2, path 2 = 10.0.2.1 – 10.0.2.2. The server in B binds both
//! of its addresses with `bindx`; the client in A binds both of its own and connects with
//! `connectx` to both of the server's. A path is cut with `tc netem loss 100%` on both of its
//! ends and restored by deleting the qdiscs. Sockets are created inside their namespace (a
//! socket keeps it) and then driven from the test's one tokio runtime.
//!
//! The lab kernel runs at HZ=100: RTOs are 200–1000 ms (below ~200 ms healthy paths flap),
//! heartbeats every 500 ms, so a cut path is declared unreachable within a few seconds.
//! Needs root and `iproute2` (`ip`, `tc`, `ss`), which the lab has; never skipped.

mod netlab;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use netlab::{within, TwoPaths, LIMIT};
use tokio::task::JoinHandle;
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{
    AssocChangeState, Notification, PeerAddrChange, PeerAddrState,
};
use tokio_linux_sctp::opts::{
    PathState, PathThresholds, PeerAddrParamsChange, PfStateExposure, RtoInfo, SocketOptions,
};
use tokio_linux_sctp::{SctpEvents, SctpSocket, SctpStream};

/// The server's port (each test has its own namespaces, so one port serves all).
const PORT: u16 = 5000;
/// The PPID of the test traffic.
const PPID: u32 = 0x6d68_6f6d;
/// Longest wait for one path-state change.
const PATH_LIMIT: Duration = Duration::from_secs(20);

fn addr(ip: &str, port: u16) -> SocketAddr {
    SocketAddr::new(ip.parse().unwrap(), port)
}

/// The server's address on path `n`.
fn server(n: u8) -> SocketAddr {
    addr(&format!("10.0.{n}.2"), PORT)
}

/// How the paths are watched.
#[derive(Clone, Copy)]
struct Tuning {
    /// Retransmissions before a path is failed (`path_max_retrans`).
    path_max_retrans: u16,
    /// `Some((exposure, pf_threshold))`: report the potentially-failed state.
    pf: Option<(PfStateExposure, u16)>,
}

const PLAIN: Tuning = Tuning {
    path_max_retrans: 2,
    pf: None,
};

/// RTO 200–1000 ms, heartbeats every 500 ms, the path thresholds of `t`, no Nagle delay.
fn tune(s: &SctpSocket, t: Tuning) {
    let o = s.options();
    o.set_rto_info(&RtoInfo {
        initial: Duration::from_millis(500),
        min: Duration::from_millis(200),
        max: Duration::from_millis(1000),
    })
    .expect("SCTP_RTOINFO");
    o.set_peer_addr_params(
        None,
        &PeerAddrParamsChange {
            heartbeat_interval: Some(Duration::from_millis(500)),
            path_max_retransmissions: Some(t.path_max_retrans),
            ..Default::default()
        },
    )
    .expect("SCTP_PEER_ADDR_PARAMS");
    if let Some((exposure, pf_threshold)) = t.pf {
        o.set_expose_pf_state(exposure)
            .expect("SCTP_EXPOSE_POTENTIALLY_FAILED_STATE");
        o.set_peer_addr_thresholds(
            None,
            &PathThresholds {
                path_max_retransmissions: t.path_max_retrans,
                pf_threshold,
                ps_threshold: 65535,
            },
        )
        .expect("SCTP_PEER_ADDR_THLDS_V2");
    }
    s.set_nodelay(true).expect("SCTP_NODELAY");
}

/// One association over the two paths.
struct Assoc {
    paths: TwoPaths,
    client: Arc<SctpStream>,
    server: Arc<SctpStream>,
    /// The client's notifications.
    events: SctpEvents,
    /// Every notification the client's stream delivered so far.
    seen: Vec<Notification>,
    /// The client's addresses (its port chosen by the kernel).
    client_addrs: [SocketAddr; 2],
}

impl Assoc {
    async fn new(prefix: &str, t: Tuning) -> Assoc {
        let paths = TwoPaths::new(prefix);
        let srv = paths
            .b
            .enter(|| SctpSocket::new_v4().expect("socket(IPPROTO_SCTP) in B"));
        tune(&srv, t);
        srv.bindx(&[server(1), server(2)]).expect("bindx in B");
        let listener = srv.listen(8).expect("listen");
        assert_eq!(
            sorted(listener.local_addrs().expect("listener local_addrs")),
            vec![server(1), server(2)]
        );

        let cli = paths
            .a
            .enter(|| SctpSocket::new_v4().expect("socket(IPPROTO_SCTP) in A"));
        tune(&cli, t);
        cli.bindx(&[addr("10.0.1.1", 0), addr("10.0.2.1", 0)])
            .expect("bindx in A");
        let port = cli.local_addr().expect("client local_addr").port();
        assert_ne!(port, 0);
        let client_addrs = [addr("10.0.1.1", port), addr("10.0.2.1", port)];

        let targets = [server(1), server(2)];
        let (client, accepted) = within("connectx + accept", LIMIT, async {
            tokio::join!(cli.connectx(&targets), listener.accept())
        })
        .await;
        let client = client.expect("connectx");
        let (server_stream, peers) = accepted.expect("accept");
        assert_eq!(sorted(peers), client_addrs.to_vec(), "accept's peer list");
        let events = client.events();
        Assoc {
            paths,
            client: Arc::new(client),
            server: Arc::new(server_stream),
            events,
            seen: Vec::new(),
            client_addrs,
        }
    }

    /// Waits until path 2 is confirmed and active on both sides (an unconfirmed path carries
    /// no data, so it could not take over yet).
    async fn path2_active(&self) {
        let (c, s) = (&self.client, &self.server);
        let c2 = self.client_addrs[1];
        within("path 2 active on both sides", PATH_LIMIT, async {
            loop {
                let cs = c
                    .options()
                    .peer_addr_info(&server(2))
                    .expect("client paddrinfo");
                let ss = s.options().peer_addr_info(&c2).expect("server paddrinfo");
                if cs.state == PathState::Active && ss.state == PathState::Active {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
    }

    /// Cuts (`true`) or restores path `n` at both ends.
    fn set_cut(&self, n: u8, cut: bool) {
        for (ns, dev) in [
            (&self.paths.a, format!("va{n}")),
            (&self.paths.b, format!("vb{n}")),
        ] {
            let args: &[&str] = if cut {
                &["qdisc", "add", "dev", &dev, "root", "netem", "loss", "100%"]
            } else {
                &["qdisc", "del", "dev", &dev, "root"]
            };
            ns.exec("iproute2", "tc", args);
        }
    }

    /// Waits for the client's `PEER_ADDR_CHANGE` of `addr` to `state` and returns it; every
    /// notification on the way is kept in `seen`.
    async fn wait_addr(&mut self, addr: SocketAddr, state: PeerAddrState) -> PeerAddrChange {
        let what = format!("PEER_ADDR_CHANGE {addr} {state:?}");
        let (events, seen) = (&mut self.events, &mut self.seen);
        within(&what, PATH_LIMIT, async {
            loop {
                let n = events
                    .next()
                    .await
                    .unwrap_or_else(|| panic!("event stream ended; seen {seen:#?}"))
                    .unwrap_or_else(|e| panic!("event stream error {e:?}; seen {seen:#?}"));
                seen.push(n.clone());
                if let Notification::PeerAddrChange(pc) = n {
                    if pc.addr == addr && pc.state == state {
                        return pc;
                    }
                }
            }
        })
        .await
    }

    /// The states the client was told about for `addr`, in order.
    fn states_of(&self, addr: SocketAddr) -> Vec<PeerAddrState> {
        self.seen
            .iter()
            .filter_map(|n| match n {
                Notification::PeerAddrChange(pc) if pc.addr == addr => Some(pc.state),
                _ => None,
            })
            .collect()
    }

    /// Fails if the association was lost or restarted.
    fn assert_no_assoc_trouble(&self) {
        for n in &self.seen {
            if let Notification::AssocChange(c) = n {
                assert!(
                    !matches!(
                        c.state,
                        AssocChangeState::CommLost | AssocChangeState::Restart
                    ),
                    "{c:?} in {:#?}",
                    self.seen
                );
            }
        }
    }
}

fn sorted(mut v: Vec<SocketAddr>) -> Vec<SocketAddr> {
    v.sort();
    v
}

/// Sequence-numbered echo traffic: the client sends message `i` (its first 8 bytes are `i`)
/// every 10 ms, the server checks the order and echoes it, the client checks the echoes'
/// order. Any gap, reordering or error fails the test.
struct Echo {
    stop: Arc<AtomicBool>,
    echoed: Arc<AtomicU64>,
    sender: JoinHandle<u64>,
    receiver: JoinHandle<()>,
    server: JoinHandle<u64>,
}

impl Echo {
    fn start(client: &Arc<SctpStream>, server: &Arc<SctpStream>) -> Echo {
        let stop = Arc::new(AtomicBool::new(false));
        let echoed = Arc::new(AtomicU64::new(0));
        let sender = tokio::spawn({
            let (client, stop) = (Arc::clone(client), Arc::clone(&stop));
            async move {
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let mut msg = i.to_be_bytes().to_vec();
                    msg.resize(200, (i % 251) as u8);
                    let info = SendInfo::new().stream(1).ppid(PPID);
                    let n = client.send(&msg, &info).await.expect("client send");
                    assert_eq!(n, msg.len());
                    i += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                i
            }
        });
        let server = tokio::spawn({
            let server = Arc::clone(server);
            async move {
                let mut next = 0u64;
                loop {
                    let (msg, info) = match server.recv().await {
                        Ok(m) => m,
                        Err(e) => {
                            assert!(
                                matches!(e.kind(), ErrorKind::AssociationEnded { .. }),
                                "server recv: {e:?}"
                            );
                            return next;
                        }
                    };
                    assert_eq!((info.stream, info.ppid, msg.len()), (1, PPID, 200));
                    let i = u64::from_be_bytes(msg[..8].try_into().unwrap());
                    assert_eq!(i, next, "server got message {i}, expected {next}");
                    assert!(msg[8..].iter().all(|&b| b == (i % 251) as u8));
                    next += 1;
                    let info = SendInfo::new().stream(1).ppid(PPID);
                    server.send(&msg, &info).await.expect("server echo");
                }
            }
        });
        let receiver = tokio::spawn({
            let (client, echoed) = (Arc::clone(client), Arc::clone(&echoed));
            async move {
                loop {
                    let (msg, info) = client.recv().await.expect("client recv");
                    assert_eq!((info.stream, info.ppid, msg.len()), (1, PPID, 200));
                    let i = u64::from_be_bytes(msg[..8].try_into().unwrap());
                    let next = echoed.load(Ordering::Relaxed);
                    assert_eq!(i, next, "client got echo {i}, expected {next}");
                    echoed.store(next + 1, Ordering::Relaxed);
                }
            }
        });
        Echo {
            stop,
            echoed,
            sender,
            receiver,
            server,
        }
    }

    /// Waits until `n` more echoes came back.
    async fn progress(&self, n: u64, what: &str) {
        let target = self.echoed.load(Ordering::Relaxed) + n;
        within(what, PATH_LIMIT, async {
            while self.echoed.load(Ordering::Relaxed) < target {
                assert!(
                    !self.receiver.is_finished() && !self.sender.is_finished(),
                    "traffic task ended early"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
    }

    /// Stops sending, waits for every echo and returns how many messages went each way.
    async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let sent = within("sender stops", LIMIT, self.sender)
            .await
            .expect("sender task");
        within("every echo back", LIMIT, async {
            while self.echoed.load(Ordering::Relaxed) < sent {
                assert!(!self.receiver.is_finished(), "receiver task ended early");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        assert_eq!(self.echoed.load(Ordering::Relaxed), sent);
        self.receiver.abort();
        assert!(!self.server.is_finished());
        self.server.abort();
        sent
    }
}

/// Checks the view of both sides right after setup: both addresses of each peer, primary
/// paths on path 1, nothing failed.
fn assert_fresh(a: &Assoc) {
    assert_eq!(
        sorted(a.client.peer_addrs().expect("client peer_addrs")),
        vec![server(1), server(2)]
    );
    assert_eq!(
        sorted(a.client.local_addrs().expect("client local_addrs")),
        a.client_addrs.to_vec()
    );
    assert_eq!(
        sorted(a.server.peer_addrs().expect("server peer_addrs")),
        a.client_addrs.to_vec()
    );
    let st = a.client.options().status().expect("client SCTP_STATUS");
    assert_eq!(st.primary.address, server(1), "client primary: {st:?}");
    assert_eq!(st.primary.state, PathState::Active);
    assert_eq!(a.client.primary_addr().unwrap(), server(1));
    let st = a.server.options().status().expect("server SCTP_STATUS");
    assert_eq!(
        st.primary.address, a.client_addrs[0],
        "server primary: {st:?}"
    );
}

/// Cutting the primary path: the client hears `SCTP_ADDR_UNREACHABLE` for it (and, with the
/// potentially-failed state hidden, nothing in between), the echo traffic keeps flowing over
/// path 2 with every message in order, and after the path is restored the client hears
/// `SCTP_ADDR_AVAILABLE` and the path is active again.
#[tokio::test]
async fn primary_path_cut_and_restored() {
    let mut a = Assoc::new("mhcut", PLAIN).await;
    assert_fresh(&a);
    assert_eq!(
        a.client.options().expose_pf_state().unwrap(),
        PfStateExposure::Unset
    );
    a.path2_active().await;

    let echo = Echo::start(&a.client, &a.server);
    echo.progress(20, "echoes before the cut").await;

    a.set_cut(1, true);
    let down = a.wait_addr(server(1), PeerAddrState::Unreachable).await;
    assert_eq!(down.assoc_id, a.client.assoc_id());
    let info = a.client.options().peer_addr_info(&server(1)).unwrap();
    assert_eq!(info.state, PathState::Inactive, "{info:?}");
    // The primary stays path 1 (inactive); the data goes over path 2 meanwhile.
    let st = a.client.options().status().unwrap();
    assert_eq!(
        (st.primary.address, st.primary.state),
        (server(1), PathState::Inactive)
    );
    assert_eq!(
        a.client.options().peer_addr_info(&server(2)).unwrap().state,
        PathState::Active
    );
    echo.progress(30, "echoes over path 2 with path 1 down")
        .await;

    a.set_cut(1, false);
    let up = a.wait_addr(server(1), PeerAddrState::Available).await;
    assert_eq!(up.assoc_id, a.client.assoc_id());
    assert_eq!(
        a.client.options().peer_addr_info(&server(1)).unwrap().state,
        PathState::Active
    );
    echo.progress(20, "echoes after the restore").await;
    let sent = echo.finish().await;
    assert!(sent >= 70, "{sent}");

    // Hidden PF state: path 1 went straight from up to unreachable and back.
    assert_eq!(
        a.states_of(server(1)),
        vec![PeerAddrState::Unreachable, PeerAddrState::Available],
        "{:#?}",
        a.seen
    );
    a.assert_no_assoc_trouble();
}

/// With the potentially-failed state exposed (RFC 7829, `SCTP_EXPOSE_POTENTIALLY_FAILED_STATE`
/// = enabled, PF after 1 retransmission, failed after 3), cutting the primary path gives
/// `SCTP_ADDR_POTENTIALLY_FAILED` first, then `SCTP_ADDR_UNREACHABLE`; the traffic survives
/// in order and the restored path comes back with `SCTP_ADDR_AVAILABLE`.
#[tokio::test]
async fn potentially_failed_state_exposed() {
    let t = Tuning {
        path_max_retrans: 3,
        pf: Some((PfStateExposure::Enabled, 1)),
    };
    let mut a = Assoc::new("mhpf", t).await;
    assert_fresh(&a);
    assert_eq!(
        a.client.options().expose_pf_state().unwrap(),
        PfStateExposure::Enabled
    );
    let th = a
        .client
        .options()
        .peer_addr_thresholds(Some(&server(1)))
        .unwrap();
    assert_eq!((th.path_max_retransmissions, th.pf_threshold), (3, 1));
    a.path2_active().await;

    let echo = Echo::start(&a.client, &a.server);
    echo.progress(20, "echoes before the cut").await;

    a.set_cut(1, true);
    a.wait_addr(server(1), PeerAddrState::PotentiallyFailed)
        .await;
    // While PF, the data already goes over path 2.
    echo.progress(10, "echoes with path 1 potentially failed")
        .await;
    a.wait_addr(server(1), PeerAddrState::Unreachable).await;
    assert_eq!(
        a.client.options().peer_addr_info(&server(1)).unwrap().state,
        PathState::Inactive
    );
    echo.progress(20, "echoes with path 1 down").await;

    a.set_cut(1, false);
    a.wait_addr(server(1), PeerAddrState::Available).await;
    assert_eq!(
        a.client.options().peer_addr_info(&server(1)).unwrap().state,
        PathState::Active
    );
    echo.progress(20, "echoes after the restore").await;
    echo.finish().await;

    assert_eq!(
        a.states_of(server(1)),
        vec![
            PeerAddrState::PotentiallyFailed,
            PeerAddrState::Unreachable,
            PeerAddrState::Available
        ],
        "{:#?}",
        a.seen
    );
    a.assert_no_assoc_trouble();
}

/// Sends `count` messages of 1000 bytes from the client and waits until the server has them
/// all; returns the bytes the client's two interfaces transmitted meanwhile (`va1`, `va2`).
async fn one_way_burst(a: &Assoc, count: usize) -> (u64, u64) {
    let tx = |dev: &str| a.paths.a.counter(dev, "tx_bytes");
    let before = (tx("va1"), tx("va2"));
    let server = Arc::clone(&a.server);
    let sink = tokio::spawn(async move {
        for i in 0..count {
            let (msg, info) = server.recv().await.expect("server recv");
            assert_eq!((msg.len(), info.stream, info.ppid), (1000, 2, PPID));
            assert!(msg.iter().all(|&b| b == i as u8), "message {i}");
        }
    });
    for i in 0..count {
        let info = SendInfo::new().stream(2).ppid(PPID);
        within("send", LIMIT, a.client.send(&[i as u8; 1000], &info))
            .await
            .expect("send");
    }
    within("server receives the burst", LIMIT, sink)
        .await
        .expect("sink task");
    (tx("va1") - before.0, tx("va2") - before.1)
}

/// `set_primary_addr` moves the client's data to the chosen path: `SCTP_STATUS` reports the
/// new primary, the kernel tells the client `SCTP_ADDR_MADE_PRIM`, and the bytes leave over
/// that path's interface (its `tx_bytes` grows by the data, the other's by little more than
/// heartbeats). Switching back moves the data back.
#[tokio::test]
async fn set_primary_moves_the_data() {
    let mut a = Assoc::new("mhprim", PLAIN).await;
    assert_fresh(&a);
    a.path2_active().await;
    const N: usize = 40;
    let payload = (N * 1000) as u64;

    let (p1, p2) = one_way_burst(&a, N).await;
    assert!(
        p1 >= payload && p2 < payload / 4,
        "primary path 1: {p1} / {p2}"
    );

    a.client.options().set_primary_addr(&server(2)).unwrap();
    assert_eq!(a.client.options().primary_addr().unwrap(), server(2));
    let st = a.client.options().status().unwrap();
    assert_eq!(
        (st.primary.address, st.primary.state),
        (server(2), PathState::Active)
    );
    let made = a.wait_addr(server(2), PeerAddrState::MadePrimary).await;
    assert_eq!(made.assoc_id, a.client.assoc_id());
    let (p1, p2) = one_way_burst(&a, N).await;
    assert!(
        p2 >= payload && p1 < payload / 4,
        "primary path 2: {p1} / {p2}"
    );

    a.client.options().set_primary_addr(&server(1)).unwrap();
    assert_eq!(a.client.primary_addr().unwrap(), server(1));
    a.wait_addr(server(1), PeerAddrState::MadePrimary).await;
    let (p1, p2) = one_way_burst(&a, N).await;
    assert!(
        p1 >= payload && p2 < payload / 4,
        "primary path 1 again: {p1} / {p2}"
    );

    // An address that is not the peer's is refused.
    let err = a
        .client
        .options()
        .set_primary_addr(&addr("10.0.3.2", PORT))
        .unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL), "{err:?}");
    a.assert_no_assoc_trouble();
}

/// The typed options are read back per path: each of the client's two paths has the
/// heartbeat interval and retransmission limit the socket set before connecting.
#[tokio::test]
async fn per_path_parameters_inherited() {
    let a = Assoc::new("mhpar", PLAIN).await;
    for p in [server(1), server(2)] {
        let params = a.client.options().peer_addr_params(Some(&p)).unwrap();
        assert_eq!(params.address, Some(p));
        assert!(params.heartbeat, "{params:?}");
        assert_eq!(params.heartbeat_interval, Duration::from_millis(500));
        assert_eq!(params.path_max_retransmissions, 2);
    }
    let rto = a.client.options().rto_info().unwrap();
    assert_eq!(
        (rto.min, rto.max),
        (Duration::from_millis(200), Duration::from_millis(1000))
    );
    // Both sides' paths get confirmed by heartbeats.
    a.path2_active().await;
    let c = a.client.options();
    check_both_active(&c, &[server(1), server(2)]);
    let s = a.server.options();
    check_both_active(&s, &a.client_addrs);
}

fn check_both_active(o: &SocketOptions<'_>, peers: &[SocketAddr]) {
    for p in peers {
        let info = o.peer_addr_info(p).unwrap();
        assert_eq!((info.address, info.state), (*p, PathState::Active));
        assert!(info.mtu >= 1280 && info.mtu <= 1500, "{info:?}");
    }
}
