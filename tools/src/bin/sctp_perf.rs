//! `sctp_perf`: SCTP throughput and latency, client and server (see `sctp_perf --help` and
//! tools/PERF.md).

#[path = "../perf/mod.rs"]
mod perf;

use std::process::ExitCode;
use std::sync::Arc;

use perf::cli::{self, Command, Options, Role};
use perf::report::{self, Progress};

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
    let runtime = match o.threads {
        1 => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        n => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(n)
            .enable_all()
            .build(),
    }
    .map_err(|e| format!("tokio runtime: {e}"))?;
    let o = Arc::new(o);
    runtime.block_on(async {
        match &o.role {
            Role::Server => perf::server::run(Arc::clone(&o)).await,
            Role::Client(peers) => {
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
        }
    })
}
