//! The header and the records of the native CSV: columns by name, fields by index, each field
//! checked with an error naming its line, column and value.

use super::intern::key_hash;
use super::records::{csv_error, line_at, with_line_base};
use super::{Piece, SHARDS};
use crate::model::time::parse_timestamp;
use crate::model::{Op, StorageClass};
use crate::workload::{Event, WHOLE_OBJECT, WorkloadError};

#[derive(Debug, Clone, Copy)]
pub(super) struct Columns {
    timestamp: usize,
    op: usize,
    key: usize,
    size: Option<usize>,
    storage_class: Option<usize>,
    tags: Option<usize>,
    version_id: Option<usize>,
    upload_id: Option<usize>,
}

impl Columns {
    pub(super) fn key(&self) -> usize {
        self.key
    }

    pub(super) fn timestamp(&self) -> usize {
        self.timestamp
    }

    /// Whether the file has a version_id or upload_id column.
    pub(super) fn names_ids(&self) -> bool {
        self.version_id.is_some() || self.upload_id.is_some()
    }
}

/// Finds the header row (after any comment lines): the columns, the byte where data starts and the
/// number of lines up to there.
pub(super) fn read_header(path: &str, buf: &[u8]) -> Result<(Columns, usize, u64), WorkloadError> {
    let file_err = |message: String| WorkloadError::File {
        path: path.to_string(),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(buf);
    let mut header = csv::ByteRecord::new();
    let found = rdr
        .read_byte_record(&mut header)
        .map_err(|e| csv_error(path, e, buf))?;
    if !found || header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(file_err(
            "the file is empty: a header row naming the columns timestamp,op,key,size is required"
                .into(),
        ));
    }
    let data_start = rdr.position().byte() as usize;
    let header_lines = memchr::memchr_iter(b'\n', &buf[..data_start]).count() as u64;
    let mut names = Vec::with_capacity(header.len());
    for (i, h) in header.iter().enumerate() {
        let name = std::str::from_utf8(h).map_err(|_| WorkloadError::Line {
            path: path.to_string(),
            line: header_lines.max(1),
            message: format!("header field {} is not valid UTF-8", i + 1),
        })?;
        names.push(
            name.trim()
                .trim_start_matches('\u{feff}')
                .to_ascii_lowercase(),
        );
    }
    for (i, n) in names.iter().enumerate() {
        if !n.is_empty() && names[..i].contains(n) {
            return Err(WorkloadError::Line {
                path: path.to_string(),
                line: header_lines.max(1),
                message: format!(
                    "the header names column {} twice",
                    crate::model::limits::quoted(n)
                ),
            });
        }
    }
    let find = |n: &str| names.iter().position(|h| h == n);
    let require = |n: &str| {
        find(n).ok_or_else(|| {
            file_err(format!(
                "missing required column '{n}' in the header (found: {}); a workload CSV needs timestamp, op, key and, for PUT, size",
                crate::model::limits::excerpt(&names.join(","))
            ))
        })
    };
    let cols = Columns {
        timestamp: require("timestamp")?,
        op: require("op")?,
        key: require("key")?,
        size: find("size"),
        storage_class: find("storage_class"),
        tags: find("tags"),
        version_id: find("version_id"),
        upload_id: find("upload_id"),
    };
    Ok((cols, data_start, header_lines))
}

/// Parses whole records into `piece` (cleared first); line numbers in errors are relative to the
/// piece (1 = its first line). Pieces without quotes or carriage returns (the usual case) are split
/// by hand, others by the csv crate; both read the same records.
pub(super) fn parse_piece(
    path: &str,
    bytes: &[u8],
    cols: Columns,
    piece: &mut Piece,
) -> Result<(), WorkloadError> {
    piece.clear();
    piece.newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    piece.events.reserve(bytes.len() / 48);
    if memchr::memchr2(b'"', b'\r', bytes).is_none() {
        let mut fields = std::mem::take(&mut piece.fields);
        let mut line = 0u64;
        let mut rest = bytes;
        let result = loop {
            if rest.is_empty() {
                break Ok(());
            }
            let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let text = &rest[..end];
            rest = &rest[(end + 1).min(rest.len())..];
            line += 1;
            if text.is_empty() || text[0] == b'#' {
                continue; // blank line or comment
            }
            fields.clear();
            let mut from = 0;
            for comma in memchr::memchr_iter(b',', text) {
                fields.push((from, comma));
                from = comma + 1;
            }
            fields.push((from, text.len()));
            let get = |i: usize| fields.get(i).map(|&(a, b)| &text[a..b]);
            if let Err(e) = parse_record(path, line, cols, &get, piece) {
                break Err(e);
            }
        };
        piece.fields = fields;
        return result;
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => return Err(csv_error(path, e, bytes)),
        }
        if record.len() == 1 && record[0].is_empty() {
            continue; // blank line
        }
        // The csv crate's line numbers skip comment and blank lines: count from the byte instead
        // (only for an error).
        let byte = record.position().map_or(0, |p| p.byte() as usize);
        parse_record(path, 0, cols, &|i| record.get(i), piece)
            .map_err(|e| with_line_base(e, line_at(bytes, byte)))?;
    }
}

/// Parses one record (fields by index) into `piece`.
fn parse_record<'r>(
    path: &str,
    line: u64,
    cols: Columns,
    get: &dyn Fn(usize) -> Option<&'r [u8]>,
    piece: &mut Piece,
) -> Result<(), WorkloadError> {
    let field = |idx: usize, column: &str| -> Result<&str, WorkloadError> {
        let raw = get(idx).unwrap_or(b"");
        std::str::from_utf8(raw).map_err(|e| WorkloadError::Field {
            path: path.to_string(),
            line,
            column: column.to_string(),
            value: crate::model::limits::excerpt(&String::from_utf8_lossy(
                &raw[..raw.len().min(4 * crate::model::limits::EXCERPT_CHARS)],
            )),
            message: format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        })
    };
    let bad =
        |column: &str, value: &str, message: String| bad_field(path, line, column, value, &message);
    let ts = field(cols.timestamp, "timestamp")?;
    let time = parse_timestamp(ts).ok_or_else(|| {
        bad(
            "timestamp",
            ts,
            "not a timestamp from 1970 to 8999: use RFC 3339 (2026-01-15T10:30:00Z) or Unix seconds"
                .into(),
        )
    })?;
    let op_s = field(cols.op, "op")?;
    let op = Op::parse(op_s).ok_or_else(|| {
        bad(
            "op",
            op_s,
            "unknown operation: expected PUT, GET, HEAD, DELETE, COPY, POST, LIST, \
             CREATE_MULTIPART_UPLOAD, UPLOAD_PART, COMPLETE_MULTIPART_UPLOAD or \
             ABORT_MULTIPART_UPLOAD"
                .into(),
        )
    })?;
    let key = field(cols.key, "key")?;
    if key.len() > crate::model::limits::S3_MAX_KEY_BYTES {
        return Err(bad(
            "key",
            key,
            format!(
                "a key of {} bytes; S3 keys are at most {} bytes",
                key.len(),
                crate::model::limits::S3_MAX_KEY_BYTES
            ),
        ));
    }
    if key.is_empty() && op != Op::List {
        return Err(bad(
            "key",
            key,
            format!("{} needs an object key", op.name()),
        ));
    }
    let size_s = match cols.size {
        Some(i) => field(i, "size")?.trim(),
        None => "",
    };
    let size = match op {
        Op::Put | Op::Copy | Op::Post | Op::MpuPart => {
            if size_s.is_empty() {
                return Err(bad(
                    "size",
                    size_s,
                    format!("{} needs the object size in bytes", op.name()),
                ));
            }
            parse_size(size_s).map_err(|m| bad("size", size_s, m))?
        }
        Op::Get | Op::MpuComplete if !size_s.is_empty() => {
            parse_size(size_s).map_err(|m| bad("size", size_s, m))?
        }
        Op::Get => WHOLE_OBJECT,
        _ => 0,
    };
    let class = match (op.creates(), cols.storage_class) {
        (true, Some(i)) => {
            let s = field(i, "storage_class")?.trim();
            if s.is_empty() {
                StorageClass::Standard
            } else {
                StorageClass::parse(s).ok_or_else(|| {
                    bad(
                        "storage_class",
                        s,
                        format!(
                            "unknown or unsupported storage class: expected {}",
                            StorageClass::api_names()
                        ),
                    )
                })?
            }
        }
        _ => StorageClass::Standard,
    };
    let tags = match (op.creates(), cols.tags) {
        (true, Some(i)) => {
            let s = field(i, "tags")?.trim();
            if s.is_empty() {
                0
            } else if let Some(&id) = piece.tag_ids.get(s) {
                id
            } else {
                let set = parse_tags(s).map_err(|m| bad("tags", s, m))?;
                piece.tagsets.push((s.to_string(), set));
                let id = piece.tagsets.len() as u32;
                piece.tag_ids.insert(s.to_string(), id);
                id
            }
        }
        _ => 0,
    };
    let vid = if cols.version_id.is_none() && cols.upload_id.is_none() {
        0
    } else {
        parse_id(path, line, cols, get, op, piece)?
    };
    // A write's id goes beside the events; a request's in `tags`, which it does not use.
    let tags = if op.creates() {
        if vid != 0 {
            piece.created_ids.push((piece.events.len() as u32, vid));
        }
        tags
    } else {
        vid
    };
    let start = piece.arena.len() as u32;
    piece.arena.push_str(key);
    piece.spans.push((start, piece.arena.len() as u32));
    let h = key_hash(key);
    piece.hashes.push(h);
    piece.by_shard[(h >> 60) as usize % SHARDS].push(piece.events.len() as u32);
    piece.events.push(Event {
        time,
        size,
        key: 0,
        tags,
        row: 0,
        tier: 0,
        op,
        class,
    });
    Ok(())
}

fn parse_size(s: &str) -> Result<u64, String> {
    if s.starts_with('-') {
        return Err("size must be a non-negative whole number of bytes".into());
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("size must be a whole number of bytes (digits only)".into());
    }
    let v: u64 = s
        .parse()
        .map_err(|_| "larger than S3's largest object (48.8 TiB)".to_string())?;
    if v > crate::model::limits::S3_MAX_OBJECT_BYTES {
        return Err(format!(
            "larger than S3's largest object ({} bytes, 48.8 TiB)",
            crate::model::limits::S3_MAX_OBJECT_BYTES
        ));
    }
    Ok(v)
}

/// `k1=v1&k2=v2` -> sorted (key, value) pairs; keys unique.
fn parse_tags(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for part in s.split('&') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if k.is_empty() {
            return Err(format!(
                "tag {} has no key; write tags as k1=v1&k2=v2",
                crate::model::limits::quoted(part)
            ));
        }
        out.push((k.to_string(), v.to_string()));
        if out.len() > crate::model::limits::S3_MAX_TAGS {
            return Err(format!(
                "more than {} tags; S3 objects have at most {}",
                crate::model::limits::S3_MAX_TAGS,
                crate::model::limits::S3_MAX_TAGS
            ));
        }
    }
    out.sort();
    if let Some(w) = out.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!(
            "tag key {} appears twice",
            crate::model::limits::quoted(&w[0].0)
        ));
    }
    Ok(out)
}

/// The version id or upload id of a record (only for files with those columns; kept out of the
/// common path), interned in the piece: a version id names the version a request reads or
/// deletes (or the one a write creates); an upload id names a multipart upload. Each belongs to
/// its own kind of row.
#[inline(never)]
fn parse_id<'r>(
    path: &str,
    line: u64,
    cols: Columns,
    get: &dyn Fn(usize) -> Option<&'r [u8]>,
    op: Op,
    piece: &mut Piece,
) -> Result<u32, WorkloadError> {
    let bad =
        |column: &str, value: &str, message: String| bad_field(path, line, column, value, &message);
    let id_field = |col: Option<usize>, name: &str| -> Result<&str, WorkloadError> {
        let Some(i) = col else {
            return Ok("");
        };
        let raw = get(i).unwrap_or(b"");
        std::str::from_utf8(raw).map(str::trim).map_err(|e| {
            bad(
                name,
                &String::from_utf8_lossy(
                    &raw[..raw.len().min(4 * crate::model::limits::EXCERPT_CHARS)],
                ),
                format!(
                    "not valid UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
        })
    };
    let version_id = id_field(cols.version_id, "version_id")?;
    let upload_id = id_field(cols.upload_id, "upload_id")?;
    let id = if op.is_multipart() {
        if !version_id.is_empty() {
            return Err(bad(
                "version_id",
                version_id,
                format!("{} takes an upload_id, not a version_id", op.name()),
            ));
        }
        upload_id
    } else {
        if !upload_id.is_empty() {
            return Err(bad(
                "upload_id",
                upload_id,
                format!(
                    "only multipart-upload requests take an upload_id, not {}",
                    op.name()
                ),
            ));
        }
        if op == Op::List && !version_id.is_empty() {
            return Err(bad(
                "version_id",
                version_id,
                "LIST takes no version_id".into(),
            ));
        }
        version_id
    };
    if id.len() > crate::model::limits::MAX_ID_BYTES {
        let column = if op.is_multipart() {
            "upload_id"
        } else {
            "version_id"
        };
        return Err(bad(
            column,
            id,
            format!(
                "an id of {} bytes; s3sim reads ids of at most {} bytes",
                id.len(),
                crate::model::limits::MAX_ID_BYTES
            ),
        ));
    }
    Ok(if id.is_empty() {
        0
    } else if let Some(&v) = piece.id_map.get(id) {
        v
    } else {
        piece.ids.push(id.to_string());
        let v = piece.ids.len() as u32;
        piece.id_map.insert(id.to_string(), v);
        v
    })
}

/// A bad field: the value and the message cut to excerpts.
fn bad_field(path: &str, line: u64, column: &str, value: &str, message: &str) -> WorkloadError {
    WorkloadError::Field {
        path: path.to_string(),
        line,
        column: column.to_string(),
        value: crate::model::limits::excerpt(value),
        message: crate::model::limits::cut_message(message),
    }
}
