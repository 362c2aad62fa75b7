//! sctp_darn `-s` (`command_send`): sends each line of stdin (with its NUL, as the C tool
//! does) or, with `-I`, the messages of `snd=N` commands; follows associations as they come
//! and go.

use std::net::SocketAddr;
use std::os::fd::AsFd;

use super::interactive::Cmd;
use super::{build_endpoint, read_line, Darn};
use crate::cli::{strerror, Exit};
use crate::show::{self, out};
use crate::sock::{self, Style};

impl Darn {
    /// The send loop; returns at the end of stdin.
    pub(super) fn send(mut self) -> Result<(), Exit> {
        self.resolve_remote()?;
        out(format!("{} ready to send...\n", self.cfg.prog));
        loop {
            out(self.prompt(false));
            let Some(line) = read_line(&mut self.stdin) else {
                return Ok(());
            };
            let msg = if self.cfg.interactive {
                match self.command(&line, true)? {
                    Some(Cmd::Snd(m)) => m,
                    _ => continue,
                }
            } else {
                // strlen(message) + 1: up to the first NUL, and one NUL.
                let end = line.iter().position(|&b| b == 0).unwrap_or(line.len());
                let mut m = line[..end].to_vec();
                m.push(0);
                m
            };
            let one_to_many = self.cfg.style == Style::OneToMany;
            if one_to_many && self.associd != 0 && !self.has_assoc() {
                self.associd = self.recv_assoc_change()?;
                out("Old association gone, Starting a new one!\n");
                self.new_connection = true;
            }
            if self.new_connection && !self.cfg.connectx.is_empty() {
                match self.connectx()? {
                    true => {}
                    false => continue,
                }
            }
            self.send_one(&msg)?;
            if one_to_many && self.associd == 0 {
                self.associd = self.recv_assoc_change()?;
            }
            if !self.has_assoc() {
                out("No association is present now!!\n");
                self.new_connection = true;
            } else if self.new_connection {
                self.print_peers()?;
                self.new_connection = false;
            }
        }
    }

    /// `sctp_connectx` to the `-c` addresses; false when refused (the line is dropped).
    fn connectx(&mut self) -> Result<bool, Exit> {
        if self.cfg.remote_port == 0 {
            return Err(Exit::fail(
                "A non-0 remote port number is required for connectx to work! (connectx failed.)",
            ));
        }
        let addrs: Vec<SocketAddr> = self
            .cfg
            .connectx
            .iter()
            .map(|a| {
                let mut a = *a;
                a.set_port(self.cfg.remote_port);
                a
            })
            .collect();
        match sock::connectx(self.sk.as_fd(), &addrs) {
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
                out("Connection refused\n");
                if self.cfg.style == Style::OneToMany {
                    self.associd = self.recv_assoc_change()?;
                }
                return Ok(false);
            }
            Err(e) => {
                return Err(Exit::fail(format!(
                    "error connecting to addrs: {}. (connectx failed.)",
                    strerror(&e)
                )))
            }
        }
        self.associd = if self.cfg.style == Style::OneToMany {
            self.recv_assoc_change()?
        } else {
            1
        };
        let peers = self.print_peers()?;
        self.remote_addr = peers.first().copied();
        self.new_connection = false;
        Ok(true)
    }

    /// `sctp_getpaddrs` and `New connection, peer addresses` with the list.
    fn print_peers(&self) -> Result<Vec<SocketAddr>, Exit> {
        let id = if self.cfg.style == Style::OneToOne {
            0
        } else {
            self.associd
        };
        let peers = sock::peer_addrs(self.sk.as_fd(), id).map_err(|e| {
            Exit::fail(format!(
                "sctp_getpaddrs failed {}({}).",
                strerror(&e),
                e.raw_os_error().unwrap_or(0)
            ))
        })?;
        if peers.is_empty() {
            return Err(Exit::fail("sctp_getpaddrs failed, no peers."));
        }
        out(format!(
            "New connection, peer addresses\n{}",
            show::darn_addr_list(&peers)
        ));
        Ok(peers)
    }

    /// Sends one message: `sendmsg` to the peer address on a one-to-many socket or to start
    /// a one-to-one association, `send` on an established one-to-one one (rebuilding the
    /// endpoint when the association is gone, `EPIPE`); retries `EAGAIN` with `-n`.
    fn send_one(&mut self, msg: &[u8]) -> Result<(), Exit> {
        loop {
            let addressed = self.cfg.style == Style::OneToMany
                || (self.cfg.connectx.is_empty() && self.new_connection);
            let sent = if addressed {
                sock::send(self.sk.as_fd(), msg, self.remote_addr.as_ref(), None, 0)
            } else {
                match sock::send(self.sk.as_fd(), msg, None, None, 0) {
                    Err(e) if e.raw_os_error() == Some(libc::EPIPE) => {
                        self.rebuild()?;
                        return Ok(());
                    }
                    r => r,
                }
            };
            match sent {
                Ok(n) if n == msg.len() => return Ok(()),
                Ok(n) => {
                    return Err(Exit::fail(format!(
                        "error: sent {n} of {} bytes.",
                        msg.len()
                    )))
                }
                Err(e) => {
                    let line = format!("error: {}.", strerror(&e));
                    if self.cfg.nonblocking && e.kind() == std::io::ErrorKind::WouldBlock {
                        Exit::fail(line).report(&self.cfg.prog);
                        if self.cfg.interactive {
                            return Ok(());
                        }
                        continue;
                    }
                    return Err(Exit::fail(line));
                }
            }
        }
    }

    /// Closes the socket and builds the endpoint again (`close(sk); build_endpoint()`).
    pub(super) fn rebuild(&mut self) -> Result<(), Exit> {
        let local = crate::addr::v4_first(&self.cfg.local_host, 0, self.cfg.if_index)
            .map_err(Exit::fail)?;
        // Free the port before binding it again: park an unbound socket in its place.
        let parked = sock::open(&local, self.cfg.style)
            .map_err(|e| Exit::fail(format!("failed to create socket:  {}.", strerror(&e))))?;
        drop(std::mem::replace(&mut self.sk, parked));
        self.sk = build_endpoint(&self.cfg, self.cfg.local_port)?;
        Ok(())
    }
}
