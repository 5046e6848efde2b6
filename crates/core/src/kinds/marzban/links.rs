//! A Marzban user's links: the share links and subscription URL its record carries.

use crate::{
    accounts::AccountDetail,
    links::{share, subscription, AccountLink, LinkKind},
};

pub(crate) fn from_snapshot(detail: &AccountDetail) -> Vec<AccountLink> {
    let links: Vec<String> = detail
        .raw
        .get("links")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .unwrap_or_default();
    let mut out = share(links, LinkKind::Share);
    if let Some(url) = detail.account.subscription_url.clone() {
        out.push(subscription(url));
    }
    out
}
