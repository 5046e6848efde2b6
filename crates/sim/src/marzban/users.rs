//! `/api/user` and `/api/user/{username}*`: one user's create, read, modify, delete, traffic
//! reset, subscription revocation and owner. The status rules are Marzban 0.4.9's
//! `crud.update_user` / `reset_user_data_usage`.

use std::collections::BTreeMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde_json::{json, Map, Value};

use super::{
    common::{
        authenticate, detail, forbidden, invalid_one, json_object, not_found, ok, Caller, Params,
        Reply, Sim,
    },
    state::{Proto, State, Status, UserRec},
    user_body::{parse_create, parse_modify, proxy_order, UserBody},
    user_view::{base_url, user_json},
};
use crate::clock::{now_micros, now_secs};

/// A user the caller may touch: 404 if missing, then 403 if another admin's.
fn find<'a>(
    db: &'a mut State,
    caller: &Caller,
    username: &str,
) -> Result<&'a mut UserRec, Response> {
    let user = db.user_mut(username).ok_or_else(|| not_found("User"))?;
    if !caller.may_touch(user.admin.as_deref()) {
        return Err(forbidden());
    }
    Ok(user)
}

fn answer(db: &State, username: &str, headers: &HeaderMap) -> Reply {
    let user = db.user(username).ok_or_else(|| not_found("User"))?;
    ok(user_json(db, user, &base_url(headers)))
}

/// The tags of `proto` not in `chosen`.
fn exclusions(db: &State, proto: Proto, chosen: &[String]) -> Vec<String> {
    db.tags_of(proto)
        .into_iter()
        .filter(|t| !chosen.contains(t))
        .collect()
}

/// Settings for each requested protocol, or Marzban's answer: 400 for a protocol without
/// inbounds on this server, 422 for settings its model rejects.
fn build_proxies(
    db: &mut State,
    given: BTreeMap<Proto, Map<String, Value>>,
) -> Result<BTreeMap<Proto, Value>, Response> {
    if let Some(proto) = given.keys().find(|p| db.tags_of(**p).is_empty()) {
        return Err(detail(
            StatusCode::BAD_REQUEST,
            format!("Protocol {} is disabled on your server", proto.as_str()),
        ));
    }
    let mut out = BTreeMap::new();
    for (proto, settings) in given {
        let value = db
            .new_proxy(proto, &settings)
            .map_err(|e| invalid_one("proxies", &e))?;
        out.insert(proto, value);
    }
    Ok(out)
}

/// The inbound tags each new proxy is kept off. Given tags per protocol (an empty list or a
/// protocol left out = all its inbounds); protocols without a proxy are ignored. With no
/// `inbounds` key at all, 0.4.9 runs the same validator (`always=True`) while 0.8.4's
/// `mode="before"` validator does not run, so the user is kept off every inbound (NOTES.md,
/// first row of the measured table; `UserCreate.validate_inbounds` in app/models/user.py at
/// v0.4.9 and v0.8.4).
pub(super) fn excluded_of(
    db: &State,
    b: &UserBody,
    protos: impl Iterator<Item = Proto>,
) -> BTreeMap<Proto, Vec<String>> {
    let none_given = b.inbounds.is_none() && db.version.is_0_8();
    let given = b.inbounds.clone().unwrap_or_default();
    protos
        .map(|p| match given.get(&p).filter(|t| !t.is_empty()) {
            _ if none_given => (p, db.tags_of(p)),
            Some(tags) => (p, exclusions(db, p, tags)),
            None => (p, Vec::new()),
        })
        .collect()
}

pub async fn add_user(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    super::race::insert_inbound_rows(&sim, &obj).await?;
    let mut db = sim.db();
    db.review_all();
    let b = parse_create(&obj, &db)?;
    let username = b.username.clone().unwrap_or_default();
    let proxies = build_proxies(&mut db, b.proxies.clone().unwrap_or_default())?;
    if db.user(&username).is_some() {
        return Err(detail(StatusCode::CONFLICT, "User already exists"));
    }
    let excluded = excluded_of(&db, &b, proxies.keys().copied());
    let mut order: Vec<Proto> = proxy_order(&body);
    order.retain(|p| proxies.contains_key(p));
    order.extend(
        proxies
            .keys()
            .filter(|p| !order.contains(p))
            .copied()
            .collect::<Vec<_>>(),
    );
    let id = db.next_user_id;
    db.next_user_id += 1;
    let user = UserRec {
        id,
        username: username.clone(),
        proxies,
        proxy_order: order,
        excluded,
        expire: b.expire.filter(|e| *e != 0),
        data_limit: b.data_limit.filter(|l| *l != 0),
        data_limit_reset_strategy: b
            .data_limit_reset_strategy
            .unwrap_or_else(|| "no_reset".into()),
        note: b.note,
        sub_updated_at: None,
        sub_last_user_agent: None,
        online_at: None,
        on_hold_expire_duration: b.on_hold_expire_duration,
        on_hold_timeout: b.on_hold_timeout,
        status: b.status.unwrap_or(Status::Active),
        used_traffic: 0,
        reset_traffic: 0,
        created_micros: now_micros(),
        admin: Some(caller.username),
        sub_revision: 0,
        node_usage: BTreeMap::new(),
        links: Default::default(),
    };
    db.insert_user(user);
    answer(&db, &username, &headers)
}

pub async fn get_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    db.review_all();
    find(&mut db, &caller, &username)?;
    answer(&db, &username, &headers)
}

/// Marzban 0.4.9's `crud.update_user`, status rules included.
pub async fn modify_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: Bytes,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut db = sim.db();
    db.review_all();
    let b = parse_modify(&obj, &db)?;
    let new_proxies = match b.proxies.clone().filter(|p| !p.is_empty()) {
        Some(given) => Some(build_proxies(&mut db, given)?),
        None => None,
    };
    find(&mut db, &caller, &username)?;
    let now = now_secs();
    let tag_sets: Vec<(Proto, Vec<String>)> = b
        .inbounds
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|(p, tags)| (p, exclusions(&db, p, &tags)))
        .collect();
    let user = find(&mut db, &caller, &username)?;
    if let Some(proxies) = new_proxies {
        // Kept protocols keep their exclusions and place; new ones come last, without
        // exclusions; dropped ones go.
        user.excluded.retain(|p, _| proxies.contains_key(p));
        user.proxy_order.retain(|p| proxies.contains_key(p));
        for p in proxy_order(&body)
            .into_iter()
            .chain(proxies.keys().copied())
        {
            if proxies.contains_key(&p) && !user.proxy_order.contains(&p) {
                user.proxy_order.push(p);
            }
        }
        user.proxies = proxies;
    }
    // Inbounds given for a protocol replace its exclusions (an empty list excludes all).
    for (proto, excluded) in tag_sets {
        if user.proxies.contains_key(&proto) {
            user.excluded.insert(proto, excluded);
        }
    }
    if let Some(status) = b.status {
        user.status = status;
    }
    if let Some(limit) = b.data_limit {
        user.data_limit = (limit != 0).then_some(limit);
        if !matches!(user.status, Status::Expired | Status::Disabled) {
            if user.data_limit.is_none_or(|l| user.used_traffic < l) {
                if user.status != Status::OnHold {
                    user.status = Status::Active;
                }
            } else {
                user.status = Status::Limited;
            }
        }
    }
    if let Some(expire) = b.expire {
        user.expire = (expire != 0).then_some(expire);
        if matches!(user.status, Status::Active | Status::Expired) {
            user.status = if user.expire.is_none_or(|e| e > now) {
                Status::Active
            } else {
                Status::Expired
            };
        }
    }
    if let Some(note) = b.note {
        user.note = (!note.is_empty()).then_some(note);
    }
    if let Some(s) = b.data_limit_reset_strategy {
        user.data_limit_reset_strategy = s;
    }
    if let Some(t) = b.on_hold_timeout {
        user.on_hold_timeout = Some(t);
    }
    if let Some(d) = b.on_hold_expire_duration {
        user.on_hold_expire_duration = Some(d);
    }
    user.review(now);
    answer(&db, &username, &headers)
}

pub async fn remove_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    find(&mut db, &caller, &username)?;
    db.remove_user(&username);
    // NOTES.md "`DELETE /api/user/{u}`": `{}` on 0.4.9, a sentence on 0.8.4.
    if db.version.is_0_8() {
        ok(json!({"detail": "User successfully deleted"}))
    } else {
        ok(json!({}))
    }
}

pub async fn reset_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    db.review_all();
    let user = find(&mut db, &caller, &username)?;
    user.reset_traffic += user.used_traffic;
    user.used_traffic = 0;
    user.node_usage.clear();
    // 0.4.9 tests `status not in (expired or disabled)`, i.e. a substring of "expired": only
    // expired users stay as they are; disabled and on-hold users come back active.
    if user.status != Status::Expired {
        user.status = Status::Active;
    }
    answer(&db, &username, &headers)
}

/// New subscription token (earlier ones stop working) and new proxy secrets.
pub async fn revoke_sub(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    db.review_all();
    let protos: Vec<(Proto, Value)> = find(&mut db, &caller, &username)?
        .proxies
        .iter()
        .map(|(p, v)| (*p, v.clone()))
        .collect();
    let mut fresh = BTreeMap::new();
    for (proto, old) in protos {
        let mut keep = old.as_object().cloned().unwrap_or_default();
        keep.remove("id");
        keep.remove("password");
        let settings = db
            .new_proxy(proto, &keep)
            .map_err(|e| invalid_one("proxies", &e))?;
        fresh.insert(proto, settings);
    }
    let user = find(&mut db, &caller, &username)?;
    user.proxies = fresh;
    user.sub_revision += 1;
    answer(&db, &username, &headers)
}

pub async fn set_owner(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let params = Params(params);
    let Some(owner) = params.get("admin_username").map(str::to_owned) else {
        return Err(invalid_one("admin_username", "field required"));
    };
    caller.require_sudo()?;
    let mut db = sim.db();
    if db.user(&username).is_none() {
        return Err(not_found("User"));
    }
    if !db.admins.contains_key(&owner) {
        return Err(not_found("Admin"));
    }
    if let Some(u) = db.user_mut(&username) {
        u.admin = Some(owner);
    }
    answer(&db, &username, &headers)
}
