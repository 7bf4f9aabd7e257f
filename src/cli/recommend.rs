//! `s3sim recommend`: per workload, the cheapest lifecycle configuration (one transition per
//! prefix group, or none) under a p99 GET wait budget and a monthly restore cap, found by
//! [`crate::search`] and priced exactly; written as JSON for `put-bucket-lifecycle-configuration`,
//! as Terraform, with every candidate priced (`candidates.csv`), the tables of `none`, the
//! current configuration and the recommendation, and `recommend.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use super::Failure;
use super::args::{DEFAULT_MAX_ATTEMPTS, DEFAULT_SCALE_AFTER_MINUTES, RecommendArgs};
use super::progress::Progress;
use super::run::{bucket_versioning, bundled, check_threads, default_stamp, horizon, read_options};
use crate::ledger::bill;
use crate::model::time::parse_date;
use crate::model::{RestoreTier, StorageClass, Versioning};
use crate::policy::{MAX_RULES, Policy, ValidateOptions};
use crate::report::{self, SimReport, fmt_usd};
use crate::search::{self, Action, Candidate, Constraints, Group};
use crate::sim::throughput::{ThroughputOptions, simulate_with_series};
use crate::sim::{SimOptions, simulate_chunks};
use crate::workload::read_workload;

/// The ages searched [days]: 0, the first weeks, and the minimum-duration boundaries (30, 90,
/// 180 days) with the steps around them.
pub const AGES: [u32; 8] = [0, 7, 14, 30, 60, 90, 180, 365];
/// `NoncurrentDays` searched in a versioned bucket (None: noncurrent versions kept).
const NONCURRENT_DAYS: [Option<u32>; 4] = [None, Some(1), Some(30), Some(90)];
/// `DaysAfterInitiation` searched when the workload starts multipart uploads.
const ABORT_DAYS: [Option<u32>; 2] = [None, Some(7)];

/// The expirations of current objects tried with `--allow-expiration`: a day, a week, and the
/// ends of the minimum storage durations (30, 90, 180 days) and of a year.
const EXPIRATION_DAYS: [Option<u32>; 7] = [
    None,
    Some(1),
    Some(7),
    Some(30),
    Some(90),
    Some(180),
    Some(365),
];
/// The classes a lifecycle rule can target (STANDARD is no target).
const ALL_CLASSES: [StorageClass; 6] = [
    StorageClass::StandardIa,
    StorageClass::OnezoneIa,
    StorageClass::IntelligentTiering,
    StorageClass::GlacierIr,
    StorageClass::Glacier,
    StorageClass::DeepArchive,
];
/// Candidates priced at least (for the list) and at most (a bound on time; the report says when
/// the search stopped there without proving its pick).
const MIN_CANDIDATES: usize = 200;
const MAX_CANDIDATES: usize = 1_000_000;

/// What one workload's search found, for the files and the terminal.
struct Found {
    workload: String,
    period: String,
    groups: Vec<Group>,
    actions: Vec<Action>,
    outcome: search::Outcome,
    /// `none`, the current configuration (if any) and the recommendation, as `run` reports them.
    reports: Vec<SimReport>,
    /// The recommendation's JSON (None: no rule at all, i.e. no lifecycle configuration).
    json: Option<String>,
    /// The decision table of `reports`: steady state, the change against `none`, and why.
    decision: Option<report::decide::Decision>,
    /// The recommendation as Terraform (with `json`).
    terraform: Option<String>,
    /// The wait budget, for the chart.
    budget_s: Option<f64>,
    /// Each candidate's steady-state cost per month, over the decision table's window (None
    /// without a decision table).
    steady: Vec<Option<f64>>,
}

/// Runs `s3sim recommend`; returns the terminal text and the output folder.
pub fn recommend(a: &RecommendArgs, progress: &Progress) -> Result<(String, PathBuf), Failure> {
    let input = Failure::Input;
    if let Some(n) = a.threads {
        check_threads(n).map_err(input)?;
    }
    let prices = super::run::load_prices(&a.prices).map_err(input)?;
    let constraints = Constraints {
        max_p99_get_wait_s: match &a.max_p99_get_wait {
            None => None,
            Some(s) => Some(crate::model::time::parse_duration(s).ok_or_else(|| {
                input(anyhow!(
                    "--max-p99-get-wait {s:?}: expected a duration such as 500ms, 1s, 5min, 12h or 2d"
                ))
            })?),
        },
        max_restores_per_month: a.max_restores_per_month,
    };
    let classes = classes(&a.classes).map_err(input)?;
    if a.prefix_depth > 32 {
        return Err(input(anyhow!(
            "--prefix-depth {}: at most 32 segments",
            a.prefix_depth
        )));
    }
    if !(2..=16).contains(&a.max_groups) {
        return Err(input(anyhow!(
            "--max-groups {}: from 2 to 16 (the largest groups kept and the others merged into one; the search multiplies the choices of every group)",
            a.max_groups
        )));
    }
    let until = match &a.until {
        Some(s) => Some(parse_date(s).ok_or_else(|| {
            input(anyhow!(
                "--until {s:?}: expected a date as YYYY-MM-DD from 1970 to 8999"
            ))
        })?),
        None => None,
    };
    let vopts = ValidateOptions::default();
    let current = match &a.current {
        Some(p) => Some(Policy::from_file(p, &vopts).map_err(|e| input(e.into()))?),
        None => None,
    };
    // The current configuration's expirations stay in every candidate: the search never
    // invents (nor drops) an expiration, unless --allow-expiration makes them choices.
    let kept: Vec<String> = match &current {
        Some(c) if !a.allow_expiration => search::kept_expirations(c),
        _ => Vec::new(),
    };
    if let Some(out) = &a.out {
        report::check_out_dir(out).map_err(input)?;
    }
    let paths = if a.workloads.is_empty() {
        bundled("workloads", "csv")
            .context("no --workload given, so s3sim looked for the bundled samples")
            .map_err(input)?
    } else {
        a.workloads.clone()
    };
    let ropts = read_options(&a.input).map_err(input)?;
    let mut transitions: Vec<Option<(StorageClass, u32)>> = vec![None];
    for &class in &classes {
        for days in AGES {
            transitions.push(Some((class, days)));
        }
    }
    let expirations: &[Option<u32>] = if a.allow_expiration {
        &EXPIRATION_DAYS
    } else {
        &[None]
    };
    let mut staging = match &a.out {
        Some(out) => report::Staging::prepare(out),
        None => report::Staging::prepare_new(
            Path::new("reports"),
            &format!("recommend-{}", default_stamp().map_err(input)?),
        ),
    }
    .map_err(input)?;
    let threads = a.threads.unwrap_or_else(rayon::current_num_threads);
    let mut found = Vec::new();
    for path in &paths {
        progress.stage(format!("{}: reading", path.display()));
        let w = read_workload(path, &ropts)
            .map_err(|e| input(e.into()))?
            .with_keys_in_name_order();
        let months = horizon(a.months, until, &w).map_err(input)?;
        let (versioning, _) = bucket_versioning(a.versioning, &w);
        let (first, earliest) = (w.first, w.earliest_creation());
        let uploads = w.events.iter().any(|e| e.op.is_multipart());
        let topts = ThroughputOptions {
            write_rps: prices.limits.write_rps,
            read_rps: prices.limits.read_rps,
            prefix_depth: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            seed: 0,
            scale_after_minutes: Some(DEFAULT_SCALE_AFTER_MINUTES),
        };
        progress.stage(format!("{}: request rates", w.name));
        let (throughput, _) = simulate_with_series(&w, &topts, 0, 1);
        let delays = throughput.get_delays;
        let w = w.group_by_key();
        let opts = SimOptions {
            months: months.clone(),
            restore_tier: RestoreTier::Standard,
            restore_days: 1,
            egress: false,
            restore_latency: prices.restore_latency,
            trace: false,
            versioning,
            it_configs: Default::default(),
        };
        let groups = search::merge_small(search::prefix_groups(&w, a.prefix_depth), a.max_groups);
        // Objects under 128 KB transition only where a rule says so: to GLACIER and
        // DEEP_ARCHIVE (what `varies_by_storage_class` allows), tried where the workload has
        // such objects.
        let small_sizes = w
            .events
            .iter()
            .any(|e| e.size > 0 && e.size < crate::policy::DEFAULT_MIN_TRANSITION_SIZE);
        let small_choice = small_sizes
            && classes
                .iter()
                .any(|c| matches!(c, StorageClass::Glacier | StorageClass::DeepArchive));
        let per_prefix = if small_choice { 2 } else { 1 };
        let rules: usize =
            groups.iter().map(|g| g.prefixes.len()).sum::<usize>() * per_prefix + kept.len();
        if rules > MAX_RULES {
            return Err(input(anyhow!(
                "{}: {rules} rules at --prefix-depth {}, and a lifecycle configuration holds at most {MAX_RULES} (one per prefix, two where objects under 128 KB may transition, and --current's expirations); choose a smaller --prefix-depth, or --prefix-depth 0 for one rule for the whole bucket",
                path.display(),
                a.prefix_depth
            )));
        }
        // Noncurrent versions expire only in a versioned bucket, and uploads abort only where
        // the workload starts them: elsewhere those choices would change nothing.
        let noncurrent: &[Option<u32>] = if versioning == Versioning::Off {
            &[None]
        } else {
            &NONCURRENT_DAYS
        };
        let abort: &[Option<u32>] = if uploads { &ABORT_DAYS } else { &[None] };
        let mut actions = Vec::new();
        for &transition in &transitions {
            let small: &[bool] = match transition {
                Some((StorageClass::Glacier | StorageClass::DeepArchive, _)) if small_choice => {
                    &[false, true]
                }
                _ => &[false],
            };
            for &expiration_days in expirations {
                // S3 takes an expiration only after the rule's transition.
                if let (Some(d), Some((_, t))) = (expiration_days, transition)
                    && d <= t
                {
                    continue;
                }
                for &small in small {
                    for &noncurrent_days in noncurrent {
                        for &abort_days in abort {
                            actions.push(Action {
                                transition,
                                noncurrent_days,
                                abort_days,
                                small,
                                expiration_days,
                            });
                        }
                    }
                }
            }
        }
        progress.stage(format!(
            "{}: {} groups x {} actions",
            w.name,
            groups.len(),
            actions.len()
        ));
        progress.add_steps((groups.len() * actions.len()) as u64);
        let table = search::evaluate_with(
            &w,
            &groups,
            &actions,
            &kept,
            &opts,
            &vopts,
            &delays,
            &|| progress.step(),
        )
        .map_err(|e| Failure::Internal(e.into()))?;
        progress.stage(format!("{}: searching", w.name));
        let outcome = table.search(
            &months,
            &prices,
            &constraints,
            MIN_CANDIDATES,
            MAX_CANDIDATES,
        );
        progress.stage(format!(
            "{}: {} configurations priced, the best {}",
            w.name,
            outcome.candidates.len(),
            outcome.pick.map_or("infeasible".into(), |i| fmt_usd(
                outcome.candidates[i].total_usd
            ))
        ));
        let simulated = |p: &Policy| {
            let r = simulate_chunks(&w, p, &opts, threads * 4, &delays);
            SimReport {
                workload: w.name.clone(),
                policy: p.name.clone(),
                bill: bill(&r.usage, &months, &prices),
                months: months.clone(),
                stats: r.stats,
            }
        };
        let mut reports = vec![simulated(&Policy::none())];
        if let Some(c) = &current {
            reports.push(simulated(c));
        }
        let throttled: u64 = throughput.prefixes.iter().map(|p| p.throttled).sum();
        let mut timed: Vec<Policy> = vec![Policy::none()];
        if let Some(c) = &current {
            timed.push(c.clone());
        }
        let mut json = None;
        let mut terraform = None;
        if let Some(i) = outcome.pick {
            let picks = &outcome.candidates[i].picks;
            // The recommendation as the search priced it: the groups' usage added up.
            let r = table.combine(picks, months.len());
            reports.push(SimReport {
                workload: w.name.clone(),
                policy: "recommended".into(),
                bill: bill(&r.usage, &months, &prices),
                months: months.clone(),
                stats: r.stats,
            });
            let chosen: Vec<Action> = picks.iter().map(|&p| actions[p]).collect();
            if !kept.is_empty() || chosen.iter().any(|c| *c != Action::KEEP) {
                json = Some(search::configuration_json_kept(&groups, &chosen, &kept));
            }
            let policy = search::configuration_kept("recommended", &groups, &chosen, &kept, &vopts)
                .map_err(|e| Failure::Internal(e.into()))?;
            if json.is_some() {
                terraform = Some(crate::policy::terraform(
                    &policy,
                    &format!(
                        "recommended_{}",
                        report::file_part(&w.name).replace(['.', '-'], "_")
                    ),
                    "Made by s3sim recommend: the lifecycle configuration it found cheapest.",
                ));
            }
            timed.push(policy);
        }
        let timings: Vec<report::decide::PolicyTiming> = timed
            .iter()
            .map(|p| report::decide::PolicyTiming {
                name: p.name.clone(),
                actions: p.action_ages(),
                enabled_rules: p.rules.iter().filter(|r| r.enabled).count(),
            })
            .collect();
        let refs: Vec<&SimReport> = reports.iter().collect();
        let decision = (refs.len() == timings.len()).then(|| {
            report::decide::decide(&report::decide::Inputs {
                workload: &w.name,
                period: report::decide::Period {
                    months: &months,
                    earliest,
                    first,
                    versioned: versioning != Versioning::Off,
                    uploads,
                    it_last_tier_days: report::decide::IT_LAST_TIER_DAYS,
                },
                reports: &refs,
                policies: &timings,
                baseline: "none",
                throttled,
                max_p99_get_wait_s: constraints.max_p99_get_wait_s,
            })
        });
        let steady: Vec<Option<f64>> = outcome
            .candidates
            .iter()
            .map(|c| {
                decision.as_ref().map(|d| {
                    let r = table.combine(&c.picks, months.len());
                    report::decide::steady_of(&bill(&r.usage, &months, &prices), &months, d.window)
                })
            })
            .collect();
        found.push(Found {
            workload: w.name.clone(),
            period: report::decide::period_label(&months),
            groups,
            actions,
            outcome,
            reports,
            json,
            decision,
            terraform,
            budget_s: constraints.max_p99_get_wait_s,
            steady,
        });
    }
    let all: Vec<SimReport> = found
        .iter()
        .flat_map(|f| f.reports.iter().cloned())
        .collect();
    report::check_priced(&all).map_err(input)?;
    progress.stage("writing".into());
    let files = files(&found, &constraints, a.allow_expiration).map_err(Failure::Internal)?;
    staging.commit(&files).map_err(input)?;
    Ok((terminal(&found), staging.out().to_path_buf()))
}

/// The classes of `--classes` (default: every target).
fn classes(names: &[String]) -> Result<Vec<StorageClass>> {
    if names.is_empty() {
        return Ok(ALL_CLASSES.to_vec());
    }
    let mut out = Vec::new();
    for n in names {
        let c = StorageClass::parse(n).ok_or_else(|| {
            anyhow!(
                "--classes {n:?}: expected storage classes among {}",
                ALL_CLASSES.map(|c| c.api_name()).join(", ")
            )
        })?;
        if !ALL_CLASSES.contains(&c) {
            bail!("--classes {n:?}: a lifecycle rule cannot transition objects to {c}");
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// A group's prefixes for people: all of them up to 4, else the first 3 and how many more.
fn short_prefixes(prefixes: &[String], quote: &str) -> String {
    let shown: Vec<String> = prefixes
        .iter()
        .take(if prefixes.len() > 4 { 3 } else { 4 })
        .map(|p| format!("{quote}{p}{quote}"))
        .collect();
    if prefixes.len() > 4 {
        format!("{} and {} more", shown.join(" "), prefixes.len() - 3)
    } else {
        shown.join(" ")
    }
}

/// One line per group: `logs/: GLACIER_IR@7d; a/ b/: keep`.
fn rules_line(f: &Found, picks: &[usize]) -> String {
    f.groups
        .iter()
        .zip(picks)
        .map(|(g, &p)| {
            let who = if g.prefixes.is_empty() {
                "(keys with no prefix)".to_string()
            } else if g.prefixes == [""] {
                "(every key)".to_string()
            } else {
                short_prefixes(&g.prefixes, "")
            };
            let what = if g.selectable() {
                f.actions[p].label()
            } else {
                "keep".into()
            };
            format!("{who}: {what}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A CSV cell, quoted when it needs to be.
fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn files(
    found: &[Found],
    c: &Constraints,
    allow_expiration: bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut csv = String::from(
        "workload,rank,rules,total_usd,vs_none_usd,steady_usd_per_month,p99_get_wait_s,restores,max_restores_per_month,feasible,reason,picked\n",
    );
    let mut md = String::from("# s3sim recommend\n\n");
    let expirations = if allow_expiration {
        format!(
            "Expirations of current objects were choices too (`--allow-expiration`: after {} days), never one that deletes an object the workload reads later; `--current`'s were not kept.",
            EXPIRATION_DAYS
                .iter()
                .flatten()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        "Every configuration keeps the expirations of `--current` (the search never invents one)."
            .to_string()
    };
    let _ = writeln!(
        md,
        "Constraints: p99 GET wait {}; restores per month {}. {expirations} Searched: per prefix group, no rule or one transition to each class at {} days (to GLACIER and DEEP_ARCHIVE also of objects under 128 KB, where the workload has them); in a versioned bucket also noncurrent versions expired after 1, 30 or 90 days (with expired delete markers), and where the workload starts multipart uploads their abort after 7 days. Costs are over each workload's period.\n",
        c.max_p99_get_wait_s
            .map_or("unbounded".into(), report::fmt_duration),
        c.max_restores_per_month
            .map_or("unbounded".into(), |n| format!("at most {n}")),
        AGES.map(|d| d.to_string()).join(", ")
    );
    let mut all_reports: Vec<SimReport> = Vec::new();
    for f in found {
        let part = report::file_part(&f.workload);
        let none_total = f.reports[0].bill.total();
        let index: std::collections::HashMap<&[usize], usize> = f
            .outcome
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| (c.picks.as_slice(), i))
            .collect();
        let steady_of = |c: &Candidate| {
            index
                .get(c.picks.as_slice())
                .and_then(|&i| f.steady[i])
                .map_or(String::new(), |v| format!("{v:.6}"))
        };
        let mut ranked: Vec<&Candidate> = f.outcome.candidates.iter().collect();
        ranked.sort_by(|a, b| {
            a.total_usd
                .total_cmp(&b.total_usd)
                .then(a.picks.cmp(&b.picks))
        });
        let pick = f.outcome.pick.map(|i| &f.outcome.candidates[i]);
        for (i, cand) in ranked.iter().enumerate() {
            let _ = writeln!(
                csv,
                "{},{},{},{:.6},{:.6},{},{:.6},{},{},{},{},{}",
                cell(&f.workload),
                i + 1,
                cell(&rules_line(f, &cand.picks)),
                cand.total_usd,
                cand.total_usd - none_total,
                steady_of(cand),
                cand.p99_get_wait_s,
                cand.restores,
                cand.max_restores_month,
                cand.infeasible.is_none(),
                cell(cand.infeasible.as_deref().unwrap_or("")),
                pick.is_some_and(|p| p.picks == cand.picks)
            );
        }
        let _ = writeln!(md, "## {} ({})\n", f.workload, f.period);
        let _ = writeln!(md, "Groups (one rule per prefix):\n");
        for g in &f.groups {
            let who = if g.prefixes.is_empty() {
                "keys with no prefix at this depth (no rule can select them alone)".to_string()
            } else if g.prefixes == [""] {
                "every key".to_string()
            } else {
                short_prefixes(&g.prefixes, "`")
            };
            let _ = writeln!(md, "- {who}: {} keys, {} events", g.keys, g.len());
        }
        md.push('\n');
        match pick {
            None if f.outcome.proved
                && f.outcome.candidates.iter().all(|c| c.infeasible.is_some()) =>
            {
                let _ = writeln!(
                    md,
                    "**No configuration can meet the constraints**: in some group even the choice with the fewest slow GETs or restores breaks them, with every other group at its fewest too. The configurations listed show why.\n"
                );
            }
            None => {
                let _ = writeln!(
                    md,
                    "**No configuration meets the constraints** among the {} priced{}.\n",
                    f.outcome.candidates.len(),
                    if f.outcome.proved {
                        ""
                    } else {
                        " (the search stopped at its limit, so one may exist)"
                    }
                );
            }
            Some(p) => {
                let saving = none_total - p.total_usd;
                let _ = writeln!(
                    md,
                    "**Recommended:** {} — {} over the period, {} ({:.1}%) {} than no lifecycle rules ({}).",
                    rules_line(f, &p.picks),
                    fmt_usd(p.total_usd),
                    fmt_usd(saving.abs()),
                    if none_total > 0.0 {
                        saving.abs() / none_total * 100.0
                    } else {
                        0.0
                    },
                    if saving >= 0.0 { "less" } else { "more" },
                    fmt_usd(none_total)
                );
                if f.reports.len() == 3 {
                    let cur = f.reports[1].bill.total();
                    let _ = writeln!(
                        md,
                        "Against the current configuration **{}** ({}): {}.",
                        f.reports[1].policy,
                        fmt_usd(cur),
                        if cur >= p.total_usd {
                            format!("{} less", fmt_usd(cur - p.total_usd))
                        } else {
                            format!("{} more", fmt_usd(p.total_usd - cur))
                        }
                    );
                }
                let _ = writeln!(
                    md,
                    "p99 GET wait {}, {} restores. {} configurations priced{}.\n",
                    report::fmt_duration(p.p99_get_wait_s),
                    p.restores,
                    f.outcome.candidates.len(),
                    if f.outcome.proved {
                        "; no other can be cheaper (the search's bound)"
                    } else {
                        "; the search stopped at its limit, so a cheaper one may exist"
                    }
                );
                let expiring: Vec<String> = f
                    .groups
                    .iter()
                    .zip(&p.picks)
                    .filter(|(g, _)| g.selectable())
                    .filter_map(|(g, &a)| {
                        f.actions[a].expiration_days.map(|d| {
                            format!(
                                "{} after {d} day{}",
                                short_prefixes(&g.prefixes, "`"),
                                if d == 1 { "" } else { "s" }
                            )
                        })
                    })
                    .collect();
                if !expiring.is_empty() {
                    let _ = writeln!(
                        md,
                        "**It deletes data:** it expires current objects ({}). No GET or HEAD of the workload asks for one after it expires, but an object read later than the logs show would be gone: apply it only if the logs cover every way the data is read.\n",
                        expiring.join(", ")
                    );
                }
                match &f.json {
                    Some(_) => {
                        let _ = writeln!(
                            md,
                            "Files: `recommended_{part}.json` (for `aws s3api put-bucket-lifecycle-configuration`), `recommended_{part}.tf` (Terraform).\n"
                        );
                    }
                    None => {
                        let _ = writeln!(
                            md,
                            "No rule beats keeping everything where it is written: no lifecycle configuration.\n"
                        );
                    }
                }
            }
        }
        let point = |r: &SimReport| report::charts::WaitPoint {
            wait_s: r.stats.get_latency_quantile(0.99),
            usd: r.bill.total(),
            feasible: true,
        };
        let chart = report::charts::cost_vs_wait(
            &f.workload,
            &f.period,
            &f.outcome
                .candidates
                .iter()
                .map(|c| report::charts::WaitPoint {
                    wait_s: c.p99_get_wait_s,
                    usd: c.total_usd,
                    feasible: c.infeasible.is_none(),
                })
                .collect::<Vec<_>>(),
            point(&f.reports[0]),
            f.reports
                .iter()
                .skip(1)
                .find(|r| r.policy != "recommended")
                .map(point),
            pick.map(|p| report::charts::WaitPoint {
                wait_s: p.p99_get_wait_s,
                usd: p.total_usd,
                feasible: true,
            }),
            f.budget_s,
        )?;
        let chart_path = format!("charts/cost_vs_wait_{part}.png");
        let _ = writeln!(
            md,
            "![Cost against p99 GET wait of every configuration priced, {}]({chart_path})\n",
            f.workload
        );
        out.push((chart_path, chart.png));
        if let Some(d) = &f.decision {
            let refs: Vec<&SimReport> = f.reports.iter().collect();
            let mut blocks = report::decide::blocks(std::slice::from_ref(d));
            blocks.push(report::doc::Block::List(report::decision_findings(
                d, &refs,
            )));
            md.push_str(&report::doc::markdown(&blocks));
        }
        let runners: Vec<&&Candidate> = ranked
            .iter()
            .filter(|c| c.infeasible.is_none() && pick.is_none_or(|p| p.picks != c.picks))
            .take(5)
            .collect();
        if !runners.is_empty() {
            let _ = writeln!(md, "Runners-up:\n");
            for r in runners {
                let _ = writeln!(
                    md,
                    "- {}: {} (p99 GET wait {})",
                    rules_line(f, &r.picks),
                    fmt_usd(r.total_usd),
                    report::fmt_duration(r.p99_get_wait_s)
                );
            }
            md.push('\n');
        }
        let infeasible: Vec<&&Candidate> =
            ranked.iter().filter(|c| c.infeasible.is_some()).collect();
        if let Some(first) = infeasible.first() {
            let _ = writeln!(
                md,
                "{} of the configurations priced break the constraints; the cheapest of them: {} at {} ({}).\n",
                infeasible.len(),
                rules_line(f, &first.picks),
                fmt_usd(first.total_usd),
                first.infeasible.as_deref().unwrap_or("")
            );
        }
        if let (Some(json), Some(tf)) = (&f.json, &f.terraform) {
            let v: serde_json::Value = serde_json::from_str(json)?;
            out.push((
                format!("recommended_{part}.json"),
                (serde_json::to_string_pretty(&v)? + "\n").into_bytes(),
            ));
            out.push((format!("recommended_{part}.tf"), tf.clone().into_bytes()));
        }
        all_reports.extend(f.reports.iter().cloned());
    }
    let mut summary = report::summary_frame(&all_reports)?;
    let mut monthly = report::monthly_frame(&all_reports)?;
    out.push(("summary.csv".into(), report::to_csv(&mut summary, 6)?));
    out.push(("monthly.csv".into(), report::to_csv(&mut monthly, 9)?));
    out.push(("candidates.csv".into(), csv.into_bytes()));
    out.push(("recommend.md".into(), md.into_bytes()));
    Ok(out)
}

fn terminal(found: &[Found]) -> String {
    let mut t = String::new();
    for f in found {
        match f.outcome.pick.map(|i| &f.outcome.candidates[i]) {
            Some(p) => {
                let none = f.reports[0].bill.total();
                let _ = writeln!(
                    t,
                    "{} ({}): {} -> {} (none: {}); {} configurations priced",
                    f.workload,
                    f.period,
                    rules_line(f, &p.picks),
                    fmt_usd(p.total_usd),
                    fmt_usd(none),
                    f.outcome.candidates.len()
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "{} ({}): no configuration meets the constraints ({} priced)",
                    f.workload,
                    f.period,
                    f.outcome.candidates.len()
                );
            }
        }
    }
    t
}
