//! `/api/user*` and `/api/users*`: users, their traffic, subscription revocation, ownership.

use std::collections::BTreeMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{header, HeaderMap, StatusCode},
};
use serde_json::{json, Map, Value};

use super::{
    common::{
        authenticate, detail, forbidden, json_object, jwt, not_found, ok, Caller, Params, Reply,
        Sim,
    },
    links,
    state::{Proto, State, Status, UserRec},
    time::{now_micros, now_secs, parse_datetime},
    user_body::{parse_create, parse_modify, UserBody},
};

/// `http://host:port` of the request, the base of `subscription_url`.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A subscription token: a JWT `{sub, access: "subscription", iat}` whose key includes the
/// user's revocation counter, so `revoke_sub` invalidates every earlier token.
pub fn sub_token(db: &State, user: &UserRec) -> String {
    let claims = json!({"sub": user.username, "access": "subscription", "iat": now_secs()});
    jwt(&claims, &sub_key(db, user.sub_revision))
}

pub fn sub_key(db: &State, revision: u64) -> Vec<u8> {
    let mut key = db.secret.to_vec();
    key.extend_from_slice(&revision.to_be_bytes());
    key
}

/// `UserResponse` as Marzban 0.4.9 serialises it.
pub fn user_json(db: &State, u: &UserRec, base: &str) -> Value {
    let proxies: Map<String, Value> = u
        .proxies
        .iter()
        .map(|(p, s)| (p.as_str().to_owned(), s.clone()))
        .collect();
    let mut inbounds = Map::new();
    let mut excluded = Map::new();
    for (proto, tags) in &u.inbounds {
        inbounds.insert(proto.as_str().into(), json!(tags));
        let ex: Vec<String> = db
            .tags_of(*proto)
            .into_iter()
            .filter(|t| !tags.contains(t))
            .collect();
        excluded.insert(proto.as_str().into(), json!(ex));
    }
    json!({
        "proxies": proxies,
        "expire": u.expire,
        "data_limit": u.data_limit,
        "data_limit_reset_strategy": u.data_limit_reset_strategy,
        "inbounds": inbounds,
        "note": u.note,
        "sub_updated_at": u.sub_updated_at,
        "sub_last_user_agent": u.sub_last_user_agent,
        "online_at": u.online_at,
        "on_hold_expire_duration": u.on_hold_expire_duration,
        "on_hold_timeout": u.on_hold_timeout,
        "username": u.username,
        "status": u.status.as_str(),
        "used_traffic": u.used_traffic,
        "lifetime_used_traffic": u.used_traffic + u.reset_traffic,
        "created_at": u.created_at(),
        "links": links::links(db, u),
        "subscription_url": format!("{base}/sub/{}", sub_token(db, u)),
        "excluded_inbounds": excluded,
    })
}

/// Authenticates, runs the review job, and finds a user the caller may touch.
fn find<'a>(
    db: &'a mut State,
    caller: &Caller,
    username: &str,
) -> Result<&'a mut UserRec, axum::response::Response> {
    let user = db
        .users
        .get_mut(username)
        .ok_or_else(|| not_found("User"))?;
    if !caller.may_touch(user.admin.as_deref()) {
        return Err(forbidden());
    }
    Ok(user)
}

fn answer(db: &State, username: &str, headers: &HeaderMap) -> Reply {
    let user = db.users.get(username).ok_or_else(|| not_found("User"))?;
    ok(user_json(db, user, &base_url(headers)))
}

/// Fills the inbounds of every proxy protocol: given tags, else the kept ones, else all.
fn resolve_inbounds(
    db: &State,
    proxies: &BTreeMap<Proto, Value>,
    given: Option<&BTreeMap<Proto, Vec<String>>>,
    kept: &BTreeMap<Proto, Vec<String>>,
) -> BTreeMap<Proto, Vec<String>> {
    proxies
        .keys()
        .map(|p| {
            let tags = given
                .and_then(|g| g.get(p))
                .filter(|t| !t.is_empty())
                .or_else(|| kept.get(p))
                .cloned()
                .unwrap_or_else(|| db.tags_of(*p));
            (*p, tags)
        })
        .collect()
}

pub async fn add_user(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut db = sim.db();
    db.review_all();
    let b: UserBody = parse_create(&obj, &db)?;
    let username = b.username.clone().unwrap_or_default();
    if db.users.contains_key(&username) {
        return Err(detail(StatusCode::CONFLICT, "User already exists"));
    }
    let mut proxies = BTreeMap::new();
    for (proto, given) in b.proxies.clone().unwrap_or_default() {
        let settings = db.new_proxy(proto, &given);
        proxies.insert(proto, settings);
    }
    let inbounds = resolve_inbounds(&db, &proxies, b.inbounds.as_ref(), &BTreeMap::new());
    let id = db.next_user_id;
    db.next_user_id += 1;
    let user = UserRec {
        id,
        username: username.clone(),
        proxies,
        inbounds,
        expire: b.expire.flatten().filter(|e| *e != 0),
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
    };
    db.users.insert(username.clone(), user);
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
    find(&mut db, &caller, &username)?;
    let mut new_proxies = None;
    if let Some(given) = b.proxies.filter(|p| !p.is_empty()) {
        let mut proxies = BTreeMap::new();
        for (proto, settings) in given {
            let fresh = db.new_proxy(proto, &settings);
            proxies.insert(proto, fresh);
        }
        new_proxies = Some(proxies);
    }
    let now = now_secs();
    let db = &mut *db;
    let Some(user) = db.users.get(&username) else {
        return Err(not_found("User"));
    };
    let proxies = new_proxies.unwrap_or_else(|| user.proxies.clone());
    let given_inbounds = b.inbounds.filter(|i| !i.is_empty());
    let inbounds = resolve_inbounds(db, &proxies, given_inbounds.as_ref(), &user.inbounds);
    let Some(user) = db.users.get_mut(&username) else {
        return Err(not_found("User"));
    };
    user.proxies = proxies;
    user.inbounds = inbounds;
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
    if let Some(Some(expire)) = b.expire {
        user.expire = (expire != 0).then_some(expire);
        if matches!(user.status, Status::Active | Status::Expired) {
            user.status = if user.expire.is_none_or(|e| e > now) {
                Status::Active
            } else {
                Status::Expired
            };
        }
    }
    if let Some(s) = b.data_limit_reset_strategy {
        user.data_limit_reset_strategy = s;
    }
    if let Some(note) = b.note {
        user.note = Some(note);
    }
    if let Some(d) = b.on_hold_expire_duration {
        user.on_hold_expire_duration = Some(d);
    }
    if let Some(t) = b.on_hold_timeout {
        user.on_hold_timeout = Some(t);
    }
    user.review(now);
    answer(db, &username, &headers)
}

pub async fn remove_user(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    find(&mut db, &caller, &username)?;
    db.users.remove(&username);
    ok(json!({}))
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
    if !matches!(user.status, Status::Expired | Status::Disabled) {
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
        let settings = db.new_proxy(proto, &keep);
        fresh.insert(proto, settings);
    }
    let user = find(&mut db, &caller, &username)?;
    user.proxies = fresh;
    user.sub_revision += 1;
    answer(&db, &username, &headers)
}

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

/// Checks `start`/`end` as Marzban does (400 on a bad date).
pub fn check_range(params: &Params) -> Result<(), axum::response::Response> {
    for key in ["start", "end"] {
        if let Some(v) = params.get(key) {
            if parse_datetime(v).is_none() {
                return Err(detail(
                    StatusCode::BAD_REQUEST,
                    "Invalid date range or format",
                ));
            }
        }
    }
    Ok(())
}

pub async fn user_usage(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    check_range(&Params(params))?;
    let mut db = sim.db();
    find(&mut db, &caller, &username)?;
    let user = db.users.get(&username).ok_or_else(|| not_found("User"))?;
    ok(usages_json(&db, user))
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
        return Err(super::common::invalid_one(
            "admin_username",
            "field required",
        ));
    };
    caller.require_sudo()?;
    let mut db = sim.db();
    if !db.users.contains_key(&username) {
        return Err(not_found("User"));
    }
    if !db.admins.contains_key(&owner) {
        return Err(not_found("Admin"));
    }
    if let Some(u) = db.users.get_mut(&username) {
        u.admin = Some(owner);
    }
    answer(&db, &username, &headers)
}

const SORT_KEYS: [&str; 5] = [
    "username",
    "used_traffic",
    "data_limit",
    "expire",
    "created_at",
];

pub async fn get_users(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let params = Params(params);
    let mut errors = Map::new();
    let offset = params.int("offset", &mut errors);
    let limit = params.int("limit", &mut errors);
    let status = params.get("status").map(|s| (s, Status::parse(s)));
    if let Some((_, None)) = status {
        errors.insert("status".into(), json!("value is not a valid enumeration member; permitted: 'active', 'disabled', 'limited', 'expired', 'on_hold'"));
    }
    if !errors.is_empty() {
        return Err(super::common::invalid(errors));
    }
    let mut sort = Vec::new();
    if let Some(raw) = params.get("sort").filter(|s| !s.is_empty()) {
        for part in raw.split(',') {
            let (desc, key) = match part.strip_prefix('-') {
                Some(k) => (true, k),
                None => (false, part),
            };
            if !SORT_KEYS.contains(&key) {
                return Err(detail(
                    StatusCode::BAD_REQUEST,
                    format!("\"{part}\" is not a valid sort option"),
                ));
            }
            sort.push((key.to_owned(), desc));
        }
    }
    let names = params.all("username");
    let mut db = sim.db();
    db.review_all();
    let mut list: Vec<&UserRec> = db
        .users
        .values()
        .filter(|u| caller.may_touch(u.admin.as_deref()))
        .filter(|u| names.is_empty() || names.contains(&u.username))
        .filter(|u| status.is_none_or(|(_, s)| Some(u.status) == s))
        .collect();
    list.sort_by_key(|u| u.id);
    for (key, desc) in sort.iter().rev() {
        list.sort_by(|a, b| {
            let ord = match key.as_str() {
                "username" => a.username.cmp(&b.username),
                "used_traffic" => a.used_traffic.cmp(&b.used_traffic),
                "data_limit" => a.data_limit.cmp(&b.data_limit),
                "expire" => a.expire.cmp(&b.expire),
                _ => a.created_micros.cmp(&b.created_micros),
            };
            if *desc {
                ord.reverse()
            } else {
                ord
            }
        });
    }
    let total = list.len();
    let base = base_url(&headers);
    let users: Vec<Value> = list
        .into_iter()
        .skip(offset.unwrap_or(0).max(0) as usize)
        .take(limit.map_or(usize::MAX, |l| l.max(0) as usize))
        .map(|u| user_json(&db, u, &base))
        .collect();
    ok(json!({"users": users, "total": total}))
}

pub async fn reset_users(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    for u in db.users.values_mut() {
        u.reset_traffic += u.used_traffic;
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

/// Users that are expired or limited and whose `expire` lies in the range (default: until now).
fn expired_users(
    sim: &Sim,
    caller: &Caller,
    params: &Params,
) -> Result<Vec<String>, axum::response::Response> {
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
    let after = bound("expired_after").unwrap_or(i64::MIN);
    let before = bound("expired_before").unwrap_or_else(now_secs);
    if !errors.is_empty() {
        return Err(super::common::invalid(errors));
    }
    let mut db = sim.db();
    db.review_all();
    Ok(db
        .users
        .values()
        .filter(|u| caller.may_touch(u.admin.as_deref()))
        .filter(|u| matches!(u.status, Status::Expired | Status::Limited))
        .filter(|u| u.expire.is_some_and(|e| after <= e && e <= before))
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
        db.users.remove(n);
    }
    ok(json!(names))
}
