//! sctp_status: ours and the C tool as client against both sctp_test servers, and as server
//! for both sctp_test clients; the status lines they print are checked against what the
//! kernel reports for that association (`/proc/net/sctp/assocs`: association id, stream
//! counts, state); the same scripted run through ours and the C tool prints the same lines
//! (the status lines masked where they depend on timing); `-f`, `--stats`, a peer that
//! aborts mid-run.

use std::time::Duration;

use crate::netlab::Netns;
use crate::support::{assert_same_lines, one_line, run, tool, tool_line, wait_listening, Bg, Impl};

const HEADER: &str = "NO. ASSOC-ID STATE             RWND     UNACKDATA PENDDATA INSTRMS \
                      OUTSTRMS FRAG-POINT SPINFO-STATE SPINFO-CWDN SPINFO-SRTT SPINFO-RTO \
                      SPINFO-MTU";

/// One status line, its fields as printed.
#[derive(Debug)]
struct Line {
    no: u32,
    assoc_id: i64,
    state: String,
    instrms: u32,
    outstrms: u32,
    frag_point: u32,
    path_state: String,
    mtu: u32,
}

/// Parses a status line (`None` for any other line); panics on a status line that does not
/// have the C tool's fourteen fields.
fn status_line(l: &str) -> Option<Line> {
    let all: Vec<&str> = l.split_whitespace().collect();
    // The C tool's parent and status child write to one pipe, so a status line can follow
    // a partial line of the parent's (`\trecvmsg(sk=4) 1   10   ESTABLISHED ...`).
    let f = &all[all.len().saturating_sub(14)..];
    if f.len() != 14
        || f[0].parse::<u32>().is_err()
        || !f[2].chars().all(|c| c.is_ascii_uppercase() || c == '_')
    {
        return None;
    }
    let n = |i: usize| {
        f[i].parse::<u32>()
            .unwrap_or_else(|e| panic!("field {i} of {l:?}: {e}"))
    };
    Some(Line {
        no: n(0),
        assoc_id: f[1].parse().unwrap(),
        state: f[2].to_owned(),
        instrms: n(6),
        outstrms: n(7),
        frag_point: n(8),
        path_state: f[9].to_owned(),
        mtu: n(13),
    })
}

/// The status lines of `imp`'s output, after the header; ours numbered 1, 2, ...
fn status_lines(imp: Impl, text: &str) -> Vec<Line> {
    assert!(text.contains(HEADER), "no status header in:\n{text}");
    let mut raw: Vec<&str> = text.lines().filter(|l| status_line(l).is_some()).collect();
    raw.dedup();
    let lines: Vec<Line> = raw.into_iter().filter_map(status_line).collect();
    assert!(!lines.is_empty(), "no status line in:\n{text}");
    // The C tool's timer interrupts its own printstatus at times, which then prints lines
    // twice or out of order: only ours is held to the numbering.
    if imp == Impl::Ours {
        for (i, l) in lines.iter().enumerate() {
            assert_eq!(l.no as usize, i + 1, "status line numbers in:\n{text}");
        }
    }
    lines
}

/// The kernel's view of the association of local port `lport` in `ns`: id, INS, OUTS.
fn kernel_assoc(ns: &Netns, lport: u16) -> (i64, u32, u32) {
    let out = ns.exec("coreutils", "cat", &["/proc/net/sctp/assocs"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lp = lport.to_string();
    let f: Vec<&str> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.get(11) == Some(&lp.as_str()))
        .unwrap_or_else(|| panic!("no association of port {lport}:\n{text}"));
    let n = f.len();
    (
        f[6].parse().unwrap(),
        f[n - 10].parse().unwrap(),
        f[n - 9].parse().unwrap(),
    )
}

/// Checks printed status lines against the kernel's view of the association.
fn check_against_kernel(what: &str, lines: &[Line], kernel: (i64, u32, u32)) {
    for l in lines {
        assert_eq!(l.assoc_id, kernel.0, "{what}: ASSOC-ID of {l:?}");
        assert_eq!(
            (l.instrms, l.outstrms),
            (kernel.1, kernel.2),
            "{what}: streams of {l:?}"
        );
        assert_eq!(l.state, "ESTABLISHED", "{what}: {l:?}");
        assert_eq!(l.path_state, "ACTIVE", "{what}: {l:?}");
        assert!(l.frag_point > 0 && l.frag_point < l.mtu, "{what}: {l:?}");
    }
}

/// sctp_status as client (ours and C, `-M 7`: 7 streams each way) against both sctp_test
/// servers, running until stopped: each prints the header and status lines whose
/// association id, stream counts and states are the kernel's.
#[test]
fn sctp_status_client_against_both_sctp_test_servers() {
    let ns = Netns::new("ssc");
    let mut port = 43000;
    for server_impl in [Impl::C, Impl::Ours] {
        let p = port.to_string();
        let server = Bg::spawn(tool_line(
            &ns,
            server_impl,
            "sctp_test",
            &format!("-H 127.0.0.1 -P {p} -l -d 0"),
        ));
        wait_listening(&ns, port);
        for status_impl in [Impl::Ours, Impl::C] {
            let cport = port + 1 + u16::from(status_impl == Impl::C);
            let cp = cport.to_string();
            let client = Bg::spawn(tool_line(
                &ns,
                status_impl,
                "sctp_status",
                &format!("-H 127.0.0.1 -P {cp} -h 127.0.0.1 -p {p} -s -x 0 -M 7 -c 1000"),
            ));
            client.wait_for("Client: Sending packets.(3/", 1);
            client.wait_for(" ACTIVE ", 1);
            let kernel = kernel_assoc(&ns, cport);
            assert_eq!((kernel.1, kernel.2), (7, 7));
            let out = client.stop();
            let what =
                format!("{status_impl:?} sctp_status client, {server_impl:?} sctp_test server");
            check_against_kernel(&what, &status_lines(status_impl, &out.stdout), kernel);
        }
        server.stop();
        port += 10;
    }
}

/// sctp_status as server (ours and C) for both sctp_test clients (one-to-one, sending until
/// stopped): status lines with the kernel's association id and stream counts, and a
/// `count N` line per message received.
#[test]
fn sctp_status_server_for_both_sctp_test_clients() {
    let ns = Netns::new("sss");
    let mut port = 43100;
    for status_impl in [Impl::Ours, Impl::C] {
        for client_impl in [Impl::C, Impl::Ours] {
            let (p, cp) = (port.to_string(), (port + 1).to_string());
            let server = Bg::spawn(tool_line(
                &ns,
                status_impl,
                "sctp_status",
                &format!("-H 127.0.0.1 -P {p} -l -x 0 -d 1"),
            ));
            wait_listening(&ns, port);
            let client = Bg::spawn(tool_line(
                &ns,
                client_impl,
                "sctp_test",
                &format!("-H 127.0.0.1 -P {cp} -h 127.0.0.1 -p {p} -s -T -x 0 -M 5 -c 1 -d 0"),
            ));
            server.wait_for("count 10\n", 2);
            server.wait_for(" ACTIVE ", 1);
            let kernel = kernel_assoc(&ns, port);
            assert_eq!((kernel.1, kernel.2), (5, 10));
            client.stop();
            let out = server.stop();
            let what =
                format!("{status_impl:?} sctp_status server, {client_impl:?} sctp_test client");
            check_against_kernel(&what, &status_lines(status_impl, &out.stdout), kernel);
            port += 10;
        }
    }
}

/// The same finite run through ours and the C tool (`-x 2 -X 5 -d 2 -M 3`, the second with
/// `-f`): every line that is not a status line is the same (the C tool's status child runs
/// beside the sender, so where its lines land differs; its `timeout sig` lines depend on
/// time); each status line has the same stream counts, state, fragmentation point and MTU.
/// With `-f` the status lines go to the file, not stdout.
#[test]
fn sctp_status_golden() {
    let ns = Netns::new("ssg");
    let server = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_test",
        "-H 127.0.0.1 -P 43200 -l -d 0",
    ));
    wait_listening(&ns, 43200);
    let mut runs = Vec::new();
    for (i, imp) in [Impl::Ours, Impl::C, Impl::Ours, Impl::C]
        .into_iter()
        .enumerate()
    {
        let cp = (43201 + i).to_string();
        let file = std::env::temp_dir().join(format!("sctp_status-{}-{i}", std::process::id()));
        let f = file.to_str().unwrap().to_owned();
        let mut args = vec![
            "-H",
            "127.0.0.1",
            "-P",
            &cp,
            "-h",
            "127.0.0.1",
            "-p",
            "43200",
            "-s",
            "-x",
            "2",
            "-X",
            "5",
            "-d",
            "2",
            "-M",
            "3",
        ];
        if i >= 2 {
            args.extend_from_slice(&["-f", &f]);
        }
        let out = Bg::spawn(tool(&ns, imp, "sctp_status", &args)).finish(Duration::from_secs(30));
        assert_eq!(out.code, Some(0), "{imp:?}: {out:?}");
        let stdout = out
            .stdout
            .replace(&format!("port={cp},"), "port=P,")
            .replace(&format!("p:{cp}]"), "p:P]");
        let rest: String = stdout
            .lines()
            .filter(|l| *l != HEADER && *l != "timeout sig" && status_line(l).is_none())
            .map(|l| format!("{l}\n"))
            .collect();
        let status = if i >= 2 {
            assert!(
                status_line_free(&stdout),
                "{imp:?} -f printed status on stdout:\n{stdout}"
            );
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            let _ = std::fs::remove_file(&file);
            if imp == Impl::C && text.is_empty() {
                // The C child is forked after connect and may not have run before the
                // parent's 10 messages were gone; it prints at its first chance, which the
                // kill at the end of the run can precede.
                None
            } else {
                Some(status_lines(imp, &text))
            }
        } else if imp == Impl::C && !stdout.contains(HEADER) {
            None
        } else {
            Some(status_lines(imp, &stdout))
        };
        runs.push((rest, status));
    }
    server.stop();
    assert_same_lines(
        "sctp_status client (no status lines)",
        &runs[0].0,
        &runs[1].0,
    );
    assert_same_lines(
        "sctp_status client -f (no status lines)",
        &runs[2].0,
        &runs[3].0,
    );
    let reference = runs[0]
        .1
        .as_ref()
        .expect("ours prints the status at the start");
    assert!(
        runs[2].1.is_some(),
        "ours writes the status file at the start"
    );
    for (rest, status) in &runs {
        assert!(rest.contains("\tclose(sk=3)\n"), "{rest}");
        for l in status.iter().flatten() {
            let r = &reference[0];
            assert_eq!(
                (
                    l.state.as_str(),
                    l.instrms,
                    l.outstrms,
                    l.path_state.as_str()
                ),
                ("ESTABLISHED", 3, 3, "ACTIVE"),
                "{l:?}"
            );
            assert_eq!((l.frag_point, l.mtu), (r.frag_point, r.mtu), "{l:?}");
        }
    }
}

fn status_line_free(text: &str) -> bool {
    !text.contains(HEADER) && text.lines().all(|l| status_line(l).is_none())
}

/// `--stats` (ours only) ends the run with the association's `SCTP_GET_ASSOC_STATS`
/// counters: of the ten unordered messages below the fragmentation point, those already
/// transmitted (the kernel counts a chunk when it leaves), none ordered, none retransmitted.
#[test]
fn sctp_status_stats() {
    let ns = Netns::new("ssst");
    let server = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_test",
        "-H 127.0.0.1 -P 43300 -l -d 0",
    ));
    wait_listening(&ns, 43300);
    let out = run(
        tool_line(
            &ns,
            Impl::Ours,
            "sctp_status",
            "-H 127.0.0.1 -P 43301 -h 127.0.0.1 -p 43300 -s -x 2 -X 5 -c 2000 --stats",
        ),
        b"",
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let sent: u32 = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Unordered data chunks sent: "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no unordered chunk count in:\n{}", out.stdout));
    assert!(
        (1..=10).contains(&sent),
        "{sent} unordered chunks sent:\n{}",
        out.stdout
    );
    for line in [
        "Ordered data chunks sent: 0\n",
        "Retransmitted Chunks: 0\n",
        "Maximum Observed RTO this period: ",
    ] {
        assert!(out.stdout.contains(line), "{line:?} in:\n{}", out.stdout);
    }
    server.stop();
}

/// A peer that aborts mid-run: the server (sctp_test) is killed while our sctp_status
/// client sends for ever; the client stops with one line and status 1.
#[test]
fn sctp_status_peer_abort_mid_run() {
    let ns = Netns::new("ssab");
    let server = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_test",
        "-H 127.0.0.1 -P 43400 -l -d 0",
    ));
    wait_listening(&ns, 43400);
    let client = Bg::spawn(tool_line(
        &ns,
        Impl::Ours,
        "sctp_status",
        "-H 127.0.0.1 -P 43401 -h 127.0.0.1 -p 43400 -s -x 0 -c 3000 -d 1",
    ));
    client.wait_for("\tsendmsg(", 30);
    server.stop();
    let out = client.finish(Duration::from_secs(20));
    assert_eq!(out.code, Some(1), "{out:?}");
    let line = one_line("sctp_status", &out.stderr);
    assert!(line.starts_with("sctp_status: sendmsg: "), "{line}");
}
