//! `--usage-growth` on 3x-ui and PasarGuard (Marzban's is covered by the CLI's watch test):
//! traffic accrues between two reads over HTTP, only for accounts that can move it, and a
//! PasarGuard user past its limit turns `limited`; `--expiring-soon` seeds PasarGuard users
//! that expire within three days.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{collections::HashMap, time::Duration};

use paneldeck_sim::{SimCredentials, SimKind, SimOptions};
use serde_json::Value;

fn growing(expiring_soon: usize) -> SimOptions {
    SimOptions {
        accounts: 40,
        usage_growth_mib_per_min: 60_000.0,
        expiring_soon,
        ..SimOptions::default()
    }
}

const MIB: i64 = 1 << 20;

/// Each client's (enable, up + down) from `inbounds/list`'s `clientStats`.
async fn xui_traffic(url: &str, token: &str) -> HashMap<String, (bool, i64)> {
    let body: Value = reqwest::Client::new()
        .get(format!("{url}panel/api/inbounds/list"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut out = HashMap::new();
    for inbound in body["obj"].as_array().unwrap() {
        for c in inbound["clientStats"].as_array().unwrap() {
            let used = c["up"].as_i64().unwrap() + c["down"].as_i64().unwrap();
            let email = c["email"].as_str().unwrap().to_owned();
            out.insert(email, (c["enable"].as_bool().unwrap(), used));
        }
    }
    out
}

#[tokio::test]
async fn xui_traffic_grows_for_enabled_clients_only() {
    let sim = paneldeck_sim::start_local(SimKind::Xui, growing(0))
        .await
        .unwrap();
    let SimCredentials::Login {
        token: Some(token), ..
    } = sim.credentials.clone()
    else {
        panic!("the 3x-ui simulator gives an API token");
    };
    let before = xui_traffic(&sim.url(), &token).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = xui_traffic(&sim.url(), &token).await;
    let grown: i64 = after.iter().map(|(e, (_, b))| b - before[e].1).sum();
    // 60,000 MiB a minute for 1.5 s is about 1,500 MiB.
    assert!(grown > 1_000 * MIB, "grew {} MiB", grown / MIB);
    for (email, (enabled, used)) in &before {
        if !enabled {
            assert_eq!(
                after[email].1, *used,
                "{email} is disabled and moved traffic"
            );
        }
    }
    let movers = after.iter().filter(|(e, (_, b))| *b > before[*e].1).count();
    assert!(movers > 5, "only {movers} clients moved traffic");
}

async fn pasarguard_users(url: &str, token: &str) -> Vec<Value> {
    let body: Value = reqwest::Client::new()
        .get(format!("{url}api/users?limit=1000"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["users"].as_array().unwrap().clone()
}

#[tokio::test]
async fn pasarguard_traffic_grows_limits_users_and_some_expire_soon() {
    let sim = paneldeck_sim::start_local(SimKind::Pasarguard, growing(4))
        .await
        .unwrap();
    let SimCredentials::Password { username, password } = sim.credentials.clone() else {
        panic!("the PasarGuard simulator gives a username and password");
    };
    let token: Value = reqwest::Client::new()
        .post(format!("{}api/admin/token", sim.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("username={username}&password={password}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let used = |users: &[Value]| -> i64 {
        users
            .iter()
            .map(|u| u["used_traffic"].as_i64().unwrap())
            .sum()
    };
    let before = pasarguard_users(&sim.url(), &token).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = pasarguard_users(&sim.url(), &token).await;
    let grown = used(&after) - used(&before);
    assert!(grown > 1_000 * MIB, "grew {} MiB", grown / MIB);
    for u in &after {
        let limit = u["data_limit"].as_i64().unwrap_or(0);
        if limit > 0 && u["used_traffic"].as_i64().unwrap() >= limit {
            assert_ne!(u["status"], "active", "{u}");
        }
    }
    let soon = after
        .iter()
        .filter(|u| {
            u["status"] == "active" && u["expire"].as_str().is_some_and(expires_within_three_days)
        })
        .count();
    assert!(soon >= 4, "{soon} users expire within three days");
}

/// `expire` (ISO 8601 UTC, `2026-12-07T10:00:00Z`) is within three days from now.
fn expires_within_three_days(iso: &str) -> bool {
    let n = |r: std::ops::Range<usize>| iso.get(r).and_then(|t| t.parse::<u8>().ok());
    let year = iso.get(0..4).and_then(|y| y.parse::<i32>().ok());
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) =
        (year, n(5..7), n(8..10), n(11..13), n(14..16), n(17..19))
    else {
        return false;
    };
    let Ok(month) = time::Month::try_from(mo) else {
        return false;
    };
    let (Ok(date), Ok(clock)) = (
        time::Date::from_calendar_date(y, month, d),
        time::Time::from_hms(h, mi, s),
    ) else {
        return false;
    };
    let at = time::PrimitiveDateTime::new(date, clock)
        .assume_utc()
        .unix_timestamp();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    at > now && at <= now + 3 * 86_400
}
