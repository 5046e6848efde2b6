//! Pterodactyl actions against the simulator: create on several servers → read back → edit
//! (the permission checklist) round-trip → set permissions → delete; the panel's 422 on a bad
//! email lands on `email`; partial creates say where they failed; no enable/disable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::{
    actions::{self, AccountAction, AccountEdit, CreateOptions, NewAccount},
    connect::{ConnectionSpec, PanelClient},
    registry::PanelSettings,
    ApiError, CoreError, ErrorCode,
};
use paneldeck_panels::{
    pterodactyl::{PterodactylClient, ServerIdentifier, Subuser},
    Endpoint, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};

async fn start() -> (RunningSim, PanelClient) {
    let sim = paneldeck_sim::start_local(
        SimKind::Pterodactyl,
        SimOptions {
            seed: 3,
            accounts: 6,
            groups: 3,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let SimCredentials::Token { token } = &sim.credentials else {
        panic!("{:?}", sim.credentials)
    };
    let settings = PanelSettings::default();
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Pterodactyl,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(token.as_str()),
        session_token: None,
    })
    .unwrap();
    (sim, client)
}

fn ptero(client: &PanelClient) -> &PterodactylClient {
    match client {
        PanelClient::Pterodactyl(c) => c,
        _ => unreachable!(),
    }
}

async fn read(client: &PanelClient, native_id: &str) -> Result<Subuser, PanelError> {
    let (server, user) = actions::parse_pterodactyl_native_id(native_id).unwrap();
    ptero(client).get_subuser(&server, &user).await
}

fn keys(s: &Subuser) -> Vec<&'static str> {
    s.permissions.keys()
}

fn strings(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

fn field_names(err: CoreError) -> (ErrorCode, Vec<String>) {
    let api = ApiError::from(err);
    (api.code, api.fields.into_iter().map(|f| f.field).collect())
}

#[tokio::test]
async fn create_edit_permissions_and_delete_round_trip() {
    let (_sim, client) = start().await;
    let CreateOptions::Pterodactyl {
        servers,
        permission_groups,
    } = actions::create_options(&client).await.unwrap()
    else {
        panic!("not the Pterodactyl options")
    };
    assert_eq!(servers.len(), 3);
    let control = permission_groups
        .iter()
        .find(|g| g.name == "control")
        .expect("control group");
    assert!(!control.description.is_empty());
    let start_key = control
        .permissions
        .iter()
        .find(|p| p.key == "control.start")
        .expect("start");
    assert!(!start_key.description.is_empty());
    assert!(
        permission_groups
            .iter()
            .map(|g| g.permissions.len())
            .sum::<usize>()
            >= 40
    );
    let (s1, s2, s3) = (
        servers[0].identifier.clone(),
        servers[1].identifier.clone(),
        servers[2].identifier.clone(),
    );

    let made = actions::create(
        &client,
        &NewAccount::Pterodactyl {
            email: " act.person@example.com ".into(),
            server_ids: vec![s1.clone(), s2.clone()],
            permissions: strings(&["control.start", "file.read"]),
        },
    )
    .await
    .unwrap();
    assert_eq!(made.len(), 2);
    assert!(made[0].native_id.starts_with(&format!("{s1}/")));
    assert!(made[1].native_id.starts_with(&format!("{s2}/")));
    for outcome in &made {
        let sub = read(&client, &outcome.native_id).await.unwrap();
        assert_eq!(sub.email, "act.person@example.com");
        assert_eq!(
            keys(&sub),
            vec!["websocket.connect", "control.start", "file.read"]
        );
    }
    let (first, second) = (made[0].native_id.clone(), made[1].native_id.clone());

    // The edit form replaces the whole checklist.
    let out = actions::edit(
        &client,
        &first,
        &AccountEdit::Pterodactyl {
            permissions: strings(&["control.console", "backup.create"]),
        },
    )
    .await
    .unwrap();
    assert_eq!(out.native_id, first);
    let sub = read(&client, &first).await.unwrap();
    assert_eq!(
        keys(&sub),
        vec!["websocket.connect", "control.console", "backup.create"]
    );
    let other = read(&client, &second).await.unwrap();
    assert_eq!(
        keys(&other),
        vec!["websocket.connect", "control.start", "file.read"],
        "per server"
    );

    actions::apply(
        &client,
        &second,
        &AccountAction::SetPermissions {
            permissions: strings(&["database.read", "user.read"]),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        keys(&read(&client, &second).await.unwrap()),
        vec!["websocket.connect", "user.read", "database.read"]
    );

    for action in [
        AccountAction::Enable,
        AccountAction::Disable,
        AccountAction::ResetTraffic,
        AccountAction::ClearIps,
        AccountAction::RevokeSubscription,
        AccountAction::RegeneratePassword,
    ] {
        let err = actions::apply(&client, &first, &action).await.unwrap_err();
        assert!(
            matches!(err, CoreError::Panel(PanelError::Unsupported(_))),
            "{action:?}: {err:?}"
        );
    }

    actions::apply(
        &client,
        &first,
        &AccountAction::Delete {
            keep_traffic: false,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        read(&client, &first).await,
        Err(PanelError::NotFound { .. })
    ));
    assert!(
        read(&client, &second).await.is_ok(),
        "the other server keeps its subuser"
    );

    // Already a subuser of s2: s3 is still created, and the message says where it was not.
    let made = actions::create(
        &client,
        &NewAccount::Pterodactyl {
            email: "act.person@example.com".into(),
            server_ids: vec![s2.clone(), s3.clone()],
            permissions: strings(&["control.start"]),
        },
    )
    .await
    .unwrap();
    assert_eq!(made.len(), 1);
    assert!(made[0].native_id.starts_with(&format!("{s3}/")));
    let message = made[0].message.clone().unwrap();
    let actions::ActionMessage::SubuserAdded { not_added, .. } = &message else {
        panic!("{message:?}");
    };
    assert_eq!(not_added.len(), 1, "{message:?}");
    assert_eq!(not_added[0].server, s2, "{message:?}");
    let message = message.to_string();
    assert!(message.contains(&format!("Not added on {s2}")), "{message}");
}

#[tokio::test]
async fn our_checks_and_the_panels_422_land_on_their_fields() {
    let (_sim, client) = start().await;
    let CreateOptions::Pterodactyl { servers, .. } =
        actions::create_options(&client).await.unwrap()
    else {
        panic!()
    };
    let s1 = servers[0].identifier.clone();
    let server = ServerIdentifier(s1.clone());
    let before = ptero(&client).list_subusers(&server).await.unwrap().len();

    let err = actions::create(
        &client,
        &NewAccount::Pterodactyl {
            email: "".into(),
            server_ids: vec![],
            permissions: strings(&["control.fly"]),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        field_names(err),
        (
            ErrorCode::InvalidInput,
            strings(&["email", "serverIds", "permissions"])
        )
    );
    let err = actions::create(
        &client,
        &NewAccount::Pterodactyl {
            email: "x@example.com".into(),
            server_ids: vec!["zzzz9999".into()],
            permissions: vec![],
        },
    )
    .await
    .unwrap_err();
    assert_eq!(field_names(err).1, vec!["serverIds"]);

    // The panel's own 422: an address it does not accept.
    let err = actions::create(
        &client,
        &NewAccount::Pterodactyl {
            email: "not-an-email".into(),
            server_ids: vec![s1.clone()],
            permissions: strings(&["control.start"]),
        },
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, CoreError::Panel(PanelError::Validation { .. })),
        "{err:?}"
    );
    let api = ApiError::from(err);
    assert_eq!(api.code, ErrorCode::PanelRejected);
    assert_eq!(
        api.fields
            .iter()
            .map(|f| f.field.as_str())
            .collect::<Vec<_>>(),
        vec!["email"]
    );
    let after = ptero(&client).list_subusers(&server).await.unwrap().len();
    assert_eq!(after, before, "nothing was created");

    // An unknown key on an existing subuser is refused before the panel would drop it.
    let sub = ptero(&client)
        .list_subusers(&server)
        .await
        .unwrap()
        .remove(0);
    let id = actions::pterodactyl_native_id(&s1, &sub.uuid);
    let err = actions::edit(
        &client,
        &id,
        &AccountEdit::Pterodactyl {
            permissions: strings(&["nope.x"]),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(field_names(err).1, vec!["permissions"]);
    assert_eq!(
        read(&client, &id).await.unwrap().permissions,
        sub.permissions,
        "unchanged"
    );

    let err = actions::apply(
        &client,
        "no-slash",
        &AccountAction::Delete {
            keep_traffic: false,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput { .. }));
}
