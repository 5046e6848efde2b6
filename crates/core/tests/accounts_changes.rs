//! Every write to the snapshot is announced, so the window refreshes every view of the
//! account at once (issue #24): a single-account action names its account; a sync names
//! its panel; a delete names the account it removed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::time::Duration;

use accounts_support::{all_accounts, world};
use paneldeck_core::{
    accounts::{ChangeListener, SnapshotChange},
    actions::AccountAction,
};
use paneldeck_panels::PanelKind;

async fn next(changes: &mut ChangeListener) -> SnapshotChange {
    tokio::time::timeout(Duration::from_secs(10), changes.next())
        .await
        .expect("a change was announced")
        .expect("the feed is open")
}

#[tokio::test]
async fn writes_announce_what_they_changed() {
    let w = world(5).await;
    let mut changes = w.core.snapshot_changes();
    w.core.sync_all(|_| {}).await;
    let mut synced: Vec<String> = Vec::new();
    for _ in &w.panels {
        match next(&mut changes).await {
            SnapshotChange::Panel { panel_id } => synced.push(panel_id.0),
            other => panic!("a sync announces its panel, got {other:?}"),
        }
    }
    synced.sort();
    let mut panels: Vec<String> = w.panels.iter().map(|p| p.id.0.clone()).collect();
    panels.sort();
    assert_eq!(synced, panels);

    let proxy = all_accounts(&w.core)
        .into_iter()
        .find(|a| a.kind == PanelKind::Userpass)
        .unwrap();
    w.core
        .account_action(&proxy.key, &AccountAction::RegeneratePassword)
        .await
        .unwrap();
    assert_eq!(
        next(&mut changes).await,
        SnapshotChange::Accounts {
            keys: vec![proxy.key.clone()]
        }
    );

    w.core
        .account_action(
            &proxy.key,
            &AccountAction::Delete {
                keep_traffic: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        next(&mut changes).await,
        SnapshotChange::Accounts {
            keys: vec![proxy.key.clone()]
        }
    );
}
