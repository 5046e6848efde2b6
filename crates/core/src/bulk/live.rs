//! Live state first (issue 20): right before an item is written, its account is read again
//! from the panel, and the item is resolved against what the panel holds *now* rather than
//! against the snapshot its preview was made from. Relative changes (extend by N days, add
//! traffic) start from the live value; a field the preview showed that changed on the panel
//! since is reported as drift (preview value → live value) and, by the run's [`IfChanged`]
//! policy, applied to the live value or skipped. The resolved op — now absolute — is journaled
//! before the request leaves, so a resume or retry sends the same value and never adds twice.

use serde::{Deserialize, Serialize};

use super::{Field, FieldChange, FieldSeen, FieldValue, ItemOp, Skip, SkipReason};
use crate::accounts::{model::DAY_MS, Account};

/// What a run does with an item whose account changed on the panel since the preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum IfChanged {
    /// Apply the change to the live value (an extend adds its days to the live expiry).
    #[default]
    Apply,
    /// Leave the account alone and report it.
    Skip,
}

/// An item resolved against the live account.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub op: ItemOp,
    /// Before (live) → after, as the journal keeps them.
    pub changes: Vec<FieldChange>,
    /// The fields that changed on the panel since the preview: preview value → live value.
    pub drift: Vec<FieldChange>,
    /// Some of the drift is on a field the item sends but does not change (an edit form
    /// built from the snapshot): sending it would undo that change, whatever the policy.
    pub would_undo: bool,
}

/// `op` with the fields it sends unchanged noted as `a` holds them (see [`FieldSeen`]), when
/// it is an edit form; other ops set only what they change.
pub(crate) fn note_seen(op: ItemOp, changes: &[FieldChange], a: &Account) -> ItemOp {
    let ItemOp::Edit { edit, .. } = op else {
        return op;
    };
    // A user-pass sub-user's usage cap is the account's traffic limit.
    let changed = |f: Field| {
        changes
            .iter()
            .any(|c| c.field == f || (c.field == Field::UsageCap && f == Field::Limit))
    };
    let seen = edit
        .fields_sent()
        .into_iter()
        .filter(|&f| drifts(f) && !changed(f))
        .filter_map(|field| {
            Some(FieldSeen {
                field,
                value: value_of(a, field)?,
            })
        })
        .collect();
    ItemOp::Edit { edit, seen }
}

/// Items read from the panel before they are written: all but creates (nothing to read yet;
/// a retried create looks its name up instead).
pub(crate) fn reads_live(op: &ItemOp) -> bool {
    !op.is_create()
}

/// Fields whose live value is compared with the preview's. Usage moves by itself, and the
/// status line is derived from the others, so neither counts as a change made on the panel.
fn drifts(field: Field) -> bool {
    !matches!(
        field,
        Field::Used | Field::Upload | Field::Download | Field::Status
    )
}

/// What changed on the panel between the account as the admin saw it (`seen`) and as the
/// panel holds it now (`live`): the fields a form or a preview shows, not usage.
pub(crate) fn changed_since(seen: &Account, live: &Account) -> Vec<FieldChange> {
    COMPARED
        .iter()
        .filter(|&&field| drifts(field))
        .filter_map(|&field| {
            let (was, now) = (value_of(seen, field)?, value_of(live, field)?);
            (was != now).then(|| FieldChange::new(field, was, now))
        })
        .collect()
}

/// The account's value of `field` as previews show it; `None` when the field is not one the
/// snapshot's account holds comparably (the preview's value is then kept as it was).
pub(crate) fn value_of(a: &Account, field: Field) -> Option<Option<FieldValue>> {
    let list = |v: &Vec<String>| (!v.is_empty()).then(|| FieldValue::list(v));
    Some(match field {
        Field::Account => Some(FieldValue::text(&a.name)),
        Field::Enabled => Some(FieldValue::toggle(a.enabled)),
        Field::Expiry => a.expires_at_ms.map(FieldValue::moment),
        Field::Limit => a.limit_bytes.map(FieldValue::bytes),
        Field::Used => Some(FieldValue::bytes(a.used_bytes)),
        Field::Upload => a.up_bytes.map(FieldValue::bytes),
        Field::Download => a.down_bytes.map(FieldValue::bytes),
        Field::IpCap => a.ip_limit.map(FieldValue::count),
        Field::Group => a.group.as_ref().map(FieldValue::text),
        Field::Note => a.note.as_ref().map(FieldValue::text),
        Field::Inbounds => list(&a.inbounds),
        Field::Permissions => list(&a.permissions),
        _ => return None,
    })
}

/// The fields [`value_of`] reads, in the order previews list them.
pub(crate) const COMPARED: [Field; 12] = [
    Field::Account,
    Field::Enabled,
    Field::Expiry,
    Field::Limit,
    Field::Used,
    Field::Upload,
    Field::Download,
    Field::IpCap,
    Field::Group,
    Field::Note,
    Field::Inbounds,
    Field::Permissions,
];

/// `rec_op` with `changes` (from the preview) resolved against `live`.
pub(crate) fn resolve(
    rec_op: &ItemOp,
    changes: &[FieldChange],
    live: &Account,
) -> Result<Resolved, Skip> {
    let mut drift = Vec::new();
    let mut resolved_changes = Vec::with_capacity(changes.len());
    for c in changes {
        let mut c = c.clone();
        if let Some(now) = value_of(live, c.field) {
            if drifts(c.field) && now != c.before {
                drift.push(FieldChange::new(c.field, c.before.clone(), now.clone()));
            }
            c.before = now;
        }
        resolved_changes.push(c);
    }
    let mut would_undo = false;
    if let ItemOp::Edit { seen, .. } = rec_op {
        for s in seen {
            match value_of(live, s.field) {
                Some(now) if now != s.value => {
                    drift.push(FieldChange::new(s.field, s.value.clone(), now));
                    would_undo = true;
                }
                _ => {}
            }
        }
    }
    let op = match rec_op {
        ItemOp::SetExpiry {
            add_days: Some(days),
            ..
        } => {
            let Some(from) = live.expires_at_ms else {
                return Err(Skip::new(
                    SkipReason::UnlimitedExpiry,
                    "Not extended: on the panel it never expires now.",
                ));
            };
            let ms = from + i64::from(*days) * DAY_MS;
            set_after(&mut resolved_changes, Field::Expiry, FieldValue::moment(ms));
            ItemOp::SetExpiry {
                ms: Some(ms),
                add_days: Some(*days),
            }
        }
        ItemOp::SetTrafficLimit {
            add_bytes: Some(add),
            ..
        } => {
            let Some(from) = live.limit_bytes else {
                return Err(Skip::new(
                    SkipReason::UnlimitedTraffic,
                    "Not changed: on the panel its traffic is unlimited now.",
                ));
            };
            let bytes = from.saturating_add(*add);
            set_after(
                &mut resolved_changes,
                Field::Limit,
                FieldValue::bytes(bytes),
            );
            ItemOp::SetTrafficLimit {
                bytes: Some(bytes),
                add_bytes: Some(*add),
            }
        }
        op => op.clone(),
    };
    Ok(Resolved {
        op,
        changes: resolved_changes,
        drift,
        would_undo,
    })
}

fn set_after(changes: &mut [FieldChange], field: Field, value: FieldValue) {
    for c in changes.iter_mut().filter(|c| c.field == field) {
        c.after = Some(value.clone());
    }
}

/// "expiry was …, now …" for the CLI and journal exports.
pub fn drift_english(drift: &[FieldChange]) -> String {
    format!(
        "changed on the panel since the preview: {}",
        changes_english(drift)
    )
}

/// "expiry was …, now …; note was …, now …".
pub fn changes_english(drift: &[FieldChange]) -> String {
    let parts: Vec<String> = drift
        .iter()
        .map(|d| {
            let side = |v: &Option<FieldValue>| match v {
                Some(v) => v.to_string(),
                None => d.field.english_unset().to_owned(),
            };
            format!(
                "{} was {}, now {}",
                d.field.english(),
                side(&d.before),
                side(&d.after)
            )
        })
        .collect();
    parts.join("; ")
}
