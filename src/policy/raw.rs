//! The lifecycle JSON exactly as `aws s3api put-bucket-lifecycle-configuration` takes it (and as
//! `get-bucket-lifecycle-configuration` prints it), before validation. Numbers are read as `i64` so
//! that a negative or oversized value is reported by validation with S3's wording rather than as a
//! JSON type error.
//! See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html

use serde::Deserialize;

/// The top level: either the configuration itself or the same wrapped in `LifecycleConfiguration`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Top {
    #[serde(rename = "LifecycleConfiguration")]
    pub wrapped: Option<Config>,
    #[serde(rename = "Rules")]
    pub rules: Option<Vec<Rule>>,
    #[serde(rename = "TransitionDefaultMinimumObjectSize")]
    pub default_min_size: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Config {
    #[serde(rename = "Rules")]
    pub rules: Option<Vec<Rule>>,
    #[serde(rename = "TransitionDefaultMinimumObjectSize")]
    pub default_min_size: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct Rule {
    #[serde(rename = "ID")]
    pub id: Option<String>,
    pub status: Option<String>,
    pub filter: Option<Filter>,
    /// Deprecated rule-level prefix (lifecycle V1).
    pub prefix: Option<String>,
    pub transitions: Option<Vec<Transition>>,
    pub expiration: Option<Expiration>,
    pub noncurrent_version_transitions: Option<Vec<NoncurrentTransition>>,
    pub noncurrent_version_expiration: Option<NoncurrentExpiration>,
    pub abort_incomplete_multipart_upload: Option<AbortMpu>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct Filter {
    pub prefix: Option<String>,
    pub tag: Option<Tag>,
    pub object_size_greater_than: Option<i64>,
    pub object_size_less_than: Option<i64>,
    pub and: Option<And>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct And {
    pub prefix: Option<String>,
    pub tags: Option<Vec<Tag>>,
    pub object_size_greater_than: Option<i64>,
    pub object_size_less_than: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct Tag {
    pub key: String,
    /// Required by the API (write `""` for a tag whose value is empty).
    /// See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tag.html
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct Transition {
    pub days: Option<i64>,
    pub date: Option<String>,
    pub storage_class: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct Expiration {
    pub days: Option<i64>,
    pub date: Option<String>,
    pub expired_object_delete_marker: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct NoncurrentTransition {
    pub noncurrent_days: Option<i64>,
    pub storage_class: Option<String>,
    pub newer_noncurrent_versions: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct NoncurrentExpiration {
    pub noncurrent_days: Option<i64>,
    pub newer_noncurrent_versions: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub(super) struct AbortMpu {
    pub days_after_initiation: Option<i64>,
}
