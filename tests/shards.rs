//! Shards and merge (SPEC §10): the shards of a run, merged, give the report of the single run,
//! byte for byte; `merge` refuses sets of ledgers that are not one run's; the Kubernetes Indexed
//! Job's commands, run locally with the index variable, keep that contract.

use std::path::{Path, PathBuf};

use crate::common::{s3sim, text};

/// Every file of a report folder, by relative path (run.json without its elapsed time).
fn report_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().display().to_string();
                let mut bytes = std::fs::read(&p).unwrap();
                if rel == "run.json" {
                    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    v["run"]["elapsed_s"] = serde_json::Value::Null;
                    v["elapsed_s"] = serde_json::Value::Null;
                    bytes = serde_json::to_vec_pretty(&v).unwrap();
                }
                out.push((rel, bytes));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
}

/// Runs `args` as a single run and as N shards merged, for each N, and checks the merged report
/// equals the single run's: every file (`tables_only`: summary.csv, monthly.csv, prefixes.csv and
/// report.md).
fn shards_equal_single(dir: &Path, tmp: &Path, args: &[&str], ns: &[u32], tables_only: bool) {
    let single = tmp.join("single");
    let mut a = args.to_vec();
    let single_s = single.display().to_string();
    a.extend(["--out", &single_s, "-q"]);
    ok(&s3sim(dir, &a));
    let want = report_files(&single);
    let keep = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(f, _)| {
                !tables_only
                    || ["summary.csv", "monthly.csv", "prefixes.csv", "report.md"]
                        .contains(&f.as_str())
            })
            .collect()
    };
    let want = keep(want);
    assert!(
        want.len() >= 4,
        "{:?}",
        want.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for &n in ns {
        let ledgers = tmp.join(format!("ledgers-{n}"));
        let ledgers_s = format!("{}/", ledgers.display());
        for i in 0..n {
            let shard = format!("{i}/{n}");
            let mut a = args.to_vec();
            a.extend(["--shard", &shard, "--ledger-out", &ledgers_s, "-q"]);
            ok(&s3sim(dir, &a));
        }
        let merged = tmp.join(format!("merged-{n}"));
        let merged_s = merged.display().to_string();
        ok(&s3sim(
            dir,
            &["merge", &ledgers_s, "--out", &merged_s, "-q"],
        ));
        let got = keep(report_files(&merged));
        assert_eq!(
            got.iter().map(|f| &f.0).collect::<Vec<_>>(),
            want.iter().map(|f| &f.0).collect::<Vec<_>>(),
            "{n} shards"
        );
        for (g, w) in got.iter().zip(&want) {
            assert!(
                g.1 == w.1,
                "{n} shards: {} differs from the single run's",
                g.0
            );
        }
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled samples (five workloads, every bundled policy): 1, 2, 5 and 16 shards give the
/// single run's report folder, charts and HTML included.
#[test]
fn shards_of_the_bundled_samples_merge_to_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    shards_equal_single(&repo(), tmp.path(), &["run"], &[1, 2, 5, 16], false);
}

/// A generated workload of 1,000,000 requests over three months, whole-second timestamps:
/// - `hot/a/`: ten bursts of 12,000 GETs in one second (over the 5,500 a partition takes);
/// - `hot/b/`: five bursts of 6,000 PUTs in one second over 100 keys (over 3,500; each key
///   written 60 times in the same second, so the last write depends on row order);
/// - 2,000 partitions `dNNNN/` of 50 keys each: a PUT, a GET in the same second listed before
///   the PUT for every third key (a GET of a missing key, by row order), later GETs, deletes
///   and re-PUTs in the same second as the delete.
///
/// Rows are written in a scrambled order, so ties replay by row.
fn write_million(path: &Path) -> u64 {
    use std::io::Write;
    let start = 1_767_225_600i64; // 2026-01-01T00:00:00Z
    let ts = |s: i64| {
        chrono::DateTime::from_timestamp(s, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let mut rows: Vec<(i64, String)> = Vec::with_capacity(1_000_000);
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut rnd = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    for k in 0..40 {
        rows.push((
            start,
            format!("{},PUT,hot/a/k{k:02},{}", ts(start), 1 << 20),
        ));
    }
    for b in 0..10i64 {
        let s = start + 86_400 * (3 + 7 * b) + 3_600;
        for i in 0..12_000 {
            rows.push((s, format!("{},GET,hot/a/k{:02},", ts(s), i % 40)));
        }
    }
    for b in 0..5i64 {
        let s = start + 86_400 * (5 + 11 * b) + 600;
        for i in 0..6_000u64 {
            let size = 1_000 + i * 37 + b as u64;
            rows.push((s, format!("{},PUT,hot/b/k{:03},{size}", ts(s), i % 100)));
        }
    }
    let sizes = [1_000u64, 100_000, 200_000, 5_000_000, 1 << 30];
    let mut p = 0;
    while rows.len() < 1_000_000 {
        let prefix = format!("d{:04}", p % 2_000);
        for k in 0..50 {
            if rows.len() >= 1_000_000 {
                break;
            }
            let key = format!("{prefix}/k{k:02}-{}", p / 2_000);
            let t0 = start + rnd(20 * 86_400) as i64;
            let size = sizes[rnd(sizes.len() as u64) as usize];
            let class = if rnd(10) == 0 {
                "STANDARD_IA"
            } else {
                "STANDARD"
            };
            let put = (t0, format!("{},PUT,{key},{size},{class}", ts(t0)));
            let get_now = (t0, format!("{},GET,{key},", ts(t0)));
            if k % 3 == 0 {
                rows.push(get_now);
                rows.push(put);
            } else {
                rows.push(put);
                rows.push(get_now);
            }
            for _ in 0..rnd(5) {
                let t = t0 + rnd(70 * 86_400) as i64;
                rows.push((t, format!("{},GET,{key},", ts(t))));
            }
            if rnd(4) == 0 {
                let t = t0 + rnd(60 * 86_400) as i64;
                rows.push((t, format!("{},DELETE,{key},", ts(t))));
                rows.push((t, format!("{},PUT,{key},{size},STANDARD", ts(t))));
            }
        }
        p += 1;
    }
    rows.truncate(1_000_000);
    // Scramble the rows (ties keep whatever order this gives: the input's row order).
    for i in (1..rows.len()).rev() {
        let j = rnd(i as u64 + 1) as usize;
        rows.swap(i, j);
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "timestamp,op,key,size,storage_class").unwrap();
    for (_, r) in &rows {
        writeln!(f, "{r}").unwrap();
    }
    rows.len() as u64
}

#[test]
fn shards_of_a_million_events_with_hot_prefixes_and_ties_merge_to_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let n = write_million(&dir.join("million.csv"));
    assert_eq!(n, 1_000_000);
    std::fs::write(
        dir.join("tiers.json"),
        r#"{"Rules": [
            {"ID": "d", "Status": "Enabled", "Filter": {"Prefix": "d"},
             "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"},
                             {"Days": 40, "StorageClass": "GLACIER"}],
             "Expiration": {"Days": 65}},
            {"ID": "hot", "Status": "Enabled", "Filter": {"Prefix": "hot/"},
             "Transitions": [{"Days": 1, "StorageClass": "INTELLIGENT_TIERING"}]}]}"#,
    )
    .unwrap();
    let args = [
        "run",
        "--workload",
        "million.csv",
        "--policy",
        "none",
        "tiers.json",
        "--charts",
        "none",
    ];
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    shards_equal_single(dir, &out, &args, &[1, 2, 5, 16], true);
    // Bounded memory: 1M requests at 96 bytes each under a 24 MiB budget spill, and are
    // simulated in groups of 262,144 requests: the same tables.
    let mut a = args.to_vec();
    let spilled = out.join("spilled").display().to_string();
    a.extend(["--max-memory", "24M", "--out", &spilled, "-q"]);
    ok(&s3sim(dir, &a));
    for f in ["summary.csv", "monthly.csv", "prefixes.csv", "report.md"] {
        assert!(
            std::fs::read(out.join("single").join(f)).unwrap()
                == std::fs::read(out.join("spilled").join(f)).unwrap(),
            "--max-memory: {f} differs"
        );
    }
    // The workload did what it is for: the hot partitions were throttled, and GETs waited for
    // restores from GLACIER.
    let prefixes = std::fs::read_to_string(out.join("single/prefixes.csv")).unwrap();
    let throttled = |p: &str| {
        let header: Vec<&str> = prefixes.lines().next().unwrap().split(',').collect();
        let col = header.iter().position(|h| *h == "throttled").unwrap();
        let row = prefixes
            .lines()
            .find(|l| l.contains(&format!(",{p},")))
            .unwrap_or_else(|| panic!("{p} in {prefixes:.300}"));
        row.split(',').nth(col).unwrap().parse::<u64>().unwrap()
    };
    assert!(throttled("hot/a/") > 0 && throttled("hot/b/") > 0);
    let summary = std::fs::read_to_string(out.join("single/summary.csv")).unwrap();
    assert!(summary.lines().any(|l| l.contains("tiers")), "{summary}");
}

/// The Indexed Job's own commands (from `k8s-job --format json`), run once per index with
/// JOB_COMPLETION_INDEX set as Kubernetes sets it, then the merge Job's: the single run's
/// tables. The same with AWS_BATCH_JOB_ARRAY_INDEX (an AWS Batch array job).
#[test]
fn indexed_job_contract_run_locally() {
    let tmp = tempfile::tempdir().unwrap();
    let mount = tmp.path().display().to_string();
    let single = tmp.path().join("single");
    let single_s = single.display().to_string();
    let run_args = [
        "run",
        "--workload",
        "workloads/logs.csv",
        "--policy",
        "none",
    ];
    let mut a = run_args.to_vec();
    a.extend(["policies/archive.json", "--charts", "none"]);
    let run_args = a;
    let mut a = run_args.clone();
    a.extend(["--out", &single_s, "-q"]);
    ok(&s3sim(&repo(), &a));
    let want = report_files(&single);
    for (var, n) in [
        ("JOB_COMPLETION_INDEX", 3u32),
        ("AWS_BATCH_JOB_ARRAY_INDEX", 2),
    ] {
        let name = format!("job-{n}");
        let manifest = |step: &str| -> serde_json::Value {
            let n_s = n.to_string();
            let mut a = vec![
                "k8s-job",
                "--shards",
                &n_s,
                "--image",
                "s3sim:test",
                "--name",
                &name,
                "--mount-path",
                &mount,
                "--format",
                "json",
                "--step",
                step,
            ];
            if step == "run" {
                a.push("--");
                a.extend(run_args.iter().copied());
            }
            let o = s3sim(&repo(), &a);
            ok(&o);
            serde_json::from_slice(&o.stdout).unwrap()
        };
        let args_of = |job: &serde_json::Value| -> Vec<String> {
            let c = &job["spec"]["template"]["spec"]["containers"][0];
            assert_eq!(c["command"][0], "s3sim");
            c["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let workers = manifest("run");
        assert_eq!(workers["spec"]["completions"], n);
        assert_eq!(workers["spec"]["completionMode"], "Indexed");
        let worker_args = args_of(&workers);
        for i in 0..n {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
                .args(&worker_args)
                .env_remove("JOB_COMPLETION_INDEX")
                .env_remove("AWS_BATCH_JOB_ARRAY_INDEX")
                .env(var, i.to_string())
                .current_dir(repo())
                .output()
                .unwrap();
            ok(&o);
        }
        // A worker retried after it wrote its ledger rewrites the same file.
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
            .args(&worker_args)
            .env(var, "0")
            .current_dir(repo())
            .output()
            .unwrap();
        ok(&o);
        let merge = manifest("merge");
        let o = s3sim(
            &repo(),
            &args_of(&merge)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        ok(&o);
        let got = report_files(&tmp.path().join("reports").join(&name));
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.0, w.0);
            assert!(g.1 == w.1, "{var}: {} differs", g.0);
        }
    }
}

/// Merge refuses what is not every shard of one run, each once, naming the problem.
#[test]
fn merge_refuses_missing_duplicate_and_mismatched_ledgers() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let l = |name: &str| t.join(name).display().to_string();
    let shard = |i: u32, n: u32, policy: &str, out: &str| {
        let s = format!("{i}/{n}");
        ok(&s3sim(
            &repo(),
            &[
                "run",
                "--workload",
                "workloads/backups.csv",
                "--policy",
                policy,
                "--shard",
                &s,
                "--ledger-out",
                out,
                "-q",
            ],
        ));
    };
    for i in 0..3 {
        shard(i, 3, "none", &format!("{}/", l("a")));
    }
    shard(
        1,
        3,
        "policies/archive.json",
        &l("other-policy.ledger.json"),
    );
    let merge = |args: &[&str]| {
        let mut a = vec!["merge"];
        a.extend_from_slice(args);
        let out = l("report");
        a.extend(["--out", &out]);
        let o = s3sim(&repo(), &a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stdout));
        assert!(!t.join("report").exists(), "{args:?}: a report was written");
        text(&o.stderr)
    };
    let a0 = l("a/shard-00000-of-00003.ledger.json");
    let a1 = l("a/shard-00001-of-00003.ledger.json");
    let a2 = l("a/shard-00002-of-00003.ledger.json");
    let e = merge(&[&a0, &a2]);
    assert!(e.contains("missing shard(s) 1 of 3"), "{e}");
    let e = merge(&[&a0, &a1, &a2, &a1]);
    assert!(e.contains("are both shard 1 of 3"), "{e}");
    let e = merge(&[&a0, &l("other-policy.ledger.json"), &a2]);
    assert!(
        e.contains("not shards of one run: their policies differ"),
        "{e}"
    );
    // Another s3sim version (the field edited: the fingerprints do not cover it).
    let raw = std::fs::read_to_string(&a1).unwrap();
    let version = format!("\"s3sim\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(raw.contains(&version));
    std::fs::write(
        l("old.ledger.json"),
        raw.replace(&version, "\"s3sim\":\"0.0.1\""),
    )
    .unwrap();
    let e = merge(&[&a0, &l("old.ledger.json"), &a2]);
    assert!(e.contains("s3sim versions that wrote them differ"), "{e}");
    // Edited content, a cut-short file, another format version, not a ledger.
    std::fs::write(
        l("edited.ledger.json"),
        raw.replacen("\"events\":", "\"events\":1", 1),
    )
    .unwrap();
    let e = merge(&[&a0, &l("edited.ledger.json"), &a2]);
    assert!(
        e.contains("fingerprints or checksum do not match its content"),
        "{e}"
    );
    std::fs::write(l("cut.ledger.json"), &raw[..raw.len() / 2]).unwrap();
    let e = merge(&[&a0, &l("cut.ledger.json"), &a2]);
    assert!(e.contains("cut short"), "{e}");
    std::fs::write(
        l("v2.ledger.json"),
        raw.replacen("\"version\":1", "\"version\":2", 1),
    )
    .unwrap();
    let e = merge(&[&l("v2.ledger.json")]);
    assert!(e.contains("ledger format version 2"), "{e}");
    let e = merge(&["workloads/backups.csv"]);
    assert!(e.contains("not an s3sim ledger"), "{e}");
    // Shard options that cannot work.
    let o = s3sim(&repo(), &["run", "--shard", "0/2", "-q"]);
    assert!(
        text(&o.stderr).contains("--shard needs --ledger-out"),
        "{}",
        text(&o.stderr)
    );
    let out = l("x");
    let o = s3sim(
        &repo(),
        &[
            "run",
            "--shard",
            "0/2",
            "--ledger-out",
            &out,
            "--out",
            &out,
            "-q",
        ],
    );
    assert!(
        text(&o.stderr).contains("would cover only its share"),
        "{}",
        text(&o.stderr)
    );
}

/// `shard-key` then `run --records` (what the Spark driver does), with the keyed lines in a
/// scrambled order: the single run's tables. The input names version ids, which only some
/// shards see: the facts carry it to all.
#[test]
fn keyed_records_in_any_order_merge_to_the_single_run() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let input = repo().join("workloads/versioned.csv");
    let single = t.join("single").display().to_string();
    ok(&s3sim(
        &repo(),
        &[
            "run",
            "--workload",
            "workloads/versioned.csv",
            "--policy",
            "none",
            "policies/versioned.json",
            "--charts",
            "none",
            "--out",
            &single,
            "-q",
        ],
    ));
    let lines: String = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{}\t{}\t{l}\n", input.display(), i + 1))
        .collect();
    let n = 3u32;
    let keyed = {
        use std::io::Write;
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
            .args(["shard-key", "--shards", &n.to_string()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        c.stdin.take().unwrap().write_all(lines.as_bytes()).unwrap();
        let o = c.wait_with_output().unwrap();
        ok(&o);
        text(&o.stdout)
    };
    let (keyed, facts_line) = keyed.trim_end().rsplit_once('\n').unwrap();
    let facts = facts_line
        .strip_prefix("facts\t")
        .expect("facts last")
        .to_string();
    let facts = keyed_facts(&facts, keyed);
    let ledgers = t.join("ledgers");
    for i in 0..n {
        let mut mine: Vec<&str> = keyed
            .lines()
            .filter(|l| l.split('\t').next() == Some(&i.to_string()))
            .collect();
        mine.reverse();
        let file = t.join(format!("keyed-{i}.tsv"));
        std::fs::write(&file, mine.join("\n") + "\n").unwrap();
        let shard = format!("{i}/{n}");
        ok(&s3sim(
            &repo(),
            &[
                "run",
                "--records",
                &file.display().to_string(),
                "--name",
                "versioned",
                "--input-facts",
                &facts,
                "--shard",
                &shard,
                "--policy",
                "none",
                "policies/versioned.json",
                "--charts",
                "none",
                "--ledger-out",
                &format!("{}/", ledgers.display()),
                "-q",
            ],
        ));
    }
    let merged = t.join("merged").display().to_string();
    ok(&s3sim(
        &repo(),
        &[
            "merge",
            &ledgers.display().to_string(),
            "--out",
            &merged,
            "-q",
        ],
    ));
    for f in ["summary.csv", "monthly.csv", "prefixes.csv"] {
        assert!(
            std::fs::read(t.join("single").join(f)).unwrap()
                == std::fs::read(t.join("merged").join(f)).unwrap(),
            "{f}"
        );
    }
}

/// The facts line as shard-key printed it (one process saw every line), checked against the
/// keyed lines: every input line is there, the header once per shard.
fn keyed_facts(facts: &str, keyed: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(facts).unwrap();
    assert_eq!(v["names_versions"], true, "{facts}");
    let lines = v["lines"].as_u64().unwrap();
    assert_eq!(
        keyed.lines().count() as u64,
        lines + 2,
        "the header goes to 3 shards"
    );
    facts.to_string()
}

/// `--max-memory` under the input's size: the bundled samples (a workload CSV; one that names
/// version ids, read whole by the spill) and a folder of access logs (one gzipped), each spilled
/// and simulated in groups, give the in-memory run's report. A partition larger than the budget,
/// and a bad row, are errors that say so (the row by its line in the input).
#[test]
fn max_memory_runs_equal_in_memory_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    for (i, (workload, budget)) in [
        ("workloads/web-assets.csv", "700K"),
        ("workloads/versioned.csv", "300K"),
        ("tests/fixtures/formats/logs", "1K"),
    ]
    .into_iter()
    .enumerate()
    {
        let single = t.join(format!("single-{i}")).display().to_string();
        let spilled = t.join(format!("spilled-{i}")).display().to_string();
        let args = [
            "run",
            "--workload",
            workload,
            "--policy",
            "none",
            "policies/tiered.json",
        ];
        let mut a = args.to_vec();
        a.extend(["--out", &single, "-q"]);
        ok(&s3sim(&repo(), &a));
        let mut a = args.to_vec();
        a.extend(["--out", &spilled, "--max-memory", budget]);
        let o = s3sim(&repo(), &a);
        ok(&o);
        let got = report_files(Path::new(&spilled));
        let want = report_files(Path::new(&single));
        assert_eq!(got.len(), want.len(), "{workload}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.0, w.0);
            assert!(g.1 == w.1, "{workload}: {} differs", g.0);
        }
    }
    // 300 KiB holds groups of 3,200 requests; ml-dataset.csv is one partition of 24,000.
    let o = s3sim(
        &repo(),
        &[
            "run",
            "--workload",
            "workloads/ml-dataset.csv",
            "--policy",
            "none",
            "--max-memory",
            "300K",
            "--out",
            &t.join("x").display().to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("alone holds") && e.contains("more than --max-memory 300 KiB allows"),
        "{e}"
    );
    assert!(!t.join("x").exists());
    // A bad row in the middle: named by its line in the input, not in a spill file.
    let csv = std::fs::read_to_string(repo().join("workloads/web-assets.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[5000] = lines[5000].replacen(",GET,", ",GOT,", 1);
    assert!(lines[5000].contains("GOT"), "{}", lines[5000]);
    std::fs::write(t.join("bad.csv"), lines.join("\n") + "\n").unwrap();
    let o = s3sim(
        t,
        &[
            "run",
            "--workload",
            "bad.csv",
            "--policy",
            "none",
            "--max-memory",
            "700K",
            "-q",
            "--out",
            "y",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("bad.csv:5001: column 'op'"),
        "{}",
        text(&o.stderr)
    );
}

/// Bad and skipped lines are counted once, whichever way the input is cut: an access log with
/// bad lines, 503 answers, failed requests and lifecycle records over 40 prefixes gives the same
/// notes (`report.md` whole) in memory, spilled in groups, and in 3 shards merged. A workload CSV
/// with a comment holding a quote and CRLF line ends spills as it reads.
#[test]
fn skipped_and_bad_lines_are_counted_once() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let fixture =
        std::fs::read_to_string(repo().join("tests/fixtures/formats/access.log")).unwrap();
    let mut log = String::new();
    for p in 0..40 {
        for line in fixture.lines() {
            log.push_str(&line.replace("my%20photos/", &format!("p{p:02}/")));
            log.push('\n');
        }
        log.push_str(&format!("a bad line {p}\n"));
    }
    std::fs::write(t.join("a.log"), log).unwrap();
    let run = |extra: &[&str], out: &str| {
        let mut a = vec![
            "run",
            "--workload",
            "a.log",
            "--policy",
            "none",
            "--charts",
            "none",
            "-q",
        ];
        a.extend_from_slice(extra);
        if !out.is_empty() {
            a.extend(["--out", out]);
        }
        ok(&s3sim(t, &a));
    };
    run(&[], "single");
    run(&["--max-memory", "10K"], "spilled");
    for i in 0..3 {
        let s = format!("{i}/3");
        run(&["--shard", &s, "--ledger-out", "ledgers/"], "");
    }
    ok(&s3sim(t, &["merge", "ledgers", "--out", "merged", "-q"]));
    let single = std::fs::read_to_string(t.join("single/report.md")).unwrap();
    assert!(single.contains("a.log: 40 bad line(s) skipped"), "{single}");
    assert!(
        single.contains("a.log: 40 record(s) of 503 answers"),
        "{single}"
    );
    for other in ["spilled", "merged"] {
        let got = std::fs::read_to_string(t.join(other).join("report.md")).unwrap();
        assert_eq!(got, single, "{other}");
    }
    // A comment with a quote, and CRLF line ends, under --max-memory.
    std::fs::write(
        t.join("c.csv"),
        "timestamp,op,key,size\r\n# made by \"a tool\"\r\n2026-01-01T00:00:00Z,PUT,a/x,100\r\n\r\n2026-01-02T00:00:00Z,GET,a/x,\r\n",
    )
    .unwrap();
    let o = s3sim(
        t,
        &[
            "run",
            "--workload",
            "c.csv",
            "--policy",
            "none",
            "--max-memory",
            "500",
            "-q",
            "--out",
            "c1",
        ],
    );
    ok(&o);
    ok(&s3sim(
        t,
        &[
            "run",
            "--workload",
            "c.csv",
            "--policy",
            "none",
            "-q",
            "--out",
            "c2",
        ],
    ));
    assert!(
        std::fs::read(t.join("c1/summary.csv")).unwrap()
            == std::fs::read(t.join("c2/summary.csv")).unwrap()
    );
}
