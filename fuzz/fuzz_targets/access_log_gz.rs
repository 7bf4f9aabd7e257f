//! The access log reader on gzip files: input that starts with gzip's magic is written as it is
//! (damaged gzip), anything else is the text of a log, gzipped first.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::workload::{Format, ReadOptions, read_workload};
use s3sim_fuzz::{Source, check_workload, gunzipped_line_count, gzip, line_count, put};

fuzz_target!(|data: &[u8]| {
    let (bytes, lines) = if data.starts_with(&[0x1f, 0x8b]) {
        (data.to_vec(), gunzipped_line_count(data))
    } else {
        (gzip(data), line_count(data))
    };
    let path = put("access.log.gz", &bytes);
    let p = path.display().to_string();
    let opts = ReadOptions {
        format: Some(Format::AccessLog),
        ..ReadOptions::default()
    };
    let src = Source { path: &p, lines };
    check_workload("access_log_gz", read_workload(&path, &opts), &[src]);
});
