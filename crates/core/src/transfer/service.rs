//! The import and migration API on [`Paneldeck`]: plans against a panel's snapshot. Nothing
//! is written to a panel here.

use paneldeck_panels::PanelKind;

use super::{
    import::{parse_bytes, ColumnSet, Parsed, ParsedRow, SourceFormat},
    load::{load, Rows},
    plan::{plan, ImportPlan, PlanOptions, Target},
    schema::AccountRecord,
};
use crate::{
    accounts::{model::now_ms, Account, RawBits, Selection},
    actions::{self, CreateOptions, MarzbanProtocolInbounds, XuiInboundOption},
    bulk::BulkPlan,
    error::{CoreError, Result},
    registry::{PanelId, PanelView},
    Paneldeck,
};

impl Paneldeck {
    /// A panel's snapshot: every account with what transfer reads of its raw record.
    pub fn snapshot_of(&self, panel_id: &PanelId) -> Result<Vec<(Account, RawBits)>> {
        let now = now_ms();
        let rows = self.store().with(|c| load(c, Rows::Panel(panel_id), now))?;
        Ok(rows.into_iter().map(|s| (s.account, s.raw)).collect())
    }

    /// What a create on `panel` may choose from (inbounds, templates), if it is of `kind` and
    /// can be reached; `None` otherwise (`fallback` says in the log what the plan does then).
    async fn create_options_of(
        &self,
        panel: &PanelView,
        kind: PanelKind,
        fallback: &str,
    ) -> Option<CreateOptions> {
        if panel.kind != kind {
            return None;
        }
        let client = self.client(panel).ok()?;
        let options = actions::create_options(&client).await;
        self.keep_session_token(&panel.id, &client);
        options
            .map_err(|err| tracing::warn!(panel = %panel.id, %err, "cannot read the inbounds; {fallback}"))
            .ok()
    }

    /// A 3x-ui panel's inbounds (what a create may attach to). Other kinds, or a panel that
    /// cannot be reached: empty (then inbound ids from the file are taken as given).
    pub async fn xui_inbound_options(&self, panel: &PanelView) -> Vec<XuiInboundOption> {
        match self
            .create_options_of(
                panel,
                PanelKind::Xui,
                "ids from the file are taken as given",
            )
            .await
        {
            Some(CreateOptions::Xui { inbounds }) => inbounds,
            _ => Vec::new(),
        }
    }

    /// A Marzban panel's inbound tags per protocol (what a create may be limited to). Other
    /// kinds, or a panel that cannot be reached: empty (then creates get every inbound).
    pub async fn marzban_inbound_options(&self, panel: &PanelView) -> Vec<MarzbanProtocolInbounds> {
        match self
            .create_options_of(panel, PanelKind::Marzban, "creates get every inbound")
            .await
        {
            Some(CreateOptions::Marzban { inbounds, .. }) => inbounds,
            _ => Vec::new(),
        }
    }

    /// Parses and validates a file, then previews it against the panel's snapshot.
    pub async fn import_plan(
        &self,
        bytes: &[u8],
        panel_id: &PanelId,
        opts: &PlanOptions,
    ) -> Result<(SourceFormat, ImportPlan)> {
        let parsed = parse_bytes(bytes);
        let panel = self.panel(panel_id)?;
        let inbounds = self.xui_inbound_options(&panel).await;
        let marzban_inbounds = self.marzban_inbound_options(&panel).await;
        let snapshot = self.snapshot_of(panel_id)?;
        let target = Target {
            panel_id: panel.id.clone(),
            kind: panel.kind,
            accounts: &snapshot,
            xui_inbounds: &inbounds,
            marzban_inbounds: &marzban_inbounds,
        };
        Ok((parsed.format, plan(&parsed, &target, opts)))
    }

    /// Copies accounts of `from` (all, or the selection's accounts on it) onto `to`: names,
    /// UUIDs and passwords (kept so client configs go on working), limits, expiry, notes;
    /// each item lists what the target kind cannot hold.
    pub async fn migration_plan(
        &self,
        from: &PanelId,
        to: &PanelId,
        selection: Option<&Selection>,
        opts: &PlanOptions,
    ) -> Result<ImportPlan> {
        if from == to {
            return Err(CoreError::invalid(
                "the source and the target are the same panel",
            ));
        }
        let source = self.panel(from)?;
        let target_view = self.panel(to)?;
        let selection = selection.cloned().unwrap_or(Selection::Panel {
            panel_id: from.clone(),
        });
        let accounts = self.load_selection(&selection)?;
        let rows: Vec<ParsedRow> = accounts
            .iter()
            .filter(|s| &s.account.key.panel_id == from)
            .enumerate()
            .map(|(i, s)| ParsedRow {
                line: i as u64 + 1,
                record: AccountRecord::from_account(&source.name, &s.account, &s.raw, true),
                present: ColumnSet::ALL,
            })
            .collect();
        let parsed = Parsed {
            format: SourceFormat::Json,
            rows,
            errors: Vec::new(),
        };
        let inbounds = self.xui_inbound_options(&target_view).await;
        let marzban_inbounds = self.marzban_inbound_options(&target_view).await;
        let snapshot = self.snapshot_of(to)?;
        let target = Target {
            panel_id: target_view.id.clone(),
            kind: target_view.kind,
            accounts: &snapshot,
            xui_inbounds: &inbounds,
            marzban_inbounds: &marzban_inbounds,
        };
        Ok(plan(&parsed, &target, opts))
    }

    /// Turns an import or migration plan into a bulk plan (journaled, state `planned`): its
    /// creates, with the UUIDs/passwords they keep, and its updates. Run it with
    /// [`bulk_execute`](Self::bulk_execute). Conflicts and unchanged rows are left out.
    pub fn import_apply(&self, title: &str, plan: &ImportPlan) -> Result<BulkPlan> {
        let items = plan.bulk_items();
        if items.is_empty() {
            return Err(CoreError::invalid(
                "nothing to write: the plan has no account to create or update",
            ));
        }
        self.plan_from_items(title, items)
    }
}
