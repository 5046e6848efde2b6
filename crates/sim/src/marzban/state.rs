//! The simulated Marzban's in-memory database: admins, users, templates, nodes, hosts, the Xray
//! core config (from which inbounds are derived) and issued access tokens.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use crate::clock::{iso_micros, now_micros, now_secs};
use crate::seed;

/// Marzban's `ProxyTypes`, in the enum's order (which is also the order answers use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Proto {
    Vmess,
    Vless,
    Trojan,
    Shadowsocks,
}

impl Proto {
    pub const ALL: [Proto; 4] = [
        Proto::Vmess,
        Proto::Vless,
        Proto::Trojan,
        Proto::Shadowsocks,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Vmess => "vmess",
            Proto::Vless => "vless",
            Proto::Trojan => "trojan",
            Proto::Shadowsocks => "shadowsocks",
        }
    }

    /// How link remarks spell the protocol (`{PROTOCOL}`).
    pub fn display(self) -> &'static str {
        match self {
            Proto::Vmess => "VMess",
            Proto::Vless => "VLESS",
            Proto::Trojan => "Trojan",
            Proto::Shadowsocks => "Shadowsocks",
        }
    }

    pub fn parse(s: &str) -> Option<Proto> {
        Proto::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// `UserStatus`: `limited` and `expired` are only ever set by the server.
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
    pub username: String,
    pub password: String,
    pub is_sudo: bool,
    pub telegram_id: Option<i64>,
    pub discord_webhook: Option<String>,
    /// Set when the password changes: tokens issued before it stop working.
    pub password_reset: Option<Instant>,
    /// Bytes its users used, ever: 0.8.4's usage job adds every user's traffic to its admin's
    /// `users_usage` (`app/jobs/record_usages.py` at v0.8.4).
    pub users_usage: i64,
}

pub struct UserRec {
    /// Insertion order: the tie-break of `created_at` sorting, like the database's primary key.
    pub id: u64,
    pub username: String,
    /// Settings per protocol (`{"id": uuid, "flow": ""}`, `{"password", "method"}` …).
    pub proxies: BTreeMap<Proto, Value>,
    /// The proxies in the order they were added (the database's row order): links follow it.
    pub proxy_order: Vec<Proto>,
    /// Inbound tags each proxy is kept off. Like the real database, exclusions are stored and
    /// inbounds derived, so an inbound added to the core config reaches every user.
    pub excluded: BTreeMap<Proto, Vec<String>>,
    /// UTC seconds; `None` = never.
    pub expire: Option<i64>,
    /// Bytes; `None` = unlimited.
    pub data_limit: Option<i64>,
    pub data_limit_reset_strategy: String,
    pub note: Option<String>,
    pub sub_updated_at: Option<String>,
    pub sub_last_user_agent: Option<String>,
    pub online_at: Option<String>,
    pub on_hold_expire_duration: Option<i64>,
    pub on_hold_timeout: Option<String>,
    pub status: Status,
    /// Bytes since the last reset.
    pub used_traffic: i64,
    /// Bytes used before the resets (lifetime = this + `used_traffic`).
    pub reset_traffic: i64,
    pub created_micros: i64,
    pub admin: Option<String>,
    /// Bumped by `revoke_sub`: subscription tokens are signed with it, so old ones stop working.
    pub sub_revision: u64,
    /// Bytes per node (`None` = the master).
    pub node_usage: BTreeMap<Option<i64>, i64>,
    /// The share links as last built ([`super::links::cached`]).
    pub links: LinksCache,
}

/// A user's share links and the [`State::links_revision`] they were built at. A full listing
/// renders every user's links, which change only with the user's proxies (reached through
/// [`State::user_mut`], which clears this) or the hosts and inbounds (which bump the revision).
#[derive(Debug, Default)]
pub struct LinksCache(Mutex<Option<(u64, Arc<[String]>)>>);

impl Clone for LinksCache {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl LinksCache {
    pub fn get(&self, revision: u64) -> Option<Arc<[String]>> {
        let held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        held.as_ref()
            .filter(|(r, _)| *r == revision)
            .map(|(_, links)| links.clone())
    }

    pub fn set(&self, revision: u64, links: Arc<[String]>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((revision, links));
    }

    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl UserRec {
    pub fn created_at(&self) -> String {
        iso_micros(self.created_micros)
    }

    /// Inbound tags per proxy: the protocol's inbounds in config order, minus the excluded.
    pub fn inbounds(&self, all: &[Inbound]) -> BTreeMap<Proto, Vec<String>> {
        self.proxies
            .keys()
            .map(|p| {
                let excluded = self.excluded.get(p);
                let tags = all
                    .iter()
                    .filter(|i| i.protocol == *p)
                    .filter(|i| !excluded.is_some_and(|e| e.contains(&i.tag)))
                    .map(|i| i.tag.clone())
                    .collect();
                (*p, tags)
            })
            .collect()
    }

    /// The first second at which [`review`](Self::review) changes this user as it is now:
    /// an active user at its expiry (at once when over its limit), an on-hold one at its
    /// timeout; others never (only a change to the user moves them).
    pub fn review_due(&self) -> i64 {
        match self.status {
            Status::Active if self.data_limit.is_some_and(|l| self.used_traffic >= l) => i64::MIN,
            Status::Active => self.expire.unwrap_or(i64::MAX),
            Status::OnHold => self
                .on_hold_timeout
                .as_deref()
                .and_then(super::datetime::parse_datetime)
                .unwrap_or(i64::MAX),
            _ => i64::MAX,
        }
    }

    /// What Marzban's review job does every few seconds, done on every read here: users over
    /// their data limit become `limited`, past their expiry `expired`, and on-hold users whose
    /// timeout passed start their clock.
    pub fn review(&mut self, now: i64) {
        if self.status == Status::OnHold {
            let timed_out = self
                .on_hold_timeout
                .as_deref()
                .and_then(super::datetime::parse_datetime)
                .is_some_and(|t| t <= now);
            if timed_out {
                self.start_on_hold(now);
            }
        }
        if self.status != Status::Active {
            return;
        }
        if self.data_limit.is_some_and(|l| self.used_traffic >= l) {
            self.status = Status::Limited;
        } else if self.expire.is_some_and(|e| e <= now) {
            self.status = Status::Expired;
        }
    }

    /// An on-hold user connects (or times out): active, expiring `on_hold_expire_duration`
    /// later (0.4.9's `start_user_expire` leaves the on-hold fields as they were).
    pub fn start_on_hold(&mut self, now: i64) {
        self.status = Status::Active;
        if let Some(d) = self.on_hold_expire_duration {
            self.expire = Some(now + d);
        }
    }
}

pub struct TemplateRec {
    pub id: i64,
    pub name: Option<String>,
    pub data_limit: Option<i64>,
    pub expire_duration: Option<i64>,
    pub username_prefix: Option<String>,
    pub username_suffix: Option<String>,
    /// Inbound tags (answers group them by the protocol the config gives each tag).
    pub tags: Vec<String>,
}

pub struct NodeRec {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub port: i64,
    pub api_port: i64,
    pub usage_coefficient: f64,
    pub status: &'static str,
    pub xray_version: Option<String>,
    pub message: Option<String>,
    pub uplink: i64,
    pub downlink: i64,
}

/// One inbound of the core config, as `/api/inbounds` and the link builder see it.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub tag: String,
    pub protocol: Proto,
    pub network: String,
    pub tls: String,
    pub port: i64,
    pub path: String,
    pub sni: String,
    pub fingerprint: String,
    pub public_key: String,
}

pub struct TokenRec {
    pub admin: String,
    pub issued: Instant,
    pub expires: Instant,
}

pub struct State {
    /// The release played: answers differ where the real releases do.
    pub version: super::PanelVersion,
    pub admins: BTreeMap<String, AdminRec>,
    /// Keyed by [`user_key`]: usernames are unique and looked up case-insensitively (the real
    /// column has `NOCASE` collation). Added and removed only through [`State::insert_user`]
    /// and [`State::remove_user`], which keep `user_ids` beside it; changed only through
    /// [`State::user_mut`], [`State::users_mut`] and the methods here, which keep
    /// `review_due` right.
    pub users: BTreeMap<String, UserRec>,
    /// The first second at which [`State::review_all`] could change a user; before it, a
    /// review of everyone changes nobody and is skipped. `i64::MIN`: a user changed since,
    /// review everyone.
    pub review_due: i64,
    /// The `users` keys in id order (the order of an unsorted listing), so a page of a
    /// listing is read without ordering every user.
    pub user_ids: BTreeMap<u64, String>,
    pub next_user_id: u64,
    pub templates: BTreeMap<i64, TemplateRec>,
    pub next_template_id: i64,
    pub nodes: BTreeMap<i64, NodeRec>,
    pub next_node_id: i64,
    /// Hosts per inbound tag (the order of `inbounds`).
    pub hosts: BTreeMap<String, Vec<Value>>,
    pub core_config: Value,
    pub inbounds: Vec<Inbound>,
    pub core_restarts: u64,
    pub tokens: HashMap<String, TokenRec>,
    pub token_ttl: Duration,
    pub logins: u64,
    /// Tokens that were presented after they expired (each counted once).
    pub expired_tokens_seen: HashSet<String>,
    pub rng: ChaCha8Rng,
    pub secret: [u8; 32],
    /// Inbound tags that have a `ProxyInbound` row (some user was kept off them), and the
    /// tags a create is inserting right now ([`super::race`]).
    pub inbound_rows: HashSet<String>,
    pub inserting_rows: HashSet<String>,
    /// Bumped whenever hosts or inbounds change: every user's links may then change.
    pub links_revision: u64,
    /// Total traffic through the core (bytes), for `/api/system`.
    pub incoming: i64,
    pub outgoing: i64,
    /// `--usage-growth`: traffic that accrues as time passes.
    pub growth: Option<crate::growth::Growth>,
}

/// The `users` key of a username.
pub fn user_key(username: &str) -> String {
    username.to_lowercase()
}

impl State {
    pub fn insert_user(&mut self, user: UserRec) {
        self.review_due = self.review_due.min(user.review_due());
        let (id, key) = (user.id, user_key(&user.username));
        if let Some(old) = self.users.insert(key.clone(), user) {
            self.user_ids.remove(&old.id);
        }
        self.user_ids.insert(id, key);
    }

    pub fn remove_user(&mut self, username: &str) -> Option<UserRec> {
        let user = self.users.remove(&user_key(username))?;
        self.user_ids.remove(&user.id);
        Some(user)
    }

    pub fn user(&self, username: &str) -> Option<&UserRec> {
        self.users.get(&user_key(username))
    }

    /// The user, to change: its cached links are dropped, as the change may touch them, and
    /// the next [`review_all`](Self::review_all) reviews everyone.
    pub fn user_mut(&mut self, username: &str) -> Option<&mut UserRec> {
        let user = self.users.get_mut(&user_key(username))?;
        user.links.clear();
        self.review_due = i64::MIN;
        Some(user)
    }

    /// Every user, to change fields that leave their links alone; the next
    /// [`review_all`](Self::review_all) reviews everyone.
    pub fn users_mut(&mut self) -> impl Iterator<Item = &mut UserRec> {
        self.review_due = i64::MIN;
        self.users.values_mut()
    }

    /// Reviews one user now (a listing reviews the users it shows).
    pub fn review_user(&mut self, key: &str, now: i64) {
        if let Some(u) = self.users.get_mut(key) {
            u.review(now);
            self.review_due = self.review_due.min(u.review_due());
        }
    }

    pub fn inbound(&self, tag: &str) -> Option<&Inbound> {
        self.inbounds.iter().find(|i| i.tag == tag)
    }

    pub fn tags_of(&self, proto: Proto) -> Vec<String> {
        self.inbounds
            .iter()
            .filter(|i| i.protocol == proto)
            .map(|i| i.tag.clone())
            .collect()
    }

    /// Reviews every user, as the review job would have by now. The job's outcome for a user
    /// depends on the user and the time alone (`review` in app/jobs/review_users.py at
    /// v0.8.4: limit reached, expiry passed, on-hold timeout passed), so while no user
    /// changed and the time is before the first user's [`UserRec::review_due`], it changes
    /// nobody and the pass over every user is skipped: a create then costs what it does on
    /// the real panel, not a pass over 20,000 users under the lock.
    pub fn review_all(&mut self) {
        let now = now_secs();
        if now < self.review_due {
            self.review_nodes();
            return;
        }
        let mut due = i64::MAX;
        for u in self.users.values_mut() {
            u.review(now);
            due = due.min(u.review_due());
        }
        self.review_due = due;
        self.review_nodes();
    }

    /// Nodes only: for answers that show some users, each reviewed on its own.
    pub fn review_nodes(&mut self) {
        for n in self.nodes.values_mut() {
            // The background connect of a freshly added or modified node has finished.
            if n.status == "connecting" {
                n.status = "connected";
                n.xray_version = Some(super::XRAY_VERSION.to_owned());
            }
        }
    }

    /// Proxy settings as Marzban's settings models parse them: the fields of `proto` only
    /// (others dropped), a fresh UUID/password where none was given, enums checked.
    pub fn new_proxy(
        &mut self,
        proto: Proto,
        given: &serde_json::Map<String, Value>,
    ) -> Result<Value, String> {
        let text = |k: &str| given.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut out = serde_json::Map::new();
        match proto {
            Proto::Vmess | Proto::Vless => {
                let id = match given.get("id") {
                    None | Some(Value::Null) => seed::uuid(&mut self.rng),
                    Some(v) => v
                        .as_str()
                        .and_then(|s| uuid::Uuid::parse_str(s).ok())
                        .ok_or("value is not a valid uuid")?,
                };
                out.insert("id".into(), json!(id.to_string()));
            }
            Proto::Trojan | Proto::Shadowsocks => {
                let pw = match text("password") {
                    Some(p) => p,
                    None => self.random_password(),
                };
                out.insert("password".into(), json!(pw));
            }
        }
        if matches!(proto, Proto::Vless | Proto::Trojan) {
            let flow = text("flow").unwrap_or_default();
            if !matches!(flow.as_str(), "" | "xtls-rprx-vision") {
                return Err("value is not a valid enumeration member; permitted: '', \
                            'xtls-rprx-vision'"
                    .into());
            }
            out.insert("flow".into(), json!(flow));
        }
        if proto == Proto::Shadowsocks {
            let method = text("method").unwrap_or_else(|| "chacha20-ietf-poly1305".into());
            if !["aes-128-gcm", "aes-256-gcm", "chacha20-ietf-poly1305"].contains(&method.as_str())
            {
                return Err("value is not a valid enumeration member; permitted: \
                            'aes-128-gcm', 'aes-256-gcm', 'chacha20-ietf-poly1305'"
                    .into());
            }
            out.insert("method".into(), json!(method));
        }
        Ok(Value::Object(out))
    }

    /// 22 URL-safe characters, like Python's `secrets.token_urlsafe(16)`.
    pub fn random_password(&mut self) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..22)
            .map(|_| A[self.rng.gen_range(0..A.len())] as char)
            .collect()
    }

    /// Adds `bytes` of traffic for `username` through `node` (None = master): counters, online
    /// time, and the status changes the review job would make.
    pub fn add_traffic(&mut self, username: &str, bytes: i64, node: Option<i64>) -> bool {
        let now = now_secs();
        let coefficient = node
            .and_then(|id| self.nodes.get(&id))
            .map_or(1.0, |n| n.usage_coefficient);
        let counted = (bytes as f64 * coefficient) as i64;
        let Some(user) = self.users.get_mut(&user_key(username)) else {
            return false;
        };
        if user.status == Status::OnHold {
            user.start_on_hold(now);
        }
        user.used_traffic += counted;
        if let Some(a) = user.admin.as_ref().and_then(|a| self.admins.get_mut(a)) {
            a.users_usage += counted;
        }
        *user.node_usage.entry(node).or_default() += counted;
        user.online_at = Some(iso_micros(now_micros()));
        user.review(now);
        self.review_due = self.review_due.min(user.review_due());
        let (up, down) = (bytes / 10, bytes - bytes / 10);
        self.incoming += up;
        self.outgoing += down;
        if let Some(n) = node.and_then(|id| self.nodes.get_mut(&id)) {
            n.uplink += up;
            n.downlink += down;
        }
        true
    }
}

impl State {
    /// Adds the traffic accrued since the last call. Marzban's `record_user_usages` job adds
    /// what the core's stats counted to each user every few seconds
    /// (`app/jobs/record_usages.py` at v0.8.4); here it is done on each read, like
    /// [`UserRec::review`].
    pub fn grow(&mut self) {
        let Some(growth) = self.growth.as_mut() else {
            return;
        };
        let active = self
            .users
            .values()
            .filter(|u| u.status == Status::Active)
            .map(|u| (u.username.clone(), u.id))
            .collect();
        for (name, bytes) in growth.take(active) {
            self.add_traffic(&name, bytes, None);
        }
    }
}
