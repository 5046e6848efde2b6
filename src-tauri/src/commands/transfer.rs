//! Offline account files: export a selection to CSV/JSON; import a file or migrate a panel's
//! accounts to another panel, previewed as a diff first, then written by the bulk engine.

use paneldeck_core::{
    accounts::Selection,
    bulk::{BulkPlan, OpId, OpWhat},
    registry::PanelId,
    transfer::{ExportOptions, ExportSummary, PlanOptions, PlanPreview, SourceFormat},
    CoreError,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};

use super::{
    files::path_from,
    jobs::{job, job_key},
    CmdResult,
};
use crate::Backend;

/// Writes the selection's accounts to `path` in the documented schema (`docs/formats.md`),
/// streaming `JobProgressed` under `job_id`; `job_cancel` stops it and nothing is written.
#[tauri::command]
#[specta::specta]
pub async fn accounts_export(
    app: AppHandle,
    backend: State<'_, Backend>,
    selection: Selection,
    options: ExportOptions,
    path: String,
    job_id: String,
) -> CmdResult<ExportSummary> {
    let path = path_from(&path)?;
    let ticket = backend.jobs().register(&job_key(&job_id)).await?;
    let mut job = job(app, &job_id, ticket.cancel.clone());
    let core = backend.paneldeck().clone();
    // Encoding 100,000 accounts is CPU work: off the async threads.
    let summary = tokio::task::spawn_blocking(move || {
        core.export_accounts_job(&selection, options, &path, &mut job)
    })
    .await
    .map_err(|e| CoreError::Internal(format!("the export stopped: {e}")))??;
    Ok(summary)
}

/// How a file or a migration maps onto the target panel.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportOptions {
    /// 3x-ui: inbounds for rows whose own inbounds do not exist on the target.
    #[specta(type = Vec<specta_typescript::Number>)]
    pub xui_inbound_ids: Vec<i64>,
    /// Leave existing accounts alone.
    pub create_only: bool,
    /// Panels of the file's panel column whose rows go to the target too (rows of other
    /// panels are left out).
    #[serde(default)]
    pub from_panels: Vec<String>,
}

impl From<ImportOptions> for PlanOptions {
    fn from(o: ImportOptions) -> Self {
        PlanOptions {
            xui_inbound_ids: o.xui_inbound_ids,
            create_only: o.create_only,
            from_panels: o.from_panels,
        }
    }
}

/// A diff nothing has been written for yet; `confirm` it by `previewId`.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub preview_id: String,
    /// What the operation will be called (worded by the UI).
    pub title: OpWhat,
    /// `None` for a migration.
    pub format: Option<SourceFormat>,
    pub preview: PlanPreview,
}

/// Reads, validates and diffs a CSV/JSON file (ours or 3x-ui's export) against a panel.
#[tauri::command]
#[specta::specta]
pub async fn import_preview(
    backend: State<'_, Backend>,
    path: String,
    panel_id: PanelId,
    options: ImportOptions,
) -> CmdResult<ImportPreview> {
    let path = path_from(&path)?;
    let core = backend.paneldeck();
    let panel = core.panel(&panel_id)?;
    let (format, plan) = core
        .import_plan_file(&path, &panel_id, &options.into())
        .await?;
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let title = OpWhat::Import {
        file: file.unwrap_or_default(),
        panel: panel.name,
    };
    Ok(keep(&backend, title, Some(format), plan))
}

/// Diffs copying accounts of `from` (all, or the selection's ones on it) onto `to`.
#[tauri::command]
#[specta::specta]
pub async fn migration_preview(
    backend: State<'_, Backend>,
    from: PanelId,
    to: PanelId,
    selection: Option<Selection>,
    options: ImportOptions,
) -> CmdResult<ImportPreview> {
    let core = backend.paneldeck();
    let (source, target) = (core.panel(&from)?, core.panel(&to)?);
    let plan = core
        .migration_plan(&from, &to, selection.as_ref(), &options.into())
        .await?;
    let title = OpWhat::Migrate {
        from: source.name,
        to: target.name,
    };
    Ok(keep(&backend, title, None, plan))
}

fn keep(
    backend: &Backend,
    title: OpWhat,
    format: Option<SourceFormat>,
    plan: paneldeck_core::transfer::ImportPlan,
) -> ImportPreview {
    let preview_id = OpId::new().0;
    let preview = plan.preview();
    backend
        .imports()
        .insert(preview_id.clone(), (title.clone(), plan));
    ImportPreview {
        preview_id,
        title,
        format,
        preview,
    }
}

/// Turns a previewed import or migration into a bulk plan (journaled); run it with
/// `bulk_run`. The preview is used once. A file with bad rows writes nothing unless
/// `skip_bad_rows` (the user's choice to import the good rows alone).
#[tauri::command(async)]
#[specta::specta]
pub fn import_confirm(
    backend: State<'_, Backend>,
    preview_id: String,
    skip_bad_rows: bool,
) -> CmdResult<BulkPlan> {
    let (title, plan) = backend
        .imports()
        .get(&preview_id)
        .cloned()
        .ok_or_else(|| CoreError::NotFound("this preview is no longer available".into()))?;
    let bulk = backend
        .paneldeck()
        .import_apply_file(title, &plan, skip_bad_rows)?;
    // Kept until planning worked, so a failure can be confirmed again.
    backend.imports().remove(&preview_id);
    Ok(bulk)
}

/// Forgets a preview the user closed.
#[tauri::command]
#[specta::specta]
pub fn import_discard(backend: State<'_, Backend>, preview_id: String) {
    backend.imports().remove(&preview_id);
}
