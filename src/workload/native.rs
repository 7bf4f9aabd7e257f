//! The native workload CSV (SPEC §2.1): header by name, `#` comments, any row order.

use std::io::Read;

use rustc_hash::FxHashMap;

use super::{Event, Source, WHOLE_OBJECT, Workload, WorkloadError};
use crate::model::time::parse_timestamp;
use crate::model::{Op, StorageClass};

struct Columns {
    timestamp: usize,
    op: usize,
    key: usize,
    size: Option<usize>,
    storage_class: Option<usize>,
    tags: Option<usize>,
}

/// Parses a native CSV from `reader`; `path` names it in errors.
pub fn read_native_csv<R: Read>(path: &str, reader: R) -> Result<Workload, WorkloadError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .comment(Some(b'#'))
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    let file_err = |message: String| WorkloadError::File {
        path: path.to_string(),
        message,
    };
    let headers = rdr.byte_headers().map_err(|e| csv_error(path, e))?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
        return Err(file_err(
            "the file is empty: a header row naming the columns timestamp,op,key,size is required"
                .into(),
        ));
    }
    let mut names = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let name = std::str::from_utf8(h).map_err(|_| WorkloadError::Line {
            path: path.to_string(),
            line: 1,
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

    let mut keys: Vec<Box<str>> = Vec::new();
    let mut key_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut tagsets: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut tag_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut events = Vec::new();
    let mut record = csv::ByteRecord::new();
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let field = |idx: usize, column: &str| -> Result<&str, WorkloadError> {
            let raw = record.get(idx).unwrap_or(b"");
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
        if record.len() == 1 && record[0].is_empty() {
            continue; // blank line
        }
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
            Op::Get if !size_s.is_empty() => {
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
                } else if let Some(&id) = tag_ids.get(s) {
                    id
                } else {
                    let set = parse_tags(s).map_err(|m| bad("tags", s, m))?;
                    let id = u32::try_from(tagsets.len())
                        .map_err(|_| bad("tags", s, "too many distinct tag sets".into()))?;
                    tagsets.push(set);
                    tag_ids.insert(s.to_string(), id);
                    id
                }
            }
            _ => 0,
        };
        let key = match key_ids.get(key) {
            Some(&id) => id,
            None => {
                let id = u32::try_from(keys.len())
                    .map_err(|_| bad("key", key, "more than 2^32 distinct keys".into()))?;
                let k: Box<str> = key.into();
                keys.push(k.clone());
                key_ids.insert(k, id);
                id
            }
        };
        first = first.min(time);
        last = last.max(time);
        events.push(Event {
            time,
            size,
            key,
            tags,
            op,
            class,
        });
    }
    if events.is_empty() {
        return Err(file_err(
            "contains no events (only a header or comments)".into(),
        ));
    }
    let rows = events.len() as u64;
    let mut wl = Workload::from_events(path, keys, tagsets, events);
    wl.first = first;
    wl.last = last;
    wl.source = Source {
        path: path.into(),
        bytes: 0,
        sha256: String::new(),
        rows,
    };
    Ok(wl)
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
        .map_err(|_| "size does not fit in 64 bits (max 18446744073709551615 bytes)".to_string())?;
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

fn csv_error(path: &str, e: csv::Error) -> WorkloadError {
    let line = e.position().map_or(0, |p| p.line());
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

    fn read(text: &str) -> Result<Workload, WorkloadError> {
        read_native_csv("w.csv", text.as_bytes())
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
        let e = &wl.events;
        assert_eq!(e.len(), 3);
        // Sorted by key then time: a's PUT, a's GET, b's PUT.
        assert_eq!(
            (e[0].op, e[0].class, e[0].size),
            (Op::Put, StorageClass::StandardIa, 100)
        );
        assert_eq!(
            wl.tagsets[e[0].tags as usize],
            vec![("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!((e[1].op, e[1].size), (Op::Get, WHOLE_OBJECT));
        assert_eq!(&*wl.keys[e[2].key as usize], "b");
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
}
