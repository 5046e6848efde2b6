//! Simulated Pterodactyl client API: the key owner's servers (`groups` of them, paginated),
//! their subusers (`accounts`, spread over the servers), the permission catalog, Fractal
//! `{object, attributes}` answers, `{errors:[…]}` failures and the per-user throttle
//! (`rate_limit` requests per `rate_window_ms`, 429 + Retry-After).
//!
//! Behaviours copied from the panel: unknown permission strings are dropped without an error,
//! `websocket.connect` is always added, an update replaces the whole list, adding the owner or
//! an existing subuser fails with 400, an unknown email gets a new account, delete answers 204.

pub mod catalog;
mod handlers;
mod ratelimit;
pub mod state;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::{middleware, routing::get};

use crate::{SimApp, SimCredentials, SimOptions, SimStats};

/// The simulator's shared state.
#[derive(Debug)]
pub struct Sim {
    pub token: String,
    panel: Mutex<state::Panel>,
    throttle: ratelimit::Throttle,
}

impl Sim {
    pub fn lock(&self) -> MutexGuard<'_, state::Panel> {
        self.panel.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub fn app(opts: &SimOptions, stats: Arc<SimStats>) -> SimApp {
    app_with_state(opts, stats).0
}

/// The app plus a handle on its state, for tests that look inside.
pub fn app_with_state(opts: &SimOptions, stats: Arc<SimStats>) -> (SimApp, Arc<Sim>) {
    let panel = state::Panel::seeded(opts);
    let sim = Arc::new(Sim {
        token: panel.token.clone(),
        panel: Mutex::new(panel),
        throttle: ratelimit::Throttle::new(opts.rate_limit, opts.rate_window_ms, stats),
    });
    let users = "/api/client/servers/{server}/users";
    let user = "/api/client/servers/{server}/users/{user}";
    let router = axum::Router::new()
        .route("/api/client", get(handlers::list_servers))
        .route("/api/client/account", get(handlers::account))
        .route("/api/client/permissions", get(handlers::permissions))
        .route("/api/client/servers/{server}", get(handlers::get_server))
        .route(users, get(handlers::list_users).post(handlers::create_user))
        .route(
            user,
            get(handlers::get_user)
                .post(handlers::update_user)
                .delete(handlers::delete_user),
        )
        .fallback(|| async { handlers::not_found() })
        .layer(middleware::from_fn_with_state(sim.clone(), handlers::guard))
        .with_state(sim.clone());
    let app = SimApp {
        router,
        credentials: SimCredentials::Token {
            token: sim.token.clone(),
        },
    };
    (app, sim)
}
