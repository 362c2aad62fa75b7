//! The lksctp-tools utilities in Rust: what the binaries in `src/bin/` share, and each tool's
//! program (the binaries only call [`checksctp::main`], [`sctp_test::main`],
//! [`sctp_status::main`] and [`sctp_darn::main`]).
//!
//! The C tools are blocking, sequential programs: each `recvmsg(2)` they make is printed as
//! it comes, notifications in line with the data, in the kernel's order, one piece of at most
//! 64 KiB at a time. These programs do the same, with blocking sockets made and driven through
//! `linux-sctp-sys` (socket, bindx, connectx, sendmsg/recvmsg with SCTP ancillary data,
//! getpaddrs) and `socket2`, and with tokio-linux-sctp's typed socket options
//! ([`tokio_linux_sctp::opts::SocketOptions`]), notification parser and subscriptions. (The
//! async engine of tokio-linux-sctp reassembles whole messages and hands notifications to a
//! separate event stream, which would change what the tools print and in which order.)

pub mod addr;
pub mod checksctp;
pub mod cli;
pub mod crand;
pub mod sctp_darn;
pub mod sctp_status;
pub mod sctp_test;
pub mod show;
pub mod sock;
pub mod testgen;
