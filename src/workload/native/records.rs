//! Cutting a block of the native CSV into whole records, as the csv crate reads them (quotes,
//! comments), and numbering lines for errors.

use std::io::Read;

use crate::workload::WorkloadError;

/// Appends to `buf` until it holds `want` bytes or the reader ends; returns true at the end.
pub(super) fn fill<R: Read>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    want: usize,
) -> std::io::Result<bool> {
    let need = want.saturating_sub(buf.len()) as u64;
    let got = reader.take(need).read_to_end(buf)? as u64;
    Ok(got < need)
}

/// The byte just after the last newline that ends a record, or 0. `ends`: the record ends from
/// [`record_ends`] when `b` has quotes (None: every newline ends a record).
pub(super) fn last_record_end(b: &[u8], ends: Option<&[usize]>) -> usize {
    match ends {
        None => memchr::memrchr(b'\n', b).map_or(0, |nl| nl + 1),
        Some(e) => e.last().copied().unwrap_or(0),
    }
}

/// Cuts whole records into about `n` pieces at record ends (`ends` as for [`last_record_end`];
/// ends beyond `b` are ignored).
pub(super) fn split_records(
    b: &[u8],
    n: usize,
    ends: Option<&[usize]>,
) -> Vec<std::ops::Range<usize>> {
    let target = (b.len() / n.max(1)).max(1 << 16);
    let mut out = Vec::new();
    let mut start = 0;
    while start < b.len() {
        let at = (start + target).min(b.len());
        let end = match &ends {
            None => memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i + 1),
            Some(e) => e
                .get(e.partition_point(|&x| x <= at))
                .copied()
                .filter(|&x| x <= b.len())
                .unwrap_or(b.len()),
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// The byte just after each newline of `b` that ends a record, as the csv crate reads `b` from a
/// record's start: a quote opens a quoted field only at the start of a field (`""` inside is a
/// quote), and a line starting with `#` is a comment. One pass, so a stray quote costs nothing.
pub(super) fn record_ends(b: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let (mut field_start, mut record_start, mut quoted) = (true, true, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if quoted {
            if c == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted = false;
            }
            i += 1;
            continue;
        }
        if record_start && c == b'#' {
            match memchr::memchr(b'\n', &b[i..]) {
                Some(j) => {
                    i += j + 1;
                    ends.push(i);
                    continue;
                }
                None => break,
            }
        }
        match c {
            b'"' if field_start => {
                quoted = true;
                (field_start, record_start) = (false, false);
            }
            b',' => (field_start, record_start) = (true, false),
            b'\n' => {
                ends.push(i + 1);
                (field_start, record_start) = (true, true);
            }
            b'\r' => (field_start, record_start) = (true, true),
            _ => (field_start, record_start) = (false, false),
        }
        i += 1;
    }
    ends
}

pub(super) fn with_line_base(e: WorkloadError, base: u64) -> WorkloadError {
    e.with_line(|line| Some(line + base))
}

/// The line (from 1) of the record the csv crate places at byte `at` of `bytes`. The crate's
/// position is where the record before ended, before any blank and comment lines: skip those.
pub(super) fn line_at(bytes: &[u8], at: usize) -> u64 {
    let mut at = at.min(bytes.len());
    loop {
        while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'#' {
            at = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        } else {
            break;
        }
    }
    memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64 + 1
}

/// A csv crate error in `bytes`, with its line counted from its byte (the crate's own line
/// numbers skip comment and blank lines).
pub(super) fn csv_error(path: &str, e: csv::Error, bytes: &[u8]) -> WorkloadError {
    let line = e
        .position()
        .map_or(0, |p| line_at(bytes, p.byte() as usize));
    let message = match e.kind() {
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => e.to_string(),
    };
    WorkloadError::Line {
        path: path.to_string(),
        line,
        message,
    }
}
