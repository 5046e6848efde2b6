//! One item on its panel (the path for kinds without bulk routes, and for items 3x-ui's bulk
//! routes cannot take), and the check that makes a repeated create safe: is the name already
//! there?

use std::collections::HashMap;

use paneldeck_panels::{
    marzban::{TemplateId, UserModify, UserTemplate},
    pterodactyl::ServerIdentifier,
    xui::InboundId,
    PanelError,
};
use tokio::sync::Mutex;

use super::{types::ItemOp, wire::new_account_name};
use crate::{
    accounts::now_ms,
    actions::{
        self, pterodactyl_native_id, AccountAction, AccountEdit, ExpiryInput, KeptCredentials,
        NewAccount,
    },
    connect::PanelClient,
    error::{CoreError, Result},
};

/// One panel's connection for a run, with what items share (Marzban templates).
pub(crate) struct PanelConn {
    pub client: PanelClient,
    templates: Mutex<HashMap<i64, UserTemplate>>,
}

impl PanelConn {
    pub fn new(client: PanelClient) -> Self {
        PanelConn {
            client,
            templates: Mutex::new(HashMap::new()),
        }
    }
}

/// What an item did.
#[derive(Debug, Clone, Default)]
pub(crate) struct Applied {
    pub message: Option<String>,
    pub result_id: Option<String>,
}

fn applied(message: impl Into<String>) -> Applied {
    Applied {
        message: Some(message.into()),
        result_id: None,
    }
}

fn unsupported(op: &ItemOp) -> CoreError {
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
    conn: &PanelConn,
    native_id: &str,
    op: &ItemOp,
    kept: Option<&KeptCredentials>,
) -> Result<Applied> {
    let client = &conn.client;
    let action = |a: AccountAction| async move {
        let out = actions::apply(client, native_id, &a).await?;
        Ok::<_, CoreError>(Applied {
            message: out.message,
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
        ItemOp::Edit { edit } => {
            let out = actions::edit(client, native_id, edit).await?;
            Ok(Applied {
                message: out.message,
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
                message: outs.first().and_then(|o| o.message.clone()),
                result_id: Some(ids.join(",")),
            })
        }
        ItemOp::SetExpiry { ms, .. } => match client {
            PanelClient::Xui(c) => {
                xui_edit(client, c, native_id, |e| {
                    if let AccountEdit::Xui { expiry, .. } = e {
                        *expiry = ms.map_or(ExpiryInput::Never, |ms| ExpiryInput::At { ms });
                    }
                })
                .await
            }
            PanelClient::Marzban(c) => {
                let change = UserModify {
                    expire_utc_secs: Some(ms.map_or(0, |ms| ms.div_euclid(1000))),
                    ..UserModify::default()
                };
                c.modify_user(native_id, &change).await?;
                Ok(applied("Expiry set."))
            }
            _ => Err(unsupported(op)),
        },
        ItemOp::SetTrafficLimit { bytes, .. } => match client {
            PanelClient::Xui(c) => {
                xui_edit(client, c, native_id, |e| {
                    if let AccountEdit::Xui { total_bytes, .. } = e {
                        *total_bytes = *bytes;
                    }
                })
                .await
            }
            PanelClient::Marzban(c) => {
                let change = UserModify {
                    data_limit_bytes: Some(bytes.unwrap_or(0)),
                    ..UserModify::default()
                };
                c.modify_user(native_id, &change).await?;
                Ok(applied("Traffic limit set."))
            }
            _ => Err(unsupported(op)),
        },
        ItemOp::AttachInbounds { inbound_ids } | ItemOp::DetachInbounds { inbound_ids } => {
            let PanelClient::Xui(c) = client else {
                return Err(unsupported(op));
            };
            let ids: Vec<InboundId> = inbound_ids.iter().copied().map(InboundId).collect();
            if matches!(op, ItemOp::AttachInbounds { .. }) {
                c.attach(native_id, &ids).await?;
                Ok(applied("Inbounds attached."))
            } else {
                c.detach(native_id, &ids).await?;
                Ok(applied("Inbounds detached."))
            }
        }
        ItemOp::SetGroup { group } => {
            let PanelClient::Xui(c) = client else {
                return Err(unsupported(op));
            };
            let emails = [native_id.to_owned()];
            match group {
                Some(g) => {
                    c.groups_bulk_add(&emails, g).await?;
                    Ok(applied(format!("Added to group {g}.")))
                }
                None => {
                    c.groups_bulk_remove(&emails).await?;
                    Ok(applied("Removed from its group."))
                }
            }
        }
        ItemOp::ApplyTemplate { template_id } => {
            let PanelClient::Marzban(c) = client else {
                return Err(unsupported(op));
            };
            let template = {
                let mut cache = conn.templates.lock().await;
                match cache.get(template_id) {
                    Some(t) => t.clone(),
                    None => {
                        let t = c.get_user_template(TemplateId(*template_id)).await?;
                        cache.insert(*template_id, t.clone());
                        t
                    }
                }
            };
            let change = UserModify {
                data_limit_bytes: Some(template.data_limit_bytes.unwrap_or(0)),
                expire_utc_secs: Some(
                    template
                        .expire_duration_secs
                        .map_or(0, |d| now_ms() / 1000 + d as i64),
                ),
                ..UserModify::default()
            };
            c.modify_user(native_id, &change).await?;
            Ok(applied(format!(
                "Template {} applied (data limit and expiry).",
                template.name.unwrap_or_else(|| template_id.to_string())
            )))
        }
    }
}

/// A 3x-ui edit from the client as the panel has it now, changed by `f`.
async fn xui_edit(
    client: &PanelClient,
    c: &paneldeck_panels::xui::XuiClient,
    email: &str,
    f: impl FnOnce(&mut AccountEdit),
) -> Result<Applied> {
    let r = c.get(email).await?;
    let mut edit = AccountEdit::Xui {
        email: r.email.clone(),
        total_bytes: u64::try_from(r.total_bytes).ok().filter(|b| *b > 0),
        expiry: match r.expiry_time_ms {
            0 => ExpiryInput::Never,
            ms if ms > 0 => ExpiryInput::At { ms },
            ms => ExpiryInput::AfterFirstUse {
                days: u32::try_from((-ms) / crate::accounts::model::DAY_MS)
                    .unwrap_or(1)
                    .max(1),
            },
        },
        limit_ip: u32::try_from(r.limit_ip).unwrap_or(0),
        comment: r.comment.clone(),
        group: None,
        sub_id: None,
        reset_days: u32::try_from(r.reset_days).unwrap_or(0),
        enable: r.enable,
        inbound_ids: None,
    };
    f(&mut edit);
    let out = actions::edit(client, email, &edit).await?;
    Ok(Applied {
        message: out.message,
        result_id: None,
    })
}

/// Disables an account an earlier attempt created (its create may have stopped before the
/// disable that follows it). Harmless when it already is disabled.
pub(crate) async fn disable_created(conn: &PanelConn, native_id: &str) -> Result<()> {
    // Only 3x-ui and Marzban creates are disabled afterwards (a user-pass form has a status).
    if matches!(conn.client, PanelClient::Xui(_) | PanelClient::Marzban(_)) {
        actions::apply(&conn.client, native_id, &AccountAction::Disable).await?;
    }
    Ok(())
}

/// For a create whose earlier attempt may have reached the panel: the account's id if the
/// panel already has the name (then the create is not sent again).
pub(crate) async fn existing(conn: &PanelConn, new: &NewAccount) -> Result<Option<String>> {
    let name = new_account_name(new).trim();
    match (&conn.client, new) {
        (PanelClient::Xui(c), _) => match c.get(name).await {
            Ok(r) => Ok(Some(r.email)),
            Err(e) => {
                let e = CoreError::Panel(e);
                if is_not_found(&e) {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        },
        (PanelClient::Marzban(c), _) => match c.get_user(name).await {
            Ok(u) => Ok(Some(u.username)),
            Err(PanelError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        },
        (PanelClient::Userpass(c), _) => {
            Ok(c.find_by_name(name).await?.map(|s| s.id.0.to_string()))
        }
        (PanelClient::Pterodactyl(c), NewAccount::Pterodactyl { server_ids, .. }) => {
            let mut found = Vec::new();
            for server in server_ids {
                let server = ServerIdentifier(server.clone());
                let subs = c.list_subusers(&server).await?;
                if let Some(s) = subs.iter().find(|s| s.email.eq_ignore_ascii_case(name)) {
                    found.push(pterodactyl_native_id(&server.0, &s.uuid.0));
                }
            }
            Ok((found.len() == server_ids.len() && !found.is_empty()).then(|| found.join(",")))
        }
        (PanelClient::Pterodactyl(_), _) => Ok(None),
    }
}
