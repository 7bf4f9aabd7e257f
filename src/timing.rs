//! `S3SIM_TIMING=1`: stage and sub-stage times on stderr, for profiling (`benches/`).

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Option<Instant>> = OnceLock::new();

fn start() -> Option<Instant> {
    *START.get_or_init(|| std::env::var_os("S3SIM_TIMING").map(|_| Instant::now()))
}

/// Prints `what` with the seconds since the first call, when `S3SIM_TIMING` is set.
pub fn mark(what: &str) {
    if let Some(t) = start() {
        eprintln!("[{:8.3} s] {what}", t.elapsed().as_secs_f64());
    }
}
