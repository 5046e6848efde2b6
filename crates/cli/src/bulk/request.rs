//! From a bulk command's flags to the engine's request.

use paneldeck_core::{
    actions::{ExpireInput, ExpiryInput, MarzbanProtocol, NewAccount, ProxyStatusInput},
    bulk::{BulkAction, BulkRequest, LimitChange, NameSource},
    kinds::pasarguard::form::PasarguardNew,
    ApiError, Paneldeck,
};

use super::{
    args::{Change, CreateArgs, RunArgs},
    invalid, BulkCommand, DAY_MS, GIB,
};

/// The request of a command that plans a change, and how to run it; `None` for the commands
/// that do not (history, resume, …).
pub fn request(
    core: &Paneldeck,
    command: BulkCommand,
) -> Result<Option<(BulkRequest, RunArgs)>, ApiError> {
    let request = match command {
        BulkCommand::Create(a) => (create_request(core, &a)?, a.run),
        BulkCommand::AddPerson {
            panel,
            email,
            servers,
            permissions,
            run,
        } => (
            BulkRequest::AddPerson {
                panel_id: core.find_panel(&panel)?.id,
                email,
                server_ids: servers,
                permissions,
            },
            run,
        ),
        BulkCommand::RemovePerson { email, run } => (
            BulkRequest::RemovePerson {
                email,
                panel_ids: Vec::new(),
            },
            run,
        ),
        other => {
            let Some((change, action)) = change_action(other)? else {
                return Ok(None);
            };
            let selection = change.select.selection(core)?;
            (BulkRequest::Change { selection, action }, change.run)
        }
    };
    Ok(Some(request))
}

/// The action of a command that changes the selected accounts, with its selection.
fn change_action(command: BulkCommand) -> Result<Option<(Change, BulkAction)>, ApiError> {
    let action = match command {
        BulkCommand::Enable(c) => (c, BulkAction::Enable),
        BulkCommand::Disable(c) => (c, BulkAction::Disable),
        BulkCommand::Delete {
            keep_traffic,
            change,
        } => (change, BulkAction::Delete { keep_traffic }),
        BulkCommand::Extend { days, change } => (change, BulkAction::ExtendExpiry { days }),
        BulkCommand::SetExpiry {
            days_from_now,
            never,
            change,
        } => (change, set_expiry(days_from_now, never)?),
        BulkCommand::AddTraffic { gib, change } => (
            change,
            BulkAction::AddTraffic {
                bytes: gib_bytes(gib)?,
            },
        ),
        BulkCommand::SetLimit {
            gib,
            unlimited,
            change,
        } => {
            if gib.is_none() && !unlimited {
                return Err(invalid("give --gib or --unlimited"));
            }
            let bytes = gib.map(gib_bytes).transpose()?;
            (change, BulkAction::SetTrafficLimit { bytes })
        }
        BulkCommand::ResetTraffic(c) => (c, BulkAction::ResetTraffic),
        BulkCommand::Attach { inbounds, change } => (
            change,
            BulkAction::AttachInbounds {
                inbound_ids: inbounds,
            },
        ),
        BulkCommand::Detach { inbounds, change } => (
            change,
            BulkAction::DetachInbounds {
                inbound_ids: inbounds,
            },
        ),
        BulkCommand::Group { name, change } => (change, BulkAction::AddToGroup { group: name }),
        BulkCommand::Ungroup(c) => (c, BulkAction::RemoveFromGroup),
        BulkCommand::Template { id, change } => {
            (change, BulkAction::ApplyTemplate { template_id: id })
        }
        BulkCommand::RevokeSub(c) => (c, BulkAction::RevokeSubscription),
        BulkCommand::SetCaps {
            usage_gib,
            ip_cap,
            change,
        } => (change, set_caps(usage_gib, ip_cap)?),
        BulkCommand::SetStatus { disabled, change } => {
            let status = if disabled {
                ProxyStatusInput::Disabled
            } else {
                ProxyStatusInput::Active
            };
            (change, BulkAction::SetStatus { status })
        }
        BulkCommand::Grant {
            permissions,
            change,
        } => (change, BulkAction::GrantPermissions { permissions }),
        BulkCommand::RevokePerm {
            permissions,
            change,
        } => (change, BulkAction::RevokePermissions { permissions }),
        _ => return Ok(None),
    };
    Ok(Some(action))
}

/// `--days-from-now N` or `--never`.
fn set_expiry(days_from_now: Option<u32>, never: bool) -> Result<BulkAction, ApiError> {
    let ms = match (days_from_now, never) {
        (Some(d), _) => Some(paneldeck_core::accounts::now_ms() + i64::from(d) * DAY_MS),
        (None, true) => None,
        (None, false) => return Err(invalid("give --days-from-now or --never")),
    };
    Ok(BulkAction::SetExpiry { ms })
}

/// GiB as bytes. Panels keep byte counts as signed 64-bit numbers (3x-ui's `totalGB`,
/// Marzban's `data_limit`), so anything past `i64::MAX` bytes is refused rather than wrapped
/// (a wrapped limit could come out as 0: unlimited).
fn gib_bytes(gib: u64) -> Result<u64, ApiError> {
    gib.checked_mul(GIB)
        .filter(|b| i64::try_from(*b).is_ok())
        .ok_or_else(|| {
            invalid(format!(
                "{gib} GiB is more than a panel can count (at most {} GiB)",
                i64::MAX as u64 / GIB
            ))
        })
}

/// User-pass caps: absent keeps the cap, 0 lifts it.
fn set_caps(usage_gib: Option<u64>, ip_cap: Option<u64>) -> Result<BulkAction, ApiError> {
    let limit = |v: Option<u64>,
                 bytes: fn(u64) -> Result<u64, ApiError>|
     -> Result<LimitChange, ApiError> {
        Ok(match v {
            None => LimitChange::Keep,
            Some(0) => LimitChange::Unlimited,
            Some(n) => LimitChange::To { value: bytes(n)? },
        })
    };
    Ok(BulkAction::SetCaps {
        usage_cap_bytes: limit(usage_gib, gib_bytes)?,
        ip_usage_cap: limit(ip_cap, Ok)?,
    })
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
    let limit = a.limit_gib.map(gib_bytes).transpose()?;
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
        // Every group of the panel unless the groups are named.
        NewAccount::Pasarguard(PasarguardNew {
            username: String::new(),
            group_ids: a.groups.clone(),
            group_names: Vec::new(),
            expire: expiry_ms.map_or(ExpireInput::Never, |ms| ExpireInput::At { ms }),
            data_limit_bytes: limit,
            data_limit_reset_strategy: Default::default(),
            status: Default::default(),
            on_hold_expire_duration_secs: None,
            note: String::new(),
            hwid_limit: None,
        }),
    ];
    Ok(BulkRequest::Create {
        panel_ids,
        names,
        templates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gib_that_overflow_are_refused_not_wrapped() {
        assert_eq!(gib_bytes(2).ok(), Some(2 << 30));
        let most = i64::MAX as u64 / GIB;
        assert_eq!(gib_bytes(most).ok(), Some(most * GIB));
        for too_many in [most + 1, 17_179_869_184, u64::MAX] {
            assert!(gib_bytes(too_many).is_err(), "{too_many}");
        }
    }
}
