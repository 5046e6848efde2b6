//! Answers of the bulk and group routes (`/panel/api/clients/bulk*`, `groups*`): partial
//! results with per-email reasons (facts §4.7, §4.10). `skipped` is omitted when empty and
//! the attach/detach lists may be `null`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire::null_as_empty;

/// Why one email of a bulk call was not processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub email: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedResult {
    pub created: u64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustedResult {
    pub adjusted: u64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedResult {
    pub changed: u64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedResult {
    pub deleted: u64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedResult {
    pub affected: u64,
}

/// `bulkAttach`: per-email lists. `errors` items are the panel's own text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttachResult {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub attached: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skipped: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub errors: Vec<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DetachResult {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub detached: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skipped: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub errors: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupInfo {
    pub name: String,
    #[serde(default)]
    pub client_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupName {
    pub name: String,
}

/// Body of `bulkAdjust`: days and bytes may be negative.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkAdjust {
    pub emails: Vec<String>,
    pub add_days: i64,
    pub add_bytes: i64,
    /// "none" clears, "xtls-rprx-vision"… sets, omitted leaves unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
}
