//! Simulator for this panel kind: filled in by its issue.

use std::sync::Arc;

use crate::{SimApp, SimCredentials, SimOptions, SimStats};

pub fn app(_opts: &SimOptions, _stats: Arc<SimStats>) -> SimApp {
    SimApp {
        router: axum::Router::new(),
        credentials: SimCredentials::ApiKey {
            api_key: String::new(),
        },
    }
}
