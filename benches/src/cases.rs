//! The compared implementations, the scenarios they run, and the knobs they share.
//!
//! | key | implementation | ping-pong, stream | batch |
//! |---|---|---|---|
//! | `c` | C with libsctp (`sctp_sendmsg`/`sctp_recvmsg`), blocking, one thread per side: **the baseline** | ✓ | ✓ (one message per call) |
//! | `raw` | raw libc `sendmsg`/`recvmsg` with `SCTP_SNDINFO`/`SCTP_RCVINFO`, blocking, one thread per side | ✓ | |
//! | `raw-mmsg` | raw libc `sendmmsg`/`recvmmsg` of [`BATCH`], blocking, one thread per side | | ✓ |
//! | `raw-mmsg-more` | as `raw-mmsg`, `MSG_MORE` on all but the last message of a batch | | ✓ |
//! | `oxirush` | oxirush-sctp `send`/`recv`, `current_thread` | ✓ | |
//! | `oxirush-batch` | oxirush-sctp `send_many`/`recv_many` of [`BATCH`] (`MSG_MORE`), `current_thread` | | ✓ |
//! | `tokio-mt` | tokio-linux-sctp `send`/`recv`, `multi_thread` runtime with one worker | ✓ | |
//! | `tokio-ct` | tokio-linux-sctp `send`/`recv`, both sides tasks of one `current_thread` runtime | ✓ | |
//! | `tokio-batch` | tokio-linux-sctp `send_batch`/`recv_batch` of [`BATCH`], `current_thread` | | ✓ |
//! | `tokio-batch-coop` | prototype: as `tokio-batch`, the sender also spends tokio's cooperative budget per call (`coop::consume_budget`) | | ✓ |
//! | `tokio-endpoint` | tokio-linux-sctp `SctpEndpoint` with 100 associations (fan-in: `recv`, fan-out: `send`) | | |
//!
//! The fan-in and fan-out tables compare `tokio-endpoint` with `c` and `tokio-ct` on one
//! one-to-one association (their stream case).
//!
//! Every socket of every case gets `SO_SNDBUF` [`SNDBUF`], a receive buffer of [`RCVBUF`] and
//! `SCTP_NODELAY` (`BENCH_SNDBUF`/`BENCH_RCVBUF` change both for all cases at once).

use std::os::fd::AsFd;

use linux_sctp_sys::sockopt;

use crate::harness::Case;
use crate::peers;

/// Default requested `SO_SNDBUF` (the kernel doubles it, capped by `net.core.wmem_max`).
pub const SNDBUF: usize = 256 << 10;

/// Default requested receive buffer, set with `SO_RCVBUFFORCE` where allowed (see
/// [`force_rcvbuf`](crate::raw::force_rcvbuf)); the kernel doubles it.
///
/// It is larger than the send buffer on purpose: a receiver that lags behind a bursting
/// sender (every single-threaded runtime does: the receiving task runs only once the sender
/// meets `EAGAIN`) otherwise overflows its buffer before its window is used up (the kernel
/// charges each queued message its payload plus about 250 bytes of `sk_buff`, but advertises
/// half the buffer as window counted in payload bytes), drops DATA chunks
/// (`SctpInDataChunkDiscards`) and the sender stalls in 1-second retransmission timeouts.
/// `benches/README.md` ("Why 64-byte batches stalled") has the measurements.
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
    let (listener, _) = crate::raw::RawSocket::listen(buffers())?;
    listener.buffer_sizes()
}

/// Applies the shared knobs to a socket made by another crate: `SO_SNDBUF`, the forced
/// receive buffer and `SCTP_NODELAY`.
///
/// # Panics
///
/// When a `setsockopt` fails.
pub fn configure(fd: impl AsFd) {
    let (snd, rcv) = buffers();
    let snd = libc::c_int::try_from(snd).unwrap_or(libc::c_int::MAX);
    sockopt::set(fd.as_fd(), sockopt::SO_SNDBUF, &snd).expect("SO_SNDBUF");
    crate::raw::force_rcvbuf(fd.as_fd(), rcv).expect("SO_RCVBUFFORCE");
    nodelay(fd);
}

/// Turns `SCTP_NODELAY` on (accepted sockets: whatever the kernel inherited).
///
/// # Panics
///
/// When the `setsockopt` fails.
pub fn nodelay(fd: impl AsFd) {
    sockopt::set(fd.as_fd(), sockopt::SCTP_NODELAY, &1).expect("SCTP_NODELAY");
}

/// Stream id of every message.
pub const SID: u16 = 1;

/// PPID of every message (host order).
pub const PPID: u32 = 0x5354_5042; // "STPB"

/// Messages per batch call of the batch cases.
pub const BATCH: usize = 32;

/// What a case does with its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Request/response round trips; an operation is one round trip.
    PingPong,
    /// One-way messages, one per call; an operation is one message.
    Stream,
    /// One-way messages, [`BATCH`] per call where the case batches; an operation is one
    /// message.
    Batch,
    /// One-way messages from 100 associations to one one-to-many endpoint's `recv` (the
    /// one-to-one cases run their stream); an operation is one message.
    FanIn,
    /// One-way messages from one one-to-many endpoint's `send` to 100 associations; an
    /// operation is one message.
    FanOut,
}

impl Scenario {
    /// Command-line name (`--scenario NAME`).
    pub fn key(self) -> &'static str {
        match self {
            Scenario::PingPong => "pingpong",
            Scenario::Stream => "stream",
            Scenario::Batch => "batch",
            Scenario::FanIn => "fan-in",
            Scenario::FanOut => "fan-out",
        }
    }

    /// Parses a [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Scenario> {
        [
            Scenario::PingPong,
            Scenario::Stream,
            Scenario::Batch,
            Scenario::FanIn,
            Scenario::FanOut,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

    /// The implementations this scenario compares, baseline first.
    pub fn implementations(self) -> &'static [Impl] {
        match self {
            Scenario::PingPong | Scenario::Stream => &[
                Impl::C,
                Impl::Raw,
                Impl::Oxirush,
                Impl::TokioMulti,
                Impl::TokioCurrent,
            ],
            Scenario::Batch => &[
                Impl::C,
                Impl::RawMmsg,
                Impl::RawMmsgMore,
                Impl::OxirushBatch,
                Impl::TokioBatch,
                Impl::TokioBatchCoop,
            ],
            Scenario::FanIn | Scenario::FanOut => {
                &[Impl::C, Impl::TokioCurrent, Impl::TokioEndpoint]
            }
        }
    }

    /// [`implementations`](Self::implementations), or those of them named in `BENCH_CASES`
    /// (comma-separated keys; the baseline is always included, first).
    ///
    /// # Panics
    ///
    /// On an unknown key in `BENCH_CASES`.
    pub fn selected(self) -> Vec<Impl> {
        let all = self.implementations();
        match std::env::var("BENCH_CASES") {
            Ok(list) => {
                let mut v = vec![Impl::C];
                for key in list.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    let imp = Impl::from_key(key).unwrap_or_else(|| {
                        let keys: Vec<_> = Impl::ALL.iter().map(|i| i.key()).collect();
                        panic!("BENCH_CASES: unknown case {key:?} ({})", keys.join(", "))
                    });
                    if all.contains(&imp) && !v.contains(&imp) {
                        v.push(imp);
                    }
                }
                v
            }
            Err(_) => all.to_vec(),
        }
    }
}

/// The implementations compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impl {
    /// C with libsctp, blocking, one thread per side: the baseline.
    C,
    /// Raw libc `sendmsg`/`recvmsg`, blocking, one thread per side.
    Raw,
    /// Raw libc `sendmmsg`/`recvmmsg`, blocking (batch only).
    RawMmsg,
    /// Raw libc `sendmmsg` with `MSG_MORE` on all but the last message (batch only).
    RawMmsgMore,
    /// oxirush-sctp, one message per call, `current_thread`.
    Oxirush,
    /// oxirush-sctp `send_many`/`recv_many`, `current_thread` (batch only).
    OxirushBatch,
    /// tokio-linux-sctp on a `multi_thread` runtime (one worker), client in `block_on`.
    TokioMulti,
    /// tokio-linux-sctp, both sides tasks of one `current_thread` runtime.
    TokioCurrent,
    /// tokio-linux-sctp `send_batch`/`recv_batch`, `current_thread` (batch only).
    TokioBatch,
    /// Prototype: [`TokioBatch`](Self::TokioBatch) whose sender also consumes tokio's
    /// cooperative budget once per `send_batch`, as a budget-aware send would (batch only).
    TokioBatchCoop,
    /// tokio-linux-sctp `SctpEndpoint` with 100 associations, `current_thread` (fan-in,
    /// fan-out only).
    TokioEndpoint,
}

impl Impl {
    /// Every implementation.
    pub const ALL: [Impl; 11] = [
        Impl::C,
        Impl::Raw,
        Impl::RawMmsg,
        Impl::RawMmsgMore,
        Impl::Oxirush,
        Impl::OxirushBatch,
        Impl::TokioMulti,
        Impl::TokioCurrent,
        Impl::TokioBatch,
        Impl::TokioBatchCoop,
        Impl::TokioEndpoint,
    ];

    /// Command-line name (`--inner NAME`, `BENCH_CASES`).
    pub fn key(self) -> &'static str {
        match self {
            Impl::C => "c",
            Impl::Raw => "raw",
            Impl::RawMmsg => "raw-mmsg",
            Impl::RawMmsgMore => "raw-mmsg-more",
            Impl::Oxirush => "oxirush",
            Impl::OxirushBatch => "oxirush-batch",
            Impl::TokioMulti => "tokio-mt",
            Impl::TokioCurrent => "tokio-ct",
            Impl::TokioBatch => "tokio-batch",
            Impl::TokioBatchCoop => "tokio-batch-coop",
            Impl::TokioEndpoint => "tokio-endpoint",
        }
    }

    /// Parses a [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<Impl> {
        Impl::ALL.into_iter().find(|i| i.key() == key)
    }

    /// Label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Impl::C => "C libsctp, blocking (baseline)",
            Impl::Raw => "raw libc sendmsg, blocking",
            Impl::RawMmsg => "raw libc sendmmsg(32), blocking",
            Impl::RawMmsgMore => "raw sendmmsg(32) + MSG_MORE",
            Impl::Oxirush => "oxirush-sctp 0.1.1, current_thread",
            Impl::OxirushBatch => "oxirush send_many(32)/recv_many",
            Impl::TokioMulti => "tokio-linux-sctp, multi_thread(1)",
            Impl::TokioCurrent => "tokio-linux-sctp, current_thread",
            Impl::TokioBatch => "tokio-linux-sctp send_batch(32)",
            Impl::TokioBatchCoop => "  prototype: send_batch + coop budget",
            Impl::TokioEndpoint => "tokio-linux-sctp SctpEndpoint(100)",
        }
    }

    /// Sets up a connection of this implementation for `scenario` with `size`-byte messages.
    ///
    /// # Panics
    ///
    /// When set-up fails, or the implementation does not run `scenario`.
    pub fn build(self, scenario: Scenario, size: usize) -> Box<dyn Case> {
        match (self, scenario) {
            (Impl::C, Scenario::PingPong) => Box::new(peers::c::ping_pong(size)),
            (Impl::C, _) => Box::new(peers::c::Stream::new(size)),
            (Impl::Raw, Scenario::PingPong) => Box::new(peers::raw::ping_pong(size)),
            (Impl::Raw, _) => Box::new(peers::raw::Stream::new(size, None)),
            (Impl::RawMmsg, _) => Box::new(peers::raw::Stream::new(size, Some(false))),
            (Impl::RawMmsgMore, _) => Box::new(peers::raw::Stream::new(size, Some(true))),
            (Impl::Oxirush, Scenario::PingPong) => Box::new(peers::oxirush::PingPong::new(size)),
            (Impl::Oxirush, _) => Box::new(peers::oxirush::Stream::new(size, false)),
            (Impl::OxirushBatch, _) => Box::new(peers::oxirush::Stream::new(size, true)),
            (Impl::TokioMulti | Impl::TokioCurrent, Scenario::PingPong) => {
                Box::new(peers::tokio::PingPong::new(self, size))
            }
            (Impl::TokioMulti | Impl::TokioCurrent, _) => {
                Box::new(peers::tokio::Stream::new(self, size, false))
            }
            (Impl::TokioBatch | Impl::TokioBatchCoop, _) => {
                Box::new(peers::tokio::Stream::new(self, size, true))
            }
            (Impl::TokioEndpoint, Scenario::FanOut) => Box::new(peers::endpoint::FanOut::new(size)),
            (Impl::TokioEndpoint, _) => Box::new(peers::endpoint::FanIn::new(size)),
        }
    }
}
