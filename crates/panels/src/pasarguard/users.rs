//! User routes: `/api/user*`, `/api/users*` (the single-user paths take the username; the
//! `by-id` ones the id).

use reqwest::Method;

use super::{
    seg,
    types::{
        UsagePeriod, User, UserCreate, UserFromTemplate, UserId, UserModify, UserUsageStats,
        UsersQuery, UsersResponse, UsersTouched,
    },
    PasarguardClient,
};
use crate::{FieldError, FieldProblem, PanelError};

impl PasarguardClient {
    /// `POST /api/user` (201). An empty `group_ids` is refused here: the server would answer
    /// 422 (step 25), and leaving it out makes a user with no inbounds (step 29).
    pub async fn add_user(&self, user: &UserCreate) -> Result<User, PanelError> {
        if user.group_ids.is_empty() {
            return Err(PanelError::Validation {
                fields: vec![FieldError::new(
                    "group_ids",
                    FieldProblem::Required,
                    "a PasarGuard user needs at least one group (its inbounds come from groups)",
                )],
            });
        }
        self.call_json(Method::POST, "api/user", |r| r.json(user))
            .await
    }

    /// `GET /api/user/{username}`.
    pub async fn get_user(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}", seg(username));
        self.call_json(Method::GET, &route, |r| r).await
    }

    /// `GET /api/user/by-id/{id}` (v4.0.0+, step 32).
    pub async fn get_user_by_id(&self, id: UserId) -> Result<User, PanelError> {
        let route = format!("api/user/by-id/{id}");
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

    /// `DELETE /api/user/{username}`: 204 with an empty body (step 94).
    pub async fn remove_user(&self, username: &str) -> Result<(), PanelError> {
        let route = format!("api/user/{}", seg(username));
        self.call(Method::DELETE, &route, |r| r).await.map(drop)
    }

    /// `POST /api/user/{username}/reset`: used traffic back to 0.
    pub async fn reset_user_data_usage(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}/reset", seg(username));
        self.call_json(Method::POST, &route, |r| r).await
    }

    /// `POST /api/user/{username}/revoke_sub`: a new subscription token and new credentials
    /// in every `proxy_settings` part (steps 47, 48), so every link handed out stops working.
    pub async fn revoke_user_subscription(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}/revoke_sub", seg(username));
        self.call_json(Method::POST, &route, |r| r).await
    }

    /// `POST /api/user/{username}/active_next`: starts the user's `next_plan` now.
    pub async fn active_next_plan(&self, username: &str) -> Result<User, PanelError> {
        let route = format!("api/user/{}/active_next", seg(username));
        self.call_json(Method::POST, &route, |r| r).await
    }

    /// `GET /api/user/{username}/usage?period=` (step 49).
    pub async fn get_user_usage(
        &self,
        username: &str,
        period: UsagePeriod,
    ) -> Result<UserUsageStats, PanelError> {
        let route = format!("api/user/{}/usage", seg(username));
        self.call_json(Method::GET, &route, |r| {
            r.query(&[("period", period.as_str())])
        })
        .await
    }

    /// `PUT /api/user/{username}/set_owner?admin_username=` (underscore; step 55).
    pub async fn set_owner(
        &self,
        username: &str,
        admin_username: &str,
    ) -> Result<User, PanelError> {
        let route = format!("api/user/{}/set_owner", seg(username));
        self.call_json(Method::PUT, &route, |r| {
            r.query(&[("admin_username", admin_username)])
        })
        .await
    }

    /// `POST /api/user/from_template` (201, step 69).
    pub async fn add_user_from_template(
        &self,
        body: &UserFromTemplate,
    ) -> Result<User, PanelError> {
        self.call_json(Method::POST, "api/user/from_template", |r| r.json(body))
            .await
    }

    /// `GET /api/users`: a page and the total matching the filters. An operator-role admin
    /// sees only its own users (step 57).
    pub async fn get_users(&self, query: &UsersQuery) -> Result<UsersResponse, PanelError> {
        let pairs = query.pairs();
        self.call_json(Method::GET, "api/users", |r| r.query(&pairs))
            .await
    }

    /// `POST /api/users/reset`: every user's traffic back to 0.
    pub async fn reset_users_data_usage(&self) -> Result<(), PanelError> {
        self.call(Method::POST, "api/users/reset", |r| r)
            .await
            .map(drop)
    }

    /// `GET /api/users/expired`: names of users whose expiry has passed (step 81).
    pub async fn get_expired_users(&self) -> Result<Vec<String>, PanelError> {
        self.call_json(Method::GET, "api/users/expired", |r| r)
            .await
    }

    /// `DELETE /api/users/expired[?dry_run=true]`: `{users, count}` (steps 82, 83).
    pub async fn delete_expired_users(&self, dry_run: bool) -> Result<UsersTouched, PanelError> {
        let query: &[(&str, &str)] = if dry_run { &[("dry_run", "true")] } else { &[] };
        self.call_json(Method::DELETE, "api/users/expired", |r| r.query(query))
            .await
    }
}
