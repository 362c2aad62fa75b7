//! One module per compared implementation (see [`crate::cases`]), plus the receiver thread the
//! blocking ones share.

pub mod c;
pub mod endpoint;
pub mod oxirush;
pub mod raw;
pub mod tokio;

use std::sync::mpsc;
use std::thread::JoinHandle;

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

/// `size` bytes of a recognisable pattern.
pub fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7) as u8).collect()
}
