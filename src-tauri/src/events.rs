use serde::{Deserialize, Serialize};

/// The panel list changed (added, edited, removed): the UI refetches it.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PanelsChanged;

/// Progress of a sync, one event per panel step.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SyncProgress(pub paneldeck_core::accounts::sync::SyncEvent);

/// Progress of a bulk run: one panel's counts after a change.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct BulkProgressed(pub paneldeck_core::bulk::BulkProgress);

/// Progress of a long job (export, link files) under the id the UI gave it.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
#[serde(rename_all = "camelCase")]
pub struct JobProgressed {
    pub job_id: String,
    pub step: paneldeck_core::jobs::JobStep,
}

/// Accounts in the snapshot were written or removed: every view of them refetches.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct SnapshotChanged(pub paneldeck_core::accounts::SnapshotChange);

/// The alert rules found new events (after a background sync): the UI lists them and words
/// them in its language.
#[derive(Debug, Clone, Serialize, specta::Type, tauri_specta::Event)]
pub struct AlertsRaised(pub Vec<paneldeck_core::alerts::Alert>);
