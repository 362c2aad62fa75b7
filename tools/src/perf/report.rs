//! What sctp_perf prints: the client's header, tables and JSON document, the server's line
//! (or JSON line) per finished run, and the live progress line on a terminal.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_linux_sctp::message::PrPolicy;

use super::cli::{Limit, Options, Role};
use super::session::Finished;
use super::stats::{Latency, Throughput};
use super::wire::Mode;

/// The addresses of one association, for the header.
#[derive(Clone, Debug, Default)]
pub struct Path {
    /// Our addresses.
    pub local: Vec<SocketAddr>,
    /// The peer's addresses.
    pub peer: Vec<SocketAddr>,
    /// Negotiated outbound streams.
    pub outbound: u16,
    /// Negotiated inbound streams.
    pub inbound: u16,
}

/// Everything the client measured.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// The associations, in order.
    pub paths: Vec<Path>,
    /// Throughput runs, by size.
    pub throughput: Vec<Throughput>,
    /// Latency runs, by size.
    pub latency: Vec<Latency>,
}

/// `64 B`, `1 KiB`, `16 KiB`, `1 MiB`, `1500 B`.
pub fn size_label(size: u32) -> String {
    match size {
        s if s >= 1 << 20 && s % (1 << 20) == 0 => format!("{} MiB", s >> 20),
        s if s >= 1 << 10 && s % (1 << 10) == 0 => format!("{} KiB", s >> 10),
        s => format!("{s} B"),
    }
}

fn pr_label(pr: PrPolicy) -> String {
    match pr {
        PrPolicy::Ttl(d) => format!("ttl:{}", d.as_millis()),
        PrPolicy::Rtx(n) => format!("rtx:{n}"),
        PrPolicy::Prio(n) => format!("prio:{n}"),
        _ => "none".into(),
    }
}

fn addrs(list: &[SocketAddr]) -> String {
    let v: Vec<String> = list.iter().map(ToString::to_string).collect();
    v.join(",")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Writes a blank line, `title`, and a table of right-aligned columns (name, width).
fn section(
    s: &mut String,
    title: &str,
    columns: &[(&str, usize)],
    rows: impl Iterator<Item = Vec<String>>,
) {
    let _ = writeln!(s, "\n{title}");
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let v: Vec<String> = cells
            .zip(columns)
            .map(|(c, (_, w))| format!("{c:>w$}"))
            .collect();
        v.join(" ")
    };
    let _ = writeln!(s, "{}", line(&mut columns.iter().map(|(name, _)| *name)));
    for row in rows {
        let _ = writeln!(s, "{}", line(&mut row.iter().map(String::as_str)));
    }
}

/// The client's header, tables and notes.
pub fn table(o: &Options, r: &Results) -> String {
    let mut s = String::new();
    let limit = match o.limit {
        Limit::Count(n) => format!("{n} per association per run"),
        Limit::Time(d) => format!("{} s per run", d.as_secs_f64()),
    };
    let _ = writeln!(
        s,
        "sctp_perf: {}{}, {}, {}, {}, PR-SCTP {}, batch {}, {}, {limit}",
        if o.role == Role::Loopback {
            "client and server in this process, "
        } else {
            ""
        },
        if o.one_to_many {
            "one-to-many"
        } else {
            "one-to-one"
        },
        plural(o.assocs, "association", "associations"),
        plural(usize::from(o.streams), "stream", "streams"),
        if o.unordered { "unordered" } else { "ordered" },
        pr_label(o.pr),
        o.batch,
        if o.nodelay { "nodelay" } else { "Nagle" },
    );
    if let Some(p) = r.paths.first() {
        let more = match r.paths.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        let _ = writeln!(
            s,
            "association 1: {} -> {}, {} out / {} in streams{more}",
            addrs(&p.local),
            addrs(&p.peer),
            p.outbound,
            p.inbound
        );
    }
    if !r.throughput.is_empty() {
        section(
            &mut s,
            "throughput (one way, client to server, counted by the server)",
            &[
                ("size", 8),
                ("sent", 10),
                ("received", 10),
                ("lost", 6),
                ("msg/s", 12),
                ("MB/s", 10),
                ("Mbit/s", 10),
                ("seconds", 8),
            ],
            r.throughput.iter().map(|t| {
                vec![
                    size_label(t.size),
                    t.sent.to_string(),
                    t.received.to_string(),
                    t.lost().to_string(),
                    format!("{:.0}", t.messages_per_second()),
                    format!("{:.2}", t.megabytes_per_second()),
                    format!("{:.2}", t.megabits_per_second()),
                    format!("{:.3}", t.elapsed.as_secs_f64()),
                ]
            }),
        );
    }
    if !r.latency.is_empty() {
        let micros = |d: Duration| format!("{:.1}", us(d));
        section(
            &mut s,
            "latency (round trip, one message in flight per association)",
            &[
                ("size", 8),
                ("round trips", 11),
                ("min us", 9),
                ("p50 us", 9),
                ("p99 us", 9),
                ("p99.9 us", 9),
                ("max us", 9),
                ("mean us", 9),
            ],
            r.latency.iter().map(|l| {
                vec![
                    size_label(l.size),
                    l.round_trips.to_string(),
                    micros(l.min),
                    micros(l.p50),
                    micros(l.p99),
                    micros(l.p999),
                    micros(l.max),
                    micros(l.mean),
                ]
            }),
        );
    }
    s
}

/// A JSON string literal.
fn json_str(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON number (finite; NaN and infinities become 0).
fn json_f64(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "0".into()
    }
}

/// A JSON object written field by field.
struct Obj(String);

impl Obj {
    fn new() -> Obj {
        Obj(String::from("{"))
    }

    fn key(&mut self, k: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        json_str(&mut self.0, k);
        self.0.push(':');
        &mut self.0
    }

    fn str(mut self, k: &str, v: &str) -> Obj {
        json_str(self.key(k), v);
        self
    }

    fn raw(mut self, k: &str, v: impl std::fmt::Display) -> Obj {
        let _ = write!(self.key(k), "{v}");
        self
    }

    fn num(self, k: &str, v: f64) -> Obj {
        self.raw(k, json_f64(v))
    }

    fn strs(mut self, k: &str, v: &[SocketAddr]) -> Obj {
        let out = self.key(k);
        out.push('[');
        for (i, a) in v.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_str(out, &a.to_string());
        }
        out.push(']');
        self
    }

    fn done(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

fn json_list(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    format!("[{}]", v.join(","))
}

fn throughput_json(t: &Throughput) -> String {
    Obj::new()
        .raw("size", t.size)
        .raw("sent", t.sent)
        .raw("received", t.received)
        .raw("lost", t.lost())
        .raw("bytes", t.bytes)
        .num("seconds", t.elapsed.as_secs_f64())
        .num("messages_per_second", t.messages_per_second())
        .num("megabytes_per_second", t.megabytes_per_second())
        .num("megabits_per_second", t.megabits_per_second())
        .done()
}

fn latency_json(l: &Latency) -> String {
    Obj::new()
        .raw("size", l.size)
        .raw("round_trips", l.round_trips)
        .num("min_us", us(l.min))
        .num("p50_us", us(l.p50))
        .num("p99_us", us(l.p99))
        .num("p999_us", us(l.p999))
        .num("max_us", us(l.max))
        .num("mean_us", us(l.mean))
        .done()
}

/// The client's JSON document.
pub fn json(o: &Options, r: &Results) -> String {
    let limit = match o.limit {
        Limit::Count(n) => Obj::new().raw("count", n).done(),
        Limit::Time(d) => Obj::new().num("seconds", d.as_secs_f64()).done(),
    };
    let paths = json_list(r.paths.iter().map(|p| {
        Obj::new()
            .strs("local", &p.local)
            .strs("peer", &p.peer)
            .raw("outbound_streams", p.outbound)
            .raw("inbound_streams", p.inbound)
            .done()
    }));
    Obj::new()
        .str("sctp_perf", env!("CARGO_PKG_VERSION"))
        .str(
            "style",
            if o.one_to_many {
                "one-to-many"
            } else {
                "one-to-one"
            },
        )
        .raw("in_process", o.role == Role::Loopback)
        .raw("associations", o.assocs)
        .raw("streams", o.streams)
        .raw("unordered", o.unordered)
        .str("pr", &pr_label(o.pr))
        .raw("batch", o.batch)
        .raw("nodelay", o.nodelay)
        .raw("limit", limit)
        .raw("paths", paths)
        .raw(
            "throughput",
            json_list(r.throughput.iter().map(throughput_json)),
        )
        .raw("latency", json_list(r.latency.iter().map(latency_json)))
        .done()
}

/// The server's line for a finished run (JSON with `json`).
pub fn server_line(peer: &str, f: &Finished, json: bool) -> String {
    let t = Throughput {
        size: f.size,
        sent: f.sent,
        received: f.received,
        bytes: f.bytes,
        elapsed: f.elapsed,
    };
    if json {
        return Obj::new()
            .str("peer", peer)
            .str("mode", f.mode.name())
            .raw("size", f.size)
            .raw("sent", f.sent)
            .raw("received", f.received)
            .raw("bytes", f.bytes)
            .num("seconds", f.elapsed.as_secs_f64())
            .num("messages_per_second", t.messages_per_second())
            .num("megabytes_per_second", t.megabytes_per_second())
            .done();
    }
    let what = match f.mode {
        Mode::Throughput => "received",
        Mode::Latency => "echoed",
    };
    format!(
        "{peer}: {} {}: {} of {} messages {what}, {} bytes in {:.3} s: {:.0} msg/s, {:.2} MB/s",
        f.mode.name(),
        size_label(f.size),
        f.received,
        f.sent,
        f.bytes,
        f.elapsed.as_secs_f64(),
        t.messages_per_second(),
        t.megabytes_per_second()
    )
}

/// The live progress line: counters the runs bump and a thread that redraws the line on
/// stderr twice a second, only when stderr is a terminal.
pub struct Progress {
    enabled: bool,
    count: AtomicU64,
    stop: AtomicBool,
    label: Mutex<(String, Instant)>,
}

impl Progress {
    /// A progress line for this terminal (none when stderr is not one).
    pub fn new() -> Arc<Progress> {
        Self::with(std::io::stderr().is_terminal())
    }

    /// A progress line that is drawn or not.
    pub fn with(enabled: bool) -> Arc<Progress> {
        let p = Arc::new(Progress {
            enabled,
            count: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            label: Mutex::new((String::new(), Instant::now())),
        });
        if enabled {
            let bg = Arc::clone(&p);
            std::thread::spawn(move || bg.draw_loop());
        }
        p
    }

    /// A new run begins: the line shows `label` and counts from zero.
    pub fn begin(&self, label: String) {
        self.count.store(0, Ordering::Relaxed);
        if let Ok(mut l) = self.label.lock() {
            *l = (label, Instant::now());
        }
    }

    /// `n` more messages (or round trips).
    pub fn add(&self, n: u64) {
        self.count.fetch_add(n, Ordering::Relaxed);
    }

    /// The run ended: the line is cleared.
    pub fn end(&self) {
        if let Ok(mut l) = self.label.lock() {
            l.0.clear();
        }
        if self.enabled {
            let _ = std::io::stderr().write_all(b"\r\x1b[K");
        }
    }

    /// Stops the drawing thread.
    pub fn finish(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.end();
    }

    fn draw_loop(&self) {
        while !self.stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(500));
            let line = match self.label.lock() {
                Ok(l) if !l.0.is_empty() => {
                    let n = self.count.load(Ordering::Relaxed);
                    let secs = l.1.elapsed().as_secs_f64();
                    format!(
                        "\r{}: {secs:.1} s, {n} sent, {:.0}/s\x1b[K",
                        l.0,
                        n as f64 / secs.max(1e-9)
                    )
                }
                _ => continue,
            };
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::perf::cli::{parse, Command};

    fn options(args: &str) -> Options {
        match parse(args.split_whitespace().map(Into::into)) {
            Ok(Command::Run(o)) => o,
            other => panic!("{other:?}"),
        }
    }

    fn results() -> Results {
        Results {
            paths: vec![Path {
                local: vec!["127.0.0.1:40000".parse().unwrap()],
                peer: vec!["127.0.0.1:5210".parse().unwrap()],
                outbound: 10,
                inbound: 10,
            }],
            throughput: vec![Throughput {
                size: 1024,
                sent: 2000,
                received: 2000,
                bytes: 2_048_000,
                elapsed: Duration::from_secs(2),
            }],
            latency: vec![Latency::from_samples(64, &mut [100_000, 200_000, 300_000])],
        }
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_label(64), "64 B");
        assert_eq!(size_label(1024), "1 KiB");
        assert_eq!(size_label(16384), "16 KiB");
        assert_eq!(size_label(1500), "1500 B");
        assert_eq!(size_label(4 << 20), "4 MiB");
    }

    #[test]
    fn the_table_has_a_row_per_run() {
        let t = table(&options("-c 127.0.0.1 -m both -n 2000"), &results());
        let l = table(&options("-L -n 2000"), &results());
        assert!(
            l.starts_with("sctp_perf: client and server in this process, one-to-one"),
            "{l}"
        );
        assert!(
            t.starts_with("sctp_perf: one-to-one, 1 association, 1 stream, ordered"),
            "{t}"
        );
        assert!(
            t.contains("127.0.0.1:40000 -> 127.0.0.1:5210, 10 out / 10 in streams"),
            "{t}"
        );
        let row = t
            .lines()
            .find(|l| l.trim_start().starts_with("1 KiB"))
            .unwrap();
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cols,
            ["1", "KiB", "2000", "2000", "0", "1000", "1.02", "8.19", "2.000"]
        );
        let row = t
            .lines()
            .find(|l| l.trim_start().starts_with("64 B"))
            .unwrap();
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cols,
            ["64", "B", "3", "100.0", "200.0", "300.0", "300.0", "300.0", "200.0"]
        );
    }

    #[test]
    fn json_is_one_document_with_every_number() {
        let j = json(&options("-c 127.0.0.1 --pr ttl:20 -n 5"), &results());
        assert!(
            j.starts_with('{') && j.ends_with('}') && !j.contains('\n'),
            "{j}"
        );
        for needle in [
            "\"style\":\"one-to-one\",\"in_process\":false",
            "\"pr\":\"ttl:20\"",
            "\"limit\":{\"count\":5}",
            "\"local\":[\"127.0.0.1:40000\"]",
            "\"messages_per_second\":1000.000",
            "\"megabits_per_second\":8.192",
            "\"p999_us\":300.000",
        ] {
            assert!(j.contains(needle), "{needle} not in {j}");
        }
        let mut s = String::new();
        json_str(&mut s, "a\"b\\c\n\u{1}");
        assert_eq!(s, r#""a\"b\\c\n\u0001""#);
        assert_eq!(json_f64(f64::NAN), "0");
    }

    #[test]
    fn the_server_says_what_arrived() {
        let f = Finished {
            mode: Mode::Throughput,
            size: 64,
            sent: 10,
            received: 9,
            bytes: 576,
            elapsed: Duration::from_millis(500),
        };
        let line = server_line("127.0.0.1:40000", &f, false);
        assert_eq!(
            line,
            "127.0.0.1:40000: throughput 64 B: 9 of 10 messages received, 576 bytes in 0.500 s: 18 msg/s, 0.00 MB/s"
        );
        let j = server_line("p", &f, true);
        assert!(
            j.contains("\"received\":9") && j.contains("\"mode\":\"throughput\""),
            "{j}"
        );
    }
}
