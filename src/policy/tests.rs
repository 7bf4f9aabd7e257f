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
    // Single Tag filter; a Tag without Value matches only an empty value.
    let p = parse(&one_rule(
        r#""Filter": {"Tag": {"Key": "tmp"}}, "Expiration": {"Days": 5}"#,
    ));
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
         noncurrent versions: deleted after 30 days (no effect: s3sim's bucket is unversioned)"
    );
    assert_eq!(
        lines[2],
        "rule \"mpu\" (enabled): up/*: no current-version action; aborts incomplete multipart uploads after 7 days \
         (no effect: s3sim models no multipart uploads)"
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
