//! Writing a report folder atomically: everything goes to a temporary sibling folder that is renamed
//! into place at the end, so an interrupted run never leaves a report that looks complete.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Checks, before any work, that `out` may be written: absent, empty, or an earlier s3sim report
/// (it has a `run.json`), which is then replaced.
pub fn check_out_dir(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("--out {} exists and is not a folder", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("cannot read --out folder {}", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join("run.json").is_file() {
        bail!(
            "--out {} is a folder with files that are not an s3sim report (no run.json); choose another folder",
            out.display()
        );
    }
    Ok(())
}

/// Writes `files` (relative name, contents) into `out`, replacing an earlier report there.
pub fn write_report_dir(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    check_out_dir(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create folder {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp)
            .with_context(|| format!("cannot remove stale {}", tmp.display()))?;
    }
    let result = (|| -> Result<()> {
        for (rel, bytes) in files {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if out.exists() {
            std::fs::remove_dir_all(out)
                .with_context(|| format!("cannot replace {}", out.display()))?;
        }
        std::fs::rename(&tmp, out)
            .with_context(|| format!("cannot move the report into {}", out.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
