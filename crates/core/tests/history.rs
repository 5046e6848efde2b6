//! Usage history against a simulated Marzban: a sync records each account's traffic since the
//! previous one; series per panel, owner and account, top movers and the report read it; old
//! points are merged into hours and days without losing a byte.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::time::Duration;

use accounts_support::{add, open, sim_options};
use paneldeck_core::{
    accounts::AccountKey,
    history::{
        write::{self, Sample, HOUR_MS},
        HistoryRange, HistoryScope, ReportBy,
    },
    registry::PanelId,
    store::Store,
};
use paneldeck_panels::PanelKind;
use paneldeck_sim::SimKind;

const MIB: u64 = 1 << 20;

#[tokio::test]
async fn two_syncs_record_the_traffic_between_them() {
    let (sim, handle) = paneldeck_sim::marzban::start_with_ttl(
        sim_options(7, 20, SimKind::Marzban),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    let (core, _dir) = open();
    let panel = add(&core, &sim, "eu1", "#112233").await;
    core.sync_all(|_| {}).await;
    let scope = HistoryScope::Panel {
        panel_id: panel.id.clone(),
    };
    // The first sync is the baseline: nothing measured yet.
    assert!(core
        .usage_series(&scope, HistoryRange::Day)
        .unwrap()
        .is_empty());

    let busy = core
        .query_accounts(&Default::default())
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.status == paneldeck_core::accounts::AccountStatus::Active)
        .unwrap();
    assert!(handle.add_traffic(&busy.name, (300 * MIB) as i64, None));
    core.sync_all(|_| {}).await;

    let points = core.usage_series(&scope, HistoryRange::Day).unwrap();
    assert_eq!(points.iter().map(|p| p.bytes).sum::<u64>(), 300 * MIB);
    let key = AccountKey::new(panel.id.clone(), busy.key.native_id.clone());
    let own = core
        .usage_series(
            &HistoryScope::Account { key: key.clone() },
            HistoryRange::Week,
        )
        .unwrap();
    assert_eq!(own.iter().map(|p| p.bytes).sum::<u64>(), 300 * MIB);
    // Marzban's users belong to the admin that created them (the sim's sudo admin).
    let owner = HistoryScope::Owner {
        owner: "admin".into(),
    };
    let owned = core.usage_series(&owner, HistoryRange::Month).unwrap();
    assert_eq!(owned.iter().map(|p| p.bytes).sum::<u64>(), 300 * MIB);

    let overview = core.usage_overview(HistoryRange::Day).unwrap();
    assert_eq!(overview.top_movers[0].key, key);
    assert_eq!(overview.top_movers[0].bytes, 300 * MIB);
    assert_eq!(overview.panels.len(), 1);

    let report = core.usage_report(ReportBy::Owner, 7).unwrap();
    let admin = report
        .iter()
        .find(|r| r.label.as_deref() == Some("admin"))
        .unwrap();
    assert_eq!(admin.used_bytes, 300 * MIB);
    assert_eq!(admin.accounts, 20);
    let by_panel = core.usage_report(ReportBy::Panel, 7).unwrap();
    assert_eq!(by_panel.len(), 1);
    assert_eq!(by_panel[0].label.as_deref(), Some("eu1"));
    assert!(by_panel[0].points.iter().any(|p| p.bytes == 300 * MIB));

    // Retention 0 turns recording off.
    core.set_history_retention_days(0).unwrap();
    assert!(handle.add_traffic(&busy.name, (5 * MIB) as i64, None));
    core.sync_all(|_| {}).await;
    let after = core.usage_series(&scope, HistoryRange::Day).unwrap();
    assert_eq!(after.iter().map(|p| p.bytes).sum::<u64>(), 300 * MIB);
}

fn panel_row(store: &Store) -> PanelId {
    store
        .with(|c| {
            c.execute_batch(
                "INSERT INTO panels (id, name, kind, base_url, color, created_at, updated_at)
                 VALUES ('p1', 'eu1', 'marzban', 'https://eu1', '#000000', 0, 0);
                 INSERT INTO panel_sync (panel_id, last_sync_ms) VALUES ('p1', 0);",
            )?;
            Ok(())
        })
        .unwrap();
    PanelId("p1".into())
}

/// Three days of syncs every 15 minutes: the last two days stay as sync points, the day
/// before becomes hours, and the total is the same.
#[test]
fn old_points_merge_into_hours_and_days_and_keep_every_byte() {
    let store = Store::open_in_memory().unwrap();
    let panel = panel_row(&store);
    let names: Vec<String> = (0..50).map(|i| format!("u{i}")).collect();
    let mut used = vec![0u64; names.len()];
    let start = 1_800_000_000_000i64 - 1_800_000_000_000i64 % HOUR_MS;
    let step = HOUR_MS / 4;
    let mut expected = 0u64;
    for tick in 1..=(3 * 96) {
        let previous: std::collections::HashMap<String, u64> =
            names.iter().cloned().zip(used.iter().copied()).collect();
        for (i, u) in used.iter_mut().enumerate() {
            if (tick + i) % 3 == 0 {
                *u += (i as u64 + 1) * MIB;
                expected += (i as u64 + 1) * MIB;
            }
        }
        let samples = names.iter().zip(&used).map(|(n, &u)| Sample {
            native_id: n,
            used_bytes: u,
            group: None,
            raw_json: "{}",
        });
        store
            .with(|c| {
                write::record(
                    c,
                    &panel,
                    PanelKind::Marzban,
                    Some(&previous),
                    samples,
                    start + tick as i64 * step,
                )
            })
            .unwrap();
    }
    let (spans, total): (Vec<(i64, i64)>, i64) = store
        .with(|c| {
            let mut stmt =
                c.prepare("SELECT span_ms, COUNT(*) FROM usage_points GROUP BY span_ms")?;
            let spans = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let total = c.query_row("SELECT SUM(total_bytes) FROM usage_points", [], |r| {
                r.get(0)
            })?;
            Ok((spans, total))
        })
        .unwrap();
    assert_eq!(total as u64, expected);
    assert_eq!(spans, vec![(0, 192), (HOUR_MS, 24)]);
}
