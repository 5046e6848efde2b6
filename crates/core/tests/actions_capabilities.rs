//! The detail pane shows a button when `Capabilities` says the kind can do it; this checks
//! that `actions::apply` agrees for every kind and action: the ones switched off answer
//! `unsupported`, the others reach the panel (with an account that does not exist, so most
//! fail there, for another reason).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_core::{
    accounts::Capabilities,
    actions::{self, AccountAction},
    connect::{ConnectionSpec, PanelClient},
    registry::{PanelSettings, XuiAuthMode},
    CoreError,
};
use paneldeck_panels::{Endpoint, PanelError, PanelKind, Secret};
use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};

async fn connect(kind: SimKind) -> (RunningSim, PanelClient) {
    let sim = paneldeck_sim::start_local(
        kind,
        SimOptions {
            accounts: 3,
            ..SimOptions::default()
        },
    )
    .await
    .unwrap();
    let (panel_kind, mut settings, secret) = match (kind, &sim.credentials) {
        (
            SimKind::Xui,
            SimCredentials::Login {
                token: Some(token), ..
            },
        ) => (PanelKind::Xui, PanelSettings::default(), token.clone()),
        (SimKind::Marzban, SimCredentials::Password { username, password }) => (
            PanelKind::Marzban,
            PanelSettings {
                username: Some(username.clone()),
                ..PanelSettings::default()
            },
            password.clone(),
        ),
        (SimKind::Userpass, SimCredentials::ApiKey { api_key }) => (
            PanelKind::Userpass,
            PanelSettings::default(),
            api_key.clone(),
        ),
        (SimKind::Pterodactyl, SimCredentials::Token { token }) => (
            PanelKind::Pterodactyl,
            PanelSettings::default(),
            token.clone(),
        ),
        other => panic!("{other:?}"),
    };
    if panel_kind == PanelKind::Xui {
        settings.xui_auth = Some(XuiAuthMode::Token);
    }
    let client = PanelClient::new(ConnectionSpec {
        kind: panel_kind,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(secret),
        session_token: None,
    })
    .unwrap();
    (sim, client)
}

fn allowed(caps: &Capabilities, action: &AccountAction) -> bool {
    match action {
        AccountAction::Enable | AccountAction::Disable => caps.can_toggle,
        AccountAction::ResetTraffic => caps.can_reset_traffic,
        AccountAction::Delete { .. } => caps.can_delete,
        AccountAction::ClearIps => caps.has_ips,
        AccountAction::RevokeSubscription => caps.can_revoke_subscription,
        AccountAction::RegeneratePassword => caps.can_regenerate_password,
        AccountAction::SetPermissions { .. } => caps.has_permissions,
    }
}

fn is_unsupported<T>(result: &Result<T, CoreError>) -> bool {
    matches!(result, Err(CoreError::Panel(PanelError::Unsupported(_))))
}

#[tokio::test]
async fn apply_agrees_with_the_capabilities_the_ui_reads() {
    let every = [
        AccountAction::Enable,
        AccountAction::Disable,
        AccountAction::ResetTraffic,
        AccountAction::Delete {
            keep_traffic: false,
        },
        AccountAction::ClearIps,
        AccountAction::RevokeSubscription,
        AccountAction::RegeneratePassword,
        AccountAction::SetPermissions {
            permissions: vec!["control.start".into()],
        },
    ];
    for kind in [
        SimKind::Xui,
        SimKind::Marzban,
        SimKind::Userpass,
        SimKind::Pterodactyl,
    ] {
        let (_sim, client) = connect(kind).await;
        let caps = Capabilities::for_kind(client.kind());
        // A well-formed id of an account that does not exist.
        let missing = match kind {
            SimKind::Userpass => "999999".to_owned(),
            SimKind::Pterodactyl => actions::pterodactyl_native_id("nosuchsv", "no-such-user"),
            _ => "no_such_account".to_owned(),
        };
        for action in &every {
            let result = actions::apply(&client, &missing, action).await;
            assert_eq!(
                is_unsupported(&result),
                !allowed(&caps, action),
                "{kind:?} {action:?}: {result:?}"
            );
        }
        let ips = actions::client_ips(&client, &missing).await;
        assert_eq!(
            is_unsupported(&ips),
            !caps.has_ips,
            "{kind:?} client_ips: {ips:?}"
        );
        // Every kind has a create form and its options.
        actions::create_options(&client).await.unwrap();
    }
}
