//! 3x-ui: native id = the client's email. The clients API (v3.1+) has a route for every action;
//! panels before v3.1 go through the per-inbound routes ([`super::actions_legacy`]).

use paneldeck_panels::{
    xui::{ApiGeneration, ClientPayload, ClientRecord, InboundId, XuiClient},
    FieldProblem, PanelError, PanelKind,
};

use super::actions_legacy as xui_legacy;
use crate::{
    actions::{given, to_i64, types::*, unsupported_action, Checks},
    error::{CoreError, Result},
};

const DAY_MS: i64 = 86_400_000;

pub(super) async fn apply(
    c: &XuiClient,
    email: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    if c.api_generation().await? == ApiGeneration::LegacyInbounds {
        return xui_legacy::apply(c, email, action).await;
    }
    let message = match action {
        AccountAction::Enable | AccountAction::Disable => {
            let enable = matches!(action, AccountAction::Enable);
            let mut payload = full_payload(&c.get(email).await?);
            payload.enable = Some(enable);
            c.update(email, &payload).await?;
            if enable {
                ActionMessage::ClientEnabled
            } else {
                ActionMessage::ClientDisabled
            }
        }
        AccountAction::ResetTraffic => {
            c.reset_traffic(email).await?;
            ActionMessage::TrafficReset
        }
        AccountAction::Delete { keep_traffic } => {
            c.del(email, *keep_traffic).await?;
            if *keep_traffic {
                ActionMessage::ClientDeletedTrafficKept
            } else {
                ActionMessage::ClientDeleted
            }
        }
        AccountAction::ClearIps => {
            c.clear_ips(email).await?;
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

/// `update/:email` REPLACES the whole client (an omitted `enable` disables it, facts §4.7):
/// start from everything the live client has, including the fields [`ClientPayload`] does
/// not model (`auth`, `resetDay`, `resetMax`, `reverse`, and whatever a newer panel adds), so
/// an edit changes only what the form changes.
fn full_payload(record: &ClientRecord) -> ClientPayload {
    ClientPayload::replacing(record)
}

pub(super) fn not_here(action: &AccountAction) -> &'static str {
    match action {
        AccountAction::RevokeSubscription => {
            "it has no subscription revocation (edit the subscription id instead)"
        }
        AccountAction::RegeneratePassword => "its clients have no proxy password to regenerate",
        _ => "it has no permissions",
    }
}

/// The wire `expiryTime`: 0 never, epoch ms, or minus a duration for "after first use".
pub(super) fn expiry_to_wire(expiry: ExpiryInput) -> i64 {
    match expiry {
        ExpiryInput::Never => 0,
        ExpiryInput::At { ms } => ms,
        ExpiryInput::AfterFirstUse { days } => -(i64::from(days) * DAY_MS),
    }
}

pub(super) fn check_expiry(checks: &mut Checks, expiry: ExpiryInput) {
    match expiry {
        ExpiryInput::Never => {}
        ExpiryInput::At { ms } => checks.require(
            ms > 0,
            "expiry",
            FieldProblem::PickExpiry,
            "Pick an expiry date, or choose never.",
        ),
        ExpiryInput::AfterFirstUse { days } => checks.require(
            days >= 1,
            "expiry",
            FieldProblem::AtLeastOneDay,
            "The period after first use must be at least one day.",
        ),
    }
}

/// `None` = unlimited: 0 on the wire, so an explicit 0 would silently mean "unlimited".
pub(super) fn check_quota(checks: &mut Checks, total_bytes: Option<u64>) {
    checks.require(
        total_bytes != Some(0),
        "totalBytes",
        FieldProblem::NotPositive,
        "The traffic limit must be more than 0 (leave it empty for unlimited).",
    );
}

pub(super) fn check_email(checks: &mut Checks, email: &str) {
    let email = email.trim();
    checks.require(
        !email.is_empty(),
        "email",
        FieldProblem::Required,
        "Enter an email (the client's name).",
    );
    checks.require(
        !email.chars().any(char::is_whitespace),
        "email",
        FieldProblem::NoSpaces,
        "The email cannot contain spaces.",
    );
}

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
    let mut checks = Checks::new();
    check_email(&mut checks, new_email);
    check_quota(&mut checks, *total_bytes);
    check_expiry(&mut checks, *expiry);
    if let Some(sub) = sub_id {
        checks.require(
            !sub.trim().is_empty(),
            "subId",
            FieldProblem::Required,
            "The subscription id cannot be empty.",
        );
    }
    if let Some(ids) = inbound_ids {
        checks.require(
            !ids.is_empty(),
            "inboundIds",
            FieldProblem::PickAtLeastOne,
            "Pick at least one inbound.",
        );
    }
    checks.finish()?;
    if c.api_generation().await? == ApiGeneration::LegacyInbounds {
        return xui_legacy::edit(c, email, edit).await;
    }

    let record = c.get(email).await?;
    let mut payload = full_payload(&record);
    let new_email = new_email.trim().to_owned();
    payload.email = new_email.clone();
    payload.total_bytes = Some(total_bytes.map_or(0, to_i64));
    payload.expiry_time_ms = Some(expiry_to_wire(*expiry));
    payload.limit_ip = Some(i64::from(*limit_ip));
    payload.comment = Some(comment.clone());
    if let Some(group) = group {
        payload.group = Some(group.trim().to_owned());
    }
    if let Some(sub) = sub_id {
        payload.sub_id = Some(sub.trim().to_owned());
    }
    payload.reset_days = Some(i64::from(*reset_days));
    payload.enable = Some(*enable);
    c.update(email, &payload).await?;

    if let Some(wanted) = inbound_ids {
        let wanted: Vec<InboundId> = wanted.iter().copied().map(InboundId).collect();
        let add: Vec<InboundId> = wanted
            .iter()
            .filter(|id| !record.inbound_ids.contains(id))
            .copied()
            .collect();
        let drop: Vec<InboundId> = record
            .inbound_ids
            .iter()
            .filter(|id| !wanted.contains(id))
            .copied()
            .collect();
        // Attach first, so the client is never left on no inbound.
        if !add.is_empty() {
            c.attach(&new_email, &add).await?;
        }
        if !drop.is_empty() {
            c.detach(&new_email, &drop).await?;
        }
    }
    let message = if new_email == email {
        ActionMessage::ClientSaved
    } else {
        ActionMessage::ClientSavedAs {
            email: new_email.clone(),
        }
    };
    Ok(ActionOutcome::new(new_email, message))
}

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
    let mut checks = Checks::new();
    check_email(&mut checks, email);
    checks.require(
        !inbound_ids.is_empty(),
        "inboundIds",
        FieldProblem::PickAtLeastOne,
        "Pick at least one inbound.",
    );
    check_quota(&mut checks, *total_bytes);
    check_expiry(&mut checks, *expiry);
    checks.finish()?;
    if c.api_generation().await? == ApiGeneration::LegacyInbounds {
        return xui_legacy::create(c, new, kept, settings).await;
    }

    let email = email.trim().to_owned();
    let mut payload = ClientPayload::new(email.clone());
    keep_in_payload(&mut payload, kept, settings);
    payload.total_bytes = Some(total_bytes.map_or(0, to_i64));
    payload.expiry_time_ms = Some(expiry_to_wire(*expiry));
    payload.limit_ip = Some(i64::from(*limit_ip));
    payload.comment = Some(comment.clone());
    payload.group = group
        .as_ref()
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty());
    payload.reset_days = Some(i64::from(*reset_days));
    payload.enable = Some(true);
    let ids: Vec<InboundId> = inbound_ids.iter().copied().map(InboundId).collect();
    c.add(&payload, &ids).await?;
    if settings.disabled {
        // `add` always enables the client.
        let mut off = full_payload(&c.get(&email).await?);
        off.enable = Some(false);
        c.update(&email, &off).await?;
        return Ok(vec![ActionOutcome::new(
            email,
            ActionMessage::ClientCreatedDisabled {
                inbounds: inbound_count(&ids),
            },
        )]);
    }
    Ok(vec![ActionOutcome::new(
        email,
        ActionMessage::ClientCreated {
            inbounds: inbound_count(&ids),
        },
    )])
}

fn inbound_count(ids: &[InboundId]) -> u32 {
    u32::try_from(ids.len()).unwrap_or(u32::MAX)
}

/// The kept UUID (`id`), password, subId and flow, and the settings the form lacks, into a
/// create payload (what is not kept is left for the panel to generate).
pub(super) fn keep_in_payload(
    payload: &mut ClientPayload,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) {
    payload.uuid = given(&kept.uuid);
    payload.password = given(&kept.password);
    payload.sub_id = given(&kept.sub_id);
    payload.flow = given(&kept.flow);
    payload.tg_id = settings.tg_id.filter(|t| *t != 0);
    payload.limit_hwid = settings.hwid_limit.filter(|h| *h > 0).map(i64::from);
}

pub(super) async fn client_ips(c: &XuiClient, email: &str) -> Result<ClientIpList> {
    let ips = match c.api_generation().await? {
        ApiGeneration::ClientsApi => c.ips(email).await?,
        ApiGeneration::LegacyInbounds => c.legacy_client_ips(email).await?,
    };
    Ok(ClientIpList { ips: ips.0 })
}

pub(super) async fn create_options(c: &XuiClient) -> Result<CreateOptions> {
    let inbounds = match c.inbounds_options().await {
        Ok(options) => options
            .into_iter()
            .map(|o| XuiInboundOption {
                id: o.id.0,
                protocol: o.protocol.as_str().to_owned(),
                remark: o.remark,
                port: o.port,
                enable: o.enable,
            })
            .collect(),
        // Panels before v3.x have no light picker list: the full inbound list has it all.
        Err(PanelError::NotThisPanel { .. }) => c
            .inbounds_list()
            .await?
            .into_iter()
            .map(|i| XuiInboundOption {
                id: i.id.0,
                protocol: i.protocol.as_str().to_owned(),
                remark: i.remark,
                port: i.port,
                enable: i.enable,
            })
            .collect(),
        Err(other) => return Err(other.into()),
    };
    Ok(CreateOptions::Xui { inbounds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_sends_back_the_fields_the_payload_does_not_model() {
        let record: ClientRecord = serde_json::from_value(serde_json::json!({
            "email": "a@b", "uuid": "u-1", "subId": "s1", "auth": "hy2-secret", "resetDay": 3,
            "resetMax": 9, "reverse": {"tag": "r"}, "adTag": "xyz", "totalGB": 5, "enable": true,
            "inboundIds": [1], "traffic": {"up": 1, "down": 2, "enable": true}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let body = serde_json::to_value(full_payload(&record)).unwrap_or_default();
        for (key, value) in [
            ("auth", serde_json::json!("hy2-secret")),
            ("resetDay", serde_json::json!(3)),
            ("resetMax", serde_json::json!(9)),
            ("reverse", serde_json::json!({"tag": "r"})),
            ("adTag", serde_json::json!("xyz")),
            ("id", serde_json::json!("u-1")),
            ("totalGB", serde_json::json!(5)),
        ] {
            assert_eq!(body.get(key), Some(&value), "{key} in {body}");
        }
        assert!(
            body.get("traffic").is_none() && body.get("inboundIds").is_none(),
            "{body}"
        );
    }
}
