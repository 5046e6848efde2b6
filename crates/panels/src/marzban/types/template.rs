//! User templates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{zero_as_none, Extra, ProxyType};

/// A user template's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TemplateId(pub i64);

impl std::fmt::Display for TemplateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `UserTemplateResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserTemplate {
    pub id: TemplateId,
    #[serde(default)]
    pub name: Option<String>,
    /// Bytes; `None` = unlimited.
    #[serde(rename = "data_limit", default, deserialize_with = "zero_as_none")]
    pub data_limit_bytes: Option<u64>,
    /// Seconds from creation; `None` = never expires.
    #[serde(rename = "expire_duration", default, deserialize_with = "zero_as_none")]
    pub expire_duration_secs: Option<u64>,
    #[serde(default)]
    pub username_prefix: Option<String>,
    #[serde(default)]
    pub username_suffix: Option<String>,
    #[serde(default)]
    pub inbounds: BTreeMap<ProxyType, Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `UserTemplateCreate` / `UserTemplateModify` (on modify, `None` leaves a field).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserTemplateWrite {
    /// Up to 64 characters, unique.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "data_limit", skip_serializing_if = "Option::is_none")]
    pub data_limit_bytes: Option<u64>,
    #[serde(rename = "expire_duration", skip_serializing_if = "Option::is_none")]
    pub expire_duration_secs: Option<u64>,
    /// 1–20 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_prefix: Option<String>,
    /// 1–20 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_suffix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbounds: Option<BTreeMap<ProxyType, Vec<String>>>,
}
