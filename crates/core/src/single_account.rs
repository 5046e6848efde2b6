//! Single-account changes from the detail pane (not the bulk operations of `bulk`): journal
//! the change as an operation of one item, run it on the panel, then bring the snapshot up to
//! date for that account, so the table shows the change without a full sync and the
//! Operations page shows who changed what (before → after).

use crate::{
    accounts::{model::AccountKey, Account},
    actions::{
        self, AccountAction, AccountEdit, ActionOutcome, ClientIpList, CreateOptions, NewAccount,
    },
    bulk::{
        live::changed_since, single::account_changes, Field, FieldChange, FieldValue, ItemOp,
        ItemOutcome, OpId,
    },
    error::{CoreError, Result},
    registry::{PanelId, PanelView},
    Paneldeck,
};

/// The journal's name for a detail-pane action.
fn item_op(action: &AccountAction) -> ItemOp {
    match action {
        AccountAction::Enable => ItemOp::Enable,
        AccountAction::Disable => ItemOp::Disable,
        AccountAction::ResetTraffic => ItemOp::ResetTraffic,
        AccountAction::Delete { keep_traffic } => ItemOp::Delete {
            keep_traffic: *keep_traffic,
        },
        AccountAction::ClearIps => ItemOp::ClearIps,
        AccountAction::RevokeSubscription => ItemOp::RevokeSubscription,
        AccountAction::RegeneratePassword => ItemOp::RegeneratePassword,
        AccountAction::SetPermissions { permissions } => ItemOp::SetPermissions {
            permissions: permissions.clone(),
        },
    }
}

impl Paneldeck {
    pub async fn account_action(
        &self,
        key: &AccountKey,
        action: &AccountAction,
    ) -> Result<ActionOutcome> {
        let panel = self.panel(&key.panel_id)?;
        let client = self.client(&panel)?;
        let shown = self.shown_account(&panel, key);
        let op = self.journal_single_start(&panel, &shown, item_op(action))?;
        let before = match self.live_account(key, shown).await {
            Ok(before) => before,
            Err(err) => {
                self.finish_single(&op, Err(&err), &[]);
                return Err(err);
            }
        };
        let result = actions::apply(&client, &key.native_id, action).await;
        let changes = match (&result, action) {
            (Ok(_), AccountAction::Delete { .. }) => {
                self.remove_account_from_snapshot(key)?;
                account_changes(&before, None)
            }
            (Ok(_), _) => self.changes_since(&before, key).await,
            (Err(_), _) => Vec::new(),
        };
        let journaled = result
            .as_ref()
            .map(|o| o.message.clone().map(ItemOutcome::from));
        self.finish_single(&op, journaled, &changes);
        result.map(|outcome| ActionOutcome {
            journal: Some(op),
            ..outcome
        })
    }

    /// Edits an account. Renaming changes its native id (3x-ui's email): the old row goes.
    ///
    /// `seen` is the account as the form showed it when it was opened. A form sends every
    /// field it holds, so when one of them changed on the panel since (a colleague, a bot),
    /// sending it would silently undo that change: the edit is refused with what changed
    /// ([`CoreError::ChangedOnPanel`]) and the form is checked against the panel's values.
    pub async fn account_edit(
        &self,
        key: &AccountKey,
        edit: &AccountEdit,
        seen: Option<&Account>,
    ) -> Result<ActionOutcome> {
        let panel = self.panel(&key.panel_id)?;
        let client = self.client(&panel)?;
        let shown = self.shown_account(&panel, key);
        let op = self.journal_single_start(
            &panel,
            &shown,
            ItemOp::Edit {
                edit: edit.clone(),
                seen: Vec::new(),
            },
        )?;
        let before = match self.live_account(key, shown).await {
            Ok(before) => before,
            Err(err) => {
                self.finish_single(&op, Err(&err), &[]);
                return Err(err);
            }
        };
        let changed = seen
            .map(|seen| changed_since(seen, &before))
            .unwrap_or_default();
        if !changed.is_empty() {
            let err = CoreError::ChangedOnPanel(changed);
            self.finish_single(&op, Err(&err), &[]);
            return Err(err);
        }
        let result = actions::edit(&client, &key.native_id, edit).await;
        let changes = match &result {
            Ok(outcome) => {
                if outcome.native_id != key.native_id {
                    self.remove_account_from_snapshot(key)?;
                }
                let new_key = AccountKey::new(key.panel_id.clone(), outcome.native_id.clone());
                self.changes_since(&before, &new_key).await
            }
            Err(_) => Vec::new(),
        };
        let journaled = result
            .as_ref()
            .map(|o| o.message.clone().map(ItemOutcome::from));
        self.finish_single(&op, journaled, &changes);
        result.map(|outcome| ActionOutcome {
            journal: Some(op),
            ..outcome
        })
    }

    pub async fn account_create(
        &self,
        panel_id: &PanelId,
        new: &NewAccount,
    ) -> Result<Vec<ActionOutcome>> {
        let panel = self.panel(panel_id)?;
        let client = self.client(&panel)?;
        let name = new.name().trim().to_owned();
        let draft = Account::blank(
            AccountKey::new(panel_id.clone(), name.clone()),
            panel.kind,
            name.clone(),
        );
        let op = self.journal_single_start(
            &panel,
            &draft,
            ItemOp::Create {
                new: new.clone(),
                kept: Default::default(),
            },
        )?;
        let result = actions::create(&client, new).await;
        if let Ok(outcomes) = &result {
            for outcome in outcomes {
                self.refresh_after_change(&AccountKey::new(
                    panel_id.clone(),
                    outcome.native_id.clone(),
                ))
                .await;
            }
        }
        let created = vec![FieldChange::new(
            Field::Account,
            None,
            Some(FieldValue::text(name)),
        )];
        let journaled = result.as_ref().map(|outs| {
            outs.first()
                .and_then(|o| o.message.clone())
                .map(ItemOutcome::from)
        });
        self.finish_single(&op, journaled, &created);
        result
    }

    pub async fn account_ips(&self, key: &AccountKey) -> Result<ClientIpList> {
        let client = self.client(&self.panel(&key.panel_id)?)?;
        actions::client_ips(&client, &key.native_id).await
    }

    pub async fn create_options(&self, panel_id: &PanelId) -> Result<CreateOptions> {
        let client = self.client(&self.panel(panel_id)?)?;
        actions::create_options(&client).await
    }

    /// The account as the admin saw it (the snapshot), or a bare one with its id when the
    /// snapshot does not have it (never synced).
    fn shown_account(&self, panel: &PanelView, key: &AccountKey) -> Account {
        self.account_detail(key)
            .map(|d| d.account)
            .unwrap_or_else(|_| Account::blank(key.clone(), panel.kind, key.native_id.clone()))
    }

    /// The account as its panel holds it right before the change (live state first, issue
    /// 20): the journal's "before" is what the change started from, and the snapshot row is
    /// brought up to date on the way. An account the panel no longer has is an error; a read
    /// that fails otherwise falls back to `shown` (the write then reports the failure).
    async fn live_account(&self, key: &AccountKey, shown: Account) -> Result<Account> {
        match self.refresh_account(key).await {
            Ok(detail) => Ok(detail.account),
            Err(err @ CoreError::NotFound(_)) => Err(err),
            Err(err) => {
                tracing::warn!(account = %key, %err, "could not read the account before a change");
                Ok(shown)
            }
        }
    }

    /// The change already happened (or failed) on the panel: a journal that cannot be written
    /// must not turn it into an error, so that is logged.
    fn finish_single(
        &self,
        op: &OpId,
        outcome: std::result::Result<Option<ItemOutcome>, &CoreError>,
        changes: &[FieldChange],
    ) {
        if let Err(err) = self.journal_single_end(op, outcome, changes) {
            tracing::warn!(%op, %err, "could not journal a single-account change");
        }
    }

    /// Before → after of a change that went through, as the panel holds the account now
    /// (nothing when it cannot be read back: better no values than wrong ones).
    async fn changes_since(&self, before: &Account, key: &AccountKey) -> Vec<FieldChange> {
        match self.refresh_after_change(key).await {
            Some(after) => account_changes(before, Some(&after)),
            None => Vec::new(),
        }
    }

    /// The change already happened on the panel; a failed re-read only leaves the row stale
    /// until the next sync, so it is logged rather than reported as the action's failure.
    async fn refresh_after_change(&self, key: &AccountKey) -> Option<Account> {
        match self.refresh_account(key).await {
            Ok(detail) => Some(detail.account),
            Err(err) => {
                tracing::warn!(account = %key, %err, "could not refresh the account after a change");
                None
            }
        }
    }
}
