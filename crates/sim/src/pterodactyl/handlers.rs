//! Routes of the simulated Pterodactyl client API.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Path, Query, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Map, Value};

use super::{
    catalog,
    ratelimit::Verdict,
    state::{Subuser, SubuserView},
    Sim,
};
use crate::clock::{iso8601, now_secs};

type Shared = State<Arc<Sim>>;

const NOT_FOUND: &str = "The requested resource could not be found on the server.";

pub fn error(status: StatusCode, code: &str, detail: &str) -> Response {
    let body = json!({ "errors": [{ "code": code, "status": status.as_u16().to_string(), "detail": detail }] });
    (status, Json(body)).into_response()
}

pub fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "NotFoundHttpException", NOT_FOUND)
}

/// One failed validation rule, Pterodactyl style.
struct Invalid {
    field: String,
    rule: &'static str,
    detail: String,
}

fn validation(errors: Vec<Invalid>) -> Response {
    let errors: Vec<Value> = errors
        .into_iter()
        .map(|e| {
            json!({
                "code": "ValidationException",
                "status": "422",
                "detail": e.detail,
                "meta": { "source_field": e.field, "rule": e.rule },
            })
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "errors": errors })),
    )
        .into_response()
}

/// Throttle first (like Laravel's `throttle` middleware), then the key.
pub async fn guard(State(sim): Shared, req: Request, next: Next) -> Response {
    let remaining = match sim.throttle.check() {
        Verdict::Reject { retry_after_secs } => {
            let mut resp = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequestsHttpException",
                "Too Many Attempts.",
            );
            let headers = resp.headers_mut();
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            headers.insert("x-ratelimit-limit", HeaderValue::from(sim.throttle.limit()));
            headers.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
            return resp;
        }
        Verdict::Serve { remaining } => remaining,
    };
    let expected = format!("Bearer {}", sim.token);
    let authorized = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected);
    let mut resp = if authorized {
        next.run(req).await
    } else {
        error(
            StatusCode::UNAUTHORIZED,
            "AuthenticationException",
            "Unauthenticated.",
        )
    };
    if sim.throttle.limit() > 0 {
        let headers = resp.headers_mut();
        headers.insert("x-ratelimit-limit", HeaderValue::from(sim.throttle.limit()));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    }
    resp
}

pub async fn account(State(sim): Shared) -> Response {
    Json(sim.lock().account_json()).into_response()
}

pub async fn permissions() -> Response {
    Json(catalog::system_permissions()).into_response()
}

/// `GET /api/client?page=&per_page=` (per_page default 50, at most 100).
pub async fn list_servers(
    State(sim): Shared,
    Query(q): Query<BTreeMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let number = |name: &str, default: u64| {
        q.get(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(default)
    };
    let per_page = number("per_page", 50).clamp(1, 100);
    let page = number("page", 1).max(1);
    let panel = sim.lock();
    let total = panel.servers.len() as u64;
    let skip = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
    let data: Vec<Value> = panel
        .servers
        .iter()
        .skip(skip)
        .take(per_page as usize)
        .map(|s| panel.server_json(s))
        .collect();
    let body = json!({
        "object": "list",
        "data": data,
        "meta": { "pagination": {
            "total": total,
            "count": data.len(),
            "per_page": per_page,
            "current_page": page,
            "total_pages": total.div_ceil(per_page).max(1),
            "links": page_links(&headers, &q, page, total.div_ceil(per_page).max(1)),
        }},
    });
    Json(body).into_response()
}

/// `previous` and `next` only where there is such a page (league/fractal's
/// `ArraySerializer::paginator`, which Pterodactyl's serializer extends); each a full URL to
/// the list with the request's query and the other page (Laravel's `LengthAwarePaginator::url`
/// after `appends($request->query())`, as Pterodactyl's client `ServerController` does).
fn page_links(
    headers: &axum::http::HeaderMap,
    query: &BTreeMap<String, String>,
    page: u64,
    last: u64,
) -> Value {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let url = |to: u64| {
        let mut q = query.clone();
        q.insert("page".into(), to.to_string());
        let pairs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("http://{host}/api/client?{}", pairs.join("&"))
    };
    let mut links = Map::new();
    if page > 1 {
        links.insert("previous".into(), Value::String(url(page - 1)));
    }
    if page < last {
        links.insert("next".into(), Value::String(url(page + 1)));
    }
    Value::Object(links)
}

/// `GET /api/client/servers/{server}`: one server, with what the caller may do on it
/// (Pterodactyl's client `ServerController::index`: `is_server_owner` and `user_permissions`,
/// `["*"]` for the owner).
pub async fn get_server(State(sim): Shared, Path(server): Path<String>) -> Response {
    let panel = sim.lock();
    let Some(i) = panel.server_index(&server) else {
        return not_found();
    };
    let mut body = panel.server_json(&panel.servers[i]);
    let owner = panel.servers[i].owner_id == panel.owner_id;
    body["meta"] = json!({
        "is_server_owner": owner,
        "user_permissions": if owner { json!(["*"]) } else { json!([]) },
    });
    Json(body).into_response()
}

pub async fn list_users(State(sim): Shared, Path(server): Path<String>) -> Response {
    let panel = sim.lock();
    let Some(i) = panel.server_index(&server) else {
        return not_found();
    };
    #[derive(serde::Serialize)]
    struct List<'a> {
        object: &'static str,
        data: Vec<Option<SubuserView<'a>>>,
    }
    let data: Vec<_> = panel.servers[i]
        .subusers
        .iter()
        .map(|s| panel.subuser_view(s))
        .collect();
    // A subuser with its permissions renders to under 1 KiB.
    let capacity = 64 + data.len() * 1024;
    crate::body::json_sized(
        &List {
            object: "list",
            data,
        },
        capacity,
    )
}

fn body_object(body: &Bytes) -> Map<String, Value> {
    // Laravel reads a body it cannot parse as empty input: the rules then report what is missing.
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

fn permissions_rule(obj: &Map<String, Value>, errors: &mut Vec<Invalid>) -> Vec<String> {
    match obj.get("permissions") {
        None | Some(Value::Null) => {
            errors.push(Invalid {
                field: "permissions".into(),
                rule: "required",
                detail: "The permissions field is required.".into(),
            });
            Vec::new()
        }
        Some(Value::Array(items)) => {
            let mut keys = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => keys.push(s.clone()),
                    _ => errors.push(Invalid {
                        field: format!("permissions.{i}"),
                        rule: "string",
                        detail: format!("The permissions.{i} must be a string."),
                    }),
                }
            }
            keys
        }
        Some(_) => {
            errors.push(Invalid {
                field: "permissions".into(),
                rule: "array",
                detail: "The permissions must be an array.".into(),
            });
            Vec::new()
        }
    }
}

fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

fn email_rule(obj: &Map<String, Value>, errors: &mut Vec<Invalid>) -> String {
    let invalid = |rule: &'static str, detail: &str| Invalid {
        field: "email".into(),
        rule,
        detail: detail.into(),
    };
    match obj.get("email") {
        None | Some(Value::Null) => {
            errors.push(invalid("required", "The email field is required."));
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.push(invalid("required", "The email field is required."));
        }
        Some(Value::String(s)) if s.chars().count() > 191 => errors.push(invalid(
            "between",
            "The email must be between 1 and 191 characters.",
        )),
        Some(Value::String(s)) if valid_email(s.trim()) => return s.trim().to_owned(),
        Some(_) => errors.push(invalid("email", "The email must be a valid email address.")),
    }
    String::new()
}

/// `POST /servers/{server}/users`.
pub async fn create_user(State(sim): Shared, Path(server): Path<String>, body: Bytes) -> Response {
    let obj = body_object(&body);
    let mut errors = Vec::new();
    let email = email_rule(&obj, &mut errors);
    let requested = permissions_rule(&obj, &mut errors);
    let mut panel = sim.lock();
    let Some(si) = panel.server_index(&server) else {
        return not_found();
    };
    if !errors.is_empty() {
        return validation(errors);
    }
    let now = iso8601(now_secs());
    let user_id = match panel.user_by_email(&email) {
        Some(user) if user.id == panel.servers[si].owner_id => {
            return error(
                StatusCode::BAD_REQUEST,
                "UserIsServerOwnerException",
                "You cannot add the server owner as a subuser for this server.",
            )
        }
        Some(user) => user.id,
        None => panel.add_user(&email, None, &now),
    };
    if panel.servers[si]
        .subusers
        .iter()
        .any(|s| s.user_id == user_id)
    {
        return error(
            StatusCode::BAD_REQUEST,
            "ServerSubuserExistsException",
            "A user with that email address is already assigned as a subuser for this server.",
        );
    }
    let sub = Subuser {
        user_id,
        permissions: catalog::clean(&requested),
        created_at: now,
    };
    let body = panel.subuser_json(&sub);
    panel.servers[si].subusers.push(sub);
    Json(body).into_response()
}

/// Index of the server and of its subuser whose *user* uuid is `user`.
fn find(panel: &super::state::Panel, server: &str, user: &str) -> Option<(usize, usize)> {
    let si = panel.server_index(server)?;
    let ui = panel.servers[si].subusers.iter().position(|s| {
        panel
            .user(s.user_id)
            .is_some_and(|u| u.uuid.eq_ignore_ascii_case(user))
    })?;
    Some((si, ui))
}

pub async fn get_user(
    State(sim): Shared,
    Path((server, user)): Path<(String, String)>,
) -> Response {
    let panel = sim.lock();
    match find(&panel, &server, &user) {
        Some((si, ui)) => Json(panel.subuser_json(&panel.servers[si].subusers[ui])).into_response(),
        None => not_found(),
    }
}

/// `POST /servers/{server}/users/{user}`: the list replaces the old one.
pub async fn update_user(
    State(sim): Shared,
    Path((server, user)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let obj = body_object(&body);
    let mut errors = Vec::new();
    let requested = permissions_rule(&obj, &mut errors);
    let mut panel = sim.lock();
    let Some((si, ui)) = find(&panel, &server, &user) else {
        return not_found();
    };
    if !errors.is_empty() {
        return validation(errors);
    }
    panel.servers[si].subusers[ui].permissions = catalog::clean(&requested);
    let body = panel.subuser_json(&panel.servers[si].subusers[ui]);
    Json(body).into_response()
}

pub async fn delete_user(
    State(sim): Shared,
    Path((server, user)): Path<(String, String)>,
) -> Response {
    let mut panel = sim.lock();
    let Some((si, ui)) = find(&panel, &server, &user) else {
        return not_found();
    };
    panel.servers[si].subusers.remove(ui);
    StatusCode::NO_CONTENT.into_response()
}
