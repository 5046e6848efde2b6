//! Deterministic population: `accounts` clients over `groups` inbounds of mixed protocols.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rand::Rng;

use super::{
    state::{blank_client, Auth, SimInbound, State, DAY_MS},
    version::XuiVersion,
};
use crate::{
    seed::{self, now_ms},
    SimOptions,
};

const PROTOCOLS: [&str; 4] = ["vless", "vmess", "trojan", "shadowsocks"];
const GROUPS: [&str; 3] = ["customer-a", "internal", "resellers"];
const GIB: i64 = 1 << 30;

pub fn seeded(opts: &SimOptions, version: XuiVersion, two_factor_code: Option<String>) -> State {
    let legacy = !version.clients_api();
    let mut rng = seed::rng(opts.seed);
    let auth = Auth {
        token: seed::token(&mut rng, 32),
        monitor_token: String::new(),
        username: "admin".into(),
        password: format!("pw-{}", seed::token(&mut rng, 10)),
        two_factor_code,
    };
    let guid = seed::uuid(&mut rng).to_string();
    let inbounds: Vec<SimInbound> = (0..opts.groups.max(1))
        .map(|i| {
            let protocol = PROTOCOLS[i % PROTOCOLS.len()];
            let port = 10_000 + (i as u16) * 7 + rng.gen_range(0..5u16);
            SimInbound {
                id: i as i64 + 1,
                protocol: protocol.into(),
                port,
                remark: format!("{}-{port}", protocol.to_uppercase()),
                tag: format!("in-{port}-tcp"),
                enable: true,
                up_bytes: 0,
                down_bytes: 0,
                ss_method: if protocol == "shadowsocks" {
                    "2022-blake3-aes-256-gcm".into()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let mut state = State {
        clients: Vec::new(),
        inbounds,
        groups: BTreeSet::new(),
        kept_traffic: BTreeMap::new(),
        online: BTreeSet::new(),
        ips: BTreeMap::new(),
        guid,
        version,
        auth,
        sessions: HashMap::new(),
        login_failures: HashMap::new(),
        next_client_id: 1,
        next_traffic_id: 1,
        rng,
        growth: crate::growth::Growth::new(opts.usage_growth_mib_per_min),
    };
    let now = now_ms();
    let n_inbounds = state.inbounds.len();
    for index in 0..opts.accounts {
        let email = seed::account_name(&mut state.rng, index);
        let mut c = blank_client(&email);
        c.uuid = state.gen_uuid();
        c.sub_id = seed::token(&mut state.rng, 16);
        c.inbound_ids.push((index % n_inbounds) as i64 + 1);
        if !legacy && n_inbounds > 1 && state.rng.gen_bool(0.3) {
            c.inbound_ids.push(((index + 1) % n_inbounds) as i64 + 1);
        }
        c.total_bytes = [0, 10 * GIB, 50 * GIB, 100 * GIB][state.rng.gen_range(0..4)];
        c.expiry_time_ms = match state.rng.gen_range(0..6) {
            0 | 1 => 0,
            2 => now + state.rng.gen_range(5..90) * DAY_MS,
            3 => now - state.rng.gen_range(1..10) * DAY_MS,
            4 => -30 * DAY_MS,
            _ => now + state.rng.gen_range(2..48) * 3_600_000,
        };
        if c.expiry_time_ms >= 0 {
            let cap = if c.total_bytes > 0 {
                c.total_bytes * 6 / 5
            } else {
                20 * GIB
            };
            c.up_bytes = state.rng.gen_range(0..cap / 8);
            c.down_bytes = state.rng.gen_range(0..cap);
            c.last_online_ms = now - state.rng.gen_range(60_000..30 * DAY_MS);
        }
        c.limit_ip = [0, 0, 2, 3][state.rng.gen_range(0..4)];
        c.enable = state.rng.gen_bool(0.9);
        c.group = match state.rng.gen_range(0..5) {
            i @ 0..=2 => GROUPS[i].into(),
            _ => String::new(),
        };
        if state.rng.gen_bool(0.2) {
            c.comment = "seeded".into();
        }
        c.tg_id = if state.rng.gen_bool(0.1) {
            state.rng.gen_range(100_000_000..999_999_999)
        } else {
            0
        };
        let online = c.enable && c.used_bytes() > 0 && state.rng.gen_bool(0.25);
        let days_old = state.rng.gen_range(1..365);
        let Ok(idx) = state.insert(c) else { continue };
        state.clients[idx].created_at_ms = now - days_old * DAY_MS;
        state.clients[idx].updated_at_ms = now - days_old * DAY_MS / 2;
        if state.clients[idx].depleted(now) && state.clients[idx].enable {
            state.clients[idx].enable = false;
            state.clients[idx].auto_disabled = true;
        }
        if online && state.clients[idx].enable {
            let email = state.clients[idx].email.clone();
            state.clients[idx].last_online_ms = now - 5_000;
            let ip = format!("203.0.113.{}", state.rng.gen_range(1..255u8));
            state.ips.insert(email.clone(), vec![(ip, now / 1000 - 30)]);
            state.online.insert(email);
        }
    }
    state.auth.monitor_token = seed::token(&mut state.rng, 32);
    state
}
