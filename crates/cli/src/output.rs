use paneldeck_core::ApiError;
use serde::Serialize;

use crate::Format;

/// Prints a value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("error: cannot print JSON: {err}"),
    }
}

/// Prints rows as an aligned table with a header.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = widths.get(i).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    println!("{}", line(header.to_vec()));
    for row in rows {
        println!("{}", line(row.iter().map(String::as_str).collect()));
    }
}

/// Reports a failure: JSON `{code, message, fields, fingerprint}` on stdout for scripts, or a
/// readable message with one line per field on stderr.
pub fn error(err: &ApiError, format: Format) {
    match format {
        Format::Json => json(err),
        Format::Table => {
            eprintln!("error: {}", err.message);
            for field in &err.fields {
                eprintln!("  {}: {}", field.field, field.message);
            }
            if let Some(fp) = &err.fingerprint {
                eprintln!("  to trust this certificate, add: --pin-cert {fp}");
            }
        }
    }
}
