//! The engine: replays a workload's events against a lifecycle policy, object by object, and counts
//! usage. Objects are independent, so a workload is cut into chunks of whole keys that run in
//! parallel, each with its own ledger; the integer ledgers are then added up in chunk order.

mod object;
pub mod throughput;

use rayon::prelude::*;

use crate::ledger::{Months, Usage};
use crate::model::time::Micros;
use crate::model::{RestoreTier, StorageClass};
use crate::policy::Policy;
use crate::workload::Workload;

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
}

/// Counts beside the usage ledger, for `summary.csv` and `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Objects created by PUT, COPY or POST.
    pub objects_created: u64,
    /// Objects that a matching rule would have transitioned but for the 128 KB minimum.
    pub small_not_transitioned: u64,
    /// GET requests (HEAD excluded).
    pub gets: u64,
    /// GET, HEAD or DELETE requests for keys that did not exist.
    pub missing_key: u64,
    /// Restores started.
    pub restores: u64,
    /// Restores of DEEP_ARCHIVE objects asked at the expedited tier and run at standard.
    pub expedited_downgraded: u64,
    /// GETs that hit an archived (GLACIER, DEEP_ARCHIVE) object.
    pub archived_gets: u64,
    /// Lifecycle transitions applied.
    pub transitions: u64,
    /// Lifecycle expirations applied.
    pub expirations: u64,
    /// With [`SimOptions::trace`]: (key, time, from, to) of every transition, in simulation order.
    pub transition_log: Vec<(u32, Micros, StorageClass, StorageClass)>,
    /// Non-zero added latency of GETs (throttling delay + restore wait) [µs], sorted ascending; the
    /// other GETs waited 0.
    pub get_latencies: Vec<u64>,
}

impl SimStats {
    fn merge(&mut self, o: SimStats) {
        self.objects_created += o.objects_created;
        self.small_not_transitioned += o.small_not_transitioned;
        self.gets += o.gets;
        self.missing_key += o.missing_key;
        self.restores += o.restores;
        self.expedited_downgraded += o.expedited_downgraded;
        self.archived_gets += o.archived_gets;
        self.transitions += o.transitions;
        self.expirations += o.expirations;
        self.get_latencies.extend(o.get_latencies);
        self.transition_log.extend(o.transition_log);
    }

    /// The `q`-quantile (nearest rank) of GET latency [s], counting GETs that waited nothing.
    pub fn get_latency_quantile(&self, q: f64) -> f64 {
        throughput::quantile(self.gets, &self.get_latencies, q)
    }
}

/// What one simulation (one workload x one policy) produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimResult {
    pub usage: Usage,
    pub stats: SimStats,
}

/// Simulates `workload` under `policy`, sequentially.
pub fn simulate(workload: &Workload, policy: &Policy, opts: &SimOptions) -> SimResult {
    simulate_chunks(workload, policy, opts, 1, &[])
}

/// Simulates in about `chunks` parallel pieces (in the current rayon pool). The result does not
/// depend on `chunks`. `get_delays` are the GETs' throttling delays by row (from
/// [`throughput::simulate_throughput`]), added to their restore waits. The workload must be
/// grouped by key ([`Workload::group_by_key`]).
pub fn simulate_chunks(
    workload: &Workload,
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
        stats.merge(p.stats);
    }
    stats.get_latencies.sort_unstable();
    SimResult { usage, stats }
}

/// Simulates every policy against one workload, in parallel over (policy, chunk) pairs.
pub fn simulate_all(
    workload: &Workload,
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
