//! `/api/user_template*`: user templates (sudo admins change them, everyone reads them).
//! As in 0.4.9, templates store inbound tags; unknown tags are dropped silently and answers
//! group the tags by the protocol the core config gives them.

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde_json::{json, Map, Value};

use super::{
    common::{
        authenticate, detail, invalid, invalid_one, json_object, not_found, ok, Fields, Params,
        Reply, Sim,
    },
    state::{Proto, State, TemplateRec},
};

fn template_json(db: &State, t: &TemplateRec) -> Value {
    let mut inbounds = Map::new();
    for proto in Proto::ALL {
        let tags: Vec<&str> = db
            .inbounds
            .iter()
            .filter(|i| i.protocol == proto && t.tags.contains(&i.tag))
            .map(|i| i.tag.as_str())
            .collect();
        if !tags.is_empty() {
            inbounds.insert(proto.as_str().into(), json!(tags));
        }
    }
    json!({"name": t.name, "data_limit": t.data_limit, "expire_duration": t.expire_duration,
           "username_prefix": t.username_prefix, "username_suffix": t.username_suffix,
           "inbounds": inbounds, "id": t.id})
}

/// The fields of `UserTemplateCreate`/`Modify` that were sent.
struct Body {
    name: Option<String>,
    data_limit: Option<i64>,
    expire_duration: Option<i64>,
    username_prefix: Option<String>,
    username_suffix: Option<String>,
    /// Existing tags among those sent; `None` = field absent or empty.
    tags: Option<Vec<String>>,
}

fn parse(obj: &Map<String, Value>, db: &State) -> Result<Body, Response> {
    let mut f = Fields::new(obj);
    let mut b = Body {
        name: f.string("name"),
        data_limit: f.int("data_limit", Some(0)),
        expire_duration: f.int("expire_duration", Some(0)),
        username_prefix: f.string_len("username_prefix", 1, 20),
        username_suffix: f.string_len("username_suffix", 1, 20),
        tags: None,
    };
    if let Some(raw) = f.object("inbounds") {
        let mut tags = Vec::new();
        for (key, list) in raw {
            if Proto::parse(key).is_none() {
                f.error(
                    "__key__",
                    "value is not a valid enumeration member; permitted: 'vmess', 'vless', 'trojan', 'shadowsocks'",
                );
                break;
            }
            tags.extend(
                list.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|t| db.inbound(t).is_some())
                    .map(str::to_owned),
            );
        }
        b.tags = (!raw.is_empty()).then_some(tags);
    }
    f.finish()?;
    Ok(b)
}

fn template_id(raw: &str) -> Result<i64, Response> {
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

fn conflict() -> Response {
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
        .take(limit.filter(|l| *l > 0).map_or(usize::MAX, |l| l as usize))
        .map(|t| template_json(&db, t))
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
        data_limit: b.data_limit,
        expire_duration: b.expire_duration,
        username_prefix: b.username_prefix,
        username_suffix: b.username_suffix,
        tags: b.tags.unwrap_or_default(),
    };
    let out = template_json(&db, &t);
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
    ok(template_json(&db, t))
}

/// Fields sent replace the stored ones; absent fields stay. 404 comes before 403 here.
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
    if !db.templates.contains_key(&id) {
        return Err(not_found("User Template"));
    }
    caller.require_sudo()?;
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
    if b.data_limit.is_some() {
        t.data_limit = b.data_limit;
    }
    if b.expire_duration.is_some() {
        t.expire_duration = b.expire_duration;
    }
    if b.username_prefix.is_some() {
        t.username_prefix = b.username_prefix;
    }
    if b.username_suffix.is_some() {
        t.username_suffix = b.username_suffix;
    }
    if let Some(tags) = b.tags {
        t.tags = tags;
    }
    let out = db.templates.get(&id).map(|t| template_json(&db, t));
    ok(out.unwrap_or(Value::Null))
}

/// Answers `null` (0.4.9's handler returns nothing).
pub async fn remove(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id = template_id(&raw)?;
    let mut db = sim.db();
    if !db.templates.contains_key(&id) {
        return Err(not_found("User Template"));
    }
    caller.require_sudo()?;
    db.templates.remove(&id);
    ok(Value::Null)
}
