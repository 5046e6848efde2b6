//! `/api/system`, `/api/inbounds`, `/api/hosts`, `/api/core*`.

use axum::{
    body::Bytes,
    extract::State as AxState,
    http::{HeaderMap, StatusCode},
};
use serde_json::{json, Map, Value};

use super::{
    common::{authenticate, detail, invalid, ok, Reply, Sim},
    core::{default_host, inbounds_json, parse_inbounds},
    state::Status,
    XRAY_VERSION,
};

pub async fn system(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let mut db = sim.db();
    db.review_all();
    let mine = db
        .users
        .values()
        .filter(|u| caller.may_touch(u.admin.as_deref()));
    let (total, active) = mine.fold((0, 0), |(t, a), u| {
        (t + 1, a + usize::from(u.status == Status::Active))
    });
    ok(json!({
        "version": super::MARZBAN_VERSION,
        "mem_total": 8_589_934_592_i64,
        "mem_used": 1_073_741_824_i64 + (total as i64) * 65_536,
        "cpu_cores": 2,
        "cpu_usage": 3.5,
        "total_user": total,
        "users_active": active,
        "incoming_bandwidth": db.incoming,
        "outgoing_bandwidth": db.outgoing,
        "incoming_bandwidth_speed": 0,
        "outgoing_bandwidth_speed": 0,
    }))
}

pub async fn inbounds(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    let db = sim.db();
    ok(inbounds_json(&db.inbounds))
}

fn hosts_json(db: &super::state::State) -> Value {
    let map: Map<String, Value> = db
        .inbounds
        .iter()
        .map(|i| {
            let list = db.hosts.get(&i.tag).cloned().unwrap_or_default();
            (i.tag.clone(), Value::Array(list))
        })
        .collect();
    Value::Object(map)
}

pub async fn get_hosts(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    let db = sim.db();
    ok(hosts_json(&db))
}

const SECURITY: [&str; 3] = ["inbound_default", "none", "tls"];
const ALPN: [&str; 4] = ["", "h2", "http/1.1", "h2,http/1.1"];
const FINGERPRINTS: [&str; 11] = [
    "",
    "chrome",
    "firefox",
    "safari",
    "ios",
    "android",
    "edge",
    "360",
    "qq",
    "random",
    "randomized",
];

/// Whether Python's `str.format_map` accepts `s`: `{{`/`}}` escapes, `{name}` fields, no
/// lone or nested braces.
fn format_ok(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
            }
            '{' => loop {
                match chars.next() {
                    Some('}') => break,
                    Some('{') | None => return false,
                    Some(_) => {}
                }
            },
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
            }
            '}' => return false,
            _ => {}
        }
    }
    true
}

/// A `ProxyHost` with defaults filled in, or the field it failed on.
fn check_host(raw: &Value) -> Result<Value, (String, String)> {
    let obj = raw
        .as_object()
        .ok_or(("hosts".to_owned(), "value is not a valid dict".to_owned()))?;
    let mut f = super::common::Fields::new(obj);
    let remark = if f.required("remark") {
        f.string("remark")
    } else {
        None
    };
    let address = if f.required("address") {
        f.string("address")
    } else {
        None
    };
    let port = f.int("port", None);
    let sni = f.string("sni");
    let host = f.string("host");
    let path = f.string("path");
    let security = f.choice("security", &SECURITY);
    let alpn = f.choice("alpn", &ALPN);
    let fingerprint = f.choice("fingerprint", &FINGERPRINTS);
    let allowinsecure = f.boolean("allowinsecure");
    let is_disabled = f.boolean("is_disabled");
    for (key, value) in [("remark", &remark), ("address", &address)] {
        if value.as_deref().is_some_and(|v| !format_ok(v)) {
            f.error(key, "Invalid formatting variables");
        }
    }
    if let Some((k, v)) = f.errors.iter().next() {
        return Err((k.clone(), v.as_str().unwrap_or_default().to_owned()));
    }
    Ok(json!({
        "remark": remark, "address": address, "port": port, "sni": sni, "host": host,
        "path": path, "security": security.unwrap_or_else(|| "inbound_default".into()),
        "alpn": alpn.unwrap_or_default(), "fingerprint": fingerprint.unwrap_or_default(),
        // Not defaulted: a host saved without it reads back `null`.
        "allowinsecure": allowinsecure, "is_disabled": is_disabled,
    }))
}

/// Replaces the hosts of the tags given (others keep theirs); answers all hosts.
pub async fn modify_hosts(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = super::common::json_object(&body)?;
    let mut parsed = Vec::new();
    for (tag, list) in &obj {
        let Some(list) = list.as_array() else {
            return Err(super::common::invalid_one(tag, "value is not a valid list"));
        };
        let mut hosts = Vec::new();
        for raw in list {
            match check_host(raw) {
                Ok(h) => hosts.push(h),
                Err((field, msg)) => {
                    let mut m = Map::new();
                    m.insert(field, json!(msg));
                    return Err(invalid(m));
                }
            }
        }
        parsed.push((tag.clone(), hosts));
    }
    caller.require_sudo()?;
    let mut db = sim.db();
    for (tag, _) in &parsed {
        if db.inbound(tag).is_none() {
            return Err(detail(
                StatusCode::BAD_REQUEST,
                format!("Inbound {tag} doesn't exist"),
            ));
        }
    }
    for (tag, hosts) in parsed {
        db.hosts.insert(tag, hosts);
    }
    db.links_revision += 1;
    ok(hosts_json(&db))
}

pub async fn core_stats(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    ok(json!({"version": XRAY_VERSION, "started": true, "logs_websocket": "/api/core/logs"}))
}

pub async fn restart_core(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    sim.db().core_restarts += 1;
    ok(json!({}))
}

pub async fn get_core_config(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    let db = sim.db();
    ok(db.core_config.clone())
}

/// Replaces the config and restarts the core: inbounds follow the new config, new inbound tags
/// get the default host, hosts of removed tags go.
pub async fn modify_core_config(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = super::common::json_object(&body)?;
    caller.require_sudo()?;
    let config = Value::Object(obj);
    let inbounds = parse_inbounds(&config).map_err(|e| detail(StatusCode::BAD_REQUEST, e))?;
    let mut db = sim.db();
    db.hosts
        .retain(|tag, _| inbounds.iter().any(|i| &i.tag == tag));
    for i in &inbounds {
        db.hosts
            .entry(i.tag.clone())
            .or_insert_with(|| vec![default_host()]);
    }
    db.inbounds = inbounds;
    db.links_revision += 1;
    db.core_config = config.clone();
    db.core_restarts += 1;
    ok(config)
}
