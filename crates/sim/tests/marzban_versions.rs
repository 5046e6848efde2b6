//! What differs between the simulated Marzban 0.4.9 and 0.8.4, request by request, as measured
//! on the real servers (`fixtures/marzban-versions.md`, copied from NOTES.md) and read in their
//! source at the tags.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paneldeck_sim::{marzban::start_with_ttl, DbLoad, RunningSim, SimCredentials, SimOptions};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

struct Panel {
    _sim: RunningSim,
    base: String,
    token: String,
    http: Client,
}

async fn panel(version: &str) -> Panel {
    panel_with(version, DbLoad::default()).await
}

async fn panel_with(version: &str, db: DbLoad) -> Panel {
    let opts = SimOptions {
        accounts: 0,
        panel_version: Some(version.to_owned()),
        db,
        ..SimOptions::default()
    };
    let (sim, _) = start_with_ttl(opts, Duration::from_secs(3600))
        .await
        .expect("sim");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("password credentials");
    };
    let base = sim.url().trim_end_matches('/').to_owned();
    let http = Client::new();
    let v: Value = http
        .post(format!("{base}/api/admin/token"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let token = v["access_token"].as_str().expect("token").to_owned();
    Panel {
        _sim: sim,
        base,
        token,
        http,
    }
}

impl Panel {
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, String) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.expect("request");
        (r.status(), r.text().await.expect("body"))
    }

    async fn json(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, text) = self.call(method, path, body).await;
        assert_eq!(status, StatusCode::OK, "{method} {path}: {text}");
        serde_json::from_str(&text).expect("json")
    }

    async fn create(&self, body: Value) -> Value {
        self.json("POST", "/api/user", Some(body)).await
    }

    async fn names(&self, query: &str) -> Vec<String> {
        let v = self.json("GET", &format!("/api/users?{query}"), None).await;
        v["users"]
            .as_array()
            .expect("users")
            .iter()
            .map(|u| u["username"].as_str().expect("name").to_owned())
            .collect()
    }
}

#[tokio::test]
async fn a_create_without_inbounds_gets_every_inbound_on_0_4_9_and_none_on_0_8_4() {
    for (version, tags_without_key) in [("0.4.9", 2), ("0.8.4", 0)] {
        let p = panel(version).await;
        let no_key = p
            .create(json!({"username": "nokey", "proxies": {"vless": {}}}))
            .await;
        let tags = no_key["inbounds"]["vless"].as_array().expect("tags").len();
        assert_eq!(tags, tags_without_key, "{version}: no `inbounds` key");
        assert_eq!(no_key["links"].as_array().expect("links").len(), tags);
        // `"inbounds": {}` means every inbound on both (NOTES.md, second row).
        let empty = p
            .create(json!({"username": "emptykey", "proxies": {"vless": {}}, "inbounds": {}}))
            .await;
        assert_eq!(
            empty["inbounds"]["vless"],
            json!(["VLESS TCP", "VLESS TCP REALITY"])
        );
        assert_eq!(
            empty["links"].as_array().expect("links").len(),
            2,
            "{version}"
        );
    }
}

#[tokio::test]
async fn list_filters_follow_the_version() {
    for (version, by_username, by_search) in [
        (
            "0.4.9",
            vec!["beh_p1", "beh_p10"],
            vec!["beh_p1", "beh_p10", "other"],
        ),
        ("0.8.4", vec!["beh_p1"], vec!["beh_p1", "beh_p10"]),
    ] {
        let p = panel(version).await;
        for name in ["beh_p1", "beh_p10", "other"] {
            p.create(json!({"username": name, "proxies": {"vless": {}}, "inbounds": {}}))
                .await;
        }
        assert_eq!(p.names("username=beh_p1").await, by_username, "{version}");
        // 0.4.9 has no `search` and lists everyone; 0.8.4 searches username and note.
        assert_eq!(p.names("search=beh_p").await, by_search, "{version}");
    }
}

#[tokio::test]
async fn admin_usage_and_delete_answers_follow_the_version() {
    for (version, has_usage, deleted) in [
        ("0.4.9", false, json!({})),
        (
            "0.8.4",
            true,
            json!({"detail": "User successfully deleted"}),
        ),
    ] {
        let p = panel(version).await;
        let admin = p.json("GET", "/api/admin", None).await;
        assert_eq!(admin.get("users_usage").is_some(), has_usage, "{version}");
        p.create(json!({"username": "gone", "proxies": {"vless": {}}, "inbounds": {}}))
            .await;
        assert_eq!(p.json("DELETE", "/api/user/gone", None).await, deleted);
    }
}

#[tokio::test]
async fn usage_ranges_empty_means_the_last_30_days_on_0_8_4() {
    for (version, empty, bad) in [
        (
            "0.4.9",
            StatusCode::INTERNAL_SERVER_ERROR,
            StatusCode::INTERNAL_SERVER_ERROR,
        ),
        ("0.8.4", StatusCode::OK, StatusCode::BAD_REQUEST),
    ] {
        let p = panel(version).await;
        p.create(json!({"username": "alice", "proxies": {"vless": {}}, "inbounds": {}}))
            .await;
        let path = "/api/user/alice/usage";
        assert_eq!(p.call("GET", path, None).await.0, StatusCode::OK);
        let (status, _) = p.call("GET", &format!("{path}?start=&end="), None).await;
        assert_eq!(status, empty, "{version}: empty start/end");
        let (status, _) = p
            .call("GET", &format!("{path}?start=yesterday"), None)
            .await;
        assert_eq!(status, bad, "{version}: unreadable start");
    }
}

#[tokio::test]
async fn subscription_client_types_are_compared_exactly() {
    // 0.4.9: a name the pattern lets through but that is no type → 400 "Invalid subscription
    // type"; 0.8.4: `client_config.get` finds nothing and the handler fails with a 500.
    for (version, near_miss) in [
        ("0.4.9", StatusCode::BAD_REQUEST),
        ("0.8.4", StatusCode::INTERNAL_SERVER_ERROR),
    ] {
        let p = panel(version).await;
        let u = p
            .create(json!({"username": "alice", "proxies": {"vless": {}}, "inbounds": {}}))
            .await;
        let sub = u["subscription_url"].as_str().expect("url").to_owned();
        let get = |tail: &str| p.http.get(format!("{sub}/{tail}")).send();
        assert_eq!(get("v2ray").await.expect("sub").status(), StatusCode::OK);
        let r = get("v2rayng").await.expect("sub");
        assert_eq!(r.status(), near_miss, "{version}");
        if near_miss == StatusCode::BAD_REQUEST {
            let v: Value = r.json().await.expect("json");
            assert_eq!(v, json!({"detail": "Invalid subscription type"}));
        }
        let r = get("links").await.expect("sub");
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{version}");
    }
}

/// 0.8.4's database pool holds 15 connections (SQLAlchemy 2.0's QueuePool on its default SQLite,
/// fixtures/marzban-versions.md, "Database pool"): a 16th request at once waits, and past the
/// pool's timeout is answered 500. 0.4.9 has no such limit (NullPool).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_requests_at_once_overrun_0_8_4s_pool_of_fifteen() {
    let load = DbLoad {
        // Long enough for all sixteen to arrive while the first fifteen hold their connection.
        hold: Duration::from_millis(1500),
        pool_timeout: Duration::from_millis(100),
    };
    for (version, refused) in [("0.8.4", 1), ("0.4.9", 0)] {
        let p = panel_with(version, load).await;
        let calls = (0..16).map(|_| p.call("GET", "/api/system", None));
        let answers = futures::future::join_all(calls).await;
        let errors: Vec<&(StatusCode, String)> = answers
            .iter()
            .filter(|(status, _)| *status != StatusCode::OK)
            .collect();
        assert_eq!(errors.len(), refused, "{version}: {errors:?}");
        for (status, body) in errors {
            assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(body, "Internal Server Error");
        }
    }
}
