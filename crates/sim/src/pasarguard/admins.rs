//! Sign-in, admins and roles, API keys and the first-owner route (`app/routers/admin.py`,
//! `app/routers/api_key.py`, `app/routers/setup.py` at v5.2.1; steps 1–8, 50–65, 96).

use axum::{
    body::Bytes,
    extract::{Path, State as AxState},
    http::{HeaderMap, StatusCode},
};
use serde_json::{json, Value};

use super::{
    http::{
        authenticate, b64url, created, detail, hmac_sha256, invalid, invalid_all, no_content,
        not_found, object, ok, Reply, Sim,
    },
    state::{iso_z, AdminRec, State},
};

/// The seeded roles as admin answers show them (owner: step 7; operator: step 51;
/// administrator: `ADMINISTRATOR_PERMISSIONS` of `66c38b8a687a_admin_rbac_roles.py`).
fn role_json(role_id: i64) -> Value {
    let all = |scope: u8| json!({"create": true, "read": {"scope": scope}, "read_simple": {"scope": scope}, "update": {"scope": scope}, "delete": {"scope": scope}, "reset_usage": {"scope": scope}, "revoke_sub": {"scope": scope}, "set_owner": if scope == 2 { json!(true) } else { Value::Null }, "activate_next_plan": {"scope": scope}});
    let crud =
        |on: bool| json!({"create": on, "read": on, "read_simple": on, "update": on, "delete": on});
    let (name, owner, permissions) = match role_id {
        1 | 2 => (
            if role_id == 1 {
                "owner"
            } else {
                "administrator"
            },
            role_id == 1,
            json!({"users": all(2), "admins": {"create": true, "read": true, "read_simple": true, "update": true, "delete": true, "reset_usage": true},
                "nodes": {"create": true, "read": true, "read_simple": true, "update": true, "delete": true, "reconnect": true, "update_core": true, "logs": true, "stats": true},
                "groups": crud(true), "hosts": {"create": true, "read": true, "update": true}, "templates": crud(true),
                "client_templates": crud(true), "cores": crud(true), "settings": {"read": true, "read_general": true, "update": true},
                "system": {"read": true}, "hwids": {"read": true, "delete": true}, "admin_roles": crud(role_id == 1),
                "api_keys": {"create": true, "read": {"scope": 2}, "read_simple": {"scope": 2}, "update": {"scope": 2}, "delete": {"scope": 2}}}),
        ),
        _ => (
            "operator",
            false,
            json!({"users": all(1), "admins": null, "nodes": null,
                "groups": {"create": false, "read": false, "read_simple": true, "update": false, "delete": false},
                "hosts": null, "templates": {"create": false, "read": true, "read_simple": true, "update": false, "delete": false},
                "client_templates": null, "cores": null, "settings": {"read": false, "read_general": true, "update": false},
                "system": {"read": true}, "hwids": {"read": true, "delete": true}, "admin_roles": null,
                "api_keys": {"create": null, "read": {"scope": 1}, "read_simple": {"scope": 1}, "update": {"scope": 1}, "delete": {"scope": 1}}}),
        ),
    };
    json!({"id": role_id, "name": name, "is_owner": owner, "permissions": permissions,
        "limits": {"max_users": null, "data_limit_min": null, "data_limit_max": null, "expire_min": null, "expire_max": null, "min_hwid_per_user": null, "max_hwid_per_user": null, "on_hold_timeout_min": null, "on_hold_timeout_max": null},
        "features": {"can_use_reset_strategy": true, "can_use_next_plan": true},
        "access": {"require_template": false, "allowed_template_ids": null, "allowed_group_ids": null},
        "hwid": {"enabled": true, "forced": false, "require_hwid_for_manual_sub": false, "fallback_limit": null, "min_limit": null, "max_limit": null, "mode": "use_global"},
        "disabled_when_limited": false, "disconnect_users_when_limited": true, "disconnect_users_when_disabled": true})
}

/// `AdminDetails` (step 7).
fn admin_json(db: &State, a: &AdminRec) -> Value {
    let total = db.users.values().filter(|u| u.admin_id == a.id).count();
    json!({"id": a.id, "username": a.username, "telegram_id": null, "discord_webhook": null, "sub_domain": null,
        "profile_title": null, "support_url": null, "custom_variables": [], "notification_enable": null,
        "total_users": total, "used_traffic": 0, "data_limit": a.data_limit, "status": "active", "sub_template": null,
        "lifetime_used_traffic": 0, "note": a.note, "role": role_json(a.role_id), "permission_overrides": null,
        "is_disabled": false, "is_limited": false})
}

/// `POST /api/admin/token`: form fields only (a JSON body is 422 for both fields, step 4);
/// the JWT carries `sub`, `access`, `iat`, `aid` and `exp` (`app/utils/jwt.py`).
pub async fn token(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let is_form = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let form: Vec<(String, String)> = if is_form {
        serde_urlencoded_pairs(&body)
    } else {
        Vec::new()
    };
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let (username, password) = (field("username"), field("password"));
    let mut missing = serde_json::Map::new();
    for (k, v) in [("username", &username), ("password", &password)] {
        if v.is_none() {
            missing.insert(k.into(), json!("Field required"));
        }
    }
    if !missing.is_empty() {
        return Err(invalid_all(missing));
    }
    let mut db = sim.db();
    let admin = db
        .admin_by_name(username.as_deref().unwrap_or_default())
        .filter(|a| Some(&a.password) == password.as_ref())
        .map(|a| (a.id, a.username.clone()))
        .ok_or_else(|| detail(StatusCode::UNAUTHORIZED, "Incorrect username or password"))?;
    let iat = db.now_secs();
    let exp = iat + db.token_ttl_secs;
    let claims = json!({"sub": admin.1, "access": "admin", "iat": iat, "aid": admin.0, "exp": exp});
    let input = format!(
        "{}.{}",
        b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(claims.to_string().as_bytes())
    );
    let token = format!(
        "{input}.{}",
        b64url(&hmac_sha256(&db.secret, input.as_bytes()))
    );
    db.tokens.insert(token.clone(), (admin.0, exp));
    ok(json!({"access_token": token, "token_type": "bearer"}))
}

fn serde_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// `GET /api/admin`: the caller (steps 7, 62).
pub async fn current(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let db = sim.db();
    let a = db
        .admins
        .get(&caller.admin_id)
        .ok_or_else(|| not_found("Admin"))?;
    ok(admin_json(&db, a))
}

/// `GET /api/admins` → `{admins, total}` (step 53); operators lack `admins.read` (step 59).
pub async fn list(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require("admins.read")?;
    let db = sim.db();
    let admins: Vec<Value> = db.admins.values().map(|a| admin_json(&db, a)).collect();
    ok(json!({"total": admins.len(), "admins": admins}))
}

/// `PasswordValidator` (`app/models/validators.py`): every failed rule, joined (step 52).
fn password_problems(password: &str, username: &str) -> Option<String> {
    let count = |f: fn(&char) -> bool| password.chars().filter(f).count();
    let mut out = Vec::new();
    if password.len() < 12 {
        out.push("Password must be at least 12 characters long");
    }
    if count(char::is_ascii_digit) < 2 {
        out.push("Password must contain at least 2 digits");
    }
    if count(char::is_ascii_uppercase) < 2 {
        out.push("Password must contain at least 2 uppercase letters");
    }
    if count(char::is_ascii_lowercase) < 2 {
        out.push("Password must contain at least 2 lowercase letters");
    }
    if count(|c| !c.is_ascii_alphanumeric()) < 1 {
        out.push("Password must contain at least one special character");
    }
    if !username.is_empty() && password.contains(username) {
        out.push("Password cannot contain the username");
    }
    (!out.is_empty()).then(|| format!("Value error, {}", out.join("; ")))
}

/// `POST /api/admin` `{username, password, role_id}` → 201 (steps 51, 52).
pub async fn create(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    authenticate(&sim, &headers)?.require("admins.create")?;
    let body = object(&body)?;
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (username, password) = (text("username"), text("password"));
    if let Some(problem) = password_problems(&password, &username) {
        return Err(invalid("password", &problem));
    }
    let mut db = sim.db();
    if db.admin_by_name(&username).is_some() {
        return Err(detail(StatusCode::CONFLICT, "Admin already exists"));
    }
    let id = db.next("admins");
    let role_id = body.get("role_id").and_then(Value::as_i64).unwrap_or(3);
    let note = body.get("note").and_then(Value::as_str).map(str::to_owned);
    db.admins.insert(
        id,
        AdminRec {
            id,
            username,
            password,
            role_id,
            note,
            data_limit: None,
        },
    );
    let a = db.admins.get(&id).ok_or_else(|| not_found("Admin"))?;
    created(admin_json(&db, a))
}

/// `PUT /api/admin/{username}` (step 54).
pub async fn modify(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
    body: Bytes,
) -> Reply {
    authenticate(&sim, &headers)?.require("admins.update")?;
    let body = object(&body)?;
    let mut db = sim.db();
    let id = db
        .admin_by_name(&username)
        .map(|a| a.id)
        .ok_or_else(|| not_found("Admin"))?;
    if let Some(a) = db.admins.get_mut(&id) {
        if let Some(n) = body.get("note").and_then(Value::as_str) {
            a.note = Some(n.to_owned());
        }
        if let Some(l) = body.get("data_limit").and_then(Value::as_i64) {
            a.data_limit = Some(l);
        }
        if let Some(r) = body.get("role_id").and_then(Value::as_i64) {
            a.role_id = r;
        }
    }
    let a = db.admins.get(&id).ok_or_else(|| not_found("Admin"))?;
    ok(admin_json(&db, a))
}

/// `DELETE /api/admin/{username}` → 204 (step 96).
pub async fn remove(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(username): Path<String>,
) -> Reply {
    authenticate(&sim, &headers)?.require("admins.delete")?;
    let mut db = sim.db();
    let id = db
        .admin_by_name(&username)
        .map(|a| a.id)
        .ok_or_else(|| not_found("Admin"))?;
    db.admins.remove(&id);
    no_content()
}

/// `GET /api/admin-roles/simple` (step 50).
pub async fn roles(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    ok(json!({"roles": [
        {"id": 1, "name": "owner", "is_owner": true},
        {"id": 2, "name": "administrator", "is_owner": false},
        {"id": 3, "name": "operator", "is_owner": false}], "total": 3}))
}

/// `POST /api/setup/owner`: 409 once an owner exists, before the key is checked (step 8).
pub async fn setup_owner(AxState(sim): AxState<Sim>) -> Reply {
    let db = sim.db();
    if db.admins.values().any(|a| a.role_id == 1) {
        return Err(detail(StatusCode::CONFLICT, "owner already exists"));
    }
    Err(detail(StatusCode::BAD_REQUEST, "invalid key"))
}

/// `POST /api/api_key` → 201 with the whole key this one time (step 60).
pub async fn create_key(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let body = object(&body)?;
    let mut db = sim.db();
    let id = db.next("api_keys");
    let key = format!("pg_key_{}", crate::seed::uuid(&mut db.rng));
    let trimmed = format!("{}***{}", &key[..10], &key[key.len() - 3..]);
    let created_at = iso_z(db.now_micros()).trim_end_matches('Z').to_owned();
    let permissions: serde_json::Map<String, Value> = [
        "users",
        "admins",
        "nodes",
        "groups",
        "hosts",
        "templates",
        "client_templates",
        "cores",
        "settings",
        "system",
        "hwids",
        "admin_roles",
        "api_keys",
    ]
    .iter()
    .map(|k| (k.to_string(), Value::Null))
    .collect();
    let stored = json!({"name": body.get("name"), "note": body.get("note"), "permissions": permissions,
        "inherit_permissions": true, "expire_date": null, "id": id, "admin_id": caller.admin_id,
        "created_at": created_at, "api_key_trimmed": trimmed, "revoked_at": null, "status": "active", "is_expired": false});
    let mut answer = stored.clone();
    answer["api_key"] = json!(key);
    db.api_keys.insert(
        id,
        super::state::ApiKeyRec {
            id,
            key,
            admin_id: caller.admin_id,
            body: stored,
        },
    );
    created(answer)
}

/// `GET /api/api_keys` → `{api_keys, total}` without the keys (step 61).
pub async fn list_keys(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    let db = sim.db();
    let keys: Vec<Value> = db.api_keys.values().map(|k| k.body.clone()).collect();
    ok(json!({"total": keys.len(), "api_keys": keys}))
}

/// `DELETE /api/api_key/{id}` → 204 (step 64); the key stops working (step 65).
pub async fn remove_key(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Reply {
    authenticate(&sim, &headers)?;
    let mut db = sim.db();
    db.api_keys
        .remove(&id)
        .map(|k| k.id)
        .ok_or_else(|| not_found("API key"))?;
    Ok(axum::response::IntoResponse::into_response(
        StatusCode::NO_CONTENT,
    ))
}
