//! The parse floor of issue 6: the time to read a workload CSV into columns with polars' CSV reader
//! and nothing else. `benches/run.sh` builds it with `cargo bench --no-run` and times it beside
//! `s3sim run` on the same file.
//!
//!     parse_floor FILE.csv
//!
//! Every column is read with the type polars infers (the timestamp stays a string: parsing it as a
//! datetime needs polars features s3sim does not build). Prints rows, columns and seconds. Threads:
//! polars' own pool, sized by `POLARS_MAX_THREADS` (default: all cores).

use std::time::Instant;

use polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [path] = args.as_slice() else {
        if args.is_empty() {
            // `cargo bench` with no file: nothing to time.
            eprintln!("parse_floor: give a CSV file (benches/run.sh does)");
            return Ok(());
        }
        return Err("usage: parse_floor FILE.csv".into());
    };
    let started = Instant::now();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.into()))?
        .finish()?;
    let secs = started.elapsed().as_secs_f64();
    let schema: Vec<String> = df
        .schema()
        .iter()
        .map(|(name, dtype)| format!("{name}: {dtype}"))
        .collect();
    println!(
        "{path}: {} rows, columns [{}], parsed in {secs:.3} s ({} threads)",
        df.height(),
        schema.join(", "),
        threads()
    );
    Ok(())
}

/// The threads polars uses: `POLARS_MAX_THREADS`, else the machine's cores.
fn threads() -> usize {
    std::env::var("POLARS_MAX_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
