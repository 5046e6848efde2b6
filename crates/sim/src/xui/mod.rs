//! Simulated 3x-ui panel (v3.x clients API, or a pre-3.1 "legacy" panel with only the
//! inbound API). In-memory state, Bearer-token and cookie/CSRF auth, seeded by
//! [`SimOptions`]. Tests build it with [`app_with`] to keep an [`XuiSimHandle`] on the state.

mod auth;
mod bulk;
mod clients;
mod legacy;
mod paged;
mod render;
mod seeding;
pub mod state;
mod views;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::{
    body::Bytes,
    extract::{Path, State},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

pub use paged::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
pub use state::{SimClient, SimInbound};

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

/// How the simulated panel differs from the default (a current v3.x with an API token).
#[derive(Debug, Clone, Default)]
pub struct XuiSimConfig {
    /// Imitate a panel before v3.1: no `/panel/api/clients`, no OpenAPI document; clients
    /// are edited through `addClient`/`updateClient`/`delClient` on inbounds.
    pub legacy: bool,
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

    /// A read-only ("monitor" scope) token: GETs work, POSTs get 403 `{success:false,msg}`.
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

/// The standard simulator (`paneldeck-sim --kind xui`).
pub fn app(opts: &SimOptions, stats: Arc<SimStats>) -> SimApp {
    app_with(opts, stats, XuiSimConfig::default()).0
}

/// Builds the simulator and a handle on its state.
pub fn app_with(
    opts: &SimOptions,
    _stats: Arc<SimStats>,
    config: XuiSimConfig,
) -> (SimApp, XuiSimHandle) {
    let state = seeding::seeded(opts, config.legacy, config.two_factor_code);
    let token = state.auth.token.clone();
    let shared: Shared = Arc::new(Mutex::new(state));
    let router = if config.legacy {
        legacy_routes()
    } else {
        client_routes()
    };
    let api = common_routes()
        .merge(router)
        .route_layer(middleware::from_fn_with_state(
            shared.clone(),
            auth::require_auth,
        ));
    let router = Router::new()
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/csrf-token", get(auth::csrf_token))
        .route("/getTwoFactorEnable", post(auth::two_factor_enable))
        .merge(api)
        .fallback(|| async { auth::not_found() })
        .with_state(shared.clone());
    let app = SimApp {
        router,
        credentials: SimCredentials::Token { token },
    };
    (app, XuiSimHandle { shared })
}

/// Routes every generation has.
fn common_routes() -> Router<Shared> {
    Router::new()
        .route("/panel/api/inbounds/list", get(inbounds_list))
        .route("/panel/api/inbounds/get/{id}", get(inbounds_get))
        .route("/panel/api/server/status", get(server_status))
}

/// `(method, OpenAPI path)` of every route of the v3.x simulator (the contract test walks
/// the spec and exercises the ones listed here).
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/csrf-token"),
    ("POST", "/getTwoFactorEnable"),
    ("GET", "/panel/api/openapi.json"),
    ("GET", "/panel/api/inbounds/list"),
    ("GET", "/panel/api/inbounds/get/{id}"),
    ("GET", "/panel/api/inbounds/options"),
    ("GET", "/panel/api/server/status"),
    ("GET", "/panel/api/clients/list"),
    ("GET", "/panel/api/clients/list/paged"),
    ("GET", "/panel/api/clients/get/{email}"),
    ("POST", "/panel/api/clients/add"),
    ("POST", "/panel/api/clients/update/{email}"),
    ("POST", "/panel/api/clients/del/{email}"),
    ("POST", "/panel/api/clients/{email}/attach"),
    ("POST", "/panel/api/clients/{email}/detach"),
    ("POST", "/panel/api/clients/{email}/externalLinks"),
    ("POST", "/panel/api/clients/resetAllTraffics"),
    ("POST", "/panel/api/clients/delDepleted"),
    ("POST", "/panel/api/clients/delOrphans"),
    ("GET", "/panel/api/clients/export"),
    ("POST", "/panel/api/clients/import"),
    ("POST", "/panel/api/clients/bulkAdjust"),
    ("POST", "/panel/api/clients/bulkEnable"),
    ("POST", "/panel/api/clients/bulkDisable"),
    ("POST", "/panel/api/clients/bulkDel"),
    ("POST", "/panel/api/clients/bulkCreate"),
    ("POST", "/panel/api/clients/groups/bulkAdd"),
    ("POST", "/panel/api/clients/groups/bulkRemove"),
    ("POST", "/panel/api/clients/bulkAttach"),
    ("POST", "/panel/api/clients/bulkDetach"),
    ("POST", "/panel/api/clients/bulkResetTraffic"),
    ("GET", "/panel/api/clients/groups"),
    ("GET", "/panel/api/clients/groups/{name}/emails"),
    ("POST", "/panel/api/clients/groups/create"),
    ("POST", "/panel/api/clients/groups/rename"),
    ("POST", "/panel/api/clients/groups/delete"),
    ("POST", "/panel/api/clients/resetTraffic/{email}"),
    ("POST", "/panel/api/clients/updateTraffic/{email}"),
    ("POST", "/panel/api/clients/ips/{email}"),
    ("POST", "/panel/api/clients/clearIps/{email}"),
    ("POST", "/panel/api/clients/onlines"),
    ("POST", "/panel/api/clients/onlinesByGuid"),
    ("POST", "/panel/api/clients/clientIpsByGuid"),
    ("POST", "/panel/api/clients/activeInbounds"),
    ("POST", "/panel/api/clients/lastOnline"),
    ("GET", "/panel/api/clients/traffic/{email}"),
    ("GET", "/panel/api/clients/subLinks/{subId}"),
    ("GET", "/panel/api/clients/links/{email}"),
];

/// Routes of the legacy (pre-3.1) simulator beyond the common ones.
pub const LEGACY_ROUTES: &[(&str, &str)] = &[
    ("GET", "/panel/api/inbounds/getClientTraffics/{email}"),
    ("POST", "/panel/api/inbounds/addClient"),
    ("POST", "/panel/api/inbounds/updateClient/{clientId}"),
    ("POST", "/panel/api/inbounds/{id}/delClient/{clientId}"),
    (
        "POST",
        "/panel/api/inbounds/{id}/resetClientTraffic/{email}",
    ),
    ("POST", "/panel/api/inbounds/onlines"),
    ("POST", "/panel/api/inbounds/lastOnline"),
    ("POST", "/panel/api/inbounds/clientIps/{email}"),
    ("POST", "/panel/api/inbounds/clearClientIps/{email}"),
];

fn client_routes() -> Router<Shared> {
    const C: &str = "/panel/api/clients";
    Router::new()
        .route("/panel/api/openapi.json", get(openapi))
        .route("/panel/api/inbounds/options", get(inbounds_options))
        .route(&format!("{C}/list"), get(clients::list))
        .route(&format!("{C}/list/paged"), get(paged::list_paged))
        .route(&format!("{C}/get/{{email}}"), get(clients::get))
        .route(&format!("{C}/add"), post(clients::add))
        .route(&format!("{C}/update/{{email}}"), post(clients::update))
        .route(&format!("{C}/del/{{email}}"), post(clients::del))
        .route(
            &format!("{C}/{{email}}/attach"),
            post(clients::attach_route),
        )
        .route(
            &format!("{C}/{{email}}/detach"),
            post(clients::detach_route),
        )
        .route(
            &format!("{C}/{{email}}/externalLinks"),
            post(clients::external_links),
        )
        .route(
            &format!("{C}/resetAllTraffics"),
            post(clients::reset_all_traffics),
        )
        .route(&format!("{C}/delDepleted"), post(clients::del_depleted))
        .route(&format!("{C}/delOrphans"), post(clients::del_orphans))
        .route(&format!("{C}/export"), get(clients::export))
        .route(&format!("{C}/import"), post(clients::import))
        .route(&format!("{C}/bulkAdjust"), post(bulk::bulk_adjust))
        .route(&format!("{C}/bulkEnable"), post(bulk::bulk_enable))
        .route(&format!("{C}/bulkDisable"), post(bulk::bulk_disable))
        .route(&format!("{C}/bulkDel"), post(bulk::bulk_del))
        .route(&format!("{C}/bulkCreate"), post(clients::bulk_create))
        .route(&format!("{C}/groups/bulkAdd"), post(bulk::groups_bulk_add))
        .route(
            &format!("{C}/groups/bulkRemove"),
            post(bulk::groups_bulk_remove),
        )
        .route(&format!("{C}/bulkAttach"), post(bulk::bulk_attach))
        .route(&format!("{C}/bulkDetach"), post(bulk::bulk_detach))
        .route(
            &format!("{C}/bulkResetTraffic"),
            post(bulk::bulk_reset_traffic),
        )
        .route(&format!("{C}/groups"), get(bulk::groups))
        .route(
            &format!("{C}/groups/{{name}}/emails"),
            get(bulk::group_emails),
        )
        .route(&format!("{C}/groups/create"), post(bulk::groups_create))
        .route(&format!("{C}/groups/rename"), post(bulk::groups_rename))
        .route(&format!("{C}/groups/delete"), post(bulk::groups_delete))
        .route(
            &format!("{C}/resetTraffic/{{email}}"),
            post(clients::reset_traffic),
        )
        .route(
            &format!("{C}/updateTraffic/{{email}}"),
            post(clients::update_traffic),
        )
        .route(&format!("{C}/ips/{{email}}"), post(views::ips))
        .route(&format!("{C}/clearIps/{{email}}"), post(views::clear_ips))
        .route(&format!("{C}/onlines"), post(views::onlines))
        .route(&format!("{C}/onlinesByGuid"), post(views::onlines_by_guid))
        .route(
            &format!("{C}/clientIpsByGuid"),
            post(views::client_ips_by_guid),
        )
        .route(&format!("{C}/activeInbounds"), post(views::active_inbounds))
        .route(&format!("{C}/lastOnline"), post(views::last_online))
        .route(&format!("{C}/traffic/{{email}}"), get(views::traffic))
        .route(&format!("{C}/subLinks/{{subId}}"), get(views::sub_links))
        .route(&format!("{C}/links/{{email}}"), get(views::links))
}

fn legacy_routes() -> Router<Shared> {
    const I: &str = "/panel/api/inbounds";
    Router::new()
        .route(
            &format!("{I}/getClientTraffics/{{email}}"),
            get(legacy::get_client_traffics),
        )
        .route(&format!("{I}/addClient"), post(legacy::add_client))
        .route(
            &format!("{I}/updateClient/{{clientId}}"),
            post(legacy::update_client_route),
        )
        .route(
            &format!("{I}/{{id}}/delClient/{{clientId}}"),
            post(legacy::del_client),
        )
        .route(
            &format!("{I}/{{id}}/resetClientTraffic/{{email}}"),
            post(legacy::reset_client_traffic),
        )
        .route(&format!("{I}/onlines"), post(views::onlines))
        .route(&format!("{I}/lastOnline"), post(views::last_online))
        .route(
            &format!("{I}/clientIps/{{email}}"),
            post(legacy::client_ips),
        )
        .route(
            &format!("{I}/clearClientIps/{{email}}"),
            post(views::clear_ips),
        )
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

async fn server_status(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let xray_version = if state.legacy { "v1.8.24" } else { "v25.10.31" };
    answer(Ok(json!({
        "cpu": 12.5,
        "mem": { "current": 2_147_483_648u64, "total": 8_589_934_592u64 },
        "swap": { "current": 0, "total": 4_294_967_296u64 },
        "disk": { "current": 53_687_091_200u64, "total": 268_435_456_000u64 },
        "netIO": { "up": 1_073_741_824u64, "down": 2_147_483_648u64 },
        "xray": { "state": "running", "version": xray_version },
        "tcpCount": state.online.len() * 3,
        "load": { "load1": 0.5, "load5": 0.3, "load15": 0.2 },
    })))
}

/// `GET /panel/api/openapi.json`: served raw (no envelope), listing the routes served here.
async fn openapi() -> Response {
    let mut paths = serde_json::Map::new();
    for (method, path) in ROUTES {
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
