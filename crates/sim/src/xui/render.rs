//! The JSON shapes the simulated panel answers with, and share links.

use base64::Engine;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{
    records::traffic,
    state::{SimClient, SimInbound, State},
};

/// `{success:true, msg, obj}`, which 3x-ui always sends with all three keys.
pub fn envelope(obj: Value, msg: &str) -> Value {
    json!({ "success": true, "msg": msg, "obj": obj })
}

pub fn failure(msg: &str) -> Value {
    json!({ "success": false, "msg": msg, "obj": null })
}

/// `{success:true, msg:"", obj}` around any serialisable `obj`, as the HTTP body.
/// `capacity`: about the size of the answer, so a list of megabytes is not copied each time
/// its buffer doubles.
pub fn envelope_bytes(obj: &impl Serialize, capacity: usize) -> Vec<u8> {
    #[derive(Serialize)]
    struct Envelope<'a, T> {
        success: bool,
        msg: &'a str,
        obj: &'a T,
    }
    let mut out = Vec::with_capacity(capacity);
    match serde_json::to_writer(
        &mut out,
        &Envelope {
            success: true,
            msg: "",
            obj,
        },
    ) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
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
    let v = state.version;
    // Up to v3.0.x these three are JSON text in strings; objects from v3.1.0 (facts §5.1).
    let (settings, stream, sniffing) = if v.clients_api() {
        (settings, stream, sniffing)
    } else {
        (
            json!(settings.to_string()),
            json!(stream.to_string()),
            json!(sniffing.to_string()),
        )
    };
    let mut out = json!({
        "id": inbound.id,
        "up": inbound.up_bytes,
        "down": inbound.down_bytes,
        "total": 0,
        "remark": inbound.remark,
        "enable": inbound.enable,
        "expiryTime": 0,
        "trafficReset": "never",
        "lastTrafficResetTime": 0,
        "clientStats": members.iter().map(|c| traffic(c, v)).collect::<Vec<_>>(),
        "listen": "",
        "port": inbound.port,
        "protocol": inbound.protocol,
        "settings": settings,
        "streamSettings": stream,
        "sniffing": sniffing,
        "tag": inbound.tag,
    });
    // Field availability per version (facts §5.1); nodeId, fallbackParent and
    // originNodeGuid are omitempty and so absent on a panel without nodes.
    if !v.clients_api() {
        out["allTime"] = json!(inbound.up_bytes + inbound.down_bytes);
    }
    if v.v3_3_1() {
        out["subSortIndex"] = json!(1);
        out["shareAddrStrategy"] = json!("node");
        out["shareAddr"] = json!("");
    }
    if v.v3_6() {
        out["trafficResetDay"] = json!(1);
    }
    if v.head() {
        out["disableFlow"] = json!(false);
    }
    out
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
