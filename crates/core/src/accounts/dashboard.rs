//! The dashboard's numbers, computed over the snapshot: panel health, totals by status, top
//! accounts by usage, a usage histogram, and the accounts expiring soon or depleted.

use rusqlite::Connection;
use serde::Serialize;

use super::{
    model::{AccountStatus, DAY_MS},
    query::{rows_where, AccountRow},
    snapshot::{self, STATUS_SQL},
    sync::PanelHealth,
};
use crate::error::Result;

/// How many accounts each list shows.
pub const LIST_LEN: u32 = 10;
/// "Expiring soon" means within this many days.
pub const EXPIRING_DAYS: u32 = 7;

const GIB: u64 = 1 << 30;

/// Usage buckets: [from, to) in bytes; the last is open-ended. The UI words each range from
/// its bounds.
pub const BUCKETS: [(u64, Option<u64>); 6] = [
    (0, Some(1)),
    (1, Some(GIB)),
    (GIB, Some(10 * GIB)),
    (10 * GIB, Some(50 * GIB)),
    (50 * GIB, Some(200 * GIB)),
    (200 * GIB, None),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatusCount {
    pub status: AccountStatus,
    #[specta(type = specta_typescript::Number)]
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UsageBucket {
    #[specta(type = specta_typescript::Number)]
    pub from_bytes: u64,
    /// `None` = no upper bound.
    #[specta(type = Option<specta_typescript::Number>)]
    pub to_bytes: Option<u64>,
    #[specta(type = specta_typescript::Number)]
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub panels: Vec<PanelHealth>,
    /// Every status, zeros included, in [`AccountStatus::ALL`] order.
    pub by_status: Vec<StatusCount>,
    #[specta(type = specta_typescript::Number)]
    pub total_accounts: u64,
    #[specta(type = specta_typescript::Number)]
    pub total_used_bytes: u64,
    pub top_usage: Vec<AccountRow>,
    pub usage_buckets: Vec<UsageBucket>,
    /// Expiring within [`EXPIRING_DAYS`] days, soonest first.
    pub expiring_soon: Vec<AccountRow>,
    /// [`EXPIRING_DAYS`], so the UI's "expiring soon" filter is the list's.
    pub expiring_days: u32,
    #[specta(type = specta_typescript::Number)]
    pub expiring_soon_count: u64,
    /// Status Depleted (the same accounts as the status card and filter), biggest users first.
    pub depleted: Vec<AccountRow>,
    #[specta(type = specta_typescript::Number)]
    pub depleted_count: u64,
    #[specta(type = specta_typescript::Number)]
    pub now_ms: i64,
}

fn count(conn: &Connection, where_sql: &str, now_ms: i64) -> Result<u64> {
    let sql = format!("SELECT COUNT(*) FROM accounts a WHERE {where_sql}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let n: i64 = if sql.contains(":now") {
        stmt.query_row(&[(":now", &now_ms as &dyn rusqlite::ToSql)], |r| r.get(0))?
    } else {
        stmt.query_row([], |r| r.get(0))?
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

pub fn build(conn: &Connection, now_ms: i64) -> Result<Dashboard> {
    let mut by_status: Vec<StatusCount> = AccountStatus::ALL
        .iter()
        .map(|s| StatusCount {
            status: *s,
            count: 0,
        })
        .collect();
    {
        let sql = format!("SELECT {STATUS_SQL} AS st, COUNT(*) FROM accounts a GROUP BY st");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(&[(":now", &now_ms as &dyn rusqlite::ToSql)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        for row in rows {
            let (name, n) = row?;
            if let Some(slot) = by_status.iter_mut().find(|s| s.status.as_str() == name) {
                slot.count = u64::try_from(n).unwrap_or(0);
            }
        }
    }
    let (total_accounts, total_used): (i64, i64) = conn.query_row(
        "SELECT COUNT(*), IFNULL(SUM(used_bytes), 0) FROM accounts",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut usage_buckets = Vec::new();
    for (from, to) in BUCKETS {
        let clamp = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let where_sql = match to {
            Some(to) => format!(
                "a.used_bytes >= {} AND a.used_bytes < {}",
                clamp(from),
                clamp(to)
            ),
            None => format!("a.used_bytes >= {}", clamp(from)),
        };
        usage_buckets.push(UsageBucket {
            from_bytes: from,
            to_bytes: to,
            count: count(conn, &where_sql, now_ms)?,
        });
    }
    let expiring = format!(
        "a.expires_at_ms > :now AND a.expires_at_ms <= :now + {}",
        i64::from(EXPIRING_DAYS) * DAY_MS
    );
    let depleted = format!("{STATUS_SQL} = 'depleted'");
    Ok(Dashboard {
        panels: snapshot::health(conn, now_ms)?,
        by_status,
        total_accounts: u64::try_from(total_accounts).unwrap_or(0),
        total_used_bytes: u64::try_from(total_used).unwrap_or(0),
        top_usage: rows_where(
            conn,
            "a.used_bytes > 0",
            "a.used_bytes DESC, a.name COLLATE NOCASE",
            LIST_LEN,
            now_ms,
        )?,
        usage_buckets,
        expiring_soon: rows_where(
            conn,
            &expiring,
            "a.expires_at_ms ASC, a.name COLLATE NOCASE",
            LIST_LEN,
            now_ms,
        )?,
        expiring_soon_count: count(conn, &expiring, now_ms)?,
        expiring_days: EXPIRING_DAYS,
        depleted: rows_where(
            conn,
            &depleted,
            "a.used_bytes DESC, a.name COLLATE NOCASE",
            LIST_LEN,
            now_ms,
        )?,
        depleted_count: count(conn, &depleted, now_ms)?,
        now_ms,
    })
}
