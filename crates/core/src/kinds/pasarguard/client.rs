//! A PasarGuard client as a `Connected` panel.

use std::ops::Deref;

use futures::future::{BoxFuture, FutureExt};
use paneldeck_panels::{
    pasarguard::{PasarguardAuth, PasarguardClient},
    HttpClient, PanelKind, ProbeInfo,
};

use super::{actions, bulk, fetch, links};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{Fetched, Many, Progress},
        AccountDetail,
    },
    actions::{
        AccountAction, AccountEdit, ActionOutcome, CreateOptions, KeptCredentials, KeptSettings,
        NewAccount,
    },
    bulk::{Applied, ItemOp, Runner, Work},
    connect::ConnectionSpec,
    error::Result,
    kinds::Connected,
    links::AccountLink,
    registry::{PanelId, PanelView},
};

/// A PasarGuard client (it derefs to it).
pub struct PasarguardConn {
    client: PasarguardClient,
}

impl Deref for PasarguardConn {
    type Target = PasarguardClient;

    fn deref(&self) -> &PasarguardClient {
        &self.client
    }
}

/// Signs in with the admin's user name and password (and the token kept from before), or
/// with an API key when the panel has no user name.
pub(crate) fn connect(http: HttpClient, spec: ConnectionSpec<'_>) -> Result<PasarguardConn> {
    let client = match spec.settings.username.clone() {
        Some(username) => PasarguardClient::new(
            http,
            PasarguardAuth::Password {
                username,
                password: spec.secret,
            },
        )
        .with_cached_token(spec.session_token),
        None => PasarguardClient::new(http, PasarguardAuth::ApiKey(spec.secret)),
    };
    Ok(PasarguardConn { client })
}

impl Connected for PasarguardConn {
    fn kind(&self) -> PanelKind {
        PanelKind::Pasarguard
    }

    fn probe(&self) -> BoxFuture<'_, Result<ProbeInfo>> {
        async move { Ok(self.client.probe().await?) }.boxed()
    }

    fn fetch_all<'a>(
        &'a self,
        panel: &'a PanelView,
        concurrency: usize,
        progress: Progress<'a>,
    ) -> BoxFuture<'a, Result<Fetched>> {
        async move { Ok(fetch::fetch_all(&self.client, panel, concurrency, progress).await?) }
            .boxed()
    }

    fn fetch_one<'a>(
        &'a self,
        panel: &'a PanelView,
        native_id: &'a str,
        _api_generation: Option<&'a str>,
        now_ms: i64,
    ) -> BoxFuture<'a, Result<Option<Converted>>> {
        fetch::fetch_one(&self.client, panel, native_id, now_ms).boxed()
    }

    /// `GET /api/users?username=…` answers the users named, in one request per chunk.
    fn fetch_many<'a>(
        &'a self,
        panel: &'a PanelView,
        ids: &'a [&'a str],
        now_ms: i64,
    ) -> Option<BoxFuture<'a, Result<Many>>> {
        Some(fetch::fetch_many(&self.client, panel, ids, now_ms).boxed())
    }

    fn apply<'a>(
        &'a self,
        native_id: &'a str,
        action: &'a AccountAction,
    ) -> BoxFuture<'a, Result<ActionOutcome>> {
        actions::apply(&self.client, native_id, action).boxed()
    }

    fn edit<'a>(
        &'a self,
        native_id: &'a str,
        edit: &'a AccountEdit,
    ) -> BoxFuture<'a, Result<ActionOutcome>> {
        actions::edit(&self.client, native_id, edit).boxed()
    }

    fn create<'a>(
        &'a self,
        new: &'a NewAccount,
        kept: &'a KeptCredentials,
        settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<ActionOutcome>>> {
        actions::create(&self.client, new, kept, settings).boxed()
    }

    fn create_options(&self) -> BoxFuture<'_, Result<CreateOptions>> {
        actions::create_options(&self.client).boxed()
    }

    fn bulk_item<'a>(
        &'a self,
        native_id: &'a str,
        op: &'a ItemOp,
    ) -> BoxFuture<'a, Result<Applied>> {
        bulk::item(&self.client, native_id, op).boxed()
    }

    fn existing<'a>(
        &'a self,
        name: &'a str,
        _new: &'a NewAccount,
    ) -> BoxFuture<'a, Result<Option<String>>> {
        bulk::existing(&self.client, name).boxed()
    }

    /// A new user can only start active or on hold.
    fn disabled_by_a_second_call(&self) -> bool {
        true
    }

    fn native_bulk<'a>(
        &'a self,
        run: &'a Runner<'a>,
        panel: &'a PanelId,
        work: Vec<Work>,
    ) -> BoxFuture<'a, Vec<Work>> {
        bulk::run(&self.client, run, panel, work).boxed()
    }

    fn links<'a>(
        &'a self,
        detail: &'a AccountDetail,
        _api_generation: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Vec<AccountLink>>> {
        links::account_links(&self.client, detail).boxed()
    }
}
