//! A parsed row kept compact: its record in postcard (about the size of the row's own text)
//! instead of an [`AccountRecord`] of some 600 bytes plus a buffer per text. An import of a
//! few hundred thousand rows holds them all until the plan is made (issue #21: the import's
//! memory stays within 3× the file's size).

use paneldeck_panels::PanelKind;
use serde::{Deserialize, Serialize};

use super::ColumnSet;
use crate::{accounts::AccountStatus, transfer::schema::AccountRecord};

/// Declares [`Packed`], every field of [`AccountRecord`] in its order without the JSON
/// file's skipping of empty fields (postcard reads fields by position), and the moves both
/// ways; a field missing here fails the build.
macro_rules! packed {
    ($($field:ident: $ty:ty,)*) => {
        #[derive(Serialize, Deserialize)]
        struct Packed { $($field: $ty,)* }

        impl From<AccountRecord> for Packed {
            fn from(r: AccountRecord) -> Self {
                Packed { $($field: r.$field,)* }
            }
        }

        impl From<Packed> for AccountRecord {
            fn from(p: Packed) -> Self {
                AccountRecord { $($field: p.$field,)* }
            }
        }
    };
}

packed! {
    panel: Option<String>,
    kind: Option<PanelKind>,
    name: String,
    email: Option<String>,
    enabled: Option<bool>,
    status: Option<AccountStatus>,
    used_bytes: Option<u64>,
    limit_bytes: Option<u64>,
    expires_at_ms: Option<i64>,
    expire_after_first_use_ms: Option<i64>,
    ip_limit: Option<u64>,
    group: Option<String>,
    note: Option<String>,
    protocols: Vec<String>,
    inbounds: Vec<String>,
    reset_days: Option<u32>,
    reset_strategy: Option<String>,
    permissions: Vec<String>,
    servers: Vec<String>,
    created_at_ms: Option<i64>,
    flow: Option<String>,
    ss_method: Option<String>,
    sub_id: Option<String>,
    subscription_url: Option<String>,
    uuid: Option<String>,
    vmess_uuid: Option<String>,
    password: Option<String>,
    tg_id: Option<i64>,
    hwid_limit: Option<u64>,
}

/// The first fields of [`Packed`], read in place: what is asked of every row (its panel and
/// name) without decoding the rest.
#[derive(Deserialize)]
struct Head<'a> {
    panel: Option<&'a str>,
    _kind: Option<PanelKind>,
    name: &'a str,
}

/// A row that passed validation, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: u64,
    /// The columns the file has for this row (a column the file lacks keeps the panel's
    /// value on update; a column present but empty means "not set").
    pub present: ColumnSet,
    packed: Box<[u8]>,
}

impl ParsedRow {
    pub fn new(line: u64, record: AccountRecord, present: ColumnSet) -> Self {
        let packed = match postcard::to_allocvec(&Packed::from(record)) {
            // Copied to a block of its own size: the allocator keeps a shrunk block as large
            // as it was.
            Ok(bytes) => Box::from(bytes.as_slice()),
            // Postcard fails only on types it cannot express, which `Packed` has none of.
            Err(_) => Box::default(),
        };
        ParsedRow {
            line,
            present,
            packed,
        }
    }

    fn head(&self) -> Option<Head<'_>> {
        postcard::take_from_bytes::<Head<'_>>(&self.packed)
            .ok()
            .map(|(head, _)| head)
    }

    /// The account name.
    pub fn name(&self) -> &str {
        self.head().map_or("", |h| h.name)
    }

    /// The panel column.
    pub fn panel(&self) -> Option<&str> {
        self.head().and_then(|h| h.panel)
    }

    /// The whole record, decoded.
    pub fn record(&self) -> AccountRecord {
        postcard::from_bytes::<Packed>(&self.packed)
            .map_or_else(|_| AccountRecord::default(), AccountRecord::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_comes_back_as_it_went_in() {
        let record = AccountRecord {
            panel: Some("Main".into()),
            kind: Some(PanelKind::Marzban),
            name: "alice".into(),
            note: Some(String::new()),
            protocols: vec!["vless".into(), "a;b".into()],
            tg_id: Some(-5),
            status: Some(AccountStatus::OnHold),
            ..AccountRecord::default()
        };
        let row = ParsedRow::new(7, record.clone(), ColumnSet::ALL);
        assert_eq!((row.name(), row.panel()), ("alice", Some("Main")));
        assert_eq!(row.record(), record);
        assert!(row.packed.len() < 64, "{} bytes", row.packed.len());
    }
}
