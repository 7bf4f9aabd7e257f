//! Inputs handed over as lines, each with its file and line number: how an engine such as Apache
//! Spark gives s3sim its share of the logs (`s3sim shard-key`, then `s3sim run --records`).
//!
//! Formats (tab-separated; the text is the rest of the line, tabs and all):
//! - a line of input (`shard-key`'s input): `PATH<TAB>LINE<TAB>TEXT`, LINE counted from 1;
//! - a keyed line (`shard-key`'s output, `run --records`' input): `SHARD<TAB>PATH<TAB>LINE<TAB>TEXT`;
//! - `shard-key`'s last line: `facts<TAB>{"first":…,"last":…,"names_versions":…,"lines":…}`,
//!   what the whole input's shards must all know (its first and last request, whether it
//!   names version ids), combined over every `shard-key` process by [`InputFacts::merge`].

use serde::{Deserialize, Serialize};

use super::{Builder, Format, ReadOptions, Workload, WorkloadError, accesslog, detect, ibm};
use crate::model::Micros;

/// What every shard must know of the whole input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFacts {
    /// The first and last request (None: no request).
    pub first: Option<Micros>,
    pub last: Option<Micros>,
    /// Whether the input names version ids (then the bucket is taken as versioned).
    pub names_versions: bool,
    /// Lines read.
    pub lines: u64,
}

impl InputFacts {
    pub fn merge(&mut self, o: &InputFacts) {
        self.first = match (self.first, o.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, o.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.names_versions |= o.names_versions;
        self.lines += o.lines;
    }

    fn add(&mut self, time: Option<Micros>, names_versions: bool) {
        if let Some(t) = time {
            self.merge(&InputFacts {
                first: Some(t),
                last: Some(t),
                ..InputFacts::default()
            });
        }
        self.names_versions |= names_versions;
    }
}

/// Splits a record into `n` tab-separated fields (the last takes the rest); `origin:line` names
/// it in errors.
pub fn split_record<'a>(
    origin: &str,
    line_no: u64,
    line: &'a str,
    n: usize,
    what: &str,
) -> Result<Vec<&'a str>, WorkloadError> {
    let fields: Vec<&str> = line.splitn(n, '\t').collect();
    if fields.len() < n {
        return Err(WorkloadError::Line {
            path: origin.to_string(),
            line: line_no,
            message: format!(
                "expected {what}, tab-separated; got {} field(s)",
                fields.len()
            ),
        });
    }
    Ok(fields)
}

/// Where `shard-key` sends a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A file's header: every shard needs it.
    All,
    Shard(u32),
}

/// `shard-key`'s state: the facts of the input so far.
pub struct Keyer {
    opts: ReadOptions,
    pub facts: InputFacts,
}

impl Keyer {
    pub fn new(opts: ReadOptions) -> Keyer {
        Keyer {
            opts,
            facts: InputFacts::default(),
        }
    }

    /// The partition key of each line of one file (`lines`: its lines with their numbers, in
    /// order, from its first): None for a line that is not a request or 503 answer (a blank,
    /// comment, bad or skipped line); `Err(Target::All)` for a workload CSV's header.
    #[allow(clippy::type_complexity)]
    pub fn key_file(
        &mut self,
        path: &str,
        lines: &[(u64, String)],
    ) -> Result<Vec<Result<Option<String>, Target>>, WorkloadError> {
        self.facts.lines += lines.len() as u64;
        let text_line = |t: &str| {
            let t = t.trim_start();
            !t.is_empty() && !t.starts_with('#')
        };
        let Some(first) = lines.iter().find(|(_, t)| text_line(t)) else {
            return Ok(vec![Ok(None); lines.len()]);
        };
        let format = match self.opts.format {
            Some(f) => f,
            None => detect(path, &first.1)?,
        };
        let mut out = Vec::with_capacity(lines.len());
        match format {
            Format::AccessLog | Format::IbmTrace => {
                for (line_no, text) in lines {
                    let mut b = Builder::new(self.opts.strict);
                    if format == Format::AccessLog {
                        accesslog::read_line(path, text, *line_no, &mut b)?;
                    } else {
                        ibm::read_line(path, text, *line_no, self.opts.trace_start, &mut b)?;
                    }
                    out.push(Ok(b.line_key().map(|(key, time, names)| {
                        self.facts.add(time, names);
                        key.to_string()
                    })));
                }
            }
            Format::Native => {
                // The file read whole, as `run` reads it: each row is one event, in order.
                let mut text = String::new();
                let mut next = 1u64;
                for (line_no, t) in lines {
                    for _ in next..*line_no {
                        text.push('\n');
                    }
                    text.push_str(t);
                    text.push('\n');
                    next = line_no + 1;
                }
                let rows = lines.iter().filter(|(_, t)| text_line(t)).count();
                if rows < 2 {
                    return Ok(lines
                        .iter()
                        .map(|(n, _)| {
                            if *n == first.0 {
                                Err(Target::All)
                            } else {
                                Ok(None)
                            }
                        })
                        .collect());
                }
                let w = super::read_native_csv(path, text.as_bytes())?;
                if w.events.len() != rows - 1 {
                    return Err(WorkloadError::File {
                        path: path.to_string(),
                        message: format!(
                            "{} rows read as {} requests: s3sim cannot key this file's lines",
                            rows - 1,
                            w.events.len()
                        ),
                    });
                }
                let mut events = w.events.iter();
                for (n, t) in lines {
                    if *n == first.0 {
                        out.push(Err(Target::All));
                    } else if !text_line(t) {
                        out.push(Ok(None));
                    } else {
                        let e = events.next().expect("one event per row");
                        self.facts
                            .add((!e.op.is_initial()).then_some(e.time), false);
                        out.push(Ok(Some(w.keys[e.key as usize].to_string())));
                    }
                }
                self.facts.names_versions |= w.names_versions();
            }
            Format::Inventory => {
                return Err(WorkloadError::File {
                    path: path.to_string(),
                    message: "an S3 Inventory: give it to each worker with --inventory".into(),
                });
            }
        }
        Ok(out)
    }
}

/// The workload of keyed lines (`run --records`): sorted by file then line, each file's text
/// rebuilt with its line numbers (blank lines stand for the lines of other shards, which the
/// readers skip) and read as `run` reads the files, one by one, in path order. `name` names
/// the workload; an empty share is an empty workload.
pub fn read_records(
    name: &str,
    mut records: Vec<(String, u64, String)>,
    opts: &ReadOptions,
) -> Result<Workload, WorkloadError> {
    // Files in the order `run` reads a folder's (by path, component by component), then lines.
    records.sort_by(|a, b| {
        std::path::Path::new(&a.0)
            .cmp(std::path::Path::new(&b.0))
            .then(a.1.cmp(&b.1))
    });
    if let Some(w) = records
        .windows(2)
        .find(|w| (&w[0].0, w[0].1) == (&w[1].0, w[1].1))
    {
        return Err(WorkloadError::Line {
            path: w[0].0.clone(),
            line: w[0].1,
            message: "given twice in the records".into(),
        });
    }
    let mut files: Vec<(String, String)> = Vec::new();
    let mut next = 1u64;
    for (path, line, text) in records {
        if files.last().is_none_or(|f| f.0 != path) {
            files.push((path, String::new()));
            next = 1;
        }
        let text_of = &mut files.last_mut().expect("pushed").1;
        for _ in next..line {
            text_of.push('\n');
        }
        text_of.push_str(&text);
        text_of.push('\n');
        next = line + 1;
    }
    let mut b = Builder::new(opts.strict);
    let mut native: Option<Workload> = None;
    for (path, text) in &files {
        let format = match opts.format {
            Some(f) => f,
            None => detect(path, text)?,
        };
        match format {
            Format::AccessLog => accesslog::read(path, text.as_bytes(), &mut b)?,
            Format::IbmTrace => ibm::read(path, text.as_bytes(), opts.trace_start, &mut b)?,
            Format::Native => {
                if files.len() > 1 {
                    return Err(WorkloadError::File {
                        path: path.clone(),
                        message: "a workload CSV among other files: give workload CSVs one by one"
                            .into(),
                    });
                }
                // A share of only the header (and comments) has no request.
                let rows = text
                    .lines()
                    .filter(|l| {
                        let t = l.trim_start();
                        !t.is_empty() && !t.starts_with('#')
                    })
                    .count();
                if rows > 1 {
                    native = Some(super::read_native_csv(path, text.as_bytes())?);
                }
            }
            Format::Inventory => {
                return Err(WorkloadError::File {
                    path: path.clone(),
                    message: "an S3 Inventory: give it to each worker with --inventory".into(),
                });
            }
        }
    }
    let mut w = match native {
        Some(w) => w,
        None => b.finish_share(name, name)?,
    };
    w.name = name.to_string();
    Ok(w)
}
