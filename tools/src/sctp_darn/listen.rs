//! sctp_darn `-l` (`command_listen`): prints everything that arrives, one association after
//! another on a one-to-one socket; with `-I`, reads a command before each receive.

use std::os::fd::AsFd;

use socket2::Socket;

use super::interactive::Cmd;
use super::{read_line, verify_assoc_change, Darn};
use crate::cli::{strerror, Exit};
use crate::show::{self, out};
use crate::sock::{self, Style};

impl Darn {
    /// The listen loop; returns at the end of stdin (`-I`) or on an error.
    pub(super) fn listen(mut self) -> Result<(), Exit> {
        self.sk
            .listen(5)
            .map_err(|e| Exit::fail(format!("listen Failure:  {}.", strerror(&e))))?;
        if self.cfg.nonblocking && !self.cfg.interactive {
            return Err(Exit::fail(
                "Use -I for interactive mode with\t-n nonblocking",
            ));
        }
        out(format!("{} listening...\n", self.cfg.prog));
        let mut accepted: Option<Socket> = None;
        let mut buf = vec![0u8; sock::RECV_SIZE];
        loop {
            if self.cfg.interactive {
                out(self.prompt(true));
                let Some(line) = read_line(&mut self.stdin) else {
                    return Ok(());
                };
                if !matches!(self.command(&line, false)?, Some(Cmd::Rcv)) {
                    continue;
                }
            }
            if self.cfg.style == Style::OneToOne && accepted.is_none() {
                let (a, _) = self
                    .sk
                    .accept()
                    .map_err(|e| Exit::fail(format!("error: {}.", strerror(&e))))?;
                accepted = Some(a);
            }
            let recvsk = accepted.as_ref().unwrap_or(&self.sk);
            let r = match sock::recv(recvsk.as_fd(), &mut buf, libc::MSG_WAITALL) {
                Ok(r) => r,
                Err(e) if self.cfg.nonblocking && e.kind() == std::io::ErrorKind::WouldBlock => {
                    continue
                }
                Err(e)
                    if self.cfg.style == Style::OneToOne
                        && e.raw_os_error() == Some(libc::ENOTCONN) =>
                {
                    out("No association is present now!!\n");
                    accepted = None;
                    continue;
                }
                Err(e) => return Err(Exit::fail(format!("error: {}.", strerror(&e)))),
            };
            if r.is_notification() {
                self.associd = verify_assoc_change(&r, &buf)?;
            } else if self.cfg.echo {
                sock::send(recvsk.as_fd(), &buf[..r.len], r.from.as_ref(), None, 0)
                    .map_err(|e| Exit::fail(format!("error: {}.", strerror(&e))))?;
            }
            out(show::darn_message(&r, &buf));
            if !sock::has_assoc(recvsk.as_fd(), self.associd) {
                out("No association is present now!!\n");
                if self.cfg.style == Style::OneToOne {
                    accepted = None;
                }
            }
        }
    }
}
