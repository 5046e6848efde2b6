//! Where exports go and imports come from: paths typed by the user or picked in the OS file
//! dialog, and a sensible default folder.

use std::path::PathBuf;

use paneldeck_core::CoreError;
use paneldeck_panels::FieldProblem;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use super::CmdResult;

/// A path from the UI: absolute (`~/` is the home folder), never empty.
pub fn path_from(text: &str) -> Result<PathBuf, CoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::invalid_field(
            "path",
            FieldProblem::Required,
            "choose a file",
        ));
    }
    let path = match text.strip_prefix("~/") {
        Some(rest) => home().join(rest),
        None => PathBuf::from(text),
    };
    if !path.is_absolute() {
        let example = default_dir().join(text).display().to_string();
        return Err(CoreError::invalid_field(
            "path",
            FieldProblem::NotAbsolute {
                example: example.clone(),
            },
            format!("give the full path (for example {example})"),
        ));
    }
    Ok(path)
}

fn home() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.home_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
}

fn default_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|d| {
            d.download_dir()
                .or(d.document_dir())
                .map(|p| p.to_path_buf())
        })
        .unwrap_or_else(home)
}

/// The default place for a file named `name` (the Downloads folder).
#[tauri::command]
#[specta::specta]
pub fn default_path(name: String) -> String {
    default_dir().join(name).display().to_string()
}

/// What the OS dialog picks.
#[derive(Debug, Clone, Copy, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum PickKind {
    /// An existing file to read.
    Open,
    /// A file to write.
    Save,
    /// A folder (QR images).
    Folder,
}

/// Shows the OS file dialog; `None` when the user closes it.
#[tauri::command]
#[specta::specta]
pub async fn pick_path(
    app: AppHandle,
    kind: PickKind,
    suggested: Option<String>,
) -> CmdResult<Option<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file();
    if let Some(s) = suggested.as_deref().and_then(|s| path_from(s).ok()) {
        if let Some(dir) = s.parent() {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = s.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
    }
    let send = move |p: Option<tauri_plugin_dialog::FilePath>| {
        let _ = tx.send(p.map(|p| p.to_string()));
    };
    match kind {
        PickKind::Open => dialog.pick_file(send),
        PickKind::Save => dialog.save_file(send),
        PickKind::Folder => dialog.pick_folder(send),
    }
    Ok(rx.await.unwrap_or(None))
}
