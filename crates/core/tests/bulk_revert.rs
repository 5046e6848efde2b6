//! Reverting a finished operation (issue 24): the before-values its journal holds are put
//! back on the panel by a new, journaled operation; what nothing journaled can restore (a
//! traffic reset) is listed as skipped, not pretended.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
use paneldeck_core::{
    accounts::{Account, AccountStatus, Selection},
    actions::{AccountAction, AccountEdit, ExpireInput, MarzbanStatusInput, ResetStrategy},
    bulk::{BulkAction, BulkRequest, CancelToken, ItemOp, OpId, OpWhat, SkipReason},
    Paneldeck,
};
use paneldeck_panels::PanelKind;

fn active_with_expiry(core: &Paneldeck, kind: PanelKind, n: usize) -> Vec<Account> {
    let now = paneldeck_core::accounts::now_ms();
    all_accounts(core)
        .into_iter()
        .filter(|a| {
            a.kind == kind
                && a.expires_at_ms.is_some()
                && a.limit_bytes.is_some()
                && a.status_at(now) == AccountStatus::Active
        })
        .take(n)
        .collect()
}

async fn change(core: &Paneldeck, accounts: &[Account], action: BulkAction) -> OpId {
    let plan = core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Keys {
                keys: accounts.iter().map(|a| a.key.clone()).collect(),
            },
            action,
        })
        .unwrap();
    let report = core
        .bulk_execute_with(&plan.id, quiet(), |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    plan.id
}

async fn revert(core: &Paneldeck, op: &OpId) -> paneldeck_core::bulk::BulkPlan {
    let plan = core.bulk_revert_plan(op).unwrap();
    assert!(matches!(&plan.title.what, OpWhat::Revert { of, .. } if of == op));
    let report = core
        .bulk_execute_with(&plan.id, quiet(), |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    plan
}

fn now_of(core: &Paneldeck, a: &Account) -> Account {
    core.account_detail(&a.key).unwrap().account
}

/// The account as its panel holds it now (read from the panel, failing loudly).
async fn on_panel(core: &Paneldeck, a: &Account) -> Account {
    core.refresh_account(&a.key).await.unwrap().account
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reverted_operation_restores_the_before_values_on_the_panel() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    for kind in [PanelKind::Xui, PanelKind::Marzban] {
        let accounts = active_with_expiry(&w.core, kind, 3);
        assert_eq!(accounts.len(), 3, "{kind:?}");
        let extended = change(&w.core, &accounts, BulkAction::ExtendExpiry { days: 10 }).await;
        let disabled = change(&w.core, &accounts, BulkAction::Disable).await;
        for a in &accounts {
            let now = now_of(&w.core, a);
            assert!(!now.enabled);
            assert_ne!(now.expires_at_ms, a.expires_at_ms);
        }
        let plan = revert(&w.core, &disabled).await;
        assert_eq!(plan.to_change, 3);
        revert(&w.core, &extended).await;
        // On the panel, not only in the snapshot.
        for a in &accounts {
            let now = on_panel(&w.core, a).await;
            assert!(now.enabled, "{kind:?} {}: enabled again", a.name);
            assert_eq!(now.expires_at_ms, a.expires_at_ms, "{kind:?} {}", a.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detail_pane_edit_reverts_and_a_reset_is_left_as_irreversible() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let a = active_with_expiry(&w.core, PanelKind::Marzban, 1).remove(0);
    // A detail-pane disable: journaled, and the outcome names its operation.
    let outcome = w
        .core
        .account_action(&a.key, &AccountAction::Disable)
        .await
        .unwrap();
    let op = outcome.journal.expect("the change's operation");
    let plan = revert(&w.core, &op).await;
    assert!(matches!(plan.panels[0].items[0].op, ItemOp::Enable));
    assert!(now_of(&w.core, &a).enabled, "undone");

    // A detail-pane edit of limit, expiry and note: reverted through the kind's edit.
    let edit = AccountEdit::Marzban {
        data_limit_bytes: Some(7 << 30),
        expire: ExpireInput::At {
            ms: a.expires_at_ms.unwrap() + 86_400_000,
        },
        data_limit_reset_strategy: ResetStrategy::NoReset,
        status: MarzbanStatusInput::Active,
        note: "edited".into(),
        on_hold_expire_duration_secs: None,
        proxies: None,
        inbounds: None,
    };
    let op = w
        .core
        .account_edit(&a.key, &edit, None)
        .await
        .unwrap()
        .journal
        .unwrap();
    assert_eq!(now_of(&w.core, &a).limit_bytes, Some(7 << 30));
    revert(&w.core, &op).await;
    let back = on_panel(&w.core, &a).await;
    assert_eq!(
        (back.limit_bytes, back.expires_at_ms, back.note.clone()),
        (a.limit_bytes, a.expires_at_ms, a.note.clone())
    );

    let reset = w
        .core
        .account_action(&a.key, &AccountAction::ResetTraffic)
        .await
        .unwrap()
        .journal
        .unwrap();
    let plan = w.core.bulk_revert_plan(&reset).unwrap();
    assert_eq!((plan.to_change, plan.skipped), (0, 1));
    let skip = plan.panels[0].items[0].skip.as_ref().unwrap();
    assert_eq!(skip.reason, SkipReason::Irreversible);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_traffic_reset_on_3x_ui_is_reverted_with_its_counters() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let a = all_accounts(&w.core)
        .into_iter()
        .find(|a| {
            a.kind == PanelKind::Xui && a.up_bytes.unwrap_or(0) > 0 && a.down_bytes.unwrap_or(0) > 0
        })
        .expect("a 3x-ui client with traffic");
    let op = w
        .core
        .account_action(&a.key, &AccountAction::ResetTraffic)
        .await
        .unwrap()
        .journal
        .unwrap();
    assert_eq!(now_of(&w.core, &a).used_bytes, 0);
    let plan = revert(&w.core, &op).await;
    assert!(matches!(
        plan.panels[0].items[0].op,
        ItemOp::SetTraffic { up_bytes, down_bytes } if Some(up_bytes) == a.up_bytes && Some(down_bytes) == a.down_bytes
    ));
    let back = on_panel(&w.core, &a).await;
    assert_eq!((back.up_bytes, back.down_bytes), (a.up_bytes, a.down_bytes));
}
