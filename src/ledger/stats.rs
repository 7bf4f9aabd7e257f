//! What a cost simulation counted beside its usage: objects, GETs and their latency, restores,
//! transitions. A result type: the report reads it; chunks add up with `+=` in chunk order.

use std::ops::AddAssign;

use crate::model::StorageClass;
use crate::model::time::Micros;

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
    /// With `SimOptions::trace`: (key, time, from, to) of every transition, in simulation order.
    pub transition_log: Vec<(u32, Micros, StorageClass, StorageClass)>,
    /// Non-zero added latency of GETs (throttling delay + restore wait) [µs], sorted ascending; the
    /// other GETs waited 0.
    pub get_latencies: Vec<u64>,
}

impl AddAssign for SimStats {
    /// Adds another chunk's counts (the chunk after this one: the logs stay in order).
    fn add_assign(&mut self, o: SimStats) {
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
}

impl SimStats {
    /// The `q`-quantile (nearest rank) of GET latency [s], counting GETs that waited nothing.
    pub fn get_latency_quantile(&self, q: f64) -> f64 {
        super::rates::quantile(self.gets, &self.get_latencies, q)
    }
}
