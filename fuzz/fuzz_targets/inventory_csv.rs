//! An S3 Inventory CSV with a header row (`read_workload --format inventory`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::workload::{Format, ReadOptions, read_workload};
use s3sim_fuzz::{Source, check_workload, line_count, put};

fuzz_target!(|data: &[u8]| {
    let path = put("inventory.csv", data);
    let p = path.display().to_string();
    let opts = ReadOptions {
        format: Some(Format::Inventory),
        ..ReadOptions::default()
    };
    let src = Source {
        path: &p,
        lines: line_count(data),
    };
    check_workload("inventory_csv", read_workload(&path, &opts), &[src]);
});
