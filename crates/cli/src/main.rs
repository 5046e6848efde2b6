//! `paneldeck`: the command line over Paneldeck's core, for scripting and headless use.

mod output;
mod panels;

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
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Add, list, test and remove panels.
    #[command(subcommand)]
    Panels(panels::PanelsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PANELDECK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
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
            output::error(&err, cli.format);
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, data_dir: Option<PathBuf>, format: Format) -> Result<(), ApiError> {
    let profile = match data_dir {
        Some(dir) => Profile::at(dir)?,
        None => Profile::default_location()?,
    };
    let paneldeck = Paneldeck::open(profile, Arc::new(KeyringStore))?;
    match command {
        Command::Panels(cmd) => panels::run(&paneldeck, cmd, format).await,
    }
}
