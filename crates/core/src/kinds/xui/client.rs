//! A 3x-ui client as a [`Connected`] panel.

use futures::future::{BoxFuture, FutureExt};
use paneldeck_panels::{
    xui::{XuiAuth, XuiClient},
    HttpClient, PanelKind, ProbeInfo,
};

use super::{actions, bulk, fetch, links};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{listed, Fetched, Many, Progress},
        AccountDetail,
    },
    actions::{
        AccountAction, AccountEdit, ActionOutcome, ClientIpList, CreateOptions, KeptCredentials,
        KeptSettings, NewAccount,
    },
    bulk::{Applied, ItemOp, Runner, Work},
    connect::ConnectionSpec,
    error::Result,
    kinds::Connected,
    links::AccountLink,
    registry::{PanelId, PanelView, XuiAuthMode},
};

/// Logs in with an API token, or with the panel's user name and password.
pub(crate) fn connect(http: HttpClient, spec: ConnectionSpec<'_>) -> Result<XuiClient> {
    let auth = match spec.settings.xui_auth.unwrap_or(XuiAuthMode::Token) {
        XuiAuthMode::Token => XuiAuth::Token(spec.secret),
        XuiAuthMode::Password => XuiAuth::Password {
            username: spec.username()?,
            password: spec.secret,
            two_factor_code: None,
        },
    };
    Ok(XuiClient::new(http, auth))
}

impl Connected for XuiClient {
    fn kind(&self) -> PanelKind {
        PanelKind::Xui
    }

    fn probe(&self) -> BoxFuture<'_, Result<ProbeInfo>> {
        async move { Ok(XuiClient::probe(self).await?) }.boxed()
    }

    fn fetch_all<'a>(
        &'a self,
        _panel: &'a PanelView,
        concurrency: usize,
        progress: Progress<'a>,
    ) -> BoxFuture<'a, Result<Fetched>> {
        async move { Ok(fetch::fetch_all(self, concurrency, progress).await?) }.boxed()
    }

    fn fetch_one<'a>(
        &'a self,
        panel: &'a PanelView,
        native_id: &'a str,
        api_generation: Option<&'a str>,
        now_ms: i64,
    ) -> BoxFuture<'a, Result<Option<Converted>>> {
        fetch::fetch_one(self, panel, native_id, api_generation, now_ms).boxed()
    }

    /// `clients/list` (v3.1+) answers every client in one request, and a pre-3.1 panel's
    /// single-client read lists every inbound anyway (facts §4.4): many clients are read as
    /// a sync reads them.
    fn fetch_many<'a>(
        &'a self,
        panel: &'a PanelView,
        ids: &'a [&'a str],
        now_ms: i64,
    ) -> Option<BoxFuture<'a, Result<Many>>> {
        Some(
            async move {
                let fetched = fetch::fetch_all(self, 4, &|_, _| {}).await?;
                Ok(listed(fetched, &panel.id, ids, now_ms))
            }
            .boxed(),
        )
    }

    fn apply<'a>(
        &'a self,
        native_id: &'a str,
        action: &'a AccountAction,
    ) -> BoxFuture<'a, Result<ActionOutcome>> {
        actions::apply(self, native_id, action).boxed()
    }

    fn edit<'a>(
        &'a self,
        native_id: &'a str,
        edit: &'a AccountEdit,
    ) -> BoxFuture<'a, Result<ActionOutcome>> {
        actions::edit(self, native_id, edit).boxed()
    }

    fn create<'a>(
        &'a self,
        new: &'a NewAccount,
        kept: &'a KeptCredentials,
        settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<ActionOutcome>>> {
        actions::create(self, new, kept, settings).boxed()
    }

    fn client_ips<'a>(&'a self, native_id: &'a str) -> BoxFuture<'a, Result<ClientIpList>> {
        actions::client_ips(self, native_id).boxed()
    }

    fn create_options(&self) -> BoxFuture<'_, Result<CreateOptions>> {
        actions::create_options(self).boxed()
    }

    fn bulk_item<'a>(
        &'a self,
        native_id: &'a str,
        op: &'a ItemOp,
    ) -> BoxFuture<'a, Result<Applied>> {
        bulk::item(self, native_id, op).boxed()
    }

    fn existing<'a>(
        &'a self,
        name: &'a str,
        _new: &'a NewAccount,
    ) -> BoxFuture<'a, Result<Option<String>>> {
        bulk::existing(self, name).boxed()
    }

    /// `add` always enables the client.
    fn disabled_by_a_second_call(&self) -> bool {
        true
    }

    fn native_bulk<'a>(
        &'a self,
        run: &'a Runner<'a>,
        panel: &'a PanelId,
        work: Vec<Work>,
    ) -> BoxFuture<'a, Vec<Work>> {
        bulk::run(self, run, panel, work).boxed()
    }

    fn links<'a>(
        &'a self,
        detail: &'a AccountDetail,
        api_generation: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Vec<AccountLink>>> {
        links::account_links(self, detail, api_generation).boxed()
    }
}
