//! One-to-many: the resident memory of one `SctpEndpoint` holding 1,000 associations, and the
//! per-message cost of `SctpEndpoint` `recv`/`send` with 100 active associations next to one
//! one-to-one association.
//!
//! `cargo bench -p benches --bench one_to_many` (see the `benches` crate docs for the knobs).

use std::net::SocketAddr;

use benches::cases::{buffers, Scenario};
use benches::peers::endpoint::{endpoint, raise_nofile, rss_kib};
use benches::raw::RawSocket;
use benches::report::Table;

/// Associations of the memory case.
const MANY: usize = 1000;
/// The goal for the whole process with [`MANY`] associations (issue 7).
const RSS_GOAL_KIB: u64 = 8 << 10;

fn main() {
    let Some(mode) = benches::start() else {
        return;
    };
    benches::print_header("one-to-many: SctpEndpoint with many associations");
    if mode.timing {
        memory();
    }
    for scenario in [Scenario::FanIn, Scenario::FanOut] {
        Table {
            scenario,
            size: 64,
            ops: 1000,
            n: 200,
        }
        .run(mode);
    }
}

/// 1,000 blocking one-to-one clients (kernel sockets only: no user-space memory of their own)
/// connect to one endpoint and send it one 64-byte message each; the endpoint receives them
/// all. Prints the process's resident memory before the endpoint and after.
fn memory() {
    raise_nofile();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let before = rss_kib();
    let ep = rt.block_on(async { endpoint() });
    let SocketAddr::V4(addr) = ep.local_addr().expect("local_addr") else {
        unreachable!("bound to 127.0.0.1")
    };
    let data = [7u8; 64];
    let mut clients = Vec::with_capacity(MANY);
    for i in 0..MANY {
        let c = RawSocket::connect(addr, buffers())
            .unwrap_or_else(|e| panic!("client {i}: connect: {e}"));
        c.send(&data, 1, 7).expect("client send");
        clients.push(c);
    }
    let assocs = rt.block_on(async {
        let mut ids = std::collections::BTreeSet::new();
        for _ in 0..MANY {
            let (msg, info) = ep.recv().await.expect("endpoint recv");
            assert_eq!(msg.len(), 64);
            ids.insert(info.assoc_id);
        }
        ids.len()
    });
    let after = rss_kib();
    println!();
    println!("memory: one SctpEndpoint with {assocs} associations, each of which sent it one 64-byte message");
    println!(
        "  process RSS: {before} KiB before the endpoint, {after} KiB after ({} KiB more, {:.2} KiB per association); goal <= {} KiB: {}",
        after.saturating_sub(before),
        after.saturating_sub(before) as f64 / assocs.max(1) as f64,
        RSS_GOAL_KIB,
        if after <= RSS_GOAL_KIB { "PASS" } else { "OVER" }
    );
    drop(clients);
}
