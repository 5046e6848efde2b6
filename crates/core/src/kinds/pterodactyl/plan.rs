//! Pterodactyl bulk changes: subusers' permissions, and people added to or removed from many
//! servers (a subuser is keyed by its server and email).

use std::collections::HashSet;

use crate::{
    accounts::Account,
    actions::{pterodactyl_native_id, AccountEdit, NewAccount},
    bulk::{BulkAction, Field, FieldChange, FieldValue, ItemOp, Planned, Skip, SkipReason},
};

/// Grants, revokes or sets the permissions of `action` (compared as sets).
pub fn plan_permissions(a: &Account, action: &BulkAction, permissions: &[String]) -> Planned {
    let before = a.permissions.clone();
    let after: Vec<String> = match action {
        BulkAction::GrantPermissions { .. } => {
            let mut v = before.clone();
            v.extend(permissions.iter().filter(|p| !before.contains(p)).cloned());
            v
        }
        BulkAction::RevokePermissions { .. } => before
            .iter()
            .filter(|p| !permissions.contains(p))
            .cloned()
            .collect(),
        _ => permissions.to_vec(),
    };
    let same = |x: &[String], y: &[String]| {
        x.iter().collect::<HashSet<_>>() == y.iter().collect::<HashSet<_>>()
    };
    if same(&before, &after) {
        return Err(Skip::new(
            SkipReason::NoChange,
            "Its permissions already are as asked.",
        ));
    }
    Ok((
        ItemOp::Edit {
            edit: AccountEdit::Pterodactyl {
                permissions: after.clone(),
            },
            seen: Vec::new(),
        },
        vec![FieldChange::new(
            Field::Permissions,
            Some(FieldValue::list(&before)),
            Some(FieldValue::list(&after)),
        )],
    ))
}

/// The create form of a person (by email) on one server.
pub fn person_on_server(email: &str, server_id: &str, permissions: &[String]) -> NewAccount {
    NewAccount::Pterodactyl {
        email: email.trim().to_owned(),
        server_ids: vec![server_id.to_owned()],
        permissions: permissions.to_vec(),
    }
}

/// "server/email" (lowercase): a person is on a server at most once.
fn server_email(server: &str, email: &str) -> String {
    format!("{server}/{}", email.to_lowercase())
}

/// Until created, a subuser is shown under its servers and email.
pub fn create_native_id(new: &NewAccount) -> Option<String> {
    match new {
        NewAccount::Pterodactyl {
            email, server_ids, ..
        } => Some(pterodactyl_native_id(server_ids.join(","), email)),
        _ => None,
    }
}

/// A snapshot subuser takes its server and email (its native id is "server/uuid").
pub fn taken_keys(native_id: &str, email: Option<&str>) -> Vec<String> {
    match (native_id.split_once('/'), email) {
        (Some((server, _)), Some(email)) => vec![server_email(server, email)],
        _ => Vec::new(),
    }
}

pub fn clash_keys(new: &NewAccount) -> Vec<String> {
    match new {
        NewAccount::Pterodactyl {
            email, server_ids, ..
        } => server_ids.iter().map(|s| server_email(s, email)).collect(),
        _ => Vec::new(),
    }
}

pub fn form_changes(new: &NewAccount) -> Vec<FieldChange> {
    match new {
        NewAccount::Pterodactyl { server_ids, .. } => {
            vec![FieldChange::new(
                Field::Servers,
                None,
                Some(FieldValue::list(server_ids)),
            )]
        }
        _ => Vec::new(),
    }
}
