//! An events printer: subscribes to every notification type and prints what an association's
//! life looks like from both ends (set-up, sender dry, shutdown, abort).
//!
//! ```sh
//! cargo run -p examples --example events
//! ```

use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

use tokio_linux_sctp::message::SendInfo;
use tokio_linux_sctp::notification::{EventType, Notification, Subscriptions};
use tokio_linux_sctp::{SctpEvents, SctpSocket};

#[tokio::main]
async fn main() -> ExitCode {
    examples::exit_status("events", events().await)
}

async fn events() -> Result<(), Box<dyn Error>> {
    let every = Subscriptions::all().without(EventType::DataIo);
    let mut socket = SctpSocket::new_v4()?;
    socket.subscribe(every)?;
    socket.bind("127.0.0.1:0".parse()?)?;
    let listener = socket.listen(4)?;
    let addr = listener.local_addr()?;

    for round in ["graceful shutdown", "abort"] {
        println!("--- {round} ---");
        let mut socket = SctpSocket::new_v4()?;
        socket.subscribe(every)?;
        let client = socket.connect(addr).await?;
        let (server, _) = listener.accept().await?;
        let client_events = tokio::spawn(print("client", client.events()));
        let server_events = tokio::spawn(print("server", server.events()));

        client.send(b"ping", &SendInfo::new().ppid(1)).await?;
        let (msg, info) = server.recv().await?;
        println!(
            "server: data {:?} on stream {} ppid {}",
            msg, info.stream, info.ppid
        );

        if round == "abort" {
            client.abort().await?;
        } else {
            client.shutdown().await?;
            drop(client);
        }
        if let Err(e) = server.recv().await {
            println!("server: recv after the end: {e}");
        }
        drop(server);
        for t in [client_events, server_events] {
            let _ = tokio::time::timeout(Duration::from_secs(2), t).await;
        }
    }
    Ok(())
}

async fn print(side: &'static str, mut events: SctpEvents) {
    while let Some(event) = events.next().await {
        match event {
            // `error` (sac_error) is raw, in an order that depends on the path (a peer's
            // User-Initiated Abort reads 3072): `abort_cause()` decodes the ABORT's cause.
            Ok(Notification::AssocChange(c)) => {
                let cause = c
                    .abort_cause()
                    .map(|code| format!(", abort cause {code}"))
                    .unwrap_or_default();
                println!(
                    "{side}: ASSOC_CHANGE {:?} (association {}, {} out / {} in streams{cause})",
                    c.state, c.assoc_id, c.outbound_streams, c.inbound_streams
                )
            }
            Ok(n) => println!("{side}: {n:?}"),
            Err(e) => {
                println!("{side}: {e}");
                break;
            }
        }
    }
}
