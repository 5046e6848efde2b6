//! `cargo bench -p paneldeck-core --bench query`: a snapshot of 100,000 accounts (4 simulated
//! panels x 25,000, synced without latency), then search + filter + sort queries timed to their
//! first window.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use paneldeck_core::{
    accounts::{AccountQuery, AccountStatus, SortColumn},
    secrets::MemoryStore,
    CredentialsInput, PanelInput, Paneldeck, Profile,
};
use paneldeck_panels::PanelKind;
use paneldeck_sim::{RunningSim, SimKind, SimOptions};

const ACCOUNTS: usize = 25_000;
const KINDS: [SimKind; 4] = [
    SimKind::Xui,
    SimKind::Marzban,
    SimKind::Userpass,
    SimKind::Pterodactyl,
];
const RUNS: usize = 20;

fn credentials(sim: &RunningSim) -> CredentialsInput {
    paneldeck_core::demo::sim_credentials(sim, None).unwrap()
}

// As in the app and the CLI (see src-tauri/src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let core = Paneldeck::open(
        Profile::at(dir.path()).unwrap(),
        Arc::new(MemoryStore::default()),
    )
    .unwrap();
    let servers = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for (i, kind) in KINDS.into_iter().enumerate() {
            let opts = SimOptions {
                seed: 7 + i as u64,
                accounts: ACCOUNTS,
                groups: if kind == SimKind::Pterodactyl { 100 } else { 5 },
                rate_limit: 100_000,
                ..SimOptions::default()
            };
            let sim = servers
                .spawn(paneldeck_sim::start_local(kind, opts))
                .await
                .unwrap()
                .unwrap();
            let input = PanelInput {
                name: format!("{kind:?}"),
                base_url: sim.url(),
                color: "#336699".into(),
                tag: String::new(),
                pinned_cert: None,
                credentials: credentials(&sim),
            };
            let panel = core.add_panel(input, false).await.unwrap();
            let started = Instant::now();
            let health = core.sync_panel(&panel.id, |_| {}).await.unwrap();
            println!(
                "synced {:?}: {} accounts in {:.0} ms (no latency)",
                kind,
                health.account_count,
                started.elapsed().as_secs_f64() * 1e3
            );
            sim.shutdown().await;
        }
    });
    let total = core
        .query_accounts(&AccountQuery {
            limit: 1,
            ..AccountQuery::default()
        })
        .unwrap()
        .total;
    println!("snapshot: {total} accounts");
    assert_eq!(total, 4 * ACCOUNTS as u64);

    let window = 100;
    let queries: Vec<(&str, AccountQuery)> = vec![
        (
            "no filter, sort by name",
            AccountQuery {
                limit: window,
                ..AccountQuery::default()
            },
        ),
        (
            "search 'a' + status active + sort by used desc",
            AccountQuery {
                search: "a".into(),
                statuses: vec![AccountStatus::Active],
                sort: SortColumn::Used,
                descending: true,
                limit: window,
                ..AccountQuery::default()
            },
        ),
        (
            "search 'user' + kinds xui,marzban + expiring 30 d + sort by expiry",
            AccountQuery {
                search: "user".into(),
                kinds: vec![PanelKind::Xui, PanelKind::Marzban],
                expiring_within_days: Some(30),
                sort: SortColumn::Expiry,
                limit: window,
                ..AccountQuery::default()
            },
        ),
        (
            "search '7' + depleted + sort by status",
            AccountQuery {
                search: "7".into(),
                depleted: true,
                sort: SortColumn::Status,
                limit: window,
                ..AccountQuery::default()
            },
        ),
        (
            "search 'e' + online + protocol vless + sort by last online desc",
            AccountQuery {
                search: "e".into(),
                online: Some(false),
                protocol: Some("vless".into()),
                sort: SortColumn::LastOnline,
                descending: true,
                limit: window,
                ..AccountQuery::default()
            },
        ),
        (
            "search + sort by panel, window at offset 50,000",
            AccountQuery {
                search: "e".into(),
                sort: SortColumn::Panel,
                offset: 50_000,
                limit: window,
                ..AccountQuery::default()
            },
        ),
    ];
    let mut worst = Duration::ZERO;
    for (label, q) in &queries {
        let mut times = Vec::with_capacity(RUNS);
        let mut matched = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let page = core.query_accounts(q).unwrap();
            times.push(start.elapsed());
            matched = page.matched;
        }
        times.sort();
        let median = times[RUNS / 2];
        let max = times[RUNS - 1];
        if q.offset == 0 {
            worst = worst.max(median);
        }
        println!(
            "{label:<66} matched {matched:>6}  median {:>6.2} ms  max {:>6.2} ms",
            median.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    println!(
        "worst median first-window time (offset 0): {:.2} ms (target < 30 ms)",
        worst.as_secs_f64() * 1e3
    );
    // Scrolling: the table asks for the next windows of the same query, down to the end.
    let scroll = AccountQuery {
        limit: window,
        ..AccountQuery::default()
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut offset = window;
    while u64::from(offset) < total {
        let start = Instant::now();
        core.query_accounts(&AccountQuery {
            offset,
            ..scroll.clone()
        })
        .unwrap();
        times.push(start.elapsed());
        offset += 50 * window;
    }
    times.sort();
    println!(
        "scrolling (windows of {window} rows every 5,000 rows, {} windows): slowest {:.2} ms \
         (the first: it sorts the whole order once), median {:.3} ms, second slowest {:.3} ms",
        times.len(),
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times
            .iter()
            .rev()
            .nth(1)
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1e3,
    );
    let start = Instant::now();
    let keys = core
        .query_keys(&AccountQuery {
            search: "a".into(),
            ..AccountQuery::default()
        })
        .unwrap();
    println!(
        "query_keys (search 'a'): {} keys in {:.2} ms",
        keys.len(),
        start.elapsed().as_secs_f64() * 1e3
    );
    let start = Instant::now();
    core.dashboard(paneldeck_core::accounts::model::now_ms())
        .unwrap();
    println!(
        "dashboard over the snapshot: {:.2} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
}
