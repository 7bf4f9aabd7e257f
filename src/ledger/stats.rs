//! What a cost simulation counted beside its usage: objects, GETs and their latency, restores,
//! transitions. A result type: the report reads it; chunks add up with `+=` in chunk order.

use std::ops::AddAssign;

use crate::model::StorageClass;
use crate::model::time::Micros;

/// Counts beside the usage ledger, for `summary.csv` and `run.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SimStats {
    /// Objects created by PUT, COPY or POST.
    pub objects_created: u64,
    /// Objects that a matching rule would have transitioned but for the 128 KB minimum.
    pub small_not_transitioned: u64,
    /// GET requests (HEAD excluded).
    pub gets: u64,
    /// GET, HEAD or DELETE requests for keys that did not exist.
    pub missing_key: u64,
    /// Of those, the GET and HEAD requests (reads of a key that did not exist).
    pub missing_reads: u64,
    /// Restores started.
    pub restores: u64,
    /// Restores of DEEP_ARCHIVE objects asked at the expedited tier and run at standard.
    pub expedited_downgraded: u64,
    /// GETs that hit an archived object (GLACIER, DEEP_ARCHIVE, or Intelligent-Tiering's Archive
    /// Access and Deep Archive Access tiers).
    pub archived_gets: u64,
    /// Lifecycle transitions applied.
    pub transitions: u64,
    /// Lifecycle expirations applied (of current versions; in a versioned bucket each adds a
    /// delete marker).
    pub expirations: u64,
    /// Versioned buckets and multipart uploads.
    pub versions: VersionStats,
    /// With `SimOptions::trace`: (key, time, from, to) of every transition, in simulation order.
    #[serde(skip)]
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
        self.missing_reads += o.missing_reads;
        self.restores += o.restores;
        self.expedited_downgraded += o.expedited_downgraded;
        self.archived_gets += o.archived_gets;
        self.transitions += o.transitions;
        self.expirations += o.expirations;
        self.versions += o.versions;
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

/// What a simulation counted of versions, delete markers and multipart uploads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VersionStats {
    /// Versions made noncurrent (by a write, a DELETE or an expiration).
    pub made_noncurrent: u64,
    /// Delete markers added (by DELETE or by lifecycle expiration).
    pub delete_markers_added: u64,
    /// Noncurrent versions permanently deleted by `NoncurrentVersionExpiration`.
    pub noncurrent_expired: u64,
    /// Noncurrent versions moved by `NoncurrentVersionTransitions`.
    pub noncurrent_transitions: u64,
    /// Versions and delete markers removed by a DELETE naming their version id.
    pub deleted_by_version_id: u64,
    /// Expired object delete markers removed by lifecycle.
    pub delete_markers_removed: u64,
    /// Requests naming a version id no simulated version had (treated as a missing key).
    pub unknown_version_ids: u64,
    /// Versions at the end of the horizon: noncurrent versions, and delete markers (current or not).
    pub noncurrent_at_end: u64,
    pub delete_markers_at_end: u64,
    /// Multipart uploads created (by CreateMultipartUpload, or first seen in a part).
    pub uploads_created: u64,
    pub uploads_completed: u64,
    /// Uploads aborted by AbortMultipartUpload, and by an `AbortIncompleteMultipartUpload` rule.
    pub uploads_aborted: u64,
    pub uploads_aborted_by_rule: u64,
    /// Uploads still open at the end of the horizon.
    pub uploads_open_at_end: u64,
    /// Parts and completions naming an upload that was aborted (S3: NoSuchUpload; no effect).
    pub requests_to_aborted_uploads: u64,
}

impl AddAssign for VersionStats {
    fn add_assign(&mut self, o: VersionStats) {
        self.made_noncurrent += o.made_noncurrent;
        self.delete_markers_added += o.delete_markers_added;
        self.noncurrent_expired += o.noncurrent_expired;
        self.noncurrent_transitions += o.noncurrent_transitions;
        self.deleted_by_version_id += o.deleted_by_version_id;
        self.delete_markers_removed += o.delete_markers_removed;
        self.unknown_version_ids += o.unknown_version_ids;
        self.noncurrent_at_end += o.noncurrent_at_end;
        self.delete_markers_at_end += o.delete_markers_at_end;
        self.uploads_created += o.uploads_created;
        self.uploads_completed += o.uploads_completed;
        self.uploads_aborted += o.uploads_aborted;
        self.uploads_aborted_by_rule += o.uploads_aborted_by_rule;
        self.uploads_open_at_end += o.uploads_open_at_end;
        self.requests_to_aborted_uploads += o.requests_to_aborted_uploads;
    }
}
