//! Signed updates through Tauri's updater plugin. The manifest URL is the user's setting (no
//! URL, no checks); the public key the update files must be signed with is
//! `plugins.updater.pubkey` in tauri.conf.json, filled in by the release workflow. The plugin
//! verifies the minisign signature of the downloaded file before installing it.

use paneldeck_core::{app_settings::AppSettings, CoreError};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_updater::{Update, UpdaterBuilder, UpdaterExt};

use crate::{commands::CmdResult, Backend};

/// An update the manifest offers, as the Settings page shows it before installing.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// What is new, as the release wrote it.
    pub notes: Option<String>,
    /// RFC 3339, when the manifest gives it.
    pub date: Option<String>,
}

/// The key this build trusts, if the build carries one.
pub fn public_key<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    app.config()
        .plugins
        .0
        .get("updater")
        .and_then(|c| c.get("pubkey"))
        .and_then(|k| k.as_str())
        .filter(|k| !k.trim().is_empty())
        .map(str::to_owned)
}

/// The plugin's updater for `manifest_url`, trusting only the key this build carries.
pub fn updater_builder<R: Runtime>(
    app: &AppHandle<R>,
    manifest_url: &str,
) -> Result<UpdaterBuilder, CoreError> {
    let key = public_key(app).ok_or_else(|| {
        CoreError::UpdateRejected("this build carries no update key; updates are off".into())
    })?;
    let url = manifest_url
        .parse()
        .map_err(|_| CoreError::invalid("The update manifest's address is not a URL."))?;
    app.updater_builder()
        .pubkey(key)
        .endpoints(vec![url])
        .map_err(update_error)
}

/// Asks the manifest at `manifest_url` whether a newer version exists.
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    manifest_url: &str,
) -> Result<Option<Update>, CoreError> {
    check_with(updater_builder(app, manifest_url)?).await
}

async fn check_with(builder: UpdaterBuilder) -> Result<Option<Update>, CoreError> {
    let updater = builder.build().map_err(update_error)?;
    updater.check().await.map_err(update_error)
}

/// Downloads the update and checks its signature; only then are the bytes returned.
pub async fn download_verified(update: &Update) -> Result<Vec<u8>, CoreError> {
    update
        .download(|_, _| {}, || {})
        .await
        .map_err(update_error)
}

/// Installs downloaded bytes; the plugin checks the signature again before writing anything.
pub fn install(update: &Update, bytes: &[u8]) -> Result<(), CoreError> {
    update.install(bytes).map_err(update_error)
}

/// The plugin's errors in the words the user needs: a bad signature is a refusal, not a glitch.
fn update_error(err: tauri_plugin_updater::Error) -> CoreError {
    use tauri_plugin_updater::Error as E;
    match err {
        E::Minisign(_) | E::Base64(_) | E::SignatureUtf8(_) => CoreError::UpdateRejected(
            "the update's signature does not match this app's key; it was not installed".into(),
        ),
        E::SignedVersionMismatch { .. } | E::MissingSignedVersion => CoreError::UpdateRejected(
            "the manifest announces another version than the one signed; it was not installed"
                .into(),
        ),
        E::Serialization(_) | E::ReleaseNotFound | E::TargetNotFound(_) | E::TargetsNotFound(_) => {
            CoreError::UpdateRejected(format!("the update manifest is not usable: {err}"))
        }
        E::InsecureTransportProtocol => {
            CoreError::UpdateRejected("the update manifest must be served over https".into())
        }
        other => CoreError::UpdateRejected(format!("the update failed: {other}")),
    }
}

fn manifest_url(backend: &Backend) -> Result<String, CoreError> {
    AppSettings::load(backend.paneldeck().profile())?
        .updates
        .manifest_url
        .ok_or_else(|| CoreError::invalid("Set the update manifest's address first."))
}

fn offer(update: &Update) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone(),
        date: update.date.and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        }),
    }
}

#[tauri::command]
#[specta::specta]
pub async fn update_check(
    app: AppHandle,
    backend: State<'_, Backend>,
) -> CmdResult<Option<UpdateOffer>> {
    let url = manifest_url(&backend)?;
    Ok(check(&app, &url).await?.as_ref().map(offer))
}

/// Downloads, verifies and installs the offered update, then restarts into it.
#[tauri::command]
#[specta::specta]
pub async fn update_install(app: AppHandle, backend: State<'_, Backend>) -> CmdResult<()> {
    let url = manifest_url(&backend)?;
    let update = check(&app, &url)
        .await?
        .ok_or_else(|| CoreError::NotFound("no newer version is offered".into()))?;
    let bytes = download_verified(&update).await?;
    install(&update, &bytes)?;
    app.restart()
}

#[cfg(test)]
mod tests;
