//! Share links and subscription documents, built the way Marzban 0.4.9 builds them: one link per
//! (protocol, inbound tag, enabled host), remarks from the host's template.

use std::sync::Arc;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::{
    common::quote,
    state::{Inbound, Proto, State, UserRec},
    PanelVersion,
};

/// The address `{SERVER_IP}` stands for.
pub const SERVER_IP: &str = "127.0.0.1";

/// One proxy endpoint of a user: what a link or a client config entry is made from.
pub struct Endpoint {
    pub proto: Proto,
    pub remark: String,
    pub address: String,
    pub port: i64,
    pub network: String,
    pub tls: String,
    pub sni: String,
    pub host: String,
    pub path: String,
    pub fingerprint: String,
    pub alpn: String,
    pub public_key: String,
    pub settings: Value,
    /// Whether a REALITY link carries an empty `spx=`: 0.4.9 always writes it, 0.8.4 only when
    /// set (`if spx:` in app/subscription/v2ray.py at v0.8.4; recorded step 10 of each).
    pub empty_spx: bool,
}

impl Endpoint {
    fn setting(&self, key: &str) -> String {
        self.settings
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }
}

fn text(host: &Value, key: &str) -> Option<String> {
    host.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Every endpoint of `user`, in Marzban's order.
pub fn endpoints(db: &State, user: &UserRec) -> Vec<Endpoint> {
    let mut out = Vec::new();
    let inbounds = user.inbounds(&db.inbounds);
    for proto in &user.proxy_order {
        let (Some(settings), Some(tags)) = (user.proxies.get(proto), inbounds.get(proto)) else {
            continue;
        };
        for tag in tags {
            let Some(inbound) = db.inbound(tag) else {
                continue;
            };
            for host in db.hosts.get(tag).into_iter().flatten() {
                if host.get("is_disabled").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                let mut e = endpoint(*proto, settings, inbound, host, &user.username);
                e.empty_spx = !db.version.is_0_8();
                out.push(e);
            }
        }
    }
    out
}

fn endpoint(proto: Proto, settings: &Value, ib: &Inbound, host: &Value, user: &str) -> Endpoint {
    let remark = text(host, "remark")
        .unwrap_or_default()
        .replace("{USERNAME}", user)
        .replace("{PROTOCOL}", proto.display())
        .replace("{TRANSPORT}", &ib.network)
        .replace("{SERVER_IP}", SERVER_IP);
    let address = text(host, "address")
        .unwrap_or_default()
        .replace("{SERVER_IP}", SERVER_IP);
    let tls = match text(host, "security").as_deref() {
        None | Some("inbound_default") => ib.tls.clone(),
        Some(s) => s.to_owned(),
    };
    Endpoint {
        proto,
        remark,
        address,
        port: host.get("port").and_then(Value::as_i64).unwrap_or(ib.port),
        network: ib.network.clone(),
        tls,
        sni: text(host, "sni").unwrap_or_else(|| ib.sni.clone()),
        host: text(host, "host").unwrap_or_default(),
        path: text(host, "path").unwrap_or_else(|| ib.path.clone()),
        fingerprint: text(host, "fingerprint").unwrap_or_else(|| ib.fingerprint.clone()),
        alpn: text(host, "alpn").unwrap_or_default(),
        public_key: ib.public_key.clone(),
        settings: settings.clone(),
        empty_spx: true,
    }
}

pub fn links(db: &State, user: &UserRec) -> Vec<String> {
    endpoints(db, user).iter().map(link).collect()
}

/// [`links`], built once per user and kept until the user or the hosts/inbounds change.
pub fn cached(db: &State, user: &UserRec) -> Arc<[String]> {
    if let Some(kept) = user.links.get(db.links_revision) {
        // Tests run debug builds: a change that forgot to drop the cache shows up there.
        debug_assert_eq!(&*kept, links(db, user).as_slice(), "stale links cache");
        return kept;
    }
    let built: Arc<[String]> = links(db, user).into();
    user.links.set(db.links_revision, built.clone());
    built
}

fn link(e: &Endpoint) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    match e.proto {
        Proto::Vmess => {
            let mut fields = vec![
                ("add", json!(e.address)),
                ("aid", json!("0")),
                ("host", json!(e.host)),
                ("id", json!(e.setting("id"))),
                ("net", json!(e.network)),
                ("path", json!(e.path)),
                ("port", json!(e.port)),
                ("ps", json!(e.remark)),
                ("scy", json!("auto")),
                ("tls", json!(e.tls)),
                ("type", json!("")),
                ("v", json!("2")),
            ];
            match e.tls.as_str() {
                "tls" => {
                    fields.push(("sni", json!(e.sni)));
                    fields.push(("fp", json!(e.fingerprint)));
                    fields.push(("alpn", json!(e.alpn)));
                }
                "reality" => {
                    fields.push(("sni", json!(e.sni)));
                    fields.push(("fp", json!(e.fingerprint)));
                    fields.push(("pbk", json!(e.public_key)));
                    fields.push(("sid", json!("")));
                    if e.empty_spx {
                        fields.push(("spx", json!("")));
                    }
                }
                _ => {}
            }
            // `json.dumps(payload, sort_keys=True)`.
            fields.sort_by(|a, b| a.0.cmp(b.0));
            format!("vmess://{}", b64.encode(python_json(&fields)))
        }
        Proto::Vless | Proto::Trojan => {
            let secret = if e.proto == Proto::Vless {
                e.setting("id")
            } else {
                quote_keeping(&e.setting("password"), ":")
            };
            let mut q = vec![
                ("security", e.tls.clone()),
                ("type", e.network.clone()),
                ("headerType", String::new()),
            ];
            let flow = e.setting("flow");
            if !flow.is_empty() && e.network == "tcp" && matches!(e.tls.as_str(), "tls" | "reality")
            {
                q.push(("flow", flow));
            }
            match e.network.as_str() {
                "grpc" => q.push(("serviceName", e.path.clone())),
                "quic" => q.push(("key", e.path.clone())),
                _ => q.push(("path", e.path.clone())),
            }
            let host_key = if e.network == "quic" {
                "quicSecurity"
            } else {
                "host"
            };
            q.push((host_key, e.host.clone()));
            match e.tls.as_str() {
                "reality" => {
                    q.push(("sni", e.sni.clone()));
                    q.push(("fp", e.fingerprint.clone()));
                    q.push(("pbk", e.public_key.clone()));
                    q.push(("sid", String::new()));
                    if e.empty_spx {
                        q.push(("spx", String::new()));
                    }
                }
                "tls" => {
                    q.push(("sni", e.sni.clone()));
                    q.push(("fp", e.fingerprint.clone()));
                    q.push(("alpn", e.alpn.clone()));
                }
                _ => {}
            }
            let query = q
                .iter()
                .map(|(k, v)| format!("{k}={}", quote(v)))
                .collect::<Vec<_>>()
                .join("&");
            format!(
                "{}://{secret}@{}:{}?{query}#{}",
                e.proto.as_str(),
                e.address,
                e.port,
                quote_keeping(&e.remark, "/")
            )
        }
        Proto::Shadowsocks => {
            let userinfo = format!("{}:{}", e.setting("method"), e.setting("password"));
            format!(
                "ss://{}@{}:{}#{}",
                b64.encode(userinfo),
                e.address,
                e.port,
                quote_keeping(&e.remark, "/")
            )
        }
    }
}

/// Python's `urllib.parse.quote(s, safe=keep)`.
fn quote_keeping(s: &str, keep: &str) -> String {
    let mut out = String::new();
    for part in s.split_inclusive(|c| keep.contains(c)) {
        match part.char_indices().last() {
            Some((i, c)) if keep.contains(c) => {
                out.push_str(&quote(&part[..i]));
                out.push(c);
            }
            _ => out.push_str(&quote(part)),
        }
    }
    out
}

/// `json.dumps` with Python's default separators and `ensure_ascii` (what vmess links carry).
fn python_json(fields: &[(&str, Value)]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => ascii_string(s),
                other => other.to_string(),
            };
            format!("{}: {value}", ascii_string(k))
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn ascii_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// Which document a subscription request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    V2ray,
    Clash,
    ClashMeta,
    SingBox,
    Outline,
}

impl Format {
    /// The User-Agent rules (anchored regexes, first match wins) of 0.4.9
    /// (app/views/subscription.py) and 0.8.4 (app/routers/subscription.py), which also takes
    /// `clash.meta`, FlClash and mihomo for Clash Meta, and Karing and HiddifyNext for sing-box.
    pub fn from_user_agent(version: PanelVersion, ua: &str) -> Format {
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| ua.starts_with(p));
        let seps: &[char] = if version.is_0_8() {
            &['-', '.']
        } else {
            &['-']
        };
        let v8 = version.is_0_8();
        let fl_clash = ua
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("flclash"));
        if starts(&["Clash-verge", "clash-verge"])
            || (v8 && (fl_clash || starts(&["Mihomo", "mihomo"])))
            || ["clash", "Clash"].iter().any(|c| {
                ua.strip_prefix(c)
                    .map(|r| r.strip_prefix(seps).unwrap_or(r))
                    .is_some_and(|r| r.starts_with("meta") || r.starts_with("Meta"))
            })
        {
            Format::ClashMeta
        } else if starts(&["Clash", "clash", "Stash", "stash"]) {
            Format::Clash
        } else if starts(&["SFA", "SFI", "SFM", "SFT"])
            || (v8 && (starts(&["Karing", "karing"]) || hiddify_next(ua)))
        {
            Format::SingBox
        } else if starts(&["SS", "Outline", "Shadowsocks"]) {
            Format::Outline
        } else {
            Format::V2ray
        }
    }

    /// The format a `{client_type}` path segment names, compared exactly as both releases'
    /// handlers do (`v2ray-json`, 0.8.4's, is served as `v2ray` here).
    pub fn from_client_type(s: &str) -> Option<Format> {
        match s {
            "sing-box" => Some(Format::SingBox),
            "clash-meta" => Some(Format::ClashMeta),
            "clash" => Some(Format::Clash),
            "outline" => Some(Format::Outline),
            "v2ray" | "v2ray-json" => Some(Format::V2ray),
            _ => None,
        }
    }
}

/// The body and content type of a subscription document.
pub fn document(db: &State, user: &UserRec, format: Format) -> (String, &'static str) {
    let eps = endpoints(db, user);
    match format {
        Format::V2ray => {
            let text = eps.iter().map(link).collect::<Vec<_>>().join("\n");
            (
                base64::engine::general_purpose::STANDARD.encode(text),
                "text/plain; charset=utf-8",
            )
        }
        Format::Clash | Format::ClashMeta => (
            clash(&eps, format == Format::ClashMeta),
            "text/yaml; charset=utf-8",
        ),
        Format::SingBox => (sing_box(&eps).to_string(), "application/json"),
        Format::Outline => (outline(&eps).to_string(), "application/json"),
    }
}

fn unique_names(eps: &[&Endpoint]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for e in eps {
        let mut name = e.remark.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{} ({n})", e.remark);
            n += 1;
        }
        names.push(name);
    }
    names
}

fn clash(eps: &[Endpoint], meta: bool) -> String {
    // Plain Clash has no VLESS: 0.4.9 leaves those out (its recorded answer has `proxies: []`).
    let usable: Vec<&Endpoint> = eps
        .iter()
        .filter(|e| meta || e.proto != Proto::Vless)
        .collect();
    let names = unique_names(&usable);
    let mut out = String::from("mode: Global\nport: 7890\n");
    if usable.is_empty() {
        out.push_str("proxies: []\n");
    } else {
        out.push_str("proxies:\n");
    }
    for (e, name) in usable.iter().zip(&names) {
        let mut m = Map::new();
        m.insert("name".into(), json!(name));
        m.insert("server".into(), json!(e.address));
        m.insert("port".into(), json!(e.port));
        m.insert("udp".into(), json!(true));
        match e.proto {
            Proto::Vmess | Proto::Vless => {
                m.insert("type".into(), json!(e.proto.as_str()));
                m.insert("uuid".into(), json!(e.setting("id")));
                m.insert("network".into(), json!(e.network));
                if e.proto == Proto::Vmess {
                    m.insert("alterId".into(), json!(0));
                    m.insert("cipher".into(), json!("auto"));
                }
            }
            Proto::Trojan => {
                m.insert("type".into(), json!("trojan"));
                m.insert("password".into(), json!(e.setting("password")));
                m.insert("network".into(), json!(e.network));
            }
            Proto::Shadowsocks => {
                m.insert("type".into(), json!("ss"));
                m.insert("cipher".into(), json!(e.setting("method")));
                m.insert("password".into(), json!(e.setting("password")));
            }
        }
        if e.network == "tcp" && e.proto != Proto::Shadowsocks {
            m.insert("tcp-opts".into(), json!({"ip-version": "dual"}));
        }
        if e.network == "ws" {
            m.insert("ws-opts".into(), json!({"path": e.path}));
        }
        if matches!(e.tls.as_str(), "tls" | "reality") {
            m.insert("tls".into(), json!(true));
            m.insert("servername".into(), json!(e.sni));
            m.insert("client-fingerprint".into(), json!(e.fingerprint));
            if e.proto == Proto::Vless {
                m.insert("flow".into(), json!(e.setting("flow")));
            }
        }
        if e.tls == "reality" {
            m.insert(
                "reality-opts".into(),
                json!({"public-key": e.public_key, "short-id": ""}),
            );
        }
        yaml_entry(&mut out, &m);
    }
    out.push_str("rules: []\nproxy-groups:\n- name: ♻️ Automatic\n  type: url-test\n");
    out.push_str("  url: http://www.gstatic.com/generate_204\n  interval: 300\n");
    if names.is_empty() {
        out.push_str("  proxies: null\n");
    } else {
        out.push_str("  proxies:\n");
        for n in &names {
            out.push_str(&format!("  - {}\n", yaml_scalar(&json!(n))));
        }
    }
    out
}

/// One `- key: value` block of a YAML list, keys sorted (PyYAML's default).
fn yaml_entry(out: &mut String, m: &Map<String, Value>) {
    let mut first = true;
    for (k, v) in m {
        let lead = if first { "- " } else { "  " };
        first = false;
        match v {
            Value::Object(inner) => {
                out.push_str(&format!("{lead}{k}:\n"));
                for (ik, iv) in inner {
                    out.push_str(&format!("    {ik}: {}\n", yaml_scalar(iv)));
                }
            }
            other => out.push_str(&format!("{lead}{k}: {}\n", yaml_scalar(other))),
        }
    }
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let plain = !s.is_empty()
                && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.ends_with(' ')
                && s.parse::<f64>().is_err()
                && !matches!(s.as_str(), "true" | "false" | "null" | "yes" | "no" | "~");
            if plain {
                s.clone()
            } else {
                format!("'{}'", s.replace('\'', "''"))
            }
        }
        other => other.to_string(),
    }
}

fn sing_box(eps: &[Endpoint]) -> Value {
    let refs: Vec<&Endpoint> = eps.iter().collect();
    let names = unique_names(&refs);
    let mut outbounds = vec![json!({"type": "selector", "tag": "proxy", "outbounds": names})];
    for (e, name) in eps.iter().zip(&names) {
        let mut o = json!({"type": e.proto.as_str(), "tag": name, "server": e.address,
                           "server_port": e.port});
        match e.proto {
            Proto::Vmess => {
                o["uuid"] = json!(e.setting("id"));
                o["security"] = json!("auto");
                o["alter_id"] = json!(0);
            }
            Proto::Vless => {
                o["uuid"] = json!(e.setting("id"));
                o["flow"] = json!(e.setting("flow"));
            }
            Proto::Trojan => o["password"] = json!(e.setting("password")),
            Proto::Shadowsocks => {
                o["method"] = json!(e.setting("method"));
                o["password"] = json!(e.setting("password"));
            }
        }
        if matches!(e.tls.as_str(), "tls" | "reality") {
            let mut tls = json!({"enabled": true, "server_name": e.sni,
                                 "utls": {"enabled": true, "fingerprint": e.fingerprint}});
            if e.tls == "reality" {
                tls["reality"] = json!({"enabled": true, "public_key": e.public_key,
                                        "short_id": ""});
            }
            o["tls"] = tls;
        }
        if e.network == "ws" {
            o["transport"] = json!({"type": "ws", "path": e.path});
        }
        outbounds.push(o);
    }
    outbounds.push(json!({"type": "direct", "tag": "direct"}));
    outbounds.push(json!({"type": "block", "tag": "block"}));
    json!({"log": {"level": "warn", "timestamp": false}, "outbounds": outbounds})
}

fn outline(eps: &[Endpoint]) -> Value {
    match eps.iter().find(|e| e.proto == Proto::Shadowsocks) {
        Some(e) => json!({"method": e.setting("method"), "password": e.setting("password"),
                          "server": e.address, "server_port": e.port, "tag": e.remark}),
        None => json!({}),
    }
}

/// `^[Hh]iddify[Nn]ext`.
fn hiddify_next(ua: &str) -> bool {
    ["Hiddify", "hiddify"]
        .iter()
        .filter_map(|h| ua.strip_prefix(h))
        .any(|rest| rest.starts_with("Next") || rest.starts_with("next"))
}
