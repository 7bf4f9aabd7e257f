//! Building a workload from rows of any format, sequentially: key interning, bad-line accounting.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{Event, Workload, WorkloadError};
use std::io::{BufRead, Read};

use crate::model::limits::MAX_LINE_BYTES;
use crate::model::{Micros, Op, StorageClass};

/// How many kinds of skipped records are counted apart.
pub const SKIP_KINDS: usize = 64;

/// How many bad lines are shown (all are counted).
pub const BAD_LINES_SHOWN: usize = 10;

/// Rows read from one or more files of one workload.
#[derive(Debug, Default)]
pub struct Builder {
    keys: Vec<Box<str>>,
    key_ids: FxHashMap<Box<str>, u32>,
    tagsets: Vec<Vec<(String, String)>>,
    tag_ids: FxHashMap<String, u32>,
    ids: Vec<Box<str>>,
    id_ids: FxHashMap<Box<str>, u32>,
    created_ids: Vec<(u32, u32)>,
    events: Vec<Event>,
    /// Any bad line is an error (else counted and skipped).
    pub strict: bool,
    /// Bad lines: how many, and the first few as `file:line: reason`.
    pub bad: u64,
    /// (file, line, reason) of the first bad lines.
    pub bad_shown: Vec<(String, u64, String)>,
    /// Records read but not requests the simulation replays, by kind (e.g. `S3.EXPIRE.OBJECT`).
    pub skipped: BTreeMap<String, u64>,
    /// 503 Slow Down answers seen in the input: (key, time).
    pub observed_503: Vec<(u32, Micros)>,
}

impl Builder {
    pub fn new(strict: bool) -> Builder {
        Builder {
            strict,
            tagsets: vec![Vec::new()],
            ids: vec![Box::from("")],
            ..Builder::default()
        }
    }

    pub fn key(&mut self, k: &str) -> u32 {
        if let Some(&id) = self.key_ids.get(k) {
            return id;
        }
        let id = self.keys.len() as u32;
        let b: Box<str> = k.into();
        self.keys.push(b.clone());
        self.key_ids.insert(b, id);
        id
    }

    /// Interns a version id or upload id ("" is 0, none).
    pub fn id(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        if let Some(&id) = self.id_ids.get(s) {
            return id;
        }
        let id = self.ids.len() as u32;
        let b: Box<str> = s.into();
        self.ids.push(b.clone());
        self.id_ids.insert(b, id);
        id
    }

    /// Sets the version or upload id ([`Builder::id`]) of the event pushed last.
    pub fn set_last_vid(&mut self, vid: u32) {
        let row = self.events.len().saturating_sub(1) as u32;
        if let Some(e) = self.events.last_mut() {
            if !e.has_tags() {
                e.tags = vid;
            } else if vid != 0 {
                self.created_ids.push((row, vid));
            }
        }
    }

    /// Interns a tag set (sorted by key).
    pub fn tags(&mut self, raw: &str, set: Vec<(String, String)>) -> u32 {
        if let Some(&id) = self.tag_ids.get(raw) {
            return id;
        }
        let id = self.tagsets.len() as u32;
        self.tagsets.push(set);
        self.tag_ids.insert(raw.to_string(), id);
        id
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        time: Micros,
        op: Op,
        key: &str,
        size: u64,
        class: StorageClass,
        tags: u32,
        tier: u8,
    ) {
        let key = self.key(key);
        self.events.push(Event {
            time,
            size,
            key,
            tags,
            row: 0,
            op,
            class,
            tier,
        });
    }

    /// What S3 itself would refuse in a request: a key over 1,024 bytes, an object or range larger
    /// than S3's largest object. Records a bad line (an error when strict) and returns false then.
    pub fn within_s3_limits(
        &mut self,
        path: &str,
        line: u64,
        key: &str,
        size: u64,
    ) -> Result<bool, WorkloadError> {
        use crate::model::limits::{S3_MAX_KEY_BYTES, S3_MAX_OBJECT_BYTES};
        if key.len() > S3_MAX_KEY_BYTES {
            self.bad_line(
                path,
                line,
                format!(
                    "key of {} bytes; S3 keys are at most {S3_MAX_KEY_BYTES} bytes",
                    key.len()
                ),
            )?;
            return Ok(false);
        }
        if size != super::WHOLE_OBJECT && size > S3_MAX_OBJECT_BYTES {
            self.bad_line(
                path,
                line,
                format!(
                    "size {size} bytes; S3 objects are at most {S3_MAX_OBJECT_BYTES} bytes (48.8 TiB)"
                ),
            )?;
            return Ok(false);
        }
        Ok(true)
    }

    /// Records a bad line; an error when strict.
    pub fn bad_line(&mut self, path: &str, line: u64, reason: String) -> Result<(), WorkloadError> {
        let reason = crate::model::limits::cut_message(&reason);
        if self.strict {
            return Err(WorkloadError::Line {
                path: path.to_string(),
                line,
                message: format!("{reason} (--strict)"),
            });
        }
        self.bad += 1;
        if self.bad_shown.len() < BAD_LINES_SHOWN {
            self.bad_shown.push((path.to_string(), line, reason));
        }
        Ok(())
    }

    /// Counts a record that is read but not replayed, by kind; at most [`SKIP_KINDS`] kinds are
    /// told apart (an input with a new operation name on every line takes no more memory).
    pub fn skip(&mut self, what: &str) {
        if let Some(n) = self.skipped.get_mut(what) {
            *n += 1;
            return;
        }
        let what = if self.skipped.len() >= SKIP_KINDS {
            "other kinds".to_string()
        } else if what.len() > 200 {
            crate::model::limits::excerpt(what) // an operation name from a hostile input
        } else {
            what.to_string()
        };
        *self.skipped.entry(what).or_default() += 1;
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// For a builder fed one line: the key of the request or 503 answer it held (None for a
    /// line that is neither, e.g. a bad or skipped line), the time of its request, and whether it
    /// names a version id (as [`Workload::names_versions`] counts).
    pub fn line_key(&self) -> Option<(&str, Option<Micros>, bool)> {
        let key = match (self.events.first(), self.observed_503.first()) {
            (Some(e), _) => e.key,
            (None, Some(&(k, _))) => k,
            (None, None) => return None,
        };
        let time = self
            .events
            .iter()
            .find(|e| !e.op.is_initial())
            .map(|e| e.time);
        let names = self.events.iter().enumerate().any(|(row, e)| {
            (e.has_tags()
                && e.op != Op::MpuCreate
                && self.created_ids.iter().any(|&(r, _)| r == row as u32))
                || e.op == Op::InitialMarker
                || (!e.op.is_multipart() && e.named_id() != 0)
        });
        Some((&self.keys[key as usize], time, names))
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The workload, with notes on what was skipped.
    pub fn finish(self, name: &str, path: &str) -> Result<Workload, WorkloadError> {
        self.finish_inner(name, path, false)
    }

    /// As [`Builder::finish`], but no request at all is not an error: a shard's share of the
    /// input may be empty.
    pub fn finish_share(self, name: &str, path: &str) -> Result<Workload, WorkloadError> {
        self.finish_inner(name, path, true)
    }

    fn finish_inner(
        self,
        name: &str,
        path: &str,
        allow_empty: bool,
    ) -> Result<Workload, WorkloadError> {
        if self.events.is_empty() && !allow_empty {
            let mut message = "contains no requests s3sim can replay".to_string();
            if self.bad > 0 {
                message.push_str(&format!(
                    "; {} bad line(s), first: {}",
                    self.bad,
                    super::Tally::shown(&self.bad_shown)
                ));
            }
            return Err(WorkloadError::File {
                path: path.to_string(),
                // Ten bad lines with their excerpts can make a long message.
                message: crate::model::limits::cut_message(&message),
            });
        }
        if self.events.len() > u32::MAX as usize {
            return Err(WorkloadError::File {
                path: path.to_string(),
                message: "more than 2^32 - 1 events".into(),
            });
        }
        let mut w = Workload::from_events(name, self.keys, self.tagsets, self.events);
        w.tally = super::Tally {
            path: path.to_string(),
            bad: self.bad,
            bad_shown: self.bad_shown,
            skipped: self.skipped,
        };
        w.ids = self.ids;
        w.created_ids = self.created_ids;
        w.observed_503 = self.observed_503;
        Ok(w)
    }
}

/// Calls `f(line, line number, builder)` for each line of `reader` that is not blank; a line that
/// is not UTF-8 is a bad line; a line longer than [`MAX_LINE_BYTES`] is an error (it is not read
/// whole: a file of NUL bytes is one endless line).
pub fn for_each_line<R: std::io::BufRead>(
    path: &str,
    mut reader: R,
    b: &mut Builder,
    mut f: impl FnMut(&str, u64, &mut Builder) -> Result<(), WorkloadError>,
) -> Result<(), WorkloadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 2)
            .read_until(b'\n', &mut buf)
            .map_err(|source| WorkloadError::Io {
                path: path.to_string(),
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        if buf.len() > MAX_LINE_BYTES + 1 && buf.last() != Some(&b'\n') {
            return Err(WorkloadError::too_long(path, line_no));
        }
        while buf.last().is_some_and(|c| *c == b'\n' || *c == b'\r') {
            buf.pop();
        }
        match std::str::from_utf8(&buf) {
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => f(line, line_no, b)?,
            Err(e) => b.bad_line(
                path,
                line_no,
                format!("not UTF-8 (invalid byte at column {})", e.valid_up_to() + 1),
            )?,
        }
    }
}
