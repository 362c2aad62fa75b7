//! A one-to-many server (`SctpEndpoint`) serving several clients on one socket, then peeling
//! one association off into its own `SctpStream`.
//!
//! ```sh
//! cargo run -p examples --example one_to_many
//! ```

use std::error::Error;
use std::process::ExitCode;

use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::{SctpEndpoint, SctpStream};

const CLIENTS: usize = 3;

#[tokio::main]
async fn main() -> ExitCode {
    examples::exit_status("one_to_many", one_to_many().await)
}

async fn one_to_many() -> Result<(), Box<dyn Error>> {
    let endpoint = SctpEndpoint::bind("127.0.0.1:0".parse()?)?;
    endpoint.listen(16)?;
    let addr = endpoint.local_addr()?;
    println!("server: one-to-many endpoint on {addr}");

    // Clients: plain one-to-one streams.
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        let client = SctpStream::connect(addr).await?;
        client
            .send(
                format!("hello from client {i}").as_bytes(),
                &SendInfo::new().ppid(7),
            )
            .await?;
        clients.push(client);
    }

    // The endpoint receives from every association on one socket; each message names its
    // association.
    let mut assocs = Vec::new();
    for _ in 0..CLIENTS {
        let (msg, info) = endpoint.recv().await?;
        println!(
            "server: association {} says {:?} (stream {}, ppid {})",
            info.assoc_id,
            String::from_utf8_lossy(&msg),
            info.stream,
            info.ppid
        );
        endpoint
            .send(b"welcome", &SendInfo::new().assoc_id(info.assoc_id).ppid(7))
            .await?;
        assocs.push(info.assoc_id);
    }
    for (i, client) in clients.iter().enumerate() {
        let (msg, _) = client.recv().await?;
        println!("client {i}: got {:?}", String::from_utf8_lossy(&msg));
    }

    // Peel the first association off into its own one-to-one socket.
    let peeled = endpoint.peeloff(assocs[0])?;
    println!(
        "server: association {} peeled off, peer {:?}",
        assocs[0],
        peeled.peer_addrs()?
    );
    clients[0]
        .send(b"to the peeled socket", &SendInfo::new().stream(0))
        .await?;
    let (msg, _) = peeled.recv().await?;
    println!("peeled: got {:?}", String::from_utf8_lossy(&msg));

    // Graceful shutdown of one association through the endpoint, abort of another.
    endpoint.shutdown(assocs[1]).await?;
    endpoint.abort(assocs[2]).await?;
    for (i, client) in clients.iter().enumerate().skip(1) {
        match client.recv().await {
            Err(e) => println!("client {i}: association ended: {e}"),
            Ok((m, _)) => println!("client {i}: unexpected message {m:?}"),
        }
    }
    peeled.shutdown().await?;
    Ok(())
}
