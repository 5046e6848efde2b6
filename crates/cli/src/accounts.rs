//! `paneldeck accounts list|show`: the same search, filters and sort as the app's table, over
//! the local snapshot (run `paneldeck sync` to refresh it), as a table, JSON or CSV.

use clap::{Args, Subcommand, ValueEnum};
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, AccountRow, AccountStatus, SortColumn},
    ApiError, CoreError, Paneldeck,
};
use paneldeck_panels::PanelKind;

use crate::{output, OutputFormat};

#[derive(Subcommand, Debug)]
pub enum AccountsCommand {
    /// List accounts of every panel from the snapshot.
    List(ListArgs),
    /// Everything about one account, with the panel's raw record (JSON).
    Show {
        /// Panel name or id.
        panel: String,
        /// The account's id on its panel (3x-ui email, Marzban username, sub-user id, …).
        id: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Sort {
    Name,
    Panel,
    Kind,
    Status,
    Used,
    Limit,
    Expiry,
    LastOnline,
    Created,
}

impl From<Sort> for SortColumn {
    fn from(s: Sort) -> Self {
        match s {
            Sort::Name => SortColumn::Name,
            Sort::Panel => SortColumn::Panel,
            Sort::Kind => SortColumn::Kind,
            Sort::Status => SortColumn::Status,
            Sort::Used => SortColumn::Used,
            Sort::Limit => SortColumn::Limit,
            Sort::Expiry => SortColumn::Expiry,
            Sort::LastOnline => SortColumn::LastOnline,
            Sort::Created => SortColumn::Created,
        }
    }
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Words to find in name, email, note, subscription id or uuid (all must appear).
    #[arg(long, short)]
    search: Option<String>,
    /// Only these panels (name or id; repeat the flag for several).
    #[arg(long)]
    panel: Vec<String>,
    /// Only these kinds: xui, marzban, userpass, pterodactyl.
    #[arg(long)]
    kind: Vec<PanelKind>,
    /// Only these statuses: active, disabled, expired, depleted, on_hold, limited.
    #[arg(long, value_parser = parse_status)]
    status: Vec<AccountStatus>,
    /// Only accounts expiring within this many days.
    #[arg(long, value_name = "DAYS")]
    expiring_within: Option<u32>,
    /// Only accounts whose traffic quota is used up.
    #[arg(long)]
    depleted: bool,
    /// Only accounts online now.
    #[arg(long, conflicts_with = "offline")]
    online: bool,
    /// Only accounts not online now.
    #[arg(long)]
    offline: bool,
    /// Only this group (3x-ui group, Pterodactyl server).
    #[arg(long)]
    group: Option<String>,
    /// Only accounts with this protocol (vless, vmess, trojan, shadowsocks, http, socks5, …).
    #[arg(long)]
    protocol: Option<String>,
    #[arg(long, value_enum, default_value_t = Sort::Name)]
    sort: Sort,
    /// Sort in descending order.
    #[arg(long)]
    desc: bool,
    /// Skip this many rows.
    #[arg(long, default_value_t = 0)]
    offset: u32,
    /// At most this many rows (default: all that match).
    #[arg(long)]
    limit: Option<u32>,
}

fn parse_status(s: &str) -> Result<AccountStatus, String> {
    AccountStatus::parse(s).ok_or_else(|| {
        format!("unknown status '{s}' (active, disabled, expired, depleted, on_hold, limited)")
    })
}

pub async fn run(
    core: &Paneldeck,
    command: AccountsCommand,
    format: OutputFormat,
) -> Result<(), ApiError> {
    match command {
        AccountsCommand::List(args) => list(core, args, format),
        AccountsCommand::Show { panel, id } => {
            let panel = core.find_panel(&panel)?;
            let detail = core.account_detail(&AccountKey::new(panel.id, id))?;
            output::json(&detail);
            Ok(())
        }
    }
}

fn list(core: &Paneldeck, args: ListArgs, format: OutputFormat) -> Result<(), ApiError> {
    let mut panel_ids = Vec::new();
    for name in &args.panel {
        panel_ids.push(core.find_panel(name)?.id);
    }
    let online = match (args.online, args.offline) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let mut query = AccountQuery {
        search: args.search.unwrap_or_default(),
        panel_ids,
        kinds: args.kind,
        statuses: args.status,
        expiring_within_days: args.expiring_within,
        depleted: args.depleted,
        online,
        group: args.group,
        protocol: args.protocol,
        sort: args.sort.into(),
        descending: args.desc,
        offset: args.offset,
        limit: paneldeck_core::accounts::query::MAX_LIMIT,
    };
    // Window by window, so `--limit` or all matches, never more than one window at a time.
    let wanted = args.limit.map_or(u64::MAX, u64::from);
    let mut rows: Vec<AccountRow> = Vec::new();
    loop {
        let left = wanted - rows.len() as u64;
        query.limit =
            u32::try_from(left.min(u64::from(paneldeck_core::accounts::query::MAX_LIMIT)))
                .unwrap_or(1);
        if left == 0 {
            break;
        }
        let page = core.query_accounts(&query)?;
        let n = page.rows.len() as u32;
        rows.extend(page.rows);
        if n < query.limit || u64::from(query.offset + n) >= page.matched {
            break;
        }
        query.offset += n;
    }
    match format {
        OutputFormat::Json => output::json(&rows),
        OutputFormat::Csv => csv_out(&rows)?,
        OutputFormat::Table => output::table(
            &[
                "PANEL", "KIND", "NAME", "STATUS", "USED", "LIMIT", "EXPIRES", "ONLINE", "GROUP",
            ],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.panel_name.clone(),
                        r.kind.to_string(),
                        r.name.clone(),
                        r.status.to_string(),
                        human_bytes(r.used_bytes),
                        r.limit_bytes.map_or("∞".into(), human_bytes),
                        r.expires_at_ms.map_or("never".into(), date),
                        match r.online {
                            Some(true) => "yes".into(),
                            Some(false) => "no".into(),
                            None => "-".into(),
                        },
                        r.group.clone().unwrap_or_default(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
    }
    Ok(())
}

fn csv_out(rows: &[AccountRow]) -> Result<(), ApiError> {
    let fail =
        |e: csv::Error| ApiError::from(CoreError::Internal(format!("cannot write CSV: {e}")));
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    w.write_record([
        "panel",
        "panel_id",
        "kind",
        "native_id",
        "name",
        "email",
        "status",
        "used_bytes",
        "limit_bytes",
        "expires_at",
        "online",
        "last_online",
        "group",
    ])
    .map_err(fail)?;
    for r in rows {
        w.write_record([
            r.panel_name.clone(),
            r.key.panel_id.0.clone(),
            r.kind.to_string(),
            r.key.native_id.clone(),
            r.name.clone(),
            r.email.clone().unwrap_or_default(),
            r.status.to_string(),
            r.used_bytes.to_string(),
            r.limit_bytes.map(|b| b.to_string()).unwrap_or_default(),
            r.expires_at_ms.map(iso).unwrap_or_default(),
            r.online.map(|o| o.to_string()).unwrap_or_default(),
            r.last_online_ms.map(iso).unwrap_or_default(),
            r.group.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    w.flush()
        .map_err(|e| ApiError::from(CoreError::Internal(format!("cannot write CSV: {e}"))))
}

/// 1536 → "1.5 KiB".
pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = b as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

fn civil(ms: i64) -> (i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        yoe + era * 400 + i64::from(m <= 2),
        m,
        d,
        secs.rem_euclid(86_400),
    )
}

/// UTC date, `2026-11-23`.
fn date(ms: i64) -> String {
    let (y, m, d, _) = civil(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// UTC time, `2026-11-23T07:56:05Z`.
fn iso(ms: i64) -> String {
    let (y, m, d, s) = civil(ms);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_dates_read_well() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10 << 30), "10.0 GiB");
        assert_eq!(iso(1_795_420_565_000), "2026-11-23T07:56:05Z");
        assert_eq!(date(0), "1970-01-01");
    }
}
