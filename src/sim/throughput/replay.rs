//! One partition's replay: token buckets, retries with jittered backoff, scaling, peaks.

use super::lists::Request;
use super::retries::{Retries, Retry};
use super::{BASE_BACKOFF, MAX_BACKOFF, ThroughputOptions};
use crate::ledger::rates::{PrefixStats, SeriesBucket};
use crate::model::time::{Micros, SECOND};
use crate::rng::SplitMix64;

/// Replays one partition's requests (in (time, row) order, not empty), optionally recording
/// interval peaks (`record` = start, width, count). `ring_after`: see [`Retries`].
pub(super) fn replay_partition(
    name: &str,
    list: &[Request],
    opts: &ThroughputOptions,
    record: Option<(Micros, Micros, usize)>,
    ring_after: usize,
) -> PartitionResult {
    let mut r = Replay::new(name, opts, record, list[0].time, ring_after);
    for q in list {
        r.offer(q);
    }
    r.finish()
}

/// What one partition's replay gives; its vectors stay unallocated unless they have something to
/// hold (delays, or a series to record).
#[cfg_attr(test, derive(Debug, PartialEq))]
pub(super) struct PartitionResult {
    pub(super) stats: PrefixStats,
    pub(super) get_delays: Vec<(u32, u64)>,
    pub(super) series: Vec<SeriesBucket>,
}

/// A token bucket refilled continuously [tokens in millionths].
#[derive(Debug, Clone)]
pub(super) struct Bucket {
    base_rps: u64,
    rps: u64,
    tokens: u64,
    at: Micros,
}

const UNIT: u64 = 1_000_000;

impl Bucket {
    pub(super) fn new(rps: u32, at: Micros) -> Bucket {
        let rps = u64::from(rps);
        Bucket {
            base_rps: rps,
            rps,
            tokens: rps * UNIT,
            at,
        }
    }

    pub(super) fn refill(&mut self, t: Micros) {
        if t > self.at {
            let cap = self.rps * UNIT; // burst = one second's worth
            self.tokens = (self.tokens + (t - self.at) as u64 * self.rps).min(cap);
            self.at = t;
        }
    }

    pub(super) fn take(&mut self, t: Micros) -> bool {
        self.refill(t);
        if self.tokens >= UNIT {
            self.tokens -= UNIT;
            true
        } else {
            false
        }
    }

    pub(super) fn scale(&mut self, factor: u64, t: Micros) {
        self.refill(t);
        self.rps = self.rps.saturating_mul(factor).min(self.base_rps << 40);
    }
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Counts of one calendar second, for peaks.
#[derive(Default)]
pub(super) struct Window {
    pub(super) second: i64,
    pub(super) reads: u64,
    pub(super) writes: u64,
}

impl Window {
    pub(super) fn add(&mut self, t: Micros, write: bool, peak: &mut (u64, u64)) {
        let s = t.div_euclid(SECOND);
        if s != self.second {
            *self = Window {
                second: s,
                reads: 0,
                writes: 0,
            };
        }
        if write {
            self.writes += 1;
            peak.1 = peak.1.max(self.writes);
        } else {
            self.reads += 1;
            peak.0 = peak.0.max(self.reads);
        }
    }
}

/// One partition's replay: its buckets, peaks, scaling state and pending retries.
pub(super) struct Replay<'a> {
    opts: &'a ThroughputOptions,
    /// Record interval peaks: (start, width, count).
    record: Option<(Micros, Micros, usize)>,
    read: Bucket,
    write: Bucket,
    rng: SplitMix64,
    peak: (u64, u64),
    offered_peak: (u64, u64),
    window: Window,
    offered: Window,
    /// Scaling: the minute of the last throttle, the streak of consecutive throttled minutes, and a
    /// doubling that takes effect at the start of the next minute.
    last_minute: i64,
    streak: u32,
    scale_at: Option<Micros>,
    retries: Retries,
    seq: u64,
    out: PartitionResult,
}

impl<'a> Replay<'a> {
    /// What its retry queue holds allocated (tests).
    #[cfg(test)]
    pub(super) fn retries_capacity(&self) -> usize {
        self.retries.capacity()
    }

    /// A partition whose first request comes at `t` (its buckets start full then).
    pub(super) fn new(
        name: &str,
        opts: &'a ThroughputOptions,
        record: Option<(Micros, Micros, usize)>,
        t: Micros,
        ring_after: usize,
    ) -> Replay<'a> {
        let buckets = record.map_or(0, |r| r.2);
        Replay {
            opts,
            record,
            read: Bucket::new(opts.read_rps, t),
            write: Bucket::new(opts.write_rps, t),
            rng: SplitMix64::from_state(opts.seed ^ fnv1a(name)),
            peak: (0, 0),
            offered_peak: (0, 0),
            window: Window {
                second: i64::MIN,
                ..Window::default()
            },
            offered: Window {
                second: i64::MIN,
                ..Window::default()
            },
            last_minute: i64::MIN,
            streak: 0,
            scale_at: None,
            retries: Retries::new(ring_after),
            seq: 0,
            out: PartitionResult {
                stats: PrefixStats {
                    prefix: name.to_string(),
                    ..PrefixStats::default()
                },
                get_delays: Vec::new(),
                series: vec![SeriesBucket::default(); buckets],
            },
        }
    }

    /// A new request, in (time, row) order; retries due before its time go first (new requests
    /// first on ties).
    pub(super) fn offer(&mut self, q: &Request) {
        self.run_retries_before(q.time);
        self.attempt(q.row, q.time, q.time, 1, q.write, q.get);
    }

    pub(super) fn run_retries_before(&mut self, t: Micros) {
        while let Some(r) = self.retries.pop_before(t) {
            self.attempt(r.row, r.original, r.at, r.attempt, r.write, r.get);
        }
    }

    fn attempt(
        &mut self,
        row: u32,
        original: Micros,
        t: Micros,
        attempt: u32,
        write: bool,
        get: bool,
    ) {
        let o = self.opts;
        let stats = &mut self.out.stats;
        if let Some(at) = self.scale_at
            && t >= at
        {
            self.read.scale(2, at);
            self.write.scale(2, at);
            stats.scaled += 1;
            self.scale_at = None;
        }
        if attempt == 1 {
            if write {
                stats.writes += 1;
            } else {
                stats.reads += 1;
            }
            self.offered.add(t, write, &mut self.offered_peak);
        }
        let bucket = self
            .record
            .map(|(start, width, n)| (((t - start).max(0) / width) as usize).min(n - 1));
        if let (Some(b), 1) = (bucket, attempt) {
            let s = &mut self.out.series[b];
            s.offered_reads = s.offered_reads.max(self.offered.reads);
            s.offered_writes = s.offered_writes.max(self.offered.writes);
        }
        let admitted = if write {
            self.write.take(t)
        } else {
            self.read.take(t)
        };
        let last = attempt >= o.max_attempts;
        if !admitted {
            if let Some(b) = bucket {
                self.out.series[b].throttled += 1;
            }
            stats.throttled += 1;
            if attempt == 1 {
                stats.throttled_first += 1;
            }
            if let Some(n) = o.scale_after_minutes {
                let minute = t.div_euclid(60 * SECOND);
                if minute != self.last_minute {
                    self.streak = if minute == self.last_minute + 1 {
                        self.streak + 1
                    } else {
                        1
                    };
                    self.last_minute = minute;
                    if self.streak >= n && self.scale_at.is_none() {
                        self.scale_at = Some((minute + 1) * 60 * SECOND);
                        self.streak = 0;
                        self.last_minute = i64::MIN;
                    }
                }
            }
            if last {
                // Failed; the operation still takes effect now (the application retries), SPEC §5.
                stats.failed += 1;
            } else {
                let cap = (BASE_BACKOFF << (attempt - 1).min(20)).min(MAX_BACKOFF);
                let wait = (self.rng.uniform() * cap as f64) as Micros;
                self.seq += 1;
                self.retries.push(
                    Retry {
                        at: t + wait,
                        seq: self.seq,
                        row,
                        original,
                        attempt: attempt + 1,
                        write,
                        get,
                    },
                    t,
                );
                return;
            }
        } else {
            self.window.add(t, write, &mut self.peak);
        }
        // Done: admitted, or failed at its last attempt.
        if t > original {
            let d = (t - original) as u64;
            stats.delays.push(d);
            if get {
                self.out.get_delays.push((row, d));
            }
        }
    }

    pub(super) fn finish(mut self) -> PartitionResult {
        self.run_retries_before(Micros::MAX);
        let s = &mut self.out.stats;
        s.peak_read_rps = self.peak.0;
        s.peak_write_rps = self.peak.1;
        s.peak_offered_read_rps = self.offered_peak.0;
        s.peak_offered_write_rps = self.offered_peak.1;
        s.delays.sort_unstable();
        self.out
    }
}
