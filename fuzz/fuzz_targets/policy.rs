//! Lifecycle configuration JSON, parsed and validated (`Policy::parse`, as `validate` and `run`
//! read it), with and without the former 30-day IA rule; a valid policy is also explained.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3sim::policy::{Policy, PolicyError, ValidateOptions};
use s3sim_fuzz::{Source, check_error, line_count};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = Source {
        path: "fuzz.json",
        lines: line_count(data),
    };
    for ia_min_30_days in [false, true] {
        let opts = ValidateOptions { ia_min_30_days };
        match Policy::parse("fuzz", src.path, text, &opts) {
            Ok(p) => {
                let _ = p.explain();
            }
            Err(e) => {
                let msg = e.to_string();
                check_error("policy", &msg, &[src]);
                if let PolicyError::Json { line, .. } = e {
                    assert!(
                        line >= 1 && line as u64 <= src.lines + 1,
                        "policy: JSON error at line {line} of {} line(s)",
                        src.lines
                    );
                }
            }
        }
    }
});
