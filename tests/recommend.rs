//! `s3sim recommend` end to end: picks known by hand, the pick's cost equal to `s3sim run` of its
//! JSON in every `monthly.csv` cell, never dearer than `none` or a bundled policy under the same
//! constraints, and files that `validate` and Terraform take.

use std::path::{Path, PathBuf};

use crate::common::{s3sim, text};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Six 100 GiB objects, one written at 00:00 on the 1st of each month from January to June, each
/// read on the 2nd at 12:00 and again on the 15th five months later.
fn audit_workload(dir: &Path) {
    let mut csv = String::from("timestamp,op,key,size\n");
    for m in 1..=6 {
        csv.push_str(&format!(
            "2026-{m:02}-01T00:00:00Z,PUT,cold/obj{m},107374182400\n"
        ));
        csv.push_str(&format!("2026-{m:02}-02T12:00:00Z,GET,cold/obj{m},\n"));
        csv.push_str(&format!(
            "2026-{:02}-15T12:00:00Z,GET,cold/obj{m},\n",
            m + 5
        ));
    }
    std::fs::write(dir.join("audit.csv"), csv).unwrap();
}

/// `candidates.csv` rows as maps.
fn candidates(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    crate::common::csv_rows(&dir.join("candidates.csv"))
}

fn picked(
    rows: &[std::collections::HashMap<String, String>],
) -> &std::collections::HashMap<String, String> {
    let p: Vec<_> = rows.iter().filter(|r| r["picked"] == "true").collect();
    assert_eq!(p.len(), 1, "one pick");
    p[0]
}

/// Without a budget the pick is DEEP_ARCHIVE after 7 days (the day-2 reads are over; the later
/// read waits 12 h for a standard restore). Under a 1 s budget that wait rules it out, and the pick
/// is GLACIER_IR after 7 days. Its cost by hand, for objects created on the 1st of month m
/// (days(m): 31, 28, 31, 30, 31, 30):
/// - STANDARD for 7 days: 100 GiB x 7/days(m) GB-months x $0.023, summed: 100 x 0.023 x
///   (7/31 + 7/28 + 7/31 + 7/30 + 7/31 + 7/30) = $3.2063978495;
/// - GLACIER_IR from the 8th to the end of 2026: 100 x 0.004 x sum((days(m) - 7)/days(m) +
///   12 - m) = 100 x 0.004 x 55.6059139785 = $22.2423655914;
/// - 6 PUTs x $0.005/1,000, 6 transitions x $0.02/1,000, 6 GETs from STANDARD x $0.0004/1,000,
///   6 GETs from GLACIER_IR x $0.01/1,000, and their retrieval 6 x 100 GB x $0.03 = $18;
/// - total $43.4489758409.
#[test]
fn picks_known_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    audit_workload(tmp.path());
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--workload",
            "audit.csv",
            "--months",
            "12",
            "--out",
            "free",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let free = candidates(&tmp.path().join("free"));
    let p = picked(&free);
    assert_eq!(p["rules"], "cold/: DEEP_ARCHIVE@7d");
    assert_eq!(p["p99_get_wait_s"], "43200.000000");
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--workload",
            "audit.csv",
            "--months",
            "12",
            "--max-p99-get-wait",
            "1s",
            "--out",
            "budget",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = candidates(&tmp.path().join("budget"));
    let p = picked(&rows);
    assert_eq!(p["rules"], "cold/: GLACIER_IR@7d");
    let days = [31.0, 28.0, 31.0, 30.0, 31.0, 30.0];
    let standard: f64 = days.iter().map(|d| 100.0 * 0.023 * 7.0 / d).sum();
    let months: f64 = days
        .iter()
        .enumerate()
        .map(|(i, d)| (d - 7.0) / d + (12 - (i + 1)) as f64)
        .sum();
    let want = standard
        + 100.0 * 0.004 * months
        + 6.0 * (0.005 + 0.02 + 0.0004 + 0.01) / 1000.0
        + 6.0 * 100.0 * 0.03;
    assert!((want - 43.4489758409).abs() < 1e-9, "{want}");
    let got: f64 = p["total_usd"].parse().unwrap();
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    // The deep-archive pick is listed, and why it was ruled out.
    let deep = rows
        .iter()
        .find(|r| r["rules"] == "cold/: DEEP_ARCHIVE@7d")
        .unwrap();
    assert_eq!(deep["feasible"], "false");
    assert_eq!(deep["reason"], "p99 GET wait 43200 s over 1 s");
    let md = std::fs::read_to_string(tmp.path().join("budget/recommend.md")).unwrap();
    assert!(
        md.contains("**Recommended:** cold/: GLACIER_IR@7d — $43.45 over the period"),
        "{md}"
    );
    // The decision table of none and the pick, with the steady state and why it wins.
    assert!(md.contains("| 1 | recommended | $43.45 |"), "{md}");
    assert!(
        md.contains("**recommended** is the cheapest once settled"),
        "{md}"
    );
    assert!(md.contains("because of storage -$"), "{md}");
    // The cost-against-wait chart, shown in recommend.md.
    assert!(
        tmp.path()
            .join("budget/charts/cost_vs_wait_audit.png")
            .exists()
    );
    assert!(md.contains("](charts/cost_vs_wait_audit.png)"), "{md}");
}

/// `monthly.csv` rows of one policy, without the workload and policy columns.
fn monthly_rows(path: &Path, workload: &str, policy: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with(&format!("{workload},{policy},")))
        .map(|l| l.splitn(3, ',').nth(2).unwrap().to_string())
        .collect()
}

/// The recommendation costs what `s3sim run` of its JSON costs, in every `monthly.csv` cell: on
/// the audit workload under a budget, and on the bundled versioned sample (two prefix groups, a
/// versioned bucket, multipart uploads). The JSON passes `validate`.
#[test]
fn the_pick_costs_what_run_of_its_json_costs() {
    let tmp = tempfile::tempdir().unwrap();
    audit_workload(tmp.path());
    let versioned = repo().join("workloads/versioned.csv");
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--workload",
            "audit.csv",
            versioned.to_str().unwrap(),
            "--max-p99-get-wait",
            "1s",
            "--out",
            "rec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    for (workload, file) in [
        ("audit", "audit.csv"),
        ("versioned", versioned.to_str().unwrap()),
    ] {
        let json = tmp.path().join(format!("rec/recommended_{workload}.json"));
        let v = s3sim(tmp.path(), &["validate", json.to_str().unwrap()]);
        assert!(v.status.success(), "{}", text(&v.stderr));
        let out = format!("run-{workload}");
        let o = s3sim(
            tmp.path(),
            &[
                "run",
                "--quiet",
                "--workload",
                file,
                "--policy",
                json.to_str().unwrap(),
                "--out",
                &out,
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let ran = monthly_rows(
            &tmp.path().join(&out).join("monthly.csv"),
            workload,
            &format!("recommended_{workload}"),
        );
        let found = monthly_rows(&tmp.path().join("rec/monthly.csv"), workload, "recommended");
        assert!(ran.len() > 10, "{workload}: {} rows", ran.len());
        assert_eq!(ran, found, "{workload}");
        // The steady state candidates.csv gives the pick is the one run's decision table gives
        // the JSON (the same policies, so the same window).
        let json_out = std::fs::read_to_string(tmp.path().join(&out).join("run.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json_out).unwrap();
        let ran_steady = v["decisions"][0]["ranked"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["policy"] == format!("recommended_{workload}"))
            .unwrap()["steady_usd_per_month"]
            .as_f64()
            .unwrap();
        let rows = candidates(&tmp.path().join("rec"));
        let pick = rows
            .iter()
            .find(|r| r["workload"] == workload && r["picked"] == "true")
            .unwrap();
        let steady: f64 = pick["steady_usd_per_month"].parse().unwrap();
        assert!(
            (steady - ran_steady).abs() < 1e-6,
            "{workload}: {steady} vs {ran_steady}"
        );
    }
}

/// On each bundled workload, under a 1 s budget, the pick costs no more than `none` or any bundled
/// policy that meets the budget (their totals from `s3sim run`).
#[test]
fn the_pick_beats_none_and_the_bundled_policies() {
    let tmp = tempfile::tempdir().unwrap();
    let rec = tmp.path().join("rec");
    let o = s3sim(
        &repo(),
        &[
            "recommend",
            "--quiet",
            "--max-p99-get-wait",
            "1s",
            "--out",
            rec.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let run = tmp.path().join("run");
    let o = s3sim(&repo(), &["run", "--quiet", "--out", run.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let summary = std::fs::read_to_string(run.join("summary.csv")).unwrap();
    let rows = candidates(&rec);
    let mut workloads = 0;
    for w in ["backups", "logs", "ml-dataset", "versioned", "web-assets"] {
        let mine: Vec<_> = rows.iter().filter(|r| r["workload"] == w).collect();
        let pick: f64 = picked(&mine.iter().map(|r| (*r).clone()).collect::<Vec<_>>())["total_usd"]
            .parse()
            .unwrap();
        for line in summary.lines().filter(|l| l.starts_with(&format!("{w},"))) {
            let f: Vec<&str> = line.split(',').collect();
            let (policy, total, p99): (&str, f64, f64) =
                (f[1], f[2].parse().unwrap(), f[11].parse().unwrap());
            if p99 <= 1.0 {
                assert!(
                    pick <= total + 1e-6,
                    "{w}: the pick ${pick} against {policy} ${total}"
                );
            }
        }
        workloads += 1;
    }
    assert_eq!(workloads, 5);
}

/// The Terraform form of a two-group recommendation in a versioned bucket, as reviewed by hand:
/// one `rule` per prefix with its transition, noncurrent expiration (and expired delete markers)
/// and upload abort, the bucket a variable.
#[test]
fn terraform_form_reviewed_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let versioned = repo().join("workloads/versioned.csv");
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--quiet",
            "--workload",
            versioned.to_str().unwrap(),
            "--out",
            "rec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json = std::fs::read_to_string(tmp.path().join("rec/recommended_versioned.json")).unwrap();
    let tf = std::fs::read_to_string(tmp.path().join("rec/recommended_versioned.tf")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rules = v["Rules"].as_array().unwrap();
    let mut want = String::from(
        "# Made by s3sim recommend: the lifecycle configuration it found cheapest.\nvariable \"bucket\" {\n  type = string\n}\n\nresource \"aws_s3_bucket_lifecycle_configuration\" \"recommended_versioned\" {\n  bucket = var.bucket\n",
    );
    let mut kinds = 0;
    for r in rules {
        want.push_str(&format!(
            "\n  rule {{\n    id     = {}\n    status = \"Enabled\"\n\n    filter {{\n      prefix = {}\n    }}\n",
            r["ID"], r["Filter"]["Prefix"]
        ));
        if let Some(t) = r["Transitions"].get(0) {
            want.push_str(&format!(
                "\n    transition {{\n      days          = {}\n      storage_class = {}\n    }}\n",
                t["Days"], t["StorageClass"]
            ));
            kinds |= 1;
        }
        if let Some(d) = r["NoncurrentVersionExpiration"].get("NoncurrentDays") {
            assert_eq!(r["Expiration"]["ExpiredObjectDeleteMarker"], true);
            want.push_str(&format!(
                "\n    expiration {{\n      expired_object_delete_marker = true\n    }}\n\n    noncurrent_version_expiration {{\n      noncurrent_days = {d}\n    }}\n"
            ));
            kinds |= 2;
        }
        if let Some(d) = r["AbortIncompleteMultipartUpload"].get("DaysAfterInitiation") {
            want.push_str(&format!(
                "\n    abort_incomplete_multipart_upload {{\n      days_after_initiation = {d}\n    }}\n"
            ));
            kinds |= 4;
        }
        want.push_str("  }\n");
    }
    want.push_str("}\n");
    assert_eq!(tf, want);
    assert_eq!(rules.len(), 2, "{json}");
    assert_eq!(
        kinds, 7,
        "transitions, noncurrent expirations and aborts all shown: {json}"
    );
}

/// More prefixes than a lifecycle configuration has rules for: a clear error, exit 2. Where
/// objects under 128 KB may transition, a prefix can need two rules: 600 prefixes are too many,
/// unless GLACIER and DEEP_ARCHIVE (the classes small objects may go to) are not among the classes.
#[test]
fn too_many_prefixes_are_refused() {
    // `recommend` on one object of `size` bytes under each of `prefixes` prefixes.
    let attempt = |prefixes: usize, size: u64, classes: &[&str]| {
        let tmp = tempfile::tempdir().unwrap();
        let mut csv = String::from("timestamp,op,key,size\n");
        for i in 0..prefixes {
            csv.push_str(&format!("2026-01-01T00:00:00Z,PUT,p{i}/k,{size}\n"));
        }
        std::fs::write(tmp.path().join("many.csv"), csv).unwrap();
        let mut args = vec![
            "recommend",
            "--workload",
            "many.csv",
            "--max-groups",
            "2",
            "--out",
            "rec",
        ];
        args.extend_from_slice(classes);
        let o = s3sim(tmp.path(), &args);
        let wrote = tmp.path().join("rec").exists();
        (o.status.code(), text(&o.stderr), wrote)
    };
    for (prefixes, size, rules) in [(1001, 1_000_000, 1001), (600, 1000, 1200)] {
        let (code, err, wrote) = attempt(prefixes, size, &[]);
        assert_eq!(code, Some(2));
        assert!(
            err.contains(&format!("many.csv: {rules} rules at --prefix-depth 1, and a lifecycle configuration holds at most 1000 (one per prefix, two where objects under 128 KB may transition")),
            "{err}"
        );
        assert!(!wrote);
    }
    let (code, err, _) = attempt(600, 1000, &["--classes", "STANDARD_IA"]);
    assert_eq!(code, Some(0), "{err}");
}

/// `validate --emit terraform` on a configuration with every element s3sim reads, against its
/// Terraform written out by hand (the AWS provider's `aws_s3_bucket_lifecycle_configuration`).
#[test]
fn validate_emits_terraform_reviewed_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let json = r#"{"TransitionDefaultMinimumObjectSize":"varies_by_storage_class","Rules":[
      {"ID":"logs","Status":"Enabled","Filter":{"Prefix":"logs/"},
       "Transitions":[{"Days":30,"StorageClass":"STANDARD_IA"},{"Days":90,"StorageClass":"GLACIER"}],
       "Expiration":{"Days":365}},
      {"ID":"tagged","Status":"Disabled","Filter":{"And":{"Prefix":"d/","Tags":[{"Key":"team","Value":"web"}],"ObjectSizeGreaterThan":1024}},
       "Transitions":[{"Date":"2027-01-01T00:00:00Z","StorageClass":"DEEP_ARCHIVE"}]},
      {"Status":"Enabled","Filter":{},
       "NoncurrentVersionTransitions":[{"NoncurrentDays":30,"StorageClass":"GLACIER_IR","NewerNoncurrentVersions":2}],
       "NoncurrentVersionExpiration":{"NoncurrentDays":60},
       "Expiration":{"ExpiredObjectDeleteMarker":true},
       "AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}}]}"#;
    std::fs::write(tmp.path().join("all-of-it.json"), json).unwrap();
    let o = s3sim(
        tmp.path(),
        &["validate", "--emit", "terraform", "all-of-it.json"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let want = r#"# Made by s3sim validate --emit terraform
variable "bucket" {
  type = string
}

# From all-of-it.json
resource "aws_s3_bucket_lifecycle_configuration" "all-of-it" {
  bucket = var.bucket
  transition_default_minimum_object_size = "varies_by_storage_class"

  rule {
    id     = "logs"
    status = "Enabled"

    filter {
      prefix = "logs/"
    }

    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = 90
      storage_class = "GLACIER"
    }

    expiration {
      days = 365
    }
  }

  rule {
    id     = "tagged"
    status = "Disabled"

    filter {
      and {
        prefix = "d/"
        object_size_greater_than = 1024
        tags = {
          "team" = "web"
        }
      }
    }

    transition {
      date          = "2027-01-01T00:00:00Z"
      storage_class = "DEEP_ARCHIVE"
    }
  }

  rule {
    id     = "rule-3"
    status = "Enabled"

    filter {}

    expiration {
      expired_object_delete_marker = true
    }

    noncurrent_version_transition {
      noncurrent_days = 30
      newer_noncurrent_versions = 2
      storage_class = "GLACIER_IR"
    }

    noncurrent_version_expiration {
      noncurrent_days = 60
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
"#;
    assert_eq!(text(&o.stdout), want);
    // Two files share one variable; a name that starts with a digit gets `_` (Terraform names
    // start with a letter or `_`); JSON's `\b` becomes HCL's `\u0008`; a rule without an ID
    // gets one the configuration does not use.
    std::fs::write(
        tmp.path().join("2026.json"),
        r#"{"Rules":[{"ID":"rule-2","Status":"Enabled","Filter":{"Prefix":"a\b"},"Expiration":{"Days":1}},
           {"Status":"Enabled","Filter":{"Prefix":"b/"},"Expiration":{"Days":2}}]}"#,
    )
    .unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "validate",
            "--emit",
            "terraform",
            "all-of-it.json",
            "2026.json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert_eq!(out.matches("variable \"bucket\"").count(), 1, "{out}");
    assert!(
        out.contains("resource \"aws_s3_bucket_lifecycle_configuration\" \"_2026\" {"),
        "{out}"
    );
    assert!(out.contains("prefix = \"a\\u0008\""), "{out}");
    assert!(out.contains("id     = \"rule-3\""), "{out}");
    assert!(!out.contains("\\b"), "{out}");
}

/// When no configuration can meet the constraints (throttling no rule can change breaks a 1 ms
/// p99 budget: 20,000 GETs of one prefix in one second against 5,500 a second), the search says so
/// at once, pricing nothing, instead of trying its million candidates.
#[test]
fn an_impossible_budget_is_answered_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a/k,1000000\n");
    for _ in 0..20_000 {
        csv.push_str("2026-01-02T00:00:00Z,GET,a/k,\n");
    }
    csv.push_str("2026-01-01T00:00:00Z,PUT,b/k,1000000\n");
    std::fs::write(tmp.path().join("burst.csv"), csv).unwrap();
    let started = std::time::Instant::now();
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--workload",
            "burst.csv",
            "--max-p99-get-wait",
            "1ms",
            "--out",
            "rec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(started.elapsed().as_secs() < 60);
    let rows = candidates(&tmp.path().join("rec"));
    assert!(!rows.is_empty() && rows.len() < 200, "{} rows", rows.len());
    assert!(
        rows.iter()
            .all(|r| r["feasible"] == "false" && r["reason"].starts_with("p99 GET wait"))
    );
    let md = std::fs::read_to_string(tmp.path().join("rec/recommend.md")).unwrap();
    assert!(
        md.contains("**No configuration can meet the constraints**"),
        "{md}"
    );
    assert!(!tmp.path().join("rec/recommended_burst.json").exists());
}

/// `--current`'s expirations are kept in every configuration: the bundled `tiered` policy expires
/// objects after 365 days, which falls due in 14 months of the bundled logs. The recommendation's
/// JSON holds that expiration beside its transitions, passes `validate`, and `s3sim run` of it
/// costs what `recommend` reported, in every `monthly.csv` cell.
#[test]
fn current_expirations_are_kept_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = repo().join("workloads/logs.csv");
    let tiered = repo().join("policies/tiered.json");
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--quiet",
            "--workload",
            logs.to_str().unwrap(),
            "--current",
            tiered.to_str().unwrap(),
            "--months",
            "14",
            "--out",
            "rec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json_path = tmp.path().join("rec/recommended_logs.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let kept: Vec<&serde_json::Value> = json["Rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ID"] == "kept-expiration-1")
        .collect();
    assert_eq!(kept.len(), 1, "{json}");
    assert_eq!(kept[0]["Expiration"]["Days"], 365);
    let v = s3sim(tmp.path(), &["validate", json_path.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v.stderr));
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--quiet",
            "--workload",
            logs.to_str().unwrap(),
            "--months",
            "14",
            "--policy",
            json_path.to_str().unwrap(),
            "--out",
            "ran",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let ran = monthly_rows(
        &tmp.path().join("ran/monthly.csv"),
        "logs",
        "recommended_logs",
    );
    let found = monthly_rows(&tmp.path().join("rec/monthly.csv"), "logs", "recommended");
    assert_eq!(ran, found);
    // The kept expiration acted: objects from January 2026 expired in the 14 months.
    let run_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("ran/run.json")).unwrap())
            .unwrap();
    let expirations = run_json["simulations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["policy"] == "recommended_logs")
        .unwrap()["expirations"]
        .as_u64()
        .unwrap();
    assert!(expirations > 0, "{expirations}");
}

/// Runs `s3sim run` of `rec/recommended_<workload>.json` on `file` with `args`, and asserts that
/// its `monthly.csv` equals `recommend`'s for the pick, cell by cell, and that the JSON passes
/// `validate`. Returns the JSON.
fn assert_run_agrees(dir: &Path, file: &str, workload: &str, args: &[&str]) -> serde_json::Value {
    let json_path = dir.join(format!("rec/recommended_{workload}.json"));
    let v = s3sim(dir, &["validate", json_path.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v.stderr));
    let mut run = vec![
        "run",
        "--quiet",
        "--workload",
        file,
        "--policy",
        json_path.to_str().unwrap(),
        "--out",
        "ran",
    ];
    run.extend_from_slice(args);
    let o = s3sim(dir, &run);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let ran = monthly_rows(
        &dir.join("ran/monthly.csv"),
        workload,
        &format!("recommended_{workload}"),
    );
    let found = monthly_rows(&dir.join("rec/monthly.csv"), workload, "recommended");
    assert!(!ran.is_empty());
    assert_eq!(ran, found, "{workload}");
    serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap()
}

/// `--allow-expiration` makes expirations choices, but never one that deletes an object the
/// workload reads later. Two 1 GiB objects written at 00:00 on 1 January 2026; `tmp/a` is never
/// read, `data/b` is read on the 20th at 12:00. January only, GLACIER_IR the only class.
/// - `tmp/`: expiring after 1 day (at 00:00 on the 2nd) keeps it 24 h in STANDARD: the cheapest.
/// - `data/`: expiring after 1 or 7 days loses the read of the 20th, so those are ruled out;
///   after 30 days (00:00 on the 31st) it is kept 720 h in STANDARD, $0.0222580645. GLACIER_IR
///   would add its $0.03/GB retrieval and 60 days of early deletion.
/// - Total: 744 GiB-hours of STANDARD over January's 744 hours, 1 GiB-month x $0.023, plus 2 PUTs
///   x $0.005/1,000 and 1 GET x $0.0004/1,000: $0.0230104.
#[test]
fn expirations_are_chosen_only_where_no_read_follows() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("expire.csv"),
        "timestamp,op,key,size\n\
         2026-01-01T00:00:00Z,PUT,tmp/a,1073741824\n\
         2026-01-01T00:00:00Z,PUT,data/b,1073741824\n\
         2026-01-20T12:00:00Z,GET,data/b,\n",
    )
    .unwrap();
    let args = [
        "--workload",
        "expire.csv",
        "--months",
        "1",
        "--classes",
        "GLACIER_IR",
    ];
    let mut rec = vec!["recommend", "--quiet", "--allow-expiration", "--out", "rec"];
    rec.extend_from_slice(&args);
    let o = s3sim(tmp.path(), &rec);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = candidates(&tmp.path().join("rec"));
    let p = picked(&rows);
    assert_eq!(p["rules"], "data/: expire@30d; tmp/: expire@1d");
    let want = 0.023 + 2.0 * 0.005 / 1000.0 + 0.0004 / 1000.0;
    let got: f64 = p["total_usd"].parse().unwrap();
    // candidates.csv has 6 decimals.
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    // The cheaper expirations of data/ are listed, with the read they would lose.
    for days in [1, 7] {
        let r = rows
            .iter()
            .find(|r| r["rules"].starts_with(&format!("data/: expire@{days}d;")))
            .unwrap_or_else(|| panic!("data/ expire@{days}d listed"));
        assert_eq!(r["feasible"], "false");
        assert!(
            r["reason"].contains(
                "1 GET/HEAD requests of the workload would find objects its expirations deleted"
            ),
            "{r:?}"
        );
    }
    let json = assert_run_agrees(tmp.path(), "expire.csv", "expire", &["--months", "1"]);
    let days: Vec<(String, u64)> = json["Rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["Filter"]["Prefix"].as_str().unwrap().to_string(),
                r["Expiration"]["Days"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(days, [("data/".to_string(), 30), ("tmp/".to_string(), 1)]);
    // Without the flag no expiration is invented: the pick keeps both objects.
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--quiet",
            "--out",
            "kept",
            "--workload",
            "expire.csv",
            "--months",
            "1",
            "--classes",
            "GLACIER_IR",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = candidates(&tmp.path().join("kept"));
    assert!(rows.iter().all(|r| !r["rules"].contains("expire@")));
}

/// Objects under 128 KB transition only where a rule says so. 1,000 objects of 127 KiB (130,048
/// bytes) written at 12:00 on 1 January 2026, never read, over 36 months, DEEP_ARCHIVE the only
/// class. A plain transition leaves them in STANDARD (the 128 KB default), costing what `none`
/// costs; a transition of every size (a rule with `ObjectSizeGreaterThan: 0`) moves them at 00:00
/// on the 2nd and pays for itself in about 20 months. By hand, per object, with G = 130,048 / 2^30
/// GB, January's 744 hours and 35 more months:
/// - none: STANDARD G x $0.023 x (732/744 + 35), and a PUT at $0.005/1,000;
/// - the pick: STANDARD for 12 h, G x $0.023 x 12/744; then (720/744 + 35) months of the object
///   and its 32 KiB of index in DEEP_ARCHIVE, (130,048 + 32,768) / 2^30 x $0.00099, and its 8 KiB
///   of name at STANDARD, 8,192 / 2^30 x $0.023; the PUT, and the transition at $0.05/1,000.
#[test]
fn small_objects_transition_where_it_pays() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("timestamp,op,key,size\n");
    for i in 0..1000 {
        csv.push_str(&format!("2026-01-01T12:00:00Z,PUT,small/k{i:04},130048\n"));
    }
    std::fs::write(tmp.path().join("small.csv"), csv).unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--quiet",
            "--workload",
            "small.csv",
            "--months",
            "36",
            "--classes",
            "DEEP_ARCHIVE",
            "--out",
            "rec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = candidates(&tmp.path().join("rec"));
    let p = picked(&rows);
    assert_eq!(p["rules"], "small/: DEEP_ARCHIVE@0d(all sizes)");
    let gib = (1u64 << 30) as f64;
    let g = 130_048.0 / gib;
    let months = 720.0 / 744.0 + 35.0;
    let none = 1000.0 * (g * 0.023 * (732.0 / 744.0 + 35.0) + 0.005 / 1000.0);
    let want = 1000.0
        * (g * 0.023 * 12.0 / 744.0
            + months * ((130_048.0 + 32_768.0) / gib * 0.00099 + 8_192.0 / gib * 0.023)
            + 0.005 / 1000.0
            + 0.05 / 1000.0);
    let got: f64 = p["total_usd"].parse().unwrap();
    // candidates.csv has 6 decimals.
    assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    // The plain transition moves nothing: it costs what none costs.
    let plain = rows
        .iter()
        .find(|r| r["rules"] == "small/: DEEP_ARCHIVE@0d")
        .unwrap();
    let plain: f64 = plain["total_usd"].parse().unwrap();
    assert!((plain - none).abs() < 1e-6, "{plain} vs {none}");
    let json = assert_run_agrees(tmp.path(), "small.csv", "small", &["--months", "36"]);
    let rules = json["Rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1, "{json}");
    assert_eq!(
        rules[0]["Filter"],
        serde_json::json!({"And": {"Prefix": "small/", "ObjectSizeGreaterThan": 0}})
    );
}

/// A price table that ends its STANDARD bands at 1 GB-month cannot price configurations that
/// keep more in STANDARD: the search lists them as not priced and never picks one, so the
/// recommendation stands (its run is priced).
#[test]
fn configurations_beyond_a_tables_bands_are_never_picked() {
    let tmp = tempfile::tempdir().unwrap();
    let table = s3sim::pricing::DEFAULT_TOML.replacen(
        "STANDARD = [{ up_to_gb = 51200, usd = 0.023 }, { up_to_gb = 512000, usd = 0.022 }, { usd = 0.021 }]",
        "STANDARD = [{ up_to_gb = 1, usd = 0.023 }]",
        1,
    );
    assert_ne!(table, s3sim::pricing::DEFAULT_TOML);
    std::fs::write(tmp.path().join("short.toml"), table).unwrap();
    let mut csv = String::from("timestamp,op,key,size,storage_class\n");
    for p in ["a", "b", "c"] {
        csv.push_str(&format!(
            "2026-01-01T00:00:00Z,PUT,{p}/x,107374182400,STANDARD_IA\n"
        ));
    }
    csv.push_str("2026-03-05T00:00:00Z,GET,a/x,\n");
    std::fs::write(tmp.path().join("w.csv"), csv).unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "recommend",
            "--quiet",
            "--workload",
            "w.csv",
            "--pricing",
            "short.toml",
            "--months",
            "4",
            "--out",
            "rec",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let rows = candidates(&tmp.path().join("rec"));
    let p = picked(&rows);
    assert_eq!(p["feasible"], "true");
    let raw = std::fs::read_to_string(tmp.path().join("rec/candidates.csv")).unwrap();
    assert!(
        raw.contains(
            "GB-months of STANDARD, beyond the 1 GB-months a month that the price table short.toml prices"
        ),
        "no configuration beyond the table listed"
    );
}
