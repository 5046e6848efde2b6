//! `paneldeck bulk …`: the bulk engine of the app from the command line. Accounts are selected
//! with the same filters as `accounts list` (over the snapshot: run `paneldeck sync` first) or
//! with `--key PANEL:ID`; the plan is printed first (`--dry-run` stops there); the run shows a
//! progress bar on a terminal (stderr), Ctrl-C cancels (resume later), and the exit status is
//! non-zero when items failed.

use std::{
    collections::HashMap,
    io::{IsTerminal, Write},
    sync::Mutex,
};

use clap::{Args, Subcommand};
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, AccountStatus, Selection},
    actions::{ExpireInput, ExpiryInput, MarzbanProtocol, NewAccount, ProxyStatusInput},
    bulk::{
        BulkAction, BulkPlan, BulkProgress, BulkReport, BulkRequest, CancelToken, Counts,
        ExecOptions, ExportFormat, LimitChange, NameSource, OpId,
    },
    ApiError, CoreError, ErrorCode, Paneldeck,
};
use paneldeck_panels::PanelKind;

use crate::{output, Format};

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
    /// Every operation: who, what, when, result.
    History,
    /// One operation's items.
    Show { op: String },
    /// One operation's journal as CSV or JSON on stdout.
    Export {
        op: String,
        #[arg(long, default_value = "csv")]
        to: String,
    },
}

/// Which accounts (the filters of `accounts list`, or explicit keys) and how to run.
#[derive(Args, Debug)]
pub struct Change {
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Args, Debug)]
pub struct FilterArgs {
    /// Explicit accounts, `PANEL:ID` (repeatable); replaces the filters.
    #[arg(long = "key")]
    keys: Vec<String>,
    #[arg(long, short)]
    search: Option<String>,
    /// Only these panels (name or id; repeatable).
    #[arg(long)]
    panel: Vec<String>,
    #[arg(long)]
    kind: Vec<PanelKind>,
    /// active, disabled, expired, depleted, on_hold, limited.
    #[arg(long, value_parser = parse_status)]
    status: Vec<AccountStatus>,
    #[arg(long, value_name = "DAYS")]
    expiring_within: Option<u32>,
    #[arg(long)]
    depleted: bool,
    #[arg(long, conflicts_with = "offline")]
    online: bool,
    #[arg(long)]
    offline: bool,
    #[arg(long)]
    group: Option<String>,
    #[arg(long)]
    protocol: Option<String>,
    /// Select every account (no filter): required when no filter or key is given.
    #[arg(long)]
    all: bool,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Print the plan and stop.
    #[arg(long)]
    dry_run: bool,
    /// Requests in flight per panel.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Per-request timeout in seconds.
    #[arg(long)]
    timeout_secs: Option<u64>,
}

#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Panels to create on (name or id; repeatable).
    #[arg(long = "panel", required = true)]
    panels: Vec<String>,
    /// A pattern such as `shop-{001..250}`.
    #[arg(long, conflicts_with = "name")]
    pattern: Option<String>,
    /// Names (repeatable).
    #[arg(long = "name")]
    name: Vec<String>,
    /// Traffic limit in GiB (none = unlimited).
    #[arg(long)]
    limit_gib: Option<u64>,
    /// Expiry in days from now (none = never).
    #[arg(long)]
    days: Option<u32>,
    /// 3x-ui inbounds (repeatable; required for 3x-ui panels).
    #[arg(long = "inbound")]
    inbounds: Vec<i64>,
    /// Marzban protocols (repeatable; default vless).
    #[arg(long = "protocol")]
    protocols: Vec<String>,
    /// Pterodactyl: servers and permissions (repeatable).
    #[arg(long = "server")]
    servers: Vec<String>,
    #[arg(long = "perm")]
    permissions: Vec<String>,
    #[command(flatten)]
    run: RunArgs,
}

fn parse_status(s: &str) -> Result<AccountStatus, String> {
    AccountStatus::parse(s).ok_or_else(|| format!("unknown status '{s}'"))
}

fn invalid(message: impl Into<String>) -> ApiError {
    CoreError::invalid(message).into()
}

fn selection(core: &Paneldeck, f: FilterArgs) -> Result<Selection, ApiError> {
    if !f.keys.is_empty() {
        let mut keys = Vec::new();
        for k in &f.keys {
            let (panel, id) = k
                .split_once(':')
                .ok_or_else(|| invalid(format!("--key {k}: expected PANEL:ID")))?;
            keys.push(AccountKey::new(core.find_panel(panel)?.id, id));
        }
        return Ok(Selection::Keys { keys });
    }
    let mut panel_ids = Vec::new();
    for name in &f.panel {
        panel_ids.push(core.find_panel(name)?.id);
    }
    let online = match (f.online, f.offline) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let query = AccountQuery {
        search: f.search.unwrap_or_default(),
        panel_ids,
        kinds: f.kind,
        statuses: f.status,
        expiring_within_days: f.expiring_within,
        depleted: f.depleted,
        online,
        group: f.group,
        protocol: f.protocol,
        ..AccountQuery::default()
    };
    if query == AccountQuery::default() && !f.all {
        return Err(invalid(
            "no filter given: add filters, --key, or --all to select every account",
        ));
    }
    Ok(Selection::Query { query })
}

fn marzban_protocol(s: &str) -> Result<MarzbanProtocol, ApiError> {
    serde_json::from_value(serde_json::Value::String(s.to_ascii_lowercase())).map_err(|_| {
        invalid(format!(
            "unknown protocol '{s}' (vmess, vless, trojan, shadowsocks)"
        ))
    })
}

fn create_request(core: &Paneldeck, a: &CreateArgs) -> Result<BulkRequest, ApiError> {
    let mut panel_ids = Vec::new();
    for p in &a.panels {
        panel_ids.push(core.find_panel(p)?.id);
    }
    let names = match &a.pattern {
        Some(pattern) => NameSource::Pattern {
            pattern: pattern.clone(),
        },
        None if !a.name.is_empty() => NameSource::List {
            names: a.name.clone(),
        },
        None => return Err(invalid("give --pattern or --name")),
    };
    let limit = a.limit_gib.map(|g| g * GIB);
    let expiry_ms = a
        .days
        .map(|d| paneldeck_core::accounts::now_ms() + i64::from(d) * DAY_MS);
    let mut protocols = Vec::new();
    for p in &a.protocols {
        protocols.push(marzban_protocol(p)?);
    }
    if protocols.is_empty() {
        protocols.push(MarzbanProtocol::Vless);
    }
    let templates = vec![
        NewAccount::Xui {
            email: String::new(),
            inbound_ids: a.inbounds.clone(),
            total_bytes: limit,
            expiry: expiry_ms.map_or(ExpiryInput::Never, |ms| ExpiryInput::At { ms }),
            limit_ip: 0,
            comment: String::new(),
            group: None,
            reset_days: 0,
        },
        NewAccount::Marzban {
            username: String::new(),
            proxies: protocols,
            inbounds: Vec::new(),
            expire: expiry_ms.map_or(ExpireInput::Never, |ms| ExpireInput::At { ms }),
            data_limit_bytes: limit,
            data_limit_reset_strategy: Default::default(),
            template_id: None,
            status: Default::default(),
            on_hold_expire_duration_secs: None,
            note: String::new(),
        },
        NewAccount::Userpass {
            user_name: String::new(),
            password: None,
            usage_cap_bytes: limit,
            ip_usage_cap: None,
            note: String::new(),
            status: ProxyStatusInput::Active,
        },
        NewAccount::Pterodactyl {
            email: String::new(),
            server_ids: a.servers.clone(),
            permissions: a.permissions.clone(),
        },
    ];
    Ok(BulkRequest::Create {
        panel_ids,
        names,
        templates,
    })
}

fn change_request(
    core: &Paneldeck,
    command: BulkCommand,
) -> Result<Option<(BulkRequest, RunArgs)>, ApiError> {
    let simple = |c: Change, action: BulkAction| -> Result<_, ApiError> {
        Ok(Some((
            BulkRequest::Change {
                selection: selection(core, c.filter)?,
                action,
            },
            c.run,
        )))
    };
    match command {
        BulkCommand::Enable(c) => simple(c, BulkAction::Enable),
        BulkCommand::Disable(c) => simple(c, BulkAction::Disable),
        BulkCommand::Delete {
            keep_traffic,
            change,
        } => simple(change, BulkAction::Delete { keep_traffic }),
        BulkCommand::Extend { days, change } => simple(change, BulkAction::ExtendExpiry { days }),
        BulkCommand::SetExpiry {
            days_from_now,
            never,
            change,
        } => {
            let ms = match (days_from_now, never) {
                (Some(d), _) => Some(paneldeck_core::accounts::now_ms() + i64::from(d) * DAY_MS),
                (None, true) => None,
                (None, false) => return Err(invalid("give --days-from-now or --never")),
            };
            simple(change, BulkAction::SetExpiry { ms })
        }
        BulkCommand::AddTraffic { gib, change } => {
            simple(change, BulkAction::AddTraffic { bytes: gib * GIB })
        }
        BulkCommand::SetLimit {
            gib,
            unlimited,
            change,
        } => {
            if gib.is_none() && !unlimited {
                return Err(invalid("give --gib or --unlimited"));
            }
            simple(
                change,
                BulkAction::SetTrafficLimit {
                    bytes: gib.map(|g| g * GIB),
                },
            )
        }
        BulkCommand::ResetTraffic(c) => simple(c, BulkAction::ResetTraffic),
        BulkCommand::Attach { inbounds, change } => simple(
            change,
            BulkAction::AttachInbounds {
                inbound_ids: inbounds,
            },
        ),
        BulkCommand::Detach { inbounds, change } => simple(
            change,
            BulkAction::DetachInbounds {
                inbound_ids: inbounds,
            },
        ),
        BulkCommand::Group { name, change } => {
            simple(change, BulkAction::AddToGroup { group: name })
        }
        BulkCommand::Ungroup(c) => simple(c, BulkAction::RemoveFromGroup),
        BulkCommand::Template { id, change } => {
            simple(change, BulkAction::ApplyTemplate { template_id: id })
        }
        BulkCommand::RevokeSub(c) => simple(c, BulkAction::RevokeSubscription),
        BulkCommand::SetCaps {
            usage_gib,
            ip_cap,
            change,
        } => {
            let limit = |v: Option<u64>, unit: u64| match v {
                None => LimitChange::Keep,
                Some(0) => LimitChange::Unlimited,
                Some(n) => LimitChange::To { value: n * unit },
            };
            simple(
                change,
                BulkAction::SetCaps {
                    usage_cap_bytes: limit(usage_gib, GIB),
                    ip_usage_cap: limit(ip_cap, 1),
                },
            )
        }
        BulkCommand::SetStatus { disabled, change } => simple(
            change,
            BulkAction::SetStatus {
                status: if disabled {
                    ProxyStatusInput::Disabled
                } else {
                    ProxyStatusInput::Active
                },
            },
        ),
        BulkCommand::Grant {
            permissions,
            change,
        } => simple(change, BulkAction::GrantPermissions { permissions }),
        BulkCommand::RevokePerm {
            permissions,
            change,
        } => simple(change, BulkAction::RevokePermissions { permissions }),
        BulkCommand::Create(a) => {
            let request = create_request(core, &a)?;
            Ok(Some((request, a.run)))
        }
        BulkCommand::AddPerson {
            panel,
            email,
            servers,
            permissions,
            run,
        } => Ok(Some((
            BulkRequest::AddPerson {
                panel_id: core.find_panel(&panel)?.id,
                email,
                server_ids: servers,
                permissions,
            },
            run,
        ))),
        BulkCommand::RemovePerson { email, run } => Ok(Some((
            BulkRequest::RemovePerson {
                email,
                panel_ids: Vec::new(),
            },
            run,
        ))),
        _ => Ok(None),
    }
}

/// Progress on stderr: a bar rewritten in place on a terminal, nothing otherwise.
struct Bar {
    live: bool,
    panels: Mutex<HashMap<String, Counts>>,
}

impl Bar {
    fn new() -> Self {
        Bar {
            live: std::io::stderr().is_terminal(),
            panels: Mutex::new(HashMap::new()),
        }
    }

    fn show(&self, p: &BulkProgress) {
        if !self.live {
            return;
        }
        let mut panels = self.panels.lock().unwrap_or_else(|e| e.into_inner());
        panels.insert(p.panel_id.0.clone(), p.counts.clone());
        let (mut total, mut finished, mut failed) = (0u32, 0u32, 0u32);
        for c in panels.values() {
            total += c.total - c.skipped;
            finished += c.done + c.failed;
            failed += c.failed;
        }
        let width = 30usize;
        let filled = if total == 0 {
            width
        } else {
            (finished as usize * width) / total as usize
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[K[{}{}] {finished}/{total}  failed {failed}",
            "#".repeat(filled),
            ".".repeat(width - filled)
        );
        let _ = err.flush();
    }

    fn end(&self) {
        if self.live {
            let _ = writeln!(std::io::stderr());
        }
    }
}

fn print_plan(plan: &BulkPlan, format: Format) {
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
                        .map(|c| {
                            format!(
                                "{}: {} → {}",
                                c.field,
                                c.before.as_deref().unwrap_or("—"),
                                c.after.as_deref().unwrap_or("—")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ],
            })
            .collect();
        output::table(&["ACCOUNT", "ACTION", "CHANGE"], &rows);
    }
}

fn print_report(report: &BulkReport, format: Format) -> Result<(), ApiError> {
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
        for f in &report.failures {
            eprintln!(
                "failed: {} on {}: {}",
                f.name,
                f.panel_name,
                f.error_message.as_deref().unwrap_or("?")
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
        });
    }
    if report.cancelled {
        return Err(ApiError {
            code: ErrorCode::Conflict,
            message: "cancelled".into(),
            fields: Vec::new(),
            fingerprint: None,
        });
    }
    Ok(())
}

fn options(run: &RunArgs) -> ExecOptions {
    ExecOptions {
        concurrency: run.concurrency.max(1),
        request_timeout: run.timeout_secs.map(std::time::Duration::from_secs),
        ..ExecOptions::default()
    }
}

/// Ctrl-C cancels the run (new requests stop; the journal keeps what ran).
fn cancel_on_ctrl_c() -> CancelToken {
    let cancel = CancelToken::new();
    let c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("\ncancelling: requests in flight finish, no new ones start…");
            c.cancel();
        }
    });
    cancel
}

pub async fn run(core: &Paneldeck, command: BulkCommand, format: Format) -> Result<(), ApiError> {
    let bar = Bar::new();
    match command {
        BulkCommand::History => {
            let history = core.bulk_history()?;
            if format == Format::Json {
                output::json(&history);
            } else {
                let rows: Vec<Vec<String>> = history
                    .iter()
                    .map(|o| {
                        vec![
                            o.op_id.0.clone(),
                            paneldeck_core::bulk::fmt::moment(o.created_at_ms),
                            o.actor.clone(),
                            o.title.clone(),
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
            }
            Ok(())
        }
        BulkCommand::Show { op } => {
            let items = core.bulk_items(&OpId(op))?;
            if format == Format::Json {
                output::json(&items);
            } else {
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
                            i.error_message
                                .clone()
                                .or_else(|| i.message.clone())
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
            }
            Ok(())
        }
        BulkCommand::Export { op, to } => {
            let fmt = match to.as_str() {
                "csv" => ExportFormat::Csv,
                "json" => ExportFormat::Json,
                other => return Err(invalid(format!("--to {other}: csv or json"))),
            };
            print!("{}", core.bulk_export_history(&OpId(op), fmt)?);
            Ok(())
        }
        BulkCommand::Resume { op, run } => {
            let report = core
                .bulk_resume(
                    &OpId(op),
                    options(&run),
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
                    options(&run),
                    |p| bar.show(&p),
                    cancel_on_ctrl_c(),
                )
                .await;
            bar.end();
            print_report(&report?, format)
        }
        other => {
            let Some((request, run)) = change_request(core, other)? else {
                return Ok(());
            };
            let plan = core.bulk_plan(&request)?;
            print_plan(&plan, format);
            if run.dry_run {
                core.bulk_discard_plan(&plan.id)?;
                return Ok(());
            }
            let report = core
                .bulk_execute_with(
                    &plan.id,
                    options(&run),
                    |p| bar.show(&p),
                    cancel_on_ctrl_c(),
                )
                .await;
            bar.end();
            print_report(&report?, format)
        }
    }
}
