//! Writing one output file (`generate --out`, `convert --out`) safely: never over an input, never
//! over an existing file unless `--force`, and atomically (a temporary sibling renamed into place,
//! removed on error or Ctrl-C).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Failure;

/// Checks that `out` may be written (before any work): not a folder, not an existing file unless
/// `force`, never one of `inputs`.
pub fn check(out: &Path, force: bool, inputs: &[&Path]) -> Result<()> {
    let raw = out.as_os_str().as_encoded_bytes();
    if raw.ends_with(b"/") || out.file_name().is_none() {
        bail!("--out {}: name a file", out.display());
    }
    // Where `out` is or would be, links resolved.
    let out_abs = match (out.parent(), out.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            std::fs::canonicalize(dir).map(|d| d.join(name)).ok()
        }
        _ => None,
    };
    let out_abs = std::fs::canonicalize(out).ok().or(out_abs);
    if let Some(out_abs) = &out_abs {
        for i in inputs {
            let Ok(abs) = std::fs::canonicalize(i) else {
                continue;
            };
            if abs == *out_abs {
                bail!(
                    "--out {} is the input {}: s3sim does not write over its input",
                    out.display(),
                    i.display()
                );
            }
            if abs.is_dir() && out_abs.starts_with(&abs) {
                bail!(
                    "--out {} is inside the input folder {}: write it elsewhere",
                    out.display(),
                    i.display()
                );
            }
        }
    }
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(());
    };
    if meta.is_dir() {
        bail!("--out {} is a folder; name a file", out.display());
    }
    if !force {
        bail!("--out {} exists; add --force to replace it", out.display());
    }
    Ok(())
}

/// Writes `out` through `write`, atomically; errors writing are the user's machine's (exit 2).
pub fn write<T>(
    out: &Path,
    option: &str,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T>,
) -> Result<T, Failure> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Unique to this process and instant: two workers writing one file (a retried or speculative
    // worker, on another machine sharing the folder) never write the same temporary file.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp: PathBuf = out.with_file_name(format!(".{name}.tmp-{}-{nanos}", std::process::id()));
    let file = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .with_context(|| {
            format!(
                "{option} {}: cannot create {}",
                out.display(),
                tmp.display()
            )
        })
        .map_err(Failure::Input)?;
    let staged = crate::cleanup::register(&tmp, false);
    let result = (|| -> Result<T> {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        let v = write(&mut w)?;
        w.flush()
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        drop(w);
        crate::cleanup::Registry::committing(|| std::fs::rename(&tmp, out))
            .with_context(|| format!("cannot write {}", out.display()))?;
        Ok(v)
    })();
    drop(staged);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(Failure::Input)
}
