//! `paneldeck import` with imperfect files: a bad row makes the exit status non-zero and a real
//! import write nothing unless `--skip-bad-rows`; UTF-16 files (Windows "Unicode" text) are
//! read. Needs the OS keyring, like the other CLI tests (`cargo xtask test`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use paneldeck_sim::{SimKind, SimOptions};
use support::{add, ok, paneldeck, text};

fn names(dir: &Path) -> Vec<String> {
    let out = ok(&paneldeck(
        dir,
        &["--format", "json", "accounts", "list"],
        None,
    ));
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut names: Vec<String> = list["items"]
        .as_array()
        .or_else(|| list.as_array())
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_row_fails_the_import_and_writes_nothing_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let sim = paneldeck_sim::start_local(
        SimKind::Userpass,
        SimOptions {
            accounts: 0,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let panel = format!("import-{}", std::process::id());
    add(dir.path(), &sim, &panel);
    let d = dir.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let csv = d.join("subs.csv");
        std::fs::write(&csv, "name,limit_bytes\ngood1,1000\nbad,lots\ngood2,2000\n").unwrap();
        let file = csv.to_str().unwrap();
        let import = |extra: &[&str]| {
            let mut args = vec!["import", file, "--panel", &panel];
            args.extend_from_slice(extra);
            paneldeck(&d, &args, None)
        };
        for extra in [&["--dry-run"][..], &[]] {
            let out = import(extra);
            assert!(!out.status.success(), "{extra:?}: {}", text(&out.stdout));
            assert!(
                text(&out.stderr).contains("line 3"),
                "{}",
                text(&out.stderr)
            );
        }
        ok(&paneldeck(&d, &["sync"], None));
        assert!(names(&d).is_empty(), "{:?}", names(&d));

        let out = import(&["--skip-bad-rows"]);
        assert!(!out.status.success(), "the bad row still fails the run");
        ok(&paneldeck(&d, &["sync"], None));
        assert_eq!(names(&d), ["good1", "good2"]);

        // The same kind of file saved as UTF-16 with its byte order mark.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("name\nгость\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        std::fs::write(&csv, utf16).unwrap();
        ok(&import(&[]));
        ok(&paneldeck(&d, &["sync"], None));
        assert_eq!(names(&d), ["good1", "good2", "гость"]);
    })
    .await
    .unwrap();
}
