//! A simulated Marzban, 0.4.9 or 0.8.4 ([`PanelVersion`], `--panel-version`): the REST API
//! under `/api`, the public `/sub/{token}/` routes, bearer tokens that expire, sudo and non-sudo
//! admins, users with proxies, inbounds, statuses, traffic counters, links and subscription
//! documents. Answers are shaped like the recorded real servers'
//! (`shared/api/marzban-{0.4.9,0.8.4}-recorded.md`); see docs/panels/marzban.md.

// Handlers answer `Result<Response, Response>` so `?` can return an error answer; boxing
// axum's 128-byte `Response` would only add noise to a simulator.
#![allow(clippy::result_large_err)]

mod admins;
mod common;
mod core;
mod datetime;
mod links;
mod list;
mod nodes;
mod pool;
mod race;
mod state;
mod sub;
mod system;
mod templates;
mod usage;
mod user_body;
mod user_view;
mod users;
mod version;

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    routing::{get, post, put},
    Json, Router,
};
use rand::Rng;
use serde_json::json;

use crate::{seed, RunningSim, SimApp, SimCredentials, SimKind, SimOptions, SimStats};
use common::Sim;
use pool::DbPool;
use state::{AdminRec, Proto, State, Status, UserRec};
pub use version::PanelVersion;
/// What `/api/core` and connected nodes report.
pub const XRAY_VERSION: &str = "1.8.24";
/// The sudo admin every simulator has.
pub const SUDO_USERNAME: &str = "admin";

/// A handle on a running simulator's state, for tests: counters and traffic injection.
#[derive(Clone)]
pub struct MarzbanSim {
    sim: Sim,
    pool: Arc<DbPool>,
}

impl MarzbanSim {
    /// Requests answered 500 because no database connection was free in time (0.8.4).
    pub fn pool_timeouts(&self) -> u64 {
        self.pool.timeouts()
    }

    /// Successful logins (`POST /api/admin/token` that issued a token).
    pub fn logins(&self) -> u64 {
        self.sim.db().logins
    }

    /// Distinct access tokens that were presented after they had expired.
    pub fn expired_tokens_seen(&self) -> u64 {
        self.sim.db().expired_tokens_seen.len() as u64
    }

    /// Records `bytes` of traffic for a user through `node` (None = the master), as the core's
    /// stats would: used traffic grows, on-hold users start, limits turn users `limited`.
    pub fn add_traffic(&self, username: &str, bytes: i64, node: Option<i64>) -> bool {
        self.sim.db().add_traffic(username, bytes, node)
    }

    /// Ends every access token now, as their lifetime running out would.
    pub fn expire_tokens(&self) {
        let now = std::time::Instant::now();
        for token in self.sim.db().tokens.values_mut() {
            token.expires = now;
        }
    }

    pub fn core_restarts(&self) -> u64 {
        self.sim.db().core_restarts
    }

    pub fn user_count(&self) -> usize {
        self.sim.db().users.len()
    }

    /// The sudo admin's password.
    pub fn password(&self) -> String {
        self.sim
            .db()
            .admins
            .get(SUDO_USERNAME)
            .map(|a| a.password.clone())
            .unwrap_or_default()
    }
}

/// The app `lib.rs` builds: token lifetime from `opts.token_ttl_secs`.
pub fn app(opts: &SimOptions, stats: Arc<SimStats>) -> SimApp {
    app_with_ttl(opts, stats, Duration::from_secs(opts.token_ttl_secs)).0
}

/// The app with a token lifetime of any granularity (tests use milliseconds), and a handle.
pub fn app_with_ttl(
    opts: &SimOptions,
    _stats: Arc<SimStats>,
    token_ttl: Duration,
) -> (SimApp, MarzbanSim) {
    let state = seeded(opts, token_ttl);
    let password = state
        .admins
        .get(SUDO_USERNAME)
        .map(|a| a.password.clone())
        .unwrap_or_default();
    let pool = DbPool::new(state.version, opts.db);
    let sim = Sim {
        state: Arc::new(Mutex::new(state)),
    };
    let app = SimApp {
        router: router(sim.clone()).layer(axum::middleware::from_fn_with_state(
            pool.clone(),
            pool::with_connection,
        )),
        credentials: SimCredentials::Password {
            username: SUDO_USERNAME.to_owned(),
            password,
        },
    };
    (app, MarzbanSim { sim, pool })
}

/// Serves a simulator on a free 127.0.0.1 port with the given token lifetime.
pub async fn start_with_ttl(
    opts: SimOptions,
    token_ttl: Duration,
) -> std::io::Result<(RunningSim, MarzbanSim)> {
    let stats = Arc::new(SimStats::default());
    let (app, handle) = app_with_ttl(&opts, stats.clone(), token_ttl);
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let running = crate::serve(SimKind::Marzban, app, &opts, stats, addr).await?;
    Ok((running, handle))
}

fn router(sim: Sim) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/api/admin/token", post(admins::token))
        .route(
            "/api/admin",
            get(admins::current_admin).post(admins::create_admin),
        )
        .route(
            "/api/admin/{username}",
            put(admins::modify_admin).delete(admins::remove_admin),
        )
        .route("/api/admins", get(admins::get_admins))
        .route("/api/system", get(system::system))
        .route("/api/inbounds", get(system::inbounds))
        .route(
            "/api/hosts",
            get(system::get_hosts).put(system::modify_hosts),
        )
        .route("/api/core", get(system::core_stats))
        .route("/api/core/restart", post(system::restart_core))
        .route(
            "/api/core/config",
            get(system::get_core_config).put(system::modify_core_config),
        )
        .route("/api/user", post(users::add_user))
        .route(
            "/api/user/{username}",
            get(users::get_user)
                .put(users::modify_user)
                .delete(users::remove_user),
        )
        .route("/api/user/{username}/reset", post(users::reset_user))
        .route("/api/user/{username}/revoke_sub", post(users::revoke_sub))
        .route("/api/user/{username}/usage", get(usage::user_usage))
        .route("/api/user/{username}/set-owner", put(users::set_owner))
        .route("/api/users", get(list::get_users))
        .route("/api/users/reset", post(usage::reset_users))
        .route(
            "/api/users/expired",
            get(usage::get_expired).delete(usage::delete_expired),
        )
        .route(
            "/api/user_template",
            get(templates::list).post(templates::add),
        )
        .route(
            "/api/user_template/{id}",
            get(templates::get)
                .put(templates::modify)
                .delete(templates::remove),
        )
        .route("/api/node/settings", get(nodes::settings))
        .route("/api/node", post(nodes::add_node))
        .route(
            "/api/node/{node_id}",
            get(nodes::get_node)
                .put(nodes::modify_node)
                .delete(nodes::remove_node),
        )
        .route("/api/nodes", get(nodes::get_nodes))
        .route("/api/node/{node_id}/reconnect", post(nodes::reconnect))
        .route("/api/nodes/usage", get(nodes::usage))
        .route("/sub/{token}", get(sub::subscription_redirect))
        .route("/sub/{token}/", get(sub::subscription))
        .route("/sub/{token}/info", get(sub::info))
        .route("/sub/{token}/usage", get(sub::usage))
        .route("/sub/{token}/{client_type}", get(sub::with_client_type))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(sim)
}

async fn home() -> Html<&'static str> {
    Html("<!doctype html><html><head><title>Marzban</title></head><body><div id=\"root\"></div></body></html>")
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

/// A fresh database: the sudo admin, the default core config and hosts, and `opts.accounts`
/// users drawn from `opts.seed` (mixed protocols, limits, expiries and statuses).
fn seeded(opts: &SimOptions, token_ttl: Duration) -> State {
    let mut rng = seed::rng(opts.seed);
    let mut secret = [0u8; 32];
    rng.fill(&mut secret);
    let password = seed::token(&mut rng, 16);
    let config = core::default_config();
    let inbounds = core::parse_inbounds(&config).unwrap_or_default();
    let hosts = inbounds
        .iter()
        .map(|i| (i.tag.clone(), vec![core::default_host()]))
        .collect();
    let mut admins = BTreeMap::new();
    admins.insert(
        SUDO_USERNAME.to_owned(),
        AdminRec {
            username: SUDO_USERNAME.to_owned(),
            password,
            is_sudo: true,
            telegram_id: None,
            discord_webhook: None,
            password_reset: None,
            users_usage: 0,
        },
    );
    let version = opts
        .panel_version
        .as_deref()
        .and_then(PanelVersion::parse)
        .unwrap_or_default();
    let mut db = State {
        version,
        admins,
        users: BTreeMap::new(),
        review_due: i64::MIN,
        user_ids: BTreeMap::new(),
        next_user_id: 1,
        templates: BTreeMap::new(),
        next_template_id: 1,
        nodes: BTreeMap::new(),
        next_node_id: 1,
        hosts,
        core_config: config,
        inbounds,
        core_restarts: 0,
        tokens: HashMap::new(),
        token_ttl,
        logins: 0,
        expired_tokens_seen: HashSet::new(),
        rng,
        secret,
        inbound_rows: HashSet::new(),
        inserting_rows: HashSet::new(),
        links_revision: 0,
        incoming: 0,
        outgoing: 0,
        growth: crate::growth::Growth::new(opts.usage_growth_mib_per_min),
    };
    let now = crate::clock::now_micros();
    for i in 0..opts.accounts {
        let user = seed_user(&mut db, i, now - (opts.accounts - i) as i64 * 1_000_000);
        db.inbound_rows
            .extend(user.excluded.values().flatten().cloned());
        db.insert_user(user);
    }
    let soon: Vec<String> = db
        .users
        .iter()
        .filter(|(_, u)| u.status == Status::Active && u.expire.is_some())
        .map(|(k, _)| k.clone())
        .take(opts.expiring_soon)
        .collect();
    let now_secs = now / 1_000_000;
    for (i, key) in soon.iter().enumerate() {
        if let Some(u) = db.users.get_mut(key) {
            // Spread over the next three days (`expire` is UTC seconds, as everywhere).
            u.expire = Some(now_secs + 3_600 + (i as i64 % 3) * 86_400);
        }
    }
    // Like a server that has its users' links at hand: the first full listing then costs what
    // the next ones do (the simulator shares the CPU with the client it serves).
    for user in db.users.values() {
        links::cached(&db, user);
    }
    db
}

fn seed_user(db: &mut State, index: usize, created_micros: i64) -> UserRec {
    const GB: i64 = 1 << 30;
    let username = seed::account_name(&mut db.rng, index);
    let now = created_micros / 1_000_000 + db.rng.gen_range(0..3600);
    let mut proxies = BTreeMap::new();
    for proto in Proto::ALL {
        if db.rng.gen_bool(0.5) || (proto == Proto::Shadowsocks && proxies.is_empty()) {
            if let Ok(settings) = db.new_proxy(proto, &serde_json::Map::new()) {
                proxies.insert(proto, settings);
            }
        }
    }
    // Some users are kept off the REALITY inbound, as admins often do.
    let mut excluded = BTreeMap::new();
    if proxies.contains_key(&Proto::Vless) && db.rng.gen_bool(0.3) {
        excluded.insert(Proto::Vless, vec!["VLESS TCP REALITY".to_owned()]);
    }
    let data_limit = match db.rng.gen_range(0..4) {
        0 => None,
        n => Some(n * 10 * GB),
    };
    let used = data_limit.map_or(db.rng.gen_range(0..50 * GB), |l| db.rng.gen_range(0..l));
    let roll = db.rng.gen_range(0..20);
    let (status, expire, used, hold) = match roll {
        0 => (Status::Disabled, Some(now + 30 * 86_400), used, None),
        1 => (Status::OnHold, None, 0, Some(30 * 86_400)),
        2 => (Status::Expired, Some(now - 86_400), used, None),
        3 if data_limit.is_some() => (Status::Limited, None, data_limit.unwrap_or(0), None),
        4..=9 => (Status::Active, None, used, None),
        _ => (
            Status::Active,
            Some(now + db.rng.gen_range(1..90) * 86_400),
            used,
            None,
        ),
    };
    UserRec {
        id: db.next_user_id_then_bump(),
        username,
        proxy_order: proxies.keys().copied().collect(),
        proxies,
        excluded,
        expire,
        data_limit,
        data_limit_reset_strategy: "no_reset".to_owned(),
        note: None,
        sub_updated_at: None,
        sub_last_user_agent: None,
        online_at: None,
        on_hold_expire_duration: hold,
        on_hold_timeout: None,
        status,
        used_traffic: used,
        reset_traffic: 0,
        created_micros,
        admin: Some(SUDO_USERNAME.to_owned()),
        sub_revision: 0,
        node_usage: [(None, used)].into_iter().collect(),
        links: Default::default(),
    }
}

impl State {
    fn next_user_id_then_bump(&mut self) -> u64 {
        let id = self.next_user_id;
        self.next_user_id += 1;
        id
    }
}
