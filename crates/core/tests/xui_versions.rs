//! The app's 3x-ui actions against the simulator at every release it plays (2.9.4 … HEAD,
//! the facts file `3x-ui-source-facts.md` §1.1): test, sync, create, disable/enable, edit and
//! extend, a bulk action, links, refresh. 2.9.4 has no API tokens, so it is reached with the
//! admin login.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::sync::Arc;

use accounts_support::{add, open};
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, Selection},
    actions::{AccountAction, AccountEdit, ExpiryInput, NewAccount},
    bulk::{BulkAction, BulkRequest, CancelToken},
    transfer::{ExportFormat, ExportOptions, PlanOptions},
    Paneldeck,
};
use paneldeck_sim::{
    xui::{XuiSimConfig, XuiSimHandle, XuiVersion, ALL_VERSIONS},
    RunningSim, SimKind, SimOptions, SimStats,
};

const GIB: u64 = 1 << 30;
const DAY_MS: i64 = 86_400_000;

async fn start(version: XuiVersion) -> (RunningSim, XuiSimHandle) {
    let opts = SimOptions {
        seed: 11,
        accounts: 10,
        groups: 3,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let config = XuiSimConfig {
        version,
        ..XuiSimConfig::default()
    };
    let (app, handle) = paneldeck_sim::xui::app_with(&opts, stats.clone(), config);
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    (sim, handle)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// What `paneldeck panels test` shows for each release.
fn release_label(version: XuiVersion) -> &'static str {
    match version {
        XuiVersion::V2_9_4 => "2.x",
        XuiVersion::V3_0_2 => "3.0.x",
        // HEAD builds still report 3.6.0 (facts §1.2).
        XuiVersion::Head => "3.6.0",
        v => v.as_str(),
    }
}

async fn every_action_on(version: XuiVersion) {
    let (sim, handle) = start(version).await;
    let (core, _dir) = open();
    let panel = add(&core, &sim, "Versioned", "#2563eb").await;

    let info = core.test_panel(&panel.id).await.unwrap();
    assert_eq!(info.version.as_deref(), Some(release_label(version)));

    let health = core.sync_panel(&panel.id, |_| {}).await.unwrap();
    assert_eq!(
        health.version.as_deref(),
        Some(release_label(version)),
        "{version}"
    );
    let all = AccountQuery {
        panel_ids: vec![panel.id.clone()],
        ..AccountQuery::default()
    };
    assert_eq!(core.query_keys(&all).unwrap().len(), 10, "{version}: sync");

    // Create on one inbound (all a pre-3.1 panel allows).
    let email = "matrix@example.com";
    let inbound = handle.inbounds()[0].id;
    core.account_create(
        &panel.id,
        &NewAccount::Xui {
            email: email.into(),
            inbound_ids: vec![inbound],
            total_bytes: Some(5 * GIB),
            expiry: ExpiryInput::AfterFirstUse { days: 7 },
            limit_ip: 2,
            comment: "matrix".into(),
            group: None,
            reset_days: 0,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{version}: create: {e}"));
    let key = AccountKey::new(panel.id.clone(), email);
    let stored = handle.client(email).expect("created");
    assert_eq!(
        (stored.total_bytes, stored.expiry_time_ms),
        ((5 * GIB) as i64, -7 * DAY_MS)
    );

    // Disable, enable: the whole client goes back, nothing else changes.
    core.account_action(&key, &AccountAction::Disable)
        .await
        .unwrap();
    let off = handle.client(email).expect("c");
    assert!(!off.enable, "{version}: disable");
    assert_eq!(
        (off.comment.as_str(), off.limit_ip),
        ("matrix", 2),
        "{version}"
    );
    core.account_action(&key, &AccountAction::Enable)
        .await
        .unwrap();
    assert!(handle.client(email).expect("c").enable, "{version}: enable");

    // Edit: extend to a date and raise the quota; the rest is kept.
    let until = now_ms() + 40 * DAY_MS;
    core.account_edit(
        &key,
        &AccountEdit::Xui {
            email: email.into(),
            total_bytes: Some(9 * GIB),
            expiry: ExpiryInput::At { ms: until },
            limit_ip: 2,
            comment: "matrix".into(),
            group: None,
            sub_id: None,
            reset_days: 0,
            enable: true,
            inbound_ids: None,
        },
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{version}: edit: {e}"));
    let edited = handle.client(email).expect("c");
    assert_eq!(
        (edited.total_bytes, edited.expiry_time_ms, edited.enable),
        ((9 * GIB) as i64, until, true),
        "{version}: edit"
    );
    assert_eq!(edited.uuid, stored.uuid, "{version}: credential kept");

    // A bulk action over two clients: extend by 10 days (native bulkAdjust from v3.1, item
    // by item before).
    let other = handle
        .clients()
        .into_iter()
        .find(|c| c.email != email && c.enable && c.expiry_time_ms > now_ms())
        .expect("a dated client");
    let keys = vec![key.clone(), AccountKey::new(panel.id.clone(), &other.email)];
    bulk(
        &core,
        keys.clone(),
        BulkAction::ExtendExpiry { days: 10 },
        version,
    )
    .await;
    assert_eq!(
        handle.client(email).expect("c").expiry_time_ms,
        until + 10 * DAY_MS,
        "{version}: bulk extend"
    );
    assert_eq!(
        handle.client(&other.email).expect("c").expiry_time_ms,
        other.expiry_time_ms + 10 * DAY_MS,
        "{version}: bulk extend"
    );

    // More bulk actions over the same two: disable, enable, reset traffic.
    handle.add_traffic(&other.email, 500, 500);
    for (action, check) in [
        (BulkAction::Disable, "disabled"),
        (BulkAction::Enable, "enabled"),
        (BulkAction::ResetTraffic, "reset"),
    ] {
        bulk(&core, keys.clone(), action, version).await;
        let (a, b) = (
            handle.client(email).unwrap(),
            handle.client(&other.email).unwrap(),
        );
        match check {
            "disabled" => assert!(!a.enable && !b.enable, "{version}: bulk disable"),
            "enabled" => assert!(a.enable && b.enable, "{version}: bulk enable"),
            _ => assert_eq!(b.used_bytes(), 0, "{version}: bulk reset"),
        }
    }

    // Traffic is read back after a refresh (from the traffic row: `get` has no counters).
    handle.add_traffic(email, 1_000, 2_000);
    let detail = core.refresh_account(&key).await.unwrap();
    assert_eq!(detail.account.used_bytes, 3_000, "{version}: refresh");

    // Links: the panel's own where it has the route, built from the inbound before v3.1.
    let links = core.account_links(&key).await.unwrap();
    assert!(!links.is_empty(), "{version}: links");
    assert!(
        links.iter().any(|l| l.url.contains(&stored.uuid)
            || l.url.starts_with("trojan://")
            || l.url.starts_with("ss://")
            || l.url.starts_with("vmess://")),
        "{version}: {links:?}"
    );
}

async fn bulk(core: &Paneldeck, keys: Vec<AccountKey>, action: BulkAction, version: XuiVersion) {
    let plan = core
        .bulk_plan(&BulkRequest::Change {
            selection: Selection::Keys { keys },
            action: action.clone(),
        })
        .unwrap();
    let report = core
        .bulk_execute(&plan.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{version}: {:#?}", report.failures);
    assert_eq!(
        report.counts.done, 2,
        "{version} {action:?}: {:#?}",
        report.counts
    );
}

/// Export with credentials from a panel of `version`, import into an empty one of the same
/// release: every client is created with its UUID, quota and state.
async fn export_import_on(version: XuiVersion) {
    let (source_sim, source) = start(version).await;
    let (core, dir) = open();
    let from = add(&core, &source_sim, "From", "#2563eb").await;
    core.sync_panel(&from.id, |_| {}).await.unwrap();
    let path = dir.path().join("accounts.csv");
    core.export_accounts(
        &Selection::Panel {
            panel_id: from.id.clone(),
        },
        ExportOptions {
            format: ExportFormat::Csv,
            include_credentials: true,
            raw_csv: false,
        },
        &path,
    )
    .unwrap();
    let file = std::fs::read(&path).unwrap();

    let opts = SimOptions {
        seed: 11,
        accounts: 0,
        groups: 3,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let config = XuiSimConfig {
        version,
        ..XuiSimConfig::default()
    };
    let (app, target) = paneldeck_sim::xui::app_with(&opts, stats.clone(), config);
    let target_sim =
        paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
            .await
            .unwrap();
    let to = add(&core, &target_sim, "To", "#16a34a").await;
    core.sync_panel(&to.id, |_| {}).await.unwrap();
    // The file's rows are panel "From"'s: mapped onto "To" (issue #24).
    let opts = PlanOptions {
        from_panels: vec![from.name.clone()],
        ..PlanOptions::default()
    };
    let (_, plan) = core.import_plan(&file, &to.id, &opts).await.unwrap();
    assert_eq!(
        plan.counts().create,
        10,
        "{version}: {:?}",
        plan.preview().rows
    );
    let run = core.import_apply("matrix import", &plan).unwrap();
    let report = core
        .bulk_execute(&run.id, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.counts.failed, 0, "{version}: {:#?}", report.failures);
    let inbounds = source.inbounds();
    for c in source.clients() {
        let copy = target
            .client(&c.email)
            .unwrap_or_else(|| panic!("{version}: {} not copied", c.email));
        // The credential its protocol uses: the UUID for VLESS/VMess, else the password.
        let by_uuid = inbounds.iter().any(|i| {
            c.inbound_ids.contains(&i.id) && ["vless", "vmess"].contains(&i.protocol.as_str())
        });
        let credential = |x: &paneldeck_sim::xui::SimClient| {
            if by_uuid {
                x.uuid.clone()
            } else {
                x.password.clone()
            }
        };
        assert_eq!(
            (credential(&copy), copy.total_bytes, copy.enable),
            (credential(&c), c.total_bytes, c.enable),
            "{version}: {}",
            c.email
        );
    }
}

#[tokio::test]
async fn every_app_action_on_every_release() {
    for version in ALL_VERSIONS {
        every_action_on(version).await;
    }
}

#[tokio::test]
async fn export_then_import_on_every_release() {
    for version in ALL_VERSIONS {
        export_import_on(version).await;
    }
}
