//! Files written whole or not at all (exports, link sheets, the app's saves): a temporary file
//! in the target's folder, flushed and synced, then renamed over the target.

use std::{io::Write, path::Path};

use crate::error::{CoreError, Result};

pub(crate) fn io_error(path: &Path, what: &'static str, err: std::io::Error) -> CoreError {
    CoreError::io(path, what, err)
}

/// A CSV text cell as written: one a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so an account name
/// from a panel cannot run commands on the admin's computer (OWASP "CSV Injection"). A
/// number (`-5`, `+3.2`) is left alone, and `raw` writes every cell as it is. A cell that
/// already starts with `'` before such a start gets one more, so [`csv_cell_read`] gives
/// back exactly what was written.
pub fn csv_cell(text: &str, raw: bool) -> std::borrow::Cow<'_, str> {
    if raw || !needs_mark(text) {
        text.into()
    } else {
        format!("'{text}").into()
    }
}

/// A cell of a CSV file as [`csv_cell`] meant it: its neutralising `'` dropped.
pub fn csv_cell_read(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_mark(rest) => rest,
        _ => cell,
    }
}

fn needs_mark(text: &str) -> bool {
    if let Some(rest) = text.strip_prefix('\'') {
        return needs_mark(rest);
    }
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !text.trim().parse::<f64>().is_ok_and(f64::is_finite)
}

/// Writes what `fill` produces to `path` atomically. On any error the target is untouched and
/// the temporary file is removed.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".paneldeck-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_error(dir, "create a temporary file in", e))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file());
        fill(&mut w).map_err(|e| io_error(path, "write", e))?;
        w.flush().map_err(|e| io_error(path, "write", e))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| io_error(path, "sync", e))?;
    tmp.persist(path)
        .map_err(|e| io_error(path, "replace", e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn a_missing_folder_is_file_not_found_not_internal() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("gone").join("links.txt");
        let err = write_bytes_atomic(&target, b"x").err();
        assert_eq!(err.map(|e| e.code()), Some(ErrorCode::FileNotFound));
    }

    #[test]
    fn formula_cells_are_neutralised_and_numbers_left_alone() {
        for (cell, safe) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-5", "-5"),
            ("+3.25", "+3.25"),
            ("-inf", "'-inf"),
            ("alice", "alice"),
            ("", ""),
            ("'=x", "''=x"),
            ("'-5", "'-5"),
            ("'plain", "'plain"),
        ] {
            assert_eq!(csv_cell(cell, false), safe, "{cell:?}");
            assert_eq!(csv_cell_read(&csv_cell(cell, false)), cell, "{cell:?}");
            assert_eq!(csv_cell(cell, true), cell, "{cell:?}");
        }
    }
}
