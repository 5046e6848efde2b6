//! A change request's action: checked before planning, and the op a skipped row is journaled
//! with. (Its title is [`OpWhat::Change`](crate::bulk::OpWhat), worded by each reader.)

use paneldeck_panels::FieldProblem;

use crate::{
    actions::{AccountEdit, ProxyStatusInput},
    bulk::{BulkAction, ItemOp},
    error::{CoreError, Result},
};

/// The op a skipped row is journaled with, so history says what was asked.
pub(super) fn nominal(action: &BulkAction) -> ItemOp {
    match action {
        BulkAction::Enable => ItemOp::Enable,
        BulkAction::Disable => ItemOp::Disable,
        BulkAction::Delete { keep_traffic } => ItemOp::Delete {
            keep_traffic: *keep_traffic,
        },
        BulkAction::ExtendExpiry { days } => ItemOp::SetExpiry {
            ms: None,
            add_days: Some(*days),
        },
        BulkAction::SetExpiry { ms } => ItemOp::SetExpiry {
            ms: *ms,
            add_days: None,
        },
        BulkAction::AddTraffic { bytes } => ItemOp::SetTrafficLimit {
            bytes: None,
            add_bytes: Some(*bytes),
        },
        BulkAction::SetTrafficLimit { bytes } => ItemOp::SetTrafficLimit {
            bytes: *bytes,
            add_bytes: None,
        },
        BulkAction::ResetTraffic => ItemOp::ResetTraffic,
        BulkAction::AttachInbounds { inbound_ids } => ItemOp::AttachInbounds {
            inbound_ids: inbound_ids.clone(),
        },
        BulkAction::DetachInbounds { inbound_ids } => ItemOp::DetachInbounds {
            inbound_ids: inbound_ids.clone(),
        },
        BulkAction::AddToGroup { group } => ItemOp::SetGroup {
            group: Some(group.clone()),
        },
        BulkAction::RemoveFromGroup => ItemOp::SetGroup { group: None },
        BulkAction::ApplyTemplate { template_id } => ItemOp::ApplyTemplate {
            template_id: *template_id,
        },
        BulkAction::RevokeSubscription => ItemOp::RevokeSubscription,
        BulkAction::SetStatus { status } => match status {
            ProxyStatusInput::Active => ItemOp::Enable,
            ProxyStatusInput::Disabled => ItemOp::Disable,
        },
        BulkAction::SetCaps { .. } => ItemOp::Edit {
            edit: AccountEdit::Userpass {
                user_name: None,
                note: String::new(),
                usage_cap_bytes: None,
                ip_usage_cap: None,
                status: ProxyStatusInput::Active,
            },
            seen: Vec::new(),
        },
        BulkAction::GrantPermissions { permissions }
        | BulkAction::RevokePermissions { permissions }
        | BulkAction::SetPermissions { permissions } => ItemOp::Edit {
            edit: AccountEdit::Pterodactyl {
                permissions: permissions.clone(),
            },
            seen: Vec::new(),
        },
    }
}

pub(super) fn check_action(action: &BulkAction) -> Result<()> {
    match action {
        BulkAction::ExtendExpiry { days: 0 } => Err(CoreError::invalid_field(
            "days",
            FieldProblem::AtLeastOneDay,
            "Extend by at least one day.",
        )),
        BulkAction::SetTrafficLimit { bytes: Some(0) } | BulkAction::AddTraffic { bytes: 0 } => {
            Err(CoreError::invalid_field(
                "bytes",
                FieldProblem::NotPositive,
                "The traffic must be more than 0 (unlimited: leave it empty).",
            ))
        }
        BulkAction::AttachInbounds { inbound_ids } | BulkAction::DetachInbounds { inbound_ids }
            if inbound_ids.is_empty() =>
        {
            Err(CoreError::invalid_field(
                "inboundIds",
                FieldProblem::PickAtLeastOne,
                "Pick at least one inbound.",
            ))
        }
        BulkAction::AddToGroup { group } if group.trim().is_empty() => Err(
            CoreError::invalid_field("group", FieldProblem::Required, "Enter a group name."),
        ),
        _ => Ok(()),
    }
}
