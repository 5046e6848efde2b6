//! Groups, templates, admins and roles, system stats and subscription documents.

use serde::{Deserialize, Serialize};

use super::{AdminId, DataLimitResetStrategy, Extra, GroupId, TemplateId};

/// `GroupResponse`: a named set of inbound tags (steps 13–15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    #[serde(default)]
    pub inbound_tags: Vec<String>,
    #[serde(default)]
    pub is_disabled: bool,
    #[serde(default)]
    pub total_users: u64,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `POST /api/group`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupCreate {
    pub name: String,
    pub inbound_tags: Vec<String>,
}

/// `{groups, total}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupsResponse {
    pub groups: Vec<Group>,
    pub total: u64,
}

/// `UserTemplateResponse` (steps 66–68).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserTemplate {
    pub id: TemplateId,
    pub name: String,
    #[serde(rename = "data_limit", default)]
    pub data_limit_bytes: Option<u64>,
    /// Seconds from creation; null or 0 = never expires.
    #[serde(rename = "expire_duration", default)]
    pub expire_duration_secs: Option<i64>,
    #[serde(default)]
    pub username_prefix: Option<String>,
    #[serde(default)]
    pub username_suffix: Option<String>,
    #[serde(default)]
    pub group_ids: Vec<GroupId>,
    #[serde(default)]
    pub hwid_limit: Option<i64>,
    #[serde(default)]
    pub data_limit_reset_strategy: DataLimitResetStrategy,
    #[serde(default)]
    pub is_disabled: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `POST /api/user_template`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserTemplateCreate {
    pub name: String,
    pub group_ids: Vec<GroupId>,
    #[serde(rename = "data_limit", skip_serializing_if = "Option::is_none")]
    pub data_limit_bytes: Option<u64>,
    #[serde(rename = "expire_duration", skip_serializing_if = "Option::is_none")]
    pub expire_duration_secs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_prefix: Option<String>,
}

/// `role` of an admin (v5.0.0+: roles replaced `is_sudo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub is_owner: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AdminDetails` (steps 7, 53).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Admin {
    pub id: AdminId,
    pub username: String,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub total_users: u64,
    #[serde(rename = "used_traffic", default)]
    pub used_traffic_bytes: u64,
    #[serde(rename = "data_limit", default)]
    pub data_limit_bytes: Option<u64>,
    #[serde(default)]
    pub is_disabled: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `{admins, total}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminsResponse {
    pub admins: Vec<Admin>,
    pub total: u64,
}

/// `{roles: [{id, name, is_owner}], total}` (step 50).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RolesResponse {
    pub roles: Vec<Role>,
    pub total: u64,
}

/// `GET /api/system` (step 9). `active_users` and friends are PasarGuard's names (Marzban
/// says `users_active`): detection reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemStats {
    pub version: String,
    pub total_user: u64,
    #[serde(default)]
    pub online_users: u64,
    pub active_users: u64,
    #[serde(default)]
    pub on_hold_users: u64,
    #[serde(default)]
    pub disabled_users: u64,
    #[serde(default)]
    pub expired_users: u64,
    #[serde(default)]
    pub limited_users: u64,
    #[serde(rename = "incoming_bandwidth", default)]
    pub incoming_bandwidth_bytes: u64,
    #[serde(rename = "outgoing_bandwidth", default)]
    pub outgoing_bandwidth_bytes: u64,
    #[serde(default)]
    pub uptime_seconds: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /health`: `{"status":"ok"}`, without auth (v2.0.0+, step 97).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
}

/// `{client_type}` of `/sub/{token}/{client_type}` (`ConfigFormat`; underscores, step 91).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientType {
    Links,
    LinksBase64,
    Xray,
    Wireguard,
    SingBox,
    Clash,
    ClashMeta,
    Outline,
    Block,
}

impl ClientType {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientType::Links => "links",
            ClientType::LinksBase64 => "links_base64",
            ClientType::Xray => "xray",
            ClientType::Wireguard => "wireguard",
            ClientType::SingBox => "sing_box",
            ClientType::Clash => "clash",
            ClientType::ClashMeta => "clash_meta",
            ClientType::Outline => "outline",
            ClientType::Block => "block",
        }
    }
}
