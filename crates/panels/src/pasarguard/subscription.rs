//! The public subscription routes `/sub/{token}/…` (the token is the credential). A revoked or
//! unknown token gets 404 `{"detail":"Not Found"}` (steps 92, 93): `NotFound` here.

use reqwest::{header, Method, StatusCode};

use super::{
    client::decode, errors::error_for, seg, types::ClientType, types::User, PasarguardClient,
};
use crate::{
    http::RawResponse,
    marzban::{Subscription, SubscriptionUserinfo},
    PanelError,
};

fn revoked() -> PanelError {
    PanelError::NotFound {
        message: "the subscription token is revoked or unknown".into(),
    }
}

impl PasarguardClient {
    async fn sub_get(
        &self,
        route: &str,
        user_agent: Option<&str>,
    ) -> Result<RawResponse, PanelError> {
        let mut request = self.http.request(Method::GET, route);
        if let Some(ua) = user_agent {
            request = request.header(header::USER_AGENT, ua);
        }
        let raw = self.http.send(request).await?;
        if raw.status == StatusCode::NOT_FOUND {
            return Err(revoked());
        }
        if !raw.status.is_success() {
            return Err(error_for(&raw, route));
        }
        Ok(raw)
    }

    fn document(raw: RawResponse) -> Subscription {
        let header_text = |name: &str| {
            raw.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Subscription {
            content_type: header_text(header::CONTENT_TYPE.as_str()).unwrap_or_default(),
            userinfo: header_text("subscription-userinfo")
                .and_then(|h| SubscriptionUserinfo::parse(&h)),
            body: String::from_utf8_lossy(&raw.body).into_owned(),
        }
    }

    /// `GET /sub/{token}/`: the document the `User-Agent` calls for (base64 links by default,
    /// Clash YAML for `clash-verge`, sing-box JSON for `SFA`; steps 84–86).
    pub async fn user_subscription(
        &self,
        token: &str,
        user_agent: Option<&str>,
    ) -> Result<Subscription, PanelError> {
        let route = format!("sub/{}/", seg(token));
        Ok(Self::document(self.sub_get(&route, user_agent).await?))
    }

    /// `GET /sub/{token}/{client_type}`.
    pub async fn user_subscription_with_client_type(
        &self,
        token: &str,
        client_type: ClientType,
    ) -> Result<Subscription, PanelError> {
        let route = format!("sub/{}/{}", seg(token), client_type.as_str());
        Ok(Self::document(self.sub_get(&route, None).await?))
    }

    /// The user's share links, one per line of `/sub/{token}/links` (step 90): PasarGuard
    /// users carry no `links` of their own.
    pub async fn user_links(&self, token: &str) -> Result<Vec<String>, PanelError> {
        let doc = self
            .user_subscription_with_client_type(token, ClientType::Links)
            .await?;
        Ok(doc
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect())
    }

    /// `GET /sub/{token}/info`: the user without `note`, `admin` and `subscription_url`
    /// (step 88), as a JSON value.
    pub async fn user_subscription_info(
        &self,
        token: &str,
    ) -> Result<serde_json::Value, PanelError> {
        let route = format!("sub/{}/info", seg(token));
        decode(&self.sub_get(&route, None).await?, &route)
    }

    /// The user `username` with an absolute subscription URL (a relative one is resolved
    /// against the panel's base URL).
    pub async fn get_user_with_absolute_subscription(
        &self,
        username: &str,
    ) -> Result<User, PanelError> {
        let mut user = self.get_user(username).await?;
        user.subscription_url = self.absolute_url(&user.subscription_url);
        Ok(user)
    }
}
