//! Tables: summary, monthly and prefix rows as polars DataFrames (written as CSV and Parquet),
//! report blocks, and an aligned terminal table.

use polars::prelude::{Column, CsvWriter, DataFrame, ParquetWriter, PolarsResult, SerWriter};

use super::doc::{Align, Block};
use super::{SimReport, fmt_usd};
use crate::ledger::Component;
use crate::ledger::Line;
use crate::ledger::rates::PrefixStats;

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
    /// Parts of `storage_usd`: noncurrent versions, delete markers, unfinished multipart uploads.
    pub noncurrent_storage_usd: f64,
    pub delete_marker_usd: f64,
    pub mpu_storage_usd: f64,
}

impl Summary {
    /// Storage includes restored copies, noncurrent versions, delete markers and the parts of
    /// unfinished multipart uploads; requests are PUT-type and GET-type requests; retrieval
    /// includes restore requests.
    pub fn of(r: &SimReport) -> Summary {
        let c = |x: Component| r.bill.component_total(x);
        let noncurrent_storage_usd = c(Component::NoncurrentStorage);
        let delete_marker_usd = c(Component::DeleteMarkers);
        let mpu_storage_usd = c(Component::MpuStorage);
        let storage_usd = c(Component::Storage)
            + c(Component::RestoredCopy)
            + noncurrent_storage_usd
            + delete_marker_usd
            + mpu_storage_usd;
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
            noncurrent_storage_usd,
            delete_marker_usd,
            mpu_storage_usd,
        }
    }
}

/// `summary.csv` as a table: one row per workload x policy.
pub fn summary_frame(reports: &[SimReport]) -> PolarsResult<DataFrame> {
    let rows: Vec<Summary> = reports.iter().map(Summary::of).collect();
    let text = |name: &str, f: fn(&Summary) -> &str| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let num = |name: &str, f: fn(&Summary) -> f64| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    let count = |name: &str, f: fn(&Summary) -> u64| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>())
    };
    DataFrame::new_infer_height(vec![
        text("workload", |s| &s.workload),
        text("policy", |s| &s.policy),
        num("total_usd", |s| s.total_usd),
        num("storage_usd", |s| s.storage_usd),
        num("request_usd", |s| s.request_usd),
        num("transition_usd", |s| s.transition_usd),
        num("retrieval_usd", |s| s.retrieval_usd),
        num("early_delete_usd", |s| s.early_delete_usd),
        num("monitoring_usd", |s| s.monitoring_usd),
        num("egress_usd", |s| s.egress_usd),
        count("restores", |s| s.restores),
        num("p99_get_latency_s", |s| s.p99_get_latency_s),
        num("p50_get_latency_s", |s| s.p50_get_latency_s),
        num("max_get_latency_s", |s| s.max_get_latency_s),
        count("gets", |s| s.gets),
        count("archived_gets", |s| s.archived_gets),
        count("missing_key", |s| s.missing_key),
        count("objects_created", |s| s.objects_created),
        num("noncurrent_storage_usd", |s| s.noncurrent_storage_usd),
        num("delete_marker_usd", |s| s.delete_marker_usd),
        num("mpu_storage_usd", |s| s.mpu_storage_usd),
    ])
}

/// The decision table's columns for `summary.csv`, added after the others (same row order as
/// `summary_frame`; empty cells for a workload without a decision).
pub fn add_decision_columns(
    df: &mut DataFrame,
    reports: &[SimReport],
    decisions: &[super::decide::Decision],
) -> PolarsResult<()> {
    use super::decide::Flag;
    let found: Vec<Option<(&super::decide::Decision, usize)>> = reports
        .iter()
        .map(|r| {
            decisions
                .iter()
                .find(|d| d.workload == r.workload)
                .and_then(|d| {
                    d.rows
                        .iter()
                        .position(|x| x.policy == r.policy)
                        .map(|i| (d, i))
                })
        })
        .collect();
    let num = |name: &str, f: &dyn Fn(&super::decide::Decision, usize) -> Option<f64>| {
        Column::new(
            name.into(),
            found
                .iter()
                .map(|x| x.and_then(|(d, i)| f(d, i)))
                .collect::<Vec<Option<f64>>>(),
        )
    };
    let text = |name: &str, f: &dyn Fn(&super::decide::Decision, usize) -> String| {
        Column::new(
            name.into(),
            found
                .iter()
                .map(|x| x.map(|(d, i)| f(d, i)))
                .collect::<Vec<Option<String>>>(),
        )
    };
    let int = |name: &str, f: &dyn Fn(&super::decide::Decision, usize) -> u64| {
        Column::new(
            name.into(),
            found
                .iter()
                .map(|x| x.map(|(d, i)| f(d, i)))
                .collect::<Vec<Option<u64>>>(),
        )
    };
    let label = |d: &super::decide::Decision, m: usize| {
        reports
            .iter()
            .find(|r| r.workload == d.workload)
            .map_or(String::new(), |r| r.months.label(m))
    };
    let cols = vec![
        int("rank", &|_, i| (i + 1) as u64),
        num("steady_usd_per_month", &|d, i| Some(d.rows[i].steady_usd)),
        num("usd_per_tb_month", &|d, i| d.rows[i].usd_per_tb_month()),
        text("baseline", &|d, _| d.baseline.clone()),
        num("vs_baseline_usd_per_month", &|d, i| {
            d.baseline_row().map(|_| d.rows[i].delta_usd)
        }),
        num("vs_baseline_pct", &|d, i| d.rows[i].delta_pct),
        text("steady_from", &|d, _| label(d, d.window.0)),
        text("steady_to", &|d, _| label(d, d.window.1 - 1)),
        int("throttled_attempts", &|d, i| d.rows[i].throttled),
        text("flags", &|d, i| {
            d.rows[i]
                .flags
                .iter()
                .map(|f| match f {
                    Flag::CostsMore => "costs_more",
                    Flag::OverWaitBudget { .. } => "over_wait_budget",
                    Flag::NotSettled(_) => "not_settled",
                    Flag::NoEffect(_) => "no_effect",
                    Flag::DeletesData(_) => "deletes_data",
                })
                .collect::<Vec<_>>()
                .join(";")
        }),
    ];
    for c in cols {
        df.with_column(c)?;
    }
    Ok(())
}

/// `prefixes.csv` as a table: one row per workload x request-rate partition, sorted by prefix.
pub fn prefixes_frame(rates: &[(&str, &[PrefixStats])]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &PrefixStats)> = rates
        .iter()
        .flat_map(|&(w, t)| t.iter().map(move |p| (w, p)))
        .collect();
    let count = |name: &str, f: fn(&PrefixStats) -> u64| {
        Column::new(name.into(), rows.iter().map(|r| f(r.1)).collect::<Vec<_>>())
    };
    let secs = |name: &str, q: f64| {
        Column::new(
            name.into(),
            rows.iter()
                .map(|r| r.1.delay_quantile(q))
                .collect::<Vec<_>>(),
        )
    };
    DataFrame::new_infer_height(vec![
        Column::new(
            "workload".into(),
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        ),
        Column::new(
            "prefix".into(),
            rows.iter().map(|r| r.1.prefix.as_str()).collect::<Vec<_>>(),
        ),
        count("reads", |p| p.reads),
        count("writes", |p| p.writes),
        count("peak_read_rps", |p| p.peak_read_rps),
        count("peak_write_rps", |p| p.peak_write_rps),
        count("throttled", |p| p.throttled),
        count("failed", |p| p.failed),
        secs("p99_delay_s", 0.99),
        secs("p50_delay_s", 0.5),
        secs("max_delay_s", 1.0),
        count("peak_offered_read_rps", |p| p.peak_offered_read_rps),
        count("peak_offered_write_rps", |p| p.peak_offered_write_rps),
        count("throttled_first_attempts", |p| p.throttled_first),
        count("scaled", |p| u64::from(p.scaled)),
        count("observed_503", |p| p.observed_503),
    ])
}

/// `monthly.csv` as a table: one row per workload x policy x month x class x component with a
/// non-zero quantity.
pub fn monthly_frame(reports: &[SimReport]) -> PolarsResult<DataFrame> {
    let lines: Vec<(&SimReport, &Line)> = reports
        .iter()
        .flat_map(|r| r.bill.lines.iter().map(move |l| (r, l)))
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new(
            "workload".into(),
            lines
                .iter()
                .map(|(r, _)| r.workload.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "policy".into(),
            lines
                .iter()
                .map(|(r, _)| r.policy.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "month".into(),
            lines
                .iter()
                .map(|(r, l)| r.months.label(l.month))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "storage_class".into(),
            lines.iter().map(|(_, l)| l.class).collect::<Vec<_>>(),
        ),
        Column::new(
            "component".into(),
            lines
                .iter()
                .map(|(_, l)| l.component.name())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "quantity".into(),
            lines.iter().map(|(_, l)| l.quantity).collect::<Vec<_>>(),
        ),
        Column::new(
            "unit".into(),
            lines
                .iter()
                .map(|(_, l)| l.component.unit())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "usd".into(),
            lines.iter().map(|(_, l)| l.usd).collect::<Vec<_>>(),
        ),
    ])
}

/// A table as CSV, floats with `decimals` digits after the point.
pub fn to_csv(df: &mut DataFrame, decimals: usize) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    CsvWriter::new(&mut out)
        .include_header(true)
        .with_float_precision(Some(decimals))
        .finish(df)?;
    Ok(out)
}

/// A table as Parquet.
pub fn to_parquet(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).finish(df)?;
    Ok(out)
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
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| summary_cells(&Summary::of(r)).to_vec())
        .collect();
    let mut align = vec![Align::Left, Align::Left];
    align.extend(std::iter::repeat_n(Align::Right, HEADERS.len() - 2));
    aligned(&HEADERS.map(String::from), &align, &rows)
}

/// A table as aligned plain text: a header line, a rule, the rows.
pub fn aligned(headers: &[String], align: &[Align], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        let mut parts = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(c.chars().count());
            if align.get(i) == Some(&Align::Right) {
                parts.push(format!("{}{c}", " ".repeat(pad)));
            } else {
                parts.push(format!("{c}{}", " ".repeat(pad)));
            }
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&mut out, headers);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut out, &rule);
    for row in rows {
        line(&mut out, row);
    }
    out
}

/// The summary as report blocks: one table.
pub fn summary_blocks(reports: &[SimReport]) -> Vec<Block> {
    let mut align = vec![Align::Left, Align::Left];
    align.extend(std::iter::repeat_n(Align::Right, HEADERS.len() - 2));
    vec![Block::Table {
        headers: HEADERS.map(String::from).to_vec(),
        align,
        rows: reports
            .iter()
            .map(|r| summary_cells(&Summary::of(r)).to_vec())
            .collect(),
    }]
}
