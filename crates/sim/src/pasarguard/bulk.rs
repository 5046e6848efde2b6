//! `/api/users/bulk/*` (v3.0.0+; `app/routers/user.py`, `app/operation/user.py`,
//! `app/db/crud/bulk.py` at v5.2.1; steps 71–80, 95). Selections name users by id in `ids`;
//! the filter routes take ids in `users` and combine them with the other filters by OR
//! (`_create_final_filter`).

use std::collections::BTreeSet;

use axum::{body::Bytes, extract::State as AxState, http::HeaderMap};
use serde_json::{json, Map, Value};

use super::{
    http::{authenticate, invalid, not_found, object, ok, Caller, Reply, Sim},
    state::{State, Status},
    users::{reset, revoke},
};

fn ints(v: Option<&Value>) -> Vec<i64> {
    v.and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

/// The users of `{ids}`: at least one (step 80), every one visible, else 404 "User not found"
/// (`_get_validated_users_by_ids`).
fn selection(
    db: &State,
    caller: &Caller,
    body: &Map<String, Value>,
) -> Result<Vec<i64>, axum::response::Response> {
    let ids: BTreeSet<i64> = ints(body.get("ids")).into_iter().collect();
    if ids.is_empty() {
        return Err(invalid(
            "ids",
            "Value error, you must select at least one user",
        ));
    }
    if ids
        .iter()
        .any(|id| !db.users.get(id).is_some_and(|u| caller.sees(u)))
    {
        return Err(not_found("User"));
    }
    Ok(ids.into_iter().collect())
}

fn touched(db: &State, ids: &[i64]) -> Reply {
    let names: Vec<String> = ids
        .iter()
        .filter_map(|id| db.users.get(id).map(|u| u.username.clone()))
        .collect();
    ok(json!({"users": names, "count": names.len()}))
}

/// Which selection route.
#[derive(Clone, Copy)]
pub enum Selected {
    Delete,
    Reset,
    Disable,
    Enable,
    RevokeSub,
}

async fn selected(sim: Sim, headers: HeaderMap, body: Bytes, what: Selected) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let mut db = sim.db();
    let ids = selection(&db, &caller, &body)?;
    let changed: Vec<i64> = match what {
        Selected::Delete => {
            let names: Vec<String> = ids
                .iter()
                .filter_map(|id| db.users.remove(id).map(|u| u.username))
                .collect();
            return ok(json!({"users": names, "count": names.len()}));
        }
        Selected::Reset => {
            ids.iter()
                .for_each(|id| db.users.get_mut(id).into_iter().for_each(reset));
            ids
        }
        Selected::RevokeSub => {
            ids.iter().for_each(|id| revoke(&mut db, *id));
            ids
        }
        // Only users not yet disabled are disabled and named (step 75).
        Selected::Disable => ids
            .into_iter()
            .filter(|id| {
                db.users.get_mut(id).is_some_and(|u| {
                    let change = u.status != Status::Disabled;
                    if change {
                        u.status = Status::Disabled;
                    }
                    change
                })
            })
            .collect(),
        // Only disabled users are enabled, to the status their limits give
        // (`_resolve_enabled_user_status`).
        Selected::Enable => ids
            .into_iter()
            .filter(|id| {
                let status = db
                    .users
                    .get(id)
                    .filter(|u| u.status == Status::Disabled)
                    .map(|u| db.enabled_status(u));
                match (status, db.users.get_mut(id)) {
                    (Some(s), Some(u)) => {
                        u.status = s;
                        true
                    }
                    _ => false,
                }
            })
            .collect(),
    };
    touched(&db, &changed)
}

pub async fn delete(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    selected(sim, headers, body, Selected::Delete).await
}
pub async fn reset_usage(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    selected(sim, headers, body, Selected::Reset).await
}
pub async fn disable(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    selected(sim, headers, body, Selected::Disable).await
}
pub async fn enable(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    selected(sim, headers, body, Selected::Enable).await
}
pub async fn revoke_sub(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    selected(sim, headers, body, Selected::RevokeSub).await
}

/// `PUT /api/users/bulk/set_owner` (step 79).
pub async fn set_owner(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require("users.set_owner")?;
    let body = object(&body)?;
    let mut db = sim.db();
    let ids = selection(&db, &caller, &body)?;
    let admin = body
        .get("admin_username")
        .and_then(Value::as_str)
        .and_then(|n| db.admin_by_name(n))
        .map(|a| a.id)
        .ok_or_else(|| not_found("Admin"))?;
    for id in &ids {
        if let Some(u) = db.users.get_mut(id) {
            u.admin_id = admin;
        }
    }
    touched(&db, &ids)
}

/// The users a `BulkUserFilter` matches: the `users` ids OR all the other filters together.
fn filtered(db: &State, caller: &Caller, body: &Map<String, Value>) -> Vec<i64> {
    let users = ints(body.get("users"));
    let groups = ints(body.get("group_ids"));
    let admins = ints(body.get("admins"));
    let statuses: Vec<String> = body
        .get("status")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let others = !groups.is_empty() || !admins.is_empty() || !statuses.is_empty();
    db.users
        .values()
        .filter(|u| caller.sees(u))
        .filter(|u| {
            let by_id = users.contains(&u.id);
            let by_others = others
                && (groups.is_empty() || u.group_ids.iter().any(|g| groups.contains(g)))
                && (admins.is_empty() || admins.contains(&u.admin_id))
                && (statuses.is_empty() || statuses.iter().any(|s| s == u.status.as_str()));
            by_id || by_others || (users.is_empty() && !others)
        })
        .map(|u| u.id)
        .collect()
}

/// What the filter routes answer (steps 71–74).
fn filter_answer(dry_run: bool, count: usize) -> Reply {
    if dry_run {
        ok(json!({"dry_run": true, "affected_users": count}))
    } else {
        ok(json!({"detail": format!("operation has been successfuly done on {count} users")}))
    }
}

fn amount(body: &Map<String, Value>) -> Result<i64, axum::response::Response> {
    body.get("amount")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid("amount", "Field required"))
}

/// `POST /api/users/bulk/expire`: `amount` seconds added to users that have an expiry; an
/// active user whose new expiry has passed turns expired and back (`update_users_expire`).
pub async fn expire(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let amount = amount(&body)?;
    let dry_run = body
        .get("dry_run")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut db = sim.db();
    let now = db.now_micros();
    let ids: Vec<i64> = filtered(&db, &caller, &body)
        .into_iter()
        .filter(|id| db.users.get(id).is_some_and(|u| u.expire.is_some()))
        .collect();
    if !dry_run {
        for id in &ids {
            if let Some(u) = db.users.get_mut(id) {
                let e = u.expire.unwrap_or(now) + amount * 1_000_000;
                u.expire = Some(e);
                u.status = match u.status {
                    Status::Active if e <= now => Status::Expired,
                    Status::Expired if e > now => Status::Active,
                    s => s,
                };
            }
        }
    }
    filter_answer(dry_run, ids.len())
}

/// `POST /api/users/bulk/data_limit`: `amount` bytes added to users with a limit (one that a
/// negative amount would take to 0 or below is left alone; `update_users_datalimit`).
pub async fn data_limit(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let amount = amount(&body)?;
    let dry_run = body
        .get("dry_run")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut db = sim.db();
    let ids: Vec<i64> = filtered(&db, &caller, &body)
        .into_iter()
        .filter(|id| {
            db.users
                .get(id)
                .and_then(|u| u.data_limit)
                .is_some_and(|l| l != 0 && (amount >= 0 || l > -amount))
        })
        .collect();
    if !dry_run {
        for id in &ids {
            if let Some(u) = db.users.get_mut(id) {
                let l = u.data_limit.unwrap_or(0) + amount;
                u.data_limit = Some(l);
                u.status = match u.status {
                    Status::Active if l <= u.used => Status::Limited,
                    Status::Limited if l > u.used => Status::Active,
                    s => s,
                };
            }
        }
    }
    filter_answer(dry_run, ids.len())
}

/// `POST /api/users/bulk/proxy_settings`: a new Shadowsocks cipher (step 74).
pub async fn proxy_settings(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let dry_run = body
        .get("dry_run")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut db = sim.db();
    let ids = filtered(&db, &caller, &body);
    if let (false, Some(method)) = (dry_run, body.get("method").and_then(Value::as_str)) {
        for id in &ids {
            if let Some(u) = db.users.get_mut(id) {
                u.proxy["shadowsocks"]["method"] = json!(method);
            }
        }
    }
    filter_answer(dry_run, ids.len())
}

/// `POST /api/users/bulk/apply_template`: the template's limit, groups and expiry from now.
pub async fn apply_template(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let mut db = sim.db();
    let ids = selection(&db, &caller, &body)?;
    let template = body
        .get("user_template_id")
        .and_then(Value::as_i64)
        .and_then(|id| db.templates.get(&id))
        .cloned()
        .ok_or_else(|| not_found("User Template"))?;
    let now = db.now_micros();
    let groups = ints(template.get("group_ids"));
    for id in &ids {
        if let Some(u) = db.users.get_mut(id) {
            u.data_limit = template["data_limit"].as_i64().filter(|l| *l > 0);
            u.expire = template["expire_duration"]
                .as_i64()
                .filter(|d| *d > 0)
                .map(|d| now + d * 1_000_000);
            if !groups.is_empty() {
                u.group_ids = groups.clone();
            }
        }
    }
    touched(&db, &ids)
}
