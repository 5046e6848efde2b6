//! User-pass proxy provider: native id = the sub-user's numeric id. Its API has create, update
//! (password, status, caps, note) and delete; no traffic reset and no IP list.

use paneldeck_panels::{
    userpass::{
        ListParams, NewSubUser, SubUser, SubUserId, SubUserStatus, SubUserUpdate, UserpassClient,
    },
    FieldProblem, PanelError, PanelKind, Secret,
};

use super::ids::parse_userpass_native_id;
use crate::{
    actions::{random_password, types::*, unsupported_action, Checks},
    error::{CoreError, Result},
};

/// Length of a generated proxy password (letters and digits).
pub(super) const PASSWORD_LEN: u32 = 16;

fn status(s: ProxyStatusInput) -> SubUserStatus {
    match s {
        ProxyStatusInput::Active => SubUserStatus::Active,
        ProxyStatusInput::Disabled => SubUserStatus::Disabled,
    }
}

/// The sub-user `id` (the API has no single-user read: the list is searched).
async fn find(c: &UserpassClient, id: SubUserId) -> Result<SubUser> {
    c.get_list_all(&ListParams::default())
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| {
            PanelError::NotFound {
                message: format!("no sub-user with id {id} on this provider"),
            }
            .into()
        })
}

/// The sub-user `id`, to be updated. An update must send status 1 or 2
/// (userpass-subusers-api.txt, `PUT update`: "1: active, 2: disable"), and a blocked one (3, set
/// by the provider) has neither to keep: sending either would change what the provider set, so
/// only a disable (which asks for 2) and a delete reach it.
async fn find_changeable(c: &UserpassClient, id: SubUserId) -> Result<SubUser> {
    let current = find(c, id).await?;
    if current.status == SubUserStatus::Blocked {
        return Err(CoreError::AccountBlocked(format!(
            "the provider blocked sub-user {id}; its API takes no change to it until the block is lifted (disabling or deleting it still works)"
        )));
    }
    Ok(current)
}

fn check_user_name(checks: &mut Checks, name: &str) {
    let name = name.trim();
    checks.require(
        !name.is_empty(),
        "userName",
        FieldProblem::Required,
        "Enter a user name.",
    );
    checks.require(
        !name.chars().any(char::is_whitespace),
        "userName",
        FieldProblem::NoSpaces,
        "A proxy user name cannot contain spaces.",
    );
}

pub(super) async fn apply(
    c: &UserpassClient,
    native_id: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    let id = parse_userpass_native_id(native_id)?;
    let outcome = match action {
        AccountAction::Enable | AccountAction::Disable => {
            let enable = matches!(action, AccountAction::Enable);
            // Disabling a blocked one sends 2, as asked; enabling it would try to lift the block.
            let current = if enable {
                find_changeable(c, id).await?
            } else {
                find(c, id).await?
            };
            let mut update = SubUserUpdate::keep(&current);
            update.status = if enable {
                SubUserStatus::Active
            } else {
                SubUserStatus::Disabled
            };
            c.update(&update).await?;
            ActionOutcome::new(
                native_id,
                if enable {
                    ActionMessage::ProxyUserEnabled
                } else {
                    ActionMessage::ProxyUserDisabled
                },
            )
        }
        AccountAction::Delete { .. } => {
            c.delete(id).await?;
            ActionOutcome::new(native_id, ActionMessage::ProxyUserDeleted)
        }
        AccountAction::RegeneratePassword => {
            let current = find_changeable(c, id).await?;
            let password = random_password(PASSWORD_LEN as usize);
            let mut update = SubUserUpdate::keep(&current);
            update.password = Secret::new(password.as_str());
            c.update(&update).await?;
            ActionOutcome::new(native_id, ActionMessage::PasswordRegenerated).with_secret(password)
        }
        AccountAction::ResetTraffic => {
            return Err(unsupported_action(
                PanelKind::Userpass,
                action,
                "the provider's API has no traffic reset",
            ))
        }
        AccountAction::ClearIps => {
            return Err(unsupported_action(
                PanelKind::Userpass,
                action,
                "the provider's API has no IP list",
            ))
        }
        AccountAction::RevokeSubscription => {
            return Err(unsupported_action(
                PanelKind::Userpass,
                action,
                "proxy users have no subscription (regenerate the password instead)",
            ))
        }
        AccountAction::SetPermissions { .. } => {
            return Err(unsupported_action(
                PanelKind::Userpass,
                action,
                "proxy users have no permissions",
            ))
        }
    };
    Ok(outcome)
}

pub(super) async fn edit(
    c: &UserpassClient,
    native_id: &str,
    edit: &AccountEdit,
) -> Result<ActionOutcome> {
    let AccountEdit::Userpass {
        user_name,
        note,
        usage_cap_bytes,
        ip_usage_cap,
        status: st,
    } = edit
    else {
        return Err(CoreError::Internal(
            "user-pass edit called with another kind's form".into(),
        ));
    };
    let id = parse_userpass_native_id(native_id)?;
    let mut checks = Checks::new();
    if let Some(name) = user_name {
        check_user_name(&mut checks, name);
    }
    checks.finish()?;
    let current = find_changeable(c, id).await?;
    let mut update = SubUserUpdate::keep(&current);
    update.user_name = user_name.as_ref().map(|n| n.trim().to_owned());
    update.note = Some(note.clone());
    update.usage_cap_bytes = *usage_cap_bytes;
    update.ip_usage_cap = *ip_usage_cap;
    update.status = status(*st);
    c.update(&update).await?;
    Ok(ActionOutcome::new(native_id, ActionMessage::ProxyUserSaved))
}

/// `kept.password` (a copied sub-user's `use_key`) wins over the form's.
pub(super) async fn create(
    c: &UserpassClient,
    new: &NewAccount,
    kept: &KeptCredentials,
) -> Result<Vec<ActionOutcome>> {
    let NewAccount::Userpass {
        user_name,
        password,
        usage_cap_bytes,
        ip_usage_cap,
        note,
        status: st,
    } = new
    else {
        return Err(CoreError::Internal(
            "user-pass create called with another kind's form".into(),
        ));
    };
    let mut checks = Checks::new();
    check_user_name(&mut checks, user_name);
    if let Some(p) = password {
        checks.require(
            !p.expose().trim().is_empty(),
            "password",
            FieldProblem::BlankPassword,
            "Enter a password, or leave it empty to have one generated.",
        );
    }
    checks.finish()?;
    let kept_password = kept
        .password
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(Secret::new);
    let password = kept_password.as_ref().or(password.as_ref());
    let generated = password
        .is_none()
        .then(|| random_password(PASSWORD_LEN as usize));
    let password = match (&generated, password) {
        (Some(g), _) => Secret::new(g.as_str()),
        (None, Some(p)) => (*p).clone(),
        (None, None) => return Err(CoreError::Internal("no password".into())),
    };
    let created = c
        .create(&NewSubUser {
            user_name: user_name.trim().to_owned(),
            password,
            status: status(*st),
            note: (!note.trim().is_empty()).then(|| note.clone()),
            usage_cap_bytes: *usage_cap_bytes,
            ip_usage_cap: *ip_usage_cap,
        })
        .await?;
    let outcome = ActionOutcome::new(created.id.to_string(), ActionMessage::ProxyUserCreated);
    Ok(vec![match generated {
        Some(g) => outcome.with_secret(g),
        None => outcome,
    }])
}
