//! The control messages sctp_perf's client and server exchange: their encoding and a total
//! decoder (any byte string gives a message or an error, never a panic).
//!
//! Control messages travel on stream 0, ordered and reliable, with PPID [`CONTROL_PPID`];
//! every other message is measurement data. One run of one size on one association:
//!
//! ```text
//! client                                   server
//! Start { mode, size, streams, pr, batch } ---->
//!                                   <----  Ready            (or Error { text })
//! data ... (throughput: one way; latency: each message echoed)
//! End { sent }                      ---->
//!                                   <----  Report { received, bytes, elapsed }
//! ```
//!
//! All integers are little-endian. Every message starts with [`MAGIC`] and a type byte.

use std::fmt;
use std::time::Duration;

/// The PPID of control messages ("SPRF").
pub const CONTROL_PPID: u32 = 0x5350_5246;

/// The first bytes of every control message: "sctp_perf, protocol version 1".
pub const MAGIC: [u8; 5] = *b"SPRF\x01";

/// What a run measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One-way messages, client to server, counted by the server.
    Throughput,
    /// Request/response: the server echoes every message.
    Latency,
}

impl Mode {
    /// The name used in options, tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Throughput => "throughput",
            Mode::Latency => "latency",
        }
    }
}

/// One control message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Control {
    /// Client: a run of `size`-byte messages over `streams` streams begins.
    Start {
        /// What the run measures.
        mode: Mode,
        /// Message size in bytes.
        size: u32,
        /// Streams the data uses (`0..streams`).
        streams: u16,
        /// Whether the data is sent under a PR-SCTP policy (messages may be abandoned).
        pr: bool,
        /// Messages per `send_batch`; the server receives up to as many per `recv_batch`.
        batch: u16,
    },
    /// Server: counters reset, send the data.
    Ready,
    /// Client: all data of the run is sent.
    End {
        /// Messages sent.
        sent: u64,
    },
    /// Server: what arrived.
    Report {
        /// Data messages received.
        received: u64,
        /// Their bytes.
        bytes: u64,
        /// From `Ready` to the last data message, as the server's clock saw it.
        elapsed: Duration,
    },
    /// Either side: the run cannot go on; a one-line reason.
    Error {
        /// The reason.
        text: String,
    },
}

/// Why bytes are not a control message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    /// No [`MAGIC`] prefix (not sctp_perf, or another protocol version).
    NotSctpPerf,
    /// A type byte this version does not know.
    UnknownType(u8),
    /// Shorter or longer than the type's fields.
    BadLength {
        /// The message type.
        kind: u8,
        /// Its length.
        len: usize,
    },
    /// A `Start` with a mode byte this version does not know.
    UnknownMode(u8),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::NotSctpPerf => f.write_str(
                "not an sctp_perf control message (another program, or another sctp_perf version)",
            ),
            WireError::UnknownType(t) => write!(f, "unknown control message type {t}"),
            WireError::BadLength { kind, len } => {
                write!(
                    f,
                    "control message type {kind} has a bad length ({len} bytes)"
                )
            }
            WireError::UnknownMode(m) => write!(f, "unknown run mode {m}"),
        }
    }
}

const START: u8 = 1;
const READY: u8 = 2;
const END: u8 = 3;
const REPORT: u8 = 4;
const ERROR: u8 = 5;

impl Control {
    /// The message's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        match self {
            Control::Start {
                mode,
                size,
                streams,
                pr,
                batch,
            } => {
                b.push(START);
                b.push(match mode {
                    Mode::Throughput => 1,
                    Mode::Latency => 2,
                });
                b.push(u8::from(*pr));
                b.extend_from_slice(&streams.to_le_bytes());
                b.extend_from_slice(&size.to_le_bytes());
                b.extend_from_slice(&batch.to_le_bytes());
            }
            Control::Ready => b.push(READY),
            Control::End { sent } => {
                b.push(END);
                b.extend_from_slice(&sent.to_le_bytes());
            }
            Control::Report {
                received,
                bytes,
                elapsed,
            } => {
                b.push(REPORT);
                b.extend_from_slice(&received.to_le_bytes());
                b.extend_from_slice(&bytes.to_le_bytes());
                let ns = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
                b.extend_from_slice(&ns.to_le_bytes());
            }
            Control::Error { text } => {
                b.push(ERROR);
                b.extend_from_slice(text.as_bytes());
            }
        }
        b
    }

    /// Parses a control message; total over any input.
    pub fn decode(msg: &[u8]) -> Result<Control, WireError> {
        let rest = msg.strip_prefix(&MAGIC).ok_or(WireError::NotSctpPerf)?;
        let (&kind, body) = rest.split_first().ok_or(WireError::NotSctpPerf)?;
        let bad = || WireError::BadLength {
            kind,
            len: msg.len(),
        };
        let u64_at = |at: usize| -> Result<u64, WireError> {
            let bytes = body.get(at..at + 8).ok_or_else(bad)?;
            Ok(u64::from_le_bytes(bytes.try_into().map_err(|_| bad())?))
        };
        let exact = |len: usize| {
            if body.len() == len {
                Ok(())
            } else {
                Err(bad())
            }
        };
        match kind {
            START => {
                exact(10)?;
                let mode = match body[0] {
                    1 => Mode::Throughput,
                    2 => Mode::Latency,
                    m => return Err(WireError::UnknownMode(m)),
                };
                Ok(Control::Start {
                    mode,
                    pr: body[1] != 0,
                    streams: u16::from_le_bytes([body[2], body[3]]),
                    size: u32::from_le_bytes([body[4], body[5], body[6], body[7]]),
                    batch: u16::from_le_bytes([body[8], body[9]]),
                })
            }
            READY => exact(0).map(|()| Control::Ready),
            END => {
                exact(8)?;
                Ok(Control::End { sent: u64_at(0)? })
            }
            REPORT => {
                exact(24)?;
                Ok(Control::Report {
                    received: u64_at(0)?,
                    bytes: u64_at(8)?,
                    elapsed: Duration::from_nanos(u64_at(16)?),
                })
            }
            ERROR => Ok(Control::Error {
                text: String::from_utf8_lossy(body).into_owned(),
            }),
            other => Err(WireError::UnknownType(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Control> {
        vec![
            Control::Start {
                mode: Mode::Throughput,
                size: 16384,
                streams: 7,
                pr: true,
                batch: 32,
            },
            Control::Start {
                mode: Mode::Latency,
                size: 1,
                streams: 65535,
                pr: false,
                batch: 1,
            },
            Control::Ready,
            Control::End { sent: u64::MAX },
            Control::Report {
                received: 3,
                bytes: 1 << 40,
                elapsed: Duration::from_nanos(1_234_567_891),
            },
            Control::Error {
                text: "no — streams".into(),
            },
            Control::Error {
                text: String::new(),
            },
        ]
    }

    #[test]
    fn every_message_round_trips() {
        for c in all() {
            assert_eq!(Control::decode(&c.encode()), Ok(c.clone()), "{c:?}");
        }
    }

    #[test]
    fn every_prefix_and_extension_is_an_error_or_a_message_never_a_panic() {
        for c in all() {
            let bytes = c.encode();
            for cut in 0..bytes.len() {
                let _ = Control::decode(&bytes[..cut]);
            }
            let mut longer = bytes.clone();
            longer.push(0);
            match c {
                Control::Error { .. } => assert!(Control::decode(&longer).is_ok()),
                _ => assert!(
                    matches!(Control::decode(&longer), Err(WireError::BadLength { .. })),
                    "{c:?}"
                ),
            }
        }
        // Every byte string of up to 2 bytes after the magic.
        for len in 0..=2usize {
            for n in 0..(1u32 << (8 * len)) {
                let mut b = MAGIC.to_vec();
                b.extend_from_slice(&n.to_le_bytes()[..len]);
                let _ = Control::decode(&b);
            }
        }
    }

    #[test]
    fn foreign_bytes_are_named() {
        assert_eq!(Control::decode(b""), Err(WireError::NotSctpPerf));
        assert_eq!(
            Control::decode(b"GET / HTTP/1.1"),
            Err(WireError::NotSctpPerf)
        );
        assert_eq!(
            Control::decode(b"SPRF\x02\x02"),
            Err(WireError::NotSctpPerf)
        );
        assert_eq!(Control::decode(b"SPRF\x01"), Err(WireError::NotSctpPerf));
        assert_eq!(
            Control::decode(b"SPRF\x01\x09"),
            Err(WireError::UnknownType(9))
        );
        let mut start = Control::Start {
            mode: Mode::Latency,
            size: 1,
            streams: 1,
            pr: false,
            batch: 1,
        }
        .encode();
        start[6] = 7;
        assert_eq!(Control::decode(&start), Err(WireError::UnknownMode(7)));
    }
}
