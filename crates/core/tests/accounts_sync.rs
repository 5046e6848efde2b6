//! Sync against the four simulators: everything lands in one snapshot, a failing panel keeps
//! its last snapshot with the error and its age, the snapshot reads fine offline, edits
//! refresh one account, and removing a panel removes its rows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::time::Duration;

use accounts_support::{add, all_accounts, open, sim_options, world, Events};
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, SyncEvent},
    ErrorCode,
};
use paneldeck_panels::{
    marzban::{MarzbanClient, UserModify},
    Endpoint, HttpClient, PanelKind, Secret,
};
use paneldeck_sim::{SimCredentials, SimKind};

#[tokio::test]
async fn all_four_kinds_sync_into_one_snapshot_with_progress() {
    let w = world(30).await;
    // The table asks before the first sync ever finished (the app's window opens while it
    // runs): the answer must not be kept once the sync lands.
    let before = w.core.query_accounts(&AccountQuery::default()).unwrap();
    assert_eq!(before.total, 0);
    let events = Events::default();
    let health = w.core.sync_all(events.sink()).await;
    let after = w.core.query_accounts(&AccountQuery::default()).unwrap();
    assert_eq!(after.total, 120, "the first sync reaches the table");
    assert_eq!(health.len(), 4);
    for h in &health {
        assert_eq!(h.reachable, Some(true), "{h:?}");
        assert!(h.last_error.is_none(), "{h:?}");
        assert!(h.last_sync_ms.is_some() && h.age_ms.is_some(), "{h:?}");
        assert!(h.api_generation.is_some(), "{h:?}");
    }
    let by_kind = |k: PanelKind| w.panels.iter().find(|p| p.kind == k).unwrap().id.clone();
    let count = |k: PanelKind| {
        health
            .iter()
            .find(|h| h.panel_id == by_kind(k))
            .unwrap()
            .account_count
    };
    assert_eq!(count(PanelKind::Xui), 30);
    assert_eq!(count(PanelKind::Marzban), 30);
    assert_eq!(count(PanelKind::Userpass), 30);
    assert_eq!(count(PanelKind::Pterodactyl), 30);
    // Marzban tells its version.
    let marz = health
        .iter()
        .find(|h| h.panel_id == by_kind(PanelKind::Marzban))
        .unwrap();
    assert!(marz.version.is_some(), "{marz:?}");

    let page = w.core.query_accounts(&AccountQuery::default()).unwrap();
    assert_eq!(page.total, 120);
    assert_eq!(page.matched, 120);
    assert_eq!(page.rows.len(), 100, "the default window is 100 rows");

    // Per panel: Started, then Progress, then Finished with the count, nothing failed.
    let events = events.all();
    for p in &w.panels {
        let mine: Vec<&SyncEvent> = events.iter().filter(|e| e.panel_id() == &p.id).collect();
        assert!(
            matches!(mine.first(), Some(SyncEvent::Started { .. })),
            "{mine:?}"
        );
        assert!(
            mine.iter()
                .any(|e| matches!(e, SyncEvent::Progress { fetched, .. } if *fetched > 0)),
            "{mine:?}"
        );
        assert!(
            matches!(mine.last(), Some(SyncEvent::Finished { accounts: 30, .. })),
            "{mine:?}"
        );
    }
    let json = serde_json::to_value(events.last().unwrap()).unwrap();
    assert_eq!(json["type"], "finished");
    assert!(
        json.get("panelId").is_some() && json.get("tookMs").is_some(),
        "{json}"
    );

    // The rows carry what the panels hold: read one Marzban user back through its client.
    let sim = w.sims.iter().find(|s| s.kind == SimKind::Marzban).unwrap();
    let SimCredentials::Password { username, password } = &sim.credentials else {
        panic!()
    };
    let http = HttpClient::new(PanelKind::Marzban, Endpoint::parse(&sim.url()).unwrap()).unwrap();
    let client = MarzbanClient::new(http, username.clone(), Secret::new(password.as_str()));
    let accounts = all_accounts(&w.core);
    let one = accounts
        .iter()
        .find(|a| a.kind == PanelKind::Marzban)
        .unwrap();
    let user = client.get_user(&one.name).await.unwrap();
    assert_eq!(one.used_bytes, user.used_traffic_bytes);
    assert_eq!(one.limit_bytes, user.data_limit_bytes);
    assert_eq!(one.expires_at_ms, user.expire_utc_secs.map(|s| s * 1000));
    let detail = w.core.account_detail(&one.key).unwrap();
    assert_eq!(detail.raw["username"], one.name.as_str());
    assert!(detail.capabilities.can_revoke_subscription);
    assert_eq!(detail.panel.id, one.key.panel_id);

    // Every kind keeps its raw record beside the account.
    for a in accounts
        .iter()
        .filter(|a| a.kind != PanelKind::Marzban)
        .take(200)
    {
        let d = w.core.account_detail(&a.key).unwrap();
        assert!(d.raw.is_object(), "{:?}", d.raw);
    }
    let ptero = accounts
        .iter()
        .find(|a| a.kind == PanelKind::Pterodactyl)
        .unwrap();
    assert!(
        !ptero.permissions.is_empty() && ptero.servers.len() == 1,
        "{ptero:?}"
    );
    let xui = accounts.iter().find(|a| a.kind == PanelKind::Xui).unwrap();
    assert!(xui.uuid.is_some() && !xui.protocols.is_empty(), "{xui:?}");
}

#[tokio::test]
async fn a_panel_that_goes_down_keeps_its_snapshot_and_shows_the_error() {
    let (core, _dir) = open();
    let up = paneldeck_sim::start_local(SimKind::Userpass, sim_options(7, 12, SimKind::Userpass))
        .await
        .unwrap();
    let down = paneldeck_sim::start_local(SimKind::Xui, sim_options(8, 15, SimKind::Xui))
        .await
        .unwrap();
    let up_panel = add(&core, &up, "stays up", "#111111").await;
    let down_panel = add(&core, &down, "goes down", "#222222").await;
    core.sync_all(|_| {}).await;
    let before = core.panel_health().unwrap();
    let first_sync = before
        .iter()
        .find(|h| h.panel_id == down_panel.id)
        .unwrap()
        .last_sync_ms
        .unwrap();

    down.shutdown().await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let events = Events::default();
    let health = core.sync_all(events.sink()).await;
    let failed = health.iter().find(|h| h.panel_id == down_panel.id).unwrap();
    assert_eq!(failed.reachable, Some(false));
    let err = failed.last_error.as_ref().expect("the error is kept");
    assert_eq!(err.code, ErrorCode::ConnectionRefused, "{err:?}");
    assert_eq!(
        failed.last_sync_ms,
        Some(first_sync),
        "the snapshot's time is the last success"
    );
    assert!(failed.age_ms.is_some());
    assert!(failed.last_attempt_ms.unwrap() >= first_sync);
    assert_eq!(failed.account_count, 15, "the old snapshot is still there");
    let ok = health.iter().find(|h| h.panel_id == up_panel.id).unwrap();
    assert!(ok.last_error.is_none() && ok.account_count == 12, "{ok:?}");
    assert!(events
        .all()
        .iter()
        .any(|e| matches!(e, SyncEvent::Failed { panel_id, error } if panel_id == &down_panel.id && error.code == ErrorCode::ConnectionRefused)));

    let q = AccountQuery {
        panel_ids: vec![down_panel.id.clone()],
        ..AccountQuery::default()
    };
    assert_eq!(core.query_accounts(&q).unwrap().matched, 15);
    // Syncing the failed panel alone reports the error to the caller too.
    let err = core.sync_panel(&down_panel.id, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConnectionRefused);
}

#[tokio::test]
async fn refused_credentials_are_reported_and_the_panel_counts_as_reachable() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(
        SimKind::Pterodactyl,
        sim_options(3, 5, SimKind::Pterodactyl),
    )
    .await
    .unwrap();
    let input = paneldeck_core::PanelInput {
        name: "bad key".into(),
        base_url: sim.url(),
        color: "#123456".into(),
        tag: String::new(),
        pinned_cert: None,
        credentials: paneldeck_core::CredentialsInput::Pterodactyl {
            api_key: Some(Secret::new("ptlc_wrong")),
        },
    };
    let panel = core.add_panel(input, false).await.unwrap();
    let err = core.sync_panel(&panel.id, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    let h = core
        .panel_health()
        .unwrap()
        .into_iter()
        .find(|h| h.panel_id == panel.id)
        .unwrap();
    assert_eq!(h.reachable, Some(true));
    assert_eq!(h.last_sync_ms, None);
    assert_eq!(h.last_error.unwrap().code, ErrorCode::Unauthorized);
}

#[tokio::test]
async fn the_snapshot_reads_offline_and_removing_a_panel_drops_its_rows() {
    let mut w = world(10).await;
    w.core.sync_all(|_| {}).await;
    let keys = w.core.query_keys(&AccountQuery::default()).unwrap();
    assert_eq!(keys.len(), 40);
    for sim in w.sims.drain(..) {
        sim.shutdown().await;
    }
    // Simulators gone: the table, details, health and dashboard still answer.
    let page = w
        .core
        .query_accounts(&AccountQuery {
            search: "a".into(),
            ..AccountQuery::default()
        })
        .unwrap();
    assert!(page.matched > 0);
    let detail = w.core.account_detail(&keys[0]).unwrap();
    assert_eq!(detail.account.key, keys[0]);
    assert_eq!(w.core.dashboard(0).unwrap().total_accounts, 40);
    assert!(w
        .core
        .panel_health()
        .unwrap()
        .iter()
        .all(|h| h.account_count == 10));

    let gone = &w.panels[0];
    w.core.remove_panel(&gone.id).unwrap();
    let q = AccountQuery {
        panel_ids: vec![gone.id.clone()],
        ..AccountQuery::default()
    };
    assert_eq!(w.core.query_accounts(&q).unwrap().matched, 0);
    assert_eq!(
        w.core
            .query_accounts(&AccountQuery::default())
            .unwrap()
            .total,
        30
    );
    let key = AccountKey::new(
        gone.id.clone(),
        keys.iter()
            .find(|k| k.panel_id == gone.id)
            .unwrap()
            .native_id
            .clone(),
    );
    assert!(w.core.account_detail(&key).is_err());
}

#[tokio::test]
async fn refresh_account_reads_one_account_back_after_an_edit() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_options(5, 8, SimKind::Marzban))
        .await
        .unwrap();
    let panel = add(&core, &sim, "marz", "#abcdef").await;
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    let key = core.query_keys(&AccountQuery::default()).unwrap().remove(0);

    let SimCredentials::Password { username, password } = &sim.credentials else {
        panic!()
    };
    let http = HttpClient::new(PanelKind::Marzban, Endpoint::parse(&sim.url()).unwrap()).unwrap();
    let client = MarzbanClient::new(http, username.clone(), Secret::new(password.as_str()));
    let change = UserModify {
        note: Some("changed from outside".into()),
        data_limit_bytes: Some(5 << 30),
        ..UserModify::default()
    };
    client.modify_user(&key.native_id, &change).await.unwrap();

    let detail = core.refresh_account(&key).await.unwrap();
    assert_eq!(detail.account.note.as_deref(), Some("changed from outside"));
    assert_eq!(detail.account.limit_bytes, Some(5 << 30));
    let found = core
        .query_accounts(&AccountQuery {
            search: "changed from outside".into(),
            ..AccountQuery::default()
        })
        .unwrap();
    assert_eq!(found.matched, 1);

    client.remove_user(&key.native_id).await.unwrap();
    let err = core.refresh_account(&key).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(core.account_detail(&key).is_err());
    let h = core.panel_health().unwrap().remove(0);
    assert_eq!(h.account_count, 7);
}

#[tokio::test]
async fn periodic_sync_runs_on_its_own() {
    let (core, _dir) = open();
    let sim = paneldeck_sim::start_local(SimKind::Userpass, sim_options(9, 4, SimKind::Userpass))
        .await
        .unwrap();
    let panel = add(&core, &sim, "proxies", "#abcdef").await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let handle = core.clone().spawn_periodic_sync(
        Duration::from_millis(50),
        Some(Duration::from_millis(1)),
        move |e| {
            let _ = tx.send(e);
        },
    );
    let mut finished = 0;
    while finished < 2 {
        let event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a periodic sync")
            .unwrap();
        if matches!(event, SyncEvent::Finished { .. }) {
            finished += 1;
        }
    }
    handle.abort();
    let h = core
        .panel_health()
        .unwrap()
        .into_iter()
        .find(|h| h.panel_id == panel.id)
        .unwrap();
    assert_eq!(h.account_count, 4);
}

#[tokio::test]
async fn a_legacy_3x_ui_panel_syncs_through_its_inbounds() {
    use paneldeck_sim::xui::{app_with, XuiSimConfig};
    let (core, _dir) = open();
    let opts = sim_options(21, 18, SimKind::Xui);
    let stats = std::sync::Arc::new(paneldeck_sim::SimStats::default());
    let config = XuiSimConfig {
        version: paneldeck_sim::xui::XuiVersion::V3_0_2,
        ..XuiSimConfig::default()
    };
    let (app, _handle) = app_with(&opts, stats.clone(), config);
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let panel = add(&core, &sim, "old 3x-ui", "#010203").await;
    let health = core.sync_panel(&panel.id, |_| {}).await.unwrap();
    assert_eq!(health.account_count, 18);
    assert!(
        health
            .api_generation
            .as_deref()
            .is_some_and(|g| g.contains("legacy")),
        "{health:?}"
    );
    let accounts = all_accounts(&core);
    assert_eq!(accounts.len(), 18);
    assert!(accounts
        .iter()
        .all(|a| !a.inbounds.is_empty() && !a.protocols.is_empty()));
    let key = accounts[0].key.clone();
    let detail = core.refresh_account(&key).await.unwrap();
    assert!(
        !detail.capabilities.has_links,
        "the legacy API has no links route"
    );
    assert_eq!(detail.raw["generation"], "legacy");
    assert_eq!(detail.account.used_bytes, accounts[0].used_bytes);
}

/// "Last sync" is when the sync finished, so the panel reads "synced just now" right after
/// one, however long the panel took to answer (issue #20).
#[tokio::test]
async fn last_sync_is_when_the_sync_finished() {
    let (core, _dir) = open();
    let latency = Duration::from_millis(300);
    let mut opts = sim_options(7, 5, SimKind::Marzban);
    opts.faults.latency = latency;
    let sim = paneldeck_sim::start_local(SimKind::Marzban, opts)
        .await
        .unwrap();
    let panel = add(&core, &sim, "slow", "#123456").await;
    let before = paneldeck_core::accounts::now_ms();
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    let after = paneldeck_core::accounts::now_ms();
    let health = core
        .panel_health()
        .unwrap()
        .into_iter()
        .find(|h| h.panel_id == panel.id)
        .unwrap();
    let last = health.last_sync_ms.expect("synced");
    // Every request waited `latency`: a sync cannot have finished earlier than that.
    assert!(
        last >= before + latency.as_millis() as i64,
        "last sync {last} is the start ({before}), not the end"
    );
    assert!(last <= after);
}
