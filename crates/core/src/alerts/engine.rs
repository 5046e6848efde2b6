//! One round of the rules over the snapshot: what qualifies now, less what was announced
//! already (`alert_seen`), grouped into alerts. A subject that stops qualifying (an account
//! renewed, a panel back) is forgotten, so it is announced again if it qualifies again.

use std::collections::HashSet;

use rusqlite::{params, Connection};

use super::types::{Alert, AlertFilter, AlertKind, AlertSettings, RuleKind};
use crate::{
    accounts::{
        model::DAY_MS,
        snapshot::{DEPLETED_SQL, STATUS_SQL},
        AccountKey,
    },
    error::Result,
    registry::PanelId,
};

/// Names an alert spells out; the rest is a count.
pub const NAMES_SHOWN: usize = 5;
/// Bulk operations finished longer ago than this are not announced (a first round would
/// otherwise announce the whole journal).
const BULK_RECENT_MS: i64 = DAY_MS;

/// Something a rule holds true now.
struct Subject {
    id: String,
    panel_id: PanelId,
    name: String,
    account: Option<AccountKey>,
    kind: Option<AlertKind>,
}

/// Accounts the `where_sql` selects (over `accounts a`; `:now` is the moment, an integer).
fn accounts_where(conn: &Connection, where_sql: &str, now_ms: i64) -> Result<Vec<Subject>> {
    let sql = format!(
        "SELECT a.panel_id, a.native_id, a.name FROM accounts a WHERE {}
         ORDER BY a.expires_at_ms, a.name",
        where_sql.replace(":now", &now_ms.to_string())
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        let (panel, native_id): (String, String) = (r.get(0)?, r.get(1)?);
        Ok(Subject {
            id: format!("{panel}:{native_id}"),
            account: Some(AccountKey::new(PanelId(panel.clone()), native_id)),
            panel_id: PanelId(panel),
            name: r.get(2)?,
            kind: None,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Panels that failed their last attempts and last synced more than `minutes` ago.
fn unreachable_panels(conn: &Connection, minutes: u32, now_ms: i64) -> Result<Vec<Subject>> {
    let since = now_ms - i64::from(minutes) * 60_000;
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name FROM panel_sync s JOIN panels p ON p.id = s.panel_id
         WHERE s.reachable = 0 AND COALESCE(s.last_sync_ms, 0) <= ?1",
    )?;
    let rows = stmt.query_map([since], |r| {
        let (id, name): (String, String) = (r.get(0)?, r.get(1)?);
        Ok(Subject {
            kind: Some(AlertKind::PanelUnreachable {
                panel_id: PanelId(id.clone()),
                panel_name: name.clone(),
                minutes,
            }),
            id: id.clone(),
            panel_id: PanelId(id),
            name,
            account: None,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Panels whose certificate no longer matches the pinned one (their last sync's error).
fn certificate_changed(conn: &Connection) -> Result<Vec<Subject>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name FROM panel_sync s JOIN panels p ON p.id = s.panel_id
         WHERE s.error_code = 'certificate_mismatch'",
    )?;
    let rows = stmt.query_map([], |r| {
        let (id, name): (String, String) = (r.get(0)?, r.get(1)?);
        Ok(Subject {
            kind: Some(AlertKind::CertificateChanged {
                panel_id: PanelId(id.clone()),
                panel_name: name.clone(),
            }),
            id: id.clone(),
            panel_id: PanelId(id),
            name,
            account: None,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Bulk operations that finished recently, with their done and failed items.
fn bulk_done(conn: &Connection, now_ms: i64) -> Result<Vec<Subject>> {
    let mut stmt = conn.prepare(
        "SELECT o.id, o.title,
             (SELECT COUNT(*) FROM bulk_items i WHERE i.op_id = o.id AND i.state = 'done'),
             (SELECT COUNT(*) FROM bulk_items i WHERE i.op_id = o.id AND i.state = 'failed')
         FROM bulk_ops o WHERE o.state = 'finished' AND o.finished_at_ms > ?1",
    )?;
    let rows = stmt.query_map([now_ms - BULK_RECENT_MS], |r| {
        let (id, title): (String, String) = (r.get(0)?, r.get(1)?);
        Ok(Subject {
            kind: Some(AlertKind::BulkFinished {
                op_id: id.clone(),
                title: title.clone(),
                done: r.get::<_, i64>(2)?.max(0) as u64,
                failed: r.get::<_, i64>(3)?.max(0) as u64,
            }),
            id,
            panel_id: PanelId(String::new()),
            name: title,
            account: None,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What qualifies for `rule` now.
fn qualifying(
    conn: &Connection,
    s: &AlertSettings,
    rule: RuleKind,
    now: i64,
) -> Result<Vec<Subject>> {
    let r = &s.rules;
    match rule {
        RuleKind::Expiring => {
            let until = now + i64::from(r.expiring_days) * DAY_MS;
            let sql = format!(
                "a.expires_at_ms > :now AND a.expires_at_ms <= {until} AND {STATUS_SQL} != 'expired'"
            );
            accounts_where(conn, &sql, now)
        }
        RuleKind::Depleted => accounts_where(conn, DEPLETED_SQL, now),
        RuleKind::UsageAbove => {
            let sql = format!(
                "a.limit_bytes > 0 AND NOT {DEPLETED_SQL}
                 AND a.used_bytes * 100 >= a.limit_bytes * {}",
                r.usage_percent
            );
            accounts_where(conn, &sql, now)
        }
        RuleKind::Unreachable => unreachable_panels(conn, r.unreachable_minutes, now),
        RuleKind::CertificateChanged => certificate_changed(conn),
        RuleKind::BulkDone => bulk_done(conn, now),
    }
}

/// The alert for many accounts of one rule at once.
fn account_alert(rule: RuleKind, s: &AlertSettings, new: &[Subject], now_ms: i64) -> Alert {
    let kind = match rule {
        RuleKind::Expiring => AlertKind::AccountsExpiring {
            within_days: s.rules.expiring_days,
        },
        RuleKind::Depleted => AlertKind::AccountsDepleted,
        _ => AlertKind::UsageAbove {
            percent: s.rules.usage_percent,
        },
    };
    let mut panel_ids: Vec<PanelId> = new.iter().map(|n| n.panel_id.clone()).collect();
    panel_ids.sort();
    panel_ids.dedup();
    let filter = match rule {
        RuleKind::Expiring => Some(AlertFilter {
            panel_ids,
            expiring_within_days: Some(s.rules.expiring_days),
            depleted: false,
        }),
        RuleKind::Depleted => Some(AlertFilter {
            panel_ids,
            expiring_within_days: None,
            depleted: true,
        }),
        _ => None,
    };
    Alert {
        kind,
        at_ms: now_ms,
        count: new.len() as u64,
        names: new
            .iter()
            .take(NAMES_SHOWN)
            .map(|n| n.name.clone())
            .collect(),
        accounts: new.iter().filter_map(|n| n.account.clone()).collect(),
        filter,
    }
}

fn seen(conn: &Connection, rule: RuleKind) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT subject FROM alert_seen WHERE rule = ?1")?;
    let rows = stmt.query_map([rule.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Runs every enabled rule at `now_ms`: returns the alerts to announce and records them as
/// announced. While quiet hours or a pause hold alerts back, nothing is recorded, so what
/// happens meanwhile is announced (grouped) once they end.
pub fn run_round(
    conn: &mut Connection,
    settings: &AlertSettings,
    now_ms: i64,
) -> Result<Vec<Alert>> {
    if settings.holding(now_ms) {
        return Ok(Vec::new());
    }
    let tx = conn.transaction()?;
    let mut alerts = Vec::new();
    for rule in RuleKind::ALL {
        let current: Vec<Subject> = if settings.rules.enabled(rule) {
            qualifying(&tx, settings, rule, now_ms)?
                .into_iter()
                .filter(|s| !settings.muted(&s.panel_id, rule))
                .collect()
        } else {
            Vec::new()
        };
        let already = seen(&tx, rule)?;
        let ids: HashSet<&str> = current.iter().map(|s| s.id.as_str()).collect();
        for gone in already.iter().filter(|id| !ids.contains(id.as_str())) {
            tx.execute(
                "DELETE FROM alert_seen WHERE rule = ?1 AND subject = ?2",
                params![rule.as_str(), gone],
            )?;
        }
        let new: Vec<Subject> = current
            .into_iter()
            .filter(|s| !already.contains(&s.id))
            .collect();
        for s in &new {
            tx.execute(
                "INSERT OR REPLACE INTO alert_seen (rule, subject, fingerprint, seen_at_ms)
                 VALUES (?1, ?2, '', ?3)",
                params![rule.as_str(), s.id, now_ms],
            )?;
        }
        if new.is_empty() {
            continue;
        }
        match rule {
            RuleKind::Expiring | RuleKind::Depleted | RuleKind::UsageAbove => {
                alerts.push(account_alert(rule, settings, &new, now_ms));
            }
            _ => alerts.extend(new.into_iter().filter_map(|s| {
                Some(Alert {
                    kind: s.kind?,
                    at_ms: now_ms,
                    count: 0,
                    names: Vec::new(),
                    accounts: Vec::new(),
                    filter: None,
                })
            })),
        }
    }
    tx.commit()?;
    Ok(alerts)
}
