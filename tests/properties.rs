//! Invariants over random workloads (proptest): parallel == sequential; `none` charges only
//! STANDARD; row order does not matter; doubling every price doubles every figure; no object moves
//! up the waterfall.

use proptest::prelude::*;

use crate::common::*;
use s3sim::ledger::{Component, bill};
use s3sim::model::{BillClass, StorageClass};
use s3sim::policy::Policy;
use s3sim::pricing::PriceTable;
use s3sim::sim::{simulate, simulate_chunks};
use s3sim::workload::read_native_csv;

const POLICIES: [&str; 4] = [
    r#"{"Rules":[{"ID":"tier","Status":"Enabled","Filter":{"Prefix":"a/"},"Transitions":[{"Days":30,"StorageClass":"STANDARD_IA"},{"Days":60,"StorageClass":"GLACIER"}],"Expiration":{"Days":200}}]}"#,
    r#"{"Rules":[{"ID":"it","Status":"Enabled","Filter":{},"Transitions":[{"Days":0,"StorageClass":"INTELLIGENT_TIERING"}]}]}"#,
    r#"{"Rules":[{"ID":"gir","Status":"Enabled","Filter":{"ObjectSizeGreaterThan":1000},"Transitions":[{"Days":5,"StorageClass":"GLACIER_IR"},{"Days":100,"StorageClass":"DEEP_ARCHIVE"}]},
       {"ID":"oz","Status":"Enabled","Filter":{"Prefix":"b/"},"Transitions":[{"Days":10,"StorageClass":"ONEZONE_IA"}],"Expiration":{"Days":40}}]}"#,
    r#"{"Rules":[{"ID":"da","Status":"Enabled","Filter":{},"Transitions":[{"Days":1,"StorageClass":"DEEP_ARCHIVE"}]},{"ID":"gl","Status":"Enabled","Filter":{"Prefix":"a/"},"Transitions":[{"Days":1,"StorageClass":"GLACIER"}]}],"TransitionDefaultMinimumObjectSize":"varies_by_storage_class"}"#,
];

const OPS: [&str; 6] = ["PUT", "PUT", "GET", "GET", "HEAD", "DELETE"];
const SIZES: [u64; 5] = [0, 6_000, 131_072, 5_000_000, 3 << 30];

/// Rows `(timestamp, op, key, size, class)` with distinct timestamps within 2026-01..2026-06.
fn rows(standard_only: bool) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        (
            0u32..150 * 24,
            0usize..6,
            0usize..6,
            0usize..5,
            0..StorageClass::COUNT,
        ),
        1..60,
    )
    .prop_map(move |v| {
        let start = 1_767_225_600i64; // 2026-01-01T00:00:00Z
        v.into_iter()
            .enumerate()
            .map(|(i, (hour, op, key, size, class))| {
                let time = start + i64::from(hour) * 3600 + i as i64; // distinct
                let key = format!("{}/k{}", ["a", "b", "c"][key % 3], key);
                let class = if standard_only {
                    "STANDARD"
                } else {
                    StorageClass::ALL[class].api_name()
                };
                let op = OPS[op];
                let size = if op == "PUT" {
                    SIZES[size].to_string()
                } else {
                    String::new()
                };
                format!("{time},{op},{key},{size},{class}")
            })
            .collect()
    })
}

fn csv(rows: &[String]) -> String {
    let mut s = String::from("timestamp,op,key,size,storage_class\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

fn horizon() -> s3sim::sim::SimOptions {
    opts("2026-01-01T00:00:00Z", "2026-09-01T00:00:00Z")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn parallel_equals_sequential(rows in rows(false), p in 0usize..4, chunks in 2usize..9) {
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let p = policy(POLICIES[p]);
        let o = horizon();
        let seq = simulate(&w, &p, &o);
        let par = simulate_chunks(&w, &p, &o, chunks, &[]);
        prop_assert_eq!(seq, par);
    }

    #[test]
    fn shuffled_rows_give_the_same_result(rows in rows(false), p in 0usize..4, seed in any::<u64>()) {
        let w1 = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let mut shuffled = rows.clone();
        // Fisher-Yates with a small LCG: any permutation of the rows.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let w2 = read_native_csv("p.csv", csv(&shuffled).as_bytes()).unwrap().group_by_key();
        let p = policy(POLICIES[p]);
        let o = horizon();
        let (b1, b2) = (
            bill(&simulate(&w1, &p, &o).usage, &o.months, &PriceTable::builtin()),
            bill(&simulate(&w2, &p, &o).usage, &o.months, &PriceTable::builtin()),
        );
        prop_assert_eq!(b1, b2);
    }

    #[test]
    fn no_rules_charge_only_standard(rows in rows(true)) {
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let o = horizon();
        let r = simulate(&w, &Policy::none(), &o);
        let b = bill(&r.usage, &o.months, &PriceTable::builtin());
        for l in &b.lines {
            prop_assert_eq!(l.class, "STANDARD", "{:?}", l);
            prop_assert!(matches!(l.component, Component::Storage | Component::RequestsPut | Component::RequestsGet), "{:?}", l);
        }
        for m in &r.usage.months {
            for c in BillClass::ALL {
                if c != BillClass::Standard {
                    prop_assert_eq!(m.storage[c.index()], 0);
                }
            }
        }
    }

    #[test]
    fn doubling_prices_doubles_every_figure(rows in rows(false), p in 0usize..4) {
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let p = policy(POLICIES[p]);
        let mut o = horizon();
        o.egress = true;
        let r = simulate(&w, &p, &o);
        let prices = PriceTable::builtin();
        let once = bill(&r.usage, &o.months, &prices);
        let twice = bill(&r.usage, &o.months, &prices.scaled(2.0));
        prop_assert_eq!(once.lines.len(), twice.lines.len());
        for (a, b) in once.lines.iter().zip(&twice.lines) {
            prop_assert_eq!(a.quantity, b.quantity);
            prop_assert!((b.usd - 2.0 * a.usd).abs() <= 1e-12 * a.usd.abs().max(1.0), "{:?} {:?}", a, b);
        }
    }

    #[test]
    fn no_object_moves_up_the_waterfall(rows in rows(false), p in 0usize..4) {
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let p = policy(POLICIES[p]);
        let mut o = horizon();
        o.trace = true;
        let r = simulate(&w, &p, &o);
        for &(_, _, from, to) in &r.stats.transition_log {
            prop_assert!(from.can_transition_to(to), "{from} -> {to}");
            prop_assert_ne!(to, StorageClass::Standard);
        }
    }
}

/// A policy with every kind of rule for versions: noncurrent transitions and expiration (with
/// NewerNoncurrentVersions), expired object delete markers, expiration of current versions.
const VERSIONED: &str = r#"{"Rules":[
    {"ID":"nc","Status":"Enabled","Filter":{"Prefix":"a/"},"NoncurrentVersionTransitions":[{"NoncurrentDays":3,"StorageClass":"STANDARD_IA"},{"NoncurrentDays":40,"StorageClass":"GLACIER"}],"NoncurrentVersionExpiration":{"NoncurrentDays":100,"NewerNoncurrentVersions":1}},
    {"ID":"eodm","Status":"Enabled","Filter":{"Prefix":"b/"},"Expiration":{"ExpiredObjectDeleteMarker":true},"NoncurrentVersionExpiration":{"NoncurrentDays":2}},
    {"ID":"exp","Status":"Enabled","Filter":{"Prefix":"c/"},"Expiration":{"Days":20},"NoncurrentVersionExpiration":{"NoncurrentDays":10}}]}"#;

fn state(i: usize) -> s3sim::model::Versioning {
    use s3sim::model::Versioning;
    [Versioning::Off, Versioning::Enabled, Versioning::Suspended][i % 3]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Versioned buckets: the result does not depend on how keys are cut into parallel chunks.
    #[test]
    fn versioned_parallel_equals_sequential(rows in rows(false), v in 0usize..3, chunks in 2usize..9) {
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let p = policy(VERSIONED);
        let mut o = horizon();
        o.versioning = state(v);
        let seq = simulate(&w, &p, &o);
        let par = simulate_chunks(&w, &p, &o, chunks, &[]);
        prop_assert_eq!(seq, par);
    }

    /// With versioning enabled and no key written twice, deleted or expired, nothing becomes
    /// noncurrent: every figure equals the unversioned run's. (An expiration is a delete: in a
    /// versioned bucket it keeps the version and adds a marker, so only policies without one.)
    #[test]
    fn enabled_without_overwrites_or_deletes_equals_off(rows in rows(false), p in 0usize..2) {
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<String> = rows
            .into_iter()
            .filter(|r| {
                let f: Vec<&str> = r.split(',').collect();
                match f[1] {
                    "DELETE" => false,
                    "PUT" => seen.insert(f[2].to_string()),
                    _ => true,
                }
            })
            .collect();
        prop_assume!(!rows.is_empty());
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let no_expiration = VERSIONED.replace(r#""Expiration":{"Days":20},"#, "");
        for p in [policy(POLICIES[[1, 3][p]]), policy(&no_expiration)] {
            let off = simulate(&w, &p, &horizon());
            let mut o = horizon();
            o.versioning = s3sim::model::Versioning::Enabled;
            let on = simulate(&w, &p, &o);
            prop_assert_eq!(&off.usage, &on.usage);
        }
    }

    /// What a month stores (current and noncurrent versions, markers) never exceeds every byte
    /// ever written, each at its largest billable size, kept the whole month.
    #[test]
    fn stored_bytes_are_bounded_by_what_was_written(rows in rows(false), v in 0usize..3) {
        let w = read_native_csv("p.csv", csv(&rows).as_bytes()).unwrap().group_by_key();
        let mut o = horizon();
        o.versioning = state(v);
        let r = simulate(&w, &policy(VERSIONED), &o);
        // Per version: size, at least 128 KiB, plus 32 KiB + 8 KiB of archive overhead; per
        // marker: its key.
        let written: u128 = w
            .events
            .iter()
            .map(|e| match e.op {
                s3sim::model::Op::Put => u128::from(e.size.max(128 << 10)) + (40 << 10),
                _ => w.keys[e.key as usize].len() as u128,
            })
            .sum();
        for (i, m) in r.usage.months.iter().enumerate() {
            let len = (o.months.bounds[i + 1] - o.months.bounds[i]) as u128;
            let stored = m.storage.iter().sum::<u128>()
                + m.noncurrent.iter().sum::<u128>()
                + m.delete_markers;
            prop_assert!(stored <= written * len, "month {i}: {stored} > {written} x {len}");
        }
    }
}
