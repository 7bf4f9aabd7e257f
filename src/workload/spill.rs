//! Bounded memory (`run --max-memory`): the input is read once, and each line written to one of
//! [`BUCKETS`] spill files by the hash of its key's request-rate partition (keyed as
//! `s3sim shard-key` keys it), while the whole input's facts (first and last request, version
//! ids) are gathered. Buckets are then read a group at a time, each group as a workload of its
//! own: a set of whole partitions, which is all a shard is (SPEC §10), so the groups' results
//! add up to the whole input's.
//!
//! Spill files: a workload CSV's group is a workload CSV (the header, then its rows in input
//! order); a group of line files (access logs, IBM traces) holds `FILE<TAB>LINE<TAB>BYTES`
//! lines (FILE an index into [`Spilled::files`], LINE the line's number in its file, BYTES the
//! line as read), in input order, so a group reads its lines as `run` reads them, with their own
//! file names and line numbers. Lines that are no request (blank, comments, bad lines) go to
//! group 0, so bad-line notes are counted once, in input order.

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::records::{InputFacts, Keyer};
use super::{
    Builder, Format, GZIP_MAGIC, ReadOptions, Workload, WorkloadError, accesslog, files_in, hex,
    ibm,
};
use crate::model::limits::MAX_LINE_BYTES;
use crate::sim::throughput::{partition_hash, partition_of};

/// Lines keyed at once (a block of a workload CSV is parsed whole).
const BLOCK_LINES: usize = 1 << 18;
/// Spill files: enough that one holds a small share of any input, few enough to keep open.
pub const BUCKETS: u32 = 512;
/// The column a workload CSV's spill adds in front: each row's line in the input.
const LINE_COLUMN: &str = "s3sim_line";

/// An input spilled into groups.
pub struct Spilled {
    pub dir: PathBuf,
    /// Whether the input is one workload CSV (else line files).
    pub native: bool,
    /// The line files, by index, with their formats.
    pub files: Vec<(String, Format)>,
    /// Line files that were empty (`run` notes them).
    pub empty_files: u64,
    pub facts: InputFacts,
    /// Lines in each bucket.
    pub lines: Vec<u64>,
    /// The input's size and SHA-256, as `run` records them.
    pub input_bytes: u64,
    pub sha256: String,
    _cleanup: crate::cleanup::Staged,
}

impl Drop for Spilled {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Spilled {
    fn group_path(&self, g: u32) -> PathBuf {
        group_path(&self.dir, g)
    }
}

fn group_path(dir: &Path, g: u32) -> PathBuf {
    dir.join(format!("group-{g:05}"))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> WorkloadError + '_ {
    move |source| WorkloadError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Opens a file, gunzipping gzip; its SHA-256 (of the bytes as stored, as `run` records it) is
/// computed on another thread, which the OS page cache serves.
fn open(path: &Path) -> Result<(Box<dyn BufRead + Send>, Hashing), WorkloadError> {
    let mut head = [0u8; 2];
    let gz = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head).map(|n| n == 2 && head == GZIP_MAGIC))
        .map_err(io(path))?;
    let file = std::fs::File::open(path).map_err(io(path))?;
    let hash_path = path.to_path_buf();
    let hasher = std::thread::spawn(move || super::sha256_file(&hash_path));
    let reader: Box<dyn BufRead + Send> = if gz {
        Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            flate2::read::MultiGzDecoder::new(std::io::BufReader::with_capacity(1 << 20, file)),
        ))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    Ok((reader, hasher))
}

/// The thread hashing a file.
type Hashing = std::thread::JoinHandle<std::io::Result<String>>;

/// The SHA-256 the hashing thread computed.
fn digest(path: &Path, hasher: Hashing) -> Result<String, WorkloadError> {
    hasher
        .join()
        .map_err(|_| WorkloadError::File {
            path: path.display().to_string(),
            message: "hashing thread failed".into(),
        })?
        .map_err(io(path))
}

/// The next line of `reader` into `buf` (its newline and trailing `\r`s removed, as `run`'s
/// line readers do); false at the end. A line longer than `run` reads is an error.
fn next_line(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    path: &Path,
    line_no: u64,
) -> Result<bool, WorkloadError> {
    buf.clear();
    let n = reader
        .take(MAX_LINE_BYTES as u64 + 2)
        .read_until(b'\n', buf)
        .map_err(io(path))?;
    if n == 0 {
        return Ok(false);
    }
    if buf.len() > MAX_LINE_BYTES + 1 && buf.last() != Some(&b'\n') {
        return Err(WorkloadError::too_long(
            &path.display().to_string(),
            line_no,
        ));
    }
    while buf.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
        buf.pop();
    }
    Ok(true)
}

/// Bytes read at once by the chunked readers (more than the longest line s3sim reads).
const CHUNK: usize = 8 << 20;

/// One line's span in a chunk: its number in the file, and its bytes `start..end`.
type Span = (u64, usize, usize);

/// Calls `f(chunk, lines)` for successive chunks of whole lines of `reader`, about [`CHUNK`]
/// bytes each; `lines` holds each line's number and span in `chunk` (without its newline).
fn for_each_chunk(
    reader: &mut dyn BufRead,
    path: &Path,
    mut f: impl FnMut(&[u8], &[Span]) -> Result<(), WorkloadError>,
) -> Result<(), WorkloadError> {
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + (1 << 16));
    let mut spans: Vec<Span> = Vec::new();
    let mut line_no = 0u64;
    let mut eof = false;
    loop {
        if !eof && buf.len() < CHUNK {
            let want = (CHUNK - buf.len()) as u64;
            let n = (&mut *reader)
                .take(want)
                .read_to_end(&mut buf)
                .map_err(io(path))?;
            eof = (n as u64) < want;
        }
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => {
                    return Err(WorkloadError::too_long(
                        &path.display().to_string(),
                        line_no + 1,
                    ));
                }
            }
        };
        spans.clear();
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[..cut]) {
            line_no += 1;
            spans.push((line_no, start, nl));
            start = nl + 1;
        }
        if start < cut {
            line_no += 1;
            spans.push((line_no, start, cut));
        }
        if let Some(&(n, _, _)) = spans.iter().find(|&&(_, a, b)| b - a > MAX_LINE_BYTES) {
            return Err(WorkloadError::too_long(&path.display().to_string(), n));
        }
        f(&buf[..cut], &spans)?;
        buf.drain(..cut);
        if eof && buf.is_empty() {
            return Ok(());
        }
    }
}

/// How a row of a workload CSV was judged by hand.
enum Row<'a> {
    /// A blank line or a comment.
    Skip,
    /// A plain row (no quote, no carriage return): its key, and its time when it reads as one.
    Plain(&'a str, Option<crate::model::Micros>),
    /// A row the workload CSV reader must read (quoted, or not UTF-8).
    Hard,
}

/// Whether a timestamp is RFC 3339 in UTC with a fixed layout (`2026-01-15T10:30:00Z`, with or
/// without a fraction of a second): such stamps of one length sort as their instants do.
fn fixed_utc(ts: &str) -> bool {
    let b = ts.as_bytes();
    let n = b.len();
    (n == 20 || (n > 21 && b[19] == b'.'))
        && n <= 32
        && b[n - 1] == b'Z'
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 if n > 20 => c == b'.',
            _ if i == n - 1 => true,
            _ => c.is_ascii_digit(),
        })
}

/// The earliest and latest of fixed-layout stamps, by length (20 to 32), as strings.
#[derive(Default, Clone, Copy)]
struct Extremes<'a>([Option<(&'a str, &'a str)>; 13]);

impl<'a> Extremes<'a> {
    fn add(mut self, ts: &'a str) -> Self {
        let e = &mut self.0[ts.len() - 20];
        *e = Some(match *e {
            None => (ts, ts),
            Some((lo, hi)) => (lo.min(ts), hi.max(ts)),
        });
        self
    }

    /// Widens `facts` by the instants of the extremes.
    fn widen(&self, facts: &mut InputFacts) {
        for &(lo, hi) in self.0.iter().flatten() {
            for t in [lo, hi] {
                if let Some(t) = crate::model::time::parse_timestamp(t) {
                    widen(facts, t);
                }
            }
        }
    }
}

/// Whether the workload CSV reader skips a line: blank (a lone carriage return too) or a comment
/// (`#` first).
fn skipped_row(bytes: &[u8]) -> bool {
    bytes.is_empty() || bytes == b"\r" || bytes[0] == b'#'
}

/// Judges rows in parallel by their key and timestamp columns; the times of fixed-layout UTC
/// stamps are not read row by row but as the extremes, which `facts` is widened by.
fn judge<'a>(
    chunk: &'a [u8],
    rows: &[Span],
    kc: usize,
    tc: usize,
    facts: &mut InputFacts,
) -> Vec<Row<'a>> {
    use rayon::prelude::*;
    let judged: Vec<(Row<'a>, Option<&'a str>)> = rows
        .par_iter()
        .map(|&(_, a, b)| {
            let bytes = &chunk[a..b];
            if skipped_row(bytes) {
                return (Row::Skip, None);
            }
            if memchr::memchr2(b'"', b'\r', bytes).is_some() {
                return (Row::Hard, None);
            }
            let (key, ts) = key_and_time(bytes, kc, tc);
            // Only these two fields must be text here; the reader checks the rest.
            let (Ok(key), Ok(ts)) = (std::str::from_utf8(key), std::str::from_utf8(ts)) else {
                return (Row::Hard, None);
            };
            if fixed_utc(ts) {
                (Row::Plain(key, None), Some(ts))
            } else {
                (
                    Row::Plain(key, crate::model::time::parse_timestamp(ts)),
                    None,
                )
            }
        })
        .collect();
    judged
        .iter()
        .fold(Extremes::default(), |e, (_, ts)| match ts {
            Some(ts) => e.add(ts),
            None => e,
        })
        .widen(facts);
    judged.into_iter().map(|(r, _)| r).collect()
}

/// The header line of a workload CSV (the first line that is not blank or a comment) among
/// `rows`: its text and the rows after it; None when there is none among them.
fn find_header<'a>(
    chunk: &[u8],
    rows: &'a [Span],
    path: &str,
) -> Result<Option<(String, &'a [Span])>, WorkloadError> {
    for (i, &(n, a, b)) in rows.iter().enumerate() {
        let line = std::str::from_utf8(&chunk[a..b]).map_err(|e| WorkloadError::Line {
            path: path.to_string(),
            line: n,
            message: format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
        })?;
        // As the reader finds it: the first line that is not empty or a `#` comment.
        if !skipped_row(line.as_bytes()) {
            return Ok(Some((
                line.trim_end_matches('\r').to_string(),
                &rows[i + 1..],
            )));
        }
    }
    Ok(None)
}

/// Reads `rows` of a workload CSV whole (with its header): each row's event, in order; errors
/// name the rows' own lines. An error if a row does not read as exactly one request.
fn read_rows(
    path: &str,
    header: &str,
    chunk: &[u8],
    rows: &[Span],
) -> Result<Workload, WorkloadError> {
    let mut text: Vec<u8> =
        Vec::with_capacity(header.len() + 1 + rows.iter().map(|r| r.2 - r.1 + 1).sum::<usize>());
    text.extend_from_slice(header.as_bytes());
    text.push(b'\n');
    for &(_, a, b) in rows {
        text.extend_from_slice(&chunk[a..b]);
        text.push(b'\n');
    }
    // Rows are numbered from 2 (the header is line 1) in `text`.
    let w = super::read_native_csv(path, text.as_slice()).map_err(|e| {
        e.with_line(|l| {
            l.checked_sub(2)
                .and_then(|i| rows.get(i as usize))
                .map(|r| r.0)
        })
    })?;
    if w.events.len() != rows.len() {
        return Err(WorkloadError::File {
            path: path.to_string(),
            message: format!(
                "{} rows read as {} requests: s3sim needs one row per line here (no line break inside a quoted field)",
                rows.len(),
                w.events.len()
            ),
        });
    }
    Ok(w)
}

/// The first and last request of `facts` widened by `t`.
fn widen(facts: &mut InputFacts, t: crate::model::Micros) {
    facts.first = Some(facts.first.map_or(t, |f| f.min(t)));
    facts.last = Some(facts.last.map_or(t, |l| l.max(t)));
}

/// Writes a row to bucket `g`, after its line number.
fn put(
    writers: &mut [BufWriter<std::fs::File>],
    s: &mut Spilled,
    g: u32,
    line_no: u64,
    bytes: &[u8],
) -> Result<(), WorkloadError> {
    let mut digits = [0u8; 24];
    let g = g as usize;
    s.lines[g] += 1;
    let out = &mut writers[g];
    out.write_all(decimal(line_no, &mut digits))
        .and_then(|()| out.write_all(bytes))
        .and_then(|()| out.write_all(b"\n"))
        .map_err(io(&s.dir))
}

/// Spills a workload CSV, a chunk at a time: plain rows by their key and timestamp columns, the
/// rows of a chunk with a quoted row (or of a file naming version ids) read whole.
fn spill_native(
    reader: &mut dyn BufRead,
    f: &Path,
    s: &mut Spilled,
    writers: &mut [BufWriter<std::fs::File>],
    prefix_depth: Option<u32>,
) -> Result<(), WorkloadError> {
    let fp = f.display().to_string();
    let mut header: Option<(String, Option<(usize, usize)>)> = None;
    for_each_chunk(reader, f, |chunk, spans| {
        let mut rows = spans;
        if header.is_none() {
            let Some((h, rest)) = find_header(chunk, spans, &fp)? else {
                return Ok(());
            };
            let (k, t, ids) = super::key_columns(&fp, &h)?;
            // Each row carries its line number in the input, for errors.
            for w in writers.iter_mut() {
                writeln!(w, "{LINE_COLUMN},{h}").map_err(io(&s.dir))?;
            }
            header = Some((h, (!ids).then_some((k, t))));
            rows = rest;
        }
        let Some((h, light)) = &header else {
            return Ok(());
        };
        let judged = match light {
            Some((kc, tc)) => judge(chunk, rows, *kc, *tc, &mut s.facts),
            None => rows
                .iter()
                .map(|&(_, a, b)| {
                    if skipped_row(&chunk[a..b]) {
                        Row::Skip
                    } else {
                        Row::Hard
                    }
                })
                .collect(),
        };
        if judged.iter().all(|r| !matches!(r, Row::Hard)) {
            // Slices of the rows, in parallel, each into one buffer per bucket; the buffers are
            // then written slice after slice, so a bucket keeps its rows in input order.
            use rayon::prelude::*;
            let per = rows.len().div_ceil(rayon::current_num_threads() * 2).max(1);
            let slices: Vec<(Vec<Vec<u8>>, Vec<u64>, InputFacts)> = rows
                .par_chunks(per)
                .zip(judged.par_chunks(per))
                .map(|(rows, judged)| {
                    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); BUCKETS as usize];
                    let mut counts = vec![0u64; BUCKETS as usize];
                    let mut facts = InputFacts::default();
                    let mut digits = [0u8; 24];
                    for (&(n, a, b), row) in rows.iter().zip(judged) {
                        if let Row::Plain(key, t) = row {
                            if let Some(t) = t {
                                widen(&mut facts, *t);
                            }
                            let g = bucket_of(key, prefix_depth) as usize;
                            let buf = &mut bufs[g];
                            buf.extend_from_slice(decimal(n, &mut digits));
                            buf.extend_from_slice(&chunk[a..b]);
                            buf.push(b'\n');
                            counts[g] += 1;
                        }
                    }
                    (bufs, counts, facts)
                })
                .collect();
            for (bufs, counts, facts) in slices {
                s.facts.merge(&facts);
                for (g, buf) in bufs.iter().enumerate().filter(|(_, b)| !b.is_empty()) {
                    s.lines[g] += counts[g];
                    writers[g].write_all(buf).map_err(io(&s.dir))?;
                }
            }
        } else {
            // Read whole: blank lines and comments left out.
            let whole: Vec<Span> = rows
                .iter()
                .zip(&judged)
                .filter(|(_, r)| !matches!(r, Row::Skip))
                .map(|(r, _)| *r)
                .collect();
            if !whole.is_empty() {
                let w = read_rows(&fp, h, chunk, &whole)?;
                let buckets: Vec<u32> = w.keys.iter().map(|k| bucket_of(k, prefix_depth)).collect();
                for (e, &(n, a, b)) in w.events.iter().zip(&whole) {
                    if !e.op.is_initial() {
                        widen(&mut s.facts, e.time);
                    }
                    put(writers, s, buckets[e.key as usize], n, &chunk[a..b])?;
                }
                s.facts.names_versions |= w.names_versions();
            }
        }
        s.facts.lines += rows.len() as u64;
        Ok(())
    })
}

/// Reads `path` (a file, or a folder of line files) and writes its lines into [`BUCKETS`] spill
/// files in a new folder under `tmp`.
pub fn spill(
    path: &Path,
    opts: &ReadOptions,
    prefix_depth: Option<u32>,
    tmp: &Path,
) -> Result<Spilled, WorkloadError> {
    let groups = BUCKETS;
    let meta = std::fs::metadata(path).map_err(io(path))?;
    let files = if meta.is_dir() {
        files_in(path)?
    } else {
        vec![path.to_path_buf()]
    };
    let dir = tmp.join(format!(
        "s3sim-spill-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let cleanup = crate::cleanup::register(&dir, true);
    let mut s = Spilled {
        dir: dir.clone(),
        native: false,
        files: Vec::new(),
        empty_files: 0,
        facts: InputFacts::default(),
        lines: vec![0; groups as usize],
        input_bytes: 0,
        sha256: String::new(),
        _cleanup: cleanup,
    };
    let mut writers: Vec<BufWriter<std::fs::File>> = (0..groups)
        .map(|g| {
            let p = group_path(&dir, g);
            std::fs::File::create(&p)
                .map(|f| BufWriter::with_capacity(32 << 10, f))
                .map_err(io(&p))
        })
        .collect::<Result<_, _>>()?;
    let mut hashes = String::new();
    let group_of = |key: &str| bucket_of(key, prefix_depth);
    for (fi, f) in files.iter().enumerate() {
        let fp = f.display().to_string();
        s.input_bytes += std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
        let (mut reader, hasher) = open(f)?;
        let peek = reader.fill_buf().map_err(io(f))?;
        let format = match opts.format {
            Some(fmt) => fmt,
            None if peek.iter().all(u8::is_ascii_whitespace) => {
                if meta.is_dir() {
                    s.empty_files += 1;
                    hashes.push_str(&digest(f, hasher)?);
                    continue;
                }
                Format::Native
            }
            None => super::detect_head(&fp, peek)?,
        };
        match format {
            Format::Native if meta.is_dir() => {
                return Err(WorkloadError::File {
                    path: fp,
                    message:
                        "a workload CSV inside a directory: name workload CSV files one by one"
                            .into(),
                });
            }
            Format::Inventory => {
                return Err(WorkloadError::File {
                    path: fp,
                    message: "an S3 Inventory: give it with --inventory (not with --max-memory)"
                        .into(),
                });
            }
            _ => {}
        }
        s.native = format == Format::Native;
        s.files.push((fp.clone(), format));
        if s.native {
            spill_native(&mut *reader, f, &mut s, &mut writers, prefix_depth)?;
            drop(reader);
            s.sha256 = digest(f, hasher)?;
            continue;
        }
        let mut keyer = Keyer::new(ReadOptions {
            format: Some(format),
            ..opts.clone()
        });
        let mut buf = Vec::with_capacity(1024);
        let mut line_no = 0u64;
        // (line number, raw bytes) of the block (non-UTF-8 lines too).
        let mut raw: Vec<(u64, Vec<u8>)> = Vec::new();
        loop {
            let more = next_line(&mut *reader, &mut buf, f, line_no + 1)?;
            if more {
                line_no += 1;
                raw.push((line_no, buf.clone()));
            }
            if raw.len() >= BLOCK_LINES || (!more && !raw.is_empty()) {
                let lines: Vec<(u64, String)> = raw
                    .iter()
                    .map(|(n, b)| (*n, String::from_utf8_lossy(b).into_owned()))
                    .collect();
                // Lines that are not UTF-8 or blank are no request: group 0, as read.
                let keys = keyer.key_file(&fp, &lines)?;
                for ((n, bytes), key) in raw.iter().zip(keys) {
                    let utf8 = std::str::from_utf8(bytes).is_ok();
                    let g = match key {
                        Ok(Some(k)) if utf8 => group_of(&k),
                        _ => 0,
                    };
                    let w = &mut writers[g as usize];
                    s.lines[g as usize] += 1;
                    write!(w, "{fi}\t{n}\t")
                        .and_then(|()| w.write_all(bytes))
                        .and_then(|()| w.write_all(b"\n"))
                        .map_err(io(&dir))?;
                }
                raw.clear();
            }
            if !more {
                break;
            }
        }
        drop(reader);
        s.facts.merge(&keyer.facts);
        let digest = digest(f, hasher)?;
        hashes.push_str(&digest);
        s.sha256 = digest;
    }
    for w in &mut writers {
        w.flush().map_err(io(&dir))?;
    }
    if meta.is_dir() {
        s.sha256 = hex(&Sha256::digest(hashes.as_bytes()));
    }
    Ok(s)
}

/// `n` and a comma, as decimal digits, written into `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 24]) -> &[u8] {
    let mut i = buf.len() - 1;
    buf[i] = b',';
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

/// The bucket of a key (as [`spill`] files it).
pub fn bucket_of(key: &str, prefix_depth: Option<u32>) -> u32 {
    (partition_hash(partition_of(key, prefix_depth)) % u64::from(BUCKETS)) as u32
}

/// Reads a group of buckets as one workload (`name` and `path` as `run` names the input). Within
/// a partition (so within a bucket) the lines keep their input order.
pub fn read_group(
    s: &Spilled,
    buckets: &[u32],
    name: &str,
    path: &str,
    opts: &ReadOptions,
    prefix_depth: Option<u32>,
) -> Result<Workload, WorkloadError> {
    if s.native {
        // The buckets back to back, each one's header but the first skipped.
        let mut chain: Box<dyn Read + Send> = Box::new(std::io::empty());
        let mut first = true;
        for &g in buckets.iter().filter(|&&g| s.lines[g as usize] > 0) {
            let gp = s.group_path(g);
            let mut r = std::io::BufReader::with_capacity(
                1 << 20,
                std::fs::File::open(&gp).map_err(io(&gp))?,
            );
            if !first {
                let mut header = Vec::new();
                r.read_until(b'\n', &mut header).map_err(io(&gp))?;
            }
            first = false;
            chain = Box::new(chain.chain(r));
        }
        if first {
            return Builder::new(opts.strict).finish_share(name, path);
        }
        let mut w = super::read_native_csv(path, chain).map_err(|e| input_line(s, buckets, e))?;
        w.name = name.to_string();
        check_keys(&w, buckets, prefix_depth)?;
        return Ok(w);
    }
    let mut b = Builder::new(opts.strict);
    if buckets.contains(&0) {
        for _ in 0..s.empty_files {
            b.skip("empty files");
        }
    }
    for &g in buckets {
        let gp = s.group_path(g);
        let mut reader =
            std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&gp).map_err(io(&gp))?);
        let mut buf = Vec::with_capacity(1024);
        let damaged = || WorkloadError::File {
            path: gp.display().to_string(),
            message: "a damaged spill file".into(),
        };
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf).map_err(io(&gp))? == 0 {
                break;
            }
            buf.pop();
            let mut parts = buf.splitn(3, |c| *c == b'\t');
            let (Some(fi), Some(n), Some(bytes)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(damaged());
            };
            let number = |x: &[u8]| {
                std::str::from_utf8(x)
                    .ok()
                    .and_then(|x| x.parse::<u64>().ok())
            };
            let (Some(fi), Some(line_no)) = (number(fi), number(n)) else {
                return Err(damaged());
            };
            let (fp, format) = s.files.get(fi as usize).ok_or_else(damaged)?;
            match std::str::from_utf8(bytes) {
                Ok(line) if line.trim().is_empty() => {}
                Ok(line) => match format {
                    Format::IbmTrace => {
                        ibm::read_line(fp, line, line_no, opts.trace_start, &mut b)?
                    }
                    _ => accesslog::read_line(fp, line, line_no, &mut b)?,
                },
                Err(e) => b.bad_line(
                    fp,
                    line_no,
                    format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
                )?,
            }
        }
    }
    let w = b.finish_share(name, path)?;
    check_keys(&w, buckets, prefix_depth)?;
    Ok(w)
}

/// Every key of a group is of its buckets (the spill keyed the rows as the reader reads them).
fn check_keys(
    w: &Workload,
    buckets: &[u32],
    prefix_depth: Option<u32>,
) -> Result<(), WorkloadError> {
    if let Some(k) = w
        .keys
        .iter()
        .find(|k| !buckets.contains(&bucket_of(k, prefix_depth)))
    {
        return Err(WorkloadError::File {
            path: w.source.path.display().to_string(),
            message: format!(
                "s3sim's spill filed key {k:?} in the wrong bucket: a bug; run without --max-memory"
            ),
        });
    }
    Ok(())
}

/// An error of a group's rows, with the line of the input the row came from (the spill's first
/// column) instead of its line in the group.
fn input_line(s: &Spilled, buckets: &[u32], e: WorkloadError) -> WorkloadError {
    e.with_line(|line| {
        // Line 1 is the header; the rows of the buckets follow, bucket after bucket.
        let mut row = line.checked_sub(2)?;
        for &g in buckets.iter().filter(|&&g| s.lines[g as usize] > 0) {
            if row < s.lines[g as usize] {
                let f = std::fs::File::open(s.group_path(g)).ok()?;
                return std::io::BufReader::new(f)
                    .lines()
                    .nth(row as usize + 1)?
                    .ok()?
                    .split(',')
                    .next()?
                    .parse::<u64>()
                    .ok();
            }
            row -= s.lines[g as usize];
        }
        None
    })
}

/// The partition of bucket `g` with the most lines, and how many (read a block at a time, for
/// the error that says a partition is too big to fit in memory).
pub fn largest_partition(
    s: &Spilled,
    g: u32,
    prefix_depth: Option<u32>,
    opts: &ReadOptions,
) -> Result<(String, u64), WorkloadError> {
    let gp = s.group_path(g);
    let mut counts: rustc_hash::FxHashMap<String, u64> = rustc_hash::FxHashMap::default();
    let mut reader =
        std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&gp).map_err(io(&gp))?);
    let mut buf = Vec::new();
    let mut block: Vec<(u64, String)> = Vec::new();
    let mut header: Option<String> = None;
    let mut n = 0u64;
    let mut count = |keyer: &mut Keyer, path: &str, block: &mut Vec<(u64, String)>| {
        let keys = keyer.key_file(path, block)?;
        for k in keys.into_iter().flatten().flatten() {
            *counts
                .entry(partition_of(&k, prefix_depth).to_string())
                .or_default() += 1;
        }
        block.clear();
        Ok::<(), WorkloadError>(())
    };
    loop {
        let more = next_line(&mut reader, &mut buf, &gp, n + 1)?;
        if more {
            n += 1;
            let text = String::from_utf8_lossy(&buf).into_owned();
            if s.native {
                match &header {
                    None => {
                        header = Some(text.clone());
                        block.push((1, text));
                    }
                    Some(_) => block.push((block.len() as u64 + 1, text)),
                }
            } else {
                let mut f = text.splitn(3, '\t');
                let (Some(fi), Some(line), Some(t)) = (f.next(), f.next(), f.next()) else {
                    continue;
                };
                let (Some((fp, format)), Ok(line)) = (
                    fi.parse::<usize>().ok().and_then(|i| s.files.get(i)),
                    line.parse(),
                ) else {
                    continue;
                };
                let mut keyer = Keyer::new(ReadOptions {
                    format: Some(*format),
                    ..opts.clone()
                });
                count(&mut keyer, fp, &mut vec![(line, t.to_string())])?;
                continue;
            }
        }
        if s.native && (block.len() >= BLOCK_LINES || (!more && block.len() > 1)) {
            let mut keyer = Keyer::new(ReadOptions {
                format: Some(Format::Native),
                ..opts.clone()
            });
            let h = header.clone().expect("read first");
            count(&mut keyer, &s.files[0].0, &mut block)?;
            block.push((1, h));
        }
        if !more {
            break;
        }
    }
    Ok(counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .unwrap_or_default())
}

/// A reader of the byte chunks a channel brings (empty once the sender is gone).
struct Received {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for Received {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(v) => {
                    self.cur = v;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A shard's share of a workload, with the whole input's first and last request.
pub type Share = (
    Workload,
    Option<crate::model::Micros>,
    Option<crate::model::Micros>,
);

/// The key and timestamp fields of a plain row (no quote, no carriage return), split by hand as
/// the workload CSV reader splits such rows.
fn key_and_time(line: &[u8], kc: usize, tc: usize) -> (&[u8], &[u8]) {
    let (mut key, mut ts): (&[u8], &[u8]) = (b"", b"");
    let mut start = 0;
    for i in 0..=kc.max(tc) {
        let end = memchr::memchr(b',', &line[start..]).map_or(line.len(), |j| start + j);
        if i == kc {
            key = &line[start..end];
        }
        if i == tc {
            ts = &line[start..end];
        }
        if end == line.len() {
            break;
        }
        start = end + 1;
    }
    (key, ts)
}

/// A shard's share of a workload CSV (`run --shard`): the rows whose key `keep` accepts, read
/// whole, with the whole file's first and last request (rows that are not plain are kept: the run
/// drops other shards' keys once read). None for an input this does not apply to (a folder,
/// another format, a file naming version or upload ids): read it whole.
pub fn read_native_share(
    path: &Path,
    opts: &ReadOptions,
    keep: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Option<Share>, WorkloadError> {
    let p = path.display().to_string();
    if std::fs::metadata(path).map_err(io(path))?.is_dir() {
        return Ok(None);
    }
    let (mut reader, hasher) = open(path)?;
    let peek = reader.fill_buf().map_err(io(path))?;
    let format = match opts.format {
        Some(f) => f,
        None => super::detect_head(&p, peek)?,
    };
    if format != Format::Native {
        return Ok(None);
    }
    // One thread keeps the shard's rows, the reader reads them as they come.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let name = p.as_str();
    let (parsed, filtered) = std::thread::scope(|scope| {
        let filter = scope.spawn(move || -> Result<(InputFacts, bool), WorkloadError> {
            let p = name;
            // `lines` counts the rows kept.
            let mut facts = InputFacts::default();
            let mut cols: Option<(usize, usize)> = None;
            let mut whole = false;
            for_each_chunk(&mut *reader, path, |chunk, spans| {
                let mut rows = spans;
                let mut out: Vec<u8> = Vec::with_capacity(chunk.len() / 2);
                if cols.is_none() && !whole {
                    let Some((h, rest)) = find_header(chunk, spans, p)? else {
                        return Ok(());
                    };
                    let (k, t, ids) = super::key_columns(p, &h)?;
                    out.extend_from_slice(h.as_bytes());
                    out.push(b'\n');
                    whole = ids;
                    cols = Some((k, t));
                    rows = rest;
                }
                let Some((kc, tc)) = cols.filter(|_| !whole) else {
                    return Ok(());
                };
                let judged = judge(chunk, rows, kc, tc, &mut facts);
                for (&(_, a, b), row) in rows.iter().zip(judged) {
                    let keep_row = match row {
                        Row::Skip => false,
                        Row::Plain(key, t) => {
                            if let Some(t) = t {
                                widen(&mut facts, t);
                            }
                            keep(key)
                        }
                        // Read whole, and dropped after if of another shard.
                        Row::Hard => true,
                    };
                    if keep_row {
                        facts.lines += 1;
                        out.extend_from_slice(&chunk[a..b]);
                        out.push(b'\n');
                    }
                }
                // A reader that stopped (at a bad row) takes no more.
                let _ = tx.send(out);
                Ok(())
            })?;
            Ok((facts, whole))
        });
        let parsed = super::read_native_csv(
            name,
            Received {
                rx,
                cur: Vec::new(),
                pos: 0,
            },
        );
        (parsed, filter.join())
    });
    let (facts, whole) = filtered.map_err(|_| WorkloadError::File {
        path: p.clone(),
        message: "the reading thread failed".into(),
    })??;
    if whole {
        // The file names version ids: whether the bucket is versioned needs every row.
        return Ok(None);
    }
    let (mut first, mut last) = (facts.first, facts.last);
    let sha = digest(path, hasher)?;
    let mut w = match parsed {
        Ok(w) => w,
        // No row of this shard: an empty share.
        Err(_) if facts.lines == 0 => Builder::new(opts.strict).finish_share(&p, &p)?,
        // An error names a line of the share: read the whole file for the input's own line.
        Err(_) => return super::read_workload(path, opts).map(|_| None),
    };
    // Rows the reader reads but this scan could not (quoted or CR rows) count too.
    for e in w.events.iter().filter(|e| !e.op.is_initial()) {
        first = Some(first.map_or(e.time, |f| f.min(e.time)));
        last = Some(last.map_or(e.time, |l| l.max(e.time)));
    }
    w.name = super::workload_name(path);
    w.source.path = path.to_path_buf();
    w.source.bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    w.source.sha256 = sha;
    Ok(Some((w, first, last)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::time::parse_timestamp;

    /// Fixed-layout UTC stamps of one length sort as their instants do, so a chunk's earliest and
    /// latest are found by comparing strings; other stamps are read one by one.
    #[test]
    fn fixed_utc_stamps_sort_as_instants() {
        for ts in [
            "2026-01-15T10:30:00Z",
            "2026-01-15T10:30:00.5Z",
            "1999-12-31T23:59:59.123456Z",
        ] {
            assert!(fixed_utc(ts), "{ts}");
            assert!(parse_timestamp(ts).is_some(), "{ts}");
        }
        for ts in [
            "2026-01-15T10:30:00+02:00",
            "2026-01-15 10:30:00Z",
            "1768473000",
            "2026-01-15T10:30Z",
            "2026-01-15T10:30:00.Z",
            "",
        ] {
            assert!(!fixed_utc(ts), "{ts}");
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut stamps: Vec<String> = (0..2000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let secs = 946_684_800 + (x % 1_000_000_000) as i64;
                let t =
                    chrono::DateTime::from_timestamp(secs, (x % 1_000_000) as u32 * 1000).unwrap();
                t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
            })
            .collect();
        let mut facts = InputFacts::default();
        stamps
            .iter()
            .fold(Extremes::default(), |e, ts| e.add(ts))
            .widen(&mut facts);
        let parsed: Vec<i64> = stamps.iter().map(|s| parse_timestamp(s).unwrap()).collect();
        assert_eq!(facts.first, parsed.iter().min().copied());
        assert_eq!(facts.last, parsed.iter().max().copied());
        stamps.sort();
        let by_string: Vec<i64> = stamps.iter().map(|s| parse_timestamp(s).unwrap()).collect();
        assert!(by_string.windows(2).all(|w| w[0] <= w[1]));
    }
}
