//! What the CLI prints. Text that came from a panel or a file is shown through [`safe`]: a
//! control character (ESC starting a clipboard write or a title change, a carriage return
//! forging a line) is printed escaped, never obeyed by the terminal.

use std::fmt::Write as _;

use paneldeck_core::{ApiError, ErrorCode};
use serde::Serialize;

use crate::Format;

/// Longest cell a table shows; a longer one is cut with `…` (and would otherwise also break
/// the formatter, which pads to at most 65,535 columns).
pub const MAX_CELL_CHARS: usize = 1024;

/// `text` with every control character escaped (`\x1b`, `\n`, `\u{9b}`…).
pub fn safe(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Control characters, and the bidirectional overrides that make text read backwards.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A table cell: escaped, then cut to [`MAX_CELL_CHARS`].
fn cell(text: &str) -> String {
    let text = safe(text);
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// Prints a value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("error: cannot print JSON: {err}"),
    }
}

/// Prints rows as an aligned table with a header.
pub fn table(header: &[&str], rows: &[Vec<String>]) {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| cell(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
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
    for row in &rows {
        println!("{}", line(row.iter().map(String::as_str).collect()));
    }
}

/// Reports a failure: JSON `{code, message, fields, fingerprint}` on stdout for scripts, or a
/// readable message with one line per field on stderr.
pub fn error(err: &ApiError, format: Format) {
    match format {
        Format::Json => json(err),
        Format::Table => {
            eprintln!("error: {}", safe(&err.message));
            for field in &err.fields {
                eprintln!("  {}: {}", safe(&field.field), safe(&field.message));
            }
            // A changed certificate is not offered for pinning: it may be an interception.
            if let (ErrorCode::CertificateNotTrusted, Some(fp)) = (err.code, &err.fingerprint) {
                eprintln!("  to trust this certificate, add: --pin-cert {}", safe(fp));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(safe("plain ünïcode"), "plain ünïcode");
        assert_eq!(
            safe("clip\u{1b}]52;c;eA==\u{7} a\rb\nc\td\u{0}\u{9b}2J"),
            "clip\\x1b]52;c;eA==\\x07 a\\rb\\nc\\td\\x00\\u{9b}2J"
        );
        assert_eq!(safe("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn long_cells_are_cut() {
        let long = "é".repeat(70_000);
        let shown = cell(&long);
        assert_eq!(shown.chars().count(), MAX_CELL_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(cell("short"), "short");
    }
}
