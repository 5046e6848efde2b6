//! Marzban's own bulk change (apply a user template), and what its panel does beyond a
//! change.

use crate::{
    accounts::Account,
    actions::NewAccount,
    bulk::{BulkAction, Field, FieldChange, FieldValue, ItemOp, Planned, ValueWord},
};

/// What the panel does beyond `action`, measured on real 0.4.9 and 0.8.4 servers (NOTES.md,
/// "Both versions"):
/// - resetting a disabled user's traffic makes it active (`reset_user_data_usage` tests
///   `status not in (UserStatus.expired or UserStatus.disabled)`, which is only "not
///   expired", app/db/crud.py at v0.8.4); the run disables it again;
/// - revoking the subscription gives every proxy a new id or password (`revoke_user_sub`
///   calls `settings.revoke()` on each, same file), so every link and QR code handed out stops
///   working, not only the subscription URL.
pub fn side_effects(a: &Account, action: &BulkAction) -> Vec<FieldChange> {
    let word = |word| Some(FieldValue::Word { word });
    match action {
        BulkAction::ResetTraffic if !a.enabled => vec![FieldChange::new(
            Field::Enabled,
            Some(FieldValue::toggle(false)),
            word(ValueWord::DisabledAgain),
        )],
        BulkAction::RevokeSubscription => vec![FieldChange::new(
            Field::Links,
            word(ValueWord::HandedOut),
            word(ValueWord::AllReplaced),
        )],
        _ => Vec::new(),
    }
}

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
