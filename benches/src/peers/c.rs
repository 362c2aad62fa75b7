//! The baseline: C loops over libsctp's `sctp_sendmsg`/`sctp_recvmsg` (`benches/c/libsctp_loops.c`,
//! built by `build.rs`), blocking sockets, one thread per side.
//!
//! The sockets are made and connected by [`RawSocket::pair`] with the same options as every
//! other case; `sb_setup` then subscribes the `SCTP_SNDRCV` cmsg that `sctp_recvmsg` decodes.

use std::os::fd::{AsRawFd, RawFd};

use super::{payload, BlockingPingPong, ReceiverThread, RECV_BUF};
use crate::cases::{buffers, PPID, SID};
use crate::harness::Case;
use crate::raw::RawSocket;

extern "C" {
    fn sb_setup(fd: RawFd) -> libc::c_int;
    fn sb_send_n(fd: RawFd, buf: *const u8, len: usize, n: u64, sid: u16, ppid: u32)
        -> libc::c_int;
    fn sb_recv_n(fd: RawFd, buf: *mut u8, cap: usize, n: u64, len: usize) -> libc::c_int;
    fn sb_echo(fd: RawFd, buf: *mut u8, cap: usize) -> libc::c_int;
    #[allow(clippy::too_many_arguments)]
    fn sb_pingpong(
        fd: RawFd,
        req: *const u8,
        len: usize,
        buf: *mut u8,
        cap: usize,
        n: u64,
        sid: u16,
        ppid: u32,
    ) -> libc::c_int;
}

fn check(what: &str, ret: libc::c_int) {
    assert!(
        ret == 0,
        "{what}: {}",
        std::io::Error::from_raw_os_error(-ret)
    );
}

fn pair() -> (RawSocket, RawSocket) {
    let (client, server) = RawSocket::pair(buffers()).expect("connected pair");
    for s in [&client, &server] {
        // SAFETY: sb_setup only calls setsockopt on the descriptor, which `s` keeps open.
        check("sb_setup", unsafe { sb_setup(s.as_raw_fd()) });
    }
    (client, server)
}

/// One-way messages: `sctp_sendmsg` on the calling thread, `sctp_recvmsg` on a receiver thread.
#[derive(Debug)]
pub struct Stream {
    tx: RawSocket,
    payload: Vec<u8>,
    receiver: ReceiverThread,
}

impl Stream {
    /// Sets up a connected pair with a receiver thread for `size`-byte messages.
    pub fn new(size: usize) -> Stream {
        let (tx, rx) = pair();
        let mut buf = vec![0u8; RECV_BUF];
        let receiver = ReceiverThread::spawn(move |n| {
            // SAFETY: `buf` is writable for its length; `rx` is open for the call.
            let ret = unsafe { sb_recv_n(rx.as_raw_fd(), buf.as_mut_ptr(), buf.len(), n, size) };
            check("sb_recv_n", ret);
        });
        Stream {
            tx,
            payload: payload(size),
            receiver,
        }
    }
}

impl Case for Stream {
    fn run(&mut self, n: u64) {
        self.receiver.start(n);
        let p = &self.payload;
        // SAFETY: `p` is readable for its length; the socket is open for the call.
        let ret = unsafe { sb_send_n(self.tx.as_raw_fd(), p.as_ptr(), p.len(), n, SID, PPID) };
        check("sb_send_n", ret);
        self.receiver.wait(n);
    }
}

/// Round trips: the client's `sctp_sendmsg` + `sctp_recvmsg` on the calling thread, an echo
/// server (`sctp_recvmsg` + `sctp_sendmsg`) on its own, for `size`-byte requests.
pub fn ping_pong(size: usize) -> BlockingPingPong {
    BlockingPingPong::new(
        pair(),
        size,
        |server| {
            let mut buf = vec![0u8; RECV_BUF];
            // SAFETY: `buf` is writable for its length; `server` is open for the call.
            let ret = unsafe { sb_echo(server.as_raw_fd(), buf.as_mut_ptr(), buf.len()) };
            check("sb_echo", ret);
        },
        |client, request, buf, n| {
            // SAFETY: `request` is readable and `buf` writable for their lengths; the socket
            // is open for the call.
            let ret = unsafe {
                sb_pingpong(
                    client.as_raw_fd(),
                    request.as_ptr(),
                    request.len(),
                    buf.as_mut_ptr(),
                    buf.len(),
                    n,
                    SID,
                    PPID,
                )
            };
            check("sb_pingpong", ret);
        },
    )
}
