//! `bulk create` on Marzban 0.8.4 as people run it (issue 19): 50 users, each with its inbounds
//! and links, none failed; and the same with requests holding the database connections of
//! 0.8.4's pool of 15 (a 16th request at once is answered 500; crates/sim/tests/fixtures/
//! marzban-versions.md, "Database pool"), which the run's adaptive pace keeps clean although
//! its configured maximum is far above 15.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use std::time::Duration;

use bulk_support::*;
use paneldeck_core::{
    bulk::{BulkReport, BulkRequest, CancelToken, ExecOptions, NameSource},
    connect::{ConnectionSpec, PanelClient},
    registry::PanelSettings,
};
use paneldeck_panels::{
    marzban::{ProxyType, UsersQuery},
    Endpoint, PanelKind, Secret,
};
use paneldeck_sim::{marzban::MarzbanSim, DbLoad, RunningSim, SimCredentials, SimOptions};

const USERS: usize = 50;

async fn start(db: DbLoad) -> (RunningSim, MarzbanSim) {
    let opts = SimOptions {
        accounts: 0,
        panel_version: Some("0.8.4".into()),
        db,
        ..SimOptions::default()
    };
    paneldeck_sim::marzban::start_with_ttl(opts, Duration::from_secs(3600))
        .await
        .unwrap()
}

async fn bulk_create(sim: &RunningSim, opts: ExecOptions) -> BulkReport {
    let (core, _dir) = open();
    let panel = add(&core, sim, "marzban 0.8.4", "#000001").await;
    let plan = core
        .bulk_plan(&BulkRequest::Create {
            panel_ids: vec![panel.id.clone()],
            names: NameSource::Pattern {
                pattern: "pace_{01..50}".into(),
            },
            templates: vec![marzban_form(Some(1 << 30))],
        })
        .unwrap();
    assert_eq!(plan.to_change as usize, USERS);
    core.bulk_execute_with(&plan.id, opts, |_| {}, CancelToken::new())
        .await
        .unwrap()
}

/// Every planned user is on the panel with every VLESS inbound and a link for each.
async fn assert_all_created_with_links(sim: &RunningSim) {
    let SimCredentials::Password { username, password } = &sim.credentials else {
        panic!("{:?}", sim.credentials)
    };
    let settings = PanelSettings {
        username: Some(username.clone()),
        ..PanelSettings::default()
    };
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Marzban,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(password.as_str()),
        session_token: None,
    })
    .unwrap();
    let PanelClient::Marzban(c) = &client else {
        unreachable!()
    };
    let users = c.get_users(&UsersQuery::default()).await.unwrap().users;
    assert_eq!(users.len(), USERS);
    for user in users {
        assert!(user.username.starts_with("pace_"), "{}", user.username);
        let tags = &user.inbounds[&ProxyType::Vless];
        assert!(!tags.is_empty(), "{}: no inbounds", user.username);
        assert_eq!(user.links.len(), tags.len(), "{}", user.username);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_users_land_with_inbounds_and_links() {
    let (sim, handle) = start(DbLoad::default()).await;
    let report = bulk_create(
        &sim,
        ExecOptions {
            resync: false,
            ..ExecOptions::default()
        },
    )
    .await;
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    assert_eq!(report.counts.done as usize, USERS);
    assert_eq!(handle.user_count(), USERS);
    assert_all_created_with_links(&sim).await;
}

/// Requests hold their connection for 200 ms and a request that finds all 15 taken is
/// answered 500 at once: the run starts below 15, and when it grows past the pool the 500s
/// halve it, so no user fails and few requests are refused even with 64 allowed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pace_keeps_a_run_clean_on_a_pool_of_fifteen() {
    let load = DbLoad {
        hold: Duration::from_millis(200),
        pool_timeout: Duration::ZERO,
    };
    let (sim, handle) = start(load).await;
    let report = bulk_create(
        &sim,
        ExecOptions {
            concurrency: 64,
            resync: false,
            ..ExecOptions::default()
        },
    )
    .await;
    assert_eq!(report.counts.failed, 0, "{:?}", report.failures);
    assert_eq!(report.counts.done as usize, USERS);
    assert_all_created_with_links(&sim).await;
    // Sent 64 at a time, more than half of the first wave would be refused (about 70 refusals
    // in all, measured); the pace only touches the pool's edge while it probes.
    let refused = handle.pool_timeouts();
    assert!(refused < 15, "{refused} requests answered 500 by the pool");
}
