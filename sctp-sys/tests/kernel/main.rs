//! Real-kernel tests of linux-sctp-sys, run against Linux SCTP (natively when the host kernel
//! has it, otherwise inside the user-mode-Linux lab through the cargo runner): one test binary,
//! so one lab boot, with a module per topic.
//!
//! * `messages`: `sendmsg`/`recvmsg`/`recvmsg_uninit` and their ancillary data;
//! * `batches`: `sendmmsg`/`recvmmsg`;
//! * `associations`: `bindx`, `connectx`, `peeloff`, `accept4`, IPv6 and v4-mapped peers;
//! * `options`: every socket option of Linux 6.1, through the typed table of `sockopt`.
//!
//! They **fail** when SCTP is unavailable: there is no skip. Everything uses loopback
//! (127.0.0.1, 127.0.0.2, ::1) and ephemeral ports; every socket gets 5-second send and receive
//! timeouts so that a broken kernel interaction fails instead of hanging.
//!
//! PPID convention: the kernel passes PPIDs through untouched, so these tests use host-order
//! values throughout and check that the receiver sees exactly the number the sender wrote.
//!
//! What the 6.1 lab kernel cannot exercise: the stream schedulers of Linux 6.4 (`SCTP_SS_FC`,
//! `SCTP_SS_WFQ`) and option numbers past 133, asserted as the refusals 6.1 gives (`EINVAL`,
//! `ENOPROTOOPT`). Options that need a feature its default sysctls turn off (stream
//! reconfiguration, ASCONF's `SCTP_SET_PEER_PRIMARY_ADDR`, interleaving) are asserted as their
//! refusals here; AUTH is exercised for real by turning `SCTP_AUTH_SUPPORTED` on per endpoint.

mod associations;
mod batches;
mod messages;
mod option_table;
mod options;
mod support;
