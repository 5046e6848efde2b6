//! The tray icon: its menu (open, sync now, pause alerts, quit), a tooltip with the state
//! (panels down, accounts needing attention), and closing the window to it. Its words come
//! from the UI's language (see [`crate::shell_texts`]).

use std::sync::Arc;

use paneldeck_core::{accounts::now_ms, Paneldeck};
use serde::Serialize;
use tauri::{
    menu::{Menu, MenuItem},
    tray::TrayIconBuilder,
    AppHandle, Manager, WindowEvent, Wry,
};
use tauri_specta::Event;

use crate::{
    events,
    shell_texts::{ShellTexts, ShellWords},
};

const TRAY_ID: &str = "main";
/// "Pause alerts" holds them back this long.
const PAUSE_MS: i64 = 60 * 60_000;

/// The tray menu's items, kept to reword them when the UI's language changes.
pub struct TrayMenu {
    menu: Menu<Wry>,
    open: MenuItem<Wry>,
    sync: MenuItem<Wry>,
    pause: MenuItem<Wry>,
    quit: MenuItem<Wry>,
    core: Arc<Paneldeck>,
}

/// One item of the tray menu as the tray shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TrayItem {
    pub id: String,
    pub text: String,
}

impl TrayMenu {
    fn paused(&self) -> bool {
        self.core
            .alert_settings()
            .is_ok_and(|s| s.paused_until_ms.is_some_and(|t| now_ms() < t))
    }

    /// Words every item in `texts`.
    pub fn reword(&self, texts: &ShellTexts) {
        let pause = if self.paused() {
            &texts.resume_alerts
        } else {
            &texts.pause_alerts
        };
        for (item, text) in [
            (&self.open, &texts.open),
            (&self.sync, &texts.sync_now),
            (&self.pause, pause),
            (&self.quit, &texts.quit),
        ] {
            if let Err(err) = item.set_text(text) {
                tracing::warn!(%err, "cannot reword the tray menu");
            }
        }
    }

    /// The items of the menu the tray icon was built with, read back from it.
    pub fn items(&self) -> tauri::Result<Vec<TrayItem>> {
        let mut items = Vec::new();
        for item in self.menu.items()? {
            if let Some(entry) = item.as_menuitem() {
                items.push(TrayItem {
                    id: entry.id().0.clone(),
                    text: entry.text()?,
                });
            }
        }
        Ok(items)
    }
}

pub fn install(app: &AppHandle, core: Arc<Paneldeck>) -> tauri::Result<()> {
    let texts = app.state::<ShellWords>().get();
    let open = MenuItem::with_id(app, "open", &texts.open, true, None::<&str>)?;
    let sync = MenuItem::with_id(app, "sync", &texts.sync_now, true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause", &texts.pause_alerts, true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", &texts.quit, true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &sync, &pause, &quit])?;
    let handler_core = core.clone();
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Paneldeck")
        .menu(&menu)
        .on_menu_event(move |app, event| match event.id.as_ref() {
            "open" => show_window(app),
            "sync" => sync_now(app, handler_core.clone()),
            "pause" => toggle_pause(app, &handler_core),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayMenu {
        menu,
        open,
        sync,
        pause,
        quit,
        core,
    });
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

/// Pauses alerts for an hour, or resumes them when they are held back.
fn toggle_pause(app: &AppHandle, core: &Paneldeck) {
    let paused = core.alert_settings().map(|s| s.holding(now_ms()));
    let until = match paused {
        Ok(true) => None,
        _ => Some(now_ms() + PAUSE_MS),
    };
    if let Err(err) = core.pause_alerts(until) {
        tracing::warn!(%err, "cannot pause alerts");
    }
    if let Some(tray) = app.try_state::<TrayMenu>() {
        tray.reword(&app.state::<ShellWords>().get());
    }
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
    let text = app.state::<ShellWords>().get().tooltip(down, attention);
    let _ = tray.set_tooltip(Some(text));
}
