//! Throughput: one-way messages of 64 B, 1 KiB and 16 KiB, sender and receiver in one process.
//!
//! `cargo bench -p benches --bench throughput` (see the `benches` crate docs for the knobs).

use benches::cases::{effective_buffers, Impl, Throughput};
use benches::harness::{self, Plan};
use benches::syscalls::{self, Steady};
use benches::{syscall_n, verdict, MSG_SLACK};

/// Message sizes and the messages per timing sample for each (sized for the lab, where a
/// syscall costs ~60 us).
const SIZES: [(usize, u64); 3] = [(64, 1000), (1024, 1000), (16 << 10, 300)];

fn main() {
    let Some(mode) = benches::start(|imp, size| Throughput::new(imp, size.expect("--size BYTES")))
    else {
        return;
    };
    println!("throughput: one-way SCTP messages on 127.0.0.1, SCTP_NODELAY, sender and receiver in one process");
    match effective_buffers() {
        Ok((snd, rcv)) => println!(
            "buffers (effective, kernel-doubled): SO_SNDBUF {} KiB, SO_RCVBUF {} KiB",
            snd >> 10,
            rcv >> 10
        ),
        Err(e) => println!("buffers: cannot read ({e})"),
    }
    println!("machine: {}", harness::machine());
    mode.print(timing, syscall_table, instruction_table);
}

fn instruction_table() {
    println!();
    let Some(valgrind) = syscalls::valgrind_or_skip() else {
        return;
    };
    let n = syscall_n(200);
    println!(
        "user-space instructions per message (sender + receiver, all threads): callgrind, (2N - N) / N with N = {n}"
    );
    println!(
        "{:>7} {:<32} {:>12} {:>14}",
        "size", "implementation", "instr/msg", "ratio vs base"
    );
    let imps = Impl::selected_with_batch();
    for (size, _) in SIZES {
        let size_arg = size.to_string();
        let prefix = format!("{:>7} ", size_label(size));
        syscalls::instruction_rows(&valgrind, &imps, &["--size", &size_arg], n, &prefix);
    }
}

fn timing() {
    let imps = Impl::selected_with_batch();
    println!();
    println!(
        "{:>7} {:<32} {:>12} {:>10} {:>12} {:>14}",
        "size", "implementation", "median msg/s", "MB/s", "median us/msg", "ratio vs base"
    );
    for (size, ops) in SIZES {
        let plan = Plan {
            warmup: 1,
            samples: 5,
            ops,
        }
        .scaled();
        let mut cases: Vec<Throughput> = imps.iter().map(|i| Throughput::new(*i, size)).collect();
        let results = harness::measure(&mut cases, plan);
        let base = 1e9 / results[0].median();
        for (imp, s) in imps.iter().zip(&results) {
            let rate = 1e9 / s.median();
            println!(
                "{:>7} {:<32} {:>12.0} {:>10.2} {:>12} {:>13.2}x",
                size_label(size),
                imp.label(),
                rate,
                rate * size as f64 / 1e6,
                harness::us(s.median()),
                rate / base
            );
        }
    }
    println!(
        "(samples of {} / {} / {} messages, 5 after 1 warm-up, cases interleaved; ratio = msg/s / the baseline's, higher is better)",
        SIZES[0].1, SIZES[1].1, SIZES[2].1
    );
}

fn size_label(size: usize) -> String {
    if size >= 1024 {
        format!("{} KiB", size >> 10)
    } else {
        format!("{size} B")
    }
}

fn syscall_table() {
    let imps = Impl::selected_with_batch();
    println!();
    let Some(strace) = syscalls::strace_or_skip() else {
        return;
    };
    let n = syscall_n(200);
    println!(
        "syscalls per message: steady state, (count of 2N - count of N) / N with N = {n} messages, strace -f -c (all threads)"
    );
    println!("budget for tokio-linux-sctp: 1 sendmsg per sent message (EAGAIN aside) and 1 recvmsg per received message;");
    println!(
        "  batch({}): sendmmsg and recvmmsg (counted in the same columns) well below 1 per message",
        benches::cases::BATCH
    );
    println!(
        "{:>7} {:<32} {:>11} {:>7} {:>11} {:>7} {:>9} {:>9} {:>9} {:>10}  {:<6} {:>9}  other/msg",
        "size",
        "implementation",
        "sendmsg/msg",
        "EAGAIN",
        "recvmsg/msg",
        "EAGAIN",
        "epoll/msg",
        "futex/msg",
        "total/msg",
        "allocs/msg",
        "budget",
        "clock/msg"
    );
    for (size, _) in SIZES {
        let size_arg = size.to_string();
        for &imp in &imps {
            match syscalls::steady(&strace, &["--size", &size_arg], imp.key(), n) {
                Ok(s) => print_row(size, imp, &s),
                Err(e) => println!("{:>7} {:<32} failed: {e}", size_label(size), imp.label()),
            }
        }
    }
    println!("  EAGAIN columns: calls per message that failed with EAGAIN, included in the column before them; a");
    println!("    non-blocking sender meets a full send buffer where the blocking baseline sleeps in sendmsg instead");
    println!("  clock/msg = clock_gettime: tokio's busy-time metric; vDSO on real Linux, a syscall only in user-mode");
    println!("    Linux, so left out of total/msg");
}

fn print_row(size: usize, imp: Impl, s: &Steady) {
    // sendmmsg/recvmmsg count as sendmsg/recvmsg calls: one syscall either way.
    let send = s.per_op("sendmsg") + s.per_op("sendmmsg");
    let send_err = s.errors_per_op("sendmsg") + s.errors_per_op("sendmmsg");
    let recv = s.per_op("recvmsg") + s.per_op("recvmmsg");
    let recv_err = s.errors_per_op("recvmsg") + s.errors_per_op("recvmmsg");
    let send_ok = send - send_err;
    let budget = match imp {
        Impl::Raw => "-",
        // A batch of 32 costs 1/32 per message when it is full; half of that is the bar.
        Impl::TokioBatch => verdict(send_ok <= 0.5 && recv <= 0.5),
        _ => verdict(send_ok <= 1.0 && recv <= 1.0 + MSG_SLACK),
    };
    println!(
        "{:>7} {:<32} {:>11.2} {:>7.2} {:>11.2} {:>7.2} {:>9.2} {:>9.2} {:>9.2} {:>10.2}  {:<6} {:>9.2}  {}",
        size_label(size),
        imp.label(),
        send,
        send_err,
        recv,
        recv_err,
        s.epoll_per_op(),
        s.per_op("futex"),
        s.total_per_op(),
        s.allocs_per_op(),
        budget,
        s.vdso_per_op(),
        s.others(&[
            "sendmsg",
            "recvmsg",
            "sendmmsg",
            "recvmmsg",
            "epoll_wait",
            "epoll_pwait",
            "futex"
        ])
    );
}
