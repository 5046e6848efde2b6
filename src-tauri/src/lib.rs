//! The app shell: starts the backend (a real profile, or demo mode), registers the typed
//! commands and events, and runs the window. Logic lives in `paneldeck-core`.

mod backend;
mod commands;
mod events;
mod rendering;
mod runs;
mod shell_texts;
mod tray;
mod updates;

pub use backend::{Backend, Mode};

use tauri::Manager;

/// Everything the UI can call or listen to, declared once; the TypeScript bindings in
/// `ui/src/bindings.ts` are generated from this.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::panels::app_info,
            commands::panels::panels_list,
            commands::panels::panels_test_draft,
            commands::panels::panels_test,
            commands::panels::panels_add,
            commands::panels::panels_update,
            commands::panels::panels_remove,
            commands::accounts::accounts_query,
            commands::accounts::accounts_keys,
            commands::accounts::account_detail,
            commands::accounts::accounts_sync,
            commands::accounts::accounts_sync_cancel,
            commands::jobs::job_cancel,
            commands::panels::panel_open_in_browser,
            commands::accounts::panels_health,
            commands::accounts::dashboard_get,
            commands::accounts::account_action,
            commands::accounts::account_edit,
            commands::accounts::account_create,
            commands::accounts::account_ips,
            commands::accounts::account_create_options,
            commands::accounts::accounts_key_range,
            commands::bulk::bulk_plan,
            commands::bulk::bulk_plan_get,
            commands::bulk::bulk_discard,
            commands::bulk::bulk_revert_plan,
            commands::bulk::bulk_run,
            commands::bulk::bulk_cancel,
            commands::bulk::bulk_history,
            commands::bulk::bulk_status,
            commands::bulk::bulk_items,
            commands::bulk::bulk_export_history,
            commands::links::account_links,
            commands::links::link_qr,
            commands::links::links_export,
            commands::transfer::accounts_export,
            commands::transfer::import_preview,
            commands::transfer::migration_preview,
            commands::transfer::import_confirm,
            commands::transfer::import_discard,
            commands::files::default_path,
            commands::files::pick_path,
            commands::settings::settings_get,
            commands::settings::settings_save,
            commands::settings::folder_open,
            commands::settings::profile_export,
            commands::settings::profile_import_preview,
            commands::settings::profile_import,
            updates::update_check,
            updates::update_install,
            commands::watch::usage_overview,
            commands::watch::usage_series,
            commands::watch::usage_report,
            commands::watch::usage_report_save,
            commands::watch::alert_settings_get,
            commands::watch::alert_settings_set,
            commands::watch::alert_telegram_token_set,
            commands::watch::alert_telegram_token_present,
            commands::shell::shell_texts_set,
            commands::shell::tray_menu,
        ])
        .events(tauri_specta::collect_events![
            events::PanelsChanged,
            events::SyncProgress,
            events::BulkProgressed,
            events::JobProgressed,
            events::SnapshotChanged,
            events::AlertsRaised
        ])
        .typ::<paneldeck_core::ErrorCode>()
}

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default().header(
                "// Generated from the Rust commands by `cargo xtask bindings`. Do not edit.\n",
            ),
            path,
        )
        .map_err(|e| e.to_string())
}

/// How often the background sync looks for panels that are due, and how often a panel is
/// synced when its settings do not say. Every panel is synced once at start.
const SYNC_TICK: std::time::Duration = std::time::Duration::from_secs(30);
const DEFAULT_SYNC_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15 * 60);

fn start_background_sync(app: tauri::AppHandle, core: std::sync::Arc<paneldeck_core::Paneldeck>) {
    use tauri_specta::Event;
    tauri::async_runtime::spawn(async move {
        let emit = move |event| {
            let _ = events::SyncProgress(event).emit(&app);
        };
        // Runs for the app's lifetime; the handle is not needed to stop it.
        let _periodic = core.spawn_periodic_sync(SYNC_TICK, Some(DEFAULT_SYNC_INTERVAL), emit);
    });
}

/// Runs the alert rules every tick (after the syncs it follows): new alerts go to the window
/// and to Telegram and the webhook, as configured.
fn start_alert_rounds(app: tauri::AppHandle, core: std::sync::Arc<paneldeck_core::Paneldeck>) {
    use tauri_specta::Event;
    tauri::async_runtime::spawn(async move {
        let mut timer = tokio::time::interval(SYNC_TICK);
        timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            timer.tick().await;
            tray::refresh(&app, &core);
            let alerts = match core.alert_round() {
                Ok(alerts) if !alerts.is_empty() => alerts,
                Ok(_) => continue,
                Err(err) => {
                    tracing::warn!(%err, "alert round failed");
                    continue;
                }
            };
            let _ = events::AlertsRaised(alerts.clone()).emit(&app);
            notify(&app, &core, &alerts);
            match core.deliver_alerts(&alerts).await {
                Ok(failures) => {
                    for f in failures {
                        tracing::warn!(channel = ?f.channel, message = %f.message, "alert not sent");
                    }
                }
                Err(err) => tracing::warn!(%err, "alerts not sent"),
            }
        }
    });
}

/// Forwards the core's snapshot changes to the window, whoever made them (a detail-pane
/// action, a bulk run's re-sync, the background sync).
fn forward_snapshot_changes(app: tauri::AppHandle, core: &paneldeck_core::Paneldeck) {
    use tauri_specta::Event;
    let mut changes = core.snapshot_changes();
    tauri::async_runtime::spawn(async move {
        while let Some(change) = changes.next().await {
            let _ = events::SnapshotChanged(change).emit(&app);
        }
    });
}

/// One OS notification per alert, through the notification plugin, when that channel is on,
/// worded in the UI's language.
fn notify(
    app: &tauri::AppHandle,
    core: &paneldeck_core::Paneldeck,
    alerts: &[paneldeck_core::alerts::Alert],
) {
    use tauri_plugin_notification::NotificationExt;
    if !core.alert_settings().is_ok_and(|s| s.channels.os) {
        return;
    }
    let texts = app.state::<shell_texts::ShellWords>().get();
    for alert in alerts {
        let body = texts.notification(alert);
        if let Err(err) = app
            .notification()
            .builder()
            .title("Paneldeck")
            .body(body)
            .show()
        {
            tracing::warn!(%err, "cannot show a notification");
        }
    }
}

pub fn run() {
    // First: it may set the environment, which only a process with one thread may do safely.
    let painting = rendering::choose();
    let mode = Mode::from_env();
    let builder = specta_builder();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let backend = tauri::async_runtime::block_on(Backend::start(mode))?;
            paneldeck_core::logging::init(&backend.paneldeck().profile().log_dir(), "warn");
            tracing::info!(demo = backend.is_demo(), ?painting, "Paneldeck started");
            forward_snapshot_changes(app.handle().clone(), backend.paneldeck());
            start_background_sync(app.handle().clone(), backend.paneldeck().clone());
            app.manage(shell_texts::ShellWords::default());
            start_alert_rounds(app.handle().clone(), backend.paneldeck().clone());
            tray::install(app.handle(), backend.paneldeck().clone())?;
            app.manage(backend);
            Ok(())
        })
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(backend) = handle.try_state::<Backend>() {
                    backend.on_exit();
                }
            }
        }),
        Err(err) => {
            eprintln!("Paneldeck could not start: {err}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed TypeScript bindings must match the Rust commands. Regenerate with
    /// `cargo xtask bindings`.
    #[test]
    fn bindings_are_current() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let fresh = dir.path().join("bindings.ts");
        export_bindings(&fresh).unwrap_or_else(|e| panic!("export failed: {e}"));
        let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        if std::env::var_os("PANELDECK_WRITE_BINDINGS").is_some() {
            std::fs::copy(&fresh, &committed).unwrap_or_else(|e| panic!("write bindings: {e}"));
            return;
        }
        let fresh = std::fs::read_to_string(&fresh).unwrap_or_default();
        let committed = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            fresh == committed,
            "ui/src/bindings.ts is stale: run `cargo xtask bindings` and commit the result"
        );
    }
}
