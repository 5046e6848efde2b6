//! Bodies and answers of `/api/users/bulk/*` (v3.0.0+, `app/routers/user.py`). Selections
//! carry user ids in `ids`; the filter models carry them in `users` (facts §9).

use serde::{Deserialize, Serialize};

use super::{GroupId, TemplateId, UserId, UserStatus};

/// `BulkUsersSelection`: at least one id (`[]` gives 422, step 80).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkSelection {
    pub ids: Vec<UserId>,
}

/// `BulkUsersSetOwner`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkSetOwner {
    pub ids: Vec<UserId>,
    pub admin_username: String,
}

/// `BulkUser`: add `amount` to the expiry (seconds) or the data limit (bytes) of the users the
/// filter matches; negative amounts subtract.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BulkAmount {
    pub amount: i64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<GroupId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<UserStatus>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
}

/// `BulkUsersProxy`: a new Shadowsocks cipher for the users the filter matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BulkProxySettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<UserId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<GroupId>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
}

/// What a filter route answers: `{"detail":"operation has been successfuly done on N users"}`
/// (sic; step 71), or with `dry_run` `{dry_run, affected_users}` (step 72).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BulkFilterResult {
    DryRun { dry_run: bool, affected_users: u64 },
    Done { detail: String },
}

impl BulkFilterResult {
    /// How many users the operation touched (or would), when the answer says.
    pub fn affected(&self) -> Option<u64> {
        match self {
            BulkFilterResult::DryRun { affected_users, .. } => Some(*affected_users),
            BulkFilterResult::Done { detail } => detail
                .split_whitespace()
                .rev()
                .nth(1)
                .and_then(|n| n.parse().ok()),
        }
    }
}

/// `UsernameGenerationStrategy`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UsernameStrategy {
    #[default]
    Random,
    Sequence,
}

/// `BulkUsersFromTemplate`: `count` (1–500) users from one template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkFromTemplate {
    pub user_template_id: TemplateId,
    pub count: u32,
    pub strategy: UsernameStrategy,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_number: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `BulkUsersCreateResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkCreated {
    #[serde(default)]
    pub subscription_urls: Vec<String>,
    #[serde(default)]
    pub created: u64,
}

/// `BulkUsersApplyTemplate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkApplyTemplate {
    pub ids: Vec<UserId>,
    pub user_template_id: TemplateId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
