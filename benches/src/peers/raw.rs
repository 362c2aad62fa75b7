//! The raw-libc cases: blocking sockets, one thread per side, `sendmsg`/`recvmsg` with
//! `SCTP_SNDINFO`/`SCTP_RCVINFO` written by hand ([`crate::raw`]), and the batch prototypes:
//! `sendmmsg`/`recvmmsg` of [`BATCH`], with or without `MSG_MORE`.

use super::{payload, BlockingPingPong, ReceiverThread, RECV_BUF};
use crate::cases::{buffers, BATCH, PPID, SID};
use crate::harness::Case;
use crate::raw::{RawSocket, RecvSlots};

/// One-way messages: the calling thread sends, a receiver thread receives.
#[derive(Debug)]
pub struct Stream {
    tx: RawSocket,
    payload: Vec<u8>,
    /// `None`: one `sendmsg` per message; `Some(more)`: [`BATCH`] per `sendmmsg`, `MSG_MORE`
    /// on all but the last when `more`.
    batch: Option<bool>,
    receiver: ReceiverThread,
}

impl Stream {
    /// Sets up a connected pair with a receiver thread (receiving with `recvmmsg` of
    /// [`BATCH`] when `batch` is set).
    pub fn new(size: usize, batch: Option<bool>) -> Stream {
        let (tx, rx) = RawSocket::pair(buffers()).expect("raw pair");
        let receiver = if batch.is_some() {
            let mut slots = RecvSlots::new(BATCH, size.max(1));
            ReceiverThread::spawn(move |n| {
                let mut got = 0;
                while got < n {
                    got += rx.recv_many(&mut slots, size).expect("recvmmsg") as u64;
                }
                assert_eq!(got, n, "more messages than sent");
            })
        } else {
            let mut buf = vec![0u8; RECV_BUF];
            ReceiverThread::spawn(move |n| {
                for _ in 0..n {
                    let r = rx.recv(&mut buf).expect("receiver recv");
                    assert!(r.eor && r.len == size, "bad message {r:?}");
                }
            })
        };
        Stream {
            tx,
            payload: payload(size),
            batch,
            receiver,
        }
    }
}

impl Case for Stream {
    fn run(&mut self, n: u64) {
        self.receiver.start(n);
        match self.batch {
            None => {
                for _ in 0..n {
                    self.tx.send(&self.payload, SID, PPID).expect("send");
                }
            }
            Some(more) => {
                let mut sent = 0;
                while sent < n {
                    let k = BATCH.min((n - sent) as usize);
                    self.tx
                        .send_many(&self.payload, SID, PPID, k, more)
                        .expect("sendmmsg");
                    sent += k as u64;
                }
            }
        }
        self.receiver.wait(n);
    }
}

/// Round trips of a `size`-byte request echoed back by a server thread.
pub fn ping_pong(size: usize) -> BlockingPingPong {
    BlockingPingPong::new(
        RawSocket::pair(buffers()).expect("raw pair"),
        size,
        |server| {
            let mut buf = vec![0u8; RECV_BUF];
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
        },
        |client, request, buf, n| {
            for _ in 0..n {
                client.send(request, SID, PPID).expect("client send");
                let r = client.recv(buf).expect("client recv");
                assert!(r.eor && r.len == request.len(), "bad reply {r:?}");
                debug_assert_eq!((r.sid, r.ppid), (Some(SID), Some(PPID)));
            }
        },
    )
}
