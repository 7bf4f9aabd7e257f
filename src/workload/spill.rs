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
    Builder, Format, GZIP_MAGIC, ReadOptions, Workload, WorkloadError, accesslog, detect, files_in,
    hex, ibm,
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
    /// Lines and bytes in each bucket.
    pub lines: Vec<u64>,
    pub bytes: Vec<u64>,
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

    /// Whether a line files' spill (else a workload CSV's).
    pub fn is_lines(&self) -> bool {
        !self.native
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
fn open(path: &Path) -> Result<(Box<dyn BufRead>, Hashing), WorkloadError> {
    let mut head = [0u8; 2];
    let gz = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head).map(|n| n == 2 && head == GZIP_MAGIC))
        .map_err(io(path))?;
    let file = std::fs::File::open(path).map_err(io(path))?;
    let hash_path = path.to_path_buf();
    let hasher = std::thread::spawn(move || super::sha256_file(&hash_path));
    let reader: Box<dyn BufRead> = if gz {
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
        return Err(WorkloadError::Line {
            path: path.display().to_string(),
            line: line_no,
            message: format!(
                "longer than {} MiB, the longest line s3sim reads (is this a workload file?)",
                MAX_LINE_BYTES >> 20
            ),
        });
    }
    while buf.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
        buf.pop();
    }
    Ok(true)
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
        bytes: vec![0; groups as usize],
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
            None => {
                let text = String::from_utf8_lossy(peek);
                let cut = text.rfind('\n').map_or(text.len(), |i| i + 1);
                detect(&fp, &text[..cut])?
            }
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
        let mut keyer = Keyer::new(ReadOptions {
            format: Some(format),
            ..opts.clone()
        });
        let mut buf = Vec::with_capacity(1024);
        let mut line_no = 0u64;
        let mut header: Option<String> = None;
        // The key and timestamp columns, when rows need not be read whole.
        let mut light: Option<(usize, usize)> = None;
        // A workload CSV's block: the header and the block's rows as one text, and each row's
        // line number and span in it (comments and blank lines, which are no request, are left
        // out).
        let mut text = String::new();
        let mut block: Vec<(u64, usize, usize)> = Vec::with_capacity(BLOCK_LINES);
        // (line number, raw bytes) of the block, for the line formats (non-UTF-8 lines too).
        let mut raw: Vec<(u64, Vec<u8>)> = Vec::new();
        loop {
            let more = next_line(&mut *reader, &mut buf, f, line_no + 1)?;
            if more {
                line_no += 1;
                if s.native {
                    let line = std::str::from_utf8(&buf).map_err(|e| WorkloadError::Line {
                        path: fp.clone(),
                        line: line_no,
                        message: format!(
                            "not UTF-8 (invalid byte at column {})",
                            e.valid_up_to() + 1
                        ),
                    })?;
                    let t = line.trim_start();
                    if t.is_empty() || t.starts_with('#') {
                        continue;
                    }
                    if header.is_none() {
                        header = Some(line.to_string());
                        let (k, t, ids) = super::key_columns(&fp, line)?;
                        light = (!ids).then_some((k, t));
                        // Each row carries its line number in the input, for errors.
                        for w in &mut writers {
                            writeln!(w, "{LINE_COLUMN},{line}").map_err(io(&dir))?;
                        }
                        continue;
                    }
                    if block.is_empty() {
                        text.clear();
                        text.push_str(header.as_deref().unwrap_or_default());
                        text.push('\n');
                    }
                    let start = text.len();
                    text.push_str(line);
                    block.push((line_no, start, text.len()));
                    text.push('\n');
                } else {
                    raw.push((line_no, buf.clone()));
                }
            }
            let full = block.len() >= BLOCK_LINES || raw.len() >= BLOCK_LINES;
            if !(full || (!more && (!block.is_empty() || !raw.is_empty()))) {
                if !more {
                    break;
                }
                continue;
            }
            let plain = |&(_, a, b): &(u64, usize, usize)| {
                !text.as_bytes()[a..b]
                    .iter()
                    .any(|&c| c == b'"' || c == b'\r')
            };
            if let Some((kc, tc)) = light.filter(|_| s.native && block.iter().all(plain)) {
                // Only the key and the timestamp: the rows are read whole later, by group.
                use rayon::prelude::*;
                let mut digits = [0u8; 24];
                let keyed: Vec<(u32, Option<crate::model::Micros>)> = block
                    .par_iter()
                    .map(|&(_, a, b)| {
                        let (key, ts) = key_and_time(&text[a..b], kc, tc);
                        (group_of(key), crate::model::time::parse_timestamp(ts))
                    })
                    .collect();
                for (&(line_no, a, b), &(g, t)) in block.iter().zip(&keyed) {
                    let g = g as usize;
                    s.lines[g] += 1;
                    s.bytes[g] += (b - a) as u64 + 1;
                    let out = &mut writers[g];
                    out.write_all(decimal(line_no, &mut digits))
                        .and_then(|()| out.write_all(&text.as_bytes()[a..b]))
                        .and_then(|()| out.write_all(b"\n"))
                        .map_err(io(&dir))?;
                    if let Some(t) = t {
                        s.facts.first = Some(s.facts.first.map_or(t, |f| f.min(t)));
                        s.facts.last = Some(s.facts.last.map_or(t, |l| l.max(t)));
                    }
                }
                s.facts.lines += block.len() as u64;
                block.clear();
            } else if s.native {
                // Rows of the block, numbered from 2 (the header is line 1): errors are mapped
                // back to the file's lines.
                let w = super::read_native_csv(&fp, text.as_bytes()).map_err(|e| match e {
                    WorkloadError::Line {
                        path,
                        line,
                        message,
                    } if line >= 2 && ((line - 2) as usize) < block.len() => WorkloadError::Line {
                        path,
                        line: block[(line - 2) as usize].0,
                        message,
                    },
                    e => e,
                })?;
                if w.events.len() != block.len() {
                    return Err(WorkloadError::File {
                        path: fp.clone(),
                        message: format!(
                            "{} rows read as {} requests: with --max-memory, a workload CSV needs one row per line (no line break inside a quoted field)",
                            block.len(),
                            w.events.len()
                        ),
                    });
                }
                let buckets: Vec<u32> = w.keys.iter().map(|k| group_of(k)).collect();
                for (e, &(line_no, start, end)) in w.events.iter().zip(&block) {
                    let g = buckets[e.key as usize] as usize;
                    s.lines[g] += 1;
                    s.bytes[g] += (end - start) as u64 + 1;
                    let out = &mut writers[g];
                    write!(out, "{line_no},")
                        .and_then(|()| out.write_all(&text.as_bytes()[start..end]))
                        .and_then(|()| out.write_all(b"\n"))
                        .map_err(io(&dir))?;
                }
                for e in w.events.iter().filter(|e| !e.op.is_initial()) {
                    s.facts.first = Some(s.facts.first.map_or(e.time, |t| t.min(e.time)));
                    s.facts.last = Some(s.facts.last.map_or(e.time, |t| t.max(e.time)));
                }
                s.facts.names_versions |= w.names_versions();
                s.facts.lines += block.len() as u64;
                block.clear();
            } else {
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
                    s.bytes[g as usize] += bytes.len() as u64 + 1;
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
    let (line, rebuild): (u64, Box<dyn Fn(u64) -> WorkloadError>) = match e {
        WorkloadError::Line {
            path,
            line,
            message,
        } => (
            line,
            Box::new(move |l| WorkloadError::Line {
                path: path.clone(),
                line: l,
                message: message.clone(),
            }),
        ),
        WorkloadError::Field {
            path,
            line,
            column,
            value,
            message,
        } => (
            line,
            Box::new(move |l| WorkloadError::Field {
                path: path.clone(),
                line: l,
                column: column.clone(),
                value: value.clone(),
                message: message.clone(),
            }),
        ),
        e => return e,
    };
    // Line 1 is the header; the rows of the buckets follow, bucket after bucket.
    let mut row = line.saturating_sub(2);
    for &g in buckets.iter().filter(|&&g| s.lines[g as usize] > 0) {
        if row < s.lines[g as usize] {
            let gp = s.group_path(g);
            let found = std::fs::File::open(&gp).ok().and_then(|f| {
                std::io::BufReader::new(f)
                    .lines()
                    .nth(row as usize + 1)?
                    .ok()?
                    .split(',')
                    .next()?
                    .parse::<u64>()
                    .ok()
            });
            return rebuild(found.unwrap_or(0));
        }
        row -= s.lines[g as usize];
    }
    rebuild(0)
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

/// A shard's share of a workload, with the whole input's first and last request.
pub type Share = (
    Workload,
    Option<crate::model::Micros>,
    Option<crate::model::Micros>,
);

/// The key and timestamp fields of a plain row (no quote, no carriage return), split by hand as
/// the workload CSV reader splits such rows.
fn key_and_time(line: &str, kc: usize, tc: usize) -> (&str, &str) {
    let (mut key, mut ts) = ("", "");
    let mut start = 0;
    for i in 0..=kc.max(tc) {
        let end = memchr::memchr(b',', &line.as_bytes()[start..]).map_or(line.len(), |j| start + j);
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
    use rayon::prelude::*;
    let p = path.display().to_string();
    if std::fs::metadata(path).map_err(io(path))?.is_dir() {
        return Ok(None);
    }
    let (mut reader, hasher) = open(path)?;
    let peek = reader.fill_buf().map_err(io(path))?;
    let format = match opts.format {
        Some(f) => f,
        None => {
            let text = String::from_utf8_lossy(peek);
            let cut = text.rfind('\n').map_or(text.len(), |i| i + 1);
            detect(&p, &text[..cut])?
        }
    };
    if format != Format::Native {
        return Ok(None);
    }
    let mut kept: Vec<u8> = Vec::new();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut cols: Option<(usize, usize)> = None;
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    let mut block: Vec<Vec<u8>> = Vec::with_capacity(BLOCK_LINES);
    loop {
        let more = next_line(&mut *reader, &mut buf, path, line_no + 1)?;
        if more {
            line_no += 1;
            match cols {
                None => {
                    kept.extend_from_slice(&buf);
                    kept.push(b'\n');
                    let Ok(line) = std::str::from_utf8(&buf) else {
                        continue;
                    };
                    let t = line.trim_start();
                    if !t.is_empty() && !t.starts_with('#') {
                        let (k, ts, ids) = super::key_columns(&p, line)?;
                        if ids {
                            return Ok(None);
                        }
                        cols = Some((k, ts));
                    }
                    continue;
                }
                Some(_) => block.push(std::mem::take(&mut buf)),
            }
        }
        if let Some((kc, tc)) = cols
            && (block.len() >= BLOCK_LINES || (!more && !block.is_empty()))
        {
            let judged: Vec<(bool, Option<i64>)> = block
                .par_iter()
                .map(|b| {
                    let plain = !b.iter().any(|&c| c == b'"' || c == b'\r');
                    match std::str::from_utf8(b) {
                        Ok(line) if plain => {
                            let (key, ts) = key_and_time(line, kc, tc);
                            let t = line.trim_start();
                            let skip = t.is_empty() || t.starts_with('#');
                            (!skip && keep(key), crate::model::time::parse_timestamp(ts))
                        }
                        // Not split by hand: read whole, dropped after if of another shard.
                        _ => (true, None),
                    }
                })
                .collect();
            for (b, (k, t)) in block.iter().zip(judged) {
                if let Some(t) = t {
                    first = Some(first.map_or(t, |f| f.min(t)));
                    last = Some(last.map_or(t, |l| l.max(t)));
                }
                if k {
                    kept.extend_from_slice(b);
                    kept.push(b'\n');
                }
            }
            block.clear();
        }
        if !more {
            break;
        }
    }
    drop(reader);
    let sha = digest(path, hasher)?;
    let mut w = match super::read_native_csv(&p, kept.as_slice()) {
        Ok(w) => w,
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
