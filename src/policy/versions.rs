//! What a lifecycle configuration does to noncurrent versions, delete markers and multipart
//! uploads (versioned buckets; S3's rules in the README's "Versioned buckets" section).

use super::{Action, DEFAULT_MIN_TRANSITION_SIZE, Policy, When};
use crate::model::time::Micros;

/// A noncurrent-version action of a matching rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoncurrentAction {
    /// `NoncurrentDays` [days], counted from when the version became noncurrent.
    pub days: u32,
    /// `NewerNoncurrentVersions`: the action waits until at least this many newer noncurrent
    /// versions exist (delete markers do not count).
    pub newer: Option<u32>,
    pub action: Action,
}

impl Policy {
    /// Clears `out`, then pushes the noncurrent-version actions of every enabled rule that matches
    /// a version (its key, size and tags; a delete marker has no tags and only expires). Returns
    /// true when a transition was left out because the version is under 128 KB.
    pub fn noncurrent_actions(
        &self,
        key: &str,
        size: u64,
        tags: &[(String, String)],
        marker: bool,
        out: &mut Vec<NoncurrentAction>,
    ) -> bool {
        out.clear();
        let small = size < DEFAULT_MIN_TRANSITION_SIZE;
        let mut blocked = false;
        for rule in &self.rules {
            if !rule.enabled {
                continue;
            }
            let matches = if marker {
                key.starts_with(rule.filter.prefix.as_str()) && rule.filter.tags.is_empty()
            } else {
                rule.filter.matches(key, size, tags)
            };
            if !matches {
                continue;
            }
            if let Some(e) = rule.noncurrent_expiration {
                out.push(NoncurrentAction {
                    days: e.days,
                    newer: e.newer_noncurrent_versions,
                    action: Action::Expire,
                });
            }
            if marker {
                continue;
            }
            // The 128 KB default applies to noncurrent transitions as to current ones.
            // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
            let default_blocks = small && !rule.filter.has_size_bound();
            for t in &rule.noncurrent_transitions {
                if default_blocks && !self.default_min_size.allows_small(t.storage_class) {
                    blocked = true;
                    continue;
                }
                out.push(NoncurrentAction {
                    days: t.days,
                    newer: t.newer_noncurrent_versions,
                    action: Action::Transition(t.storage_class),
                });
            }
        }
        out.sort_unstable_by_key(|a| (a.days, a.newer, a.action.rank()));
        out.dedup();
        blocked
    }

    /// Whether a rule removes an expired object delete marker of `key` (one that is the key's
    /// only version): `ExpiredObjectDeleteMarker: true`, or an `Expiration` by `Days`, in an
    /// enabled rule whose filter a marker can match (a prefix; a marker has no tags).
    pub fn removes_expired_delete_markers(&self, key: &str) -> bool {
        self.rules.iter().any(|r| {
            r.enabled
                && r.filter.tags.is_empty()
                && key.starts_with(r.filter.prefix.as_str())
                && (r.expired_object_delete_marker || matches!(r.expiration, Some(When::Days(_))))
        })
    }

    /// When an upload of `key` initiated at `started` is aborted by an
    /// `AbortIncompleteMultipartUpload` rule: the first 00:00 UTC at or after `started` +
    /// `DaysAfterInitiation`, the earliest of the enabled rules whose prefix matches.
    pub fn abort_due(&self, key: &str, started: Micros) -> Option<Micros> {
        self.rules
            .iter()
            .filter(|r| r.enabled && key.starts_with(r.filter.prefix.as_str()))
            .filter_map(|r| r.abort_incomplete_multipart_upload_days)
            .filter_map(|d| When::Days(d).due(started))
            .min()
    }

    /// Whether any enabled rule acts on noncurrent versions or delete markers only (no effect in
    /// an unversioned bucket).
    pub fn has_version_rules(&self) -> bool {
        self.rules.iter().any(|r| {
            r.enabled
                && (r.noncurrent_expiration.is_some()
                    || !r.noncurrent_transitions.is_empty()
                    || r.expired_object_delete_marker)
        })
    }
}
