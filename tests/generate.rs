//! `s3sim generate`: statistical checks with fixed seeds (tolerances derived below), profile
//! invariants, determinism and option checks.

use std::collections::HashMap;

use s3sim::generate::{Params, Profile, generate};
use s3sim::model::time::{DAY, parse_timestamp};

struct Row {
    t: i64,
    op: String,
    key: String,
    size: Option<u64>,
}

fn rows(p: &Params) -> Vec<Row> {
    let mut buf = Vec::new();
    generate(p, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("timestamp,op,key,size,storage_class,tags")
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Row {
                t: parse_timestamp(f[0]).unwrap(),
                op: f[1].into(),
                key: f[2].into(),
                size: f[3].parse().ok(),
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
    ] {
        let err = p.validate().unwrap_err().to_string();
        assert!(err.starts_with(needle), "{err}");
    }
}
