//! Usage history (charts, reports) and alert settings.

use paneldeck_core::{
    alerts::AlertSettings,
    history::{HistoryRange, HistoryScope, ReportBy, ReportRow, UsageOverview, UsagePoint},
};
use tauri::State;

use super::CmdResult;
use crate::Backend;

/// The dashboard's charts: traffic per panel, top movers, heading for depletion.
#[tauri::command(async)]
#[specta::specta]
pub fn usage_overview(
    backend: State<'_, Backend>,
    range: HistoryRange,
) -> CmdResult<UsageOverview> {
    Ok(backend.paneldeck().usage_overview(range)?)
}

/// Traffic over time of a panel, group, owner or account (the detail pane's chart).
#[tauri::command(async)]
#[specta::specta]
pub fn usage_series(
    backend: State<'_, Backend>,
    scope: HistoryScope,
    range: HistoryRange,
) -> CmdResult<Vec<UsagePoint>> {
    Ok(backend.paneldeck().usage_series(&scope, range)?)
}

#[tauri::command(async)]
#[specta::specta]
pub fn usage_report(
    backend: State<'_, Backend>,
    by: ReportBy,
    days: u32,
) -> CmdResult<Vec<ReportRow>> {
    Ok(backend.paneldeck().usage_report(by, days)?)
}

#[tauri::command(async)]
#[specta::specta]
pub fn alert_settings_get(backend: State<'_, Backend>) -> CmdResult<AlertSettings> {
    Ok(backend.paneldeck().alert_settings()?)
}

#[tauri::command(async)]
#[specta::specta]
pub fn alert_settings_set(backend: State<'_, Backend>, settings: AlertSettings) -> CmdResult<()> {
    Ok(backend.paneldeck().set_alert_settings(&settings)?)
}

/// Keeps the Telegram bot token in the keyring (empty removes it); it never comes back.
#[tauri::command(async)]
#[specta::specta]
pub fn alert_telegram_token_set(backend: State<'_, Backend>, token: String) -> CmdResult<()> {
    Ok(backend.paneldeck().set_telegram_token(Some(token))?)
}

#[tauri::command(async)]
#[specta::specta]
pub fn alert_telegram_token_present(backend: State<'_, Backend>) -> CmdResult<bool> {
    Ok(backend.paneldeck().has_telegram_token()?)
}
