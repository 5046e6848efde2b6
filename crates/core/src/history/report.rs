//! Usage reports per panel, group or owner over a period: traffic (with its points), and the
//! accounts created, expired and depleted.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection};

use super::{
    codec,
    types::{ReportBy, ReportRow, UsagePoint},
    write::{bucket_end, HOUR_MS},
};
use crate::{
    accounts::{model::DAY_MS, snapshot::DEPLETED_SQL},
    error::Result,
};

type Label = Option<String>;

/// The grouping column over `accounts a` (joined to `panels p` and `usage_accounts u`).
fn label_sql(by: ReportBy) -> &'static str {
    match by {
        ReportBy::Panel => "p.name",
        ReportBy::Group => "a.grp",
        ReportBy::Owner => "u.owner",
    }
}

/// Accounts, created, expired within the period, depleted now: per label.
fn counts(
    conn: &Connection,
    by: ReportBy,
    from_ms: i64,
    now_ms: i64,
) -> Result<BTreeMap<Label, [u64; 4]>> {
    let sql = format!(
        "SELECT {label}, COUNT(*),
             SUM(a.created_at_ms >= :from),
             SUM(a.expires_at_ms > :from AND a.expires_at_ms <= :now),
             SUM({DEPLETED_SQL})
         FROM accounts a JOIN panels p ON p.id = a.panel_id
         LEFT JOIN usage_accounts u ON u.panel_id = a.panel_id AND u.native_id = a.native_id
         GROUP BY 1",
        label = label_sql(by)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(
        rusqlite::named_params! { ":from": from_ms, ":now": now_ms },
        |r| {
            let n = |i| {
                r.get::<_, Option<i64>>(i)
                    .map(|v| v.unwrap_or(0).max(0) as u64)
            };
            Ok((r.get::<_, Label>(0)?, [n(1)?, n(2)?, n(3)?, n(4)?]))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (panel, ordinal) → label, for groups and owners.
fn labels(conn: &Connection, by: ReportBy) -> Result<HashMap<(String, u32), Label>> {
    let column = if by == ReportBy::Owner {
        "owner"
    } else {
        "grp"
    };
    let sql = format!("SELECT panel_id, ordinal, {column} FROM usage_accounts");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn panel_names(conn: &Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT id, name FROM panels")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The report over the last `days` days up to `now_ms`, labels in order (none last).
pub fn report(conn: &Connection, by: ReportBy, days: u32, now_ms: i64) -> Result<Vec<ReportRow>> {
    let from = now_ms - i64::from(days.max(1)) * DAY_MS;
    let bucket = if days <= 1 { HOUR_MS } else { DAY_MS };
    let names = panel_names(conn)?;
    let labels = if by == ReportBy::Panel {
        HashMap::new()
    } else {
        labels(conn, by)?
    };
    let mut traffic: HashMap<Label, BTreeMap<i64, u64>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT panel_id, at_ms, total_bytes, deltas FROM usage_points WHERE at_ms > ?1",
    )?;
    let mut rows = stmt.query(params![from])?;
    while let Some(r) = rows.next()? {
        let panel: String = r.get(0)?;
        let end = bucket_end(r.get(1)?, bucket);
        if by == ReportBy::Panel {
            let label = names.get(&panel).cloned();
            let total = r.get::<_, i64>(2)?.max(0) as u64;
            *traffic.entry(label).or_default().entry(end).or_default() += total;
            continue;
        }
        let blob = r.get_ref(3)?.as_blob().unwrap_or_default();
        codec::decode(blob, |ordinal, bytes| {
            let label = labels.get(&(panel.clone(), ordinal)).cloned().flatten();
            *traffic.entry(label).or_default().entry(end).or_default() += bytes;
        });
    }
    let counts = counts(conn, by, from, now_ms)?;
    let mut all: BTreeMap<(bool, Label), ReportRow> = BTreeMap::new();
    let keys = counts.keys().cloned().chain(traffic.keys().cloned());
    for label in keys.collect::<Vec<_>>() {
        let c = counts.get(&label).copied().unwrap_or_default();
        let points: Vec<UsagePoint> = traffic
            .get(&label)
            .map(|m| {
                m.iter()
                    .map(|(&at_ms, &bytes)| UsagePoint { at_ms, bytes })
                    .collect()
            })
            .unwrap_or_default();
        let row = ReportRow {
            label: label.clone(),
            used_bytes: points.iter().map(|p| p.bytes).sum(),
            accounts: c[0],
            created: c[1],
            expired: c[2],
            depleted: c[3],
            points,
        };
        all.insert((label.is_none(), label), row);
    }
    Ok(all.into_values().collect())
}
