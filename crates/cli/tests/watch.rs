//! `paneldeck watch --once` and `paneldeck report` end to end against a simulated Marzban
//! whose users use traffic as time passes: the first round lists the expiring and depleted
//! accounts, the second none of them again, and after usage grew and another sync the report
//! has points for the panel. Needs the OS keyring, like the other CLI tests (`cargo xtask
//! test` provides one on Linux).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashSet;

use paneldeck_sim::{SimKind, SimOptions};
use serde_json::Value;
use support::{add, ok, paneldeck};

fn events(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn accounts(events: &[Value]) -> HashSet<String> {
    events
        .iter()
        .flat_map(|e| e["accounts"].as_array().cloned().unwrap_or_default())
        .map(|k| k.to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_once_announces_each_event_once_and_report_has_the_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let sim = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 3,
            accounts: 40,
            expiring_soon: 4,
            usage_growth_mib_per_min: 6_000.0,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let name = format!("cli-{}-watch", std::process::id());
    add(dir.path(), &sim, &name);
    let d = dir.path().to_owned();

    let first = events(&ok(&paneldeck(
        &d,
        &["watch", "--once", "--format", "json"],
        None,
    )));
    let code = |e: &Value| e["kind"]["code"].as_str().unwrap_or_default().to_owned();
    let expiring = first
        .iter()
        .find(|e| code(e) == "accountsExpiring")
        .unwrap();
    assert!(expiring["count"].as_u64().unwrap() >= 4, "{expiring}");
    assert_eq!(expiring["kind"]["withinDays"], 3);
    assert!(expiring["text"]
        .as_str()
        .unwrap()
        .contains("expire within 3 days"));
    let depleted = first
        .iter()
        .find(|e| code(e) == "accountsDepleted")
        .unwrap();
    assert!(depleted["count"].as_u64().unwrap() >= 1, "{depleted}");
    assert_eq!(depleted["filter"]["depleted"], true);

    // Traffic keeps growing, so an account may newly cross a line; none of the first
    // round's is announced again.
    let second = events(&ok(&paneldeck(
        &d,
        &["watch", "--once", "--format", "json"],
        None,
    )));
    let again: Vec<_> = accounts(&first)
        .intersection(&accounts(&second))
        .cloned()
        .collect();
    assert!(again.is_empty(), "announced twice: {again:?}");

    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    ok(&paneldeck(&d, &["sync"], None));
    let report: Value = serde_json::from_str(&ok(&paneldeck(
        &d,
        &["report", "--by", "panel", "--days", "7", "--format", "json"],
        None,
    )))
    .unwrap();
    let row = report
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"] == name.as_str())
        .unwrap();
    assert_eq!(row["accounts"], 40);
    let points = row["points"].as_array().unwrap();
    assert!(!points.is_empty(), "{row}");
    assert!(row["usedBytes"].as_u64().unwrap() > 0, "{row}");

    let csv = ok(&paneldeck(
        &d,
        &["report", "--by", "owner", "--days", "7", "--format", "csv"],
        None,
    ));
    assert!(
        csv.starts_with("name,used_bytes,accounts,created,expired,depleted\nadmin,"),
        "{csv}"
    );
}
