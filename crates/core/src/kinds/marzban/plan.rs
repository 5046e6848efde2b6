//! Marzban's own bulk change: apply a user template.

use crate::{
    accounts::Account,
    actions::NewAccount,
    bulk::{Field, FieldChange, FieldValue, ItemOp, Planned},
};

/// Applies template `template_id`: its limit and expiry replace the account's.
pub fn plan_template(a: &Account, template_id: i64) -> Planned {
    let from_template = Some(FieldValue::FromTemplate { template_id });
    Ok((
        ItemOp::ApplyTemplate { template_id },
        vec![
            FieldChange::new(
                Field::Limit,
                a.limit_bytes.map(FieldValue::bytes),
                from_template.clone(),
            ),
            FieldChange::new(
                Field::Expiry,
                a.expires_at_ms.map(FieldValue::moment),
                from_template,
            ),
        ],
    ))
}

pub fn form_changes(new: &NewAccount) -> Vec<FieldChange> {
    match new {
        NewAccount::Marzban {
            data_limit_bytes, ..
        } => vec![FieldChange::new(
            Field::Limit,
            None,
            data_limit_bytes.map(FieldValue::bytes),
        )],
        _ => Vec::new(),
    }
}
