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
    // 2: the accounts snapshot (issue 6). `accounts` holds the columns the table filters and
    // sorts on (kept small so a scan stays fast); `account_records` the unified account and
    // the panel's raw record as JSON. `status` is derived at read time from the hint columns
    // (see accounts::snapshot::STATUS_SQL). Removing a panel removes its rows (CASCADE).
    "CREATE TABLE accounts (
        panel_id        TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
        native_id       TEXT NOT NULL,
        kind            TEXT NOT NULL,
        name            TEXT NOT NULL,
        email           TEXT,
        enabled         INTEGER NOT NULL,
        hint_expired    INTEGER NOT NULL DEFAULT 0,
        hint_depleted   INTEGER NOT NULL DEFAULT 0,
        hint_on_hold    INTEGER NOT NULL DEFAULT 0,
        hint_restricted INTEGER NOT NULL DEFAULT 0,
        used_bytes      INTEGER NOT NULL DEFAULT 0,
        limit_bytes     INTEGER,
        expires_at_ms   INTEGER,
        online          INTEGER,
        last_online_ms  INTEGER,
        created_at_ms   INTEGER,
        grp             TEXT,
        protocols       TEXT NOT NULL DEFAULT '',
        search          TEXT NOT NULL DEFAULT '',
        synced_at_ms    INTEGER NOT NULL,
        PRIMARY KEY (panel_id, native_id)
    ) WITHOUT ROWID;
    CREATE INDEX accounts_kind ON accounts(kind);
    CREATE INDEX accounts_expiry ON accounts(expires_at_ms) WHERE expires_at_ms IS NOT NULL;
    CREATE INDEX accounts_grp ON accounts(grp COLLATE NOCASE) WHERE grp IS NOT NULL;
    CREATE TABLE account_records (
        panel_id  TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
        native_id TEXT NOT NULL,
        account   TEXT NOT NULL,
        raw       TEXT NOT NULL,
        PRIMARY KEY (panel_id, native_id)
    ) WITHOUT ROWID;
    CREATE TABLE panel_sync (
        panel_id        TEXT PRIMARY KEY REFERENCES panels(id) ON DELETE CASCADE,
        reachable       INTEGER,
        version         TEXT,
        api_generation  TEXT,
        last_sync_ms    INTEGER,
        last_attempt_ms INTEGER,
        took_ms         INTEGER,
        error_code      TEXT,
        error_message   TEXT,
        account_count   INTEGER NOT NULL DEFAULT 0
    );",
    // 3: the bulk operations journal (issue 7): one row per operation, one per item, written
    // as the run goes so a crash can be resumed. No foreign key to `panels`: the history stays
    // when a panel is removed.
    "CREATE TABLE bulk_ops (
        id             TEXT PRIMARY KEY,
        title          TEXT NOT NULL,
        actor          TEXT NOT NULL,
        request        TEXT NOT NULL,
        state          TEXT NOT NULL,
        created_at_ms  INTEGER NOT NULL,
        started_at_ms  INTEGER,
        finished_at_ms INTEGER
    );
    CREATE TABLE bulk_items (
        op_id          TEXT NOT NULL REFERENCES bulk_ops(id) ON DELETE CASCADE,
        seq            INTEGER NOT NULL,
        panel_id       TEXT NOT NULL,
        panel_name     TEXT NOT NULL,
        kind           TEXT NOT NULL,
        native_id      TEXT NOT NULL,
        name           TEXT NOT NULL,
        op             TEXT NOT NULL,
        changes        TEXT NOT NULL DEFAULT '[]',
        state          TEXT NOT NULL
                       CHECK (state IN ('pending','running','done','failed','skipped')),
        attempts       INTEGER NOT NULL DEFAULT 0,
        error_code     TEXT,
        error_message  TEXT,
        message        TEXT,
        result_id      TEXT,
        started_at_ms  INTEGER,
        finished_at_ms INTEGER,
        PRIMARY KEY (op_id, seq)
    );
    CREATE INDEX bulk_items_state ON bulk_items(op_id, state);",
    // 4: a counter bumped on every write to a panel's snapshot rows, so an in-memory copy
    // (accounts::index) knows when to reload, whichever process wrote.
    "ALTER TABLE panel_sync ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;",
    // 5: the snapshot tables as rowid tables: their rows (JSON records especially) are too
    // wide for WITHOUT ROWID, which made writing 25,000 accounts several times slower. The
    // table's query runs in memory (accounts::index), so only the key and expiry are indexed.
    "CREATE TABLE accounts_v5 (
        panel_id        TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
        native_id       TEXT NOT NULL,
        kind            TEXT NOT NULL,
        name            TEXT NOT NULL,
        email           TEXT,
        enabled         INTEGER NOT NULL,
        hint_expired    INTEGER NOT NULL DEFAULT 0,
        hint_depleted   INTEGER NOT NULL DEFAULT 0,
        hint_on_hold    INTEGER NOT NULL DEFAULT 0,
        hint_restricted INTEGER NOT NULL DEFAULT 0,
        used_bytes      INTEGER NOT NULL DEFAULT 0,
        limit_bytes     INTEGER,
        expires_at_ms   INTEGER,
        online          INTEGER,
        last_online_ms  INTEGER,
        created_at_ms   INTEGER,
        grp             TEXT,
        protocols       TEXT NOT NULL DEFAULT '',
        search          TEXT NOT NULL DEFAULT '',
        synced_at_ms    INTEGER NOT NULL
    );
    INSERT INTO accounts_v5 SELECT panel_id, native_id, kind, name, email, enabled, hint_expired,
        hint_depleted, hint_on_hold, hint_restricted, used_bytes, limit_bytes, expires_at_ms,
        online, last_online_ms, created_at_ms, grp, protocols, search, synced_at_ms FROM accounts;
    DROP TABLE accounts;
    ALTER TABLE accounts_v5 RENAME TO accounts;
    CREATE UNIQUE INDEX accounts_key ON accounts(panel_id, native_id);
    CREATE INDEX accounts_expiry ON accounts(expires_at_ms) WHERE expires_at_ms IS NOT NULL;
    CREATE TABLE account_records_v5 (
        panel_id  TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
        native_id TEXT NOT NULL,
        account   TEXT NOT NULL,
        raw       TEXT NOT NULL
    );
    INSERT INTO account_records_v5 SELECT panel_id, native_id, account, raw FROM account_records;
    DROP TABLE account_records;
    ALTER TABLE account_records_v5 RENAME TO account_records;
    CREATE UNIQUE INDEX account_records_key ON account_records(panel_id, native_id);",
    // 6: the UUIDs/passwords a create item keeps (import, migration), as JSON, apart from its
    // `op` (which the history and its exports show); cleared once the item is done.
    "ALTER TABLE bulk_items ADD COLUMN kept TEXT;",
    // 7: each account's record (`account`: compact encoding, or JSON from before; `raw`: the
    // panel's own record as JSON) moves into its `accounts` row. Two tables with two unique
    // indexes made a sync's write about 40 % slower than one, and every reader joins them.
    // `bits` is what transfer reads of the raw record (accounts::RawBits as JSON), written at
    // sync so export/import need not parse every raw record; NULL in rows synced before, whose
    // readers then parse `raw`.
    "ALTER TABLE accounts ADD COLUMN account BLOB;
    ALTER TABLE accounts ADD COLUMN raw TEXT;
    ALTER TABLE accounts ADD COLUMN bits TEXT;
    UPDATE accounts SET (account, raw) = (SELECT r.account, r.raw FROM account_records r
        WHERE r.panel_id = accounts.panel_id AND r.native_id = accounts.native_id);
    DROP TABLE account_records;",
    // 8: panels of kind `pasarguard`. SQLite cannot change a CHECK in place: the table is
    // rebuilt (with foreign keys off during migrations, see `apply`, so its rows' accounts
    // stay).
    "CREATE TABLE panels_v8 (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        kind        TEXT NOT NULL
                    CHECK (kind IN ('xui','marzban','userpass','pterodactyl','pasarguard')),
        base_url    TEXT NOT NULL,
        color       TEXT NOT NULL,
        tag         TEXT NOT NULL DEFAULT '',
        pinned_cert TEXT,
        settings    TEXT NOT NULL DEFAULT '{}',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );
    INSERT INTO panels_v8 SELECT id, name, kind, base_url, color, tag, pinned_cert, settings,
        created_at, updated_at FROM panels;
    DROP TABLE panels;
    ALTER TABLE panels_v8 RENAME TO panels;",
    // 9: what changed on the panel since an item's preview (JSON, preview → live), written
    // when the item is read live right before its write; NULL = not read yet.
    "ALTER TABLE bulk_items ADD COLUMN drift TEXT;",
    // 10: usage history and alerts (issue 22). `usage_accounts` gives each account of a panel
    // a small ordinal (with its group and owner) so a point names accounts by it;
    // `usage_points` holds per panel one point per sync (span 0), hourly and daily sums
    // (span in ms), each the accounts' traffic as varint pairs (history::codec).
    // `alert_seen` remembers which event was announced, so it is announced once.
    "CREATE TABLE usage_accounts (
        panel_id  TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
        ordinal   INTEGER NOT NULL,
        native_id TEXT NOT NULL,
        grp       TEXT,
        owner     TEXT,
        PRIMARY KEY (panel_id, ordinal)
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX usage_accounts_key ON usage_accounts(panel_id, native_id);
    CREATE TABLE usage_points (
        panel_id    TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
        span_ms     INTEGER NOT NULL,
        at_ms       INTEGER NOT NULL,
        total_bytes INTEGER NOT NULL,
        deltas      BLOB NOT NULL
    );
    CREATE UNIQUE INDEX usage_points_key ON usage_points(panel_id, span_ms, at_ms);
    CREATE INDEX usage_points_at ON usage_points(at_ms);
    CREATE TABLE watch_settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE alert_seen (
        rule        TEXT NOT NULL,
        subject     TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        seen_at_ms  INTEGER NOT NULL,
        PRIMARY KEY (rule, subject)
    ) WITHOUT ROWID;",
];

#[cfg(test)]
pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Runs the migrations a profile lacks. Foreign keys are off meanwhile (SQLite's way of
/// rebuilding a table others refer to: dropping the old one must not cascade) and checked
/// after.
pub(super) fn apply(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    conn.pragma_update(None, "foreign_keys", if enforced { "ON" } else { "OFF" })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A profile of schema 6 keeps its snapshot: account and raw record move into `accounts`.
    #[test]
    fn records_move_into_the_accounts_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..6] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute_batch(
            "INSERT INTO panels (id, name, kind, base_url, color, created_at, updated_at)
                 VALUES ('p1', 'eu1', 'marzban', 'https://eu1', '#000000', 0, 0);
             INSERT INTO accounts (panel_id, native_id, kind, name, enabled, synced_at_ms)
                 VALUES ('p1', 'alice', 'marzban', 'alice', 1, 0),
                        ('p1', 'bob', 'marzban', 'bob', 1, 0);
             INSERT INTO account_records (panel_id, native_id, account, raw)
                 VALUES ('p1', 'alice', '{\"name\":\"alice\"}', '{\"username\":\"alice\"}'),
                        ('p1', 'bob', '{\"name\":\"bob\"}', '{\"username\":\"bob\"}');",
        )
        .unwrap();
        apply(&mut conn).unwrap();
        let rows: Vec<(String, String, String, Option<String>)> = conn
            .prepare("SELECT native_id, account, raw, bits FROM accounts ORDER BY native_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            rows,
            vec![
                (
                    "alice".into(),
                    r#"{"name":"alice"}"#.into(),
                    r#"{"username":"alice"}"#.into(),
                    None
                ),
                (
                    "bob".into(),
                    r#"{"name":"bob"}"#.into(),
                    r#"{"username":"bob"}"#.into(),
                    None
                ),
            ]
        );
        let left: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'account_records'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0);
    }

    /// Rebuilding `panels` for the `pasarguard` kind keeps every panel and its accounts.
    #[test]
    fn panels_take_the_pasarguard_kind_and_keep_their_accounts() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in &MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "INSERT INTO panels (id, name, kind, base_url, color, created_at, updated_at)
                 VALUES ('p1', 'eu1', 'marzban', 'https://eu1', '#000000', 0, 0);
             INSERT INTO accounts (panel_id, native_id, kind, name, enabled, synced_at_ms)
                 VALUES ('p1', 'alice', 'marzban', 'alice', 1, 0);",
        )
        .unwrap();
        apply(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO panels (id, name, kind, base_url, color, created_at, updated_at)
                 VALUES ('p2', 'pg1', 'pasarguard', 'https://pg1', '#000000', 0, 0);",
        )
        .unwrap();
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM panels"), 2);
        assert_eq!(count("SELECT COUNT(*) FROM accounts"), 1);
        assert_eq!(count("PRAGMA foreign_keys"), 1);
        // Removing a panel still removes its accounts.
        conn.execute_batch("DELETE FROM panels WHERE id = 'p1'")
            .unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM accounts"), 0);
    }
}
