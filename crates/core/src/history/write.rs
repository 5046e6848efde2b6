//! Recording one sync's usage: each account's traffic since the previous snapshot, as one
//! compact point per panel, then the upkeep that keeps the history small: points older than
//! two days merged into hours, older than thirty days into days, older than the retention
//! setting dropped.

use std::collections::HashMap;

use paneldeck_panels::PanelKind;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{codec, settings};
use crate::{
    accounts::{model::DAY_MS, snapshot::PreparedRow},
    error::Result,
    registry::PanelId,
};

pub const HOUR_MS: i64 = 3_600_000;
/// Points from each sync are kept as they are for this long…
pub const RAW_KEEP_MS: i64 = 2 * DAY_MS;
/// …then as hourly sums for this long, then as daily sums.
pub const HOURLY_KEEP_MS: i64 = 30 * DAY_MS;

/// What one sync says of one account.
pub struct Sample<'a> {
    pub native_id: &'a str,
    pub used_bytes: u64,
    pub group: Option<&'a str>,
    /// The panel's record as JSON, read (once per account) for its owner.
    pub raw_json: &'a str,
}

/// Whether a sync's point was written, and how large it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// Accounts that used traffic since the previous sync.
    pub active: usize,
    pub total_bytes: u64,
    pub blob_bytes: usize,
}

/// The panel's last snapshot's counters: the baseline each account's traffic is measured
/// from. `None` before the panel's first sync (nothing to measure from yet).
pub fn previous_usage(conn: &Connection, panel: &PanelId) -> Result<Option<HashMap<String, u64>>> {
    let synced: Option<Option<i64>> = conn
        .query_row(
            "SELECT last_sync_ms FROM panel_sync WHERE panel_id = ?1",
            [&panel.0],
            |r| r.get(0),
        )
        .optional()?;
    if synced.flatten().is_none() {
        return Ok(None);
    }
    let mut stmt =
        conn.prepare_cached("SELECT native_id, used_bytes FROM accounts WHERE panel_id = ?1")?;
    let rows = stmt.query_map([&panel.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?.max(0) as u64))
    })?;
    Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
}

/// Records a sync about to replace the panel's snapshot with `rows` (the snapshot still holds
/// the previous counters).
pub fn record_sync(
    conn: &mut Connection,
    panel: &PanelId,
    kind: PanelKind,
    rows: &[PreparedRow],
    at_ms: i64,
) -> Result<Option<Recorded>> {
    let previous = previous_usage(conn, panel)?;
    let samples = rows.iter().map(PreparedRow::history_sample);
    record(conn, panel, kind, previous.as_ref(), samples, at_ms)
}

/// Traffic since the baseline. A counter that went down was reset on the panel: what it
/// shows now was all used since. An account new to the panel used all it shows.
fn delta(previous: Option<u64>, now: u64) -> u64 {
    match previous {
        Some(before) if now >= before => now - before,
        _ => now,
    }
}

/// An account's place in the points, its group and its owner.
struct Known {
    ordinal: u32,
    group: Option<String>,
}

fn known_accounts(tx: &Transaction<'_>, panel: &PanelId) -> Result<(HashMap<String, Known>, u32)> {
    let mut stmt = tx
        .prepare_cached("SELECT native_id, ordinal, grp FROM usage_accounts WHERE panel_id = ?1")?;
    let mut next = 0u32;
    let mut known = HashMap::new();
    let rows = stmt.query_map([&panel.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get(2)?))
    })?;
    for row in rows {
        let (native_id, ordinal, group) = row?;
        next = next.max(ordinal + 1);
        known.insert(native_id, Known { ordinal, group });
    }
    Ok((known, next))
}

/// Records the traffic of one sync of `panel` at `at_ms`. Without a baseline (the panel's
/// first sync) only the accounts are registered. Does nothing when history is off.
pub fn record<'a>(
    conn: &mut Connection,
    panel: &PanelId,
    kind: PanelKind,
    previous: Option<&HashMap<String, u64>>,
    samples: impl IntoIterator<Item = Sample<'a>>,
    at_ms: i64,
) -> Result<Option<Recorded>> {
    let Some(retention_days) = settings::retention_days(conn)? else {
        return Ok(None);
    };
    let tx = conn.transaction()?;
    let (mut known, mut next) = known_accounts(&tx, panel)?;
    let mut deltas: Vec<(u32, u64)> = Vec::new();
    {
        let mut add = tx.prepare_cached(
            "INSERT INTO usage_accounts (panel_id, ordinal, native_id, grp, owner)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut regroup = tx.prepare_cached(
            "UPDATE usage_accounts SET grp = ?3 WHERE panel_id = ?1 AND ordinal = ?2",
        )?;
        let rules = crate::kinds::rules(kind);
        for s in samples {
            let ordinal = match known.get(s.native_id) {
                Some(k) => {
                    if k.group.as_deref() != s.group {
                        regroup.execute(params![panel.0, k.ordinal, s.group])?;
                    }
                    k.ordinal
                }
                None => {
                    let owner = rules.owner(s.raw_json);
                    add.execute(params![panel.0, next, s.native_id, s.group, owner])?;
                    let k = Known {
                        ordinal: next,
                        group: s.group.map(str::to_owned),
                    };
                    known.insert(s.native_id.to_owned(), k);
                    next += 1;
                    next - 1
                }
            };
            if let Some(previous) = previous {
                let used = delta(previous.get(s.native_id).copied(), s.used_bytes);
                if used > 0 {
                    deltas.push((ordinal, used));
                }
            }
        }
    }
    let recorded = match previous {
        Some(_) => {
            deltas.sort_unstable_by_key(|d| d.0);
            let total: u64 = deltas.iter().map(|d| d.1).sum();
            let blob = codec::encode(&deltas);
            tx.execute(
                "INSERT OR REPLACE INTO usage_points (panel_id, span_ms, at_ms, total_bytes, deltas)
                 VALUES (?1, 0, ?2, ?3, ?4)",
                params![panel.0, at_ms, clamp(total), blob],
            )?;
            Some(Recorded {
                active: deltas.len(),
                total_bytes: total,
                blob_bytes: blob.len(),
            })
        }
        None => None,
    };
    upkeep(&tx, panel, at_ms, retention_days)?;
    tx.commit()?;
    Ok(recorded)
}

fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Merges old points into coarser ones and drops those past the retention. Runs each sync;
/// costs one indexed look-up unless an hour's worth of points has aged.
pub fn upkeep(
    tx: &Transaction<'_>,
    panel: &PanelId,
    now_ms: i64,
    retention_days: u32,
) -> Result<()> {
    roll_up(tx, panel, 0, HOUR_MS, now_ms - RAW_KEEP_MS)?;
    roll_up(tx, panel, HOUR_MS, DAY_MS, now_ms - HOURLY_KEEP_MS)?;
    tx.execute(
        "DELETE FROM usage_points WHERE panel_id = ?1 AND at_ms < ?2",
        params![panel.0, now_ms - i64::from(retention_days) * DAY_MS],
    )?;
    Ok(())
}

/// Sums the points of span `from` that end before `older_than` into points of span `to`,
/// one per whole `to` interval (ending at its boundary).
fn roll_up(
    tx: &Transaction<'_>,
    panel: &PanelId,
    from: i64,
    to: i64,
    older_than: i64,
) -> Result<()> {
    let cutoff = older_than.div_euclid(to) * to;
    let mut stmt = tx.prepare_cached(
        "SELECT at_ms, deltas FROM usage_points
         WHERE panel_id = ?1 AND span_ms = ?2 AND at_ms <= ?3 ORDER BY at_ms",
    )?;
    let aged: Vec<(i64, Vec<u8>)> = stmt
        .query_map(params![panel.0, from, cutoff], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if aged.is_empty() {
        return Ok(());
    }
    let mut buckets: Vec<(i64, Vec<&[u8]>)> = Vec::new();
    for (at, blob) in &aged {
        let end = bucket_end(*at, to);
        match buckets.last_mut() {
            Some((e, blobs)) if *e == end => blobs.push(blob),
            _ => buckets.push((end, vec![blob])),
        }
    }
    for (end, mut blobs) in buckets {
        let existing: Option<Vec<u8>> = tx
            .query_row(
                "SELECT deltas FROM usage_points WHERE panel_id = ?1 AND span_ms = ?2 AND at_ms = ?3",
                params![panel.0, to, end],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(e) = &existing {
            blobs.push(e);
        }
        let merged = merge(&blobs);
        let total: u64 = merged.iter().map(|d| d.1).sum();
        tx.execute(
            "INSERT OR REPLACE INTO usage_points (panel_id, span_ms, at_ms, total_bytes, deltas)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![panel.0, to, end, clamp(total), codec::encode(&merged)],
        )?;
    }
    tx.execute(
        "DELETE FROM usage_points WHERE panel_id = ?1 AND span_ms = ?2 AND at_ms <= ?3",
        params![panel.0, from, cutoff],
    )?;
    Ok(())
}

/// The end of the `span` interval holding a point that ends at `at_ms` (a point covers the
/// time up to and including its instant).
pub fn bucket_end(at_ms: i64, span: i64) -> i64 {
    (at_ms + span - 1).div_euclid(span) * span
}

/// Sums several points per ordinal (ordinals are dense, so a vector does).
fn merge(blobs: &[&[u8]]) -> Vec<(u32, u64)> {
    let mut sums: Vec<u64> = Vec::new();
    for blob in blobs {
        codec::decode(blob, |ordinal, bytes| {
            let i = ordinal as usize;
            if sums.len() <= i {
                sums.resize(i + 1, 0);
            }
            sums[i] = sums[i].saturating_add(bytes);
        });
    }
    sums.into_iter()
        .enumerate()
        .filter(|(_, b)| *b > 0)
        .map(|(i, b)| (i as u32, b))
        .collect()
}
