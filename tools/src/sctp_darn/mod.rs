//! `sctp_darn`: lksctp-tools' SCTP "sock" tool. `-l` listens and prints every message and
//! notification; `-s` sends each line of stdin; `-I` reads commands instead (send a message
//! of n bytes, receive, change socket options, bindx, shutdown, abort, statistics); `-i N`
//! listens on N endpoints (and sends fixed-size messages from the first when given a peer).
//! One-to-many sockets by default, one-to-one with `-t`. Options, printed lines and exit
//! statuses are the C tool's (see the differences table in `tools/README.md`).

mod interactive;
mod listen;
mod poll;
mod send;

use std::ffi::OsString;
use std::io::{BufRead, Read};
use std::net::SocketAddr;
use std::os::fd::{AsFd, BorrowedFd};

use linux_sctp_sys::sctp_assoc_t;
use socket2::Socket;
use tokio_linux_sctp::notification::{AssocChangeState, Notification};

use crate::cli::{self, strerror, Exit, HasArg, Key, LongOpt, Spec};
use crate::show::{self, out};
use crate::sock::{self, Style};

/// The most endpoints of `-i` (`POLL_SK_MAX`).
pub const POLL_SK_MAX: i32 = 256;
/// The default message size of `-i` with a peer (`POLL_SND_SIZE`).
pub const POLL_SND_SIZE: i32 = 16384;
/// The longest line read from stdin at a time (`fgets` into `REALLY_BIG`).
const LINE_MAX: usize = 65535;

const fn long(name: &'static str, has_arg: HasArg, key: Key) -> LongOpt {
    LongOpt { name, has_arg, key }
}

const SPEC: Spec = Spec {
    shorts: "B:H:IP:b:h:i:p:lm:nstz:ec:",
    longs: &[
        long("local", HasArg::Required, Key::Short('H')),
        long("local-port", HasArg::Required, Key::Short('P')),
        long("remote", HasArg::Required, Key::Short('h')),
        long("remote-port", HasArg::Required, Key::Short('p')),
        long("listen", HasArg::No, Key::Short('l')),
        long("send", HasArg::No, Key::Short('s')),
        long("bindx-add", HasArg::Required, Key::Short('B')),
        long("bindx-rem", HasArg::Required, Key::Short('b')),
        long("use-poll", HasArg::No, Key::Long("use-poll")),
        long("echo", HasArg::No, Key::Short('e')),
        long("interface", HasArg::Optional, Key::Long("interface")),
        long("connectx", HasArg::Required, Key::Short('c')),
    ],
};

/// The C tool's usage text.
pub fn usage(prog: &str) -> String {
    format!(
        "Usage: {prog} -H <localhost> -P <localport> [-h <remotehost>] [-p <remoteport>] -l|s\n\
         \x20-H, --local\t\tspecify one of the local addresses,\n\
         \x20-P, --local-port\tspecify the port number for local addresses,\n\
         \x20-h, --remote\t\tspecify the peer address,\n\
         \x20-p, --remote-port\tspecify the port number for the peer address,\n\
         \x20-l, --listen\t\tprint messages received from the peer,\n\
         \x20-s, --send\t\tsend messages to the peer,\n\
         \x20-B, --bindx-add\tadd the specified address(es) as additional bind\n\
         \t\t\taddresses to the local socket. Multiple addresses can\n\
         \t\t\tbe specified by using this argument multiple times.\n\
         \t\t\tFor example, '-B 10.0.0.1 -B 20.0.0.2'.\n\
         \x20-b, --bindx-rem\tremove the specified address(es) from the bind\n\
         \t\t\taddresses of the local socket. Multiple addresses can\n\
         \t\t\tbe specified by using this argument multiple times.\n\
         \t\t\tFor example, '-b 10.0.0.1 -b 20.0.0.2'.\n\
         \x20-c, --connectx\t\tuse the specified address(es) for connection to the\n\
         \t\t\tpeer socket. Multiple addresses can be specified by\n\
         \t\t\tusing this argument multiple times.\n\
         \t\t\tFor example, '-c 10.0.0.1 -c 20.0.0.2'.\n\
         \t\t\tThis option is incompatible with the -h option.\n\
         \x20-I\t\t\tuse the interactive mode.\n\
         \x20-i\t\t\tsetup the specified number of endpoints by using the\n\
         \t\t\tspecified local host (-H) and local port (-P). The port\n\
         \t\t\tnumber will be incremented by one for each additional\n\
         \t\t\tendpoint.  All of these endpoints will be listening.\n\
         \t\t\tIf a remote host (-h) and a remote port are also\n\
         \t\t\tspecified, the first endpoint will start sending fixed\n\
         \t\t\tsized messages to the remote host.\n\
         \x20-m\t\t\tspecify the sockopt sndbuf/rcvbuf size.\n\
         \x20-n\t\t\tset the socket(s) to be in the non-blocking mode.\n\
         \t\t\tcollect messages from stdin and deliver them to the\n\
         \t\t\tpeer,\n\
         --use-poll\t\tuse system call poll() for polling among the\n\
         \t\t\tnumber of endpoints specified by the -i option. Without\n\
         \t\t\tthis option, select() would be used as default.\n\
         \x20-t\t\t\tuse SOCK_STREAM tcp-style sockets.\n\
         \x20-z\t\t\tspecify the message size to be sent.  The default\n\
         \t\t\tmessage size generated would be 16K.\n\
         \x20--interface=\"ifname\"\tselect interface for sin6_scope_id.\n"
    )
}

/// What sctp_darn was asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `-l`.
    Listen,
    /// `-s`.
    Send,
    /// `-i N`.
    Poll(usize),
}

/// sctp_darn's settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// `argv[0]`, which the C tool prints in its messages.
    pub prog: String,
    /// `-l` / `-s` / `-i`.
    pub command: Command,
    /// `-H` as given.
    pub local_host: String,
    /// `-P`.
    pub local_port: u16,
    /// `-h` as given.
    pub remote_host: Option<String>,
    /// `-p`.
    pub remote_port: u16,
    /// `-B`.
    pub bindx_add: Vec<SocketAddr>,
    /// `-b`.
    pub bindx_rem: Vec<SocketAddr>,
    /// `-c`.
    pub connectx: Vec<SocketAddr>,
    /// `-I`.
    pub interactive: bool,
    /// `-n`.
    pub nonblocking: bool,
    /// `-m`.
    pub opt_space: i32,
    /// `-t`.
    pub style: Style,
    /// `-z`.
    pub poll_snd_size: i32,
    /// `-e` / `--echo`.
    pub echo: bool,
    /// `--interface`'s index (IPv6 scope id).
    pub if_index: u32,
}

/// Reads the options in order into a [`Config`], with the C tool's checks and exit statuses.
///
/// # Errors
///
/// A usage error (status 1), or status 2 for a bad `-B`/`-b`/`-c` address, `-i` or `-z`.
pub fn configure(prog: &str, parsed: &cli::Parsed) -> Result<Config, Exit> {
    let mut cfg = Config {
        prog: prog.to_owned(),
        command: Command::Listen,
        local_host: String::new(),
        local_port: 0,
        remote_host: None,
        remote_port: 0,
        bindx_add: Vec::new(),
        bindx_rem: Vec::new(),
        connectx: Vec::new(),
        interactive: false,
        nonblocking: false,
        opt_space: 0,
        style: Style::OneToMany,
        poll_snd_size: 0,
        echo: false,
        if_index: 0,
    };
    let mut command = None;
    let mut local_host = None;
    let list = |cfg: &Config, o: &cli::Opt| {
        crate::addr::append_addrs(o.text(), cfg.local_port, cfg.if_index, false)
            .map_err(|e| Exit::with(2, e))
    };
    for o in &parsed.opts {
        match o.key {
            Key::Long("use-poll") => {}
            Key::Long("interface") => {
                let name = o.value.as_deref().unwrap_or("eth0");
                cfg.if_index = crate::addr::if_index(name)
                    .ok_or_else(|| Exit::fail(format!("Interface {name} unknown")))?;
            }
            Key::Short('H') => local_host = Some(o.text().to_owned()),
            Key::Short('P') => cfg.local_port = o.port()?,
            Key::Short('h') => cfg.remote_host = Some(o.text().to_owned()),
            Key::Short('p') => cfg.remote_port = o.port()?,
            Key::Short(c @ ('l' | 's')) => {
                if command.is_some() {
                    return Err(Exit::usage("pick ONE of listen or send"));
                }
                command = Some(if c == 'l' {
                    Command::Listen
                } else {
                    Command::Send
                });
            }
            Key::Short('B') => cfg.bindx_add.extend(list(&cfg, o)?),
            Key::Short('b') => cfg.bindx_rem.extend(list(&cfg, o)?),
            Key::Short('c') => cfg.connectx.extend(list(&cfg, o)?),
            Key::Short('I') => cfg.interactive = true,
            Key::Short('i') => {
                let n = o.int()?;
                if n <= 0 || n > POLL_SK_MAX {
                    return Err(Exit::with(
                        2,
                        format!("-i must be 1..={POLL_SK_MAX} endpoints, not {n} (Too many sockets for polling)"),
                    ));
                }
                command = Some(Command::Poll(n as usize));
            }
            Key::Short('m') => cfg.opt_space = o.int()?,
            Key::Short('n') => cfg.nonblocking = true,
            Key::Short('t') => cfg.style = Style::OneToOne,
            Key::Short('z') => {
                cfg.poll_snd_size = o.int()?;
                if cfg.poll_snd_size <= 0 {
                    return Err(Exit::with(2, "Bad message size."));
                }
            }
            Key::Short('e') => cfg.echo = true,
            _ => {}
        }
    }
    if !parsed.operands.is_empty() {
        return Err(Exit::usage(format!(
            "non-option arguments are illegal: {}",
            parsed.operands.join(" ")
        )));
    }
    cfg.local_host = local_host.ok_or_else(|| Exit::usage("You MUST provide a local host."))?;
    if command == Some(Command::Send) && cfg.remote_host.is_none() && cfg.connectx.is_empty() {
        return Err(Exit::usage("You MUST provide a remote host for sending."));
    }
    if cfg.remote_host.is_some() && !cfg.connectx.is_empty() {
        return Err(Exit::usage("You can not provide both -h and -c options."));
    }
    cfg.command = command.ok_or_else(|| Exit::usage("Please specify a command."))?;
    if cfg.poll_snd_size == 0 {
        cfg.poll_snd_size = POLL_SND_SIZE;
    }
    Ok(cfg)
}

/// Runs sctp_darn with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    let prog = cli::prog_name(&args, "sctp_darn");
    let run = || -> Result<(), Exit> {
        let parsed = SPEC.parse(args.iter().skip(1).cloned())?;
        if parsed.help {
            out(usage(&prog));
            return Ok(());
        }
        let cfg = configure(&prog, &parsed)?;
        match cfg.command {
            Command::Listen => {
                let sk = build_endpoint(&cfg, cfg.local_port)?;
                Darn::new(cfg, sk).listen()
            }
            Command::Send => {
                let sk = build_endpoint(&cfg, cfg.local_port)?;
                Darn::new(cfg, sk).send()
            }
            Command::Poll(n) => poll::run(&cfg, n),
        }
    };
    match run() {
        Ok(()) => 0,
        Err(e) => e.report(&prog),
    }
}

/// `build_endpoint`: a socket bound to `-H`:`port`, subscribed (one-to-many), with the
/// `-B`/`-b` addresses added/removed, `-n` and `-m` applied.
///
/// # Errors
///
/// A bad `-H`, a failed socket, bind (a port in use), bindx or option.
pub fn build_endpoint(cfg: &Config, port: u16) -> Result<Socket, Exit> {
    let local = crate::addr::v4_first(&cfg.local_host, port, cfg.if_index).map_err(Exit::fail)?;
    let s = sock::open(&local, cfg.style)
        .map_err(|e| Exit::fail(format!("failed to create socket:  {}.", strerror(&e))))?;
    if cfg.style == Style::OneToMany {
        sock::subscribe_data_io_and_assoc(s.as_fd())
            .map_err(|e| Exit::fail(format!("SCTP_EVENTS: {}", strerror(&e))))?;
    }
    s.bind(&local.into()).map_err(|e| {
        Exit::fail(format!(
            "can not bind to {}:{port}: {}.",
            cfg.local_host,
            strerror(&e)
        ))
    })?;
    for (addrs, add) in [(&cfg.bindx_add, true), (&cfg.bindx_rem, false)] {
        if !addrs.is_empty() {
            bindx(s.as_fd(), addrs, add, port).map_err(|e| {
                let what = if add { "add" } else { "remove" };
                Exit::fail(format!(
                    "{} (bindx_func ({what}) failed.)",
                    e.message.unwrap_or_default()
                ))
            })?;
        }
    }
    if cfg.nonblocking {
        s.set_nonblocking(true)
            .map_err(|e| Exit::fail(format!("error fcntl: {}.", strerror(&e))))?;
    }
    if cfg.opt_space != 0 {
        buffer(s.as_fd(), true, Some(cfg.opt_space))?;
        buffer(s.as_fd(), false, Some(cfg.opt_space))?;
    }
    Ok(s)
}

/// `bindx_func`: adds or removes `addrs` with `port`.
///
/// # Errors
///
/// A zero port, or the kernel's refusal (`error adding addrs: ...`).
fn bindx(fd: BorrowedFd<'_>, addrs: &[SocketAddr], add: bool, port: u16) -> Result<(), Exit> {
    if port == 0 {
        return Err(Exit::fail(
            "A non-0 local port number is required for bindx to work!",
        ));
    }
    let addrs: Vec<SocketAddr> = addrs
        .iter()
        .map(|a| {
            let mut a = *a;
            a.set_port(port);
            a
        })
        .collect();
    sock::bindx(fd, &addrs, add).map_err(|e| {
        let what = if add { "adding" } else { "removing" };
        Exit::fail(format!("error {what} addrs: {}.", strerror(&e)))
    })
}

/// `sndbuf_func` / `rcvbuf_func`: sets the buffer size, or prints it (`sndbuf is N.`).
///
/// # Errors
///
/// The socket option's error (fatal in the C tool).
fn buffer(fd: BorrowedFd<'_>, send: bool, set: Option<i32>) -> Result<(), Exit> {
    let name = if send { "sndbuf" } else { "rcvbuf" };
    let fail =
        |e: std::io::Error| Exit::fail(format!("Error setting/getting {name}: {}.", strerror(&e)));
    match set {
        Some(v) => sock::set_buffer_size(fd, send, v).map_err(fail),
        None => {
            let v = sock::buffer_size(fd, send).map_err(fail)?;
            out(format!("{name} is {v}.\n"));
            Ok(())
        }
    }
}

/// Reads one line of stdin as `fgets(buf, 65536, stdin)`: up to and including `\n`, at most
/// 65535 bytes; `None` at end of input.
fn read_line(input: &mut dyn BufRead) -> Option<Vec<u8>> {
    let mut line = Vec::new();
    let read = input
        .take(LINE_MAX as u64)
        .read_until(b'\n', &mut line)
        .ok()?;
    (read > 0).then_some(line)
}

/// The state the C tool keeps in globals while it runs one command.
pub(crate) struct Darn {
    cfg: Config,
    /// The socket the commands act on (`inter_sk`; replaced when a one-to-one shutdown
    /// rebuilds the endpoint).
    sk: Socket,
    /// The association last seen coming up (`associd`).
    associd: sctp_assoc_t,
    /// The peer (`remote_addr`), once known.
    remote_addr: Option<SocketAddr>,
    /// No association yet, or the last one ended (`new_connection`).
    new_connection: bool,
    /// The next byte of generated messages (`gen_data`).
    gen_data: u8,
    stdin: Box<dyn BufRead>,
}

impl Darn {
    fn new(cfg: Config, sk: Socket) -> Darn {
        Darn {
            cfg,
            sk,
            associd: 0,
            remote_addr: None,
            new_connection: true,
            gen_data: GEN_DATA_FIRST,
            stdin: Box::new(std::io::BufReader::new(std::io::stdin())),
        }
    }

    /// The `-h` peer with `-p`, resolved as the C tool does (IPv4 first).
    fn resolve_remote(&mut self) -> Result<(), Exit> {
        if let Some(h) = &self.cfg.remote_host {
            let a = crate::addr::v4_first(h, self.cfg.remote_port, self.cfg.if_index)
                .map_err(Exit::fail)?;
            self.remote_addr = Some(a);
        }
        Ok(())
    }

    /// The peer as the prompt shows it (`print_sockaddr` of the C tool's `remote_addr`,
    /// all zeros until one is known).
    fn peer_shown(&self) -> String {
        match &self.remote_addr {
            Some(a) => crate::addr::darn_sockaddr(a),
            None => "0000:0000:0000:0000:0000:0000:0000:0000:0".to_owned(),
        }
    }

    /// The prompt before each line of stdin: `local:port-peer:port> `, or `... Interactive
    /// mode> `; a peer not known yet shows as `?:port` when listening, `XXXXXX:port` when
    /// sending.
    fn prompt(&self, listening: bool) -> String {
        let c = &self.cfg;
        let tail = if c.interactive {
            " Interactive mode> "
        } else {
            "> "
        };
        let peer = match &c.remote_host {
            Some(h) => format!("{h}:{}", c.remote_port),
            None if self.associd != 0 => self.peer_shown(),
            None if listening => format!("?:{}", c.remote_port),
            None => format!("XXXXXX:{}", c.remote_port),
        };
        format!("{}:{}-{peer}{tail}", c.local_host, c.local_port)
    }

    /// `test_recv_assoc_change`: reads the next notification and reports it.
    fn recv_assoc_change(&mut self) -> Result<sctp_assoc_t, Exit> {
        let mut buf = vec![0u8; sock::RECV_SIZE];
        let r = sock::recv(self.sk.as_fd(), &mut buf, libc::MSG_WAITALL).map_err(|e| {
            Exit::fail(format!("test_recv_assoc_change: recvmsg: {}", strerror(&e)))
        })?;
        verify_assoc_change(&r, &buf)
    }

    fn has_assoc(&self) -> bool {
        sock::has_assoc(self.sk.as_fd(), self.associd)
    }
}

/// `test_verify_assoc_change`: prints `Received SCTP_COMM_UP` (...) for an association
/// change and returns its association id when it came up, else 0.
///
/// # Errors
///
/// Data, or another notification, where an association change was expected (fatal in the
/// C tool).
fn verify_assoc_change(r: &sock::Received, buf: &[u8]) -> Result<sctp_assoc_t, Exit> {
    let (id, line) = assoc_change(r, buf)?;
    out(line);
    Ok(id)
}

/// The association change in `buf`: the id it brought up (0 for any other change) and the
/// line `test_verify_assoc_change` prints for it.
///
/// # Errors
///
/// As [`verify_assoc_change`].
fn assoc_change(r: &sock::Received, buf: &[u8]) -> Result<(sctp_assoc_t, &'static str), Exit> {
    if !r.is_notification() {
        return Err(Exit::fail(
            "test_verify_assoc_change: Received data when notification is expected",
        ));
    }
    match sock::notification(&buf[..r.len]) {
        Some(Notification::AssocChange(c)) => {
            let id = if c.state == AssocChangeState::CommUp {
                c.assoc_id
            } else {
                0
            };
            Ok((id, show::darn_assoc_change(c.state)))
        }
        _ => Err(Exit::fail(format!(
            "test_verify_assoc_change: Received unexpected notification: {}",
            sock::sn_type(&buf[..r.len])
        ))),
    }
}

/// The first byte of generated messages (`GEN_DATA_FIRST`, `!`).
const GEN_DATA_FIRST: u8 = 0x21;
/// The last (`GEN_DATA_LAST`, `~`).
const GEN_DATA_LAST: u8 = 0x7e;

/// `gen_message`: `len` bytes cycling through `!`..`~`, continuing where the last one
/// stopped.
fn gen_message(next: &mut u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|_| {
            if *next > GEN_DATA_LAST {
                *next = GEN_DATA_FIRST;
            }
            let b = *next;
            *next += 1;
            b
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(args: &[&str]) -> Result<Config, Exit> {
        let p = SPEC.parse(args.iter().copied())?;
        configure("sctp_darn", &p)
    }

    #[test]
    fn options_and_their_checks() {
        let c = cfg(&["-H", "127.0.0.1", "-P", "5", "-l", "-t", "--use-poll"]).unwrap();
        assert_eq!(
            (c.command, c.style, c.local_port),
            (Command::Listen, Style::OneToOne, 5)
        );
        assert_eq!(c.poll_snd_size, POLL_SND_SIZE);
        let c = cfg(&[
            "--local=::1",
            "--send",
            "--remote",
            "::1",
            "-p9",
            "-B",
            "::1",
        ])
        .unwrap();
        assert_eq!((c.command, c.bindx_add.len()), (Command::Send, 1));
        assert_eq!(
            cfg(&["-H", "h", "-i", "3"]).unwrap().command,
            Command::Poll(3)
        );
        assert_eq!(cfg(&["-H", "h", "-l", "-s"]).unwrap_err().code, 1);
        assert_eq!(cfg(&["-H", "h", "-i", "0"]).unwrap_err().code, 2);
        assert_eq!(cfg(&["-H", "h", "-l", "-z", "0"]).unwrap_err().code, 2);
        assert_eq!(
            cfg(&["-H", "h", "-l", "-B", "no.such.host.invalid"])
                .unwrap_err()
                .code,
            2
        );
        assert_eq!(cfg(&["-l"]).unwrap_err().code, 1);
        assert_eq!(cfg(&["-H", "h", "-s"]).unwrap_err().code, 1);
        assert_eq!(cfg(&["-H", "h"]).unwrap_err().code, 1);
        assert_eq!(
            cfg(&["-H", "h", "-s", "-h", "x", "-c", "127.0.0.1"])
                .unwrap_err()
                .code,
            1
        );
        assert_eq!(cfg(&["-H", "h", "-l", "x"]).unwrap_err().code, 1);
        assert!(cfg(&["-H", "h", "-l", "--interface=no-such-if0"]).is_err());
    }

    #[test]
    fn generated_messages_cycle_through_the_printable_bytes() {
        let mut g = GEN_DATA_FIRST;
        assert_eq!(gen_message(&mut g, 3), b"!\"#");
        let long = gen_message(&mut g, 200);
        assert_eq!(long[0], b'$');
        assert_eq!(long[91], b'!');
        assert!(long.iter().all(|b| (0x21..=0x7e).contains(b)));
    }

    #[test]
    fn lines_are_read_as_fgets_reads_them() {
        let mut input: &[u8] = b"ab\ncd";
        assert_eq!(read_line(&mut input).unwrap(), b"ab\n");
        assert_eq!(read_line(&mut input).unwrap(), b"cd");
        assert!(read_line(&mut input).is_none());
        let big = vec![b'x'; LINE_MAX + 3];
        let mut input: &[u8] = &big;
        assert_eq!(read_line(&mut input).unwrap().len(), LINE_MAX);
        assert_eq!(read_line(&mut input).unwrap().len(), 3);
    }
}
