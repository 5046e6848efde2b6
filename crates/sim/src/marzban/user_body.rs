//! `UserCreate` / `UserModify` checks with the messages Marzban 0.4.9 (pydantic v1) answers;
//! 0.8.4 words its username refusal with pydantic v2's `Value error, ` prefix.

use std::collections::BTreeMap;

use axum::response::Response;
use serde::{de::IgnoredAny, Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::{
    common::Fields,
    state::{Proto, State, Status},
};

pub const RESET_STRATEGIES: [&str; 5] = ["no_reset", "day", "week", "month", "year"];

const USERNAME_RULE: &str =
    "Username only can be 3 to 32 characters and contain a-z, 0-9, and underscores in between.";

/// Marzban 0.4.9's `^(?=\w{3,32}\b)[a-zA-Z0-9-_@.]+(?:_[a-zA-Z0-9-_@.]+)*$`: only
/// `a-z A-Z 0-9 - _ @ .`, and the leading run of word characters (`[A-Za-z0-9_]`) must be 3
/// to 32 long. (The total length is not limited: `abc.` followed by 40 letters passes.)
pub fn username_ok(name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let lead = name.chars().take_while(|c| word(*c)).count();
    (3..=32).contains(&lead)
        && name
            .chars()
            .all(|c| word(c) || matches!(c, '-' | '@' | '.'))
}

/// The keys of a JSON object in the order sent (serde_json's maps sort them).
struct KeyOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeyOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = KeyOrder;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KeyOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some((k, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(k);
                }
                Ok(KeyOrder(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// The order of the protocols in the body's `proxies` (the real server keeps it: links and
/// configs list proxies in it).
pub fn proxy_order(body: &[u8]) -> Vec<Proto> {
    #[derive(Deserialize)]
    struct Body {
        proxies: Option<KeyOrder>,
    }
    serde_json::from_slice::<Body>(body)
        .ok()
        .and_then(|b| b.proxies)
        .map(|k| k.0.iter().filter_map(|p| Proto::parse(p)).collect())
        .unwrap_or_default()
}

/// The checked fields of a create or modify body (absent = `None`).
#[derive(Default)]
pub struct UserBody {
    pub username: Option<String>,
    pub proxies: Option<BTreeMap<Proto, Map<String, Value>>>,
    pub inbounds: Option<BTreeMap<Proto, Vec<String>>>,
    /// UTC seconds; `Some(0)` = never.
    pub expire: Option<i64>,
    pub data_limit: Option<i64>,
    pub data_limit_reset_strategy: Option<String>,
    pub note: Option<String>,
    pub status: Option<Status>,
    /// 0 reads as absent (pydantic validator).
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
            _ => {
                f.error("proxies", "value is not a valid dict");
                return None;
            }
        }
    }
    Some(out)
}

/// `inbounds`: protocol → tags. On create, protocols without a proxy are dropped silently
/// (`lenient`); on modify an unknown protocol is an error. Unknown tags are errors.
fn inbounds(f: &mut Fields<'_>, db: &State, lenient: bool) -> Option<BTreeMap<Proto, Vec<String>>> {
    let raw = f.object("inbounds")?;
    let mut out = BTreeMap::new();
    for (key, tags) in raw {
        let Some(proto) = Proto::parse(key) else {
            if lenient {
                continue;
            }
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

fn common(f: &mut Fields<'_>, db: &State, body: &mut UserBody, lenient: bool) {
    body.proxies = proxies(f);
    body.inbounds = inbounds(f, db, lenient);
    body.expire = f.int("expire", None);
    body.data_limit = f.int("data_limit", Some(0));
    body.data_limit_reset_strategy = f.choice("data_limit_reset_strategy", &RESET_STRATEGIES);
    body.note = f.string("note");
    if body.note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        f.error("note", "User's note can be a maximum of 500 character");
    }
    body.on_hold_expire_duration = f.int("on_hold_expire_duration", None).filter(|d| *d != 0);
    body.on_hold_timeout = f
        .string("on_hold_timeout")
        .filter(|t| !t.is_empty() && t != "0");
}

/// The on-hold rule both bodies share.
fn check_on_hold(f: &mut Fields<'_>, body: &UserBody) {
    if body.status == Some(Status::OnHold) {
        if body.on_hold_expire_duration.is_none() {
            f.error(
                "status",
                "User cannot be on hold without a valid on_hold_expire_duration.",
            );
        } else if body.expire.unwrap_or(0) != 0 {
            f.error("status", "User cannot be on hold with specified expire.");
        }
    }
}

/// `UserCreate`: username rules, at least one proxy, status `active|on_hold`.
pub fn parse_create(obj: &Map<String, Value>, db: &State) -> Result<UserBody, Response> {
    let mut f = Fields::new(obj);
    let mut body = UserBody::default();
    if f.required("username") {
        match f.string("username") {
            Some(name) if username_ok(&name) => body.username = Some(name),
            Some(_) => f.error("username", db.version.value_error(USERNAME_RULE)),
            None => {}
        }
    }
    common(&mut f, db, &mut body, true);
    let no_proxy = match &body.proxies {
        Some(p) => p.is_empty(),
        None => !f.has("proxies") || f.obj.get("proxies").is_some_and(Value::is_null),
    };
    if no_proxy {
        f.error("proxies", "Each user needs at least one proxy");
    }
    body.status = f
        .choice("status", &["active", "on_hold"])
        .and_then(|s| Status::parse(&s));
    check_on_hold(&mut f, &body);
    f.finish()?;
    Ok(body)
}

/// `UserModify`: everything optional, status `active|disabled|on_hold`.
pub fn parse_modify(obj: &Map<String, Value>, db: &State) -> Result<UserBody, Response> {
    let mut f = Fields::new(obj);
    let mut body = UserBody::default();
    common(&mut f, db, &mut body, false);
    body.status = f
        .choice("status", &["active", "disabled", "on_hold"])
        .and_then(|s| Status::parse(&s));
    check_on_hold(&mut f, &body);
    f.finish()?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::username_ok;

    #[test]
    fn usernames_follow_the_real_regex() {
        for ok in [
            "alice",
            "a_b",
            "abc.def",
            "user@mail.com",
            "abc-1",
            "___",
            "maria.vip-0042",
        ] {
            assert!(username_ok(ok), "{ok}");
        }
        for bad in ["ab", "a b!", "ab.cdef", "a-bcd", "héllo", "", "abc!"] {
            assert!(!username_ok(bad), "{bad}");
        }
        assert!(
            username_ok(&format!("abc.{}", "x".repeat(60))),
            "length is not capped"
        );
        assert!(!username_ok(&"x".repeat(33)));
    }
}
