//! Single-account changes from the detail pane (not the bulk operations of `bulk`): run the
//! action on the panel, then bring the snapshot up to date for that account, so the table
//! shows the change without a full sync.

use crate::{
    accounts::model::AccountKey,
    actions::{
        self, AccountAction, AccountEdit, ActionOutcome, ClientIpList, CreateOptions, NewAccount,
    },
    error::Result,
    registry::PanelId,
    Paneldeck,
};

impl Paneldeck {
    pub async fn account_action(
        &self,
        key: &AccountKey,
        action: &AccountAction,
    ) -> Result<ActionOutcome> {
        let client = self.client(&self.panel(&key.panel_id)?)?;
        let outcome = actions::apply(&client, &key.native_id, action).await?;
        if matches!(action, AccountAction::Delete { .. }) {
            self.remove_account_from_snapshot(key)?;
        } else {
            self.refresh_after_change(key).await;
        }
        Ok(outcome)
    }

    /// Edits an account. Renaming changes its native id (3x-ui's email): the old row goes.
    pub async fn account_edit(
        &self,
        key: &AccountKey,
        edit: &AccountEdit,
    ) -> Result<ActionOutcome> {
        let client = self.client(&self.panel(&key.panel_id)?)?;
        let outcome = actions::edit(&client, &key.native_id, edit).await?;
        if outcome.native_id != key.native_id {
            self.remove_account_from_snapshot(key)?;
        }
        self.refresh_after_change(&AccountKey::new(
            key.panel_id.clone(),
            outcome.native_id.clone(),
        ))
        .await;
        Ok(outcome)
    }

    pub async fn account_create(
        &self,
        panel_id: &PanelId,
        new: &NewAccount,
    ) -> Result<Vec<ActionOutcome>> {
        let client = self.client(&self.panel(panel_id)?)?;
        let outcomes = actions::create(&client, new).await?;
        for outcome in &outcomes {
            self.refresh_after_change(&AccountKey::new(
                panel_id.clone(),
                outcome.native_id.clone(),
            ))
            .await;
        }
        Ok(outcomes)
    }

    pub async fn account_ips(&self, key: &AccountKey) -> Result<ClientIpList> {
        let client = self.client(&self.panel(&key.panel_id)?)?;
        actions::client_ips(&client, &key.native_id).await
    }

    pub async fn create_options(&self, panel_id: &PanelId) -> Result<CreateOptions> {
        let client = self.client(&self.panel(panel_id)?)?;
        actions::create_options(&client).await
    }

    /// The change already happened on the panel; a failed re-read only leaves the row stale
    /// until the next sync, so it is logged rather than reported as the action's failure.
    async fn refresh_after_change(&self, key: &AccountKey) {
        if let Err(err) = self.refresh_account(key).await {
            tracing::warn!(account = %key, %err, "could not refresh the account after a change");
        }
    }
}
