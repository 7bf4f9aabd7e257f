//! The request-rate model (SPEC §5): per-prefix token buckets, 503 Slow Down, retries, scaling,
//! and GET latency with restore waits.

use crate::common::*;
use s3sim::ledger::Component;
use s3sim::model::time::{HOUR, SECOND};
use s3sim::model::{Op, StorageClass};
use s3sim::policy::Policy;
use s3sim::sim::throughput::{PrefixStats, Throughput, ThroughputOptions, simulate_throughput};
use s3sim::sim::{SimOptions, simulate_chunks};
use s3sim::workload::ByKey;

fn topts(seed: u64) -> ThroughputOptions {
    ThroughputOptions {
        write_rps: 3500,
        read_rps: 5500,
        prefix_depth: None,
        max_attempts: 3,
        seed,
        scale_after_minutes: Some(30),
    }
}

fn with_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(f)
}

fn prefix<'a>(t: &'a Throughput, p: &str) -> &'a PrefixStats {
    t.prefixes
        .iter()
        .find(|s| s.prefix == p)
        .unwrap_or_else(|| panic!("no prefix {p}"))
}

/// `n` GETs of distinct existing keys under each of `prefixes`, all at 2026-01-01T12:00:00Z.
fn burst(prefixes: &[&str], n: usize) -> ByKey {
    let mut b = Builder::new();
    let t0 = t("2026-01-01T00:00:00Z");
    let at = t("2026-01-01T12:00:00Z");
    for p in prefixes {
        let keys: Vec<u32> = (0..n).map(|i| b.key(&format!("{p}k{i}"))).collect();
        // Created 1 ms apart, well under the write limit.
        for (i, &k) in keys.iter().enumerate() {
            b.push(
                t0 + i as i64 * 1000,
                Op::Put,
                k,
                1000,
                StorageClass::Standard,
            );
        }
        for &k in &keys {
            b.get(at, k);
        }
    }
    b.build()
}

/// 11,000 GETs to one prefix at one instant: the bucket holds 5,500 tokens (one second of the
/// 5,500/s limit), so exactly 5,500 are admitted and 5,500 first attempts get 503. Retries wait
/// U(0,1) x 1 s, then U(0,1) x 2 s; the bucket refills 5,500 tokens a second, so most succeed.
/// These counts hold for any seed and thread count.
#[test]
fn a_burst_over_the_read_limit_is_throttled_then_retried() {
    let w = burst(&["hot/"], 11_000);
    for seed in [0, 1, 42] {
        let runs: Vec<Throughput> = [1, 2]
            .iter()
            .map(|&n| with_threads(n, || simulate_throughput(&w, &topts(seed))))
            .collect();
        assert_eq!(
            runs[0], runs[1],
            "seed {seed}: the thread count changes nothing"
        );
        let p = prefix(&runs[0], "hot/");
        assert_eq!(p.reads, 11_000);
        assert_eq!(p.throttled_first, 5_500, "seed {seed}");
        assert!(p.peak_read_rps >= 5_500 && p.peak_offered_read_rps == 11_000);
        assert!(
            p.failed < 1_000,
            "most retries succeed: {} failed",
            p.failed
        );
        assert!(p.throttled >= 5_500 + p.failed);
        // Every throttled request waited, at most 1 s + 2 s of backoff.
        assert_eq!(p.delays.len(), 5_500);
        assert!(*p.delays.last().unwrap() <= 3 * SECOND as u64);
    }
}

/// The same load split across two prefixes stays under each prefix's limit; cutting both to their
/// first segment (`--prefix-depth 1`) puts them in one partition again.
#[test]
fn prefixes_scale_reads_and_depth_merges_them() {
    let w = burst(&["a/x/", "a/y/"], 5_500);
    let t = simulate_throughput(&w, &topts(0));
    assert_eq!(t.prefixes.len(), 2);
    for p in &t.prefixes {
        assert_eq!(
            (p.reads, p.throttled, p.failed),
            (5_500, 0, 0),
            "{}",
            p.prefix
        );
    }
    let mut o = topts(0);
    o.prefix_depth = Some(1);
    let t = simulate_throughput(&w, &o);
    assert_eq!(t.prefixes.len(), 1);
    let p = prefix(&t, "a/");
    assert_eq!((p.reads, p.throttled_first), (11_000, 5_500));
}

/// PUTs at a steady rate for `seconds`, evenly spaced (timestamps in µs).
fn steady_puts(rate: i64, seconds: i64) -> ByKey {
    let mut b = Builder::new();
    let t0 = t("2026-01-01T00:00:00Z");
    for i in 0..rate * seconds {
        let k = b.keys.len() as u32;
        b.keys.push(format!("ingest/o{i}").into());
        b.push(
            t0 + i * SECOND / rate,
            Op::Put,
            k,
            10,
            StorageClass::Standard,
        );
    }
    b.build()
}

/// 3,500 PUTs a second for a minute fit the 3,500/s write limit; 3,600 a second drain the
/// 3,500-token bucket by 100 tokens a second, so throttling starts after about 35 s.
#[test]
fn sustained_writes_at_and_over_the_limit() {
    let t = simulate_throughput(&steady_puts(3_500, 60), &topts(0));
    let p = prefix(&t, "ingest/");
    assert_eq!((p.writes, p.throttled, p.failed), (210_000, 0, 0));
    assert_eq!(p.peak_write_rps, 3_500);

    let t = simulate_throughput(&steady_puts(3_600, 60), &topts(0));
    let p = prefix(&t, "ingest/");
    assert!(p.throttled_first > 0);
    assert_eq!(p.scaled, 0, "one throttled minute is short of 30");
}

/// With scaling after 1 throttled minute, the limits double at the start of the next minute and
/// the throttling stops: over three minutes at 3,600/s, no 503 after minute 1 ends.
#[test]
fn scaling_stops_the_throttling() {
    let w = steady_puts(3_600, 180);
    let mut o = topts(0);
    o.scale_after_minutes = Some(1);
    let scaled = simulate_throughput(&w, &o);
    let p = prefix(&scaled, "ingest/");
    assert_eq!(p.scaled, 1);
    o.scale_after_minutes = None;
    let unscaled = simulate_throughput(&w, &o);
    let q = prefix(&unscaled, "ingest/");
    assert_eq!(q.scaled, 0);
    // Throttling only in the first minute with scaling; all along without.
    assert!(
        p.throttled_first > 0 && q.throttled_first > 5 * p.throttled_first,
        "{} vs {}",
        p.throttled_first,
        q.throttled_first
    );
    // Without scaling, a 100/s deficit over 145 s throttles at least 100 x 100 first attempts.
    assert!(q.throttled_first >= 10_000, "{}", q.throttled_first);
}

fn sim_opts(tier: s3sim::model::RestoreTier) -> SimOptions {
    let mut o = opts("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z");
    o.restore_tier = tier;
    o
}

/// A GET of a DEEP_ARCHIVE object with bulk restores waits 48 h; a second GET during the restore
/// waits for the same restore (one restore request billed); a GET after the copy expired restores
/// again.
#[test]
fn deep_archive_restores_wait_and_are_shared() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,cold/x,1073741824,DEEP_ARCHIVE\n\
         2026-01-05T00:00:00Z,GET,cold/x,,\n\
         2026-01-06T00:00:00Z,GET,cold/x,,\n\
         2026-01-20T00:00:00Z,GET,cold/x,,\n",
    );
    let o = sim_opts(s3sim::model::RestoreTier::Bulk);
    let (r, bill) = run(&w, &Policy::none(), &o);
    // 1st GET: 48 h; 2nd (24 h later): the rest of the same restore, 24 h; the copy lives until
    // 00:00 after Jan 7 00:00 + 1 day = Jan 8; the 3rd GET (Jan 20) restores again: 48 h.
    assert_eq!(
        r.stats.get_latencies,
        vec![24 * HOUR as u64, 48 * HOUR as u64, 48 * HOUR as u64]
    );
    assert_eq!(r.stats.restores, 2);
    assert_eq!(r.stats.archived_gets, 3);
    // Two bulk restore requests at $0.025 per 1,000 and 2 GB at $0.0025.
    close(
        bill.usd(0, "DEEP_ARCHIVE", Component::RestoreRequests),
        2.0 * 0.025 / 1000.0,
        1e-15,
    );
    close(
        bill.usd(0, "DEEP_ARCHIVE", Component::Retrieval),
        2.0 * 0.0025,
        1e-15,
    );
    assert_eq!(r.stats.get_latency_quantile(0.5), 48.0 * 3600.0);
}

/// Throttling delays add to restore waits in the GET latency; costs do not depend on throttling
/// or on the seed, and first-attempt throttle counts do not depend on the seed.
#[test]
fn throttling_delays_add_to_get_latency_but_not_to_cost() {
    let w = burst(&["hot/"], 11_000);
    let o = sim_opts(s3sim::model::RestoreTier::Standard);
    let p = Policy::none();
    let calm = simulate_chunks(&w, &p, &o, 3, &[]);
    let mut seen = Vec::new();
    for seed in [0, 9] {
        let t = simulate_throughput(&w, &topts(seed));
        let hot = simulate_chunks(&w, &p, &o, 3, &t.get_delays);
        assert_eq!(hot.usage, calm.usage, "cost does not depend on throttling");
        assert_eq!(hot.stats.get_latencies.len(), 5_500);
        // Nothing is archived, so a GET's latency is its throttling delay: the cost engine's
        // percentiles are the request-rate model's. The 5,500 GETs over the burst retry after a
        // uniform wait below 1 s (the SDK's first backoff cap), a few again below 2 s more: the
        // p99 (rank 10,890 of 11,000, the 5,390th of the 5,500 delays) lies near 1 s.
        let mut delays: Vec<u64> = t.get_delays.iter().map(|&(_, d)| d).collect();
        delays.sort_unstable();
        assert_eq!(hot.stats.get_latencies, delays);
        let p99 = hot.stats.get_latency_quantile(0.99);
        assert_eq!(p99, s3sim::sim::throughput::quantile(11_000, &delays, 0.99));
        assert!(p99 > 0.9 && p99 < 3.0, "{p99}");
        assert_eq!(calm.stats.get_latency_quantile(0.99), 0.0);
        seen.push((
            prefix(&t, "hot/").throttled_first,
            hot.stats.get_latencies.clone(),
        ));
    }
    assert_eq!(seen[0].0, seen[1].0);
    assert_ne!(seen[0].1, seen[1].1, "different seeds jitter differently");
}

/// Replaying requests in row order (a workload as read) or through a (time, row) index (one
/// grouped by key, or rows out of time order) gives the same result.
#[test]
fn row_order_and_key_order_give_the_same_rates() {
    let mut csv = String::from("timestamp,op,key,size\n");
    // Out of time order on purpose, with equal timestamps across keys and bursts over the limit.
    for i in 0..60_000u64 {
        let sec = 1_767_225_600 + (i * 7919) % 3;
        let op = if i % 4 == 0 { "PUT" } else { "GET" };
        let size = if op == "PUT" { "10" } else { "" };
        csv.push_str(&format!("{sec},{op},p{}/k{},{size}\n", i % 2, i % 500));
    }
    let raw = s3sim::workload::read_native_csv("w.csv", csv.as_bytes()).unwrap();
    let grouped = raw.clone().group_by_key();
    for threads in [1, 3] {
        let a = with_threads(threads, || simulate_throughput(&raw, &topts(5)));
        let b = with_threads(threads, || simulate_throughput(&grouped, &topts(5)));
        assert_eq!(a, b);
        assert!(a.prefixes.iter().any(|p| p.throttled > 0));
    }
}

/// The request-rate chart shows the busiest prefixes: seven prefixes with bursts of 10, 20, ...,
/// 70 GETs in one second; the five busiest, busiest first, get a series each, whose peak interval
/// holds the burst (a regression test: only some of them were once recorded).
#[test]
fn rate_series_cover_the_busiest_prefixes_busiest_first() {
    use s3sim::sim::throughput::simulate_with_series;
    let names = ["a/", "b/", "c/", "d/", "e/", "f/", "g/"];
    let mut b = Builder::new();
    let t0 = t("2026-01-01T00:00:00Z");
    for (i, p) in names.iter().enumerate() {
        let k = b.key(&format!("{p}obj"));
        b.push(t0, Op::Put, k, 1000, StorageClass::Standard);
        for _ in 0..10 * (i + 1) {
            b.get(t0 + HOUR + i as i64 * 60 * SECOND, k);
        }
    }
    let w = b.build();
    for threads in [1, 2] {
        let (tp, series) = with_threads(threads, || simulate_with_series(&w, &topts(0), 5, 100));
        assert_eq!(tp.prefixes.len(), 7);
        let got: Vec<&str> = series.iter().map(|s| s.prefix.as_str()).collect();
        assert_eq!(got, ["g/", "f/", "e/", "d/", "c/"]);
        for (s, burst) in series.iter().zip([70, 60, 50, 40, 30]) {
            assert!(!s.buckets.is_empty() && s.buckets.len() <= 101);
            let peak = s.buckets.iter().map(|b| b.offered_reads).max().unwrap();
            assert_eq!(peak, burst, "{}", s.prefix);
            assert_eq!(s.buckets.iter().map(|b| b.throttled).sum::<u64>(), 0);
        }
    }
}
