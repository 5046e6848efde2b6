//! `/api/user*`: create, read, modify, delete, reset, revoke, usage, owner, from a template
//! (`app/routers/user.py`, `app/db/crud/user.py` at v5.2.1; steps 19–49, 55, 69, 94).

use axum::{
    body::Bytes,
    extract::{Path, State as AxState},
    http::{HeaderMap, StatusCode},
};
use serde_json::{json, Map, Value};

use super::{
    http::{
        authenticate, created, detail, invalid, invalid_all, no_content, not_found, object, ok,
        Caller, Reply, Sim,
    },
    state::{iso_z, State, Status, UserRec},
    user_json::{user_json, username_problem, UserFields},
};

/// The user `username` as `caller` may see it: another admin's user is 404 for an operator
/// (step 58).
pub fn visible(
    db: &State,
    caller: &Caller,
    username: &str,
) -> Result<i64, axum::response::Response> {
    db.user_by_name(username)
        .filter(|u| caller.sees(u))
        .map(|u| u.id)
        .ok_or_else(|| not_found("User"))
}

fn answer(db: &State, id: i64) -> Reply {
    let u = db.users.get(&id).ok_or_else(|| not_found("User"))?;
    ok(user_json(db, u, true))
}

/// Builds a new user from a checked create body (used by templates too).
pub fn insert_user(
    db: &mut State,
    caller: &Caller,
    body: &Map<String, Value>,
    fields: UserFields,
) -> Result<i64, axum::response::Response> {
    let username = body
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // A body without `group_ids` is accepted and the user gets none (step 29).
    let group_ids = fields.group_ids.unwrap_or_default();
    if group_ids.iter().any(|g| !db.groups.contains_key(g)) {
        return Err(not_found("Group"));
    }
    if db.user_by_name(&username).is_some() {
        return Err(detail(StatusCode::CONFLICT, "User already exists"));
    }
    let given = body
        .get("proxy_settings")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let proxy = db.proxy_settings(&given);
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    let int = |k: &str| body.get(k).and_then(Value::as_i64);
    let id = db.next("users");
    let now = db.now_micros();
    let status = fields.status.unwrap_or(Status::Active);
    let user = UserRec {
        id,
        username,
        proxy,
        expire: fields.expire.flatten(),
        data_limit: fields.data_limit,
        reset_strategy: text("data_limit_reset_strategy").unwrap_or_else(|| "no_reset".into()),
        note: text("note").filter(|n| !n.is_empty()),
        on_hold_expire_duration: fields
            .on_hold_expire_duration
            .filter(|_| status == Status::OnHold),
        on_hold_timeout: body
            .get("on_hold_timeout")
            .and_then(super::state::parse_moment),
        group_ids,
        auto_delete_in_days: int("auto_delete_in_days"),
        hwid_limit: int("hwid_limit"),
        next_plan: body.get("next_plan").filter(|v| v.is_object()).cloned(),
        // An expiry already past is kept and the user stays active until the review job
        // runs (step 30).
        status,
        used: 0,
        lifetime: 0,
        created: now,
        edited: None,
        online: None,
        admin_id: caller.admin_id,
        sub_revoked_secs: 0,
    };
    db.users.insert(id, user);
    Ok(id)
}

/// `POST /api/user` → 201 (steps 19–29).
pub async fn add_user(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let mut fields = UserFields::read(&body, &[Status::Active, Status::OnHold]);
    match body.get("username").and_then(Value::as_str) {
        None => {
            fields
                .errors
                .insert("username".into(), json!("Field required"));
        }
        Some(name) => {
            if let Some(problem) = username_problem(name) {
                fields.errors.insert("username".into(), json!(problem));
            }
        }
    }
    if !fields.errors.is_empty() {
        return Err(invalid_all(std::mem::take(&mut fields.errors)));
    }
    let mut db = sim.db();
    let id = insert_user(&mut db, &caller, &body, fields)?;
    let u = db.users.get(&id).ok_or_else(|| not_found("User"))?;
    created(user_json(&db, u, true))
}

/// `GET /api/user/{username}`.
pub async fn get_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let db = sim.db();
    answer(&db, visible(&db, &caller, &username)?)
}

/// `GET /api/user/by-id/{id}` (step 32).
pub async fn get_user_by_id(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id: i64 = id.parse().map_err(|_| {
        invalid(
            "user_id",
            "Input should be a valid integer, unable to parse string as an integer",
        )
    })?;
    let db = sim.db();
    match db.users.get(&id) {
        Some(u) if caller.sees(u) => answer(&db, id),
        _ => Err(not_found("User")),
    }
}

/// `PUT /api/user/{username}`: `modify_user` in `app/db/crud/user.py` at v5.2.1 (steps 42–45).
pub async fn modify_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: Bytes,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let fields = UserFields::read(&body, &[Status::Active, Status::Disabled, Status::OnHold]);
    if !fields.errors.is_empty() {
        return Err(invalid_all(fields.errors));
    }
    let mut db = sim.db();
    let id = visible(&db, &caller, &username)?;
    if fields
        .group_ids
        .iter()
        .flatten()
        .any(|g| !db.groups.contains_key(g))
    {
        return Err(not_found("Group"));
    }
    let proxy = body
        .get("proxy_settings")
        .and_then(Value::as_object)
        .cloned()
        .map(|given| db.proxy_settings(&given));
    let now = db.now_micros();
    let enabled = db.users.get(&id).map(|u| db.enabled_status(u));
    let Some(u) = db.users.get_mut(&id) else {
        return Err(not_found("User"));
    };
    if let Some(p) = proxy {
        u.proxy = p;
    }
    if let Some(g) = fields.group_ids {
        u.group_ids = g;
    }
    if let Some(s) = fields.status {
        u.status = match (s, u.status) {
            (Status::Active, Status::Disabled) => enabled.unwrap_or(Status::Active),
            (s, _) => s,
        };
    }
    match fields.expire {
        _ if fields.status == Some(Status::OnHold) => u.expire = None,
        Some(None) => {
            u.expire = None;
            if u.status == Status::Expired {
                u.status = Status::Active;
            }
        }
        Some(Some(e)) => {
            u.expire = Some(e);
            if matches!(u.status, Status::Active | Status::Expired) {
                u.status = if e > now {
                    Status::Active
                } else {
                    Status::Expired
                };
            }
        }
        None => {}
    }
    if let Some(l) = fields.data_limit {
        u.data_limit = (l != 0).then_some(l);
        if !matches!(u.status, Status::Expired | Status::Disabled) {
            if u.data_limit.is_none_or(|l| u.used < l) {
                if u.status != Status::OnHold {
                    u.status = Status::Active;
                }
            } else {
                u.status = Status::Limited;
            }
        }
    }
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    if let Some(n) = text("note") {
        u.note = (!n.is_empty()).then_some(n);
    }
    if let Some(s) = text("data_limit_reset_strategy") {
        u.reset_strategy = s;
    }
    if let Some(d) = fields.on_hold_expire_duration {
        u.on_hold_expire_duration = Some(d);
    }
    if let Some(h) = body.get("hwid_limit").and_then(Value::as_i64) {
        u.hwid_limit = Some(h);
    }
    // A modify without `next_plan` deletes the user's next plan (`modify_user`, the
    // `elif db_user.next_plan is not None` branch).
    u.next_plan = body.get("next_plan").filter(|v| v.is_object()).cloned();
    u.edited = Some(now);
    answer(&db, id)
}

/// `DELETE /api/user/{username}` → 204 (step 94).
pub async fn remove_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    let id = visible(&db, &caller, &username)?;
    db.users.remove(&id);
    no_content()
}

/// Used traffic back to 0; only a `limited` user becomes `active` (`reset_user_data_usage`,
/// `app/db/crud/user.py` at v5.2.1: a disabled user stays disabled).
pub fn reset(u: &mut UserRec) {
    u.used = 0;
    if u.status == Status::Limited {
        u.status = Status::Active;
    }
}

/// New credentials in every protocol (the cipher kept) and older subscription tokens
/// refused (steps 47, 48, 92).
pub fn revoke(db: &mut State, id: i64) {
    let now = db.now_secs();
    let method = db
        .users
        .get(&id)
        .map(|u| u.proxy["shadowsocks"]["method"].clone());
    let mut given = Map::new();
    given.insert("shadowsocks".into(), json!({"method": method}));
    let proxy = db.proxy_settings(&given);
    if let Some(u) = db.users.get_mut(&id) {
        u.proxy = proxy;
        u.sub_revoked_secs = now;
    }
}

/// `POST /api/user/{username}/reset` (step 46).
pub async fn reset_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    let id = visible(&db, &caller, &username)?;
    if let Some(u) = db.users.get_mut(&id) {
        reset(u);
    }
    answer(&db, id)
}

/// `POST /api/user/{username}/revoke_sub` (step 48).
pub async fn revoke_sub(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    let id = visible(&db, &caller, &username)?;
    revoke(&mut db, id);
    answer(&db, id)
}

/// `GET /api/user/{username}/usage`: the last 30 days by `period` (step 49). The simulator
/// keeps no per-period history, so `stats` is empty as for a user without traffic.
pub async fn user_usage(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    query: axum::extract::Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let db = sim.db();
    visible(&db, &caller, &username)?;
    let params = super::http::Params(query.0);
    let now = db.now_micros();
    ok(json!({
        "period": params.get("period").unwrap_or("hour"),
        "start": iso_z(now - 30 * 86_400_000_000 + 1),
        "end": iso_z(now + 9),
        "stats": {}
    }))
}

/// `PUT /api/user/{username}/set_owner?admin_username=` (step 55).
pub async fn set_owner(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    query: axum::extract::Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require("users.set_owner")?;
    let params = super::http::Params(query.0);
    let mut db = sim.db();
    let id = visible(&db, &caller, &username)?;
    let admin = params
        .get("admin_username")
        .and_then(|n| db.admin_by_name(n))
        .map(|a| a.id)
        .ok_or_else(|| not_found("Admin"))?;
    if let Some(u) = db.users.get_mut(&id) {
        u.admin_id = admin;
    }
    answer(&db, id)
}

/// `POST /api/user/from_template` → 201 (step 69): the template's limit, groups, status and
/// cipher, `expire` = now + its duration, the username between its prefix and suffix
/// (`load_base_user_args`, `_apply_template_username_affixes`, `app/operation/user.py`).
pub async fn from_template(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let mut db = sim.db();
    let template = body
        .get("user_template_id")
        .and_then(Value::as_i64)
        .and_then(|id| db.templates.get(&id))
        .cloned()
        .ok_or_else(|| not_found("User Template"))?;
    let name = body
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let affix = |k: &str| template[k].as_str().unwrap_or_default().to_owned();
    let username = format!(
        "{}{name}{}",
        affix("username_prefix"),
        affix("username_suffix")
    );
    let duration = template["expire_duration"].as_i64().filter(|d| *d > 0);
    let mut user = Map::new();
    user.insert("username".into(), json!(username));
    user.insert("group_ids".into(), template["group_ids"].clone());
    user.insert("data_limit".into(), template["data_limit"].clone());
    user.insert(
        "data_limit_reset_strategy".into(),
        template["data_limit_reset_strategy"].clone(),
    );
    user.insert("hwid_limit".into(), template["hwid_limit"].clone());
    user.insert(
        "note".into(),
        body.get("note").cloned().unwrap_or(Value::Null),
    );
    if let Some(method) = template["extra_settings"]["method"].as_str() {
        user.insert(
            "proxy_settings".into(),
            json!({"shadowsocks": {"method": method}}),
        );
    }
    let mut fields = UserFields::read(&user, &[Status::Active, Status::OnHold]);
    if template["status"] == "on_hold" {
        fields.status = Some(Status::OnHold);
        fields.on_hold_expire_duration = duration;
    } else {
        let now = db.now_micros();
        fields.expire = Some(duration.map(|d| now + d * 1_000_000));
    }
    let id = insert_user(&mut db, &caller, &user, fields)?;
    let u = db.users.get(&id).ok_or_else(|| not_found("User"))?;
    created(user_json(&db, u, true))
}
