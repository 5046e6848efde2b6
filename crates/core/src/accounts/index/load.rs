//! One panel's snapshot rows, read from SQLite into the in-memory index.

use paneldeck_panels::PanelKind;
use rusqlite::{params, Connection};

use super::Row;
use crate::{accounts::model::StatusHints, error::Result, registry::PanelId};

fn unsigned(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

pub(super) fn load(conn: &Connection, panel: &PanelId) -> Result<Vec<Row>> {
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
