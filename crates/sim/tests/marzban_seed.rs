//! The simulated Marzban's seeding is deterministic, and its tokens and subscriptions behave
//! like the real server's (expiry, revocation, User-Agent formats).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paneldeck_sim::{
    marzban::{start_with_ttl, MarzbanSim},
    SimCredentials, SimOptions,
};
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn started(
    seed: u64,
    ttl: Duration,
) -> (paneldeck_sim::RunningSim, MarzbanSim, String, String) {
    started_as(None, seed, ttl).await
}

async fn started_as(
    version: Option<&str>,
    seed: u64,
    ttl: Duration,
) -> (paneldeck_sim::RunningSim, MarzbanSim, String, String) {
    let opts = SimOptions {
        seed,
        accounts: 40,
        panel_version: version.map(str::to_owned),
        ..SimOptions::default()
    };
    let (sim, handle) = start_with_ttl(opts, ttl).await.expect("sim");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("password credentials");
    };
    let base = sim.url().trim_end_matches('/').to_owned();
    let token = token(&base, &username, &password).await;
    (sim, handle, base, token)
}

async fn token(base: &str, username: &str, password: &str) -> String {
    let v: Value = Client::new()
        .post(format!("{base}/api/admin/token"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    v["access_token"].as_str().expect("token").to_owned()
}

async fn users(base: &str, token: &str) -> Vec<Value> {
    let v = users_answer(base, token, "").await;
    v["users"].as_array().expect("users").clone()
}

/// `GET /api/users?{query}`: `{"users": [...], "total": n}`.
async fn users_answer(base: &str, token: &str, query: &str) -> Value {
    Client::new()
        .get(format!("{base}/api/users?{query}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("users")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn same_seed_same_accounts() {
    let (_a, _, base_a, tok_a) = started(11, Duration::from_secs(60)).await;
    let (_b, _, base_b, tok_b) = started(11, Duration::from_secs(60)).await;
    let (_c, _, base_c, tok_c) = started(12, Duration::from_secs(60)).await;
    let key = |u: &Value| {
        (
            u["username"].clone(),
            u["proxies"].clone(),
            u["status"].clone(),
        )
    };
    let a: Vec<_> = users(&base_a, &tok_a).await.iter().map(key).collect();
    let b: Vec<_> = users(&base_b, &tok_b).await.iter().map(key).collect();
    let c: Vec<_> = users(&base_c, &tok_c).await.iter().map(key).collect();
    assert_eq!(a.len(), 40);
    assert_eq!(a, b, "same seed, same users");
    assert_ne!(a, c, "another seed, other users");
    let statuses: std::collections::BTreeSet<String> = a
        .iter()
        .filter_map(|k| k.2.as_str().map(str::to_owned))
        .collect();
    assert!(statuses.len() >= 3, "a mix of statuses: {statuses:?}");
}

/// A token is refused once its lifetime has run out (only looked at after it has: a slow
/// machine cannot make this fail).
#[tokio::test]
async fn a_token_ends_with_its_lifetime() {
    let (_sim, _, base, tok) = started(3, Duration::from_millis(200)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        refused_users(&base, Some(&tok)).await,
        "Could not validate credentials"
    );
}

/// `GET /api/users` with `token` (or none) must be refused: the answer's `detail`.
async fn refused_users(base: &str, token: Option<&str>) -> Value {
    let mut request = Client::new().get(format!("{base}/api/users"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let r = request.send().await.expect("req");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.expect("json");
    v["detail"].clone()
}

#[tokio::test]
async fn expired_tokens_and_revoked_subscriptions() {
    // A revoked token: 204 with no body on 0.4.9, 404 `{"detail":"Not Found"}` on 0.8.4
    // (NOTES.md, measured table; step 38 of each transcript).
    let revoked_04 = revoked_subscription_answer(Some("0.4.9")).await;
    assert_eq!(revoked_04, (StatusCode::NO_CONTENT, String::new()));
    let revoked_08 = revoked_subscription_answer(None).await;
    assert_eq!(
        revoked_08,
        (
            StatusCode::NOT_FOUND,
            r#"{"detail":"Not Found"}"#.to_owned()
        )
    );
}

/// Status and body of a subscription fetched with its token after `revoke_sub`.
async fn revoked_subscription_answer(version: Option<&str>) -> (StatusCode, String) {
    let (sim, handle, base, tok) = started_as(version, 3, Duration::from_secs(60)).await;
    let http = Client::new();
    let first = users(&base, &tok).await;
    let sub = first[0]["subscription_url"]
        .as_str()
        .expect("url")
        .to_owned();
    let username = first[0]["username"].as_str().expect("name").to_owned();
    handle.expire_tokens();
    assert_eq!(
        refused_users(&base, Some(&tok)).await,
        "Could not validate credentials"
    );
    assert_eq!(refused_users(&base, None).await, "Not authenticated");

    // Subscriptions need no admin token; the User-Agent picks the format.
    let r = http
        .get(format!("{sub}/"))
        .header("user-agent", "SFA/1.8")
        .send()
        .await
        .expect("sub");
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["subscription-userinfo"]
        .to_str()
        .expect("hdr")
        .starts_with("upload=0; download="));
    let doc: Value = r.json().await.expect("sing-box json");
    assert!(doc["outbounds"].is_array());
    let r = http.get(format!("{sub}/links")).send().await.expect("sub");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let fresh = token(&base, "admin", &sim_password(&sim)).await;
    let r = http
        .post(format!("{base}/api/user/{username}/revoke_sub"))
        .bearer_auth(&fresh)
        .send()
        .await
        .expect("revoke");
    assert_eq!(r.status(), StatusCode::OK);
    let r = http.get(format!("{sub}/")).send().await.expect("old sub");
    (r.status(), r.text().await.expect("body"))
}

fn sim_password(sim: &paneldeck_sim::RunningSim) -> String {
    match &sim.credentials {
        SimCredentials::Password { password, .. } => password.clone(),
        _ => String::new(),
    }
}

/// `GET /api/users` pages in id order; the sorted and filtered listing is computed another
/// way (over every user), so the two must agree after users come and go.
#[tokio::test]
async fn pages_follow_id_order_after_adds_and_removals() {
    let (_sim, _, base, tok) = started(5, Duration::from_secs(60)).await;
    let http = Client::new();
    let names = |v: &Value| -> Vec<(String, String)> {
        v["users"]
            .as_array()
            .expect("users")
            .iter()
            .map(|u| {
                let field = |k: &str| u[k].as_str().unwrap_or_default().to_owned();
                (field("username"), field("status"))
            })
            .collect()
    };
    let before = names(&users_answer(&base, &tok, "").await);
    for (name, _) in [&before[3], &before[17]] {
        let r = http
            .delete(format!("{base}/api/user/{name}"))
            .bearer_auth(&tok)
            .send()
            .await
            .expect("delete");
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = http
        .post(format!("{base}/api/user"))
        .bearer_auth(&tok)
        .json(&serde_json::json!({"username": "Aaa_late", "proxies": {"vless": {}}}))
        .send()
        .await
        .expect("add");
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);

    let mut paged = Vec::new();
    for offset in (0..39).step_by(7) {
        let page = users_answer(&base, &tok, &format!("offset={offset}&limit=7")).await;
        assert_eq!(page["total"], 39, "40 seeded, 2 removed, 1 added");
        let page = names(&page);
        assert_eq!(page.len(), 7.min(39 - offset), "a full page at {offset}");
        paged.extend(page);
    }
    let sorted = names(&users_answer(&base, &tok, "sort=created_at").await);
    assert_eq!(paged, sorted);
    assert_eq!(paged.len(), 39);
    assert_eq!(paged.last().map(|p| p.0.as_str()), Some("Aaa_late"));
    assert!(!paged.contains(&before[3]) && !paged.contains(&before[17]));
    let mut expected = before.clone();
    expected.remove(17);
    expected.remove(3);
    assert_eq!(paged[..38], expected[..]);
}

/// The review the simulator skips while nobody is due still expires a user the moment its
/// expiry passes: Marzban's review job looks at each user's expiry alone
/// (`app/jobs/review_users.py` at v0.8.4), whatever else was read or created meanwhile.
#[tokio::test]
async fn a_user_expires_when_its_expiry_passes_between_reads() {
    let (_sim, _, base, token) = started(5, Duration::from_secs(60)).await;
    let http = Client::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let create = |name: &str, expire: Option<u64>| {
        let body =
            serde_json::json!({"username": name, "proxies": {"vless": {}}, "expire": expire});
        http.post(format!("{base}/api/user"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let soon: Value = create("soon", Some(now + 2))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(soon["status"], "active");
    let status = |answer: Value| answer["users"][0]["status"].as_str().unwrap().to_owned();
    assert_eq!(
        status(users_answer(&base, &token, "username=soon").await),
        "active"
    );
    // Creates and listings in between, each with its review pass.
    assert_eq!(
        create("later", None).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        status(users_answer(&base, &token, "username=soon").await),
        "active"
    );
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(
        status(users_answer(&base, &token, "username=soon").await),
        "expired"
    );
    let later = users_answer(&base, &token, "username=later").await;
    assert_eq!(status(later), "active");
}
