//! The engine: replays a workload's events against a lifecycle policy, object by object, and counts
//! usage. Objects are independent, so a workload is cut into chunks of whole keys that run in
//! parallel, each with its own ledger; the integer ledgers are then added up in chunk order.

mod object;
pub mod throughput;
mod uploads;
mod versions;

use rayon::prelude::*;

use crate::ledger::{Months, Usage};
use crate::model::time::Micros;
use crate::model::{RestoreTier, StorageClass, Versioning};
use crate::policy::Policy;
use crate::workload::ByKey;

pub use crate::ledger::SimStats;
pub use object::Simulator;

/// Options of one simulation that are not the workload or the policy.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// The billed months; events must fall inside.
    pub months: Months,
    /// Tier of restores started by GETs of archived objects.
    pub restore_tier: RestoreTier,
    /// Days a restored copy lives (RestoreRequest `Days`).
    pub restore_days: u32,
    /// Bill GET bytes as data transfer out to the internet.
    pub egress: bool,
    /// Restore wait by class and tier [µs] (from the price file's `restore_latency`).
    pub restore_latency: [[Option<Micros>; 3]; StorageClass::COUNT],
    /// Record every lifecycle transition in [`SimStats::transition_log`] (for tests and debugging).
    pub trace: bool,
    /// The bucket's versioning state.
    pub versioning: Versioning,
    /// The bucket's Intelligent-Tiering archive configurations (`--it-config`).
    pub it_configs: crate::policy::ItConfigs,
}

/// What one simulation (one workload x one policy) produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimResult {
    pub usage: Usage,
    pub stats: SimStats,
}

/// Simulates `workload` under `policy`, sequentially.
pub fn simulate(workload: &ByKey, policy: &Policy, opts: &SimOptions) -> SimResult {
    simulate_chunks(workload, policy, opts, 1, &[])
}

/// Simulates in about `chunks` parallel pieces (in the current rayon pool). The result does not
/// depend on `chunks`. `get_delays` are the GETs' throttling delays by row (from
/// [`throughput::simulate_throughput`]), added to their restore waits.
pub fn simulate_chunks(
    workload: &ByKey,
    policy: &Policy,
    opts: &SimOptions,
    chunks: usize,
    get_delays: &[(u32, u64)],
) -> SimResult {
    let parts: Vec<SimResult> = workload
        .chunks(chunks)
        .into_par_iter()
        .map(|range| {
            let mut sim = Simulator::new(workload, policy, opts, get_delays);
            sim.run(&workload.events[range]);
            sim.finish()
        })
        .collect();
    let mut usage = Usage::new(opts.months.len());
    let mut stats = SimStats::default();
    for p in parts {
        usage += &p.usage;
        stats += p.stats;
    }
    stats.get_latencies.sort_unstable();
    SimResult { usage, stats }
}

/// Simulates every policy against one workload, in parallel over (policy, chunk) pairs.
pub fn simulate_all(
    workload: &ByKey,
    policies: &[Policy],
    opts: &SimOptions,
    chunks: usize,
    get_delays: &[(u32, u64)],
) -> Vec<SimResult> {
    policies
        .par_iter()
        .map(|p| simulate_chunks(workload, p, opts, chunks, get_delays))
        .collect()
}
