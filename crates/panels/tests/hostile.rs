//! Against a hostile panel (`paneldeck_sim::hostile`): no credential reaches another host
//! through a redirect, no secret stays in an error, answers are capped while they arrive, and a
//! dripping answer stops at the whole-request deadline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paneldeck_panels::{
    marzban::MarzbanClient,
    userpass::{ListParams, UserpassClient},
    xui::{XuiAuth, XuiClient},
    Endpoint, HttpClient, PanelError, PanelKind, RedirectRefusal, Secret,
};
use paneldeck_sim::{
    hostile::{self, Catcher, HostileMode, HostileOptions},
    RunningSim, SimKind, SimOptions,
};

const KEY: &str = "user-pass-key-0123456789";
const PASSWORD: &str = "login-password-0123456789";

async fn hostile(mode: HostileMode) -> (RunningSim, Catcher) {
    hostile::start_local(HostileOptions {
        mode,
        huge_bytes: 8 << 20,
        drip_interval: Duration::from_millis(100),
        ..HostileOptions::default()
    })
    .await
    .expect("hostile panel starts")
}

fn http(kind: PanelKind, url: &str) -> HttpClient {
    HttpClient::new(kind, Endpoint::parse(url).expect("url")).expect("client")
}

fn userpass(url: &str, in_query: bool) -> UserpassClient {
    UserpassClient::new(http(PanelKind::Userpass, url), Secret::new(KEY), in_query)
}

fn list() -> ListParams {
    ListParams::default()
}

/// Nothing at all reached the other host, and the error says where the redirect pointed.
fn refused_elsewhere(result: Result<impl std::fmt::Debug, PanelError>, catcher: &Catcher) {
    let caught = catcher.caught();
    assert!(caught.is_empty(), "the other host received {caught:#?}");
    match result {
        Err(err @ PanelError::Redirected { .. }) => {
            let PanelError::Redirected { location, refused } = &err else {
                unreachable!()
            };
            assert_eq!(*refused, RedirectRefusal::OtherOrigin);
            assert!(location.starts_with(&catcher.url()), "{location}");
            let text = err.to_string();
            for secret in [KEY, PASSWORD, "s3cretpath"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
        other => panic!("expected a refused redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_carries_no_header_key() {
    for mode in [HostileMode::Redirect, HostileMode::Redirect307] {
        let (sim, catcher) = hostile(mode).await;
        let c = userpass(&format!("{}s3cretpath/", sim.url()), false);
        refused_elsewhere(c.get_list(&list()).await, &catcher);
    }
}

/// The key in the query comes back inside `Location`; the error shows the place, not the key.
#[tokio::test]
async fn a_redirect_to_another_host_carries_no_query_key_nor_referer() {
    let (sim, catcher) = hostile(HostileMode::Redirect).await;
    let c = userpass(&format!("{}s3cretpath/", sim.url()), true);
    refused_elsewhere(c.get_list(&list()).await, &catcher);
}

/// Marzban's and 3x-ui's logins post the password; a 307 would send it again elsewhere.
#[tokio::test]
async fn a_307_does_not_resend_a_login_password() {
    let (sim, catcher) = hostile(HostileMode::Redirect307).await;
    let marzban = MarzbanClient::new(
        http(PanelKind::Marzban, &sim.url()),
        "admin".into(),
        Secret::new(PASSWORD),
    );
    refused_elsewhere(marzban.get_current_admin().await, &catcher);
    let xui = XuiClient::new(
        http(PanelKind::Xui, &sim.url()),
        XuiAuth::Password {
            username: "admin".into(),
            password: Secret::new(PASSWORD),
            two_factor_code: None,
        },
    );
    refused_elsewhere(xui.inbounds_list().await, &catcher);
}

/// Marzban sends `/sub/{token}` on to `/sub/{token}/` (FastAPI's slash redirect, the
/// simulator's `sub::subscription_redirect`): a same-origin read is still followed.
#[tokio::test]
async fn a_same_origin_redirect_of_a_read_is_followed() {
    let sim = paneldeck_sim::start_local(SimKind::Marzban, SimOptions::default())
        .await
        .expect("sim");
    let c = http(PanelKind::Marzban, &sim.url());
    let raw = c
        .send(c.request(reqwest::Method::GET, "sub/not-a-token"))
        .await
        .expect("answer");
    assert!(!raw.status.is_redirection(), "{}", raw.status);
}

#[tokio::test]
async fn a_huge_answer_is_refused_while_it_arrives() {
    let (sim, _catcher) = hostile(HostileMode::Huge).await;
    let endpoint = Endpoint::parse(&sim.url())
        .expect("url")
        .with_max_answer_bytes(1 << 20);
    let http = HttpClient::new(PanelKind::Userpass, endpoint).expect("client");
    let c = UserpassClient::new(http, Secret::new(KEY), false);
    match c.get_list(&list()).await {
        Err(err @ PanelError::AnswerTooLarge { limit_bytes }) => {
            assert_eq!(limit_bytes, 1 << 20);
            assert!(err.to_string().contains("1 MiB"), "{err}");
        }
        other => panic!("expected too large, got {other:?}"),
    }
}

/// One byte every 100 ms never trips a 5 s read timeout; the 1 s deadline stops it, and
/// the message names that deadline, not the read timeout.
#[tokio::test]
async fn a_dripping_answer_stops_at_the_whole_request_deadline() {
    let (sim, _catcher) = hostile(HostileMode::Drip).await;
    let endpoint = Endpoint::parse(&sim.url())
        .expect("url")
        .with_timeout(Duration::from_secs(5))
        .with_deadline(Duration::from_secs(1));
    let http = HttpClient::new(PanelKind::Userpass, endpoint).expect("client");
    let c = UserpassClient::new(http, Secret::new(KEY), false);
    match c.get_list(&list()).await {
        Err(err @ PanelError::Deadline(d)) => {
            assert_eq!(d, Duration::from_secs(1));
            assert!(err.to_string().contains("1 s deadline"), "{err}");
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
}

/// A panel that quotes the key back in its error page: the message keeps the words, not the key.
#[tokio::test]
async fn a_key_echoed_in_an_error_is_redacted() {
    let app = axum::Router::new().fallback(|uri: axum::http::Uri| async move {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            format!("{{\"success\":false,\"message\":\"bad key in {uri}\"}}"),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let c = userpass(&format!("http://{addr}/s3cretpath/"), true);
    let err = c.get_list(&list()).await.expect_err("refused");
    let text = err.to_string();
    assert!(matches!(err, PanelError::Unauthorized { .. }), "{err:?}");
    assert!(text.contains("bad key in"), "{text}");
    for secret in [KEY, "s3cretpath"] {
        assert!(!text.contains(secret), "{text}");
    }
}
