//! Benchmarks of tokio-linux-sctp against C libsctp, raw libc and oxirush-sctp, run in one
//! process and one lab boot, with instruction, syscall, allocation and T3-stall accounting.
//!
//! `cargo bench -p benches` runs three `harness = false` benchmarks: `pingpong`, `throughput`
//! (stream and batch tables) and `one_to_many`. Each table ([`report::Table`]) times every
//! implementation (samples interleaved), then re-executes the benchmark as a child under
//! `strace -f -c` and under callgrind for `N` and `2N` operations (the difference cancels
//! set-up), and prints one row per implementation with ratios against the C baseline.
//!
//! Environment:
//!
//! | variable | effect |
//! |---|---|
//! | `BENCH_SYSCALLS` | unset: timing and syscalls; `1`: syscalls only; `0`: timing only |
//! | `BENCH_INSTRUCTIONS` | unset or `1`: count instructions with callgrind (where valgrind is found); `0`: don't |
//! | `BENCH_CASES` | comma-separated cases besides the baseline (keys in [`cases`]) |
//! | `BENCH_SNDBUF`, `BENCH_RCVBUF` | requested buffer sizes in bytes (defaults 256 KiB, 4 MiB) |
//! | `BENCH_SCENARIOS`, `BENCH_SIZES` | `throughput` only: the tables to run (`stream`, `batch`; `64`, `1024`, `16384`) |
//! | `BENCH_VERBOSE` | print every timing sample on stderr, and each row's `/proc/net/sctp/snmp` changes |
//! | `BENCH_SCALE` | multiplies the operations per timing sample (default 1, sized for the lab) |
//! | `BENCH_SYSCALL_N` | `N` of the strace and callgrind runs (default 100 round trips / 200 messages) |
//! | `BENCH_TIMEOUT` | seconds before the watchdog ends a hung run (default 300) |
//! | `STRACE`, `VALGRIND` | the tools (default: found on `PATH`) |

pub mod cases;
pub mod harness;
pub mod kstats;
pub mod peers;
pub mod raw;
pub mod report;
pub mod syscalls;

use std::time::Duration;

use cases::{Impl, Scenario};
use harness::Case;

/// What the benchmark binary was asked to do.
#[derive(Clone, Debug, Default)]
pub struct Args {
    /// `--inner CASE N`: set up `CASE`, run `N` operations, print `allocs=` and exit (the
    /// child traced by strace).
    pub inner: Option<(Impl, u64)>,
    /// `--size BYTES`: message size of an inner run.
    pub size: Option<usize>,
    /// `--scenario NAME`: what an inner run does.
    pub scenario: Option<Scenario>,
}

impl Args {
    /// Parses `std::env::args`, ignoring what cargo adds (`--bench`) and anything unknown.
    ///
    /// # Panics
    ///
    /// On a malformed `--inner`, `--scenario` or `--size`.
    pub fn from_env() -> Args {
        let mut args = Args::default();
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            match a.as_str() {
                "--inner" => {
                    let case = it.next().expect("--inner CASE N");
                    let imp =
                        Impl::from_key(&case).unwrap_or_else(|| panic!("unknown case {case:?}"));
                    let n = it
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("--inner CASE N: N must be a number");
                    args.inner = Some((imp, n));
                }
                "--scenario" => {
                    let key = it.next().expect("--scenario NAME");
                    args.scenario = Some(
                        Scenario::from_key(&key)
                            .unwrap_or_else(|| panic!("unknown scenario {key:?}")),
                    );
                }
                "--size" => {
                    args.size = Some(
                        it.next()
                            .and_then(|n| n.parse().ok())
                            .expect("--size BYTES"),
                    );
                }
                _ => {}
            }
        }
        args
    }
}

/// Which tables to print (`BENCH_SYSCALLS`, `BENCH_INSTRUCTIONS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    /// Print the timing table.
    pub timing: bool,
    /// Print the syscall table.
    pub syscalls: bool,
    /// Print the instruction table.
    pub instructions: bool,
}

impl Mode {
    /// Reads `BENCH_SYSCALLS` (unset: timing and syscalls; `1`: syscalls only; `0`: timing
    /// only) and `BENCH_INSTRUCTIONS` (`0`: no callgrind counts; else counted where valgrind
    /// is found).
    pub fn from_env() -> Mode {
        let (timing, syscalls) = match std::env::var("BENCH_SYSCALLS").as_deref() {
            Ok("1") => (false, true),
            Ok("0") => (true, false),
            _ => (true, true),
        };
        let instructions = std::env::var("BENCH_INSTRUCTIONS").as_deref() != Ok("0");
        Mode {
            timing,
            syscalls,
            instructions,
        }
    }
}

/// The `N` of the syscall runs: `BENCH_SYSCALL_N`, or `default`.
pub fn syscall_n(default: u64) -> u64 {
    std::env::var("BENCH_SYSCALL_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(default)
}

/// Whether the comma-separated list in the environment variable `var` names `item` (an unset
/// variable allows everything): `BENCH_SCENARIOS=batch`, `BENCH_SIZES=64,1024`.
pub fn env_list_allows(var: &str, item: &str) -> bool {
    match std::env::var(var) {
        Ok(list) => list.split(',').map(str::trim).any(|x| x == item),
        Err(_) => true,
    }
}

/// The child side of syscall accounting: runs `n` operations of an already set-up case and
/// prints the allocations they made as `allocs=COUNT`.
pub fn inner_run(case: &mut dyn Case, n: u64) {
    let before = syscalls::allocations();
    case.run(n);
    let after = syscalls::allocations();
    println!("allocs={}", after - before);
}

/// The start of a benchmark binary. As the child of a syscall or instruction count
/// (`--inner CASE N --scenario S --size B`) it sets up that case, runs `N` operations through
/// [`inner_run`] and returns `None`: the binary ends there. Otherwise it starts the watchdog
/// and returns the tables to print.
///
/// # Panics
///
/// When a child run lacks `--scenario` or `--size`.
pub fn start() -> Option<Mode> {
    let args = Args::from_env();
    if let Some((imp, n)) = args.inner {
        let scenario = args.scenario.expect("--inner needs --scenario");
        let size = args.size.expect("--inner needs --size");
        inner_run(&mut *imp.build(scenario, size), n);
        return None;
    }
    start_watchdog();
    Some(Mode::from_env())
}

/// Prints the header lines every benchmark starts with: the machine and the buffers.
pub fn print_header(what: &str) {
    println!("{what}");
    println!("machine: {}", harness::machine());
    match cases::effective_buffers() {
        Ok((snd, rcv)) => println!(
            "sockets: one-to-one on 127.0.0.1, SCTP_NODELAY, SO_SNDBUF {} KiB, SO_RCVBUF {} KiB (effective, kernel-doubled)",
            snd >> 10,
            rcv >> 10
        ),
        Err(e) => println!("buffers: cannot read ({e})"),
    }
}

/// Starts the watchdog with the default limit (see [`harness::watchdog`]).
pub fn start_watchdog() {
    harness::watchdog(Duration::from_secs(300));
}

/// Slack on a per-round-trip syscall budget for the runtime's periodic housekeeping (tokio
/// polls its I/O driver without blocking every few dozen scheduler ticks: about 0.02 per
/// round trip on `multi_thread`). A real regression costs far more: one syscall more per
/// message is +2 per round trip.
pub const SLACK: f64 = 0.05;

/// Slack on the per-message `recvmsg` count: a readiness event can rarely be stale (an edge
/// for data already read, raised by a write-space wake-up), costing one `recvmsg` that gets
/// `EAGAIN`; seen about once per 200 messages on `multi_thread`. A regression (one more
/// `recvmsg` per message) is +1.
pub const MSG_SLACK: f64 = 0.01;

/// `PASS` or `OVER` for a measured value against its budget.
pub fn verdict(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "OVER"
    }
}
