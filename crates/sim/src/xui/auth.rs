//! Cookie sessions, `/login`, CSRF and API tokens as 3x-ui has them, version by version
//! (facts §2: `HEAD:internal/web/controller/{index,api}.go`, `…/middleware/security.go`,
//! `…/session/csrf.go`, `…/controller/login_limiter.go`).

use std::collections::HashMap;

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

use super::{lock, render::envelope, state::Session, Shared};
use crate::seed::{self, now_ms};

/// The session cookie's name in every version (facts §2.2).
const COOKIE: &str = "3x-ui";
/// 5 failures per (IP, username) within 5 minutes block that pair for 15 (facts §2.2, v3.0.0+).
const LOGIN_WINDOW_MS: i64 = 5 * 60_000;
const LOGIN_BLOCK_MS: i64 = 15 * 60_000;
const LOGIN_MAX_FAILURES: usize = 5;
/// The answer to a wrong user, password or 2FA code, and to a blocked login (facts §2.2).
const WRONG_CREDENTIALS: &str = "Invalid username or password or two-factor code.";

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

fn is_xhr(headers: &HeaderMap) -> bool {
    headers
        .get("X-Requested-With")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"))
}

/// An unknown route, and an API call without valid credentials: 404 with an EMPTY body
/// (facts §2.6, §3.3).
pub fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// Missing or wrong `X-CSRF-Token` on a cookie session's unsafe request: 403, empty body
/// (facts §2.3, v3.0.0+).
fn csrf_refused() -> Response {
    StatusCode::FORBIDDEN.into_response()
}

/// A HEAD token outside its scope: 403 `{success:false,msg}` without `obj` (facts §2.5).
fn out_of_scope() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({
            "success": false,
            "msg": "this API token is not permitted to access this endpoint",
        })),
    )
        .into_response()
}

/// What a `monitor` token may reach: GET/HEAD on these server routes only (facts §2.5).
fn monitor_allows(method: &Method, path: &str) -> bool {
    const SERVER: [&str; 4] = [
        "/panel/api/server/status",
        "/panel/api/server/getXrayVersion",
        "/panel/api/server/getPanelUpdateInfo",
        "/panel/api/server/xrayObservatory",
    ];
    (method == Method::GET || method == Method::HEAD) && SERVER.contains(&path)
}

/// Middleware on every `/panel/api` route. A token that does not match falls back to the
/// cookie check (facts §2.4); v2.x has no tokens at all.
pub async fn require_auth(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let verdict = {
        let state = lock(&shared);
        let version = state.version;
        let token = bearer(headers).filter(|_| version.has_tokens_and_csrf());
        if token.is_some_and(|t| t == state.auth.token) {
            Ok(())
        } else if version.head() && token.is_some_and(|t| t == state.auth.monitor_token) {
            if monitor_allows(req.method(), req.uri().path()) {
                Ok(())
            } else {
                Err(out_of_scope())
            }
        } else {
            match session_id(headers).and_then(|sid| state.sessions.get(&sid).cloned()) {
                Some(sess) if sess.authed => {
                    let safe = matches!(*req.method(), Method::GET | Method::HEAD);
                    if version.has_tokens_and_csrf()
                        && !safe
                        && csrf_header(headers) != Some(&sess.csrf)
                    {
                        Err(csrf_refused())
                    } else {
                        Ok(())
                    }
                }
                _ if version.xhr_gets_401() && is_xhr(headers) => {
                    Err(StatusCode::UNAUTHORIZED.into_response())
                }
                _ => Err(not_found()),
            }
        }
    };
    match verdict {
        Ok(()) => {
            lock(&shared).grow();
            next.run(req).await
        }
        Err(resp) => resp,
    }
}

fn set_cookie(resp: &mut Response, sid: &str) {
    let cookie = format!("{COOKIE}={sid}; Path=/; Max-Age=21600; HttpOnly; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
}

/// The caller's session, or a new anonymous one (its id is then returned to be set).
fn session_of(state: &mut super::state::State, headers: &HeaderMap) -> (String, bool) {
    if let Some(sid) = session_id(headers).filter(|sid| state.sessions.contains_key(sid)) {
        return (sid, false);
    }
    let sid = seed::token(&mut state.rng, 32);
    let csrf = seed::token(&mut state.rng, 43);
    state.sessions.insert(
        sid.clone(),
        Session {
            csrf,
            authed: false,
        },
    );
    (sid, true)
}

/// `GET /csrf-token` (v3.0.0+): `{"success":true,"obj":"<token>"}` — no `msg` key — and a
/// session cookie when the caller had none (facts §2.3).
pub async fn csrf_token(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let mut state = lock(&shared);
    let (sid, fresh) = session_of(&mut state, &headers);
    let csrf = state.sessions.get(&sid).map(|s| s.csrf.clone());
    let mut resp = Json(json!({ "success": true, "obj": csrf })).into_response();
    if fresh {
        set_cookie(&mut resp, &sid);
    }
    resp
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    two_factor_code: String,
}

/// Binding by `Content-Type`: JSON only with `application/json`; anything else is read as a
/// form, so JSON sent without the header finds no username (facts §2.2, `ShouldBind`).
fn login_form(headers: &HeaderMap, body: &Bytes) -> LoginForm {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        return serde_json::from_slice(body).unwrap_or_default();
    }
    let mut form = LoginForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "username" => form.username = value.into_owned(),
            "password" => form.password = value.into_owned(),
            "twoFactorCode" => form.two_factor_code = value.into_owned(),
            _ => {}
        }
    }
    form
}

fn login_failure(msg: &str) -> Response {
    Json(json!({ "success": false, "msg": msg, "obj": null })).into_response()
}

/// Forgets failures older than the window; true while `user` is blocked.
fn blocked(failures: &mut HashMap<String, Vec<i64>>, user: &str, now: i64) -> bool {
    let list = failures.entry(user.to_owned()).or_default();
    list.retain(|t| now - *t <= LOGIN_WINDOW_MS + LOGIN_BLOCK_MS);
    let recent = list.iter().filter(|t| now - **t <= LOGIN_WINDOW_MS).count();
    let last = list.last().copied().unwrap_or(0);
    recent >= LOGIN_MAX_FAILURES
        || (list.len() >= LOGIN_MAX_FAILURES && now - last < LOGIN_BLOCK_MS)
}

/// `POST /login`: form or JSON `{username, password, twoFactorCode}`; HTTP 200 either way;
/// from v3.0.0 the session's CSRF token is required (facts §2.2, §2.3).
pub async fn login(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut state = lock(&shared);
    let version = state.version;
    let sid = if version.has_tokens_and_csrf() {
        match session_id(&headers).and_then(|sid| state.sessions.get(&sid).map(|s| (sid, s))) {
            Some((sid, sess)) if csrf_header(&headers) == Some(&sess.csrf) => sid,
            _ => return csrf_refused(),
        }
    } else {
        session_of(&mut state, &headers).0
    };
    let form = login_form(&headers, &body);
    if form.username.is_empty() {
        return login_failure("Username is required");
    }
    if form.password.is_empty() {
        return login_failure("Password is required");
    }
    let now = now_ms();
    if version.limits_logins() && blocked(&mut state.login_failures, &form.username, now) {
        return login_failure(WRONG_CREDENTIALS);
    }
    let code_ok = match &state.auth.two_factor_code {
        Some(code) => form.two_factor_code.trim() == code,
        None => true,
    };
    if form.username != state.auth.username || form.password != state.auth.password || !code_ok {
        state
            .login_failures
            .entry(form.username)
            .or_default()
            .push(now);
        return login_failure(WRONG_CREDENTIALS);
    }
    state.login_failures.remove(&form.username);
    // The gorilla store re-issues the cookie after login (facts §2.2).
    let new_sid = seed::token(&mut state.rng, 32);
    let csrf = match state.sessions.remove(&sid) {
        Some(s) => s.csrf,
        None => seed::token(&mut state.rng, 43),
    };
    state
        .sessions
        .insert(new_sid.clone(), Session { csrf, authed: true });
    let mut resp = Json(envelope(
        json!(null),
        "You have successfully logged into your account.",
    ))
    .into_response();
    set_cookie(&mut resp, &new_sid);
    resp
}

/// `GET /logout` (v2.x–v3.0.1): 307 to the login page. `POST /logout` (v3.0.2+, CSRF):
/// `{"success":true}` (facts §2.2).
pub async fn logout(State(shared): State<Shared>, method: Method, headers: HeaderMap) -> Response {
    let mut state = lock(&shared);
    let sid = session_id(&headers);
    if method == Method::POST {
        let ok = sid
            .as_ref()
            .and_then(|sid| state.sessions.get(sid))
            .is_some_and(|s| csrf_header(&headers) == Some(&s.csrf));
        if !ok {
            return csrf_refused();
        }
    }
    if let Some(sid) = sid {
        state.sessions.remove(&sid);
    }
    if method == Method::POST {
        Json(json!({ "success": true })).into_response()
    } else {
        (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, "/")]).into_response()
    }
}

/// `POST /getTwoFactorEnable` (CSRF from v3.0.0).
pub async fn two_factor_enable(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let state = lock(&shared);
    if state.version.has_tokens_and_csrf() {
        let ok = session_id(&headers)
            .and_then(|sid| state.sessions.get(&sid))
            .is_some_and(|s| csrf_header(&headers) == Some(&s.csrf));
        if !ok {
            return csrf_refused();
        }
    }
    Json(envelope(json!(state.auth.two_factor_code.is_some()), "")).into_response()
}
