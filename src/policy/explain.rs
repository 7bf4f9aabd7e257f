//! One line of plain English per rule, for `s3sim validate`.

use super::validate::describe_when;
use super::{DEFAULT_MIN_TRANSITION_SIZE, DefaultMinSize, Filter, Rule, When};
use crate::model::units::KB;

pub(super) fn rule_line(rule: &Rule, dms: DefaultMinSize) -> String {
    let status = if rule.enabled {
        "enabled"
    } else {
        "disabled, no effect"
    };
    let mut line = format!(
        "{} ({status}): {}: ",
        rule.label(),
        describe_filter(&rule.filter)
    );

    let mut actions: Vec<String> = rule
        .transitions
        .iter()
        .map(|&(w, c)| format!("{c} {}", describe_when(w)))
        .collect();
    if let Some(w) = rule.expiration {
        actions.push(format!("deleted {}", describe_when(w)));
    }
    if actions.is_empty() {
        line.push_str("no current-version action");
    } else {
        line.push_str(&actions.join(", "));
    }

    let mut notes = Vec::new();
    if !rule.transitions.is_empty()
        && let Some(n) = small_object_note(rule, dms)
    {
        notes.push(n);
    }
    if !rule.noncurrent_transitions.is_empty() || rule.noncurrent_expiration.is_some() {
        let mut nc: Vec<String> = rule
            .noncurrent_transitions
            .iter()
            .map(|t| {
                format!(
                    "{} {}{}",
                    t.storage_class,
                    days(t.days),
                    keep(t.newer_noncurrent_versions)
                )
            })
            .collect();
        if let Some(e) = rule.noncurrent_expiration {
            nc.push(format!(
                "deleted {}{}",
                days(e.days),
                keep(e.newer_noncurrent_versions)
            ));
        }
        notes.push(format!(
            "noncurrent versions: {} (versioned buckets only)",
            nc.join(", ")
        ));
    }
    if rule.expired_object_delete_marker {
        notes.push("removes expired delete markers (versioned buckets only)".to_string());
    }
    if let Some(d) = rule.abort_incomplete_multipart_upload_days {
        notes.push(format!("aborts incomplete multipart uploads {}", days(d)));
    }
    for n in notes {
        line.push_str("; ");
        line.push_str(&n);
    }
    line
}

fn days(n: u32) -> String {
    if n == 1 {
        "after 1 day".to_string()
    } else {
        format!("after {n} days")
    }
}

fn keep(newer: Option<u32>) -> String {
    newer
        .map(|n| format!(" (keeping the {n} newest)"))
        .unwrap_or_default()
}

/// Which of the rule's transitions the 128 KB default keeps from small objects.
/// See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
fn small_object_note(rule: &Rule, dms: DefaultMinSize) -> Option<String> {
    let f = &rule.filter;
    if f.has_size_bound() {
        let lets_small_in = f
            .size_gt
            .is_none_or(|g| g + 1 < DEFAULT_MIN_TRANSITION_SIZE);
        return lets_small_in
            .then(|| "its size filter overrides the 128 KB transition minimum".to_string());
    }
    let blocked: Vec<String> = rule
        .transitions
        .iter()
        .filter(|&&(_, c)| !dms.allows_small(c))
        .map(|(_, c)| c.to_string())
        .collect();
    if blocked.is_empty() {
        Some(format!(
            "objects under 128 KB transition too ({})",
            dms.api_name()
        ))
    } else if blocked.len() == rule.transitions.len() {
        Some(format!(
            "objects under 128 KB are not transitioned ({})",
            dms.api_name()
        ))
    } else {
        Some(format!(
            "objects under 128 KB are not transitioned to {} ({})",
            blocked.join(" or "),
            dms.api_name()
        ))
    }
}

fn describe_filter(f: &Filter) -> String {
    let mut s = if f.prefix.is_empty() {
        "all objects".to_string()
    } else {
        format!("{}*", f.prefix)
    };
    if !f.tags.is_empty() {
        let tags: Vec<String> = f.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(" tagged ");
        s.push_str(&tags.join(" and "));
    }
    if let Some(g) = f.size_gt {
        s.push_str(" larger than ");
        s.push_str(&human_size(g));
    }
    match (f.size_gt, f.size_lt) {
        (Some(_), Some(l)) => {
            s.push_str(" and smaller than ");
            s.push_str(&human_size(l));
        }
        (None, Some(l)) => {
            s.push_str(" smaller than ");
            s.push_str(&human_size(l));
        }
        _ => {}
    }
    s
}

/// Bytes in the largest binary unit that divides them exactly (`128 KB`, `5 TB`), else in bytes.
pub(super) fn human_size(b: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (KB * KB * KB * KB * KB, "PB"),
        (KB * KB * KB * KB, "TB"),
        (KB * KB * KB, "GB"),
        (KB * KB, "MB"),
        (KB, "KB"),
    ];
    for (unit, name) in UNITS {
        if b >= unit && b.is_multiple_of(unit) {
            return format!("{} {name}", b / unit);
        }
    }
    if b == 1 {
        "1 byte".to_string()
    } else {
        format!("{b} bytes")
    }
}

/// What kind of thing an action acts on, for the report's period checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ActionOn {
    /// Current versions (`Transition`, `Expiration`).
    Current,
    /// Noncurrent versions (`NoncurrentVersionTransition`, `NoncurrentVersionExpiration`): the
    /// age counts from when a version became noncurrent, so only versioned buckets see them.
    Noncurrent,
    /// `AbortIncompleteMultipartUpload`: the age counts from the upload's initiation.
    Uploads,
}

/// One dated action of an enabled rule: what it does and when it falls due for an object (or
/// version, or upload) whose age starts at some instant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionAge {
    /// As people read it: `rule "logs": Expiration after 365 days`.
    pub label: String,
    pub when: When,
    pub on: ActionOn,
    /// A transition into INTELLIGENT_TIERING, whose own tiers move objects later still.
    pub to_intelligent_tiering: bool,
}

impl super::Policy {
    /// Every dated action of the enabled rules, in file order (`ExpiredObjectDeleteMarker` has no
    /// age and is left out).
    pub fn action_ages(&self) -> Vec<ActionAge> {
        let mut out = Vec::new();
        for r in self.rules.iter().filter(|r| r.enabled) {
            let label =
                |what: String, w: When| format!("{}: {what} {}", r.label(), describe_when(w));
            for &(w, c) in &r.transitions {
                out.push(ActionAge {
                    label: label(format!("Transition to {c}"), w),
                    when: w,
                    on: ActionOn::Current,
                    to_intelligent_tiering: c == crate::model::StorageClass::IntelligentTiering,
                });
            }
            if let Some(w) = r.expiration {
                out.push(ActionAge {
                    label: label("Expiration".into(), w),
                    when: w,
                    on: ActionOn::Current,
                    to_intelligent_tiering: false,
                });
            }
            for t in &r.noncurrent_transitions {
                let w = When::Days(t.days);
                out.push(ActionAge {
                    label: label(
                        format!("NoncurrentVersionTransition to {}", t.storage_class),
                        w,
                    ),
                    when: w,
                    on: ActionOn::Noncurrent,
                    to_intelligent_tiering: t.storage_class
                        == crate::model::StorageClass::IntelligentTiering,
                });
            }
            if let Some(e) = r.noncurrent_expiration {
                let w = When::Days(e.days);
                out.push(ActionAge {
                    label: label("NoncurrentVersionExpiration".into(), w),
                    when: w,
                    on: ActionOn::Noncurrent,
                    to_intelligent_tiering: false,
                });
            }
            if let Some(d) = r.abort_incomplete_multipart_upload_days {
                let w = When::Days(d);
                out.push(ActionAge {
                    label: label("AbortIncompleteMultipartUpload".into(), w),
                    when: w,
                    on: ActionOn::Uploads,
                    to_intelligent_tiering: false,
                });
            }
        }
        out
    }
}
