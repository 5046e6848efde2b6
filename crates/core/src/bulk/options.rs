//! How a run behaves ([`ExecOptions`]) and how it is stopped ([`CancelToken`]).

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::sync::Notify;

/// How a run behaves. Defaults suit the app; tests and benchmarks tune them.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    /// Most requests in flight per panel (per-item path); the pace adapts below it (`pace.rs`).
    pub concurrency: usize,
    /// Tries per item within one run (429 and 5xx/timeouts back off and retry).
    pub max_attempts: u32,
    /// Per-request timeout (`None` = the client's default).
    pub request_timeout: Option<Duration>,
    /// Emails per 3x-ui bulk request.
    pub chunk_size: usize,
    /// Use 3x-ui's bulk routes.
    pub native_bulk: bool,
    /// Re-sync the panels touched after the run.
    pub resync: bool,
    /// First backoff delay (doubles per attempt).
    pub backoff: Duration,
    /// What to do with an item whose account changed on the panel since the preview.
    pub if_changed: super::IfChanged,
}

impl Default for ExecOptions {
    fn default() -> Self {
        ExecOptions {
            concurrency: 16,
            max_attempts: 3,
            request_timeout: None,
            chunk_size: 1000,
            native_bulk: true,
            resync: true,
            backoff: Duration::from_millis(200),
            if_changed: super::IfChanged::Apply,
        }
    }
}

/// Stops a run: no new request starts once cancelled; requests in flight finish and are
/// journaled.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<(AtomicBool, Notify)>);

impl CancelToken {
    pub fn new() -> Self {
        CancelToken::default()
    }

    pub fn cancel(&self) {
        self.0 .0.store(true, Ordering::SeqCst);
        self.0 .1.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0 .0.load(Ordering::SeqCst)
    }

    /// Resolves once cancelled.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.0 .1.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}
