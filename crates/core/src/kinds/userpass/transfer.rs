//! An account record onto a user-pass proxy: the sub-user's create and edit forms.

use crate::accounts::RawBits;
use paneldeck_panels::Secret;

use crate::{
    actions::{AccountEdit, KeptCredentials, NewAccount, ProxyStatusInput},
    bulk::{Field, FieldChange, FieldValue},
    transfer::{
        plan::{Diff, EditSource},
        schema::{col, Credentials},
        AccountRecord,
    },
};

pub fn kept_credentials(r: &AccountRecord) -> KeptCredentials {
    KeptCredentials {
        password: r.password.clone(),
        ..KeptCredentials::default()
    }
}

fn status(enabled: bool) -> ProxyStatusInput {
    if enabled {
        ProxyStatusInput::Active
    } else {
        ProxyStatusInput::Disabled
    }
}

pub fn new_account(r: &AccountRecord) -> NewAccount {
    NewAccount::Userpass {
        user_name: r.name.clone(),
        password: r.password.clone().map(Secret::new),
        usage_cap_bytes: r.limit_bytes,
        ip_usage_cap: r.ip_limit,
        note: r.note.clone().unwrap_or_default(),
        status: status(r.enabled != Some(false)),
    }
}

/// Caps are taken as the file has them (a 0 cap is a cap here).
pub fn edit_for(src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
    let (r, account) = (src.record, src.account);
    let enabled = src.enabled();
    let note = src.note();
    let ip_limit = src.pick(col::IP_LIMIT, r.ip_limit, account.ip_limit);
    let limit = src.pick(col::LIMIT_BYTES, r.limit_bytes, account.limit_bytes);
    let mut d = Diff::default();
    d.check(Field::Limit, account.limit_bytes, limit, FieldValue::bytes);
    d.check(Field::IpCap, account.ip_limit, ip_limit, FieldValue::count);
    d.check(
        Field::Enabled,
        Some(account.enabled),
        Some(enabled),
        FieldValue::toggle,
    );
    d.check(Field::Note, account.note.as_deref(), note, FieldValue::text);
    if d.changes.is_empty() {
        return (None, d.changes);
    }
    let edit = AccountEdit::Userpass {
        user_name: None,
        note: note.unwrap_or_default().to_owned(),
        usage_cap_bytes: limit,
        ip_usage_cap: ip_limit,
        status: status(enabled),
    };
    (Some(edit), d.changes)
}

pub fn fill_record(r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
    if credentials.is_some() {
        r.password = raw.password;
    }
}
