//! The decision table end to end (`s3sim run`): steady state, the baseline diff, flags, and the
//! period checks, on hand-built workloads whose figures are computed by hand below from the
//! README's steady-state rule and `pricing/aws-us-east-1.toml`.

use std::path::Path;

use crate::common::{s3sim, text};

/// 100 GiB written at the first instant of 2026, read once on 2026-03-10.
const WORKLOAD: &str = "timestamp,op,key,size\n\
2026-01-01T00:00:00Z,PUT,data/a,107374182400\n\
2026-03-10T12:00:00Z,GET,data/a,107374182400\n";

const IA30: &str = r#"{"Rules":[{"ID":"ia","Status":"Enabled","Filter":{"Prefix":""},
 "Transitions":[{"Days":30,"StorageClass":"STANDARD_IA"}]}]}"#;
const GLACIER0: &str = r#"{"Rules":[{"ID":"cold","Status":"Enabled","Filter":{"Prefix":""},
 "Transitions":[{"Days":0,"StorageClass":"GLACIER"}]}]}"#;
const EXP400: &str = r#"{"Rules":[{"ID":"late","Status":"Enabled","Filter":{"Prefix":""},
 "Expiration":{"Days":400}}]}"#;
const IT0: &str = r#"{"Rules":[{"ID":"it","Status":"Enabled","Filter":{"Prefix":""},
 "Transitions":[{"Days":0,"StorageClass":"INTELLIGENT_TIERING"}]}]}"#;

fn setup(dir: &Path, policies: &[(&str, &str)]) {
    std::fs::write(dir.join("w.csv"), WORKLOAD).unwrap();
    for (name, json) in policies {
        std::fs::write(dir.join(format!("{name}.json")), json).unwrap();
    }
}

/// `summary.csv` rows as maps.
fn summary(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    crate::common::csv_rows(&dir.join("r/summary.csv"))
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    policy: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| r["policy"] == policy)
        .unwrap_or_else(|| panic!("no row for {policy}"))
}

fn num(r: &std::collections::HashMap<String, String>, col: &str) -> f64 {
    r[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col}: {:?}", r[col]))
}

/// `run.json`'s decisions.
fn decisions(dir: &Path) -> Vec<serde_json::Value> {
    let json = std::fs::read_to_string(dir.join("r/run.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["decisions"].as_array().unwrap().clone()
}

fn run(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "--workload", "w.csv", "--months", "4", "--out", "r"];
    args.extend_from_slice(extra);
    s3sim(dir, &args)
}

/// Two policies, `none` added as the baseline by itself.
///
/// ia30 settles when its 30-day transition falls due for an object created at the start:
/// 2026-01-01 + 30 days = 2026-01-31 00:00, so the first whole month after it is February and the
/// window is 2026-02 to 2026-04 (3 months); `none` settles at once.
/// - none, each window month: 100 GB-months of STANDARD x $0.023 = $2.30 (the GET in March costs
///   $0.0004/1,000 = $0.0000004); mean = (2.30 x 3 + 0.0000004) / 3 = $2.3000001333.
/// - ia30, each window month: 100 GB-months of STANDARD_IA x $0.0125 = $1.25; in March the GET
///   ($0.001/1,000 = $0.000001) and its retrieval (100 GB x $0.01 = $1.00); mean =
///   (1.25 x 3 + 1.000001) / 3 = $1.5833336667.
/// - change: 1.5833336667 - 2.3000001333 = -$0.7166664667/month, -31.159...% of the baseline.
/// - $/TB-month: none 2.3000001333 / (100/1024 TB) = $23.5520013653; ia30 1.5833336667 / (100/1024)
///   = $16.2133367467.
#[test]
fn steady_state_and_baseline_diff_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path(), &[("ia30", IA30)]);
    let o = run(tmp.path(), &["--policy", "ia30.json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Full precision from run.json, the CSV's 6 decimals from summary.csv.
    let v = decisions(tmp.path());
    let ranked = v[0]["ranked"].as_array().unwrap();
    let get = |i: usize, k: &str| ranked[i][k].as_f64().unwrap();
    assert_eq!(ranked[0]["policy"], "ia30");
    assert_eq!(ranked[1]["policy"], "none");
    let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    close(get(1, "steady_usd_per_month"), 2.3000001333);
    close(get(0, "steady_usd_per_month"), 1.5833336667);
    close(get(0, "vs_baseline_usd_per_month"), -0.7166664667);
    assert!((get(0, "vs_baseline_pct") - -0.7166664667 / 2.3000001333 * 100.0).abs() < 1e-7);
    close(get(1, "vs_baseline_usd_per_month"), 0.0);
    close(get(1, "usd_per_tb_month"), 2.3000001333 * 1024.0 / 100.0);
    close(get(0, "usd_per_tb_month"), 1.5833336667 * 1024.0 / 100.0);
    assert_eq!(v[0]["steady_window"], "2026-02 to 2026-04, 3 months");
    let rows = summary(tmp.path());
    assert_eq!(rows.len(), 2, "none is added as the baseline");
    let (none, ia) = (row(&rows, "none"), row(&rows, "ia30"));
    let close6 = |a: f64, b: f64| assert!((a - b).abs() < 6e-7, "{a} vs {b}");
    close6(num(none, "steady_usd_per_month"), 2.3000001333);
    close6(num(ia, "vs_baseline_usd_per_month"), -0.7166664667);
    assert_eq!(ia["rank"], "1");
    assert_eq!(none["rank"], "2");
    for r in [none, ia] {
        assert_eq!(r["steady_from"], "2026-02");
        assert_eq!(r["steady_to"], "2026-04");
        assert_eq!(r["baseline"], "none");
        assert_eq!(r["flags"], "");
    }
    // The terminal shows the same table, with the period and the window.
    let out = text(&o.stdout);
    assert!(out.contains("w: 2026-01 to 2026-04, 4 months."), "{out}");
    assert!(out.contains("over 2026-02 to 2026-04 (3 months)"), "{out}");
    let line = out.lines().find(|l| l.contains(" ia30 ")).unwrap();
    assert!(line.contains("$1.58") && line.contains("-$0.72") && line.contains("-31.2%"));
    assert!(line.contains("cheapest acceptable"), "{line}");
    // The finding compares with the baseline and names the component that moved most.
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    assert!(
        md.contains("**ia30** is the cheapest once settled, at $1.58/month: -$0.72/month (-31.2%) against the baseline **none** ($2.30/month), because of storage -$1.05/month, retrieval +$0.33/month"),
        "{md}"
    );
    assert!(md.contains("baseline: none (added to the run as the baseline)"));
}

/// `--baseline` names another policy: the diff is against it, and a policy that costs more than
/// it is flagged. ia30 against none (same figures as above): +$0.7166664667/month.
#[test]
fn another_baseline_flags_what_costs_more() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path(), &[("ia30", IA30)]);
    let o = run(
        tmp.path(),
        &["--policy", "none", "ia30.json", "--baseline", "ia30"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v = decisions(tmp.path());
    let none = &v[0]["ranked"][1];
    assert_eq!(none["policy"], "none");
    assert!((none["vs_baseline_usd_per_month"].as_f64().unwrap() - 0.7166664667).abs() < 1e-9);
    let rows = summary(tmp.path());
    assert_eq!(row(&rows, "none")["flags"], "costs_more");
    assert_eq!(row(&rows, "ia30")["baseline"], "ia30");
    // The baseline named by its file, the same file as a --policy: the same policy, not added again.
    let o = run(
        tmp.path(),
        &["--policy", "ia30.json", "--baseline", "./ia30.json"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = summary(tmp.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["baseline"], "ia30");
    // A baseline that is neither a policy of the run nor a file: exit 2, naming the choices.
    let bad = run(tmp.path(), &["--policy", "ia30.json", "--baseline", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = text(&bad.stderr);
    assert!(
        err.contains("--baseline \"nope\"") && err.contains("ia30"),
        "{err}"
    );
    // A bad budget is a usage error too.
    let bad = run(tmp.path(), &["--max-p99-get-wait", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("--max-p99-get-wait \"soon\""));
}

/// The cheapest policy waits 5 h for its one GET (a standard GLACIER restore): over a 1 s budget
/// it is flagged and not picked; the finding names the wait and the pick.
/// glacier0 per window month: 100 GB + 32 KB of GLACIER x $0.0036 and 8 KB of STANDARD, about
/// $0.36; March adds the restore (100 GB x $0.01 + $0.05/1,000) and one day of the restored copy
/// in STANDARD (100 GB x $0.023 / 31 = $0.074): mean about $0.72, under ia30's $1.58.
#[test]
fn a_wait_over_budget_rules_the_cheapest_out() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path(), &[("ia30", IA30), ("glacier0", GLACIER0)]);
    let o = run(
        tmp.path(),
        &[
            "--policy",
            "none",
            "ia30.json",
            "glacier0.json",
            "--max-p99-get-wait",
            "1s",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = summary(tmp.path());
    let g = row(&rows, "glacier0");
    assert_eq!(g["rank"], "1");
    assert!(num(g, "steady_usd_per_month") < 0.75 && num(g, "steady_usd_per_month") > 0.70);
    assert_eq!(g["flags"], "over_wait_budget");
    assert_eq!(num(g, "p99_get_latency_s"), 5.0 * 3600.0);
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    assert!(
        md.contains("But **glacier0** is not a safe pick: p99 GET wait 5.0 h over the 1.0 s budget. The cheapest acceptable policy is **ia30** at $1.58/month"),
        "{md}"
    );
    assert!(
        md.contains("Risk: 1 restore, a p99 GET wait of 5.0 h"),
        "{md}"
    );
    let json = std::fs::read_to_string(tmp.path().join("r/run.json")).unwrap();
    assert!(json.contains("\"pick\": \"ia30\""), "{json}");
}

/// An expiration after 400 days never falls due in 4 months: a warning with the --months that
/// would show it (2026-01-01 + 400 days = 2027-02-05, inside a period of 14 months), the policy
/// flagged as not settled and as having no effect. An INTELLIGENT_TIERING transition at day 0
/// settles 90 days later (2026-04-01), after a 2-month period: the second warning.
#[test]
fn period_checks_fire_on_crafted_cases() {
    let tmp = tempfile::tempdir().unwrap();
    setup(tmp.path(), &[("exp400", EXP400), ("it0", IT0)]);
    let o = run(tmp.path(), &["--policy", "exp400.json", "it0.json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stdout);
    assert!(
        err.contains("w x exp400: rule \"late\": Expiration after 400 days never falls due in the period (2026-01 to 2026-04, 4 months); extend it with --months 14"),
        "{err}"
    );
    assert_eq!(
        row(&summary(tmp.path()), "exp400")["flags"],
        "not_settled;no_effect"
    );
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    assert!(
        md.contains("**w** under **exp400**: the policy had no effect: none of its actions falls due in the period."),
        "{md}"
    );
    std::fs::write(
        tmp.path().join("put.csv"),
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,data/a,107374182400\n",
    )
    .unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            "put.csv",
            "--months",
            "2",
            "--out",
            "r",
            "--policy",
            "it0.json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("put x it0: no whole month of the period (2026-01 to 2026-02, 2 months) starts after the policy settles (rule \"it\": Transition to INTELLIGENT_TIERING after 0 days, then 90 days for Intelligent-Tiering to reach its last tier, for the first object): its steady-state cost is not reached; --months 6 shows 3 settled months"),
        "{out}"
    );
}

/// The period checks stay silent where they do not apply: on the bundled samples, no warning for
/// a policy whose actions all fall due (backups x archive: 30 and 180 days in 12 months), none for
/// `none`, and no "no effect" for a policy that acts.
#[test]
fn period_checks_stay_silent_on_the_bundled_samples() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = s3sim(repo, &["run", "--quiet", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json = std::fs::read_to_string(out.join("run.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let period: Vec<&&str> = warnings
        .iter()
        .filter(|w| w.contains("never fall") || w.contains("takes to settle"))
        .collect();
    assert!(
        !period.is_empty(),
        "the 365-day expiration in 12 months is reported"
    );
    for w in &period {
        assert!(!w.contains(" x none:"), "{w}");
        assert!(!w.starts_with("backups x archive:"), "{w}");
        assert!(!w.starts_with("logs x intelligent-tiering:"), "{w}");
    }
    let rows: Vec<&serde_json::Value> = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["ranked"].as_array().unwrap())
        .collect();
    assert!(
        rows.iter()
            .all(|r| r["policy"] != "none" || r["flags"].as_array().unwrap().is_empty())
    );
    let logs = v["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["workload"] == "logs")
        .unwrap();
    for r in logs["ranked"].as_array().unwrap() {
        let flags: Vec<&str> = r["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let no_effect = flags.contains(&"no effect in the period");
        assert_eq!(no_effect, r["policy"] == "versioned", "{r}");
    }
}

/// A period with no whole month (`--until` mid-January) is its own window, scaled to a month:
/// 100 GiB in STANDARD for 15 of January's 31 days costs 100 x 0.023 x 15/31 = $1.1129032258, and
/// the PUT $0.005/1,000 = $0.000005; per month: (1.1129032258 + 0.000005) x 31/15 = $2.3000103333.
#[test]
fn a_part_of_a_month_is_scaled_to_a_month() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("put.csv"),
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,data/a,107374182400\n",
    )
    .unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            "put.csv",
            "--until",
            "2026-01-16",
            "--policy",
            "none",
            "--out",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v = decisions(tmp.path());
    assert_eq!(v[0]["steady_window"], "2026-01-01 to 2026-01-15, 15 days");
    let steady = v[0]["ranked"][0]["steady_usd_per_month"].as_f64().unwrap();
    assert!((steady - 2.3000103333).abs() < 1e-9, "{steady}");
    let total = v[0]["ranked"][0]["total_usd"].as_f64().unwrap();
    assert!((total - 1.1129082258).abs() < 1e-9, "{total}");
}

/// The settling instant counts from the first request, and the advice lands past the due instant:
/// - a 31-day transition of an object created at 2026-01-01 00:00 falls due at 2026-02-01 00:00,
///   the end of a 1-month period: it never falls due in it, and `--months 2` (to 2026-03-01) is
///   the first period that holds it;
/// - a 20-day transition acts on 2026-01-21, inside January: the policy has an effect, but no whole
///   month starts after it settles, so it is flagged not settled and the warning says
///   `--months 4` (February to April after it);
/// - an object first written on 2026-01-25 with a 31-day transition settles on 2026-02-25
///   (00:00 after 25 + 31 days), so over four months the window is March and April, when the
///   object is in STANDARD_IA: 100 GiB x $0.0125 = $1.25 a month (not a mean with February's
///   STANDARD days).
#[test]
fn settling_counts_from_the_first_request() {
    let tmp = tempfile::tempdir().unwrap();
    let put = |name: &str, at: &str| {
        std::fs::write(
            tmp.path().join(name),
            format!("timestamp,op,key,size\n{at},PUT,data/a,107374182400\n"),
        )
        .unwrap();
    };
    put("jan1.csv", "2026-01-01T00:00:00Z");
    put("jan25.csv", "2026-01-25T00:00:00Z");
    for days in [20, 31] {
        std::fs::write(
            tmp.path().join(format!("t{days}.json")),
            format!(
                r#"{{"Rules":[{{"ID":"t","Status":"Enabled","Filter":{{"Prefix":""}},"Transitions":[{{"Days":{days},"StorageClass":"STANDARD_IA"}}]}}]}}"#
            ),
        )
        .unwrap();
    }
    let run = |w: &str, p: &str, months: &str| {
        let o = s3sim(
            tmp.path(),
            &[
                "run",
                "--workload",
                w,
                "--policy",
                p,
                "--months",
                months,
                "--out",
                "r",
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    let out = run("jan1.csv", "t31.json", "1");
    assert!(
        out.contains("rule \"t\": Transition to STANDARD_IA after 31 days never falls due in the period (2026-01, 1 month); extend it with --months 2"),
        "{out}"
    );
    let out = run("jan1.csv", "t20.json", "1");
    assert!(
        out.contains("jan1 x t20: no whole month of the period (2026-01, 1 month) starts after the policy settles (rule \"t\": Transition to STANDARD_IA after 20 days, for the first object): its steady-state cost is not reached; --months 4 shows 3 settled months"),
        "{out}"
    );
    let t20 = &decisions(tmp.path())[0]["ranked"];
    let t20 = t20
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["policy"] == "t20")
        .unwrap();
    assert_eq!(
        t20["flags"],
        serde_json::json!(["not settled in the period"])
    );
    run("jan25.csv", "t31.json", "4");
    let d = &decisions(tmp.path())[0];
    assert_eq!(d["steady_window"], "2026-03 to 2026-04, 2 months");
    let t31 = d["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["policy"] == "t31")
        .unwrap();
    let steady = t31["steady_usd_per_month"].as_f64().unwrap();
    assert!((steady - 1.25).abs() < 1e-9, "{steady}");
}

/// Runs `s3sim run` on `csv` with `none` and the named policies (name, JSON) for 2 months, plus
/// `extra` arguments; returns each policy's summary.csv flags and report.md.
fn flags_of(
    csv: &str,
    policies: &[(&str, &str)],
    extra: &[&str],
) -> (std::collections::HashMap<String, String>, String) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("w.csv"), csv).unwrap();
    let mut args = vec!["run", "--quiet", "--workload", "w.csv", "--policy", "none"];
    let files: Vec<String> = policies.iter().map(|(n, _)| format!("{n}.json")).collect();
    for ((_, json), file) in policies.iter().zip(&files) {
        std::fs::write(tmp.path().join(file), json).unwrap();
        args.extend(["--policy", file.as_str()]);
    }
    args.extend(["--months", "2", "--charts", "none", "--out", "out"]);
    args.extend_from_slice(extra);
    let o = crate::common::s3sim(tmp.path(), &args);
    assert!(o.status.success(), "{}", crate::common::text(&o.stderr));
    let flags = crate::common::csv_rows(&tmp.path().join("out/summary.csv"))
        .into_iter()
        .map(|r| (r["policy"].clone(), r["flags"].clone()))
        .collect();
    let md = std::fs::read_to_string(tmp.path().join("out/report.md")).unwrap();
    (flags, md)
}

const EXPIRE_7: &str = r#"{"Rules": [{"ID": "e", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 7}}]}"#;

/// A policy whose rules expire current objects is flagged "deletes data" with the count, in the
/// decision table and summary.csv's flags; one that expires nothing is not.
#[test]
fn expiring_policies_are_flagged_as_deleting_data() {
    let mut csv = String::from("timestamp,op,key,size\n");
    for i in 0..5 {
        csv.push_str(&format!(
            "2026-01-0{}T00:00:00Z,PUT,tmp/{i},1000000\n",
            i + 1
        ));
    }
    let (flags, md) = flags_of(&csv, &[("expire", EXPIRE_7)], &[]);
    assert!(flags["expire"].contains("deletes_data"), "{flags:?}");
    assert!(!flags["none"].contains("deletes_data"));
    assert!(md.contains("deletes data (5 expired)"), "{md}");
}

/// In a versioned bucket an expiration adds a delete marker and keeps the data: not flagged. A
/// noncurrent-version expiration deletes versions for good: flagged.
#[test]
fn only_permanent_deletions_are_flagged_in_a_versioned_bucket() {
    let mut csv = String::from("timestamp,op,key,size\n");
    for i in 0..3 {
        csv.push_str(&format!("2026-01-01T00:00:00Z,PUT,tmp/{i},1000000\n"));
        csv.push_str(&format!("2026-01-02T00:00:00Z,PUT,tmp/{i},1000000\n"));
    }
    let old = r#"{"Rules": [{"ID": "n", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]}"#;
    let (flags, md) = flags_of(
        &csv,
        &[("expire", EXPIRE_7), ("old", old)],
        &["--versioning", "enabled"],
    );
    assert!(!flags["expire"].contains("deletes_data"), "{flags:?}");
    assert!(flags["old"].contains("deletes_data"), "{flags:?}");
    assert!(md.contains("deletes data (3 expired)"), "{md}");
}
