//! Two network namespaces joined by a veth pair, an SCTP listener in one and a client in the
//! other, all from one tokio runtime whose threads never leave their own namespace: the way
//! an integration test puts each side of an association on a network of its own.
//!
//! ```sh
//! cargo run -p examples --example netns     # as root (the lab is root); needs iproute2
//! ```
//!
//! It makes `sctp-ex-a-<pid>` (10.0.9.1/24) and `sctp-ex-b-<pid>` (10.0.9.2/24) with
//! `ip netns add`, opens them with [`NetNamespace::named`], and deletes them at the end.

use std::error::Error;
use std::process::{Command, ExitCode};

use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::netns::NetNamespace;

#[tokio::main]
async fn main() -> ExitCode {
    examples::exit_status("netns", netns().await)
}

/// Runs `ip ARGS`, failing with its stderr.
fn ip(args: &[&str]) -> Result<(), Box<dyn Error>> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip (package iproute2): {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(format!("ip {}: {}", args.join(" "), stderr.trim()).into());
    }
    Ok(())
}

/// Named namespaces made by this example, deleted when dropped (also on error).
struct Made(Vec<String>);

impl Drop for Made {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = ip(&["netns", "delete", name]);
        }
    }
}

async fn netns() -> Result<(), Box<dyn Error>> {
    let (a, b) = (
        format!("sctp-ex-a-{}", std::process::id()),
        format!("sctp-ex-b-{}", std::process::id()),
    );
    let mut made = Made(Vec::new());
    for name in [&a, &b] {
        ip(&["netns", "add", name])?;
        made.0.push(name.clone());
        ip(&["-n", name, "link", "set", "lo", "up"])?;
    }
    ip(&[
        "link", "add", "va", "netns", &a, "type", "veth", "peer", "name", "vb", "netns", &b,
    ])?;
    for (ns, dev, addr) in [(&a, "va", "10.0.9.1/24"), (&b, "vb", "10.0.9.2/24")] {
        ip(&["-n", ns, "addr", "add", addr, "dev", dev])?;
        ip(&["-n", ns, "link", "set", dev, "up"])?;
    }

    // The server's socket is created inside B (on a short-lived thread), then listens here.
    let server_ns = NetNamespace::named(&b)?;
    let socket = server_ns.socket_v4().await?;
    socket.bind("10.0.9.2:3868".parse()?)?;
    let listener = socket.listen(16)?;
    println!(
        "server: listening on {} in {}",
        listener.local_addr()?,
        server_ns.path().display()
    );
    let server = tokio::spawn(async move {
        let (stream, peers) = listener.accept().await?;
        println!("server: association {} from {peers:?}", stream.assoc_id());
        let (msg, info) = stream.recv().await?;
        stream
            .send(&msg, &SendInfo::new().stream(info.stream).ppid(info.ppid))
            .await?;
        stream.recv().await.map(drop).or_else(|e| {
            println!("server: {e}");
            Ok::<_, tokio_linux_sctp::error::Error>(())
        })
    });

    // The client's socket is created inside A and connects across the veth pair.
    let client_ns = NetNamespace::named(&a)?;
    let client = client_ns
        .socket_v4()
        .await?
        .connect("10.0.9.2:3868".parse()?)
        .await?;
    println!(
        "client: association {} from {} to {} (namespace {})",
        client.assoc_id(),
        client.local_addr()?,
        client.peer_addr()?,
        client_ns.path().display()
    );
    client
        .send(
            b"hello across namespaces",
            &SendInfo::new().stream(1).ppid(46),
        )
        .await?;
    let (msg, info) = client.recv().await?;
    println!(
        "client: echo {:?} on stream {} ppid {}",
        String::from_utf8_lossy(&msg),
        info.stream,
        info.ppid
    );
    client.shutdown().await?;
    server.await??;
    drop(made);
    println!("netns: namespaces {a} and {b} deleted");
    Ok(())
}
