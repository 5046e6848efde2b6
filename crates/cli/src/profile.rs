//! `paneldeck profile export|import`: the whole profile (panels, pinned certificates,
//! secrets, settings) in one passphrase-encrypted file, to move it to another machine.

use std::{
    io::{BufRead, IsTerminal},
    path::PathBuf,
};

use clap::{Args, Subcommand};
use paneldeck_core::{
    portable::{Conflict, ImportChoice, ImportOutcome, Passphrase, ProfileImport},
    CoreError, Paneldeck,
};

use crate::Format;

#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Write every panel, its secret and the settings into one encrypted file. The passphrase
    /// is asked twice on a terminal, or read from the first line of stdin.
    Export {
        /// The file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Read the passphrase from stdin (once) even on a terminal.
        #[arg(long)]
        passphrase_stdin: bool,
    },
    /// Read a file written by `profile export` into this profile and this machine's keyring.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    file: PathBuf,
    /// Read the passphrase from stdin even on a terminal.
    #[arg(long)]
    passphrase_stdin: bool,
    /// Overwrite panels (and settings) that exist here with the imported ones.
    #[arg(long, conflicts_with = "skip_existing")]
    replace: bool,
    /// Keep panels (and settings) that exist here; import only the others.
    #[arg(long)]
    skip_existing: bool,
}

pub fn run(paneldeck: &Paneldeck, cmd: ProfileCommand, format: Format) -> Result<(), CoreError> {
    match cmd {
        ProfileCommand::Export {
            output,
            passphrase_stdin,
        } => {
            let passphrase = read_passphrase(passphrase_stdin, true)?;
            let count = paneldeck.export_profile(&output, &passphrase)?;
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::json!({ "file": output.display().to_string(), "panels": count })
                ),
                Format::Table => println!("Exported {count} panel(s) to {}", output.display()),
            }
            Ok(())
        }
        ProfileCommand::Import(args) => import(paneldeck, args, format),
    }
}

fn import(paneldeck: &Paneldeck, args: ImportArgs, format: Format) -> Result<(), CoreError> {
    let passphrase = read_passphrase(args.passphrase_stdin, false)?;
    let import = ProfileImport::read(&args.file, &passphrase)?;
    let fixed = match (args.replace, args.skip_existing) {
        (true, _) => Some(ImportChoice::Replace),
        (_, true) => Some(ImportChoice::Skip),
        _ => None,
    };
    let interactive = std::io::stdin().is_terminal();
    let outcome = paneldeck.import_profile(import, |conflict| match fixed {
        Some(choice) => Ok(choice),
        None if interactive => ask(conflict),
        None => Err(CoreError::Conflict(format!(
            "{} exists here; pass --replace or --skip-existing (nothing was imported)",
            describe(conflict)
        ))),
    })?;
    print_outcome(&outcome, format);
    Ok(())
}

fn describe(conflict: &Conflict) -> String {
    match conflict {
        Conflict::Panel { name } => format!("a panel named '{name}'"),
        Conflict::Settings => "other app settings".to_owned(),
    }
}

fn ask(conflict: &Conflict) -> Result<ImportChoice, CoreError> {
    eprint!("{} exists here. Replace it? [y/N] ", describe(conflict));
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CoreError::invalid(format!("could not read the answer: {e}")))?;
    Ok(if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
        ImportChoice::Replace
    } else {
        ImportChoice::Skip
    })
}

fn print_outcome(outcome: &ImportOutcome, format: Format) {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string(outcome).unwrap_or_else(|_| "{}".into())
        ),
        Format::Table => {
            for (label, names) in [
                ("Added", &outcome.added),
                ("Replaced", &outcome.replaced),
                ("Skipped", &outcome.skipped),
            ] {
                if !names.is_empty() {
                    println!("{label}: {}", names.join(", "));
                }
            }
            if outcome.settings_applied {
                println!("Settings: imported");
            }
        }
    }
}

/// On a terminal (unless `from_stdin`): a hidden prompt, twice for a new file. Otherwise the
/// first line of stdin.
fn read_passphrase(from_stdin: bool, confirm: bool) -> Result<Passphrase, CoreError> {
    let stdin = std::io::stdin();
    if from_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| {
            CoreError::invalid(format!("could not read the passphrase from stdin: {e}"))
        })?;
        return Passphrase::new(line.trim_end_matches(['\r', '\n']));
    }
    let prompt = |text: &str| {
        rpassword::prompt_password(text)
            .map_err(|e| CoreError::invalid(format!("could not read the passphrase: {e}")))
    };
    let first = prompt("Passphrase: ")?;
    if confirm && prompt("The same passphrase again: ")? != first {
        return Err(CoreError::invalid(
            "The two passphrases differ; nothing was written.",
        ));
    }
    Passphrase::new(first)
}
