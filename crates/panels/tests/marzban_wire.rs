//! The wire types decode every JSON answer of the two real-server transcripts (0.4.9 and
//! 0.8.4): 0.8.x's extra fields are kept in `extra`, not rejected, and survive a round trip.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use paneldeck_panels::marzban::{
    Admin, CoreStats, Hosts, Inbounds, SystemStats, User, UserUsages, UsersResponse,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// (step title, request line, status, JSON body) of each answer that parses as JSON.
fn answers(file: &str) -> Vec<(String, String, u16, Value)> {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let mut out = Vec::new();
    for section in text.split("\n### ").skip(1) {
        let title = section.lines().next().unwrap_or_default().to_owned();
        let request = section
            .lines()
            .find(|l| l.starts_with('`') && !l.starts_with("```"))
            .unwrap_or_default()
            .trim_matches('`')
            .split('`')
            .next()
            .unwrap_or_default()
            .to_owned();
        let Some((_, after)) = section.split_once("-> **") else {
            continue;
        };
        let status: u16 = after.split("**").next().unwrap_or("0").parse().unwrap_or(0);
        let body = after.split("```\n").nth(1).unwrap_or_default();
        let body = body.split("\n```").next().unwrap_or_default();
        if let Ok(v) = serde_json::from_str::<Value>(body) {
            out.push((title, request, status, v));
        }
    }
    out
}

fn decode<T: DeserializeOwned>(v: &Value, what: &str) -> T {
    let de = serde_json::to_string(v).expect("json");
    let mut d = serde_json::Deserializer::from_str(&de);
    serde_path_to_error::deserialize(&mut d)
        .unwrap_or_else(|e| panic!("{what}: {} at {}", e.inner(), e.path()))
}

/// Decodes every successful answer by route; returns the `extra` keys seen per type.
fn decode_all(file: &str) -> Vec<(String, Vec<String>)> {
    let mut extras = Vec::new();
    let mut decoded = 0;
    for (title, request, status, body) in answers(file) {
        if status != 200 {
            continue;
        }
        let what = format!("{file} {title}");
        let (method, path) = request.split_once(' ').unwrap_or_default();
        let path = path.split('?').next().unwrap_or_default();
        let keys = |e: &serde_json::Map<String, Value>| e.keys().cloned().collect::<Vec<_>>();
        let extra = match (method, path) {
            ("GET" | "POST", "/api/admin") => keys(&decode::<Admin>(&body, &what).extra),
            ("GET", "/api/admins") => {
                let list: Vec<Admin> = decode(&body, &what);
                keys(&list[0].extra)
            }
            ("GET", "/api/core") => keys(&decode::<CoreStats>(&body, &what).extra),
            ("GET", "/api/system") => keys(&decode::<SystemStats>(&body, &what).extra),
            ("GET", "/api/inbounds") => {
                let inbounds: Inbounds = decode(&body, &what);
                assert_eq!(inbounds.len(), 4);
                Vec::new()
            }
            ("GET", "/api/hosts") => {
                let hosts: Hosts = decode(&body, &what);
                keys(&hosts["VLESS TCP"][0].extra)
            }
            ("GET", "/api/users") => {
                let list: UsersResponse = decode(&body, &what);
                assert_eq!(
                    list.users.len() as u64,
                    list.total.min(list.users.len() as u64)
                );
                list.users
                    .first()
                    .map(|u| keys(&u.extra))
                    .unwrap_or_default()
            }
            (_, p) if p.ends_with("/usage") => {
                let u: UserUsages = decode(&body, &what);
                assert_eq!(u.usages[0].node_name, "Master");
                Vec::new()
            }
            ("GET" | "PUT" | "POST", p) if p.starts_with("/api/user") => {
                let user: User = decode(&body, &what);
                // Round trip: extra fields go back out unchanged.
                let again = serde_json::to_value(&user).expect("serialize");
                for k in user.extra.keys() {
                    assert_eq!(again[k], body[k], "{what}: {k}");
                }
                assert!(user.subscription_token().is_some());
                keys(&user.extra)
            }
            _ => continue,
        };
        decoded += 1;
        extras.push((path.to_owned(), extra));
    }
    assert!(decoded >= 24, "{file}: only {decoded} answers decoded");
    extras
}

#[test]
fn every_recorded_049_answer_decodes_without_extras() {
    for (path, extra) in decode_all("marzban-0.4.9-recorded.md") {
        assert!(
            extra.is_empty(),
            "0.4.9 {path} has unmodelled fields {extra:?}"
        );
    }
}

#[test]
fn every_recorded_084_answer_decodes_and_keeps_new_fields() {
    let extras = decode_all("marzban-0.8.4-recorded.md");
    let seen = |path: &str, key: &str| {
        extras
            .iter()
            .any(|(p, e)| p.starts_with(path) && e.iter().any(|k| k == key))
    };
    assert!(seen("/api/admin", "users_usage"));
    assert!(seen("/api/system", "online_users"));
    assert!(seen("/api/hosts", "mux_enable"));
    assert!(seen("/api/user", "next_plan"));
    assert!(seen("/api/user", "auto_delete_in_days"));
}

#[test]
fn null_and_zero_limits_read_the_same() {
    let base = serde_json::json!({"proxies": {}, "username": "u", "status": "active",
                                  "used_traffic": 0, "created_at": "2026-11-23T07:56:05"});
    for (expire, limit) in [(Value::Null, Value::Null), (0.into(), 0.into())] {
        let mut v = base.clone();
        v["expire"] = expire;
        v["data_limit"] = limit;
        let u: User = decode(&v, "limits");
        assert_eq!(u.expire_utc_secs, None);
        assert_eq!(u.data_limit_bytes, None);
    }
    let u: User = decode(&base, "absent limits");
    assert_eq!((u.expire_utc_secs, u.data_limit_bytes), (None, None));
}
