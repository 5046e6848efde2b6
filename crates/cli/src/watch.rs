//! `paneldeck watch`: syncs on the schedule and runs the alert rules in the foreground,
//! printing each alert (a line, or JSON with `--format json`) and optionally running a
//! command per alert with it as JSON on stdin. `paneldeck report`: usage per panel, group or
//! owner over a period.

use std::{
    io::Write,
    process::{Command, Stdio},
    time::Duration,
};

use clap::{Args, ValueEnum};
use paneldeck_core::{
    alerts::{text::english, Alert},
    history::{report_csv, ReportBy, ReportRow, REPORT_CSV_HEADER},
    ApiError, Paneldeck,
};
use serde::Serialize;

use crate::{output, OutputFormat};

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Run one round (sync every panel, run the rules) and exit.
    #[arg(long)]
    once: bool,
    /// Minutes between syncs of a panel that sets no interval of its own (0 = only panels
    /// that do).
    #[arg(long, default_value_t = 15)]
    every_mins: u64,
    /// A shell command run once per alert, with the alert as JSON on its stdin.
    #[arg(long)]
    exec: Option<String>,
}

/// How often the schedule looks for panels that are due.
const TICK: Duration = Duration::from_secs(30);

/// What `--format json` and `--exec` receive: the typed alert and its English line.
#[derive(Serialize)]
struct Event<'a> {
    #[serde(flatten)]
    alert: &'a Alert,
    text: String,
}

pub async fn run(core: &Paneldeck, args: WatchArgs, format: OutputFormat) -> Result<(), ApiError> {
    if args.once {
        core.sync_all(|_| {}).await;
        return round(core, &args, format).await;
    }
    let every = Duration::from_secs(args.every_mins * 60);
    let default_interval = (!every.is_zero()).then_some(every);
    let mut timer = tokio::time::interval(TICK);
    // After the machine slept, one round, not one per missed tick.
    timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        timer.tick().await;
        core.sync_due(default_interval).await?;
        round(core, &args, format).await?;
    }
}

async fn round(core: &Paneldeck, args: &WatchArgs, format: OutputFormat) -> Result<(), ApiError> {
    let alerts = core.alert_round()?;
    for alert in &alerts {
        let event = Event {
            alert,
            text: english(alert),
        };
        match format {
            OutputFormat::Json => match serde_json::to_string(&event) {
                Ok(line) => println!("{line}"),
                Err(err) => eprintln!("error: cannot print JSON: {err}"),
            },
            OutputFormat::Table | OutputFormat::Csv => {
                println!("{}", output::safe(&event.text));
            }
        }
        if let Some(cmd) = &args.exec {
            exec(cmd, &event);
        }
    }
    let _ = std::io::stdout().flush();
    for failure in core.deliver_alerts(&alerts).await? {
        eprintln!(
            "warning: {:?} did not take the alerts: {}",
            failure.channel,
            output::safe(&failure.message)
        );
    }
    Ok(())
}

/// Runs `cmd` through the shell with the event on stdin; a failure is reported, not fatal.
fn exec(cmd: &str, event: &Event<'_>) {
    let (shell, flag) = if cfg!(windows) {
        ("cmd", "/C")
    } else {
        ("sh", "-c")
    };
    let json = serde_json::to_string(event).unwrap_or_default();
    let child = Command::new(shell)
        .args([flag, cmd])
        .stdin(Stdio::piped())
        .spawn();
    let result = child.and_then(|mut child| {
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(json.as_bytes())?;
        }
        child.wait()
    });
    match result {
        Ok(status) if status.success() => {}
        Ok(status) => eprintln!("warning: --exec command exited with {status}"),
        Err(err) => eprintln!("warning: --exec command failed: {err}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Panel,
    Group,
    Owner,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Group the accounts by panel, group (3x-ui) or owner (Marzban/PasarGuard admin).
    #[arg(long, value_enum, default_value_t = By::Panel)]
    by: By,
    /// The period: the last N days.
    #[arg(long, default_value_t = 30)]
    days: u32,
}

pub fn report(core: &Paneldeck, args: ReportArgs, format: OutputFormat) -> Result<(), ApiError> {
    let by = match args.by {
        By::Panel => ReportBy::Panel,
        By::Group => ReportBy::Group,
        By::Owner => ReportBy::Owner,
    };
    let rows = core.usage_report(by, args.days)?;
    match format {
        OutputFormat::Json => output::json(&rows),
        OutputFormat::Table => output::table(&REPORT_CSV_HEADER, &cells(&rows)),
        OutputFormat::Csv => {
            let csv = report_csv(&rows)?;
            if let Err(err) = std::io::stdout().lock().write_all(&csv) {
                eprintln!("error: cannot write CSV: {err}");
            }
        }
    }
    Ok(())
}

fn cells(rows: &[ReportRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.label.clone().unwrap_or_else(|| "-".into()),
                r.used_bytes.to_string(),
                r.accounts.to_string(),
                r.created.to_string(),
                r.expired.to_string(),
                r.depleted.to_string(),
            ]
        })
        .collect()
}
