//! 3x-ui auth flows (token, login + CSRF, 2FA, re-login), the legacy (pre-3.1) API, and bad
//! answers: HTML pages, 404s, malformed or truncated JSON, 500s, 403s and a server too slow.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{http::StatusCode, response::IntoResponse, routing::any, Router};
use paneldeck_panels::{
    xui::{
        legacy::legacy_client_id, ClientPayload, InboundClient, InboundId, Protocol, XuiAuth,
        XuiClient,
    },
    Endpoint, HttpClient, PanelError, PanelKind, Secret,
};
use paneldeck_sim::{
    xui::{self, XuiSimConfig, XuiSimHandle},
    FaultConfig, RunningSim, SimKind, SimOptions, SimStats,
};
use tokio::{io::AsyncWriteExt, net::TcpListener};

/// Every test here is bounded: a hang fails the test instead of stalling the run.
async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(15), f)
        .await
        .expect("test finished in time")
}

async fn sim(config: XuiSimConfig, faults: FaultConfig) -> (RunningSim, XuiSimHandle) {
    let opts = SimOptions {
        seed: 11,
        accounts: 8,
        groups: 4,
        faults,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let (app, handle) = xui::app_with(&opts, stats.clone(), config);
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim starts");
    (sim, handle)
}

fn client_at(url: &str, auth: XuiAuth, timeout: Duration) -> XuiClient {
    let endpoint = Endpoint::parse(url).expect("url").with_timeout(timeout);
    let http = HttpClient::new(PanelKind::Xui, endpoint)
        .expect("http")
        .with_max_retries(0);
    XuiClient::new(http, auth)
}

fn password(handle: &XuiSimHandle, code: Option<&str>) -> XuiAuth {
    let (username, password) = handle.login();
    XuiAuth::Password {
        username,
        password: Secret::new(password),
        two_factor_code: code.map(str::to_owned),
    }
}

/// A local server answering every request with the same canned response.
async fn canned(status: StatusCode, content_type: &'static str, body: &'static str) -> String {
    let app = Router::new().fallback(any(move || async move {
        (status, [("content-type", content_type)], body).into_response()
    }));
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/")
}

fn token(s: &str) -> XuiAuth {
    XuiAuth::Token(Secret::new(s))
}

/// Headers promising 500 bytes, then a few and a closed socket.
const CUT_RESPONSE: &[u8] = concat!(
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
    "Content-Length: 500\r\n\r\n{\"success\":true,\"obj\":["
)
.as_bytes();

const SHORT: Duration = Duration::from_secs(3);

#[tokio::test]
async fn password_login_uses_csrf_and_logs_in_again_after_expiry() {
    bounded(async {
        let (sim, handle) = sim(XuiSimConfig::default(), FaultConfig::default()).await;
        let client = client_at(&sim.url(), password(&handle, None), SHORT);
        let info = client.probe().await.expect("probe");
        assert_eq!(info.api_generation.as_deref(), Some("clients API (v3.1+)"));
        assert!(info.summary.contains("as admin"));
        let email = handle.clients()[0].email.clone();
        handle.edit(&email, |c| c.enable = true);
        // A POST over a cookie session needs the CSRF header.
        let res = client
            .bulk_disable(std::slice::from_ref(&email))
            .await
            .expect("bulkDisable");
        assert_eq!(res.changed, 1);
        assert!(!handle.client(&email).expect("c").enable);

        handle.expire_sessions();
        let res = client
            .bulk_enable(std::slice::from_ref(&email))
            .await
            .expect("after re-login");
        assert_eq!(res.changed, 1);
        assert!(handle.client(&email).expect("c").enable);
        assert_eq!(sim.stats.route_count("POST /login"), 2);
    })
    .await;
}

#[tokio::test]
async fn a_v2_session_that_expired_is_a_404_and_logs_in_again() {
    bounded(async {
        // v2.x answers a dead session with an empty 404, XMLHttpRequest or not (facts §2.6).
        let config = XuiSimConfig {
            version: paneldeck_sim::xui::XuiVersion::V2_9_4,
            ..XuiSimConfig::default()
        };
        let (sim, handle) = sim(config, FaultConfig::default()).await;
        let client = client_at(&sim.url(), password(&handle, None), SHORT);
        let info = client.probe().await.expect("probe");
        assert_eq!(info.version.as_deref(), Some("2.x"));
        handle.expire_sessions();
        let listed = client.legacy_list_clients().await.expect("after re-login");
        assert_eq!(listed.len(), handle.clients().len());
        assert_eq!(sim.stats.route_count("POST /login"), 2);
        // A token on a release without tokens: the error says what may be wrong.
        let with_token = client_at(&sim.url(), token(&handle.token()), SHORT);
        match with_token.probe().await {
            Err(PanelError::NotThisPanel { detail, .. }) => {
                assert!(detail.contains("has no API tokens"), "{detail}")
            }
            other => panic!("expected NotThisPanel, got {other:?}"),
        }
        // A route this release lacks stays a 404 after that one new login.
        assert!(matches!(
            client.list().await,
            Err(PanelError::NotThisPanel { .. })
        ));
        assert_eq!(sim.stats.route_count("POST /login"), 3);
    })
    .await;
}

#[tokio::test]
async fn two_factor_code_is_checked_and_wrong_credentials_are_unauthorized() {
    bounded(async {
        let config = XuiSimConfig {
            two_factor_code: Some("654321".into()),
            ..XuiSimConfig::default()
        };
        let (sim, handle) = sim(config, FaultConfig::default()).await;
        let ok = client_at(&sim.url(), password(&handle, Some("654321")), SHORT);
        assert!(!ok.list().await.expect("list with 2FA").is_empty());

        let wrong_code = client_at(&sim.url(), password(&handle, Some("000000")), SHORT);
        match wrong_code.list().await {
            // HTTP 200 success:false, one message for user, password and code (facts §2.2).
            Err(PanelError::Unauthorized { message }) => {
                assert_eq!(message, "Invalid username or password or two-factor code.")
            }
            other => panic!("expected Unauthorized, got {other:?}"),
        }
        let no_code = client_at(&sim.url(), password(&handle, None), SHORT);
        assert!(matches!(
            no_code.list().await,
            Err(PanelError::Unauthorized { .. })
        ));

        let bad_token = client_at(&sim.url(), token("not-the-token"), SHORT);
        assert!(matches!(
            bad_token.probe().await,
            Err(PanelError::Unauthorized { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn a_scoped_token_outside_its_scope_is_forbidden() {
    bounded(async {
        // Scoped tokens exist on HEAD builds only; `monitor` reads server status and nothing
        // about clients (facts §2.5).
        let config = XuiSimConfig {
            version: paneldeck_sim::xui::XuiVersion::Head,
            ..XuiSimConfig::default()
        };
        let (sim, handle) = sim(config, FaultConfig::default()).await;
        let monitor = client_at(&sim.url(), token(&handle.monitor_token()), SHORT);
        let info = monitor.probe().await.expect("status is in scope");
        assert!(
            info.api_generation
                .as_deref()
                .is_some_and(paneldeck_panels::xui::version::is_read_only_generation),
            "{info:?}"
        );
        match monitor.list().await {
            Err(PanelError::Forbidden { message }) => assert!(message.contains("not permitted")),
            other => panic!("expected the panel's 403, got {other:?}"),
        }
        let email = handle.clients()[0].email.clone();
        let before = handle.client(&email).expect("c").enable;
        match monitor.bulk_disable(std::slice::from_ref(&email)).await {
            Err(PanelError::Forbidden { message }) => assert!(message.contains("read-only")),
            other => panic!("expected Forbidden, got {other:?}"),
        }
        assert_eq!(
            sim.stats.route_count("POST /panel/api/clients/bulkDisable"),
            0,
            "refused before sending"
        );
        assert_eq!(
            handle.client(&email).expect("c").enable,
            before,
            "nothing changed"
        );
    })
    .await;
}

#[tokio::test]
async fn login_is_limited_to_five_failures() {
    bounded(async {
        let (sim, handle) = sim(XuiSimConfig::default(), FaultConfig::default()).await;
        let (username, _) = handle.login();
        for _ in 0..5 {
            let bad = client_at(
                &sim.url(),
                XuiAuth::Password {
                    username: username.clone(),
                    password: Secret::new("wrong"),
                    two_factor_code: None,
                },
                SHORT,
            );
            assert!(matches!(
                bad.list().await,
                Err(PanelError::Unauthorized { .. })
            ));
        }
        // While blocked, even the right password gets the wrong-credentials answer (§2.2).
        let good = client_at(&sim.url(), password(&handle, None), SHORT);
        match good.list().await {
            Err(PanelError::Unauthorized { message }) => {
                assert_eq!(message, "Invalid username or password or two-factor code.")
            }
            other => panic!("expected the lockout, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn legacy_panel_is_detected_and_served_through_inbounds() {
    bounded(async {
        let config = XuiSimConfig {
            version: paneldeck_sim::xui::XuiVersion::V3_0_2,
            ..XuiSimConfig::default()
        };
        let (sim, handle) = sim(config, FaultConfig::default()).await;
        let client = client_at(&sim.url(), token(&handle.token()), SHORT);
        let info = client.probe().await.expect("probe");
        assert_eq!(
            info.api_generation.as_deref(),
            Some("legacy inbounds API (before v3.1)")
        );
        // `/csrf-token` answers, `server/status` has no panelVersion: v3.0.x (facts §1.3).
        assert_eq!(info.version.as_deref(), Some("3.0.x"));
        assert!(matches!(
            client.list().await,
            Err(PanelError::NotThisPanel { .. })
        ));

        // list: settings arrive as JSON strings on old panels.
        let listed = client.legacy_list_clients().await.expect("list");
        assert_eq!(listed.len(), handle.clients().len());
        assert!(listed.iter().all(|c| c.traffic.is_some()));

        // add to a trojan and a vless inbound
        let inbounds = handle.inbounds();
        let trojan = InboundId(
            inbounds
                .iter()
                .find(|i| i.protocol == "trojan")
                .expect("t")
                .id,
        );
        let vless = InboundId(
            inbounds
                .iter()
                .find(|i| i.protocol == "vless")
                .expect("v")
                .id,
        );
        let entry = InboundClient {
            password: Some("s3cret-pass".into()),
            email: "old-trojan@example.com".into(),
            total_bytes: 1 << 30,
            enable: true,
            ..InboundClient::default()
        };
        client
            .legacy_add_client(trojan, std::slice::from_ref(&entry))
            .await
            .expect("addClient");
        let stored = handle.client("old-trojan@example.com").expect("added");
        assert_eq!(stored.password, "s3cret-pass");
        assert_eq!(stored.inbound_ids, vec![trojan.0]);
        let dup = client
            .legacy_add_client(trojan, std::slice::from_ref(&entry))
            .await
            .expect_err("dup");
        let PanelError::Api { message, .. } = dup else {
            panic!("expected Api, got {dup:?}")
        };
        assert!(message.contains("Duplicate email"));
        let v_entry = InboundClient {
            uuid: Some("0f8c1e2a-1111-4222-8333-944455566677".into()),
            email: "old-vless@example.com".into(),
            enable: true,
            ..InboundClient::default()
        };
        client
            .legacy_add_client(vless, std::slice::from_ref(&v_entry))
            .await
            .expect("add vless");

        // update (by the protocol's credential) and enable/disable
        let id = legacy_client_id(Protocol::Trojan, &entry).expect("trojan id");
        assert_eq!(id, "s3cret-pass");
        let mut changed = entry.clone();
        changed.total_bytes = 5 << 30;
        client
            .legacy_update_client(trojan, &id, &changed)
            .await
            .expect("updateClient");
        assert_eq!(
            handle
                .client("old-trojan@example.com")
                .expect("c")
                .total_bytes,
            5 << 30
        );
        client
            .legacy_set_enable(vless, "old-vless@example.com", false)
            .await
            .expect("disable");
        assert!(!handle.client("old-vless@example.com").expect("v").enable);
        client
            .legacy_set_enable(vless, "old-vless@example.com", true)
            .await
            .expect("enable");
        assert!(handle.client("old-vless@example.com").expect("v").enable);

        // traffic
        handle.add_traffic("old-trojan@example.com", 300, 400);
        let t = client
            .legacy_get_client_traffics("old-trojan@example.com")
            .await
            .expect("traffic");
        assert_eq!((t.up_bytes, t.down_bytes), (300, 400));
        let online = client.legacy_onlines().await.expect("onlines");
        assert!(online.iter().any(|e| e == "old-trojan@example.com"));
        client
            .legacy_reset_client_traffic(trojan, "old-trojan@example.com")
            .await
            .expect("reset");
        assert_eq!(
            handle.client("old-trojan@example.com").expect("c").up_bytes,
            0
        );
        handle.record_ip("old-trojan@example.com", "192.0.2.9");
        let ips = client
            .legacy_client_ips("old-trojan@example.com")
            .await
            .expect("ips");
        assert!(
            ips.0[0].starts_with("192.0.2.9"),
            "JSON-string IP list decoded"
        );
        client
            .legacy_clear_client_ips("old-trojan@example.com")
            .await
            .expect("clear");
        assert!(handle.ips("old-trojan@example.com").is_empty());

        // delete
        client
            .legacy_del_client(trojan, &id)
            .await
            .expect("delClient");
        assert!(handle.client("old-trojan@example.com").is_none());
        let err = client
            .legacy_del_client(trojan, &id)
            .await
            .expect_err("gone");
        assert!(matches!(err, PanelError::Api { .. }));
    })
    .await;
}

#[tokio::test]
async fn html_pages_and_404s_are_not_this_panel() {
    bounded(async {
        let html = canned(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body><form action=\"/login\">Login</form></body></html>",
        )
        .await;
        let client = client_at(&html, token("t"), SHORT);
        assert!(matches!(
            client.probe().await,
            Err(PanelError::NotThisPanel {
                kind: PanelKind::Xui,
                ..
            })
        ));
        let pw = client_at(
            &html,
            XuiAuth::Password {
                username: "admin".into(),
                password: Secret::new("admin"),
                two_factor_code: None,
            },
            SHORT,
        );
        assert!(matches!(
            pw.list().await,
            Err(PanelError::NotThisPanel { .. })
        ));

        let nothing = canned(StatusCode::NOT_FOUND, "text/plain", "404 page not found").await;
        let client = client_at(&nothing, token("t"), SHORT);
        assert!(matches!(
            client.probe().await,
            Err(PanelError::NotThisPanel { .. })
        ));

        // The real simulator under a wrong path prefix.
        let (sim, handle) = sim(XuiSimConfig::default(), FaultConfig::default()).await;
        let client = client_at(
            &format!("{}wrong-prefix/", sim.url()),
            token(&handle.token()),
            SHORT,
        );
        let err = client.probe().await.expect_err("wrong prefix");
        assert_eq!(err.code(), "not_this_panel");
        assert!(err.to_string().contains("not a 3x-ui API"));
    })
    .await;
}

#[tokio::test]
async fn malformed_and_truncated_json_name_the_problem() {
    bounded(async {
        let wrong_type = canned(
            StatusCode::OK,
            "application/json",
            r#"{"success":true,"msg":"","obj":[{"email":"a","totalGB":"lots"}]}"#,
        )
        .await;
        match client_at(&wrong_type, token("t"), SHORT).list().await {
            Err(PanelError::Decode { path, .. }) => assert_eq!(path, "obj[0].totalGB"),
            other => panic!("expected Decode, got {other:?}"),
        }
        let not_json = canned(StatusCode::OK, "application/json", "this is not json").await;
        assert!(matches!(
            client_at(&not_json, token("t"), SHORT).list().await,
            Err(PanelError::Decode { .. })
        ));
        let truncated = canned(
            StatusCode::OK,
            "application/json",
            r#"{"success":true,"msg":"","obj":[{"email":"a","tot"#,
        )
        .await;
        match client_at(&truncated, token("t"), SHORT).list().await {
            Err(PanelError::Decode { message, .. }) => assert!(message.contains("ended early")),
            other => panic!("expected Decode, got {other:?}"),
        }
        let failed = canned(
            StatusCode::OK,
            "application/json",
            r#"{"success":false,"msg":"Something went wrong: record not found","obj":null}"#,
        )
        .await;
        match client_at(&failed, token("t"), SHORT).get("x").await {
            Err(PanelError::Api { message, .. }) => assert!(message.contains("record not found")),
            other => panic!("expected Api, got {other:?}"),
        }
        let scoped = canned(
            StatusCode::FORBIDDEN,
            "application/json",
            r#"{"success":false,"msg":"token scope does not allow this action"}"#,
        )
        .await;
        match client_at(&scoped, token("t"), SHORT)
            .bulk_enable(&["a".into()])
            .await
        {
            Err(PanelError::Forbidden { message }) => assert!(message.contains("scope")),
            other => panic!("expected Forbidden, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn body_cut_on_the_wire_is_a_clear_error() {
    bounded(async {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let listener = TcpListener::bind(addr).await.expect("bind");
        let url = format!("http://{}/", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = tokio::io::AsyncReadExt::read(&mut sock, &mut buf).await;
                let _ = sock.write_all(CUT_RESPONSE).await;
                let _ = sock.shutdown().await;
            }
        });
        let err = client_at(&url, token("t"), SHORT)
            .list()
            .await
            .expect_err("cut");
        assert!(
            matches!(err, PanelError::Decode { .. } | PanelError::Network(_)),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn server_errors_and_slow_answers_are_typed() {
    bounded(async {
        let failing = FaultConfig {
            error_rate: 1.0,
            ..FaultConfig::default()
        };
        let (sim1, handle) = sim(XuiSimConfig::default(), failing).await;
        let before = handle.clients().len();
        let client = client_at(&sim1.url(), token(&handle.token()), SHORT);
        match client.list().await {
            Err(PanelError::Server { status, .. }) => assert_eq!(status, 500),
            other => panic!("expected Server, got {other:?}"),
        }
        let err = client
            .add(&ClientPayload::new("never@example.com"), &[InboundId(1)])
            .await
            .expect_err("500");
        assert!(err.is_transient());
        assert_eq!(
            handle.clients().len(),
            before,
            "a failed request changed nothing"
        );

        let slow = FaultConfig {
            hang_rate: 1.0,
            hang: Duration::from_secs(5),
            ..FaultConfig::default()
        };
        let (sim2, handle) = sim(XuiSimConfig::default(), slow).await;
        let client = client_at(
            &sim2.url(),
            token(&handle.token()),
            Duration::from_millis(300),
        );
        match client.list().await {
            Err(PanelError::Timeout(d)) => assert_eq!(d, Duration::from_millis(300)),
            other => panic!("expected Timeout, got {other:?}"),
        }
    })
    .await;
}
