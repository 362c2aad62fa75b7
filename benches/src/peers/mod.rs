//! One module per compared implementation (see [`crate::cases`]), plus the receiver thread the
//! blocking ones share.

pub mod c;
pub mod endpoint;
pub mod oxirush;
pub mod raw;
pub mod tokio;

use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::harness::Case;
use crate::raw::RawSocket;

/// Receive buffer of the blocking cases: larger than any benchmarked message.
pub const RECV_BUF: usize = 64 << 10;

/// A thread that receives `n` messages each time it is told to, then says so: the receiving
/// side of the blocking stream cases.
#[derive(Debug)]
pub struct ReceiverThread {
    cmd: Option<mpsc::Sender<u64>>,
    done: mpsc::Receiver<u64>,
    thread: Option<JoinHandle<()>>,
}

impl ReceiverThread {
    /// Spawns the thread; `receive(n)` receives `n` messages (and panics on a bad one).
    pub fn spawn(mut receive: impl FnMut(u64) + Send + 'static) -> ReceiverThread {
        let (cmd, cmd_rx) = mpsc::channel::<u64>();
        let (done_tx, done) = mpsc::channel::<u64>();
        let thread = std::thread::spawn(move || {
            while let Ok(n) = cmd_rx.recv() {
                receive(n);
                if done_tx.send(n).is_err() {
                    break;
                }
            }
        });
        ReceiverThread {
            cmd: Some(cmd),
            done,
            thread: Some(thread),
        }
    }

    /// Tells the thread to receive `n` messages.
    ///
    /// # Panics
    ///
    /// When the thread has died.
    pub fn start(&self, n: u64) {
        self.cmd
            .as_ref()
            .expect("receiver running")
            .send(n)
            .expect("receiver alive");
    }

    /// Waits until the thread has received the `n` messages of [`start`](Self::start).
    ///
    /// # Panics
    ///
    /// When the thread died or reports another count.
    pub fn wait(&self, n: u64) {
        assert_eq!(self.done.recv().expect("receiver alive"), n);
    }
}

impl Drop for ReceiverThread {
    fn drop(&mut self) {
        drop(self.cmd.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Ping-pong of the blocking cases: a client socket driven on the calling thread by
/// `round_trips(client, request, buf, n)`, and a thread running `echo(server)` until the client
/// shuts down. Dropping it shuts the client down and joins the thread.
#[derive(Debug)]
pub struct BlockingPingPong {
    client: RawSocket,
    server: Option<JoinHandle<()>>,
    request: Vec<u8>,
    buf: Vec<u8>,
    round_trips: fn(&RawSocket, &[u8], &mut [u8], u64),
}

impl BlockingPingPong {
    /// Starts the echo thread on `server`; requests are `size` bytes.
    pub fn new(
        (client, server): (RawSocket, RawSocket),
        size: usize,
        echo: impl FnOnce(RawSocket) + Send + 'static,
        round_trips: fn(&RawSocket, &[u8], &mut [u8], u64),
    ) -> BlockingPingPong {
        BlockingPingPong {
            client,
            server: Some(std::thread::spawn(move || echo(server))),
            request: payload(size),
            buf: vec![0u8; RECV_BUF],
            round_trips,
        }
    }
}

impl Case for BlockingPingPong {
    fn run(&mut self, n: u64) {
        (self.round_trips)(&self.client, &self.request, &mut self.buf, n);
    }
}

impl Drop for BlockingPingPong {
    fn drop(&mut self) {
        let _ = self.client.shutdown();
        if let Some(t) = self.server.take() {
            let _ = t.join();
        }
    }
}

/// What the receiving task of an async stream case is told: receive this many messages, then
/// answer on the channel.
pub type Command = (u64, ::tokio::sync::oneshot::Sender<u64>);

/// One `run(n)` of an async stream case: tells the receiving task to expect `n` messages,
/// sends them, one `send_one()` each, or with `batch` [`BATCH`](crate::cases::BATCH) at a
/// time through `send_batch(k)` (which returns how many of the `k` went), and waits until the
/// receiver has them all.
///
/// # Panics
///
/// When the receiving task has ended or reports another count.
pub async fn stream_run(
    n: u64,
    cmd: &::tokio::sync::mpsc::UnboundedSender<Command>,
    batch: bool,
    mut send_one: impl AsyncFnMut(),
    mut send_batch: impl AsyncFnMut(usize) -> usize,
) {
    let (done_tx, done_rx) = ::tokio::sync::oneshot::channel();
    cmd.send((n, done_tx)).expect("receiver alive");
    if batch {
        let mut sent = 0;
        while sent < n {
            let k = crate::cases::BATCH.min((n - sent) as usize);
            sent += send_batch(k).await as u64;
        }
    } else {
        for _ in 0..n {
            send_one().await;
        }
    }
    assert_eq!(done_rx.await.expect("receiver alive"), n);
}

/// `size` bytes of a recognisable pattern.
pub fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7) as u8).collect()
}
