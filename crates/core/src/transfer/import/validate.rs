//! From cell texts to a checked [`AccountRecord`]: every column's type and rules, each bad
//! cell reported with its line and column. CSV and JSON rows both end here.

use paneldeck_panels::PanelKind;

use super::{CountUnit, ImportProblem, RowError};
use crate::{
    accounts::{convert::parse_iso_ms, AccountStatus},
    transfer::schema::{col, AccountRecord, COLUMNS},
};

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
    fn fail(&mut self, i: usize, reason: ImportProblem) {
        self.errors
            .push(RowError::new(self.line, Self::col(i), reason));
    }
    fn unsigned(&mut self, i: usize, unit: CountUnit) -> Option<u64> {
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
                    ImportProblem::NotWholeNumberOf {
                        unit,
                        value: clip(s),
                    },
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
                self.fail(i, ImportProblem::NotATime { value: clip(s) });
                None
            }
        }
    }
    fn duration_ms(&mut self, i: usize) -> Option<i64> {
        let s = (self.get)(i)?.trim();
        match s.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            _ => {
                self.fail(i, ImportProblem::NotADuration { value: clip(s) });
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
                self.fail(i, ImportProblem::NotABoolean { value: clip(s) });
                None
            }
        }
    }
}

/// At most 40 characters of a value, for messages.
pub(crate) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// Builds and validates a record from cell texts indexed like [`COLUMNS`].
pub(super) fn record_from_cells(
    line: u64,
    fields: &[Option<&str>],
) -> Result<AccountRecord, Vec<RowError>> {
    let get = |i: usize| fields.get(i).copied().flatten();
    let mut c = Cells {
        line,
        errors: Vec::new(),
        get: &get,
    };
    let name = c.text(col::NAME).unwrap_or_default();
    if name.trim().is_empty() {
        c.fail(col::NAME, ImportProblem::NameEmpty);
    }
    let kind = match get(col::KIND) {
        None => None,
        Some(k) => match k.trim().parse::<PanelKind>().ok() {
            Some(k) => Some(k),
            None => {
                c.fail(col::KIND, ImportProblem::UnknownKind { value: clip(k) });
                None
            }
        },
    };
    let status = match get(col::STATUS) {
        None => None,
        Some(s) => match AccountStatus::parse(s.trim()) {
            Some(s) => Some(s),
            None => {
                c.fail(col::STATUS, ImportProblem::UnknownStatus { value: clip(s) });
                None
            }
        },
    };
    let reset_days = c
        .unsigned(col::RESET_DAYS, CountUnit::Days)
        .and_then(|d| u32::try_from(d).ok());
    let tg_id = match get(col::TG_ID) {
        None => None,
        Some(t) => match t.trim().parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                c.fail(col::TG_ID, ImportProblem::NotANumber { value: clip(t) });
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
        used_bytes: c.unsigned(col::USED_BYTES, CountUnit::Bytes),
        limit_bytes: c.unsigned(col::LIMIT_BYTES, CountUnit::Bytes),
        expires_at_ms: c.time_ms(col::EXPIRES_AT_MS),
        expire_after_first_use_ms: c.duration_ms(col::EXPIRE_AFTER_FIRST_USE_MS),
        ip_limit: c.unsigned(col::IP_LIMIT, CountUnit::Ips),
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
        hwid_limit: c.unsigned(col::HWID_LIMIT, CountUnit::Devices),
    };
    if let Some(u) = record.uuid.as_deref() {
        if uuid::Uuid::parse_str(u).is_err() && record.kind != Some(PanelKind::Pterodactyl) {
            c.fail(col::UUID, ImportProblem::NotAUuid { value: clip(u) });
        }
    }
    if c.errors.is_empty() {
        Ok(record)
    } else {
        Err(c.errors)
    }
}
