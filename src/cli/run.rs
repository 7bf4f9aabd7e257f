//! `s3sim run`: load and check every input first (so bad input never leaves a report folder behind),
//! then simulate the workload x policy cross product in parallel, price it, and write the report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;

use super::Failure;
use super::args::{ChartsArg, EgressArg, RunArgs, TierArg, VersioningArg};
use super::progress::Progress;
use crate::ledger::{Months, bill};
use crate::model::time::{Micros, format_instant, month_start, next_month_start, parse_date};
use crate::model::{RestoreTier, Versioning};
use crate::policy::{Policy, ValidateOptions};
use crate::pricing::PriceTable;
use crate::report::{self, Rates, ReportInfo, SimReport};
use crate::shard::{Ledger, PolicyPart, PricingSource, ReportSetup, ShardSpec, WorkloadPart};
use crate::sim::throughput::partition_of;
use crate::sim::throughput::{RateSeries, ThroughputOptions, simulate_with_series};
use crate::sim::{SimOptions, simulate_all};
use crate::workload::records::InputFacts;
use crate::workload::{Format, ReadOptions, Workload, read_workload, sha256_file};

/// Input sanity bounds of s3sim (not S3 limits): a century of simulated months and of restore days.
const MAX_MONTHS: u32 = 1200;
const MAX_RESTORE_DAYS: u32 = 36_500;
/// At most this many attempts per request (keeps the summed backoff within a u64 of µs easily).
const MAX_ATTEMPTS: u32 = 100;
/// At most this many threads: far more than the cores of any machine s3sim runs on, and few enough
/// that starting them is instant and never runs into the system's limit on threads.
pub const MAX_THREADS: usize = 512;
/// The request-rate chart shows the busiest prefixes' rates in this many intervals.
const RATE_INTERVALS: usize = 600;

/// A policy with the file it came from (None for `none`).
pub struct LoadedPolicy {
    pub policy: Policy,
    pub path: Option<PathBuf>,
}

/// Everything `run` needs, loaded, validated and derived once (the "high" arguments: nothing
/// downstream re-derives or patches them).
pub struct RunConfig {
    pub workloads: Vec<Workload>,
    /// The billed months of each workload (same order as `workloads`).
    pub horizons: Vec<Months>,
    /// The bucket's versioning for each workload, and whether it was inferred from the input
    /// (no --versioning, and the input names version ids).
    pub versioning: Vec<(Versioning, bool)>,
    pub policies: Vec<LoadedPolicy>,
    pub prices: PriceTable,
    /// The report folder, staged (and so checked writable) before any simulation; None for a
    /// shard (`merge` writes the report).
    pub out: Option<crate::report::Staging>,
    /// The shard this run simulates (the whole run: 0 of 1), and where its ledger goes.
    pub shard: ShardSpec,
    pub ledger_out: Option<PathBuf>,
    /// How the prices were chosen, for a ledger.
    pub pricing_source: PricingSource,
    /// Other inputs of the simulation (an inventory), for the ledger's fingerprint and run.json.
    pub other_inputs: Vec<report::FileRecord>,
    /// Bounded memory: the budget [bytes] when the workloads are spilled and simulated a group
    /// of partitions at a time (then `workloads` is empty and `spill_paths` names them).
    pub spill: Option<u64>,
    pub spill_paths: Vec<PathBuf>,
    pub read_options: ReadOptions,
    pub versioning_arg: Option<VersioningArg>,
    pub months: Option<u32>,
    pub until: Option<Micros>,
    pub restore_tier: RestoreTier,
    pub restore_days: u32,
    pub egress: bool,
    pub threads: usize,
    pub ia_30_day_minimum: bool,
    pub throughput: ThroughputOptions,
    /// Also write the tables as Parquet.
    pub parquet: bool,
    /// The policy the others are compared with (a name among `policies`), and whether s3sim
    /// added it to the run.
    pub baseline: (String, bool),
    pub max_p99_get_wait_s: Option<f64>,
    pub charts: ChartsArg,
    /// Intelligent-Tiering archive configurations (`--it-config`).
    pub it_configs: crate::policy::ItConfigs,
}

impl RunConfig {
    /// The cost engine's options for a workload billed over `months`.
    fn sim_options(&self, months: &Months, versioning: Versioning) -> SimOptions {
        SimOptions {
            months: months.clone(),
            restore_tier: self.restore_tier,
            restore_days: self.restore_days,
            egress: self.egress,
            restore_latency: self.prices.restore_latency,
            trace: false,
            versioning,
            it_configs: self.it_configs.clone(),
        }
    }
}

/// What `run` produced.
pub struct RunOutcome {
    pub reports: Vec<SimReport>,
    pub terminal: String,
}

/// The prices of `--pricing` or `--region`, with `--discount` taken off.
pub fn load_prices(a: &crate::cli::args::PriceArgs) -> Result<PriceTable> {
    let table = match (&a.pricing, &a.region) {
        (Some(p), _) => PriceTable::from_file(p)?,
        (None, Some(r)) => PriceTable::bundled(r).map_err(|e| anyhow!(e))?,
        (None, None) => PriceTable::builtin(),
    };
    Ok(match &a.discount {
        Some(d) => table.discounted(&crate::pricing::Discount::parse(d).map_err(|e| anyhow!(e))?),
        None => table,
    })
}

/// Reads and checks every input named by the arguments (input errors only).
pub fn load_run_config(a: &RunArgs, progress: &Progress) -> Result<RunConfig> {
    let prices = load_prices(&a.prices)?;
    let until = match &a.until {
        Some(s) => Some(parse_date(s).ok_or_else(|| {
            anyhow!("--until {s:?}: expected a date as YYYY-MM-DD from 1970 to 8999")
        })?),
        None => None,
    };
    if let Some(m) = a.months
        && !(1..=MAX_MONTHS).contains(&m)
    {
        bail!("--months {m}: must be from 1 to {MAX_MONTHS} (s3sim simulates at most a century)");
    }
    if !(1..=MAX_RESTORE_DAYS).contains(&a.restore_days) {
        bail!(
            "--restore-days {}: must be from 1 to {MAX_RESTORE_DAYS} (RestoreRequest Days is a positive integer; s3sim caps it at a century)",
            a.restore_days
        );
    }
    if let Some(n) = a.threads {
        check_threads(n)?;
    }
    if !(1..=MAX_ATTEMPTS).contains(&a.max_attempts) {
        bail!(
            "--max-attempts {}: must be from 1 to {MAX_ATTEMPTS}",
            a.max_attempts
        );
    }
    if a.scale_after == 0 {
        bail!("--scale-after must be at least 1 minute (use --no-scale to turn scaling off)");
    }
    let max_p99_get_wait_s = match &a.max_p99_get_wait {
        None => None,
        Some(s) => Some(crate::model::time::parse_duration(s).ok_or_else(|| {
            anyhow!(
                "--max-p99-get-wait {s:?}: expected a duration such as 500ms, 1s, 5min, 12h or 2d"
            )
        })?),
    };
    let shard = match &a.shard {
        Some(arg) => ShardSpec::parse(arg, a.shards, |v| std::env::var(v).ok())?,
        None if a.shards.is_some() => bail!("--shards needs --shard env (or give --shard I/N)"),
        None => ShardSpec::WHOLE,
    };
    if a.shard.is_some() {
        if a.ledger_out.is_none() {
            bail!(
                "--shard needs --ledger-out PATH: a shard writes its ledger, and `s3sim merge` writes the report from all of them"
            );
        }
        if let Some(out) = &a.out {
            bail!(
                "--shard with --out {}: a shard's report would cover only its share of the input; write ledgers with --ledger-out and merge them with `s3sim merge LEDGERS --out DIR`",
                out.display()
            );
        }
    }
    if let Some(out) = &a.out {
        report::check_out_dir(out)?;
    }

    let workload_paths = if a.records.is_some() {
        Vec::new()
    } else if a.workloads.is_empty() {
        bundled("workloads", "csv")
            .context("no --workload given, so s3sim looked for the bundled samples")?
    } else {
        a.workloads.clone()
    };
    let mut policy_args = a.policies.clone();
    if policy_args.is_empty() {
        policy_args.push("none".into());
        for p in bundled("policies", "json")
            .context("no --policy given, so s3sim looked for the bundled samples")?
        {
            policy_args.push(p.display().to_string());
        }
    }
    let vopts = ValidateOptions {
        ia_min_30_days: a.ia_30_day_minimum,
    };
    let mut policies: Vec<LoadedPolicy> = Vec::new();
    for arg in &policy_args {
        let loaded = load_policy(arg, &vopts)?;
        if policies.iter().any(|p| p.policy.name == loaded.policy.name) {
            bail!(
                "two policies are named {:?} (a policy's name is its file stem); rename one",
                loaded.policy.name
            );
        }
        policies.push(loaded);
    }
    let baseline = resolve_baseline(&a.baseline, &mut policies, &vopts)?;
    let it_configs = crate::policy::ItConfigs::from_files(&a.it_configs)?;
    let ropts = read_options(&a.input)?;
    let inventory = match &a.inventory {
        Some(p) => Some(read_workload(
            p,
            &ReadOptions {
                format: Some(Format::Inventory),
                ..ropts.clone()
            },
        )?),
        None => None,
    };
    let repeat_until = match &a.repeat_until {
        Some(s) => Some(parse_date(s).ok_or_else(|| {
            anyhow!("--repeat-until {s:?}: expected a date as YYYY-MM-DD from 1970 to 8999")
        })?),
        None => None,
    };
    let budget = match &a.max_memory {
        Some(m) => Some(parse_size(m).ok_or_else(|| {
            anyhow!("--max-memory {m:?}: expected a size such as 2G, 512M or 1.5G (G = 2^30 bytes)")
        })?),
        None => auto_memory_budget(),
    };
    let spill = match budget {
        Some(_)
            if a.records.is_some()
                || a.shard.is_some()
                || a.inventory.is_some()
                || a.repeat_until.is_some() =>
        {
            if a.max_memory.is_some() {
                bail!(
                    "--max-memory cannot be combined with --shard, --records, --inventory or --repeat-until"
                );
            }
            None
        }
        Some(b) => {
            let est: u64 = workload_paths.iter().map(|p| estimate_memory(p)).sum();
            (est > b / 2).then_some(b)
        }
        None => None,
    };
    let (workload_paths, spill_paths) = match spill {
        Some(_) => (Vec::new(), workload_paths),
        None => (workload_paths, Vec::new()),
    };
    progress.add_steps(workload_paths.len() as u64);
    progress.stage(format!("reading {} workload(s)", workload_paths.len()));
    let from_records = match &a.records {
        Some(path) => Some(read_records_arg(a, path, &shard, &ropts)?),
        None => None,
    };
    let workloads: Vec<Workload> = from_records
        .into_iter()
        .map(Ok)
        .chain(
            workload_paths
                .par_iter()
                .map(|p| read_share(p, &ropts, &shard, a.prefix_depth))
                .collect::<Vec<_>>(),
        )
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|w| {
            let w = w
                .map(|w| {
                    let w = match &inventory {
                        Some(inv) => w.with_initial(inv),
                        None => w,
                    };
                    match repeat_until {
                        Some(u) => w.repeat_until(u),
                        None => Ok(w),
                    }
                })
                .and_then(|r| r);
            progress.step();
            w
        })
        .collect::<Result<_, _>>()?;
    for (i, w) in workloads.iter().enumerate() {
        if workloads[..i].iter().any(|o| o.name == w.name) {
            bail!(
                "two workloads are named {:?} (a workload's name is its file stem); rename one",
                w.name
            );
        }
    }
    for (i, p) in spill_paths.iter().enumerate() {
        let name = crate::workload::workload_name(p);
        if spill_paths[..i]
            .iter()
            .any(|o| crate::workload::workload_name(o) == name)
        {
            bail!(
                "two workloads are named {name:?} (a workload's name is its file stem); rename one"
            );
        }
    }
    let mut inputs: Vec<&Path> = workloads.iter().map(|w| w.source.path.as_path()).collect();
    inputs.extend(spill_paths.iter().map(PathBuf::as_path));
    inputs.extend(policies.iter().filter_map(|p| p.path.as_deref()));
    inputs.extend(a.prices.pricing.as_deref());
    inputs.extend(a.inventory.as_deref());
    inputs.extend(a.it_configs.iter().map(PathBuf::as_path));
    if let Some(out) = &a.out {
        refuse_inputs_inside(out, &inputs)?;
    }
    if let Some(target) = a.ledger_out.as_deref().filter(|t| t.as_os_str() != "-") {
        check_ledger_out(target, &shard, &inputs)?;
    }
    let horizons = workloads
        .iter()
        .map(|w| horizon(a.months, until, w))
        .collect::<Result<Vec<_>>>()?;
    let versioning = workloads
        .iter()
        .map(|w| match (&a.input_facts, a.versioning) {
            // A share of the records cannot tell: the facts of the whole input do.
            (Some(facts), None) if a.records.is_some() => {
                let names =
                    serde_json::from_str::<InputFacts>(facts).is_ok_and(|f| f.names_versions);
                if names {
                    (Versioning::Enabled, true)
                } else {
                    (Versioning::Off, false)
                }
            }
            _ => bucket_versioning(a.versioning, w),
        })
        .collect();
    // A shard keeps the keys of its partitions, once the whole input's period and versioning
    // are known (they are the whole run's).
    let workloads = if shard.count > 1 || a.records.is_some() {
        workloads
            .into_iter()
            .map(|w| {
                let mut w = w.retain_keys(|k| shard.holds(partition_of(k, a.prefix_depth)));
                // Read whole, every shard counted every bad and skipped line: shard 0 reports
                // them. (A share of keyed records counts only its own lines.)
                if a.records.is_none() && shard.index != 0 {
                    w.tally = crate::workload::Tally::default();
                }
                w
            })
            .collect()
    } else {
        workloads
    };
    let out = match (&a.out, a.shard.is_some()) {
        (_, true) => None,
        (Some(out), false) => Some(report::Staging::prepare(out)?),
        (None, false) => Some(report::Staging::prepare_new(
            Path::new("reports"),
            &default_stamp()?,
        )?),
    };
    let pricing_source = PricingSource {
        file: a.prices.pricing.as_deref().map(file_record).transpose()?,
        text: match &a.prices.pricing {
            Some(p) => Some(
                std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?,
            ),
            None => None,
        },
        region: a.prices.region.clone(),
        discount: a.prices.discount.clone(),
    };
    let other_inputs = a
        .inventory
        .as_deref()
        .map(file_record)
        .transpose()?
        .into_iter()
        .collect();
    let throughput = ThroughputOptions {
        write_rps: prices.limits.write_rps,
        read_rps: prices.limits.read_rps,
        prefix_depth: a.prefix_depth,
        max_attempts: a.max_attempts,
        seed: a.seed,
        scale_after_minutes: (!a.no_scale).then_some(a.scale_after),
    };
    Ok(RunConfig {
        workloads,
        horizons,
        versioning,
        policies,
        prices,
        out,
        shard,
        ledger_out: a.ledger_out.clone(),
        pricing_source,
        other_inputs,
        spill,
        spill_paths,
        read_options: ropts,
        versioning_arg: a.versioning,
        months: a.months,
        until,
        restore_tier: match a.restore_tier {
            TierArg::Expedited => RestoreTier::Expedited,
            TierArg::Standard => RestoreTier::Standard,
            TierArg::Bulk => RestoreTier::Bulk,
        },
        restore_days: a.restore_days,
        egress: a.egress == EgressArg::Internet,
        threads: a.threads.unwrap_or_else(rayon::current_num_threads),
        ia_30_day_minimum: a.ia_30_day_minimum,
        parquet: a.parquet,
        throughput,
        baseline,
        max_p99_get_wait_s,
        charts: a.charts,
        it_configs,
    })
}

/// A workload, or with `--shard` the share of it the shard keeps (a workload CSV is filtered as it
/// is read: the shard holds only its rows; other inputs are read whole, and the keys of other
/// shards dropped after).
fn read_share(
    p: &Path,
    ropts: &ReadOptions,
    shard: &ShardSpec,
    prefix_depth: Option<u32>,
) -> Result<Workload, crate::workload::WorkloadError> {
    if shard.count > 1 {
        let keep = |key: &str| shard.holds(partition_of(key, prefix_depth));
        if let Some((mut w, first, last)) =
            crate::workload::spill::read_native_share(p, ropts, &keep)?
        {
            let (Some(first), Some(last)) = (first, last) else {
                return Err(crate::workload::WorkloadError::File {
                    path: p.display().to_string(),
                    message: "contains no requests s3sim can replay".into(),
                });
            };
            w.first = first;
            w.last = last;
            return Ok(w);
        }
    }
    read_workload(p, ropts)
}

/// The workload of `--records` (keyed lines of `s3sim shard-key`, this shard's share): read as
/// `run` reads the files, with the whole input's first and last request (`--input-facts`).
fn read_records_arg(
    a: &RunArgs,
    path: &Path,
    shard: &ShardSpec,
    ropts: &ReadOptions,
) -> Result<Workload> {
    use std::io::BufRead;
    let (Some(name), Some(facts)) = (&a.name, &a.input_facts) else {
        bail!(
            "--records needs --name (the workload's name) and --input-facts (shard-key's facts of the whole input, merged)"
        );
    };
    if a.shard.is_none() {
        bail!("--records needs --shard I/N: the shard whose keyed lines these are");
    }
    if !a.workloads.is_empty() {
        bail!("--records and --workload: give one or the other");
    }
    let facts: InputFacts = serde_json::from_str(facts)
        .map_err(|e| anyhow!("--input-facts {facts:?}: not the facts shard-key prints ({e})"))?;
    let (Some(first), Some(last)) = (facts.first, facts.last) else {
        bail!("--input-facts: the input has no request s3sim can replay");
    };
    let origin = path.display().to_string();
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot read {origin}"))?,
        ))
    };
    let mut records = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.with_context(|| format!("{origin}:{n}: cannot read (not UTF-8 text?)"))?;
        let line = line.strip_suffix('\r').unwrap_or(&line);
        let f = crate::workload::records::split_record(
            &origin,
            n,
            line,
            4,
            "SHARD, PATH, LINE and TEXT",
        )?;
        if f[0] != shard.index.to_string() {
            bail!(
                "{origin}:{n}: a line keyed for shard {:?} given to shard {} (route each keyed line by its first field)",
                f[0],
                shard.index
            );
        }
        let line_no: u64 = f[2]
            .parse()
            .map_err(|_| anyhow!("{origin}:{n}: LINE {:?} is not a line number", f[2]))?;
        records.push((f[1].to_string(), line_no, f[3].to_string()));
    }
    let mut w = crate::workload::records::read_records(name, records, ropts)?;
    if !w.events.is_empty() && (w.first < first || w.last > last) {
        bail!(
            "{origin}: requests from {} to {}, outside --input-facts' {} to {}: the facts are not the whole input's",
            format_instant(w.first),
            format_instant(w.last),
            format_instant(first),
            format_instant(last)
        );
    }
    // Every request must be of this shard: lines keyed with other options would be lost.
    if let Some(e) = w
        .events
        .iter()
        .find(|e| !shard.holds(partition_of(&w.keys[e.key as usize], a.prefix_depth)))
    {
        bail!(
            "{origin}: key {:?} is not of shard {} of {} with --prefix-depth {}: key the lines with `s3sim shard-key` and the same --shards and --prefix-depth",
            w.keys[e.key as usize],
            shard.index,
            shard.count,
            a.prefix_depth
                .map_or("unset".to_string(), |d| d.to_string())
        );
    }
    w.first = first;
    w.last = last;
    w.source.path = PathBuf::from(format!("{name} (records)"));
    Ok(w)
}

/// The bucket's versioning for a workload: `--versioning`, else enabled when the input names
/// version ids (and then `true`: inferred), else off.
pub fn bucket_versioning(arg: Option<VersioningArg>, w: &Workload) -> (Versioning, bool) {
    match arg {
        Some(VersioningArg::Off) => (Versioning::Off, false),
        Some(VersioningArg::Enabled) => (Versioning::Enabled, false),
        Some(VersioningArg::Suspended) => (Versioning::Suspended, false),
        None if w.names_versions() => (Versioning::Enabled, true),
        None => (Versioning::Off, false),
    }
}

/// `none`, or the lifecycle configuration in the file `arg`, validated.
fn load_policy(arg: &str, vopts: &ValidateOptions) -> Result<LoadedPolicy> {
    if arg == "none" {
        return Ok(LoadedPolicy {
            policy: Policy::none(),
            path: None,
        });
    }
    let path = PathBuf::from(arg);
    Ok(LoadedPolicy {
        policy: Policy::from_file(&path, vopts)?,
        path: Some(path),
    })
}

/// The baseline of `--baseline`: `none`, a policy of the run by name, or a policy file (loaded and
/// added to the run when it is not among `--policy`). Returns its name and whether it was added.
fn resolve_baseline(
    arg: &str,
    policies: &mut Vec<LoadedPolicy>,
    vopts: &ValidateOptions,
) -> Result<(String, bool)> {
    if policies.iter().any(|p| p.policy.name == arg) {
        return Ok((arg.to_string(), false));
    }
    if arg != "none" && !Path::new(arg).is_file() {
        let names: Vec<&str> = policies.iter().map(|p| p.policy.name.as_str()).collect();
        bail!(
            "--baseline {arg:?}: not a policy of this run ({}) nor a policy file",
            names.join(", ")
        );
    }
    let loaded = load_policy(arg, vopts)?;
    if let Some(same) = policies
        .iter()
        .find(|p| p.policy.name == loaded.policy.name)
    {
        // The same file given both ways is the same policy; another file of that name is not.
        let canonical = |p: Option<&Path>| p.and_then(|p| std::fs::canonicalize(p).ok());
        if canonical(same.path.as_deref()) == canonical(loaded.path.as_deref()) {
            return Ok((loaded.policy.name, false));
        }
        bail!(
            "--baseline {arg}: another policy of the run is named {:?} (a policy's name is its file stem); rename one",
            loaded.policy.name
        );
    }
    let name = loaded.policy.name.clone();
    policies.insert(0, loaded);
    Ok((name, true))
}

/// The default report folder's name: the UTC time now, as `20261203T062735Z`, or the time
/// `SOURCE_DATE_EPOCH` (seconds since 1970) sets, for reproducible runs.
pub fn default_stamp() -> Result<String> {
    let now = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v.trim().parse().map_err(|_| {
                anyhow!("SOURCE_DATE_EPOCH={v:?}: expected whole seconds since 1970-01-01")
            })?;
            chrono::DateTime::from_timestamp(secs, 0).ok_or_else(|| {
                anyhow!("SOURCE_DATE_EPOCH={v:?}: outside the dates s3sim can write")
            })?
        }
        Err(_) => chrono::Utc::now(),
    };
    Ok(now.format("%Y%m%dT%H%M%SZ").to_string())
}

/// Checks `--ledger-out` before any simulation: a folder (existing, or named with a trailing
/// `/`: the shard's file goes in it) or a file in an existing folder, and never one of the inputs.
fn check_ledger_out(target: &Path, shard: &ShardSpec, inputs: &[&Path]) -> Result<()> {
    let is_dir = target.is_dir() || target.as_os_str().as_encoded_bytes().ends_with(b"/");
    let file = if is_dir {
        target.join(shard.file_name())
    } else {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !parent.is_dir() {
            bail!(
                "--ledger-out {}: the folder {} does not exist",
                target.display(),
                parent.display()
            );
        }
        target.to_path_buf()
    };
    if let Ok(abs) = std::fs::canonicalize(&file)
        && inputs
            .iter()
            .any(|i| std::fs::canonicalize(i).is_ok_and(|i| i == abs))
    {
        bail!(
            "--ledger-out {}: {} is an input of this run; writing the ledger would replace it",
            target.display(),
            file.display()
        );
    }
    Ok(())
}

/// Refuses a report folder that holds (or is) one of the inputs: replacing it would delete it.
fn refuse_inputs_inside(out: &Path, inputs: &[&Path]) -> Result<()> {
    let Ok(out_abs) = std::fs::canonicalize(out) else {
        return Ok(()); // nothing there yet, so no input inside it
    };
    for i in inputs {
        if let Ok(abs) = std::fs::canonicalize(i)
            && abs.starts_with(&out_abs)
        {
            bail!(
                "--out {} holds the input {}: writing the report there would delete it; choose another folder",
                out.display(),
                i.display()
            );
        }
    }
    Ok(())
}

/// Checks `--threads` (before a thread pool is built with it).
pub fn check_threads(n: usize) -> Result<()> {
    if !(1..=MAX_THREADS).contains(&n) {
        bail!("--threads {n}: must be from 1 to {MAX_THREADS}");
    }
    Ok(())
}

/// Reading options from the arguments.
pub fn read_options(a: &super::args::InputArgs) -> Result<ReadOptions> {
    let format = match &a.format {
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            anyhow!(
                "--format {f:?}: expected one of {}",
                Format::ALL.map(|f| f.name()).join(", ")
            )
        })?),
        None => None,
    };
    let trace_start = parse_date(&a.trace_start).ok_or_else(|| {
        anyhow!(
            "--trace-start {:?}: expected a date as YYYY-MM-DD from 1970 to 8999",
            a.trace_start
        )
    })?;
    Ok(ReadOptions {
        format,
        strict: a.strict,
        trace_start,
    })
}

/// `dir/*.ext`, sorted; an error if there is none.
pub fn bundled(dir: &str, ext: &str) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| {
            format!("cannot read folder {dir}/ (run from the s3sim checkout, or name files)")
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    if v.is_empty() {
        bail!("no {dir}/*.{ext} files found");
    }
    Ok(v)
}

/// The billed months of a workload: from the first day of its first event's month to the end of its
/// last event's month, or as `--months` / `--until` set; every event must fall inside.
pub fn horizon(months: Option<u32>, until: Option<Micros>, w: &Workload) -> Result<Months> {
    horizon_of(months, until, w.first, w.last, &w.source.path)
}

/// The billed months of a workload whose requests run from `first` to `last` (see [`horizon`]).
fn horizon_of(
    months: Option<u32>,
    until: Option<Micros>,
    first: Micros,
    last: Micros,
    path: &Path,
) -> Result<Months> {
    let start = month_start(first);
    let end = if let Some(n) = months {
        (0..n).fold(start, |t, _| next_month_start(t))
    } else if let Some(u) = until {
        u
    } else {
        next_month_start(last)
    };
    let months = Months::new(start, end.max(start + 1));
    if months.len() > MAX_MONTHS as usize {
        bail!(
            "workload {}: its requests span {} months, more than the {MAX_MONTHS} s3sim simulates",
            path.display(),
            months.len()
        );
    }
    if end <= last {
        bail!(
            "workload {}: its last event is at {}, but the simulated period ends at {}; extend --months or --until",
            path.display(),
            format_instant(last),
            format_instant(end)
        );
    }
    Ok(Months::new(start, end))
}

/// Simulates, then writes the ledger (`--ledger-out`) and, unless this is a shard, prices and
/// writes the report (after `load_run_config`). The report goes through the merge of one
/// shard: the same code `s3sim merge` runs.
pub fn execute_run(cfg: &mut RunConfig, progress: &Progress) -> Result<RunOutcome, Failure> {
    let started = Instant::now();
    let parts = simulate_parts(cfg, progress)?;
    let setup = report_setup(cfg).map_err(Failure::Input)?;
    let mut terminal = String::new();
    let parts = match &cfg.ledger_out {
        Some(target) => {
            let ledger = Ledger::new(cfg.shard, setup, parts);
            let written = write_ledger(target, &ledger)?;
            if let Some(path) = written {
                terminal.push_str(&format!(
                    "Ledger of shard {} of {} written to {} ({} events)\n",
                    cfg.shard.index,
                    cfg.shard.count,
                    path.display(),
                    ledger.workloads.iter().map(|w| w.events).sum::<u64>()
                ));
            }
            if cfg.out.is_none() {
                return Ok(RunOutcome {
                    reports: Vec::new(),
                    terminal,
                });
            }
            let Ledger {
                setup, workloads, ..
            } = ledger;
            (setup, workloads)
        }
        None => (setup, parts),
    };
    let (setup, parts) = parts;
    let parts = crate::shard::merge_parts(vec![parts]).map_err(Failure::Internal)?;
    let out = cfg.out.as_mut().expect("a report folder when not a shard");
    let mut outcome = write_report(&setup, &cfg.prices, parts, out, progress, started)?;
    terminal.push_str(&outcome.terminal);
    outcome.terminal = terminal;
    Ok(outcome)
}

/// Writes a ledger to `target`: `-` (stdout), a folder (the shard's file name in it), or a file;
/// atomically (a retried or speculative worker replaces the file whole, never leaves it torn).
/// Returns the file written (None for stdout).
pub fn write_ledger(target: &Path, ledger: &Ledger) -> Result<Option<PathBuf>, Failure> {
    let bytes = ledger.to_json();
    if target.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        std::io::Write::write_all(&mut out, &bytes)
            .and_then(|()| std::io::Write::flush(&mut out))
            .context("cannot write the ledger to stdout")
            .map_err(Failure::Input)?;
        return Ok(None);
    }
    let raw = target.as_os_str().as_encoded_bytes();
    let path = if target.is_dir() || raw.ends_with(b"/") {
        std::fs::create_dir_all(target)
            .with_context(|| {
                format!(
                    "--ledger-out {}: cannot create the folder",
                    target.display()
                )
            })
            .map_err(Failure::Input)?;
        target.join(ledger.shard.file_name())
    } else {
        target.to_path_buf()
    };
    super::outfile::write(&path, "--ledger-out", |w| {
        std::io::Write::write_all(w, &bytes)?;
        Ok(())
    })?;
    Ok(Some(path))
}

/// Runs the request-rate model and the cost engine over every workload x policy: the results,
/// before pricing.
fn simulate_parts(cfg: &mut RunConfig, progress: &Progress) -> Result<Vec<WorkloadPart>, Failure> {
    if let Some(budget) = cfg.spill {
        return simulate_spilled(cfg, budget, progress);
    }
    progress.add_steps((cfg.workloads.len() * (cfg.policies.len() + 1)) as u64);
    let mut parts = Vec::with_capacity(cfg.workloads.len());
    // Each workload is taken out of the plan: read in row order, grouped by key for the engine.
    for (i, w) in std::mem::take(&mut cfg.workloads).into_iter().enumerate() {
        let months = cfg.horizons[i].clone();
        let versioning = cfg.versioning[i];
        parts.push(simulate_workload(cfg, w, &months, versioning, progress));
    }
    Ok(parts)
}

/// Requests per group of partitions s3sim reads at once under a memory budget: the budget over
/// the memory a request takes through the run (the event, its share of keys and of the
/// engine's state: about 56 bytes measured at 10 million events, rounded up), with room left
/// for what the run holds besides.
const BYTES_PER_EVENT: u64 = 96;

/// Bounded memory: each workload is spilled by partition to a temporary folder (`TMPDIR`), then
/// simulated a group of partitions at a time; the groups merge as shards do.
fn simulate_spilled(
    cfg: &mut RunConfig,
    budget: u64,
    progress: &Progress,
) -> Result<Vec<WorkloadPart>, Failure> {
    use crate::workload::spill;
    let input = |e: crate::workload::WorkloadError| Failure::Input(e.into());
    let tmp = std::env::temp_dir();
    let per_group = (budget / BYTES_PER_EVENT).max(1);
    let mut parts = Vec::new();
    for path in cfg.spill_paths.clone() {
        let name = crate::workload::workload_name(&path);
        progress.stage(format!(
            "{name}: spilling by partition to {}",
            tmp.display()
        ));
        let s = spill::spill(&path, &cfg.read_options, cfg.throughput.prefix_depth, &tmp)
            .map_err(input)?;
        let (Some(first), Some(last)) = (s.facts.first, s.facts.last) else {
            return Err(Failure::Input(anyhow!(
                "{}: contains no requests s3sim can replay",
                path.display()
            )));
        };
        let months =
            horizon_of(cfg.months, cfg.until, first, last, &path).map_err(Failure::Input)?;
        let versioning = match cfg.versioning_arg {
            Some(VersioningArg::Off) => (Versioning::Off, false),
            Some(VersioningArg::Enabled) => (Versioning::Enabled, false),
            Some(VersioningArg::Suspended) => (Versioning::Suspended, false),
            None if s.facts.names_versions => (Versioning::Enabled, true),
            None => (Versioning::Off, false),
        };
        // Buckets packed into groups of at most `per_group` requests; a bucket over it alone.
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut size = u64::MAX;
        for (b, &n) in s.lines.iter().enumerate() {
            if n > per_group {
                let (p, m) = spill::largest_partition(
                    &s,
                    b as u32,
                    cfg.throughput.prefix_depth,
                    &cfg.read_options,
                )
                .map_err(input)?;
                if m > per_group {
                    let what = match cfg.throughput.prefix_depth {
                        Some(d) => format!(
                            "give a larger --max-memory, or a deeper --prefix-depth than {d} (finer partitions: each is simulated whole)"
                        ),
                        None => "give a larger --max-memory (a partition is simulated whole, and without --prefix-depth partitions are already as fine as the keys' prefixes)".into(),
                    };
                    return Err(Failure::Input(anyhow!(
                        "{}: the request-rate partition {p:?} alone holds {m} requests, about {} in memory, more than --max-memory {} allows: {what}",
                        path.display(),
                        human_bytes(m * BYTES_PER_EVENT),
                        human_bytes(budget)
                    )));
                }
            }
            if size.saturating_add(n) > per_group {
                groups.push(Vec::new());
                size = 0;
            }
            groups.last_mut().expect("pushed").push(b as u32);
            size += n;
        }
        progress.add_steps((groups.len() * (cfg.policies.len() + 1)) as u64);
        let path_s = path.display().to_string();
        let mut group_parts = Vec::with_capacity(groups.len());
        for (gi, g) in groups.iter().enumerate() {
            progress.stage(format!("{name}: group {} of {}", gi + 1, groups.len()));
            let mut w = spill::read_group(
                &s,
                g,
                &name,
                &path_s,
                &cfg.read_options,
                cfg.throughput.prefix_depth,
            )
            .map_err(input)?;
            w.first = first;
            w.last = last;
            w.source.path = path.clone();
            w.source.bytes = s.input_bytes;
            w.source.sha256 = s.sha256.clone();
            group_parts.push(vec![simulate_workload(
                cfg, w, &months, versioning, progress,
            )]);
        }
        let mut merged = crate::shard::merge_parts(group_parts).map_err(Failure::Internal)?;
        parts.push(merged.pop().expect("one workload"));
    }
    Ok(parts)
}

/// Simulates one workload (or one group of its partitions) against every policy.
fn simulate_workload(
    cfg: &RunConfig,
    w: Workload,
    months: &Months,
    (versioning, inferred): (Versioning, bool),
    progress: &Progress,
) -> WorkloadPart {
    let opts = cfg.sim_options(months, versioning);
    let topts = &cfg.throughput;
    // Inventory objects come first, and may predate the first request.
    let earliest = w.earliest_creation();
    // Request rates need the events in time order, the cost engine needs them by key.
    progress.stage(format!("{}: request rates", w.name));
    let (throughput, series) =
        simulate_with_series(&w, topts, crate::shard::HOT_PREFIXES, RATE_INTERVALS);
    progress.stage(format!("{}: grouping events by key", w.name));
    let w = w.group_by_key();
    progress.step();
    let policies: Vec<Policy> = cfg.policies.iter().map(|p| p.policy.clone()).collect();
    progress.stage(format!("{}: {} simulations", w.name, policies.len()));
    let results = simulate_all(
        &w,
        &policies,
        &opts,
        cfg.threads * 4,
        &throughput.get_delays,
    );
    let results = policies
        .iter()
        .zip(results)
        .map(|(p, r)| {
            progress.step();
            PolicyPart {
                policy: p.name.clone(),
                usage: r.usage,
                stats: r.stats,
            }
        })
        .collect();
    WorkloadPart {
        name: w.name.clone(),
        file: report::FileRecord {
            path: w.source.path.display().to_string(),
            bytes: w.source.bytes,
            sha256: w.source.sha256.clone(),
        },
        events: w.events.len() as u64,
        keys: w.keys.len() as u64,
        first_event: w.first,
        last_event: w.last,
        horizon: months.clone(),
        tally: w.tally.clone(),
        notes: w.notes.clone(),
        versioning: versioning.name().to_string(),
        versioning_inferred: inferred,
        earliest,
        results,
        delayed_gets: throughput.get_delays.len() as u64,
        prefixes: throughput.prefixes,
        series,
    }
}

/// A size as people read it: `1.5 GiB`, `300 MiB`, `12 KiB`.
fn human_bytes(b: u64) -> String {
    match b {
        b if b >= 1 << 30 => format!("{:.1} GiB", b as f64 / (1u64 << 30) as f64),
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b => format!("{} KiB", b.div_ceil(1024)),
    }
}

/// `--max-memory`'s size: bytes, or with K, M, G or T (powers of 1024; `B` and `iB` allowed).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (num, shift) = match t.chars().last()? {
        'K' | 'k' => (&t[..t.len() - 1], 10),
        'M' | 'm' => (&t[..t.len() - 1], 20),
        'G' | 'g' => (&t[..t.len() - 1], 30),
        'T' | 't' => (&t[..t.len() - 1], 40),
        _ => (t, 0),
    };
    let v: f64 = num.trim().parse().ok()?;
    let bytes = v * (1u64 << shift) as f64;
    (v.is_finite() && v > 0.0 && bytes < 1e18).then_some(bytes as u64)
}

/// Without --max-memory: three quarters of the memory s3sim may use: the machine's (`MemTotal`
/// of /proc/meminfo), or a container's limit where lower (cgroup v2 `memory.max`, v1
/// `memory.limit_in_bytes`: a Kubernetes pod's limit); no bound where neither can be read.
fn auto_memory_budget() -> Option<u64> {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let kib: u64 = text
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()?;
            Some(kib * 1024)
        });
    let limit = [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ]
    .iter()
    .filter_map(|f| std::fs::read_to_string(f).ok()?.trim().parse::<u64>().ok())
    .min();
    let usable = match (total, limit) {
        (Some(t), Some(l)) => t.min(l),
        (t, l) => t.or(l)?,
    };
    Some(usable / 4 * 3)
}

/// About how much memory reading `path` whole takes: its lines (its size, gzip counted 8 times,
/// over the mean line length of its first 64 KiB) times [`BYTES_PER_EVENT`]. 0 when it cannot be
/// read (reading it reports the error).
fn estimate_memory(path: &Path) -> u64 {
    let files = match crate::workload::input_files(path) {
        Ok(f) => f,
        Err(_) => return 0,
    };
    files
        .iter()
        .map(|f| {
            let Ok(mut file) = std::fs::File::open(f) else {
                return 0;
            };
            let size = file.metadata().map_or(0, |m| m.len());
            let mut head = vec![0u8; 64 << 10];
            let n = std::io::Read::read(&mut file, &mut head).unwrap_or(0);
            let gz = n >= 2 && head[..2] == [0x1f, 0x8b];
            let bytes = if gz { size * 8 } else { size };
            let lines_in_head = head[..n].iter().filter(|&&c| c == b'\n').count() as u64;
            let mean = if gz || lines_in_head == 0 {
                100
            } else {
                (n as u64 / lines_in_head).max(1)
            };
            bytes / mean * BYTES_PER_EVENT
        })
        .sum()
}

/// What the report says besides the results, from the run's configuration.
fn report_setup(cfg: &RunConfig) -> Result<ReportSetup> {
    let topts = &cfg.throughput;
    Ok(ReportSetup {
        policies: cfg
            .policies
            .iter()
            .map(|p| {
                Ok(policy_record(
                    &p.policy,
                    p.path.as_deref().map(file_record).transpose()?,
                ))
            })
            .collect::<Result<_>>()?,
        pricing: report::PricingRecord {
            origin: cfg.prices.origin.clone(),
            file: if cfg.prices.is_builtin() {
                None
            } else {
                Some(file_record(Path::new(&cfg.prices.origin))?)
            },
            region: cfg.prices.region.clone(),
            as_of: cfg.prices.as_of.clone(),
            discount: cfg.prices.discount.clone(),
        },
        pricing_source: cfg.pricing_source.clone(),
        options: report::OptionsRecord {
            months: cfg.months,
            until: cfg.until,
            restore_tier: cfg.restore_tier.name().to_string(),
            restore_days: cfg.restore_days,
            ia_30_day_minimum: cfg.ia_30_day_minimum,
            prefix_depth: topts.prefix_depth,
            seed: topts.seed,
            max_attempts: topts.max_attempts,
            scale_after_minutes: topts.scale_after_minutes,
            write_rps: topts.write_rps,
            read_rps: topts.read_rps,
            egress: cfg.egress,
            baseline: cfg.baseline.0.clone(),
            baseline_added: cfg.baseline.1,
            max_p99_get_wait_s: cfg.max_p99_get_wait_s,
            charts: match cfg.charts {
                ChartsArg::All => "all",
                ChartsArg::Summary => "summary",
                ChartsArg::None => "none",
            }
            .to_string(),
            it_configs: cfg
                .it_configs
                .configs
                .iter()
                .map(|c| (c.origin.clone(), c.id.clone(), c.explain()))
                .collect(),
            it_last_tier_days: cfg.it_configs.last_tier_days(),
        },
        parquet: cfg.parquet,
        restore_latency: restore_latency(&cfg.prices),
        other_inputs: cfg.other_inputs.clone(),
    })
}

/// The restore waits of a price table, as a ledger records them.
pub fn restore_latency(prices: &PriceTable) -> Vec<Vec<Option<Micros>>> {
    prices.restore_latency.iter().map(|t| t.to_vec()).collect()
}

/// A policy as the report describes it.
pub fn policy_record(policy: &Policy, file: Option<report::FileRecord>) -> report::PolicyRecord {
    report::PolicyRecord {
        name: policy.name.clone(),
        rules: policy.explain(),
        has_version_rules: policy.has_version_rules(),
        file,
        timing: report::decide::PolicyTiming {
            name: policy.name.clone(),
            actions: policy.action_ages(),
            enabled_rules: policy.rules.iter().filter(|r| r.enabled).count(),
        },
    }
}

/// Prices the results and writes the report folder: what `run` and `merge` share.
pub fn write_report(
    setup: &ReportSetup,
    prices: &PriceTable,
    parts: Vec<WorkloadPart>,
    out: &mut report::Staging,
    progress: &Progress,
    started: Instant,
) -> Result<RunOutcome, Failure> {
    let mut reports = Vec::new();
    let mut workloads = Vec::with_capacity(parts.len());
    let mut rates: Vec<(String, Vec<crate::ledger::rates::PrefixStats>, u64)> = Vec::new();
    let mut series: Vec<Vec<RateSeries>> = Vec::new();
    for part in parts {
        for r in part.results {
            reports.push(SimReport {
                workload: part.name.clone(),
                policy: r.policy,
                bill: bill(&r.usage, &part.horizon, prices),
                months: part.horizon.clone(),
                stats: r.stats,
            });
        }
        workloads.push(report::WorkloadRecord {
            name: part.name.clone(),
            file: part.file,
            events: part.events as usize,
            keys: part.keys as usize,
            first_event: part.first_event,
            last_event: part.last_event,
            horizon: part.horizon,
            notes: {
                let mut n = part.tally.notes();
                n.extend(part.notes);
                n
            },
            versioning: part.versioning,
            versioning_inferred: part.versioning_inferred,
            earliest: part.earliest,
        });
        rates.push((part.name, part.prefixes, part.delayed_gets));
        series.push(part.series);
    }
    report::check_priced(&reports).map_err(Failure::Input)?;
    let record = report::RunRecord {
        workloads,
        policies: setup.policies.clone(),
        pricing: setup.pricing.clone(),
        options: setup.options.clone(),
        reports: &reports,
        rates: rates
            .iter()
            .map(|(w, prefixes, delayed)| report::RatesRecord {
                workload: w,
                prefixes,
                delayed_gets: *delayed as usize,
            })
            .collect(),
        elapsed_s: started.elapsed().as_secs_f64(),
    };
    let decisions = record.decisions();
    let warnings = record.warnings(&decisions);
    let run_json = record
        .run_json(&warnings, &decisions)
        .map_err(|e| Failure::Internal(e.into()))?;
    let run_lines = record.run_lines();
    drop(record);
    progress.stage("writing the report".into());
    let rate_views: Vec<Rates> = rates
        .iter()
        .zip(&series)
        .map(|((w, prefixes, _), s)| Rates {
            workload: w,
            prefixes,
            series: s,
            read_limit: setup.options.read_rps,
            write_limit: setup.options.write_rps,
        })
        .collect();
    let info = ReportInfo {
        run_lines: &run_lines,
        warnings: &warnings,
        parquet: setup.parquet,
        decisions: &decisions,
        charts: match setup.options.charts.as_str() {
            "summary" => report::Charts::Summary,
            "none" => report::Charts::None,
            _ => report::Charts::All,
        },
    };
    let mut files =
        report::report_files(&reports, &rate_views, &info).map_err(Failure::Internal)?;
    files.push(("run.json".to_string(), run_json.into_bytes()));
    // Writing can fail for reasons of the user's machine (a full disk, permissions): exit 2.
    out.commit(&files).map_err(Failure::Input)?;
    progress.finish();
    let mut terminal = report::decide::terminal(&decisions);
    for w in &warnings {
        terminal.push_str(&format!("warning: {w}\n"));
    }
    Ok(RunOutcome { reports, terminal })
}

/// A file's path, size and SHA-256, for `run.json`.
pub fn file_record(path: &Path) -> Result<report::FileRecord> {
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("cannot stat {}", path.display()))?
        .len();
    Ok(report::FileRecord {
        path: path.display().to_string(),
        bytes,
        sha256: sha256_file(path).with_context(|| format!("cannot read {}", path.display()))?,
    })
}
