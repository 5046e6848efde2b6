//! An account record onto Marzban: the create form (protocols, inbound tags, on-hold
//! expiry), the edit of an existing user, and what a create keeps beyond its form.

use crate::accounts::RawBits;
use paneldeck_panels::{marzban::username_ok, PanelKind};

use crate::{
    actions::{
        AccountEdit, CreateOptions, ExpireInput, KeptCredentials, KeptSettings,
        MarzbanCreateStatus, MarzbanProtocol, MarzbanProtocolInbounds, MarzbanStatusInput,
        NewAccount, ProtocolInbounds, ResetStrategy,
    },
    bulk::{Field, FieldChange, FieldValue},
    transfer::{
        plan::{ConflictReason, Diff, EditSource, Target},
        schema::{col, Credentials},
        AccountRecord,
    },
};

/// Marzban issues its own subscription token, so none is kept.
pub fn kept_credentials(r: &AccountRecord) -> KeptCredentials {
    KeptCredentials {
        uuid: r.uuid.clone(),
        vmess_uuid: r.vmess_uuid.clone(),
        password: r.password.clone(),
        flow: r.flow.clone(),
        ss_method: r.ss_method.clone(),
        ..KeptCredentials::default()
    }
}

/// Marzban creates users active.
pub fn kept_settings(r: &AccountRecord) -> KeptSettings {
    KeptSettings {
        disabled: r.enabled == Some(false),
        ..KeptSettings::default()
    }
}

fn protocol(p: &str) -> Option<MarzbanProtocol> {
    match p.to_ascii_lowercase().as_str() {
        "vless" => Some(MarzbanProtocol::Vless),
        "vmess" => Some(MarzbanProtocol::Vmess),
        "trojan" => Some(MarzbanProtocol::Trojan),
        "shadowsocks" | "ss" => Some(MarzbanProtocol::Shadowsocks),
        _ => None,
    }
}

/// Marzban keeps whole seconds.
fn expire(expires_at_ms: Option<i64>) -> ExpireInput {
    match expires_at_ms {
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

/// Inbounds for a row of a Marzban panel: per protocol, the row's tags this panel has, so
/// inbounds a user was kept off stay excluded. A protocol whose inbounds are all (or none)
/// of the row's gets every inbound, as Marzban does when given none.
fn inbounds_for(
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

pub fn new_account(r: &AccountRecord, target: &Target<'_>) -> Result<NewAccount, ConflictReason> {
    if !username_ok(&r.name) {
        return Err(ConflictReason::NotMarzbanUsername {
            name: r.name.clone(),
        });
    }
    let mut proxies: Vec<MarzbanProtocol> =
        r.protocols.iter().filter_map(|p| protocol(p)).collect();
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
    // Unknown inbounds (empty): a create gets every inbound of its protocols.
    let panel_inbounds = match &target.create_options {
        Some(CreateOptions::Marzban { inbounds, .. }) => inbounds.as_slice(),
        _ => &[],
    };
    let inbounds = inbounds_for(r, &proxies, panel_inbounds);
    Ok(NewAccount::Marzban {
        username: r.name.clone(),
        proxies,
        inbounds,
        expire: expire(r.expires_at_ms),
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
    })
}

pub fn edit_for(src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
    let (r, account) = (src.record, src.account);
    let limit = src.limit();
    let enabled = src.enabled();
    let note = src.note();
    let (expires, after) = src.expiry();
    let have_strategy = src.raw.reset_strategy.clone();
    let strategy = src.pick(
        col::RESET_STRATEGY,
        r.reset_strategy.clone(),
        have_strategy.clone(),
    );
    let expires = expires
        .filter(|t| *t >= 1000)
        .map(|t| t - t.rem_euclid(1000));
    let mut d = Diff::default();
    d.check(Field::Limit, account.limit_bytes, limit, FieldValue::bytes);
    d.check(
        Field::Expiry,
        account.expires_at_ms,
        expires,
        FieldValue::moment,
    );
    d.check(
        Field::Enabled,
        Some(account.enabled),
        Some(enabled),
        FieldValue::toggle,
    );
    d.check(Field::Note, account.note.as_deref(), note, FieldValue::text);
    d.check(
        Field::ResetStrategy,
        have_strategy.filter(|s| s != "no_reset"),
        strategy.clone().filter(|s| s != "no_reset"),
        FieldValue::text,
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

/// Marzban's flow, Shadowsocks method and reset strategy; a VMess UUID only where it differs
/// from the VLESS one.
pub fn fill_record(r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
    r.flow = raw.flow;
    r.ss_method = raw.ss_method;
    r.reset_strategy = raw.reset_strategy;
    if let Some(c) = credentials {
        r.sub_id = c.sub_id;
        r.subscription_url = c.subscription_url;
        r.uuid = c.uuid;
        r.vmess_uuid = raw.vmess_id.filter(|v| Some(v) != r.uuid.as_ref());
        r.password = raw.password;
    }
}
