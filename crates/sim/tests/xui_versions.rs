//! Contract of the 3x-ui simulator, release by release, against shapes copied from the facts
//! file read out of the panel's Go source (`tests/fixtures/3x-ui-shapes.json`): login answers
//! and the `3x-ui` cookie, CSRF, empty 404s, `server/status`, `clients/get`, `list`,
//! `list/paged` and traffic rows, removed routes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeSet, sync::Arc};

use paneldeck_sim::{
    xui::{self, XuiSimConfig, XuiSimHandle, XuiVersion, ALL_VERSIONS},
    RunningSim, SimKind, SimOptions, SimStats,
};
use serde_json::{json, Value};

fn fixture() -> Value {
    let text = include_str!("fixtures/3x-ui-shapes.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

/// The release number a simulated version stands for; HEAD is newer than every tag.
fn release(v: XuiVersion) -> (u32, u32, u32) {
    match v {
        XuiVersion::V2_9_4 => (2, 9, 4),
        XuiVersion::V3_0_2 => (3, 0, 2),
        XuiVersion::V3_2_8 => (3, 2, 8),
        XuiVersion::V3_4_2 => (3, 4, 2),
        XuiVersion::V3_6_0 => (3, 6, 0),
        XuiVersion::Head => (99, 0, 0),
    }
}

fn has(v: XuiVersion, since: &str) -> bool {
    if since == "head" {
        return v == XuiVersion::Head;
    }
    let n: Vec<u32> = since
        .split('.')
        .map(|p| p.parse().expect("number"))
        .collect();
    release(v) >= (n[0], n[1], n[2])
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Keys `shape` must have at `v`, keys it may have, keys it must not have.
fn expected(
    fx: &Value,
    shape: &str,
    v: XuiVersion,
) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let s = &fx["shapes"][shape];
    let mut required = BTreeSet::new();
    if let Some(parent) = s["extends"].as_str() {
        required = expected(fx, parent, v).0;
    }
    for (since, keys) in s["since"].as_object().expect("since") {
        if has(v, since) {
            required.extend(strings(keys));
        }
    }
    if !has(v, "3.1.0") {
        required.extend(strings(&s["until_3_0"]));
    }
    (required, strings(&s["omitempty"]), strings(&s["never"]))
}

fn check(fx: &Value, shape: &str, v: XuiVersion, actual: &Value) {
    let (required, optional, never) = expected(fx, shape, v);
    let keys: BTreeSet<String> = actual
        .as_object()
        .unwrap_or_else(|| panic!("{v} {shape}: not an object: {actual}"))
        .keys()
        .cloned()
        .collect();
    let missing: Vec<_> = required.difference(&keys).collect();
    let extra: Vec<_> = keys
        .iter()
        .filter(|k| !required.contains(*k) && !optional.contains(*k))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{v} {shape} ({}): missing {missing:?}, not in the source {extra:?}",
        fx["shapes"][shape]["section"]
    );
    let forbidden: Vec<_> = keys.intersection(&never).collect();
    assert!(forbidden.is_empty(), "{v} {shape}: has {forbidden:?}");
}

async fn start(version: XuiVersion) -> (RunningSim, XuiSimHandle) {
    let opts = SimOptions {
        seed: 8,
        accounts: 6,
        groups: 3,
        ..SimOptions::default()
    };
    let stats = Arc::new(SimStats::default());
    let config = XuiSimConfig {
        version,
        ..XuiSimConfig::default()
    };
    let (app, handle) = xui::app_with(&opts, stats.clone(), config);
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim");
    (sim, handle)
}

/// Form login as a browser would send it; returns the CSRF token (v3.0+).
async fn login(
    fx: &Value,
    http: &reqwest::Client,
    sim: &RunningSim,
    handle: &XuiSimHandle,
    v: XuiVersion,
) -> Option<String> {
    let url = sim.url();
    let csrf_answer = http.get(format!("{url}csrf-token")).send().await.unwrap();
    let csrf = if v >= XuiVersion::V3_0_2 {
        let body: Value = csrf_answer.json().await.unwrap();
        let keys: BTreeSet<String> = body.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, strings(&fx["answers"]["csrfToken"]["keys"]), "{v}");
        body["obj"].as_str().map(str::to_owned)
    } else {
        assert_eq!(csrf_answer.status(), 404, "{v}: no /csrf-token before 3.0");
        None
    };
    let (user, pass) = handle.login();
    let post = |password: &str| {
        let mut req = http
            .post(format!("{url}login"))
            .form(&[("username", user.as_str()), ("password", password)]);
        if let Some(token) = &csrf {
            req = req.header("X-CSRF-Token", token);
        }
        req
    };
    let wrong = post("not-it").send().await.unwrap();
    let answer = &fx["answers"]["loginWrongPassword"];
    assert_eq!(wrong.status(), 200, "{v}");
    assert_eq!(wrong.json::<Value>().await.unwrap(), answer["body"], "{v}");

    let ok = post(&pass).send().await.unwrap();
    let answer = &fx["answers"]["loginSuccess"];
    assert_eq!(ok.status(), 200, "{v}");
    let cookie = ok
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with(&format!("{}=", answer["cookie"].as_str().unwrap())),
        "{v}: {cookie}"
    );
    assert_eq!(ok.json::<Value>().await.unwrap(), answer["body"], "{v}");
    csrf
}

async fn get(http: &reqwest::Client, sim: &RunningSim, path: &str) -> Value {
    let answer: Value = http
        .get(format!("{}{path}", sim.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["success"], true, "{path}: {answer}");
    answer["obj"].clone()
}

async fn one_version(fx: &Value, v: XuiVersion) {
    let (sim, handle) = start(v).await;
    // Strangers: an empty 404, or 401 for XMLHttpRequest from v3.0.2 (facts §2.6).
    let stranger = reqwest::Client::new();
    let list = format!("{}panel/api/inbounds/list", sim.url());
    let anon = stranger.get(&list).send().await.unwrap();
    assert_eq!(anon.status(), 404, "{v}");
    assert!(anon.bytes().await.unwrap().is_empty(), "{v}: empty body");
    let xhr = stranger
        .get(&list)
        .header("X-Requested-With", "XMLHttpRequest")
        .send()
        .await
        .unwrap();
    let want = if v >= XuiVersion::V3_0_2 { 401 } else { 404 };
    assert_eq!(xhr.status(), want, "{v}");

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let csrf = login(fx, &http, &sim, &handle, v).await;
    if let Some(token) = &csrf {
        // Cookie sessions' POSTs need the token: 403, empty body without it (§2.3).
        let route = if v.clients_api() {
            "panel/api/clients/onlines"
        } else {
            "panel/api/inbounds/onlines"
        };
        let refused = http
            .post(format!("{}{route}", sim.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{v}");
        assert!(refused.bytes().await.unwrap().is_empty());
        let with = http
            .post(format!("{}{route}", sim.url()))
            .header("X-CSRF-Token", token)
            .send()
            .await
            .unwrap();
        assert_eq!(with.status(), 200, "{v}");
    }

    let status = get(&http, &sim, "panel/api/server/status").await;
    check(fx, "status", v, &status);
    assert!(status["loads"].is_array(), "{v}: loads[]");

    let inbounds = get(&http, &sim, "panel/api/inbounds/list").await;
    check(fx, "clientTraffic", v, &inbounds[0]["clientStats"][0]);

    let email = handle.clients()[0].email.clone();
    if !v.clients_api() {
        let gone = http
            .get(format!("{}panel/api/clients/get/{email}", sim.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 404, "{v}: no clients API before 3.1");
        return;
    }
    // 3.1.0 removed the per-inbound client routes (§1.1).
    let removed = http
        .post(format!("{}panel/api/inbounds/addClient", sim.url()))
        .header("X-CSRF-Token", csrf.clone().unwrap_or_default())
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 404, "{v}");
    // A wrong method on a route that exists is a 404 too, never a 405 (§3.3: gin's
    // HandleMethodNotAllowed is off).
    let wrong_method = http
        .get(format!("{}panel/api/clients/add", sim.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 404, "{v}");
    assert!(wrong_method.text().await.unwrap().is_empty(), "{v}");

    let listed = get(&http, &sim, "panel/api/clients/list").await;
    check(fx, "clientWithAttachments", v, &listed[0]);
    check(fx, "clientTraffic", v, &listed[0]["traffic"]);
    let detail = get(&http, &sim, &format!("panel/api/clients/get/{email}")).await;
    check(fx, "clientDetail", v, &detail);
    check(fx, "clientRecord", v, &detail["client"]);
    let unknown: Value = http
        .get(format!("{}panel/api/clients/get/nobody", sim.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(unknown, fx["answers"]["unknownClient"]["body"], "{v}");

    let page = get(&http, &sim, "panel/api/clients/list/paged?pageSize=50").await;
    check(fx, "clientPage", v, &page);
    check(fx, "pageSummary", v, &page["summary"]);
    for row in page["items"].as_array().unwrap() {
        check(fx, "clientSlim", v, row);
    }
    assert!(
        page["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string),
        "{v}: groups are names (§4.5)"
    );
    let traffic = get(&http, &sim, &format!("panel/api/clients/traffic/{email}")).await;
    check(fx, "clientTraffic", v, &traffic);

    if v == XuiVersion::Head {
        let examples = &fx["examples"];
        let same_keys = |a: &Value, b: &Value| {
            let k = |v: &Value| {
                v.as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect::<BTreeSet<_>>()
            };
            assert_eq!(k(a), k(b));
        };
        same_keys(&detail["client"], &examples["clientRecordHead"]["value"]);
        same_keys(&traffic, &examples["clientTrafficHead"]["value"]);
        same_keys(&page, &examples["pagedHead"]["value"]);
        same_keys(&page["summary"], &examples["pagedHead"]["value"]["summary"]);
        // A monitor token reads server status only (§2.5).
        let monitor = reqwest::Client::new();
        let refused = monitor
            .get(format!("{}panel/api/clients/list", sim.url()))
            .bearer_auth(handle.monitor_token())
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let answer = &fx["answers"]["scopeRefused"];
        assert_eq!(refused.json::<Value>().await.unwrap(), answer["body"]);
        let status = monitor
            .get(format!("{}panel/api/server/status", sim.url()))
            .bearer_auth(handle.monitor_token())
            .send()
            .await
            .unwrap();
        assert_eq!(status.status(), 200);
    }
}

#[tokio::test]
async fn every_release_answers_with_the_source_shapes() {
    let fx = fixture();
    for v in ALL_VERSIONS {
        one_version(&fx, v).await;
    }
}

#[tokio::test]
async fn update_replaces_the_whole_client() {
    // §4.7: an omitted `enable` disables, omitted quota/expiry/group become zero.
    let (sim, handle) = start(XuiVersion::V3_6_0).await;
    let c = handle
        .clients()
        .into_iter()
        .find(|c| c.enable && c.total_bytes > 0)
        .expect("an enabled client with a quota");
    let answer: Value = reqwest::Client::new()
        .post(format!("{}panel/api/clients/update/{}", sim.url(), c.email))
        .bearer_auth(handle.token())
        .json(&json!({ "email": c.email, "comment": "only this" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["success"], true, "{answer}");
    let after = handle.client(&c.email).unwrap();
    assert_eq!(
        (
            after.enable,
            after.total_bytes,
            after.expiry_time_ms,
            after.group.as_str()
        ),
        (false, 0, 0, "")
    );
    assert_eq!(
        (after.uuid, after.sub_id),
        (c.uuid, c.sub_id),
        "kept when omitted"
    );
}
