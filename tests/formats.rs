//! Real inputs: S3 server access logs (plain, gzip, a directory), IBM COS traces and S3 Inventory,
//! detection, bad lines, `--repeat-until` and `s3sim convert`.

use std::path::{Path, PathBuf};

use crate::common::{s3sim, text};
use s3sim::model::Op;
use s3sim::workload::{Format, ReadOptions, read_workload};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(p)
}

/// summary.csv of one run, without the workload column (it is the file's name).
fn summary(dir: &Path, workload: &Path, extra: &[&str]) -> Vec<String> {
    let out = dir.join(format!(
        "out-{}",
        workload.file_name().unwrap().to_string_lossy()
    ));
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/tiered.json");
    let mut args = vec![
        "run",
        "--workload",
        workload.to_str().unwrap(),
        "--policy",
        "none",
        "--policy",
        policy.to_str().unwrap(),
        "--months",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = s3sim(dir, &args);
    assert!(
        o.status.success(),
        "{}: {}",
        workload.display(),
        text(&o.stderr)
    );
    std::fs::read_to_string(out.join("summary.csv"))
        .unwrap()
        .lines()
        .map(|l| l.split_once(',').unwrap().1.to_string())
        .collect()
}

/// The same seven requests as a workload CSV, an access log (with lifecycle, 503, other-operation
/// and failed records around them), a directory of one plain and one gzipped log, and an IBM COS
/// trace: the same summary.csv.
#[test]
fn the_same_workload_in_every_format_costs_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let native = summary(tmp.path(), &fixture("workload.csv"), &[]);
    assert_eq!(native.len(), 3);
    assert_eq!(summary(tmp.path(), &fixture("access.log"), &[]), native);
    assert_eq!(summary(tmp.path(), &fixture("logs"), &[]), native);
    assert_eq!(summary(tmp.path(), &fixture("trace.txt"), &[]), native);
}

#[test]
fn access_logs_are_parsed_as_documented() {
    let w = read_workload(&fixture("access.log"), &ReadOptions::default()).unwrap();
    assert_eq!(w.events.len(), 7);
    // URL-encoded keys decoded: spaces and UTF-8.
    assert!(
        w.keys.iter().any(|k| &**k == "my photos/café.jpg"),
        "{:?}",
        w.keys
    );
    // The range GET read the bytes sent (1,000), not the object.
    let get = w.events.iter().find(|e| e.op == Op::Get).unwrap();
    assert_eq!(get.size, 1000);
    // The 503 is observed throttling, not a request; the rest are counted in notes.
    assert_eq!(w.observed_503.len(), 1);
    let notes = w.all_notes().join("\n");
    for n in ["S3.*", "503 answers (SlowDown", "REST.GET.ACL", "HTTP 404"] {
        assert!(notes.contains(n), "{n:?} not in {notes}");
    }
    let dir = read_workload(&fixture("logs"), &ReadOptions::default()).unwrap();
    assert_eq!(dir.events.len(), 7);
    assert_eq!(dir.name, "logs");
}

#[test]
fn observed_503s_are_shown_per_prefix() {
    let tmp = tempfile::tempdir().unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            fixture("access.log").to_str().unwrap(),
            "--policy",
            "none",
            "--out",
            "r",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let p = std::fs::read_to_string(tmp.path().join("r/prefixes.csv")).unwrap();
    let header: Vec<&str> = p.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "observed_503").unwrap();
    let row = p
        .lines()
        .find(|l| l.contains(",my photos/,"))
        .unwrap_or_else(|| panic!("{p}"));
    assert_eq!(row.split(',').nth(col), Some("1"));
}

/// Bad lines are counted and shown with file:line (the first 10); with --strict the first is an
/// error; a file in no known format names the formats tried.
#[test]
fn bad_lines_and_unknown_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("access.log")).unwrap();
    let bad = format!(
        "{good}this is not a log line\n{}",
        good.lines()
            .next()
            .unwrap()
            .replace("[01/Jan/2026", "[01/Foo/2026")
    );
    let f = tmp.path().join("bad.log");
    std::fs::write(&f, bad).unwrap();
    let w = read_workload(&f, &ReadOptions::default()).unwrap();
    let notes = w.all_notes().join("\n");
    assert!(
        notes.contains("2 bad line(s)")
            && notes.contains("bad.log:12:")
            && notes.contains("bad.log:13:"),
        "{notes}"
    );
    let err = read_workload(
        &f,
        &ReadOptions {
            strict: true,
            ..ReadOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("bad.log:12") && err.contains("--strict"),
        "{err}"
    );
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            f.to_str().unwrap(),
            "--strict",
            "--policy",
            "none",
            "--out",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("x").exists());
    let odd = tmp.path().join("odd.txt");
    std::fs::write(&odd, "hello world\n").unwrap();
    let err = read_workload(&odd, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("odd.txt")
            && err.contains("access log")
            && err.contains("IBM")
            && err.contains("Inventory"),
        "{err}"
    );
    // --format forces a reader.
    let err = read_workload(
        &fixture("workload.csv"),
        &ReadOptions {
            format: Some(Format::AccessLog),
            ..ReadOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("workload.csv"), "{err}");
}

/// Inventory objects exist from the start with their ages and classes: the 1 GB STANDARD object
/// from 2025-06-01 is past tiered.json's 30 and 90 days, so GLACIER (the cheapest due transition)
/// applies on 2026-01-01 00:00 and January bills it as GLACIER; no PUT is billed for it.
#[test]
fn inventory_objects_start_with_their_age_and_class() {
    let inv = read_workload(
        &fixture("inventory/2026-01-01T00-00Z/manifest.json"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(inv.events.len(), 3);
    assert!(inv.events.iter().all(|e| e.op == Op::Initial));
    assert!(inv.keys.iter().any(|k| &**k == "archive/g one.bin"));
    let tmp = tempfile::tempdir().unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            fixture("workload.csv").to_str().unwrap(),
            "--inventory",
            fixture("inventory/2026-01-01T00-00Z/manifest.json")
                .to_str()
                .unwrap(),
            "--policy",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("policies/tiered.json")
                .to_str()
                .unwrap(),
            "--months",
            "1",
            "--out",
            "r",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let monthly = std::fs::read_to_string(tmp.path().join("r/monthly.csv")).unwrap();
    let line = |class: &str, comp: &str| {
        monthly
            .lines()
            // The policy's rows (`none` is in the report too, as the baseline).
            .find(|l| l.contains(&format!(",tiered,2026-01,{class},{comp},")))
            .map(str::to_string)
    };
    // GLACIER in January: old/standard.bin from the start and archive/g one.bin (each 1 GB + 32 KB
    // for 31 days), and it/warm.bin (500,000 bytes + 32 KB) from its day-90 transition on Jan 30:
    // 2 x (2^30 + 32,768) / 2^30 + (512,000 + 32,768) / 2^30 x 2 / 31 GB-months. Its day-30
    // STANDARD_IA transition is not allowed from INTELLIGENT_TIERING, so it stays in the
    // infrequent tier (where the inventory put it) until then.
    let glacier: f64 = line("GLACIER", "storage")
        .unwrap()
        .split(',')
        .nth(5)
        .unwrap()
        .parse()
        .unwrap();
    let want = 2.0 * (1.0 + 32_768.0 / 1_073_741_824.0) + 544_768.0 / 1_073_741_824.0 * 2.0 / 31.0;
    assert!((glacier - want).abs() < 1e-9, "{glacier} vs {want}");
    let transitions: f64 = line("GLACIER", "transition")
        .unwrap()
        .split(',')
        .nth(5)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(transitions, 2.0);
    let infrequent: f64 = line("INTELLIGENT_TIERING_INFREQUENT", "storage")
        .unwrap()
        .split(',')
        .nth(5)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (infrequent - 512_000.0 / 1_073_741_824.0 * 29.0 / 31.0).abs() < 1e-9,
        "{infrequent}"
    );
    // PUTs billed: only the 3 PUTs of the workload, none for inventory objects.
    let puts: f64 = line("STANDARD", "requests_put")
        .unwrap()
        .split(',')
        .nth(5)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(puts, 3.0);
}

/// A short trace is replayed until the date; the report says so.
#[test]
fn repeat_until_stretches_a_trace() {
    let w = read_workload(&fixture("workload.csv"), &ReadOptions::default()).unwrap();
    let span_days = (w.last - w.first) / 86_400_000_000 + 1; // 25 days
    let until = s3sim::model::time::date_micros(2026, 7, 1);
    let r = w.clone().repeat_until(until).unwrap();
    // The 7 requests fall on days 0, 0.25, 1, 4.5, 9, 19 and 24 of January; copies are shifted by
    // 25 days. July 1 is day 181: copies 1-6 (days 25-174) are whole, copy 7 (day 175 on) keeps the
    // requests of days 175, 175.25, 176 and 179.5; its day-184 request and later ones fall after.
    // So 7 copies beside the original, and 7 x 7 + 4 = 53 requests.
    assert_eq!(r.repeats, 7);
    assert_eq!(r.events.len(), 53);
    assert!(r.events.iter().all(|e| e.time < until));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains(&format!("every {span_days} days"))),
        "{:?}",
        r.notes
    );
    let tmp = tempfile::tempdir().unwrap();
    let o = s3sim(
        tmp.path(),
        &[
            "run",
            "--workload",
            fixture("workload.csv").to_str().unwrap(),
            "--policy",
            "none",
            "--repeat-until",
            "2026-07-01",
            "--out",
            "r",
            "--quiet",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    assert!(md.contains("were repeated"), "{md}");
    // A date before the last request is an error, not zero copies.
    let err = w
        .repeat_until(s3sim::model::time::date_micros(2026, 1, 10))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--repeat-until") && err.contains("workload.csv"),
        "{err}"
    );
}

/// Review findings: an inventory describes the bucket before the requests, so objects it lists as
/// modified at or after the first request are left out (the log's PUT creates them); a key listed
/// twice keeps its newest row; odd lines never panic.
#[test]
fn inventory_rows_newer_than_the_requests_are_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let inv = tmp.path().join("inv.csv");
    std::fs::write(
        &inv,
        "Bucket,Key,Size,LastModifiedDate,StorageClass\n\
         b,small/c,100,2026-01-10T00:00:00.000Z,STANDARD_IA\n\
         b,twice,5,2025-01-01T00:00:00.000Z,STANDARD\n\
         b,twice,7,2025-02-01T00:00:00.000Z,STANDARD\n",
    )
    .unwrap();
    let inv = read_workload(&inv, &ReadOptions::default()).unwrap();
    let w = read_workload(&fixture("workload.csv"), &ReadOptions::default())
        .unwrap()
        .with_initial(&inv);
    let initial: Vec<(String, u64)> = w
        .events
        .iter()
        .filter(|e| e.op == Op::Initial)
        .map(|e| (w.keys[e.key as usize].to_string(), e.size))
        .collect();
    assert_eq!(initial, vec![("twice".to_string(), 7)]);
    let notes = w.all_notes().join("\n");
    assert!(
        notes.contains("1 inventory object(s) modified at or after")
            && notes.contains("listed more than once"),
        "{notes}"
    );
    // Lines that once panicked are bad lines now.
    let odd = tmp.path().join("odd.log");
    let good = std::fs::read_to_string(fixture("access.log")).unwrap();
    let first = good.lines().next().unwrap();
    std::fs::write(
        &odd,
        format!("{first}\n{}\n", first.replace("+0000]", "+1\u{e9}0]")),
    )
    .unwrap();
    let w = read_workload(&odd, &ReadOptions::default()).unwrap();
    assert_eq!(w.events.len(), 1);
    assert!(w.all_notes().join(" ").contains("odd.log:2:"));
    // A line that is not UTF-8 is one bad line, not a failed file.
    let mut bytes = std::fs::read(fixture("access.log")).unwrap();
    bytes.extend_from_slice(b"caf\xe9 not utf-8\n");
    let latin = tmp.path().join("latin.log");
    std::fs::write(&latin, bytes).unwrap();
    let w = read_workload(&latin, &ReadOptions::default()).unwrap();
    assert_eq!(w.events.len(), 7);
    assert!(
        w.all_notes().join(" ").contains("latin.log:12: not UTF-8"),
        "{:?}",
        w.notes
    );
    let trace = tmp.path().join("t.txt");
    std::fs::write(
        &trace,
        "0 REST.PUT.OBJECT a 10\n9300000000000000 REST.GET.OBJECT a\n",
    )
    .unwrap();
    let w = read_workload(&trace, &ReadOptions::default()).unwrap();
    assert_eq!(w.events.len(), 1);
    assert!(w.all_notes().join(" ").contains("out of range"));
}

/// `convert` writes any input as a workload CSV that reads back to the same requests.
#[test]
fn convert_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    for input in ["access.log", "logs", "trace.txt"] {
        let out = tmp.path().join(format!("{input}.csv"));
        let o = s3sim(
            tmp.path(),
            &[
                "convert",
                "--workload",
                fixture(input).to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let a = read_workload(&fixture(input), &ReadOptions::default()).unwrap();
        let b = read_workload(&out, &ReadOptions::default()).unwrap();
        let view = |w: &s3sim::workload::Workload| {
            let mut v: Vec<(i64, Op, String, u64)> = w
                .events
                .iter()
                .map(|e| (e.time, e.op, w.keys[e.key as usize].to_string(), e.size))
                .collect();
            v.sort();
            v
        };
        assert_eq!(view(&a), view(&b), "{input}");
    }
}

/// The `--strict` rule (README, "Other inputs"): bad lines of access logs, traces and inventories
/// are counted and skipped unless `--strict`; a workload CSV is the user's own file, so a bad line
/// in it is an error either way (on the hand-split path and the csv crate's alike).
#[test]
fn strict_applies_to_line_formats_and_a_workload_csv_is_always_strict() {
    let t = tempfile::tempdir().unwrap();
    let opts = |strict| ReadOptions {
        strict,
        ..ReadOptions::default()
    };
    // A workload CSV with a bad size on line 3, plain and with a quoted field (the csv crate).
    for (name, text) in [
        (
            "plain.csv",
            "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,1\n2026-01-02T00:00:00Z,PUT,b,x\n",
        ),
        (
            "quoted.csv",
            "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,\"a\",1\n2026-01-02T00:00:00Z,PUT,b,x\n",
        ),
    ] {
        let p = t.path().join(name);
        std::fs::write(&p, text).unwrap();
        for strict in [false, true] {
            let e = read_workload(&p, &opts(strict)).unwrap_err().to_string();
            assert!(e.contains(&format!("{name}:3: column 'size'")), "{e}");
        }
    }
    // An access log with one bad line (a bad time) among good ones.
    let log = std::fs::read_to_string(fixture("access.log")).unwrap();
    let first = log.lines().next().unwrap();
    let bad = first.replace(
        "[01/Jan/2026:00:00:00 +0000]",
        "[99/Jan/2026:00:00:00 +0000]",
    );
    let p = t.path().join("a.log");
    std::fs::write(&p, format!("{first}\n{bad}\n")).unwrap();
    let w = read_workload(&p, &opts(false)).unwrap();
    assert_eq!(w.events.len(), 1);
    assert!(
        w.all_notes()
            .iter()
            .any(|n| n.contains("1 bad line(s) skipped") && n.contains("a.log:2")),
        "{:?}",
        w.notes
    );
    let e = read_workload(&p, &opts(true)).unwrap_err().to_string();
    assert!(e.contains("a.log:2") && e.contains("--strict"), "{e}");
}

/// A manifest naming a missing data file with a very long key: the error names it by an excerpt,
/// not in full three times (a hostile-input proptest found a 400 KB message).
#[test]
fn a_missing_data_file_with_a_long_key_gets_a_short_error() {
    let tmp = tempfile::tempdir().unwrap();
    let key = format!("examplebucket/config/data/{}.csv.gz", "a".repeat(100_000));
    let manifest = serde_json::json!({
        "sourceBucket": "examplebucket",
        "fileFormat": "CSV",
        "fileSchema": "Bucket, Key, Size, LastModifiedDate, StorageClass",
        "files": [{ "key": key, "size": 1, "MD5checksum": "x" }],
    });
    let path = tmp.path().join("manifest.json");
    std::fs::write(&path, manifest.to_string()).unwrap();
    let err = read_workload(
        &path,
        &ReadOptions {
            format: Some(Format::Inventory),
            ..ReadOptions::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("data file \"examplebucket/config/data/aaa"),
        "{err}"
    );
    assert!(err.contains("100033 bytes in all"), "{err}");
    assert!(err.len() < 500, "{} bytes: {err}", err.len());
}
