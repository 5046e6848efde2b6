//! What every simulated route shares: FastAPI-shaped answers (`{"detail": …}`), Marzban's 422
//! shape (`{"detail": {field: message}}`), bearer authentication, and pydantic-style checks.

use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::Instant,
};

use axum::{
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::state::State;

/// The axum state of the simulated Marzban.
#[derive(Clone)]
pub struct Sim {
    pub state: Arc<Mutex<State>>,
}

impl Sim {
    /// Locks the database; a poisoned lock (a panicking handler) still yields the data.
    pub fn db(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub type Reply = Result<Response, Response>;

pub fn ok(value: Value) -> Reply {
    Ok(Json(value).into_response())
}

/// 200 with `value` serialised straight to the body (no `Value` in between); `capacity` is
/// about its size in bytes.
pub fn ok_serialized(value: &impl serde::Serialize, capacity: usize) -> Reply {
    Ok(crate::body::json_sized(value, capacity))
}

pub fn detail(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "detail": message.into() }))).into_response()
}

pub fn not_found(what: &str) -> Response {
    detail(StatusCode::NOT_FOUND, format!("{what} not found"))
}

pub fn forbidden() -> Response {
    detail(StatusCode::FORBIDDEN, "You're not allowed")
}

/// Marzban's 422: `{"detail": {field: message}}` (its handler keeps the last `loc` element).
pub fn invalid(errors: Map<String, Value>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "detail": errors })),
    )
        .into_response()
}

pub fn invalid_one(field: &str, message: &str) -> Response {
    let mut m = Map::new();
    m.insert(field.into(), json!(message));
    invalid(m)
}

fn unauthorized(message: &str) -> Response {
    let mut r = detail(StatusCode::UNAUTHORIZED, message);
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    r
}

/// The admin a request is made as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub username: String,
    pub is_sudo: bool,
}

impl Caller {
    pub fn require_sudo(&self) -> Result<(), Response> {
        if self.is_sudo {
            Ok(())
        } else {
            Err(forbidden())
        }
    }

    /// Non-sudo admins reach only the users they own.
    pub fn may_touch(&self, owner: Option<&str>) -> bool {
        self.is_sudo || owner == Some(self.username.as_str())
    }
}

/// Checks the bearer token: missing → 401 "Not authenticated", unknown, expired or of a removed
/// admin → 401 "Could not validate credentials".
pub fn authenticate(sim: &Sim, headers: &HeaderMap) -> Result<Caller, Response> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let token = match auth.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty() => {
            t.trim()
        }
        _ => return Err(unauthorized("Not authenticated")),
    };
    let mut db = sim.db();
    let (admin, issued) = match db.tokens.get(token) {
        Some(rec) if rec.expires > Instant::now() => (rec.admin.clone(), rec.issued),
        Some(_) => {
            db.expired_tokens_seen.insert(token.to_owned());
            return Err(unauthorized("Could not validate credentials"));
        }
        None => return Err(unauthorized("Could not validate credentials")),
    };
    match db.admins.get(&admin) {
        // A password change invalidates the tokens issued before it.
        Some(a) if a.password_reset.is_some_and(|r| r > issued) => {
            Err(unauthorized("Could not validate credentials"))
        }
        Some(a) => Ok(Caller {
            username: a.username.clone(),
            is_sudo: a.is_sudo,
        }),
        None => Err(unauthorized("Could not validate credentials")),
    }
}

pub fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// A JWT (HS256) over `claims`; `key` decides the signature.
pub fn jwt(claims: &Value, key: &[u8]) -> String {
    let signing_input = format!(
        "{}.{}",
        b64url(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(claims.to_string().as_bytes())
    );
    let sig = hmac_sha256(key, signing_input.as_bytes());
    format!("{signing_input}.{}", b64url(&sig))
}

/// The claims of a JWT whose signature `key_for(claims)` confirms.
pub fn verify_jwt(token: &str, key_for: impl FnOnce(&Value) -> Option<Vec<u8>>) -> Option<Value> {
    let (signing_input, sig) = token.rsplit_once('.')?;
    let (_, payload) = signing_input.split_once('.')?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&raw).ok()?;
    let key = key_for(&claims)?;
    let expected = b64url(&hmac_sha256(&key, signing_input.as_bytes()));
    (expected == sig).then_some(claims)
}

/// Query parameters in order (repeated names kept: `?username=a&username=b`).
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// An optional integer parameter; a malformed one is recorded as pydantic would.
    pub fn int(&self, name: &str, errors: &mut Map<String, Value>) -> Option<i64> {
        let raw = self.get(name)?;
        match raw.trim().parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.insert(name.into(), json!("value is not a valid integer"));
                None
            }
        }
    }
}

/// A JSON object body, or Marzban's 422.
pub fn json_object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(invalid_one("body", "value is not a valid dict")),
        Err(e) => Err(invalid_one("body", &format!("JSON decode error: {e}"))),
    }
}

/// pydantic-v1-style field checks over a JSON object; errors pile up in `errors`.
pub struct Fields<'a> {
    pub obj: &'a Map<String, Value>,
    pub errors: Map<String, Value>,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>) -> Self {
        Fields {
            obj,
            errors: Map::new(),
        }
    }

    fn fail(&mut self, key: &str, message: impl Into<String>) {
        self.errors
            .insert(key.into(), Value::String(message.into()));
    }

    /// Present and not null.
    fn value(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.obj.contains_key(key)
    }

    pub fn required(&mut self, key: &str) -> bool {
        if self.value(key).is_none() {
            self.fail(key, "field required");
            return false;
        }
        true
    }

    pub fn int(&mut self, key: &str, min: Option<i64>) -> Option<i64> {
        let v = self.value(key)?;
        let n = match v {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        match n {
            None => {
                self.fail(key, "value is not a valid integer");
                None
            }
            Some(n) if min.is_some_and(|m| n < m) => {
                let m = min.unwrap_or_default();
                self.fail(
                    key,
                    format!("ensure this value is greater than or equal to {m}"),
                );
                None
            }
            Some(n) => Some(n),
        }
    }

    pub fn float(&mut self, key: &str) -> Option<f64> {
        let v = self.value(key)?;
        match v.as_f64() {
            Some(f) => Some(f),
            None => {
                self.fail(key, "value is not a valid float");
                None
            }
        }
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        let v = self.value(key)?;
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.fail(key, "str type expected");
                None
            }
        }
    }

    /// A string of `min..=max` characters.
    pub fn string_len(&mut self, key: &str, min: usize, max: usize) -> Option<String> {
        let s = self.string(key)?;
        let n = s.chars().count();
        if n < min {
            self.fail(
                key,
                format!("ensure this value has at least {min} characters"),
            );
            None
        } else if n > max {
            self.fail(
                key,
                format!("ensure this value has at most {max} characters"),
            );
            None
        } else {
            Some(s)
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let v = self.value(key)?;
        match v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
                Some(n.as_i64() == Some(1))
            }
            _ => {
                self.fail(key, "value could not be parsed to a boolean");
                None
            }
        }
    }

    /// One of `permitted` (an enum field).
    pub fn choice(&mut self, key: &str, permitted: &[&str]) -> Option<String> {
        let v = self.value(key)?;
        match v.as_str().filter(|s| permitted.contains(s)) {
            Some(s) => Some(s.to_owned()),
            None => {
                let list = permitted
                    .iter()
                    .map(|p| format!("'{p}'"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.fail(
                    key,
                    format!("value is not a valid enumeration member; permitted: {list}"),
                );
                None
            }
        }
    }

    pub fn object(&mut self, key: &str) -> Option<&'a Map<String, Value>> {
        let v = self.value(key)?;
        match v.as_object() {
            Some(m) => Some(m),
            None => {
                self.fail(key, "value is not a valid dict");
                None
            }
        }
    }

    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        self.fail(key, message);
    }

    pub fn finish(self) -> Result<(), Response> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(invalid(self.errors))
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (Python's `quote(s, safe="")`).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
