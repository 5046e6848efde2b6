//! The "other host" a hostile panel redirects to: it answers 200 `{}` and records each request,
//! so a test can tell whether any credential reached it.

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use axum::{
    body::to_bytes,
    extract::{Request, State},
};
use tokio::net::TcpListener;

/// One request that reached the catcher.
#[derive(Debug, Clone)]
pub struct Caught {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Every header as `name: value`.
    pub headers: Vec<String>,
    pub body: String,
}

impl Caught {
    /// The whole request as text, to search for a secret.
    pub fn as_text(&self) -> String {
        format!(
            "{} {}\n{}\n\n{}",
            self.method,
            self.target,
            self.headers.join("\n"),
            self.body
        )
    }
}

type Log = Arc<Mutex<Vec<Caught>>>;

/// A running catcher; dropping it does not stop it (it lives as long as the runtime).
pub struct Catcher {
    pub addr: SocketAddr,
    log: Log,
}

impl Catcher {
    pub async fn start() -> std::io::Result<Catcher> {
        let log = Log::default();
        let router = axum::Router::new().fallback(record).with_state(log.clone());
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Catcher { addr, log })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn caught(&self) -> Vec<Caught> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

async fn record(State(log): State<Log>, request: Request) -> &'static str {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let caught = Caught {
        method: parts.method.to_string(),
        target: parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    if let Ok(mut l) = log.lock() {
        l.push(caught);
    }
    "{}"
}
