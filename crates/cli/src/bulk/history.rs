//! What ran: every operation, one operation's items, and its journal as a file.

use paneldeck_core::{
    bulk::{ExportFormat, OpId},
    dates::moment,
    ApiError, Paneldeck,
};

use super::invalid;
use crate::{output, Format};

/// Every operation: who, what, when, result.
pub fn print_history(core: &Paneldeck, format: Format) -> Result<(), ApiError> {
    let history = core.bulk_history()?;
    if format == Format::Json {
        output::json(&history);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = history
        .iter()
        .map(|o| {
            vec![
                o.op_id.0.clone(),
                moment(o.created_at_ms),
                if o.actor.is_empty() {
                    "local user".into()
                } else {
                    o.actor.clone()
                },
                o.title.to_string(),
                if o.interrupted {
                    "interrupted".into()
                } else {
                    o.state.as_str().into()
                },
                format!(
                    "{} done, {} failed, {} skipped, {} left",
                    o.counts.done, o.counts.failed, o.counts.skipped, o.counts.left
                ),
            ]
        })
        .collect();
    output::table(
        &["OPERATION", "WHEN", "WHO", "WHAT", "STATE", "RESULT"],
        &rows,
    );
    Ok(())
}

/// One operation's items.
pub fn print_items(core: &Paneldeck, op: String, format: Format) -> Result<(), ApiError> {
    let items = core.bulk_items(&OpId(op))?;
    if format == Format::Json {
        output::json(&items);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.seq.to_string(),
                i.panel_name.clone(),
                i.name.clone(),
                i.op.label().into(),
                i.state.as_str().into(),
                i.attempts.to_string(),
                i.error
                    .as_ref()
                    .map(ToString::to_string)
                    .or_else(|| i.message.as_ref().map(ToString::to_string))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    output::table(
        &[
            "#", "PANEL", "ACCOUNT", "ACTION", "STATE", "TRIES", "DETAIL",
        ],
        &rows,
    );
    Ok(())
}

/// One operation's journal as CSV or JSON on stdout.
pub fn export(core: &Paneldeck, op: String, to: &str, raw_csv: bool) -> Result<(), ApiError> {
    let fmt = match to {
        "csv" => ExportFormat::Csv,
        "json" => ExportFormat::Json,
        other => return Err(invalid(format!("--to {other}: csv or json"))),
    };
    print!(
        "{}",
        core.bulk_export_history_with(&OpId(op), fmt, raw_csv)?
    );
    Ok(())
}
