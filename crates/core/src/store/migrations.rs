use rusqlite::Connection;

use crate::error::Result;

/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: the panel registry. Secrets are NOT here: `secret_ref` names the keyring entry.
    "CREATE TABLE panels (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind        TEXT NOT NULL CHECK (kind IN ('xui','marzban','userpass','pterodactyl')),
        base_url    TEXT NOT NULL,
        color       TEXT NOT NULL,
        tag         TEXT NOT NULL DEFAULT '',
        pinned_cert TEXT,
        settings    TEXT NOT NULL DEFAULT '{}',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );",
];

#[cfg(test)]
pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
