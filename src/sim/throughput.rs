//! The request-rate model (SPEC §5): per-partition token buckets, 503 Slow Down, SDK-style retries
//! with jittered exponential backoff, and S3's gradual scaling of hot prefixes.
//!
//! Throttling does not change cost (the operation takes effect at its last attempt, SPEC §5), so
//! this runs once per workload, independent of the policy; GETs' throttling delays are then added
//! to their restore waits by the cost engine.

use rayon::prelude::*;

use crate::model::Op;
use crate::model::time::{Micros, SECOND};
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

/// Runs the request-rate model over a workload. Partitions are independent: they are dealt to the
/// threads (partition id modulo thread count), and each thread replays its partitions' requests
/// in time order in one pass; the results do not depend on the number of threads.
pub fn simulate_throughput(w: &Workload, opts: &ThroughputOptions) -> Throughput {
    let parts = Partitions::of(w, opts.prefix_depth);
    let mut get_delays: Vec<(u32, u64)> = Vec::new();
    let mut observed: rustc_hash::FxHashMap<u32, u64> = rustc_hash::FxHashMap::default();
    for &(k, _) in &w.observed_503 {
        *observed.entry(parts.key_part[k as usize]).or_default() += 1;
    }
    let prefixes = replay(w, &parts, opts, None, None)
        .into_iter()
        .map(|(id, mut s)| {
            get_delays.append(&mut s.get_delays);
            s.stats.observed_503 = observed.get(&id).copied().unwrap_or(0);
            s.stats
        })
        .collect();
    get_delays.sort_unstable();
    Throughput {
        prefixes,
        get_delays,
    }
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

/// Replays the named prefixes again (the model is deterministic, so they see exactly what
/// [`simulate_throughput`] saw) and records their peaks in at most `max_buckets` intervals.
pub fn rate_series(
    w: &Workload,
    opts: &ThroughputOptions,
    prefixes: &[&str],
    max_buckets: usize,
) -> Vec<RateSeries> {
    let parts = Partitions::of(w, opts.prefix_depth);
    let ids: Vec<u32> = prefixes
        .iter()
        .filter_map(|p| parts.names.binary_search(p).ok().map(|i| i as u32))
        .collect();
    if ids.is_empty() || w.events.is_empty() {
        return Vec::new();
    }
    let start = w.first.div_euclid(SECOND) * SECOND;
    let span = (w.last - start).max(1);
    let per = (span as u64).div_ceil(max_buckets.max(1) as u64);
    let width = (per.div_ceil(SECOND as u64).max(1) * SECOND as u64) as Micros;
    let n = (span / width + 1) as usize;
    let mut out: Vec<RateSeries> = replay(w, &parts, opts, Some(&ids), Some((start, width, n)))
        .into_iter()
        .map(|(_, s)| RateSeries {
            prefix: s.stats.prefix,
            start,
            width,
            buckets: s.series,
        })
        .collect();
    out.sort_by_key(|r| prefixes.iter().position(|p| *p == r.prefix));
    out
}

/// The partition of each key, partitions sorted by name.
struct Partitions<'a> {
    names: Vec<&'a str>,
    key_part: Vec<u32>,
}

impl<'a> Partitions<'a> {
    fn of(w: &'a Workload, depth: Option<u32>) -> Partitions<'a> {
        let key_names: Vec<&str> = w.keys.iter().map(|k| partition_of(k, depth)).collect();
        let mut names = key_names.clone();
        names.sort_unstable();
        names.dedup();
        let key_part = key_names
            .iter()
            .map(|n| names.binary_search(n).expect("present") as u32)
            .collect();
        Partitions { names, key_part }
    }
}

/// Replays the partitions (all, or `only`), optionally recording interval peaks
/// (`record` = start, width, count); returns (partition id, result), by id.
fn replay(
    w: &Workload,
    parts: &Partitions,
    opts: &ThroughputOptions,
    only: Option<&[u32]>,
    record: Option<(Micros, Micros, usize)>,
) -> Vec<(u32, PrefixStats2)> {
    // Requests in (time, row) order: the events as they are when already in that order (the usual
    // case for logs read in row order), else an index sorted by it.
    let in_order = w
        .events
        .windows(2)
        .all(|p| (p[0].time, p[0].row) <= (p[1].time, p[1].row));
    let perm: Option<Vec<u32>> = (!in_order).then(|| {
        let mut v: Vec<u32> = (0..w.events.len() as u32).collect();
        v.par_sort_unstable_by_key(|&i| (w.events[i as usize].time, w.events[i as usize].row));
        v
    });
    let groups = rayon::current_num_threads().clamp(1, parts.names.len().max(1));
    let results: Vec<Vec<(u32, PrefixStats2)>> = (0..groups)
        .into_par_iter()
        .map(|g| {
            let mut group =
                Group::new(&parts.names, &parts.key_part, opts, g, groups, only, record);
            match &perm {
                Some(p) => p.iter().for_each(|&i| group.offer(&w.events[i as usize])),
                None => w.events.iter().for_each(|e| group.offer(e)),
            }
            group.finish()
        })
        .collect();
    let mut all: Vec<(u32, PrefixStats2)> = results.into_iter().flatten().collect();
    all.sort_unstable_by_key(|(p, _)| *p);
    all
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

/// A pending retry: when, the scheduling order, the partition (index within the group), the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Retry {
    at: Micros,
    seq: u64,
    part: u32,
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

/// The state of one partition.
struct Partition {
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
    out: PrefixStats2,
}

/// The partitions dealt to one thread, and their pending retries.
struct Group<'a> {
    key_part: &'a [u32],
    /// Replay only these partitions (sorted ids), and record interval peaks.
    only: Option<&'a [u32]>,
    record: Option<(Micros, Micros, usize)>,
    opts: &'a ThroughputOptions,
    group: u32,
    groups: u32,
    parts: Vec<Option<Partition>>,
    names: Vec<&'a str>,
    retries: std::collections::BinaryHeap<std::cmp::Reverse<Retry>>,
    seq: u64,
}

impl<'a> Group<'a> {
    fn new(
        names: &[&'a str],
        key_part: &'a [u32],
        opts: &'a ThroughputOptions,
        group: usize,
        groups: usize,
        only: Option<&'a [u32]>,
        record: Option<(Micros, Micros, usize)>,
    ) -> Group<'a> {
        let mine: Vec<&'a str> = names.iter().copied().skip(group).step_by(groups).collect();
        Group {
            key_part,
            only,
            record,
            opts,
            group: group as u32,
            groups: groups as u32,
            parts: (0..mine.len()).map(|_| None).collect(),
            names: mine,
            retries: std::collections::BinaryHeap::new(),
            seq: 0,
        }
    }

    /// A new request, in (time, row) order; retries due up to its time go first... after it when
    /// equal (new requests first on ties).
    fn offer(&mut self, e: &Event) {
        if e.op == Op::Initial {
            return; // not a request
        }
        let p = self.key_part[e.key as usize];
        if p % self.groups != self.group || self.only.is_some_and(|o| o.binary_search(&p).is_err())
        {
            return;
        }
        self.run_retries_before(e.time);
        let local = p / self.groups;
        let write = e.op.is_write();
        self.attempt(local, e.row, e.time, e.time, 1, write, e.op == Op::Get);
    }

    fn run_retries_before(&mut self, t: Micros) {
        while let Some(r) = self.retries.peek() {
            if r.0.at >= t {
                break;
            }
            let r = self.retries.pop().expect("peeked").0;
            self.attempt(r.part, r.row, r.original, r.at, r.attempt, r.write, r.get);
        }
    }

    fn partition(&mut self, local: u32, t: Micros) -> &mut Partition {
        let o = self.opts;
        let name = self.names[local as usize];
        let buckets = self.record.map_or(0, |r| r.2);
        self.parts[local as usize].get_or_insert_with(|| Partition {
            read: Bucket::new(o.read_rps, t),
            write: Bucket::new(o.write_rps, t),
            rng: Rng(o.seed ^ fnv1a(name)),
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
            out: PrefixStats2 {
                stats: PrefixStats {
                    prefix: name.to_string(),
                    ..PrefixStats::default()
                },
                get_delays: Vec::new(),
                series: vec![SeriesBucket::default(); buckets],
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn attempt(
        &mut self,
        local: u32,
        row: u32,
        original: Micros,
        t: Micros,
        attempt: u32,
        write: bool,
        get: bool,
    ) {
        let o = self.opts;
        let record = self.record;
        let part = self.partition(local, t);
        let stats = &mut part.out.stats;
        if let Some(at) = part.scale_at
            && t >= at
        {
            part.read.scale(2, at);
            part.write.scale(2, at);
            stats.scaled += 1;
            part.scale_at = None;
        }
        if attempt == 1 {
            if write {
                stats.writes += 1;
            } else {
                stats.reads += 1;
            }
            part.offered.add(t, write, &mut part.offered_peak);
        }
        let bucket =
            record.map(|(start, width, n)| (((t - start).max(0) / width) as usize).min(n - 1));
        if let (Some(b), 1) = (bucket, attempt) {
            let s = &mut part.out.series[b];
            s.offered_reads = s.offered_reads.max(part.offered.reads);
            s.offered_writes = s.offered_writes.max(part.offered.writes);
        }
        let admitted = if write {
            part.write.take(t)
        } else {
            part.read.take(t)
        };
        let last = attempt >= o.max_attempts;
        if !admitted {
            if let Some(b) = bucket {
                part.out.series[b].throttled += 1;
            }
            stats.throttled += 1;
            if attempt == 1 {
                stats.throttled_first += 1;
            }
            if let Some(n) = o.scale_after_minutes {
                let minute = t.div_euclid(60 * SECOND);
                if minute != part.last_minute {
                    part.streak = if minute == part.last_minute + 1 {
                        part.streak + 1
                    } else {
                        1
                    };
                    part.last_minute = minute;
                    if part.streak >= n && part.scale_at.is_none() {
                        part.scale_at = Some((minute + 1) * 60 * SECOND);
                        part.streak = 0;
                        part.last_minute = i64::MIN;
                    }
                }
            }
            if last {
                // Failed; the operation still takes effect now (the application retries), SPEC §5.
                stats.failed += 1;
            } else {
                let cap = (BASE_BACKOFF << (attempt - 1).min(20)).min(MAX_BACKOFF);
                let wait = (part.rng.next_f64() * cap as f64) as Micros;
                self.seq += 1;
                let seq = self.seq;
                self.retries.push(std::cmp::Reverse(Retry {
                    at: t + wait,
                    seq,
                    part: local,
                    row,
                    original,
                    attempt: attempt + 1,
                    write,
                    get,
                }));
                return;
            }
        } else {
            part.window.add(t, write, &mut part.peak);
        }
        // Done: admitted, or failed at its last attempt.
        if t > original {
            let d = (t - original) as u64;
            stats.delays.push(d);
            if get {
                part.out.get_delays.push((row, d));
            }
        }
    }

    fn finish(mut self) -> Vec<(u32, PrefixStats2)> {
        self.run_retries_before(Micros::MAX);
        let (group, groups) = (self.group, self.groups);
        self.parts
            .into_iter()
            .enumerate()
            .filter_map(|(local, p)| {
                let mut p = p?;
                let s = &mut p.out.stats;
                s.peak_read_rps = p.peak.0;
                s.peak_write_rps = p.peak.1;
                s.peak_offered_read_rps = p.offered_peak.0;
                s.peak_offered_write_rps = p.offered_peak.1;
                s.delays.sort_unstable();
                Some((local as u32 * groups + group, p.out))
            })
            .collect()
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
