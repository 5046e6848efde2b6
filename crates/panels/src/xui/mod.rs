//! 3x-ui (MHSanaei/3x-ui) client.
//!
//! Two API generations: the clients API (`/panel/api/clients/*`, v3.1+; see [`clients`] and
//! [`bulk`]) and the legacy per-inbound client routes of older panels ([`legacy`]).
//! [`XuiClient::probe`] tells which one a panel has. Auth is a Bearer API token (v3.0+) or
//! a cookie session from `POST /login`, with the CSRF token that v3.0+ requires on POSTs.

pub mod bulk;
pub mod clients;
pub mod compat;
pub mod inbound;
pub mod legacy;
pub mod types;
pub mod wire;

use std::sync::Arc;

use reqwest::{Method, RequestBuilder, StatusCode};
use serde::{de::DeserializeOwned, Serialize};
use tokio::sync::Mutex;

pub use compat::XuiAccount;
pub use inbound::{ClientIps, ClientTraffic, Inbound, InboundClient, InboundOption, ServerStatus};
pub use types::*;
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
    generation: Option<ApiGeneration>,
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

    /// "Test connection": reachability, credentials, API generation and versions in one go.
    pub async fn probe(&self) -> Result<ProbeInfo, PanelError> {
        // Exists in every generation, so it checks the URL and the credentials.
        let inbounds = self.inbounds_list().await?;
        let (generation, since) = self.detect_generation().await?;
        let xray = match self.server_status().await {
            Ok(status) if !status.xray.version.is_empty() => {
                format!(", Xray {} {}", status.xray.version, status.xray.state)
            }
            _ => String::new(),
        };
        let who = match &self.auth {
            XuiAuthKind::Token(_) => "with an API token".to_owned(),
            XuiAuthKind::Password { username, .. } => format!("as {username}"),
        };
        Ok(ProbeInfo {
            version: Some(since.to_owned()),
            api_generation: Some(generation.label().to_owned()),
            summary: format!(
                "3x-ui reached {who}: {}, {} inbound(s){xray}",
                generation.label(),
                inbounds.len()
            ),
        })
    }

    /// The API generation, detected once (by [`probe`](Self::probe) or on first need).
    pub async fn api_generation(&self) -> Result<ApiGeneration, PanelError> {
        if let Some(g) = self.session.lock().await.generation {
            return Ok(g);
        }
        Ok(self.detect_generation().await?.0)
    }

    /// Reads the panel's own OpenAPI document (v3.2+); without one, asks for one page of
    /// clients: a 404 there (with working credentials) means a panel older than v3.1.
    async fn detect_generation(&self) -> Result<(ApiGeneration, &'static str), PanelError> {
        let found = match self.openapi_paths().await {
            Ok(paths) if paths.iter().any(|p| p == "/panel/api/clients/list") => {
                let has = |route: &str| paths.iter().any(|p| p == route);
                let since = if has("/panel/api/clients/bulkEnable") {
                    "3.5 or newer"
                } else if has("/panel/api/clients/import") {
                    "3.4.x"
                } else {
                    "3.2–3.3"
                };
                (ApiGeneration::ClientsApi, since)
            }
            _ => {
                let probe = self
                    .get_obj::<ClientPage>(
                        "panel/api/clients/list/paged",
                        &[("page", "1".into()), ("pageSize", "1".into())],
                    )
                    .await;
                match probe {
                    Ok(_) => (ApiGeneration::ClientsApi, "3.1.x"),
                    Err(PanelError::NotThisPanel { .. }) => {
                        (ApiGeneration::LegacyInbounds, "before 3.1")
                    }
                    Err(other) => return Err(other),
                }
            }
        };
        self.session.lock().await.generation = Some(found.0);
        Ok(found)
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
        let raw = self.execute(Method::GET, route, |r| r.query(query)).await?;
        let obj = raw
            .decode_with(|raw| decode_envelope::<T>(&raw.body))
            .await?;
        required(obj, route)
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
            match classify(raw, route) {
                Err(PanelError::Unauthorized { .. })
                    if matches!(self.auth, XuiAuthKind::Password { .. }) && !relogged =>
                {
                    self.session.lock().await.logged_in = false;
                }
                other => return other,
            }
        }
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
