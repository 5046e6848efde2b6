//! `cargo bench -p paneldeck-core --bench bulk`:
//!
//! 1. 2,000 creates on a simulated Marzban (no bulk route) with 30 ms of latency per request:
//!    the engine (plan stored, journal written per item, default concurrency and 64), against
//!    a sequential client (100 creates timed, scaled to 2,000) and against the simulator's own
//!    capacity at that latency (the same creates fired straight from a client with the same
//!    number in flight, no journal).
//! 2. 2,000 enables on a simulated 3x-ui: the engine uses the bulk routes; prints the HTTP
//!    requests the run made (target: at most 10).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/accounts_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use paneldeck_core::{
    accounts::{AccountQuery, Selection},
    actions::{ExpireInput, MarzbanProtocol, NewAccount},
    bulk::{BulkAction, BulkRequest, CancelToken, ExecOptions, NameSource},
    connect::PanelClient,
};
use paneldeck_panels::marzban::{ProxySettings, ProxyType, UserCreate};
use paneldeck_sim::{FaultConfig, SimKind, SimOptions};

const N: usize = 2_000;
const LATENCY: Duration = Duration::from_millis(30);

fn form() -> NewAccount {
    NewAccount::Marzban {
        username: String::new(),
        proxies: vec![MarzbanProtocol::Vless],
        inbounds: vec![],
        expire: ExpireInput::Never,
        data_limit_bytes: Some(1 << 30),
        data_limit_reset_strategy: Default::default(),
        template_id: None,
        status: Default::default(),
        on_hold_expire_duration_secs: None,
        note: String::new(),
    }
}

fn raw_user(name: &str) -> UserCreate {
    let mut u = UserCreate {
        username: name.to_owned(),
        data_limit_bytes: Some(1 << 30),
        ..UserCreate::default()
    };
    u.proxies.insert(ProxyType::Vless, ProxySettings::default());
    u
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

async fn marzban_creates() {
    let sim_opts = SimOptions {
        seed: 5,
        accounts: 10,
        faults: FaultConfig {
            latency: LATENCY,
            ..FaultConfig::default()
        },
        ..SimOptions::default()
    };
    let sim = paneldeck_sim::start_local(SimKind::Marzban, sim_opts)
        .await
        .unwrap();
    let (core, _dir) = support::open();
    let panel = support::add(&core, &sim, "bench", "#000001").await;
    let PanelClient::Marzban(client) = core.client(&panel).unwrap() else {
        panic!("marzban")
    };

    // A sequential client: 100 creates, scaled.
    let started = Instant::now();
    for i in 0..100 {
        client
            .add_user(&raw_user(&format!("seq_{i:04}")))
            .await
            .unwrap();
    }
    let sequential = started.elapsed() * (N as u32 / 100);

    let mut results = Vec::new();
    for concurrency in [ExecOptions::default().concurrency, 64] {
        // The simulator's capacity with this many requests in flight: bare creates.
        let started = Instant::now();
        let prefix = format!("raw{concurrency}_");
        let done: Vec<_> = futures::stream::iter(0..N)
            .map(|i| {
                let (client, name) = (&client, format!("{prefix}{i:04}"));
                async move { client.add_user(&raw_user(&name)).await.is_ok() }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        let capacity = started.elapsed();
        assert!(done.iter().all(|ok| *ok));

        // The engine: plan (stored) + execute (journaled), no re-sync.
        let plan_started = Instant::now();
        let plan = core
            .bulk_plan(&BulkRequest::Create {
                panel_ids: vec![panel.id.clone()],
                names: NameSource::Pattern {
                    pattern: format!("eng{concurrency}_{{0001..{N}}}"),
                },
                templates: vec![form()],
            })
            .unwrap();
        let planning = plan_started.elapsed();
        let started = Instant::now();
        let report = core
            .bulk_execute_with(
                &plan.id,
                ExecOptions {
                    concurrency,
                    resync: false,
                    ..ExecOptions::default()
                },
                |_| {},
                CancelToken::new(),
            )
            .await
            .unwrap();
        let engine = started.elapsed();
        assert_eq!(
            report.counts.done as usize,
            N,
            "{:?}",
            report.failures.first()
        );
        results.push((concurrency, capacity, planning, engine));
    }

    println!(
        "bulk create: {N} Marzban creates, {} ms latency",
        LATENCY.as_millis()
    );
    println!(
        "  sequential client (100 timed, scaled): {:.2} s",
        secs(sequential)
    );
    for (concurrency, capacity, planning, engine) in results {
        println!(
            "  concurrency {concurrency:>2}: engine {:.2} s (+ plan {:.3} s) · simulator capacity {:.2} s \
             · {:.1}x faster than sequential · {:.2}x the capacity",
            secs(engine),
            secs(planning),
            secs(capacity),
            secs(sequential) / secs(engine),
            secs(engine) / secs(capacity),
        );
    }
}

async fn xui_enables() {
    let sim = paneldeck_sim::start_local(
        SimKind::Xui,
        SimOptions {
            seed: 6,
            accounts: N,
            groups: 3,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let (core, _dir) = support::open();
    let panel = support::add(&core, &sim, "bench", "#000002").await;
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    let selection = || Selection::Query {
        query: AccountQuery::default(),
    };
    let run = |action: BulkAction| {
        let core = core.clone();
        async move {
            let plan = core
                .bulk_plan(&BulkRequest::Change {
                    selection: selection(),
                    action,
                })
                .unwrap();
            let started = Instant::now();
            let report = core
                .bulk_execute_with(
                    &plan.id,
                    ExecOptions {
                        resync: false,
                        ..ExecOptions::default()
                    },
                    |_| {},
                    CancelToken::new(),
                )
                .await
                .unwrap();
            (plan.to_change, report, started.elapsed())
        }
    };
    run(BulkAction::Disable).await;
    // The snapshot must know they are disabled, or "enable" skips them as unchanged.
    core.sync_panel(&panel.id, |_| {}).await.unwrap();
    let before = sim.stats.requests();
    let (planned, report, took) = run(BulkAction::Enable).await;
    let requests = sim.stats.requests() - before;
    let bulk = sim.stats.route_count("POST /panel/api/clients/bulkEnable");
    println!(
        "bulk enable: {planned} 3x-ui clients in {:.3} s, {} done, {requests} HTTP requests in all \
         ({bulk} bulkEnable), target <= 10",
        secs(took),
        report.counts.done
    );
    assert!(requests <= 10, "{requests} requests");
    assert_eq!(planned as usize, N, "every client is planned");
}

// As in the app and the CLI (see src-tauri/src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        marzban_creates().await;
        xui_enables().await;
    });
}
