//! Links, QR codes and link exports.

use paneldeck_core::CoreError;
use paneldeck_core::{
    accounts::{AccountKey, Selection},
    links::{
        export::{save_links_job, LinkSave, LinksRead, UnreadLinks},
        qr_svg, AccountLink,
    },
};
use serde::Serialize;
use tauri::{AppHandle, State};

use super::{
    files::path_from,
    jobs::{job, job_key},
    CmdResult,
};
use crate::Backend;

/// Every link of one account: the panel's own, built ones, subscription URLs, proxy strings.
#[tauri::command]
#[specta::specta]
pub async fn account_links(
    backend: State<'_, Backend>,
    key: AccountKey,
) -> CmdResult<Vec<AccountLink>> {
    Ok(backend.paneldeck().account_links(&key).await?)
}

/// A QR code of `text` as SVG markup (scales crisply to any size).
#[tauri::command(async)]
#[specta::specta]
pub fn link_qr(text: String) -> CmdResult<String> {
    Ok(qr_svg(&text)?)
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LinksSaved {
    pub accounts: u32,
    pub links: u32,
    pub files: u32,
    pub path: String,
    /// Accounts left out: their links could not be read.
    pub unread: Vec<UnreadLinks>,
}

/// Writes the links of a selection: a list, QR images (folder or ZIP) or a printable sheet,
/// streaming `JobProgressed` under `job_id`; `job_cancel` stops it and nothing is written.
#[tauri::command]
#[specta::specta]
pub async fn links_export(
    app: AppHandle,
    backend: State<'_, Backend>,
    selection: Selection,
    save: LinkSave,
    path: String,
    job_id: String,
) -> CmdResult<LinksSaved> {
    let path = path_from(&path)?;
    let shown_path = path.display().to_string();
    let ticket = backend.jobs().register(&job_key(&job_id)).await?;
    let mut job = job(app, &job_id, ticket.cancel.clone());
    let core = backend.paneldeck().clone();
    let keys = core.selection_keys(&selection)?;
    let LinksRead { entries, unread } = core.links_of_job(&keys, &mut job).await?;
    // Drawing thousands of QR images is CPU work: off the async threads.
    let (entries, files) = tokio::task::spawn_blocking(move || {
        let files = save_links_job(&entries, save, &path, &mut job);
        (entries, files)
    })
    .await
    .map_err(|e| CoreError::Internal(format!("the export stopped: {e}")))?;
    let files = files?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(LinksSaved {
        accounts: count(entries.len()),
        links: count(entries.iter().map(|e| e.links.len()).sum()),
        files: count(files),
        path: shown_path,
        unread,
    })
}
