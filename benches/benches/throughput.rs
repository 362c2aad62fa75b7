//! Throughput: one-way messages of 64 B, 1 KiB and 16 KiB, one per call (stream) and
//! [`BATCH`](benches::cases::BATCH) per call (batch), sender and receiver in one process.
//!
//! `cargo bench -p benches --bench throughput` (see the `benches` crate docs for the knobs).

use benches::cases::Scenario;
use benches::report::Table;

/// Message sizes and the messages per timing sample for each (sized for the lab, where a
/// syscall costs ~60 us).
const SIZES: [(usize, u64); 3] = [(64, 1000), (1024, 1000), (16 << 10, 300)];

fn main() {
    let Some(mode) = benches::start() else {
        return;
    };
    benches::print_header("throughput: one-way SCTP messages, sender and receiver in one process");
    for scenario in [Scenario::Stream, Scenario::Batch] {
        if !benches::env_list_allows("BENCH_SCENARIOS", scenario.key()) {
            continue;
        }
        for (size, ops) in SIZES {
            if !benches::env_list_allows("BENCH_SIZES", &size.to_string()) {
                continue;
            }
            Table {
                scenario,
                size,
                ops,
                n: 200,
            }
            .run(mode);
        }
    }
}
