//! Intelligent-Tiering's opt-in archive tiers (`--it-config`), by hand: the tiers an object
//! passes through, restores on GET (free at standard and bulk, billed expedited, with their
//! waits), the return to Frequent with timers restarted, small objects, several configurations,
//! and validation.
//!
//! By hand throughout: 2026 months have 744 h (31 days), 672 h (February), 720 h (30 days); a
//! GB-month is 2^30 bytes for a month. Prices from pricing/aws-us-east-1.toml: Frequent $0.023,
//! Infrequent $0.0125, Archive Instant $0.004, Archive Access $0.0036, Deep Archive Access
//! $0.00099 per GB-month, STANDARD $0.023; monitoring $0.0025 per 1,000 objects a month; an
//! archived object adds 32 KiB at its tier's rate and 8 KiB at STANDARD's.

use crate::common::*;
use s3sim::ledger::Component;
use s3sim::model::RestoreTier;
use s3sim::policy::{ItConfig, ItConfigs, Policy};

const GIB: f64 = 1_073_741_824.0;
/// An archived 1 GiB object at its tier's rate, in GB.
const ARCHIVED: f64 = 1.0 + 32_768.0 / GIB;
/// Its 8 KiB at STANDARD's rate, in GB.
const NAME: f64 = 8_192.0 / GIB;

fn configs(jsons: &[&str]) -> ItConfigs {
    ItConfigs {
        configs: jsons
            .iter()
            .enumerate()
            .map(|(i, j)| ItConfig::parse(&format!("it{i}.json"), j).unwrap())
            .collect(),
    }
}

const BOTH: &str = r#"{"Id": "archive", "Status": "Enabled",
    "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"},
                 {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]}"#;

/// 1 GiB written to INTELLIGENT_TIERING at 00:00 on 1 January 2026 and never read, with Archive
/// Access at 90 days and Deep Archive Access at 180. Frequent for 30 days (to 31 January),
/// Infrequent to day 90 (1 April: 31 + 28 + 31 days), then Archive Access at once (90 days
/// bypasses Archive Instant) to day 180 (30 June: + 30 + 31 + 29 days), then Deep Archive Access.
/// - January: Frequent 720/744, Infrequent 24/744 GB-months; February and March: Infrequent 1.
/// - April and May: Archive Access 1 GB-month (with its 32 KiB) and 8 KiB at STANDARD.
/// - June: Archive Access 696/720, Deep Archive Access 24/720; July to December: Deep Archive 1.
/// - Total: 0.023 x 720/744 + 0.0125 x (24/744 + 2) + 0.0036 x ARCHIVED x (2 + 696/720) +
///   0.00099 x ARCHIVED x (24/720 + 6) + 0.023 x NAME x 9 + 12 x 0.0000025, and a PUT at
///   $0.005/1,000.
#[test]
fn an_object_archives_after_90_then_180_days() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,logs/a,1073741824,INTELLIGENT_TIERING\n",
    );
    let mut o = opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    o.it_configs = configs(&[BOTH]);
    let (_, bill) = run(&w, &Policy::none(), &o);
    let q = |m: usize, class: &str| bill.quantity(m, class, Component::Storage);
    close(q(0, "INTELLIGENT_TIERING_FREQUENT"), 720.0 / 744.0, 1e-12);
    close(q(0, "INTELLIGENT_TIERING_INFREQUENT"), 24.0 / 744.0, 1e-12);
    close(q(2, "INTELLIGENT_TIERING_INFREQUENT"), 1.0, 1e-12);
    close(q(3, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"), ARCHIVED, 1e-12);
    close(q(3, "INTELLIGENT_TIERING_ARCHIVE_INSTANT"), 0.0, 0.0);
    close(q(3, "STANDARD"), NAME, 1e-15);
    close(
        q(5, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"),
        ARCHIVED * 696.0 / 720.0,
        1e-12,
    );
    close(
        q(5, "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS"),
        ARCHIVED * 24.0 / 720.0,
        1e-12,
    );
    close(
        q(11, "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS"),
        ARCHIVED,
        1e-12,
    );
    let want = 0.023 * 720.0 / 744.0
        + 0.0125 * (24.0 / 744.0 + 2.0)
        + 0.0036 * ARCHIVED * (2.0 + 696.0 / 720.0)
        + 0.00099 * ARCHIVED * (24.0 / 720.0 + 6.0)
        + 0.023 * NAME * 9.0
        + 12.0 * 0.0025 / 1000.0
        + 0.005 / 1000.0;
    close(bill.total(), want, 1e-12);
    // Without a configuration the object stays in Archive Instant from 1 April: the run the
    // bundled samples make is unchanged.
    let (_, plain) = run(
        &w,
        &Policy::none(),
        &opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"),
    );
    close(
        plain.quantity(
            11,
            "INTELLIGENT_TIERING_ARCHIVE_INSTANT",
            Component::Storage,
        ),
        1.0,
        1e-12,
    );
}

/// The same object read at 00:00 on 1 August (in Deep Archive Access) and again at 06:00. The
/// first GET starts a standard restore (free) that completes 12 h later; the second waits for it
/// (6 h, no second restore). The object stays in Deep Archive Access until 12:00, then is in
/// Frequent with its timers restarted: to 31 August 12:00, then Infrequent.
/// August: Deep Archive Access 12/744 (with its 32 KiB), Frequent 720/744, Infrequent 12/744.
#[test]
fn a_get_from_deep_archive_access_waits_12_hours_and_returns_to_frequent() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,logs/a,1073741824,INTELLIGENT_TIERING\n\
         2026-08-01T00:00:00Z,GET,logs/a,\n\
         2026-08-01T06:00:00Z,GET,logs/a,\n",
    );
    let mut o = opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    o.it_configs = configs(&[BOTH]);
    let (r, bill) = run(&w, &Policy::none(), &o);
    assert_eq!(r.stats.restores, 1);
    assert_eq!(r.stats.archived_gets, 2);
    let hour = 3_600_000_000u64;
    assert_eq!(r.stats.get_latencies, [6 * hour, 12 * hour]);
    let q = |m: usize, class: &str| bill.quantity(m, class, Component::Storage);
    close(
        q(7, "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS"),
        ARCHIVED * 12.0 / 744.0,
        1e-12,
    );
    close(q(7, "INTELLIGENT_TIERING_FREQUENT"), 720.0 / 744.0, 1e-12);
    close(q(7, "INTELLIGENT_TIERING_INFREQUENT"), 12.0 / 744.0, 1e-12);
    close(q(7, "STANDARD"), NAME * 12.0 / 744.0, 1e-15);
    // The restore is free; the two GETs are billed as INTELLIGENT_TIERING GETs.
    close(
        bill.quantity(7, "INTELLIGENT_TIERING", Component::RestoreRequests),
        1.0,
        0.0,
    );
    close(
        bill.usd(7, "INTELLIGENT_TIERING", Component::RestoreRequests),
        0.0,
        0.0,
    );
    close(
        bill.usd(7, "INTELLIGENT_TIERING", Component::Retrieval),
        0.0,
        0.0,
    );
    close(
        bill.quantity(7, "INTELLIGENT_TIERING", Component::RequestsGet),
        2.0,
        0.0,
    );
    // Archive Access again 90 days after 12:00 on 1 August: 30 October 12:00.
    close(
        q(9, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"),
        ARCHIVED * 36.0 / 744.0,
        1e-12,
    );
    // Asked at expedited, Deep Archive Access restores at standard (it has no expedited tier).
    o.restore_tier = RestoreTier::Expedited;
    let (r, bill) = run(&w, &Policy::none(), &o);
    assert_eq!(r.stats.expedited_downgraded, 1);
    assert_eq!(r.stats.get_latencies, [6 * hour, 12 * hour]);
    close(
        bill.usd(7, "INTELLIGENT_TIERING", Component::RestoreRequests),
        0.0,
        0.0,
    );
}

/// Archive Access at 120 days: Archive Instant from day 90 (1 April) to day 120 (1 May). A GET on
/// 1 June at the expedited tier waits 5 minutes and is billed: $10 per 1,000 requests and $0.03
/// per GB, $0.04 in all.
#[test]
fn an_expedited_restore_from_archive_access_is_billed() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,logs/a,1073741824,INTELLIGENT_TIERING\n\
         2026-06-01T00:00:00Z,GET,logs/a,\n",
    );
    let mut o = opts("2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z");
    o.it_configs = configs(&[
        r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"Days": 120, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
    ]);
    o.restore_tier = RestoreTier::Expedited;
    let (r, bill) = run(&w, &Policy::none(), &o);
    let q = |m: usize, class: &str| bill.quantity(m, class, Component::Storage);
    close(q(3, "INTELLIGENT_TIERING_ARCHIVE_INSTANT"), 1.0, 1e-12);
    close(q(4, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"), ARCHIVED, 1e-12);
    assert_eq!(r.stats.get_latencies, [300_000_000]);
    close(
        bill.usd(5, "INTELLIGENT_TIERING", Component::RestoreRequests),
        0.01,
        1e-15,
    );
    close(
        bill.usd(5, "INTELLIGENT_TIERING", Component::Retrieval),
        0.03,
        1e-15,
    );
    // Five minutes in Archive Access, then Frequent for the rest of June.
    close(
        q(5, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"),
        ARCHIVED * 5.0 / (720.0 * 60.0),
        1e-12,
    );
    close(
        q(5, "INTELLIGENT_TIERING_FREQUENT"),
        1.0 - 5.0 / (720.0 * 60.0),
        1e-12,
    );
}

/// Objects under 128 KB are not monitored: a 100 KiB object stays in Frequent all year with no
/// monitoring fee, whatever the configuration.
#[test]
fn objects_under_128_kb_never_archive() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,logs/small,102400,INTELLIGENT_TIERING\n",
    );
    let mut o = opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    o.it_configs = configs(&[BOTH]);
    let (_, bill) = run(&w, &Policy::none(), &o);
    for m in 0..12 {
        close(
            bill.quantity(m, "INTELLIGENT_TIERING_FREQUENT", Component::Storage),
            102_400.0 / GIB,
            1e-15,
        );
    }
    close(bill.component_total(Component::Monitoring), 0.0, 0.0);
    assert!(
        bill.lines
            .iter()
            .all(|l| !l.class.contains("ARCHIVE") || l.quantity == 0.0)
    );
}

/// Two enabled configurations match `logs/a` (one by prefix at 180 days, one for the whole bucket
/// at 120 days with Deep Archive Access at 365): the earliest archiving wins, Archive Access at
/// day 120 (1 May). A disabled configuration at 90 days changes nothing; one for another prefix
/// neither. Deep Archive Access at day 365 falls on 1 January 2027, after the period.
#[test]
fn two_configurations_matching_one_object() {
    let w = workload(
        "timestamp,op,key,size,storage_class\n\
         2026-01-01T00:00:00Z,PUT,logs/a,1073741824,INTELLIGENT_TIERING\n",
    );
    let mut o = opts("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    o.it_configs = configs(&[
        r#"{"Id": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Tierings": [{"Days": 180, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
        r#"{"Id": "all", "Status": "Enabled", "Tierings": [{"Days": 365, "AccessTier": "DEEP_ARCHIVE_ACCESS"}, {"Days": 120, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
        r#"{"Id": "off", "Status": "Disabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
        r#"{"Id": "other", "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "k", "Value": "v"}]}}, "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
    ]);
    let (_, bill) = run(&w, &Policy::none(), &o);
    let q = |m: usize, class: &str| bill.quantity(m, class, Component::Storage);
    close(q(3, "INTELLIGENT_TIERING_ARCHIVE_INSTANT"), 1.0, 1e-12);
    close(q(4, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"), ARCHIVED, 1e-12);
    close(q(11, "INTELLIGENT_TIERING_ARCHIVE_ACCESS"), ARCHIVED, 1e-12);
    close(q(11, "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS"), 0.0, 0.0);
}

/// An inventory row in Archive Access starts there (with no configuration, one at 90 days is
/// assumed), and a lifecycle rule can then take it only to GLACIER or DEEP_ARCHIVE.
#[test]
fn inventory_rows_in_archive_tiers_start_there() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv.csv");
    std::fs::write(
        &inv,
        "Bucket,Key,Size,LastModifiedDate,StorageClass,IntelligentTieringAccessTier\n\
         b,cold/a,1073741824,2025-01-01T00:00:00.000Z,INTELLIGENT_TIERING,ARCHIVE_ACCESS\n\
         b,cold/b,1073741824,2025-01-01T00:00:00.000Z,INTELLIGENT_TIERING,DEEP_ARCHIVE_ACCESS\n",
    )
    .unwrap();
    let w = s3sim::workload::read_workload(
        &inv,
        &s3sim::workload::ReadOptions {
            format: Some(s3sim::workload::Format::Inventory),
            ..Default::default()
        },
    )
    .unwrap()
    .group_by_key();
    let o = opts("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z");
    let (_, bill) = run(&w, &Policy::none(), &o);
    let q = |class: &str| bill.quantity(0, class, Component::Storage);
    close(q("INTELLIGENT_TIERING_ARCHIVE_ACCESS"), ARCHIVED, 1e-12);
    close(
        q("INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS"),
        ARCHIVED,
        1e-12,
    );
    close(q("STANDARD"), 2.0 * NAME, 1e-15);
    // From Archive Access a rule to GLACIER_IR cannot act; to GLACIER it can.
    let mut o = o;
    o.trace = true;
    for (class, moved) in [("GLACIER_IR", 0), ("GLACIER", 1)] {
        let p = policy(&format!(
            r#"{{"Rules": [{{"ID": "r", "Status": "Enabled", "Filter": {{"Prefix": "cold/a"}}, "Transitions": [{{"Days": 0, "StorageClass": "{class}"}}]}}]}}"#
        ));
        let (r, _) = run(&w, &p, &o);
        assert_eq!(r.stats.transitions, moved, "{class}");
    }
}

fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `s3sim run --it-config` on the bundled logs: the archive tiers appear in `monthly.csv` and
/// cut the Intelligent-Tiering policy's storage cost; the report header and `run.json` name the
/// configuration; `validate` explains it one line per tiering; a bad configuration is refused
/// before anything is written, naming the file and field.
#[test]
fn run_with_an_it_config_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = repo().join("workloads/logs.csv");
    let it = repo().join("policies/intelligent-tiering.json");
    let cfg = repo().join("policies/intelligent-tiering/archive-logs.json");
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "run",
            "--quiet",
            "--workload",
            logs.to_str().unwrap(),
            "--policy",
            it.to_str().unwrap(),
            "--months",
            "14",
            "--charts",
            "none",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        s3sim(tmp.path(), &args)
    };
    let o = run("with", &["--it-config", cfg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = run("without", &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let storage = |dir: &str, class: &str| -> f64 {
        csv_rows(&tmp.path().join(dir).join("monthly.csv"))
            .iter()
            .filter(|r| {
                r["policy"] == "intelligent-tiering"
                    && r["storage_class"] == class
                    && r["component"] == "storage"
            })
            .map(|r| r["usd"].parse::<f64>().unwrap())
            .sum()
    };
    assert!(storage("with", "INTELLIGENT_TIERING_ARCHIVE_ACCESS") > 0.0);
    assert!(storage("with", "INTELLIGENT_TIERING_DEEP_ARCHIVE_ACCESS") > 0.0);
    assert_eq!(
        storage("without", "INTELLIGENT_TIERING_ARCHIVE_ACCESS"),
        0.0
    );
    assert!(storage("without", "INTELLIGENT_TIERING_ARCHIVE_INSTANT") > 0.0);
    let total = |dir: &str| -> f64 {
        csv_rows(&tmp.path().join(dir).join("summary.csv"))
            .iter()
            .find(|r| r["policy"] == "intelligent-tiering")
            .unwrap()["total_usd"]
            .parse()
            .unwrap()
    };
    assert!(total("with") < total("without"));
    let md = std::fs::read_to_string(tmp.path().join("with/report.md")).unwrap();
    assert!(
        md.contains("- Intelligent-Tiering archive tiers: configuration \"archive-logs\": objects of 128 KB or more under prefix \"logs/\" move to Archive Access after 90 days"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("with/run.json")).unwrap())
            .unwrap();
    assert_eq!(json["options"]["it_configs"][0]["id"], "archive-logs");
    let v = s3sim(tmp.path(), &["validate", cfg.to_str().unwrap()]);
    assert!(v.status.success());
    let out = text(&v.stdout);
    assert!(
        out.contains("valid Intelligent-Tiering configuration"),
        "{out}"
    );
    assert!(out.contains("move to Deep Archive Access after 180 days without access"));
    std::fs::write(
        tmp.path().join("bad.json"),
        r#"{"Id": "x", "Status": "Enabled", "Tierings": [{"Days": 30, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
    )
    .unwrap();
    let o = run("bad", &["--it-config", "bad.json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("bad.json: configuration \"x\", Tierings[0].Days: 30: ARCHIVE_ACCESS takes 90 to 730 days"),
        "{err}"
    );
    assert!(!tmp.path().join("bad").exists());
}
