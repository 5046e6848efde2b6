//! After a run, only what it changed is read back (issue 20): each account a done item touched
//! is read again from its panel and written into the snapshot in one transaction (a deleted
//! one is removed); the rest of the snapshot stays as it is, and one `SnapshotChange` tells
//! the views. An account a create's answer held whole is written from that answer, unread. A run that touched most of a panel re-syncs that panel instead: one paged read
//! of everything costs less than thousands of single reads.

use std::collections::{HashMap, HashSet};

use futures::StreamExt;

use super::{journal, types::*};
use crate::{
    accounts::{
        convert::Converted,
        fetch::READ_MANY_FROM,
        model::AccountKey,
        now_ms,
        snapshot::{self, PreparedRow},
        SnapshotChange,
    },
    connect::PanelClient,
    error::Result,
    registry::{PanelId, PanelView},
    Paneldeck,
};

/// Above this many touched accounts a panel is synced whole instead.
const MOST_SINGLE_READS: usize = 500;

/// What to read back of one panel.
#[derive(Default)]
struct Touched {
    read: Vec<String>,
    gone: Vec<String>,
    /// Accounts the run's answers held whole: written as they are, not read.
    answered: Vec<Converted>,
}

impl Touched {
    fn add(&mut self, item: &ItemRecord) {
        let ids = || {
            item.result_id
                .iter()
                .flat_map(|ids| ids.split(','))
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
        };
        match &item.op {
            ItemOp::Delete { .. } => self.gone.push(item.native_id.clone()),
            ItemOp::Create { .. } => self.read.extend(ids()),
            _ => {
                // A rename (3x-ui's email is its id) leaves the old id behind.
                let renamed: Vec<String> = ids().filter(|id| *id != item.native_id).collect();
                if renamed.is_empty() {
                    self.read.push(item.native_id.clone());
                } else {
                    self.gone.push(item.native_id.clone());
                    self.read.extend(renamed);
                }
            }
        }
    }

    /// Takes the accounts answers held whole out of what is read.
    fn answered(&mut self, accounts: Vec<Converted>) {
        let held: HashSet<&str> = accounts
            .iter()
            .map(|c| c.account.key.native_id.as_str())
            .collect();
        self.read.retain(|id| !held.contains(id.as_str()));
        self.answered = accounts;
    }

    fn len(&self) -> usize {
        self.read.len() + self.gone.len() + self.answered.len()
    }
}

impl Paneldeck {
    /// Brings the snapshot up to date with what op's items did since `since_ms`; `answered`:
    /// per panel, the accounts creates' answers held whole. Failures are logged: the writes
    /// happened, a stale row waits for the next sync.
    pub(crate) async fn read_back(
        &self,
        op: &OpId,
        since_ms: i64,
        mut answered: HashMap<PanelId, Vec<Converted>>,
        concurrency: usize,
    ) {
        let items = match self
            .store()
            .with(|c| journal::items(c, op, &[ItemState::Done]))
        {
            Ok(items) => items,
            Err(err) => {
                tracing::warn!(%op, %err, "could not read the journal to read back a run");
                return;
            }
        };
        let mut per_panel: HashMap<PanelId, Touched> = HashMap::new();
        for item in items
            .iter()
            .filter(|i| i.finished_at_ms.is_some_and(|t| t >= since_ms))
        {
            per_panel
                .entry(item.panel_id.clone())
                .or_default()
                .add(item);
        }
        for (panel, mut touched) in per_panel {
            touched.answered(answered.remove(&panel).unwrap_or_default());
            let done = if touched.len() > MOST_SINGLE_READS {
                self.sync_panel(&panel, |_| {}).await.map(|_| ())
            } else {
                self.read_back_panel(&panel, touched, concurrency).await
            };
            if let Err(err) = done {
                tracing::warn!(%panel, %err, "could not read back the accounts a run changed");
            }
        }
    }

    async fn read_back_panel(
        &self,
        panel_id: &PanelId,
        touched: Touched,
        concurrency: usize,
    ) -> Result<()> {
        // With nothing to read, no client either (its credentials are a keyring lookup).
        let found = if touched.read.is_empty() {
            Vec::new()
        } else {
            self.read_each(panel_id, touched.read, concurrency).await?
        };
        let key = |id: String| AccountKey::new(panel_id.clone(), id);
        let mut gone: Vec<AccountKey> = touched.gone.into_iter().map(key).collect();
        let mut rows: Vec<PreparedRow> =
            touched.answered.into_iter().map(PreparedRow::new).collect();
        for (id, found) in found {
            match found {
                Ok(Some(converted)) => rows.push(PreparedRow::new(converted)),
                Ok(None) => gone.push(key(id)),
                Err(err) => tracing::warn!(account = %id, %err, "could not read back an account"),
            }
        }
        let refs: Vec<&PreparedRow> = rows.iter().collect();
        self.store()
            .with_large_write(|c| snapshot::write_back(c, panel_id, &refs, &gone, now_ms()))?;
        let mut keys: Vec<AccountKey> = rows.iter().map(|r| r.account().key.clone()).collect();
        keys.extend(gone);
        self.announce(SnapshotChange::Accounts { keys });
        Ok(())
    }

    /// The accounts `ids` of the panel read again: in few requests where the kind has a
    /// batch read, else one by one.
    async fn read_each(
        &self,
        panel_id: &PanelId,
        ids: Vec<String>,
        concurrency: usize,
    ) -> Result<Vec<(String, Result<Option<Converted>>)>> {
        let panel = self.panel(panel_id)?;
        let client = self.client(&panel)?;
        let generation = self
            .store()
            .with(|c| snapshot::api_generation(c, panel_id))?;
        let now = now_ms();
        let found = match self.read_many(&client, &panel, &ids, now).await? {
            Some(found) => found,
            None => {
                futures::stream::iter(ids)
                    .map(|id| {
                        let (client, panel, generation) = (&client, &panel, generation.as_deref());
                        async move {
                            let found = client.ops().fetch_one(panel, &id, generation, now).await;
                            (id, found)
                        }
                    })
                    .buffer_unordered(concurrency.max(1))
                    .collect()
                    .await
            }
        };
        self.keep_session_token(panel_id, &client);
        Ok(found)
    }

    /// `ids` through the kind's batch read, when there are enough of them and it has one.
    async fn read_many(
        &self,
        client: &PanelClient,
        panel: &PanelView,
        ids: &[String],
        now: i64,
    ) -> Result<Option<Vec<(String, Result<Option<Converted>>)>>> {
        if ids.len() < READ_MANY_FROM {
            return Ok(None);
        }
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let Some(many) = client.ops().fetch_many(panel, &refs, now) else {
            return Ok(None);
        };
        let mut listed = many.await?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            let live = listed.remove(id);
            found.push((id.clone(), Ok(live)));
        }
        Ok(Some(found))
    }
}
