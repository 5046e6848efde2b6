//! Users: `UserCreate`, `UserModify`, `UserResponse`, list and usage answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{zero_as_none, Extra};

/// `ProxyTypes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyType {
    Vmess,
    Vless,
    Trojan,
    Shadowsocks,
}

/// Per-protocol settings. Send `ProxySettings::default()` (`{}`) to let the server generate the
/// secret; sending it in a modify regenerates it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxySettings {
    /// VMess / VLESS UUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// VLESS / Trojan flow (`""` or `xtls-rprx-vision`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// Trojan / Shadowsocks password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Shadowsocks cipher (`chacha20-ietf-poly1305` by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `UserStatus`: what the server reports. `limited` and `expired` are set by the server only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Disabled,
    Limited,
    Expired,
    OnHold,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
            UserStatus::Limited => "limited",
            UserStatus::Expired => "expired",
            UserStatus::OnHold => "on_hold",
        }
    }
}

/// `UserStatusCreate`: the statuses a new user may start in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatusCreate {
    Active,
    OnHold,
}

/// `UserStatusModify`: the statuses an admin may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatusModify {
    Active,
    Disabled,
    OnHold,
}

/// `UserDataLimitResetStrategy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataLimitResetStrategy {
    #[default]
    NoReset,
    Day,
    Week,
    Month,
    Year,
}

/// `UserResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub proxies: BTreeMap<ProxyType, ProxySettings>,
    /// UTC seconds; `None` = never (the server answers `null` for 0).
    #[serde(rename = "expire", default, deserialize_with = "zero_as_none")]
    pub expire_utc_secs: Option<i64>,
    /// Bytes; `None` = unlimited (the server answers `null` for 0).
    #[serde(rename = "data_limit", default, deserialize_with = "zero_as_none")]
    pub data_limit_bytes: Option<u64>,
    #[serde(default)]
    pub data_limit_reset_strategy: DataLimitResetStrategy,
    /// Inbound tags per protocol.
    #[serde(default)]
    pub inbounds: BTreeMap<ProxyType, Vec<String>>,
    #[serde(default)]
    pub note: Option<String>,
    /// Naive ISO-8601 UTC (`2026-11-23T07:56:08.754887`).
    #[serde(default)]
    pub sub_updated_at: Option<String>,
    #[serde(default)]
    pub sub_last_user_agent: Option<String>,
    /// Naive ISO-8601 UTC.
    #[serde(default)]
    pub online_at: Option<String>,
    /// Seconds the user gets once an on-hold period ends.
    #[serde(rename = "on_hold_expire_duration", default)]
    pub on_hold_expire_duration_secs: Option<i64>,
    /// Naive ISO-8601 UTC.
    #[serde(default)]
    pub on_hold_timeout: Option<String>,
    pub status: UserStatus,
    /// Bytes since the last reset.
    #[serde(rename = "used_traffic")]
    pub used_traffic_bytes: u64,
    /// Bytes over the user's whole life.
    #[serde(rename = "lifetime_used_traffic", default)]
    pub lifetime_used_traffic_bytes: u64,
    /// Naive ISO-8601 UTC.
    pub created_at: String,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub subscription_url: String,
    #[serde(default)]
    pub excluded_inbounds: BTreeMap<ProxyType, Vec<String>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl User {
    /// The token at the end of `subscription_url` (`…/sub/{token}`), for the `/sub` routes.
    pub fn subscription_token(&self) -> Option<&str> {
        let tail = self.subscription_url.split("/sub/").nth(1)?;
        let token = tail.trim_end_matches('/');
        (!token.is_empty()).then_some(token)
    }
}

/// `UserCreate`. `expire_utc_secs` / `data_limit_bytes` of `Some(0)` or `None` mean never /
/// unlimited.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserCreate {
    /// The server's rule: [`username_ok`](crate::marzban::username_ok).
    pub username: String,
    /// At least one.
    pub proxies: BTreeMap<ProxyType, ProxySettings>,
    /// Tags per protocol; a protocol left out (or `{}`) gets every inbound of its protocol.
    /// Always sent, even empty: without the key 0.8.x keeps the user off EVERY inbound (no
    /// links, an empty subscription) while 0.4.x gives every inbound (NOTES.md, measured
    /// table; `UserCreate.validate_inbounds` runs only on a given value under pydantic v2).
    pub inbounds: BTreeMap<ProxyType, Vec<String>>,
    #[serde(rename = "expire", skip_serializing_if = "Option::is_none")]
    pub expire_utc_secs: Option<i64>,
    #[serde(rename = "data_limit", skip_serializing_if = "Option::is_none")]
    pub data_limit_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_limit_reset_strategy: Option<DataLimitResetStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatusCreate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Required (non-zero) when `status` is `on_hold`.
    #[serde(
        rename = "on_hold_expire_duration",
        skip_serializing_if = "Option::is_none"
    )]
    pub on_hold_expire_duration_secs: Option<i64>,
    /// Naive ISO-8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_hold_timeout: Option<String>,
}

/// `UserModify`: `None` (not sent) leaves a field as it is. `Some(0)` makes expire / data limit
/// unlimited; a `proxies` entry with empty settings regenerates that protocol's secret.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UserModify {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxies: Option<BTreeMap<ProxyType, ProxySettings>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbounds: Option<BTreeMap<ProxyType, Vec<String>>>,
    #[serde(rename = "expire", skip_serializing_if = "Option::is_none")]
    pub expire_utc_secs: Option<i64>,
    #[serde(rename = "data_limit", skip_serializing_if = "Option::is_none")]
    pub data_limit_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_limit_reset_strategy: Option<DataLimitResetStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatusModify>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(
        rename = "on_hold_expire_duration",
        skip_serializing_if = "Option::is_none"
    )]
    pub on_hold_expire_duration_secs: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_hold_timeout: Option<String>,
}

/// `UsersResponse`: one page and the number of users matching the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsersResponse {
    pub users: Vec<User>,
    pub total: u64,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A column `GET /api/users` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSortField {
    Username,
    UsedTraffic,
    DataLimit,
    Expire,
    CreatedAt,
}

impl UserSortField {
    pub fn as_str(self) -> &'static str {
        match self {
            UserSortField::Username => "username",
            UserSortField::UsedTraffic => "used_traffic",
            UserSortField::DataLimit => "data_limit",
            UserSortField::Expire => "expire",
            UserSortField::CreatedAt => "created_at",
        }
    }
}

/// `GET /api/users` filters. No `limit` means every user.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsersQuery {
    pub offset: Option<u64>,
    pub limit: Option<u64>,
    /// The `username` parameter, repeated. On 0.4.x one value is a case-insensitive substring
    /// search and several an exact list; on 0.5+ it is always the exact (case-insensitive)
    /// list, and `search` is the substring filter (NOTES.md, measured table).
    pub usernames: Vec<String>,
    /// Substring of username or note: Marzban 0.5+ only; 0.4.x ignores it.
    pub search: Option<String>,
    pub status: Option<UserStatus>,
    /// Applied in order; `true` = descending.
    pub sort: Vec<(UserSortField, bool)>,
}

impl UsersQuery {
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(v) = self.offset {
            q.push(("offset".into(), v.to_string()));
        }
        if let Some(v) = self.limit {
            q.push(("limit".into(), v.to_string()));
        }
        for u in &self.usernames {
            q.push(("username".into(), u.clone()));
        }
        if let Some(s) = &self.search {
            q.push(("search".into(), s.clone()));
        }
        if let Some(s) = self.status {
            q.push(("status".into(), s.as_str().into()));
        }
        if !self.sort.is_empty() {
            let sort = self
                .sort
                .iter()
                .map(|(f, desc)| format!("{}{}", if *desc { "-" } else { "" }, f.as_str()))
                .collect::<Vec<_>>()
                .join(",");
            q.push(("sort".into(), sort));
        }
        q
    }
}

/// `UserUsageResponse`: traffic of one user through one node (`node_id: None` = the master).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserUsage {
    #[serde(default)]
    pub node_id: Option<super::NodeId>,
    pub node_name: String,
    #[serde(rename = "used_traffic")]
    pub used_traffic_bytes: u64,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `UserUsagesResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserUsages {
    pub username: String,
    pub usages: Vec<UserUsage>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A time window for the usage routes, in UTC seconds (sent as ISO-8601).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageRange {
    pub start_utc_secs: Option<i64>,
    pub end_utc_secs: Option<i64>,
}

impl UsageRange {
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(s) = self.start_utc_secs {
            q.push(("start".into(), super::super::time::iso_utc(s)));
        }
        if let Some(e) = self.end_utc_secs {
            q.push(("end".into(), super::super::time::iso_utc(e)));
        }
        q
    }
}

/// `GET|DELETE /api/users/expired` bounds on `expire`, in UTC seconds (sent as ISO-8601).
/// The server's default: from the beginning of time until now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiredRange {
    pub expired_after_utc_secs: Option<i64>,
    pub expired_before_utc_secs: Option<i64>,
}

impl ExpiredRange {
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(s) = self.expired_after_utc_secs {
            q.push(("expired_after".into(), super::super::time::iso_utc(s)));
        }
        if let Some(e) = self.expired_before_utc_secs {
            q.push(("expired_before".into(), super::super::time::iso_utc(e)));
        }
        q
    }
}
