//! Reading account files offline: CSV and JSON in the file schema, and 3x-ui's own export
//! (`[{client, inboundIds}]`). Every bad row is reported with its line, column and reason;
//! the good rows stay importable. Nothing here panics on any input.

use std::{
    borrow::Cow,
    collections::{hash_map::Entry, HashMap},
};

use paneldeck_panels::PanelKind;
use serde::Serialize;
use serde_json::{value::RawValue, Map, Value};

use super::schema::{col, AccountRecord, COLUMNS};
use crate::accounts::{convert::parse_iso_ms, AccountStatus};

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
    pub reason: String,
}

impl RowError {
    fn new(line: u64, column: &str, reason: impl Into<String>) -> Self {
        RowError {
            line,
            column: column.to_owned(),
            reason: reason.into(),
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

/// A row that passed validation, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: u64,
    pub record: AccountRecord,
    /// The columns the file has for this row (a column the file lacks keeps the panel's
    /// value on update; a column present but empty means "not set").
    pub present: ColumnSet,
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

    /// Whether the column of index `i` (see [`col`]) is present.
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

/// Reads a file's bytes: JSON when it starts with `[` or `{` (after a BOM and blanks), else CSV.
pub fn parse_bytes(bytes: &[u8]) -> Parsed {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let mut parsed = match first {
        None => Parsed {
            format: SourceFormat::Csv,
            rows: Vec::new(),
            errors: vec![RowError::new(1, "", "the file is empty")],
        },
        Some(_) if bytes.len() > MAX_FILE_BYTES => Parsed {
            format: SourceFormat::Csv,
            rows: Vec::new(),
            errors: vec![RowError::new(
                1,
                "",
                format!("the file is larger than {} MB", MAX_FILE_BYTES >> 20),
            )],
        },
        Some(b'[') | Some(b'{') => parse_json(body),
        Some(_) => parse_csv(body),
    };
    check_duplicates(&mut parsed);
    parsed
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
            let key = (
                lower(row.record.panel.as_deref().unwrap_or("")),
                lower(&row.record.name),
            );
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
            format!(
                "duplicate account '{}' (first on line {first})",
                row.record.name
            ),
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

// ---------- CSV ----------

fn parse_csv(body: &[u8]) -> Parsed {
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut header = csv::ByteRecord::new();
    match reader.read_byte_record(&mut header) {
        Ok(true) => {}
        Err(e) => {
            errors.push(csv_error(&e, 1));
            return Parsed {
                format: SourceFormat::Csv,
                rows,
                errors,
            };
        }
        Ok(false) => {
            errors.push(RowError::new(1, "", "the file is empty"));
            return Parsed {
                format: SourceFormat::Csv,
                rows,
                errors,
            };
        }
    }
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
        .collect();
    if names.len() == 1 {
        let only = &names[0];
        if let Some(d) = [';', '\t', '|'].into_iter().find(|d| only.contains(*d)) {
            let shown = if d == '\t' {
                "tabs".to_owned()
            } else {
                format!("'{d}'")
            };
            errors.push(RowError::new(
                1,
                "",
                format!("the columns are separated by {shown}; this importer expects commas (see docs/formats.md)"),
            ));
            return Parsed {
                format: SourceFormat::Csv,
                rows,
                errors,
            };
        }
    }
    let mut index: Vec<Option<usize>> = Vec::with_capacity(names.len());
    let mut seen = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        match COLUMNS.iter().position(|c| c == n) {
            Some(c) if seen.insert(c, i).is_none() => index.push(Some(c)),
            Some(_) => {
                errors.push(RowError::new(
                    1,
                    n,
                    "the column appears twice; the first is used",
                ));
                index.push(None);
            }
            None => {
                errors.push(RowError::new(1, n, "unknown column, ignored"));
                index.push(None);
            }
        }
    }
    let present = ColumnSet(seen.keys().fold(0u32, |acc, c| acc | (1 << c)));
    let open_quote = unterminated_quote_line(body);
    if !seen.contains_key(&col::NAME) {
        errors.push(RowError::new(1, "name", "the header has no 'name' column"));
        return Parsed {
            format: SourceFormat::Csv,
            rows,
            errors,
        };
    }
    // One record reused for every row.
    let mut rec = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(csv_error(&e, line));
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        if open_quote.is_some_and(|q| q >= line) && rec.iter().any(|f| f.contains(&b'\n')) {
            errors.push(RowError::new(
                open_quote.unwrap_or(line),
                "",
                "a quote opened here is never closed (the rest of the file would be one field)",
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
        if rec.len() != names.len() {
            errors.push(RowError::new(
                line,
                "",
                format!(
                    "{} field(s) where the header has {}",
                    rec.len(),
                    names.len()
                ),
            ));
            continue;
        }
        let mut fields: [Option<&str>; COLUMNS.len()] = [None; COLUMNS.len()];
        let mut bad = false;
        for (i, raw) in rec.iter().enumerate() {
            let Some(col) = index[i] else { continue };
            if raw.len() > MAX_FIELD_BYTES {
                errors.push(RowError::new(
                    line,
                    COLUMNS[col],
                    format!(
                        "the field is {} bytes; at most {MAX_FIELD_BYTES} are accepted",
                        raw.len()
                    ),
                ));
                bad = true;
                continue;
            }
            match std::str::from_utf8(raw) {
                Ok(s) => {
                    if !s.trim().is_empty() {
                        fields[col] = Some(s);
                    }
                }
                Err(e) => {
                    errors.push(RowError::new(
                        line,
                        COLUMNS[col],
                        format!(
                            "not valid UTF-8 (byte {} of the field); save the file as UTF-8",
                            e.valid_up_to() + 1
                        ),
                    ));
                    bad = true;
                }
            }
        }
        if bad {
            continue;
        }
        match record_from_cells(line, &fields) {
            Ok(record) => rows.push(ParsedRow {
                line,
                record,
                present,
            }),
            Err(mut e) => errors.append(&mut e),
        }
    }
    Parsed {
        format: SourceFormat::Csv,
        rows,
        errors,
    }
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
        } => format!("{len} field(s) where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { err, .. } => format!("not valid UTF-8: {err}"),
        other => format!("cannot read the row: {other:?}"),
    };
    RowError::new(line.max(1), "", reason)
}

/// Typed values of one row; every bad cell is reported.
struct Cells<'a> {
    line: u64,
    errors: Vec<RowError>,
    get: &'a dyn Fn(usize) -> Option<&'a str>,
}

impl Cells<'_> {
    fn col(i: usize) -> &'static str {
        COLUMNS[i]
    }
    fn text(&self, i: usize) -> Option<String> {
        (self.get)(i).map(str::to_owned)
    }
    fn list(&self, i: usize) -> Vec<String> {
        (self.get)(i)
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
    fn fail(&mut self, i: usize, reason: String) {
        self.errors
            .push(RowError::new(self.line, Self::col(i), reason));
    }
    fn unsigned(&mut self, i: usize, unit: &str) -> Option<u64> {
        let s = (self.get)(i)?.trim();
        let parsed = if s.contains('_') {
            s.replace('_', "").parse::<u64>()
        } else {
            s.parse::<u64>()
        };
        match parsed {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(
                    i,
                    format!(
                        "expected a whole number of {unit} (0 or more), got '{}'",
                        clip(s)
                    ),
                );
                None
            }
        }
    }
    fn time_ms(&mut self, i: usize) -> Option<i64> {
        let s = (self.get)(i)?.trim();
        if let Ok(v) = s.parse::<i64>() {
            return Some(v);
        }
        let iso = if s.len() == 10 {
            format!("{s}T00:00:00Z")
        } else {
            s.to_owned()
        };
        match parse_iso_ms(&iso) {
            Some(v) => Some(v),
            None => {
                self.fail(
                    i,
                    format!(
                        "expected epoch milliseconds or an ISO-8601 date, got '{}'",
                        clip(s)
                    ),
                );
                None
            }
        }
    }
    fn duration_ms(&mut self, i: usize) -> Option<i64> {
        let s = (self.get)(i)?.trim();
        match s.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            _ => {
                self.fail(
                    i,
                    format!("expected milliseconds (0 or more), got '{}'", clip(s)),
                );
                None
            }
        }
    }
    fn boolean(&mut self, i: usize) -> Option<bool> {
        let s = (self.get)(i)?.trim();
        let is = |words: [&str; 4]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
        match () {
            _ if is(["true", "yes", "1", "y"]) => Some(true),
            _ if is(["false", "no", "0", "n"]) => Some(false),
            _ => {
                self.fail(i, format!("expected true or false, got '{}'", clip(s)));
                None
            }
        }
    }
}

/// At most 40 characters of a value, for messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Builds and validates a record from cell texts indexed like [`COLUMNS`].
fn record_from_cells(line: u64, fields: &[Option<&str>]) -> Result<AccountRecord, Vec<RowError>> {
    let get = |i: usize| fields.get(i).copied().flatten();
    let mut c = Cells {
        line,
        errors: Vec::new(),
        get: &get,
    };
    let name = c.text(col::NAME).unwrap_or_default();
    if name.trim().is_empty() {
        c.fail(col::NAME, "the account name is empty".into());
    }
    let kind = match get(col::KIND) {
        None => None,
        Some(k) => match k.trim().parse::<PanelKind>().ok() {
            Some(k) => Some(k),
            None => {
                c.fail(
                    col::KIND,
                    format!(
                        "expected xui, marzban, userpass or pterodactyl, got '{}'",
                        clip(k)
                    ),
                );
                None
            }
        },
    };
    let status = match get(col::STATUS) {
        None => None,
        Some(s) => match AccountStatus::parse(s.trim()) {
            Some(s) => Some(s),
            None => {
                c.fail(col::STATUS, format!("unknown status '{}'", clip(s)));
                None
            }
        },
    };
    let reset_days = c
        .unsigned(col::RESET_DAYS, "days")
        .and_then(|d| u32::try_from(d).ok());
    let tg_id = match get(col::TG_ID) {
        None => None,
        Some(t) => match t.trim().parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                c.fail(col::TG_ID, format!("expected a number, got '{}'", clip(t)));
                None
            }
        },
    };
    let record = AccountRecord {
        panel: c.text(col::PANEL),
        kind,
        name,
        email: c.text(col::EMAIL),
        enabled: c.boolean(col::ENABLED),
        status,
        used_bytes: c.unsigned(col::USED_BYTES, "bytes"),
        limit_bytes: c.unsigned(col::LIMIT_BYTES, "bytes"),
        expires_at_ms: c.time_ms(col::EXPIRES_AT_MS),
        expire_after_first_use_ms: c.duration_ms(col::EXPIRE_AFTER_FIRST_USE_MS),
        ip_limit: c.unsigned(col::IP_LIMIT, "IPs"),
        group: c.text(col::GROUP),
        note: c.text(col::NOTE),
        protocols: c.list(col::PROTOCOLS),
        inbounds: c.list(col::INBOUNDS),
        reset_days,
        reset_strategy: c.text(col::RESET_STRATEGY),
        permissions: c.list(col::PERMISSIONS),
        servers: c.list(col::SERVERS),
        created_at_ms: c.time_ms(col::CREATED_AT_MS),
        flow: c.text(col::FLOW),
        ss_method: c.text(col::SS_METHOD),
        sub_id: c.text(col::SUB_ID),
        subscription_url: c.text(col::SUBSCRIPTION_URL),
        uuid: c.text(col::UUID),
        vmess_uuid: c.text(col::VMESS_UUID),
        password: c.text(col::PASSWORD),
        tg_id,
        hwid_limit: c.unsigned(col::HWID_LIMIT, "devices"),
    };
    if let Some(u) = record.uuid.as_deref() {
        if uuid::Uuid::parse_str(u).is_err() && record.kind != Some(PanelKind::Pterodactyl) {
            c.fail(col::UUID, format!("'{}' is not a UUID", clip(u)));
        }
    }
    if c.errors.is_empty() {
        Ok(record)
    } else {
        Err(c.errors)
    }
}

// ---------- JSON ----------

/// Lines of each element, computed in one pass over the text.
fn element_lines(body: &str, items: &[&RawValue]) -> Vec<u64> {
    let base = body.as_ptr() as usize;
    let mut lines = Vec::with_capacity(items.len());
    let mut pos = 0usize;
    let mut line = 1u64;
    for item in items {
        let off = (item.get().as_ptr() as usize)
            .saturating_sub(base)
            .min(body.len());
        if off >= pos {
            line += body.as_bytes()[pos..off]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            pos = off;
        }
        lines.push(line);
    }
    lines
}

fn parse_json(bytes: &[u8]) -> Parsed {
    let mut out = Parsed {
        format: SourceFormat::Json,
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let body = match std::str::from_utf8(bytes) {
        Ok(b) => b,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            out.errors.push(RowError::new(
                line,
                "",
                "not valid UTF-8; save the file as UTF-8",
            ));
            return out;
        }
    };
    // Either {format, version, accounts: [...]} or a bare array.
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        format: Option<String>,
        version: Option<u32>,
        #[serde(borrow)]
        accounts: Option<Vec<&'a RawValue>>,
    }
    let items: Vec<&RawValue> = if body.trim_start().starts_with('{') {
        match serde_json::from_str::<Envelope<'_>>(body) {
            Ok(env) => {
                if let Some(f) = env
                    .format
                    .as_deref()
                    .filter(|f| *f != super::schema::JSON_FORMAT)
                {
                    out.errors.push(RowError::new(
                        1,
                        "format",
                        format!("unknown format '{}'", clip(f)),
                    ));
                    return out;
                }
                if let Some(v) = env.version.filter(|v| *v > super::schema::SCHEMA_VERSION) {
                    out.errors.push(RowError::new(
                        1,
                        "version",
                        format!(
                            "schema version {v} is newer than this Paneldeck reads ({})",
                            super::schema::SCHEMA_VERSION
                        ),
                    ));
                    return out;
                }
                match env.accounts {
                    Some(a) => a,
                    None => {
                        out.errors.push(RowError::new(
                            1,
                            "accounts",
                            "the file has no 'accounts' list",
                        ));
                        return out;
                    }
                }
            }
            Err(e) => {
                out.errors.push(json_error(&e));
                return out;
            }
        }
    } else {
        match serde_json::from_str::<Vec<&RawValue>>(body) {
            Ok(a) => a,
            Err(e) => {
                out.errors.push(json_error(&e));
                return out;
            }
        }
    };
    let lines = element_lines(body, &items);
    let xui = items.first().is_some_and(|first| {
        serde_json::from_str::<Map<String, Value>>(first.get())
            .is_ok_and(|m| m.contains_key("client"))
    });
    if xui {
        out.format = SourceFormat::XuiExport;
    }
    for (item, line) in items.iter().zip(lines) {
        let obj = match serde_json::from_str::<Map<String, Value>>(item.get()) {
            Ok(o) => o,
            Err(_) => {
                out.errors
                    .push(RowError::new(line, "", "expected an object"));
                continue;
            }
        };
        let (result, present) = if xui {
            (record_from_xui(line, &obj), XUI_COLUMNS)
        } else {
            let present = obj.keys().fold(ColumnSet::default(), |set, k| set.with(k));
            (record_from_json(line, &obj), present)
        };
        match result {
            Ok(record) => out.rows.push(ParsedRow {
                line,
                record,
                present,
            }),
            Err(mut e) => out.errors.append(&mut e),
        }
    }
    out
}

fn json_error(e: &serde_json::Error) -> RowError {
    RowError::new(
        e.line().max(1) as u64,
        "",
        format!("the JSON cannot be read: {e}"),
    )
}

/// A JSON value as cell text (numbers and booleans as written, lists `;`-joined).
fn cell(v: &Value) -> Result<Option<String>, &'static str> {
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
                    _ => return Err("expected a list of texts or numbers"),
                }
            }
            (!parts.is_empty()).then(|| parts.join(";"))
        }
        Value::Object(_) => return Err("expected a value, got an object"),
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
                    format!(
                        "the field is {} bytes; at most {MAX_FIELD_BYTES} are accepted",
                        s.len()
                    ),
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

/// The columns a 3x-ui export item fills.
const XUI_COLUMNS: ColumnSet = {
    let names: [&str; 16] = [
        "kind",
        "name",
        "email",
        "enabled",
        "limit_bytes",
        "expires_at_ms",
        "expire_after_first_use_ms",
        "ip_limit",
        "group",
        "note",
        "inbounds",
        "reset_days",
        "flow",
        "sub_id",
        "uuid",
        "password",
    ];
    let mut bits = 0u32;
    let mut i = 0;
    while i < names.len() {
        let mut c = 0;
        while c < COLUMNS.len() {
            if const_eq(COLUMNS[c], names[i]) {
                bits |= 1 << c;
            }
            c += 1;
        }
        i += 1;
    }
    ColumnSet(bits)
};

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// One item of 3x-ui's `clients/export`: `{client: {email, id, password, totalGB, …}, inboundIds}`.
fn record_from_xui(line: u64, obj: &Map<String, Value>) -> Result<AccountRecord, Vec<RowError>> {
    let mut errors = Vec::new();
    let Some(client) = obj.get("client").and_then(Value::as_object) else {
        return Err(vec![RowError::new(line, "client", "expected an object")]);
    };
    let s = |k: &str| {
        client
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let mut int = |k: &str| -> Option<i64> {
        match client.get(k) {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_i64() {
                Some(n) => Some(n),
                None => {
                    errors.push(RowError::new(
                        line,
                        &format!("client.{k}"),
                        format!("expected a whole number, got {}", clip(&v.to_string())),
                    ));
                    None
                }
            },
        }
    };
    let total = int("totalGB");
    let expiry = int("expiryTime");
    let limit_ip = int("limitIp");
    let reset = int("reset");
    let tg_id = int("tgId");
    let hwid = int("limitHwid");
    let email = s("email").unwrap_or_default();
    if email.is_empty() {
        errors.push(RowError::new(
            line,
            "client.email",
            "the client has no email",
        ));
    }
    let mut inbounds = Vec::new();
    match obj.get("inboundIds") {
        None | Some(Value::Null) => {}
        Some(Value::Array(ids)) => {
            for id in ids {
                match id.as_i64() {
                    Some(n) => inbounds.push(n.to_string()),
                    None => errors.push(RowError::new(
                        line,
                        "inboundIds",
                        "expected a list of inbound ids (numbers)",
                    )),
                }
            }
        }
        Some(_) => errors.push(RowError::new(
            line,
            "inboundIds",
            "expected a list of inbound ids (numbers)",
        )),
    }
    let uuid = s("id").or_else(|| s("uuid"));
    if let Some(u) = uuid.as_deref() {
        if uuid::Uuid::parse_str(u).is_err() {
            errors.push(RowError::new(
                line,
                "client.id",
                format!("'{}' is not a UUID", clip(u)),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let positive = |v: Option<i64>| v.filter(|n| *n > 0).and_then(|n| u64::try_from(n).ok());
    Ok(AccountRecord {
        kind: Some(PanelKind::Xui),
        email: email.contains('@').then(|| email.clone()),
        name: email,
        enabled: client.get("enable").and_then(Value::as_bool),
        limit_bytes: positive(total),
        expires_at_ms: expiry.filter(|e| *e > 0),
        expire_after_first_use_ms: expiry.filter(|e| *e < 0).map(|e| -e),
        ip_limit: positive(limit_ip),
        group: s("group"),
        note: s("comment"),
        inbounds,
        reset_days: positive(reset).and_then(|d| u32::try_from(d).ok()),
        flow: s("flow"),
        sub_id: s("subId"),
        uuid,
        password: s("password"),
        tg_id: tg_id.filter(|t| *t != 0),
        hwid_limit: positive(hwid),
        ..AccountRecord::default()
    })
}
