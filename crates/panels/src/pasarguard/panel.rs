//! Groups, templates, admins and roles, system stats, inbounds and health.

use reqwest::Method;

use super::{
    client::decode,
    errors::error_for,
    types::{
        Admin, AdminsResponse, Group, GroupCreate, GroupId, GroupsResponse, Health, RolesResponse,
        SystemStats, TemplateId, UserTemplate, UserTemplateCreate,
    },
    PasarguardClient,
};
use crate::PanelError;

impl PasarguardClient {
    /// `GET /health` without credentials (v2.0.0+): `{"status":"ok"}` (step 97). Marzban has
    /// no such route.
    pub async fn health(&self) -> Result<Health, PanelError> {
        let route = "health";
        let raw = self
            .http
            .send(self.http.request(Method::GET, route))
            .await?;
        if !raw.status.is_success() {
            return Err(error_for(&raw, route));
        }
        decode(&raw, route)
    }

    /// `GET /api/system` (step 9).
    pub async fn get_system_stats(&self) -> Result<SystemStats, PanelError> {
        self.call_json(Method::GET, "api/system", |r| r).await
    }

    /// `GET /api/inbounds`: the inbound tags (step 12).
    pub async fn get_inbounds(&self) -> Result<Vec<String>, PanelError> {
        self.call_json(Method::GET, "api/inbounds", |r| r).await
    }

    /// `GET /api/groups` (step 15).
    pub async fn get_groups(&self) -> Result<GroupsResponse, PanelError> {
        self.call_json(Method::GET, "api/groups", |r| r).await
    }

    /// `POST /api/group` (201, step 13).
    pub async fn add_group(&self, group: &GroupCreate) -> Result<Group, PanelError> {
        self.call_json(Method::POST, "api/group", |r| r.json(group))
            .await
    }

    /// `GET /api/group/{id}`.
    pub async fn get_group(&self, id: GroupId) -> Result<Group, PanelError> {
        let route = format!("api/group/{id}");
        self.call_json(Method::GET, &route, |r| r).await
    }

    /// `GET /api/user_templates`: a bare array (step 67).
    pub async fn get_user_templates(&self) -> Result<Vec<UserTemplate>, PanelError> {
        self.call_json(Method::GET, "api/user_templates", |r| r)
            .await
    }

    /// `GET /api/user_template/{id}`.
    pub async fn get_user_template(&self, id: TemplateId) -> Result<UserTemplate, PanelError> {
        let route = format!("api/user_template/{id}");
        self.call_json(Method::GET, &route, |r| r).await
    }

    /// `POST /api/user_template` (201, step 66).
    pub async fn add_user_template(
        &self,
        template: &UserTemplateCreate,
    ) -> Result<UserTemplate, PanelError> {
        self.call_json(Method::POST, "api/user_template", |r| r.json(template))
            .await
    }

    /// `GET /api/admin`: the admin signed in (step 7).
    pub async fn get_current_admin(&self) -> Result<Admin, PanelError> {
        self.call_json(Method::GET, "api/admin", |r| r).await
    }

    /// `GET /api/admins`: `{admins, total}` (step 53); 403 without `admins.read` (step 59).
    pub async fn get_admins(&self) -> Result<AdminsResponse, PanelError> {
        self.call_json(Method::GET, "api/admins", |r| r).await
    }

    /// `GET /api/admin-roles/simple` (step 50).
    pub async fn get_roles(&self) -> Result<RolesResponse, PanelError> {
        self.call_json(Method::GET, "api/admin-roles/simple", |r| r)
            .await
    }
}
