//! `cargo bench -p paneldeck-cli --bench live_writes` (needs the OS keyring: `cargo xtask
//! bench` runs it in a private one). Issue 20's ratios, end to end through the CLI binary, on
//! a simulated Marzban 0.8.4 with 20,000 users and 30 ms of latency per request:
//!
//! 1. `paneldeck bulk extend --days 30 --key …` on one account (it is read live, written,
//!    and read back) against `paneldeck sync` of the whole panel: target under 1/4.
//! 2. `paneldeck bulk create` of 200 accounts against the panel's own floor: the larger of
//!    the simulator's time for the same 200 creates with no latency (fired straight from a
//!    client, 16 in flight), and 200 ÷ 16 × the round trip. Target within 1.5×.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use paneldeck_core::{connect::PanelClient, secrets::MemoryStore, Paneldeck, Profile};
use paneldeck_panels::marzban::{ProxySettings, ProxyType, UserCreate};
use paneldeck_sim::{FaultConfig, RunningSim, SimKind, SimOptions};
use support::{add, ok, paneldeck};

const ACCOUNTS: usize = 20_000;
const LATENCY: Duration = Duration::from_millis(30);
const CREATES: usize = 200;
const CONCURRENCY: usize = 16;

async fn marzban(latency: Duration, accounts: usize) -> RunningSim {
    let opts = SimOptions {
        seed: 20,
        accounts,
        faults: FaultConfig {
            latency,
            ..FaultConfig::default()
        },
        ..SimOptions::default()
    };
    paneldeck_sim::start_local(SimKind::Marzban, opts)
        .await
        .unwrap()
}

/// The CLI's run of `args`, timed (process start included, as a user waits for it).
fn timed(dir: &std::path::Path, args: &[&str]) -> (String, Duration) {
    let started = Instant::now();
    let out = ok(&paneldeck(dir, args, None));
    (out, started.elapsed())
}

/// The simulator alone: 200 creates with no latency, CONCURRENCY in flight, no journal.
async fn bare_creates() -> Duration {
    let sim = marzban(Duration::ZERO, ACCOUNTS).await;
    let dir = tempfile::tempdir().unwrap();
    let core = Paneldeck::open(
        Profile::at(dir.path()).unwrap(),
        std::sync::Arc::new(MemoryStore::default()),
    )
    .unwrap();
    let panel = core
        .add_panel(
            paneldeck_core::registry::PanelInput {
                name: "bare".into(),
                base_url: sim.url(),
                color: "#000000".into(),
                tag: String::new(),
                pinned_cert: None,
                credentials: paneldeck_core::demo::sim_credentials(&sim, None).unwrap(),
            },
            false,
        )
        .await
        .unwrap();
    let PanelClient::Marzban(client) = core.client(&panel).unwrap() else {
        panic!("marzban")
    };
    let started = Instant::now();
    let done: Vec<bool> = futures::stream::iter(0..CREATES)
        .map(|i| {
            let client = &client;
            async move {
                let mut u = UserCreate {
                    username: format!("bare_{i:03}"),
                    data_limit_bytes: Some(1 << 30),
                    ..UserCreate::default()
                };
                u.proxies.insert(ProxyType::Vless, ProxySettings::default());
                client.add_user(&u).await.is_ok()
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    assert!(done.iter().all(|ok| *ok));
    started.elapsed()
}

async fn bench() {
    let floor_bare = bare_creates().await;
    let sim = marzban(LATENCY, ACCOUNTS).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_owned();
    add(&d, &sim, "bench");
    let stats = sim.stats.clone();
    let (sync, one, creates, reads, planning, engine) = tokio::task::spawn_blocking(move || {
        timed(&d, &["sync"]);
        let (_, sync) = timed(&d, &["sync"]);
        let (list, _) = timed(
            &d,
            &["--format", "json", "accounts", "list", "--limit", "200"],
        );
        let rows: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
        let row = rows
            .iter()
            .find(|r| r["expiresAtMs"].is_i64() && r["status"] == "active")
            .expect("an active account with an expiry");
        let key = format!("bench:{}", row["key"]["nativeId"].as_str().unwrap());
        let before = stats.requests();
        let (_, one) = timed(&d, &["bulk", "extend", "--days", "30", "--key", &key]);
        let reads = stats.requests() - before;
        let create = |pattern: &str, extra: &[&str]| {
            let mut args = vec!["--format", "json", "bulk", "create", "--panel", "bench"];
            args.extend(["--pattern", pattern, "--limit-gib", "1"]);
            args.extend_from_slice(extra);
            timed(&d, &args)
        };
        // The same command planning only: what the CLI costs before the first request.
        let (_, planning) = create("plan-{001..200}", &["--dry-run"]);
        let (out, creates) = create("bench-{001..200}", &[]);
        let report: serde_json::Value =
            serde_json::from_str(&out[out.find("{\n  \"opId\"").unwrap()..]).unwrap();
        let engine = Duration::from_millis(report["tookMs"].as_u64().unwrap());
        (sync, one, creates, reads, planning, engine)
    })
    .await
    .unwrap();
    let rtt = LATENCY.as_secs_f64();
    let floor_rtt = CREATES as f64 / CONCURRENCY as f64 * rtt;
    let floor = floor_bare.as_secs_f64().max(floor_rtt);
    println!(
        "live writes: Marzban 0.8.4, {ACCOUNTS} users, {} ms latency, through the CLI",
        LATENCY.as_millis()
    );
    println!(
        "  one-account extend {:.2} s ({reads} requests) vs full sync {:.2} s: {:.2} (target < 0.25)",
        one.as_secs_f64(),
        sync.as_secs_f64(),
        one.as_secs_f64() / sync.as_secs_f64()
    );
    println!(
        "  {CREATES} creates {:.2} s vs floor {:.2} s (bare {:.2} s, {CREATES}/{CONCURRENCY} x rtt {:.2} s): \
         {:.2}x (target <= 1.5)",
        creates.as_secs_f64(),
        floor,
        floor_bare.as_secs_f64(),
        floor_rtt,
        creates.as_secs_f64() / floor
    );
    println!(
        "    of which: the CLI up to its plan {:.2} s (a --dry-run), the run itself {:.2} s: {:.2}x the floor",
        planning.as_secs_f64(),
        engine.as_secs_f64(),
        engine.as_secs_f64() / floor
    );
}

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench());
}
