//! Contract check: walks `marzban-0.4.9-openapi.json` (the document the real 0.4.9 serves),
//! calls every operation on the simulator and validates each answer against the operation's
//! declared schema; then checks the declared 403/404 answers and Marzban's 422 shape.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paneldeck_sim::{marzban::start_with_ttl, SimCredentials, SimOptions};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

fn document() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/marzban-0.4.9-openapi.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).expect("openapi json")
}

/// A small JSON-schema checker for what FastAPI emits: `$ref`, `allOf`, `anyOf`, `enum`,
/// `type`, `required`, `properties`, `additionalProperties`, `items`, `nullable`, `minimum`,
/// `format: date-time`. `null` passes for `nullable` schemas and for properties not listed in
/// `required` (pydantic v1 leaves `nullable` out for `Optional` fields; the real server sends
/// `null` there, e.g. `data_limit`, `telegram_id`).
struct Checker<'a> {
    doc: &'a Value,
    errors: Vec<String>,
}

impl Checker<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.trim_start_matches("#/components/schemas/");
                let target = &self.doc["components"]["schemas"][name];
                assert!(!target.is_null(), "unresolved $ref {r}");
                target
            }
            None => schema,
        }
    }

    fn passes(&self, schema: &Value, value: &Value, optional: bool) -> bool {
        let mut probe = Checker {
            doc: self.doc,
            errors: Vec::new(),
        };
        probe.check(schema, value, "", optional);
        probe.errors.is_empty()
    }

    fn check(&mut self, schema: &Value, value: &Value, at: &str, optional: bool) {
        let schema = self.resolve(schema).clone();
        if value.is_null()
            && (optional || schema.get("nullable").and_then(Value::as_bool) == Some(true))
        {
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(s, value, at, optional);
            }
        }
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            if !any.iter().any(|s| self.passes(s, value, optional)) {
                self.errors
                    .push(format!("{at}: {value} matches no anyOf branch"));
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                self.errors
                    .push(format!("{at}: {value} not in enum {options:?}"));
            }
        }
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if value.as_f64().is_some_and(|v| v < min) {
                self.errors.push(format!("{at}: {value} < minimum {min}"));
            }
        }
        let Some(ty) = schema.get("type").and_then(Value::as_str) else {
            return;
        };
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            other => panic!("schema type {other} not handled"),
        };
        if !ok {
            self.errors
                .push(format!("{at}: expected {ty}, got {value}"));
            return;
        }
        if schema.get("format").and_then(Value::as_str) == Some("date-time") {
            let s = value.as_str().unwrap_or_default();
            let shaped = s.len() >= 19 && &s[4..5] == "-" && &s[10..11] == "T" && &s[13..14] == ":";
            if !shaped {
                self.errors.push(format!("{at}: '{s}' is not a date-time"));
            }
        }
        match ty {
            "object" => {
                let obj = value.as_object().expect("object");
                let required: Vec<&str> = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for key in &required {
                    if !obj.contains_key(*key) {
                        self.errors.push(format!("{at}: missing required '{key}'"));
                    }
                }
                let props = schema.get("properties").and_then(Value::as_object);
                for (k, v) in obj {
                    let path = format!("{at}.{k}");
                    match props.and_then(|p| p.get(k)) {
                        Some(s) => self.check(s, v, &path, !required.contains(&k.as_str())),
                        None => {
                            if let Some(extra) = schema.get("additionalProperties") {
                                if extra.is_object() {
                                    self.check(extra, v, &path, false);
                                }
                            }
                        }
                    }
                }
            }
            "array" => {
                if let Some(items) = schema.get("items") {
                    for (i, v) in value.as_array().expect("array").iter().enumerate() {
                        self.check(items, v, &format!("{at}[{i}]"), false);
                    }
                }
            }
            _ => {}
        }
    }
}

struct Ctx {
    http: Client,
    base: String,
    sudo: String,
    op: String,
}

impl Ctx {
    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

async fn login(http: &Client, base: &str, user: &str, pass: &str) -> String {
    let resp = http
        .post(format!("{base}/api/admin/token"))
        .form(&[("username", user), ("password", pass)])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json().await.expect("token json");
    v["access_token"].as_str().expect("access_token").to_owned()
}

/// The body each request schema gets (the documented examples where they fit the simulator's
/// inbounds).
fn body_for(schema: &Value, doc: &Value, sim_state: &Value) -> Option<Value> {
    let name = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(|r| r.trim_start_matches("#/components/schemas/").to_owned())
        .unwrap_or_default();
    Some(match name.as_str() {
        "AdminCreate" => {
            json!({"username": "walker_admin2", "password": "pw123456", "is_sudo": false})
        }
        "AdminModify" => json!({"is_sudo": false, "password": "pw654321"}),
        "UserCreate" => json!({"username": "walker2", "proxies": {"vless": {}, "trojan": {}},
                               "inbounds": {"vless": ["VLESS TCP"]}, "expire": 0, "data_limit": 0}),
        "UserModify" => json!({"note": "walked", "data_limit": 1073741824}),
        "UserTemplateCreate" => json!({"name": "walk tpl 2", "data_limit": 0, "expire_duration": 0,
                                       "inbounds": {"vmess": ["VMESS WS"]}}),
        "UserTemplateModify" => json!({"name": "walk tpl renamed"}),
        "NodeCreate" | "NodeModify" => {
            let mut ex = doc["components"]["schemas"][name.as_str()]["example"].clone();
            ex["name"] = json!(format!("{name} node"));
            ex
        }
        _ => match schema.get("title").and_then(Value::as_str) {
            Some("Modified Hosts") => sim_state["hosts"].clone(),
            Some("Payload") => sim_state["config"].clone(),
            _ => return None,
        },
    })
}

#[tokio::test]
async fn every_documented_operation_answers_to_its_schema() {
    let doc = document();
    let (sim, _handle) = start_with_ttl(
        SimOptions {
            accounts: 3,
            ..SimOptions::default()
        },
        Duration::from_secs(600),
    )
    .await
    .expect("sim");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("password credentials");
    };
    let http = Client::new();
    let base = sim.url().trim_end_matches('/').to_owned();
    let sudo = login(&http, &base, &username, &password).await;
    let mut ctx = Ctx {
        http: http.clone(),
        base: base.clone(),
        sudo: sudo.clone(),
        op: String::new(),
    };
    // Fixtures the path parameters point at.
    let t = Some(sudo.as_str());
    let (s, _) = ctx
        .send(
            Method::POST,
            "/api/admin",
            t,
            Some(&json!({"username": "walker_admin",
            "password": "pw123456", "is_sudo": false})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    ctx.op = login(&http, &base, "walker_admin", "pw123456").await;
    let (s, user) = ctx
        .send(
            Method::POST,
            "/api/user",
            t,
            Some(&json!({"username": "walker",
            "proxies": {"vless": {}, "vmess": {}}, "expire": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{user}");
    assert!(user["subscription_url"].is_string());
    let (_, node) = ctx
        .send(
            Method::POST,
            "/api/node",
            t,
            Some(&json!({"name": "fixture", "address": "192.0.2.50"})),
        )
        .await;
    let (_, template) = ctx
        .send(
            Method::POST,
            "/api/user_template",
            t,
            Some(&json!({"name": "walk tpl"})),
        )
        .await;
    let (_, hosts) = ctx.send(Method::GET, "/api/hosts", t, None).await;
    let (_, config) = ctx.send(Method::GET, "/api/core/config", t, None).await;
    let sim_state = json!({"hosts": hosts, "config": config});
    let template_id = std::cell::Cell::new(template["id"].as_i64().expect("template id"));

    let mut ops: Vec<(String, String, Value)> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            ops.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    // Deletions last, so the fixtures live through the other calls.
    ops.sort_by_key(|(m, _, _)| m == "DELETE");
    assert_eq!(ops.len(), 44, "the document's operation count");

    // `missing`: targets that do not exist; `as_op`: the non-sudo admin's view, where the
    // admin routes target another (sudo) admin, since 0.4.9 lets an admin edit itself.
    let fill = |path: &str, missing: bool, as_op: bool, sub_token: &str| -> String {
        let admin_route = path.starts_with("/api/admin/");
        path.replace(
            "{username}",
            match (admin_route, missing, as_op) {
                (_, true, _) => "nobody_here",
                (true, false, true) => "admin",
                (true, false, false) => "walker_admin",
                (false, false, _) => "walker",
            },
        )
        .replace(
            "{node_id}",
            &if missing {
                "9999".into()
            } else {
                node["id"].to_string()
            },
        )
        .replace(
            "{id}",
            &if missing {
                "9999".into()
            } else {
                template_id.get().to_string()
            },
        )
        .replace("{token}", sub_token)
        .replace("{client_type}", "v2ray")
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for (method, path, op) in &ops {
        let op_id = op["operationId"].as_str().unwrap_or_default();
        // Earlier calls (revoke_sub) may have replaced the token: take the current one.
        let (_, walker) = ctx
            .send(Method::GET, "/api/user/walker", Some(&ctx.sudo), None)
            .await;
        let sub_token = walker["subscription_url"]
            .as_str()
            .and_then(|u| u.rsplit('/').next())
            .unwrap_or("gone")
            .to_owned();
        let mut url = fill(path, false, false, &sub_token);
        let required_query: Vec<&str> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .filter_map(|p| p["name"].as_str())
            .collect();
        if required_query.contains(&"admin_username") {
            url.push_str("?admin_username=admin");
        }
        let method_v = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, body) = if op_id == "admin_token" {
            let r = http
                .post(format!("{base}{url}"))
                .form(&[
                    ("username", username.as_str()),
                    ("password", password.as_str()),
                ])
                .send()
                .await
                .expect("token");
            let s = r.status();
            (s, r.json::<Value>().await.unwrap_or(Value::Null))
        } else {
            let req_schema = &op["requestBody"]["content"]["application/json"]["schema"];
            let body = if req_schema.is_null() {
                None
            } else {
                Some(
                    body_for(req_schema, &doc, &sim_state)
                        .unwrap_or_else(|| panic!("no body fixture for {method} {path}")),
                )
            };
            ctx.send(method_v.clone(), &url, Some(&ctx.sudo), body.as_ref())
                .await
        };
        if status != StatusCode::OK {
            failures.push(format!("{method} {url}: HTTP {status} {body}"));
            continue;
        }
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        if !schema.is_null() && schema.as_object().is_some_and(|o| !o.is_empty()) {
            let mut checker = Checker {
                doc: &doc,
                errors: Vec::new(),
            };
            checker.check(schema, &body, "$", false);
            for e in checker.errors {
                failures.push(format!("{method} {path} ({op_id}): {e}"));
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "contract failures:\n{}",
        failures.join("\n")
    );
    assert_eq!(checked, ops.len());

    // Declared 404s: a missing path target answers 404 {"detail": "... not found"}.
    let mut declared_404 = 0;
    for (method, path, op) in &ops {
        if op["responses"].get("404").is_none() || !path.contains('{') || path.starts_with("/sub") {
            continue;
        }
        let mut url = fill(path, true, false, "");
        if path.ends_with("set-owner") {
            url.push_str("?admin_username=admin");
        }
        let req_schema = &op["requestBody"]["content"]["application/json"]["schema"];
        let body = body_for(req_schema, &doc, &sim_state);
        let method_v = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, answer) = ctx
            .send(method_v, &url, Some(&ctx.sudo), body.as_ref())
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {url}: {answer}");
        assert!(
            answer["detail"]
                .as_str()
                .is_some_and(|d| d.ends_with("not found")),
            "{answer}"
        );
        declared_404 += 1;
    }
    assert_eq!(declared_404, 16, "every declared 404 with a path target");

    // Declared 403s: a non-sudo admin on admin-owned users and sudo-only routes.
    let (s, _) = ctx
        .send(
            Method::POST,
            "/api/user",
            Some(&ctx.sudo),
            Some(&json!({"username": "walker",
            "proxies": {"vless": {}}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "walker re-created for the 403 checks");
    let (s, _) = ctx
        .send(
            Method::POST,
            "/api/admin",
            Some(&ctx.sudo),
            Some(&json!({"username": "walker_admin",
            "password": "pw123456", "is_sudo": false})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "walker_admin re-created for the 403 checks"
    );
    ctx.op = login(&http, &base, "walker_admin", "pw123456").await;
    // Template routes answer 404 before 403: give them a template again.
    let (_, template) = ctx
        .send(
            Method::POST,
            "/api/user_template",
            Some(&ctx.sudo),
            Some(&json!({"name": "again"})),
        )
        .await;
    template_id.set(template["id"].as_i64().expect("template id"));
    let mut declared_403 = 0;
    for (method, path, op) in &ops {
        // The document declares 403 here, but 0.4.9's handler checks no ownership: any admin
        // reads any user's usage (docs/panels/marzban.md).
        if op["responses"].get("403").is_none() || op["operationId"] == "get_user_usage" {
            continue;
        }
        let mut url = fill(path, false, true, "");
        if path.ends_with("set-owner") {
            url.push_str("?admin_username=admin");
        }
        let req_schema = &op["requestBody"]["content"]["application/json"]["schema"];
        let body = body_for(req_schema, &doc, &sim_state);
        let method_v = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, answer) = ctx.send(method_v, &url, Some(&ctx.op), body.as_ref()).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{method} {url} as non-sudo: {answer}"
        );
        assert!(answer["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("You're not allowed")));
        declared_403 += 1;
    }
    assert_eq!(declared_403, 27, "every declared 403 but get_user_usage");
}

/// Marzban answers 422 as `{"detail": {field: message}}`, not the document's
/// `HTTPValidationError` (`{"detail": [{loc, msg, type}]}`): the recorded server does the same,
/// so the simulator follows the server (see docs/panels/marzban.md).
#[tokio::test]
async fn validation_errors_use_marzbans_shape() {
    let (sim, _handle) = start_with_ttl(SimOptions::default(), Duration::from_secs(600))
        .await
        .expect("sim");
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("password credentials");
    };
    let http = Client::new();
    let base = sim.url().trim_end_matches('/').to_owned();
    let ctx = Ctx {
        sudo: login(&http, &base, &username, &password).await,
        http,
        base,
        op: String::new(),
    };
    for (path, body, field) in [
        ("/api/user", json!({"proxies": {"vless": {}}}), "username"),
        (
            "/api/user",
            json!({"username": "x y", "proxies": {"vless": {}}}),
            "username",
        ),
        (
            "/api/user",
            json!({"username": "bob", "proxies": {"vless": {}}, "data_limit": -1}),
            "data_limit",
        ),
        (
            "/api/admin",
            json!({"username": "a", "is_sudo": false}),
            "password",
        ),
        ("/api/node", json!({"name": "n"}), "address"),
    ] {
        let (status, answer) = ctx
            .send(Method::POST, path, Some(&ctx.sudo), Some(&body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}");
        let detail = answer["detail"].as_object().expect("detail object");
        assert!(detail[field].is_string(), "{answer}");
    }
}

/// The checker is not vacuous: it rejects answers that break the document.
#[test]
fn checker_rejects_what_the_document_forbids() {
    let doc = document();
    let schema = json!({"$ref": "#/components/schemas/UserResponse"});
    let good = json!({"proxies": {}, "username": "u", "status": "active", "used_traffic": 0,
                      "created_at": "2026-11-23T07:56:05.691647", "data_limit": null});
    let mut c = Checker {
        doc: &doc,
        errors: Vec::new(),
    };
    c.check(&schema, &good, "$", false);
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    for bad in [
        json!({"proxies": {}, "status": "active", "used_traffic": 0, "created_at": "2026-11-23T07:56:05"}),
        json!({"proxies": {}, "username": "u", "status": "bogus", "used_traffic": 0, "created_at": "2026-11-23T07:56:05"}),
        json!({"proxies": {}, "username": "u", "status": "active", "used_traffic": "0", "created_at": "2026-11-23T07:56:05"}),
        json!({"proxies": {}, "username": "u", "status": "active", "used_traffic": 0, "created_at": "yesterday"}),
        json!({"proxies": {}, "username": "u", "status": "active", "used_traffic": 0, "created_at": "2026-11-23T07:56:05", "links": [1]}),
    ] {
        let mut c = Checker {
            doc: &doc,
            errors: Vec::new(),
        };
        c.check(&schema, &bad, "$", false);
        assert!(!c.errors.is_empty(), "accepted {bad}");
    }
}
