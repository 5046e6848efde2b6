//! `UserCreate` / `UserModify` checks with the messages Marzban 0.4.9 (pydantic v1) answers.

use std::collections::BTreeMap;

use axum::response::Response;
use serde_json::{Map, Value};

use super::{
    common::Fields,
    state::{Proto, State, Status},
};

pub const RESET_STRATEGIES: [&str; 5] = ["no_reset", "day", "week", "month", "year"];

const USERNAME_RULE: &str =
    "Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.";

/// 3 to 32 of `a-z A-Z 0-9 _ - @ .`.
pub fn username_ok(name: &str) -> bool {
    (3..=32).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '@' | '.'))
}

/// The checked fields of a create or modify body (absent = `None`).
#[derive(Default)]
pub struct UserBody {
    pub username: Option<String>,
    pub proxies: Option<BTreeMap<Proto, Map<String, Value>>>,
    pub inbounds: Option<BTreeMap<Proto, Vec<String>>>,
    /// `Some(None)` = sent as null.
    pub expire: Option<Option<i64>>,
    pub data_limit: Option<i64>,
    pub data_limit_reset_strategy: Option<String>,
    pub note: Option<String>,
    pub status: Option<Status>,
    pub on_hold_expire_duration: Option<i64>,
    pub on_hold_timeout: Option<String>,
}

fn proxies(f: &mut Fields<'_>) -> Option<BTreeMap<Proto, Map<String, Value>>> {
    let raw = f.object("proxies")?;
    let mut out = BTreeMap::new();
    for (key, settings) in raw {
        let Some(proto) = Proto::parse(key) else {
            f.error("proxies", format!("'{key}' is not a valid ProxyTypes"));
            return None;
        };
        match settings {
            Value::Object(m) => {
                out.insert(proto, m.clone());
            }
            Value::Null => {
                out.insert(proto, Map::new());
            }
            _ => {
                f.error("proxies", "value is not a valid dict");
                return None;
            }
        }
    }
    Some(out)
}

fn inbounds(f: &mut Fields<'_>, db: &State) -> Option<BTreeMap<Proto, Vec<String>>> {
    let raw = f.object("inbounds")?;
    let mut out = BTreeMap::new();
    for (key, tags) in raw {
        let Some(proto) = Proto::parse(key) else {
            f.error("inbounds", format!("'{key}' is not a valid ProxyTypes"));
            return None;
        };
        let Some(list) = tags.as_array() else {
            f.error("inbounds", "value is not a valid list");
            return None;
        };
        let mut names = Vec::new();
        for tag in list {
            let Some(tag) = tag.as_str() else {
                f.error("inbounds", "str type expected");
                return None;
            };
            if db.inbound(tag).is_none() {
                f.error("inbounds", format!("Inbound {tag} doesn't exist"));
                return None;
            }
            names.push(tag.to_owned());
        }
        out.insert(proto, names);
    }
    Some(out)
}

fn common(f: &mut Fields<'_>, db: &State, body: &mut UserBody) {
    body.proxies = proxies(f);
    body.inbounds = inbounds(f, db);
    if f.has("expire") {
        body.expire = Some(f.int("expire", None));
    }
    body.data_limit = f.int("data_limit", Some(0));
    body.data_limit_reset_strategy = f.choice("data_limit_reset_strategy", &RESET_STRATEGIES);
    body.note = f.string("note");
    body.on_hold_expire_duration = f.int("on_hold_expire_duration", None);
    body.on_hold_timeout = f.string("on_hold_timeout");
}

/// `UserCreate`: username rules, at least one proxy, status `active|on_hold`.
pub fn parse_create(obj: &Map<String, Value>, db: &State) -> Result<UserBody, Response> {
    let mut f = Fields::new(obj);
    let mut body = UserBody::default();
    if f.required("username") {
        match f.string("username") {
            Some(name) if username_ok(&name) => body.username = Some(name),
            Some(_) => f.error("username", USERNAME_RULE),
            None => {}
        }
    }
    common(&mut f, db, &mut body);
    if f.has("proxies") && body.proxies.as_ref().is_some_and(BTreeMap::is_empty)
        || !f.has("proxies")
    {
        f.error("proxies", "Each user needs at least one proxy");
    }
    body.status = f
        .choice("status", &["active", "on_hold"])
        .and_then(|s| Status::parse(&s));
    if body.status == Some(Status::OnHold) {
        if body.on_hold_expire_duration.unwrap_or(0) == 0 {
            f.error(
                "status",
                "User cannot be on hold without a valid on_hold_expire_duration.",
            );
        } else if body.expire.flatten().unwrap_or(0) != 0 {
            f.error("status", "User cannot be on hold with specified expire.");
        }
    }
    f.finish()?;
    Ok(body)
}

/// `UserModify`: everything optional, status `active|disabled|on_hold`.
pub fn parse_modify(obj: &Map<String, Value>, db: &State) -> Result<UserBody, Response> {
    let mut f = Fields::new(obj);
    let mut body = UserBody::default();
    common(&mut f, db, &mut body);
    body.status = f
        .choice("status", &["active", "disabled", "on_hold"])
        .and_then(|s| Status::parse(&s));
    f.finish()?;
    Ok(body)
}
