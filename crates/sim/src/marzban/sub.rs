//! `/sub/{token}/…`: the public subscription routes. The format follows the User-Agent (or the
//! `{client_type}` segment). A revoked, garbage or orphaned token gets 204 with no body on
//! 0.4.9 (404 with no body on `/info`) and 404 `{"detail":"Not Found"}` on 0.8.4 (NOTES.md
//! "old subscription after `revoke_sub`"; `get_validated_sub` in app/dependencies.py at v0.8.4).

use axum::{
    extract::{OriginalUri, Path, Query, State as AxState},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use base64::Engine as _;

use super::{
    common::{detail, invalid_one, ok, verify_jwt, Params, Reply, Sim},
    links::{document, Format},
    state::State,
    usage::{check_range, internal_error, usages_json},
    user_view::{base_url, sub_key, user_json},
    PanelVersion,
};
use crate::clock::{iso_micros, now_micros};

/// The username a subscription token stands for, if it is still valid.
fn holder(db: &State, token: &str) -> Option<String> {
    let claims = verify_jwt(token, |claims| {
        let user = db.user(claims.get("sub")?.as_str()?)?;
        (claims.get("access")?.as_str()? == "subscription").then(|| sub_key(db, user))
    })?;
    claims.get("sub")?.as_str().map(str::to_owned)
}

/// The answer to a token that stands for no one (any more).
fn dead(version: PanelVersion) -> Response {
    if version.is_0_8() {
        detail(StatusCode::NOT_FOUND, "Not Found")
    } else {
        StatusCode::NO_CONTENT.into_response()
    }
}

/// Builds the document; the plain route (`by_agent`) also records the fetch and answers
/// browsers (`Accept: text/html`) with a page.
fn serve(
    sim: &Sim,
    token: &str,
    headers: &HeaderMap,
    url: &str,
    format: Option<Format>,
) -> Response {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut db = sim.db();
    db.review_all();
    let Some(name) = holder(&db, token) else {
        return dead(db.version);
    };
    let by_agent = format.is_none();
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if by_agent && wants_html {
        return Html(format!(
            "<!doctype html><html><body><h1>{name}</h1></body></html>"
        ))
        .into_response();
    }
    if by_agent {
        if let Some(user) = db.user_mut(&name) {
            user.sub_updated_at = Some(iso_micros(now_micros()));
            user.sub_last_user_agent = Some(ua.clone());
        }
    }
    let Some(user) = db.user(&name) else {
        return dead(db.version);
    };
    let format = format.unwrap_or_else(|| Format::from_user_agent(db.version, &ua));
    let (body, content_type) = document(&db, user, format);
    // Unset values (unlimited, never) are left out of the header.
    let mut userinfo = format!("upload=0; download={}", user.used_traffic);
    if let Some(total) = user.data_limit {
        userinfo.push_str(&format!("; total={total}"));
    }
    if let Some(expire) = user.expire {
        userinfo.push_str(&format!("; expire={expire}"));
    }
    let title = base64::engine::general_purpose::STANDARD.encode("Subscription");
    let pairs = [
        (header::CONTENT_TYPE.as_str(), content_type.to_owned()),
        (
            header::CONTENT_DISPOSITION.as_str(),
            format!("attachment; filename=\"{}\"", user.username),
        ),
        (
            "profile-web-page-url",
            format!("{}{url}", base_url(headers)),
        ),
        ("support-url", String::new()),
        ("profile-title", format!("base64:{title}")),
        ("profile-update-interval", "12".to_owned()),
        ("subscription-userinfo", userinfo),
    ];
    let mut response = body.into_response();
    for (k, v) in pairs {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k), HeaderValue::try_from(v)) {
            response.headers_mut().insert(k, v);
        }
    }
    response
}

pub async fn subscription(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path(token): Path<String>,
) -> Response {
    serve(&sim, &token, &headers, &uri.to_string(), None)
}

/// FastAPI redirects the slash-less form to the canonical one.
pub async fn subscription_redirect(Path(token): Path<String>) -> Response {
    Redirect::temporary(&format!("/sub/{token}/")).into_response()
}

pub async fn with_client_type(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Path((token, client_type)): Path<(String, String)>,
) -> Response {
    let version = sim.db().version;
    match client_format(version, &client_type) {
        Ok(f) => serve(&sim, &token, &headers, &uri.to_string(), Some(f)),
        Err(answer) => answer,
    }
}

/// The `{client_type}` segment, checked as the version does. The path pattern lets through
/// names that contain a known type (0.4.9's pydantic v1 matches it from the start, 0.8.4's
/// pydantic v2 anywhere); the handler then compares exactly: 0.4.9 answers 400 "Invalid
/// subscription type" (app/views/subscription.py at v0.4.9), 0.8.4 looks the name up in
/// `client_config` and fails on `None` with a bare 500 (app/routers/subscription.py at v0.8.4).
/// A name outside the pattern gets 422 (recorded step 37 of each transcript).
fn client_format(version: PanelVersion, client_type: &str) -> Result<Format, Response> {
    let types: &[&str] = if version.is_0_8() {
        &[
            "sing-box",
            "clash-meta",
            "clash",
            "outline",
            "v2ray",
            "v2ray-json",
        ]
    } else {
        &["sing-box", "clash-meta", "clash", "outline", "v2ray"]
    };
    let pattern = types.join("|");
    let in_pattern = types.iter().any(|t| {
        if version.is_0_8() {
            client_type.contains(t)
        } else {
            client_type.starts_with(t)
        }
    });
    if !in_pattern {
        let message = if version.is_0_8() {
            format!("String should match pattern '{pattern}'")
        } else {
            format!("string does not match regex \"{pattern}\"")
        };
        return Err(invalid_one("client_type", &message));
    }
    match Format::from_client_type(client_type) {
        Some(f) => Ok(f),
        None if version.is_0_8() => Err(internal_error()),
        None => Err(detail(StatusCode::BAD_REQUEST, "Invalid subscription type")),
    }
}

pub async fn info(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Reply {
    let mut db = sim.db();
    db.review_all();
    let user = holder(&db, &token).and_then(|n| db.user(&n));
    let user = user.ok_or_else(|| {
        if db.version.is_0_8() {
            dead(db.version)
        } else {
            StatusCode::NOT_FOUND.into_response()
        }
    })?;
    ok(user_json(&db, user, &base_url(&headers)))
}

pub async fn usage(
    AxState(sim): AxState<Sim>,
    Path(token): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let db = sim.db();
    let user = holder(&db, &token)
        .and_then(|n| db.user(&n))
        .ok_or_else(|| dead(db.version))?;
    check_range(db.version, &Params(params))?;
    ok(usages_json(&db, user))
}
