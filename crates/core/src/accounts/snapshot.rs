//! The accounts snapshot in SQLite: replacing one panel's rows in one transaction, upserting or
//! removing one account, the per-panel sync record, and the SQL that derives a status.

use std::borrow::Borrow;

use rusqlite::{params, Connection, OptionalExtension};

use super::{
    convert::Converted,
    model::{Account, AccountKey, DAY_MS},
    sync::PanelHealth,
};
use crate::{
    error::{ApiError, ErrorCode, Result},
    registry::PanelId,
};

/// [`super::model::derive_status`] in SQL over the `accounts` columns; `?now` is bound as
/// the named parameter `:now`.
pub const STATUS_SQL: &str = "(CASE \
    WHEN a.hint_expired = 1 OR (a.expires_at_ms IS NOT NULL AND a.expires_at_ms <= :now) THEN 'expired' \
    WHEN a.hint_depleted = 1 OR (a.limit_bytes IS NOT NULL AND a.used_bytes >= a.limit_bytes) THEN 'depleted' \
    WHEN a.enabled = 0 THEN 'disabled' \
    WHEN a.hint_on_hold = 1 THEN 'on_hold' \
    WHEN a.hint_restricted = 1 THEN 'limited' \
    ELSE 'active' END)";

/// Quota used up, in SQL.
pub const DEPLETED_SQL: &str =
    "(a.hint_depleted = 1 OR (a.limit_bytes IS NOT NULL AND a.used_bytes >= a.limit_bytes))";

/// One account ready to write: its columns computed and its record encoded (done before the
/// database lock is taken).
pub struct PreparedRow {
    account: Account,
    protocols: String,
    search: String,
    account_blob: Vec<u8>,
    raw_json: String,
    /// What transfer reads of the raw record, so reading a snapshot skips the raw JSON.
    bits_json: String,
}

/// First byte of a stored account in the compact encoding (postcard); earlier snapshots hold
/// JSON text, which [`decode_account`] still reads.
const ACCOUNT_POSTCARD_V1: u8 = 1;

/// The stored form of an account: postcard is about a quarter of the JSON's size and several
/// times faster to write and read, and the snapshot holds hundreds of thousands of them.
pub fn encode_account(account: &Account) -> Vec<u8> {
    let out = vec![ACCOUNT_POSTCARD_V1];
    match postcard::to_extend(account, out) {
        Ok(full) => full,
        // Postcard fails only on types it cannot express, which `Account` has none of.
        Err(_) => serde_json::to_vec(account).unwrap_or_default(),
    }
}

/// An account as stored in `accounts.account`: compact (BLOB) or JSON (TEXT).
pub fn decode_account(cell: rusqlite::types::ValueRef<'_>) -> Option<Account> {
    match cell {
        rusqlite::types::ValueRef::Blob([ACCOUNT_POSTCARD_V1, rest @ ..]) => {
            postcard::from_bytes(rest).ok()
        }
        rusqlite::types::ValueRef::Blob(json) | rusqlite::types::ValueRef::Text(json) => {
            serde_json::from_slice(json).ok()
        }
        _ => None,
    }
}

fn clamp(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The lowercased text search looks in: name, email, note, subscription id, uuid.
pub fn search_text(a: &Account) -> String {
    let parts = [
        Some(a.name.as_str()),
        a.email.as_deref(),
        a.note.as_deref(),
        a.sub_id.as_deref(),
        a.uuid.as_deref(),
    ];
    parts
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\u{1f}")
        .to_lowercase()
}

impl PreparedRow {
    pub fn new(c: Converted) -> Self {
        let protocols = if c.account.protocols.is_empty() {
            String::new()
        } else {
            format!(",{},", c.account.protocols.join(",").to_lowercase())
        };
        PreparedRow {
            protocols,
            search: search_text(&c.account),
            account_blob: encode_account(&c.account),
            bits_json: c.raw_bits().to_stored(),
            raw_json: c.raw_json,
            account: c.account,
        }
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    /// What the usage history records of this row.
    pub fn history_sample(&self) -> crate::history::write::Sample<'_> {
        crate::history::write::Sample {
            native_id: &self.account.key.native_id,
            used_bytes: self.account.used_bytes,
            group: self.account.group.as_deref(),
            raw_json: &self.raw_json,
        }
    }
}

macro_rules! insert_account {
    ($conflict:literal) => {
        concat!(
            "INSERT ", $conflict, " INTO accounts (panel_id, native_id, kind, name, email, enabled,
        hint_expired, hint_depleted, hint_on_hold, hint_restricted, used_bytes, limit_bytes,
        expires_at_ms, online, last_online_ms, created_at_ms, grp, protocols, search, synced_at_ms,
        account, raw, bits)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
        ?21, ?22, ?23)"
        )
    };
}

/// Into a panel whose rows were just deleted. A key listed twice (a page that shifted while
/// it was read) keeps its first row. Unlike REPLACE, IGNORE never deletes a row, so SQLite
/// keeps no statement journal: that journal copied every page each insert touched.
const INSERT_NEW: &str = insert_account!("OR IGNORE");
/// One account over its old row.
const UPSERT: &str = insert_account!("OR REPLACE");

/// Inserts with `sql`; returns how many rows were written.
fn insert_rows<R: Borrow<PreparedRow>>(
    conn: &Connection,
    sql: &str,
    rows: impl IntoIterator<Item = R>,
    synced_at_ms: i64,
) -> Result<u64> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut written = 0;
    for r in rows {
        let r = r.borrow();
        let a = &r.account;
        written += stmt.execute(params![
            a.key.panel_id.0,
            a.key.native_id,
            a.kind.as_str(),
            a.name,
            a.email,
            a.enabled,
            a.hints.expired,
            a.hints.depleted,
            a.hints.on_hold,
            a.hints.restricted,
            clamp(a.used_bytes),
            a.limit_bytes.map(clamp),
            a.expires_at_ms,
            a.online,
            a.last_online_ms,
            a.created_at_ms,
            a.group,
            r.protocols,
            r.search,
            synced_at_ms,
            r.account_blob,
            r.raw_json,
            r.bits_json,
        ])? as u64;
    }
    Ok(written)
}

/// What a successful sync learned about the panel.
pub struct SyncInfo<'a> {
    pub version: Option<&'a str>,
    pub api_generation: Option<&'a str>,
    pub took_ms: i64,
}

/// Replaces a panel's snapshot with `rows` and records the sync, in one transaction; returns
/// how many accounts the snapshot now holds. `rows` may be computed lazily: each is dropped
/// once written.
pub fn replace_panel<R: Borrow<PreparedRow>>(
    conn: &mut Connection,
    panel: &PanelId,
    rows: impl IntoIterator<Item = R>,
    info: &SyncInfo<'_>,
    now_ms: i64,
) -> Result<u64> {
    // A larger page cache for writing thousands of rows (the default is 2 MiB).
    conn.pragma_update(None, "cache_size", -32_768)?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM accounts WHERE panel_id = ?1", [&panel.0])?;
    let written = insert_rows(&tx, INSERT_NEW, rows, now_ms)?;
    tx.execute(
        "INSERT INTO panel_sync (panel_id, reachable, version, api_generation, last_sync_ms,
             last_attempt_ms, took_ms, error_code, error_message, account_count, generation)
         VALUES (?1, 1, ?2, ?3, ?4, ?4, ?5, NULL, NULL, ?6, 1)
         ON CONFLICT(panel_id) DO UPDATE SET reachable = 1, version = excluded.version,
             api_generation = excluded.api_generation, last_sync_ms = excluded.last_sync_ms,
             last_attempt_ms = excluded.last_attempt_ms, took_ms = excluded.took_ms,
             error_code = NULL, error_message = NULL, account_count = excluded.account_count,
             generation = generation + 1",
        params![
            panel.0,
            info.version,
            info.api_generation,
            // When the sync finished, not when it started: "synced just now" right after one.
            now_ms.saturating_add(info.took_ms),
            info.took_ms,
            written as i64
        ],
    )?;
    tx.commit()?;
    Ok(written)
}

/// Records a failed sync; the panel's last snapshot stays as it was.
pub fn record_failure(
    conn: &Connection,
    panel: &PanelId,
    error: &ApiError,
    reachable: bool,
    now_ms: i64,
) -> Result<()> {
    let code = serde_json::to_value(error.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned));
    conn.execute(
        "INSERT INTO panel_sync (panel_id, reachable, last_attempt_ms, error_code, error_message)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(panel_id) DO UPDATE SET reachable = excluded.reachable,
             last_attempt_ms = excluded.last_attempt_ms, error_code = excluded.error_code,
             error_message = excluded.error_message",
        params![panel.0, reachable, now_ms, code, error.message],
    )?;
    Ok(())
}

/// Writes one account (after a single-account edit) and keeps the panel's count right.
pub fn upsert(conn: &mut Connection, row: &PreparedRow, now_ms: i64) -> Result<()> {
    write_back(conn, &row.account.key.panel_id, &[row], &[], now_ms).map(|_| ())
}

/// Removes one account from the snapshot (after it was deleted on its panel).
pub fn remove(conn: &mut Connection, key: &AccountKey) -> Result<bool> {
    write_back(conn, &key.panel_id, &[], std::slice::from_ref(key), 0).map(|n| n > 0)
}

/// One panel's accounts after writes (one transaction): `rows` as read back, `gone` removed.
/// The rest of the snapshot is left as it is. Returns how many rows were removed.
pub fn write_back(
    conn: &mut Connection,
    panel: &PanelId,
    rows: &[&PreparedRow],
    gone: &[AccountKey],
    now_ms: i64,
) -> Result<usize> {
    let tx = conn.transaction()?;
    insert_rows(&tx, UPSERT, rows.iter().copied(), now_ms)?;
    let mut removed = 0;
    {
        let mut stmt =
            tx.prepare_cached("DELETE FROM accounts WHERE panel_id = ?1 AND native_id = ?2")?;
        for key in gone {
            removed += stmt.execute(params![key.panel_id.0, key.native_id])?;
        }
    }
    refresh_count(&tx, panel)?;
    tx.commit()?;
    Ok(removed)
}

/// Keeps the panel's count right and bumps its generation (the in-memory index reloads).
fn refresh_count(conn: &Connection, panel: &PanelId) -> Result<()> {
    conn.execute(
        "INSERT INTO panel_sync (panel_id, account_count, generation)
         VALUES (?1, (SELECT COUNT(*) FROM accounts WHERE panel_id = ?1), 1)
         ON CONFLICT(panel_id) DO UPDATE SET account_count = excluded.account_count,
             generation = generation + 1",
        [&panel.0],
    )?;
    Ok(())
}

/// The stored account and raw record of one key.
pub fn record(conn: &Connection, key: &AccountKey) -> Result<Option<(Account, serde_json::Value)>> {
    let found = conn
        .query_row(
            "SELECT account, raw FROM accounts WHERE panel_id = ?1 AND native_id = ?2",
            params![key.panel_id.0, key.native_id],
            |r| {
                Ok((
                    decode_account(r.get_ref(0)?),
                    r.get::<_, Option<String>>(1)?,
                ))
            },
        )
        .optional()?;
    Ok(found.and_then(|(account, raw)| {
        let raw = raw
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or(serde_json::Value::Null);
        Some((account?, raw))
    }))
}

/// Health of every registered panel (panels never synced included), in the registry's order.
pub fn health(conn: &Connection, now_ms: i64) -> Result<Vec<PanelHealth>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, s.reachable, s.version, s.api_generation, s.last_sync_ms,
                s.last_attempt_ms, s.took_ms, s.error_code, s.error_message,
                (SELECT COUNT(*) FROM accounts a WHERE a.panel_id = p.id)
         FROM panels p LEFT JOIN panel_sync s ON s.panel_id = p.id
         ORDER BY p.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        let code: Option<String> = r.get(8)?;
        let message: Option<String> = r.get(9)?;
        let last_sync_ms: Option<i64> = r.get(5)?;
        Ok(PanelHealth {
            panel_id: PanelId(r.get(0)?),
            panel_name: r.get(1)?,
            reachable: r.get(2)?,
            version: r.get(3)?,
            api_generation: r.get(4)?,
            last_sync_ms,
            last_attempt_ms: r.get(6)?,
            took_ms: r.get(7)?,
            age_ms: last_sync_ms.map(|t| (now_ms - t).max(0)),
            last_error: message.map(|message| ApiError {
                code: code.as_deref().map_or(ErrorCode::Internal, error_code),
                message,
                fields: Vec::new(),
                fingerprint: None,
                changes: Vec::new(),
            }),
            account_count: u64::try_from(r.get::<_, i64>(10)?).unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The API generation recorded at the last sync.
pub fn api_generation(conn: &Connection, panel: &PanelId) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT api_generation FROM panel_sync WHERE panel_id = ?1",
            [&panel.0],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// `ErrorCode` back from its stored snake_case name (the enum is Serialize-only).
fn error_code(name: &str) -> ErrorCode {
    use ErrorCode::*;
    const ALL: [ErrorCode; 22] = [
        InvalidInput,
        NotFound,
        Conflict,
        Storage,
        Keyring,
        InvalidUrl,
        Dns,
        ConnectionRefused,
        Timeout,
        CertificateNotTrusted,
        CertificateMismatch,
        Tls,
        Network,
        Unauthorized,
        Forbidden,
        NotThisPanel,
        PanelRejected,
        RateLimited,
        PanelFailed,
        UnexpectedAnswer,
        Unsupported,
        Internal,
    ];
    ALL.into_iter()
        .find(|c| {
            serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(|s| s == name))
                == Some(true)
        })
        .unwrap_or(Internal)
}

/// `expires within N days` bounds, in ms.
pub fn expiring_bounds(now_ms: i64, days: u32) -> (i64, i64) {
    (now_ms, now_ms + i64::from(days) * DAY_MS)
}
