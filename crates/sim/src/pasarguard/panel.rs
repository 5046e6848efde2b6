//! System stats, cores and inbounds, groups, hosts, nodes, user templates and `/health`
//! (steps 9–18, 66–70, 97).

use axum::{
    body::Bytes,
    extract::{Path, State as AxState},
    http::HeaderMap,
};
use serde_json::{json, Value};

use super::{
    http::{authenticate, created, invalid, no_content, not_found, object, ok, Reply, Sim},
    state::{iso_z, State, Status},
    PASARGUARD_VERSION,
};

/// `GET /health` → `{"status":"ok"}` without auth (v2.0.0+, `app/routers/home.py`; step 97).
pub async fn health() -> Reply {
    ok(json!({"status": "ok"}))
}

/// `GET /api/system` (step 9): PasarGuard's `active_users` and friends; the machine's numbers
/// are the simulator's own.
pub async fn system(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    let db = sim.db();
    let count = |s: Status| db.users.values().filter(|u| u.status == s).count();
    ok(json!({
        "total_user": db.users.len(), "online_users": 0,
        "active_users": count(Status::Active), "on_hold_users": count(Status::OnHold),
        "disabled_users": count(Status::Disabled), "expired_users": count(Status::Expired),
        "limited_users": count(Status::Limited),
        "incoming_bandwidth": 0, "outgoing_bandwidth": 0, "version": PASARGUARD_VERSION,
        "uptime_seconds": (db.now_micros() - db.started()) / 1_000_000, "mem_total": 8_589_934_592_i64, "mem_used": 1_073_741_824,
        "disk_total": 107_374_182_400_i64, "disk_used": 10_737_418_240_i64, "cpu_cores": 2, "cpu_usage": 0.0
    }))
}

/// `GET /api/cores` → `{count, cores}` (step 10).
pub async fn cores(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require("cores.read")?;
    let db = sim.db();
    ok(json!({"count": 1, "cores": [core_json(&db)]}))
}

/// `PUT /api/core/{id}?restart_nodes=` replaces the config (step 11).
pub async fn modify_core(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Reply {
    authenticate(&sim, &headers)?.require("cores.update")?;
    let body = object(&body)?;
    let mut db = sim.db();
    if db.core["id"] != id {
        return Err(not_found("Core config"));
    }
    for key in [
        "name",
        "config",
        "type",
        "exclude_inbound_tags",
        "fallbacks_inbound_tags",
    ] {
        if let Some(v) = body.get(key) {
            db.core[key] = v.clone();
        }
    }
    ok(core_json(&db))
}

fn core_json(db: &State) -> Value {
    let mut core = db.core.clone();
    core["created_at"] = json!(iso_z(db.started()));
    core
}

/// `GET /api/inbounds` → the tags (step 12).
pub async fn inbounds(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    ok(json!(sim.db().inbound_tags()))
}

fn group_json(db: &State, g: &Value) -> Value {
    let id = g["id"].as_i64().unwrap_or_default();
    let mut g = g.clone();
    g["total_users"] = json!(db
        .users
        .values()
        .filter(|u| u.group_ids.contains(&id))
        .count());
    g
}

/// Adds a group the way `POST /api/group` does (steps 13, 14).
pub fn add_group_rec(db: &mut State, name: &str, tags: &[String]) -> i64 {
    let id = db.next("groups");
    db.groups.insert(id, json!({"name": name, "inbound_tags": tags, "is_disabled": false, "id": id, "total_users": 0}));
    id
}

/// `POST /api/group` → 201.
pub async fn add_group(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    authenticate(&sim, &headers)?.require("groups.create")?;
    let body = object(&body)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("name", "Field required"))?;
    let tags: Vec<String> = body
        .get("inbound_tags")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut db = sim.db();
    let id = add_group_rec(&mut db, name, &tags);
    created(group_json(&db, &db.groups[&id]))
}

/// `GET /api/groups` → `{groups, total}` (step 15).
pub async fn groups(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    let db = sim.db();
    let list: Vec<Value> = db.groups.values().map(|g| group_json(&db, g)).collect();
    ok(json!({"total": list.len(), "groups": list}))
}

/// `GET /api/group/{id}`.
pub async fn group(AxState(sim): AxState<Sim>, headers: HeaderMap, Path(id): Path<i64>) -> Reply {
    authenticate(&sim, &headers)?;
    let db = sim.db();
    let g = db.groups.get(&id).ok_or_else(|| not_found("Group"))?;
    ok(group_json(&db, g))
}

/// A host with the defaults `POST /api/host/` fills in (step 16).
pub fn host_rec(db: &mut State, body: &serde_json::Map<String, Value>) -> Value {
    let id = db.next("hosts");
    let mut h = json!({"id": id, "remark": "", "address": [], "inbound_tag": null, "port": null, "sni": [], "host": [],
        "path": null, "security": "inbound_default", "alpn": [], "fingerprint": "", "allowinsecure": null,
        "is_disabled": false, "http_headers": null, "transport_settings": null, "mux_settings": null,
        "fragment_settings": null, "noise_settings": null, "random_user_agent": false, "use_sni_as_host": false,
        "vless_route": null, "priority": 0, "status": [], "ech_config_list": null, "ech_query_strategy": null,
        "pinned_peer_cert_sha256": null, "verify_peer_cert_by_name": [], "wireguard_overrides": null,
        "subscription_templates": null, "final_mask_settings": null});
    for (k, v) in body {
        if k != "id" {
            h[k] = v.clone();
        }
    }
    db.hosts.insert(id, h.clone());
    h
}

/// `POST /api/host/` → 201.
pub async fn add_host(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    authenticate(&sim, &headers)?.require("hosts.create")?;
    let body = object(&body)?;
    let mut db = sim.db();
    created(host_rec(&mut db, &body))
}

/// `GET /api/hosts` → a bare array (step 17).
pub async fn hosts(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require("hosts.read")?;
    ok(json!(sim.db().hosts.values().collect::<Vec<_>>()))
}

/// `GET /api/nodes` → `{nodes, total}`: the simulator has no nodes (step 18).
pub async fn nodes(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    ok(json!({"nodes": [], "total": 0}))
}

/// `UserTemplateResponse` defaults (step 66).
fn template_defaults(id: i64) -> Value {
    json!({"name": null, "data_limit": null, "hwid_limit": null, "expire_duration": null, "username_prefix": null,
        "username_suffix": null, "group_ids": [], "extra_settings": null, "status": "active", "reset_usages": false,
        "on_hold_timeout": null, "data_limit_reset_strategy": "no_reset", "is_disabled": false, "id": id})
}

/// `POST /api/user_template` → 201.
pub async fn add_template(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    authenticate(&sim, &headers)?.require("templates.create")?;
    let body = object(&body)?;
    let mut db = sim.db();
    let id = db.next("templates");
    let mut t = template_defaults(id);
    for (k, v) in &body {
        t[k] = v.clone();
    }
    db.templates.insert(id, t.clone());
    created(t)
}

/// `GET /api/user_templates` → a bare array (step 67).
pub async fn templates(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    ok(json!(sim.db().templates.values().collect::<Vec<_>>()))
}

/// `GET /api/user_template/{id}`.
pub async fn template(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Reply {
    authenticate(&sim, &headers)?;
    sim.db()
        .templates
        .get(&id)
        .cloned()
        .map_or_else(|| Err(not_found("User Template")), ok)
}

/// `PUT /api/user_template/{id}`: the fields sent change (step 68).
pub async fn modify_template(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Reply {
    authenticate(&sim, &headers)?.require("templates.update")?;
    let body = object(&body)?;
    let mut db = sim.db();
    let t = db
        .templates
        .get_mut(&id)
        .ok_or_else(|| not_found("User Template"))?;
    for (k, v) in &body {
        t[k] = v.clone();
    }
    ok(t.clone())
}

/// `DELETE /api/user_template/{id}` → 204; its users stay (step 70).
pub async fn remove_template(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Reply {
    authenticate(&sim, &headers)?.require("templates.delete")?;
    sim.db()
        .templates
        .remove(&id)
        .ok_or_else(|| not_found("User Template"))?;
    no_content()
}

/// The core a fresh install seeds: one Shadowsocks inbound (step 10); `created_at` is filled
/// in from the install time when answered.
pub fn seeded_core() -> Value {
    json!({"name": "Default Core Config", "config": {"policy": {"levels": {"0": {"statsUserOnline": true}}},
        "log": {"loglevel": "warning"},
        "inbounds": [{"tag": "Shadowsocks TCP", "listen": "0.0.0.0", "port": 1080, "protocol": "shadowsocks",
            "settings": {"clients": [], "network": "tcp,udp"}}],
        "outbounds": [{"protocol": "freedom", "tag": "DIRECT"}, {"protocol": "blackhole", "tag": "BLOCK"}],
        "routing": {"rules": [{"ip": ["geoip:private"], "outboundTag": "BLOCK", "type": "field"}]}},
        "type": "xray", "exclude_inbound_tags": [], "fallbacks_inbound_tags": [], "id": 1})
}
