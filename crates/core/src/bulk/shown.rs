//! What plans and history show, as typed values rather than sentences: the UI words them in
//! the user's language, the CLI in English (their `Display`). Names, groups, notes, inbound
//! ids, permission keys and emails are data and stay as they are.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{fmt::bytes, BulkAction, FieldChange, OpId};
use crate::{accounts::model::DAY_MS, dates::moment};

/// The field a change is about. The aliases are the names import previews (export column
/// names) and older journals used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    Account,
    Enabled,
    #[serde(alias = "expires_at_ms")]
    Expiry,
    #[serde(alias = "expire_after_first_use_ms")]
    ExpireAfterFirstUse,
    #[serde(alias = "limit_bytes")]
    Limit,
    Used,
    /// Uploaded / downloaded bytes (3x-ui counts them apart; a reset zeroes both).
    Upload,
    Download,
    Inbounds,
    Group,
    Subscription,
    /// Every link and QR code of the account (Marzban's revoke renews each proxy's secret).
    Links,
    UsageCap,
    #[serde(alias = "ip_limit")]
    IpCap,
    Permissions,
    Servers,
    Subuser,
    Form,
    Credentials,
    Note,
    #[serde(alias = "reset_days")]
    ResetDays,
    #[serde(alias = "reset_strategy")]
    ResetStrategy,
    /// What the account's status becomes (an extend that revives an expired account).
    Status,
}

impl Field {
    /// The English label (CLI).
    pub fn english(self) -> &'static str {
        match self {
            Field::Account => "account",
            Field::Enabled => "state",
            Field::Expiry => "expiry",
            Field::ExpireAfterFirstUse => "time after first use",
            Field::Limit => "traffic limit",
            Field::Used => "used traffic",
            Field::Upload => "uploaded",
            Field::Download => "downloaded",
            Field::Inbounds => "inbounds",
            Field::Group => "group",
            Field::Subscription => "subscription",
            Field::Links => "links and QR codes",
            Field::UsageCap => "usage cap",
            Field::IpCap => "IP cap",
            Field::Permissions => "permissions",
            Field::Servers => "servers",
            Field::Subuser => "subuser",
            Field::Form => "settings",
            Field::Credentials => "credentials",
            Field::Note => "note",
            Field::ResetDays => "traffic reset every",
            Field::ResetStrategy => "traffic reset",
            Field::Status => "status",
        }
    }

    /// What no value (`None`) means for this field, in English.
    pub fn english_unset(self) -> &'static str {
        match self {
            Field::Limit | Field::UsageCap | Field::IpCap => "unlimited",
            Field::Expiry => "never",
            Field::Group => "no group",
            _ => "none",
        }
    }
}

/// A secret a create keeps from the account it copies (never its value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum KeptSecret {
    Uuid,
    Password,
    SubscriptionId,
}

/// A value that is a word, not data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ValueWord {
    /// The subscription links as they are (before a revoke)…
    Current,
    /// …and new ones (after).
    New,
    /// An edit form as a whole.
    Edited,
    /// Links and QR codes as they were handed out…
    HandedOut,
    /// …all replaced: the ones handed out stop working.
    AllReplaced,
    /// Disabled after a change that the panel itself follows by enabling the account (Marzban's
    /// traffic reset): the run disables it again.
    DisabledAgain,
}

impl ValueWord {
    pub fn english(self) -> &'static str {
        match self {
            ValueWord::Current => "current",
            ValueWord::New => "new",
            ValueWord::Edited => "edited",
            ValueWord::HandedOut => "as handed out",
            ValueWord::AllReplaced => "all replaced (the ones handed out stop working)",
            ValueWord::DisabledAgain => {
                "disabled (the panel's reset enables it; the run disables it again)"
            }
        }
    }
}

/// One side of a change; `None` in its place means unlimited / never / unset (see
/// [`Field::english_unset`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum FieldValue {
    Bytes {
        #[specta(type = specta_typescript::Number)]
        bytes: u64,
    },
    /// A moment (epoch ms).
    Moment {
        #[specta(type = specta_typescript::Number)]
        ms: i64,
    },
    /// A span of time (ms), shown in whole days.
    Span {
        #[specta(type = specta_typescript::Number)]
        ms: i64,
    },
    Days {
        days: u32,
    },
    Count {
        #[specta(type = specta_typescript::Number)]
        count: u64,
    },
    /// Enabled or disabled.
    Toggle {
        on: bool,
    },
    Word {
        word: ValueWord,
    },
    /// Set by a Marzban user template.
    #[serde(rename_all = "camelCase")]
    FromTemplate {
        #[specta(type = specta_typescript::Number)]
        template_id: i64,
    },
    Kept {
        secrets: Vec<KeptSecret>,
    },
    /// Data: a name, a group, a note, an id.
    Text {
        text: String,
    },
    /// Data: inbound ids, permission keys, server ids.
    List {
        items: Vec<String>,
    },
    /// An account status.
    Status {
        status: crate::accounts::AccountStatus,
    },
}

impl FieldValue {
    pub fn bytes(bytes: u64) -> Self {
        FieldValue::Bytes { bytes }
    }

    pub fn moment(ms: i64) -> Self {
        FieldValue::Moment { ms }
    }

    pub fn count(count: u64) -> Self {
        FieldValue::Count { count }
    }

    pub fn toggle(on: bool) -> Self {
        FieldValue::Toggle { on }
    }

    pub fn text(text: impl Into<String>) -> Self {
        FieldValue::Text { text: text.into() }
    }

    pub fn list(items: &[String]) -> Self {
        FieldValue::List {
            items: items.to_vec(),
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Bytes { bytes: b } => f.write_str(&bytes(*b)),
            FieldValue::Moment { ms } => f.write_str(&moment(*ms)),
            FieldValue::Span { ms } => write!(f, "{} days", (ms + DAY_MS - 1) / DAY_MS),
            FieldValue::Days { days } => write!(f, "{days} days"),
            FieldValue::Count { count } => write!(f, "{count}"),
            FieldValue::Toggle { on: true } => f.write_str("enabled"),
            FieldValue::Toggle { on: false } => f.write_str("disabled"),
            FieldValue::Word { word } => f.write_str(word.english()),
            FieldValue::FromTemplate { template_id } => write!(f, "template {template_id}"),
            FieldValue::Kept { secrets } => {
                let names: Vec<&str> = secrets
                    .iter()
                    .map(|s| match s {
                        KeptSecret::Uuid => "UUID",
                        KeptSecret::Password => "password",
                        KeptSecret::SubscriptionId => "subscription id",
                    })
                    .collect();
                write!(f, "kept: {}", names.join(", "))
            }
            FieldValue::Text { text } => f.write_str(text),
            FieldValue::Status { status } => f.write_str(status.as_str()),
            FieldValue::List { items } => f.write_str(&items.join(", ")),
        }
    }
}

/// `traffic limit: 1 GiB → 2 GiB`, in English (CLI).
impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |v: &Option<FieldValue>| match v {
            Some(v) => v.to_string(),
            None => self.field.english_unset().to_owned(),
        };
        write!(
            f,
            "{}: {} → {}",
            self.field.english(),
            side(&self.before),
            side(&self.after)
        )
    }
}

/// What an operation does, for its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum OpWhat {
    Change {
        action: BulkAction,
    },
    Create {
        names: u32,
    },
    AddPerson {
        email: String,
        servers: u32,
    },
    RemovePerson {
        email: String,
    },
    /// One account changed from its detail pane: the item's operation (`ItemOp`'s tag,
    /// e.g. `resetTraffic`) and the account's name.
    Account {
        op: String,
        name: String,
    },
    /// An import of `file` into the panel named `panel`.
    Import {
        file: String,
        panel: String,
    },
    /// A migration from the panel named `from` to the one named `to`.
    Migrate {
        from: String,
        to: String,
    },
    /// Puts back what operation `of` changed.
    Revert {
        of: OpId,
        original: Box<OpTitle>,
    },
    /// A title given as text (imports and migrations, and every title journaled before
    /// titles were typed): shown as it is.
    Text {
        text: String,
    },
}

/// An operation's title: what it does, to how many accounts on how many panels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OpTitle {
    pub what: OpWhat,
    pub accounts: u32,
    pub panels: u32,
}

impl OpTitle {
    /// As the journal's `title` column keeps it (JSON).
    pub(crate) fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// From the journal: typed JSON, or a plain-text title of an older journal.
    pub(crate) fn from_stored(text: String) -> Self {
        serde_json::from_str(&text).unwrap_or(OpTitle {
            what: OpWhat::Text { text },
            accounts: 0,
            panels: 0,
        })
    }
}

/// A title as text (tests, and callers that have no typed title).
impl From<&str> for OpWhat {
    fn from(text: &str) -> Self {
        OpWhat::Text {
            text: text.to_owned(),
        }
    }
}

impl fmt::Display for OpWhat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpWhat::Change { action } => f.write_str(&action_english(action)),
            OpWhat::Create { names } => write!(f, "Create {}", counted(*names, "account")),
            OpWhat::AddPerson { email, servers } => {
                write!(f, "Add {email} to {}", counted(*servers, "server"))
            }
            OpWhat::RemovePerson { email } => write!(f, "Remove {email} from every server"),
            OpWhat::Account { op, name } => {
                // The tag in words: `resetTraffic` → "Reset traffic".
                let mut words = String::new();
                for (i, c) in op.chars().enumerate() {
                    match (i, c.is_ascii_uppercase()) {
                        (0, _) => words.push(c.to_ascii_uppercase()),
                        (_, true) => {
                            words.push(' ');
                            words.push(c.to_ascii_lowercase());
                        }
                        _ => words.push(c),
                    }
                }
                write!(f, "{words}: {name}")
            }
            OpWhat::Import { file, panel } => write!(f, "Import {file} into {panel}"),
            OpWhat::Migrate { from, to } => write!(f, "Migrate {from} to {to}"),
            OpWhat::Revert { original, .. } => write!(f, "Revert: {}", original.what),
            OpWhat::Text { text } => f.write_str(text),
        }
    }
}

impl fmt::Display for OpTitle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An older journal's text title already has its counts.
        if let OpWhat::Text { text } = &self.what {
            if self.accounts == 0 && self.panels == 0 {
                return f.write_str(text);
            }
        }
        write!(
            f,
            "{} · {} on {}",
            self.what,
            counted(self.accounts, "account"),
            counted(self.panels, "panel")
        )
    }
}

/// "1 account", "3 accounts": English plurals for the CLI's titles.
fn counted(n: u32, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn action_english(action: &BulkAction) -> String {
    match action {
        BulkAction::Enable => "Enable".into(),
        BulkAction::Disable => "Disable".into(),
        BulkAction::Delete { keep_traffic: true } => "Delete (keep traffic)".into(),
        BulkAction::Delete { .. } => "Delete".into(),
        BulkAction::ExtendExpiry { days } => format!("Extend expiry by {days} days"),
        BulkAction::SetExpiry { ms: Some(ms) } => format!("Set expiry to {}", moment(*ms)),
        BulkAction::SetExpiry { ms: None } => "Set expiry to never".into(),
        BulkAction::AddTraffic { bytes: b } => format!("Add {} of traffic", bytes(*b)),
        BulkAction::SetTrafficLimit { bytes: Some(b) } => {
            format!("Set traffic limit to {}", bytes(*b))
        }
        BulkAction::SetTrafficLimit { bytes: None } => "Set traffic limit to unlimited".into(),
        BulkAction::ResetTraffic => "Reset traffic".into(),
        BulkAction::AttachInbounds { inbound_ids } => format!("Attach inbounds {inbound_ids:?}"),
        BulkAction::DetachInbounds { inbound_ids } => format!("Detach inbounds {inbound_ids:?}"),
        BulkAction::AddToGroup { group } => format!("Add to group '{group}'"),
        BulkAction::RemoveFromGroup => "Remove from group".into(),
        BulkAction::ApplyTemplate { template_id } => format!("Apply template {template_id}"),
        BulkAction::RevokeSubscription => "Revoke subscription".into(),
        BulkAction::SetCaps { .. } => "Set caps".into(),
        BulkAction::SetStatus { status } => format!("Set status {status:?}"),
        BulkAction::GrantPermissions { permissions } => {
            format!("Grant {}", permissions.join(", "))
        }
        BulkAction::RevokePermissions { permissions } => {
            format!("Revoke {}", permissions.join(", "))
        }
        BulkAction::SetPermissions { permissions } => {
            format!("Set permissions {}", permissions.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_titles_and_field_names_still_load() {
        let old = OpTitle::from_stored("Enable · 3 accounts on 1 panels".into());
        assert_eq!(old.to_string(), "Enable · 3 accounts on 1 panels");
        let typed = OpTitle {
            what: OpWhat::Change {
                action: BulkAction::ExtendExpiry { days: 30 },
            },
            accounts: 3,
            panels: 2,
        };
        assert_eq!(OpTitle::from_stored(typed.to_stored()), typed);
        assert_eq!(
            typed.to_string(),
            "Extend expiry by 30 days · 3 accounts on 2 panels"
        );
        let one = OpTitle {
            what: OpWhat::Create { names: 1 },
            accounts: 1,
            panels: 1,
        };
        assert_eq!(one.to_string(), "Create 1 account · 1 account on 1 panel");
        let field: Field = serde_json::from_str("\"limit_bytes\"").unwrap_or(Field::Note);
        assert_eq!(field, Field::Limit);
    }

    #[test]
    fn values_in_english() {
        assert_eq!(
            FieldValue::bytes(1536 * 1024 * 1024).to_string(),
            "1.50 GiB"
        );
        assert_eq!(FieldValue::moment(0).to_string(), "1970-01-01 00:00 UTC");
        assert_eq!(FieldValue::toggle(false).to_string(), "disabled");
        let kept = FieldValue::Kept {
            secrets: vec![KeptSecret::Uuid, KeptSecret::Password],
        };
        assert_eq!(kept.to_string(), "kept: UUID, password");
        let links = FieldChange::new(
            Field::Links,
            Some(FieldValue::Word {
                word: ValueWord::HandedOut,
            }),
            Some(FieldValue::Word {
                word: ValueWord::AllReplaced,
            }),
        );
        assert_eq!(
            links.to_string(),
            "links and QR codes: as handed out → all replaced (the ones handed out stop working)"
        );
    }
}
