//! The IBM COS trace reader (`read_workload --format ibm-trace`); the first byte picks
//! `--strict` and the trace start (2026-01-01, 1970-01-01 or 9999-12-31).
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::model::time::date_micros;
use s3sim::workload::{Format, ReadOptions, read_workload};
use s3sim_fuzz::{Source, check_workload, line_count, put};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, text)) = data.split_first() else {
        return;
    };
    let path = put("trace.txt", text);
    let p = path.display().to_string();
    let opts = ReadOptions {
        format: Some(Format::IbmTrace),
        strict: mode & 1 == 1,
        trace_start: match (mode >> 1) % 3 {
            0 => date_micros(2026, 1, 1),
            1 => 0,
            _ => date_micros(9999, 12, 31),
        },
    };
    let src = Source {
        path: &p,
        lines: line_count(text),
    };
    check_workload("ibm_trace", read_workload(&path, &opts), &[src]);
});
