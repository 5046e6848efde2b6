//! The table's query over a snapshot of the four simulators: every filter returns exactly the
//! accounts the model says match, every sort column orders both ways (unlimited/never/unknown
//! last), windows are slices of the full order, and counts are right.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts_support;

use std::collections::{BTreeSet, HashMap};

use accounts_support::{all_accounts, world};
use paneldeck_core::accounts::{
    model::now_ms, Account, AccountKey, AccountQuery, AccountRow, AccountStatus, SortColumn,
};
use paneldeck_panels::PanelKind;

fn keys(core: &paneldeck_core::Paneldeck, q: &AccountQuery) -> BTreeSet<AccountKey> {
    let got: BTreeSet<AccountKey> = core.query_keys(q).unwrap().into_iter().collect();
    let page = core
        .query_accounts(&AccountQuery {
            limit: 1000,
            ..q.clone()
        })
        .unwrap();
    assert_eq!(
        page.matched as usize,
        got.len(),
        "count and keys agree for {q:?}"
    );
    assert_eq!(
        page.rows
            .iter()
            .map(|r| r.key.clone())
            .collect::<BTreeSet<_>>(),
        got
    );
    got
}

fn expect(all: &[Account], f: impl Fn(&Account) -> bool) -> BTreeSet<AccountKey> {
    all.iter().filter(|a| f(a)).map(|a| a.key.clone()).collect()
}

fn contains(a: &Account, word: &str) -> bool {
    let w = word.to_lowercase();
    [
        Some(&a.name),
        a.email.as_ref(),
        a.note.as_ref(),
        a.sub_id.as_ref(),
        a.uuid.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|f| f.to_lowercase().contains(&w))
}

#[tokio::test]
async fn every_filter_matches_the_model() {
    let w = world(40).await;
    w.core.sync_all(|_| {}).await;
    let all = all_accounts(&w.core);
    assert_eq!(all.len(), 160);
    let now = now_ms();
    let q = AccountQuery::default;

    // Search: a uuid finds its account; words must all appear; case does not matter.
    let xui = all
        .iter()
        .find(|a| a.kind == PanelKind::Xui && a.uuid.is_some())
        .unwrap();
    let uuid = xui.uuid.clone().unwrap();
    let found = keys(
        &w.core,
        &AccountQuery {
            search: uuid.to_uppercase(),
            ..q()
        },
    );
    assert_eq!(found, expect(&all, |a| contains(a, &uuid)));
    assert!(found.contains(&xui.key));
    let with_note = all
        .iter()
        .find(|a| a.note.as_deref().is_some_and(|n| n.len() > 3))
        .unwrap();
    let word = with_note.note.clone().unwrap()[..3].to_owned();
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                search: word.clone(),
                ..q()
            }
        ),
        expect(&all, |a| contains(a, &word))
    );
    let sub = all.iter().find_map(|a| a.sub_id.clone()).unwrap();
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                search: sub.clone(),
                ..q()
            }
        ),
        expect(&all, |a| contains(a, &sub))
    );
    let two = format!("{} {}", &xui.name[..2], &xui.name[xui.name.len() - 2..]);
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                search: two.clone(),
                ..q()
            }
        ),
        expect(&all, |a| two.split_whitespace().all(|w| contains(a, w)))
    );
    assert!(
        keys(
            &w.core,
            &AccountQuery {
                search: "%".into(),
                ..q()
            }
        )
        .is_empty(),
        "LIKE wildcards are literal"
    );

    // Panel and kind.
    let panel = w.panels[1].id.clone();
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                panel_ids: vec![panel.clone()],
                ..q()
            }
        ),
        expect(&all, |a| a.key.panel_id == panel)
    );
    let kinds = vec![PanelKind::Userpass, PanelKind::Pterodactyl];
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                kinds: kinds.clone(),
                ..q()
            }
        ),
        expect(&all, |a| kinds.contains(&a.kind))
    );

    // Every status, and the data has enough variety for that to mean something.
    let statuses: BTreeSet<AccountStatus> = all.iter().map(|a| a.status_at(now)).collect();
    assert!(statuses.len() >= 4, "{statuses:?}");
    for s in AccountStatus::ALL {
        assert_eq!(
            keys(
                &w.core,
                &AccountQuery {
                    statuses: vec![s],
                    ..q()
                }
            ),
            expect(&all, |a| a.status_at(now) == s),
            "{s:?}"
        );
    }
    let pair = vec![AccountStatus::Expired, AccountStatus::Disabled];
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                statuses: pair.clone(),
                ..q()
            }
        ),
        expect(&all, |a| pair.contains(&a.status_at(now)))
    );

    // Expiring within N days, depleted, online.
    for days in [1, 7, 30, 365] {
        let got = keys(
            &w.core,
            &AccountQuery {
                expiring_within_days: Some(days),
                ..q()
            },
        );
        assert_eq!(
            got,
            expect(&all, |a| a.expires_within(now, days)),
            "{days} days"
        );
    }
    assert!(!expect(&all, |a| a.expires_within(now, 365)).is_empty());
    let depleted = keys(
        &w.core,
        &AccountQuery {
            depleted: true,
            ..q()
        },
    );
    assert_eq!(depleted, expect(&all, Account::is_depleted));
    assert!(!depleted.is_empty());
    let online = keys(
        &w.core,
        &AccountQuery {
            online: Some(true),
            ..q()
        },
    );
    assert_eq!(online, expect(&all, |a| a.online == Some(true)));
    assert!(!online.is_empty());
    assert_eq!(
        keys(
            &w.core,
            &AccountQuery {
                online: Some(false),
                ..q()
            }
        ),
        expect(&all, |a| a.online != Some(true))
    );

    // Group (3x-ui group / Pterodactyl server) and protocol.
    let group = all.iter().find_map(|a| a.group.clone()).unwrap();
    let got = keys(
        &w.core,
        &AccountQuery {
            group: Some(group.to_uppercase()),
            ..q()
        },
    );
    assert_eq!(
        got,
        expect(&all, |a| a
            .group
            .as_deref()
            .is_some_and(|g| g.eq_ignore_ascii_case(&group)))
    );
    assert!(!got.is_empty());
    for proto in ["vless", "vmess", "trojan", "http", "socks5"] {
        let got = keys(
            &w.core,
            &AccountQuery {
                protocol: Some(proto.into()),
                ..q()
            },
        );
        assert_eq!(
            got,
            expect(&all, |a| a.protocols.iter().any(|p| p == proto)),
            "{proto}"
        );
    }

    // Filters combine with AND.
    let combo = AccountQuery {
        kinds: vec![PanelKind::Xui],
        online: Some(false),
        depleted: true,
        ..q()
    };
    assert_eq!(
        keys(&w.core, &combo),
        expect(&all, |a| a.kind == PanelKind::Xui
            && a.online != Some(true)
            && a.is_depleted())
    );
}

type Key = (Option<String>, Option<i128>);

fn sort_key(col: SortColumn, r: &AccountRow, created: &HashMap<AccountKey, Option<i64>>) -> Key {
    let text = |s: &str| (Some(s.to_lowercase()), None);
    let num = |v: Option<i128>| (None, v);
    match col {
        SortColumn::Name => text(&r.name),
        SortColumn::Panel => text(&r.panel_name),
        SortColumn::Kind => text(r.kind.as_str()),
        SortColumn::Status => text(r.status.as_str()),
        SortColumn::Used => num(Some(i128::from(r.used_bytes))),
        SortColumn::Limit => num(r.limit_bytes.map(i128::from)),
        SortColumn::Expiry => num(r.expires_at_ms.map(i128::from)),
        SortColumn::LastOnline => num(r.last_online_ms.map(i128::from)),
        SortColumn::Created => num(created[&r.key].map(i128::from)),
    }
}

fn is_null(k: &Key) -> bool {
    k.0.is_none() && k.1.is_none()
}

#[tokio::test]
async fn every_sort_column_orders_both_ways_and_windows_slice_the_order() {
    let w = world(25).await;
    w.core.sync_all(|_| {}).await;
    let all = all_accounts(&w.core);
    let created: HashMap<AccountKey, Option<i64>> = all
        .iter()
        .map(|a| (a.key.clone(), a.created_at_ms))
        .collect();
    for col in SortColumn::ALL {
        for descending in [false, true] {
            let q = AccountQuery {
                sort: col,
                descending,
                limit: 1000,
                ..AccountQuery::default()
            };
            let rows = w.core.query_accounts(&q).unwrap().rows;
            assert_eq!(rows.len(), 100);
            let ks: Vec<Key> = rows.iter().map(|r| sort_key(col, r, &created)).collect();
            for pair in ks.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if is_null(a) {
                    assert!(
                        is_null(b),
                        "{col:?} desc={descending}: unset values come last"
                    );
                } else if !is_null(b) {
                    let ok = if descending { a >= b } else { a <= b };
                    assert!(ok, "{col:?} desc={descending}: {a:?} then {b:?}");
                }
            }
            let distinct: BTreeSet<&Key> = ks.iter().collect();
            assert!(
                distinct.len() > 1,
                "{col:?}: the data should not be all equal"
            );
            // A window is the same slice of the same order.
            let window = w
                .core
                .query_accounts(&AccountQuery {
                    offset: 37,
                    limit: 11,
                    ..q.clone()
                })
                .unwrap();
            assert_eq!(window.offset, 37);
            assert_eq!(window.matched, 100);
            let expected: Vec<&AccountKey> = rows[37..48].iter().map(|r| &r.key).collect();
            assert_eq!(
                window.rows.iter().map(|r| &r.key).collect::<Vec<_>>(),
                expected,
                "{col:?}"
            );
            // A shift-click range asks for the keys of the same window, no more.
            let range = w
                .core
                .query_key_range(&AccountQuery {
                    offset: 37,
                    limit: 11,
                    ..q.clone()
                })
                .unwrap();
            assert_eq!(range.iter().collect::<Vec<_>>(), expected, "{col:?}");
        }
    }
    // Rows carry the panel's name and colour.
    let row = w
        .core
        .query_accounts(&AccountQuery::default())
        .unwrap()
        .rows
        .remove(0);
    let panel = w.panels.iter().find(|p| p.id == row.key.panel_id).unwrap();
    assert_eq!(
        (row.panel_name.as_str(), row.panel_color.as_str()),
        (panel.name.as_str(), panel.color.as_str())
    );
}

#[test]
fn the_query_deserialises_from_the_ui_in_camel_case_with_defaults() {
    let q: AccountQuery = serde_json::from_value(serde_json::json!({
        "search": "bob", "statuses": ["on_hold", "depleted"], "expiringWithinDays": 7,
        "sort": "lastOnline", "descending": true, "kinds": ["marzban"], "offset": 50, "limit": 25
    }))
    .unwrap();
    assert_eq!(
        q.statuses,
        vec![AccountStatus::OnHold, AccountStatus::Depleted]
    );
    assert_eq!(q.sort, SortColumn::LastOnline);
    assert_eq!(q.expiring_within_days, Some(7));
    assert_eq!((q.offset, q.limit), (50, 25));
    let empty: AccountQuery = serde_json::from_value(serde_json::json!({})).unwrap();
    assert_eq!(empty, AccountQuery::default());
}
