//! Lifecycle policies: the JSON `aws s3api put-bucket-lifecycle-configuration` takes, validated as
//! S3 validates it, explained one line per rule, and evaluated per object version.
//!
//! Loading is two-staged: [`raw`] mirrors the JSON field for field (unknown fields are errors),
//! [`validate`] turns it into a [`Policy`] or the first error S3 would answer with. The rest of
//! s3sim sees only [`Policy`], whose [`Policy::schedule`] lists the actions due for one object and
//! [`resolve`] picks the one S3 applies when several fall due at the same instant.
//! See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html

mod error;
mod explain;
mod raw;
mod validate;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::model::time::{DAY, ceil_midnight};
use crate::model::units::KB;
use crate::model::{Micros, StorageClass};

pub use error::{PolicyError, RuleRef, S3Code};

/// Objects smaller than this [bytes] are not transitioned by default.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
pub const DEFAULT_MIN_TRANSITION_SIZE: u64 = 128 * KB;

/// A validated lifecycle configuration, named after its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub name: String,
    pub rules: Vec<Rule>,
    pub default_min_size: DefaultMinSize,
}

/// `TransitionDefaultMinimumObjectSize`: which transitions objects under 128 KB may take.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DefaultMinSize {
    /// `all_storage_classes_128K` (S3's default since September 2024): no transition below 128 KB.
    #[default]
    AllStorageClasses128K,
    /// `varies_by_storage_class`: objects below 128 KB may go to GLACIER and DEEP_ARCHIVE only.
    VariesByStorageClass,
}

impl DefaultMinSize {
    pub fn api_name(self) -> &'static str {
        match self {
            DefaultMinSize::AllStorageClasses128K => "all_storage_classes_128K",
            DefaultMinSize::VariesByStorageClass => "varies_by_storage_class",
        }
    }

    /// Parses the exact API value (case-sensitive, as S3 does).
    pub fn parse(s: &str) -> Option<DefaultMinSize> {
        [
            DefaultMinSize::AllStorageClasses128K,
            DefaultMinSize::VariesByStorageClass,
        ]
        .into_iter()
        .find(|d| d.api_name() == s)
    }

    /// Whether an object under 128 KB may be transitioned to `to` when the rule has no size filter.
    fn allows_small(self, to: StorageClass) -> bool {
        self == DefaultMinSize::VariesByStorageClass && to.is_archive()
    }
}

/// One lifecycle rule, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `ID`; empty when the rule has none.
    pub id: String,
    /// Position in `Rules` [0-based].
    pub index: usize,
    pub enabled: bool,
    /// The rule's `Filter`, or its deprecated rule-level `Prefix` (lifecycle V1).
    pub filter: Filter,
    /// Current-version transitions, sorted by time.
    pub transitions: Vec<(When, StorageClass)>,
    /// Current-version expiration (`Days` or `Date`).
    pub expiration: Option<When>,
    /// `Expiration.ExpiredObjectDeleteMarker` (no effect in s3sim: the bucket is unversioned).
    pub expired_object_delete_marker: bool,
    /// No effect in s3sim (the bucket is unversioned).
    pub noncurrent_transitions: Vec<NoncurrentTransition>,
    /// No effect in s3sim (the bucket is unversioned).
    pub noncurrent_expiration: Option<NoncurrentExpiration>,
    /// `AbortIncompleteMultipartUpload.DaysAfterInitiation` [days] (no effect: no multipart uploads).
    pub abort_incomplete_multipart_upload_days: Option<u32>,
}

impl Rule {
    /// `rule "ID"` or `rule #n` (1-based) for messages.
    pub fn label(&self) -> String {
        if self.id.is_empty() {
            format!("rule #{}", self.index + 1)
        } else {
            format!("rule \"{}\"", self.id)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoncurrentTransition {
    /// `NoncurrentDays` [days].
    pub days: u32,
    pub storage_class: StorageClass,
    pub newer_noncurrent_versions: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoncurrentExpiration {
    /// `NoncurrentDays` [days].
    pub days: u32,
    pub newer_noncurrent_versions: Option<u32>,
}

/// When an action falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `Days` after creation [days], rounded up to the next 00:00 UTC.
    Days(u32),
    /// `Date`: 00:00 UTC of a day [µs since epoch].
    Date(Micros),
}

impl When {
    /// When the action falls due for an object created at `created`; None if beyond the time range.
    /// Days N: the first 00:00 UTC at or after `created + N days` ("rounding the resulting time to
    /// the next day midnight UTC"; an instant already at midnight stays, SPEC §4).
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
    /// Date: the date, or creation for objects created after it ("not a one-time action").
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
    #[inline]
    pub fn due(self, created: Micros) -> Option<Micros> {
        match self {
            When::Days(n) => {
                let t = created.checked_add(i64::from(n).checked_mul(DAY)?)?;
                (t <= Micros::MAX - DAY).then(|| ceil_midnight(t))
            }
            When::Date(d) => Some(d.max(created)),
        }
    }

    /// A sort key: for Days the offset [µs], for Date the instant. Only compare like with like
    /// (validation forbids mixing Days and Date in one rule).
    fn key(self) -> i128 {
        match self {
            When::Days(n) => i128::from(n) * i128::from(DAY),
            When::Date(d) => i128::from(d),
        }
    }
}

/// Which objects a rule applies to. An empty filter matches every object.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Literal key prefix (no wildcards); empty matches every key.
    pub prefix: String,
    /// Tags the object must all carry (key and value), sorted by key, keys unique.
    pub tags: Vec<(String, String)>,
    /// `ObjectSizeGreaterThan` [bytes], exclusive.
    pub size_gt: Option<u64>,
    /// `ObjectSizeLessThan` [bytes], exclusive.
    pub size_lt: Option<u64>,
}

impl Filter {
    /// Whether an object matches. `tags` are the object's tags sorted by key, keys unique.
    #[inline]
    pub fn matches(&self, key: &str, size: u64, tags: &[(String, String)]) -> bool {
        key.starts_with(self.prefix.as_str())
            && self.size_gt.is_none_or(|g| size > g)
            && self.size_lt.is_none_or(|l| size < l)
            && self.tags.iter().all(|(k, v)| {
                tags.binary_search_by(|(ok, _)| ok.as_str().cmp(k))
                    .is_ok_and(|i| tags[i].1 == *v)
            })
    }

    /// A custom size filter takes precedence over the 128 KB default.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    pub fn has_size_bound(&self) -> bool {
        self.size_gt.is_some() || self.size_lt.is_some()
    }
}

/// A lifecycle action on the current version of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Transition(StorageClass),
    Expire,
}

impl Action {
    /// Tie-break order inside one instant (only for a deterministic output order).
    fn rank(self) -> u8 {
        match self {
            Action::Expire => 0,
            Action::Transition(c) => 1 + c as u8,
        }
    }
}

/// An action and the instant it falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheduled {
    pub due: Micros,
    pub action: Action,
}

/// Options for validation.
#[derive(Default, Clone, Debug)]
pub struct ValidateOptions {
    /// Enforce the pre-2026-07-16 rule that transitions to STANDARD_IA/ONEZONE_IA need Days >= 30.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
    pub ia_min_30_days: bool,
}

impl Policy {
    /// The baseline: no rules.
    pub fn none() -> Policy {
        Policy {
            name: "none".to_string(),
            rules: Vec::new(),
            default_min_size: DefaultMinSize::default(),
        }
    }

    /// Reads and validates a lifecycle configuration; the policy is named after the file stem.
    pub fn from_file(path: &Path, opts: &ValidateOptions) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Policy::parse(&name, &path.display().to_string(), &text, opts)
    }

    /// Parses and validates a lifecycle configuration; `origin` (a path) names it in messages.
    pub fn parse(
        name: &str,
        origin: &str,
        text: &str,
        opts: &ValidateOptions,
    ) -> Result<Policy, PolicyError> {
        validate::parse(name, origin, text, opts)
    }

    /// Clears `out`, then pushes every lifecycle action due for one object version, sorted by due
    /// time (ties: expiration first, then by storage class). Duplicates from overlapping rules are
    /// removed. `tags` are the object's tags sorted by key, keys unique. Allocates nothing beyond
    /// `out`'s growth. Returns true when a matching rule's transition was left out because the
    /// object is under 128 KB (the `TransitionDefaultMinimumObjectSize` default).
    pub fn schedule(
        &self,
        key: &str,
        size: u64,
        tags: &[(String, String)],
        created: Micros,
        out: &mut Vec<Scheduled>,
    ) -> bool {
        out.clear();
        let small = size < DEFAULT_MIN_TRANSITION_SIZE;
        let mut blocked = false;
        for rule in &self.rules {
            if !rule.enabled || !rule.filter.matches(key, size, tags) {
                continue;
            }
            // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
            let default_blocks = small && !rule.filter.has_size_bound();
            for &(when, class) in &rule.transitions {
                if default_blocks && !self.default_min_size.allows_small(class) {
                    blocked = true;
                    continue;
                }
                if let Some(due) = when.due(created) {
                    out.push(Scheduled {
                        due,
                        action: Action::Transition(class),
                    });
                }
            }
            if let Some(due) = rule.expiration.and_then(|w| w.due(created)) {
                out.push(Scheduled {
                    due,
                    action: Action::Expire,
                });
            }
        }
        out.sort_unstable_by_key(|s| (s.due, s.action.rank()));
        out.dedup();
        blocked
    }

    /// One line per rule, in file order.
    pub fn explain(&self) -> Vec<String> {
        self.rules
            .iter()
            .map(|r| explain::rule_line(r, self.default_min_size))
            .collect()
    }
}

/// Among the actions due at the same instant for an object now in `current`, the one S3 applies:
/// expiration beats transition; transitions the waterfall forbids from `current` are dropped; then
/// the cheapest class wins, except INTELLIGENT_TIERING beats every class but GLACIER and DEEP_ARCHIVE.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
pub fn resolve(current: StorageClass, due: &[Action]) -> Option<Action> {
    if due.contains(&Action::Expire) {
        return Some(Action::Expire);
    }
    due.iter()
        .filter_map(|a| match *a {
            Action::Transition(c) if current.can_transition_to(c) => Some(c),
            _ => None,
        })
        .min_by_key(|&c| preference(c))
        .map(Action::Transition)
}

/// Lower wins: DEEP_ARCHIVE > GLACIER > INTELLIGENT_TIERING > GLACIER_IR > ONEZONE_IA > STANDARD_IA.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
fn preference(c: StorageClass) -> u8 {
    match c {
        StorageClass::DeepArchive => 0,
        StorageClass::Glacier => 1,
        StorageClass::IntelligentTiering => 2,
        StorageClass::GlacierIr => 3,
        StorageClass::OnezoneIa => 4,
        StorageClass::StandardIa => 5,
        StorageClass::Standard => 6,
    }
}
