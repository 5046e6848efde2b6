//! The public subscription routes `/sub/{token}/…` and the links behind them (steps 84–93):
//! one link per enabled host whose inbound is in one of the user's groups, its remark's
//! `{USERNAME}` filled in.

use axum::{
    extract::{Path, State as AxState},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{
    http::{detail, invalid, ok, Reply, Sim},
    state::{iso_z, State, UserRec},
    user_json::{user_json, user_of_token},
};

/// The REALITY key pair of the recording's core (step 11's `privateKey`, step 90's `pbk`).
const RECORDED_REALITY: (&str, &str) = (
    "sNitkEC9QX1Ty4BctYScJT4Xw7kftcr5d8SB8-hLPko",
    "XuH79XkdpVRQ9jKEpcj-7LpyBpxhw-eO6gG_KlXh-lc",
);

/// `ConfigFormat` (`app/models/settings.py`).
const CLIENT_TYPES: [&str; 9] = [
    "links",
    "links_base64",
    "xray",
    "wireguard",
    "sing_box",
    "clash",
    "clash_meta",
    "outline",
    "block",
];

/// One proxy a link or a client config describes.
struct Endpoint {
    protocol: String,
    remark: String,
    address: String,
    port: i64,
    network: String,
    security: String,
    sni: String,
    public_key: String,
    short_id: String,
    path: String,
}

fn quote(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn endpoints(db: &State, u: &UserRec) -> Vec<Endpoint> {
    let tags: Vec<String> = u
        .group_ids
        .iter()
        .filter_map(|g| db.groups.get(g))
        .filter(|g| g["is_disabled"] != true)
        .flat_map(|g| g["inbound_tags"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    let inbounds = db.core["config"]["inbounds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut hosts: Vec<&Value> = db
        .hosts
        .values()
        .filter(|h| h["is_disabled"] != true)
        .collect();
    hosts.sort_by_key(|h| h["priority"].as_i64().unwrap_or(0));
    hosts
        .into_iter()
        .filter_map(|h| {
            let tag = h["inbound_tag"].as_str()?;
            if !tags.iter().any(|t| t == tag) {
                return None;
            }
            let ib = inbounds.iter().find(|i| i["tag"] == tag)?;
            let stream = &ib["streamSettings"];
            let reality = &stream["realitySettings"];
            let private = reality["privateKey"].as_str().unwrap_or_default();
            let public_key = if private == RECORDED_REALITY.0 {
                RECORDED_REALITY.1.to_owned()
            } else {
                super::http::b64url(&super::http::hmac_sha256(b"x25519", private.as_bytes()))
            };
            let first = |v: &Value| {
                v.as_array()
                    .and_then(|l| l.first())
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            Some(Endpoint {
                protocol: ib["protocol"].as_str().unwrap_or_default().to_owned(),
                remark: h["remark"]
                    .as_str()
                    .unwrap_or_default()
                    .replace("{USERNAME}", &u.username),
                address: first(&h["address"]).unwrap_or_default(),
                port: h["port"]
                    .as_i64()
                    .or_else(|| ib["port"].as_i64())
                    .unwrap_or(0),
                network: stream["network"].as_str().unwrap_or("tcp").to_owned(),
                security: stream["security"].as_str().unwrap_or("none").to_owned(),
                sni: first(&h["sni"])
                    .or_else(|| first(&reality["serverNames"]))
                    .unwrap_or_default(),
                public_key,
                short_id: first(&reality["shortIds"]).unwrap_or_default(),
                path: stream["wsSettings"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            })
        })
        .collect()
}

/// A share link: VLESS exactly as step 90 shows; the other protocols in the usual URI forms.
fn link(e: &Endpoint, proxy: &Value) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut q = format!("security={}&type={}", e.security, e.network);
    if e.network == "tcp" {
        q.push_str("&headerType=none");
    }
    if e.network == "ws" {
        q.push_str(&format!("&path={}", quote(&e.path)));
    }
    if e.security == "reality" {
        q.push_str(&format!(
            "&sni={}&fp=chrome&pbk={}&sid={}",
            e.sni, e.public_key, e.short_id
        ));
    }
    let at = format!("{}:{}", e.address, e.port);
    match e.protocol.as_str() {
        "vless" => format!(
            "vless://{}@{at}?encryption=none&{q}#{}",
            proxy["vless"]["id"].as_str().unwrap_or_default(),
            quote(&e.remark)
        ),
        "trojan" => format!(
            "trojan://{}@{at}?{q}#{}",
            quote(proxy["trojan"]["password"].as_str().unwrap_or_default()),
            quote(&e.remark)
        ),
        "shadowsocks" => {
            let ss = &proxy["shadowsocks"];
            let user = format!(
                "{}:{}",
                ss["method"].as_str().unwrap_or_default(),
                ss["password"].as_str().unwrap_or_default()
            );
            format!("ss://{}@{at}#{}", b64(&user), quote(&e.remark))
        }
        _ => {
            let v = json!({"add": e.address, "aid": "0", "host": "", "id": proxy["vmess"]["id"], "net": e.network,
                "path": e.path, "port": e.port, "ps": e.remark, "scy": "auto", "tls": e.security, "type": "none", "v": "2"});
            format!("vmess://{}", b64(&v.to_string()))
        }
    }
}

fn clash(db: &State, u: &UserRec) -> String {
    let eps = endpoints(db, u);
    let mut out = String::from("mode: rule\nmixed-port: 7890\nproxies:\n");
    for e in &eps {
        out.push_str(&format!("- name: {}\n  network: {}\n  port: {}\n  server: {}\n  type: {}\n  udp: true\n  uuid: {}\n",
            e.remark, e.network, e.port, e.address, e.protocol, u.proxy["vless"]["id"].as_str().unwrap_or_default()));
    }
    out.push_str("proxy-groups:\n- name: PROXY\n  type: select\n  proxies:\n");
    for e in &eps {
        out.push_str(&format!("  - {}\n", e.remark));
    }
    out.push_str("rules:\n- MATCH,PROXY\n");
    out
}

fn sing_box(db: &State, u: &UserRec) -> String {
    let eps = endpoints(db, u);
    let names: Vec<&str> = eps.iter().map(|e| e.remark.as_str()).collect();
    let mut outbounds = vec![
        json!({"type": "selector", "tag": "proxy", "outbounds": names}),
        json!({"type": "direct", "tag": "direct"}),
    ];
    outbounds.extend(eps.iter().map(|e| {
        json!({"type": e.protocol, "tag": e.remark, "server": e.address,
        "server_port": e.port, "uuid": u.proxy["vless"]["id"]})
    }));
    serde_json::to_string_pretty(
        &json!({"log": {"level": "warn", "timestamp": false}, "outbounds": outbounds,
        "route": {"final": "proxy"}}),
    )
    .unwrap_or_default()
}

/// The user's share links (step 90).
pub fn links(db: &State, u: &UserRec) -> Vec<String> {
    endpoints(db, u).iter().map(|e| link(e, &u.proxy)).collect()
}

/// The format the `User-Agent` calls for (the default `subscription.rules`, facts §10).
fn format_for(ua: &str) -> &'static str {
    let lower = ua.to_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| ua.starts_with(p));
    if [
        "flclash",
        "clash-verge",
        "clashx meta",
        "clash.meta",
        "mihomo",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        "clash_meta"
    } else if starts(&["Clash", "Stash"]) {
        "clash"
    } else if starts(&["SFA", "SFI", "SFM", "SFT", "Karing", "HiddifyNext"])
        || lower.contains("sing-box")
    {
        "sing_box"
    } else if starts(&[
        "SS",
        "SSR",
        "SSD",
        "SSS",
        "Outline",
        "Shadowsocks",
        "SSconf",
    ]) {
        "outline"
    } else {
        "links_base64"
    }
}

fn document(db: &State, u: &UserRec, format: &str) -> (String, &'static str) {
    match format {
        "links" => (links(db, u).join("\n"), "text/plain; charset=utf-8"),
        "clash" | "clash_meta" => (clash(db, u), "text/yaml; charset=utf-8"),
        "sing_box" => (sing_box(db, u), "application/json"),
        _ => (
            base64::engine::general_purpose::STANDARD.encode(links(db, u).join("\n")),
            "text/plain; charset=utf-8",
        ),
    }
}

/// The headers of step 84.
fn with_headers(
    db: &State,
    u: &UserRec,
    body: String,
    content_type: &str,
    page: String,
) -> Response {
    let userinfo = format!(
        "upload=0; download={}; total={}; expire={}",
        u.used,
        u.data_limit.unwrap_or(0),
        u.expire.map_or(0, |e| e.div_euclid(1_000_000))
    );
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    };
    set("content-type", content_type.to_owned());
    set("subscription-userinfo", userinfo);
    set("profile-update-interval", "12".into());
    set("profile-title", "base64:U3Vic2NyaXB0aW9u".into());
    set("support-url", "https://t.me/".into());
    set("profile-web-page-url", page);
    set(
        "content-disposition",
        format!("attachment; filename=\"{}\"", u.username),
    );
    set("announce", "base64:".into());
    let _ = db;
    r
}

/// The user a token names. A token that names no user (revoked, garbage, or its user
/// deleted) is `404 {"detail":"Not Found"}`: pasarguard-recorded.md steps 92 and 93.
fn user_for<'a>(db: &'a State, token: &str) -> Result<&'a UserRec, Response> {
    user_of_token(db, token)
        .and_then(|id| db.users.get(&id))
        .ok_or_else(|| detail(StatusCode::NOT_FOUND, "Not Found"))
}

/// `GET /sub/{token}/`: by User-Agent, or the HTML page for a browser (steps 84–87).
pub async fn subscription(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Reply {
    let db = sim.db();
    let u = user_for(&db, &token)?;
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let host = text(header::HOST);
    let page = format!("http://{host}/sub/{token}/");
    if text(header::ACCEPT).contains("text/html") {
        let html = format!("<!DOCTYPE html>\n<html>\n    <head>\n        <title>{} - Subscription Information</title>\n    </head>\n    <body></body>\n</html>\n", u.username);
        return Ok(with_headers(&db, u, html, "text/html; charset=utf-8", page));
    }
    let (body, ct) = document(&db, u, format_for(&text(header::USER_AGENT)));
    Ok(with_headers(&db, u, body, ct, page))
}

/// `GET /sub/{token}/{client_type}` (steps 90, 91).
pub async fn with_client_type(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path((token, client_type)): Path<(String, String)>,
) -> Reply {
    if !CLIENT_TYPES.contains(&client_type.as_str()) {
        return Err(invalid("client_type", "Input should be 'links', 'links_base64', 'xray', 'wireguard', 'sing_box', 'clash', 'clash_meta', 'outline' or 'block'"));
    }
    let db = sim.db();
    let u = user_for(&db, &token)?;
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (body, ct) = document(&db, u, &client_type);
    Ok(with_headers(
        &db,
        u,
        body,
        ct,
        format!("http://{host}/sub/{token}/"),
    ))
}

/// `GET /sub/{token}/info`: the user without `note`, `admin`, `subscription_url` and
/// `auto_delete_in_days`, with the caller's `ip` (step 88; the simulator listens on 127.0.0.1
/// only).
pub async fn info(AxState(sim): AxState<Sim>, Path(token): Path<String>) -> Reply {
    let db = sim.db();
    let u = user_for(&db, &token)?;
    let mut v = user_json(&db, u, false);
    if let Some(m) = v.as_object_mut() {
        for k in ["note", "admin", "subscription_url", "auto_delete_in_days"] {
            m.remove(k);
        }
        m.insert("ip".into(), json!("127.0.0.1"));
    }
    ok(v)
}

/// `GET /sub/{token}/usage` → `{period, start, end, stats}` (step 89).
pub async fn usage(AxState(sim): AxState<Sim>, Path(token): Path<String>) -> Reply {
    let db = sim.db();
    user_for(&db, &token)?;
    let now = db.now_micros();
    ok(
        json!({"period": "hour", "start": iso_z(now - 30 * 86_400_000_000 + 1), "end": iso_z(now + 7), "stats": {}}),
    )
}
