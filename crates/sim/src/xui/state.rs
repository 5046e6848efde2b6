//! In-memory state of the simulated 3x-ui panel and the rules its routes share
//! (uniqueness, credential generation, depletion, traffic accounting).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use base64::Engine;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::version::XuiVersion;
use crate::seed::{self, now_ms};

pub const DAY_MS: i64 = 86_400_000;
/// Clients whose expiry falls within this window count as "expiring": the panel setting
/// `expireDiff` (days), 0 by default, which makes "expiring" empty (facts §6).
pub const EXPIRING_WINDOW_MS: i64 = 0;
/// ... or whose remaining quota is below `trafficDiff` (GB), also 0 by default.
pub const EXPIRING_REMAINING_BYTES: i64 = 0;

/// One client row (the v3.1+ model: one identity, one traffic row, many inbounds).
#[derive(Debug, Clone, PartialEq)]
pub struct SimClient {
    pub id: i64,
    pub traffic_id: i64,
    pub email: String,
    pub uuid: String,
    pub password: String,
    pub flow: String,
    pub security: String,
    pub sub_id: String,
    pub comment: String,
    pub group: String,
    pub tg_id: i64,
    /// Quota in bytes (`totalGB`); 0 = unlimited.
    pub total_bytes: i64,
    /// Epoch ms; 0 = never; negative = duration starting at first traffic.
    pub expiry_time_ms: i64,
    pub enable: bool,
    /// Disabled by the traffic loop because it was depleted (not by an admin).
    pub auto_disabled: bool,
    pub limit_ip: i64,
    pub limit_hwid: i64,
    pub reset_days: i64,
    pub inbound_ids: Vec<i64>,
    pub up_bytes: i64,
    pub down_bytes: i64,
    pub last_online_ms: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub external_links: Vec<Value>,
}

impl SimClient {
    pub fn used_bytes(&self) -> i64 {
        self.up_bytes + self.down_bytes
    }

    pub fn over_quota(&self) -> bool {
        self.total_bytes > 0 && self.used_bytes() >= self.total_bytes
    }

    pub fn expired(&self, now: i64) -> bool {
        self.expiry_time_ms > 0 && self.expiry_time_ms <= now
    }

    pub fn depleted(&self, now: i64) -> bool {
        self.over_quota() || self.expired(now)
    }

    pub fn expiring(&self, now: i64) -> bool {
        if !self.enable || self.depleted(now) {
            return false;
        }
        let soon = self.expiry_time_ms > 0 && self.expiry_time_ms - now < EXPIRING_WINDOW_MS;
        let nearly_used =
            self.total_bytes > 0 && self.total_bytes - self.used_bytes() < EXPIRING_REMAINING_BYTES;
        soon || nearly_used
    }

    pub fn active(&self, now: i64) -> bool {
        self.enable && !self.depleted(now)
    }

    /// Remaining quota; unlimited sorts last.
    pub fn remaining_bytes(&self) -> i64 {
        if self.total_bytes == 0 {
            i64::MAX
        } else {
            self.total_bytes - self.used_bytes()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SimInbound {
    pub id: i64,
    pub protocol: String,
    pub port: u16,
    pub remark: String,
    pub tag: String,
    pub enable: bool,
    pub up_bytes: i64,
    pub down_bytes: i64,
    /// Shadowsocks cipher ("" for other protocols).
    pub ss_method: String,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub csrf: String,
    pub authed: bool,
}

/// Who may log in, and which generation the simulator imitates.
#[derive(Debug, Clone)]
pub struct Auth {
    /// Full-admin API token.
    pub token: String,
    /// A token with the read-only "monitor" scope (newer builds): POSTs get 403.
    pub monitor_token: String,
    pub username: String,
    pub password: String,
    pub two_factor_code: Option<String>,
}

pub struct State {
    pub clients: Vec<SimClient>,
    pub inbounds: Vec<SimInbound>,
    /// Persisted group rows (placeholders included); labels on clients are merged in.
    pub groups: BTreeSet<String>,
    /// Traffic rows kept by `del?keepTraffic=1`: email → (up, down).
    pub kept_traffic: BTreeMap<String, (i64, i64)>,
    pub online: BTreeSet<String>,
    /// email → (ip, unix seconds).
    pub ips: BTreeMap<String, Vec<(String, i64)>>,
    pub guid: String,
    pub version: XuiVersion,
    pub auth: Auth,
    pub sessions: HashMap<String, Session>,
    /// Failed login times per user name (the limiter's key; facts §2.2).
    pub login_failures: HashMap<String, Vec<i64>>,
    pub next_client_id: i64,
    pub next_traffic_id: i64,
    pub rng: ChaCha8Rng,
    /// `--usage-growth`: traffic that accrues as time passes.
    pub growth: Option<crate::growth::Growth>,
}

/// A failed operation: the `msg` of a `success:false` answer.
pub type OpResult<T> = Result<T, String>;

impl State {
    /// `{email}` in a path matches the stored email exactly, case included (facts §4).
    pub fn find(&self, email: &str) -> Option<&SimClient> {
        self.clients.iter().find(|c| c.email == email)
    }

    pub fn find_mut(&mut self, email: &str) -> Option<&mut SimClient> {
        self.clients.iter_mut().find(|c| c.email == email)
    }

    pub fn position(&self, email: &str) -> Option<usize> {
        self.clients.iter().position(|c| c.email == email)
    }

    /// Whether `email` is taken: exactly, or (HEAD) differing only in case (facts §4.7).
    pub fn email_taken(&self, email: &str) -> bool {
        self.clients.iter().any(|c| {
            c.email == email || (self.version.head() && c.email.eq_ignore_ascii_case(email))
        })
    }

    pub fn inbound(&self, id: i64) -> Option<&SimInbound> {
        self.inbounds.iter().find(|i| i.id == id)
    }

    pub fn protocols_of(&self, client: &SimClient) -> Vec<String> {
        client
            .inbound_ids
            .iter()
            .filter_map(|id| self.inbound(*id))
            .map(|i| i.protocol.clone())
            .collect()
    }

    pub fn gen_uuid(&mut self) -> String {
        seed::uuid(&mut self.rng).to_string()
    }

    pub fn gen_sub_id(&mut self) -> String {
        loop {
            let candidate = seed::token(&mut self.rng, 16);
            if !self.clients.iter().any(|c| c.sub_id == candidate) {
                return candidate;
            }
        }
    }

    pub fn gen_password(&mut self, protocol: &str, ss_method: &str) -> String {
        if protocol == "shadowsocks" {
            let len = ss_key_len(ss_method).unwrap_or(32);
            let bytes: Vec<u8> = (0..len).map(|_| self.rng.gen()).collect();
            base64::engine::general_purpose::STANDARD.encode(bytes)
        } else {
            seed::token(&mut self.rng, 12)
        }
    }

    /// Fills the credentials the attached protocols need and replaces a Shadowsocks-2022
    /// key of the wrong size, as the panel does.
    pub fn ensure_credentials(&mut self, idx: usize) {
        let inbound_ids = self.clients[idx].inbound_ids.clone();
        for id in inbound_ids {
            let Some(inbound) = self.inbound(id).cloned() else {
                continue;
            };
            match inbound.protocol.as_str() {
                "vless" | "vmess" if self.clients[idx].uuid.is_empty() => {
                    self.clients[idx].uuid = self.gen_uuid();
                }
                "trojan" if self.clients[idx].password.is_empty() => {
                    self.clients[idx].password = self.gen_password("trojan", "");
                }
                "shadowsocks" => {
                    let want = ss_key_len(&inbound.ss_method);
                    let pw = &self.clients[idx].password;
                    let fits = match want {
                        Some(len) => base64::engine::general_purpose::STANDARD
                            .decode(pw)
                            .is_ok_and(|k| k.len() == len),
                        None => !pw.is_empty(),
                    };
                    if !fits {
                        self.clients[idx].password =
                            self.gen_password("shadowsocks", &inbound.ss_method);
                    }
                }
                _ => {}
            }
        }
        if self.clients[idx].uuid.is_empty() {
            self.clients[idx].uuid = self.gen_uuid();
        }
    }

    pub fn check_inbounds(&self, ids: &[i64]) -> OpResult<()> {
        match ids.iter().find(|id| self.inbound(**id).is_none()) {
            Some(id) => Err(format!("inbound {id} not found")),
            None => Ok(()),
        }
    }

    /// Inserts a new client (after the caller validated the email) and returns its index.
    pub fn insert(&mut self, mut client: SimClient) -> OpResult<usize> {
        if self.email_taken(&client.email) {
            return Err(format!("email already in use: {}", client.email));
        }
        if client.sub_id.is_empty() {
            client.sub_id = self.gen_sub_id();
        } else if self.clients.iter().any(|c| c.sub_id == client.sub_id) {
            return Err(format!("subId already in use: {}", client.sub_id));
        }
        client.id = self.next_client_id;
        self.next_client_id += 1;
        client.traffic_id = self.next_traffic_id;
        self.next_traffic_id += 1;
        // A traffic row kept by an earlier delete is picked up again.
        if let Some((up, down)) = self.kept_traffic.remove(&client.email) {
            client.up_bytes = up;
            client.down_bytes = down;
        }
        let now = now_ms();
        client.created_at_ms = now;
        client.updated_at_ms = now;
        self.clients.push(client);
        let idx = self.clients.len() - 1;
        self.ensure_credentials(idx);
        Ok(idx)
    }

    /// Removes a client; `keep_traffic` keeps its counters for a later re-add.
    pub fn remove(&mut self, email: &str, keep_traffic: bool) -> OpResult<SimClient> {
        let idx = self.position(email).ok_or_else(|| {
            format!("client \"{email}\" not found in any inbound or client record")
        })?;
        let client = self.clients.remove(idx);
        if keep_traffic {
            self.kept_traffic
                .insert(client.email.clone(), (client.up_bytes, client.down_bytes));
        }
        self.online.remove(&client.email);
        self.ips.remove(&client.email);
        Ok(client)
    }

    /// Adds traffic as Xray would report it: starts a "after first use" expiry, marks the
    /// client online and disables it when it becomes depleted.
    pub fn add_traffic(&mut self, email: &str, up: i64, down: i64) -> bool {
        let now = now_ms();
        let Some(c) = self.find_mut(email) else {
            return false;
        };
        c.up_bytes += up;
        c.down_bytes += down;
        if c.expiry_time_ms < 0 && up + down > 0 {
            c.expiry_time_ms = now - c.expiry_time_ms;
        }
        c.last_online_ms = now;
        let email = c.email.clone();
        self.enforce_limits(&email);
        self.online.insert(email);
        true
    }

    /// Adds the traffic accrued since the last call to the enabled clients, as 3x-ui's traffic
    /// job adds what Xray counted every 5 s (`cadenceXrayTraffic = "@every 5s"` and
    /// `XrayTrafficJob.Run` → `inboundService.AddTraffic`, v3.6.0:internal/web/web.go and
    /// internal/web/job/xray_traffic_job.go); disabled clients are removed from Xray
    /// (`disableInvalidClients` → `xrayApi.RemoveUser`, v3.6.0:internal/web/service/
    /// inbound_disable.go) and move nothing. Here it is done on each API request. Xray counts
    /// uplink and downlink apart; the simulator gives an eighth to the uplink.
    pub fn grow(&mut self) {
        let Some(growth) = self.growth.as_mut() else {
            return;
        };
        let enabled = self
            .clients
            .iter()
            .filter(|c| c.enable)
            .map(|c| (c.email.clone(), c.id as u64))
            .collect();
        for (email, bytes) in growth.take(enabled) {
            self.add_traffic(&email, bytes / 8, bytes - bytes / 8);
        }
    }

    /// The traffic loop: a depleted enabled client is disabled (and remembered as such).
    pub fn enforce_limits(&mut self, email: &str) {
        let now = now_ms();
        if let Some(c) = self.find_mut(email) {
            if c.enable && c.depleted(now) {
                c.enable = false;
                c.auto_disabled = true;
            }
        }
    }

    /// Re-enables a client the traffic loop disabled, once it is no longer depleted.
    pub fn lift_if_recovered(c: &mut SimClient, now: i64) {
        if c.auto_disabled && !c.depleted(now) {
            c.enable = true;
            c.auto_disabled = false;
        }
    }

    /// Group names with member counts: persisted rows merged with labels in use.
    pub fn group_counts(&self) -> Vec<(String, u64)> {
        let mut counts: BTreeMap<String, u64> =
            self.groups.iter().map(|g| (g.clone(), 0)).collect();
        for c in self.clients.iter().filter(|c| !c.group.is_empty()) {
            *counts.entry(c.group.clone()).or_default() += 1;
        }
        let mut out: Vec<(String, u64)> = counts.into_iter().collect();
        out.sort_by_key(|(name, _)| name.to_lowercase());
        out
    }

    pub fn group_exists(&self, name: &str) -> bool {
        self.groups.contains(name) || self.clients.iter().any(|c| c.group == name)
    }
}

/// Key size in bytes of a Shadowsocks-2022 cipher; `None` for legacy ciphers.
pub fn ss_key_len(method: &str) -> Option<usize> {
    match method {
        "2022-blake3-aes-128-gcm" => Some(16),
        m if m.starts_with("2022-blake3-") => Some(32),
        _ => None,
    }
}

/// A blank client with the fields the panel defaults.
pub fn blank_client(email: &str) -> SimClient {
    SimClient {
        id: 0,
        traffic_id: 0,
        email: email.to_owned(),
        uuid: String::new(),
        password: String::new(),
        flow: String::new(),
        security: String::new(),
        sub_id: String::new(),
        comment: String::new(),
        group: String::new(),
        tg_id: 0,
        total_bytes: 0,
        expiry_time_ms: 0,
        enable: true,
        auto_disabled: false,
        limit_ip: 0,
        limit_hwid: 0,
        reset_days: 0,
        inbound_ids: Vec::new(),
        up_bytes: 0,
        down_bytes: 0,
        last_online_ms: 0,
        created_at_ms: 0,
        updated_at_ms: 0,
        external_links: Vec::new(),
    }
}
