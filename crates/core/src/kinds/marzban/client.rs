//! A Marzban client as a `Connected` panel, with the templates a bulk run's items share.

use std::{collections::HashMap, ops::Deref};

use futures::future::{BoxFuture, FutureExt};
use paneldeck_panels::{
    marzban::{MarzbanClient, UserTemplate},
    HttpClient, PanelKind, ProbeInfo, Secret,
};
use tokio::sync::Mutex;

use super::{actions, bulk, convert, create, fetch};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{Fetched, Many, Progress},
        now_ms,
    },
    actions::{
        AccountAction, AccountEdit, ActionOutcome, CreateOptions, KeptCredentials, KeptSettings,
        NewAccount,
    },
    bulk::{Applied, ItemOp},
    connect::ConnectionSpec,
    error::Result,
    kinds::{Connected, Made},
    registry::PanelView,
};

/// A Marzban client (it derefs to it) and the user templates read through it, by id: the
/// items of a bulk run that apply one template read it once.
pub struct MarzbanConn {
    client: MarzbanClient,
    pub(super) templates: Mutex<HashMap<i64, UserTemplate>>,
}

impl Deref for MarzbanConn {
    type Target = MarzbanClient;

    fn deref(&self) -> &MarzbanClient {
        &self.client
    }
}

/// Logs in with the admin's user name and password, or the session token kept from before.
pub(crate) fn connect(http: HttpClient, spec: ConnectionSpec<'_>) -> Result<MarzbanConn> {
    let client = MarzbanClient::new(http, spec.username()?, spec.secret)
        .with_cached_token(spec.session_token);
    Ok(MarzbanConn {
        client,
        templates: Mutex::new(HashMap::new()),
    })
}

impl Connected for MarzbanConn {
    fn kind(&self) -> PanelKind {
        PanelKind::Marzban
    }

    fn probe(&self) -> BoxFuture<'_, Result<ProbeInfo>> {
        async move { Ok(self.client.probe().await?) }.boxed()
    }

    fn session_token(&self) -> Option<Secret> {
        self.client.current_token()
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
        create::create(&self.client, new, kept, settings)
            .map(|made| made.map(|(outcome, _)| vec![outcome]))
            .boxed()
    }

    fn create_answered<'a>(
        &'a self,
        panel: &'a PanelView,
        new: &'a NewAccount,
        kept: &'a KeptCredentials,
        settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<Made>>> {
        async move {
            let (outcome, user) = create::create(&self.client, new, kept, settings).await?;
            let account = convert::from_user(&panel.id, &panel.base_url, &user, now_ms());
            Ok(vec![(outcome, Some(account))])
        }
        .boxed()
    }

    fn create_options(&self) -> BoxFuture<'_, Result<CreateOptions>> {
        create::create_options(&self.client).boxed()
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
        bulk::existing(&self.client, name).boxed()
    }

    /// A new user can only start active or on hold.
    fn disabled_by_a_second_call(&self) -> bool {
        true
    }
}
