//! Each kind's wire record → the unified account, units included: 3x-ui `totalGB` is bytes and
//! `expiryTime` ms (negative = after first use); Marzban `expire` seconds and null limits;
//! user-pass -1 caps; Pterodactyl permissions per (server, user).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::{
    accounts::{
        model::{Capabilities, DAY_MS},
        AccountStatus,
    },
    kinds::{self, xui::convert::XuiContext},
    registry::PanelId,
};
use paneldeck_panels::{
    marzban::User,
    pterodactyl::{Server, ServerIdentifier, Subuser, SubuserAttributes},
    userpass::{SubUser, WireSubUser},
    xui::{legacy::legacy_clients_of, ClientRecord, Inbound, InboundId, Protocol},
    PanelKind,
};
use serde_json::json;

const NOW: i64 = 1_795_420_565_000; // 2026-11-23T07:56:05Z
const GIB: u64 = 1 << 30;

fn panel() -> PanelId {
    PanelId("p1".into())
}

fn xui_record(extra: serde_json::Value) -> ClientRecord {
    let mut base = json!({
        "id": 7, "email": "alice@example.com", "subId": "sub123", "uuid": "0b1c2d3e-aaaa-bbbb-cccc-000000000001",
        "comment": "vip", "group": "family", "totalGB": 10_737_418_240u64, "expiryTime": NOW + 3 * DAY_MS,
        "enable": true, "limitIp": 2, "inboundIds": [1, 2], "traffic": {"up": 1000, "down": 2000, "enable": true},
        "createdAt": NOW - 10 * DAY_MS, "updatedAt": NOW - DAY_MS
    });
    base.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    serde_json::from_value(base).unwrap()
}

fn xui_ctx() -> XuiContext {
    let mut ctx = XuiContext {
        online_known: true,
        ..XuiContext::default()
    };
    ctx.online.insert("alice@example.com".into());
    ctx.last_online_ms
        .insert("alice@example.com".into(), NOW - 5000);
    ctx.inbound_protocols.insert(InboundId(1), Protocol::Vless);
    ctx.inbound_protocols.insert(InboundId(2), Protocol::Trojan);
    ctx
}

#[test]
fn xui_client_units_and_fields() {
    let c = kinds::xui::convert::from_record(&panel(), &xui_record(json!({})), &xui_ctx(), NOW);
    let a = &c.account;
    assert_eq!(a.key.native_id, "alice@example.com");
    assert_eq!(a.kind, PanelKind::Xui);
    assert_eq!(a.limit_bytes, Some(10 * GIB), "totalGB is bytes");
    assert_eq!(
        (a.up_bytes, a.down_bytes, a.used_bytes),
        (Some(1000), Some(2000), 3000)
    );
    assert_eq!(a.expires_at_ms, Some(NOW + 3 * DAY_MS), "expiryTime is ms");
    assert_eq!(a.expire_after_first_use_ms, None);
    assert_eq!(a.ip_limit, Some(2));
    assert_eq!(a.group.as_deref(), Some("family"));
    assert_eq!(a.note.as_deref(), Some("vip"));
    assert_eq!(a.protocols, vec!["trojan", "vless"]);
    assert_eq!(a.inbounds, vec!["1", "2"]);
    assert_eq!((a.online, a.last_online_ms), (Some(true), Some(NOW - 5000)));
    assert_eq!(a.status, AccountStatus::Active);
    assert!(a.expires_within(NOW, 7) && !a.expires_within(NOW, 2));
    assert_eq!(c.raw()["totalGB"], 10_737_418_240u64);
    assert_eq!(c.raw()["email"], "alice@example.com");
}

#[test]
fn xui_zero_means_unlimited_and_never_and_negative_expiry_waits_for_first_use() {
    let r = xui_record(
        json!({"totalGB": 0, "expiryTime": -7 * DAY_MS, "limitIp": 0, "group": "", "comment": ""}),
    );
    let a = kinds::xui::convert::from_record(&panel(), &r, &xui_ctx(), NOW).account;
    assert_eq!(a.limit_bytes, None);
    assert_eq!(a.expires_at_ms, None);
    assert_eq!(a.expire_after_first_use_ms, Some(7 * DAY_MS));
    assert_eq!(a.ip_limit, None);
    assert_eq!((a.group.clone(), a.note.clone()), (None, None));
    assert_eq!(a.status, AccountStatus::OnHold);
    let never = xui_record(json!({"expiryTime": 0}));
    assert_eq!(
        kinds::xui::convert::from_record(&panel(), &never, &xui_ctx(), NOW)
            .account
            .expires_at_ms,
        None
    );
}

#[test]
fn xui_statuses_derive_from_quota_time_and_switch() {
    let status = |extra: serde_json::Value| {
        kinds::xui::convert::from_record(&panel(), &xui_record(extra), &xui_ctx(), NOW)
            .account
            .status
    };
    assert_eq!(
        status(json!({"expiryTime": NOW - 1})),
        AccountStatus::Expired
    );
    assert_eq!(status(json!({"totalGB": 3000})), AccountStatus::Depleted);
    // 3x-ui disables depleted clients itself: depleted still wins over disabled.
    assert_eq!(
        status(json!({"totalGB": 3000, "enable": false})),
        AccountStatus::Depleted
    );
    assert_eq!(status(json!({"enable": false})), AccountStatus::Disabled);
    // Status is relative to the moment: the same record later is expired.
    let a =
        kinds::xui::convert::from_record(&panel(), &xui_record(json!({})), &xui_ctx(), NOW).account;
    assert_eq!(a.status_at(NOW + 4 * DAY_MS), AccountStatus::Expired);
}

#[test]
fn xui_legacy_clients_merge_by_email_across_inbounds() {
    let inbound = |id: i64, protocol: &str| -> Inbound {
        serde_json::from_value(json!({
            "id": id, "protocol": protocol, "port": 443, "enable": true,
            "settings": json!({"clients": [{"id": "u-1", "email": "bob", "totalGB": 5 * GIB, "expiryTime": 0,
                                            "enable": true, "tgId": "", "subId": "s-bob", "comment": "old"}]}).to_string(),
            "clientStats": [{"email": "bob", "up": 10, "down": 20, "total": 5 * GIB, "enable": true, "lastOnline": NOW - 60_000}]
        }))
        .unwrap()
    };
    let mut entries = legacy_clients_of(&inbound(1, "vless")).unwrap();
    entries.extend(legacy_clients_of(&inbound(2, "vmess")).unwrap());
    let groups = kinds::xui::convert::group_legacy(entries);
    assert_eq!(groups.len(), 1);
    let c = kinds::xui::convert::from_legacy(&panel(), &groups[0], &XuiContext::default(), NOW)
        .unwrap();
    let a = c.account.clone();
    assert_eq!(a.inbounds, vec!["1", "2"]);
    assert_eq!(a.protocols, vec!["vless", "vmess"]);
    assert_eq!((a.used_bytes, a.limit_bytes), (30, Some(5 * GIB)));
    assert_eq!(a.uuid.as_deref(), Some("u-1"));
    assert_eq!(a.last_online_ms, Some(NOW - 60_000));
    assert_eq!(a.online, None, "no online list: unknown");
    assert_eq!(c.raw()["generation"], "legacy");
    // The legacy API has no links route.
    let caps = Capabilities::for_panel(PanelKind::Xui, Some("legacy inbounds API (before 3.1)"));
    assert!(!caps.has_links && caps.can_toggle);
    assert!(Capabilities::for_panel(PanelKind::Xui, Some("clients API (v3.1+)")).has_links);
}

fn marzban_user(extra: serde_json::Value) -> User {
    let mut base = json!({
        "username": "carol", "proxies": {"vless": {"id": "9f0e-uuid"}, "trojan": {"password": "pw"}},
        "expire": 1_795_507_200i64, "data_limit": null, "data_limit_reset_strategy": "no_reset",
        "inbounds": {"vless": ["VLESS TCP"], "trojan": ["Trojan WS"]}, "note": "team",
        "online_at": "2026-11-23T07:55:05", "status": "active", "used_traffic": 123_456,
        "lifetime_used_traffic": 999_999, "created_at": "2026-01-02T03:04:05.678",
        "links": [], "subscription_url": "/sub/TOKEN123", "excluded_inbounds": {}
    });
    base.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    serde_json::from_value(base).unwrap()
}

#[test]
fn marzban_seconds_become_ms_and_null_limit_is_unlimited() {
    let c = kinds::marzban::convert::from_user(
        &panel(),
        "https://m.example:8000/",
        &marzban_user(json!({})),
        NOW,
    );
    let a = &c.account;
    assert_eq!(
        a.expires_at_ms,
        Some(1_795_507_200_000),
        "expire is seconds"
    );
    assert_eq!(a.limit_bytes, None);
    assert_eq!(a.used_bytes, 123_456);
    assert_eq!((a.up_bytes, a.down_bytes), (None, None));
    assert_eq!(a.protocols, vec!["vless", "trojan"]);
    assert_eq!(a.inbounds, vec!["Trojan WS", "VLESS TCP"]);
    assert_eq!(a.uuid.as_deref(), Some("9f0e-uuid"));
    assert_eq!(a.sub_id.as_deref(), Some("TOKEN123"));
    assert_eq!(
        a.subscription_url.as_deref(),
        Some("https://m.example:8000/sub/TOKEN123")
    );
    assert_eq!(a.last_online_ms, Some(NOW - 60_000));
    assert_eq!(a.online, Some(true), "seen a minute ago");
    assert_eq!(a.created_at_ms, Some(1_767_323_045_678));
    assert_eq!(a.status, AccountStatus::Active);
    assert_eq!(c.raw()["username"], "carol");
}

#[test]
fn marzban_statuses_and_on_hold_duration() {
    let conv = |extra| {
        kinds::marzban::convert::from_user(&panel(), "http://x/", &marzban_user(extra), NOW).account
    };
    let held =
        conv(json!({"status": "on_hold", "expire": null, "on_hold_expire_duration": 2_592_000}));
    assert_eq!(held.status, AccountStatus::OnHold);
    assert_eq!(held.expire_after_first_use_ms, Some(2_592_000_000));
    assert_eq!(
        conv(json!({"status": "limited", "data_limit": 100})).status,
        AccountStatus::Depleted
    );
    assert_eq!(
        conv(json!({"status": "expired", "expire": 1})).status,
        AccountStatus::Expired
    );
    let off = conv(json!({"status": "disabled", "online_at": null}));
    assert_eq!(off.status, AccountStatus::Disabled);
    assert!(!off.enabled);
    assert_eq!(off.online, Some(false));
    assert_eq!(
        conv(json!({"data_limit": 0})).limit_bytes,
        None,
        "0 is unlimited too"
    );
    assert_eq!(
        conv(json!({"data_limit": 1_073_741_824u64})).limit_bytes,
        Some(GIB)
    );
}

fn sub_user(extra: serde_json::Value) -> SubUser {
    let mut base = json!({"id": 42, "user_name": "dave", "use_key": "k3y", "status": 1, "note": "shop",
                          "usage_cap": -1, "ip_usage_cap": -1, "data_used": 5000, "ip_used": 3,
                          "created_at": "2026-03-01T00:00:00Z", "updated_at": "2026-03-02 00:00:00"});
    base.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    SubUser::from(serde_json::from_value::<WireSubUser>(base).unwrap())
}

#[test]
fn userpass_minus_one_caps_are_unlimited_and_blocked_is_limited() {
    let c = kinds::userpass::convert::from_sub_user(&panel(), &sub_user(json!({})), NOW);
    let a = &c.account;
    assert_eq!(a.key.native_id, "42");
    assert_eq!((a.limit_bytes, a.ip_limit), (None, None));
    assert_eq!((a.used_bytes, a.ips_used), (5000, Some(3)));
    assert_eq!(a.created_at_ms, Some(1_772_323_200_000));
    assert_eq!(a.updated_at_ms, Some(1_772_409_600_000));
    assert_eq!(a.status, AccountStatus::Active);
    assert_eq!(c.raw()["usage_cap"], -1);
    assert_eq!(c.raw()["status"], 1);
    let capped = kinds::userpass::convert::from_sub_user(
        &panel(),
        &sub_user(json!({"usage_cap": 4000, "ip_usage_cap": 2})),
        NOW,
    )
    .account;
    assert_eq!((capped.limit_bytes, capped.ip_limit), (Some(4000), Some(2)));
    assert_eq!(capped.status, AccountStatus::Depleted);
    let blocked =
        kinds::userpass::convert::from_sub_user(&panel(), &sub_user(json!({"status": 3})), NOW)
            .account;
    assert_eq!(blocked.status, AccountStatus::Limited);
    let off =
        kinds::userpass::convert::from_sub_user(&panel(), &sub_user(json!({"status": 2})), NOW)
            .account;
    assert_eq!(off.status, AccountStatus::Disabled);
    assert!(Capabilities::for_kind(PanelKind::Userpass).can_regenerate_password);
}

#[test]
fn pterodactyl_subusers_keep_permissions_and_their_server() {
    let server = Server {
        identifier: ServerIdentifier("1a2b3c4d".into()),
        uuid: "srv-uuid".into(),
        name: "Minecraft".into(),
        node: None,
        description: None,
        owned: true,
        suspended: false,
    };
    let attrs: SubuserAttributes = serde_json::from_value(json!({
        "uuid": "user-uuid", "username": "erin", "email": "erin@example.com", "2fa_enabled": false,
        "created_at": "2026-05-05T10:00:00+00:00",
        "permissions": ["control.console", "file.read", "websocket.connect", "future.thing"]
    }))
    .unwrap();
    let c =
        kinds::pterodactyl::convert::from_subuser(&panel(), &server, &Subuser::from(attrs), NOW);
    let a = &c.account;
    assert_eq!(a.key.native_id, "1a2b3c4d/user-uuid");
    let (srv, user) =
        kinds::pterodactyl::ids::parse_pterodactyl_native_id(&a.key.native_id).unwrap();
    assert_eq!((srv.0.as_str(), user.0.as_str()), ("1a2b3c4d", "user-uuid"));
    assert_eq!(a.email.as_deref(), Some("erin@example.com"));
    assert!(a.permissions.contains(&"control.console".to_owned()));
    assert!(
        a.permissions.contains(&"future.thing".to_owned()),
        "unknown keys are kept"
    );
    assert_eq!(a.servers, vec!["Minecraft"]);
    assert_eq!(a.group.as_deref(), Some("Minecraft"));
    assert_eq!(a.limit_bytes, None);
    assert_eq!(a.status, AccountStatus::Active);
    assert_eq!(c.raw()["server"]["identifier"], "1a2b3c4d");
    let caps = Capabilities::for_kind(PanelKind::Pterodactyl);
    assert!(caps.has_permissions && !caps.has_traffic && !caps.can_toggle);
    let suspended = Server {
        suspended: true,
        ..server
    };
    let attrs: SubuserAttributes = serde_json::from_value(json!({
        "uuid": "u2", "username": "f", "email": "f@x.y", "2fa_enabled": true, "created_at": "2026-05-05T10:00:00Z",
        "permissions": []
    }))
    .unwrap();
    let a =
        kinds::pterodactyl::convert::from_subuser(&panel(), &suspended, &Subuser::from(attrs), NOW)
            .account;
    assert_eq!(a.status, AccountStatus::Limited);
}

#[test]
fn account_status_names_are_snake_case() {
    assert_eq!(
        serde_json::to_value(AccountStatus::OnHold).unwrap(),
        "on_hold"
    );
    assert_eq!(AccountStatus::parse("on-hold"), Some(AccountStatus::OnHold));
    let caps = serde_json::to_value(Capabilities::for_kind(PanelKind::Marzban)).unwrap();
    assert_eq!(caps["canRevokeSubscription"], true);
    assert_eq!(caps["hasIpLimit"], false);
}
