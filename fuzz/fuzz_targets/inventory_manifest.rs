//! An S3 Inventory manifest.json and its data files. The input is the manifest, then optionally
//! `\n====\n` and the text of the data files `data/a.csv.gz` and `data/b.csv.gz` (written plain;
//! the reader gunzips only gzip); without it, the data files of `tests/fixtures`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::workload::{Format, ReadOptions, read_workload};
use s3sim_fuzz::{Source, check_workload, gunzipped_line_count, line_count, put};

const A: &[u8] = include_bytes!("../../tests/fixtures/formats/inventory/data/a.csv.gz");
const B: &[u8] = include_bytes!("../../tests/fixtures/formats/inventory/data/b.csv.gz");
const SEPARATOR: &[u8] = b"\n====\n";

fuzz_target!(|data: &[u8]| {
    let (manifest, a, b) = match data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        Some(i) => (
            &data[..i],
            &data[i + SEPARATOR.len()..],
            &data[i + SEPARATOR.len()..],
        ),
        None => (data, A, B),
    };
    let path = put("inv/2026-01-01T00-00Z/manifest.json", manifest);
    let pa = put("inv/data/a.csv.gz", a);
    let pb = put("inv/data/b.csv.gz", b);
    // The reader names data files as it found them: `<manifest folder>/../data/<name>`.
    let dir = path.parent().unwrap().display().to_string();
    let (p, fa, fb) = (
        path.display().to_string(),
        format!("{dir}/../data/a.csv.gz"),
        format!("{dir}/../data/b.csv.gz"),
    );
    let lines = |path: &std::path::Path| {
        let bytes = std::fs::read(path).unwrap();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            gunzipped_line_count(&bytes)
        } else {
            line_count(&bytes)
        }
    };
    let sources = [
        Source {
            path: &p,
            lines: line_count(manifest),
        },
        Source {
            path: &fa,
            lines: lines(&pa),
        },
        Source {
            path: &fb,
            lines: lines(&pb),
        },
    ];
    let opts = ReadOptions {
        format: Some(Format::Inventory),
        ..ReadOptions::default()
    };
    check_workload("inventory_manifest", read_workload(&path, &opts), &sources);
});
