//! Hostile input (issue 11): every reader gets arbitrary bytes, and valid fixtures mutated (bytes,
//! lines and fields inserted, deleted and duplicated; quotes, CR, NUL, BOMs, broken UTF-8, huge
//! numbers, extreme dates, fields of ~100 KB). The contract, for any input:
//! - no panic;
//! - an error message is at most 2,048 bytes;
//! - a line an error or a workload note names (`file:N`, `at line N`) is a line of the input: 1 to
//!   its line count + 1.
//!
//! - a workload read without error is consistent, and `convert`'s CSV of it reads back.
//!
//! The contract's code is `fuzz/src/lib.rs`, which `cargo fuzz` checks for longer, outside CI
//! (README, "Fuzzing").

use std::path::Path;

use proptest::prelude::*;

use s3sim::model::time::date_micros;
use s3sim::policy::{Policy, PolicyError, ValidateOptions};
use s3sim::pricing::PriceTable;
use s3sim::workload::{
    Format, ReadOptions, Workload, WorkloadError, read_native_csv, read_workload,
};

/// Length of the "very long field" mutation [bytes].
const LONG_FIELD: usize = 100_000;

const WORKLOAD_CSV: &[u8] = include_bytes!("fixtures/formats/workload.csv");
const ACCESS_LOG: &[u8] = include_bytes!("fixtures/formats/access.log");
const TRACE: &[u8] = include_bytes!("fixtures/formats/trace.txt");
const MANIFEST: &[u8] =
    include_bytes!("fixtures/formats/inventory/2026-01-01T00-00Z/manifest.json");
const INVENTORY_A: &[u8] = include_bytes!("fixtures/formats/inventory/data/a.csv.gz");
const INVENTORY_B: &[u8] = include_bytes!("fixtures/formats/inventory/data/b.csv.gz");
const POLICY: &[u8] = include_bytes!("../policies/tiered.json");
const POLICY_FILTERS: &[u8] = br#"{"Rules":[{"ID":"gir","Status":"Enabled","Filter":{"And":{"Prefix":"a/","Tags":[{"Key":"k","Value":"v"}],"ObjectSizeGreaterThan":1000}},"Transitions":[{"Days":5,"StorageClass":"GLACIER_IR"},{"Days":100,"StorageClass":"DEEP_ARCHIVE"}],"NoncurrentVersionExpiration":{"NoncurrentDays":3,"NewerNoncurrentVersions":2}},{"ID":"d","Status":"Enabled","Filter":{"Prefix":"d/"},"Expiration":{"Date":"2027-01-01T00:00:00Z"}}],"TransitionDefaultMinimumObjectSize":"varies_by_storage_class"}"#;
const PRICING: &[u8] = include_bytes!("../pricing/aws-us-east-1.toml");

/// Inserted by mutations: separators and quoting, line ends, NUL, BOM and broken UTF-8, numbers
/// beyond every integer type, extreme dates, and tokens of each format.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b"\r",
    b"\r\n",
    b"\n",
    b"\0",
    b",",
    b" ",
    b"\t",
    b"#",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b"=",
    b"&",
    b"%",
    b"%zz",
    b"%C3",
    b"%00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    "\u{e9}\u{1f600}".as_bytes(),
    b"-",
    b"-1",
    b"0",
    b"18446744073709551616",
    b"99999999999999999999999999999999999999",
    b"-9223372036854775809",
    b"9223372036854775807",
    b"1e309",
    b"-1e309",
    b"NaN",
    b"inf",
    b"0.0000000000000000000001",
    b"9999-12-31T23:59:59Z",
    b"0000-01-01T00:00:00Z",
    b"+275760-09-13T00:00:00Z",
    b"1969-12-31T23:59:59.999999999-23:59",
    b"[31/Dec/9999:23:59:59 +0000]",
    b"[01/Jan/0000:00:00:00 -2359]",
    b"REST.PUT.OBJECT",
    b"REST.GET.BUCKET",
    b"PUT",
    b"LIST",
    b"GLACIER",
    b"null",
    b"true",
    b"[]",
    b"{}",
    b"\"Days\": 1e999",
    b"\"Days\": -1",
    b"\"Rules\": [",
    b"[[storage]]",
    b"usd = 1e308",
];

/// Bytes a very long field is made of.
const LONG_BYTES: &[u8] = b"a9\" \0%,\n";

#[derive(Debug, Clone)]
enum Mutation {
    /// A token of [`TOKENS`] at a position.
    Insert(usize, usize),
    /// A field of [`LONG_FIELD`] + n bytes, all one byte of [`LONG_BYTES`], at a position.
    InsertLong(usize, usize, usize),
    /// Removes up to n bytes from a position.
    Delete(usize, usize),
    /// Repeats up to n bytes from a position.
    Duplicate(usize, usize),
    DuplicateLine(usize),
    DeleteLine(usize),
    /// Fields: runs of bytes between `,`, space, tab and line ends.
    DuplicateField(usize),
    DeleteField(usize),
    ReplaceField(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        1 => (any::<usize>(), any::<usize>(), 0usize..64)
            .prop_map(|(p, b, n)| Mutation::InsertLong(p, b, n)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Delete(p, n)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Duplicate(p, n)),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        2 => any::<usize>().prop_map(Mutation::DuplicateField),
        2 => any::<usize>().prop_map(Mutation::DeleteField),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(f, t)| Mutation::ReplaceField(f, t)),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

/// [`mutations`] without very long fields.
fn short_mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        mutation().prop_filter("no long field", |m| !matches!(m, Mutation::InsertLong(..))),
        1..6,
    )
}

/// Spans `start..end` of the runs between separators (`sep`), and of the lines (`sep` = `\n`).
fn spans(text: &[u8], is_sep: impl Fn(u8) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in text.iter().enumerate() {
        if is_sep(c) {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if text.len() > start {
        out.push((start, text.len()));
    }
    out
}

fn is_field_sep(c: u8) -> bool {
    matches!(c, b',' | b' ' | b'\t' | b'\n' | b'\r')
}

/// A position among `n` (0 when there is none).
fn at(p: usize, n: usize) -> usize {
    if n == 0 { 0 } else { p % n }
}

/// `text` with each mutation applied in turn.
fn mutate(text: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut t = text.to_vec();
    for m in ms {
        match m {
            Mutation::Insert(p, tok) => {
                let pos = at(*p, t.len() + 1);
                t.splice(pos..pos, TOKENS[at(*tok, TOKENS.len())].iter().copied());
            }
            Mutation::InsertLong(p, b, n) => {
                let pos = at(*p, t.len() + 1);
                let byte = LONG_BYTES[at(*b, LONG_BYTES.len())];
                t.splice(pos..pos, std::iter::repeat_n(byte, LONG_FIELD + n));
            }
            Mutation::Delete(p, n) if !t.is_empty() => {
                let pos = at(*p, t.len());
                let end = (pos + n).min(t.len());
                t.drain(pos..end);
            }
            Mutation::Duplicate(p, n) if !t.is_empty() => {
                let pos = at(*p, t.len());
                let end = (pos + n).min(t.len());
                let copy = t[pos..end].to_vec();
                t.splice(pos..pos, copy);
            }
            Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) => {
                let lines = spans(&t, |c| c == b'\n');
                if lines.is_empty() {
                    continue;
                }
                let (a, z) = lines[at(*i, lines.len())];
                let z = (z + 1).min(t.len()); // with its newline
                if matches!(m, Mutation::DuplicateLine(_)) {
                    let copy = t[a..z].to_vec();
                    t.splice(a..a, copy);
                } else {
                    t.drain(a..z);
                }
            }
            Mutation::DuplicateField(i) | Mutation::DeleteField(i) => {
                let fields = spans(&t, is_field_sep);
                if fields.is_empty() {
                    continue;
                }
                let (a, z) = fields[at(*i, fields.len())];
                let z = (z + 1).min(t.len()); // with its separator
                if matches!(m, Mutation::DuplicateField(_)) {
                    let copy = t[a..z].to_vec();
                    t.splice(a..a, copy);
                } else {
                    t.drain(a..z);
                }
            }
            Mutation::ReplaceField(i, tok) => {
                let fields = spans(&t, is_field_sep);
                if fields.is_empty() {
                    continue;
                }
                let (a, z) = fields[at(*i, fields.len())];
                t.splice(a..z, TOKENS[at(*tok, TOKENS.len())].iter().copied());
            }
            Mutation::Delete(..) | Mutation::Duplicate(..) => {}
        }
    }
    t
}

// ---- the contract: one home, shared with the fuzz targets ----

#[allow(dead_code)] // the fuzz targets' scratch-folder helpers are not used here
#[path = "../fuzz/src/lib.rs"]
mod contract;

use contract::{Source as Src, check_error, check_workload, gzip, line_count};

/// Gzip data decompressed (as far as it decompresses).
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out);
    out
}

fn assert_error(msg: &str, srcs: &[Src]) {
    check_error("hostile", msg, srcs);
}

fn assert_workload(result: Result<Workload, WorkloadError>, srcs: &[Src]) {
    check_workload("hostile", result, srcs);
}

// ---- the readers ----

fn native_csv(bytes: &[u8]) {
    let src = Src {
        path: "hostile.csv",
        lines: line_count(bytes),
    };
    assert_workload(read_native_csv(src.path, bytes), &[src]);
}

/// `read_workload` on `bytes` written to a file `name` (`lines` of text once gunzipped).
fn workload_file(name: &str, bytes: &[u8], lines: u64, opts: &ReadOptions) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let p = path.display().to_string();
    let src = Src { path: &p, lines };
    assert_workload(read_workload(&path, opts), &[src]);
}

fn forced(format: Format, strict: bool) -> ReadOptions {
    ReadOptions {
        format: Some(format),
        strict,
        ..ReadOptions::default()
    }
}

fn access_log(bytes: &[u8], strict: bool) {
    let opts = forced(Format::AccessLog, strict);
    workload_file("access.log", bytes, line_count(bytes), &opts);
}

/// `text` gzipped, or `bytes` as they are when they start with gzip's magic (damaged gzip).
fn access_log_gz(bytes: &[u8], strict: bool) {
    let opts = forced(Format::AccessLog, strict);
    if bytes.starts_with(&[0x1f, 0x8b]) {
        workload_file("access.log.gz", bytes, line_count(&gunzip(bytes)), &opts);
    } else {
        workload_file("access.log.gz", &gzip(bytes), line_count(bytes), &opts);
    }
}

fn ibm_trace(bytes: &[u8], strict: bool, start: usize) {
    let opts = ReadOptions {
        trace_start: [date_micros(2026, 1, 1), 0, date_micros(9999, 12, 31)][start % 3],
        ..forced(Format::IbmTrace, strict)
    };
    workload_file("trace.txt", bytes, line_count(bytes), &opts);
}

fn inventory_csv(bytes: &[u8], strict: bool) {
    let opts = forced(Format::Inventory, strict);
    workload_file("inventory.csv", bytes, line_count(bytes), &opts);
}

/// Any bytes, format detected.
fn any_format(bytes: &[u8]) {
    let lines = if bytes.starts_with(&[0x1f, 0x8b]) {
        line_count(&gunzip(bytes))
    } else {
        line_count(bytes)
    };
    workload_file("input", bytes, lines, &ReadOptions::default());
}

/// A manifest in `<dir>/2026-01-01T00-00Z/`, its data files `a.csv.gz`, `b.csv.gz` in `<dir>/data/`.
fn inventory_manifest(manifest: &[u8], a: &[u8], b: &[u8], strict: bool) {
    let dir = tempfile::tempdir().unwrap();
    let mdir = dir.path().join("2026-01-01T00-00Z");
    std::fs::create_dir_all(&mdir).unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let path = mdir.join("manifest.json");
    std::fs::write(&path, manifest).unwrap();
    std::fs::write(dir.path().join("data/a.csv.gz"), a).unwrap();
    std::fs::write(dir.path().join("data/b.csv.gz"), b).unwrap();
    let lines = |bytes: &[u8]| {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            line_count(&gunzip(bytes))
        } else {
            line_count(bytes)
        }
    };
    let p = path.display().to_string();
    let pa = mdir.join("../data/a.csv.gz").display().to_string();
    let pb = mdir.join("../data/b.csv.gz").display().to_string();
    let srcs = [
        Src {
            path: &p,
            lines: line_count(manifest),
        },
        Src {
            path: &pa,
            lines: lines(a),
        },
        Src {
            path: &pb,
            lines: lines(b),
        },
    ];
    assert_workload(
        read_workload(&path, &forced(Format::Inventory, strict)),
        &srcs,
    );
}

fn policy(bytes: &[u8], ia_min_30_days: bool) {
    let text = String::from_utf8_lossy(bytes);
    let src = Src {
        path: "hostile.json",
        lines: line_count(text.as_bytes()),
    };
    let opts = ValidateOptions { ia_min_30_days };
    match Policy::parse("hostile", src.path, &text, &opts) {
        Ok(p) => {
            let _ = p.explain();
        }
        Err(e) => {
            assert_error(&e.to_string(), std::slice::from_ref(&src));
            if let PolicyError::Json { line, .. } = e {
                contract::check_line("JSON error", "", line as u64, &src);
            }
        }
    }
}

/// Also through `Policy::from_file`, which reads bytes that may not be UTF-8.
fn policy_file(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.json");
    std::fs::write(&path, bytes).unwrap();
    let p = path.display().to_string();
    if let Err(e) = Policy::from_file(&path, &ValidateOptions::default()) {
        let src = Src {
            path: &p,
            lines: line_count(bytes),
        };
        assert_error(&e.to_string(), &[src]);
    }
}

fn pricing(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let src = Src {
        path: "hostile.toml",
        lines: line_count(text.as_bytes()),
    };
    match PriceTable::parse(src.path, &text) {
        Ok(t) => {
            let _ = t.describe();
        }
        Err(e) => assert_error(&e.to_string(), &[src]),
    }
}

fn pricing_file(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.toml");
    std::fs::write(&path, bytes).unwrap();
    let p = path.display().to_string();
    if let Err(e) = PriceTable::from_file(&path) {
        let src = Src {
            path: &p,
            lines: line_count(bytes),
        };
        assert_error(&e.to_string(), &[src]);
    }
}

/// The inventory fixture as one CSV with a header row.
fn inventory_csv_fixture() -> Vec<u8> {
    let mut t =
        b"Bucket,Key,Size,LastModifiedDate,StorageClass,IntelligentTieringAccessTier\n".to_vec();
    t.extend(gunzip(INVENTORY_A));
    t.extend(gunzip(INVENTORY_B));
    t
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..2048)
}

/// Arbitrary bytes after a prefix of the format (so the reader gets past its first checks).
fn bytes_after(prefix: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    bytes().prop_map(move |b| [prefix, &b[..]].concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_native_csv_arbitrary_bytes(b in bytes()) {
        native_csv(&b);
    }

    #[test]
    fn hostile_native_csv_after_a_header(b in bytes_after(b"timestamp,op,key,size,storage_class,tags\n")) {
        native_csv(&b);
    }

    #[test]
    fn hostile_native_csv_mutated_fixture(ms in mutations()) {
        native_csv(&mutate(WORKLOAD_CSV, &ms));
    }

    #[test]
    fn hostile_native_csv_mutated_fixture_short_fields(ms in short_mutations()) {
        native_csv(&mutate(WORKLOAD_CSV, &ms));
    }

    #[test]
    fn hostile_access_log_arbitrary_bytes(b in bytes(), strict in any::<bool>()) {
        access_log(&b, strict);
    }

    #[test]
    fn hostile_access_log_mutated_fixture(ms in mutations(), strict in any::<bool>()) {
        access_log(&mutate(ACCESS_LOG, &ms), strict);
    }

    #[test]
    fn hostile_access_log_gz_arbitrary_bytes(b in bytes(), raw in any::<bool>(), strict in any::<bool>()) {
        // Half the cases: bytes behind gzip's magic, read as (damaged) gzip.
        let b = if raw { [&[0x1f, 0x8b][..], &b].concat() } else { b };
        access_log_gz(&b, strict);
    }

    #[test]
    fn hostile_access_log_gz_mutated_fixture(ms in mutations(), strict in any::<bool>()) {
        access_log_gz(&mutate(ACCESS_LOG, &ms), strict);
    }

    #[test]
    fn hostile_access_log_gz_mutated_gzip(ms in mutations()) {
        access_log_gz(&mutate(&gzip(ACCESS_LOG), &ms), false);
    }

    #[test]
    fn hostile_ibm_trace_arbitrary_bytes(b in bytes(), strict in any::<bool>(), start in 0usize..3) {
        ibm_trace(&b, strict, start);
    }

    #[test]
    fn hostile_ibm_trace_mutated_fixture(ms in mutations(), strict in any::<bool>(), start in 0usize..3) {
        ibm_trace(&mutate(TRACE, &ms), strict, start);
    }

    #[test]
    fn hostile_inventory_csv_arbitrary_bytes(b in bytes_after(b"Key,Size,LastModifiedDate,StorageClass,IsLatest,IsDeleteMarker\n"), strict in any::<bool>()) {
        inventory_csv(&b, strict);
    }

    #[test]
    fn hostile_inventory_csv_mutated_fixture(ms in mutations(), strict in any::<bool>()) {
        inventory_csv(&mutate(&inventory_csv_fixture(), &ms), strict);
    }

    #[test]
    fn hostile_inventory_csv_mutated_fixture_short_fields(ms in short_mutations(), strict in any::<bool>()) {
        inventory_csv(&mutate(&inventory_csv_fixture(), &ms), strict);
    }

    #[test]
    fn hostile_inventory_manifest_arbitrary_bytes(b in bytes()) {
        inventory_manifest(&b, INVENTORY_A, INVENTORY_B, false);
    }

    #[test]
    fn hostile_inventory_manifest_mutated_fixture(ms in mutations()) {
        inventory_manifest(&mutate(MANIFEST, &ms), INVENTORY_A, INVENTORY_B, false);
    }

    #[test]
    fn hostile_inventory_manifest_mutated_fixture_short_fields(ms in short_mutations()) {
        inventory_manifest(&mutate(MANIFEST, &ms), INVENTORY_A, INVENTORY_B, false);
    }

    #[test]
    fn hostile_inventory_manifest_mutated_data_files(ms in mutations(), strict in any::<bool>()) {
        let data = mutate(&gunzip(INVENTORY_A), &ms);
        inventory_manifest(MANIFEST, &data, &gzip(&data), strict);
    }

    #[test]
    fn hostile_any_format_arbitrary_bytes(b in bytes()) {
        any_format(&b);
    }

    #[test]
    fn hostile_any_format_mutated_fixtures(ms in mutations(), which in 0usize..4) {
        let fixture = [WORKLOAD_CSV, ACCESS_LOG, TRACE, &inventory_csv_fixture()][which].to_vec();
        any_format(&mutate(&fixture, &ms));
    }

    #[test]
    fn hostile_any_format_mutated_fixtures_short_fields(ms in short_mutations(), which in 0usize..4) {
        let fixture = [WORKLOAD_CSV, ACCESS_LOG, TRACE, &inventory_csv_fixture()][which].to_vec();
        any_format(&mutate(&fixture, &ms));
    }

    #[test]
    fn hostile_policy_arbitrary_bytes(b in bytes(), ia in any::<bool>()) {
        policy(&b, ia);
        policy_file(&b);
    }

    #[test]
    fn hostile_policy_mutated_fixture(ms in mutations(), which in any::<bool>(), ia in any::<bool>()) {
        let b = mutate(if which { POLICY } else { POLICY_FILTERS }, &ms);
        policy(&b, ia);
        policy_file(&b);
    }

    #[test]
    fn hostile_pricing_arbitrary_bytes(b in bytes()) {
        pricing(&b);
        pricing_file(&b);
    }

    #[test]
    fn hostile_pricing_mutated_fixture(ms in mutations()) {
        let b = mutate(PRICING, &ms);
        pricing(&b);
        pricing_file(&b);
    }
}

/// The fixtures themselves read without error (so the mutations start from valid input).
#[test]
fn hostile_fixtures_are_valid() {
    read_native_csv("w.csv", WORKLOAD_CSV).unwrap();
    Policy::parse(
        "p",
        "p.json",
        std::str::from_utf8(POLICY).unwrap(),
        &ValidateOptions::default(),
    )
    .unwrap();
    Policy::parse(
        "p",
        "p.json",
        std::str::from_utf8(POLICY_FILTERS).unwrap(),
        &ValidateOptions::default(),
    )
    .unwrap();
    PriceTable::parse("p.toml", std::str::from_utf8(PRICING).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, format) in [
        ("a.log", ACCESS_LOG.to_vec(), Format::AccessLog),
        ("a.log.gz", gzip(ACCESS_LOG), Format::AccessLog),
        ("t.txt", TRACE.to_vec(), Format::IbmTrace),
        ("i.csv", inventory_csv_fixture(), Format::Inventory),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        read_workload(&path, &forced(format, true)).unwrap();
    }
    let mdir = dir.path().join("inv/2026-01-01T00-00Z");
    std::fs::create_dir_all(&mdir).unwrap();
    std::fs::create_dir_all(dir.path().join("inv/data")).unwrap();
    std::fs::write(mdir.join("manifest.json"), MANIFEST).unwrap();
    std::fs::write(dir.path().join("inv/data/a.csv.gz"), INVENTORY_A).unwrap();
    std::fs::write(dir.path().join("inv/data/b.csv.gz"), INVENTORY_B).unwrap();
    read_workload(
        &mdir.join("manifest.json"),
        &forced(Format::Inventory, true),
    )
    .unwrap();
}

/// The mutations do what they say (a field duplicated, a line deleted, a long field inserted).
#[test]
fn hostile_mutations_apply() {
    let t = b"a,b\nc,d\n";
    assert_eq!(mutate(t, &[Mutation::DeleteLine(0)]), b"c,d\n");
    assert_eq!(mutate(t, &[Mutation::DeleteLine(3)]), b"a,b\n");
    assert_eq!(mutate(t, &[Mutation::DuplicateField(0)]), b"a,a,b\nc,d\n");
    assert_eq!(mutate(t, &[Mutation::ReplaceField(1, 0)]), b"a,\"\nc,d\n");
    assert_eq!(
        mutate(t, &[Mutation::InsertLong(0, 0, 0)]).len(),
        t.len() + LONG_FIELD
    );
}

/// Every reproducer `cargo fuzz` found, `tests/fixtures/fuzz/<target>-<name>`, keeps the contract
/// through the reader its target feeds (the input read as that target reads it).
#[test]
fn hostile_fuzz_reproducers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let b = std::fs::read(&path).unwrap();
        let target = name.split_once('-').map_or(name.as_str(), |(t, _)| t);
        eprintln!("{name}");
        match target {
            "native_csv" => native_csv(&b),
            "workload_any" => any_format(&b),
            "access_log" => access_log(&b, false),
            "access_log_gz" => access_log_gz(&b, false),
            "ibm_trace" => {
                if let Some((&mode, text)) = b.split_first() {
                    ibm_trace(text, mode & 1 == 1, usize::from(mode >> 1));
                }
            }
            "inventory_csv" => inventory_csv(&b, false),
            "inventory_manifest" => {
                const SEPARATOR: &[u8] = b"\n====\n";
                match b.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
                    Some(i) => {
                        let data = &b[i + SEPARATOR.len()..];
                        inventory_manifest(&b[..i], data, data, false);
                    }
                    None => inventory_manifest(&b, INVENTORY_A, INVENTORY_B, false),
                }
            }
            "policy" => {
                policy(&b, false);
                policy(&b, true);
            }
            "pricing" => pricing(&b),
            other => panic!("{name}: no reader for fuzz target {other:?}"),
        }
    }
}
