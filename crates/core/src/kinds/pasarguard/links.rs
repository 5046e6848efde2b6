//! A PasarGuard user's links: its users carry no `links`, so they are read from
//! `/sub/{token}/links` (step 90 of the recording), plus the subscription URL.

use paneldeck_panels::pasarguard::PasarguardClient;

use crate::{
    accounts::AccountDetail,
    error::Result,
    links::{share, subscription, AccountLink, LinkKind},
};

pub(super) async fn account_links(
    c: &PasarguardClient,
    detail: &AccountDetail,
) -> Result<Vec<AccountLink>> {
    let user = c.get_user(&detail.account.key.native_id).await?;
    let mut out = match user.subscription_token() {
        Some(token) => share(c.user_links(token).await?, LinkKind::Share),
        None => Vec::new(),
    };
    if !user.subscription_url.is_empty() {
        out.push(subscription(c.absolute_url(&user.subscription_url)));
    }
    Ok(out)
}
