//! Contract checks against 3x-ui's own OpenAPI document (`tests/fixtures/3x-ui-openapi.json`),
//! WALKING the document rather than a hand list of cases:
//! 1. every example (responses and request bodies) of a covered route decodes into the
//!    client's types;
//! 2. every route the simulator serves answers with the keys and JSON types of the spec's
//!    example and validates against the spec's schemas (type/required/properties/items/
//!    $ref/allOf/nullable/enum/minimum/maximum).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::BTreeMap, sync::Arc};

use paneldeck_panels::{
    xui::{
        decode_envelope, AdjustedResult, AffectedResult, AttachResult, BulkAdjust, ByGuid,
        ChangedResult, ClientIps, ClientPage, ClientPayload, ClientRecord, ClientTraffic,
        ClientWithInbounds, CreatedResult, DeletedResult, DetachResult, ExternalLink, GroupInfo,
        GroupName, Inbound, InboundOption, IpsByGuid, LastOnline, ServerStatus,
    },
    PanelError,
};
use paneldeck_sim::{
    xui::{self, XuiSimConfig, XuiSimHandle, XuiVersion},
    SimKind, SimOptions, SimStats,
};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{json, Value};

fn spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/3x-ui-openapi.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).expect("the spec is JSON")
}

type Decoder = fn(&[u8]) -> Result<(), PanelError>;

fn dec<T: DeserializeOwned>(body: &[u8]) -> Result<(), PanelError> {
    decode_envelope::<T>(body).map(|_| ())
}

fn req<T: DeserializeOwned>(body: &[u8]) -> Result<(), PanelError> {
    paneldeck_panels::http::decode_json::<T>(body).map(|_| ())
}

/// Which client type decodes each covered route's answer (`METHOD path` as in the spec).
fn response_decoders() -> BTreeMap<&'static str, Decoder> {
    let c = |s: &'static str| s;
    BTreeMap::from([
        (c("POST /login"), dec::<IgnoredAny> as Decoder),
        ("POST /logout", dec::<IgnoredAny>),
        ("GET /csrf-token", dec::<String>),
        ("POST /getTwoFactorEnable", dec::<bool>),
        ("GET /panel/api/inbounds/list", dec::<Vec<Inbound>>),
        ("GET /panel/api/inbounds/get/{id}", dec::<Inbound>),
        ("GET /panel/api/inbounds/options", dec::<Vec<InboundOption>>),
        ("GET /panel/api/server/status", dec::<ServerStatus>),
        ("GET /panel/api/clients/list", dec::<Vec<ClientRecord>>),
        ("GET /panel/api/clients/list/paged", dec::<ClientPage>),
        ("GET /panel/api/clients/get/{email}", dec::<ClientRecord>),
        ("POST /panel/api/clients/add", dec::<IgnoredAny>),
        ("POST /panel/api/clients/update/{email}", dec::<IgnoredAny>),
        ("POST /panel/api/clients/del/{email}", dec::<IgnoredAny>),
        ("POST /panel/api/clients/{email}/attach", dec::<IgnoredAny>),
        ("POST /panel/api/clients/{email}/detach", dec::<IgnoredAny>),
        (
            "POST /panel/api/clients/{email}/externalLinks",
            dec::<IgnoredAny>,
        ),
        (
            "POST /panel/api/clients/resetAllTraffics",
            dec::<IgnoredAny>,
        ),
        ("POST /panel/api/clients/delDepleted", dec::<DeletedResult>),
        ("POST /panel/api/clients/delOrphans", dec::<DeletedResult>),
        (
            "GET /panel/api/clients/export",
            dec::<Vec<ClientWithInbounds>>,
        ),
        ("POST /panel/api/clients/import", dec::<CreatedResult>),
        ("POST /panel/api/clients/bulkAdjust", dec::<AdjustedResult>),
        ("POST /panel/api/clients/bulkEnable", dec::<ChangedResult>),
        ("POST /panel/api/clients/bulkDisable", dec::<ChangedResult>),
        ("POST /panel/api/clients/bulkDel", dec::<DeletedResult>),
        ("POST /panel/api/clients/bulkCreate", dec::<CreatedResult>),
        (
            "POST /panel/api/clients/groups/bulkAdd",
            dec::<AffectedResult>,
        ),
        (
            "POST /panel/api/clients/groups/bulkRemove",
            dec::<AffectedResult>,
        ),
        ("POST /panel/api/clients/bulkAttach", dec::<AttachResult>),
        ("POST /panel/api/clients/bulkDetach", dec::<DetachResult>),
        (
            "POST /panel/api/clients/bulkResetTraffic",
            dec::<AffectedResult>,
        ),
        ("GET /panel/api/clients/groups", dec::<Vec<GroupInfo>>),
        (
            "GET /panel/api/clients/groups/{name}/emails",
            dec::<Vec<String>>,
        ),
        ("POST /panel/api/clients/groups/create", dec::<GroupName>),
        (
            "POST /panel/api/clients/groups/rename",
            dec::<AffectedResult>,
        ),
        (
            "POST /panel/api/clients/groups/delete",
            dec::<AffectedResult>,
        ),
        (
            "POST /panel/api/clients/resetTraffic/{email}",
            dec::<IgnoredAny>,
        ),
        (
            "POST /panel/api/clients/updateTraffic/{email}",
            dec::<IgnoredAny>,
        ),
        ("POST /panel/api/clients/ips/{email}", dec::<ClientIps>),
        (
            "POST /panel/api/clients/clearIps/{email}",
            dec::<IgnoredAny>,
        ),
        ("POST /panel/api/clients/onlines", dec::<Vec<String>>),
        ("POST /panel/api/clients/onlinesByGuid", dec::<ByGuid>),
        ("POST /panel/api/clients/clientIpsByGuid", dec::<IpsByGuid>),
        ("POST /panel/api/clients/activeInbounds", dec::<ByGuid>),
        ("POST /panel/api/clients/lastOnline", dec::<LastOnline>),
        (
            "GET /panel/api/clients/traffic/{email}",
            dec::<ClientTraffic>,
        ),
        (
            "GET /panel/api/clients/subLinks/{subId}",
            dec::<Vec<String>>,
        ),
        ("GET /panel/api/clients/links/{email}", dec::<Vec<String>>),
    ])
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct ExternalLinksBody {
    external_links: Vec<ExternalLink>,
}

/// Which client type the spec's request example must fit, for routes with a body.
fn request_decoders() -> BTreeMap<&'static str, Decoder> {
    BTreeMap::from([
        (
            "POST /panel/api/clients/add",
            req::<ClientWithInbounds> as Decoder,
        ),
        (
            "POST /panel/api/clients/update/{email}",
            req::<ClientPayload>,
        ),
        (
            "POST /panel/api/clients/bulkCreate",
            req::<Vec<ClientWithInbounds>>,
        ),
        ("POST /panel/api/clients/bulkAdjust", req::<BulkAdjust>),
        (
            "POST /panel/api/clients/{email}/externalLinks",
            req::<ExternalLinksBody>,
        ),
    ])
}

/// Client routes of the spec this client deliberately leaves out (not in the list).
const NOT_COVERED: &[&str] = &[
    "GET /panel/api/clients/get/tgId/{tgId}",
    "POST /panel/api/clients/groups/resetTraffic",
    "POST /panel/api/clients/hwids/{email}",
    "DELETE /panel/api/clients/hwids/{email}",
    "DELETE /panel/api/clients/hwids/{email}/{id}",
];

/// (`METHOD path`, operation) for every operation of the document.
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((method.to_uppercase(), path.clone(), op.clone()));
        }
    }
    out
}

fn json_examples(op: &Value) -> Vec<(u16, Value, Value)> {
    let mut out = Vec::new();
    for (code, resp) in op["responses"].as_object().into_iter().flatten() {
        let media = &resp["content"]["application/json"];
        if media.is_object() {
            out.push((
                code.parse().unwrap_or(0),
                media["example"].clone(),
                media["schema"].clone(),
            ));
        }
    }
    out
}

#[test]
fn every_spec_example_decodes_into_the_client_types() {
    let spec = spec();
    let decoders = response_decoders();
    let requests = request_decoders();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    for (method, path, op) in operations(&spec) {
        let key = format!("{method} {path}");
        let Some(decode) = decoders.get(key.as_str()) else {
            if path.starts_with("/panel/api/clients") {
                assert!(
                    NOT_COVERED.contains(&key.as_str()),
                    "spec route {key} is not covered"
                );
            }
            continue;
        };
        seen.push(key.clone());
        for (code, example, _) in json_examples(&op) {
            if example.is_null() {
                continue;
            }
            let bytes = example.to_string().into_bytes();
            let result = decode(&bytes);
            checked += 1;
            match (code, result) {
                (200..=299, Ok(())) => {}
                // Error examples must come out as the panel's message.
                (_, Err(PanelError::Api { message, .. })) if code >= 400 => {
                    assert_eq!(Some(message.as_str()), example["msg"].as_str());
                }
                (_, other) => failures.push(format!("{key} ({code}): {other:?}")),
            }
        }
        if let Some(decode) = requests.get(key.as_str()) {
            let example = &op["requestBody"]["content"]["application/json"]["example"];
            assert!(!example.is_null(), "{key} has a request example");
            checked += 1;
            if let Err(e) = decode(example.to_string().as_bytes()) {
                failures.push(format!("{key} request: {e:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "examples that did not decode:\n{}",
        failures.join("\n")
    );
    for key in decoders.keys() {
        assert!(seen.iter().any(|s| s == key), "{key} is not in the spec");
    }
    assert!(checked >= 45, "only {checked} examples checked");
    eprintln!(
        "{} covered routes, {checked} examples decoded",
        decoders.len()
    );
}

// ---- a small JSON-schema checker ---------------------------------------------------------

fn resolve<'a>(spec: &'a Value, reference: &str) -> &'a Value {
    let mut node = spec;
    for part in reference.trim_start_matches("#/").split('/') {
        node = &node[part];
    }
    node
}

fn validate(v: &Value, schema: &Value, spec: &Value, at: &str, errs: &mut Vec<String>) {
    if v.is_null() && schema["nullable"] == json!(true) {
        return;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        return validate(v, resolve(spec, reference), spec, at, errs);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        validate(v, part, spec, at, errs);
    }
    let ok = match schema["type"].as_str() {
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        _ => true,
    };
    if !ok {
        errs.push(format!("{at}: expected {}, got {v}", schema["type"]));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(v) {
            errs.push(format!("{at}: {v} not in {allowed:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), v.as_f64()) {
        if n < min {
            errs.push(format!("{at}: {n} < minimum {min}"));
        }
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), v.as_f64()) {
        if n > max {
            errs.push(format!("{at}: {n} > maximum {max}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap_or_default();
            if !obj.contains_key(key) {
                errs.push(format!("{at}: required key '{key}' missing"));
            }
        }
        for (key, sub) in schema["properties"].as_object().into_iter().flatten() {
            if let Some(child) = obj.get(key) {
                validate(child, sub, spec, &format!("{at}.{key}"), errs);
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            validate(item, items, spec, &format!("{at}[{i}]"), errs);
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The answer has every key of the example with the same JSON type (null in the example
/// accepts anything; a float example accepts any number). Objects whose example keys are
/// data (GUIDs, emails) are compared value by value.
fn same_shape(
    example: &Value,
    actual: &Value,
    at: &str,
    errs: &mut Vec<String>,
    unchecked: &mut Vec<String>,
) {
    match (example, actual) {
        (Value::Null, _) => {}
        (Value::Number(e), Value::Number(_)) if e.is_f64() => {}
        (Value::Object(e), Value::Object(a)) => {
            let is_map = !e.is_empty()
                && e.keys().all(|k| !a.contains_key(k))
                && e.values()
                    .all(|v| kind(v) == kind(e.values().next().unwrap_or(v)));
            if is_map {
                let sample = e.values().next().unwrap_or(&Value::Null);
                if a.is_empty() {
                    unchecked.push(format!("{at} (empty map)"));
                }
                for (k, v) in a {
                    same_shape(sample, v, &format!("{at}[{k}]"), errs, unchecked);
                }
                return;
            }
            for (k, v) in e {
                match a.get(k) {
                    Some(actual) => same_shape(v, actual, &format!("{at}.{k}"), errs, unchecked),
                    None => errs.push(format!("{at}: key '{k}' missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let Some(sample) = e.first() {
                if a.is_empty() {
                    unchecked.push(format!("{at} (empty array)"));
                }
                for (i, item) in a.iter().enumerate() {
                    same_shape(sample, item, &format!("{at}[{i}]"), errs, unchecked);
                }
            }
        }
        (e, a) if kind(e) == kind(a) => {}
        (e, a) => errs.push(format!("{at}: expected {} like {e}, got {a}", kind(e))),
    }
}

/// Where the bundled document and the panel's Go source disagree, the source wins
/// (the facts file `3x-ui-source-facts.md`); these departures from the document are expected.
const SOURCE_WINS: &[(&str, &str)] = &[
    // §5.2: `loads[]`, never a `load` object.
    (
        "GET /panel/api/server/status.obj: key 'load' missing",
        "§5.2",
    ),
    // §5.1: nodeId, fallbackParent, originNodeGuid are omitempty (no nodes here).
    ("key 'nodeId' missing", "§5.1"),
    ("key 'fallbackParent' missing", "§5.1"),
    ("key 'originNodeGuid' missing", "§5.1"),
    // §4.1, §7.8: bulkAttach/bulkDetach lists and hwids may be null.
    (
        "POST /panel/api/clients/bulkDetach.obj.skipped: expected array",
        "§4.1",
    ),
    (
        "POST /panel/api/clients/bulkAttach.obj.skipped: expected array",
        "§4.1",
    ),
    (
        "POST /panel/api/clients/bulkAttach.obj.errors: expected array",
        "§4.1",
    ),
    (
        "POST /panel/api/clients/bulkDetach.obj.errors: expected array",
        "§4.1",
    ),
    (
        "POST /panel/api/clients/hwids/{email}.obj: expected array",
        "§4.1",
    ),
];

fn source_wins(failure: &str) -> bool {
    SOURCE_WINS.iter().any(|(text, _)| failure.contains(text))
}

// ---- driving the simulator ---------------------------------------------------------------

struct Ctx {
    email: String,
    other: String,
    sub_id: String,
    inbound_ids: Vec<i64>,
    group: &'static str,
    fresh: usize,
}

impl Ctx {
    fn arrange(handle: &XuiSimHandle) -> Ctx {
        let all = handle.clients();
        let (email, other) = (all[0].email.clone(), all[1].email.clone());
        for e in [&email, &other] {
            handle.edit(e, |c| {
                c.enable = true;
                c.auto_disabled = false;
                c.total_bytes = 0;
                c.expiry_time_ms = 0;
                c.group = "customer-a".into();
                c.inbound_ids = vec![1];
            });
        }
        handle.add_traffic(&email, 1024, 4096);
        handle.record_ip(&email, "1.2.3.4");
        Ctx {
            sub_id: all[0].sub_id.clone(),
            email,
            other,
            inbound_ids: handle.inbounds().iter().map(|i| i.id).collect(),
            group: "customer-a",
            fresh: 0,
        }
    }

    /// The spec's request example with its sample values swapped for the simulator's: the
    /// first `email` becomes a new address, later ones an existing client (to provoke the
    /// partial results), `emails` lists existing clients plus one unknown.
    fn body(&mut self, key: &str, example: &Value, login: &(String, String)) -> Value {
        let mut body = example.clone();
        self.fill(&mut body, key, login);
        body
    }

    fn fill(&mut self, v: &mut Value, route: &str, login: &(String, String)) {
        match v {
            Value::Object(map) => {
                map.remove("twoFactorCode");
                for (k, child) in map.iter_mut() {
                    match k.as_str() {
                        "email" => {
                            self.fresh += 1;
                            *child = if self.fresh == 1 {
                                json!(format!("contract-{}@example.com", self.fresh))
                            } else {
                                json!(self.email)
                            };
                        }
                        "emails" => *child = json!([self.email, self.other, "ghost@nowhere"]),
                        "inboundIds" => *child = json!(self.inbound_ids),
                        "name" if route.ends_with("/groups/create") => *child = json!("brand-new"),
                        "name" | "group" | "oldName" => *child = json!(self.group),
                        "username" => *child = json!(login.0),
                        "password" if route == "POST /login" => *child = json!(login.1),
                        "data" => {
                            let mut inner: Value =
                                serde_json::from_str(child.as_str().unwrap_or("[]")).expect("data");
                            self.fresh = 1; // imported emails: existing, to be skipped
                            self.fill(&mut inner, route, login);
                            *child = json!(inner.to_string());
                        }
                        _ => self.fill(child, route, login),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.fill(i, route, login)),
            _ => {}
        }
    }

    fn url_path(&self, path: &str) -> String {
        path.replace("{email}", &self.email)
            .replace("{subId}", &self.sub_id)
            .replace("{name}", self.group)
            .replace("{id}", "1")
    }
}

fn query(op: &Value) -> Vec<(String, String)> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["schema"]["type"] == "integer")
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                "1".to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_simulated_route_matches_the_spec() {
    let spec = spec();
    let mut failures = Vec::new();
    let mut unchecked = Vec::new();
    let mut exercised = 0;
    // The bundled document is generated from HEAD's route list (facts §0), so the HEAD
    // simulator is the one to hold against it.
    let routes = xui::routes(XuiVersion::Head);
    for (method, path, op) in operations(&spec) {
        if !routes.contains(&(method.as_str(), path.as_str())) {
            continue;
        }
        let key = format!("{method} {path}");
        exercised += 1;
        // A fresh panel per route: deletes and renames do not disturb the next one.
        let opts = SimOptions {
            seed: 5,
            accounts: 12,
            groups: 4,
            ..SimOptions::default()
        };
        let stats = Arc::new(SimStats::default());
        let config = XuiSimConfig {
            version: XuiVersion::Head,
            ..XuiSimConfig::default()
        };
        let (app, handle) = xui::app_with(&opts, stats.clone(), config);
        let sim = paneldeck_sim::serve(SimKind::Xui, app, &opts, stats, ([127, 0, 0, 1], 0).into())
            .await
            .expect("sim");
        let mut ctx = Ctx::arrange(&handle);
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let url = format!("http://{}{}", sim.addr, ctx.url_path(&path));
        let mut request = http
            .request(method.parse().expect("method"), &url)
            .query(&query(&op))
            .bearer_auth(handle.token());
        // Cookie-session routes need the session's CSRF token (facts §2.3).
        if ["/login", "/logout", "/getTwoFactorEnable"].contains(&path.as_str()) {
            let csrf: Value = http
                .get(format!("http://{}/csrf-token", sim.addr))
                .send()
                .await
                .expect("csrf")
                .json()
                .await
                .expect("csrf json");
            request = request.header("X-CSRF-Token", csrf["obj"].as_str().unwrap_or_default());
        }
        let example_body = &op["requestBody"]["content"]["application/json"]["example"];
        if !example_body.is_null() {
            request = request.json(&ctx.body(&key, example_body, &handle.login()));
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let answer: Value = match response.json().await {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{key}: not JSON ({e})"));
                continue;
            }
        };
        if status != 200 || answer.get("success") == Some(&json!(false)) {
            failures.push(format!("{key}: HTTP {status} {answer}"));
            continue;
        }
        let Some((_, example, schema)) = json_examples(&op).into_iter().find(|(c, ..)| *c == 200)
        else {
            continue;
        };
        let mut errs = Vec::new();
        same_shape(&example, &answer, &key, &mut errs, &mut unchecked);
        validate(&answer, &schema, &spec, &key, &mut errs);
        failures.extend(errs.into_iter().filter(|e| !source_wins(e)));
    }
    assert!(
        failures.is_empty(),
        "the simulator departs from the spec:\n{}",
        failures.join("\n")
    );
    for (method, path) in &routes {
        let in_spec = spec["paths"][*path][method.to_lowercase()].is_object();
        assert!(
            in_spec,
            "the simulator serves {method} {path}, which the spec lacks"
        );
    }
    assert_eq!(exercised, routes.len());
    eprintln!("{exercised} routes checked; not checkable (empty in this run): {unchecked:?}");
}
