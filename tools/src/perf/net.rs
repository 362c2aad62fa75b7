//! The sockets sctp_perf measures over: their set-up (buffers, `SCTP_NODELAY`, INIT stream
//! counts, `bind` or `sctp_bindx`), and [`Conn`], one association seen the same way
//! whether it is a one-to-one socket or an association of a one-to-many endpoint.
//!
//! Every socket is set up as `benches/` sets up its sockets (`SO_SNDBUF`, a larger receive
//! buffer forced with `SO_RCVBUFFORCE` where allowed, `SCTP_NODELAY`), so the numbers of the
//! two can be compared.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, BorrowedFd};

use bytes::Bytes;
use linux_sctp_sys::sockopt;
use tokio_linux_sctp::error::{Error, ErrorKind};
use tokio_linux_sctp::message::{RecvInfo, SendInfo};
use tokio_linux_sctp::notification::Notification;
use tokio_linux_sctp::{AssocId, InitParams, SctpEndpoint, SctpEvents, SctpSocket, SctpStream};

use super::cli::Options;
use super::report::Path;
use super::wire::{Control, CONTROL_PPID};

/// The largest message size of the command line (client) or of the protocol (server).
fn largest(o: &Options) -> usize {
    o.sizes.iter().copied().max().unwrap_or(0) as usize
}

/// A new socket of the family of `v6`, set up from the options: buffers (`SO_SNDBUF` at
/// least the largest message, so that the kernel takes it), `SCTP_NODELAY`, and
/// `streams` outbound and inbound streams in the INIT.
pub fn socket(o: &Options, v6: bool, streams: u16) -> Result<SctpSocket, String> {
    let s = match (v6, o.one_to_many) {
        (false, false) => SctpSocket::new_v4(),
        (false, true) => SctpSocket::new_v4_one_to_many(),
        (true, false) => SctpSocket::new_v6(),
        (true, true) => SctpSocket::new_v6_one_to_many(),
    }
    .map_err(|e| format!("socket: {e}"))?;
    s.set_send_buffer_size(o.sndbuf.max(largest(o)))
        .map_err(|e| format!("SO_SNDBUF: {e}"))?;
    set_rcvbuf(s.as_fd(), o.rcvbuf)?;
    s.set_nodelay(o.nodelay)
        .map_err(|e| format!("SCTP_NODELAY: {e}"))?;
    s.set_init(InitParams::new().streams(streams, streams))
        .map_err(|e| format!("SCTP_INITMSG: {e}"))?;
    Ok(s)
}

/// The receive buffer: `SO_RCVBUFFORCE` (past `net.core.rmem_max`) when allowed, else
/// `SO_RCVBUF`.
fn set_rcvbuf(fd: BorrowedFd<'_>, size: usize) -> Result<(), String> {
    let v = libc::c_int::try_from(size).unwrap_or(libc::c_int::MAX);
    match sockopt::set(fd, sockopt::SO_RCVBUFFORCE, &v) {
        Err(e) if e.raw_os_error() == Some(libc::EPERM) => sockopt::set(fd, sockopt::SO_RCVBUF, &v),
        r => r,
    }
    .map_err(|e| format!("receive buffer: {e}"))
}

/// Raises `SO_SNDBUF` of an accepted socket to fit an echoed message of `size` bytes.
pub fn fit_sndbuf(fd: BorrowedFd<'_>, size: usize) -> Result<(), String> {
    let current = sockopt::get(fd, sockopt::SO_SNDBUF).map_err(|e| format!("SO_SNDBUF: {e}"))?;
    if usize::try_from(current).unwrap_or(0) > size {
        return Ok(());
    }
    let v = libc::c_int::try_from(size).unwrap_or(libc::c_int::MAX);
    sockopt::set(fd, sockopt::SO_SNDBUF, &v).map_err(|e| format!("SO_SNDBUF: {e}"))
}

/// `SCTP_NODELAY` on an accepted socket (whatever it inherited).
pub fn set_nodelay(fd: BorrowedFd<'_>, on: bool) -> Result<(), String> {
    let v = libc::c_int::from(on);
    sockopt::set(fd, sockopt::SCTP_NODELAY, &v).map_err(|e| format!("SCTP_NODELAY: {e}"))
}

/// Binds `s` to `addrs` at `port`: `bind` for one address, `sctp_bindx` for several.
pub fn bind(s: &SctpSocket, addrs: &[IpAddr], port: u16) -> Result<(), String> {
    let list: Vec<SocketAddr> = addrs.iter().map(|a| SocketAddr::new(*a, port)).collect();
    let r = match list.as_slice() {
        [] => return Ok(()),
        [one] => s.bind(*one),
        many => s.bindx(many),
    };
    r.map_err(|e| format!("bind {}: {e}", join(&list)))
}

/// The server's local addresses: `-B`, or the IPv6 wildcard (dual-stack), or the IPv4 one
/// where the kernel has no IPv6.
///
/// `SO_REUSEADDR` is on, as for most servers: a new server can take the port while the
/// previous one's associations finish their shutdown (a listening socket on the port still
/// makes the bind fail).
pub fn server_socket(o: &Options) -> Result<SctpSocket, String> {
    let reuse = |s: SctpSocket| {
        s.set_reuseaddr(true)
            .map(|()| s)
            .map_err(|e| format!("SO_REUSEADDR: {e}"))
    };
    if !o.bind.is_empty() {
        let s = reuse(socket(o, o.bind[0].is_ipv6(), o.streams)?)?;
        bind(&s, &o.bind, o.port)?;
        return Ok(s);
    }
    let s = reuse(socket(o, true, o.streams).or_else(|_| socket(o, false, o.streams))?)?;
    let any = match s.local_addr() {
        Ok(SocketAddr::V4(_)) => IpAddr::from([0, 0, 0, 0]),
        _ => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
    };
    // An unbound socket's local_addr is the family's wildcard; bind it at the port.
    bind(&s, &[any], o.port)?;
    Ok(s)
}

/// `a,b,c`.
pub fn join(list: &[SocketAddr]) -> String {
    let v: Vec<String> = list.iter().map(ToString::to_string).collect();
    v.join(",")
}

/// One association of the client: a one-to-one socket, or a one-to-many endpoint that holds
/// this one association.
pub enum Conn {
    /// A one-to-one socket.
    Stream(SctpStream),
    /// A one-to-many endpoint and the association on it, with the endpoint's events (to
    /// learn that the association ended: an endpoint's `recv` outlives its associations).
    Endpoint {
        /// The socket.
        endpoint: SctpEndpoint,
        /// The association.
        assoc: AssocId,
        /// Its notifications.
        events: tokio::sync::Mutex<SctpEvents>,
    },
}

impl Conn {
    /// Opens one association to `peers` at the options' port (`sctp_connectx` for several
    /// addresses), bound to `-B` first if given.
    pub async fn connect(o: &Options, peers: &[IpAddr]) -> Result<Conn, String> {
        let s = socket(o, peers[0].is_ipv6(), o.streams)?;
        bind(&s, &o.bind, 0)?;
        let to: Vec<SocketAddr> = peers.iter().map(|a| SocketAddr::new(*a, o.port)).collect();
        let fail = |e: Error| format!("connect to {}: {e}", join(&to));
        if o.one_to_many {
            let endpoint = s.into_endpoint().map_err(fail)?;
            let events = tokio::sync::Mutex::new(endpoint.events());
            let assoc = endpoint.connectx(&to).await.map_err(fail)?;
            Ok(Conn::Endpoint {
                endpoint,
                assoc,
                events,
            })
        } else {
            Ok(Conn::Stream(s.connectx(&to).await.map_err(fail)?))
        }
    }

    /// The association's addresses and stream counts.
    pub fn path(&self) -> Path {
        let (local, peer) = match self {
            Conn::Stream(s) => (s.local_addrs(), s.peer_addrs()),
            Conn::Endpoint {
                endpoint, assoc, ..
            } => (endpoint.local_addrs(), endpoint.peer_addrs(*assoc)),
        };
        let status = match self {
            Conn::Stream(s) => s.options().status(),
            Conn::Endpoint {
                endpoint, assoc, ..
            } => endpoint.options(*assoc).status(),
        };
        let (outbound, inbound) =
            status.map_or((0, 0), |s| (s.outbound_streams, s.inbound_streams));
        Path {
            local: local.unwrap_or_default(),
            peer: peer.unwrap_or_default(),
            outbound,
            inbound,
        }
    }

    /// `info` addressed to this association.
    fn info(&self, info: SendInfo) -> SendInfo {
        match self {
            Conn::Stream(_) => info,
            Conn::Endpoint { assoc, .. } => info.assoc_id(*assoc),
        }
    }

    /// Sends one message.
    pub async fn send(&self, data: &[u8], info: &SendInfo) -> Result<(), Error> {
        let info = self.info(*info);
        match self {
            Conn::Stream(s) => s.send(data, &info).await,
            Conn::Endpoint { endpoint, .. } => endpoint.send(data, &info).await,
        }
        .map(drop)
    }

    /// Sends a batch (one `sendmmsg`); returns how many went.
    pub async fn send_batch(&self, msgs: &mut [(&[u8], SendInfo)]) -> Result<usize, Error> {
        if let Conn::Endpoint { assoc, .. } = self {
            for m in msgs.iter_mut() {
                m.1 = m.1.assoc_id(*assoc);
            }
        }
        match self {
            Conn::Stream(s) => s.send_batch(msgs).await,
            Conn::Endpoint { endpoint, .. } => endpoint.send_batch(msgs).await,
        }
    }

    /// Receives one message; on an endpoint, fails once the association has ended.
    pub async fn recv(&self) -> Result<(Bytes, RecvInfo), Error> {
        match self {
            Conn::Stream(s) => s.recv().await,
            Conn::Endpoint {
                endpoint,
                assoc,
                events,
            } => {
                let mut events = events.lock().await;
                loop {
                    tokio::select! {
                        biased;
                        r = endpoint.recv() => return r,
                        ev = events.next() => match ev {
                            Some(Ok(n)) if n.is_association_end() && n.assoc_id() == Some(*assoc) => {
                                return Err(ended(n));
                            }
                            Some(Err(e)) => return Err(e),
                            _ => {}
                        },
                    }
                }
            }
        }
    }

    /// Sends a control message.
    pub async fn send_control(&self, c: &Control) -> Result<(), Error> {
        self.send(&c.encode(), &SendInfo::new().ppid(CONTROL_PPID))
            .await
    }

    /// Waits for the next control message (data that still arrives is skipped).
    pub async fn recv_control(&self) -> Result<Result<Control, String>, Error> {
        loop {
            let (msg, info) = self.recv().await?;
            if info.ppid == CONTROL_PPID && info.stream == 0 {
                return Ok(Control::decode(&msg).map_err(|e| e.to_string()));
            }
        }
    }

    /// Ends the association gracefully (SHUTDOWN) and waits until it is gone.
    pub async fn close(&self) {
        match self {
            Conn::Stream(s) => {
                if s.shutdown().await.is_ok() {
                    while s.recv().await.is_ok() {}
                }
            }
            Conn::Endpoint {
                endpoint, assoc, ..
            } => {
                let _ = endpoint.shutdown(*assoc).await;
            }
        }
    }
}

/// The error an ended association gives (as a one-to-one socket reports it).
fn ended(n: Notification) -> Error {
    Error::new(ErrorKind::AssociationEnded { cause: Box::new(n) })
}
