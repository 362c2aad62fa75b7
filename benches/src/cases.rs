//! The benchmarked implementations, each set up once and then driven by [`Case::run`].
//!
//! | case | client side | server side |
//! |---|---|---|
//! | [`Impl::Raw`] | blocking libc socket, main thread | blocking libc socket, own thread |
//! | [`Impl::TokioMulti`] | `SctpStream` in `block_on` (main thread) | task on a `multi_thread` runtime with one worker |
//! | [`Impl::TokioCurrent`] | `SctpStream` in `block_on` | task on the same `current_thread` runtime |
//! | [`Impl::TokioBatch`] | as `TokioCurrent`, sending with `send_batch` | as `TokioCurrent`, receiving with `recv_batch` (throughput only) |
//!
//! Every socket gets `SO_SNDBUF` of [`SNDBUF`], a receive buffer of [`RCVBUF`] and
//! `SCTP_NODELAY`, the same for the baseline and tokio-linux-sctp.

use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::mpsc;
use std::thread::JoinHandle;

use linux_sctp_sys::sockopt;
use tokio::runtime::Runtime;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpSocket, SctpStream};

use crate::harness::Case;
use crate::raw::RawSocket;

/// Default requested `SO_SNDBUF` (the kernel doubles it, capped by `net.core.wmem_max`).
pub const SNDBUF: usize = 256 << 10;

/// Default requested receive buffer, set with `SO_RCVBUFFORCE` where allowed (see
/// [`force_rcvbuf`](crate::raw::force_rcvbuf)).
///
/// It is larger than the send buffer on purpose. On loopback (MTU 64 KiB) a receiver that
/// lags behind a bursting sender (any single-threaded runtime: the receiving task runs only
/// once the sender hits `EAGAIN`) otherwise overflows: the kernel discards DATA chunks
/// (`SctpInDataChunkDiscards`) and the sender stalls in 1 s retransmission timeouts, which
/// measures `rto_min`, not the code.
pub const RCVBUF: usize = 4 << 20;

/// The requested `(SO_SNDBUF, receive buffer)`: [`SNDBUF`] and [`RCVBUF`], or `BENCH_SNDBUF`
/// / `BENCH_RCVBUF` (bytes).
pub fn buffers() -> (usize, usize) {
    let get = |name: &str, default| {
        std::env::var(name)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    (get("BENCH_SNDBUF", SNDBUF), get("BENCH_RCVBUF", RCVBUF))
}

/// The effective `(SO_SNDBUF, SO_RCVBUF)` of a socket set up like the benchmarks' (the
/// kernel doubles requests and caps them).
pub fn effective_buffers() -> std::io::Result<(usize, usize)> {
    let (listener, _) = RawSocket::listen(buffers())?;
    listener.buffer_sizes()
}

/// Stream id of every message.
pub const SID: u16 = 1;

/// PPID of every message (host order).
pub const PPID: u32 = 0x5354_5042; // "STPB"

/// Receive buffer of the raw baseline: larger than any benchmarked message.
const RAW_RECV_BUF: usize = 64 << 10;

/// The implementations compared in one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impl {
    /// Raw libc, blocking, one thread per side: the baseline.
    Raw,
    /// tokio-linux-sctp on a `multi_thread` runtime (one worker) with the client in `block_on`.
    TokioMulti,
    /// tokio-linux-sctp with both sides as tasks of one `current_thread` runtime.
    TokioCurrent,
    /// As [`TokioCurrent`](Self::TokioCurrent), with [`BATCH`] messages per `send_batch`
    /// and `recv_batch` (`sendmmsg`/`recvmmsg`). Ping-pong has nothing to batch: there it
    /// runs as `TokioCurrent`.
    TokioBatch,
}

/// Messages per `send_batch` / `recv_batch` of [`Impl::TokioBatch`].
pub const BATCH: usize = 32;

impl Impl {
    /// All implementations of one message at a time, baseline first.
    pub const ALL: [Impl; 3] = [Impl::Raw, Impl::TokioMulti, Impl::TokioCurrent];

    /// [`ALL`](Self::ALL) and the batch case.
    pub const WITH_BATCH: [Impl; 4] = [
        Impl::Raw,
        Impl::TokioMulti,
        Impl::TokioCurrent,
        Impl::TokioBatch,
    ];

    /// Command-line name (`--inner NAME`).
    pub fn key(self) -> &'static str {
        match self {
            Impl::Raw => "raw",
            Impl::TokioMulti => "tokio-mt",
            Impl::TokioCurrent => "tokio-ct",
            Impl::TokioBatch => "tokio-batch",
        }
    }

    /// The implementations to run: all of them, or those named in `BENCH_CASES`
    /// (comma-separated keys; the baseline is always included, first).
    pub fn selected() -> Vec<Impl> {
        Self::selected_from(&Impl::ALL)
    }

    /// [`selected`](Self::selected) with the batch case among the defaults (throughput).
    pub fn selected_with_batch() -> Vec<Impl> {
        Self::selected_from(&Impl::WITH_BATCH)
    }

    fn selected_from(defaults: &[Impl]) -> Vec<Impl> {
        match std::env::var("BENCH_CASES") {
            Ok(list) => {
                let mut v = vec![Impl::Raw];
                for key in list.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    let imp = Impl::from_key(key).unwrap_or_else(|| {
                        panic!("BENCH_CASES: unknown case {key:?} (raw, tokio-mt, tokio-ct, tokio-batch)")
                    });
                    if !v.contains(&imp) {
                        v.push(imp);
                    }
                }
                v
            }
            Err(_) => defaults.to_vec(),
        }
    }

    /// Parses a [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Impl> {
        Impl::WITH_BATCH.into_iter().find(|i| i.key() == key)
    }

    /// Label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Impl::Raw => "raw libc, blocking (baseline)",
            Impl::TokioMulti => "tokio-linux-sctp, multi_thread(1)",
            Impl::TokioCurrent => "tokio-linux-sctp, current_thread",
            Impl::TokioBatch => "tokio-linux-sctp batch(32), current_th",
        }
    }

    fn runtime(self) -> Runtime {
        let rt = match self {
            Impl::TokioCurrent | Impl::TokioBatch => tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build(),
            _ => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_io()
                .build(),
        };
        rt.expect("build the tokio runtime")
    }
}

/// A tokio-linux-sctp socket configured like the baseline's.
fn tokio_socket() -> SctpSocket {
    let s = SctpSocket::new_v4().expect("SCTP socket");
    let (snd, rcv) = buffers();
    s.set_send_buffer_size(snd).expect("SO_SNDBUF");
    s.set_recv_buffer_size(rcv).expect("SO_RCVBUF");
    crate::raw::force_rcvbuf(s.as_fd(), rcv).expect("SO_RCVBUFFORCE");
    s.set_nodelay(true).expect("SCTP_NODELAY");
    s
}

/// Turns `SCTP_NODELAY` on for an accepted socket (whatever the kernel inherited).
fn nodelay(fd: impl AsFd) {
    sockopt::set(fd.as_fd(), sockopt::SCTP_NODELAY, &1)
        .expect("SCTP_NODELAY on the accepted socket");
}

/// A listener and a connected client (`SctpStream`), plus the accepted server stream.
async fn tokio_pair() -> (SctpStream, SctpStream) {
    let listener = tokio_socket();
    listener
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let listener = listener.listen(16).expect("listen");
    let accept = tokio::spawn(async move { listener.accept().await.expect("accept").0 });
    let client = tokio_socket().connect(addr).await.expect("connect");
    let server = accept.await.expect("accept task");
    nodelay(&server);
    (client, server)
}

fn raw_pair() -> (RawSocket, RawSocket) {
    let (listener, addr) = RawSocket::listen(buffers()).expect("raw listen");
    let SocketAddr::V4(v4) = addr else {
        unreachable!("listening on 127.0.0.1")
    };
    let client = RawSocket::connect(v4, buffers()).expect("raw connect");
    let server = listener.accept().expect("raw accept");
    nodelay(&server);
    (client, server)
}

// ---------------------------------------------------------------------------------------
// Ping-pong
// ---------------------------------------------------------------------------------------

/// Round trips of a `size`-byte request echoed back by the server.
pub struct PingPong {
    inner: PingPongInner,
    request: Vec<u8>,
}

enum PingPongInner {
    Raw {
        client: RawSocket,
        server: Option<JoinHandle<()>>,
        buf: Vec<u8>,
    },
    Tokio {
        rt: Runtime,
        client: SctpStream,
        info: SendInfo,
    },
}

impl PingPong {
    /// Sets up a connected pair of `imp` with an echo server.
    pub fn new(imp: Impl, size: usize) -> PingPong {
        let request: Vec<u8> = (0..size).map(|i| i as u8).collect();
        let inner = match imp {
            Impl::Raw => {
                let (client, server) = raw_pair();
                let server = std::thread::spawn(move || {
                    let mut buf = vec![0u8; RAW_RECV_BUF];
                    loop {
                        let r = server.recv(&mut buf).expect("server recv");
                        if r.len == 0 && !r.eor {
                            break; // the client shut down
                        }
                        assert!(r.eor, "a request arrived in pieces");
                        server
                            .send(&buf[..r.len], r.sid.unwrap_or(0), r.ppid.unwrap_or(0))
                            .expect("server send");
                    }
                });
                PingPongInner::Raw {
                    client,
                    server: Some(server),
                    buf: vec![0u8; RAW_RECV_BUF],
                }
            }
            Impl::TokioMulti | Impl::TokioCurrent | Impl::TokioBatch => {
                let rt = imp.runtime();
                let client = rt.block_on(async {
                    let (client, server) = tokio_pair().await;
                    tokio::spawn(async move {
                        // Echo until the association ends.
                        while let Ok((msg, info)) = server.recv().await {
                            let reply = SendInfo::new().stream(info.stream).ppid(info.ppid);
                            if server.send(&msg, &reply).await.is_err() {
                                break;
                            }
                        }
                    });
                    client
                });
                PingPongInner::Tokio {
                    rt,
                    client,
                    info: SendInfo::new().stream(SID).ppid(PPID),
                }
            }
        };
        PingPong { inner, request }
    }
}

impl Case for PingPong {
    fn run(&mut self, n: u64) {
        let size = self.request.len();
        match &mut self.inner {
            PingPongInner::Raw { client, buf, .. } => {
                for _ in 0..n {
                    client.send(&self.request, SID, PPID).expect("client send");
                    let r = client.recv(buf).expect("client recv");
                    assert!(r.eor && r.len == size, "bad reply {r:?}");
                    debug_assert_eq!((r.sid, r.ppid), (Some(SID), Some(PPID)));
                }
            }
            PingPongInner::Tokio { rt, client, info } => {
                let request = &self.request;
                rt.block_on(async {
                    for _ in 0..n {
                        client.send(request, info).await.expect("client send");
                        let (reply, rinfo) = client.recv().await.expect("client recv");
                        assert_eq!(reply.len(), size, "bad reply");
                        debug_assert_eq!((rinfo.stream, rinfo.ppid), (SID, PPID));
                    }
                });
            }
        }
    }
}

impl Drop for PingPong {
    fn drop(&mut self) {
        if let PingPongInner::Raw { client, server, .. } = &mut self.inner {
            let _ = client.shutdown();
            if let Some(t) = server.take() {
                let _ = t.join();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Throughput
// ---------------------------------------------------------------------------------------

/// One-way stream of `size`-byte messages; `run(n)` returns once the receiver has all `n`.
pub struct Throughput {
    inner: ThroughputInner,
    payload: Vec<u8>,
}

type Done = tokio::sync::oneshot::Sender<u64>;

enum ThroughputInner {
    Raw {
        tx: RawSocket,
        cmd: Option<mpsc::Sender<u64>>,
        done: mpsc::Receiver<u64>,
        receiver: Option<JoinHandle<()>>,
    },
    Tokio {
        rt: Runtime,
        tx: SctpStream,
        cmd: tokio::sync::mpsc::UnboundedSender<(u64, Done)>,
        info: SendInfo,
        /// [`Impl::TokioBatch`]: send [`BATCH`] messages per call.
        batch: bool,
    },
}

impl Throughput {
    /// Sets up a connected pair of `imp` with a counting receiver.
    pub fn new(imp: Impl, size: usize) -> Throughput {
        let payload: Vec<u8> = (0..size).map(|i| (i * 7) as u8).collect();
        let inner = match imp {
            Impl::Raw => {
                let (tx, rx) = raw_pair();
                let (cmd, cmd_rx) = mpsc::channel::<u64>();
                let (done_tx, done) = mpsc::channel::<u64>();
                let receiver = std::thread::spawn(move || {
                    let mut buf = vec![0u8; RAW_RECV_BUF];
                    while let Ok(n) = cmd_rx.recv() {
                        for _ in 0..n {
                            let r = rx.recv(&mut buf).expect("receiver recv");
                            assert!(r.eor && r.len == size, "bad message {r:?}");
                        }
                        if done_tx.send(n).is_err() {
                            break;
                        }
                    }
                });
                ThroughputInner::Raw {
                    tx,
                    cmd: Some(cmd),
                    done,
                    receiver: Some(receiver),
                }
            }
            Impl::TokioMulti | Impl::TokioCurrent | Impl::TokioBatch => {
                let batch = imp == Impl::TokioBatch;
                let rt = imp.runtime();
                let (cmd, mut cmd_rx) = tokio::sync::mpsc::unbounded_channel::<(u64, Done)>();
                let tx = rt.block_on(async {
                    let (tx, rx) = tokio_pair().await;
                    tokio::spawn(async move {
                        let mut out = Vec::with_capacity(BATCH);
                        while let Some((n, done)) = cmd_rx.recv().await {
                            if batch {
                                let mut got = 0;
                                while got < n {
                                    out.clear();
                                    let want = BATCH.min((n - got) as usize);
                                    rx.recv_batch(&mut out, want).await.expect("recv_batch");
                                    assert!(
                                        out.iter().all(|(m, _)| m.len() == size),
                                        "bad message"
                                    );
                                    got += out.len() as u64;
                                }
                            } else {
                                for _ in 0..n {
                                    let (msg, _) = rx.recv().await.expect("receiver recv");
                                    assert_eq!(msg.len(), size, "bad message");
                                }
                            }
                            let _ = done.send(n);
                        }
                    });
                    tx
                });
                ThroughputInner::Tokio {
                    rt,
                    tx,
                    cmd,
                    info: SendInfo::new().stream(SID).ppid(PPID),
                    batch,
                }
            }
        };
        Throughput { inner, payload }
    }
}

impl Case for Throughput {
    fn run(&mut self, n: u64) {
        match &mut self.inner {
            ThroughputInner::Raw { tx, cmd, done, .. } => {
                cmd.as_ref()
                    .expect("receiver running")
                    .send(n)
                    .expect("receiver alive");
                for _ in 0..n {
                    tx.send(&self.payload, SID, PPID).expect("send");
                }
                assert_eq!(done.recv().expect("receiver alive"), n);
            }
            ThroughputInner::Tokio {
                rt,
                tx,
                cmd,
                info,
                batch,
            } => {
                let payload = &self.payload;
                let msgs = [(&payload[..], *info); BATCH];
                rt.block_on(async {
                    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
                    cmd.send((n, done_tx)).expect("receiver alive");
                    if *batch {
                        let mut sent = 0;
                        while sent < n {
                            let k = BATCH.min((n - sent) as usize);
                            sent += tx.send_batch(&msgs[..k]).await.expect("send_batch") as u64;
                        }
                    } else {
                        for _ in 0..n {
                            tx.send(payload, info).await.expect("send");
                        }
                    }
                    assert_eq!(done_rx.await.expect("receiver alive"), n);
                });
            }
        }
    }
}

impl Drop for Throughput {
    fn drop(&mut self) {
        if let ThroughputInner::Raw { cmd, receiver, .. } = &mut self.inner {
            drop(cmd.take());
            if let Some(t) = receiver.take() {
                let _ = t.join();
            }
        }
    }
}
