//! A user as PasarGuard answers it (`UserResponse`, steps 19–21), its subscription token, and
//! the checks a create or modify body goes through (`app/models/user.py`,
//! `app/models/validators.py` at v5.2.1).

use serde_json::{json, Map, Value};

use super::{
    http::{b64url, b64url_decode, hmac_sha256},
    state::{iso_z, parse_moment, State, Status, UserRec},
};

/// `subscription_url` is relative without a URL prefix (steps 19, 47); lists leave it `""`
/// unless `load_sub=true` (steps 34, 35).
pub fn user_json(db: &State, u: &UserRec, with_sub: bool) -> Value {
    let admin = db
        .admins
        .get(&u.admin_id)
        .map(|a| json!({"id": a.id, "username": a.username}));
    let sub = if with_sub {
        format!("/sub/{}", sub_token(db, u.id))
    } else {
        String::new()
    };
    json!({
        "proxy_settings": u.proxy,
        "expire": u.expire.map(iso_z),
        "data_limit": u.data_limit,
        "data_limit_reset_strategy": u.reset_strategy,
        "note": u.note,
        "on_hold_expire_duration": u.on_hold_expire_duration,
        "on_hold_timeout": u.on_hold_timeout.map(iso_z),
        "group_ids": u.group_ids,
        "auto_delete_in_days": u.auto_delete_in_days,
        "hwid_limit": u.hwid_limit,
        "next_plan": u.next_plan,
        "id": u.id,
        "username": u.username,
        "status": u.status.as_str(),
        "used_traffic": u.used,
        "lifetime_used_traffic": u.lifetime,
        "created_at": iso_z(u.created),
        "edit_at": u.edited.map(iso_z),
        "online_at": u.online.map(iso_z),
        "subscription_url": sub,
        "admin": admin,
    })
}

/// `base64url("v3,<user_id>,<ceil(unix)>")` `.` `base64url(HMAC-SHA256)`, minted now
/// (`app/utils/jwt.py`; facts §10).
pub fn sub_token(db: &State, user_id: i64) -> String {
    let secs = db.now_micros().div_euclid(1_000_000) + 1;
    let payload = format!("v3,{user_id},{secs}");
    let sig = hmac_sha256(&db.secret, payload.as_bytes());
    format!("{}.{}", b64url(payload.as_bytes()), b64url(&sig))
}

/// The user a subscription token names, if its signature holds and it is not older than the
/// user's creation or last revoke (`get_validated_sub`, `app/operation/__init__.py`).
pub fn user_of_token(db: &State, token: &str) -> Option<i64> {
    let (payload_b64, sig) = token.split_once('.')?;
    let payload = b64url_decode(payload_b64)?;
    if b64url(&hmac_sha256(&db.secret, &payload)) != sig {
        return None;
    }
    let text = String::from_utf8(payload).ok()?;
    let mut parts = text.split(',');
    let (_, id, secs) = (parts.next()?, parts.next()?, parts.next()?);
    let (id, secs): (i64, i64) = (id.parse().ok()?, secs.parse().ok()?);
    let u = db.users.get(&id)?;
    (secs * 1_000_000 >= u.created && secs >= u.sub_revoked_secs).then_some(id)
}

/// `UserValidator.validate_username`: 3–128 of `[a-zA-Z0-9-_@.]`, no two special characters
/// in a row (step 23).
pub fn username_problem(name: &str) -> Option<&'static str> {
    let special = |c: char| matches!(c, '-' | '_' | '@' | '.');
    if !(3..=128).contains(&name.chars().count()) {
        return Some("Value error, Username only can be 3 to 128 characters.");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || special(c))
    {
        return Some(
            "Value error, Username can only contain alphanumeric characters, -, _, @, and .",
        );
    }
    let chars: Vec<char> = name.chars().collect();
    if chars.windows(2).any(|w| special(w[0]) && special(w[1])) {
        return Some("Value error, Username cannot have consecutive special characters");
    }
    None
}

/// The fields a create or modify body sets, checked as pydantic v2 would; errors pile up.
#[derive(Default)]
pub struct UserFields {
    pub expire: Option<Option<i64>>,
    pub data_limit: Option<i64>,
    pub status: Option<Status>,
    pub on_hold_expire_duration: Option<i64>,
    pub group_ids: Option<Vec<i64>>,
    pub errors: Map<String, Value>,
}

impl UserFields {
    /// `allowed`: the statuses this body may set (create: active, on_hold; modify: also
    /// disabled).
    pub fn read(body: &Map<String, Value>, allowed: &[Status]) -> UserFields {
        let mut f = UserFields::default();
        let mut errors = Map::new();
        let mut fail = |k: &str, m: &str| {
            errors.insert(k.into(), json!(m));
        };
        let present = |k: &str| body.get(k).filter(|v| !v.is_null());
        if let Some(v) = present("expire") {
            match (v.as_i64(), parse_moment(v)) {
                (Some(0), _) => f.expire = Some(None),
                (_, Some(m)) => f.expire = Some(Some(m)),
                _ => fail("expire", "Input should be a valid datetime"),
            }
        }
        if let Some(v) = present("data_limit") {
            match v.as_i64() {
                Some(n) if n >= 0 => f.data_limit = Some(n),
                Some(_) => fail("data_limit", "Input should be greater than or equal to 0"),
                None => fail("data_limit", "Input should be a valid integer"),
            }
        }
        f.on_hold_expire_duration = present("on_hold_expire_duration").and_then(Value::as_i64);
        if let Some(v) = present("group_ids") {
            match v
                .as_array()
                .map(|l| l.iter().map(Value::as_i64).collect::<Option<Vec<_>>>())
            {
                Some(Some(ids)) if ids.is_empty() => fail(
                    "group_ids",
                    "Value error, you must select at least one group",
                ),
                Some(Some(ids)) => f.group_ids = Some(ids),
                _ => fail("group_ids", "Input should be a valid list"),
            }
        }
        if let Some(v) = present("status") {
            match v
                .as_str()
                .and_then(Status::parse)
                .filter(|s| allowed.contains(s))
            {
                Some(s) => f.status = Some(s),
                None => fail("status", &status_set_error(allowed)),
            }
        }
        if f.status == Some(Status::OnHold) {
            // `UserValidator.validate_status` (step 28).
            if f.on_hold_expire_duration.unwrap_or(0) == 0 {
                fail(
                    "status",
                    "Value error, User cannot be on hold without a valid on_hold_expire_duration.",
                );
            } else if f.expire.flatten().is_some() {
                fail(
                    "status",
                    "Value error, User cannot be on hold with specified expire.",
                );
            }
        }
        f.errors = errors;
        f
    }
}

/// The Python tuple repr pydantic shows for a status outside the set (step 44).
fn status_set_error(allowed: &[Status]) -> String {
    let order = [Status::OnHold, Status::Active, Status::Disabled];
    let set = order
        .iter()
        .filter(|s| allowed.contains(s))
        .map(|s| {
            let member = s.as_str();
            format!("<UserStatus.{member}: '{member}'>")
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("Value error, ('status must be in', {{{set}}})")
}
