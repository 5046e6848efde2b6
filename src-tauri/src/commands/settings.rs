//! The Settings page: where data and logs live (and opening them), the keyring in use, the
//! version and build, the update settings, and moving the profile to another machine.

use paneldeck_core::{
    app_settings::AppSettings,
    portable::{Conflict, ImportChoice, ImportOutcome, Passphrase, ProfileImport},
    CoreError,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tauri_specta::Event;

use super::{files::path_from, CmdResult};
use crate::{events::PanelsChanged, Backend};

/// What the Settings page shows about this installation.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsInfo {
    pub version: String,
    /// The commit the app was built from, when the build knew it.
    pub commit: Option<String>,
    /// `release` or `debug`.
    pub build_profile: String,
    pub target: String,
    pub demo: bool,
    pub data_dir: String,
    pub log_dir: String,
    pub secret_store: String,
    pub settings: AppSettings,
    /// Whether this build carries the key that update files must be signed with.
    pub update_key_present: bool,
}

#[tauri::command]
#[specta::specta]
pub fn settings_get(app: AppHandle, backend: State<'_, Backend>) -> CmdResult<SettingsInfo> {
    let core = backend.paneldeck();
    Ok(SettingsInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: option_env!("PANELDECK_COMMIT").map(str::to_owned),
        build_profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .to_owned(),
        target: format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH),
        demo: backend.is_demo(),
        data_dir: core.profile().dir().display().to_string(),
        log_dir: core.profile().log_dir().display().to_string(),
        secret_store: core.secret_store_name().to_owned(),
        settings: AppSettings::load(core.profile())?,
        update_key_present: crate::updates::public_key(&app).is_some(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn settings_save(backend: State<'_, Backend>, settings: AppSettings) -> CmdResult<AppSettings> {
    let settings = settings.validated()?;
    settings.save(backend.paneldeck().profile())?;
    Ok(settings)
}

/// The folders the page can open: only these, never a path from the UI.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Folder {
    Data,
    Logs,
}

#[tauri::command]
#[specta::specta]
pub fn folder_open(app: AppHandle, backend: State<'_, Backend>, folder: Folder) -> CmdResult<()> {
    let profile = backend.paneldeck().profile();
    let path = match folder {
        Folder::Data => profile.dir().to_path_buf(),
        Folder::Logs => profile.log_dir(),
    };
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| CoreError::io(&path, "open", std::io::Error::other(e.to_string())))?;
    Ok(())
}

/// Writes the whole profile, secrets included, encrypted with `passphrase` (the page asks
/// for it twice). Returns how many panels the file holds.
#[tauri::command]
#[specta::specta]
pub async fn profile_export(
    backend: State<'_, Backend>,
    path: String,
    passphrase: String,
) -> CmdResult<u32> {
    let path = path_from(&path)?;
    let passphrase = Passphrase::new(passphrase)?;
    let count = backend.paneldeck().export_profile(&path, &passphrase)?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// What an import would bring and overwrite, so the page can ask before anything is written.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfilePreview {
    pub panels: Vec<String>,
    pub conflicts: Vec<Conflict>,
}

#[tauri::command]
#[specta::specta]
pub async fn profile_import_preview(
    backend: State<'_, Backend>,
    path: String,
    passphrase: String,
) -> CmdResult<ProfilePreview> {
    let import = ProfileImport::read(&path_from(&path)?, &Passphrase::new(passphrase)?)?;
    Ok(ProfilePreview {
        panels: import.panel_names().map(str::to_owned).collect(),
        conflicts: import.conflicts(backend.paneldeck())?,
    })
}

/// Imports the file; every conflict gets `on_conflict` (the page asked the user).
#[tauri::command]
#[specta::specta]
pub async fn profile_import(
    app: AppHandle,
    backend: State<'_, Backend>,
    path: String,
    passphrase: String,
    on_conflict: ImportChoice,
) -> CmdResult<ImportOutcome> {
    let import = ProfileImport::read(&path_from(&path)?, &Passphrase::new(passphrase)?)?;
    let outcome = backend
        .paneldeck()
        .import_profile(import, |_| Ok(on_conflict))?;
    let _ = PanelsChanged.emit(&app);
    Ok(outcome)
}
