//! `s3sim generate`: synthetic workloads from small, documented models of how buckets are used.
//!
//! Every profile is a set of [`Params`] the user can override one by one. Generation is
//! single-threaded and streaming: objects' future requests wait in per-day buckets (one pending
//! read per object), so memory grows with the number of objects, not of events, and the rows come
//! out in time order. The same parameters and seed give the same bytes.

mod rng;

use std::fmt::Write as _;
use std::io::Write;

use anyhow::{Result, bail};

use crate::model::StorageClass;
use crate::model::time::{DAY, HOUR, Micros, SECOND, next_month_start, push_date, push_digits};
pub use rng::{Rng, normal_cdf};

/// A model of bucket use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    WebAssets,
    Logs,
    Backups,
    Media,
    MlDataset,
    DataLake,
}

impl Profile {
    pub const ALL: [Profile; 6] = [
        Profile::WebAssets,
        Profile::Logs,
        Profile::Backups,
        Profile::Media,
        Profile::MlDataset,
        Profile::DataLake,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::WebAssets => "web-assets",
            Profile::Logs => "logs",
            Profile::Backups => "backups",
            Profile::Media => "media",
            Profile::MlDataset => "ml-dataset",
            Profile::DataLake => "data-lake",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn about(self) -> &'static str {
        match self {
            Profile::WebAssets => {
                "images and scripts: steady uploads, lognormal sizes around 200 KB, Zipf popularity, reads decaying with age (half-life a week), a daily cycle"
            }
            Profile::Logs => {
                "application logs under logs/YYYY/MM/DD/, written continuously, read rarely and mostly in their first days; about a quarter under 128 KB"
            }
            Profile::Backups => {
                "nightly incremental and weekly full backups of GB-size objects, deleted after a retention period, and a restore drill reading a whole backup set from months ago"
            }
            Profile::Media => {
                "large videos and images with long-tail popularity, reads decaying over a month, and occasional revivals of old objects"
            }
            Profile::MlDataset => {
                "training shards written once under one prefix, read in epoch bursts of thousands of GETs per second (where per-prefix limits bite)"
            }
            Profile::DataLake => {
                "date-partitioned files under dt=YYYY-MM-DD/, hot for about a month, then scanned rarely by monthly jobs"
            }
        }
    }
}

/// The parameters of a workload model.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub profile: Profile,
    /// Objects written over the period.
    pub objects: u64,
    /// Calendar months simulated from `start`.
    pub months: u32,
    /// 00:00 UTC of the first day.
    pub start: Micros,
    pub seed: u64,
    /// Median object size [bytes] (lognormal).
    pub size_median: f64,
    /// Standard deviation of the log of the size.
    pub size_sigma: f64,
    /// Mean GETs per object (before popularity weighting).
    pub reads_per_object: f64,
    /// Reads per object decay with age with this half-life [days].
    pub decay_half_life_days: f64,
    /// Popularity: object of rank r gets reads in proportion to r^-zipf (0 = all alike).
    pub zipf: f64,
    /// Objects are deleted this many days after creation (None: kept).
    pub delete_after_days: Option<f64>,
    /// Rate of burst reads (epochs, drills, scans) [GETs per second].
    pub burst_rps: f64,
    /// Amplitude of the daily cycle of reads, 0..1 (0 = flat).
    pub daily_cycle: f64,
    /// Share of objects that are revived (a second burst of reads months later), 0..1.
    pub revival: f64,
    /// Days between burst reads (epochs, scans) [days].
    pub burst_every_days: f64,
    /// Storage class written by PUTs.
    pub storage_class: StorageClass,
}

impl Params {
    /// The documented defaults of a profile.
    pub fn defaults(profile: Profile) -> Params {
        let base = Params {
            profile,
            objects: 10_000,
            months: 12,
            start: crate::model::time::date_micros(2026, 1, 1),
            seed: 0,
            size_median: 200.0 * 1024.0,
            size_sigma: 1.0,
            reads_per_object: 20.0,
            decay_half_life_days: 7.0,
            zipf: 1.0,
            delete_after_days: None,
            burst_rps: 0.0,
            daily_cycle: 0.0,
            revival: 0.0,
            burst_every_days: 0.0,
            storage_class: StorageClass::Standard,
        };
        match profile {
            Profile::WebAssets => Params {
                daily_cycle: 0.6,
                ..base
            },
            Profile::Logs => Params {
                size_median: 256.0 * 1024.0,
                size_sigma: 1.2,
                reads_per_object: 0.6,
                decay_half_life_days: 2.0,
                zipf: 0.0,
                ..base
            },
            Profile::Backups => Params {
                objects: 365,
                size_median: 2.0 * 1024.0 * 1024.0 * 1024.0,
                size_sigma: 0.25,
                reads_per_object: 0.0,
                zipf: 0.0,
                delete_after_days: Some(35.0),
                burst_rps: 20.0,
                burst_every_days: 90.0,
                ..base
            },
            Profile::Media => Params {
                size_median: 50.0 * 1024.0 * 1024.0,
                size_sigma: 1.5,
                reads_per_object: 30.0,
                decay_half_life_days: 30.0,
                zipf: 1.1,
                revival: 0.05,
                ..base
            },
            Profile::MlDataset => Params {
                objects: 20_000,
                size_median: 256.0 * 1024.0 * 1024.0,
                size_sigma: 0.1,
                reads_per_object: 0.0,
                zipf: 0.0,
                burst_rps: 8_000.0,
                burst_every_days: 7.0,
                ..base
            },
            Profile::DataLake => Params {
                size_median: 64.0 * 1024.0 * 1024.0,
                size_sigma: 0.8,
                reads_per_object: 8.0,
                decay_half_life_days: 10.0,
                zipf: 0.0,
                burst_rps: 500.0,
                burst_every_days: 30.0,
                ..base
            },
        }
    }

    /// Checks the parameters (a clear error for each impossible value).
    pub fn validate(&self) -> Result<()> {
        let p = self;
        if p.objects == 0 || p.objects > u64::from(u32::MAX) {
            bail!("--objects {}: must be from 1 to {}", p.objects, u32::MAX);
        }
        if !(1..=1200).contains(&p.months) {
            bail!("--months {}: must be from 1 to 1200", p.months);
        }
        if !(p.size_median.is_finite()
            && p.size_median >= 1.0
            && p.size_median <= 5.0 * 1024f64.powi(4))
        {
            bail!(
                "--size-median {}: must be from 1 byte to 5 TB (S3's largest object)",
                p.size_median
            );
        }
        if !(p.size_sigma.is_finite() && (0.0..=5.0).contains(&p.size_sigma)) {
            bail!("--size-sigma {}: must be from 0 to 5", p.size_sigma);
        }
        if !(p.reads_per_object.is_finite() && (0.0..=1e6).contains(&p.reads_per_object)) {
            bail!(
                "--reads-per-object {}: must be from 0 to 1,000,000",
                p.reads_per_object
            );
        }
        if !(p.decay_half_life_days.is_finite() && p.decay_half_life_days > 0.0) {
            bail!(
                "--decay-half-life-days {}: must be positive",
                p.decay_half_life_days
            );
        }
        if !(p.zipf.is_finite() && (0.0..=5.0).contains(&p.zipf)) {
            bail!("--zipf {}: must be from 0 to 5", p.zipf);
        }
        if let Some(d) = p.delete_after_days
            && !(d.is_finite() && d > 0.0)
        {
            bail!("--delete-after-days {d}: must be positive");
        }
        if !(p.burst_rps.is_finite() && (0.0..=1e6).contains(&p.burst_rps)) {
            bail!(
                "--burst-rps {}: must be from 0 to 1,000,000 requests per second",
                p.burst_rps
            );
        }
        if matches!(
            p.profile,
            Profile::MlDataset | Profile::Backups | Profile::DataLake
        ) && p.burst_rps <= 0.0
        {
            bail!(
                "--burst-rps must be positive for the {} profile",
                p.profile.name()
            );
        }
        if !(p.daily_cycle.is_finite() && (0.0..=1.0).contains(&p.daily_cycle)) {
            bail!("--daily-cycle {}: must be from 0 to 1", p.daily_cycle);
        }
        if !(p.revival.is_finite() && (0.0..=1.0).contains(&p.revival)) {
            bail!("--revival {}: must be from 0 to 1", p.revival);
        }
        if !(p.burst_every_days.is_finite() && p.burst_every_days >= 0.0) {
            bail!(
                "--burst-every-days {}: must be 0 or more",
                p.burst_every_days
            );
        }
        if matches!(
            p.profile,
            Profile::MlDataset | Profile::DataLake | Profile::Backups
        ) && p.burst_every_days <= 0.0
        {
            bail!(
                "--burst-every-days must be positive for the {} profile",
                p.profile.name()
            );
        }
        if p.burst_every_days > 0.0 && p.burst_rps > 0.0 {
            // A burst reads at most every object: it must end before the next one starts.
            let longest_days = p.objects as f64 / p.burst_rps / 86_400.0;
            if p.burst_every_days < longest_days.max(1.0 / 1440.0) {
                bail!(
                    "--burst-every-days {}: bursts of up to {} objects at {} GETs/s last up to {:.4} days; choose at least that (and at least a minute)",
                    p.burst_every_days,
                    p.objects,
                    p.burst_rps,
                    longest_days
                );
            }
        }
        Ok(())
    }

    /// The end of the period (exclusive).
    pub fn end(&self) -> Micros {
        (0..self.months).fold(self.start, |t, _| next_month_start(t))
    }

    /// A readable account of the model and what to expect from it.
    pub fn describe(&self) -> String {
        let p = self;
        let mut s = String::new();
        let days = (p.end() - p.start) as f64 / DAY as f64;
        let _ = writeln!(s, "profile {}: {}", p.profile.name(), p.profile.about());
        let _ = writeln!(
            s,
            "  --objects {}  --months {} ({days:.0} days)  --seed {}",
            p.objects, p.months, p.seed
        );
        let _ = writeln!(
            s,
            "  --size-median {:.0} (bytes)  --size-sigma {}",
            p.size_median, p.size_sigma
        );
        let _ = writeln!(
            s,
            "  --reads-per-object {}  --decay-half-life-days {}  --zipf {}",
            p.reads_per_object, p.decay_half_life_days, p.zipf
        );
        let _ = writeln!(
            s,
            "  --delete-after-days {}  --burst-rps {}  --burst-every-days {}  --daily-cycle {}  --revival {}",
            p.delete_after_days
                .map_or("none".to_string(), |d| d.to_string()),
            p.burst_rps,
            p.burst_every_days,
            p.daily_cycle,
            p.revival
        );
        let mean_size = p.size_median * (p.size_sigma * p.size_sigma / 2.0).exp();
        let small =
            normal_cdf(((128.0 * 1024.0f64).ln() - p.size_median.ln()) / p.size_sigma.max(1e-9));
        let _ = writeln!(s, "expected:");
        let _ = writeln!(
            s,
            "  mean object size {:.1} MB; {:.0}% of objects under 128 KB; {:.1} GB written in all",
            mean_size / 1048576.0,
            small * 100.0,
            mean_size * p.objects as f64 / 1073741824.0
        );
        let reads = match p.profile {
            Profile::MlDataset => p.objects as f64 * (days / p.burst_every_days).floor().max(0.0),
            _ => p.objects as f64 * p.reads_per_object,
        };
        let _ = writeln!(
            s,
            "  about {:.0} GETs ({:.2} per second on average); PUTs {} ({:.3} per second)",
            reads,
            reads / (days * 86_400.0),
            p.objects,
            p.objects as f64 / (days * 86_400.0)
        );
        if p.burst_rps > 0.0 {
            let _ = writeln!(
                s,
                "  bursts at {} GETs/s every {} days (the per-prefix read limit is 5,500/s)",
                p.burst_rps, p.burst_every_days
            );
        }
        s
    }
}

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
    line: String,
    last_second: i64,
    stamp: String,
    /// Hours of the day by share of the day's requests (empty without a daily cycle).
    warp_table: Vec<f64>,
    /// The last key date written: (day number, `YYYY/MM/DD`).
    date: (i64, String),
    /// The day of the timestamp: (day number, `YYYY-MM-DD`).
    stamp_day: (i64, String),
}

/// `00` to `59`, for times of day.
const TWO_DIGITS: [&str; 60] = [
    "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15",
    "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
    "32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47",
    "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59",
];

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
            line: String::with_capacity(128),
            last_second: i64::MIN,
            stamp: String::new(),
            warp_table: if p.daily_cycle > 0.0 {
                warp_table(p.daily_cycle)
            } else {
                Vec::new()
            },
            date: (i64::MIN, String::new()),
            stamp_day: (i64::MIN, String::new()),
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
        out.write_all(b"timestamp,op,key,size,storage_class,tags\n")?;
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
                        self.write(out, e.time, "PUT", e.id)?;
                        if let Some(del) = self.p.delete_after_days {
                            let at =
                                self.objs[e.id as usize].created + (del * DAY as f64) as Micros;
                            self.push(&mut heap, day_end, at, Kind::Delete, e.id);
                        }
                        self.next_read_into(&mut heap, day_end, e.id, e.time);
                    }
                    Kind::Get => {
                        self.write(out, e.time, "GET", e.id)?;
                        self.next_read_into(&mut heap, day_end, e.id, e.time);
                    }
                    Kind::Delete => self.write(out, e.time, "DELETE", e.id)?,
                    Kind::Burst => {
                        if e.id == 0 {
                            self.burst = self.burst_members(e.time);
                            self.burst_start = e.time;
                            let every = (self.p.burst_every_days * DAY as f64) as Micros;
                            self.push(&mut heap, day_end, e.time + every, Kind::Burst, 0);
                        }
                        if let Some(&obj) = self.burst.get(e.id as usize) {
                            self.write(out, e.time, "GET", obj)?;
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

    /// Writes one row; the timestamp string is reused within a second.
    fn write(&mut self, out: &mut dyn Write, t: Micros, op: &str, id: u32) -> Result<()> {
        let t = self.warp(t);
        let sec = t.div_euclid(SECOND);
        if sec != self.last_second {
            self.last_second = sec;
            let day = sec.div_euclid(86_400);
            if day != self.stamp_day.0 {
                self.stamp_day.0 = day;
                self.stamp_day.1.clear();
                push_date(&mut self.stamp_day.1, day * DAY, '-');
            }
            let s = sec.rem_euclid(86_400) as usize;
            self.stamp.clear();
            self.stamp.push_str(&self.stamp_day.1);
            self.stamp.push('T');
            self.stamp.push_str(TWO_DIGITS[s / 3600]);
            self.stamp.push(':');
            self.stamp.push_str(TWO_DIGITS[s / 60 % 60]);
            self.stamp.push(':');
            self.stamp.push_str(TWO_DIGITS[s % 60]);
        }
        let o = self.objs[id as usize];
        let line = &mut self.line;
        line.clear();
        let frac = t.rem_euclid(SECOND);
        line.push_str(&self.stamp);
        if frac != 0 {
            line.push('.');
            push_digits(line, frac as u64, 6);
        }
        line.push_str("Z,");
        line.push_str(op);
        line.push(',');
        key(line, self.p, id, &o, &mut self.date);
        match op {
            "PUT" => {
                line.push(',');
                push_digits(line, o.size, 1);
                line.push(',');
                line.push_str(self.p.storage_class.api_name());
                line.push(',');
                if self.p.profile == Profile::Logs {
                    line.push_str("type=app");
                }
                self.stats.puts += 1;
            }
            "GET" => {
                line.push_str(",,,");
                self.stats.gets += 1;
            }
            _ => {
                line.push_str(",,,");
                self.stats.deletes += 1;
            }
        }
        line.push('\n');
        self.stats.rows += 1;
        out.write_all(line.as_bytes())?;
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
