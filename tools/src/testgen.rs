//! What sctp_test and sctp_status share (sctp_status is a cut-down copy of sctp_test in the C
//! package): the test message, the size table, the order and stream patterns, debug-level
//! printing, and the steps that print what they do (`socket`, `bind` with its retries,
//! `sendmsg`, `close`).

use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};
use std::time::Duration;

use linux_sctp_sys::sctp_sndrcvinfo;
use socket2::Socket;

use crate::cli::{strerror, Exit};
use crate::crand::CRand;
use crate::show::{DEBUG_MAX, DEBUG_MIN};
use crate::sock;

/// Messages per round (`MSG_CNT`, the `-X` maximum).
pub const MSG_CNT: usize = 10;
/// Fixed-size test cases (`-c 0` .. `-c 5`; `-c 6` is random sizes).
pub const NCASES: i32 = 6;
/// Rounds by default (`-x`).
pub const REPEAT: i32 = 10;
/// Rounds for `-x 0` ("forever").
pub const BIG_REPEAT: i32 = 1_000_000;
/// The largest random size by default, and the receive window above which the receiver
/// raises `SO_RCVBUF` (`-m`).
pub const DEFAULT_MAX_WINDOW: i32 = 32768;
/// `bind` attempts while the address is in use.
pub const MAX_BIND_RETRYS: u32 = 10;

/// The message sizes of the fixed test cases.
pub const MSG_SIZES: [[i32; MSG_CNT]; NCASES as usize] = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1452, 2904, 4356, 1452, 2904, 4356, 1452, 2904, 4356, 1452],
    [1453, 1453, 1453, 1453, 1453, 1453, 1453, 1453, 1453, 1453],
    [1, 1453, 32768, 1, 1453, 32768, 1, 1453, 32768, 1],
    [1, 1000, 2000, 3000, 5000, 10000, 15000, 20000, 25000, 32768],
    [
        32768, 32768, 32768, 32768, 32768, 32768, 32768, 32768, 32768, 32768,
    ],
];

/// The test message of `len` bytes (`build_msg`): the digits `0123456789` over and over in
/// blocks of 50, the last byte NUL.
pub fn build_msg(len: usize) -> Vec<u8> {
    const DIGITS: &[u8; 50] = b"01234567890123456789012345678901234567890123456789";
    let mut out = Vec::with_capacity(len);
    while out.len() + 1 < len {
        let n = (len - 1 - out.len()).min(50);
        out.extend_from_slice(&DIGITS[..n]);
    }
    if len > 0 {
        out.push(0);
    }
    out
}

/// Prints at a debug level (`DEBUG_PRINT`): text shown when the level is at least `level`,
/// flushed at once.
#[derive(Clone, Copy, Debug)]
pub struct Debug(pub i32);

impl Debug {
    /// Prints `text` if the debug level is at least `level`.
    pub fn print(self, level: i32, text: impl AsRef<str>) {
        if self.0 >= level {
            crate::show::out(text);
        }
    }
}

/// The message order pattern (`-o`): 0 all unordered, 1 ordered, 2 alternating, 3 random;
/// returns 1 for ordered.
pub fn next_order(state: i32, pattern: i32, rng: &mut CRand) -> i32 {
    match pattern {
        0 => 0,
        1 => 1,
        2 => i32::from(state == 0),
        3 => rng.rand() % 2,
        _ => state,
    }
}

/// The sequential stream pattern: `state + 1`, back to 0 at `max_stream`.
pub fn next_stream_sequential(state: i32, max_stream: i32) -> i32 {
    let s = state + 1;
    if s >= max_stream {
        0
    } else {
        s
    }
}

/// `remote:addr=127.0.0.1, port=x11, family=2` (the `getnameinfo` line at debug level 2).
pub fn endpoint_line(which: &str, addr: &SocketAddr) -> String {
    let (host, serv) = crate::addr::name_info(addr);
    format!(
        "{which}:addr={host}, port={serv}, family={}\n",
        crate::addr::family(addr)
    )
}

/// `socket_r`'s first half: prints the call, opens the socket (`\tsocket(SOCK_SEQPACKET,
/// IPPROTO_SCTP)  ->  sk=3`).
///
/// # Errors
///
/// `socket: failed to create socket: <reason>`.
pub fn open_socket(debug: Debug, local: &SocketAddr, style: sock::Style) -> Result<Socket, Exit> {
    debug.print(
        DEBUG_MIN,
        format!("\tsocket({}, IPPROTO_SCTP)", style.name()),
    );
    let s = sock::open(local, style)
        .map_err(|e| Exit::fail(format!("socket: failed to create socket: {}", strerror(&e))))?;
    debug.print(DEBUG_MIN, format!("  ->  sk={}\n", s.as_raw_fd()));
    Ok(s)
}

/// `bind_r`: binds `local`, waiting a second and trying again (ten attempts in all, the C
/// tool's count) while the address is in use.
///
/// # Errors
///
/// `bind: can not bind to <addr>: <reason>`, or the address still in use after the last
/// attempt.
pub fn bind_retrying(debug: Debug, s: &Socket, local: &SocketAddr) -> Result<(), Exit> {
    let (host, serv) = crate::addr::name_info(local);
    for attempt in 1..=MAX_BIND_RETRYS {
        if attempt > 1 {
            std::thread::sleep(Duration::from_secs(1));
        }
        debug.print(
            DEBUG_MIN,
            format!(
                "\tbind(sk={}, [a:{host},p:{serv}])  --  attempt {attempt}/{MAX_BIND_RETRYS}\n",
                s.as_raw_fd()
            ),
        );
        match s.bind(&(*local).into()) {
            Ok(()) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EADDRINUSE) => continue,
            Err(e) => {
                return Err(Exit::fail(format!(
                    "bind: can not bind to {host}:{serv}: {}",
                    strerror(&e)
                )))
            }
        }
    }
    Err(Exit::fail(format!(
        "bind: {host}:{serv} still in use after {MAX_BIND_RETRYS} attempts (Maximum bind() \
         attempts. Die now...)"
    )))
}

/// `listen_r`: prints `\tlisten(sk=N,backlog=B)` and listens.
///
/// # Errors
///
/// `listen: <reason>`.
pub fn listen(debug: Debug, s: &Socket, backlog: i32) -> Result<(), Exit> {
    debug.print(
        DEBUG_MIN,
        format!("\tlisten(sk={},backlog={backlog})\n", s.as_raw_fd()),
    );
    s.listen(backlog)
        .map_err(|e| Exit::fail(format!("listen: {}", strerror(&e))))
}

/// `connect_r`: prints `\tconnect(sk=N)` and connects to `to` (`None`: no `-p`).
///
/// # Errors
///
/// `connect: <reason>`, or a missing remote port.
pub fn connect(debug: Debug, s: &Socket, to: Option<SocketAddr>) -> Result<(), Exit> {
    debug.print(DEBUG_MIN, format!("\tconnect(sk={})\n", s.as_raw_fd()));
    let to = to.ok_or_else(|| Exit::usage("connect: no remote port (-p remote-port)"))?;
    s.connect(&to.into())
        .map_err(|e| Exit::fail(format!("connect: {}", strerror(&e))))
}

/// `accept_r`: prints `\taccept(sk=N)` and accepts an association.
///
/// # Errors
///
/// `accept: <reason>`.
pub fn accept(debug: Debug, s: &Socket) -> Result<Socket, Exit> {
    debug.print(DEBUG_MIN, format!("\taccept(sk={})\n", s.as_raw_fd()));
    s.accept()
        .map(|(a, _)| a)
        .map_err(|e| Exit::fail(format!("accept: {}", strerror(&e))))
}

/// One test message as `send_r` sends it: its `SCTP_SNDRCV` parameters.
#[derive(Clone, Copy, Debug)]
pub struct TestSend {
    /// Stream.
    pub stream: u16,
    /// 1 ordered, 0 unordered.
    pub ordered: bool,
    /// Message size (the last byte is a NUL).
    pub size: usize,
    /// PPID (`rand()`), sent as is.
    pub ppid: u32,
    /// `sinfo_timetolive` (`-O`).
    pub ttl: u32,
}

impl TestSend {
    /// The `SCTP_SNDRCV` control message.
    pub fn sndrcv(&self) -> sctp_sndrcvinfo {
        sctp_sndrcvinfo {
            sinfo_stream: self.stream,
            sinfo_flags: if self.ordered {
                0
            } else {
                linux_sctp_sys::SCTP_UNORDERED
            },
            sinfo_ppid: self.ppid,
            sinfo_timetolive: self.ttl,
            ..Default::default()
        }
    }

    /// What `send_r` prints before sending (`close_paren`: sctp_status's variant ends its
    /// SNDRCV line with `)`).
    pub fn describe(&self, debug: Debug, sk: i32, assoc_i: usize, close_paren: bool) -> String {
        let mut s = String::new();
        if debug.0 >= DEBUG_MIN {
            s += &format!(
                "\tsendmsg(sk={sk}, assoc={assoc_i}) {:4} bytes.\n",
                self.size
            );
        }
        if debug.0 >= DEBUG_MAX {
            s += &format!(
                "\t  SNDRCV(stream={} flags=0x{:x} ppid={}{}\n",
                self.stream,
                self.sndrcv().sinfo_flags,
                self.ppid,
                if close_paren { ")" } else { "" }
            );
        }
        s
    }
}

/// Sends one test message to `to` with `SCTP_SNDRCV`, as `send_r` does.
///
/// # Errors
///
/// The kernel's error, with what was being sent; a stream beyond the association's count is
/// named as such.
pub fn send_test(s: &Socket, to: Option<&SocketAddr>, m: &TestSend) -> Result<(), Exit> {
    let msg = build_msg(m.size);
    match sock::send(s.as_fd(), &msg, to, Some(m.sndrcv()), libc::MSG_WAITALL) {
        Ok(n) if n == msg.len() => Ok(()),
        Ok(n) => Err(Exit::fail(format!(
            "sendmsg: sent {n} of {} bytes",
            msg.len()
        ))),
        Err(e) => Err(send_error(s, m.stream, &e)),
    }
}

/// A failed send, explained: `EINVAL` on a stream the association does not have says so.
pub fn send_error(s: &Socket, stream: u16, e: &std::io::Error) -> Exit {
    if e.raw_os_error() == Some(libc::EINVAL) {
        if let Ok(st) = sock::status(s.as_fd(), 0) {
            if stream >= st.outbound_streams {
                return Exit::fail(format!(
                    "sendmsg: {} (stream {stream} is beyond the association's {} outbound \
                     streams)",
                    strerror(e),
                    st.outbound_streams
                ));
            }
        }
    }
    Exit::fail(format!("sendmsg: {}", strerror(e)))
}

/// `close_r`: prints `\tclose(sk=N)` and closes.
pub fn close(debug: Debug, s: Socket) {
    debug.print(DEBUG_MIN, format!("\tclose(sk={})\n", s.as_raw_fd()));
    drop(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_msg_is_digits_in_blocks_of_fifty_and_a_nul() {
        assert_eq!(build_msg(1), b"\0");
        assert_eq!(build_msg(3), b"01\0");
        let m = build_msg(120);
        assert_eq!(m.len(), 120);
        assert_eq!(&m[48..52], b"8901");
        assert_eq!(&m[98..102], b"8901");
        assert_eq!(m[119], 0);
        assert!(build_msg(0).is_empty());
    }

    #[test]
    fn patterns() {
        let mut r = CRand::new(1);
        assert_eq!(next_order(0, 2, &mut r), 1);
        assert_eq!(next_order(1, 2, &mut r), 0);
        assert_eq!(next_order(0, 1, &mut r), 1);
        assert_eq!(next_stream_sequential(0, 3), 1);
        assert_eq!(next_stream_sequential(2, 3), 0);
        assert_eq!(next_stream_sequential(0, 0), 0);
    }
}
