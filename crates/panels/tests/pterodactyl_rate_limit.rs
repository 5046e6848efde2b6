//! The Pterodactyl client under the panel's throttle: hundreds of concurrent subuser calls
//! through clones of one client all succeed, and a correctly set budget never lets the panel see
//! more than its limit in any window.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{sync::atomic::Ordering, time::Duration};

use futures::{stream, StreamExt};
use paneldeck_panels::{
    pterodactyl::{Permission, PermissionSet, PterodactylClient, ServerIdentifier, Subuser},
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};

const LIMIT: u32 = 40;
const WINDOW: Duration = Duration::from_secs(1);
const CONCURRENCY: usize = 16;

async fn sim() -> RunningSim {
    let opts = SimOptions {
        seed: 3,
        accounts: 4,
        groups: 2,
        rate_limit: LIMIT,
        rate_window_ms: WINDOW.as_millis() as u64,
        ..SimOptions::default()
    };
    paneldeck_sim::start_local(SimKind::Pterodactyl, opts)
        .await
        .expect("sim")
}

fn client(sim: &RunningSim) -> PterodactylClient {
    let SimCredentials::Token { token } = &sim.credentials else {
        panic!("unexpected credentials {:?}", sim.credentials);
    };
    let http = HttpClient::new(
        PanelKind::Pterodactyl,
        Endpoint::parse(&sim.url()).expect("url"),
    )
    .expect("http");
    PterodactylClient::new(http, Secret::new(token.as_str()))
}

/// Creates `n` subusers, gives each a new permission list, deletes them: `3 n` calls, `CONCURRENCY`
/// at a time, each through its own clone. Returns the failures and the state read back midway.
async fn churn(
    c: &PterodactylClient,
    server: &ServerIdentifier,
    n: usize,
) -> (Vec<PanelError>, Vec<Subuser>) {
    let mut failures = Vec::new();
    let start = PermissionSet::from([Permission::ControlConsole]);
    let created: Vec<Result<Subuser, PanelError>> = stream::iter(0..n)
        .map(|i| {
            let (c, server, start) = (c.clone(), server.clone(), start.clone());
            async move {
                c.create_subuser(&server, &format!("load{i}@example.com"), &start)
                    .await
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut subs = Vec::new();
    for r in created {
        match r {
            Ok(s) => subs.push(s),
            Err(e) => failures.push(e),
        }
    }
    let next = PermissionSet::from([Permission::FileRead, Permission::BackupCreate]);
    let updated: Vec<Result<Subuser, PanelError>> = stream::iter(subs.clone())
        .map(|s| {
            let (c, server, next) = (c.clone(), server.clone(), next.clone());
            async move { c.update_subuser(&server, &s.uuid, &next).await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    failures.extend(updated.into_iter().filter_map(Result::err));
    let midway = c.list_subusers(server).await.expect("list midway");
    let deleted: Vec<Result<(), PanelError>> = stream::iter(subs)
        .map(|s| {
            let (c, server) = (c.clone(), server.clone());
            async move { c.delete_subuser(&server, &s.uuid).await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    failures.extend(deleted.into_iter().filter_map(Result::err));
    (failures, midway)
}

fn assert_midway(midway: &[Subuser], n: usize) {
    let load: Vec<&Subuser> = midway
        .iter()
        .filter(|s| s.email.starts_with("load"))
        .collect();
    assert_eq!(load.len(), n);
    let expected = PermissionSet::from([
        Permission::FileRead,
        Permission::BackupCreate,
        Permission::WebsocketConnect,
    ]);
    assert!(load.iter().all(|s| s.permissions == expected));
}

#[tokio::test]
async fn a_matching_budget_keeps_300_concurrent_calls_under_the_limit() {
    let sim = sim().await;
    let c = client(&sim).with_rate_limit(LIMIT, WINDOW);
    let server = c.list_servers().await.expect("servers")[0]
        .identifier
        .clone();
    let seeded = c.list_subusers(&server).await.expect("seeded").len();

    let outcome = tokio::time::timeout(Duration::from_secs(20), churn(&c, &server, 100)).await;
    let (failures, midway) = outcome.expect("finished in time");
    assert!(failures.is_empty(), "{failures:?}");
    assert_midway(&midway, 100);
    assert_eq!(c.list_subusers(&server).await.expect("after").len(), seeded);

    assert_eq!(sim.stats.windows_over_limit.load(Ordering::Relaxed), 0);
    // 300 calls + 4 lists, and not one 429 (a rejected call would have been sent again).
    assert_eq!(sim.stats.requests(), 304);
}

#[tokio::test]
async fn a_budget_set_too_high_still_succeeds_through_429_and_retry_after() {
    let sim = sim().await;
    // Pterodactyl's default 720/min is far above this host's 40/s.
    let c = client(&sim).with_rate_limit(1000, WINDOW);
    let server = c.list_servers().await.expect("servers")[0]
        .identifier
        .clone();

    let outcome = tokio::time::timeout(Duration::from_secs(20), churn(&c, &server, 70)).await;
    let (failures, midway) = outcome.expect("finished in time");
    assert!(failures.is_empty(), "{failures:?}");
    assert_midway(&midway, 70);
    assert!(
        sim.stats.requests() > 212,
        "the panel must have refused some calls: {} requests",
        sim.stats.requests()
    );
    let left = c.list_subusers(&server).await.expect("after");
    assert!(left.iter().all(|s| !s.email.starts_with("load")));
}
