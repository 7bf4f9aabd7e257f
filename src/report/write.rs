//! Writing a report folder safely.
//!
//! The rule (README, "Where reports go"): s3sim only ever removes files it wrote.
//! - `--out` must be absent, empty, or a report s3sim wrote: a folder holding a [`MARKER`] file that
//!   lists the report's files, and nothing else. Anything else there (a `notes.md` the user added,
//!   or a folder that merely holds a `run.json`) makes s3sim refuse, before it simulates anything.
//! - `--out` is used exactly as the user spelled it: a path ending in `.` or `..`, and a symbolic
//!   link, are refused rather than resolved to some other folder.
//! - The report is staged in a sibling folder `.NAME.tmp-PID` created (and so checked writable)
//!   before the simulation starts, and renamed into place at the end; the earlier report is moved
//!   aside first and then deleted file by file, from its own list. A staging folder holds a lock
//!   file for as long as its run lives: the next run into the same place removes staging folders
//!   whose lock is free (a killed run's), and refuses while another live run holds one.

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::cleanup;

/// The file that makes a folder an s3sim report: JSON with the list of the report's files.
pub const MARKER: &str = ".s3sim-report";
/// The lock file of a staging folder (removed before the folder becomes the report).
const STAGING_LOCK: &str = ".s3sim-staging";
/// Report folders are flat and small; a folder with more entries than this is not one of ours.
const MAX_REPORT_FILES: usize = 100_000;

/// A report folder being written: created by [`Staging::prepare`] before any work, moved into
/// place by [`Staging::commit`], removed if dropped uncommitted (an error or a panic).
#[derive(Debug)]
pub struct Staging {
    /// The report folder, as the user named it (trailing slashes dropped).
    out: PathBuf,
    tmp: PathBuf,
    /// Held for the staging folder's whole life; its lock tells other runs this one is alive.
    lock: Option<File>,
    staged: Option<cleanup::Staged>,
    /// Set when this run created `out` itself (a default name) and must remove it on failure.
    reserved: Option<cleanup::Staged>,
}

/// `out` as the user spelled it, checked: its parent folder and its own name.
fn split_out(out: &Path) -> Result<(PathBuf, String)> {
    let raw = out.as_os_str().as_encoded_bytes();
    let trimmed = {
        let mut r = raw;
        while r.len() > 1 && r.ends_with(b"/") {
            r = &r[..r.len() - 1];
        }
        r
    };
    let last = trimmed.rsplit(|&c| c == b'/').next().unwrap_or(trimmed);
    if last == b"." || last == b".." || trimmed == b"/" || trimmed.is_empty() {
        bail!(
            "--out {}: name the report folder itself (for example --out reports/today), not a path ending in . or .. or /",
            out.display()
        );
    }
    let name = match out.components().next_back() {
        Some(Component::Normal(n)) => n.to_string_lossy().into_owned(),
        _ => bail!(
            "--out {}: name the report folder itself (for example --out reports/today)",
            out.display()
        ),
    };
    let parent = match out.parent() {
        Some(p) => p.to_path_buf(),
        None => PathBuf::new(),
    };
    Ok((parent, name))
}

/// The files listed by the marker of report folder `dir`, if `dir` holds exactly a report s3sim
/// wrote; else the reason it is not one (for the refusal).
fn own_report_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let marker = dir.join(MARKER);
    match std::fs::symlink_metadata(&marker) {
        Ok(m) if m.is_file() => {}
        _ => {
            let why = if dir.join("run.json").exists() {
                "it has a run.json but no .s3sim-report marker (a report from before s3sim 0.1's marker, or not a report): s3sim does not replace it"
            } else {
                "it holds files, and no .s3sim-report marker says s3sim wrote them"
            };
            return Err(why.into());
        }
    }
    let text = crate::model::limits::read_bounded(&marker, 16 << 20)
        .map_err(|e| format!("its marker {} cannot be read: {e}", marker.display()))?;
    let listed: Vec<String> = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("files")?
                .as_array()?
                .iter()
                .map(|f| f.as_str().map(str::to_string))
                .collect()
        })
        .ok_or_else(|| format!("its marker {} is not one s3sim wrote", marker.display()))?;
    let mut files: Vec<PathBuf> = Vec::new();
    for f in &listed {
        let rel = Path::new(f);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(format!(
                "its marker lists {f:?}, which is not a file inside it"
            ));
        }
        files.push(rel.to_path_buf());
    }
    // Every entry must be the marker, a listed regular file, or a folder on a listed file's path.
    let mut extra = Vec::new();
    let mut stack = vec![PathBuf::new()];
    let mut seen = 0usize;
    while let Some(rel) = stack.pop() {
        let entries = std::fs::read_dir(dir.join(&rel))
            .map_err(|e| format!("cannot read {}: {e}", dir.join(&rel).display()))?;
        for e in entries {
            let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            seen += 1;
            if seen > MAX_REPORT_FILES {
                return Err(format!("it holds more than {MAX_REPORT_FILES} files"));
            }
            let r = rel.join(e.file_name());
            let t = e
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            if r == Path::new(MARKER) {
                continue;
            }
            if t.is_dir() && files.iter().any(|f| f.starts_with(&r)) {
                stack.push(r);
            } else if !(t.is_file() && files.contains(&r)) {
                extra.push(r.display().to_string());
            }
        }
    }
    if !extra.is_empty() {
        extra.sort();
        let shown: Vec<&str> = extra.iter().take(5).map(String::as_str).collect();
        return Err(format!(
            "it holds {} file(s) s3sim did not write ({}{})",
            extra.len(),
            shown.join(", "),
            if extra.len() > 5 { ", ..." } else { "" }
        ));
    }
    Ok(files)
}

/// What is at `out` now: None if nothing; Some(files) if a report s3sim may replace (its listed
/// files; empty for an empty folder); an error if s3sim must not touch it.
fn existing(out: &Path) -> Result<Option<Vec<PathBuf>>> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => bail!("--out {}: {e}", out.display()),
    };
    if meta.file_type().is_symlink() {
        bail!(
            "--out {} is a symbolic link; s3sim does not write through links: name the folder itself",
            out.display()
        );
    }
    if !meta.is_dir() {
        bail!("--out {} exists and is not a folder", out.display());
    }
    let empty = std::fs::read_dir(out)
        .with_context(|| format!("cannot read --out folder {}", out.display()))?
        .next()
        .is_none();
    if empty {
        return Ok(Some(Vec::new()));
    }
    own_report_files(out).map(Some).map_err(|why| {
        anyhow!(
            "--out {}: not replaced, because {why}; s3sim only replaces reports it wrote (choose another folder, or move those files away)",
            out.display()
        )
    })
}

/// Checks that `out` may be written, without creating anything (see the module docs).
pub fn check_out_dir(out: &Path) -> Result<()> {
    let (parent, name) = split_out(out)?;
    existing(&parent.join(name)).map(|_| ())
}

/// Whether `name` is a default report folder name: `20261203T062735Z`, maybe with `-N`.
fn is_stamp(name: &str) -> bool {
    let (stamp, n) = name.split_once('-').unwrap_or((name, "1"));
    let b = stamp.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
        && !n.is_empty()
        && n.bytes().all(|c| c.is_ascii_digit())
}

/// Removes what killed default runs left in `base` (runs whose lock died with them): their
/// staging folders, and the default-named folder each had claimed, while it is still empty.
/// Best effort: a default run never fails because of another run's leftovers.
fn clear_dead_default_runs(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let Some(name) = n
            .strip_prefix('.')
            .and_then(|r| r.split_once(".tmp-"))
            .map(|(name, _)| name)
            .filter(|name| is_stamp(name))
        else {
            continue;
        };
        let dir = e.path();
        let Ok(lock) = File::options().write(true).open(dir.join(STAGING_LOCK)) else {
            continue;
        };
        if lock.try_lock().is_ok() && std::fs::remove_dir_all(&dir).is_ok() {
            // Only while empty: the claim of the dead run, never a report or the user's files.
            let _ = std::fs::remove_dir(base.join(name));
        }
    }
}

/// The staging folders of earlier runs into `parent/name`: removes those whose run is gone, and
/// refuses if a live run is writing there.
fn clear_stale_staging(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let prefix = format!(".{name}.tmp-");
    let aside = format!(".{name}.old-");
    let dir_of = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let entries = match std::fs::read_dir(dir_of) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", parent.display())),
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        if !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = e.path();
        if n.starts_with(&aside) {
            // An earlier report moved aside by a run killed before it deleted it.
            if let Ok(files) = own_report_files(&dir) {
                remove_own_report(&dir, &files);
            }
            continue;
        }
        if !n.starts_with(&prefix) {
            continue;
        }
        let Ok(lock) = File::options().write(true).open(dir.join(STAGING_LOCK)) else {
            continue; // not a staging folder of ours (or one being committed): leave it
        };
        match lock.try_lock() {
            Ok(()) => {
                // Its run is gone (a lock dies with its process): it was ours, remove it.
                std::fs::remove_dir_all(&dir).with_context(|| {
                    format!(
                        "cannot remove {}, left by an interrupted run",
                        dir.display()
                    )
                })?;
            }
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "--out {}: another s3sim run is writing a report there now (its staging folder {}); wait for it or choose another folder",
                out.display(),
                dir.display()
            ),
            Err(std::fs::TryLockError::Error(_)) => {}
        }
    }
    Ok(())
}

impl Staging {
    /// Checks `out` (see the module docs), clears what killed runs left, and creates the staging
    /// folder, so that a folder that cannot be written fails before any work.
    pub fn prepare(out: &Path) -> Result<Staging> {
        let (parent, name) = split_out(out)?;
        let clean = parent.join(&name);
        existing(&clean)?;
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(&parent).with_context(|| {
                format!(
                    "--out {}: cannot create folder {}",
                    out.display(),
                    parent.display()
                )
            })?;
        }
        clear_stale_staging(&parent, &name, out)?;
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = parent.join(format!(".{name}.tmp-{}-{seq}", std::process::id()));
        std::fs::create_dir(&tmp).with_context(|| {
            format!(
                "--out {}: cannot write in {}",
                out.display(),
                parent.display()
            )
        })?;
        let staged = cleanup::register(&tmp, true);
        let lock = File::options()
            .write(true)
            .create_new(true)
            .open(tmp.join(STAGING_LOCK))
            .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::from))
            .with_context(|| format!("--out {}: cannot write in {}", out.display(), tmp.display()));
        let mut staging = Staging {
            out: clean,
            tmp,
            lock: None,
            staged: Some(staged),
            reserved: None,
        };
        staging.lock = Some(lock?);
        Ok(staging)
    }

    /// Stages a new report folder `base/<stamp>`, or `base/<stamp>-2`, `-3`, ... when that name
    /// is taken: the folder is created at once (an atomic claim, so two runs started in the same
    /// second never pick the same name) and removed again if the run fails while it is empty.
    pub fn prepare_new(base: &Path, stamp: &str) -> Result<Staging> {
        std::fs::create_dir_all(base)
            .with_context(|| format!("cannot create folder {}", base.display()))?;
        clear_dead_default_runs(base);
        for n in 1..1000 {
            let name = if n == 1 {
                stamp.to_string()
            } else {
                format!("{stamp}-{n}")
            };
            let p = base.join(name);
            // Registered before it exists, so that a Ctrl-C right after the claim removes it.
            let reserved = cleanup::register_empty_dir(&p);
            match std::fs::create_dir(&p) {
                Ok(()) => {
                    let mut staging = match Staging::prepare(&p) {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = std::fs::remove_dir(&p);
                            return Err(e);
                        }
                    };
                    staging.reserved = Some(reserved);
                    return Ok(staging);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    // Not ours: leave it alone (dropping the registration does not touch it).
                    drop(reserved);
                    continue;
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create folder {}", p.display()));
                }
            }
        }
        bail!(
            "{}: a thousand reports are already named {stamp}; give --out",
            base.display()
        )
    }

    /// The report folder this writes.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes `files` (relative name, contents) and moves them into place, replacing the earlier
    /// report there (only if it is still one s3sim may replace).
    pub fn commit(&mut self, files: &[(String, Vec<u8>)]) -> Result<()> {
        let mut names: Vec<&str> = Vec::with_capacity(files.len());
        for (rel, bytes) in files {
            let path = self.tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            names.push(rel);
        }
        names.sort_unstable();
        let marker = serde_json::json!({
            "about": "This folder is a report written by s3sim; s3sim replaces it only if it holds nothing but the files listed here.",
            "s3sim_version": env!("CARGO_PKG_VERSION"),
            "files": names,
        });
        let marker = serde_json::to_string_pretty(&marker)? + "\n";
        std::fs::write(self.tmp.join(MARKER), marker)
            .with_context(|| format!("cannot write {}", self.tmp.join(MARKER).display()))?;
        let moved = cleanup::Registry::committing(|| self.move_into_place());
        if moved.is_ok() {
            // Now the report itself: nothing left to remove on Ctrl-C (outside the lock above).
            self.staged = None;
            self.lock = None;
            self.reserved = None;
        }
        moved
    }

    fn move_into_place(&mut self) -> Result<()> {
        let out = self.out.clone();
        let old = match existing(&out)? {
            None => None,
            Some(files) => {
                let name = out.file_name().unwrap_or(OsStr::new("report"));
                let aside = out.with_file_name(format!(
                    ".{}.old-{}",
                    name.to_string_lossy(),
                    std::process::id()
                ));
                std::fs::rename(&out, &aside).with_context(|| {
                    format!("cannot move the earlier report {} aside", out.display())
                })?;
                Some((aside, files))
            }
        };
        // The lock file goes first (the open handle keeps the lock until this run ends).
        let _ = std::fs::remove_file(self.tmp.join(STAGING_LOCK));
        if let Err(e) = std::fs::rename(&self.tmp, &out) {
            if let Some((aside, _)) = &old {
                let _ = std::fs::rename(aside, &out);
            }
            return Err(e).with_context(|| {
                format!(
                    "cannot move the report into {} (did another program write there meanwhile?)",
                    out.display()
                )
            });
        }
        if let Some((aside, files)) = old {
            remove_own_report(&aside, &files);
        }
        Ok(())
    }
}

/// Deletes a report folder that was moved aside, file by file from its own list; anything else
/// that appeared in it meanwhile is left (and so is the folder).
fn remove_own_report(dir: &Path, files: &[PathBuf]) {
    for f in files {
        let _ = std::fs::remove_file(dir.join(f));
    }
    let _ = std::fs::remove_file(dir.join(MARKER));
    let mut subdirs: Vec<PathBuf> = files
        .iter()
        .flat_map(|f| f.ancestors().skip(1).map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    subdirs.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    subdirs.dedup();
    for d in subdirs {
        let _ = std::fs::remove_dir(dir.join(d));
    }
    if std::fs::remove_dir(dir).is_err() {
        eprintln!(
            "warning: {} held files s3sim did not write; it was left in place",
            dir.display()
        );
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.staged.is_some() && self.tmp.exists() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        if self.reserved.is_some() {
            // Only while still empty: never anything the user put there meanwhile.
            let _ = std::fs::remove_dir(&self.out);
        }
    }
}

/// Writes `files` into `out` in one go (prepare, then commit).
pub fn write_report_dir(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let mut staging = Staging::prepare(out)?;
    staging.commit(files)
}
