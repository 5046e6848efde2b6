//! `/api/user_template*`: user templates (sudo admins change them, everyone reads them).

use std::collections::BTreeMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{HeaderMap, StatusCode},
};
use serde_json::{json, Map, Value};

use super::{
    common::{
        authenticate, detail, invalid, invalid_one, json_object, not_found, ok, Fields, Params,
        Reply, Sim,
    },
    state::{Proto, State, TemplateRec},
};

fn template_json(t: &TemplateRec) -> Value {
    let inbounds: Map<String, Value> = t
        .inbounds
        .iter()
        .map(|(p, tags)| (p.as_str().to_owned(), json!(tags)))
        .collect();
    json!({"name": t.name, "data_limit": t.data_limit, "expire_duration": t.expire_duration,
           "username_prefix": t.username_prefix, "username_suffix": t.username_suffix,
           "inbounds": inbounds, "id": t.id})
}

/// The fields of `UserTemplateCreate`/`Modify` that were sent.
#[derive(Default)]
struct Body {
    name: Option<String>,
    data_limit: Option<i64>,
    expire_duration: Option<i64>,
    username_prefix: Option<String>,
    username_suffix: Option<String>,
    inbounds: Option<BTreeMap<Proto, Vec<String>>>,
}

fn parse(obj: &Map<String, Value>, db: &State) -> Result<Body, axum::response::Response> {
    let mut f = Fields::new(obj);
    let mut b = Body {
        name: f.string("name"),
        data_limit: f.int("data_limit", Some(0)),
        expire_duration: f.int("expire_duration", Some(0)),
        username_prefix: f.string_len("username_prefix", 1, 20),
        username_suffix: f.string_len("username_suffix", 1, 20),
        inbounds: None,
    };
    if let Some(raw) = f.object("inbounds") {
        let mut map = BTreeMap::new();
        for (key, tags) in raw {
            let Some(proto) = Proto::parse(key) else {
                f.error("inbounds", format!("'{key}' is not a valid ProxyTypes"));
                break;
            };
            let tags: Vec<String> = tags
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect();
            if let Some(bad) = tags.iter().find(|t| db.inbound(t).is_none()) {
                f.error("inbounds", format!("Inbound {bad} doesn't exist"));
                break;
            }
            map.insert(proto, tags);
        }
        b.inbounds = Some(map);
    }
    if b.name.as_ref().is_some_and(|n| n.chars().count() > 64) {
        f.error("name", "ensure this value has at most 64 characters");
    }
    f.finish()?;
    Ok(b)
}

fn template_id(raw: &str) -> Result<i64, axum::response::Response> {
    raw.parse()
        .map_err(|_| invalid_one("id", "value is not a valid integer"))
}

fn name_taken(db: &State, name: Option<&str>, except: Option<i64>) -> bool {
    name.is_some_and(|n| {
        db.templates
            .values()
            .any(|t| t.name.as_deref() == Some(n) && Some(t.id) != except)
    })
}

fn conflict() -> axum::response::Response {
    detail(StatusCode::CONFLICT, "Template by this name already exists")
}

pub async fn list(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    authenticate(&sim, &headers)?;
    let params = Params(params);
    let mut errors = Map::new();
    let offset = params.int("offset", &mut errors);
    let limit = params.int("limit", &mut errors);
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let db = sim.db();
    let out: Vec<Value> = db
        .templates
        .values()
        .skip(offset.unwrap_or(0).max(0) as usize)
        .take(limit.map_or(usize::MAX, |l| l.max(0) as usize))
        .map(template_json)
        .collect();
    ok(Value::Array(out))
}

pub async fn add(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut db = sim.db();
    let b = parse(&obj, &db)?;
    caller.require_sudo()?;
    if name_taken(&db, b.name.as_deref(), None) {
        return Err(conflict());
    }
    let id = db.next_template_id;
    db.next_template_id += 1;
    let t = TemplateRec {
        id,
        name: b.name,
        data_limit: b.data_limit.unwrap_or(0),
        expire_duration: b.expire_duration.unwrap_or(0),
        username_prefix: b.username_prefix,
        username_suffix: b.username_suffix,
        inbounds: b.inbounds.unwrap_or_default(),
    };
    let out = template_json(&t);
    db.templates.insert(id, t);
    ok(out)
}

pub async fn get(AxState(sim): AxState<Sim>, headers: HeaderMap, Path(raw): Path<String>) -> Reply {
    authenticate(&sim, &headers)?;
    let id = template_id(&raw)?;
    let db = sim.db();
    let t = db
        .templates
        .get(&id)
        .ok_or_else(|| not_found("User Template"))?;
    ok(template_json(t))
}

/// Fields sent replace the stored ones; absent fields stay.
pub async fn modify(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id = template_id(&raw)?;
    let obj = json_object(&body)?;
    let mut db = sim.db();
    let b = parse(&obj, &db)?;
    caller.require_sudo()?;
    if !db.templates.contains_key(&id) {
        return Err(not_found("User Template"));
    }
    if name_taken(&db, b.name.as_deref(), Some(id)) {
        return Err(conflict());
    }
    let t = db
        .templates
        .get_mut(&id)
        .ok_or_else(|| not_found("User Template"))?;
    if b.name.is_some() {
        t.name = b.name;
    }
    t.data_limit = b.data_limit.unwrap_or(t.data_limit);
    t.expire_duration = b.expire_duration.unwrap_or(t.expire_duration);
    if b.username_prefix.is_some() {
        t.username_prefix = b.username_prefix;
    }
    if b.username_suffix.is_some() {
        t.username_suffix = b.username_suffix;
    }
    if let Some(i) = b.inbounds {
        t.inbounds = i;
    }
    ok(template_json(t))
}

pub async fn remove(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    let id = template_id(&raw)?;
    let mut db = sim.db();
    db.templates
        .remove(&id)
        .ok_or_else(|| not_found("User Template"))?;
    ok(json!({}))
}
