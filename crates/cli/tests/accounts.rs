//! The `paneldeck` binary end to end: add panels (secret on stdin), `sync` with progress on
//! stderr, `accounts list` with filters, sort and table/json/csv output, and a failed sync that
//! leaves the snapshot readable. Panels are registered by the CLI itself, so these tests need
//! the OS keyring: run them with `cargo xtask test` (it provides a Secret Service on Linux).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use paneldeck_sim::{SimKind, SimOptions};
use serde_json::Value;
use support::{add, ok, paneldeck, text};

fn remove(dir: &Path, name: &str) {
    let _ = paneldeck(dir, &["panels", "remove", name], None);
}

fn unique(what: &str) -> String {
    format!("cli-{}-{what}", std::process::id())
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_then_list_with_filters_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let xui = paneldeck_sim::start_local(
        SimKind::Xui,
        SimOptions {
            seed: 11,
            accounts: 25,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let marz = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 12,
            accounts: 15,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let (xui_name, marz_name) = (unique("xui"), unique("marzban"));
    add(dir.path(), &xui, &xui_name);
    add(dir.path(), &marz, &marz_name);
    let d = dir.path().to_owned();
    let (xn, mn) = (xui_name.clone(), marz_name.clone());
    let result = tokio::task::spawn_blocking(move || {
        // Sync: progress on stderr, one result line per panel on stdout.
        let out = paneldeck(&d, &["sync"], None);
        let stdout = ok(&out);
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&format!("{xn}: 25 accounts")), "{stderr}");
        assert!(stderr.contains(&format!("{mn}: 15 accounts")), "{stderr}");
        assert!(stdout.contains(&xn) && stdout.contains("ok"), "{stdout}");

        // JSON: every account, with the fields the table shows.
        let rows: Vec<Value> = serde_json::from_str(&ok(&paneldeck(
            &d,
            &["--format", "json", "accounts", "list"],
            None,
        )))
        .unwrap();
        assert_eq!(rows.len(), 40);
        assert!(rows[0].get("usedBytes").is_some() && rows[0].get("status").is_some());

        // Filters: kind, panel, status, search, limit; sort by usage descending.
        let list = |args: &[&str]| -> Vec<Value> {
            let mut all = vec!["--format", "json", "accounts", "list"];
            all.extend_from_slice(args);
            serde_json::from_str(&ok(&paneldeck(&d, &all, None))).unwrap()
        };
        assert_eq!(list(&["--kind", "marzban"]).len(), 15);
        assert_eq!(list(&["--panel", &xn]).len(), 25);
        let active = list(&["--status", "active"]);
        assert!(active.iter().all(|r| r["status"] == "active"));
        let disabled = list(&[
            "--status", "disabled", "--status", "expired", "--status", "depleted", "--status",
            "on_hold",
        ]);
        assert_eq!(
            active.len() + disabled.len() + list(&["--status", "limited"]).len(),
            40
        );
        let first = rows[0]["name"].as_str().unwrap().to_owned();
        let found = list(&["--search", &first]);
        assert!(found.iter().any(|r| r["name"] == first.as_str()));
        let top = list(&["--sort", "used", "--desc", "--limit", "5"]);
        assert_eq!(top.len(), 5);
        let used: Vec<u64> = top
            .iter()
            .map(|r| r["usedBytes"].as_u64().unwrap())
            .collect();
        assert!(used.windows(2).all(|w| w[0] >= w[1]), "{used:?}");
        let max = rows
            .iter()
            .map(|r| r["usedBytes"].as_u64().unwrap())
            .max()
            .unwrap();
        assert_eq!(used[0], max);

        // CSV through the csv crate: header + one record per account, bytes as numbers.
        let csv_text = ok(&paneldeck(
            &d,
            &["--format", "csv", "accounts", "list", "--kind", "xui"],
            None,
        ));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "panel");
        assert!(headers.iter().any(|h| h == "used_bytes"));
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 25);
        let used_col = headers.iter().position(|h| h == "used_bytes").unwrap();
        assert!(records.iter().all(|r| r[used_col].parse::<u64>().is_ok()));

        // Table: a header and one line per account.
        let table = ok(&paneldeck(&d, &["accounts", "list", "--panel", &mn], None));
        assert!(table.lines().next().unwrap().starts_with("PANEL"));
        assert_eq!(table.lines().count(), 16);

        // One account in full, with its raw record.
        let name = list(&["--panel", &mn])[0]["key"]["nativeId"]
            .as_str()
            .unwrap()
            .to_owned();
        let detail: Value =
            serde_json::from_str(&ok(&paneldeck(&d, &["accounts", "show", &mn, &name], None)))
                .unwrap();
        assert_eq!(detail["raw"]["username"], name.as_str());
        assert_eq!(detail["capabilities"]["canRevokeSubscription"], true);
        // The same account named as one key, `PANEL:ID`, as every command takes it.
        let key = format!("{mn}:{name}");
        let by_key = ok(&paneldeck(&d, &["accounts", "show", &key], None));
        assert_eq!(
            serde_json::from_str::<Value>(&by_key).unwrap()["raw"],
            detail["raw"]
        );
        let bad = paneldeck(&d, &["accounts", "show", &name], None);
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("PANEL:ID"));
    })
    .await;
    remove(dir.path(), &xui_name);
    remove(dir.path(), &marz_name);
    result.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_sync_exits_non_zero_and_the_snapshot_stays_readable() {
    let dir = tempfile::tempdir().unwrap();
    let sim = paneldeck_sim::start_local(
        SimKind::Userpass,
        SimOptions {
            seed: 13,
            accounts: 9,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let name = unique("proxies");
    add(dir.path(), &sim, &name);
    let d = dir.path().to_owned();
    let n = name.clone();
    ok(
        &tokio::task::spawn_blocking(move || paneldeck(&d, &["sync", "--panel", &n], None))
            .await
            .unwrap(),
    );
    sim.shutdown().await;
    let d = dir.path().to_owned();
    let n = name.clone();
    let result = tokio::task::spawn_blocking(move || {
        let out = paneldeck(&d, &["sync", "--panel", &n], None);
        assert!(!out.status.success());
        let stderr = text(&out.stderr);
        assert!(stderr.contains("refused"), "{stderr}");
        let json = paneldeck(&d, &["--format", "json", "sync", "--panel", &n], None);
        assert!(!json.status.success());
        let health: Value =
            serde_json::from_str(text(&json.stdout).split("\n{").next().unwrap()).unwrap();
        assert_eq!(health[0]["lastError"]["code"], "connection_refused");
        assert_eq!(health[0]["accountCount"], 9);
        let rows: Vec<Value> = serde_json::from_str(&ok(&paneldeck(
            &d,
            &["--format", "json", "accounts", "list"],
            None,
        )))
        .unwrap();
        assert_eq!(rows.len(), 9, "the last snapshot is still listed");
    })
    .await;
    remove(dir.path(), &name);
    result.unwrap();
}

/// The CLI logs to the profile's `logs/paneldeck.log`, as the README says, and a sync whose
/// stderr is not a terminal prints plain lines: no cursor escapes, no colours (issue #20).
#[tokio::test(flavor = "multi_thread")]
async fn the_cli_logs_to_the_profile_and_writes_no_escapes_to_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let sim = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 43,
            accounts: 3,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let name = format!("cli-log-{}", std::process::id());
    add(dir.path(), &sim, &name);
    let d = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let out = paneldeck(&d, &["sync"], None);
        ok(&out);
        let stderr = support::text(&out.stderr);
        assert!(stderr.contains("3 accounts"), "{stderr}");
        assert!(!stderr.contains('\x1b'), "escapes in a pipe: {stderr:?}");
        assert!(
            !stderr.contains('\r'),
            "carriage returns in a pipe: {stderr:?}"
        );
        let log = std::fs::read_to_string(d.join("logs").join("paneldeck.log"))
            .expect("the CLI wrote its log");
        assert!(log.contains("panel synced"), "{log}");
    })
    .await
    .unwrap();
}
