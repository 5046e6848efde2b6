//! Bulk items of the operations only Marzban has here (a template applied), and absolute
//! expiry and data limits set without reading the user first.

use paneldeck_panels::{
    marzban::{MarzbanClient, TemplateId, UserModify, UserTemplate},
    PanelError,
};

use super::client::MarzbanConn;
use crate::{
    accounts::now_ms,
    bulk::{unsupported_op, Applied, ItemOp, ItemOutcome},
    error::Result,
};

pub(super) async fn item(conn: &MarzbanConn, username: &str, op: &ItemOp) -> Result<Applied> {
    match op {
        ItemOp::SetExpiry { ms, .. } => {
            let change = UserModify {
                expire_utc_secs: Some(ms.map_or(0, |ms| ms.div_euclid(1000))),
                ..UserModify::default()
            };
            conn.modify_user(username, &change).await?;
            Ok(Applied::message(ItemOutcome::ExpirySet))
        }
        ItemOp::SetTrafficLimit { bytes, .. } => {
            let change = UserModify {
                data_limit_bytes: Some(bytes.unwrap_or(0)),
                ..UserModify::default()
            };
            conn.modify_user(username, &change).await?;
            Ok(Applied::message(ItemOutcome::TrafficLimitSet))
        }
        ItemOp::ApplyTemplate { template_id } => {
            let template = template(conn, *template_id).await?;
            let change = UserModify {
                data_limit_bytes: Some(template.data_limit_bytes.unwrap_or(0)),
                expire_utc_secs: Some(
                    template
                        .expire_duration_secs
                        .map_or(0, |d| now_ms() / 1000 + d as i64),
                ),
                ..UserModify::default()
            };
            conn.modify_user(username, &change).await?;
            Ok(Applied::message(ItemOutcome::TemplateApplied {
                template: template.name.unwrap_or_else(|| template_id.to_string()),
            }))
        }
        _ => Err(unsupported_op(op)),
    }
}

/// The template `id`, read once per connection.
async fn template(conn: &MarzbanConn, id: i64) -> Result<UserTemplate> {
    let mut cache = conn.templates.lock().await;
    if let Some(t) = cache.get(&id) {
        return Ok(t.clone());
    }
    let t = conn.get_user_template(TemplateId(id)).await?;
    cache.insert(id, t.clone());
    Ok(t)
}

/// The user's name if the panel already has a user `username`.
pub(super) async fn existing(c: &MarzbanClient, username: &str) -> Result<Option<String>> {
    match c.get_user(username).await {
        Ok(u) => Ok(Some(u.username)),
        Err(PanelError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
