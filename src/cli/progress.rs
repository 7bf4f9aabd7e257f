//! A progress bar on stderr for runs longer than about a second; silent with `--quiet` or when
//! stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    enabled: bool,
    shown: AtomicBool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg} (ETA {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress {
            bar,
            started: Instant::now(),
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// Shows the bar once the run has lasted a second.
    fn tick(&self) {
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_secs(1)
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
    }

    /// Adds `n` steps to do.
    pub fn add_steps(&self, n: u64) {
        self.bar.inc_length(n);
        self.tick();
    }

    /// Says what is being done now.
    pub fn stage(&self, msg: String) {
        crate::timing::mark(&msg); // with `S3SIM_TIMING=1`
        self.bar.set_message(msg);
        self.tick();
    }

    /// One step done.
    pub fn step(&self) {
        self.bar.inc(1);
        self.tick();
    }

    pub fn finish(&self) {
        if !self.bar.is_finished() {
            crate::timing::mark("done");
        }
        self.bar.finish_and_clear();
    }
}
