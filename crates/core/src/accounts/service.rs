//! The accounts API on [`Paneldeck`]: sync, the table's query, details, health, dashboard.

use std::{sync::Arc, time::Duration};

use futures::{future::BoxFuture, FutureExt};
use tokio::task::JoinHandle;

use super::{
    changes::SnapshotChange,
    convert::Converted,
    dashboard::Dashboard,
    fetch,
    model::{now_ms, AccountKey, Capabilities},
    query::{AccountDetail, AccountPage, AccountQuery},
    snapshot::{self, PreparedRow, SyncInfo},
    sync::{PanelHealth, SyncEvent, SyncOptions},
};
use crate::{
    bulk::CancelToken,
    error::{ApiError, CoreError, ErrorCode, Result},
    registry::{PanelId, PanelView},
    Paneldeck,
};

type OnEvent<'a> = &'a (dyn Fn(SyncEvent) + Send + Sync);

/// Errors that mean the panel could not be reached at all (as opposed to answering badly).
fn unreachable(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::Dns
            | ErrorCode::ConnectionRefused
            | ErrorCode::Timeout
            | ErrorCode::CertificateNotTrusted
            | ErrorCode::CertificateMismatch
            | ErrorCode::Tls
            | ErrorCode::Network
            | ErrorCode::InvalidUrl
    )
}

impl Paneldeck {
    /// Syncs every panel at once (default concurrency). Never fails as a whole: each panel's
    /// outcome is in its [`PanelHealth`].
    pub async fn sync_all(&self, on_event: impl Fn(SyncEvent) + Send + Sync) -> Vec<PanelHealth> {
        self.sync_all_with(SyncOptions::default(), on_event).await
    }

    pub async fn sync_all_with(
        &self,
        opts: SyncOptions,
        on_event: impl Fn(SyncEvent) + Send + Sync,
    ) -> Vec<PanelHealth> {
        let panels = match self.list_panels() {
            Ok(p) => p,
            Err(err) => {
                tracing::warn!(%err, "cannot list panels to sync");
                return Vec::new();
            }
        };
        self.sync_panels(&panels, opts, &on_event, &CancelToken::new())
            .await;
        self.panel_health().unwrap_or_default()
    }

    /// Syncs `panel` or, with `None`, every panel, until `cancel`: panels that finished keep
    /// their new snapshot, the others stop fetching, keep their last one and report
    /// [`SyncEvent::Cancelled`]. One panel's failure (or cancel) is its `Err`, as in
    /// [`Paneldeck::sync_panel`]; all panels never fail as a whole.
    pub async fn sync_until(
        &self,
        panel: Option<&PanelId>,
        opts: SyncOptions,
        on_event: impl Fn(SyncEvent) + Send + Sync,
        cancel: &CancelToken,
    ) -> Result<Vec<PanelHealth>> {
        match panel {
            Some(id) => {
                let panel = self.panel(id)?;
                self.sync_one(&panel, opts, &on_event, cancel).await?;
                Ok(vec![self.health_of(id)?])
            }
            None => {
                let panels = self.list_panels()?;
                self.sync_panels(&panels, opts, &on_event, cancel).await;
                self.panel_health()
            }
        }
    }

    /// Syncs one panel. A panel failure is recorded (its snapshot stays) and returned as `Err`.
    pub async fn sync_panel(
        &self,
        id: &PanelId,
        on_event: impl Fn(SyncEvent) + Send + Sync,
    ) -> Result<PanelHealth> {
        self.sync_panel_with(id, SyncOptions::default(), on_event)
            .await
    }

    pub async fn sync_panel_with(
        &self,
        id: &PanelId,
        opts: SyncOptions,
        on_event: impl Fn(SyncEvent) + Send + Sync,
    ) -> Result<PanelHealth> {
        let panel = self.panel(id)?;
        self.sync_one(&panel, opts, &on_event, &CancelToken::new())
            .await?;
        self.health_of(id)
    }

    async fn sync_panels(
        &self,
        panels: &[PanelView],
        opts: SyncOptions,
        on_event: OnEvent<'_>,
        cancel: &CancelToken,
    ) {
        if opts.panels_in_parallel {
            let mut all = Vec::with_capacity(panels.len());
            for p in panels {
                all.push(self.sync_one(p, opts, on_event, cancel));
            }
            futures::future::join_all(all).await;
        } else {
            for p in panels {
                let _ = self.sync_one(p, opts, on_event, cancel).await;
            }
        }
    }

    fn sync_one<'a>(
        &'a self,
        panel: &'a PanelView,
        opts: SyncOptions,
        on_event: OnEvent<'a>,
        cancel: &'a CancelToken,
    ) -> BoxFuture<'a, Result<()>> {
        self.sync_one_inner(panel, opts, on_event, cancel).boxed()
    }

    async fn sync_one_inner(
        &self,
        panel: &PanelView,
        opts: SyncOptions,
        on_event: OnEvent<'_>,
        cancel: &CancelToken,
    ) -> Result<()> {
        let panel_id = panel.id.clone();
        if cancel.is_cancelled() {
            on_event(SyncEvent::Cancelled { panel_id });
            return Err(CoreError::Cancelled);
        }
        on_event(SyncEvent::Started {
            panel_id: panel_id.clone(),
        });
        let started = std::time::Instant::now();
        let now = now_ms();
        let result = async {
            let client = self.client(panel)?;
            let progress = |fetched: u64, total: Option<u64>| {
                on_event(SyncEvent::Progress {
                    panel_id: panel_id.clone(),
                    fetched,
                    total,
                });
            };
            // A cancel drops the requests in flight; the snapshot is only written after the
            // last page, so the panel keeps its last one whole.
            let fetched = tokio::select! {
                biased;
                () = cancel.cancelled() => Err(CoreError::Cancelled),
                f = fetch::fetch_panel(&client, panel, opts.concurrency, &progress) => f,
            };
            self.keep_session_token(&panel.id, &client);
            let fetched = fetched?;
            let fetched_ms = started.elapsed().as_millis() as i64;
            // Converting, encoding and writing thousands of records is CPU work: off the async
            // threads, so the other panels' requests keep going meanwhile.
            let fetch::Fetched {
                records,
                version,
                api_generation,
            } = fetched;
            let (id, kind, store) = (panel.id.clone(), panel.kind, self.shared_store());
            let written = tokio::task::spawn_blocking(move || {
                let info = SyncInfo {
                    version: version.as_deref(),
                    api_generation: api_generation.as_deref(),
                    took_ms: started.elapsed().as_millis() as i64,
                };
                // Converted and encoded before the database is locked: the other panels'
                // writes and the table's queries wait for the lock, not for this CPU work.
                // Each record is dropped once converted and each row once written, so the
                // accounts are not all in memory twice over.
                let rows: Vec<PreparedRow> = records
                    .into_converted(&id, now)
                    .map(PreparedRow::new)
                    .collect();
                store.with_large_write(|c| {
                    // Before the snapshot is replaced: its counters are the baseline. A
                    // history that cannot be written costs a point, never the sync.
                    if let Err(err) = crate::history::write::record_sync(c, &id, kind, &rows, now) {
                        tracing::warn!(panel = %id, %err, "usage history not recorded");
                    }
                    snapshot::replace_panel(c, &id, rows, &info, now)
                })
            })
            .await
            .map_err(|e| CoreError::Internal(format!("writing the accounts failed: {e}")))??;
            tracing::debug!(
                panel = %panel.id,
                fetched_ms,
                total_ms = started.elapsed().as_millis() as i64,
                "snapshot written"
            );
            Ok::<u64, CoreError>(written)
        }
        .await;
        match result {
            Ok(accounts) => {
                self.announce(SnapshotChange::Panel {
                    panel_id: panel_id.clone(),
                });
                let took_ms = started.elapsed().as_millis() as u64;
                tracing::info!(panel = %panel.id, accounts, took_ms, "panel synced");
                on_event(SyncEvent::Finished {
                    panel_id,
                    accounts,
                    took_ms,
                });
                Ok(())
            }
            Err(CoreError::Cancelled) => {
                tracing::info!(panel = %panel.id, "panel sync cancelled");
                on_event(SyncEvent::Cancelled { panel_id });
                Err(CoreError::Cancelled)
            }
            Err(err) => {
                let api = ApiError::from(&err);
                tracing::warn!(panel = %panel.id, error = %api.message, "panel sync failed");
                let reachable = !unreachable(api.code);
                if let Err(db) = self
                    .store()
                    .with(|c| snapshot::record_failure(c, &panel.id, &api, reachable, now))
                {
                    tracing::warn!(%db, "could not record the sync failure");
                }
                on_event(SyncEvent::Failed {
                    panel_id,
                    error: api,
                });
                Err(err)
            }
        }
    }

    /// The visible window of the accounts table.
    pub fn query_accounts(&self, q: &AccountQuery) -> Result<AccountPage> {
        self.store()
            .with(|c| self.accounts_index().page(c, q, now_ms()))
    }

    /// Every key matching the query ("select all that match").
    pub fn query_keys(&self, q: &AccountQuery) -> Result<Vec<AccountKey>> {
        self.store()
            .with(|c| self.accounts_index().keys(c, q, now_ms()))
    }

    /// Keys of the query's window only (`offset`, `limit`): a shift-click range in the table.
    pub fn query_key_range(&self, q: &AccountQuery) -> Result<Vec<AccountKey>> {
        let keys = self.query_keys(q)?;
        Ok(keys
            .into_iter()
            .skip(q.offset as usize)
            .take(q.limit as usize)
            .collect())
    }

    /// One account from the snapshot, with its raw record, capabilities and panel.
    pub fn account_detail(&self, key: &AccountKey) -> Result<AccountDetail> {
        let panel = self.panel(&key.panel_id)?;
        let (record, generation) = self.store().with(|c| {
            Ok((
                snapshot::record(c, key)?,
                snapshot::api_generation(c, &key.panel_id)?,
            ))
        })?;
        let (account, raw) = record.ok_or_else(|| {
            CoreError::NotFound(format!(
                "no account '{}' in the snapshot of {}",
                key.native_id, panel.name
            ))
        })?;
        Ok(AccountDetail {
            account: account.with_status_at(now_ms()),
            capabilities: Capabilities::for_panel(panel.kind, generation.as_deref()),
            raw,
            panel,
        })
    }

    /// Every panel's health, panels never synced included.
    pub fn panel_health(&self) -> Result<Vec<PanelHealth>> {
        self.store().with(|c| snapshot::health(c, now_ms()))
    }

    fn health_of(&self, id: &PanelId) -> Result<PanelHealth> {
        self.panel_health()?
            .into_iter()
            .find(|h| &h.panel_id == id)
            .ok_or_else(|| CoreError::NotFound(format!("no panel with id {id}")))
    }

    pub fn dashboard(&self, now_ms: i64) -> Result<Dashboard> {
        self.store()
            .with(|c| self.accounts_index().dashboard(c, now_ms))
    }

    /// Re-reads one account from its panel and updates the snapshot (after an edit). An
    /// account the panel no longer has is removed from the snapshot and reported NotFound.
    pub async fn refresh_account(&self, key: &AccountKey) -> Result<AccountDetail> {
        let panel = self.panel(&key.panel_id)?;
        let client = self.client(&panel)?;
        let generation = self
            .store()
            .with(|c| snapshot::api_generation(c, &key.panel_id))?;
        let found = fetch::fetch_one(&client, &panel, key, generation.as_deref(), now_ms()).await;
        self.keep_session_token(&panel.id, &client);
        match found? {
            Some(converted) => {
                self.upsert_account(converted)?;
                self.account_detail(key)
            }
            None => {
                self.remove_account_from_snapshot(key)?;
                Err(CoreError::NotFound(format!(
                    "'{}' no longer exists on {}",
                    key.native_id, panel.name
                )))
            }
        }
    }

    /// Writes one account into the snapshot (after a single-account change).
    pub(crate) fn upsert_account(&self, converted: Converted) -> Result<()> {
        let row = PreparedRow::new(converted);
        let key = row.account().key.clone();
        self.store().with(|c| snapshot::upsert(c, &row, now_ms()))?;
        self.announce(SnapshotChange::Accounts { keys: vec![key] });
        Ok(())
    }

    /// Drops one account from the snapshot (after it was deleted on its panel).
    pub(crate) fn remove_account_from_snapshot(&self, key: &AccountKey) -> Result<bool> {
        let removed = self.store().with(|c| snapshot::remove(c, key))?;
        self.announce(SnapshotChange::Accounts {
            keys: vec![key.clone()],
        });
        Ok(removed)
    }

    /// Every `tick`, syncs the panels that are due ([`sync_due`](Self::sync_due)). Runs until
    /// the handle is aborted. A tick missed while the machine slept is skipped, not made up.
    pub fn spawn_periodic_sync(
        self: Arc<Self>,
        tick: Duration,
        default_interval: Option<Duration>,
        on_event: impl Fn(SyncEvent) + Send + Sync + 'static,
    ) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut timer = tokio::time::interval(tick);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                timer.tick().await;
                if let Err(err) = self.sync_due_with(default_interval, &on_event).await {
                    tracing::warn!(%err, "periodic sync: cannot read the panels");
                }
            }
        })
    }

    /// Syncs the panels whose interval has passed since their last attempt: a panel's
    /// `sync_interval_secs` setting (0 = manual only), else `default_interval` (None = only
    /// panels that set one). A failing panel backs off ([`due_after`]). Returns how many
    /// were synced; one call at a time runs them, so runs never pile up.
    pub async fn sync_due(&self, default_interval: Option<Duration>) -> Result<usize> {
        self.sync_due_with(default_interval, &|_| {}).await
    }

    async fn sync_due_with(
        &self,
        default_interval: Option<Duration>,
        on_event: OnEvent<'_>,
    ) -> Result<usize> {
        let due = self.due_panels(default_interval)?;
        if !due.is_empty() {
            self.sync_panels(&due, SyncOptions::default(), on_event, &CancelToken::new())
                .await;
        }
        Ok(due.len())
    }

    fn due_panels(&self, default_interval: Option<Duration>) -> Result<Vec<PanelView>> {
        let health = self.panel_health()?;
        let now = now_ms();
        Ok(self
            .list_panels()?
            .into_iter()
            .filter(|p| {
                let every = p
                    .settings
                    .sync_interval_secs
                    .map(|s| Duration::from_secs(u64::from(s)))
                    .or(default_interval)
                    .filter(|d| !d.is_zero());
                let Some(every) = every else { return false };
                let Some(h) = health.iter().find(|h| h.panel_id == p.id) else {
                    return true;
                };
                h.last_attempt_ms
                    .is_none_or(|t| now - t >= due_after(every, h))
            })
            .collect())
    }
}

/// The longest a failing panel waits between attempts.
const MAX_BACKOFF_MS: i64 = 60 * 60_000;

/// How long after its last attempt a panel is due: its interval, or for a panel whose last
/// attempt failed, half the time it has been failing (so the wait grows as the outage
/// lasts), between the interval and an hour.
pub fn due_after(every: Duration, h: &PanelHealth) -> i64 {
    let every = every.as_millis() as i64;
    match (&h.last_error, h.last_attempt_ms) {
        (Some(_), Some(attempt)) => {
            let failing_for = attempt - h.last_sync_ms.unwrap_or(attempt);
            (failing_for / 2).clamp(every, MAX_BACKOFF_MS.max(every))
        }
        _ => every,
    }
}
