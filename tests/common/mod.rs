//! Helpers shared by the integration tests.
#![allow(dead_code)]

use s3sim::ledger::{Bill, Months, bill};
use s3sim::model::time::{Micros, parse_timestamp};
use s3sim::model::{Op, RestoreTier, StorageClass, Versioning};
use s3sim::policy::{Policy, ValidateOptions};
use s3sim::pricing::PriceTable;
use s3sim::sim::{SimOptions, SimResult, simulate};
use s3sim::workload::{ByKey, Event, WHOLE_OBJECT, Workload, read_native_csv};

pub const GIB: u64 = 1 << 30;

/// Runs the `s3sim` binary in `dir`.
pub fn s3sim(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_s3sim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run s3sim")
}

/// Bytes as text, for messages.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn t(s: &str) -> Micros {
    parse_timestamp(s).unwrap_or_else(|| panic!("bad timestamp {s}"))
}

pub fn workload(csv: &str) -> ByKey {
    read_native_csv("test.csv", csv.as_bytes())
        .unwrap()
        .group_by_key()
}

pub fn policy(json: &str) -> Policy {
    Policy::parse("test", "test.json", json, &ValidateOptions::default()).unwrap()
}

/// Options for `months` calendar months from `start` (`YYYY-MM-DDT00:00:00Z`).
pub fn opts(start: &str, end: &str) -> SimOptions {
    let prices = PriceTable::builtin();
    SimOptions {
        months: Months::new(t(start), t(end)),
        restore_tier: RestoreTier::Standard,
        restore_days: 1,
        egress: false,
        restore_latency: prices.restore_latency,
        trace: false,
        versioning: Versioning::Off,
        it_configs: Default::default(),
    }
}

pub fn run(w: &ByKey, p: &Policy, o: &SimOptions) -> (SimResult, Bill) {
    let r = simulate(w, p, o);
    let b = bill(&r.usage, &o.months, &PriceTable::builtin());
    (r, b)
}

/// Builds events directly (fast, for workloads of hundreds of thousands of requests).
pub struct Builder {
    pub keys: Vec<Box<str>>,
    pub events: Vec<Event>,
    /// Version and upload ids; index 0 is none.
    pub ids: Vec<Box<str>>,
    /// (row, id) of writes with an id.
    pub created_ids: Vec<(u32, u32)>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            keys: Vec::new(),
            events: Vec::new(),
            ids: vec![Box::from("")],
            created_ids: Vec::new(),
        }
    }

    pub fn key(&mut self, k: &str) -> u32 {
        if let Some(i) = self.keys.iter().position(|x| &**x == k) {
            return i as u32;
        }
        self.keys.push(k.into());
        (self.keys.len() - 1) as u32
    }

    pub fn push(&mut self, time: Micros, op: Op, key: u32, size: u64, class: StorageClass) {
        self.events.push(Event {
            time,
            size,
            key,
            tags: 0,
            row: 0,
            tier: 0,
            op,
            class,
        });
    }

    /// Pushes an event naming a version id or upload id.
    pub fn push_id(
        &mut self,
        time: Micros,
        op: Op,
        key: u32,
        size: u64,
        class: StorageClass,
        id: &str,
    ) {
        let vid = match self.ids.iter().position(|x| &**x == id) {
            Some(i) => i as u32,
            None => {
                self.ids.push(id.into());
                (self.ids.len() - 1) as u32
            }
        };
        self.push(time, op, key, size, class);
        let e = self.events.last_mut().expect("pushed");
        if e.has_tags() {
            self.created_ids.push(((self.events.len() - 1) as u32, vid));
        } else {
            e.tags = vid;
        }
    }

    pub fn get(&mut self, time: Micros, key: u32) {
        self.push(time, Op::Get, key, WHOLE_OBJECT, StorageClass::Standard);
    }

    pub fn build(self) -> ByKey {
        let mut w = Workload::from_events("built", self.keys, Vec::new(), self.events);
        w.ids = self.ids;
        w.created_ids = self.created_ids;
        w.group_by_key()
    }
}

/// `a` and `b` equal within `tol` (absolute).
#[track_caller]
pub fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} != {b} (tolerance {tol})");
}

/// A CSV s3sim wrote (no commas inside cells), each row a map from column to cell (quotes
/// trimmed).
pub fn csv_rows(path: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = s.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(|c| c.trim_matches('"').to_string()))
                .collect()
        })
        .collect()
}
