//! Links of a selection as files: TXT (one link per line), CSV or JSON; QR codes as PNG or SVG
//! files in a folder or a ZIP, named after the account; a printable HTML sheet.

use std::{collections::HashSet, io::Write, path::Path};

use serde::{Deserialize, Serialize};

use super::{qr_png, qr_svg, AccountLink};
use crate::{
    error::{CoreError, Result},
    files::{csv_cell, io_error, write_atomic, write_bytes_atomic},
    jobs::{Job, JobPhase},
};

/// The links of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountLinks {
    pub name: String,
    pub links: Vec<AccountLink>,
}

/// An account whose links could not be read, and why.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UnreadLinks {
    pub name: String,
    pub error: crate::ApiError,
}

/// The links read for a selection, and the accounts whose links could not be read.
#[derive(Debug, Default)]
pub struct LinksRead {
    pub entries: Vec<AccountLinks>,
    pub unread: Vec<UnreadLinks>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum LinkListFormat {
    Txt,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum QrImage {
    Png { scale: u32 },
    Svg,
}

/// A file name from an account name: letters, digits, `.`, `-`, `_`, `@` kept, the rest `_`,
/// at most 100 characters, never empty, never `.`/`..`, never a Windows device name.
pub fn sanitize_file_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    out = out.trim_matches('.').to_owned();
    let upper = out.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    let reserved = matches!(stem, "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if out.is_empty() || reserved {
        out = format!("account_{out}");
    }
    out
}

/// The links as text in `format`; CSV cells a spreadsheet would run are neutralised.
pub fn link_list(entries: &[AccountLinks], format: LinkListFormat) -> Result<Vec<u8>> {
    link_list_with(entries, format, false)
}

/// [`link_list`]; `raw_csv` writes CSV cells exactly as they are (see [`csv_cell`]).
pub fn link_list_with(
    entries: &[AccountLinks],
    format: LinkListFormat,
    raw_csv: bool,
) -> Result<Vec<u8>> {
    match format {
        LinkListFormat::Txt => {
            let mut out = String::new();
            for l in entries.iter().flat_map(|e| &e.links) {
                out.push_str(&l.url);
                out.push('\n');
            }
            Ok(out.into_bytes())
        }
        LinkListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let err = |e: csv::Error| CoreError::Internal(format!("CSV: {e}"));
            w.write_record(["account", "label", "kind", "url"])
                .map_err(err)?;
            for e in entries {
                for l in &e.links {
                    let kind = serde_json::to_value(l.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let cells = [e.name.as_str(), &l.label, &kind, &l.url];
                    w.write_record(
                        cells
                            .map(|c| csv_cell(c, raw_csv))
                            .iter()
                            .map(|c| c.as_bytes()),
                    )
                    .map_err(err)?;
                }
            }
            w.into_inner()
                .map_err(|e| CoreError::Internal(format!("CSV: {e}")))
        }
        LinkListFormat::Json => serde_json::to_vec_pretty(entries)
            .map_err(|e| CoreError::Internal(format!("JSON: {e}"))),
    }
}

/// Writes the link list to `path` atomically.
pub fn write_link_list(
    entries: &[AccountLinks],
    format: LinkListFormat,
    path: &Path,
) -> Result<()> {
    write_bytes_atomic(path, &link_list(entries, format)?)
}

/// One QR image per link: `(file name, bytes)`. An account with one link gets
/// `{name}.png`; with several, `{name}-1.png`, `{name}-2.png`, …; names made unique.
pub fn qr_files(entries: &[AccountLinks], image: QrImage) -> Result<Vec<(String, Vec<u8>)>> {
    qr_files_job(entries, image, &mut Job::quiet())
}

/// [`qr_files`], one `job` step per image; stops when the job is cancelled.
pub fn qr_files_job(
    entries: &[AccountLinks],
    image: QrImage,
    job: &mut Job,
) -> Result<Vec<(String, Vec<u8>)>> {
    let total = link_count(entries);
    let ext = match image {
        QrImage::Png { .. } => "png",
        QrImage::Svg => "svg",
    };
    let mut used = HashSet::new();
    let mut out = Vec::new();
    for e in entries {
        let base = sanitize_file_name(&e.name);
        for (i, l) in e.links.iter().enumerate() {
            let stem = if e.links.len() == 1 {
                base.clone()
            } else {
                format!("{base}-{}", i + 1)
            };
            let mut name = format!("{stem}.{ext}");
            let mut n = 2;
            while !used.insert(name.to_lowercase()) {
                name = format!("{stem}~{n}.{ext}");
                n += 1;
            }
            job.step(JobPhase::Drawing, out.len() as u64, total)?;
            let bytes = match image {
                QrImage::Png { scale } => qr_png(&l.url, scale)?,
                QrImage::Svg => qr_svg(&l.url)?.into_bytes(),
            };
            out.push((name, bytes));
        }
    }
    job.step(JobPhase::Drawing, total, total)?;
    Ok(out)
}

fn link_count(entries: &[AccountLinks]) -> u64 {
    entries.iter().map(|e| e.links.len() as u64).sum()
}

/// Writes the QR images into `dir` (created if missing), each file atomically. Every image is
/// drawn before the first file is written, so a cancelled job writes none.
pub fn write_qr_folder(
    entries: &[AccountLinks],
    image: QrImage,
    dir: &Path,
    job: &mut Job,
) -> Result<usize> {
    let files = qr_files_job(entries, image, job)?;
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create", e))?;
    for (name, bytes) in &files {
        write_bytes_atomic(&dir.join(name), bytes)?;
    }
    Ok(files.len())
}

/// Writes the QR images into one ZIP file, atomically; a cancelled job writes nothing.
pub fn write_qr_zip(
    entries: &[AccountLinks],
    image: QrImage,
    path: &Path,
    job: &mut Job,
) -> Result<usize> {
    let files = qr_files_job(entries, image, job)?;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in &files {
            zip.start_file(name.as_str(), opts)
                .map_err(|e| CoreError::Internal(format!("ZIP: {e}")))?;
            zip.write_all(bytes)
                .map_err(|e| CoreError::Internal(format!("ZIP: {e}")))?;
        }
        zip.finish()
            .map_err(|e| CoreError::Internal(format!("ZIP: {e}")))?;
    }
    write_bytes_atomic(path, &buf.into_inner())?;
    Ok(files.len())
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A printable HTML page: per account its name, then per link a QR code (inline SVG), its
/// label and the link text. Cards do not break across pages.
pub fn html_sheet(title: &str, entries: &[AccountLinks]) -> Result<String> {
    html_sheet_job(title, entries, &mut Job::quiet())
}

fn html_sheet_job(title: &str, entries: &[AccountLinks], job: &mut Job) -> Result<String> {
    let total = link_count(entries);
    let mut body = String::new();
    let mut drawn = 0;
    for e in entries {
        for l in &e.links {
            job.step(JobPhase::Drawing, drawn, total)?;
            drawn += 1;
            body.push_str(&format!(
                "<section class=\"card\"><h2>{}</h2><div class=\"qr\">{}</div>\
                 <p class=\"label\">{}</p><p class=\"url\">{}</p></section>\n",
                html_escape(&e.name),
                qr_svg(&l.url)?,
                html_escape(&l.label),
                html_escape(&l.url)
            ));
        }
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title><style>\
         body{{font-family:sans-serif;margin:1cm}}\
         .card{{display:inline-block;width:8cm;margin:0.3cm;padding:0.3cm;border:1px solid #ccc;\
         vertical-align:top;break-inside:avoid;page-break-inside:avoid}}\
         .card h2{{font-size:12pt;margin:0 0 0.2cm}}.qr svg{{width:6cm;height:6cm}}\
         .label{{font-size:9pt;margin:0.1cm 0}}.url{{font-family:monospace;font-size:7pt;\
         word-break:break-all;margin:0}}</style></head><body><h1>{t}</h1>\n{body}</body></html>\n",
        t = html_escape(title)
    ))
}

/// Writes the HTML sheet to `path` atomically.
pub fn write_html_sheet(
    title: &str,
    entries: &[AccountLinks],
    path: &Path,
    job: &mut Job,
) -> Result<()> {
    let html = html_sheet_job(title, entries, job)?;
    write_atomic(path, |w| w.write_all(html.as_bytes()))
}

/// What to write for a selection's links (the GUI's export dialog and `paneldeck links --save`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum LinkSave {
    /// One file: TXT (a link a line), CSV or JSON.
    List { format: LinkListFormat },
    /// One image per link in a folder.
    QrFolder { image: QrImage },
    /// One image per link in a ZIP file.
    QrZip { image: QrImage },
    /// A printable HTML page: name, QR code and link per account.
    HtmlSheet,
}

/// Writes `entries` as `save` says to `path` (a file, or a folder for [`LinkSave::QrFolder`]);
/// returns how many files were written.
pub fn save_links(entries: &[AccountLinks], save: LinkSave, path: &Path) -> Result<usize> {
    save_links_job(entries, save, path, &mut Job::quiet())
}

/// [`save_links`], reporting to `job`; a cancelled job writes nothing.
pub fn save_links_job(
    entries: &[AccountLinks],
    save: LinkSave,
    path: &Path,
    job: &mut Job,
) -> Result<usize> {
    match save {
        LinkSave::List { format } => write_link_list(entries, format, path).map(|()| 1),
        LinkSave::QrFolder { image } => write_qr_folder(entries, image, path, job),
        LinkSave::QrZip { image } => write_qr_zip(entries, image, path, job),
        LinkSave::HtmlSheet => write_html_sheet("Paneldeck links", entries, path, job).map(|()| 1),
    }
}
