//! sctp_test: our client against the C server and the C client against our server, every
//! test case (`-c 0..6` and a negative size) with `-x 3`, ordered and unordered, IPv4 and
//! IPv6, one-to-one (`-T`) and one-to-many; the mixed mode; `-B`/`-C`; bad input.
//!
//! What is checked: every client exits 0; the server prints, for each message the client
//! says it sent, a `Data` line of that size with the test payload and (except for the first
//! message after a notification, which the C tool reads without control data) the same
//! stream, flags and PPID; and the golden comparison: with the same `-r` seed the C and our
//! client print the same lines, and the C and our server print the same lines (TSNs and the
//! seed masked).

use std::time::Duration;

use tokio_linux_sctp::{InitParams, SctpSocket};

use crate::netlab::Netns;
use crate::support::{
    assert_same_lines, join, one_line, run, tool, tool_line, wait_listening, Bg, Impl, Mask,
};

/// One message as the client's `sendmsg` lines describe it.
#[derive(Debug, PartialEq, Eq)]
struct Msg {
    size: usize,
    /// stream, flags, ppid (when printed).
    info: Option<(u16, u16, u32)>,
}

fn num_after<T: std::str::FromStr>(line: &str, key: &str) -> Option<T> {
    let at = line.find(key)? + key.len();
    let rest = &line[at..];
    let rest = rest.strip_prefix("0x").unwrap_or(rest);
    let end = rest
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn hex_after(line: &str, key: &str) -> Option<u16> {
    let at = line.find(key)? + key.len();
    let rest = line[at..].strip_prefix("0x")?;
    let end = rest
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(rest.len());
    u16::from_str_radix(&rest[..end], 16).ok()
}

fn info_of(line: &str) -> Option<(u16, u16, u32)> {
    Some((
        num_after(line, "stream=")?,
        hex_after(line, "flags=")?,
        num_after(line, "ppid=")?,
    ))
}

/// The messages a client at debug level 2 says it sent.
fn sent(client: &str) -> Vec<Msg> {
    let lines: Vec<&str> = client.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(rest) = l.strip_prefix("\tsendmsg(") {
            let size = rest
                .split(')')
                .nth(1)
                .and_then(|s| s.trim().strip_suffix("bytes."))
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or_else(|| panic!("bad sendmsg line {l:?}"));
            let info = lines.get(i + 1).and_then(|n| info_of(n));
            out.push(Msg { size, info });
        }
    }
    out
}

/// The data messages a server at debug level 2 printed, in order, and checks each payload
/// shows the test pattern.
fn received(server: &str) -> Vec<Msg> {
    let lines: Vec<&str> = server.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(at) = l.find("Data ") else { continue };
        let size: usize = num_after(&l[at..], "Data ").expect("Data line");
        let shown = l.split("bytes: ").nth(1).unwrap_or("");
        let want = if size == 1 {
            "<empty> text[0]=0".to_owned()
        } else {
            "0123456789"[..(size - 1).min(9)].to_owned()
        };
        assert_eq!(shown, want, "payload shown for {size} bytes in {l:?}");
        let info = lines
            .get(i + 1)
            .filter(|n| n.starts_with("\t  SNDRCV(stream="))
            .and_then(|n| info_of(n));
        out.push(Msg { size, info });
    }
    out
}

/// Checks that `got` is what `sent` sent, every detail the server printed included; in the
/// same order unless `unordered` (unordered messages may overtake each other).
fn check_received(what: &str, sent: &[Msg], got: &[Msg], unordered: bool) {
    assert_eq!(
        sent.len(),
        got.len(),
        "{what}: {} sent, {} received",
        sent.len(),
        got.len()
    );
    let mut left: Vec<&Msg> = sent.iter().collect();
    for (i, g) in got.iter().enumerate() {
        let matches = |s: &&Msg| s.size == g.size && (g.info.is_none() || g.info == s.info);
        let at = if unordered {
            left.iter().position(matches)
        } else {
            Some(0).filter(|_| left.first().is_some_and(matches))
        };
        let at = at.unwrap_or_else(|| {
            panic!("{what}: message {i} received ({g:?}) is not the one sent (left: {left:?})")
        });
        left.remove(at);
    }
    assert!(
        got.iter().filter(|m| m.info.is_some()).count() + 3 >= got.len(),
        "{what}: most messages must show their SNDRCV"
    );
}

/// A server's lines for one client, comparable between two runs: as printed, except that
/// for unordered traffic (whose order of delivery may differ) the data lines are sorted
/// and their SNDRCV lines left out (the receiver check has compared those).
fn comparable(segment: &str, unordered: bool) -> String {
    if !unordered {
        return segment.to_owned();
    }
    let mut rest = String::new();
    let mut data = Vec::new();
    for l in segment.lines() {
        if l.starts_with("\t  SNDRCV(") || l.starts_with("cumtsn=") {
            continue;
        }
        if l.contains("Data ") {
            data.push(l);
            rest.push_str("<data>\n");
        } else {
            rest.push_str(l);
            rest.push('\n');
        }
    }
    data.sort_unstable();
    rest + &data.join("\n")
}

fn server_mask() -> Mask {
    Mask::new().number("tsn=").number("seed = ")
}

/// The runs of one configuration: each client's arguments (beyond addresses and ports).
struct Setup<'a> {
    prefix: &'a str,
    addr: &'a str,
    one_to_one: bool,
    server_args: &'a [&'a str],
    clients: Vec<Vec<&'a str>>,
    port: u16,
}

/// Runs the clients against a C server (our clients) and, at the same time in another
/// namespace, against our server (C clients), and compares everything.
fn both_ways(s: &Setup<'_>) {
    let (c_server, our_server) = std::thread::scope(|scope| {
        let a = scope.spawn(|| one_way(s, Impl::C));
        let b = scope.spawn(|| one_way(s, Impl::Ours));
        (join(a), join(b))
    });
    for (i, extra) in s.clients.iter().enumerate() {
        assert_same_lines(
            &format!("{} client {extra:?} (ours / C)", s.prefix),
            &c_server.1[i],
            &our_server.1[i],
        );
    }
    assert_same_lines(
        &format!("{} server (ours / C)", s.prefix),
        &our_server.0,
        &c_server.0,
    );
}

/// One direction: a `server_impl` server, clients of the other implementation. Returns the
/// server's comparable output and each client's stdout.
fn one_way(s: &Setup<'_>, server_impl: Impl) -> (String, Vec<String>) {
    let ns = Netns::new(&format!(
        "{}{}",
        s.prefix,
        if server_impl == Impl::C { "c" } else { "o" }
    ));
    let end = if s.one_to_one {
        "No association is present now!!"
    } else {
        "SCTP_ASSOC_CHANGE(SHUTDOWN_COMPLETE)"
    };
    let sport = s.port.to_string();
    let client_impl = server_impl.other();
    let mut args = vec!["-H", s.addr, "-P", &sport, "-l"];
    if s.one_to_one {
        args.push("-T");
    }
    args.extend_from_slice(s.server_args);
    let server = Bg::spawn(tool(&ns, server_impl, "sctp_test", &args));
    wait_listening(&ns, s.port);
    let mut outs = Vec::new();
    let mut segments = Vec::new();
    for (i, extra) in s.clients.iter().enumerate() {
        let done = i + 1;
        let cport = (s.port + 1 + i as u16).to_string();
        let mut args = vec!["-H", s.addr, "-P", &cport, "-h", s.addr, "-p", &sport, "-s"];
        if s.one_to_one {
            args.push("-T");
        }
        args.extend_from_slice(extra);
        let out = run(tool(&ns, client_impl, "sctp_test", &args), b"");
        let what = format!(
            "{} {server_impl:?} server, {client_impl:?} client {args:?}",
            s.prefix
        );
        assert_eq!(out.code, Some(0), "{what}: {out:?}");
        let text = server.wait_for(end, done);
        // The server's lines for this client: after the previous end marker, up to this one.
        let marks: Vec<usize> = text.match_indices(end).map(|(at, _)| at).collect();
        let from = if done >= 2 { marks[done - 2] } else { 0 };
        let segment = &text[from..marks[done - 1]];
        let unordered = !extra.windows(2).any(|w| w == ["-o", "1"]);
        if !s.server_args.contains(&"-d") && !extra.contains(&"-d") {
            check_received(&what, &sent(&out.stdout), &received(segment), unordered);
        }
        segments.push(comparable(&server_mask().apply(segment), unordered));
        outs.push(out.stdout);
    }
    let out = server.stop();
    let last = out.stdout.rfind(end).unwrap_or(0);
    segments.push(server_mask().apply(&out.stdout[last..]));
    (segments.join("\n----\n"), outs)
}

/// Every test case with `-x 3`, unordered (`-o 0`) and ordered (`-o 1`), same seed.
fn cases() -> Vec<Vec<&'static str>> {
    let mut v = Vec::new();
    for case in ["0", "1", "2", "3", "4", "5", "6", "-777"] {
        for order in ["0", "1"] {
            v.push(vec!["-c", case, "-x", "3", "-o", order, "-r", "7"]);
        }
    }
    v
}

/// Every case both ways, IPv4 and IPv6, one-to-many and one-to-one (`-T`), the four at the
/// same time in their own namespaces: every client exits 0, every server prints what its
/// clients sent, and the C and our outputs agree line by line.
#[test]
fn sctp_test_every_case_both_ways() {
    let setups = [
        ("st4m", "127.0.0.1", false, 41000),
        ("st41", "127.0.0.1", true, 41100),
        ("st6m", "::1", false, 41200),
        ("st61", "::1", true, 41300),
    ];
    std::thread::scope(|scope| {
        let runs: Vec<_> = setups
            .iter()
            .map(|&(prefix, addr, one_to_one, port)| {
                scope.spawn(move || {
                    both_ways(&Setup {
                        prefix,
                        addr,
                        one_to_one,
                        server_args: &[],
                        clients: cases(),
                        port,
                    })
                })
            })
            .collect();
        for r in runs {
            join(r);
        }
    });
}

/// The other client options both ways: `-X`, random and alternating order (`-o 2/3`), the
/// random stream pattern (`-t 1`) with `-M`, `-m` with random sizes, `-O`, the debug levels
/// (`-d 0/1`), `-x 0`-free repeats; and a server at `-d 1`.
#[test]
fn sctp_test_options_both_ways() {
    let clients = vec![
        vec![
            "-c", "6", "-m", "3000", "-X", "5", "-x", "2", "-t", "1", "-M", "5", "-o", "3", "-r",
            "3",
        ],
        vec![
            "-c", "4", "-X", "10", "-x", "1", "-o", "2", "-M", "4", "-O", "1000", "-r", "5",
        ],
        vec!["-c", "1", "-x", "2", "-d", "1", "-r", "9"],
        vec!["-c", "2", "-x", "2", "-d", "0", "-r", "9"],
    ];
    std::thread::scope(|scope| {
        let a = scope.spawn(|| {
            both_ways(&Setup {
                prefix: "stop",
                addr: "127.0.0.1",
                one_to_one: false,
                server_args: &[],
                clients: clients.clone(),
                port: 41400,
            })
        });
        let b = scope.spawn(|| {
            both_ways(&Setup {
                prefix: "stod",
                addr: "127.0.0.1",
                one_to_one: true,
                server_args: &["-d", "1"],
                clients: clients.clone(),
                port: 41500,
            })
        });
        join(a);
        join(b);
    });
}

/// Mixed mode: one side listens on two consecutive ports (`-L 2`), the other sends to both
/// (`-S 2`, one socket, two associations) and finishes; each listener prints the 10
/// messages of its association, and the C and our senders print the same lines.
#[test]
fn sctp_test_mixed_mode_both_ways() {
    let mut senders = Vec::new();
    for listener_impl in [Impl::C, Impl::Ours] {
        let ns = Netns::new("stmx");
        let listener = Bg::spawn(tool_line(
            &ns,
            listener_impl,
            "sctp_test",
            "-H 127.0.0.1 -P 41600 -L 2 -d 2",
        ));
        wait_listening(&ns, 41601);
        let out = run(
            tool_line(
                &ns,
                listener_impl.other(),
                "sctp_test",
                "-H 127.0.0.1 -P 41605 -h 127.0.0.1 -p 41600 -S 2 -x 1 -r 4",
            ),
            b"",
        );
        assert_eq!(out.code, Some(0), "{out:?}");
        assert_eq!(
            out.stdout.matches("\tsendmsg(").count(),
            20,
            "{}",
            out.stdout
        );
        let text = listener.wait_for("Data ", 20);
        assert_eq!(text.matches("COMMUNICATION_UP").count(), 2, "{text}");
        assert!(
            out.stderr
                .contains("Association #0 in sk=3 has completed 10 msg as cycle 1."),
            "{}",
            out.stderr
        );
        listener.stop();
        senders.push(out.stdout);
    }
    assert_same_lines("mixed-mode sender (ours / C)", &senders[1], &senders[0]);
}

/// `-B` and `-C`: a server bound to 127.0.0.1 plus 127.0.0.2 and a client bound to both that
/// connects to both (sctp_connectx): the association has two addresses at each end, as
/// `/proc/net/sctp/assocs` shows, both ways.
#[test]
fn sctp_test_bindx_and_connectx_both_ways() {
    let ns = Netns::new("stbx");
    for (n, server_impl) in [Impl::C, Impl::Ours].into_iter().enumerate() {
        let port = 41700 + 10 * n as u16;
        let (p, q) = (port.to_string(), (port + 1).to_string());
        let server = Bg::spawn(tool_line(
            &ns,
            server_impl,
            "sctp_test",
            &format!("-H 127.0.0.1 -B 127.0.0.2 -P {p} -l -d 1"),
        ));
        wait_listening(&ns, port);
        let client = Bg::spawn(tool_line(&ns, server_impl.other(), "sctp_test", &format!("-H 127.0.0.1 -B 127.0.0.2 -P {q} -C 127.0.0.1 -C 127.0.0.2 -p {p} -s -x 0 -c 1 -d 0 -r 1")));
        server.wait_for("Data ", 20);
        let assocs = ns.exec("coreutils", "cat", &["/proc/net/sctp/assocs"]);
        let text = String::from_utf8_lossy(&assocs.stdout).into_owned();
        let line = text
            .lines()
            .find(|l| l.split_whitespace().nth(11) == Some(q.as_str()))
            .unwrap_or_else(|| panic!("no association from port {q}:\n{text}"));
        let (laddrs, raddrs) = line.split_once("<->").expect("LADDRS <-> RADDRS");
        for a in ["127.0.0.1", "127.0.0.2"] {
            assert!(laddrs.contains(a) && raddrs.contains(a), "{line}");
        }
        client.stop();
        server.stop();
    }
}

/// Bad input: one line on stderr and exit status 1, where the C tool prints its usage (and
/// exits 0 for an unknown option or a missing value).
#[test]
fn sctp_test_bad_command_lines() {
    let ns = Netns::new("stbad");
    for args in [
        &["-q"][..],
        &["-l", "-P"],
        &["-l", "-d", "7"],
        &["-s", "-l"],
        &[
            "-H",
            "127.0.0.1",
            "-s",
            "-h",
            "no.such.host.invalid",
            "-p",
            "1",
        ],
        &["-H", "127.0.0.1", "-l", "stray"],
        &["-H", "127.0.0.1", "-P", "port", "-l"],
    ] {
        let out = run(tool(&ns, Impl::Ours, "sctp_test", args), b"");
        assert_eq!(out.code, Some(1), "{args:?}: {out:?}");
        let line = one_line(&format!("sctp_test {args:?}"), &out.stderr);
        assert!(line.starts_with("sctp_test: "), "{line}");
    }
}

/// A stream beyond the association's count: a peer that takes 10 inbound streams (a
/// tokio-linux-sctp listener) and clients asking for 20 (`-M 20`, one-to-one so the count
/// is known before sending). Streams 1..=9 go through; both tools stop with status 1 at
/// stream 10, ours naming the stream and the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sctp_test_stream_beyond_the_association() {
    let ns = Netns::new("stsm");
    let socket = ns.enter(|| SctpSocket::new_v4().expect("socket(IPPROTO_SCTP)"));
    socket.set_init(InitParams::new().streams(10, 10)).unwrap();
    socket.bind("127.0.0.1:41800".parse().unwrap()).unwrap();
    let listener = socket.listen(8).unwrap();
    let server = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move { while stream.recv().await.is_ok() {} });
        }
    });
    let mut codes = Vec::new();
    for (i, imp) in [Impl::Ours, Impl::C].into_iter().enumerate() {
        let cport = (41801 + i).to_string();
        let args = [
            "-H",
            "127.0.0.1",
            "-P",
            &cport,
            "-h",
            "127.0.0.1",
            "-p",
            "41800",
            "-s",
            "-T",
            "-M",
            "20",
            "-x",
            "2",
            "-c",
            "0",
            "-r",
            "2",
        ];
        let cmd = tool(&ns, imp, "sctp_test", &args);
        let out = tokio::task::spawn_blocking(move || run(cmd, b""))
            .await
            .unwrap();
        assert_eq!(
            out.stdout.matches("\tsendmsg(").count(),
            10,
            "{imp:?}: {}",
            out.stdout
        );
        assert!(
            out.stdout.contains("SNDRCV(stream=10 "),
            "{imp:?}: {}",
            out.stdout
        );
        if imp == Impl::Ours {
            let line = one_line("sctp_test", &out.stderr);
            assert!(
                line.contains("Invalid argument")
                    && line.contains("stream 10 is beyond the association's 10 outbound streams"),
                "{line}"
            );
        } else {
            assert!(
                out.stderr.contains("*** sendmsg: Invalid argument ***"),
                "{}",
                out.stderr
            );
        }
        codes.push(out.code);
    }
    assert_eq!(codes, [Some(1), Some(1)]);
    server.abort();
}

/// A peer that aborts mid-run: our client sending for ever (`-x 0`) to a server that is
/// killed (its kernel aborts the association) stops with one line and status 1 (the C tool
/// dies of SIGPIPE).
#[test]
fn sctp_test_peer_abort_mid_run() {
    let ns = Netns::new("stab");
    let server = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_test",
        "-H 127.0.0.1 -P 41810 -l -T -d 0",
    ));
    wait_listening(&ns, 41810);
    let client = Bg::spawn(tool_line(
        &ns,
        Impl::Ours,
        "sctp_test",
        "-H 127.0.0.1 -P 41811 -h 127.0.0.1 -p 41810 -s -T -x 0 -c 5 -d 1",
    ));
    client.wait_for("\tsendmsg(", 50);
    server.stop();
    let out = client.finish(Duration::from_secs(20));
    assert_eq!(out.code, Some(1), "{out:?}");
    let line = one_line("sctp_test", &out.stderr);
    assert!(line.starts_with("sctp_test: sendmsg: "), "{line}");
}

/// A port in use: sctp_test tries `bind` ten times a second apart (as the C tool does), then
/// stops with one line and status 1.
#[test]
fn sctp_test_port_in_use() {
    let ns = Netns::new("stpu");
    let holder = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_test",
        "-H 127.0.0.1 -P 41820 -l -d 0",
    ));
    wait_listening(&ns, 41820);
    let out = run(
        tool_line(
            &ns,
            Impl::Ours,
            "sctp_test",
            "-H 127.0.0.1 -P 41820 -l -d 1",
        ),
        b"",
    );
    assert_eq!(out.code, Some(1), "{out:?}");
    assert_eq!(
        out.stdout.matches("  --  attempt ").count(),
        10,
        "{}",
        out.stdout
    );
    let line = one_line("sctp_test", &out.stderr);
    assert!(line.contains("still in use after 10 attempts"), "{line}");
    holder.stop();
}

/// `-D` (drain): each message is followed by a read of the echo (sctp_darn `-e` as the
/// echo server): both clients print the same sends, notifications and echoed messages.
#[test]
fn sctp_test_drain_reads_the_echo() {
    let ns = Netns::new("stdr");
    let echo = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_darn",
        "-H 127.0.0.1 -P 41900 -l -e",
    ));
    wait_listening(&ns, 41900);
    let mut outs = Vec::new();
    for (i, imp) in [Impl::Ours, Impl::C].into_iter().enumerate() {
        let cport = (41901 + i).to_string();
        let out = run(
            tool_line(
                &ns,
                imp,
                "sctp_test",
                &format!("-H 127.0.0.1 -P {cport} -h 127.0.0.1 -p 41900 -s -D -c 3 -x 1 -X 3 -r 5"),
            ),
            b"",
        );
        assert_eq!(out.code, Some(0), "{imp:?}: {out:?}");
        assert_eq!(
            out.stdout.matches("\trecvmsg(sk=3) Data ").count(),
            3,
            "{imp:?}: {}",
            out.stdout
        );
        outs.push(
            Mask::new()
                .number("tsn=")
                .literal(format!("port={cport},"), "port=P,")
                .literal(format!("p:{cport}]"), "p:P]")
                .apply(&out.stdout),
        );
    }
    assert_same_lines("sctp_test -D", &outs[0], &outs[1]);
    echo.stop();
}
