//! The one account file schema (docs/formats.md): the same column names in CSV and JSON,
//! bytes as whole numbers, times as epoch milliseconds (UTC), lists `;`-separated in CSV and
//! arrays in JSON, an empty cell / `null` for "not set".

use paneldeck_panels::PanelKind;
use serde::{Deserialize, Serialize};

use crate::{
    accounts::{Account, AccountStatus, RawBits},
    kinds,
};

/// `format` of a JSON account file.
pub const JSON_FORMAT: &str = "paneldeck-accounts";
/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// The columns, in file order. Keep in step with docs/formats.md and [`AccountRecord`].
pub const COLUMNS: [&str; 29] = [
    "panel",
    "kind",
    "name",
    "email",
    "enabled",
    "status",
    "used_bytes",
    "limit_bytes",
    "expires_at_ms",
    "expire_after_first_use_ms",
    "ip_limit",
    "group",
    "note",
    "protocols",
    "inbounds",
    "reset_days",
    "reset_strategy",
    "permissions",
    "servers",
    "created_at_ms",
    "flow",
    "ss_method",
    "sub_id",
    "subscription_url",
    "uuid",
    "vmess_uuid",
    "password",
    "tg_id",
    "hwid_limit",
];

/// Index of each column in [`COLUMNS`].
pub mod col {
    pub const PANEL: usize = 0;
    pub const KIND: usize = 1;
    pub const NAME: usize = 2;
    pub const EMAIL: usize = 3;
    pub const ENABLED: usize = 4;
    pub const STATUS: usize = 5;
    pub const USED_BYTES: usize = 6;
    pub const LIMIT_BYTES: usize = 7;
    pub const EXPIRES_AT_MS: usize = 8;
    pub const EXPIRE_AFTER_FIRST_USE_MS: usize = 9;
    pub const IP_LIMIT: usize = 10;
    pub const GROUP: usize = 11;
    pub const NOTE: usize = 12;
    pub const PROTOCOLS: usize = 13;
    pub const INBOUNDS: usize = 14;
    pub const RESET_DAYS: usize = 15;
    pub const RESET_STRATEGY: usize = 16;
    pub const PERMISSIONS: usize = 17;
    pub const SERVERS: usize = 18;
    pub const CREATED_AT_MS: usize = 19;
    pub const FLOW: usize = 20;
    pub const SS_METHOD: usize = 21;
    pub const SUB_ID: usize = 22;
    pub const SUBSCRIPTION_URL: usize = 23;
    pub const UUID: usize = 24;
    pub const VMESS_UUID: usize = 25;
    pub const PASSWORD: usize = 26;
    pub const TG_ID: usize = 27;
    pub const HWID_LIMIT: usize = 28;
}

/// Columns that hold secrets: written only with "include credentials".
pub const CREDENTIAL_COLUMNS: [&str; 5] = [
    "sub_id",
    "subscription_url",
    "uuid",
    "vmess_uuid",
    "password",
];

/// One account in the file schema. Every field but `name` may be absent (and is then left out
/// of JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountRecord {
    /// Panel name (export). On import, rows of other panels than the target are left out
    /// unless mapped onto it ([`PlanOptions::from_panels`](super::plan::PlanOptions)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<PanelKind>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Derived at export time; ignored on import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<AccountStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_after_first_use_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_limit: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inbounds: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_strategy: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ss_method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscription_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vmess_uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tg_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hwid_limit: Option<u64>,
}

/// What of an account a record carries only when credentials are exported.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub sub_id: Option<String>,
    pub subscription_url: Option<String>,
    pub uuid: Option<String>,
}

impl AccountRecord {
    /// The record of a snapshot account and its panel's raw record. Secrets are left out
    /// unless `credentials`.
    pub fn from_account(panel_name: &str, a: &Account, raw: &RawBits, credentials: bool) -> Self {
        Self::from_owned(panel_name, a.clone(), raw.clone(), credentials)
    }

    /// As [`from_account`](Self::from_account), moving the texts instead of copying them.
    pub fn from_owned(panel_name: &str, a: Account, raw: RawBits, credentials: bool) -> Self {
        let mut r = AccountRecord {
            panel: Some(panel_name.to_owned()),
            kind: Some(a.kind),
            name: a.name,
            email: a.email,
            enabled: Some(a.enabled),
            status: Some(a.status),
            used_bytes: Some(a.used_bytes),
            limit_bytes: a.limit_bytes,
            expires_at_ms: a.expires_at_ms,
            expire_after_first_use_ms: a.expire_after_first_use_ms,
            ip_limit: a.ip_limit,
            group: a.group,
            note: a.note,
            protocols: a.protocols,
            inbounds: a.inbounds,
            permissions: a.permissions,
            servers: a.servers,
            created_at_ms: a.created_at_ms,
            ..AccountRecord::default()
        };
        let credentials = credentials.then_some(Credentials {
            sub_id: a.sub_id,
            subscription_url: a.subscription_url,
            uuid: a.uuid,
        });
        kinds::rules(a.kind).fill_record(&mut r, raw, credentials);
        r
    }

    /// Writes the record as one CSV row, cells in [`COLUMNS`] order. `scratch` is reused
    /// for the lists, so a row costs no allocation.
    pub fn write_csv_row<W: std::io::Write>(
        &self,
        w: &mut csv::Writer<W>,
        scratch: &mut String,
        raw: bool,
    ) -> csv::Result<()> {
        let text = |w: &mut csv::Writer<W>, v: Option<&str>| {
            w.write_field(&*crate::files::csv_cell(v.unwrap_or(""), raw))
        };
        fn num<W: std::io::Write, N: itoa::Integer>(
            w: &mut csv::Writer<W>,
            v: Option<N>,
        ) -> csv::Result<()> {
            match v {
                Some(n) => w.write_field(itoa::Buffer::new().format(n)),
                None => w.write_field(""),
            }
        }
        let mut list = |w: &mut csv::Writer<W>, v: &[String]| {
            scratch.clear();
            for (i, item) in v.iter().enumerate() {
                if i > 0 {
                    scratch.push(';');
                }
                scratch.push_str(item);
            }
            w.write_field(&*crate::files::csv_cell(scratch, raw))
        };
        text(w, self.panel.as_deref())?;
        text(w, self.kind.map(PanelKind::as_str))?;
        text(w, Some(&self.name))?;
        text(w, self.email.as_deref())?;
        text(w, self.enabled.map(|b| if b { "true" } else { "false" }))?;
        text(w, self.status.map(AccountStatus::as_str))?;
        num(w, self.used_bytes)?;
        num(w, self.limit_bytes)?;
        num(w, self.expires_at_ms)?;
        num(w, self.expire_after_first_use_ms)?;
        num(w, self.ip_limit)?;
        text(w, self.group.as_deref())?;
        text(w, self.note.as_deref())?;
        list(w, &self.protocols)?;
        list(w, &self.inbounds)?;
        num(w, self.reset_days)?;
        text(w, self.reset_strategy.as_deref())?;
        list(w, &self.permissions)?;
        list(w, &self.servers)?;
        num(w, self.created_at_ms)?;
        text(w, self.flow.as_deref())?;
        text(w, self.ss_method.as_deref())?;
        text(w, self.sub_id.as_deref())?;
        text(w, self.subscription_url.as_deref())?;
        text(w, self.uuid.as_deref())?;
        text(w, self.vmess_uuid.as_deref())?;
        text(w, self.password.as_deref())?;
        num(w, self.tg_id)?;
        num(w, self.hwid_limit)?;
        w.write_record(None::<&[u8]>)
    }

    /// True when it carries any secret.
    pub fn has_credentials(&self) -> bool {
        self.sub_id.is_some()
            || self.subscription_url.is_some()
            || self.uuid.is_some()
            || self.vmess_uuid.is_some()
            || self.password.is_some()
    }
}

/// A JSON account file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFile {
    pub format: String,
    pub version: u32,
    pub includes_credentials: bool,
    pub accounts: Vec<AccountRecord>,
}
