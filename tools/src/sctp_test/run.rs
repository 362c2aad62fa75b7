//! sctp_test's client and server on one socket (`start_test` with `-s` or `-l`).

use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};

use socket2::Socket;

use super::{Config, Role};
use crate::cli::{strerror, Exit};
use crate::crand::CRand;
use crate::show::{self, DEBUG_MIN, DEBUG_NONE};
use crate::sock::{self, Style};
use crate::testgen::{self, TestSend, DEFAULT_MAX_WINDOW};

/// The socket as `socket_r` leaves it: open, subscribed, `SCTP_INITMSG` set for `-M`.
pub(super) fn socket_r(cfg: &Config, local: &SocketAddr) -> Result<Socket, Exit> {
    let s = testgen::open_socket(cfg.debug, local, cfg.style)?;
    sock::subscribe_data_io_and_assoc(s.as_fd())
        .map_err(|e| Exit::fail(format!("SCTP_EVENTS: {}", strerror(&e))))?;
    if cfg.max_stream > 0 {
        sock::set_init(s.as_fd(), cfg.max_stream as u16, 0, 0)
            .map_err(|e| Exit::fail(format!("SCTP_INITMSG: {}", strerror(&e))))?;
    }
    Ok(s)
}

/// `addrs` with `port`.
fn with_port(addrs: &[SocketAddr], port: u16) -> Vec<SocketAddr> {
    addrs
        .iter()
        .map(|a| {
            let mut a = *a;
            a.set_port(port);
            a
        })
        .collect()
}

/// Raises `SO_RCVBUF` to `-m` when it is above the default window (`server()`).
pub(super) fn raise_rcvbuf(cfg: &Config, s: &Socket) -> Result<(), Exit> {
    if cfg.max_msgsize > DEFAULT_MAX_WINDOW {
        sock::set_buffer_size(s.as_fd(), false, cfg.max_msgsize)
            .map_err(|e| Exit::fail(format!("setsockopt(SO_RCVBUF): {}", strerror(&e))))?;
    }
    Ok(())
}

/// The client's pattern state, kept across rounds (the C tool's globals).
#[derive(Default)]
pub(super) struct Patterns {
    pub(super) order: i32,
    pub(super) stream: i32,
}

impl Patterns {
    /// The next message to send (`next_msg_size`, `next_order`, `next_stream`, then the
    /// PPID, in the C tool's order of `rand()` calls).
    pub(super) fn next(
        &mut self,
        cfg: &Config,
        i: usize,
        rng: &mut CRand,
    ) -> Result<TestSend, Exit> {
        let size = cfg.next_msg_size(i, rng);
        self.order = testgen::next_order(self.order, cfg.order_pattern, rng);
        self.stream = cfg.next_stream(self.stream, rng);
        if size <= 0 {
            return Err(Exit::fail(format!("message size {size} is not positive")));
        }
        Ok(TestSend {
            stream: self.stream as u16,
            ordered: self.order != 0,
            size: size as usize,
            ppid: rng.rand() as u32,
            ttl: cfg.timetolive as u32,
        })
    }
}

/// `start_test` for the client and server roles.
pub(super) fn run(cfg: &Config, rng: &mut CRand) -> Result<(), Exit> {
    let local = cfg.local_addr()?;
    let debug = cfg.debug;
    let s = socket_r(cfg, &local)?;
    testgen::bind_retrying(debug, &s, &local)?;
    if !cfg.bindx.is_empty() {
        sock::bindx(s.as_fd(), &with_port(&cfg.bindx, cfg.local_port), true)
            .map_err(|e| Exit::fail(format!("bindx_r: error adding addrs: {}", strerror(&e))))?;
    }
    if cfg.role == Role::Server {
        testgen::listen(debug, &s, 100)?;
    } else {
        if cfg.style == Style::OneToOne && cfg.connectx.is_empty() {
            testgen::connect(debug, &s, cfg.remote)?;
        }
        if !cfg.connectx.is_empty() {
            sock::connectx(s.as_fd(), &with_port(&cfg.connectx, cfg.remote_port)).map_err(|e| {
                Exit::fail(format!(
                    "connectx_r: error connecting to addrs: {}",
                    strerror(&e)
                ))
            })?;
        }
    }
    if debug.0 == 0 {
        crate::show::out("     ");
    }
    let mut patterns = Patterns::default();
    for i in 0..cfg.repeat {
        if cfg.role == Role::Server {
            debug.print(DEBUG_NONE, "Server: Receiving packets.\n");
            raise_rcvbuf(cfg, &s)?;
            Receiver::new(cfg, &s).receive(false)?;
        } else {
            debug.print(
                DEBUG_NONE,
                format!("Client: Sending packets.({}/{})\n", i + 1, cfg.repeat),
            );
            client(cfg, &s, &mut patterns, rng)?;
        }
    }
    testgen::close(debug, s);
    Ok(())
}

/// One round of `-X` messages (`client()`), each followed by a receive with `-D`.
fn client(cfg: &Config, s: &Socket, p: &mut Patterns, rng: &mut CRand) -> Result<(), Exit> {
    for i in 0..cfg.msg_cnt {
        let m = p.next(cfg, i, rng)?;
        crate::show::out(m.describe(cfg.debug, s.as_raw_fd(), 0, false));
        if let Err(e) = testgen::send_test(s, cfg.remote.as_ref(), &m) {
            if !cfg.drain {
                return Err(e);
            }
            // -D keeps going after a failed send, as the C tool does.
            e.report(&cfg.prog);
        }
        if cfg.drain {
            Receiver::new(cfg, s).receive(true)?;
        }
    }
    Ok(())
}

/// `receive_r`: prints every message and notification read, accepting associations one
/// after the other on a one-to-one server socket.
pub(super) struct Receiver<'a> {
    cfg: &'a Config,
    sk: &'a Socket,
    accepted: Option<Socket>,
    /// Whether the next read offers room for control data: the C tool does not restore its
    /// `msg_controllen` after a notification, so the message after one has no `SNDRCV`.
    cmsg_room: bool,
    buf: Vec<u8>,
}

impl<'a> Receiver<'a> {
    pub(super) fn new(cfg: &'a Config, sk: &'a Socket) -> Self {
        Receiver {
            cfg,
            sk,
            accepted: None,
            cmsg_room: true,
            buf: vec![0; sock::RECV_SIZE],
        }
    }

    /// Receives until one data message was printed (`once`), or for ever.
    pub(super) fn receive(&mut self, once: bool) -> Result<(), Exit> {
        let debug = self.cfg.debug;
        let accepting = self.cfg.style == Style::OneToOne && self.cfg.role == Role::Server;
        loop {
            if accepting && self.accepted.is_none() {
                self.accepted = Some(testgen::accept(debug, self.sk)?);
            }
            debug.print(DEBUG_MIN, format!("\trecvmsg(sk={}) ", self.sk.as_raw_fd()));
            let fd = self.accepted.as_ref().unwrap_or(self.sk);
            let r = match sock::recv(fd.as_fd(), &mut self.buf, libc::MSG_WAITALL) {
                Ok(r) => r,
                Err(e) if e.raw_os_error() == Some(libc::ENOTCONN) && accepting => {
                    crate::show::out("No association is present now!!\n");
                    self.accepted = None;
                    continue;
                }
                Err(e) => return Err(Exit::fail(format!("recvmsg: {}", strerror(&e)))),
            };
            if r.len == 0 && !r.is_notification() {
                if accepting {
                    crate::show::out("No association is present now!!\n");
                    self.accepted = None;
                    continue;
                }
                crate::show::out("\n\t\trecvmsg() returned 0 !!!!\n");
                return Err(Exit::fail(
                    "recvmsg: the association ended (the peer shut it down)",
                ));
            }
            let cmsg = if self.cmsg_room { r.sndrcv } else { None };
            crate::show::out(show::test_message(debug.0, &r, &self.buf, cmsg.as_ref()));
            if r.is_notification() {
                self.cmsg_room = false;
                continue;
            }
            self.cmsg_room = true;
            if once {
                return Ok(());
            }
        }
    }
}
