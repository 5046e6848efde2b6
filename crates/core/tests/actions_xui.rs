//! 3x-ui actions against the simulator (clients API and a pre-3.1 "legacy" panel): create →
//! read back → edit round-trip (every field, in the panel's units) → each action's effect →
//! delete, plus our own field checks and the actions 3x-ui cannot do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{net::SocketAddr, sync::Arc};

use paneldeck_core::{
    actions::{self, AccountAction, AccountEdit, CreateOptions, ExpiryInput, NewAccount},
    connect::{ConnectionSpec, PanelClient},
    registry::{PanelSettings, XuiAuthMode},
    ApiError, CoreError, ErrorCode,
};
use paneldeck_panels::{xui::XuiClient, Endpoint, PanelKind, Secret};
use paneldeck_sim::{
    xui::{XuiSimConfig, XuiSimHandle, XuiVersion},
    RunningSim, SimKind, SimOptions, SimStats,
};

const GIB: u64 = 1 << 30;
const DAY_MS: i64 = 86_400_000;

async fn start(legacy: bool) -> (RunningSim, XuiSimHandle, PanelClient) {
    let opts = SimOptions {
        seed: 7,
        accounts: 12,
        groups: 3,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let (app, handle) = paneldeck_sim::xui::app_with(
        &opts,
        stats.clone(),
        XuiSimConfig {
            version: if legacy {
                XuiVersion::V3_0_2
            } else {
                XuiVersion::default()
            },
            two_factor_code: None,
        },
    );
    let sim = paneldeck_sim::serve(
        SimKind::Xui,
        app,
        &opts,
        stats,
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let settings = PanelSettings {
        xui_auth: Some(XuiAuthMode::Token),
        ..PanelSettings::default()
    };
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Xui,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(handle.token()),
        session_token: None,
    })
    .unwrap();
    (sim, handle, client)
}

fn xui(client: &PanelClient) -> &XuiClient {
    match client {
        PanelClient::Xui(c) => c,
        _ => unreachable!(),
    }
}

async fn inbound_ids(client: &PanelClient) -> Vec<i64> {
    match actions::create_options(client).await.unwrap() {
        CreateOptions::Xui { inbounds } => inbounds.iter().map(|i| i.id).collect(),
        other => panic!("{other:?}"),
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn fields(err: CoreError) -> (ErrorCode, Vec<String>) {
    let api = ApiError::from(err);
    (api.code, api.fields.into_iter().map(|f| f.field).collect())
}

#[tokio::test]
async fn create_edit_actions_and_delete_round_trip() {
    let (_sim, handle, client) = start(false).await;
    let c = xui(&client);
    let ids = inbound_ids(&client).await;
    assert!(ids.len() >= 3, "the sim seeds 3 inbounds: {ids:?}");

    // Create, with "start after first use".
    let made = actions::create(
        &client,
        &NewAccount::Xui {
            email: " act-1@example.com ".into(),
            inbound_ids: vec![ids[0], ids[1]],
            total_bytes: Some(5 * GIB),
            expiry: ExpiryInput::AfterFirstUse { days: 7 },
            limit_ip: 2,
            comment: "first".into(),
            group: Some("vip".into()),
            reset_days: 0,
        },
    )
    .await
    .unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].native_id, "act-1@example.com");
    let r = c.get("act-1@example.com").await.unwrap();
    assert_eq!(r.total_bytes, (5 * GIB) as i64);
    assert_eq!(r.expiry_time_ms, -7 * DAY_MS);
    assert_eq!(
        (r.limit_ip, r.comment.as_str(), r.group.as_str(), r.enable),
        (2, "first", "vip", true)
    );
    let mut on: Vec<i64> = r.inbound_ids.iter().map(|i| i.0).collect();
    on.sort_unstable();
    assert_eq!(on, vec![ids[0], ids[1]]);
    let (uuid, sub_before) = (r.uuid.clone(), r.sub_id.clone());

    // Edit every field, rename, and move to the third inbound.
    let at = now_ms() + 30 * DAY_MS;
    let out = actions::edit(
        &client,
        "act-1@example.com",
        &AccountEdit::Xui {
            email: "act-1b@example.com".into(),
            total_bytes: Some(10 * GIB),
            expiry: ExpiryInput::At { ms: at },
            limit_ip: 3,
            comment: "second".into(),
            group: Some("gold".into()),
            sub_id: Some("subact1b".into()),
            reset_days: 30,
            enable: false,
            inbound_ids: Some(vec![ids[2]]),
        },
    )
    .await
    .unwrap();
    assert_eq!(out.native_id, "act-1b@example.com");
    let r = c.get("act-1b@example.com").await.unwrap();
    assert_eq!(r.total_bytes, (10 * GIB) as i64);
    assert_eq!(r.expiry_time_ms, at);
    assert_eq!(
        (r.limit_ip, r.comment.as_str(), r.group.as_str()),
        (3, "second", "gold")
    );
    assert_eq!(
        (r.sub_id.as_str(), r.reset_days, r.enable),
        ("subact1b", 30, false)
    );
    assert_eq!(
        r.inbound_ids.iter().map(|i| i.0).collect::<Vec<_>>(),
        vec![ids[2]]
    );
    assert_eq!(r.uuid, uuid, "the credential survives an edit");
    assert_ne!(r.sub_id, sub_before);
    assert!(
        c.get("act-1@example.com").await.is_err(),
        "the old email is gone"
    );

    // Unlimited and never, then group/subId left as they are (None keeps).
    actions::edit(
        &client,
        "act-1b@example.com",
        &AccountEdit::Xui {
            email: "act-1b@example.com".into(),
            total_bytes: None,
            expiry: ExpiryInput::Never,
            limit_ip: 0,
            comment: String::new(),
            group: None,
            sub_id: None,
            reset_days: 0,
            enable: false,
            inbound_ids: None,
        },
    )
    .await
    .unwrap();
    let r = c.get("act-1b@example.com").await.unwrap();
    assert_eq!((r.total_bytes, r.expiry_time_ms, r.limit_ip), (0, 0, 0));
    assert_eq!((r.group.as_str(), r.sub_id.as_str()), ("gold", "subact1b"));
    assert_eq!(
        r.inbound_ids.iter().map(|i| i.0).collect::<Vec<_>>(),
        vec![ids[2]]
    );

    // Enable / disable.
    let email = "act-1b@example.com";
    actions::apply(&client, email, &AccountAction::Enable)
        .await
        .unwrap();
    assert!(c.get(email).await.unwrap().enable);
    actions::apply(&client, email, &AccountAction::Disable)
        .await
        .unwrap();
    assert!(!c.get(email).await.unwrap().enable);

    // Reset traffic.
    assert!(handle.add_traffic(email, 3_000, 4_000));
    // `get` carries no counters (facts §4.4): the traffic row has them.
    let used = |t: paneldeck_panels::xui::ClientTraffic| t.up_bytes + t.down_bytes;
    assert_eq!(used(c.traffic(email).await.unwrap()), 7_000);
    actions::apply(&client, email, &AccountAction::ResetTraffic)
        .await
        .unwrap();
    assert_eq!(used(c.traffic(email).await.unwrap()), 0);

    // IPs and clear IPs.
    handle.record_ip(email, "203.0.113.9");
    let ips = actions::client_ips(&client, email).await.unwrap();
    assert!(
        ips.ips.iter().any(|ip| ip.starts_with("203.0.113.9")),
        "{ips:?}"
    );
    actions::apply(&client, email, &AccountAction::ClearIps)
        .await
        .unwrap();
    assert!(actions::client_ips(&client, email)
        .await
        .unwrap()
        .ips
        .is_empty());
    assert!(handle.ips(email).is_empty());

    // What 3x-ui cannot do.
    for action in [
        AccountAction::RevokeSubscription,
        AccountAction::RegeneratePassword,
        AccountAction::SetPermissions {
            permissions: vec!["control.start".into()],
        },
    ] {
        let err = actions::apply(&client, email, &action).await.unwrap_err();
        assert_eq!(
            ApiError::from(err).code,
            ErrorCode::Unsupported,
            "{action:?}"
        );
    }

    // Delete, keeping the traffic row.
    handle.add_traffic(email, 10, 20);
    actions::apply(
        &client,
        email,
        &AccountAction::Delete { keep_traffic: true },
    )
    .await
    .unwrap();
    assert!(c.get(email).await.is_err());
    assert!(!c.list().await.unwrap().iter().any(|r| r.email == email));
    assert_eq!(handle.kept_traffic(email), Some((10, 20)));
}

#[tokio::test]
async fn our_checks_name_the_fields_before_anything_is_sent() {
    let (_sim, handle, client) = start(false).await;
    let before = handle.clients().len();
    let err = actions::create(
        &client,
        &NewAccount::Xui {
            email: "  ".into(),
            inbound_ids: vec![],
            total_bytes: Some(0),
            expiry: ExpiryInput::AfterFirstUse { days: 0 },
            limit_ip: 0,
            comment: String::new(),
            group: None,
            reset_days: 0,
        },
    )
    .await
    .unwrap_err();
    let (code, names) = fields(err);
    assert_eq!(code, ErrorCode::InvalidInput);
    assert_eq!(names, vec!["email", "inboundIds", "totalBytes", "expiry"]);
    assert_eq!(handle.clients().len(), before, "nothing was created");

    let email = handle.clients()[0].email.clone();
    let err = actions::edit(
        &client,
        &email,
        &AccountEdit::Xui {
            email: "has space".into(),
            total_bytes: None,
            expiry: ExpiryInput::At { ms: -5 },
            limit_ip: 0,
            comment: String::new(),
            group: None,
            sub_id: Some(String::new()),
            reset_days: 0,
            enable: true,
            inbound_ids: Some(vec![]),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        fields(err).1,
        vec!["email", "expiry", "subId", "inboundIds"]
    );
    assert_eq!(
        handle.client(&email).map(|c| c.email),
        Some(email.clone()),
        "unchanged"
    );

    // A form of another kind.
    let err = actions::edit(
        &client,
        &email,
        &AccountEdit::Pterodactyl {
            permissions: vec![],
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput { .. }), "{err:?}");

    // The panel's own refusal (a duplicate email) keeps its message.
    let err = actions::create(
        &client,
        &NewAccount::Xui {
            email: email.clone(),
            inbound_ids: inbound_ids(&client).await[..1].to_vec(),
            total_bytes: None,
            expiry: ExpiryInput::Never,
            limit_ip: 0,
            comment: String::new(),
            group: None,
            reset_days: 0,
        },
    )
    .await
    .unwrap_err();
    let api = ApiError::from(err);
    assert_eq!(api.code, ErrorCode::PanelRejected);
    assert!(api.message.contains("already in use"), "{}", api.message);
}

#[tokio::test]
async fn a_legacy_panel_gets_the_same_actions_through_its_inbound_routes() {
    let (_sim, handle, client) = start(true).await;
    let c = xui(&client);
    let ids = inbound_ids(&client).await;
    let email = "legacy-1@example.com";
    let made = actions::create(
        &client,
        &NewAccount::Xui {
            email: email.into(),
            inbound_ids: vec![ids[0]],
            total_bytes: Some(GIB),
            expiry: ExpiryInput::AfterFirstUse { days: 3 },
            limit_ip: 1,
            comment: "old panel".into(),
            group: None,
            reset_days: 0,
        },
    )
    .await
    .unwrap();
    assert_eq!(made[0].native_id, email);
    let find = |all: Vec<paneldeck_panels::xui::legacy::LegacyClient>, e: &str| {
        all.into_iter().find(|l| l.client.email == e)
    };
    let l = find(c.legacy_list_clients().await.unwrap(), email).expect("created");
    assert_eq!(l.inbound_id.0, ids[0]);
    assert_eq!(
        (l.client.total_bytes, l.client.expiry_time_ms),
        (GIB as i64, -3 * DAY_MS)
    );
    assert_eq!(
        (
            l.client.limit_ip,
            l.client.comment.as_str(),
            l.client.enable
        ),
        (1, "old panel", true)
    );

    // Two inbounds are refused on a legacy panel (emails are unique across inbounds there).
    let err = actions::create(
        &client,
        &NewAccount::Xui {
            email: "legacy-2@example.com".into(),
            inbound_ids: vec![ids[0], ids[1]],
            total_bytes: None,
            expiry: ExpiryInput::Never,
            limit_ip: 0,
            comment: String::new(),
            group: None,
            reset_days: 0,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(fields(err).1, vec!["inboundIds"]);

    let at = now_ms() + 10 * DAY_MS;
    actions::edit(
        &client,
        email,
        &AccountEdit::Xui {
            email: "legacy-1b@example.com".into(),
            total_bytes: Some(2 * GIB),
            expiry: ExpiryInput::At { ms: at },
            limit_ip: 4,
            comment: "edited".into(),
            group: None,
            sub_id: None,
            reset_days: 7,
            enable: false,
            inbound_ids: None,
        },
    )
    .await
    .unwrap();
    let email = "legacy-1b@example.com";
    let l = find(c.legacy_list_clients().await.unwrap(), email).expect("renamed");
    assert_eq!(
        (l.client.total_bytes, l.client.expiry_time_ms),
        ((2 * GIB) as i64, at)
    );
    assert_eq!(
        (l.client.limit_ip, l.client.comment.as_str()),
        (4, "edited")
    );
    assert_eq!((l.client.reset_days, l.client.enable), (7, false));

    actions::apply(&client, email, &AccountAction::Enable)
        .await
        .unwrap();
    let l = find(c.legacy_list_clients().await.unwrap(), email).unwrap();
    assert!(l.client.enable);

    handle.add_traffic(email, 500, 500);
    actions::apply(&client, email, &AccountAction::ResetTraffic)
        .await
        .unwrap();
    let t = c.legacy_get_client_traffics(email).await.unwrap();
    assert_eq!(t.up_bytes + t.down_bytes, 0);

    let err = actions::edit(
        &client,
        email,
        &AccountEdit::Xui {
            email: email.into(),
            total_bytes: None,
            expiry: ExpiryInput::Never,
            limit_ip: 0,
            comment: String::new(),
            group: None,
            sub_id: None,
            reset_days: 0,
            enable: true,
            inbound_ids: Some(vec![ids[1]]),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(ApiError::from(err).code, ErrorCode::Unsupported);

    actions::apply(
        &client,
        email,
        &AccountAction::Delete {
            keep_traffic: false,
        },
    )
    .await
    .unwrap();
    assert!(find(c.legacy_list_clients().await.unwrap(), email).is_none());
}
