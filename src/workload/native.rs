//! The native workload CSV (SPEC §2.1): header by name, `#` comments, any row order.
//!
//! The file is read in blocks; each block is cut at record boundaries into pieces parsed in
//! parallel, each with its own key table; the pieces are then merged in file order, so key ids,
//! row order and error messages are the same whatever the number of threads.

use std::io::Read;

use rustc_hash::FxHashMap;

use super::{Event, Source, WHOLE_OBJECT, Workload, WorkloadError};
use crate::model::time::parse_timestamp;
use crate::model::{Op, StorageClass};
use crate::prefetch::{AHEAD, prefetch};

/// Bytes read per block; a block is parsed by all threads at once.
const BLOCK: usize = 8 << 20;

#[derive(Debug, Clone, Copy)]
struct Columns {
    timestamp: usize,
    op: usize,
    key: usize,
    size: Option<usize>,
    storage_class: Option<usize>,
    tags: Option<usize>,
}

/// Key tables are split by key hash into this many shards, interned in parallel. A constant, so key
/// ids do not depend on the thread count.
const SHARDS: usize = 16;

/// What one piece of a block parsed to. Event keys are filled in by the interning step. Pieces
/// are reused from block to block, so their buffers are allocated once.
#[derive(Default)]
struct Piece {
    events: Vec<Event>,
    /// The keys' bytes, back to back, and each event's (start, end) in it and its key's hash.
    arena: String,
    spans: Vec<(u32, u32)>,
    hashes: Vec<u64>,
    /// Event indexes by shard of their key's hash.
    by_shard: [Vec<u32>; SHARDS],
    /// Raw tag strings and their parsed sets; local tag id i + 1 is entry i.
    tagsets: Vec<(String, Vec<(String, String)>)>,
    tag_ids: FxHashMap<String, u32>,
    /// Newlines in the piece, to number the lines of the next one.
    newlines: u64,
    /// Fields of the current line (fast path).
    fields: Vec<(usize, usize)>,
}

impl Piece {
    fn clear(&mut self) {
        self.events.clear();
        self.arena.clear();
        self.spans.clear();
        self.hashes.clear();
        self.by_shard.iter_mut().for_each(Vec::clear);
        self.tagsets.clear();
        self.tag_ids.clear();
        self.newlines = 0;
    }
}

/// One shard of the key table: an open-addressing hash table of key ids (shard-local, in order of
/// first appearance), the keys' bytes back to back, and where each key ends. Compact, so that a
/// shard's table stays in the processor's caches while it is interned.
struct Shard {
    /// 0 = empty, else (the hash's bits 32..64) << 32 | (id + 1).
    slots: Vec<u64>,
    arena: String,
    ends: Vec<usize>,
}

impl Default for Shard {
    fn default() -> Shard {
        Shard {
            slots: vec![0; 1024],
            arena: String::new(),
            ends: Vec::new(),
        }
    }
}

impl Shard {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn key(&self, id: usize) -> &str {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.arena[start..self.ends[id]]
    }

    /// The id of `key` (hash `h`), adding it if new.
    fn id(&mut self, key: &str, h: u64) -> u32 {
        let mask = self.slots.len() - 1;
        let tag = h >> 32;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            let id = (slot as u32 - 1) as usize;
            if slot >> 32 == tag && self.key(id) == key {
                return id as u32;
            }
            i = (i + 1) & mask;
        }
        let id = self.ends.len();
        self.arena.push_str(key);
        self.ends.push(self.arena.len());
        self.slots[i] = tag << 32 | (id as u64 + 1);
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        id as u32
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let id = (slot as u32 - 1) as usize;
            let h = key_hash(self.key(id));
            let mut i = h as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Interns the keys of `pieces` that fall in shard `s`, in file order; returns, per piece, the
    /// shard-local id of each listed event.
    fn intern(&mut self, s: usize, pieces: &[Piece]) -> Vec<Vec<u32>> {
        pieces
            .iter()
            .map(|p| {
                let list = &p.by_shard[s];
                let mut ids = Vec::with_capacity(list.len());
                for (j, &i) in list.iter().enumerate() {
                    if let Some(&ahead) = list.get(j + AHEAD) {
                        let h = p.hashes[ahead as usize];
                        prefetch(&self.slots, h as usize & (self.slots.len() - 1));
                    }
                    let (a, b) = p.spans[i as usize];
                    ids.push(self.id(&p.arena[a as usize..b as usize], p.hashes[i as usize]));
                }
                ids
            })
            .collect()
    }
}

/// Parses a native CSV from `reader`; `path` names it in errors.
pub fn read_native_csv<R: Read + Send>(
    path: &str,
    mut reader: R,
) -> Result<Workload, WorkloadError> {
    use rayon::prelude::*;
    let io_err = |source| WorkloadError::Io {
        path: path.to_string(),
        source,
    };
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + (1 << 16));
    let mut eof = fill(&mut reader, &mut buf, BLOCK).map_err(io_err)?;
    let (cols, data_start, header_lines) = read_header(path, &buf)?;
    buf.drain(..data_start);
    let mut line_base = header_lines; // lines before the current piece's first byte
    let mut shards: Vec<Shard> = (0..SHARDS).map(|_| Shard::default()).collect();
    let mut tagsets: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut tag_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut events: Vec<Event> = Vec::new();
    let threads = rayon::current_num_threads();
    let max_keys = u32::MAX as usize / SHARDS;
    // Pieces being parsed, and those of the block before, parsed and interned, whose events are
    // appended to `events` while the next block is parsed.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut done: Vec<Piece> = Vec::new();
    let append = |events: &mut Vec<Event>, done: &[Piece]| {
        for piece in done {
            events.extend_from_slice(&piece.events);
        }
    };
    let mut next: Vec<u8> = Vec::with_capacity(BLOCK + (1 << 16));
    loop {
        if !eof && buf.len() < BLOCK {
            eof = fill(&mut reader, &mut buf, BLOCK).map_err(io_err)?;
        }
        // Where records end (only needed, and only found, when the block has quotes).
        let ends: Option<Vec<usize>> = memchr::memchr(b'"', &buf).map(|_| record_ends(&buf));
        let cut = if eof {
            buf.len()
        } else {
            last_record_end(&buf, ends.as_deref())
        };
        if cut == 0 && !eof {
            // One record longer than a block: read more.
            let want = buf.len() * 2;
            eof = fill(&mut reader, &mut buf, want).map_err(io_err)?;
            continue;
        }
        let ranges = split_records(&buf[..cut], threads * 8, ends.as_deref());
        pieces.resize_with(ranges.len(), Piece::default);
        // Parse this block while reading the next one (the reader may hash what it reads).
        next.clear();
        next.extend_from_slice(&buf[cut..]);
        let (read_next, parsed) = rayon::join(
            || {
                append(&mut events, &done);
                if eof {
                    Ok(true)
                } else {
                    fill(&mut reader, &mut next, BLOCK)
                }
            },
            || {
                pieces
                    .par_iter_mut()
                    .zip(&ranges)
                    .map(|(piece, r)| parse_piece(path, &buf[r.clone()], cols, piece))
                    .collect::<Vec<Result<(), WorkloadError>>>()
            },
        );
        for (result, piece) in parsed.into_iter().zip(&pieces) {
            result.map_err(|e| with_line_base(e, line_base))?;
            line_base += piece.newlines;
        }
        eof = read_next.map_err(io_err)?;
        // Intern keys, shard by shard in parallel; a key id is (shard-local id) * SHARDS + shard
        // until every shard's size is known.
        let local: Vec<Vec<Vec<u32>>> = shards
            .par_iter_mut()
            .enumerate()
            .map(|(s, shard)| shard.intern(s, &pieces))
            .collect();
        if shards.iter().any(|s| s.len() > max_keys) {
            return Err(WorkloadError::File {
                path: path.to_string(),
                message: format!(
                    "too many distinct keys (s3sim handles up to {})",
                    max_keys * SHARDS
                ),
            });
        }
        pieces.par_iter_mut().enumerate().for_each(|(p, piece)| {
            for (s, ids) in local.iter().enumerate() {
                for (&i, &id) in piece.by_shard[s].iter().zip(&ids[p]) {
                    piece.events[i as usize].key = id * SHARDS as u32 + s as u32;
                }
            }
        });
        for piece in &mut pieces {
            let mut tag_map: Vec<u32> = vec![0];
            for (raw, set) in piece.tagsets.drain(..) {
                let id = *tag_ids.entry(raw).or_insert_with(|| {
                    tagsets.push(set);
                    (tagsets.len() - 1) as u32
                });
                tag_map.push(id);
            }
            if tag_map.len() > 1 {
                for e in &mut piece.events {
                    e.tags = tag_map[e.tags as usize];
                }
            }
        }
        std::mem::swap(&mut pieces, &mut done);
        std::mem::swap(&mut buf, &mut next);
        if eof && buf.is_empty() {
            break;
        }
    }
    append(&mut events, &done);
    drop((pieces, done, buf, next));
    if events.is_empty() {
        return Err(WorkloadError::File {
            path: path.to_string(),
            message: "contains no events (only a header or comments)".into(),
        });
    }
    if events.len() > u32::MAX as usize {
        return Err(WorkloadError::File {
            path: path.to_string(),
            message: format!(
                "has {} events; s3sim reads at most 2^32 - 1 per file: split it",
                events.len()
            ),
        });
    }
    crate::timing::mark("  parsed");
    // Dense ids: shard s's keys get ids offset[s] .. offset[s] + its size.
    let mut offset = [0u32; SHARDS];
    let mut keys: Vec<Box<str>> = Vec::with_capacity(shards.iter().map(Shard::len).sum());
    let boxed: Vec<Vec<Box<str>>> = shards
        .into_par_iter()
        .map(|shard| {
            (0..shard.len())
                .map(|id| Box::from(shard.key(id)))
                .collect()
        })
        .collect();
    for (s, shard) in boxed.into_iter().enumerate() {
        offset[s] = keys.len() as u32;
        keys.extend(shard);
    }
    events.par_iter_mut().for_each(|e| {
        let s = e.key as usize % SHARDS;
        e.key = offset[s] + e.key / SHARDS as u32;
    });
    crate::timing::mark("  keys numbered");
    let rows = events.len() as u64;
    let mut wl = Workload::from_events(path, keys, tagsets, events);
    crate::timing::mark("  rows numbered");
    wl.source = Source {
        path: path.into(),
        bytes: 0,
        sha256: String::new(),
        rows,
    };
    Ok(wl)
}

/// Appends to `buf` until it holds `want` bytes or the reader ends; returns true at the end.
fn fill<R: Read>(reader: &mut R, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let need = want.saturating_sub(buf.len()) as u64;
    let got = reader.take(need).read_to_end(buf)? as u64;
    Ok(got < need)
}

/// The byte just after the last newline that ends a record, or 0. `ends`: the record ends from
/// [`record_ends`] when `b` has quotes (None: every newline ends a record).
fn last_record_end(b: &[u8], ends: Option<&[usize]>) -> usize {
    match ends {
        None => memchr::memrchr(b'\n', b).map_or(0, |nl| nl + 1),
        Some(e) => e.last().copied().unwrap_or(0),
    }
}

/// Cuts whole records into about `n` pieces at record ends (`ends` as for [`last_record_end`];
/// ends beyond `b` are ignored).
fn split_records(b: &[u8], n: usize, ends: Option<&[usize]>) -> Vec<std::ops::Range<usize>> {
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
fn record_ends(b: &[u8]) -> Vec<usize> {
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

fn with_line_base(e: WorkloadError, base: u64) -> WorkloadError {
    match e {
        WorkloadError::Field {
            path,
            line,
            column,
            value,
            message,
        } => WorkloadError::Field {
            path,
            line: line + base,
            column,
            value,
            message,
        },
        WorkloadError::Line {
            path,
            line,
            message,
        } => WorkloadError::Line {
            path,
            line: line + base,
            message,
        },
        other => other,
    }
}

/// Finds the header row (after any comment lines): the columns, the byte where data starts and the
/// number of lines up to there.
fn read_header(path: &str, buf: &[u8]) -> Result<(Columns, usize, u64), WorkloadError> {
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
    let find = |n: &str| names.iter().position(|h| h == n);
    let require = |n: &str| {
        find(n).ok_or_else(|| {
            file_err(format!(
                "missing required column '{n}' in the header (found: {}); SPEC §2.1 needs timestamp, op, key and, for PUT, size",
                names.join(",")
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
    };
    Ok((cols, data_start, header_lines))
}

/// Parses whole records into `piece` (cleared first); line numbers in errors are relative to the
/// piece (1 = its first line). Pieces without quotes or carriage returns (the usual case) are split
/// by hand, others by the csv crate; both read the same records.
fn parse_piece(
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
            value: String::from_utf8_lossy(raw).into_owned(),
            message: format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        })
    };
    let bad = |column: &str, value: &str, message: String| WorkloadError::Field {
        path: path.to_string(),
        line,
        column: column.to_string(),
        value: value.to_string(),
        message,
    };
    let ts = field(cols.timestamp, "timestamp")?;
    let time = parse_timestamp(ts).ok_or_else(|| {
        bad(
            "timestamp",
            ts,
            "not a timestamp: use RFC 3339 (2026-01-15T10:30:00Z) or Unix seconds".into(),
        )
    })?;
    let op_s = field(cols.op, "op")?;
    let op = Op::parse(op_s).ok_or_else(|| {
        bad(
            "op",
            op_s,
            "unknown operation: expected PUT, GET, HEAD, DELETE, COPY, POST or LIST".into(),
        )
    })?;
    let key = field(cols.key, "key")?;
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
        Op::Put | Op::Copy | Op::Post => {
            if size_s.is_empty() {
                return Err(bad(
                    "size",
                    size_s,
                    format!("{} needs the object size in bytes", op.name()),
                ));
            }
            parse_size(size_s).map_err(|m| bad("size", size_s, m))?
        }
        Op::Get if !size_s.is_empty() => parse_size(size_s).map_err(|m| bad("size", size_s, m))?,
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
                        "unknown or unsupported storage class: expected STANDARD, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE".into(),
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

/// A key's hash: FxHash, deterministic across runs and machines. Its top bits pick the shard.
fn key_hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
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
        .map_err(|_| "size does not fit in 64 bits (max 18446744073709551614 bytes)".to_string())?;
    if v == u64::MAX {
        return Err("size does not fit in 64 bits (max 18446744073709551614 bytes)".into());
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
                "tag '{part}' has no key; write tags as k1=v1&k2=v2"
            ));
        }
        out.push((k.to_string(), v.to_string()));
    }
    out.sort();
    if let Some(w) = out.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!("tag key '{}' appears twice", w[0].0));
    }
    Ok(out)
}

/// The line (from 1) of the record the csv crate places at byte `at` of `bytes`. The crate's
/// position is where the record before ended, before any blank and comment lines: skip those.
fn line_at(bytes: &[u8], at: usize) -> u64 {
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
fn csv_error(path: &str, e: csv::Error, bytes: &[u8]) -> WorkloadError {
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
#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::with_threads;

    fn read(text: &str) -> Result<Workload, WorkloadError> {
        read_native_csv("w.csv", text.as_bytes()).map(Workload::grouped)
    }

    /// Pieces without quotes or carriage returns are split by hand; with CRLF line ends the same
    /// text goes through the csv crate. Both must read the same events, keys, tags and errors.
    #[test]
    fn hand_split_and_csv_crate_read_alike() {
        let text = "# comment, with a comma\ntimestamp,op,key,size,storage_class,tags\n\
                    2026-01-02T00:00:00Z,GET,a/b.txt\n\
                    \n\
                    2026-01-01T00:00:00.5Z,PUT,a/b.txt,100,STANDARD_IA,b=2&a=1\n\
                    # another comment\n\
                    1767225600,PUT,c,5,,\n\
                    2026-01-03T00:00:00Z,LIST,,,,\n\
                    2026-01-03T00:00:01Z,DELETE,c,,,,extra\n";
        let fast = read_native_csv("w.csv", text.as_bytes()).unwrap();
        let crlf = text.replace('\n', "\r\n");
        let slow = read_native_csv("w.csv", crlf.as_bytes()).unwrap();
        assert_eq!(fast.events, slow.events);
        assert_eq!(fast.keys, slow.keys);
        assert_eq!(fast.tagsets, slow.tagsets);
        assert_eq!(fast.events.len(), 5);
        assert_eq!(fast.events[1].time, 1767225600 * 1_000_000 + 500_000);
        // Errors name the same line either way: line 7 is the bad one.
        let bad = text.replace("1767225600,PUT,c,5", "1767225600,PUT,c,-5");
        let e1 = read_native_csv("w.csv", bad.as_bytes())
            .unwrap_err()
            .to_string();
        let bad_crlf = bad.replace('\n', "\r\n");
        let e2 = read_native_csv("w.csv", bad_crlf.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e1.starts_with("w.csv:7: column 'size'"), "{e1}");
        assert_eq!(e1, e2);
    }

    /// A quote inside a field (not at its start) is a plain character to the csv crate, as is one
    /// in a comment: it must not make the reader cut records inside a later quoted field (this
    /// once gave a wrong error, and took quadratic time).
    #[test]
    fn stray_quotes_do_not_misplace_cuts() {
        let mut text = String::from("# say \"hi\ntimestamp,op,key,size\n1767225600,PUT,a\"b,1\n");
        let n = 3 * BLOCK / 40;
        for i in 0..n {
            text.push_str(&format!("{},PUT,\"k\n{i}\",{}\n", 1767225600 + i, i + 1));
        }
        for threads in [1, 3] {
            let w = with_threads(threads, || read_native_csv("w.csv", text.as_bytes())).unwrap();
            assert_eq!(w.events.len(), n + 1);
            assert_eq!(&*w.keys[w.events[0].key as usize], "a\"b");
            let last = w.events[n];
            assert_eq!(&*w.keys[last.key as usize], format!("k\n{}", n - 1));
            assert_eq!(last.size, n as u64);
        }
    }

    /// Blocks are parsed in pieces, in parallel; a file of many blocks gives the same workload
    /// with any number of threads (key ids, rows and line numbers included).
    #[test]
    fn many_blocks_read_alike_for_any_thread_count() {
        let mut text = String::from("timestamp,op,key,size\n");
        for i in 0..(3 * BLOCK / 40) {
            text.push_str(&format!(
                "{},{},k/{}/obj-{},{}\n",
                1767225600 + i / 7,
                if i % 3 == 0 { "PUT" } else { "GET" },
                i % 97,
                (i * 7919) % 50_000,
                if i % 3 == 0 { "10" } else { "" }
            ));
        }
        let read_with = |threads| {
            with_threads(threads, || {
                read_native_csv("w.csv", text.as_bytes()).unwrap()
            })
        };
        let (a, b) = (read_with(1), read_with(3));
        assert!(a.events.len() > 2 * BLOCK / 40);
        assert_eq!(a.events, b.events);
        assert_eq!(a.keys, b.keys);
        // Keys are interned: one id per distinct key, and every event names its own key.
        let distinct: std::collections::HashSet<&str> = a.keys.iter().map(|k| &**k).collect();
        assert_eq!(distinct.len(), a.keys.len());
        let line = text.lines().nth(1 + 123_456).unwrap();
        let e = a.events[123_456];
        assert!(
            line.contains(&format!(",{},", a.keys[e.key as usize])),
            "{line}"
        );
    }

    #[test]
    fn reads_rows_in_any_order_with_optional_columns() {
        let wl = read(
            "# a comment\ntimestamp,op,key,size,storage_class,tags,extra\n\
             2026-01-02T00:00:00Z,get,a,,,,x\n\
             2026-01-01T00:00:00Z,PUT,a,100,STANDARD_IA,b=2&a=1,y\n\
             1767225600,PUT,b,5,,,\n",
        )
        .unwrap();
        assert_eq!(wl.keys.len(), 2);
        assert_eq!(wl.events.len(), 3);
        // Each key's events are contiguous and in time order: a's PUT, then a's GET.
        let of = |k: &str| -> Vec<Event> {
            wl.events
                .iter()
                .filter(|e| &*wl.keys[e.key as usize] == k)
                .copied()
                .collect()
        };
        let (a, b) = (of("a"), of("b"));
        let e = [a[0], a[1], b[0]];
        let first_a = wl.events.iter().position(|x| *x == a[0]).unwrap();
        assert_eq!(wl.events[first_a + 1], a[1]);
        assert_eq!(
            (e[0].op, e[0].class, e[0].size),
            (Op::Put, StorageClass::StandardIa, 100)
        );
        assert_eq!(
            wl.tagsets[e[0].tags as usize],
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!((e[1].op, e[1].size), (Op::Get, WHOLE_OBJECT));
        assert_eq!((e[2].op, e[2].size), (Op::Put, 5));
        assert_eq!(e[2].time, e[0].time); // 1767225600 = 2026-01-01T00:00:00Z
    }

    #[test]
    fn errors_name_line_column_and_value() {
        let err = read(
            "timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,12\n2026-13-01T00:00:00Z,PUT,a,12\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("w.csv:3") && err.contains("'timestamp'") && err.contains("2026-13-01"),
            "{err}"
        );
        let err = read("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,-12\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("w.csv:2") && err.contains("'size'") && err.contains("non-negative"),
            "{err}"
        );
        let err = read("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a,99999999999999999999\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("64 bits"), "{err}");
        let err = read("timestamp,op,key\n2026-01-01T00:00:00Z,FETCH,a\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("'op'") && err.contains("FETCH"), "{err}");
        let err = read("timestamp,key,size\n").unwrap_err().to_string();
        assert!(err.contains("missing required column 'op'"), "{err}");
        let err = read("").unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
        let err = read(
            "timestamp,op,key,size,storage_class\n2026-01-01T00:00:00Z,PUT,a,1,EXPRESS_ONEZONE\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("'storage_class'") && err.contains("EXPRESS_ONEZONE"),
            "{err}"
        );
        let err = read("timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs the object size"), "{err}");
        let err = read_native_csv(
            "w.csv",
            &b"timestamp,op,key,size\n2026-01-01T00:00:00Z,PUT,a\xff,1\n"[..],
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("w.csv:2") && err.contains("'key'") && err.contains("UTF-8"),
            "{err}"
        );
        let err = read("timestamp,op,key,size,tags\n2026-01-01T00:00:00Z,PUT,a,1,x=1&x=2\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("appears twice"), "{err}");
    }

    #[test]
    fn header_only_is_an_error() {
        let err = read("timestamp,op,key,size\n# nothing\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no events"), "{err}");
    }

    #[test]
    fn chunks_never_split_a_key() {
        let mut text = String::from("timestamp,op,key,size\n");
        for k in 0..10 {
            for i in 0..(k + 1) {
                text.push_str(&format!("{},PUT,k{k},1\n", 1_700_000_000 + i));
            }
        }
        let wl = read(&text).unwrap();
        for n in 1..8 {
            let chunks = wl.chunks(n);
            assert_eq!(
                chunks.iter().map(|c| c.len()).sum::<usize>(),
                wl.events.len()
            );
            for c in &chunks[1..] {
                assert_ne!(wl.events[c.start].key, wl.events[c.start - 1].key);
            }
        }
    }

    /// Enough rows to be cut into several pieces (each at least 64 KiB).
    fn big_csv(rows: usize, bad_row: Option<usize>) -> String {
        let mut s = String::from("# generated\ntimestamp,op,key,size\n");
        for i in 0..rows {
            if Some(i) == bad_row {
                s.push_str("2026-01-01T00:00:00Z,PUT,bad,twelve\n");
            } else if i % 1000 == 7 {
                // A quoted key with a comma, a quote and a newline inside.
                s.push_str(&format!(
                    "{},PUT,\"q,\"\"{i}\"\"\nline\",{i}\n",
                    1_767_225_600 + i
                ));
            } else {
                s.push_str(&format!(
                    "{},{},k{},{}\n",
                    1_767_225_600 + i,
                    if i % 3 == 0 { "PUT" } else { "GET" },
                    i % 5000,
                    i
                ));
            }
        }
        s
    }

    #[test]
    fn pieces_are_cut_outside_quotes() {
        let text = big_csv(20_000, None);
        let body = text.as_bytes();
        let pieces = split_records(body, 8, Some(&record_ends(body)));
        assert!(pieces.len() > 4, "{} pieces", pieces.len());
        for r in &pieces {
            let quotes = body[..r.start].iter().filter(|&&b| b == b'"').count();
            assert_eq!(
                quotes % 2,
                0,
                "piece starting at {} begins inside quotes",
                r.start
            );
        }
        assert_eq!(pieces.last().unwrap().end, body.len());
    }

    #[test]
    fn parallel_parse_equals_single_thread() {
        let text = big_csv(20_000, None);
        let a = with_threads(1, || read_native_csv("w.csv", text.as_bytes()).unwrap());
        let b = with_threads(4, || read_native_csv("w.csv", text.as_bytes()).unwrap());
        assert_eq!(a.keys, b.keys);
        assert_eq!(a.events, b.events);
        assert_eq!(a.events.len(), 20_000);
        assert!(
            a.keys.iter().any(|k| &**k == "q,\"7\"\nline"),
            "quoted key kept whole"
        );
    }

    #[test]
    fn errors_in_later_pieces_name_the_right_line() {
        // Header on line 2 (after a comment); row i is on line i + 3, plus one extra line for each
        // quoted key with a newline before it (rows 7, 1007, ...).
        let bad = 15_000;
        let text = big_csv(20_000, Some(bad));
        let extra = (0..bad).filter(|i| i % 1000 == 7).count();
        let want = format!("w.csv:{}:", bad + 3 + extra);
        for threads in [1, 3] {
            let err = with_threads(threads, || {
                read_native_csv("w.csv", text.as_bytes())
                    .unwrap_err()
                    .to_string()
            });
            assert!(
                err.contains(&want) && err.contains("twelve"),
                "{threads} threads: {err} (want {want})"
            );
        }
    }

    /// Grouping by key gives the same, correctly ordered events for any number of threads.
    #[test]
    fn grouping_is_the_same_for_any_thread_count() {
        let text = big_csv(20_000, None);
        let raw = read_native_csv("w.csv", text.as_bytes()).unwrap();
        let runs: Vec<Vec<Event>> = [1, 2, 3, 8]
            .iter()
            .map(|&n| with_threads(n, || raw.clone().grouped().events))
            .collect();
        for r in &runs[1..] {
            assert_eq!(r, &runs[0]);
        }
        let g = &runs[0];
        assert_eq!(g.len(), raw.events.len());
        // Each key's events in (time, row) order.
        assert!(
            g.windows(2)
                .all(|w| w[0].key != w[1].key || (w[0].time, w[0].row) < (w[1].time, w[1].row))
        );
        let mut keys: Vec<u32> = g.iter().map(|e| e.key).collect();
        keys.dedup();
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n, "each key's events are contiguous");
    }
}
