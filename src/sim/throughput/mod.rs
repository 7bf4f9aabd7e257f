//! The request-rate model (SPEC §5): per-partition token buckets, 503 Slow Down, SDK-style retries
//! with jittered exponential backoff, and S3's gradual scaling of hot prefixes.
//!
//! Throttling does not change cost (the operation takes effect at its last attempt, SPEC §5), so
//! this runs once per workload, independent of the policy; GETs' throttling delays are then added
//! to their restore waits by the cost engine.

//!
//! Its parts: [`lists`] lays each partition's requests out contiguously, [`replay`] replays one
//! partition, [`retries`] queues its pending retries. What it reports is in
//! [`crate::ledger::rates`].

mod lists;
mod replay;
mod retries;

use rayon::prelude::*;

pub use crate::ledger::rates::{PrefixStats, RateSeries, SeriesBucket, quantile};
use crate::model::time::{Micros, SECOND};
use crate::workload::Workload;
use lists::{Partitions, Request, RequestLists};
use replay::{Window, replay_partition};
use retries::RING_AFTER;

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

/// The partition hash: 64-bit FNV-1a of the partition's UTF-8 bytes (offset basis
/// 0xcbf29ce484222325, prime 0x100000001b3). Stable across versions and machines: a partition's
/// shard is `partition_hash(partition) % shards` (SPEC §10).
pub fn partition_hash(partition: &str) -> u64 {
    partition.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
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
/// the number of threads. Each partition is replayed once: the busiest are known before the
/// replay (the offered rate counts first attempts, at the requests' own times, whatever the
/// throttling), so their replay records their series as it goes.
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
    let hot = busiest(&lists, hot);
    crate::timing::mark("  busiest partitions");
    let record = (!hot.is_empty() && !w.events.is_empty()).then(|| {
        let start = w.first.div_euclid(SECOND) * SECOND;
        let span = (w.last - start).max(1);
        let per = (span as u64).div_ceil(max_buckets.max(1) as u64);
        let width = (per.div_ceil(SECOND as u64).max(1) * SECOND as u64) as Micros;
        let n = (span / width + 1) as usize;
        (start, width, n)
    });
    // The partitions that have requests (4 bytes each): an indexed parallel iterator over them
    // collects each partition's stats straight into its slot of the result. Delayed GETs and
    // series, which few partitions have, are gathered apart.
    let active: Vec<u32> = (0..lists.partitions() as u32)
        .filter(|&p| !lists.of_partition(p).is_empty())
        .collect();
    let hot_ids = {
        let mut v = hot.clone();
        v.sort_unstable();
        v
    };
    let get_delays = std::sync::Mutex::new(Vec::new());
    let recorded = std::sync::Mutex::new(Vec::new());
    let prefixes: Vec<PrefixStats> = active
        .par_iter()
        .with_max_len(1)
        .map(|&p| {
            let rec = record.filter(|_| hot_ids.binary_search(&p).is_ok());
            let out = replay_partition(
                parts.names[p as usize],
                lists.of_partition(p),
                opts,
                rec,
                RING_AFTER,
            );
            if !out.get_delays.is_empty() {
                let mut all = get_delays.lock().expect("no panics while held");
                if all.is_empty() {
                    *all = out.get_delays;
                } else {
                    all.extend_from_slice(&out.get_delays);
                }
            }
            if rec.is_some() {
                recorded
                    .lock()
                    .expect("no panics while held")
                    .push((p, out.series));
            }
            let mut stats = out.stats;
            stats.observed_503 = observed.get(&p).copied().unwrap_or(0);
            stats
        })
        .collect();
    drop(active);
    crate::timing::mark("  replayed");
    let mut get_delays = get_delays.into_inner().expect("no panics while held");
    // Rows are distinct: the order is total, whatever order the threads appended in.
    get_delays.par_sort_unstable();
    let mut recorded = recorded.into_inner().expect("no panics while held");
    recorded.sort_unstable_by_key(|r| r.0);
    let series = match record {
        Some((start, width, _)) => hot
            .iter()
            .filter_map(|id| {
                let i = recorded.binary_search_by_key(id, |r| r.0).ok()?;
                Some(RateSeries {
                    prefix: parts.names[*id as usize].to_string(),
                    start,
                    width,
                    buckets: std::mem::take(&mut recorded[i].1),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    (
        Throughput {
            prefixes,
            get_delays,
        },
        series,
    )
}

/// The `n` busiest partitions that have requests, busiest first: by peak offered rate (first
/// attempts in one calendar second, of either type), then by name (partition ids are in name
/// order). The offered rate depends only on the requests' own times, not on the throttling, so
/// this scan gives before the replay the partitions the replay's `peak_offered_*` would rank first.
fn busiest(lists: &RequestLists, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    type Rank = (std::cmp::Reverse<u64>, u32);
    let keep = |mut top: Vec<Rank>| {
        top.sort_unstable();
        top.truncate(n);
        top
    };
    let top = (0..lists.partitions() as u32)
        .into_par_iter()
        .filter_map(|p| {
            let list = lists.of_partition(p);
            (!list.is_empty()).then(|| (std::cmp::Reverse(offered_peak(list)), p))
        })
        .fold(Vec::new, |mut top: Vec<Rank>, r| {
            top.push(r);
            if top.len() >= n.saturating_mul(2).saturating_add(64) {
                top = keep(top);
            }
            top
        })
        .reduce(Vec::new, |mut a, b| {
            a.extend(b);
            keep(a)
        });
    keep(top).into_iter().map(|(_, p)| p).collect()
}

/// The highest number of requests of one type in one calendar second (the offered load).
fn offered_peak(list: &[Request]) -> u64 {
    let mut window = Window {
        second: i64::MIN,
        ..Window::default()
    };
    let mut peak = (0, 0);
    for q in list {
        window.add(q.time, q.write, &mut peak);
    }
    peak.0.max(peak.1)
}

#[cfg(test)]
mod tests {
    use super::replay::{Bucket, Replay};
    use super::*;
    use crate::model::Op;
    use crate::workload::Event;

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

    fn opts(seed: u64) -> ThroughputOptions {
        ThroughputOptions {
            write_rps: 3500,
            read_rps: 5500,
            prefix_depth: None,
            max_attempts: 3,
            seed,
            scale_after_minutes: Some(30),
        }
    }

    /// A workload of `(time, op, key)` requests, keys given by name.
    fn workload(requests: &[(Micros, Op, &str)]) -> Workload {
        let mut names: Vec<&str> = requests.iter().map(|r| r.2).collect();
        names.sort_unstable();
        names.dedup();
        let events = requests
            .iter()
            .map(|&(time, op, k)| Event {
                time,
                size: if op == Op::Put { 1000 } else { 0 },
                key: names.binary_search(&k).expect("listed") as u32,
                tags: 0,
                row: 0,
                op,
                class: crate::model::StorageClass::Standard,
                tier: 0,
            })
            .collect();
        let keys = names.into_iter().map(Box::from).collect();
        Workload::from_events("t", keys, Vec::new(), events)
    }

    /// Issue 11, D5: a partition costs its stats (a fixed-size struct and its name), nothing
    /// allocated per partition that it does not need: one-object partitions, never throttled,
    /// allocate no vectors, in the result or on the way.
    #[test]
    fn d5_partition_state_is_small() {
        // 10 counters, `scaled`, the name and the delays: a vector more would be 160.
        assert!(
            std::mem::size_of::<PrefixStats>() <= 136,
            "{}",
            std::mem::size_of::<PrefixStats>()
        );
        let names: Vec<String> = (0..2000).map(|i| format!("p{i:07}/obj")).collect();
        let mut requests = Vec::new();
        for (i, k) in names.iter().enumerate() {
            let t = i as Micros * SECOND;
            requests.push((t, Op::Put, k.as_str()));
            requests.push((t + SECOND / 2, Op::Get, k.as_str()));
        }
        let w = workload(&requests);
        let (t, series) = simulate_with_series(&w, &opts(0), 5, 100);
        assert_eq!(t.prefixes.len(), 2000);
        assert_eq!(series.len(), 5);
        assert_eq!(t.get_delays.capacity(), 0);
        for p in &t.prefixes {
            assert_eq!((p.reads, p.writes, p.throttled), (1, 1, 0));
            assert_eq!(p.delays.capacity(), 0, "{}", p.prefix);
            assert_eq!(p.prefix.capacity(), p.prefix.len(), "{}", p.prefix);
        }
        // The per-partition result of the replay, before its stats are kept: no vector allocated
        // unless a series is recorded, and no queue of retries.
        let parts = Partitions::of(&w, None);
        let lists = RequestLists::of(&w, &parts);
        assert_eq!(lists.partitions(), 2000);
        let o = opts(0);
        for p in 0..2000 {
            let list = lists.of_partition(p);
            let mut r = Replay::new(parts.names[p as usize], &o, None, list[0].time, RING_AFTER);
            for q in list {
                r.offer(q);
            }
            assert_eq!(r.retries_capacity(), 0);
            let out = r.finish();
            let vectors =
                out.get_delays.capacity() + out.series.capacity() + out.stats.delays.capacity();
            assert_eq!(vectors, 0);
        }
    }

    /// Issue 11, D9: every partition is replayed once. The busiest partitions (by offered rate)
    /// are chosen before the replay, and are the ones the replay's own peaks rank first; their
    /// series, recorded in that single replay, are what a separate recording replay gives. The
    /// flooded partition's queue of retries (a calendar queue past `RING_AFTER` pending) takes
    /// them in the same order as a plain heap: the same stats, delays and series.
    #[test]
    fn d9_flooded_prefix_is_replayed_once() {
        let t0 = 1_767_225_600 * SECOND;
        let mut requests = Vec::new();
        let keys: Vec<String> = (0..7)
            .map(|i| format!("{}/k", (b'a' + i) as char))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            requests.push((t0, Op::Put, k.as_str()));
            for j in 0..(i + 1) * 10 {
                requests.push((
                    t0 + (i as Micros + 1) * 60 * SECOND + j as Micros,
                    Op::Get,
                    k.as_str(),
                ));
            }
        }
        // The flood: 20,000 GETs at one instant, then 6,000 a second for 90 s, and writes.
        requests.push((t0, Op::Put, "flood/k"));
        for _ in 0..20_000 {
            requests.push((t0 + 3_600 * SECOND, Op::Get, "flood/k"));
        }
        for i in 0..540_000 {
            requests.push((t0 + 3_601 * SECOND + i * SECOND / 6_000, Op::Get, "flood/k"));
        }
        for i in 0..5_000 {
            requests.push((t0 + 3_610 * SECOND + i * 100, Op::Put, "flood/k"));
        }
        let w = workload(&requests);
        let mut o = opts(3);
        o.max_attempts = 5;
        o.scale_after_minutes = Some(1);
        let (tp, series) = simulate_with_series(&w, &o, 3, 50);
        let flood = tp
            .prefixes
            .iter()
            .find(|p| p.prefix == "flood/")
            .expect("flood/");
        assert!(flood.throttled > 10_000 && flood.scaled > 0, "{flood:?}");

        // The busiest before the replay are the busiest by the replay's peaks.
        let parts = Partitions::of(&w, None);
        let lists = RequestLists::of(&w, &parts);
        let before: Vec<&str> = busiest(&lists, 3)
            .iter()
            .map(|&p| parts.names[p as usize])
            .collect();
        let mut after: Vec<&PrefixStats> = tp.prefixes.iter().collect();
        after.sort_by_key(|p| {
            (
                std::cmp::Reverse(p.peak_offered_read_rps.max(p.peak_offered_write_rps)),
                p.prefix.as_str(),
            )
        });
        let after: Vec<&str> = after[..3].iter().map(|p| p.prefix.as_str()).collect();
        assert_eq!(before, after);
        assert_eq!(before, ["flood/", "g/", "f/"]);
        let got: Vec<&str> = series.iter().map(|s| s.prefix.as_str()).collect();
        assert_eq!(got, before);

        // A separate recording replay of each busiest partition gives the same series and stats.
        for s in &series {
            let p = parts
                .names
                .binary_search(&s.prefix.as_str())
                .expect("a partition") as u32;
            let record = Some((s.start, s.width, s.buckets.len()));
            let again = replay_partition(&s.prefix, lists.of_partition(p), &o, record, RING_AFTER);
            assert_eq!(again.series, s.buckets, "{}", s.prefix);
            let mut stats = again.stats;
            stats.observed_503 = 0;
            assert_eq!(
                &stats,
                tp.prefixes.iter().find(|q| q.prefix == s.prefix).unwrap()
            );
        }

        // The calendar queue against the plain heap, entered at once, late, or never.
        let p = parts.names.binary_search(&"flood/").expect("flood/") as u32;
        let list = lists.of_partition(p);
        let record = Some((t0, 10 * SECOND, 400));
        let heap = replay_partition("flood/", list, &o, record, usize::MAX);
        for ring_after in [0, 100, RING_AFTER] {
            let ring = replay_partition("flood/", list, &o, record, ring_after);
            assert_eq!(ring.stats, heap.stats, "{ring_after}");
            assert_eq!(ring.get_delays, heap.get_delays, "{ring_after}");
            assert_eq!(ring.series, heap.series, "{ring_after}");
        }
    }
}
