//! Workload readers: input files -> normalised [`Event`]s with interned keys, in input (row) order.
//!
//! The request-rate model replays them in (timestamp, row) order; the cost engine needs each
//! object's history contiguous, so [`Workload::group_by_key`] then sorts them by (key, timestamp,
//! row): equal timestamps keep their row order (SPEC §2.1).
//!
//! The readers use rayon (STYLE.md keeps it in `sim/`; we relax that here, on purpose): parsing
//! and grouping are most of a run's time, and both give the same result for any thread count
//! (key ids and rows are numbered in file order; see `native` and `group`).

mod accesslog;
mod builder;
mod group;
mod ibm;
mod inventory;
mod native;
pub mod records;
pub mod spill;
mod writer;

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::model::time::DAY;
use crate::model::{Micros, Op, StorageClass};

pub use builder::Builder;
pub use native::{key_columns, read_native_csv};
pub use writer::{NATIVE_HEADER, NATIVE_HEADER_IDS, NativeWriter};

/// A GET with no byte count reads the whole object.
pub const WHOLE_OBJECT: u64 = u64::MAX;

/// One request of a workload, normalised. 32 bytes (the engine streams hundreds of millions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// When S3 received it.
    pub time: Micros,
    /// PUT/COPY/POST: object size [bytes]; GET: bytes read ([`WHOLE_OBJECT`] for all); else 0.
    pub size: u64,
    /// Index into [`Workload::keys`].
    pub key: u32,
    /// For requests that write an object ([`Event::has_tags`]): index into
    /// [`Workload::tagsets`] (0 = no tags). For the others: index into [`Workload::ids`] of the
    /// version id a GET/HEAD/DELETE names, or of a multipart request's upload id (0 = none). (The
    /// id a write gives its version is in [`Workload::created_ids`].)
    pub tags: u32,
    /// Position in the input (0-based, among events), to order equal timestamps. Set by
    /// [`Workload::from_events`].
    pub row: u32,
    pub op: Op,
    /// Class written by PUT/COPY/POST, or of an initial object (STANDARD otherwise).
    pub class: StorageClass,
    /// An initial INTELLIGENT_TIERING object's access tier: 0 frequent, 1 infrequent, 2 archive
    /// instant, 3 archive access, 4 deep archive access.
    pub tier: u8,
}

const _: () = assert!(std::mem::size_of::<Event>() == 32);

impl Event {
    /// Whether `tags` holds the tag set of an object this event writes (PUT, COPY, POST, an
    /// initial object, CreateMultipartUpload); otherwise it holds the id the request names.
    #[inline]
    pub fn has_tags(&self) -> bool {
        self.op.creates() || self.op == Op::Initial
    }

    /// The version or upload id a request names (index into [`Workload::ids`]; 0 for none and
    /// for writes).
    #[inline]
    pub fn named_id(&self) -> u32 {
        if self.has_tags() { 0 } else { self.tags }
    }
}

/// A workload read from one file: interned keys and tag sets, and its events in input (row) order
/// ([`Workload::group_by_key`] makes the [`ByKey`] the cost engine takes).
#[derive(Debug, Clone)]
pub struct Workload {
    /// The file stem; names the workload in reports.
    pub name: String,
    pub source: Source,
    pub keys: Vec<Box<str>>,
    /// Tag sets, each sorted by tag key; index 0 is the empty set.
    pub tagsets: Vec<Vec<(String, String)>>,
    /// Version ids and upload ids the events name; index 0 is the empty id.
    pub ids: Vec<Box<str>>,
    /// (row, id) of the writes that carry an id ([`Event::has_tags`]: the version id a PUT,
    /// COPY, POST or initial object has, the upload id of a CreateMultipartUpload), by row.
    pub created_ids: Vec<(u32, u32)>,
    /// `created_ids` by row, for the engine (filled by [`Workload::group_by_key`] when there are
    /// any: a lookup per write must not be a search).
    pub created_by_row: Vec<u32>,
    /// The index of the id `null` in `ids` (0: none), found by [`Workload::group_by_key`].
    pub null_id: u32,
    pub events: Vec<Event>,
    /// Earliest and latest request time (initial objects aside).
    pub first: Micros,
    pub last: Micros,
    /// What the reader skipped or approximated, for the report's warnings: bad and skipped
    /// lines counted ([`Tally`]), then other notes.
    pub tally: Tally,
    pub notes: Vec<String>,
    /// 503 Slow Down answers in the input (access logs): (key, time).
    pub observed_503: Vec<(u32, Micros)>,
    /// How many extra copies of the requests `--repeat-until` appended.
    pub repeats: u32,
}

/// Lines a reader counted and did not replay: bad lines (the first few shown) and records of
/// kinds it skips. Counts, so that the tallies of shards add up to the whole input's.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    /// The input, as notes name it.
    pub path: String,
    pub bad: u64,
    /// (file, line, reason) of the first bad lines, in input order.
    pub bad_shown: Vec<(String, u64, String)>,
    pub skipped: std::collections::BTreeMap<String, u64>,
}

impl Tally {
    /// The notes the report shows.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.bad > 0 {
            notes.push(format!(
                "{}: {} bad line(s) skipped; the first: {}",
                self.path,
                self.bad,
                Tally::shown(&self.bad_shown)
            ));
        }
        for (what, n) in &self.skipped {
            notes.push(format!(
                "{}: {n} record(s) of {what} read and not replayed",
                self.path
            ));
        }
        notes
    }

    /// Bad lines as `file:line: reason`, joined.
    pub fn shown(lines: &[(String, u64, String)]) -> String {
        lines
            .iter()
            .map(|(f, l, r)| format!("{f}:{l}: {r}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Adds another share's tally: counts add, and the first bad lines of both, in input order
    /// (files by path, then lines), are kept.
    pub fn add(&mut self, o: Tally) {
        if self.path.is_empty() {
            self.path = o.path;
        }
        self.bad += o.bad;
        self.bad_shown.extend(o.bad_shown);
        self.bad_shown
            .sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)).then(a.1.cmp(&b.1)));
        self.bad_shown.truncate(builder::BAD_LINES_SHOWN);
        for (k, n) in o.skipped {
            *self.skipped.entry(k).or_default() += n;
        }
    }
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
    // The cause follows from the error chain (`{:#}`), so it is not repeated here.
    #[error("cannot read workload {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    File { path: String, message: String },
    #[error(
        "{path}:{line}: column '{column}': {message} (value: {})",
        crate::model::limits::quoted(value)
    )]
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

impl WorkloadError {
    /// The same error with its line renumbered by `f` (for a file read in pieces: a line of the
    /// piece becomes the input's); errors of no line, or that `f` does not map, unchanged.
    pub fn with_line(self, f: impl FnOnce(u64) -> Option<u64>) -> WorkloadError {
        match self {
            WorkloadError::Line {
                path,
                line,
                message,
            } => WorkloadError::Line {
                path,
                line: f(line).unwrap_or(line),
                message,
            },
            WorkloadError::Field {
                path,
                line,
                column,
                value,
                message,
            } => WorkloadError::Field {
                path,
                line: f(line).unwrap_or(line),
                column,
                value,
                message,
            },
            e => e,
        }
    }

    /// A line longer than s3sim reads.
    pub fn too_long(path: &str, line: u64) -> WorkloadError {
        WorkloadError::Line {
            path: path.to_string(),
            line,
            message: format!(
                "longer than {} MiB, the longest line s3sim reads (is this a workload file?)",
                crate::model::limits::MAX_LINE_BYTES >> 20
            ),
        }
    }
}

impl Workload {
    /// Every note: the tally's, then the others.
    pub fn all_notes(&self) -> Vec<String> {
        let mut n = self.tally.notes();
        n.extend(self.notes.iter().cloned());
        n
    }

    /// The earliest creation of an object: the first request, or an older inventory object (in
    /// row order, as read, inventory objects come first).
    pub fn earliest_creation(&self) -> Micros {
        self.events
            .iter()
            .take_while(|e| e.op.is_initial())
            .map(|e| e.time)
            .fold(self.first, Micros::min)
    }

    /// Whether the input names version ids (it comes from a versioned bucket): a request naming
    /// one, a write or initial object carrying one, or a delete marker of an inventory.
    pub fn names_versions(&self) -> bool {
        let writes = self.created_ids.iter().any(|&(row, _)| {
            let op = match self.events.get(row as usize) {
                Some(e) if e.row == row => e.op,
                // Grouped by key: find the row.
                _ => match self.events.iter().find(|e| e.row == row) {
                    Some(e) => e.op,
                    None => return false,
                },
            };
            op != Op::MpuCreate
        });
        writes
            || self
                .events
                .iter()
                .any(|e| e.op == Op::InitialMarker || (!e.op.is_multipart() && e.named_id() != 0))
    }

    /// The id of the event of row `row` if it writes an object and carries one (0 otherwise).
    #[inline]
    pub fn created_id(&self, row: u32) -> u32 {
        if let Some(&id) = self.created_by_row.get(row as usize) {
            return id;
        }
        if self.created_ids.is_empty() {
            return 0;
        }
        match self.created_ids.binary_search_by_key(&row, |&(r, _)| r) {
            Ok(i) => self.created_ids[i].1,
            Err(_) => 0,
        }
    }

    /// The version or upload id of an event: the one it names, or the one it gives its object.
    pub fn vid(&self, e: &Event) -> u32 {
        if e.has_tags() {
            self.created_id(e.row)
        } else {
            e.tags
        }
    }

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
        // Number the rows, and find the bounds of the requests; initial objects (which may be years
        // old) count only when alone.
        let (first, last, newest) = events
            .par_iter_mut()
            .enumerate()
            .fold(
                || (Micros::MAX, Micros::MIN, Micros::MIN),
                |(lo, hi, newest), (i, e)| {
                    e.row = i as u32;
                    if e.op.is_initial() {
                        (lo, hi, newest.max(e.time))
                    } else {
                        (lo.min(e.time), hi.max(e.time), newest.max(e.time))
                    }
                },
            )
            .reduce(
                || (Micros::MAX, Micros::MIN, Micros::MIN),
                |a, b| (a.0.min(b.0), a.1.max(b.1), a.2.max(b.2)),
            );
        let (first, last) = if first <= last {
            (first, last)
        } else if events.is_empty() {
            (0, 0)
        } else {
            (newest, newest)
        };
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
            ids: vec![Box::from("")],
            created_ids: Vec::new(),
            created_by_row: Vec::new(),
            null_id: 0,
            events,
            first,
            last,
            tally: Tally::default(),
            notes: Vec::new(),
            observed_503: Vec::new(),
            repeats: 0,
        }
    }

    /// Adds the objects of an inventory (initial events) before this workload's requests. An
    /// inventory describes the bucket before the requests: objects modified at or after the first
    /// request are left out (the requests create them), and a key listed twice keeps its newest row.
    pub fn with_initial(self, inventory: &Workload) -> Workload {
        let mut ids: rustc_hash::FxHashMap<Box<str>, u32> = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
        let mut keys = self.keys;
        let mut events: Vec<Event> = Vec::with_capacity(inventory.events.len() + self.events.len());
        let has_requests = self.events.iter().any(|e| !e.op.is_initial());
        // An all-versions inventory keeps every version and delete marker of a key; another
        // keeps the newest row of each key.
        let all_versions = inventory.names_versions();
        let mut newest: rustc_hash::FxHashMap<u32, usize> = rustc_hash::FxHashMap::default();
        let mut all: Vec<usize> = Vec::new();
        let (mut late, mut twice) = (0u64, 0u64);
        for (i, e) in inventory.events.iter().enumerate() {
            if has_requests && e.time >= self.first {
                late += 1;
                continue;
            }
            if all_versions {
                all.push(i);
                continue;
            }
            if let Some(prev) = newest.insert(e.key, i) {
                twice += 1;
                if inventory.events[prev].time > e.time {
                    newest.insert(e.key, prev);
                }
            }
        }
        let mut keep: Vec<usize> = if all_versions {
            all
        } else {
            newest.into_values().collect()
        };
        keep.sort_unstable();
        let mut extra_notes = Vec::new();
        if late > 0 {
            extra_notes.push(format!(
                "{}: {late} inventory object(s) modified at or after the first request ({}) were left out: the requests create them",
                self.name,
                crate::model::time::format_instant(self.first)
            ));
        }
        if twice > 0 {
            extra_notes.push(format!(
                "{}: {twice} key(s) listed more than once in the inventory: the newest row kept",
                self.name
            ));
        }
        // The inventory's version ids join the workload's: the same id is the same number, so a
        // request can name a version the inventory lists.
        let mut version_ids = self.ids;
        let mut created_ids: Vec<(u32, u32)> = Vec::new();
        let mut known: rustc_hash::FxHashMap<Box<str>, u32> = version_ids
            .iter()
            .enumerate()
            .map(|(i, v)| (v.clone(), i as u32))
            .collect();
        let id_map: Vec<u32> = inventory
            .ids
            .iter()
            .map(|v| {
                *known.entry(v.clone()).or_insert_with(|| {
                    version_ids.push(v.clone());
                    (version_ids.len() - 1) as u32
                })
            })
            .collect();
        for e in keep.iter().map(|&i| &inventory.events[i]) {
            let k = &inventory.keys[e.key as usize];
            let id = *ids.entry(k.clone()).or_insert_with(|| {
                keys.push(k.clone());
                (keys.len() - 1) as u32
            });
            let remap = |v: u32| id_map[v as usize];
            let created = inventory.created_id(e.row);
            if created != 0 {
                created_ids.push((events.len() as u32, remap(created)));
            }
            events.push(Event {
                key: id,
                tags: if e.has_tags() { 0 } else { remap(e.tags) },
                ..*e
            });
        }
        // The workload's own rows follow the inventory's.
        let shift = events.len() as u32;
        created_ids.extend(self.created_ids.iter().map(|&(r, v)| (r + shift, v)));
        events.extend(self.events);
        let mut w = Workload::from_events(&self.name, keys, self.tagsets, events);
        w.ids = version_ids;
        w.created_ids = created_ids;
        w.source = self.source;
        w.tally = self.tally;
        w.notes = self.notes;
        w.notes.extend(inventory.all_notes());
        w.notes.push(format!(
            "{}: {} {} from the inventory {} exist at the start",
            w.name,
            keep.len(),
            if all_versions {
                "object versions and delete markers"
            } else {
                "objects"
            },
            inventory.source.path.display()
        ));
        w.notes.extend(extra_notes);
        w.observed_503 = self.observed_503;
        w.repeats = self.repeats;
        if self.first != self.last || w.events.len() > inventory.events.len() {
            w.first = self.first;
            w.last = self.last;
        }
        w
    }

    /// Replays the requests again and again, each copy shifted by the trace's span rounded up to
    /// whole days, until `until` (exclusive), keeping keys: a one-week log drives a year.
    pub fn repeat_until(mut self, until: Micros) -> Result<Workload, WorkloadError> {
        let span = self.last - self.first;
        let shift = ((span / DAY) + 1) * DAY;
        let originals: Vec<Event> = self
            .events
            .iter()
            .filter(|e| !e.op.is_initial())
            .copied()
            .collect();
        let path = self.source.path.display().to_string();
        if until <= self.last {
            return Err(WorkloadError::File {
                path,
                message: format!(
                    "--repeat-until {} is not after the last request ({})",
                    crate::model::time::format_instant(until),
                    crate::model::time::format_instant(self.last)
                ),
            });
        }
        let copies = ((until - self.first) / shift) as u128;
        if copies * originals.len() as u128 + self.events.len() as u128 > u128::from(u32::MAX) {
            return Err(WorkloadError::File {
                path,
                message: format!(
                    "--repeat-until would make about {} events (s3sim takes at most 2^32 - 1 per workload); choose an earlier date",
                    copies * originals.len() as u128
                ),
            });
        }
        let mut k = 1;
        let mut copied_ids: Vec<(u32, u32)> = Vec::new();
        while self.first + k * shift < until {
            for e in originals.iter().filter(|e| e.time + k * shift < until) {
                // A copy's write has the original's id too (a request of the copy that names it
                // finds the newest version with that id: the copy's).
                let id = if e.has_tags() {
                    self.created_id(e.row)
                } else {
                    0
                };
                if id != 0 {
                    copied_ids.push((self.events.len() as u32, id));
                }
                self.events.push(Event {
                    time: e.time + k * shift,
                    ..*e
                });
            }
            k += 1;
        }
        let (name, keys, tagsets, events) =
            (self.name.clone(), self.keys, self.tagsets, self.events);
        let mut w = Workload::from_events(&name, keys, tagsets, events);
        w.ids = self.ids;
        // The originals keep their rows; the copies follow them.
        w.created_ids = self.created_ids;
        w.created_ids.extend(copied_ids);
        w.source = self.source;
        w.tally = self.tally;
        w.notes = self.notes;
        w.observed_503 = self.observed_503;
        w.repeats = (k - 1) as u32;
        w.notes.push(format!(
            "{}: its requests ({} to {}) were repeated {} more time(s), every {} days, until {}",
            w.name,
            crate::model::time::format_instant(w.first),
            crate::model::time::format_instant(self.last),
            w.repeats,
            shift / DAY,
            crate::model::time::format_instant(until)
        ));
        Ok(w)
    }

    /// The same workload with its keys numbered in name order (events and observed 503s follow),
    /// so that once grouped by key, the keys that share a prefix are contiguous. Nothing else
    /// depends on how keys are numbered: costs and statistics stay the same.
    pub fn with_keys_in_name_order(mut self) -> Workload {
        let mut order: Vec<u32> = (0..self.keys.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.keys[a as usize].cmp(&self.keys[b as usize]));
        let mut renumber = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        self.keys = order
            .iter()
            .map(|&old| std::mem::take(&mut self.keys[old as usize]))
            .collect();
        for e in &mut self.events {
            e.key = renumber[e.key as usize];
        }
        for (k, _) in &mut self.observed_503 {
            *k = renumber[*k as usize];
        }
        self
    }

    /// Keeps the keys `keep` accepts, with their events and observed 503s, in row order (rows are
    /// numbered again among the kept events, in the same order). The time bounds (`first`,
    /// `last`), notes and source stay the whole input's: a shard bills the whole run's months.
    /// Call before [`Workload::group_by_key`].
    pub fn retain_keys(mut self, keep: impl Fn(&str) -> bool + Sync) -> Workload {
        let kept: Vec<bool> = self.keys.par_iter().map(|k| keep(k)).collect();
        let mut renumber = vec![u32::MAX; self.keys.len()];
        let mut n = 0u32;
        for (i, &k) in kept.iter().enumerate() {
            if k {
                renumber[i] = n;
                n += 1;
            }
        }
        let keys = std::mem::take(&mut self.keys);
        self.keys = keys
            .into_iter()
            .zip(&kept)
            .filter_map(|(k, &keep)| keep.then_some(k))
            .collect();
        // Old row -> new row, for the writes that carry an id.
        let mut new_rows: Vec<(u32, u32)> = Vec::new();
        let ids_by_row = !self.created_ids.is_empty();
        let mut next = 0u32;
        self.events.retain_mut(|e| {
            let key = renumber[e.key as usize];
            if key == u32::MAX {
                return false;
            }
            if ids_by_row {
                new_rows.push((e.row, next));
            }
            e.key = key;
            e.row = next;
            next += 1;
            true
        });
        if ids_by_row {
            self.created_ids = self
                .created_ids
                .iter()
                .filter_map(|&(row, id)| {
                    let i = new_rows.binary_search_by_key(&row, |&(old, _)| old).ok()?;
                    Some((new_rows[i].1, id))
                })
                .collect();
        }
        self.observed_503.retain_mut(|(k, _)| {
            let key = renumber[*k as usize];
            *k = key;
            key != u32::MAX
        });
        self
    }

    /// Sorts the events by (key, time, row), so each object's history is contiguous: the order
    /// the cost engine takes, as a [`ByKey`].
    pub fn group_by_key(mut self) -> ByKey {
        crate::timing::mark("  grouping");
        if !self.created_ids.is_empty() {
            self.created_by_row = vec![0; self.events.len()];
            for &(row, id) in &self.created_ids {
                self.created_by_row[row as usize] = id;
            }
        }
        self.null_id = self
            .ids
            .iter()
            .position(|v| &**v == "null")
            .map_or(0, |i| i as u32);
        group::group_in_place(&mut self.events, self.keys.len());
        ByKey(self)
    }
}

/// A workload whose events are grouped by key, then time, then row ([`Workload::group_by_key`]):
/// the order the cost engine requires, held by the type (a workload in row order cannot be
/// passed to it). Reads as a [`Workload`].
#[derive(Debug, Clone)]
pub struct ByKey(Workload);

impl std::ops::Deref for ByKey {
    type Target = Workload;

    fn deref(&self) -> &Workload {
        &self.0
    }
}

impl ByKey {
    /// Splits the events into about `n` contiguous ranges, never splitting one key's events.
    pub fn chunks(&self, n: usize) -> Vec<std::ops::Range<usize>> {
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

/// Input formats (SPEC §2.1 and S3_FACTS.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// s3sim's workload CSV.
    Native,
    /// S3 server access logs.
    AccessLog,
    /// IBM Cloud Object Storage traces.
    IbmTrace,
    /// S3 Inventory (manifest.json or a CSV with a header): initial objects.
    Inventory,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::Native,
        Format::AccessLog,
        Format::IbmTrace,
        Format::Inventory,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::AccessLog => "access-log",
            Format::IbmTrace => "ibm-trace",
            Format::Inventory => "inventory",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format (else detected from the content).
    pub format: Option<Format>,
    /// Any bad line is an error (else counted, skipped and reported).
    pub strict: bool,
    /// Where IBM traces' time 0 lies.
    pub trace_start: Micros,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            format: None,
            strict: false,
            trace_start: crate::model::time::date_micros(2026, 1, 1),
        }
    }
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The whole text of a file, gunzipped when it is gzip; an error names the file.
pub fn read_text(path: &Path) -> Result<String, WorkloadError> {
    use crate::model::limits::{MAX_LINE_BYTES, MAX_WHOLE_FILE_BYTES};
    let p = path.display().to_string();
    let io = |source| WorkloadError::Io {
        path: p.clone(),
        source,
    };
    let mut head = [0u8; 2];
    let gz = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head).map(|n| n == 2 && head == GZIP_MAGIC))
        .map_err(io)?;
    let file = std::fs::File::open(path).map_err(io)?;
    let mut reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            file,
        )))
    } else {
        Box::new(file)
    };
    // Read in chunks, checking the bounds as the bytes come (a line of NUL bytes stops at 1 MiB).
    let mut bytes: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    let mut line_len = 0usize;
    let mut lines = 1u64;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if gz => {
                return Err(WorkloadError::File {
                    path: p.clone(),
                    message: format!("bad gzip data: {e}"),
                });
            }
            Err(e) => return Err(io(e)),
        };
        for &c in &chunk[..n] {
            if c == b'\n' {
                line_len = 0;
                lines += 1;
            } else {
                line_len += 1;
                if line_len > MAX_LINE_BYTES {
                    return Err(WorkloadError::Line {
                        path: p.clone(),
                        line: lines,
                        message: format!(
                            "longer than {} MiB, the longest line s3sim reads",
                            MAX_LINE_BYTES >> 20
                        ),
                    });
                }
            }
        }
        bytes.extend_from_slice(&chunk[..n]);
        if bytes.len() as u64 > MAX_WHOLE_FILE_BYTES {
            return Err(WorkloadError::File {
                path: p.clone(),
                message: format!(
                    "larger than {} GiB, the most s3sim reads of a file it reads whole",
                    MAX_WHOLE_FILE_BYTES >> 30
                ),
            });
        }
    }
    String::from_utf8(bytes).map_err(|e| WorkloadError::File {
        path: p,
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// The format of a file from its first bytes (up to the last whole line among them).
pub fn detect_head(path: &str, head: &[u8]) -> Result<Format, WorkloadError> {
    let text = String::from_utf8_lossy(head);
    let cut = text.rfind('\n').map_or(text.len(), |i| i + 1);
    detect(path, &text[..cut])
}

/// The format of a text, from its first line that is not blank or a `#` comment.
pub fn detect(path: &str, text: &str) -> Result<Format, WorkloadError> {
    if inventory::is_manifest(text) {
        return Ok(Format::Inventory);
    }
    let first = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let header = first.to_ascii_lowercase();
    // A CSV with a timestamp column (or nothing at all) is for the workload CSV reader, whose
    // errors say what is missing.
    if first.is_empty()
        || header
            .split(',')
            .any(|h| h.trim().trim_start_matches('\u{feff}') == "timestamp")
    {
        Ok(Format::Native)
    } else if accesslog::looks_like(first) {
        Ok(Format::AccessLog)
    } else if ibm::looks_like(first) {
        Ok(Format::IbmTrace)
    } else if inventory::is_csv_header(first) {
        Ok(Format::Inventory)
    } else {
        Err(WorkloadError::File {
            path: path.to_string(),
            message: format!(
                "format not recognised; tried: s3sim workload CSV (a header with timestamp,op,key), S3 server access log (a [dd/Mon/yyyy:HH:MM:SS +0000] time in the third field), IBM COS trace (<ms> REST.OP <id>), S3 Inventory (manifest.json, or a CSV header with Key,Size,LastModifiedDate); first line: {:?}; use --format to force one",
                first.chars().take(80).collect::<String>()
            ),
        })
    }
}

/// The files of an input: the file, or a folder's files (as `run` reads them, sorted by path).
pub fn input_files(path: &Path) -> Result<Vec<PathBuf>, WorkloadError> {
    let meta = std::fs::metadata(path).map_err(|source| WorkloadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    if meta.is_dir() {
        files_in(path)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// A workload's name: its file stem (`logs.csv.gz` -> `logs`; a folder's name).
pub fn workload_name(path: &Path) -> String {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    name.strip_suffix(".csv")
        .or_else(|| name.strip_suffix(".log"))
        .unwrap_or(&name)
        .to_string()
}

/// Reads a workload: a file of any supported format (gzip or not), or a directory of access logs
/// or traces (every file in it, by name). Inventory objects are initial objects.
pub fn read_workload(path: &Path, opts: &ReadOptions) -> Result<Workload, WorkloadError> {
    let p = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| WorkloadError::Io {
        path: p.clone(),
        source,
    })?;
    let name = workload_name(path);
    if meta.is_dir() {
        let files = files_in(path)?;
        if files.is_empty() {
            return Err(WorkloadError::File {
                path: p,
                message: "a folder with no files in it or in its subfolders (names starting with . are skipped)".into(),
            });
        }
        let mut b = Builder::new(opts.strict);
        let mut bytes = 0;
        let mut hashes = String::new();
        for f in &files {
            let fp = f.display().to_string();
            read_line_file(f, opts, &mut b)?;
            bytes += std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
            hashes.push_str(
                &sha256_file(f).map_err(|source| WorkloadError::Io { path: fp, source })?,
            );
        }
        let mut w = b.finish(&name, &p)?;
        w.source = Source {
            path: path.to_path_buf(),
            bytes,
            sha256: hex(&Sha256::digest(hashes.as_bytes())),
            rows: w.events.len() as u64,
        };
        return Ok(w);
    }
    if !meta.is_file() {
        return Err(not_a_file(&p));
    }
    let mut head = [0u8; 2];
    let gz = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head).map(|n| n == 2 && head == GZIP_MAGIC))
        .map_err(|source| WorkloadError::Io {
            path: p.clone(),
            source,
        })?;
    let native = match opts.format {
        Some(f) => f == Format::Native,
        None => {
            // Sniff the first 64 KB (decompressed).
            let mut sample = Vec::new();
            let file = std::fs::File::open(path).map_err(|source| WorkloadError::Io {
                path: p.clone(),
                source,
            })?;
            let reader: Box<dyn Read> = if gz {
                Box::new(flate2::read::MultiGzDecoder::new(file))
            } else {
                Box::new(file)
            };
            let _ = reader.take(64 << 10).read_to_end(&mut sample);
            detect_head(&p, &sample)? == Format::Native
        }
    };
    let io = |source| WorkloadError::Io {
        path: p.clone(),
        source,
    };
    let (mut w, sha) = if native {
        // The reader hashes the file's bytes as the parser reads them.
        let mut file = Hashing::new(std::fs::File::open(path).map_err(io)?);
        let w = if gz {
            let mut reader =
                flate2::read::MultiGzDecoder::new(std::io::BufReader::with_capacity(1 << 20, file));
            let w = read_native_csv(&p, &mut reader)?;
            file = reader.into_inner().into_inner();
            w
        } else {
            read_native_csv(&p, &mut file)?
        };
        (w, file.finish().map_err(io)?)
    } else {
        // Hash on another thread while this one parses; the OS page cache serves both.
        let hash_path = path.to_path_buf();
        let hasher = std::thread::spawn(move || sha256_file(&hash_path));
        let mut b = Builder::new(opts.strict);
        read_line_file(path, opts, &mut b)?;
        let w = b.finish(&name, &p)?;
        let sha = hasher
            .join()
            .map_err(|_| WorkloadError::File {
                path: p.clone(),
                message: "hashing thread failed".into(),
            })?
            .map_err(io)?;
        (w, sha)
    };
    w.name = name;
    w.source.path = path.to_path_buf();
    w.source.bytes = meta.len();
    w.source.sha256 = sha;
    Ok(w)
}

/// How deep s3sim looks into a workload folder's subfolders (access logs delivered with
/// date-based partitioning nest a few levels: `prefix/account/region/bucket/yyyy/mm/dd/`).
const MAX_FOLDER_DEPTH: usize = 32;

fn not_a_file(p: &str) -> WorkloadError {
    WorkloadError::File {
        path: p.to_string(),
        message: "not a regular file (a FIFO, socket or device): s3sim reads workloads from files, since it reads a file more than once".into(),
    }
}

/// The files of a workload folder and of its subfolders, sorted by path; names starting with `.`
/// are skipped. A FIFO or device, a link that leads nowhere or in a loop, or nesting deeper than
/// [`MAX_FOLDER_DEPTH`] is an error naming it.
fn files_in(root: &Path) -> Result<Vec<PathBuf>, WorkloadError> {
    let mut files = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let d = dir.display().to_string();
        let real = std::fs::canonicalize(&dir).map_err(|source| WorkloadError::Io {
            path: d.clone(),
            source,
        })?;
        if seen.contains(&real) {
            return Err(WorkloadError::File {
                path: d,
                message: format!(
                    "leads back to {} (a link loop, or a second link to one folder): remove the link",
                    real.display()
                ),
            });
        }
        seen.push(real);
        if depth > MAX_FOLDER_DEPTH {
            return Err(WorkloadError::File {
                path: d,
                message: format!("nested more than {MAX_FOLDER_DEPTH} folders deep"),
            });
        }
        let entries = std::fs::read_dir(&dir).map_err(|source| WorkloadError::Io {
            path: d.clone(),
            source,
        })?;
        for e in entries {
            let e = e.map_err(|source| WorkloadError::Io {
                path: d.clone(),
                source,
            })?;
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let f = e.path();
            let fp = f.display().to_string();
            // Follows links: a link to a file or folder counts as one; a dangling or looping link
            // is an error.
            let meta = std::fs::metadata(&f).map_err(|source| WorkloadError::Io {
                path: fp.clone(),
                source,
            })?;
            if meta.is_dir() {
                stack.push((f, depth + 1));
            } else if meta.is_file() {
                files.push(f);
            } else {
                return Err(not_a_file(&fp));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads a file in a line format (access log, IBM trace) into `b`, streaming; an inventory is
/// read whole (its manifest names further files). The format is detected from the first lines.
fn read_line_file(path: &Path, opts: &ReadOptions, b: &mut Builder) -> Result<(), WorkloadError> {
    use std::io::BufRead;
    let p = path.display().to_string();
    let io = |source| WorkloadError::Io {
        path: p.clone(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; 2];
    let gz = file.read(&mut head).map_err(io)? == 2 && head == GZIP_MAGIC;
    let file = std::fs::File::open(path).map_err(io)?;
    let inner: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, inner);
    let peek = reader.fill_buf().map_err(io)?;
    if peek.iter().all(u8::is_ascii_whitespace) {
        b.skip("empty files");
        return Ok(());
    }
    let format = match opts.format {
        Some(f) => f,
        None => detect_head(&p, peek)?,
    };
    match format {
        Format::AccessLog => accesslog::read(&p, reader, b),
        Format::IbmTrace => ibm::read(&p, reader, opts.trace_start, b),
        Format::Inventory => {
            drop(reader);
            let text = read_text(path)?;
            if inventory::is_manifest(&text) {
                inventory::read_manifest(path, &text, b)
            } else {
                inventory::read_csv(&p, &text, b)
            }
        }
        Format::Native => Err(WorkloadError::File {
            path: p,
            message: "a workload CSV inside a directory: name workload CSV files one by one".into(),
        }),
    }
}

/// A reader that hashes (SHA-256) the bytes read through it.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Hashing<R> {
    fn new(inner: R) -> Hashing<R> {
        Hashing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads what is left, and returns the hash of all the bytes, hex.
    fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
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

/// Runs `f` in a rayon pool of `n` threads (tests: results must not depend on it).
#[cfg(test)]
pub(crate) fn with_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .expect("a thread pool")
        .install(f)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a workload as s3sim's CSV, rows in (time, row) order; initial (inventory) objects become
/// PUTs at their creation time. Returns the number of rows.
pub fn write_native_csv<W: std::io::Write>(w: &Workload, mut out: W) -> std::io::Result<u64> {
    let ids = w.ids.len() > 1;
    out.write_all(
        if ids {
            NATIVE_HEADER_IDS
        } else {
            NATIVE_HEADER
        }
        .as_bytes(),
    )?;
    let mut order: Vec<&Event> = w.events.iter().collect();
    order.sort_by_key(|e| (e.time, e.row));
    let mut writer = NativeWriter::default();
    writer.ids = ids;
    let mut tags = String::new();
    for e in &order {
        let creates = e.op.creates() || e.op == Op::Initial;
        let op = match e.op {
            Op::Initial => Op::Put,
            Op::InitialMarker => Op::Delete,
            op => op,
        };
        let size = match e.op {
            Op::Get if e.size == WHOLE_OBJECT => None,
            Op::Get | Op::MpuPart => Some(e.size),
            Op::MpuComplete if e.size > 0 => Some(e.size),
            Op::MpuCreate => None,
            _ if creates => Some(e.size),
            _ => None,
        };
        tags.clear();
        let set: &[(String, String)] = if e.has_tags() {
            &w.tagsets[e.tags as usize]
        } else {
            &[]
        };
        for (i, (k, v)) in set.iter().enumerate() {
            if i > 0 {
                tags.push('&');
            }
            tags.push_str(k);
            tags.push('=');
            tags.push_str(v);
        }
        writer.row(
            &mut out,
            e.time,
            op,
            &w.keys[e.key as usize],
            size,
            creates.then_some(e.class),
            &tags,
            &w.ids[w.vid(e) as usize],
        )?;
    }
    out.flush()?;
    Ok(order.len() as u64)
}
