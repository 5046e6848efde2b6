//! The database connections requests wait for. Every API route takes a session from `get_db`
//! (app/db/__init__.py at v0.8.4; the token route and `Admin.get_current` too) and keeps its
//! connection until it answers. 0.8.4 runs SQLAlchemy 2.0.36 (requirements.txt at v0.8.4) on
//! its default database, SQLite (`sqlite:///db.sqlite3`, config.py), with an engine built
//! without pool arguments (app/db/base.py): SQLAlchemy 2.0 gives a file SQLite database a
//! `QueuePool` of 5 connections plus 10 overflow, and a request that finds all 15 taken waits
//! up to 30 s (`pool_timeout`) and then fails with `TimeoutError`, which the app answers as
//! 500 "Internal Server Error". 0.4.9 runs SQLAlchemy 1.4.44, which gives file SQLite
//! databases a `NullPool` (a connection per request, no limit). Measured on a real 0.8.4:
//! 16 requests in flight already get some 500s or time out (issue 19).
//!
//! How long a request holds its connection is load, not a fact of the panel
//! ([`DbLoad::hold`], zero by default); tests shorten the wait to see an overrun in test time.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use tokio::sync::Semaphore;

use super::{usage::internal_error, PanelVersion};
use crate::DbLoad;

/// SQLAlchemy 2.0's `QueuePool` defaults: `pool_size=5`, `max_overflow=10`.
const QUEUE_POOL_CONNECTIONS: usize = 5 + 10;

/// The connections of one simulated panel.
pub struct DbPool {
    /// `None`: no limit (0.4.9's `NullPool`).
    connections: Option<Semaphore>,
    load: DbLoad,
    timeouts: AtomicU64,
}

impl DbPool {
    pub fn new(version: PanelVersion, load: DbLoad) -> Arc<Self> {
        let connections = version
            .is_0_8()
            .then(|| Semaphore::new(QUEUE_POOL_CONNECTIONS));
        Arc::new(DbPool {
            connections,
            load,
            timeouts: AtomicU64::new(0),
        })
    }

    /// Requests that waited for a connection longer than the pool allows (answered 500).
    pub fn timeouts(&self) -> u64 {
        self.timeouts.load(Ordering::Relaxed)
    }
}

/// Holds a connection around every request under `/api/` and `/sub/`.
pub async fn with_connection(
    State(pool): State<Arc<DbPool>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if !(path.starts_with("/api/") || path.starts_with("/sub/")) {
        return next.run(req).await;
    }
    let _connection = match &pool.connections {
        Some(connections) => {
            match tokio::time::timeout(pool.load.pool_timeout, connections.acquire()).await {
                Ok(Ok(permit)) => Some(permit),
                _ => {
                    pool.timeouts.fetch_add(1, Ordering::Relaxed);
                    return internal_error();
                }
            }
        }
        None => None,
    };
    if !pool.load.hold.is_zero() {
        tokio::time::sleep(pool.load.hold).await;
    }
    next.run(req).await
}
