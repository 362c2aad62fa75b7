//! sctp_perf, the measuring tool lksctp-tools never had: a client and a server that measure
//! SCTP throughput (messages and bytes per second for a list of sizes) and round-trip
//! latency (p50/p99/p99.9) over N streams, ordered or unordered, under a PR-SCTP policy,
//! with batched sends and receives, over one-to-one or one-to-many sockets, with M
//! associations side by side and multihomed (bindx/connectx) paths.
//!
//! | module | what it owns |
//! |---|---|
//! | [`cli`] | options, defaults, checks, help text |
//! | [`wire`] | the control messages between client and server |
//! | [`session`] | the server's per-association state machine |
//! | [`stats`] | throughput sums and latency percentiles |
//! | [`report`] | table, JSON, server lines, progress line |
//! | [`net`] | socket set-up and one association over either socket style |
//! | [`client`], [`server`] | the async drivers |

pub mod cli;
pub mod client;
pub mod net;
pub mod report;
pub mod server;
pub mod session;
pub mod stats;
pub mod wire;
