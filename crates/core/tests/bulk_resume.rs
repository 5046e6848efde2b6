//! The engine is killed mid-run (its tokio runtime dropped while requests are in flight) and
//! the operation resumed from the journal: the final state equals the plan and each create
//! reached the panel once. Also: cancel stops new requests promptly and the journal says which
//! items ran.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use bulk_support::*;
use paneldeck_core::bulk::{BulkRequest, CancelToken, ExecOptions, ItemState, NameSource, OpState};
use paneldeck_sim::{FaultConfig, SimOptions};

fn slow(latency_ms: u64) -> SimOptions {
    SimOptions {
        seed: 21,
        accounts: 5,
        faults: FaultConfig {
            latency: Duration::from_millis(latency_ms),
            ..FaultConfig::default()
        },
        ..SimOptions::default()
    }
}

fn create_request(panel: &paneldeck_core::PanelId, pattern: &str) -> BulkRequest {
    BulkRequest::Create {
        panel_ids: vec![panel.clone()],
        names: NameSource::Pattern {
            pattern: pattern.into(),
        },
        templates: vec![marzban_form(None)],
    }
}

/// Waits (at most a minute, then fails) until the simulator has received `n` requests to
/// `route`.
fn wait_for_requests(stats: &paneldeck_sim::SimStats, route: &str, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while stats.route_count(route) < n {
        assert!(
            Instant::now() < deadline,
            "{route}: {} of {n}",
            stats.route_count(route)
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Waits until the requests abandoned at the kill have had their effect on the simulator (or
/// were dropped with their connection): nothing in flight for 200 ms on end, so a request
/// still in a socket buffer has been read too.
fn wait_until_landed(stats: &paneldeck_sim::SimStats) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut idle_since = Instant::now();
    while idle_since.elapsed() < Duration::from_millis(200) {
        if stats.in_flight() > 0 {
            assert!(
                Instant::now() < deadline,
                "{} requests still in flight",
                stats.in_flight()
            );
            idle_since = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_killed_run_resumes_and_applies_each_item_once() {
    // The simulator lives in its own runtime, so it survives the engine's.
    let sim_rt = runtime();
    let (sim, handle) = sim_rt
        .block_on(paneldeck_sim::marzban::start_with_ttl(
            slow(20),
            Duration::from_secs(3600),
        ))
        .unwrap();
    let (core, _dir) = open();
    let panel = sim_rt.block_on(add(&core, &sim, "m", "#000001"));
    let base = handle.user_count();
    const N: usize = 300;
    let plan = core
        .bulk_plan(&create_request(&panel.id, "kill-{001..300}"))
        .unwrap();
    let opts = ExecOptions {
        concurrency: 8,
        resync: false,
        ..ExecOptions::default()
    };

    let engine = runtime();
    {
        let (core, op, opts) = (Arc::clone(&core), plan.id.clone(), opts.clone());
        engine.spawn(async move {
            let _ = core
                .bulk_execute_with(&op, opts, |_| {}, CancelToken::new())
                .await;
        });
    }
    wait_for_requests(&sim.stats, "POST /api/user", 80);
    engine.shutdown_background(); // the kill: in-flight requests are abandoned
    wait_until_landed(&sim.stats);

    let running = items_in(&core, &plan.id, ItemState::Running).len();
    let done = items_in(&core, &plan.id, ItemState::Done).len();
    assert!(running > 0, "killed with items in flight");
    assert!(done + running < N, "killed before the end");
    let interrupted = core.bulk_interrupted().unwrap();
    assert!(interrupted.iter().any(|o| o.op_id == plan.id));

    let resume = runtime();
    let report = resume
        .block_on(core.bulk_resume(&plan.id, opts, |_| {}, CancelToken::new()))
        .unwrap();
    assert_eq!(report.state, OpState::Finished);
    assert_eq!(report.counts.done as usize, N, "{:?}", report.failures);
    assert_eq!(report.counts.failed, 0);

    // The final state equals the plan, and no create was sent twice: the only requests beyond
    // one per item are those in flight at the kill whose fate was unknown, and they were looked
    // up instead of re-sent (a re-send would have failed "already exists").
    assert_eq!(handle.user_count(), base + N);
    let posts = sim.stats.route_count("POST /api/user") as usize;
    eprintln!(
        "killed with {done} done and {running} in flight; {posts} creates sent for {N} items"
    );
    assert!(
        posts <= N + running,
        "{posts} creates sent for {N} items ({running} unknown at the kill)"
    );
    assert!(core.bulk_interrupted().unwrap().is_empty());
    drop(resume);
    drop(sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_new_requests_and_the_journal_says_which_ran() {
    let (core, _dir) = open();
    let (sim, handle) = paneldeck_sim::marzban::start_with_ttl(slow(30), Duration::from_secs(3600))
        .await
        .unwrap();
    let panel = add(&core, &sim, "m", "#000001").await;
    let base = handle.user_count();
    const N: usize = 200;
    let plan = core
        .bulk_plan(&create_request(&panel.id, "stop-{001..200}"))
        .unwrap();
    let cancel = CancelToken::new();
    let trigger = cancel.clone();
    let opts = ExecOptions {
        concurrency: 4,
        resync: false,
        ..ExecOptions::default()
    };
    let report = core
        .bulk_execute_with(
            &plan.id,
            opts.clone(),
            move |p| {
                if p.counts.done >= 20 {
                    trigger.cancel();
                }
            },
            cancel,
        )
        .await
        .unwrap();
    assert_eq!(report.state, OpState::Cancelled);
    let done = items_in(&core, &plan.id, ItemState::Done).len();
    let pending = items_in(&core, &plan.id, ItemState::Pending).len();
    assert!(items_in(&core, &plan.id, ItemState::Running).is_empty());
    assert_eq!(done + pending, N);
    assert!(done >= 20 && pending > 0, "done {done}, pending {pending}");
    // Stopped promptly: at most what was in flight (and one progress batch) after the cancel.
    assert!(done < 20 + 64 + 4, "done {done}");
    // Exactly the items the journal calls done reached the panel; none of the pending did.
    assert_eq!(sim.stats.route_count("POST /api/user") as usize, done);
    assert_eq!(handle.user_count(), base + done);

    let report = core
        .bulk_resume(&plan.id, opts, |_| {}, CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.state, OpState::Finished);
    assert_eq!(report.counts.done as usize, N);
    assert_eq!(handle.user_count(), base + N);
    assert_eq!(sim.stats.route_count("POST /api/user") as usize, N);
}

/// An import whose creates keep UUIDs, passwords and subscription ids is killed mid-run; a
/// new process (another `Paneldeck` on the same profile) resumes it from the journal: every
/// item left `running` is looked up (found: not sent again) or sent again with the same
/// secrets, so each client is on the panel once, with the UUID/password/subId of the file.
#[test]
fn a_killed_import_resumes_with_the_kept_uuids_and_never_duplicates() {
    use paneldeck_core::{secrets::MemoryStore, transfer::PlanOptions, Paneldeck, Profile};
    use paneldeck_sim::{xui::XuiSimConfig, SimKind, SimStats};

    let sim_rt = runtime();
    let opts = SimOptions {
        groups: 3,
        ..slow(20)
    };
    let stats = Arc::new(SimStats::default());
    let (app, handle) = paneldeck_sim::xui::app_with(&opts, stats.clone(), XuiSimConfig::default());
    let sim = sim_rt
        .block_on(paneldeck_sim::serve(
            SimKind::Xui,
            app,
            &opts,
            stats,
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::default());
    let open_core =
        || Arc::new(Paneldeck::open(Profile::at(dir.path()).unwrap(), secrets.clone()).unwrap());
    let core = open_core();
    let panel = sim_rt.block_on(add(&core, &sim, "x", "#000001"));
    let base = handle.clients().len();

    // A file of N clients on the VLESS and Trojan inbounds, each with its own secrets.
    const N: usize = 300;
    let rows: Vec<(String, String, String, String)> = (0..N)
        .map(|i| {
            (
                format!("kept-{i:03}"),
                uuid::Uuid::new_v4().to_string(),
                format!("pw{}", uuid::Uuid::new_v4().simple()),
                format!(
                    "sub{i:03}{}",
                    &uuid::Uuid::new_v4().simple().to_string()[..8]
                ),
            )
        })
        .collect();
    let mut csv = String::from("name,protocols,inbounds,limit_bytes,uuid,password,sub_id\n");
    for (name, uuid, password, sub) in &rows {
        csv.push_str(&format!(
            "{name},vless;trojan,1;3,1073741824,{uuid},{password},{sub}\n"
        ));
    }
    let (_, plan) = sim_rt
        .block_on(core.import_plan(csv.as_bytes(), &panel.id, &PlanOptions::default()))
        .unwrap();
    assert_eq!(plan.counts().create as usize, N, "{:?}", plan.errors);
    let bulk = core.import_apply("Import kept", &plan).unwrap();
    let opts = ExecOptions {
        concurrency: 8,
        native_bulk: false,
        resync: false,
        ..ExecOptions::default()
    };

    let engine = runtime();
    {
        let (core, op, opts) = (Arc::clone(&core), bulk.id.clone(), opts.clone());
        engine.spawn(async move {
            let _ = core
                .bulk_execute_with(&op, opts, |_| {}, CancelToken::new())
                .await;
        });
    }
    wait_for_requests(&sim.stats, "POST /panel/api/clients/add", 80);
    engine.shutdown_background(); // the kill
    wait_until_landed(&sim.stats);
    let running = items_in(&core, &bulk.id, ItemState::Running).len();
    let done = items_in(&core, &bulk.id, ItemState::Done).len();
    assert!(running > 0, "killed with items in flight");
    assert!(done + running < N, "killed before the end");
    // Items left `running`: some reached the panel (to be found), some never left (claimed
    // in a block, to be sent again with the journaled secrets).
    let landed = items_in(&core, &bulk.id, ItemState::Running)
        .iter()
        .filter(|i| handle.client(&i.name).is_some())
        .count();
    assert!(landed < running, "some running items were never sent");
    drop(core);

    // Another process: only the journal knows the secrets now.
    let core = open_core();
    let resume = runtime();
    let report = resume
        .block_on(core.bulk_resume(&bulk.id, opts, |_| {}, CancelToken::new()))
        .unwrap();
    assert_eq!(report.state, OpState::Finished);
    assert_eq!(report.counts.done as usize, N, "{:?}", report.failures);

    let clients = handle.clients();
    assert_eq!(clients.len(), base + N, "one client per item");
    for (name, uuid, password, sub) in &rows {
        let c = handle.client(name).unwrap();
        assert_eq!(
            (&c.uuid, &c.password, &c.sub_id),
            (uuid, password, sub),
            "{name}"
        );
        assert_eq!(c.inbound_ids, [1, 3], "{name}");
    }
    let adds = sim.stats.route_count("POST /panel/api/clients/add") as usize;
    eprintln!(
        "killed with {done} done and {running} running ({landed} on the panel); \
         {adds} creates sent for {N} items"
    );
    assert!(
        adds <= N + running,
        "{adds} creates sent for {N} items ({running} unknown at the kill)"
    );
    // Each secret is on the panel once: none went to another client.
    let mut uuids: Vec<&str> = clients.iter().map(|c| c.uuid.as_str()).collect();
    uuids.sort_unstable();
    uuids.dedup();
    assert_eq!(uuids.len(), clients.len());
    // The history never shows them.
    let history = core
        .bulk_export_history(&bulk.id, paneldeck_core::bulk::ExportFormat::Json)
        .unwrap();
    for (_, uuid, password, sub) in &rows {
        assert!(!history.contains(uuid.as_str()) && !history.contains(password.as_str()));
        assert!(!history.contains(sub.as_str()));
    }
    drop(resume);
    drop(sim);
}
