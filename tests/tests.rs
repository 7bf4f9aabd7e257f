//! All integration tests, in one binary (see Cargo.toml `autotests = false`).

mod aws_examples;
mod charts;
mod cli;
mod common;
mod decision;
mod defects;
mod formats;
mod generate;
mod hostile;
mod intelligent_tiering;
mod pricing_import;
mod properties;
mod recommend;
mod report;
mod scenario;
mod search;
mod shards;
mod throughput;
mod versions;
mod versions_inputs;
