//! Workload readers: input files -> a normalised, sorted stream of [`Event`]s with interned keys.
//!
//! Events are sorted once by (key, timestamp, row number), so each object's history is contiguous and
//! in the order S3 saw it; equal timestamps keep their row order (SPEC §2.1).

mod native;

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::{Micros, Op, StorageClass};

pub use native::read_native_csv;

/// A GET with no byte count reads the whole object.
pub const WHOLE_OBJECT: u64 = u64::MAX;

/// One request of a workload, normalised. 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// When S3 received it.
    pub time: Micros,
    /// PUT/COPY/POST: object size [bytes]; GET: bytes read ([`WHOLE_OBJECT`] for all); else 0.
    pub size: u64,
    /// Index into [`Workload::keys`].
    pub key: u32,
    /// Index into [`Workload::tagsets`] (0 = no tags).
    pub tags: u32,
    /// Position in the input (0-based, among events), to order equal timestamps. Set by
    /// [`Workload::from_events`].
    pub row: u32,
    pub op: Op,
    /// Class written by PUT/COPY/POST (STANDARD otherwise).
    pub class: StorageClass,
}

/// A workload read from one file: interned keys and tag sets, and its events, first in input (row)
/// order, then, after [`Workload::group_by_key`], sorted by key, then time, then row.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The file stem; names the workload in reports.
    pub name: String,
    pub source: Source,
    pub keys: Vec<Box<str>>,
    /// Tag sets, each sorted by tag key; index 0 is the empty set.
    pub tagsets: Vec<Vec<(String, String)>>,
    pub events: Vec<Event>,
    /// Whether `events` are grouped by key (else in row order).
    grouped: bool,
    /// Earliest and latest event time.
    pub first: Micros,
    pub last: Micros,
}

/// Where a workload came from, for `run.json`.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    pub rows: u64,
}

/// A bad input: the file, line, column and value, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    #[error("cannot read workload {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error("{path}:{line}: column '{column}': {message} (value: {value:?})")]
    Field {
        path: String,
        line: u64,
        column: String,
        value: String,
        message: String,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: String,
        line: u64,
        message: String,
    },
}

impl Workload {
    /// Builds a workload from events in row order: numbers the rows and sets the time bounds.
    /// Panics beyond 2^32 events (readers check first).
    pub fn from_events(
        name: &str,
        keys: Vec<Box<str>>,
        tagsets: Vec<Vec<(String, String)>>,
        mut events: Vec<Event>,
    ) -> Workload {
        assert!(
            events.len() <= u32::MAX as usize,
            "more than 2^32 events in one workload"
        );
        for (i, e) in events.iter_mut().enumerate() {
            e.row = i as u32;
        }
        let first = events.iter().map(|e| e.time).min().unwrap_or(0);
        let last = events.iter().map(|e| e.time).max().unwrap_or(0);
        let tagsets = if tagsets.is_empty() {
            vec![Vec::new()]
        } else {
            tagsets
        };
        Workload {
            name: name.to_string(),
            source: Source {
                path: PathBuf::from(name),
                bytes: 0,
                sha256: String::new(),
                rows: events.len() as u64,
            },
            keys,
            tagsets,
            events,
            grouped: false,
            first,
            last,
        }
    }

    /// Sorts the events by (key, time, row), so each object's history is contiguous.
    pub fn group_by_key(&mut self) {
        if !self.grouped {
            self.events = group_by_key(std::mem::take(&mut self.events), self.keys.len());
            self.grouped = true;
        }
    }

    /// The same workload, grouped by key.
    pub fn grouped(mut self) -> Workload {
        self.group_by_key();
        self
    }

    pub fn is_grouped(&self) -> bool {
        self.grouped
    }

    /// Splits the grouped events into about `n` contiguous ranges, never splitting one key's events.
    pub fn chunks(&self, n: usize) -> Vec<std::ops::Range<usize>> {
        assert!(self.grouped, "chunks of a workload not grouped by key");
        let len = self.events.len();
        let n = n.max(1);
        let target = len.div_ceil(n).max(1);
        let mut out = Vec::with_capacity(n);
        let mut start = 0;
        while start < len {
            let mut end = (start + target).min(len);
            while end < len && self.events[end].key == self.events[end - 1].key {
                end += 1;
            }
            out.push(start..end);
            start = end;
        }
        out
    }
}

/// Orders events by (key, time, row): a stable counting sort on the key (keys are dense ids), then a
/// stable sort by time within each key (already in order for time-sorted logs, so nearly free).
fn group_by_key(events: Vec<Event>, n_keys: usize) -> Vec<Event> {
    let Some(&first) = events.first() else {
        return events;
    };
    let mut next = vec![0usize; n_keys + 1];
    for e in &events {
        next[e.key as usize + 1] += 1;
    }
    for i in 1..next.len() {
        next[i] += next[i - 1];
    }
    let mut out = vec![first; events.len()];
    for e in events {
        let slot = &mut next[e.key as usize];
        out[*slot] = e;
        *slot += 1;
    }
    out.par_chunk_by_mut(|a, b| a.key == b.key).for_each(|s| {
        if !s.is_sorted_by_key(|e| e.time) {
            s.sort_by_key(|e| e.time);
        }
    });
    out
}

/// Reads one workload file (format detected from content; only the native CSV for now).
pub fn read_workload(path: &Path) -> Result<Workload, WorkloadError> {
    let p = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| WorkloadError::Io {
        path: p.clone(),
        source,
    })?;
    if meta.is_dir() {
        return Err(WorkloadError::File {
            path: p,
            message: "is a directory; name the CSV files".into(),
        });
    }
    // Hash on another thread while this one parses; the OS page cache serves both.
    let hash_path = path.to_path_buf();
    let hasher = std::thread::spawn(move || sha256_file(&hash_path));
    let file = std::fs::File::open(path).map_err(|source| WorkloadError::Io {
        path: p.clone(),
        source,
    })?;
    let mut wl = read_native_csv(&p, std::io::BufReader::with_capacity(1 << 20, file))?;
    let sha = hasher
        .join()
        .map_err(|_| WorkloadError::File {
            path: p.clone(),
            message: "hashing thread failed".into(),
        })?
        .map_err(|source| WorkloadError::Io {
            path: p.clone(),
            source,
        })?;
    wl.name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.clone());
    wl.source.path = path.to_path_buf();
    wl.source.bytes = meta.len();
    wl.source.sha256 = sha;
    Ok(wl)
}

/// The SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
