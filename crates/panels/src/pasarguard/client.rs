//! `PasarguardClient`: how it signs in (a bearer token from the admin's password, or an API
//! key) and the request loop every route goes through.
//!
//! Token: `POST /api/admin/token`, form-encoded as in Marzban (a JSON body gets 422, step 4);
//! cached, shared by clones, renewed once on a 401. API key (v5.1.0+): `X-Api-Key: <key>`
//! (step 62); a deleted, revoked or expired key gets the same 401 as a bad token (step 65).

use std::sync::Arc;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde::{de::DeserializeOwned, Deserialize};
use tokio::sync::Mutex;

use super::errors::{error_for, not_this_panel};
use crate::{http::RawResponse, HttpClient, PanelError, Secret};

/// How the client proves who it is.
#[derive(Clone)]
pub enum PasarguardAuth {
    /// An admin's user name and password, traded for a bearer token.
    Password { username: String, password: Secret },
    /// An API key (`pg_key_…`), sent as `X-Api-Key` with every request.
    ApiKey(Secret),
}

/// The token and how many times it has been replaced: after a 401 a request logs in again
/// only if nobody else has since, so concurrent requests on an expired token cause one login.
#[derive(Default)]
struct TokenState {
    token: Option<Secret>,
    generation: u64,
}

/// A client for one PasarGuard panel. Clones share the token.
#[derive(Clone)]
pub struct PasarguardClient {
    pub(crate) http: HttpClient,
    auth: PasarguardAuth,
    state: Arc<Mutex<TokenState>>,
}

impl std::fmt::Debug for PasarguardClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasarguardClient")
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Token {
    access_token: Secret,
}

impl PasarguardClient {
    pub fn new(http: HttpClient, auth: PasarguardAuth) -> Self {
        PasarguardClient {
            http,
            auth,
            state: Arc::new(Mutex::new(TokenState::default())),
        }
    }

    /// Starts from a token saved earlier; it is replaced when it stops working.
    pub fn with_cached_token(self, token: Option<Secret>) -> Self {
        let token = token.filter(|t| !t.is_empty());
        PasarguardClient {
            state: Arc::new(Mutex::new(TokenState {
                token,
                generation: 0,
            })),
            ..self
        }
    }

    /// The bearer token in use, if any (to keep it in the keyring).
    pub async fn current_token(&self) -> Option<Secret> {
        self.state.lock().await.token.clone()
    }

    /// The panel's base URL (`http://host:port/prefix/`).
    pub fn base_url(&self) -> &url::Url {
        &self.http.endpoint().base_url
    }

    /// `relative` (`/sub/<token>`, as PasarGuard answers without a URL prefix; steps 19, 47)
    /// made absolute against the panel's base URL, keeping its path prefix; absolute URLs are
    /// returned as they are.
    pub fn absolute_url(&self, relative: &str) -> String {
        if relative.is_empty() || relative.contains("://") {
            return relative.to_owned();
        }
        self.http.url(relative).to_string()
    }

    async fn login(&self, state: &mut TokenState) -> Result<(), PanelError> {
        let PasarguardAuth::Password { username, password } = &self.auth else {
            return Ok(());
        };
        let route = "api/admin/token";
        let form = [
            ("grant_type", "password"),
            ("username", username.as_str()),
            ("password", password.expose()),
        ];
        let raw = self
            .http
            .send(self.http.request(Method::POST, route).form(&form))
            .await?;
        if !raw.status.is_success() {
            return Err(error_for(&raw, route));
        }
        let token: Token = decode(&raw, route)?;
        state.token = Some(token.access_token);
        state.generation += 1;
        Ok(())
    }

    /// `POST /api/admin/token` now (other calls log in by themselves when needed).
    pub async fn admin_token(&self) -> Result<(), PanelError> {
        let mut state = self.state.lock().await;
        self.login(&mut state).await
    }

    fn authorize(&self, request: RequestBuilder, token: Option<&Secret>) -> RequestBuilder {
        match (&self.auth, token) {
            (PasarguardAuth::ApiKey(key), _) => request.header("X-Api-Key", key.expose()),
            (PasarguardAuth::Password { .. }, Some(t)) => request.bearer_auth(t.expose()),
            (PasarguardAuth::Password { .. }, None) => request,
        }
    }

    async fn token(&self) -> Result<(Option<Secret>, u64), PanelError> {
        let mut state = self.state.lock().await;
        if state.token.is_none() {
            self.login(&mut state).await?;
        }
        Ok((state.token.clone(), state.generation))
    }

    /// Sends an authenticated request built by `build`; on a 401 with a password login, logs
    /// in again (once for all concurrent callers) and retries once. Non-2xx answers become
    /// errors.
    pub(crate) async fn call(
        &self,
        method: Method,
        route: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<RawResponse, PanelError> {
        let (token, seen) = self.token().await?;
        let request = build(self.http.request(method.clone(), route));
        let mut raw = self
            .http
            .send(self.authorize(request, token.as_ref()))
            .await?;
        if raw.status == StatusCode::UNAUTHORIZED
            && matches!(self.auth, PasarguardAuth::Password { .. })
        {
            let token = {
                let mut state = self.state.lock().await;
                if state.generation == seen {
                    self.login(&mut state).await?;
                }
                state.token.clone()
            };
            let request = build(self.http.request(method, route));
            raw = self
                .http
                .send(self.authorize(request, token.as_ref()))
                .await?;
        }
        if raw.status.is_success() {
            Ok(raw)
        } else {
            Err(error_for(&raw, route))
        }
    }

    /// [`Self::call`] and decode the JSON answer.
    pub(crate) async fn call_json<T: DeserializeOwned + Send + 'static>(
        &self,
        method: Method,
        route: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<T, PanelError> {
        let raw = self.call(method, route, build).await?;
        let route = route.to_owned();
        raw.decode_with(move |raw| decode(raw, &route)).await
    }
}

/// Decodes a JSON answer; an HTML page means this is not a PasarGuard API.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse, route: &str) -> Result<T, PanelError> {
    if raw.looks_like_html() {
        return Err(not_this_panel(format!(
            "{route} answered with an HTML page"
        )));
    }
    raw.json()
}
