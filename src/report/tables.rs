//! Tables: summary and monthly rows as CSV, Markdown and an aligned terminal table.

use std::fmt::Write as _;

use super::{SimReport, fmt_usd};
use crate::ledger::Component;
use crate::sim::throughput::Throughput;

/// One row of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub workload: String,
    pub policy: String,
    pub total_usd: f64,
    pub storage_usd: f64,
    pub request_usd: f64,
    pub transition_usd: f64,
    pub retrieval_usd: f64,
    pub early_delete_usd: f64,
    pub monitoring_usd: f64,
    pub egress_usd: f64,
    pub restores: u64,
    pub p99_get_latency_s: f64,
    pub p50_get_latency_s: f64,
    pub max_get_latency_s: f64,
    pub archived_gets: u64,
    pub gets: u64,
    pub missing_key: u64,
    pub objects_created: u64,
}

impl Summary {
    /// Storage includes restored copies; requests are PUT-type and GET-type requests; retrieval
    /// includes restore requests.
    pub fn of(r: &SimReport) -> Summary {
        let c = |x: Component| r.bill.component_total(x);
        let storage_usd = c(Component::Storage) + c(Component::RestoredCopy);
        let request_usd = c(Component::RequestsPut) + c(Component::RequestsGet);
        let transition_usd = c(Component::Transition);
        let retrieval_usd = c(Component::Retrieval) + c(Component::RestoreRequests);
        let early_delete_usd = c(Component::EarlyDelete);
        let monitoring_usd = c(Component::Monitoring);
        let egress_usd = c(Component::Egress);
        Summary {
            workload: r.workload.clone(),
            policy: r.policy.clone(),
            total_usd: storage_usd
                + request_usd
                + transition_usd
                + retrieval_usd
                + early_delete_usd
                + monitoring_usd
                + egress_usd,
            storage_usd,
            request_usd,
            transition_usd,
            retrieval_usd,
            early_delete_usd,
            monitoring_usd,
            egress_usd,
            restores: r.stats.restores,
            p99_get_latency_s: r.stats.get_latency_quantile(0.99),
            p50_get_latency_s: r.stats.get_latency_quantile(0.5),
            max_get_latency_s: r.stats.get_latency_quantile(1.0),
            archived_gets: r.stats.archived_gets,
            gets: r.stats.gets,
            missing_key: r.stats.missing_key,
            objects_created: r.stats.objects_created,
        }
    }
}

fn usd6(v: f64) -> String {
    format!("{v:.6}")
}

/// `summary.csv`: one row per workload x policy.
pub fn summary_csv(reports: &[SimReport]) -> String {
    let mut out = String::from(
        "workload,policy,total_usd,storage_usd,request_usd,transition_usd,retrieval_usd,early_delete_usd,monitoring_usd,egress_usd,restores,p99_get_latency_s,p50_get_latency_s,max_get_latency_s,gets,archived_gets,missing_key,objects_created\n",
    );
    for r in reports {
        let s = Summary::of(r);
        let fields = [
            csv_field(&s.workload),
            csv_field(&s.policy),
            usd6(s.total_usd),
            usd6(s.storage_usd),
            usd6(s.request_usd),
            usd6(s.transition_usd),
            usd6(s.retrieval_usd),
            usd6(s.early_delete_usd),
            usd6(s.monitoring_usd),
            usd6(s.egress_usd),
            s.restores.to_string(),
            format!("{:.6}", s.p99_get_latency_s),
            format!("{:.6}", s.p50_get_latency_s),
            format!("{:.6}", s.max_get_latency_s),
            s.gets.to_string(),
            s.archived_gets.to_string(),
            s.missing_key.to_string(),
            s.objects_created.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// `prefixes.csv`: one row per workload x request-rate partition, sorted by prefix.
pub fn prefixes_csv(rates: &[(String, Throughput)]) -> String {
    let mut out = String::from(
        "workload,prefix,reads,writes,peak_read_rps,peak_write_rps,throttled,failed,p99_delay_s,p50_delay_s,max_delay_s,peak_offered_read_rps,peak_offered_write_rps,throttled_first_attempts,scaled\n",
    );
    for (w, t) in rates {
        for p in &t.prefixes {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{:.6},{:.6},{:.6},{},{},{},{}",
                csv_field(w),
                csv_field(&p.prefix),
                p.reads,
                p.writes,
                p.peak_read_rps,
                p.peak_write_rps,
                p.throttled,
                p.failed,
                p.delay_quantile(0.99),
                p.delay_quantile(0.5),
                p.delay_quantile(1.0),
                p.peak_offered_read_rps,
                p.peak_offered_write_rps,
                p.throttled_first,
                p.scaled
            );
        }
    }
    out
}

/// `monthly.csv`: one row per workload x policy x month x class x component with a non-zero quantity.
pub fn monthly_csv(reports: &[SimReport]) -> String {
    let mut out = String::from("workload,policy,month,storage_class,component,quantity,unit,usd\n");
    for r in reports {
        for l in &r.bill.lines {
            let quantity = match l.component.unit() {
                "requests" => format!("{}", l.quantity as u64),
                _ => format!("{:.9}", l.quantity),
            };
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                csv_field(&r.workload),
                csv_field(&r.policy),
                r.months.label(l.month),
                l.class,
                l.component.name(),
                quantity,
                l.component.unit(),
                usd6(l.usd)
            );
        }
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

const HEADERS: [&str; 12] = [
    "workload",
    "policy",
    "total",
    "storage",
    "requests",
    "transitions",
    "retrieval",
    "early delete",
    "monitoring",
    "egress",
    "restores",
    "p99 GET wait",
];

fn summary_cells(s: &Summary) -> [String; 12] {
    [
        s.workload.clone(),
        s.policy.clone(),
        fmt_usd(s.total_usd),
        fmt_usd(s.storage_usd),
        fmt_usd(s.request_usd),
        fmt_usd(s.transition_usd),
        fmt_usd(s.retrieval_usd),
        fmt_usd(s.early_delete_usd),
        fmt_usd(s.monitoring_usd),
        fmt_usd(s.egress_usd),
        s.restores.to_string(),
        fmt_duration(s.p99_get_latency_s),
    ]
}

/// `0 s`, `12.5 s`, `5.0 h`.
pub fn fmt_duration(s: f64) -> String {
    if s == 0.0 {
        "0 s".into()
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// The summary as an aligned table for the terminal: text left, numbers right.
pub fn terminal_table(reports: &[SimReport]) -> String {
    let rows: Vec<[String; 12]> = reports
        .iter()
        .map(|r| summary_cells(&Summary::of(r)))
        .collect();
    let mut widths = HEADERS.map(str::len);
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let mut parts = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i < 2 {
                parts.push(format!("{c:<w$}", w = widths[i]));
            } else {
                parts.push(format!("{c:>w$}", w = widths[i]));
            }
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&mut out, &HEADERS.map(String::from));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, &rule);
    for row in &rows {
        line(&mut out, row);
    }
    out
}

/// `report.md`: findings first, then the summary and monthly tables.
pub fn markdown(
    reports: &[SimReport],
    rates: &[(String, Throughput)],
    run_lines: &[String],
    warnings: &[String],
) -> String {
    let mut md = String::from("# s3sim report\n\n");
    for l in run_lines {
        let _ = writeln!(md, "- {l}");
    }
    md.push('\n');
    let mut workloads: Vec<&str> = Vec::new();
    for r in reports {
        if !workloads.contains(&r.workload.as_str()) {
            workloads.push(&r.workload);
        }
    }
    md.push_str("## Findings\n\n");
    for w in &workloads {
        let rows: Vec<Summary> = reports
            .iter()
            .filter(|r| r.workload == *w)
            .map(Summary::of)
            .collect();
        let Some(best) = rows
            .iter()
            .min_by(|a, b| a.total_usd.total_cmp(&b.total_usd))
        else {
            continue;
        };
        let _ = write!(
            md,
            "- **{w}**: cheapest policy **{}** at {}",
            best.policy,
            fmt_usd(best.total_usd)
        );
        if let Some(base) = rows.iter().find(|s| s.policy == "none")
            && best.policy != "none"
            && base.total_usd > 0.0
        {
            let saved = base.total_usd - best.total_usd;
            let _ = write!(
                md,
                ", {} ({:.1}%) less than no lifecycle rules ({})",
                fmt_usd(saved),
                saved / base.total_usd * 100.0,
                fmt_usd(base.total_usd)
            );
        }
        md.push_str(".\n");
    }
    if !warnings.is_empty() {
        md.push_str("\n### Warnings\n\n");
        for w in warnings {
            let _ = writeln!(md, "- {w}");
        }
    }
    md.push_str("\n## Summary\n\n");
    md.push('|');
    for h in HEADERS {
        let _ = write!(md, " {h} |");
    }
    md.push_str("\n|---|---|");
    md.push_str(&"---:|".repeat(HEADERS.len() - 2));
    md.push('\n');
    for r in reports {
        md.push('|');
        for c in summary_cells(&Summary::of(r)) {
            let _ = write!(md, " {} |", c.replace('|', "\\|"));
        }
        md.push('\n');
    }
    for w in &workloads {
        let rs: Vec<&SimReport> = reports.iter().filter(|r| r.workload == *w).collect();
        let months = &rs[0].months;
        let _ = writeln!(md, "\n## Monthly cost: {w}\n");
        md.push_str("| month |");
        for r in &rs {
            let _ = write!(md, " {} |", r.policy);
        }
        md.push_str("\n|---|");
        md.push_str(&"---:|".repeat(rs.len()));
        md.push('\n');
        for m in 0..months.len() {
            let _ = write!(md, "| {} |", months.label(m));
            for r in &rs {
                let v: f64 = r
                    .bill
                    .lines
                    .iter()
                    .filter(|l| l.month == m)
                    .map(|l| l.usd)
                    .fold(0.0, |a, b| a + b);
                let _ = write!(md, " {} |", fmt_usd(v));
            }
            md.push('\n');
        }
    }
    if !rates.is_empty() {
        md.push_str("\n## Request rates\n\nThe busiest prefixes of each workload (by peak offered requests per second), against S3's per-prefix limits. A 503 is one throttled attempt; a failed request was still throttled at its last attempt.\n\n");
        md.push_str("| workload | prefix | requests | peak offered reads/s | peak offered writes/s | peak admitted reads/s | peak admitted writes/s | 503s | failed | p99 delay | scaled |\n");
        md.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (w, t) in rates {
            let mut hot: Vec<_> = t.prefixes.iter().collect();
            hot.sort_by_key(|p| {
                (
                    std::cmp::Reverse(p.peak_offered_read_rps.max(p.peak_offered_write_rps)),
                    p.prefix.as_str(),
                )
            });
            for p in hot.iter().take(10) {
                let prefix = if p.prefix.is_empty() {
                    "(root)"
                } else {
                    p.prefix.as_str()
                };
                let _ = writeln!(
                    md,
                    "| {w} | `{prefix}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                    p.requests(),
                    p.peak_offered_read_rps,
                    p.peak_offered_write_rps,
                    p.peak_read_rps,
                    p.peak_write_rps,
                    p.throttled,
                    p.failed,
                    fmt_duration(p.delay_quantile(0.99)),
                    p.scaled
                );
            }
        }
    }
    md.push_str("\nFull detail: `summary.csv` (one row per workload and policy) and `monthly.csv` (one row per month, storage class and cost component), `prefixes.csv` (one row per request-rate partition).\n");
    md
}
