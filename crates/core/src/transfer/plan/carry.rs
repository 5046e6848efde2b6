//! What of a record the target kind cannot hold: said per row, one sentence each.

use paneldeck_panels::PanelKind;

use crate::{kinds, transfer::AccountRecord};

/// What of `r` a `to` panel cannot hold.
pub(super) fn not_carried(r: &AccountRecord, to: PanelKind) -> Vec<&'static str> {
    let holds = kinds::rules(to).holds();
    let mut out = Vec::new();
    let mut lost = |cond: bool, what: &'static str| {
        if cond {
            out.push(what);
        }
    };
    lost(
        !holds.group && r.group.is_some(),
        "group: this panel kind has no groups",
    );
    lost(
        !holds.ip_limit && r.ip_limit.is_some(),
        "IP limit: this panel kind has none",
    );
    lost(
        !holds.expiry && (r.expires_at_ms.is_some() || r.expire_after_first_use_ms.is_some()),
        "expiry: this panel kind has none",
    );
    lost(
        !holds.traffic_limit && r.limit_bytes.is_some(),
        "traffic limit: this panel kind has none",
    );
    lost(
        !holds.reset_days && r.reset_days.is_some(),
        "auto-renew period (reset days): 3x-ui only",
    );
    lost(
        !holds.reset_strategy && r.reset_strategy.as_deref().is_some_and(|s| s != "no_reset"),
        "data limit reset strategy: Marzban only",
    );
    lost(
        holds.one_uuid && r.vmess_uuid.is_some(),
        "the separate VMess UUID: a 3x-ui client has one UUID (the VLESS one is kept)",
    );
    let has_subscription = r.sub_id.is_some() || r.subscription_url.is_some();
    lost(
        r.kind.is_some_and(|k| k != to) && has_subscription,
        "subscription URL: the new panel gives its own",
    );
    lost(
        holds.own_subscription_token && r.kind == Some(to) && has_subscription,
        "subscription URL: Marzban issues its own subscription token",
    );
    lost(
        !holds.tg_id_and_device_limit
            && (r.tg_id.is_some_and(|t| t != 0) || r.hwid_limit.is_some_and(|h| h > 0)),
        "Telegram id and device limit: 3x-ui only",
    );
    lost(
        r.used_bytes.is_some_and(|u| u > 0),
        "used traffic: counters start at zero on the new panel",
    );
    lost(
        !holds.permissions && !r.permissions.is_empty(),
        "permissions: Pterodactyl only",
    );
    out
}
