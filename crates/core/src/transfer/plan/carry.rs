//! What of a record the target kind cannot hold: said per row, one code each.

use paneldeck_panels::PanelKind;

use super::NotCarried;
use crate::{kinds, transfer::AccountRecord};

/// What of `r` a `to` panel cannot hold.
pub(super) fn not_carried(r: &AccountRecord, to: PanelKind) -> Vec<NotCarried> {
    let holds = kinds::rules(to).holds();
    let mut out = Vec::new();
    let mut lost = |cond: bool, what: NotCarried| {
        if cond {
            out.push(what);
        }
    };
    lost(!holds.group && r.group.is_some(), NotCarried::Group);
    lost(!holds.ip_limit && r.ip_limit.is_some(), NotCarried::IpLimit);
    lost(
        !holds.expiry && (r.expires_at_ms.is_some() || r.expire_after_first_use_ms.is_some()),
        NotCarried::Expiry,
    );
    lost(
        !holds.traffic_limit && r.limit_bytes.is_some(),
        NotCarried::TrafficLimit,
    );
    lost(
        !holds.reset_days && r.reset_days.is_some(),
        NotCarried::ResetDays,
    );
    lost(
        !holds.reset_strategy && r.reset_strategy.as_deref().is_some_and(|s| s != "no_reset"),
        NotCarried::ResetStrategy,
    );
    lost(
        holds.one_uuid && r.vmess_uuid.is_some(),
        NotCarried::VmessUuid,
    );
    let has_subscription = r.sub_id.is_some() || r.subscription_url.is_some();
    lost(
        r.kind.is_some_and(|k| k != to) && has_subscription,
        NotCarried::Subscription,
    );
    lost(
        holds.own_subscription_token && r.kind == Some(to) && has_subscription,
        NotCarried::SubscriptionToken,
    );
    lost(
        !holds.tg_id_and_device_limit
            && (r.tg_id.is_some_and(|t| t != 0) || r.hwid_limit.is_some_and(|h| h > 0)),
        NotCarried::TelegramAndDevices,
    );
    lost(r.used_bytes.is_some_and(|u| u > 0), NotCarried::UsedTraffic);
    lost(
        !holds.permissions && !r.permissions.is_empty(),
        NotCarried::Permissions,
    );
    out
}
