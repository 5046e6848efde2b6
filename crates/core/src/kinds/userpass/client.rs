//! A user-pass provider's client as a [`Connected`] panel.

use futures::future::{self, BoxFuture, FutureExt};
use paneldeck_panels::{userpass::UserpassClient, HttpClient, PanelKind, ProbeInfo};

use super::{actions, fetch};
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

/// Authenticates with the API key, in a header or (a setting) in the query.
pub(crate) fn connect(http: HttpClient, spec: ConnectionSpec<'_>) -> UserpassClient {
    UserpassClient::new(http, spec.secret, spec.settings.key_in_query)
}

impl Connected for UserpassClient {
    fn kind(&self) -> PanelKind {
        PanelKind::Userpass
    }

    fn probe(&self) -> BoxFuture<'_, Result<ProbeInfo>> {
        async move { Ok(UserpassClient::probe(self).await?) }.boxed()
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

    /// The form's status is sent with the create: no second call.
    fn create<'a>(
        &'a self,
        new: &'a NewAccount,
        kept: &'a KeptCredentials,
        _settings: &'a KeptSettings,
    ) -> BoxFuture<'a, Result<Vec<ActionOutcome>>> {
        actions::create(self, new, kept).boxed()
    }

    fn create_options(&self) -> BoxFuture<'_, Result<CreateOptions>> {
        future::ready(Ok(CreateOptions::Userpass {
            generated_password_length: actions::PASSWORD_LEN,
        }))
        .boxed()
    }

    fn existing<'a>(
        &'a self,
        name: &'a str,
        _new: &'a NewAccount,
    ) -> BoxFuture<'a, Result<Option<String>>> {
        async move { Ok(self.find_by_name(name).await?.map(|s| s.id.0.to_string())) }.boxed()
    }
}
