//! The policy search's engine: prefix groups, and the exactness of costing a combination by adding
//! its groups' usage, checked against full simulations of the same configuration.

use s3sim::ledger::bill;
use s3sim::model::StorageClass;
use s3sim::policy::ValidateOptions;
use s3sim::pricing::PriceTable;
use s3sim::search::{
    Action, Constraints, configuration, evaluate, group_prefix, merge_small, prefix_groups,
};
use s3sim::sim::simulate;
use s3sim::workload::{ByKey, read_native_csv};

use crate::common::opts;

fn by_name(csv: &str) -> ByKey {
    read_native_csv("search.csv", csv.as_bytes())
        .unwrap()
        .with_keys_in_name_order()
        .group_by_key()
}

#[test]
fn group_prefixes_cut_keys_at_their_slashes() {
    assert_eq!(group_prefix("logs/2026/a.gz", 1), Some("logs/"));
    assert_eq!(group_prefix("logs/2026/a.gz", 2), Some("logs/2026/"));
    assert_eq!(group_prefix("logs/a.gz", 2), None);
    assert_eq!(group_prefix("top", 1), None);
    assert_eq!(group_prefix("top", 0), Some(""));
}

/// Keys written in mixed order: groups come out in name order with their key counts, the keys
/// without a prefix last as the rest, and every event in exactly one group.
#[test]
fn groups_follow_the_names() {
    let w = by_name(
        "timestamp,op,key,size\n\
         2026-01-01T00:00:00Z,PUT,b/1,10\n\
         2026-01-01T00:00:01Z,PUT,top,10\n\
         2026-01-01T00:00:02Z,PUT,a/1,10\n\
         2026-01-01T00:00:03Z,PUT,b/2,10\n\
         2026-01-02T00:00:00Z,GET,a/1,\n\
         2026-01-01T00:00:04Z,PUT,c,10\n",
    );
    let g = prefix_groups(&w, 1);
    let names: Vec<(Vec<String>, usize)> = g.iter().map(|g| (g.prefixes.clone(), g.keys)).collect();
    assert_eq!(
        names,
        [
            (vec!["a/".to_string()], 1),
            (vec!["b/".to_string()], 2),
            (vec![], 2)
        ]
    );
    let events: usize = g
        .iter()
        .flat_map(|g| g.events.iter())
        .map(|r| r.len())
        .sum();
    assert_eq!(events, w.events.len());
    // No key has two segments: the keys fall back to their one-segment prefixes.
    assert_eq!(prefix_groups(&w, 2), g);
    // No key has a segment at all: one group, the whole bucket.
    let flat = by_name(
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,x,10\n2026-01-01T00:00:00Z,PUT,y,10\n",
    );
    let g = prefix_groups(&flat, 1);
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].prefixes, [""]);
    // At depth 2, keys above it join the longest prefix that selects no other group's key:
    // `archive/` (no group under it) gets a rule; `logs/y` cannot (`logs/` would select the
    // `logs/2026/` group's keys too), so it stays in the rest.
    let shallow = by_name(
        "timestamp,op,key,size\n\
         2026-01-01T00:00:00Z,PUT,logs/2026/a,10\n\
         2026-01-01T00:00:00Z,PUT,archive/big0,10\n\
         2026-01-01T00:00:00Z,PUT,logs/y,10\n\
         2026-01-01T00:00:00Z,PUT,archive/big1,10\n\
         2026-01-01T00:00:00Z,PUT,logs/2026/b,10\n",
    );
    let g: Vec<(Vec<String>, usize)> = prefix_groups(&shallow, 2)
        .iter()
        .map(|g| (g.prefixes.clone(), g.keys))
        .collect();
    assert_eq!(
        g,
        [
            (vec!["archive/".to_string()], 2),
            (vec!["logs/2026/".to_string()], 2),
            (vec![], 1)
        ]
    );
}

/// A workload over three prefixes and the rest, with sizes on both sides of 128 KB, reads of old
/// objects (restores from GLACIER and DEEP_ARCHIVE), deletes (early deletion) and overwrites.
fn mixed_workload() -> ByKey {
    let mut csv = String::from("timestamp,op,key,size\n");
    let mut n = 0u64;
    for (p, prefix) in ["a/", "b/x/", "c/"].iter().enumerate() {
        for i in 0..12u64 {
            let day = 1 + (i * 5 + p as u64) % 27;
            let size = if i % 3 == 0 {
                50_000
            } else {
                (i + 1) * 3_000_000
            };
            csv.push_str(&format!(
                "2026-01-{day:02}T0{p}:00:00Z,PUT,{prefix}k{i},{size}\n"
            ));
            if i % 4 == 1 {
                csv.push_str(&format!("2026-0{}-10T12:00:00Z,GET,{prefix}k{i},\n", 3 + p));
            }
            if i % 5 == 2 {
                csv.push_str(&format!("2026-02-20T00:00:00Z,DELETE,{prefix}k{i},\n"));
            }
            if i % 6 == 3 {
                csv.push_str(&format!(
                    "2026-04-01T00:00:00Z,PUT,{prefix}k{i},{}\n",
                    size * 2
                ));
            }
            n += 1;
        }
    }
    for i in 0..4 {
        csv.push_str(&format!(
            "2026-01-0{}T00:00:00Z,PUT,top{i},7000000\n",
            i + 1
        ));
    }
    assert_eq!(n, 36);
    by_name(&csv)
}

/// Asserts that the configuration giving `table.actions[picks[g]]` to group `g` costs, summed
/// over groups, what a full simulation of its JSON costs: usage, statistics and bill, to the bit.
/// Returns the full simulation.
fn assert_sum_is_full(
    w: &ByKey,
    o: &s3sim::sim::SimOptions,
    table: &s3sim::search::Table,
    groups: &[s3sim::search::Group],
    picks: &[usize],
) -> s3sim::sim::SimResult {
    let prices = PriceTable::builtin();
    let sum = table.combine(picks, o.months.len());
    let chosen: Vec<Action> = picks.iter().map(|&i| table.actions[i]).collect();
    let p = configuration("c", groups, &chosen, &ValidateOptions::default()).unwrap();
    let full = simulate(w, &p, o);
    assert_eq!(sum.usage, full.usage, "usage of {chosen:?}");
    assert_eq!(sum.stats, full.stats, "statistics of {chosen:?}");
    assert_eq!(
        bill(&sum.usage, &o.months, &prices),
        bill(&full.usage, &o.months, &prices)
    );
    full
}

/// Every combination of 4 actions over the 3 prefix groups (64 configurations): the sum of the
/// groups' usage and statistics equals a full simulation of the configuration's JSON, and so do
/// the bills, to the bit.
#[test]
fn a_combination_costs_exactly_what_its_configuration_costs() {
    let w = mixed_workload();
    let o = opts("2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    let vopts = ValidateOptions::default();
    let groups = prefix_groups(&w, 1);
    assert_eq!(
        groups
            .iter()
            .map(|g| g.prefixes.join("|"))
            .collect::<Vec<_>>(),
        ["a/", "b/", "c/", ""]
    );
    let actions = [
        Action::KEEP,
        Action::transition(StorageClass::StandardIa, 0),
        Action::transition(StorageClass::Glacier, 14),
        Action::transition(StorageClass::DeepArchive, 30),
    ];
    let table = evaluate(&w, &groups, &actions, &o, &vopts, &[]).unwrap();
    let mut restores_seen = false;
    for x in 0..4 {
        for y in 0..4 {
            for z in 0..4 {
                let full = assert_sum_is_full(&w, &o, &table, &groups, &[x, y, z, 0]);
                restores_seen |= full.stats.restores > 0;
            }
        }
    }
    assert!(restores_seen, "the workload exercises restores");
    // At depth 2 the one-segment keys join `a/` and `c/` beside `b/x/`: still exact.
    let deeper = prefix_groups(&w, 2);
    assert_eq!(
        deeper
            .iter()
            .map(|g| g.prefixes.join("|"))
            .collect::<Vec<_>>(),
        ["a/", "b/x/", "c/", ""]
    );
    let table2 = evaluate(&w, &deeper, &actions[..3], &o, &vopts, &[]).unwrap();
    for i in 0..27 {
        let picks = [i / 9, i / 3 % 3, i % 3, 0];
        let chosen: Vec<Action> = picks.iter().map(|&i| actions[i]).collect();
        let full = simulate(
            &w,
            &configuration("c", &deeper, &chosen, &vopts).unwrap(),
            &o,
        );
        assert_eq!(
            table2.combine(&picks, o.months.len()).usage,
            full.usage,
            "{chosen:?}"
        );
    }
    // Two groups at most: the largest kept, the other two merged into one group of two prefixes
    // (one rule each, the same action), the rest apart.
    let merged = merge_small(groups, 2);
    let shape: Vec<usize> = merged.iter().map(|g| g.prefixes.len()).collect();
    assert_eq!(shape, [1, 2, 0]);
    let table = evaluate(&w, &merged, &actions, &o, &vopts, &[]).unwrap();
    for x in 0..4 {
        for y in 0..4 {
            let picks = [x, y, 0];
            let sum = table.combine(&picks, o.months.len());
            let chosen: Vec<Action> = picks.iter().map(|&i| actions[i]).collect();
            let p = configuration("c", &merged, &chosen, &vopts).unwrap();
            let full = simulate(&w, &p, &o);
            assert_eq!(sum.usage, full.usage, "usage of {chosen:?}");
            assert_eq!(sum.stats, full.stats, "statistics of {chosen:?}");
        }
    }
}

/// The same exactness on the bundled versioned sample (versions, delete markers, multipart
/// uploads) in a versioned bucket, with actions that expire noncurrent versions (and expired
/// delete markers) and abort unfinished uploads.
#[test]
fn combinations_are_exact_in_a_versioned_bucket() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads/versioned.csv");
    let w = s3sim::workload::read_workload(&path, &s3sim::workload::ReadOptions::default())
        .unwrap()
        .with_keys_in_name_order()
        .group_by_key();
    let mut o = opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    o.versioning = s3sim::model::Versioning::Enabled;
    let vopts = ValidateOptions::default();
    let groups = prefix_groups(&w, 1);
    assert!(groups.len() >= 2, "{groups:?}");
    let actions = [
        Action::KEEP,
        Action::transition(StorageClass::GlacierIr, 7),
        Action::transition(StorageClass::IntelligentTiering, 0),
        Action {
            noncurrent_days: Some(30),
            abort_days: Some(7),
            ..Action::transition(StorageClass::GlacierIr, 7)
        },
        Action {
            noncurrent_days: Some(1),
            ..Action::KEEP
        },
    ];
    let table = evaluate(&w, &groups, &actions, &o, &vopts, &[]).unwrap();
    let prices = PriceTable::builtin();
    for first in 0..actions.len() {
        for second in 0..actions.len() {
            let mut picks = vec![0; groups.len()];
            picks[0] = first;
            picks[1] = second;
            let sum = table.combine(&picks, o.months.len());
            let chosen: Vec<Action> = picks.iter().map(|&i| actions[i]).collect();
            let full = simulate(
                &w,
                &configuration("c", &groups, &chosen, &vopts).unwrap(),
                &o,
            );
            assert_eq!(sum.usage, full.usage, "{chosen:?}");
            assert_eq!(sum.stats, full.stats, "{chosen:?}");
            assert_eq!(
                bill(&sum.usage, &o.months, &prices),
                bill(&full.usage, &o.months, &prices)
            );
        }
    }
}

/// Numbering keys in name order changes nothing a simulation counts (bundled samples, a policy
/// with transitions and expirations).
#[test]
fn key_numbering_does_not_change_costs() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = s3sim::policy::Policy::from_file(
        &root.join("policies/tiered.json"),
        &ValidateOptions::default(),
    )
    .unwrap();
    for name in ["logs", "web-assets"] {
        let read = || {
            s3sim::workload::read_workload(
                &root.join(format!("workloads/{name}.csv")),
                &s3sim::workload::ReadOptions::default(),
            )
            .unwrap()
        };
        let o = opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        let a = simulate(&read().group_by_key(), &p, &o);
        let b = simulate(&read().with_keys_in_name_order().group_by_key(), &p, &o);
        assert_eq!(a.usage, b.usage, "{name}");
        assert_eq!(a.stats, b.stats, "{name}");
        assert!(a.stats.transitions > 0, "{name}");
    }
}

/// The search's pick is the one pricing every combination gives (6 actions over 3 groups: 216
/// configurations, each priced exactly), with and without constraints (which change the pick:
/// the archives' restores wait hours); and it prices fewer.
#[test]
fn the_search_picks_what_pricing_every_combination_picks() {
    let w = mixed_workload();
    let o = opts("2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    let vopts = ValidateOptions::default();
    let groups = prefix_groups(&w, 1);
    let t = Action::transition;
    let actions = [
        Action::KEEP,
        t(StorageClass::StandardIa, 0),
        t(StorageClass::StandardIa, 30),
        t(StorageClass::OnezoneIa, 0),
        t(StorageClass::Glacier, 14),
        t(StorageClass::DeepArchive, 30),
    ];
    let table = evaluate(&w, &groups, &actions, &o, &vopts, &[]).unwrap();
    let prices = PriceTable::builtin();
    let all: Vec<[usize; 4]> = (0..216).map(|i| [i / 36, i / 6 % 6, i % 6, 0]).collect();
    let priced: Vec<(f64, f64, u64, [usize; 4])> = all
        .iter()
        .map(|picks| {
            let r = table.combine(picks, o.months.len());
            let usd: f64 = bill(&r.usage, &o.months, &prices)
                .lines
                .iter()
                .map(|l| l.usd)
                .sum();
            let restores_month = r
                .usage
                .months
                .iter()
                .map(|m| m.restore_requests.iter().flatten().sum::<u64>())
                .max()
                .unwrap();
            (
                usd,
                r.stats.get_latency_quantile(0.99),
                restores_month,
                *picks,
            )
        })
        .collect();
    let mut tested_pruning = false;
    let mut picks_seen: Vec<Vec<usize>> = Vec::new();
    for c in [
        Constraints::default(),
        Constraints {
            max_p99_get_wait_s: Some(1.0),
            max_restores_per_month: None,
        },
        Constraints {
            max_p99_get_wait_s: None,
            max_restores_per_month: Some(1),
        },
        Constraints {
            max_p99_get_wait_s: Some(6.0 * 3600.0),
            max_restores_per_month: Some(3),
        },
    ] {
        let want = priced
            .iter()
            .filter(|(_, p99, rm, _)| {
                c.max_p99_get_wait_s.is_none_or(|b| *p99 <= b)
                    && c.max_restores_per_month.is_none_or(|m| *rm <= m)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.3.cmp(&b.3)))
            .unwrap();
        let got = table.search(&o.months, &prices, &c, 1, 1_000_000);
        assert!(got.proved);
        let pick = &got.candidates[got.pick.expect("a feasible pick")];
        assert_eq!(pick.picks, want.3, "{c:?}");
        assert_eq!(pick.total_usd, want.0, "{c:?}");
        // Every candidate priced is priced as the exhaustive list prices it.
        for cand in &got.candidates {
            let p = priced.iter().find(|x| x.3[..] == cand.picks[..]).unwrap();
            assert_eq!(cand.total_usd, p.0);
        }
        tested_pruning |= got.candidates.len() < all.len();
        if !picks_seen.contains(&pick.picks) {
            picks_seen.push(pick.picks.clone());
        }
    }
    assert!(tested_pruning, "the bound never pruned");
    assert!(
        picks_seen.len() >= 2,
        "the constraints never changed the pick: {picks_seen:?}"
    );
}

/// Past a volume band's edge (three 30 TB objects: up to 90 TB of STANDARD against the 50 TB
/// edge), the bound drops to each band's lowest price, and the pick is still the one pricing every
/// combination gives.
#[test]
fn the_search_stays_exact_past_a_volume_band() {
    let mut csv = String::from("timestamp,op,key,size\n");
    for (i, p) in ["a/", "b/", "c/"].iter().enumerate() {
        csv.push_str(&format!(
            "2026-01-01T00:00:00Z,PUT,{p}big,{}\n",
            30u64 << 40
        ));
        csv.push_str(&format!("2026-0{}-10T00:00:00Z,GET,{p}big,\n", 2 + i));
    }
    let w = by_name(&csv);
    let o = opts("2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z");
    let vopts = ValidateOptions::default();
    let groups = prefix_groups(&w, 1);
    let actions = [
        Action::KEEP,
        Action::transition(StorageClass::StandardIa, 0),
        Action::transition(StorageClass::GlacierIr, 30),
        Action::transition(StorageClass::Glacier, 0),
    ];
    let table = evaluate(&w, &groups, &actions, &o, &vopts, &[]).unwrap();
    let prices = PriceTable::builtin();
    let mut best: Option<(f64, Vec<usize>)> = None;
    for i in 0..64 {
        let picks = vec![i / 16, i / 4 % 4, i % 4];
        let r = table.combine(&picks, o.months.len());
        let usd: f64 = bill(&r.usage, &o.months, &prices)
            .lines
            .iter()
            .map(|l| l.usd)
            .sum();
        if best
            .as_ref()
            .is_none_or(|(b, p)| usd < *b || (usd == *b && picks < *p))
        {
            best = Some((usd, picks));
        }
    }
    let got = table.search(&o.months, &prices, &Constraints::default(), 1, 1_000_000);
    let pick = &got.candidates[got.pick.unwrap()];
    let (usd, picks) = best.unwrap();
    assert_eq!(pick.picks, picks);
    assert_eq!(pick.total_usd, usd);
    // Keeping all three in STANDARD is not linear: 90 TB crosses the 50 TB band.
    let keep = table.combine(&[0, 0, 0], o.months.len());
    let lines = bill(&keep.usage, &o.months, &prices).lines;
    let jan: f64 = lines
        .iter()
        .filter(|l| l.month == 0 && l.class == "STANDARD" && l.usd > 0.0)
        .map(|l| l.usd)
        .sum();
    assert!(jan < 90.0 * 1024.0 * 0.023 - 1.0, "the band applies: {jan}");
}

/// The choices `recommend` adds: a transition of every size (a rule of its own with
/// `ObjectSizeGreaterThan: 0`) and expirations of current objects. Every combination of 4 such
/// actions over the 3 prefix groups of the mixed workload (objects of 50 KB beside larger ones,
/// reads after some expirations): the sum equals a full simulation of the configuration, to the
/// bit.
#[test]
fn small_object_transitions_and_expirations_are_exact() {
    let w = mixed_workload();
    let o = opts("2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    let vopts = ValidateOptions::default();
    let groups = prefix_groups(&w, 1);
    let t = Action::transition;
    let actions = [
        Action::KEEP,
        Action {
            small: true,
            ..t(StorageClass::Glacier, 14)
        },
        Action {
            expiration_days: Some(30),
            ..t(StorageClass::StandardIa, 0)
        },
        Action {
            small: true,
            expiration_days: Some(60),
            ..t(StorageClass::DeepArchive, 7)
        },
    ];
    let table = evaluate(&w, &groups, &actions, &o, &vopts, &[]).unwrap();
    let (mut lost_reads, mut small_moved) = (false, false);
    for i in 0..64 {
        let picks = [i / 16, i / 4 % 4, i % 4, 0];
        let full = assert_sum_is_full(&w, &o, &table, &groups, &picks);
        lost_reads |= full.stats.missing_reads > 0;
        small_moved |= actions[picks[0]].small && full.stats.small_not_transitioned == 0;
    }
    assert!(lost_reads, "some expiration deletes an object read later");
    assert!(small_moved, "small objects transition");
    // The plain Glacier transition leaves the 50 KB objects; the one of every size moves them.
    let plain = evaluate(
        &w,
        &groups,
        &[t(StorageClass::Glacier, 14)],
        &o,
        &vopts,
        &[],
    )
    .unwrap();
    assert!(plain.results[0][0].stats.small_not_transitioned > 0);
    assert!(plain.results[0][0].stats.transitions < table.results[0][1].stats.transitions);
    // A group with no object under 128 KB is not simulated again for the every-size choice: its
    // result is the plain one's, and still what a full simulation gives.
    let big = by_name(
        "timestamp,op,key,size\n\
         2026-01-01T00:00:00Z,PUT,a/1,7000000\n\
         2026-01-01T00:00:00Z,PUT,b/1,50000\n\
         2026-03-01T00:00:00Z,GET,a/1,\n",
    );
    let groups = prefix_groups(&big, 1);
    let two = [
        t(StorageClass::Glacier, 0),
        Action {
            small: true,
            ..t(StorageClass::Glacier, 0)
        },
    ];
    let table = evaluate(&big, &groups, &two, &o, &vopts, &[]).unwrap();
    assert_eq!(table.results[0][0], table.results[0][1]);
    assert_ne!(table.results[1][0], table.results[1][1]);
    for picks in [[0, 1], [1, 0], [1, 1]] {
        let chosen: Vec<Action> = picks.iter().map(|&i| two[i]).collect();
        let full = simulate(
            &big,
            &configuration("c", &groups, &chosen, &vopts).unwrap(),
            &o,
        );
        assert_eq!(table.combine(&picks, o.months.len()).usage, full.usage);
    }
}

/// With expirations among the choices, the search never picks one that loses a read (a GET or
/// HEAD of an object the expiration deleted), and its pick is the one pricing all 216
/// combinations gives once those are left out (the reads lost counted from full statistics:
/// the configuration's missing reads less those of the same configuration without its
/// expirations).
#[test]
fn the_search_never_picks_an_expiration_that_loses_a_read() {
    let w = mixed_workload();
    let o = opts("2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    let vopts = ValidateOptions::default();
    let groups = prefix_groups(&w, 1);
    let t = Action::transition;
    let exp = |d: u32, a: Action| Action {
        expiration_days: Some(d),
        ..a
    };
    let actions = [
        Action::KEEP,
        exp(7, Action::KEEP),
        exp(90, Action::KEEP),
        t(StorageClass::Glacier, 14),
        exp(30, t(StorageClass::Glacier, 14)),
        t(StorageClass::GlacierIr, 0),
    ];
    // Each action's counterpart without its expiration.
    let plain = [0, 0, 0, 3, 3, 5];
    let table = evaluate(&w, &groups, &actions, &o, &vopts, &[]).unwrap();
    let prices = PriceTable::builtin();
    let mut cheaper_loses = false;
    let mut best: Option<(f64, [usize; 4])> = None;
    let mut cheapest: Option<f64> = None;
    for i in 0..216 {
        let picks = [i / 36, i / 6 % 6, i % 6, 0];
        let r = table.combine(&picks, o.months.len());
        let unexpired = table.combine(&picks.map(|a| plain[a]), o.months.len());
        let lost = r.stats.missing_reads - unexpired.stats.missing_reads;
        let usd = bill(&r.usage, &o.months, &prices).total();
        cheapest = Some(cheapest.map_or(usd, |c: f64| c.min(usd)));
        if lost == 0
            && best
                .as_ref()
                .is_none_or(|(b, p)| usd < *b || (usd == *b && picks < *p))
        {
            best = Some((usd, picks));
        }
    }
    let (usd, picks) = best.unwrap();
    cheaper_loses |= cheapest.unwrap() < usd;
    assert!(cheaper_loses, "the constraint never mattered");
    let got = table.search(&o.months, &prices, &Constraints::default(), 1, 1_000_000);
    let pick = &got.candidates[got.pick.unwrap()];
    assert_eq!(pick.picks, picks);
    assert_eq!(pick.total_usd, usd);
    // The configurations that lose reads are listed, with the reason, once per action that loses
    // reads: those actions are ruled out before the search, which prices only configurations
    // without them.
    let losing = got
        .candidates
        .iter()
        .filter(|c| {
            c.infeasible
                .as_deref()
                .is_some_and(|w| w.contains("would find objects its expirations deleted"))
        })
        .count();
    assert!(losing > 0);
    assert!(losing <= 3 * actions.len(), "{losing}");
    assert!(got.candidates.len() < 216, "{}", got.candidates.len());
}
