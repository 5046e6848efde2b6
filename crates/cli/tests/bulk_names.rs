//! `paneldeck bulk create --dry-run` on Marzban 0.8.4 names the names its server would refuse,
//! quoting its rule, before anything is sent (issue 19: `tm-001` is refused by real 0.4.9 and
//! 0.8.4 servers; the regex is `USERNAME_REGEXP` in app/models/user.py at both tags). Panels
//! are registered by the CLI, so this test needs the OS keyring: run it with `cargo xtask test`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use paneldeck_sim::{SimKind, SimOptions};
use support::{add, paneldeck, text};

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_names_the_refused_names_and_the_rule_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let marz = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            accounts: 0,
            panel_version: Some("0.8.4".into()),
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let name = format!("cli-names-{}", std::process::id());
    add(dir.path(), &marz, &name);
    let d = dir.path().to_owned();
    let stats = marz.stats.clone();
    tokio::task::spawn_blocking(move || {
        let out = paneldeck(
            &d,
            &[
                "bulk",
                "create",
                "--panel",
                &name,
                "--pattern",
                "tm-{001..003}",
                "--dry-run",
            ],
            None,
        );
        let shown = format!("{}{}", text(&out.stdout), text(&out.stderr));
        for refused in ["'tm-001' would be refused", "'tm-002'", "'tm-003'"] {
            assert!(shown.contains(refused), "{refused}: {shown}");
        }
        assert!(
            shown.contains(r"^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+(?:_[a-zA-Z0-9-_@.]+)*$"),
            "the server's rule: {shown}"
        );
        assert!(shown.contains("0 to change, 3 skipped"), "{shown}");
        assert_eq!(stats.route_count("POST /api/user"), 0, "nothing sent");
    })
    .await
    .unwrap();
}
