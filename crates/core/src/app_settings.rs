//! The app's own settings (not a panel's), kept as `settings.json` in the profile folder.
//! A file rather than a table: they are few, and travel whole in a portable profile.

use serde::{Deserialize, Serialize};

use crate::{
    error::{CoreError, Result},
    files,
    profile::Profile,
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppSettings {
    #[serde(default)]
    pub updates: UpdateSettings,
}

/// Where the app looks for updates. No URL, no checks: updates are off until one is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_url: Option<String>,
}

impl AppSettings {
    /// Refuses a manifest URL that is not http(s): the updater fetches it.
    pub fn validated(mut self) -> Result<Self> {
        let url = self
            .updates
            .manifest_url
            .take()
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        if let Some(text) = &url {
            let parsed = url::Url::parse(text).map_err(|_| bad_url())?;
            if !matches!(parsed.scheme(), "https" | "http") {
                return Err(bad_url());
            }
        }
        self.updates.manifest_url = url;
        Ok(self)
    }

    /// The profile's settings; defaults when the file is missing.
    pub fn load(profile: &Profile) -> Result<Self> {
        let path = profile.settings_path();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                CoreError::invalid(format!("{} is not valid settings: {e}", path.display()))
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(CoreError::io(&path, "read", err)),
        }
    }

    pub fn save(&self, profile: &Profile) -> Result<()> {
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| CoreError::Internal(format!("cannot write the settings: {e}")))?;
        files::write_bytes_atomic(&profile.settings_path(), &json)
    }
}

fn bad_url() -> CoreError {
    CoreError::invalid_field(
        "manifestUrl",
        paneldeck_panels::FieldProblem::InvalidUrl,
        "The update manifest's address must start with https:// (or http://).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_start_empty() -> Result<()> {
        let tmp = tempfile::tempdir().map_err(|e| CoreError::Internal(e.to_string()))?;
        let profile = Profile::at(tmp.path())?;
        assert_eq!(AppSettings::load(&profile)?, AppSettings::default());
        let mut settings = AppSettings::default();
        settings.updates.manifest_url = Some(" https://example.org/latest.json ".into());
        settings.validated()?.save(&profile)?;
        assert_eq!(
            AppSettings::load(&profile)?.updates.manifest_url.as_deref(),
            Some("https://example.org/latest.json")
        );
        let mut bad = AppSettings::default();
        bad.updates.manifest_url = Some("file:///etc/passwd".into());
        assert!(bad.validated().is_err());
        Ok(())
    }
}
