//! Routes of the simulated user-pass provider: `get-list`, `create`, `update`, `delete`.

use std::{cmp::Ordering, collections::BTreeMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Query, State as AxState},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::state::{KeyPlacement, State, SubUser, Subs};
use crate::clock::{iso8601, now_secs};

type Shared = AxState<Arc<State>>;
type Params = Query<BTreeMap<String, String>>;

const DEFAULT_LIMIT: u64 = 30;
const MAX_LIMIT: u64 = 100;
const SORT_FIELDS: &[&str] = &[
    "id",
    "user_name",
    "status",
    "created_at",
    "use_key",
    "usage_cap",
    "data_used",
    "ip_usage_cap",
    "ip_used",
];

fn envelope(status: StatusCode, success: bool, message: &str, result: Value) -> Response {
    (
        status,
        Json(json!({ "success": success, "message": message, "result": result })),
    )
        .into_response()
}

fn fail(status: StatusCode, message: impl AsRef<str>) -> Response {
    envelope(status, false, message.as_ref(), Value::Null)
}

fn invalid(message: impl AsRef<str>) -> Response {
    fail(StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// The key from the `api-key` header and/or query parameter, as this simulator is set up.
fn authorized(state: &State, headers: &HeaderMap, query: &BTreeMap<String, String>) -> bool {
    let header = headers.get("api-key").and_then(|v| v.to_str().ok());
    let param = query.get("api-key").map(String::as_str);
    let key = Some(state.api_key.as_str());
    match state.placement {
        KeyPlacement::Either => header == key || param == key,
        KeyPlacement::HeaderOnly => header == key,
        KeyPlacement::QueryOnly => param == key,
    }
}

fn unauthorized() -> Response {
    fail(StatusCode::UNAUTHORIZED, "Unauthenticated.")
}

fn to_json(sub: &SubUser) -> Value {
    serde_json::to_value(sub).unwrap_or(Value::Null)
}

pub async fn get_list(AxState(state): Shared, headers: HeaderMap, Query(q): Params) -> Response {
    if !authorized(&state, &headers, &q) {
        return unauthorized();
    }
    let number = |name: &str, default: u64| -> Result<u64, Reject> {
        match q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| Reject::from(format!("The {name} must be an integer."))),
        }
    };
    let (limit, page) = match (number("limit", DEFAULT_LIMIT), number("page", 1)) {
        (Ok(l), Ok(p)) => (l.clamp(1, MAX_LIMIT), p.max(1)),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let sort_by = q.get("sort_by").map_or("id", String::as_str);
    if !SORT_FIELDS.contains(&sort_by) {
        return invalid("The selected sort by is invalid.");
    }
    let descending = match q.get("order_by").map_or("desc", String::as_str) {
        "desc" => true,
        "asc" => false,
        _ => return invalid("The selected order by is invalid."),
    };
    let keyword = q
        .get("keyword")
        .map(|k| k.to_lowercase())
        .unwrap_or_default();
    let subs = lock(&state);
    let skip = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let (total, items): (usize, Vec<&SubUser>) = if keyword.is_empty() && sort_by == "id" {
        // A sync reads hundreds of pages: each is found by position, not by a walk.
        (subs.by_id.len(), subs.page_by_id(descending, skip, take))
    } else {
        let mut items: Vec<&SubUser> = subs
            .by_id
            .values()
            .filter(|s| s.user_name.to_lowercase().contains(&keyword))
            .collect();
        items.sort_by(|a, b| compare(a, b, sort_by).then(a.id.cmp(&b.id)));
        if descending {
            items.reverse();
        }
        let total = items.len();
        (total, items.into_iter().skip(skip).take(take).collect())
    };
    let total = total as u64;
    // Typed, in the reference's field order: a sync renders hundreds of these pages.
    #[derive(Serialize)]
    struct Page<'a> {
        items: Vec<&'a SubUser>,
        total_items: u64,
        total_pages: u64,
    }
    #[derive(Serialize)]
    struct Answer<'a> {
        success: bool,
        message: &'a str,
        result: Page<'a>,
    }
    let answer = Answer {
        success: true,
        message: "Success",
        result: Page {
            items,
            total_items: total,
            total_pages: total.div_ceil(limit).max(1),
        },
    };
    // A sub-user renders to under 300 bytes.
    crate::body::json_sized(&answer, 512 + answer.result.items.len() * 320)
}

fn compare(a: &SubUser, b: &SubUser, field: &str) -> Ordering {
    match field {
        "user_name" => a.user_name.cmp(&b.user_name),
        "status" => a.status.cmp(&b.status),
        "created_at" => a.created_at.cmp(&b.created_at),
        "use_key" => a.use_key.cmp(&b.use_key),
        "usage_cap" => a.usage_cap.cmp(&b.usage_cap),
        "data_used" => a.data_used.cmp(&b.data_used),
        "ip_usage_cap" => a.ip_usage_cap.cmp(&b.ip_usage_cap),
        "ip_used" => a.ip_used.cmp(&b.ip_used),
        _ => a.id.cmp(&b.id),
    }
}

fn lock(state: &State) -> std::sync::MutexGuard<'_, Subs> {
    state.subs.lock().unwrap_or_else(|e| e.into_inner())
}

/// A failed validation: its message, answered as 422 with the envelope.
struct Reject(String);

impl<S: Into<String>> From<S> for Reject {
    fn from(message: S) -> Self {
        Reject(message.into())
    }
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        invalid(self.0)
    }
}

/// The JSON object body, or the provider-style error.
fn object(body: &Bytes) -> Result<Map<String, Value>, Reject> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Reject::from("The request body must be a JSON object.")),
    }
}

fn string(obj: &Map<String, Value>, name: &str, required: bool) -> Result<Option<String>, Reject> {
    match obj.get(name) {
        None | Some(Value::Null) if required => {
            Err(Reject::from(format!("The {name} field is required.")))
        }
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if required && s.trim().is_empty() => {
            Err(Reject::from(format!("The {name} field is required.")))
        }
        Some(Value::String(s)) if s.chars().count() > 255 => Err(Reject::from(format!(
            "The {name} may not be greater than 255 characters."
        ))),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Reject::from(format!("The {name} must be a string."))),
    }
}

/// Laravel's `integer` rule: a JSON integer or a string holding one.
fn integer(obj: &Map<String, Value>, name: &str, required: bool) -> Result<Option<i64>, Reject> {
    let value = match obj.get(name) {
        None | Some(Value::Null) if required => {
            return Err(Reject::from(format!("The {name} field is required.")))
        }
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    value
        .map(Some)
        .ok_or_else(|| Reject::from(format!("The {name} must be an integer.")))
}

fn status(obj: &Map<String, Value>) -> Result<u8, Reject> {
    match integer(obj, "status", true)? {
        Some(1) => Ok(1),
        Some(2) => Ok(2),
        _ => Err(Reject::from("The selected status is invalid.")),
    }
}

fn cap(obj: &Map<String, Value>, name: &str) -> Result<Option<i64>, Reject> {
    match integer(obj, name, false)? {
        Some(c) if c < -1 => Err(Reject::from(format!("The {name} must be at least -1."))),
        other => Ok(other),
    }
}

pub async fn create(
    AxState(state): Shared,
    headers: HeaderMap,
    Query(q): Params,
    body: Bytes,
) -> Response {
    if !authorized(&state, &headers, &q) {
        return unauthorized();
    }
    let parsed = (|| {
        let obj = object(&body)?;
        let user_name = string(&obj, "user_name", true)?.unwrap_or_default();
        let use_key = string(&obj, "use_key", true)?.unwrap_or_default();
        let status = status(&obj)?;
        let note = string(&obj, "note", false)?;
        let usage_cap = cap(&obj, "usage_cap")?.unwrap_or(-1);
        let ip_usage_cap = cap(&obj, "ip_usage_cap")?.unwrap_or(-1);
        Ok::<_, Reject>((user_name, use_key, status, note, usage_cap, ip_usage_cap))
    })();
    let (user_name, use_key, status, note, usage_cap, ip_usage_cap) = match parsed {
        Ok(p) => p,
        Err(reject) => return reject.into_response(),
    };
    let mut subs = lock(&state);
    if subs.name_taken(&user_name, None) {
        return invalid("The user name has already been taken.");
    }
    let id = subs.next_id;
    subs.next_id += 1;
    let now = iso8601(now_secs());
    let sub = SubUser {
        id,
        user_name,
        use_key,
        status,
        note,
        usage_cap,
        ip_usage_cap,
        data_used: 0,
        ip_used: 0,
        created_at: now.clone(),
        updated_at: now,
    };
    let result = to_json(&sub);
    subs.insert(sub);
    envelope(
        StatusCode::OK,
        true,
        "Sub-user created successfully.",
        result,
    )
}

/// Omitted `user_name`, `note` and caps keep their value; -1 sets a cap to unlimited.
pub async fn update(
    AxState(state): Shared,
    headers: HeaderMap,
    Query(q): Params,
    body: Bytes,
) -> Response {
    if !authorized(&state, &headers, &q) {
        return unauthorized();
    }
    let parsed = (|| {
        let obj = object(&body)?;
        let id = integer(&obj, "id", true)?.unwrap_or_default();
        let user_name = string(&obj, "user_name", false)?;
        let use_key = string(&obj, "use_key", true)?.unwrap_or_default();
        let status = status(&obj)?;
        let note = string(&obj, "note", false)?;
        let usage_cap = cap(&obj, "usage_cap")?;
        let ip_usage_cap = cap(&obj, "ip_usage_cap")?;
        Ok::<_, Reject>((
            id,
            user_name,
            use_key,
            status,
            note,
            usage_cap,
            ip_usage_cap,
        ))
    })();
    let (id, user_name, use_key, status, note, usage_cap, ip_usage_cap) = match parsed {
        Ok(p) => p,
        Err(reject) => return reject.into_response(),
    };
    let id = u64::try_from(id).unwrap_or(0);
    let mut subs = lock(&state);
    if !subs.by_id.contains_key(&id) {
        return fail(StatusCode::NOT_FOUND, "Sub-user not found.");
    }
    if let Some(name) = &user_name {
        if name.trim().is_empty() {
            return invalid("The user_name field is required.");
        }
        if subs.name_taken(name, Some(id)) {
            return invalid("The user name has already been taken.");
        }
    }
    let Some(sub) = subs.by_id.get_mut(&id) else {
        return fail(StatusCode::NOT_FOUND, "Sub-user not found.");
    };
    if let Some(name) = user_name {
        sub.user_name = name;
    }
    sub.use_key = use_key;
    sub.status = status;
    if let Some(note) = note {
        sub.note = Some(note).filter(|n| !n.is_empty());
    }
    if let Some(c) = usage_cap {
        sub.usage_cap = c;
    }
    if let Some(c) = ip_usage_cap {
        sub.ip_usage_cap = c;
    }
    sub.updated_at = iso8601(now_secs());
    let result = to_json(sub);
    envelope(
        StatusCode::OK,
        true,
        "Sub-user updated successfully.",
        result,
    )
}

pub async fn delete(
    AxState(state): Shared,
    headers: HeaderMap,
    Query(q): Params,
    body: Bytes,
) -> Response {
    if !authorized(&state, &headers, &q) {
        return unauthorized();
    }
    let id = match object(&body).and_then(|obj| integer(&obj, "id", true)) {
        Ok(id) => id.and_then(|i| u64::try_from(i).ok()).unwrap_or(0),
        Err(reject) => return reject.into_response(),
    };
    let mut subs = lock(&state);
    match subs.remove(id) {
        Some(_) => envelope(
            StatusCode::OK,
            true,
            "Sub-user deleted successfully.",
            Value::Null,
        ),
        None => fail(StatusCode::NOT_FOUND, "Sub-user not found."),
    }
}
