//! Assembles a report folder from the priced results: tables (CSV, optional Parquet), charts,
//! `report.md` and a self-contained `report.html`.

use anyhow::{Context, Result};

use super::charts::{self, CostBar, RateLine};
use super::doc::{self, Align, Block};
use super::tables::{self, Summary, fmt_duration, summary_blocks};
use super::{SimReport, fmt_usd};
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

/// What goes in the report besides the results.
pub struct ReportInfo<'a> {
    pub run_lines: &'a [String],
    pub warnings: &'a [String],
    pub parquet: bool,
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
    let (charts, chart_blocks) = charts_for(reports, rates)?;
    let blocks = document(reports, rates, info, &chart_blocks);
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

/// The simulated period for chart titles: "2026-01 to 2026-12, 12 months".
fn period(months: &crate::ledger::Months) -> String {
    let n = months.len();
    match n {
        0 => String::new(),
        1 => format!("{}, 1 month", months.label(0)),
        _ => format!("{} to {}, {n} months", months.label(0), months.label(n - 1)),
    }
}

/// Renders every chart; returns the files and, per workload, the image blocks to show.
#[allow(clippy::type_complexity)]
fn charts_for(
    reports: &[SimReport],
    rates: &[Rates],
) -> Result<(Vec<(String, Vec<u8>)>, Vec<(String, Vec<Block>)>)> {
    let mut files = Vec::new();
    let mut blocks: Vec<(String, Vec<Block>)> = Vec::new();
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
            .map(|r| (r.workload.clone(), period(&r.months)))
            .collect();
        files.push((
            "charts/cost_by_policy.png".to_string(),
            charts::cost_by_policy(&bars, &periods)?.png,
        ));
    }
    for w in workloads(reports) {
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
        let mut wb = Vec::new();
        let period = period(&rs[0].months);
        let path = format!("charts/monthly_cost_{}.png", file_part(w));
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
            let path = format!(
                "charts/storage_by_class_{}_{}.png",
                file_part(w),
                file_part(&r.policy)
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
        if let Some(rate) = rates.iter().find(|r| r.workload == w) {
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
            let path = format!("charts/request_rate_{}.png", file_part(w));
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

/// The largest differences by component between two summaries, as "storage -$1.20".
fn reasons(best: &Summary, base: &Summary) -> Vec<(String, f64)> {
    let parts = |s: &Summary| {
        [
            (
                "storage",
                s.storage_usd - s.noncurrent_storage_usd - s.delete_marker_usd - s.mpu_storage_usd,
            ),
            ("noncurrent versions", s.noncurrent_storage_usd),
            ("delete markers", s.delete_marker_usd),
            ("unfinished uploads", s.mpu_storage_usd),
            ("requests", s.request_usd),
            ("transitions", s.transition_usd),
            ("retrieval", s.retrieval_usd),
            ("early deletion", s.early_delete_usd),
            ("monitoring", s.monitoring_usd),
            ("egress", s.egress_usd),
        ]
    };
    let mut d: Vec<(String, f64)> = parts(best)
        .iter()
        .zip(parts(base))
        .map(|(a, b)| (a.0.to_string(), a.1 - b.1))
        .filter(|x| x.1.abs() >= 0.005)
        .collect();
    d.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    d
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

fn signed(v: f64) -> String {
    if v < 0.0 {
        format!("-{}", fmt_usd(-v))
    } else {
        format!("+{}", fmt_usd(v))
    }
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

fn document(
    reports: &[SimReport],
    rates: &[Rates],
    info: &ReportInfo,
    charts: &[(String, Vec<Block>)],
) -> Vec<Block> {
    let mut b = vec![
        Block::Heading(1, "s3sim report".into()),
        Block::List(info.run_lines.to_vec()),
    ];
    b.push(Block::Heading(2, "Findings".into()));
    let mut findings = Vec::new();
    for w in workloads(reports) {
        let rows: Vec<(Summary, &SimReport)> = reports
            .iter()
            .filter(|r| r.workload == w)
            .map(|r| (Summary::of(r), r))
            .collect();
        let Some(best) = rows
            .iter()
            .min_by(|a, b| a.0.total_usd.total_cmp(&b.0.total_usd))
        else {
            continue;
        };
        let worst = rows
            .iter()
            .max_by(|a, b| a.0.total_usd.total_cmp(&b.0.total_usd))
            .expect("non-empty");
        let mut f = format!(
            "**{w}**: cheapest policy **{}** at {}",
            best.0.policy,
            fmt_usd(best.0.total_usd)
        );
        if let Some(base) = rows.iter().find(|s| s.0.policy == "none") {
            if best.0.policy != "none" && base.0.total_usd > 0.0 {
                let saved = base.0.total_usd - best.0.total_usd;
                f.push_str(&format!(
                    ", {} ({:.1}%) less than no lifecycle rules ({})",
                    fmt_usd(saved),
                    saved / base.0.total_usd * 100.0,
                    fmt_usd(base.0.total_usd)
                ));
                let why: Vec<String> = reasons(&best.0, &base.0)
                    .iter()
                    .take(2)
                    .map(|(c, d)| format!("{c} {}", signed(*d)))
                    .collect();
                if !why.is_empty() {
                    f.push_str(&format!(": {}", why.join(", ")));
                }
            } else if best.0.policy == "none" {
                f.push_str(": no policy beats keeping everything in STANDARD");
            }
            if worst.0.policy != best.0.policy && worst.0.total_usd - base.0.total_usd >= 0.005 {
                let why = reasons(&worst.0, &base.0);
                f.push_str(&format!(
                    ". Most expensive: **{}** at {} ({} against none)",
                    worst.0.policy,
                    fmt_usd(worst.0.total_usd),
                    signed(worst.0.total_usd - base.0.total_usd)
                ));
                if let Some((c, d)) = why.first() {
                    f.push_str(&format!(", mainly {c} {}", signed(*d)));
                    if c == "early deletion"
                        && let Some(e) = early_detail(worst.1)
                    {
                        f.push_str(&format!(" ({e})"));
                    }
                }
            }
        }
        f.push('.');
        findings.push(f);
        // Old versions and unfinished uploads: under the baseline and under the cheapest policy.
        let named: Vec<(Summary, &SimReport)> = rows
            .iter()
            .filter(|(s, _)| s.policy == "none" || s.policy == best.0.policy)
            .map(|(s, r)| (s.clone(), *r))
            .collect();
        findings.extend(version_findings(w, &named));
    }
    for r in rates {
        let throttled: u64 = r.prefixes.iter().map(|p| p.throttled).sum();
        let failed: u64 = r.prefixes.iter().map(|p| p.failed).sum();
        let hot = r.prefixes.iter().max_by_key(|p| {
            (
                p.peak_offered_read_rps.max(p.peak_offered_write_rps),
                std::cmp::Reverse(p.prefix.clone()),
            )
        });
        if let Some(h) = hot {
            let name = if h.prefix.is_empty() {
                "(root)".to_string()
            } else {
                format!("`{}`", h.prefix)
            };
            findings.push(if throttled == 0 {
                format!(
                    "**{}**: no request was throttled; the busiest prefix {name} peaks at {} reads/s and {} writes/s (limits {} and {}).",
                    r.workload, h.peak_offered_read_rps, h.peak_offered_write_rps, r.read_limit, r.write_limit
                )
            } else {
                format!(
                    "**{}**: {throttled} attempts got 503 Slow Down and {failed} requests failed after all retries; the busiest prefix {name} peaks at {} reads/s and {} writes/s offered (limits {} and {}).",
                    r.workload, h.peak_offered_read_rps, h.peak_offered_write_rps, r.read_limit, r.write_limit
                )
            });
        }
    }
    b.push(Block::List(findings));
    if !info.warnings.is_empty() {
        b.push(Block::Heading(3, "Warnings".into()));
        b.push(Block::List(info.warnings.to_vec()));
    }
    b.push(Block::Heading(2, "Summary".into()));
    b.extend(summary_blocks(reports));
    b.push(Block::Image {
        path: "charts/cost_by_policy.png".into(),
        alt: "Total cost by policy".into(),
    });
    for (w, images) in charts {
        let rs: Vec<&SimReport> = reports.iter().filter(|r| r.workload == *w).collect();
        b.push(Block::Heading(2, format!("Workload {w}")));
        let months = &rs[0].months;
        let mut headers = vec!["month".to_string()];
        headers.extend(rs.iter().map(|r| r.policy.clone()));
        let rows = (0..months.len())
            .map(|m| {
                let mut row = vec![months.label(m)];
                row.extend(rs.iter().map(|r| {
                    fmt_usd(
                        r.bill
                            .lines
                            .iter()
                            .filter(|l| l.month == m)
                            .map(|l| l.usd)
                            .fold(0.0, |a, b| a + b),
                    )
                }));
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
        b.extend(images.iter().cloned());
    }
    if !rates.is_empty() {
        b.push(Block::Heading(2, "Request rates".into()));
        b.push(Block::Paragraph(
            "The busiest prefixes of each workload (by peak offered requests per second), against S3's per-prefix limits. A 503 is one throttled attempt; a failed request was still throttled at its last attempt.".into(),
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
        "Full detail: `summary.csv` (one row per workload and policy), `monthly.csv` (one row per month, storage class and cost component), `prefixes.csv` (one row per request-rate partition); `run.json` holds the inputs, options and counts.".into(),
    ));
    b
}
