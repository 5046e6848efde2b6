//! The Pterodactyl client against the Pterodactyl simulator: every method, with the state it
//! changed read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use paneldeck_panels::{
    pterodactyl::{
        Permission, PermissionGroup, PermissionSet, PterodactylClient, ServerIdentifier,
        SubuserUuid,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};

fn token(sim: &RunningSim) -> String {
    match &sim.credentials {
        SimCredentials::Token { token } => token.clone(),
        other => panic!("unexpected credentials {other:?}"),
    }
}

fn client(url: &str, key: &str) -> PterodactylClient {
    let http = HttpClient::new(PanelKind::Pterodactyl, Endpoint::parse(url).expect("url"))
        .expect("http client");
    PterodactylClient::new(http, Secret::new(key))
}

async fn start(accounts: usize, groups: usize) -> (RunningSim, PterodactylClient) {
    let opts = SimOptions {
        seed: 11,
        accounts,
        groups,
        ..SimOptions::default()
    };
    let sim = paneldeck_sim::start_local(SimKind::Pterodactyl, opts)
        .await
        .expect("sim");
    let c = client(&sim.url(), &token(&sim));
    (sim, c)
}

async fn first_server(c: &PterodactylClient) -> ServerIdentifier {
    c.list_servers().await.expect("servers")[0]
        .identifier
        .clone()
}

fn perms(ps: &[Permission]) -> PermissionSet {
    ps.iter().copied().collect()
}

#[tokio::test]
async fn probe_names_the_key_owner() {
    let (sim, c) = start(2, 1).await;
    let info = c.probe().await.expect("probe");
    assert!(
        info.summary.contains("admin@paneldeck.test"),
        "{}",
        info.summary
    );
    assert!(token(&sim).starts_with("ptlc_"));
}

#[tokio::test]
async fn list_servers_walks_every_page() {
    let (_sim, c) = start(0, 130).await;
    let (page, pagination) = c.list_servers_page(2, 50).await.expect("page 2");
    let pagination = pagination.expect("pagination");
    assert_eq!(
        (page.len(), pagination.total, pagination.total_pages),
        (50, 130, 3)
    );
    let all = c.list_servers().await.expect("all");
    let ids: BTreeSet<_> = all.iter().map(|s| s.identifier.clone()).collect();
    assert_eq!(ids.len(), 130);
    assert!(all.iter().all(|s| s.owned));
}

#[tokio::test]
async fn list_permissions_covers_every_known_key_in_group_order() {
    let (_sim, c) = start(0, 1).await;
    let catalog = c.list_permissions().await.expect("permissions");
    let groups: Vec<_> = catalog.groups.iter().map(|g| g.group).collect();
    let expected: Vec<_> = PermissionGroup::ALL.into_iter().map(Some).collect();
    assert_eq!(groups, expected);
    let known: Vec<Permission> = catalog.keys().filter_map(|k| k.permission).collect();
    assert_eq!(known, Permission::ALL.to_vec());
    assert!(catalog.keys().all(|k| !k.description.is_empty()));
    assert!(catalog.groups.iter().all(|g| !g.description.is_empty()));
}

#[tokio::test]
async fn list_subusers_sees_the_seeded_spread() {
    let (_sim, c) = start(10, 3).await;
    let mut total = 0;
    for server in c.list_servers().await.expect("servers") {
        let subs = c.list_subusers(&server.identifier).await.expect("subusers");
        assert!(subs
            .iter()
            .all(|s| s.permissions.contains(Permission::WebsocketConnect)));
        assert!(subs.iter().all(|s| s.unknown_permissions.is_empty()));
        total += subs.len();
    }
    assert_eq!(total, 10);
}

#[tokio::test]
async fn create_get_and_list_agree() {
    let (_sim, c) = start(2, 2).await;
    let server = first_server(&c).await;
    let wanted = perms(&[Permission::ControlConsole, Permission::FileRead]);
    let created = c
        .create_subuser(&server, "new.person@example.com", &wanted)
        .await
        .expect("create");
    let mut with_ws = wanted.clone();
    with_ws.insert(Permission::WebsocketConnect);
    assert_eq!(
        created.permissions, with_ws,
        "the panel adds websocket.connect"
    );
    assert_eq!(created.email, "new.person@example.com");

    let got = c.get_subuser(&server, &created.uuid).await.expect("get");
    assert_eq!(got, created);
    let listed = c.list_subusers(&server).await.expect("list");
    assert!(listed.contains(&created));
}

#[tokio::test]
async fn create_rejects_owner_duplicates_and_bad_emails() {
    let (_sim, c) = start(0, 2).await;
    let server = first_server(&c).await;
    let p = perms(&[Permission::ControlStart]);
    c.create_subuser(&server, "twice@example.com", &p)
        .await
        .expect("first");
    assert!(matches!(
        c.create_subuser(&server, "twice@example.com", &p).await,
        Err(PanelError::Conflict { .. })
    ));
    assert!(matches!(
        c.create_subuser(&server, "admin@paneldeck.test", &p).await,
        Err(PanelError::BadRequest { .. })
    ));
    match c.create_subuser(&server, "not-an-email", &p).await {
        Err(PanelError::Validation { fields }) => assert_eq!(fields[0].field, "email"),
        other => panic!("expected validation, got {other:?}"),
    }
    assert!(matches!(
        c.create_subuser(&ServerIdentifier("nope0000".into()), "x@example.com", &p)
            .await,
        Err(PanelError::NotFound { .. })
    ));
    assert_eq!(c.list_subusers(&server).await.expect("list").len(), 1);
}

#[tokio::test]
async fn an_existing_account_is_reused_on_another_server() {
    let (_sim, c) = start(0, 2).await;
    let servers = c.list_servers().await.expect("servers");
    let p = perms(&[Permission::BackupRead]);
    let a = c
        .create_subuser(&servers[0].identifier, "shared@example.com", &p)
        .await
        .expect("a");
    let b = c
        .create_subuser(&servers[1].identifier, "SHARED@example.com", &p)
        .await
        .expect("b");
    assert_eq!(a.uuid, b.uuid);
    assert_eq!(a.username, b.username);
}

#[tokio::test]
async fn update_replaces_the_whole_list() {
    let (_sim, c) = start(0, 1).await;
    let server = first_server(&c).await;
    let created = c
        .create_subuser(
            &server,
            "u@example.com",
            &perms(&[Permission::FileRead, Permission::FileUpdate]),
        )
        .await
        .expect("create");
    let updated = c
        .update_subuser(
            &server,
            &created.uuid,
            &perms(&[Permission::DatabaseViewPassword]),
        )
        .await
        .expect("update");
    let back = c.get_subuser(&server, &created.uuid).await.expect("get");
    assert_eq!(back, updated);
    assert_eq!(
        back.permissions,
        perms(&[
            Permission::DatabaseViewPassword,
            Permission::WebsocketConnect
        ])
    );
    assert!(matches!(
        c.update_subuser(
            &server,
            &SubuserUuid("missing".into()),
            &PermissionSet::all()
        )
        .await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn delete_removes_the_subuser() {
    let (_sim, c) = start(3, 1).await;
    let server = first_server(&c).await;
    let before = c.list_subusers(&server).await.expect("list");
    let victim = before[1].uuid.clone();
    c.delete_subuser(&server, &victim).await.expect("delete");
    let after = c.list_subusers(&server).await.expect("list");
    assert_eq!(after.len(), before.len() - 1);
    assert!(after.iter().all(|s| s.uuid != victim));
    assert!(matches!(
        c.get_subuser(&server, &victim).await,
        Err(PanelError::NotFound { .. })
    ));
    assert!(matches!(
        c.delete_subuser(&server, &victim).await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized() {
    let (sim, _) = start(1, 1).await;
    let c = client(&sim.url(), "ptlc_wrong");
    assert!(matches!(
        c.probe().await,
        Err(PanelError::Unauthorized { .. })
    ));
    // An application key gets a hint about which kind of key is needed.
    let app_key = client(&sim.url(), "ptla_0123456789");
    match app_key.probe().await {
        Err(PanelError::Unauthorized { message }) => {
            assert!(message.contains("application API key"), "{message}")
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}
