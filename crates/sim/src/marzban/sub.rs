//! `/sub/{token}/…`: the public subscription routes. The format follows the User-Agent (or the
//! `{client_type}` segment). As in 0.4.9, a revoked, garbage or orphaned token gets 204 with
//! no body (404 with no body on `/info`).

use axum::{
    extract::{OriginalUri, Path, Query, State as AxState},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};
use base64::Engine as _;

use super::{
    common::{invalid_one, ok, verify_jwt, Params, Reply, Sim},
    links::{document, Format},
    state::State,
    users::{base_url, check_range, sub_key, usages_json, user_json},
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

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
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
        return no_content();
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
        return no_content();
    };
    let format = format.unwrap_or_else(|| Format::from_user_agent(&ua));
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
    match Format::from_client_type(&client_type) {
        Some(f) => serve(&sim, &token, &headers, &uri.to_string(), Some(f)),
        None => invalid_one(
            "client_type",
            "string does not match regex \"sing-box|clash-meta|clash|outline|v2ray\"",
        ),
    }
}

pub async fn info(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Reply {
    let mut db = sim.db();
    db.review_all();
    let user = holder(&db, &token)
        .and_then(|n| db.user(&n))
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
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
        .ok_or_else(no_content)?;
    check_range(&Params(params))?;
    ok(usages_json(&db, user))
}
