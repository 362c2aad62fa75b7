//! `sctp_perf`: SCTP throughput and latency, client and server (see `sctp_perf --help` and
//! tools/PERF.md).

#[path = "../perf/mod.rs"]
mod perf;

use std::net::{IpAddr, Ipv4Addr};
use std::process::ExitCode;
use std::sync::Arc;

use perf::cli::{self, Command, Options, Role};
use perf::report::{self, Progress};
use tokio_linux_sctp::message::PrPolicy;

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Run(o)) => o,
        Ok(Command::Help) => {
            print!("{}", cli::HELP);
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("sctp_perf (linux-sctp-tools) {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("sctp_perf: {e} (see sctp_perf --help)");
            return ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sctp_perf: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(o: Options) -> Result<(), String> {
    // The time driver only where a timer can be needed: the server's PR-SCTP runs wait for
    // stragglers with one. Without it a runtime reads the clock less (a system call in the
    // lab), as the runtimes of benches/ do.
    let timers = match o.role {
        Role::Server => true,
        Role::Client(_) => false,
        Role::Loopback => o.pr != PrPolicy::None,
    };
    let mut builder = match o.threads {
        1 => tokio::runtime::Builder::new_current_thread(),
        n => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(n);
            b
        }
    };
    builder.enable_io();
    if timers {
        builder.enable_time();
    }
    let runtime = builder.build().map_err(|e| format!("tokio runtime: {e}"))?;
    let o = Arc::new(o);
    runtime.block_on(async {
        let peers = match &o.role {
            Role::Server => {
                let listening = perf::server::listen(&o, perf::net::server_socket(&o)?)?;
                return perf::server::serve(Arc::clone(&o), listening).await;
            }
            Role::Client(peers) => peers.clone(),
            Role::Loopback => {
                // The server half: on 127.0.0.1, a task of this runtime.
                let mut server = (*o).clone();
                server.bind = vec![Ipv4Addr::LOCALHOST.into()];
                let socket = perf::net::server_socket(&server)?;
                let port = socket
                    .local_addr()
                    .map_err(|e| format!("the loopback server's address: {e}"))?
                    .port();
                let listening = perf::server::listen(&server, socket)?;
                tokio::spawn(perf::server::serve(Arc::new(server), listening));
                let mut client = (*o).clone();
                client.port = port;
                return measure(Arc::new(client), &[Ipv4Addr::LOCALHOST.into()]).await;
            }
        };
        measure(Arc::clone(&o), &peers).await
    })
}

/// The client: measures, then prints the table or the JSON document.
async fn measure(o: Arc<Options>, peers: &[IpAddr]) -> Result<(), String> {
    let progress = if o.json {
        Progress::with(false)
    } else {
        Progress::new()
    };
    let r = perf::client::run(Arc::clone(&o), peers, Arc::clone(&progress)).await;
    progress.finish();
    let results = r?;
    if o.json {
        println!("{}", report::json(&o, &results));
    } else {
        print!("{}", report::table(&o, &results));
    }
    Ok(())
}
