//! The Linux kernel's SCTP user-space interface, bound exactly.
//!
//! * every constant, struct and union of `linux/sctp.h` at the crate root, with the C names
//!   (so `grep sctp_paddrparams` finds the same item in C and in Rust);
//! * [`ops`]: `socket`/`accept4` and the libsctp operations (bindx, connectx, peeloff,
//!   getpaddrs/getladdrs, sendmsg/recvmsg with SCTP ancillary data, also into uninitialised
//!   memory, sendmmsg/recvmmsg, get/setsockopt) done over raw syscalls, without libsctp;
//! * [`sockopt`]: the socket options bound to their payload types, one audited table row
//!   per option, with safe typed `get`/`set` calls (the raw generic calls of [`ops`] are
//!   `unsafe`);
//! * [`cmsg`]: the ancillary-data codec, pure functions over byte buffers;
//! * [`addr`]: conversion between `std::net::SocketAddr` and kernel socket addresses,
//!   including the packed address lists SCTP uses.
#![allow(non_camel_case_types)]
#![cfg(target_os = "linux")]

mod consts;
mod types;

pub mod addr;
pub mod cmsg;
pub mod ops;
pub mod sockopt;

pub use consts::*;
pub use types::*;
