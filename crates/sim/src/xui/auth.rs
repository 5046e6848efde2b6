//! Token and cookie-session auth, `/login` (5 failures per 5 minutes) and the CSRF token
//! that cookie sessions must send on every POST (login included).

use axum::{
    body::Bytes,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    lock,
    render::{envelope, failure},
    state::Session,
    Shared,
};
use crate::seed::{self, now_ms};

const COOKIE: &str = "3x-ui";
const LOGIN_WINDOW_MS: i64 = 5 * 60_000;
const LOGIN_MAX_FAILURES: usize = 5;

fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|part| {
            part.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_owned)
        })
        .next()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

fn csrf_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("X-CSRF-Token").and_then(|v| v.to_str().ok())
}

/// 3x-ui hides the API from strangers: 404, or 401 for XMLHttpRequest callers.
fn refuse(headers: &HeaderMap) -> Response {
    let xhr = headers
        .get("X-Requested-With")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"));
    if xhr {
        StatusCode::UNAUTHORIZED.into_response()
    } else {
        not_found()
    }
}

pub fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain")],
        "404 page not found",
    )
        .into_response()
}

fn csrf_refused() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(failure("CSRF token missing or invalid")),
    )
        .into_response()
}

fn out_of_scope() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(failure(
            "this API token's scope (monitor) does not allow this request",
        )),
    )
        .into_response()
}

/// Middleware on every `/panel/api` route. A wrong Bearer token falls back to the cookie.
pub async fn require_auth(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let verdict = {
        let state = lock(&shared);
        let token = bearer(headers);
        if token.is_some_and(|t| t == state.auth.token) {
            Ok(())
        } else if token.is_some_and(|t| t == state.auth.monitor_token) {
            if req.method() == Method::GET {
                Ok(())
            } else {
                Err(out_of_scope())
            }
        } else {
            match session_id(headers).and_then(|sid| state.sessions.get(&sid).cloned()) {
                Some(sess) if sess.authed => {
                    if req.method() != Method::GET && csrf_header(headers) != Some(&sess.csrf) {
                        Err(csrf_refused())
                    } else {
                        Ok(())
                    }
                }
                _ => Err(refuse(headers)),
            }
        }
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(resp) => resp,
    }
}

/// `GET /csrf-token`: the token of the caller's session, creating an anonymous session.
pub async fn csrf_token(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let mut state = lock(&shared);
    if let Some(sess) = session_id(&headers).and_then(|sid| state.sessions.get(&sid)) {
        return Json(envelope(json!(sess.csrf), "")).into_response();
    }
    let sid = seed::token(&mut state.rng, 32);
    let csrf = seed::token(&mut state.rng, 32);
    state.sessions.insert(
        sid.clone(),
        Session {
            csrf: csrf.clone(),
            authed: false,
        },
    );
    let cookie = format!("{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    let mut resp = Json(envelope(json!(csrf), "")).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    two_factor_code: String,
}

/// `POST /login`: JSON `{username, password, twoFactorCode}` with the session's CSRF token.
pub async fn login(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut state = lock(&shared);
    let Some(sid) = session_id(&headers) else {
        return csrf_refused();
    };
    match state.sessions.get(&sid) {
        Some(sess) if csrf_header(&headers) == Some(&sess.csrf) => {}
        _ => return csrf_refused(),
    }
    let now = now_ms();
    while state
        .login_failures
        .front()
        .is_some_and(|t| now - *t > LOGIN_WINDOW_MS)
    {
        state.login_failures.pop_front();
    }
    if state.login_failures.len() >= LOGIN_MAX_FAILURES {
        return Json(failure(
            "too many failed login attempts, try again in a few minutes",
        ))
        .into_response();
    }
    let form: LoginForm = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return Json(failure(&format!("invalid login request: {e}"))).into_response(),
    };
    let code_ok = match &state.auth.two_factor_code {
        Some(code) => form.two_factor_code.trim() == code,
        None => true,
    };
    if form.username != state.auth.username || form.password != state.auth.password || !code_ok {
        state.login_failures.push_back(now);
        return (
            StatusCode::BAD_REQUEST,
            Json(failure("Wrong username or password")),
        )
            .into_response();
    }
    if let Some(sess) = state.sessions.get_mut(&sid) {
        sess.authed = true;
    }
    Json(envelope(json!(null), "Logged in successfully")).into_response()
}

/// `POST /logout`.
pub async fn logout(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let mut state = lock(&shared);
    if let Some(sid) = session_id(&headers) {
        state.sessions.remove(&sid);
    }
    Json(envelope(json!(null), "")).into_response()
}

/// `POST /getTwoFactorEnable`.
pub async fn two_factor_enable(State(shared): State<Shared>) -> Response {
    let state = lock(&shared);
    Json(envelope(json!(state.auth.two_factor_code.is_some()), "")).into_response()
}
