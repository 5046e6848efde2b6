//! The Pterodactyl simulator over raw HTTP: the panel's quirks, its errors and its throttle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{sync::atomic::Ordering, time::Duration};

use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

struct Api {
    sim: RunningSim,
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn start(opts: SimOptions) -> Api {
        let sim = paneldeck_sim::start_local(SimKind::Pterodactyl, opts)
            .await
            .expect("sim");
        let SimCredentials::Token { token } = sim.credentials.clone() else {
            panic!("unexpected credentials");
        };
        Api {
            sim,
            http: reqwest::Client::new(),
            token,
        }
    }

    async fn send(
        &self,
        method: Method,
        route: &str,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.sim.url(), route))
            .bearer_auth(&self.token)
            .header("Accept", "Application/vnd.pterodactyl.v1+json");
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, headers, value)
    }

    async fn server(&self) -> String {
        let (_, _, v) = self.send(Method::GET, "api/client", None).await;
        v["data"][0]["attributes"]["identifier"]
            .as_str()
            .expect("identifier")
            .to_owned()
    }
}

fn opts(accounts: usize, groups: usize) -> SimOptions {
    SimOptions {
        seed: 5,
        accounts,
        groups,
        ..SimOptions::default()
    }
}

fn perms(v: &Value) -> Vec<String> {
    v["attributes"]["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| p.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn unknown_permissions_are_dropped_and_websocket_connect_is_added() {
    let api = Api::start(opts(0, 1)).await;
    let server = api.server().await;
    let (status, _, created) = api
        .send(
            Method::POST,
            &format!("api/client/servers/{server}/users"),
            Some(json!({"email": "a@example.com", "permissions": ["file.write", "control.start", "control.start", "bogus"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(created["object"], "server_subuser");
    assert_eq!(perms(&created), vec!["control.start", "websocket.connect"]);
    let uuid = created["attributes"]["uuid"]
        .as_str()
        .expect("uuid")
        .to_owned();
    let route = format!("api/client/servers/{server}/users/{uuid}");

    // An update replaces the whole list (and still adds websocket.connect).
    let (status, _, updated) = api
        .send(Method::POST, &route, Some(json!({"permissions": []})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(perms(&updated), vec!["websocket.connect"]);
    let (_, _, got) = api.send(Method::GET, &route, None).await;
    assert_eq!(got, updated);

    let (status, _, body) = api.send(Method::DELETE, &route, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, _, body) = api.send(Method::GET, &route, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errors"][0]["status"], "404");
}

#[tokio::test]
async fn owner_and_existing_subusers_are_rejected() {
    let api = Api::start(opts(1, 1)).await;
    let server = api.server().await;
    let route = format!("api/client/servers/{server}/users");
    let (_, _, list) = api.send(Method::GET, &route, None).await;
    let existing = list["data"][0]["attributes"]["email"]
        .as_str()
        .expect("email")
        .to_owned();

    let (status, _, body) = api
        .send(
            Method::POST,
            &route,
            Some(json!({"email": "admin@paneldeck.test", "permissions": []})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["code"], "UserIsServerOwnerException");

    let (status, _, body) = api
        .send(
            Method::POST,
            &route,
            Some(json!({"email": existing, "permissions": []})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["code"], "ServerSubuserExistsException");

    let (_, _, after) = api.send(Method::GET, &route, None).await;
    assert_eq!(after["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn validation_errors_name_their_field() {
    let api = Api::start(opts(0, 1)).await;
    let server = api.server().await;
    let route = format!("api/client/servers/{server}/users");
    let (status, _, body) = api
        .send(
            Method::POST,
            &route,
            Some(json!({"email": "nope", "permissions": "all"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["meta"]["source_field"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(fields, vec!["email", "permissions"]);
    let (_, _, list) = api.send(Method::GET, &route, None).await;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn servers_are_paginated_like_laravel() {
    let api = Api::start(opts(0, 120)).await;
    let (_, _, first) = api.send(Method::GET, "api/client", None).await;
    assert_eq!(first["meta"]["pagination"]["per_page"], 50);
    assert_eq!(first["meta"]["pagination"]["total_pages"], 3);
    let (_, _, big) = api
        .send(Method::GET, "api/client?per_page=500&page=2", None)
        .await;
    assert_eq!(big["meta"]["pagination"]["per_page"], 100);
    assert_eq!(big["data"].as_array().map(Vec::len), Some(20));
    // fractal's ArraySerializer: `previous` / `next` only where that page exists, each the
    // list's URL with the request's query and the other page.
    let links = &first["meta"]["pagination"]["links"];
    assert!(links.get("previous").is_none(), "{links}");
    let next = links["next"].as_str().expect("a next page");
    assert!(next.ends_with("/api/client?page=2"), "{next}");
    let links = &big["meta"]["pagination"]["links"];
    assert!(links.get("next").is_none(), "{links}");
    let previous = links["previous"].as_str().expect("a previous page");
    assert!(
        previous.ends_with("/api/client?page=1&per_page=500"),
        "{previous}"
    );
}

#[tokio::test]
async fn one_server_reads_with_what_the_owner_may_do() {
    let api = Api::start(opts(0, 3)).await;
    let (_, _, list) = api.send(Method::GET, "api/client", None).await;
    let id = list["data"][0]["attributes"]["identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _, one) = api
        .send(Method::GET, &format!("api/client/servers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["object"], "server");
    assert_eq!(one["attributes"]["identifier"], id.as_str());
    assert_eq!(one["meta"]["is_server_owner"], true);
    assert_eq!(one["meta"]["user_permissions"], json!(["*"]));
    let (status, _, _) = api
        .send(Method::GET, "api/client/servers/nope0000", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_wrong_token_gets_401_with_an_errors_body() {
    let mut api = Api::start(opts(0, 1)).await;
    api.token = "ptlc_wrong".into();
    let (status, _, body) = api.send(Method::GET, "api/client", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errors"][0]["code"], "AuthenticationException");
}

#[tokio::test]
async fn same_seed_same_panel() {
    let a = Api::start(opts(12, 3)).await;
    let b = Api::start(opts(12, 3)).await;
    assert_eq!(a.token, b.token);
    assert!(a.token.starts_with("ptlc_"));
    let (_, _, sa) = a.send(Method::GET, "api/client", None).await;
    let (_, _, sb) = b.send(Method::GET, "api/client", None).await;
    assert_eq!(sa, sb);
    let server = a.server().await;
    let route = format!("api/client/servers/{server}/users");
    assert_eq!(
        a.send(Method::GET, &route, None).await.2,
        b.send(Method::GET, &route, None).await.2
    );
    let other = Api::start(SimOptions {
        seed: 6,
        ..opts(12, 3)
    })
    .await;
    assert_ne!(other.token, a.token);
}

#[tokio::test]
async fn over_the_limit_gets_429_with_retry_after_and_is_not_served() {
    let api = Api::start(SimOptions {
        rate_limit: 5,
        rate_window_ms: 10_000,
        ..opts(0, 1)
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let (status, headers, body) = api.send(Method::GET, "api/client/permissions", None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = headers["retry-after"]
                .to_str()
                .expect("ascii")
                .parse()
                .expect("secs");
            assert!((1..=10).contains(&retry), "{retry}");
            assert_eq!(body["errors"][0]["status"], "429");
        }
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 429, 429, 429]);
    assert_eq!(api.sim.stats.windows_over_limit.load(Ordering::Relaxed), 0);
}

#[tokio::test]
async fn bursts_straddling_two_windows_are_counted_over_the_limit() {
    let api = Api::start(SimOptions {
        rate_limit: 5,
        rate_window_ms: 4_000,
        ..opts(0, 1)
    })
    .await;
    // Seconds of slack on each side: the first burst must stay in the first window, the
    // second must come within one window length of the first.
    let get = || api.send(Method::GET, "api/client/permissions", None);
    assert_eq!(get().await.0, StatusCode::OK); // opens a window
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    for _ in 0..4 {
        assert_eq!(get().await.0, StatusCode::OK);
    }
    assert_eq!(api.sim.stats.windows_over_limit.load(Ordering::Relaxed), 0);
    tokio::time::sleep(Duration::from_millis(2_400)).await; // the fixed window has closed
    for _ in 0..5 {
        assert_eq!(get().await.0, StatusCode::OK);
    }
    // 4 + 5 served within less than one window length.
    assert!(api.sim.stats.windows_over_limit.load(Ordering::Relaxed) > 0);
}

#[tokio::test]
async fn the_announcement_carries_the_ptlc_token() {
    let api = Api::start(opts(1, 1)).await;
    let line = api.sim.announcement();
    assert_eq!(line["kind"], "pterodactyl");
    assert_eq!(line["token"], api.token.as_str());
    assert!(api.token.starts_with("ptlc_") && api.token.len() == 48);
}
