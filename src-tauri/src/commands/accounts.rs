//! Accounts: sync, the windowed table query, the detail pane and its actions, the dashboard.

use paneldeck_core::{
    accounts::{
        dashboard::Dashboard,
        model::{Account, AccountKey},
        query::{AccountDetail, AccountPage, AccountQuery},
        sync::{PanelHealth, SyncOptions},
    },
    actions::{AccountAction, AccountEdit, ActionOutcome, ClientIpList, CreateOptions, NewAccount},
    ApiError, ErrorCode, PanelId,
};
use tauri::{AppHandle, State};
use tauri_specta::Event;

use super::{jobs::job_key, CmdResult};
use crate::{backend::SYNC_JOB, events::SyncProgress, Backend};

/// One window of the filtered, sorted accounts (the table asks only for what is on screen).
/// Runs on the async runtime's threads, not the main one: the query filters and partly sorts
/// the whole snapshot, and the webview's main loop must keep drawing frames meanwhile.
#[tauri::command(async)]
#[specta::specta]
pub fn accounts_query(backend: State<'_, Backend>, query: AccountQuery) -> CmdResult<AccountPage> {
    Ok(backend.paneldeck().query_accounts(&query)?)
}

/// Keys of every account matching the query ("select all that match"); off the main thread.
#[tauri::command(async)]
#[specta::specta]
pub fn accounts_keys(
    backend: State<'_, Backend>,
    query: AccountQuery,
) -> CmdResult<Vec<AccountKey>> {
    Ok(backend.paneldeck().query_keys(&query)?)
}

/// Keys of the query's window only (`offset`, `limit`): a shift-click range; off the main
/// thread.
#[tauri::command(async)]
#[specta::specta]
pub fn accounts_key_range(
    backend: State<'_, Backend>,
    query: AccountQuery,
) -> CmdResult<Vec<AccountKey>> {
    Ok(backend.paneldeck().query_key_range(&query)?)
}

#[tauri::command]
#[specta::specta]
pub fn account_detail(backend: State<'_, Backend>, key: AccountKey) -> CmdResult<AccountDetail> {
    Ok(backend.paneldeck().account_detail(&key)?)
}

/// Syncs one panel or all of them, streaming `SyncProgress` events. One sync at a time;
/// `accounts_sync_cancel` stops it (panels that finished keep their new snapshot).
#[tauri::command]
#[specta::specta]
pub async fn accounts_sync(
    app: AppHandle,
    backend: State<'_, Backend>,
    panel_id: Option<PanelId>,
) -> CmdResult<Vec<PanelHealth>> {
    let Ok(_running) = backend.sync_lock().try_lock() else {
        return Err(ApiError {
            code: ErrorCode::Conflict,
            message: "A sync is already running.".into(),
            fields: Vec::new(),
            fingerprint: None,
            changes: Vec::new(),
        });
    };
    let emit = move |event| {
        let _ = SyncProgress(event).emit(&app);
    };
    let ticket = backend.jobs().register(&job_key(SYNC_JOB)).await?;
    let core = backend.paneldeck();
    let opts = SyncOptions::default();
    Ok(core
        .sync_until(panel_id.as_ref(), opts, emit, &ticket.cancel)
        .await?)
}

/// Stops the user's sync: no new page is fetched; panels not finished keep their last
/// snapshot and report `cancelled`. False when no sync runs.
#[tauri::command]
#[specta::specta]
pub fn accounts_sync_cancel(backend: State<'_, Backend>) -> bool {
    backend.jobs().cancel(&job_key(SYNC_JOB))
}

#[tauri::command]
#[specta::specta]
pub fn panels_health(backend: State<'_, Backend>) -> CmdResult<Vec<PanelHealth>> {
    Ok(backend.paneldeck().panel_health()?)
}

#[tauri::command]
#[specta::specta]
pub fn dashboard_get(backend: State<'_, Backend>) -> CmdResult<Dashboard> {
    Ok(backend
        .paneldeck()
        .dashboard(paneldeck_core::accounts::model::now_ms())?)
}

#[tauri::command]
#[specta::specta]
pub async fn account_action(
    backend: State<'_, Backend>,
    key: AccountKey,
    action: AccountAction,
) -> CmdResult<ActionOutcome> {
    Ok(backend.paneldeck().account_action(&key, &action).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn account_edit(
    backend: State<'_, Backend>,
    key: AccountKey,
    edit: AccountEdit,
    seen: Option<Account>,
) -> CmdResult<ActionOutcome> {
    Ok(backend
        .paneldeck()
        .account_edit(&key, &edit, seen.as_ref())
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn account_create(
    backend: State<'_, Backend>,
    panel_id: PanelId,
    account: NewAccount,
) -> CmdResult<Vec<ActionOutcome>> {
    Ok(backend
        .paneldeck()
        .account_create(&panel_id, &account)
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn account_ips(backend: State<'_, Backend>, key: AccountKey) -> CmdResult<ClientIpList> {
    Ok(backend.paneldeck().account_ips(&key).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn account_create_options(
    backend: State<'_, Backend>,
    panel_id: PanelId,
) -> CmdResult<CreateOptions> {
    Ok(backend.paneldeck().create_options(&panel_id).await?)
}
