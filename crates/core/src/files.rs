//! Files written whole or not at all (exports, link sheets, the app's saves): a temporary file
//! in the target's folder, flushed and synced, then renamed over the target.

use std::{io::Write, path::Path};

use crate::error::{CoreError, Result};

pub(crate) fn io_error(path: &Path, what: &'static str, err: std::io::Error) -> CoreError {
    CoreError::io(path, what, err)
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
}
