//! The CSV file schema: a header naming columns of [`COLUMNS`], then one account per row.

use std::{
    collections::{HashMap, VecDeque},
    io::Read,
};

use super::{
    problem::count, validate::record_from_cells, ColumnSet, ImportProblem, Parsed, RowError,
    SourceFormat, MAX_FIELD_BYTES,
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

pub(super) fn parse_csv(body: impl Read) -> std::io::Result<Parsed> {
    let mut out = Parsed::empty(SourceFormat::Csv);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineEnds::new(body));
    let Some(header) = read_header(&mut reader, &mut out.errors)? else {
        return Ok(out);
    };
    // One record reused for every row.
    let mut rec = csv::ByteRecord::new();
    let mut lines = LineCounter::default();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(0, |p| lines.at(p.byte(), reader.get_mut()));
                out.errors.push(csv_error(e, line)?);
                continue;
            }
        }
        let line = rec
            .position()
            .map_or(0, |p| lines.at(p.byte(), reader.get_mut()));
        let open_quote = reader.get_ref().unclosed_quote();
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
            Ok(record) => out.push(line, record, header.present),
            Err(mut e) => out.errors.append(&mut e),
        }
    }
    Ok(out)
}

/// Reads the header; `None` (with the reason in `errors`) when no row can be read under it.
fn read_header<R: Read>(
    reader: &mut csv::Reader<R>,
    errors: &mut Vec<RowError>,
) -> std::io::Result<Option<Header>> {
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Err(e) => {
            errors.push(csv_error(e, 1)?);
            return Ok(None);
        }
        Ok(false) => {
            errors.push(RowError::new(1, "", ImportProblem::FileEmpty));
            return Ok(None);
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
            return Ok(None);
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
        return Ok(None);
    }
    let present = ColumnSet(seen.keys().fold(0u32, |acc, c| acc | (1 << c)));
    Ok(Some(Header { index, present }))
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

/// The row error of a csv error; reading errors are passed on.
fn csv_error(e: csv::Error, line: u64) -> std::io::Result<RowError> {
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
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(io) => return Err(io),
            other => ImportProblem::UnreadableRow {
                detail: format!("{other:?}"),
            },
        },
        other => ImportProblem::UnreadableRow {
            detail: format!("{other:?}"),
        },
    };
    Ok(RowError::new(line.max(1), "", reason))
}

/// Where the line ends and quotes are in the text the csv reader has read and not yet
/// placed: read ahead at most a buffer (or one field, however many lines it spans).
struct LineEnds<R> {
    inner: R,
    /// Offset of the next byte read.
    offset: u64,
    /// Offsets of the `\r` and `\n` read and not yet counted, each shifted left by one
    /// with the low bit set for `\n`.
    ends: VecDeque<u64>,
    /// Line ends read (`\n`), and the line of a quote opened and not closed yet.
    newlines: u64,
    open_quote: Option<u64>,
    at_end: bool,
}

impl<R: Read> LineEnds<R> {
    fn new(inner: R) -> Self {
        LineEnds {
            inner,
            offset: 0,
            ends: VecDeque::new(),
            newlines: 0,
            open_quote: None,
            at_end: false,
        }
    }

    /// The line of a `"` that opens a quoted field never closed before the end of the
    /// file (known once the end is read; a field that runs to the end is read whole first).
    fn unclosed_quote(&self) -> Option<u64> {
        self.open_quote.filter(|_| self.at_end)
    }
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.at_end |= n == 0 && !buf.is_empty();
        // memchr skips the bytes between quotes and line ends many at a time.
        for i in memchr::memchr3_iter(b'"', b'\n', b'\r', &buf[..n]) {
            let at = self.offset + i as u64;
            match buf[i] {
                b'"' => {
                    self.open_quote = match self.open_quote {
                        Some(_) => None,
                        None => Some(self.newlines + 1),
                    }
                }
                b'\n' => {
                    self.newlines += 1;
                    self.ends.push_back(at << 1 | 1);
                }
                _ => self.ends.push_back(at << 1),
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Line numbers from byte offsets: the csv crate's own count is one low after each CRLF
/// (what Excel and Python's csv module write). Offsets come in order, so counting resumes
/// where the last one stopped.
#[derive(Default)]
struct LineCounter {
    /// The offset counted up to, and the line there (from 0: add one).
    byte: u64,
    line: u64,
}

impl LineCounter {
    /// The 1-based line of the record starting at byte `at`. After a CRLF the csv crate
    /// places the next record on the LF (it ended the last one at the CR): line ends before
    /// the record's first byte are skipped, a record never starts with one.
    fn at<R>(&mut self, mut at: u64, text: &mut LineEnds<R>) -> u64 {
        if at >= self.byte {
            while let Some(&end) = text.ends.front() {
                let (offset, newline) = (end >> 1, end & 1 == 1);
                if offset > at {
                    break;
                }
                if offset == at {
                    at += 1; // a line end where the record starts: skipped
                }
                self.line += u64::from(newline);
                text.ends.pop_front();
            }
            self.byte = at;
        }
        self.line + 1
    }
}
