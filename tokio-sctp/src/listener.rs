//! [`SctpListener`]: a one-to-one socket accepting associations.

use std::fmt;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::task::{Context, Poll};

use linux_sctp_sys::ops;
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

use crate::engine::{Config, EventChoice, Style};
use crate::error::Result;
use crate::opts::SocketOptions;
use crate::{sys, SctpSocket, SctpStream};

/// A one-to-one SCTP socket listening for associations, like tokio's `TcpListener`.
///
/// Made by [`SctpListener::bind`] or [`SctpSocket::listen`]. Accepted streams inherit the
/// listener's kernel options (event subscriptions, INIT parameters, nodelay, buffer sizes) and
/// its tokio-linux-sctp settings.
///
/// # Examples
///
/// ```no_run
/// use tokio_linux_sctp::{message::SendInfo, SctpListener};
///
/// # async fn f() -> tokio_linux_sctp::error::Result<()> {
/// let listener = SctpListener::bind("0.0.0.0:2905".parse().unwrap())?;
/// loop {
///     let (stream, peer_addrs) = listener.accept().await?;
///     tokio::spawn(async move {
///         while let Ok((msg, info)) = stream.recv().await {
///             let reply = SendInfo::new().stream(info.stream).ppid(info.ppid);
///             let _ = stream.send(&msg, &reply).await;
///         }
///         drop(peer_addrs);
///     });
/// }
/// # }
/// ```
pub struct SctpListener {
    fd: AsyncFd<OwnedFd>,
    config: Config,
    /// The notifications the user chose, for the associations to be accepted.
    events: EventChoice,
}

impl SctpListener {
    /// Binds a new one-to-one socket of the family of `addr` to `addr` (port 0: ephemeral)
    /// and listens with a backlog of 1024.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SctpUnavailable`](crate::error::ErrorKind::SctpUnavailable), or the
    /// `bind`/`listen` error.
    pub fn bind(addr: SocketAddr) -> Result<SctpListener> {
        let socket = SctpSocket::for_addr(&addr)?;
        socket.bind(addr)?;
        socket.listen(1024)
    }

    pub(crate) fn from_parts(fd: OwnedFd, config: Config) -> Result<SctpListener> {
        Ok(SctpListener {
            fd: sys::register(fd)?,
            config,
            events: EventChoice::new(config.delivered),
        })
    }

    /// Accepts an association: the new stream and the peer's addresses.
    ///
    /// One `accept4(2)` (non-blocking, close-on-exec), plus `SCTP_STATUS` and
    /// `sctp_getpaddrs` for the association id, stream counts and peer addresses.
    ///
    /// An association that ended while it waited to be accepted is still returned, as Linux
    /// hands it out: its stream yields the messages that arrived before the end, then
    /// [`AssociationEnded`](crate::error::ErrorKind::AssociationEnded); sends fail. Its
    /// [`assoc_id`](SctpStream::assoc_id) is 0, and the peer list is the one address
    /// `accept4` reported.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: an association is only taken from the kernel when the call completes.
    ///
    /// # Errors
    ///
    /// The `accept4` error, or the error of the queries above.
    pub async fn accept(&self) -> Result<(SctpStream, Vec<SocketAddr>)> {
        let (fd, peer) = self
            .fd
            .async_io(Interest::READABLE, |fd| accept(fd.as_fd()))
            .await?;
        self.finish_accept(fd, peer)
    }

    /// Polls an [`accept`](Self::accept). Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As [`accept`](Self::accept).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<Result<(SctpStream, Vec<SocketAddr>)>> {
        loop {
            let mut guard = match self.fd.poll_read_ready(cx) {
                Poll::Ready(Ok(g)) => g,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Pending => return Poll::Pending,
            };
            match guard.try_io(|fd| accept(fd.as_fd())) {
                Ok(Ok((fd, peer))) => return Poll::Ready(self.finish_accept(fd, peer)),
                Ok(Err(e)) => return Poll::Ready(Err(e.into())),
                Err(_would_block) => continue,
            }
        }
    }

    fn finish_accept(
        &self,
        fd: OwnedFd,
        peer: Option<SocketAddr>,
    ) -> Result<(SctpStream, Vec<SocketAddr>)> {
        let config = Config {
            delivered: self.events.wanted(),
            ..self.config
        };
        let stream = SctpStream::from_established(fd, Style::OneToOne, config)?;
        let peers = match stream.peer_addrs() {
            Ok(peers) => peers,
            // The association already ended (see `SctpStream::from_core`): the address
            // accept(2) reported is all that is left.
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => peer.into_iter().collect(),
            Err(e) => return Err(e),
        };
        Ok((stream, peers))
    }

    /// The local addresses (`sctp_getladdrs(fd, 0)`; a wildcard bind lists every address).
    ///
    /// # Errors
    ///
    /// The `getsockopt` error.
    #[doc(alias = "sctp_getladdrs")]
    pub fn local_addrs(&self) -> Result<Vec<SocketAddr>> {
        Ok(ops::getladdrs(self.fd.get_ref().as_fd(), 0)?)
    }

    /// The bound address (`getsockname(2)`), with the port the kernel picked for port 0.
    ///
    /// # Errors
    ///
    /// The `getsockname` error.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        crate::stream::sock_addr(socket2::SockRef::from(self.fd.get_ref()).local_addr())
    }

    /// The typed socket options (for the associations to be accepted).
    pub fn options(&self) -> SocketOptions<'_> {
        SocketOptions::managed(
            self.fd.get_ref().as_fd(),
            linux_sctp_sys::SCTP_FUTURE_ASSOC,
            &self.events,
        )
    }
}

/// `accept4(2)` with `SOCK_NONBLOCK | SOCK_CLOEXEC`.
fn accept(fd: BorrowedFd<'_>) -> std::io::Result<(OwnedFd, Option<SocketAddr>)> {
    ops::accept4(fd, libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC)
}

impl AsFd for SctpListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.get_ref().as_fd()
    }
}

impl AsRawFd for SctpListener {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl fmt::Debug for SctpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SctpListener")
            .field("fd", self.fd.get_ref())
            .finish_non_exhaustive()
    }
}
