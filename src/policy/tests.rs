use super::*;
use crate::model::time::{date_micros, parse_timestamp};
use StorageClass::*;

fn t(s: &str) -> Micros {
    parse_timestamp(s).unwrap()
}

fn parse_with(text: &str, opts: &ValidateOptions) -> Result<Policy, PolicyError> {
    Policy::parse("test", "policies/test.json", text, opts)
}

fn parse(text: &str) -> Policy {
    parse_with(text, &ValidateOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    match parse_with(text, &ValidateOptions::default()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => e.to_string(),
    }
}

/// A configuration with one rule `r1` (filter `Prefix: ""` unless `body` gives its own).
fn one_rule(body: &str) -> String {
    let filter = if body.contains("\"Filter\"") {
        ""
    } else {
        "\"Filter\": {\"Prefix\": \"\"},"
    };
    let body = body.trim();
    let filter = if body.is_empty() {
        filter.trim_end_matches(',')
    } else {
        filter
    };
    format!(r#"{{"Rules": [{{"ID": "r1", "Status": "Enabled", {filter} {body}}}]}}"#)
}

fn sched(
    p: &Policy,
    key: &str,
    size: u64,
    tags: &[(&str, &str)],
    created: Micros,
) -> Vec<Scheduled> {
    let mut tags: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tags.sort();
    let mut out = vec![Scheduled {
        due: 0,
        action: Action::Expire,
    }]; // must be cleared
    p.schedule(key, size, &tags, created, &mut out);
    out
}

const BIG: u64 = 1 << 20;

// ---- timing (S3_FACTS §7.6) ----

#[test]
fn days_round_up_to_next_midnight_utc() {
    // Created 2014-01-15 10:30 UTC, Transition Days=3 -> 2014-01-19 00:00 UTC.
    let p = parse(&one_rule(
        r#""Transitions": [{"Days": 3, "StorageClass": "GLACIER"}]"#,
    ));
    let s = sched(&p, "a", BIG, &[], t("2014-01-15T10:30:00Z"));
    assert_eq!(
        s,
        vec![Scheduled {
            due: t("2014-01-19T00:00:00Z"),
            action: Action::Transition(Glacier)
        }]
    );
}

#[test]
fn expiration_one_day_after_0005_is_two_midnights_later() {
    // Created 00:05 UTC Jan 2, Expiration Days=1 -> eligible 00:00 UTC Jan 4.
    let p = parse(&one_rule(r#""Expiration": {"Days": 1}"#));
    let s = sched(&p, "a", 10, &[], t("2026-01-02T00:05:00Z"));
    assert_eq!(
        s,
        vec![Scheduled {
            due: t("2026-01-04T00:00:00Z"),
            action: Action::Expire
        }]
    );
}

#[test]
fn days_zero_and_creation_at_midnight() {
    let p = parse(&one_rule(
        r#""Transitions": [{"Days": 0, "StorageClass": "INTELLIGENT_TIERING"}]"#,
    ));
    let s = sched(&p, "a", BIG, &[], t("2026-03-05T13:00:00Z"));
    assert_eq!(s[0].due, t("2026-03-06T00:00:00Z"));
    // An instant already at midnight stays (SPEC §4).
    let s = sched(&p, "a", BIG, &[], t("2026-03-05T00:00:00Z"));
    assert_eq!(s[0].due, t("2026-03-05T00:00:00Z"));
}

#[test]
fn date_actions_before_and_after_creation() {
    let p = parse(&one_rule(
        r#""Transitions": [{"Date": "2026-01-01T00:00:00.000Z", "StorageClass": "GLACIER"}],
           "Expiration": {"Date": "2026-06-01T00:00:00Z"}"#,
    ));
    // Created before the date: due on the date.
    let s = sched(&p, "a", BIG, &[], t("2025-12-10T08:00:00Z"));
    assert_eq!(
        s,
        vec![
            Scheduled {
                due: date_micros(2026, 1, 1),
                action: Action::Transition(Glacier)
            },
            Scheduled {
                due: date_micros(2026, 6, 1),
                action: Action::Expire
            },
        ]
    );
    // Created after the transition date: transitioned at creation.
    let created = t("2026-02-03T04:05:06Z");
    let s = sched(&p, "a", BIG, &[], created);
    assert_eq!(
        s[0],
        Scheduled {
            due: created,
            action: Action::Transition(Glacier)
        }
    );
    assert_eq!(s[1].due, date_micros(2026, 6, 1));
}

// ---- filters ----

#[test]
fn prefix_is_literal() {
    let p = parse(&one_rule(
        r#""Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 5}"#,
    ));
    let c = t("2026-01-01T00:00:00Z");
    assert_eq!(sched(&p, "logs/a.txt", 1, &[], c).len(), 1);
    assert_eq!(sched(&p, "logs/", 1, &[], c).len(), 1);
    assert!(sched(&p, "logs", 1, &[], c).is_empty());
    assert!(sched(&p, "app/logs/a", 1, &[], c).is_empty());
    let p = parse(&one_rule(
        r#""Filter": {"Prefix": "*.log"}, "Expiration": {"Days": 5}"#,
    ));
    assert!(sched(&p, "x.log", 1, &[], c).is_empty(), "no wildcards");
}

#[test]
fn every_filter_tag_must_match_key_and_value() {
    let p = parse(&one_rule(
        r#""Filter": {"And": {"Prefix": "d/", "Tags": [{"Key": "env", "Value": "prod"}, {"Key": "class", "Value": "cold"}]}},
           "Expiration": {"Days": 5}"#,
    ));
    let c = t("2026-01-01T00:00:00Z");
    assert_eq!(
        sched(
            &p,
            "d/x",
            1,
            &[("env", "prod"), ("class", "cold"), ("extra", "1")],
            c
        )
        .len(),
        1
    );
    assert!(sched(&p, "d/x", 1, &[("env", "prod")], c).is_empty());
    assert!(sched(&p, "d/x", 1, &[("env", "dev"), ("class", "cold")], c).is_empty());
    assert!(sched(&p, "e/x", 1, &[("env", "prod"), ("class", "cold")], c).is_empty());
    // Single Tag filter; an empty Value matches only an empty value (a missing Value is an error).
    let p = parse(&one_rule(
        r#""Filter": {"Tag": {"Key": "tmp", "Value": ""}}, "Expiration": {"Days": 5}"#,
    ));
    assert!(
        err(&one_rule(
            r#""Filter": {"Tag": {"Key": "tmp"}}, "Expiration": {"Days": 5}"#
        ))
        .contains("missing field `Value`")
    );
    assert_eq!(sched(&p, "x", 1, &[("tmp", "")], c).len(), 1);
    assert!(sched(&p, "x", 1, &[("tmp", "1")], c).is_empty());
}

#[test]
fn size_bounds_are_strict() {
    let p = parse(&one_rule(
        r#""Filter": {"And": {"ObjectSizeGreaterThan": 1000, "ObjectSizeLessThan": 2000}},
           "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]"#,
    ));
    let c = t("2026-01-01T00:00:00Z");
    assert!(sched(&p, "x", 1000, &[], c).is_empty());
    assert_eq!(
        sched(&p, "x", 1001, &[], c).len(),
        1,
        "custom size filter lifts the 128 KB default"
    );
    assert_eq!(sched(&p, "x", 1999, &[], c).len(), 1);
    assert!(sched(&p, "x", 2000, &[], c).is_empty());
}

// ---- 128 KB default ----

#[test]
fn small_objects_are_not_transitioned_by_default_but_expire() {
    let p = parse(&one_rule(
        r#""Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 120, "StorageClass": "GLACIER"}],
           "Expiration": {"Days": 365}"#,
    ));
    let c = t("2026-01-01T00:00:00Z");
    let s = sched(&p, "x", 131_071, &[], c);
    assert_eq!(
        s,
        vec![Scheduled {
            due: c + 365 * DAY,
            action: Action::Expire
        }]
    );
    assert_eq!(
        sched(&p, "x", 131_072, &[], c).len(),
        3,
        "exactly 128 KB transitions"
    );
}

#[test]
fn varies_by_storage_class_lets_small_objects_into_glacier_only() {
    let p = parse(
        r#"{"TransitionDefaultMinimumObjectSize": "varies_by_storage_class",
            "Rules": [{"ID": "r1", "Status": "Enabled", "Filter": {},
                       "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 120, "StorageClass": "GLACIER"}]}]}"#,
    );
    assert_eq!(p.default_min_size, DefaultMinSize::VariesByStorageClass);
    let c = t("2026-01-01T00:00:00Z");
    let s = sched(&p, "x", 10, &[], c);
    assert_eq!(
        s,
        vec![Scheduled {
            due: c + 120 * DAY,
            action: Action::Transition(Glacier)
        }]
    );
}

#[test]
fn size_less_than_filter_overrides_default() {
    let p = parse(&one_rule(
        r#""Filter": {"ObjectSizeLessThan": 1048576}, "Transitions": [{"Days": 30, "StorageClass": "GLACIER_IR"}]"#,
    ));
    let c = t("2026-01-01T00:00:00Z");
    assert_eq!(sched(&p, "x", 1, &[], c).len(), 1);
    assert!(sched(&p, "x", 1_048_576, &[], c).is_empty());
}

#[test]
fn overlapping_rules_merge_sorted_and_deduplicated() {
    let p = parse(
        r#"{"Rules": [
            {"ID": "a", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 365}},
            {"ID": "b", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 365},
             "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]},
            {"ID": "c", "Status": "Disabled", "Filter": {}, "Expiration": {"Days": 1}}]}"#,
    );
    let c = t("2026-01-01T00:00:00Z");
    let s = sched(&p, "logs/x", BIG, &[], c);
    assert_eq!(
        s,
        vec![
            Scheduled {
                due: c + 30 * DAY,
                action: Action::Transition(StandardIa)
            },
            Scheduled {
                due: c + 365 * DAY,
                action: Action::Expire
            },
        ]
    );
    assert!(sched(&Policy::none(), "logs/x", BIG, &[], c).is_empty());
}

// ---- resolve (S3_FACTS §4.6) ----

#[test]
fn resolve_follows_s3_conflict_rules() {
    use Action::{Expire, Transition as T};
    assert_eq!(resolve(Standard, &[T(StandardIa), Expire]), Some(Expire));
    assert_eq!(
        resolve(Standard, &[T(StandardIa), T(Glacier)]),
        Some(T(Glacier))
    );
    assert_eq!(
        resolve(Standard, &[T(OnezoneIa), T(Glacier)]),
        Some(T(Glacier))
    );
    assert_eq!(
        resolve(Standard, &[T(GlacierIr), T(IntelligentTiering)]),
        Some(T(IntelligentTiering))
    );
    assert_eq!(
        resolve(Standard, &[T(IntelligentTiering), T(Glacier)]),
        Some(T(Glacier))
    );
    assert_eq!(
        resolve(Standard, &[T(Glacier), T(DeepArchive)]),
        Some(T(DeepArchive))
    );
    assert_eq!(
        resolve(Standard, &[T(StandardIa), T(OnezoneIa)]),
        Some(T(OnezoneIa))
    );
    // Waterfall: ONEZONE_IA cannot go to GLACIER_IR or INTELLIGENT_TIERING; those are dropped.
    assert_eq!(
        resolve(OnezoneIa, &[T(GlacierIr), T(IntelligentTiering)]),
        None
    );
    assert_eq!(
        resolve(IntelligentTiering, &[T(StandardIa), T(OnezoneIa)]),
        Some(T(OnezoneIa))
    );
    assert_eq!(resolve(Glacier, &[T(Glacier)]), None);
    assert_eq!(resolve(Standard, &[]), None);
}

// ---- shapes ----

#[test]
fn wrapped_form_is_accepted() {
    let p = parse(
        r#"{"LifecycleConfiguration": {"TransitionDefaultMinimumObjectSize": "all_storage_classes_128K",
            "Rules": [{"ID": "x", "Status": "Enabled", "Filter": {"Prefix": "a/"}, "Expiration": {"Days": 3}}]}}"#,
    );
    assert_eq!(p.rules.len(), 1);
    assert_eq!(p.rules[0].filter.prefix, "a/");
    assert_eq!(p.rules[0].expiration, Some(When::Days(3)));
}

#[test]
fn v1_rule_level_prefix_is_accepted() {
    let p = parse(
        r#"{"Rules": [{"ID": "v1", "Status": "Enabled", "Prefix": "tmp/", "Expiration": {"Days": 1}}]}"#,
    );
    assert_eq!(p.rules[0].filter.prefix, "tmp/");
}

#[test]
fn unknown_field_is_rejected_with_position() {
    let e = err(
        "{\"Rules\": [{\"ID\": \"r1\", \"Status\": \"Enabled\",\n \"Filter\": {}, \"Expiraton\": {\"Days\": 1}}]}",
    );
    assert!(e.starts_with("policies/test.json:2:"), "{e}");
    assert!(
        e.contains("MalformedXML") && e.contains("unknown field `Expiraton`"),
        "{e}"
    );
    let e = err(
        r#"{"Rules": [{"ID": "r1", "Status": "Enabled", "Filter": {"Prefx": "a"}, "Expiration": {"Days": 1}}]}"#,
    );
    assert!(e.contains("unknown field `Prefx`"), "{e}");
}

#[test]
fn syntax_error_names_line_and_column() {
    let e = err("{\"Rules\": [\n  {\"ID\": \"r1\",,}\n]}");
    assert!(e.starts_with("policies/test.json:2:"), "{e}");
    assert!(!e.contains("MalformedXML"), "{e}");
}

#[test]
fn from_file_names_policy_after_stem_and_reports_missing_file() {
    let p = Policy::from_file(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/tiered.json")),
        &ValidateOptions::default(),
    )
    .unwrap();
    assert_eq!(p.name, "tiered");
    let e = Policy::from_file(
        Path::new("/nonexistent/x.json"),
        &ValidateOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("/nonexistent/x.json"), "{e}");
}

#[test]
fn bundled_policies_validate() {
    let opts = ValidateOptions::default();
    for (file, text) in [
        (
            "tiered",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/tiered.json")),
        ),
        (
            "intelligent-tiering",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/policies/intelligent-tiering.json"
            )),
        ),
        (
            "archive",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/policies/archive.json"
            )),
        ),
    ] {
        let p = Policy::parse(file, file, text, &opts).unwrap_or_else(|e| panic!("{e}"));
        assert!(!p.rules.is_empty());
        assert!(p.explain().iter().all(|l| l.contains("(enabled)")));
    }
    // The pre-2026 30-day IA minimum also holds for them.
    let p = Policy::parse(
        "t",
        "t",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/tiered.json")),
        &ValidateOptions {
            ia_min_30_days: true,
        },
    );
    assert!(p.is_ok());
}

// ---- explain ----

#[test]
fn explain_sample_rule() {
    let p = parse(
        r#"{"Rules": [
            {"ID": "logs-tiering", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
             "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 120, "StorageClass": "GLACIER"}],
             "Expiration": {"Days": 365}},
            {"Status": "Disabled", "Filter": {"And": {"Tags": [{"Key": "tier", "Value": "cold"}], "ObjectSizeGreaterThan": 1048576}},
             "Transitions": [{"Date": "2027-01-01T00:00:00Z", "StorageClass": "DEEP_ARCHIVE"}],
             "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
            {"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": "up/"}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]}"#,
    );
    let lines = p.explain();
    assert_eq!(
        lines[0],
        "rule \"logs-tiering\" (enabled): logs/*: STANDARD_IA after 30 days, GLACIER after 120 days, \
         deleted after 365 days; objects under 128 KB are not transitioned (all_storage_classes_128K)"
    );
    assert_eq!(
        lines[1],
        "rule #2 (disabled, no effect): all objects tagged tier=cold larger than 1 MB: DEEP_ARCHIVE on 2027-01-01; \
         noncurrent versions: deleted after 30 days (versioned buckets only)"
    );
    assert_eq!(
        lines[2],
        "rule \"mpu\" (enabled): up/*: no current-version action; aborts incomplete multipart uploads after 7 days"
    );
}

// ---- validation ----

/// Each invalid configuration, and substrings its message must contain (rule, field, code, text).
#[test]
fn invalid_configurations_name_rule_field_and_s3_error() {
    let cases: Vec<(String, &[&str])> = vec![
        (r#"{"Rules": []}"#.into(), &["Rules: InvalidRequest: At least one lifecycle rule must be specified."]),
        (
            format!(
                r#"{{"Rules": [{}]}}"#,
                (0..1001)
                    .map(|i| format!(r#"{{"ID": "r{i}", "Status": "Enabled", "Filter": {{}}, "Expiration": {{"Days": 1}}}}"#))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            &["Rules: InvalidRequest: The number of lifecycle rules must not exceed the allowed limit of 1000 rules."],
        ),
        (
            format!(r#"{{"Rules": [{{"ID": "{}", "Status": "Enabled", "Filter": {{}}, "Expiration": {{"Days": 1}}}}]}}"#, "x".repeat(256)),
            &["(#1), ID: InvalidArgument: ID length should not exceed allowed limit of 255"],
        ),
        (
            r#"{"Rules": [{"ID": "d", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}},
                          {"ID": "d", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 2}}]}"#.into(),
            &["rule \"d\" (#2), ID: InvalidArgument: Rule ID must be unique. Found same ID for more than one rule"],
        ),
        (
            r#"{"Rules": [{"ID": "r1", "Status": "enabled", "Filter": {}, "Expiration": {"Days": 1}}]}"#.into(),
            &["rule \"r1\" (#1), Status: MalformedXML", "\"enabled\""],
        ),
        (one_rule(""), &["rule \"r1\" (#1)", "InvalidRequest: At least one action needs to be specified in a rule"]),
        (
            r#"{"Rules": [{"ID": "r1", "Status": "Enabled", "Expiration": {"Days": 1}}]}"#.into(),
            &["rule \"r1\" (#1), Filter: MalformedXML"],
        ),
        (
            one_rule(r#""Filter": {"Prefix": "a/", "Tag": {"Key": "k", "Value": "v"}}, "Expiration": {"Days": 1}"#),
            &["rule \"r1\" (#1), Filter: MalformedXML", "found Prefix and Tag"],
        ),
        (
            r#"{"Rules": [{"ID": "r1", "Status": "Enabled", "Filter": {}, "Prefix": "a/", "Expiration": {"Days": 1}}]}"#.into(),
            &["rule \"r1\" (#1), Prefix: InvalidRequest: Base level prefix cannot be used in Lifecycle V2, prefixes are only supported in the Filter."],
        ),
        (
            r#"{"Rules": [{"ID": "old", "Status": "Enabled", "Prefix": "a/", "Expiration": {"Days": 1}},
                          {"ID": "new", "Status": "Enabled", "Filter": {"Prefix": "b/"}, "Expiration": {"Days": 1}}]}"#.into(),
            &["rule \"new\" (#2), Filter: InvalidRequest: Filter element can only be used in Lifecycle V2."],
        ),
        (
            r#"{"Rules": [{"ID": "a", "Status": "Enabled", "Prefix": "", "Expiration": {"Days": 1}},
                          {"ID": "b", "Status": "Enabled", "Prefix": "a", "Expiration": {"Days": 9}}]}"#.into(),
            &["rule \"b\" (#2), Prefix: InvalidRequest: Found overlapping prefixes '' and 'a' for same action type 'Expiration'"],
        ),
        (
            one_rule(r#""Transitions": [{"Date": "2026-01-01T12:00:00Z", "StorageClass": "GLACIER"}]"#),
            &["rule \"r1\" (#1), Transitions[0].Date: InvalidArgument: 'Date' must be at midnight GMT"],
        ),
        (
            one_rule(r#""Expiration": {"Days": 0}"#),
            &["rule \"r1\" (#1), Expiration.Days: InvalidArgument: 'Days' for Expiration action must be a positive integer"],
        ),
        (
            one_rule(r#""NoncurrentVersionExpiration": {"NoncurrentDays": 0}"#),
            &["rule \"r1\" (#1), NoncurrentVersionExpiration.NoncurrentDays: InvalidArgument: 'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}], "Expiration": {"Date": "2027-01-01T00:00:00Z"}"#),
            &["rule \"r1\" (#1), Expiration.Date: InvalidArgument: Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule for filter '(prefix=)'"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "Date": "2027-01-01T00:00:00Z", "StorageClass": "STANDARD_IA"}]"#),
            &["rule \"r1\" (#1), Transitions[0].Date: MalformedXML"],
        ),
        (
            one_rule(r#""Transitions": [{"StorageClass": "STANDARD_IA"}]"#),
            &["rule \"r1\" (#1), Transitions[0]: MalformedXML: Transition needs Days or Date"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "GLACIER"}, {"Days": 200, "StorageClass": "GLACIER"}]"#),
            &["rule \"r1\" (#1), Transitions[1].StorageClass: InvalidArgument: 'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter '(prefix=)'"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "STANDARD"}]"#),
            &["rule \"r1\" (#1), Transitions[0].StorageClass: MalformedXML", "'STANDARD'"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "glacier"}]"#),
            &["Transitions[0].StorageClass: MalformedXML"],
        ),
        (
            one_rule(r#""Filter": {"ObjectSizeLessThan": 0}, "Expiration": {"Days": 1}"#),
            &["rule \"r1\" (#1), Filter.ObjectSizeLessThan: InvalidRequest: 'ObjectSizeLessThan' should be between 1 and 1099511627776000."],
        ),
        (
            one_rule(r#""Filter": {"And": {"ObjectSizeGreaterThan": 500, "ObjectSizeLessThan": 500}}, "Expiration": {"Days": 1}"#),
            &["rule \"r1\" (#1), Filter.And.ObjectSizeLessThan: InvalidRequest: 'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'."],
        ),
        (
            one_rule(r#""Filter": {"And": {"Tags": [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]}}, "Expiration": {"Days": 1}"#),
            &["rule \"r1\" (#1), Filter.And.Tags[1].Key: InvalidRequest: Duplicate Tag Keys are not allowed."],
        ),
        (
            one_rule(r#""Filter": {"Tag": {"Key": "k", "Value": "v"}}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}"#),
            &["rule \"r1\" (#1), AbortIncompleteMultipartUpload: InvalidRequest: AbortIncompleteMultipartUpload cannot be specified with Tags."],
        ),
        (
            one_rule(r#""Filter": {"ObjectSizeGreaterThan": 10}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}"#),
            &["AbortIncompleteMultipartUpload: InvalidRequest: AbortIncompleteMultipartUpload cannot be specified with Object Size."],
        ),
        (
            one_rule(r#""Filter": {"ObjectSizeGreaterThan": 10}, "Expiration": {"ExpiredObjectDeleteMarker": true}"#),
            &["rule \"r1\" (#1), Expiration.ExpiredObjectDeleteMarker: InvalidRequest: ExpiredObjectDeleteMarker cannot be specified with Object Size."],
        ),
        (
            one_rule(r#""Expiration": {"Days": 3, "ExpiredObjectDeleteMarker": true}"#),
            &["rule \"r1\" (#1), Expiration.ExpiredObjectDeleteMarker: MalformedXML"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "GLACIER"}, {"Days": 200, "StorageClass": "STANDARD_IA"}]"#),
            &["rule \"r1\" (#1), Transitions[1].StorageClass: InvalidArgument: cannot transition from GLACIER"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "ONEZONE_IA"}, {"Days": 90, "StorageClass": "GLACIER_IR"}]"#),
            &["Transitions[1].StorageClass: InvalidArgument: cannot transition from ONEZONE_IA"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 100, "StorageClass": "DEEP_ARCHIVE"}, {"Days": 30, "StorageClass": "GLACIER_IR"}]"#),
            &["rule \"r1\" (#1), Transitions[0].Days: InvalidArgument", "70 days after the GLACIER_IR transition", "at least 90 days"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 45, "StorageClass": "GLACIER"}]"#),
            &["Transitions[1].Days: InvalidArgument", "at least 30 days"],
        ),
        (
            one_rule(r#""Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}], "Expiration": {"Days": 30}"#),
            &["rule \"r1\" (#1), Expiration.Days: InvalidArgument: 'Days' in the expiration action must be a non-zero positive integer greater than that in the transition action."],
        ),
        (
            r#"{"TransitionDefaultMinimumObjectSize": "all", "Rules": [{"ID": "r1", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}]}"#.into(),
            &["policies/test.json: TransitionDefaultMinimumObjectSize: InvalidRequest: Invalid TransitionDefaultMinimumObjectSize found: all"],
        ),
        (
            r#"{"Rules": [{"Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}},
                          {"Status": "Enabled", "Filter": {}, "Transitions": [{"Days": -1, "StorageClass": "GLACIER"}]}]}"#.into(),
            &["policies/test.json: rule #2, Transitions[0].Days: InvalidArgument"],
        ),
        (
            r#"{"Rules": [{"ID": "v1", "Status": "Enabled", "Prefix": "",
                "NoncurrentVersionExpiration": {"NoncurrentDays": 5, "NewerNoncurrentVersions": 2}}]}"#.into(),
            &["rule \"v1\" (#1), NoncurrentVersionExpiration.NewerNoncurrentVersions: InvalidRequest: NewerNoncurrentVersions element can only be used in Lifecycle V2."],
        ),
    ];
    assert!(cases.len() >= 12);
    for (text, wants) in &cases {
        let e = err(text);
        assert!(e.starts_with("policies/test.json: "), "{e}");
        for w in *wants {
            assert!(e.contains(w), "message {e:?}\n  lacks {w:?}");
        }
    }
}

#[test]
fn ia_min_30_days_is_opt_in() {
    let text = one_rule(r#""Transitions": [{"Days": 0, "StorageClass": "ONEZONE_IA"}]"#);
    assert!(parse_with(&text, &ValidateOptions::default()).is_ok());
    let e = parse_with(
        &text,
        &ValidateOptions {
            ia_min_30_days: true,
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("rule \"r1\" (#1), Transitions[0].Days: InvalidArgument: 'Days' in Transition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'"),
        "{e}"
    );
}

#[test]
fn valid_edge_cases_are_accepted() {
    // Spacing exactly the minimum duration; INTELLIGENT_TIERING has none; Date rules in order.
    parse(&one_rule(
        r#""Transitions": [{"Days": 0, "StorageClass": "INTELLIGENT_TIERING"}, {"Days": 1, "StorageClass": "GLACIER"},
                           {"Days": 91, "StorageClass": "DEEP_ARCHIVE"}], "Expiration": {"Days": 92}"#,
    ));
    parse(&one_rule(
        r#""Transitions": [{"Date": "2026-01-01", "StorageClass": "STANDARD_IA"}, {"Date": "2026-01-31T00:00:00Z", "StorageClass": "ONEZONE_IA"}]"#,
    ));
    // ExpiredObjectDeleteMarker alone, an empty Filter, a Disabled rule without ID.
    let p = parse(
        r#"{"Rules": [{"Status": "Disabled", "Filter": {}, "Expiration": {"ExpiredObjectDeleteMarker": true}}]}"#,
    );
    assert!(p.rules[0].expired_object_delete_marker && !p.rules[0].enabled);
    assert_eq!(p.rules[0].expiration, None);
}

// ---- Evaluator: the simulator's schedules (issue 11, D14) ----

mod d14 {
    use super::*;
    use crate::model::rules::{IT_ARCHIVE_INSTANT_AFTER, IT_MIN_MONITORED_SIZE};
    use proptest::prelude::*;

    const KEYS: [&str; 4] = ["a", "a/b/c", "b/x", "c"];
    const PREFIXES: [&str; 5] = ["", "a", "a/", "a/b", "b"];
    const TAGS: [(&str, &str); 3] = [("t", "1"), ("t", "2"), ("u", "1")];
    const SIZES: [u64; 6] = [0, 1000, 131_071, 131_072, 5_000_000, 3 << 30];
    const DAYS: [u32; 10] = [0, 1, 2, 3, 30, 31, 60, 90, 200, u32::MAX];
    /// 2026-01-01T00:00:00Z
    const BASE: Micros = 1_767_225_600_000_000;
    const HOUR: Micros = 3_600_000_000;

    fn tag_set(mask: u8) -> Vec<(String, String)> {
        // At most one value per key, sorted by key.
        let mut tags: Vec<(String, String)> = Vec::new();
        for (i, (k, v)) in TAGS.iter().enumerate() {
            if (mask >> i) & 1 == 1 && !tags.iter().any(|(ok, _)| ok == k) {
                tags.push((k.to_string(), v.to_string()));
            }
        }
        tags.sort();
        tags
    }

    fn when() -> impl Strategy<Value = When> {
        prop_oneof![
            3 => (0usize..DAYS.len()).prop_map(|i| When::Days(DAYS[i])),
            1 => (0i64..24 * 200).prop_map(|h| When::Date(crate::model::time::ceil_midnight(BASE + h * HOUR))),
        ]
    }

    fn rule() -> impl Strategy<Value = Rule> {
        (
            (
                any::<bool>(),
                0usize..PREFIXES.len(),
                0u8..8,
                0usize..6,
                0usize..4,
            ),
            prop::collection::vec((when(), 0usize..StorageClass::COUNT), 0..4),
            prop::option::of(when()),
        )
            .prop_map(
                |((disabled, prefix, tags, gt, lt), transitions, expiration)| Rule {
                    id: String::new(),
                    index: 0,
                    enabled: !disabled || prefix == 0,
                    filter: Filter {
                        prefix: PREFIXES[prefix].to_string(),
                        tags: tag_set(tags),
                        size_gt: [
                            None,
                            None,
                            Some(0),
                            Some(1000),
                            Some(131_071),
                            Some(131_072),
                        ][gt],
                        size_lt: [None, None, Some(131_073), Some(5_000_000)][lt],
                    },
                    transitions: transitions
                        .into_iter()
                        .map(|(w, c)| (w, StorageClass::ALL[c]))
                        .collect(),
                    expiration,
                    expired_object_delete_marker: false,
                    noncurrent_transitions: Vec::new(),
                    noncurrent_expiration: None,
                    abort_incomplete_multipart_upload_days: None,
                },
            )
    }

    fn policy() -> impl Strategy<Value = Policy> {
        (prop::collection::vec(rule(), 0..40), any::<bool>()).prop_map(|(mut rules, varies)| {
            for (i, r) in rules.iter_mut().enumerate() {
                r.index = i;
            }
            Policy {
                name: "p".to_string(),
                rules,
                default_min_size: if varies {
                    DefaultMinSize::VariesByStorageClass
                } else {
                    DefaultMinSize::AllStorageClasses128K
                },
            }
        })
    }

    /// An object version and how the simulation sees it.
    #[derive(Debug, Clone)]
    struct Case {
        key: &'static str,
        size: u64,
        tags: Vec<(String, String)>,
        created: Micros,
        class: StorageClass,
        /// Moved-up due times (an object predating the simulation), or none.
        not_before: Micros,
        horizon: Micros,
        /// Last access before the first read (Intelligent-Tiering tiers).
        last_access: Micros,
        /// Reads (they reset Intelligent-Tiering's access clock), sorted.
        reads: Vec<Micros>,
    }

    fn case() -> impl Strategy<Value = Case> {
        (
            (
                0usize..KEYS.len(),
                0usize..SIZES.len(),
                0u8..8,
                0usize..StorageClass::COUNT,
            ),
            (
                0i64..24 * 120,
                any::<bool>(),
                prop::option::of(0i64..24 * 60),
            ),
            (24i64..24 * 400, 0i64..24 * 200),
            prop::collection::vec(0i64..24 * 400, 0..6),
        )
            .prop_map(
                |((key, size, tags, class), (created, midnight, start), (horizon, idle), reads)| {
                    let created = if midnight {
                        BASE + created / 24 * DAY
                    } else {
                        BASE + created * HOUR
                    };
                    let mut reads: Vec<Micros> =
                        reads.into_iter().map(|h| created + h * HOUR).collect();
                    reads.sort_unstable();
                    Case {
                        key: KEYS[key],
                        size: SIZES[size],
                        tags: tag_set(tags),
                        created,
                        class: StorageClass::ALL[class],
                        not_before: start.map_or(Micros::MIN, |h| BASE + h * HOUR),
                        horizon: created + horizon * HOUR,
                        last_access: created - idle * HOUR,
                        reads,
                    }
                },
            )
    }

    /// [`Policy::schedule`], due times moved up to `not_before` (as the simulator did before).
    fn reference(p: &Policy, c: &Case) -> (Vec<Scheduled>, bool) {
        let mut out = Vec::new();
        let blocked = p.schedule(c.key, c.size, &c.tags, c.created, &mut out);
        for s in &mut out {
            s.due = s.due.max(c.not_before);
        }
        (out, blocked)
    }

    fn subject(c: &Case) -> Subject<'_> {
        Subject {
            key: c.key,
            size: c.size,
            tags: &c.tags,
            created: c.created,
            class: c.class,
        }
    }

    /// The actions applied, as the simulator applies `schedule`: at each due time before the
    /// horizon, the group of actions due then, resolved; reads in between.
    fn apply(schedule: &[Scheduled], c: &Case) -> Vec<(Micros, Action)> {
        let mut applied = Vec::new();
        let (mut class, mut last_access, mut next) = (c.class, c.last_access, 0);
        let mut step = |t: Micros, class: &mut StorageClass, last_access: &mut Micros| -> bool {
            while next < schedule.len() {
                let due = schedule[next].due;
                if due > t || due >= c.horizon {
                    break;
                }
                let mut group = Vec::new();
                while next < schedule.len() && schedule[next].due == due {
                    group.push(schedule[next].action);
                    next += 1;
                }
                if *class == StorageClass::IntelligentTiering
                    && c.size >= IT_MIN_MONITORED_SIZE
                    && due - *last_access >= IT_ARCHIVE_INSTANT_AFTER
                {
                    group.retain(|a| *a != Action::Transition(StorageClass::OnezoneIa));
                }
                match resolve(*class, &group) {
                    Some(Action::Expire) => {
                        applied.push((due, Action::Expire));
                        return false;
                    }
                    Some(Action::Transition(to)) => {
                        applied.push((due, Action::Transition(to)));
                        *class = to;
                        *last_access = due;
                    }
                    None => {}
                }
            }
            true
        };
        for &r in c.reads.iter().filter(|&&r| r < c.horizon) {
            if !step(r, &mut class, &mut last_access) {
                return applied;
            }
            if class == StorageClass::IntelligentTiering {
                last_access = r;
            }
        }
        step(c.horizon, &mut class, &mut last_access);
        applied
    }

    /// The reference sorted and deduplicated again, cut at the horizon and after the first
    /// expiration: what `Evaluator::gather` gives.
    fn cut(mut s: Vec<Scheduled>, horizon: Micros) -> Vec<Scheduled> {
        finish(&mut s, horizon);
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The evaluator's schedule applies the same actions at the same instants as the
        /// straightforward evaluation over all rules ([`Policy::schedule`]); both of its ways of
        /// collecting them give that schedule cut at the horizon and after the first expiration,
        /// once pruned.
        #[test]
        fn d14_overlapping_rules_pick_the_same_actions(p in policy(), cases in prop::collection::vec(case(), 1..8)) {
            let mut ev = Evaluator::new(&p);
            for c in &cases {
                let (want, want_blocked) = reference(&p, c);
                let mut got = Vec::new();
                let blocked = ev.schedule(&subject(c), c.not_before, c.horizon, &mut got);
                prop_assert_eq!(blocked, want_blocked);
                prop_assert_eq!(apply(&got, c), apply(&want, c), "schedule {:?} against {:?}", got, want);
                let exact = cut(want.clone(), c.horizon);
                let mut gathered = Vec::new();
                ev.gather(&subject(c), c.not_before, c.horizon, &mut gathered);
                prop_assert_eq!(&gathered, &exact);
                let mut pruned = exact.clone();
                prune(&mut pruned, c.class);
                prop_assert_eq!(&got, &pruned);
                // The walk leaves out some of what prune removes, never more.
                let mut walked = Vec::new();
                ev.walk(&subject(c), c.not_before, c.horizon, &mut walked);
                prop_assert!(walked.iter().all(|s| exact.contains(s)));
                prune(&mut walked, c.class);
                prop_assert_eq!(&walked, &pruned);
            }
        }
    }

    fn rules(json: &str) -> Policy {
        parse(json)
    }

    fn eval(
        p: &Policy,
        class: StorageClass,
        created: Micros,
        not_before: Micros,
        horizon: Micros,
    ) -> Vec<Scheduled> {
        let mut out = vec![Scheduled {
            due: 0,
            action: Action::Expire,
        }]; // must be cleared
        let subject = Subject {
            key: "logs/x",
            size: BIG,
            tags: &[],
            created,
            class,
        };
        Evaluator::new(p).schedule(&subject, not_before, horizon, &mut out);
        out
    }

    fn s(due: Micros, action: Action) -> Scheduled {
        Scheduled { due, action }
    }

    #[test]
    fn evaluator_cuts_at_horizon_and_after_the_first_expiration() {
        let p = rules(
            r#"{"Rules": [
            {"ID": "a", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 40},
             "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}]},
            {"ID": "b", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 200},
             "Transitions": [{"Days": 40, "StorageClass": "GLACIER"}, {"Days": 130, "StorageClass": "DEEP_ARCHIVE"}]}]}"#,
        );
        let c = t("2026-01-01T00:00:00Z");
        let all = vec![
            s(c + 10 * DAY, Action::Transition(StandardIa)),
            s(c + 40 * DAY, Action::Expire),
            s(c + 40 * DAY, Action::Transition(Glacier)),
        ];
        assert_eq!(eval(&p, Standard, c, Micros::MIN, c + 365 * DAY), all);
        assert_eq!(eval(&p, Standard, c, Micros::MIN, c + 40 * DAY), all[..1]);
        assert_eq!(eval(&p, Standard, c, Micros::MIN, c + 10 * DAY), []);
    }

    #[test]
    fn evaluator_leaves_out_transitions_that_cannot_happen() {
        let p = rules(
            r#"{"Rules": [
            {"ID": "a", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 5, "StorageClass": "GLACIER"}]},
            {"ID": "b", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 10, "StorageClass": "GLACIER_IR"}]},
            {"ID": "c", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 20, "StorageClass": "DEEP_ARCHIVE"}]}]}"#,
        );
        let c = t("2026-01-01T00:00:00Z");
        let h = c + 365 * DAY;
        // After GLACIER, GLACIER_IR cannot happen; DEEP_ARCHIVE can.
        assert_eq!(
            eval(&p, Standard, c, Micros::MIN, h),
            [
                s(c + 5 * DAY, Action::Transition(Glacier)),
                s(c + 20 * DAY, Action::Transition(DeepArchive))
            ]
        );
        // An object written in DEEP_ARCHIVE takes none.
        assert_eq!(eval(&p, DeepArchive, c, Micros::MIN, h), []);
        // An object predating the simulation: everything due before the start falls due at the
        // start, together (where DEEP_ARCHIVE wins), so nothing is left out.
        let start = c + 30 * DAY;
        let at_start = eval(&p, Standard, c, start, h);
        assert_eq!(
            at_start,
            [
                s(start, Action::Transition(GlacierIr)),
                s(start, Action::Transition(Glacier)),
                s(start, Action::Transition(DeepArchive)),
            ]
        );
        let due: Vec<Action> = at_start.iter().map(|s| s.action).collect();
        assert_eq!(
            resolve(Standard, &due),
            Some(Action::Transition(DeepArchive))
        );
    }

    #[test]
    fn evaluator_keeps_onezone_ia_for_intelligent_tiering_objects() {
        // INTELLIGENT_TIERING wins over GLACIER_IR at day 10. From there ONEZONE_IA and GLACIER_IR
        // (day 150) are both reachable and kept, STANDARD_IA (day 160) is not: left out.
        let p = rules(
            r#"{"Rules": [
            {"ID": "a", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 10, "StorageClass": "INTELLIGENT_TIERING"}]},
            {"ID": "b", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 10, "StorageClass": "GLACIER_IR"}, {"Days": 200, "StorageClass": "GLACIER"}]},
            {"ID": "c", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 150, "StorageClass": "ONEZONE_IA"}]},
            {"ID": "e", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 160, "StorageClass": "STANDARD_IA"}]},
            {"ID": "d", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 150, "StorageClass": "GLACIER_IR"}]}]}"#,
        );
        let c = t("2026-01-01T00:00:00Z");
        let got = eval(&p, Standard, c, Micros::MIN, c + 365 * DAY);
        assert_eq!(
            got,
            [
                s(c + 10 * DAY, Action::Transition(IntelligentTiering)),
                s(c + 10 * DAY, Action::Transition(GlacierIr)),
                s(c + 150 * DAY, Action::Transition(OnezoneIa)),
                s(c + 150 * DAY, Action::Transition(GlacierIr)),
                s(c + 200 * DAY, Action::Transition(Glacier)),
            ]
        );
    }
}
