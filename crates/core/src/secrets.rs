//! Where panel credentials live: the OS keyring (one entry per panel under the service name
//! `paneldeck`), or memory for demo mode and tests. The value stored is a small JSON object so
//! a panel's password and its cached session token travel together.

use std::{collections::HashMap, sync::Mutex};

use paneldeck_panels::Secret;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

pub const KEYRING_SERVICE: &str = "paneldeck";

/// Everything secret about one panel.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelSecrets {
    /// Token, password or API key, by kind.
    pub primary: Option<Secret>,
    /// A session token obtained with the password (Marzban), kept to avoid a login per start.
    pub session_token: Option<Secret>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    primary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_token: Option<String>,
}

impl PanelSecrets {
    fn to_json(&self) -> String {
        let stored = Stored {
            primary: self.primary.as_ref().map(|s| s.expose().to_owned()),
            session_token: self.session_token.as_ref().map(|s| s.expose().to_owned()),
        };
        serde_json::to_string(&stored).unwrap_or_default()
    }

    fn from_json(text: &str) -> Result<Self> {
        let stored: Stored = serde_json::from_str(text).map_err(|_| {
            CoreError::Keyring("the keyring entry is not Paneldeck's format".into())
        })?;
        Ok(PanelSecrets {
            primary: stored.primary.map(Secret::new),
            session_token: stored.session_token.map(Secret::new),
        })
    }
}

/// A place to keep panel secrets, keyed by the panel's keyring account name.
pub trait SecretStore: Send + Sync {
    fn put(&self, account: &str, secrets: &PanelSecrets) -> Result<()>;
    /// `Ok(None)` when there is no entry.
    fn get(&self, account: &str) -> Result<Option<PanelSecrets>>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, account: &str) -> Result<()>;
    /// Short name for logs and the UI ("Secret Service", "memory").
    fn describe(&self) -> &'static str;
}

/// The OS keyring through the `keyring` crate (Secret Service, Keychain, Credential Manager).
pub struct KeyringStore;

impl KeyringStore {
    fn entry(account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(KEYRING_SERVICE, account).map_err(keyring_error)
    }
}

fn keyring_error(err: keyring::Error) -> CoreError {
    CoreError::Keyring(match err {
        keyring::Error::NoStorageAccess(inner) => format!(
            "no access to the keyring ({inner}); on Linux a Secret Service such as gnome-keyring must be running and unlocked"
        ),
        keyring::Error::PlatformFailure(inner) => format!("platform keyring failure: {inner}"),
        other => other.to_string(),
    })
}

impl SecretStore for KeyringStore {
    fn put(&self, account: &str, secrets: &PanelSecrets) -> Result<()> {
        Self::entry(account)?
            .set_password(&secrets.to_json())
            .map_err(keyring_error)
    }

    fn get(&self, account: &str) -> Result<Option<PanelSecrets>> {
        match Self::entry(account)?.get_password() {
            Ok(text) => PanelSecrets::from_json(&text).map(Some),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(keyring_error(err)),
        }
    }

    fn delete(&self, account: &str) -> Result<()> {
        match Self::entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(keyring_error(err)),
        }
    }

    fn describe(&self) -> &'static str {
        if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(windows) {
            "Windows Credential Manager"
        } else {
            "Secret Service"
        }
    }
}

/// Secrets in memory only: demo mode (so it never touches the user's keyring) and tests.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, String>>,
}

impl SecretStore for MemoryStore {
    fn put(&self, account: &str, secrets: &PanelSecrets) -> Result<()> {
        self.lock()?.insert(account.to_owned(), secrets.to_json());
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<PanelSecrets>> {
        self.lock()?
            .get(account)
            .map(|t| PanelSecrets::from_json(t))
            .transpose()
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.lock()?.remove(account);
        Ok(())
    }

    fn describe(&self) -> &'static str {
        "memory (demo)"
    }
}

impl MemoryStore {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>> {
        self.entries
            .lock()
            .map_err(|_| CoreError::Internal("secret store lock poisoned".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trips_and_deletes() -> Result<()> {
        let store = MemoryStore::default();
        let secrets = PanelSecrets {
            primary: Some(Secret::new("p@ss")),
            session_token: Some(Secret::new("jwt")),
        };
        store.put("panel:1", &secrets)?;
        assert_eq!(store.get("panel:1")?, Some(secrets));
        store.delete("panel:1")?;
        assert_eq!(store.get("panel:1")?, None);
        store.delete("panel:1")?;
        Ok(())
    }
}
