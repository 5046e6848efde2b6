//! Latency and fault injection, and request counting, wrapped around every simulator.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    body::Body,
    extract::Request,
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How the simulator misbehaves. Rates are probabilities in 0..=1, drawn from a seeded RNG.
#[derive(Debug, Clone, Default)]
pub struct FaultConfig {
    /// Added to every request before it is handled.
    pub latency: Duration,
    /// Share of requests answered with HTTP 500 *without* being handled (no state change).
    pub error_rate: f64,
    /// Share of requests that ARE handled but whose answer is held for `hang` (so the client
    /// times out although the change happened — the case idempotent retries must survive).
    pub hang_rate: f64,
    pub hang: Duration,
}

/// Time requests spend in a panel's database. A simulator whose panel has a connection pool
/// (Marzban 0.8.4: 15) makes requests wait for a connection; one that waits longer than
/// `pool_timeout` is answered 500, as the real panel does.
#[derive(Debug, Clone, Copy)]
pub struct DbLoad {
    /// How long each request holds its connection (zero: no time, as before pools existed).
    pub hold: Duration,
    /// How long a request waits for a free connection (SQLAlchemy's default: 30 s).
    pub pool_timeout: Duration,
}

impl Default for DbLoad {
    fn default() -> Self {
        DbLoad {
            hold: Duration::ZERO,
            pool_timeout: Duration::from_secs(30),
        }
    }
}

/// Counters a test or benchmark reads after a run.
#[derive(Debug, Default)]
pub struct SimStats {
    pub requests: AtomicU64,
    pub injected_errors: AtomicU64,
    pub injected_hangs: AtomicU64,
    /// Pterodactyl: windows in which more requests were served than the limit allows.
    pub windows_over_limit: AtomicU64,
    /// Requests per "METHOD path" for route-level assertions.
    pub per_route: Mutex<std::collections::BTreeMap<String, u64>>,
    /// Requests received and not yet answered or dropped.
    pub in_flight: AtomicU64,
}

impl SimStats {
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Requests being handled now; 0 once every one received has had its effect (or was
    /// dropped with its connection before having any).
    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::SeqCst)
    }

    pub fn route_count(&self, method_and_path_prefix: &str) -> u64 {
        self.per_route
            .lock()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.starts_with(method_and_path_prefix))
                    .map(|(_, v)| *v)
                    .sum()
            })
            .unwrap_or(0)
    }
}

struct FaultState {
    config: FaultConfig,
    rng: Mutex<ChaCha8Rng>,
    stats: Arc<SimStats>,
}

enum Fate {
    Normal,
    Fail,
    Hang,
}

pub(crate) fn layer(
    router: Router,
    config: FaultConfig,
    seed: u64,
    stats: Arc<SimStats>,
) -> Router {
    let state = Arc::new(FaultState {
        config,
        rng: Mutex::new(ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_fa17)),
        stats,
    });
    router.layer(middleware::from_fn(move |req: Request, next: Next| {
        let state = state.clone();
        async move { inject(state, req, next).await }
    }))
}

/// Counts a request in flight until it is dropped: answered, or abandoned with its connection.
struct InFlight(Arc<SimStats>);

impl InFlight {
    fn enter(stats: &Arc<SimStats>) -> Self {
        stats.in_flight.fetch_add(1, Ordering::SeqCst);
        Self(stats.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn inject(state: Arc<FaultState>, req: Request<Body>, next: Next) -> Response {
    let _in_flight = InFlight::enter(&state.stats);
    state.stats.requests.fetch_add(1, Ordering::Relaxed);
    if let Ok(mut routes) = state.stats.per_route.lock() {
        *routes
            .entry(format!("{} {}", req.method(), req.uri().path()))
            .or_default() += 1;
    }
    if !state.config.latency.is_zero() {
        tokio::time::sleep(state.config.latency).await;
    }
    let fate = {
        let Ok(mut rng) = state.rng.lock() else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let roll: f64 = rng.gen();
        if roll < state.config.error_rate {
            Fate::Fail
        } else if roll < state.config.error_rate + state.config.hang_rate {
            Fate::Hang
        } else {
            Fate::Normal
        }
    };
    match fate {
        Fate::Normal => next.run(req).await,
        Fate::Fail => {
            state.stats.injected_errors.fetch_add(1, Ordering::Relaxed);
            (StatusCode::INTERNAL_SERVER_ERROR, "simulated failure").into_response()
        }
        Fate::Hang => {
            state.stats.injected_hangs.fetch_add(1, Ordering::Relaxed);
            let response = next.run(req).await;
            tokio::time::sleep(state.config.hang).await;
            response
        }
    }
}
