//! The Marzban client's token life: login once, renew on expiry or 401 (one login for many
//! concurrent 401s), retry a request once only, cached tokens, wrong passwords, non-Marzban URLs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use paneldeck_panels::{
    marzban::{MarzbanClient, ProxySettings, ProxyType, UserCreate, UserModify, UsersQuery},
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    marzban::{start_with_ttl, MarzbanSim},
    RunningSim, SimCredentials, SimKind, SimOptions,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn sim_with_ttl(opts: SimOptions, ttl: Duration) -> (RunningSim, MarzbanSim, String, String) {
    let (sim, handle) = start_with_ttl(opts, ttl).await.expect("simulator starts");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("marzban sim gives a password");
    };
    (sim, handle, username, password)
}

fn client(url: &str, username: &str, password: &str) -> MarzbanClient {
    let http = HttpClient::new(PanelKind::Marzban, Endpoint::parse(url).expect("url"))
        .expect("http client");
    MarzbanClient::new(http, username.to_owned(), Secret::new(password))
}

/// 50 operations over ~2.5 s with a 1 s token lifetime (the `SimOptions` knob): all succeed,
/// and the client logs in once per token lifetime at most, not once per request.
#[tokio::test]
async fn token_expiry_mid_sequence_costs_one_login_per_expiry() {
    let opts = SimOptions {
        accounts: 5,
        token_ttl_secs: 1,
        ..SimOptions::default()
    };
    let ttl = Duration::from_secs(opts.token_ttl_secs);
    let (sim, handle, user, pass) = sim_with_ttl(opts, ttl).await;
    let c = client(&sim.url(), &user, &pass);
    let started = Instant::now();
    let create = UserCreate {
        username: "ttl_user".into(),
        proxies: [(ProxyType::Vless, ProxySettings::default())]
            .into_iter()
            .collect(),
        ..UserCreate::default()
    };
    c.add_user(&create).await.expect("op 0");
    for i in 1..50u32 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let note = format!("note {i}");
        match i % 3 {
            0 => {
                let change = UserModify {
                    note: Some(note.clone()),
                    ..UserModify::default()
                };
                let u = c.modify_user("ttl_user", &change).await.expect("modify");
                assert_eq!(u.note.as_deref(), Some(note.as_str()));
            }
            1 => {
                let list = c.get_users(&UsersQuery::default()).await.expect("list");
                assert_eq!(list.total, 6);
            }
            _ => {
                let u = c.get_user("ttl_user").await.expect("get");
                assert_eq!(u.username, "ttl_user");
            }
        }
    }
    let elapsed = started.elapsed();
    let expiries = (elapsed.as_millis() / ttl.as_millis()) as u64;
    let logins = c.login_count();
    assert!(
        logins >= 2,
        "the token expired at least once ({elapsed:?}), logins {logins}"
    );
    assert!(
        logins <= expiries + 1,
        "{logins} logins for {expiries} expiries in {elapsed:?}"
    );
    assert_eq!(
        handle.logins(),
        logins,
        "server and client agree on the logins"
    );
    assert!(handle.expired_tokens_seen() <= logins);
    assert_eq!(
        c.get_user("ttl_user").await.expect("get").note.as_deref(),
        Some("note 48")
    );
}

/// Twenty concurrent requests that all get 401 (a refused cached token) cause ONE login, and
/// each is sent at most twice.
#[tokio::test]
async fn concurrent_401s_cause_one_login() {
    let (sim, handle, user, pass) =
        sim_with_ttl(SimOptions::default(), Duration::from_secs(600)).await;
    let c = client(&sim.url(), &user, &pass)
        .with_cached_token(Some(Secret::new("refused.cached.token")));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.get_users(&UsersQuery::default()).await })
        })
        .collect();
    for t in tasks {
        let list = t
            .await
            .expect("task")
            .expect("request succeeds after re-login");
        assert_eq!(list.total, 20);
    }
    assert_eq!(c.login_count(), 1, "one login for all twenty 401s");
    assert_eq!(handle.logins(), 1);
    let sent = sim.stats.route_count("GET /api/users");
    assert!((21..=40).contains(&sent), "{sent} requests for 20 calls");
}

/// The same when the token expires under twenty concurrent requests: one new login.
#[tokio::test]
async fn concurrent_requests_after_expiry_cause_one_login() {
    let (sim, handle, user, pass) =
        sim_with_ttl(SimOptions::default(), Duration::from_millis(3000)).await;
    let c = client(&sim.url(), &user, &pass);
    c.get_users(&UsersQuery::default()).await.expect("warm up");
    assert_eq!(c.login_count(), 1);
    // The new token lives 3 s too: time enough for all twenty on a slow machine.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.get_users(&UsersQuery::default()).await })
        })
        .collect();
    for t in tasks {
        let list = t
            .await
            .expect("task")
            .expect("request succeeds after re-login");
        assert_eq!(list.total, 20);
    }
    // Whether the client saw the `exp` claim pass or got 401s, it logged in once more.
    assert_eq!(c.login_count(), 2);
    assert_eq!(handle.logins(), 2);
    assert!(handle.expired_tokens_seen() <= 1);
}

/// A request that gets 401 again after re-logging in fails: one retry, never more.
#[tokio::test]
async fn a_request_is_retried_once_only() {
    let (sim, handle, user, pass) = sim_with_ttl(SimOptions::default(), Duration::ZERO).await;
    let c = client(&sim.url(), &user, &pass);
    match c.get_users(&UsersQuery::default()).await {
        Err(PanelError::Unauthorized { message }) => {
            assert_eq!(message, "Could not validate credentials")
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(c.login_count(), 2, "first login + one re-login");
    assert_eq!(handle.logins(), 2);
    assert_eq!(
        sim.stats.route_count("GET /api/users"),
        2,
        "sent twice, not more"
    );
}

#[tokio::test]
async fn cached_tokens_are_used_then_replaced_when_refused() {
    let (sim, _handle, user, pass) =
        sim_with_ttl(SimOptions::default(), Duration::from_secs(600)).await;
    let first = client(&sim.url(), &user, &pass);
    first.admin_token().await.expect("login");
    let token = first.current_token().expect("token kept");

    let reused = client(&sim.url(), &user, &pass).with_cached_token(Some(token.clone()));
    reused
        .get_current_admin()
        .await
        .expect("cached token works");
    assert_eq!(
        reused.login_count(),
        0,
        "no login with a valid cached token"
    );

    let saved = Arc::new(AtomicU64::new(0));
    let hook_count = saved.clone();
    let stale = client(&sim.url(), &user, &pass)
        .with_cached_token(Some(Secret::new("stale.token.value")))
        .with_login_hook(move |_| {
            hook_count.fetch_add(1, Ordering::SeqCst);
        });
    let admin = stale.get_current_admin().await.expect("re-login after 401");
    assert_eq!(admin.username, user);
    assert_eq!(stale.login_count(), 1);
    assert_eq!(
        saved.load(Ordering::SeqCst),
        1,
        "the hook saw the new token"
    );
    let renewed = stale.current_token().expect("token");
    assert_ne!(renewed, Secret::new("stale.token.value"));
}

#[tokio::test]
async fn wrong_password_is_unauthorized() {
    let (sim, handle, user, _pass) =
        sim_with_ttl(SimOptions::default(), Duration::from_secs(600)).await;
    let c = client(&sim.url(), &user, "wrong");
    match c.probe().await {
        Err(PanelError::Unauthorized { message }) => {
            assert_eq!(message, "Incorrect username or password")
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(handle.logins(), 0);
    assert!(c.current_token().is_none());
}

/// A web page (or another panel) where the Marzban API should be → NotThisPanel.
#[tokio::test]
async fn html_or_missing_routes_are_not_this_panel() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let body = "<!doctype html><html><body>Welcome to nginx</body></html>";
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(reply.as_bytes()).await;
        }
    });
    let c = client(&format!("http://{addr}/"), "admin", "x");
    assert!(matches!(
        c.probe().await,
        Err(PanelError::NotThisPanel { .. })
    ));

    // A server without Marzban's routes answers FastAPI-style 404s.
    let other = paneldeck_sim::start_local(SimKind::Marzban, SimOptions::default())
        .await
        .expect("sim");
    let c = client(&format!("{}nested/prefix/", other.url()), "admin", "x");
    assert!(matches!(
        c.probe().await,
        Err(PanelError::NotThisPanel { .. })
    ));
}
