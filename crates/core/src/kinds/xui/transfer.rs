//! An account record onto 3x-ui: the create form (inbounds by id or protocol), the edit of an
//! existing client, and what a create keeps beyond its form.

use crate::accounts::RawBits;
use paneldeck_panels::PanelKind;

use crate::{
    accounts::model::DAY_MS,
    actions::{
        AccountEdit, CreateOptions, ExpiryInput, KeptCredentials, KeptSettings, NewAccount,
        XuiInboundOption,
    },
    bulk::{Field, FieldChange, FieldValue},
    transfer::{
        plan::{ConflictReason, Diff, EditSource, PlanOptions, Target},
        schema::{col, Credentials},
        AccountRecord,
    },
};

pub fn kept_credentials(r: &AccountRecord) -> KeptCredentials {
    KeptCredentials {
        uuid: r.uuid.clone().or_else(|| r.vmess_uuid.clone()),
        password: r.password.clone(),
        // A subscription id of another kind (a Marzban token) is not a 3x-ui subId.
        sub_id: r
            .sub_id
            .clone()
            .filter(|_| r.kind.is_none_or(|k| k == PanelKind::Xui)),
        flow: r.flow.clone(),
        ..KeptCredentials::default()
    }
}

/// 3x-ui creates clients enabled and its form has no Telegram id or device limit.
pub fn kept_settings(r: &AccountRecord) -> KeptSettings {
    KeptSettings {
        disabled: r.enabled == Some(false),
        tg_id: r.tg_id.filter(|t| *t != 0),
        hwid_limit: r
            .hwid_limit
            .filter(|h| *h > 0)
            .and_then(|h| u32::try_from(h).ok()),
    }
}

fn expiry(expires_at_ms: Option<i64>, after_first_use_ms: Option<i64>) -> ExpiryInput {
    match (expires_at_ms, after_first_use_ms) {
        (Some(ms), _) if ms > 0 => ExpiryInput::At { ms },
        (_, Some(d)) if d > 0 => ExpiryInput::AfterFirstUse {
            days: u32::try_from((d + DAY_MS - 1) / DAY_MS).unwrap_or(u32::MAX),
        },
        _ => ExpiryInput::Never,
    }
}

/// The target panel's inbounds (empty = unknown; numeric ids are then taken as given).
fn panel_inbounds<'t>(target: &'t Target<'_>) -> &'t [XuiInboundOption] {
    match &target.create_options {
        Some(CreateOptions::Xui { inbounds }) => inbounds,
        _ => &[],
    }
}

/// Inbounds for a row: its own ids where this panel has them, else the panel's inbounds of
/// the row's protocols, else the options' fallback.
fn inbounds_for(r: &AccountRecord, target: &Target<'_>, opts: &PlanOptions) -> Vec<i64> {
    let inbounds = panel_inbounds(target);
    let known = |id: i64| inbounds.is_empty() || inbounds.iter().any(|i| i.id == id);
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
    let by_protocol: Vec<i64> = inbounds
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

pub fn new_account(
    r: &AccountRecord,
    target: &Target<'_>,
    opts: &PlanOptions,
) -> Result<NewAccount, ConflictReason> {
    let inbound_ids = inbounds_for(r, target, opts);
    if inbound_ids.is_empty() {
        return Err(ConflictReason::NoInboundFits {
            name: r.name.clone(),
            protocols: r.protocols.clone(),
        });
    }
    Ok(NewAccount::Xui {
        email: r.name.clone(),
        inbound_ids,
        total_bytes: r.limit_bytes.filter(|b| *b > 0),
        expiry: expiry(r.expires_at_ms, r.expire_after_first_use_ms),
        limit_ip: r
            .ip_limit
            .map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX)),
        comment: r.note.clone().unwrap_or_default(),
        group: r.group.clone(),
        reset_days: r.reset_days.unwrap_or(0),
    })
}

pub fn edit_for(src: &EditSource<'_>) -> (Option<AccountEdit>, Vec<FieldChange>) {
    let (r, account) = (src.record, src.account);
    let limit = src.limit();
    let enabled = src.enabled();
    let note = src.note();
    let (expires, after) = src.expiry();
    let have_reset = src
        .raw
        .reset_days
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(0);
    let ip_limit = src.pick(
        col::IP_LIMIT,
        r.ip_limit.filter(|v| *v > 0),
        account.ip_limit,
    );
    let group = src.pick(col::GROUP, r.group.as_deref(), account.group.as_deref());
    let reset = src.pick(col::RESET_DAYS, r.reset_days.unwrap_or(0), have_reset);
    let mut d = Diff::default();
    d.check(Field::Limit, account.limit_bytes, limit, FieldValue::bytes);
    d.check(
        Field::Expiry,
        account.expires_at_ms,
        expires.filter(|t| *t > 0),
        FieldValue::moment,
    );
    d.check(
        Field::ExpireAfterFirstUse,
        account.expire_after_first_use_ms,
        if expires.is_some_and(|t| t > 0) {
            None
        } else {
            after.filter(|t| *t > 0)
        },
        |ms| FieldValue::Span { ms },
    );
    d.check(Field::IpCap, account.ip_limit, ip_limit, FieldValue::count);
    d.check(
        Field::Enabled,
        Some(account.enabled),
        Some(enabled),
        FieldValue::toggle,
    );
    d.check(Field::Note, account.note.as_deref(), note, FieldValue::text);
    d.check(
        Field::Group,
        account.group.as_deref(),
        group,
        FieldValue::text,
    );
    d.check(Field::ResetDays, Some(have_reset), Some(reset), |days| {
        FieldValue::Days { days }
    });
    if d.changes.is_empty() {
        return (None, d.changes);
    }
    let edit = AccountEdit::Xui {
        email: account.name.clone(),
        total_bytes: limit,
        expiry: expiry(expires, after),
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

/// 3x-ui's flow, auto-renew, Telegram id and device limit; its UUID may be only in the raw
/// record.
pub fn fill_record(r: &mut AccountRecord, raw: RawBits, credentials: Option<Credentials>) {
    r.flow = raw.flow;
    r.reset_days = raw
        .reset_days
        .filter(|d| *d > 0)
        .and_then(|d| u32::try_from(d).ok());
    r.tg_id = raw.tg_id.filter(|t| *t != 0);
    r.hwid_limit = raw
        .limit_hwid
        .filter(|t| *t > 0)
        .and_then(|t| u64::try_from(t).ok());
    if let Some(c) = credentials {
        r.sub_id = c.sub_id;
        r.uuid = c.uuid.or(raw.id);
        r.password = raw.password;
    }
}
