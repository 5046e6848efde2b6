//! The simulated Xray core: its JSON config (served and replaced by `/api/core/config`), the
//! inbounds derived from it, and the default hosts Marzban creates for each inbound.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::state::{Inbound, Proto};
use base64::Engine as _;

/// The public key of the default REALITY inbound (the one in the recorded transcripts).
const REALITY_PUBLIC_KEY: &str = "UKOz_aw2mRzL6yabYvgaRf9J6T3DTbeTqtR0yUc5xBM";

/// The config a fresh Marzban of the recordings runs: five inbounds over the four protocols.
pub fn default_config() -> Value {
    json!({
        "log": {"loglevel": "warning"},
        "inbounds": [
            {"tag": "VLESS TCP", "listen": "0.0.0.0", "port": 20001, "protocol": "vless",
             "settings": {"clients": [], "decryption": "none"},
             "streamSettings": {"network": "tcp", "security": "none"}},
            {"tag": "VLESS TCP REALITY", "listen": "0.0.0.0", "port": 20002, "protocol": "vless",
             "settings": {"clients": [], "decryption": "none"},
             "streamSettings": {"network": "tcp", "security": "reality",
                "realitySettings": {"show": false, "dest": "example.com:443", "xver": 0,
                    "serverNames": ["example.com"],
                    "privateKey": "sim-private-key",
                    "publicKey": REALITY_PUBLIC_KEY,
                    "shortIds": [""]}}},
            {"tag": "VMESS WS", "listen": "0.0.0.0", "port": 20003, "protocol": "vmess",
             "settings": {"clients": []},
             "streamSettings": {"network": "ws", "security": "none",
                "wsSettings": {"path": "/vmess"}}},
            {"tag": "TROJAN TCP", "listen": "0.0.0.0", "port": 20004, "protocol": "trojan",
             "settings": {"clients": []},
             "streamSettings": {"network": "tcp", "security": "none"}},
            {"tag": "Shadowsocks TCP", "listen": "0.0.0.0", "port": 20005,
             "protocol": "shadowsocks",
             "settings": {"clients": [], "network": "tcp,udp"}}
        ],
        "outbounds": [
            {"protocol": "freedom", "tag": "DIRECT"},
            {"protocol": "blackhole", "tag": "BLOCK"}
        ],
        "routing": {"rules": [
            {"ip": ["geoip:private"], "outboundTag": "BLOCK", "type": "field"}
        ]}
    })
}

/// Reads the proxy inbounds out of a core config, or says (as Marzban's 400 does) why not.
pub fn parse_inbounds(config: &Value) -> Result<Vec<Inbound>, String> {
    let obj = config.as_object().ok_or("config must be a JSON object")?;
    let list = obj
        .get("inbounds")
        .and_then(Value::as_array)
        .ok_or("config doesn't have inbounds")?;
    let mut out: Vec<Inbound> = Vec::new();
    for raw in list {
        let tag = raw
            .get("tag")
            .and_then(Value::as_str)
            .ok_or("all inbounds must have a unique tag")?;
        if out.iter().any(|i| i.tag == tag) {
            return Err(format!("duplicate inbound tag {tag}"));
        }
        // Other protocols (dokodemo-door for the API, socks…) are not user-facing.
        let Some(protocol) = raw
            .get("protocol")
            .and_then(Value::as_str)
            .and_then(Proto::parse)
        else {
            continue;
        };
        let port = match raw.get("port") {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            Some(Value::String(s)) => s.parse().unwrap_or(0),
            _ => return Err(format!("inbound {tag} has no port")),
        };
        let stream = raw.get("streamSettings").cloned().unwrap_or(json!({}));
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        let network = match text(stream.get("network")) {
            n if n.is_empty() => "tcp".to_owned(),
            n => n,
        };
        let tls = match text(stream.get("security")) {
            s if s.is_empty() => "none".to_owned(),
            s => s,
        };
        let path = text(
            stream
                .get(format!("{network}Settings"))
                .and_then(|s| s.get("path")),
        );
        let (sni, fingerprint, public_key) = match tls.as_str() {
            "reality" => {
                let r = stream.get("realitySettings").cloned().unwrap_or(json!({}));
                let sni = text(r.get("serverNames").and_then(|v| v.get(0)));
                let fp = match text(r.get("fingerprint")) {
                    f if f.is_empty() => "chrome".to_owned(),
                    f => f,
                };
                let pbk = match text(r.get("publicKey")) {
                    k if k.is_empty() => derive_public_key(&text(r.get("privateKey"))),
                    k => k,
                };
                (sni, fp, pbk)
            }
            "tls" => {
                let t = stream.get("tlsSettings").cloned().unwrap_or(json!({}));
                (text(t.get("serverName")), String::new(), String::new())
            }
            _ => Default::default(),
        };
        out.push(Inbound {
            tag: tag.to_owned(),
            protocol,
            network,
            tls,
            port,
            path,
            sni,
            fingerprint,
            public_key,
        });
    }
    Ok(out)
}

/// Stands in for the x25519 derivation the real server does (no curve code in the simulator):
/// stable per private key and shaped like a public key.
fn derive_public_key(private_key: &str) -> String {
    let digest = Sha256::digest(private_key.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// The host Marzban adds for every new inbound.
pub fn default_host() -> Value {
    host(
        "🚀 Marz ({USERNAME}) [{PROTOCOL} - {TRANSPORT}]",
        "{SERVER_IP}",
    )
}

/// A host with Marzban 0.4.9's defaults.
pub fn host(remark: &str, address: &str) -> Value {
    json!({
        "remark": remark, "address": address, "port": null, "sni": null, "host": null,
        "path": null, "security": "inbound_default", "alpn": "", "fingerprint": "",
        "allowinsecure": null, "is_disabled": false
    })
}

/// The `/api/inbounds` answer: inbounds grouped by protocol.
pub fn inbounds_json(inbounds: &[Inbound]) -> Value {
    let mut out = serde_json::Map::new();
    for proto in Proto::ALL {
        let list: Vec<Value> = inbounds
            .iter()
            .filter(|i| i.protocol == proto)
            .map(|i| {
                json!({"tag": i.tag, "protocol": proto.as_str(), "network": i.network,
                       "tls": i.tls, "port": i.port})
            })
            .collect();
        if !list.is_empty() {
            out.insert(proto.as_str().to_owned(), Value::Array(list));
        }
    }
    Value::Object(out)
}
