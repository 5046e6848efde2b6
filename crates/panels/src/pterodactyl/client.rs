use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::{
    errors::{self, not_this_panel},
    limiter::RateBudget,
    permissions::PermissionSet,
    types::{
        AccountAttributes, CreateSubuserBody, List, Object, Pagination, PermissionCatalog, Server,
        ServerAttributes, ServerIdentifier, Subuser, SubuserAttributes, SubuserUuid,
        SystemPermissions, UpdateSubuserBody,
    },
};
use crate::{http::RawResponse, HttpClient, PanelError, ProbeInfo, Secret};

const ACCEPT: &str = "Application/vnd.pterodactyl.v1+json";
/// Pterodactyl's default client-API limit (`APP_API_CLIENT_RATELIMIT`).
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 720;
/// How often one call is re-sent after 429s before giving up.
const MAX_RATE_LIMIT_RETRIES: u32 = 10;
/// Wait after a 429 that carries no Retry-After.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// `per_page` of `list_servers` (the panel's maximum).
const SERVERS_PER_PAGE: u32 = 100;
const MAX_PAGES: u64 = 10_000;

/// Client of the Pterodactyl client API (`ptlc_…` keys) for servers and their subusers.
///
/// Clones share one request budget, so concurrent calls through any of them stay under the
/// panel's rate limit together.
#[derive(Debug, Clone)]
pub struct PterodactylClient {
    http: HttpClient,
    api_key: Secret,
    budget: RateBudget,
}

impl PterodactylClient {
    pub fn new(http: HttpClient, api_key: Secret) -> Self {
        PterodactylClient {
            http,
            api_key,
            budget: RateBudget::new(DEFAULT_REQUESTS_PER_MINUTE, Duration::from_secs(60)),
        }
    }

    /// Budget of `n` requests per minute (set it to the host's limit).
    pub fn with_requests_per_minute(self, n: u32) -> Self {
        self.with_rate_limit(n, Duration::from_secs(60))
    }

    /// Budget of `n` requests per `window`.
    pub fn with_rate_limit(mut self, n: u32, window: Duration) -> Self {
        self.budget = RateBudget::new(n, window);
        self
    }

    /// Keeps the budget's request count, over a different window (tests use 1 s).
    pub fn with_rate_window(self, window: Duration) -> Self {
        let n = u32::try_from(self.budget.limit()).unwrap_or(u32::MAX);
        self.with_rate_limit(n, window)
    }

    pub fn budget(&self) -> &RateBudget {
        &self.budget
    }

    /// "Test connection": `GET /api/client/account` checks the URL, the key and the API.
    pub async fn probe(&self) -> Result<ProbeInfo, PanelError> {
        let account = self.account().await.map_err(|err| self.explain_key(err))?;
        Ok(ProbeInfo {
            version: None,
            api_generation: Some("client API v1".into()),
            signed_in_as: Some(account.username.clone()),
            accounts: None,
            inbounds: None,
            read_only: false,
            summary: format!(
                "Pterodactyl client API reached as {} ({}){}",
                account.username,
                account.email,
                if account.admin {
                    ", an administrator"
                } else {
                    ""
                }
            ),
        })
    }

    /// An application key (`ptla_…`) is refused by the client API: say so instead of "refused".
    fn explain_key(&self, err: PanelError) -> PanelError {
        let application_key = self.api_key.expose().starts_with("ptla_");
        match err {
            PanelError::Unauthorized { message } | PanelError::Forbidden { message }
                if application_key =>
            {
                PanelError::Unauthorized {
                    message: format!(
                        "{message} (this is an application API key, ptla_…; Paneldeck needs a \
                         client API key, ptlc_…, from Account → API Credentials)"
                    ),
                }
            }
            other => other,
        }
    }

    /// `GET /api/client/account`: whose key this is.
    pub async fn account(&self) -> Result<AccountAttributes, PanelError> {
        let raw = self
            .call(Method::GET, "api/client/account", &[], None)
            .await?;
        let obj: Object<AccountAttributes> = decode(&raw)?;
        if obj.object != "user" {
            return Err(not_this_panel(format!(
                "the account route answered object '{}', not 'user'",
                obj.object
            )));
        }
        Ok(obj.attributes)
    }

    /// `GET /api/client?page=&per_page=`: one page of the servers the key can see.
    pub async fn list_servers_page(
        &self,
        page: u32,
        per_page: u32,
    ) -> Result<(Vec<Server>, Option<Pagination>), PanelError> {
        let query = [("page", page), ("per_page", per_page)];
        let raw = self.call(Method::GET, "api/client", &query, None).await?;
        let list: List<ServerAttributes> = raw.decode_with(decode).await?;
        let servers = list
            .data
            .into_iter()
            .map(|o| Server::from(o.attributes))
            .collect();
        Ok((servers, list.meta.map(|m| m.pagination)))
    }

    /// Every server the key can see, all pages.
    pub async fn list_servers(&self) -> Result<Vec<Server>, PanelError> {
        let mut all = Vec::new();
        let mut page = 1u32;
        loop {
            let (servers, pagination) = self.list_servers_page(page, SERVERS_PER_PAGE).await?;
            let empty = servers.is_empty();
            all.extend(servers);
            let last = pagination.map_or(1, |p| p.total_pages.min(MAX_PAGES));
            if empty || u64::from(page) >= last {
                return Ok(all);
            }
            page += 1;
        }
    }

    /// `GET /api/client/permissions`: every permission key with its description.
    pub async fn list_permissions(&self) -> Result<PermissionCatalog, PanelError> {
        let raw = self
            .call(Method::GET, "api/client/permissions", &[], None)
            .await?;
        let obj: Object<SystemPermissions> = decode(&raw)?;
        Ok(PermissionCatalog::from(obj.attributes))
    }

    /// `GET /api/client/servers/{server}/users` (not paginated).
    pub async fn list_subusers(
        &self,
        server: &ServerIdentifier,
    ) -> Result<Vec<Subuser>, PanelError> {
        let raw = self
            .call(Method::GET, &users_route(server, None), &[], None)
            .await?;
        let list: List<SubuserAttributes> = raw.decode_with(decode).await?;
        Ok(list
            .data
            .into_iter()
            .map(|o| Subuser::from(o.attributes))
            .collect())
    }

    /// `POST /api/client/servers/{server}/users`. An unknown email gets a new panel account;
    /// the panel adds `websocket.connect` itself.
    pub async fn create_subuser(
        &self,
        server: &ServerIdentifier,
        email: &str,
        permissions: &PermissionSet,
    ) -> Result<Subuser, PanelError> {
        let body = CreateSubuserBody {
            email: email.to_owned(),
            permissions: keys(permissions),
        };
        let raw = self
            .call(
                Method::POST,
                &users_route(server, None),
                &[],
                Some(to_json(&body)?),
            )
            .await?;
        subuser(&raw)
    }

    /// `GET /api/client/servers/{server}/users/{user}`.
    pub async fn get_subuser(
        &self,
        server: &ServerIdentifier,
        user: &SubuserUuid,
    ) -> Result<Subuser, PanelError> {
        let raw = self
            .call(Method::GET, &users_route(server, Some(user)), &[], None)
            .await?;
        subuser(&raw)
    }

    /// `POST /api/client/servers/{server}/users/{user}`: replaces the whole permission list.
    pub async fn update_subuser(
        &self,
        server: &ServerIdentifier,
        user: &SubuserUuid,
        permissions: &PermissionSet,
    ) -> Result<Subuser, PanelError> {
        let body = UpdateSubuserBody {
            permissions: keys(permissions),
        };
        let raw = self
            .call(
                Method::POST,
                &users_route(server, Some(user)),
                &[],
                Some(to_json(&body)?),
            )
            .await?;
        subuser(&raw)
    }

    /// `DELETE /api/client/servers/{server}/users/{user}` (204).
    pub async fn delete_subuser(
        &self,
        server: &ServerIdentifier,
        user: &SubuserUuid,
    ) -> Result<(), PanelError> {
        self.call(Method::DELETE, &users_route(server, Some(user)), &[], None)
            .await
            .map(|_| ())
    }

    /// Sends within the budget; a 429 pauses every clone for Retry-After and re-sends (safe
    /// for POST too: the panel's throttle rejects before the request is handled).
    async fn call(
        &self,
        method: Method,
        route: &str,
        query: &[(&str, u32)],
        body: Option<serde_json::Value>,
    ) -> Result<RawResponse, PanelError> {
        let mut retries = 0u32;
        loop {
            let slot = self.budget.acquire().await;
            let mut req = self
                .http
                .request(method.clone(), route)
                .bearer_auth(self.api_key.expose())
                .header(reqwest::header::ACCEPT, ACCEPT);
            if !query.is_empty() {
                req = req.query(query);
            }
            if let Some(body) = &body {
                req = req.json(body);
            }
            let result = self.http.send(req).await;
            drop(slot);
            match result {
                Err(PanelError::RateLimited { retry_after })
                    if retries < MAX_RATE_LIMIT_RETRIES =>
                {
                    let wait = retry_after.unwrap_or(DEFAULT_RETRY_AFTER);
                    tracing::debug!(route, ?wait, retries, "pterodactyl rate limited; waiting");
                    self.budget.pause_for(wait);
                    retries += 1;
                }
                Err(err) => return Err(err),
                Ok(raw) if raw.status.is_success() => return Ok(raw),
                Ok(raw) => return Err(errors::from_response(&raw)),
            }
        }
    }
}

fn keys(permissions: &PermissionSet) -> Vec<String> {
    permissions.keys().into_iter().map(str::to_owned).collect()
}

fn to_json<T: serde::Serialize>(body: &T) -> Result<serde_json::Value, PanelError> {
    serde_json::to_value(body).map_err(|e| PanelError::BadRequest {
        message: e.to_string(),
    })
}

fn subuser(raw: &RawResponse) -> Result<Subuser, PanelError> {
    let obj: Object<SubuserAttributes> = decode(raw)?;
    Ok(Subuser::from(obj.attributes))
}

/// Decodes a 2xx body; an HTML page there means this is not the API.
fn decode<T: DeserializeOwned + Send + 'static>(raw: &RawResponse) -> Result<T, PanelError> {
    if raw.looks_like_html() {
        return Err(not_this_panel(format!(
            "HTTP {} with an HTML page where JSON was expected",
            raw.status.as_u16()
        )));
    }
    raw.json()
}

fn users_route(server: &ServerIdentifier, user: Option<&SubuserUuid>) -> String {
    let mut route = format!("api/client/servers/{}/users", segment(&server.0));
    if let Some(user) = user {
        route.push('/');
        route.push_str(&segment(&user.0));
    }
    route
}

/// Percent-encodes one path segment (ids are plain, but they come from outside).
fn segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_escape_ids() {
        let server = ServerIdentifier("1a2b3c4d".into());
        let user = SubuserUuid("a/b c".into());
        assert_eq!(
            users_route(&server, Some(&user)),
            "api/client/servers/1a2b3c4d/users/a%2Fb%20c"
        );
    }
}
