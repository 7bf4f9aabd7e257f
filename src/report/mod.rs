//! Reports from priced results only (result types of `ledger`, never engine state): tables (CSV, Parquet), PNG charts,
//! `report.md`, `report.html`, the terminal table, and the atomic write of a report folder.

mod build;
pub mod charts;
pub mod doc;
mod record;
mod tables;
mod write;

pub use build::{Rates, ReportInfo, file_part, report_files};
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

/// `$1,215.00`: dollars rounded to cents with thousands separators.
pub fn fmt_usd(v: f64) -> String {
    let cents = (v * 100.0).round() as i128;
    let neg = cents < 0;
    let cents = cents.abs();
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}${grouped}.{frac:02}", if neg { "-" } else { "" })
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
    }
}
