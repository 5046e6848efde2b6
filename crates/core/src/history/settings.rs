//! Watch settings kept in the profile's database (`watch_settings`, one JSON value per key):
//! the history's retention here; the alert rules use the same table.

use rusqlite::{Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use crate::error::Result;

/// Days of usage history kept unless the user sets otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;
const RETENTION_KEY: &str = "history.retention_days";

/// A stored setting, `None` when never set (or unreadable after a downgrade).
pub fn get<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM watch_settings WHERE key = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

pub fn set<T: Serialize>(conn: &Connection, key: &str, value: &T) -> Result<()> {
    let text = serde_json::to_string(value)
        .map_err(|e| crate::CoreError::Internal(format!("cannot store {key}: {e}")))?;
    conn.execute(
        "INSERT INTO watch_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, &text],
    )?;
    Ok(())
}

/// How many days of history to keep; `None` = history off (retention set to 0).
pub fn retention_days(conn: &Connection) -> Result<Option<u32>> {
    let days = get::<u32>(conn, RETENTION_KEY)?.unwrap_or(DEFAULT_RETENTION_DAYS);
    Ok((days > 0).then_some(days))
}

pub fn set_retention_days(conn: &Connection, days: u32) -> Result<()> {
    set(conn, RETENTION_KEY, &days)
}
