//! sctp_perf's command line: the options (parsed with lexopt), their defaults and checks, and
//! the help text. Pure: nothing here touches a socket.

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use tokio_linux_sctp::message::PrPolicy;

use super::session::MAX_SIZE;
use super::wire::{Mode, CONTROL_PPID};

/// The port when none is given.
pub const DEFAULT_PORT: u16 = 5210;

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Run a client or a server.
    Run(Options),
    /// Print the help text.
    Help,
    /// Print the version.
    Version,
}

/// Client or server.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// `-s`: serve clients.
    Server,
    /// `-c ADDR[,ADDR...]`: the server's addresses (several: `sctp_connectx`).
    Client(Vec<IpAddr>),
    /// `-L`: a client and a server in this process, over 127.0.0.1 (the scenario of
    /// `benches/`: both ends on one runtime).
    Loopback,
}

/// How long each run lasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// `-n`: this many messages (throughput) or round trips (latency) per association.
    Count(u64),
    /// `-t`: this long.
    Time(Duration),
}

/// Everything the command line sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Client or server.
    pub role: Role,
    /// The server's port.
    pub port: u16,
    /// Local addresses to bind (several: `sctp_bindx`); empty for the wildcard.
    pub bind: Vec<IpAddr>,
    /// One-to-many sockets (`SOCK_SEQPACKET`) instead of one-to-one.
    pub one_to_many: bool,
    /// What to measure, in order.
    pub modes: Vec<Mode>,
    /// Message sizes, in order.
    pub sizes: Vec<u32>,
    /// How long each run lasts.
    pub limit: Limit,
    /// Client: streams the data uses. Server: streams it offers each association.
    pub streams: u16,
    /// Send unordered.
    pub unordered: bool,
    /// PR-SCTP policy of every data message.
    pub pr: PrPolicy,
    /// Messages per `send_batch` / `recv_batch`.
    pub batch: usize,
    /// Associations the client opens.
    pub assocs: usize,
    /// PPID of data messages (host order).
    pub ppid: u32,
    /// Requested `SO_SNDBUF`.
    pub sndbuf: usize,
    /// Requested receive buffer (`SO_RCVBUFFORCE` where allowed).
    pub rcvbuf: usize,
    /// `SCTP_NODELAY`.
    pub nodelay: bool,
    /// JSON instead of the table.
    pub json: bool,
    /// Runtime worker threads (1: a `current_thread` runtime).
    pub threads: usize,
    /// Server: exit once the first client is done.
    pub one_off: bool,
}

/// The help text.
pub const HELP: &str = "\
sctp_perf: SCTP throughput and latency, client and server

usage: sctp_perf -s [options]                 serve clients
       sctp_perf -c ADDR[,ADDR...] [options]  measure against a server
       sctp_perf -L [options]                 measure against a server in this process

  -s, --server            run the server (it serves clients until killed, or -1)
  -c, --client ADDRS      the server's IP addresses; several connect with sctp_connectx
  -L, --loopback          client and server in this process, on one runtime, over
                          127.0.0.1 (an ephemeral port unless -p): no process switches
  -p, --port PORT         the server's port (default 5210)
  -B, --bind ADDRS        local IP addresses to bind; several bind with sctp_bindx
      --one-to-many       use one-to-many sockets (SOCK_SEQPACKET): the server serves every
                          association on one socket; the client opens one socket per association
  -1, --one-off           server: exit after the first client is done
  -J, --json              print JSON instead of the table (server: one JSON line per run)
  -T, --threads N         runtime worker threads (default 1: one thread for everything)
      --sndbuf BYTES      SO_SNDBUF to ask for (default 256K)
      --rcvbuf BYTES      receive buffer to ask for (default 4M, SO_RCVBUFFORCE if allowed)
      --no-nodelay        leave SCTP_NODELAY off (bundling, delayed sends)

client:
  -m, --mode MODES        throughput, latency or both (default throughput); throughput sends
                          one way and the server counts, latency sends one message at a time
                          per association and waits for the echo
  -l, --sizes SIZES       message sizes, comma-separated, K and M suffixes (default 64,1K,16K)
  -t, --time SECONDS      length of each run (default 3)
  -n, --count N           messages (or round trips) per association per run, instead of -t
  -a, --assocs M          associations (default 1), run side by side
      --streams N         streams to spread messages over (default 1); on the server, the
                          streams it offers each association (default 1024)
  -u, --unordered         send unordered (SCTP_UNORDERED)
      --pr POLICY         PR-SCTP policy: ttl:MILLISECONDS, rtx:RETRANSMISSIONS or prio:PRIORITY
  -b, --batch N           messages per send_batch/recv_batch (sendmmsg/recvmmsg; default 1;
                          throughput only)
      --ppid N            PPID of data messages (default 0)

  -h, --help              this text
  -V, --version           the version

The client prints a live progress line on a terminal (stderr), then a table (or JSON) on
stdout. Throughput is the server's count: messages and bytes received, from the start of
the run to the last message. Exit status: 0 done, 1 failed (connection, peer abort, server
error), 2 bad command line.
";

/// Parses the arguments (without the program name).
///
/// # Errors
///
/// A one-line description of the first bad option or value.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    parse_inner(args).map_err(|e| e.to_string())
}

fn parse_inner(args: impl IntoIterator<Item = OsString>) -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_args(args);
    let mut server = false;
    let mut loopback = false;
    let mut port_given = false;
    let mut peers: Option<Vec<IpAddr>> = None;
    let mut o = Options {
        role: Role::Server,
        port: DEFAULT_PORT,
        bind: Vec::new(),
        one_to_many: false,
        modes: vec![Mode::Throughput],
        sizes: vec![64, 1024, 16 << 10],
        limit: Limit::Time(Duration::from_secs(3)),
        streams: 0,
        unordered: false,
        pr: PrPolicy::None,
        batch: 1,
        assocs: 1,
        ppid: 0,
        sndbuf: 256 << 10,
        rcvbuf: 4 << 20,
        nodelay: true,
        json: false,
        threads: 1,
        one_off: false,
    };
    // Client options given, to refuse them on a server.
    let mut client_only: Option<String> = None;
    while let Some(arg) = p.next()? {
        let flag = match &arg {
            Short(c) => format!("-{c}"),
            Long(l) => format!("--{l}"),
            Value(_) => String::new(),
        };
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help),
            Short('V') | Long("version") => return Ok(Command::Version),
            Short('s') | Long("server") => server = true,
            Short('c') | Long("client") => peers = Some(value_of(&mut p, &flag, addresses)?),
            Short('L') | Long("loopback") => loopback = true,
            Short('p') | Long("port") => {
                o.port = value_of(&mut p, &flag, |s| ranged(s, 0, 65535))?;
                port_given = true;
            }
            Short('B') | Long("bind") => o.bind = value_of(&mut p, &flag, addresses)?,
            Long("one-to-many") => o.one_to_many = true,
            Short('1') | Long("one-off") => o.one_off = true,
            Short('J') | Long("json") => o.json = true,
            Short('T') | Long("threads") => {
                o.threads = value_of(&mut p, &flag, |s| ranged(s, 1, 256))?
            }
            Long("sndbuf") => o.sndbuf = value_of(&mut p, &flag, |s| bytes(s, 1 << 30))?,
            Long("rcvbuf") => o.rcvbuf = value_of(&mut p, &flag, |s| bytes(s, 1 << 30))?,
            Long("no-nodelay") => o.nodelay = false,
            Long("streams") => o.streams = value_of(&mut p, &flag, |s| ranged(s, 1, 65535))?,
            arg => {
                client_only.get_or_insert_with(|| flag.clone());
                match arg {
                    Short('m') | Long("mode") => o.modes = value_of(&mut p, &flag, modes)?,
                    Short('l') | Long("sizes") => o.sizes = value_of(&mut p, &flag, sizes)?,
                    Short('t') | Long("time") => {
                        o.limit = Limit::Time(value_of(&mut p, &flag, seconds)?)
                    }
                    Short('n') | Long("count") => {
                        o.limit = Limit::Count(value_of(&mut p, &flag, |s| ranged(s, 1, u64::MAX))?)
                    }
                    Short('a') | Long("assocs") => {
                        o.assocs = value_of(&mut p, &flag, |s| ranged(s, 1, 1000))?
                    }
                    Short('u') | Long("unordered") => o.unordered = true,
                    Long("pr") => o.pr = value_of(&mut p, &flag, pr_policy)?,
                    Short('b') | Long("batch") => {
                        o.batch = value_of(&mut p, &flag, |s| ranged(s, 1, 1024))?
                    }
                    Long("ppid") => o.ppid = value_of(&mut p, &flag, ppid)?,
                    Value(v) => return Err(Value(v).unexpected()),
                    other => return Err(other.unexpected()),
                }
            }
        }
    }
    o.role = match (server, peers, loopback) {
        (true, None, false) => Role::Server,
        (false, Some(peers), false) => Role::Client(peers),
        (false, None, true) => Role::Loopback,
        (false, None, false) => {
            return Err("say -s (server), -c ADDR (client) or -L (both, in this process)".into())
        }
        _ => return Err("-s, -c and -L exclude each other".into()),
    };
    match &o.role {
        Role::Server => {
            if let Some(flag) = client_only {
                return Err(format!("{flag} is a client option").into());
            }
            if o.streams == 0 {
                o.streams = 1024;
            }
        }
        Role::Client(peers) => {
            if o.one_off {
                return Err("-1 is a server option".into());
            }
            if o.streams == 0 {
                o.streams = 1;
            }
            let v4 = peers[0].is_ipv4();
            if peers.iter().chain(&o.bind).any(|a| a.is_ipv4() != v4) {
                return Err("-c and -B addresses must all be IPv4 or all IPv6".into());
            }
        }
        Role::Loopback => {
            if o.one_off || !o.bind.is_empty() {
                return Err("-L runs its own server on 127.0.0.1: no -1, no -B".into());
            }
            if o.streams == 0 {
                o.streams = 1;
            }
            if !port_given {
                o.port = 0;
            }
        }
    }
    if o.port == 0 && matches!(o.role, Role::Client(_)) {
        return Err("port 0: say which port the server listens on".into());
    }
    Ok(Command::Run(o))
}

/// The value of option `flag`, parsed by `f`; errors name the option.
fn value_of<T>(
    p: &mut lexopt::Parser,
    flag: &str,
    f: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, lexopt::Error> {
    let v = p.value()?;
    let s = v
        .to_str()
        .ok_or_else(|| format!("{flag}: the value is not UTF-8"))?;
    f(s).map_err(|e| format!("{flag}: {e}").into())
}

/// `ADDR[,ADDR...]`: IP literals (`[v6]` brackets allowed) or `localhost`; no DNS.
fn addresses(s: &str) -> Result<Vec<IpAddr>, String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        let bare = part
            .strip_prefix('[')
            .and_then(|p| p.strip_suffix(']'))
            .unwrap_or(part);
        let addr = match bare {
            "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
            _ => bare.parse().map_err(|_| {
                format!("'{part}' is not an IP address (IPv4, IPv6 or localhost; no names)")
            })?,
        };
        if out.contains(&addr) {
            return Err(format!("{addr} given twice"));
        }
        out.push(addr);
    }
    Ok(out)
}

/// `throughput`, `latency` or `both`.
fn modes(s: &str) -> Result<Vec<Mode>, String> {
    match s {
        "throughput" | "tput" => Ok(vec![Mode::Throughput]),
        "latency" | "rr" => Ok(vec![Mode::Latency]),
        "both" => Ok(vec![Mode::Throughput, Mode::Latency]),
        _ => Err(format!("'{s}': say throughput, latency or both")),
    }
}

/// A byte count with an optional K or M suffix (binary: 1K = 1024), at most `max`.
fn bytes(s: &str, max: u64) -> Result<usize, String> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let digits = upper
        .strip_suffix("IB")
        .or_else(|| upper.strip_suffix('B'))
        .unwrap_or(&upper);
    let (digits, unit) = if let Some(d) = digits.strip_suffix('K') {
        (d, 1u64 << 10)
    } else if let Some(d) = digits.strip_suffix('M') {
        (d, 1 << 20)
    } else {
        (digits, 1)
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{s}' is not a size (digits with an optional K or M)"))?;
    let v = n.checked_mul(unit).filter(|v| (1..=max).contains(v));
    v.and_then(|v| usize::try_from(v).ok())
        .ok_or_else(|| format!("'{s}' out of range (1 to {max} bytes)"))
}

/// Comma-separated message sizes, each within `1..=MAX_SIZE`.
fn sizes(s: &str) -> Result<Vec<u32>, String> {
    s.split(',')
        .map(|part| bytes(part, u64::from(MAX_SIZE)).map(|v| u32::try_from(v).unwrap_or(MAX_SIZE)))
        .collect()
}

/// Seconds, possibly fractional, above 0 and at most a day.
fn seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if !(v > 0.0 && v <= 86_400.0) {
        return Err(format!("'{s}' out of range (above 0, at most 86400)"));
    }
    Ok(Duration::from_secs_f64(v))
}

/// An integer within `lo..=hi`.
fn ranged<T>(s: &str, lo: T, hi: T) -> Result<T, String>
where
    T: TryInto<i128> + TryFrom<i128> + std::fmt::Display + Copy,
{
    let v: i128 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number"))?;
    let wide = |t: T| t.try_into().unwrap_or(i128::MAX);
    if v < wide(lo) || v > wide(hi) {
        return Err(format!("'{s}' out of range ({lo} to {hi})"));
    }
    T::try_from(v).map_err(|_| format!("'{s}' out of range ({lo} to {hi})"))
}

/// A data PPID: any `u32` but the control PPID, decimal or `0x` hex.
fn ppid(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let v = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => t.parse(),
    }
    .map_err(|_| format!("'{s}' is not a 32-bit number"))?;
    if v == CONTROL_PPID {
        return Err(format!("{v:#x} is sctp_perf's control PPID"));
    }
    Ok(v)
}

/// `ttl:MS`, `rtx:N`, `prio:N` or `none`.
fn pr_policy(s: &str) -> Result<PrPolicy, String> {
    if s == "none" {
        return Ok(PrPolicy::None);
    }
    let (name, value) = s
        .split_once(':')
        .ok_or_else(|| format!("'{s}': say ttl:MILLISECONDS, rtx:N or prio:N"))?;
    let value: u32 = value
        .parse()
        .map_err(|_| format!("'{value}' is not a whole number"))?;
    match name {
        "ttl" => Ok(PrPolicy::Ttl(Duration::from_millis(u64::from(value)))),
        "rtx" => Ok(PrPolicy::Rtx(value)),
        "prio" => Ok(PrPolicy::Prio(value)),
        _ => Err(format!("'{name}': the policies are ttl, rtx and prio")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &str) -> Result<Options, String> {
        match parse(args.split_whitespace().map(OsString::from))? {
            Command::Run(o) => Ok(o),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn client_defaults_are_the_benchmarks_scenario() {
        let o = run("-c 127.0.0.1").unwrap();
        assert_eq!(o.role, Role::Client(vec!["127.0.0.1".parse().unwrap()]));
        assert_eq!(o.port, DEFAULT_PORT);
        assert_eq!(o.sizes, [64, 1024, 16384]);
        assert_eq!(o.modes, [Mode::Throughput]);
        assert_eq!(o.limit, Limit::Time(Duration::from_secs(3)));
        assert_eq!((o.streams, o.batch, o.assocs, o.threads), (1, 1, 1, 1));
        assert_eq!((o.sndbuf, o.rcvbuf, o.nodelay), (256 << 10, 4 << 20, true));
        assert!(!o.unordered && !o.one_to_many && !o.json);
        assert_eq!(run("-s").unwrap().streams, 1024);
    }

    #[test]
    fn every_option_parses() {
        let o = run(
            "-c 10.0.1.2,10.0.2.2 -p 6000 -B 10.0.1.1,10.0.2.1 --one-to-many -J -T 2 \
             --sndbuf 1M --rcvbuf 512K --no-nodelay -m both -l 1,2K,1M -n 500 -a 3 \
             --streams 8 -u --pr ttl:250 -b 32 --ppid 0x2e",
        )
        .unwrap();
        assert_eq!(
            o.role,
            Role::Client(vec![
                "10.0.1.2".parse().unwrap(),
                "10.0.2.2".parse().unwrap()
            ])
        );
        assert_eq!(o.bind.len(), 2);
        assert_eq!(o.port, 6000);
        assert!(o.one_to_many && o.json && o.unordered && !o.nodelay);
        assert_eq!((o.threads, o.sndbuf, o.rcvbuf), (2, 1 << 20, 512 << 10));
        assert_eq!(o.modes, [Mode::Throughput, Mode::Latency]);
        assert_eq!(o.sizes, [1, 2048, 1 << 20]);
        assert_eq!(o.limit, Limit::Count(500));
        assert_eq!((o.assocs, o.streams, o.batch, o.ppid), (3, 8, 32, 46));
        assert_eq!(o.pr, PrPolicy::Ttl(Duration::from_millis(250)));
        assert_eq!(
            run("-c ::1 -t 0.5").unwrap().limit,
            Limit::Time(Duration::from_millis(500))
        );
        assert_eq!(
            run("-c [::1]").unwrap().role,
            Role::Client(vec!["::1".parse().unwrap()])
        );
        assert_eq!(run("-c localhost --pr rtx:2").unwrap().pr, PrPolicy::Rtx(2));
        assert!(run("-s -1 --streams 4 -p 0").unwrap().one_off);
        let l = run("-L -b 32").unwrap();
        assert_eq!(
            (l.role, l.port, l.streams, l.batch),
            (Role::Loopback, 0, 1, 32)
        );
        assert_eq!(run("--loopback -p 6000").unwrap().port, 6000);
        assert!(matches!(parse(["--help".into()]), Ok(Command::Help)));
        assert!(matches!(parse(["-V".into()]), Ok(Command::Version)));
    }

    #[test]
    fn bad_command_lines_get_one_line_errors() {
        for (args, says) in [
            ("", "say -s"),
            ("-s -c 127.0.0.1", "exclude"),
            ("-L -c 127.0.0.1", "exclude"),
            ("-L -s", "exclude"),
            ("-L -B 127.0.0.1", "no -B"),
            ("-c 127.0.0.1 --frobnicate", "--frobnicate"),
            ("-c 127.0.0.1 -x", "-x"),
            ("-c", "missing argument"),
            ("-c 127.0.0.1 -p", "missing argument"),
            ("-c nonsense", "not an IP address"),
            ("-c 300.1.2.3", "not an IP address"),
            ("-c 127.0.0.1,127.0.0.1", "twice"),
            ("-c 127.0.0.1 -B ::1", "IPv4 or all IPv6"),
            ("-c 127.0.0.1 -p 70000", "-p: '70000' out of range"),
            ("-c 127.0.0.1 --port x", "--port: 'x' is not a whole number"),
            ("-c 127.0.0.1 -p 0", "port 0"),
            ("-c 127.0.0.1 -l 0", "out of range"),
            ("-c 127.0.0.1 -l 5M", "out of range"),
            ("-c 127.0.0.1 -l 1X", "not a size"),
            ("-c 127.0.0.1 -t 0", "out of range"),
            ("-c 127.0.0.1 -t soon", "seconds"),
            ("-c 127.0.0.1 -n 0", "out of range"),
            ("-c 127.0.0.1 -b 0", "out of range"),
            ("-c 127.0.0.1 -a 1001", "out of range"),
            ("-c 127.0.0.1 --streams 0", "out of range"),
            ("-c 127.0.0.1 --streams 65536", "out of range"),
            ("-c 127.0.0.1 -m fast", "throughput, latency or both"),
            ("-c 127.0.0.1 --pr ttl", "ttl:MILLISECONDS"),
            ("-c 127.0.0.1 --pr lifetime:3", "policies"),
            ("-c 127.0.0.1 --pr rtx:x", "whole number"),
            ("-c 127.0.0.1 --ppid 0x53505246", "control PPID"),
            ("-c 127.0.0.1 --ppid -1", "32-bit"),
            ("-c 127.0.0.1 -1", "server option"),
            ("-s -l 64", "-l is a client option"),
            ("-s --batch 4", "--batch is a client option"),
            ("-s extra", "extra"),
        ] {
            let err = run(args).expect_err(args);
            assert!(
                err.contains(says),
                "{args:?}: {err:?} does not say {says:?}"
            );
            assert!(!err.contains('\n'), "{args:?}: {err:?}");
        }
    }
}
