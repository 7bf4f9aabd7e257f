//! The decision table: per workload, the policies ranked by their steady-state cost per month
//! against a baseline, with their risks, and the checks of the simulated period (actions that
//! never fall due, policies that have not settled, rules that did nothing).
//!
//! **Steady state** (the rule the README documents):
//! - A policy *settles* when its slowest action has fallen due for the first object the requests
//!   create: the first request (or the period's start, if later) plus the largest `Days` of its
//!   enabled rules (rounded up to 00:00 UTC as S3 does), or its latest `Date`, plus, after a
//!   transition into INTELLIGENT_TIERING, the days an idle object takes to reach its last tier
//!   (90, or the most days of the `--it-config` archive tiers); actions on noncurrent versions
//!   count only in a versioned bucket. `none` settles at once.
//! - The *window* is the whole calendar months from the first one that starts after every
//!   settling policy of the workload has settled, to the end of the period (the last 12 at most,
//!   a year of seasons). Every policy of the workload is measured over the same window, so the
//!   differences compare like with like.
//! - A policy's steady-state cost is its mean cost per month over the window (when the period has
//!   no whole month, e.g. `--until` mid-month, its part of a month counts as its share of the
//!   calendar month, so the figure stays per month). A policy that
//!   settles after the period is measured over the same window and flagged "not settled".

use crate::ledger::{Component, Months};
use crate::model::time::{DAY, Micros, month_start, next_month_start, to_datetime};
use crate::policy::{ActionAge, ActionOn};

use super::SimReport;
use super::tables::Summary;

/// Days Intelligent-Tiering takes to move an idle object to its last automatic tier (Archive
/// Instant Access), without `--it-config`.
pub const IT_LAST_TIER_DAYS: u32 = (crate::model::rules::IT_ARCHIVE_INSTANT_AFTER / DAY) as u32;
/// The window holds at most this many months.
const MAX_WINDOW_MONTHS: usize = 12;
/// Differences under half a cent per month are noise, not "costs more".
const CENT_HALF: f64 = 0.005;

/// A policy as the decision needs it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PolicyTiming {
    pub name: String,
    pub actions: Vec<ActionAge>,
    pub enabled_rules: usize,
}

/// The period a workload was simulated over and what limits its actions.
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    pub months: &'a Months,
    /// The earliest creation of any object (inventory objects can predate the first request).
    pub earliest: Micros,
    /// The first request: the policies' settling counts from here (or from the period's start,
    /// if later), when the stream of objects the requests create begins.
    pub first: Micros,
    pub versioned: bool,
    /// Whether the workload starts multipart uploads (else `AbortIncompleteMultipartUpload` is moot).
    pub uploads: bool,
    /// Days without access until an Intelligent-Tiering object reaches its last tier: 90
    /// (Archive Instant Access), or the most days of the `--it-config` archive tiers.
    pub it_last_tier_days: u32,
}

impl Period<'_> {
    /// Whether an action can act on this workload at all.
    fn applies(&self, a: &ActionAge) -> bool {
        match a.on {
            ActionOn::Current => true,
            ActionOn::Noncurrent => self.versioned,
            ActionOn::Uploads => self.uploads,
        }
    }
}

/// Why a policy's row is marked.
#[derive(Debug, Clone, PartialEq)]
pub enum Flag {
    /// Its steady-state cost per month exceeds the baseline's.
    CostsMore,
    /// Its p99 GET wait [s] exceeds `--max-p99-get-wait` [s].
    OverWaitBudget { p99_s: f64, budget_s: f64 },
    /// It settles after the start of the window: the label of its slowest action.
    NotSettled(String),
    /// It has enabled rules, yet none acted on any object in the period.
    NoEffect(String),
    /// Its rules deleted this many objects or versions for good (current objects expired in an
    /// unversioned bucket, noncurrent versions expired): a policy that keeps them costs more.
    DeletesData(u64),
}

impl Flag {
    /// Short text for tables and charts.
    pub fn short(&self) -> String {
        match self {
            Flag::CostsMore => "costs more than the baseline".into(),
            Flag::OverWaitBudget { p99_s, budget_s } => format!(
                "p99 GET wait {} over the {} budget",
                super::fmt_duration(*p99_s),
                super::fmt_duration(*budget_s)
            ),
            Flag::NotSettled(_) => "not settled in the period".into(),
            Flag::NoEffect(_) => "no effect in the period".into(),
            Flag::DeletesData(n) => format!("deletes data ({n} expired)"),
        }
    }

    /// Whether the flag rules the policy out as a pick.
    pub fn disqualifies(&self) -> bool {
        matches!(self, Flag::OverWaitBudget { .. } | Flag::NotSettled(_))
    }
}

/// One policy's row of the decision table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub policy: String,
    /// Position of the policy in the run (its colour in every chart).
    pub index: usize,
    pub baseline: bool,
    /// Over the whole period [USD].
    pub total_usd: f64,
    /// Mean over the window [USD per month].
    pub steady_usd: f64,
    /// Mean TB (2^40 bytes) billed as storage per month over the window (versions, parts and
    /// archive overheads included; restored copies not).
    pub stored_tb: f64,
    /// Against the baseline's steady state [USD per month], and in % of it (None if it is 0).
    pub delta_usd: f64,
    pub delta_pct: Option<f64>,
    pub restores: u64,
    pub p99_get_wait_s: f64,
    /// 503 Slow Down answers (throttled attempts) of the workload: the same for every policy.
    pub throttled: u64,
    pub early_delete_usd: f64,
    /// Mean cost per month over the window by component group ([`GROUPS`] order).
    pub steady_parts: [f64; GROUPS.len()],
    pub flags: Vec<Flag>,
}

impl Row {
    /// USD per TB-month: the steady-state cost per TB billed as storage.
    pub fn usd_per_tb_month(&self) -> Option<f64> {
        (self.stored_tb > 0.0).then(|| self.steady_usd / self.stored_tb)
    }

    pub fn acceptable(&self) -> bool {
        !self.flags.iter().any(Flag::disqualifies)
    }
}

/// The decision table of one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub workload: String,
    pub baseline: String,
    /// `2026-01 to 2026-12, 12 months`.
    pub period: String,
    /// Months of the period.
    pub months: usize,
    /// The period's length as the tables say it: `12 months`, or `15 days` without whole months.
    pub period_count: String,
    /// The window: month indices `from..to`.
    pub window: (usize, usize),
    /// `2026-04 to 2026-12, 9 months`.
    pub window_label: String,
    /// The same, as (`2026-04 to 2026-12`, `9 months`).
    pub window_parts: (String, String),
    /// Ranked: cheapest steady state first.
    pub rows: Vec<Row>,
    /// The period checks: actions that never fall due, and policies that settle after it.
    pub warnings: Vec<String>,
}

impl Decision {
    pub fn baseline_row(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.baseline)
    }

    /// The cheapest policy that no flag rules out.
    pub fn pick(&self) -> Option<&Row> {
        self.rows.iter().find(|r| r.acceptable())
    }
}

/// Component groups of the steady-state explanation.
pub const GROUPS: [&str; 10] = [
    "storage",
    "noncurrent versions",
    "delete markers",
    "unfinished uploads",
    "requests",
    "transitions",
    "retrieval",
    "early deletion",
    "monitoring",
    "egress",
];

fn group(c: Component) -> usize {
    match c {
        Component::Storage | Component::RestoredCopy => 0,
        Component::NoncurrentStorage => 1,
        Component::DeleteMarkers => 2,
        Component::MpuStorage => 3,
        Component::RequestsPut | Component::RequestsGet => 4,
        Component::Transition => 5,
        Component::Retrieval | Component::RestoreRequests => 6,
        Component::EarlyDelete => 7,
        Component::Monitoring => 8,
        Component::Egress => 9,
    }
}

/// `2026-01 to 2026-12, 12 months`, or with days when the period does not cover whole months.
pub fn period_label(months: &Months) -> String {
    span_label(months, 0, months.len())
}

fn is_full(months: &Months, m: usize) -> bool {
    let a = months.bounds[m];
    a == month_start(a) && months.bounds[m + 1] == next_month_start(a)
}

fn span_label(months: &Months, from: usize, to: usize) -> String {
    let (range, count) = span_parts(months, from, to);
    format!("{range}, {count}")
}

/// A span of months as ("2026-01 to 2026-12", "12 months"), or with dates and days when it does
/// not cover whole months.
fn span_parts(months: &Months, from: usize, to: usize) -> (String, String) {
    if to <= from {
        return ("no month".into(), "0 months".into());
    }
    let n = to - from;
    if (from..to).all(|m| is_full(months, m)) {
        let count = if n == 1 {
            "1 month".to_string()
        } else {
            format!("{n} months")
        };
        if n == 1 {
            (months.label(from), count)
        } else {
            (
                format!("{} to {}", months.label(from), months.label(to - 1)),
                count,
            )
        }
    } else {
        let a = months.bounds[from];
        let b = months.bounds[to];
        let days = (b - a) as f64 / DAY as f64;
        (
            format!(
                "{} to {}",
                to_datetime(a).format("%Y-%m-%d"),
                to_datetime(b - 1).format("%Y-%m-%d")
            ),
            if fmt_days(days) == "1" {
                "1 day".to_string()
            } else {
                format!("{} days", fmt_days(days))
            },
        )
    }
}

fn fmt_days(d: f64) -> String {
    if (d - d.round()).abs() < 1e-9 {
        format!("{}", d.round() as i64)
    } else {
        format!("{d:.1}")
    }
}

/// When an action falls due for an object whose age starts at `t` (`when` as S3 computes it),
/// plus the tiers' own delay after a transition into INTELLIGENT_TIERING.
fn due_from(a: &ActionAge, t: Micros, it_last_tier_days: u32) -> Micros {
    let due = a.when.due(t).unwrap_or(Micros::MAX);
    if a.to_intelligent_tiering {
        due.saturating_add(i64::from(it_last_tier_days) * DAY)
    } else {
        due
    }
}

/// When a policy settles (see the module docs), and the label of the action that decides it.
pub fn settles_at<'p>(
    p: &'p PolicyTiming,
    start: Micros,
    period: &Period,
) -> Option<(Micros, &'p str)> {
    p.actions
        .iter()
        .filter(|a| period.applies(a))
        .map(|a| {
            (
                due_from(a, start, period.it_last_tier_days),
                a.label.as_str(),
            )
        })
        .max_by_key(|(t, _)| *t)
}

/// `--months` accepts at most this many (s3sim simulates at most a century).
const MAX_MONTHS: usize = 1200;

/// `--months N` (from the period's first month) that simulates past the instant `at`, plus
/// `extra` whole months; None beyond what `--months` accepts.
fn months_past(start: Micros, at: Micros, extra: usize) -> Option<usize> {
    let mut t = start;
    let mut n = 0;
    while t <= at {
        if n >= MAX_MONTHS {
            return None;
        }
        t = next_month_start(t);
        n += 1;
    }
    (n + extra <= MAX_MONTHS).then_some(n + extra)
}

/// `--months N` with `extra` whole months from the first month boundary at or after `at` (the
/// first whole month after a policy settles), as advice; or why there is none.
fn months_advice(start: Micros, at: Micros, extra: usize) -> String {
    // The first month that starts at or after `at`: past `at - 1`.
    match months_past(start, at.saturating_sub(1), extra) {
        Some(n) => format!("--months {n}"),
        None => format!("more than the {MAX_MONTHS} months s3sim simulates"),
    }
}

/// The base instant of settling: the first request, or the period's start if later.
fn settle_base(period: &Period) -> Micros {
    period.first.max(period.months.start())
}

/// The period checks of one workload (see [`Decision::warnings`]): per policy, the actions that
/// never fall due; else, if no whole month of the period starts after it settles, that.
fn period_warnings(
    workload: &str,
    period: Period,
    policies: &[PolicyTiming],
    settle_month: &[Option<usize>],
) -> Vec<String> {
    let months = period.months;
    let (start, end) = (months.start(), months.end());
    let base = settle_base(&period);
    let mut out = Vec::new();
    let span = period_label(months);
    for (p, settled) in policies.iter().zip(settle_month) {
        let never: Vec<(&ActionAge, Micros)> = p
            .actions
            .iter()
            .filter(|a| period.applies(a))
            .map(|a| (a, a.when.due(period.earliest).unwrap_or(Micros::MAX)))
            .filter(|(_, due)| *due >= end)
            .collect();
        let settle = settles_at(p, base, &period).filter(|_| settled.is_none());
        if let Some(&(_, last)) = never.iter().max_by_key(|(_, due)| *due) {
            let labels: Vec<&str> = never.iter().map(|(a, _)| a.label.as_str()).collect();
            let mut w = format!(
                "{workload} x {}: {} never {} due in the period ({span}); ",
                p.name,
                labels.join("; "),
                if labels.len() == 1 { "falls" } else { "fall" },
            );
            match months_past(start, last, 0) {
                Some(n) => w.push_str(&format!("extend it with --months {n}")),
                None => w.push_str(&format!(
                    "it falls due after the {MAX_MONTHS} months s3sim simulates"
                )),
            }
            if let Some((at, _)) = settle
                && let Some(n) = months_past(start, at.saturating_sub(1), 3)
            {
                w.push_str(&format!(
                    " (--months {n} shows 3 months after the policy settles)"
                ));
            }
            out.push(w);
        } else if let Some((at, label)) = settle {
            out.push(format!(
                "{workload} x {}: no whole month of the period ({span}) starts after the policy settles ({label}{}, for the first object): its steady-state cost is not reached; {} shows 3 settled months",
                p.name,
                if p.actions.iter().any(|a| a.to_intelligent_tiering) {
                    format!(
                        ", then {} days for Intelligent-Tiering to reach its last tier",
                        period.it_last_tier_days
                    )
                } else {
                    String::new()
                },
                months_advice(start, at, 3)
            ));
        }
    }
    out
}

/// The months in a window: a part of a month (a period ending with --until) counted as its share
/// of its calendar month, so that the steady state stays a cost per month.
fn window_months(months: &Months, (wa, wb): (usize, usize)) -> f64 {
    (wa..wb)
        .map(|m| {
            let len = (months.bounds[m + 1] - months.bounds[m]) as f64;
            len / (months.hours(m) as f64 * crate::model::time::HOUR as f64)
        })
        .sum::<f64>()
        .max(f64::MIN_POSITIVE)
}

/// A bill's steady-state cost per month over a decision's window (as the table computes it).
pub fn steady_of(bill: &crate::ledger::Bill, months: &Months, window: (usize, usize)) -> f64 {
    let total: f64 = bill
        .lines
        .iter()
        .filter(|l| (window.0..window.1).contains(&l.month))
        .map(|l| l.usd)
        .sum();
    total / window_months(months, window)
}

/// Whether the simulation of `r` saw any lifecycle action happen.
fn acted(r: &SimReport) -> bool {
    let s = &r.stats;
    let v = &s.versions;
    s.transitions
        + s.expirations
        + v.noncurrent_transitions
        + v.noncurrent_expired
        + v.delete_markers_removed
        + v.uploads_aborted_by_rule
        > 0
}

/// The inputs of one workload's decision.
pub struct Inputs<'a> {
    pub workload: &'a str,
    pub period: Period<'a>,
    /// The workload's reports, in run order (one per policy).
    pub reports: &'a [&'a SimReport],
    /// The policies, in the same order.
    pub policies: &'a [PolicyTiming],
    pub baseline: &'a str,
    pub throttled: u64,
    pub max_p99_get_wait_s: Option<f64>,
}

/// Builds the decision table of one workload.
pub fn decide(inp: &Inputs) -> Decision {
    let months = inp.period.months;
    let n = months.len();
    let full: Vec<usize> = (0..n).filter(|&m| is_full(months, m)).collect();
    let base = settle_base(&inp.period);
    // The first whole month at or after each policy's settling instant (None: no whole month
    // starts after it). A period with no whole month is its own window: a policy settled before
    // its end counts as settled.
    let settle_month: Vec<Option<usize>> = inp
        .policies
        .iter()
        .map(|p| match settles_at(p, base, &inp.period) {
            None => full.first().copied().or(Some(0)),
            Some((at, _)) if full.is_empty() => (at < months.end()).then_some(0),
            Some((at, _)) => full.iter().copied().find(|&m| months.bounds[m] >= at),
        })
        .collect();
    let window = match settle_month.iter().flatten().max() {
        Some(&from) => {
            let in_window: Vec<usize> = full.iter().copied().filter(|&m| m >= from).collect();
            let keep = &in_window[in_window.len().saturating_sub(MAX_WINDOW_MONTHS)..];
            match (keep.first(), keep.last()) {
                (Some(&a), Some(&b)) => (a, b + 1),
                _ => (from, n),
            }
        }
        None => match full.last() {
            Some(&m) => (m, m + 1),
            None => (n - 1, n),
        },
    };
    let (wa, wb) = window;
    let wn = window_months(months, window);
    let mut rows: Vec<Row> = inp
        .reports
        .iter()
        .zip(inp.policies)
        .enumerate()
        .map(|(i, (r, p))| {
            let s = Summary::of(r);
            let mut parts = [0.0; GROUPS.len()];
            let mut steady = 0.0;
            let mut stored_gb = 0.0;
            for l in r.bill.lines.iter().filter(|l| (wa..wb).contains(&l.month)) {
                steady += l.usd;
                parts[group(l.component)] += l.usd;
                if matches!(
                    l.component,
                    Component::Storage
                        | Component::NoncurrentStorage
                        | Component::DeleteMarkers
                        | Component::MpuStorage
                ) {
                    stored_gb += l.quantity;
                }
            }
            for x in &mut parts {
                *x /= wn;
            }
            let mut flags = Vec::new();
            let settled = settle_month[i].is_some_and(|m| m <= wa);
            if !settled {
                let label = settles_at(p, base, &inp.period)
                    .map_or_else(String::new, |(_, l)| l.to_string());
                flags.push(Flag::NotSettled(label));
            }
            if p.enabled_rules > 0 && !acted(r) {
                flags.push(Flag::NoEffect(no_effect_reason(r, p, inp.period)));
            }
            // What the rules deleted for good: current objects in an unversioned bucket (in a
            // versioned one an expiration adds a delete marker and keeps the data), and
            // noncurrent versions.
            let deleted = if inp.period.versioned {
                0
            } else {
                r.stats.expirations
            } + r.stats.versions.noncurrent_expired;
            if deleted > 0 {
                flags.push(Flag::DeletesData(deleted));
            }
            if let Some(budget) = inp.max_p99_get_wait_s
                && s.p99_get_latency_s > budget
            {
                flags.push(Flag::OverWaitBudget {
                    p99_s: s.p99_get_latency_s,
                    budget_s: budget,
                });
            }
            Row {
                policy: r.policy.clone(),
                index: i,
                baseline: r.policy == inp.baseline,
                total_usd: s.total_usd,
                steady_usd: steady / wn,
                stored_tb: stored_gb / wn / 1024.0,
                delta_usd: 0.0,
                delta_pct: None,
                restores: s.restores,
                p99_get_wait_s: s.p99_get_latency_s,
                throttled: inp.throttled,
                early_delete_usd: s.early_delete_usd,
                steady_parts: parts,
                flags,
            }
        })
        .collect();
    if let Some(base) = rows.iter().find(|r| r.baseline).map(|r| r.steady_usd) {
        for r in &mut rows {
            r.delta_usd = r.steady_usd - base;
            r.delta_pct = (base > 0.0).then(|| r.delta_usd / base * 100.0);
            if !r.baseline && r.delta_usd >= CENT_HALF {
                r.flags.insert(0, Flag::CostsMore);
            }
        }
    }
    // Cheapest first; among equals, settled before not, the baseline first, then run order.
    rows.sort_by(|a, b| {
        a.steady_usd
            .total_cmp(&b.steady_usd)
            .then_with(|| {
                let unsettled = |r: &Row| r.flags.iter().any(|f| matches!(f, Flag::NotSettled(_)));
                unsettled(a).cmp(&unsettled(b))
            })
            .then_with(|| b.baseline.cmp(&a.baseline))
            .then_with(|| a.index.cmp(&b.index))
    });
    Decision {
        workload: inp.workload.to_string(),
        baseline: inp.baseline.to_string(),
        period: period_label(months),
        months: n,
        period_count: span_parts(months, 0, n).1,
        window,
        window_label: span_label(months, wa, wb),
        window_parts: span_parts(months, wa, wb),
        rows,
        warnings: period_warnings(inp.workload, inp.period, inp.policies, &settle_month),
    }
}

/// Why a policy with enabled rules did nothing, as far as the inputs tell.
fn no_effect_reason(r: &SimReport, p: &PolicyTiming, period: Period) -> String {
    let end = period.months.end();
    let relevant: Vec<&ActionAge> = p.actions.iter().filter(|a| period.applies(a)).collect();
    if relevant.is_empty() {
        let mut on = Vec::new();
        if p.actions.iter().any(|a| a.on == ActionOn::Noncurrent) {
            on.push("noncurrent versions (the bucket is unversioned)");
        }
        if p.actions.iter().any(|a| a.on == ActionOn::Uploads) {
            on.push("multipart uploads (the workload starts none)");
        }
        if on.is_empty() {
            return if period.versioned {
                "its rules only remove expired delete markers, and no delete marker was left alone in the period".into()
            } else {
                "its rules only remove expired delete markers, and the bucket is unversioned".into()
            };
        }
        return format!("its rules act only on {}", on.join(" and "));
    }
    if relevant
        .iter()
        .all(|a| a.when.due(period.earliest).unwrap_or(Micros::MAX) >= end)
    {
        return "none of its actions falls due in the period".into();
    }
    if r.stats.objects_created > 0 && r.stats.small_not_transitioned == r.stats.objects_created {
        return "every object is under the 128 KB transition minimum".into();
    }
    "its rules matched no object old enough to act on in the period".into()
}

/// `+$1.20` / `-$1.20` with `dp` digits.
fn signed_dp(v: f64, dp: usize) -> String {
    let s = super::fmt_usd_dp(v.abs(), dp);
    let zero = s.chars().all(|c| !c.is_ascii_digit() || c == '0');
    if zero {
        s
    } else if v < 0.0 {
        format!("-{s}")
    } else {
        format!("+{s}")
    }
}

fn pct(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(p) if p.abs() < 0.05 => "0.0%".into(),
        Some(p) => format!("{p:+.1}%"),
    }
}

impl Decision {
    /// The table's column headers.
    pub fn headers(&self) -> Vec<String> {
        vec![
            "#".into(),
            "policy".into(),
            format!("total, {}", self.period_count),
            "steady $/month".into(),
            "$/TB-month".into(),
            format!("vs {} $/month", self.baseline),
            format!("vs {}", self.baseline),
            "restores".into(),
            "p99 GET wait".into(),
            "503s".into(),
            "early deletion".into(),
            "flags".into(),
        ]
    }

    pub fn align(&self) -> Vec<super::doc::Align> {
        use super::doc::Align::{Left, Right};
        vec![
            Right, Left, Right, Right, Right, Right, Right, Right, Right, Right, Right, Left,
        ]
    }

    /// The table's rows, money with enough digits to tell different values apart.
    pub fn cells(&self) -> Vec<Vec<String>> {
        let dp =
            |f: fn(&Row) -> f64| super::distinct_dp(&self.rows.iter().map(f).collect::<Vec<_>>());
        let (dt, ds, dd) = (
            dp(|r| r.total_usd),
            dp(|r| r.steady_usd),
            dp(|r| r.delta_usd),
        );
        let pick = self.pick().map(|r| r.policy.clone());
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut flags: Vec<String> = Vec::new();
                if pick.as_deref() == Some(r.policy.as_str()) && !r.baseline {
                    flags.push("cheapest acceptable".into());
                }
                if r.baseline {
                    flags.push("baseline".into());
                }
                flags.extend(r.flags.iter().map(Flag::short));
                vec![
                    (i + 1).to_string(),
                    r.policy.clone(),
                    super::fmt_usd_dp(r.total_usd, dt),
                    super::fmt_usd_dp(r.steady_usd, ds),
                    r.usd_per_tb_month()
                        .map_or("-".into(), |v| super::fmt_usd_dp(v, 2)),
                    if r.baseline {
                        "-".into()
                    } else {
                        signed_dp(r.delta_usd, dd)
                    },
                    if r.baseline {
                        "-".into()
                    } else {
                        pct(r.delta_pct)
                    },
                    r.restores.to_string(),
                    super::fmt_duration(r.p99_get_wait_s),
                    r.throttled.to_string(),
                    super::fmt_usd(r.early_delete_usd),
                    flags.join("; "),
                ]
            })
            .collect()
    }

    /// One sentence on what the table measures.
    pub fn caption(&self) -> String {
        let (range, count) = &self.window_parts;
        format!(
            "**{}**: {}. Steady state: mean per month over {range} ({count}), once every policy that settles in the period has settled. Baseline: **{}**.",
            self.workload, self.period, self.baseline
        )
    }
}

/// The decision tables as report blocks.
pub fn blocks(decisions: &[Decision]) -> Vec<super::doc::Block> {
    use super::doc::Block;
    let mut b = Vec::new();
    for d in decisions {
        b.push(Block::Paragraph(d.caption()));
        b.push(Block::Table {
            headers: d.headers(),
            align: d.align(),
            rows: d.cells(),
        });
    }
    b
}

/// The decision tables for the terminal.
pub fn terminal(decisions: &[Decision]) -> String {
    let mut out = String::new();
    for (i, d) in decisions.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&d.caption().replace("**", ""));
        out.push('\n');
        out.push_str(&super::tables::aligned(
            &d.headers(),
            &d.align(),
            &d.cells(),
        ));
    }
    out
}
