//! The words outside the window (tray, OS notifications) and what the tray shows.

use paneldeck_core::CoreError;
use tauri::{AppHandle, Manager, State};

use super::CmdResult;
use crate::{
    shell_texts::{ShellTexts, ShellWords},
    tray::{self, TrayItem, TrayMenu},
    Backend,
};

/// The UI sends its words whenever its language changes; the tray is reworded at once.
#[tauri::command]
#[specta::specta]
pub fn shell_texts_set(app: AppHandle, backend: State<'_, Backend>, texts: ShellTexts) {
    if let Some(menu) = app.try_state::<TrayMenu>() {
        menu.reword(&texts);
    }
    app.state::<ShellWords>().set(texts);
    tray::refresh(&app, backend.paneldeck());
}

/// The tray menu's items as the tray icon holds them (the window tests read them; empty when
/// the tray could not be made).
#[tauri::command]
#[specta::specta]
pub fn tray_menu(app: AppHandle) -> CmdResult<Vec<TrayItem>> {
    let Some(menu) = app.try_state::<TrayMenu>() else {
        return Ok(Vec::new());
    };
    menu.items()
        .map_err(|e| CoreError::Internal(format!("cannot read the tray menu: {e}")).into())
}
