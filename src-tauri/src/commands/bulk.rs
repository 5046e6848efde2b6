//! Bulk operations: plan (dry run), run with progress events and cancel, resume, retry the
//! failed items, history. The engine and its journal are `paneldeck_core::bulk`.

use paneldeck_core::{
    bulk::{
        BulkPlan, BulkProgress, BulkReport, BulkRequest, ExecOptions, ExportFormat, IfChanged,
        ItemRecord, OpId, OpSummary,
    },
    files::write_bytes_atomic,
    CoreError,
};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use super::{
    jobs::{job, job_key},
    CmdResult,
};
use crate::{events::BulkProgressed, Backend};

/// Builds the preview of a bulk change or create, streaming `JobProgressed` under `job_id`;
/// `job_cancel` stops it and no plan is kept. Nothing is sent to a panel.
#[tauri::command]
#[specta::specta]
pub async fn bulk_plan(
    app: AppHandle,
    backend: State<'_, Backend>,
    request: BulkRequest,
    job_id: String,
) -> CmdResult<BulkPlan> {
    let ticket = backend.jobs().register(&job_key(&job_id)).await?;
    let mut job = job(app, &job_id, ticket.cancel.clone());
    let core = backend.paneldeck().clone();
    // Planning reads the snapshot account by account: off the async threads.
    let plan = tokio::task::spawn_blocking(move || core.bulk_plan_job(&request, &mut job))
        .await
        .map_err(|e| CoreError::Internal(format!("the preview stopped: {e}")))?;
    drop(ticket);
    Ok(plan?)
}

/// A stored plan (an unexecuted one, or the plan of an operation that ran).
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_plan_get(backend: State<'_, Backend>, op_id: OpId) -> CmdResult<BulkPlan> {
    Ok(backend.paneldeck().bulk_plan_get(&op_id)?)
}

/// The plan that puts back what a finished operation changed (run it with `bulk_run`).
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_revert_plan(backend: State<'_, Backend>, op_id: OpId) -> CmdResult<BulkPlan> {
    Ok(backend.paneldeck().bulk_revert_plan(&op_id)?)
}

/// Forgets a plan the user did not confirm.
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_discard(backend: State<'_, Backend>, op_id: OpId) -> CmdResult<()> {
    Ok(backend.paneldeck().bulk_discard_plan(&op_id)?)
}

/// How a run starts.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum RunMode {
    /// A confirmed plan.
    Execute,
    /// An interrupted or cancelled operation: the items not finished.
    Resume,
    /// Only the items that failed.
    RetryFailed,
}

/// Runs an operation to its end, streaming `BulkProgressed` per panel; `bulk_cancel` stops it.
#[tauri::command]
#[specta::specta]
pub async fn bulk_run(
    app: AppHandle,
    backend: State<'_, Backend>,
    op_id: OpId,
    mode: RunMode,
    if_changed: Option<IfChanged>,
) -> CmdResult<BulkReport> {
    // Held to the end: dropping it unregisters the run however it ends (a panic included).
    let ticket = backend.runs().register(&op_id).await?;
    let cancel = ticket.cancel.clone();
    let emit = move |p: BulkProgress| {
        let _ = BulkProgressed(p).emit(&app);
    };
    let core = backend.paneldeck();
    let opts = ExecOptions {
        if_changed: if_changed.unwrap_or_default(),
        ..ExecOptions::default()
    };
    let report = match mode {
        RunMode::Execute => core.bulk_execute_with(&op_id, opts, emit, cancel).await,
        RunMode::Resume => core.bulk_resume(&op_id, opts, emit, cancel).await,
        RunMode::RetryFailed => core.bulk_retry_failed(&op_id, opts, emit, cancel).await,
    };
    Ok(report?)
}

/// Asks a running operation to stop: no new request starts; those in flight finish and are
/// journaled. False when it is not running.
#[tauri::command]
#[specta::specta]
pub fn bulk_cancel(backend: State<'_, Backend>, op_id: OpId) -> bool {
    backend.runs().cancel(&op_id)
}

/// Every operation that ran, newest first; interrupted ones are flagged for resume.
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_history(backend: State<'_, Backend>) -> CmdResult<Vec<OpSummary>> {
    Ok(backend.paneldeck().bulk_history()?)
}

/// The current report of one operation (counts per panel, failures).
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_status(backend: State<'_, Backend>, op_id: OpId) -> CmdResult<BulkReport> {
    Ok(backend.paneldeck().bulk_status(&op_id)?)
}

/// One operation's journal, item by item.
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_items(backend: State<'_, Backend>, op_id: OpId) -> CmdResult<Vec<ItemRecord>> {
    Ok(backend.paneldeck().bulk_items(&op_id)?)
}

/// Writes one operation's journal to `path` (CSV or JSON), atomically.
#[tauri::command(async)]
#[specta::specta]
pub fn bulk_export_history(
    backend: State<'_, Backend>,
    op_id: OpId,
    format: ExportFormat,
    path: String,
) -> CmdResult<()> {
    let text = backend.paneldeck().bulk_export_history(&op_id, format)?;
    Ok(write_bytes_atomic(
        &super::files::path_from(&path)?,
        text.as_bytes(),
    )?)
}
