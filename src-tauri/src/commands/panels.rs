//! Panel registry commands.

use paneldeck_core::{registry, PanelId, PanelInput, PanelView};
use paneldeck_panels::ProbeInfo;
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tauri_specta::Event;

use super::CmdResult;
use crate::{events::PanelsChanged, Backend};

/// Facts about the running app the UI shows (mode, where data lives).
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub demo: bool,
    pub data_dir: String,
    pub secret_store: String,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(backend: State<'_, Backend>) -> AppInfo {
    let core = backend.paneldeck();
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        demo: backend.is_demo(),
        data_dir: core.profile().dir().display().to_string(),
        secret_store: core.secret_store_name().to_owned(),
    }
}

/// Opens the panel's web page in the default browser: its address without credentials,
/// query or fragment (see `PanelView::browser_url`).
#[tauri::command]
#[specta::specta]
pub fn panel_open_in_browser(
    app: AppHandle,
    backend: State<'_, Backend>,
    panel_id: PanelId,
) -> CmdResult<()> {
    let url = backend.paneldeck().panel(&panel_id)?.browser_url()?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| paneldeck_core::CoreError::Internal(format!("no browser opened: {e}")))?;
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub fn panels_list(backend: State<'_, Backend>) -> CmdResult<Vec<PanelView>> {
    Ok(backend.paneldeck().list_panels()?)
}

/// Tests a panel as typed in the form, saving nothing. `editing` is the id when editing.
#[tauri::command]
#[specta::specta]
pub async fn panels_test_draft(
    backend: State<'_, Backend>,
    input: PanelInput,
    editing: Option<PanelId>,
) -> CmdResult<ProbeInfo> {
    Ok(backend
        .paneldeck()
        .test_draft(&input, editing.as_ref())
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn panels_test(backend: State<'_, Backend>, id: PanelId) -> CmdResult<ProbeInfo> {
    Ok(backend.paneldeck().test_panel(&id).await?)
}

/// Adds a panel; with `verify` the connection must work first (nothing is saved otherwise).
/// `max_answer_mib` is its answer size cap (None = the default 128 MiB), checked first.
#[tauri::command]
#[specta::specta]
pub async fn panels_add(
    app: AppHandle,
    backend: State<'_, Backend>,
    input: PanelInput,
    verify: bool,
    max_answer_mib: Option<u32>,
) -> CmdResult<PanelView> {
    let core = backend.paneldeck();
    registry::check_max_answer_mib(max_answer_mib)?;
    let mut panel = core.add_panel(input, verify).await?;
    if max_answer_mib.is_some() {
        panel = core.set_max_answer_mib(&panel.id, max_answer_mib)?;
    }
    let _ = PanelsChanged.emit(&app);
    Ok(panel)
}

/// Edits a panel and sets its answer size cap (None = back to the default).
#[tauri::command]
#[specta::specta]
pub async fn panels_update(
    app: AppHandle,
    backend: State<'_, Backend>,
    id: PanelId,
    input: PanelInput,
    verify: bool,
    max_answer_mib: Option<u32>,
) -> CmdResult<PanelView> {
    let core = backend.paneldeck();
    registry::check_max_answer_mib(max_answer_mib)?;
    core.update_panel(&id, input, verify).await?;
    let panel = core.set_max_answer_mib(&id, max_answer_mib)?;
    let _ = PanelsChanged.emit(&app);
    Ok(panel)
}

#[tauri::command]
#[specta::specta]
pub fn panels_remove(app: AppHandle, backend: State<'_, Backend>, id: PanelId) -> CmdResult<()> {
    backend.paneldeck().remove_panel(&id)?;
    let _ = PanelsChanged.emit(&app);
    Ok(())
}
