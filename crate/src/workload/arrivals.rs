//! Open arrivals: when each task of a Poisson stream arrives. The gaps are
//! exponential with mean 1/rate, drawn per task id from the seed (a stream
//! of their own, so the tasks are the same with or without arrivals).

use super::rng::{draw, unit, Stream};

/// Arrival times (µs after the stream's start) of tasks `0, 1, 2, ...`.
#[derive(Debug, Clone)]
pub struct Arrivals {
    seed: u64,
    /// Mean gap, µs.
    mean_gap_us: f64,
    next_id: u64,
    at_us: f64,
}

impl Arrivals {
    /// `rate` tasks per second (finite and > 0: `RunConfig::validate`).
    pub fn new(seed: u64, rate: f64) -> Arrivals {
        Arrivals {
            seed,
            mean_gap_us: 1e6 / rate,
            next_id: 0,
            at_us: 0.0,
        }
    }
}

impl Iterator for Arrivals {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        let u = unit(draw(self.seed, self.next_id, Stream::Arrival));
        // Inverse of the exponential distribution; 1 - u is in (0, 1].
        self.at_us += -(1.0 - u).ln() * self.mean_gap_us;
        self.next_id += 1;
        Some(self.at_us)
    }
}

#[cfg(all(test, not(loom), not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_gaps_average_one_over_the_rate_and_repeat_with_the_seed() {
        let times: Vec<f64> = Arrivals::new(42, 200.0).take(20_000).collect();
        assert!(
            times.windows(2).all(|w| w[1] >= w[0]),
            "arrivals only move forward"
        );
        let mean_gap_ms = times[times.len() - 1] / times.len() as f64 / 1_000.0;
        // 1/200 s = 5 ms; with 20,000 gaps the mean is within 3 % (the
        // standard error is 0.7 %) for this fixed seed.
        assert!(
            (mean_gap_ms - 5.0).abs() < 0.15,
            "mean gap {mean_gap_ms} ms"
        );
        // Exponential: the share of gaps above the mean is e^-1 (0.368).
        let gaps: Vec<f64> = std::iter::once(times[0])
            .chain(times.windows(2).map(|w| w[1] - w[0]))
            .collect();
        let above = gaps.iter().filter(|&&g| g > 5_000.0).count() as f64 / gaps.len() as f64;
        assert!((above - (-1.0f64).exp()).abs() < 0.02, "{above}");
        let again: Vec<f64> = Arrivals::new(42, 200.0).take(100).collect();
        assert_eq!(&times[..100], &again[..]);
        let other: Vec<f64> = Arrivals::new(43, 200.0).take(100).collect();
        assert_ne!(&times[..100], &other[..]);
    }
}
