//! The demo's throwaway profile folder. It is removed when the demo is dropped, but an app
//! that is killed, or that exits without unwinding (as a Tauri app does), leaves it behind;
//! with 25,000 accounts a panel it holds 0.4 GB. So every demo start removes the folders of
//! demos that are no longer running: a running demo holds a lock on the folder's lock file.

use std::{
    fs::File,
    path::{Path, PathBuf},
    time::Duration,
};

use crate::error::{CoreError, Result};

const PREFIX: &str = "paneldeck-demo-";
const LOCK_FILE: &str = "demo.lock";

/// A folder younger than this is left alone: its demo may be starting.
const STARTING: Duration = Duration::from_secs(60);

/// A demo's folder, locked for as long as this lives.
pub struct DemoFolder {
    // Released before the folder is removed (Windows removes no open file).
    _lock: File,
    dir: tempfile::TempDir,
}

impl DemoFolder {
    /// Removes abandoned demo folders in `parent`, then makes and locks a new one there.
    pub fn create_in(parent: &Path) -> Result<DemoFolder> {
        for dir in abandoned(parent) {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => tracing::info!(dir = %dir.display(), "removed an abandoned demo folder"),
                Err(err) => tracing::debug!(dir = %dir.display(), %err, "cannot remove"),
            }
        }
        let dir = tempfile::Builder::new()
            .prefix(PREFIX)
            .tempdir_in(parent)
            .map_err(|e| CoreError::Internal(format!("no temporary folder for the demo: {e}")))?;
        let lock = File::create(dir.path().join(LOCK_FILE))
            .and_then(|f| f.try_lock().map(|()| f).map_err(std::io::Error::from))
            .map_err(|e| CoreError::Internal(format!("cannot lock the demo folder: {e}")))?;
        Ok(DemoFolder { _lock: lock, dir })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the folder now, as dropping would: for an app that exits without dropping.
    /// Files still open may stay (on Windows); the next demo start removes them.
    pub fn remove_now(&self) {
        if let Err(err) = std::fs::remove_dir_all(self.dir.path()) {
            tracing::debug!(%err, "cannot remove the demo folder");
        }
    }
}

/// The demo folders in `parent` whose demo has ended.
fn abandoned(parent: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(PREFIX))
        // Not through a symbolic link: only folders this module made.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|dir| has_ended(dir))
        .collect()
}

fn has_ended(dir: &Path) -> bool {
    // A demo makes its folder, then its lock file, then locks it: a young folder may be
    // one whose lock is not taken yet.
    let young = std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < STARTING);
    if young {
        return false;
    }
    match File::open(dir.join(LOCK_FILE)) {
        // Nobody holds the lock; ours is let go when the file is closed, here.
        Ok(lock) => lock.try_lock().is_ok(),
        // No lock file: left by a version without them.
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Makes `dir` look `secs` old.
    fn age(dir: &Path, secs: u64) {
        let then = std::time::SystemTime::now() - Duration::from_secs(secs);
        File::open(dir).unwrap().set_modified(then).unwrap();
    }

    // Folders' times are set through a handle on the folder, which Unix opens.
    #[cfg(unix)]
    #[test]
    fn a_new_demo_removes_the_folders_of_ended_demos_only() {
        let parent = tempfile::tempdir().unwrap();
        let running = DemoFolder::create_in(parent.path()).unwrap();
        age(running.path(), 600);
        // A demo that was killed: its lock file is there, and nobody holds it.
        let ended = parent.path().join(format!("{PREFIX}ended"));
        std::fs::create_dir(&ended).unwrap();
        std::fs::write(ended.join("paneldeck.db"), b"data").unwrap();
        std::fs::write(ended.join(LOCK_FILE), b"").unwrap();
        age(&ended, 600);
        // Left by a version without lock files.
        let legacy = parent.path().join(format!("{PREFIX}legacy"));
        std::fs::create_dir(&legacy).unwrap();
        age(&legacy, 600);
        // A demo starting at this moment: its lock file made but not locked yet.
        let starting = parent.path().join(format!("{PREFIX}starting"));
        std::fs::create_dir(&starting).unwrap();
        std::fs::write(starting.join(LOCK_FILE), b"").unwrap();
        // Not a demo's.
        let other = parent.path().join("other-unlocked");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join(LOCK_FILE), b"").unwrap();
        age(&other, 600);

        let second = DemoFolder::create_in(parent.path()).unwrap();
        assert!(!ended.exists(), "the killed demo's folder stays");
        assert!(!legacy.exists(), "the old folder stays");
        assert!(
            running.path().exists(),
            "a running demo's folder was removed"
        );
        assert!(starting.exists(), "a starting demo's folder was removed");
        assert!(other.exists());
        assert!(second.path().join(LOCK_FILE).exists());

        // Dropped normally, a demo removes its own folder.
        let path = running.path().to_owned();
        drop(running);
        assert!(!path.exists());
    }
}
