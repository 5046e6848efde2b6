//! The app shell: starts the backend (a real profile, or demo mode), registers the typed
//! commands and events, and runs the window. Logic lives in `paneldeck-core`.

mod backend;
mod commands;
mod events;
mod logging;

pub use backend::{Backend, Mode};

use tauri::Manager;

/// Everything the UI can call or listen to, declared once; the TypeScript bindings in
/// `ui/src/bindings.ts` are generated from this.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::panels_list,
            commands::panels_test_draft,
            commands::panels_test,
            commands::panels_add,
            commands::panels_update,
            commands::panels_remove,
        ])
        .events(tauri_specta::collect_events![events::PanelsChanged])
        .typ::<paneldeck_core::ErrorCode>()
}

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated from the Rust commands by `cargo xtask bindings`. Do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

pub fn run() {
    let mode = Mode::from_env();
    let builder = specta_builder();
    let app = tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let backend = tauri::async_runtime::block_on(Backend::start(mode))?;
            logging::init(&backend.paneldeck().profile().log_dir());
            tracing::info!(demo = backend.is_demo(), "Paneldeck started");
            app.manage(backend);
            Ok(())
        })
        .build(tauri::generate_context!("../tauri.conf.json"));
    match app {
        Ok(app) => app.run(|_, _| {}),
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
