//! `sctp_test`: lksctp-tools' traffic generator and receiver. A client (`-s`) sends rounds of
//! test messages (sizes from a test case, streams and order from patterns, random PPIDs); a
//! server (`-l`) prints every message and notification it receives; the mixed mode (`-L`,
//! `-S`) runs many of both over `select`-like polling. Options, defaults, printed lines and
//! exit statuses are the C tool's (see the differences table in `tools/README.md`).

mod mixed;
mod run;

use std::ffi::OsString;
use std::net::SocketAddr;

use crate::cli::{self, Exit, Key, Spec};
use crate::crand::CRand;
use crate::show::{DEBUG_MAX, DEBUG_NONE};
use crate::sock::Style;
use crate::testgen::{self, Debug, BIG_REPEAT, DEFAULT_MAX_WINDOW, MSG_CNT, NCASES, REPEAT};

/// The most listening or sending sockets of the mixed mode (`MAX_POLL_SKS`).
pub const MAX_POLL_SKS: i32 = 256;

const SPEC: Spec = Spec {
    shorts: "H:L:P:S:a:h:p:c:d:lm:sx:X:o:t:M:r:Di:TB:C:O:",
    longs: &[],
};

/// The C tool's usage text, with `%8s` filled in.
pub fn usage(prog: &str) -> String {
    format!(
        "\nusage:\n  server:\n  {prog:>8} -H local-addr -P local-port -l [-d level] [-x]\n\
         \t      [-L num-ports] [-S num-ports]\n\t      [-a assoc-pattern]\n\t      [-i interface]\n\
         \n  client:\n  {prog:>8} -H local-addr -P local-port -h remote-addr\n\
         \t      -p remote-port -s [-c case ] [-d level]\n\
         \t      [-x repeat] [-o order-pattern] [-t stream-pattern]\n\
         \t      [-M max-stream] [-r rand-seed]\n\t      [-m max-msgsize]\n\
         \t      [-L num-ports] [-S num-ports]\n\t      [-a assoc-pattern]\n\t      [-i interface]\n\n\
         \t-a assoc_pattern in the mixed mode\n\t   0 = sequential ascending(default)\n\t   1 = random\n\
         \t-d debug\n\t   0 = none\n\t   1 = min(default)\n\t   2 = max\n\
         \t-c testcase\n\t   0 = 1 byte packets.\n\t   1 = Sequence of multiples of 1452 byte packets.\n\
         \t       (1452 is fragmentation point for an i/f with 1500 as mtu.)\n\
         \t   2 = 1453 byte packets.\n\t       (min. size at which fragmentation occurs\n\
         \t        for an i/f with 1500 as mtu.)\n\t   3 = Sequence of 1, 1453, 32768 byte packets.\n\
         \t   4 = Sequence of following size packets.\n\
         \t       (1, 1000, 2000, 3000, 5000, 10000,15000, 20000, 25000, 32768)\n\
         \t   5 = 32768 byte packets.\n\t       (default max receive window size.)\n\
         \t   6 = random size packets.\n\t   -ve value = Packets of specifed size.\n\
         \t-m max msgsize for option -c 6 (1500-65515, default value 32768)\n\
         \t-x number of repeats\n\t-o order-pattern\n\t   0 = all unordered(default) \n\
         \t   1 = all ordered \n\t   2 = alternating \n\t   3 = random\n\
         \t-t stream-pattern\n\t   0 = sequential ascending(default)\n\t   1 = random\n\
         \t-M max-stream (default value 0)\n\t-r seed (default 0, use time())\n\
         \t-L num-ports (default value 0). Run the mixed mode\n\
         \t-S num-ports (default value 0). Run the mixed mode\n\
         \t-D drain. If in client mode do a read following send.\n\
         \t-T use SOCK_STREAM tcp-style sockets.\n\
         \t-B add the specified address(es) as additional bind\n\
         \t   addresses of the local socket. Multiple addresses can\n\
         \t   be specified by using this argument multiple times.\n\
         \t   For example, '-B 10.0.0.1 -B 20.0.0.2'.\n\
         \t   In case of IPv6 linklocal address, interface name can be set in following way \n\
         \t   For example, '-B fe80::f8c3:b77f:698e:4506%eth2'.\n\
         \t-C use the specified address(es) for connection to the\n\
         \t   peer socket. Multiple addresses can be specified by\n\
         \t   using this argument multiple times.\n\
         \t   For example, '-C 10.0.0.1 -C 20.0.0.2'.\n\
         \t   This option is incompatible with the -h option.\n\
         \t-O time to live (default value 0)\n\n"
    )
}

/// What the tool does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `-l`: receive and print.
    Server,
    /// `-s`: send test messages.
    Client,
    /// `-L` / `-S`: many sockets of both kinds.
    Mixed,
}

/// sctp_test's settings, from its options.
#[derive(Clone, Debug)]
pub struct Config {
    /// Program name for messages.
    pub prog: String,
    /// `-l`, `-s`, `-L`/`-S`.
    pub role: Role,
    /// `-H`, resolved (with `-P`).
    pub local: Option<SocketAddr>,
    /// `-P`.
    pub local_port: u16,
    /// `-h`/`-C`, resolved (with `-p`).
    pub remote: Option<SocketAddr>,
    /// `-p`.
    pub remote_port: u16,
    /// `-c`: test case 0..=6 (negative: fixed size, in `size_arg`).
    pub test_case: i32,
    /// `-c -N`: every message `N` bytes.
    pub size_arg: i32,
    /// `-x 0`: repeat forever.
    pub xflag: bool,
    /// `-x`.
    pub repeat: i32,
    /// `-X`: messages per round.
    pub msg_cnt: usize,
    /// `-d`.
    pub debug: Debug,
    /// `-o`.
    pub order_pattern: i32,
    /// `-t`.
    pub stream_pattern: i32,
    /// `-M`.
    pub max_stream: i32,
    /// `-r` (0: the time).
    pub seed: i32,
    /// `-m`.
    pub max_msgsize: i32,
    /// `-O`.
    pub timetolive: i32,
    /// `-a`.
    pub assoc_pattern: i32,
    /// `-T`.
    pub style: Style,
    /// `-L`.
    pub listeners: i32,
    /// `-S`.
    pub tosend: i32,
    /// `-D`.
    pub drain: bool,
    /// `-B` addresses.
    pub bindx: Vec<SocketAddr>,
    /// `-C` addresses.
    pub connectx: Vec<SocketAddr>,
}

/// Runs sctp_test with the process's arguments; returns the exit status.
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    let prog = cli::prog_name(&args, "sctp_test");
    match run_args(&prog, &args) {
        Ok(()) => 0,
        Err(e) => e.report(&prog),
    }
}

fn run_args(prog: &str, args: &[OsString]) -> Result<(), Exit> {
    let parsed = SPEC.parse(args.iter().skip(1).cloned())?;
    if parsed.help {
        crate::show::out(usage(prog));
        return Err(Exit::status(0));
    }
    let mut cfg = configure(prog, &parsed)?;
    if cfg.seed == 0 {
        cfg.seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() as i32);
        Debug(cfg.debug.0).print(DEBUG_NONE, format!("seed = {}\n", cfg.seed));
    }
    let mut rng = CRand::new(cfg.seed as u32);
    cfg.debug.print(DEBUG_NONE, "\nStarting tests...\n");
    if cfg.role == Role::Mixed {
        return mixed::run(&cfg, &mut rng);
    }
    run::run(&cfg, &mut rng)
}

/// Reads the options in order (as getopt hands them to the C tool) into a [`Config`], with
/// the C tool's checks, then resolves the addresses (printing them at debug level 2).
///
/// # Errors
///
/// A usage error naming the option or the missing address.
pub fn configure(prog: &str, parsed: &cli::Parsed) -> Result<Config, Exit> {
    let mut role: Option<Role> = None;
    let (mut local_host, mut remote_host): (Option<String>, Option<String>) = (None, None);
    let mut cfg = Config {
        prog: prog.to_owned(),
        role: Role::Client,
        local: None,
        local_port: 0,
        remote: None,
        remote_port: 0,
        test_case: 0,
        size_arg: 0,
        xflag: false,
        repeat: REPEAT,
        msg_cnt: MSG_CNT,
        debug: Debug(DEBUG_MAX),
        order_pattern: 0,
        stream_pattern: 0,
        max_stream: 0,
        seed: 0,
        max_msgsize: DEFAULT_MAX_WINDOW,
        timetolive: 0,
        assoc_pattern: 0,
        style: Style::OneToMany,
        listeners: 0,
        tosend: 0,
        drain: false,
        bindx: Vec::new(),
        connectx: Vec::new(),
    };
    let mut interface: Option<String> = None;
    let mut if_index = 0u32;
    let set_role = |role: &mut Option<Role>, r: Role| -> Result<(), Exit> {
        if role.is_some() && r != Role::Mixed {
            return Err(Exit::usage("only -s or -l"));
        }
        *role = Some(r);
        Ok(())
    };
    for o in &parsed.opts {
        let Key::Short(c) = o.key else { continue };
        match c {
            'H' => local_host = Some(o.text().to_owned()),
            'L' => {
                cfg.listeners = o.int_in(0, MAX_POLL_SKS, "num-ports")?;
                role = Some(Role::Mixed);
            }
            'S' => {
                cfg.tosend = o.int_in(0, MAX_POLL_SKS, "num-ports")?;
                role = Some(Role::Mixed);
            }
            'P' => cfg.local_port = o.port()?,
            'a' => cfg.assoc_pattern = o.int_in(0, 1, "assoc-pattern")?,
            'h' => remote_host = Some(o.text().to_owned()),
            'D' => cfg.drain = true,
            'p' => cfg.remote_port = o.port()?,
            's' => set_role(&mut role, Role::Client)?,
            'l' => set_role(&mut role, Role::Server)?,
            'd' => cfg.debug = Debug(o.int_in(0, 2, "debug level")?),
            'x' => {
                cfg.repeat = o.int()?;
                if cfg.repeat == 0 {
                    cfg.xflag = true;
                    cfg.repeat = BIG_REPEAT;
                }
            }
            'X' => cfg.msg_cnt = o.int_in(1, MSG_CNT as i32, "message count")? as usize,
            'c' => {
                cfg.test_case = o.int_in(i32::MIN + 1, NCASES, "test case")?;
                if cfg.test_case < 0 {
                    cfg.size_arg = -cfg.test_case;
                }
            }
            'o' => cfg.order_pattern = o.int_in(0, 3, "order-pattern")?,
            'O' => cfg.timetolive = o.int_in(0, i32::MAX, "time to live")?,
            't' => cfg.stream_pattern = o.int_in(0, 1, "stream-pattern")?,
            'M' => cfg.max_stream = o.int_in(0, 65535, "max-stream")?,
            'r' => cfg.seed = o.int()?,
            'm' => cfg.max_msgsize = o.int()?,
            'i' => {
                let name = o.text();
                if_index = crate::addr::if_index(name)
                    .ok_or_else(|| Exit::fail(format!("Interface {name} unknown")))?;
                interface = Some(name.to_owned());
            }
            'T' => cfg.style = Style::OneToOne,
            'B' => cfg.bindx.extend(
                crate::addr::append_addrs(o.text(), cfg.local_port, if_index, true)
                    .map_err(Exit::fail)?,
            ),
            'C' => cfg.connectx.extend(
                crate::addr::append_addrs(o.text(), cfg.local_port, if_index, true)
                    .map_err(Exit::fail)?,
            ),
            _ => {}
        }
    }
    cfg.role = role.ok_or_else(|| Exit::usage("give -s (client), -l (server) or -L/-S (mixed)"))?;
    if cfg.role == Role::Server && local_host.is_none() && remote_host.is_some() {
        return Err(Exit::usage(
            "Server needs local address, not remote address",
        ));
    }
    if cfg.role == Role::Client && remote_host.is_none() && cfg.connectx.is_empty() {
        return Err(Exit::usage("Client needs at least remote address & port"));
    }
    if cfg.role == Role::Mixed {
        if cfg.listeners != 0 && local_host.is_none() {
            return Err(Exit::usage("Servers need local address"));
        }
        if cfg.tosend != 0 && remote_host.is_none() {
            return Err(Exit::usage("Clients need remote address & port"));
        }
    }
    if !parsed.operands.is_empty() {
        return Err(Exit::usage(format!(
            "non-option arguments are illegal: {}",
            parsed.operands.join(" ")
        )));
    }
    if remote_host.is_some() && !cfg.connectx.is_empty() {
        return Err(Exit::usage("You can not provide both -h and -C options."));
    }
    if cfg.test_case == NCASES && cfg.size_arg == 0 && cfg.max_msgsize == 0 {
        return Err(Exit::usage("-m max-msgsize must not be 0 with -c 6"));
    }
    let iface = interface.as_deref();
    if let (Some(h), true) = (&remote_host, cfg.remote_port != 0) {
        let a = crate::addr::first_addr(h, cfg.remote_port, iface)
            .map_err(|e| Exit::usage(format!("remote address '{h}': {e}")))?;
        cfg.debug
            .print(DEBUG_MAX, testgen::endpoint_line("remote", &a));
        cfg.remote = Some(a);
    }
    if let Some(first) = cfg.connectx.first() {
        let mut a = *first;
        a.set_port(cfg.remote_port);
        cfg.remote = Some(a);
    }
    if let Some(h) = &local_host {
        let a = crate::addr::first_addr(h, cfg.local_port, iface)
            .map_err(|e| Exit::usage(format!("local address '{h}': {e}")))?;
        cfg.debug
            .print(DEBUG_MAX, testgen::endpoint_line("local", &a));
        cfg.local = Some(a);
    }
    Ok(cfg)
}

impl Config {
    /// The local address to bind, or the error the C tool meets without `-H` (its socket
    /// has no address family).
    ///
    /// # Errors
    ///
    /// Without `-H`.
    pub fn local_addr(&self) -> Result<SocketAddr, Exit> {
        self.local.ok_or_else(|| {
            Exit::usage("socket: failed to create socket: no local address (-H local-addr)")
        })
    }

    /// The size of message `i` of a round (`next_msg_size`).
    pub fn next_msg_size(&self, i: usize, rng: &mut CRand) -> i32 {
        if self.size_arg != 0 {
            self.size_arg
        } else if self.test_case < NCASES {
            testgen::MSG_SIZES[self.test_case as usize][i % MSG_CNT]
        } else {
            rng.rand() % self.max_msgsize + 1
        }
    }

    /// The next stream (`next_stream`).
    pub fn next_stream(&self, state: i32, rng: &mut CRand) -> i32 {
        match self.stream_pattern {
            1 => {
                rng.rand()
                    % if self.max_stream == 0 {
                        1
                    } else {
                        self.max_stream
                    }
            }
            _ => testgen::next_stream_sequential(state, self.max_stream),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(args: &[&str]) -> Result<Config, Exit> {
        let p = SPEC.parse(args.iter().copied()).unwrap();
        configure("sctp_test", &p)
    }

    #[test]
    fn defaults_are_the_c_tools() {
        let c = cfg(&["-H", "127.0.0.1", "-P", "1", "-l", "-d0"]).unwrap();
        assert_eq!(c.role, Role::Server);
        assert_eq!((c.repeat, c.msg_cnt, c.max_msgsize), (10, 10, 32768));
        assert_eq!(c.local, Some("127.0.0.1:1".parse().unwrap()));
        let c = cfg(&["-h", "::1", "-p", "9", "-s", "-c", "-77", "-x0", "-d", "0"]).unwrap();
        assert_eq!((c.size_arg, c.xflag, c.repeat), (77, true, BIG_REPEAT));
        assert_eq!(c.remote, Some("[::1]:9".parse().unwrap()));
        assert_eq!(
            cfg(&["-d0", "-L", "2", "-H", "0"]).unwrap().role,
            Role::Mixed
        );
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for args in [
            &["-s", "-l"][..],
            &["-l", "-d", "3"],
            &["-l", "-c", "7"],
            &["-l", "-X", "0"],
            &["-l", "-X", "11"],
            &["-l", "-o", "4"],
            &["-l", "-M", "65536"],
            &["-l", "-P", "x"],
            &["-l", "-P", "70000"],
            &["-d0"],
            &["-s", "-d0"],
            &["-l", "-d0", "-H", "127.0.0.1", "extra"],
            &["-s", "-d0", "-h", "127.0.0.1", "-C", "127.0.0.2"],
            &[
                "-s",
                "-d0",
                "-h",
                "127.0.0.1",
                "-p",
                "1",
                "-c",
                "6",
                "-m",
                "0",
            ],
            &["-L", "257", "-d0"],
        ] {
            let e = cfg(args).unwrap_err();
            assert_eq!(e.code, 1, "{args:?}");
            assert!(e.message.is_some(), "{args:?}");
        }
        assert!(cfg(&["-s", "-d0", "-h", "no.such.host.invalid", "-p", "1"]).is_err());
        assert!(cfg(&["-s", "-i", "no-such-if0"]).is_err());
    }
}
