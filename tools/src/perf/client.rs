//! The client: opens the associations, then for every mode and size starts a run on each
//! (`Start`, `Ready`), drives them side by side (throughput: send until the count or the
//! time is reached; latency: one message at a time, timing each echo), ends each run
//! (`End`, `Report`) and sums the results.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio_linux_sctp::error::Error;
use tokio_linux_sctp::message::{PrPolicy, SendInfo};

use super::cli::{Limit, Options};
use super::net::Conn;
use super::report::{size_label, Progress, Results};
use super::stats::{Counted, Latency, Throughput};
use super::wire::{Control, Mode};

/// What one association brings back from a run.
enum Part {
    Throughput(Counted),
    Latency(Vec<u64>),
}

/// Runs the whole measurement against `peers`.
///
/// # Errors
///
/// A one-line reason: connect failure, a stream count the association does not have, the
/// association ending during a run, an error the server reports.
pub async fn run(
    o: Arc<Options>,
    peers: &[IpAddr],
    progress: Arc<Progress>,
) -> Result<Results, String> {
    let mut conns = Vec::with_capacity(o.assocs);
    for _ in 0..o.assocs {
        conns.push(Arc::new(Conn::connect(&o, peers).await?));
    }
    let mut results = Results {
        paths: conns.iter().map(|c| c.path()).collect(),
        ..Results::default()
    };
    for path in &results.paths {
        if path.outbound < o.streams {
            return Err(format!(
                "--streams {}: the association has {} outbound streams (all the server \
                 accepts); start the server with --streams {}",
                o.streams, path.outbound, o.streams
            ));
        }
    }
    for &mode in &o.modes {
        for &size in &o.sizes {
            let label = format!("{} {}", mode.name(), size_label(size));
            progress.begin(label.clone());
            let parts = one_run(&o, &conns, mode, size, &progress)
                .await
                .map_err(|e| format!("{label}: {e}"))?;
            progress.end();
            match mode {
                Mode::Throughput => {
                    let counted: Vec<Counted> = parts
                        .into_iter()
                        .filter_map(|p| match p {
                            Part::Throughput(c) => Some(c),
                            Part::Latency(_) => None,
                        })
                        .collect();
                    results.throughput.push(Throughput::sum(size, &counted));
                }
                Mode::Latency => {
                    let mut all: Vec<u64> = parts
                        .into_iter()
                        .flat_map(|p| match p {
                            Part::Latency(v) => v,
                            Part::Throughput(_) => Vec::new(),
                        })
                        .collect();
                    results.latency.push(Latency::from_samples(size, &mut all));
                }
            }
        }
    }
    for c in &conns {
        c.close().await;
    }
    Ok(results)
}

/// One run of `mode` and `size` on every association at once.
async fn one_run(
    o: &Arc<Options>,
    conns: &[Arc<Conn>],
    mode: Mode,
    size: u32,
    progress: &Arc<Progress>,
) -> Result<Vec<Part>, String> {
    let start = Control::Start {
        mode,
        size,
        streams: o.streams,
        pr: o.pr != PrPolicy::None,
        batch: u16::try_from(o.batch).unwrap_or(u16::MAX),
    };
    // Every association is ready before any sends, so that they run side by side.
    for c in conns {
        c.send_control(&start).await.map_err(ended)?;
        match expect(c, "Ready").await? {
            Control::Ready => {}
            other => return Err(format!("the server answered {other:?} instead of Ready")),
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    if let Limit::Time(d) = o.limit {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(d);
            stop.store(true, Ordering::Relaxed);
        });
    }
    if let [c] = conns {
        // One association: run it in this task, as benches/ runs its sender.
        let part = match mode {
            Mode::Throughput => throughput(c, o, size, &stop, progress).await,
            Mode::Latency => latency(c, o, size, &stop, progress).await,
        }?;
        return Ok(vec![part]);
    }
    let mut set = JoinSet::new();
    for (i, c) in conns.iter().enumerate() {
        let (c, o, stop, progress) = (
            Arc::clone(c),
            Arc::clone(o),
            Arc::clone(&stop),
            Arc::clone(progress),
        );
        set.spawn(async move {
            let r = match mode {
                Mode::Throughput => throughput(&c, &o, size, &stop, &progress).await,
                Mode::Latency => latency(&c, &o, size, &stop, &progress).await,
            };
            (i, r)
        });
    }
    let mut parts: Vec<Option<Part>> = (0..conns.len()).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        let (i, r) = joined.map_err(|e| format!("a run task failed: {e}"))?;
        let part = r.map_err(|e| match conns.len() {
            1 => e,
            _ => format!("association {}: {e}", i + 1),
        })?;
        parts[i] = Some(part);
    }
    Ok(parts.into_iter().flatten().collect())
}

/// The reason an association failed, for the error line.
fn ended(e: Error) -> String {
    e.to_string()
}

/// The data messages' `SendInfo` for stream `stream`.
fn data_info(o: &Options, stream: u16) -> SendInfo {
    SendInfo::new()
        .stream(stream)
        .ppid(o.ppid)
        .unordered(o.unordered)
        .pr_policy(o.pr)
}

/// The most messages of a run: the count, or no limit for a timed run.
fn most(o: &Options) -> u64 {
    match o.limit {
        Limit::Count(n) => n,
        Limit::Time(_) => u64::MAX,
    }
}

/// A payload of `size` bytes.
fn payload(size: u32) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

/// Sends one way until the limit, then ends the run and reads the server's count.
async fn throughput(
    c: &Conn,
    o: &Options,
    size: u32,
    stop: &AtomicBool,
    progress: &Progress,
) -> Result<Part, String> {
    let data = payload(size);
    let infos: Vec<SendInfo> = (0..o.streams).map(|s| data_info(o, s)).collect();
    let streams = infos.len() as u64;
    let info_for = |n: u64| infos[(n % streams) as usize];
    let limit = most(o);
    let mut sent: u64 = 0;
    if o.batch <= 1 {
        while sent < limit && !stop.load(Ordering::Relaxed) {
            c.send(&data, &info_for(sent)).await.map_err(ended)?;
            sent += 1;
            progress.add(1);
        }
    } else {
        let mut msgs: Vec<(&[u8], SendInfo)> = vec![(&data[..], infos[0]); o.batch];
        while sent < limit && !stop.load(Ordering::Relaxed) {
            let k = usize::try_from(limit - sent).map_or(o.batch, |left| left.min(o.batch));
            for (j, m) in msgs[..k].iter_mut().enumerate() {
                m.1 = info_for(sent + j as u64);
            }
            let n = c.send_batch(&mut msgs[..k]).await.map_err(ended)?;
            sent += n as u64;
            progress.add(n as u64);
        }
    }
    let (received, bytes, elapsed) = end_run(c, sent).await?;
    Ok(Part::Throughput(Counted {
        sent,
        received,
        bytes,
        elapsed,
    }))
}

/// Ends a run after `sent` messages: `End`, then the server's `Report` (received, bytes,
/// elapsed).
async fn end_run(c: &Conn, sent: u64) -> Result<(u64, u64, Duration), String> {
    c.send_control(&Control::End { sent })
        .await
        .map_err(ended)?;
    match expect(c, "a Report").await? {
        Control::Report {
            received,
            bytes,
            elapsed,
        } => Ok((received, bytes, elapsed)),
        other => Err(format!("the server answered {other:?} instead of a Report")),
    }
}

/// The server's next control message; its `Error` or garbage is the run's error.
async fn expect(c: &Conn, what: &str) -> Result<Control, String> {
    match c.recv_control().await.map_err(ended)? {
        Ok(Control::Error { text }) => Err(format!("the server says: {text}")),
        Ok(control) => Ok(control),
        Err(e) => Err(format!(
            "the server answered garbage instead of {what}: {e}"
        )),
    }
}

/// Sends one message at a time and times each echo.
async fn latency(
    c: &Conn,
    o: &Options,
    size: u32,
    stop: &AtomicBool,
    progress: &Progress,
) -> Result<Part, String> {
    let data = payload(size);
    let limit = most(o);
    let mut samples = Vec::new();
    // One clock read per round trip: each round trip starts when the previous one ended.
    let mut t = Instant::now();
    let mut n: u64 = 0;
    while n < limit && !stop.load(Ordering::Relaxed) {
        let stream = (n % u64::from(o.streams)) as u16;
        c.send(&data, &data_info(o, stream)).await.map_err(ended)?;
        let (reply, info) = c.recv().await.map_err(ended)?;
        if info.ppid != o.ppid || info.stream != stream || reply.len() != data.len() {
            if let Ok(Control::Error { text }) = Control::decode(&reply) {
                return Err(format!("the server says: {text}"));
            }
            return Err(format!(
                "echo {n}: {} bytes on stream {} with PPID {}, expected {} bytes on stream {stream} with PPID {}",
                reply.len(),
                info.stream,
                info.ppid,
                data.len(),
                o.ppid
            ));
        }
        let now = Instant::now();
        samples.push(u64::try_from(now.duration_since(t).as_nanos()).unwrap_or(u64::MAX));
        t = now;
        n += 1;
        progress.add(1);
    }
    end_run(c, n).await?;
    Ok(Part::Latency(samples))
}
