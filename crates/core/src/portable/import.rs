//! Reading a portable profile into this machine's profile and secret store. Everything is
//! decided before anything is written: a wrong passphrase, a damaged file or an undecided
//! conflict writes nothing.

use std::path::Path;

use paneldeck_panels::{Endpoint, Secret};
use serde::{Deserialize, Serialize};

use super::{crypt, Passphrase, PortablePanel, PortableProfile, FORMAT, FORMAT_VERSION};
use crate::{
    app_settings::AppSettings,
    error::{CoreError, Result},
    registry::{self, PanelId, PanelView, ValidPanel},
    secrets::PanelSecrets,
    Paneldeck,
};

/// A decrypted, checked profile file, ready to import.
pub struct ProfileImport {
    panels: Vec<(PortablePanel, ValidPanel)>,
    app_settings: AppSettings,
}

/// Something in the file that would overwrite what this machine has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Conflict {
    /// A panel with the imported one's name or id exists.
    Panel { name: String },
    /// The app's settings differ from the imported ones.
    Settings,
}

/// What to do with one conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ImportChoice {
    Replace,
    Skip,
}

/// What an import did, by panel name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    pub skipped: Vec<String>,
    pub settings_applied: bool,
}

impl ProfileImport {
    /// Decrypts and checks `path`. A wrong passphrase is [`CoreError::WrongPassphrase`].
    pub fn read(path: &Path, passphrase: &Passphrase) -> Result<Self> {
        let file = std::fs::read(path).map_err(|e| CoreError::io(path, "read", e))?;
        let plain = crypt::decrypt(&file, passphrase)?;
        let profile: PortableProfile = serde_json::from_slice(&plain)
            .map_err(|e| CoreError::invalid(format!("The profile file is damaged: {e}")))?;
        if profile.format != FORMAT {
            return Err(CoreError::invalid("This is not a Paneldeck profile file."));
        }
        if profile.version > FORMAT_VERSION {
            return Err(CoreError::invalid(format!(
                "This profile was written by a newer Paneldeck (format {}); update the app first.",
                profile.version
            )));
        }
        let panels = profile
            .panels
            .into_iter()
            .map(|p| valid(&p).map(|v| (p, v)))
            .collect::<Result<_>>()?;
        Ok(ProfileImport {
            panels,
            app_settings: profile.app_settings.validated()?,
        })
    }

    pub fn panel_names(&self) -> impl Iterator<Item = &str> {
        self.panels.iter().map(|(p, _)| p.name.as_str())
    }

    /// What this import would overwrite in `paneldeck`'s profile.
    pub fn conflicts(&self, paneldeck: &Paneldeck) -> Result<Vec<Conflict>> {
        let mut out = Vec::new();
        for (panel, _) in &self.panels {
            if existing(paneldeck, panel)?.is_some() {
                out.push(Conflict::Panel {
                    name: panel.name.clone(),
                });
            }
        }
        if settings_conflict(paneldeck, &self.app_settings)? {
            out.push(Conflict::Settings);
        }
        Ok(out)
    }
}

/// The registry's checks on an imported panel, as on one typed in.
fn valid(panel: &PortablePanel) -> Result<ValidPanel> {
    let damaged = |what: &str| {
        CoreError::invalid(format!(
            "The profile file is damaged: panel '{}' has {what}.",
            panel.name
        ))
    };
    let pin = match panel.pinned_cert.as_deref() {
        Some(text) => Some(text.parse().map_err(|_| damaged("a bad certificate pin"))?),
        None => None,
    };
    let endpoint = Endpoint::parse(&panel.base_url)
        .map_err(|_| damaged("a bad address"))?
        .with_pin(pin);
    Ok(ValidPanel {
        name: panel.name.trim().to_owned(),
        kind: panel.kind,
        endpoint,
        color: panel.color.clone(),
        tag: panel.tag.clone(),
        settings: panel.settings.clone(),
        secret: panel.secret.clone().map(Secret::new),
    })
}

fn existing(paneldeck: &Paneldeck, panel: &PortablePanel) -> Result<Option<PanelView>> {
    paneldeck.store().with(|c| {
        if let Ok(found) = registry::get(c, &PanelId(panel.id.clone())) {
            return Ok(Some(found));
        }
        registry::find_by_name(c, panel.name.trim())
    })
}

fn settings_conflict(paneldeck: &Paneldeck, imported: &AppSettings) -> Result<bool> {
    let local = AppSettings::load(paneldeck.profile())?;
    Ok(local != AppSettings::default() && &local != imported)
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Paneldeck {
    /// Imports `import`, asking `decide` about each conflict before anything is written; an
    /// error from `decide` (no answer) cancels the whole import.
    pub fn import_profile(
        &self,
        import: ProfileImport,
        mut decide: impl FnMut(&Conflict) -> Result<ImportChoice>,
    ) -> Result<ImportOutcome> {
        let mut outcome = ImportOutcome::default();
        let mut plan = Vec::new();
        for (panel, valid) in import.panels {
            let current = existing(self, &panel)?;
            if current.is_some() {
                let conflict = Conflict::Panel {
                    name: panel.name.clone(),
                };
                if decide(&conflict)? == ImportChoice::Skip {
                    outcome.skipped.push(panel.name);
                    continue;
                }
            }
            plan.push((panel, valid, current));
        }
        let apply_settings = if settings_conflict(self, &import.app_settings)? {
            decide(&Conflict::Settings)? == ImportChoice::Replace
        } else {
            AppSettings::load(self.profile())? != import.app_settings
        };
        self.write_panels(&plan, &mut outcome)?;
        if apply_settings {
            import.app_settings.save(self.profile())?;
            outcome.settings_applied = true;
        }
        tracing::info!(
            added = outcome.added.len(),
            replaced = outcome.replaced.len(),
            skipped = outcome.skipped.len(),
            "profile imported"
        );
        Ok(outcome)
    }

    /// Rows in one transaction, secrets beside it; if the commit fails, the secrets written are
    /// put back as they were.
    fn write_panels(
        &self,
        plan: &[(PortablePanel, ValidPanel, Option<PanelView>)],
        outcome: &mut ImportOutcome,
    ) -> Result<()> {
        let mut previous: Vec<(String, Option<PanelSecrets>)> = Vec::new();
        let result = self.store().with(|conn| {
            let tx = conn.transaction()?;
            for (panel, valid, current) in plan {
                let id = match current {
                    Some(old) if old.kind == valid.kind => {
                        registry::update(&tx, &old.id, valid, now_secs())?;
                        outcome.replaced.push(valid.name.clone());
                        old.id.clone()
                    }
                    _ => {
                        if let Some(old) = current {
                            registry::delete(&tx, &old.id)?;
                            outcome.replaced.push(valid.name.clone());
                        } else {
                            outcome.added.push(valid.name.clone());
                        }
                        let wanted = PanelId(panel.id.clone());
                        let id = match registry::get(&tx, &wanted) {
                            Err(CoreError::NotFound(_)) => wanted,
                            _ => PanelId::new(),
                        };
                        registry::insert(&tx, &id, valid, now_secs())?;
                        id
                    }
                };
                let account = id.keyring_account();
                previous.push((account.clone(), self.secrets().get(&account)?));
                let secrets = PanelSecrets {
                    primary: valid.secret.clone(),
                    session_token: None,
                };
                self.secrets().put(&account, &secrets)?;
            }
            tx.commit()?;
            Ok(())
        });
        if result.is_err() {
            for (account, old) in previous {
                let _ = match old {
                    Some(old) => self.secrets().put(&account, &old),
                    None => self.secrets().delete(&account),
                };
            }
        }
        result
    }
}
