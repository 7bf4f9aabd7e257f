//! What the request-rate model reports: per-partition statistics and the busiest partitions' rates
//! over time. Result types only: the report reads these, never the model's state.

use crate::model::time::Micros;

/// What one partition saw.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PrefixStats {
    pub prefix: String,
    /// Requests (not attempts) of each type.
    pub reads: u64,
    pub writes: u64,
    /// Highest admitted attempts in one calendar second, by type.
    pub peak_read_rps: u64,
    pub peak_write_rps: u64,
    /// Highest first attempts in one calendar second, by type (the offered load).
    pub peak_offered_read_rps: u64,
    pub peak_offered_write_rps: u64,
    /// Attempts answered 503 Slow Down; of those, first attempts.
    pub throttled: u64,
    pub throttled_first: u64,
    /// Requests still throttled at their last attempt.
    pub failed: u64,
    /// How many times the partition's limits doubled.
    pub scaled: u32,
    /// 503 answers recorded in the input (access logs): throttling observed in production.
    pub observed_503: u64,
    /// Non-zero added delays of requests [µs], sorted; the other requests waited 0.
    pub delays: Vec<u64>,
}

impl PrefixStats {
    pub fn requests(&self) -> u64 {
        self.reads + self.writes
    }

    /// The `q`-quantile (nearest rank) of added delay over all requests [s].
    pub fn delay_quantile(&self, q: f64) -> f64 {
        quantile(self.requests(), &self.delays, q)
    }
}

/// The `q`-quantile (nearest rank) of `n` values of which `nonzero` (sorted) are the non-zero ones [s].
pub fn quantile(n: u64, nonzero: &[u64], q: f64) -> f64 {
    let n = n as usize;
    if n == 0 || nonzero.is_empty() {
        return 0.0;
    }
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
    let zeros = n - nonzero.len();
    if rank <= zeros {
        0.0
    } else {
        nonzero[rank - zeros - 1] as f64 / 1e6
    }
}

/// Peaks of one interval of a [`RateSeries`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SeriesBucket {
    /// Highest first attempts in one second of the interval, by type.
    pub offered_reads: u64,
    pub offered_writes: u64,
    /// Attempts answered 503 in the interval.
    pub throttled: u64,
}

/// A prefix's request rates over time, in equal intervals from `start`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RateSeries {
    pub prefix: String,
    pub start: Micros,
    /// Interval width [µs], a whole number of seconds.
    pub width: Micros,
    pub buckets: Vec<SeriesBucket>,
}
