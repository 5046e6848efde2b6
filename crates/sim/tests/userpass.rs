//! The user-pass simulator over raw HTTP: envelope, key placement, uniqueness, paging.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_sim::{RunningSim, SimCredentials, SimKind, SimOptions};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const BASE: &str = "client/v1/user-passes";

struct Api {
    sim: RunningSim,
    http: reqwest::Client,
    key: String,
}

impl Api {
    async fn start(accounts: usize, seed: u64) -> Api {
        let opts = SimOptions {
            seed,
            accounts,
            ..SimOptions::default()
        };
        let sim = paneldeck_sim::start_local(SimKind::Userpass, opts)
            .await
            .expect("sim");
        let SimCredentials::ApiKey { api_key } = sim.credentials.clone() else {
            panic!("unexpected credentials");
        };
        Api {
            sim,
            http: reqwest::Client::new(),
            key: api_key,
        }
    }

    async fn send(&self, method: Method, route: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{BASE}/{route}", self.sim.url()))
            .header("api-key", &self.key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("send");
        let status = resp.status();
        (status, resp.json().await.expect("json envelope"))
    }

    async fn names(&self) -> Vec<String> {
        let (_, v) = self.send(Method::GET, "get-list?limit=100", None).await;
        v["result"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["user_name"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

#[tokio::test]
async fn same_seed_same_sub_users_and_key() {
    let a = Api::start(25, 9).await;
    let b = Api::start(25, 9).await;
    assert_eq!(a.key, b.key);
    assert_eq!(
        a.send(Method::GET, "get-list", None).await,
        b.send(Method::GET, "get-list", None).await
    );
    let c = Api::start(25, 10).await;
    assert_ne!(a.names().await, c.names().await);
}

#[tokio::test]
async fn the_key_is_taken_from_header_or_query_and_required() {
    let api = Api::start(3, 1).await;
    let url = format!("{}{BASE}/get-list", api.sim.url());
    let via_query = api
        .http
        .get(&url)
        .query(&[("api-key", api.key.as_str())])
        .send()
        .await
        .expect("send");
    assert_eq!(via_query.status(), StatusCode::OK);
    let none = api.http.get(&url).send().await.expect("send");
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let body: Value = none.json().await.expect("json");
    assert_eq!(body["success"], false);
    assert_eq!(body["message"], "Unauthenticated.");
}

#[tokio::test]
async fn paging_clamps_the_limit_and_counts_pages() {
    let api = Api::start(130, 1).await;
    let (_, v) = api.send(Method::GET, "get-list?limit=500", None).await;
    assert_eq!(v["result"]["items"].as_array().map(Vec::len), Some(100));
    assert_eq!(v["result"]["total_items"], 130);
    assert_eq!(v["result"]["total_pages"], 2);
    let (_, v) = api.send(Method::GET, "get-list?page=9", None).await;
    assert_eq!(v["result"]["items"].as_array().map(Vec::len), Some(0));
    let (status, v) = api
        .send(Method::GET, "get-list?sort_by=password", None)
        .await;
    assert_eq!(
        (status, v["success"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!(false))
    );
}

#[tokio::test]
async fn create_validates_and_keeps_names_unique() {
    let api = Api::start(0, 1).await;
    let ok = json!({"user_name": "user_1", "use_key": "pass_123", "status": 1});
    let (status, v) = api.send(Method::POST, "create", Some(ok)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["result"]["usage_cap"], -1);
    assert_eq!(v["result"]["ip_usage_cap"], -1);

    for (body, needle) in [
        (
            json!({"user_name": "USER_1", "use_key": "x", "status": 1}),
            "already been taken",
        ),
        (
            json!({"use_key": "x", "status": 1}),
            "user_name field is required",
        ),
        (
            json!({"user_name": "b", "use_key": "x", "status": 3}),
            "status is invalid",
        ),
        (
            json!({"user_name": "c", "use_key": "x", "status": 1, "usage_cap": -5}),
            "at least -1",
        ),
    ] {
        let (status, v) = api.send(Method::POST, "create", Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(v["success"], false);
        assert!(
            v["message"].as_str().unwrap_or_default().contains(needle),
            "{v}"
        );
    }
    assert_eq!(api.names().await, vec!["user_1"]);
}

#[tokio::test]
async fn update_keeps_omitted_fields_and_delete_takes_a_body() {
    let api = Api::start(0, 1).await;
    let body =
        json!({"user_name": "u", "use_key": "p", "status": 1, "note": "n", "usage_cap": 5000});
    let (_, v) = api.send(Method::POST, "create", Some(body)).await;
    let id = v["result"]["id"].as_u64().expect("id");

    let (status, v) = api
        .send(
            Method::PUT,
            "update",
            Some(json!({"id": id, "use_key": "p2", "status": 2, "ip_usage_cap": 10})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, list) = api.send(Method::GET, "get-list", None).await;
    let item = &list["result"]["items"][0];
    assert_eq!(
        (
            item["user_name"].clone(),
            item["use_key"].clone(),
            item["status"].clone()
        ),
        (json!("u"), json!("p2"), json!(2))
    );
    assert_eq!(
        (
            item["note"].clone(),
            item["usage_cap"].clone(),
            item["ip_usage_cap"].clone()
        ),
        (json!("n"), json!(5000), json!(10))
    );

    let (status, _) = api
        .send(Method::DELETE, "delete", Some(json!({"id": id})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(api.names().await.is_empty());
    let (status, v) = api
        .send(Method::DELETE, "delete", Some(json!({"id": id})))
        .await;
    assert_eq!(
        (status, v["success"].clone()),
        (StatusCode::NOT_FOUND, json!(false))
    );
}

#[tokio::test]
async fn the_announcement_carries_the_api_key() {
    let api = Api::start(1, 1).await;
    let line = api.sim.announcement();
    assert_eq!(line["kind"], "userpass");
    assert_eq!(line["api_key"], api.key.as_str());
}

/// Pages by id (found by position) agree with the general sorted listing after sub-users
/// are deleted and created, in both directions.
#[tokio::test]
async fn pages_by_id_follow_deletes_and_creates() {
    let api = Api::start(30, 4).await;
    let ids = |v: &Value| -> Vec<u64> {
        v["result"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["id"].as_u64())
            .collect()
    };
    let (_, v) = api.send(Method::GET, "get-list?limit=100", None).await;
    let before = ids(&v);
    for gone in [before[4], before[20]] {
        let (status, _) = api
            .send(Method::DELETE, "delete", Some(json!({"id": gone})))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let body = json!({"user_name": "late", "use_key": "p", "status": 1});
    let (status, v) = api.send(Method::POST, "create", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let added = v["result"]["id"].as_u64().expect("id");

    for order in ["asc", "desc"] {
        let mut paged = Vec::new();
        for page in 1..=5 {
            let route = format!("get-list?limit=7&page={page}&sort_by=id&order_by={order}");
            let (_, v) = api.send(Method::GET, &route, None).await;
            assert_eq!(
                v["result"]["total_items"], 29,
                "30 seeded, 2 deleted, 1 created"
            );
            let got = ids(&v);
            assert_eq!(got.len(), 7.min(29 - (page - 1) * 7), "page {page} {order}");
            paged.extend(got);
        }
        let route = format!("get-list?limit=100&sort_by=created_at&order_by={order}");
        let (_, v) = api.send(Method::GET, &route, None).await;
        assert_eq!(paged, ids(&v), "{order}");
        let mut expected: Vec<u64> = before
            .iter()
            .copied()
            .filter(|id| ![before[4], before[20]].contains(id))
            .chain([added])
            .collect();
        expected.sort_unstable();
        if order == "desc" {
            expected.reverse();
        }
        assert_eq!(paged, expected, "{order}");
    }
}
