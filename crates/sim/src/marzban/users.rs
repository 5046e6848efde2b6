//! `/api/user*` and `/api/users*`: users, their traffic, subscription revocation, ownership.
//! The status rules are Marzban 0.4.9's `crud.update_user` / `reset_user_data_usage`.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{
    admins::AdminView,
    common::{
        authenticate, detail, forbidden, invalid, invalid_one, json_object, jwt, not_found, ok,
        Caller, Params, Reply, Sim,
    },
    datetime::parse_datetime,
    links,
    state::{Proto, State, Status, UserRec},
    user_body::{parse_create, parse_modify, proxy_order, UserBody},
    PanelVersion,
};
use crate::clock::{now_micros, now_secs};

/// `http://host:port` of the request, the base of `subscription_url`.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A subscription token: a JWT `{sub, access: "subscription", iat}` as 0.4.9 issues them. The
/// real server rejects tokens older than the user's creation or last revocation by comparing
/// times; the simulator signs with the user's creation time and revocation counter instead, so
/// the same rule holds within one second too.
pub fn sub_token(db: &State, user: &UserRec) -> String {
    let claims = json!({"sub": user.username, "access": "subscription", "iat": now_secs() + 1});
    jwt(&claims, &sub_key(db, user))
}

pub fn sub_key(db: &State, user: &UserRec) -> Vec<u8> {
    let mut key = db.secret.to_vec();
    key.extend_from_slice(&user.created_micros.to_be_bytes());
    key.extend_from_slice(&user.sub_revision.to_be_bytes());
    key
}

/// `UserResponse` as Marzban serialises it, field for field in its order; 0.8.4 adds
/// `auto_delete_in_days`, `next_plan` and the owner `admin` (recorded step 10 of each
/// transcript). Typed rather than a `json!` map: a full sync renders every user, and the maps
/// cost most of the time.
#[derive(Serialize)]
pub struct UserView<'a> {
    proxies: BTreeMap<&'static str, &'a Value>,
    expire: Option<i64>,
    data_limit: Option<i64>,
    data_limit_reset_strategy: &'a str,
    inbounds: BTreeMap<&'static str, Vec<String>>,
    note: Option<&'a str>,
    sub_updated_at: Option<&'a str>,
    sub_last_user_agent: Option<&'a str>,
    online_at: Option<&'a str>,
    on_hold_expire_duration: Option<i64>,
    on_hold_timeout: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_delete_in_days: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_plan: Option<Value>,
    username: &'a str,
    status: &'static str,
    used_traffic: i64,
    lifetime_used_traffic: i64,
    created_at: String,
    links: SharedLinks,
    subscription_url: String,
    excluded_inbounds: BTreeMap<&'static str, &'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin: Option<Option<AdminView<'a>>>,
}

impl<'a> UserView<'a> {
    pub fn of(db: &'a State, u: &'a UserRec, base: &str) -> Self {
        let mut inbounds = BTreeMap::new();
        let mut excluded = BTreeMap::new();
        for (proto, tags) in u.inbounds(&db.inbounds) {
            inbounds.insert(proto.as_str(), tags);
            let ex = u.excluded.get(&proto).map_or(&[][..], Vec::as_slice);
            excluded.insert(proto.as_str(), ex);
        }
        let v8 = db.version.is_0_8();
        let owner = || {
            u.admin
                .as_ref()
                .and_then(|a| db.admins.get(a))
                .map(|a| AdminView::of(db.version, a))
        };
        UserView {
            auto_delete_in_days: v8.then_some(Value::Null),
            next_plan: v8.then_some(Value::Null),
            admin: v8.then(owner),
            proxies: u.proxies.iter().map(|(p, s)| (p.as_str(), s)).collect(),
            expire: u.expire,
            data_limit: u.data_limit,
            data_limit_reset_strategy: &u.data_limit_reset_strategy,
            inbounds,
            note: u.note.as_deref(),
            sub_updated_at: u.sub_updated_at.as_deref(),
            sub_last_user_agent: u.sub_last_user_agent.as_deref(),
            online_at: u.online_at.as_deref(),
            on_hold_expire_duration: u.on_hold_expire_duration,
            on_hold_timeout: u.on_hold_timeout.as_deref(),
            username: &u.username,
            status: u.status.as_str(),
            used_traffic: u.used_traffic,
            lifetime_used_traffic: u.used_traffic + u.reset_traffic,
            created_at: u.created_at(),
            links: SharedLinks(links::cached(db, u)),
            subscription_url: format!("{base}/sub/{}", sub_token(db, u)),
            excluded_inbounds: excluded,
        }
    }
}

/// A user's kept links, written as the JSON array they are without copying them.
pub struct SharedLinks(Arc<[String]>);

impl Serialize for SharedLinks {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

pub fn user_json(db: &State, u: &UserRec, base: &str) -> Value {
    serde_json::to_value(UserView::of(db, u, base)).unwrap_or(Value::Null)
}

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

pub async fn reset_users(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    // 0.4.9 passes the calling admin as a filter: only that admin's users are reset, and their
    // reset logs are cleared (lifetime traffic starts over too).
    for u in db
        .users
        .values_mut()
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
