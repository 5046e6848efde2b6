//! 3x-ui panels before v3.1: clients live inside inbounds and are edited through
//! `addClient` / `updateClient/:clientId` / `:id/delClient/:clientId`. An email may only be on
//! one inbound there, and there are no groups or inbound moves.

use paneldeck_panels::{
    xui::{
        legacy::{legacy_client_id, LegacyClient},
        InboundClient, InboundId, Protocol, XuiClient,
    },
    FieldProblem, PanelError, PanelKind,
};

use super::actions::{expiry_to_wire, not_here};
use crate::{
    actions::{given, random_password, to_i64, types::*, unsupported, unsupported_action},
    error::{CoreError, Result},
};

/// Every inbound entry of `email` (one on a well-kept panel).
async fn entries(c: &XuiClient, email: &str) -> Result<Vec<LegacyClient>> {
    let all = c.legacy_list_clients().await?;
    let found: Vec<LegacyClient> = all
        .into_iter()
        .filter(|l| l.client.email == email)
        .collect();
    if found.is_empty() {
        return Err(PanelError::NotFound {
            message: format!("no client {email} on this panel"),
        }
        .into());
    }
    Ok(found)
}

pub(super) async fn apply(
    c: &XuiClient,
    email: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    let message = match action {
        AccountAction::Enable | AccountAction::Disable => {
            let enable = matches!(action, AccountAction::Enable);
            for entry in entries(c, email).await? {
                c.legacy_set_enable(entry.inbound_id, email, enable).await?;
            }
            if enable {
                ActionMessage::ClientEnabled
            } else {
                ActionMessage::ClientDisabled
            }
        }
        AccountAction::ResetTraffic => {
            for entry in entries(c, email).await? {
                c.legacy_reset_client_traffic(entry.inbound_id, email)
                    .await?;
            }
            ActionMessage::TrafficReset
        }
        AccountAction::Delete { .. } => {
            for entry in entries(c, email).await? {
                c.legacy_del_client(entry.inbound_id, &entry.client_id()?)
                    .await?;
            }
            ActionMessage::ClientDeleted
        }
        AccountAction::ClearIps => {
            c.legacy_clear_client_ips(email).await?;
            ActionMessage::IpsCleared
        }
        AccountAction::RevokeSubscription
        | AccountAction::RegeneratePassword
        | AccountAction::SetPermissions { .. } => {
            return Err(unsupported_action(PanelKind::Xui, action, not_here(action)));
        }
    };
    Ok(ActionOutcome::new(email, message))
}

/// Called after the form was checked by [`super::actions::edit`].
pub(super) async fn edit(c: &XuiClient, email: &str, edit: &AccountEdit) -> Result<ActionOutcome> {
    let AccountEdit::Xui {
        email: new_email,
        total_bytes,
        expiry,
        limit_ip,
        comment,
        group,
        sub_id,
        reset_days,
        enable,
        inbound_ids,
    } = edit
    else {
        return Err(CoreError::Internal(
            "3x-ui edit called with another kind's form".into(),
        ));
    };
    let found = entries(c, email).await?;
    if let Some(wanted) = inbound_ids {
        let mut wanted = wanted.clone();
        wanted.sort_unstable();
        wanted.dedup();
        let mut current: Vec<i64> = found.iter().map(|e| e.inbound_id.0).collect();
        current.sort_unstable();
        if wanted != current {
            return Err(unsupported(
                PanelKind::Xui,
                "before v3.1 cannot move a client to other inbounds (delete it and create it on the new inbound)",
            ));
        }
    }
    if group.as_ref().is_some_and(|g| !g.trim().is_empty()) {
        return Err(unsupported(
            PanelKind::Xui,
            "before v3.1 has no client groups",
        ));
    }
    let new_email = new_email.trim().to_owned();
    for entry in found {
        let client_id = entry.client_id()?;
        let mut client = entry.client;
        client.email = new_email.clone();
        client.total_bytes = total_bytes.map_or(0, to_i64);
        client.expiry_time_ms = expiry_to_wire(*expiry);
        client.limit_ip = i64::from(*limit_ip);
        client.comment = comment.clone();
        if let Some(sub) = sub_id {
            client.sub_id = sub.trim().to_owned();
        }
        client.reset_days = i64::from(*reset_days);
        client.enable = *enable;
        c.legacy_update_client(entry.inbound_id, &client_id, &client)
            .await?;
    }
    Ok(ActionOutcome::new(new_email, ActionMessage::ClientSaved))
}

/// Called after the form was checked by [`super::actions::create`].
pub(super) async fn create(
    c: &XuiClient,
    new: &NewAccount,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) -> Result<Vec<ActionOutcome>> {
    let NewAccount::Xui {
        email,
        inbound_ids,
        total_bytes,
        expiry,
        limit_ip,
        comment,
        group,
        reset_days,
    } = new
    else {
        return Err(CoreError::Internal(
            "3x-ui create called with another kind's form".into(),
        ));
    };
    let [inbound_id] = inbound_ids.as_slice() else {
        return Err(CoreError::invalid_field(
            "inboundIds",
            FieldProblem::LegacyOneInbound,
            "3x-ui before v3.1 keeps each email on one inbound: pick exactly one.",
        ));
    };
    if group.as_ref().is_some_and(|g| !g.trim().is_empty()) {
        return Err(CoreError::invalid_field(
            "group",
            FieldProblem::LegacyNoGroups,
            "3x-ui before v3.1 has no client groups.",
        ));
    }
    let inbound = c.inbounds_get(InboundId(*inbound_id)).await?;
    let email = email.trim().to_owned();
    let mut client = InboundClient {
        email: email.clone(),
        limit_ip: i64::from(*limit_ip),
        total_bytes: total_bytes.map_or(0, to_i64),
        expiry_time_ms: expiry_to_wire(*expiry),
        // The legacy routes take the entry's `enable` as sent.
        enable: !settings.disabled,
        tg_id: settings.tg_id.unwrap_or(0),
        comment: comment.clone(),
        reset_days: i64::from(*reset_days),
        sub_id: given(&kept.sub_id).unwrap_or_else(|| random_password(16).to_lowercase()),
        flow: given(&kept.flow),
        ..InboundClient::default()
    };
    // The legacy routes identify a client by its credential, so it is made here (or kept).
    match inbound.protocol {
        Protocol::Vless | Protocol::Vmess => {
            client.uuid =
                Some(given(&kept.uuid).unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
        }
        _ => client.password = Some(given(&kept.password).unwrap_or_else(|| random_password(16))),
    }
    if let Some(h) = settings.hwid_limit.filter(|h| *h > 0) {
        client
            .extra
            .insert("limitHwid".into(), serde_json::Value::from(h));
    }
    legacy_client_id(inbound.protocol, &client)?;
    c.legacy_add_client(inbound.id, std::slice::from_ref(&client))
        .await?;
    Ok(vec![ActionOutcome::new(
        email,
        ActionMessage::ClientCreatedOnOneInbound,
    )])
}
