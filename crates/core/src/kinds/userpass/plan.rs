//! User-pass proxy bulk changes: its limits and status are set through the sub-user's edit
//! form, so every change is an edit built from the snapshot.

use crate::{
    accounts::Account,
    actions::{AccountEdit, NewAccount, ProxyStatusInput},
    bulk::{
        plan::change::toggle, Field, FieldChange, FieldValue, ItemOp, LimitChange, Planned, Skip,
        SkipReason,
    },
};

/// The edit form of a sub-user from the snapshot, with these caps and status.
pub fn edit(a: &Account, usage: Option<u64>, ip: Option<u64>, status: ProxyStatusInput) -> ItemOp {
    ItemOp::Edit {
        edit: AccountEdit::Userpass {
            user_name: None,
            note: a.note.clone().unwrap_or_default(),
            usage_cap_bytes: usage,
            ip_usage_cap: ip,
            status,
        },
        seen: Vec::new(),
    }
}

pub fn status_of(a: &Account) -> ProxyStatusInput {
    if a.enabled {
        ProxyStatusInput::Active
    } else {
        ProxyStatusInput::Disabled
    }
}

fn resolve(limit: LimitChange, current: Option<u64>) -> Option<u64> {
    match limit {
        LimitChange::Keep => current,
        LimitChange::Unlimited => None,
        LimitChange::To { value } => Some(value),
    }
}

/// Sets the usage (bytes) and IP caps.
pub fn plan_caps(a: &Account, usage_cap: LimitChange, ip_cap: LimitChange) -> Planned {
    let usage = resolve(usage_cap, a.limit_bytes);
    let ip = resolve(ip_cap, a.ip_limit);
    if usage == a.limit_bytes && ip == a.ip_limit {
        return Err(Skip::new(
            SkipReason::NoChange,
            "Its caps already are as asked.",
        ));
    }
    Ok((
        edit(a, usage, ip, status_of(a)),
        vec![
            FieldChange::new(
                Field::UsageCap,
                a.limit_bytes.map(FieldValue::bytes),
                usage.map(FieldValue::bytes),
            ),
            FieldChange::new(
                Field::IpCap,
                a.ip_limit.map(FieldValue::count),
                ip.map(FieldValue::count),
            ),
        ],
    ))
}

/// Sets the proxy status: an enable or a disable.
pub fn plan_status(a: &Account, status: ProxyStatusInput) -> Planned {
    toggle(a, status == ProxyStatusInput::Active)
}

pub fn form_changes(new: &NewAccount) -> Vec<FieldChange> {
    match new {
        NewAccount::Userpass {
            usage_cap_bytes, ..
        } => vec![FieldChange::new(
            Field::UsageCap,
            None,
            usage_cap_bytes.map(FieldValue::bytes),
        )],
        _ => Vec::new(),
    }
}
