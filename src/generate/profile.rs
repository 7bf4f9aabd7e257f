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
    Versioned,
}

impl Profile {
    pub const ALL: [Profile; 7] = [
        Profile::WebAssets,
        Profile::Logs,
        Profile::Backups,
        Profile::Media,
        Profile::MlDataset,
        Profile::DataLake,
        Profile::Versioned,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::WebAssets => "web-assets",
            Profile::Logs => "logs",
            Profile::Backups => "backups",
            Profile::Media => "media",
            Profile::MlDataset => "ml-dataset",
            Profile::DataLake => "data-lake",
            Profile::Versioned => "versioned",
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
            Profile::Versioned => {
                "a versioning-enabled bucket of documents: keys overwritten again and again (noncurrent versions), some deleted (delete markers) and some of those purged version by version, reads now and then naming an earlier version; large objects written by multipart uploads, a share of them abandoned and retried"
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
    /// `versioned`: mean days between two writes of a key (a new version), before popularity
    /// weighting (a key's write rate is weighted like its reads).
    pub overwrite_every_days: f64,
    /// `versioned`: share of keys deleted (a DELETE without a version id: a delete marker), at a
    /// uniform time between their creation and the end (`delete_after_days`, when set, deletes
    /// every key that many days after its creation instead).
    pub delete_share: f64,
    /// `versioned`: share of deleted keys written by PUT whose versions are then deleted one by
    /// one by version id (a purge, 1 to 14 days after the delete marker).
    pub purge_share: f64,
    /// `versioned`: share of the GETs of a key written by PUT, with earlier versions, that name
    /// one of the (up to) three versions before the current one by id.
    pub version_read_share: f64,
    /// `versioned`: keys of at least this many bytes are written by multipart uploads.
    pub multipart_threshold: u64,
    /// `versioned`: bytes of a part (the last part holds the rest; more when 10,000 parts would
    /// not hold the object).
    pub part_size: u64,
    /// `versioned`: share of multipart uploads abandoned after some of their parts (never
    /// completed nor aborted); the client retries an hour later with a new upload.
    pub abandon_share: f64,
}

/// S3's smallest part (but the last) and largest part and single PUT [bytes].
const MIB: u64 = 1024 * 1024;
const MIN_PART: u64 = 5 * MIB;
const MAX_PART: u64 = 5 * 1024 * MIB;

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
            overwrite_every_days: 14.0,
            delete_share: 0.3,
            purge_share: 0.5,
            version_read_share: 0.1,
            multipart_threshold: 100 * MIB,
            part_size: 64 * MIB,
            abandon_share: 0.1,
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
            Profile::Versioned => Params {
                objects: 2_000,
                size_median: 4.0 * 1024.0 * 1024.0,
                size_sigma: 2.0,
                reads_per_object: 3.0,
                zipf: 0.5,
                daily_cycle: 0.5,
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
        if !(p.overwrite_every_days.is_finite() && p.overwrite_every_days > 0.0) {
            bail!(
                "--overwrite-every-days {}: must be positive",
                p.overwrite_every_days
            );
        }
        for (flag, value, top) in [
            ("--delete-share", p.delete_share, 1.0),
            ("--purge-share", p.purge_share, 1.0),
            ("--version-read-share", p.version_read_share, 1.0),
            // Abandoned uploads are retried: some must succeed.
            ("--abandon-share", p.abandon_share, 0.9),
        ] {
            if !(value.is_finite() && (0.0..=top).contains(&value)) {
                bail!("{flag} {value}: must be from 0 to {top}");
            }
        }
        if !(MIN_PART..=MAX_PART).contains(&p.part_size) {
            bail!(
                "--part-size {}: S3's parts are from 5 MiB ({MIN_PART} bytes) to 5 GiB ({MAX_PART} bytes)",
                p.part_size
            );
        }
        if !(1..=MAX_PART).contains(&p.multipart_threshold) {
            bail!(
                "--multipart-threshold {}: must be from 1 byte to 5 GiB ({MAX_PART} bytes, S3's largest single PUT)",
                p.multipart_threshold
            );
        }
        if p.profile == Profile::Versioned && (p.burst_rps > 0.0 || p.burst_every_days > 0.0) {
            bail!("--burst-rps and --burst-every-days: the versioned profile has no bursts");
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
        if p.profile == Profile::Versioned {
            let _ = writeln!(
                s,
                "  mean object size {:.1} MB; {:.0}% of objects under 128 KB",
                mean_size / 1048576.0,
                small * 100.0
            );
            self.describe_versions(&mut s, days, mean_size);
            return s;
        }
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

    /// The `versioned` profile's parameters and expected counts (to the lines of `describe`).
    fn describe_versions(&self, s: &mut String, days: f64, mean_size: f64) {
        let p = self;
        // Parameters first: insert before "expected:".
        let at = s.find("expected:").unwrap_or(s.len());
        let mut params = String::new();
        let _ = writeln!(
            params,
            "  --overwrite-every-days {}  --delete-share {}  --purge-share {}  --version-read-share {}",
            p.overwrite_every_days, p.delete_share, p.purge_share, p.version_read_share
        );
        let _ = writeln!(
            params,
            "  --multipart-threshold {} (bytes)  --part-size {} (bytes)  --abandon-share {}",
            p.multipart_threshold, p.part_size, p.abandon_share
        );
        s.insert_str(at, &params);
        // A key lives from a uniform creation time c to the end D, or to a uniform deletion time
        // after its creation: mean life D/2 without deletion, D/4 with; with a fixed life d,
        // E[min(d, D - c)] = d - d^2 / 2D (d < D).
        let life = match p.delete_after_days {
            Some(d) if d < days => d - d * d / (2.0 * days),
            Some(_) => days / 2.0,
            None => days / 2.0 * (1.0 - p.delete_share / 2.0),
        };
        let n = p.objects as f64;
        let versions = n * (1.0 + life / p.overwrite_every_days);
        let sigma = p.size_sigma.max(1e-9);
        let mpu =
            1.0 - normal_cdf(((p.multipart_threshold as f64).ln() - p.size_median.ln()) / sigma);
        let deleted = match p.delete_after_days {
            Some(d) => n * ((days - d) / days).max(0.0),
            None => n * p.delete_share,
        };
        let uploads = versions * mpu;
        let abandoned = uploads * p.abandon_share / (1.0 - p.abandon_share);
        let _ = writeln!(
            s,
            "  about {versions:.0} versions written ({:.1} a key; {:.0} of them made noncurrent), {:.1} GB in all; {deleted:.0} delete markers",
            versions / n,
            versions - n,
            versions * mean_size / 1073741824.0
        );
        let _ = writeln!(
            s,
            "  {:.1}% of keys at or above {:.0} MB: about {uploads:.0} multipart uploads completed, {abandoned:.0} abandoned (their parts stay billed until an AbortIncompleteMultipartUpload rule or the end)",
            mpu * 100.0,
            p.multipart_threshold as f64 / 1048576.0
        );
        let reads = versions * p.reads_per_object;
        let _ = writeln!(
            s,
            "  at most {reads:.0} GETs (each version restarts its key's decaying reads), {:.0}% of those of documents with earlier versions naming one of the last three by id; about {:.0} keys purged by DELETEs naming each version",
            p.version_read_share * 100.0,
            deleted * (1.0 - mpu) * p.purge_share
        );
        let _ = writeln!(
            s,
            "  versioning: s3sim run simulates it as versioning-enabled (the input names version ids); expect noncurrent_storage, delete_markers and mpu_storage in monthly.csv"
        );
    }
}
