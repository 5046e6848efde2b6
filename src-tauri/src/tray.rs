//! The tray icon: its menu (open, sync now, pause alerts, quit), a tooltip with the state
//! (panels down, accounts needing attention), and closing the window to it. The menu is
//! native and worded in English, like the CLI.

use std::sync::Arc;

use paneldeck_core::{accounts::now_ms, Paneldeck};
use tauri::{
    menu::{Menu, MenuItem},
    tray::TrayIconBuilder,
    AppHandle, Manager, WindowEvent,
};
use tauri_specta::Event;

use crate::events;

const TRAY_ID: &str = "main";
/// "Pause alerts" holds them back this long.
const PAUSE_MS: i64 = 60 * 60_000;

pub fn install(app: &AppHandle, core: Arc<Paneldeck>) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Paneldeck", true, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", "Sync now", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause", "Pause alerts for an hour", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &sync, &pause, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Paneldeck")
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => show_window(app),
            "sync" => sync_now(app, core.clone()),
            "pause" => {
                let paused = core.alert_settings().map(|s| s.holding(now_ms()));
                let until = match paused {
                    Ok(true) => None,
                    _ => Some(now_ms() + PAUSE_MS),
                };
                if let Err(err) = core.pause_alerts(until) {
                    tracing::warn!(%err, "cannot pause alerts");
                }
                let label = if until.is_some() {
                    "Resume alerts"
                } else {
                    "Pause alerts for an hour"
                };
                let _ = pause.set_text(label);
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    // Closing the window hides it: syncs and alerts go on until "Quit".
    if let Some(window) = app.get_webview_window("main") {
        let hidden = window.clone();
        window.on_window_event(move |event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                let _ = hidden.hide();
            }
        });
    }
    Ok(())
}

fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

fn sync_now(app: &AppHandle, core: Arc<Paneldeck>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        core.sync_all(|event| {
            let _ = events::SyncProgress(event).emit(&app);
        })
        .await;
        refresh(&app, &core);
    });
}

/// The tooltip: panels down and accounts needing attention (expiring soon or depleted).
pub fn refresh(app: &AppHandle, core: &Paneldeck) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let Ok(dashboard) = core.dashboard(now_ms()) else {
        return;
    };
    let down = dashboard
        .panels
        .iter()
        .filter(|p| p.reachable == Some(false))
        .count();
    let attention = dashboard.expiring_soon_count + dashboard.depleted_count;
    let text = format!("Paneldeck: {down} panels down, {attention} accounts need attention");
    let _ = tray.set_tooltip(Some(text));
}
