//! Lifecycle policies: the JSON `aws s3api put-bucket-lifecycle-configuration` takes, validated as
//! S3 validates it, explained one line per rule, and evaluated per object version.
//!
//! Loading is two-staged: [`raw`] mirrors the JSON field for field (unknown fields are errors),
//! [`validate`] turns it into a [`Policy`] or the first error S3 would answer with. The rest of
//! s3sim sees only [`Policy`], whose [`Policy::schedule`] lists the actions due for one object and
//! [`resolve`] picks the one S3 applies when several fall due at the same instant. The simulator
//! uses an [`Evaluator`] instead: the same actions, indexed once per policy so that an object
//! matching many rules costs little more than one matching a few (issue 11, D14).
//! See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html

mod error;
mod explain;
pub mod it;
mod raw;
mod terraform;
mod validate;
mod versions;

#[cfg(test)]
mod tests;

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::model::time::{DAY, ceil_midnight};
use crate::model::units::KB;
use crate::model::{Micros, StorageClass};

pub use error::{PolicyError, RuleRef, S3Code};
pub use explain::{ActionAge, ActionOn};
pub use it::{ArchiveDays, ItConfig, ItConfigs, ItError};
pub use terraform::{resource, resource_name, terraform};
pub use validate::MAX_RULES;
pub use versions::NoncurrentAction;

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
    /// `Expiration.ExpiredObjectDeleteMarker` (acts in versioned buckets only).
    pub expired_object_delete_marker: bool,
    /// `NoncurrentVersionTransitions` (act in versioned buckets only).
    pub noncurrent_transitions: Vec<NoncurrentTransition>,
    /// `NoncurrentVersionExpiration` (acts in versioned buckets only).
    pub noncurrent_expiration: Option<NoncurrentExpiration>,
    /// `AbortIncompleteMultipartUpload.DaysAfterInitiation` [days].
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
        key.starts_with(self.prefix.as_str()) && self.matches_but_prefix(size, tags)
    }

    /// Whether an object whose key starts with the prefix matches.
    #[inline]
    fn matches_but_prefix(&self, size: u64, tags: &[(String, String)]) -> bool {
        size_and_tags_match(self.size_gt, self.size_lt, &self.tags, size, tags)
    }

    /// A custom size filter takes precedence over the 128 KB default.
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    pub fn has_size_bound(&self) -> bool {
        self.size_gt.is_some() || self.size_lt.is_some()
    }
}

/// The size bounds and tags of a filter against an object's size and tags (sorted by key).
#[inline]
fn size_and_tags_match(
    size_gt: Option<u64>,
    size_lt: Option<u64>,
    want: &[(String, String)],
    size: u64,
    tags: &[(String, String)],
) -> bool {
    size_gt.is_none_or(|g| size > g)
        && size_lt.is_none_or(|l| size < l)
        && want.iter().all(|(k, v)| {
            tags.binary_search_by(|(ok, _)| ok.as_str().cmp(k))
                .is_ok_and(|i| tags[i].1 == *v)
        })
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
        let text =
            crate::model::limits::read_bounded(path, crate::model::limits::MAX_DOCUMENT_BYTES)
                .map_err(|error| PolicyError::Io {
                    path: path.to_path_buf(),
                    error,
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
    /// `out`'s growth. The straightforward evaluation over all rules: the simulator uses
    /// [`Evaluator::schedule`], tested against this. Returns true when a matching rule's
    /// transition was left out because the object is under 128 KB (the
    /// `TransitionDefaultMinimumObjectSize` default).
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

/// One object version, as lifecycle evaluation sees it.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'t> {
    pub key: &'t str,
    /// [bytes]
    pub size: u64,
    /// The object's tags, sorted by key, keys unique.
    pub tags: &'t [(String, String)],
    pub created: Micros,
    /// The class it is written in.
    pub class: StorageClass,
}

/// Matching objects with at most this many actions among their rules take `Evaluator::gather`
/// (collect and sort them, cheap when few rules match); more take `Evaluator::walk`.
const GATHER_MAX: usize = 32;

/// Actions of one kind of time ([`When::Days`] or [`When::Date`]) that rules share: each distinct
/// (when, action), sorted by (when, rank), with the rules that have it.
#[derive(Debug, Clone, Default)]
struct ActionIndex {
    keys: Vec<IndexKey>,
    /// The keys of DEEP_ARCHIVE transitions and expirations only.
    deep_or_expire: Vec<IndexKey>,
    /// The keys of expirations only.
    expire: Vec<IndexKey>,
    /// (enabled rule, its transition is one objects under 128 KB do not take), by key.
    members: Vec<(u32, bool)>,
}

#[derive(Debug, Clone, Copy)]
struct IndexKey {
    when: When,
    action: Action,
    /// `members[start..end]`
    start: u32,
    end: u32,
}

impl IndexKey {
    fn order(&self) -> (i128, u8) {
        (self.when.key(), self.action.rank())
    }
}

impl ActionIndex {
    fn new(mut entries: Vec<(When, Action, u32, bool)>) -> ActionIndex {
        entries.sort_by_key(|&(w, a, r, _)| (w.key(), a.rank(), r));
        let mut index = ActionIndex::default();
        for (when, action, rule, small_blocked) in entries {
            match index.keys.last_mut() {
                Some(k) if k.when == when && k.action == action => k.end += 1,
                _ => {
                    let start = index.members.len() as u32;
                    index.keys.push(IndexKey {
                        when,
                        action,
                        start,
                        end: start + 1,
                    });
                }
            }
            index.members.push((rule, small_blocked));
        }
        let only = |keep: fn(Action) -> bool| -> Vec<IndexKey> {
            index
                .keys
                .iter()
                .copied()
                .filter(|k| keep(k.action))
                .collect()
        };
        index.deep_or_expire = only(|a| {
            matches!(
                a,
                Action::Expire | Action::Transition(StorageClass::DeepArchive)
            )
        });
        index.expire = only(|a| a == Action::Expire);
        index
    }
}

/// An enabled rule as [`Evaluator`] matches it once its prefix matched: its filter but the prefix.
#[derive(Debug, Clone, Copy)]
struct Candidate<'a> {
    size_gt: Option<u64>,
    size_lt: Option<u64>,
    tags: &'a [(String, String)],
    /// Position among the enabled rules.
    rule: u32,
    /// The rule's number of actions.
    actions: usize,
    /// Whether a matching object under 128 KB has a transition left out.
    blocks_small: bool,
}

/// Rules whose prefixes have one length: that length, and the rules by prefix.
type PrefixGroup<'a> = (usize, FxHashMap<Box<[u8]>, Vec<Candidate<'a>>>);

/// [`Policy::schedule`] for the simulator, whose cost does not grow with the number of rules an
/// object matches (D14 of issue 11: 1,000 overlapping rules took 17 times as long as 1,000 disjoint
/// ones, the actions of every matching rule being collected and sorted for every object).
///
/// Built once per policy: every rule's actions are indexed by (when, action), sorted, so the
/// actions due for one object are a walk over the distinct ones its matching rules share, with no
/// sort. The result leaves out what can never apply ([`Evaluator::schedule`]), so the simulator
/// also steps through fewer actions. What applies is exactly what [`Policy::schedule`] gives.
#[derive(Debug, Clone)]
pub struct Evaluator<'a> {
    policy: &'a Policy,
    /// Enabled rules in file order, each with its number of actions and whether a matching object
    /// under 128 KB has a transition left out.
    rules: Vec<(&'a Rule, usize, bool)>,
    /// Enabled rules by prefix, in groups of one prefix length, shortest first: a key can only
    /// match the prefix of a group that equals its first bytes.
    by_prefix: Vec<PrefixGroup<'a>>,
    days: ActionIndex,
    dates: ActionIndex,
    /// Bit `i` set when enabled rule `i` matches the object being scheduled.
    matched: Vec<u64>,
}

impl<'a> Evaluator<'a> {
    /// The policy it evaluates.
    pub fn policy(&self) -> &'a Policy {
        self.policy
    }

    pub fn new(policy: &'a Policy) -> Evaluator<'a> {
        let mut rules = Vec::new();
        let (mut days, mut dates) = (Vec::new(), Vec::new());
        for rule in policy.rules.iter().filter(|r| r.enabled) {
            let i = rules.len() as u32;
            let unbounded = !rule.filter.has_size_bound();
            let mut blocks_small = false;
            let mut push = |when: When, action: Action, small_blocked: bool| match when {
                When::Days(_) => days.push((when, action, i, small_blocked)),
                When::Date(_) => dates.push((when, action, i, small_blocked)),
            };
            for &(when, class) in &rule.transitions {
                let small_blocked = unbounded && !policy.default_min_size.allows_small(class);
                blocks_small |= small_blocked;
                push(when, Action::Transition(class), small_blocked);
            }
            if let Some(when) = rule.expiration {
                push(when, Action::Expire, false);
            }
            let actions = rule.transitions.len() + usize::from(rule.expiration.is_some());
            rules.push((rule, actions, blocks_small));
        }
        let mut by_prefix: Vec<PrefixGroup> = Vec::new();
        for (i, &(rule, actions, blocks_small)) in rules.iter().enumerate() {
            let prefix = rule.filter.prefix.as_bytes();
            let group = match by_prefix.binary_search_by_key(&prefix.len(), |g| g.0) {
                Ok(g) => g,
                Err(g) => {
                    by_prefix.insert(g, (prefix.len(), FxHashMap::default()));
                    g
                }
            };
            by_prefix[group]
                .1
                .entry(prefix.into())
                .or_default()
                .push(Candidate {
                    size_gt: rule.filter.size_gt,
                    size_lt: rule.filter.size_lt,
                    tags: &rule.filter.tags,
                    rule: i as u32,
                    actions,
                    blocks_small,
                });
        }
        let words = rules.len().div_ceil(64);
        Evaluator {
            policy,
            rules,
            by_prefix,
            days: ActionIndex::new(days),
            dates: ActionIndex::new(dates),
            matched: vec![0; words],
        }
    }

    /// Clears `out`, then pushes the lifecycle actions that may apply to one object version before
    /// `horizon`, sorted by due time (ties: expiration first, then by storage class), without
    /// duplicates; due times before `not_before` are moved to it (objects that predate the
    /// simulation). Returns what [`Policy::schedule`] returns.
    ///
    /// Compared with [`Policy::schedule`] (due times moved up to `not_before`), the result leaves
    /// out: actions due at or after `horizon`; actions due after the first expiration; and
    /// transitions that the object cannot take whatever happens before (see `prune`). Applying
    /// either list the way the simulator does (groups of equal due time, [`resolve`]) applies the
    /// same actions at the same instants.
    pub fn schedule(
        &mut self,
        obj: &Subject,
        not_before: Micros,
        horizon: Micros,
        out: &mut Vec<Scheduled>,
    ) -> bool {
        if self.rules.is_empty() {
            out.clear();
            return false;
        }
        let (blocked, actions) = self.match_rules(obj);
        if actions <= GATHER_MAX {
            self.gather(obj, not_before, horizon, out);
        } else {
            self.walk(obj, not_before, horizon, out);
        }
        prune(out, obj.class);
        blocked
    }

    /// Sets `matched`; returns (a transition was left out for the 128 KB minimum, the number of
    /// actions of the matching rules).
    fn match_rules(&mut self, obj: &Subject) -> (bool, usize) {
        let small = obj.size < DEFAULT_MIN_TRANSITION_SIZE;
        let mut blocked = false;
        let mut actions = 0;
        self.matched.fill(0);
        let key = obj.key.as_bytes();
        for (len, groups) in &self.by_prefix {
            let Some(rules) = key.get(..*len).and_then(|head| groups.get(head)) else {
                if *len > key.len() {
                    break;
                }
                continue;
            };
            for c in rules {
                if size_and_tags_match(c.size_gt, c.size_lt, c.tags, obj.size, obj.tags) {
                    self.matched[c.rule as usize / 64] |= 1 << (c.rule % 64);
                    blocked |= small && c.blocks_small;
                    actions += c.actions;
                }
            }
        }
        (blocked, actions)
    }

    /// The actions of the matching rules, collected rule by rule, then sorted and cut.
    fn gather(&self, obj: &Subject, not_before: Micros, horizon: Micros, out: &mut Vec<Scheduled>) {
        out.clear();
        let small = obj.size < DEFAULT_MIN_TRANSITION_SIZE;
        let mut push = |when: When, action: Action| {
            if let Some(due) = when.due(obj.created).map(|d| d.max(not_before))
                && due < horizon
            {
                out.push(Scheduled { due, action });
            }
        };
        for (i, &(rule, _, _)) in self.rules.iter().enumerate() {
            if (self.matched[i / 64] >> (i % 64)) & 1 == 0 {
                continue;
            }
            let unbounded = !rule.filter.has_size_bound();
            for &(when, class) in &rule.transitions {
                if !(small && unbounded && !self.policy.default_min_size.allows_small(class)) {
                    push(when, Action::Transition(class));
                }
            }
            if let Some(when) = rule.expiration {
                push(when, Action::Expire);
            }
        }
        finish(out, horizon);
    }

    /// The actions of the matching rules, by walks over the indexes in due order. Leaves out
    /// some transitions that cannot apply (a subset of what `prune` removes): after a GLACIER
    /// transition, every later one but to DEEP_ARCHIVE; after a DEEP_ARCHIVE transition, every
    /// later one. (Whatever the object's class, it is in GLACIER or DEEP_ARCHIVE after the first,
    /// in DEEP_ARCHIVE after the second, or expired.)
    fn walk(&self, obj: &Subject, not_before: Micros, horizon: Micros, out: &mut Vec<Scheduled>) {
        out.clear();
        let small = obj.size < DEFAULT_MIN_TRANSITION_SIZE;
        let matches = |index: &ActionIndex, k: &IndexKey| {
            index.members[k.start as usize..k.end as usize]
                .iter()
                .any(|&(r, small_blocked)| {
                    (self.matched[r as usize / 64] >> (r % 64)) & 1 == 1
                        && !(small && small_blocked)
                })
        };
        // Due times are nondecreasing along an index (Days by days, Date by date), so a walk stops
        // at the first action due at or after `end`: the horizon, or just after the first
        // expiration found.
        let mut end = horizon;
        for k in &self.dates.keys {
            if !matches(&self.dates, k) {
                continue;
            }
            let due = k
                .when
                .due(obj.created)
                .map_or(Micros::MAX, |d| d.max(not_before));
            if due >= end {
                break;
            }
            out.push(Scheduled {
                due,
                action: k.action,
            });
            if k.action == Action::Expire {
                end = due + 1;
            }
        }
        let days = &self.days;
        let (mut view, mut i) = (&days.keys, 0);
        while let Some(k) = view.get(i) {
            i += 1;
            if !matches(days, k) {
                continue;
            }
            // None: beyond the time range, and so is every later Days action.
            let Some(due) = k.when.due(obj.created).map(|d| d.max(not_before)) else {
                break;
            };
            if due >= end {
                break;
            }
            out.push(Scheduled {
                due,
                action: k.action,
            });
            let next = match k.action {
                Action::Expire => {
                    end = due + 1;
                    continue;
                }
                Action::Transition(StorageClass::DeepArchive) => &days.expire,
                Action::Transition(StorageClass::Glacier) => &days.deep_or_expire,
                Action::Transition(_) => continue,
            };
            // Later keys fall due strictly later unless due times were moved up to `not_before`;
            // keys of the same day and a higher rank (DEEP_ARCHIVE after GLACIER) are kept.
            if due > not_before {
                i = next.partition_point(|x| x.order() <= k.order());
                view = next;
            }
        }
        finish(out, end);
    }
}

/// Sorts `out` by (due, rank), removes duplicates, and cuts it at `end` and after its first
/// expiration.
fn finish(out: &mut Vec<Scheduled>, end: Micros) {
    out.sort_by_key(|s| (s.due, s.action.rank()));
    out.dedup();
    let cut = out
        .iter()
        .find(|s| s.action == Action::Expire)
        .map_or(end, |s| end.min(s.due + 1));
    let keep = out.partition_point(|s| s.due < cut);
    out.truncate(keep);
}

/// Removes from a schedule sorted by due time the actions that cannot apply to an object written
/// in `class`, whatever happens before them: everything after its first expiration, and the
/// transitions to a class below none of the classes it may be in by then. Which classes it may be
/// in follows [`resolve`] group by group (actions due at the same instant), both with and without
/// ONEZONE_IA for an INTELLIGENT_TIERING object, since the simulator drops ONEZONE_IA when such an
/// object is in its Archive Instant Access tier, which depends on its reads. [`resolve`] would have
/// dropped every transition left out, so applying either list applies the same actions.
fn prune(out: &mut Vec<Scheduled>, class: StorageClass) {
    let bit = |c: StorageClass| 1u8 << (c as u8);
    // reach[x]: the classes x can transition to.
    let reach = StorageClass::ALL.map(|x| {
        StorageClass::ALL
            .into_iter()
            .filter(|&c| x.can_transition_to(c))
            .fold(0u8, |m, c| m | bit(c))
    });
    let mut may_be = bit(class);
    let (mut read, mut write) = (0, 0);
    while read < out.len() {
        let due = out[read].due;
        let reachable = StorageClass::ALL
            .into_iter()
            .filter(|&x| may_be & bit(x) != 0)
            .fold(0u8, |m, x| m | reach[x as usize]);
        let (mut expire, mut targets) = (false, 0u8);
        while read < out.len() && out[read].due == due {
            let s = out[read];
            read += 1;
            match s.action {
                Action::Expire => expire = true,
                Action::Transition(c) if reachable & bit(c) != 0 => targets |= bit(c),
                Action::Transition(_) => continue,
            }
            out[write] = s;
            write += 1;
        }
        if expire {
            // Expiration beats every transition: the object ends here.
            break;
        }
        if targets == 0 {
            continue;
        }
        let mut next = 0u8;
        for x in StorageClass::ALL
            .into_iter()
            .filter(|&x| may_be & bit(x) != 0)
        {
            let mut outcome = |without_onezone: bool| {
                let mut due = [Action::Expire; StorageClass::COUNT];
                let mut n = 0;
                for c in StorageClass::ALL {
                    if targets & bit(c) != 0 && !(without_onezone && c == StorageClass::OnezoneIa) {
                        due[n] = Action::Transition(c);
                        n += 1;
                    }
                }
                next |= match resolve(x, &due[..n]) {
                    Some(Action::Transition(c)) => bit(c),
                    _ => bit(x),
                };
            };
            outcome(false);
            if x == StorageClass::IntelligentTiering {
                outcome(true);
            }
        }
        may_be = next;
    }
    out.truncate(write);
}
