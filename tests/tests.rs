//! All integration tests, in one binary (see Cargo.toml `autotests = false`).

mod aws_examples;
mod cli;
mod common;
mod formats;
mod generate;
mod properties;
mod report;
mod scenario;
mod throughput;
