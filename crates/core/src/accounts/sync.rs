//! Sync: every panel at once, each panel's pages with bounded concurrency, one transaction per
//! panel into the snapshot. A panel that fails keeps its last snapshot and gets the error.

use serde::Serialize;

use crate::{error::ApiError, registry::PanelId};

/// Requests in flight per panel by default.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How a sync fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Requests in flight per panel (at least 1).
    pub concurrency: usize,
    /// Sync panels at the same time (true) or one after another.
    pub panels_in_parallel: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            concurrency: DEFAULT_CONCURRENCY,
            panels_in_parallel: true,
        }
    }
}

impl SyncOptions {
    /// One request at a time over all panels (the baseline the benchmark compares with).
    pub fn sequential() -> Self {
        SyncOptions {
            concurrency: 1,
            panels_in_parallel: false,
        }
    }
}

/// Progress of a sync, per panel, for the UI and the CLI.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SyncEvent {
    #[serde(rename_all = "camelCase")]
    Started { panel_id: PanelId },
    /// `total` is known once the first page told it.
    #[serde(rename_all = "camelCase")]
    Progress {
        panel_id: PanelId,
        #[specta(type = specta_typescript::Number)]
        fetched: u64,
        #[specta(type = Option<specta_typescript::Number>)]
        total: Option<u64>,
    },
    #[serde(rename_all = "camelCase")]
    Finished {
        panel_id: PanelId,
        #[specta(type = specta_typescript::Number)]
        accounts: u64,
        #[specta(type = specta_typescript::Number)]
        took_ms: u64,
    },
    #[serde(rename_all = "camelCase")]
    Failed { panel_id: PanelId, error: ApiError },
    /// The user stopped the sync before this panel finished: it keeps its last snapshot.
    #[serde(rename_all = "camelCase")]
    Cancelled { panel_id: PanelId },
}

impl SyncEvent {
    pub fn panel_id(&self) -> &PanelId {
        match self {
            SyncEvent::Started { panel_id }
            | SyncEvent::Progress { panel_id, .. }
            | SyncEvent::Finished { panel_id, .. }
            | SyncEvent::Failed { panel_id, .. }
            | SyncEvent::Cancelled { panel_id } => panel_id,
        }
    }
}

/// How a panel is doing, from its last sync.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PanelHealth {
    pub panel_id: PanelId,
    pub panel_name: String,
    /// `None` before the first sync; false when the last attempt could not reach it.
    pub reachable: Option<bool>,
    pub version: Option<String>,
    pub api_generation: Option<String>,
    /// The last SUCCESSFUL sync (the snapshot's time).
    #[specta(type = Option<specta_typescript::Number>)]
    pub last_sync_ms: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub last_attempt_ms: Option<i64>,
    #[specta(type = Option<specta_typescript::Number>)]
    pub took_ms: Option<i64>,
    /// How old the snapshot is, at the moment this was read.
    #[specta(type = Option<specta_typescript::Number>)]
    pub age_ms: Option<i64>,
    /// The last attempt's error, if it failed (the snapshot is then older than the attempt).
    pub last_error: Option<ApiError>,
    #[specta(type = specta_typescript::Number)]
    pub account_count: u64,
}
