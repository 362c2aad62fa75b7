//! Ping-pong: 64-byte request/response round trips, client and server in one process.
//!
//! `cargo bench -p benches --bench pingpong` (see the `benches` crate docs for the knobs).

use benches::cases::Scenario;
use benches::report::Table;

fn main() {
    let Some(mode) = benches::start() else {
        return;
    };
    benches::print_header(
        "ping-pong: request/response over SCTP, client and server in one process",
    );
    Table {
        scenario: Scenario::PingPong,
        size: 64,
        ops: 300,
        n: 100,
    }
    .run(mode);
}
