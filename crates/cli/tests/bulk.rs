//! `paneldeck bulk` end to end: `--dry-run` prints the plan and sends nothing, a run creates
//! the planned accounts with the result per panel, a selection by filter disables exactly the
//! matching accounts, a name the panel would refuse is skipped before anything is sent, and
//! `bulk history` / `bulk export` show the journal. Panels are registered by the CLI,
//! so these tests need the OS keyring: run them with `cargo xtask test`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use paneldeck_sim::{SimKind, SimOptions};
use serde_json::Value;
use support::{add, ok, paneldeck};

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_run_filter_failures_retry_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let marz = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 31,
            accounts: 6,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let name = format!("cli-bulk-{}", std::process::id());
    add(dir.path(), &marz, &name);
    let d = dir.path().to_owned();
    let stats = marz.stats.clone();
    let n = name.clone();
    tokio::task::spawn_blocking(move || {
        let create = |extra: &[&str]| {
            let mut args = vec![
                "bulk",
                "create",
                "--panel",
                &n,
                "--pattern",
                "cli-{01..30}",
                "--limit-gib",
                "2",
            ];
            args.extend_from_slice(extra);
            paneldeck(&d, &args, None)
        };
        // Dry run: the plan, nothing sent.
        let plan = ok(&create(&["--dry-run"]));
        assert!(plan.contains("Create 30 accounts"), "{plan}");
        assert!(plan.contains("cli-01") && plan.contains("cli-30"), "{plan}");
        assert_eq!(stats.route_count("POST /api/user"), 0);

        // The run: 30 created, reported per panel.
        let out = ok(&create(&[]));
        assert!(out.contains("PANEL") && out.contains(&n), "{out}");
        assert_eq!(stats.route_count("POST /api/user"), 30);

        // Select by filter: the 30 new accounts (search), disabled.
        ok(&paneldeck(&d, &["sync"], None));
        let out = ok(&paneldeck(
            &d,
            &["--format", "json", "bulk", "disable", "--search", "cli-"],
            None,
        ));
        let report: Value =
            serde_json::from_str(&out[out.find("{\n  \"opId\"").unwrap()..]).unwrap();
        assert_eq!(report["counts"]["done"], 30, "{report}");
        let rows: Vec<Value> = serde_json::from_str(&ok(&paneldeck(
            &d,
            &[
                "--format", "json", "accounts", "list", "--status", "disabled", "--search", "cli-",
            ],
            None,
        )))
        .unwrap();
        assert_eq!(rows.len(), 30);

        // A selection with no filter is refused unless --all.
        assert!(!paneldeck(&d, &["bulk", "enable", "--dry-run"], None)
            .status
            .success());

        // A name Marzban's own rule refuses (two letters) is skipped in the plan, quoting the
        // rule, and never sent (issue 19); the other name is created.
        let before = stats.route_count("POST /api/user");
        let out = ok(&paneldeck(
            &d,
            &[
                "bulk",
                "create",
                "--panel",
                &n,
                "--name",
                "ok_name_1",
                "--name",
                "xy",
            ],
            None,
        ));
        assert!(out.contains("'xy' would be refused"), "{out}");
        assert_eq!(stats.route_count("POST /api/user"), before + 1);
        let history: Vec<Value> = serde_json::from_str(&ok(&paneldeck(
            &d,
            &["--format", "json", "bulk", "history"],
            None,
        )))
        .unwrap();
        assert_eq!(history.len(), 3);
        let op = history[0]["opId"].as_str().unwrap().to_owned();
        assert_eq!(history[0]["counts"]["failed"], 0);
        assert_eq!(history[0]["counts"]["skipped"], 1);
        assert_eq!(history[0]["actor"].as_str().map(str::is_empty), Some(false));
        // Nothing failed, so `bulk retry` sends nothing.
        ok(&paneldeck(&d, &["bulk", "retry", &op], None));
        assert_eq!(stats.route_count("POST /api/user"), before + 1);

        let csv = ok(&paneldeck(
            &d,
            &["bulk", "export", &op, "--to", "csv"],
            None,
        ));
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(
            csv.lines()
                .any(|l| l.contains("xy") && l.contains(",skipped,")),
            "{csv}"
        );
    })
    .await
    .unwrap();
}
