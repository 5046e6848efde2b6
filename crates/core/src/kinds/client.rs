//! A connected panel of any kind, and [`Connected`]: what every kind's live client does.
//! [`PanelClient::ops`] is the one `match` over the kinds that generic code goes through.

use futures::future::{self, BoxFuture, FutureExt};
use paneldeck_panels::{HttpClient, PanelKind, ProbeInfo, Secret};

use super::{marzban, pasarguard, pterodactyl, userpass, xui};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{Fetched, Many, Progress},
        AccountDetail,
    },
    actions::{
        unsupported, AccountAction, AccountEdit, ActionOutcome, ClientIpList, CreateOptions,
        KeptCredentials, KeptSettings, NewAccount,
    },
    bulk::{unsupported_op, Applied, ItemOp, Runner, Work},
    connect::ConnectionSpec,
    error::Result,
    links::AccountLink,
    registry::{PanelId, PanelView},
};

/// What a create made: its outcome, and the account as the panel's answer held it (`None`:
/// the answer does not hold the whole record).
pub(crate) type Made = (ActionOutcome, Option<Converted>);

/// A connected client of whichever kind the panel is.
pub enum PanelClient {
    Xui(paneldeck_panels::xui::XuiClient),
    Marzban(marzban::client::MarzbanConn),
    Userpass(paneldeck_panels::userpass::UserpassClient),
    Pterodactyl(paneldeck_panels::pterodactyl::PterodactylClient),
    Pasarguard(pasarguard::client::PasarguardConn),
}

impl PanelClient {
    pub fn new(spec: ConnectionSpec<'_>) -> Result<Self> {
        let http = HttpClient::new(spec.kind, spec.endpoint.clone())?;
        Ok(match spec.kind {
            PanelKind::Xui => PanelClient::Xui(xui::client::connect(http, spec)?),
            PanelKind::Marzban => PanelClient::Marzban(marzban::client::connect(http, spec)?),
            PanelKind::Userpass => PanelClient::Userpass(userpass::client::connect(http, spec)),
            PanelKind::Pterodactyl => {
                PanelClient::Pterodactyl(pterodactyl::client::connect(http, spec))
            }
            PanelKind::Pasarguard => {
                PanelClient::Pasarguard(pasarguard::client::connect(http, spec)?)
            }
        })
    }

    /// What this panel's kind does with a connection.
    pub(crate) fn ops(&self) -> &dyn Connected {
        match self {
            PanelClient::Xui(c) => c,
            PanelClient::Marzban(c) => c,
            PanelClient::Userpass(c) => c,
            PanelClient::Pterodactyl(c) => c,
            PanelClient::Pasarguard(c) => c,
        }
    }

    /// The panel kind this client speaks to.
    pub fn kind(&self) -> PanelKind {
        self.ops().kind()
    }

    /// Reachability, authentication and version in one call.
    pub async fn probe(&self) -> Result<ProbeInfo> {
        self.ops().probe().await
    }

    /// A session token worth keeping in the keyring (Marzban), after a call.
    pub fn session_token(&self) -> Option<Secret> {
        self.ops().session_token()
    }
}

/// What a live client of one kind does. Futures are boxed so the trait stays object safe and
/// the app's commands stay `Send`.
pub(crate) trait Connected: Send + Sync {
    fn kind(&self) -> PanelKind;

    fn probe(&self) -> BoxFuture<'_, Result<ProbeInfo>>;

    /// A session token worth keeping in the keyring, after a call.
    fn session_token(&self) -> Option<Secret> {
        None
    }

    /// Every account, with at most `concurrency` (≥ 1) requests in flight.
    fn fetch_all<'a>(
        &'a self,
        panel: &'a PanelView,
        concurrency: usize,
        progress: Progress<'a>,
    ) -> BoxFuture<'a, Result<Fetched>>;

    /// One account read again; `Ok(None)` when the panel no longer has it. `api_generation`:
    /// what the last sync recorded, if anything.
    fn fetch_one<'a>(
        &'a self,
        panel: &'a PanelView,
        native_id: &'a str,
        api_generation: Option<&'a str>,
        now_ms: i64,
    ) -> BoxFuture<'a, Result<Option<Converted>>>;

    /// Many accounts read again in few requests where the panel has a way (3x-ui's `list`,
    /// Marzban's and PasarGuard's `users?username=…`), by native id; the ones the panel no
    /// longer has are absent. `None`: the kind reads them one by one
    /// ([`fetch_one`](Self::fetch_one)).
    fn fetch_many<'a>(
        &'a self,
        _panel: &'a PanelView,
        _ids: &'a [&'a str],
        _now_ms: i64,
    ) -> Option<BoxFuture<'a, Result<Many>>> {
        None
    }

    fn apply<'a>(
        &'a self,
        native_id: &'a str,
        action: &'a AccountAction,
    ) -> BoxFuture<'a, Result<ActionOutcome>>;

    /// Saves an edit form already known to be this kind's.
    fn edit<'a>(
        &'a self,
        native_id: &'a str,
        edit: &'a AccountEdit,
    ) -> BoxFuture<'a, Result<ActionOutcome>>;

    /// Creates from a form already known to be this kind's, keeping what `kept` and
    /// `settings` hold where the kind can.
    fn create<'a>(
        &'a self,
        new: &'a NewAccount,
        kept: &'a KeptCredentials,
        settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<ActionOutcome>>>;

    /// [`create`](Self::create), with each account made as the panel's answer holds it where
    /// that answer is the whole record (a bulk run then writes it into the snapshot instead
    /// of reading it back); `None` beside an outcome: the answer does not hold it (3x-ui's
    /// `addClient` answers no client), read it back.
    fn create_answered<'a>(
        &'a self,
        _panel: &'a PanelView,
        new: &'a NewAccount,
        kept: &'a KeptCredentials,
        settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<Made>>> {
        self.create(new, kept, settings)
            .map(|made| made.map(|outs| outs.into_iter().map(|o| (o, None)).collect()))
            .boxed()
    }

    fn client_ips<'a>(&'a self, _native_id: &'a str) -> BoxFuture<'a, Result<ClientIpList>> {
        let err = unsupported(
            self.kind(),
            "does not record the IP addresses an account connects from",
        );
        future::ready(Err(err)).boxed()
    }

    fn create_options(&self) -> BoxFuture<'_, Result<CreateOptions>>;

    /// One bulk item whose operation is not a single-account action, edit or create (those
    /// go through [`apply`](Self::apply), [`edit`](Self::edit), [`create`](Self::create)).
    fn bulk_item<'a>(
        &'a self,
        _native_id: &'a str,
        op: &'a ItemOp,
    ) -> BoxFuture<'a, Result<Applied>> {
        future::ready(Err(unsupported_op(op))).boxed()
    }

    /// The id of the account named `name` if the panel already has it (a create whose
    /// earlier attempt may have reached the panel is then not sent again).
    fn existing<'a>(
        &'a self,
        name: &'a str,
        new: &'a NewAccount,
    ) -> BoxFuture<'a, Result<Option<String>>>;

    /// A create that keeps an account disabled is a create and then a disable, so a retried
    /// create may have stopped between the two.
    fn disabled_by_a_second_call(&self) -> bool {
        false
    }

    /// Runs what the kind's own bulk routes can take; returns the rest for the item-by-item
    /// path.
    fn native_bulk<'a>(
        &'a self,
        _run: &'a Runner<'a>,
        _panel: &'a PanelId,
        work: Vec<Work>,
    ) -> BoxFuture<'a, Vec<Work>> {
        future::ready(work).boxed()
    }

    /// The links of an account whose kind asks its panel for them (see
    /// [`KindRules::links_from_snapshot`](super::KindRules::links_from_snapshot)).
    fn links<'a>(
        &'a self,
        _detail: &'a AccountDetail,
        _api_generation: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Vec<AccountLink>>> {
        future::ready(Ok(Vec::new())).boxed()
    }
}
