//! Reading the history: traffic over time for a scope, the accounts that used most, and the
//! accounts heading for depletion at their recent rate.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

use super::{
    codec,
    types::{Depletion, HistoryRange, HistoryScope, Mover, UsagePoint},
    write::bucket_end,
};
use crate::{
    accounts::{model::DAY_MS, AccountKey},
    error::Result,
    registry::PanelId,
};

/// The accounts a scope covers, per panel, by ordinal; `None` = every account of the panel.
type Members = HashMap<String, Option<HashSet<u32>>>;

fn members(conn: &Connection, scope: &HistoryScope) -> Result<Option<Members>> {
    let (sql, arg): (&str, Option<String>) = match scope {
        HistoryScope::All => return Ok(None),
        HistoryScope::Panel { panel_id } => {
            return Ok(Some(HashMap::from([(panel_id.0.clone(), None)])));
        }
        HistoryScope::Group { group } => (
            "SELECT panel_id, ordinal FROM usage_accounts WHERE grp = ?1 COLLATE NOCASE",
            Some(group.clone()),
        ),
        HistoryScope::Owner { owner } => (
            "SELECT panel_id, ordinal FROM usage_accounts WHERE owner = ?1 COLLATE NOCASE",
            Some(owner.clone()),
        ),
        HistoryScope::Account { key } => {
            let ordinal: Option<u32> = conn
                .query_row(
                    "SELECT ordinal FROM usage_accounts WHERE panel_id = ?1 AND native_id = ?2",
                    params![key.panel_id.0, key.native_id],
                    |r| r.get(0),
                )
                .ok();
            let set = ordinal.into_iter().collect();
            return Ok(Some(HashMap::from([(key.panel_id.0.clone(), Some(set))])));
        }
    };
    let mut stmt = conn.prepare(sql)?;
    let mut out: Members = HashMap::new();
    for row in stmt.query_map([arg], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))? {
        let (panel, ordinal) = row?;
        if let Some(set) = out.entry(panel).or_insert_with(|| Some(HashSet::new())) {
            set.insert(ordinal);
        }
    }
    Ok(Some(out))
}

/// Calls `f(panel_id, at_ms, total, deltas)` for every point ending after `from_ms`.
fn each_point(
    conn: &Connection,
    from_ms: i64,
    mut f: impl FnMut(&str, i64, u64, &[u8]),
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT panel_id, at_ms, total_bytes, deltas FROM usage_points WHERE at_ms > ?1",
    )?;
    let mut rows = stmt.query([from_ms])?;
    while let Some(r) = rows.next()? {
        let panel: String = r.get(0)?;
        let total = r.get::<_, i64>(2)?.max(0) as u64;
        let blob = r.get_ref(3)?.as_blob().unwrap_or_default();
        f(&panel, r.get(1)?, total, blob);
    }
    Ok(())
}

/// Traffic of `scope` over `range` up to `now_ms`, one point per bucket that has history
/// (sparse: a gap in the history stays a gap rather than a zero).
pub fn series(
    conn: &Connection,
    scope: &HistoryScope,
    range: HistoryRange,
    now_ms: i64,
) -> Result<Vec<UsagePoint>> {
    let members = members(conn, scope)?;
    let bucket = range.bucket_ms();
    let mut sums: HashMap<i64, u64> = HashMap::new();
    each_point(conn, now_ms - range.span_ms(), |panel, at, total, blob| {
        let bytes = match members.as_ref().map(|m| m.get(panel)) {
            None | Some(Some(None)) => total,
            Some(None) => return,
            Some(Some(Some(set))) => {
                let mut sum = 0u64;
                codec::decode(blob, |o, b| {
                    if set.contains(&o) {
                        sum += b;
                    }
                });
                sum
            }
        };
        *sums.entry(bucket_end(at, bucket)).or_default() += bytes;
    })?;
    let mut points: Vec<UsagePoint> = sums
        .into_iter()
        .map(|(at_ms, bytes)| UsagePoint { at_ms, bytes })
        .collect();
    points.sort_by_key(|p| p.at_ms);
    Ok(points)
}

/// Traffic per account since `from_ms`: (panel, ordinal) → bytes.
pub(super) fn per_account(conn: &Connection, from_ms: i64) -> Result<HashMap<(String, u32), u64>> {
    let mut sums: HashMap<(String, u32), u64> = HashMap::new();
    each_point(conn, from_ms, |panel, _, _, blob| {
        codec::decode(blob, |o, b| {
            *sums.entry((panel.to_owned(), o)).or_default() += b;
        });
    })?;
    Ok(sums)
}

/// Accounts by ordinal: (panel, ordinal) → native id.
fn native_ids(conn: &Connection) -> Result<HashMap<(String, u32), String>> {
    let mut stmt = conn.prepare("SELECT panel_id, ordinal, native_id FROM usage_accounts")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The `limit` accounts that used most over `range`, most first.
pub fn top_movers(
    conn: &Connection,
    range: HistoryRange,
    limit: usize,
    now_ms: i64,
) -> Result<Vec<Mover>> {
    let mut all: Vec<((String, u32), u64)> = per_account(conn, now_ms - range.span_ms())?
        .into_iter()
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let ids = native_ids(conn)?;
    let mut out = Vec::new();
    for (key, bytes) in all {
        let Some(native_id) = ids.get(&key) else {
            continue;
        };
        let Some((name, panel_name)) = account_names(conn, &key.0, native_id)? else {
            continue; // gone from the snapshot
        };
        out.push(Mover {
            key: AccountKey::new(PanelId(key.0.clone()), native_id.clone()),
            name,
            panel_name,
            bytes,
        });
        if out.len() == limit {
            break;
        }
    }
    Ok(out)
}

fn account_names(
    conn: &Connection,
    panel: &str,
    native_id: &str,
) -> Result<Option<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.name, p.name FROM accounts a JOIN panels p ON p.id = a.panel_id
         WHERE a.panel_id = ?1 AND a.native_id = ?2",
    )?;
    let mut rows = stmt.query(params![panel, native_id])?;
    Ok(match rows.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?)),
        None => None,
    })
}

/// How far back the depletion rate looks.
pub const RATE_WINDOW_DAYS: i64 = 7;

/// Accounts with a quota, not yet depleted, that will run out within `horizon_days` at the
/// rate they used over the last [`RATE_WINDOW_DAYS`] days (measured over the history that
/// exists, if shorter); soonest first, at most `limit`.
pub fn heading_for_depletion(
    conn: &Connection,
    horizon_days: u32,
    limit: usize,
    now_ms: i64,
) -> Result<Vec<Depletion>> {
    let from = now_ms - RATE_WINDOW_DAYS * DAY_MS;
    let first: Option<i64> = conn.query_row(
        "SELECT MIN(at_ms - span_ms) FROM usage_points WHERE at_ms > ?1",
        [from],
        |r| r.get(0),
    )?;
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    let observed_days = (now_ms - first.max(from)) as f64 / DAY_MS as f64;
    if observed_days <= 0.0 {
        return Ok(Vec::new());
    }
    let used = per_account(conn, from)?;
    let mut stmt = conn.prepare(
        "SELECT u.panel_id, u.ordinal, a.native_id, a.name, p.name, a.used_bytes, a.limit_bytes
         FROM usage_accounts u
         JOIN accounts a ON a.panel_id = u.panel_id AND a.native_id = u.native_id
         JOIN panels p ON p.id = a.panel_id
         WHERE a.limit_bytes IS NOT NULL AND a.used_bytes < a.limit_bytes AND a.hint_depleted = 0",
    )?;
    let mut out = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (panel, ordinal): (String, u32) = (r.get(0)?, r.get(1)?);
        let Some(&recent) = used.get(&(panel.clone(), ordinal)) else {
            continue;
        };
        let per_day = recent as f64 / observed_days;
        let (used_bytes, limit_bytes): (i64, i64) = (r.get(5)?, r.get(6)?);
        let days_left = (limit_bytes - used_bytes) as f64 / per_day;
        if days_left <= f64::from(horizon_days) {
            out.push(Depletion {
                key: AccountKey::new(PanelId(panel), r.get::<_, String>(2)?),
                name: r.get(3)?,
                panel_name: r.get(4)?,
                used_bytes: used_bytes.max(0) as u64,
                limit_bytes: limit_bytes.max(0) as u64,
                bytes_per_day: per_day as u64,
                days_left,
            });
        }
    }
    out.sort_by(|a, b| a.days_left.total_cmp(&b.days_left));
    out.truncate(limit);
    Ok(out)
}
