//! Detail-pane actions go into the same journal as bulk operations (issue #24): an operation
//! of one item, with who, what, when and the values before → after as the panel holds them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use accounts_support::{all_accounts, world};
use paneldeck_core::{
    accounts::AccountKey,
    actions::AccountAction,
    bulk::{Field, FieldValue, ItemOp, ItemState, OpState, OpWhat},
};
use paneldeck_panels::PanelKind;

#[tokio::test]
async fn a_reset_is_journaled_with_before_and_after() {
    let w = world(20).await;
    w.core.sync_all(|_| {}).await;
    let user = all_accounts(&w.core)
        .into_iter()
        .find(|a| a.kind == PanelKind::Marzban && a.used_bytes > 0)
        .expect("a Marzban user with traffic");
    w.core
        .account_action(&user.key, &AccountAction::ResetTraffic)
        .await
        .unwrap();

    let history = w.core.bulk_history().unwrap();
    let op = history
        .iter()
        .find(|s| {
            matches!(&s.title.what, OpWhat::Account { op, name }
                if op == "resetTraffic" && *name == user.name)
        })
        .expect("the reset is in the operations history");
    assert_eq!(op.state, OpState::Finished);
    assert_eq!((op.counts.total, op.counts.done), (1, 1));
    assert!(!op.actor.is_empty());
    assert!(op.finished_at_ms.is_some());

    let items = w.core.bulk_items(&op.op_id).unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.state, ItemState::Done);
    assert_eq!(item.op, ItemOp::ResetTraffic);
    let used = item
        .changes
        .iter()
        .find(|c| c.field == Field::Used)
        .expect("used traffic before → after");
    assert_eq!(used.before, Some(FieldValue::bytes(user.used_bytes)));
    assert_eq!(used.after, Some(FieldValue::bytes(0)));
}

#[tokio::test]
async fn a_failed_action_is_journaled_as_failed() {
    let w = world(3).await;
    w.core.sync_all(|_| {}).await;
    let panel = w
        .panels
        .iter()
        .find(|p| p.kind == PanelKind::Marzban)
        .unwrap();
    let ghost = AccountKey::new(panel.id.clone(), "nobody_here".to_owned());
    let err = w
        .core
        .account_action(&ghost, &AccountAction::Disable)
        .await
        .expect_err("no such user");
    let history = w.core.bulk_history().unwrap();
    let op = history
        .iter()
        .find(|s| matches!(&s.title.what, OpWhat::Account { name, .. } if name == "nobody_here"))
        .expect("the failed attempt is in the history");
    assert_eq!((op.counts.total, op.counts.failed), (1, 1));
    let items = w.core.bulk_items(&op.op_id).unwrap();
    assert_eq!(items[0].state, ItemState::Failed);
    let error = items[0].error.as_ref().expect("its error");
    assert_eq!(error.detail, err.to_string());
    assert!(items[0].changes.is_empty(), "nothing changed");
}
