//! `paneldeck bulk …`: the bulk engine of the app from the command line. Accounts are selected
//! with the same filters as `accounts list` (over the snapshot: run `paneldeck sync` first) or
//! with `--key PANEL:ID`; the plan is printed first (`--dry-run` stops there); the run shows a
//! progress bar on a terminal (stderr), Ctrl-C cancels (resume later), and the exit status is
//! non-zero when items failed.

mod args;
mod history;
mod progress;
mod report;
mod request;

use clap::Subcommand;
use paneldeck_core::{bulk::OpId, ApiError, CoreError, Paneldeck};

use crate::Format;
use args::{Change, CreateArgs, RunArgs};
use progress::{cancel_on_ctrl_c, Bar};
use report::{print_plan, print_report};

const GIB: u64 = 1 << 30;
const DAY_MS: i64 = 86_400_000;

#[derive(Subcommand, Debug)]
pub enum BulkCommand {
    /// Enable the selected accounts.
    Enable(Change),
    /// Disable the selected accounts.
    Disable(Change),
    /// Delete the selected accounts.
    Delete {
        /// 3x-ui: keep the traffic record.
        #[arg(long)]
        keep_traffic: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Add days to each expiry (accounts that never expire are skipped).
    Extend {
        #[arg(long)]
        days: u32,
        #[command(flatten)]
        change: Change,
    },
    /// Set the expiry to N days from now, or never.
    SetExpiry {
        #[arg(long, conflicts_with = "never")]
        days_from_now: Option<u32>,
        #[arg(long)]
        never: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Add GiB to each traffic limit (unlimited accounts are skipped).
    AddTraffic {
        #[arg(long)]
        gib: u64,
        #[command(flatten)]
        change: Change,
    },
    /// Set the traffic limit in GiB, or unlimited.
    SetLimit {
        #[arg(long, conflicts_with = "unlimited")]
        gib: Option<u64>,
        #[arg(long)]
        unlimited: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Reset used traffic to zero.
    ResetTraffic(Change),
    /// 3x-ui: attach inbounds (repeat --inbound).
    Attach {
        #[arg(long = "inbound", required = true)]
        inbounds: Vec<i64>,
        #[command(flatten)]
        change: Change,
    },
    /// 3x-ui: detach inbounds.
    Detach {
        #[arg(long = "inbound", required = true)]
        inbounds: Vec<i64>,
        #[command(flatten)]
        change: Change,
    },
    /// 3x-ui: add to a group.
    Group {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        change: Change,
    },
    /// 3x-ui: remove from their group.
    Ungroup(Change),
    /// Marzban: apply a user template (data limit and expiry).
    Template {
        #[arg(long)]
        id: i64,
        #[command(flatten)]
        change: Change,
    },
    /// Marzban: revoke subscriptions.
    RevokeSub(Change),
    /// User-pass proxy: set caps (GiB of usage, concurrent IPs; 0 = unlimited).
    SetCaps {
        #[arg(long)]
        usage_gib: Option<u64>,
        #[arg(long)]
        ip_cap: Option<u64>,
        #[command(flatten)]
        change: Change,
    },
    /// User-pass proxy: set status active or disabled.
    SetStatus {
        #[arg(long)]
        disabled: bool,
        #[command(flatten)]
        change: Change,
    },
    /// Pterodactyl: grant permissions (repeat --perm).
    Grant {
        #[arg(long = "perm", required = true)]
        permissions: Vec<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Pterodactyl: revoke permissions.
    RevokePerm {
        #[arg(long = "perm", required = true)]
        permissions: Vec<String>,
        #[command(flatten)]
        change: Change,
    },
    /// Create accounts from a name pattern (`shop-{001..250}`) or names, on one or more panels.
    Create(CreateArgs),
    /// Pterodactyl: add a person to many servers.
    AddPerson {
        #[arg(long)]
        panel: String,
        #[arg(long)]
        email: String,
        #[arg(long = "server", required = true)]
        servers: Vec<String>,
        #[arg(long = "perm", required = true)]
        permissions: Vec<String>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Pterodactyl: remove a person from every server.
    RemovePerson {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Finish an interrupted or cancelled operation.
    Resume {
        op: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Re-run only the failed items of an operation.
    Retry {
        op: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Put back what a finished operation changed (its journal's before-values): planned
    /// and run like any change, each account read right before it is written.
    Revert {
        op: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Every operation: who, what, when, result.
    History,
    /// One operation's items.
    Show { op: String },
    /// One operation's journal as CSV or JSON on stdout.
    Export {
        op: String,
        #[arg(long, default_value = "csv")]
        to: String,
        /// Write CSV cells exactly as they are, even ones a spreadsheet would run as a formula.
        #[arg(long)]
        raw_csv: bool,
    },
}

fn invalid(message: impl Into<String>) -> ApiError {
    CoreError::invalid(message).into()
}

pub async fn run(core: &Paneldeck, command: BulkCommand, format: Format) -> Result<(), ApiError> {
    let bar = Bar::new();
    match command {
        BulkCommand::History => history::print_history(core, format),
        BulkCommand::Show { op } => history::print_items(core, op, format),
        BulkCommand::Export { op, to, raw_csv } => history::export(core, op, &to, raw_csv),
        BulkCommand::Resume { op, run } => {
            let report = core
                .bulk_resume(
                    &OpId(op),
                    run.options(),
                    |p| bar.show(&p),
                    cancel_on_ctrl_c(),
                )
                .await;
            bar.end();
            print_report(&report?, format)
        }
        BulkCommand::Retry { op, run } => {
            let report = core
                .bulk_retry_failed(
                    &OpId(op),
                    run.options(),
                    |p| bar.show(&p),
                    cancel_on_ctrl_c(),
                )
                .await;
            bar.end();
            print_report(&report?, format)
        }
        other => {
            let (plan, run) = match other {
                BulkCommand::Revert { op, run } => (core.bulk_revert_plan(&OpId(op))?, run),
                other => {
                    let Some((request, run)) = request::request(core, other)? else {
                        return Ok(());
                    };
                    (core.bulk_plan(&request)?, run)
                }
            };
            print_plan(&plan, format);
            if run.dry_run {
                core.bulk_discard_plan(&plan.id)?;
                return Ok(());
            }
            let report = core
                .bulk_execute_with(
                    &plan.id,
                    run.options(),
                    |p| bar.show(&p),
                    cancel_on_ctrl_c(),
                )
                .await;
            bar.end();
            print_report(&report?, format)
        }
    }
}
