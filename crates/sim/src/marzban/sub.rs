//! `/sub/{token}/…`: the public subscription routes. The format follows the User-Agent (or the
//! `{client_type}` segment); a revoked, garbage or orphaned token gets 204 with no body (0.4.9).

use axum::{
    extract::{Path, Query, State as AxState},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use base64::Engine as _;

use super::{
    common::{invalid_one, ok, verify_jwt, Params, Reply, Sim},
    links::{document, Format},
    state::State,
    time::{iso_micros, now_micros},
    users::{base_url, check_range, sub_key, usages_json, user_json},
};

/// The username a subscription token stands for, if it is still valid.
fn holder(db: &State, token: &str) -> Option<String> {
    let claims = verify_jwt(token, |claims| {
        let user = db.users.get(claims.get("sub")?.as_str()?)?;
        (claims.get("access")?.as_str()? == "subscription").then(|| sub_key(db, user.sub_revision))
    })?;
    claims.get("sub")?.as_str().map(str::to_owned)
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

fn serve(sim: &Sim, token: &str, headers: &HeaderMap, format: Option<Format>) -> Response {
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
    let Some(user) = db.users.get_mut(&name) else {
        return no_content();
    };
    user.sub_updated_at = Some(iso_micros(now_micros()));
    user.sub_last_user_agent = Some(ua.clone());
    let Some(user) = db.users.get(&name) else {
        return no_content();
    };
    let format = format.unwrap_or_else(|| Format::from_user_agent(&ua));
    let (body, content_type) = document(&db, user, format);
    let userinfo = format!(
        "upload=0; download={}; total={}; expire={}",
        user.used_traffic,
        user.data_limit.unwrap_or(0),
        user.expire.unwrap_or(0)
    );
    let title = base64::engine::general_purpose::STANDARD.encode(&user.username);
    let pairs = [
        (header::CONTENT_TYPE.as_str(), content_type.to_owned()),
        (
            header::CONTENT_DISPOSITION.as_str(),
            format!("attachment; filename=\"{}\"", user.username),
        ),
        ("profile-update-interval", "12".to_owned()),
        ("subscription-userinfo", userinfo),
        ("profile-title", format!("base64:{title}")),
        (
            "profile-web-page-url",
            format!("{}/sub/{token}/", base_url(headers)),
        ),
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
    Path(token): Path<String>,
) -> Response {
    serve(&sim, &token, &headers, None)
}

/// FastAPI redirects the slash-less form to the canonical one.
pub async fn subscription_redirect(Path(token): Path<String>) -> Response {
    Redirect::temporary(&format!("/sub/{token}/")).into_response()
}

pub async fn with_client_type(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path((token, client_type)): Path<(String, String)>,
) -> Response {
    match Format::from_client_type(&client_type) {
        Some(f) => serve(&sim, &token, &headers, Some(f)),
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
        .and_then(|n| db.users.get(&n))
        .ok_or_else(no_content)?;
    ok(user_json(&db, user, &base_url(&headers)))
}

pub async fn usage(
    AxState(sim): AxState<Sim>,
    Path(token): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    check_range(&Params(params))?;
    let db = sim.db();
    let user = holder(&db, &token)
        .and_then(|n| db.users.get(&n))
        .ok_or_else(no_content)?;
    ok(usages_json(&db, user))
}
