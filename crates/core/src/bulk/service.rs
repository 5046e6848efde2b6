//! The bulk API on [`Paneldeck`] beyond planning: run, resume, retry, history, export.

use super::{
    exec::{self, Mode},
    journal,
    types::*,
};
use crate::{
    error::{CoreError, Result},
    Paneldeck,
};

impl Paneldeck {
    /// Runs a stored plan (state `planned`) with the default options.
    pub async fn bulk_execute(
        &self,
        op: &OpId,
        on_progress: impl Fn(BulkProgress) + Send + Sync,
        cancel: CancelToken,
    ) -> Result<BulkReport> {
        self.bulk_execute_with(op, ExecOptions::default(), on_progress, cancel)
            .await
    }

    pub async fn bulk_execute_with(
        &self,
        op: &OpId,
        opts: ExecOptions,
        on_progress: impl Fn(BulkProgress) + Send + Sync,
        cancel: CancelToken,
    ) -> Result<BulkReport> {
        self.bulk_run(op, Mode::Execute, opts, cancel, &on_progress)
            .await
    }

    /// Finishes an interrupted or cancelled operation: pending items run; items left
    /// `running` (outcome unknown) are checked on the panel first where a repeat would not be
    /// harmless (creates).
    pub async fn bulk_resume(
        &self,
        op: &OpId,
        opts: ExecOptions,
        on_progress: impl Fn(BulkProgress) + Send + Sync,
        cancel: CancelToken,
    ) -> Result<BulkReport> {
        self.bulk_run(op, Mode::Resume, opts, cancel, &on_progress)
            .await
    }

    /// Re-runs only the failed items (creates are looked up before being sent again).
    pub async fn bulk_retry_failed(
        &self,
        op: &OpId,
        opts: ExecOptions,
        on_progress: impl Fn(BulkProgress) + Send + Sync,
        cancel: CancelToken,
    ) -> Result<BulkReport> {
        self.bulk_run(op, Mode::RetryFailed, opts, cancel, &on_progress)
            .await
    }

    /// Forgets a plan the user did not confirm. Operations that ran cannot be discarded.
    pub fn bulk_discard_plan(&self, op: &OpId) -> Result<()> {
        if self.store().with(|c| journal::discard_planned(c, op))? {
            Ok(())
        } else {
            Err(CoreError::Conflict(format!(
                "bulk operation {op} is not an unexecuted plan"
            )))
        }
    }

    /// Every operation that ran, newest first (unexecuted plans are not history).
    pub fn bulk_history(&self) -> Result<Vec<OpSummary>> {
        self.store().with(|c| journal::history(c, &exec::is_live))
    }

    /// Operations a crash or kill left unfinished (offer to resume them).
    pub fn bulk_interrupted(&self) -> Result<Vec<OpSummary>> {
        Ok(self
            .bulk_history()?
            .into_iter()
            .filter(|o| o.interrupted)
            .collect())
    }

    /// The journal of one operation, in plan order.
    pub fn bulk_items(&self, op: &OpId) -> Result<Vec<ItemRecord>> {
        self.store().with(|c| {
            journal::op_state(c, op)?;
            journal::items(c, op, &[])
        })
    }

    /// The current report of an operation (counts, per panel, failures).
    pub fn bulk_status(&self, op: &OpId) -> Result<BulkReport> {
        self.bulk_report(op, 0)
    }

    /// One operation's journal as CSV or JSON (summary and items); CSV cells a spreadsheet
    /// would run are neutralised.
    pub fn bulk_export_history(&self, op: &OpId, format: ExportFormat) -> Result<String> {
        self.bulk_export_history_with(op, format, false)
    }

    /// [`bulk_export_history`](Self::bulk_export_history); `raw_csv` writes CSV cells exactly
    /// as they are (see [`csv_cell`](crate::files::csv_cell)).
    pub fn bulk_export_history_with(
        &self,
        op: &OpId,
        format: ExportFormat,
        raw_csv: bool,
    ) -> Result<String> {
        let summary = self
            .bulk_history()?
            .into_iter()
            .find(|o| &o.op_id == op)
            .ok_or_else(|| CoreError::NotFound(format!("no bulk operation {op}")))?;
        let items = self.bulk_items(op)?;
        match format {
            ExportFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
                "operation": summary,
                "items": items.iter().map(json_item).collect::<Vec<_>>(),
            }))
            .map_err(|e| CoreError::Internal(e.to_string())),
            ExportFormat::Csv => Ok(csv(&summary, &items, raw_csv)),
        }
    }
}

/// An item as the JSON export has it: its typed fields, and its outcome and error in English
/// (`messageText`, `errorText`) for readers without the app's words.
fn json_item(item: &ItemRecord) -> serde_json::Value {
    let mut value = serde_json::to_value(item).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        let text = |t: Option<String>| t.map_or(serde_json::Value::Null, serde_json::Value::from);
        map.insert(
            "messageText".into(),
            text(item.message.as_ref().map(ToString::to_string)),
        );
        map.insert(
            "errorText".into(),
            text(item.error.as_ref().map(ToString::to_string)),
        );
    }
    value
}

fn csv_field(s: &str, raw: bool) -> String {
    let s = crate::files::csv_cell(s, raw).into_owned();
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv(summary: &OpSummary, items: &[ItemRecord], raw: bool) -> String {
    let mut out = String::from(
        "op_id,title,actor,seq,panel,kind,account,operation,state,attempts,error_code,error,message,started_at_ms,finished_at_ms\n",
    );
    for i in items {
        let row = [
            summary.op_id.0.clone(),
            summary.title.to_string(),
            summary.actor.clone(),
            i.seq.to_string(),
            i.panel_name.clone(),
            i.kind.to_string(),
            i.name.clone(),
            i.op.label().to_owned(),
            i.state.as_str().to_owned(),
            i.attempts.to_string(),
            i.error
                .as_ref()
                .map(|e| e.code.as_str())
                .unwrap_or_default(),
            i.error
                .as_ref()
                .map(|e| e.detail.clone())
                .unwrap_or_default(),
            i.message
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            i.started_at_ms.map(|t| t.to_string()).unwrap_or_default(),
            i.finished_at_ms.map(|t| t.to_string()).unwrap_or_default(),
        ];
        let line: Vec<String> = row.iter().map(|f| csv_field(f, raw)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
