//! `s3sim generate`: synthetic workloads from small, documented models of how buckets are used.
//!
//! Every profile is a set of [`Params`] the user can override one by one. Generation is
//! single-threaded and streaming: objects' future requests wait in per-day buckets (one pending
//! read per object), so memory grows with the number of objects, not of events, and the rows come
//! out in time order. The same parameters and seed give the same bytes.

mod profile;
mod rng;

use std::io::Write;

use anyhow::Result;

use crate::model::Op;
use crate::model::time::{DAY, HOUR, Micros, SECOND, push_date, push_digits};
pub use profile::{Params, Profile};
pub use rng::{Rng, normal_cdf};

/// What kind of pending request a bucket entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
enum Kind {
    Put = 0,
    Get = 1,
    Delete = 2,
    /// The `n`-th read of a burst (epoch, drill or scan) over a list of objects.
    Burst = 3,
}

/// A pending request: when, which object (or burst position), what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Pending {
    time: Micros,
    kind: Kind,
    id: u32,
}

/// Per-object state [32 bytes].
#[derive(Debug, Clone, Copy)]
struct Obj {
    created: Micros,
    size: u64,
    /// Start of the current decaying read process, and its initial rate [reads per day].
    origin: Micros,
    rate0: f32,
    /// Day offset of a revival (a second read process), < 0 for none.
    revival_days: f32,
}

/// Counts of what was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenStats {
    pub rows: u64,
    pub puts: u64,
    pub gets: u64,
    pub deletes: u64,
}

/// Writes a workload CSV (SPEC §2.1) for `p` to `out`, rows in time order.
pub fn generate(p: &Params, out: &mut dyn Write) -> Result<GenStats> {
    p.validate()?;
    let mut g = Generator::new(p);
    g.run(out)?;
    Ok(g.stats)
}

struct Generator<'a> {
    p: &'a Params,
    rng: Rng,
    objs: Vec<Obj>,
    end: Micros,
    /// Pending requests by day from the start.
    days: Vec<Vec<Pending>>,
    /// The running burst: object ids in read order, and when it started.
    burst: Vec<u32>,
    burst_start: Micros,
    stats: GenStats,
    /// The row writer, and the current row's key.
    writer: crate::workload::NativeWriter,
    key: String,
    /// Hours of the day by share of the day's requests (empty without a daily cycle).
    warp_table: Vec<f64>,
    /// The last key date written: (day number, `YYYY/MM/DD`).
    date: (i64, String),
}

const WARP_STEPS: usize = 1024;

/// The inverse of the daily cycle's cumulative share: `WARP_STEPS + 1` hours for shares 0..=1.
fn warp_table(a: f64) -> Vec<f64> {
    let tau = std::f64::consts::TAU;
    let cdf = |h: f64| {
        (h + a * 24.0 / tau * (((h - 14.0) * tau / 24.0).sin() - (-14.0 * tau / 24.0).sin())) / 24.0
    };
    (0..=WARP_STEPS)
        .map(|k| {
            let u = k as f64 / WARP_STEPS as f64;
            let (mut lo, mut hi) = (0.0, 24.0);
            for _ in 0..50 {
                let mid = (lo + hi) / 2.0;
                if cdf(mid) < u { lo = mid } else { hi = mid }
            }
            (lo + hi) / 2.0
        })
        .collect()
}

impl<'a> Generator<'a> {
    fn new(p: &'a Params) -> Generator<'a> {
        let end = p.end();
        let n_days = ((end - p.start) / DAY) as usize + 1;
        Generator {
            p,
            rng: Rng::new(p.seed),
            objs: Vec::with_capacity(p.objects as usize),
            end,
            days: vec![Vec::new(); n_days],
            burst: Vec::new(),
            burst_start: 0,
            stats: GenStats::default(),
            writer: crate::workload::NativeWriter::default(),
            key: String::with_capacity(128),
            warp_table: if p.daily_cycle > 0.0 {
                warp_table(p.daily_cycle)
            } else {
                Vec::new()
            },
            date: (i64::MIN, String::new()),
        }
    }

    fn schedule(&mut self, time: Micros, kind: Kind, id: u32) {
        if time < self.end && time >= self.p.start {
            let d = ((time - self.p.start) / DAY) as usize;
            self.days[d].push(Pending { time, kind, id });
        }
    }

    /// Creation times, sizes and read rates of every object; their PUTs and the first bursts.
    fn plan(&mut self) {
        let p = self.p;
        let n = p.objects as usize;
        let span = self.end - p.start;
        let days = span / DAY;
        // Popularity: a random rank for each object (a shuffled identity), weight rank^-zipf,
        // normalised to mean 1.
        let mut rank: Vec<u32> = (0..n as u32).collect();
        if p.zipf != 0.0 {
            for i in (1..n).rev() {
                let j = self.rng.below(i as u64 + 1) as usize;
                rank.swap(i, j);
            }
        }
        let weight = |r: u32| {
            if p.zipf == 0.0 {
                1.0
            } else {
                ((r as f64) + 1.0).powf(-p.zipf)
            }
        };
        let mean_w = if p.zipf == 0.0 {
            1.0
        } else {
            (0..n as u32).map(weight).sum::<f64>() / n as f64
        };
        let ln2 = std::f64::consts::LN_2;
        for (i, &r) in rank.iter().enumerate() {
            let created = match p.profile {
                // Steady uploads over the period.
                Profile::WebAssets | Profile::Logs | Profile::Media => {
                    p.start + ((i as f64 + self.rng.uniform()) * span as f64 / n as f64) as Micros
                }
                // One backup set a night at 01:00 (several parts when there are more objects than days).
                Profile::Backups => {
                    let per_day = (n as u64).div_ceil(days.max(1) as u64).max(1) as i64;
                    p.start + (i as i64 / per_day) * DAY + HOUR + (i as i64 % per_day) * 60 * SECOND
                }
                // All shards uploaded on the first day, 200 a second.
                Profile::MlDataset => p.start + HOUR + i as i64 * SECOND / 200,
                // A day's partitions written at 00:30 by the daily job.
                Profile::DataLake => {
                    let per_day = (n as u64).div_ceil(days.max(1) as u64).max(1) as i64;
                    p.start
                        + (i as i64 / per_day) * DAY
                        + 30 * 60 * SECOND
                        + (i as i64 % per_day) * SECOND
                }
            };
            let mut size = self.rng.lognormal(p.size_median, p.size_sigma);
            if p.profile == Profile::Backups && ((created - p.start) / DAY) % 7 == 0 {
                size *= 7.0; // the weekly full
            }
            let size = size.round().clamp(0.0, 5.0 * 1024f64.powi(4)) as u64;
            // Mean reads R_i = R * w_i / mean(w); initial rate of an exponentially decaying
            // process with half-life h: R_i * ln 2 / h [per day].
            let reads = p.reads_per_object * weight(r) / mean_w;
            let rate0 = (reads * ln2 / p.decay_half_life_days) as f32;
            let revival_days = if self.rng.uniform() < p.revival {
                (60.0 + 240.0 * self.rng.uniform()) as f32
            } else {
                -1.0
            };
            self.objs.push(Obj {
                created,
                size,
                origin: created,
                rate0,
                revival_days,
            });
            self.schedule(created, Kind::Put, i as u32);
        }
        if p.burst_every_days > 0.0 && p.burst_rps > 0.0 {
            let first = match p.profile {
                Profile::MlDataset => p.start + DAY,
                Profile::Backups => {
                    p.start + (p.burst_every_days * DAY as f64) as Micros + 10 * HOUR
                }
                _ => p.start + (p.burst_every_days * DAY as f64) as Micros + 2 * HOUR,
            };
            self.schedule(first, Kind::Burst, 0);
        }
    }

    /// The next read of object `id` after `t` in its decaying process (exact inversion of the
    /// cumulative intensity), or the start of its revival, or nothing.
    fn next_read(&mut self, id: u32, t: Micros) -> Option<Micros> {
        let o = self.objs[id as usize];
        if o.rate0 <= 0.0 {
            return None;
        }
        let h = self.p.decay_half_life_days;
        let ln2 = std::f64::consts::LN_2;
        let age = (t - o.origin) as f64 / DAY as f64;
        // Lambda(a) = rate0 h / ln2 (1 - 2^(-a/h)); solve Lambda(a') - Lambda(a) = E.
        let left = (-age * ln2 / h).exp() - self.rng.exp1() * ln2 / (f64::from(o.rate0) * h);
        if left > 0.0 {
            let next_age = -h * left.log2();
            let mut at = o.origin + (next_age * DAY as f64) as Micros;
            if at <= t {
                at = t + 1;
            }
            self.alive_at(id, at).then_some(at)
        } else if o.revival_days > 0.0 {
            let at = o.created + (f64::from(o.revival_days) * DAY as f64) as Micros;
            if at > t && self.alive_at(id, at) {
                let o = &mut self.objs[id as usize];
                o.origin = at;
                o.rate0 /= 2.0;
                o.revival_days = -1.0;
                return Some(at);
            }
            None
        } else {
            None
        }
    }

    /// The daily cycle as a time warp: the model runs on a uniform clock, and each instant is
    /// written at the time of day where that share of the day's requests has happened, under a
    /// density 1 + A cos(2 pi (h - 14) / 24) peaking at 14:00 UTC. Monotone, so order and daily
    /// counts are kept.
    fn warp(&self, t: Micros) -> Micros {
        if self.warp_table.is_empty() {
            return t;
        }
        let day = t - t.rem_euclid(DAY);
        let u = t.rem_euclid(DAY) as f64 / DAY as f64 * (WARP_STEPS as f64);
        let k = (u as usize).min(WARP_STEPS - 1);
        let f = u - k as f64;
        let h = self.warp_table[k] + (self.warp_table[k + 1] - self.warp_table[k]) * f;
        day + ((h * HOUR as f64) as Micros).min(DAY - 1)
    }

    fn alive_at(&self, id: u32, t: Micros) -> bool {
        let kept = match self.p.delete_after_days {
            Some(d) => t < self.objs[id as usize].created + (d * DAY as f64) as Micros,
            None => true,
        };
        kept && t < self.end
    }

    /// The objects a burst starting at `t` reads, in order.
    fn burst_members(&mut self, t: Micros) -> Vec<u32> {
        let p = self.p;
        let live = |o: &Obj| {
            o.created < t
                && match p.delete_after_days {
                    Some(d) => t < o.created + (d * DAY as f64) as Micros,
                    None => true,
                }
        };
        match p.profile {
            // An epoch reads every shard once, in a fresh order (an affine permutation).
            Profile::MlDataset => {
                let n = self.objs.len() as u64;
                let mut a = self.rng.below(n.max(2)) | 1;
                while gcd(a, n) != 1 {
                    a += 2;
                }
                let b = self.rng.below(n.max(1));
                (0..n)
                    .map(|k| ((a.wrapping_mul(k) + b) % n) as u32)
                    .filter(|&i| live(&self.objs[i as usize]))
                    .collect()
            }
            // A restore drill reads the newest complete backup set: the last full and the
            // incrementals after it.
            Profile::Backups => {
                let alive: Vec<u32> = (0..self.objs.len() as u32)
                    .filter(|&i| live(&self.objs[i as usize]))
                    .collect();
                let full_day = |o: &Obj| ((o.created - p.start) / DAY) % 7 == 0;
                match alive
                    .iter()
                    .rposition(|&i| full_day(&self.objs[i as usize]))
                {
                    Some(k) => alive[k..].to_vec(),
                    None => alive,
                }
            }
            // A monthly job scans a tenth of the partitions older than 30 days.
            _ => {
                let old = t - 30 * DAY;
                (0..self.objs.len() as u32)
                    .filter(|&i| {
                        let o = &self.objs[i as usize];
                        live(o) && o.created < old
                    })
                    .filter(|_| self.rng.uniform() < 0.1)
                    .collect()
            }
        }
    }

    fn run(&mut self, out: &mut dyn Write) -> Result<()> {
        self.plan();
        out.write_all(crate::workload::NATIVE_HEADER.as_bytes())?;
        let gap = (SECOND as f64 / self.p.burst_rps.max(1e-9)) as Micros;
        for d in 0..self.days.len() {
            // Today's requests in time order; follow-ups due today join the heap.
            let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<Pending>> =
                std::mem::take(&mut self.days[d])
                    .into_iter()
                    .map(std::cmp::Reverse)
                    .collect();
            let day_end = self.p.start + (d as i64 + 1) * DAY;
            while let Some(std::cmp::Reverse(e)) = heap.pop() {
                match e.kind {
                    Kind::Put => {
                        self.write(out, e.time, Op::Put, e.id)?;
                        if let Some(del) = self.p.delete_after_days {
                            let at =
                                self.objs[e.id as usize].created + (del * DAY as f64) as Micros;
                            self.push(&mut heap, day_end, at, Kind::Delete, e.id);
                        }
                        self.next_read_into(&mut heap, day_end, e.id, e.time);
                    }
                    Kind::Get => {
                        self.write(out, e.time, Op::Get, e.id)?;
                        self.next_read_into(&mut heap, day_end, e.id, e.time);
                    }
                    Kind::Delete => self.write(out, e.time, Op::Delete, e.id)?,
                    Kind::Burst => {
                        if e.id == 0 {
                            self.burst = self.burst_members(e.time);
                            self.burst_start = e.time;
                            let every = (self.p.burst_every_days * DAY as f64) as Micros;
                            self.push(&mut heap, day_end, e.time + every, Kind::Burst, 0);
                        }
                        if let Some(&obj) = self.burst.get(e.id as usize) {
                            self.write(out, e.time, Op::Get, obj)?;
                            let at = self.burst_start + (e.id as i64 + 1) * gap;
                            if (e.id as usize + 1) < self.burst.len() {
                                self.push(&mut heap, day_end, at, Kind::Burst, e.id + 1);
                            }
                        }
                    }
                }
            }
        }
        out.flush()?;
        Ok(())
    }

    fn push(
        &mut self,
        heap: &mut std::collections::BinaryHeap<std::cmp::Reverse<Pending>>,
        day_end: Micros,
        time: Micros,
        kind: Kind,
        id: u32,
    ) {
        if time < day_end {
            if time < self.end {
                heap.push(std::cmp::Reverse(Pending { time, kind, id }));
            }
        } else {
            self.schedule(time, kind, id);
        }
    }

    fn next_read_into(
        &mut self,
        heap: &mut std::collections::BinaryHeap<std::cmp::Reverse<Pending>>,
        day_end: Micros,
        id: u32,
        t: Micros,
    ) {
        if let Some(at) = self.next_read(id, t) {
            self.push(heap, day_end, at, Kind::Get, id);
        }
    }

    /// Writes one row (through the one native-CSV writer).
    fn write(&mut self, out: &mut dyn Write, t: Micros, op: Op, id: u32) -> Result<()> {
        let t = self.warp(t);
        let o = self.objs[id as usize];
        self.key.clear();
        key(&mut self.key, self.p, id, &o, &mut self.date);
        let (size, class, tags) = match op {
            Op::Put => {
                self.stats.puts += 1;
                let tags = if self.p.profile == Profile::Logs {
                    "type=app"
                } else {
                    ""
                };
                (Some(o.size), Some(self.p.storage_class), tags)
            }
            Op::Get => {
                self.stats.gets += 1;
                (None, None, "")
            }
            _ => {
                self.stats.deletes += 1;
                (None, None, "")
            }
        };
        self.writer
            .row(out, t, op, &self.key, size, class, tags, "")?;
        self.stats.rows += 1;
        Ok(())
    }
}

/// The key of object `id` under its profile's layout; `date` caches the last creation day's
/// text (day number, `YYYY/MM/DD`).
fn key(line: &mut String, p: &Params, id: u32, o: &Obj, date: &mut (i64, String)) {
    let day = o.created.div_euclid(DAY);
    if matches!(
        p.profile,
        Profile::Logs | Profile::Backups | Profile::DataLake
    ) && date.0 != day
    {
        date.0 = day;
        date.1.clear();
        push_date(&mut date.1, o.created, '/');
    }
    let dashed = |line: &mut String, d: &str| {
        for c in d.chars() {
            line.push(if c == '/' { '-' } else { c });
        }
    };
    match p.profile {
        Profile::WebAssets => {
            line.push_str("assets/");
            let h = (id.wrapping_mul(2_654_435_761) >> 24) & 0xff;
            line.push(char::from_digit(h >> 4, 16).expect("hex digit"));
            line.push(char::from_digit(h & 15, 16).expect("hex digit"));
            line.push_str("/img-");
            push_digits(line, u64::from(id), 7);
            line.push_str(".jpg");
        }
        Profile::Logs => {
            line.push_str("logs/");
            line.push_str(&date.1);
            line.push_str("/app-");
            push_digits(line, u64::from(id), 7);
            line.push_str(".log.gz");
        }
        Profile::Backups => {
            let full = ((o.created - p.start) / DAY) % 7 == 0;
            line.push_str(if full {
                "backups/full/"
            } else {
                "backups/incr/"
            });
            dashed(line, &date.1);
            line.push_str("/part-");
            push_digits(line, u64::from(id), 5);
            line.push_str(".tar");
        }
        Profile::Media => {
            line.push_str("media/");
            push_digits(line, u64::from(id % 16), 2);
            line.push_str("/video-");
            push_digits(line, u64::from(id), 7);
            line.push_str(".mp4");
        }
        Profile::MlDataset => {
            line.push_str("datasets/train/shard-");
            push_digits(line, u64::from(id), 6);
            line.push_str(".tfrecord");
        }
        Profile::DataLake => {
            line.push_str("lake/events/dt=");
            dashed(line, &date.1);
            line.push_str("/part-");
            push_digits(line, u64::from(id), 6);
            line.push_str(".parquet");
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
