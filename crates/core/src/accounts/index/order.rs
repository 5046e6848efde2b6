//! Windows of a query: the first sorts only the rows it shows; a scroll sorts the whole order
//! once and keeps it until the snapshot or the clock changes the answer.

use std::sync::Arc;

use super::{
    filter::{hits, Matcher},
    sort::compare,
    to_row, Hit, PanelMeta, Row,
};
use crate::{
    accounts::{
        model::DAY_MS,
        query::{AccountPage, AccountQuery, SortColumn, MAX_LIMIT},
    },
    registry::PanelId,
};

/// The matches of one query (its window left out), sorted, as (panel, row) positions in the
/// rows of the snapshot generations they were computed on.
pub(super) struct CachedOrder {
    query: AccountQuery,
    generations: Vec<(PanelId, i64)>,
    /// The clock it was computed at.
    at_ms: i64,
    /// When the clock next changes what the query matches or how it sorts; `None` when it
    /// never does (see [`next_change`]).
    until_ms: Option<i64>,
    pub(super) hits: Vec<(u32, u32)>,
    pub(super) total: u64,
}

impl CachedOrder {
    pub(super) fn serves(
        &self,
        query: &AccountQuery,
        generations: &[(PanelId, i64)],
        now_ms: i64,
    ) -> bool {
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
pub(super) fn unwindowed(q: &AccountQuery) -> AccountQuery {
    AccountQuery {
        offset: 0,
        limit: 0,
        ..q.clone()
    }
}

/// Every match of `query`, sorted, by position.
pub(super) fn sorted_order(
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
pub(super) fn first_page(
    panels: &[(PanelMeta, Arc<Vec<Row>>)],
    q: &AccountQuery,
    now_ms: i64,
) -> AccountPage {
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

#[cfg(test)]
mod tests {
    use paneldeck_panels::PanelKind;

    use super::*;
    use crate::accounts::model::{AccountStatus, StatusHints};

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
}
