//! Traffic and expiry across users: `/api/user/{username}/usage`, `/api/users/reset`,
//! `/api/users/expired`. The rules are Marzban 0.4.9's unless a version is named.

use axum::{
    extract::{Path, Query, State as AxState},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Map, Value};

use super::{
    common::{authenticate, detail, invalid, not_found, ok, Caller, Params, Reply, Sim},
    datetime::parse_datetime,
    state::{State, Status, UserRec},
    PanelVersion,
};
use crate::clock::now_secs;

/// `{username, usages: [{node_id, node_name, used_traffic}]}`: the master, then every node.
pub fn usages_json(db: &State, user: &UserRec) -> Value {
    let mut usages = vec![json!({"node_id": null, "node_name": "Master",
        "used_traffic": user.node_usage.get(&None).copied().unwrap_or(0)})];
    for node in db.nodes.values() {
        usages.push(json!({"node_id": node.id, "node_name": node.name,
            "used_traffic": user.node_usage.get(&Some(node.id)).copied().unwrap_or(0)}));
    }
    json!({"username": user.username, "usages": usages})
}

/// Checks `start`/`end` as the version does. 0.4.9 reads a parameter that is present (even
/// empty) with `datetime.fromisoformat` and fails with a bare 500 on a bad one
/// (`get_user_usage` in app/views/user.py at v0.4.9). 0.8.4's `validate_dates` treats an empty
/// one as absent (the last 30 days until now) and answers 400 for a bad one or an end before
/// the start (app/dependencies.py at v0.8.4).
pub fn check_range(version: PanelVersion, params: &Params) -> Result<(), Response> {
    let mut bounds = [None, None];
    for (i, key) in ["start", "end"].into_iter().enumerate() {
        let Some(v) = params.get(key) else { continue };
        if version.is_0_8() && v.is_empty() {
            continue;
        }
        match parse_datetime(v) {
            Some(t) => bounds[i] = Some(t),
            None if version.is_0_8() => {
                return Err(detail(
                    StatusCode::BAD_REQUEST,
                    "Invalid date range or format",
                ))
            }
            None => return Err(internal_error()),
        }
    }
    if let [Some(start), Some(end)] = bounds {
        if version.is_0_8() && end < start {
            return Err(detail(
                StatusCode::BAD_REQUEST,
                "Start date must be before end date",
            ));
        }
    }
    Ok(())
}

/// An exception the server did not catch: Starlette's plain-text 500.
pub fn internal_error() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
}

pub async fn user_usage(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    // 0.4.9 checks no ownership here: any admin reads any user's usage.
    authenticate(&sim, &headers)?;
    let version = sim.db().version;
    check_range(version, &Params(params))?;
    let db = sim.db();
    let user = db.user(&username).ok_or_else(|| not_found("User"))?;
    ok(usages_json(&db, user))
}

pub async fn reset_users(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    // 0.4.9 passes the calling admin as a filter: only that admin's users are reset, and their
    // reset logs are cleared (lifetime traffic starts over too).
    for u in db
        .users_mut()
        .filter(|u| u.admin.as_deref() == Some(caller.username.as_str()))
    {
        u.reset_traffic = 0;
        u.used_traffic = 0;
        u.node_usage.clear();
        if !matches!(
            u.status,
            Status::OnHold | Status::Expired | Status::Disabled
        ) {
            u.status = Status::Active;
        }
    }
    ok(json!({}))
}

/// 0.4.9's rule: users that are `expired` or `limited`; with a bound given, only those whose
/// `expire` has passed and lies within the bounds (without bounds, all of them).
fn expired_users(sim: &Sim, caller: &Caller, params: &Params) -> Result<Vec<String>, Response> {
    let mut errors = Map::new();
    let mut bound = |key: &str| {
        params.get(key).and_then(|v| {
            let parsed = parse_datetime(v);
            if parsed.is_none() {
                errors.insert(key.into(), json!("invalid datetime format"));
            }
            parsed
        })
    };
    let after = bound("expired_after");
    let before = bound("expired_before");
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let now = now_secs();
    let in_range = |u: &UserRec| {
        if after.is_none() && before.is_none() {
            return true;
        }
        u.expire.is_some_and(|e| {
            e <= now && before.is_none_or(|b| e <= b) && after.is_none_or(|a| e >= a)
        })
    };
    let mut db = sim.db();
    db.review_all();
    Ok(db
        .users
        .values()
        .filter(|u| caller.may_touch(u.admin.as_deref()))
        .filter(|u| matches!(u.status, Status::Expired | Status::Limited))
        .filter(|u| in_range(u))
        .map(|u| u.username.clone())
        .collect())
}

pub async fn get_expired(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    ok(json!(expired_users(&sim, &caller, &Params(params))?))
}

pub async fn delete_expired(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let names = expired_users(&sim, &caller, &Params(params))?;
    let mut db = sim.db();
    for n in &names {
        db.remove_user(n);
    }
    ok(json!(names))
}
