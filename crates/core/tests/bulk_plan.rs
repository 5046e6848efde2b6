//! Plan and execute across the four kinds against the simulators: what the plan shows (before
//! → after, skips with reasons, per panel), that execution reaches exactly that state, that
//! 3x-ui goes through its bulk routes, and bulk create from a name pattern.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
use paneldeck_core::{
    accounts::{model::DAY_MS, AccountQuery, AccountStatus, Selection},
    bulk::{
        BulkAction, BulkRequest, CancelToken, ExportFormat, Field, FieldValue, ItemState,
        NameSource, OpState, SkipReason, ValueWord,
    },
};
use paneldeck_panels::PanelKind;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extend_expiry_plans_skips_and_lands_exactly_as_planned() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let before = all_accounts(&w.core);

    let plan = w
        .core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Query {
                query: AccountQuery::default(),
            },
            action: BulkAction::ExtendExpiry { days: 30 },
        })
        .unwrap();
    assert_eq!(plan.panels.len(), 4, "grouped per panel");
    for p in &plan.panels {
        for item in &p.items {
            let acc = before.iter().find(|a| a.key == item.key).unwrap();
            match p.kind {
                PanelKind::Userpass | PanelKind::Pterodactyl => assert_eq!(
                    item.skip.as_ref().map(|s| s.reason),
                    Some(SkipReason::Unsupported),
                    "{}",
                    item.name
                ),
                _ if acc.expires_at_ms.is_none() => assert_eq!(
                    item.skip.as_ref().map(|s| s.reason),
                    Some(SkipReason::UnlimitedExpiry)
                ),
                _ => {
                    assert!(item.skip.is_none());
                    assert_eq!(item.changes[0].field, Field::Expiry);
                    assert!(item.changes[0].before.is_some() && item.changes[0].after.is_some());
                }
            }
        }
    }
    assert!(plan.to_change > 0 && plan.skipped > 0);
    // The plan is stored and comes back the same.
    assert_eq!(
        w.core.bulk_plan_get(&plan.id).unwrap().to_change,
        plan.to_change
    );

    let progress = Progress::default();
    let report = w
        .core
        .bulk_execute(&plan.id, progress.sink(), CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.state, OpState::Finished);
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    assert_eq!(report.counts.done, plan.to_change);
    assert_eq!(report.counts.left, 0);
    assert!(!progress.all().is_empty());
    let last = progress.all().into_iter().last().unwrap();
    assert_eq!(last.counts.left, 0);

    // 3x-ui went through bulkAdjust, not one update per client.
    let xui = &w.sims[0];
    assert!(xui.stats.route_count("POST /panel/api/clients/bulkAdjust") >= 1);
    assert_eq!(xui.stats.route_count("POST /panel/api/clients/update"), 0);

    // The re-synced snapshot shows each planned expiry (Marzban keeps whole seconds).
    let after = all_accounts(&w.core);
    for p in &plan.panels {
        for item in p.items.iter().filter(|i| i.skip.is_none()) {
            let old = before.iter().find(|a| a.key == item.key).unwrap();
            let new = after.iter().find(|a| a.key == item.key).unwrap();
            let want = old.expires_at_ms.unwrap() + 30 * DAY_MS;
            let got = new.expires_at_ms.unwrap();
            assert!((got - want).abs() < 1000, "{}: {got} vs {want}", item.name);
        }
        for item in p.items.iter().filter(|i| i.skip.is_some()) {
            let old = before.iter().find(|a| a.key == item.key).unwrap();
            let new = after.iter().find(|a| a.key == item.key).unwrap();
            assert_eq!(old.expires_at_ms, new.expires_at_ms, "skipped stays");
        }
    }

    // History and export.
    let history = w.core.bulk_history().unwrap();
    assert_eq!(history[0].op_id, plan.id);
    assert_eq!(history[0].counts.done, plan.to_change);
    assert!(!history[0].interrupted);
    let csv = w
        .core
        .bulk_export_history(&plan.id, ExportFormat::Csv)
        .unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + (plan.to_change + plan.skipped) as usize
    );
    let json: serde_json::Value = serde_json::from_str(
        &w.core
            .bulk_export_history(&plan.id, ExportFormat::Json)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        json["items"].as_array().unwrap().len(),
        csv.lines().count() - 1
    );
    // A plan runs once.
    assert!(w
        .core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_then_enable_across_kinds() {
    let w = world(12).await;
    w.core.sync_all(|_| {}).await;
    let keys = w.core.query_keys(&AccountQuery::default()).unwrap();
    for (action, want) in [(BulkAction::Disable, false), (BulkAction::Enable, true)] {
        // Accounts already in the wanted state are skipped as "no change", not sent again.
        let already: usize = all_accounts(&w.core)
            .iter()
            .filter(|a| a.kind != PanelKind::Pterodactyl && a.enabled == want)
            .count();
        let plan = w
            .core
            .bulk_plan(&BulkRequest::Change {
                selection: Selection::Keys { keys: keys.clone() },
                action,
            })
            .unwrap();
        let no_change = plan
            .panels
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| i.skip.as_ref().map(|s| s.reason) == Some(SkipReason::NoChange))
            .count();
        assert_eq!(no_change, already, "enabled = {want}");
        let report = w
            .core
            .bulk_execute(&plan.id, |_| {}, CancelToken::new())
            .await
            .unwrap();
        assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
        for acc in all_accounts(&w.core) {
            if acc.kind == PanelKind::Pterodactyl {
                continue;
            }
            assert_eq!(acc.enabled, want, "{} {:?}", acc.name, acc.kind);
        }
        let ptero = plan
            .panels
            .iter()
            .find(|p| p.kind == PanelKind::Pterodactyl)
            .unwrap();
        assert!(ptero
            .items
            .iter()
            .all(|i| i.skip.as_ref().map(|s| s.reason) == Some(SkipReason::Unsupported)));
    }
    assert!(
        w.sims[0]
            .stats
            .route_count("POST /panel/api/clients/bulkDisable")
            >= 1
    );
    assert!(
        w.sims[0]
            .stats
            .route_count("POST /panel/api/clients/bulkEnable")
            >= 1
    );
}

/// The preview states what Marzban does beyond the change (NOTES.md, "Both versions"):
/// resetting a disabled user's traffic enables it (the run disables it again, and it ends
/// disabled), and revoking replaces every link and QR code. Other kinds get no such line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marzban_side_effects_are_in_the_preview_and_reset_keeps_disabled_users_disabled() {
    let w = world(40).await;
    w.core.sync_all(|_| {}).await;
    let accounts = all_accounts(&w.core);
    let disabled: Vec<_> = accounts
        .iter()
        .filter(|a| a.kind == PanelKind::Marzban && !a.enabled)
        .map(|a| a.key.clone())
        .collect();
    assert!(!disabled.is_empty(), "the seed has disabled Marzban users");
    let keys = w.core.query_keys(&AccountQuery::default()).unwrap();
    let plan_of = |action| BulkRequest::Change {
        selection: Selection::Keys { keys: keys.clone() },
        action,
    };
    let word = |word| Some(FieldValue::Word { word });

    let reset = w
        .core
        .bulk_plan(&plan_of(BulkAction::ResetTraffic))
        .unwrap();
    for p in &reset.panels {
        for item in p.items.iter().filter(|i| i.skip.is_none()) {
            let state = item.changes.iter().find(|c| c.field == Field::Enabled);
            if p.kind == PanelKind::Marzban && disabled.contains(&item.key) {
                let state = state.expect("a state line");
                assert_eq!(state.after, word(ValueWord::DisabledAgain));
                assert!(state.to_string().contains("the run disables it again"));
            } else {
                assert_eq!(state, None, "{:?}: {}", p.kind, item.name);
            }
        }
    }
    let revoke = w
        .core
        .bulk_plan(&plan_of(BulkAction::RevokeSubscription))
        .unwrap();
    for p in &revoke.panels {
        for item in p.items.iter().filter(|i| i.skip.is_none()) {
            let links = item.changes.iter().find(|c| c.field == Field::Links);
            assert_eq!(
                links.is_some(),
                p.kind == PanelKind::Marzban,
                "{:?}",
                p.kind
            );
            if let Some(links) = links {
                assert_eq!(links.after, word(ValueWord::AllReplaced));
            }
        }
    }

    let report = w
        .core
        .bulk_execute(&reset.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    let after = all_accounts(&w.core);
    for key in &disabled {
        let a = after.iter().find(|a| &a.key == key).unwrap();
        assert!(!a.enabled, "{} was enabled by the reset", a.name);
        assert_eq!(a.used_bytes, 0, "{}", a.name);
    }
}

/// Names Marzban's own rule refuses (`tm-001`: only two word characters before the `-`) are
/// skipped in the plan, quoting the rule, before anything is sent (NOTES.md; app/models/user.py
/// at v0.4.9 and v0.8.4).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pattern_marzban_refuses_is_skipped_with_its_rule() {
    let w = world(0).await;
    let marzban = &w.panels[1];
    let request = |pattern: &str| BulkRequest::Create {
        panel_ids: vec![marzban.id.clone()],
        names: NameSource::Pattern {
            pattern: pattern.into(),
        },
        templates: vec![marzban_form(None)],
    };
    let plan = w.core.bulk_plan(&request("tm-{001..003}")).unwrap();
    assert_eq!(plan.to_change, 0);
    let skips: Vec<_> = plan.panels.iter().flat_map(|p| &p.items).collect();
    assert_eq!(skips.len(), 3);
    for item in skips {
        let skip = item.skip.as_ref().expect("skipped");
        assert_eq!(skip.reason, SkipReason::InvalidInput);
        assert!(skip.message.contains("'tm-00"), "{}", skip.message);
        assert!(skip.message.contains(r"(?=\w{3,32}\b)"), "{}", skip.message);
    }
    let fine = w.core.bulk_plan(&request("tm_{001..003}")).unwrap();
    assert_eq!(fine.to_change, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_from_a_pattern_on_two_panels_skips_existing_names() {
    let w = world(5).await;
    w.core.sync_all(|_| {}).await;
    let (xui, marzban) = (&w.panels[0], &w.panels[1]);
    let inbound = w
        .core
        .create_options(&xui.id)
        .await
        .map(|o| match o {
            paneldeck_core::actions::CreateOptions::Xui { inbounds } => inbounds[0].id,
            _ => 1,
        })
        .unwrap();
    let request = BulkRequest::Create {
        panel_ids: vec![xui.id.clone(), marzban.id.clone()],
        names: NameSource::Pattern {
            pattern: "shop-{001..040}".into(),
        },
        templates: vec![xui_form(inbound), marzban_form(Some(1 << 30))],
    };
    let plan = w.core.bulk_plan(&request).unwrap();
    assert_eq!(plan.to_change, 80);
    let report = w
        .core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    assert_eq!(report.counts.done, 80);
    assert!(
        w.sims[0]
            .stats
            .route_count("POST /panel/api/clients/bulkCreate")
            >= 1
    );
    let names: Vec<String> = all_accounts(&w.core)
        .into_iter()
        .filter(|a| a.name.starts_with("shop-"))
        .map(|a| a.name)
        .collect();
    assert_eq!(names.len(), 80);
    assert!(names.contains(&"shop-001".to_string()) && names.contains(&"shop-040".to_string()));

    // Planned again: every name exists now, so everything is skipped.
    let again = w.core.bulk_plan(&request).unwrap();
    assert_eq!(again.to_change, 0);
    assert!(again
        .panels
        .iter()
        .flat_map(|p| &p.items)
        .all(|i| i.skip.as_ref().map(|s| s.reason) == Some(SkipReason::AlreadyExists)));
    assert!(items_in(&w.core, &again.id, ItemState::Pending).is_empty());
}

/// An extend that brings an expired account back says so in the preview (issue #24): a status
/// line expired → what it becomes, on exactly the expired accounts it revives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extend_that_revives_an_expired_account_says_so() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let now = paneldeck_core::accounts::now_ms();
    let before = all_accounts(&w.core);
    let plan = w
        .core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Query {
                query: AccountQuery::default(),
            },
            action: BulkAction::ExtendExpiry { days: 3650 },
        })
        .unwrap();
    let mut revived = 0;
    for item in plan.panels.iter().flat_map(|p| &p.items) {
        if item.skip.is_some() {
            continue;
        }
        let acc = before.iter().find(|a| a.key == item.key).unwrap();
        let status = item.changes.iter().find(|c| c.field == Field::Status);
        if acc.status_at(now) == AccountStatus::Expired {
            let line = status.unwrap_or_else(|| panic!("{}: no status line", item.name));
            assert_eq!(
                line.before,
                Some(FieldValue::Status {
                    status: AccountStatus::Expired
                })
            );
            assert_ne!(line.after, line.before);
            revived += 1;
        } else {
            assert!(status.is_none(), "{}: {status:?}", item.name);
        }
    }
    assert!(revived > 0, "the seeded panels have expired accounts");
}
