//! User routes: `/api/user*`, `/api/users*`.

use reqwest::Method;

use super::{
    seg,
    types::{
        ExpiredRange, UsageRange, User, UserCreate, UserModify, UserUsages, UsersQuery,
        UsersResponse,
    },
    MarzbanClient,
};
use crate::PanelError;

impl MarzbanClient {
    /// `POST /api/user`. 409 → `Conflict`, bad fields → `Validation` (field by field).
    pub async fn add_user(&self, user: &UserCreate) -> Result<User, PanelError> {
        self.call_json(Method::POST, "api/user", |r| r.json(user))
            .await
    }

    /// `GET /api/user/{username}`.
    pub async fn get_user(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}", seg(username));
        self.call_json(Method::GET, &route, |r| r).await
    }

    /// `PUT /api/user/{username}`: only the fields set change.
    pub async fn modify_user(
        &self,
        username: &str,
        change: &UserModify,
    ) -> Result<User, PanelError> {
        let route = format!("api/user/{}", seg(username));
        self.call_json(Method::PUT, &route, |r| r.json(change))
            .await
    }

    /// `DELETE /api/user/{username}`.
    pub async fn remove_user(&self, username: &str) -> Result<(), PanelError> {
        let route = format!("api/user/{}", seg(username));
        self.call(Method::DELETE, &route, |r| r).await.map(drop)
    }

    /// `POST /api/user/{username}/reset`: used traffic back to 0 (a `limited` user becomes
    /// `active`).
    pub async fn reset_user_data_usage(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}/reset", seg(username));
        self.call_json(Method::POST, &route, |r| r).await
    }

    /// `POST /api/user/{username}/revoke_sub`: new subscription token and new proxy secrets.
    pub async fn revoke_user_subscription(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}/revoke_sub", seg(username));
        self.call_json(Method::POST, &route, |r| r).await
    }

    /// `GET /api/user/{username}/usage?start&end`: traffic per node.
    pub async fn get_user_usage(
        &self,
        username: &str,
        range: &UsageRange,
    ) -> Result<UserUsages, PanelError> {
        let route = format!("api/user/{}/usage", seg(username));
        let query = range.pairs();
        self.call_json(Method::GET, &route, |r| r.query(&query))
            .await
    }

    /// `PUT /api/user/{username}/set-owner?admin_username=` (sudo only).
    pub async fn set_owner(
        &self,
        username: &str,
        admin_username: &str,
    ) -> Result<User, PanelError> {
        let route = format!("api/user/{}/set-owner", seg(username));
        self.call_json(Method::PUT, &route, |r| {
            r.query(&[("admin_username", admin_username)])
        })
        .await
    }

    /// `GET /api/users`: a page of users and the total matching the filters. Non-sudo admins
    /// see only their own users.
    pub async fn get_users(&self, query: &UsersQuery) -> Result<UsersResponse, PanelError> {
        let pairs = query.pairs();
        self.call_json(Method::GET, "api/users", |r| r.query(&pairs))
            .await
    }

    /// `POST /api/users/reset`: every user's traffic back to 0 (sudo only).
    pub async fn reset_users_data_usage(&self) -> Result<(), PanelError> {
        self.call(Method::POST, "api/users/reset", |r| r)
            .await
            .map(drop)
    }

    /// `GET /api/users/expired`: usernames of expired/limited users whose `expire` is in range.
    pub async fn get_expired_users(&self, range: &ExpiredRange) -> Result<Vec<String>, PanelError> {
        let pairs = range.pairs();
        self.call_json(Method::GET, "api/users/expired", |r| r.query(&pairs))
            .await
    }

    /// `DELETE /api/users/expired`: removes them; answers the removed usernames.
    pub async fn delete_expired_users(
        &self,
        range: &ExpiredRange,
    ) -> Result<Vec<String>, PanelError> {
        let pairs = range.pairs();
        self.call_json(Method::DELETE, "api/users/expired", |r| r.query(&pairs))
            .await
    }
}
