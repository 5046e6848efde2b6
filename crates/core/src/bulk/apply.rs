//! One item on its panel (the path for kinds without bulk routes, and for items a kind's bulk
//! routes cannot take), and the check that makes a repeated create safe: is the name already
//! there? What only some kinds can do is theirs ([`Connected::bulk_item`]).
//!
//! [`Connected::bulk_item`]: crate::kinds::Connected::bulk_item

use paneldeck_panels::PanelError;

use super::{types::ItemOp, ItemOutcome};
use crate::{
    accounts::convert::Converted,
    actions::{self, AccountAction, KeptCredentials, NewAccount},
    connect::PanelClient,
    error::{CoreError, Result},
    registry::PanelView,
};

/// What an item did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    pub message: Option<ItemOutcome>,
    pub result_id: Option<String>,
    /// The accounts a create made, as the panel's answer holds them (where it holds the whole
    /// record): written into the snapshot after the run instead of being read back.
    pub answered: Vec<Converted>,
}

impl Applied {
    pub(crate) fn message(message: ItemOutcome) -> Self {
        Applied {
            message: Some(message),
            ..Applied::default()
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

/// Runs one item of `panel`; `kept`: the UUIDs/passwords a create keeps (from the journal).
pub(crate) async fn apply(
    client: &PanelClient,
    panel: &PanelView,
    native_id: &str,
    op: &ItemOp,
    kept: Option<&KeptCredentials>,
) -> Result<Applied> {
    let action = |a: AccountAction| async move {
        let out = actions::apply(client, native_id, &a).await?;
        Ok::<_, CoreError>(Applied {
            message: out.message.map(ItemOutcome::from),
            ..Applied::default()
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
                ..Applied::default()
            })
        }
        ItemOp::Create {
            new,
            kept: settings,
        } => {
            let none = KeptCredentials::default();
            let kept = kept.unwrap_or(&none);
            let outs = actions::create_answered(client, panel, new, kept, settings).await?;
            let ids: Vec<String> = outs.iter().map(|(o, _)| o.native_id.clone()).collect();
            Ok(Applied {
                message: outs
                    .first()
                    .and_then(|(o, _)| o.message.clone().map(ItemOutcome::from)),
                result_id: Some(ids.join(",")),
                answered: outs
                    .into_iter()
                    .filter_map(|(_, account)| account)
                    .collect(),
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
