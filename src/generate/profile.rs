//! The profiles of `s3sim generate`: each a set of [`Params`] the user can override one by one,
//! checked, and described with what to expect from them.

use std::fmt::Write as _;

use anyhow::{Result, bail};

use super::normal_cdf;
use crate::model::StorageClass;
use crate::model::time::{DAY, Micros, next_month_start};

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
        // These profiles are their bursts: both burst settings must be positive.
        let bursty = matches!(
            p.profile,
            Profile::MlDataset | Profile::DataLake | Profile::Backups
        );
        for (flag, value) in [
            ("--burst-rps", p.burst_rps),
            ("--burst-every-days", p.burst_every_days),
        ] {
            if bursty && value <= 0.0 {
                bail!(
                    "{flag} must be positive for the {} profile",
                    p.profile.name()
                );
            }
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
