//! The simulated PasarGuard's in-memory database: admins and their roles, groups, hosts, the
//! core config, user templates, API keys, users, and the clock (which tests may pin to the
//! moment a transcript was recorded).

use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use crate::clock::{days_from_civil, iso_micros, iso_secs};
use crate::seed;

/// `UserStatus` (`app/models/user.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Disabled,
    Limited,
    Expired,
    OnHold,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Active,
        Status::Disabled,
        Status::Limited,
        Status::Expired,
        Status::OnHold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Disabled => "disabled",
            Status::Limited => "limited",
            Status::Expired => "expired",
            Status::OnHold => "on_hold",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

pub struct AdminRec {
    pub id: i64,
    pub username: String,
    pub password: String,
    /// 1 owner, 2 administrator, 3 operator (the seeded roles, `66c38b8a687a_admin_rbac_roles.py`).
    pub role_id: i64,
    pub note: Option<String>,
    pub data_limit: Option<i64>,
}

pub struct UserRec {
    pub id: i64,
    pub username: String,
    /// All six protocols, as answered (`proxy_settings`).
    pub proxy: Value,
    /// UTC microseconds; `None` = never.
    pub expire: Option<i64>,
    pub data_limit: Option<i64>,
    pub reset_strategy: String,
    pub note: Option<String>,
    pub on_hold_expire_duration: Option<i64>,
    pub on_hold_timeout: Option<i64>,
    pub group_ids: Vec<i64>,
    pub auto_delete_in_days: Option<i64>,
    pub hwid_limit: Option<i64>,
    pub next_plan: Option<Value>,
    pub status: Status,
    pub used: i64,
    pub lifetime: i64,
    pub created: i64,
    pub edited: Option<i64>,
    pub online: Option<i64>,
    pub admin_id: i64,
    /// Subscription tokens minted before this second stop working (`revoke_sub`).
    pub sub_revoked_secs: i64,
}

pub struct ApiKeyRec {
    pub id: i64,
    pub key: String,
    pub admin_id: i64,
    pub body: Value,
}

pub struct State {
    pub admins: BTreeMap<i64, AdminRec>,
    pub users: BTreeMap<i64, UserRec>,
    pub groups: BTreeMap<i64, Value>,
    pub hosts: BTreeMap<i64, Value>,
    pub templates: BTreeMap<i64, Value>,
    pub api_keys: BTreeMap<i64, ApiKeyRec>,
    pub core: Value,
    /// Access token → (admin id, expiry in UTC seconds).
    pub tokens: HashMap<String, (i64, i64)>,
    pub token_ttl_secs: i64,
    pub next_id: HashMap<&'static str, i64>,
    pub rng: ChaCha8Rng,
    pub secret: [u8; 32],
    /// Added to the real clock (tests pin the clock to a recording).
    pub clock_offset_micros: i64,
    /// When the simulator started, on the real clock.
    pub started_micros: i64,
    /// `--usage-growth`: traffic that accrues as time passes.
    pub growth: Option<crate::growth::Growth>,
}

impl State {
    pub fn now_micros(&self) -> i64 {
        crate::clock::now_micros() + self.clock_offset_micros
    }

    /// When the panel was installed (the seeded core's `created_at`), on the simulator's clock.
    pub fn started(&self) -> i64 {
        self.started_micros + self.clock_offset_micros
    }

    pub fn now_secs(&self) -> i64 {
        self.now_micros().div_euclid(1_000_000)
    }

    /// The next id of a table (SQLite's autoincrement: ids are never reused).
    pub fn next(&mut self, table: &'static str) -> i64 {
        let id = self.next_id.entry(table).or_insert(1);
        let out = *id;
        *id += 1;
        out
    }

    pub fn user_by_name(&self, username: &str) -> Option<&UserRec> {
        self.users.values().find(|u| u.username == username)
    }

    pub fn admin_by_name(&self, username: &str) -> Option<&AdminRec> {
        self.admins.values().find(|a| a.username == username)
    }

    /// The inbound tags of the core config, in order.
    pub fn inbound_tags(&self) -> Vec<String> {
        self.core["config"]["inbounds"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|i| i["tag"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fresh credentials for every protocol, keeping what `given` sets (`app/models/proxy.py`:
    /// missing parts are generated; the Shadowsocks cipher defaults to chacha20-ietf-poly1305).
    pub fn proxy_settings(&mut self, given: &Map<String, Value>) -> Value {
        let part = |name: &str| {
            given
                .get(name)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let text =
            |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
        let (vmess, vless, trojan, ss, hy) = (
            part("vmess"),
            part("vless"),
            part("trojan"),
            part("shadowsocks"),
            part("hysteria"),
        );
        let vmess_id = text(&vmess, "id").unwrap_or_else(|| seed::uuid(&mut self.rng).to_string());
        let vless_id = text(&vless, "id").unwrap_or_else(|| seed::uuid(&mut self.rng).to_string());
        let trojan_pw = text(&trojan, "password").unwrap_or_else(|| self.secret_text());
        let ss_pw = text(&ss, "password").unwrap_or_else(|| self.secret_text());
        let method = text(&ss, "method").unwrap_or_else(|| "chacha20-ietf-poly1305".to_owned());
        let auth = text(&hy, "auth").unwrap_or_else(|| self.secret_text());
        json!({
            "vmess": {"id": vmess_id},
            "vless": {"id": vless_id},
            "trojan": {"password": trojan_pw},
            "shadowsocks": {"password": ss_pw, "method": method},
            "wireguard": {"private_key": null, "public_key": null, "peer_ips": []},
            "hysteria": {"auth": auth}
        })
    }

    /// A 32-character URL-safe secret, as the server's `token_urlsafe(24)` gives.
    pub fn secret_text(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..32)
            .map(|_| ALPHABET[self.rng.gen_range(0..ALPHABET.len())] as char)
            .collect()
    }

    /// Adds the traffic accrued since the last call to the active users, as PasarGuard's
    /// `record_user_usages` job adds what the nodes counted (`used_traffic = used_traffic +
    /// value, online_at = now`, v5.2.1:app/jobs/record_usages.py); `limit_users_job` then turns
    /// an active user past its limit `limited` (`get_active_to_limited_users`,
    /// v5.2.1:app/jobs/review_users.py). Lifetime usage counts it too. Here it is done on each
    /// request.
    pub fn grow(&mut self) {
        let now = self.now_micros();
        let Some(growth) = self.growth.as_mut() else {
            return;
        };
        let active = self
            .users
            .values()
            .filter(|u| u.status == Status::Active)
            .map(|u| (u.id, u.id as u64))
            .collect();
        for (id, bytes) in growth.take(active) {
            if let Some(u) = self.users.get_mut(&id) {
                u.used += bytes;
                u.lifetime += bytes;
                u.online = Some(now);
                if u.data_limit.is_some_and(|l| l > 0 && u.used >= l) {
                    u.status = Status::Limited;
                }
            }
        }
    }

    /// The status enabling a user gives it (`_resolve_enabled_user_status`,
    /// `app/operation/user.py` at v5.2.1).
    pub fn enabled_status(&self, u: &UserRec) -> Status {
        if u.expire.is_some_and(|e| e <= self.now_micros()) {
            Status::Expired
        } else if u.data_limit.is_some_and(|l| l > 0 && u.used >= l) {
            Status::Limited
        } else if u.on_hold_expire_duration.is_some() {
            Status::OnHold
        } else {
            Status::Active
        }
    }
}

/// ISO 8601 UTC with `Z`: whole seconds as such, otherwise with microseconds (steps 19, 69).
pub fn iso_z(micros: i64) -> String {
    if micros.rem_euclid(1_000_000) == 0 {
        format!("{}Z", iso_secs(micros.div_euclid(1_000_000)))
    } else {
        format!("{}Z", iso_micros(micros))
    }
}

/// An `expire`-like input: Unix seconds, or an ISO 8601 datetime (naive = UTC; `Z` or
/// `±HH:MM`), to UTC microseconds (`fix_datetime_timezone`, `app/utils/helpers.py`).
pub fn parse_moment(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().map(|s| s * 1_000_000),
        Value::String(s) => parse_iso_micros(s),
        _ => None,
    }
}

fn parse_iso_micros(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, rest) = s.split_at_checked(10)?;
    let mut parts = date.split('-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    let rest = rest.strip_prefix(['T', ' '])?;
    let (clock, offset) = match rest.strip_suffix(['Z', 'z']) {
        Some(c) => (c, 0),
        None => match rest.rfind(['+', '-']) {
            Some(i) => {
                let (c, o) = rest.split_at(i);
                let (h, mi) = o[1..].split_once(':')?;
                let secs = h.parse::<i64>().ok()? * 3600 + mi.parse::<i64>().ok()? * 60;
                (c, if o.starts_with('-') { -secs } else { secs })
            }
            None => (rest, 0),
        },
    };
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, "0"));
    let mut hms = hms.split(':');
    let (h, mi, sec): (i64, i64, i64) = (
        hms.next()?.parse().ok()?,
        hms.next()?.parse().ok()?,
        hms.next().map_or(Some(0), |v| v.parse().ok())?,
    );
    let frac: String = frac.chars().chain("000000".chars()).take(6).collect();
    let micros: i64 = frac.parse().ok()?;
    let secs = days_from_civil(y, m, d)? * 86_400 + h * 3600 + mi * 60 + sec - offset;
    Some(secs * 1_000_000 + micros)
}
