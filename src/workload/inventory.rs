//! S3 Inventory: `manifest.json` (with the CSV schema in `fileSchema` and the data files, usually
//! `.csv.gz`) or a CSV with a header. Each current object becomes an initial object: its size,
//! LastModifiedDate as creation time (so lifecycle ages are right from day one), storage class and
//! Intelligent-Tiering access tier.
//! See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory.html

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::builder::Builder;
use super::{WorkloadError, accesslog::url_decode};
use crate::model::time::parse_timestamp;
use crate::model::{Op, StorageClass};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    file_format: Option<String>,
    file_schema: String,
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestFile {
    key: String,
}

/// Column positions of the fields s3sim reads.
struct Schema {
    key: usize,
    size: Option<usize>,
    modified: Option<usize>,
    class: Option<usize>,
    tier: Option<usize>,
    delete_marker: Option<usize>,
    version_id: Option<usize>,
}

impl Schema {
    fn of(names: &[String], path: &str) -> Result<Schema, WorkloadError> {
        let find = |n: &str| names.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
        let key = find("Key").ok_or_else(|| WorkloadError::File {
            path: path.to_string(),
            message: format!(
                "the inventory schema has no Key field (found: {})",
                crate::model::limits::excerpt(&names.join(", "))
            ),
        })?;
        let s = Schema {
            key,
            size: find("Size"),
            modified: find("LastModifiedDate"),
            class: find("StorageClass"),
            tier: find("IntelligentTieringAccessTier"),
            version_id: find("VersionId"),
            delete_marker: find("IsDeleteMarker"),
        };
        if s.size.is_none() || s.modified.is_none() {
            return Err(WorkloadError::File {
                path: path.to_string(),
                message: "s3sim needs the Size and LastModifiedDate fields in the inventory (configure them as optional fields)".into(),
            });
        }
        Ok(s)
    }
}

/// Whether JSON text is an inventory manifest.
pub fn is_manifest(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"fileSchema\"")
}

/// Whether a CSV header names inventory fields.
pub fn is_csv_header(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.contains("key") && l.contains("size") && l.contains("lastmodifieddate")
}

/// Reads a manifest and its data files (looked for beside the manifest, in `data/` beside it and
/// in `../data/`, the layout S3 writes).
pub fn read_manifest(path: &Path, text: &str, b: &mut Builder) -> Result<(), WorkloadError> {
    let p = path.display().to_string();
    let m: Manifest = serde_json::from_str(text).map_err(|e| WorkloadError::File {
        path: p.clone(),
        message: format!("not an inventory manifest: {e}"),
    })?;
    if let Some(f) = &m.file_format
        && !f.eq_ignore_ascii_case("CSV")
    {
        return Err(WorkloadError::File {
            path: p,
            message: format!(
                "inventory format {}: s3sim reads CSV inventories (ORC and Parquet are not supported)",
                crate::model::limits::quoted(f)
            ),
        });
    }
    let names: Vec<String> = m
        .file_schema
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let schema = Schema::of(&names, &p)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    for f in &m.files {
        let name = f.key.rsplit('/').next().unwrap_or(&f.key);
        let candidates: Vec<PathBuf> = vec![
            dir.join(name),
            dir.join("data").join(name),
            dir.join("..").join("data").join(name),
        ];
        let Some(found) = candidates.iter().find(|c| c.is_file()) else {
            return Err(WorkloadError::File {
                path: p,
                // The key is the manifest's (up to a line long): quoted as an excerpt, and the
                // folders looked in named once rather than joined with it three times.
                message: format!(
                    "data file {} not found beside the manifest, in its data/ folder or in ../data/ (looked in {})",
                    crate::model::limits::quoted(&f.key),
                    crate::model::limits::excerpt(&dir.display().to_string())
                ),
            });
        };
        let data = super::read_text(found)?;
        read_rows(&found.display().to_string(), &data, &schema, false, b)?;
    }
    Ok(())
}

/// Reads an inventory CSV with a header row.
pub fn read_csv(path: &str, text: &str, b: &mut Builder) -> Result<(), WorkloadError> {
    let header = text.lines().next().unwrap_or("");
    let names: Vec<String> = header
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    let schema = Schema::of(&names, path)?;
    read_rows(path, text, &schema, true, b)
}

fn read_rows(
    path: &str,
    text: &str,
    s: &Schema,
    has_header: bool,
    b: &mut Builder,
) -> Result<(), WorkloadError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(has_header)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(rec.position().map_or(1, |p| p.line() + 1), |p| p.line());
                b.bad_line(path, line, e.to_string())?;
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim();
        // An all-versions inventory lists noncurrent versions and delete markers too: each is
        // replayed at its LastModifiedDate, so a version becomes noncurrent when the next newer
        // one of its key was created.
        let marker = get(s.delete_marker).eq_ignore_ascii_case("true");
        let version_id = get(s.version_id);
        let key = match url_decode(get(Some(s.key))) {
            Ok(k) if !k.is_empty() => k,
            _ => {
                b.bad_line(
                    path,
                    line,
                    format!("bad Key {}", crate::model::limits::quoted(get(Some(s.key)))),
                )?;
                continue;
            }
        };
        let Some(modified) = parse_timestamp(get(s.modified)) else {
            b.bad_line(
                path,
                line,
                format!(
                    "bad LastModifiedDate {}",
                    crate::model::limits::quoted(get(s.modified))
                ),
            )?;
            continue;
        };
        if marker {
            if b.within_s3_limits(path, line, &key, 0)? {
                b.push(
                    modified,
                    Op::InitialMarker,
                    &key,
                    0,
                    StorageClass::Standard,
                    0,
                    0,
                );
                let vid = b.id(version_id);
                b.set_last_vid(vid);
            }
            continue;
        }
        let Ok(size) = get(s.size).parse::<u64>() else {
            b.bad_line(
                path,
                line,
                format!("bad Size {}", crate::model::limits::quoted(get(s.size))),
            )?;
            continue;
        };
        let class_s = get(s.class);
        let class = if class_s.is_empty() {
            StorageClass::Standard
        } else {
            match StorageClass::parse(class_s) {
                Some(c) => c,
                None => {
                    b.bad_line(
                        path,
                        line,
                        format!(
                            "storage class {} is not one s3sim models",
                            crate::model::limits::quoted(class_s)
                        ),
                    )?;
                    continue;
                }
            }
        };
        let tier = match get(s.tier).to_ascii_uppercase().as_str() {
            "" | "FREQUENT" => 0,
            "INFREQUENT" => 1,
            "ARCHIVE_INSTANT" | "ARCHIVE_INSTANT_ACCESS" => 2,
            "ARCHIVE" | "ARCHIVE_ACCESS" => 3,
            "DEEP_ARCHIVE" | "DEEP_ARCHIVE_ACCESS" => 4,
            other => {
                b.bad_line(
                    path,
                    line,
                    format!(
                        "IntelligentTieringAccessTier {}: expected FREQUENT, INFREQUENT, ARCHIVE_INSTANT_ACCESS, ARCHIVE_ACCESS or DEEP_ARCHIVE_ACCESS",
                        crate::model::limits::quoted(other)
                    ),
                )?;
                continue;
            }
        };
        if b.within_s3_limits(path, line, &key, size)? {
            b.push(modified, Op::Initial, &key, size, class, 0, tier);
            let vid = b.id(version_id);
            b.set_last_vid(vid);
        }
    }
    Ok(())
}
