//! Export round trip against the four simulators (synced into a temporary profile): CSV and
//! JSON read back into the very records exported (credentials included), writing them again
//! gives byte-identical files; without "include credentials" no secret reaches the file; files
//! are written atomically.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::collections::BTreeSet;

use accounts_support::world;
use paneldeck_core::{
    accounts::{snapshot, AccountKey, AccountQuery, AccountStatus, Selection, SortColumn},
    files::write_atomic,
    jobs::Job,
    transfer::{
        export::{to_bytes, write_file},
        parse_bytes, AccountRecord, ExportFormat, ExportOptions,
    },
};
use paneldeck_panels::PanelKind;

fn opts(format: ExportFormat, include_credentials: bool) -> ExportOptions {
    ExportOptions {
        format,
        include_credentials,
        raw_csv: false,
    }
}

#[tokio::test]
async fn csv_and_json_exports_read_back_identically_and_rewrite_byte_for_byte() {
    let w = world(40).await;
    w.core.sync_all(|_| {}).await;
    let records = w.core.export_records(&Selection::All, true).unwrap();
    assert_eq!(records.len(), 160);
    // Every kind carries its secrets.
    let of = |k: PanelKind| records.iter().filter(move |r| r.kind == Some(k));
    assert!(of(PanelKind::Xui).all(|r| r.uuid.is_some() || r.password.is_some()));
    assert!(of(PanelKind::Xui).any(|r| r.sub_id.is_some()));
    assert!(of(PanelKind::Marzban).all(|r| r.subscription_url.is_some()));
    assert!(of(PanelKind::Marzban).any(|r| r.uuid.is_some()));
    assert!(of(PanelKind::Userpass).all(|r| r.password.is_some()));
    assert!(of(PanelKind::Pterodactyl).all(|r| !r.servers.is_empty()));

    let dir = tempfile::tempdir().unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let path = dir.path().join(format!("accounts.{format:?}"));
        let summary = w
            .core
            .export_accounts(&Selection::All, opts(format, true), &path)
            .unwrap();
        assert_eq!(summary.accounts, 160);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(summary.bytes, bytes.len() as u64);
        let parsed = parse_bytes(&bytes);
        assert!(parsed.errors.is_empty(), "{format:?}: {:?}", parsed.errors);
        let back: Vec<AccountRecord> = parsed.rows.into_iter().map(|r| r.record()).collect();
        assert_eq!(back.len(), records.len());
        for (a, b) in records.iter().zip(&back) {
            assert_eq!(a, b, "{format:?}");
        }
        let again = to_bytes(&back, opts(format, true)).unwrap();
        assert!(again == bytes, "{format:?}: re-export differs");
    }
}

#[tokio::test]
async fn secrets_stay_out_unless_asked_for_and_selections_narrow_the_export() {
    let w = world(20).await;
    w.core.sync_all(|_| {}).await;
    let with = w.core.export_records(&Selection::All, true).unwrap();
    let secrets: Vec<String> = with
        .iter()
        .flat_map(|r| {
            [
                r.uuid.clone(),
                r.password.clone(),
                r.sub_id.clone(),
                r.subscription_url.clone(),
                r.vmess_uuid.clone(),
            ]
        })
        .flatten()
        .collect();
    assert!(secrets.len() > 40);
    let dir = tempfile::tempdir().unwrap();
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let path = dir.path().join(format!("plain.{format:?}"));
        w.core
            .export_accounts(&Selection::All, opts(format, false), &path)
            .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{format:?} leaks a secret");
        }
        let parsed = parse_bytes(text.as_bytes());
        assert!(parsed.rows.iter().all(|r| !r.record().has_credentials()));
        assert_eq!(parsed.rows.len(), 80);
    }
    // A panel, a query, keys.
    let xui = w.panels.iter().find(|p| p.kind == PanelKind::Xui).unwrap();
    let by_panel = w
        .core
        .export_records(
            &Selection::Panel {
                panel_id: xui.id.clone(),
            },
            false,
        )
        .unwrap();
    assert_eq!(by_panel.len(), 20);
    assert!(by_panel
        .iter()
        .all(|r| r.panel.as_deref() == Some(xui.name.as_str())));
    let query = AccountQuery {
        kinds: vec![PanelKind::Marzban],
        ..AccountQuery::default()
    };
    let by_query = w
        .core
        .export_records(
            &Selection::Query {
                query: query.clone(),
            },
            false,
        )
        .unwrap();
    assert_eq!(by_query.len(), 20);
    assert!(by_query.iter().all(|r| r.kind == Some(PanelKind::Marzban)));
    let keys = w.core.query_keys(&query).unwrap();
    let by_keys = w
        .core
        .export_records(
            &Selection::Keys {
                keys: keys[..3].to_vec(),
            },
            false,
        )
        .unwrap();
    assert_eq!(by_keys.len(), 3);
}

/// Every selection takes exactly the accounts the table shows for it: a query is resolved
/// by the table's own engine, a panel and "all" are the table's unfiltered matches.
#[tokio::test]
async fn selections_export_what_the_table_shows() {
    let w = world(40).await;
    w.core.sync_all(|_| {}).await;
    let keys_of = |selection: &Selection| -> BTreeSet<AccountKey> {
        let loaded = w.core.load_selection(selection).unwrap();
        let records = w.core.export_records(selection, false).unwrap();
        assert_eq!(records.len(), loaded.len());
        loaded.into_iter().map(|s| s.account.key).collect()
    };
    let table = |q: &AccountQuery| -> BTreeSet<AccountKey> {
        let page = w
            .core
            .query_accounts(&AccountQuery {
                limit: 1000,
                ..q.clone()
            })
            .unwrap();
        page.rows.into_iter().map(|r| r.key).collect()
    };
    let queries = [
        AccountQuery {
            search: "a e".into(),
            ..AccountQuery::default()
        },
        AccountQuery {
            statuses: vec![AccountStatus::Active, AccountStatus::Expired],
            sort: SortColumn::Used,
            descending: true,
            offset: 30,
            limit: 5,
            ..AccountQuery::default()
        },
        AccountQuery {
            depleted: true,
            online: Some(false),
            ..AccountQuery::default()
        },
        AccountQuery {
            expiring_within_days: Some(30),
            protocol: Some("vless".into()),
            ..AccountQuery::default()
        },
    ];
    for query in queries {
        let whole = AccountQuery {
            offset: 0,
            ..query.clone()
        };
        assert_eq!(
            keys_of(&Selection::Query { query }),
            table(&whole),
            "{whole:?}"
        );
    }
    assert_eq!(keys_of(&Selection::All), table(&AccountQuery::default()));
    let panel_id = w.panels[0].id.clone();
    let one_panel = AccountQuery {
        panel_ids: vec![panel_id.clone()],
        ..AccountQuery::default()
    };
    assert_eq!(keys_of(&Selection::Panel { panel_id }), table(&one_panel));
}

#[test]
fn files_are_replaced_whole_or_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    std::fs::write(&path, b"old content").unwrap();
    // A writer failing half-way leaves the old file and no temporary file behind.
    let err = write_atomic(&path, |w| {
        w.write_all(b"half of the new")?;
        Err(std::io::Error::other("disk full"))
    });
    assert!(err.is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"old content");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left");
    // A successful write replaces it whole.
    let records = vec![AccountRecord {
        name: "a".into(),
        ..AccountRecord::default()
    }];
    let n = write_file(
        &records,
        opts(ExportFormat::Csv, false),
        &path,
        &mut Job::quiet(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(n, text.len() as u64);
    assert!(text.starts_with("panel,kind,name,"));
    // A folder that does not exist: an error naming it, nothing created.
    let missing = dir.path().join("nope").join("out.csv");
    let e = write_file(
        &records,
        opts(ExportFormat::Json, false),
        &missing,
        &mut Job::quiet(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
}

/// Syncs, rewrites the snapshot as a profile upgraded from schema 6 holds it until its next
/// sync (`downgrade` gets the database and the number of accounts), and checks that the
/// export reads the same records as before.
async fn reads_the_same_after(downgrade: impl FnOnce(&rusqlite::Connection, usize)) {
    let w = world(20).await;
    w.core.sync_all(|_| {}).await;
    let fresh = w.core.export_records(&Selection::All, true).unwrap();
    let db = rusqlite::Connection::open(w.core.profile().database_path()).unwrap();
    downgrade(&db, fresh.len());
    let upgraded = w.core.export_records(&Selection::All, true).unwrap();
    assert_eq!(upgraded, fresh);
}

#[tokio::test]
async fn snapshots_synced_before_the_bits_column_read_the_same_from_raw_records() {
    reads_the_same_after(|db, accounts| {
        let cleared = db.execute("UPDATE accounts SET bits = NULL", []).unwrap();
        assert_eq!(cleared, accounts);
    })
    .await;
}

#[tokio::test]
async fn accounts_stored_as_json_before_the_compact_encoding_read_the_same() {
    reads_the_same_after(|db, accounts| {
        let stored: Vec<(i64, Vec<u8>)> = db
            .prepare("SELECT rowid, account FROM accounts")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(stored.len(), accounts);
        for (rowid, blob) in stored {
            let account = snapshot::decode_account(rusqlite::types::ValueRef::Blob(&blob)).unwrap();
            let json = serde_json::to_string(&account).unwrap();
            db.execute(
                "UPDATE accounts SET account = ?1 WHERE rowid = ?2",
                rusqlite::params![json, rowid],
            )
            .unwrap();
        }
    })
    .await;
}
