//! `paneldeck` against a PasarGuard panel (the simulator, itself checked against a real
//! 5.2.1's transcript): `panels add --kind pasarguard`, then `bulk create` of 50 users gives 50
//! users, each in the panel's groups and with links, none failed. Needs the OS keyring: run
//! with `cargo xtask test`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use paneldeck_sim::SimOptions;
use serde_json::Value;
use support::{add, ok, paneldeck};

#[tokio::test(flavor = "multi_thread")]
async fn bulk_create_gives_fifty_users_with_groups_and_links() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SimOptions {
        accounts: 0,
        ..SimOptions::default()
    };
    let (sim, handle) = paneldeck_sim::pasarguard::start(opts).await.unwrap();
    let name = format!("cli-pg-{}", std::process::id());
    add(dir.path(), &sim, &name);
    let d = dir.path().to_owned();
    let stats = sim.stats.clone();
    let n = name.clone();
    let report = tokio::task::spawn_blocking(move || {
        let args = [
            "--format",
            "json",
            "bulk",
            "create",
            "--panel",
            &n,
            "--pattern",
            "pg-{01..50}",
            "--limit-gib",
            "2",
            "--days",
            "30",
        ];
        let out = ok(&paneldeck(&d, &args, None));
        serde_json::from_str::<Value>(&out[out.find("{\n  \"opId\"").unwrap()..]).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(report["counts"]["done"], 50, "{report}");
    assert_eq!(report["counts"]["failed"], 0, "{report}");
    assert_eq!(stats.route_count("POST /api/user"), 50);
    assert_eq!(handle.user_count(), 50);
    for i in 1..=50 {
        let user = format!("pg-{i:02}");
        // No group chosen: every group of the panel (vless-only and everything).
        assert_eq!(handle.groups(&user), vec![1, 2], "{user}");
        assert_eq!(handle.links(&user).len(), 5, "{user}");
    }
}
