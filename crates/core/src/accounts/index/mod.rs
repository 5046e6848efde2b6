//! The table's query in Rust: each panel's snapshot rows are kept in memory (loaded from
//! SQLite on first use and again whenever that panel's `generation` moves, whoever wrote),
//! and search, filters, sort and the window run over them. 100,000 rows answer in a few ms.

use std::{collections::HashMap, sync::Arc};

use paneldeck_panels::PanelKind;
use rusqlite::Connection;

use super::{
    model::{derive_status, AccountKey, AccountStatus, StatusHints},
    query::{AccountPage, AccountQuery, AccountRow, MAX_LIMIT},
};
use crate::{error::Result, registry::PanelId};

mod dashboard;
mod filter;
mod load;
mod order;
mod sort;

use filter::hits;
use load::load;
use order::{first_page, sorted_order, unwindowed, CachedOrder};
use sort::compare;

/// One snapshot row, as the query needs it.
#[derive(Debug, Clone)]
struct Row {
    native_id: String,
    kind: PanelKind,
    name: String,
    name_key: String,
    email: Option<String>,
    enabled: bool,
    hints: StatusHints,
    used_bytes: u64,
    limit_bytes: Option<u64>,
    expires_at_ms: Option<i64>,
    online: Option<bool>,
    last_online_ms: Option<i64>,
    created_at_ms: Option<i64>,
    group: Option<String>,
    /// `,vless,trojan,` (lowercase).
    protocols: String,
    search: String,
}

impl Row {
    fn status(&self, now_ms: i64) -> AccountStatus {
        derive_status(
            self.enabled,
            self.hints,
            self.used_bytes,
            self.limit_bytes,
            self.expires_at_ms,
            now_ms,
        )
    }

    fn depleted(&self) -> bool {
        self.hints.depleted || self.limit_bytes.is_some_and(|l| self.used_bytes >= l)
    }
}

struct PanelRows {
    generation: i64,
    rows: Arc<Vec<Row>>,
}

/// The in-memory copy of the snapshot, per panel.
#[derive(Default)]
pub struct SnapshotIndex {
    panels: std::sync::Mutex<HashMap<String, PanelRows>>,
    /// The full order of the last query that was scrolled, so the next windows are slices.
    order: std::sync::Mutex<Option<CachedOrder>>,
}

/// A panel's name, colour and snapshot generation, read fresh on every query.
struct PanelMeta {
    id: PanelId,
    name: String,
    name_key: String,
    color: String,
    generation: i64,
}

/// Rows that passed the filters: (panel, row).
type Hit<'a> = (&'a PanelMeta, &'a Row);

impl SnapshotIndex {
    /// Brings every panel's rows up to date with the database and runs `f` over them.
    fn with_rows<T>(
        &self,
        conn: &Connection,
        f: impl FnOnce(&[(PanelMeta, Arc<Vec<Row>>)]) -> T,
    ) -> Result<T> {
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.name, p.color, IFNULL(s.generation, 0)
             FROM panels p LEFT JOIN panel_sync s ON s.panel_id = p.id",
        )?;
        let metas = stmt
            .query_map([], |r| {
                let name: String = r.get(1)?;
                Ok(PanelMeta {
                    id: PanelId(r.get(0)?),
                    name_key: name.to_ascii_lowercase(),
                    name,
                    color: r.get(2)?,
                    generation: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut cache = self.panels.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|id, _| metas.iter().any(|m| &m.id.0 == id));
        let mut current = Vec::with_capacity(metas.len());
        for meta in metas {
            let fresh = cache
                .get(&meta.id.0)
                .filter(|c| c.generation == meta.generation)
                .map(|c| c.rows.clone());
            let rows = match fresh {
                Some(rows) => rows,
                None => {
                    let rows = Arc::new(load(conn, &meta.id)?);
                    cache.insert(
                        meta.id.0.clone(),
                        PanelRows {
                            generation: meta.generation,
                            rows: rows.clone(),
                        },
                    );
                    rows
                }
            };
            current.push((meta, rows));
        }
        drop(cache);
        Ok(f(&current))
    }

    /// The window of matching rows in the query's order, and the counts.
    ///
    /// The first window of a query sorts only what it shows. A window further down means
    /// the table is being scrolled: the whole order is sorted once and kept, and the windows
    /// that follow are slices of it, until the snapshot changes or (for a query that depends
    /// on the clock) the clock changes the answer. Sorting 100,000 rows takes a CPU for about
    /// 0.1 s, which a scroll must not pay again every few seconds.
    pub fn page(&self, conn: &Connection, q: &AccountQuery, now_ms: i64) -> Result<AccountPage> {
        self.with_rows(conn, |panels| {
            if q.offset == 0 {
                return first_page(panels, q, now_ms);
            }
            let key = unwindowed(q);
            let generations: Vec<(PanelId, i64)> = panels
                .iter()
                .map(|(m, _)| (m.id.clone(), m.generation))
                .collect();
            let mut cached = self.order.lock().unwrap_or_else(|e| e.into_inner());
            if !cached
                .as_ref()
                .is_some_and(|c| c.serves(&key, &generations, now_ms))
            {
                *cached = Some(sorted_order(panels, key, generations, now_ms));
            }
            let Some(order) = cached.as_ref() else {
                return first_page(panels, q, now_ms);
            };
            let matched = order.hits.len();
            let start = (q.offset as usize).min(matched);
            let end = start
                .saturating_add(q.limit.clamp(1, MAX_LIMIT) as usize)
                .min(matched);
            let rows = order.hits[start..end]
                .iter()
                .filter_map(|&(p, r)| {
                    let (meta, rows) = panels.get(p as usize)?;
                    Some(to_row((meta, rows.get(r as usize)?), now_ms))
                })
                .collect();
            AccountPage {
                rows,
                matched: matched as u64,
                total: order.total,
                offset: q.offset,
            }
        })
    }

    /// Every matching key, in the query's order.
    pub fn keys(
        &self,
        conn: &Connection,
        q: &AccountQuery,
        now_ms: i64,
    ) -> Result<Vec<AccountKey>> {
        self.with_rows(conn, |panels| {
            let (mut hits, _) = hits(panels, q, now_ms);
            hits.sort_unstable_by(|a, b| compare(q.sort, q.descending, now_ms, *a, *b));
            hits.iter()
                .map(|(p, r)| AccountKey {
                    panel_id: p.id.clone(),
                    native_id: r.native_id.clone(),
                })
                .collect()
        })
    }
}

fn to_row((p, r): Hit<'_>, now_ms: i64) -> AccountRow {
    AccountRow {
        key: AccountKey {
            panel_id: p.id.clone(),
            native_id: r.native_id.clone(),
        },
        panel_name: p.name.clone(),
        panel_color: p.color.clone(),
        kind: r.kind,
        name: r.name.clone(),
        email: r.email.clone(),
        status: r.status(now_ms),
        used_bytes: r.used_bytes,
        limit_bytes: r.limit_bytes,
        expires_at_ms: r.expires_at_ms,
        online: r.online,
        last_online_ms: r.last_online_ms,
        group: r.group.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{
        accounts::{model::DAY_MS, query, query::SortColumn},
        demo::Demo,
    };

    /// The SQL query (used by the bulk engine) and the in-memory one agree on every filter
    /// and sort, and so do the two dashboards.
    #[tokio::test]
    async fn sql_and_memory_agree() {
        let demo = Demo::start().await.unwrap();
        let core = demo.paneldeck.clone();
        core.sync_all(|_| {}).await;
        let now = crate::accounts::now_ms();
        let panel = core.list_panels().unwrap()[0].id.clone();
        let mut queries = vec![
            AccountQuery {
                search: "a e".into(),
                ..AccountQuery::default()
            },
            AccountQuery {
                statuses: vec![AccountStatus::Active, AccountStatus::Expired],
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
            AccountQuery {
                panel_ids: vec![panel],
                kinds: vec![PanelKind::Xui],
                ..AccountQuery::default()
            },
        ];
        for sort in SortColumn::ALL {
            for descending in [false, true] {
                queries.push(AccountQuery {
                    sort,
                    descending,
                    offset: 17,
                    limit: 40,
                    ..AccountQuery::default()
                });
            }
        }
        core.store()
            .with(|c| {
                for q in &queries {
                    let mem = core.accounts_index().page(c, q, now)?;
                    let sql = query::page(c, q, now)?;
                    assert_eq!(mem, sql, "{q:?}");
                    assert_eq!(
                        core.accounts_index().keys(c, q, now)?,
                        query::keys(c, q, now)?,
                        "{q:?}"
                    );
                    // A window further down is a slice of the order kept from the one before;
                    // days later the kept order must not answer with what the clock changed.
                    let scrolled = AccountQuery {
                        offset: q.offset.max(3),
                        ..q.clone()
                    };
                    for at in [now, now + 1, now + 9 * DAY_MS, now + 40 * DAY_MS] {
                        let mem = core.accounts_index().page(c, &scrolled, at)?;
                        assert_eq!(mem, query::page(c, &scrolled, at)?, "{scrolled:?} at {at}");
                    }
                }
                let mem = core.accounts_index().dashboard(c, now)?;
                let sql = crate::accounts::dashboard::build(c, now)?;
                assert_eq!(mem.by_status, sql.by_status);
                assert_eq!(mem.usage_buckets, sql.usage_buckets);
                assert_eq!(
                    (mem.total_accounts, mem.total_used_bytes),
                    (sql.total_accounts, sql.total_used_bytes)
                );
                assert_eq!(
                    (mem.expiring_soon_count, mem.depleted_count),
                    (sql.expiring_soon_count, sql.depleted_count)
                );
                assert_eq!(mem.expiring_soon, sql.expiring_soon);
                let used =
                    |rows: &[AccountRow]| rows.iter().map(|r| r.used_bytes).collect::<Vec<_>>();
                assert_eq!(used(&mem.top_usage), used(&sql.top_usage));
                assert_eq!(used(&mem.depleted), used(&sql.depleted));
                Ok(())
            })
            .unwrap();
    }
}
