//! oxirush-sctp 0.1.1 (crates.io), the fastest maintained Rust peer, used as its README shows
//! it: `send(payload, SendOptions)`, `recv()`, and its batching `send_many` (one `sendmmsg`
//! with `MSG_MORE` on all but the last message) / `recv_many` (one `recvmmsg`), on a
//! `current_thread` runtime with both sides tasks of it, as `tokio-ct` and `tokio-batch`.

use oxirush_sctp::{ConnectedSocket, NotificationOrData, SendOptions, Socket, SocketToAssociation};
use tokio::runtime::Runtime;

use super::{payload, stream_run, Command};
use crate::cases::{configure, nodelay, Impl, BATCH, PPID, SID};
use crate::harness::Case;

/// A connected client and the accepted server, with the shared knobs.
async fn pair() -> (ConnectedSocket, ConnectedSocket) {
    let listener = Socket::new_v4(SocketToAssociation::OneToOne).expect("socket");
    configure(&listener);
    listener
        .bind("127.0.0.1:0".parse().expect("address"))
        .expect("bind");
    let listener = listener.listen(16).expect("listen");
    let addr = listener.local_addr().expect("local_addr");
    let accept = tokio::spawn(async move { listener.accept().await.expect("accept").0 });
    let client = Socket::new_v4(SocketToAssociation::OneToOne).expect("socket");
    configure(&client);
    let (client, _) = client.connect(addr).await.expect("connect");
    let server = accept.await.expect("accept task");
    nodelay(&server);
    (client, server)
}

fn options() -> SendOptions {
    SendOptions::new().stream(SID).ppid(PPID)
}

/// The length of a data message, or `None` for a notification.
fn data_len(item: &NotificationOrData) -> Option<usize> {
    match item {
        NotificationOrData::Data(m) => Some(m.payload.len()),
        _ => None,
    }
}

/// Round trips of a request echoed back by a server task.
pub struct PingPong {
    rt: Runtime,
    client: ConnectedSocket,
    request: Vec<u8>,
}

impl PingPong {
    /// Sets up a connected pair with an echo task.
    pub fn new(size: usize) -> PingPong {
        let rt = super::tokio::runtime(Impl::Oxirush);
        let client = rt.block_on(async {
            let (client, server) = pair().await;
            tokio::spawn(async move {
                while let Ok(Some(item)) = server.recv().await {
                    if let NotificationOrData::Data(m) = item {
                        let reply = SendOptions::new()
                            .stream(m.stream_id().unwrap_or(0))
                            .ppid(m.ppid().unwrap_or(0));
                        if server.send(&m.payload, reply).await.is_err() {
                            break;
                        }
                    }
                }
            });
            client
        });
        PingPong {
            rt,
            client,
            request: payload(size),
        }
    }
}

impl Case for PingPong {
    fn run(&mut self, n: u64) {
        let (client, request) = (&self.client, &self.request);
        self.rt.block_on(async {
            for _ in 0..n {
                client.send(request, options()).await.expect("client send");
                // Notifications (none are subscribed) would be skipped.
                while !data_len_ok(client, request.len()).await {}
            }
        });
    }
}

/// Receives one item: `true` for a reply of `len` bytes, `false` for a notification.
async fn data_len_ok(client: &ConnectedSocket, len: usize) -> bool {
    let item = client
        .recv()
        .await
        .expect("client recv")
        .expect("association ended");
    match data_len(&item) {
        Some(l) => {
            assert_eq!(l, len, "bad reply");
            true
        }
        None => false,
    }
}

/// One-way messages; `run(n)` returns once the receiving task has all `n`.
pub struct Stream {
    rt: Runtime,
    tx: ConnectedSocket,
    cmd: tokio::sync::mpsc::UnboundedSender<Command>,
    payload: Vec<u8>,
    /// [`BATCH`] messages per `send_many` / `recv_many`.
    batch: bool,
}

impl Stream {
    /// Sets up a connected pair with a counting receiver task.
    pub fn new(size: usize, batch: bool) -> Stream {
        let rt = super::tokio::runtime(Impl::Oxirush);
        let (cmd, mut cmd_rx) = tokio::sync::mpsc::unbounded_channel::<Command>();
        let tx = rt.block_on(async {
            let (tx, rx) = pair().await;
            tokio::spawn(async move {
                let mut out = Vec::with_capacity(BATCH);
                while let Some((n, done)) = cmd_rx.recv().await {
                    let mut got = 0;
                    while got < n {
                        if batch {
                            out.clear();
                            let want = BATCH.min((n - got) as usize);
                            rx.recv_many(&mut out, want).await.expect("recv_many");
                            for item in &out {
                                if let Some(l) = data_len(item) {
                                    assert_eq!(l, size, "bad message");
                                    got += 1;
                                }
                            }
                        } else {
                            let item = rx.recv().await.expect("recv").expect("association ended");
                            if let Some(l) = data_len(&item) {
                                assert_eq!(l, size, "bad message");
                                got += 1;
                            }
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
            payload: payload(size),
            batch,
        }
    }
}

impl Case for Stream {
    fn run(&mut self, n: u64) {
        let (tx, cmd, payload, batch) = (&self.tx, &self.cmd, &self.payload, self.batch);
        let msgs = [(&payload[..], options()); BATCH];
        self.rt.block_on(stream_run(
            n,
            cmd,
            batch,
            async || {
                tx.send(payload, options()).await.expect("send");
            },
            async |k| tx.send_many(&msgs[..k]).await.expect("send_many"),
        ));
    }
}
