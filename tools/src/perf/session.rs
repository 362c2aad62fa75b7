//! The server's side of one association: a plain state machine over the control and data
//! messages it receives (no I/O, no clock of its own: the driver passes `now`), so unit tests
//! drive it without a kernel.
//!
//! A throughput run ends when the client's `End { sent }` has arrived and `sent` data
//! messages have been counted; data on other streams, or unordered data, may still arrive
//! after `End`. Under a PR-SCTP policy some messages may never come (abandoned by the
//! sender): then the run also ends after [`QUIET`] without data.
//!
//! The session reads the clock only when a run starts, when `End` arrives and for data
//! after `End` (a clock read is a system call in some environments, such as user-mode
//! Linux, and would otherwise cost one per message): a run lasts from `Start` to the later
//! of `End` and the last message.

use std::time::{Duration, Instant};

use super::wire::{Control, Mode};

/// How long a PR-SCTP throughput run waits for more data after `End` before it reports
/// what arrived.
pub const QUIET: Duration = Duration::from_secs(1);

/// The largest message size a client may ask for.
pub const MAX_SIZE: u32 = 4 << 20;

/// What the driver does after a message.
#[derive(Debug, PartialEq)]
pub enum Action {
    /// Nothing.
    None,
    /// Send this control message.
    Reply(Control),
    /// Send this control message (a `Report`): a run finished with these numbers.
    Finished(Control, Finished),
    /// Send the data message back as it came (same stream, PPID and ordering).
    Echo,
}

/// A finished run, as the server saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    /// What it measured.
    pub mode: Mode,
    /// Message size.
    pub size: u32,
    /// Messages the client sent.
    pub sent: u64,
    /// Data messages received (and, for latency, echoed).
    pub received: u64,
    /// Their bytes.
    pub bytes: u64,
    /// From `Ready` to the last data message.
    pub elapsed: Duration,
}

/// One association's state.
#[derive(Debug, Default)]
pub struct Session {
    run: Option<Run>,
    max_size: u32,
}

#[derive(Debug)]
struct Run {
    mode: Mode,
    size: u32,
    pr: bool,
    batch: u16,
    started: Instant,
    received: u64,
    bytes: u64,
    /// The last data message after `End`.
    last: Option<Instant>,
    /// `End`'s count and arrival.
    end: Option<(u64, Instant)>,
}

impl Run {
    fn finish(self) -> Action {
        let end = self.end.map(|(_, at)| at);
        let elapsed = match (end.max(self.last), self.received) {
            (Some(t), 1..) => t.saturating_duration_since(self.started),
            _ => Duration::ZERO,
        };
        let report = Control::Report {
            received: self.received,
            bytes: self.bytes,
            elapsed,
        };
        let finished = Finished {
            mode: self.mode,
            size: self.size,
            sent: self.end.map_or(0, |(sent, _)| sent),
            received: self.received,
            bytes: self.bytes,
            elapsed,
        };
        Action::Finished(report, finished)
    }

    fn complete(&self) -> bool {
        self.end.is_some_and(|(sent, _)| self.received >= sent)
    }
}

impl Session {
    /// A session with no run.
    pub fn new() -> Session {
        Session::default()
    }

    /// The largest message size any run of this session announced (the driver lets
    /// messages that large through).
    pub fn max_size(&self) -> usize {
        self.max_size as usize
    }

    /// Whether no run is going on.
    pub fn idle(&self) -> bool {
        self.run.is_none()
    }

    /// Messages per `recv_batch` for the current run (1 without a run).
    pub fn batch(&self) -> usize {
        self.run.as_ref().map_or(1, |r| usize::from(r.batch.max(1)))
    }

    /// A control message arrived; `outbound_streams` is what the association may send on.
    pub fn on_control(&mut self, msg: &[u8], outbound_streams: u16, now: Instant) -> Action {
        let control = match Control::decode(msg) {
            Ok(c) => c,
            Err(e) => return error(e.to_string()),
        };
        match control {
            Control::Start {
                mode,
                size,
                streams,
                pr,
                batch,
            } => {
                if size == 0 || size > MAX_SIZE {
                    return error(format!("message size {size} out of range 1..={MAX_SIZE}"));
                }
                if mode == Mode::Latency && streams > outbound_streams {
                    return error(format!(
                        "the server can answer on {outbound_streams} streams, the run uses \
                         {streams}: start the server with --streams {streams}"
                    ));
                }
                self.max_size = self.max_size.max(size);
                self.run = Some(Run {
                    mode,
                    size,
                    pr,
                    batch,
                    started: now,
                    received: 0,
                    bytes: 0,
                    last: None,
                    end: None,
                });
                Action::Reply(Control::Ready)
            }
            Control::End { sent } => match self.run.as_mut() {
                Some(run) => {
                    run.end = Some((sent, now));
                    if run.complete() || run.mode == Mode::Latency {
                        self.finish()
                    } else {
                        Action::None
                    }
                }
                None => error("End without a run".into()),
            },
            Control::Ready | Control::Report { .. } => {
                error("the client sent a server's message".into())
            }
            // The client gave up; nothing to answer.
            Control::Error { .. } => {
                self.run = None;
                Action::None
            }
        }
    }

    /// A data message of `len` bytes arrived; `now` is called only if the time matters
    /// (after `End`).
    pub fn on_data(&mut self, len: usize, now: impl FnOnce() -> Instant) -> Action {
        let Some(run) = self.run.as_mut() else {
            return Action::None;
        };
        run.received += 1;
        run.bytes += len as u64;
        if run.end.is_some() {
            run.last = Some(now());
        }
        match run.mode {
            Mode::Latency => Action::Echo,
            Mode::Throughput if run.complete() => self.finish(),
            Mode::Throughput => Action::None,
        }
    }

    /// When the driver must call [`on_deadline`](Self::on_deadline) if nothing arrives
    /// before: a PR-SCTP throughput run waiting for data after `End`.
    pub fn deadline(&self) -> Option<Instant> {
        let run = self.run.as_ref()?;
        let (_, end_at) = run.end?;
        if !run.pr {
            return None;
        }
        let last = run.last.map_or(end_at, |l| l.max(end_at));
        Some(last + QUIET)
    }

    /// The deadline passed: a waiting PR-SCTP run reports what arrived.
    pub fn on_deadline(&mut self, now: Instant) -> Action {
        match self.deadline() {
            Some(d) if d <= now => self.finish(),
            _ => Action::None,
        }
    }

    fn finish(&mut self) -> Action {
        self.run.take().map_or(Action::None, Run::finish)
    }
}

fn error(text: String) -> Action {
    Action::Reply(Control::Error { text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(mode: Mode, size: u32, streams: u16, pr: bool) -> Vec<u8> {
        Control::Start {
            mode,
            size,
            streams,
            pr,
            batch: 1,
        }
        .encode()
    }

    fn end(sent: u64) -> Vec<u8> {
        Control::End { sent }.encode()
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_throughput_run_counts_until_end_and_reports() {
        let t0 = Instant::now();
        let mut s = Session::new();
        let a = s.on_control(&start(Mode::Throughput, 100, 1, false), 10, t0);
        assert_eq!(a, Action::Reply(Control::Ready));
        assert_eq!(s.max_size(), 100);
        for i in 1..=3 {
            assert_eq!(s.on_data(100, || t0 + ms(i)), Action::None);
        }
        let Action::Finished(report, f) = s.on_control(&end(3), 10, t0 + ms(5)) else {
            panic!("no report")
        };
        assert_eq!(
            report,
            Control::Report {
                received: 3,
                bytes: 300,
                elapsed: ms(5)
            }
        );
        assert_eq!(
            (f.mode, f.size, f.sent, f.received),
            (Mode::Throughput, 100, 3, 3)
        );
        // The run is over: more data is ignored.
        assert_eq!(s.on_data(100, || t0 + ms(6)), Action::None);
    }

    #[test]
    fn data_overtaking_end_is_waited_for() {
        let t0 = Instant::now();
        let mut s = Session::new();
        s.on_control(&start(Mode::Throughput, 10, 4, false), 10, t0);
        s.on_data(10, || t0 + ms(1));
        assert_eq!(s.on_control(&end(2), 10, t0 + ms(2)), Action::None);
        assert_eq!(s.deadline(), None, "a reliable run waits for every message");
        let Action::Finished(
            Control::Report {
                received, elapsed, ..
            },
            _,
        ) = s.on_data(10, || t0 + ms(4))
        else {
            panic!("no report")
        };
        assert_eq!((received, elapsed), (2, ms(4)));
    }

    #[test]
    fn a_pr_sctp_run_reports_after_a_quiet_second() {
        let t0 = Instant::now();
        let mut s = Session::new();
        s.on_control(&start(Mode::Throughput, 10, 1, true), 10, t0);
        s.on_data(10, || t0 + ms(1));
        assert_eq!(s.on_control(&end(5), 10, t0 + ms(2)), Action::None);
        assert_eq!(s.deadline(), Some(t0 + ms(2) + QUIET));
        s.on_data(10, || t0 + ms(3));
        assert_eq!(s.deadline(), Some(t0 + ms(3) + QUIET));
        assert_eq!(s.on_deadline(t0 + ms(500)), Action::None);
        let Action::Finished(_, f) = s.on_deadline(t0 + ms(3) + QUIET) else {
            panic!("no report")
        };
        assert_eq!((f.sent, f.received, f.bytes, f.elapsed), (5, 2, 20, ms(3)));
        assert_eq!(s.deadline(), None);
    }

    #[test]
    fn latency_runs_echo_and_report_at_end() {
        let t0 = Instant::now();
        let mut s = Session::new();
        s.on_control(&start(Mode::Latency, 64, 2, false), 2, t0);
        assert_eq!(s.on_data(64, || t0 + ms(1)), Action::Echo);
        assert_eq!(s.on_data(64, || t0 + ms(2)), Action::Echo);
        let Action::Finished(_, f) = s.on_control(&end(2), 2, t0 + ms(3)) else {
            panic!("no report")
        };
        assert_eq!((f.mode, f.received, f.bytes), (Mode::Latency, 2, 128));
    }

    #[test]
    fn bad_requests_get_one_line_errors() {
        let t0 = Instant::now();
        let mut s = Session::new();
        let text = |a: Action| match a {
            Action::Reply(Control::Error { text }) => text,
            other => panic!("{other:?}"),
        };
        let t = text(s.on_control(&start(Mode::Latency, 64, 20, false), 10, t0));
        assert!(t.contains("--streams 20"), "{t}");
        let t = text(s.on_control(&start(Mode::Throughput, 0, 1, false), 10, t0));
        assert!(t.contains("size 0"), "{t}");
        let t = text(s.on_control(&start(Mode::Throughput, MAX_SIZE + 1, 1, false), 10, t0));
        assert!(t.contains("out of range"), "{t}");
        let t = text(s.on_control(&end(1), 10, t0));
        assert!(t.contains("without a run"), "{t}");
        let t = text(s.on_control(b"garbage", 10, t0));
        assert!(t.contains("not an sctp_perf"), "{t}");
        let t = text(s.on_control(&Control::Ready.encode(), 10, t0));
        assert!(t.contains("server's message"), "{t}");
        assert!(!t.contains('\n'));
        // Throughput needs no outbound streams beyond stream 0.
        let a = s.on_control(&start(Mode::Throughput, 64, 20, false), 10, t0);
        assert_eq!(a, Action::Reply(Control::Ready));
        // Data outside a run is ignored.
        let mut idle = Session::new();
        assert_eq!(idle.on_data(5, || t0), Action::None);
    }
}
