//! linux-sctp-tools (`checksctp`, `sctp_test`, `sctp_status`, `sctp_darn`) against
//! lksctp-tools' C binaries of the same names, on the same kernel, in both directions: ours
//! talks to the C tool and the C tool to ours, and the same scripted run through both must
//! print the same lines (golden-output comparison, after masking only what must differ
//! between two runs: TSNs, association ids, seeds, timing-dependent counters).
//!
//! Every test makes its own network namespaces ([`netlab::Netns`]), so fixed ports never
//! collide; nothing is skipped: a missing C tool fails with the package to install.

#[path = "../netlab/mod.rs"]
mod netlab;
mod support;

mod checksctp;
mod sctp_darn;
mod sctp_status;
mod sctp_test;
