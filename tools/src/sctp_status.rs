//! `sctp_status`: lksctp-tools' one-to-one traffic generator that prints the association's
//! `SCTP_STATUS` every 5 ms whenever the primary path's congestion window changed (to stdout
//! or to the `-f` file), while a client (`-s`) sends rounds of messages of random or `-c`
//! size and a server (`-l`) receives them.
//!
//! The C tool forks a child that spins on a 5 ms profiling timer; here a thread polls the
//! status every 5 ms and stops with the run. `--stats` adds the association's
//! `SCTP_GET_ASSOC_STATS` counters at the end of the run.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::Write;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use socket2::Socket;
use tokio_linux_sctp::opts::{AssocState, PathState, SctpStatus, SocketOptions};

use crate::cli::{self, strerror, Exit, HasArg, Key, LongOpt, Spec};
use crate::crand::CRand;
use crate::show::{self, DEBUG_MAX, DEBUG_MIN, DEBUG_NONE};
use crate::sock::{self, Style};
use crate::testgen::{self, Debug, TestSend, BIG_REPEAT, DEFAULT_MAX_WINDOW, MSG_CNT, REPEAT};

const SPEC: Spec = Spec {
    shorts: "H:P:h:p:c:d:lm:sx:X:o:M:Di:I:f:",
    longs: &[LongOpt {
        name: "stats",
        has_arg: HasArg::No,
        key: Key::Long("stats"),
    }],
};

/// How often the status is read (the C tool's 5 ms profiling timer).
pub const PERIOD: Duration = Duration::from_millis(5);

/// The C tool's usage text (with its typos), `%8s` filled in, plus `--stats`.
pub fn usage(prog: &str) -> String {
    format!(
        "\nusage:\n  server:\n  {prog:>8} -H local-addr -P local-port -l [-d level] [-x]\n\
         \t      [-L num-ports] [-S num-ports]\n\t      [-a assoc-pattern]\n\t      [-i interface]\n\
         \t      [-f status-file]\n\n  client:\n  {prog:>8} -H local-addr -P local-port -h remote-addr\n\
         \t      -p remote-port -s [-c case ] [-d level]\n\
         \t      [-x repeat] [-o order-pattern] ream-pattern]\n\t      [-M max-stream]\n\
         \t      [-m max-msgsize]\n\t      [-L num-ports] [-S num-ports]\n\t      [-i interface]\n\
         \t      [-f status-file]\n\n\t-c value = Packets of specifed size.\n\
         \t-m msgsize(1500-65515, default value 32768)\n\t-x number of repeats\n\
         \t-X number of messages\n\t-o order-pattern\n\t   0 = all unordered(default) \n\
         \t   1 = all ordered \n\t   2 = alternating \n\t   3 = random\n\
         \t-M max-stream (default value 0)\n\
         \t-D drain. If in client mode do a read following send.\n\
         \t-I receive after <n> times of send, default value 1.\n\
         \t--stats print SCTP_GET_ASSOC_STATS at the end of the run (not in the C tool).\n\n"
    )
}

/// sctp_status's settings.
#[derive(Clone, Debug)]
struct Config {
    server: bool,
    local: Option<SocketAddr>,
    remote: Option<SocketAddr>,
    size_arg: i32,
    debug: Debug,
    order_pattern: i32,
    repeat: i32,
    max_msgsize: i32,
    msg_cnt: usize,
    drain: bool,
    max_stream: i32,
    period: i32,
    statusfile: Option<String>,
    stats: bool,
}

/// Runs sctp_status with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    let prog = cli::prog_name(&args, "sctp_status");
    match run_args(&prog, &args) {
        Ok(()) => 0,
        Err(e) => e.report(&prog),
    }
}

fn configure(parsed: &cli::Parsed) -> Result<Config, Exit> {
    let mut role: Option<bool> = None;
    let (mut local_host, mut remote_host) = (None::<String>, None::<String>);
    let (mut local_port, mut remote_port) = (0u16, 0u16);
    let mut interface = None::<String>;
    let mut c = Config {
        server: false,
        local: None,
        remote: None,
        size_arg: 0,
        debug: Debug(DEBUG_NONE),
        order_pattern: 0,
        repeat: REPEAT,
        max_msgsize: DEFAULT_MAX_WINDOW,
        msg_cnt: MSG_CNT,
        drain: false,
        max_stream: 0,
        period: 1,
        statusfile: None,
        stats: false,
    };
    for o in &parsed.opts {
        let ch = match o.key {
            Key::Short(ch) => ch,
            Key::Long(_) => {
                c.stats = true;
                continue;
            }
        };
        match ch {
            'H' => local_host = Some(o.text().to_owned()),
            'P' => local_port = o.port()?,
            'h' => remote_host = Some(o.text().to_owned()),
            'p' => remote_port = o.port()?,
            'l' | 's' => {
                if role.is_some() {
                    return Err(Exit::usage("only -s or -l"));
                }
                role = Some(ch == 'l');
            }
            'D' => c.drain = true,
            'd' => c.debug = Debug(o.int_in(0, 2, "debug level")?),
            'I' => c.period = o.int_in(1, i32::MAX, "receive period")?,
            'x' => {
                c.repeat = o.int()?;
                if c.repeat == 0 {
                    c.repeat = BIG_REPEAT;
                }
            }
            'X' => c.msg_cnt = o.int_in(1, MSG_CNT as i32, "message count")? as usize,
            'c' => c.size_arg = o.int_in(0, i32::MAX, "message size")?,
            'o' => c.order_pattern = o.int_in(0, 3, "order-pattern")?,
            'M' => c.max_stream = o.int_in(0, 65535, "max-stream")?,
            'm' => c.max_msgsize = o.int()?,
            'i' => interface = Some(o.text().to_owned()),
            'f' => c.statusfile = Some(o.text().to_owned()),
            _ => {}
        }
    }
    c.server = role.ok_or_else(|| Exit::usage("give -s (client) or -l (server)"))?;
    if c.server && local_host.is_none() && remote_host.is_some() {
        return Err(Exit::usage(
            "Server needs local address, not remote address",
        ));
    }
    if !c.server && remote_host.is_none() {
        return Err(Exit::usage("Client needs at least remote address & port"));
    }
    if !parsed.operands.is_empty() {
        return Err(Exit::usage(format!(
            "non-option arguments are illegal: {}",
            parsed.operands.join(" ")
        )));
    }
    if !c.server && c.size_arg == 0 && c.max_msgsize == 0 {
        return Err(Exit::usage("-m max-msgsize must not be 0 without -c"));
    }
    // An unknown -i interface gives scope id 0, as if_nametoindex does in the C tool.
    let scope = interface.as_deref().and_then(crate::addr::if_index);
    let resolve = |h: &str, port: u16| -> Result<SocketAddr, Exit> {
        let a = crate::addr::first_addr(h, port, None)
            .map_err(|e| Exit::usage(format!("address '{h}': {e}")))?;
        Ok(match scope {
            Some(s) => crate::addr::with_scope(a, s),
            None => a,
        })
    };
    if let (Some(h), true) = (&remote_host, remote_port != 0) {
        let a = resolve(h, remote_port)?;
        c.debug
            .print(DEBUG_MAX, testgen::endpoint_line("remote", &a));
        c.remote = Some(a);
    }
    if let Some(h) = &local_host {
        let a = resolve(h, local_port)?;
        c.debug
            .print(DEBUG_MAX, testgen::endpoint_line("local", &a));
        c.local = Some(a);
    }
    Ok(c)
}

fn run_args(prog: &str, args: &[OsString]) -> Result<(), Exit> {
    let parsed = SPEC.parse(args.iter().skip(1).cloned())?;
    if parsed.help {
        crate::show::out(usage(prog));
        return Ok(());
    }
    let cfg = configure(&parsed)?;
    let debug = cfg.debug;
    debug.print(DEBUG_NONE, "\nStarting tests...\n");
    let local = cfg.local.ok_or_else(|| {
        Exit::usage("socket: failed to create socket: no local address (-H local-addr)")
    })?;
    let sk = testgen::open_socket(debug, &local, Style::OneToOne)?;
    testgen::bind_retrying(debug, &sk, &local)?;
    let conn = if cfg.server {
        testgen::listen(debug, &sk, 1)?;
        let a = testgen::accept(debug, &sk)?;
        Some(a)
    } else {
        if cfg.max_stream > 0 {
            let n = cfg.max_stream as u16;
            sock::set_init(sk.as_fd(), n, n, 3)
                .map_err(|e| Exit::fail(format!("setsockopt(SCTP_INITMSG): {}", strerror(&e))))?;
        }
        testgen::connect(debug, &sk, cfg.remote)?;
        None
    };
    let gsk: &Socket = conn.as_ref().unwrap_or(&sk);
    let mut printer = Printer::new(&cfg);
    // The C child's first `printstatus`, before the first timer tick.
    if !printer.tick(gsk.as_fd(), false) {
        return Err(Exit::status(1));
    }
    let stop = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(PERIOD);
                if stop.load(Ordering::SeqCst) || !printer.tick(gsk.as_fd(), true) {
                    return;
                }
            }
        });
        let result = exchange(&cfg, &sk, gsk);
        stop.store(true, Ordering::SeqCst);
        let _ = watcher.join();
        result
    });
    result?;
    if cfg.stats {
        match SocketOptions::new(gsk.as_fd(), 0).assoc_stats() {
            Ok(s) => crate::show::out(show::darn_assoc_stats(&s)),
            Err(e) => {
                return Err(Exit::fail(format!(
                    "SCTP_GET_ASSOC_STATS: {}",
                    strerror(&e)
                )))
            }
        }
    }
    if let Some(a) = &conn {
        debug.print(DEBUG_MIN, format!("\tclose(sk={})\n", a.as_raw_fd()));
    }
    drop(conn);
    testgen::close(debug, sk);
    Ok(())
}

/// The parent's side of the C tool: the rounds of sends or receives.
fn exchange(cfg: &Config, sk: &Socket, gsk: &Socket) -> Result<(), Exit> {
    let debug = cfg.debug;
    if debug.0 == 0 {
        crate::show::out("     ");
    }
    let mut rng = CRand::new(1);
    let (mut order, mut stream) = (0, 0);
    let mut buf = vec![0u8; sock::RECV_SIZE];
    for round in 0..cfg.repeat {
        if cfg.server {
            debug.print(
                DEBUG_NONE,
                format!("Server: Receiving packets.({}/{})\n", round + 1, cfg.repeat),
            );
            if cfg.max_msgsize > DEFAULT_MAX_WINDOW {
                sock::set_buffer_size(gsk.as_fd(), false, cfg.max_msgsize)
                    .map_err(|e| Exit::fail(format!("setsockopt(SO_RCVBUF): {}", strerror(&e))))?;
            }
            for i in 0..cfg.msg_cnt {
                receive_one(debug, gsk, &mut buf)?;
                debug.print(DEBUG_MIN, format!("count {}\n", i + 1));
            }
        } else {
            debug.print(
                DEBUG_NONE,
                format!("Client: Sending packets.({}/{})\n", round + 1, cfg.repeat),
            );
            for i in 0..cfg.msg_cnt {
                let size = if cfg.size_arg != 0 {
                    cfg.size_arg
                } else {
                    rng.rand() % cfg.max_msgsize + 1
                };
                order = testgen::next_order(order, cfg.order_pattern, &mut rng);
                stream = testgen::next_stream_sequential(stream, cfg.max_stream);
                if size <= 0 {
                    return Err(Exit::fail(format!("message size {size} is not positive")));
                }
                let m = TestSend {
                    stream: stream as u16,
                    ordered: order != 0,
                    size: size as usize,
                    ppid: rng.rand() as u32,
                    ttl: 0,
                };
                crate::show::out(m.describe(debug, sk.as_raw_fd(), 0, true));
                testgen::send_test(sk, cfg.remote.as_ref(), &m)?;
                if cfg.drain && (i as i32 + 1) % cfg.period == 0 {
                    receive_one(debug, sk, &mut buf)?;
                }
            }
        }
    }
    Ok(())
}

/// `receive_r`: reads until a data message (or the end of the association).
fn receive_one(debug: Debug, s: &Socket, buf: &mut [u8]) -> Result<(), Exit> {
    loop {
        debug.print(DEBUG_MIN, format!("\trecvmsg(sk={}) ", s.as_raw_fd()));
        let r = sock::recv(s.as_fd(), buf, libc::MSG_WAITALL)
            .map_err(|e| Exit::fail(format!("recvmsg: {}", strerror(&e))))?;
        if r.len == 0 && !r.is_notification() {
            crate::show::out("\n\t\trecvmsg() returned 0 !!!!\n");
        }
        if !r.is_notification() {
            return Ok(());
        }
    }
}

/// The header line of the status table.
pub const HEADER: &str = "NO. ASSOC-ID STATE             RWND     UNACKDATA PENDDATA INSTRMS \
                          OUTSTRMS FRAG-POINT SPINFO-STATE SPINFO-CWDN SPINFO-SRTT SPINFO-RTO \
                          SPINFO-MTU\n";

/// `get_sstat_state`.
fn state_name(s: AssocState) -> &'static str {
    match s {
        AssocState::Empty => "EMPTY",
        AssocState::Closed => "CLOSED",
        AssocState::CookieWait => "COOKIE_WAIT",
        AssocState::CookieEchoed => "COOKIE_ECHOED",
        AssocState::Established => "ESTABLISHED",
        AssocState::ShutdownPending => "SHUTDOWN_PENDING",
        AssocState::ShutdownSent => "SHUTDOWN_SENT",
        AssocState::ShutdownReceived => "SHUTDOWN_RECEIVED",
        AssocState::ShutdownAckSent => "SHUTDOWN_ACK_SENT",
        _ => "UNKNOW",
    }
}

/// The C tool's `state_to_str` of a path state.
fn path_name(s: PathState) -> &'static str {
    match s {
        PathState::Inactive => "INACTIVE",
        PathState::PotentiallyFailed => "PF",
        PathState::Active => "ACTIVE",
        PathState::Unconfirmed => "UNCONFIRMED",
        _ => "(null)",
    }
}

/// One line of the status table (number `count`).
pub fn status_line(count: u32, s: &SctpStatus) -> String {
    let p = &s.primary;
    format!(
        "{count:<3} {:<8} {:<17} {:<8} {:<9} {:<8} {:<7} {:<8} {:<10} {:<12} {:<11} {:<11} {:<10} {}\n",
        s.assoc_id,
        state_name(s.state),
        s.rwnd as i32,
        s.unacked_data,
        s.pending_data,
        s.inbound_streams,
        s.outbound_streams,
        s.fragmentation_point as i32,
        path_name(p.state),
        p.cwnd as i32,
        p.srtt.as_millis() as i32,
        p.rto.as_millis() as i32,
        p.mtu as i32
    )
}

/// The C tool's status child: `printstatus` once, then on every timer tick.
struct Printer<'a> {
    cfg: &'a Config,
    /// Lines printed so far (`count`).
    count: u32,
    /// The primary path's cwnd at the last look (`cwnd`).
    cwnd: u32,
}

impl<'a> Printer<'a> {
    fn new(cfg: &'a Config) -> Self {
        Printer {
            cfg,
            count: 0,
            cwnd: 0,
        }
    }

    /// One `printstatus` (`timer`: from the timer, which prints `timeout sig` at debug level
    /// 2): the header until the first line, a line whenever the primary path's cwnd changed.
    /// False when the C child would exit: the status cannot be read (the C child says `Error
    /// getting status` on stderr; here the run reports the end of the association), or the
    /// primary path is no longer active (then `\tclose(sk=N)` at debug level 1).
    fn tick(&mut self, fd: BorrowedFd<'_>, timer: bool) -> bool {
        if timer {
            self.cfg.debug.print(DEBUG_MAX, "timeout sig\n");
        }
        // Unreadable status (the association is gone): the run itself reports what happened.
        let Ok(status) = sock::status(fd, 0) else {
            return false;
        };
        let first = self.count == 0;
        let mut text = String::new();
        if first {
            text.push_str(HEADER);
        }
        if self.cwnd != status.primary.cwnd {
            self.count += 1;
            text.push_str(&status_line(self.count, &status));
        }
        self.cwnd = status.primary.cwnd;
        emit(self.cfg, &text, first);
        if status.primary.state != PathState::Active {
            self.cfg
                .debug
                .print(DEBUG_MIN, format!("\tclose(sk={})\n", fd.as_raw_fd()));
            return false;
        }
        true
    }
}

/// Writes status text to stdout or appended to the `-f` file (truncated on the first
/// write, as the C tool unlinks it first).
fn emit(cfg: &Config, text: &str, first: bool) {
    match &cfg.statusfile {
        None if text.is_empty() => {}
        None => crate::show::out(text),
        Some(path) => {
            let f = OpenOptions::new()
                .create(true)
                .append(!first)
                .write(true)
                .truncate(first)
                .open(path);
            match f {
                Ok(mut f) => {
                    let _ = f.write_all(text.as_bytes());
                }
                Err(e) => eprintln!("fopen: {path}: {}", strerror(&e)),
            }
        }
    }
}
