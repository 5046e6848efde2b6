//! Issue 20 through the CLI: a colleague extends an account on the panel after our sync (here
//! another profile, as another admin's tool would); `paneldeck bulk extend --days 30` then
//! lands on the live expiry + 30 days and says what had changed; with `--if-changed skip` the
//! account stays as the colleague left it and is reported. Needs the OS keyring (`cargo
//! xtask test`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use paneldeck_sim::{SimKind, SimOptions};
use serde_json::Value;
use support::{add, ok, paneldeck, text};

const DAY_MS: i64 = 86_400_000;

fn expiry(dir: &Path, key: &str) -> i64 {
    let detail: Value = serde_json::from_str(&ok(&paneldeck(
        dir,
        &["--format", "json", "accounts", "show", key],
        None,
    )))
    .unwrap();
    detail["account"]["expiresAtMs"]
        .as_i64()
        .unwrap_or_else(|| panic!("an expiry: {detail}"))
}

fn extend(dir: &Path, key: &str, days: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["bulk", "extend", "--days", days, "--key", key];
    args.extend_from_slice(extra);
    let out = paneldeck(dir, &args, None);
    ok(&out);
    (text(&out.stdout), text(&out.stderr))
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_starts_from_the_live_expiry_and_names_the_change() {
    let sim = paneldeck_sim::start_local(
        SimKind::Marzban,
        SimOptions {
            seed: 41,
            accounts: 30,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let (ours, theirs) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let name = format!("live-{}", std::process::id());
    add(ours.path(), &sim, &name);
    add(theirs.path(), &sim, &name);
    let (o, t) = (ours.path().to_owned(), theirs.path().to_owned());
    tokio::task::spawn_blocking(move || {
        ok(&paneldeck(&o, &["sync"], None));
        ok(&paneldeck(&t, &["sync"], None));
        let rows: Vec<Value> = serde_json::from_str(&ok(&paneldeck(
            &o,
            &["--format", "json", "accounts", "list", "--status", "active"],
            None,
        )))
        .unwrap();
        let row = rows
            .iter()
            .find(|r| r["expiresAtMs"].is_i64())
            .expect("an active user with an expiry");
        let key = format!("{name}:{}", row["key"]["nativeId"].as_str().unwrap());
        let seen = expiry(&o, &key);

        // The colleague adds 5 days; our snapshot still says `seen`.
        extend(&t, &key, "5", &[]);
        let (_, said) = extend(&o, &key, "30", &[]);
        // Read back into our snapshot without a sync.
        assert_eq!(expiry(&o, &key), seen + 35 * DAY_MS, "live + 30 days");
        assert!(
            said.contains("applied to the live value")
                && said.contains("changed on the panel since the preview: expiry was"),
            "{said}"
        );

        // Again, with the skip policy: left as the colleague left it, and reported.
        extend(&t, &key, "2", &[]);
        let (table, said) = extend(&o, &key, "30", &["--if-changed", "skip"]);
        assert!(said.contains("skipped:"), "{said}");
        assert!(table.contains(&name), "{table}");
        ok(&paneldeck(&t, &["sync"], None));
        assert_eq!(expiry(&t, &key), seen + 37 * DAY_MS, "untouched");
    })
    .await
    .unwrap();
}
