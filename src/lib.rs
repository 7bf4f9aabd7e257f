//! s3sim: replay S3 workloads against lifecycle policies and bill them as S3 would.
//!
//! A tour, bottom up (dependencies point down):
//! - [`model`]: the vocabulary: storage classes, operations, time, units, S3's non-price rules.
//! - [`pricing`]: the price file -> [`pricing::PriceTable`]; a missing price is an error.
//! - [`policy`]: AWS lifecycle JSON -> validated rules; which action is due for an object, and when.
//! - [`workload`]: input files -> events with interned keys, in input order; grouped by key
//!   (then time, row) for the cost engine.
//! - [`ledger`]: usage counted in integers per month; [`ledger::bill`] applies prices once, last.
//! - [`sim`]: the engine: per-object state machine, run in parallel over chunks of keys.
//! - [`report`]: tables and the report folder, from priced results only.
//! - [`cli`]: arguments -> validated configuration -> the above.
//! - [`timing`] (`S3SIM_TIMING=1` stage times), [`prefetch`] (a cache hint), [`rng`] (SplitMix64)
//!   and [`cleanup`] (what Ctrl-C removes) serve the others.
//!
//! [`report`] and [`cli`] (polars, charts, clap) need the default feature `app`; without it the
//! library is the readers, policies, pricing and simulation (what the fuzz targets in `fuzz/` use).
pub mod cleanup;
#[cfg(feature = "app")]
pub mod cli;
pub mod generate;
pub mod ledger;
pub mod model;
pub mod policy;
pub mod prefetch;
pub mod pricing;
#[cfg(feature = "app")]
pub mod report;
pub mod rng;
pub mod search;
#[cfg(feature = "app")]
pub mod shard;
pub mod sim;
pub mod timing;
pub mod workload;
