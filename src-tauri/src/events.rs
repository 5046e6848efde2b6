use serde::{Deserialize, Serialize};

/// The panel list changed (added, edited, removed): the UI refetches it.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PanelsChanged;
