//! The local SQLite database: panel settings now, the accounts snapshot and the journal later.
//! Schema changes are numbered migrations applied in order and recorded in `user_version`.

mod migrations;

use std::{
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use rusqlite::Connection;

use crate::error::{CoreError, Result};

/// SQLite's default: the WAL is copied into the database once it passes this many pages.
const AUTOCHECKPOINT_PAGES: i64 = 1000;

/// How long the background checkpoint waits for large writes to stop coming: a sync writes
/// its panels one after another, and copying the WAL meanwhile slows the writes still to come.
/// It copies after [`CHECKPOINT_MAX_WAIT`] even if they never stop.
const CHECKPOINT_SETTLE: Duration = Duration::from_millis(1000);
const CHECKPOINT_MAX_WAIT: Duration = Duration::from_secs(10);

pub struct Store {
    conn: Mutex<Connection>,
    /// The database file; `None` in memory (nothing to checkpoint).
    path: Option<PathBuf>,
    /// Set while a background checkpoint runs.
    checkpointing: Arc<AtomicBool>,
    /// Counts large writes; the background checkpoint runs once this stops moving.
    large_writes: Arc<AtomicU64>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Self> {
        crate::profile::private_file(path).map_err(|e| CoreError::io(path, "create", e))?;
        let conn = Connection::open(path)?;
        Self::init(conn, Some(path.to_owned()))
    }

    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Self> {
        // Snapshot rows are one to two KiB of JSON each; 16 KiB pages write them about a
        // third faster than the default 4 KiB. Takes effect only on a new database.
        conn.pragma_update(None, "page_size", 16_384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // Pages read through a memory map, not copied by read(2): reading a 100,000-account
        // snapshot for export/import copies hundreds of MB less. SQLite caps it on systems
        // without mmap.
        conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
        migrations::apply(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            checkpointing: Arc::default(),
            large_writes: Arc::default(),
        })
    }

    /// Runs a large write (a panel's whole snapshot) without copying the WAL into the database
    /// at its commit, which would double the write's time; a separate connection does that copy
    /// in the background afterwards.
    ///
    /// Its commit does not wait for the disk either (`synchronous = NORMAL`): that took 25 to
    /// 75 ms per panel, with the database locked. The data is safe if the app crashes; a power
    /// cut may undo it, which costs a snapshot the next sync rewrites, never a corrupt database.
    /// The next ordinary commit (a journal entry, at `FULL`) flushes it along with its own, as
    /// the WAL is one file written in order.
    pub fn with_large_write<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let result = self.with(|c| {
            let synchronous: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0))?;
            c.pragma_update(None, "wal_autocheckpoint", 0)?;
            c.pragma_update(None, "synchronous", "NORMAL")?;
            let result = f(c);
            c.pragma_update(None, "synchronous", synchronous)?;
            c.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)?;
            result
        });
        self.checkpoint_in_background();
        result
    }

    fn checkpoint_in_background(&self) {
        let Some(path) = self.path.clone() else {
            return;
        };
        self.large_writes.fetch_add(1, Ordering::SeqCst);
        if self.checkpointing.swap(true, Ordering::SeqCst) {
            return; // the running one sees the count move and waits for this write too
        }
        let (running, writes) = (self.checkpointing.clone(), self.large_writes.clone());
        let spawned = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                yield_to_foreground();
                let (mut copied, mut waiting) = (None, std::time::Instant::now());
                loop {
                    let seen = writes.load(Ordering::SeqCst);
                    if copied == Some(seen) {
                        break;
                    }
                    std::thread::sleep(CHECKPOINT_SETTLE);
                    let still_writing = writes.load(Ordering::SeqCst) != seen;
                    if still_writing && waiting.elapsed() < CHECKPOINT_MAX_WAIT {
                        continue;
                    }
                    waiting = std::time::Instant::now();
                    if let Err(err) = checkpoint(&path) {
                        tracing::debug!(%err, "background checkpoint failed");
                    }
                    copied = Some(seen);
                }
                // A request that lands just here is missed; the next commit's automatic
                // checkpoint then does the copy, so nothing is lost but time.
                running.store(false, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread: the next commit's automatic checkpoint does it instead.
            self.checkpointing.store(false, Ordering::SeqCst);
        }
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

/// The checkpoint is upkeep that can wait: its thread gives way to every other (nice 19), so
/// that copying a large sync's WAL does not take a CPU from the window being scrolled. On
/// a two-CPU machine it took one whole for 50 ms stretches, and frames waited. On Linux
/// the nice value belongs to the thread; elsewhere it would be the process's, so it is left.
fn yield_to_foreground() {
    #[cfg(target_os = "linux")]
    if let Err(err) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19) {
        tracing::debug!(%err, "cannot lower the checkpoint thread's priority");
    }
}

/// Copies what it can of the WAL into the database without blocking readers or writers.
fn checkpoint(path: &Path) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
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

    /// A large write commits into the WAL only; the background checkpoint then copies it into
    /// the database file (which would otherwise stay at its empty size).
    #[test]
    fn a_large_write_reaches_the_database_file_in_the_background() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| CoreError::Internal(e.to_string()))?;
        let path = dir.path().join("db.sqlite");
        let store = Store::open(&path)?;
        let size = || std::fs::metadata(&path).map_or(0, |m| m.len());
        let before = size();
        store.with_large_write(|c| {
            let tx = c.transaction()?;
            tx.execute("CREATE TABLE blobs (b BLOB)", [])?;
            for _ in 0..2_000 {
                tx.execute("INSERT INTO blobs VALUES (zeroblob(1024))", [])?;
            }
            tx.commit()?;
            Ok(())
        })?;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while size() < before + 2_000 * 1024 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(size() >= before + 2_000 * 1024, "{before} -> {}", size());
        let autocheckpoint: i64 =
            store.with(|c| Ok(c.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?))?;
        assert_eq!(autocheckpoint, AUTOCHECKPOINT_PAGES);
        Ok(())
    }

    /// Only a large write's commit skips waiting for the disk; every other write (the bulk
    /// journal's among them) still waits, before and after one.
    #[test]
    fn only_large_writes_commit_without_waiting_for_the_disk() -> Result<()> {
        const NORMAL: i64 = 1;
        const FULL: i64 = 2;
        let dir = tempfile::tempdir().map_err(|e| CoreError::Internal(e.to_string()))?;
        let store = Store::open(&dir.path().join("db.sqlite"))?;
        let synchronous = |c: &Connection| -> Result<i64> {
            Ok(c.pragma_query_value(None, "synchronous", |r| r.get(0))?)
        };
        assert_eq!(store.with(|c| synchronous(c))?, FULL);
        assert_eq!(store.with_large_write(|c| synchronous(c))?, NORMAL);
        assert_eq!(store.with(|c| synchronous(c))?, FULL);
        // Also after a large write that failed.
        let failed: Result<()> =
            store.with_large_write(|_| Err(CoreError::Internal("failed".into())));
        assert!(failed.is_err());
        assert_eq!(store.with(|c| synchronous(c))?, FULL);
        Ok(())
    }
}
