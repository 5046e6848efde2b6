//! The 3x-ui simulator on its own: seeding, auth rules, paging limits and the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::Arc,
    time::Duration,
};

use paneldeck_sim::{
    xui::{self, XuiSimConfig, MAX_PAGE_SIZE},
    SimCredentials, SimKind, SimOptions, SimStats,
};
use serde_json::Value;

fn opts(seed: u64, accounts: usize, groups: usize) -> SimOptions {
    SimOptions {
        seed,
        accounts,
        groups,
        ..SimOptions::default()
    }
}

#[test]
fn same_seed_same_panel() {
    let build = |seed| {
        let (_, handle) = xui::app_with(
            &opts(seed, 40, 5),
            Arc::new(SimStats::default()),
            XuiSimConfig::default(),
        );
        handle
    };
    let (a, b, c) = (build(9), build(9), build(10));
    let key = |h: &xui::XuiSimHandle| {
        h.clients()
            .into_iter()
            .map(|c| {
                (
                    c.email,
                    c.uuid,
                    c.sub_id,
                    c.total_bytes,
                    c.up_bytes,
                    c.inbound_ids,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
    assert_ne!(key(&a), key(&c));
    assert_eq!(a.token(), b.token());
    let clients = a.clients();
    assert_eq!(clients.len(), 40);
    let mut emails: Vec<_> = clients.iter().map(|c| c.email.clone()).collect();
    let mut subs: Vec<_> = clients.iter().map(|c| c.sub_id.clone()).collect();
    emails.sort();
    emails.dedup();
    subs.sort();
    subs.dedup();
    assert_eq!(
        (emails.len(), subs.len()),
        (40, 40),
        "emails and subIds are unique"
    );
    let protocols: Vec<String> = a.inbounds().into_iter().map(|i| i.protocol).collect();
    assert_eq!(
        protocols,
        ["vless", "vmess", "trojan", "shadowsocks", "vless"]
    );
    assert!(
        clients.iter().any(|c| c.expiry_time_ms < 0),
        "some start after first use"
    );
    assert!(
        clients.iter().any(|c| c.total_bytes == 0),
        "some are unlimited"
    );
    assert!(!a.online().is_empty());
}

#[tokio::test]
async fn auth_hides_the_api_and_cookie_posts_need_csrf() {
    let sim = paneldeck_sim::start_local(SimKind::Xui, opts(1, 5, 2))
        .await
        .expect("sim");
    let SimCredentials::Login {
        token: Some(token), ..
    } = sim.credentials.clone()
    else {
        panic!("xui 3.6.0 announces a login and a token");
    };
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let list = format!("{}panel/api/clients/list", sim.url());
    let anon = http.get(&list).send().await.expect("anon");
    assert_eq!(anon.status(), 404, "strangers see no API");
    let xhr = http
        .get(&list)
        .header("X-Requested-With", "XMLHttpRequest")
        .send()
        .await
        .expect("xhr");
    assert_eq!(xhr.status(), 401);
    let ok: Value = http
        .get(&list)
        .bearer_auth(&token)
        .send()
        .await
        .expect("ok")
        .json()
        .await
        .expect("json");
    assert_eq!(ok["obj"].as_array().map(Vec::len), Some(5));

    // Cookie session: login needs the CSRF token, and so does every later POST.
    let csrf: Value = http
        .get(format!("{}csrf-token", sim.url()))
        .send()
        .await
        .expect("csrf")
        .json()
        .await
        .expect("json");
    let csrf = csrf["obj"].as_str().expect("token").to_owned();
    let (app, handle) = xui::app_with(
        &opts(1, 5, 2),
        Arc::new(SimStats::default()),
        XuiSimConfig::default(),
    );
    drop(app);
    let (user, pass) = handle.login();
    let body = serde_json::json!({ "username": user, "password": pass });
    let no_csrf = http
        .post(format!("{}login", sim.url()))
        .json(&body)
        .send()
        .await
        .expect("login");
    assert_eq!(no_csrf.status(), 403);
    let login: Value = http
        .post(format!("{}login", sim.url()))
        .header("X-CSRF-Token", &csrf)
        .json(&body)
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    assert_eq!(login["success"], true, "{login}");
    let onlines = format!("{}panel/api/clients/onlines", sim.url());
    assert_eq!(
        http.post(&onlines).send().await.expect("post").status(),
        403
    );
    let with: Value = http
        .post(&onlines)
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(with["success"], true);
}

#[tokio::test]
async fn paging_defaults_and_limits() {
    let opts = opts(2, 230, 4);
    let stats = Arc::new(SimStats::default());
    let (app, handle) = xui::app_with(&opts, stats.clone(), XuiSimConfig::default());
    let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
        .await
        .expect("sim");
    let token = handle.token();
    let http = reqwest::Client::new();
    let get = |query: &'static str| {
        let req = http
            .get(format!("{}panel/api/clients/list/paged{query}", sim.url()))
            .bearer_auth(&token);
        async move {
            req.send()
                .await
                .expect("send")
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    let page = get("").await;
    assert_eq!(page["obj"]["pageSize"], 25);
    assert_eq!(page["obj"]["page"], 1);
    assert_eq!(page["obj"]["items"].as_array().map(Vec::len), Some(25));
    let big = get("?pageSize=1000&page=0").await;
    assert_eq!(big["obj"]["pageSize"], MAX_PAGE_SIZE);
    assert_eq!(big["obj"]["page"], 1);
    assert_eq!(big["obj"]["items"].as_array().map(Vec::len), Some(200));
    let last = get("?pageSize=200&page=2").await;
    assert_eq!(last["obj"]["items"].as_array().map(Vec::len), Some(30));
    assert_eq!(last["obj"]["total"], 230);
    let filtered = get("?filter=deactive,depleted&protocol=trojan,vmess").await;
    assert!(filtered["obj"]["filtered"].as_u64().expect("n") < 230);

    // Summary counts are exact, its email lists stop at 200.
    for c in handle.clients() {
        // `summary.deactive` leaves depleted clients out (facts §6): none are here.
        handle.edit(&c.email, |c| {
            c.enable = false;
            c.total_bytes = 0;
            c.expiry_time_ms = 0;
        });
    }
    let summary = get("?pageSize=1").await["obj"]["summary"].clone();
    assert_eq!(summary["deactiveCount"], 230);
    assert_eq!(summary["deactive"].as_array().map(Vec::len), Some(200));
    assert_eq!(summary["active"], 0);
}

#[test]
fn the_binary_serves_a_seeded_panel() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paneldeck-sim"))
        .args([
            "--kind",
            "xui",
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "4",
            "--accounts",
            "7",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(15));
    let result = (|| {
        let line = line.map_err(|e| format!("no announcement: {e}"))?;
        let announce: Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        let url = announce["url"].as_str().ok_or("url")?.to_owned();
        let token = announce["token"].as_str().ok_or("token")?.to_owned();
        let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
        rt.block_on(async {
            let v: Value = reqwest::Client::new()
                .get(format!("{url}panel/api/clients/list"))
                .bearer_auth(token)
                .timeout(Duration::from_secs(5))
                .send()
                .await
                .map_err(|e| e.to_string())?
                .json()
                .await
                .map_err(|e| e.to_string())?;
            Ok::<usize, String>(v["obj"].as_array().map_or(0, Vec::len))
        })
    })();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(result, Ok(7));
}

/// A cookie session logged in with a form body (2.9.4 has no CSRF; v3 needs the token from
/// `GET /csrf-token`, which the returned value carries).
pub async fn form_login(
    http: &reqwest::Client,
    url: &str,
    user: &str,
    pass: &str,
) -> Option<String> {
    let csrf = match http.get(format!("{url}csrf-token")).send().await {
        Ok(r) if r.status() == 200 => r.json::<Value>().await.ok()?["obj"]
            .as_str()
            .map(str::to_owned),
        _ => None,
    };
    let mut req = http
        .post(format!("{url}login"))
        .form(&[("username", user), ("password", pass)]);
    if let Some(token) = &csrf {
        req = req.header("X-CSRF-Token", token);
    }
    let answer: Value = req.send().await.ok()?.json().await.ok()?;
    assert_eq!(answer["success"], true, "{answer}");
    csrf
}

#[tokio::test]
async fn every_version_serves_its_routes_and_only_those() {
    let opts = opts(3, 4, 2);
    let fill = |p: &str| {
        p.replace("{email}", "x")
            .replace("{id}", "1")
            .replace("{name}", "g")
            .replace("{subId}", "s")
            .replace("{clientId}", "c")
    };
    for version in xui::ALL_VERSIONS {
        let stats = Arc::new(SimStats::default());
        let config = XuiSimConfig {
            version,
            ..XuiSimConfig::default()
        };
        let (app, handle) = xui::app_with(&opts, stats.clone(), config);
        let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
            .await
            .expect("sim");
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let (user, pass) = handle.login();
        let csrf = form_login(&http, &sim.url(), &user, &pass).await;
        assert_eq!(
            csrf.is_some(),
            version >= xui::XuiVersion::V3_0_2,
            "{version}"
        );
        let routes = xui::routes(version);
        for (method, path) in &routes {
            if ["/login", "/logout"].contains(path) {
                continue;
            }
            let url = format!("http://{}{}", sim.addr, fill(path));
            let resp = http
                .request(method.parse().expect("method"), &url)
                .header("X-CSRF-Token", csrf.clone().unwrap_or_default())
                .json(&serde_json::json!({ "id": 1, "settings": "{}" }))
                .send()
                .await
                .expect("send");
            assert_ne!(
                resp.status(),
                404,
                "{version}: {method} {path} is not routed"
            );
        }
        // What a version lacks is the bare 404 of an unknown route (facts §3.3).
        let absent = [
            ("GET", "/panel/api/clients/list", version.clients_api()),
            (
                "POST",
                "/panel/api/inbounds/addClient",
                !version.clients_api(),
            ),
            ("GET", "/csrf-token", version >= xui::XuiVersion::V3_0_2),
            (
                "POST",
                "/panel/api/clients/bulkEnable",
                version >= xui::XuiVersion::V3_4_2,
            ),
        ];
        for (method, path, present) in absent {
            assert_eq!(
                routes.contains(&(method, path)),
                present,
                "{version}: {method} {path}"
            );
            if !present {
                let resp = http
                    .request(
                        method.parse().expect("method"),
                        format!("http://{}{path}", sim.addr),
                    )
                    .header("X-CSRF-Token", csrf.clone().unwrap_or_default())
                    .send()
                    .await
                    .expect("send");
                assert_eq!(resp.status(), 404, "{version}: {method} {path}");
                assert!(resp.bytes().await.expect("body").is_empty());
            }
        }
        let inbounds: Value = http
            .get(format!("{}panel/api/inbounds/list", sim.url()))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert_eq!(
            inbounds["obj"][0]["settings"].is_string(),
            !version.clients_api(),
            "{version}: settings are strings up to v3.0.x"
        );
    }
}
