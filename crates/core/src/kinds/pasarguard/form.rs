//! PasarGuard's create and edit forms and what its create form offers, as they cross to the UI
//! (the `pasarguard` variants of `NewAccount`, `AccountEdit` and `CreateOptions` carry them).

use serde::{Deserialize, Serialize};

use crate::actions::{ExpireInput, MarzbanCreateStatus, MarzbanStatusInput, ResetStrategy};

/// The create form. Statuses and reset periods are Marzban's, which PasarGuard kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasarguardNew {
    /// 3–128 of `a-z A-Z 0-9 - _ @ .`, no two of `- _ @ .` in a row.
    pub username: String,
    /// The groups (their inbounds are the user's). Empty = every group of the panel: a
    /// PasarGuard user without groups has no inbounds and no links.
    #[serde(default)]
    #[specta(type = Vec<specta_typescript::Number>)]
    pub group_ids: Vec<i64>,
    /// How the plan shows those groups (an import or migration names the inbounds each came
    /// from); the panel gets only the ids.
    #[serde(default)]
    pub group_names: Vec<String>,
    pub expire: ExpireInput,
    /// `None` = unlimited.
    #[serde(default)]
    #[specta(type = Option<specta_typescript::Number>)]
    pub data_limit_bytes: Option<u64>,
    #[serde(default)]
    pub data_limit_reset_strategy: ResetStrategy,
    #[serde(default)]
    pub status: MarzbanCreateStatus,
    /// Required (> 0) with status `onHold`; the period starts at first use.
    #[serde(default)]
    #[specta(type = Option<specta_typescript::Number>)]
    pub on_hold_expire_duration_secs: Option<u64>,
    #[serde(default)]
    pub note: String,
    /// Devices (HWIDs) allowed; `None` = the panel's default.
    #[serde(default)]
    pub hwid_limit: Option<u32>,
}

/// The edit form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasarguardEdit {
    /// `None` = unlimited.
    #[specta(type = Option<specta_typescript::Number>)]
    pub data_limit_bytes: Option<u64>,
    pub expire: ExpireInput,
    pub data_limit_reset_strategy: ResetStrategy,
    pub status: MarzbanStatusInput,
    pub note: String,
    #[serde(default)]
    #[specta(type = Option<specta_typescript::Number>)]
    pub on_hold_expire_duration_secs: Option<u64>,
    /// `None` keeps the groups; otherwise the whole new set (at least one).
    #[serde(default)]
    #[specta(type = Option<Vec<specta_typescript::Number>>)]
    pub group_ids: Option<Vec<i64>>,
    /// `None` keeps the device limit.
    #[serde(default)]
    pub hwid_limit: Option<u32>,
}

/// What the create form offers: the panel's groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasarguardOptions {
    pub groups: Vec<PasarguardGroupOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasarguardGroupOption {
    #[specta(type = specta_typescript::Number)]
    pub id: i64,
    pub name: String,
    pub inbound_tags: Vec<String>,
    pub disabled: bool,
}

/// The create form as the bulk journal writes it (read back as `NewAccount`).
pub(crate) fn journal_json(form: &PasarguardNew) -> serde_json::Value {
    let mut v = serde_json::to_value(form).unwrap_or_default();
    v["kind"] = serde_json::Value::from("pasarguard");
    v
}
