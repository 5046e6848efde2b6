//! Inbounds, per-client traffic rows and server status (all generations), and the client
//! entries stored inside an inbound's `settings` (what the legacy API edits).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::wire::{InboundId, Protocol};
use crate::PanelError;

/// A `client_traffics` row (`clientStats[]`, `traffic/:email`, legacy `getClientTraffics`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientTraffic {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub inbound_id: Option<InboundId>,
    #[serde(default)]
    pub enable: bool,
    pub email: String,
    #[serde(default)]
    pub uuid: String,
    #[serde(default)]
    pub sub_id: String,
    #[serde(rename = "up", default)]
    pub up_bytes: i64,
    #[serde(rename = "down", default)]
    pub down_bytes: i64,
    /// Quota in bytes; 0 = unlimited.
    #[serde(rename = "total", default)]
    pub total_bytes: i64,
    /// Epoch ms; 0 = never; negative = start after first use.
    #[serde(rename = "expiryTime", default)]
    pub expiry_time_ms: i64,
    #[serde(rename = "lastOnline", default)]
    pub last_online_ms: i64,
    #[serde(rename = "lastSubFetch", default)]
    pub last_sub_fetch_ms: i64,
    #[serde(rename = "reset", default)]
    pub reset_days: i64,
    #[serde(default)]
    pub reset_count: i64,
    #[serde(default)]
    pub reset_day: i64,
    #[serde(default)]
    pub reset_max: i64,
}

/// An inbound of `inbounds/list` / `get/:id`. `settings`, `streamSettings` and `sniffing` are
/// nested objects on v3.x and JSON-encoded STRINGS on older panels; both decode here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inbound {
    pub id: InboundId,
    #[serde(default)]
    pub remark: String,
    pub protocol: Protocol,
    #[serde(default)]
    pub port: u16,
    #[serde(default)]
    pub listen: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub enable: bool,
    #[serde(rename = "up", default)]
    pub up_bytes: i64,
    #[serde(rename = "down", default)]
    pub down_bytes: i64,
    #[serde(rename = "total", default)]
    pub total_bytes: i64,
    #[serde(rename = "expiryTime", default)]
    pub expiry_time_ms: i64,
    #[serde(default)]
    pub settings: Value,
    #[serde(default)]
    pub stream_settings: Value,
    #[serde(default)]
    pub sniffing: Value,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub client_stats: Vec<ClientTraffic>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn null_as_empty<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// The `settings` of an inbound as an object, whether the panel sent an object or a string.
pub fn settings_object(settings: &Value) -> Result<Map<String, Value>, PanelError> {
    let decoded;
    let value = match settings {
        Value::String(text) if text.trim().is_empty() => return Ok(Map::new()),
        Value::String(text) => {
            decoded = serde_json::from_str::<Value>(text).map_err(|e| PanelError::Decode {
                path: "settings".into(),
                message: format!("settings is not JSON: {e}"),
            })?;
            &decoded
        }
        Value::Null => return Ok(Map::new()),
        other => other,
    };
    match value {
        Value::Object(map) => Ok(map.clone()),
        _ => Err(PanelError::Decode {
            path: "settings".into(),
            message: "settings is not an object".into(),
        }),
    }
}

impl Inbound {
    /// The client entries in `settings.clients`.
    pub fn settings_clients(&self) -> Result<Vec<InboundClient>, PanelError> {
        let map = settings_object(&self.settings)?;
        let clients = map.get("clients").cloned().unwrap_or(Value::Array(vec![]));
        let clients = if clients.is_null() {
            Value::Array(vec![])
        } else {
            clients
        };
        let text = clients.to_string();
        crate::http::decode_json::<Vec<InboundClient>>(text.as_bytes()).map_err(|e| match e {
            PanelError::Decode { path, message } => PanelError::Decode {
                path: format!("settings.clients{path}"),
                message,
            },
            other => other,
        })
    }
}

/// One entry of an inbound's `settings.clients` (the pre-3.1 client model; still mirrored
/// into the inbound by v3.1+). Credentials: VLESS/VMess `id`, Trojan/Shadowsocks `password`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundClient {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    pub email: String,
    #[serde(default)]
    pub limit_ip: i64,
    /// Quota in BYTES (`totalGB`).
    #[serde(rename = "totalGB", default)]
    pub total_bytes: i64,
    /// Epoch ms; 0 = never; negative = start after first use.
    #[serde(rename = "expiryTime", default)]
    pub expiry_time_ms: i64,
    #[serde(default = "yes")]
    pub enable: bool,
    #[serde(default, deserialize_with = "tg_id")]
    pub tg_id: i64,
    #[serde(default)]
    pub sub_id: String,
    #[serde(default)]
    pub comment: String,
    #[serde(rename = "reset", default)]
    pub reset_days: i64,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn yes() -> bool {
    true
}

/// Older panels store `tgId` as a string ("" when unset).
fn tg_id<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => Ok(n.as_i64().unwrap_or(0)),
        Value::String(s) => Ok(s.trim().parse().unwrap_or(0)),
        _ => Ok(0),
    }
}

/// Body of the legacy `addClient` / `updateClient/:clientId`: `settings` is a JSON STRING.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegacyClientBody {
    pub id: InboundId,
    pub settings: String,
}

/// A picker row of `inbounds/options` (v3.x).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundOption {
    pub id: InboundId,
    #[serde(default)]
    pub remark: String,
    pub protocol: Protocol,
    #[serde(default)]
    pub port: u16,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub enable: bool,
    #[serde(default)]
    pub tls_flow_capable: bool,
    #[serde(default)]
    pub ss_method: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{current, total}` pairs of the status snapshot, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    #[serde(rename = "current", default)]
    pub current_bytes: u64,
    #[serde(rename = "total", default)]
    pub total_bytes: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct NetIo {
    #[serde(rename = "up", default)]
    pub up_bytes: u64,
    #[serde(rename = "down", default)]
    pub down_bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XrayState {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
}

/// `server/status`: machine snapshot (CPU in percent); `obj` is null for the first seconds
/// after the panel starts (facts §5.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerStatus {
    #[serde(rename = "cpu", default)]
    pub cpu_percent: f64,
    #[serde(default)]
    pub mem: Usage,
    #[serde(default)]
    pub swap: Usage,
    #[serde(default)]
    pub disk: Usage,
    #[serde(rename = "netIO", default)]
    pub net_io: NetIo,
    #[serde(default)]
    pub xray: XrayState,
    #[serde(default)]
    pub tcp_count: u64,
    /// 1/5/15-minute load averages; `null` when unknown (there is no `load` object).
    #[serde(default)]
    pub loads: Option<Vec<f64>>,
    /// "3.4.0", or "dev+<hash>" on dev builds; absent before v3.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel_version: Option<String>,
    /// Stable panel id (v3.3.0+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panel_guid: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Source IPs of a client (`ips/:email`, legacy `clientIps/:email`), as "ip (time)" lines.
/// Up to v3.3.x the panel answers "No IP Record", an array of "ip (time)" strings or the raw
/// stored string; from v3.4.0 `[{ip, time, node}]` (facts §4.9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClientIps(pub Vec<String>);

impl<'de> Deserialize<'de> for ClientIps {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        fn strings(v: Vec<Value>) -> Vec<String> {
            v.into_iter()
                .map(|x| match x {
                    Value::String(s) => s,
                    Value::Object(row) => {
                        let field = |k: &str| row.get(k).and_then(Value::as_str).unwrap_or("");
                        match (field("time"), field("node")) {
                            ("", _) => field("ip").to_owned(),
                            (time, "") => format!("{} ({time})", field("ip")),
                            (time, node) => format!("{} ({time}, {node})", field("ip")),
                        }
                    }
                    other => other.to_string(),
                })
                .collect()
        }
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => ClientIps(strings(items)),
            Value::String(text) => match serde_json::from_str::<Vec<Value>>(&text) {
                Ok(items) => ClientIps(strings(items)),
                Err(_) => ClientIps(Vec::new()),
            },
            _ => ClientIps(Vec::new()),
        })
    }
}
