//! The JSON file schema (`{format, version, accounts: [...]}` or a bare array of accounts),
//! and 3x-ui's export, told apart by its first item.

use serde_json::{value::RawValue, Map, Value};

use super::{
    problem::count,
    validate::{clip, record_from_cells},
    ColumnSet, ImportProblem, Parsed, ParsedRow, RowError, SourceFormat, MAX_FIELD_BYTES,
};
use crate::{
    kinds::xui::import::{record_from_xui, XUI_COLUMNS},
    transfer::schema::{AccountRecord, COLUMNS, JSON_FORMAT, SCHEMA_VERSION},
};

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

pub(super) fn parse_json(bytes: &[u8]) -> Parsed {
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
            out.errors
                .push(RowError::new(line, "", ImportProblem::FileNotUtf8));
            return out;
        }
    };
    let items = match json_items(body) {
        Ok(items) => items,
        Err(e) => {
            out.errors.push(e);
            return out;
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
                    .push(RowError::new(line, "", ImportProblem::ExpectedObject));
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

/// The account items of the file: either `{format, version, accounts: [...]}` or a bare array.
fn json_items(body: &str) -> Result<Vec<&RawValue>, RowError> {
    #[derive(serde::Deserialize)]
    struct Envelope<'a> {
        format: Option<String>,
        version: Option<u32>,
        #[serde(borrow)]
        accounts: Option<Vec<&'a RawValue>>,
    }
    if !body.trim_start().starts_with('{') {
        return serde_json::from_str::<Vec<&RawValue>>(body).map_err(|e| json_error(&e));
    }
    let env = serde_json::from_str::<Envelope<'_>>(body).map_err(|e| json_error(&e))?;
    if let Some(f) = env.format.as_deref().filter(|f| *f != JSON_FORMAT) {
        return Err(RowError::new(
            1,
            "format",
            ImportProblem::UnknownFormat { value: clip(f) },
        ));
    }
    if let Some(v) = env.version.filter(|v| *v > SCHEMA_VERSION) {
        return Err(RowError::new(
            1,
            "version",
            ImportProblem::NewerVersion {
                version: v,
                supported: SCHEMA_VERSION,
            },
        ));
    }
    env.accounts
        .ok_or_else(|| RowError::new(1, "accounts", ImportProblem::NoAccountsList))
}

fn json_error(e: &serde_json::Error) -> RowError {
    RowError::new(
        e.line().max(1) as u64,
        "",
        ImportProblem::JsonUnreadable {
            detail: e.to_string(),
        },
    )
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
