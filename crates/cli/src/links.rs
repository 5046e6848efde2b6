//! `paneldeck links`: the links of one account or of every account a filter matches, printed
//! or written as TXT/CSV/JSON, QR codes (PNG/SVG, folder or ZIP), or a printable HTML sheet.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use paneldeck_core::{
    links::export::{link_list_with, save_links, LinkListFormat, LinkSave, QrImage, UnreadLinks},
    ApiError, CoreError, Paneldeck,
};

use crate::{
    output,
    select::{account_key, AccountFilter},
    OutputFormat,
};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Save {
    Txt,
    Csv,
    Json,
    /// One PNG per link in the folder `-o`.
    PngDir,
    /// One SVG per link in the folder `-o`.
    SvgDir,
    /// PNG files in the ZIP `-o`.
    PngZip,
    /// SVG files in the ZIP `-o`.
    SvgZip,
    /// A printable HTML page: name, QR code and link per account.
    Html,
}

#[derive(Args, Debug)]
pub struct LinksArgs {
    /// `PANEL:ID` (3x-ui email, Marzban username, …), or nothing with the filters below.
    #[arg(value_name = "PANEL:ID")]
    account: Option<String>,
    #[command(flatten)]
    filter: AccountFilter,
    /// Write the links instead of printing them.
    #[arg(long, value_enum, requires = "output")]
    save: Option<Save>,
    /// File or folder to write.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// PNG pixels per QR module.
    #[arg(long, default_value_t = 8)]
    scale: u32,
    /// CSV on stdout: write cells exactly as they are, even ones a spreadsheet would run as a
    /// formula.
    #[arg(long)]
    raw_csv: bool,
}

pub async fn run(core: &Paneldeck, args: LinksArgs, format: OutputFormat) -> Result<(), ApiError> {
    let keys = match &args.account {
        Some(text) => vec![account_key(core, text)?],
        None => core.query_keys(&args.filter.query(core)?)?,
    };
    let read = core.links_of(&keys).await?;
    let result = unread_result(&read.unread);
    let entries = read.entries;
    let Some(save) = args.save else {
        match format {
            OutputFormat::Json => output::json(&entries),
            OutputFormat::Csv => print_bytes(&link_list_with(
                &entries,
                LinkListFormat::Csv,
                args.raw_csv,
            )?),
            OutputFormat::Table => output::table(
                &["ACCOUNT", "LABEL", "LINK"],
                &entries
                    .iter()
                    .flat_map(|e| {
                        e.links
                            .iter()
                            .map(|l| vec![e.name.clone(), l.label.clone(), l.url.clone()])
                    })
                    .collect::<Vec<_>>(),
            ),
        }
        return result;
    };
    let out = args
        .output
        .ok_or_else(|| ApiError::from(CoreError::invalid("--save needs -o FILE")))?;
    let png = QrImage::Png { scale: args.scale };
    let list = |format| LinkSave::List { format };
    let save = match save {
        Save::Txt => list(LinkListFormat::Txt),
        Save::Csv => list(LinkListFormat::Csv),
        Save::Json => list(LinkListFormat::Json),
        Save::PngDir => LinkSave::QrFolder { image: png },
        Save::SvgDir => LinkSave::QrFolder {
            image: QrImage::Svg,
        },
        Save::PngZip => LinkSave::QrZip { image: png },
        Save::SvgZip => LinkSave::QrZip {
            image: QrImage::Svg,
        },
        Save::Html => LinkSave::HtmlSheet,
    };
    let written = save_links(&entries, save, &out)?;
    let links: usize = entries.iter().map(|e| e.links.len()).sum();
    eprintln!(
        "{links} link(s) of {} account(s) written to {} ({written} file(s))",
        entries.len(),
        out.display()
    );
    result
}

/// The accounts whose links could not be read, each named on stderr; the run then fails
/// (exit non-zero) after writing what it could, so a script notices the gap.
fn unread_result(unread: &[UnreadLinks]) -> Result<(), ApiError> {
    let Some(first) = unread.first() else {
        return Ok(());
    };
    for u in unread {
        eprintln!(
            "the links of {} could not be read: {}",
            output::safe(&u.name),
            output::safe(&u.error.message)
        );
    }
    Err(ApiError {
        message: format!(
            "the links of {} account(s) could not be read; the others were written",
            unread.len()
        ),
        ..first.error.clone()
    })
}

fn print_bytes(bytes: &[u8]) {
    print!("{}", String::from_utf8_lossy(bytes));
}
