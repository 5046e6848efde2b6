//! `/api/admin/token` (form login) and the admin routes: current admin, create, modify,
//! remove, list. Only sudo admins manage admins; sudo accounts cannot be edited by others.

use std::time::Instant;

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{header, HeaderMap, StatusCode},
    response::IntoResponse,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{
    common::{
        authenticate, detail, forbidden, invalid, json_object, jwt, not_found, ok, Fields, Params,
        Reply, Sim,
    },
    state::{AdminRec, TokenRec},
    PanelVersion,
};
use crate::clock::now_secs;

/// `Admin` as the version answers it: 0.8.4 adds `users_usage` (recorded step 6 of both
/// transcripts; NOTES.md "`GET /api/admin`").
#[derive(Serialize)]
pub struct AdminView<'a> {
    username: &'a str,
    is_sudo: bool,
    telegram_id: Option<i64>,
    discord_webhook: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    users_usage: Option<i64>,
}

impl<'a> AdminView<'a> {
    pub fn of(version: PanelVersion, a: &'a AdminRec) -> Self {
        AdminView {
            username: &a.username,
            is_sudo: a.is_sudo,
            telegram_id: a.telegram_id,
            discord_webhook: a.discord_webhook.as_deref(),
            users_usage: version.is_0_8().then_some(a.users_usage),
        }
    }
}

fn admin_json(version: PanelVersion, a: &AdminRec) -> Value {
    serde_json::to_value(AdminView::of(version, a)).unwrap_or(Value::Null)
}

/// `application/x-www-form-urlencoded` pairs (`+` is a space, `%XX` a byte).
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = |c: u8| (c as char).to_digit(16);
                    match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                        (Some(h), Some(l)) => {
                            out.push((h * 16 + l) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// OAuth2 password flow: form fields `username`, `password` (JSON bodies get 422).
pub async fn token(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let pairs = if is_form {
        form_pairs(&body)
    } else {
        Vec::new()
    };
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (username, password) = (field("username"), field("password"));
    let mut errors = Map::new();
    for (k, v) in [("username", &username), ("password", &password)] {
        if v.is_none() {
            errors.insert(k.into(), json!("field required"));
        }
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let (username, password) = (username.unwrap_or_default(), password.unwrap_or_default());
    let mut db = sim.db();
    let Some(admin) = db.admins.get(&username).filter(|a| a.password == password) else {
        let mut r = detail(StatusCode::UNAUTHORIZED, "Incorrect username or password");
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        return Err(r);
    };
    let access = if admin.is_sudo { "sudo" } else { "admin" };
    let ttl = db.token_ttl;
    let iat = now_secs();
    // `exp` rounds the lifetime up to whole seconds (JWT times are seconds); the token map
    // holds the exact expiry.
    let ttl_secs = ttl.as_millis().div_ceil(1000) as i64;
    let claims = json!({"sub": username, "access": access, "iat": iat, "exp": iat + ttl_secs});
    db.logins += 1;
    // The login counter goes into the key so two logins in one second get distinct tokens.
    let mut key = db.secret.to_vec();
    key.extend_from_slice(&db.logins.to_be_bytes());
    let token = jwt(&claims, &key);
    let issued = Instant::now();
    db.tokens.insert(
        token.clone(),
        TokenRec {
            admin: username,
            issued,
            expires: issued + ttl,
        },
    );
    Ok(axum::Json(json!({"access_token": token, "token_type": "bearer"})).into_response())
}

pub async fn current_admin(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let db = sim.db();
    let admin = db
        .admins
        .get(&caller.username)
        .ok_or_else(|| not_found("Admin"))?;
    ok(admin_json(db.version, admin))
}

/// `discord_webhook` must point at Discord (0.4.9's validator).
fn check_webhook(f: &mut Fields<'_>) -> Option<String> {
    let hook = f.string("discord_webhook");
    if hook
        .as_deref()
        .is_some_and(|h| !h.is_empty() && !h.starts_with("https://discord.com"))
    {
        f.error(
            "discord_webhook",
            "Discord webhook must start with 'https://discord.com'",
        );
    }
    hook
}

pub async fn create_admin(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj);
    let username = if f.required("username") {
        f.string("username")
    } else {
        None
    };
    let is_sudo = if f.required("is_sudo") {
        f.boolean("is_sudo")
    } else {
        None
    };
    let password = if f.required("password") {
        f.string("password")
    } else {
        None
    };
    let telegram_id = f.int("telegram_id", None);
    let discord_webhook = check_webhook(&mut f);
    f.finish()?;
    caller.require_sudo()?;
    let username = username.unwrap_or_default();
    let mut db = sim.db();
    if db.admins.contains_key(&username) {
        return Err(detail(StatusCode::CONFLICT, "Admin already exists"));
    }
    let rec = AdminRec {
        username: username.clone(),
        password: password.unwrap_or_default(),
        is_sudo: is_sudo.unwrap_or(false),
        telegram_id: telegram_id.filter(|t| *t != 0),
        discord_webhook: discord_webhook.filter(|d| !d.is_empty()),
        password_reset: None,
        users_usage: 0,
    };
    let out = admin_json(db.version, &rec);
    db.admins.insert(username, rec);
    ok(out)
}

/// 0.4.9's rules: an admin may edit itself, a sudo admin anyone but another sudo admin;
/// `is_sudo` is only ever raised (`false` changes nothing); a new password invalidates the
/// admin's earlier tokens; `telegram_id`/`discord_webhook` change only when set.
pub async fn modify_admin(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: Bytes,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj);
    let is_sudo = if f.required("is_sudo") {
        f.boolean("is_sudo")
    } else {
        None
    };
    let password = f.string("password");
    let telegram_id = f.int("telegram_id", None);
    let discord_webhook = check_webhook(&mut f);
    f.finish()?;
    let is_self = caller.username == username;
    if !(caller.is_sudo || is_self) {
        return Err(forbidden());
    }
    if is_self && is_sudo == Some(true) && !caller.is_sudo {
        return Err(detail(
            StatusCode::FORBIDDEN,
            "You can't make yourself sudoer!",
        ));
    }
    let mut db = sim.db();
    let admin = db
        .admins
        .get_mut(&username)
        .ok_or_else(|| not_found("Admin"))?;
    if !is_self && admin.is_sudo {
        // 0.4.9 passes a one-element tuple as `detail`: the answer carries a JSON array.
        let body = json!({"detail": [
            "You're not allowed to edit another sudoers account. Use marzban-cli instead."
        ]});
        return Err((StatusCode::FORBIDDEN, axum::Json(body)).into_response());
    }
    if is_sudo == Some(true) {
        admin.is_sudo = true;
    }
    if let Some(p) = password.filter(|p| *p != admin.password) {
        admin.password = p;
        admin.password_reset = Some(Instant::now());
    }
    if let Some(t) = telegram_id.filter(|t| *t != 0) {
        admin.telegram_id = Some(t);
    }
    if let Some(d) = discord_webhook.filter(|d| !d.is_empty()) {
        admin.discord_webhook = Some(d);
    }
    let version = db.version;
    let admin = db.admins.get(&username).ok_or_else(|| not_found("Admin"))?;
    ok(admin_json(version, admin))
}

pub async fn remove_admin(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    let admin = db.admins.get(&username).ok_or_else(|| not_found("Admin"))?;
    if admin.is_sudo {
        return Err(detail(
            StatusCode::FORBIDDEN,
            "You're not allowed to delete sudoers accounts. Use marzban-cli instead.",
        ));
    }
    db.admins.remove(&username);
    // Its users stay, without an owner (the foreign key is nulled).
    for u in db.users_mut() {
        if u.admin.as_deref() == Some(username.as_str()) {
            u.admin = None;
        }
    }
    ok(json!({}))
}

/// Sudo only; `username` filters by case-insensitive substring, `offset`/`limit` page (0 = no
/// limit).
pub async fn get_admins(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let params = Params(params);
    let mut errors = Map::new();
    let offset = params.int("offset", &mut errors);
    let limit = params.int("limit", &mut errors);
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    caller.require_sudo()?;
    let needle = params.get("username").map(str::to_lowercase);
    let db = sim.db();
    let list: Vec<Value> = db
        .admins
        .values()
        .filter(|a| {
            needle
                .as_deref()
                .is_none_or(|n| a.username.to_lowercase().contains(n))
        })
        .skip(offset.unwrap_or(0).max(0) as usize)
        .take(limit.filter(|l| *l > 0).map_or(usize::MAX, |l| l as usize))
        .map(|a| admin_json(db.version, a))
        .collect();
    ok(Value::Array(list))
}
