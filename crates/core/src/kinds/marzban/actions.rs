//! Marzban: native id = the username. Enable/disable set the status (`active`/`disabled`);
//! "start after first use" is the `on_hold` status with its duration.

use std::collections::BTreeMap;

use paneldeck_panels::{
    marzban::{
        username_ok, DataLimitResetStrategy, MarzbanClient, ProxySettings, ProxyType, UserModify,
        UserStatus, UserStatusModify, USERNAME_REGEX,
    },
    FieldProblem, PanelError, PanelKind,
};

use crate::{
    actions::{rename_fields, to_i64, types::*, unsupported_action, Checks},
    error::{CoreError, Result},
};

/// The panel's 422 field names → the form's.
const FIELDS: &[(&str, &str)] = &[
    ("data_limit", "dataLimitBytes"),
    ("data_limit_reset_strategy", "dataLimitResetStrategy"),
    ("on_hold_expire_duration", "onHoldExpireDurationSecs"),
    ("on_hold_timeout", "onHoldExpireDurationSecs"),
    ("expire", "expire"),
];

pub(super) fn panel(err: PanelError) -> CoreError {
    rename_fields(err, FIELDS)
}

pub(super) fn proxy_type(p: MarzbanProtocol) -> ProxyType {
    match p {
        MarzbanProtocol::Vmess => ProxyType::Vmess,
        MarzbanProtocol::Vless => ProxyType::Vless,
        MarzbanProtocol::Trojan => ProxyType::Trojan,
        MarzbanProtocol::Shadowsocks => ProxyType::Shadowsocks,
    }
}

pub(super) fn protocol(p: ProxyType) -> MarzbanProtocol {
    match p {
        ProxyType::Vmess => MarzbanProtocol::Vmess,
        ProxyType::Vless => MarzbanProtocol::Vless,
        ProxyType::Trojan => MarzbanProtocol::Trojan,
        ProxyType::Shadowsocks => MarzbanProtocol::Shadowsocks,
    }
}

pub(super) fn strategy(s: ResetStrategy) -> DataLimitResetStrategy {
    match s {
        ResetStrategy::NoReset => DataLimitResetStrategy::NoReset,
        ResetStrategy::Day => DataLimitResetStrategy::Day,
        ResetStrategy::Week => DataLimitResetStrategy::Week,
        ResetStrategy::Month => DataLimitResetStrategy::Month,
        ResetStrategy::Year => DataLimitResetStrategy::Year,
    }
}

pub(super) fn inbounds_map(list: &[ProtocolInbounds]) -> BTreeMap<ProxyType, Vec<String>> {
    let mut map: BTreeMap<ProxyType, Vec<String>> = BTreeMap::new();
    for item in list {
        let tags = map.entry(proxy_type(item.protocol)).or_default();
        for tag in &item.tags {
            let tag = tag.trim();
            if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
    }
    map
}

pub(super) fn inbounds_list(map: &BTreeMap<ProxyType, Vec<String>>) -> Vec<ProtocolInbounds> {
    map.iter()
        .map(|(p, tags)| ProtocolInbounds {
            protocol: protocol(*p),
            tags: tags.clone(),
        })
        .collect()
}

/// The server's username rule in English, quoting its regex (the CLI's and the planner's
/// words; the UI words [`FieldProblem::UsernameFormat`] itself).
pub(super) fn username_rule() -> String {
    format!(
        "Marzban takes only a-z, A-Z, 0-9, _, -, @ and ., and a username must start with 3 to 32 \
         of a-z, A-Z, 0-9 and _ (its rule: {USERNAME_REGEX})."
    )
}

/// Checked with the server's own rule before anything is sent: `tm-001` and `ab` pass a
/// looser reading of it but the server refuses them (NOTES.md).
pub(super) fn check_username(checks: &mut Checks, name: &str) {
    if name.is_empty() {
        checks.fail("username", FieldProblem::Required, "Enter a username.");
    } else {
        checks.require(
            username_ok(name),
            "username",
            FieldProblem::UsernameFormat { min: 3, max: 32 },
            username_rule(),
        );
    }
}

pub(super) fn check_limit(checks: &mut Checks, data_limit_bytes: Option<u64>) {
    checks.require(
        data_limit_bytes != Some(0),
        "dataLimitBytes",
        FieldProblem::NotPositive,
        "The data limit must be more than 0 (leave it empty for unlimited).",
    );
}

pub(super) fn check_expire(checks: &mut Checks, expire: ExpireInput) {
    if let ExpireInput::At { ms } = expire {
        checks.require(
            ms >= 1000,
            "expire",
            FieldProblem::PickExpiry,
            "Pick an expiry date, or choose never.",
        );
    }
}

pub(super) fn check_on_hold(
    checks: &mut Checks,
    on_hold: bool,
    duration: Option<u64>,
    expire: ExpireInput,
) {
    if !on_hold {
        return;
    }
    checks.require(
        duration.is_some_and(|d| d > 0),
        "onHoldExpireDurationSecs",
        FieldProblem::OnHoldNeedsPeriod,
        "An on-hold user needs a period (more than 0) that starts at first use.",
    );
    checks.require(
        matches!(expire, ExpireInput::Never),
        "expire",
        FieldProblem::OnHoldNoExpiry,
        "An on-hold user has no expiry date: its period starts at first use.",
    );
}

pub(super) fn check_inbounds_in_proxies(
    checks: &mut Checks,
    inbounds: &[ProtocolInbounds],
    proxies: &[MarzbanProtocol],
) {
    if let Some(stray) = inbounds.iter().find(|i| !proxies.contains(&i.protocol)) {
        checks.fail(
            "inbounds",
            FieldProblem::InboundsOutsideProtocols {
                protocol: protocol_name(stray.protocol).to_owned(),
            },
            format!(
                "Inbounds were picked for {}, which is not among the protocols.",
                protocol_name(stray.protocol)
            ),
        );
    }
}

fn protocol_name(p: MarzbanProtocol) -> &'static str {
    match p {
        MarzbanProtocol::Vmess => "VMess",
        MarzbanProtocol::Vless => "VLESS",
        MarzbanProtocol::Trojan => "Trojan",
        MarzbanProtocol::Shadowsocks => "Shadowsocks",
    }
}

pub(super) fn expire_secs(expire: ExpireInput) -> i64 {
    match expire {
        ExpireInput::Never => 0,
        ExpireInput::At { ms } => ms.div_euclid(1000),
    }
}

pub(super) async fn apply(
    c: &MarzbanClient,
    username: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    let outcome = match action {
        AccountAction::Enable | AccountAction::Disable => {
            let enable = matches!(action, AccountAction::Enable);
            let change = UserModify {
                status: Some(if enable {
                    UserStatusModify::Active
                } else {
                    UserStatusModify::Disabled
                }),
                ..UserModify::default()
            };
            c.modify_user(username, &change).await.map_err(panel)?;
            ActionOutcome::new(
                username,
                if enable {
                    ActionMessage::UserEnabled
                } else {
                    ActionMessage::UserDisabled
                },
            )
        }
        AccountAction::ResetTraffic => {
            reset_keeping_disabled(c, username).await?;
            ActionOutcome::new(username, ActionMessage::UsedTrafficReset)
        }
        AccountAction::Delete { .. } => {
            c.remove_user(username).await?;
            ActionOutcome::new(username, ActionMessage::UserDeleted)
        }
        AccountAction::RevokeSubscription => {
            let user = c.revoke_user_subscription(username).await?;
            let outcome = ActionOutcome::new(username, ActionMessage::SubscriptionRevoked);
            if user.subscription_url.is_empty() {
                outcome
            } else {
                outcome.with_secret(user.subscription_url)
            }
        }
        AccountAction::ClearIps => {
            return Err(unsupported_action(
                PanelKind::Marzban,
                action,
                "its API does not expose the IP addresses users connect from",
            ))
        }
        AccountAction::RegeneratePassword => {
            return Err(unsupported_action(
                PanelKind::Marzban,
                action,
                "revoke the subscription instead, which renews every proxy secret",
            ))
        }
        AccountAction::SetPermissions { .. } => {
            return Err(unsupported_action(
                PanelKind::Marzban,
                action,
                "users have no permissions",
            ))
        }
    };
    Ok(outcome)
}

/// Resets the used traffic and puts a disabled user back to disabled: both releases test
/// `status not in (UserStatus.expired or UserStatus.disabled)`, i.e. only `expired`, so a
/// disabled user comes back `active` (`crud.reset_user_data_usage` in app/db/crud.py at v0.4.9
/// and v0.8.4; NOTES.md "Both versions").
async fn reset_keeping_disabled(c: &MarzbanClient, username: &str) -> Result<()> {
    let before = c.get_user(username).await?;
    let after = c.reset_user_data_usage(username).await?;
    if before.status == UserStatus::Disabled && after.status != UserStatus::Disabled {
        let off = UserModify {
            status: Some(UserStatusModify::Disabled),
            ..UserModify::default()
        };
        c.modify_user(username, &off).await.map_err(panel)?;
    }
    Ok(())
}

pub(super) async fn edit(
    c: &MarzbanClient,
    username: &str,
    edit: &AccountEdit,
) -> Result<ActionOutcome> {
    let AccountEdit::Marzban {
        data_limit_bytes,
        expire,
        data_limit_reset_strategy,
        status,
        note,
        on_hold_expire_duration_secs,
        proxies,
        inbounds,
    } = edit
    else {
        return Err(CoreError::Internal(
            "Marzban edit called with another kind's form".into(),
        ));
    };
    let mut checks = Checks::new();
    check_limit(&mut checks, *data_limit_bytes);
    check_expire(&mut checks, *expire);
    check_on_hold(
        &mut checks,
        *status == MarzbanStatusInput::OnHold,
        *on_hold_expire_duration_secs,
        *expire,
    );
    if let Some(list) = proxies {
        checks.require(
            !list.is_empty(),
            "proxies",
            FieldProblem::PickAtLeastOne,
            "Keep at least one protocol.",
        );
        if let Some(inb) = inbounds {
            check_inbounds_in_proxies(&mut checks, inb, list);
        }
    }
    checks.finish()?;

    // Protocols kept keep their secrets (an empty entry would regenerate them).
    let proxies = match proxies {
        None => None,
        Some(list) => {
            let current = c.get_user(username).await?;
            Some(
                list.iter()
                    .map(|p| {
                        let t = proxy_type(*p);
                        (t, current.proxies.get(&t).cloned().unwrap_or_default())
                    })
                    .collect::<BTreeMap<ProxyType, ProxySettings>>(),
            )
        }
    };
    let change = UserModify {
        proxies,
        inbounds: inbounds.as_deref().map(inbounds_map),
        expire_utc_secs: Some(expire_secs(*expire)),
        data_limit_bytes: Some(data_limit_bytes.unwrap_or(0)),
        data_limit_reset_strategy: Some(strategy(*data_limit_reset_strategy)),
        status: Some(match status {
            MarzbanStatusInput::Active => UserStatusModify::Active,
            MarzbanStatusInput::Disabled => UserStatusModify::Disabled,
            MarzbanStatusInput::OnHold => UserStatusModify::OnHold,
        }),
        note: Some(note.clone()),
        on_hold_expire_duration_secs: on_hold_expire_duration_secs.map(to_i64),
        on_hold_timeout: None,
    };
    c.modify_user(username, &change).await.map_err(panel)?;
    Ok(ActionOutcome::new(username, ActionMessage::UserSaved))
}
