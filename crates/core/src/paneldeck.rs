//! [`Paneldeck`]: one profile's registry and secrets, the API the app shell and CLI call.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use paneldeck_panels::{FieldProblem, ProbeInfo, Secret};

use crate::{
    connect::{ConnectionSpec, PanelClient},
    error::{CoreError, Result},
    profile::Profile,
    registry::{self, PanelId, PanelInput, PanelView, ValidPanel},
    secrets::{PanelSecrets, SecretStore},
    store::Store,
};

pub struct Paneldeck {
    profile: Profile,
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    /// The accounts snapshot in memory, for the table's query.
    accounts_index: crate::accounts::index::SnapshotIndex,
    changes: crate::accounts::changes::ChangeFeed,
    /// Per panel, the session token last read from or written to the keyring by this
    /// process: a client that still holds it has nothing new to keep, and each keyring call
    /// is a D-Bus round trip the user waits for at the end of every command.
    known_tokens: Mutex<HashMap<PanelId, Secret>>,
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

impl Paneldeck {
    pub fn open(profile: Profile, secrets: Arc<dyn SecretStore>) -> Result<Self> {
        let store = Arc::new(Store::open(&profile.database_path())?);
        Ok(Paneldeck {
            profile,
            store,
            secrets,
            accounts_index: Default::default(),
            changes: Default::default(),
            known_tokens: Default::default(),
        })
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The store, for work moved onto a blocking thread.
    pub(crate) fn shared_store(&self) -> Arc<Store> {
        self.store.clone()
    }

    pub(crate) fn accounts_index(&self) -> &crate::accounts::index::SnapshotIndex {
        &self.accounts_index
    }

    /// Changes to the snapshot from now on, as they are written.
    pub fn snapshot_changes(&self) -> crate::accounts::ChangeListener {
        self.changes.listen()
    }

    pub(crate) fn announce(&self, change: crate::accounts::SnapshotChange) {
        self.changes.announce(change);
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub(crate) fn secrets(&self) -> &dyn SecretStore {
        self.secrets.as_ref()
    }

    pub fn secret_store_name(&self) -> &'static str {
        self.secrets.describe()
    }

    pub fn list_panels(&self) -> Result<Vec<PanelView>> {
        self.store.with(|c| registry::list(c))
    }

    pub fn panel(&self, id: &PanelId) -> Result<PanelView> {
        self.store.with(|c| registry::get(c, id))
    }

    /// Finds a panel by id or (case-insensitive) name, as the CLI lets users type either.
    pub fn find_panel(&self, id_or_name: &str) -> Result<PanelView> {
        self.store.with(|c| {
            if let Some(p) = registry::find_by_name(c, id_or_name)? {
                return Ok(p);
            }
            registry::get(c, &PanelId(id_or_name.to_owned()))
                .map_err(|_| CoreError::NotFound(format!("no panel named '{id_or_name}'")))
        })
    }

    /// Tests a drafted panel (add/edit form) without saving anything. On edit, an empty secret
    /// means "use the stored one".
    pub async fn test_draft(
        &self,
        input: &PanelInput,
        editing: Option<&PanelId>,
    ) -> Result<ProbeInfo> {
        let valid = input.validate(editing.is_none())?;
        let stored = match editing {
            Some(id) => self.secrets.get(&id.keyring_account())?.unwrap_or_default(),
            None => PanelSecrets::default(),
        };
        self.probe_valid(&valid, &stored).await
    }

    /// Tests a registered panel with its stored secret.
    pub async fn test_panel(&self, id: &PanelId) -> Result<ProbeInfo> {
        let panel = self.panel(id)?;
        let client = self.client(&panel)?;
        let info = client.probe().await?;
        self.keep_session_token(&panel.id, &client);
        Ok(info)
    }

    /// A client for a registered panel, with its secret from the keyring.
    pub fn client(&self, panel: &PanelView) -> Result<PanelClient> {
        self.client_with_timeout(panel, None)
    }

    /// As [`client`](Self::client), with another request timeout (bulk runs use a short one).
    pub fn client_with_timeout(
        &self,
        panel: &PanelView,
        timeout: Option<std::time::Duration>,
    ) -> Result<PanelClient> {
        let secrets = self
            .secrets
            .get(&panel.id.keyring_account())?
            .unwrap_or_default();
        let secret = secrets.primary.ok_or_else(|| {
            CoreError::Keyring(format!(
                "the keyring has no credentials for '{}'; edit the panel and enter them again",
                panel.name
            ))
        })?;
        if let (Some(token), Ok(mut known)) = (&secrets.session_token, self.known_tokens.lock()) {
            known.insert(panel.id.clone(), token.clone());
        }
        PanelClient::new(ConnectionSpec {
            kind: panel.kind,
            endpoint: match timeout {
                Some(t) => panel.endpoint()?.with_timeout(t),
                None => panel.endpoint()?,
            },
            settings: &panel.settings,
            secret,
            session_token: secrets.session_token,
        })
    }

    async fn probe_valid(&self, valid: &ValidPanel, stored: &PanelSecrets) -> Result<ProbeInfo> {
        let secret = valid
            .secret
            .clone()
            .or_else(|| stored.primary.clone())
            .ok_or_else(|| CoreError::invalid("Enter the panel's credentials."))?;
        let client = PanelClient::new(ConnectionSpec {
            kind: valid.kind,
            endpoint: valid.endpoint.clone(),
            settings: &valid.settings,
            secret,
            session_token: None,
        })?;
        client.probe().await
    }

    /// Validates, optionally tests the connection, then stores the settings row and the keyring
    /// entry together: if either write fails, neither is kept.
    pub async fn add_panel(&self, input: PanelInput, verify: bool) -> Result<PanelView> {
        let valid = input.validate(true)?;
        self.store
            .with(|c| registry::ensure_name_free(c, &valid.name, None))?;
        if verify {
            self.probe_valid(&valid, &PanelSecrets::default()).await?;
        }
        let id = PanelId::new();
        let secrets = PanelSecrets {
            primary: valid.secret.clone(),
            session_token: None,
        };
        self.store.with(|conn| {
            let tx = conn.transaction()?;
            registry::ensure_name_free(&tx, &valid.name, None)?;
            registry::insert(&tx, &id, &valid, now_secs())?;
            // Keyring first, commit second: a failed keyring write rolls the row back.
            self.secrets.put(&id.keyring_account(), &secrets)?;
            if let Err(err) = tx.commit() {
                let _ = self.secrets.delete(&id.keyring_account());
                return Err(err.into());
            }
            Ok(())
        })?;
        tracing::info!(panel = %id, kind = %valid.kind, "panel added");
        self.panel(&id)
    }

    /// Edits a panel. The kind cannot change; an empty secret keeps the stored one.
    pub async fn update_panel(
        &self,
        id: &PanelId,
        input: PanelInput,
        verify: bool,
    ) -> Result<PanelView> {
        let current = self.panel(id)?;
        let mut valid = input.validate(false)?;
        // The form does not carry the answer size cap: an edit keeps it.
        valid.settings.max_answer_mib = current.settings.max_answer_mib;
        if valid.kind != current.kind {
            return Err(CoreError::invalid_field(
                "kind",
                FieldProblem::KindFixed,
                "A panel's kind cannot change; add a new panel instead.",
            ));
        }
        self.store
            .with(|c| registry::ensure_name_free(c, &valid.name, Some(id)))?;
        let stored = self.secrets.get(&id.keyring_account())?.unwrap_or_default();
        if verify {
            self.probe_valid(&valid, &stored).await?;
        }
        self.store.with(|conn| {
            let tx = conn.transaction()?;
            registry::update(&tx, id, &valid, now_secs())?;
            if let Some(secret) = &valid.secret {
                let fresh = PanelSecrets {
                    primary: Some(secret.clone()),
                    session_token: None,
                };
                self.secrets.put(&id.keyring_account(), &fresh)?;
                if let Err(err) = tx.commit() {
                    let _ = self.secrets.put(&id.keyring_account(), &stored);
                    return Err(err.into());
                }
            } else {
                tx.commit()?;
            }
            Ok(())
        })?;
        tracing::info!(panel = %id, "panel updated");
        self.panel(id)
    }

    /// Sets the largest answer a panel may send, in MiB (None = the default 128 MiB), from 1 to
    /// [`MAX_ANSWER_MIB_CEILING`](registry::MAX_ANSWER_MIB_CEILING).
    pub fn set_max_answer_mib(&self, id: &PanelId, mib: Option<u32>) -> Result<PanelView> {
        registry::check_max_answer_mib(mib)?;
        let mut settings = self.panel(id)?.settings;
        settings.max_answer_mib = mib;
        self.store
            .with(|conn| registry::set_settings(conn, id, &settings))?;
        self.panel(id)
    }

    /// Removes a panel and its keyring entry.
    pub fn remove_panel(&self, id: &PanelId) -> Result<()> {
        self.store.with(|conn| {
            let tx = conn.transaction()?;
            if !registry::delete(&tx, id)? {
                return Err(CoreError::NotFound(format!("no panel with id {id}")));
            }
            self.secrets.delete(&id.keyring_account())?;
            tx.commit()?;
            Ok(())
        })?;
        tracing::info!(panel = %id, "panel removed");
        Ok(())
    }

    pub(crate) fn keep_session_token(&self, id: &PanelId, client: &PanelClient) {
        let Some(token) = client.session_token() else {
            return;
        };
        let known = |token: &Secret| {
            self.known_tokens
                .lock()
                .is_ok_and(|known| known.get(id) == Some(token))
        };
        if known(&token) {
            return;
        }
        let account = id.keyring_account();
        if let Ok(Some(mut secrets)) = self.secrets.get(&account) {
            if secrets.session_token.as_ref() != Some(&token) {
                secrets.session_token = Some(token.clone());
                if let Err(err) = self.secrets.put(&account, &secrets) {
                    tracing::warn!(panel = %id, %err, "could not keep the session token");
                    return;
                }
            }
            if let Ok(mut known) = self.known_tokens.lock() {
                known.insert(id.clone(), token);
            }
        }
    }
}
