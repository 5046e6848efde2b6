//! 3x-ui's own bulk changes: attach or detach inbounds, and groups.

use crate::{
    accounts::Account,
    actions::NewAccount,
    bulk::{BulkAction, Field, FieldChange, FieldValue, ItemOp, Planned, Skip, SkipReason},
};

/// Attaches `inbound_ids` to `a` (or detaches them); a client keeps at least one inbound.
pub fn plan_inbounds(a: &Account, inbound_ids: &[i64], attach: bool) -> Planned {
    let before: Vec<String> = a.inbounds.clone();
    let ids: Vec<String> = inbound_ids.iter().map(|i| i.to_string()).collect();
    let after: Vec<String> = if attach {
        let mut v = before.clone();
        v.extend(ids.iter().filter(|i| !before.contains(i)).cloned());
        v
    } else {
        before
            .iter()
            .filter(|i| !ids.contains(i))
            .cloned()
            .collect()
    };
    if after == before {
        return Err(Skip::new(
            SkipReason::NoChange,
            "Its inbounds already are as asked.",
        ));
    }
    if after.is_empty() {
        return Err(Skip::new(
            SkipReason::InvalidInput,
            "Not detached: a client must keep at least one inbound.",
        ));
    }
    let inbound_ids = inbound_ids.to_vec();
    let op = if attach {
        ItemOp::AttachInbounds { inbound_ids }
    } else {
        ItemOp::DetachInbounds { inbound_ids }
    };
    Ok((
        op,
        vec![FieldChange::new(
            Field::Inbounds,
            Some(FieldValue::list(&before)),
            Some(FieldValue::list(&after)),
        )],
    ))
}

/// Puts `a` in the group of `action` (or takes it out of its group).
pub fn plan_group(a: &Account, action: &BulkAction) -> Planned {
    let after = match action {
        BulkAction::AddToGroup { group } => Some(group.trim().to_owned()),
        _ => None,
    };
    let before = a.group.clone().filter(|g| !g.is_empty());
    if before == after {
        return Err(Skip::new(SkipReason::NoChange, "Already so."));
    }
    Ok((
        ItemOp::SetGroup {
            group: after.clone(),
        },
        vec![FieldChange::new(
            Field::Group,
            before.map(FieldValue::text),
            after.map(FieldValue::text),
        )],
    ))
}

pub fn form_changes(new: &NewAccount) -> Vec<FieldChange> {
    match new {
        NewAccount::Xui { total_bytes, .. } => {
            vec![FieldChange::new(
                Field::Limit,
                None,
                total_bytes.map(FieldValue::bytes),
            )]
        }
        _ => Vec::new(),
    }
}
