//! The README's demo: a real SCTP association on loopback, eight streams, PPIDs, an
//! unordered message (echoed unordered, marked `(unordered)`), and the association's events
//! as they happen.
//!
//! ```sh
//! scripts/setup && cargo run -p examples --example demo
//! ```
//!
//! Through `lab/cargo-runner` this runs natively when the kernel has SCTP and inside the SCTP
//! lab (user-mode Linux 6.1) when it has not.

use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{EventType, Notification, Subscriptions};
use tokio_linux_sctp::{InitParams, SctpEvents, SctpSocket};

const STREAMS: u16 = 8;
/// A PPID in host byte order; the crate puts it on the wire in network order.
const PPID_BASE: u32 = 0x1000;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    examples::exit_status("demo", demo().await)
}

async fn demo() -> Result<(), Box<dyn Error>> {
    println!("kernel: {}", kernel_release());

    // Server: one-to-one listener on 127.0.0.1, ephemeral port, 8 streams each way.
    let mut socket = SctpSocket::new_v4()?;
    socket.set_init(InitParams::new().streams(STREAMS, STREAMS))?;
    socket.subscribe(Subscriptions::default().with(EventType::SenderDry))?;
    socket.bind("127.0.0.1:0".parse()?)?;
    let listener = socket.listen(16)?;
    let server_addr = listener.local_addr()?;
    println!("server: listening on {server_addr}");

    let server = tokio::spawn(async move {
        let (stream, peers) = listener.accept().await?;
        println!(
            "server: accepted association {} from {:?} ({} out / {} in streams)",
            stream.assoc_id(),
            peers,
            stream.outbound_streams(),
            stream.inbound_streams()
        );
        let printer = tokio::spawn(print_events("server", stream.events()));
        // Echo every message back on the stream and PPID it came on, unordered if it came
        // unordered, until the peer shuts down.
        let mut echoed = 0;
        loop {
            match stream.recv().await {
                Ok((msg, info)) => {
                    let reply = SendInfo::new()
                        .stream(info.stream)
                        .ppid(info.ppid)
                        .unordered(info.is_unordered());
                    stream.send(&msg, &reply).await?;
                    echoed += 1;
                }
                Err(e) => {
                    println!("server: receive ended after {echoed} messages: {e}");
                    break;
                }
            }
        }
        drop(stream);
        let _ = tokio::time::timeout(Duration::from_secs(2), printer).await;
        Ok::<_, tokio_linux_sctp::error::Error>(echoed)
    });

    // Client: connect, resolving once the association is up (COMM_UP).
    let mut socket = SctpSocket::new_v4()?;
    socket.set_init(InitParams::new().streams(STREAMS, STREAMS))?;
    socket.set_nodelay(true)?;
    socket.subscribe(Subscriptions::default())?;
    let client = socket.connect(server_addr).await?;
    println!(
        "client: association {} up, peer addresses {:?}, {} outbound streams",
        client.assoc_id(),
        client.peer_addrs()?,
        client.outbound_streams()
    );
    let printer = tokio::spawn(print_events("client", client.events()));

    // One message per stream, each with its own PPID; the last one unordered.
    for sid in 0..STREAMS {
        let text = format!("hello on stream {sid}");
        let info = SendInfo::new()
            .stream(sid)
            .ppid(PPID_BASE + u32::from(sid))
            .unordered(sid == STREAMS - 1);
        client.send(text.as_bytes(), &info).await?;
    }
    let mut unordered = 0;
    for _ in 0..STREAMS {
        let (msg, info) = client.recv().await?;
        assert_eq!(info.ppid, PPID_BASE + u32::from(info.stream));
        unordered += usize::from(info.is_unordered());
        println!(
            "client: echo on stream {} ppid {:#x} ssn {} tsn {}{}: {:?}",
            info.stream,
            info.ppid,
            info.ssn,
            info.tsn,
            if info.is_unordered() {
                " (unordered)"
            } else {
                ""
            },
            String::from_utf8_lossy(&msg)
        );
    }

    if unordered != 1 {
        return Err(format!("{unordered} unordered echoes, expected 1").into());
    }

    // Out of range streams are refused before the kernel sees them.
    match client.send(b"x", &SendInfo::new().stream(STREAMS)).await {
        Err(e) => println!("client: stream {STREAMS} refused as expected: {e}"),
        Ok(_) => return Err("stream out of range was accepted".into()),
    }

    // Graceful shutdown: SHUTDOWN, then SHUTDOWN_COMPLETE on both sides.
    client.shutdown().await?;
    let echoed = server.await??;
    let _ = tokio::time::timeout(Duration::from_secs(2), printer).await;
    println!("demo: {echoed} messages echoed on {STREAMS} streams, association closed");
    Ok(())
}

async fn print_events(side: &'static str, mut events: SctpEvents) {
    while let Some(event) = events.next().await {
        match event {
            Ok(Notification::AssocChange(c)) => println!(
                "{side}: event ASSOC_CHANGE {:?} (association {}, {} out / {} in streams)",
                c.state, c.assoc_id, c.outbound_streams, c.inbound_streams
            ),
            Ok(Notification::PeerAddrChange(c)) => {
                println!("{side}: event PEER_ADDR_CHANGE {} {:?}", c.addr, c.state)
            }
            Ok(other) => println!("{side}: event {other:?}"),
            Err(e) => {
                println!("{side}: events ended: {e}");
                break;
            }
        }
    }
}

fn kernel_release() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| format!("Linux {}", s.trim()))
        .unwrap_or_else(|_| "unknown".into())
}
