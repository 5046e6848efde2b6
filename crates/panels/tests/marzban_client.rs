//! Every `MarzbanClient` route against the simulated Marzban, asserting the change each call
//! made by reading it back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeMap, time::Duration};

use base64::Engine as _;
use paneldeck_panels::{
    marzban::{
        ClientType, ExpiredRange, MarzbanClient, ProxySettings, ProxyType, UsageRange, UserCreate,
        UserModify, UserSortField, UserStatus, UserStatusCreate, UserStatusModify, UsersQuery,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    marzban::{start_with_ttl, MarzbanSim},
    RunningSim, SimCredentials, SimOptions,
};

const GB: u64 = 1 << 30;

async fn setup(accounts: usize) -> (RunningSim, MarzbanSim, MarzbanClient) {
    setup_as(None, accounts).await
}

/// A simulator playing `version` (None: its default, 0.8.4).
async fn setup_as(
    version: Option<&str>,
    accounts: usize,
) -> (RunningSim, MarzbanSim, MarzbanClient) {
    let opts = SimOptions {
        accounts,
        seed: 7,
        panel_version: version.map(str::to_owned),
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

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[tokio::test]
async fn probe_reports_version_and_admin() {
    let (_sim, _h, old) = setup_as(Some("0.4.9"), 0).await;
    let info = old.probe().await.expect("probe");
    assert_eq!(info.version.as_deref(), Some("0.4.9"));
    let (_sim, _h, client) = setup(3).await;
    let info = client.probe().await.expect("probe");
    assert_eq!(info.version.as_deref(), Some("0.8.4"));
    assert!(
        info.summary.contains("admin (sudo admin)"),
        "{}",
        info.summary
    );
    assert!(info.summary.contains("3 users"), "{}", info.summary);
    assert_eq!(client.login_count(), 1);
}

#[tokio::test]
async fn user_crud_round_trip() {
    let (_sim, _h, client) = setup(0).await;
    let mut create = new_user("alice", &[ProxyType::Vless, ProxyType::Vmess]);
    create
        .inbounds
        .insert(ProxyType::Vless, vec!["VLESS TCP".into()]);
    create.data_limit_bytes = Some(10 * GB);
    create.note = Some("first".into());
    let created = client.add_user(&create).await.expect("add");
    assert_eq!(created.status, UserStatus::Active);
    assert_eq!(created.data_limit_bytes, Some(10 * GB));
    assert_eq!(
        created.expire_utc_secs, None,
        "expire 0/absent reads back as None"
    );
    assert_eq!(
        created.inbounds[&ProxyType::Vless],
        vec!["VLESS TCP".to_owned()]
    );
    assert_eq!(
        created.excluded_inbounds[&ProxyType::Vless],
        vec!["VLESS TCP REALITY".to_owned()]
    );
    assert_eq!(
        created.inbounds[&ProxyType::Vmess],
        vec!["VMESS WS".to_owned()]
    );
    assert_eq!(created.links.len(), 2, "one VLESS TCP link, one VMess link");
    let vless_id = created.proxies[&ProxyType::Vless]
        .id
        .clone()
        .expect("uuid generated");
    assert!(created
        .links
        .iter()
        .any(|l| l.starts_with(&format!("vless://{vless_id}@"))));

    let fetched = client.get_user("alice").await.expect("get");
    assert_eq!(fetched.proxies, created.proxies);
    assert_eq!(fetched.note.as_deref(), Some("first"));

    let expire = now_secs() + 86_400;
    let change = UserModify {
        data_limit_bytes: Some(0),
        expire_utc_secs: Some(expire),
        note: Some("modified".into()),
        status: Some(UserStatusModify::Disabled),
        ..UserModify::default()
    };
    client.modify_user("alice", &change).await.expect("modify");
    let after = client.get_user("alice").await.expect("get after modify");
    assert_eq!(after.data_limit_bytes, None, "data_limit 0 = unlimited");
    assert_eq!(after.expire_utc_secs, Some(expire));
    assert_eq!(after.note.as_deref(), Some("modified"));
    assert_eq!(after.status, UserStatus::Disabled);
    assert_eq!(after.proxies, created.proxies, "absent proxies = no change");

    // Sending `vless: {}` regenerates the UUID; a new protocol gets all its inbounds.
    let change = UserModify {
        proxies: Some(proxies(&[ProxyType::Vless, ProxyType::Trojan])),
        status: Some(UserStatusModify::Active),
        ..UserModify::default()
    };
    let after = client
        .modify_user("alice", &change)
        .await
        .expect("modify proxies");
    assert_ne!(
        after.proxies[&ProxyType::Vless].id.as_deref(),
        Some(vless_id.as_str())
    );
    assert!(!after.proxies.contains_key(&ProxyType::Vmess));
    assert_eq!(
        after.inbounds[&ProxyType::Trojan],
        vec!["TROJAN TCP".to_owned()]
    );
    assert_eq!(after.status, UserStatus::Active);

    client.remove_user("alice").await.expect("remove");
    match client.get_user("alice").await {
        Err(PanelError::NotFound { message }) => assert_eq!(message, "User not found"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_input_arrives_as_typed_errors() {
    let (_sim, _h, client) = setup(0).await;
    match client
        .add_user(&new_user("a b!", &[ProxyType::Vless]))
        .await
    {
        Err(PanelError::Validation { fields }) => {
            assert_eq!(fields.len(), 1);
            assert_eq!(fields[0].field, "username");
            assert!(fields[0].message.contains("3 to 32 characters"));
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    let mut bad_tag = new_user("bob", &[ProxyType::Vless]);
    bad_tag
        .inbounds
        .insert(ProxyType::Vless, vec!["NOPE".into()]);
    match client.add_user(&bad_tag).await {
        Err(PanelError::Validation { fields }) => {
            assert_eq!(fields[0].field, "inbounds");
            assert_eq!(fields[0].message, "Inbound NOPE doesn't exist");
        }
        other => panic!("expected Validation, got {other:?}"),
    }
    match client.add_user(&new_user("bob", &[])).await {
        Err(PanelError::Validation { fields }) => assert_eq!(fields[0].field, "proxies"),
        other => panic!("expected Validation, got {other:?}"),
    }
    let mut on_hold = new_user("bob", &[ProxyType::Vless]);
    on_hold.status = Some(UserStatusCreate::OnHold);
    match client.add_user(&on_hold).await {
        Err(PanelError::Validation { fields }) => assert_eq!(fields[0].field, "status"),
        other => panic!("expected Validation, got {other:?}"),
    }
    client
        .add_user(&new_user("bob", &[ProxyType::Vless]))
        .await
        .expect("add");
    assert!(matches!(
        client.add_user(&new_user("bob", &[ProxyType::Vless])).await,
        Err(PanelError::Conflict { .. })
    ));
    assert_eq!(
        client
            .get_users(&UsersQuery::default())
            .await
            .expect("list")
            .total,
        1
    );
    assert!(matches!(
        client.modify_user("nobody", &UserModify::default()).await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn traffic_limits_resets_and_usage() {
    let (_sim, sim, client) = setup(0).await;
    let mut create = new_user("carol", &[ProxyType::Trojan, ProxyType::Shadowsocks]);
    create.data_limit_bytes = Some(1000);
    client.add_user(&create).await.expect("add");
    assert!(sim.add_traffic("carol", 1500, None));
    let limited = client.get_user("carol").await.expect("get");
    assert_eq!(limited.status, UserStatus::Limited);
    assert_eq!(limited.used_traffic_bytes, 1500);
    assert!(limited.online_at.is_some());
    let usage = client
        .get_user_usage("carol", &UsageRange::default())
        .await
        .expect("usage");
    assert_eq!(usage.usages[0].node_name, "Master");
    assert_eq!(usage.usages[0].node_id, None);
    assert_eq!(usage.usages[0].used_traffic_bytes, 1500);

    let reset = client.reset_user_data_usage("carol").await.expect("reset");
    assert_eq!(reset.status, UserStatus::Active);
    assert_eq!(reset.used_traffic_bytes, 0);
    assert_eq!(reset.lifetime_used_traffic_bytes, 1500);

    // Raising the limit above the usage re-activates a limited user.
    sim.add_traffic("carol", 1200, None);
    assert_eq!(
        client.get_user("carol").await.expect("get").status,
        UserStatus::Limited
    );
    let change = UserModify {
        data_limit_bytes: Some(5000),
        ..UserModify::default()
    };
    let raised = client.modify_user("carol", &change).await.expect("raise");
    assert_eq!(raised.status, UserStatus::Active);

    client.reset_users_data_usage().await.expect("reset all");
    let after = client.get_user("carol").await.expect("get");
    assert_eq!(after.used_traffic_bytes, 0);
    // 0.4.9 clears the reset logs here too: lifetime traffic starts over.
    assert_eq!(after.lifetime_used_traffic_bytes, 0);
    let usage = client
        .get_user_usage(
            "carol",
            &UsageRange {
                start_utc_secs: Some(0),
                end_utc_secs: Some(now_secs()),
            },
        )
        .await
        .expect("usage");
    assert_eq!(usage.usages[0].used_traffic_bytes, 0);
}

#[tokio::test]
async fn on_hold_user_starts_on_first_traffic() {
    let (_sim, sim, client) = setup(0).await;
    let mut create = new_user("dave", &[ProxyType::Vless]);
    create.status = Some(UserStatusCreate::OnHold);
    create.on_hold_expire_duration_secs = Some(86_400);
    let user = client.add_user(&create).await.expect("add");
    assert_eq!(user.status, UserStatus::OnHold);
    assert_eq!(user.expire_utc_secs, None);
    sim.add_traffic("dave", 10, None);
    let user = client.get_user("dave").await.expect("get");
    assert_eq!(user.status, UserStatus::Active);
    let expire = user.expire_utc_secs.expect("expiry started");
    assert!((expire - now_secs() - 86_400).abs() <= 5);
    // An expiry in the past makes the user expired at once.
    let change = UserModify {
        expire_utc_secs: Some(now_secs() - 10),
        ..UserModify::default()
    };
    let user = client.modify_user("dave", &change).await.expect("modify");
    assert_eq!(user.status, UserStatus::Expired);
}

#[tokio::test]
async fn subscription_formats_revocation_and_info() {
    let (_sim, sim, client) = setup(0).await;
    let mut create = new_user("erin", &[ProxyType::Vless, ProxyType::Vmess]);
    create.data_limit_bytes = Some(5 * GB);
    create.expire_utc_secs = Some(4_102_444_800);
    let user = client.add_user(&create).await.expect("add");
    sim.add_traffic("erin", 4096, None);
    let token = user.subscription_token().expect("token").to_owned();

    let sub = client.user_subscription(&token, None).await.expect("sub");
    assert!(sub.content_type.starts_with("text/plain"));
    let text = base64::engine::general_purpose::STANDARD
        .decode(sub.body.trim())
        .expect("base64 body");
    let text = String::from_utf8(text).expect("utf8");
    assert_eq!(text.lines().count(), user.links.len());
    assert_eq!(text.lines().next(), user.links.first().map(String::as_str));
    let info = sub.userinfo.expect("subscription-userinfo");
    assert_eq!(info.download_bytes, 4096);
    assert_eq!(info.total_bytes, 5 * GB);
    assert_eq!(info.expire_utc_secs, 4_102_444_800);

    let yaml = client
        .user_subscription(&token, Some("clash-verge/1.3"))
        .await
        .expect("clash");
    assert!(yaml.content_type.starts_with("text/yaml"));
    assert!(yaml.body.contains("type: vless") && yaml.body.contains("type: vmess"));
    let sb = client
        .user_subscription_with_client_type(&token, ClientType::SingBox)
        .await
        .expect("sing-box");
    let doc: serde_json::Value = serde_json::from_str(&sb.body).expect("json");
    assert!(doc["outbounds"].as_array().is_some_and(|o| o.len() >= 4));

    let seen = client.user_subscription_info(&token).await.expect("info");
    assert_eq!(seen.username, "erin");
    // Only the plain route records the fetch (not `/{client_type}`): the Clash one was last.
    assert_eq!(seen.sub_last_user_agent.as_deref(), Some("clash-verge/1.3"));
    assert!(seen.sub_updated_at.is_some());
    let usage = client
        .user_get_usage(&token, &UsageRange::default())
        .await
        .expect("sub usage");
    assert_eq!(usage.usages[0].used_traffic_bytes, 4096);

    let revoked = client
        .revoke_user_subscription("erin")
        .await
        .expect("revoke");
    assert_ne!(
        revoked.proxies[&ProxyType::Vless].id,
        user.proxies[&ProxyType::Vless].id
    );
    assert_ne!(
        revoked.proxies[&ProxyType::Vmess].id,
        user.proxies[&ProxyType::Vmess].id
    );
    assert!(matches!(
        client.user_subscription(&token, None).await,
        Err(PanelError::NotFound { .. })
    ));
    let fresh = revoked.subscription_token().expect("new token");
    let sub = client
        .user_subscription(fresh, None)
        .await
        .expect("new sub");
    assert!(!sub.body.is_empty());
}

#[tokio::test]
async fn list_filters_sorts_and_pages() {
    let (_sim, _h, client) = setup(30).await;
    let all = client.get_users(&UsersQuery::default()).await.expect("all");
    assert_eq!(all.total, 30);
    assert_eq!(all.users.len(), 30);
    let page = client
        .get_users(&UsersQuery {
            offset: Some(5),
            limit: Some(5),
            ..UsersQuery::default()
        })
        .await
        .expect("page");
    assert_eq!(page.total, 30);
    let names: Vec<_> = page.users.iter().map(|u| u.username.clone()).collect();
    let expected: Vec<_> = all.users[5..10]
        .iter()
        .map(|u| u.username.clone())
        .collect();
    assert_eq!(names, expected);

    let sorted = client
        .get_users(&UsersQuery {
            sort: vec![(UserSortField::UsedTraffic, true)],
            ..UsersQuery::default()
        })
        .await
        .expect("sorted");
    assert!(sorted
        .users
        .windows(2)
        .all(|w| w[0].used_traffic_bytes >= w[1].used_traffic_bytes));

    let active = client
        .get_users(&UsersQuery {
            status: Some(UserStatus::Active),
            ..UsersQuery::default()
        })
        .await
        .expect("active");
    assert!(active.total > 0 && active.total < 30);
    assert!(active.users.iter().all(|u| u.status == UserStatus::Active));

    let picked = client
        .get_users(&UsersQuery {
            usernames: vec![all.users[3].username.clone(), all.users[7].username.clone()],
            ..UsersQuery::default()
        })
        .await
        .expect("by name");
    assert_eq!(picked.total, 2);
}

#[tokio::test]
async fn expired_users_are_listed_and_deleted() {
    let (_sim, _h, client) = setup(0).await;
    let past = now_secs() - 3600;
    for name in ["old1", "old2"] {
        let mut u = new_user(name, &[ProxyType::Vless]);
        u.expire_utc_secs = Some(past);
        client.add_user(&u).await.expect("add");
    }
    client
        .add_user(&new_user("fresh", &[ProxyType::Vless]))
        .await
        .expect("add");
    assert_eq!(
        client.get_user("old1").await.expect("get").status,
        UserStatus::Expired
    );
    let range = ExpiredRange {
        expired_after_utc_secs: Some(past - 60),
        expired_before_utc_secs: None,
    };
    let mut expired = client.get_expired_users(&range).await.expect("expired");
    expired.sort();
    assert_eq!(expired, vec!["old1".to_owned(), "old2".to_owned()]);
    let none = ExpiredRange {
        expired_after_utc_secs: None,
        expired_before_utc_secs: Some(past - 60),
    };
    assert!(client
        .get_expired_users(&none)
        .await
        .expect("none")
        .is_empty());
    let deleted = client.delete_expired_users(&range).await.expect("delete");
    assert_eq!(deleted.len(), 2);
    let left = client
        .get_users(&UsersQuery::default())
        .await
        .expect("list");
    assert_eq!(left.total, 1);
    assert_eq!(left.users[0].username, "fresh");
}

/// A create that picks no inbounds gets every inbound, with links, on both versions: the
/// client always sends `inbounds` (0.8.4 keeps a user off every inbound when the key is
/// missing; NOTES.md, measured table).
#[tokio::test]
async fn a_create_without_chosen_inbounds_gets_every_inbound_on_every_version() {
    for version in ["0.4.9", "0.8.4"] {
        let (_sim, _h, client) = setup_as(Some(version), 0).await;
        let user = client
            .add_user(&new_user(
                "everywhere",
                &[ProxyType::Vless, ProxyType::Trojan],
            ))
            .await
            .expect("add");
        assert_eq!(
            user.inbounds[&ProxyType::Vless],
            vec!["VLESS TCP".to_owned(), "VLESS TCP REALITY".to_owned()],
            "{version}"
        );
        assert_eq!(user.inbounds[&ProxyType::Trojan].len(), 1, "{version}");
        assert_eq!(user.links.len(), 3, "{version}");
    }
}

/// 0.8.4's list filters: `username` is exact, `search` the substring (NOTES.md).
#[tokio::test]
async fn the_0_8_4_username_filter_is_exact_and_search_is_the_substring() {
    let (_sim, _h, client) = setup_as(Some("0.8.4"), 0).await;
    for name in ["beh_p1", "beh_p10"] {
        client
            .add_user(&new_user(name, &[ProxyType::Vless]))
            .await
            .expect("add");
    }
    let exact = UsersQuery {
        usernames: vec!["beh_p1".into()],
        ..UsersQuery::default()
    };
    assert_eq!(client.get_users(&exact).await.expect("list").total, 1);
    let search = UsersQuery {
        search: Some("beh_p".into()),
        ..UsersQuery::default()
    };
    assert_eq!(client.get_users(&search).await.expect("list").total, 2);
}

/// Behaviours of the real 0.4.9 code the simulator keeps (see docs/panels/marzban.md).
#[tokio::test]
async fn real_server_quirks_are_kept() {
    let (_sim, _h, client) = setup_as(Some("0.4.9"), 0).await;
    // Usernames are unique and found case-insensitively (the column is NOCASE).
    client
        .add_user(&new_user("Alice", &[ProxyType::Vless, ProxyType::Trojan]))
        .await
        .expect("add");
    assert_eq!(
        client.get_user("ALICE").await.expect("get").username,
        "Alice"
    );
    assert!(matches!(
        client
            .add_user(&new_user("alice", &[ProxyType::Vless]))
            .await,
        Err(PanelError::Conflict { .. })
    ));
    // One `username` filter is a substring search, several an exact list.
    client
        .add_user(&new_user("bob", &[ProxyType::Vless]))
        .await
        .expect("add");
    let one = UsersQuery {
        usernames: vec!["LIC".into()],
        ..UsersQuery::default()
    };
    assert_eq!(client.get_users(&one).await.expect("list").total, 1);
    let exact = UsersQuery {
        usernames: vec!["lic".into(), "bob".into()],
        ..UsersQuery::default()
    };
    assert_eq!(
        client.get_users(&exact).await.expect("list").users[0].username,
        "bob"
    );

    // On modify, an empty tag list keeps a protocol off every inbound.
    let mut inbounds = BTreeMap::new();
    inbounds.insert(ProxyType::Trojan, Vec::new());
    let change = UserModify {
        inbounds: Some(inbounds),
        ..UserModify::default()
    };
    let user = client.modify_user("alice", &change).await.expect("modify");
    assert!(user.inbounds[&ProxyType::Trojan].is_empty());
    assert_eq!(
        user.excluded_inbounds[&ProxyType::Trojan],
        vec!["TROJAN TCP".to_owned()]
    );
    assert!(user.links.iter().all(|l| !l.starts_with("trojan://")));

    // Resetting usage re-activates a disabled user (0.4.9 tests `not in (expired or disabled)`).
    let disable = UserModify {
        status: Some(UserStatusModify::Disabled),
        ..UserModify::default()
    };
    client.modify_user("bob", &disable).await.expect("disable");
    let reset = client.reset_user_data_usage("bob").await.expect("reset");
    assert_eq!(reset.status, UserStatus::Active);

    // A protocol with no inbound on the server is refused with 400.
    let mut config = client.get_core_config().await.expect("config");
    let list = config["inbounds"].as_array_mut().expect("inbounds");
    list.retain(|i| i["protocol"] != "shadowsocks");
    client
        .modify_core_config(&config)
        .await
        .expect("drop shadowsocks");
    match client
        .add_user(&new_user("carol", &[ProxyType::Shadowsocks]))
        .await
    {
        Err(PanelError::BadRequest { message }) => {
            assert_eq!(message, "Protocol shadowsocks is disabled on your server")
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }
    // Inbounds are derived: a new VLESS inbound reaches existing users at once.
    list_push_vless_ws(&mut config);
    client
        .modify_core_config(&config)
        .await
        .expect("add VLESS WS");
    let user = client.get_user("alice").await.expect("get");
    assert!(user.inbounds[&ProxyType::Vless].contains(&"VLESS WS".to_owned()));
}

fn list_push_vless_ws(config: &mut serde_json::Value) {
    if let Some(list) = config["inbounds"].as_array_mut() {
        list.push(
            serde_json::json!({"tag": "VLESS WS", "port": 20007, "protocol": "vless",
            "settings": {"clients": [], "decryption": "none"},
            "streamSettings": {"network": "ws", "wsSettings": {"path": "/vl"}}}),
        );
    }
}
