//! `/api/users/bulk/*` (v3.0.0+): many users in one request, selected by user id.

use reqwest::Method;

use super::{
    types::{
        BulkAmount, BulkApplyTemplate, BulkCreated, BulkFilterResult, BulkFromTemplate,
        BulkProxySettings, BulkSelection, BulkSetOwner, UserId, UsersTouched,
    },
    PasarguardClient,
};
use crate::PanelError;

/// A bulk route taking `{ids}` and answering `{users, count}` (steps 75–78, 95).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkUsersAction {
    Delete,
    Reset,
    Disable,
    Enable,
    RevokeSub,
}

impl BulkUsersAction {
    fn route(self) -> &'static str {
        match self {
            BulkUsersAction::Delete => "api/users/bulk/delete",
            BulkUsersAction::Reset => "api/users/bulk/reset",
            BulkUsersAction::Disable => "api/users/bulk/disable",
            BulkUsersAction::Enable => "api/users/bulk/enable",
            BulkUsersAction::RevokeSub => "api/users/bulk/revoke_sub",
        }
    }
}

impl PasarguardClient {
    /// `POST /api/users/bulk/{delete,reset,disable,enable,revoke_sub}`. The answer names the
    /// users it changed: bulk disable leaves out users already disabled (step 75).
    pub async fn bulk_users(
        &self,
        action: BulkUsersAction,
        ids: &[UserId],
    ) -> Result<UsersTouched, PanelError> {
        let body = BulkSelection { ids: ids.to_vec() };
        self.call_json(Method::POST, action.route(), |r| r.json(&body))
            .await
    }

    /// `PUT /api/users/bulk/set_owner` (step 79).
    pub async fn bulk_set_owner(&self, body: &BulkSetOwner) -> Result<UsersTouched, PanelError> {
        self.call_json(Method::PUT, "api/users/bulk/set_owner", |r| r.json(body))
            .await
    }

    /// `POST /api/users/bulk/expire`: `amount` seconds added to the matched users' expiry
    /// (step 71).
    pub async fn bulk_expire(&self, body: &BulkAmount) -> Result<BulkFilterResult, PanelError> {
        self.call_json(Method::POST, "api/users/bulk/expire", |r| r.json(body))
            .await
    }

    /// `POST /api/users/bulk/data_limit`: `amount` bytes added to the matched users' data
    /// limit (steps 72, 73).
    pub async fn bulk_data_limit(&self, body: &BulkAmount) -> Result<BulkFilterResult, PanelError> {
        self.call_json(Method::POST, "api/users/bulk/data_limit", |r| r.json(body))
            .await
    }

    /// `POST /api/users/bulk/proxy_settings` (step 74).
    pub async fn bulk_proxy_settings(
        &self,
        body: &BulkProxySettings,
    ) -> Result<BulkFilterResult, PanelError> {
        self.call_json(Method::POST, "api/users/bulk/proxy_settings", |r| {
            r.json(body)
        })
        .await
    }

    /// `POST /api/users/bulk/from_template` (201).
    pub async fn bulk_from_template(
        &self,
        body: &BulkFromTemplate,
    ) -> Result<BulkCreated, PanelError> {
        self.call_json(Method::POST, "api/users/bulk/from_template", |r| {
            r.json(body)
        })
        .await
    }

    /// `POST /api/users/bulk/apply_template`.
    pub async fn bulk_apply_template(
        &self,
        body: &BulkApplyTemplate,
    ) -> Result<UsersTouched, PanelError> {
        self.call_json(Method::POST, "api/users/bulk/apply_template", |r| {
            r.json(body)
        })
        .await
    }
}
