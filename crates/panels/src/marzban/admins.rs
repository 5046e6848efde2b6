//! Admin routes: `/api/admin*`, `/api/admins`.

use reqwest::Method;

use super::{
    seg,
    types::{Admin, AdminCreate, AdminModify, AdminsQuery},
    MarzbanClient,
};
use crate::PanelError;

impl MarzbanClient {
    /// `GET /api/admin`: the admin this client is signed in as.
    pub async fn get_current_admin(&self) -> Result<Admin, PanelError> {
        self.call_json(Method::GET, "api/admin", |r| r).await
    }

    /// `POST /api/admin` (sudo only; 409 if the name is taken).
    pub async fn create_admin(&self, admin: &AdminCreate) -> Result<Admin, PanelError> {
        self.call_json(Method::POST, "api/admin", |r| r.json(admin))
            .await
    }

    /// `PUT /api/admin/{username}` (sudo only; another sudo admin cannot be edited).
    pub async fn modify_admin(
        &self,
        username: &str,
        change: &AdminModify,
    ) -> Result<Admin, PanelError> {
        let route = format!("api/admin/{}", seg(username));
        self.call_json(Method::PUT, &route, |r| r.json(change))
            .await
    }

    /// `DELETE /api/admin/{username}` (sudo only; sudo admins cannot be removed).
    pub async fn remove_admin(&self, username: &str) -> Result<(), PanelError> {
        let route = format!("api/admin/{}", seg(username));
        self.call(Method::DELETE, &route, |r| r).await.map(drop)
    }

    /// `GET /api/admins` (sudo only).
    pub async fn get_admins(&self, query: &AdminsQuery) -> Result<Vec<Admin>, PanelError> {
        let pairs = query.pairs();
        self.call_json(Method::GET, "api/admins", |r| r.query(&pairs))
            .await
    }
}
