//! Share links in their public formats, parsed into [`ProxyLink`] and written back with
//! [`ProxyLink::to_url`]: `vless://`, `vmess://` (base64 JSON, v2rayN), `trojan://`,
//! `ss://` (SIP002 and the older all-base64 form), and proxy URLs `http://`, `https://`,
//! `socks5://`. Writing what was parsed gives the same link back for links in the canonical
//! form this module writes; parsing what was written always gives the same value back.

use base64::Engine;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

/// Why a link could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("not a link Paneldeck knows (scheme '{0}')")]
    UnknownScheme(String),
    #[error("the link has no scheme (expected vless://, vmess://, trojan://, ss://, http://, socks5://)")]
    NoScheme,
    #[error("the link has no host")]
    NoHost,
    #[error("the link's port is missing or not a number from 1 to 65535")]
    BadPort,
    #[error("the link has no {0}")]
    Missing(&'static str),
    #[error("the link's base64 part cannot be decoded")]
    Base64,
    #[error("the vmess link's JSON cannot be read: {0}")]
    Json(String),
    #[error("the link is not valid UTF-8 once decoded")]
    Utf8,
}

/// One link in a structured form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "lowercase")]
pub enum ProxyLink {
    Vless(UserLink),
    Trojan(UserLink),
    Vmess(VmessLink),
    #[serde(rename = "ss")]
    Shadowsocks(SsLink),
    Proxy(ProxyUrl),
}

/// `vless://` and `trojan://`: `scheme://{user}@{host}:{port}?{params}#{name}` where `user` is
/// the UUID (VLESS) or password (Trojan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLink {
    pub user: String,
    pub host: String,
    pub port: u16,
    /// Query parameters in their order, decoded (`type`, `security`, `sni`, `flow`, …).
    pub params: Vec<(String, String)>,
    pub name: String,
}

/// The v2rayN JSON of a `vmess://` link. Every field is a string except `port`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmessLink {
    pub ps: String,
    pub add: String,
    pub port: u16,
    pub id: String,
    pub aid: String,
    pub scy: String,
    pub net: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub host: String,
    pub path: String,
    pub tls: String,
    pub sni: String,
    pub alpn: String,
    pub fp: String,
}

/// `ss://`: cipher and password, server, name, and an optional `plugin` parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsLink {
    pub method: String,
    pub password: String,
    pub host: String,
    pub port: u16,
    pub plugin: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyScheme {
    Http,
    Https,
    Socks5,
}

impl ProxyScheme {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyScheme::Http => "http",
            ProxyScheme::Https => "https",
            ProxyScheme::Socks5 => "socks5",
        }
    }
}

/// `http://user:pass@host:port`, `socks5://…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyUrl {
    pub scheme: ProxyScheme,
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
}

/// Characters kept as they are in a user part, query value or name; the rest is %-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

fn dec(s: &str) -> Result<String, LinkError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| LinkError::Utf8)
}

/// A host for a URL: IPv6 addresses get brackets.
fn url_host(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// Reads any link this module knows.
pub fn parse(link: &str) -> Result<ProxyLink, LinkError> {
    let link = link.trim();
    let (scheme, rest) = link.split_once("://").ok_or(LinkError::NoScheme)?;
    match scheme.to_ascii_lowercase().as_str() {
        "vless" => parse_user_link(rest).map(ProxyLink::Vless),
        "trojan" => parse_user_link(rest).map(ProxyLink::Trojan),
        "vmess" => parse_vmess(rest).map(ProxyLink::Vmess),
        "ss" => parse_ss(rest).map(ProxyLink::Shadowsocks),
        "http" => parse_proxy(ProxyScheme::Http, rest).map(ProxyLink::Proxy),
        "https" => parse_proxy(ProxyScheme::Https, rest).map(ProxyLink::Proxy),
        "socks5" | "socks" | "socks5h" => {
            parse_proxy(ProxyScheme::Socks5, rest).map(ProxyLink::Proxy)
        }
        other => Err(LinkError::UnknownScheme(other.to_owned())),
    }
}

/// Splits `rest` into (before `#`, decoded name).
fn split_name(rest: &str) -> Result<(&str, String), LinkError> {
    match rest.split_once('#') {
        Some((body, name)) => Ok((body, dec(name)?)),
        None => Ok((rest, String::new())),
    }
}

/// `host:port` (with `[v6]:port`) → (host without brackets, port).
fn host_port(s: &str) -> Result<(String, u16), LinkError> {
    let s = s.trim_end_matches('/');
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or(LinkError::NoHost)?;
        (h, after.strip_prefix(':').ok_or(LinkError::BadPort)?)
    } else {
        s.rsplit_once(':').ok_or(LinkError::BadPort)?
    };
    if host.is_empty() {
        return Err(LinkError::NoHost);
    }
    let port: u16 = port.parse().map_err(|_| LinkError::BadPort)?;
    if port == 0 {
        return Err(LinkError::BadPort);
    }
    Ok((host.to_owned(), port))
}

fn parse_query(q: &str) -> Result<Vec<(String, String)>, LinkError> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((dec(k)?, dec(&v.replace('+', "%20"))?))
        })
        .collect()
}

fn parse_user_link(rest: &str) -> Result<UserLink, LinkError> {
    let (body, name) = split_name(rest)?;
    let (main, query) = body.split_once('?').unwrap_or((body, ""));
    let (user, server) = main.rsplit_once('@').ok_or(LinkError::Missing("user"))?;
    let user = dec(user)?;
    if user.is_empty() {
        return Err(LinkError::Missing("user"));
    }
    let (host, port) = host_port(server)?;
    Ok(UserLink {
        user,
        host,
        port,
        params: parse_query(query)?,
        name,
    })
}

fn b64_decode(s: &str) -> Result<Vec<u8>, LinkError> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(&s).ok())
        .ok_or(LinkError::Base64)
}

fn parse_vmess(rest: &str) -> Result<VmessLink, LinkError> {
    let bytes = b64_decode(rest.split('#').next().unwrap_or(rest))?;
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| LinkError::Json(e.to_string()))?;
    let obj = v
        .as_object()
        .ok_or_else(|| LinkError::Json("not an object".into()))?;
    let text = |k: &str| -> String {
        match obj.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let port: u16 = text("port").parse().map_err(|_| LinkError::BadPort)?;
    let link = VmessLink {
        ps: text("ps"),
        add: text("add"),
        port,
        id: text("id"),
        aid: text("aid"),
        scy: text("scy"),
        net: text("net"),
        kind: text("type"),
        host: text("host"),
        path: text("path"),
        tls: text("tls"),
        sni: text("sni"),
        alpn: text("alpn"),
        fp: text("fp"),
    };
    if link.add.is_empty() {
        return Err(LinkError::NoHost);
    }
    if link.id.is_empty() {
        return Err(LinkError::Missing("id"));
    }
    Ok(link)
}

fn parse_ss(rest: &str) -> Result<SsLink, LinkError> {
    let (body, name) = split_name(rest)?;
    let (main, query) = body.split_once('?').unwrap_or((body, ""));
    let main = main.trim_end_matches('/');
    let (userinfo, server) = match main.rsplit_once('@') {
        Some((u, s)) => {
            // SIP002: base64url(method:password), or %-encoded plain text (2022 ciphers).
            let plain = match b64_decode(u) {
                Ok(b) if std::str::from_utf8(&b).is_ok_and(|t| t.contains(':')) => {
                    String::from_utf8(b).map_err(|_| LinkError::Utf8)?
                }
                _ => dec(u)?,
            };
            (plain, s.to_owned())
        }
        None => {
            // Legacy: base64(method:password@host:port).
            let all = String::from_utf8(b64_decode(main)?).map_err(|_| LinkError::Utf8)?;
            let (u, s) = all.rsplit_once('@').ok_or(LinkError::Missing("server"))?;
            (u.to_owned(), s.to_owned())
        }
    };
    let (method, password) = userinfo
        .split_once(':')
        .ok_or(LinkError::Missing("method:password"))?;
    if method.is_empty() {
        return Err(LinkError::Missing("method"));
    }
    let (host, port) = host_port(&server)?;
    let plugin = parse_query(query)?
        .into_iter()
        .find(|(k, _)| k == "plugin")
        .map(|(_, v)| v);
    Ok(SsLink {
        method: method.to_owned(),
        password: password.to_owned(),
        host,
        port,
        plugin,
        name,
    })
}

fn parse_proxy(scheme: ProxyScheme, rest: &str) -> Result<ProxyUrl, LinkError> {
    let rest = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let (auth, server) = match rest.rsplit_once('@') {
        Some((a, s)) => (Some(a), s),
        None => (None, rest),
    };
    let (user, password) = match auth {
        Some(a) => match a.split_once(':') {
            Some((u, p)) => (Some(dec(u)?), Some(dec(p)?)),
            None => (Some(dec(a)?), None),
        },
        None => (None, None),
    };
    let (host, port) = host_port(server)?;
    Ok(ProxyUrl {
        scheme,
        user,
        password,
        host,
        port,
    })
}

impl ProxyLink {
    /// The scheme as written in the link (`vless`, `vmess`, `trojan`, `ss`, `http`, …).
    pub fn scheme(&self) -> &'static str {
        match self {
            ProxyLink::Vless(_) => "vless",
            ProxyLink::Trojan(_) => "trojan",
            ProxyLink::Vmess(_) => "vmess",
            ProxyLink::Shadowsocks(_) => "ss",
            ProxyLink::Proxy(p) => p.scheme.as_str(),
        }
    }

    /// The name shown by clients (the `#fragment`, vmess `ps`).
    pub fn name(&self) -> &str {
        match self {
            ProxyLink::Vless(l) | ProxyLink::Trojan(l) => &l.name,
            ProxyLink::Vmess(v) => &v.ps,
            ProxyLink::Shadowsocks(s) => &s.name,
            ProxyLink::Proxy(p) => &p.host,
        }
    }

    /// The link in its canonical text form.
    pub fn to_url(&self) -> String {
        match self {
            ProxyLink::Vless(l) => user_link_url("vless", l),
            ProxyLink::Trojan(l) => user_link_url("trojan", l),
            ProxyLink::Vmess(v) => vmess_url(v),
            ProxyLink::Shadowsocks(s) => ss_url(s),
            ProxyLink::Proxy(p) => p.to_url(),
        }
    }
}

fn query_string(params: &[(String, String)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn name_suffix(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("#{}", enc(name))
    }
}

fn user_link_url(scheme: &str, l: &UserLink) -> String {
    let q = query_string(&l.params);
    format!(
        "{scheme}://{}@{}:{}{}{}",
        enc(&l.user),
        url_host(&l.host),
        l.port,
        if q.is_empty() {
            String::new()
        } else {
            format!("?{q}")
        },
        name_suffix(&l.name)
    )
}

fn vmess_url(v: &VmessLink) -> String {
    // Keys sorted (serde_json's map); `v` is the format version, `port` a string as v2rayN writes.
    let json = serde_json::json!({
        "v": "2", "ps": v.ps, "add": v.add, "port": v.port.to_string(), "id": v.id,
        "aid": v.aid, "scy": v.scy, "net": v.net, "type": v.kind, "host": v.host,
        "path": v.path, "tls": v.tls, "sni": v.sni, "alpn": v.alpn, "fp": v.fp,
    });
    let text = serde_json::to_string(&json).unwrap_or_default();
    format!(
        "vmess://{}",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

fn ss_url(s: &SsLink) -> String {
    let userinfo = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{}:{}", s.method, s.password));
    let plugin = s
        .plugin
        .as_deref()
        .map(|p| format!("/?plugin={}", enc(p)))
        .unwrap_or_default();
    format!(
        "ss://{userinfo}@{}:{}{plugin}{}",
        url_host(&s.host),
        s.port,
        name_suffix(&s.name)
    )
}

impl ProxyUrl {
    pub fn to_url(&self) -> String {
        let auth = match (&self.user, &self.password) {
            (Some(u), Some(p)) => format!("{}:{}@", enc(u), enc(p)),
            (Some(u), None) => format!("{}@", enc(u)),
            _ => String::new(),
        };
        format!(
            "{}://{auth}{}:{}",
            self.scheme.as_str(),
            url_host(&self.host),
            self.port
        )
    }
}
