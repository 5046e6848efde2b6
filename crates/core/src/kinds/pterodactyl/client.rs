//! A Pterodactyl client as a [`Connected`] panel.

use futures::future::{BoxFuture, FutureExt};
use paneldeck_panels::{
    pterodactyl::{PterodactylClient, ServerIdentifier},
    HttpClient, PanelKind, ProbeInfo,
};

use super::{actions, fetch, ids::pterodactyl_native_id};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{Fetched, Progress},
    },
    actions::{
        AccountAction, AccountEdit, ActionOutcome, CreateOptions, KeptCredentials, KeptSettings,
        NewAccount,
    },
    connect::ConnectionSpec,
    error::Result,
    kinds::Connected,
    registry::PanelView,
};

/// Authenticates with a client API key.
pub(crate) fn connect(http: HttpClient, spec: ConnectionSpec<'_>) -> PterodactylClient {
    PterodactylClient::new(http, spec.secret)
}

impl Connected for PterodactylClient {
    fn kind(&self) -> PanelKind {
        PanelKind::Pterodactyl
    }

    fn probe(&self) -> BoxFuture<'_, Result<ProbeInfo>> {
        async move { Ok(PterodactylClient::probe(self).await?) }.boxed()
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
        _api_generation: Option<&'a str>,
        now_ms: i64,
    ) -> BoxFuture<'a, Result<Option<Converted>>> {
        fetch::fetch_one(self, panel, native_id, now_ms).boxed()
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

    /// A subuser has no secret to keep and no enabled state.
    fn create<'a>(
        &'a self,
        new: &'a NewAccount,
        _kept: &'a KeptCredentials,
        _settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<ActionOutcome>>> {
        actions::create(self, new).boxed()
    }

    fn create_options(&self) -> BoxFuture<'_, Result<CreateOptions>> {
        actions::create_options(self).boxed()
    }

    /// The subusers of that email on every server the create names, once all of them exist.
    fn existing<'a>(
        &'a self,
        email: &'a str,
        new: &'a NewAccount,
    ) -> BoxFuture<'a, Result<Option<String>>> {
        async move {
            let NewAccount::Pterodactyl { server_ids, .. } = new else {
                return Ok(None);
            };
            let mut found = Vec::new();
            for server in server_ids {
                let server = ServerIdentifier(server.clone());
                let subs = self.list_subusers(&server).await?;
                if let Some(s) = subs.iter().find(|s| s.email.eq_ignore_ascii_case(email)) {
                    found.push(pterodactyl_native_id(&server.0, &s.uuid.0));
                }
            }
            Ok((found.len() == server_ids.len() && !found.is_empty()).then(|| found.join(",")))
        }
        .boxed()
    }
}
