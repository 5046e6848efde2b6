//! What admins hand to customers: every link of an account (the ones its panel gives, the
//! ones built locally where the panel gives none, proxy strings for proxy sub-users), a parser
//! for the public link formats, QR codes, and exports of links for a selection.

pub mod export;
pub mod parse;
pub mod qr;

use serde::{Deserialize, Serialize};

pub use parse::{parse, LinkError, ProxyLink};
pub use qr::{qr_png, qr_svg};

use crate::{
    accounts::{AccountDetail, AccountKey},
    error::Result,
    kinds, Paneldeck,
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

pub(crate) fn share(urls: impl IntoIterator<Item = String>, kind: LinkKind) -> Vec<AccountLink> {
    urls.into_iter()
        .filter(|u| !u.trim().is_empty())
        .map(|url| AccountLink {
            label: share_label(&url),
            url,
            kind,
        })
        .collect()
}

pub(crate) fn subscription(url: String) -> AccountLink {
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
        self.links_of_detail(&detail).await
    }

    /// [`Paneldeck::account_links`] of an account already read from the snapshot.
    async fn links_of_detail(&self, detail: &AccountDetail) -> Result<Vec<AccountLink>> {
        let key = &detail.account.key;
        if let Some(links) = kinds::rules(detail.panel.kind).links_from_snapshot(detail) {
            return Ok(links);
        }
        let generation = self
            .store()
            .with(|c| crate::accounts::snapshot::api_generation(c, &key.panel_id))?;
        let client = self.client(&detail.panel)?;
        let links = client.ops().links(detail, generation.as_deref()).await?;
        self.keep_session_token(&detail.panel.id, &client);
        Ok(links)
    }

    /// The links of several accounts, each under its name, in the order given.
    pub async fn links_of(&self, keys: &[AccountKey]) -> Result<export::LinksRead> {
        self.links_of_job(keys, &mut crate::jobs::Job::quiet())
            .await
    }

    /// [`Paneldeck::links_of`], one `job` step per account; stops when the job is cancelled.
    pub async fn links_of_job(
        &self,
        keys: &[AccountKey],
        job: &mut crate::jobs::Job,
    ) -> Result<export::LinksRead> {
        let total = keys.len() as u64;
        let mut read = export::LinksRead::default();
        // One account whose links cannot be read (gone from its panel, no subscription
        // known) does not cost the others theirs; when none can be read, the first reason
        // is the answer.
        let mut first_error = None;
        for (done, key) in (0u64..).zip(keys) {
            job.step(crate::jobs::JobPhase::Reading, done, total)?;
            let (name, links) = match self.account_detail(key) {
                Ok(detail) => (
                    detail.account.name.clone(),
                    self.links_of_detail(&detail).await,
                ),
                Err(err) => (key.native_id.clone(), Err(err)),
            };
            match links {
                Ok(links) => read.entries.push(export::AccountLinks { name, links }),
                Err(err) => {
                    let error = crate::ApiError::from(&err);
                    read.unread.push(export::UnreadLinks { name, error });
                    first_error.get_or_insert(err);
                }
            }
        }
        job.step(crate::jobs::JobPhase::Reading, total, total)?;
        match first_error {
            Some(err) if read.entries.is_empty() => Err(err),
            _ => Ok(read),
        }
    }
}
