//! A user as the API shows it: `UserResponse` with its links and subscription URL, and the
//! subscription token that URL carries.

use std::{collections::BTreeMap, sync::Arc};

use axum::http::{header, HeaderMap};
use serde::Serialize;
use serde_json::{json, Value};

use super::{
    admins::AdminView,
    common::jwt,
    links,
    state::{State, UserRec},
};
use crate::clock::now_secs;

/// `http://host:port` of the request, the base of `subscription_url`.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// A subscription token: a JWT `{sub, access: "subscription", iat}` as 0.4.9 issues them. The
/// real server rejects tokens older than the user's creation or last revocation by comparing
/// times; the simulator signs with the user's creation time and revocation counter instead, so
/// the same rule holds within one second too.
pub fn sub_token(db: &State, user: &UserRec) -> String {
    let claims = json!({"sub": user.username, "access": "subscription", "iat": now_secs() + 1});
    jwt(&claims, &sub_key(db, user))
}

pub fn sub_key(db: &State, user: &UserRec) -> Vec<u8> {
    let mut key = db.secret.to_vec();
    key.extend_from_slice(&user.created_micros.to_be_bytes());
    key.extend_from_slice(&user.sub_revision.to_be_bytes());
    key
}

/// `UserResponse` as Marzban serialises it, field for field in its order; 0.8.4 adds
/// `auto_delete_in_days`, `next_plan` and the owner `admin` (recorded step 10 of each
/// transcript). Typed rather than a `json!` map: a full sync renders every user, and the maps
/// cost most of the time.
#[derive(Serialize)]
pub struct UserView<'a> {
    proxies: BTreeMap<&'static str, &'a Value>,
    expire: Option<i64>,
    data_limit: Option<i64>,
    data_limit_reset_strategy: &'a str,
    inbounds: BTreeMap<&'static str, Vec<String>>,
    note: Option<&'a str>,
    sub_updated_at: Option<&'a str>,
    sub_last_user_agent: Option<&'a str>,
    online_at: Option<&'a str>,
    on_hold_expire_duration: Option<i64>,
    on_hold_timeout: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auto_delete_in_days: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_plan: Option<Value>,
    username: &'a str,
    status: &'static str,
    used_traffic: i64,
    lifetime_used_traffic: i64,
    created_at: String,
    links: SharedLinks,
    subscription_url: String,
    excluded_inbounds: BTreeMap<&'static str, &'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin: Option<Option<AdminView<'a>>>,
}

impl<'a> UserView<'a> {
    pub fn of(db: &'a State, u: &'a UserRec, base: &str) -> Self {
        let mut inbounds = BTreeMap::new();
        let mut excluded = BTreeMap::new();
        for (proto, tags) in u.inbounds(&db.inbounds) {
            inbounds.insert(proto.as_str(), tags);
            let ex = u.excluded.get(&proto).map_or(&[][..], Vec::as_slice);
            excluded.insert(proto.as_str(), ex);
        }
        let v8 = db.version.is_0_8();
        let owner = || {
            u.admin
                .as_ref()
                .and_then(|a| db.admins.get(a))
                .map(|a| AdminView::of(db.version, a))
        };
        UserView {
            auto_delete_in_days: v8.then_some(Value::Null),
            next_plan: v8.then_some(Value::Null),
            admin: v8.then(owner),
            proxies: u.proxies.iter().map(|(p, s)| (p.as_str(), s)).collect(),
            expire: u.expire,
            data_limit: u.data_limit,
            data_limit_reset_strategy: &u.data_limit_reset_strategy,
            inbounds,
            note: u.note.as_deref(),
            sub_updated_at: u.sub_updated_at.as_deref(),
            sub_last_user_agent: u.sub_last_user_agent.as_deref(),
            online_at: u.online_at.as_deref(),
            on_hold_expire_duration: u.on_hold_expire_duration,
            on_hold_timeout: u.on_hold_timeout.as_deref(),
            username: &u.username,
            status: u.status.as_str(),
            used_traffic: u.used_traffic,
            lifetime_used_traffic: u.used_traffic + u.reset_traffic,
            created_at: u.created_at(),
            links: SharedLinks(links::cached(db, u)),
            subscription_url: format!("{base}/sub/{}", sub_token(db, u)),
            excluded_inbounds: excluded,
        }
    }
}

/// A user's kept links, written as the JSON array they are without copying them.
pub struct SharedLinks(Arc<[String]>);

impl Serialize for SharedLinks {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}

pub fn user_json(db: &State, u: &UserRec, base: &str) -> Value {
    serde_json::to_value(UserView::of(db, u, base)).unwrap_or(Value::Null)
}
