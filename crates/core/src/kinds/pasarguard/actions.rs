//! PasarGuard: native id = the username. Enable/disable set the status (`active` /
//! `disabled`); "start after first use" is the `on_hold` status with its duration. Every
//! modify re-sends the user's `next_plan`: one left out is deleted (`modify_user`,
//! `app/db/crud/user.py` at v5.2.1).

use paneldeck_panels::{
    pasarguard::{
        DataLimitResetStrategy, Expire, GroupId, IdSettings, PasarguardClient, ProxySettings,
        ShadowsocksSettings, TrojanSettings, UserCreate, UserModify, UserStatusCreate,
        UserStatusModify,
    },
    FieldProblem, PanelError, PanelKind,
};

use super::form::{PasarguardEdit, PasarguardGroupOption, PasarguardNew, PasarguardOptions};
use crate::{
    actions::{given, rename_fields, to_i64, types::*, unsupported_action, Checks},
    error::{CoreError, Result},
};

/// The panel's 422 field names → the form's.
const FIELDS: &[(&str, &str)] = &[
    ("data_limit", "dataLimitBytes"),
    ("data_limit_reset_strategy", "dataLimitResetStrategy"),
    ("on_hold_expire_duration", "onHoldExpireDurationSecs"),
    ("group_ids", "groupIds"),
    ("hwid_limit", "hwidLimit"),
    ("expire", "expire"),
];

fn panel(err: PanelError) -> CoreError {
    rename_fields(err, FIELDS)
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

/// PasarGuard's rule (`UserValidator.validate_username`, `app/models/validators.py` at
/// v5.2.1): 3–128 of `a-z A-Z 0-9 - _ @ .`, no two of `- _ @ .` in a row.
pub fn username_ok(name: &str) -> bool {
    let special = |c: char| matches!(c, '-' | '_' | '@' | '.');
    let chars: Vec<char> = name.chars().collect();
    (3..=128).contains(&chars.len())
        && chars
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || special(*c))
        && !chars.windows(2).any(|w| special(w[0]) && special(w[1]))
}

fn check_username(checks: &mut Checks, name: &str) {
    if name.is_empty() {
        checks.fail("username", FieldProblem::Required, "Enter a username.");
    } else {
        checks.require(
            username_ok(name),
            "username",
            FieldProblem::UsernameFormat { min: 3, max: 128 },
            "A PasarGuard username is 3 to 128 of a-z, A-Z, 0-9, -, _, @ and ., with no two of - _ @ . in a row.",
        );
    }
}

fn check_common(
    checks: &mut Checks,
    limit: Option<u64>,
    expire: ExpireInput,
    on_hold: bool,
    duration: Option<u64>,
) {
    checks.require(
        limit != Some(0),
        "dataLimitBytes",
        FieldProblem::NotPositive,
        "The data limit must be more than 0 (leave it empty for unlimited).",
    );
    if let ExpireInput::At { ms } = expire {
        checks.require(
            ms >= 1000,
            "expire",
            FieldProblem::PickExpiry,
            "Pick an expiry date, or choose never.",
        );
    }
    if on_hold {
        // `UserValidator.validate_status`: on hold needs a period and forbids `expire`.
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
}

fn expire(e: ExpireInput) -> Expire {
    match e {
        ExpireInput::Never => Expire::Never,
        ExpireInput::At { ms } => Expire::AtUtcSecs(ms.div_euclid(1000)),
    }
}

/// `PUT /api/user/{username}` with the user's current `next_plan` unless `change` sets one.
pub(super) async fn modify_keeping_plan(
    c: &PasarguardClient,
    username: &str,
    mut change: UserModify,
) -> Result<()> {
    if change.next_plan.is_none() {
        change.next_plan = c.get_user(username).await?.next_plan;
    }
    c.modify_user(username, &change).await.map_err(panel)?;
    Ok(())
}

pub(super) async fn apply(
    c: &PasarguardClient,
    username: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    let unsupported = |why| Err(unsupported_action(PanelKind::Pasarguard, action, why));
    let outcome = match action {
        AccountAction::Enable | AccountAction::Disable => {
            let enable = matches!(action, AccountAction::Enable);
            let status = if enable {
                UserStatusModify::Active
            } else {
                UserStatusModify::Disabled
            };
            let change = UserModify {
                status: Some(status),
                ..UserModify::default()
            };
            modify_keeping_plan(c, username, change).await?;
            let message = if enable {
                ActionMessage::UserEnabled
            } else {
                ActionMessage::UserDisabled
            };
            ActionOutcome::new(username, message)
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
                outcome.with_secret(c.absolute_url(&user.subscription_url))
            }
        }
        AccountAction::ClearIps => {
            return unsupported("its API does not expose the IP addresses users connect from")
        }
        AccountAction::RegeneratePassword => {
            return unsupported("revoke the subscription instead, which renews every proxy secret")
        }
        AccountAction::SetPermissions { .. } => return unsupported("users have no permissions"),
    };
    Ok(outcome)
}

pub(super) async fn edit(
    c: &PasarguardClient,
    username: &str,
    edit: &AccountEdit,
) -> Result<ActionOutcome> {
    let AccountEdit::Pasarguard(form) = edit else {
        return Err(CoreError::Internal(
            "PasarGuard edit called with another kind's form".into(),
        ));
    };
    let PasarguardEdit {
        data_limit_bytes,
        expire: exp,
        data_limit_reset_strategy,
        status,
        note,
        on_hold_expire_duration_secs,
        group_ids,
        hwid_limit,
    } = form;
    let mut checks = Checks::new();
    let on_hold = *status == MarzbanStatusInput::OnHold;
    check_common(
        &mut checks,
        *data_limit_bytes,
        *exp,
        on_hold,
        *on_hold_expire_duration_secs,
    );
    if let Some(groups) = group_ids {
        checks.require(
            !groups.is_empty(),
            "groupIds",
            FieldProblem::PickAtLeastOne,
            "Keep at least one group.",
        );
    }
    checks.finish()?;
    let change = UserModify {
        group_ids: group_ids
            .as_ref()
            .map(|g| g.iter().copied().map(GroupId).collect()),
        expire: (!on_hold).then(|| expire(*exp)),
        data_limit_bytes: Some(data_limit_bytes.unwrap_or(0)),
        data_limit_reset_strategy: Some(strategy(*data_limit_reset_strategy)),
        status: Some(match status {
            MarzbanStatusInput::Active => UserStatusModify::Active,
            MarzbanStatusInput::Disabled => UserStatusModify::Disabled,
            MarzbanStatusInput::OnHold => UserStatusModify::OnHold,
        }),
        note: Some(note.clone()),
        on_hold_expire_duration_secs: on_hold_expire_duration_secs.map(to_i64),
        hwid_limit: hwid_limit.map(i64::from),
        ..UserModify::default()
    };
    modify_keeping_plan(c, username, change).await?;
    Ok(ActionOutcome::new(username, ActionMessage::UserSaved))
}

/// The credentials a copy keeps (the server generates what is left out).
fn kept_proxy(kept: &KeptCredentials) -> Option<ProxySettings> {
    if kept.is_empty() {
        return None;
    }
    let id = |v: Option<String>| {
        v.map(|id| IdSettings {
            id: Some(id),
            ..IdSettings::default()
        })
    };
    let password = given(&kept.password);
    Some(ProxySettings {
        vless: id(given(&kept.uuid)),
        vmess: id(given(&kept.vmess_uuid).or_else(|| given(&kept.uuid))),
        trojan: password.clone().map(|p| TrojanSettings {
            password: Some(p),
            ..TrojanSettings::default()
        }),
        shadowsocks: (password.is_some() || kept.ss_method.is_some()).then(|| {
            ShadowsocksSettings {
                password: password.clone(),
                method: given(&kept.ss_method),
                ..ShadowsocksSettings::default()
            }
        }),
        ..ProxySettings::default()
    })
}

/// The groups a create gets: the form's, or every enabled group of the panel.
async fn groups_for(c: &PasarguardClient, chosen: &[i64]) -> Result<Vec<GroupId>> {
    if !chosen.is_empty() {
        return Ok(chosen.iter().copied().map(GroupId).collect());
    }
    let all: Vec<GroupId> = c
        .get_groups()
        .await?
        .groups
        .into_iter()
        .filter(|g| !g.is_disabled)
        .map(|g| g.id)
        .collect();
    if all.is_empty() {
        return Err(CoreError::invalid_field(
            "groupIds",
            FieldProblem::PickAtLeastOne,
            "This PasarGuard panel has no groups: create one (with inbounds) first.",
        ));
    }
    Ok(all)
}

pub(super) async fn create(
    c: &PasarguardClient,
    new: &NewAccount,
    kept: &KeptCredentials,
    settings: &KeptSettings,
) -> Result<Vec<ActionOutcome>> {
    let NewAccount::Pasarguard(form) = new else {
        return Err(CoreError::Internal(
            "PasarGuard create called with another kind's form".into(),
        ));
    };
    let PasarguardNew {
        username,
        group_ids,
        expire: exp,
        data_limit_bytes,
        data_limit_reset_strategy,
        status,
        on_hold_expire_duration_secs,
        note,
        hwid_limit,
        ..
    } = form;
    let name = username.trim();
    let on_hold = *status == MarzbanCreateStatus::OnHold;
    let mut checks = Checks::new();
    check_username(&mut checks, name);
    check_common(
        &mut checks,
        *data_limit_bytes,
        *exp,
        on_hold,
        *on_hold_expire_duration_secs,
    );
    checks.finish()?;
    let user = UserCreate {
        username: name.to_owned(),
        group_ids: groups_for(c, group_ids).await?,
        proxy_settings: kept_proxy(kept),
        expire: match exp {
            ExpireInput::At { .. } => Some(expire(*exp)),
            ExpireInput::Never => None,
        },
        data_limit_bytes: *data_limit_bytes,
        data_limit_reset_strategy: Some(strategy(*data_limit_reset_strategy)),
        status: Some(if on_hold {
            UserStatusCreate::OnHold
        } else {
            UserStatusCreate::Active
        }),
        note: (!note.trim().is_empty()).then(|| note.clone()),
        on_hold_expire_duration_secs: on_hold
            .then(|| on_hold_expire_duration_secs.map(to_i64))
            .flatten(),
        hwid_limit: hwid_limit.or(settings.hwid_limit).map(i64::from),
        ..UserCreate::default()
    };
    let created = c.add_user(&user).await.map_err(panel)?;
    if settings.disabled {
        // A new user can only start active or on hold.
        let off = UserModify {
            status: Some(UserStatusModify::Disabled),
            ..UserModify::default()
        };
        modify_keeping_plan(c, &created.username, off).await?;
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

pub(super) async fn create_options(c: &PasarguardClient) -> Result<CreateOptions> {
    let groups = c
        .get_groups()
        .await?
        .groups
        .into_iter()
        .map(|g| PasarguardGroupOption {
            id: g.id.0,
            name: g.name,
            inbound_tags: g.inbound_tags,
            disabled: g.is_disabled,
        })
        .collect();
    Ok(CreateOptions::Pasarguard(PasarguardOptions { groups }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn usernames_follow_the_servers_rule() {
        for ok in ["alice", "tm-001", "a.b@c", "x_y-z"] {
            assert!(super::username_ok(ok), "{ok}");
        }
        // Step 23 of the recording refuses `a b!`; consecutive specials and length.
        for bad in ["a b!", "ab", "a--b", "a.-b", &"x".repeat(129)] {
            assert!(!super::username_ok(bad), "{bad}");
        }
    }
}
