//! `paneldeck`: the command line over Paneldeck's core, for scripting and headless use.

mod accounts;
mod bulk;
mod links;
mod output;
mod panels;
mod profile;
mod select;
mod sync;
mod transfer;
mod watch;

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use clap::{Parser, Subcommand, ValueEnum};
use paneldeck_core::{secrets::KeyringStore, ApiError, Paneldeck, Profile};

#[derive(Parser, Debug)]
#[command(
    name = "paneldeck",
    version,
    about = "Manage many remote panels from one place"
)]
struct Cli {
    /// Profile folder (settings and snapshot). Defaults to $PANELDECK_DATA_DIR, then the
    /// platform's app-data folder.
    #[arg(long, global = true, env = "PANELDECK_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    #[command(subcommand)]
    command: Command,
}

/// What `--format` accepts: CSV is for account lists; elsewhere it prints as a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

/// The formats every command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

impl OutputFormat {
    fn basic(self) -> Format {
        match self {
            OutputFormat::Json => Format::Json,
            OutputFormat::Table | OutputFormat::Csv => Format::Table,
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Add, list, test and remove panels.
    #[command(subcommand)]
    Panels(panels::PanelsCommand),
    /// Re-read every panel's accounts (or one panel's) into the local snapshot.
    Sync(sync::SyncArgs),
    /// Search, filter and list accounts of every panel from the snapshot.
    #[command(subcommand)]
    Accounts(accounts::AccountsCommand),
    /// Change, create or remove many accounts across panels: plan, run, resume, history.
    #[command(subcommand)]
    Bulk(bulk::BulkCommand),
    /// Links, proxy strings and QR codes of one account or of every account a filter matches.
    Links(links::LinksArgs),
    /// Export accounts to CSV or JSON (docs/formats.md); `--format json` for JSON.
    Export(transfer::ExportArgs),
    /// Import a CSV/JSON file (or a 3x-ui export) into a panel; `--dry-run` prints the diff.
    Import(transfer::ImportArgs),
    /// Copy accounts from one panel to another; `--dry-run` prints the plan.
    Migrate(transfer::MigrateArgs),
    /// Move the whole profile (panels, certificates, secrets, settings) in one encrypted file.
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// Sync on a schedule and print each alert (expiring, depleted, unreachable…); `--once`
    /// for one round.
    Watch(watch::WatchArgs),
    /// Usage per panel, group or owner over the last N days (table, CSV or JSON).
    Report(watch::ReportArgs),
}

// Syncs, exports and the simulators of demo mode allocate millions of small strings across
// threads; mimalloc cuts the time glibc's allocator spent on them by about half.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, cli.data_dir, cli.format)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            output::error(&err, cli.format.basic());
            ExitCode::FAILURE
        }
    }
}

async fn run(
    command: Command,
    data_dir: Option<PathBuf>,
    format: OutputFormat,
) -> Result<(), ApiError> {
    let profile = match data_dir {
        Some(dir) => Profile::at(dir)?,
        None => Profile::default_location()?,
    };
    // The same log file as the app's (the README says so), warnings also on stderr.
    paneldeck_core::logging::init(&profile.log_dir(), "warn");
    let paneldeck = Paneldeck::open(profile, Arc::new(KeyringStore))?;
    match command {
        Command::Panels(cmd) => panels::run(&paneldeck, cmd, format.basic()).await,
        Command::Sync(args) => sync::run(&paneldeck, args, format.basic()).await,
        Command::Accounts(cmd) => accounts::run(&paneldeck, cmd, format).await,
        Command::Bulk(cmd) => bulk::run(&paneldeck, cmd, format.basic()).await,
        Command::Links(args) => links::run(&paneldeck, args, format).await,
        Command::Export(args) => transfer::export(&paneldeck, args, format),
        Command::Import(args) => transfer::import(&paneldeck, args, format).await,
        Command::Migrate(args) => transfer::migrate(&paneldeck, args, format).await,
        Command::Profile(cmd) => profile::run(&paneldeck, cmd, format.basic()).map_err(Into::into),
        Command::Watch(args) => watch::run(&paneldeck, args, format).await,
        Command::Report(args) => watch::report(&paneldeck, args, format),
    }
}
