//! The per-kind bulk actions against the simulators, read back from the re-synced snapshot:
//! Pterodactyl add a person to many servers / grant / remove from all servers, 3x-ui attach
//! inbounds and group (bulk routes), add traffic on 3x-ui and Marzban, user-pass caps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, Selection},
    actions::CreateOptions,
    bulk::{BulkAction, BulkRequest, CancelToken, LimitChange, SkipReason},
    Paneldeck,
};
use paneldeck_panels::PanelKind;

async fn run(core: &Paneldeck, request: BulkRequest) -> paneldeck_core::bulk::BulkPlan {
    let plan = core.bulk_plan(&request).unwrap();
    let report = core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    assert_eq!(report.counts.done, plan.to_change);
    plan
}

fn of_kind(core: &Paneldeck, kind: PanelKind) -> Vec<paneldeck_core::accounts::Account> {
    all_accounts(core)
        .into_iter()
        .filter(|a| a.kind == kind)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pterodactyl_person_on_many_servers_then_removed_everywhere() {
    let w = world(8).await;
    w.core.sync_all(|_| {}).await;
    let ptero = &w.panels[3];
    let CreateOptions::Pterodactyl { servers, .. } =
        w.core.create_options(&ptero.id).await.unwrap()
    else {
        panic!("pterodactyl options")
    };
    let servers: Vec<String> = servers.into_iter().map(|s| s.identifier).collect();
    assert!(servers.len() >= 2);
    let email = "bulk.person@example.com";
    let plan = run(
        &w.core,
        BulkRequest::AddPerson {
            panel_id: ptero.id.clone(),
            email: email.into(),
            server_ids: servers.clone(),
            permissions: vec!["control.console".into()],
        },
    )
    .await;
    assert_eq!(plan.to_change as usize, servers.len());
    let mine = |core: &Paneldeck| -> Vec<paneldeck_core::accounts::Account> {
        of_kind(core, PanelKind::Pterodactyl)
            .into_iter()
            .filter(|a| a.email.as_deref() == Some(email))
            .collect()
    };
    assert_eq!(mine(&w.core).len(), servers.len());

    // Grant one more permission to those subusers.
    let keys: Vec<AccountKey> = mine(&w.core).into_iter().map(|a| a.key).collect();
    run(
        &w.core,
        BulkRequest::Change {
            selection: Selection::Keys { keys },
            action: BulkAction::GrantPermissions {
                permissions: vec!["control.start".into()],
            },
        },
    )
    .await;
    for a in mine(&w.core) {
        assert!(
            a.permissions.contains(&"control.start".to_string()),
            "{:?}",
            a.permissions
        );
        assert!(a.permissions.contains(&"control.console".to_string()));
    }

    // Adding again: every server already has them.
    let again = w
        .core
        .bulk_plan(&BulkRequest::AddPerson {
            panel_id: ptero.id.clone(),
            email: email.into(),
            server_ids: servers.clone(),
            permissions: vec![],
        })
        .unwrap();
    assert_eq!(again.to_change, 0);

    run(
        &w.core,
        BulkRequest::RemovePerson {
            email: email.into(),
            panel_ids: vec![],
        },
    )
    .await;
    assert!(mine(&w.core).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xui_attach_group_and_traffic_use_bulk_routes() {
    let w = world(20).await;
    w.core.sync_all(|_| {}).await;
    let xui = &w.panels[0];
    let only_xui = || Selection::Query {
        query: AccountQuery {
            panel_ids: vec![xui.id.clone()],
            ..AccountQuery::default()
        },
    };
    let CreateOptions::Xui { inbounds } = w.core.create_options(&xui.id).await.unwrap() else {
        panic!("xui options")
    };
    let target = inbounds[0].id;
    let plan = run(
        &w.core,
        BulkRequest::Change {
            selection: only_xui(),
            action: BulkAction::AttachInbounds {
                inbound_ids: vec![target],
            },
        },
    )
    .await;
    assert!(plan.to_change > 0);
    assert!(plan.panels[0]
        .items
        .iter()
        .filter_map(|i| i.skip.as_ref())
        .all(|s| s.reason == SkipReason::NoChange));
    for a in of_kind(&w.core, PanelKind::Xui) {
        assert!(
            a.inbounds.contains(&target.to_string()),
            "{} {:?}",
            a.name,
            a.inbounds
        );
    }
    run(
        &w.core,
        BulkRequest::Change {
            selection: only_xui(),
            action: BulkAction::AddToGroup {
                group: "vip".into(),
            },
        },
    )
    .await;
    assert!(of_kind(&w.core, PanelKind::Xui)
        .iter()
        .all(|a| a.group.as_deref() == Some("vip")));
    let stats = &w.sims[0].stats;
    assert!(stats.route_count("POST /panel/api/clients/bulkAttach") >= 1);
    assert!(stats.route_count("POST /panel/api/clients/groups/bulkAdd") >= 1);
    assert_eq!(stats.route_count("POST /panel/api/clients/attach"), 0);

    // Add 1 GiB on 3x-ui (bulkAdjust) and Marzban (per user): limited accounts grow by
    // exactly that, unlimited ones are skipped and stay unlimited.
    let before = all_accounts(&w.core);
    let plan = run(
        &w.core,
        BulkRequest::Change {
            selection: Selection::Query {
                query: AccountQuery {
                    kinds: vec![PanelKind::Xui, PanelKind::Marzban],
                    ..AccountQuery::default()
                },
            },
            action: BulkAction::AddTraffic { bytes: 1 << 30 },
        },
    )
    .await;
    let after = all_accounts(&w.core);
    for p in &plan.panels {
        for item in &p.items {
            let old = before.iter().find(|a| a.key == item.key).unwrap();
            let new = after.iter().find(|a| a.key == item.key).unwrap();
            match old.limit_bytes {
                Some(l) => assert_eq!(new.limit_bytes, Some(l + (1 << 30)), "{}", item.name),
                None => {
                    assert_eq!(
                        item.skip.as_ref().map(|s| s.reason),
                        Some(SkipReason::UnlimitedTraffic)
                    );
                    assert_eq!(new.limit_bytes, None);
                }
            }
        }
    }
    assert!(stats.route_count("POST /panel/api/clients/bulkAdjust") >= 1);
}

/// Caps on every sub-user but the ones the provider blocked: those are skipped with their
/// reason (an update must send status 1 or 2, which would undo the block) and left as they
/// were; a delete and a disable still reach a blocked one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn userpass_caps_and_status() {
    let w = world(30).await;
    w.core.sync_all(|_| {}).await;
    let up = &w.panels[2];
    let sel = || Selection::Query {
        query: AccountQuery {
            panel_ids: vec![up.id.clone()],
            ..AccountQuery::default()
        },
    };
    let before = of_kind(&w.core, PanelKind::Userpass);
    let blocked: Vec<_> = before.iter().filter(|a| a.hints.restricted).collect();
    assert!(!blocked.is_empty(), "the seed has no blocked sub-user");
    let plan = run(
        &w.core,
        BulkRequest::Change {
            selection: sel(),
            action: BulkAction::SetCaps {
                usage_cap_bytes: LimitChange::To { value: 5 << 30 },
                ip_usage_cap: LimitChange::Keep,
            },
        },
    )
    .await;
    let skipped_blocked: Vec<_> = plan.panels[0]
        .items
        .iter()
        .filter(|i| i.skip.as_ref().map(|s| s.reason) == Some(SkipReason::BlockedByProvider))
        .map(|i| i.name.clone())
        .collect();
    assert_eq!(skipped_blocked.len(), blocked.len(), "{skipped_blocked:?}");
    for a in of_kind(&w.core, PanelKind::Userpass) {
        let old = before.iter().find(|b| b.key == a.key).unwrap();
        let want = if old.hints.restricted {
            old.limit_bytes
        } else {
            Some(5 << 30)
        };
        assert_eq!(a.limit_bytes, want, "{}", a.name);
        assert_eq!(a.ip_limit, old.ip_limit, "{}", a.name);
    }
    // A delete reaches a blocked one.
    let gone = blocked[0].key.clone();
    run(
        &w.core,
        BulkRequest::Change {
            selection: Selection::Keys {
                keys: vec![gone.clone()],
            },
            action: BulkAction::Delete {
                keep_traffic: false,
            },
        },
    )
    .await;
    assert!(of_kind(&w.core, PanelKind::Userpass)
        .iter()
        .all(|a| a.key != gone));

    // So does a disable: the update asks for status 2, which is what the admin asked.
    run(
        &w.core,
        BulkRequest::Change {
            selection: sel(),
            action: BulkAction::SetStatus {
                status: paneldeck_core::actions::ProxyStatusInput::Disabled,
            },
        },
    )
    .await;
    assert!(of_kind(&w.core, PanelKind::Userpass)
        .iter()
        .all(|a| !a.enabled && !a.hints.restricted));
}
