//! Reading account files offline: CSV and JSON in the file schema, and 3x-ui's own export
//! (`[{client, inboundIds}]`). Every bad row is reported with its line, column and reason;
//! the good rows stay importable. Nothing here panics on any input.

use std::{
    borrow::Cow,
    collections::{hash_map::Entry, HashMap},
    io::{BufRead, BufReader, Read},
};

use serde::Serialize;

use super::schema::{AccountRecord, COLUMNS};

mod from_csv;
mod from_json;
mod packed;
mod problem;
mod read;
pub(crate) mod validate;

pub use packed::ParsedRow;
pub use problem::{CountUnit, ImportProblem};
pub use read::parse_import_file;

/// Longest field accepted, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// One problem with one row (line 1 is the CSV header / the first line of the JSON file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    #[specta(type = specta_typescript::Number)]
    pub line: u64,
    /// The column (CSV) or field (JSON) at fault; empty for the whole row / file.
    pub column: String,
    pub reason: ImportProblem,
}

impl RowError {
    pub(crate) fn new(line: u64, column: &str, reason: ImportProblem) -> Self {
        RowError {
            line,
            column: column.to_owned(),
            reason,
        }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.reason
            )
        }
    }
}

/// A set of [`COLUMNS`], by index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnSet(pub u32);

impl ColumnSet {
    pub const ALL: ColumnSet = ColumnSet((1u32 << COLUMNS.len()) - 1);

    pub fn with(self, name: &str) -> Self {
        match COLUMNS.iter().position(|c| *c == name) {
            Some(i) => ColumnSet(self.0 | (1 << i)),
            None => self,
        }
    }

    /// Whether the column of index `i` (see [`col`](super::schema::col)) is present.
    pub fn has_col(self, i: usize) -> bool {
        i < 32 && self.0 & (1 << i) != 0
    }

    pub fn has(self, name: &str) -> bool {
        COLUMNS
            .iter()
            .position(|c| *c == name)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }
}

/// What a file held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Csv,
    Json,
    /// 3x-ui's `clients/export` JSON.
    XuiExport,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub format: SourceFormat,
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
}

impl Parsed {
    fn empty(format: SourceFormat) -> Self {
        Parsed {
            format,
            rows: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Keeps a validated row; a name with a control character (a line break, ESC, NUL) is
    /// refused with its line, in every format: it would forge lines or run escape sequences
    /// wherever it is shown.
    fn push(&mut self, line: u64, record: AccountRecord, present: ColumnSet) {
        match record.name.chars().find(|c| c.is_control()) {
            Some(bad) => self.errors.push(RowError::new(
                line,
                "name",
                ImportProblem::NameControlCharacter {
                    character: format!("U+{:04X}", u32::from(bad)),
                },
            )),
            None => self.rows.push(ParsedRow::new(line, record, present)),
        }
    }
}

/// Reads a file's bytes (UTF-8 with or without a byte order mark, or UTF-16 with one): JSON
/// when it starts with `[` or `{` (after blanks), else CSV.
pub fn parse_bytes(bytes: &[u8]) -> Parsed {
    if bytes.len() > MAX_FILE_BYTES {
        let mut parsed = Parsed::empty(SourceFormat::Csv);
        parsed.errors.push(RowError::new(
            1,
            "",
            ImportProblem::FileTooLarge {
                max_mb: problem::count(MAX_FILE_BYTES >> 20),
            },
        ));
        return parsed;
    }
    // Reading from memory cannot fail (text that is not UTF-8 is reported as such).
    parse_reader(bytes).unwrap_or_else(|_| Parsed::empty(SourceFormat::Csv))
}

/// As [`parse_bytes`], reading as it parses: the file's text is never held whole, one row
/// at a time is. Fails only when reading does.
pub fn parse_reader(reader: impl Read) -> std::io::Result<Parsed> {
    let mut text = BufReader::with_capacity(64 * 1024, read::utf8_text(reader)?);
    // Blanks before the first character are given back to the CSV reader (its line numbers).
    let mut blanks = Vec::new();
    let first = loop {
        let buf = text.fill_buf()?;
        if buf.is_empty() {
            break None;
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let first = buf[i];
                blanks.extend_from_slice(&buf[..i]);
                text.consume(i);
                break Some(first);
            }
            None => {
                let n = buf.len();
                blanks.extend_from_slice(buf);
                text.consume(n);
            }
        }
    };
    let mut parsed = match first {
        None => {
            let mut p = Parsed::empty(SourceFormat::Csv);
            p.errors
                .push(RowError::new(1, "", ImportProblem::FileEmpty));
            p
        }
        Some(b'[' | b'{') => {
            let lines = blanks.iter().filter(|b| **b == b'\n').count() as u64;
            from_json::parse_json(text, lines)?
        }
        Some(_) => from_csv::parse_csv(std::io::Cursor::new(blanks).chain(text))?,
    };
    check_duplicates(&mut parsed);
    Ok(parsed)
}

/// `s` lowercased, borrowed when it has nothing to lower (most names).
pub(crate) fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The same account name twice for one panel in one file: the second one is an error.
fn check_duplicates(p: &mut Parsed) {
    let mut dups: Vec<(usize, u64)> = Vec::new();
    {
        let mut seen: HashMap<(Cow<'_, str>, Cow<'_, str>), u64> =
            HashMap::with_capacity(p.rows.len());
        for (i, row) in p.rows.iter().enumerate() {
            let key = (lower(row.panel().unwrap_or("")), lower(row.name()));
            match seen.entry(key) {
                Entry::Occupied(first) => dups.push((i, *first.get())),
                Entry::Vacant(v) => {
                    v.insert(row.line);
                }
            }
        }
    }
    for &(i, first) in &dups {
        let row = &p.rows[i];
        p.errors.push(RowError::new(
            row.line,
            "name",
            ImportProblem::Duplicate {
                name: row.name().to_owned(),
                first_line: first,
            },
        ));
    }
    if !dups.is_empty() {
        let mut next = dups.iter().map(|d| d.0).peekable();
        let mut i = 0;
        p.rows.retain(|_| {
            let drop = next.next_if_eq(&i).is_some();
            i += 1;
            !drop
        });
    }
    p.errors.sort_by_key(|e| e.line);
}
