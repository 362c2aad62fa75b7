//! Syscall accounting with `strace -f -c`, and allocation counting.
//!
//! The benchmark binary re-executes itself under strace with `--inner CASE N`: the child sets
//! the case up, performs `N` operations and exits; strace's summary counts every syscall of
//! every thread. Doing that for `N` and `2N` operations and subtracting cancels everything
//! that does not scale with `N` (process start, runtime and socket set-up, teardown), leaving
//! exactly the cost of `N` operations in steady state.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// The system allocator, counting allocations (`alloc`, `alloc_zeroed`, `realloc`).
#[derive(Debug)]
pub struct CountingAlloc;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract holds exactly as it does for `System`; the counter has no effect on
// memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged; the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged; the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged; `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged; `ptr` came from `System` and the caller upholds
        // `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Allocations made by the whole process so far (all threads).
pub fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Calls and failed calls of each syscall, as strace's `-c` summary reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyscallCounts {
    /// Syscall name -> (calls, errors).
    pub by_name: BTreeMap<String, (u64, u64)>,
}

impl SyscallCounts {
    /// Calls of `name` (0 if it was never called).
    pub fn calls(&self, name: &str) -> u64 {
        self.by_name.get(name).map_or(0, |c| c.0)
    }

    /// Failed calls of `name`.
    pub fn errors(&self, name: &str) -> u64 {
        self.by_name.get(name).map_or(0, |c| c.1)
    }

    /// All calls.
    pub fn total(&self) -> u64 {
        self.by_name.values().map(|c| c.0).sum()
    }

    /// Per-name difference `self - base`, saturating at 0 (counts of the `2N` run minus the
    /// `N` run).
    pub fn minus(&self, base: &SyscallCounts) -> SyscallCounts {
        let by_name = self
            .by_name
            .iter()
            .map(|(name, (c, e))| {
                (
                    name.clone(),
                    (
                        c.saturating_sub(base.calls(name)),
                        e.saturating_sub(base.errors(name)),
                    ),
                )
            })
            .filter(|(_, (c, _))| *c > 0)
            .collect();
        SyscallCounts { by_name }
    }
}

/// Why a summary could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable strace summary: {}", self.0)
    }
}

impl std::error::Error for ParseError {}

/// Parses the table `strace -c` prints (columns `% time`, `seconds`, `usecs/call`, `calls`,
/// `errors` (blank when 0), `syscall`; a `total` row at the end).
///
/// # Errors
///
/// When there is no header or no `total` row, or a row does not have that shape.
pub fn parse_summary(text: &str) -> Result<SyscallCounts, ParseError> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header = lines
        .by_ref()
        .find(|l| l.contains("syscall"))
        .ok_or_else(|| ParseError("no header line".into()))?;
    if !header.contains("calls") {
        return Err(ParseError(format!("unexpected header {header:?}")));
    }
    let mut counts = SyscallCounts::default();
    let mut total = None;
    for line in lines {
        if line.starts_with('-') {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        let (calls, errors) = match cols.len() {
            5 => (cols[3], "0"),
            6 => (cols[3], cols[4]),
            _ => return Err(ParseError(format!("unexpected row {line:?}"))),
        };
        let num = |s: &str| {
            s.parse::<u64>()
                .map_err(|_| ParseError(format!("bad number {s:?} in {line:?}")))
        };
        let name = cols[cols.len() - 1];
        let entry = (num(calls)?, num(errors)?);
        if name == "total" {
            total = Some(entry.0);
        } else {
            counts.by_name.insert(name.to_string(), entry);
        }
    }
    match total {
        Some(t) if t == counts.total() => Ok(counts),
        Some(t) => Err(ParseError(format!(
            "total row says {t} calls, rows add up to {}",
            counts.total()
        ))),
        None => Err(ParseError("no total row".into())),
    }
}

/// The strace binary: `STRACE` if set, else `strace` found on `PATH`.
pub fn strace_path() -> Option<PathBuf> {
    tool_path("STRACE", "strace")
}

/// The valgrind binary: `VALGRIND` if set, else `valgrind` found on `PATH`.
pub fn valgrind_path() -> Option<PathBuf> {
    tool_path("VALGRIND", "valgrind")
}

/// [`strace_path`], or `None` after printing that the syscall table is skipped.
pub fn strace_or_skip() -> Option<PathBuf> {
    found_or_skip(
        strace_path(),
        "syscalls: strace not found (install it or set STRACE): accounting skipped",
    )
}

/// [`valgrind_path`], or `None` after printing that the instruction table is skipped.
pub fn valgrind_or_skip() -> Option<PathBuf> {
    found_or_skip(
        valgrind_path(),
        "instructions: valgrind not found (install it or set VALGRIND): skipped",
    )
}

fn found_or_skip(path: Option<PathBuf>, skipped: &str) -> Option<PathBuf> {
    if path.is_none() {
        println!("{skipped}");
    }
    path
}

fn tool_path(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Reads the instruction count from a callgrind output file (its `summary:` line).
///
/// # Errors
///
/// When there is no `summary:` line with a number.
pub fn parse_callgrind(text: &str) -> Result<u64, ParseError> {
    text.lines()
        .find_map(|l| l.strip_prefix("summary:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| ParseError("no `summary:` line in the callgrind output".into()))
}

/// User-space instructions (all threads) of this executable run with `args` under
/// `valgrind --tool=callgrind`.
///
/// # Errors
///
/// When valgrind cannot run, the child fails, or the output is unreadable.
pub fn callgrind_self(valgrind: &std::path::Path, args: &[String]) -> io::Result<u64> {
    let exe = std::env::current_exe()?;
    let out_file = std::env::temp_dir().join(format!(
        "sctp-bench-callgrind-{}-{}.out",
        std::process::id(),
        args.join("-").replace('/', "_")
    ));
    let output = Command::new(valgrind)
        .arg("--tool=callgrind")
        .arg("-q")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(&exe)
        .args(args)
        .output()?;
    let text = std::fs::read_to_string(&out_file);
    let _ = std::fs::remove_file(&out_file);
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "{} {:?} under callgrind failed ({}): {}",
            exe.display(),
            args,
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    parse_callgrind(&text?).map_err(io::Error::other)
}

/// User-space instructions per operation in steady state: callgrind around `--inner CASE N`
/// and `--inner CASE 2N`, difference divided by `N`.
///
/// # Errors
///
/// As [`callgrind_self`].
pub fn steady_instructions(
    valgrind: &std::path::Path,
    extra: &[&str],
    case: &str,
    n: u64,
) -> io::Result<f64> {
    let args = |k: u64| -> Vec<String> {
        let mut a: Vec<String> = vec!["--inner".into(), case.into(), k.to_string()];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let one = callgrind_self(valgrind, &args(n))?;
    let two = callgrind_self(valgrind, &args(2 * n))?;
    if two <= one {
        // Two blocking threads under valgrind's serialised scheduling can split the work
        // differently from one run to the next (batch sizes of recvmmsg).
        return Err(io::Error::other(format!(
            "not steady: {two} instructions for 2N, {one} for N"
        )));
    }
    Ok((two - one) as f64 / n as f64)
}

/// Syscalls that the vDSO answers on native Linux (no kernel entry, invisible to strace) but
/// that user-mode Linux runs as real syscalls: the lab counts them, a real machine does not.
/// tokio reads the clock twice per scheduler batch for its busy-time metric.
pub const VDSO: &[&str] = &[
    "clock_gettime",
    "clock_gettime64",
    "gettimeofday",
    "time",
    "getcpu",
];

/// What one child run under strace produced.
#[derive(Clone, Debug)]
pub struct Traced {
    /// strace's counts for the whole child (all threads).
    pub counts: SyscallCounts,
    /// The child's own report on stdout (for example `allocs=123`), one `key=value` per line.
    pub report: BTreeMap<String, u64>,
}

/// Runs this executable under `strace -f -c` with `args` and returns the summary and the
/// child's `key=value` report lines.
///
/// # Errors
///
/// When strace cannot run, the child fails, or the summary is unreadable.
pub fn trace_self(strace: &std::path::Path, args: &[String]) -> io::Result<Traced> {
    let exe = std::env::current_exe()?;
    let out_file = std::env::temp_dir().join(format!(
        "sctp-bench-strace-{}-{}.txt",
        std::process::id(),
        args.join("-").replace('/', "_")
    ));
    let output = Command::new(strace)
        .arg("-f")
        .arg("-c")
        .arg("-qq")
        .arg("-o")
        .arg(&out_file)
        .arg("--")
        .arg(&exe)
        .args(args)
        .output()?;
    let summary = std::fs::read_to_string(&out_file);
    let _ = std::fs::remove_file(&out_file);
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "{} {:?} under strace failed ({}): {}",
            exe.display(),
            args,
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let counts = parse_summary(&summary?).map_err(io::Error::other)?;
    let report = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once('=')?;
            Some((k.trim().to_string(), v.trim().parse().ok()?))
        })
        .collect();
    Ok(Traced { counts, report })
}

/// The steady-state cost of `n` operations: the `2n` run minus the `n` run.
#[derive(Clone, Debug)]
pub struct Steady {
    /// Operations the difference stands for.
    pub n: u64,
    /// Syscalls of those `n` operations.
    pub counts: SyscallCounts,
    /// Allocations of those `n` operations (from the child's `allocs=` report).
    pub allocs: u64,
}

impl Steady {
    /// Calls of `name` per operation.
    pub fn per_op(&self, name: &str) -> f64 {
        self.counts.calls(name) as f64 / self.n as f64
    }

    /// Failed calls of `name` per operation.
    pub fn errors_per_op(&self, name: &str) -> f64 {
        self.counts.errors(name) as f64 / self.n as f64
    }

    /// Syscalls per operation, without the [`VDSO`] calls (kernel entries on real Linux).
    pub fn total_per_op(&self) -> f64 {
        let vdso: u64 = VDSO.iter().map(|n| self.counts.calls(n)).sum();
        (self.counts.total() - vdso) as f64 / self.n as f64
    }

    /// [`VDSO`] calls per operation (syscalls only in user-mode Linux).
    pub fn vdso_per_op(&self) -> f64 {
        VDSO.iter().map(|n| self.per_op(n)).sum()
    }

    /// Allocations per operation.
    pub fn allocs_per_op(&self) -> f64 {
        self.allocs as f64 / self.n as f64
    }

    /// `epoll_wait` and `epoll_pwait` calls per operation.
    pub fn epoll_per_op(&self) -> f64 {
        self.per_op("epoll_wait") + self.per_op("epoll_pwait")
    }

    /// Syscalls other than `known` and [`VDSO`], per operation, as `name x.xx` pairs.
    pub fn others(&self, known: &[&str]) -> String {
        let v: Vec<String> = self
            .counts
            .by_name
            .iter()
            .filter(|(name, _)| !known.contains(&name.as_str()) && !VDSO.contains(&name.as_str()))
            .map(|(name, (c, _))| format!("{name} {:.2}", *c as f64 / self.n as f64))
            .collect();
        if v.is_empty() {
            "-".into()
        } else {
            v.join(", ")
        }
    }
}

/// Traces `--inner CASE N` and `--inner CASE 2N` and returns the difference.
///
/// # Errors
///
/// As [`trace_self`].
pub fn steady(strace: &std::path::Path, extra: &[&str], case: &str, n: u64) -> io::Result<Steady> {
    let args = |k: u64| -> Vec<String> {
        let mut a: Vec<String> = vec!["--inner".into(), case.into(), k.to_string()];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let one = trace_self(strace, &args(n))?;
    let two = trace_self(strace, &args(2 * n))?;
    let allocs = |t: &Traced| t.report.get("allocs").copied().unwrap_or(0);
    Ok(Steady {
        n,
        counts: two.counts.minus(&one.counts),
        allocs: allocs(&two).saturating_sub(allocs(&one)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 40.00    0.000400           2       200           sendmsg
 35.00    0.000350           1       250        50 recvmsg
 25.00    0.000250           2       100           epoll_wait
------ ----------- ----------- --------- --------- ----------------
100.00    0.001000           1       550        50 total
";

    #[test]
    fn parses_strace_summary() {
        let c = parse_summary(SAMPLE).unwrap();
        assert_eq!(c.calls("sendmsg"), 200);
        assert_eq!(c.calls("recvmsg"), 250);
        assert_eq!(c.errors("recvmsg"), 50);
        assert_eq!(c.errors("sendmsg"), 0);
        assert_eq!(c.calls("epoll_wait"), 100);
        assert_eq!(c.total(), 550);
    }

    #[test]
    fn rejects_bad_summaries() {
        assert!(parse_summary("").is_err());
        assert!(parse_summary("garbage\n").is_err());
        let no_total = SAMPLE.lines().take(5).collect::<Vec<_>>().join("\n");
        assert!(parse_summary(&no_total).is_err());
        let wrong_total = SAMPLE.replace("550", "551");
        assert!(parse_summary(&wrong_total).is_err());
        let bad_number = SAMPLE.replace("200", "2x0");
        assert!(parse_summary(&bad_number).is_err());
    }

    #[test]
    fn parses_callgrind_summary() {
        let text = "version: 1\ncmd: x\nevents: Ir\nsummary: 601310\ntotals: 601310\n";
        assert_eq!(parse_callgrind(text), Ok(601310));
        assert!(parse_callgrind("events: Ir\n").is_err());
        assert!(parse_callgrind("summary: many\n").is_err());
    }

    #[test]
    fn difference_cancels_setup() {
        let one = parse_summary(SAMPLE).unwrap();
        let two = parse_summary(
            &SAMPLE
                .replace("200           sendmsg", "400           sendmsg")
                .replace("550        50 total", "750        50 total"),
        )
        .unwrap();
        let d = two.minus(&one);
        assert_eq!(d.calls("sendmsg"), 200);
        assert_eq!(d.calls("recvmsg"), 0);
        assert_eq!(d.total(), 200);
    }
}
