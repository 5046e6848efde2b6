//! `MarzbanClient`: the bearer token's life (login, cache, renewal) and the request loop every
//! route goes through. Error answers become typed [`PanelError`]s in `errors.rs`.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc, Mutex as StdMutex,
};

use base64::Engine as _;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use super::{errors::error_for, types::Token};
use crate::{http::RawResponse, HttpClient, PanelError, PanelKind, Secret};

/// Called with every token a login obtains (to keep it in the keyring, for instance).
pub type LoginHook = Arc<dyn Fn(&Secret) + Send + Sync>;

/// The token and how many times it has been replaced. A request remembers the generation it
/// used; after a 401 it logs in again only if nobody else has since, so N concurrent requests
/// hitting an expired token cause one login, not N.
struct TokenState {
    token: Option<Secret>,
    generation: u64,
}

/// A client for one Marzban panel, signed in as one admin. Clones share the token.
#[derive(Clone)]
pub struct MarzbanClient {
    pub(crate) http: HttpClient,
    username: String,
    password: Secret,
    state: Arc<Mutex<TokenState>>,
    /// Mirror of the token for synchronous readers ([`MarzbanClient::current_token`]).
    current: Arc<StdMutex<Option<Secret>>>,
    logins: Arc<AtomicU64>,
    on_login: Option<LoginHook>,
}

impl std::fmt::Debug for MarzbanClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarzbanClient")
            .field("http", &self.http)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl MarzbanClient {
    pub fn new(http: HttpClient, username: String, password: Secret) -> Self {
        MarzbanClient {
            http,
            username,
            password,
            state: Arc::new(Mutex::new(TokenState {
                token: None,
                generation: 0,
            })),
            current: Arc::new(StdMutex::new(None)),
            logins: Arc::new(AtomicU64::new(0)),
            on_login: None,
        }
    }

    /// Starts from a token saved earlier (the keyring); it is replaced when it stops working.
    pub fn with_cached_token(self, token: Option<Secret>) -> Self {
        let token = token.filter(|t| !t.is_empty());
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = token.clone();
        MarzbanClient {
            state: Arc::new(Mutex::new(TokenState {
                token,
                generation: 0,
            })),
            ..self
        }
    }

    /// Runs `hook` with every new token (after each successful login).
    pub fn with_login_hook(mut self, hook: impl Fn(&Secret) + Send + Sync + 'static) -> Self {
        self.on_login = Some(Arc::new(hook));
        self
    }

    /// The token in use, if any (to save it in the keyring).
    pub fn current_token(&self) -> Option<Secret> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many logins this client (and its clones) has made.
    pub fn login_count(&self) -> u64 {
        self.logins.load(Ordering::SeqCst)
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    /// `POST /api/admin/token`: logs in now (form-encoded, as the server requires) and keeps
    /// the token. Other calls log in by themselves when needed.
    pub async fn admin_token(&self) -> Result<(), PanelError> {
        let mut state = self.state.lock().await;
        self.login_locked(&mut state).await
    }

    async fn login_locked(&self, state: &mut TokenState) -> Result<(), PanelError> {
        let route = "api/admin/token";
        let form = [
            ("grant_type", "password"),
            ("username", self.username.as_str()),
            ("password", self.password.expose()),
        ];
        let raw = self
            .http
            .send(self.http.request(Method::POST, route).form(&form))
            .await?;
        if !raw.status.is_success() {
            return Err(error_for(&raw, route));
        }
        let token: Token = decode(&raw, route)?;
        self.logins.fetch_add(1, Ordering::SeqCst);
        state.token = Some(token.access_token.clone());
        state.generation += 1;
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = state.token.clone();
        if let Some(hook) = &self.on_login {
            hook(&token.access_token);
        }
        Ok(())
    }

    /// A token believed valid, and its generation. Logs in when there is none or when its
    /// `exp` claim says it has expired (the server's clock is trusted to be close to ours).
    async fn token(&self) -> Result<(Secret, u64), PanelError> {
        let mut state = self.state.lock().await;
        let usable = state.token.as_ref().is_some_and(|t| !expired(t));
        if !usable {
            self.login_locked(&mut state).await?;
        }
        match &state.token {
            Some(t) => Ok((t.clone(), state.generation)),
            None => Err(PanelError::Unauthorized {
                message: "no token after login".into(),
            }),
        }
    }

    /// After a 401 with the token of generation `seen`: log in again unless another request
    /// already did (then use its token).
    async fn renew(&self, seen: u64) -> Result<Secret, PanelError> {
        let mut state = self.state.lock().await;
        if state.generation == seen || state.token.is_none() {
            self.login_locked(&mut state).await?;
        }
        state.token.clone().ok_or_else(|| PanelError::Unauthorized {
            message: "no token after login".into(),
        })
    }

    /// Sends an authenticated request built by `build`; on 401 logs in again (once for all
    /// concurrent callers) and retries ONCE. Non-2xx answers become errors.
    pub(crate) async fn call(
        &self,
        method: Method,
        route: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<RawResponse, PanelError> {
        let (token, generation) = self.token().await?;
        let request = build(self.http.request(method.clone(), route)).bearer_auth(token.expose());
        let raw = self.http.send(request).await?;
        let raw = if raw.status == StatusCode::UNAUTHORIZED {
            tracing::debug!(route, "marzban token refused; logging in again");
            let token = self.renew(generation).await?;
            let request = build(self.http.request(method, route)).bearer_auth(token.expose());
            self.http.send(request).await?
        } else {
            raw
        };
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

/// Decodes a JSON answer; an HTML page means this is not a Marzban API.
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse, route: &str) -> Result<T, PanelError> {
    if raw.looks_like_html() {
        return Err(PanelError::NotThisPanel {
            kind: PanelKind::Marzban,
            detail: format!("{route} answered with an HTML page"),
        });
    }
    raw.json()
}

/// Whether a JWT's `exp` claim (UTC seconds) is in the past. Unreadable tokens are assumed
/// valid: the server's 401 will tell.
fn expired(token: &Secret) -> bool {
    let Some(payload) = token.expose().split('.').nth(1) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload) else {
        return false;
    };
    let exp = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("exp").and_then(serde_json::Value::as_i64));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Strictly after: `exp` is truncated to the second, so at `now == exp` the token may
    // still have most of a second left on the server.
    exp.is_some_and(|exp| now > exp)
}
