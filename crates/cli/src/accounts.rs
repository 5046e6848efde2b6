//! `paneldeck accounts list|show`: the same search, filters and sort as the app's table, over
//! the local snapshot (run `paneldeck sync` to refresh it), as a table, JSON or CSV.

use clap::{Args, Subcommand, ValueEnum};
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, AccountRow, SortColumn},
    dates::{date, iso},
    ApiError, CoreError, Paneldeck,
};

use crate::{
    output,
    select::{account_key, AccountFilter},
    OutputFormat,
};

#[derive(Subcommand, Debug)]
pub enum AccountsCommand {
    /// List accounts of every panel from the snapshot.
    List(ListArgs),
    /// Everything about one account, with the panel's raw record (JSON).
    Show {
        /// The account as `PANEL:ID`, or its panel (name or id) when the id follows.
        #[arg(value_name = "PANEL:ID|PANEL")]
        account: String,
        /// The account's id on its panel (3x-ui email, Marzban username, sub-user id, …).
        id: Option<String>,
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
    #[command(flatten)]
    filter: AccountFilter,
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

pub async fn run(
    core: &Paneldeck,
    command: AccountsCommand,
    format: OutputFormat,
) -> Result<(), ApiError> {
    match command {
        AccountsCommand::List(args) => list(core, args, format),
        AccountsCommand::Show { account, id } => {
            let key = match id {
                Some(id) => AccountKey::new(core.find_panel(&account)?.id, id),
                None => account_key(core, &account)?,
            };
            let detail = core.account_detail(&key)?;
            output::json(&detail);
            Ok(())
        }
    }
}

fn list(core: &Paneldeck, args: ListArgs, format: OutputFormat) -> Result<(), ApiError> {
    let mut query = AccountQuery {
        sort: args.sort.into(),
        descending: args.desc,
        offset: args.offset,
        limit: paneldeck_core::accounts::query::MAX_LIMIT,
        ..args.filter.query(core)?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_well() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(10 << 30), "10.0 GiB");
    }
}
