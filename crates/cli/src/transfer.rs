//! `paneldeck export | import | migrate`: accounts to CSV/JSON (docs/formats.md), files back
//! onto a panel with a preview diff, and migration plans between panels. Writes go through the
//! bulk engine (journaled, resumable); `--dry-run` only prints the diff.

use std::path::PathBuf;

use clap::Args;
use paneldeck_core::{
    accounts::{AccountQuery, Selection},
    bulk::{CancelToken, OpWhat},
    transfer::{export::to_bytes, ExportFormat, ExportOptions, ImportPlan, PlanOptions},
    ApiError, CoreError, Paneldeck,
};

use crate::{output, select::AccountFilter, OutputFormat};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Include UUIDs, passwords, proxy keys and subscription ids/URLs.
    #[arg(long)]
    with_credentials: bool,
    /// File to write (atomically); stdout when absent. The global --format picks CSV (the
    /// default) or JSON.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// CSV: write cells exactly as they are, even ones a spreadsheet would run as a formula.
    #[arg(long)]
    raw_csv: bool,
    /// Replace the output file when it already exists (without it, an existing file is
    /// refused and left as it was).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    filter: AccountFilter,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A CSV or JSON file in Paneldeck's schema, or a 3x-ui `clients/export` JSON.
    file: PathBuf,
    /// The panel to import into (name or id).
    #[arg(long)]
    panel: String,
    /// Only print the diff; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// 3x-ui: inbound ids for rows whose own inbounds/protocols fit none of this panel's.
    #[arg(long = "inbound")]
    inbounds: Vec<i64>,
    /// Never update existing accounts (a differing one is reported as a conflict).
    #[arg(long)]
    create_only: bool,
    /// Import the good rows even when some rows are bad (the exit status still says so).
    #[arg(long)]
    skip_bad_rows: bool,
    /// Also import the rows whose panel column names this panel (repeatable). Without it,
    /// rows of panels other than the target are left out.
    #[arg(long = "from-panel", value_name = "PANEL")]
    from_panels: Vec<String>,
}

#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// Source panel (name or id).
    #[arg(long)]
    from: String,
    /// Target panel (name or id).
    #[arg(long)]
    to: String,
    /// Only print the plan; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// 3x-ui target: inbound ids for accounts whose protocols fit none of its inbounds.
    #[arg(long = "inbound")]
    inbounds: Vec<i64>,
}

fn export_format(format: OutputFormat, output: Option<&PathBuf>) -> ExportFormat {
    match format {
        OutputFormat::Json => ExportFormat::Json,
        OutputFormat::Csv => ExportFormat::Csv,
        OutputFormat::Table => {
            let json = output
                .and_then(|p| p.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if json {
                ExportFormat::Json
            } else {
                ExportFormat::Csv
            }
        }
    }
}

pub fn export(core: &Paneldeck, args: ExportArgs, format: OutputFormat) -> Result<(), ApiError> {
    let query = args.filter.query(core)?;
    let selection = if query == AccountQuery::default() {
        Selection::All
    } else {
        Selection::Query { query }
    };
    let opts = ExportOptions {
        format: export_format(format, args.output.as_ref()),
        include_credentials: args.with_credentials,
        raw_csv: args.raw_csv,
    };
    match &args.output {
        Some(path) => {
            if !args.force && path.exists() {
                // A credentials backup silently replaced by a links file is a loss nobody
                // notices until they need the backup.
                let exists = std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "it already exists (add --force to replace it)",
                );
                return Err(CoreError::io(path, "write", exists).into());
            }
            let s = core.export_accounts(&selection, opts, path)?;
            eprintln!(
                "{} account(s), {} bytes written to {}{}",
                s.accounts,
                s.bytes,
                path.display(),
                if args.with_credentials {
                    " (with credentials: keep this file safe)"
                } else {
                    ""
                }
            );
        }
        None => {
            let records = core.export_records(&selection, args.with_credentials)?;
            let bytes = to_bytes(&records, opts)
                .map_err(|e| CoreError::Internal(format!("cannot write the export: {e}")))?;
            print!("{}", String::from_utf8_lossy(&bytes));
        }
    }
    Ok(())
}

fn print_plan(plan: &ImportPlan, format: OutputFormat) {
    let preview = plan.preview();
    if format == OutputFormat::Json {
        output::json(&preview);
        return;
    }
    let rows: Vec<Vec<String>> = preview
        .rows
        .iter()
        .map(|r| {
            let mut detail: Vec<String> = r.changes.iter().map(|c| c.to_string()).collect();
            if let Some(reason) = &r.reason {
                detail.push(reason.to_string());
            }
            if r.keeps_credentials {
                detail.push("keeps UUID/password".into());
            }
            for n in &r.not_carried {
                detail.push(format!("not carried: {n}"));
            }
            vec![
                r.line.to_string(),
                r.action.clone(),
                r.name.clone(),
                detail.join("; "),
            ]
        })
        .collect();
    output::table(&["LINE", "ACTION", "NAME", "DETAILS"], &rows);
    for e in &preview.errors {
        eprintln!("error: {}", output::safe(&e.to_string()));
    }
    let c = preview.counts;
    println!(
        "{} to create, {} to update, {} unchanged, {} conflict(s), {} bad row(s)",
        c.create, c.update, c.unchanged, c.conflict, c.errors
    );
}

/// Runs the plan's creates (keeping their UUIDs/passwords) and updates through the bulk
/// engine.
async fn apply(
    core: &Paneldeck,
    title: OpWhat,
    plan: &ImportPlan,
    skip_bad_rows: bool,
) -> Result<(), ApiError> {
    let c = plan.counts();
    if c.create + c.update == 0 {
        println!("nothing to write");
        return Ok(());
    }
    let bulk = core.import_apply_file(title, plan, skip_bad_rows)?;
    let report = core
        .bulk_execute(&bulk.id, |_| {}, CancelToken::new())
        .await?;
    println!(
        "{} done, {} failed, {} skipped (operation {})",
        report.counts.done, report.counts.failed, report.counts.skipped, report.op_id.0
    );
    if report.counts.failed > 0 {
        return Err(CoreError::Conflict(format!(
            "{} item(s) failed; see `paneldeck bulk history` for operation {}",
            report.counts.failed, report.op_id.0
        ))
        .into());
    }
    Ok(())
}

pub async fn import(
    core: &Paneldeck,
    args: ImportArgs,
    format: OutputFormat,
) -> Result<(), ApiError> {
    let panel = core.find_panel(&args.panel)?;
    let opts = PlanOptions {
        xui_inbound_ids: args.inbounds,
        create_only: args.create_only,
        from_panels: args.from_panels,
    };
    let (_, plan) = core.import_plan_file(&args.file, &panel.id, &opts).await?;
    print_plan(&plan, format);
    let bad_rows = || -> Result<(), ApiError> {
        match plan.errors.len() {
            0 => Ok(()),
            n => {
                Err(CoreError::invalid(format!("{n} bad row(s) in {}", args.file.display())).into())
            }
        }
    };
    if args.dry_run {
        return bad_rows();
    }
    let title = OpWhat::Import {
        file: file_name(&args.file),
        panel: panel.name.clone(),
    };
    apply(core, title, &plan, args.skip_bad_rows).await?;
    bad_rows()
}

pub async fn migrate(
    core: &Paneldeck,
    args: MigrateArgs,
    format: OutputFormat,
) -> Result<(), ApiError> {
    let from = core.find_panel(&args.from)?;
    let to = core.find_panel(&args.to)?;
    let opts = PlanOptions {
        xui_inbound_ids: args.inbounds,
        create_only: true,
        ..PlanOptions::default()
    };
    let plan = core.migration_plan(&from.id, &to.id, None, &opts).await?;
    print_plan(&plan, format);
    if args.dry_run {
        return Ok(());
    }
    let title = OpWhat::Migrate {
        from: from.name.clone(),
        to: to.name.clone(),
    };
    apply(core, title, &plan, false).await
}

/// The file's name as titles show it (its folder is the user's business).
fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}
