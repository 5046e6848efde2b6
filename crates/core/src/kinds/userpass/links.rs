//! A user-pass sub-user's links: proxy strings on the panel's gateway (from its settings).

use crate::{
    accounts::AccountDetail,
    links::{
        parse::{ProxyScheme, ProxyUrl},
        AccountLink, LinkKind,
    },
    registry::ProxyGatewaySettings,
};

/// The proxy strings of the sub-user of `detail`, from its snapshot record; none without the
/// panel's gateway settings.
pub(crate) fn from_snapshot(detail: &AccountDetail) -> Vec<AccountLink> {
    let Some(gw) = &detail.panel.settings.gateway else {
        return Vec::new();
    };
    let user = detail
        .raw
        .get("user_name")
        .and_then(|v| v.as_str())
        .unwrap_or(&detail.account.name);
    let pass = detail
        .raw
        .get("use_key")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    proxy_strings(gw, user, pass)
}

/// The proxy strings of a sub-user on a gateway, in the common formats, HTTP then SOCKS5.
pub fn proxy_strings(gw: &ProxyGatewaySettings, user: &str, pass: &str) -> Vec<AccountLink> {
    let mut out = Vec::new();
    let ports = [
        (ProxyScheme::Http, gw.http_port, "HTTP"),
        (ProxyScheme::Socks5, gw.socks5_port, "SOCKS5"),
    ];
    for (scheme, port, label) in ports {
        let Some(port) = port else { continue };
        let host = &gw.host;
        let proxy = |label: String, url: String| AccountLink {
            label,
            url,
            kind: LinkKind::Proxy,
        };
        out.push(proxy(
            format!("{label} URL"),
            ProxyUrl {
                scheme,
                user: Some(user.to_owned()),
                password: Some(pass.to_owned()),
                host: host.clone(),
                port,
            }
            .to_url(),
        ));
        out.push(proxy(
            format!("{label} host:port:user:pass"),
            format!("{host}:{port}:{user}:{pass}"),
        ));
        out.push(proxy(
            format!("{label} user:pass@host:port"),
            format!("{user}:{pass}@{host}:{port}"),
        ));
    }
    out
}
