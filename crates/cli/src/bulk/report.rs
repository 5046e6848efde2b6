//! A bulk plan before it runs, and the report after.

use paneldeck_core::{
    bulk::{live::drift_english, BulkPlan, BulkReport, ItemState},
    ApiError, ErrorCode,
};

use crate::{output, Format};

pub fn print_plan(plan: &BulkPlan, format: Format) {
    if format == Format::Json {
        output::json(plan);
        return;
    }
    println!("{}  (operation {})", plan.title, plan.id);
    for p in &plan.panels {
        println!(
            "\n{} ({}): {} to change, {} skipped",
            p.panel_name, p.kind, p.to_change, p.skipped
        );
        let rows: Vec<Vec<String>> = p
            .items
            .iter()
            .map(|i| match &i.skip {
                Some(s) => vec![
                    i.name.clone(),
                    "skip".into(),
                    format!("{}: {}", s.reason.as_str(), s.message),
                ],
                None => vec![
                    i.name.clone(),
                    i.op.label().into(),
                    i.changes
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join("; "),
                ],
            })
            .collect();
        output::table(&["ACCOUNT", "ACTION", "CHANGE"], &rows);
    }
}

pub fn print_report(report: &BulkReport, format: Format) -> Result<(), ApiError> {
    if format == Format::Json {
        output::json(report);
    } else {
        let rows: Vec<Vec<String>> = report
            .panels
            .iter()
            .map(|p| {
                vec![
                    p.panel_name.clone(),
                    p.counts.done.to_string(),
                    p.counts.failed.to_string(),
                    p.counts.skipped.to_string(),
                    p.counts.left.to_string(),
                ]
            })
            .collect();
        output::table(&["PANEL", "DONE", "FAILED", "SKIPPED", "LEFT"], &rows);
        for c in &report.changed {
            let what = match c.state {
                ItemState::Skipped => "skipped",
                _ => "applied to the live value",
            };
            eprintln!(
                "{}: {} on {}: {}",
                what,
                output::safe(&c.name),
                output::safe(&c.panel_name),
                output::safe(&drift_english(&c.drift))
            );
        }
        for f in &report.failures {
            eprintln!(
                "failed: {} on {}: {}",
                output::safe(&f.name),
                output::safe(&f.panel_name),
                output::safe(
                    &f.error
                        .as_ref()
                        .map_or_else(|| "?".to_owned(), ToString::to_string)
                )
            );
        }
        if report.cancelled {
            eprintln!(
                "cancelled: {} items left; run `paneldeck bulk resume {}`",
                report.counts.left, report.op_id
            );
        }
    }
    if report.counts.failed > 0 {
        return Err(ApiError {
            code: ErrorCode::PanelFailed,
            message: format!(
                "{} of {} items failed; `paneldeck bulk retry {}` re-runs them",
                report.counts.failed,
                report.counts.total - report.counts.skipped,
                report.op_id
            ),
            fields: Vec::new(),
            fingerprint: None,
            changes: Vec::new(),
        });
    }
    if report.cancelled {
        return Err(ApiError {
            code: ErrorCode::Conflict,
            message: "cancelled".into(),
            fields: Vec::new(),
            fingerprint: None,
            changes: Vec::new(),
        });
    }
    Ok(())
}
