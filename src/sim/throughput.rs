//! The request-rate model (SPEC §5): per-partition token buckets, 503 Slow Down, SDK-style retries
//! with jittered exponential backoff, and S3's gradual scaling of hot prefixes.
//!
//! Throttling does not change cost (the operation takes effect at its last attempt, SPEC §5), so
//! this runs once per workload, independent of the policy; GETs' throttling delays are then added
//! to their restore waits by the cost engine.

use rayon::prelude::*;

use crate::model::Op;
use crate::model::time::{Micros, SECOND};
use crate::prefetch::{AHEAD, prefetch};
use crate::workload::{Event, Workload};

/// Options of the request-rate model.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputOptions {
    /// Write-type (PUT, COPY, POST, DELETE) requests per second per partition.
    pub write_rps: u32,
    /// Read-type (GET, HEAD, LIST) requests per second per partition.
    pub read_rps: u32,
    /// Cut partitions to this many `/`-separated segments (None: the key up to its last `/`).
    pub prefix_depth: Option<u32>,
    /// Attempts in all, the first included (AWS SDK standard mode: 3).
    pub max_attempts: u32,
    /// Seed of the backoff jitter.
    pub seed: u64,
    /// A partition throttled in each of this many consecutive minutes doubles its limits
    /// (s3sim's assumption: AWS publishes no figure); None turns scaling off.
    pub scale_after_minutes: Option<u32>,
}

/// Cap of one backoff delay, and its base, of the AWS SDKs' standard retry mode [µs].
/// See: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const MAX_BACKOFF: Micros = 20 * SECOND;
const BASE_BACKOFF: Micros = SECOND;

/// What one partition saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// The request-rate model's result for one workload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Throughput {
    /// Partitions, sorted by prefix.
    pub prefixes: Vec<PrefixStats>,
    /// (row, added delay [µs]) of every delayed GET, sorted by row (`Event::row`).
    pub get_delays: Vec<(u32, u64)>,
}

impl Throughput {
    /// The throttling delay of the GET at `row` [µs] (0 if it was not delayed).
    pub fn get_delay(delays: &[(u32, u64)], row: u32) -> u64 {
        match delays.binary_search_by_key(&row, |&(r, _)| r) {
            Ok(i) => delays[i].1,
            Err(_) => 0,
        }
    }
}

/// The partition of a key: up to and including its last `/` (`""` for none), cut to `depth` segments.
pub fn partition_of(key: &str, depth: Option<u32>) -> &str {
    let upto = key.rfind('/').map_or(0, |i| i + 1);
    let p = &key[..upto];
    match depth {
        None => p,
        Some(d) => {
            let mut end = 0;
            for (n, (i, _)) in p.match_indices('/').enumerate() {
                if n as u32 >= d {
                    break;
                }
                end = i + 1;
            }
            &p[..end]
        }
    }
}

/// Runs the request-rate model over a workload (see [`simulate_with_series`]).
pub fn simulate_throughput(w: &Workload, opts: &ThroughputOptions) -> Throughput {
    simulate_with_series(w, opts, 0, 1).0
}

/// Runs the request-rate model over a workload, and records the rates of its `hot` busiest
/// prefixes (highest offered rate first, then by name) in at most `max_buckets` intervals.
///
/// Partitions are independent: each replays its own requests in (time, row) order with its own
/// retries, and the partitions are shared out among the threads, so the results do not depend on
/// the number of threads. The hot prefixes are replayed a second time, recording (the model is
/// deterministic, so they see exactly what the first replay saw); that costs only their requests.
pub fn simulate_with_series(
    w: &Workload,
    opts: &ThroughputOptions,
    hot: usize,
    max_buckets: usize,
) -> (Throughput, Vec<RateSeries>) {
    let parts = Partitions::of(w, opts.prefix_depth);
    crate::timing::mark("  partitions of the keys");
    let lists = RequestLists::of(w, &parts);
    crate::timing::mark("  requests listed by partition");
    let mut observed: rustc_hash::FxHashMap<u32, u64> = rustc_hash::FxHashMap::default();
    for &(k, _) in &w.observed_503 {
        *observed.entry(parts.key_part[k as usize]).or_default() += 1;
    }
    let all: Vec<u32> = (0..parts.names.len() as u32).collect();
    let mut get_delays: Vec<(u32, u64)> = Vec::new();
    let prefixes: Vec<PrefixStats> = replay(&parts, &lists, opts, &all, None)
        .into_iter()
        .map(|(id, mut s)| {
            get_delays.append(&mut s.get_delays);
            s.stats.observed_503 = observed.get(&id).copied().unwrap_or(0);
            s.stats
        })
        .collect();
    crate::timing::mark("  replayed");
    get_delays.par_sort_unstable();
    let mut busiest: Vec<&PrefixStats> = prefixes.iter().collect();
    busiest.sort_by_key(|p| {
        (
            std::cmp::Reverse(p.peak_offered_read_rps.max(p.peak_offered_write_rps)),
            p.prefix.as_str(),
        )
    });
    let hot: Vec<u32> = busiest
        .iter()
        .take(hot)
        .filter_map(|p| {
            parts
                .names
                .binary_search(&p.prefix.as_str())
                .ok()
                .map(|i| i as u32)
        })
        .collect();
    let series = if hot.is_empty() || w.events.is_empty() {
        Vec::new()
    } else {
        let start = w.first.div_euclid(SECOND) * SECOND;
        let span = (w.last - start).max(1);
        let per = (span as u64).div_ceil(max_buckets.max(1) as u64);
        let width = (per.div_ceil(SECOND as u64).max(1) * SECOND as u64) as Micros;
        let n = (span / width + 1) as usize;
        let by_id = replay(&parts, &lists, opts, &hot, Some((start, width, n)));
        hot.iter()
            .filter_map(|id| by_id.iter().find(|(i, _)| i == id))
            .map(|(_, s)| RateSeries {
                prefix: s.stats.prefix.clone(),
                start,
                width,
                buckets: s.series.clone(),
            })
            .collect()
    };
    (
        Throughput {
            prefixes,
            get_delays,
        },
        series,
    )
}

/// Peaks of one interval of a [`RateSeries`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeriesBucket {
    /// Highest first attempts in one second of the interval, by type.
    pub offered_reads: u64,
    pub offered_writes: u64,
    /// Attempts answered 503 in the interval.
    pub throttled: u64,
}

/// A prefix's request rates over time, in equal intervals from `start`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateSeries {
    pub prefix: String,
    pub start: Micros,
    /// Interval width [µs], a whole number of seconds.
    pub width: Micros,
    pub buckets: Vec<SeriesBucket>,
}

/// The partition of each key, partitions sorted by name.
struct Partitions<'a> {
    names: Vec<&'a str>,
    key_part: Vec<u32>,
}

impl<'a> Partitions<'a> {
    fn of(w: &'a Workload, depth: Option<u32>) -> Partitions<'a> {
        // Distinct names first (few, usually), then each key's by a hash lookup.
        let mut ids: rustc_hash::FxHashMap<&'a str, u32> = rustc_hash::FxHashMap::default();
        let mut key_part: Vec<u32> = w
            .keys
            .iter()
            .map(|k| {
                let n = ids.len() as u32;
                *ids.entry(partition_of(k, depth)).or_insert(n)
            })
            .collect();
        let mut names: Vec<(&'a str, u32)> = ids.into_iter().collect();
        names.sort_unstable();
        let mut rank = vec![0u32; names.len()];
        for (i, &(_, id)) in names.iter().enumerate() {
            rank[id as usize] = i as u32;
        }
        key_part.par_iter_mut().for_each(|p| *p = rank[*p as usize]);
        Partitions {
            names: names.into_iter().map(|(n, _)| n).collect(),
            key_part,
        }
    }
}

/// A request as the replay needs it, copied out of the events so that each partition's requests
/// are contiguous in memory.
#[derive(Debug, Clone, Copy)]
struct Request {
    time: Micros,
    row: u32,
    write: bool,
    get: bool,
}

/// Each partition's requests in (time, row) order: partition p's are `requests[start[p]..start[p +
/// 1]]`. Initial objects are not requests and are left out.
struct RequestLists {
    start: Vec<usize>,
    requests: Vec<Request>,
}

impl RequestLists {
    fn of(w: &Workload, parts: &Partitions) -> RequestLists {
        let ev = &w.events;
        let in_order = ev
            .par_windows(2)
            .all(|p| (p[0].time, p[0].row) <= (p[1].time, p[1].row));
        let order: Option<Vec<u32>> = (!in_order).then(|| {
            let mut v: Vec<u32> = (0..ev.len() as u32).collect();
            v.par_sort_unstable_by_key(|&i| (ev[i as usize].time, ev[i as usize].row));
            v
        });
        let part =
            |e: &Event| (e.op != Op::Initial).then(|| parts.key_part[e.key as usize] as usize);
        // A counting sort by partition, in parallel over slices of the requests in order: each
        // slice counts its requests per partition, which gives it its own slots to fill.
        let n = order.as_ref().map_or(ev.len(), Vec::len);
        let at = |i: usize| match &order {
            Some(o) => &ev[o[i] as usize],
            None => &ev[i],
        };
        let slices: Vec<std::ops::Range<usize>> = {
            // At most 4 slices: their counts cost 12 bytes per partition each.
            let k = rayon::current_num_threads().clamp(1, 4);
            (0..k).map(|j| n * j / k..n * (j + 1) / k).collect()
        };
        let n_parts = parts.names.len();
        let counts: Vec<Vec<u32>> = slices
            .par_iter()
            .map(|r| {
                let mut c = vec![0u32; n_parts];
                for i in r.clone() {
                    if i + AHEAD < r.end {
                        prefetch(&parts.key_part, at(i + AHEAD).key as usize);
                    }
                    if let Some(p) = part(at(i)) {
                        c[p] += 1;
                    }
                }
                c
            })
            .collect();
        let mut start = vec![0usize; n_parts + 1];
        let mut offsets: Vec<Vec<usize>> = vec![vec![0; n_parts]; slices.len()];
        for p in 0..n_parts {
            let mut at = start[p];
            for (j, c) in counts.iter().enumerate() {
                offsets[j][p] = at;
                at += c[p] as usize;
            }
            start[p + 1] = at;
        }
        drop(counts);
        let mut requests: Vec<Request> = Vec::with_capacity(start[n_parts]);
        let out = SharedSlots(requests.spare_capacity_mut().as_mut_ptr());
        slices
            .par_iter()
            .zip(offsets.par_iter_mut())
            .for_each(|(r, next)| {
                for i in r.clone() {
                    if i + AHEAD < r.end {
                        prefetch(&parts.key_part, at(i + AHEAD).key as usize);
                    }
                    let e = at(i);
                    if let Some(p) = part(e) {
                        let q = Request {
                            time: e.time,
                            row: e.row,
                            write: e.op.is_write(),
                            get: e.op == Op::Get,
                        };
                        // SAFETY: slot next[p] lies in this slice's own range of partition p's
                        // slots (from the counts above), within the capacity; no other slice
                        // writes it, and each slot is written once.
                        unsafe { out.write(next[p], q) };
                        next[p] += 1;
                    }
                }
            });
        // SAFETY: the slices together wrote every slot below start[n_parts] exactly once.
        unsafe { requests.set_len(start[n_parts]) };
        RequestLists { start, requests }
    }

    fn of_partition(&self, p: u32) -> &[Request] {
        &self.requests[self.start[p as usize]..self.start[p as usize + 1]]
    }
}

/// Slots of a buffer that several threads fill, each its own disjoint set.
struct SharedSlots<T>(*mut std::mem::MaybeUninit<T>);

// SAFETY: used only to write disjoint slots from different threads (see its uses).
unsafe impl<T: Send> Sync for SharedSlots<T> {}

impl<T> SharedSlots<T> {
    /// # Safety
    /// `i` is within the buffer, and no other thread writes or reads slot `i` meanwhile.
    unsafe fn write(&self, i: usize, v: T) {
        unsafe { (*self.0.add(i)).write(v) };
    }
}

/// Replays the partitions `ids` (in any order), each on its own, optionally recording interval peaks
/// (`record` = start, width, count); returns (partition id, result) by id, for the partitions
/// that had requests.
fn replay(
    parts: &Partitions,
    lists: &RequestLists,
    opts: &ThroughputOptions,
    ids: &[u32],
    record: Option<(Micros, Micros, usize)>,
) -> Vec<(u32, PrefixStats2)> {
    ids.par_iter()
        .with_max_len(1)
        .filter_map(|&p| {
            let list = lists.of_partition(p);
            let mut r = Replay::new(parts.names[p as usize], opts, record, list.first()?.time);
            for q in list {
                r.offer(q);
            }
            Some((p, r.finish()))
        })
        .collect()
}

/// Per-partition result before merging.
struct PrefixStats2 {
    stats: PrefixStats,
    get_delays: Vec<(u32, u64)>,
    series: Vec<SeriesBucket>,
}

/// A token bucket refilled continuously [tokens in millionths].
#[derive(Debug, Clone)]
struct Bucket {
    base_rps: u64,
    rps: u64,
    tokens: u64,
    at: Micros,
}

const UNIT: u64 = 1_000_000;

impl Bucket {
    fn new(rps: u32, at: Micros) -> Bucket {
        let rps = u64::from(rps);
        Bucket {
            base_rps: rps,
            rps,
            tokens: rps * UNIT,
            at,
        }
    }

    fn refill(&mut self, t: Micros) {
        if t > self.at {
            let cap = self.rps * UNIT; // burst = one second's worth
            self.tokens = (self.tokens + (t - self.at) as u64 * self.rps).min(cap);
            self.at = t;
        }
    }

    fn take(&mut self, t: Micros) -> bool {
        self.refill(t);
        if self.tokens >= UNIT {
            self.tokens -= UNIT;
            true
        } else {
            false
        }
    }

    fn scale(&mut self, factor: u64, t: Micros) {
        self.refill(t);
        self.rps = self.rps.saturating_mul(factor).min(self.base_rps << 40);
    }
}

/// SplitMix64: a small, fast, seedable generator (deterministic for a seed).
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A pending retry: when, the scheduling order, the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Retry {
    at: Micros,
    seq: u64,
    row: u32,
    original: Micros,
    attempt: u32,
    write: bool,
    get: bool,
}

/// Counts of one calendar second, for peaks.
#[derive(Default)]
struct Window {
    second: i64,
    reads: u64,
    writes: u64,
}

impl Window {
    fn add(&mut self, t: Micros, write: bool, peak: &mut (u64, u64)) {
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
struct Replay<'a> {
    opts: &'a ThroughputOptions,
    /// Record interval peaks: (start, width, count).
    record: Option<(Micros, Micros, usize)>,
    read: Bucket,
    write: Bucket,
    rng: Rng,
    peak: (u64, u64),
    offered_peak: (u64, u64),
    window: Window,
    offered: Window,
    /// Scaling: the minute of the last throttle, the streak of consecutive throttled minutes, and a
    /// doubling that takes effect at the start of the next minute.
    last_minute: i64,
    streak: u32,
    scale_at: Option<Micros>,
    retries: std::collections::BinaryHeap<std::cmp::Reverse<Retry>>,
    seq: u64,
    out: PrefixStats2,
}

impl<'a> Replay<'a> {
    /// A partition whose first request comes at `t` (its buckets start full then).
    fn new(
        name: &str,
        opts: &'a ThroughputOptions,
        record: Option<(Micros, Micros, usize)>,
        t: Micros,
    ) -> Replay<'a> {
        let buckets = record.map_or(0, |r| r.2);
        Replay {
            opts,
            record,
            read: Bucket::new(opts.read_rps, t),
            write: Bucket::new(opts.write_rps, t),
            rng: Rng(opts.seed ^ fnv1a(name)),
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
            retries: std::collections::BinaryHeap::new(),
            seq: 0,
            out: PrefixStats2 {
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
    fn offer(&mut self, q: &Request) {
        self.run_retries_before(q.time);
        self.attempt(q.row, q.time, q.time, 1, q.write, q.get);
    }

    fn run_retries_before(&mut self, t: Micros) {
        while let Some(r) = self.retries.peek() {
            if r.0.at >= t {
                break;
            }
            let r = self.retries.pop().expect("peeked").0;
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
                let wait = (self.rng.next_f64() * cap as f64) as Micros;
                self.seq += 1;
                self.retries.push(std::cmp::Reverse(Retry {
                    at: t + wait,
                    seq: self.seq,
                    row,
                    original,
                    attempt: attempt + 1,
                    write,
                    get,
                }));
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

    fn finish(mut self) -> PrefixStats2 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_key_prefixes() {
        assert_eq!(partition_of("logs/2026/01/a.gz", None), "logs/2026/01/");
        assert_eq!(partition_of("logs/2026/01/a.gz", Some(1)), "logs/");
        assert_eq!(partition_of("logs/2026/01/a.gz", Some(2)), "logs/2026/");
        assert_eq!(partition_of("logs/2026/01/a.gz", Some(9)), "logs/2026/01/");
        assert_eq!(partition_of("top.txt", None), "");
        assert_eq!(partition_of("a/x/", None), "a/x/");
        assert_eq!(partition_of("a/x/k", Some(0)), "");
    }

    #[test]
    fn bucket_admits_a_burst_then_refills_at_its_rate() {
        let mut b = Bucket::new(5500, 0);
        assert_eq!((0..6000).filter(|_| b.take(0)).count(), 5500);
        assert!(!b.take(SECOND / 5500 - 1));
        assert!(b.take(SECOND / 5500 + 1));
        // One second later the bucket is full again, never fuller.
        assert_eq!((0..6000).filter(|_| b.take(10 * SECOND)).count(), 5500);
    }

    #[test]
    fn jitter_is_uniform_and_seeded() {
        let mut a = Rng(7);
        let mut b = Rng(7);
        let xs: Vec<f64> = (0..10_000).map(|_| a.next_f64()).collect();
        assert!(xs.iter().all(|&x| (0.0..1.0).contains(&x)));
        assert_eq!(
            xs[..5],
            (0..5).map(|_| b.next_f64()).collect::<Vec<_>>()[..]
        );
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }
}
