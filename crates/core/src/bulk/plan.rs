//! Planning: from a request and the accounts snapshot, per account what changes (before →
//! after) or why it is skipped, grouped per panel. Relative changes ("+30 days") become absolute
//! targets here, so executing an item twice cannot apply it twice.

use std::collections::{HashMap, HashSet};

use paneldeck_panels::PanelKind;

use super::{
    fmt::{bytes, moment, on_off},
    journal, names,
    types::*,
    wire::{new_account_name, with_name},
};
use crate::{
    accounts::{model::DAY_MS, now_ms, Account, AccountKey, Capabilities},
    actions::{
        pterodactyl_native_id, AccountEdit, KeptCredentials, KeptSettings, NewAccount,
        ProxyStatusInput,
    },
    error::{CoreError, Result},
    registry::{PanelId, PanelView},
    Paneldeck,
};

type Planned = std::result::Result<(ItemOp, Vec<FieldChange>), Skip>;

fn skip(reason: SkipReason, message: impl Into<String>) -> Planned {
    Err(Skip {
        reason,
        message: message.into(),
    })
}

fn change(field: &str, before: Option<String>, after: Option<String>) -> FieldChange {
    FieldChange {
        field: field.to_owned(),
        before,
        after,
    }
}

fn unsupported(kind: PanelKind, what: &str) -> Planned {
    skip(
        SkipReason::Unsupported,
        format!("{} panels cannot {what}", kind_name(kind)),
    )
}

fn kind_name(kind: PanelKind) -> &'static str {
    match kind {
        PanelKind::Xui => "3x-ui",
        PanelKind::Marzban => "Marzban",
        PanelKind::Userpass => "User-pass proxy",
        PanelKind::Pterodactyl => "Pterodactyl",
    }
}

/// The edit form of a user-pass sub-user from the snapshot, for caps and status changes.
fn userpass_edit(
    a: &Account,
    usage: Option<u64>,
    ip: Option<u64>,
    status: ProxyStatusInput,
) -> ItemOp {
    ItemOp::Edit {
        edit: AccountEdit::Userpass {
            user_name: None,
            note: a.note.clone().unwrap_or_default(),
            usage_cap_bytes: usage,
            ip_usage_cap: ip,
            status,
        },
    }
}

fn proxy_status(a: &Account) -> ProxyStatusInput {
    if a.enabled {
        ProxyStatusInput::Active
    } else {
        ProxyStatusInput::Disabled
    }
}

fn resolve(limit: LimitChange, current: Option<u64>) -> Option<u64> {
    match limit {
        LimitChange::Keep => current,
        LimitChange::Unlimited => None,
        LimitChange::To { value } => Some(value),
    }
}

/// What `action` does to one account.
pub(crate) fn plan_change(a: &Account, caps: &Capabilities, action: &BulkAction) -> Planned {
    let kind = a.kind;
    match action {
        BulkAction::Enable | BulkAction::Disable => {
            let on = matches!(action, BulkAction::Enable);
            if !caps.can_toggle {
                return unsupported(kind, "enable or disable accounts");
            }
            if a.enabled == on {
                let already = if on { "enabled" } else { "disabled" };
                return skip(SkipReason::NoChange, format!("Already {already}."));
            }
            let op = if on { ItemOp::Enable } else { ItemOp::Disable };
            Ok((
                op,
                vec![change("enabled", Some(on_off(a.enabled)), Some(on_off(on)))],
            ))
        }
        BulkAction::Delete { keep_traffic } => {
            if !caps.can_delete {
                return unsupported(kind, "delete accounts");
            }
            Ok((
                ItemOp::Delete {
                    keep_traffic: *keep_traffic,
                },
                vec![change("account", Some(a.name.clone()), None)],
            ))
        }
        BulkAction::ExtendExpiry { days } => {
            if !caps.has_expiry {
                return unsupported(kind, "set an expiry");
            }
            let Some(before) = a.expires_at_ms else {
                let why = if a.expire_after_first_use_ms.is_some() {
                    "its time starts at first use"
                } else {
                    "it never expires"
                };
                return skip(SkipReason::UnlimitedExpiry, format!("Not extended: {why}."));
            };
            let after = before + i64::from(*days) * DAY_MS;
            Ok((
                ItemOp::SetExpiry {
                    ms: Some(after),
                    add_days: Some(*days),
                },
                vec![change("expiry", Some(moment(before)), Some(moment(after)))],
            ))
        }
        BulkAction::SetExpiry { ms } => {
            if !caps.has_expiry {
                return unsupported(kind, "set an expiry");
            }
            Ok((
                ItemOp::SetExpiry {
                    ms: *ms,
                    add_days: None,
                },
                vec![change(
                    "expiry",
                    a.expires_at_ms.map(moment),
                    ms.map(moment),
                )],
            ))
        }
        BulkAction::AddTraffic { bytes: add } => {
            if !caps.has_traffic || kind == PanelKind::Pterodactyl {
                return unsupported(kind, "limit traffic");
            }
            let Some(before) = a.limit_bytes else {
                return skip(
                    SkipReason::UnlimitedTraffic,
                    "Not changed: its traffic is unlimited.",
                );
            };
            let after = before.saturating_add(*add);
            let op = if kind == PanelKind::Userpass {
                userpass_edit(a, Some(after), a.ip_limit, proxy_status(a))
            } else {
                ItemOp::SetTrafficLimit {
                    bytes: Some(after),
                    add_bytes: Some(*add),
                }
            };
            Ok((
                op,
                vec![change("limit", Some(bytes(before)), Some(bytes(after)))],
            ))
        }
        BulkAction::SetTrafficLimit { bytes: limit } => {
            if !caps.has_traffic || kind == PanelKind::Pterodactyl {
                return unsupported(kind, "limit traffic");
            }
            let op = if kind == PanelKind::Userpass {
                userpass_edit(a, *limit, a.ip_limit, proxy_status(a))
            } else {
                ItemOp::SetTrafficLimit {
                    bytes: *limit,
                    add_bytes: None,
                }
            };
            Ok((
                op,
                vec![change("limit", a.limit_bytes.map(bytes), limit.map(bytes))],
            ))
        }
        BulkAction::ResetTraffic => {
            if !caps.can_reset_traffic {
                return unsupported(kind, "reset traffic");
            }
            Ok((
                ItemOp::ResetTraffic,
                vec![change("used", Some(bytes(a.used_bytes)), Some(bytes(0)))],
            ))
        }
        BulkAction::AttachInbounds { inbound_ids } | BulkAction::DetachInbounds { inbound_ids } => {
            if kind != PanelKind::Xui {
                return unsupported(kind, "attach or detach inbounds");
            }
            let attach = matches!(action, BulkAction::AttachInbounds { .. });
            let before: Vec<String> = a.inbounds.clone();
            let ids: Vec<String> = inbound_ids.iter().map(|i| i.to_string()).collect();
            let after: Vec<String> = if attach {
                let mut v = before.clone();
                v.extend(ids.iter().filter(|i| !before.contains(i)).cloned());
                v
            } else {
                before
                    .iter()
                    .filter(|i| !ids.contains(i))
                    .cloned()
                    .collect()
            };
            if after == before {
                return skip(SkipReason::NoChange, "Its inbounds already are as asked.");
            }
            if after.is_empty() {
                return skip(
                    SkipReason::InvalidInput,
                    "Not detached: a client must keep at least one inbound.",
                );
            }
            let op = if attach {
                ItemOp::AttachInbounds {
                    inbound_ids: inbound_ids.clone(),
                }
            } else {
                ItemOp::DetachInbounds {
                    inbound_ids: inbound_ids.clone(),
                }
            };
            Ok((
                op,
                vec![change(
                    "inbounds",
                    Some(before.join(", ")),
                    Some(after.join(", ")),
                )],
            ))
        }
        BulkAction::AddToGroup { .. } | BulkAction::RemoveFromGroup => {
            if kind != PanelKind::Xui {
                return unsupported(kind, "group accounts");
            }
            let after = match action {
                BulkAction::AddToGroup { group } => Some(group.trim().to_owned()),
                _ => None,
            };
            let before = a.group.clone().filter(|g| !g.is_empty());
            if before == after {
                return skip(SkipReason::NoChange, "Already so.");
            }
            Ok((
                ItemOp::SetGroup {
                    group: after.clone(),
                },
                vec![change("group", before, after)],
            ))
        }
        BulkAction::ApplyTemplate { template_id } => {
            if kind != PanelKind::Marzban {
                return unsupported(kind, "apply a user template");
            }
            Ok((
                ItemOp::ApplyTemplate {
                    template_id: *template_id,
                },
                vec![
                    change(
                        "limit",
                        a.limit_bytes.map(bytes),
                        Some(format!("template {template_id}")),
                    ),
                    change(
                        "expiry",
                        a.expires_at_ms.map(moment),
                        Some(format!("template {template_id}")),
                    ),
                ],
            ))
        }
        BulkAction::RevokeSubscription => {
            if !caps.can_revoke_subscription {
                return unsupported(kind, "revoke subscriptions");
            }
            Ok((
                ItemOp::RevokeSubscription,
                vec![change(
                    "subscription",
                    Some("current".into()),
                    Some("new".into()),
                )],
            ))
        }
        BulkAction::SetCaps {
            usage_cap_bytes,
            ip_usage_cap,
        } => {
            if kind != PanelKind::Userpass {
                return unsupported(kind, "set proxy caps");
            }
            let usage = resolve(*usage_cap_bytes, a.limit_bytes);
            let ip = resolve(*ip_usage_cap, a.ip_limit);
            if usage == a.limit_bytes && ip == a.ip_limit {
                return skip(SkipReason::NoChange, "Its caps already are as asked.");
            }
            Ok((
                userpass_edit(a, usage, ip, proxy_status(a)),
                vec![
                    change("usageCap", a.limit_bytes.map(bytes), usage.map(bytes)),
                    change(
                        "ipCap",
                        a.ip_limit.map(|n| n.to_string()),
                        ip.map(|n| n.to_string()),
                    ),
                ],
            ))
        }
        BulkAction::SetStatus { status } => {
            if kind != PanelKind::Userpass {
                return unsupported(kind, "set a proxy status");
            }
            let on = *status == ProxyStatusInput::Active;
            if a.enabled == on {
                let already = if on { "enabled" } else { "disabled" };
                return skip(SkipReason::NoChange, format!("Already {already}."));
            }
            let op = if on { ItemOp::Enable } else { ItemOp::Disable };
            Ok((
                op,
                vec![change("enabled", Some(on_off(a.enabled)), Some(on_off(on)))],
            ))
        }
        BulkAction::GrantPermissions { permissions }
        | BulkAction::RevokePermissions { permissions }
        | BulkAction::SetPermissions { permissions } => {
            if !caps.has_permissions {
                return unsupported(kind, "change permissions");
            }
            let before = a.permissions.clone();
            let after: Vec<String> = match action {
                BulkAction::GrantPermissions { .. } => {
                    let mut v = before.clone();
                    v.extend(permissions.iter().filter(|p| !before.contains(p)).cloned());
                    v
                }
                BulkAction::RevokePermissions { .. } => before
                    .iter()
                    .filter(|p| !permissions.contains(p))
                    .cloned()
                    .collect(),
                _ => permissions.clone(),
            };
            let same = |x: &[String], y: &[String]| {
                x.iter().collect::<HashSet<_>>() == y.iter().collect::<HashSet<_>>()
            };
            if same(&before, &after) {
                return skip(
                    SkipReason::NoChange,
                    "Its permissions already are as asked.",
                );
            }
            Ok((
                ItemOp::Edit {
                    edit: AccountEdit::Pterodactyl {
                        permissions: after.clone(),
                    },
                },
                vec![change(
                    "permissions",
                    Some(before.join(", ")),
                    Some(after.join(", ")),
                )],
            ))
        }
    }
}

/// The op a skipped row is journaled with, so history says what was asked.
fn nominal(action: &BulkAction) -> ItemOp {
    match action {
        BulkAction::Enable => ItemOp::Enable,
        BulkAction::Disable => ItemOp::Disable,
        BulkAction::Delete { keep_traffic } => ItemOp::Delete {
            keep_traffic: *keep_traffic,
        },
        BulkAction::ExtendExpiry { days } => ItemOp::SetExpiry {
            ms: None,
            add_days: Some(*days),
        },
        BulkAction::SetExpiry { ms } => ItemOp::SetExpiry {
            ms: *ms,
            add_days: None,
        },
        BulkAction::AddTraffic { bytes } => ItemOp::SetTrafficLimit {
            bytes: None,
            add_bytes: Some(*bytes),
        },
        BulkAction::SetTrafficLimit { bytes } => ItemOp::SetTrafficLimit {
            bytes: *bytes,
            add_bytes: None,
        },
        BulkAction::ResetTraffic => ItemOp::ResetTraffic,
        BulkAction::AttachInbounds { inbound_ids } => ItemOp::AttachInbounds {
            inbound_ids: inbound_ids.clone(),
        },
        BulkAction::DetachInbounds { inbound_ids } => ItemOp::DetachInbounds {
            inbound_ids: inbound_ids.clone(),
        },
        BulkAction::AddToGroup { group } => ItemOp::SetGroup {
            group: Some(group.clone()),
        },
        BulkAction::RemoveFromGroup => ItemOp::SetGroup { group: None },
        BulkAction::ApplyTemplate { template_id } => ItemOp::ApplyTemplate {
            template_id: *template_id,
        },
        BulkAction::RevokeSubscription => ItemOp::RevokeSubscription,
        BulkAction::SetStatus { status } => match status {
            ProxyStatusInput::Active => ItemOp::Enable,
            ProxyStatusInput::Disabled => ItemOp::Disable,
        },
        BulkAction::SetCaps { .. } => ItemOp::Edit {
            edit: AccountEdit::Userpass {
                user_name: None,
                note: String::new(),
                usage_cap_bytes: None,
                ip_usage_cap: None,
                status: ProxyStatusInput::Active,
            },
        },
        BulkAction::GrantPermissions { permissions }
        | BulkAction::RevokePermissions { permissions }
        | BulkAction::SetPermissions { permissions } => ItemOp::Edit {
            edit: AccountEdit::Pterodactyl {
                permissions: permissions.clone(),
            },
        },
    }
}

fn describe(action: &BulkAction) -> String {
    match action {
        BulkAction::Enable => "Enable".into(),
        BulkAction::Disable => "Disable".into(),
        BulkAction::Delete { keep_traffic: true } => "Delete (keep traffic)".into(),
        BulkAction::Delete { .. } => "Delete".into(),
        BulkAction::ExtendExpiry { days } => format!("Extend expiry by {days} days"),
        BulkAction::SetExpiry { ms: Some(ms) } => format!("Set expiry to {}", moment(*ms)),
        BulkAction::SetExpiry { ms: None } => "Set expiry to never".into(),
        BulkAction::AddTraffic { bytes: b } => format!("Add {} of traffic", bytes(*b)),
        BulkAction::SetTrafficLimit { bytes: Some(b) } => {
            format!("Set traffic limit to {}", bytes(*b))
        }
        BulkAction::SetTrafficLimit { bytes: None } => "Set traffic limit to unlimited".into(),
        BulkAction::ResetTraffic => "Reset traffic".into(),
        BulkAction::AttachInbounds { inbound_ids } => format!("Attach inbounds {inbound_ids:?}"),
        BulkAction::DetachInbounds { inbound_ids } => format!("Detach inbounds {inbound_ids:?}"),
        BulkAction::AddToGroup { group } => format!("Add to group '{group}'"),
        BulkAction::RemoveFromGroup => "Remove from group".into(),
        BulkAction::ApplyTemplate { template_id } => format!("Apply template {template_id}"),
        BulkAction::RevokeSubscription => "Revoke subscription".into(),
        BulkAction::SetCaps { .. } => "Set caps".into(),
        BulkAction::SetStatus { status } => format!("Set status {status:?}"),
        BulkAction::GrantPermissions { permissions } => {
            format!("Grant {}", permissions.join(", "))
        }
        BulkAction::RevokePermissions { permissions } => {
            format!("Revoke {}", permissions.join(", "))
        }
        BulkAction::SetPermissions { permissions } => {
            format!("Set permissions {}", permissions.join(", "))
        }
    }
}

/// Collects items per panel in order.
struct Builder {
    panels: Vec<PanelPlan>,
    seq: u32,
    /// Secrets of the creates that keep them, by seq (journaled apart from the plan).
    kept: HashMap<u32, KeptCredentials>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            panels: Vec::new(),
            seq: 0,
            kept: HashMap::new(),
        }
    }

    fn push(&mut self, panel: &PanelView, key: AccountKey, name: String, planned: Planned) {
        self.push_as(panel, key, name, planned, ItemOp::Enable)
    }

    /// `nominal`: the op a skipped row is journaled with (never run; shown in history).
    fn push_as(
        &mut self,
        panel: &PanelView,
        key: AccountKey,
        name: String,
        planned: Planned,
        nominal: ItemOp,
    ) {
        let idx = match self.panels.iter().position(|p| p.panel_id == panel.id) {
            Some(i) => i,
            None => {
                self.panels.push(PanelPlan {
                    panel_id: panel.id.clone(),
                    panel_name: panel.name.clone(),
                    kind: panel.kind,
                    items: Vec::new(),
                    to_change: 0,
                    skipped: 0,
                });
                self.panels.len() - 1
            }
        };
        let p = &mut self.panels[idx];
        let (op, changes, skip) = match planned {
            Ok((op, changes)) => {
                p.to_change += 1;
                (op, changes, None)
            }
            Err(s) => {
                p.skipped += 1;
                (nominal, Vec::new(), Some(s))
            }
        };
        p.items.push(PlanItem {
            seq: self.seq,
            key,
            name,
            op,
            changes,
            skip,
        });
        self.seq += 1;
    }

    fn finish(self, title: String) -> BulkPlan {
        BulkPlan {
            id: OpId::new(),
            title,
            created_at_ms: now_ms(),
            to_change: self.panels.iter().map(|p| p.to_change).sum(),
            skipped: self.panels.iter().map(|p| p.skipped).sum(),
            panels: self.panels,
        }
    }
}

/// Names and emails the snapshot has on a panel: (native id, name, email).
fn snapshot_names(
    core: &Paneldeck,
    panel: &PanelId,
) -> Result<Vec<(String, String, Option<String>)>> {
    core.store().with(|c| {
        let mut stmt =
            c.prepare_cached("SELECT native_id, name, email FROM accounts WHERE panel_id = ?1")?;
        let rows = stmt
            .query_map([&panel.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
}

fn create_changes(
    new: &NewAccount,
    credentials: &KeptCredentials,
    settings: &KeptSettings,
) -> Vec<FieldChange> {
    let mut out = vec![change(
        "account",
        None,
        Some(new_account_name(new).to_owned()),
    )];
    // Which secrets are kept, never their values.
    let kept: Vec<&str> = [
        (
            "UUID",
            credentials.uuid.is_some() || credentials.vmess_uuid.is_some(),
        ),
        ("password", credentials.password.is_some()),
        ("subscription id", credentials.sub_id.is_some()),
    ]
    .into_iter()
    .filter_map(|(what, on)| on.then_some(what))
    .collect();
    if !kept.is_empty() {
        out.push(change(
            "credentials",
            None,
            Some(format!("kept: {}", kept.join(", "))),
        ));
    }
    if settings.disabled {
        out.push(change("enabled", None, Some(on_off(false))));
    }
    match new {
        NewAccount::Xui { total_bytes, .. } => {
            out.push(change("limit", None, total_bytes.map(bytes)));
        }
        NewAccount::Marzban {
            data_limit_bytes, ..
        } => out.push(change("limit", None, data_limit_bytes.map(bytes))),
        NewAccount::Userpass {
            usage_cap_bytes, ..
        } => out.push(change("usageCap", None, usage_cap_bytes.map(bytes))),
        NewAccount::Pterodactyl { server_ids, .. } => {
            out.push(change("servers", None, Some(server_ids.join(", "))))
        }
    }
    out
}

fn kind_of_new(new: &NewAccount) -> PanelKind {
    match new {
        NewAccount::Xui { .. } => PanelKind::Xui,
        NewAccount::Marzban { .. } => PanelKind::Marzban,
        NewAccount::Userpass { .. } => PanelKind::Userpass,
        NewAccount::Pterodactyl { .. } => PanelKind::Pterodactyl,
    }
}

/// Existing names on a panel, to skip creates that would clash (case-insensitive).
struct Existing {
    names: HashSet<String>,
    /// Pterodactyl: "server/email".
    server_emails: HashSet<String>,
}

impl Existing {
    fn load(core: &Paneldeck, panel: &PanelView) -> Result<Self> {
        let mut names = HashSet::new();
        let mut server_emails = HashSet::new();
        for (native, name, email) in snapshot_names(core, &panel.id)? {
            names.insert(name.to_lowercase());
            if panel.kind == PanelKind::Pterodactyl {
                if let (Some((server, _)), Some(email)) = (native.split_once('/'), email) {
                    server_emails.insert(format!("{server}/{}", email.to_lowercase()));
                }
            }
        }
        Ok(Existing {
            names,
            server_emails,
        })
    }

    fn has(&self, new: &NewAccount) -> bool {
        match new {
            NewAccount::Pterodactyl {
                email, server_ids, ..
            } => server_ids.iter().any(|s| {
                self.server_emails
                    .contains(&format!("{s}/{}", email.to_lowercase()))
            }),
            other => self
                .names
                .contains(&new_account_name(other).trim().to_lowercase()),
        }
    }
}

/// The key a create item is shown under (the real id is known once created).
fn create_key(panel: &PanelId, new: &NewAccount) -> AccountKey {
    match new {
        NewAccount::Pterodactyl {
            email, server_ids, ..
        } => AccountKey::new(
            panel.clone(),
            pterodactyl_native_id(server_ids.join(","), email),
        ),
        other => AccountKey::new(panel.clone(), new_account_name(other).trim()),
    }
}

fn plan_create(
    b: &mut Builder,
    panel: &PanelView,
    existing: &mut Existing,
    new: NewAccount,
    credentials: KeptCredentials,
    kept: KeptSettings,
) {
    let key = create_key(&panel.id, &new);
    let name = new_account_name(&new).trim().to_owned();
    let nominal_create = ItemOp::Create {
        new: new.clone(),
        kept,
    };
    let planned = if kind_of_new(&new) != panel.kind {
        skip(
            SkipReason::InvalidInput,
            format!(
                "A {} form cannot create on a {} panel.",
                kind_name(kind_of_new(&new)),
                kind_name(panel.kind)
            ),
        )
    } else if existing.has(&new) {
        skip(
            SkipReason::AlreadyExists,
            format!("{} already has '{name}'.", panel.name),
        )
    } else {
        existing.names.insert(name.to_lowercase());
        let changes = create_changes(&new, &credentials, &kept);
        Ok((ItemOp::Create { new, kept }, changes))
    };
    // Only a create that will run needs its secrets journaled.
    if planned.is_ok() && !credentials.is_empty() {
        b.kept.insert(b.seq, credentials);
    }
    b.push_as(panel, key, name, planned, nominal_create);
}

fn actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "local user".into())
}

impl Paneldeck {
    /// Plans a request against the snapshot and stores the plan (state `planned`) for
    /// [`bulk_execute`](Self::bulk_execute). Nothing is sent to any panel.
    pub fn bulk_plan(&self, request: &BulkRequest) -> Result<BulkPlan> {
        let panels: HashMap<PanelId, PanelView> = self
            .list_panels()?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let panel = |id: &PanelId| {
            panels
                .get(id)
                .cloned()
                .ok_or_else(|| CoreError::NotFound(format!("no panel with id {id}")))
        };
        let mut b = Builder::new();
        let (title, summary) = match request {
            BulkRequest::Change { selection, action } => {
                check_action(action)?;
                let keys = self.selection_keys(selection)?;
                for key in keys {
                    let Some(view) = panels.get(&key.panel_id) else {
                        continue;
                    };
                    match self.account_detail(&key) {
                        Ok(detail) => {
                            let planned =
                                plan_change(&detail.account, &detail.capabilities, action);
                            b.push_as(
                                view,
                                key,
                                detail.account.name.clone(),
                                planned,
                                nominal(action),
                            );
                        }
                        Err(CoreError::NotFound(message)) => {
                            let name = key.native_id.clone();
                            b.push_as(
                                view,
                                key,
                                name,
                                skip(SkipReason::NotFound, message),
                                nominal(action),
                            );
                        }
                        Err(other) => return Err(other),
                    }
                }
                (
                    describe(action),
                    serde_json::to_value(action).unwrap_or_default(),
                )
            }
            BulkRequest::Create {
                panel_ids,
                names: source,
                templates,
            } => {
                let list = match source {
                    NameSource::Pattern { pattern } => names::expand(pattern)?,
                    NameSource::List { names } => names
                        .iter()
                        .map(|n| n.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .collect(),
                };
                if list.is_empty() {
                    return Err(CoreError::invalid_field("names", "Give at least one name."));
                }
                if panel_ids.is_empty() {
                    return Err(CoreError::invalid_field(
                        "panelIds",
                        "Pick at least one panel.",
                    ));
                }
                for id in panel_ids {
                    let view = panel(id)?;
                    let template = templates
                        .iter()
                        .find(|t| kind_of_new(t) == view.kind)
                        .ok_or_else(|| {
                            CoreError::invalid_field(
                                "templates",
                                format!("No {} form for {}.", kind_name(view.kind), view.name),
                            )
                        })?;
                    let mut existing = Existing::load(self, &view)?;
                    for name in &list {
                        plan_create(
                            &mut b,
                            &view,
                            &mut existing,
                            with_name(template, name),
                            KeptCredentials::default(),
                            KeptSettings::default(),
                        );
                    }
                }
                (
                    format!("Create {} accounts", list.len()),
                    serde_json::json!({"type": "create", "names": list.len()}),
                )
            }
            BulkRequest::AddPerson {
                panel_id,
                email,
                server_ids,
                permissions,
            } => {
                let view = panel(panel_id)?;
                let mut existing = Existing::load(self, &view)?;
                for server in server_ids {
                    let new = NewAccount::Pterodactyl {
                        email: email.trim().to_owned(),
                        server_ids: vec![server.clone()],
                        permissions: permissions.clone(),
                    };
                    plan_create(
                        &mut b,
                        &view,
                        &mut existing,
                        new,
                        KeptCredentials::default(),
                        KeptSettings::default(),
                    );
                }
                (
                    format!("Add {email} to {} servers", server_ids.len()),
                    serde_json::json!({"type": "addPerson", "email": email}),
                )
            }
            BulkRequest::RemovePerson { email, panel_ids } => {
                let wanted = email.trim().to_lowercase();
                for view in panels.values() {
                    if view.kind != PanelKind::Pterodactyl
                        || (!panel_ids.is_empty() && !panel_ids.contains(&view.id))
                    {
                        continue;
                    }
                    for (native, name, mail) in snapshot_names(self, &view.id)? {
                        if mail.is_some_and(|m| m.to_lowercase() == wanted) {
                            let planned = Ok((
                                ItemOp::Delete {
                                    keep_traffic: false,
                                },
                                vec![change("subuser", Some(native.clone()), None)],
                            ));
                            b.push(
                                view,
                                AccountKey::new(view.id.clone(), native),
                                name,
                                planned,
                            );
                        }
                    }
                }
                (
                    format!("Remove {email} from every server"),
                    serde_json::json!({"type": "removePerson", "email": email}),
                )
            }
        };
        self.store_plan(b, title, summary)
    }

    /// A plan from items built elsewhere (import, migration): creates are skipped when the
    /// snapshot already has the name; edits go as given.
    pub fn plan_from_items(&self, title: &str, items: Vec<ItemInput>) -> Result<BulkPlan> {
        let mut b = Builder::new();
        let mut existing: HashMap<PanelId, Existing> = HashMap::new();
        let count = items.len();
        for item in items {
            match item {
                ItemInput::Create {
                    panel_id,
                    new,
                    credentials,
                    settings,
                } => {
                    let view = self.panel(&panel_id)?;
                    if !existing.contains_key(&panel_id) {
                        existing.insert(panel_id.clone(), Existing::load(self, &view)?);
                    }
                    if let Some(ex) = existing.get_mut(&panel_id) {
                        plan_create(&mut b, &view, ex, new, credentials, settings);
                    }
                }
                ItemInput::Edit { key, edit } => {
                    let view = self.panel(&key.panel_id)?;
                    let name = key.native_id.clone();
                    let planned = Ok((
                        ItemOp::Edit { edit },
                        vec![change("form", None, Some("edited".into()))],
                    ));
                    b.push(&view, key, name, planned);
                }
            }
        }
        self.store_plan(
            b,
            title.to_owned(),
            serde_json::json!({"type": "items", "count": count}),
        )
    }

    /// The plan of an operation, as stored.
    pub fn bulk_plan_get(&self, op: &OpId) -> Result<BulkPlan> {
        self.store().with(|c| journal::plan(c, op))
    }

    fn store_plan(
        &self,
        mut b: Builder,
        title: String,
        summary: serde_json::Value,
    ) -> Result<BulkPlan> {
        let accounts: u32 = b.panels.iter().map(|p| p.to_change).sum();
        let title = format!("{title} · {accounts} accounts on {} panels", b.panels.len());
        let kept = std::mem::take(&mut b.kept);
        let plan = b.finish(title);
        let request = serde_json::to_string(&summary).unwrap_or_default();
        self.store()
            .with(|c| journal::insert_plan(c, &plan, &actor(), &request, &kept))?;
        Ok(plan)
    }
}

fn check_action(action: &BulkAction) -> Result<()> {
    match action {
        BulkAction::ExtendExpiry { days: 0 } => Err(CoreError::invalid_field(
            "days",
            "Extend by at least one day.",
        )),
        BulkAction::SetTrafficLimit { bytes: Some(0) } | BulkAction::AddTraffic { bytes: 0 } => {
            Err(CoreError::invalid_field(
                "bytes",
                "The traffic must be more than 0 (unlimited: leave it empty).",
            ))
        }
        BulkAction::AttachInbounds { inbound_ids } | BulkAction::DetachInbounds { inbound_ids }
            if inbound_ids.is_empty() =>
        {
            Err(CoreError::invalid_field(
                "inboundIds",
                "Pick at least one inbound.",
            ))
        }
        BulkAction::AddToGroup { group } if group.trim().is_empty() => {
            Err(CoreError::invalid_field("group", "Enter a group name."))
        }
        _ => Ok(()),
    }
}
