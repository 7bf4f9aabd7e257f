//! Reports from priced results only (result types of `ledger`, never engine state): tables (CSV, Parquet), PNG charts,
//! `report.md`, `report.html`, the terminal table, and the atomic write of a report folder.

mod build;
pub mod charts;
pub mod decide;
pub mod doc;
mod record;
mod tables;
mod write;

pub use build::{Charts, Rates, ReportInfo, decision_findings, file_part, report_files};
pub use record::{
    FileRecord, OptionsRecord, PolicyRecord, PricingRecord, RatesRecord, RunRecord, WorkloadRecord,
};
pub use tables::{
    Summary, fmt_duration, monthly_frame, prefixes_frame, summary_frame, terminal_table, to_csv,
};
pub use write::{MARKER, Staging, check_out_dir, write_report_dir};

use crate::ledger::SimStats;
use crate::ledger::{Bill, Months};

/// The priced outcome of one workload x policy simulation.
#[derive(Debug, Clone)]
pub struct SimReport {
    pub workload: String,
    pub policy: String,
    pub months: Months,
    pub bill: Bill,
    pub stats: SimStats,
}

/// An error when a bill reaches usage its price table has no price for (a bundled region whose
/// higher volume bands could not be sourced): no report is better than a wrong one.
pub fn check_priced(reports: &[SimReport]) -> anyhow::Result<()> {
    let beyond: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            r.bill
                .beyond_prices
                .iter()
                .map(move |m| format!("{} x {}: {m}", r.workload, r.policy))
        })
        .collect();
    match beyond.first() {
        None => Ok(()),
        Some(first) => anyhow::bail!(
            "{first}{}. Pass a complete price table with --pricing (s3sim pricing import makes one from AWS's offer files)",
            if beyond.len() > 1 {
                format!(" (and {} more)", beyond.len() - 1)
            } else {
                String::new()
            }
        ),
    }
}

/// `$1,215.00`: dollars rounded to cents with thousands separators.
pub fn fmt_usd(v: f64) -> String {
    fmt_usd_dp(v, 2)
}

/// Dollars with `dp` digits after the point (0 to 6) and thousands separators.
pub fn fmt_usd_dp(v: f64, dp: usize) -> String {
    let dp = dp.min(6);
    let scale = 10i128.pow(dp as u32);
    let units = (v * scale as f64).round() as i128;
    let neg = units < 0;
    let units = units.abs();
    let (whole, frac) = (units / scale, units % scale);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if dp == 0 {
        format!("{}${grouped}", if neg { "-" } else { "" })
    } else {
        format!(
            "{}${grouped}.{frac:0dp$}",
            if neg { "-" } else { "" },
            dp = dp
        )
    }
}

/// The fewest digits after the point, from 2 to 4, with which values that differ by at least
/// 0.00005 also print differently, or 4 if none does (values closer than 0.0001 may still print
/// alike at 4 digits).
pub fn distinct_dp(values: &[f64]) -> usize {
    (2..=4)
        .find(|&dp| {
            values.iter().enumerate().all(|(i, a)| {
                values[i + 1..]
                    .iter()
                    .all(|b| (a - b).abs() < 0.00005 || fmt_usd_dp(*a, dp) != fmt_usd_dp(*b, dp))
            })
        })
        .unwrap_or(4)
}

#[cfg(test)]
mod tests {
    use super::fmt_usd;

    #[test]
    fn money_is_grouped_and_rounded() {
        assert_eq!(fmt_usd(1215.0), "$1,215.00");
        assert_eq!(fmt_usd(0.004), "$0.00");
        assert_eq!(fmt_usd(0.005000001), "$0.01");
        assert_eq!(fmt_usd(1234567.891), "$1,234,567.89");
        assert_eq!(fmt_usd(-12.5), "-$12.50");
        assert_eq!(fmt_usd(100.0), "$100.00");
        assert_eq!(super::fmt_usd_dp(0.05123, 4), "$0.0512");
        assert_eq!(super::fmt_usd_dp(1234.5, 0), "$1,235");
    }

    #[test]
    fn distinct_values_print_distinctly() {
        use super::distinct_dp;
        assert_eq!(distinct_dp(&[0.0512, 0.0498, 0.0531]), 3);
        assert_eq!(distinct_dp(&[0.05, 0.05, 1.0]), 2);
        assert_eq!(distinct_dp(&[0.05121, 0.05128]), 4);
        assert_eq!(distinct_dp(&[0.051211, 0.051212]), 2);
    }
}
