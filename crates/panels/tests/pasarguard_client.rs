//! `PasarguardClient` against the simulated PasarGuard (itself replayed against a real 5.2.1's
//! transcript): detection, both ways of signing in, users with groups, lists, every bulk route
//! and subscriptions, each change read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_panels::{
    pasarguard::{
        BulkAmount, BulkFilterResult, BulkSetOwner, BulkUsersAction, ClientType, Expire, GroupId,
        PasarguardAuth, PasarguardClient, ProxySettings, ShadowsocksSettings, UserCreate,
        UserModify, UserStatus, UsersQuery,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{start_local, RunningSim, SimCredentials, SimKind, SimOptions};

async fn setup(accounts: usize) -> (RunningSim, PasarguardClient) {
    let opts = SimOptions {
        accounts,
        ..SimOptions::default()
    };
    let sim = start_local(SimKind::Pasarguard, opts)
        .await
        .expect("simulator starts");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("the PasarGuard simulator gives a password");
    };
    let auth = PasarguardAuth::Password {
        username,
        password: Secret::new(password),
    };
    let client = client_for(&sim, auth);
    (sim, client)
}

fn client_for(sim: &RunningSim, auth: PasarguardAuth) -> PasarguardClient {
    let endpoint = Endpoint::parse(&sim.url()).expect("url");
    PasarguardClient::new(
        HttpClient::new(PanelKind::Pasarguard, endpoint).expect("http"),
        auth,
    )
}

fn new_user(name: &str, groups: &[i64]) -> UserCreate {
    UserCreate {
        username: name.to_owned(),
        group_ids: groups.iter().copied().map(GroupId).collect(),
        expire: Some(Expire::AtUtcSecs(4_102_444_800)),
        data_limit_bytes: Some(10 << 30),
        hwid_limit: Some(3),
        ..UserCreate::default()
    }
}

#[tokio::test]
async fn detects_pasarguard_and_signs_in() {
    let (sim, c) = setup(3).await;
    assert_eq!(c.health().await.unwrap().status, "ok");
    assert!(c.detect().await.unwrap());
    let probe = c.probe().await.unwrap();
    assert_eq!(probe.version.as_deref(), Some("5.2.1"));
    assert!(probe.summary.contains("(owner)"), "{}", probe.summary);
    let bad = client_for(&sim, PasarguardAuth::ApiKey(Secret::new("pg_key_nope")));
    assert!(matches!(
        bad.get_current_admin().await,
        Err(PanelError::Unauthorized { .. })
    ));
    let roles = c.get_roles().await.unwrap();
    assert_eq!(
        roles
            .roles
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        ["owner", "administrator", "operator"]
    );
}

#[tokio::test]
async fn users_get_their_groups_iso_expiry_and_absolute_subscription_links() {
    let (_sim, c) = setup(0).await;
    let groups = c.get_groups().await.unwrap();
    assert_eq!(groups.total, 2);
    let created = c.add_user(&new_user("alice", &[1])).await.unwrap();
    assert_eq!(created.group_ids, vec![GroupId(1)]);
    assert_eq!(created.expire.as_deref(), Some("2100-01-01T00:00:00Z"));
    assert_eq!(created.expire_utc_secs(), Some(4_102_444_800));
    assert_eq!(created.hwid_limit, Some(3));
    assert!(created.subscription_url.starts_with("/sub/"));
    let absolute = c.absolute_url(&created.subscription_url);
    assert!(
        absolute.starts_with(c.base_url().as_str()) && absolute.contains("/sub/"),
        "{absolute}"
    );
    // Never a user without groups: refused before anything is sent.
    let no_groups = c.add_user(&new_user("bob", &[])).await;
    assert!(matches!(no_groups, Err(PanelError::Validation { .. })));
    assert!(matches!(
        c.get_user("bob").await,
        Err(PanelError::NotFound { .. })
    ));
    assert!(matches!(
        c.add_user(&new_user("alice", &[1])).await,
        Err(PanelError::Conflict { .. })
    ));
    assert!(matches!(
        c.add_user(&new_user("carol", &[99])).await,
        Err(PanelError::NotFound { .. })
    ));

    let token = created.subscription_token().unwrap().to_owned();
    let links = c.user_links(&token).await.unwrap();
    let uuid = created
        .proxy_settings
        .vless
        .as_ref()
        .and_then(|v| v.id.clone())
        .unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(links
        .iter()
        .all(|l| l.starts_with(&format!("vless://{uuid}@"))));
    let doc = c
        .user_subscription_with_client_type(&token, ClientType::LinksBase64)
        .await
        .unwrap();
    assert_eq!(doc.userinfo.map(|i| i.total_bytes), Some(10 << 30));

    let ss = ProxySettings {
        shadowsocks: Some(ShadowsocksSettings {
            method: Some("aes-256-gcm".into()),
            ..Default::default()
        }),
        ..ProxySettings::default()
    };
    let change = UserModify {
        group_ids: Some(vec![GroupId(2)]),
        proxy_settings: Some(ss),
        note: Some("moved".into()),
        ..UserModify::default()
    };
    let moved = c.modify_user("alice", &change).await.unwrap();
    assert_eq!(moved.group_ids, vec![GroupId(2)]);
    assert_eq!(moved.note.as_deref(), Some("moved"));
    assert_eq!(
        c.user_links(moved.subscription_token().unwrap())
            .await
            .unwrap()
            .len(),
        5
    );

    let revoked = c.revoke_user_subscription("alice").await.unwrap();
    assert_ne!(revoked.proxy_settings.vless, moved.proxy_settings.vless);
    c.remove_user("alice").await.unwrap();
    assert!(matches!(
        c.get_user("alice").await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn every_bulk_route_changes_the_users_it_names() {
    let (_sim, c) = setup(0).await;
    let mut ids = Vec::new();
    for name in ["u-1", "u-2", "u-3"] {
        ids.push(c.add_user(&new_user(name, &[2])).await.unwrap().id);
    }
    let list = c
        .get_users(&UsersQuery {
            load_sub: true,
            ..UsersQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(list.total, 3);
    assert!(list
        .users
        .iter()
        .all(|u| u.subscription_url.starts_with("/sub/")));
    let plain = c.get_users(&UsersQuery::default()).await.unwrap();
    assert!(plain.users.iter().all(|u| u.subscription_url.is_empty()));

    let off = c
        .bulk_users(BulkUsersAction::Disable, &ids[..2])
        .await
        .unwrap();
    assert_eq!(off.count, 2);
    let again = c.bulk_users(BulkUsersAction::Disable, &ids).await.unwrap();
    assert_eq!(again.users, ["u-3"]);
    let on = c.bulk_users(BulkUsersAction::Enable, &ids).await.unwrap();
    assert_eq!(on.count, 3);
    assert_eq!(c.get_user("u-1").await.unwrap().status, UserStatus::Active);
    assert_eq!(
        c.bulk_users(BulkUsersAction::Reset, &ids)
            .await
            .unwrap()
            .count,
        3
    );
    let before = c.get_user("u-1").await.unwrap().proxy_settings;
    c.bulk_users(BulkUsersAction::RevokeSub, &ids[..1])
        .await
        .unwrap();
    assert_ne!(c.get_user("u-1").await.unwrap().proxy_settings, before);

    let day = BulkAmount {
        amount: 86_400,
        users: ids.clone(),
        ..BulkAmount::default()
    };
    let dry = c
        .bulk_expire(&BulkAmount {
            dry_run: true,
            ..day.clone()
        })
        .await
        .unwrap();
    assert!(matches!(
        dry,
        BulkFilterResult::DryRun {
            affected_users: 3,
            ..
        }
    ));
    assert_eq!(c.bulk_expire(&day).await.unwrap().affected(), Some(3));
    assert_eq!(
        c.get_user("u-2").await.unwrap().expire_utc_secs(),
        Some(4_102_444_800 + 86_400)
    );
    let gib = BulkAmount {
        amount: 1 << 30,
        users: ids.clone(),
        ..BulkAmount::default()
    };
    c.bulk_data_limit(&gib).await.unwrap();
    assert_eq!(
        c.get_user("u-3").await.unwrap().data_limit(),
        Some(11 << 30)
    );

    let owner = BulkSetOwner {
        ids: ids[..1].to_vec(),
        admin_username: "admin".into(),
    };
    assert_eq!(c.bulk_set_owner(&owner).await.unwrap().count, 1);
    let gone = c.bulk_users(BulkUsersAction::Delete, &ids).await.unwrap();
    assert_eq!(gone.count, 3);
    assert!(matches!(
        c.bulk_users(BulkUsersAction::Delete, &[]).await,
        Err(PanelError::Validation { .. })
    ));
}
