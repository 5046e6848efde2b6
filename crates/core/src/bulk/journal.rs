//! The journal in SQLite (`bulk_ops`, `bulk_items`, migration 3): the plan is written before
//! anything runs; each item moves pending → running (just before its request) → done / failed
//! / skipped, written as the run goes, so after a crash `running` means "outcome unknown".

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::{types::*, Field, FieldValue, ItemError, ItemErrorCode, ItemOutcome, OpTitle};
use crate::{
    accounts::AccountKey,
    actions::KeptCredentials,
    error::{CoreError, Result},
    registry::PanelId,
};

/// [`KeptCredentials`] as the `kept` column holds them (the type itself cannot be
/// serialised, so nothing else writes them by accident).
#[derive(Serialize, Deserialize, Default)]
struct KeptRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    vmess_uuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sub_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ss_method: Option<String>,
}

fn kept_json(k: &KeptCredentials) -> Result<String> {
    let row = KeptRow {
        uuid: k.uuid.clone(),
        vmess_uuid: k.vmess_uuid.clone(),
        password: k.password.clone(),
        sub_id: k.sub_id.clone(),
        flow: k.flow.clone(),
        ss_method: k.ss_method.clone(),
    };
    serde_json::to_string(&row).map_err(|e| CoreError::Internal(e.to_string()))
}

fn kept_from_json(text: &str) -> Option<KeptCredentials> {
    let r: KeptRow = serde_json::from_str(text).ok()?;
    Some(KeptCredentials {
        uuid: r.uuid,
        vmess_uuid: r.vmess_uuid,
        password: r.password,
        sub_id: r.sub_id,
        flow: r.flow,
        ss_method: r.ss_method,
    })
}

/// Writes the plan (state `planned`) and, per create item in `kept`, the secrets it keeps.
pub(crate) fn insert_plan(
    conn: &mut Connection,
    plan: &BulkPlan,
    actor: &str,
    request: &str,
    kept: &HashMap<u32, KeptCredentials>,
) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO bulk_ops (id, title, actor, request, state, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, 'planned', ?5)",
        params![
            plan.id.0,
            plan.title.to_stored(),
            actor,
            request,
            plan.created_at_ms
        ],
    )?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO bulk_items (op_id, seq, panel_id, panel_name, kind, native_id, name, op,
                 changes, state, error_code, error_message, kept)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        for panel in &plan.panels {
            for item in &panel.items {
                let op = serde_json::to_string(&item.op)
                    .map_err(|e| CoreError::Internal(e.to_string()))?;
                let changes = serde_json::to_string(&item.changes)
                    .map_err(|e| CoreError::Internal(e.to_string()))?;
                let state = if item.skip.is_some() {
                    ItemState::Skipped
                } else {
                    ItemState::Pending
                };
                let secrets = match kept.get(&item.seq) {
                    Some(k) if item.skip.is_none() && !k.is_empty() => Some(kept_json(k)?),
                    _ => None,
                };
                stmt.execute(params![
                    plan.id.0,
                    item.seq,
                    panel.panel_id.0,
                    panel.panel_name,
                    panel.kind.to_string(),
                    item.key.native_id,
                    item.name,
                    op,
                    changes,
                    state.as_str(),
                    item.skip.as_ref().map(|s| s.reason.as_str()),
                    item.skip.as_ref().map(|s| s.message.clone()),
                    secrets,
                ])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn set_state(
    conn: &Connection,
    op: &OpId,
    state: OpState,
    started_at_ms: Option<i64>,
    finished_at_ms: Option<i64>,
) -> Result<()> {
    conn.execute(
        "UPDATE bulk_ops SET state = ?2,
             started_at_ms = COALESCE(?3, started_at_ms),
             finished_at_ms = ?4
         WHERE id = ?1",
        params![op.0, state.as_str(), started_at_ms, finished_at_ms],
    )?;
    Ok(())
}

pub(crate) fn op_state(conn: &Connection, op: &OpId) -> Result<OpState> {
    let state: Option<String> = conn
        .query_row("SELECT state FROM bulk_ops WHERE id = ?1", [&op.0], |r| {
            r.get(0)
        })
        .optional()?;
    let state = state.ok_or_else(|| CoreError::NotFound(format!("no bulk operation {op}")))?;
    OpState::parse(&state).ok_or_else(|| CoreError::Internal(format!("bad op state {state}")))
}

/// A change as journals before typed values kept it: display text.
#[derive(Deserialize)]
struct TextChange {
    field: Field,
    before: Option<String>,
    after: Option<String>,
}

/// An item's changes: typed, or an older journal's text (shown as it is).
fn changes_from_json(text: &str) -> Vec<FieldChange> {
    serde_json::from_str(text).unwrap_or_else(|_| {
        let old: Vec<TextChange> = serde_json::from_str(text).unwrap_or_default();
        old.into_iter()
            .map(|c| {
                FieldChange::new(
                    c.field,
                    c.before.map(FieldValue::text),
                    c.after.map(FieldValue::text),
                )
            })
            .collect()
    })
}

const ITEM_COLUMNS: &str = "seq, panel_id, panel_name, kind, native_id, name, op, changes, state,
    attempts, error_code, error_message, message, result_id, started_at_ms, finished_at_ms, drift";

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<ItemRecord> {
    let kind: String = r.get(3)?;
    let op: String = r.get(6)?;
    let changes: String = r.get(7)?;
    let state: String = r.get(8)?;
    let drift: Option<String> = r.get(16)?;
    let bad = |what: &str, e: String| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("{what}: {e}").into(),
        )
    };
    Ok(ItemRecord {
        seq: r.get(0)?,
        panel_id: PanelId(r.get(1)?),
        panel_name: r.get(2)?,
        kind: kind.parse().map_err(|_| bad("kind", kind.clone()))?,
        native_id: r.get(4)?,
        name: r.get(5)?,
        op: serde_json::from_str(&op).map_err(|e| bad("op", e.to_string()))?,
        changes: changes_from_json(&changes),
        state: ItemState::parse(&state).ok_or_else(|| bad("state", state.clone()))?,
        attempts: r.get(9)?,
        error: ItemError::from_stored(&state, r.get(10)?, r.get(11)?),
        message: r
            .get::<_, Option<String>>(12)?
            .map(ItemOutcome::from_stored),
        result_id: r.get(13)?,
        started_at_ms: r.get(14)?,
        finished_at_ms: r.get(15)?,
        drift: drift.as_deref().map(changes_from_json).unwrap_or_default(),
        live_read: drift.is_some(),
    })
}

/// The items of an operation in `states` (all when empty), in plan order.
pub(crate) fn items(conn: &Connection, op: &OpId, states: &[ItemState]) -> Result<Vec<ItemRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM bulk_items WHERE op_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt
        .query_map([&op.0], item_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter(|i| states.is_empty() || states.contains(&i.state))
        .collect())
}

/// The secrets the operation's create items keep, by seq (items without any are absent).
pub(crate) fn kept(conn: &Connection, op: &OpId) -> Result<HashMap<u32, KeptCredentials>> {
    let mut stmt = conn
        .prepare_cached("SELECT seq, kept FROM bulk_items WHERE op_id = ?1 AND kept IS NOT NULL")?;
    let rows = stmt
        .query_map([&op.0], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(seq, text)| kept_from_json(&text).map(|k| (seq, k)))
        .collect())
}

/// Marks items as sent (or about to be): one transaction for the lot.
pub(crate) fn mark_running(conn: &mut Connection, op: &OpId, seqs: &[u32], now: i64) -> Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE bulk_items SET state = 'running', started_at_ms = ?3
             WHERE op_id = ?1 AND seq = ?2",
        )?;
        for seq in seqs {
            stmt.execute(params![op.0, seq, now])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// An item's end (or its return to pending when a cancel came before it was sent).
#[derive(Debug, Clone)]
pub(crate) struct ItemUpdate {
    pub seq: u32,
    pub state: ItemState,
    /// Tries made in this run.
    pub attempts: u32,
    pub error: Option<ItemError>,
    pub message: Option<ItemOutcome>,
    pub result_id: Option<String>,
}

pub(crate) fn finish_items(
    conn: &mut Connection,
    op: &OpId,
    updates: &[ItemUpdate],
    now: i64,
) -> Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE bulk_items SET state = ?3, attempts = attempts + ?4, error_code = ?5,
                 error_message = ?6, message = ?7, result_id = COALESCE(?8, result_id),
                 finished_at_ms = CASE WHEN ?3 IN ('done','failed','skipped') THEN ?9 END,
                 kept = CASE WHEN ?3 = 'done' THEN NULL ELSE kept END
             WHERE op_id = ?1 AND seq = ?2",
        )?;
        for u in updates {
            stmt.execute(params![
                op.0,
                u.seq,
                u.state.as_str(),
                u.attempts,
                u.error.as_ref().map(|e| e.code.as_str()),
                u.error.as_ref().map(|e| e.detail.clone()),
                u.message.as_ref().map(ItemOutcome::to_stored),
                u.result_id,
                now
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// An item's before → after, written once it ran (a detail-pane change reads them back from
/// the panel afterwards).
pub(crate) fn set_changes(
    conn: &Connection,
    op: &OpId,
    seq: u32,
    changes: &[FieldChange],
) -> Result<()> {
    let json = serde_json::to_string(changes).map_err(|e| CoreError::Internal(e.to_string()))?;
    conn.execute(
        "UPDATE bulk_items SET changes = ?3 WHERE op_id = ?1 AND seq = ?2",
        params![op.0, seq, json],
    )?;
    Ok(())
}

/// Items resolved against their live accounts, before they are sent: the live op and
/// before → after, and what changed since the preview (one transaction).
pub(crate) fn set_live(conn: &mut Connection, op: &OpId, items: &[&ItemRecord]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    fn json(v: &impl serde::Serialize) -> Result<String> {
        serde_json::to_string(v).map_err(|e| CoreError::Internal(e.to_string()))
    }
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE bulk_items SET op = ?3, changes = ?4, drift = ?5 WHERE op_id = ?1 AND seq = ?2",
        )?;
        for i in items {
            stmt.execute(params![
                op.0,
                i.seq,
                json(&i.op)?,
                json(&i.changes)?,
                json(&i.drift)?
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Drops a plan that never ran (items go with it).
pub(crate) fn discard_planned(conn: &Connection, op: &OpId) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM bulk_ops WHERE id = ?1 AND state = 'planned'",
        [&op.0],
    )? > 0)
}

/// Failed items back to pending (retry failed).
pub(crate) fn failed_to_pending(conn: &Connection, op: &OpId) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE bulk_items SET state = 'pending' WHERE op_id = ?1 AND state = 'failed'",
        [&op.0],
    )?)
}

/// Counts per panel (id, name) in plan order.
pub(crate) fn panel_counts(conn: &Connection, op: &OpId) -> Result<Vec<(PanelId, String, Counts)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT panel_id, panel_name, state, COUNT(*), MIN(seq) FROM bulk_items WHERE op_id = ?1
         GROUP BY panel_id, state ORDER BY MIN(seq)",
    )?;
    let rows = stmt
        .query_map([&op.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: Vec<(PanelId, String, Counts)> = Vec::new();
    for (panel, name, state, n) in rows {
        let idx = match out.iter().position(|(p, _, _)| p.0 == panel) {
            Some(i) => i,
            None => {
                out.push((PanelId(panel), name, Counts::default()));
                out.len() - 1
            }
        };
        add_count(&mut out[idx].2, ItemState::parse(&state), n);
    }
    Ok(out)
}

pub(crate) fn add_count(c: &mut Counts, state: Option<ItemState>, n: u32) {
    c.total += n;
    match state {
        Some(ItemState::Done) => c.done += n,
        Some(ItemState::Failed) => c.failed += n,
        Some(ItemState::Skipped) => c.skipped += n,
        _ => c.left += n,
    }
}

pub(crate) fn total_counts(per_panel: &[(PanelId, String, Counts)]) -> Counts {
    per_panel
        .iter()
        .fold(Counts::default(), |mut acc, (_, _, c)| {
            acc.total += c.total;
            acc.done += c.done;
            acc.failed += c.failed;
            acc.skipped += c.skipped;
            acc.left += c.left;
            acc
        })
}

/// Every operation that ran (plans never executed are left out), newest first, with its counts. `live` says which ones run in this process.
pub(crate) fn history(conn: &Connection, live: &dyn Fn(&OpId) -> bool) -> Result<Vec<OpSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, actor, state, created_at_ms, started_at_ms, finished_at_ms
         FROM bulk_ops WHERE state <> 'planned' ORDER BY created_at_ms DESC, id",
    )?;
    let ops = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<i64>>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ops.len());
    for (id, title, actor, state, created, started, finished) in ops {
        let op_id = OpId(id);
        let state = OpState::parse(&state).unwrap_or(OpState::Finished);
        let counts = total_counts(&panel_counts(conn, &op_id)?);
        out.push(OpSummary {
            interrupted: state == OpState::Running && !live(&op_id),
            op_id,
            title: OpTitle::from_stored(title),
            actor,
            state,
            created_at_ms: created,
            started_at_ms: started,
            finished_at_ms: finished,
            counts,
        });
    }
    Ok(out)
}

/// The plan as stored (for a plan made earlier, or to show what an operation was).
pub(crate) fn plan(conn: &Connection, op: &OpId) -> Result<BulkPlan> {
    let (title, created): (String, i64) = conn
        .query_row(
            "SELECT title, created_at_ms FROM bulk_ops WHERE id = ?1",
            [&op.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| CoreError::NotFound(format!("no bulk operation {op}")))?;
    let mut panels: Vec<PanelPlan> = Vec::new();
    for item in items(conn, op, &[])? {
        let skip = (item.state == ItemState::Skipped).then(|| match &item.error {
            Some(ItemError {
                code: ItemErrorCode::Skip(reason),
                detail,
            }) => Skip::new(*reason, detail.clone()),
            other => Skip::new(
                SkipReason::NoChange,
                other.as_ref().map(|e| e.detail.clone()).unwrap_or_default(),
            ),
        });
        let idx = match panels.iter().position(|p| p.panel_id == item.panel_id) {
            Some(i) => i,
            None => {
                panels.push(PanelPlan {
                    panel_id: item.panel_id.clone(),
                    panel_name: item.panel_name.clone(),
                    kind: item.kind,
                    items: Vec::new(),
                    to_change: 0,
                    skipped: 0,
                });
                panels.len() - 1
            }
        };
        let p = &mut panels[idx];
        if skip.is_some() {
            p.skipped += 1;
        } else {
            p.to_change += 1;
        }
        p.items.push(PlanItem {
            seq: item.seq,
            key: AccountKey::new(item.panel_id, item.native_id),
            name: item.name,
            op: item.op,
            changes: item.changes,
            skip,
        });
    }
    Ok(BulkPlan {
        id: op.clone(),
        title: OpTitle::from_stored(title),
        created_at_ms: created,
        to_change: panels.iter().map(|p| p.to_change).sum(),
        skipped: panels.iter().map(|p| p.skipped).sum(),
        panels,
    })
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;
