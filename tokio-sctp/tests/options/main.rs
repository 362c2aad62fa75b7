//! Real-kernel round trips of every typed socket option in `tokio_linux_sctp::opts`.
//!
//! These run against Linux SCTP: natively when the host kernel has it, otherwise inside the
//! user-mode Linux 6.1 lab through the cargo runner. There is no skip: without SCTP every test
//! fails at `socket()`.
//!
//! Sockets are plain kernel sockets (`linux_sctp_sys::ops` + `socket2`), so the option layer is
//! tested on its own; every socket has 5 s send/receive timeouts and every test body runs
//! under a 60 s watchdog, so a kernel interaction that hangs fails instead.
//!
//! Every getter is read, every setter is set and read back with a value check. What the 6.1
//! lab kernel refuses with its default sysctls is asserted with its errno (and the typed
//! `FeatureDisabled` where the crate maps it):
//!
//! | option | default answer on 6.1 | test |
//! |---|---|---|
//! | AUTH options (`SCTP_HMAC_IDENT`, `SCTP_AUTH_KEY`, `SCTP_AUTH_CHUNK`, `SCTP_AUTH_ACTIVE_KEY`, `SCTP_LOCAL_AUTH_CHUNKS`, ...) | `EACCES` → `FeatureDisabled("net.sctp.auth_enable")` (`auth_enable = 0`) | `auth_refused_by_default` |
//! | `SCTP_INTERLEAVING_SUPPORTED` set | `EPERM` (`intl_enable = 0`) → `FeatureDisabled("net.sctp.intl_enable")` once fragment interleave is on | `features_supported` |
//! | `SCTP_RESET_STREAMS` / `SCTP_RESET_ASSOC` / `SCTP_ADD_STREAMS` | `ENOPROTOOPT` (`reconf_enable = 0`) | `stream_reconfiguration` |
//! | `SCTP_SET_PEER_PRIMARY_ADDR` | `EPERM` (`addip_enable = 0`) → `FeatureDisabled("net.sctp.addip_enable")` | `primary_and_peer_primary` |
//! | `SCTP_AUTOCLOSE`, `SCTP_GET_ASSOC_NUMBER`, `SCTP_GET_ASSOC_ID_LIST` on one-to-one | `EOPNOTSUPP` | `one_to_many_ids_and_autoclose` |
//! | `SCTP_REUSE_PORT` after bind / on one-to-many | `EFAULT` / `EOPNOTSUPP` | `reuse_port_and_auto_asconf` |
//! | `SCTP_AUTO_ASCONF` on a socket not bound to the wildcard | `EINVAL` | `reuse_port_and_auto_asconf` |
//!
//! Newer than 6.1: the fair-capacity and WFQ stream schedulers (Linux 6.4) give `EINVAL`
//! (`scheduler`), and option numbers past the last 6.1 option (133) give `ENOPROTOOPT`
//! (`unknown_options`).
//!
//! One test binary (one lab boot), a module per option family, as `src/opts/` is split:
//! `status`, `paths`, `timers`, `messages`, `streams`, `auth`, with the helpers in
//! `support`. Every method returns the crate's `Result`; `errors` checks that a kernel
//! error names its option and keeps its errno and kind.

#[path = "../support/netns.rs"]
mod netns;

mod auth;
mod errors;
mod messages;
mod paths;
mod status;
mod streams;
mod support;
mod timers;
