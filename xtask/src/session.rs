//! The private D-Bus session with its own gnome-keyring that the tests run in, so they never
//! read or write the user's keyring (`~/.local/share/keyrings`) or profile, and do not meet
//! another keyring daemon running on the same machine.

use std::{
    ffi::OsStr,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context, Result};

use crate::util;

/// A temporary home for the keyring daemon: `data/` becomes `XDG_DATA_HOME` (keyring files,
/// default profiles), `run/` becomes `XDG_RUNTIME_DIR` (the daemon's control socket),
/// `config/` becomes `XDG_CONFIG_HOME`. Removed when dropped.
pub struct PrivateKeyring {
    dir: tempfile::TempDir,
}

/// Starts the session's keyring, runs the command it was given, stops the keyring.
pub const KEYRING_SESSION: &str = include_str!("keyring-session.sh");

impl PrivateKeyring {
    pub fn new() -> Result<Self> {
        for tool in ["dbus-run-session", "dbus-send", "gnome-keyring-daemon"] {
            if !util::which(tool) {
                bail!("`{tool}` is missing: run `cargo xtask deps` first");
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("paneldeck-test-session-")
            .tempdir()
            .context("cannot create a temporary folder for the test keyring")?;
        for sub in ["data", "run", "config"] {
            std::fs::create_dir(dir.path().join(sub))
                .context("cannot create the test keyring's folders")?;
        }
        owner_only(&dir.path().join("run"))?;
        Ok(PrivateKeyring { dir })
    }

    pub fn data_home(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `program args…` inside a new D-Bus session whose keyring lives in this folder.
    pub fn command(&self, program: impl AsRef<OsStr>, args: &[String]) -> Command {
        let root = self.dir.path();
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", "sh", "-c", KEYRING_SESSION])
            .arg(program)
            .args(args)
            .env("XDG_DATA_HOME", root.join("data"))
            .env("XDG_RUNTIME_DIR", root.join("run"))
            .env("XDG_CONFIG_HOME", root.join("config"))
            // The outer desktop's daemon must not be found through these.
            .env_remove("GNOME_KEYRING_CONTROL")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("PANELDECK_DATA_DIR");
        cmd
    }

    /// The keyring files the private daemon wrote: proof it used this folder.
    pub fn keyring_files(&self) -> Vec<PathBuf> {
        list(&self.data_home().join("keyrings"))
    }
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(unix)]
fn owner_only(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .context("cannot make the test runtime folder private")
}

#[cfg(not(unix))]
fn owner_only(_dir: &Path) -> Result<()> {
    Ok(())
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::time::SystemTime;

    use super::*;

    /// Name, bytes and modification time of every file in a folder.
    fn fingerprint(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
        list(dir)
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
                (p, bytes, mtime)
            })
            .collect()
    }

    /// A home with a sentinel keyring folder, as a developer's desktop has: a secret written
    /// and read back inside the test session lands in the private folder, and the sentinel is
    /// untouched. Without the private `XDG_DATA_HOME` the daemon would create
    /// `login.keyring` next to the sentinel and this fails.
    #[test]
    fn the_test_keyring_never_touches_the_users_keyrings() {
        let home = tempfile::tempdir().unwrap();
        let keyrings = home.path().join(".local/share/keyrings");
        std::fs::create_dir_all(&keyrings).unwrap();
        std::fs::write(keyrings.join("sentinel.keyring"), b"the user's own keyring").unwrap();
        let before = fingerprint(&keyrings);

        let session = PrivateKeyring::new().unwrap();
        let script = "printf probe-secret | secret-tool store --label=probe service paneldeck-isolation username probe \
                      && secret-tool lookup service paneldeck-isolation username probe";
        let out = session
            .command("sh", &["-c".into(), script.into()])
            .env("HOME", home.path())
            .output()
            .expect("dbus-run-session runs");
        assert!(
            out.status.success(),
            "the private keyring session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), "probe-secret");

        assert_eq!(
            fingerprint(&keyrings),
            before,
            "the user's keyrings changed"
        );
        assert!(
            !session.keyring_files().is_empty(),
            "the private keyring folder stayed empty: the daemon kept its keyring elsewhere"
        );
    }
}
