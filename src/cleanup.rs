//! Temporary files and folders that must not outlive an interrupted command.
//!
//! Writers register what they stage ([`register`]) and drop the registration when it has become
//! the real output or was removed. On Ctrl-C the CLI calls [`remove_all`], which takes the same
//! lock as [`Registry::committing`]: an interrupt that arrives while a report is being moved into
//! place waits for the move to finish, so the user's folder is never left half replaced.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What a registered path is, and so how it is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    /// A folder s3sim filled: removed with everything in it.
    Tree,
    /// A folder s3sim reserved: removed only while it is still empty.
    EmptyDir,
}

/// What is staged now: (id, path, kind).
pub struct Registry {
    entries: Vec<(u64, PathBuf, Kind)>,
    next: u64,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    entries: Vec::new(),
    next: 0,
});

fn registry() -> MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves the list as it was: still usable.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// A registration: removes the path from the registry (not from the disk) when dropped.
#[derive(Debug)]
pub struct Staged {
    id: u64,
}

impl Drop for Staged {
    fn drop(&mut self) {
        registry().entries.retain(|(id, _, _)| *id != self.id);
    }
}

/// Registers `path` (a folder if `dir`) for removal if the command is interrupted.
pub fn register(path: &Path, dir: bool) -> Staged {
    add(path, if dir { Kind::Tree } else { Kind::File })
}

/// Registers a folder to remove if the command is interrupted while it is still empty.
pub fn register_empty_dir(path: &Path) -> Staged {
    add(path, Kind::EmptyDir)
}

fn add(path: &Path, kind: Kind) -> Staged {
    let mut r = registry();
    r.next += 1;
    let id = r.next;
    r.entries.push((id, path.to_path_buf(), kind));
    Staged { id }
}

impl Registry {
    /// Holds off [`remove_all`] while `f` moves staged output into place.
    pub fn committing<T>(f: impl FnOnce() -> T) -> T {
        let _held = registry();
        f()
    }
}

/// Removes everything registered (on Ctrl-C); returns what it removed.
pub fn remove_all() -> Vec<PathBuf> {
    let mut r = registry();
    let mut removed = Vec::new();
    for (_, path, kind) in r.entries.drain(..) {
        let ok = match kind {
            Kind::Tree => std::fs::remove_dir_all(&path),
            Kind::File => std::fs::remove_file(&path),
            Kind::EmptyDir => std::fs::remove_dir(&path),
        };
        if ok.is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_and_dropped_ones_kept() {
        let dir = std::env::temp_dir().join(format!("s3sim-cleanup-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("staged")).unwrap();
        std::fs::write(dir.join("staged/a"), b"x").unwrap();
        std::fs::write(dir.join("kept"), b"x").unwrap();
        let _staged = register(&dir.join("staged"), true);
        drop(register(&dir.join("kept"), false));
        let removed = remove_all();
        assert!(removed.contains(&dir.join("staged")));
        assert!(!dir.join("staged").exists());
        assert!(dir.join("kept").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
