//! Marzban creates: the form checked with the server's rules, a template's values filled in,
//! the create sent (and sent again after 0.8.4's spurious 409), and what the form offers.

use std::collections::BTreeMap;

use paneldeck_panels::{
    marzban::{
        InboundPort, MarzbanClient, ProxySettings, ProxyType, TemplateId, User, UserCreate,
        UserModify, UserStatusCreate, UserStatusModify, UserTemplate,
    },
    FieldProblem, PanelError,
};

use super::actions::{
    check_expire, check_inbounds_in_proxies, check_limit, check_on_hold, check_username,
    expire_secs, inbounds_list, inbounds_map, panel, protocol, proxy_type, strategy,
};
use crate::{
    actions::{given, now_ms, to_i64, types::*, Checks},
    error::{CoreError, Result},
};

/// Creates the user; what happened and the user as the panel's last answer holds it (the
/// create's, or the disable's that follows it).
pub(super) async fn create(
    c: &MarzbanClient,
    new: &NewAccount,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) -> Result<(ActionOutcome, User)> {
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

/// Sends the create, then the disable a kept disabled state needs. Both answer the whole
/// user (`UserResponse` for `POST /api/user` and `PUT /api/user/{username}`, as for
/// `GET /api/user/{username}`, in marzban-0.4.9-openapi.json and marzban-0.8.4-openapi.json).
async fn add_user(
    c: &MarzbanClient,
    user: &UserCreate,
    settings: &KeptSettings,
) -> Result<(ActionOutcome, User)> {
    let created = send_create(c, user).await?;
    if settings.disabled {
        // A new user can only start active or on hold.
        let off = UserModify {
            status: Some(UserStatusModify::Disabled),
            ..UserModify::default()
        };
        let disabled = c
            .modify_user(&created.username, &off)
            .await
            .map_err(panel)?;
        let outcome = ActionOutcome::new(&created.username, ActionMessage::UserCreatedDisabled);
        return Ok((outcome, disabled));
    }
    let outcome = ActionOutcome::new(&created.username, ActionMessage::UserCreated);
    Ok((outcome, created))
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

/// Sends a create. A 409 "already exists" for a user the panel does not have is 0.8.4's race
/// between concurrent creates inserting the same excluded-inbound row (NOTES.md, measured
/// table): the user is looked up and the create sent again while it is absent.
async fn send_create(c: &MarzbanClient, user: &UserCreate) -> Result<User> {
    const RETRIES: u64 = 3;
    let mut retry = 0;
    loop {
        match c.add_user(user).await {
            Err(PanelError::Conflict { message }) if retry < RETRIES => {
                match c.get_user(&user.username).await {
                    Err(PanelError::NotFound { .. }) => retry += 1,
                    Ok(_) => return Err(panel(PanelError::Conflict { message })),
                    Err(other) => return Err(other.into()),
                }
                tokio::time::sleep(std::time::Duration::from_millis(20 * retry)).await;
            }
            answer => return answer.map_err(panel),
        }
    }
}
