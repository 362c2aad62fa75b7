//! Ping-pong: 64-byte request/response round trips, client and server in one process.
//!
//! `cargo bench -p benches --bench pingpong` (see the `benches` crate docs for the knobs).

use benches::cases::{Impl, PingPong};
use benches::harness::{self, Plan};
use benches::syscalls::{self, Steady};
use benches::{syscall_n, verdict, MSG_SLACK, SLACK};

/// Request and response size.
const SIZE: usize = 64;

/// Budget: syscalls per round trip (both sides) for tokio-linux-sctp.
const BUDGET_PER_RT: f64 = 6.0;

fn main() {
    let Some(mode) = benches::start(|imp, size| PingPong::new(imp, size.unwrap_or(SIZE))) else {
        return;
    };
    println!("ping-pong: {SIZE}-byte request/response over SCTP on 127.0.0.1, client and server in one process");
    println!("machine: {}", harness::machine());
    mode.print(timing, syscall_table, instruction_table);
}

fn instruction_table() {
    println!();
    let Some(valgrind) = syscalls::valgrind_or_skip() else {
        return;
    };
    let n = syscall_n(100);
    println!(
        "user-space instructions per round trip (both sides, all threads): callgrind, (2N - N) / N with N = {n}"
    );
    println!(
        "{:<32} {:>12} {:>14}",
        "implementation", "instr/rt", "ratio vs base"
    );
    syscalls::instruction_rows(&valgrind, &Impl::selected(), &[], n, "");
}

fn timing() {
    let imps = Impl::selected();
    let plan = Plan {
        warmup: 1,
        samples: 7,
        ops: 300,
    }
    .scaled();
    let mut cases: Vec<PingPong> = imps.iter().map(|i| PingPong::new(*i, SIZE)).collect();
    let results = harness::measure(&mut cases, plan);
    println!();
    println!(
        "timing: {} round trips per sample, {} samples after {} warm-up, cases interleaved",
        plan.ops, plan.samples, plan.warmup
    );
    println!(
        "{:<32} {:>12} {:>12} {:>12} {:>10} {:>14}",
        "implementation", "median us/rt", "mean us/rt", "min us/rt", "rt/s", "ratio vs base"
    );
    let base = results[0].median();
    for (imp, s) in imps.iter().zip(&results) {
        println!(
            "{:<32} {:>12} {:>12} {:>12} {:>10.0} {:>13.2}x",
            imp.label(),
            harness::us(s.median()),
            harness::us(s.mean()),
            harness::us(s.min()),
            1e9 / s.median(),
            s.median() / base
        );
    }
    println!("(ratio = median time per round trip / the baseline's; lower is better)");
}

fn syscall_table() {
    let imps = Impl::selected();
    println!();
    let Some(strace) = syscalls::strace_or_skip() else {
        return;
    };
    let n = syscall_n(100);
    println!(
        "syscalls per round trip: steady state, (count of 2N - count of N) / N with N = {n}, strace -f -c (all threads)"
    );
    println!(
        "budget for tokio-linux-sctp: <= {BUDGET_PER_RT} I/O syscalls per round trip (both sides), 1 sendmsg + 1 recvmsg per message"
    );
    println!(
        "{:<32} {:>11} {:>11} {:>10} {:>13} {:>8} {:>8} {:>8} {:>10}  {:<6} {:>8}  other/rt",
        "implementation",
        "sendmsg/msg",
        "recvmsg/msg",
        "EAGAIN/msg",
        "epoll_wait/rt",
        "futex/rt",
        "io/rt",
        "total/rt",
        "allocs/msg",
        "budget",
        "clock/rt"
    );
    for &imp in &imps {
        match syscalls::steady(&strace, &[], imp.key(), n) {
            Ok(s) => print_row(imp, &s),
            Err(e) => println!("{:<32} failed: {e}", imp.label()),
        }
    }
    println!("  a round trip is 2 messages (request, response); EAGAIN/msg = recvmsg calls per message that failed");
    println!("  io/rt = total/rt minus futex. budget: current_thread PASS if io/rt <= {BUDGET_PER_RT} (+ {SLACK} slack for the");
    println!("    runtime's periodic driver polls) and 1 sendmsg + 1 recvmsg (+ {MSG_SLACK}) per message; multi_thread: the per-message");
    println!("    counts only, since its epoll_wait/futex follow tokio's hand-offs between the main thread (client in");
    println!("    block_on) and the worker thread (server task)");
    println!("  clock/rt = clock_gettime: tokio's busy-time metric; vDSO on real Linux (no syscall), a syscall only in");
    println!("    user-mode Linux, so left out of io/rt and total/rt");
}

fn print_row(imp: Impl, s: &Steady) {
    // Two messages per round trip.
    let send = s.per_op("sendmsg") / 2.0;
    let recv = s.per_op("recvmsg") / 2.0;
    let total = s.total_per_op();
    let futex = s.per_op("futex");
    let io = total - futex;
    let per_message = send <= 1.0 && recv <= 1.0 + MSG_SLACK;
    let budget = match imp {
        Impl::Raw => "-",
        // The budget is defined on one thread: both sides, nothing else running.
        // The batch case runs ping-pong as current_thread (one message at a time).
        Impl::TokioCurrent | Impl::TokioBatch => {
            verdict(per_message && io <= BUDGET_PER_RT + SLACK)
        }
        // With two threads, epoll_wait and futex also follow tokio's hand-offs between
        // them; only the per-message counts are tokio-linux-sctp's.
        Impl::TokioMulti => verdict(per_message),
    };
    println!(
        "{:<32} {:>11.2} {:>11.2} {:>10.2} {:>13.2} {:>8.2} {:>8.2} {:>8.2} {:>10.2}  {:<6} {:>8.2}  {}",
        imp.label(),
        send,
        recv,
        s.errors_per_op("recvmsg") / 2.0,
        s.epoll_per_op(),
        futex,
        io,
        total,
        s.allocs_per_op() / 2.0,
        budget,
        s.vdso_per_op(),
        s.other_per_op()
    );
}
