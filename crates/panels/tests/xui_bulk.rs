//! The bulk and group methods of `XuiClient` against the 3x-ui simulator: partial results
//! with per-email reasons, and the state change each call caused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{net::SocketAddr, sync::Arc, time::Duration};

use paneldeck_panels::{
    xui::{BulkAdjust, ClientPayload, ClientWithInbounds, InboundId, XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    xui::{self, XuiSimConfig, XuiSimHandle},
    RunningSim, SimKind, SimOptions, SimStats,
};

const DAY_MS: i64 = 86_400_000;
const GIB: i64 = 1 << 30;

async fn start(accounts: usize, groups: usize) -> (RunningSim, XuiSimHandle, XuiClient) {
    let opts = SimOptions {
        seed: 7,
        accounts,
        groups,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let (app, handle) = xui::app_with(&opts, stats.clone(), XuiSimConfig::default());
    let addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, addr)
        .await
        .expect("sim starts");
    let endpoint = Endpoint::parse(&sim.url())
        .expect("url")
        .with_timeout(Duration::from_secs(5));
    let http = HttpClient::new(PanelKind::Xui, endpoint).expect("http");
    let client = XuiClient::new(http, XuiAuth::Token(Secret::new(handle.token())));
    (sim, handle, client)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn emails(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn api_message(err: PanelError) -> String {
    match err {
        PanelError::Api { message, .. } => message,
        other => panic!("expected a success:false error, got {other:?}"),
    }
}

#[tokio::test]
async fn bulk_adjust_adds_days_and_bytes_and_reports_unlimited() {
    let (_sim, handle, client) = start(5, 2).await;
    let all = handle.clients();
    let (a, b, c) = (
        all[0].email.clone(),
        all[1].email.clone(),
        all[2].email.clone(),
    );
    let base = now_ms() + 10 * DAY_MS;
    handle.edit(&a, |x| {
        x.expiry_time_ms = base;
        x.total_bytes = 10 * GIB;
    });
    handle.edit(&b, |x| {
        x.expiry_time_ms = 0;
        x.total_bytes = 10 * GIB;
    });
    handle.edit(&c, |x| {
        x.expiry_time_ms = -5 * DAY_MS;
        x.total_bytes = 0;
    });
    let body = BulkAdjust {
        emails: vec![a.clone(), b.clone(), c.clone(), "ghost".into()],
        add_days: 30,
        add_bytes: 5 * GIB,
        flow: None,
    };
    let result = client.bulk_adjust(&body).await.expect("bulkAdjust");
    assert_eq!(result.adjusted, 3);
    let reasons: Vec<(String, String)> = result
        .skipped
        .iter()
        .map(|s| (s.email.clone(), s.reason.clone()))
        .collect();
    assert!(reasons.contains(&(b.clone(), "unlimited expiry".into())));
    assert!(reasons.contains(&(c.clone(), "unlimited traffic".into())));
    assert!(reasons.contains(&("ghost".into(), "client not found".into())));
    let (sa, sb, sc) = (
        handle.client(&a).expect("a"),
        handle.client(&b).expect("b"),
        handle.client(&c).expect("c"),
    );
    assert_eq!(
        (sa.expiry_time_ms, sa.total_bytes),
        (base + 30 * DAY_MS, 15 * GIB)
    );
    assert_eq!((sb.expiry_time_ms, sb.total_bytes), (0, 15 * GIB));
    assert_eq!((sc.expiry_time_ms, sc.total_bytes), (-35 * DAY_MS, 0));

    // An auto-disabled (depleted) client is re-enabled when lifted out of depletion.
    handle.edit(&a, |x| {
        x.expiry_time_ms = now_ms() - DAY_MS;
        x.up_bytes = 0;
        x.down_bytes = 0;
        x.enable = false;
        x.auto_disabled = true;
    });
    let lift = BulkAdjust {
        emails: vec![a.clone()],
        add_days: 3,
        add_bytes: 0,
        flow: None,
    };
    client.bulk_adjust(&lift).await.expect("lift");
    assert!(handle.client(&a).expect("a").enable);
}

#[tokio::test]
async fn bulk_enable_disable_del_create_and_reset() {
    let (_sim, handle, client) = start(6, 2).await;
    let all = handle.clients();
    let (a, b) = (all[0].email.clone(), all[1].email.clone());
    handle.edit(&a, |c| c.enable = true);
    handle.edit(&b, |c| c.enable = true);
    let off = client
        .bulk_disable(&[a.clone(), b.clone(), "ghost".into()])
        .await
        .expect("bulkDisable");
    assert_eq!(off.changed, 2);
    assert_eq!(off.skipped[0].reason, "client not found");
    assert!(!handle.client(&a).expect("a").enable && !handle.client(&b).expect("b").enable);
    let on = client
        .bulk_enable(std::slice::from_ref(&a))
        .await
        .expect("bulkEnable");
    assert_eq!(on.changed, 1);
    assert!(handle.client(&a).expect("a").enable);

    let items = vec![
        ClientWithInbounds {
            client: ClientPayload::new("bulk1@example.com"),
            inbound_ids: vec![InboundId(1)],
        },
        ClientWithInbounds {
            client: ClientPayload::new(&a),
            inbound_ids: vec![InboundId(1)],
        },
        ClientWithInbounds {
            client: ClientPayload::new("bulk2@example.com"),
            inbound_ids: vec![InboundId(1), InboundId(2)],
        },
    ];
    let created = client.bulk_create(&items).await.expect("bulkCreate");
    assert_eq!(created.created, 2);
    assert_eq!(created.skipped.len(), 1);
    assert_eq!(created.skipped[0].email, a);
    assert_eq!(
        handle.client("bulk2@example.com").expect("b2").inbound_ids,
        vec![1, 2]
    );

    handle.add_traffic("bulk1@example.com", 100, 200);
    let reset = client
        .bulk_reset_traffic(&emails(&["bulk1@example.com", "ghost"]))
        .await
        .expect("bulkResetTraffic");
    assert_eq!(reset.affected, 1);
    assert_eq!(handle.client("bulk1@example.com").expect("b1").up_bytes, 0);

    let del = client
        .bulk_del(&emails(&["bulk1@example.com", "ghost"]), true)
        .await
        .expect("bulkDel");
    assert_eq!(del.deleted, 1);
    assert_eq!(del.skipped[0].email, "ghost");
    assert!(handle.kept_traffic("bulk1@example.com").is_some());
}

#[tokio::test]
async fn bulk_attach_and_detach_report_per_email() {
    let (_sim, handle, client) = start(4, 3).await;
    let all = handle.clients();
    let (a, b) = (all[0].email.clone(), all[1].email.clone());
    handle.edit(&a, |c| c.inbound_ids = vec![1]);
    handle.edit(&b, |c| c.inbound_ids = vec![2]);
    let res = client
        .bulk_attach(
            &[a.clone(), b.clone(), "ghost".into()],
            &[InboundId(2), InboundId(3)],
        )
        .await
        .expect("bulkAttach");
    assert_eq!(res.attached, vec![a.clone(), b.clone()]);
    assert_eq!(res.skipped, vec![b.clone()], "b was already on inbound 2");
    assert_eq!(res.errors.len(), 1);
    assert_eq!(handle.client(&a).expect("a").inbound_ids, vec![1, 2, 3]);
    assert_eq!(handle.client(&b).expect("b").inbound_ids, vec![2, 3]);
    let res = client
        .bulk_detach(&[a.clone(), b.clone()], &[InboundId(1)])
        .await
        .expect("bulkDetach");
    assert_eq!(res.detached, vec![a.clone()]);
    assert_eq!(res.skipped, vec![b.clone()]);
    assert_eq!(handle.client(&a).expect("a").inbound_ids, vec![2, 3]);
}

#[tokio::test]
async fn groups_lifecycle() {
    let (_sim, handle, client) = start(6, 2).await;
    for c in handle.clients() {
        handle.edit(&c.email, |x| x.group.clear());
    }
    let all = handle.clients();
    let created = client.groups_create("tier-0").await.expect("create");
    assert_eq!(created.name, "tier-0");
    let err = client.groups_create("tier-0").await.expect_err("exists");
    assert!(api_message(err).contains("already exists"));
    let listed = client.groups().await.expect("groups");
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].name.as_str(), listed[0].client_count),
        ("tier-0", 0)
    );

    let members = vec![all[0].email.clone(), all[1].email.clone(), "ghost".into()];
    let added = client
        .groups_bulk_add(&members, "tier-0")
        .await
        .expect("bulkAdd");
    assert_eq!(added.affected, 2);
    let mut in_group = client.group_emails("tier-0").await.expect("emails");
    in_group.sort();
    let mut want = vec![all[0].email.clone(), all[1].email.clone()];
    want.sort();
    assert_eq!(in_group, want);

    let renamed = client
        .groups_rename("tier-0", "tier 1/a")
        .await
        .expect("rename");
    assert_eq!(renamed.affected, 2);
    assert_eq!(handle.client(&all[0].email).expect("a").group, "tier 1/a");
    assert_eq!(
        client.group_emails("tier 1/a").await.expect("emails").len(),
        2
    );

    let removed = client
        .groups_bulk_remove(&[all[0].email.clone()])
        .await
        .expect("bulkRemove");
    assert_eq!(removed.affected, 1);
    assert_eq!(handle.client(&all[0].email).expect("a").group, "");
    let deleted = client.groups_delete("tier 1/a").await.expect("delete");
    assert_eq!(deleted.affected, 1);
    assert!(client.groups().await.expect("groups").is_empty());
    assert!(handle.client(&all[1].email).is_some(), "members are kept");
}
