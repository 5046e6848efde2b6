//! What admins hand to customers: every link of an account (the ones its panel gives, the
//! ones built locally where the panel gives none, proxy strings for proxy sub-users), a parser
//! for the public link formats, QR codes, and exports of links for a selection.

pub mod build;
pub mod export;
pub mod parse;
pub mod qr;

use paneldeck_panels::PanelKind;
use serde::{Deserialize, Serialize};

pub use build::{proxy_strings, xui_link};
pub use parse::{parse, LinkError, ProxyLink};
pub use qr::{qr_png, qr_svg};

use crate::{
    accounts::{model::is_xui_legacy, AccountKey},
    connect::PanelClient,
    error::Result,
    Paneldeck,
};

/// Where a link came from / what it is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A share link the panel gave (vless://, vmess://, …).
    Share,
    /// A share link Paneldeck built from the account's record and its inbound.
    Built,
    /// A subscription URL (the client app fetches the links from it).
    Subscription,
    /// A proxy string for a user-pass sub-user (`host:port:user:pass`, `http://…`, …).
    Proxy,
}

/// One link of one account, ready to copy or render as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountLink {
    /// Short description: the link's own name, `Subscription`, `HTTP (user:pass@host:port)`, …
    pub label: String,
    pub url: String,
    pub kind: LinkKind,
}

/// A link's label: its own name where it has one, else its scheme.
fn share_label(url: &str) -> String {
    match parse::parse(url) {
        Ok(l) if !l.name().is_empty() => format!("{} ({})", l.name(), l.scheme()),
        Ok(l) => l.scheme().to_owned(),
        Err(_) => url.split("://").next().unwrap_or("link").to_owned(),
    }
}

fn share(urls: impl IntoIterator<Item = String>, kind: LinkKind) -> Vec<AccountLink> {
    urls.into_iter()
        .filter(|u| !u.trim().is_empty())
        .map(|url| AccountLink {
            label: share_label(&url),
            url,
            kind,
        })
        .collect()
}

fn subscription(url: String) -> AccountLink {
    AccountLink {
        label: "Subscription".into(),
        url,
        kind: LinkKind::Subscription,
    }
}

/// The host customers connect to: the panel URL's host.
pub fn panel_host(base_url: &str) -> String {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_owned()))
        .unwrap_or_default()
}

impl Paneldeck {
    /// Every link of one account: 3x-ui `links/:email` and `subLinks/:subId` (or links built
    /// from its inbounds on a panel without the links route), Marzban's `links` and
    /// `subscription_url`, proxy strings for a user-pass sub-user (needs the panel's gateway
    /// settings). Pterodactyl subusers have none.
    pub async fn account_links(&self, key: &AccountKey) -> Result<Vec<AccountLink>> {
        let detail = self.account_detail(key)?;
        let panel = &detail.panel;
        let account = &detail.account;
        let mut out = Vec::new();
        match panel.kind {
            PanelKind::Xui => {
                let client = self.client(panel)?;
                let PanelClient::Xui(xui) = &client else {
                    return Ok(out);
                };
                let legacy = self
                    .store()
                    .with(|c| crate::accounts::snapshot::api_generation(c, &key.panel_id))?
                    .as_deref()
                    .is_some_and(is_xui_legacy);
                let given = if legacy {
                    Vec::new()
                } else {
                    xui.links(&key.native_id).await.unwrap_or_default()
                };
                if given.is_empty() {
                    let host = panel_host(&panel.base_url);
                    let inbounds = xui.inbounds_list().await?;
                    let built = build::xui_links_from_raw(&host, &detail.raw, &inbounds);
                    out.extend(share(built, LinkKind::Built));
                } else {
                    out.extend(share(given, LinkKind::Share));
                }
                if let Some(sub_id) = account.sub_id.as_deref() {
                    if !legacy {
                        let subs = xui.sub_links(sub_id).await.unwrap_or_default();
                        out.extend(subs.into_iter().map(subscription));
                    }
                }
                self.keep_session_token(&panel.id, &client);
            }
            PanelKind::Marzban => {
                let links: Vec<String> = detail
                    .raw
                    .get("links")
                    .and_then(|l| serde_json::from_value(l.clone()).ok())
                    .unwrap_or_default();
                out.extend(share(links, LinkKind::Share));
                if let Some(url) = account.subscription_url.clone() {
                    out.push(subscription(url));
                }
            }
            PanelKind::Userpass => {
                if let Some(gw) = &panel.settings.gateway {
                    let user = detail
                        .raw
                        .get("user_name")
                        .and_then(|v| v.as_str())
                        .unwrap_or(&account.name);
                    let pass = detail
                        .raw
                        .get("use_key")
                        .and_then(|v| v.as_str())
                        .unwrap_or_default();
                    out.extend(proxy_strings(gw, user, pass));
                }
            }
            PanelKind::Pterodactyl => {}
        }
        Ok(out)
    }

    /// The links of several accounts, each under its name, in the order given.
    pub async fn links_of(&self, keys: &[AccountKey]) -> Result<Vec<export::AccountLinks>> {
        let mut entries = Vec::with_capacity(keys.len());
        for key in keys {
            let name = self.account_detail(key)?.account.name;
            let links = self.account_links(key).await?;
            entries.push(export::AccountLinks { name, links });
        }
        Ok(entries)
    }
}
