//! `read_workload` on a file of any content: format detection, then whichever reader it picks
//! (gzip when the bytes start with gzip's magic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::workload::{ReadOptions, read_workload};
use s3sim_fuzz::{Source, check_workload, gunzipped_line_count, line_count, put};

fuzz_target!(|data: &[u8]| {
    let path = put("any/input", data);
    let p = path.display().to_string();
    let lines = if data.starts_with(&[0x1f, 0x8b]) {
        gunzipped_line_count(data)
    } else {
        line_count(data)
    };
    let src = Source { path: &p, lines };
    check_workload(
        "workload_any",
        read_workload(&path, &ReadOptions::default()),
        &[src],
    );
});
