//! What the UI and the CLI show of an import or migration plan: counts per action and one
//! row per account (its changes, conflict, what is not carried), and the plan's hand-over to
//! the bulk engine.

use paneldeck_panels::PanelKind;
use serde::Serialize;

use super::{ConflictReason, ImportAction, ImportPlan, NotCarried};
use crate::{
    bulk::{FieldChange, ItemInput},
    registry::PanelId,
    transfer::RowError,
};

/// Counts per action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanCounts {
    pub create: u32,
    pub update: u32,
    pub unchanged: u32,
    pub conflict: u32,
    pub errors: u32,
}

/// A row of the preview as the UI and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    #[specta(type = specta_typescript::Number)]
    pub line: u64,
    pub name: String,
    /// `create`, `update`, `unchanged`, `conflict`.
    pub action: String,
    pub changes: Vec<FieldChange>,
    pub reason: Option<ConflictReason>,
    pub not_carried: Vec<NotCarried>,
    /// Whether secrets are kept on create (values never shown).
    pub keeps_credentials: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanPreview {
    pub panel_id: PanelId,
    pub kind: PanelKind,
    pub counts: PlanCounts,
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<RowError>,
}

impl ImportPlan {
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts {
            errors: u32::try_from(self.errors.len()).unwrap_or(u32::MAX),
            ..PlanCounts::default()
        };
        for i in &self.items {
            match i.action {
                ImportAction::Create(_) => c.create += 1,
                ImportAction::Update { .. } => c.update += 1,
                ImportAction::Unchanged { .. } => c.unchanged += 1,
                ImportAction::Conflict { .. } => c.conflict += 1,
            }
        }
        c
    }

    pub fn preview(&self) -> PlanPreview {
        PlanPreview {
            panel_id: self.panel_id.clone(),
            kind: self.kind,
            counts: self.counts(),
            rows: self
                .items
                .iter()
                .map(|i| PreviewRow {
                    line: i.line,
                    name: i.name.clone(),
                    action: i.action.label().to_owned(),
                    changes: i.changes.to_vec(),
                    reason: match &i.action {
                        ImportAction::Conflict { reason } => Some(reason.clone()),
                        _ => None,
                    },
                    not_carried: i.not_carried.to_vec(),
                    keeps_credentials: matches!(i.action, ImportAction::Create(_))
                        && i.credentials().keeps_secrets(),
                })
                .collect(),
            errors: self.errors.clone(),
        }
    }

    /// The creates (with the credentials and settings they keep) and updates with the changes
    /// this preview shows, for
    /// [`crate::Paneldeck::plan_from_items`] (or use [`crate::Paneldeck::import_apply`]).
    pub fn bulk_items(&self) -> Vec<ItemInput> {
        self.items
            .iter()
            .filter_map(|i| match &i.action {
                ImportAction::Create(new) => Some(ItemInput::Create {
                    panel_id: self.panel_id.clone(),
                    new: new.clone(),
                    credentials: i.credentials(),
                    settings: i.settings(),
                }),
                ImportAction::Update { key, edit } => Some(ItemInput::Edit {
                    key: key.clone(),
                    edit: (**edit).clone(),
                    changes: i.changes.to_vec(),
                }),
                _ => None,
            })
            .collect()
    }
}
