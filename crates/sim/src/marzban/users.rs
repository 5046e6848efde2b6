//! `/api/user*` and `/api/users*`: users, their traffic, subscription revocation, ownership.
//! The status rules are Marzban 0.4.9's `crud.update_user` / `reset_user_data_usage`.

use std::{collections::BTreeMap, sync::Arc};

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{header, HeaderMap, StatusCode},
    response::Response,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{
    common::{
        authenticate, detail, forbidden, invalid, invalid_one, json_object, jwt, not_found, ok,
        ok_serialized, Caller, Params, Reply, Sim,
    },
    datetime::parse_datetime,
    links,
    state::{user_key, Proto, State, Status, UserRec},
    user_body::{parse_create, parse_modify, proxy_order},
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

/// `UserResponse` as Marzban 0.4.9 serialises it, field for field in its order. Typed rather
/// than a `json!` map: a full sync renders every user, and the maps cost most of the time.
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
    username: &'a str,
    status: &'static str,
    used_traffic: i64,
    lifetime_used_traffic: i64,
    created_at: String,
    links: SharedLinks,
    subscription_url: String,
    excluded_inbounds: BTreeMap<&'static str, &'a [String]>,
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
        UserView {
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

pub async fn add_user(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut db = sim.db();
    db.review_all();
    let b = parse_create(&obj, &db)?;
    let username = b.username.clone().unwrap_or_default();
    let proxies = build_proxies(&mut db, b.proxies.clone().unwrap_or_default())?;
    if db.user(&username).is_some() {
        return Err(detail(StatusCode::CONFLICT, "User already exists"));
    }
    // Given tags per protocol (empty or absent = all); protocols without a proxy are ignored.
    let given = b.inbounds.clone().unwrap_or_default();
    let excluded = proxies
        .keys()
        .map(|p| match given.get(p).filter(|t| !t.is_empty()) {
            Some(tags) => (*p, exclusions(&db, *p, tags)),
            None => (*p, Vec::new()),
        })
        .collect();
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

/// Checks `start`/`end`. (0.4.9 parses them with `datetime.fromisoformat` and fails with a 500
/// on a bad one; the simulator answers 0.5+'s 400 instead.)
pub fn check_range(params: &Params) -> Result<(), Response> {
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
    // 0.4.9 checks no ownership here: any admin reads any user's usage.
    authenticate(&sim, &headers)?;
    check_range(&Params(params))?;
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

const SORT_KEYS: [&str; 5] = [
    "username",
    "used_traffic",
    "data_limit",
    "expire",
    "created_at",
];

/// Puts the users at positions `skip..skip + take` of id order in place, in order; the rest
/// only on the right side of them.
fn order_window_by_id(list: &mut [&UserRec], skip: usize, take: usize) {
    if skip >= list.len() {
        return;
    }
    list.select_nth_unstable_by_key(skip, |u| u.id);
    let rest = &mut list[skip..];
    let take = take.min(rest.len());
    if take < rest.len() {
        rest.select_nth_unstable_by_key(take, |u| u.id);
    }
    rest[..take].sort_unstable_by_key(|u| u.id);
}

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
        errors.insert(
            "status".into(),
            json!("value is not a valid enumeration member; permitted: 'active', 'disabled', 'limited', 'expired', 'on_hold'"),
        );
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let mut sort = Vec::new();
    if let Some(raw) = params.get("sort") {
        for part in raw.trim_matches(',').split(',') {
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
    // One `username` is a case-insensitive substring search, several an exact list.
    let names: Vec<String> = params.all("username").iter().map(|n| user_key(n)).collect();
    let name_matches = |u: &UserRec| match names.as_slice() {
        [] => true,
        [one] => user_key(&u.username).contains(one.as_str()),
        many => many.contains(&user_key(&u.username)),
    };
    let skip = offset.unwrap_or(0).max(0) as usize;
    // `if limit:` — 0 (and SQLite's negative LIMIT) mean no limit.
    let take = limit.filter(|l| *l > 0).map_or(usize::MAX, |l| l as usize);
    let base = base_url(&headers);
    let mut db = sim.db();
    if names.is_empty() && status.is_none() && sort.is_empty() && caller.is_sudo {
        // Every user in id order, as a sync pages through them: only the page's users are
        // read, and reviewed (a review depends on the user and the time alone).
        let keys: Vec<String> = db
            .user_ids
            .values()
            .skip(skip)
            .take(take)
            .cloned()
            .collect();
        let now = now_secs();
        for key in &keys {
            if let Some(u) = db.users.get_mut(key) {
                u.review(now);
            }
        }
        db.review_nodes();
        let page = keys.iter().filter_map(|k| db.users.get(k));
        return users_answer(&db, page, db.users.len(), &base);
    }
    db.review_all();
    let mut list: Vec<&UserRec> = db
        .users
        .values()
        .filter(|u| caller.may_touch(u.admin.as_deref()))
        .filter(|u| name_matches(u))
        .filter(|u| status.is_none_or(|(_, s)| Some(u.status) == s))
        .collect();
    if sort.is_empty() {
        // Id order: only the page itself needs sorting (a sync reads every page of thousands).
        order_window_by_id(&mut list, skip, take);
    } else {
        // Ids are unique: an unstable sort gives the same order, faster.
        list.sort_unstable_by_key(|u| u.id);
    }
    for (key, desc) in sort.iter().rev() {
        list.sort_by(|a, b| {
            let ord = match key.as_str() {
                "username" => user_key(&a.username).cmp(&user_key(&b.username)),
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
    users_answer(&db, list.into_iter().skip(skip).take(take), total, &base)
}

/// `{"users": [...], "total": n}`.
fn users_answer<'a>(
    db: &'a State,
    page: impl Iterator<Item = &'a UserRec>,
    total: usize,
    base: &str,
) -> Reply {
    let users: Vec<UserView<'_>> = page.map(|u| UserView::of(db, u, base)).collect();
    #[derive(Serialize)]
    struct UsersResponse<'a> {
        users: Vec<UserView<'a>>,
        total: usize,
    }
    // A user with its links renders to about 1.5 KiB.
    let capacity = users.len() * 1536;
    ok_serialized(&UsersResponse { users, total }, capacity)
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
