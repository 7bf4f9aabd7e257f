//! Scale-out (SPEC §10): which shard a request-rate partition belongs to, the ledger a shard
//! writes, and the merge of ledgers into the whole run's results.
//!
//! Why a merge is exact: every object belongs to one partition (the key up to its last `/`, cut
//! to `--prefix-depth`), an object's cost depends only on its own events and a partition's
//! throttling only on its own requests, usage is integers that add exactly, and prices (with
//! their volume bands) are applied once, to the merged totals.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ledger::rates::{PrefixStats, RateSeries};
use crate::ledger::{Months, SimStats, Usage};
use crate::model::time::Micros;
use crate::report::{FileRecord, OptionsRecord, PolicyRecord, PricingRecord};

/// The ledger format's name and version (the `format` and `version` fields).
pub const LEDGER_FORMAT: &str = "s3sim-ledger";
pub const LEDGER_VERSION: u32 = 1;
/// The most shards s3sim splits a run into (a Kubernetes Indexed Job allows 100,000
/// completions; an AWS Batch array job 10,000 children).
pub const MAX_SHARDS: u32 = 100_000;
/// The request-rate chart shows this many of the busiest prefixes.
pub const HOT_PREFIXES: usize = 5;
/// Environment variables that give a worker its index, in the order s3sim reads them.
pub const INDEX_VARIABLES: [&str; 2] = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];
/// A ledger file's name ends with this.
pub const LEDGER_SUFFIX: &str = ".ledger.json";

pub use crate::sim::throughput::partition_hash;

/// One shard of a run: `index` in `0..count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    pub index: u32,
    pub count: u32,
}

impl ShardSpec {
    /// The whole run, as one shard.
    pub const WHOLE: ShardSpec = ShardSpec { index: 0, count: 1 };

    /// `--shard I/N`, or `--shard env` with `--shards N` (the index from [`INDEX_VARIABLES`]);
    /// `env` reads the variables through `var`.
    pub fn parse(
        arg: &str,
        shards: Option<u32>,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<ShardSpec> {
        let count_ok = |n: u32| -> Result<u32> {
            if !(1..=MAX_SHARDS).contains(&n) {
                bail!("--shards {n}: must be from 1 to {MAX_SHARDS}");
            }
            Ok(n)
        };
        let (index, count) = if arg == "env" {
            let Some(n) = shards else {
                bail!(
                    "--shard env needs --shards N, the number of workers (the Job's completions, the array job's size)"
                );
            };
            let n = count_ok(n)?;
            let set: Vec<(&str, String)> = INDEX_VARIABLES
                .iter()
                .filter_map(|v| var(v).map(|x| (*v, x)))
                .collect();
            let (name, value) = match set.as_slice() {
                [] => bail!(
                    "--shard env: neither {} nor {} is set (Kubernetes Indexed Jobs set the first, AWS Batch array jobs the second); use --shard I/N to give the index yourself",
                    INDEX_VARIABLES[0],
                    INDEX_VARIABLES[1]
                ),
                [one] => one.clone(),
                [a, b] if a.1.trim() == b.1.trim() => a.clone(),
                [a, b, ..] => bail!(
                    "--shard env: {}={} and {}={} disagree; unset one",
                    a.0,
                    a.1,
                    b.0,
                    b.1
                ),
            };
            let i: u32 = value.trim().parse().map_err(|_| {
                anyhow!(
                    "--shard env: {name}={value:?} is not a whole number from 0 to {}",
                    n - 1
                )
            })?;
            (i, n)
        } else {
            let (i, n) = arg.split_once('/').ok_or_else(|| {
                anyhow!(
                    "--shard {arg:?}: expected I/N (0-based index I of N shards, e.g. 3/16) or env"
                )
            })?;
            let parse = |s: &str, what: &str| -> Result<u32> {
                s.trim()
                    .parse()
                    .map_err(|_| anyhow!("--shard {arg:?}: {what} {s:?} is not a whole number"))
            };
            let (i, n) = (parse(i, "index")?, count_ok(parse(n, "count")?)?);
            if let Some(m) = shards
                && m != n
            {
                bail!("--shard {arg} and --shards {m} disagree on the number of shards");
            }
            (i, n)
        };
        if index >= count {
            bail!(
                "--shard: index {index} is not below the number of shards {count} (indexes start at 0)"
            );
        }
        Ok(ShardSpec { index, count })
    }

    /// Whether the partition belongs to this shard.
    pub fn holds(&self, partition: &str) -> bool {
        self.count == 1
            || partition_hash(partition) % u64::from(self.count) == u64::from(self.index)
    }

    /// The ledger's file name in a `--ledger-out` folder: `shard-00003-of-00016.ledger.json`.
    pub fn file_name(&self) -> String {
        format!(
            "shard-{:05}-of-{:05}{LEDGER_SUFFIX}",
            self.index, self.count
        )
    }
}

/// One policy's results on one workload, before pricing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyPart {
    pub policy: String,
    pub usage: Usage,
    pub stats: SimStats,
}

/// One workload's results, before pricing: integers only, so the parts of shards add up to the
/// whole run's. What a ledger holds per workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkloadPart {
    pub name: String,
    /// The input (the whole input, whichever shard this is).
    pub file: FileRecord,
    /// Events and distinct keys of this part.
    pub events: u64,
    pub keys: u64,
    /// The whole input's first and last request, and the months billed.
    pub first_event: Micros,
    pub last_event: Micros,
    pub horizon: Months,
    /// Bad and skipped lines counted in this part; other notes (the same in every part).
    pub tally: crate::workload::Tally,
    pub notes: Vec<String>,
    pub versioning: String,
    pub versioning_inferred: bool,
    /// The earliest creation of an object of this part.
    pub earliest: Micros,
    /// One per policy, in the run's policy order.
    pub results: Vec<PolicyPart>,
    /// Partitions of this part, sorted by prefix.
    pub prefixes: Vec<PrefixStats>,
    /// GETs delayed by throttling.
    pub delayed_gets: u64,
    /// Rate series of this part's busiest partitions (busiest first): the whole run's busiest are
    /// among the parts' busiest, since a partition lies in one part.
    pub series: Vec<RateSeries>,
}

/// How to rebuild the price table a run used (`--pricing`'s text, `--region`, `--discount`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PricingSource {
    pub file: Option<FileRecord>,
    pub text: Option<String>,
    pub region: Option<String>,
    pub discount: Option<String>,
}

/// Everything the report says that is not a result: the same in every shard of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportSetup {
    pub policies: Vec<PolicyRecord>,
    pub pricing: PricingRecord,
    pub pricing_source: PricingSource,
    pub options: OptionsRecord,
    pub parquet: bool,
    /// Restore waits the simulation used, by class and tier [µs] (from the price table).
    pub restore_latency: Vec<Vec<Option<Micros>>>,
    /// Other inputs the simulation read (an inventory), with their hashes.
    pub other_inputs: Vec<FileRecord>,
}

/// Fingerprints (SHA-256, hex) of what must be the same in every shard of one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprints {
    /// The workloads' names, files and hashes, and other inputs (an inventory).
    pub inputs: String,
    /// Options, price-table facts the simulation used, and how the pricing was chosen.
    pub options: String,
    /// The policies (names, rules, files and their hashes).
    pub policies: String,
}

/// A shard's ledger: the versioned file `--ledger-out` writes and `s3sim merge` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ledger {
    pub format: String,
    pub version: u32,
    /// The s3sim version that wrote it.
    pub s3sim: String,
    pub shard: ShardSpec,
    /// How partitions map to shards, in words.
    pub partitioning: String,
    pub fingerprints: Fingerprints,
    /// SHA-256 of `workloads` (as JSON): an edited or damaged file is refused.
    pub checksum: String,
    pub setup: ReportSetup,
    pub workloads: Vec<WorkloadPart>,
}

fn sha_json<T: Serialize>(v: &T) -> String {
    let bytes = serde_json::to_vec(v).expect("plain data serializes");
    crate::workload::hex(&Sha256::digest(&bytes))
}

impl Ledger {
    pub fn new(shard: ShardSpec, setup: ReportSetup, workloads: Vec<WorkloadPart>) -> Ledger {
        let fingerprints = Ledger::fingerprints_of(&setup, &workloads);
        let checksum = sha_json(&workloads);
        Ledger {
            checksum,
            format: LEDGER_FORMAT.into(),
            version: LEDGER_VERSION,
            s3sim: env!("CARGO_PKG_VERSION").into(),
            shard,
            partitioning: "partition = the key up to its last '/', cut to --prefix-depth segments; shard = FNV-1a 64 of the partition's UTF-8 bytes mod shards".into(),
            fingerprints,
            setup,
            workloads,
        }
    }

    fn fingerprints_of(setup: &ReportSetup, workloads: &[WorkloadPart]) -> Fingerprints {
        let inputs: Vec<(&str, &FileRecord)> = workloads
            .iter()
            .map(|w| (w.name.as_str(), &w.file))
            .collect();
        Fingerprints {
            inputs: sha_json(&(inputs, &setup.other_inputs)),
            options: sha_json(&(
                &setup.options,
                &setup.pricing_source,
                &setup.restore_latency,
                setup.parquet,
            )),
            policies: sha_json(&setup.policies),
        }
    }

    /// The ledger as JSON (one line).
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).expect("plain data serializes");
        v.push(b'\n');
        v
    }

    /// Reads and checks one ledger file: its format, version and fingerprints.
    pub fn read(path: &Path) -> Result<Ledger> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read ledger {}", path.display()))?;
        Ledger::parse(&path.display().to_string(), &bytes)
    }

    /// Parses and checks a ledger; `origin` names it in errors.
    pub fn parse(origin: &str, bytes: &[u8]) -> Result<Ledger> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<u32>,
            s3sim: Option<String>,
        }
        let head: Head = serde_json::from_slice(bytes)
            .map_err(|e| anyhow!("{origin}: not an s3sim ledger (not JSON, or cut short: {e})"))?;
        if head.format.as_deref() != Some(LEDGER_FORMAT) {
            bail!("{origin}: not an s3sim ledger (no \"format\": \"{LEDGER_FORMAT}\")");
        }
        if head.version != Some(LEDGER_VERSION) {
            bail!(
                "{origin}: ledger format version {} (written by s3sim {}); this s3sim ({}) reads version {LEDGER_VERSION}: merge with the s3sim that wrote it",
                head.version.map_or("none".to_string(), |v| v.to_string()),
                head.s3sim.as_deref().unwrap_or("?"),
                env!("CARGO_PKG_VERSION")
            );
        }
        let ledger: Ledger = serde_json::from_slice(bytes)
            .map_err(|e| anyhow!("{origin}: a damaged s3sim ledger: {e}"))?;
        if ledger.fingerprints != Ledger::fingerprints_of(&ledger.setup, &ledger.workloads)
            || ledger.checksum != sha_json(&ledger.workloads)
        {
            bail!(
                "{origin}: its fingerprints or checksum do not match its content (the file was edited or damaged)"
            );
        }
        if ledger.shard.count == 0
            || ledger.shard.count > MAX_SHARDS
            || ledger.shard.index >= ledger.shard.count
        {
            bail!(
                "{origin}: shard {}/{} is not a valid shard",
                ledger.shard.index,
                ledger.shard.count
            );
        }
        Ok(ledger)
    }
}

/// The ledger files of `merge`'s arguments: files as given, and the `*.ledger.json` files of
/// folders (names starting with `.`, such as files being written, are skipped), sorted.
pub fn ledger_files(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for a in args {
        let meta =
            std::fs::metadata(a).with_context(|| format!("cannot read ledger {}", a.display()))?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(a)
                .with_context(|| format!("cannot read folder {}", a.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy())
                        .is_some_and(|n| n.ends_with(LEDGER_SUFFIX) && !n.starts_with('.'))
                })
                .collect();
            if found.is_empty() {
                bail!("{}: a folder with no *{LEDGER_SUFFIX} file", a.display());
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(a.clone());
        }
    }
    Ok(files)
}

/// Checks that `ledgers` (with their file names) are the shards of one run, each once, and
/// none missing. Returns the shard count.
pub fn check_complete(ledgers: &[(String, Ledger)]) -> Result<u32> {
    let Some((first_name, first)) = ledgers.first() else {
        bail!("no ledger to merge");
    };
    let mut owner: Vec<Option<&str>> = vec![None; first.shard.count as usize];
    for (name, l) in ledgers {
        let differ = |what: &str, a: &str, b: &str| {
            anyhow!(
                "{name} and {first_name} are not shards of one run: {what} differ ({a} against {b})"
            )
        };
        if l.s3sim != first.s3sim {
            return Err(differ(
                "the s3sim versions that wrote them",
                &l.s3sim,
                &first.s3sim,
            ));
        }
        if l.shard.count != first.shard.count {
            return Err(differ(
                "their numbers of shards",
                &l.shard.count.to_string(),
                &first.shard.count.to_string(),
            ));
        }
        let (f, g) = (&l.fingerprints, &first.fingerprints);
        for (what, a, b) in [
            ("their inputs (workload files)", &f.inputs, &g.inputs),
            ("their policies", &f.policies, &g.policies),
            ("their options or price tables", &f.options, &g.options),
        ] {
            if a != b {
                return Err(differ(what, &a[..12], &b[..12]));
            }
        }
        let slot = &mut owner[l.shard.index as usize];
        if let Some(other) = slot {
            bail!(
                "{name} and {other} are both shard {} of {}: give each shard once (a retried worker rewrites its own file)",
                l.shard.index,
                l.shard.count
            );
        }
        *slot = Some(name);
    }
    let missing: Vec<String> = owner
        .iter()
        .enumerate()
        .filter(|(_, o)| o.is_none())
        .map(|(i, _)| i.to_string())
        .collect();
    if !missing.is_empty() {
        let shown = if missing.len() > 20 {
            format!(
                "{} and {} more",
                missing[..20].join(", "),
                missing.len() - 20
            )
        } else {
            missing.join(", ")
        };
        bail!(
            "missing shard(s) {shown} of {}: {} of {} ledgers given; rerun the missing workers, then merge again",
            first.shard.count,
            ledgers.len(),
            first.shard.count
        );
    }
    Ok(first.shard.count)
}

/// Merges the parts of shards (each a list of workloads, in the same order) into the whole run's:
/// usage and counts add, statistics' sorted lists merge, partitions are gathered and sorted, and
/// the busiest partitions' series are chosen among the shards' busiest.
pub fn merge_parts(shards: Vec<Vec<WorkloadPart>>) -> Result<Vec<WorkloadPart>> {
    let mut shards = shards.into_iter();
    let Some(mut merged) = shards.next() else {
        bail!("no shard to merge");
    };
    for parts in shards {
        if parts.len() != merged.len() {
            bail!("shards with different numbers of workloads");
        }
        for (m, p) in merged.iter_mut().zip(parts) {
            if (
                &m.name,
                &m.file,
                m.first_event,
                m.last_event,
                &m.horizon,
                &m.versioning,
            ) != (
                &p.name,
                &p.file,
                p.first_event,
                p.last_event,
                &p.horizon,
                &p.versioning,
            ) {
                bail!(
                    "workload {}: shards disagree on its input, period or versioning",
                    m.name
                );
            }
            if m.results.len() != p.results.len() {
                bail!("workload {}: shards with different policies", m.name);
            }
            m.events += p.events;
            m.keys += p.keys;
            m.earliest = m.earliest.min(p.earliest);
            m.tally.add(p.tally);
            for n in p.notes {
                if !m.notes.contains(&n) {
                    m.notes.push(n);
                }
            }
            for (a, b) in m.results.iter_mut().zip(p.results) {
                if a.policy != b.policy {
                    bail!("workload {}: shards with different policies", m.name);
                }
                a.usage += &b.usage;
                a.stats += b.stats;
            }
            m.prefixes.extend(p.prefixes);
            m.delayed_gets += p.delayed_gets;
            m.series.extend(p.series);
        }
    }
    for m in &mut merged {
        for r in &mut m.results {
            r.stats.get_latencies.sort_unstable();
        }
        m.prefixes.sort_unstable_by(|a, b| a.prefix.cmp(&b.prefix));
        if let Some(w) = m.prefixes.windows(2).find(|w| w[0].prefix == w[1].prefix) {
            bail!(
                "workload {}: partition {:?} is in two shards (ledgers made with different --prefix-depth?)",
                m.name,
                w[0].prefix
            );
        }
        // The busiest: highest peak offered rate of either type, then by name (as one run ranks).
        let peak = |prefix: &str| {
            m.prefixes
                .binary_search_by(|p| p.prefix.as_str().cmp(prefix))
                .map_or(0, |i| {
                    let p = &m.prefixes[i];
                    p.peak_offered_read_rps.max(p.peak_offered_write_rps)
                })
        };
        let mut series = std::mem::take(&mut m.series);
        series.sort_by_cached_key(|s| (std::cmp::Reverse(peak(&s.prefix)), s.prefix.clone()));
        series.truncate(HOT_PREFIXES);
        m.series = series;
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_hash_is_fnv1a_64() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(partition_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(partition_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(partition_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn shard_arguments() {
        let none = |_: &str| None;
        assert_eq!(
            ShardSpec::parse("3/16", None, none).unwrap(),
            ShardSpec {
                index: 3,
                count: 16
            }
        );
        for (arg, shards, message) in [
            ("16/16", None, "not below the number of shards 16"),
            ("3", None, "expected I/N"),
            ("a/4", None, "index \"a\""),
            ("1/0", None, "--shards 0"),
            ("1/4", Some(5), "disagree"),
            ("env", None, "needs --shards N"),
            (
                "env",
                Some(4),
                "neither JOB_COMPLETION_INDEX nor AWS_BATCH_JOB_ARRAY_INDEX",
            ),
        ] {
            let e = ShardSpec::parse(arg, shards, none).unwrap_err().to_string();
            assert!(e.contains(message), "{arg}: {e}");
        }
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "2".to_string());
        assert_eq!(ShardSpec::parse("env", Some(4), k8s).unwrap().index, 2);
        let batch = |v: &str| (v == "AWS_BATCH_JOB_ARRAY_INDEX").then(|| "3".to_string());
        assert_eq!(ShardSpec::parse("env", Some(4), batch).unwrap().index, 3);
        let both = |v: &str| {
            Some(
                if v == "JOB_COMPLETION_INDEX" {
                    "1"
                } else {
                    "2"
                }
                .to_string(),
            )
        };
        let e = ShardSpec::parse("env", Some(4), both)
            .unwrap_err()
            .to_string();
        assert!(e.contains("disagree"), "{e}");
        let high = |_: &str| Some("4".to_string());
        assert!(ShardSpec::parse("env", Some(4), high).is_err());
        let bad = |_: &str| Some("x".to_string());
        let e = ShardSpec::parse("env", Some(4), bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("JOB_COMPLETION_INDEX=\"x\""), "{e}");
    }

    #[test]
    fn every_partition_has_one_shard() {
        for n in [1u32, 2, 5, 16] {
            for p in ["", "logs/", "a/b/c/", "img/2026/"] {
                let owners = (0..n)
                    .filter(|&i| ShardSpec { index: i, count: n }.holds(p))
                    .count();
                assert_eq!(owners, 1, "{p} of {n}");
            }
        }
    }
}
