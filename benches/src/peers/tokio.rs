//! tokio-linux-sctp used the way its README shows it: `send(&data, &SendInfo)`, `recv()`,
//! `send_batch`/`recv_batch`, on a `current_thread` runtime (both sides tasks of one thread)
//! or a `multi_thread` runtime with one worker (the client in `block_on` on the main thread,
//! the other side a task on the worker).

use tokio::runtime::Runtime;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpSocket, SctpStream};

use super::{payload, stream_run, Command};
use crate::cases::{configure, nodelay, Impl, BATCH, PPID, SID};
use crate::harness::Case;

/// The runtime of `imp`: `multi_thread` with one worker for [`Impl::TokioMulti`], else
/// `current_thread`.
pub fn runtime(imp: Impl) -> Runtime {
    let rt = match imp {
        Impl::TokioMulti => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_io()
            .build(),
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build(),
    };
    rt.expect("build the tokio runtime")
}

/// A tokio-linux-sctp socket configured like every other case's.
fn socket() -> SctpSocket {
    let s = SctpSocket::new_v4().expect("SCTP socket");
    configure(&s);
    s
}

/// A connected client `SctpStream` and the accepted server stream.
async fn pair() -> (SctpStream, SctpStream) {
    let listener = socket();
    listener
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let listener = listener.listen(16).expect("listen");
    let accept = tokio::spawn(async move { listener.accept().await.expect("accept").0 });
    let client = socket().connect(addr).await.expect("connect");
    let server = accept.await.expect("accept task");
    nodelay(&server);
    (client, server)
}

/// Round trips of a request echoed back by a server task.
pub struct PingPong {
    rt: Runtime,
    client: SctpStream,
    info: SendInfo,
    request: Vec<u8>,
}

impl PingPong {
    /// Sets up a connected pair on the runtime of `imp` with an echo task.
    pub fn new(imp: Impl, size: usize) -> PingPong {
        let rt = runtime(imp);
        let client = rt.block_on(async {
            let (client, server) = pair().await;
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
        PingPong {
            rt,
            client,
            info: SendInfo::new().stream(SID).ppid(PPID),
            request: payload(size),
        }
    }
}

impl Case for PingPong {
    fn run(&mut self, n: u64) {
        let (client, info, request) = (&self.client, &self.info, &self.request);
        self.rt.block_on(async {
            for _ in 0..n {
                client.send(request, info).await.expect("client send");
                let (reply, rinfo) = client.recv().await.expect("client recv");
                assert_eq!(reply.len(), request.len(), "bad reply");
                debug_assert_eq!((rinfo.stream, rinfo.ppid), (SID, PPID));
            }
        });
    }
}

/// One-way messages; `run(n)` returns once the receiving task has all `n`.
pub struct Stream {
    rt: Runtime,
    tx: SctpStream,
    cmd: tokio::sync::mpsc::UnboundedSender<Command>,
    info: SendInfo,
    payload: Vec<u8>,
    /// [`BATCH`] messages per `send_batch` / `recv_batch`.
    batch: bool,
    /// [`Impl::TokioBatchCoop`]: spend one unit of tokio's cooperative budget per
    /// `send_batch`, so the sending task yields to the receiving one every 128 calls.
    coop: bool,
}

impl Stream {
    /// Sets up a connected pair on the runtime of `imp` with a counting receiver task.
    pub fn new(imp: Impl, size: usize, batch: bool) -> Stream {
        let rt = runtime(imp);
        let (cmd, mut cmd_rx) = tokio::sync::mpsc::unbounded_channel::<Command>();
        let tx = rt.block_on(async {
            let (tx, rx) = pair().await;
            tokio::spawn(async move {
                let mut out = Vec::with_capacity(BATCH);
                while let Some((n, done)) = cmd_rx.recv().await {
                    if batch {
                        let mut got = 0;
                        while got < n {
                            out.clear();
                            let want = BATCH.min((n - got) as usize);
                            rx.recv_batch(&mut out, want).await.expect("recv_batch");
                            assert!(out.iter().all(|(m, _)| m.len() == size), "bad message");
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
        Stream {
            rt,
            tx,
            cmd,
            info: SendInfo::new().stream(SID).ppid(PPID),
            payload: payload(size),
            batch,
            coop: imp == Impl::TokioBatchCoop,
        }
    }
}

impl Case for Stream {
    fn run(&mut self, n: u64) {
        let (tx, cmd, info, payload) = (&self.tx, &self.cmd, &self.info, &self.payload);
        let msgs = [(&payload[..], *info); BATCH];
        let (batch, coop) = (self.batch, self.coop);
        self.rt.block_on(stream_run(
            n,
            cmd,
            batch,
            async || {
                tx.send(payload, info).await.expect("send");
            },
            async |k| {
                let sent = tx.send_batch(&msgs[..k]).await.expect("send_batch");
                if coop {
                    tokio::task::coop::consume_budget().await;
                }
                sent
            },
        ));
    }
}
