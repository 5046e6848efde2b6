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
    let mut count = std::collections::HashMap::<&str, usize>::new();
    let mut total = 0;
    for u in mine {
        total += 1;
        *count.entry(u.status.as_str()).or_default() += 1;
    }
    let active = count.get("active").copied().unwrap_or(0);
    let mut answer = json!({
        "version": db.version.as_str(),
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
    });
    // 0.8.4 also counts users per status and online users (recorded step 8).
    if db.version.is_0_8() {
        if let Some(obj) = answer.as_object_mut() {
            let n = |s: &str| json!(count.get(s).copied().unwrap_or(0));
            obj.insert("online_users".into(), json!(0));
            obj.insert("users_on_hold".into(), n("on_hold"));
            obj.insert("users_disabled".into(), n("disabled"));
            obj.insert("users_expired".into(), n("expired"));
            obj.insert("users_limited".into(), n("limited"));
        }
    }
    ok(answer)
}

pub async fn inbounds(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?;
    let db = sim.db();
    ok(inbounds_json(&db.inbounds))
}

/// Hosts per inbound tag. 0.8.4's `ProxyHost` adds five settings, answered with their
/// defaults unless set (recorded step 55 of the 0.8.4 transcript).
fn hosts_json(db: &super::state::State) -> Value {
    const ADDED_IN_0_8: [(&str, Value); 5] = [
        ("mux_enable", Value::Bool(false)),
        ("fragment_setting", Value::Null),
        ("noise_setting", Value::Null),
        ("random_user_agent", Value::Bool(false)),
        ("use_sni_as_host", Value::Bool(false)),
    ];
    let map: Map<String, Value> = db
        .inbounds
        .iter()
        .map(|i| {
            let mut list = db.hosts.get(&i.tag).cloned().unwrap_or_default();
            if db.version.is_0_8() {
                for host in list.iter_mut().filter_map(Value::as_object_mut) {
                    for (k, v) in &ADDED_IN_0_8 {
                        host.entry(*k).or_insert_with(|| v.clone());
                    }
                }
            }
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
