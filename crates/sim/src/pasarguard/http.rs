//! What every simulated route shares: FastAPI answers (`{"detail": …}`), PasarGuard's 422
//! (`{"detail": {field: message}}`, the last element of pydantic's `loc`; facts §8), and who is
//! calling — a bearer token or an API key (facts §3).

use std::sync::{Arc, Mutex, MutexGuard};

use axum::{
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::state::{State, UserRec};

/// The axum state of the simulated PasarGuard.
#[derive(Clone)]
pub struct Sim {
    pub state: Arc<Mutex<State>>,
}

impl Sim {
    /// Locks the database (a poisoned lock still yields the data), with the traffic accrued
    /// since the last request recorded.
    pub fn db(&self) -> MutexGuard<'_, State> {
        let mut db = self.state.lock().unwrap_or_else(|e| e.into_inner());
        db.grow();
        db
    }
}

pub type Reply = Result<Response, Response>;

pub fn ok(value: Value) -> Reply {
    Ok(Json(value).into_response())
}

pub fn created(value: Value) -> Reply {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

/// 204 with an empty body that still says `application/json` (steps 70, 94, 96).
pub fn no_content() -> Reply {
    Ok((
        StatusCode::NO_CONTENT,
        [(header::CONTENT_TYPE, "application/json")],
    )
        .into_response())
}

pub fn detail(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "detail": message.into() }))).into_response()
}

pub fn not_found(what: &str) -> Response {
    detail(StatusCode::NOT_FOUND, format!("{what} not found"))
}

/// `{"detail": {field: message}}`.
pub fn invalid(field: &str, message: &str) -> Response {
    let mut m = Map::new();
    m.insert(field.into(), json!(message));
    invalid_all(m)
}

pub fn invalid_all(errors: Map<String, Value>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "detail": errors })),
    )
        .into_response()
}

/// A JSON object body, or a 422.
pub fn object(body: &[u8]) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(invalid("body", "Input should be a valid dictionary")),
    }
}

/// The admin a request is made as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub admin_id: i64,
    pub role_id: i64,
}

impl Caller {
    /// The seeded `operator` role reaches only its own users, and another admin's user is 404,
    /// not 403 (steps 57, 58).
    pub fn sees(&self, u: &UserRec) -> bool {
        self.role_id != 3 || u.admin_id == self.admin_id
    }

    /// `admins.read` and the other owner/administrator permissions (step 59).
    pub fn require(&self, permission: &str) -> Result<(), Response> {
        if self.role_id == 3 {
            return Err(detail(
                StatusCode::FORBIDDEN,
                format!("Permission denied: {permission}"),
            ));
        }
        Ok(())
    }
}

/// Missing and bad credentials get the same 401 (steps 5, 6, 65). A valid bearer token wins;
/// otherwise `X-Api-Key: <key>` or `Authorization: ApiKey <key>` (steps 62, 63;
/// `app/routers/authentication.py`).
pub fn authenticate(sim: &Sim, headers: &HeaderMap) -> Result<Caller, Response> {
    let refused = || detail(StatusCode::UNAUTHORIZED, "Could not validate credentials");
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (scheme, value) = auth.split_once(' ').unwrap_or(("", ""));
    let db = sim.db();
    let now = db.now_secs();
    let admin_id = if scheme.eq_ignore_ascii_case("bearer") {
        db.tokens
            .get(value.trim())
            .filter(|(_, exp)| *exp > now)
            .map(|(id, _)| *id)
    } else {
        None
    };
    let key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            scheme
                .eq_ignore_ascii_case("apikey")
                .then_some(value.trim())
        });
    let admin_id = admin_id.or_else(|| {
        let key = key?;
        db.api_keys
            .values()
            .find(|k| k.key == key)
            .map(|k| k.admin_id)
    });
    let admin = admin_id
        .and_then(|id| db.admins.get(&id))
        .ok_or_else(refused)?;
    Ok(Caller {
        admin_id: admin.id,
        role_id: admin.role_id,
    })
}

pub fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .ok()
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

/// Query parameters in order, repeated names kept.
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
            .flat_map(|(_, v)| v.split(',').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    }

    /// An integer parameter; a malformed one is pydantic v2's 422 (step 41).
    pub fn int(&self, name: &str) -> Result<Option<i64>, Response> {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => raw.trim().parse::<i64>().map(Some).map_err(|_| {
                invalid(
                    name,
                    "Input should be a valid integer, unable to parse string as an integer",
                )
            }),
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| v == "true" || v == "1")
    }
}
