//! Simulated user-pass proxy provider (9Proxy's sub-user API): `client/v1/user-passes/*`, the
//! `{success, message, result}` envelope, `api-key` in a header or the query, unique user names,
//! paging, sorting and keyword search. Seeded with `accounts` sub-users.

mod handlers;
mod state;

use std::sync::Arc;

use axum::routing::{delete, get, post, put};

pub use state::{KeyPlacement, State, SubUser};

use crate::{SimApp, SimCredentials, SimOptions, SimStats};

pub fn app(opts: &SimOptions, stats: Arc<SimStats>) -> SimApp {
    app_with(opts, stats, KeyPlacement::Either).0
}

/// The app with the key accepted only where `placement` says, plus a handle on its state.
pub fn app_with(
    opts: &SimOptions,
    _stats: Arc<SimStats>,
    placement: KeyPlacement,
) -> (SimApp, Arc<State>) {
    let state = Arc::new(State::seeded(opts, placement));
    let router = axum::Router::new()
        .route("/client/v1/user-passes/get-list", get(handlers::get_list))
        .route("/client/v1/user-passes/create", post(handlers::create))
        .route("/client/v1/user-passes/update", put(handlers::update))
        .route("/client/v1/user-passes/delete", delete(handlers::delete))
        .with_state(state.clone());
    let app = SimApp {
        router,
        credentials: SimCredentials::ApiKey {
            api_key: state.api_key.clone(),
        },
    };
    (app, state)
}
