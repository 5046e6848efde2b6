//! An account record onto Pterodactyl: a subuser on the servers the row names, and its
//! permissions as the only thing an edit changes.

use crate::{
    actions::{AccountEdit, NewAccount},
    bulk::{Field, FieldChange, FieldValue},
    transfer::{
        plan::{ConflictReason, EditSource},
        schema::{col, Credentials},
        AccountRecord,
    },
};

pub fn new_account(r: &AccountRecord) -> Result<NewAccount, ConflictReason> {
    if r.servers.is_empty() {
        return Err(ConflictReason::NoServer);
    }
    Ok(NewAccount::Pterodactyl {
        email: r.email.clone().unwrap_or_else(|| r.name.clone()),
        server_ids: r.servers.clone(),
        permissions: r.permissions.clone(),
    })
}

/// Permissions compared as sets; the edit is always given (the caller sees no change).
pub fn edit_for(src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
    let mut want = src
        .pick(
            col::PERMISSIONS,
            &src.record.permissions,
            &src.account.permissions,
        )
        .clone();
    let mut have = src.account.permissions.clone();
    want.sort();
    have.sort();
    let changes = if want != have {
        vec![FieldChange::new(
            Field::Permissions,
            Some(FieldValue::list(&have)),
            Some(FieldValue::list(&want)),
        )]
    } else {
        Vec::new()
    };
    (
        Some(AccountEdit::Pterodactyl { permissions: want }),
        changes,
    )
}

pub fn fill_record(r: &mut AccountRecord, credentials: Option<Credentials>) {
    if let Some(c) = credentials {
        r.uuid = c.uuid;
    }
}
