//! The flags bulk commands share: which accounts (`--key` or the filters) and how to run.

use clap::Args;
use paneldeck_core::{
    accounts::{AccountQuery, Selection},
    bulk::{ExecOptions, IfChanged},
    ApiError, Paneldeck,
};

use super::invalid;
use crate::select::{account_key, AccountFilter};

/// Which accounts (the filters of `accounts list`, or explicit keys) and how to run.
#[derive(Args, Debug)]
pub struct Change {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug)]
pub struct SelectArgs {
    /// Explicit accounts, `PANEL:ID` (repeatable); replaces the filters.
    #[arg(long = "key", value_name = "PANEL:ID")]
    keys: Vec<String>,
    #[command(flatten)]
    filter: AccountFilter,
    /// Select every account (no filter): required when no filter or key is given.
    #[arg(long)]
    all: bool,
}

impl SelectArgs {
    pub fn selection(&self, core: &Paneldeck) -> Result<Selection, ApiError> {
        if !self.keys.is_empty() {
            let keys = self
                .keys
                .iter()
                .map(|k| account_key(core, k))
                .collect::<Result<_, _>>()?;
            return Ok(Selection::Keys { keys });
        }
        let query = self.filter.query(core)?;
        if query == AccountQuery::default() && !self.all {
            return Err(invalid(
                "no filter given: add filters, --key, or --all to select every account",
            ));
        }
        Ok(Selection::Query { query })
    }
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Print the plan and stop.
    #[arg(long)]
    pub dry_run: bool,
    /// At most this many requests in flight per panel (the run starts lower and adapts to
    /// how the panel answers).
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Per-request timeout in seconds.
    #[arg(long)]
    pub timeout_secs: Option<u64>,
    /// An account that changed on its panel since the preview: apply the change to the live
    /// value, or skip the account. Each account is read right before it is written.
    #[arg(long, value_enum, default_value_t = IfChangedArg::Apply)]
    pub if_changed: IfChangedArg,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfChangedArg {
    Apply,
    Skip,
}

impl RunArgs {
    pub fn options(&self) -> ExecOptions {
        ExecOptions {
            concurrency: self.concurrency.max(1),
            request_timeout: self.timeout_secs.map(std::time::Duration::from_secs),
            if_changed: match self.if_changed {
                IfChangedArg::Apply => IfChanged::Apply,
                IfChangedArg::Skip => IfChanged::Skip,
            },
            ..ExecOptions::default()
        }
    }
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Panels to create on (name or id; repeatable).
    #[arg(long = "panel", required = true)]
    pub panels: Vec<String>,
    /// A pattern such as `shop-{001..250}`.
    #[arg(long, conflicts_with = "name")]
    pub pattern: Option<String>,
    /// Names (repeatable).
    #[arg(long = "name")]
    pub name: Vec<String>,
    /// Traffic limit in GiB (none = unlimited).
    #[arg(long)]
    pub limit_gib: Option<u64>,
    /// Expiry in days from now (none = never).
    #[arg(long)]
    pub days: Option<u32>,
    /// 3x-ui inbounds (repeatable; required for 3x-ui panels).
    #[arg(long = "inbound")]
    pub inbounds: Vec<i64>,
    /// PasarGuard group ids (repeatable; none = every group of the panel).
    #[arg(long = "group")]
    pub groups: Vec<i64>,
    /// Marzban protocols (repeatable; default vless).
    #[arg(long = "protocol")]
    pub protocols: Vec<String>,
    /// Pterodactyl: servers and permissions (repeatable).
    #[arg(long = "server")]
    pub servers: Vec<String>,
    #[arg(long = "perm")]
    pub permissions: Vec<String>,
    #[command(flatten)]
    pub run: RunArgs,
}
