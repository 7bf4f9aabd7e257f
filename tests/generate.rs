//! `s3sim generate`: statistical checks with fixed seeds (tolerances derived below), profile
//! invariants, determinism and option checks.

use std::collections::{HashMap, HashSet};

use crate::common::{opts, run};
use s3sim::generate::{Params, Profile, generate};
use s3sim::ledger::Component;
use s3sim::model::Versioning;
use s3sim::model::time::{DAY, parse_timestamp};
use s3sim::policy::{Policy, ValidateOptions};

struct Row {
    t: i64,
    op: String,
    key: String,
    size: Option<u64>,
    /// `version_id` and `upload_id` (the `versioned` profile; empty otherwise).
    vid: String,
    uid: String,
}

fn rows(p: &Params) -> Vec<Row> {
    let mut buf = Vec::new();
    generate(p, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(if p.profile == Profile::Versioned {
            "timestamp,op,key,size,storage_class,tags,version_id,upload_id"
        } else {
            "timestamp,op,key,size,storage_class,tags"
        })
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                t: parse_timestamp(f[0]).unwrap(),
                op: f[1].into(),
                key: f[2].into(),
                size: f[3].parse().ok(),
                vid: f.get(6).copied().unwrap_or("").into(),
                uid: f.get(7).copied().unwrap_or("").into(),
            }
        })
        .collect()
}

fn params(profile: Profile, objects: u64, months: u32) -> Params {
    Params {
        objects,
        months,
        seed: 7,
        ..Params::defaults(profile)
    }
}

/// Sizes are lognormal around the median: the sample median's log has standard deviation
/// sigma * sqrt(pi / 2) / sqrt(n) = 1.0 * 1.2533 / sqrt(20,000) = 0.89%; 3% is over 3 of them.
#[test]
fn size_median_matches_the_parameter() {
    let p = params(Profile::WebAssets, 20_000, 3);
    let mut sizes: Vec<u64> = rows(&p)
        .iter()
        .filter(|r| r.op == "PUT")
        .map(|r| r.size.unwrap())
        .collect();
    assert_eq!(sizes.len(), 20_000);
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2] as f64;
    assert!(
        (median / p.size_median - 1.0).abs() < 0.03,
        "median {median} vs {}",
        p.size_median
    );
}

/// Reads decay with age with half-life h: read ages are exponential with mean h / ln 2, so
/// h_hat = ln 2 x mean(age). Objects created in the first 6 of 12 months are followed for 26+
/// half-lives (no truncation); about 2,500 x 20 = 50,000 reads give a relative standard error of
/// 1 / sqrt(50,000) = 0.45%; 3% is over 6 of them.
#[test]
fn decay_half_life_is_recovered() {
    let p = Params {
        zipf: 0.0,
        daily_cycle: 0.0,
        decay_half_life_days: 7.0,
        ..params(Profile::WebAssets, 5_000, 12)
    };
    let rows = rows(&p);
    let cutoff = p.start + 181 * DAY;
    let created: HashMap<&str, i64> = rows
        .iter()
        .filter(|r| r.op == "PUT" && r.t < cutoff)
        .map(|r| (r.key.as_str(), r.t))
        .collect();
    let ages: Vec<f64> = rows
        .iter()
        .filter(|r| r.op == "GET")
        .filter_map(|r| {
            created
                .get(r.key.as_str())
                .map(|c| (r.t - c) as f64 / DAY as f64)
        })
        .collect();
    assert!(ages.len() > 40_000, "{} reads", ages.len());
    let h = std::f64::consts::LN_2 * ages.iter().sum::<f64>() / ages.len() as f64;
    assert!((h / 7.0 - 1.0).abs() < 0.03, "half-life {h:.3} days");
}

/// Popularity is Zipf: the read count of the object of rank r is about C r^-s. The top 100
/// objects by reads (of those created in the first 9 months, whose 3-day half-life lets every
/// read land in the horizon) get 100+ reads each, so Poisson noise is at most ~10% per point;
/// the least-squares slope of log(count) on log(rank) recovers s within 0.1.
#[test]
fn zipf_exponent_is_recovered() {
    let p = Params {
        zipf: 1.0,
        daily_cycle: 0.0,
        decay_half_life_days: 3.0,
        reads_per_object: 50.0,
        ..params(Profile::WebAssets, 2_000, 12)
    };
    let rows = rows(&p);
    let cutoff = p.start + 273 * DAY;
    let early: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|r| r.op == "PUT" && r.t < cutoff)
        .map(|r| r.key.as_str())
        .collect();
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for r in rows
        .iter()
        .filter(|r| r.op == "GET" && early.contains(r.key.as_str()))
    {
        *counts.entry(&r.key).or_default() += 1;
    }
    let mut c: Vec<u64> = counts.into_values().collect();
    c.sort_unstable_by(|a, b| b.cmp(a));
    let pts: Vec<(f64, f64)> = c
        .iter()
        .take(100)
        .enumerate()
        .map(|(i, &n)| (((i + 1) as f64).ln(), (n as f64).ln()))
        .collect();
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let slope = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
        / pts.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
    assert!((slope + 1.0).abs() < 0.1, "Zipf slope {slope:.3}");
}

/// Logs are written under logs/YYYY/MM/DD/ of their creation day, and a share of them (lognormal
/// median 256 KB, sigma 1.2: Phi((ln 128 - ln 256) / 1.2) = Phi(-0.578) = 28%) are under 128 KB.
#[test]
fn logs_are_date_partitioned() {
    let rows = rows(&params(Profile::Logs, 5_000, 3));
    let puts: Vec<&Row> = rows.iter().filter(|r| r.op == "PUT").collect();
    for r in &puts {
        let day = s3sim::model::time::to_datetime(r.t)
            .format("logs/%Y/%m/%d/")
            .to_string();
        assert!(r.key.starts_with(&day), "{} written {}", r.key, day);
    }
    let small =
        puts.iter().filter(|r| r.size.unwrap() < 131_072).count() as f64 / puts.len() as f64;
    assert!((small - 0.28).abs() < 0.03, "{small}");
}

/// Backups: a full every 7 days, incrementals between; each deleted 35 days after it was written;
/// restore drills read whole backup sets.
#[test]
fn backups_are_weekly_fulls_with_retention() {
    let rows = rows(&params(Profile::Backups, 180, 6));
    let mut full_days: Vec<i64> = rows
        .iter()
        .filter(|r| r.op == "PUT" && r.key.contains("/full/"))
        .map(|r| r.t / DAY)
        .collect();
    full_days.dedup();
    assert!(full_days.len() >= 25);
    assert!(
        full_days.windows(2).all(|w| w[1] - w[0] == 7),
        "{full_days:?}"
    );
    let put: HashMap<&str, i64> = rows
        .iter()
        .filter(|r| r.op == "PUT")
        .map(|r| (r.key.as_str(), r.t))
        .collect();
    let deletes: Vec<&Row> = rows.iter().filter(|r| r.op == "DELETE").collect();
    assert!(!deletes.is_empty());
    for d in deletes {
        assert_eq!(d.t - put[d.key.as_str()], 35 * DAY, "{}", d.key);
    }
    let drill: Vec<&Row> = rows.iter().filter(|r| r.op == "GET").collect();
    assert!(
        drill.iter().any(|r| r.key.contains("/full/")),
        "a drill reads a full backup"
    );
}

/// ML datasets are read in epochs at the burst rate (8,000 GETs a second by default), above the
/// 5,500/s read limit of one prefix.
#[test]
fn ml_epochs_burst_above_the_read_limit() {
    let rows = rows(&params(Profile::MlDataset, 20_000, 1));
    let mut per_second: HashMap<i64, u64> = HashMap::new();
    for r in rows.iter().filter(|r| r.op == "GET") {
        *per_second.entry(r.t.div_euclid(1_000_000)).or_default() += 1;
    }
    let peak = per_second.values().max().copied().unwrap_or(0);
    assert!((7_990..=8_010).contains(&peak), "peak {peak} GETs/s");
    // Epochs start on Jan 2 and every 7 days after: every shard once per epoch.
    let gets = rows.iter().filter(|r| r.op == "GET").count();
    assert_eq!(gets % 20_000, 0);
    assert!(rows.iter().all(|r| r.key.starts_with("datasets/train/")));
}

/// Rows come out in time order; the same seed gives the same bytes, another seed other bytes.
#[test]
fn deterministic_and_sorted() {
    for profile in Profile::ALL {
        let p = params(profile, 300, 2);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        generate(&p, &mut a).unwrap();
        generate(&p, &mut b).unwrap();
        assert_eq!(a, b, "{}", profile.name());
        let mut c = Vec::new();
        generate(
            &Params {
                seed: 8,
                ..p.clone()
            },
            &mut c,
        )
        .unwrap();
        assert_ne!(a, c, "{}", profile.name());
        let r = rows(&p);
        assert!(
            r.windows(2).all(|w| w[0].t <= w[1].t),
            "{} rows sorted",
            profile.name()
        );
        // Every row is a valid workload row for s3sim.
        assert!(s3sim::workload::read_native_csv("g.csv", &a[..]).is_ok());
    }
}

#[test]
fn impossible_options_are_rejected() {
    let base = Params::defaults(Profile::WebAssets);
    for (p, needle) in [
        (
            Params {
                objects: 0,
                ..base.clone()
            },
            "--objects",
        ),
        (
            Params {
                size_median: -5.0,
                ..base.clone()
            },
            "--size-median",
        ),
        (
            Params {
                size_sigma: -1.0,
                ..base.clone()
            },
            "--size-sigma",
        ),
        (
            Params {
                zipf: f64::NAN,
                ..base.clone()
            },
            "--zipf",
        ),
        (
            Params {
                decay_half_life_days: 0.0,
                ..base.clone()
            },
            "--decay-half-life-days",
        ),
        (
            Params {
                months: 0,
                ..base.clone()
            },
            "--months",
        ),
        (
            Params {
                objects: 10_000_000,
                burst_rps: 1.0,
                ..Params::defaults(Profile::MlDataset)
            },
            "--burst-every-days",
        ),
        (
            Params {
                burst_every_days: 1e-12,
                ..Params::defaults(Profile::DataLake)
            },
            "--burst-every-days",
        ),
        (
            Params {
                abandon_share: 1.0,
                ..Params::defaults(Profile::Versioned)
            },
            "--abandon-share",
        ),
        (
            Params {
                part_size: 1024,
                ..Params::defaults(Profile::Versioned)
            },
            "--part-size",
        ),
        (
            Params {
                overwrite_every_days: 0.0,
                ..Params::defaults(Profile::Versioned)
            },
            "--overwrite-every-days",
        ),
        (
            Params {
                burst_rps: 100.0,
                burst_every_days: 7.0,
                ..Params::defaults(Profile::Versioned)
            },
            "--burst-rps",
        ),
    ] {
        let err = p.validate().unwrap_err().to_string();
        assert!(err.starts_with(needle), "{err}");
    }
}

/// The `versioned` sample's parameters: 400 keys over 6 months.
fn versioned() -> Params {
    params(Profile::Versioned, 400, 6)
}

/// The `versioned` profile, row by row: each key's PUTs name versions v1, v2, ... in order; GETs
/// of live keys only, some naming one of the three versions before the current one; a DELETE
/// without a version id (the delete marker) at most once, after which the key is never written or
/// read again, only purged by DELETEs naming v1, v2, ... in order; keys under `bundles/` written
/// only by multipart uploads with fresh upload ids, each completed after several parts or
/// abandoned (a new upload of the key starts without its completion). The counts match
/// [`GenStats`](s3sim::generate::GenStats), and each kind of row is there.
#[test]
fn versioned_profile_writes_versions_markers_and_uploads() {
    let p = versioned();
    let mut buf = Vec::new();
    let stats = generate(&p, &mut buf).unwrap();
    let rows = rows(&p);
    assert_eq!(stats.rows, rows.len() as u64);

    #[derive(Default)]
    struct Key {
        versions: u32,
        deleted: bool,
        purged: u32,
        open: Option<String>,
        parts: u32,
    }
    let mut keys: HashMap<&str, Key> = HashMap::new();
    let mut upload_ids: HashSet<&str> = HashSet::new();
    let (mut puts, mut overwrites, mut gets, mut version_gets) = (0u64, 0u64, 0u64, 0u64);
    let (mut markers, mut version_deletes) = (0u64, 0u64);
    let (mut created, mut completed, mut abandoned, mut parts) = (0u64, 0u64, 0u64, 0u64);
    let vnum = |r: &Row| -> u32 {
        r.vid
            .strip_prefix('v')
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("version id {:?}", r.vid))
    };
    for r in &rows {
        let bundle = r.key.starts_with("bundles/");
        assert!(bundle || r.key.starts_with("docs/"), "{}", r.key);
        let k = keys.entry(r.key.as_str()).or_default();
        let multipart = r.op.contains("MULTIPART") || r.op == "UPLOAD_PART";
        assert_eq!(multipart, !r.uid.is_empty(), "{} {}", r.op, r.key);
        if multipart {
            assert!(bundle && r.vid.is_empty(), "{} {}", r.op, r.key);
        }
        if r.op != "DELETE" || r.vid.is_empty() {
            assert!(!k.deleted, "{} {} after its delete marker", r.op, r.key);
        }
        match r.op.as_str() {
            "PUT" => {
                assert!(!bundle);
                k.versions += 1;
                assert_eq!(vnum(r), k.versions, "{}", r.key);
                puts += 1;
                overwrites += u64::from(k.versions > 1);
            }
            "GET" => {
                assert!(k.versions >= 1, "GET {} before its first version", r.key);
                gets += 1;
                if !r.vid.is_empty() {
                    let n = vnum(r);
                    assert!(n < k.versions && n + 3 >= k.versions, "{} {}", r.key, r.vid);
                    version_gets += 1;
                }
            }
            "DELETE" if r.vid.is_empty() => {
                k.deleted = true;
                markers += 1;
            }
            "DELETE" => {
                assert!(k.deleted && !bundle, "{} purged before its marker", r.key);
                k.purged += 1;
                assert_eq!(vnum(r), k.purged, "{}", r.key);
                assert!(k.purged <= k.versions);
                version_deletes += 1;
            }
            "CREATE_MULTIPART_UPLOAD" => {
                assert!(upload_ids.insert(&r.uid), "upload id {} reused", r.uid);
                if k.open.is_some() {
                    abandoned += 1;
                }
                k.open = Some(r.uid.clone());
                k.parts = 0;
                created += 1;
            }
            "UPLOAD_PART" => {
                assert_eq!(k.open.as_deref(), Some(r.uid.as_str()), "{}", r.key);
                let size = r.size.unwrap();
                assert!(size > 0 && size <= p.part_size, "part of {size} bytes");
                k.parts += 1;
                parts += 1;
            }
            "COMPLETE_MULTIPART_UPLOAD" => {
                assert_eq!(k.open.take().as_deref(), Some(r.uid.as_str()), "{}", r.key);
                assert!(
                    k.parts >= 2,
                    "{} completed after {} part(s)",
                    r.key,
                    k.parts
                );
                k.versions += 1;
                completed += 1;
            }
            op => panic!("unexpected op {op}"),
        }
    }
    abandoned += keys.values().filter(|k| k.open.is_some()).count() as u64;
    let many = keys.values().filter(|k| k.versions >= 5).count();
    let purged = keys.values().filter(|k| k.purged > 0).count();
    eprintln!(
        "versioned: {} rows, {} keys ({many} with 5+ versions), {puts} PUT ({overwrites} overwrites), \
         {gets} GET ({version_gets} by version id), {markers} markers, {version_deletes} DELETEs by \
         version id ({purged} keys), uploads {created} ({completed} completed, {abandoned} abandoned), \
         {parts} parts",
        rows.len(),
        keys.len()
    );
    for (what, n) in [
        ("overwrites", overwrites),
        ("keys with 5 or more versions", many as u64),
        ("GETs naming a version", version_gets),
        ("delete markers", markers),
        ("DELETEs naming a version", version_deletes),
        ("completed uploads", completed),
        ("abandoned uploads", abandoned),
    ] {
        assert!(n > 0, "no {what}");
    }
    assert_eq!(stats.puts, puts);
    assert_eq!(stats.gets, gets);
    assert_eq!(stats.version_gets, version_gets);
    assert_eq!(stats.deletes, markers + version_deletes);
    assert_eq!(stats.version_deletes, version_deletes);
    assert_eq!(stats.uploads, created);
    assert_eq!(stats.uploads_completed, completed);
    assert_eq!(stats.uploads_abandoned, abandoned);
    assert_eq!(stats.parts, parts);
}

/// The same seed gives the same bytes, another seed others; the file reads back as a workload
/// that names versions (so `s3sim run` simulates it versioning-enabled).
#[test]
fn versioned_profile_is_deterministic_and_reads_back() {
    let p = versioned();
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    generate(&p, &mut a).unwrap();
    generate(&p, &mut b).unwrap();
    generate(
        &Params {
            seed: 8,
            ..p.clone()
        },
        &mut c,
    )
    .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let w = s3sim::workload::read_native_csv("versioned.csv", &a[..]).unwrap();
    assert_eq!(w.events.len(), rows(&p).len());
    assert!(w.names_versions());
}

/// `--describe` says what to expect: versions, delete markers, uploads and how run treats them.
#[test]
fn versioned_profile_describes_what_to_expect() {
    let d = Params::defaults(Profile::Versioned).describe();
    for want in [
        "profile versioned:",
        "--overwrite-every-days 14",
        "--abandon-share 0.1",
        "versions written",
        "delete markers",
        "multipart uploads completed",
        "abandoned",
        "by id",
        "versioning-enabled",
    ] {
        assert!(d.contains(want), "{want:?} missing from:\n{d}");
    }
}

/// Simulated versioning-enabled, the profile makes noncurrent versions, delete markers and
/// uploads left open; the bundled `policies/versioned.json` expires and transitions noncurrent
/// versions, removes expired delete markers and aborts the abandoned uploads, and costs less.
#[test]
fn versioned_profile_simulates_versions_markers_and_uploads() {
    let p = versioned();
    let mut buf = Vec::new();
    generate(&p, &mut buf).unwrap();
    let w = s3sim::workload::read_native_csv("versioned.csv", &buf[..])
        .unwrap()
        .group_by_key();
    let mut o = opts("2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    o.versioning = Versioning::Enabled;
    let (none, none_bill) = run(&w, &Policy::none(), &o);
    let v = &none.stats.versions;
    assert!(v.made_noncurrent > 0, "{v:?}");
    assert!(v.delete_markers_added > 0, "{v:?}");
    assert!(v.deleted_by_version_id > 0, "{v:?}");
    assert!(v.uploads_completed > 0, "{v:?}");
    assert!(v.uploads_open_at_end > 0, "{v:?}");
    assert_eq!(v.unknown_version_ids, 0, "{v:?}");
    assert_eq!(none.stats.missing_key, 0);
    let policy = Policy::parse(
        "versioned",
        "policies/versioned.json",
        include_str!("../policies/versioned.json"),
        &ValidateOptions::default(),
    )
    .unwrap();
    let (with, with_bill) = run(&w, &policy, &o);
    let r = &with.stats.versions;
    assert!(r.uploads_aborted_by_rule > 0, "{r:?}");
    assert!(r.uploads_open_at_end < v.uploads_open_at_end, "{r:?}");
    assert!(r.noncurrent_expired > 0, "{r:?}");
    assert!(r.noncurrent_transitions > 0, "{r:?}");
    assert!(r.delete_markers_removed > 0, "{r:?}");
    for c in [
        Component::NoncurrentStorage,
        Component::DeleteMarkers,
        Component::MpuStorage,
    ] {
        assert!(
            with_bill.component_total(c) < none_bill.component_total(c),
            "{c:?}: {} vs {}",
            with_bill.component_total(c),
            none_bill.component_total(c)
        );
    }
    assert!(with_bill.total() < none_bill.total());
}

/// `generate` says how many multipart uploads it wrote, and the counts match the file.
#[test]
fn generate_reports_its_multipart_uploads() {
    let tmp = tempfile::tempdir().unwrap();
    let o = crate::common::s3sim(
        tmp.path(),
        &[
            "generate",
            "--profile",
            "versioned",
            "--objects",
            "50",
            "--seed",
            "3",
            "--out",
            "g.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let said = crate::common::text(&o.stderr);
    let csv = std::fs::read_to_string(tmp.path().join("g.csv")).unwrap();
    let count = |op: &str| {
        csv.lines()
            .filter(|l| l.contains(&format!(",{op},")))
            .count()
    };
    let creates = count("CREATE_MULTIPART_UPLOAD");
    let completes = count("COMPLETE_MULTIPART_UPLOAD");
    assert!(
        creates > completes && completes > 0,
        "{creates} {completes}"
    );
    let expected = format!(
        "{creates} multipart uploads in {} parts, {completes} completed, {} abandoned)",
        count("UPLOAD_PART"),
        creates - completes
    );
    assert!(said.contains(&expected), "{said} / {expected}");
}
