//! `cargo bench -p paneldeck-core --bench history`:
//!
//! 1. Storage: a 25,000-account panel synced every 15 minutes. Three days are simulated
//!    (288 syncs; each sync some accounts use traffic: a fifth are heavy users, active in
//!    most syncs, the rest light, active in few), which puts the history in its steady
//!    shape: two days of sync points, then hours. Each tier's average point size is measured
//!    (the daily one after rolling those days into days), and the 180-day size extrapolated:
//!    192 sync points + 672 hourly + 150 daily, plus the account table, times the file's
//!    measured overhead over its payload. Target: under 200 MB.
//! 2. Sync overhead: a simulated Marzban with 25,000 users whose traffic grows, 30 ms of
//!    latency per request, synced alternately with history off and on (3 each after a warm-up);
//!    prints the medians and the difference. Target: under 10 %.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/accounts_support/mod.rs"]
mod support;

use std::{collections::HashMap, time::Duration, time::Instant};

use paneldeck_core::{
    history::write::{self, Sample, HOUR_MS},
    registry::PanelId,
    store::Store,
};
use paneldeck_panels::PanelKind;
use paneldeck_sim::{FaultConfig, SimKind, SimOptions};
use rand::{Rng, SeedableRng};

const ACCOUNTS: usize = 25_000;
const SYNCS_PER_DAY: i64 = 96;
const DAY_MS: i64 = 24 * HOUR_MS;
const MB: f64 = 1_000_000.0;

fn storage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let store = Store::open(&path).unwrap();
    store
        .with(|c| {
            c.execute_batch(
                "INSERT INTO panels (id, name, kind, base_url, color, created_at, updated_at)
                 VALUES ('p1', 'big', 'marzban', 'https://big', '#000000', 0, 0);
                 INSERT INTO panel_sync (panel_id, last_sync_ms) VALUES ('p1', 0);",
            )?;
            Ok(())
        })
        .unwrap();
    let panel = PanelId("p1".into());
    let names: Vec<String> = (0..ACCOUNTS).map(|i| format!("user.{i:05}")).collect();
    let raw = r#"{"admin":{"username":"reseller-1"}}"#;
    let mut rng = rand::rngs::StdRng::seed_from_u64(22);
    let mut used = vec![0u64; ACCOUNTS];
    let start = 1_800_000_000_000i64 - 1_800_000_000_000i64 % DAY_MS;
    let step = DAY_MS / SYNCS_PER_DAY;
    let mut write_times = Vec::new();
    for tick in 1..=(3 * SYNCS_PER_DAY) {
        let previous: HashMap<String, u64> =
            names.iter().cloned().zip(used.iter().copied()).collect();
        for (i, u) in used.iter_mut().enumerate() {
            let heavy = i % 5 == 0;
            let (p, max) = if heavy {
                (0.7, 500 << 20)
            } else {
                (0.1, 5 << 20)
            };
            if rng.gen_bool(p) {
                *u += rng.gen_range(10_000..max);
            }
        }
        let samples = names.iter().zip(&used).map(|(n, &u)| Sample {
            native_id: n,
            used_bytes: u,
            group: None,
            raw_json: raw,
        });
        let started = Instant::now();
        store
            .with(|c| {
                write::record(
                    c,
                    &panel,
                    PanelKind::Marzban,
                    Some(&previous),
                    samples,
                    start + tick * step,
                )
            })
            .unwrap();
        write_times.push(started.elapsed());
    }
    let avg = |span: i64| -> f64 {
        store
            .with(|c| {
                Ok(c.query_row(
                    "SELECT AVG(LENGTH(deltas)) FROM usage_points WHERE span_ms = ?1",
                    [span],
                    |r| r.get::<_, Option<f64>>(0),
                )?)
            })
            .unwrap()
            .unwrap_or(0.0)
    };
    let (raw_avg, hourly_avg) = (avg(0), avg(HOUR_MS));
    store
        .with(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?))
        .unwrap();
    let payload: f64 = store
        .with(|c| {
            Ok(c.query_row(
                "SELECT (SELECT SUM(LENGTH(deltas)) FROM usage_points)
                      + (SELECT SUM(LENGTH(native_id) + LENGTH(owner) + 50) FROM usage_accounts)",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let file = std::fs::metadata(&path).unwrap().len() as f64;
    let overhead = file / payload;
    let accounts_table: f64 = store
        .with(|c| {
            Ok(c.query_row(
                "SELECT SUM(LENGTH(native_id) + LENGTH(owner) + 50) FROM usage_accounts",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    // Everything into days: what a day of this traffic costs once rolled up.
    let last = start + 3 * SYNCS_PER_DAY * step;
    store
        .with(|c| {
            let tx = c.transaction()?;
            write::upkeep(&tx, &panel, last + 32 * DAY_MS, 180)?;
            tx.commit()?;
            Ok(())
        })
        .unwrap();
    let daily_avg = avg(DAY_MS);
    let estimate =
        (192.0 * raw_avg + 672.0 * hourly_avg + 150.0 * daily_avg + accounts_table) * overhead;
    write_times.sort();
    println!("history storage, {ACCOUNTS} accounts, a sync every 15 min:");
    println!(
        "  simulated 3 days ({} syncs): file {:.1} MB, payload {:.1} MB, overhead x{overhead:.2}",
        3 * SYNCS_PER_DAY,
        file / MB,
        payload / MB
    );
    println!(
        "  average point: sync {:.1} KB, hourly {:.1} KB, daily {:.1} KB",
        raw_avg / 1e3,
        hourly_avg / 1e3,
        daily_avg / 1e3
    );
    println!(
        "  180 days (192 sync points + 672 hourly + 150 daily): {:.1} MB (target < 200 MB)",
        estimate / MB
    );
    println!(
        "  writing one sync's history: median {:?}, max {:?} (roll-ups included)",
        write_times[write_times.len() / 2],
        write_times[write_times.len() - 1]
    );
}

async fn overhead() {
    let opts = SimOptions {
        seed: 9,
        accounts: ACCOUNTS,
        usage_growth_mib_per_min: 60_000.0,
        faults: FaultConfig {
            latency: Duration::from_millis(30),
            ..FaultConfig::default()
        },
        ..SimOptions::default()
    };
    let sim = paneldeck_sim::start_local(SimKind::Marzban, opts)
        .await
        .unwrap();
    let (core, _dir) = support::open();
    support::add(&core, &sim, "big", "#000001").await;
    core.sync_all(|_| {}).await; // warm-up and baseline
    let (mut off, mut on) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        for (days, times) in [(0, &mut off), (180, &mut on)] {
            core.set_history_retention_days(days).unwrap();
            let started = Instant::now();
            core.sync_all(|_| {}).await;
            times.push(started.elapsed());
        }
    }
    off.sort();
    on.sort();
    let (off, on) = (off[1], on[1]);
    let extra = (on.as_secs_f64() - off.as_secs_f64()) / off.as_secs_f64() * 100.0;
    println!("sync of {ACCOUNTS} accounts (30 ms latency), median of 3:");
    println!("  history off {off:?}, on {on:?}: {extra:+.1} % (target < 10 %)");
}

fn main() {
    storage();
    tokio::runtime::Runtime::new().unwrap().block_on(overhead());
}
