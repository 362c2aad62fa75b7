//! [`SctpSocket`]: an SCTP socket being configured, before it connects, listens or becomes a
//! one-to-many endpoint (the counterpart of tokio's `TcpSocket`).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::time::Duration;

use linux_sctp_sys::ops;
use socket2::SockRef;

use crate::engine::{Config, EventChoice, Style};
use crate::error::{Error, Result};
use crate::notification::Subscriptions;
use crate::opts::{InitParams, SocketOptions};
use crate::{SctpEndpoint, SctpListener, SctpStream};

/// An SCTP socket that is being set up: options, bind, then
/// [`connect`](Self::connect) / [`listen`](Self::listen) (one-to-one) or
/// [`into_endpoint`](Self::into_endpoint) (one-to-many).
///
/// Like tokio's `TcpSocket`, it needs no runtime until it connects or listens. Every new
/// socket is non-blocking and close-on-exec, has `SCTP_RECVRCVINFO` and `SCTP_RECVNXTINFO` on
/// (per-message metadata and the look-ahead that saves a syscall per message), and is
/// subscribed to [`Subscriptions::default()`] through `SCTP_EVENT` (Linux 5.0+). An IPv6 socket
/// is dual-stack (IPv4 peers appear as `::ffff:a.b.c.d`) unless
/// [`set_only_v6`](Self::set_only_v6) says otherwise.
///
/// Sockets made from this one (accepted, peeled off) inherit its kernel options and its
/// tokio-linux-sctp settings ([`set_max_message_size`](Self::set_max_message_size),
/// [`set_event_capacity`](Self::set_event_capacity), [`subscribe`](Self::subscribe)).
///
/// # Examples
///
/// ```no_run
/// use tokio_linux_sctp::{InitParams, SctpSocket};
///
/// # async fn f() -> tokio_linux_sctp::error::Result<()> {
/// let socket = SctpSocket::new_v4()?;
/// socket.set_init(InitParams::new().streams(16, 16))?;
/// socket.set_nodelay(true)?;
/// let stream = socket.connect("127.0.0.1:2905".parse().unwrap()).await?;
/// # Ok(())
/// # }
/// ```
pub struct SctpSocket {
    fd: OwnedFd,
    style: Style,
    config: Config,
    /// The notifications the user chose, shared with [`options`](Self::options).
    events: EventChoice,
    /// What the kernel is subscribed to (a fresh socket: nothing).
    kernel_subs: Subscriptions,
}

impl SctpSocket {
    /// A one-to-one (`SOCK_STREAM`) IPv4 socket.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SctpUnavailable`](crate::error::ErrorKind::SctpUnavailable) if the kernel has no SCTP, or the error of a
    /// `setsockopt` that sets the defaults above (`SCTP_EVENT` needs Linux 5.0).
    pub fn new_v4() -> Result<Self> {
        Self::new(libc::AF_INET, Style::OneToOne)
    }

    /// A one-to-one (`SOCK_STREAM`) IPv6 socket, dual-stack by default.
    ///
    /// # Errors
    ///
    /// As [`new_v4`](Self::new_v4).
    pub fn new_v6() -> Result<Self> {
        Self::new(libc::AF_INET6, Style::OneToOne)
    }

    /// A one-to-many (`SOCK_SEQPACKET`) IPv4 socket, for [`into_endpoint`](Self::into_endpoint).
    ///
    /// # Errors
    ///
    /// As [`new_v4`](Self::new_v4).
    pub fn new_v4_one_to_many() -> Result<Self> {
        Self::new(libc::AF_INET, Style::OneToMany)
    }

    /// A one-to-many (`SOCK_SEQPACKET`) IPv6 socket, dual-stack by default.
    ///
    /// # Errors
    ///
    /// As [`new_v4`](Self::new_v4).
    pub fn new_v6_one_to_many() -> Result<Self> {
        Self::new(libc::AF_INET6, Style::OneToMany)
    }

    /// A one-to-one socket of the family of `addr`.
    pub(crate) fn for_addr(addr: &SocketAddr) -> Result<Self> {
        match addr {
            SocketAddr::V4(_) => Self::new_v4(),
            SocketAddr::V6(_) => Self::new_v6(),
        }
    }

    fn new(domain: libc::c_int, style: Style) -> Result<Self> {
        let ty = match style {
            Style::OneToMany => libc::SOCK_SEQPACKET,
            _ => libc::SOCK_STREAM,
        };
        let fd = open(domain, ty)?;
        let mut socket = SctpSocket {
            fd,
            style,
            config: Config::default(),
            events: EventChoice::new(Subscriptions::empty()),
            kernel_subs: Subscriptions::empty(),
        };
        let on: libc::c_int = 1;
        linux_sctp_sys::sockopt::set(
            socket.fd.as_fd(),
            linux_sctp_sys::sockopt::SCTP_RECVRCVINFO,
            &on,
        )?;
        linux_sctp_sys::sockopt::set(
            socket.fd.as_fd(),
            linux_sctp_sys::sockopt::SCTP_RECVNXTINFO,
            &on,
        )?;
        if domain == libc::AF_INET6 {
            SockRef::from(&socket.fd).set_only_v6(false)?;
        }
        socket.apply_subscriptions(Subscriptions::default())?;
        Ok(socket)
    }

    /// Brings the kernel's subscriptions to `delivered` plus the types the engine needs,
    /// with one `SCTP_EVENT` per type that changes.
    fn apply_subscriptions(&mut self, delivered: Subscriptions) -> Result<()> {
        self.events
            .apply(self.fd.as_fd(), &mut self.kernel_subs, delivered)?;
        Ok(())
    }

    /// The settings the socket made from this one starts with.
    fn config(&self) -> Config {
        Config {
            delivered: self.events.wanted(),
            ..self.config
        }
    }

    /// Sets which notifications reach the event stream, subscribing to them in the kernel
    /// with one `SCTP_EVENT` per type that changes (Linux 5.0+).
    ///
    /// Association changes, shutdown and partial delivery events stay subscribed in the
    /// kernel whatever `subs` says (tokio-linux-sctp needs them for stream counts, association ends
    /// and reassembly); without them in `subs` they are applied and dropped instead of
    /// delivered.
    ///
    /// # Errors
    ///
    /// The `setsockopt` error: `EINVAL` for a type the running kernel does not know (for
    /// [`EventType::SendFailedEvent`](crate::notification::EventType::SendFailedEvent) before 5.5, use
    /// [`Subscriptions::with_legacy_send_failed`]).
    #[doc(alias = "SCTP_EVENT")]
    pub fn subscribe(&mut self, subs: Subscriptions) -> Result<()> {
        self.apply_subscriptions(subs)
    }

    /// The notifications delivered to the event stream.
    pub fn subscriptions(&self) -> Subscriptions {
        self.events.wanted()
    }

    /// Binds to one local address (port 0: an ephemeral port). `bind(2)`.
    ///
    /// # Errors
    ///
    /// `EADDRINUSE`, `EADDRNOTAVAIL`, `EINVAL` (already bound), ...
    pub fn bind(&self, addr: SocketAddr) -> Result<()> {
        SockRef::from(&self.fd).bind(&addr.into())?;
        Ok(())
    }

    /// Binds to several local addresses at once (multihoming):
    /// `sctp_bindx(SCTP_BINDX_ADD_ADDR)`. All must have the same port (0 picks one); IPv4
    /// addresses are allowed on an IPv6 socket.
    ///
    /// # Errors
    ///
    /// `EINVAL` (different ports, empty list), `EADDRINUSE`, `EADDRNOTAVAIL`, ... On error
    /// the kernel rolls back the addresses it had added.
    #[doc(alias = "sctp_bindx")]
    pub fn bindx(&self, addrs: &[SocketAddr]) -> Result<()> {
        ops::bindx(self.fd.as_fd(), addrs, linux_sctp_sys::SCTP_BINDX_ADD_ADDR)?;
        Ok(())
    }

    /// Sets the INIT parameters of the associations this socket starts or accepts
    /// (`SCTP_INITMSG`).
    ///
    /// # Errors
    ///
    /// The `setsockopt` error.
    #[doc(alias = "SCTP_INITMSG")]
    pub fn set_init(&self, params: InitParams) -> Result<()> {
        self.options().set_init_msg(&params)
    }

    /// Turns Nagle-like bundling delays off (`SCTP_NODELAY`): a small message goes out at
    /// once instead of waiting up to a SACK delay for more data.
    ///
    /// # Errors
    ///
    /// The `setsockopt` error.
    #[doc(alias = "SCTP_NODELAY")]
    pub fn set_nodelay(&self, nodelay: bool) -> Result<()> {
        self.options().set_nodelay(nodelay)
    }

    /// Sets `SO_SNDBUF`. A message larger than the send buffer fails with `EMSGSIZE`
    /// (SCTP sends are all-or-nothing), so raise it above the largest message you send. The
    /// kernel doubles the value and caps it at `net.core.wmem_max`.
    ///
    /// # Errors
    ///
    /// The `setsockopt` error.
    #[doc(alias = "SO_SNDBUF")]
    pub fn set_send_buffer_size(&self, size: usize) -> Result<()> {
        SockRef::from(&self.fd).set_send_buffer_size(size)?;
        Ok(())
    }

    /// Sets `SO_RCVBUF` (doubled by the kernel, capped at `net.core.rmem_max`).
    ///
    /// # Errors
    ///
    /// The `setsockopt` error.
    #[doc(alias = "SO_RCVBUF")]
    pub fn set_recv_buffer_size(&self, size: usize) -> Result<()> {
        SockRef::from(&self.fd).set_recv_buffer_size(size)?;
        Ok(())
    }

    /// Sets `SO_REUSEADDR`.
    ///
    /// # Errors
    ///
    /// The `setsockopt` error.
    #[doc(alias = "SO_REUSEADDR")]
    pub fn set_reuseaddr(&self, reuse: bool) -> Result<()> {
        SockRef::from(&self.fd).set_reuse_address(reuse)?;
        Ok(())
    }

    /// Sets `SO_REUSEPORT` (several sockets bound to one port).
    ///
    /// # Errors
    ///
    /// The `setsockopt` error.
    #[doc(alias = "SO_REUSEPORT")]
    pub fn set_reuseport(&self, reuse: bool) -> Result<()> {
        SockRef::from(&self.fd).set_reuse_port(reuse)?;
        Ok(())
    }

    /// Makes an IPv6 socket IPv6-only (`IPV6_V6ONLY`); set before binding.
    ///
    /// # Errors
    ///
    /// The `setsockopt` error (`ENOPROTOOPT` on an IPv4 socket).
    #[doc(alias = "IPV6_V6ONLY")]
    pub fn set_only_v6(&self, only_v6: bool) -> Result<()> {
        SockRef::from(&self.fd).set_only_v6(only_v6)?;
        Ok(())
    }

    /// Caps the size of one received message (4 MiB by default).
    ///
    /// A longer message makes `recv` fail once, in that message's place, with
    /// [`ErrorKind::MessageTooLarge`](crate::error::ErrorKind::MessageTooLarge); the rest
    /// of it is read and dropped as it arrives, so at most `max` bytes of it are ever held.
    /// The message is lost: its stream, PPID and (on an endpoint) association are not
    /// reported, and the peer is not told (the kernel acknowledged it). The association
    /// stays up and the next message, of any stream or association, comes through
    /// normally; messages of exactly `max` bytes are delivered. The same holds when the
    /// [event stream](crate::SctpEvents) read the message ahead. `recv_into` is not capped.
    pub fn set_max_message_size(&mut self, max: usize) {
        self.config.max_message_size = max.max(1);
    }

    /// Limits how long [`connect`](Self::connect) and [`connectx`](Self::connectx) (and
    /// [`SctpEndpoint::connect`] on an endpoint made from this socket) wait for the
    /// association to come up. `None` (the default) leaves it to the kernel, which gives up
    /// after [`InitParams::max_attempts`] INIT transmissions (by default 8, over about four
    /// minutes with the default RTOs).
    ///
    /// When the time runs out the handshake is aborted: a one-to-one socket is closed with
    /// `SO_LINGER` 0, which sends an ABORT and stops the INIT retransmissions to every
    /// address of a multihomed peer; an endpoint aborts that one association. The connect
    /// then fails with `ETIMEDOUT` ([`io::ErrorKind::TimedOut`]), the errno the kernel
    /// reports when its own INIT attempts run out, so both cases can be handled alike.
    ///
    /// Connecting with a timeout needs a tokio runtime with the time driver
    /// (`enable_time` / `enable_all`); without it the connect panics.
    pub fn set_connect_timeout(&mut self, timeout: Option<Duration>) {
        self.config.connect_timeout = timeout;
    }

    /// The connect timeout (see [`set_connect_timeout`](Self::set_connect_timeout)).
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.config.connect_timeout
    }

    /// Sets how many notifications are kept for the event stream (1024 by default); see
    /// [the events module](crate::events) for what happens when it is full.
    pub fn set_event_capacity(&mut self, capacity: usize) {
        self.config.event_capacity = capacity.max(1);
    }

    /// The typed socket options of this socket (for the association defaults, like
    /// `SCTP_FUTURE_ASSOC`).
    pub fn options(&self) -> SocketOptions<'_> {
        SocketOptions::managed(
            self.fd.as_fd(),
            linux_sctp_sys::SCTP_FUTURE_ASSOC,
            &self.events,
        )
    }

    /// The first local address (`getsockname(2)`).
    ///
    /// # Errors
    ///
    /// The `getsockname` error.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        crate::stream::sock_addr(SockRef::from(&self.fd).local_addr())
    }

    /// All local addresses (`sctp_getladdrs(fd, 0)`): a wildcard bind lists every address.
    ///
    /// # Errors
    ///
    /// The `getsockopt` error.
    #[doc(alias = "sctp_getladdrs")]
    pub fn local_addrs(&self) -> Result<Vec<SocketAddr>> {
        Ok(ops::getladdrs(self.fd.as_fd(), 0)?)
    }

    fn expect_style(&self, style: Style, what: &str) -> Result<()> {
        if self.style == style {
            return Ok(());
        }
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{what} needs a {style:?} socket"),
        )
        .into())
    }

    /// Starts listening (`listen(2)`) and returns the listener. One-to-one sockets only; a
    /// one-to-many socket listens through [`SctpEndpoint::listen`].
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// # Errors
    ///
    /// `InvalidInput` on a one-to-many socket, or the `listen` error.
    pub fn listen(self, backlog: u32) -> Result<SctpListener> {
        self.expect_style(Style::OneToOne, "listen")?;
        let backlog = i32::try_from(backlog).unwrap_or(i32::MAX);
        SockRef::from(&self.fd).listen(backlog)?;
        let config = self.config();
        SctpListener::from_parts(self.fd, config)
    }

    /// Connects to `addr` and waits until the association is established (`COMM_UP`).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before it completes aborts the handshake: the socket is closed
    /// with `SO_LINGER` 0, which sends an ABORT. For a connect timeout use
    /// [`set_connect_timeout`](Self::set_connect_timeout) (or wrap the call in
    /// `tokio::time::timeout`); the kernel's own limit is [`InitParams::max_attempts`] /
    /// [`InitParams::max_init_timeout`] (failing with `ETIMEDOUT`).
    ///
    /// # Errors
    ///
    /// The kernel's reason: `ECONNREFUSED` (the peer answered with ABORT), `ETIMEDOUT` (INIT
    /// retries exhausted, or the [connect timeout](Self::set_connect_timeout) ran out),
    /// `ENETUNREACH`, ...
    pub async fn connect(self, addr: SocketAddr) -> Result<SctpStream> {
        self.connectx(&[addr]).await
    }

    /// Connects to a peer known by several addresses (`sctp_connectx`, all with one port) and
    /// waits until the association is established.
    ///
    /// # Cancel safety
    ///
    /// As [`connect`](Self::connect).
    ///
    /// # Errors
    ///
    /// As [`connect`](Self::connect), plus `EINVAL` for different ports.
    #[doc(alias = "sctp_connectx")]
    pub async fn connectx(self, addrs: &[SocketAddr]) -> Result<SctpStream> {
        self.expect_style(Style::OneToOne, "connect")?;
        let config = self.config();
        SctpStream::establish(self.fd, config, addrs).await
    }

    /// Turns a one-to-many socket into an [`SctpEndpoint`]. It does not listen: call
    /// [`SctpEndpoint::listen`] to accept incoming associations.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// # Errors
    ///
    /// `InvalidInput` on a one-to-one socket.
    pub fn into_endpoint(self) -> Result<SctpEndpoint> {
        self.expect_style(Style::OneToMany, "into_endpoint")?;
        let config = self.config();
        SctpEndpoint::from_parts(self.fd, config)
    }
}

/// A new non-blocking, close-on-exec SCTP socket; `EPROTONOSUPPORT` / `ESOCKTNOSUPPORT`
/// become [`ErrorKind::SctpUnavailable`](crate::error::ErrorKind::SctpUnavailable).
fn open(domain: libc::c_int, ty: libc::c_int) -> Result<OwnedFd> {
    ops::socket(domain, ty | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC)
        .map_err(Error::from_socket_error)
}

impl AsFd for SctpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for SctpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl fmt::Debug for SctpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SctpSocket")
            .field("fd", &self.fd)
            .field("style", &self.style)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// The errnos of a kernel without SCTP, produced by a kernel with it: `socket(2)` answers
    /// `IPPROTO_SCTP` with `EPROTONOSUPPORT` for a socket type that SCTP does not serve, and
    /// with `ESOCKTNOSUPPORT` for a type no IPv4 protocol serves, exactly as it answers
    /// `SOCK_STREAM` / `SOCK_SEQPACKET` when SCTP is missing. (The lab kernel has SCTP, so
    /// the real "module not loaded" case cannot be produced there; this checks the same
    /// classification on the same code path with real kernel errnos.)
    #[test]
    fn socket_creation_reports_missing_sctp_as_unavailable() {
        for (domain, ty, errno) in [
            (libc::AF_INET, libc::SOCK_DGRAM, libc::EPROTONOSUPPORT),
            (libc::AF_INET6, libc::SOCK_DGRAM, libc::EPROTONOSUPPORT),
            (libc::AF_INET, libc::SOCK_RDM, libc::ESOCKTNOSUPPORT),
        ] {
            let err = open(domain, ty).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::SctpUnavailable),
                "{domain}/{ty}: {err:?}"
            );
            assert_eq!(err.raw_os_error(), Some(errno), "{domain}/{ty}: {err:?}");
            assert_eq!(
                err.io_kind(),
                std::io::Error::from_raw_os_error(errno).kind()
            );
            assert!(err.to_string().contains("modprobe sctp"), "{err}");
        }
        // Any other socket() failure is not about SCTP: an address family past the last one
        // the kernel knows (NPROTO).
        let err = open(1000, libc::SOCK_STREAM).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Io), "{err:?}");
        assert_eq!(err.raw_os_error(), Some(libc::EAFNOSUPPORT));
    }

    #[test]
    fn no_sctp_is_reported_as_unavailable() {
        // On a kernel without SCTP this must be the typed error; with SCTP it must work.
        match SctpSocket::new_v4() {
            Ok(s) => assert!(s.as_raw_fd() >= 0),
            Err(e) => assert!(
                matches!(e.kind(), ErrorKind::SctpUnavailable),
                "unexpected error {e:?}"
            ),
        }
    }
}
