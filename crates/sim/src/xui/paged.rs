//! `GET /panel/api/clients/list/paged`: filters (OR inside a field, AND across), sorting,
//! paging (1-based, default 25, max 200) and a summary over ALL clients (lists capped at 200).

use std::{cmp::Ordering, collections::HashMap};

use axum::{
    extract::{Query, State},
    response::Response,
};
use serde_json::{json, Value};

use super::{
    answer, lock, records,
    state::{SimClient, State as Sim},
    Shared,
};
use crate::seed::now_ms;

pub const DEFAULT_PAGE_SIZE: usize = 25;
pub const MAX_PAGE_SIZE: usize = 200;
const SUMMARY_CAP: usize = 200;

fn list(q: &HashMap<String, String>, key: &str) -> Vec<String> {
    q.get(key)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn num(q: &HashMap<String, String>, key: &str) -> Option<i64> {
    q.get(key).and_then(|v| v.trim().parse().ok())
}

fn in_bucket(state: &Sim, c: &SimClient, bucket: &str, now: i64) -> bool {
    match bucket {
        "online" => state.online.contains(&c.email),
        "active" => c.active(now),
        "deactive" => !c.enable,
        "depleted" => c.depleted(now),
        "expiring" => c.expiring(now),
        _ => false,
    }
}

fn matches(state: &Sim, c: &SimClient, q: &HashMap<String, String>, now: i64) -> bool {
    if let Some(search) = q
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
    {
        let hay = [
            &c.email,
            &c.sub_id,
            &c.comment,
            &c.uuid,
            &c.password,
            &c.tg_id.to_string(),
        ];
        if !hay.iter().any(|h| h.to_lowercase().contains(&search)) {
            return false;
        }
    }
    let buckets = list(q, "filter");
    if !buckets.is_empty() && !buckets.iter().any(|b| in_bucket(state, c, b, now)) {
        return false;
    }
    let protocols = list(q, "protocol");
    if !protocols.is_empty() && !state.protocols_of(c).iter().any(|p| protocols.contains(p)) {
        return false;
    }
    let inbounds = list(q, "inbound");
    if !inbounds.is_empty()
        && !c
            .inbound_ids
            .iter()
            .any(|id| inbounds.contains(&id.to_string()))
    {
        return false;
    }
    let groups = list(q, "group");
    if !groups.is_empty() && !groups.contains(&c.group.to_lowercase()) {
        return false;
    }
    let expiry_ok = |bound: Option<i64>, f: fn(i64, i64) -> bool| {
        bound.is_none_or(|b| c.expiry_time_ms > 0 && f(c.expiry_time_ms, b))
    };
    if !expiry_ok(num(q, "expiryFrom"), |t, b| t >= b)
        || !expiry_ok(num(q, "expiryTo"), |t, b| t <= b)
    {
        return false;
    }
    let used = c.used_bytes();
    num(q, "usageFrom").is_none_or(|b| used >= b) && num(q, "usageTo").is_none_or(|b| used <= b)
}

fn compare(a: &SimClient, b: &SimClient, key: &str) -> Ordering {
    match key {
        "enable" => a.enable.cmp(&b.enable),
        "email" => a.email.to_lowercase().cmp(&b.email.to_lowercase()),
        "inboundIds" => a.inbound_ids.cmp(&b.inbound_ids),
        "traffic" => a.used_bytes().cmp(&b.used_bytes()),
        "remaining" => a.remaining_bytes().cmp(&b.remaining_bytes()),
        "expiryTime" => a.expiry_time_ms.cmp(&b.expiry_time_ms),
        "createdAt" => a.created_at_ms.cmp(&b.created_at_ms),
        "updatedAt" => a.updated_at_ms.cmp(&b.updated_at_ms),
        "lastOnline" => a.last_online_ms.cmp(&b.last_online_ms),
        _ => Ordering::Equal,
    }
    .then(a.id.cmp(&b.id))
}

fn capped(list: Vec<&str>) -> Value {
    json!(list.into_iter().take(SUMMARY_CAP).collect::<Vec<_>>())
}

pub fn page(state: &Sim, q: &HashMap<String, String>) -> Value {
    let now = now_ms();
    let page = num(q, "page").filter(|p| *p >= 1).unwrap_or(1) as usize;
    let size = num(q, "pageSize")
        .filter(|p| *p >= 1)
        .map_or(DEFAULT_PAGE_SIZE, |p| (p as usize).min(MAX_PAGE_SIZE));
    let mut rows: Vec<&SimClient> = state
        .clients
        .iter()
        .filter(|c| matches(state, c, q, now))
        .collect();
    if let Some(key) = q.get("sort") {
        rows.sort_by(|a, b| compare(a, b, key));
        if q.get("order").is_some_and(|o| o == "descend") {
            rows.reverse();
        }
    }
    let filtered = rows.len();
    let items: Vec<Value> = rows
        .into_iter()
        .skip((page - 1).saturating_mul(size))
        .take(size)
        .map(|c| records::row(c, state.version))
        .collect();
    let bucket = |name: &str| -> Vec<&str> {
        state
            .clients
            .iter()
            .filter(|c| in_bucket(state, c, name, now))
            .map(|c| c.email.as_str())
            .collect()
    };
    let (online, depleted, expiring) = (bucket("online"), bucket("depleted"), bucket("expiring"));
    // `summary.deactive` leaves out depleted clients, `summary.active` expiring ones (§6).
    let deactive: Vec<&str> = state
        .clients
        .iter()
        .filter(|c| !c.enable && !c.depleted(now))
        .map(|c| c.email.as_str())
        .collect();
    let active = state
        .clients
        .iter()
        .filter(|c| c.active(now) && !c.expiring(now))
        .count();
    // `groups`: names only, sorted case-insensitively (v3.2.0+, facts §4.5).
    let groups: Vec<String> = state
        .group_counts()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    // v3.1–3.5: complete lists; v3.6.0+: the four counters and lists capped at 200.
    let summary = if state.version.v3_6() {
        json!({
            "total": state.clients.len(),
            "active": active,
            "onlineCount": online.len(),
            "depletedCount": depleted.len(),
            "expiringCount": expiring.len(),
            "deactiveCount": deactive.len(),
            "online": capped(online),
            "depleted": capped(depleted),
            "expiring": capped(expiring),
            "deactive": capped(deactive),
        })
    } else {
        json!({
            "total": state.clients.len(),
            "active": active,
            "online": online,
            "depleted": depleted,
            "expiring": expiring,
            "deactive": deactive,
        })
    };
    json!({
        "items": items,
        "total": state.clients.len(),
        "filtered": filtered,
        "page": page,
        "pageSize": size,
        "summary": summary,
        "groups": groups,
    })
}

pub async fn list_paged(
    State(s): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let state = lock(&s);
    answer(Ok(page(&state, &q)))
}
