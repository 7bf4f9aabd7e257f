//! Intelligent-Tiering archive configurations (`--it-config`): the JSON that
//! `aws s3api put-bucket-intelligent-tiering-configuration --intelligent-tiering-configuration`
//! takes (bare, or wrapped in `IntelligentTieringConfiguration`), validated as S3 validates it, and
//! the days without access after which an object moves to the opt-in Archive Access and Deep
//! Archive Access tiers.
//! See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_IntelligentTieringConfiguration.html
//! See: https://docs.aws.amazon.com/AmazonS3/latest/API/API_Tiering.html

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Filter;
use crate::model::limits::quoted;

/// `Tiering.Days` of `ARCHIVE_ACCESS`: "at least 90 days … up to 2 years (730 days)".
pub const ARCHIVE_ACCESS_DAYS: RangeInclusive<i64> = 90..=730;
/// `Tiering.Days` of `DEEP_ARCHIVE_ACCESS`: at least 180 days, up to 730.
pub const DEEP_ARCHIVE_ACCESS_DAYS: RangeInclusive<i64> = 180..=730;
/// The largest configuration file s3sim reads.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// One configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItConfig {
    pub id: String,
    pub enabled: bool,
    /// Prefix and tags (Intelligent-Tiering filters have no size conditions).
    pub filter: Filter,
    /// Days without access before Archive Access.
    pub archive_days: Option<u32>,
    /// Days without access before Deep Archive Access.
    pub deep_archive_days: Option<u32>,
    /// The file it came from.
    pub origin: String,
}

/// The days without access after which an object moves to each archive tier (None: never).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveDays {
    pub archive: Option<u32>,
    pub deep_archive: Option<u32>,
}

impl ArchiveDays {
    pub fn is_none(&self) -> bool {
        self.archive.is_none() && self.deep_archive.is_none()
    }
}

/// Every configuration of a bucket (none: objects never leave Archive Instant Access).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItConfigs {
    pub configs: Vec<ItConfig>,
}

#[derive(Debug, thiserror::Error)]
pub enum ItError {
    #[error("{}: cannot read Intelligent-Tiering configuration: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Not JSON, or JSON not of the configuration's shape (unknown field, wrong type).
    #[error("{origin}:{line}:{column}: {message}")]
    Json {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Well-formed JSON that S3 would reject.
    #[error("{origin}: {}{field}: {message}", id.as_ref().map(|i| format!("configuration {}, ", quoted(i))).unwrap_or_default())]
    Invalid {
        origin: String,
        id: Option<String>,
        field: String,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Top {
    #[serde(rename = "IntelligentTieringConfiguration")]
    wrapped: Option<Raw>,
    #[serde(rename = "Id")]
    id: Option<String>,
    #[serde(rename = "Filter")]
    filter: Option<RawFilter>,
    #[serde(rename = "Status")]
    status: Option<String>,
    #[serde(rename = "Tierings")]
    tierings: Option<Vec<RawTiering>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct Raw {
    id: Option<String>,
    filter: Option<RawFilter>,
    status: Option<String>,
    tierings: Option<Vec<RawTiering>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct RawFilter {
    prefix: Option<String>,
    tag: Option<RawTag>,
    and: Option<RawAnd>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct RawAnd {
    prefix: Option<String>,
    tags: Option<Vec<RawTag>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct RawTag {
    key: String,
    value: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct RawTiering {
    days: Option<i64>,
    access_tier: Option<String>,
}

/// The first `null` in a JSON value, as a field path (serde would read it as an absent field).
fn first_null(v: &serde_json::Value, path: &str) -> Option<String> {
    match v {
        serde_json::Value::Null => Some(path.to_string()),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| first_null(x, &format!("{path}[{i}]"))),
        serde_json::Value::Object(o) => o.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            first_null(x, &p)
        }),
        _ => None,
    }
}

impl ItConfig {
    /// Parses and validates one configuration file's text.
    pub fn parse(origin: &str, text: &str) -> Result<ItConfig, ItError> {
        let invalid = |id: Option<&str>, field: &str, message: String| ItError::Invalid {
            origin: origin.to_string(),
            id: id.map(str::to_string),
            field: field.to_string(),
            message,
        };
        let top: Top = serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line(), e.column());
            let full = e.to_string();
            let suffix = format!(" at line {line} column {column}");
            ItError::Json {
                origin: origin.to_string(),
                line,
                column,
                message: crate::model::limits::cut_message(
                    full.strip_suffix(&suffix).unwrap_or(&full),
                ),
            }
        })?;
        if let Some(path) = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| first_null(&v, ""))
        {
            return Err(invalid(None, &path, "null is not a value here".into()));
        }
        let bare = top.id.is_some()
            || top.filter.is_some()
            || top.status.is_some()
            || top.tierings.is_some();
        let (raw, at) = match top.wrapped {
            Some(_) if bare => {
                return Err(invalid(
                    None,
                    "IntelligentTieringConfiguration",
                    "give the configuration either wrapped in IntelligentTieringConfiguration or bare, not both".into(),
                ));
            }
            Some(w) => (w, "IntelligentTieringConfiguration."),
            None => (
                Raw {
                    id: top.id,
                    filter: top.filter,
                    status: top.status,
                    tierings: top.tierings,
                },
                "",
            ),
        };
        let f = |name: &str| format!("{at}{name}");
        let id = match raw.id {
            None => return Err(invalid(None, &f("Id"), "required".into())),
            Some(id) if id.is_empty() => {
                return Err(invalid(None, &f("Id"), "must not be empty".into()));
            }
            Some(id) => id,
        };
        let idr = Some(id.as_str());
        let enabled = match raw.status.as_deref() {
            None => return Err(invalid(idr, &f("Status"), "required".into())),
            Some("Enabled") => true,
            Some("Disabled") => false,
            Some(s) => {
                return Err(invalid(
                    idr,
                    &f("Status"),
                    format!("expected Enabled or Disabled, found {}", quoted(s)),
                ));
            }
        };
        let mut filter = Filter::default();
        if let Some(raw_filter) = raw.filter {
            let given = usize::from(raw_filter.prefix.is_some())
                + usize::from(raw_filter.tag.is_some())
                + usize::from(raw_filter.and.is_some());
            if given > 1 {
                return Err(invalid(
                    idr,
                    &f("Filter"),
                    "at most one of Prefix, Tag or And (combine a prefix and tags with And)".into(),
                ));
            }
            let mut tags: Vec<RawTag> = Vec::new();
            if let Some(p) = raw_filter.prefix {
                filter.prefix = p;
            }
            if let Some(t) = raw_filter.tag {
                tags.push(t);
            }
            if let Some(and) = raw_filter.and {
                if and.prefix.is_none() && and.tags.as_ref().is_none_or(Vec::is_empty) {
                    return Err(invalid(
                        idr,
                        &f("Filter.And"),
                        "needs a Prefix or Tags".into(),
                    ));
                }
                filter.prefix = and.prefix.unwrap_or_default();
                tags.extend(and.tags.unwrap_or_default());
            }
            let mut seen: BTreeMap<String, String> = BTreeMap::new();
            for t in tags {
                if t.key.is_empty() {
                    return Err(invalid(
                        idr,
                        &f("Filter"),
                        "a tag's Key must not be empty".into(),
                    ));
                }
                if seen.insert(t.key.clone(), t.value).is_some() {
                    return Err(invalid(
                        idr,
                        &f("Filter"),
                        format!("tag key {} given twice", quoted(&t.key)),
                    ));
                }
            }
            filter.tags = seen.into_iter().collect();
        }
        let tierings = match raw.tierings {
            None => {
                return Err(invalid(
                    idr,
                    &f("Tierings"),
                    "required: at least one of ARCHIVE_ACCESS and DEEP_ARCHIVE_ACCESS".into(),
                ));
            }
            Some(t) if t.is_empty() => {
                return Err(invalid(
                    idr,
                    &f("Tierings"),
                    "at least one tier: ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS".into(),
                ));
            }
            Some(t) if t.len() > 2 => {
                return Err(invalid(
                    idr,
                    &f("Tierings"),
                    format!(
                        "{} tiers: at most two, one ARCHIVE_ACCESS and one DEEP_ARCHIVE_ACCESS",
                        t.len()
                    ),
                ));
            }
            Some(t) => t,
        };
        let (mut archive_days, mut deep_archive_days) = (None, None);
        for (i, t) in tierings.into_iter().enumerate() {
            let at = f(&format!("Tierings[{i}]"));
            let (slot, range, name) = match t.access_tier.as_deref() {
                None => {
                    return Err(invalid(
                        idr,
                        &format!("{at}.AccessTier"),
                        "required: ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS".into(),
                    ));
                }
                Some("ARCHIVE_ACCESS") => {
                    (&mut archive_days, ARCHIVE_ACCESS_DAYS, "ARCHIVE_ACCESS")
                }
                Some("DEEP_ARCHIVE_ACCESS") => (
                    &mut deep_archive_days,
                    DEEP_ARCHIVE_ACCESS_DAYS,
                    "DEEP_ARCHIVE_ACCESS",
                ),
                Some(s) => {
                    return Err(invalid(
                        idr,
                        &format!("{at}.AccessTier"),
                        format!(
                            "expected ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS, found {}",
                            quoted(s)
                        ),
                    ));
                }
            };
            let days = match t.days {
                None => {
                    return Err(invalid(idr, &format!("{at}.Days"), "required".into()));
                }
                Some(d) if !range.contains(&d) => {
                    return Err(invalid(
                        idr,
                        &format!("{at}.Days"),
                        format!(
                            "{d}: {name} takes {} to {} days without access",
                            range.start(),
                            range.end()
                        ),
                    ));
                }
                Some(d) => d as u32,
            };
            if slot.is_some() {
                return Err(invalid(
                    idr,
                    &format!("{at}.AccessTier"),
                    format!("{name} given twice"),
                ));
            }
            *slot = Some(days);
        }
        Ok(ItConfig {
            id,
            enabled,
            filter,
            archive_days,
            deep_archive_days,
            origin: origin.to_string(),
        })
    }

    /// One line per tiering, e.g. `logs: objects of 128 KB or more under prefix "logs/" move to
    /// Archive Access after 90 days without access (bypassing Archive Instant Access)`.
    pub fn explain(&self) -> Vec<String> {
        let mut whom = String::from("objects of 128 KB or more");
        if !self.filter.prefix.is_empty() {
            let _ = write!(whom, " under prefix {}", quoted(&self.filter.prefix));
        }
        if !self.filter.tags.is_empty() {
            let tags: Vec<String> = self
                .filter
                .tags
                .iter()
                .map(|(k, v)| format!("{}={}", quoted(k), quoted(v)))
                .collect();
            let _ = write!(whom, " tagged {}", tags.join(" and "));
        }
        let status = if self.enabled {
            ""
        } else {
            " (Disabled: no effect)"
        };
        let head = format!("configuration {}{status}: {whom}", quoted(&self.id));
        let mut out = Vec::new();
        if let Some(a) = self.archive_days {
            let note = if a == 90 {
                " (bypassing Archive Instant Access)".to_string()
            } else {
                format!(" (in Archive Instant Access from day 90 to day {a})")
            };
            let skipped = match self.deep_archive_days {
                Some(d) if d <= a => {
                    format!("; never in practice: Deep Archive Access comes first, at {d} days")
                }
                _ => String::new(),
            };
            out.push(format!(
                "{head} move to Archive Access after {a} days without access{note}{skipped}"
            ));
        }
        if let Some(d) = self.deep_archive_days {
            out.push(format!(
                "{head} move to Deep Archive Access after {d} days without access"
            ));
        }
        out
    }
}

impl ItConfigs {
    pub fn is_empty(&self) -> bool {
        self.configs.is_empty()
    }

    /// Reads and validates configuration files; two configurations with one Id are an error (a
    /// bucket holds one per Id).
    pub fn from_files(paths: &[PathBuf]) -> Result<ItConfigs, ItError> {
        let mut configs: Vec<ItConfig> = Vec::new();
        for path in paths {
            let text = read(path)?;
            let c = ItConfig::parse(&path.display().to_string(), &text)?;
            if let Some(other) = configs.iter().find(|o| o.id == c.id) {
                return Err(ItError::Invalid {
                    origin: c.origin.clone(),
                    id: Some(c.id.clone()),
                    field: "Id".into(),
                    message: format!(
                        "{} has a configuration with this Id too: a bucket holds one per Id",
                        other.origin
                    ),
                });
            }
            configs.push(c);
        }
        Ok(ItConfigs { configs })
    }

    /// The days without access an object takes to reach its last tier: 90 (Archive Instant
    /// Access), or the most days of an enabled configuration's archive tiers.
    pub fn last_tier_days(&self) -> u32 {
        self.configs
            .iter()
            .filter(|c| c.enabled)
            .flat_map(|c| [c.archive_days, c.deep_archive_days])
            .flatten()
            .fold(
                (crate::model::rules::IT_ARCHIVE_INSTANT_AFTER / crate::model::time::DAY) as u32,
                u32::max,
            )
    }

    /// The archive days for an object: of the enabled configurations whose filter matches, the
    /// fewest days for each tier (s3sim's assumption where several match: the earliest archiving
    /// wins). `tags` sorted by key.
    pub fn archive_days(&self, key: &str, tags: &[(String, String)]) -> ArchiveDays {
        let mut out = ArchiveDays::default();
        for c in &self.configs {
            if !c.enabled || !c.filter.matches(key, u64::MAX, tags) {
                continue;
            }
            let min = |a: Option<u32>, b: Option<u32>| match (a, b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            out.archive = min(out.archive, c.archive_days);
            out.deep_archive = min(out.deep_archive, c.deep_archive_days);
        }
        out
    }
}

fn read(path: &Path) -> Result<String, ItError> {
    crate::model::limits::read_bounded(path, MAX_FILE_BYTES).map_err(|error| ItError::Io {
        path: path.to_path_buf(),
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match ItConfig::parse("it.json", text) {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => e.to_string(),
        }
    }

    const TIER: &str = r#""Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]"#;

    #[test]
    fn valid_configurations_parse_bare_and_wrapped() {
        let c = ItConfig::parse(
            "it.json",
            r#"{"Id": "logs", "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]}}, "Status": "Enabled",
                "Tierings": [{"Days": 365, "AccessTier": "DEEP_ARCHIVE_ACCESS"}, {"Days": 125, "AccessTier": "ARCHIVE_ACCESS"}]}"#,
        )
        .unwrap();
        assert_eq!(c.id, "logs");
        assert!(c.enabled);
        assert_eq!(c.filter.prefix, "logs/");
        assert_eq!(
            c.filter.tags,
            [("a".into(), "1".into()), ("b".into(), "2".into())]
        );
        assert_eq!(
            (c.archive_days, c.deep_archive_days),
            (Some(125), Some(365))
        );
        let w = ItConfig::parse(
            "it.json",
            &format!(
                r#"{{"IntelligentTieringConfiguration": {{"Id": "x", "Status": "Disabled", {TIER}}}}}"#
            ),
        )
        .unwrap();
        assert!(!w.enabled);
        assert_eq!(w.filter, Filter::default());
        assert_eq!(
            w.explain(),
            [
                "configuration \"x\" (Disabled: no effect): objects of 128 KB or more move to Archive Access after 90 days without access (bypassing Archive Instant Access)"
            ]
        );
        assert_eq!(
            c.explain(),
            [
                "configuration \"logs\": objects of 128 KB or more under prefix \"logs/\" tagged \"a\"=\"1\" and \"b\"=\"2\" move to Archive Access after 125 days without access (in Archive Instant Access from day 90 to day 125)",
                "configuration \"logs\": objects of 128 KB or more under prefix \"logs/\" tagged \"a\"=\"1\" and \"b\"=\"2\" move to Deep Archive Access after 365 days without access"
            ]
        );
    }

    #[test]
    fn invalid_configurations_are_refused_with_the_field_named() {
        let cases: &[(String, &str)] = &[
            (
                format!(r#"{{"Status": "Enabled", {TIER}}}"#),
                "it.json: Id: required",
            ),
            (
                format!(r#"{{"Id": "", "Status": "Enabled", {TIER}}}"#),
                "it.json: Id: must not be empty",
            ),
            (
                format!(r#"{{"Id": "a", {TIER}}}"#),
                "it.json: configuration \"a\", Status: required",
            ),
            (
                format!(r#"{{"Id": "a", "Status": "enabled", {TIER}}}"#),
                "it.json: configuration \"a\", Status: expected Enabled or Disabled, found \"enabled\"",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled"}"#.into(),
                "it.json: configuration \"a\", Tierings: required: at least one of ARCHIVE_ACCESS and DEEP_ARCHIVE_ACCESS",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": []}"#.into(),
                "it.json: configuration \"a\", Tierings: at least one tier",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"Days": 89, "AccessTier": "ARCHIVE_ACCESS"}]}"#.into(),
                "it.json: configuration \"a\", Tierings[0].Days: 89: ARCHIVE_ACCESS takes 90 to 730 days without access",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"Days": 731, "AccessTier": "ARCHIVE_ACCESS"}]}"#.into(),
                "Tierings[0].Days: 731: ARCHIVE_ACCESS takes 90 to 730 days",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 179, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]}"#.into(),
                "it.json: configuration \"a\", Tierings[1].Days: 179: DEEP_ARCHIVE_ACCESS takes 180 to 730 days without access",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 100, "AccessTier": "ARCHIVE_ACCESS"}]}"#.into(),
                "it.json: configuration \"a\", Tierings[1].AccessTier: ARCHIVE_ACCESS given twice",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_INSTANT_ACCESS"}]}"#.into(),
                "Tierings[0].AccessTier: expected ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS, found \"ARCHIVE_INSTANT_ACCESS\"",
            ),
            (
                r#"{"Id": "a", "Status": "Enabled", "Tierings": [{"AccessTier": "ARCHIVE_ACCESS"}]}"#.into(),
                "Tierings[0].Days: required",
            ),
            (
                format!(r#"{{"Id": "a", "Status": "Enabled", "Filter": {{"Prefix": "x/", "Tag": {{"Key": "k", "Value": "v"}}}}, {TIER}}}"#),
                "it.json: configuration \"a\", Filter: at most one of Prefix, Tag or And",
            ),
            (
                format!(r#"{{"Id": "a", "Status": "Enabled", "Filter": {{"And": {{}}}}, {TIER}}}"#),
                "Filter.And: needs a Prefix or Tags",
            ),
            (
                format!(r#"{{"Id": "a", "Status": "Enabled", "Filter": {{"And": {{"Tags": [{{"Key": "k", "Value": "1"}}, {{"Key": "k", "Value": "2"}}]}}}}, {TIER}}}"#),
                "Filter: tag key \"k\" given twice",
            ),
            (
                format!(r#"{{"Id": "a", "Status": "Enabled", "Filter": {{"ObjectSizeGreaterThan": 1}}, {TIER}}}"#),
                "it.json:1:",
            ),
            (
                format!(r#"{{"Id": "a", "Status": "Enabled", "Days": 90, {TIER}}}"#),
                "unknown field `Days`",
            ),
            (
                format!(r#"{{"Id": null, "Status": "Enabled", {TIER}}}"#),
                "it.json: Id: null is not a value here",
            ),
            (
                format!(r#"{{"IntelligentTieringConfiguration": {{"Id": "a", "Status": "Enabled", {TIER}}}, "Id": "b"}}"#),
                "IntelligentTieringConfiguration: give the configuration either wrapped",
            ),
            (
                "{\"Id\": \"a\",\n \"Status\": \"Enabled\",\n \"Tierings\": [}".into(),
                "it.json:3:",
            ),
        ];
        for (text, want) in cases {
            let got = err(text);
            assert!(got.contains(want), "{text}\n got: {got}\nwant: {want}");
        }
    }

    #[test]
    fn two_files_with_one_id_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.json");
        let b = dir.path().join("b.json");
        let text = format!(r#"{{"Id": "same", "Status": "Enabled", {TIER}}}"#);
        std::fs::write(&a, &text).unwrap();
        std::fs::write(&b, &text).unwrap();
        let e = ItConfigs::from_files(&[a.clone(), b])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.json: configuration \"same\", Id: ")
                && e.contains("a.json has a configuration with this Id too"),
            "{e}"
        );
        let missing = ItConfigs::from_files(&[dir.path().join("nope.json")])
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("nope.json: cannot read Intelligent-Tiering configuration"),
            "{missing}"
        );
        assert_eq!(ItConfigs::from_files(&[a]).unwrap().configs.len(), 1);
    }
}
