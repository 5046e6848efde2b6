//! The dashboard's numbers over the in-memory rows.

use std::cmp::Ordering;

use rusqlite::Connection;

use super::{sort::compare, to_row, Hit, SnapshotIndex};
use crate::{
    accounts::{
        dashboard::{Dashboard, StatusCount, UsageBucket, BUCKETS, EXPIRING_DAYS, LIST_LEN},
        model::{AccountStatus, DAY_MS},
        query::{AccountRow, SortColumn},
        snapshot,
    },
    error::Result,
};

impl SnapshotIndex {
    /// The dashboard's numbers over the in-memory rows (panel health comes from SQLite).
    pub fn dashboard(&self, conn: &Connection, now_ms: i64) -> Result<Dashboard> {
        let panels_health = snapshot::health(conn, now_ms)?;
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
                .map(|(from, to)| UsageBucket {
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
            // The same definition as the Depleted status card and the status filter, so the
            // list's count, the card and the filtered table agree (an expired account whose
            // quota is also used up counts as expired, once).
            let (depleted, depleted_count) = top(
                all.iter()
                    .copied()
                    .filter(|(_, r)| r.status(now_ms) == AccountStatus::Depleted)
                    .collect(),
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
                expiring_days: EXPIRING_DAYS,
                depleted,
                depleted_count,
                now_ms,
            }
        })
    }
}
