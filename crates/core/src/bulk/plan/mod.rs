//! Planning: from a request and the accounts snapshot, per account what changes (before →
//! after) or why it is skipped, grouped per panel. Relative changes ("+30 days") become absolute
//! targets here, so executing an item twice cannot apply it twice. What depends on a panel's
//! kind is asked of its [`KindRules`](crate::kinds::KindRules).

mod action;
pub(crate) mod change;
mod create;
mod request;

use std::collections::HashMap;

use super::{journal, types::*, OpTitle, OpWhat};
use crate::{
    accounts::{now_ms, AccountKey},
    actions::KeptCredentials,
    error::Result,
    registry::{PanelId, PanelView},
    Paneldeck,
};

/// Collects items per panel in order.
pub(crate) struct Builder {
    panels: Vec<PanelPlan>,
    seq: u32,
    /// Secrets of the creates that keep them, by seq (journaled apart from the plan).
    kept: HashMap<u32, KeptCredentials>,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder {
            panels: Vec::new(),
            seq: 0,
            kept: HashMap::new(),
        }
    }

    fn push(&mut self, panel: &PanelView, key: AccountKey, name: String, planned: Planned) {
        self.push_as(panel, key, name, planned, ItemOp::Enable)
    }

    /// `nominal`: the op a skipped row is journaled with (never run; shown in history).
    pub(crate) fn push_as(
        &mut self,
        panel: &PanelView,
        key: AccountKey,
        name: String,
        planned: Planned,
        nominal: ItemOp,
    ) {
        let idx = match self.panels.iter().position(|p| p.panel_id == panel.id) {
            Some(i) => i,
            None => {
                self.panels.push(PanelPlan {
                    panel_id: panel.id.clone(),
                    panel_name: panel.name.clone(),
                    kind: panel.kind,
                    items: Vec::new(),
                    to_change: 0,
                    skipped: 0,
                });
                self.panels.len() - 1
            }
        };
        let p = &mut self.panels[idx];
        let (op, changes, skip) = match planned {
            Ok((op, changes)) => {
                p.to_change += 1;
                (op, changes, None)
            }
            Err(s) => {
                p.skipped += 1;
                (nominal, Vec::new(), Some(s))
            }
        };
        p.items.push(PlanItem {
            seq: self.seq,
            key,
            name,
            op,
            changes,
            skip,
        });
        self.seq += 1;
    }

    fn finish(self, title: OpTitle) -> BulkPlan {
        BulkPlan {
            id: OpId::new(),
            title,
            created_at_ms: now_ms(),
            to_change: self.panels.iter().map(|p| p.to_change).sum(),
            skipped: self.panels.iter().map(|p| p.skipped).sum(),
            panels: self.panels,
        }
    }
}

/// Names and emails the snapshot has on a panel: (native id, name, email).
fn snapshot_names(
    core: &Paneldeck,
    panel: &PanelId,
) -> Result<Vec<(String, String, Option<String>)>> {
    core.store().with(|c| {
        let mut stmt =
            c.prepare_cached("SELECT native_id, name, email FROM accounts WHERE panel_id = ?1")?;
        let rows = stmt
            .query_map([&panel.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
}

/// Who runs an operation: the OS account (from the user database, so it is known where the
/// environment names nobody, as under a service or a CI runner), or empty when even that has
/// none (the UI and the CLI then word it themselves).
pub(crate) fn actor() -> String {
    whoami::username()
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_default()
}

impl Paneldeck {
    /// The plan of an operation, as stored.
    pub fn bulk_plan_get(&self, op: &OpId) -> Result<BulkPlan> {
        self.store().with(|c| journal::plan(c, op))
    }

    pub(crate) fn store_plan(
        &self,
        mut b: Builder,
        what: OpWhat,
        summary: serde_json::Value,
    ) -> Result<BulkPlan> {
        let title = OpTitle {
            what,
            accounts: b.panels.iter().map(|p| p.to_change).sum(),
            panels: u32::try_from(b.panels.len()).unwrap_or(u32::MAX),
        };
        let kept = std::mem::take(&mut b.kept);
        let plan = b.finish(title);
        let request = serde_json::to_string(&summary).unwrap_or_default();
        self.store()
            .with(|c| journal::insert_plan(c, &plan, &actor(), &request, &kept))?;
        Ok(plan)
    }
}
