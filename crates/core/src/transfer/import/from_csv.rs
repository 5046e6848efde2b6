//! The CSV file schema: a header naming columns of [`COLUMNS`], then one account per row.

use std::collections::HashMap;

use super::{
    problem::count, validate::record_from_cells, ColumnSet, ImportProblem, Parsed, ParsedRow,
    RowError, SourceFormat, MAX_FIELD_BYTES,
};
use crate::transfer::schema::{col, COLUMNS};

/// What the header says: where each of the file's columns goes.
struct Header {
    /// For each column of the file, its index in [`COLUMNS`] (`None`: ignored).
    index: Vec<Option<usize>>,
    present: ColumnSet,
}

/// The cell texts of one row, indexed like [`COLUMNS`] (`None`: absent or blank).
type Fields<'a> = [Option<&'a str>; COLUMNS.len()];

pub(super) fn parse_csv(body: &[u8]) -> Parsed {
    let mut out = Parsed {
        format: SourceFormat::Csv,
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let Some(header) = read_header(&mut reader, &mut out.errors) else {
        return out;
    };
    let open_quote = unterminated_quote_line(body);
    // One record reused for every row.
    let mut rec = csv::ByteRecord::new();
    let mut lines = LineCounter::new(body);
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                out.errors.push(csv_error(&e, line));
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| lines.at(p.byte()));
        if open_quote.is_some_and(|q| q >= line) && rec.iter().any(|f| f.contains(&b'\n')) {
            out.errors.push(RowError::new(
                open_quote.unwrap_or(line),
                "",
                ImportProblem::UnclosedQuote,
            ));
            continue;
        }
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            continue; // blank line
        }
        if rec.len() != header.index.len() {
            out.errors.push(RowError::new(
                line,
                "",
                ImportProblem::FieldCount {
                    found: count(rec.len()),
                    expected: count(header.index.len()),
                },
            ));
            continue;
        }
        let Some(fields) = row_fields(&rec, &header.index, line, &mut out.errors) else {
            continue;
        };
        match record_from_cells(line, &fields) {
            Ok(record) => out.rows.push(ParsedRow {
                line,
                record,
                present: header.present,
            }),
            Err(mut e) => out.errors.append(&mut e),
        }
    }
    out
}

/// Reads the header; `None` (with the reason in `errors`) when no row can be read under it.
fn read_header(reader: &mut csv::Reader<&[u8]>, errors: &mut Vec<RowError>) -> Option<Header> {
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Err(e) => {
            errors.push(csv_error(&e, 1));
            return None;
        }
        Ok(false) => {
            errors.push(RowError::new(1, "", ImportProblem::FileEmpty));
            return None;
        }
    }
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
        .collect();
    if let [only] = names.as_slice() {
        if let Some(d) = [';', '\t', '|'].into_iter().find(|d| only.contains(*d)) {
            errors.push(RowError::new(
                1,
                "",
                ImportProblem::WrongSeparator {
                    separator: d.to_string(),
                },
            ));
            return None;
        }
    }
    let mut index: Vec<Option<usize>> = Vec::with_capacity(names.len());
    let mut seen = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        match COLUMNS.iter().position(|c| c == n) {
            Some(c) if seen.insert(c, i).is_none() => index.push(Some(c)),
            Some(_) => {
                errors.push(RowError::new(1, n, ImportProblem::ColumnTwice));
                index.push(None);
            }
            None => {
                errors.push(RowError::new(1, n, ImportProblem::UnknownColumn));
                index.push(None);
            }
        }
    }
    if !seen.contains_key(&col::NAME) {
        errors.push(RowError::new(1, "name", ImportProblem::NoNameColumn));
        return None;
    }
    let present = ColumnSet(seen.keys().fold(0u32, |acc, c| acc | (1 << c)));
    Some(Header { index, present })
}

/// The row's non-blank cells by column; `None` when a cell is too long or not UTF-8 (each
/// such cell is reported).
fn row_fields<'r>(
    rec: &'r csv::ByteRecord,
    index: &[Option<usize>],
    line: u64,
    errors: &mut Vec<RowError>,
) -> Option<Fields<'r>> {
    let mut fields: Fields<'r> = [None; COLUMNS.len()];
    let mut bad = false;
    for (i, raw) in rec.iter().enumerate() {
        let Some(col) = index[i] else { continue };
        if raw.len() > MAX_FIELD_BYTES {
            errors.push(RowError::new(
                line,
                COLUMNS[col],
                ImportProblem::FieldTooLong {
                    bytes: count(raw.len()),
                    max: count(MAX_FIELD_BYTES),
                },
            ));
            bad = true;
            continue;
        }
        match std::str::from_utf8(raw) {
            Ok(s) => {
                if !s.trim().is_empty() {
                    fields[col] = Some(crate::files::csv_cell_read(s));
                }
            }
            Err(e) => {
                errors.push(RowError::new(
                    line,
                    COLUMNS[col],
                    ImportProblem::CellNotUtf8 {
                        byte: count(e.valid_up_to() + 1),
                    },
                ));
                bad = true;
            }
        }
    }
    (!bad).then_some(fields)
}

/// The line of a `"` that opens a quoted field never closed before the end of the file.
fn unterminated_quote_line(body: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut open: Option<u64> = None;
    // memchr skips the bytes between quotes and line ends many at a time.
    for i in memchr::memchr2_iter(b'"', b'\n', body) {
        if body[i] == b'\n' {
            line += 1;
        } else {
            open = if open.is_some() { None } else { Some(line) };
        }
    }
    open
}

fn csv_error(e: &csv::Error, line: u64) -> RowError {
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ImportProblem::FieldCount {
            found: count(*len as usize),
            expected: count(*expected_len as usize),
        },
        csv::ErrorKind::Utf8 { err, .. } => ImportProblem::CellNotUtf8 {
            byte: count(err.valid_up_to() + 1),
        },
        other => ImportProblem::UnreadableRow {
            detail: format!("{other:?}"),
        },
    };
    RowError::new(line.max(1), "", reason)
}

/// Line numbers from byte offsets: the csv crate's own count is one low after each CRLF
/// (what Excel and Python's csv module write). Offsets come in order, so counting resumes
/// where the last one stopped.
struct LineCounter<'a> {
    body: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(body: &'a [u8]) -> Self {
        LineCounter {
            body,
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at byte `at`. After a CRLF the csv crate
    /// places the next record on the LF (it ended the last one at the CR): line ends before
    /// the record's first byte are skipped, a record never starts with one.
    fn at(&mut self, at: u64) -> u64 {
        let mut at = usize::try_from(at)
            .unwrap_or(usize::MAX)
            .min(self.body.len());
        while self
            .body
            .get(at)
            .is_some_and(|b| *b == b'\n' || *b == b'\r')
        {
            at += 1;
        }
        if at < self.byte {
            *self = LineCounter::new(self.body);
        }
        self.line += self.body[self.byte..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.byte = at;
        self.line
    }
}
