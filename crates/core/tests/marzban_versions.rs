//! Marzban as people run it, against the simulator playing 0.4.9 and 0.8.4: the panel bugs and
//! races the client works around (NOTES.md, "Measured on real 0.4.9 and 0.8.4 servers" and
//! "Both versions"; copied in crates/sim/tests/fixtures/marzban-versions.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paneldeck_core::{
    actions::{
        self, AccountAction, ExpireInput, MarzbanCreateStatus, MarzbanProtocol, NewAccount,
        ProtocolInbounds, ResetStrategy,
    },
    connect::{ConnectionSpec, PanelClient},
    registry::PanelSettings,
};
use paneldeck_panels::{
    marzban::{ProxyType, UserModify, UserStatus, UserStatusModify},
    Endpoint, PanelKind, Secret,
};
use paneldeck_sim::{RunningSim, SimCredentials, SimOptions};

async fn start(version: &str) -> (RunningSim, PanelClient) {
    let opts = SimOptions {
        accounts: 0,
        panel_version: Some(version.to_owned()),
        ..SimOptions::default()
    };
    let (sim, _) = paneldeck_sim::marzban::start_with_ttl(opts, Duration::from_secs(3600))
        .await
        .unwrap();
    let SimCredentials::Password { username, password } = &sim.credentials else {
        panic!("{:?}", sim.credentials)
    };
    let settings = PanelSettings {
        username: Some(username.clone()),
        ..PanelSettings::default()
    };
    let client = PanelClient::new(ConnectionSpec {
        kind: PanelKind::Marzban,
        endpoint: Endpoint::parse(&sim.url()).unwrap(),
        settings: &settings,
        secret: Secret::new(password.as_str()),
        session_token: None,
    })
    .unwrap();
    (sim, client)
}

fn form(name: &str, inbounds: Vec<ProtocolInbounds>) -> NewAccount {
    NewAccount::Marzban {
        username: name.into(),
        proxies: vec![MarzbanProtocol::Vless],
        inbounds,
        expire: ExpireInput::Never,
        data_limit_bytes: None,
        data_limit_reset_strategy: ResetStrategy::NoReset,
        template_id: None,
        status: MarzbanCreateStatus::Active,
        on_hold_expire_duration_secs: None,
        note: String::new(),
    }
}

#[tokio::test]
async fn reset_traffic_on_a_disabled_user_leaves_it_disabled() {
    for version in ["0.4.9", "0.8.4"] {
        let (_sim, client) = start(version).await;
        let PanelClient::Marzban(c) = &client else {
            unreachable!()
        };
        actions::create(&client, &form("sleeper", vec![]))
            .await
            .unwrap();
        let off = UserModify {
            status: Some(UserStatusModify::Disabled),
            ..UserModify::default()
        };
        c.modify_user("sleeper", &off).await.unwrap();
        // The panel's own reset turns a disabled user active (both releases)…
        let raw = c.reset_user_data_usage("sleeper").await.unwrap();
        assert_eq!(raw.status, UserStatus::Active, "{version}: the panel bug");
        c.modify_user("sleeper", &off).await.unwrap();
        // …the app's reset puts it back.
        actions::apply(&client, "sleeper", &AccountAction::ResetTraffic)
            .await
            .unwrap();
        let user = c.get_user("sleeper").await.unwrap();
        assert_eq!(user.status, UserStatus::Disabled, "{version}");
    }
}

/// Concurrent creates kept off an inbound nobody was kept off before collide inside 0.8.4
/// (409 "User already exists" for users that do not exist); each is looked up and sent again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_excluded_inbounds_all_land_on_0_8_4() {
    let (_sim, client) = start("0.8.4").await;
    let PanelClient::Marzban(c) = &client else {
        unreachable!()
    };
    let only_tcp = || {
        vec![ProtocolInbounds {
            protocol: MarzbanProtocol::Vless,
            tags: vec!["VLESS TCP".into()],
        }]
    };
    let names: Vec<String> = (0..20).map(|i| format!("race_{i:02}")).collect();
    let forms: Vec<NewAccount> = names.iter().map(|n| form(n, only_tcp())).collect();
    let creates = forms.iter().map(|f| actions::create(&client, f));
    let results = futures::future::join_all(creates).await;
    for (name, r) in names.iter().zip(results) {
        assert!(r.is_ok(), "{name}: {r:?}");
    }
    for name in &names {
        let u = c.get_user(name).await.unwrap();
        assert_eq!(u.inbounds[&ProxyType::Vless], vec!["VLESS TCP".to_owned()]);
        assert_eq!(u.links.len(), 1, "{name}");
    }
}
