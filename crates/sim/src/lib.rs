//! Simulated panels: HTTP servers on 127.0.0.1 with in-memory state, faithful to the API
//! references in `shared/api/`, with latency and fault injection and deterministic seeding.
//! Used by tests, benchmarks and the app's demo mode.

mod body;
pub mod clock;
pub mod faults;
pub mod growth;
pub mod hostile;
pub mod marzban;
pub mod pasarguard;
pub mod pterodactyl;
pub mod seed;
pub mod userpass;
pub mod xui;

use std::{net::SocketAddr, sync::Arc};

use serde::Serialize;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use faults::{DbLoad, FaultConfig, SimStats};

/// Which panel a simulator imitates (same lowercase names as the app's panel kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SimKind {
    Xui,
    Marzban,
    Userpass,
    Pterodactyl,
    /// A malicious server in the user-pass API's shape (see [`hostile`]).
    Hostile,
    Pasarguard,
}

/// How a simulator is seeded and how badly it behaves.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Seed of the deterministic generator: same seed, same accounts.
    pub seed: u64,
    /// How many accounts to generate (clients, users, sub-users; for Pterodactyl: subusers
    /// spread over `groups` servers).
    pub accounts: usize,
    /// Inbounds (3x-ui), servers (Pterodactyl); ignored by the other kinds.
    pub groups: usize,
    pub faults: FaultConfig,
    /// Marzban: access token lifetime in seconds.
    pub token_ttl_secs: u64,
    /// Pterodactyl: requests allowed per rate-limit window, and the window's length in ms.
    pub rate_limit: u32,
    pub rate_window_ms: u64,
    /// The release a simulator plays (Marzban: `0.4.9` or `0.8.4`); `None` = its default.
    pub panel_version: Option<String>,
    /// Time in the panel's database, for simulators that model its connection pool (Marzban).
    pub db: DbLoad,
    /// Traffic the users use, in MiB per minute over all of them, spread unevenly (Marzban,
    /// PasarGuard, 3x-ui; 0 = none).
    pub usage_growth_mib_per_min: f64,
    /// Marzban and PasarGuard: this many active users (of those seeded with an expiry) expire
    /// within the next three days instead, so expiry alerts have something to show (3x-ui
    /// seeds clients expiring within two days anyway).
    pub expiring_soon: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            seed: 1,
            accounts: 20,
            groups: 3,
            faults: FaultConfig::default(),
            token_ttl_secs: 24 * 3600,
            rate_limit: 720,
            rate_window_ms: 60_000,
            panel_version: None,
            db: DbLoad::default(),
            usage_growth_mib_per_min: 0.0,
            expiring_soon: 0,
        }
    }
}

/// Credentials a client uses against a simulator (printed as the startup JSON line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum SimCredentials {
    Token {
        token: String,
    },
    /// A login, and the API token where the panel version has them (3x-ui from v3.0).
    Login {
        username: String,
        password: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
    Password {
        username: String,
        password: String,
    },
    ApiKey {
        api_key: String,
    },
}

/// What a kind's module hands back: its router and the credentials it accepts.
pub struct SimApp {
    pub router: axum::Router,
    pub credentials: SimCredentials,
}

/// A simulator serving on a local port until dropped or [`RunningSim::shutdown`].
pub struct RunningSim {
    pub kind: SimKind,
    pub addr: SocketAddr,
    pub credentials: SimCredentials,
    pub stats: Arc<SimStats>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSim {
    /// Base URL of the simulated panel, with a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The one-line JSON the standalone binary prints: `{kind, url, <credentials>}`.
    pub fn announcement(&self) -> serde_json::Value {
        let mut v = serde_json::json!({ "kind": self.kind, "url": self.url() });
        if let (Some(obj), Ok(serde_json::Value::Object(creds))) =
            (v.as_object_mut(), serde_json::to_value(&self.credentials))
        {
            obj.extend(creds);
        }
        v
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Builds the app for `kind` without serving it. `stats` is shared with the fault layer so
/// a kind can count its own events (e.g. rate-limit windows) beside the request counters.
pub fn build(kind: SimKind, opts: &SimOptions, stats: Arc<SimStats>) -> SimApp {
    match kind {
        SimKind::Xui => xui::app(opts, stats),
        SimKind::Marzban => marzban::app(opts, stats),
        SimKind::Userpass => userpass::app(opts, stats),
        SimKind::Pterodactyl => pterodactyl::app(opts, stats),
        SimKind::Hostile => hostile::app(hostile::HostileOptions::default()),
        SimKind::Pasarguard => pasarguard::app(opts, stats),
    }
}

/// Starts a simulator on `addr` (port 0 picks a free port) inside the current tokio runtime.
pub async fn start(
    kind: SimKind,
    opts: SimOptions,
    addr: SocketAddr,
) -> std::io::Result<RunningSim> {
    let stats = Arc::new(SimStats::default());
    let app = build(kind, &opts, stats.clone());
    serve(kind, app, &opts, stats, addr).await
}

/// Serves an already built app (kinds use this to keep a handle on their state for tests).
pub async fn serve(
    kind: SimKind,
    app: SimApp,
    opts: &SimOptions,
    stats: Arc<SimStats>,
    addr: SocketAddr,
) -> std::io::Result<RunningSim> {
    let SimApp {
        router,
        credentials,
    } = app;
    let router = faults::layer(router, opts.faults.clone(), opts.seed, stats.clone());
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = rx.await;
        });
        if let Err(err) = serve.await {
            tracing::error!(%err, "simulator stopped");
        }
    });
    Ok(RunningSim {
        kind,
        addr,
        credentials,
        stats,
        shutdown: Some(tx),
        task: Some(task),
    })
}

/// Starts a simulator on a free 127.0.0.1 port.
pub async fn start_local(kind: SimKind, opts: SimOptions) -> std::io::Result<RunningSim> {
    start(kind, opts, SocketAddr::from(([127, 0, 0, 1], 0))).await
}
