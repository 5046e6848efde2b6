//! Single-account changes from the detail pane go into the same journal as bulk operations,
//! as an operation of one item: the Operations page and `paneldeck bulk history` show who
//! changed whom, when, and the values before → after. The item is journaled `running` before
//! the request (so a crash leaves "outcome unknown", as for bulk items) and finished after it.

use std::collections::HashMap;

use super::{
    exec::failed,
    journal,
    live::{value_of, COMPARED},
    plan::actor,
    Field, FieldChange, FieldValue, ItemOp, ItemOutcome, OpTitle, OpWhat, ValueWord,
};
use crate::{
    accounts::{model::now_ms, Account},
    bulk::types::*,
    error::{CoreError, Result},
    registry::PanelView,
    Paneldeck,
};

/// The values an admin reads in the detail pane that an action can change, as before → after.
/// `after` = `None`: the account is gone (deleted).
pub(crate) fn account_changes(before: &Account, after: Option<&Account>) -> Vec<FieldChange> {
    let Some(after) = after else {
        return vec![FieldChange::new(
            Field::Account,
            Some(FieldValue::text(before.name.clone())),
            None,
        )];
    };
    let mut changes: Vec<FieldChange> = COMPARED
        .iter()
        .filter_map(|&field| {
            let (was, now) = (value_of(before, field)?, value_of(after, field)?);
            (was != now).then(|| FieldChange::new(field, was, now))
        })
        .collect();
    // Secrets are never journaled: only that they changed.
    if before.sub_id != after.sub_id || before.subscription_url != after.subscription_url {
        let word = |word| Some(FieldValue::Word { word });
        changes.push(FieldChange::new(
            Field::Subscription,
            word(ValueWord::Current),
            word(ValueWord::New),
        ));
    }
    changes
}

/// The operation's tag (`resetTraffic`), as titles and the UI's words name it.
fn op_tag(op: &ItemOp) -> String {
    serde_json::to_value(op)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

impl Paneldeck {
    /// Journals a detail-pane change before it is sent: an operation of one item, running.
    pub(crate) fn journal_single_start(
        &self,
        panel: &PanelView,
        account: &Account,
        op: ItemOp,
    ) -> Result<OpId> {
        let now = now_ms();
        let id = OpId::new();
        let plan = BulkPlan {
            id: id.clone(),
            title: OpTitle {
                what: OpWhat::Account {
                    op: op_tag(&op),
                    name: account.name.clone(),
                },
                accounts: 1,
                panels: 1,
            },
            created_at_ms: now,
            panels: vec![PanelPlan {
                panel_id: panel.id.clone(),
                panel_name: panel.name.clone(),
                kind: panel.kind,
                items: vec![PlanItem {
                    seq: 0,
                    key: account.key.clone(),
                    name: account.name.clone(),
                    op,
                    changes: Vec::new(),
                    skip: None,
                }],
                to_change: 1,
                skipped: 0,
            }],
            to_change: 1,
            skipped: 0,
        };
        self.store().with(|c| {
            journal::insert_plan(c, &plan, &actor(), "{}", &HashMap::new())?;
            journal::set_state(c, &id, OpState::Running, Some(now), None)?;
            journal::mark_running(c, &id, &[0], now)
        })?;
        Ok(id)
    }

    /// Finishes a journaled detail-pane change with what it did (or why it failed) and the
    /// values before → after as the panel holds them now.
    pub(crate) fn journal_single_end(
        &self,
        op: &OpId,
        result: std::result::Result<Option<ItemOutcome>, &CoreError>,
        changes: &[FieldChange],
    ) -> Result<()> {
        let update = match result {
            Ok(message) => journal::ItemUpdate {
                seq: 0,
                state: ItemState::Done,
                attempts: 1,
                error: None,
                message,
                result_id: None,
            },
            Err(err) => failed(0, 1, err),
        };
        let now = now_ms();
        self.store().with(|c| {
            journal::finish_items(c, op, &[update], now)?;
            journal::set_changes(c, op, 0, changes)?;
            journal::set_state(c, op, OpState::Finished, None, Some(now))
        })
    }
}
