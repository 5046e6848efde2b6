//! A simulated PasarGuard 5.2.1 (PasarGuard/panel, Marzban's maintained fork): the REST API
//! under `/api` with tokens, API keys and roles; users with `proxy_settings`, `group_ids` and
//! ISO `expire`; groups, hosts, templates, the `/api/users/bulk/*` routes and the public
//! `/sub/{token}/` routes. Each behaviour follows `shared/api/pasarguard-recorded.md` (a real
//! 5.2.1, "step N") or the source at tag v5.2.1; `tests/pasarguard_recorded.rs` replays the
//! transcript against it.

// Handlers answer `Result<Response, Response>` so `?` can return an error answer.
#![allow(clippy::result_large_err)]

mod admins;
mod bulk;
mod http;
mod panel;
mod state;
mod sub;
mod user_json;
mod users;
mod users_list;

use std::{
    collections::{BTreeMap, HashMap},
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get, post, put},
    Json, Router,
};
use rand::Rng;
use serde_json::{json, Map, Value};

use crate::{seed, RunningSim, SimApp, SimCredentials, SimKind, SimOptions, SimStats};
use http::Sim;
use state::{AdminRec, State, Status, UserRec};

/// What `/api/system` reports (step 9).
pub const PASARGUARD_VERSION: &str = "5.2.1";
/// The owner admin every simulator has.
pub const OWNER_USERNAME: &str = "admin";

/// A handle on a running simulator, for tests: its clock and counters.
#[derive(Clone)]
pub struct PasarguardSim {
    sim: Sim,
}

impl PasarguardSim {
    /// Pins the clock to `unix_secs` now (a transcript's moment); it runs on from there.
    pub fn set_clock(&self, unix_secs: i64) {
        self.sim.db().clock_offset_micros = unix_secs * 1_000_000 - crate::clock::now_micros();
    }

    /// Moves the clock on by `secs` (a recorder's pause).
    pub fn advance_clock(&self, secs: i64) {
        self.sim.db().clock_offset_micros += secs * 1_000_000;
    }

    pub fn user_count(&self) -> usize {
        self.sim.db().users.len()
    }

    /// The owner admin's password.
    pub fn password(&self) -> String {
        let db = self.sim.db();
        db.admin_by_name(OWNER_USERNAME)
            .map(|a| a.password.clone())
            .unwrap_or_default()
    }

    /// The group ids of `username` (empty when it has none, or no such user).
    pub fn groups(&self, username: &str) -> Vec<i64> {
        self.sim
            .db()
            .user_by_name(username)
            .map(|u| u.group_ids.clone())
            .unwrap_or_default()
    }

    /// The share links of `username` (what `/sub/{token}/links` serves).
    pub fn links(&self, username: &str) -> Vec<String> {
        let db = self.sim.db();
        db.user_by_name(username)
            .map(|u| sub::links(&db, u))
            .unwrap_or_default()
    }
}

/// The app `lib.rs` builds: an installed panel with the recording's five inbounds, its two
/// groups and five hosts (steps 11–17), and `opts.accounts` users.
pub fn app(opts: &SimOptions, _stats: Arc<SimStats>) -> SimApp {
    build(opts, true).0
}

/// A freshly installed panel: the owner and the seeded one-inbound core, nothing else (the
/// start of the transcript), and a handle.
pub fn fresh(opts: &SimOptions) -> (SimApp, PasarguardSim) {
    build(opts, false)
}

/// Serves an installed panel (see [`app`]) on a free 127.0.0.1 port, with a handle.
pub async fn start(opts: SimOptions) -> std::io::Result<(RunningSim, PasarguardSim)> {
    let stats = Arc::new(SimStats::default());
    let (app, handle) = build(&opts, true);
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    Ok((
        crate::serve(SimKind::Pasarguard, app, &opts, stats, addr).await?,
        handle,
    ))
}

/// Serves a fresh panel on a free 127.0.0.1 port.
pub async fn start_fresh(opts: SimOptions) -> std::io::Result<(RunningSim, PasarguardSim)> {
    let stats = Arc::new(SimStats::default());
    let (app, handle) = fresh(&opts);
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    Ok((
        crate::serve(SimKind::Pasarguard, app, &opts, stats, addr).await?,
        handle,
    ))
}

fn build(opts: &SimOptions, installed: bool) -> (SimApp, PasarguardSim) {
    let mut rng = seed::rng(opts.seed);
    let mut secret = [0u8; 32];
    rng.fill(&mut secret);
    // Passwords must pass `PasswordValidator` (12+ characters, 2 digits, 2 upper, 2 lower,
    // a special character).
    let password = format!("Pg-{}-07AZ", seed::token(&mut rng, 12));
    let mut db = State {
        admins: BTreeMap::new(),
        users: BTreeMap::new(),
        groups: BTreeMap::new(),
        hosts: BTreeMap::new(),
        templates: BTreeMap::new(),
        api_keys: BTreeMap::new(),
        core: Value::Null,
        tokens: HashMap::new(),
        token_ttl_secs: opts.token_ttl_secs as i64,
        next_id: HashMap::new(),
        rng,
        secret,
        clock_offset_micros: 0,
        started_micros: crate::clock::now_micros(),
        growth: crate::growth::Growth::new(opts.usage_growth_mib_per_min),
    };
    let id = db.next("admins");
    db.admins.insert(
        id,
        AdminRec {
            id,
            username: OWNER_USERNAME.into(),
            password: password.clone(),
            role_id: 1,
            note: None,
            data_limit: None,
        },
    );
    db.core = panel::seeded_core();
    if installed {
        install(&mut db);
        for i in 0..opts.accounts {
            seed_user(&mut db, i);
        }
        expire_soon(&mut db, opts.expiring_soon);
    }
    let sim = Sim {
        state: Arc::new(Mutex::new(db)),
    };
    let app = SimApp {
        router: router(sim.clone()),
        credentials: SimCredentials::Password {
            username: OWNER_USERNAME.into(),
            password,
        },
    };
    (app, PasarguardSim { sim })
}

/// What the recorder set up before its users: the five inbounds (step 11), groups
/// `vless-only` and `everything` (steps 13, 14) and one host per inbound (steps 16, 17).
fn install(db: &mut State) {
    let inbound = |tag: &str, port: i64, protocol: &str, stream: Value| json!({"tag": tag, "listen": "0.0.0.0", "port": port, "protocol": protocol, "settings": {"clients": []}, "streamSettings": stream});
    db.core["config"]["inbounds"] = json!([
        inbound(
            "VLESS TCP",
            20001,
            "vless",
            json!({"network": "tcp", "tcpSettings": {}, "security": "none"})
        ),
        inbound(
            "VLESS TCP REALITY",
            20002,
            "vless",
            json!({"network": "tcp", "tcpSettings": {}, "security": "reality",
            "realitySettings": {"show": false, "dest": "example.com:443", "xver": 0, "serverNames": ["example.com"],
                "privateKey": "sNitkEC9QX1Ty4BctYScJT4Xw7kftcr5d8SB8-hLPko", "shortIds": ["a1b2c3d4"]}})
        ),
        inbound(
            "VMESS WS",
            20003,
            "vmess",
            json!({"network": "ws", "wsSettings": {"path": "/vmess"}, "security": "none"})
        ),
        inbound(
            "TROJAN TCP",
            20004,
            "trojan",
            json!({"network": "tcp", "tcpSettings": {}, "security": "none"})
        ),
        inbound(
            "Shadowsocks TCP",
            20005,
            "shadowsocks",
            json!({"network": "tcp", "security": "none"})
        ),
    ]);
    let tags = db.inbound_tags();
    panel::add_group_rec(db, "vless-only", &tags[..2]);
    panel::add_group_rec(db, "everything", &tags);
    for (i, tag) in tags.iter().enumerate() {
        let mut host = Map::new();
        host.insert("remark".into(), json!(format!("PG ({{USERNAME}}) [{tag}]")));
        host.insert("address".into(), json!(["192.0.2.2"]));
        host.insert("inbound_tag".into(), json!(tag));
        host.insert("port".into(), json!(20001 + i as i64));
        if tag.contains("REALITY") {
            host.insert("sni".into(), json!(["example.com"]));
        }
        panel::host_rec(db, &host);
    }
}

/// `count` active users with an expiry expire within the next three days instead, so expiry
/// alerts have something to show (`expire` is kept in UTC microseconds; the API speaks ISO).
fn expire_soon(db: &mut State, count: usize) {
    let now = db.now_micros();
    let hour = 3_600_000_000;
    let soon = db
        .users
        .values_mut()
        .filter(|u| u.status == Status::Active && u.expire.is_some())
        .take(count);
    for (i, u) in soon.enumerate() {
        u.expire = Some(now + hour + (i as i64 % 3) * 24 * hour);
    }
}

/// A seeded user: mixed groups, limits, expiries and statuses.
fn seed_user(db: &mut State, index: usize) {
    const GB: i64 = 1 << 30;
    let now = db.now_micros();
    let username = seed::account_name(&mut db.rng, index);
    let proxy = db.proxy_settings(&Map::new());
    let data_limit = match db.rng.gen_range(0..4) {
        0 => None,
        n => Some(n * 10 * GB),
    };
    let used = data_limit.map_or(db.rng.gen_range(0..50 * GB), |l| db.rng.gen_range(0..l));
    let day = 86_400_000_000;
    let (status, expire, used, hold) = match db.rng.gen_range(0..20) {
        0 => (Status::Disabled, Some(now + 30 * day), used, None),
        1 => (Status::OnHold, None, 0, Some(30 * 86_400)),
        2 => (Status::Expired, Some(now - day), used, None),
        3 if data_limit.is_some() => (Status::Limited, None, data_limit.unwrap_or(0), None),
        4..=9 => (Status::Active, None, used, None),
        _ => (
            Status::Active,
            Some(now + db.rng.gen_range(1..90) * day),
            used,
            None,
        ),
    };
    let group = if db.rng.gen_bool(0.3) { 1 } else { 2 };
    let id = db.next("users");
    db.users.insert(
        id,
        UserRec {
            id,
            username,
            proxy,
            expire,
            data_limit,
            reset_strategy: "no_reset".into(),
            note: None,
            on_hold_expire_duration: hold,
            on_hold_timeout: None,
            group_ids: vec![group],
            auto_delete_in_days: None,
            hwid_limit: None,
            next_plan: None,
            status,
            used,
            lifetime: used,
            created: now - (1000 - index as i64) * 1_000_000,
            edited: None,
            online: None,
            admin_id: 1,
            sub_revoked_secs: 0,
        },
    );
}

fn router(sim: Sim) -> Router {
    Router::new()
        .route("/health", get(panel::health))
        .route("/api/admin/token", post(admins::token))
        .route("/api/admin", get(admins::current).post(admins::create))
        .route(
            "/api/admin/{username}",
            put(admins::modify).delete(admins::remove),
        )
        .route("/api/admins", get(admins::list))
        .route("/api/admin-roles/simple", get(admins::roles))
        .route("/api/setup/owner", post(admins::setup_owner))
        .route("/api/api_key", post(admins::create_key))
        .route("/api/api_key/{id}", delete(admins::remove_key))
        .route("/api/api_keys", get(admins::list_keys))
        .route("/api/system", get(panel::system))
        .route("/api/cores", get(panel::cores))
        .route("/api/core/{id}", put(panel::modify_core))
        .route("/api/inbounds", get(panel::inbounds))
        .route("/api/group", post(panel::add_group))
        .route("/api/group/{id}", get(panel::group))
        .route("/api/groups", get(panel::groups))
        .route("/api/host/", post(panel::add_host))
        .route("/api/hosts", get(panel::hosts))
        .route("/api/nodes", get(panel::nodes))
        .route("/api/user_template", post(panel::add_template))
        .route(
            "/api/user_template/{id}",
            get(panel::template)
                .put(panel::modify_template)
                .delete(panel::remove_template),
        )
        .route("/api/user_templates", get(panel::templates))
        .route("/api/user", post(users::add_user))
        .route("/api/user/from_template", post(users::from_template))
        .route("/api/user/by-id/{id}", get(users::get_user_by_id))
        .route(
            "/api/user/{username}",
            get(users::get_user)
                .put(users::modify_user)
                .delete(users::remove_user),
        )
        .route("/api/user/{username}/reset", post(users::reset_user))
        .route("/api/user/{username}/revoke_sub", post(users::revoke_sub))
        .route("/api/user/{username}/usage", get(users::user_usage))
        .route("/api/user/{username}/set_owner", put(users::set_owner))
        .route("/api/users", get(users_list::get_users))
        .route("/api/users/reset", post(users_list::reset_users))
        .route(
            "/api/users/expired",
            get(users_list::get_expired).delete(users_list::delete_expired),
        )
        .route("/api/users/bulk/delete", post(bulk::delete))
        .route("/api/users/bulk/reset", post(bulk::reset_usage))
        .route("/api/users/bulk/disable", post(bulk::disable))
        .route("/api/users/bulk/enable", post(bulk::enable))
        .route("/api/users/bulk/revoke_sub", post(bulk::revoke_sub))
        .route("/api/users/bulk/set_owner", put(bulk::set_owner))
        .route("/api/users/bulk/expire", post(bulk::expire))
        .route("/api/users/bulk/data_limit", post(bulk::data_limit))
        .route("/api/users/bulk/proxy_settings", post(bulk::proxy_settings))
        .route("/api/users/bulk/apply_template", post(bulk::apply_template))
        .route("/sub/{token}/", get(sub::subscription))
        .route("/sub/{token}/info", get(sub::info))
        .route("/sub/{token}/usage", get(sub::usage))
        .route("/sub/{token}/{client_type}", get(sub::with_client_type))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(sim)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"detail": "Not Found"}))).into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"detail": "Method Not Allowed"})),
    )
        .into_response()
}
