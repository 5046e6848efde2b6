//! One item on its panel (the path for kinds without bulk routes, and for items a kind's bulk
//! routes cannot take), and the check that makes a repeated create safe: is the name already
//! there? What only some kinds can do is theirs ([`Connected::bulk_item`]).
//!
//! [`Connected::bulk_item`]: crate::kinds::Connected::bulk_item

use paneldeck_panels::PanelError;

use super::{types::ItemOp, ItemOutcome};
use crate::{
    actions::{self, AccountAction, KeptCredentials, NewAccount},
    connect::PanelClient,
    error::{CoreError, Result},
};

/// What an item did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    pub message: Option<ItemOutcome>,
    pub result_id: Option<String>,
}

impl Applied {
    pub(crate) fn message(message: ItemOutcome) -> Self {
        Applied {
            message: Some(message),
            result_id: None,
        }
    }
}

/// The item's operation is not one this panel's kind can do.
pub(crate) fn unsupported_op(op: &ItemOp) -> CoreError {
    CoreError::Panel(PanelError::Unsupported(format!(
        "this panel cannot {}",
        op.label()
    )))
}

/// 3x-ui answers an unknown email with `success:false` "client not found".
pub(crate) fn is_not_found(err: &CoreError) -> bool {
    match err {
        CoreError::NotFound(_) | CoreError::Panel(PanelError::NotFound { .. }) => true,
        CoreError::Panel(PanelError::Api { message, .. }) => {
            message.to_ascii_lowercase().contains("not found")
        }
        _ => false,
    }
}

/// Runs one item; `kept`: the UUIDs/passwords a create keeps (from the journal).
pub(crate) async fn apply(
    client: &PanelClient,
    native_id: &str,
    op: &ItemOp,
    kept: Option<&KeptCredentials>,
) -> Result<Applied> {
    let action = |a: AccountAction| async move {
        let out = actions::apply(client, native_id, &a).await?;
        Ok::<_, CoreError>(Applied {
            message: out.message.map(ItemOutcome::from),
            result_id: None,
        })
    };
    match op {
        ItemOp::Enable => action(AccountAction::Enable).await,
        ItemOp::Disable => action(AccountAction::Disable).await,
        ItemOp::Delete { keep_traffic } => {
            action(AccountAction::Delete {
                keep_traffic: *keep_traffic,
            })
            .await
        }
        ItemOp::ResetTraffic => action(AccountAction::ResetTraffic).await,
        ItemOp::RevokeSubscription => action(AccountAction::RevokeSubscription).await,
        ItemOp::ClearIps => action(AccountAction::ClearIps).await,
        ItemOp::RegeneratePassword => action(AccountAction::RegeneratePassword).await,
        ItemOp::SetPermissions { permissions } => {
            action(AccountAction::SetPermissions {
                permissions: permissions.clone(),
            })
            .await
        }
        ItemOp::Edit { edit, .. } => {
            let out = actions::edit(client, native_id, edit).await?;
            Ok(Applied {
                message: out.message.map(ItemOutcome::from),
                result_id: (out.native_id != native_id).then_some(out.native_id),
            })
        }
        ItemOp::Create {
            new,
            kept: settings,
        } => {
            let none = KeptCredentials::default();
            let outs =
                actions::create_keeping(client, new, kept.unwrap_or(&none), settings).await?;
            let ids: Vec<String> = outs.iter().map(|o| o.native_id.clone()).collect();
            Ok(Applied {
                message: outs
                    .first()
                    .and_then(|o| o.message.clone().map(ItemOutcome::from)),
                result_id: Some(ids.join(",")),
            })
        }
        ItemOp::SetExpiry { .. }
        | ItemOp::SetTrafficLimit { .. }
        | ItemOp::SetTraffic { .. }
        | ItemOp::AttachInbounds { .. }
        | ItemOp::DetachInbounds { .. }
        | ItemOp::SetGroup { .. }
        | ItemOp::ApplyTemplate { .. } => client.ops().bulk_item(native_id, op).await,
    }
}

/// Disables an account an earlier attempt created (its create may have stopped before the
/// disable that follows it). Harmless when it already is disabled.
pub(crate) async fn disable_created(client: &PanelClient, native_id: &str) -> Result<()> {
    if client.ops().disabled_by_a_second_call() {
        actions::apply(client, native_id, &AccountAction::Disable).await?;
    }
    Ok(())
}

/// For a create whose earlier attempt may have reached the panel: the account's id if the
/// panel already has the name (then the create is not sent again).
pub(crate) async fn existing(client: &PanelClient, new: &NewAccount) -> Result<Option<String>> {
    let name = new.name().trim();
    client.ops().existing(name, new).await
}
