//! The few fields of a panel's raw record that export, import and migration need, read with a
//! typed decoder (much faster than a `serde_json::Value` on 100,000 records), with a lenient
//! fallback for records whose fields have unexpected types. Sync stores them beside the raw
//! record ([`RawBits::to_stored`]), so reading a snapshot need not parse every raw record.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What the transfer code reads from a raw record (3x-ui client, 3x-ui legacy entries, Marzban
/// or PasarGuard user, user-pass sub-user). Empty strings are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawBits {
    /// 3x-ui: legacy client `id` (v3.1 records carry `uuid`, already in the account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// 3x-ui Trojan/Shadowsocks password; Marzban Trojan (else Shadowsocks) password;
    /// user-pass `use_key`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// 3x-ui client flow; Marzban VLESS flow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// 3x-ui `reset` (days).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tg_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_hwid: Option<i64>,
    /// Marzban.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vmess_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ss_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_strategy: Option<String>,
}

/// A text, or anything else (a 3x-ui v3.1 row id, a sub-user id) read as absent.
#[derive(Deserialize)]
#[serde(untagged)]
enum Text {
    Text(String),
    Other(serde::de::IgnoredAny),
}

impl Text {
    fn text(self) -> Option<String> {
        match self {
            Text::Text(s) => Some(s),
            Text::Other(_) => None,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Client {
    id: Option<Text>,
    password: Option<String>,
    flow: Option<String>,
    reset: Option<i64>,
    #[serde(rename = "tgId")]
    tg_id: Option<i64>,
    #[serde(rename = "limitHwid")]
    limit_hwid: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LegacyEntry {
    client: Client,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Proxy {
    id: Option<String>,
    flow: Option<String>,
    password: Option<String>,
    method: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Proxies {
    vless: Option<Proxy>,
    vmess: Option<Proxy>,
    trojan: Option<Proxy>,
    shadowsocks: Option<Proxy>,
}

/// `inbounds`: an array on a legacy 3x-ui record, a map of tags on a Marzban user.
#[derive(Deserialize)]
#[serde(untagged)]
enum Inbounds {
    Legacy(Vec<LegacyEntry>),
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Wire {
    // The client's fields at the top level (a v3.1 record); no `flatten`, which buffers the
    // whole record and is several times slower.
    id: Option<Text>,
    password: Option<String>,
    flow: Option<String>,
    reset: Option<i64>,
    #[serde(rename = "tgId")]
    tg_id: Option<i64>,
    #[serde(rename = "limitHwid")]
    limit_hwid: Option<i64>,
    inbounds: Option<Inbounds>,
    proxies: Option<Proxies>,
    /// PasarGuard's `proxies`.
    proxy_settings: Option<Proxies>,
    hwid_limit: Option<i64>,
    data_limit_reset_strategy: Option<String>,
    use_key: Option<String>,
}

fn some(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl RawBits {
    /// The top-level fields of a raw record that [`from_json`](Self::from_json) reads.
    const READS: [&'static str; 12] = [
        "id",
        "password",
        "flow",
        "reset",
        "tgId",
        "limitHwid",
        "inbounds",
        "proxies",
        "data_limit_reset_strategy",
        "use_key",
        "proxy_settings",
        "hwid_limit",
    ];

    /// Whether fields a typed record kept without modelling them (its `extra`) include one this
    /// reads: a converter that builds the bits from the typed record must then read the JSON.
    pub fn reads_any_of(extra: &serde_json::Map<String, Value>) -> bool {
        Self::READS.iter().any(|k| extra.contains_key(*k))
    }

    /// The compact JSON sync stores in `accounts.bits` (mostly `{}`).
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Reads what [`to_stored`](Self::to_stored) wrote; `None` if it cannot be read.
    pub fn from_stored(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// Reads a raw record's JSON text.
    pub fn from_json(text: &str) -> Self {
        match serde_json::from_str::<Wire>(text) {
            Ok(w) => Self::from_wire(w),
            Err(_) => serde_json::from_str::<Value>(text)
                .map(|v| Self::from_value(&v))
                .unwrap_or_default(),
        }
    }

    fn from_wire(w: Wire) -> Self {
        let client = match w.inbounds {
            Some(Inbounds::Legacy(mut entries)) if !entries.is_empty() => {
                entries.swap_remove(0).client
            }
            _ => Client {
                id: w.id,
                password: w.password,
                flow: w.flow,
                reset: w.reset,
                tg_id: w.tg_id,
                limit_hwid: w.limit_hwid,
            },
        };
        let proxies = w.proxies.or(w.proxy_settings).unwrap_or_default();
        let marzban_password = proxies
            .trojan
            .as_ref()
            .and_then(|p| some(p.password.clone()))
            .or_else(|| {
                proxies
                    .shadowsocks
                    .as_ref()
                    .and_then(|p| some(p.password.clone()))
            });
        RawBits {
            id: some(client.id.and_then(Text::text)),
            password: some(client.password)
                .or(marzban_password)
                .or_else(|| some(w.use_key)),
            flow: some(client.flow)
                .or_else(|| proxies.vless.as_ref().and_then(|p| some(p.flow.clone()))),
            reset_days: client.reset,
            tg_id: client.tg_id,
            limit_hwid: client.limit_hwid.or(w.hwid_limit),
            vmess_id: proxies.vmess.and_then(|p| some(p.id)),
            ss_method: proxies.shadowsocks.and_then(|p| some(p.method)),
            reset_strategy: some(w.data_limit_reset_strategy),
        }
    }

    /// Reads a raw record already parsed, tolerating any type.
    pub fn from_value(raw: &Value) -> Self {
        let text = |v: &Value, path: &[&str]| -> Option<String> {
            let mut cur = v;
            for p in path {
                cur = cur.get(p)?;
            }
            cur.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
        };
        let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_i64);
        let proxies = if raw.get("proxies").is_some() {
            "proxies"
        } else {
            "proxy_settings"
        };
        let client = raw
            .get("inbounds")
            .and_then(|i| i.get(0))
            .and_then(|e| e.get("client"))
            .unwrap_or(raw);
        RawBits {
            id: text(client, &["id"]),
            password: text(client, &["password"])
                .or_else(|| text(raw, &[proxies, "trojan", "password"]))
                .or_else(|| text(raw, &[proxies, "shadowsocks", "password"]))
                .or_else(|| text(raw, &["use_key"])),
            flow: text(client, &["flow"]).or_else(|| text(raw, &[proxies, "vless", "flow"])),
            reset_days: num(client, "reset"),
            tg_id: num(client, "tgId"),
            limit_hwid: num(client, "limitHwid").or_else(|| num(raw, "hwid_limit")),
            vmess_id: text(raw, &[proxies, "vmess", "id"]),
            ss_method: text(raw, &[proxies, "shadowsocks", "method"]),
            reset_strategy: text(raw, &["data_limit_reset_strategy"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_and_lenient_readers_agree() {
        let samples = [
            r#"{"email":"a","uuid":"u","password":"p","flow":"f","reset":3,"tgId":5,"limitHwid":2}"#,
            r#"{"generation":"legacy","inbounds":[{"inboundId":1,"client":{"id":"u1","password":"","flow":"x","reset":0}}]}"#,
            r#"{"username":"m","inbounds":{"vless":["a"]},"proxies":{"vless":{"id":"v","flow":"xf"},"vmess":{"id":"w"},"shadowsocks":{"password":"sp","method":"aes"}},"data_limit_reset_strategy":"month"}"#,
            r#"{"id":1,"user_name":"u","use_key":"k"}"#,
            r#"{"id":17,"email":"a","uuid":"u","subId":"s"}"#,
            r#"{"email":"a","reset":"3"}"#,
            r#"{"id":3,"username":"p","proxy_settings":{"vmess":{"id":"w"},"vless":{"id":"v"},"trojan":{"password":"tp"},"shadowsocks":{"password":"sp","method":"aes"}},"group_ids":[1],"hwid_limit":3,"data_limit_reset_strategy":"month"}"#,
        ];
        for s in samples {
            let v: Value = serde_json::from_str(s).unwrap_or_default();
            let bits = RawBits::from_json(s);
            assert_eq!(bits, RawBits::from_value(&v), "{s}");
            assert_eq!(RawBits::from_stored(&bits.to_stored()), Some(bits), "{s}");
        }
    }
}
