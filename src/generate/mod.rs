//! `s3sim generate`: synthetic workloads from small, documented models of how buckets are used.
//!
//! Every profile is a set of [`Params`] the user can override one by one. Generation is
//! single-threaded and streaming: objects' future requests wait in per-day buckets (one pending
//! read per object), so memory grows with the number of objects, not of events, and the rows come
//! out in time order. The same parameters and seed give the same bytes.
//!
//! The `versioned` profile writes the columns `version_id` and `upload_id` too: a key's versions
//! written by PUT are named `v1`, `v2`, ... (S3 needs a version id to be unique among the versions
//! of its key only), multipart uploads `u1`, `u2`, ... in the order they start.

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
    /// `versioned`: the next part of the key's open upload.
    Part = 4,
    /// `versioned`: the completion of the key's open upload.
    Complete = 5,
    /// `versioned`: a DELETE naming the key's next version not yet purged.
    Purge = 6,
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

/// Per-key state of the `versioned` profile.
#[derive(Debug, Clone, Copy)]
struct VState {
    /// When the key is deleted (its delete marker), `Micros::MAX` for never.
    deleted_at: Micros,
    /// Writes per day (new versions).
    write_rate: f32,
    /// Versions written so far (completed uploads included).
    versions: u32,
    /// The open upload's number (`u<N>`), 0 for none; its size, parts, next part, and the part
    /// after which it is abandoned (0: never).
    upload: u32,
    upload_size: u64,
    parts: u32,
    next_part: u32,
    abandon_after: u32,
    /// Versions deleted by id so far.
    purged: u32,
    /// A read is pending.
    reading: bool,
    /// Written by multipart uploads (else by PUT).
    multipart: bool,
    /// Its versions are deleted by id after its delete marker.
    purge: bool,
}

/// Seconds between two parts of an upload (64 MiB at about 50 MB/s), and from the last part to
/// the completion.
const PART_GAP: Micros = 2 * SECOND;
/// From a DELETE to the next when a purge deletes versions one by one.
const PURGE_GAP: Micros = SECOND;

/// Counts of what was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenStats {
    pub rows: u64,
    pub puts: u64,
    pub gets: u64,
    pub deletes: u64,
    /// `versioned`: GETs and DELETEs naming a version id.
    pub version_gets: u64,
    pub version_deletes: u64,
    /// `versioned`: multipart uploads started, completed, and abandoned (never completed), and
    /// their UPLOAD_PART rows.
    pub uploads: u64,
    pub uploads_completed: u64,
    pub uploads_abandoned: u64,
    pub parts: u64,
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
    /// `versioned`: per-key state (empty for other profiles), uploads started, and the current
    /// row's version or upload id.
    vers: Vec<VState>,
    uploads: u32,
    id: String,
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
            vers: Vec::new(),
            uploads: 0,
            id: String::with_capacity(16),
        }
    }

    fn versioned(&self) -> bool {
        self.p.profile == Profile::Versioned
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
                Profile::WebAssets | Profile::Logs | Profile::Media | Profile::Versioned => {
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
            if p.profile == Profile::Versioned {
                let deleted_at = match p.delete_after_days {
                    Some(d) => created + (d * DAY as f64) as Micros,
                    None if self.rng.uniform() < p.delete_share => {
                        created + (self.rng.uniform() * (self.end - created) as f64) as Micros
                    }
                    None => Micros::MAX,
                };
                let multipart = size >= p.multipart_threshold;
                let purge = !multipart && self.rng.uniform() < p.purge_share;
                self.vers.push(VState {
                    deleted_at,
                    write_rate: (weight(r) / mean_w / p.overwrite_every_days) as f32,
                    versions: 0,
                    upload: 0,
                    upload_size: 0,
                    parts: 0,
                    next_part: 0,
                    abandon_after: 0,
                    purged: 0,
                    reading: false,
                    multipart,
                    purge,
                });
                if deleted_at != Micros::MAX {
                    self.schedule(deleted_at, Kind::Delete, i as u32);
                }
            }
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
        if let Some(v) = self.vers.get(id as usize) {
            return t < v.deleted_at && t < self.end;
        }
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
        if self.versioned() {
            self.writer.ids = true;
            out.write_all(crate::workload::NATIVE_HEADER_IDS.as_bytes())?;
        } else {
            out.write_all(crate::workload::NATIVE_HEADER.as_bytes())?;
        }
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
                if self.versioned() {
                    self.versioned_event(out, &mut heap, day_end, e)?;
                    continue;
                }
                match e.kind {
                    Kind::Put => {
                        self.write(out, e.time, Op::Put, e.id)?;
                        if let Some(del) = self.p.delete_after_days {
                            let at =
                                self.objs[e.id as usize].created + (del * DAY as f64) as Micros;
                            self.push(&mut heap, day_end, at, Kind::Delete, e.id);
                        }
                        let _ = self.next_read_into(&mut heap, day_end, e.id, e.time);
                    }
                    Kind::Get => {
                        self.write(out, e.time, Op::Get, e.id)?;
                        let _ = self.next_read_into(&mut heap, day_end, e.id, e.time);
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
                    Kind::Part | Kind::Complete | Kind::Purge => {
                        unreachable!("versioned profile only")
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

    /// Schedules the next read of `id` after `t`; whether there is one.
    fn next_read_into(
        &mut self,
        heap: &mut std::collections::BinaryHeap<std::cmp::Reverse<Pending>>,
        day_end: Micros,
        id: u32,
        t: Micros,
    ) -> bool {
        match self.next_read(id, t) {
            Some(at) => {
                self.push(heap, day_end, at, Kind::Get, id);
                true
            }
            None => false,
        }
    }

    /// One pending request of the `versioned` profile.
    fn versioned_event(
        &mut self,
        out: &mut dyn Write,
        heap: &mut std::collections::BinaryHeap<std::cmp::Reverse<Pending>>,
        day_end: Micros,
        e: Pending,
    ) -> Result<()> {
        let (t, id) = (e.time, e.id);
        let i = id as usize;
        match e.kind {
            // A new version: by PUT, or the start of a multipart upload.
            Kind::Put => {
                let v = self.vers[i];
                if t >= v.deleted_at || v.upload != 0 {
                    return Ok(());
                }
                let size = self.version_size(id);
                if v.multipart {
                    self.uploads += 1;
                    let p = self.p;
                    // At most 10,000 parts.
                    let part = p.part_size.max(size.div_ceil(10_000));
                    let parts = size.div_ceil(part).max(1) as u32;
                    let abandon_after = if self.rng.uniform() < p.abandon_share {
                        1 + self.rng.below(u64::from(parts)) as u32
                    } else {
                        0
                    };
                    let v = &mut self.vers[i];
                    v.upload = self.uploads;
                    v.upload_size = size;
                    v.parts = parts;
                    v.next_part = 1;
                    v.abandon_after = abandon_after;
                    self.stats.uploads += 1;
                    self.upload_id(self.uploads);
                    let class = self.p.storage_class;
                    self.write_row(out, t, Op::MpuCreate, id, None, Some(class))?;
                    self.push(heap, day_end, t + PART_GAP, Kind::Part, id);
                } else {
                    self.vers[i].versions += 1;
                    self.version_id(self.vers[i].versions);
                    self.stats.puts += 1;
                    let class = self.p.storage_class;
                    self.write_row(out, t, Op::Put, id, Some(size), Some(class))?;
                    self.written(heap, day_end, id, t);
                }
            }
            Kind::Part => {
                let v = self.vers[i];
                let part = self.p.part_size.max(v.upload_size.div_ceil(10_000));
                let done = u64::from(v.next_part - 1) * part;
                let bytes = part.min(v.upload_size - done);
                self.upload_id(v.upload);
                self.stats.parts += 1;
                self.write_row(out, t, Op::MpuPart, id, Some(bytes), None)?;
                let v = &mut self.vers[i];
                if v.next_part == v.abandon_after {
                    // The client gives up, and retries an hour later.
                    v.upload = 0;
                    self.stats.uploads_abandoned += 1;
                    self.push(heap, day_end, t + HOUR, Kind::Put, id);
                } else if v.next_part == v.parts {
                    self.push(heap, day_end, t + PART_GAP, Kind::Complete, id);
                } else {
                    v.next_part += 1;
                    self.push(heap, day_end, t + PART_GAP, Kind::Part, id);
                }
            }
            Kind::Complete => {
                let v = &mut self.vers[i];
                let upload = v.upload;
                v.upload = 0;
                v.versions += 1;
                self.upload_id(upload);
                self.stats.uploads_completed += 1;
                self.write_row(out, t, Op::MpuComplete, id, None, None)?;
                self.written(heap, day_end, id, t);
            }
            Kind::Get => {
                let v = self.vers[i];
                if t >= v.deleted_at {
                    self.vers[i].reading = false;
                    return Ok(());
                }
                self.id.clear();
                if !v.multipart && v.versions >= 2 && self.rng.uniform() < self.p.version_read_share
                {
                    // One of the (up to) three versions before the current one.
                    let back = 1 + self.rng.below(u64::from((v.versions - 1).min(3))) as u32;
                    let n = v.versions - back;
                    self.version_id(n);
                    self.stats.version_gets += 1;
                }
                self.stats.gets += 1;
                self.write_row(out, t, Op::Get, id, None, None)?;
                self.vers[i].reading = self.next_read_into(heap, day_end, id, t);
            }
            // The delete marker (after the open upload, if any, completes).
            Kind::Delete => {
                if self.vers[i].upload != 0 {
                    self.push(heap, day_end, t + HOUR, Kind::Delete, id);
                    return Ok(());
                }
                self.id.clear();
                self.stats.deletes += 1;
                self.write_row(out, t, Op::Delete, id, None, None)?;
                let v = self.vers[i];
                if v.purge && v.versions > 0 {
                    let after = DAY + (self.rng.uniform() * (13 * DAY) as f64) as Micros;
                    self.push(heap, day_end, t + after, Kind::Purge, id);
                }
            }
            Kind::Purge => {
                let v = &mut self.vers[i];
                v.purged += 1;
                let (n, more) = (v.purged, v.purged < v.versions);
                self.version_id(n);
                self.stats.deletes += 1;
                self.stats.version_deletes += 1;
                self.write_row(out, t, Op::Delete, id, None, None)?;
                if more {
                    self.push(heap, day_end, t + PURGE_GAP, Kind::Purge, id);
                }
            }
            Kind::Burst => unreachable!("no bursts in the versioned profile"),
        }
        Ok(())
    }

    /// After a new version of `id` at `t`: its reads start again, and its next write is
    /// scheduled.
    fn written(
        &mut self,
        heap: &mut std::collections::BinaryHeap<std::cmp::Reverse<Pending>>,
        day_end: Micros,
        id: u32,
        t: Micros,
    ) {
        let i = id as usize;
        self.objs[i].origin = t;
        if !self.vers[i].reading {
            self.vers[i].reading = self.next_read_into(heap, day_end, id, t);
        }
        let rate = f64::from(self.vers[i].write_rate);
        let at = t + (self.rng.exp1() / rate * DAY as f64).min(1e18) as Micros;
        if at < self.vers[i].deleted_at {
            self.push(heap, day_end, at, Kind::Put, id);
        }
    }

    /// The size of a new version of `id`: its key's size give or take 10%, by PUT below the
    /// multipart threshold, by multipart upload at or above it.
    fn version_size(&mut self, id: u32) -> u64 {
        let base = self.objs[id as usize].size;
        if self.vers[id as usize].versions == 0 && self.vers[id as usize].upload_size == 0 {
            return base;
        }
        let s = (base as f64 * (0.1 * self.rng.normal()).exp()).round() as u64;
        if self.vers[id as usize].multipart {
            s.max(self.p.multipart_threshold)
        } else {
            s.min(self.p.multipart_threshold - 1)
        }
    }

    /// `self.id` = `v<n>`.
    fn version_id(&mut self, n: u32) {
        self.id.clear();
        self.id.push('v');
        push_digits(&mut self.id, u64::from(n), 1);
    }

    /// `self.id` = `u<n>`.
    fn upload_id(&mut self, n: u32) {
        self.id.clear();
        self.id.push('u');
        push_digits(&mut self.id, u64::from(n), 1);
    }

    /// Writes one row of the `versioned` profile, with `self.id`.
    fn write_row(
        &mut self,
        out: &mut dyn Write,
        t: Micros,
        op: Op,
        id: u32,
        size: Option<u64>,
        class: Option<crate::model::StorageClass>,
    ) -> Result<()> {
        let t = self.warp(t);
        let o = self.objs[id as usize];
        self.key.clear();
        key(&mut self.key, self.p, id, &o, &mut self.date);
        self.writer
            .row(out, t, op, &self.key, size, class, "", &self.id)?;
        self.stats.rows += 1;
        Ok(())
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
        // Documents by PUT, bundles (at or above the multipart threshold) by multipart upload.
        Profile::Versioned => {
            let bundle = o.size >= p.multipart_threshold;
            line.push_str(if bundle { "bundles/" } else { "docs/" });
            push_digits(line, u64::from(id % 16), 2);
            line.push_str(if bundle { "/bundle-" } else { "/doc-" });
            push_digits(line, u64::from(id), 7);
            line.push_str(if bundle { ".tar" } else { ".pdf" });
        }
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
