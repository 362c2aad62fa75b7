//! The numbers sctp_perf reports: throughput of one run summed over its associations, and
//! round-trip latency percentiles (nearest rank over every sample, nothing binned).

use std::time::Duration;

/// One association's throughput run: the client's count and the server's report.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counted {
    /// Messages sent.
    pub sent: u64,
    /// Messages the server received.
    pub received: u64,
    /// Their bytes.
    pub bytes: u64,
    /// The server's time from the start of the run to the last message.
    pub elapsed: Duration,
}

/// A throughput run of one size over all associations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Throughput {
    /// Message size.
    pub size: u32,
    /// Messages sent, all associations.
    pub sent: u64,
    /// Messages received, all associations.
    pub received: u64,
    /// Bytes received.
    pub bytes: u64,
    /// The longest association's elapsed time (they run side by side).
    pub elapsed: Duration,
}

impl Throughput {
    /// Sums the associations' counts.
    pub fn sum(size: u32, parts: &[Counted]) -> Throughput {
        Throughput {
            size,
            sent: parts.iter().map(|c| c.sent).sum(),
            received: parts.iter().map(|c| c.received).sum(),
            bytes: parts.iter().map(|c| c.bytes).sum(),
            elapsed: parts.iter().map(|c| c.elapsed).max().unwrap_or_default(),
        }
    }

    /// Messages sent but not received (abandoned under PR-SCTP).
    pub fn lost(&self) -> u64 {
        self.sent.saturating_sub(self.received)
    }

    /// Received messages per second (0 for an empty run).
    pub fn messages_per_second(&self) -> f64 {
        per_second(self.received as f64, self.elapsed)
    }

    /// Received bytes per second, in MB/s (10^6 bytes).
    pub fn megabytes_per_second(&self) -> f64 {
        per_second(self.bytes as f64, self.elapsed) / 1e6
    }

    /// Received bits per second, in Mbit/s (10^6 bits), as iperf3 counts.
    pub fn megabits_per_second(&self) -> f64 {
        self.megabytes_per_second() * 8.0
    }
}

fn per_second(count: f64, elapsed: Duration) -> f64 {
    let s = elapsed.as_secs_f64();
    if s > 0.0 {
        count / s
    } else {
        0.0
    }
}

/// Round-trip latency of one size over all associations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Latency {
    /// Message size.
    pub size: u32,
    /// Round trips measured.
    pub round_trips: u64,
    /// Fastest.
    pub min: Duration,
    /// Median.
    pub p50: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// 99.9th percentile.
    pub p999: Duration,
    /// Slowest.
    pub max: Duration,
    /// Mean.
    pub mean: Duration,
}

impl Latency {
    /// The summary of `samples` (nanoseconds, any order; sorted in place).
    pub fn from_samples(size: u32, samples: &mut [u64]) -> Latency {
        samples.sort_unstable();
        let at = |q: f64| Duration::from_nanos(nearest_rank(samples, q));
        let sum: u128 = samples.iter().map(|&s| u128::from(s)).sum();
        let mean = match samples.len() {
            0 => 0,
            n => u64::try_from(sum / n as u128).unwrap_or(u64::MAX),
        };
        Latency {
            size,
            round_trips: samples.len() as u64,
            min: at(0.0),
            p50: at(50.0),
            p99: at(99.0),
            p999: at(99.9),
            max: at(100.0),
            mean: Duration::from_nanos(mean),
        }
    }
}

/// The nearest-rank percentile `q` (0..=100, to a tenth) of sorted samples: the smallest
/// sample with at least `q` % of the samples at or below it; 0 for no samples.
pub fn nearest_rank(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len();
    // In tenths of a percent, so that 99.9 % of 1000 is rank 999 exactly.
    let per_mille = (q.clamp(0.0, 100.0) * 10.0).round() as usize;
    let rank = (per_mille * n).div_ceil(1000);
    sorted[rank.clamp(1, n) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<u64> = (1..=1000).collect();
        assert_eq!(nearest_rank(&v, 0.0), 1);
        assert_eq!(nearest_rank(&v, 50.0), 500);
        assert_eq!(nearest_rank(&v, 99.0), 990);
        assert_eq!(nearest_rank(&v, 99.9), 999);
        assert_eq!(nearest_rank(&v, 100.0), 1000);
        assert_eq!(nearest_rank(&[7], 99.9), 7);
        assert_eq!(nearest_rank(&[], 50.0), 0);
        let few = [10, 20, 30];
        assert_eq!(nearest_rank(&few, 50.0), 20);
        assert_eq!(nearest_rank(&few, 99.0), 30);
    }

    #[test]
    fn latency_summary_sorts_and_averages() {
        let mut s = vec![300_000, 100_000, 200_000, 400_000];
        let l = Latency::from_samples(64, &mut s);
        assert_eq!(l.round_trips, 4);
        assert_eq!(l.min, Duration::from_micros(100));
        assert_eq!(l.p50, Duration::from_micros(200));
        assert_eq!(l.max, Duration::from_micros(400));
        assert_eq!(l.mean, Duration::from_micros(250));
        let empty = Latency::from_samples(64, &mut []);
        assert_eq!(
            (empty.round_trips, empty.max, empty.mean),
            (0, Duration::ZERO, Duration::ZERO)
        );
    }

    #[test]
    fn throughput_sums_associations_over_the_longest() {
        let a = Counted {
            sent: 100,
            received: 100,
            bytes: 100_000,
            elapsed: Duration::from_millis(500),
        };
        let b = Counted {
            sent: 100,
            received: 90,
            bytes: 90_000,
            elapsed: Duration::from_secs(1),
        };
        let t = Throughput::sum(1000, &[a, b]);
        assert_eq!(
            (t.sent, t.received, t.lost(), t.bytes),
            (200, 190, 10, 190_000)
        );
        assert_eq!(t.elapsed, Duration::from_secs(1));
        assert!((t.messages_per_second() - 190.0).abs() < 1e-9);
        assert!((t.megabytes_per_second() - 0.19).abs() < 1e-9);
        assert!((t.megabits_per_second() - 1.52).abs() < 1e-9);
        let none = Throughput::sum(1, &[]);
        assert_eq!(none.messages_per_second(), 0.0);
    }
}
