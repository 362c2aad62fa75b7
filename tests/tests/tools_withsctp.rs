//! `withsctp` (linux-sctp-tools) against real TCP programs nobody here wrote: `socat`,
//! `curl` and `python3 -m http.server` run under it speak SCTP to each other and to
//! `sctp_test` / `sctp_darn` (the C ones and ours), the associations show up in `/proc/net/sctp/assocs`, and the
//! TCP options they set arrive as SCTP options in the kernel. Each scenario that the C shim
//! (`/usr/bin/withsctp`, lksctp-tools 1.0.19) can run is run with both shims, and the
//! results must be identical; where the C shim cannot (sockets made with `SOCK_CLOEXEC`,
//! keep-alive options), the test shows the difference that `tools/withsctp/README.md`
//! documents.
//!
//! Every scenario runs in a private network namespace of its own, loopback only. Our
//! wrapper writes its shim to a per-test `XDG_RUNTIME_DIR`.

mod netlab;
mod tools_support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use netlab::{KillOnDrop, Netns, LIMIT};
use tools_support::{pattern, tool, TempDir};

/// Which withsctp runs the program.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shim {
    /// Ours: the `withsctp` binary of linux-sctp-tools.
    Ours,
    /// lksctp-tools' script and `libwithsctp.so`.
    C,
}

const BOTH: [Shim; 2] = [Shim::Ours, Shim::C];

/// Whose `sctp_test` and `sctp_darn` are the SCTP peers.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tools {
    /// lksctp-tools 1.0.19's.
    C,
    /// linux-sctp-tools'.
    Ours,
}

impl Tools {
    /// `program` of these tools inside `ns`.
    fn command(self, ns: &Netns, program: &str) -> Command {
        match self {
            Tools::C => {
                netlab::require("lksctp-tools", program);
                ns.command(program)
            }
            Tools::Ours => ns.command(tool(program).to_str().expect("UTF-8 path")),
        }
    }
}

impl Shim {
    /// `withsctp PROGRAM` inside `ns`, with our shim's directory in `dir`.
    fn command(self, ns: &Netns, dir: &TempDir, program: &str) -> Command {
        let wrapper = match self {
            Shim::Ours => tool("withsctp"),
            Shim::C => {
                netlab::require("lksctp-tools", "withsctp");
                "/usr/bin/withsctp".into()
            }
        };
        let mut c = ns.command(wrapper.to_str().expect("UTF-8 path"));
        c.arg(program).env("XDG_RUNTIME_DIR", &dir.0);
        c
    }
}

/// One association end in `/proc/net/sctp/assocs`.
#[derive(Debug, PartialEq, Clone)]
struct AssocLine {
    /// Socket style (`STY`): 2 is one-to-one (`SCTP_SOCKET_TCP`).
    style: u32,
    /// State (`ST`): 3 is ESTABLISHED.
    state: u32,
    lport: u16,
    rport: u16,
    /// Heartbeat interval (`HBINT`), in jiffies.
    hbint: u32,
    /// Maximum retransmissions (`MAXRT`).
    maxrt: u32,
}

/// The associations of the namespace that have `port` at one end.
fn assocs(ns: &Netns, port: u16) -> Vec<AssocLine> {
    let out = ns.exec("coreutils", "cat", &["/proc/net/sctp/assocs"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            // ASSOC SOCK STY SST ST HBKT ASSOC-ID TX_QUEUE RX_QUEUE UID INODE LPORT RPORT
            // LADDRS <-> RADDRS HBINT INS OUTS MAXRT ...
            let f: Vec<&str> = l.split_whitespace().collect();
            let arrow = f.iter().position(|&x| x == "<->")?;
            // RADDRS is one token per address; HBINT follows the last one.
            let tail = &f[arrow + 1..];
            let hb = tail
                .iter()
                .position(|t| !t.contains('.') && !t.contains(':'))?;
            let num = |s: &str| s.parse::<u32>().ok();
            Some(AssocLine {
                style: num(f.get(2)?)?,
                state: num(f.get(4)?)?,
                lport: f.get(11)?.parse().ok()?,
                rport: f.get(12)?.parse().ok()?,
                hbint: num(tail.get(hb)?)?,
                maxrt: num(tail.get(hb + 3)?)?,
            })
        })
        .filter(|a| a.lport == port || a.rport == port)
        .collect()
}

/// Waits until both ends of an association with `port` are in `/proc/net/sctp/assocs`.
async fn both_ends(ns: &Netns, port: u16) -> Vec<AssocLine> {
    let start = Instant::now();
    loop {
        let found = assocs(ns, port);
        if found.len() >= 2 {
            return found;
        }
        assert!(
            start.elapsed() < LIMIT,
            "no association with port {port} in /proc/net/sctp/assocs: {found:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the file at `path` contains `needle` and returns its text.
async fn file_with(path: &Path, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
        if text.contains(needle) {
            return text;
        }
        assert!(
            start.elapsed() < LIMIT,
            "no {needle:?} in {} within {LIMIT:?}:\n{text}",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A child's stdout or stderr going to a file in `dir`.
fn to_file(dir: &TempDir, name: &str) -> Stdio {
    let f = std::fs::File::create(dir.join(name)).expect("output file");
    Stdio::from(f)
}

/// Runs `cmd` to its end with `input` on stdin (written from a thread) and returns its
/// status and stderr.
async fn run_with_input(package: &str, cmd: &mut Command, input: Vec<u8>) -> (ExitStatus, String) {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = KillOnDrop::spawn(package, cmd);
    let mut stdin = child.child().stdin.take().expect("piped stdin");
    std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_output(LIMIT).await;
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a socat-to-socat transfer under withsctp gave.
#[derive(Debug, PartialEq)]
struct Transfer {
    bytes_equal: bool,
    received: usize,
    client: Option<i32>,
    server: Option<i32>,
    /// (style, state) of both association ends while connected.
    ends: Vec<(u32, u32)>,
}

/// socat `TCP-LISTEN` writing to a file and socat `TCP:` reading stdin, both under
/// `shim`: half the data, a look at `/proc/net/sctp/assocs`, the rest, the end.
async fn socat_transfer(shim: Shim) -> Transfer {
    netlab::require("socat", "socat");
    let ns = Netns::new("wsocat");
    let dir = TempDir::new("withsctp-socat");
    let port = 7000;
    let out = dir.join("received");
    let mut server_cmd = shim.command(&ns, &dir, "socat");
    server_cmd
        .args([
            "-u".to_string(),
            format!("TCP-LISTEN:{port},reuseaddr"),
            format!("OPEN:{},creat,trunc", out.display()),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let server = KillOnDrop::spawn("socat", &mut server_cmd);
    // `ss -A sctp` finds it: the TCP listener is an SCTP socket.
    ns.wait_listening(port).await;

    let data = pattern(256 << 10, 1);
    let mut client_cmd = shim.command(&ns, &dir, "socat");
    client_cmd
        .args([
            "-u".to_string(),
            "STDIN".into(),
            format!("TCP:127.0.0.1:{port}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut client = KillOnDrop::spawn("socat", &mut client_cmd);
    let mut stdin = client.child().stdin.take().expect("piped stdin");
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let writer = {
        let data = data.clone();
        std::thread::spawn(move || {
            let half = data.len() / 2;
            let first = stdin.write_all(&data[..half]);
            if wait.recv().is_ok() && first.is_ok() {
                let _ = stdin.write_all(&data[half..]);
            }
        })
    };
    let ends = both_ends(&ns, port).await;
    go.send(()).expect("writer thread");
    let client = client.wait_output(LIMIT).await;
    let server = server.wait_output(LIMIT).await;
    writer.join().expect("writer thread");
    assert!(
        client.status.success() && server.status.success(),
        "{shim:?}: client {} {}, server {} {}",
        client.status,
        String::from_utf8_lossy(&client.stderr),
        server.status,
        String::from_utf8_lossy(&server.stderr)
    );
    let received = std::fs::read(&out).expect("received file");
    Transfer {
        bytes_equal: received == data,
        received: received.len(),
        client: client.status.code(),
        server: server.status.code(),
        ends: ends.iter().map(|a| (a.style, a.state)).collect(),
    }
}

/// socat to socat, both under withsctp: 256 KiB arrive byte for byte over an established
/// one-to-one SCTP association (both ends in `/proc/net/sctp/assocs`), with our shim and
/// with the C shim alike.
#[tokio::test]
async fn socat_to_socat_under_withsctp_is_sctp_with_either_shim() {
    let ours = socat_transfer(Shim::Ours).await;
    assert_eq!(
        ours,
        Transfer {
            bytes_equal: true,
            received: 256 << 10,
            client: Some(0),
            server: Some(0),
            ends: vec![(2, 3), (2, 3)],
        }
    );
    let c = socat_transfer(Shim::C).await;
    assert_eq!(ours, c, "our shim and the C shim differ");
}

/// What socat under withsctp and the C `sctp_test` / `sctp_darn` saw of each other.
#[derive(Debug, PartialEq)]
struct WithCTools {
    /// `sctp_test -l`'s lines from "Server: Receiving packets." on.
    sctp_test_lines: Vec<String>,
    socat_to_sctp_test: Option<i32>,
    /// What socat `TCP-LISTEN` wrote from `sctp_darn -s`.
    from_sctp_darn: Vec<u8>,
    socat_from_sctp_darn: Option<i32>,
}

async fn with_sctp_tools(shim: Shim, tools: Tools) -> WithCTools {
    netlab::require("socat", "socat");
    let ns = Netns::new("wctools");
    let dir = TempDir::new("withsctp-ctools");

    // socat TCP: (under withsctp) -> sctp_test -l (SCTP).
    let mut server_cmd = tools.command(&ns, "sctp_test");
    server_cmd
        .args(["-H", "127.0.0.1", "-P", "7101", "-l"])
        .stdin(Stdio::null())
        .stdout(to_file(&dir, "sctp_test.out"))
        .stderr(Stdio::null());
    let _sctp_test = KillOnDrop::spawn("lksctp-tools", &mut server_cmd);
    ns.wait_listening(7101).await;
    let message = "hello from socat over withsctp\n";
    let (status, err) = run_with_input(
        "socat",
        shim.command(&ns, &dir, "socat")
            .args(["-u", "STDIN", "TCP:127.0.0.1:7101"]),
        message.as_bytes().to_vec(),
    )
    .await;
    assert!(
        status.success(),
        "{shim:?}: socat to sctp_test: {status} {err}"
    );
    let text = file_with(&dir.join("sctp_test.out"), "SHUTDOWN_COMPLETE").await;
    let sctp_test_lines: Vec<String> = text
        .lines()
        .skip_while(|l| !l.contains("Server: Receiving packets."))
        .map(str::to_string)
        .collect();
    // sctp_test announces 10 bytes and prints 9 (its buffer keeps the NUL).
    let data_line = format!(
        "Data {} bytes. First 10 bytes: {}",
        message.len(),
        &message[..9]
    );
    assert!(
        sctp_test_lines.iter().any(|l| l.contains(&data_line)),
        "{shim:?}: sctp_test did not print {data_line:?}:\n{text}"
    );

    // sctp_darn -s (SCTP) -> socat TCP-LISTEN (under withsctp).
    let out = dir.join("from_darn");
    let mut socat_cmd = shim.command(&ns, &dir, "socat");
    socat_cmd
        .args([
            "-u".to_string(),
            "TCP-LISTEN:7103,reuseaddr".into(),
            format!("OPEN:{},creat,trunc", out.display()),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let socat = KillOnDrop::spawn("socat", &mut socat_cmd);
    ns.wait_listening(7103).await;
    let mut darn = tools.command(&ns, "sctp_darn");
    darn.args([
        "-H",
        "127.0.0.1",
        "-P",
        "7200",
        "-h",
        "127.0.0.1",
        "-p",
        "7103",
        "-s",
    ]);
    // sctp_darn's exit status at the end of its input is not what this test is about (the
    // C one ends with 8 here, ours with 0).
    let _ = run_with_input("lksctp-tools", &mut darn, b"line one\nline two\n".to_vec()).await;
    let socat = socat.wait_output(LIMIT).await;
    WithCTools {
        sctp_test_lines,
        socat_to_sctp_test: status.code(),
        from_sctp_darn: std::fs::read(&out).expect("socat's file"),
        socat_from_sctp_darn: socat.status.code(),
    }
}

/// socat under withsctp talks to `sctp_test` and `sctp_darn` both ways, lksctp-tools' and
/// ours: `sctp_test -l` receives and prints socat's message, and socat's `TCP-LISTEN`
/// writes out what `sctp_darn -s` sends (each line with the NUL sctp_darn sends after
/// it). All four combinations of shim (ours, C) and tools (C, ours) give identical results.
#[tokio::test]
async fn socat_under_withsctp_talks_to_sctp_test_and_sctp_darn() {
    let baseline = with_sctp_tools(Shim::Ours, Tools::C).await;
    assert_eq!(baseline.socat_to_sctp_test, Some(0));
    assert_eq!(baseline.from_sctp_darn, b"line one\n\0line two\n\0");
    assert_eq!(baseline.socat_from_sctp_darn, Some(0));
    for (shim, tools) in [
        (Shim::C, Tools::C),
        (Shim::Ours, Tools::Ours),
        (Shim::C, Tools::Ours),
    ] {
        let other = with_sctp_tools(shim, tools).await;
        assert_eq!(
            baseline, other,
            "{shim:?} shim with {tools:?} tools differs"
        );
    }
}

/// curl under withsctp (ours and the C shim's) fetches a file from `python3 -m
/// http.server` under our withsctp: the bytes arrive whole both times; our shim reports
/// that curl's TCP_NODELAY and keep-alive options became SCTP options.
#[tokio::test]
async fn curl_fetches_from_python_http_server_under_withsctp() {
    netlab::require("curl", "curl");
    let python = "/usr/bin/python3";
    assert!(
        Path::new(python).is_file(),
        "install python3 (scripts/setup does)"
    );
    let ns = Netns::new("whttp");
    let dir = TempDir::new("withsctp-http");
    let site = TempDir::new("withsctp-site");
    let body = pattern(100 << 10, 7);
    std::fs::write(site.join("file.bin"), &body).expect("write the file");
    let mut server_cmd = Shim::Ours.command(&ns, &dir, python);
    server_cmd
        .args(["-m", "http.server", "8000", "--bind", "127.0.0.1"])
        .current_dir(&site.0)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(to_file(&dir, "python.err"));
    let _server = KillOnDrop::spawn("python3", &mut server_cmd);
    ns.wait_listening(8000).await;

    let mut results = Vec::new();
    for shim in BOTH {
        let got = dir.join(&format!("got-{shim:?}"));
        let mut curl = shim.command(&ns, &dir, "curl");
        curl.args(["-sS", "-o"])
            .arg(&got)
            .arg("http://127.0.0.1:8000/file.bin")
            .env("WITHSCTP_DEBUG", "1");
        let (status, err) = run_with_input("curl", &mut curl, Vec::new()).await;
        let fetched = std::fs::read(&got).unwrap_or_default();
        if shim == Shim::Ours {
            for line in [
                "-> IPPROTO_SCTP: fd",
                "IPPROTO_TCP, TCP_NODELAY, 1) -> SCTP_NODELAY: ok",
                "IPPROTO_TCP, TCP_KEEPIDLE, 60) -> SCTP_PEER_ADDR_PARAMS spp_hbinterval: ok",
                "IPPROTO_TCP, TCP_KEEPINTVL, 60) -> SCTP_PEER_ADDR_PARAMS spp_hbinterval: ok",
            ] {
                assert!(err.contains(line), "curl's stderr lacks {line:?}:\n{err}");
            }
        }
        results.push((status.code(), fetched == body, fetched.len()));
    }
    assert_eq!(results[0], (Some(0), true, body.len()), "ours");
    assert_eq!(results[0], results[1], "our shim and the C shim differ");
    let log = file_with(&dir.join("python.err"), "\"GET /file.bin HTTP/1.1\" 200").await;
    assert_eq!(
        log.matches("\"GET /file.bin HTTP/1.1\" 200").count(),
        2,
        "{log}"
    );
}

/// The TCP options socat sets (`nodelay`, `keepidle`, `keepintvl`, `keepcnt`, `mss`) become
/// SCTP settings the kernel shows: the client's association has the heartbeat interval of
/// `keepintvl` (7 s) and the retransmission limit of `keepcnt` (4), the server's (which set
/// none) the defaults of `net.sctp.hb_interval` and `net.sctp.association_max_retrans`. The
/// C shim maps only TCP_NODELAY: socat refuses to run when its keep-alive option fails.
#[tokio::test]
async fn socat_tcp_options_become_sctp_settings() {
    netlab::require("socat", "socat");
    let ns = Netns::new("wopts");
    let dir = TempDir::new("withsctp-opts");
    let port = 7300;
    let mut server_cmd = Shim::Ours.command(&ns, &dir, "socat");
    server_cmd
        .args([
            format!("TCP-LISTEN:{port},reuseaddr,nodelay"),
            "PIPE".into(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let _server = KillOnDrop::spawn("socat", &mut server_cmd);
    ns.wait_listening(port).await;
    let target = format!("TCP:127.0.0.1:{port},nodelay,keepidle=7,keepintvl=7,keepcnt=4,mss=1200");

    let mut client_cmd = Shim::Ours.command(&ns, &dir, "socat");
    client_cmd
        .args(["-u".to_string(), "STDIN".into(), target.clone()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut client = KillOnDrop::spawn("socat", &mut client_cmd);
    let ends = both_ends(&ns, port).await;
    let client_end = ends
        .iter()
        .find(|a| a.rport == port)
        .unwrap_or_else(|| panic!("no client end: {ends:?}"));
    let server_end = ends.iter().find(|a| a.lport == port).expect("server end");
    let sysctl = |name: &str| -> u32 {
        let out = ns.exec("coreutils", "cat", &[&format!("/proc/sys/net/sctp/{name}")]);
        let text = String::from_utf8_lossy(&out.stdout);
        text.trim()
            .parse()
            .unwrap_or_else(|e| panic!("{name}: {text:?}: {e}"))
    };
    let (default_hb_ms, default_maxrt) = (sysctl("hb_interval"), sysctl("association_max_retrans"));
    // HBINT is in jiffies: the server's default interval gives the scale.
    assert_eq!(
        u64::from(client_end.hbint) * u64::from(default_hb_ms),
        7000 * u64::from(server_end.hbint),
        "client {client_end:?}, server {server_end:?}, hb_interval {default_hb_ms} ms"
    );
    assert_eq!(client_end.maxrt, 4, "{ends:?}");
    assert_eq!(server_end.maxrt, default_maxrt, "{ends:?}");
    assert_ne!(
        default_maxrt, 4,
        "the kernel default would hide the mapping"
    );
    drop(client.child().stdin.take());
    let out = client.wait_output(LIMIT).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (status, err) = run_with_input(
        "socat",
        Shim::C
            .command(&ns, &dir, "socat")
            .args(["-u", "STDIN", &target]),
        Vec::new(),
    )
    .await;
    assert!(
        !status.success(),
        "socat under the C shim accepted keepidle: {err}"
    );
    assert!(err.contains("setsockopt"), "{err}");
}

/// Python makes its sockets with `SOCK_CLOEXEC`: under our shim they are SCTP and the
/// TCP options Python sets round-trip through their SCTP counterparts; under the C shim
/// (which compares the type exactly) they stay TCP.
#[tokio::test]
async fn python_sockets_become_sctp_under_ours_and_stay_tcp_under_the_c_shim() {
    let python = "/usr/bin/python3";
    assert!(
        Path::new(python).is_file(),
        "install python3 (scripts/setup does)"
    );
    let ns = Netns::new("wpy");
    let dir = TempDir::new("withsctp-py");
    let script = r#"
import socket
def show(name, f):
    try:
        print(name, f())
    except OSError as e:
        print(name, "errno", e.errno)
s = socket.socket()
T = socket.IPPROTO_TCP
show("protocol", lambda: s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL))
show("set nodelay", lambda: s.setsockopt(T, socket.TCP_NODELAY, 1))
show("nodelay", lambda: s.getsockopt(T, socket.TCP_NODELAY))
show("sctp nodelay", lambda: s.getsockopt(132, 3))
show("set keepidle", lambda: s.setsockopt(T, socket.TCP_KEEPIDLE, 7))
show("keepintvl", lambda: s.getsockopt(T, socket.TCP_KEEPINTVL))
show("set keepcnt", lambda: s.setsockopt(T, socket.TCP_KEEPCNT, 4))
show("keepcnt", lambda: s.getsockopt(T, socket.TCP_KEEPCNT))
show("set maxseg", lambda: s.setsockopt(T, socket.TCP_MAXSEG, 1200))
show("maxseg", lambda: s.getsockopt(T, socket.TCP_MAXSEG))
show("set keepidle 0", lambda: s.setsockopt(T, socket.TCP_KEEPIDLE, 0))
show("tcp_info", lambda: len(s.getsockopt(T, socket.TCP_INFO, 104)))
"#;
    let mut lines = Vec::new();
    for shim in BOTH {
        let mut cmd = shim.command(&ns, &dir, python);
        cmd.args(["-c", script]);
        let out = cmd.output().expect("run python3");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        lines.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let ours: Vec<&str> = lines[0].lines().collect();
    assert_eq!(
        ours,
        [
            "protocol 132",
            "set nodelay None",
            "nodelay 1",
            "sctp nodelay 1",
            "set keepidle None",
            "keepintvl 7",
            "set keepcnt None",
            "keepcnt 4",
            "set maxseg None",
            "maxseg 1200",
            "set keepidle 0 errno 22",
            // SCTP has no TCP_INFO: the kernel's answer for an unknown level passes through.
            "tcp_info errno 95",
        ]
    );
    assert!(
        lines[1].starts_with("protocol 6\n"),
        "C shim:\n{}",
        lines[1]
    );
}
