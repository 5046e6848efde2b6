//! The local SQLite database: panel settings now, the accounts snapshot and the journal later.
//! Schema changes are numbered migrations applied in order and recorded in `user_version`.

mod migrations;

use std::{path::Path, sync::Mutex};

use rusqlite::Connection;

use crate::error::{CoreError, Result};

pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Pages read through a memory map, not copied by read(2): reading a 100,000-account
        // snapshot for export/import copies hundreds of MB less. SQLite caps it on systems
        // without mmap.
        conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        migrations::apply(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` with the connection. Never hold this across an `.await`.
    pub fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| CoreError::Internal("database lock poisoned".into()))?;
        f(&mut conn)
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.with(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_applied_once_and_recorded() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| CoreError::Internal(e.to_string()))?;
        let path = dir.path().join("db.sqlite");
        let first = Store::open(&path)?;
        let version = first.schema_version()?;
        assert_eq!(version, migrations::latest());
        drop(first);
        // Reopening must not re-run (and fail on) existing migrations.
        let again = Store::open(&path)?;
        assert_eq!(again.schema_version()?, version);
        Ok(())
    }
}
