//! From validated rows to a preview against a target panel's snapshot: per row a create, an
//! update (with the fields that change), unchanged, or a conflict — nothing is written. The
//! bulk engine applies the plan ([`ImportPlan::bulk_items`]).

use std::{
    borrow::Cow,
    collections::{hash_map::Entry, HashMap},
};

use paneldeck_panels::{PanelKind, Secret};
use serde::Serialize;

use super::{
    import::{lower, ColumnSet, Parsed, ParsedRow, RowError},
    schema::{col, AccountRecord},
};
pub use crate::actions::{KeptCredentials, KeptSettings};
use crate::{
    accounts::{model::DAY_MS, Account, AccountKey, RawBits},
    actions::{
        AccountEdit, ExpireInput, ExpiryInput, MarzbanCreateStatus, MarzbanProtocol,
        MarzbanProtocolInbounds, MarzbanStatusInput, NewAccount, ProtocolInbounds,
        ProxyStatusInput, ResetStrategy, XuiInboundOption,
    },
    bulk::ItemInput,
    registry::PanelId,
};

/// The secrets of `r` a create on a `to` panel keeps (the create forms, [`NewAccount`], have
/// no fields for them; the bulk engine sends them with the create): what that kind can be
/// given. Marzban issues its own subscription token; a Pterodactyl uuid is the panel's.
fn kept_credentials(r: &AccountRecord, to: PanelKind) -> KeptCredentials {
    match to {
        PanelKind::Xui => KeptCredentials {
            uuid: r.uuid.clone().or_else(|| r.vmess_uuid.clone()),
            password: r.password.clone(),
            // A subscription id of another kind (a Marzban token) is not a 3x-ui subId.
            sub_id: r
                .sub_id
                .clone()
                .filter(|_| r.kind.is_none_or(|k| k == PanelKind::Xui)),
            flow: r.flow.clone(),
            ..KeptCredentials::default()
        },
        PanelKind::Marzban => KeptCredentials {
            uuid: r.uuid.clone(),
            vmess_uuid: r.vmess_uuid.clone(),
            password: r.password.clone(),
            flow: r.flow.clone(),
            ss_method: r.ss_method.clone(),
            ..KeptCredentials::default()
        },
        PanelKind::Userpass => KeptCredentials {
            password: r.password.clone(),
            ..KeptCredentials::default()
        },
        PanelKind::Pterodactyl => KeptCredentials::default(),
    }
}

/// What of `r` a create on a `to` panel keeps beyond its form: the disabled state (3x-ui and
/// Marzban create accounts active), 3x-ui's Telegram id and device limit.
fn kept_settings(r: &AccountRecord, to: PanelKind) -> KeptSettings {
    let xui = to == PanelKind::Xui;
    KeptSettings {
        disabled: matches!(to, PanelKind::Xui | PanelKind::Marzban) && r.enabled == Some(false),
        tg_id: r.tg_id.filter(|t| xui && *t != 0),
        hwid_limit: r
            .hwid_limit
            .filter(|h| xui && *h > 0)
            .and_then(|h| u32::try_from(h).ok()),
    }
}

/// One field before → after, as display text (`None` = unlimited / never / unset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportAction {
    Create(NewAccount),
    Update { key: AccountKey, edit: AccountEdit },
    Unchanged { key: AccountKey },
    Conflict { reason: String },
}

impl ImportAction {
    pub fn label(&self) -> &'static str {
        match self {
            ImportAction::Create(_) => "create",
            ImportAction::Update { .. } => "update",
            ImportAction::Unchanged { .. } => "unchanged",
            ImportAction::Conflict { .. } => "conflict",
        }
    }
}

/// One row of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportItem {
    /// The file line (migration: the account's position in the source, from 1).
    pub line: u64,
    pub name: String,
    pub action: ImportAction,
    /// What an update changes (empty for the other actions).
    pub changes: Vec<Change>,
    /// Secrets a create keeps (empty otherwise).
    pub credentials: KeptCredentials,
    /// Settings a create keeps that its form has no field for (empty otherwise).
    pub settings: KeptSettings,
    /// What the target kind cannot hold, one sentence each.
    pub not_carried: Vec<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub panel_id: PanelId,
    pub kind: PanelKind,
    pub items: Vec<ImportItem>,
    pub errors: Vec<RowError>,
}

/// Counts per action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanCounts {
    pub create: u32,
    pub update: u32,
    pub unchanged: u32,
    pub conflict: u32,
    pub errors: u32,
}

/// A row of the preview as the UI and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    #[specta(type = specta_typescript::Number)]
    pub line: u64,
    pub name: String,
    /// `create`, `update`, `unchanged`, `conflict`.
    pub action: String,
    pub changes: Vec<Change>,
    pub reason: Option<String>,
    pub not_carried: Vec<String>,
    /// Whether secrets are kept on create (values never shown).
    pub keeps_credentials: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanPreview {
    pub panel_id: PanelId,
    pub kind: PanelKind,
    pub counts: PlanCounts,
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<RowError>,
}

impl ImportPlan {
    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts {
            errors: u32::try_from(self.errors.len()).unwrap_or(u32::MAX),
            ..PlanCounts::default()
        };
        for i in &self.items {
            match i.action {
                ImportAction::Create(_) => c.create += 1,
                ImportAction::Update { .. } => c.update += 1,
                ImportAction::Unchanged { .. } => c.unchanged += 1,
                ImportAction::Conflict { .. } => c.conflict += 1,
            }
        }
        c
    }

    pub fn preview(&self) -> PlanPreview {
        PlanPreview {
            panel_id: self.panel_id.clone(),
            kind: self.kind,
            counts: self.counts(),
            rows: self
                .items
                .iter()
                .map(|i| PreviewRow {
                    line: i.line,
                    name: i.name.clone(),
                    action: i.action.label().to_owned(),
                    changes: i.changes.clone(),
                    reason: match &i.action {
                        ImportAction::Conflict { reason } => Some(reason.clone()),
                        _ => None,
                    },
                    not_carried: i.not_carried.iter().map(|s| (*s).to_owned()).collect(),
                    keeps_credentials: matches!(i.action, ImportAction::Create(_))
                        && i.credentials.keeps_secrets(),
                })
                .collect(),
            errors: self.errors.clone(),
        }
    }

    /// The creates (with the credentials and settings they keep) and updates, for
    /// [`crate::Paneldeck::plan_from_items`] (or use [`crate::Paneldeck::import_apply`]).
    pub fn bulk_items(&self) -> Vec<ItemInput> {
        self.items
            .iter()
            .filter_map(|i| match &i.action {
                ImportAction::Create(new) => Some(ItemInput::Create {
                    panel_id: self.panel_id.clone(),
                    new: new.clone(),
                    credentials: i.credentials.clone(),
                    settings: i.settings,
                }),
                ImportAction::Update { key, edit } => Some(ItemInput::Edit {
                    key: key.clone(),
                    edit: edit.clone(),
                }),
                _ => None,
            })
            .collect()
    }
}

/// The panel rows are mapped onto: its snapshot and what its create form offers.
pub struct Target<'a> {
    pub panel_id: PanelId,
    pub kind: PanelKind,
    /// The snapshot of the panel: accounts with their raw records.
    pub accounts: &'a [(Account, RawBits)],
    /// 3x-ui: the panel's inbounds (empty = unknown; numeric ids are then taken as given).
    pub xui_inbounds: &'a [XuiInboundOption],
    /// Marzban: the panel's inbound tags per protocol (empty = unknown; a create then gets
    /// every inbound of its protocols).
    pub marzban_inbounds: &'a [MarzbanProtocolInbounds],
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// 3x-ui: inbounds for rows whose own inbounds and protocols do not fit this panel.
    pub xui_inbound_ids: Vec<i64>,
    /// Leave existing accounts alone (they are reported unchanged / as conflicts only).
    pub create_only: bool,
}

/// Builds the plan of `parsed` rows against `target`.
pub fn plan(parsed: &Parsed, target: &Target<'_>, opts: &PlanOptions) -> ImportPlan {
    // Lowercased names borrowed where already lowercase: no allocation per row.
    let mut by_name: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(target.accounts.len());
    for (i, (a, _)) in target.accounts.iter().enumerate() {
        by_name.insert(lower(&a.name), i);
    }
    let names: Vec<Cow<'_, str>> = parsed.rows.iter().map(|r| lower(&r.record.name)).collect();
    // In file order: the line a name was first planned on, for the rows that repeat it.
    let mut planned: HashMap<&str, u64> = HashMap::with_capacity(names.len());
    let repeats: Vec<Option<u64>> = parsed
        .rows
        .iter()
        .zip(&names)
        .map(|(row, name)| match planned.entry(name.as_ref()) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(v) => {
                v.insert(row.line);
                None
            }
        })
        .collect();
    drop(planned);
    // The rows are independent now: planned on every core.
    let items = map_parallel(&parsed.rows, |i, row| match repeats[i] {
        Some(first) => conflict(
            row,
            format!(
                "'{}' is also on line {first}; a panel holds one account per name",
                row.record.name
            ),
        ),
        None => {
            let existing = by_name.get(&names[i]).map(|i| &target.accounts[*i]);
            plan_row(row, existing, target, opts)
        }
    });
    ImportPlan {
        panel_id: target.panel_id.clone(),
        kind: target.kind,
        items,
        errors: parsed.errors.clone(),
    }
}

/// `f` over `items` (with their indices), in order, on every core for large inputs.
fn map_parallel<T: Sync, U: Send>(items: &[T], f: impl Fn(usize, &T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 4_096 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                s.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, t)| f(c * chunk + i, t))
                        .collect::<Vec<U>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for p in parts {
            match p.join() {
                Ok(v) => out.extend(v),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

fn item(row: &ParsedRow, action: ImportAction) -> ImportItem {
    ImportItem {
        line: row.line,
        name: row.record.name.clone(),
        action,
        changes: Vec::new(),
        credentials: KeptCredentials::default(),
        settings: KeptSettings::default(),
        not_carried: Vec::new(),
    }
}

fn conflict(row: &ParsedRow, reason: impl Into<String>) -> ImportItem {
    item(
        row,
        ImportAction::Conflict {
            reason: reason.into(),
        },
    )
}

fn plan_row(
    row: &ParsedRow,
    existing: Option<&(Account, RawBits)>,
    target: &Target<'_>,
    opts: &PlanOptions,
) -> ImportItem {
    let not_carried = not_carried(&row.record, target.kind);
    let mut out = match existing {
        None => match new_account(&row.record, target, opts) {
            Ok(new) => {
                let mut it = item(row, ImportAction::Create(new));
                it.credentials = kept_credentials(&row.record, target.kind);
                it.settings = kept_settings(&row.record, target.kind);
                it
            }
            Err(reason) => conflict(row, reason),
        },
        Some((account, raw)) => {
            if let (Some(want), Some(have)) = (row.record.uuid.as_deref(), account.uuid.as_deref())
            {
                if !want.eq_ignore_ascii_case(have) {
                    return conflict(
                        row,
                        format!(
                            "'{}' exists with another UUID ({}…, the file has {}…); an edit cannot change it",
                            account.name,
                            have.get(..8).unwrap_or(have),
                            want.get(..8).unwrap_or(want)
                        ),
                    );
                }
            }
            let (edit, changes) = edit_for(&row.record, row.present, account, raw);
            if changes.is_empty() {
                item(
                    row,
                    ImportAction::Unchanged {
                        key: account.key.clone(),
                    },
                )
            } else if opts.create_only {
                conflict(
                    row,
                    format!("'{}' already exists and differs", account.name),
                )
            } else {
                match edit {
                    Some(edit) => {
                        let mut it = item(
                            row,
                            ImportAction::Update {
                                key: account.key.clone(),
                                edit,
                            },
                        );
                        it.changes = changes;
                        it
                    }
                    None => conflict(row, "this panel's accounts cannot be edited this way"),
                }
            }
        }
    };
    out.not_carried = not_carried;
    out
}

// ---------- creates ----------

fn marzban_protocol(p: &str) -> Option<MarzbanProtocol> {
    match p.to_ascii_lowercase().as_str() {
        "vless" => Some(MarzbanProtocol::Vless),
        "vmess" => Some(MarzbanProtocol::Vmess),
        "trojan" => Some(MarzbanProtocol::Trojan),
        "shadowsocks" | "ss" => Some(MarzbanProtocol::Shadowsocks),
        _ => None,
    }
}

fn xui_expiry(r: &AccountRecord) -> ExpiryInput {
    match (r.expires_at_ms, r.expire_after_first_use_ms) {
        (Some(ms), _) if ms > 0 => ExpiryInput::At { ms },
        (_, Some(d)) if d > 0 => ExpiryInput::AfterFirstUse {
            days: u32::try_from((d + DAY_MS - 1) / DAY_MS).unwrap_or(u32::MAX),
        },
        _ => ExpiryInput::Never,
    }
}

fn marzban_expire(r: &AccountRecord) -> ExpireInput {
    match r.expires_at_ms {
        Some(ms) if ms >= 1000 => ExpireInput::At {
            ms: ms - ms.rem_euclid(1000),
        },
        _ => ExpireInput::Never,
    }
}

fn reset_strategy(s: Option<&str>) -> ResetStrategy {
    match s.unwrap_or("").to_ascii_lowercase().as_str() {
        "day" => ResetStrategy::Day,
        "week" => ResetStrategy::Week,
        "month" => ResetStrategy::Month,
        "year" => ResetStrategy::Year,
        _ => ResetStrategy::NoReset,
    }
}

/// 3x-ui inbounds for a row: its own ids where this panel has them, else the panel's inbounds
/// of the row's protocols, else the options' fallback.
fn xui_inbounds_for(r: &AccountRecord, target: &Target<'_>, opts: &PlanOptions) -> Vec<i64> {
    let known =
        |id: i64| target.xui_inbounds.is_empty() || target.xui_inbounds.iter().any(|i| i.id == id);
    if r.kind == Some(PanelKind::Xui) || r.kind.is_none() {
        let ids: Vec<i64> = r
            .inbounds
            .iter()
            .filter_map(|s| s.parse::<i64>().ok())
            .filter(|id| known(*id))
            .collect();
        if !ids.is_empty() {
            return ids;
        }
    }
    let by_protocol: Vec<i64> = target
        .xui_inbounds
        .iter()
        .filter(|i| {
            r.protocols
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&i.protocol))
        })
        .map(|i| i.id)
        .collect();
    if !by_protocol.is_empty() {
        return by_protocol;
    }
    opts.xui_inbound_ids.clone()
}

/// Marzban inbounds for a row of a Marzban panel: per protocol, the row's tags this panel
/// has, so inbounds a user was kept off stay excluded. A protocol whose inbounds are all
/// (or none) of the row's gets every inbound, as Marzban does when given none.
fn marzban_inbounds_for(
    r: &AccountRecord,
    proxies: &[MarzbanProtocol],
    target: &[MarzbanProtocolInbounds],
) -> Vec<ProtocolInbounds> {
    if r.kind != Some(PanelKind::Marzban) || r.inbounds.is_empty() {
        return Vec::new();
    }
    proxies
        .iter()
        .filter_map(|p| {
            let all: Vec<&str> = target
                .iter()
                .filter(|t| t.protocol == *p)
                .flat_map(|t| t.inbounds.iter().map(|i| i.tag.as_str()))
                .collect();
            let tags: Vec<String> = all
                .iter()
                .filter(|t| r.inbounds.iter().any(|have| have == *t))
                .map(|t| (*t).to_owned())
                .collect();
            (!tags.is_empty() && tags.len() < all.len())
                .then_some(ProtocolInbounds { protocol: *p, tags })
        })
        .collect()
}

fn marzban_username_ok(name: &str) -> bool {
    (3..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@' | '.'))
}

fn new_account(
    r: &AccountRecord,
    target: &Target<'_>,
    opts: &PlanOptions,
) -> Result<NewAccount, String> {
    let clamp32 = |v: Option<u64>| v.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX));
    Ok(match target.kind {
        PanelKind::Xui => {
            let inbound_ids = xui_inbounds_for(r, target, opts);
            if inbound_ids.is_empty() {
                return Err(format!(
                    "no inbound of this panel fits '{}' (protocols: {}); choose inbounds to attach",
                    r.name,
                    if r.protocols.is_empty() {
                        "none".to_owned()
                    } else {
                        r.protocols.join(", ")
                    }
                ));
            }
            NewAccount::Xui {
                email: r.name.clone(),
                inbound_ids,
                total_bytes: r.limit_bytes.filter(|b| *b > 0),
                expiry: xui_expiry(r),
                limit_ip: clamp32(r.ip_limit),
                comment: r.note.clone().unwrap_or_default(),
                group: r.group.clone(),
                reset_days: r.reset_days.unwrap_or(0),
            }
        }
        PanelKind::Marzban => {
            if !marzban_username_ok(&r.name) {
                return Err(format!(
                    "'{}' is not a Marzban username (3–32 of a-z A-Z 0-9 _ - @ .)",
                    r.name
                ));
            }
            let mut proxies: Vec<MarzbanProtocol> = r
                .protocols
                .iter()
                .filter_map(|p| marzban_protocol(p))
                .collect();
            proxies.sort();
            proxies.dedup();
            if proxies.is_empty() {
                proxies.push(if r.password.is_some() && r.uuid.is_none() {
                    MarzbanProtocol::Trojan
                } else {
                    MarzbanProtocol::Vless
                });
            }
            let after = r.expire_after_first_use_ms.filter(|d| *d > 0);
            let on_hold = r.expires_at_ms.is_none() && after.is_some();
            let inbounds = marzban_inbounds_for(r, &proxies, target.marzban_inbounds);
            NewAccount::Marzban {
                username: r.name.clone(),
                proxies,
                inbounds,
                expire: marzban_expire(r),
                data_limit_bytes: r.limit_bytes.filter(|b| *b > 0),
                data_limit_reset_strategy: reset_strategy(r.reset_strategy.as_deref()),
                template_id: None,
                status: if on_hold {
                    MarzbanCreateStatus::OnHold
                } else {
                    MarzbanCreateStatus::Active
                },
                on_hold_expire_duration_secs: after
                    .filter(|_| on_hold)
                    .and_then(|d| u64::try_from(d / 1000).ok()),
                note: r.note.clone().unwrap_or_default(),
            }
        }
        PanelKind::Userpass => NewAccount::Userpass {
            user_name: r.name.clone(),
            password: r.password.clone().map(Secret::new),
            usage_cap_bytes: r.limit_bytes,
            ip_usage_cap: r.ip_limit,
            note: r.note.clone().unwrap_or_default(),
            status: if r.enabled == Some(false) {
                ProxyStatusInput::Disabled
            } else {
                ProxyStatusInput::Active
            },
        },
        PanelKind::Pterodactyl => {
            if r.servers.is_empty() {
                return Err("no server given for the Pterodactyl subuser (servers column)".into());
            }
            NewAccount::Pterodactyl {
                email: r.email.clone().unwrap_or_else(|| r.name.clone()),
                server_ids: r.servers.clone(),
                permissions: r.permissions.clone(),
            }
        }
    })
}

/// What of `r` the target kind cannot hold.
fn not_carried(r: &AccountRecord, to: PanelKind) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut lost = |cond: bool, what: &'static str| {
        if cond {
            out.push(what);
        }
    };
    let xui = to == PanelKind::Xui;
    let marzban = to == PanelKind::Marzban;
    let userpass = to == PanelKind::Userpass;
    let ptero = to == PanelKind::Pterodactyl;
    lost(
        !xui && r.group.is_some(),
        "group: this panel kind has no groups",
    );
    lost(
        (marzban || ptero) && r.ip_limit.is_some(),
        "IP limit: this panel kind has none",
    );
    lost(
        (userpass || ptero) && (r.expires_at_ms.is_some() || r.expire_after_first_use_ms.is_some()),
        "expiry: this panel kind has none",
    );
    lost(
        ptero && r.limit_bytes.is_some(),
        "traffic limit: this panel kind has none",
    );
    lost(
        !xui && r.reset_days.is_some(),
        "auto-renew period (reset days): 3x-ui only",
    );
    lost(
        !marzban && r.reset_strategy.as_deref().is_some_and(|s| s != "no_reset"),
        "data limit reset strategy: Marzban only",
    );
    lost(
        xui && r.vmess_uuid.is_some(),
        "the separate VMess UUID: a 3x-ui client has one UUID (the VLESS one is kept)",
    );
    lost(
        r.kind.is_some_and(|k| k != to) && (r.sub_id.is_some() || r.subscription_url.is_some()),
        "subscription URL: the new panel gives its own",
    );
    lost(
        marzban
            && r.kind == Some(PanelKind::Marzban)
            && (r.sub_id.is_some() || r.subscription_url.is_some()),
        "subscription URL: Marzban issues its own subscription token",
    );
    lost(
        !xui && (r.tg_id.is_some_and(|t| t != 0) || r.hwid_limit.is_some_and(|h| h > 0)),
        "Telegram id and device limit: 3x-ui only",
    );
    lost(
        r.used_bytes.is_some_and(|u| u > 0),
        "used traffic: counters start at zero on the new panel",
    );
    lost(
        !ptero && !r.permissions.is_empty(),
        "permissions: Pterodactyl only",
    );
    out
}

// ---------- updates ----------

struct Diff {
    changes: Vec<Change>,
}

impl Diff {
    fn check<T: PartialEq + ToString>(&mut self, field: &str, before: Option<T>, after: Option<T>) {
        if before != after {
            self.changes.push(Change {
                field: field.to_owned(),
                before: before.map(|v| v.to_string()),
                after: after.map(|v| v.to_string()),
            });
        }
    }
}

/// The edit making `account` look like `r` (columns the file lacks keep the panel's value),
/// and the changes it makes.
fn edit_for(
    r: &AccountRecord,
    present: ColumnSet,
    account: &Account,
    raw: &RawBits,
) -> (Option<AccountEdit>, Vec<Change>) {
    let mut d = Diff {
        changes: Vec::new(),
    };
    let pick = |c: usize, file: Option<u64>, have: Option<u64>| {
        if present.has_col(c) {
            file
        } else {
            have
        }
    };
    let limit = pick(
        col::LIMIT_BYTES,
        r.limit_bytes.filter(|b| *b > 0),
        account.limit_bytes,
    );
    let enabled = if present.has_col(col::ENABLED) {
        r.enabled.unwrap_or(account.enabled)
    } else {
        account.enabled
    };
    let note = if present.has_col(col::NOTE) {
        r.note.as_deref()
    } else {
        account.note.as_deref()
    };
    let (expires, after) =
        if present.has_col(col::EXPIRES_AT_MS) || present.has_col(col::EXPIRE_AFTER_FIRST_USE_MS) {
            (r.expires_at_ms, r.expire_after_first_use_ms)
        } else {
            (account.expires_at_ms, account.expire_after_first_use_ms)
        };
    match account.kind {
        PanelKind::Xui => {
            let have_reset = raw
                .reset_days
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0);
            let ip_limit = pick(
                col::IP_LIMIT,
                r.ip_limit.filter(|v| *v > 0),
                account.ip_limit,
            );
            let group = if present.has_col(col::GROUP) {
                r.group.as_deref()
            } else {
                account.group.as_deref()
            };
            let reset = if present.has_col(col::RESET_DAYS) {
                r.reset_days.unwrap_or(0)
            } else {
                have_reset
            };
            d.check("limit_bytes", account.limit_bytes, limit);
            d.check(
                "expires_at_ms",
                account.expires_at_ms,
                expires.filter(|t| *t > 0),
            );
            d.check(
                "expire_after_first_use_ms",
                account.expire_after_first_use_ms,
                if expires.is_some_and(|t| t > 0) {
                    None
                } else {
                    after.filter(|t| *t > 0)
                },
            );
            d.check("ip_limit", account.ip_limit, ip_limit);
            d.check("enabled", Some(account.enabled), Some(enabled));
            d.check("note", account.note.as_deref(), note);
            d.check("group", account.group.as_deref(), group);
            d.check("reset_days", Some(have_reset), Some(reset));
            if d.changes.is_empty() {
                return (None, d.changes);
            }
            let expiry = xui_expiry(&AccountRecord {
                expires_at_ms: expires,
                expire_after_first_use_ms: after,
                ..AccountRecord::default()
            });
            let edit = AccountEdit::Xui {
                email: account.name.clone(),
                total_bytes: limit,
                expiry,
                limit_ip: ip_limit.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX)),
                comment: note.unwrap_or_default().to_owned(),
                group: Some(group.unwrap_or_default().to_owned()),
                sub_id: None,
                reset_days: reset,
                enable: enabled,
                inbound_ids: None,
            };
            (Some(edit), d.changes)
        }
        PanelKind::Marzban => {
            let have_strategy = raw.reset_strategy.clone();
            let strategy = if present.has_col(col::RESET_STRATEGY) {
                r.reset_strategy.clone()
            } else {
                have_strategy.clone()
            };
            let expires = expires
                .filter(|t| *t >= 1000)
                .map(|t| t - t.rem_euclid(1000));
            d.check("limit_bytes", account.limit_bytes, limit);
            d.check("expires_at_ms", account.expires_at_ms, expires);
            d.check("enabled", Some(account.enabled), Some(enabled));
            d.check("note", account.note.as_deref(), note);
            d.check(
                "reset_strategy",
                have_strategy.filter(|s| s != "no_reset"),
                strategy.clone().filter(|s| s != "no_reset"),
            );
            if d.changes.is_empty() {
                return (None, d.changes);
            }
            let status = if !enabled {
                MarzbanStatusInput::Disabled
            } else if account.hints.on_hold {
                MarzbanStatusInput::OnHold
            } else {
                MarzbanStatusInput::Active
            };
            let edit = AccountEdit::Marzban {
                data_limit_bytes: limit,
                expire: match expires {
                    Some(ms) => ExpireInput::At { ms },
                    None => ExpireInput::Never,
                },
                data_limit_reset_strategy: reset_strategy(strategy.as_deref()),
                status,
                note: note.unwrap_or_default().to_owned(),
                on_hold_expire_duration_secs: if status == MarzbanStatusInput::OnHold {
                    after
                        .or(account.expire_after_first_use_ms)
                        .and_then(|d| u64::try_from(d / 1000).ok())
                } else {
                    None
                },
                proxies: None,
                inbounds: None,
            };
            (Some(edit), d.changes)
        }
        PanelKind::Userpass => {
            let ip_limit = pick(col::IP_LIMIT, r.ip_limit, account.ip_limit);
            let limit = pick(col::LIMIT_BYTES, r.limit_bytes, account.limit_bytes);
            d.check("limit_bytes", account.limit_bytes, limit);
            d.check("ip_limit", account.ip_limit, ip_limit);
            d.check("enabled", Some(account.enabled), Some(enabled));
            d.check("note", account.note.as_deref(), note);
            if d.changes.is_empty() {
                return (None, d.changes);
            }
            let edit = AccountEdit::Userpass {
                user_name: None,
                note: note.unwrap_or_default().to_owned(),
                usage_cap_bytes: limit,
                ip_usage_cap: ip_limit,
                status: if enabled {
                    ProxyStatusInput::Active
                } else {
                    ProxyStatusInput::Disabled
                },
            };
            (Some(edit), d.changes)
        }
        PanelKind::Pterodactyl => {
            let mut want = if present.has_col(col::PERMISSIONS) {
                r.permissions.clone()
            } else {
                account.permissions.clone()
            };
            let mut have = account.permissions.clone();
            want.sort();
            have.sort();
            if want != have {
                d.changes.push(Change {
                    field: "permissions".into(),
                    before: Some(have.join(";")),
                    after: Some(want.join(";")),
                });
            }
            (
                Some(AccountEdit::Pterodactyl { permissions: want }),
                d.changes,
            )
        }
    }
}
