//! `MarzbanClient` admin, template, node, system, host and core routes against the simulated
//! Marzban, asserting the change each call made by reading it back (users: marzban_client.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeMap, time::Duration};

use base64::Engine as _;
use paneldeck_panels::{
    marzban::{
        AdminCreate, AdminModify, AdminsQuery, MarzbanClient, NodeCreate, NodeModify, NodeStatus,
        ProxyHost, ProxySettings, ProxyType, UsageRange, UserCreate, UserTemplateWrite, UsersQuery,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    marzban::{start_with_ttl, MarzbanSim},
    RunningSim, SimCredentials, SimOptions,
};

const GB: u64 = 1 << 30;

async fn setup(accounts: usize) -> (RunningSim, MarzbanSim, MarzbanClient) {
    let opts = SimOptions {
        accounts,
        seed: 7,
        ..SimOptions::default()
    };
    let (sim, handle) = start_with_ttl(opts, Duration::from_secs(3600))
        .await
        .expect("simulator starts");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("marzban sim gives a password");
    };
    let client = client_for(&sim, &username, &password);
    (sim, handle, client)
}

fn client_for(sim: &RunningSim, username: &str, password: &str) -> MarzbanClient {
    let endpoint = Endpoint::parse(&sim.url()).expect("url");
    let http = HttpClient::new(PanelKind::Marzban, endpoint).expect("http client");
    MarzbanClient::new(http, username.to_owned(), Secret::new(password))
}

fn proxies(list: &[ProxyType]) -> BTreeMap<ProxyType, ProxySettings> {
    list.iter()
        .map(|p| (*p, ProxySettings::default()))
        .collect()
}

fn new_user(name: &str, list: &[ProxyType]) -> UserCreate {
    UserCreate {
        username: name.to_owned(),
        proxies: proxies(list),
        ..UserCreate::default()
    }
}

#[tokio::test]
async fn admins_ownership_and_sudo_rules() {
    let (sim, _h, client) = setup(2).await;
    let op = AdminCreate {
        username: "op1".into(),
        password: Secret::new("op1pass123"),
        is_sudo: false,
        telegram_id: Some(42),
        discord_webhook: None,
    };
    let created = client.create_admin(&op).await.expect("create admin");
    assert!(!created.is_sudo);
    assert_eq!(created.telegram_id, Some(42));
    assert!(matches!(
        client.create_admin(&op).await,
        Err(PanelError::Conflict { .. })
    ));
    let admins = client
        .get_admins(&AdminsQuery::default())
        .await
        .expect("admins");
    assert_eq!(
        admins
            .iter()
            .map(|a| a.username.as_str())
            .collect::<Vec<_>>(),
        ["admin", "op1"]
    );
    let filtered = client
        .get_admins(&AdminsQuery {
            username: Some("op".into()),
            ..AdminsQuery::default()
        })
        .await
        .expect("filtered");
    assert_eq!(filtered.len(), 1);

    let op_client = client_for(&sim, "op1", "op1pass123");
    let me = op_client.get_current_admin().await.expect("op1 admin");
    assert_eq!(me.username, "op1");
    assert!(matches!(
        op_client.get_admins(&AdminsQuery::default()).await,
        Err(PanelError::Forbidden { .. })
    ));
    assert!(matches!(
        op_client.get_core_config().await,
        Err(PanelError::Forbidden { .. })
    ));
    // op1 sees none of admin's users, only its own.
    assert_eq!(
        op_client
            .get_users(&UsersQuery::default())
            .await
            .expect("list")
            .total,
        0
    );
    op_client
        .add_user(&new_user("opuser", &[ProxyType::Trojan]))
        .await
        .expect("op add");
    assert_eq!(
        op_client
            .get_users(&UsersQuery::default())
            .await
            .expect("list")
            .total,
        1
    );
    let admins_user = client
        .get_users(&UsersQuery::default())
        .await
        .expect("list")
        .users[0]
        .username
        .clone();
    match op_client.get_user(&admins_user).await {
        Err(PanelError::Forbidden { message }) => assert_eq!(message, "You're not allowed"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    // Giving opuser to admin takes it away from op1.
    let moved = client
        .set_owner("opuser", "admin")
        .await
        .expect("set owner");
    assert_eq!(moved.username, "opuser");
    assert!(matches!(
        op_client.get_user("opuser").await,
        Err(PanelError::Forbidden { .. })
    ));
    assert!(matches!(
        client.set_owner("opuser", "ghost").await,
        Err(PanelError::NotFound { .. })
    ));

    let change = AdminModify {
        is_sudo: false,
        password: Some(Secret::new("newpass456")),
        telegram_id: Some(7),
        discord_webhook: None,
    };
    // An admin may edit itself, but not make itself sudo.
    let own = AdminModify {
        is_sudo: false,
        password: None,
        telegram_id: Some(99),
        discord_webhook: None,
    };
    let edited = op_client
        .modify_admin("op1", &own)
        .await
        .expect("self edit");
    assert_eq!(edited.telegram_id, Some(99));
    let promote = AdminModify {
        is_sudo: true,
        ..own.clone()
    };
    match op_client.modify_admin("op1", &promote).await {
        Err(PanelError::Forbidden { message }) => {
            assert_eq!(message, "You can't make yourself sudoer!")
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
    let logins_before = op_client.login_count();
    let modified = client
        .modify_admin("op1", &change)
        .await
        .expect("modify admin");
    // The new password invalidates op1's token; its client logs in again with the old
    // password and is refused.
    assert!(matches!(
        op_client.get_current_admin().await,
        Err(PanelError::Unauthorized { .. })
    ));
    assert_eq!(
        op_client.login_count(),
        logins_before,
        "the re-login failed"
    );
    assert_eq!(modified.telegram_id, Some(7));
    let old_login = client_for(&sim, "op1", "op1pass123");
    assert!(matches!(
        old_login.admin_token().await,
        Err(PanelError::Unauthorized { .. })
    ));
    client_for(&sim, "op1", "newpass456")
        .admin_token()
        .await
        .expect("new password works");

    client.remove_admin("op1").await.expect("remove admin");
    let admins = client
        .get_admins(&AdminsQuery::default())
        .await
        .expect("admins");
    assert_eq!(admins.len(), 1);
    assert!(matches!(
        client.remove_admin("op1").await,
        Err(PanelError::NotFound { .. })
    ));
    assert!(matches!(
        client.remove_admin("admin").await,
        Err(PanelError::Forbidden { .. })
    ));
}

#[tokio::test]
async fn user_templates_crud() {
    let (_sim, _h, client) = setup(0).await;
    let mut inbounds = BTreeMap::new();
    inbounds.insert(ProxyType::Vless, vec!["VLESS TCP REALITY".to_owned()]);
    let write = UserTemplateWrite {
        name: Some("monthly".into()),
        data_limit_bytes: Some(30 * GB),
        expire_duration_secs: Some(30 * 86_400),
        username_prefix: Some("m_".into()),
        username_suffix: None,
        inbounds: Some(inbounds.clone()),
    };
    let created = client.add_user_template(&write).await.expect("add");
    assert_eq!(created.name.as_deref(), Some("monthly"));
    assert_eq!(created.data_limit_bytes, Some(30 * GB));
    assert_eq!(created.inbounds, inbounds);
    assert!(matches!(
        client.add_user_template(&write).await,
        Err(PanelError::Conflict { .. })
    ));
    let change = UserTemplateWrite {
        data_limit_bytes: Some(0),
        username_suffix: Some("_x".into()),
        ..UserTemplateWrite::default()
    };
    client
        .modify_user_template(created.id, &change)
        .await
        .expect("modify");
    let got = client.get_user_template(created.id).await.expect("get");
    assert_eq!(got.data_limit_bytes, None, "0 = unlimited");
    assert_eq!(got.username_suffix.as_deref(), Some("_x"));
    assert_eq!(
        got.username_prefix.as_deref(),
        Some("m_"),
        "absent = unchanged"
    );
    let list = client
        .get_user_templates(None, Some(10))
        .await
        .expect("list");
    assert_eq!(list.len(), 1);
    client
        .remove_user_template(created.id)
        .await
        .expect("remove");
    assert!(matches!(
        client.get_user_template(created.id).await,
        Err(PanelError::NotFound { .. })
    ));
    assert!(client
        .get_user_templates(None, None)
        .await
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn nodes_crud_hosts_and_usage() {
    let (_sim, sim, client) = setup(0).await;
    let settings = client.get_node_settings().await.expect("settings");
    assert!(settings.certificate.contains("BEGIN CERTIFICATE"));
    let node = client
        .add_node(&NodeCreate {
            name: "DE node".into(),
            address: "203.0.113.9".into(),
            usage_coefficient: Some(2.0),
            ..NodeCreate::default()
        })
        .await
        .expect("add node");
    assert_eq!(node.status, NodeStatus::Connecting);
    assert_eq!(node.port, 62050);
    let got = client.get_node(node.id).await.expect("get node");
    assert_eq!(got.status, NodeStatus::Connected);
    assert!(got.xray_version.is_some());
    // add_as_new_host: the node's address now appears in users' links.
    let user = client
        .add_user(&new_user("frank", &[ProxyType::Vless]))
        .await
        .expect("add");
    assert!(user.links.iter().any(|l| l.contains("@203.0.113.9:")));
    let hosts = client.get_hosts().await.expect("hosts");
    assert_eq!(hosts["VLESS TCP"].len(), 2);

    sim.add_traffic("frank", 100, Some(node.id.0));
    let usage = client
        .get_nodes_usage(&UsageRange::default())
        .await
        .expect("usage");
    let mine = usage
        .usages
        .iter()
        .find(|u| u.node_id == Some(node.id))
        .expect("node row");
    assert_eq!(mine.uplink_bytes + mine.downlink_bytes, 100);
    let per_user = client
        .get_user_usage("frank", &UsageRange::default())
        .await
        .expect("usage");
    let row = per_user
        .usages
        .iter()
        .find(|u| u.node_id == Some(node.id))
        .expect("row");
    // 0.4.9 does not store the coefficient given at creation; a modify does.
    assert_eq!(got.usage_coefficient, 1.0);
    assert_eq!(row.used_traffic_bytes, 100, "created nodes count at 1.0");

    let modified = client
        .modify_node(
            node.id,
            &NodeModify {
                name: Some("DE-2".into()),
                usage_coefficient: Some(2.0),
                status: Some(NodeStatus::Disabled),
                ..NodeModify::default()
            },
        )
        .await
        .expect("modify");
    assert_eq!(modified.status, NodeStatus::Disabled);
    assert_eq!(modified.usage_coefficient, 2.0);
    sim.add_traffic("frank", 100, Some(node.id.0));
    let per_user = client
        .get_user_usage("frank", &UsageRange::default())
        .await
        .expect("usage");
    let row = per_user
        .usages
        .iter()
        .find(|u| u.node_id == Some(node.id))
        .expect("row");
    assert_eq!(row.used_traffic_bytes, 300, "100 at 1.0, then 100 at 2.0");
    assert_eq!(client.get_nodes().await.expect("nodes")[0].name, "DE-2");
    client.reconnect_node(node.id).await.expect("reconnect");
    assert_eq!(
        client.get_node(node.id).await.expect("get").status,
        NodeStatus::Connected
    );
    client.remove_node(node.id).await.expect("remove");
    assert!(matches!(
        client.get_node(node.id).await,
        Err(PanelError::NotFound { .. })
    ));
    assert!(client.get_nodes().await.expect("nodes").is_empty());
}

#[tokio::test]
async fn system_inbounds_hosts_and_core() {
    let (_sim, sim, client) = setup(4).await;
    let stats = client.get_system_stats().await.expect("system");
    assert_eq!(stats.total_user, 4);
    // The simulator plays 0.8.4 unless told otherwise (#19).
    assert_eq!(stats.version, "0.8.4");
    let inbounds = client.get_inbounds().await.expect("inbounds");
    assert_eq!(inbounds.len(), 4);
    assert_eq!(inbounds[&ProxyType::Vless].len(), 2);

    let mut hosts = client.get_hosts().await.expect("hosts");
    let vmess = hosts.get_mut("VMESS WS").expect("tag");
    vmess[0].address = "cdn.example.org".into();
    vmess[0].port = Some(8443);
    vmess.push(ProxyHost {
        remark: "backup ({USERNAME})".into(),
        address: "198.51.100.7".into(),
        is_disabled: Some(true),
        ..ProxyHost::default()
    });
    let answered = client.modify_hosts(&hosts).await.expect("modify hosts");
    assert_eq!(answered["VMESS WS"][0].address, "cdn.example.org");
    let user = client
        .add_user(&new_user("gina", &[ProxyType::Vmess]))
        .await
        .expect("add");
    assert_eq!(user.links.len(), 1, "the disabled host gives no link");
    let b64 = user.links[0].trim_start_matches("vmess://");
    let json = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("vmess b64");
    let json: serde_json::Value = serde_json::from_slice(&json).expect("vmess json");
    assert_eq!(json["add"], "cdn.example.org");
    assert_eq!(json["port"], 8443);

    // Remarks are Python format strings: a lone brace is refused field by field.
    let mut broken = client.get_hosts().await.expect("hosts");
    if let Some(list) = broken.get_mut("VLESS TCP") {
        list[0].remark = "{USERNAME".into();
    }
    match client.modify_hosts(&broken).await {
        Err(PanelError::Validation { fields }) => {
            assert_eq!(fields[0].field, "remark");
            assert_eq!(fields[0].message, "Invalid formatting variables");
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    let core = client.get_core_stats().await.expect("core");
    assert!(core.started);
    client.restart_core().await.expect("restart");
    assert_eq!(sim.core_restarts(), 1);

    let mut config = client.get_core_config().await.expect("config");
    let list = config["inbounds"].as_array_mut().expect("inbounds array");
    list.push(
        serde_json::json!({"tag": "TROJAN WS", "port": 20006, "protocol": "trojan",
        "settings": {"clients": []},
        "streamSettings": {"network": "ws", "wsSettings": {"path": "/tr"}}}),
    );
    client
        .modify_core_config(&config)
        .await
        .expect("modify config");
    assert_eq!(client.get_core_config().await.expect("config"), config);
    let inbounds = client.get_inbounds().await.expect("inbounds");
    assert_eq!(inbounds[&ProxyType::Trojan].len(), 2);
    assert_eq!(sim.core_restarts(), 2);
    assert!(matches!(
        client
            .modify_core_config(&serde_json::json!({"log": {}}))
            .await,
        Err(PanelError::BadRequest { .. })
    ));
}
