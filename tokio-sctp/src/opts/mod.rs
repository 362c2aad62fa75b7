//! Typed SCTP socket options: [`SocketOptions`], generated from one declarative table.
//!
//! [`SocketOptions`] borrows a socket and an association id and reads and writes the
//! `SOL_SCTP` options of `linux/sctp.h` with Rust types: [`Duration`]s for the millisecond
//! fields, enums for states and policies, structs with named fields, [`SocketAddr`] for
//! addresses. Method names follow `socket2` (`nodelay()` / `set_nodelay(bool)`), and each has a
//! `#[doc(alias)]` with the C option name, so searching the docs for `SCTP_NODELAY` finds it.
//!
//! The socket types hand one out (`stream.options()`, `endpoint.options(assoc_id)`), and
//! [`SocketOptions::new`] works on any SCTP file descriptor.
//!
//! # Where things are
//!
//! Every getter and setter comes from one row of the table (the `socket_options!` macro of
//! `table.rs`, which documents the row syntax); the rows and their value types live by
//! family:
//!
//! | file | options | value types |
//! |---|---|---|
//! | `status.rs` | `SCTP_STATUS`, `SCTP_GET_PEER_ADDR_INFO`, `SCTP_GET_ASSOC_STATS`, association ids | [`SctpStatus`], [`AssocState`], [`PeerAddrInfo`], [`PathState`], [`AssocStats`] |
//! | `paths.rs` | peer address parameters and thresholds, primary, mapped v4, ASCONF, port reuse, UDP encapsulation, PLPMTUD | [`PeerAddrParams`], [`PeerAddrParamsChange`], [`PathThresholds`], [`PfStateExposure`] |
//! | `timers.rs` | RTO, association parameters, delayed SACK, autoclose | [`RtoInfo`], [`AssocInfo`], [`DelayedSack`] |
//! | `streams.rs` | INIT parameters, stream scheduling, interleaving | [`InitParams`], [`StreamScheduler`] |
//! | `messages.rs` | how messages are sent and received: nodelay, fragmentation, default send info, context, cmsgs, events, adaptation, ECN | [`DefaultSendInfo`] |
//! | `auth.rs` | SCTP-AUTH (RFC 4895) | [`HmacId`] |
//! | `prsctp.rs` | PR-SCTP (RFC 3758) | [`PrStatus`], [`PrStatusPolicy`] |
//! | `reconf.rs` | stream reconfiguration (RFC 6525) | [`StreamResetFlags`], [`StreamResetDirection`] |
//!
//! # Which association
//!
//! Most SCTP options take an association id in their first field; [`SocketOptions`] fills it
//! in with the id it was made with:
//!
//! * On a **one-to-one** socket (and a peeled-off one) the kernel ignores the id: an option
//!   applies to the socket's association while it is established, and to the socket's
//!   defaults for future associations otherwise. Use [`SCTP_FUTURE_ASSOC`] (0).
//! * On a **one-to-many** socket, an association's id reads and writes that association;
//!   [`SCTP_FUTURE_ASSOC`] reads and writes the defaults that new associations start with;
//!   some setters also take [`SCTP_CURRENT_ASSOC`] (every existing association) or
//!   [`SCTP_ALL_ASSOC`] (both). An id that names no association gives `EINVAL`.
//!
//! The `*_supported` getters are asymmetric: with an association they report what the
//! **peer** negotiated; without one, the local setting. Their setters always change the
//! endpoint (future associations).
//!
//! # Errors
//!
//! Everything returns the crate's [`Result`], and every error names
//! the option: `SCTP_RTOINFO: Invalid argument (os error 22)`
//! ([`Error::socket_option`](crate::error::Error::socket_option)). The kernel's errno stays
//! reachable ([`Error::raw_os_error`](crate::error::Error::raw_os_error), and
//! [`Error::errno_of`](crate::error::Error::errno_of) on the `io::Error` it converts to,
//! whose [`io::ErrorKind`](std::io::ErrorKind) is the errno's). An option the running kernel
//! does not know gives `ENOPROTOOPT` (the version each option appeared in is in its docs).
//! Where an errno means one thing only, a sysctl that turns a feature off, the error is of
//! kind [`ErrorKind::FeatureDisabled`] naming the sysctl (the AUTH options' `EACCES`, for
//! example). Values that the kernel would silently ignore (a zero where zero means
//! "unchanged") or that do not fit the C field are refused up front with an
//! `InvalidInput` error.
//!
//! Socket-level options (`SO_SNDBUF`, `SO_RCVBUF`, `SO_LINGER`, `SO_REUSEADDR`, ...) are not
//! repeated here: use `socket2::SockRef::from(&socket)`.
//!
//! [`Duration`]: std::time::Duration
//! [`SocketAddr`]: std::net::SocketAddr
//! [`SCTP_FUTURE_ASSOC`]: linux_sctp_sys::SCTP_FUTURE_ASSOC
//! [`SCTP_CURRENT_ASSOC`]: linux_sctp_sys::SCTP_CURRENT_ASSOC
//! [`SCTP_ALL_ASSOC`]: linux_sctp_sys::SCTP_ALL_ASSOC
//! [`ErrorKind::FeatureDisabled`]: crate::error::ErrorKind::FeatureDisabled

// Kernel structs are built the C way: zeroed, then the fields that matter set. The packed
// newtypes cannot be written as struct literals anyway.
#![allow(clippy::field_reassign_with_default)]

use std::fmt;
use std::os::fd::BorrowedFd;

use linux_sctp_sys::sctp_assoc_t;

use crate::engine::EventChoice;
use crate::error::Result;

mod auth;
mod messages;
mod paths;
mod prsctp;
mod reconf;
mod status;
mod streams;
pub(crate) mod table;
mod timers;

pub use auth::HmacId;
pub use messages::DefaultSendInfo;
pub use paths::{PathThresholds, PeerAddrParams, PeerAddrParamsChange, PfStateExposure};
pub use prsctp::{PrStatus, PrStatusPolicy};
pub use reconf::{StreamResetDirection, StreamResetFlags};
pub use status::{AssocState, AssocStats, PathState, PeerAddrInfo, SctpStatus};
pub use streams::{InitParams, StreamScheduler};
pub use timers::{AssocInfo, DelayedSack, RtoInfo};

/// Typed access to the SCTP options of one socket, for one association (or the socket's
/// defaults).
///
/// Cheap to make and `Copy`: it is a borrowed fd and an association id. See the [module
/// documentation](self) for how the id is used and how errors are reported.
///
/// # Examples
///
/// ```no_run
/// use std::os::fd::AsFd;
/// use std::time::Duration;
/// use tokio_linux_sctp::opts::{RtoInfo, SocketOptions};
///
/// # fn f(sock: &std::os::fd::OwnedFd) -> tokio_linux_sctp::error::Result<()> {
/// let opts = SocketOptions::new(sock.as_fd(), linux_sctp_sys::SCTP_FUTURE_ASSOC);
/// opts.set_nodelay(true)?;
/// opts.set_rto_info(&RtoInfo {
///     initial: Duration::from_millis(500),
///     max: Duration::from_secs(5),
///     min: Duration::from_millis(200),
/// })?;
/// let status = opts.status()?;
/// println!("{:?} with {} outbound streams", status.state, status.outbound_streams);
/// # Ok(()) }
/// ```
///
/// # Options a tokio-linux-sctp socket needs
///
/// The receive loop of [`SctpStream`](crate::SctpStream), [`SctpEndpoint`](crate::SctpEndpoint)
/// and the others relies on `SCTP_RECVRCVINFO` (a message's stream, PPID and association) and
/// `SCTP_RECVNXTINFO` (whether another message is queued, which decides when readiness is
/// cleared: with it off, a queued message can stay unread until the next one arrives). The
/// `SocketOptions` those types hand out refuse to turn either off (`InvalidInput`); one made
/// with [`SocketOptions::new`] on a socket you drive yourself allows it.
#[derive(Clone, Copy)]
pub struct SocketOptions<'a> {
    fd: BorrowedFd<'a>,
    assoc_id: sctp_assoc_t,
    /// The socket belongs to a tokio-linux-sctp socket type: keep what its receive loop needs,
    /// and choose events through the socket's choice (`engine/subscriptions.rs`).
    pub(crate) managed: Option<&'a EventChoice>,
}

impl fmt::Debug for SocketOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketOptions")
            .field("fd", &self.fd)
            .field("assoc_id", &self.assoc_id)
            .finish()
    }
}

impl<'a> SocketOptions<'a> {
    /// Options of the SCTP socket `fd`, for the association `assoc_id` (an association id, or
    /// `SCTP_FUTURE_ASSOC` / `SCTP_CURRENT_ASSOC` / `SCTP_ALL_ASSOC`; one-to-one sockets
    /// ignore it).
    pub fn new(fd: BorrowedFd<'a>, assoc_id: sctp_assoc_t) -> Self {
        SocketOptions {
            fd,
            assoc_id,
            managed: None,
        }
    }

    /// Options of a socket driven by one of this crate's socket types, which refuse to turn
    /// off what its receive loop needs (see [`SocketOptions`]).
    pub(crate) fn managed(
        fd: BorrowedFd<'a>,
        assoc_id: sctp_assoc_t,
        events: &'a EventChoice,
    ) -> Self {
        SocketOptions {
            managed: Some(events),
            ..Self::new(fd, assoc_id)
        }
    }

    /// `InvalidInput`, naming the option, when turning `name` off on a socket a
    /// tokio-linux-sctp type drives (the rows with `require`).
    fn keep_on(&self, name: &'static str, on: bool) -> Result<()> {
        if self.managed.is_some() && !on {
            return Err(table::invalid(
                "must stay on for a tokio-linux-sctp socket: its receive loop relies on it \
                 (use SocketOptions::new on a socket you drive yourself)",
            )
            .in_socket_option(name));
        }
        Ok(())
    }

    /// The same socket, another association id.
    pub fn with_assoc_id(self, assoc_id: sctp_assoc_t) -> Self {
        SocketOptions { assoc_id, ..self }
    }

    /// The socket.
    pub fn fd(&self) -> BorrowedFd<'a> {
        self.fd
    }

    /// The association id the options are read and written for.
    pub fn assoc_id(&self) -> sctp_assoc_t {
        self.assoc_id
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn managed_options_refuse_to_turn_off_what_the_receive_loop_needs() {
        // Not a socket: any setsockopt that gets through fails with ENOTSOCK, so an
        // InvalidInput proves the refusal came first.
        let file = std::fs::File::open("/dev/null").unwrap();
        let events = crate::engine::EventChoice::default();
        let managed = SocketOptions::managed(file.as_fd(), 0, &events).with_assoc_id(3);
        for (name, r) in [
            ("SCTP_RECVNXTINFO", managed.set_recv_nxtinfo(false)),
            ("SCTP_RECVRCVINFO", managed.set_recv_rcvinfo(false)),
        ] {
            let e = r.unwrap_err();
            assert_eq!(e.io_kind(), io::ErrorKind::InvalidInput, "{e}");
            assert_eq!(e.raw_os_error(), None);
            assert_eq!(e.socket_option(), Some(name));
            assert!(e.to_string().starts_with(name), "{e}");
        }
        // Turning them on is passed to the kernel.
        let e = managed.set_recv_nxtinfo(true).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        // A user's own fd may turn them off.
        let own = SocketOptions::new(file.as_fd(), 0);
        let e = own.set_recv_nxtinfo(false).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        let e = own.set_recv_rcvinfo(false).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
    }

    #[test]
    fn kernel_errors_name_the_option_and_keep_the_errno() {
        let file = std::fs::File::open("/dev/null").unwrap();
        let o = SocketOptions::new(file.as_fd(), 0);
        let e = o.rto_info().unwrap_err();
        assert_eq!(e.socket_option(), Some("SCTP_RTOINFO"));
        assert_eq!(e.raw_os_error(), Some(libc::ENOTSOCK));
        assert_eq!(
            e.to_string(),
            format!(
                "SCTP_RTOINFO: {}",
                io::Error::from_raw_os_error(libc::ENOTSOCK)
            )
        );
        let io: io::Error = o.set_nodelay(true).unwrap_err().into();
        assert!(io.to_string().starts_with("SCTP_NODELAY: "), "{io}");
        assert_eq!(crate::error::Error::errno_of(&io), Some(libc::ENOTSOCK));
        // Refusals before the call are named too.
        let e = o
            .set_rto_info(&RtoInfo {
                initial: std::time::Duration::from_secs(u64::MAX),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.io_kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().starts_with("SCTP_RTOINFO: "), "{e}");
    }
}
