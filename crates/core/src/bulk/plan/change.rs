//! What a change request does to one account. The common changes (state, expiry, traffic,
//! subscription) are planned here where the account's capabilities allow them; the rest is
//! asked of the account's kind ([`KindRules::plan_own_change`](crate::kinds::KindRules)).

use paneldeck_panels::PanelKind;

use crate::{
    accounts::{
        model::{now_ms, DAY_MS},
        Account, AccountStatus, Capabilities,
    },
    bulk::live::note_seen,
    bulk::{
        BulkAction, Field, FieldChange, FieldValue, ItemOp, Planned, Skip, SkipReason, ValueWord,
    },
    kinds,
};

/// What `action` does to one account, with what its panel does beyond it.
pub(crate) fn plan_change(a: &Account, caps: &Capabilities, action: &BulkAction) -> Planned {
    let (op, mut changes) = own_change(a, caps, action)?;
    if let Some(skip) = kinds::rules(a.kind).refuses_change(a, action) {
        return Err(skip);
    }
    changes.extend(kinds::rules(a.kind).side_effects(a, action));
    changes.extend(revival(a, &op, now_ms()));
    Ok((note_seen(op, &changes, a), changes))
}

/// The status line when a change brings an expired or depleted account back (an extend
/// revives an expired account, a new limit or a reset a depleted one): the preview says so
/// rather than only "expiry: … → …".
fn revival(a: &Account, op: &ItemOp, now: i64) -> Option<FieldChange> {
    let before = a.status_at(now);
    if !matches!(before, AccountStatus::Expired | AccountStatus::Depleted) {
        return None;
    }
    let mut after = a.clone();
    match op {
        ItemOp::SetExpiry { ms, .. } => {
            after.expires_at_ms = *ms;
            after.hints.expired = false;
        }
        ItemOp::SetTrafficLimit { bytes, .. } => {
            after.limit_bytes = *bytes;
            after.hints.depleted = false;
        }
        ItemOp::ResetTraffic => {
            after.used_bytes = 0;
            after.hints.depleted = false;
        }
        _ => return None,
    }
    let after = after.status_at(now);
    (after != before).then(|| {
        FieldChange::new(
            Field::Status,
            Some(FieldValue::Status { status: before }),
            Some(FieldValue::Status { status: after }),
        )
    })
}

fn own_change(a: &Account, caps: &Capabilities, action: &BulkAction) -> Planned {
    let unsupported = || unsupported(a.kind, action);
    match action {
        BulkAction::Enable | BulkAction::Disable if caps.can_toggle => {
            toggle(a, matches!(action, BulkAction::Enable))
        }
        BulkAction::Delete { keep_traffic } if caps.can_delete => Ok((
            ItemOp::Delete {
                keep_traffic: *keep_traffic,
            },
            vec![FieldChange::new(
                Field::Account,
                Some(FieldValue::text(&a.name)),
                None,
            )],
        )),
        BulkAction::ExtendExpiry { days } if caps.has_expiry => extend_expiry(a, *days),
        BulkAction::SetExpiry { ms } if caps.has_expiry => Ok((
            ItemOp::SetExpiry {
                ms: *ms,
                add_days: None,
            },
            vec![FieldChange::new(
                Field::Expiry,
                a.expires_at_ms.map(FieldValue::moment),
                ms.map(FieldValue::moment),
            )],
        )),
        BulkAction::AddTraffic { bytes: add } if caps.has_traffic => {
            let Some(before) = a.limit_bytes else {
                return Err(Skip::new(
                    SkipReason::UnlimitedTraffic,
                    "Not changed: its traffic is unlimited.",
                ));
            };
            let after = before.saturating_add(*add);
            let rules = kinds::rules(a.kind);
            let Some(op) = rules.traffic_limit_op(a, Some(after), Some(*add)) else {
                return unsupported();
            };
            Ok((
                op,
                vec![FieldChange::new(
                    Field::Limit,
                    Some(FieldValue::bytes(before)),
                    Some(FieldValue::bytes(after)),
                )],
            ))
        }
        BulkAction::SetTrafficLimit { bytes: limit } if caps.has_traffic => {
            let rules = kinds::rules(a.kind);
            let Some(op) = rules.traffic_limit_op(a, *limit, None) else {
                return unsupported();
            };
            Ok((
                op,
                vec![FieldChange::new(
                    Field::Limit,
                    a.limit_bytes.map(FieldValue::bytes),
                    limit.map(FieldValue::bytes),
                )],
            ))
        }
        BulkAction::ResetTraffic if caps.can_reset_traffic => Ok((ItemOp::ResetTraffic, reset(a))),
        BulkAction::RevokeSubscription if caps.can_revoke_subscription => Ok((
            ItemOp::RevokeSubscription,
            vec![FieldChange::new(
                Field::Subscription,
                Some(FieldValue::Word {
                    word: ValueWord::Current,
                }),
                Some(FieldValue::Word {
                    word: ValueWord::New,
                }),
            )],
        )),
        _ => kinds::rules(a.kind)
            .plan_own_change(a, caps, action)
            .unwrap_or_else(unsupported),
    }
}

/// A reset's changes: used traffic to 0, and each counter the panel keeps apart (what a
/// revert sets back where the panel can).
fn reset(a: &Account) -> Vec<FieldChange> {
    let zero = |field, before: Option<u64>| {
        before.map(|b| {
            FieldChange::new(
                field,
                Some(FieldValue::bytes(b)),
                Some(FieldValue::bytes(0)),
            )
        })
    };
    [
        zero(Field::Used, Some(a.used_bytes)),
        zero(Field::Upload, a.up_bytes),
        zero(Field::Download, a.down_bytes),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Enables (`on`) or disables the account, unless it already is.
pub(crate) fn toggle(a: &Account, on: bool) -> Planned {
    if a.enabled == on {
        let already = if on { "enabled" } else { "disabled" };
        return Err(Skip::new(
            SkipReason::NoChange,
            format!("Already {already}."),
        ));
    }
    let op = if on { ItemOp::Enable } else { ItemOp::Disable };
    Ok((
        op,
        vec![FieldChange::new(
            Field::Enabled,
            Some(FieldValue::toggle(a.enabled)),
            Some(FieldValue::toggle(on)),
        )],
    ))
}

fn extend_expiry(a: &Account, days: u32) -> Planned {
    let Some(before) = a.expires_at_ms else {
        let why = if a.expire_after_first_use_ms.is_some() {
            "its time starts at first use"
        } else {
            "it never expires"
        };
        return Err(Skip::new(
            SkipReason::UnlimitedExpiry,
            format!("Not extended: {why}."),
        ));
    };
    let after = before + i64::from(days) * DAY_MS;
    Ok((
        ItemOp::SetExpiry {
            ms: Some(after),
            add_days: Some(days),
        },
        vec![FieldChange::new(
            Field::Expiry,
            Some(FieldValue::moment(before)),
            Some(FieldValue::moment(after)),
        )],
    ))
}

fn unsupported(kind: PanelKind, action: &BulkAction) -> Planned {
    Err(Skip::new(
        SkipReason::Unsupported,
        format!("{} panels cannot {}", kind.display_name(), cannot(action)),
    ))
}

/// What a kind without `action` cannot do, as the end of a sentence.
fn cannot(action: &BulkAction) -> &'static str {
    match action {
        BulkAction::Enable | BulkAction::Disable => "enable or disable accounts",
        BulkAction::Delete { .. } => "delete accounts",
        BulkAction::ExtendExpiry { .. } | BulkAction::SetExpiry { .. } => "set an expiry",
        BulkAction::AddTraffic { .. } | BulkAction::SetTrafficLimit { .. } => "limit traffic",
        BulkAction::ResetTraffic => "reset traffic",
        BulkAction::AttachInbounds { .. } | BulkAction::DetachInbounds { .. } => {
            "attach or detach inbounds"
        }
        BulkAction::AddToGroup { .. } | BulkAction::RemoveFromGroup => "group accounts",
        BulkAction::ApplyTemplate { .. } => "apply a user template",
        BulkAction::RevokeSubscription => "revoke subscriptions",
        BulkAction::SetCaps { .. } => "set proxy caps",
        BulkAction::SetStatus { .. } => "set a proxy status",
        BulkAction::GrantPermissions { .. }
        | BulkAction::RevokePermissions { .. }
        | BulkAction::SetPermissions { .. } => "change permissions",
    }
}
