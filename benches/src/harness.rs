//! A small timing harness: warm-up, interleaved samples, median/mean, and a watchdog.
//!
//! Every case runs a fixed number of operations per sample, so each loop ends by itself. The
//! samples of all cases are interleaved (baseline, case 2, case 3, baseline, ...) so a slow
//! phase of the machine hits every case alike and the ratios stay fair.

use std::time::{Duration, Instant};

use crate::kstats::{self, Snmp};

/// One benchmarked implementation: a set-up connection that performs `n` operations on demand.
pub trait Case {
    /// Performs exactly `n` operations (round trips, or messages sent and received).
    fn run(&mut self, n: u64);
}

/// How many samples to take and how large they are.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Samples thrown away before measuring.
    pub warmup: usize,
    /// Samples measured.
    pub samples: usize,
    /// Operations per sample.
    pub ops: u64,
}

impl Plan {
    /// Scales `ops` by the `BENCH_SCALE` environment variable (a positive float, default 1),
    /// so a native run (syscalls 50x cheaper than in the lab) can ask for more work.
    pub fn scaled(self) -> Plan {
        let scale = std::env::var("BENCH_SCALE")
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| *s > 0.0)
            .unwrap_or(1.0);
        Plan {
            ops: ((self.ops as f64 * scale).round() as u64).max(1),
            ..self
        }
    }
}

/// The measured time per operation of one case, one entry per sample, and the kernel's SCTP
/// counters that moved while its samples ran (warm-up included).
#[derive(Clone, Debug, Default)]
pub struct Samples {
    /// Nanoseconds per operation, in the order measured.
    pub ns_per_op: Vec<f64>,
    /// `/proc/net/sctp/snmp` differences summed over this case's runs (see [`kstats`]).
    pub snmp: Snmp,
}

impl Samples {
    /// Median nanoseconds per operation (0 without samples).
    pub fn median(&self) -> f64 {
        let mut v = self.ns_per_op.clone();
        if v.is_empty() {
            return 0.0;
        }
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        if v.len() % 2 == 1 {
            v[mid]
        } else {
            (v[mid - 1] + v[mid]) / 2.0
        }
    }

    /// Mean nanoseconds per operation (0 without samples).
    pub fn mean(&self) -> f64 {
        if self.ns_per_op.is_empty() {
            return 0.0;
        }
        self.ns_per_op.iter().sum::<f64>() / self.ns_per_op.len() as f64
    }

    /// Fastest sample, nanoseconds per operation.
    pub fn min(&self) -> f64 {
        self.ns_per_op.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Runs `plan.warmup` + `plan.samples` rounds; in each round every case performs `plan.ops`
/// operations, one case after the other. Returns one [`Samples`] per case, in order, with the
/// SCTP counters read before and after each run ([`kstats`]; outside the timed span).
pub fn measure<C: Case + ?Sized>(cases: &mut [Box<C>], plan: Plan) -> Vec<Samples> {
    let mut out = vec![Samples::default(); cases.len()];
    let verbose = std::env::var_os("BENCH_VERBOSE").is_some();
    for round in 0..plan.warmup + plan.samples {
        for (case, samples) in cases.iter_mut().zip(out.iter_mut()) {
            let before = Snmp::read();
            let start = Instant::now();
            case.run(plan.ops);
            let elapsed = start.elapsed();
            if let (Some(b), Some(a)) = (before, Snmp::read()) {
                samples.snmp.add(&a.since(&b));
            }
            if verbose {
                eprintln!(
                    "round {round}: {:.1} us/op",
                    elapsed.as_nanos() as f64 / plan.ops as f64 / 1e3
                );
            }
            if round >= plan.warmup {
                samples
                    .ns_per_op
                    .push(elapsed.as_nanos() as f64 / plan.ops as f64);
            }
        }
    }
    out
}

impl<C: Case + ?Sized> Case for Box<C> {
    fn run(&mut self, n: u64) {
        (**self).run(n);
    }
}

/// T3-rtx stalls a case met ([`kstats::T3_EXPIRED`]).
impl Samples {
    /// Retransmission-timer expiries during this case's runs.
    pub fn t3_stalls(&self) -> u64 {
        self.snmp.get(kstats::T3_EXPIRED)
    }
}

/// Ends the process with status 2 if it is still running after `limit` (`BENCH_TIMEOUT`
/// seconds overrides it): a benchmark that deadlocks must not hang a CI job or the lab.
pub fn watchdog(limit: Duration) {
    let limit = std::env::var("BENCH_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(limit);
    std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || {
            std::thread::sleep(limit);
            eprintln!("benchmark still running after {limit:?}: giving up (BENCH_TIMEOUT)");
            std::process::exit(2);
        })
        .expect("spawn the watchdog thread");
}

/// Formats nanoseconds as microseconds with one decimal.
pub fn us(ns: f64) -> String {
    format!("{:.1}", ns / 1000.0)
}

/// A one-line description of the machine: kernel release and CPU count, plus whether this is
/// the user-mode Linux lab (where every syscall costs tens of microseconds).
pub fn machine() -> String {
    // SAFETY: utsname is plain data (all-zero valid); uname fills it.
    let mut uts: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: &mut uts points to a writable utsname.
    let ok = unsafe { libc::uname(&mut uts) } == 0;
    let field = |f: &[libc::c_char]| -> String {
        let bytes: Vec<u8> = f
            .iter()
            .take_while(|c| **c != 0)
            .map(|c| *c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    let (release, machine) = if ok {
        (field(&uts.release), field(&uts.machine))
    } else {
        ("?".into(), "?".into())
    };
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let uml = std::fs::read_to_string("/proc/cpuinfo")
        .map(|c| c.contains("User Mode Linux"))
        .unwrap_or(false);
    let lab = if uml {
        " (user-mode Linux lab: syscalls cost ~60 us, compare ratios and counts, not absolute times)"
    } else {
        ""
    };
    format!("Linux {release} {machine}, {cpus} CPU{lab}")
}
