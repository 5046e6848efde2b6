//! Marzban: native id = the username. Enable/disable set the status (`active`/`disabled`);
//! "start after first use" is the `on_hold` status with its duration.

use std::collections::BTreeMap;

use paneldeck_panels::{
    marzban::{
        DataLimitResetStrategy, InboundPort, MarzbanClient, ProxySettings, ProxyType, TemplateId,
        UserCreate, UserModify, UserStatusCreate, UserStatusModify, UserTemplate,
    },
    FieldProblem, PanelError, PanelKind,
};

use crate::{
    actions::{given, now_ms, rename_fields, to_i64, types::*, unsupported_action, Checks},
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

fn panel(err: PanelError) -> CoreError {
    rename_fields(err, FIELDS)
}

fn proxy_type(p: MarzbanProtocol) -> ProxyType {
    match p {
        MarzbanProtocol::Vmess => ProxyType::Vmess,
        MarzbanProtocol::Vless => ProxyType::Vless,
        MarzbanProtocol::Trojan => ProxyType::Trojan,
        MarzbanProtocol::Shadowsocks => ProxyType::Shadowsocks,
    }
}

fn protocol(p: ProxyType) -> MarzbanProtocol {
    match p {
        ProxyType::Vmess => MarzbanProtocol::Vmess,
        ProxyType::Vless => MarzbanProtocol::Vless,
        ProxyType::Trojan => MarzbanProtocol::Trojan,
        ProxyType::Shadowsocks => MarzbanProtocol::Shadowsocks,
    }
}

fn strategy(s: ResetStrategy) -> DataLimitResetStrategy {
    match s {
        ResetStrategy::NoReset => DataLimitResetStrategy::NoReset,
        ResetStrategy::Day => DataLimitResetStrategy::Day,
        ResetStrategy::Week => DataLimitResetStrategy::Week,
        ResetStrategy::Month => DataLimitResetStrategy::Month,
        ResetStrategy::Year => DataLimitResetStrategy::Year,
    }
}

fn inbounds_map(list: &[ProtocolInbounds]) -> BTreeMap<ProxyType, Vec<String>> {
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

fn inbounds_list(map: &BTreeMap<ProxyType, Vec<String>>) -> Vec<ProtocolInbounds> {
    map.iter()
        .map(|(p, tags)| ProtocolInbounds {
            protocol: protocol(*p),
            tags: tags.clone(),
        })
        .collect()
}

/// Marzban's rule: 3–32 of `a-z A-Z 0-9 _ - @ .`.
pub(super) fn username_ok(name: &str) -> bool {
    (3..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@' | '.'))
}

fn check_username(checks: &mut Checks, name: &str) {
    if name.is_empty() {
        checks.fail("username", FieldProblem::Required, "Enter a username.");
    } else {
        checks.require(
            username_ok(name),
            "username",
            FieldProblem::UsernameFormat { min: 3, max: 32 },
            "A username is 3 to 32 characters of a-z, A-Z, 0-9, _, -, @ and . only.",
        );
    }
}

fn check_limit(checks: &mut Checks, data_limit_bytes: Option<u64>) {
    checks.require(
        data_limit_bytes != Some(0),
        "dataLimitBytes",
        FieldProblem::NotPositive,
        "The data limit must be more than 0 (leave it empty for unlimited).",
    );
}

fn check_expire(checks: &mut Checks, expire: ExpireInput) {
    if let ExpireInput::At { ms } = expire {
        checks.require(
            ms >= 1000,
            "expire",
            FieldProblem::PickExpiry,
            "Pick an expiry date, or choose never.",
        );
    }
}

fn check_on_hold(checks: &mut Checks, on_hold: bool, duration: Option<u64>, expire: ExpireInput) {
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

fn check_inbounds_in_proxies(
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

fn expire_secs(expire: ExpireInput) -> i64 {
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
            c.reset_user_data_usage(username).await?;
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

pub(super) async fn create(
    c: &MarzbanClient,
    new: &NewAccount,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) -> Result<Vec<ActionOutcome>> {
    let NewAccount::Marzban {
        username,
        proxies,
        inbounds,
        expire,
        data_limit_bytes,
        data_limit_reset_strategy,
        template_id,
        status,
        on_hold_expire_duration_secs,
        note,
    } = new
    else {
        return Err(CoreError::Internal(
            "Marzban create called with another kind's form".into(),
        ));
    };
    let on_hold = *status == MarzbanCreateStatus::OnHold;
    let typed = username.trim();
    check_create_form(new, typed, on_hold)?;
    let template = fetch_template(c, *template_id).await?;

    // The form's values first; the template's fill what the form left empty.
    let mut filled = Filled {
        name: typed.to_owned(),
        limit: *data_limit_bytes,
        expire_utc_secs: expire_secs(*expire),
        inbound_map: inbounds_map(inbounds),
        protocols: proxies.clone(),
    };
    if let Some(t) = &template {
        fill_from_template(&mut filled, t, on_hold)?;
    }
    let Filled {
        name,
        limit,
        expire_utc_secs,
        inbound_map,
        protocols,
    } = filled;

    let user = UserCreate {
        username: name.clone(),
        proxies: protocols
            .iter()
            .map(|p| (proxy_type(*p), kept_proxy(*p, kept)))
            .collect(),
        inbounds: inbound_map,
        expire_utc_secs: (expire_utc_secs != 0).then_some(expire_utc_secs),
        data_limit_bytes: limit,
        data_limit_reset_strategy: Some(strategy(*data_limit_reset_strategy)),
        status: Some(if on_hold {
            UserStatusCreate::OnHold
        } else {
            UserStatusCreate::Active
        }),
        note: (!note.trim().is_empty()).then(|| note.clone()),
        on_hold_expire_duration_secs: if on_hold {
            on_hold_expire_duration_secs.map(to_i64)
        } else {
            None
        },
        on_hold_timeout: None,
    };
    add_user(c, &user, settings).await
}

/// The create form's own checks; with a template, the name and protocols are checked once
/// the template has filled them in ([`fill_from_template`]).
fn check_create_form(new: &NewAccount, typed: &str, on_hold: bool) -> Result<()> {
    let NewAccount::Marzban {
        proxies,
        inbounds,
        expire,
        data_limit_bytes,
        template_id,
        on_hold_expire_duration_secs,
        ..
    } = new
    else {
        return Ok(());
    };
    let mut checks = Checks::new();
    if template_id.is_some() {
        // Checked in full once the template's prefix and suffix are added.
        checks.require(
            !typed.is_empty(),
            "username",
            FieldProblem::Required,
            "Enter a username.",
        );
    }
    check_limit(&mut checks, *data_limit_bytes);
    check_expire(&mut checks, *expire);
    check_on_hold(&mut checks, on_hold, *on_hold_expire_duration_secs, *expire);
    if template_id.is_none() {
        check_username(&mut checks, typed);
        checks.require(
            !proxies.is_empty(),
            "proxies",
            FieldProblem::PickAtLeastOne,
            "Pick at least one protocol.",
        );
        check_inbounds_in_proxies(&mut checks, inbounds, proxies);
    }
    checks.finish()
}

async fn fetch_template(
    c: &MarzbanClient,
    template_id: Option<i64>,
) -> Result<Option<UserTemplate>> {
    Ok(match template_id {
        None => None,
        Some(id) => Some(
            c.get_user_template(TemplateId(id))
                .await
                .map_err(|e| match e {
                    PanelError::NotFound { .. } => CoreError::invalid_field(
                        "templateId",
                        FieldProblem::TemplateGone,
                        "That template no longer exists.",
                    ),
                    other => CoreError::Panel(other),
                })?,
        ),
    })
}

/// What a create sends that a template may fill in.
struct Filled {
    name: String,
    limit: Option<u64>,
    expire_utc_secs: i64,
    inbound_map: BTreeMap<ProxyType, Vec<String>>,
    protocols: Vec<MarzbanProtocol>,
}

/// Fills what the form left empty from the template `t`, then checks the result.
fn fill_from_template(f: &mut Filled, t: &UserTemplate, on_hold: bool) -> Result<()> {
    let Filled {
        name,
        limit,
        expire_utc_secs,
        inbound_map,
        protocols,
    } = f;
    *name = format!(
        "{}{name}{}",
        t.username_prefix.as_deref().unwrap_or_default(),
        t.username_suffix.as_deref().unwrap_or_default()
    );
    *limit = limit.or(t.data_limit_bytes);
    if *expire_utc_secs == 0 && !on_hold {
        if let Some(d) = t.expire_duration_secs {
            *expire_utc_secs = now_ms() / 1000 + to_i64(d);
        }
    }
    if protocols.is_empty() {
        *protocols = t.inbounds.keys().copied().map(protocol).collect();
    }
    if inbound_map.is_empty() {
        // The template's inbounds of the protocols chosen (others: all their inbounds).
        *inbound_map = t
            .inbounds
            .iter()
            .filter(|(p, _)| protocols.contains(&protocol(**p)))
            .map(|(p, tags)| (*p, tags.clone()))
            .collect();
    }
    let mut checks = Checks::new();
    check_username(&mut checks, name);
    checks.require(
        !protocols.is_empty(),
        "proxies",
        FieldProblem::PickAtLeastOne,
        "Pick at least one protocol (the template names none).",
    );
    check_inbounds_in_proxies(&mut checks, &inbounds_list(inbound_map), protocols);
    checks.finish()
}

/// Sends the create, then the disable a kept disabled state needs.
async fn add_user(
    c: &MarzbanClient,
    user: &UserCreate,
    settings: &KeptSettings,
) -> Result<Vec<ActionOutcome>> {
    let created = c.add_user(user).await.map_err(panel)?;
    if settings.disabled {
        // A new user can only start active or on hold.
        let off = UserModify {
            status: Some(UserStatusModify::Disabled),
            ..UserModify::default()
        };
        c.modify_user(&created.username, &off)
            .await
            .map_err(panel)?;
        return Ok(vec![ActionOutcome::new(
            created.username,
            ActionMessage::UserCreatedDisabled,
        )]);
    }
    Ok(vec![ActionOutcome::new(
        created.username,
        ActionMessage::UserCreated,
    )])
}

/// One protocol's settings with what is kept (`{}` lets the server generate the secret): the
/// VLESS id and flow, the VMess id (its own, else the VLESS one), the Trojan and
/// Shadowsocks password (one file column holds one password) and the Shadowsocks cipher.
fn kept_proxy(p: MarzbanProtocol, kept: &KeptCredentials) -> ProxySettings {
    let mut s = ProxySettings::default();
    match p {
        MarzbanProtocol::Vless => {
            s.id = given(&kept.uuid);
            s.flow = given(&kept.flow);
        }
        MarzbanProtocol::Vmess => s.id = given(&kept.vmess_uuid).or_else(|| given(&kept.uuid)),
        MarzbanProtocol::Trojan => s.password = given(&kept.password),
        MarzbanProtocol::Shadowsocks => {
            s.password = given(&kept.password);
            s.method = given(&kept.ss_method);
        }
    }
    s
}

pub(super) async fn create_options(c: &MarzbanClient) -> Result<CreateOptions> {
    let inbounds = c
        .get_inbounds()
        .await?
        .into_iter()
        .map(|(p, list)| MarzbanProtocolInbounds {
            protocol: protocol(p),
            inbounds: list
                .into_iter()
                .map(|i| MarzbanInboundOption {
                    tag: i.tag,
                    network: i.network,
                    tls: i.tls,
                    port: match i.port {
                        InboundPort::Number(n) => n.to_string(),
                        InboundPort::Text(t) => t,
                    },
                })
                .collect(),
        })
        .collect();
    let templates = c
        .get_user_templates(None, None)
        .await?
        .into_iter()
        .map(|t| MarzbanTemplateOption {
            id: t.id.0,
            name: t.name.unwrap_or_else(|| format!("Template {}", t.id)),
            data_limit_bytes: t.data_limit_bytes,
            expire_duration_secs: t.expire_duration_secs,
            username_prefix: t.username_prefix,
            username_suffix: t.username_suffix,
            inbounds: inbounds_list(&t.inbounds),
        })
        .collect();
    Ok(CreateOptions::Marzban {
        inbounds,
        templates,
    })
}
