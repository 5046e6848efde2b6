//! Migrations onto and off PasarGuard, through the bulk engine against the simulators:
//! Marzban → PasarGuard keeps every user's UUIDs and password, limit, expiry, on-hold period,
//! disabled state, note and reset strategy, maps its inbounds to PasarGuard groups (the plan
//! says which), and the migrated users' links carry the same ids; PasarGuard ↔ 3x-ui keeps
//! UUIDs both ways.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use accounts_support::{add, open};
use paneldeck_core::{
    accounts::AccountKey,
    bulk::{self, CancelToken, Field, FieldValue},
    registry::PanelView,
    transfer::{ImportAction, ImportPlan, PlanOptions},
    Paneldeck,
};
use paneldeck_sim::{SimKind, SimOptions};

fn options(seed: u64, accounts: usize) -> SimOptions {
    SimOptions {
        seed,
        accounts,
        groups: 3,
        ..SimOptions::default()
    }
}

async fn migrate(
    core: &Paneldeck,
    from: &PanelView,
    to: &PanelView,
) -> (ImportPlan, bulk::BulkPlan) {
    let opts = PlanOptions {
        create_only: true,
        ..PlanOptions::default()
    };
    let plan = core
        .migration_plan(&from.id, &to.id, None, &opts)
        .await
        .unwrap();
    let bulk = core.import_apply("migrate", &plan).unwrap();
    let report = core
        .bulk_execute(&bulk.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:#?}", report.failures);
    core.sync_panel(&to.id, |_| {}).await.unwrap();
    (plan, bulk)
}

fn creates(plan: &ImportPlan) -> Vec<String> {
    plan.items
        .iter()
        .filter(|i| matches!(i.action, ImportAction::Create(_)))
        .map(|i| i.name.clone())
        .collect()
}

#[tokio::test]
async fn marzban_users_keep_their_ids_and_settings_on_pasarguard() {
    let (core, _dir) = open();
    let marzban_sim = paneldeck_sim::start_local(SimKind::Marzban, options(51, 40))
        .await
        .unwrap();
    let pg_sim = paneldeck_sim::start_local(SimKind::Pasarguard, options(62, 0))
        .await
        .unwrap();
    let marzban = add(&core, &marzban_sim, "Marzban", "#000001").await;
    let pg = add(&core, &pg_sim, "PasarGuard", "#000002").await;
    core.sync_all(|_| {}).await;

    let (plan, bulk) = migrate(&core, &marzban, &pg).await;
    let names = creates(&plan);
    assert_eq!(
        names.len(),
        40,
        "every Marzban username is a PasarGuard one"
    );
    // The plan shows which groups each user's inbounds became.
    let items = core.bulk_items(&bulk.id).unwrap();
    let mapped = items.iter().filter(|i| {
        i.changes.iter().any(|c| {
            c.field == Field::Group
                && matches!(&c.after, Some(FieldValue::List { items }) if items.iter().any(|g| g.contains(" ← ")))
        })
    });
    assert_eq!(mapped.count(), 40);

    let (mut uuids, mut linked, mut passwords, mut on_hold, mut disabled) = (0, 0, 0, 0, 0);
    for name in &names {
        let from = core
            .account_detail(&AccountKey::new(marzban.id.clone(), name.as_str()))
            .unwrap();
        let to = core
            .account_detail(&AccountKey::new(pg.id.clone(), name.as_str()))
            .unwrap();
        let (a, b) = (&from.account, &to.account);
        assert_eq!(b.limit_bytes, a.limit_bytes, "{name}");
        assert_eq!(b.expires_at_ms, a.expires_at_ms, "{name}");
        assert_eq!(
            b.expire_after_first_use_ms, a.expire_after_first_use_ms,
            "{name}"
        );
        assert_eq!(b.enabled, a.enabled, "{name}");
        assert_eq!(b.note, a.note, "{name}");
        assert_eq!(
            to.raw["data_limit_reset_strategy"],
            from.raw["data_limit_reset_strategy"]
        );
        assert!(
            !to.raw["group_ids"].as_array().unwrap().is_empty(),
            "{name} has no group"
        );
        on_hold += usize::from(b.hints.on_hold);
        disabled += usize::from(!b.enabled);
        if let Some(uuid) = from.raw["proxies"]["vless"]["id"].as_str() {
            assert_eq!(to.raw["proxy_settings"]["vless"]["id"], uuid, "{name}");
            uuids += 1;
            let links = core.account_links(&to.account.key).await.unwrap();
            if links.iter().any(|l| l.url.starts_with("vless://")) {
                assert!(
                    links
                        .iter()
                        .filter(|l| l.url.starts_with("vless://"))
                        .all(|l| l.url.contains(uuid)),
                    "{name}: {links:?}"
                );
                linked += 1;
            }
        }
        if let Some(p) = from.raw["proxies"]["trojan"]["password"].as_str() {
            assert_eq!(to.raw["proxy_settings"]["trojan"]["password"], p, "{name}");
            passwords += 1;
        }
    }
    assert!(
        uuids > 10 && linked > 10 && passwords > 5,
        "{uuids} {linked} {passwords}"
    );
    assert!(
        on_hold > 0 && disabled > 0,
        "{on_hold} on hold, {disabled} disabled"
    );
}

#[tokio::test]
async fn pasarguard_and_xui_trade_users_with_their_uuids() {
    let (core, _dir) = open();
    let pg_sim = paneldeck_sim::start_local(SimKind::Pasarguard, options(71, 20))
        .await
        .unwrap();
    let xui_sim = paneldeck_sim::start_local(SimKind::Xui, options(72, 0))
        .await
        .unwrap();
    let pg = add(&core, &pg_sim, "PG", "#000003").await;
    let xui = add(&core, &xui_sim, "XUI", "#000004").await;
    core.sync_all(|_| {}).await;

    let (plan, _) = migrate(&core, &pg, &xui).await;
    let names = creates(&plan);
    assert!(names.len() >= 15, "{} creates", names.len());
    for name in &names {
        let from = core
            .account_detail(&AccountKey::new(pg.id.clone(), name.as_str()))
            .unwrap();
        let to = core
            .account_detail(&AccountKey::new(xui.id.clone(), name.as_str()))
            .unwrap();
        assert_eq!(to.account.uuid, from.account.uuid, "{name}");
        assert_eq!(to.account.limit_bytes, from.account.limit_bytes, "{name}");
    }

    // And back onto a second, empty PasarGuard panel.
    let pg2_sim = paneldeck_sim::start_local(SimKind::Pasarguard, options(73, 0))
        .await
        .unwrap();
    let pg2 = add(&core, &pg2_sim, "PG2", "#000005").await;
    core.sync_panel(&pg2.id, |_| {}).await.unwrap();
    let (back, _) = migrate(&core, &xui, &pg2).await;
    assert_eq!(creates(&back).len(), names.len());
    for name in &names {
        let from = core
            .account_detail(&AccountKey::new(xui.id.clone(), name.as_str()))
            .unwrap();
        let to = core
            .account_detail(&AccountKey::new(pg2.id.clone(), name.as_str()))
            .unwrap();
        assert_eq!(to.account.uuid, from.account.uuid, "{name}");
        assert!(
            !to.raw["group_ids"].as_array().unwrap().is_empty(),
            "{name}"
        );
    }
}
