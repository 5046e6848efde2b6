//! `cargo bench -p paneldeck-core --bench sync`: syncs 4 simulated panels of 25,000 accounts
//! each, with 30 ms of latency on every request, once with the default concurrency and once
//! one request at a time, and prints both times, the speed-up, the theoretical floor for the
//! default concurrency (requests ÷ concurrency × latency per panel, panels in parallel) and
//! how close the run came to it. A first sync warms the process up (its time is printed too).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use paneldeck_core::{
    accounts::{sync::DEFAULT_CONCURRENCY, SyncEvent, SyncOptions},
    secrets::MemoryStore,
    CredentialsInput, PanelInput, Paneldeck, Profile,
};
use paneldeck_sim::{FaultConfig, RunningSim, SimKind, SimOptions};

const ACCOUNTS: usize = 25_000;
const LATENCY: Duration = Duration::from_millis(30);
const KINDS: [SimKind; 4] = [
    SimKind::Xui,
    SimKind::Marzban,
    SimKind::Userpass,
    SimKind::Pterodactyl,
];

fn credentials(sim: &RunningSim) -> CredentialsInput {
    paneldeck_core::demo::sim_credentials(sim, None).unwrap()
}

async fn profile(sims: &[RunningSim]) -> (Paneldeck, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let core = Paneldeck::open(
        Profile::at(dir.path()).unwrap(),
        Arc::new(MemoryStore::default()),
    )
    .unwrap();
    for sim in sims {
        let input = PanelInput {
            name: format!("{:?}", sim.kind),
            base_url: sim.url(),
            color: "#336699".into(),
            tag: String::new(),
            pinned_cert: None,
            credentials: credentials(sim),
        };
        core.add_panel(input, false).await.unwrap();
    }
    (core, dir)
}

/// Syncs on a fresh profile; returns the wall time and the requests each simulator served.
async fn run(sims: &[RunningSim], opts: SyncOptions) -> (Duration, Vec<u64>) {
    let (core, _dir) = profile(sims).await;
    let before: Vec<u64> = sims.iter().map(|s| s.stats.requests()).collect();
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    // When each panel's last page arrived and when its snapshot was written.
    let marks: Mutex<HashMap<String, (Duration, Duration)>> = Mutex::default();
    let health = core
        .sync_all_with(opts, |e| {
            let mut m = marks.lock().unwrap();
            let entry = m.entry(e.panel_id().0.clone()).or_default();
            match e {
                SyncEvent::Progress { .. } => entry.0 = start.elapsed(),
                SyncEvent::Finished { .. } => entry.1 = start.elapsed(),
                _ => {}
            }
        })
        .await;
    let took = start.elapsed();
    let cpu_after = cpu_seconds();
    println!(
        "    CPU used: simulators {:.1} s, client {:.1} s (wall {:.1} s)",
        cpu_after.0 - cpu_before.0,
        cpu_after.1 - cpu_before.1,
        took.as_secs_f64()
    );
    let marks = marks.into_inner().unwrap();
    for h in &health {
        let (fetched, written) = marks.get(&h.panel_id.0).copied().unwrap_or_default();
        println!(
            "    {:<12} fetched at {:>6.0} ms, written at {:>6.0} ms",
            h.panel_name,
            fetched.as_secs_f64() * 1e3,
            written.as_secs_f64() * 1e3
        );
    }
    for h in &health {
        assert!(
            h.last_error.is_none(),
            "{} failed: {:?}",
            h.panel_name,
            h.last_error
        );
        assert_eq!(h.account_count, ACCOUNTS as u64, "{}", h.panel_name);
    }
    let requests = sims
        .iter()
        .zip(before)
        .map(|(s, b)| s.stats.requests() - b)
        .collect();
    (took, requests)
}

/// CPU seconds (user + system) this process's threads have used, split into the simulators'
/// threads and the rest (the client), from /proc on Linux; zeros elsewhere.
fn cpu_seconds() -> (f64, f64) {
    let (mut sims, mut client) = (0.0, 0.0);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0.0, 0.0);
    };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        // utime and stime are fields 14 and 15 of the line, 11 and 12 after the name.
        let secs = (ticks(11) + ticks(12)) / 100.0;
        if name.starts_with("simulator") {
            sims += secs;
        } else {
            client += secs;
        }
    }
    (sims, client)
}

// As in the app and the CLI (see src-tauri/src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // The simulators stand for remote servers: they get their own threads, so their work
    // does not stall the client's runtime (nor the other way round).
    let servers = tokio::runtime::Builder::new_multi_thread()
        .thread_name("simulator")
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let seeding = Instant::now();
        let mut sims = Vec::new();
        for (i, kind) in KINDS.into_iter().enumerate() {
            let opts = SimOptions {
                seed: 42 + i as u64,
                accounts: ACCOUNTS,
                // Pterodactyl: 100 servers of 250 subusers; 3x-ui: 5 inbounds.
                groups: if kind == SimKind::Pterodactyl { 100 } else { 5 },
                faults: FaultConfig {
                    latency: LATENCY,
                    ..FaultConfig::default()
                },
                rate_limit: 100_000,
                ..SimOptions::default()
            };
            sims.push(
                servers
                    .spawn(paneldeck_sim::start_local(kind, opts))
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        println!(
            "seeded 4 simulators x {ACCOUNTS} accounts in {:.1} s",
            seeding.elapsed().as_secs_f64()
        );

        // The first sync of a process also grows its heap: on this kind of VM, fresh memory
        // (zeroed 2 MiB pages) costs about 0.4 s of CPU for the ~250 MB a full sync touches.
        // It is timed and shown, but the figures below are from the next sync, as a
        // long-running app's periodic refresh would see it.
        println!("first sync of the process (warm-up):");
        let (first, _) = run(&sims, SyncOptions::default()).await;
        println!("default concurrency:");
        let (concurrent, requests) = run(&sims, SyncOptions::default()).await;
        println!("one request at a time:");
        let (sequential, _) = run(&sims, SyncOptions::sequential()).await;

        let per_panel_floor: Vec<Duration> = requests
            .iter()
            .map(|r| LATENCY.mul_f64(*r as f64 / DEFAULT_CONCURRENCY as f64))
            .collect();
        let floor = per_panel_floor.iter().max().copied().unwrap_or_default();
        println!(
            "latency {} ms per request, default concurrency {DEFAULT_CONCURRENCY} per panel",
            LATENCY.as_millis()
        );
        for ((sim, r), f) in sims.iter().zip(&requests).zip(&per_panel_floor) {
            println!(
                "  {:<12} {r:>4} requests, floor {:>6.0} ms",
                format!("{:?}", sim.kind),
                f.as_secs_f64() * 1e3
            );
        }
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "first sync of the process: {:>8.0} ms ({:.2} x floor)",
            ms(first),
            ms(first) / ms(floor)
        );
        println!("sync, default concurrency : {:>8.0} ms", ms(concurrent));
        println!("sync, one request at a time: {:>8.0} ms", ms(sequential));
        println!(
            "speed-up (sequential / concurrent): {:.1}x (target >= 5x)",
            ms(sequential) / ms(concurrent)
        );
        println!(
            "floor (max over panels of requests / concurrency x latency): {:.0} ms",
            ms(floor)
        );
        println!(
            "concurrent / floor: {:.2} (target <= 2)",
            ms(concurrent) / ms(floor)
        );
    });
}
