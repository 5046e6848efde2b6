//! `paneldeck migrate` end to end: `--dry-run` prints the plan and writes nothing; the run
//! writes the accounts onto the target through the bulk engine, keeping their UUIDs and
//! passwords, and exits 0; running it again finds nothing to write. Panels are registered by
//! the CLI, so these tests need the OS keyring: run them with `cargo xtask test`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::{collections::HashMap, net::SocketAddr, sync::Arc};

use paneldeck_sim::{xui::XuiSimConfig, SimKind, SimOptions, SimStats};
use serde_json::Value;
use support::{add, ok, paneldeck};

#[tokio::test(flavor = "multi_thread")]
async fn migrate_writes_the_accounts_with_their_uuids_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let marzban = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 35,
            accounts: 12,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let opts = SimOptions {
        seed: 36,
        accounts: 0,
        groups: 3,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let (app, handle) = paneldeck_sim::xui::app_with(&opts, stats.clone(), XuiSimConfig::default());
    let xui = paneldeck_sim::serve(
        SimKind::Xui,
        app,
        &opts,
        stats,
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let from = format!("cli-migrate-from-{}", std::process::id());
    let to = format!("cli-migrate-to-{}", std::process::id());
    add(dir.path(), &marzban, &from);
    add(dir.path(), &xui, &to);
    let d = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        ok(&paneldeck(&d, &["sync"], None));
        // The source's secrets, from its export.
        let export: Value = serde_json::from_str(&ok(&paneldeck(
            &d,
            &[
                "--format",
                "json",
                "export",
                "--with-credentials",
                "--panel",
                &from,
            ],
            None,
        )))
        .unwrap();
        let source: HashMap<String, &Value> = export["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["name"].as_str().unwrap().to_owned(), a))
            .collect();
        assert_eq!(source.len(), 12);

        // Dry run: the plan, nothing written.
        let plan = ok(&paneldeck(
            &d,
            &["migrate", "--from", &from, "--to", &to, "--dry-run"],
            None,
        ));
        assert!(plan.contains("keeps UUID/password"), "{plan}");
        assert!(handle.clients().is_empty());

        // The run: written through the bulk engine, exit 0.
        let out = ok(&paneldeck(
            &d,
            &["migrate", "--from", &from, "--to", &to],
            None,
        ));
        assert!(out.contains(" done, 0 failed"), "{out}");
        let clients = handle.clients();
        assert!(clients.len() >= 8, "{} written\n{out}", clients.len());
        for c in &clients {
            let a = source[&c.email];
            if let Some(uuid) = a["uuid"].as_str() {
                assert_eq!(c.uuid, uuid, "{}", c.email);
            }
            if let Some(password) = a["password"].as_str() {
                assert_eq!(c.password, password, "{}", c.email);
            }
            assert_eq!(
                c.total_bytes,
                a["limit_bytes"].as_i64().unwrap_or(0),
                "{}",
                c.email
            );
        }

        // Again: everything is there now.
        let again = ok(&paneldeck(
            &d,
            &["migrate", "--from", &from, "--to", &to],
            None,
        ));
        assert!(again.contains("nothing to write"), "{again}");
        assert_eq!(handle.clients().len(), clients.len());

        for name in [&from, &to] {
            let _ = paneldeck(&d, &["panels", "remove", name], None);
        }
    })
    .await
    .unwrap();
}

/// `export -o EXISTING` refuses without `--force` and leaves the file as it was (a credentials
/// backup is not silently replaced); with `--force` it is replaced.
#[tokio::test(flavor = "multi_thread")]
async fn export_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let sim = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 41,
            accounts: 4,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let name = format!("cli-export-force-{}", std::process::id());
    add(dir.path(), &sim, &name);
    let d = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        ok(&paneldeck(&d, &["sync"], None));
        let target = d.join("backup.csv");
        std::fs::write(&target, "precious backup\n").unwrap();
        let path = target.to_str().unwrap();

        let refused = paneldeck(&d, &["export", "-o", path], None);
        assert!(!refused.status.success(), "an existing file is refused");
        let stderr = support::text(&refused.stderr);
        assert!(stderr.contains("--force"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            "precious backup\n"
        );

        ok(&paneldeck(&d, &["export", "-o", path, "--force"], None));
        let written = std::fs::read_to_string(&target).unwrap();
        assert!(
            written.lines().count() == 5,
            "a header and 4 accounts:\n{written}"
        );
    })
    .await
    .unwrap();
}

/// A two-panel export imported into one panel plans no creates for the other panel's rows:
/// they are left out, named with their panel, unless `--from-panel` maps them (issue #24).
#[tokio::test(flavor = "multi_thread")]
async fn import_leaves_out_the_rows_of_other_panels() {
    let dir = tempfile::tempdir().unwrap();
    let start = |seed| {
        paneldeck_sim::start_local(
            SimKind::Marzban,
            SimOptions {
                seed,
                accounts: 5,
                ..SimOptions::default()
            },
        )
    };
    let (one, two) = (start(51).await.unwrap(), start(52).await.unwrap());
    let pid = std::process::id();
    let (a, b) = (format!("cli-two-a-{pid}"), format!("cli-two-b-{pid}"));
    add(dir.path(), &one, &a);
    add(dir.path(), &two, &b);
    let d = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        ok(&paneldeck(&d, &["sync"], None));
        let file = d.join("both.csv");
        let path = file.to_str().unwrap();
        ok(&paneldeck(&d, &["export", "-o", path], None));
        let plan = |extra: &[&str]| -> Value {
            let mut args = vec![
                "--format",
                "json",
                "import",
                path,
                "--panel",
                &a,
                "--dry-run",
            ];
            args.extend_from_slice(extra);
            serde_json::from_str(&ok(&paneldeck(&d, &args, None))).unwrap()
        };
        let own = plan(&[]);
        assert_eq!(own["counts"]["create"], 0, "{own}");
        assert_eq!(own["counts"]["unchanged"], 5, "{own}");
        assert_eq!(own["counts"]["conflict"], 5, "{own}");
        let others: Vec<&Value> = own["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["reason"]["code"] == "otherPanel")
            .collect();
        assert_eq!(others.len(), 5, "{own}");
        assert!(others.iter().all(|r| r["reason"]["panel"] == b.as_str()));

        let mapped = plan(&["--from-panel", &b]);
        assert_eq!(mapped["counts"]["create"], 5, "{mapped}");
    })
    .await
    .unwrap();
}
