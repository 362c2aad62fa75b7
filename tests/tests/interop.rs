//! tokio-linux-sctp against other implementations' user-space SCTP tools on the same kernel:
//! lksctp-tools (`checksctp`, `sctp_test`), `socat` (`SCTP-LISTEN`, `SCTP-CONNECT`) and
//! `iperf3 --sctp`. Every test runs in a private network namespace of its own
//! ([`netlab::Netns`], loopback only), so fixed ports never collide; the tools are started
//! there with `ip netns exec`, waited for with `ss` (never a fixed sleep) and killed at the
//! end. A missing tool fails the test with the package to install (`scripts/setup`
//! installs them all); nothing is skipped.
//!
//! What crosses between the implementations is checked byte for byte: echoed bytes, a file's
//! content, message sizes, streams, the unordered flag and PPIDs (whose byte order is the
//! interesting part: tokio-linux-sctp speaks host order, C programs put `sinfo_ppid` on the wire
//! as they hold it).

mod netlab;

use std::io::Read;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use netlab::{within, KillOnDrop, Netns, LIMIT};
use tokio_linux_sctp::error::ErrorKind;
use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpListener, SctpSocket, SctpStream};

fn local(port: u16) -> SocketAddr {
    SocketAddr::new([127, 0, 0, 1].into(), port)
}

/// A tokio-linux-sctp client socket made inside `ns`, connected to `127.0.0.1:port`.
async fn connect_in(ns: &Netns, port: u16) -> SctpStream {
    let s = ns.enter(|| SctpSocket::new_v4().expect("socket(IPPROTO_SCTP)"));
    s.set_nodelay(true).unwrap();
    within("connect", LIMIT, s.connect(local(port)))
        .await
        .expect("connect")
}

/// A tokio-linux-sctp listener made inside `ns` on `127.0.0.1:port`.
fn listen_in(ns: &Netns, port: u16) -> SctpListener {
    let s = ns.enter(|| SctpSocket::new_v4().expect("socket(IPPROTO_SCTP)"));
    s.set_reuseaddr(true).unwrap();
    s.bind(local(port)).expect("bind");
    s.listen(8).expect("listen")
}

/// Receives messages until the association ends; returns them with their stream, PPID and
/// unordered flag.
async fn recv_all(s: &SctpStream) -> Vec<(Vec<u8>, u16, u32, bool)> {
    let mut out = Vec::new();
    loop {
        match within("recv", LIMIT, s.recv()).await {
            Ok((msg, info)) => out.push((
                msg.to_vec(),
                info.stream,
                info.ppid,
                info.flags.is_unordered(),
            )),
            Err(e) => {
                assert!(
                    matches!(e.kind(), ErrorKind::AssociationEnded { .. }),
                    "recv: {e:?}"
                );
                return out;
            }
        }
    }
}

/// A deterministic byte pattern that is not periodic in any small length.
fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Collects a child's stdout on a thread, so a tool that never exits can be read while it
/// runs.
fn capture(child: &mut std::process::Child) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let mut out = child.stdout.take().expect("piped stdout");
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    text
}

/// Waits until `text` contains `needle` (at most [`LIMIT`]) and returns the text.
async fn wait_for_text(text: &Mutex<String>, needle: &str) -> String {
    let start = Instant::now();
    loop {
        let t = text.lock().unwrap().clone();
        if t.contains(needle) {
            return t;
        }
        assert!(
            start.elapsed() < LIMIT,
            "no `{needle}` within {LIMIT:?} in:\n{t}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every number following `key` in `text`, in order (`ppid=123` → 123).
fn numbers_after(text: &str, key: &str) -> Vec<u64> {
    text.match_indices(key)
        .map(|(i, _)| {
            let digits: String = text[i + key.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits
                .parse()
                .unwrap_or_else(|e| panic!("{key}{digits}: {e}"))
        })
        .collect()
}

/// `checksctp` (lksctp-tools) finds SCTP in the kernel the tests run on: exit status 0 and
/// "SCTP supported".
#[test]
fn checksctp_finds_sctp() {
    netlab::require("lksctp-tools", "checksctp");
    let out = netlab::run("lksctp-tools", "checksctp", &[]);
    assert_eq!(out.status.code(), Some(0));
    // checksctp reports on stderr.
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("SCTP supported"), "{text}");
}

/// tokio-linux-sctp client → `socat SCTP-LISTEN … PIPE` (an echo server): 300 messages of 1 to
/// 3000 bytes go out while the echoes come back; the bytes that return are exactly the bytes
/// sent, in order. After tokio-linux-sctp's graceful shutdown socat ends the association and exits
/// with status 0.
#[tokio::test]
async fn socat_echo_server_returns_every_byte() {
    netlab::require("socat", "socat");
    let ns = Netns::new("iosocatecho");
    let port = 7001;
    let mut cmd = ns.command("socat");
    cmd.args([&format!("SCTP-LISTEN:{port},reuseaddr"), "PIPE"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let socat = KillOnDrop::spawn("socat", &mut cmd);
    ns.wait_listening(port).await;

    let client = Arc::new(connect_in(&ns, port).await);
    let sizes: Vec<usize> = (0..300).map(|i| 1 + (i * 997) % 3000).collect();
    let total: usize = sizes.iter().sum();
    let data = pattern(total, 1);
    let sender = tokio::spawn({
        let (client, data, sizes) = (Arc::clone(&client), data.clone(), sizes.clone());
        async move {
            let mut at = 0;
            for n in sizes {
                let sent = client
                    .send(&data[at..at + n], &SendInfo::new())
                    .await
                    .expect("send");
                assert_eq!(sent, n);
                at += n;
            }
        }
    });
    let mut back = Vec::with_capacity(total);
    within("every echoed byte", LIMIT, async {
        while back.len() < total {
            let (msg, info) = client.recv().await.expect("recv echo");
            assert_eq!((info.stream, info.ppid), (0, 0));
            back.extend_from_slice(&msg);
        }
    })
    .await;
    within("sender", LIMIT, sender).await.expect("sender task");
    assert_eq!(back.len(), total);
    assert!(back == data, "echoed bytes differ from the bytes sent");

    within("shutdown", LIMIT, client.shutdown())
        .await
        .expect("shutdown");
    let rest = recv_all(&client).await;
    assert!(
        rest.is_empty(),
        "{} more messages after the echo",
        rest.len()
    );
    let out = socat.wait_output(LIMIT).await;
    assert!(
        out.status.success(),
        "socat: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `socat -u FILE:… SCTP-CONNECT:…` → tokio-linux-sctp listener: the file (256 KiB) arrives whole
/// and in order as messages on stream 0 with PPID 0; socat ends the association gracefully
/// (the receive side sees the end after the last byte) and exits with status 0.
#[tokio::test]
async fn socat_client_sends_a_file() {
    netlab::require("socat", "socat");
    let ns = Netns::new("iosocatfile");
    let port = 7002;
    let listener = listen_in(&ns, port);
    let content = pattern(256 * 1024, 2);
    let path = std::env::temp_dir().join(format!("tokio-sctp-interop-{}.bin", std::process::id()));
    std::fs::write(&path, &content).expect("write the file to send");

    let mut cmd = ns.command("socat");
    cmd.args([
        "-u".to_string(),
        format!("FILE:{}", path.display()),
        format!("SCTP-CONNECT:127.0.0.1:{port}"),
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let socat = KillOnDrop::spawn("socat", &mut cmd);

    let (stream, peers) = within("accept", LIMIT, listener.accept())
        .await
        .expect("accept");
    assert_eq!(peers.len(), 1);
    assert_eq!(peers[0].ip(), local(port).ip());
    let msgs = recv_all(&stream).await;
    let _ = std::fs::remove_file(&path);
    let mut got = Vec::with_capacity(content.len());
    for (msg, stream_id, ppid, _) in &msgs {
        assert_eq!((*stream_id, *ppid), (0, 0));
        assert!(!msg.is_empty());
        got.extend_from_slice(msg);
    }
    assert_eq!(got.len(), content.len(), "{} messages", msgs.len());
    assert!(got == content, "received bytes differ from the file");
    let out = socat.wait_output(LIMIT).await;
    assert!(
        out.status.success(),
        "socat: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `sctp_test -s -c 4` (lksctp-tools' sender, a one-to-many socket) → tokio-linux-sctp listener:
/// the ten messages of test case 4 (1 to 32768 bytes) arrive whole, unordered, on stream 0,
/// each with the PPID sctp_test printed. sctp_test stores its random PPID in `sinfo_ppid`
/// unconverted, so tokio-linux-sctp (host order) reads it byte-swapped on this little-endian lab.
/// sctp_test closes the association gracefully and exits with status 0.
#[tokio::test]
async fn sctp_test_sender_to_tokio_listener() {
    netlab::require("lksctp-tools", "sctp_test");
    let ns = Netns::new("iosctptests");
    let port = 7003;
    let listener = listen_in(&ns, port);
    let mut cmd = ns.command("sctp_test");
    cmd.args(["-H", "127.0.0.1", "-P", "7004", "-h", "127.0.0.1"])
        .args([
            "-p",
            &port.to_string(),
            "-s",
            "-c",
            "4",
            "-x",
            "1",
            "-d",
            "2",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let tool = KillOnDrop::spawn("lksctp-tools", &mut cmd);

    let (stream, peers) = within("accept", LIMIT, listener.accept())
        .await
        .expect("accept");
    assert_eq!(peers, vec![local(7004)]);
    let msgs = recv_all(&stream).await;
    let out = tool.wait_output(LIMIT).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "sctp_test: {}\n{text}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );

    let sizes: Vec<usize> = msgs.iter().map(|m| m.0.len()).collect();
    assert_eq!(
        sizes,
        [1, 1000, 2000, 3000, 5000, 10000, 15000, 20000, 25000, 32768]
    );
    let ppids = numbers_after(&text, "ppid=");
    assert_eq!(ppids.len(), msgs.len(), "{text}");
    for ((msg, stream_id, ppid, unordered), sent) in msgs.iter().zip(ppids) {
        assert_eq!(*stream_id, 0);
        assert!(*unordered, "sctp_test sends unordered by default");
        let raw = u32::try_from(sent).expect("ppid fits u32");
        assert_eq!(*ppid, u32::from_be(raw), "PPID as sent raw by sctp_test");
        // sctp_test's payload: the digits 0-9 over and over, NUL-terminated.
        let body = &msg[..msg.len() - 1];
        assert_eq!(msg[msg.len() - 1], 0, "{} bytes", msg.len());
        assert!(
            body.iter()
                .enumerate()
                .all(|(i, &b)| b == b'0' + (i % 10) as u8),
            "payload of {} bytes: {:?}",
            msg.len(),
            &msg[..msg.len().min(32)]
        );
    }
}

/// tokio-linux-sctp client → `sctp_test -l` (lksctp-tools' receiver, a one-to-many socket): the
/// receiver prints each message's size, first bytes, stream and PPID as it got them; they
/// match what tokio-linux-sctp sent (the PPID in network order, as `sinfo_ppid` holds it), and it
/// reports the graceful end (`SHUTDOWN_COMPLETE`) after tokio-linux-sctp's shutdown.
#[tokio::test]
async fn tokio_client_to_sctp_test_receiver() {
    netlab::require("lksctp-tools", "sctp_test");
    let ns = Netns::new("iosctptestr");
    let port = 7005;
    let mut cmd = ns.command("sctp_test");
    cmd.args(["-H", "127.0.0.1", "-P", &port.to_string(), "-l", "-d", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut tool = KillOnDrop::spawn("lksctp-tools", &mut cmd);
    let text = capture(tool.child());
    ns.wait_listening(port).await;

    let client = connect_in(&ns, port).await;
    let msgs: Vec<(String, u16, u32)> = (0..5u16)
        .map(|i| {
            (
                format!("hello-{i}-{}", "x".repeat(usize::from(i) * 7)),
                i % 3,
                100 + u32::from(i),
            )
        })
        .collect();
    for (body, stream_id, ppid) in &msgs {
        let info = SendInfo::new().stream(*stream_id).ppid(*ppid);
        within("send", LIMIT, client.send(body.as_bytes(), &info))
            .await
            .expect("send");
    }
    within("shutdown", LIMIT, client.shutdown())
        .await
        .expect("shutdown");
    assert!(recv_all(&client).await.is_empty());
    let out = wait_for_text(&text, "SHUTDOWN_COMPLETE").await;
    drop(tool);

    let sizes = numbers_after(&out, "Data ");
    assert_eq!(
        sizes,
        msgs.iter().map(|m| m.0.len() as u64).collect::<Vec<_>>(),
        "{out}"
    );
    // sctp_test prints the metadata (`SNDRCV(...)`) of every message but the first.
    let streams = numbers_after(&out, "SNDRCV(stream=");
    assert_eq!(
        streams,
        msgs[1..].iter().map(|m| u64::from(m.1)).collect::<Vec<_>>(),
        "{out}"
    );
    let ppids = numbers_after(&out, "ppid=");
    assert_eq!(
        ppids,
        msgs[1..]
            .iter()
            .map(|m| u64::from(m.2.to_be()))
            .collect::<Vec<_>>(),
        "{out}"
    );
    for (body, _, _) in &msgs {
        let shown = &body[..body.len().min(9)];
        assert!(out.contains(shown), "`{shown}` not in\n{out}");
    }
}

/// `iperf3 --sctp` (client and server both in the namespace) moves data over SCTP for one
/// second (16 KiB messages, 1 MiB buffers: with the default buffers large messages stall on
/// `lo`): a sanity check that the kernel the tests run on carries load, independent of
/// tokio-linux-sctp.
#[tokio::test]
async fn iperf3_sctp_carries_load() {
    netlab::require("iperf3", "iperf3");
    let ns = Netns::new("ioiperf");
    let port = "7006";
    let mut cmd = ns.command("iperf3");
    cmd.args(["-s", "-1", "-p", port])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let _server = KillOnDrop::spawn("iperf3", &mut cmd);
    // iperf3's control connection is TCP: wait for that listener.
    let start = Instant::now();
    loop {
        let out = ns.exec("iproute2", "ss", &["-Hltn"]);
        if String::from_utf8_lossy(&out.stdout).contains(&format!(":{port} ")) {
            break;
        }
        assert!(start.elapsed() < LIMIT, "iperf3 -s does not listen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let out = ns.exec(
        "iperf3",
        "iperf3",
        &[
            "--sctp",
            "-c",
            "127.0.0.1",
            "-p",
            port,
            "-t",
            "1",
            "-l",
            "16K",
            "-w",
            "1M",
            "-J",
        ],
    );
    let json = String::from_utf8_lossy(&out.stdout);
    let at = json
        .find("\"sum_received\"")
        .expect("sum_received in iperf3 -J");
    let bytes = numbers_after(&json[at..], "\"bytes\":\t")
        .into_iter()
        .chain(numbers_after(&json[at..], "\"bytes\": "))
        .next()
        .unwrap_or_else(|| panic!("no byte count in {}", &json[at..]));
    assert!(bytes > 1_000_000, "iperf3 --sctp moved only {bytes} bytes");
    assert!(
        json.contains("\"protocol\":\t\"SCTP\"") || json.contains("\"protocol\": \"SCTP\""),
        "{json}"
    );
}
