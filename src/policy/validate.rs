//! Raw lifecycle JSON -> [`Policy`], rejecting what S3 rejects. Where S3's answer is on record
//! (S3_FACTS.md §4.7) the message is S3's, word for word; elsewhere it is ours, and says what to fix.
//! The first error found is returned.

use std::collections::HashMap;

use super::error::{PolicyError, RuleRef, S3Code};
use super::raw;
use super::{
    DefaultMinSize, Filter, NoncurrentExpiration, NoncurrentTransition, Policy, Rule,
    ValidateOptions, When,
};
use crate::model::rules::min_storage_duration;
use crate::model::time::{DAY, parse_date, parse_timestamp};
use crate::model::{Micros, StorageClass};

/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
pub const MAX_RULES: usize = 1000;
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
const MAX_ID_LEN: usize = 255;
/// Upper bound S3 states for size filters [bytes] ("should be between 1 and 1099511627776000").
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
const MAX_SIZE_FILTER: i64 = 1_099_511_627_776_000;
/// Tag key and value lengths [characters].
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;
/// `NewerNoncurrentVersions` upper bound.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
const MAX_NEWER_VERSIONS: i64 = 100;

struct Ctx<'a> {
    origin: &'a str,
    opts: &'a ValidateOptions,
}

impl Ctx<'_> {
    fn config_err(&self, field: &str, code: S3Code, message: impl Into<String>) -> PolicyError {
        PolicyError::Invalid {
            origin: self.origin.to_string(),
            rule: None,
            field: field.to_string(),
            code,
            message: crate::model::limits::cut_message(&message.into()),
        }
    }
}

/// The rule being validated, to build errors that name it.
struct RuleCtx<'a> {
    ctx: &'a Ctx<'a>,
    rule: RuleRef,
}

impl RuleCtx<'_> {
    fn err(
        &self,
        field: impl Into<String>,
        code: S3Code,
        message: impl Into<String>,
    ) -> PolicyError {
        PolicyError::Invalid {
            origin: self.ctx.origin.to_string(),
            rule: Some(self.rule.clone()),
            field: field.into(),
            code,
            message: crate::model::limits::cut_message(&message.into()),
        }
    }
}

/// Lifecycle V1 (rule-level `Prefix`) or V2 (`Filter`); one configuration cannot mix them.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V1,
    V2,
}

/// The path (`Rules[0].Filter.And`) of the first `null` in a JSON document, if any.
fn first_null(v: &serde_json::Value, at: String) -> Option<String> {
    match v {
        serde_json::Value::Null => Some(if at.is_empty() {
            "(the document)".into()
        } else {
            at
        }),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| first_null(x, format!("{at}[{i}]"))),
        serde_json::Value::Object(o) => o.iter().find_map(|(k, x)| {
            let name = crate::model::limits::excerpt(k);
            first_null(
                x,
                if at.is_empty() {
                    name
                } else {
                    format!("{at}.{name}")
                },
            )
        }),
        _ => None,
    }
}

pub(super) fn parse(
    name: &str,
    origin: &str,
    text: &str,
    opts: &ValidateOptions,
) -> Result<Policy, PolicyError> {
    let top: raw::Top =
        serde_json::from_str(text).map_err(|e| PolicyError::from_json(origin, e))?;
    let ctx = Ctx { origin, opts };
    // serde reads `null` as an absent field (`"And": null` would become "all objects"); the AWS
    // CLI refuses null for every lifecycle field, and so does s3sim.
    if let Some(at) = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| first_null(&v, String::new()))
    {
        return Err(ctx.config_err(
            &at,
            S3Code::MalformedXML,
            "null is not a value S3 takes: leave the field out instead",
        ));
    }
    let (rules, dms) = match top.wrapped {
        Some(inner) => {
            if top.rules.is_some() || top.default_min_size.is_some() {
                return Err(ctx.config_err(
                    "LifecycleConfiguration",
                    S3Code::MalformedXML,
                    "give either {\"Rules\": [...]} or {\"LifecycleConfiguration\": {\"Rules\": [...]}}, not both",
                ));
            }
            (inner.rules, inner.default_min_size)
        }
        None => (top.rules, top.default_min_size),
    };

    // See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
    let default_min_size = match dms {
        None => DefaultMinSize::default(),
        Some(s) => DefaultMinSize::parse(&s).ok_or_else(|| {
            ctx.config_err(
                "TransitionDefaultMinimumObjectSize",
                S3Code::InvalidRequest,
                format!(
                    "Invalid TransitionDefaultMinimumObjectSize found: {s} \
                     (use all_storage_classes_128K or varies_by_storage_class)"
                ),
            )
        })?,
    };

    // See: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
    let raw_rules = rules.unwrap_or_default();
    if raw_rules.is_empty() {
        return Err(ctx.config_err(
            "Rules",
            S3Code::InvalidRequest,
            "At least one lifecycle rule must be specified.",
        ));
    }
    if raw_rules.len() > MAX_RULES {
        return Err(ctx.config_err(
            "Rules",
            S3Code::InvalidRequest,
            format!(
                "The number of lifecycle rules must not exceed the allowed limit of 1000 rules. (found {})",
                raw_rules.len()
            ),
        ));
    }

    let mut version: Option<(Version, usize)> = None;
    let mut rules = Vec::with_capacity(raw_rules.len());
    let mut v1_prefixes = Vec::new();
    for (index, r) in raw_rules.iter().enumerate() {
        let rc = RuleCtx {
            ctx: &ctx,
            rule: RuleRef {
                index,
                id: r.id.clone().filter(|s| !s.is_empty()),
            },
        };
        let rule = rule(&rc, index, r, &mut version)?;
        if version.is_some_and(|(v, _)| v == Version::V1) {
            v1_prefixes.push((index, rule.filter.prefix.clone(), action_types(r)));
        }
        rules.push(rule);
    }

    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for rule in &rules {
        if rule.id.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(rule.id.as_str(), rule.index) {
            return Err(RuleCtx {
                ctx: &ctx,
                rule: RuleRef {
                    index: rule.index,
                    id: Some(rule.id.clone()),
                },
            }
            .err(
                "ID",
                S3Code::InvalidArgument,
                format!(
                    "Rule ID must be unique. Found same ID for more than one rule (also rule #{})",
                    first + 1
                ),
            ));
        }
    }

    // Lifecycle V1: two rules whose prefixes overlap cannot share an action type.
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
    for (i, (ai, ap, at)) in v1_prefixes.iter().enumerate() {
        for (bi, bp, bt) in &v1_prefixes[i + 1..] {
            if !(ap.starts_with(bp.as_str()) || bp.starts_with(ap.as_str())) {
                continue;
            }
            if let Some(t) = at.iter().find(|t| bt.contains(t)) {
                let r = &raw_rules[*bi];
                let rc = RuleCtx {
                    ctx: &ctx,
                    rule: RuleRef {
                        index: *bi,
                        id: r.id.clone().filter(|s| !s.is_empty()),
                    },
                };
                return Err(rc.err(
                    "Prefix",
                    S3Code::InvalidRequest,
                    format!("Found overlapping prefixes '{ap}' and '{bp}' for same action type '{t}' (with rule #{})", ai + 1),
                ));
            }
        }
    }

    Ok(Policy {
        name: name.to_string(),
        rules,
        default_min_size,
    })
}

fn action_types(r: &raw::Rule) -> Vec<&'static str> {
    let mut v = Vec::new();
    if r.expiration.is_some() {
        v.push("Expiration");
    }
    if r.transitions.as_ref().is_some_and(|t| !t.is_empty()) {
        v.push("Transition");
    }
    if r.noncurrent_version_expiration.is_some() {
        v.push("NoncurrentVersionExpiration");
    }
    if r.noncurrent_version_transitions
        .as_ref()
        .is_some_and(|t| !t.is_empty())
    {
        v.push("NoncurrentVersionTransition");
    }
    if r.abort_incomplete_multipart_upload.is_some() {
        v.push("AbortIncompleteMultipartUpload");
    }
    v
}

fn rule(
    rc: &RuleCtx,
    index: usize,
    r: &raw::Rule,
    version: &mut Option<(Version, usize)>,
) -> Result<Rule, PolicyError> {
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
    let id = r.id.clone().unwrap_or_default();
    if id.chars().count() > MAX_ID_LEN {
        return Err(rc.err(
            "ID",
            S3Code::InvalidArgument,
            format!(
                "ID length should not exceed allowed limit of 255 (found {})",
                id.chars().count()
            ),
        ));
    }

    // Status is case-sensitive ("enabled" is MalformedXML).
    // See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
    let enabled = match r.status.as_deref() {
        Some("Enabled") => true,
        Some("Disabled") => false,
        Some(s) => {
            return Err(rc.err(
                "Status",
                S3Code::MalformedXML,
                format!("Status must be exactly \"Enabled\" or \"Disabled\" (case-sensitive); found \"{s}\""),
            ));
        }
        None => {
            return Err(rc.err(
                "Status",
                S3Code::MalformedXML,
                "Status is required: \"Enabled\" or \"Disabled\"",
            ));
        }
    };

    let filter = rule_filter(rc, index, r, version)?;
    let is_v1 = r.filter.is_none();

    let transitions = r.transitions.as_deref().unwrap_or_default();
    let nc_transitions = r
        .noncurrent_version_transitions
        .as_deref()
        .unwrap_or_default();
    // See: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
    if transitions.is_empty()
        && r.expiration.is_none()
        && nc_transitions.is_empty()
        && r.noncurrent_version_expiration.is_none()
        && r.abort_incomplete_multipart_upload.is_none()
    {
        return Err(rc.err(
            "Transitions/Expiration/NoncurrentVersion*/AbortIncompleteMultipartUpload",
            S3Code::InvalidRequest,
            "At least one action needs to be specified in a rule",
        ));
    }
    let filter_desc = format!("(prefix={})", filter.prefix);

    // Current-version transitions, with their position in the file for messages.
    let mut ts: Vec<(usize, When, StorageClass)> = Vec::with_capacity(transitions.len());
    for (i, t) in transitions.iter().enumerate() {
        let path = format!("Transitions[{i}]");
        let class = storage_class(rc, &path, t.storage_class.as_deref())?;
        let when = when(rc, &path, "Transition", t.days, t.date.as_deref(), true)?;
        // Pre-2026-07-16 rule, opt-in.
        // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
        if let When::Days(d) = when
            && rc.ctx.opts.ia_min_30_days
            && matches!(class, StorageClass::StandardIa | StorageClass::OnezoneIa)
            && d < 30
        {
            return Err(rc.err(
                format!("{path}.Days"),
                S3Code::InvalidArgument,
                format!("'Days' in Transition action must be greater than or equal to 30 for storageClass '{class}'"),
            ));
        }
        if let Some((j, _, _)) = ts.iter().find(|(_, _, c)| *c == class) {
            return Err(rc.err(
                format!("{path}.StorageClass"),
                S3Code::InvalidArgument,
                format!(
                    "'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter \
                     '{filter_desc}' ({class} also in Transitions[{j}])"
                ),
            ));
        }
        ts.push((i, when, class));
    }

    // Expiration.
    let mut expiration = None;
    let mut eodm = false;
    if let Some(e) = &r.expiration {
        if let Some(flag) = e.expired_object_delete_marker {
            // See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
            if e.days.is_some() || e.date.is_some() {
                return Err(rc.err(
                    "Expiration.ExpiredObjectDeleteMarker",
                    S3Code::MalformedXML,
                    "ExpiredObjectDeleteMarker cannot be specified with Days or Date",
                ));
            }
            // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
            if !filter.tags.is_empty() {
                return Err(rc.err(
                    "Expiration.ExpiredObjectDeleteMarker",
                    S3Code::InvalidRequest,
                    "ExpiredObjectDeleteMarker cannot be specified with Tags.",
                ));
            }
            if filter.has_size_bound() {
                return Err(rc.err(
                    "Expiration.ExpiredObjectDeleteMarker",
                    S3Code::InvalidRequest,
                    "ExpiredObjectDeleteMarker cannot be specified with Object Size.",
                ));
            }
            eodm = flag;
        } else {
            let w = when(
                rc,
                "Expiration",
                "Expiration",
                e.days,
                e.date.as_deref(),
                false,
            )?;
            expiration = Some(w);
        }
    }

    // "you can't use both Date and Days in the same rule".
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
    let mut kinds = ts
        .iter()
        .map(|&(i, w, _)| (format!("Transitions[{i}]"), w))
        .chain(expiration.map(|w| ("Expiration".to_string(), w)));
    if let Some((_, first)) = kinds.next() {
        let first_is_days = matches!(first, When::Days(_));
        if let Some((path, w)) = kinds.find(|(_, w)| matches!(w, When::Days(_)) != first_is_days) {
            let field = if matches!(w, When::Days(_)) {
                "Days"
            } else {
                "Date"
            };
            return Err(rc.err(
                format!("{path}.{field}"),
                S3Code::InvalidArgument,
                format!(
                    "Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule \
                     for filter '{filter_desc}'"
                ),
            ));
        }
    }

    // Order by time; then each step must go down the waterfall and wait the minimum storage
    // duration of the class it leaves.
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    ts.sort_by_key(|&(_, w, _)| w.key());
    for pair in ts.windows(2) {
        let (pi, pw, pc) = pair[0];
        let (ni, nw, nc) = pair[1];
        let field = format!("Transitions[{ni}]");
        if pw.key() == nw.key() {
            return Err(rc.err(
                format!("{field}.{}", when_field(nw)),
                S3Code::InvalidArgument,
                format!(
                    "Transitions[{pi}] ({pc}) and Transitions[{ni}] ({nc}) fall due at the same time ({}); \
                     an object takes one lifecycle action per day, so give them different times",
                    describe_when(nw)
                ),
            ));
        }
        if !pc.can_transition_to(nc) {
            return Err(rc.err(
                format!("{field}.StorageClass"),
                S3Code::InvalidArgument,
                format!(
                    "cannot transition from {pc} (Transitions[{pi}], {}) to {nc} ({}): lifecycle transitions \
                     only move down the waterfall {}",
                    describe_when(pw),
                    describe_when(nw),
                    StorageClass::waterfall()
                ),
            ));
        }
        let gap_days = (nw.key() - pw.key()) / i128::from(DAY);
        let min = i128::from(min_storage_duration(pc) / DAY);
        if gap_days < min {
            return Err(rc.err(
                format!("{field}.{}", when_field(nw)),
                S3Code::InvalidArgument,
                format!(
                    "the {nc} transition ({}) comes {gap_days} days after the {pc} transition \
                     (Transitions[{pi}], {}); within one rule it must come at least {min} days later, \
                     the minimum storage duration of {pc}",
                    describe_when(nw),
                    describe_when(pw)
                ),
            ));
        }
    }

    // Expiration must come after every transition of the rule.
    // See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
    if let (Some(exp), Some(&(li, lw, lc))) = (expiration, ts.last())
        && exp.key() <= lw.key()
    {
        let message = match exp {
            When::Days(_) => format!(
                "'Days' in the expiration action must be a non-zero positive integer greater than that in \
                 the transition action. (Transitions[{li}] to {lc} is {})",
                describe_when(lw)
            ),
            When::Date(_) => format!(
                "'Date' in the expiration action must be later than every 'Date' in the transition actions \
                 (Transitions[{li}] to {lc} is {})",
                describe_when(lw)
            ),
        };
        return Err(rc.err(
            format!("Expiration.{}", when_field(exp)),
            S3Code::InvalidArgument,
            message,
        ));
    }

    // Noncurrent-version actions: validated, no effect in s3sim.
    let mut noncurrent_transitions: Vec<NoncurrentTransition> =
        Vec::with_capacity(nc_transitions.len());
    for (i, t) in nc_transitions.iter().enumerate() {
        let path = format!("NoncurrentVersionTransitions[{i}]");
        let class = storage_class(rc, &path, t.storage_class.as_deref())?;
        let days = days_field(
            rc,
            &format!("{path}.NoncurrentDays"),
            t.noncurrent_days,
            0,
            "NoncurrentVersionTransition",
        )?;
        if rc.ctx.opts.ia_min_30_days
            && matches!(class, StorageClass::StandardIa | StorageClass::OnezoneIa)
            && days < 30
        {
            return Err(rc.err(
                format!("{path}.NoncurrentDays"),
                S3Code::InvalidArgument,
                format!(
                    "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 \
                     for storageClass '{class}'"
                ),
            ));
        }
        if let Some(j) = noncurrent_transitions
            .iter()
            .position(|n| n.storage_class == class)
        {
            return Err(rc.err(
                format!("{path}.StorageClass"),
                S3Code::InvalidArgument,
                format!(
                    "'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' \
                     with filter '{filter_desc}' ({class} also in NoncurrentVersionTransitions[{j}])"
                ),
            ));
        }
        let newer = newer_versions(rc, &path, t.newer_noncurrent_versions, is_v1)?;
        noncurrent_transitions.push(NoncurrentTransition {
            days,
            storage_class: class,
            newer_noncurrent_versions: newer,
        });
    }
    noncurrent_transitions.sort_by_key(|n| n.days);

    let noncurrent_expiration = match &r.noncurrent_version_expiration {
        None => None,
        Some(e) => {
            let path = "NoncurrentVersionExpiration";
            let days = days_field(
                rc,
                &format!("{path}.NoncurrentDays"),
                e.noncurrent_days,
                1,
                "NoncurrentVersionExpiration",
            )?;
            let newer = newer_versions(rc, path, e.newer_noncurrent_versions, is_v1)?;
            Some(NoncurrentExpiration {
                days,
                newer_noncurrent_versions: newer,
            })
        }
    };

    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
    let abort_days = match &r.abort_incomplete_multipart_upload {
        None => None,
        Some(a) => {
            let path = "AbortIncompleteMultipartUpload";
            if !filter.tags.is_empty() {
                return Err(rc.err(
                    path,
                    S3Code::InvalidRequest,
                    "AbortIncompleteMultipartUpload cannot be specified with Tags.",
                ));
            }
            if filter.has_size_bound() {
                return Err(rc.err(
                    path,
                    S3Code::InvalidRequest,
                    "AbortIncompleteMultipartUpload cannot be specified with Object Size.",
                ));
            }
            Some(days_field(
                rc,
                &format!("{path}.DaysAfterInitiation"),
                a.days_after_initiation,
                1,
                "AbortIncompleteMultipartUpload",
            )?)
        }
    };

    Ok(Rule {
        id,
        index,
        enabled,
        filter,
        transitions: ts.into_iter().map(|(_, w, c)| (w, c)).collect(),
        expiration,
        expired_object_delete_marker: eodm,
        noncurrent_transitions,
        noncurrent_expiration,
        abort_incomplete_multipart_upload_days: abort_days,
    })
}

/// The rule's filter: `Filter` (V2) or rule-level `Prefix` (V1), never both, and one kind per configuration.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
fn rule_filter(
    rc: &RuleCtx,
    index: usize,
    r: &raw::Rule,
    version: &mut Option<(Version, usize)>,
) -> Result<Filter, PolicyError> {
    let this = match (&r.filter, &r.prefix) {
        (Some(_), Some(_)) => {
            return Err(rc.err(
                "Prefix",
                S3Code::InvalidRequest,
                "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter.",
            ));
        }
        (None, None) => {
            return Err(rc.err(
                "Filter",
                S3Code::MalformedXML,
                "a rule needs a Filter (or the deprecated rule-level Prefix); \
                 to match every object use \"Filter\": {\"Prefix\": \"\"}",
            ));
        }
        (Some(_), None) => Version::V2,
        (None, Some(_)) => Version::V1,
    };
    match *version {
        None => *version = Some((this, index)),
        Some((Version::V2, first)) if this == Version::V1 => {
            return Err(rc.err(
                "Prefix",
                S3Code::InvalidRequest,
                format!(
                    "Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter. \
                     (rule #{} uses Filter; move this Prefix into \"Filter\": {{\"Prefix\": ...}})",
                    first + 1
                ),
            ));
        }
        Some((Version::V1, first)) if this == Version::V2 => {
            return Err(rc.err(
                "Filter",
                S3Code::InvalidRequest,
                format!(
                    "Filter element can only be used in Lifecycle V2. (rule #{} uses the rule-level Prefix of \
                     Lifecycle V1; use Filter in every rule)",
                    first + 1
                ),
            ));
        }
        Some(_) => {}
    }

    let Some(f) = &r.filter else {
        return Ok(Filter {
            prefix: r.prefix.clone().unwrap_or_default(),
            ..Filter::default()
        });
    };
    let mut present = Vec::new();
    if f.prefix.is_some() {
        present.push("Prefix");
    }
    if f.tag.is_some() {
        present.push("Tag");
    }
    if f.object_size_greater_than.is_some() {
        present.push("ObjectSizeGreaterThan");
    }
    if f.object_size_less_than.is_some() {
        present.push("ObjectSizeLessThan");
    }
    if f.and.is_some() {
        present.push("And");
    }
    // An empty Filter matches every object, as S3 accepts it.
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
    if present.len() > 1 {
        return Err(rc.err(
            "Filter",
            S3Code::MalformedXML,
            format!(
                "Filter must hold exactly one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan or And; \
                 found {}: combine them inside \"And\"",
                present.join(" and ")
            ),
        ));
    }

    let mut out = Filter::default();
    let (prefix, tags, gt, lt, base): (Option<&String>, Vec<(String, &raw::Tag)>, _, _, &str) =
        match &f.and {
            Some(a) => {
                if a.prefix.is_none()
                    && a.tags.as_ref().is_none_or(|t| t.is_empty())
                    && a.object_size_greater_than.is_none()
                    && a.object_size_less_than.is_none()
                {
                    return Err(rc.err(
                    "Filter.And",
                    S3Code::MalformedXML,
                    "And must combine predicates: Prefix, Tags, ObjectSizeGreaterThan and/or ObjectSizeLessThan",
                ));
                }
                let tags = a
                    .tags
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, t)| (format!("Filter.And.Tags[{i}]"), t))
                    .collect();
                (
                    a.prefix.as_ref(),
                    tags,
                    a.object_size_greater_than,
                    a.object_size_less_than,
                    "Filter.And",
                )
            }
            None => {
                let tags = f
                    .tag
                    .iter()
                    .map(|t| ("Filter.Tag".to_string(), t))
                    .collect();
                (
                    f.prefix.as_ref(),
                    tags,
                    f.object_size_greater_than,
                    f.object_size_less_than,
                    "Filter",
                )
            }
        };
    out.prefix = prefix.cloned().unwrap_or_default();

    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
    for (path, t) in tags {
        let klen = t.key.chars().count();
        if klen == 0 || klen > MAX_TAG_KEY {
            return Err(rc.err(
                format!("{path}.Key"),
                S3Code::InvalidArgument,
                format!("a tag key must be 1 to {MAX_TAG_KEY} characters (found {klen})"),
            ));
        }
        if t.value.chars().count() > MAX_TAG_VALUE {
            return Err(rc.err(
                format!("{path}.Value"),
                S3Code::InvalidArgument,
                format!("a tag value must be at most {MAX_TAG_VALUE} characters"),
            ));
        }
        if out.tags.iter().any(|(k, _)| *k == t.key) {
            return Err(rc.err(
                format!("{path}.Key"),
                S3Code::InvalidRequest,
                format!("Duplicate Tag Keys are not allowed. (key \"{}\")", t.key),
            ));
        }
        out.tags.push((t.key.clone(), t.value.clone()));
    }
    out.tags.sort();

    // Size bounds are exclusive; GreaterThan must be below LessThan.
    // See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-filters.html
    if let Some(g) = gt {
        if !(0..MAX_SIZE_FILTER).contains(&g) {
            return Err(rc.err(
                format!("{base}.ObjectSizeGreaterThan"),
                S3Code::InvalidRequest,
                format!(
                    "'ObjectSizeGreaterThan' should be between 0 and {} (found {g}).",
                    MAX_SIZE_FILTER - 1
                ),
            ));
        }
        out.size_gt = Some(g as u64);
    }
    if let Some(l) = lt {
        if !(1..=MAX_SIZE_FILTER).contains(&l) {
            return Err(rc.err(
                format!("{base}.ObjectSizeLessThan"),
                S3Code::InvalidRequest,
                format!(
                    "'ObjectSizeLessThan' should be between 1 and {MAX_SIZE_FILTER}. (found {l})"
                ),
            ));
        }
        out.size_lt = Some(l as u64);
    }
    if let (Some(g), Some(l)) = (out.size_gt, out.size_lt)
        && g >= l
    {
        return Err(rc.err(
            format!("{base}.ObjectSizeLessThan"),
            S3Code::InvalidRequest,
            format!("'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'. (found {l} <= {g})"),
        ));
    }
    Ok(out)
}

/// The classes a `Transition` may name, for a message.
fn transition_classes() -> String {
    StorageClass::names_or(StorageClass::transition_targets())
}

/// A transition `StorageClass`: one of `TransitionStorageClass`, spelled exactly.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
fn storage_class(rc: &RuleCtx, path: &str, s: Option<&str>) -> Result<StorageClass, PolicyError> {
    let field = format!("{path}.StorageClass");
    let Some(s) = s else {
        return Err(rc.err(
            field,
            S3Code::MalformedXML,
            format!("StorageClass is required (one of {})", transition_classes()),
        ));
    };
    match StorageClass::parse(s) {
        Some(c) if c.is_transition_target() && c.api_name() == s => Ok(c),
        _ => Err(rc.err(
            field,
            S3Code::MalformedXML,
            format!(
                "'{s}' is not a lifecycle transition storage class; use one of {}",
                transition_classes()
            ),
        )),
    }
}

/// `Days` xor `Date` of a Transition or Expiration. Transition Days may be 0; Expiration Days may not.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
fn when(
    rc: &RuleCtx,
    path: &str,
    action: &str,
    days: Option<i64>,
    date: Option<&str>,
    zero_ok: bool,
) -> Result<When, PolicyError> {
    match (days, date) {
        (Some(_), Some(_)) => Err(rc.err(
            format!("{path}.Date"),
            S3Code::MalformedXML,
            format!("{action} takes either Days or Date, not both"),
        )),
        (None, None) => Err(rc.err(
            path.to_string(),
            S3Code::MalformedXML,
            if action == "Expiration" {
                "Expiration needs one of Days, Date or ExpiredObjectDeleteMarker".to_string()
            } else {
                format!("{action} needs Days or Date")
            },
        )),
        (Some(d), None) => {
            let field = format!("{path}.Days");
            if zero_ok {
                if !(0..=i64::from(i32::MAX)).contains(&d) {
                    return Err(rc.err(
                        field,
                        S3Code::InvalidArgument,
                        format!(
                            "'Days' in {action} action must be 0 or a positive integer (found {d})"
                        ),
                    ));
                }
            } else if !(1..=i64::from(i32::MAX)).contains(&d) {
                return Err(rc.err(
                    field,
                    S3Code::InvalidArgument,
                    format!("'Days' for {action} action must be a positive integer (found {d})"),
                ));
            }
            Ok(When::Days(d as u32))
        }
        (None, Some(s)) => Ok(When::Date(date_at_midnight(
            rc,
            &format!("{path}.Date"),
            s,
        )?)),
    }
}

/// An ISO 8601 date (`2026-01-01T00:00:00Z`, `2026-01-01T00:00:00.000Z`, `2026-01-01`) at 00:00 UTC.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
fn date_at_midnight(rc: &RuleCtx, field: &str, s: &str) -> Result<Micros, PolicyError> {
    let b = s.as_bytes();
    let t = if b.len() == 10 {
        parse_date(s)
    } else if b.len() > 10 && b[4] == b'-' && matches!(b[10], b'T' | b't') {
        parse_timestamp(s)
    } else {
        None
    };
    let Some(t) = t else {
        return Err(rc.err(
            field,
            S3Code::MalformedXML,
            format!("'{s}' is not an ISO 8601 date; write it like 2026-01-01T00:00:00Z"),
        ));
    };
    if t.rem_euclid(DAY) != 0 {
        return Err(rc.err(
            field,
            S3Code::InvalidArgument,
            format!("'Date' must be at midnight GMT (found {s})"),
        ));
    }
    Ok(t)
}

/// A required day count with a lower bound (0 or 1) and S3's int32 upper bound.
fn days_field(
    rc: &RuleCtx,
    field: &str,
    v: Option<i64>,
    min: i64,
    action: &str,
) -> Result<u32, PolicyError> {
    let name = field.rsplit('.').next().unwrap_or(field);
    let Some(v) = v else {
        return Err(rc.err(
            field,
            S3Code::MalformedXML,
            format!("{action} needs '{name}'"),
        ));
    };
    if !(min..=i64::from(i32::MAX)).contains(&v) {
        let what = if min == 0 {
            "0 or a positive integer"
        } else {
            "a positive integer"
        };
        return Err(rc.err(
            field,
            S3Code::InvalidArgument,
            format!("'{name}' for {action} action must be {what}"),
        ));
    }
    Ok(v as u32)
}

/// `NewerNoncurrentVersions`: 1 to 100, lifecycle V2 only.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
fn newer_versions(
    rc: &RuleCtx,
    path: &str,
    v: Option<i64>,
    is_v1: bool,
) -> Result<Option<u32>, PolicyError> {
    let Some(n) = v else { return Ok(None) };
    let field = format!("{path}.NewerNoncurrentVersions");
    if is_v1 {
        return Err(rc.err(
            field,
            S3Code::InvalidRequest,
            "NewerNoncurrentVersions element can only be used in Lifecycle V2.",
        ));
    }
    if !(1..=MAX_NEWER_VERSIONS).contains(&n) {
        return Err(rc.err(
            field,
            S3Code::InvalidArgument,
            format!(
                "'NewerNoncurrentVersions' must be between 1 and {MAX_NEWER_VERSIONS} (found {n})"
            ),
        ));
    }
    Ok(Some(n as u32))
}

fn when_field(w: When) -> &'static str {
    match w {
        When::Days(_) => "Days",
        When::Date(_) => "Date",
    }
}

pub(super) fn describe_when(w: When) -> String {
    match w {
        When::Days(1) => "after 1 day".to_string(),
        When::Days(n) => format!("after {n} days"),
        When::Date(d) => format!(
            "on {}",
            crate::model::time::to_datetime(d).format("%Y-%m-%d")
        ),
    }
}
