//! The workload CSV reader, in memory (`read_native_csv`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::workload::read_native_csv;
use s3sim_fuzz::{Source, check_workload, line_count};

fuzz_target!(|data: &[u8]| {
    let src = Source {
        path: "fuzz.csv",
        lines: line_count(data),
    };
    check_workload("native_csv", read_native_csv(src.path, data), &[src]);
});
