//! Account export: a selection of the snapshot to CSV or JSON in the file schema, written
//! atomically.

use std::{io::Write, path::Path};

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::{
    atomic::write_atomic,
    raw::RawBits,
    schema::{AccountFile, AccountRecord, COLUMNS, JSON_FORMAT, SCHEMA_VERSION},
};
use crate::{
    accounts::{model::now_ms, snapshot, Account, AccountKey, AccountQuery},
    error::Result,
    registry::PanelId,
    Paneldeck,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Which accounts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Selection {
    Keys {
        keys: Vec<AccountKey>,
    },
    Query {
        query: AccountQuery,
    },
    #[serde(rename_all = "camelCase")]
    Panel {
        panel_id: PanelId,
    },
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// Write UUIDs, passwords, proxy keys, subscription ids and URLs.
    pub include_credentials: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub accounts: u32,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
}

/// Writes `records` as CSV (header + one row each).
pub fn write_csv(records: &[AccountRecord], w: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(COLUMNS)?;
    for r in records {
        csv.write_record(r.to_cells())?;
    }
    csv.flush()?;
    Ok(())
}

/// Writes `records` as a JSON account file: the envelope, then one account per line (so a
/// reader's line numbers point at accounts).
pub fn write_json(
    records: &[AccountRecord],
    include_credentials: bool,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    write!(
        w,
        "{{\"format\":\"{JSON_FORMAT}\",\"version\":{SCHEMA_VERSION},\"includes_credentials\":{include_credentials},\"accounts\":["
    )?;
    for (i, r) in records.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *w, r)?;
    }
    w.write_all(b"\n]}\n")
}

/// The bytes of `records` in `format`.
pub fn to_bytes(records: &[AccountRecord], opts: ExportOptions) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(records.len() * 256);
    match opts.format {
        ExportFormat::Csv => write_csv(records, &mut out)?,
        ExportFormat::Json => write_json(records, opts.include_credentials, &mut out)?,
    }
    Ok(out)
}

/// Writes `records` to `path` atomically; returns the size written.
pub fn write_file(records: &[AccountRecord], opts: ExportOptions, path: &Path) -> Result<u64> {
    let mut size = 0u64;
    write_atomic(path, |w| {
        let mut counting = Counting {
            inner: w,
            n: &mut size,
        };
        match opts.format {
            ExportFormat::Csv => write_csv(records, &mut counting),
            ExportFormat::Json => write_json(records, opts.include_credentials, &mut counting),
        }
    })?;
    Ok(size)
}

struct Counting<'a> {
    inner: &'a mut dyn Write,
    n: &'a mut u64,
}

impl Write for Counting<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        *self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Parses a JSON account file's `accounts` (for tests and tools; the importer validates).
pub fn read_json(bytes: &[u8]) -> serde_json::Result<AccountFile> {
    serde_json::from_slice(bytes)
}

/// One snapshot account with what transfer needs of its raw record, and its panel name.
pub struct SnapshotAccount {
    pub panel_name: String,
    pub account: Account,
    pub raw: RawBits,
}

const SELECT: &str = "SELECT p.name, r.account, r.raw FROM accounts r \
     JOIN panels p ON p.id = r.panel_id";

type RawRow = (String, rusqlite::types::Value, Option<String>);

fn decode((panel_name, account, raw): RawRow, now: i64) -> Option<SnapshotAccount> {
    let account = snapshot::decode_account((&account).into())?;
    Some(SnapshotAccount {
        panel_name,
        account: account.with_status_at(now),
        raw: RawBits::from_json(raw.as_deref().unwrap_or("null")),
    })
}

/// Decodes rows on every core (JSON decoding dominates reading a large snapshot).
fn decode_all(rows: Vec<RawRow>, now: i64) -> Vec<SnapshotAccount> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || rows.len() < 2_000 {
        return rows.into_iter().filter_map(|r| decode(r, now)).collect();
    }
    let chunk = rows.len().div_ceil(threads);
    let mut chunks: Vec<Vec<RawRow>> = Vec::with_capacity(threads);
    let mut rest = rows;
    while rest.len() > chunk {
        let tail = rest.split_off(chunk);
        chunks.push(rest);
        rest = tail;
    }
    chunks.push(rest);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| {
                s.spawn(move || {
                    c.into_iter()
                        .filter_map(|r| decode(r, now))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

/// The snapshot accounts of a selection, ordered by panel name then account name.
pub fn load(conn: &Connection, selection: &Selection, now: i64) -> Result<Vec<SnapshotAccount>> {
    let mut rows: Vec<RawRow> = Vec::new();
    match selection {
        Selection::All => {
            let mut st = conn.prepare(SELECT)?;
            for r in st.query_map([], row)? {
                rows.push(r?);
            }
        }
        Selection::Panel { panel_id } => {
            let mut st = conn.prepare(&format!("{SELECT} WHERE r.panel_id = ?1"))?;
            for r in st.query_map([&panel_id.0], row)? {
                rows.push(r?);
            }
        }
        Selection::Keys { keys } => load_keys(conn, keys, &mut rows)?,
        Selection::Query { query } => {
            let keys = crate::accounts::query::keys(conn, query, now)?;
            load_keys(conn, &keys, &mut rows)?;
        }
    }
    let mut out = decode_all(rows, now);
    out.sort_by_cached_key(|a| {
        (
            a.panel_name.to_lowercase(),
            a.account.name.clone(),
            a.account.key.clone(),
        )
    });
    Ok(out)
}

fn load_keys(conn: &Connection, keys: &[AccountKey], out: &mut Vec<RawRow>) -> Result<()> {
    let mut st = conn.prepare(&format!(
        "{SELECT} WHERE r.panel_id = ?1 AND r.native_id = ?2"
    ))?;
    for k in keys {
        let mut rows = st.query_map(params![k.panel_id.0, k.native_id], row)?;
        if let Some(r) = rows.next() {
            out.push(r?);
        }
    }
    Ok(())
}

/// Records of snapshot accounts.
pub fn records(accounts: &[SnapshotAccount], include_credentials: bool) -> Vec<AccountRecord> {
    accounts
        .iter()
        .map(|s| {
            AccountRecord::from_account(&s.panel_name, &s.account, &s.raw, include_credentials)
        })
        .collect()
}

impl Paneldeck {
    /// The records of a selection (from the snapshot; sync first for fresh numbers).
    pub fn export_records(
        &self,
        selection: &Selection,
        include_credentials: bool,
    ) -> Result<Vec<AccountRecord>> {
        let now = now_ms();
        let accounts = self.store().with(|c| load(c, selection, now))?;
        Ok(records(&accounts, include_credentials))
    }

    /// Exports a selection to `path` atomically.
    pub fn export_accounts(
        &self,
        selection: &Selection,
        opts: ExportOptions,
        path: &Path,
    ) -> Result<ExportSummary> {
        let records = self.export_records(selection, opts.include_credentials)?;
        let bytes = write_file(&records, opts, path)?;
        Ok(ExportSummary {
            accounts: u32::try_from(records.len()).unwrap_or(u32::MAX),
            bytes,
        })
    }
}
