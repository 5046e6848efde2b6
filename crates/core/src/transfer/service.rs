//! The import and migration API on [`Paneldeck`]: plans against a panel's snapshot. Nothing
//! is written to a panel here.

use std::path::Path;

use super::{
    import::{parse_bytes, parse_import_file, ColumnSet, Parsed, ParsedRow, SourceFormat},
    load::{load, Rows},
    plan::{plan, ImportPlan, PlanOptions, Target},
    schema::AccountRecord,
};
use crate::{
    accounts::{model::now_ms, Account, RawBits, Selection},
    actions::{self, CreateOptions},
    bulk::{BulkPlan, OpWhat},
    error::{CoreError, Result},
    kinds,
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

    /// What a create on `panel` may choose from (inbounds, templates), when its kind maps
    /// import rows onto it and the panel can be reached; `None` otherwise (the kind's plan
    /// then goes without, as its [`create_options_fallback`] says in the log).
    ///
    /// [`create_options_fallback`]: crate::kinds::KindRules::create_options_fallback
    pub async fn import_create_options(&self, panel: &PanelView) -> Option<CreateOptions> {
        let fallback = kinds::rules(panel.kind).create_options_fallback()?;
        let client = self.client(panel).ok()?;
        let options = actions::create_options(&client).await;
        self.keep_session_token(&panel.id, &client);
        options
            .map_err(|err| tracing::warn!(panel = %panel.id, %err, "cannot read the inbounds; {fallback}"))
            .ok()
    }

    /// Parses and validates a file's bytes, then previews it against the panel's snapshot.
    pub async fn import_plan(
        &self,
        bytes: &[u8],
        panel_id: &PanelId,
        opts: &PlanOptions,
    ) -> Result<(SourceFormat, ImportPlan)> {
        self.import_plan_parsed(parse_bytes(bytes), panel_id, opts)
            .await
    }

    /// As [`import_plan`](Self::import_plan), reading the file as it parses it (its size
    /// checked first): the file's text is never held whole.
    pub async fn import_plan_file(
        &self,
        path: &Path,
        panel_id: &PanelId,
        opts: &PlanOptions,
    ) -> Result<(SourceFormat, ImportPlan)> {
        self.import_plan_parsed(parse_import_file(path)?, panel_id, opts)
            .await
    }

    async fn import_plan_parsed(
        &self,
        parsed: Parsed,
        panel_id: &PanelId,
        opts: &PlanOptions,
    ) -> Result<(SourceFormat, ImportPlan)> {
        let panel = self.panel(panel_id)?;
        let create_options = self.import_create_options(&panel).await;
        let snapshot = self.snapshot_of(panel_id)?;
        let target = Target {
            panel_id: panel.id.clone(),
            panel_name: panel.name.clone(),
            kind: panel.kind,
            accounts: &snapshot,
            create_options,
        };
        let format = parsed.format;
        Ok((format, plan(parsed, &target, opts)))
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
            .into_iter()
            .filter(|s| &s.account.key.panel_id == from)
            .enumerate()
            .map(|(i, s)| {
                let record = AccountRecord::from_owned(&source.name, s.account, s.raw, true);
                ParsedRow::new(i as u64 + 1, record, ColumnSet::ALL)
            })
            .collect();
        let parsed = Parsed {
            format: SourceFormat::Json,
            rows,
            errors: Vec::new(),
        };
        let create_options = self.import_create_options(&target_view).await;
        let snapshot = self.snapshot_of(to)?;
        let target = Target {
            panel_id: target_view.id.clone(),
            panel_name: target_view.name.clone(),
            kind: target_view.kind,
            accounts: &snapshot,
            create_options,
        };
        // The rows are the source panel's, by definition of a migration.
        let opts = PlanOptions {
            from_panels: vec![source.name.clone()],
            ..opts.clone()
        };
        Ok(plan(parsed, &target, &opts))
    }

    /// [`import_apply`](Self::import_apply) for a file: one with bad rows writes nothing
    /// unless `skip_bad_rows` says to import the good rows alone.
    pub fn import_apply_file(
        &self,
        title: impl Into<OpWhat>,
        plan: &ImportPlan,
        skip_bad_rows: bool,
    ) -> Result<BulkPlan> {
        if !plan.errors.is_empty() && !skip_bad_rows {
            return Err(CoreError::invalid(format!(
                "the file has {} bad row(s), so nothing was written; fix them, or import the \
                 good rows alone (skip bad rows)",
                plan.errors.len()
            )));
        }
        self.import_apply(title, plan)
    }

    /// Turns an import or migration plan into a bulk plan (journaled, state `planned`): its
    /// creates, with the UUIDs/passwords they keep, and its updates. Run it with
    /// [`bulk_execute`](Self::bulk_execute). Conflicts and unchanged rows are left out.
    pub fn import_apply(&self, title: impl Into<OpWhat>, plan: &ImportPlan) -> Result<BulkPlan> {
        let items = plan.bulk_items();
        if items.is_empty() {
            return Err(CoreError::invalid(
                "nothing to write: the plan has no account to create or update",
            ));
        }
        self.plan_from_items(title.into(), items)
    }
}
