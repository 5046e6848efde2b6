//! 3x-ui (MHSanaei/3x-ui) client.
//!
//! Two API generations: the clients API (`/panel/api/clients/*`, v3.1+; see [`clients`] and
//! [`bulk`]) and the legacy per-inbound client routes of older panels ([`legacy`]).
//! [`XuiClient::detect`] learns the release and the token's scope (facts §1.3,
//! `shared/api/3x-ui-source-facts.md`). Auth is a Bearer API token (v3.0+) or a `3x-ui`
//! cookie session from `POST /login`, with the CSRF token v3.0+ requires on POSTs (§2).

pub mod bulk;
pub mod clients;
pub mod compat;
pub mod inbound;
pub mod legacy;
mod results;
pub mod types;
pub mod version;
pub mod wire;

use std::sync::Arc;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde::{de::DeserializeOwned, Serialize};
use tokio::sync::Mutex;

pub use compat::XuiAccount;
pub use inbound::{ClientIps, ClientTraffic, Inbound, InboundClient, InboundOption, ServerStatus};
pub use types::*;
pub use version::{Detected, PanelRelease, Release, TokenScope};
pub use wire::{
    decode_envelope, ClientRowId, Envelope, Expiry, InboundId, Protocol, SortKey, SortOrder,
    StatusFilter,
};

use crate::{
    http::{decode_json, RawResponse},
    HttpClient, PanelError, PanelKind, ProbeInfo, Secret,
};
use wire::EnvelopeHead;

/// How the client authenticates.
#[derive(Debug, Clone)]
pub enum XuiAuth {
    /// API token from Settings → Security → API Token (v3.0+), sent as `Bearer`.
    Token(Secret),
    /// Admin login; `two_factor_code` is used for the first login only and then dropped.
    Password {
        username: String,
        password: Secret,
        two_factor_code: Option<String>,
    },
}

/// Which client API a panel offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiGeneration {
    /// `/panel/api/clients/*` (v3.1+).
    ClientsApi,
    /// Clients edited inside inbounds (`addClient`, `updateClient`, …; before v3.1).
    LegacyInbounds,
}

impl ApiGeneration {
    pub fn label(self) -> &'static str {
        match self {
            ApiGeneration::ClientsApi => "clients API (v3.1+)",
            ApiGeneration::LegacyInbounds => "legacy inbounds API (before v3.1)",
        }
    }
}

#[derive(Debug, Default)]
struct Session {
    logged_in: bool,
    csrf: Option<String>,
    /// Taken (and so forgotten) by the first login.
    two_factor_code: Option<String>,
    detected: Option<Detected>,
}

/// A typed client for one 3x-ui panel. Cheap to clone (shares its session).
#[derive(Debug, Clone)]
pub struct XuiClient {
    http: HttpClient,
    auth: XuiAuthKind,
    session: Arc<Mutex<Session>>,
}

#[derive(Debug, Clone)]
enum XuiAuthKind {
    Token(Secret),
    Password { username: String, password: Secret },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginRequest<'a> {
    username: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    two_factor_code: Option<String>,
}

impl XuiClient {
    pub fn new(http: HttpClient, auth: XuiAuth) -> Self {
        let mut session = Session::default();
        let auth = match auth {
            XuiAuth::Token(t) => XuiAuthKind::Token(t),
            XuiAuth::Password {
                username,
                password,
                two_factor_code,
            } => {
                session.two_factor_code = two_factor_code.filter(|c| !c.trim().is_empty());
                XuiAuthKind::Password { username, password }
            }
        };
        XuiClient {
            http,
            auth,
            session: Arc::new(Mutex::new(session)),
        }
    }

    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// "Test connection": reachability, credentials, release, API generation and what the
    /// credentials allow, in one go.
    pub async fn probe(&self) -> Result<ProbeInfo, PanelError> {
        let detected = self.detect().await?;
        let generation = generation_of(&detected);
        let status = self.server_status().await.ok();
        let xray = match &status {
            Some(s) if !s.xray.version.is_empty() => {
                format!(", Xray {} {}", s.xray.version, s.xray.state)
            }
            _ => String::new(),
        };
        let who = match &self.auth {
            XuiAuthKind::Token(_) => "with an API token".to_owned(),
            XuiAuthKind::Password { username, .. } => format!("as {username}"),
        };
        let release = detected.release.label();
        let (reach, api_generation, inbounds) = if detected.read_only() {
            (
                format!(
                    "{}: server status only, no clients",
                    version::READ_ONLY_NOTE
                ),
                format!("{}; {}", generation.label(), version::READ_ONLY_NOTE),
                None,
            )
        } else {
            let inbounds = self.inbounds_list().await?.len();
            (
                format!("{}, {inbounds} inbound(s)", generation.label()),
                generation.label().to_owned(),
                Some(u32::try_from(inbounds).unwrap_or(u32::MAX)),
            )
        };
        let signed_in_as = match &self.auth {
            XuiAuthKind::Token(_) => None,
            XuiAuthKind::Password { username, .. } => Some(username.clone()),
        };
        Ok(ProbeInfo {
            version: Some(release.clone()),
            api_generation: Some(api_generation),
            signed_in_as,
            accounts: None,
            inbounds,
            read_only: detected.read_only(),
            summary: format!("3x-ui {release} reached {who}: {reach}{xray}"),
        })
    }

    /// The API generation, from the detected release (detected once, on first need).
    pub async fn api_generation(&self) -> Result<ApiGeneration, PanelError> {
        Ok(generation_of(&self.detect().await?))
    }

    /// The panel's release and the credentials' scope, learned once per client (facts §1.3):
    /// `GET {base}csrf-token` (404 → v2.x), then `server/status.panelVersion` (absent →
    /// before v3.1.0), then, for a token on a build that may scope tokens, one client read
    /// (403 → a `monitor` token).
    pub async fn detect(&self) -> Result<Detected, PanelError> {
        if let Some(found) = self.session.lock().await.detected.clone() {
            return Ok(found);
        }
        let has_csrf = self.fetch_csrf().await?.is_some();
        let status = match self
            .get_opt::<ServerStatus>("panel/api/server/status", &[])
            .await
        {
            // v2.x has no API tokens (facts §2.4): say so rather than "not this panel".
            Err(PanelError::NotThisPanel { kind, detail })
                if !has_csrf && matches!(self.auth, XuiAuthKind::Token(_)) =>
            {
                return Err(PanelError::NotThisPanel {
                    kind,
                    detail: format!(
                        "{detail}; /csrf-token is missing too: either the URL (web base path) \
                         is wrong, or this is a 3x-ui 2.x, which has no API tokens (log in with \
                         the admin user name and password)"
                    ),
                })
            }
            other => other?,
        };
        let release = match status.as_ref().and_then(|s| s.panel_version.as_deref()) {
            Some(text) => match Release::parse(text) {
                Some(r) => PanelRelease::Exact(r),
                None => PanelRelease::Dev(text.to_owned()),
            },
            None if !has_csrf => PanelRelease::V2,
            // No sample yet (`obj:null` just after start): ask the clients API itself.
            None if status.is_none() => match self.first_page().await {
                Ok(()) => PanelRelease::Exact(Release(3, 1, 0)),
                Err(PanelError::NotThisPanel { .. }) => PanelRelease::V3_0,
                Err(other) => return Err(other),
            },
            None => PanelRelease::V3_0,
        };
        let scoped_tokens = release.since(Release(3, 6, 0));
        let scope = match self.auth {
            XuiAuthKind::Token(_) if scoped_tokens => match self.first_page().await {
                Err(PanelError::Forbidden { .. }) => TokenScope::Monitor,
                _ => TokenScope::Admin,
            },
            _ => TokenScope::Admin,
        };
        let found = Detected { release, scope };
        self.session.lock().await.detected = Some(found.clone());
        Ok(found)
    }

    /// One row of `list/paged`: succeeds when the clients API exists and may be read.
    async fn first_page(&self) -> Result<(), PanelError> {
        self.get_opt::<serde_json::Value>(
            "panel/api/clients/list/paged",
            &[("page", "1".into()), ("pageSize", "1".into())],
        )
        .await
        .map(|_| ())
    }

    /// Whether the panel has what arrived in `since` (false until detected).
    pub(crate) async fn has(&self, since: Release) -> bool {
        self.session
            .lock()
            .await
            .detected
            .as_ref()
            .is_none_or(|d| d.release.since(since))
    }

    /// Route names listed by `GET /panel/api/openapi.json` (served raw, not enveloped).
    pub async fn openapi_paths(&self) -> Result<Vec<String>, PanelError> {
        let raw = self
            .execute(Method::GET, "panel/api/openapi.json", |r| r)
            .await?;
        #[derive(serde::Deserialize)]
        struct Doc {
            paths: serde_json::Map<String, serde_json::Value>,
        }
        let doc: Doc = decode_json(&raw.body)?;
        Ok(doc.paths.keys().cloned().collect())
    }

    /// `GET /panel/api/inbounds/list`: every inbound with its `clientStats`.
    pub async fn inbounds_list(&self) -> Result<Vec<Inbound>, PanelError> {
        self.get_obj("panel/api/inbounds/list", &[]).await
    }

    /// `GET /panel/api/inbounds/get/:id`.
    pub async fn inbounds_get(&self, id: InboundId) -> Result<Inbound, PanelError> {
        self.get_obj(&format!("panel/api/inbounds/get/{}", id.0), &[])
            .await
    }

    /// `GET /panel/api/inbounds/options` (v3.x): the light picker list.
    pub async fn inbounds_options(&self) -> Result<Vec<InboundOption>, PanelError> {
        self.get_obj("panel/api/inbounds/options", &[]).await
    }

    /// `GET /panel/api/server/status`.
    pub async fn server_status(&self) -> Result<ServerStatus, PanelError> {
        self.get_obj("panel/api/server/status", &[]).await
    }

    // ---- transport -------------------------------------------------------------------

    /// GET with a query; `obj` must be present.
    pub(crate) async fn get_obj<T: DeserializeOwned + Send + 'static>(
        &self,
        route: &str,
        query: &[(&str, String)],
    ) -> Result<T, PanelError> {
        required(self.get_opt(route, query).await?, route)
    }

    /// GET with a query; `obj` absent or null → `None`.
    pub(crate) async fn get_opt<T: DeserializeOwned + Send + 'static>(
        &self,
        route: &str,
        query: &[(&str, String)],
    ) -> Result<Option<T>, PanelError> {
        let raw = self.execute(Method::GET, route, |r| r.query(query)).await?;
        raw.decode_with(|raw| decode_envelope::<T>(&raw.body)).await
    }

    /// POST with an optional JSON body; returns `obj` (absent or null → `None`).
    pub(crate) async fn post_opt<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        route: &str,
        body: Option<&B>,
    ) -> Result<Option<T>, PanelError> {
        let raw = self
            .execute(Method::POST, route, |r| match body {
                Some(b) => r.json(b),
                None => r,
            })
            .await?;
        decode_envelope::<T>(&raw.body)
    }

    pub(crate) async fn post_obj<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        route: &str,
        body: Option<&B>,
    ) -> Result<T, PanelError> {
        required(self.post_opt(route, body).await?, route)
    }

    /// POST whose `obj` is ignored (`{success:true, msg}` answers).
    pub(crate) async fn post_unit<B: Serialize + ?Sized>(
        &self,
        route: &str,
        body: Option<&B>,
    ) -> Result<(), PanelError> {
        self.post_opt::<serde_json::Value, B>(route, body)
            .await
            .map(|_| ())
    }

    /// Sends one API request with the credentials, classifies the HTTP outcome and, for a
    /// cookie session, logs in (again) once when the session is missing or expired.
    pub(crate) async fn execute(
        &self,
        method: Method,
        route: &str,
        build: impl Fn(RequestBuilder) -> RequestBuilder,
    ) -> Result<RawResponse, PanelError> {
        let read_only = method != Method::GET
            && self
                .session
                .lock()
                .await
                .detected
                .as_ref()
                .is_some_and(Detected::read_only);
        if read_only {
            // A `monitor` token may change nothing: refused here rather than sent (facts §2.5).
            return Err(PanelError::Forbidden {
                message: format!(
                    "this 3x-ui API token is read-only (monitor scope), so /{route} was not sent; \
                     use a token with the admin scope to change clients"
                ),
            });
        }
        let mut relogged = false;
        loop {
            let csrf = match &self.auth {
                XuiAuthKind::Token(_) => None,
                XuiAuthKind::Password { .. } => {
                    let mut session = self.session.lock().await;
                    if !session.logged_in {
                        self.login(&mut session).await?;
                        relogged = true;
                    }
                    session.csrf.clone()
                }
            };
            let mut req = build(self.base_request(method.clone(), route));
            match (&self.auth, &csrf) {
                (XuiAuthKind::Token(t), _) => req = req.bearer_auth(t.expose()),
                (_, Some(token)) if method != Method::GET => {
                    req = req.header("X-CSRF-Token", token)
                }
                _ => {}
            }
            let raw = self.http.send(req).await?;
            let cookie = matches!(self.auth, XuiAuthKind::Password { .. });
            match classify(raw, route) {
                Err(PanelError::Unauthorized { .. }) if cookie && !relogged => {
                    self.session.lock().await.logged_in = false;
                }
                // Before v3.0.2 an expired session is a bare 404 even for XMLHttpRequest
                // (facts §2.6): log in again once before calling the route missing.
                Err(PanelError::NotThisPanel { .. })
                    if cookie && !relogged && self.expiry_looks_like_404().await =>
                {
                    self.session.lock().await.logged_in = false;
                }
                other => return other,
            }
        }
    }

    /// Whether this panel answers a dead session with 404 rather than 401: v2.x and v3.0.x
    /// (v3.0.2 answers 401, but `panelVersion` cannot tell 3.0.2 from 3.0.0), or not yet known.
    async fn expiry_looks_like_404(&self) -> bool {
        self.session
            .lock()
            .await
            .detected
            .as_ref()
            .is_none_or(|d| !d.release.has_clients_api())
    }

    fn base_request(&self, method: Method, route: &str) -> RequestBuilder {
        // XMLHttpRequest makes 3x-ui answer an auth failure with 401 instead of a 404 that
        // would look like a missing route.
        self.http
            .request(method, route)
            .header("X-Requested-With", "XMLHttpRequest")
            .header(reqwest::header::ACCEPT, "application/json")
    }

    /// `GET /csrf-token` then `POST /login` then a fresh CSRF token for the new session.
    /// Panels before v3.0 have no `/csrf-token` (404): they get no header.
    async fn login(&self, session: &mut Session) -> Result<(), PanelError> {
        let XuiAuthKind::Password { username, password } = &self.auth else {
            return Ok(());
        };
        let csrf = self.fetch_csrf().await?;
        let body = LoginRequest {
            username,
            password: password.expose(),
            two_factor_code: session.two_factor_code.take(),
        };
        let mut req = self.base_request(Method::POST, "login").json(&body);
        if let Some(token) = &csrf {
            req = req.header("X-CSRF-Token", token);
        }
        let raw = self.http.send(req).await?;
        if raw.looks_like_html() || raw.status == StatusCode::NOT_FOUND {
            return Err(not_this_panel(&raw, "login"));
        }
        let head: EnvelopeHead = decode_json(&raw.body)?;
        if !head.success {
            return Err(PanelError::Unauthorized {
                message: head
                    .msg
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "wrong username or password".into()),
            });
        }
        session.csrf = self.fetch_csrf().await?;
        session.logged_in = true;
        Ok(())
    }

    async fn fetch_csrf(&self) -> Result<Option<String>, PanelError> {
        let raw = self
            .http
            .send(self.base_request(Method::GET, "csrf-token"))
            .await?;
        if raw.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if raw.looks_like_html() {
            return Err(not_this_panel(&raw, "csrf-token"));
        }
        decode_envelope::<String>(&raw.body)
    }
}

fn required<T>(obj: Option<T>, route: &str) -> Result<T, PanelError> {
    obj.ok_or_else(|| PanelError::Decode {
        path: "obj".into(),
        message: format!("{route} answered success without the expected obj"),
    })
}

fn not_this_panel(raw: &RawResponse, route: &str) -> PanelError {
    let what = if raw.looks_like_html() {
        "an HTML page"
    } else {
        "no such route"
    };
    PanelError::NotThisPanel {
        kind: PanelKind::Xui,
        detail: format!("/{route} answered HTTP {} with {what}", raw.status.as_u16()),
    }
}

/// Maps an HTTP answer to `Ok(raw)` (2xx JSON) or a typed error. 5xx and 429 were already
/// turned into errors by the HTTP layer.
fn classify(raw: RawResponse, route: &str) -> Result<RawResponse, PanelError> {
    let route = route.split('?').next().unwrap_or(route);
    if raw.looks_like_html() {
        return Err(not_this_panel(&raw, route));
    }
    let message = || {
        decode_json::<EnvelopeHead>(&raw.body)
            .ok()
            .and_then(|h| h.msg)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| match raw.excerpt() {
                text if text.is_empty() => format!("HTTP {}", raw.status.as_u16()),
                text => text,
            })
    };
    match raw.status {
        s if s.is_success() => Ok(raw),
        StatusCode::UNAUTHORIZED => Err(PanelError::Unauthorized { message: message() }),
        StatusCode::FORBIDDEN => Err(PanelError::Forbidden { message: message() }),
        StatusCode::NOT_FOUND => Err(not_this_panel(&raw, route)),
        s => Err(PanelError::Api {
            status: s.as_u16(),
            message: message(),
        }),
    }
}

/// Clients API from v3.1.0, which removed the per-inbound client routes (facts §1.1).
fn generation_of(detected: &Detected) -> ApiGeneration {
    if detected.release.has_clients_api() {
        ApiGeneration::ClientsApi
    } else {
        ApiGeneration::LegacyInbounds
    }
}
