//! What the report says about the run itself: `run.json` (inputs with their hashes, options,
//! counts, warnings), the run's lines at the top of `report.md`, and the warning sentences. The
//! CLI fills a [`RunRecord`] with plain facts; the words and the JSON are made here.

use serde_json::json;

use super::SimReport;
use super::decide::{self, Decision, Period, PolicyTiming};
use crate::ledger::Months;
use crate::ledger::rates::PrefixStats;
use crate::model::time::{Micros, format_instant};

/// A file the run read: where, how big, its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A workload as read.
#[derive(Debug, Clone)]
pub struct WorkloadRecord {
    pub name: String,
    pub file: FileRecord,
    pub events: usize,
    pub keys: usize,
    pub first_event: Micros,
    pub last_event: Micros,
    pub horizon: Months,
    /// What the reader skipped or approximated.
    pub notes: Vec<String>,
    /// The bucket's versioning (`off`, `enabled`, `suspended`), and whether s3sim chose it
    /// because the input names version ids.
    pub versioning: String,
    pub versioning_inferred: bool,
    /// The earliest creation of an object: the first request, or an older inventory object.
    pub earliest: Micros,
}

/// A policy: its name, its rules explained, and its file (None for `none`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PolicyRecord {
    pub name: String,
    pub rules: Vec<String>,
    /// It has rules that act only on noncurrent versions or delete markers.
    pub has_version_rules: bool,
    pub file: Option<FileRecord>,
    /// Its dated actions and enabled rules, for the period checks and the steady state.
    pub timing: PolicyTiming,
}

/// The price table: its file (None for the built-in table, named by `origin`), region and date.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PricingRecord {
    pub origin: String,
    pub file: Option<FileRecord>,
    pub region: String,
    pub as_of: String,
    /// `--discount`, described.
    pub discount: Option<String>,
}

/// The options of the run, as resolved.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OptionsRecord {
    pub months: Option<u32>,
    pub until: Option<Micros>,
    pub restore_tier: String,
    pub restore_days: u32,
    pub ia_30_day_minimum: bool,
    pub prefix_depth: Option<u32>,
    pub seed: u64,
    pub max_attempts: u32,
    pub scale_after_minutes: Option<u32>,
    pub write_rps: u32,
    pub read_rps: u32,
    pub egress: bool,
    /// The policy the others are compared with, and whether s3sim added it to the run.
    pub baseline: String,
    pub baseline_added: bool,
    pub max_p99_get_wait_s: Option<f64>,
    pub charts: String,
    /// Intelligent-Tiering archive configurations (`--it-config`): each one's file, Id and
    /// explanation.
    pub it_configs: Vec<(String, String, Vec<String>)>,
    /// Days an idle Intelligent-Tiering object takes to reach its last tier.
    pub it_last_tier_days: u32,
}

/// Request-rate results of one workload, as `run.json` counts them.
pub struct RatesRecord<'a> {
    pub workload: &'a str,
    pub prefixes: &'a [PrefixStats],
    /// GETs whose throttling delayed them.
    pub delayed_gets: usize,
}

/// Everything the report says about the run.
pub struct RunRecord<'a> {
    pub workloads: Vec<WorkloadRecord>,
    pub policies: Vec<PolicyRecord>,
    pub pricing: PricingRecord,
    pub options: OptionsRecord,
    pub reports: &'a [SimReport],
    pub rates: Vec<RatesRecord<'a>>,
    pub elapsed_s: f64,
}

impl RunRecord<'_> {
    /// The warnings, in report order: per workload, what its reader noted, requests still
    /// throttled at their last attempt, then each simulation's.
    /// The decision table of each workload, in workload order.
    pub fn decisions(&self) -> Vec<Decision> {
        let timings: Vec<PolicyTiming> = self.policies.iter().map(|p| p.timing.clone()).collect();
        self.workloads
            .iter()
            .zip(&self.rates)
            .map(|(w, rates)| {
                let reports: Vec<&SimReport> = self
                    .reports
                    .iter()
                    .filter(|r| r.workload == w.name)
                    .collect();
                decide::decide(&decide::Inputs {
                    workload: &w.name,
                    period: Period {
                        months: &w.horizon,
                        earliest: w.earliest,
                        first: w.first_event,
                        versioned: w.versioning != "off",
                        uploads: reports.iter().any(|r| r.stats.versions.uploads_created > 0),
                        it_last_tier_days: self.options.it_last_tier_days,
                    },
                    reports: &reports,
                    policies: &timings,
                    baseline: &self.options.baseline,
                    throttled: rates.prefixes.iter().map(|p| p.throttled).sum(),
                    max_p99_get_wait_s: self.options.max_p99_get_wait_s,
                })
            })
            .collect()
    }

    pub fn warnings(&self, decisions: &[Decision]) -> Vec<String> {
        let mut out = Vec::new();
        for ((w, rates), d) in self.workloads.iter().zip(&self.rates).zip(decisions) {
            out.extend(w.notes.iter().cloned());
            out.extend(d.warnings.iter().cloned());
            if w.versioning_inferred {
                out.push(format!(
                    "{}: the input names version ids, so the bucket is simulated with versioning enabled (--versioning chooses)",
                    w.name
                ));
            }
            if w.versioning == "off" {
                for p in self.policies.iter().filter(|p| p.has_version_rules) {
                    out.push(format!(
                        "{} x {}: the rules for noncurrent versions and delete markers have no effect: the bucket is unversioned (--versioning enabled simulates versions)",
                        w.name, p.name
                    ));
                }
            }
            let failed: u64 = rates.prefixes.iter().map(|p| p.failed).sum();
            if failed > 0 {
                out.push(format!(
                    "{}: {failed} request(s) were still throttled (503 Slow Down) after {} attempts",
                    w.name, self.options.max_attempts
                ));
            }
            for r in self.reports.iter().filter(|r| r.workload == w.name) {
                simulation_warnings(r, &mut out);
            }
        }
        out
    }

    /// The lines that describe the run at the top of the report.
    pub fn run_lines(&self) -> Vec<String> {
        let o = &self.options;
        vec![
            format!("s3sim {}", env!("CARGO_PKG_VERSION")),
            format!(
                "prices: {} (region {}, as of {}){}",
                self.pricing.origin,
                self.pricing.region,
                self.pricing.as_of,
                self.pricing
                    .discount
                    .as_ref()
                    .map_or(String::new(), |d| format!("; discount: {d}"))
            ),
            format!(
                "workloads: {}",
                self.workloads
                    .iter()
                    .map(|w| format!(
                        "{} ({} events; {})",
                        w.name,
                        w.events,
                        decide::period_label(&w.horizon)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "policies: {}",
                self.policies
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "baseline: {}{}; p99 GET wait budget: {}",
                o.baseline,
                if o.baseline_added {
                    " (added to the run as the baseline)"
                } else {
                    ""
                },
                o.max_p99_get_wait_s.map_or(
                    "none (--max-p99-get-wait sets one)".into(),
                    super::fmt_duration
                )
            ),
            format!(
                "restores: {} tier, copies kept {} day(s); egress to the internet {}",
                o.restore_tier,
                o.restore_days,
                if o.egress { "billed" } else { "not billed" }
            ),
            if o.it_configs.is_empty() {
                "Intelligent-Tiering archive tiers: none configured (objects stop at Archive Instant Access; --it-config adds them)".to_string()
            } else {
                format!(
                    "Intelligent-Tiering archive tiers: {}",
                    o.it_configs
                        .iter()
                        .flat_map(|(_, _, lines)| lines.iter().cloned())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            },
        ]
    }

    /// `run.json`.
    pub fn run_json(
        &self,
        warnings: &[String],
        decisions: &[Decision],
    ) -> serde_json::Result<String> {
        let file = |f: &FileRecord| json!({ "path": f.path, "bytes": f.bytes, "sha256": f.sha256 });
        let workloads: Vec<_> = self
            .workloads
            .iter()
            .map(|w| {
                json!({
                    "name": w.name,
                    "path": w.file.path,
                    "bytes": w.file.bytes,
                    "sha256": w.file.sha256,
                    "events": w.events,
                    "keys": w.keys,
                    "first_event": format_instant(w.first_event),
                    "last_event": format_instant(w.last_event),
                    "horizon_start": format_instant(w.horizon.start()),
                    "horizon_end": format_instant(w.horizon.end()),
                    "versioning": w.versioning,
                })
            })
            .collect();
        let policies: Vec<_> = self
            .policies
            .iter()
            .map(|p| {
                let mut v = json!({ "name": p.name, "rules": p.rules });
                if let Some(f) = &p.file {
                    v["file"] = file(f);
                }
                v
            })
            .collect();
        let pr = &self.pricing;
        let mut pricing = match &pr.file {
            None => json!({ "path": pr.origin, "region": pr.region, "as_of": pr.as_of }),
            Some(f) => {
                let mut v = file(f);
                v["region"] = json!(pr.region);
                v["as_of"] = json!(pr.as_of);
                v
            }
        };
        if let Some(d) = &pr.discount {
            pricing["discount"] = json!(d);
        }
        let sims: Vec<_> = self
            .reports
            .iter()
            .map(|r| {
                let v = &r.stats.versions;
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
                    "versions": {
                        "made_noncurrent": v.made_noncurrent,
                        "delete_markers_added": v.delete_markers_added,
                        "noncurrent_transitions": v.noncurrent_transitions,
                        "noncurrent_expired": v.noncurrent_expired,
                        "deleted_by_version_id": v.deleted_by_version_id,
                        "delete_markers_removed": v.delete_markers_removed,
                        "unknown_version_ids": v.unknown_version_ids,
                        "noncurrent_at_end": v.noncurrent_at_end,
                        "delete_markers_at_end": v.delete_markers_at_end,
                    },
                    "multipart_uploads": {
                        "created": v.uploads_created,
                        "completed": v.uploads_completed,
                        "aborted": v.uploads_aborted,
                        "aborted_by_rule": v.uploads_aborted_by_rule,
                        "open_at_end": v.uploads_open_at_end,
                        "requests_to_aborted_uploads": v.requests_to_aborted_uploads,
                    },
                })
            })
            .collect();
        let request_rates: Vec<_> = self
            .rates
            .iter()
            .map(|t| {
                let sum = |f: fn(&PrefixStats) -> u64| t.prefixes.iter().map(f).sum::<u64>();
                json!({
                    "workload": t.workload,
                    "prefixes": t.prefixes.len(),
                    "requests": sum(|p| p.requests()),
                    "throttled_attempts": sum(|p| p.throttled),
                    "throttled_first_attempts": sum(|p| p.throttled_first),
                    "failed": sum(|p| p.failed),
                    "delayed_gets": t.delayed_gets,
                })
            })
            .collect();
        let o = &self.options;
        let v = json!({
            "s3sim_version": env!("CARGO_PKG_VERSION"),
            "inputs": { "workloads": workloads, "policies": policies, "pricing": pricing },
            "options": {
                "months": o.months,
                "until": o.until.map(format_instant),
                "restore_tier": o.restore_tier,
                "restore_days": o.restore_days,
                "ia_30_day_minimum": o.ia_30_day_minimum,
                "prefix_depth": o.prefix_depth,
                "seed": o.seed,
                "max_attempts": o.max_attempts,
                "scale_after_minutes": o.scale_after_minutes,
                "limits_rps": { "write": o.write_rps, "read": o.read_rps },
                "egress": if o.egress { "internet" } else { "none" },
                "baseline": o.baseline,
                "max_p99_get_wait_s": o.max_p99_get_wait_s,
                "charts": o.charts,
                "it_configs": o.it_configs.iter().map(|(path, id, lines)| json!({
                    "path": path, "id": id, "explain": lines
                })).collect::<Vec<_>>(),
            },
            "decisions": decisions.iter().map(|d| json!({
                "workload": d.workload,
                "baseline": d.baseline,
                "period": d.period,
                "steady_window": d.window_label,
                "ranked": d.rows.iter().map(|r| json!({
                    "policy": r.policy,
                    "total_usd": r.total_usd,
                    "steady_usd_per_month": r.steady_usd,
                    "usd_per_tb_month": r.usd_per_tb_month(),
                    "vs_baseline_usd_per_month": r.delta_usd,
                    "vs_baseline_pct": r.delta_pct,
                    "flags": r.flags.iter().map(|f| f.short()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "pick": d.pick().map(|r| r.policy.clone()),
            })).collect::<Vec<_>>(),
            "simulations": sims,
            "request_rates": request_rates,
            "warnings": warnings,
            "elapsed_s": self.elapsed_s,
        });
        Ok(serde_json::to_string_pretty(&v)? + "\n")
    }
}

/// What one simulation should warn about.
fn simulation_warnings(r: &SimReport, out: &mut Vec<String>) {
    let s = &r.stats;
    if s.small_not_transitioned > 0 {
        // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
        out.push(format!(
            "{} x {}: objects under 128 KB were not transitioned: {} of {} objects ({:.0}%)",
            r.workload,
            r.policy,
            s.small_not_transitioned,
            s.objects_created,
            s.small_not_transitioned as f64 / s.objects_created.max(1) as f64 * 100.0
        ));
    }
    if s.expedited_downgraded > 0 {
        out.push(format!(
            "{} x {}: DEEP_ARCHIVE and Intelligent-Tiering's Deep Archive Access have no expedited restores; {} restore(s) ran at the standard tier",
            r.workload, r.policy, s.expedited_downgraded
        ));
    }
    let v = &s.versions;
    if v.uploads_open_at_end > 0 {
        out.push(format!(
            "{} x {}: {} multipart upload(s) were still open at the end, their parts billed until then (mpu_storage); an AbortIncompleteMultipartUpload rule removes such uploads",
            r.workload, r.policy, v.uploads_open_at_end
        ));
    }
    if v.unknown_version_ids > 0 {
        out.push(format!(
            "{} x {}: {} request(s) named version ids of no simulated version (treated as missing)",
            r.workload, r.policy, v.unknown_version_ids
        ));
    }
    // Requests naming unknown version ids are missing keys too; they have their own warning.
    let missing = s.missing_key.saturating_sub(v.unknown_version_ids);
    if missing > 0 {
        out.push(format!(
            "{} x {}: {} GET/HEAD/DELETE request(s) named keys that did not exist (billed as STANDARD requests)",
            r.workload, r.policy, missing
        ));
    }
}
