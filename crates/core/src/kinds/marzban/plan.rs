//! Marzban's own bulk change: apply a user template.

use crate::{
    accounts::Account,
    actions::NewAccount,
    bulk::{
        fmt::{bytes, moment},
        FieldChange, ItemOp, Planned,
    },
};

/// Applies template `template_id`: its limit and expiry replace the account's.
pub fn plan_template(a: &Account, template_id: i64) -> Planned {
    let from_template = Some(format!("template {template_id}"));
    Ok((
        ItemOp::ApplyTemplate { template_id },
        vec![
            FieldChange::new("limit", a.limit_bytes.map(bytes), from_template.clone()),
            FieldChange::new("expiry", a.expires_at_ms.map(moment), from_template),
        ],
    ))
}

pub fn form_changes(new: &NewAccount) -> Vec<FieldChange> {
    match new {
        NewAccount::Marzban {
            data_limit_bytes, ..
        } => vec![FieldChange::new("limit", None, data_limit_bytes.map(bytes))],
        _ => Vec::new(),
    }
}
