//! What every fuzz target checks, on any input (the reader contract of issue 11):
//! - no panic (libFuzzer reports it);
//! - an error message is short ([`max_message`] bytes, 2 KB unless `S3SIM_FUZZ_MAX_MESSAGE` says
//!   otherwise) and every line it names (`path:N`, `at line N`) is a line of the input: 1 to the
//!   input's line count + 1;
//! - a workload read without error is consistent (key and tag ids in range, lines named in its notes
//!   within the input) and `convert`'s CSV of it reads back with as many events (`S3SIM_FUZZ_ROUNDTRIP=0`
//!   turns this last check off).
//!
//! Readers that take a path get a file in a folder of this process under `/dev/shm` ([`scratch`]).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use s3sim::workload::{Workload, WorkloadError, read_native_csv, write_native_csv};

/// The longest error message allowed [bytes], unless `S3SIM_FUZZ_MAX_MESSAGE` overrides it.
pub const MAX_MESSAGE: usize = 2048;

/// The longest decompressed input the gzip targets count lines of [bytes].
const MAX_GUNZIPPED: u64 = 64 << 20;

pub fn max_message() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        std::env::var("S3SIM_FUZZ_MAX_MESSAGE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(MAX_MESSAGE)
    })
}

fn roundtrip() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("S3SIM_FUZZ_ROUNDTRIP").map_or(true, |v| v != "0"))
}

/// A folder of this process under `/dev/shm` (the temporary folder where there is none).
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("s3sim-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

/// Writes `bytes` to `name` in the scratch folder (creating folders), and returns its path.
pub fn put(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a scratch sub-folder");
    }
    std::fs::write(&path, bytes).expect("a scratch file");
    path
}

/// Lines of a text: newlines, plus one for a last line without one.
pub fn line_count(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    newlines + u64::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

/// Lines of gzip data once decompressed (as far as it decompresses).
pub fn gunzipped_line_count(bytes: &[u8]) -> u64 {
    let mut out = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_GUNZIPPED)
        .read_to_end(&mut out);
    line_count(&out)
}

/// Gzip of `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("gzip to memory");
    e.finish().expect("gzip to memory")
}

/// An input file as messages name it, and its line count.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub path: &'a str,
    pub lines: u64,
}

/// Checks that `line` is a line of `src` (1 to its line count + 1).
pub fn check_line(what: &str, msg: &str, line: u64, src: &Source) {
    assert!(
        line >= 1 && line <= src.lines + 1,
        "{what}: names line {line} of {} which has {} line(s): {}",
        src.path,
        src.lines,
        excerpt(msg)
    );
}

/// The first 300 characters of a message, for assertion messages.
pub fn excerpt(msg: &str) -> String {
    let cut: String = msg.chars().take(300).collect();
    if cut.len() < msg.len() {
        format!("{cut}... ({} bytes)", msg.len())
    } else {
        cut
    }
}

/// Numbers following each occurrence of `pattern` in `msg`.
fn numbers_after(msg: &str, pattern: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut rest = msg;
    while let Some(i) = rest.find(pattern) {
        rest = &rest[i + pattern.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse() {
            out.push(n);
        }
    }
    out
}

/// Checks the lines a message names: `path:N` for each source, and `at line N` (JSON and TOML
/// parsers) against the first source.
pub fn check_lines(what: &str, msg: &str, sources: &[Source]) {
    for src in sources {
        for n in numbers_after(msg, &format!("{}:", src.path)) {
            check_line(what, msg, n, src);
        }
    }
    if let Some(first) = sources.first() {
        for n in numbers_after(msg, "at line ") {
            check_line(what, msg, n, first);
        }
    }
}

/// Checks an error message: short, and naming lines of the input only.
pub fn check_error(what: &str, msg: &str, sources: &[Source]) {
    assert!(
        msg.len() <= max_message(),
        "{what}: error message of {} bytes (limit {}): {}",
        msg.len(),
        max_message(),
        excerpt(msg)
    );
    check_lines(what, msg, sources);
}

/// Checks what a workload reader returned (see the crate documentation).
pub fn check_workload(what: &str, result: Result<Workload, WorkloadError>, sources: &[Source]) {
    let w = match result {
        Err(e) => {
            let msg = e.to_string();
            check_error(what, &msg, sources);
            if let WorkloadError::Field { path, line, .. } | WorkloadError::Line { path, line, .. } =
                &e
                && let Some(src) = sources.iter().find(|s| s.path == path)
            {
                check_line(what, &msg, *line, src);
            }
            return;
        }
        Ok(w) => w,
    };
    assert!(!w.events.is_empty(), "{what}: a workload without events");
    for e in &w.events {
        assert!(
            (e.key as usize) < w.keys.len(),
            "{what}: key id out of range"
        );
        if e.has_tags() {
            assert!(
                (e.tags as usize) < w.tagsets.len(),
                "{what}: tag set id out of range"
            );
        } else {
            assert!((e.tags as usize) < w.ids.len(), "{what}: id out of range");
        }
    }
    for &(row, id) in &w.created_ids {
        assert!(
            (row as usize) < w.events.len() && (id as usize) < w.ids.len(),
            "{what}: a write's id out of range"
        );
    }
    assert!(w.first <= w.last, "{what}: first event after the last");
    for note in &w.notes {
        check_lines(what, note, sources);
    }
    if roundtrip() {
        let mut csv = Vec::new();
        write_native_csv(&w, &mut csv).expect("writing to memory");
        match read_native_csv("roundtrip.csv", &csv[..]) {
            Ok(back) => assert_eq!(
                back.events.len(),
                w.events.len(),
                "{what}: convert's CSV reads back with another number of events"
            ),
            Err(e) => panic!(
                "{what}: convert's CSV of a workload read without error does not read back: {}",
                excerpt(&e.to_string())
            ),
        }
    }
}
