//! tokio-linux-sctp's one-to-many `SctpEndpoint` with many active associations: messages from
//! [`ASSOCS`] one-to-one clients to one endpoint (`recv`, fan-in), and from the endpoint to
//! them (`send` with `SendInfo::assoc_id`, fan-out), round robin, on one `current_thread`
//! runtime; and the resident memory of an endpoint holding 1,000 associations.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::runtime::Runtime;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpEndpoint, SctpSocket, SctpStream};

use super::payload;
use crate::cases::{configure, nodelay, Impl, PPID, SID};
use crate::harness::Case;

/// Active associations of the fan-in and fan-out cases.
pub const ASSOCS: usize = 100;

/// A one-to-many endpoint on `127.0.0.1` with the shared knobs, listening.
pub fn endpoint() -> SctpEndpoint {
    let s = SctpSocket::new_v4_one_to_many().expect("one-to-many socket");
    configure(&s);
    s.bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let ep = s.into_endpoint().expect("endpoint");
    ep.listen(1024).expect("listen");
    ep
}

/// An endpoint with [`ASSOCS`] connected client streams; each client has sent one message,
/// so the endpoint knows every association id (in the clients' order).
async fn star(size: usize) -> (SctpEndpoint, Vec<SctpStream>, Vec<i32>) {
    let ep = endpoint();
    let addr = ep.local_addr().expect("local_addr");
    let mut clients = Vec::with_capacity(ASSOCS);
    let mut ids = Vec::with_capacity(ASSOCS);
    let data = payload(size);
    for _ in 0..ASSOCS {
        let s = SctpSocket::new_v4().expect("socket");
        s.set_nodelay(true).expect("SCTP_NODELAY");
        let c = s.connect(addr).await.expect("connect");
        c.send(&data, &SendInfo::new().stream(SID).ppid(PPID))
            .await
            .expect("hello");
        let (_, info) = ep.recv().await.expect("hello at the endpoint");
        ids.push(info.assoc_id);
        nodelay(&c);
        clients.push(c);
    }
    (ep, clients, ids)
}

/// Messages from [`ASSOCS`] clients (round robin) to one endpoint's `recv`.
pub struct FanIn {
    rt: Runtime,
    clients: Vec<SctpStream>,
    cmd: tokio::sync::mpsc::UnboundedSender<(u64, tokio::sync::oneshot::Sender<u64>)>,
    payload: Vec<u8>,
    next: usize,
}

impl FanIn {
    /// Sets up the endpoint, its clients and the receiving task.
    pub fn new(size: usize) -> FanIn {
        let rt = super::tokio::runtime(Impl::TokioEndpoint);
        let (cmd, mut cmd_rx) =
            tokio::sync::mpsc::unbounded_channel::<(u64, tokio::sync::oneshot::Sender<u64>)>();
        let clients = rt.block_on(async {
            let (ep, clients, _) = star(size).await;
            tokio::spawn(async move {
                while let Some((n, done)) = cmd_rx.recv().await {
                    for _ in 0..n {
                        let (msg, _) = ep.recv().await.expect("endpoint recv");
                        assert_eq!(msg.len(), size, "bad message");
                    }
                    let _ = done.send(n);
                }
            });
            clients
        });
        FanIn {
            rt,
            clients,
            cmd,
            payload: payload(size),
            next: 0,
        }
    }
}

impl Case for FanIn {
    fn run(&mut self, n: u64) {
        let info = SendInfo::new().stream(SID).ppid(PPID);
        let (clients, cmd, payload, next) =
            (&self.clients, &self.cmd, &self.payload, &mut self.next);
        self.rt.block_on(async {
            let (done_tx, done_rx) = tokio::sync::oneshot::channel();
            cmd.send((n, done_tx)).expect("receiver alive");
            for _ in 0..n {
                clients[*next]
                    .send(payload, &info)
                    .await
                    .expect("client send");
                *next = (*next + 1) % clients.len();
            }
            assert_eq!(done_rx.await.expect("receiver alive"), n);
        });
    }
}

/// Messages from one endpoint's `send` to [`ASSOCS`] associations (round robin), each
/// client stream read by its own task.
pub struct FanOut {
    rt: Runtime,
    ep: SctpEndpoint,
    ids: Vec<i32>,
    received: Arc<(AtomicU64, tokio::sync::Notify)>,
    payload: Vec<u8>,
    next: usize,
    total: u64,
}

impl FanOut {
    /// Sets up the endpoint, its clients and one receiving task per client.
    pub fn new(size: usize) -> FanOut {
        let rt = super::tokio::runtime(Impl::TokioEndpoint);
        let received = Arc::new((AtomicU64::new(0), tokio::sync::Notify::new()));
        let (ep, ids) = rt.block_on(async {
            let (ep, clients, ids) = star(size).await;
            for c in clients {
                let received = received.clone();
                tokio::spawn(async move {
                    while let Ok((msg, _)) = c.recv().await {
                        assert_eq!(msg.len(), size, "bad message");
                        received.0.fetch_add(1, Ordering::Relaxed);
                        received.1.notify_one();
                    }
                });
            }
            (ep, ids)
        });
        FanOut {
            rt,
            ep,
            ids,
            received,
            payload: payload(size),
            next: 0,
            total: 0,
        }
    }
}

impl Case for FanOut {
    fn run(&mut self, n: u64) {
        self.total += n;
        let (ep, ids, received, payload, next, total) = (
            &self.ep,
            &self.ids,
            &self.received,
            &self.payload,
            &mut self.next,
            self.total,
        );
        self.rt.block_on(async {
            for _ in 0..n {
                let info = SendInfo::new().stream(SID).ppid(PPID).assoc_id(ids[*next]);
                ep.send(payload, &info).await.expect("endpoint send");
                *next = (*next + 1) % ids.len();
            }
            while received.0.load(Ordering::Relaxed) < total {
                received.1.notified().await;
            }
        });
    }
}

/// Resident memory of the process (`VmRSS` in `/proc/self/status`), in KiB.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Raises the soft open-file limit to the hard one (1,000 client sockets need more than the
/// usual 1,024 with the runtime's descriptors).
pub fn raise_nofile() {
    // SAFETY: rlimit is plain data; getrlimit/setrlimit read or write exactly one.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}
