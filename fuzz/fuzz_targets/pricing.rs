//! The price file (`PriceTable::parse`, as `--pricing` reads it); a valid table is also described
//! and scaled.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::pricing::PriceTable;
use s3sim_fuzz::{Source, check_error, line_count};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = Source {
        path: "fuzz.toml",
        lines: line_count(data),
    };
    match PriceTable::parse(src.path, text) {
        Ok(t) => {
            let _ = t.describe();
            let _ = t.scaled(2.0).describe();
        }
        Err(e) => check_error("pricing", &e.to_string(), &[src]),
    }
});
