//! sctp_darn's interactive commands (`-I`, `parse_inter_commands`): `name` or
//! `name=value` lines acting on the socket and its association.

use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsFd;
use std::time::Duration;

use tokio_linux_sctp::opts::{PeerAddrParamsChange, RtoInfo, SocketOptions};

use super::{buffer, gen_message, Darn};
use crate::cli::{strerror, Exit};
use crate::show::{self, out};
use crate::sock::{self, Style};

/// What a command asks of the send or listen loop.
pub(super) enum Cmd {
    /// `snd=N`: send this message.
    Snd(Vec<u8>),
    /// `rcv`: receive one message.
    Rcv,
    /// Anything else that was carried out.
    Done,
}

/// The help text (`?` or an empty line), as the C tool prints it.
pub const HELP: &str = "Interactive commands:
snd=<int>        - Do a sendmsg with the specified length.
rcv=<int>        - Do a recvmsg.The length is ignored for now.
bindx-add=<addr> - Add a local address with bindx. 
bindx-rem=<addr> - Remove a local address with bindx. 
rcvbuf=<int>     - Get/Set receive buffer size
sndbuf=<int>     - Get/Set send buffer size.
primary=<addr>   - Get/Set association's primary
peer_primary=addr- Set association's peer_primary
heartbeat=<addr> - Request a user initiated heartbeat
maxseg=<int>     - Get/Set Maximum fragment size.
nodelay=<0|1>    - Get/Set NODELAY option.
shutdown         - Shutdown the association.
abort            - Abort the association.
stats            - Print GET_ASSOC_STATS (if available in kernel).
?                - Help. Display this message.
";

/// The commands this sctp_darn adds (listed by `help`, not by `?`).
pub const HELP_EXTRA: &str = "status           - Print SCTP_STATUS of the association.
rtoinfo=<i,M,m>  - Get/Set RTO initial, max, min (ms; 0 keeps one).
help             - This message, with the commands above.
";

/// C's `atoi` of a value that starts with a digit (checked by the caller).
fn atoi(text: &[u8]) -> i32 {
    let digits = text.iter().take_while(|b| b.is_ascii_digit());
    digits.fold(0i64, |v, &d| {
        (v * 10 + i64::from(d - b'0')).min(i64::from(u32::MAX))
    }) as i32
}

/// The value of `name=value` up to the newline, as text.
fn value_text(rest: &[u8]) -> String {
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end]).into_owned()
}

/// An address value as the C tool reads it: IPv4 if it has a `.`, else IPv6 if it has a
/// `:`, with `port`.
fn addr_value(text: &str, port: u16) -> Option<SocketAddr> {
    let ip: IpAddr = if text.contains('.') {
        IpAddr::V4(text.parse().ok()?)
    } else if text.contains(':') {
        IpAddr::V6(text.parse().ok()?)
    } else {
        return None;
    };
    Some(SocketAddr::new(ip, port))
}

fn invalid() -> Result<Option<Cmd>, Exit> {
    out("Invalid input.\n");
    Ok(None)
}

impl Darn {
    /// Carries out one command line. `snd_only`: the sending side (`snd` allowed, `rcv`
    /// not), else the listening side. `None` for help, invalid input and failed commands.
    ///
    /// # Errors
    ///
    /// What the C tool treats as fatal: buffer, nodelay and maxseg option errors, a bad
    /// bindx address, a shutdown that leaves the association in place.
    pub(super) fn command(&mut self, line: &[u8], snd_only: bool) -> Result<Option<Cmd>, Exit> {
        if matches!(line.first(), Some(b'?' | b'\n')) {
            out(HELP);
            return Ok(None);
        }
        let cut = line.iter().position(|&b| matches!(b, b'=' | b'?' | b'\n'));
        let (name, set, rest) = match cut {
            Some(i) => (&line[..i], line[i] == b'=', &line[i + 1..]),
            None => (line, false, &line[line.len()..]),
        };
        let digit = rest.first().is_some_and(u8::is_ascii_digit);
        let fd = self.sk.as_fd();
        let opts = SocketOptions::new(fd, self.associd);
        let prog = self.cfg.prog.clone();
        match name {
            b"snd" => {
                if !snd_only || !digit {
                    return invalid();
                }
                let len = atoi(rest);
                let len =
                    usize::try_from(len).map_err(|_| Exit::fail("Cannot allocate out message."))?;
                return Ok(Some(Cmd::Snd(gen_message(&mut self.gen_data, len))));
            }
            b"rcv" => {
                if snd_only {
                    return invalid();
                }
                return Ok(Some(Cmd::Rcv));
            }
            b"sndbuf" | b"rcvbuf" => {
                if set && !digit {
                    return invalid();
                }
                buffer(fd, name == b"sndbuf", set.then(|| atoi(rest)))?;
            }
            b"bindx-add" | b"bindx-rem" => {
                let text = value_text(rest);
                let addrs =
                    crate::addr::append_addrs(&text, self.cfg.local_port, self.cfg.if_index, false)
                        .map_err(|e| Exit::with(2, e))?;
                if let Err(e) = super::bindx(fd, &addrs, name == b"bindx-add", self.cfg.local_port)
                {
                    e.report(&prog);
                }
            }
            b"primary" => {
                let r = if set {
                    match addr_value(&value_text(rest), self.cfg.remote_port) {
                        Some(a) => opts.set_primary_addr(&a),
                        None => Err(std::io::Error::from_raw_os_error(libc::EINVAL).into()),
                    }
                } else {
                    opts.primary_addr().map(|a| out(format!("{}\n", a.ip())))
                };
                if let Err(e) = r {
                    let how = if set { "setting" } else { "getting" };
                    Exit::fail(format!("error {how} primary: {}.", strerror(&e))).report(&prog);
                }
            }
            b"peer_primary" => {
                let r = match (set, addr_value(&value_text(rest), self.cfg.local_port)) {
                    (true, Some(a)) => opts.set_peer_primary_addr(&a),
                    _ => Err(std::io::Error::from_raw_os_error(libc::EINVAL).into()),
                };
                if let Err(e) = r {
                    let how = if set { "setting" } else { "getting" };
                    Exit::fail(format!("error {how} peer_primary: {}.", strerror(&e)))
                        .report(&prog);
                }
            }
            b"heartbeat" => {
                let change = PeerAddrParamsChange {
                    heartbeat_now: true,
                    ..PeerAddrParamsChange::default()
                };
                let r = if set {
                    match addr_value(&value_text(rest), self.cfg.remote_port) {
                        Some(a) => opts.set_peer_addr_params(Some(&a), &change),
                        None => Err(std::io::Error::from_raw_os_error(libc::EINVAL).into()),
                    }
                } else {
                    sock::heartbeat_all(fd, self.associd).map_err(Into::into)
                };
                if let Err(e) = r {
                    let how = if set { "setting" } else { "getting" };
                    Exit::fail(format!("error {how} peer_addr_params: {}.", strerror(&e)))
                        .report(&prog);
                }
            }
            b"shutdown" => self.shutdown(false)?,
            b"abort" => self.shutdown(true)?,
            b"nodelay" | b"maxseg" => {
                if set && !digit {
                    return invalid();
                }
                let n = String::from_utf8_lossy(name).into_owned();
                let fail = |e: tokio_linux_sctp::error::Error| {
                    Exit::fail(format!("Error setting/getting {n}: {}.", strerror(&e)))
                };
                let o = SocketOptions::new(fd, 0);
                match (name == b"nodelay", set) {
                    (true, true) => o.set_nodelay(atoi(rest) != 0).map_err(fail)?,
                    (true, false) => out(format!(
                        "nodelay is {}.\n",
                        i32::from(o.nodelay().map_err(fail)?)
                    )),
                    (false, true) => o.set_maxseg(atoi(rest) as u32).map_err(fail)?,
                    (false, false) => {
                        out(format!("maxseg is {}.\n", o.maxseg().map_err(fail)? as i32))
                    }
                }
            }
            b"stats" => {
                if self.associd == 0 && !(self.cfg.style == Style::OneToOne && self.has_assoc()) {
                    out("No association present yet\n");
                    return Ok(None);
                }
                match opts.assoc_stats() {
                    Ok(s) => out(show::darn_assoc_stats(&s)),
                    Err(e) => {
                        out(format!("get_assoc_stats() failed {}\n", strerror(&e)));
                        return Ok(None);
                    }
                }
            }
            b"status" => match sock::status(fd, self.associd) {
                Ok(s) => out(format!(
                    "{}{}",
                    crate::sctp_status::HEADER,
                    crate::sctp_status::status_line(1, &s)
                )),
                Err(e) => {
                    out(format!("get_status() failed {}\n", strerror(&e)));
                    return Ok(None);
                }
            },
            b"rtoinfo" => {
                if set {
                    let text = value_text(rest);
                    let v: Vec<Option<u64>> =
                        text.split(',').map(|x| x.trim().parse().ok()).collect();
                    let [Some(i), Some(max), Some(min)] = v[..] else {
                        return invalid();
                    };
                    let rto = RtoInfo {
                        initial: Duration::from_millis(i),
                        max: Duration::from_millis(max),
                        min: Duration::from_millis(min),
                    };
                    if let Err(e) = opts.set_rto_info(&rto) {
                        Exit::fail(format!("error setting rtoinfo: {}.", strerror(&e)))
                            .report(&prog);
                    }
                } else {
                    match opts.rto_info() {
                        Ok(r) => out(format!(
                            "rtoinfo is initial {} max {} min {}.\n",
                            r.initial.as_millis(),
                            r.max.as_millis(),
                            r.min.as_millis()
                        )),
                        Err(e) => {
                            Exit::fail(format!("error getting rtoinfo: {}.", strerror(&e)))
                                .report(&prog);
                        }
                    }
                }
            }
            b"help" => out(format!("{HELP}{HELP_EXTRA}")),
            _ => return invalid(),
        }
        Ok(Some(Cmd::Done))
    }

    /// `shutdown_func`: a graceful shutdown or an abort of the association.
    fn shutdown(&mut self, abort: bool) -> Result<(), Exit> {
        let what = if abort { "ABORT" } else { "SHUTDOWN" };
        if !self.has_assoc() {
            out(format!(
                "The association isn't present yet! Cannot {what}!\n"
            ));
            return Ok(());
        }
        if self.cfg.style == Style::OneToMany {
            self.resolve_remote()?;
            let sndrcv = linux_sctp_sys::sctp_sndrcvinfo {
                sinfo_flags: if abort {
                    linux_sctp_sys::SCTP_ABORT
                } else {
                    linux_sctp_sys::SCTP_EOF
                },
                sinfo_assoc_id: self.associd,
                ..Default::default()
            };
            if let Err(e) = sock::send(
                self.sk.as_fd(),
                &[],
                self.remote_addr.as_ref(),
                Some(sndrcv),
                0,
            ) {
                out(format!("Failure:  {}.\n", strerror(&e)));
                return Ok(());
            }
            self.recv_assoc_change()?;
        } else {
            if abort {
                self.sk
                    .set_linger(Some(Duration::ZERO))
                    .map_err(|e| Exit::fail(format!("setsockopt failed {}", strerror(&e))))?;
            }
            self.rebuild()?;
        }
        if !self.has_assoc() {
            out(format!("Successfully {what} the original association\n"));
            self.associd = 0;
            self.new_connection = true;
            Ok(())
        } else {
            out(format!("{what} failed\n"));
            Err(Exit::status(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_the_c_tool_reads_them() {
        assert_eq!(atoi(b"42\n"), 42);
        assert_eq!(atoi(b"7x"), 7);
        assert_eq!(
            addr_value("127.0.0.1", 5),
            Some("127.0.0.1:5".parse().unwrap())
        );
        assert_eq!(addr_value("::1", 5), Some("[::1]:5".parse().unwrap()));
        assert_eq!(addr_value("::ffff:1.2.3.4", 5), None);
        assert_eq!(addr_value("host", 5), None);
        assert_eq!(value_text(b"10.0.0.1\n"), "10.0.0.1");
    }
}
