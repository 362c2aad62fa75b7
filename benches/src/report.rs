//! One table per scenario: every implementation's rate (timed, interleaved samples), user-space
//! instructions (callgrind), syscalls (strace), allocations and the kernel's T3 stalls, measured
//! in one run with the same knobs, with ratios against the C libsctp baseline.

use crate::cases::{Impl, Scenario, BATCH};
use crate::harness::{self, Plan, Samples};
use crate::syscalls::{self, Steady};
use crate::{kstats, syscall_n, verdict, Mode, MSG_SLACK, SLACK};

/// One table: a scenario, a message size and how many operations a timed sample has.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// What the connection does.
    pub scenario: Scenario,
    /// Message size in bytes.
    pub size: usize,
    /// Operations per timed sample (before `BENCH_SCALE`).
    pub ops: u64,
    /// `N` of the strace and callgrind runs (before `BENCH_SYSCALL_N`).
    pub n: u64,
}

/// The measured values of one implementation.
struct Row {
    imp: Impl,
    timing: Option<Samples>,
    steady: Option<Result<Steady, String>>,
    instructions: Option<Result<f64, String>>,
}

/// `64 B`, `1 KiB`, `16 KiB`.
pub fn size_label(size: usize) -> String {
    if size >= 1024 && size.is_multiple_of(1024) {
        format!("{} KiB", size >> 10)
    } else {
        format!("{size} B")
    }
}

impl Table {
    fn title(&self) -> String {
        let size = size_label(self.size);
        match self.scenario {
            Scenario::PingPong => format!("ping-pong {size}: request/response round trips"),
            Scenario::Stream => format!("stream {size}: one-way messages, one per call"),
            Scenario::Batch => format!(
                "batch {size}: one-way messages, {BATCH} per call (the baseline: one per call)"
            ),
            Scenario::FanIn => format!(
                "fan-in {size}: {} one-to-one clients send round robin to one SctpEndpoint's recv (1:1 rows: one association)",
                crate::peers::endpoint::ASSOCS
            ),
            Scenario::FanOut => format!(
                "fan-out {size}: one SctpEndpoint sends round robin to {} associations, each read by its client (1:1 rows: one association)",
                crate::peers::endpoint::ASSOCS
            ),
        }
    }

    fn unit(&self) -> &'static str {
        match self.scenario {
            Scenario::PingPong => "rt",
            _ => "msg",
        }
    }

    /// The `--scenario S --size B` arguments of a child run.
    fn child_args(&self) -> Vec<String> {
        vec![
            "--scenario".into(),
            self.scenario.key().into(),
            "--size".into(),
            self.size.to_string(),
        ]
    }

    /// Measures every selected implementation as `mode` asks and prints the table.
    pub fn run(&self, mode: Mode) {
        let imps = self.scenario.selected();
        let mut rows: Vec<Row> = imps
            .iter()
            .map(|&imp| Row {
                imp,
                timing: None,
                steady: None,
                instructions: None,
            })
            .collect();
        let plan = Plan {
            warmup: 1,
            samples: 5,
            ops: self.ops,
        }
        .scaled();
        if mode.timing {
            let mut cases: Vec<_> = imps
                .iter()
                .map(|i| i.build(self.scenario, self.size))
                .collect();
            for (row, s) in rows.iter_mut().zip(harness::measure(&mut cases, plan)) {
                row.timing = Some(s);
            }
        }
        let n = syscall_n(self.n);
        let args = self.child_args();
        let extra: Vec<&str> = args.iter().map(String::as_str).collect();
        if mode.syscalls {
            if let Some(strace) = syscalls::strace_or_skip() {
                for row in &mut rows {
                    row.steady = Some(
                        syscalls::steady(&strace, &extra, row.imp.key(), n)
                            .map_err(|e| e.to_string()),
                    );
                }
            }
        }
        if mode.instructions {
            if let Some(valgrind) = syscalls::valgrind_or_skip() {
                for row in &mut rows {
                    row.instructions = Some(
                        syscalls::steady_instructions(&valgrind, &extra, row.imp.key(), n)
                            .map_err(|e| e.to_string()),
                    );
                }
            }
        }
        self.print(&rows, plan, n);
    }

    fn print(&self, rows: &[Row], plan: Plan, n: u64) {
        let u = self.unit();
        println!();
        println!("{}", self.title());
        println!(
            "{:<35} {:>9} {:>6} {:>9} {:>6} {:>9} {:>8} {:>4} {:>5}  {:<6} syscalls in detail (per {u})",
            "implementation",
            format!("{u}/s"),
            "x C",
            format!("instr/{u}"),
            "x C",
            format!("sysc/{u}"),
            format!("alloc/{u}"),
            "T3",
            "drops",
            "budget"
        );
        let rate = |r: &Row| r.timing.as_ref().map(|s| 1e9 / s.median());
        let instr = |r: &Row| {
            r.instructions
                .as_ref()
                .and_then(|i| i.as_ref().ok().copied())
        };
        let base_rate = rows.first().and_then(rate);
        let base_instr = rows.first().and_then(instr);
        let dash = || "-".to_string();
        for r in rows {
            let (sysc, allocs, detail, budget) = match &r.steady {
                Some(Ok(s)) => (
                    format!("{:.2}", s.total_per_op()),
                    format!("{:.2}", s.allocs_per_op()),
                    detail(s),
                    budget(r.imp, self.scenario, s),
                ),
                Some(Err(e)) => (dash(), dash(), format!("strace failed: {e}"), "-"),
                None => (dash(), dash(), String::new(), "-"),
            };
            let (t3, drops) = match &r.timing {
                Some(s) => (
                    s.t3_stalls().to_string(),
                    s.snmp.get(kstats::DATA_DISCARDS).to_string(),
                ),
                None => (dash(), dash()),
            };
            let instr_text = match &r.instructions {
                Some(Ok(i)) => format!("{i:.0}"),
                Some(Err(e)) if e.starts_with("not steady") => "unsteady".into(),
                Some(Err(_)) => "failed".into(),
                None => dash(),
            };
            let ratio = |v: Option<f64>, b: Option<f64>| match (v, b) {
                (Some(v), Some(b)) if b > 0.0 => format!("{:.2}", v / b),
                _ => dash(),
            };
            println!(
                "{:<35} {:>9} {:>6} {:>9} {:>6} {:>9} {:>8} {:>4} {:>5}  {:<6} {}",
                r.imp.label(),
                rate(r).map_or_else(dash, |v| format!("{v:.0}")),
                ratio(rate(r), base_rate),
                instr_text,
                ratio(instr(r), base_instr),
                sysc,
                allocs,
                t3,
                drops,
                budget,
                detail
            );
            if let Some(Err(e)) = &r.instructions {
                println!("    callgrind: {e}");
            }
            if let (Some(s), true) = (&r.timing, std::env::var_os("BENCH_VERBOSE").is_some()) {
                let counters: Vec<String> =
                    s.snmp.0.iter().map(|(k, v)| format!("{k} {v}")).collect();
                println!("    /proc/net/sctp/snmp: {}", counters.join(", "));
            }
        }
        println!(
            "  {}: {} samples of {} {u} after {} warm-up, cases interleaved; instr = user-space instructions, sysc = syscalls, \
             alloc = allocations, each (count of 2N - count of N) / N with N = {n}; T3 = SctpT3RtxExpireds and drops = \
             SctpInDataChunkDiscards during the timed samples",
            self.scenario.key(),
            plan.samples,
            plan.ops,
            plan.warmup
        );
    }
}

/// The per-syscall breakdown of a row: send and receive calls (sendmmsg/recvmmsg counted with
/// sendmsg/recvmsg) with their EAGAIN failures, readiness waits, futex, the vDSO clock calls
/// (syscalls only in user-mode Linux, not in the total) and anything else.
fn detail(s: &Steady) -> String {
    let per = |a: &str, b: &str| s.per_op(a) + s.per_op(b);
    let err = |a: &str, b: &str| s.errors_per_op(a) + s.errors_per_op(b);
    let mut out = format!(
        "send {:.2} (EAGAIN {:.2}) recv {:.2} (EAGAIN {:.2})",
        per("sendmsg", "sendmmsg"),
        err("sendmsg", "sendmmsg"),
        per("recvmsg", "recvmmsg"),
        err("recvmsg", "recvmmsg"),
    );
    for (name, v) in [("epoll", s.epoll_per_op()), ("futex", s.per_op("futex"))] {
        if v > 0.0 {
            out.push_str(&format!(" {name} {v:.2}"));
        }
    }
    let others = s.others(&[
        "sendmsg",
        "recvmsg",
        "sendmmsg",
        "recvmmsg",
        "epoll_wait",
        "epoll_pwait",
        "futex",
    ]);
    if others != "-" {
        out.push_str(&format!(" {others}"));
    }
    if s.vdso_per_op() > 0.0 {
        out.push_str(&format!(" [clock {:.2}]", s.vdso_per_op()));
    }
    out
}

/// The syscall budget of a tokio-linux-sctp row (`-` for the others): ping-pong on
/// `current_thread` at most 6 I/O syscalls per round trip and 1 `sendmsg` + 1 `recvmsg` per
/// message (on `multi_thread` the per-message counts only); stream 1 + 1 per message; batch
/// at most 0.5 `sendmmsg` and 0.5 `recvmmsg` per message.
fn budget(imp: Impl, scenario: Scenario, s: &Steady) -> &'static str {
    let send = s.per_op("sendmsg") + s.per_op("sendmmsg");
    let send_ok = send - s.errors_per_op("sendmsg") - s.errors_per_op("sendmmsg");
    let recv = s.per_op("recvmsg") + s.per_op("recvmmsg");
    match (imp, scenario) {
        (Impl::TokioCurrent | Impl::TokioMulti, Scenario::PingPong) => {
            // Two messages per round trip.
            let per_message = send / 2.0 <= 1.0 && recv / 2.0 <= 1.0 + MSG_SLACK;
            let io = s.total_per_op() - s.per_op("futex");
            if imp == Impl::TokioCurrent {
                verdict(per_message && io <= 6.0 + SLACK)
            } else {
                verdict(per_message)
            }
        }
        (Impl::TokioCurrent | Impl::TokioMulti, _) => {
            verdict(send_ok <= 1.0 && recv <= 1.0 + MSG_SLACK)
        }
        (Impl::TokioBatch, _) => verdict(send_ok <= 0.5 && recv <= 0.5),
        _ => "-",
    }
}
