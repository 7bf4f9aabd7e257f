//! Assembles a report folder from the priced results: tables (CSV, optional Parquet), charts,
//! `report.md` and a self-contained `report.html`.

use anyhow::{Context, Result};

use super::charts::{self, CostBar, DecisionBar, RateLine};
use super::decide::{self, Decision, Flag, GROUPS};
use super::doc::{self, Align, Block};
use super::tables::{self, Summary, fmt_duration, summary_blocks};
use super::{SimReport, distinct_dp, fmt_usd, fmt_usd_dp};
use crate::ledger::Component;
use crate::ledger::rates::{PrefixStats, RateSeries};
use crate::model::time::HOUR;

/// Request-rate results of one workload, for tables and charts.
pub struct Rates<'a> {
    pub workload: &'a str,
    /// Partitions, sorted by prefix.
    pub prefixes: &'a [PrefixStats],
    /// Interval peaks of the busiest prefixes, busiest first.
    pub series: &'a [RateSeries],
    pub read_limit: u32,
    pub write_limit: u32,
}

/// Which charts a report draws (`--charts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charts {
    /// Every chart.
    All,
    /// The cross-workload cost chart and each workload's decision chart.
    Summary,
    /// No chart (and no `charts/` folder).
    None,
}

/// What goes in the report besides the results.
pub struct ReportInfo<'a> {
    pub run_lines: &'a [String],
    pub warnings: &'a [String],
    pub parquet: bool,
    /// The decision table of each workload (none: no decision section).
    pub decisions: &'a [Decision],
    pub charts: Charts,
}

/// A file name part: letters, digits, `.`, `_` and `-` kept, anything else `_`.
pub fn file_part(s: &str) -> String {
    let v: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if v.is_empty() { "_".into() } else { v }
}

fn workloads(reports: &[SimReport]) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    for r in reports {
        if !v.contains(&r.workload.as_str()) {
            v.push(&r.workload);
        }
    }
    v
}

/// Every file of the report folder: (relative path, bytes).
pub fn report_files(
    reports: &[SimReport],
    rates: &[Rates],
    info: &ReportInfo,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // Borrowed: a copy would cost as much again as the request-rate model's result.
    let throughputs: Vec<(&str, &[PrefixStats])> =
        rates.iter().map(|r| (r.workload, r.prefixes)).collect();
    let mut summary = tables::summary_frame(reports).context("summary table")?;
    if !info.decisions.is_empty() {
        tables::add_decision_columns(&mut summary, reports, info.decisions)
            .context("summary table")?;
    }
    let mut monthly = tables::monthly_frame(reports).context("monthly table")?;
    let mut prefixes = tables::prefixes_frame(&throughputs).context("prefixes table")?;
    files.push(("summary.csv".into(), tables::to_csv(&mut summary, 6)?));
    files.push(("monthly.csv".into(), tables::to_csv(&mut monthly, 9)?));
    files.push(("prefixes.csv".into(), tables::to_csv(&mut prefixes, 6)?));
    if info.parquet {
        files.push(("summary.parquet".into(), tables::to_parquet(&mut summary)?));
        files.push(("monthly.parquet".into(), tables::to_parquet(&mut monthly)?));
        files.push((
            "prefixes.parquet".into(),
            tables::to_parquet(&mut prefixes)?,
        ));
    }
    let (charts, chart_blocks) = charts_for(reports, rates, info)?;
    let summary_image = charts
        .iter()
        .any(|(p, _)| p == "charts/cost_by_policy.png")
        .then(|| Block::Image {
            path: "charts/cost_by_policy.png".into(),
            alt: "Total cost by policy".into(),
        });
    let blocks = document(reports, rates, info, summary_image.as_ref(), &chart_blocks);
    files.push(("report.md".into(), doc::markdown(&blocks).into_bytes()));
    let html = doc::html("s3sim report", &blocks, &|path| {
        charts
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, png)| png.clone())
    });
    files.push(("report.html".into(), html.into_bytes()));
    files.extend(charts);
    Ok(files)
}

/// `stem.png`, or `stem-2.png`, `-3`, ... when an earlier chart took that name (two names that
/// differ only in characters [`file_part`] replaces, such as `a b` and `a_b`).
fn unique(used: &mut std::collections::HashSet<String>, stem: String) -> String {
    let mut path = format!("{stem}.png");
    let mut n = 2;
    while !used.insert(path.clone()) {
        path = format!("{stem}-{n}.png");
        n += 1;
    }
    path
}

/// Renders every chart; returns the files and, per workload, the image blocks to show.
#[allow(clippy::type_complexity)]
fn charts_for(
    reports: &[SimReport],
    rates: &[Rates],
    info: &ReportInfo,
) -> Result<(Vec<(String, Vec<u8>)>, Vec<(String, Vec<Block>)>)> {
    let mut files = Vec::new();
    let mut blocks: Vec<(String, Vec<Block>)> = Vec::new();
    if info.charts == Charts::None {
        return Ok((files, blocks));
    }
    let mut used: std::collections::HashSet<String> =
        std::iter::once("charts/cost_by_policy.png".to_string()).collect();
    let bars: Vec<CostBar> = reports
        .iter()
        .map(|r| {
            let s = Summary::of(r);
            CostBar {
                workload: s.workload.clone(),
                policy: s.policy.clone(),
                parts: [
                    s.storage_usd,
                    s.request_usd,
                    s.transition_usd,
                    s.retrieval_usd,
                    s.early_delete_usd,
                    s.monitoring_usd,
                    s.egress_usd,
                ],
            }
        })
        .collect();
    if !bars.is_empty() {
        let periods: Vec<(String, String)> = workloads(reports)
            .into_iter()
            .filter_map(|w| reports.iter().find(|r| r.workload == w))
            .map(|r| (r.workload.clone(), decide::period_label(&r.months)))
            .collect();
        files.push((
            "charts/cost_by_policy.png".to_string(),
            charts::cost_by_policy(&bars, &periods)?.png,
        ));
    }
    for w in workloads(reports) {
        let mut wb = Vec::new();
        if let Some(d) = info.decisions.iter().find(|d| d.workload == w) {
            let bars: Vec<DecisionBar> = d
                .rows
                .iter()
                .map(|r| DecisionBar {
                    policy: r.policy.clone(),
                    color_index: r.index,
                    usd_per_month: r.steady_usd,
                    baseline: r.baseline,
                    flags: r.flags.iter().map(Flag::short).collect(),
                })
                .collect();
            let path = unique(&mut used, format!("charts/decision_{}", file_part(w)));
            let period = format!("{}; steady state over {}", d.period, d.window_label);
            files.push((path.clone(), charts::decision(w, &period, &bars)?.png));
            wb.push(Block::Image {
                path,
                alt: format!("Steady-state cost per month by policy, {w}"),
            });
        }
        if info.charts != Charts::All {
            blocks.push((w.to_string(), wb));
            continue;
        }
        let rs: Vec<&SimReport> = reports.iter().filter(|r| r.workload == w).collect();
        let months: Vec<String> = (0..rs[0].months.len())
            .map(|m| rs[0].months.label(m))
            .collect();
        let lines: Vec<(String, Vec<f64>)> = rs
            .iter()
            .map(|r| {
                let mut v = vec![0.0; months.len()];
                for l in &r.bill.lines {
                    v[l.month] += l.usd;
                }
                (r.policy.clone(), v)
            })
            .collect();
        let period = decide::period_label(&rs[0].months);
        let path = unique(&mut used, format!("charts/monthly_cost_{}", file_part(w)));
        files.push((
            path.clone(),
            charts::monthly_cost(w, &period, &months, &lines)?.png,
        ));
        wb.push(Block::Image {
            path,
            alt: format!("Monthly cost by policy, {w}"),
        });
        for r in &rs {
            // Current versions by class, then noncurrent versions by class, delete markers and
            // the parts of unfinished uploads.
            let mut classes: Vec<(String, Vec<f64>)> = Vec::new();
            let mut order: Vec<(usize, usize)> = Vec::new();
            for l in &r.bill.lines {
                let (rank, name) = match l.component {
                    Component::Storage => (0, l.class.to_string()),
                    Component::NoncurrentStorage => (1, format!("{} noncurrent", l.class)),
                    Component::DeleteMarkers => (2, "delete markers".to_string()),
                    Component::MpuStorage => (3, format!("{} upload parts", l.class)),
                    _ => continue,
                };
                let i = match classes.iter().position(|(c, _)| *c == name) {
                    Some(i) => i,
                    None => {
                        let class = crate::model::BillClass::ALL
                            .iter()
                            .position(|b| b.name() == l.class)
                            .unwrap_or(99);
                        classes.push((name, vec![0.0; months.len()]));
                        order.push((rank, class));
                        classes.len() - 1
                    }
                };
                classes[i].1[l.month] += l.quantity;
            }
            let mut keyed: Vec<((usize, usize), (String, Vec<f64>))> =
                order.into_iter().zip(classes).collect();
            keyed.sort_by_key(|(k, _)| *k);
            let classes: Vec<(String, Vec<f64>)> = keyed.into_iter().map(|(_, c)| c).collect();
            let path = unique(
                &mut used,
                format!(
                    "charts/storage_by_class_{}_{}",
                    file_part(w),
                    file_part(&r.policy)
                ),
            );
            files.push((
                path.clone(),
                charts::storage_by_class(w, &r.policy, &period, &months, &classes)?.png,
            ));
            wb.push(Block::Image {
                path,
                alt: format!("Data stored by class, {w} under {}", r.policy),
            });
        }
        if let Some(rate) = rates
            .iter()
            .find(|r| r.workload == w)
            .filter(|r| rate_finding(r).is_some_and(|(_, near)| near))
        {
            let start = rate.series.first().map_or(0, |s| s.start);
            let lines: Vec<RateLine> = rate
                .series
                .iter()
                .map(|s| RateLine {
                    prefix: s.prefix.clone(),
                    points: s
                        .buckets
                        .iter()
                        .enumerate()
                        .map(|(i, b)| {
                            let at = (s.start - start + i as i64 * s.width) as f64 / HOUR as f64;
                            (at, b.offered_reads, b.offered_writes, b.throttled)
                        })
                        .collect(),
                })
                .collect();
            let span = rate.series.first().map_or(1.0, |s| {
                (s.width * s.buckets.len() as i64) as f64 / HOUR as f64
            });
            let path = unique(&mut used, format!("charts/request_rate_{}", file_part(w)));
            files.push((
                path.clone(),
                charts::request_rate(w, &period, &lines, rate.read_limit, rate.write_limit, span)?
                    .png,
            ));
            wb.push(Block::Image {
                path,
                alt: format!("Peak request rates of the busiest prefixes, {w}"),
            });
        }
        blocks.push((w.to_string(), wb));
    }
    Ok((files, blocks))
}

/// What old versions, delete markers and unfinished multipart uploads cost under the given
/// policies of a workload, when it is at least a cent and 1% of its total, and the rule that
/// removes them.
fn version_findings(w: &str, rows: &[(Summary, &SimReport)]) -> Vec<String> {
    let mut out = Vec::new();
    for (s, _) in rows {
        let old = s.noncurrent_storage_usd + s.delete_marker_usd;
        let matters = |v: f64| v >= 0.005 && v >= 0.01 * s.total_usd;
        if matters(old) {
            out.push(format!(
                "**{w}** under **{}**: noncurrent versions and delete markers cost {} ({:.0}% of {}); `NoncurrentVersionExpiration` (or fewer `NoncurrentDays`) and `ExpiredObjectDeleteMarker` remove them, saving up to that much.",
                s.policy,
                fmt_usd(old),
                old / s.total_usd * 100.0,
                fmt_usd(s.total_usd)
            ));
        }
        if matters(s.mpu_storage_usd) {
            out.push(format!(
                "**{w}** under **{}**: parts of unfinished multipart uploads cost {} ({:.0}% of {}); `AbortIncompleteMultipartUpload` (or fewer `DaysAfterInitiation`) removes them sooner.",
                s.policy,
                fmt_usd(s.mpu_storage_usd),
                s.mpu_storage_usd / s.total_usd * 100.0,
                fmt_usd(s.total_usd)
            ));
        }
    }
    out
}

/// The early deletion of a report's largest class, as "85.0 GB-months from GLACIER_IR".
fn early_detail(r: &SimReport) -> Option<String> {
    let mut by: Vec<(&str, f64)> = Vec::new();
    for l in r
        .bill
        .lines
        .iter()
        .filter(|l| l.component == Component::EarlyDelete)
    {
        match by.iter_mut().find(|(c, _)| *c == l.class) {
            Some(e) => e.1 += l.quantity,
            None => by.push((l.class, l.quantity)),
        }
    }
    by.sort_by(|a, b| b.1.total_cmp(&a.1));
    by.first()
        .map(|(c, q)| format!("{q:.1} GB-months charged for leaving {c} early"))
}

/// `+$1.20/month` / `-$1.20/month`.
fn per_month(v: f64, dp: usize) -> String {
    let m = fmt_usd_dp(v.abs(), dp);
    if m.chars().all(|c| !c.is_ascii_digit() || c == '0') {
        format!("{m}/month")
    } else if v < 0.0 {
        format!("-{m}/month")
    } else {
        format!("+{m}/month")
    }
}

/// The component groups that move most between two rows' steady states, as
/// "storage -$1.20/month, transitions +$0.30/month" (those that print as nonzero, 2 at most).
fn why(a: &decide::Row, base: &decide::Row, dp: usize) -> String {
    let mut d: Vec<(usize, f64)> = (0..GROUPS.len())
        .map(|g| (g, a.steady_parts[g] - base.steady_parts[g]))
        .filter(|(_, v)| {
            fmt_usd_dp(v.abs(), dp)
                .chars()
                .any(|c| c.is_ascii_digit() && c != '0')
        })
        .collect();
    d.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()).then(x.0.cmp(&y.0)));
    d.iter()
        .take(2)
        .map(|(g, v)| format!("{} {}", GROUPS[*g], per_month(*v, dp)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The risks of a row worth naming: restores, the p99 GET wait, early deletion, 503s.
fn risks(r: &decide::Row) -> Vec<String> {
    let mut v = Vec::new();
    if r.restores > 0 {
        v.push(format!(
            "{} restore{}",
            r.restores,
            if r.restores == 1 { "" } else { "s" }
        ));
    }
    if r.p99_get_wait_s >= 1.0 {
        v.push(format!(
            "a p99 GET wait of {}",
            fmt_duration(r.p99_get_wait_s)
        ));
    }
    if r.early_delete_usd >= 0.005 {
        v.push(format!(
            "{} of early-deletion charges",
            fmt_usd(r.early_delete_usd)
        ));
    }
    v
}

/// The findings of one workload: the pick against the baseline and why, its risks, the policies
/// that cost more, and the ones that did nothing.
pub fn decision_findings(d: &Decision, reports: &[&SimReport]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(base) = d.baseline_row() else {
        return out;
    };
    let dp = distinct_dp(&d.rows.iter().map(|r| r.steady_usd).collect::<Vec<_>>());
    let w = &d.workload;
    let money = |v: f64| fmt_usd_dp(v, dp);
    let cheapest = &d.rows[0];
    let mut f = format!("**{w}** ({}): ", d.period);
    if cheapest.baseline {
        f.push_str(&format!(
            "no policy beats the baseline **{}** ({}/month once settled)",
            base.policy,
            money(base.steady_usd)
        ));
        let next = d
            .rows
            .iter()
            .find(|r| !r.baseline && !r.flags.iter().any(|f| matches!(f, Flag::NoEffect(_))));
        if let Some(next) = next.filter(|n| !n.flags.contains(&Flag::CostsMore)) {
            f.push_str(&format!(
                "; the next cheapest policy that acts, **{}**, costs {}",
                next.policy,
                per_month(next.delta_usd, dp)
            ));
            let reason = why(next, base, dp);
            if !reason.is_empty() {
                f.push_str(&format!(" ({reason})"));
            }
        }
    } else {
        f.push_str(&format!(
            "**{}** is the cheapest once settled, at {}/month: {} ({}) against the baseline **{}** ({}/month)",
            cheapest.policy,
            money(cheapest.steady_usd),
            per_month(cheapest.delta_usd, dp),
            cheapest
                .delta_pct
                .map_or("-".into(), |p| format!("{p:+.1}%")),
            base.policy,
            money(base.steady_usd)
        ));
        let reason = why(cheapest, base, dp);
        if !reason.is_empty() {
            f.push_str(&format!(", because of {reason}"));
        }
        let tdp = distinct_dp(&[cheapest.total_usd, base.total_usd]);
        f.push_str(&format!(
            ". Over the whole period: {} against {}",
            fmt_usd_dp(cheapest.total_usd, tdp),
            fmt_usd_dp(base.total_usd, tdp)
        ));
        let r = risks(cheapest);
        if !r.is_empty() {
            f.push_str(&format!(". Risk: {}", r.join(", ")));
        }
    }
    f.push('.');
    // The cheapest may be ruled out: name why, and the pick.
    if !cheapest.acceptable() {
        let why_not: Vec<String> = cheapest
            .flags
            .iter()
            .filter(|f| f.disqualifies())
            .map(|f| match f {
                Flag::NotSettled(label) => format!("it has not settled in the period ({label})"),
                other => other.short(),
            })
            .collect();
        f.push_str(&format!(
            " But **{}** is not a safe pick: {}.",
            cheapest.policy,
            why_not.join("; ")
        ));
        match d.pick() {
            Some(p) if p.baseline => f.push_str(&format!(
                " No other policy beats the baseline **{}** within the constraints.",
                p.policy
            )),
            Some(p) => {
                f.push_str(&format!(
                    " The cheapest acceptable policy is **{}** at {}/month ({} against the baseline",
                    p.policy,
                    money(p.steady_usd),
                    per_month(p.delta_usd, dp)
                ));
                let reason = why(p, base, dp);
                if !reason.is_empty() {
                    f.push_str(&format!(": {reason}"));
                }
                f.push_str(").");
            }
            None => f.push_str(" No policy of this run is acceptable."),
        }
    }
    out.push(f);
    let more: Vec<String> = d
        .rows
        .iter()
        .filter(|r| r.flags.contains(&Flag::CostsMore))
        .map(|r| {
            let mut s = format!("**{}** {}", r.policy, per_month(r.delta_usd, dp));
            let reason = why(r, base, dp);
            if !reason.is_empty() {
                s.push_str(&format!(" (mainly {reason}"));
                let early = GROUPS.iter().position(|g| *g == "early deletion");
                let top_is_early = early.is_some_and(|e| reason.starts_with(GROUPS[e]));
                if top_is_early
                    && let Some(rep) = reports.iter().find(|x| x.policy == r.policy)
                    && let Some(e) = early_detail(rep)
                {
                    s.push_str(&format!("; {e}"));
                }
                s.push(')');
            }
            s
        })
        .collect();
    if !more.is_empty() {
        out.push(format!(
            "**{w}**: costs more than the baseline once settled: {}.",
            more.join(", ")
        ));
    }
    for r in &d.rows {
        for fl in &r.flags {
            if let Flag::NoEffect(reason) = fl {
                out.push(format!(
                    "**{w}** under **{}**: the policy had no effect: {reason}.",
                    r.policy
                ));
            }
        }
    }
    out
}

/// The request-rate finding of one workload, and whether its chart is worth drawing.
fn rate_finding(r: &Rates) -> Option<(String, bool)> {
    let throttled: u64 = r.prefixes.iter().map(|p| p.throttled).sum();
    let failed: u64 = r.prefixes.iter().map(|p| p.failed).sum();
    let h = r.prefixes.iter().max_by_key(|p| {
        (
            p.peak_offered_read_rps.max(p.peak_offered_write_rps),
            std::cmp::Reverse(p.prefix.clone()),
        )
    })?;
    let name = if h.prefix.is_empty() {
        "(root)".to_string()
    } else {
        format!("`{}`", h.prefix)
    };
    let near = throttled > 0
        || r.prefixes.iter().any(|p| {
            p.peak_offered_read_rps * 100 >= u64::from(r.read_limit) * NEAR_LIMIT_PCT
                || p.peak_offered_write_rps * 100 >= u64::from(r.write_limit) * NEAR_LIMIT_PCT
        });
    let text = if throttled == 0 {
        format!(
            "**{}**: no request was throttled; the busiest prefix {name} peaks at {} reads/s and {} writes/s (limits {} and {}).",
            r.workload,
            h.peak_offered_read_rps,
            h.peak_offered_write_rps,
            r.read_limit,
            r.write_limit
        )
    } else {
        format!(
            "**{}**: {throttled} attempts got 503 Slow Down and {failed} requests failed after all retries; the busiest prefix {name} peaks at {} reads/s and {} writes/s offered (limits {} and {}).",
            r.workload,
            h.peak_offered_read_rps,
            h.peak_offered_write_rps,
            r.read_limit,
            r.write_limit
        )
    };
    Some((text, near))
}

/// A request-rate chart is drawn when a prefix reaches this share of a limit [%] or was throttled.
pub const NEAR_LIMIT_PCT: u64 = 10;

fn document(
    reports: &[SimReport],
    rates: &[Rates],
    info: &ReportInfo,
    summary_image: Option<&Block>,
    charts: &[(String, Vec<Block>)],
) -> Vec<Block> {
    let mut b = vec![
        Block::Heading(1, "s3sim report".into()),
        Block::List(info.run_lines.to_vec()),
    ];
    if !info.decisions.is_empty() {
        b.push(Block::Heading(2, "Decision".into()));
        b.push(Block::Paragraph(
            "Policies ranked by their steady-state cost per month (cheapest first) against the baseline. Steady state: the mean cost per month over the same whole months for every policy of a workload, from the first month in which every policy that settles in the period has settled (its slowest action has fallen due for objects created at the start; Intelligent-Tiering's last tier 90 days later, or the most days of the `--it-config` archive tiers) to the end of the period, the last 12 at most. $/TB-month: that cost per TB (2^40 bytes) billed as storage. Flags: costs more than the baseline; p99 GET wait over `--max-p99-get-wait`; not settled in the period; no effect (no rule acted); deletes data (its rules deleted objects or versions for good: compare with care, a policy that keeps them costs more).".into(),
        ));
        for d in info.decisions {
            b.extend(decide::blocks(std::slice::from_ref(d)));
            if let Some((_, imgs)) = charts.iter().find(|(w, _)| *w == d.workload)
                && let Some(img) = imgs
                    .iter()
                    .find(|i| matches!(i, Block::Image { path, .. } if path.contains("/decision_")))
            {
                b.push(img.clone());
            }
        }
    }
    b.push(Block::Heading(2, "Findings".into()));
    let mut findings = Vec::new();
    for w in workloads(reports) {
        let rows: Vec<(Summary, &SimReport)> = reports
            .iter()
            .filter(|r| r.workload == w)
            .map(|r| (Summary::of(r), r))
            .collect();
        let rs: Vec<&SimReport> = rows.iter().map(|(_, r)| *r).collect();
        let d = info.decisions.iter().find(|d| d.workload == w);
        if let Some(d) = d {
            findings.extend(decision_findings(d, &rs));
        }
        // Old versions and unfinished uploads: under the baseline and under the cheapest policy.
        let named: Vec<(Summary, &SimReport)> = rows
            .iter()
            .filter(|(s, _)| {
                d.is_none_or(|d| {
                    Some(s.policy.as_str()) == d.baseline_row().map(|r| r.policy.as_str())
                        || s.policy == d.rows[0].policy
                })
            })
            .map(|(s, r)| (s.clone(), *r))
            .collect();
        findings.extend(version_findings(w, &named));
    }
    let mut omitted = Vec::new();
    for r in rates {
        if let Some((text, near)) = rate_finding(r) {
            findings.push(text);
            if !near {
                omitted.push(r.workload.to_string());
            }
        }
    }
    b.push(Block::List(findings));
    if !info.warnings.is_empty() {
        b.push(Block::Heading(3, "Warnings".into()));
        b.push(Block::List(info.warnings.to_vec()));
    }
    b.push(Block::Heading(2, "Summary".into()));
    b.push(Block::Paragraph(
        "Totals over each workload's whole period, by component.".into(),
    ));
    b.extend(summary_blocks(reports));
    if let Some(img) = summary_image {
        b.push(img.clone());
    }
    for w in workloads(reports) {
        let rs: Vec<&SimReport> = reports.iter().filter(|r| r.workload == w).collect();
        let months = &rs[0].months;
        b.push(Block::Heading(
            2,
            format!("Workload {w} ({})", decide::period_label(months)),
        ));
        let mut headers = vec!["month".to_string()];
        headers.extend(rs.iter().map(|r| r.policy.clone()));
        let cost = |r: &SimReport, m: usize| {
            r.bill
                .lines
                .iter()
                .filter(|l| l.month == m)
                .map(|l| l.usd)
                .fold(0.0, |a, b| a + b)
        };
        let all: Vec<f64> = (0..months.len())
            .flat_map(|m| rs.iter().map(move |r| cost(r, m)))
            .collect();
        let dp = distinct_dp_rows(&all, rs.len());
        let rows = (0..months.len())
            .map(|m| {
                let mut row = vec![months.label(m)];
                row.extend(rs.iter().map(|r| fmt_usd_dp(cost(r, m), dp)));
                row
            })
            .collect();
        let mut align = vec![Align::Left];
        align.extend(std::iter::repeat_n(Align::Right, rs.len()));
        b.push(Block::Paragraph("Cost per month by policy:".into()));
        b.push(Block::Table {
            headers,
            align,
            rows,
        });
        if let Some((_, images)) = charts.iter().find(|(cw, _)| cw == w) {
            b.extend(
                images
                    .iter()
                    .filter(
                        |i| !matches!(i, Block::Image { path, .. } if path.contains("/decision_")),
                    )
                    .cloned(),
            );
        }
        if omitted.iter().any(|o| o == w) && info.charts == Charts::All {
            b.push(Block::Paragraph(format!(
                "No request-rate chart for {w}: no prefix came within {NEAR_LIMIT_PCT}% of a request-rate limit, and nothing was throttled."
            )));
        }
    }
    if !rates.is_empty() {
        b.push(Block::Heading(2, "Request rates".into()));
        b.push(Block::Paragraph(
            "The busiest prefixes of each workload (by peak offered requests per second), against S3's per-prefix limits. A 503 is one throttled attempt; a failed request was still throttled at its last attempt. Each prefix's limit is a token bucket that refills at the limit and holds one second of requests, so a prefix that was quiet can admit up to twice its limit in the first second of a surge: peak admitted rates above the limit are that burst, not an error.".into(),
        ));
        let headers: Vec<String> = [
            "workload",
            "prefix",
            "requests",
            "peak offered reads/s",
            "peak offered writes/s",
            "peak admitted reads/s",
            "peak admitted writes/s",
            "503s",
            "failed",
            "p99 delay",
            "scaled",
        ]
        .map(String::from)
        .to_vec();
        let mut align = vec![Align::Left, Align::Left];
        align.extend(std::iter::repeat_n(Align::Right, 9));
        let mut rows = Vec::new();
        for r in rates {
            let mut hot: Vec<_> = r.prefixes.iter().collect();
            hot.sort_by_key(|p| {
                (
                    std::cmp::Reverse(p.peak_offered_read_rps.max(p.peak_offered_write_rps)),
                    p.prefix.as_str(),
                )
            });
            for p in hot.iter().take(10) {
                let prefix = if p.prefix.is_empty() {
                    "(root)".to_string()
                } else {
                    format!("`{}`", p.prefix)
                };
                rows.push(vec![
                    r.workload.to_string(),
                    prefix,
                    p.requests().to_string(),
                    p.peak_offered_read_rps.to_string(),
                    p.peak_offered_write_rps.to_string(),
                    p.peak_read_rps.to_string(),
                    p.peak_write_rps.to_string(),
                    p.throttled.to_string(),
                    p.failed.to_string(),
                    fmt_duration(p.delay_quantile(0.99)),
                    p.scaled.to_string(),
                ]);
            }
        }
        b.push(Block::Table {
            headers,
            align,
            rows,
        });
    }
    b.push(Block::Paragraph(
        "Full detail: `summary.csv` (one row per workload and policy, with the decision table's columns), `monthly.csv` (one row per month, storage class and cost component), `prefixes.csv` (one row per request-rate partition); `run.json` holds the inputs, options, counts and the decision.".into(),
    ));
    b
}

/// Digits for a table of money in rows of `width` cells: enough to tell apart the values of each
/// row (the policies of one month).
fn distinct_dp_rows(values: &[f64], width: usize) -> usize {
    values
        .chunks(width.max(1))
        .map(distinct_dp)
        .max()
        .unwrap_or(2)
}
