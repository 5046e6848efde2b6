//! The user-pass client against the user-pass simulator: every method, with the state it
//! changed read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{net::SocketAddr, sync::Arc};

use paneldeck_panels::{
    userpass::{
        ListParams, NewSubUser, OrderBy, SortBy, SubUser, SubUserStatus, SubUserUpdate,
        UserpassClient,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    userpass::KeyPlacement, RunningSim, SimCredentials, SimKind, SimOptions, SimStats,
};

fn opts(accounts: usize) -> SimOptions {
    SimOptions {
        accounts,
        seed: 7,
        ..SimOptions::default()
    }
}

fn api_key(sim: &RunningSim) -> String {
    match &sim.credentials {
        SimCredentials::ApiKey { api_key } => api_key.clone(),
        other => panic!("unexpected credentials {other:?}"),
    }
}

fn client(url: &str, key: &str, in_query: bool) -> UserpassClient {
    let http = HttpClient::new(PanelKind::Userpass, Endpoint::parse(url).expect("url"))
        .expect("http client");
    UserpassClient::new(http, Secret::new(key), in_query)
}

async fn start(accounts: usize) -> (RunningSim, UserpassClient) {
    let sim = paneldeck_sim::start_local(SimKind::Userpass, opts(accounts))
        .await
        .expect("sim");
    let c = client(&sim.url(), &api_key(&sim), false);
    (sim, c)
}

fn new_sub(name: &str) -> NewSubUser {
    NewSubUser {
        user_name: name.into(),
        password: Secret::new("pass_123"),
        status: SubUserStatus::Active,
        note: Some("This is Sub User 1".into()),
        usage_cap_bytes: Some(1_000_000_000),
        ip_usage_cap: None,
    }
}

async fn by_name(c: &UserpassClient, name: &str) -> Option<SubUser> {
    c.find_by_name(name).await.expect("find")
}

#[tokio::test]
async fn probe_counts_the_sub_users() {
    let (_sim, c) = start(7).await;
    let info = c.probe().await.expect("probe");
    assert!(info.summary.contains("7 sub-users"), "{}", info.summary);
}

#[tokio::test]
async fn get_list_pages_sorts_and_searches() {
    let (_sim, c) = start(45).await;
    let first = c.get_list(&ListParams::default()).await.expect("list");
    assert_eq!(
        (first.items.len(), first.total_items, first.total_pages),
        (30, 45, 2)
    );
    // Default order: id descending.
    assert!(first.items.windows(2).all(|w| w[0].id > w[1].id));

    let last = c
        .get_list(&ListParams {
            limit: Some(10),
            page: Some(5),
            ..ListParams::default()
        })
        .await
        .expect("page 5");
    assert_eq!((last.items.len(), last.total_pages), (5, 5));

    let by_name_asc = c
        .get_list(&ListParams {
            limit: Some(100),
            sort_by: Some(SortBy::UserName),
            order_by: Some(OrderBy::Asc),
            ..ListParams::default()
        })
        .await
        .expect("sorted");
    assert!(by_name_asc
        .items
        .windows(2)
        .all(|w| w[0].user_name <= w[1].user_name));

    let needle = first.items[3].user_name[..4].to_owned();
    let found = c
        .get_list(&ListParams {
            keyword: Some(needle.clone()),
            limit: Some(100),
            ..ListParams::default()
        })
        .await
        .expect("search");
    assert!(found.total_items >= 1);
    assert!(found.items.iter().all(|s| s.user_name.contains(&needle)));
}

#[tokio::test]
async fn get_list_all_fetches_every_page() {
    let (_sim, c) = start(250).await;
    let all = c.get_list_all(&ListParams::default()).await.expect("all");
    let mut ids: Vec<u64> = all.iter().map(|s| s.id.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 250);
}

#[tokio::test]
async fn create_is_read_back_and_names_are_unique() {
    let (_sim, c) = start(3).await;
    let created = c.create(&new_sub("user_1")).await.expect("create");
    let back = by_name(&c, "user_1").await.expect("listed");
    assert_eq!(back, created);
    assert_eq!(back.password.expose(), "pass_123");
    assert_eq!(back.status, SubUserStatus::Active);
    assert_eq!(back.usage_cap_bytes, Some(1_000_000_000));
    assert_eq!(back.ip_usage_cap, None, "-1 on the wire is unlimited");
    assert_eq!(back.note.as_deref(), Some("This is Sub User 1"));
    assert_eq!(back.data_used_bytes, 0);

    match c.create(&new_sub("USER_1")).await {
        Err(PanelError::Api { message, .. }) => assert!(message.contains("already been taken")),
        other => panic!("expected a duplicate-name error, got {other:?}"),
    }
    let all = c.get_list_all(&ListParams::default()).await.expect("all");
    assert_eq!(all.len(), 4, "the duplicate was not stored");
}

#[tokio::test]
async fn update_changes_are_read_back() {
    let (_sim, c) = start(3).await;
    let created = c.create(&new_sub("to_change")).await.expect("create");
    let mut change = SubUserUpdate::keep(&created);
    change.user_name = Some("changed".into());
    change.password = Secret::new("n3w-pass");
    change.status = SubUserStatus::Disabled;
    change.note = Some("moved to plan B".into());
    change.usage_cap_bytes = None;
    change.ip_usage_cap = Some(250);
    c.update(&change).await.expect("update");

    assert!(by_name(&c, "to_change").await.is_none());
    let back = by_name(&c, "changed").await.expect("renamed");
    assert_eq!(back.id, created.id);
    assert_eq!(back.password.expose(), "n3w-pass");
    assert_eq!(back.status, SubUserStatus::Disabled);
    assert_eq!(back.note.as_deref(), Some("moved to plan B"));
    assert_eq!(back.usage_cap_bytes, None);
    assert_eq!(back.ip_usage_cap, Some(250));

    // A rename onto another sub-user's name is refused and changes nothing.
    let other = c.create(&new_sub("taken")).await.expect("create");
    let mut clash = SubUserUpdate::keep(&other);
    clash.user_name = Some("changed".into());
    assert!(matches!(
        c.update(&clash).await,
        Err(PanelError::Api { .. })
    ));
    assert!(by_name(&c, "taken").await.is_some());

    let mut ghost = SubUserUpdate::keep(&back);
    ghost.id.0 = 999_999;
    assert!(matches!(
        c.update(&ghost).await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn delete_removes_the_sub_user() {
    let (_sim, c) = start(2).await;
    let created = c.create(&new_sub("short_lived")).await.expect("create");
    c.delete(created.id).await.expect("delete");
    assert!(by_name(&c, "short_lived").await.is_none());
    assert_eq!(
        c.get_list_all(&ListParams::default())
            .await
            .expect("all")
            .len(),
        2
    );
    assert!(matches!(
        c.delete(created.id).await,
        Err(PanelError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized() {
    let (sim, _) = start(2).await;
    let c = client(&sim.url(), "not-the-key", false);
    assert!(matches!(
        c.probe().await,
        Err(PanelError::Unauthorized { .. })
    ));
}

#[tokio::test]
async fn key_in_query_reaches_a_provider_that_ignores_the_header() {
    let o = opts(4);
    let stats = Arc::new(SimStats::default());
    let (app, state) =
        paneldeck_sim::userpass::app_with(&o, stats.clone(), KeyPlacement::QueryOnly);
    let key = state.api_key.clone();
    let sim = paneldeck_sim::serve(
        SimKind::Userpass,
        app,
        &o,
        stats,
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .expect("serve");
    let header = client(&sim.url(), &key, false);
    assert!(matches!(
        header.probe().await,
        Err(PanelError::Unauthorized { .. })
    ));
    let query = client(&sim.url(), &key, true);
    let created = query.create(&new_sub("via_query")).await.expect("create");
    assert_eq!(
        query
            .find_by_name("via_query")
            .await
            .expect("find")
            .map(|s| s.id),
        Some(created.id)
    );
}
