//! The native workload CSV (SPEC §2.1): header by name, `#` comments, any row order.
//!
//! The file is read in blocks; each block is cut at record boundaries into pieces parsed in
//! parallel, each with its own key table; the pieces are then merged in file order, so key ids,
//! row order and error messages are the same whatever the number of threads.

//!
//! Its parts: [`records`] cuts blocks into whole records, [`parse`] reads the header and the
//! records, [`intern`] numbers the keys.

mod intern;
mod parse;
mod records;

use std::io::Read;

use rustc_hash::FxHashMap;

use super::{Event, Source, Workload, WorkloadError};
use intern::Shard;
use parse::{parse_piece, read_header};
use records::{fill, last_record_end, record_ends, split_records, with_line_base};

/// Bytes read per block; a block is parsed by all threads at once.
const BLOCK: usize = 8 << 20;

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
    /// Version and upload ids; local id i + 1 is entry i.
    ids: Vec<String>,
    id_map: FxHashMap<String, u32>,
    /// (event index in the piece, local id) of writes that carry an id.
    created_ids: Vec<(u32, u32)>,
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
        self.ids.clear();
        self.id_map.clear();
        self.created_ids.clear();
        self.newlines = 0;
    }
}

/// The columns of a workload CSV's header line that the spill of `--max-memory` reads: the key's
/// and the timestamp's, and whether the file names version or upload ids (then the spill reads
/// rows whole, to know whether the bucket is versioned).
pub fn key_columns(path: &str, header: &str) -> Result<(usize, usize, bool), WorkloadError> {
    let mut text = header.to_string();
    text.push('\n');
    let (cols, _, _) = read_header(path, text.as_bytes())?;
    Ok((cols.key(), cols.timestamp(), cols.names_ids()))
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
    let mut ids: Vec<Box<str>> = vec![Box::from("")];
    let mut id_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut created_ids: Vec<(u32, u32)> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let threads = rayon::current_num_threads();
    let max_keys = u32::MAX as usize / SHARDS;
    // Pieces being parsed, and those of the block before, parsed and interned, whose events are
    // appended to `events` while the next block is parsed.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut done: Vec<Piece> = Vec::new();
    let append = |events: &mut Vec<Event>, created_ids: &mut Vec<(u32, u32)>, done: &[Piece]| {
        for piece in done {
            let base = events.len() as u32;
            created_ids.extend(piece.created_ids.iter().map(|&(i, v)| (base + i, v)));
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
            // One record longer than a block (which is longer than any line s3sim reads).
            return Err(WorkloadError::Line {
                path: path.to_string(),
                line: line_base + 1,
                message: format!(
                    "longer than {} MiB, the longest line s3sim reads (is this a workload CSV?)",
                    crate::model::limits::MAX_LINE_BYTES >> 20
                ),
            });
        }
        let ranges = split_records(&buf[..cut], threads * 8, ends.as_deref());
        pieces.resize_with(ranges.len(), Piece::default);
        // Parse this block while reading the next one (the reader may hash what it reads).
        next.clear();
        next.extend_from_slice(&buf[cut..]);
        let (read_next, parsed) = rayon::join(
            || {
                append(&mut events, &mut created_ids, &done);
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
                for e in piece.events.iter_mut().filter(|e| e.has_tags()) {
                    e.tags = tag_map[e.tags as usize];
                }
            }
            let mut id_map: Vec<u32> = vec![0];
            for raw in piece.ids.drain(..) {
                let raw: Box<str> = raw.into();
                let id = match id_ids.get(&raw) {
                    Some(&id) => id,
                    None => {
                        ids.push(raw.clone());
                        id_ids.insert(raw, (ids.len() - 1) as u32);
                        (ids.len() - 1) as u32
                    }
                };
                id_map.push(id);
            }
            if id_map.len() > 1 {
                for e in piece.events.iter_mut().filter(|e| !e.has_tags()) {
                    e.tags = id_map[e.tags as usize];
                }
                for c in &mut piece.created_ids {
                    c.1 = id_map[c.1 as usize];
                }
            }
        }
        std::mem::swap(&mut pieces, &mut done);
        std::mem::swap(&mut buf, &mut next);
        if eof && buf.is_empty() {
            break;
        }
    }
    append(&mut events, &mut created_ids, &done);
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
    wl.ids = ids;
    wl.created_ids = created_ids;
    crate::timing::mark("  rows numbered");
    wl.source = Source {
        path: path.into(),
        bytes: 0,
        sha256: String::new(),
        rows,
    };
    Ok(wl)
}

#[cfg(test)]
mod tests {
    use super::records::record_ends;
    use super::*;
    use crate::model::{Op, StorageClass};
    use crate::workload::{WHOLE_OBJECT, with_threads};

    fn read(text: &str) -> Result<super::super::ByKey, WorkloadError> {
        read_native_csv("w.csv", text.as_bytes()).map(Workload::group_by_key)
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

    /// Random files (comments, blank lines, a BOM, good and bad rows) read the same through the
    /// hand-split path and the csv crate's: the same file with CRLF line ends, and with every field
    /// quoted, both go through the csv crate; rows, keys, tags and errors (with their line
    /// numbers) must be identical.
    #[test]
    fn hand_split_and_csv_crate_read_alike_on_random_files() {
        use proptest::prelude::*;
        let line = prop_oneof![
            6 => (0u32..3, 0usize..6, 0usize..5, 0u64..3000, 0usize..3).prop_map(
                |(day, op, key, size, tags)| {
                    let ops = ["PUT", "GET", "DELETE", "put", "HEAD", "LIST"];
                    let keys = ["a/b.txt", "c", "my photos/x y", "d/é.bin", "k#1"];
                    let tag = ["", "a=1", "b=2&a=1"][tags];
                    format!(
                        "2026-01-{:02}T00:00:00Z,{},{},{},STANDARD,{tag}",
                        day + 1,
                        ops[op],
                        keys[key],
                        size
                    )
                }
            ),
            1 => Just(String::new()),
            1 => Just("# a comment, with a comma".to_string()),
            1 => prop_oneof![
                Just("2026-13-01T00:00:00Z,PUT,a,1,,".to_string()),
                Just("2026-01-01T00:00:00Z,PUT,a,-5,,".to_string()),
                Just("2026-01-01T00:00:00Z,FETCH,a,1,,".to_string()),
                Just("2026-01-01T00:00:00Z,PUT,,1,,".to_string()),
                Just("2026-01-01T00:00:00Z,PUT,a,1,GLACIERX,".to_string()),
                Just("2026-01-01T00:00:00Z,PUT,a,1,,=v".to_string()),
            ],
        ];
        let file = (any::<bool>(), proptest::collection::vec(line, 1..40));
        let quote = |l: &str| -> String {
            if l.is_empty() || l.starts_with('#') {
                return l.to_string();
            }
            l.split(',')
                .map(|f| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(",")
        };
        let outcome = |text: &str| match read_native_csv("w.csv", text.as_bytes()) {
            Ok(w) => Ok((w.events, w.keys, w.tagsets)),
            Err(e) => Err(e.to_string()),
        };
        proptest!(ProptestConfig::with_cases(256), |((bom, lines) in file)| {
            let header = format!("{}timestamp,op,key,size,storage_class,tags", if bom { "\u{feff}" } else { "" });
            let mut plain = header.clone() + "\n";
            let mut quoted = header + "\n";
            for l in &lines {
                plain.push_str(l);
                plain.push('\n');
                quoted.push_str(&quote(l));
                quoted.push('\n');
            }
            let fast = outcome(&plain);
            prop_assert_eq!(&fast, &outcome(&plain.replace('\n', "\r\n")));
            prop_assert_eq!(&fast, &outcome(&quoted));
            if let Err(e) = &fast {
                // An error names a line of the file.
                let n: u64 = e
                    .strip_prefix("w.csv:")
                    .and_then(|r| r.split(':').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                prop_assert!(n >= 1 && n <= lines.len() as u64 + 1 || e.contains("no events"), "{}", e);
            }
        });
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
        assert!(err.contains("largest object"), "{err}");
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
            .map(|&n| with_threads(n, || raw.clone().group_by_key().events.clone()))
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
