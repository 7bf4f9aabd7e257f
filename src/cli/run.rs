//! `s3sim run`: load and check every input first (so bad input never leaves a report folder behind),
//! then simulate the workload x policy cross product in parallel, price it, and write the report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;
use serde_json::json;

use super::Failure;
use super::args::{EgressArg, RunArgs, TierArg};
use super::progress::Progress;
use crate::ledger::{Months, bill};
use crate::model::RestoreTier;
use crate::model::time::{Micros, format_instant, month_start, next_month_start, parse_date};
use crate::policy::{Policy, ValidateOptions};
use crate::pricing::PriceTable;
use crate::report::{self, Rates, ReportInfo, SimReport};
use crate::sim::throughput::{RateSeries, Throughput, ThroughputOptions, simulate_with_series};
use crate::sim::{SimOptions, simulate_all};
use crate::workload::{Format, ReadOptions, Workload, read_workload, sha256_file};

/// Input sanity bounds of s3sim (not S3 limits): a century of simulated months and of restore days.
const MAX_MONTHS: u32 = 1200;
const MAX_RESTORE_DAYS: u32 = 36_500;
/// At most this many attempts per request (keeps the summed backoff within a u64 of µs easily).
const MAX_ATTEMPTS: u32 = 100;
/// The request-rate chart shows this many of the busiest prefixes, in this many intervals.
const HOT_PREFIXES: usize = 5;
const RATE_INTERVALS: usize = 600;

/// A policy with the file it came from (None for `none`).
pub struct LoadedPolicy {
    pub policy: Policy,
    pub path: Option<PathBuf>,
}

/// Everything `run` needs, loaded and validated.
pub struct RunConfig {
    pub workloads: Vec<Workload>,
    pub policies: Vec<LoadedPolicy>,
    pub prices: PriceTable,
    pub out: PathBuf,
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
}

/// What `run` produced.
pub struct RunOutcome {
    pub reports: Vec<SimReport>,
    pub terminal: String,
}

/// Reads and checks every input named by the arguments (input errors only).
pub fn load_run_config(a: &RunArgs, progress: &Progress) -> Result<RunConfig> {
    let prices = match &a.pricing {
        Some(p) => PriceTable::from_file(p)?,
        None => PriceTable::builtin(),
    };
    let until = match &a.until {
        Some(s) => Some(
            parse_date(s).ok_or_else(|| anyhow!("--until {s:?}: expected a date as YYYY-MM-DD"))?,
        ),
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
    if a.threads == Some(0) {
        bail!("--threads must be at least 1");
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
    let out = match &a.out {
        Some(o) => o.clone(),
        None => {
            PathBuf::from("reports").join(chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string())
        }
    };
    report::check_out_dir(&out)?;

    let workload_paths = if a.workloads.is_empty() {
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
        let loaded = if arg == "none" {
            LoadedPolicy {
                policy: Policy::none(),
                path: None,
            }
        } else {
            let path = PathBuf::from(arg);
            LoadedPolicy {
                policy: Policy::from_file(&path, &vopts)?,
                path: Some(path),
            }
        };
        if policies.iter().any(|p| p.policy.name == loaded.policy.name) {
            bail!(
                "two policies are named {:?} (a policy's name is its file stem); rename one",
                loaded.policy.name
            );
        }
        policies.push(loaded);
    }
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
        Some(s) => Some(
            parse_date(s)
                .ok_or_else(|| anyhow!("--repeat-until {s:?}: expected a date as YYYY-MM-DD"))?,
        ),
        None => None,
    };
    progress.add_steps(workload_paths.len() as u64);
    progress.stage(format!("reading {} workload(s)", workload_paths.len()));
    let workloads: Vec<Workload> = workload_paths
        .par_iter()
        .map(|p| {
            let w = read_workload(p, &ropts)
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
    let cfg = RunConfig {
        workloads,
        policies,
        prices,
        out,
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
        throughput: ThroughputOptions {
            write_rps: 0,
            read_rps: 0,
            prefix_depth: a.prefix_depth,
            max_attempts: a.max_attempts,
            seed: a.seed,
            scale_after_minutes: (!a.no_scale).then_some(a.scale_after),
        },
    };
    for w in &cfg.workloads {
        horizon(&cfg, w)?;
    }
    Ok(cfg)
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
            "--trace-start {:?}: expected a date as YYYY-MM-DD",
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
fn bundled(dir: &str, ext: &str) -> Result<Vec<PathBuf>> {
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
pub fn horizon(cfg: &RunConfig, w: &Workload) -> Result<Months> {
    let start = month_start(w.first);
    let end = if let Some(n) = cfg.months {
        (0..n).fold(start, |t, _| next_month_start(t))
    } else if let Some(u) = cfg.until {
        u
    } else {
        next_month_start(w.last)
    };
    let months = Months::new(start, end.max(start + 1));
    if months.len() > MAX_MONTHS as usize {
        bail!(
            "workload {}: its requests span {} months, more than the {MAX_MONTHS} s3sim simulates",
            w.source.path.display(),
            months.len()
        );
    }
    if end <= w.last {
        bail!(
            "workload {}: its last event is at {}, but the simulated period ends at {}; extend --months or --until",
            w.source.path.display(),
            format_instant(w.last),
            format_instant(end)
        );
    }
    Ok(Months::new(start, end))
}

/// Simulates, prices and writes the report (after `load_run_config`).
pub fn execute_run(cfg: &mut RunConfig, progress: &Progress) -> Result<RunOutcome, Failure> {
    let started = Instant::now();
    progress.add_steps((cfg.workloads.len() * (cfg.policies.len() + 1)) as u64);
    let mut series: Vec<Vec<RateSeries>> = Vec::new();
    let policies: Vec<Policy> = cfg.policies.iter().map(|p| p.policy.clone()).collect();
    let mut reports = Vec::new();
    let mut rates: Vec<(String, Throughput)> = Vec::new();
    let mut warnings = Vec::new();
    let mut topts = cfg.throughput.clone();
    topts.write_rps = cfg.prices.limits.write_rps;
    topts.read_rps = cfg.prices.limits.read_rps;
    for i in 0..cfg.workloads.len() {
        let months = horizon(cfg, &cfg.workloads[i]).map_err(Failure::Input)?;
        let opts = SimOptions {
            months: months.clone(),
            restore_tier: cfg.restore_tier,
            restore_days: cfg.restore_days,
            egress: cfg.egress,
            restore_latency: cfg.prices.restore_latency,
            trace: false,
        };
        // Request rates need the events in time order, the cost engine needs them by key.
        progress.stage(format!("{}: request rates", cfg.workloads[i].name));
        let (throughput, hot_series) =
            simulate_with_series(&cfg.workloads[i], &topts, HOT_PREFIXES, RATE_INTERVALS);
        series.push(hot_series);
        progress.stage(format!("{}: grouping events by key", cfg.workloads[i].name));
        cfg.workloads[i].group_by_key();
        progress.step();
        let w = &cfg.workloads[i];
        progress.stage(format!("{}: {} simulations", w.name, policies.len()));
        warnings.extend(w.notes.iter().cloned());
        let failed: u64 = throughput.prefixes.iter().map(|p| p.failed).sum();
        if failed > 0 {
            warnings.push(format!(
                "{}: {failed} request(s) were still throttled (503 Slow Down) after {} attempts",
                w.name, topts.max_attempts
            ));
        }
        let results = simulate_all(w, &policies, &opts, cfg.threads * 4, &throughput.get_delays);
        for (p, r) in policies.iter().zip(results) {
            progress.step();
            if r.stats.small_not_transitioned > 0 {
                warnings.push(format!(
                    "{} x {}: objects under 128 KB were not transitioned: {} of {} objects ({:.0}%)",
                    w.name,
                    p.name,
                    r.stats.small_not_transitioned,
                    r.stats.objects_created,
                    r.stats.small_not_transitioned as f64 / r.stats.objects_created.max(1) as f64 * 100.0
                ));
            }
            if r.stats.expedited_downgraded > 0 {
                warnings.push(format!(
                    "{} x {}: DEEP_ARCHIVE has no expedited restores; {} restore(s) ran at the standard tier",
                    w.name, p.name, r.stats.expedited_downgraded
                ));
            }
            if r.stats.missing_key > 0 {
                warnings.push(format!(
                    "{} x {}: {} GET/HEAD/DELETE request(s) named keys that did not exist (billed as STANDARD requests)",
                    w.name, p.name, r.stats.missing_key
                ));
            }
            reports.push(SimReport {
                workload: w.name.clone(),
                policy: p.name.clone(),
                bill: bill(&r.usage, &months, &cfg.prices),
                months: months.clone(),
                stats: r.stats,
            });
        }
        rates.push((w.name.clone(), throughput));
    }
    let run_json = run_json(
        cfg,
        &reports,
        &rates,
        &warnings,
        started.elapsed().as_secs_f64(),
    )
    .map_err(Failure::Internal)?;
    let run_lines = vec![
        format!("s3sim {}", env!("CARGO_PKG_VERSION")),
        format!(
            "prices: {} (region {}, as of {})",
            cfg.prices.origin, cfg.prices.region, cfg.prices.as_of
        ),
        format!(
            "workloads: {}",
            cfg.workloads
                .iter()
                .map(|w| format!("{} ({} events)", w.name, w.events.len()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "policies: {}",
            cfg.policies
                .iter()
                .map(|p| p.policy.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!(
            "restores: {} tier, copies kept {} day(s); egress to the internet {}",
            cfg.restore_tier.name(),
            cfg.restore_days,
            if cfg.egress { "billed" } else { "not billed" }
        ),
    ];
    progress.stage("writing the report".into());
    let rate_views: Vec<Rates> = rates
        .iter()
        .zip(&series)
        .map(|((w, t), s)| Rates {
            workload: w,
            throughput: t,
            series: s,
            read_limit: cfg.prices.limits.read_rps,
            write_limit: cfg.prices.limits.write_rps,
        })
        .collect();
    let info = ReportInfo {
        run_lines: &run_lines,
        warnings: &warnings,
        parquet: cfg.parquet,
    };
    let mut files =
        report::report_files(&reports, &rate_views, &info).map_err(Failure::Internal)?;
    files.push(("run.json".to_string(), run_json.into_bytes()));
    report::write_report_dir(&cfg.out, &files).map_err(Failure::Internal)?;
    progress.finish();
    let mut terminal = report::terminal_table(&reports);
    for w in &warnings {
        terminal.push_str(&format!("warning: {w}\n"));
    }
    Ok(RunOutcome { reports, terminal })
}

fn file_info(path: &Path) -> Result<serde_json::Value> {
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("cannot stat {}", path.display()))?
        .len();
    Ok(json!({ "path": path.display().to_string(), "bytes": bytes, "sha256": sha256_file(path)? }))
}

fn run_json(
    cfg: &RunConfig,
    reports: &[SimReport],
    rates: &[(String, Throughput)],
    warnings: &[String],
    elapsed_s: f64,
) -> Result<String> {
    let workloads: Vec<_> = cfg
        .workloads
        .iter()
        .map(|w| {
            let months = horizon(cfg, w).expect("checked at load");
            json!({
                "name": w.name,
                "path": w.source.path.display().to_string(),
                "bytes": w.source.bytes,
                "sha256": w.source.sha256,
                "events": w.events.len(),
                "keys": w.keys.len(),
                "first_event": format_instant(w.first),
                "last_event": format_instant(w.last),
                "horizon_start": format_instant(months.start()),
                "horizon_end": format_instant(months.end()),
            })
        })
        .collect();
    let mut policies = Vec::new();
    for p in &cfg.policies {
        let mut v = json!({ "name": p.policy.name, "rules": p.policy.explain() });
        if let Some(path) = &p.path {
            v["file"] = file_info(path)?;
        }
        policies.push(v);
    }
    let pricing = match cfg.prices.origin.as_str() {
        o if o == crate::pricing::DEFAULT_NAME => {
            json!({ "path": o, "region": cfg.prices.region, "as_of": cfg.prices.as_of })
        }
        o => {
            let mut v = file_info(Path::new(o))?;
            v["region"] = json!(cfg.prices.region);
            v["as_of"] = json!(cfg.prices.as_of);
            v
        }
    };
    let sims: Vec<_> = reports
        .iter()
        .map(|r| {
            json!({
                "workload": r.workload,
                "policy": r.policy,
                "objects_created": r.stats.objects_created,
                "gets": r.stats.gets,
                "archived_gets": r.stats.archived_gets,
                "missing_key": r.stats.missing_key,
                                "restores": r.stats.restores,
                "get_latency_s": {
                    "p50": r.stats.get_latency_quantile(0.5),
                    "p99": r.stats.get_latency_quantile(0.99),
                    "max": r.stats.get_latency_quantile(1.0),
                },
                "transitions": r.stats.transitions,
                "expirations": r.stats.expirations,
            })
        })
        .collect();
    let request_rates: Vec<_> = rates
        .iter()
        .map(|(w, t)| {
            let sum = |f: fn(&crate::sim::throughput::PrefixStats) -> u64| {
                t.prefixes.iter().map(f).sum::<u64>()
            };
            json!({
                "workload": w,
                "prefixes": t.prefixes.len(),
                "requests": sum(|p| p.requests()),
                "throttled_attempts": sum(|p| p.throttled),
                "throttled_first_attempts": sum(|p| p.throttled_first),
                "failed": sum(|p| p.failed),
                "delayed_gets": t.get_delays.len(),
            })
        })
        .collect();
    let v = json!({
        "s3sim_version": env!("CARGO_PKG_VERSION"),
        "inputs": { "workloads": workloads, "policies": policies, "pricing": pricing },
        "options": {
            "months": cfg.months,
            "until": cfg.until.map(format_instant),
            "restore_tier": cfg.restore_tier.name(),
            "restore_days": cfg.restore_days,
                        "ia_30_day_minimum": cfg.ia_30_day_minimum,
            "prefix_depth": cfg.throughput.prefix_depth,
            "seed": cfg.throughput.seed,
            "max_attempts": cfg.throughput.max_attempts,
            "scale_after_minutes": cfg.throughput.scale_after_minutes,
            "limits_rps": { "write": cfg.prices.limits.write_rps, "read": cfg.prices.limits.read_rps },
            "egress": if cfg.egress { "internet" } else { "none" },
        },
                "simulations": sims,
        "request_rates": request_rates,
        "warnings": warnings,
        "elapsed_s": elapsed_s,
    });
    Ok(serde_json::to_string_pretty(&v)? + "\n")
}
