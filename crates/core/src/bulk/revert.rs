//! Reverting a finished operation (issue 24): a new operation, journaled like any other, that
//! puts back the before-values its journal holds. Only what a value can restore is reverted:
//! state, expiry, traffic limit, group, inbounds, permissions, and the edits of those (the
//! detail pane's form and import updates); a delete, a reset, a new password or subscription
//! cannot be taken back and is listed as skipped with why. The revert runs like every write:
//! each account is read right before it is written, so a value changed on the panel since the
//! original ran shows as a change since the preview.

use super::{journal, plan::Builder, types::*, Field, FieldChange, FieldValue, OpWhat};
use crate::{
    accounts::{snapshot, Account, AccountKey, Capabilities, RawBits},
    error::{CoreError, Result},
    kinds,
    registry::PanelView,
    transfer::{import::ColumnSet, plan::EditSource, schema::col, AccountRecord},
    Paneldeck,
};

impl Paneldeck {
    /// The plan that reverts `op`'s done items (a preview; run it like any plan).
    pub fn bulk_revert_plan(&self, op: &OpId) -> Result<BulkPlan> {
        let (original, items) = self.store().with(|c| {
            let plan = journal::plan(c, op)?;
            Ok((plan.title, journal::items(c, op, &[ItemState::Done])?))
        })?;
        if items.is_empty() {
            return Err(CoreError::Conflict(format!(
                "operation {op} changed nothing that could be reverted"
            )));
        }
        let mut b = Builder::new();
        let mut snapshots: Vec<(PanelView, Vec<(Account, RawBits)>)> = Vec::new();
        // Newest first, so an account changed twice ends at its first before-value.
        for item in items.iter().rev() {
            let panel = self.panel(&item.panel_id)?;
            if !snapshots.iter().any(|(p, _)| p.id == panel.id) {
                let accounts = self.snapshot_of(&panel.id)?;
                snapshots.push((panel.clone(), accounts));
            }
            let accounts = snapshots
                .iter()
                .find(|(p, _)| p.id == panel.id)
                .map(|(_, a)| a.as_slice())
                .unwrap_or_default();
            let id = item.result_id.as_deref().unwrap_or(&item.native_id);
            let now = accounts.iter().find(|(a, _)| a.key.native_id == id);
            let key = AccountKey::new(panel.id.clone(), id.to_owned());
            let caps = |p: &PanelView| self.revert_caps(p);
            let planned = match now {
                None => Err(Skip::new(
                    SkipReason::NotFound,
                    "Not in the snapshot: sync the panel first.",
                )),
                Some((account, raw)) => inverse(item, account, raw, &panel, &caps(&panel)?),
            };
            b.push_as(&panel, key, item.name.clone(), planned, item.op.clone());
        }
        let what = OpWhat::Revert {
            of: op.clone(),
            original: Box::new(original),
        };
        self.store_plan(b, what, serde_json::json!({ "revert": op }))
    }
}

impl Paneldeck {
    /// What `panel`'s accounts can do, as of its last sync.
    fn revert_caps(&self, panel: &PanelView) -> Result<Capabilities> {
        let generation = self
            .store()
            .with(|c| snapshot::api_generation(c, &panel.id))?;
        Ok(Capabilities::for_panel(panel.kind, generation.as_deref()))
    }
}

/// The op that puts back what `item` changed, or why it cannot.
fn inverse(
    item: &ItemRecord,
    account: &Account,
    raw: &RawBits,
    panel: &PanelView,
    caps: &Capabilities,
) -> Planned {
    let before = |field: Field| item.changes.iter().find(|c| c.field == field);
    let back = |field: Field| -> Vec<FieldChange> {
        before(field)
            .map(|c| vec![FieldChange::new(field, c.after.clone(), c.before.clone())])
            .unwrap_or_default()
    };
    let op = match &item.op {
        ItemOp::Enable => ItemOp::Disable,
        ItemOp::Disable => ItemOp::Enable,
        ItemOp::SetExpiry { .. } => ItemOp::SetExpiry {
            ms: moment(before(Field::Expiry))?,
            add_days: None,
        },
        ItemOp::SetTrafficLimit { .. } => ItemOp::SetTrafficLimit {
            bytes: bytes(before(Field::Limit))?,
            add_bytes: None,
        },
        ItemOp::SetGroup { .. } => ItemOp::SetGroup {
            group: match before(Field::Group) {
                Some(c) => text(&c.before),
                None => return Err(irreversible()),
            },
        },
        ItemOp::AttachInbounds { inbound_ids } => ItemOp::DetachInbounds {
            inbound_ids: inbound_ids.clone(),
        },
        ItemOp::DetachInbounds { inbound_ids } => ItemOp::AttachInbounds {
            inbound_ids: inbound_ids.clone(),
        },
        ItemOp::SetPermissions { .. } => ItemOp::SetPermissions {
            permissions: match before(Field::Permissions).map(|c| &c.before) {
                Some(Some(FieldValue::List { items })) => items.clone(),
                _ => return Err(irreversible()),
            },
        },
        ItemOp::Edit { .. } => return edit_back(item, account, raw, panel),
        ItemOp::ResetTraffic if caps.can_set_traffic => ItemOp::SetTraffic {
            up_bytes: bytes(before(Field::Upload))?.ok_or_else(irreversible)?,
            down_bytes: bytes(before(Field::Download))?.ok_or_else(irreversible)?,
        },
        _ => return Err(irreversible()),
    };
    let fields = match &op {
        ItemOp::Enable | ItemOp::Disable => vec![Field::Enabled],
        ItemOp::SetExpiry { .. } => vec![Field::Expiry],
        ItemOp::SetTrafficLimit { .. } => vec![Field::Limit],
        ItemOp::SetGroup { .. } => vec![Field::Group],
        ItemOp::AttachInbounds { .. } | ItemOp::DetachInbounds { .. } => vec![Field::Inbounds],
        ItemOp::SetTraffic { .. } => vec![Field::Used, Field::Upload, Field::Download],
        _ => vec![Field::Permissions],
    };
    Ok((op, fields.into_iter().flat_map(back).collect()))
}

/// An edit back to the before-values, through the kind's own "make the account look like
/// this row" (the import's update path): the snapshot's account with the changed fields set
/// back, and only their columns present.
fn edit_back(item: &ItemRecord, account: &Account, raw: &RawBits, panel: &PanelView) -> Planned {
    let mut record = AccountRecord::from_account(&panel.name, account, raw, false);
    let mut present = ColumnSet(0).with("name");
    for c in &item.changes {
        let column = match c.field {
            Field::Enabled => {
                record.enabled = Some(matches!(c.before, Some(FieldValue::Toggle { on: true })));
                col::ENABLED
            }
            Field::Expiry => {
                record.expires_at_ms = moment(Some(c))?;
                col::EXPIRES_AT_MS
            }
            Field::Limit => {
                record.limit_bytes = bytes(Some(c))?;
                col::LIMIT_BYTES
            }
            Field::IpCap => {
                record.ip_limit = match &c.before {
                    Some(FieldValue::Count { count }) => Some(*count),
                    _ => None,
                };
                col::IP_LIMIT
            }
            Field::Group => {
                record.group = text(&c.before);
                col::GROUP
            }
            Field::Note => {
                record.note = text(&c.before);
                col::NOTE
            }
            // Usage moves by itself; the status line follows the other fields.
            Field::Used | Field::Status => continue,
            _ => return Err(irreversible()),
        };
        present = ColumnSet(present.0 | (1 << column));
    }
    let source = EditSource {
        record: &record,
        present,
        account,
        raw,
    };
    match kinds::rules(account.kind).edit_for(&source) {
        (Some(edit), changes) if !changes.is_empty() => Ok((
            ItemOp::Edit {
                edit,
                seen: Vec::new(),
            },
            changes,
        )),
        (_, changes) if changes.is_empty() => Err(Skip::new(
            SkipReason::NoChange,
            "Already as it was before the operation.",
        )),
        _ => Err(irreversible()),
    }
}

fn irreversible() -> Skip {
    Skip::new(
        SkipReason::Irreversible,
        "This change cannot be taken back (nothing journaled restores it).",
    )
}

fn moment(c: Option<&FieldChange>) -> std::result::Result<Option<i64>, Skip> {
    match c.map(|c| &c.before) {
        Some(Some(FieldValue::Moment { ms })) => Ok(Some(*ms)),
        Some(None) => Ok(None),
        _ => Err(irreversible()),
    }
}

fn bytes(c: Option<&FieldChange>) -> std::result::Result<Option<u64>, Skip> {
    match c.map(|c| &c.before) {
        Some(Some(FieldValue::Bytes { bytes })) => Ok(Some(*bytes)),
        Some(None) => Ok(None),
        _ => Err(irreversible()),
    }
}

fn text(v: &Option<FieldValue>) -> Option<String> {
    match v {
        Some(FieldValue::Text { text }) => Some(text.clone()),
        _ => None,
    }
}
