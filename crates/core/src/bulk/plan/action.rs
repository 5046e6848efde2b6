//! A change request's action: checked before planning, its title, and the op a skipped row
//! is journaled with.

use crate::{
    actions::{AccountEdit, ProxyStatusInput},
    bulk::{
        fmt::{bytes, moment},
        BulkAction, ItemOp,
    },
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
        },
        BulkAction::GrantPermissions { permissions }
        | BulkAction::RevokePermissions { permissions }
        | BulkAction::SetPermissions { permissions } => ItemOp::Edit {
            edit: AccountEdit::Pterodactyl {
                permissions: permissions.clone(),
            },
        },
    }
}

pub(super) fn describe(action: &BulkAction) -> String {
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

pub(super) fn check_action(action: &BulkAction) -> Result<()> {
    match action {
        BulkAction::ExtendExpiry { days: 0 } => Err(CoreError::invalid_field(
            "days",
            "Extend by at least one day.",
        )),
        BulkAction::SetTrafficLimit { bytes: Some(0) } | BulkAction::AddTraffic { bytes: 0 } => {
            Err(CoreError::invalid_field(
                "bytes",
                "The traffic must be more than 0 (unlimited: leave it empty).",
            ))
        }
        BulkAction::AttachInbounds { inbound_ids } | BulkAction::DetachInbounds { inbound_ids }
            if inbound_ids.is_empty() =>
        {
            Err(CoreError::invalid_field(
                "inboundIds",
                "Pick at least one inbound.",
            ))
        }
        BulkAction::AddToGroup { group } if group.trim().is_empty() => {
            Err(CoreError::invalid_field("group", "Enter a group name."))
        }
        _ => Ok(()),
    }
}
