//! The table's query in Rust: each panel's snapshot rows are kept in memory (loaded from
//! SQLite on first use and again whenever that panel's `generation` moves, whoever wrote),
//! and search, filters, sort and the window run over them. 100,000 rows answer in a few ms.

use std::{cmp::Ordering, collections::HashMap, sync::Arc};

use paneldeck_panels::PanelKind;
use rusqlite::{params, Connection};

use super::{
    model::{derive_status, AccountKey, AccountStatus, StatusHints, DAY_MS},
    query::{AccountPage, AccountQuery, AccountRow, SortColumn, MAX_LIMIT},
};
use crate::{error::Result, registry::PanelId};

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

/// The matches of one query (its window left out), sorted, as (panel, row) positions in the
/// rows of the snapshot generations they were computed on.
struct CachedOrder {
    query: AccountQuery,
    generations: Vec<(PanelId, i64)>,
    /// The clock it was computed at.
    at_ms: i64,
    /// When the clock next changes what the query matches or how it sorts; `None` when it
    /// never does (see [`next_change`]).
    until_ms: Option<i64>,
    hits: Vec<(u32, u32)>,
    total: u64,
}

impl CachedOrder {
    fn serves(&self, query: &AccountQuery, generations: &[(PanelId, i64)], now_ms: i64) -> bool {
        self.query == *query
            && self.generations == generations
            && self
                .until_ms
                .is_none_or(|until| self.at_ms <= now_ms && now_ms < until)
    }
}

/// The next instant after `now_ms` at which the clock alone changes the matches or the order
/// of `query`, or `None` if it never does. Statuses move with the clock only when an account
/// expires; "expiring within N days" changes when an expiry enters or leaves the window.
fn next_change(
    panels: &[(PanelMeta, Arc<Vec<Row>>)],
    query: &AccountQuery,
    now_ms: i64,
) -> Option<i64> {
    let by_status = !query.statuses.is_empty() || query.sort == SortColumn::Status;
    let window = query.expiring_within_days.map(|d| i64::from(d) * DAY_MS);
    if !by_status && window.is_none() {
        return None;
    }
    let mut next = i64::MAX;
    let expiries = panels
        .iter()
        .flat_map(|(_, rows)| rows.iter().filter_map(|r| r.expires_at_ms));
    for at in expiries {
        // Expires (and leaves the window) at `at`; enters the window `window` before it.
        let enters = window.map_or(i64::MIN, |w| at.saturating_sub(w));
        for t in [at, enters] {
            if t > now_ms {
                next = next.min(t);
            }
        }
    }
    Some(next)
}

/// The query without its window: what a cached order is looked up by.
fn unwindowed(q: &AccountQuery) -> AccountQuery {
    AccountQuery {
        offset: 0,
        limit: 0,
        ..q.clone()
    }
}

/// A panel's name, colour and snapshot generation, read fresh on every query.
struct PanelMeta {
    id: PanelId,
    name: String,
    name_key: String,
    color: String,
    generation: i64,
}

fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn load(conn: &Connection, panel: &PanelId) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(
        "SELECT native_id, kind, name, email, enabled, hint_expired, hint_depleted, hint_on_hold,
                hint_restricted, used_bytes, limit_bytes, expires_at_ms, online, last_online_ms,
                created_at_ms, grp, protocols, search
         FROM accounts WHERE panel_id = ?1",
    )?;
    let rows = stmt.query_map(params![panel.0], |r| {
        let name: String = r.get(2)?;
        let kind: String = r.get(1)?;
        Ok(Row {
            native_id: r.get(0)?,
            kind: kind.parse().unwrap_or(PanelKind::Xui),
            name_key: name.to_ascii_lowercase(),
            name,
            email: r.get(3)?,
            enabled: r.get(4)?,
            hints: StatusHints {
                expired: r.get(5)?,
                depleted: r.get(6)?,
                on_hold: r.get(7)?,
                restricted: r.get(8)?,
            },
            used_bytes: unsigned(r.get(9)?),
            limit_bytes: r.get::<_, Option<i64>>(10)?.map(unsigned),
            expires_at_ms: r.get(11)?,
            online: r.get(12)?,
            last_online_ms: r.get(13)?,
            created_at_ms: r.get(14)?,
            group: r.get(15)?,
            protocols: r.get(16)?,
            search: r.get(17)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Rows that passed the filters: (panel, row).
type Hit<'a> = (&'a PanelMeta, &'a Row);

fn nulls_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => dir(x.cmp(&y), descending),
    }
}

fn dir(o: Ordering, descending: bool) -> Ordering {
    if descending {
        o.reverse()
    } else {
        o
    }
}

fn compare(col: SortColumn, descending: bool, now_ms: i64, a: Hit<'_>, b: Hit<'_>) -> Ordering {
    let (pa, ra) = a;
    let (pb, rb) = b;
    let name = || dir(ra.name_key.cmp(&rb.name_key), descending);
    let main = match col {
        SortColumn::Name => name(),
        SortColumn::Panel => dir(pa.name_key.cmp(&pb.name_key), descending).then_with(name),
        SortColumn::Kind => dir(ra.kind.as_str().cmp(rb.kind.as_str()), descending).then_with(name),
        SortColumn::Status => dir(
            ra.status(now_ms).as_str().cmp(rb.status(now_ms).as_str()),
            descending,
        )
        .then_with(name),
        SortColumn::Used => dir(ra.used_bytes.cmp(&rb.used_bytes), descending),
        SortColumn::Limit => nulls_last(ra.limit_bytes, rb.limit_bytes, descending),
        SortColumn::Expiry => nulls_last(ra.expires_at_ms, rb.expires_at_ms, descending),
        SortColumn::LastOnline => nulls_last(ra.last_online_ms, rb.last_online_ms, descending),
        SortColumn::Created => nulls_last(ra.created_at_ms, rb.created_at_ms, descending),
    };
    main.then_with(|| dir(pa.id.0.cmp(&pb.id.0), descending))
        .then_with(|| dir(ra.native_id.cmp(&rb.native_id), descending))
}

/// The filters of a query, prepared once.
struct Matcher {
    words: Vec<String>,
    statuses: Vec<AccountStatus>,
    kinds: Vec<PanelKind>,
    expiring: Option<(i64, i64)>,
    depleted: bool,
    online: Option<bool>,
    group: Option<String>,
    protocol: Option<String>,
    now_ms: i64,
}

impl Matcher {
    fn new(q: &AccountQuery, now_ms: i64) -> Self {
        Matcher {
            words: q.search.split_whitespace().map(str::to_lowercase).collect(),
            statuses: q.statuses.clone(),
            kinds: q.kinds.clone(),
            expiring: q
                .expiring_within_days
                .map(|d| (now_ms, now_ms + i64::from(d) * DAY_MS)),
            depleted: q.depleted,
            online: q.online,
            group: q
                .group
                .as_deref()
                .map(str::trim)
                .filter(|g| !g.is_empty())
                .map(str::to_lowercase),
            protocol: q
                .protocol
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| format!(",{},", p.to_lowercase())),
            now_ms,
        }
    }

    fn matches(&self, r: &Row) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&r.kind))
            && self.words.iter().all(|w| r.search.contains(w.as_str()))
            && (self.statuses.is_empty() || self.statuses.contains(&r.status(self.now_ms)))
            && self
                .expiring
                .is_none_or(|(from, to)| r.expires_at_ms.is_some_and(|t| t > from && t <= to))
            && (!self.depleted || r.depleted())
            && self
                .online
                .is_none_or(|want| (r.online == Some(true)) == want)
            && self
                .group
                .as_ref()
                .is_none_or(|g| r.group.as_ref().is_some_and(|rg| rg.to_lowercase() == *g))
            && self
                .protocol
                .as_ref()
                .is_none_or(|p| r.protocols.contains(p.as_str()))
    }
}

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

/// Every match of `query`, sorted, by position.
fn sorted_order(
    panels: &[(PanelMeta, Arc<Vec<Row>>)],
    query: AccountQuery,
    generations: Vec<(PanelId, i64)>,
    now_ms: i64,
) -> CachedOrder {
    let m = Matcher::new(&query, now_ms);
    let mut total = 0u64;
    let mut hits: Vec<(u32, u32)> = Vec::new();
    for (p, (meta, rows)) in panels.iter().enumerate() {
        total += rows.len() as u64;
        if !query.panel_ids.is_empty() && !query.panel_ids.contains(&meta.id) {
            continue;
        }
        hits.extend(
            rows.iter()
                .enumerate()
                .filter(|(_, r)| m.matches(r))
                .map(|(r, _)| (p as u32, r as u32)),
        );
    }
    let hit = |&(p, r): &(u32, u32)| (&panels[p as usize].0, &panels[p as usize].1[r as usize]);
    hits.sort_unstable_by(|a, b| compare(query.sort, query.descending, now_ms, hit(a), hit(b)));
    CachedOrder {
        until_ms: next_change(panels, &query, now_ms),
        query,
        generations,
        at_ms: now_ms,
        hits,
        total,
    }
}

/// A query's first window: only the rows it shows are sorted.
fn first_page(panels: &[(PanelMeta, Arc<Vec<Row>>)], q: &AccountQuery, now_ms: i64) -> AccountPage {
    let (hits, total) = hits(panels, q, now_ms);
    let matched = hits.len();
    let start = (q.offset as usize).min(matched);
    let end = start
        .saturating_add(q.limit.clamp(1, MAX_LIMIT) as usize)
        .min(matched);
    let mut hits = hits;
    let cmp = |a: &Hit<'_>, b: &Hit<'_>| compare(q.sort, q.descending, now_ms, *a, *b);
    // Only the window needs sorting: split off what comes before it and after it
    // (linear time), then sort the window itself.
    if start > 0 && start < matched {
        hits.select_nth_unstable_by(start - 1, cmp);
    }
    let tail = &mut hits[start..];
    let len = end - start;
    if len > 0 && len < tail.len() {
        tail.select_nth_unstable_by(len - 1, cmp);
    }
    tail[..len].sort_unstable_by(cmp);
    let rows = hits[start..end]
        .iter()
        .map(|h| to_row(*h, now_ms))
        .collect();
    AccountPage {
        rows,
        matched: matched as u64,
        total,
        offset: q.offset,
    }
}

/// The matching rows and the snapshot's size.
fn hits<'a>(
    panels: &'a [(PanelMeta, Arc<Vec<Row>>)],
    q: &AccountQuery,
    now_ms: i64,
) -> (Vec<Hit<'a>>, u64) {
    let m = Matcher::new(q, now_ms);
    let mut out = Vec::new();
    let mut total = 0u64;
    for (meta, rows) in panels {
        total += rows.len() as u64;
        if !q.panel_ids.is_empty() && !q.panel_ids.contains(&meta.id) {
            continue;
        }
        out.extend(rows.iter().filter(|r| m.matches(r)).map(|r| (meta, r)));
    }
    (out, total)
}

impl SnapshotIndex {
    /// The dashboard's numbers over the in-memory rows (panel health comes from SQLite).
    pub fn dashboard(&self, conn: &Connection, now_ms: i64) -> Result<super::dashboard::Dashboard> {
        use super::dashboard::{
            Dashboard, StatusCount, UsageBucket, BUCKETS, EXPIRING_DAYS, LIST_LEN,
        };
        let panels_health = super::snapshot::health(conn, now_ms)?;
        self.with_rows(conn, |panels| {
            let all: Vec<Hit<'_>> = panels
                .iter()
                .flat_map(|(m, rows)| rows.iter().map(move |r| (m, r)))
                .collect();
            let mut by_status: Vec<StatusCount> = AccountStatus::ALL
                .iter()
                .map(|s| StatusCount {
                    status: *s,
                    count: 0,
                })
                .collect();
            let mut buckets: Vec<UsageBucket> = BUCKETS
                .iter()
                .map(|(label, from, to)| UsageBucket {
                    label: (*label).into(),
                    from_bytes: *from,
                    to_bytes: *to,
                    count: 0,
                })
                .collect();
            let mut total_used = 0u64;
            for (_, r) in &all {
                let status = r.status(now_ms);
                if let Some(s) = by_status.iter_mut().find(|s| s.status == status) {
                    s.count += 1;
                }
                if let Some(b) = buckets.iter_mut().find(|b| {
                    r.used_bytes >= b.from_bytes && b.to_bytes.is_none_or(|t| r.used_bytes < t)
                }) {
                    b.count += 1;
                }
                total_used = total_used.saturating_add(r.used_bytes);
            }
            let horizon = now_ms + i64::from(EXPIRING_DAYS) * DAY_MS;
            let top = |mut list: Vec<Hit<'_>>,
                       cmp: &dyn Fn(&Hit<'_>, &Hit<'_>) -> Ordering|
             -> (Vec<AccountRow>, u64) {
                let count = list.len() as u64;
                let n = (LIST_LEN as usize).min(list.len());
                if n > 0 && n < list.len() {
                    list.select_nth_unstable_by(n - 1, |a, b| cmp(a, b));
                }
                list.truncate(n);
                list.sort_unstable_by(|a, b| cmp(a, b));
                (list.iter().map(|h| to_row(*h, now_ms)).collect(), count)
            };
            let by_used =
                |a: &Hit<'_>, b: &Hit<'_>| compare(SortColumn::Used, true, now_ms, *a, *b);
            let (top_usage, _) = top(
                all.iter()
                    .copied()
                    .filter(|(_, r)| r.used_bytes > 0)
                    .collect(),
                &by_used,
            );
            let (expiring_soon, expiring_soon_count) = top(
                all.iter()
                    .copied()
                    .filter(|(_, r)| r.expires_at_ms.is_some_and(|t| t > now_ms && t <= horizon))
                    .collect(),
                &|a, b| compare(SortColumn::Expiry, false, now_ms, *a, *b),
            );
            let (depleted, depleted_count) = top(
                all.iter().copied().filter(|(_, r)| r.depleted()).collect(),
                &by_used,
            );
            Dashboard {
                panels: panels_health,
                by_status,
                total_accounts: all.len() as u64,
                total_used_bytes: total_used,
                top_usage,
                usage_buckets: buckets,
                expiring_soon,
                expiring_soon_count,
                depleted,
                depleted_count,
                now_ms,
            }
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
    use crate::{accounts::query, demo::Demo};

    /// One panel whose accounts expire at `expiries` (`None`: never).
    fn panel_expiring(expiries: &[Option<i64>]) -> Vec<(PanelMeta, Arc<Vec<Row>>)> {
        let rows = expiries
            .iter()
            .enumerate()
            .map(|(i, &expires_at_ms)| Row {
                native_id: i.to_string(),
                kind: PanelKind::Marzban,
                name: format!("u{i}"),
                name_key: format!("u{i}"),
                email: None,
                enabled: true,
                hints: StatusHints::default(),
                used_bytes: 0,
                limit_bytes: None,
                expires_at_ms,
                online: None,
                last_online_ms: None,
                created_at_ms: None,
                group: None,
                protocols: String::new(),
                search: String::new(),
            })
            .collect();
        let meta = PanelMeta {
            id: PanelId("p".into()),
            name: "p".into(),
            name_key: "p".into(),
            color: String::new(),
            generation: 1,
        };
        vec![(meta, Arc::new(rows))]
    }

    #[test]
    fn a_kept_order_lasts_until_the_clock_changes_its_answer() {
        let now = 1_000 * DAY_MS;
        let panels = panel_expiring(&[
            None,
            Some(now - 5),
            Some(now + 7 * DAY_MS),
            Some(now + 2 * DAY_MS),
        ]);
        let by_name = AccountQuery::default();
        assert_eq!(
            next_change(&panels, &by_name, now),
            None,
            "names do not move"
        );
        let by_status = AccountQuery {
            sort: SortColumn::Status,
            ..AccountQuery::default()
        };
        // The next account to expire does so in two days.
        assert_eq!(
            next_change(&panels, &by_status, now),
            Some(now + 2 * DAY_MS)
        );
        let active = AccountQuery {
            statuses: vec![AccountStatus::Active],
            ..AccountQuery::default()
        };
        assert_eq!(next_change(&panels, &active, now), Some(now + 2 * DAY_MS));
        // Within 5 days: the one at +7 days enters the window at +2 days, exactly when the
        // one at +2 days leaves it.
        let expiring = AccountQuery {
            expiring_within_days: Some(5),
            ..AccountQuery::default()
        };
        assert_eq!(next_change(&panels, &expiring, now), Some(now + 2 * DAY_MS));
        assert_eq!(
            next_change(&panels, &expiring, now + 2 * DAY_MS),
            Some(now + 7 * DAY_MS)
        );
        // Nothing left to expire: the order holds for good (`i64::MAX`).
        assert_eq!(
            next_change(&panels, &by_status, now + 8 * DAY_MS),
            Some(i64::MAX)
        );

        let order = |at_ms, until_ms| CachedOrder {
            query: active.clone(),
            generations: vec![(PanelId("p".into()), 1)],
            at_ms,
            until_ms,
            hits: Vec::new(),
            total: 0,
        };
        let generations = [(PanelId("p".into()), 1)];
        let kept = order(now, Some(now + 2 * DAY_MS));
        assert!(kept.serves(&active, &generations, now + 2 * DAY_MS - 1));
        assert!(
            !kept.serves(&active, &generations, now + 2 * DAY_MS),
            "the account expired"
        );
        assert!(
            !kept.serves(&active, &generations, now - 1),
            "the clock went back"
        );
        assert!(!kept.serves(&by_status, &generations, now), "another query");
        assert!(
            !kept.serves(&active, &[(PanelId("p".into()), 2)], now),
            "a new sync"
        );
        assert!(order(now, None).serves(&active, &generations, now + 400 * DAY_MS));
    }

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
