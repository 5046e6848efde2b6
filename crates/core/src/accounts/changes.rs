//! What changed in the snapshot, announced as it is written: every view of an account (table
//! row, detail, links, proxy strings, QR, dashboard) refreshes on this, not on a timer.

use serde::Serialize;
use tokio::sync::broadcast;

use super::model::AccountKey;
use crate::registry::PanelId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SnapshotChange {
    /// These accounts were written (after a change) or removed (after a delete).
    Accounts { keys: Vec<AccountKey> },
    /// A panel's whole snapshot was replaced (a sync).
    #[serde(rename_all = "camelCase")]
    Panel { panel_id: PanelId },
    /// A listener fell behind and missed some: assume everything changed.
    Everything,
}

/// Announcements are few and small; a listener more than this many behind gets `Everything`.
const BACKLOG: usize = 256;

pub(crate) struct ChangeFeed(broadcast::Sender<SnapshotChange>);

impl Default for ChangeFeed {
    fn default() -> Self {
        ChangeFeed(broadcast::channel(BACKLOG).0)
    }
}

impl ChangeFeed {
    /// Nobody listening (the CLI) is fine: the change is simply not announced.
    pub(crate) fn announce(&self, change: SnapshotChange) {
        let _ = self.0.send(change);
    }

    pub(crate) fn listen(&self) -> ChangeListener {
        ChangeListener(self.0.subscribe())
    }
}

pub struct ChangeListener(broadcast::Receiver<SnapshotChange>);

impl ChangeListener {
    /// The next change; `None` once the core is gone.
    pub async fn next(&mut self) -> Option<SnapshotChange> {
        match self.0.recv().await {
            Ok(change) => Some(change),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(SnapshotChange::Everything),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}
