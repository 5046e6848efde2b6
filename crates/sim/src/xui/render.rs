//! The JSON shapes the simulated panel answers with, and share links.

use base64::Engine;
use serde_json::{json, Map, Value};

use super::state::{SimClient, SimInbound, State};

/// `{success:true, msg, obj}`, which 3x-ui always sends with all three keys.
pub fn envelope(obj: Value, msg: &str) -> Value {
    json!({ "success": true, "msg": msg, "obj": obj })
}

pub fn failure(msg: &str) -> Value {
    json!({ "success": false, "msg": msg, "obj": null })
}

fn traffic_counters(c: &SimClient) -> Value {
    json!({ "up": c.up_bytes, "down": c.down_bytes, "enable": c.enable })
}

/// A full client record (`list`, `get/:email`): ClientRecord plus attachments.
pub fn record(c: &SimClient) -> Value {
    json!({
        "id": c.id,
        "email": c.email,
        "subId": c.sub_id,
        "uuid": c.uuid,
        "password": c.password,
        "auth": "",
        "flow": c.flow,
        "security": c.security,
        "comment": c.comment,
        "group": c.group,
        "tgId": c.tg_id,
        "totalGB": c.total_bytes,
        "expiryTime": c.expiry_time_ms,
        "enable": c.enable,
        "limitIp": c.limit_ip,
        "limitHwid": c.limit_hwid,
        "reset": c.reset_days,
        "resetDay": 0,
        "resetMax": 0,
        "trafficReset": "never",
        "trafficResetDay": 1,
        "adTag": "",
        "allowedIPs": "",
        "keepAlive": 0,
        "preSharedKey": "",
        "privateKey": "",
        "publicKey": "",
        "secret": "",
        "reverse": null,
        "createdAt": c.created_at_ms,
        "updatedAt": c.updated_at_ms,
        "inboundIds": c.inbound_ids,
        "traffic": traffic_counters(c),
        "externalLinks": c.external_links,
    })
}

/// A slim row of `list/paged` (no secrets).
pub fn row(c: &SimClient) -> Value {
    json!({
        "id": c.id,
        "email": c.email,
        "subId": c.sub_id,
        "enable": c.enable,
        "totalGB": c.total_bytes,
        "expiryTime": c.expiry_time_ms,
        "limitIp": c.limit_ip,
        "limitHwid": c.limit_hwid,
        "reset": c.reset_days,
        "comment": c.comment,
        "group": c.group,
        "inboundIds": c.inbound_ids,
        "traffic": traffic_counters(c),
        "lastOnline": c.last_online_ms,
        "createdAt": c.created_at_ms,
        "updatedAt": c.updated_at_ms,
    })
}

/// The client payload `export` emits and `import`/`bulkCreate` accept.
pub fn payload(c: &SimClient) -> Value {
    let mut v = json!({
        "email": c.email,
        "id": c.uuid,
        "flow": c.flow,
        "totalGB": c.total_bytes,
        "expiryTime": c.expiry_time_ms,
        "limitIp": c.limit_ip,
        "limitHwid": c.limit_hwid,
        "tgId": c.tg_id,
        "subId": c.sub_id,
        "comment": c.comment,
        "group": c.group,
        "reset": c.reset_days,
        "enable": c.enable,
    });
    if !c.password.is_empty() {
        v["password"] = json!(c.password);
    }
    v
}

/// A `client_traffics` row (ClientTraffic schema: every field present).
pub fn traffic(c: &SimClient) -> Value {
    json!({
        "id": c.traffic_id,
        "inboundId": c.inbound_ids.first().copied().unwrap_or(0),
        "enable": c.enable,
        "email": c.email,
        "uuid": c.uuid,
        "subId": c.sub_id,
        "up": c.up_bytes,
        "down": c.down_bytes,
        "total": c.total_bytes,
        "expiryTime": c.expiry_time_ms,
        "lastOnline": c.last_online_ms,
        "lastSubFetch": 0,
        "reset": c.reset_days,
        "resetCount": 0,
        "resetDay": 0,
        "resetMax": 0,
    })
}

/// The client's entry inside an inbound's `settings.clients` (per-protocol credential).
pub fn settings_client(c: &SimClient, inbound: &SimInbound) -> Value {
    let mut v = Map::new();
    match inbound.protocol.as_str() {
        "vless" => {
            v.insert("id".into(), json!(c.uuid));
            v.insert("flow".into(), json!(c.flow));
        }
        "vmess" => {
            v.insert("id".into(), json!(c.uuid));
            v.insert(
                "security".into(),
                json!(if c.security.is_empty() {
                    "auto"
                } else {
                    &c.security
                }),
            );
        }
        _ => {
            v.insert("password".into(), json!(c.password));
        }
    }
    for (k, val) in [
        ("email", json!(c.email)),
        ("limitIp", json!(c.limit_ip)),
        ("totalGB", json!(c.total_bytes)),
        ("expiryTime", json!(c.expiry_time_ms)),
        ("enable", json!(c.enable)),
        ("tgId", json!(c.tg_id)),
        ("subId", json!(c.sub_id)),
        ("comment", json!(c.comment)),
        ("reset", json!(c.reset_days)),
    ] {
        v.insert(k.into(), val);
    }
    Value::Object(v)
}

/// An inbound as `inbounds/list` shows it. Legacy panels send `settings`,
/// `streamSettings` and `sniffing` as JSON-encoded strings.
pub fn inbound(state: &State, inbound: &SimInbound) -> Value {
    let members: Vec<&SimClient> = state
        .clients
        .iter()
        .filter(|c| c.inbound_ids.contains(&inbound.id))
        .collect();
    let mut settings = json!({
        "clients": members.iter().map(|c| settings_client(c, inbound)).collect::<Vec<_>>(),
    });
    match inbound.protocol.as_str() {
        "vless" => settings["decryption"] = json!("none"),
        "shadowsocks" => settings["method"] = json!(inbound.ss_method),
        _ => {}
    }
    let stream = json!({ "network": "tcp", "security": "none" });
    let sniffing = json!({ "enabled": false, "destOverride": [] });
    let (settings, stream, sniffing) = if state.legacy {
        (
            json!(settings.to_string()),
            json!(stream.to_string()),
            json!(sniffing.to_string()),
        )
    } else {
        (settings, stream, sniffing)
    };
    json!({
        "id": inbound.id,
        "up": inbound.up_bytes,
        "down": inbound.down_bytes,
        "total": 0,
        "remark": inbound.remark,
        "enable": inbound.enable,
        "expiryTime": 0,
        "clientStats": members.iter().map(|c| traffic(c)).collect::<Vec<_>>(),
        "disableFlow": false,
        "fallbackParent": null,
        "lastTrafficResetTime": 0,
        "listen": "",
        "nodeId": null,
        "originNodeGuid": "",
        "port": inbound.port,
        "protocol": inbound.protocol,
        "settings": settings,
        "streamSettings": stream,
        "sniffing": sniffing,
        "shareAddr": "",
        "shareAddrStrategy": "node",
        "subSortIndex": 1,
        "tag": inbound.tag,
        "trafficReset": "never",
        "trafficResetDay": 1,
    })
}

pub fn inbound_option(inbound: &SimInbound) -> Value {
    json!({
        "enable": inbound.enable,
        "id": inbound.id,
        "listen": "",
        "mtprotoDomain": "",
        "nodeAddress": "",
        "nodeId": null,
        "port": inbound.port,
        "protocol": inbound.protocol,
        "remark": inbound.remark,
        "shareAddr": "",
        "shareAddrStrategy": "",
        "ssMethod": inbound.ss_method,
        "tag": inbound.tag,
        "tlsFlowCapable": false,
        "wgDns": "",
        "wgMtu": 0,
        "wgPublicKey": "",
    })
}

fn fragment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'@') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The share URL of a client on one inbound, for `host` (the panel's address as the
/// request reached it). `None` for protocols without a URL form.
pub fn link(c: &SimClient, inbound: &SimInbound, host: &str) -> Option<String> {
    let name = fragment(&format!("{}-{}", inbound.remark, c.email));
    let port = inbound.port;
    let b64 = &base64::engine::general_purpose::STANDARD;
    match inbound.protocol.as_str() {
        "vless" => Some(format!(
            "vless://{}@{host}:{port}?type=tcp&security=none&encryption=none#{name}",
            c.uuid
        )),
        "vmess" => {
            let cfg = json!({
                "v": "2", "ps": format!("{}-{}", inbound.remark, c.email), "add": host,
                "port": port, "id": c.uuid, "net": "tcp", "type": "none", "tls": "none",
            });
            Some(format!("vmess://{}", b64.encode(cfg.to_string())))
        }
        "trojan" => Some(format!(
            "trojan://{}@{host}:{port}?type=tcp&security=none#{name}",
            fragment(&c.password)
        )),
        "shadowsocks" => {
            let user = b64.encode(format!("{}:{}", inbound.ss_method, c.password));
            Some(format!("ss://{user}@{host}:{port}?type=tcp#{name}"))
        }
        _ => None,
    }
}
