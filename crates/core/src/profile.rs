use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// Where one profile keeps its files: `paneldeck.db` (settings, snapshot) and `logs/`.
/// Secrets are never here; they live in the OS keyring.
#[derive(Debug, Clone)]
pub struct Profile {
    dir: PathBuf,
}

/// Environment variable naming a profile folder (same as the CLI's `--data-dir`).
pub const DATA_DIR_ENV: &str = "PANELDECK_DATA_DIR";

impl Profile {
    /// The profile in `dir`, created if missing; only its owner may enter it.
    pub fn at(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        let failed = |source| CoreError::DataDir {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir.join("logs")).map_err(failed)?;
        owner_only(&dir, 0o700).map_err(failed)?;
        owner_only(&dir.join("logs"), 0o700).map_err(failed)?;
        Ok(Profile { dir })
    }

    /// `$PANELDECK_DATA_DIR`, else the platform's app-data folder
    /// (Linux `~/.local/share/paneldeck`, macOS `~/Library/Application Support/app.paneldeck.Paneldeck`,
    /// Windows `%APPDATA%\Paneldeck\Paneldeck\data`).
    pub fn default_location() -> Result<Self> {
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            return Profile::at(PathBuf::from(dir));
        }
        let dirs = directories::ProjectDirs::from("app", "paneldeck", "Paneldeck")
            .ok_or_else(|| CoreError::Internal("no home folder to keep data in".into()))?;
        Profile::at(dirs.data_dir())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn database_path(&self) -> PathBuf {
        self.dir.join("paneldeck.db")
    }

    /// The app's own settings (see `app_settings`).
    pub fn settings_path(&self) -> PathBuf {
        self.dir.join("settings.json")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.dir.join("logs")
    }
}

/// Creates `path` if missing and lets only its owner read or write it: the database holds end
/// users' UUIDs and subscription URLs. SQLite gives its `-wal` and `-shm` files the database
/// file's mode, so they follow; ones left by an older version are tightened here too.
pub(crate) fn private_file(path: &Path) -> std::io::Result<()> {
    let mut open = std::fs::OpenOptions::new();
    open.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    open.open(path)?;
    owner_only(path, 0o600)?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            owner_only(&side, 0o600)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn owner_only(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// Elsewhere the user's profile folder is private by the system's defaults.
#[cfg(not(unix))]
fn owner_only(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_profile_and_its_database_are_the_owners_alone() -> Result<()> {
        let tmp = tempfile::tempdir().map_err(|e| CoreError::Internal(e.to_string()))?;
        let dir = tmp.path().join("profile");
        std::fs::create_dir_all(&dir).map_err(|e| CoreError::Internal(e.to_string()))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let profile = Profile::at(&dir)?;
        assert_eq!(mode(profile.dir()), 0o700);
        assert_eq!(mode(&profile.log_dir()), 0o700);
        // A database an older version left readable by everyone is tightened on opening.
        std::fs::write(profile.database_path(), b"")
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        std::fs::set_permissions(
            profile.database_path(),
            std::fs::Permissions::from_mode(0o644),
        )
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        let store = crate::store::Store::open(&profile.database_path())?;
        store.with(|c| Ok(c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")?))?;
        assert_eq!(mode(&profile.database_path()), 0o600);
        let wal = dir.join("paneldeck.db-wal");
        if wal.exists() {
            assert_eq!(mode(&wal), 0o600);
        }
        Ok(())
    }
}
