//! A 3x-ui client's links: the panel's `links/:email` and `subLinks/:subId`, or, where the
//! panel gives none, share links built from the client's credentials and its inbounds'
//! settings.

use paneldeck_panels::xui::{Inbound, Protocol, XuiClient};
use serde_json::Value;

use crate::{
    accounts::AccountDetail,
    error::Result,
    links::{
        panel_host,
        parse::{ProxyLink, SsLink, UserLink, VmessLink},
        share, subscription, AccountLink, LinkKind,
    },
};

/// Every link of the client of `detail`: the panel's own share links (or links built from its
/// inbounds on a panel without the links route) and its subscription URLs.
pub(super) async fn account_links(
    xui: &XuiClient,
    detail: &AccountDetail,
    api_generation: Option<&str>,
) -> Result<Vec<AccountLink>> {
    let legacy = api_generation.is_some_and(super::is_legacy);
    let native_id = &detail.account.key.native_id;
    let given = if legacy {
        Vec::new()
    } else {
        xui.links(native_id).await.unwrap_or_default()
    };
    let mut out = Vec::new();
    if given.is_empty() {
        let host = panel_host(&detail.panel.base_url);
        let inbounds = xui.inbounds_list().await?;
        let built = xui_links_from_raw(&host, &detail.raw, &inbounds);
        out.extend(share(built, LinkKind::Built));
    } else {
        out.extend(share(given, LinkKind::Share));
    }
    if let Some(sub_id) = detail.account.sub_id.as_deref() {
        if !legacy {
            let subs = xui.sub_links(sub_id).await.unwrap_or_default();
            out.extend(subs.into_iter().map(subscription));
        }
    }
    Ok(out)
}

/// A client's credentials as the link formats need them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkCredentials {
    pub email: String,
    pub uuid: String,
    pub password: String,
    pub flow: String,
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(next) => cur = next,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

/// A JSON value that may have been sent as a JSON string (3x-ui sends settings as text).
fn object(v: &Value) -> Value {
    match v {
        Value::String(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// The transport parameters shared by vless:// and trojan:// links.
fn stream_params(stream: &Value) -> Vec<(String, String)> {
    let net = match s(stream, &["network"]) {
        "" => "tcp",
        n => n,
    };
    let security = match s(stream, &["security"]) {
        "" => "none",
        x => x,
    };
    let mut p = vec![
        ("type".to_owned(), net.to_owned()),
        ("security".to_owned(), security.to_owned()),
    ];
    match net {
        "ws" | "httpupgrade" => {
            let key = format!("{net}Settings");
            let path = s(stream, &[&key, "path"]);
            if !path.is_empty() {
                p.push(("path".into(), path.into()));
            }
            let host = match s(stream, &[&key, "host"]) {
                "" => s(stream, &[&key, "headers", "Host"]),
                h => h,
            };
            if !host.is_empty() {
                p.push(("host".into(), host.into()));
            }
        }
        "grpc" => {
            let name = s(stream, &["grpcSettings", "serviceName"]);
            if !name.is_empty() {
                p.push(("serviceName".into(), name.into()));
            }
        }
        _ => {}
    }
    match security {
        "tls" => {
            let sni = s(stream, &["tlsSettings", "serverName"]);
            if !sni.is_empty() {
                p.push(("sni".into(), sni.into()));
            }
            let fp = s(stream, &["tlsSettings", "settings", "fingerprint"]);
            if !fp.is_empty() {
                p.push(("fp".into(), fp.into()));
            }
        }
        "reality" => {
            let r = stream.get("realitySettings").cloned().unwrap_or_default();
            let first = |k: &str| -> String {
                r.get(k)
                    .and_then(|v| v.as_array())
                    .and_then(|a| a.first())
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            let pbk = s(&r, &["settings", "publicKey"]);
            if !pbk.is_empty() {
                p.push(("pbk".into(), pbk.into()));
            }
            let fp = s(&r, &["settings", "fingerprint"]);
            if !fp.is_empty() {
                p.push(("fp".into(), fp.into()));
            }
            let sni = first("serverNames");
            if !sni.is_empty() {
                p.push(("sni".into(), sni));
            }
            let sid = first("shortIds");
            if !sid.is_empty() {
                p.push(("sid".into(), sid));
            }
        }
        _ => {}
    }
    p
}

/// The share link of `client` on `inbound`, reached at `host`; `None` for protocols without a
/// public link format (or a client lacking the credential).
pub fn xui_link(host: &str, client: &LinkCredentials, inbound: &Inbound) -> Option<ProxyLink> {
    let stream = object(&inbound.stream_settings);
    let settings = object(&inbound.settings);
    let name = if inbound.remark.is_empty() {
        client.email.clone()
    } else {
        format!("{}-{}", inbound.remark, client.email)
    };
    match inbound.protocol {
        Protocol::Vless if !client.uuid.is_empty() => {
            let mut params = stream_params(&stream);
            params.insert(1, ("encryption".into(), "none".into()));
            if !client.flow.is_empty() {
                params.push(("flow".into(), client.flow.clone()));
            }
            Some(ProxyLink::Vless(UserLink {
                user: client.uuid.clone(),
                host: host.to_owned(),
                port: inbound.port,
                params,
                name,
            }))
        }
        Protocol::Trojan if !client.password.is_empty() => Some(ProxyLink::Trojan(UserLink {
            user: client.password.clone(),
            host: host.to_owned(),
            port: inbound.port,
            params: stream_params(&stream),
            name,
        })),
        Protocol::Vmess if !client.uuid.is_empty() => {
            let p = stream_params(&stream);
            let get = |k: &str| {
                p.iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let security = get("security");
            Some(ProxyLink::Vmess(VmessLink {
                ps: name,
                add: host.to_owned(),
                port: inbound.port,
                id: client.uuid.clone(),
                aid: "0".into(),
                scy: "auto".into(),
                net: get("type"),
                kind: "none".into(),
                host: get("host"),
                path: match get("path") {
                    p if p.is_empty() => get("serviceName"),
                    p => p,
                },
                tls: if security == "none" {
                    String::new()
                } else {
                    security
                },
                sni: get("sni"),
                alpn: String::new(),
                fp: get("fp"),
            }))
        }
        Protocol::Shadowsocks => {
            let method = s(&settings, &["method"]).to_owned();
            let client_pw = if client.password.is_empty() {
                return None;
            } else {
                client.password.clone()
            };
            // Shadowsocks 2022 multi-user: server key and user key joined by ':'.
            let server_pw = s(&settings, &["password"]);
            let password = if method.starts_with("2022-") && !server_pw.is_empty() {
                format!("{server_pw}:{client_pw}")
            } else {
                client_pw
            };
            Some(ProxyLink::Shadowsocks(SsLink {
                method,
                password,
                host: host.to_owned(),
                port: inbound.port,
                plugin: None,
                name,
            }))
        }
        _ => None,
    }
}

/// The links of a 3x-ui client from its snapshot record (v3.1+ `ClientRecord` or the legacy
/// `{inbounds: [{inboundId, client}]}`) over the panel's inbounds.
pub fn xui_links_from_raw(host: &str, raw: &Value, inbounds: &[Inbound]) -> Vec<String> {
    let creds_of = |c: &Value| LinkCredentials {
        email: s(c, &["email"]).to_owned(),
        uuid: match s(c, &["uuid"]) {
            "" => s(c, &["id"]).to_owned(),
            u => u.to_owned(),
        },
        password: s(c, &["password"]).to_owned(),
        flow: s(c, &["flow"]).to_owned(),
    };
    let mut pairs: Vec<(i64, LinkCredentials)> = Vec::new();
    if let Some(list) = raw.get("inbounds").and_then(|v| v.as_array()) {
        for e in list {
            let id = e.get("inboundId").and_then(Value::as_i64).unwrap_or(-1);
            if let Some(c) = e.get("client") {
                pairs.push((id, creds_of(c)));
            }
        }
    } else {
        let creds = creds_of(raw);
        for id in raw
            .get("inboundIds")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
        {
            pairs.push((id, creds.clone()));
        }
    }
    pairs
        .iter()
        .filter_map(|(id, creds)| {
            let inbound = inbounds.iter().find(|i| i.id.0 == *id)?;
            xui_link(host, creds, inbound).map(|l| l.to_url())
        })
        .collect()
}
