//! The S3 server access log reader (`read_workload --format access-log`), on a plain file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::workload::{Format, ReadOptions, read_workload};
use s3sim_fuzz::{Source, check_workload, line_count, put};

fuzz_target!(|data: &[u8]| {
    let path = put("access.log", data);
    let p = path.display().to_string();
    let opts = ReadOptions {
        format: Some(Format::AccessLog),
        ..ReadOptions::default()
    };
    let src = Source {
        path: &p,
        lines: line_count(data),
    };
    check_workload("access_log", read_workload(&path, &opts), &[src]);
});
