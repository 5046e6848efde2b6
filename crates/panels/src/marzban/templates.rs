//! User template routes: `/api/user_template*`.

use reqwest::Method;

use super::{
    types::{TemplateId, UserTemplate, UserTemplateWrite},
    MarzbanClient,
};
use crate::PanelError;

impl MarzbanClient {
    /// `GET /api/user_template?offset&limit`.
    pub async fn get_user_templates(
        &self,
        offset: Option<u64>,
        limit: Option<u64>,
    ) -> Result<Vec<UserTemplate>, PanelError> {
        let mut q: Vec<(&str, u64)> = Vec::new();
        if let Some(o) = offset {
            q.push(("offset", o));
        }
        if let Some(l) = limit {
            q.push(("limit", l));
        }
        self.call_json(Method::GET, "api/user_template", |r| r.query(&q))
            .await
    }

    /// `POST /api/user_template` (sudo only; 409 if the name is taken).
    pub async fn add_user_template(
        &self,
        template: &UserTemplateWrite,
    ) -> Result<UserTemplate, PanelError> {
        self.call_json(Method::POST, "api/user_template", |r| r.json(template))
            .await
    }

    /// `GET /api/user_template/{id}`.
    pub async fn get_user_template(&self, id: TemplateId) -> Result<UserTemplate, PanelError> {
        self.call_json(Method::GET, &format!("api/user_template/{id}"), |r| r)
            .await
    }

    /// `PUT /api/user_template/{id}`: the fields set replace the stored ones.
    pub async fn modify_user_template(
        &self,
        id: TemplateId,
        change: &UserTemplateWrite,
    ) -> Result<UserTemplate, PanelError> {
        let route = format!("api/user_template/{id}");
        self.call_json(Method::PUT, &route, |r| r.json(change))
            .await
    }

    /// `DELETE /api/user_template/{id}`.
    pub async fn remove_user_template(&self, id: TemplateId) -> Result<(), PanelError> {
        let route = format!("api/user_template/{id}");
        self.call(Method::DELETE, &route, |r| r).await.map(drop)
    }
}
