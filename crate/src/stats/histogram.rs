//! A lock-free log-linear histogram of atomics (HdrHistogram's layout with 16
//! sub-buckets per power of two): recording is one `fetch_add` (plus a rare
//! `fetch_max`), reading walks 976 counters. Values are kept in whole
//! nanoseconds; a percentile is reported as the middle of its bucket, within
//! 1/32 (≈3 %) of the true value.

use std::sync::atomic::{AtomicU64, Ordering};

use super::Percentiles;

const SUB_BITS: u32 = 4;
const SUB: usize = 1 << SUB_BITS;
/// Groups 0 (exact values 0..16) to 60 (values with their top bit at 2^63).
pub(crate) const BUCKETS: usize = (64 - SUB_BITS as usize + 1) * SUB;

pub(crate) struct Histogram {
    buckets: Box<[AtomicU64]>,
    max_ns: AtomicU64,
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram")
            .field("percentiles", &self.percentiles())
            .finish()
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram::new()
    }
}

/// Bucket of a value in ns.
pub(crate) fn index(v: u64) -> usize {
    if v < SUB as u64 {
        return v as usize;
    }
    let top = 63 - v.leading_zeros(); // >= SUB_BITS
    let group = (top - SUB_BITS + 1) as usize;
    let sub = ((v >> (top - SUB_BITS)) as usize) & (SUB - 1);
    group * SUB + sub
}

/// (lowest value, width) of a bucket, in ns.
pub(crate) fn bounds(i: usize) -> (u64, u64) {
    let group = i / SUB;
    let sub = (i % SUB) as u64;
    if group == 0 {
        (sub, 1)
    } else {
        let shift = (group - 1) as u32;
        ((SUB as u64 + sub) << shift, 1u64 << shift)
    }
}

fn to_ns(us: f64) -> u64 {
    if us.is_finite() && us > 0.0 {
        // `as` saturates at u64::MAX.
        (us * 1_000.0).round() as u64
    } else {
        0
    }
}

impl Histogram {
    pub(crate) fn new() -> Histogram {
        Histogram {
            buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
            max_ns: AtomicU64::new(0),
        }
    }

    /// Records a duration in µs (negative and NaN count as 0).
    pub(crate) fn record_us(&self, us: f64) {
        let ns = to_ns(us);
        self.buckets[index(ns)].fetch_add(1, Ordering::Relaxed);
        if ns > self.max_ns.load(Ordering::Relaxed) {
            self.max_ns.fetch_max(ns, Ordering::Relaxed);
        }
    }

    pub(crate) fn percentiles(&self) -> Percentiles {
        let mut counts = vec![0u64; BUCKETS];
        let max_ns = self.add_to(&mut counts);
        percentiles(&counts, max_ns)
    }

    /// Adds this histogram's counts into `counts`; returns its max (ns).
    fn add_to(&self, counts: &mut [u64]) -> u64 {
        for (sum, b) in counts.iter_mut().zip(self.buckets.iter()) {
            *sum += b.load(Ordering::Relaxed);
        }
        self.max_ns.load(Ordering::Relaxed)
    }
}

/// p50/p95/p99/max from bucket counts.
fn percentiles(counts: &[u64], max_ns: u64) -> Percentiles {
    let count: u64 = counts.iter().sum();
    if count == 0 {
        return Percentiles::default();
    }
    let at = |q: f64| -> f64 {
        let rank = ((q * count as f64).ceil() as u64).clamp(1, count);
        let mut seen = 0;
        for (i, &c) in counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, width) = bounds(i);
                let mid = low as f64 + (width - 1) as f64 / 2.0;
                return mid.min(max_ns as f64) / 1_000.0;
            }
        }
        max_ns as f64 / 1_000.0
    };
    Percentiles {
        count,
        p50_us: at(0.50),
        p95_us: at(0.95),
        p99_us: at(0.99),
        max_us: max_ns as f64 / 1_000.0,
    }
}

/// Up to 8 histograms written by different threads (worker `i` writes shard
/// `i % shards`), merged when read: workers do not contend on the same
/// counters (a contended `fetch_add` costs a cache-line transfer per task).
pub(crate) struct ShardedHistogram {
    shards: Box<[Histogram]>,
}

impl std::fmt::Debug for ShardedHistogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardedHistogram")
            .field("shards", &self.shards.len())
            .field("percentiles", &self.percentiles())
            .finish()
    }
}

impl ShardedHistogram {
    pub(crate) const MAX_SHARDS: usize = 8;

    pub(crate) fn new(shards: usize) -> ShardedHistogram {
        let n = shards.clamp(1, Self::MAX_SHARDS);
        ShardedHistogram {
            shards: (0..n).map(|_| Histogram::new()).collect(),
        }
    }

    pub(crate) fn record_us(&self, shard: usize, us: f64) {
        self.shards[shard % self.shards.len()].record_us(us);
    }

    pub(crate) fn percentiles(&self) -> Percentiles {
        let mut counts = vec![0u64; BUCKETS];
        let max_ns = self
            .shards
            .iter()
            .map(|h| h.add_to(&mut counts))
            .max()
            .unwrap_or(0);
        percentiles(&counts, max_ns)
    }
}
