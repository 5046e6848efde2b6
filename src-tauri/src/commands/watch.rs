//! Usage history (charts, reports) and alert settings.

use paneldeck_core::{
    alerts::AlertSettings,
    history::{HistoryRange, HistoryScope, ReportBy, ReportRow, UsageOverview, UsagePoint},
};
use tauri::State;

use super::{files::path_from, CmdResult};
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

/// A report file: CSV made here, or the printable page the UI made in its language.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ReportFile {
    #[serde(rename_all = "camelCase")]
    Csv { by: ReportBy, days: u32 },
    /// A whole HTML page; the UI escapes every text that came from a panel.
    #[serde(rename_all = "camelCase")]
    Html { page: String },
}

/// Writes a report to the file the user chose; returns the full path written.
#[tauri::command(async)]
#[specta::specta]
pub fn usage_report_save(
    backend: State<'_, Backend>,
    file: ReportFile,
    path: String,
) -> CmdResult<String> {
    let path = path_from(&path)?;
    match file {
        ReportFile::Csv { by, days } => {
            backend.paneldeck().save_usage_report_csv(by, days, &path)?
        }
        ReportFile::Html { page } => {
            paneldeck_core::files::write_bytes_atomic(&path, page.as_bytes())?
        }
    }
    Ok(path.display().to_string())
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
