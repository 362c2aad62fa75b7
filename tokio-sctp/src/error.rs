//! The crate's error type: [`Error`], with an [`ErrorKind`] that says what the crate knows
//! beyond the errno.
//!
//! Every `Error` that came from a system call keeps that call's [`io::Error`], so the kernel's
//! errno is always available ([`Error::raw_os_error`]). Where tokio-linux-sctp can say more than the
//! errno (SCTP is missing from the kernel, the stream is out of range, a feature is turned off
//! by a sysctl, the association ended and why), the kind says it and the [`Display`] output
//! carries a hint on what to do.
//!
//! `Error` converts both ways with [`io::Error`], so it works with `?` in functions returning
//! `io::Result`:
//!
//! ```
//! use std::io;
//! use tokio_linux_sctp::error::{Error, ErrorKind};
//!
//! fn open() -> io::Result<()> {
//!     let e = io::Error::from_raw_os_error(libc::EPROTONOSUPPORT);
//!     Err(Error::from_socket_error(e))?
//! }
//!
//! let err = open().unwrap_err();
//! // The errno is still there, and so is the typed error with its hint.
//! assert_eq!(Error::errno_of(&err), Some(libc::EPROTONOSUPPORT));
//! let inner = err.get_ref().unwrap().downcast_ref::<Error>().unwrap();
//! assert!(matches!(inner.kind(), ErrorKind::SctpUnavailable));
//! assert!(inner.to_string().contains("modprobe sctp"));
//! ```
//!
//! [`Display`]: std::fmt::Display

use std::fmt;
use std::io;

use crate::notification::{AssocChangeState, Notification, NotificationError};

/// A `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// What went wrong, as far as tokio-linux-sctp can tell. See [`Error::kind`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The kernel has no SCTP: `socket()` failed with `EPROTONOSUPPORT` or
    /// `ESOCKTNOSUPPORT`. Load the module (`modprobe sctp`); some distributions blacklist it
    /// (`/etc/modprobe.d/sctp-blacklist.conf` on RHEL), and containers use the host's kernel,
    /// where it has to be loaded.
    SctpUnavailable,
    /// The stream id is not below the association's negotiated outbound stream count (the
    /// kernel answers such a send with `EINVAL`).
    StreamOutOfRange {
        /// The stream asked for.
        stream: u16,
        /// The association's outbound streams (valid ids are `0..outbound_streams`).
        outbound_streams: u16,
    },
    /// A message is larger than the configured cap (on receive, see
    /// [`ReassemblyBuffer`](crate::message::ReassemblyBuffer)), or than the kernel accepts on
    /// send (`EMSGSIZE`: larger than `SO_SNDBUF`).
    MessageTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The association is gone; `cause` is the notification that ended it: an
    /// [`AssocChange`](crate::notification::AssocChange) with state `COMM_LOST`,
    /// `SHUTDOWN_COMP` or `CANT_STR_ASSOC` (whose `info` holds the ABORT causes, if any), or a
    /// [`Shutdown`](crate::notification::Shutdown) that stopped further sends.
    AssociationEnded {
        /// The notification that ended the association.
        cause: Box<Notification>,
    },
    /// The kernel has the feature turned off by a sysctl (it answers with `ENOPROTOOPT`,
    /// `EACCES` or `EPERM` depending on the option). `sysctl` names it, such as
    /// `net.sctp.auth_enable`, `net.sctp.reconf_enable`, `net.sctp.intl_enable`,
    /// `net.sctp.prsctp_enable` or `net.sctp.addip_enable`.
    FeatureDisabled {
        /// The sysctl that enables the feature.
        sysctl: &'static str,
    },
    /// The kernel delivered a notification this crate could not parse.
    InvalidNotification(NotificationError),
    /// Notifications were dropped because the event queue was full (the oldest go first).
    /// The event stream reports this once per gap, so a loss is never silent.
    EventsLagged {
        /// How many notifications were dropped.
        dropped: u64,
    },
    /// Messages were dropped from a full per-stream queue of a
    /// [`Demux`](crate::demux::Demux) with the
    /// [`DropOldest`](crate::demux::SlowConsumer::DropOldest) policy (the oldest go first).
    /// The receiver reports this once per gap, in place of the dropped messages.
    MessagesLagged {
        /// How many messages were dropped.
        dropped: u64,
    },
    /// Any other I/O error; [`Error::io_error`] has it.
    Io,
}

/// The error type of tokio-linux-sctp: an [`ErrorKind`], plus the [`io::Error`] of the system call
/// that failed, when one did.
///
/// # Conversion to `io::Error`
///
/// `From<Error> for io::Error` returns the original `io::Error` for [`ErrorKind::Io`]
/// (errno and all) when no socket option is named. Every other error becomes an `io::Error` that wraps this `Error` (reach
/// it with [`io::Error::get_ref`] and `downcast_ref::<Error>()`), so the kind and its hint
/// survive; its [`io::ErrorKind`] is the errno's when there is one. Such an `io::Error` has no
/// `raw_os_error()` of its own: [`Error::errno_of`] finds the errno in both forms.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    io: Option<io::Error>,
    /// The socket option whose call failed (`"SCTP_RTOINFO"`), shown before the message.
    option: Option<&'static str>,
}

impl Error {
    /// An error of `kind` with no system call behind it.
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                io: None,
                option: None,
            }),
        }
    }

    /// An error of `kind` caused by the system call error `io`.
    pub fn with_io(kind: ErrorKind, io: io::Error) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                io: Some(io),
                option: None,
            }),
        }
    }

    /// Classifies an error of `socket(..., IPPROTO_SCTP)`: `EPROTONOSUPPORT` and
    /// `ESOCKTNOSUPPORT` become [`ErrorKind::SctpUnavailable`], anything else
    /// [`ErrorKind::Io`].
    pub fn from_socket_error(io: io::Error) -> Self {
        match io.raw_os_error() {
            Some(libc::EPROTONOSUPPORT | libc::ESOCKTNOSUPPORT) => {
                Error::with_io(ErrorKind::SctpUnavailable, io)
            }
            _ => Error::with_io(ErrorKind::Io, io),
        }
    }

    /// [`ErrorKind::FeatureDisabled`] for the sysctl `sysctl`, caused by `io`.
    pub fn feature_disabled(sysctl: &'static str, io: io::Error) -> Self {
        Error::with_io(ErrorKind::FeatureDisabled { sysctl }, io)
    }

    /// [`ErrorKind::AssociationEnded`] with the notification that ended it, and the errno the
    /// failed call returned, if any.
    pub fn association_ended(cause: Notification, io: Option<io::Error>) -> Self {
        let kind = ErrorKind::AssociationEnded {
            cause: Box::new(cause),
        };
        match io {
            Some(io) => Error::with_io(kind, io),
            None => Error::new(kind),
        }
    }

    /// The same error, said to come from the socket option `name` (its C name, such as
    /// `"SCTP_RTOINFO"`): [`Display`](fmt::Display) then starts with `"SCTP_RTOINFO: "`, and
    /// [`socket_option`](Self::socket_option) returns it. The kind and errno stay.
    pub fn in_socket_option(mut self, name: &'static str) -> Self {
        self.inner.option = Some(name);
        self
    }

    /// The socket option whose call failed, for errors of
    /// [`SocketOptions`](crate::opts::SocketOptions).
    pub fn socket_option(&self) -> Option<&'static str> {
        self.inner.option
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The kernel's errno, if a system call failed.
    pub fn raw_os_error(&self) -> Option<i32> {
        self.inner.io.as_ref().and_then(io::Error::raw_os_error)
    }

    /// The system call's error, if there was one.
    pub fn io_error(&self) -> Option<&io::Error> {
        self.inner.io.as_ref()
    }

    /// Consumes the error, returning the system call's error, if there was one.
    pub fn into_io_error(self) -> Option<io::Error> {
        self.inner.io
    }

    /// The errno behind an `io::Error`, whether it is a plain OS error or one made from an
    /// [`Error`] (which hides the errno from [`io::Error::raw_os_error`]).
    pub fn errno_of(err: &io::Error) -> Option<i32> {
        err.raw_os_error().or_else(|| {
            err.get_ref()
                .and_then(|e| e.downcast_ref::<Error>())
                .and_then(Error::raw_os_error)
        })
    }

    /// The [`io::ErrorKind`] this error maps to: the errno's when there is one, otherwise
    /// one chosen for the kind.
    pub fn io_kind(&self) -> io::ErrorKind {
        if let Some(io) = &self.inner.io {
            return io.kind();
        }
        match &self.inner.kind {
            ErrorKind::SctpUnavailable | ErrorKind::FeatureDisabled { .. } => {
                io::ErrorKind::Unsupported
            }
            ErrorKind::StreamOutOfRange { .. } => io::ErrorKind::InvalidInput,
            ErrorKind::MessageTooLarge { .. } | ErrorKind::InvalidNotification(_) => {
                io::ErrorKind::InvalidData
            }
            ErrorKind::AssociationEnded { cause } => match &**cause {
                Notification::AssocChange(c) if c.state == AssocChangeState::CommLost => {
                    io::ErrorKind::ConnectionReset
                }
                Notification::AssocChange(c) if c.state == AssocChangeState::CantStartAssoc => {
                    io::ErrorKind::ConnectionRefused
                }
                _ => io::ErrorKind::BrokenPipe,
            },
            ErrorKind::EventsLagged { .. } | ErrorKind::MessagesLagged { .. } | ErrorKind::Io => {
                io::ErrorKind::Other
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        if let Some(option) = self.inner.option {
            d.field("option", &option);
        }
        d.field("kind", &self.inner.kind);
        if let Some(io) = &self.inner.io {
            d.field("io", io);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(option) = self.inner.option {
            write!(f, "{option}: ")?;
        }
        match &self.inner.kind {
            ErrorKind::SctpUnavailable => f.write_str(
                "SCTP is not available in this kernel; load it with `modprobe sctp` \
                 (and check /etc/modprobe.d for a blacklist entry)",
            )?,
            ErrorKind::StreamOutOfRange {
                stream,
                outbound_streams,
            } => write!(
                f,
                "stream {stream} out of range: the association has {outbound_streams} \
                 outbound streams; ask for more with SCTP_INITMSG before connecting"
            )?,
            ErrorKind::MessageTooLarge { limit } => write!(
                f,
                "message larger than the limit of {limit} bytes; raise the limit \
                 (or SO_SNDBUF when sending)"
            )?,
            ErrorKind::AssociationEnded { cause } => match &**cause {
                Notification::AssocChange(c) => {
                    write!(f, "association {} ended ({:?}", c.assoc_id, c.state)?;
                    if let Some(code) = c.abort_cause() {
                        write!(f, ", abort cause {code}")?;
                        if let Some(name) = cause_name(code) {
                            write!(f, ": {name}")?;
                        }
                    } else if c.error != 0 {
                        // No ABORT body: sac_error's byte order depends on the kernel path.
                        write!(f, ", raw sac_error {:#06x}", c.error)?;
                    }
                    f.write_str(")")?
                }
                Notification::Shutdown(s) => write!(
                    f,
                    "association {} is shutting down (the peer sent SHUTDOWN)",
                    s.assoc_id
                )?,
                other => write!(f, "association ended: {other:?}")?,
            },
            ErrorKind::FeatureDisabled { sysctl } => write!(
                f,
                "the kernel has this SCTP feature turned off; enable it with \
                 `sysctl -w {sysctl}=1`"
            )?,
            ErrorKind::InvalidNotification(e) => write!(f, "invalid SCTP notification: {e}")?,
            ErrorKind::EventsLagged { dropped } => write!(
                f,
                "{dropped} SCTP notifications dropped: the event queue was full; \
                 read events sooner or raise the queue's capacity"
            )?,
            ErrorKind::MessagesLagged { dropped } => write!(
                f,
                "{dropped} SCTP messages dropped: the stream's queue was full; read the \
                 stream sooner, raise the queue's capacity or use SlowConsumer::Backpressure"
            )?,
            ErrorKind::Io => {
                return match &self.inner.io {
                    Some(io) => fmt::Display::fmt(io, f),
                    None => f.write_str("I/O error"),
                }
            }
        }
        if let Some(errno) = self.raw_os_error() {
            write!(f, " (os error {errno})")?;
        }
        Ok(())
    }
}

/// The RFC 9260 §3.3.10 name of error cause `code` (host order), for messages.
fn cause_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1 => "Invalid Stream Identifier",
        2 => "Missing Mandatory Parameter",
        3 => "Stale Cookie Error",
        4 => "Out of Resource",
        5 => "Unresolvable Address",
        6 => "Unrecognized Chunk Type",
        7 => "Invalid Mandatory Parameter",
        8 => "Unrecognized Parameters",
        9 => "No User Data",
        10 => "Cookie Received While Shutting Down",
        11 => "Restart of an Association with New Addresses",
        12 => "User-Initiated Abort",
        13 => "Protocol Violation",
        _ => return None,
    })
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            // Display shows the io::Error itself: continue the chain below it.
            ErrorKind::Io => self.inner.io.as_ref().and_then(|e| e.source()),
            ErrorKind::InvalidNotification(e) => Some(e),
            _ => self
                .inner
                .io
                .as_ref()
                .map(|e| e as &(dyn std::error::Error + 'static)),
        }
    }
}

impl From<io::Error> for Error {
    /// An [`ErrorKind::Io`] error, or the original [`Error`] if `err` was made from one.
    fn from(err: io::Error) -> Self {
        match err.downcast::<Error>() {
            Ok(e) => e,
            Err(err) => Error::with_io(ErrorKind::Io, err),
        }
    }
}

impl From<Error> for io::Error {
    /// See [`Error`#conversion-to-ioerror](Error#conversion-to-ioerror).
    fn from(err: Error) -> Self {
        if matches!(err.inner.kind, ErrorKind::Io) && err.inner.option.is_none() {
            if let Some(io) = err.inner.io {
                return io;
            }
            return io::Error::other("I/O error");
        }
        io::Error::new(err.io_kind(), err)
    }
}

impl From<NotificationError> for Error {
    fn from(err: NotificationError) -> Self {
        Error::new(ErrorKind::InvalidNotification(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::{AssocChange, Shutdown};
    use std::error::Error as _;

    fn comm_lost() -> Notification {
        let bytes = {
            let mut b = Vec::new();
            for v in [0x8001u16, 0] {
                b.extend_from_slice(&v.to_ne_bytes());
            }
            b.extend_from_slice(&20u32.to_ne_bytes());
            for v in [1u16, 0, 0, 0] {
                b.extend_from_slice(&v.to_ne_bytes());
            }
            b.extend_from_slice(&5i32.to_ne_bytes());
            b
        };
        Notification::parse(&bytes).unwrap()
    }

    #[test]
    fn socket_errors_are_classified() {
        for errno in [libc::EPROTONOSUPPORT, libc::ESOCKTNOSUPPORT] {
            let e = Error::from_socket_error(io::Error::from_raw_os_error(errno));
            assert!(matches!(e.kind(), ErrorKind::SctpUnavailable));
            assert_eq!(e.raw_os_error(), Some(errno));
            let text = e.to_string();
            assert!(text.contains("modprobe sctp"), "{text}");
            assert!(text.contains(&format!("os error {errno}")), "{text}");
            assert_eq!(
                e.source().unwrap().to_string(),
                io::Error::from_raw_os_error(errno).to_string()
            );
        }
        let e = Error::from_socket_error(io::Error::from_raw_os_error(libc::EMFILE));
        assert!(matches!(e.kind(), ErrorKind::Io));
        assert_eq!(e.raw_os_error(), Some(libc::EMFILE));
        assert_eq!(
            e.to_string(),
            io::Error::from_raw_os_error(libc::EMFILE).to_string()
        );
    }

    #[test]
    fn io_round_trip_keeps_errno() {
        let e: Error = io::Error::from_raw_os_error(libc::EPIPE).into();
        let io: io::Error = e.into();
        assert_eq!(io.raw_os_error(), Some(libc::EPIPE));
        assert_eq!(io.kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn typed_errors_survive_io_conversion() {
        let e = Error::feature_disabled(
            "net.sctp.reconf_enable",
            io::Error::from_raw_os_error(libc::ENOPROTOOPT),
        );
        assert!(e.to_string().contains("sysctl -w net.sctp.reconf_enable=1"));
        let io: io::Error = e.into();
        assert_eq!(io.raw_os_error(), None);
        assert_eq!(Error::errno_of(&io), Some(libc::ENOPROTOOPT));
        assert_eq!(
            io.kind(),
            io::Error::from_raw_os_error(libc::ENOPROTOOPT).kind()
        );
        // And back: the original Error, not an Io wrapper.
        let back = Error::from(io);
        assert!(matches!(
            back.kind(),
            ErrorKind::FeatureDisabled {
                sysctl: "net.sctp.reconf_enable"
            }
        ));
        assert_eq!(back.raw_os_error(), Some(libc::ENOPROTOOPT));
    }

    #[test]
    fn kinds_without_errno_map_to_io_kinds() {
        let e = Error::new(ErrorKind::StreamOutOfRange {
            stream: 10,
            outbound_streams: 10,
        });
        assert_eq!(e.raw_os_error(), None);
        assert!(e.source().is_none());
        assert!(e.to_string().contains("stream 10 out of range"));
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::InvalidInput);

        let e = Error::new(ErrorKind::MessageTooLarge { limit: 64 });
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::InvalidData);

        let e = Error::association_ended(comm_lost(), None);
        assert!(
            e.to_string().contains("association 5 ended (CommLost"),
            "{e}"
        );
        assert_eq!(e.io_kind(), io::ErrorKind::ConnectionReset);
        match e.kind() {
            ErrorKind::AssociationEnded { cause } => {
                assert!(matches!(
                    **cause,
                    Notification::AssocChange(AssocChange { assoc_id: 5, .. })
                ))
            }
            other => panic!("{other:?}"),
        }

        let shutdown = Notification::Shutdown(Shutdown { assoc_id: 8 });
        let e = Error::association_ended(shutdown, Some(io::Error::from_raw_os_error(libc::EPIPE)));
        assert_eq!(e.raw_os_error(), Some(libc::EPIPE));
        assert!(
            e.to_string().contains("association 8 is shutting down"),
            "{e}"
        );
        assert_eq!(e.io_kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn association_ended_names_the_abort_cause_in_host_order() {
        let lost = |error: u16, info: &'static [u8]| {
            // The notification as Linux writes it: sac_error raw, the ABORT causes after it.
            let mut b = Vec::new();
            for v in [0x8001u16, 0] {
                b.extend_from_slice(&v.to_ne_bytes());
            }
            b.extend_from_slice(&(20 + info.len() as u32).to_ne_bytes());
            b.extend_from_slice(&1u16.to_ne_bytes());
            b.extend_from_slice(&error.to_ne_bytes());
            b.extend_from_slice(&[0; 4]);
            b.extend_from_slice(&9i32.to_ne_bytes());
            b.extend_from_slice(info);
            Notification::parse(&b).unwrap()
        };
        // A peer's User-Initiated Abort: sac_error is 12 in network order (3072 on x86).
        let user_abort = u16::from_ne_bytes([0, 12]);
        let e = Error::association_ended(lost(user_abort, &[0, 12, 0, 4]), None);
        assert_eq!(
            e.to_string(),
            "association 9 ended (CommLost, abort cause 12: User-Initiated Abort)"
        );
        // An unnamed cause code still shows.
        let e = Error::association_ended(lost(0, &[0x01, 0x00, 0, 4]), None);
        assert_eq!(
            e.to_string(),
            "association 9 ended (CommLost, abort cause 256)"
        );
        // Retransmissions ran out: nothing to say about a cause.
        let e = Error::association_ended(lost(0, &[]), None);
        assert_eq!(e.to_string(), "association 9 ended (CommLost)");
        // No ABORT body but a sac_error: shown raw, not reinterpreted.
        let e = Error::association_ended(lost(user_abort, &[]), None);
        assert_eq!(
            e.to_string(),
            format!("association 9 ended (CommLost, raw sac_error {user_abort:#06x})")
        );
    }

    #[test]
    fn events_lagged() {
        let e = Error::new(ErrorKind::EventsLagged { dropped: 3 });
        assert!(
            e.to_string().starts_with("3 SCTP notifications dropped"),
            "{e}"
        );
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::Other);
    }

    #[test]
    fn invalid_notification_has_source() {
        let err = Notification::parse(&[1, 2, 3]).unwrap_err();
        let e = Error::from(err);
        assert!(matches!(e.kind(), ErrorKind::InvalidNotification(_)));
        assert_eq!(e.source().unwrap().to_string(), err.to_string());
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn socket_option_errors_name_the_option() {
        let e = Error::from(io::Error::from_raw_os_error(libc::EINVAL))
            .in_socket_option("SCTP_RTOINFO");
        assert_eq!(
            e.to_string(),
            "SCTP_RTOINFO: Invalid argument (os error 22)"
        );
        assert_eq!(e.socket_option(), Some("SCTP_RTOINFO"));
        assert!(matches!(e.kind(), ErrorKind::Io));
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(e.io_kind(), io::ErrorKind::InvalidInput);
        // As an io::Error the name survives (wrapped), and so do the errno and the kind.
        let io: io::Error = e.into();
        assert_eq!(
            io.to_string(),
            "SCTP_RTOINFO: Invalid argument (os error 22)"
        );
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(Error::errno_of(&io), Some(libc::EINVAL));
        assert_eq!(Error::from(io).socket_option(), Some("SCTP_RTOINFO"));
        // A typed kind keeps its hint after the name.
        let e = Error::feature_disabled(
            "net.sctp.auth_enable",
            io::Error::from_raw_os_error(libc::EACCES),
        )
        .in_socket_option("SCTP_AUTH_KEY");
        assert!(
            e.to_string()
                .starts_with("SCTP_AUTH_KEY: the kernel has this SCTP feature"),
            "{e}"
        );
        assert!(e.to_string().ends_with("(os error 13)"), "{e}");
    }

    #[test]
    fn error_is_send_sync_and_small() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
