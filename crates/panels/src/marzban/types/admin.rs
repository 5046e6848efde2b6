//! Admins and the login token.

use serde::{Deserialize, Serialize};

use super::{expose, expose_opt, Extra};
use crate::Secret;

/// `Token`: the answer of `POST /api/admin/token`.
#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    pub access_token: Secret,
    #[serde(default)]
    pub token_type: String,
}

/// `Admin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Admin {
    pub username: String,
    pub is_sudo: bool,
    #[serde(default)]
    pub telegram_id: Option<i64>,
    #[serde(default)]
    pub discord_webhook: Option<String>,
    /// 0.8.x adds `users_usage` (bytes) here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AdminCreate`.
#[derive(Debug, Clone, Serialize)]
pub struct AdminCreate {
    pub username: String,
    #[serde(serialize_with = "expose")]
    pub password: Secret,
    pub is_sudo: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telegram_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discord_webhook: Option<String>,
}

/// `AdminModify`: `is_sudo` is required by the server; `password: None` keeps the password.
#[derive(Debug, Clone, Serialize)]
pub struct AdminModify {
    pub is_sudo: bool,
    #[serde(serialize_with = "expose_opt", skip_serializing_if = "Option::is_none")]
    pub password: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telegram_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discord_webhook: Option<String>,
}

/// `GET /api/admins` filters (`username` matches a substring).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminsQuery {
    pub offset: Option<u64>,
    pub limit: Option<u64>,
    pub username: Option<String>,
}

impl AdminsQuery {
    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        if let Some(v) = self.offset {
            q.push(("offset".into(), v.to_string()));
        }
        if let Some(v) = self.limit {
            q.push(("limit".into(), v.to_string()));
        }
        if let Some(v) = &self.username {
            q.push(("username".into(), v.clone()));
        }
        q
    }
}
