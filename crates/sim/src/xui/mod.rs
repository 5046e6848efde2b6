//! Simulated 3x-ui panel playing one release ([`XuiVersion`]: 2.9.4 … HEAD) as its Go source
//! behaves, after `shared/api/3x-ui-source-facts.md`: routes, shapes, auth and errors per
//! version. In-memory state seeded by [`SimOptions`]. Tests build it with [`app_with`] to
//! keep an [`XuiSimHandle`] on the state.

mod auth;
mod bulk;
mod clients;
mod legacy;
mod paged;
mod records;
mod render;
mod routes;
mod seeding;
pub mod state;
mod status;
mod version;
mod views;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::{
    body::Bytes,
    extract::{Path, State},
    middleware,
    response::{IntoResponse, Response},
    Json,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

pub use paged::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use routes::routes;
pub use state::{SimClient, SimInbound};
pub use version::{XuiVersion, ALL_VERSIONS};

use crate::{seed::now_ms, SimApp, SimCredentials, SimOptions, SimStats};
use state::{OpResult, State as Sim};

pub(crate) type Shared = Arc<Mutex<Sim>>;

pub(crate) fn lock(s: &Shared) -> MutexGuard<'_, Sim> {
    s.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `Ok(obj)` → `{success:true, obj}`, `Err(msg)` → `{success:false, msg}` (HTTP 200).
pub(crate) fn answer(result: OpResult<Value>) -> Response {
    match result {
        Ok(obj) => Json(render::envelope(obj, "")).into_response(),
        Err(msg) => Json(render::failure(&msg)).into_response(),
    }
}

pub(crate) fn answer_msg(result: OpResult<()>, msg: &str) -> Response {
    match result {
        Ok(()) => Json(render::envelope(Value::Null, msg)).into_response(),
        Err(err) => Json(render::failure(&err)).into_response(),
    }
}

pub(crate) fn parse<T: DeserializeOwned>(body: &Bytes) -> OpResult<T> {
    serde_json::from_slice(body).map_err(|e| format!("invalid request body: {e}"))
}

/// How the simulated panel differs from the default (3.6.0 with an admin token).
#[derive(Debug, Clone, Default)]
pub struct XuiSimConfig {
    /// The release to play: routes, shapes and auth follow it (facts §1.1).
    pub version: XuiVersion,
    /// Require this 2FA code at `/login`.
    pub two_factor_code: Option<String>,
}

/// Direct access to the simulator's state, for tests to arrange and assert.
#[derive(Clone)]
pub struct XuiSimHandle {
    shared: Shared,
}

impl XuiSimHandle {
    pub fn token(&self) -> String {
        lock(&self.shared).auth.token.clone()
    }

    /// A HEAD `monitor`-scope token: server status only; every client route gets 403
    /// `{success:false,msg}` (facts §2.5). Useless on other versions.
    pub fn monitor_token(&self) -> String {
        lock(&self.shared).auth.monitor_token.clone()
    }

    /// Admin username and password for the `/login` flow.
    pub fn login(&self) -> (String, String) {
        let s = lock(&self.shared);
        (s.auth.username.clone(), s.auth.password.clone())
    }

    pub fn clients(&self) -> Vec<SimClient> {
        lock(&self.shared).clients.clone()
    }

    pub fn client(&self, email: &str) -> Option<SimClient> {
        lock(&self.shared).find(email).cloned()
    }

    pub fn inbounds(&self) -> Vec<SimInbound> {
        lock(&self.shared).inbounds.clone()
    }

    pub fn groups(&self) -> Vec<(String, u64)> {
        lock(&self.shared).group_counts()
    }

    pub fn online(&self) -> Vec<String> {
        lock(&self.shared).online.iter().cloned().collect()
    }

    pub fn kept_traffic(&self, email: &str) -> Option<(i64, i64)> {
        lock(&self.shared).kept_traffic.get(email).copied()
    }

    pub fn ips(&self, email: &str) -> Vec<String> {
        lock(&self.shared)
            .ips
            .get(email)
            .map(|v| v.iter().map(|(ip, _)| ip.clone()).collect())
            .unwrap_or_default()
    }

    /// Reports traffic as Xray would (starts delayed expiry, marks online, auto-disables a
    /// depleted client). False when the email is unknown.
    pub fn add_traffic(&self, email: &str, up_bytes: i64, down_bytes: i64) -> bool {
        lock(&self.shared).add_traffic(email, up_bytes, down_bytes)
    }

    /// Records a source IP (and marks the client online).
    pub fn record_ip(&self, email: &str, ip: &str) {
        let mut s = lock(&self.shared);
        let now_secs = now_ms() / 1000;
        s.ips
            .entry(email.to_owned())
            .or_default()
            .push((ip.to_owned(), now_secs));
        s.online.insert(email.to_owned());
    }

    /// Forgets every cookie session (as a panel restart or session timeout would).
    pub fn expire_sessions(&self) {
        lock(&self.shared).sessions.clear();
    }

    /// Changes a client directly (to arrange a test).
    pub fn edit(&self, email: &str, f: impl FnOnce(&mut SimClient)) -> bool {
        let mut s = lock(&self.shared);
        match s.find_mut(email) {
            Some(c) => {
                f(c);
                true
            }
            None => false,
        }
    }
}

/// The standard simulator (`paneldeck-sim --kind xui [--panel-version V]`). An unknown
/// version falls back to the default; the binary rejects it before.
pub fn app(opts: &SimOptions, stats: Arc<SimStats>) -> SimApp {
    let version = opts
        .panel_version
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    app_with(
        opts,
        stats,
        XuiSimConfig {
            version,
            ..XuiSimConfig::default()
        },
    )
    .0
}

/// Builds the simulator and a handle on its state.
pub fn app_with(
    opts: &SimOptions,
    _stats: Arc<SimStats>,
    config: XuiSimConfig,
) -> (SimApp, XuiSimHandle) {
    let version = config.version;
    let state = seeding::seeded(opts, version, config.two_factor_code);
    let credentials = SimCredentials::Login {
        username: state.auth.username.clone(),
        password: state.auth.password.clone(),
        token: version
            .has_tokens_and_csrf()
            .then(|| state.auth.token.clone()),
    };
    let shared: Shared = Arc::new(Mutex::new(state));
    let api = routes::api(version).route_layer(middleware::from_fn_with_state(
        shared.clone(),
        auth::require_auth,
    ));
    let router = routes::public(version)
        .merge(api)
        .fallback(|| async { auth::not_found() })
        // gin's HandleMethodNotAllowed is off: a wrong method is an empty 404, never a 405
        // (facts §3.3, §7.9).
        .method_not_allowed_fallback(|| async { auth::not_found() })
        .with_state(shared.clone());
    let app = SimApp {
        router,
        credentials,
    };
    (app, XuiSimHandle { shared })
}

async fn inbounds_list(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let list: Vec<Value> = state
        .inbounds
        .iter()
        .map(|i| render::inbound(&state, i))
        .collect();
    answer(Ok(json!(list)))
}

async fn inbounds_get(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let state = lock(&s);
    let found = id
        .parse::<i64>()
        .ok()
        .and_then(|id| state.inbound(id))
        .map(|i| render::inbound(&state, i));
    answer(found.ok_or_else(|| format!("inbound {id} not found")))
}

async fn inbounds_options(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    answer(Ok(json!(state
        .inbounds
        .iter()
        .map(render::inbound_option)
        .collect::<Vec<_>>())))
}

/// `GET /panel/api/openapi.json`: served raw (no envelope), listing the routes served here.
async fn openapi(State(s): State<Shared>) -> Response {
    let version = lock(&s).version;
    let mut paths = serde_json::Map::new();
    for (method, path) in routes::routes(version) {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method.to_lowercase()] =
            json!({ "responses": { "200": { "description": "Successful response" } } });
    }
    Json(json!({
        "openapi": "3.0.3",
        "info": { "title": "3X-UI Panel API (simulated)", "version": "3.x" },
        "paths": paths,
    }))
    .into_response()
}
