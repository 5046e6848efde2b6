//! The public subscription routes `/sub/{token}/…` (no admin token: the subscription token is
//! the credential). A revoked or unknown token gets 204 (0.4.x) or 404 (0.8.x): both become
//! `NotFound`.

use reqwest::{header, Method, StatusCode};

use super::{
    client::decode,
    errors::error_for,
    seg,
    types::{ClientType, Subscription, SubscriptionUserinfo, UsageRange, User, UserUsages},
    MarzbanClient,
};
use crate::{http::RawResponse, PanelError};

fn revoked() -> PanelError {
    PanelError::NotFound {
        message: "the subscription token is revoked or unknown".into(),
    }
}

impl MarzbanClient {
    async fn sub_get(
        &self,
        route: &str,
        user_agent: Option<&str>,
        query: &[(String, String)],
    ) -> Result<RawResponse, PanelError> {
        let mut request = self.http.request(Method::GET, route).query(query);
        if let Some(ua) = user_agent {
            request = request.header(header::USER_AGENT, ua);
        }
        let raw = self.http.send(request).await?;
        if raw.status == StatusCode::NO_CONTENT {
            return Err(revoked());
        }
        if !raw.status.is_success() {
            return Err(match error_for(&raw, route) {
                PanelError::NotThisPanel { .. } if raw.status == StatusCode::NOT_FOUND => revoked(),
                other => other,
            });
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
    /// Clash YAML for `clash…`, sing-box JSON for `SFA/SFI…`).
    pub async fn user_subscription(
        &self,
        token: &str,
        user_agent: Option<&str>,
    ) -> Result<Subscription, PanelError> {
        let route = format!("sub/{}/", seg(token));
        Ok(Self::document(self.sub_get(&route, user_agent, &[]).await?))
    }

    /// `GET /sub/{token}/{client_type}`.
    pub async fn user_subscription_with_client_type(
        &self,
        token: &str,
        client_type: ClientType,
    ) -> Result<Subscription, PanelError> {
        let route = format!("sub/{}/{}", seg(token), client_type.as_str());
        Ok(Self::document(self.sub_get(&route, None, &[]).await?))
    }

    /// `GET /sub/{token}/info`: the user as its subscription sees it.
    pub async fn user_subscription_info(&self, token: &str) -> Result<User, PanelError> {
        let route = format!("sub/{}/info", seg(token));
        decode(&self.sub_get(&route, None, &[]).await?, &route)
    }

    /// `GET /sub/{token}/usage?start&end`.
    pub async fn user_get_usage(
        &self,
        token: &str,
        range: &UsageRange,
    ) -> Result<UserUsages, PanelError> {
        let route = format!("sub/{}/usage", seg(token));
        decode(&self.sub_get(&route, None, &range.pairs()).await?, &route)
    }
}
