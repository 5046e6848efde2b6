//! The JSON shapes the simulated panel answers with, and share links.

use base64::Engine;
use serde::Serialize;
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

/// A full client record (`list`, `get/:email`): ClientRecord plus attachments. A typed view
/// rather than a `json!` map: `list` renders every client, and building 36-key maps for
/// 25,000 of them cost the simulator a second of CPU.
#[derive(Serialize)]
pub struct Record<'a> {
    id: i64,
    email: &'a str,
    #[serde(rename = "subId")]
    sub_id: &'a str,
    uuid: &'a str,
    password: &'a str,
    auth: &'static str,
    flow: &'a str,
    security: &'a str,
    comment: &'a str,
    group: &'a str,
    #[serde(rename = "tgId")]
    tg_id: i64,
    #[serde(rename = "totalGB")]
    total_gb: i64,
    #[serde(rename = "expiryTime")]
    expiry_time: i64,
    enable: bool,
    #[serde(rename = "limitIp")]
    limit_ip: i64,
    #[serde(rename = "limitHwid")]
    limit_hwid: i64,
    reset: i64,
    #[serde(rename = "resetDay")]
    reset_day: i64,
    #[serde(rename = "resetMax")]
    reset_max: i64,
    #[serde(rename = "trafficReset")]
    traffic_reset: &'static str,
    #[serde(rename = "trafficResetDay")]
    traffic_reset_day: i64,
    #[serde(rename = "adTag")]
    ad_tag: &'static str,
    #[serde(rename = "allowedIPs")]
    allowed_ips: &'static str,
    #[serde(rename = "keepAlive")]
    keep_alive: i64,
    #[serde(rename = "preSharedKey")]
    pre_shared_key: &'static str,
    #[serde(rename = "privateKey")]
    private_key: &'static str,
    #[serde(rename = "publicKey")]
    public_key: &'static str,
    secret: &'static str,
    reverse: Option<()>,
    #[serde(rename = "createdAt")]
    created_at: i64,
    #[serde(rename = "updatedAt")]
    updated_at: i64,
    #[serde(rename = "inboundIds")]
    inbound_ids: &'a [i64],
    traffic: Counters,
    #[serde(rename = "externalLinks")]
    external_links: &'a [Value],
}

#[derive(Serialize)]
struct Counters {
    up: i64,
    down: i64,
    enable: bool,
}

impl<'a> Record<'a> {
    pub fn of(c: &'a SimClient) -> Self {
        Record {
            id: c.id,
            email: &c.email,
            sub_id: &c.sub_id,
            uuid: &c.uuid,
            password: &c.password,
            auth: "",
            flow: &c.flow,
            security: &c.security,
            comment: &c.comment,
            group: &c.group,
            tg_id: c.tg_id,
            total_gb: c.total_bytes,
            expiry_time: c.expiry_time_ms,
            enable: c.enable,
            limit_ip: c.limit_ip,
            limit_hwid: c.limit_hwid,
            reset: c.reset_days,
            reset_day: 0,
            reset_max: 0,
            traffic_reset: "never",
            traffic_reset_day: 1,
            ad_tag: "",
            allowed_ips: "",
            keep_alive: 0,
            pre_shared_key: "",
            private_key: "",
            public_key: "",
            secret: "",
            reverse: None,
            created_at: c.created_at_ms,
            updated_at: c.updated_at_ms,
            inbound_ids: &c.inbound_ids,
            traffic: Counters {
                up: c.up_bytes,
                down: c.down_bytes,
                enable: c.enable,
            },
            external_links: &c.external_links,
        }
    }
}

pub fn record(c: &SimClient) -> Value {
    serde_json::to_value(Record::of(c)).unwrap_or(Value::Null)
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
