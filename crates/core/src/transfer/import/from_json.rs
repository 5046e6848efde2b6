//! The JSON file schema (`{format, version, accounts: [...]}` or a bare array of accounts),
//! and 3x-ui's export, told apart by its first item. Read as a stream: one account at a time
//! is held as a JSON value, never the file's text or a tree of all of them.

use std::{
    cell::Cell,
    fmt,
    io::{self, Read},
    rc::Rc,
};

use serde::de::{
    self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{
    problem::count,
    validate::{clip, record_from_cells},
    ColumnSet, ImportProblem, Parsed, RowError, SourceFormat, MAX_FIELD_BYTES,
};
use crate::{
    kinds::xui::import::{record_from_xui, XUI_COLUMNS},
    transfer::schema::{AccountRecord, COLUMNS, JSON_FORMAT, SCHEMA_VERSION},
};

/// Reads the JSON text after `lines_before` lines of blanks.
pub(super) fn parse_json(text: impl Read, lines_before: u64) -> io::Result<Parsed> {
    let newlines = Rc::new(Cell::new(lines_before));
    let tracked = Tracked {
        inner: text,
        newlines: Rc::clone(&newlines),
        pending: 0,
        next: 0x80..=0xBF,
    };
    let mut sink = Sink {
        out: Parsed::empty(SourceFormat::Json),
        newlines,
        xui: None,
    };
    let mut de = serde_json::Deserializer::from_reader(tracked);
    let read = (&mut de)
        .deserialize_any(File(&mut sink))
        .and_then(|envelope| de.end().map(|()| envelope));
    let failed = |e: RowError| {
        let mut out = Parsed::empty(SourceFormat::Json);
        out.errors.push(e);
        out
    };
    Ok(match read {
        Ok(None) => sink.out,
        Ok(Some(envelope)) => match envelope.problem() {
            Some(e) => failed(e),
            None => sink.out,
        },
        Err(e) if e.is_io() => {
            let e = io::Error::from(e);
            let not_utf8 = e.get_ref().and_then(|e| e.downcast_ref::<NotUtf8>());
            match not_utf8.map(|n| n.line) {
                Some(line) => failed(RowError::new(line, "", ImportProblem::FileNotUtf8)),
                None => return Err(e),
            }
        }
        Err(e) => failed(RowError::new(
            lines_before + (e.line() as u64).max(1),
            "",
            ImportProblem::JsonUnreadable {
                detail: e.to_string(),
            },
        )),
    })
}

/// The text under the JSON reader: counts line ends as they are read (serde_json reads one
/// byte at a time and looks at most one ahead, so an item starts on the line counted when
/// it is reached) and stops at the first byte that is not UTF-8.
struct Tracked<R> {
    inner: R,
    newlines: Rc<Cell<u64>>,
    /// Continuation bytes the current character still needs, and the range of the next.
    pending: u8,
    next: std::ops::RangeInclusive<u8>,
}

/// The error of a byte that is not UTF-8, on its line.
#[derive(Debug)]
struct NotUtf8 {
    line: u64,
}

impl fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not UTF-8 on line {}", self.line)
    }
}

impl std::error::Error for NotUtf8 {}

impl<R> Tracked<R> {
    /// Whether `b` continues valid UTF-8 (RFC 3629: no overlong forms, no surrogates).
    fn utf8(&mut self, b: u8) -> bool {
        if self.pending > 0 {
            if !self.next.contains(&b) {
                return false;
            }
            self.pending -= 1;
            self.next = 0x80..=0xBF;
            return true;
        }
        let (pending, next) = match b {
            0x00..=0x7F => return true,
            0xC2..=0xDF => (1, 0x80..=0xBF),
            0xE0 => (2, 0xA0..=0xBF),
            0xED => (2, 0x80..=0x9F),
            0xE1..=0xEF => (2, 0x80..=0xBF),
            0xF0 => (3, 0x90..=0xBF),
            0xF1..=0xF3 => (3, 0x80..=0xBF),
            0xF4 => (3, 0x80..=0x8F),
            _ => return false,
        };
        self.pending = pending;
        self.next = next;
        true
    }

    fn not_utf8(&self) -> io::Error {
        let line = self.newlines.get() + 1;
        io::Error::new(io::ErrorKind::InvalidData, NotUtf8 { line })
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() && self.pending > 0 {
            return Err(self.not_utf8());
        }
        for &b in &buf[..n] {
            if !self.utf8(b) {
                return Err(self.not_utf8());
            }
            if b == b'\n' {
                self.newlines.set(self.newlines.get() + 1);
            }
        }
        Ok(n)
    }
}

/// Where the accounts go as they are read.
struct Sink {
    out: Parsed,
    newlines: Rc<Cell<u64>>,
    /// Whether the items are 3x-ui's export, told by the first.
    xui: Option<bool>,
}

impl Sink {
    fn item(&mut self, line: u64, item: Value) {
        let xui = *self.xui.get_or_insert_with(
            || matches!(&item, Value::Object(first) if first.contains_key("client")),
        );
        if xui {
            self.out.format = SourceFormat::XuiExport;
        }
        let Value::Object(obj) = item else {
            self.out
                .errors
                .push(RowError::new(line, "", ImportProblem::ExpectedObject));
            return;
        };
        let (result, present) = if xui {
            (record_from_xui(line, &obj), XUI_COLUMNS)
        } else {
            let present = obj.keys().fold(ColumnSet::default(), |set, k| set.with(k));
            (record_from_json(line, &obj), present)
        };
        match result {
            Ok(record) => self.out.push(line, record, present),
            Err(mut e) => self.out.errors.append(&mut e),
        }
    }
}

/// The envelope's own fields (the accounts go to the sink).
struct Envelope {
    format: Option<String>,
    version: Option<u32>,
    has_accounts: bool,
}

impl Envelope {
    fn problem(&self) -> Option<RowError> {
        if let Some(f) = self.format.as_deref().filter(|f| *f != JSON_FORMAT) {
            return Some(RowError::new(
                1,
                "format",
                ImportProblem::UnknownFormat { value: clip(f) },
            ));
        }
        if let Some(v) = self.version.filter(|v| *v > SCHEMA_VERSION) {
            return Some(RowError::new(
                1,
                "version",
                ImportProblem::NewerVersion {
                    version: v,
                    supported: SCHEMA_VERSION,
                },
            ));
        }
        (!self.has_accounts).then(|| RowError::new(1, "accounts", ImportProblem::NoAccountsList))
    }
}

/// The whole file: a bare list of accounts (`None`) or the envelope.
struct File<'s>(&'s mut Sink);

impl<'de> Visitor<'de> for File<'_> {
    type Value = Option<Envelope>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of accounts or {format, version, accounts}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Items(self.0).visit_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope {
            format: None,
            version: None,
            has_accounts: false,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => envelope.format = map.next_value()?,
                "version" => envelope.version = map.next_value()?,
                "accounts" => {
                    envelope.has_accounts |= map.next_value_seed(Accounts(&mut *self.0))?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(envelope))
    }
}

/// The envelope's `accounts`: a list, or `null` (false).
struct Accounts<'s>(&'s mut Sink);

impl<'de> DeserializeSeed<'de> for Accounts<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Accounts<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_seq(Items(self.0)).map(|()| true)
    }
}

/// A list of accounts, each handed to the sink as soon as it is read.
struct Items<'s>(&'s mut Sink);

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Item(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One account of the list, on the line it starts on.
struct Item<'s>(&'s mut Sink);

impl<'de> DeserializeSeed<'de> for Item<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let line = self.0.newlines.get() + 1;
        let item = Value::deserialize(d)?;
        self.0.item(line, item);
        Ok(())
    }
}

/// A JSON value as cell text (numbers and booleans as written, lists `;`-joined).
fn cell(v: &Value) -> Result<Option<String>, ImportProblem> {
    Ok(match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for i in items {
                match i {
                    Value::String(s) => parts.push(s.clone()),
                    Value::Number(n) => parts.push(n.to_string()),
                    _ => return Err(ImportProblem::ExpectedList),
                }
            }
            (!parts.is_empty()).then(|| parts.join(";"))
        }
        Value::Object(_) => return Err(ImportProblem::ExpectedValue),
    })
}

fn record_from_json(line: u64, obj: &Map<String, Value>) -> Result<AccountRecord, Vec<RowError>> {
    let mut fields: Vec<Option<String>> = vec![None; COLUMNS.len()];
    let mut errors = Vec::new();
    for (k, v) in obj {
        let Some(i) = COLUMNS.iter().position(|c| c == k) else {
            continue; // unknown fields are ignored
        };
        if let Value::String(s) = v {
            if s.len() > MAX_FIELD_BYTES {
                errors.push(RowError::new(
                    line,
                    k,
                    ImportProblem::FieldTooLong {
                        bytes: count(s.len()),
                        max: count(MAX_FIELD_BYTES),
                    },
                ));
                continue;
            }
        }
        match cell(v) {
            Ok(c) => fields[i] = c,
            Err(reason) => errors.push(RowError::new(line, k, reason)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let borrowed: Vec<Option<&str>> = fields.iter().map(|f| f.as_deref()).collect();
    record_from_cells(line, &borrowed)
}
