//! The `s3sim` binary end to end: bundled samples, determinism, bad input and exit codes.

use std::path::{Path, PathBuf};

use crate::common::{s3sim, text};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tables of the bundled-sample run, committed under `tests/golden/`: any change to a number a
/// user sees fails here, and is reviewed as a diff of these files in its own commit, with its reason.
/// Regenerate them with `S3SIM_BLESS=1 cargo test --test integration run_on_bundled_samples`.
const GOLDEN: [&str; 3] = ["summary.csv", "monthly.csv", "prefixes.csv"];

fn compare_with_golden(report: &Path) {
    let golden = repo().join("tests/golden");
    let bless = std::env::var_os("S3SIM_BLESS").is_some();
    for name in GOLDEN {
        let got = std::fs::read(report.join(name)).unwrap();
        if bless {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(golden.join(name), &got).unwrap();
            continue;
        }
        let want = std::fs::read(golden.join(name))
            .unwrap_or_else(|e| panic!("tests/golden/{name}: {e}; create it with S3SIM_BLESS=1"));
        if got != want {
            let (g, w) = (text(&got), text(&want));
            let line = g
                .lines()
                .zip(w.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(g.lines().count().min(w.lines().count()));
            panic!(
                "{name} differs from tests/golden/{name} at line {}:\n  got:  {}\n  want: {}\n(if the change is intended, regenerate with S3SIM_BLESS=1 and commit the diff with its reason)",
                line + 1,
                g.lines().nth(line).unwrap_or("(end)"),
                w.lines().nth(line).unwrap_or("(end)")
            );
        }
    }
}

/// The README's example material, made from the bundled-sample run: the charts copied to
/// `docs/example/` and the `logs` decision table between the README's markers. Stale material fails
/// here; `docs/example/make.sh` (the bless run of this test) regenerates it.
const DOCS_CHARTS: [&str; 4] = [
    "decision_logs.png",
    "cost_by_policy.png",
    "storage_by_class_logs_tiered.png",
    "request_rate_ml-dataset.png",
];
const README_BEGIN: &str =
    "<!-- example: s3sim run, the logs table; docs/example/make.sh writes it -->\n```text\n";
const README_END: &str = "```\n<!-- example end -->";

/// The terminal's decision table of one workload: from its caption line to the blank line after.
fn terminal_table_of(stdout: &str, workload: &str) -> String {
    let mut out = String::new();
    let mut on = false;
    for line in stdout.lines() {
        if line.starts_with(&format!("{workload}: ")) {
            on = true;
        } else if on && (line.is_empty() || line.starts_with("warning:")) {
            break;
        }
        if on {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn compare_docs_example(report: &Path, stdout: &str) {
    let bless = std::env::var_os("S3SIM_BLESS").is_some();
    let docs = repo().join("docs/example");
    for name in DOCS_CHARTS {
        let got = std::fs::read(report.join("charts").join(name)).unwrap();
        if bless {
            std::fs::write(docs.join(name), &got).unwrap();
        } else {
            let want = std::fs::read(docs.join(name)).unwrap_or_default();
            assert!(
                got == want,
                "docs/example/{name} is not what the bundled-sample run draws now; run docs/example/make.sh and commit the pictures"
            );
        }
    }
    let table = terminal_table_of(stdout, "logs");
    assert!(table.lines().count() > 3, "{stdout}");
    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let a = readme
        .find(README_BEGIN)
        .expect("the README's example markers")
        + README_BEGIN.len();
    let b = a + readme[a..]
        .find(README_END)
        .expect("the README's example end marker");
    if bless {
        let updated = format!("{}{table}{}", &readme[..a], &readme[b..]);
        std::fs::write(&readme_path, updated).unwrap();
    } else {
        assert_eq!(
            readme[a..b],
            table,
            "the README's example table is stale; run docs/example/make.sh"
        );
    }
}

/// `s3sim run` with no inputs named: the bundled workloads x (none + bundled policies).
#[test]
fn run_on_bundled_samples_writes_a_complete_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = s3sim(&repo(), &["run", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "stderr: {}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("total") && stdout.contains("none"),
        "{stdout}"
    );
    compare_with_golden(&out);
    compare_docs_example(&out, &stdout);
    // The page stays light (charts as compressed PNG), and a request-rate chart is drawn only for
    // the workload that comes near the limits (ml-dataset, throttled), with a line for the others.
    let html = std::fs::metadata(out.join("report.html")).unwrap().len();
    assert!(html < 3_000_000, "report.html is {html} bytes");
    assert!(out.join("charts/request_rate_ml-dataset.png").exists());
    assert!(!out.join("charts/request_rate_backups.png").exists());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("No request-rate chart for backups: no prefix came within 10% of a request-rate limit, and nothing was throttled."));
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let header = summary.lines().next().unwrap();
    assert!(header.starts_with(
        "workload,policy,total_usd,storage_usd,request_usd,transition_usd,retrieval_usd,early_delete_usd,monitoring_usd,egress_usd,restores,p99_get_latency_s"
    ));
    let workloads = std::fs::read_dir(repo().join("workloads"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "csv")
        })
        .count();
    let policies = 1 + std::fs::read_dir(repo().join("policies"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(summary.lines().count(), 1 + workloads * policies);
    // Each row's total is the sum of its components.
    for line in summary.lines().skip(1) {
        let f: Vec<f64> = line
            .split(',')
            .skip(2)
            .take(8)
            .map(|x| x.parse().unwrap())
            .collect();
        let parts: f64 = f[1..].iter().sum();
        assert!((f[0] - parts).abs() < 1e-5, "{line}");
        assert!(f[0] > 0.0, "{line}");
    }
    let monthly = std::fs::read_to_string(out.join("monthly.csv")).unwrap();
    assert!(
        monthly.starts_with("workload,policy,month,storage_class,component,quantity,unit,usd\n")
    );
    let prefixes = std::fs::read_to_string(out.join("prefixes.csv")).unwrap();
    assert!(prefixes.starts_with(
        "workload,prefix,reads,writes,peak_read_rps,peak_write_rps,throttled,failed,p99_delay_s"
    ));
    // Every request of every workload is in exactly one prefix row.
    let requests: u64 = prefixes
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            f[2].parse::<u64>().unwrap() + f[3].parse::<u64>().unwrap()
        })
        .sum();
    let events: u64 = std::fs::read_dir(repo().join("workloads"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            p.extension().is_some_and(|x| x == "csv").then(|| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .count() as u64
                    - 1
            })
        })
        .sum();
    assert_eq!(requests, events);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Request rates"), "{md}");
    assert!(
        md.contains("## Findings") && md.contains("cheapest policy"),
        "{md}"
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(
        run["inputs"]["workloads"].as_array().unwrap().len(),
        workloads
    );
    assert_eq!(
        run["inputs"]["workloads"][0]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    // No temporary folder left beside the report.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("r")]);
}

/// Same inputs, different thread counts: byte-identical files, charts, HTML and Parquet included
/// (run.json's elapsed time aside).
#[test]
fn output_does_not_depend_on_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = tmp.path().join(format!("t{threads}"));
        let o = s3sim(
            &repo(),
            &[
                "run",
                "--threads",
                threads,
                "--out",
                out.to_str().unwrap(),
                "--quiet",
                "--parquet",
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(o.stdout.is_empty(), "--quiet prints nothing");
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for dir in [out.clone(), out.join("charts")] {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_file() {
                    let name = p.strip_prefix(&out).unwrap().display().to_string();
                    let mut bytes = std::fs::read(&p).unwrap();
                    if name == "run.json" {
                        let mut run: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                        run["elapsed_s"] = serde_json::Value::Null;
                        bytes = run.to_string().into_bytes();
                    }
                    files.push((name, bytes));
                }
            }
        }
        files.sort();
        outputs.push(files);
    }
    let names: Vec<&str> = outputs[0].iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "summary.parquet",
        "monthly.parquet",
        "prefixes.parquet",
        "report.html",
        "charts/cost_by_policy.png",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    for (n, b) in &outputs[0] {
        if n.ends_with(".parquet") {
            assert!(
                b.starts_with(b"PAR1") && b.ends_with(b"PAR1"),
                "{n} is a Parquet file"
            );
        }
    }
    assert!(outputs[0] == outputs[1] && outputs[1] == outputs[2]);
}

/// Each bad input: exit code 2, a message naming the file, line and column, and no report folder.
#[test]
fn bad_workloads_are_rejected_with_exit_code_2() {
    let cases: [(&str, &[u8], &[&str]); 9] = [
        ("empty", b"", &["empty.csv", "empty"]),
        (
            "missing-column",
            b"timestamp,key,size\n2026-01-01T00:00:00Z,a,1\n",
            &["missing-column.csv", "'op'"],
        ),
        (
            "bad-timestamp",
            b"timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1\nnot-a-time,PUT,b,1\n",
            &["bad-timestamp.csv:3", "'timestamp'", "not-a-time"],
        ),
        (
            "negative-size",
            b"timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,-5\n",
            &["negative-size.csv:2", "'size'", "-5"],
        ),
        (
            "text-size",
            b"timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,ten\n",
            &["text-size.csv:2", "'size'", "ten"],
        ),
        (
            "unknown-op",
            b"timestamp,op,key,size\n2026-01-01T00:00:00Z,RENAME,a,1\n",
            &["unknown-op.csv:2", "'op'", "RENAME"],
        ),
        (
            "unknown-class",
            b"timestamp,op,key,size,storage_class\n2026-01-01T00:00:00Z,PUT,a,1,COLD\n",
            &["unknown-class.csv:2", "'storage_class'", "COLD"],
        ),
        (
            "non-utf8",
            b"timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,caf\xe9,1\n",
            &["non-utf8.csv:2", "'key'", "UTF-8"],
        ),
        (
            "huge-size",
            b"timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,18446744073709551616\n",
            &["huge-size.csv:2", "'size'", "largest object"],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (name, content, needles) in cases {
        let file = tmp.path().join(format!("{name}.csv"));
        std::fs::write(&file, content).unwrap();
        let out = tmp.path().join(format!("out-{name}"));
        let o = s3sim(
            tmp.path(),
            &[
                "run",
                "--workload",
                file.to_str().unwrap(),
                "--policy",
                "none",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{name}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        for n in needles {
            assert!(err.contains(n), "{name}: {n:?} not in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "{name}: no report folder may be left");
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            (!n.ends_with(".csv")).then_some(n)
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn events_after_the_horizon_and_bad_options_are_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("w.csv");
    std::fs::write(
        &file,
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1\n2026-03-05T00:00:00Z,GET,a,\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            f,
            "--policy",
            "none",
            "--months",
            "2",
            "--out",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("2026-03-05T00:00:00Z"),
        "{}",
        text(&o.stderr)
    );
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            f,
            "--policy",
            "nope.json",
            "--out",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("nope.json"), "{}", text(&o.stderr));
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            f,
            "--until",
            "2026-13-01",
            "--out",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            f,
            "--months",
            "3",
            "--until",
            "2027-01-01",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "clap rejects conflicting options");
    for bad in [
        ["--months", "4000000"],
        ["--restore-days", "200000000"],
        ["--threads", "0"],
    ] {
        let o = s3sim(
            tmp.path(),
            &[
                "run",
                "--workload",
                f,
                "--policy",
                "none",
                bad[0],
                bad[1],
                "--out",
                "x",
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(bad[0]), "{}", text(&o.stderr));
    }
    assert!(!tmp.path().join("x").exists());
    // An existing folder that is not a report is never overwritten.
    std::fs::create_dir(tmp.path().join("mine")).unwrap();
    std::fs::write(tmp.path().join("mine/notes.txt"), "keep").unwrap();
    let o = s3sim(
        tmp.path(),
        &["run", "--workload", f, "--policy", "none", "--out", "mine"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(),
        "keep"
    );
}

/// The bursty profiles need both burst settings positive; each is named when it is not.
#[test]
fn generate_names_a_burst_setting_a_bursty_profile_cannot_take() {
    let tmp = tempfile::tempdir().unwrap();
    for (flag, profile) in [
        ("--burst-rps", "backups"),
        ("--burst-every-days", "ml-dataset"),
    ] {
        let o = s3sim(
            tmp.path(),
            &[
                "generate",
                "--profile",
                profile,
                flag,
                "0",
                "--out",
                "g.csv",
            ],
        );
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains(&format!(
                "{flag} must be positive for the {profile} profile"
            )),
            "{}",
            text(&o.stderr)
        );
        assert!(!tmp.path().join("g.csv").exists());
    }
}

#[test]
fn months_extends_a_short_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("w.csv");
    // 1 GB in STANDARD from 2026-01-01 for 12 months: 12 GB-months x $0.023 = $0.276, plus one PUT.
    std::fs::write(
        &file,
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1073741824\n",
    )
    .unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            file.to_str().unwrap(),
            "--policy",
            "none",
            "--months",
            "12",
            "--out",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let summary = std::fs::read_to_string(tmp.path().join("r/summary.csv")).unwrap();
    let row: Vec<&str> = summary.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(row[0], "w");
    assert_eq!(row[2], "0.276005"); // 0.276 storage + 0.000005 PUT
    let monthly = std::fs::read_to_string(tmp.path().join("r/monthly.csv")).unwrap();
    assert_eq!(
        monthly.lines().filter(|l| l.contains(",storage,")).count(),
        12
    );
    assert!(
        monthly.contains("w,none,2026-12,STANDARD,storage,1.000000000,GB-month,0.023000"),
        "{monthly}"
    );
}

#[test]
fn validate_explains_rules_and_rejects_bad_ones() {
    let o = s3sim(&repo(), &["validate", "policies/tiered.json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("STANDARD_IA"),
        "{}",
        text(&o.stdout)
    );
    let tmp = tempfile::tempdir().unwrap();
    // Day counts at the top of the accepted range are valid and do not overflow.
    let far = tmp.path().join("far.json");
    std::fs::write(&far, r#"{"Rules":[{"ID":"far","Status":"Enabled","Filter":{},"Transitions":[{"Days":2000000000,"StorageClass":"GLACIER"}],"Expiration":{"Days":2100000000}}]}"#).unwrap();
    let o = s3sim(tmp.path(), &["validate", far.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"Rules":[{"ID":"r1","Status":"Enabled","Filter":{},"Expiration":{"Days":0}}]}"#,
    )
    .unwrap();
    let o = s3sim(tmp.path(), &["validate", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("bad.json") && err.contains("r1") && err.contains("Days"),
        "{err}"
    );
}

#[test]
fn pricing_prints_the_table() {
    let o = s3sim(&repo(), &["pricing"]);
    assert!(o.status.success());
    let s = text(&o.stdout);
    assert!(
        s.contains("us-east-1") && s.contains("0.0125") && s.contains("DEEP_ARCHIVE"),
        "{s}"
    );
    // Restore waits as people write them (the price file says 5 min, 5 h, 12 h, 48 h).
    let waits: Vec<&str> = s
        .lines()
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.len() > 2 && ["expedited", "standard", "bulk"].contains(&f[1])
        })
        .map(|l| l.rsplit("  ").next().unwrap())
        .collect();
    assert_eq!(waits, ["5 min", "5 h", "12 h", "12 h", "48 h"], "{s}");
}

/// A burst over the read limit through the CLI: `prefixes.csv` shows the throttling, the seed
/// changes the retry jitter (and so the delays) but neither the costs nor the first-attempt 503s,
/// and `--prefix-depth` merges prefixes.
#[test]
fn request_rates_through_the_cli() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("burst.csv");
    let mut csv = String::from("timestamp,op,key,size\n");
    for i in 0..8_000 {
        csv.push_str(&format!(
            "{}.{:06},PUT,a/x/k{i},1000\n",
            1_767_225_600 + i / 1000,
            (i % 1000) * 1000
        ));
    }
    for i in 0..8_000 {
        let p = if i % 2 == 0 { "x" } else { "y" };
        csv.push_str(&format!("2026-01-01T06:00:00Z,GET,a/{p}/k{i},\n"));
    }
    std::fs::write(&file, csv).unwrap();
    let f = file.to_str().unwrap();
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "run",
            "--workload",
            f,
            "--policy",
            "none",
            "--out",
            out,
            "--quiet",
        ];
        args.extend_from_slice(extra);
        let o = s3sim(tmp.path(), &args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let prefixes = std::fs::read_to_string(tmp.path().join(out).join("prefixes.csv")).unwrap();
        let summary = std::fs::read_to_string(tmp.path().join(out).join("summary.csv")).unwrap();
        (prefixes, summary)
    };
    let field = |csv: &str, prefix: &str, col: &str| -> String {
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let i = header.iter().position(|h| *h == col).unwrap();
        let row = lines
            .find(|l| l.split(',').nth(1) == Some(prefix))
            .unwrap_or_else(|| panic!("no {prefix} in {csv}"));
        row.split(',').nth(i).unwrap().to_string()
    };
    // 4,000 GETs per prefix at once: under 5,500, nothing throttled.
    let (p, s0) = run("r0", &[]);
    assert_eq!(field(&p, "a/x/", "throttled"), "0");
    assert_eq!(field(&p, "a/y/", "reads"), "4000");
    // One partition `a/`: 8,000 GETs at once, 2,500 first attempts throttled.
    let (p1, s1) = run("r1", &["--prefix-depth", "1", "--seed", "1"]);
    assert_eq!(field(&p1, "a/", "throttled_first_attempts"), "2500");
    assert_eq!(field(&p1, "a/", "reads"), "8000");
    assert_eq!(field(&p1, "a/", "peak_offered_read_rps"), "8000");
    let (p2, s2) = run("r2", &["--prefix-depth", "1", "--seed", "2"]);
    assert_eq!(field(&p2, "a/", "throttled_first_attempts"), "2500");
    assert_ne!(
        field(&p1, "a/", "p99_delay_s"),
        field(&p2, "a/", "p99_delay_s")
    );
    // Costs are the same with and without throttling, whatever the seed; latency is not.
    let costs = |s: &str| {
        s.lines()
            .map(|l| l.split(',').take(10).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
    };
    assert_eq!(costs(&s0), costs(&s1));
    assert_eq!(costs(&s1), costs(&s2));
    assert_eq!(field(&s0, "none", "p99_get_latency_s"), "0.000000");
    assert_ne!(field(&s1, "none", "p99_get_latency_s"), "0.000000");
}

/// Two runs started in the same second (the clock pinned by `SOURCE_DATE_EPOCH`, so they always
/// collide) write two report folders, `-2` added to the second; a third gets `-3`; a run that fails
/// leaves no folder behind.
#[test]
fn runs_in_the_same_second_never_share_a_default_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("w.csv"),
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1000\n",
    )
    .unwrap();
    let spawn = |workload: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
            .args(["run", "--quiet", "--workload", workload, "--policy", "none"])
            .current_dir(tmp.path())
            .env("SOURCE_DATE_EPOCH", "1796367600") // 2026-12-04T07:00:00Z
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn("w.csv"), spawn("w.csv"));
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    assert!(spawn("w.csv").wait().unwrap().success());
    assert_eq!(spawn("missing.csv").wait().unwrap().code(), Some(2));
    let mut names: Vec<String> = std::fs::read_dir(tmp.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "20261204T070000Z",
            "20261204T070000Z-2",
            "20261204T070000Z-3"
        ]
    );
    for n in &names {
        let md = std::fs::read_to_string(tmp.path().join("reports").join(n).join("report.md"));
        assert!(md.unwrap().contains("## Decision"), "{n}");
    }
}

/// `--charts summary` draws only the cross-workload and decision charts, `--charts none` none, and
/// the report then references no image.
#[test]
fn charts_option_picks_the_charts() {
    let tmp = tempfile::tempdir().unwrap();
    for (mode, want) in [
        (
            "summary",
            vec![
                "cost_by_policy.png",
                "decision_backups.png",
                "decision_logs.png",
                "decision_ml-dataset.png",
                "decision_versioned.png",
                "decision_web-assets.png",
            ],
        ),
        ("none", vec![]),
    ] {
        let out = tmp.path().join(mode);
        let o = s3sim(
            &repo(),
            &[
                "run",
                "--quiet",
                "--charts",
                mode,
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let mut got: Vec<String> = std::fs::read_dir(out.join("charts"))
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        got.sort();
        assert_eq!(got, want, "--charts {mode}");
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        let images = md.matches("](charts/").count();
        assert_eq!(
            images,
            want.len(),
            "--charts {mode}: {images} images in report.md"
        );
    }
}

/// A default run stopped by SIGTERM (a job scheduler's stop) cleans up as Ctrl-C does: exit 130,
/// neither its claimed `reports/<stamp>` nor its staging folder left. And what a `kill -9`ed
/// default run leaves (its staging folder, its empty claim) is removed by the next default run,
/// while an empty folder of the user's is kept.
#[test]
fn a_stopped_default_run_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("timestamp,op,key,size\n");
    for i in 0..300_000u32 {
        csv.push_str(&format!(
            "2026-01-{:02}T{:02}:{:02}:{:02}Z,PUT,p{}/k{i},{}\n",
            1 + i % 28,
            i % 24,
            i % 60,
            i % 60,
            i % 1000,
            1000 + i
        ));
    }
    std::fs::write(tmp.path().join("big.csv"), csv).unwrap();
    let reports = tmp.path().join("reports");
    let listing = || -> Vec<String> {
        std::fs::read_dir(&reports)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
        .args([
            "run",
            "--quiet",
            "--workload",
            "big.csv",
            "--policy",
            "none",
        ])
        .current_dir(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1796367600")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !listing().iter().any(|n| n.contains(".tmp-")) && started.elapsed().as_secs() < 120 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let signalled = listing().iter().any(|n| n.contains(".tmp-"))
        && std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success();
    let out = child.wait_with_output().unwrap();
    assert!(signalled, "the run ended before it could be stopped");
    if out.status.code() != Some(0) {
        assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
        assert!(listing().is_empty(), "left behind: {:?}", listing());
    }
    // What `kill -9` leaves: a claimed empty folder and a staging folder whose lock is free.
    std::fs::create_dir_all(reports.join("20261204T060000Z")).unwrap();
    let stale = reports.join(".20261204T060000Z.tmp-999999-0");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join(".s3sim-staging"), "").unwrap();
    std::fs::create_dir(reports.join("mine")).unwrap();
    std::fs::write(
        tmp.path().join("w.csv"),
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1000\n",
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
        .args(["run", "--quiet", "--workload", "w.csv", "--policy", "none"])
        .current_dir(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1796367600")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut left = listing();
    left.sort();
    assert_eq!(left, ["20261204T070000Z", "mine"]);
}

/// Two policies whose names differ only in characters a file name cannot keep (`a b`, `a_b`) get
/// two storage charts, the second with `-2`, and the report shows both.
#[test]
fn chart_names_never_collide() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("w.csv"),
        "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1000\n",
    )
    .unwrap();
    let rule = r#"{"Rules":[{"ID":"x","Status":"Enabled","Filter":{"Prefix":""},"Expiration":{"Days":1}}]}"#;
    std::fs::write(tmp.path().join("a b.json"), rule).unwrap();
    std::fs::write(tmp.path().join("a_b.json"), rule).unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--quiet",
            "--workload",
            "w.csv",
            "--policy",
            "a b.json",
            "a_b.json",
            "--out",
            "r",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    for name in ["storage_by_class_w_a_b.png", "storage_by_class_w_a_b-2.png"] {
        assert!(tmp.path().join("r/charts").join(name).exists(), "{name}");
        assert!(md.contains(&format!("(charts/{name})")), "{name}");
    }
}

/// `--discount`: 12% off every charge makes every `monthly.csv` cost 0.88 of the list-price run
/// (quantities unchanged); per component, only the components named change; the report header
/// and `run.json` say so; a bad discount is refused before anything is written.
#[test]
fn discounts_scale_the_components_they_name() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads/logs.csv");
    let tiered = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/tiered.json");
    let run = |out: &str, extra: &[&str]| {
        let mut args = vec![
            "run",
            "--quiet",
            "--workload",
            logs.to_str().unwrap(),
            "--policy",
            tiered.to_str().unwrap(),
            "--egress",
            "internet",
            "--charts",
            "none",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        let o = s3sim(tmp.path(), &args);
        (o.status.code(), text(&o.stderr))
    };
    assert_eq!(run("list", &[]).0, Some(0));
    assert_eq!(run("all", &["--discount", "12%"]).0, Some(0));
    assert_eq!(
        run("some", &["--discount", "storage=10%,egress=0,5%"]).0,
        Some(0)
    );
    let rows = |dir: &str| crate::common::csv_rows(&tmp.path().join(dir).join("monthly.csv"));
    let (list, all, some) = (rows("list"), rows("all"), rows("some"));
    assert_eq!(list.len(), all.len());
    let mut seen = std::collections::BTreeSet::new();
    for ((l, a), s) in list.iter().zip(&all).zip(&some) {
        assert_eq!(l["quantity"], a["quantity"]);
        let (lu, au, su): (f64, f64, f64) = (
            l["usd"].parse().unwrap(),
            a["usd"].parse().unwrap(),
            s["usd"].parse().unwrap(),
        );
        assert!((au - 0.88 * lu).abs() < 2e-9, "{l:?} {a:?}");
        // storage (and early deletion, at storage rates) 10% off, egress none, the rest 5%.
        let f = match l["component"].as_str() {
            "storage" | "early_delete" | "noncurrent_storage" | "delete_markers"
            | "restored_copy" => 0.90,
            "egress" => 1.0,
            _ => 0.95,
        };
        assert!((su - f * lu).abs() < 2e-9, "{l:?} {s:?}");
        if lu > 0.0 {
            seen.insert(l["component"].clone());
        }
    }
    for c in ["storage", "requests_put", "transition", "egress"] {
        assert!(seen.contains(c), "{c} exercised: {seen:?}");
    }
    let md = std::fs::read_to_string(tmp.path().join("all/report.md")).unwrap();
    assert!(md.contains("; discount: 12% off every charge"), "{md}");
    let md = std::fs::read_to_string(tmp.path().join("some/report.md")).unwrap();
    assert!(
        md.contains(
            "; discount: storage 10%, requests 5%, transitions 5%, retrieval 5%, monitoring 5% off"
        ),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("all/run.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["inputs"]["pricing"]["discount"],
        "12% off every charge"
    );
    let (code, err) = run("bad", &["--discount", "12 percent"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--discount \"12 percent\": \"12 percent\" is not a percentage"),
        "{err}"
    );
    assert!(!tmp.path().join("bad").exists());
}
