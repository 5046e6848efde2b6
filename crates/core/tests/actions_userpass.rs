//! User-pass proxy actions against the simulator: create with a generated or typed password →
//! read back → edit round-trip (caps in bytes, unlimited, status, name, note) → enable/disable
//! and password regeneration read back → delete; field checks and unsupported actions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::{
    actions::{self, AccountAction, AccountEdit, NewAccount, ProxyStatusInput},
    connect::{ConnectionSpec, PanelClient},
    registry::PanelSettings,
    ApiError, CoreError, ErrorCode,
};
use paneldeck_panels::{
    userpass::{SubUser, SubUserStatus, UserpassClient},
    Endpoint, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};

const GIB: u64 = 1 << 30;

async fn start() -> (RunningSim, PanelClient) {
    start_with(10).await
}

async fn start_with(accounts: usize) -> (RunningSim, PanelClient) {
    let sim = paneldeck_sim::start_local(
        SimKind::Userpass,
        SimOptions {
            seed: 5,
            accounts,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let SimCredentials::ApiKey { api_key } = &sim.credentials else {
        panic!("{:?}", sim.credentials)
    };
    let settings = PanelSettings::default();
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Userpass,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(api_key.as_str()),
        session_token: None,
    })
    .unwrap();
    (sim, client)
}

fn userpass(client: &PanelClient) -> &UserpassClient {
    match client {
        PanelClient::Userpass(c) => c,
        _ => unreachable!(),
    }
}

async fn by_name(client: &PanelClient, name: &str) -> Option<SubUser> {
    userpass(client).find_by_name(name).await.unwrap()
}

fn new_proxy(name: &str, password: Option<&str>) -> NewAccount {
    NewAccount::Userpass {
        user_name: name.into(),
        password: password.map(Secret::new),
        usage_cap_bytes: Some(2 * GIB),
        ip_usage_cap: Some(3),
        note: "reseller A".into(),
        status: ProxyStatusInput::Active,
    }
}

fn field_names(err: CoreError) -> (ErrorCode, Vec<String>) {
    let api = ApiError::from(err);
    (api.code, api.fields.into_iter().map(|f| f.field).collect())
}

#[tokio::test]
async fn create_edit_actions_and_delete_round_trip() {
    let (_sim, client) = start().await;

    // A generated password is handed back once and is what the provider stores.
    let made = actions::create(&client, &new_proxy("act_proxy1", None))
        .await
        .unwrap();
    let id = made[0].native_id.clone();
    let generated = made[0].secret.clone().expect("the generated password");
    assert_eq!(generated.len(), 16);
    assert!(generated.chars().all(|c| c.is_ascii_alphanumeric()));
    let s = by_name(&client, "act_proxy1").await.expect("created");
    assert_eq!(s.id.to_string(), id);
    assert_eq!(s.password.expose(), generated);
    assert_eq!(
        (s.usage_cap_bytes, s.ip_usage_cap),
        (Some(2 * GIB), Some(3))
    );
    assert_eq!(
        (s.note.as_deref(), s.status),
        (Some("reseller A"), SubUserStatus::Active)
    );

    // A typed password is used as is and not echoed back.
    let typed = actions::create(&client, &new_proxy("act_proxy2", Some("Typed-pass-1")))
        .await
        .unwrap();
    assert_eq!(typed[0].secret, None);
    assert_eq!(
        by_name(&client, "act_proxy2")
            .await
            .unwrap()
            .password
            .expose(),
        "Typed-pass-1"
    );

    // Edit every field; unlimited traffic comes back as None.
    let out = actions::edit(
        &client,
        &id,
        &AccountEdit::Userpass {
            user_name: Some("act_proxy1b".into()),
            note: "moved to B".into(),
            usage_cap_bytes: None,
            ip_usage_cap: Some(5),
            status: ProxyStatusInput::Disabled,
        },
    )
    .await
    .unwrap();
    assert_eq!(out.native_id, id, "the id does not change with the name");
    assert!(by_name(&client, "act_proxy1").await.is_none());
    let s = by_name(&client, "act_proxy1b").await.expect("renamed");
    assert_eq!((s.usage_cap_bytes, s.ip_usage_cap), (None, Some(5)));
    assert_eq!(
        (s.note.as_deref(), s.status),
        (Some("moved to B"), SubUserStatus::Disabled)
    );
    assert_eq!(s.password.expose(), generated, "an edit keeps the password");

    // Caps back to limited, name kept (None).
    actions::edit(
        &client,
        &id,
        &AccountEdit::Userpass {
            user_name: None,
            note: String::new(),
            usage_cap_bytes: Some(7 * GIB),
            ip_usage_cap: None,
            status: ProxyStatusInput::Active,
        },
    )
    .await
    .unwrap();
    let s = by_name(&client, "act_proxy1b").await.unwrap();
    assert_eq!(
        (s.usage_cap_bytes, s.ip_usage_cap, s.status),
        (Some(7 * GIB), None, SubUserStatus::Active)
    );

    actions::apply(&client, &id, &AccountAction::Disable)
        .await
        .unwrap();
    assert_eq!(
        by_name(&client, "act_proxy1b").await.unwrap().status,
        SubUserStatus::Disabled
    );
    actions::apply(&client, &id, &AccountAction::Enable)
        .await
        .unwrap();
    assert_eq!(
        by_name(&client, "act_proxy1b").await.unwrap().status,
        SubUserStatus::Active
    );

    let out = actions::apply(&client, &id, &AccountAction::RegeneratePassword)
        .await
        .unwrap();
    let fresh = out.secret.expect("the new password");
    assert_ne!(fresh, generated);
    let s = by_name(&client, "act_proxy1b").await.unwrap();
    assert_eq!(s.password.expose(), fresh);
    assert_eq!(
        (s.usage_cap_bytes, s.status),
        (Some(7 * GIB), SubUserStatus::Active),
        "nothing else changed"
    );

    for action in [
        AccountAction::ResetTraffic,
        AccountAction::ClearIps,
        AccountAction::RevokeSubscription,
        AccountAction::SetPermissions {
            permissions: vec![],
        },
    ] {
        let err = actions::apply(&client, &id, &action).await.unwrap_err();
        assert!(
            matches!(err, CoreError::Panel(PanelError::Unsupported(_))),
            "{action:?}: {err:?}"
        );
    }

    actions::apply(
        &client,
        &id,
        &AccountAction::Delete {
            keep_traffic: false,
        },
    )
    .await
    .unwrap();
    assert!(by_name(&client, "act_proxy1b").await.is_none());
    let err = actions::apply(&client, &id, &AccountAction::Enable)
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).code, ErrorCode::NotFound);
}

#[tokio::test]
async fn bad_input_is_named_by_field_and_the_providers_refusal_kept() {
    let (_sim, client) = start().await;
    let err = actions::create(&client, &new_proxy(" ", Some("")))
        .await
        .unwrap_err();
    assert_eq!(
        field_names(err),
        (
            ErrorCode::InvalidInput,
            vec!["userName".into(), "password".into()]
        )
    );
    let err = actions::create(&client, &new_proxy("two words", None))
        .await
        .unwrap_err();
    assert_eq!(field_names(err).1, vec!["userName"]);
    assert!(by_name(&client, "two words").await.is_none());

    let err = actions::apply(&client, "not-a-number", &AccountAction::Enable)
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput { .. }));

    // The provider refuses a duplicate name (case-insensitively) with its own message.
    actions::create(&client, &new_proxy("dup_name", None))
        .await
        .unwrap();
    let err = actions::create(&client, &new_proxy("DUP_name", None))
        .await
        .unwrap_err();
    let api = ApiError::from(err);
    assert_eq!(api.code, ErrorCode::PanelRejected, "{}", api.message);
}

/// A sub-user the provider blocked (status 3) cannot be updated: the update's status must be
/// 1 or 2 (userpass-subusers-api.txt, `PUT update`), so enable, a new password and an edit are
/// refused with their own code before anything is sent, the block stays; a delete still works.
#[tokio::test]
async fn a_blocked_sub_user_is_refused_with_its_code_and_only_deleted() {
    // About one seeded sub-user in ten is blocked.
    let (_sim, client) = start_with(60).await;
    let all = userpass(&client)
        .get_list_all(&paneldeck_panels::userpass::ListParams::default())
        .await
        .unwrap();
    let blocked = all
        .iter()
        .find(|s| s.status == SubUserStatus::Blocked)
        .expect("the seed has a blocked sub-user");
    let id = blocked.id.to_string();
    let edit = AccountEdit::Userpass {
        user_name: None,
        note: "changed".into(),
        usage_cap_bytes: Some(GIB),
        ip_usage_cap: None,
        status: ProxyStatusInput::Active,
    };
    for err in [
        actions::apply(&client, &id, &AccountAction::Enable).await,
        actions::apply(&client, &id, &AccountAction::RegeneratePassword).await,
        actions::edit(&client, &id, &edit).await,
    ] {
        let api = ApiError::from(err.unwrap_err());
        assert_eq!(api.code, ErrorCode::AccountBlocked, "{}", api.message);
    }
    let now = by_name(&client, &blocked.user_name).await.unwrap();
    assert_eq!(&now, blocked, "a refused change reached the provider");

    actions::apply(
        &client,
        &id,
        &AccountAction::Delete {
            keep_traffic: false,
        },
    )
    .await
    .unwrap();
    assert!(by_name(&client, &blocked.user_name).await.is_none());
}
