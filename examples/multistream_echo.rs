//! Multistream echo server and client (one-to-one sockets), reachable by other tools.
//!
//! ```sh
//! cargo run -p examples --example multistream_echo                             # both sides, one process
//! cargo run -p examples --example multistream_echo -- --listen 127.0.0.1:5000  # an echo server
//! cargo run -p examples --example multistream_echo -- --connect 127.0.0.1:5000 # a client of one
//! ```
//!
//! The server (`--listen ADDR`, port 0 for any; it prints the address it listens on) echoes
//! each message on the stream and with the PPID it arrived on, for every association, until
//! killed; any SCTP peer can use it: `echo hi | socat -t 1 - SCTP-CONNECT:127.0.0.1:5000`,
//! `sctp_test -H 127.0.0.1 -P 5001 -h 127.0.0.1 -p 5000 -s -x 3 -c 1`. The client (`--connect ADDR`)
//! sends `COUNT` numbered messages round-robin over `STREAMS` streams from one task per stream
//! (through cloned [`StreamSender`](tokio_linux_sctp::StreamSender)s) and checks that every echo
//! comes back on its stream, in order, so it needs a multistream echo like this server. With
//! cargo's lab runner each `cargo run` boots its own kernel, so run two sides that must meet in
//! one lab:
//! `lab/sctp-lab sh -c 'target/debug/examples/multistream_echo --listen 127.0.0.1:5000 & sleep 1; target/debug/examples/multistream_echo --connect 127.0.0.1:5000'`.
//! `examples/tests/echo_interop.rs` runs exactly these with socat in the lab.

use std::error::Error;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{InitParams, SctpListener, SctpSocket, SctpStream};

const STREAMS: u16 = 16;
const COUNT: u32 = 64;
const PPID: u32 = 46; // Diameter's PPID, host byte order

const USAGE: &str = "usage: multistream_echo [--listen ADDR | --connect ADDR]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    examples::exit_status("multistream_echo", run(&args).await)
}

async fn run(args: &[String]) -> Result<(), Box<dyn Error>> {
    let addr = |text: &str| -> Result<SocketAddr, Box<dyn Error>> {
        text.parse()
            .map_err(|e| format!("{text:?} is not an address like 127.0.0.1:5000: {e}").into())
    };
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--listen", a] => serve(listen(addr(a)?)?).await,
        ["--connect", a] => client(addr(a)?).await,
        [] => {
            let listener = listen("127.0.0.1:0".parse()?)?;
            let addr = listener.local_addr()?;
            let server =
                tokio::spawn(async move { serve_one(listener).await.map_err(|e| e.to_string()) });
            client(addr).await?;
            server.await??;
            Ok(())
        }
        _ => Err(USAGE.into()),
    }
}

fn listen(addr: SocketAddr) -> Result<SctpListener, Box<dyn Error>> {
    let socket = if addr.is_ipv4() {
        SctpSocket::new_v4()?
    } else {
        SctpSocket::new_v6()?
    };
    socket.set_init(InitParams::new().streams(STREAMS, STREAMS))?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    let listener = socket.listen(128)?;
    println!("server: listening on {}", listener.local_addr()?);
    Ok(listener)
}

async fn serve(listener: SctpListener) -> Result<(), Box<dyn Error>> {
    loop {
        let (stream, peers) = listener.accept().await?;
        println!("server: association {} from {peers:?}", stream.assoc_id());
        tokio::spawn(echo(stream));
    }
}

async fn serve_one(listener: SctpListener) -> Result<(), Box<dyn Error>> {
    let (stream, _) = listener.accept().await?;
    echo(stream).await;
    Ok(())
}

async fn echo(stream: SctpStream) {
    let mut n = 0u64;
    while let Ok((msg, info)) = stream.recv().await {
        let reply = SendInfo::new().stream(info.stream).ppid(info.ppid);
        if stream.send(&msg, &reply).await.is_err() {
            break;
        }
        n += 1;
    }
    println!(
        "server: association {} done after {n} messages",
        stream.assoc_id()
    );
}

async fn client(addr: SocketAddr) -> Result<(), Box<dyn Error>> {
    let socket = if addr.is_ipv4() {
        SctpSocket::new_v4()?
    } else {
        SctpSocket::new_v6()?
    };
    socket.set_init(InitParams::new().streams(STREAMS, STREAMS))?;
    socket.set_nodelay(true)?;
    let stream = Arc::new(socket.connect(addr).await?);
    println!(
        "client: association {} with {} outbound streams",
        stream.assoc_id(),
        stream.outbound_streams()
    );

    // One sending task per stream, all sharing the association.
    let mut tasks = Vec::new();
    for sid in 0..STREAMS {
        let sender = stream.sender(sid, PPID);
        tasks.push(tokio::spawn(async move {
            for seq in (0..COUNT).filter(|n| n % u32::from(STREAMS) == u32::from(sid)) {
                sender.send(format!("{sid}:{seq}").as_bytes()).await?;
            }
            Ok::<_, tokio_linux_sctp::error::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }

    // Every echo comes back on its own stream, in order within the stream.
    let mut next = vec![0u32; usize::from(STREAMS)];
    for n in 0..COUNT {
        let (msg, info) = stream.recv().await?;
        let text = String::from_utf8(msg.to_vec())?;
        let (sid, seq) = text.split_once(':').ok_or("malformed echo")?;
        let (sid, seq): (u16, u32) = (sid.parse()?, seq.parse()?);
        assert_eq!(sid, info.stream, "echo on the wrong stream");
        assert_eq!(info.ppid, PPID);
        let expected = &mut next[usize::from(sid)];
        assert!(
            seq >= *expected,
            "stream {sid} out of order: {seq} after {expected}"
        );
        *expected = seq + 1;
        if n % 16 == 0 {
            println!(
                "client: echo {text:?} on stream {} (ssn {})",
                info.stream, info.ssn
            );
        }
    }
    println!("client: {COUNT} echoes on {STREAMS} streams, each stream in order");
    stream.shutdown().await?;
    Ok(())
}
