//! Links, QR codes and link exports.

use paneldeck_core::{
    accounts::{AccountKey, Selection},
    links::{
        export::{save_links, LinkSave},
        qr_svg, AccountLink,
    },
};
use serde::Serialize;
use tauri::State;

use super::{files::path_from, CmdResult};
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
}

/// Writes the links of a selection: a list, QR images (folder or ZIP) or a printable sheet.
#[tauri::command]
#[specta::specta]
pub async fn links_export(
    backend: State<'_, Backend>,
    selection: Selection,
    save: LinkSave,
    path: String,
) -> CmdResult<LinksSaved> {
    let path = path_from(&path)?;
    let core = backend.paneldeck();
    let keys = core.selection_keys(&selection)?;
    let entries = core.links_of(&keys).await?;
    let files = save_links(&entries, save, &path)?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(LinksSaved {
        accounts: count(entries.len()),
        links: count(entries.iter().map(|e| e.links.len()).sum()),
        files: count(files),
        path: path.display().to_string(),
    })
}
