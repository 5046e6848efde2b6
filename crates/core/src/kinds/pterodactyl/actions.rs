//! Pterodactyl: native id = `"<server identifier>/<subuser uuid>"` (see [`super::ids`]). A
//! subuser has permissions and nothing else to toggle: no enable/disable, no traffic.

use paneldeck_panels::{
    pterodactyl::{PermissionSet, PterodactylClient, ServerIdentifier},
    FieldProblem, PanelError, PanelKind,
};

use super::ids::{parse_pterodactyl_native_id, pterodactyl_native_id};
use crate::{
    actions::{rename_fields, types::*, unsupported_action, Checks},
    error::{panel_code, CoreError, Result},
};

fn panel(err: PanelError) -> CoreError {
    rename_fields(err, &[("permissions", "permissions"), ("email", "email")])
}

/// The form's keys as a set; a key the panel does not know is a field error.
fn permission_set(checks: &mut Checks, keys: &[String]) -> PermissionSet {
    let (set, unknown) = PermissionSet::from_keys(keys);
    if !unknown.is_empty() {
        checks.fail(
            "permissions",
            FieldProblem::UnknownPermissions {
                names: unknown.clone(),
            },
            format!("Unknown permission(s): {}.", unknown.join(", ")),
        );
    }
    set
}

pub(super) async fn apply(
    c: &PterodactylClient,
    native_id: &str,
    action: &AccountAction,
) -> Result<ActionOutcome> {
    let (server, user) = parse_pterodactyl_native_id(native_id)?;
    match action {
        AccountAction::SetPermissions { permissions } => {
            let mut checks = Checks::new();
            let set = permission_set(&mut checks, permissions);
            checks.finish()?;
            let saved = c
                .update_subuser(&server, &user, &set)
                .await
                .map_err(panel)?;
            Ok(ActionOutcome::new(
                native_id,
                ActionMessage::PermissionsSaved {
                    count: u32::try_from(saved.permissions.len()).unwrap_or(u32::MAX),
                },
            ))
        }
        AccountAction::Delete { .. } => {
            c.delete_subuser(&server, &user).await?;
            Ok(ActionOutcome::new(native_id, ActionMessage::SubuserRemoved))
        }
        AccountAction::Enable | AccountAction::Disable => Err(unsupported_action(
            PanelKind::Pterodactyl,
            action,
            "subusers have no enabled state (remove permissions or the subuser instead)",
        )),
        AccountAction::ResetTraffic
        | AccountAction::ClearIps
        | AccountAction::RevokeSubscription
        | AccountAction::RegeneratePassword => Err(unsupported_action(
            PanelKind::Pterodactyl,
            action,
            "subusers only have permissions",
        )),
    }
}

pub(super) async fn edit(
    c: &PterodactylClient,
    native_id: &str,
    edit: &AccountEdit,
) -> Result<ActionOutcome> {
    let AccountEdit::Pterodactyl { permissions } = edit else {
        return Err(CoreError::Internal(
            "Pterodactyl edit called with another kind's form".into(),
        ));
    };
    let outcome = apply(
        c,
        native_id,
        &AccountAction::SetPermissions {
            permissions: permissions.clone(),
        },
    )
    .await?;
    Ok(ActionOutcome {
        message: Some(ActionMessage::SubuserSaved),
        ..outcome
    })
}

pub(super) async fn create(c: &PterodactylClient, new: &NewAccount) -> Result<Vec<ActionOutcome>> {
    let NewAccount::Pterodactyl {
        email,
        server_ids,
        permissions,
    } = new
    else {
        return Err(CoreError::Internal(
            "Pterodactyl create called with another kind's form".into(),
        ));
    };
    let email = email.trim();
    let mut checks = Checks::new();
    checks.require(
        !email.is_empty(),
        "email",
        FieldProblem::Required,
        "Enter the person's email.",
    );
    checks.require(
        !server_ids.is_empty(),
        "serverIds",
        FieldProblem::PickAtLeastOne,
        "Pick at least one server.",
    );
    let set = permission_set(&mut checks, permissions);
    checks.finish()?;

    let known = c.list_servers().await?;
    let mut servers: Vec<ServerIdentifier> = Vec::new();
    let mut checks = Checks::new();
    for id in server_ids {
        match known
            .iter()
            .find(|s| s.identifier.0 == *id || s.uuid == *id)
        {
            Some(s) if !servers.contains(&s.identifier) => servers.push(s.identifier.clone()),
            Some(_) => {}
            None => checks.fail(
                "serverIds",
                FieldProblem::UnknownServer { id: id.clone() },
                format!("There is no server {id} on this panel."),
            ),
        }
    }
    checks.finish()?;

    // One subuser per server. A failure after a success does not undo what was made: the
    // outcomes list the subusers created, and their message names the servers that refused.
    // A validation error (bad email) would repeat on every server, so it ends the loop.
    let mut made: Vec<ActionOutcome> = Vec::new();
    let mut failed: Vec<ServerRefusal> = Vec::new();
    let mut first_err: Option<PanelError> = None;
    for server in &servers {
        match c.create_subuser(server, email, &set).await {
            Ok(sub) => made.push(ActionOutcome::new(
                pterodactyl_native_id(server, &sub.uuid),
                ActionMessage::SubuserAdded {
                    email: sub.email,
                    server: server.to_string(),
                    not_added: Vec::new(),
                },
            )),
            Err(err @ PanelError::Validation { .. }) if made.is_empty() => return Err(panel(err)),
            Err(err) => {
                failed.push(ServerRefusal {
                    server: server.to_string(),
                    code: panel_code(&err),
                    message: err.to_string(),
                });
                first_err.get_or_insert(err);
            }
        }
    }
    if made.is_empty() {
        if let Some(err) = first_err {
            return Err(panel(err));
        }
    }
    if !failed.is_empty() {
        for outcome in &mut made {
            if let Some(ActionMessage::SubuserAdded { not_added, .. }) = &mut outcome.message {
                not_added.clone_from(&failed);
            }
        }
    }
    Ok(made)
}

pub(super) async fn create_options(c: &PterodactylClient) -> Result<CreateOptions> {
    let servers = c
        .list_servers()
        .await?
        .into_iter()
        .map(|s| ServerOption {
            identifier: s.identifier.0,
            name: s.name,
            owned: s.owned,
        })
        .collect();
    let permission_groups = c
        .list_permissions()
        .await?
        .groups
        .into_iter()
        .map(|g| PermissionGroupOption {
            name: g.name,
            description: g.description,
            permissions: g
                .keys
                .into_iter()
                .map(|k| PermissionOption {
                    key: k.key,
                    description: k.description,
                })
                .collect(),
        })
        .collect();
    Ok(CreateOptions::Pterodactyl {
        servers,
        permission_groups,
    })
}
