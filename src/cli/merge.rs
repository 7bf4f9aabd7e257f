//! `s3sim merge`: the ledgers of a sharded run -> the report one `run` would have written.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Result, anyhow, bail};

use super::Failure;
use super::args::MergeArgs;
use super::progress::Progress;
use super::run::{default_stamp, load_prices, restore_latency, write_report};
use crate::pricing::PriceTable;
use crate::report;
use crate::shard::{Ledger, PricingSource, check_complete, ledger_files, merge_parts};

/// Reads, checks and merges the ledgers, then writes the report. Returns the terminal text and
/// the report folder.
pub fn merge(a: &MergeArgs, progress: &Progress) -> Result<(String, PathBuf), Failure> {
    let started = Instant::now();
    let input = Failure::Input;
    if let Some(out) = &a.out {
        report::check_out_dir(out).map_err(input)?;
    }
    let files = ledger_files(&a.ledgers).map_err(input)?;
    progress.stage(format!("reading {} ledger(s)", files.len()));
    let ledgers: Vec<(String, Ledger)> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|f| Ok((f.display().to_string(), Ledger::read(f)?)))
            .collect::<Result<_>>()
            .map_err(input)?
    };
    check_complete(&ledgers).map_err(input)?;
    let (name, first) = &ledgers[0];
    if first.s3sim != env!("CARGO_PKG_VERSION") {
        return Err(input(anyhow!(
            "{name}: written by s3sim {}; this is s3sim {}: merge with the s3sim that ran the shards",
            first.s3sim,
            env!("CARGO_PKG_VERSION")
        )));
    }
    let mut ledgers: Vec<Ledger> = ledgers.into_iter().map(|(_, l)| l).collect();
    ledgers.sort_by_key(|l| l.shard.index);
    let setup = ledgers[0].setup.clone();
    // Prices of merge's own options, else the shards' (which the ledgers record).
    let own_prices =
        a.prices.pricing.is_some() || a.prices.region.is_some() || a.prices.discount.is_some();
    let prices = if own_prices {
        load_prices(&a.prices).map_err(input)?
    } else {
        rebuild_prices(&setup.pricing_source).map_err(input)?
    };
    check_simulated_with(&prices, &setup).map_err(input)?;
    let mut setup = setup;
    if own_prices {
        setup.pricing = report::PricingRecord {
            origin: prices.origin.clone(),
            file: match &a.prices.pricing {
                Some(p) => Some(super::run::file_record(p).map_err(input)?),
                None => None,
            },
            region: prices.region.clone(),
            as_of: prices.as_of.clone(),
            discount: prices.discount.clone(),
        };
    }
    progress.stage("merging".into());
    let parts = merge_parts(ledgers.into_iter().map(|l| l.workloads).collect()).map_err(input)?;
    let mut out = match &a.out {
        Some(out) => report::Staging::prepare(out),
        None => {
            report::Staging::prepare_new(Path::new("reports"), &default_stamp().map_err(input)?)
        }
    }
    .map_err(input)?;
    let outcome = write_report(&setup, &prices, parts, &mut out, progress, started)?;
    Ok((outcome.terminal, out.out().to_path_buf()))
}

/// The price table the shards used, from what their ledgers recorded.
fn rebuild_prices(src: &PricingSource) -> Result<PriceTable> {
    let table = match (&src.text, &src.file, &src.region) {
        (Some(text), Some(file), _) => PriceTable::parse(&file.path, text)?,
        (Some(_), None, _) | (None, Some(_), _) => bail!("a ledger's price table is incomplete"),
        (None, None, Some(r)) => PriceTable::bundled(r).map_err(|e| anyhow!(e))?,
        (None, None, None) => PriceTable::builtin(),
    };
    Ok(match &src.discount {
        Some(d) => table.discounted(&crate::pricing::Discount::parse(d).map_err(|e| anyhow!(e))?),
        None => table,
    })
}

/// Refuses prices whose request-rate limits or restore waits differ from the ones the shards
/// simulated with: those change the simulation, not just the bill.
fn check_simulated_with(prices: &PriceTable, setup: &crate::shard::ReportSetup) -> Result<()> {
    let o = &setup.options;
    if (prices.limits.write_rps, prices.limits.read_rps) != (o.write_rps, o.read_rps) {
        bail!(
            "the price table {} has request-rate limits of {} writes and {} reads per second; the shards were simulated with {} and {}: merge with their price table (leave out --pricing and --region)",
            prices.origin,
            prices.limits.write_rps,
            prices.limits.read_rps,
            o.write_rps,
            o.read_rps
        );
    }
    if restore_latency(prices) != setup.restore_latency {
        bail!(
            "the price table {} has other restore times than the one the shards were simulated with: merge with their price table (leave out --pricing and --region)",
            prices.origin
        );
    }
    Ok(())
}
