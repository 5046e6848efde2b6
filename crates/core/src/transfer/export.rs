//! Account export: a selection of the snapshot to CSV or JSON in the file schema, written
//! atomically.

use std::{io::Write, path::Path};

use serde::{Deserialize, Serialize};

pub use super::load::{load, Rows, SnapshotAccount};
use super::schema::{AccountFile, AccountRecord, COLUMNS, JSON_FORMAT, SCHEMA_VERSION};
pub use crate::files::csv_cell;
use crate::{
    accounts::Selection,
    error::Result,
    files::write_atomic,
    jobs::{Job, JobPhase},
    Paneldeck,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportOptions {
    pub format: ExportFormat,
    /// Write UUIDs, passwords, proxy keys, subscription ids and URLs.
    pub include_credentials: bool,
    /// CSV: write text cells exactly as they are, even ones a spreadsheet would run as a
    /// formula (see [`csv_cell`]).
    #[serde(default)]
    pub raw_csv: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    pub accounts: u32,
    #[specta(type = specta_typescript::Number)]
    pub bytes: u64,
}

/// Called with the number of records written so far, every [`ROWS_PER_STEP`] records: an
/// error (a cancel) stops the writing.
pub type OnRows<'a> = &'a mut dyn FnMut(usize) -> std::io::Result<()>;

/// Records written between two [`OnRows`] calls.
pub const ROWS_PER_STEP: usize = 512;

fn each_step(i: usize, on_rows: OnRows<'_>) -> std::io::Result<()> {
    if i.is_multiple_of(ROWS_PER_STEP) {
        on_rows(i)?;
    }
    Ok(())
}

/// Writes `records` as CSV (header + one row each).
pub fn write_csv(records: &[AccountRecord], raw: bool, w: &mut dyn Write) -> std::io::Result<()> {
    write_csv_with(records, raw, w, &mut |_| Ok(()))
}

/// [`write_csv`], telling `on_rows` how far it is.
pub fn write_csv_with(
    records: &[AccountRecord],
    raw: bool,
    w: &mut dyn Write,
    on_rows: OnRows<'_>,
) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(COLUMNS)?;
    let mut scratch = String::new();
    for (i, r) in records.iter().enumerate() {
        each_step(i, on_rows)?;
        r.write_csv_row(&mut csv, &mut scratch, raw)?;
    }
    csv.flush()?;
    on_rows(records.len())
}

/// Writes `records` as a JSON account file: the envelope, then one account per line (so a
/// reader's line numbers point at accounts).
pub fn write_json(
    records: &[AccountRecord],
    include_credentials: bool,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    write_json_with(records, include_credentials, w, &mut |_| Ok(()))
}

/// [`write_json`], telling `on_rows` how far it is.
pub fn write_json_with(
    records: &[AccountRecord],
    include_credentials: bool,
    w: &mut dyn Write,
    on_rows: OnRows<'_>,
) -> std::io::Result<()> {
    write!(
        w,
        "{{\"format\":\"{JSON_FORMAT}\",\"version\":{SCHEMA_VERSION},\"includes_credentials\":{include_credentials},\"accounts\":["
    )?;
    // Each account is encoded into one buffer, then written at once: far fewer calls through
    // `dyn Write` than serde's many small writes.
    let mut line = Vec::with_capacity(1024);
    for (i, r) in records.iter().enumerate() {
        each_step(i, on_rows)?;
        line.clear();
        line.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut line, r)?;
        w.write_all(&line)?;
    }
    w.write_all(b"\n]}\n")?;
    on_rows(records.len())
}

/// The bytes of `records` in `format`.
pub fn to_bytes(records: &[AccountRecord], opts: ExportOptions) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(records.len() * 256);
    match opts.format {
        ExportFormat::Csv => write_csv(records, opts.raw_csv, &mut out)?,
        ExportFormat::Json => write_json(records, opts.include_credentials, &mut out)?,
    }
    Ok(out)
}

/// Writes `records` to `path` atomically; returns the size written. A cancelled `job` leaves
/// the target as it was (the temporary file is removed).
pub fn write_file(
    records: &[AccountRecord],
    opts: ExportOptions,
    path: &Path,
    job: &mut Job,
) -> Result<u64> {
    let mut size = 0u64;
    let total = records.len() as u64;
    let written = write_atomic(path, |w| {
        let mut counting = Counting {
            inner: w,
            n: &mut size,
        };
        let on_rows = &mut |done: usize| job.io_step(JobPhase::Writing, done as u64, total);
        match opts.format {
            ExportFormat::Csv => write_csv_with(records, opts.raw_csv, &mut counting, on_rows),
            ExportFormat::Json => {
                write_json_with(records, opts.include_credentials, &mut counting, on_rows)
            }
        }
    });
    written.map_err(|e| job.error(e))?;
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

/// Records of snapshot accounts (moved, not copied, into the records).
pub fn records(accounts: Vec<SnapshotAccount>, include_credentials: bool) -> Vec<AccountRecord> {
    accounts
        .into_iter()
        .map(|s| AccountRecord::from_owned(&s.panel_name, s.account, s.raw, include_credentials))
        .collect()
}

impl Paneldeck {
    /// The records of a selection (from the snapshot; sync first for fresh numbers).
    pub fn export_records(
        &self,
        selection: &Selection,
        include_credentials: bool,
    ) -> Result<Vec<AccountRecord>> {
        Ok(records(
            self.load_selection(selection)?,
            include_credentials,
        ))
    }

    /// Exports a selection to `path` atomically.
    pub fn export_accounts(
        &self,
        selection: &Selection,
        opts: ExportOptions,
        path: &Path,
    ) -> Result<ExportSummary> {
        self.export_accounts_job(selection, opts, path, &mut Job::quiet())
    }

    /// [`Paneldeck::export_accounts`], reporting to `job` and stopping when it is cancelled
    /// (nothing is written then).
    pub fn export_accounts_job(
        &self,
        selection: &Selection,
        opts: ExportOptions,
        path: &Path,
        job: &mut Job,
    ) -> Result<ExportSummary> {
        let records = self.export_records(selection, opts.include_credentials)?;
        job.step(JobPhase::Writing, 0, records.len() as u64)?;
        let bytes = write_file(&records, opts, path, job)?;
        Ok(ExportSummary {
            accounts: u32::try_from(records.len()).unwrap_or(u32::MAX),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_of(raw: bool) -> String {
        let record = AccountRecord {
            name: "=cmd|' /C calc'!A0".into(),
            note: Some("@SUM(1)".into()),
            used_bytes: Some(5),
            ..AccountRecord::default()
        };
        let mut out = Vec::new();
        write_csv(&[record], raw, &mut out).unwrap_or_else(|e| panic!("{e}"));
        String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn exported_formulas_are_neutralised_unless_raw() {
        let safe = csv_of(false);
        assert!(safe.contains(",,'=cmd|' /C calc'!A0,"), "{safe}");
        assert!(safe.contains(",'@SUM(1),"), "{safe}");
        assert!(safe.contains(",5,"), "{safe}");
        assert!(csv_of(true).contains(",,=cmd|' /C calc'!A0,"));
    }
}
