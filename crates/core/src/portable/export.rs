//! Writing a portable profile.

use std::path::Path;

use super::{crypt, Passphrase, PortablePanel, PortableProfile, FORMAT, FORMAT_VERSION};
use crate::{
    app_settings::AppSettings,
    error::{CoreError, Result},
    files, Paneldeck,
};

impl Paneldeck {
    /// Encrypts every panel with its secret and the app's settings into `path` (written whole
    /// or not at all). Returns how many panels it holds.
    pub fn export_profile(&self, path: &Path, passphrase: &Passphrase) -> Result<usize> {
        let profile = self.portable_profile()?;
        let plain = serde_json::to_vec(&profile)
            .map_err(|e| CoreError::Internal(format!("cannot write the profile: {e}")))?;
        let sealed = crypt::encrypt(&plain, passphrase)?;
        files::write_bytes_atomic(path, &sealed)?;
        tracing::info!(panels = profile.panels.len(), "profile exported");
        Ok(profile.panels.len())
    }

    fn portable_profile(&self) -> Result<PortableProfile> {
        let mut panels = Vec::new();
        for panel in self.list_panels()? {
            let secrets = self.secrets().get(&panel.id.keyring_account())?;
            panels.push(PortablePanel {
                secret: secrets
                    .and_then(|s| s.primary)
                    .map(|s| s.expose().to_owned()),
                id: panel.id.0,
                name: panel.name,
                kind: panel.kind,
                base_url: panel.base_url,
                color: panel.color,
                tag: panel.tag,
                pinned_cert: panel.pinned_cert,
                settings: panel.settings,
            });
        }
        Ok(PortableProfile {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            panels,
            app_settings: AppSettings::load(self.profile())?,
        })
    }
}
