//! A hostile "panel": what a compromised or malicious server can send a client. It speaks the
//! user-pass provider's API shape (`shared/api/userpass-subusers-api.txt`, "get-list": the
//! `{success, message, result:{items, total_items, total_pages}}` envelope) so a real client
//! reads its answers, and misbehaves in one way per [`HostileMode`]. Redirects point at a
//! [`Catcher`], a second server on another port (so another origin, RFC 6454 §4), which
//! records whatever reaches it.

mod catcher;
mod payload;

use std::{sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

pub use catcher::{Catcher, Caught};

use crate::{SimApp, SimCredentials};

/// The API key the hostile panel announces (it accepts any).
pub const API_KEY: &str = "hostile-api-key-0123456789";

/// One way of misbehaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum HostileMode {
    /// 302 Found to the catcher (RFC 9110 §15.4.3: clients may turn POST into GET).
    Redirect,
    /// 307 Temporary Redirect to the catcher (RFC 9110 §15.4.8: method and body are kept).
    Redirect307,
    /// A 200 answer of `huge_bytes`, streamed without a length.
    Huge,
    /// A 200 answer sent one byte per `drip_interval`.
    Drip,
    /// An HTML page where JSON was asked for.
    #[default]
    Html,
    /// JSON that breaks off in the middle.
    Badjson,
    /// Sub-user names with HTML/script and spreadsheet formulas.
    Xss,
    /// Sub-user names with terminal escape sequences and line breaks.
    Escape,
    /// A sub-user name longer than a table cell can hold.
    Long,
}

/// How the hostile panel misbehaves.
#[derive(Debug, Clone)]
pub struct HostileOptions {
    pub mode: HostileMode,
    /// Size of the `huge` answer.
    pub huge_bytes: u64,
    /// Pause between two bytes of the `drip` answer.
    pub drip_interval: Duration,
    /// Where redirects point (`http://127.0.0.1:PORT`); without it, to port 9 (discard).
    pub catcher_url: Option<String>,
}

impl Default for HostileOptions {
    fn default() -> Self {
        HostileOptions {
            mode: HostileMode::default(),
            huge_bytes: 512 << 20,
            drip_interval: Duration::from_secs(1),
            catcher_url: None,
        }
    }
}

pub fn app(opts: HostileOptions) -> SimApp {
    let router = axum::Router::new()
        .fallback(answer)
        .with_state(Arc::new(opts));
    SimApp {
        router,
        credentials: SimCredentials::ApiKey {
            api_key: API_KEY.to_owned(),
        },
    }
}

/// Every path gets the same misbehaviour.
async fn answer(State(opts): State<Arc<HostileOptions>>, request: Request) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let elsewhere = format!(
        "{}{target}",
        opts.catcher_url.as_deref().unwrap_or("http://127.0.0.1:9")
    );
    match opts.mode {
        HostileMode::Redirect => redirect(StatusCode::FOUND, &elsewhere),
        HostileMode::Redirect307 => redirect(StatusCode::TEMPORARY_REDIRECT, &elsewhere),
        HostileMode::Huge => json_stream(payload::huge(opts.huge_bytes)),
        HostileMode::Drip => json_stream(payload::drip(opts.drip_interval)),
        HostileMode::Html => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><html><body><form>Sign in</form></body></html>",
        )
            .into_response(),
        HostileMode::Badjson => json(r#"{"success":true,"message":"","result":{"items":[{"id":"#),
        HostileMode::Xss => json(&payload::listing(&payload::XSS_NAMES)),
        HostileMode::Escape => json(&payload::listing(&payload::ESCAPE_NAMES)),
        HostileMode::Long => json(&payload::listing(&[&"x".repeat(payload::LONG_NAME_CHARS)])),
    }
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [(header::LOCATION, to.to_owned())]).into_response()
}

fn json(body: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_owned(),
    )
        .into_response()
}

fn json_stream(body: Body) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Starts a hostile panel on a free 127.0.0.1 port, with a catcher on another for its
/// redirects to point at.
pub async fn start_local(opts: HostileOptions) -> std::io::Result<(crate::RunningSim, Catcher)> {
    start(opts, std::net::SocketAddr::from(([127, 0, 0, 1], 0))).await
}

/// [`start_local`] on a given address.
pub async fn start(
    mut opts: HostileOptions,
    addr: std::net::SocketAddr,
) -> std::io::Result<(crate::RunningSim, Catcher)> {
    let catcher = Catcher::start().await?;
    opts.catcher_url = Some(catcher.url());
    let sim_opts = crate::SimOptions::default();
    let stats = Arc::new(crate::SimStats::default());
    let sim = crate::serve(crate::SimKind::Hostile, app(opts), &sim_opts, stats, addr).await?;
    Ok((sim, catcher))
}
