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
    /// The profile in `dir`, created if missing.
    pub fn at(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(dir.join("logs")).map_err(|source| CoreError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
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

    pub fn log_dir(&self) -> PathBuf {
        self.dir.join("logs")
    }
}
