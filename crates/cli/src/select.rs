//! Which accounts a command works on: the filter flags every command shares (the search and
//! filters of the app's table, over the snapshot) and the one way to name an account,
//! `PANEL:ID`.

use clap::Args;
use paneldeck_core::{
    accounts::{AccountKey, AccountQuery, AccountStatus},
    ApiError, CoreError, Paneldeck,
};
use paneldeck_panels::PanelKind;

/// The account filters of `accounts list`, `bulk`, `links` and `export`.
#[derive(Args, Debug, Clone, Default)]
pub struct AccountFilter {
    /// Words to find in name, email, note, subscription id or uuid (all must appear).
    #[arg(long, short)]
    search: Option<String>,
    /// Only these panels (name or id; repeat the flag for several).
    #[arg(long)]
    panel: Vec<String>,
    /// Only these kinds: xui, marzban, pasarguard, userpass, pterodactyl.
    #[arg(long)]
    kind: Vec<PanelKind>,
    /// Only these statuses: active, disabled, expired, depleted, on_hold, limited.
    #[arg(long, value_parser = parse_status)]
    status: Vec<AccountStatus>,
    /// Only accounts expiring within this many days.
    #[arg(long, value_name = "DAYS")]
    expiring_within: Option<u32>,
    /// Only accounts whose traffic quota is used up, whatever their status (expired ones
    /// too); `--status depleted` is the Depleted status the dashboard counts.
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
}

impl AccountFilter {
    /// The query the flags ask for, panel names resolved; the sort and window are the default.
    pub fn query(&self, core: &Paneldeck) -> Result<AccountQuery, ApiError> {
        let mut panel_ids = Vec::new();
        for name in &self.panel {
            panel_ids.push(core.find_panel(name)?.id);
        }
        let online = match (self.online, self.offline) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        };
        Ok(AccountQuery {
            search: self.search.clone().unwrap_or_default(),
            panel_ids,
            kinds: self.kind.clone(),
            statuses: self.status.clone(),
            expiring_within_days: self.expiring_within,
            depleted: self.depleted,
            online,
            group: self.group.clone(),
            protocol: self.protocol.clone(),
            ..AccountQuery::default()
        })
    }
}

fn parse_status(s: &str) -> Result<AccountStatus, String> {
    AccountStatus::parse(s).ok_or_else(|| {
        format!("unknown status '{s}' (active, disabled, expired, depleted, on_hold, limited)")
    })
}

/// Reads `PANEL:ID` (panel name or id, then the account's id on its panel). A panel name may
/// itself hold `:`: the first prefix that names a panel is the panel.
pub fn account_key(core: &Paneldeck, text: &str) -> Result<AccountKey, ApiError> {
    let malformed = || {
        ApiError::from(CoreError::invalid(format!(
            "'{text}': name the account as PANEL:ID (for example 'My panel:alice@example.com')"
        )))
    };
    let mut not_found = None;
    for (at, _) in text.match_indices(':') {
        let (panel, id) = (&text[..at], &text[at + 1..]);
        if panel.is_empty() {
            continue;
        }
        match core.find_panel(panel) {
            Ok(_) if id.is_empty() => return Err(malformed()),
            Ok(p) => return Ok(AccountKey::new(p.id, id)),
            Err(e @ CoreError::NotFound(_)) => {
                not_found.get_or_insert(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(not_found.map_or_else(malformed, ApiError::from))
}
