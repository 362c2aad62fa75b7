//! sctp_darn: our listener receiving what the C sender sends and the C listener what ours
//! sends (lines from stdin; one-to-many and one-to-one), streams and PPIDs as shown, the
//! interactive commands driven through stdin, several endpoints (`-i`), a multihomed
//! `-B`/`-c` run over two veth paths, bad input and a peer that goes away. Each scripted run
//! goes through both implementations and the outputs are compared line by line, with only
//! TSNs, association ids and the statistics counters (timing) masked.

use std::time::Duration;

use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::SctpSocket;

use crate::netlab::{Netns, TwoPaths};
use crate::support::{
    assert_same_lines, join, one_line, run, tool, tool_line, wait_listening, Bg, Impl, Mask,
};

fn mask() -> Mask {
    let mut m = Mask::new()
        .number("sinfo_tsn     ")
        .number("sinfo_cumtsn  ")
        .number("sinfo_assoc_id  ");
    for counter in [
        "Retransmitted Chunks: ",
        "Gap Acknowledgements Received: ",
        "TSN received > next expected: ",
        "SACKs sent: ",
        "SACKs received: ",
        "Control chunks sent: ",
        "Control chunks received: ",
        "Ordered data chunks sent: ",
        "Ordered data chunks received: ",
        "Unordered data chunks sent: ",
        "Unordered data chunks received: ",
        "Dups received (ordered+unordered): ",
        "Packets sent: ",
        "Packets received: ",
        "Maximum Observed RTO this period: ",
    ] {
        m = m.number(counter);
    }
    m
}

/// Runs `f(listener_impl)` for both implementations at once (each in its own namespaces)
/// and returns the C listener's result first.
fn both<T: Send>(f: impl Fn(Impl) -> T + Sync) -> (T, T) {
    std::thread::scope(|scope| {
        let c = scope.spawn(|| f(Impl::C));
        let ours = scope.spawn(|| f(Impl::Ours));
        (join(c), join(ours))
    })
}

/// Our exit status is 0 where the C sender exits with the length of its last message.
fn check_send_status(sender: Impl, code: Option<i32>, last_len: i32) {
    match sender {
        Impl::Ours => assert_eq!(code, Some(0)),
        Impl::C => assert_eq!(code, Some(last_len)),
    }
}

/// Lines from stdin, one-to-many and one-to-one (`-t`), IPv4 and IPv6: the listener prints
/// each with its SNDRCV block (one-to-many), the association changes and the end; the
/// sender its prompts and the peer's addresses. Ours and C print the same.
#[test]
fn sctp_darn_listener_receives_what_the_sender_sends_both_ways() {
    for (addr, style) in [
        ("127.0.0.1", None),
        ("127.0.0.1", Some("-t")),
        ("::1", None),
        ("::1", Some("-t")),
    ] {
        let (c, ours) = both(|listener_impl| {
            let ns = Netns::new("dls");
            let mut l_args = vec!["-H", addr, "-P", "42000", "-l"];
            let mut s_args = vec!["-H", addr, "-P", "42001", "-h", addr, "-p", "42000", "-s"];
            if let Some(t) = style {
                l_args.push(t);
                s_args.push(t);
            }
            let listener = Bg::spawn(tool(&ns, listener_impl, "sctp_darn", &l_args));
            wait_listening(&ns, 42000);
            let sender_impl = listener_impl.other();
            let mut sender = Bg::spawn(tool(&ns, sender_impl, "sctp_darn", &s_args));
            sender.write(b"hello\nworld, again\n\n");
            // The association stays up until the listener has printed everything: where the
            // C tool prints "No association" depends on when the peer's shutdown lands.
            listener.wait_for("DATA(", 3);
            let sent = sender.finish(Duration::from_secs(20));
            check_send_status(sender_impl, sent.code, 2);
            let text = listener.wait_for("No association is present now!!", 1);
            assert!(text.contains("DATA(14):  world, again.\n"), "{text}");
            assert!(text.contains("DATA(2):  .\n"), "{text}");
            (
                mask().apply(&listener.stop().stdout),
                sent.stdout,
                sent.stderr,
            )
        });
        let what = format!("sctp_darn {addr} {style:?}");
        assert_same_lines(&format!("{what} listener"), &c.0, &ours.0);
        assert_same_lines(&format!("{what} sender"), &ours.1, &c.1);
        assert_eq!((c.2.as_str(), ours.2.as_str()), ("", ""));
    }
}

/// Streams and PPIDs as the listener shows them: a tokio-linux-sctp client sends on
/// streams 1..=4 with PPIDs, ordered and unordered; both listeners print each message's
/// `sinfo_stream`, `sinfo_flags` and `sinfo_ppid` (the raw value: tokio-linux-sctp sends
/// PPIDs in network byte order, `ppid.to_be()`), and print the same lines.
#[test]
fn sctp_darn_shows_streams_and_ppids() {
    let msgs: Vec<(u16, u32, bool)> = (1..=8u32)
        .map(|i| ((i % 4 + 1) as u16, 1000 + i, i % 2 == 0))
        .collect();
    let (c, ours) = both(|listener_impl| {
        let ns = Netns::new("dsp");
        let listener = Bg::spawn(tool_line(
            &ns,
            listener_impl,
            "sctp_darn",
            "-H 127.0.0.1 -P 42010 -l",
        ));
        wait_listening(&ns, 42010);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let socket = ns.enter(|| SctpSocket::new_v4().expect("socket(IPPROTO_SCTP)"));
        let stream = rt
            .block_on(socket.connect("127.0.0.1:42010".parse().unwrap()))
            .expect("connect");
        for (i, (sid, ppid, unordered)) in msgs.iter().enumerate() {
            let info = SendInfo::new()
                .stream(*sid)
                .ppid(*ppid)
                .unordered(*unordered);
            rt.block_on(stream.send(format!("message {i}\0").as_bytes(), &info))
                .expect("send");
        }
        let text = listener.wait_for("DATA(", msgs.len());
        for (i, (sid, ppid, unordered)) in msgs.iter().enumerate() {
            assert!(
                text.contains(&format!("   sinfo_stream {sid}\n")),
                "message {i}: {text}"
            );
            assert!(
                text.contains(&format!(
                    "   sinfo_flags 0x{}\n   sinfo_ppid {}\n",
                    u8::from(*unordered),
                    ppid.to_be()
                )),
                "message {i} flags/ppid: {text}"
            );
            assert!(
                text.contains(&format!("DATA(10):  message {i}\n")),
                "message {i}: {text}"
            );
        }
        rt.block_on(stream.shutdown()).expect("shutdown");
        listener.wait_for("No association is present now!!", 1);
        mask().apply(&listener.stop().stdout)
    });
    assert_same_lines("sctp_darn listener of tokio-linux-sctp", &ours, &c);
}

/// The interactive sender (`-s -I`), every command of the C tool through stdin: `snd`,
/// `stats`, `primary` (get, set), `heartbeat` (with and without an address),
/// `peer_primary`, `rcv` (refused on the sending side), `sndbuf`, `rcvbuf`, `nodelay`,
/// `maxseg` (get and set), an invalid command, `?`, `bindx-add`/`bindx-rem`, `shutdown`,
/// `abort` without and with an association. The same lines from ours and the C tool.
#[test]
fn sctp_darn_interactive_sender_golden() {
    let script = b"snd=10\nstats\nprimary\nprimary=127.0.0.1\nheartbeat=127.0.0.1\nheartbeat\n\
peer_primary\nrcv\nsndbuf\nrcvbuf=100000\nrcvbuf\nnodelay\nnodelay=1\nnodelay\nmaxseg\n\
maxseg=1200\nmaxseg\nbogus\n?\nsnd=3\nbindx-add=127.0.0.2\nbindx-rem=127.0.0.2\nshutdown\n\
abort\nsnd=4\nabort\n";
    let (c, ours) = both(|sender_impl| {
        let ns = Netns::new("dis");
        let listener = Bg::spawn(tool_line(
            &ns,
            Impl::C,
            "sctp_darn",
            "-H 127.0.0.1 -P 42020 -l",
        ));
        wait_listening(&ns, 42020);
        let out = run(
            tool_line(
                &ns,
                sender_impl,
                "sctp_darn",
                "-H 127.0.0.1 -P 42021 -h 127.0.0.1 -p 42020 -s -I",
            ),
            script,
        );
        check_send_status(sender_impl, out.code, 4);
        let got = listener.wait_for("COMM_LOST", 1);
        assert!(got.contains("DATA(10):  !\"#$%&'()\n"), "{got}");
        listener.stop();
        (mask().apply(&out.stdout), out.stderr)
    });
    assert_same_lines("interactive sender stdout", &ours.0, &c.0);
    assert_same_lines("interactive sender stderr", &ours.1, &c.1);
    assert!(
        ours.0
            .contains("Successfully SHUTDOWN the original association"),
        "{}",
        ours.0
    );
    assert!(
        ours.0
            .contains("The association isn't present yet! Cannot ABORT!"),
        "{}",
        ours.0
    );
    assert!(ours.0.contains("maxseg is 1200."), "{}", ours.0);
}

/// The interactive listener (`-l -I`): commands before there is an association, `rcv`
/// receiving the association's start, data and end one by one as a sender (fed line by
/// line) produces them, `stats` and `primary` while it is up. The same lines from both.
#[test]
fn sctp_darn_interactive_listener_golden() {
    let (c, ours) = both(|listener_impl| {
        let ns = Netns::new("dil");
        let mut l = Bg::spawn(tool_line(
            &ns,
            listener_impl,
            "sctp_darn",
            "-H 127.0.0.1 -P 42030 -l -I",
        ));
        wait_listening(&ns, 42030);
        l.write(b"?\nbogus\nsnd=5\nsndbuf\nnodelay\nmaxseg\nstats\nprimary\n");
        l.wait_for("Interactive mode> ", 9);
        let mut s = Bg::spawn(tool_line(
            &ns,
            listener_impl.other(),
            "sctp_darn",
            "-H 127.0.0.1 -P 42031 -h 127.0.0.1 -p 42030 -s",
        ));
        s.write(b"first\n");
        l.write(b"rcv\n");
        l.wait_for("COMM_UP\n", 2);
        l.write(b"rcv\n");
        l.wait_for("DATA(", 1);
        l.write(b"stats\nprimary\n");
        l.wait_for("Interactive mode> ", 13);
        s.write(b"second\n");
        l.write(b"rcv\n");
        l.wait_for("DATA(", 2);
        s.close_stdin();
        s.finish(Duration::from_secs(20));
        l.write(b"rcv\nstats\n");
        l.wait_for("Interactive mode> ", 16);
        let out = l.finish(Duration::from_secs(20));
        // The C tool exits with the length of its last read (the 20-byte SHUTDOWN_COMP
        // notification); ours with 0.
        let want = if listener_impl == Impl::C { 20 } else { 0 };
        assert_eq!(out.code, Some(want), "{out:?}");
        (mask().apply(&out.stdout), out.stderr)
    });
    assert_same_lines("interactive listener stdout", &ours.0, &c.0);
    assert_same_lines("interactive listener stderr", &ours.1, &c.1);
    assert!(ours.0.contains("DATA(8):  second.\n"), "{}", ours.0);
}

/// Several endpoints (`-i 2`, ports P and P+1): senders to each port are printed by the
/// endpoint they reached, with `No association is present in sk No.N now!!` as each ends;
/// and `-i 1` with a peer sends `-z`-byte generated messages from the first endpoint.
#[test]
fn sctp_darn_several_endpoints() {
    let ns = Netns::new("dpoll");
    let poll = Bg::spawn(tool_line(
        &ns,
        Impl::Ours,
        "sctp_darn",
        "-H 127.0.0.1 -P 42040 -i 2 --use-poll",
    ));
    wait_listening(&ns, 42041);
    for (port, line) in [("42040", "to zero\n"), ("42041", "to one\n")] {
        let out = run(
            tool(
                &ns,
                Impl::C,
                "sctp_darn",
                &[
                    "-H",
                    "127.0.0.1",
                    "-P",
                    "42045",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    port,
                    "-s",
                ],
            ),
            line.as_bytes(),
        );
        assert_eq!(out.code, Some(line.len() as i32 + 1), "{out:?}");
    }
    let text = poll.wait_for("now!!", 2);
    assert!(text.contains("DATA(9):  to zero.\n"), "{text}");
    assert!(text.contains("DATA(8):  to one.\n"), "{text}");
    assert!(
        text.contains("No association is present in sk No.0 now!!"),
        "{text}"
    );
    assert!(
        text.contains("No association is present in sk No.1 now!!"),
        "{text}"
    );
    assert_eq!(text.matches("Received SCTP_COMM_UP").count(), 2, "{text}");
    poll.stop();

    let listener = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_darn",
        "-H 127.0.0.1 -P 42050 -l",
    ));
    wait_listening(&ns, 42050);
    let sender = Bg::spawn(tool_line(
        &ns,
        Impl::Ours,
        "sctp_darn",
        "-H 127.0.0.1 -P 42051 -i 1 -h 127.0.0.1 -p 42050 -z 3000",
    ));
    let got = listener.wait_for("DATA(3000):  !\"#$%&'()*+,-./0123456789", 3);
    assert!(got.contains("Received SCTP_COMM_UP"), "{got}");
    let out = sender.stop();
    assert!(
        out.stderr.contains("sent a message, msglen = 3000\n"),
        "{}",
        out.stderr
    );
    listener.stop();
}

/// Multihoming over two veth paths between two namespaces: the listener binds both of its
/// addresses (`-H`, `-B`), the sender both of its own and connects to both of the
/// listener's (`-c`, sctp_connectx): the sender lists both peer addresses; lines sent while
/// path 1 is down still arrive (over path 2); path 1 comes back before the graceful
/// shutdown. Both ways, the same lines from both. (Short RTOs and one retransmission per
/// path for a quick failover; a high association limit, so that the dead path's failures
/// do not end the association.)
#[test]
fn sctp_darn_multihomed_over_two_paths() {
    let (c, ours) = both(|listener_impl| {
        let net = TwoPaths::new("dmh");
        for ns in [&net.a, &net.b] {
            ns.exec(
                "dash",
                "sh",
                &[
                    "-c",
                    "cd /proc/sys/net/sctp && echo 100 > rto_min && echo 300 > rto_initial \
                     && echo 1000 > rto_max && echo 200 > hb_interval \
                     && echo 1 > path_max_retrans && echo 100 > association_max_retrans",
                ],
            );
        }
        let listener = Bg::spawn(tool_line(
            &net.b,
            listener_impl,
            "sctp_darn",
            "-H 10.0.1.2 -B 10.0.2.2 -P 42060 -l",
        ));
        wait_listening(&net.b, 42060);
        let mut sender = Bg::spawn(tool_line(
            &net.a,
            listener_impl.other(),
            "sctp_darn",
            "-H 10.0.1.1 -B 10.0.2.1 -P 42061 -c 10.0.1.2 -c 10.0.2.2 -p 42060 -s",
        ));
        sender.write(b"over both\n");
        let peers = sender.wait_for("10.0.2.2:42060\n", 1);
        assert!(
            peers.contains("New connection, peer addresses\n10.0.1.2:42060\n10.0.2.2:42060\n"),
            "{peers}"
        );
        listener.wait_for("DATA(", 1);
        net.a.ip(&["link", "set", "va1", "down"]);
        sender.write(b"path one is down\nstill here\n");
        let got = listener.wait_for("DATA(", 3);
        assert!(got.contains("DATA(18):  path one is down.\n"), "{got}");
        assert!(got.contains("DATA(12):  still here.\n"), "{got}");
        // Path 1 back before the shutdown, which then goes over either path.
        net.a.ip(&["link", "set", "va1", "up"]);
        sender.close_stdin();
        let s = sender.finish(Duration::from_secs(30));
        listener.wait_for("No association is present now!!", 1);
        (mask().apply(&listener.stop().stdout), s.stdout)
    });
    assert_same_lines("multihomed listener", &ours.0, &c.0);
    assert_same_lines("multihomed sender", &c.1, &ours.1);
}

/// A peer that goes away mid-run (one-to-one): the listener is killed between two lines;
/// the next line finds the association gone (`EPIPE`), the sender rebuilds its endpoint,
/// says so and carries on (the C tool's behaviour: it would start a new association with
/// the next line), and exits 0 at the end of its input. Ours and C alike.
#[test]
fn sctp_darn_peer_gone_mid_run() {
    let (c, ours) = both(|sender_impl| {
        let ns = Netns::new("dgone");
        let listener = Bg::spawn(tool_line(
            &ns,
            Impl::C,
            "sctp_darn",
            "-H 127.0.0.1 -P 42070 -l -t",
        ));
        wait_listening(&ns, 42070);
        let mut s = Bg::spawn(tool_line(
            &ns,
            sender_impl,
            "sctp_darn",
            "-H 127.0.0.1 -P 42071 -h 127.0.0.1 -p 42070 -s -t",
        ));
        s.write(b"one\n");
        listener.wait_for("DATA(", 1);
        listener.stop();
        wait_no_assoc(&ns, 42071);
        s.write(b"two\n");
        s.wait_for("No association is present now!!", 1);
        let out = s.finish(Duration::from_secs(20));
        assert_eq!(out.code, Some(0), "{out:?}");
        assert_eq!(out.stderr, "");
        out.stdout
    });
    assert_same_lines("sctp_darn sender whose peer went away", &ours, &c);
}

/// Waits until no association of local port `port` is left in `ns`'s `/proc/net/sctp/assocs`.
fn wait_no_assoc(ns: &Netns, port: u16) {
    let start = std::time::Instant::now();
    loop {
        let out = ns.exec("coreutils", "cat", &["/proc/net/sctp/assocs"]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let port = port.to_string();
        if !text
            .lines()
            .any(|l| l.split_whitespace().nth(11) == Some(port.as_str()))
        {
            return;
        }
        assert!(
            start.elapsed() < crate::netlab::LIMIT,
            "association of port {port} still there:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Bad input: a port in use, a bad local or remote host, a bad `-B` address: one line on
/// stderr and the C tool's status (1, or 2 for an address list).
#[test]
fn sctp_darn_bad_input() {
    let ns = Netns::new("dbad");
    let holder = Bg::spawn(tool_line(
        &ns,
        Impl::C,
        "sctp_darn",
        "-H 127.0.0.1 -P 42080 -l",
    ));
    wait_listening(&ns, 42080);
    let cases: &[(&[&str], i32, &str)] = &[
        (&["-H", "127.0.0.1", "-P", "42080", "-l"], 1, "sctp_darn: can not bind to 127.0.0.1:42080: Address already in use."),
        (&["-H", "no.such.host.invalid", "-P", "1", "-l"], 1, "sctp_darn: bad hostname: no.such.host.invalid"),
        (&["-H", "127.0.0.1", "-P", "42081", "-s", "-h", "no.such.host.invalid", "-p", "1"], 1, "sctp_darn: bad hostname: no.such.host.invalid"),
        (&["-H", "127.0.0.1", "-P", "42082", "-l", "-B", "no.such.host.invalid"], 2, "sctp_darn: bad hostname: no.such.host.invalid"),
        (&["-H", "127.0.0.1", "-l", "-B", "127.0.0.2"], 1, "sctp_darn: A non-0 local port number is required for bindx to work! (bindx_func (add) failed.)"),
    ];
    for (args, code, line) in cases {
        let out = run(tool(&ns, Impl::Ours, "sctp_darn", args), b"");
        assert_eq!(out.code, Some(*code), "{args:?}: {out:?}");
        assert_eq!(one_line("sctp_darn", &out.stderr), *line, "{args:?}");
    }
    holder.stop();
}
