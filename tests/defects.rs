//! Issue 11: each reproduced defect of the hostile-input campaign, as a test named after it.
//! (D5, D9 and D14 are in `throughput.rs` and the policy module's tests.)

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{s3sim, text};

const WORKLOAD: &str = "timestamp,op,key,size\n\
2026-01-01T00:00:00Z,PUT,a/x,1000000\n\
2026-01-02T00:00:00Z,GET,a/x,\n\
2026-01-03T00:00:00Z,PUT,b/y,2000000\n";

/// A temp folder holding `w.csv`.
fn folder() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("w.csv"), WORKLOAD).unwrap();
    d
}

/// `s3sim run --workload W --policy none --out O EXTRA...` in `dir`.
fn run(dir: &Path, workload: &str, out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "run",
        "--workload",
        workload,
        "--policy",
        "none",
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    s3sim(dir, &args)
}

fn run_into(dir: &Path, out: &str) -> Output {
    run(dir, "w.csv", out, &["--quiet"])
}

/// Names in `dir` (sorted), hidden ones too.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[track_caller]
fn refused(o: &Output, needle: &str) {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(err.len() < 2000, "a long message: {} bytes", err.len());
}

#[test]
fn d1_a_folder_with_run_json_and_user_files_is_never_deleted() {
    let t = folder();
    let d = t.path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(d.join("run.json"), "{}").unwrap();
    std::fs::write(d.join("thesis.txt"), "x").unwrap();
    let o = run_into(t.path(), "d");
    refused(&o, "not replaced");
    assert_eq!(names(&d), ["run.json", "thesis.txt"]);
    assert_eq!(std::fs::read(d.join("thesis.txt")).unwrap(), b"x");

    // A notes.md added to a real s3sim report: the report is not replaced either.
    let o = run_into(t.path(), "r");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let r = t.path().join("r");
    assert!(names(&r).contains(&".s3sim-report".to_string()));
    std::fs::write(r.join("notes.md"), "mine").unwrap();
    let o = run_into(t.path(), "r");
    refused(&o, "notes.md");
    assert_eq!(std::fs::read(r.join("notes.md")).unwrap(), b"mine");
    // Without the user's file, s3sim replaces its own report (and leaves nothing beside it).
    std::fs::remove_file(r.join("notes.md")).unwrap();
    let before = std::fs::metadata(r.join("summary.csv"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = run_into(t.path(), "r");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let after = std::fs::metadata(r.join("summary.csv"))
        .unwrap()
        .modified()
        .unwrap();
    assert!(after > before, "the report was rewritten");
    assert_eq!(names(t.path()), ["d", "r", "w.csv"]);
}

#[test]
fn d2_out_paths_ending_in_dots_or_through_links_are_refused_and_nothing_is_deleted() {
    let t = folder();
    let o = run_into(t.path(), "r");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let report = names(&t.path().join("r"));
    std::os::unix::fs::symlink("r", t.path().join("link")).unwrap();
    for out in [".", "./", "r/.", "r/sub/..", "..", "link", "link/"] {
        let o = run_into(t.path(), out);
        assert_eq!(o.status.code(), Some(2), "--out {out}: {}", text(&o.stderr));
        assert_eq!(
            names(&t.path().join("r")),
            report,
            "--out {out} touched the report"
        );
        assert_eq!(names(t.path()), ["link", "r", "w.csv"], "--out {out}");
    }
    // In an empty folder too, `--out .` is a clear refusal, not an internal error.
    let e = tempfile::tempdir().unwrap();
    std::fs::write(e.path().join("w.csv"), WORKLOAD).unwrap();
    refused(&run_into(e.path(), "."), "name the report folder itself");
    // A trailing slash on a plain folder name is the folder.
    let o = run_into(t.path(), "r2/");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(t.path().join("r2/summary.csv").is_file());
}

#[test]
fn d3_endless_lines_are_refused_after_a_bounded_read() {
    let t = folder();
    // A valid log line, then 64 MiB of NUL bytes with no newline (gzipped: 64 KB on disk).
    let line = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - \"GET /awsexamplebucket1?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes\n";
    let f = std::fs::File::create(t.path().join("nul.log.gz")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::default());
    gz.write_all(line.as_bytes()).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap();
    }
    gz.finish().unwrap();
    for args in [
        vec![
            "run",
            "--workload",
            "nul.log.gz",
            "--policy",
            "none",
            "--out",
            "o",
            "--quiet",
        ],
        vec![
            "run",
            "--format",
            "access-log",
            "--workload",
            "/dev/zero",
            "--policy",
            "none",
            "--out",
            "o",
        ],
        vec![
            "run",
            "--format",
            "ibm-trace",
            "--workload",
            "/dev/zero",
            "--policy",
            "none",
            "--out",
            "o",
        ],
        vec![
            "run",
            "--workload",
            "w.csv",
            "--inventory",
            "/dev/zero",
            "--policy",
            "none",
            "--out",
            "o",
        ],
        vec!["validate", "/dev/zero"],
        vec!["pricing", "--pricing", "/dev/zero"],
    ] {
        let o = s3sim(t.path(), &args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("longer than 1 MiB")
                || err.contains("larger than")
                || err.contains("not a regular file"),
            "{args:?}: {err}"
        );
        assert!(!t.path().join("o").exists());
    }
    // The gzip case names line 2 (the line of NUL bytes), after the good line 1.
    let o = run(t.path(), "nul.log.gz", "o", &[]);
    assert!(
        text(&o.stderr).contains("nul.log.gz:2: longer than 1 MiB"),
        "{}",
        text(&o.stderr)
    );
    // A native CSV with one record longer than a read block.
    let mut big = String::from("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,");
    big.push_str(&"k".repeat(9 << 20));
    big.push_str(",1\n");
    std::fs::write(t.path().join("long.csv"), big).unwrap();
    let o = run(t.path(), "long.csv", "o", &[]);
    refused(&o, "long.csv:2: longer than 1 MiB");
}

#[test]
fn d4_messages_quote_a_short_excerpt_of_a_huge_value() {
    let t = folder();
    let huge = "9".repeat(900 << 10); // under the 1 MiB line bound
    std::fs::write(
        t.path().join("big.csv"),
        format!("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,{huge}x\n"),
    )
    .unwrap();
    let o = run(t.path(), "big.csv", "o", &[]);
    refused(&o, "big.csv:2: column 'size'");
    assert!(
        text(&o.stderr).contains("bytes in all"),
        "{}",
        text(&o.stderr)
    );
    // A policy whose bad value is huge: serde quotes it, s3sim cuts it.
    std::fs::write(
        t.path().join("p.json"),
        format!(r#"{{"Rules": [{{"ID": "r", "Status": "{}", "Filter": {{}}, "Expiration": {{"Days": 1}}}}]}}"#, "E".repeat(1 << 20)),
    )
    .unwrap();
    let o = s3sim(t.path(), &["validate", "p.json"]);
    refused(&o, "p.json");
    // A price file with a huge bad line: the TOML parser's message is cut.
    std::fs::write(
        t.path().join("p.toml"),
        format!("x = \"{}", "y".repeat(1 << 20)),
    )
    .unwrap();
    let o = s3sim(t.path(), &["pricing", "--pricing", "p.toml"]);
    refused(&o, "pricing file p.toml");
}

#[test]
fn d6_convert_and_generate_never_overwrite_silently() {
    let t = folder();
    std::fs::copy(t.path().join("w.csv"), t.path().join("my.log")).unwrap();
    let before = std::fs::read(t.path().join("my.log")).unwrap();
    let o = s3sim(
        t.path(),
        &["convert", "--workload", "my.log", "--out", "my.log"],
    );
    refused(&o, "is the input");
    let o = s3sim(
        t.path(),
        &[
            "convert",
            "--workload",
            "my.log",
            "--out",
            "my.log",
            "--force",
        ],
    );
    refused(&o, "is the input");
    assert_eq!(std::fs::read(t.path().join("my.log")).unwrap(), before);
    // A folder of logs: the output may not go inside it.
    std::fs::create_dir(t.path().join("logs")).unwrap();
    let o = s3sim(
        t.path(),
        &["convert", "--workload", "logs", "--out", "logs/all.csv"],
    );
    refused(&o, "inside the input folder");
    // An existing file needs --force, for convert and generate alike.
    std::fs::write(t.path().join("keep.csv"), "mine").unwrap();
    let o = s3sim(
        t.path(),
        &["convert", "--workload", "w.csv", "--out", "keep.csv"],
    );
    refused(&o, "add --force");
    let o = s3sim(
        t.path(),
        &[
            "generate",
            "--profile",
            "logs",
            "--objects",
            "5",
            "--out",
            "keep.csv",
        ],
    );
    refused(&o, "add --force");
    assert_eq!(std::fs::read(t.path().join("keep.csv")).unwrap(), b"mine");
    let o = s3sim(
        t.path(),
        &[
            "convert",
            "--workload",
            "w.csv",
            "--out",
            "keep.csv",
            "--force",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        std::fs::read_to_string(t.path().join("keep.csv"))
            .unwrap()
            .starts_with("timestamp,")
    );
    // No temporary file is left beside it.
    assert!(
        names(t.path()).iter().all(|n| !n.contains(".tmp-")),
        "{:?}",
        names(t.path())
    );
}

#[test]
fn d7_threads_are_bounded() {
    let t = folder();
    for n in ["0", "5000", "100000"] {
        let o = s3sim(
            t.path(),
            &[
                "run",
                "--workload",
                "w.csv",
                "--policy",
                "none",
                "--out",
                "o",
                "--threads",
                n,
            ],
        );
        refused(&o, "--threads");
    }
    let o = run(t.path(), "w.csv", "o", &["--threads", "512", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn d8_instants_beyond_the_supported_range_are_refused_and_blame_the_option() {
    let t = folder();
    std::fs::write(
        t.path().join("late.csv"),
        "timestamp,op,key,size\n9999-12-15T00:00:00Z,PUT,a,1\n",
    )
    .unwrap();
    let o = run(t.path(), "late.csv", "o", &[]);
    refused(&o, "late.csv:2: column 'timestamp'");
    // The latest accepted year: the horizon ends after it starts, both with four-digit years.
    std::fs::write(
        t.path().join("edge.csv"),
        "timestamp,op,key,size\n8999-12-15T00:00:00Z,PUT,a,1\n",
    )
    .unwrap();
    let o = run(t.path(), "edge.csv", "o", &["--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let run_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("o/run.json")).unwrap())
            .unwrap();
    let w = &run_json["inputs"]["workloads"][0];
    assert_eq!(w["horizon_start"], "8999-12-01T00:00:00Z");
    assert_eq!(w["horizon_end"], "9000-01-01T00:00:00Z");
    // A bad --trace-start is the option's fault, not every trace line's.
    std::fs::write(t.path().join("t.txt"), "1000 REST.PUT.OBJECT k 10\n").unwrap();
    let o = run(t.path(), "t.txt", "o2", &["--trace-start", "0000-01-01"]);
    refused(&o, "--trace-start");
}

#[test]
fn d10_inputs_beyond_s3s_limits_are_refused() {
    let t = folder();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "dup.csv",
            "timestamp,op,key,size,size\n2026-01-01T00:00:00Z,PUT,a,1,2\n".into(),
            "twice",
        ),
        (
            "longkey.csv",
            format!(
                "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,{},1\n",
                "k".repeat(1025)
            ),
            "1025 bytes",
        ),
        (
            "huge.csv",
            // 48.8 TiB + 1 byte.
            "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,53687091200001\n".into(),
            "largest object",
        ),
        (
            "tags.csv",
            format!(
                "timestamp,op,key,size,tags\n2026-01-01T00:00:00Z,PUT,a,1,{}\n",
                (0..11)
                    .map(|i| format!("k{i}=v"))
                    .collect::<Vec<_>>()
                    .join("&")
            ),
            "more than 10 tags",
        ),
    ];
    for (name, body, needle) in &cases {
        std::fs::write(t.path().join(name), body).unwrap();
        let o = s3sim(
            t.path(),
            &["run", "--workload", name, "--policy", "none", "--out", "o"],
        );
        refused(&o, needle);
    }
    // 1,024 bytes and exactly 48.8 TiB are S3's limits, so they are accepted.
    std::fs::write(
        t.path().join("edge.csv"),
        format!(
            "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,{},53687091200000\n",
            "k".repeat(1024)
        ),
    )
    .unwrap();
    let o = run(t.path(), "edge.csv", "o", &["--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // Policies: null is not "absent", and a tag needs its Value.
    for (body, needle) in [
        (
            r#"{"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {"And": null}, "Expiration": {"Days": 1}}]}"#,
            "Rules[0].Filter.And",
        ),
        (
            r#"{"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {"Tag": {"Key": "k"}}, "Expiration": {"Days": 1}}]}"#,
            "Value",
        ),
    ] {
        std::fs::write(t.path().join("p.json"), body).unwrap();
        let o = s3sim(t.path(), &["validate", "p.json"]);
        refused(&o, needle);
    }
    // Prices: the currency, an absurd price, an absurd restore latency.
    let table = include_str!("../pricing/aws-us-east-1.toml");
    for (from, to, needle) in [
        ("currency = \"USD\"", "currency = \"x\"", "meta.currency"),
        (
            "GLACIER.expedited = 300",
            "GLACIER.expedited = 9.2e18",
            "restore_latency",
        ),
    ] {
        assert!(table.contains(from), "{from}");
        std::fs::write(t.path().join("p.toml"), table.replacen(from, to, 1)).unwrap();
        let o = s3sim(t.path(), &["pricing", "--pricing", "p.toml"]);
        refused(&o, needle);
    }
    assert!(table.contains("usd = 0.023"));
    let absurd = table.replacen("usd = 0.023", "usd = 1e308", 1);
    std::fs::write(t.path().join("p.toml"), absurd).unwrap();
    let o = s3sim(t.path(), &["pricing", "--pricing", "p.toml"]);
    refused(&o, "a price must be a number from 0 to");
}

#[test]
fn d11_ctrl_c_removes_the_staging_folder_and_exits_130() {
    let t = folder();
    // A workload big enough that the simulation is still running when the signal comes.
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
    std::fs::write(t.path().join("big.csv"), csv).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3sim"))
        .args([
            "run",
            "--workload",
            "big.csv",
            "--policy",
            "none",
            "--policy",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/tiered.json"))
        .args(["--out", "r", "--quiet"])
        .current_dir(t.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the staging folder (made once the inputs are read), then interrupt.
    let staging = || {
        names(t.path())
            .into_iter()
            .find(|n| n.starts_with(".r.tmp-"))
    };
    let started = std::time::Instant::now();
    while staging().is_none() && started.elapsed().as_secs() < 120 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let signalled = staging().is_some()
        && Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success();
    let out = child.wait_with_output().unwrap();
    if signalled && out.status.code() != Some(0) {
        assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("interrupted"));
        assert!(!t.path().join("r").exists());
    }
    assert!(staging().is_none(), "left behind: {:?}", names(t.path()));
    assert!(signalled, "the run ended before it could be interrupted");
}

#[test]
fn d11_a_killed_runs_staging_folder_is_removed_by_the_next_run() {
    let t = folder();
    // What `kill -9` leaves: a staging folder whose lock nobody holds.
    let stale = t.path().join(".r.tmp-999999-0");
    std::fs::create_dir(&stale).unwrap();
    std::fs::write(stale.join(".s3sim-staging"), "").unwrap();
    std::fs::write(stale.join("summary.csv"), "half").unwrap();
    // Something else with a similar name that is not s3sim's: kept.
    let other = t.path().join(".r.tmp-notours");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("x"), "x").unwrap();
    let o = run_into(t.path(), "r");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(!stale.exists());
    assert!(other.join("x").exists());
    // A live run's staging folder (its lock held): the second run refuses.
    let live = t.path().join(".r.tmp-999998-0");
    std::fs::create_dir(&live).unwrap();
    let lock = std::fs::File::create(live.join(".s3sim-staging")).unwrap();
    lock.try_lock().unwrap();
    let o = run_into(t.path(), "r");
    refused(&o, "another s3sim run is writing");
    assert!(live.exists());
    drop(lock);
}

#[test]
fn d12_workload_folders_are_read_recursively_and_special_files_are_errors() {
    let t = folder();
    let log = |key: &str| {
        format!(
            "79a59df9 bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3 79a59df9 3E57427F3EXAMPLE REST.PUT.OBJECT {key} \"PUT /bucket/{key} HTTP/1.1\" 200 - - 1000 7 - \"-\" \"S3Console/0.4\" -\n"
        )
    };
    let logs = t.path().join("logs");
    std::fs::create_dir_all(logs.join("2026/02/06")).unwrap();
    std::fs::create_dir_all(logs.join("2026/02/07")).unwrap();
    std::fs::write(logs.join("2026/02/06/a.log"), log("a")).unwrap();
    std::fs::write(logs.join("2026/02/07/b.log"), log("b")).unwrap();
    let o = run(t.path(), "logs", "o", &["--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let run_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("o/run.json")).unwrap())
            .unwrap();
    assert_eq!(run_json["inputs"]["workloads"][0]["events"], 2);
    // A link loop, and a FIFO: errors naming them.
    std::os::unix::fs::symlink("..", logs.join("2026/02/up")).unwrap();
    let o = run(t.path(), "logs", "o2", &[]);
    refused(&o, "link loop");
    std::fs::remove_file(logs.join("2026/02/up")).unwrap();
    let fifo = logs.join("2026/pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = run(t.path(), "logs", "o2", &[]);
    refused(&o, "not a regular file");
    std::fs::remove_file(&fifo).unwrap();
    // Only empty subfolders: no files, said so.
    let empty = t.path().join("empty");
    std::fs::create_dir_all(empty.join("a/b")).unwrap();
    let o = run(t.path(), "empty", "o2", &[]);
    refused(&o, "no files");
}

#[test]
fn d13_out_is_checked_before_simulating_and_write_errors_exit_2() {
    let t = folder();
    // A folder that cannot be written (as root, a file in the way stands in for permissions).
    std::fs::write(t.path().join("file"), "x").unwrap();
    let o = run_into(t.path(), "file/r");
    refused(&o, "--out file/r");
    let o = run_into(t.path(), "file");
    refused(&o, "not a folder");
    // Read-only parent (skipped as root, who may write anyway).
    let ro = t.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
    std::fs::set_permissions(&ro, perm).unwrap();
    if std::fs::write(ro.join("probe"), "x").is_err() {
        let o = run_into(t.path(), "ro/r");
        refused(&o, "cannot write");
    }
    // Two runs in the same second without --out: two folders.
    let a = s3sim(
        t.path(),
        &["run", "--workload", "w.csv", "--policy", "none", "--quiet"],
    );
    let b = s3sim(
        t.path(),
        &["run", "--workload", "w.csv", "--policy", "none", "--quiet"],
    );
    assert_eq!((a.status.code(), b.status.code()), (Some(0), Some(0)));
    let reports: Vec<PathBuf> = std::fs::read_dir(t.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(reports.len(), 2, "{reports:?}");
}
