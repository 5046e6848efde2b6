//! Read-only views: traffic, IPs, online lists, share links.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap},
    response::Response,
};
use serde_json::{json, Value};

use super::{
    answer, answer_msg, lock, records,
    render::link,
    state::{SimClient, State as Sim},
    Shared,
};
use crate::seed::now_ms;

/// Up to v3.3.x: `"No IP Record"` when none, else `"ip (local time)"` strings; from v3.4.0
/// `[{ip, time, node}]`, `[]` when none (facts §4.9). `time` is the host's zone-less local
/// time; the simulator's host runs on UTC.
pub fn ips_of(state: &Sim, email: &str) -> Value {
    let list = state.ips.get(email).map(Vec::as_slice).unwrap_or_default();
    let stamp = |secs: i64| crate::clock::iso_secs(secs).replacen('T', " ", 1);
    if state.version.v3_4() {
        return json!(list
            .iter()
            .map(|(ip, ts)| json!({ "ip": ip, "time": stamp(*ts), "node": "" }))
            .collect::<Vec<_>>());
    }
    if list.is_empty() {
        return json!("No IP Record");
    }
    json!(list
        .iter()
        .map(|(ip, ts)| format!("{ip} ({})", stamp(*ts)))
        .collect::<Vec<_>>())
}

pub async fn ips(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    answer(Ok(ips_of(&state, &email)))
}

pub async fn clear_ips(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let mut state = lock(&s);
    state.ips.remove(&email);
    answer_msg(Ok(()), "Log Cleared")
}

/// Emails online now; `null` when nobody is (facts §4.1, §7.8).
pub async fn onlines(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    if state.online.is_empty() {
        return answer(Ok(Value::Null));
    }
    answer(Ok(json!(state.online.iter().collect::<Vec<_>>())))
}

pub async fn onlines_by_guid(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    answer(Ok(
        json!({ state.guid.clone(): state.online.iter().collect::<Vec<_>>() }),
    ))
}

pub async fn client_ips_by_guid(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let per_client: serde_json::Map<String, Value> = state
        .ips
        .iter()
        .map(|(email, list)| {
            let rows: Vec<Value> = list
                .iter()
                .map(|(ip, ts)| json!({ "ip": ip, "timestamp": ts }))
                .collect();
            (email.clone(), json!(rows))
        })
        .collect();
    answer(Ok(json!({ state.guid.clone(): per_client })))
}

pub async fn active_inbounds(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let mut tags: Vec<String> = state
        .clients
        .iter()
        .filter(|c| state.online.contains(&c.email))
        .flat_map(|c| c.inbound_ids.iter())
        .filter_map(|id| state.inbound(*id).map(|i| i.tag.clone()))
        .collect();
    tags.sort();
    tags.dedup();
    answer(Ok(json!({ state.guid.clone(): tags })))
}

pub async fn last_online(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let map: serde_json::Map<String, Value> = state
        .clients
        .iter()
        .filter(|c| c.last_online_ms > 0)
        .map(|c| (c.email.clone(), json!(c.last_online_ms)))
        .collect();
    answer(Ok(Value::Object(map)))
}

/// Unknown email: `success:false` up to v3.2.x, `success:true, obj:null` from v3.3.0
/// (facts §4.6).
pub async fn traffic(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    let v = state.version;
    match state.find(&email) {
        Some(c) => answer(Ok(records::traffic(c, v))),
        None if v.v3_3_0() => answer(Ok(Value::Null)),
        None => answer(Err(format!(
            "Error getting traffic. (Inbound Not Found For Email: {email})"
        ))),
    }
}

/// The host the request was sent to, for share links.
fn request_host(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    host.rsplit_once(':').map_or(host, |(h, _)| h).to_owned()
}

fn links_of(state: &Sim, c: &SimClient, host: &str) -> Vec<String> {
    c.inbound_ids
        .iter()
        .filter_map(|id| state.inbound(*id))
        .filter_map(|inbound| link(c, inbound, host))
        .collect()
}

pub async fn sub_links(
    State(s): State<Shared>,
    Path(sub_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let state = lock(&s);
    let host = request_host(&headers);
    let now = now_ms();
    let mut out = Vec::new();
    for c in state
        .clients
        .iter()
        .filter(|c| c.sub_id == sub_id && c.enable)
    {
        out.extend(links_of(&state, c, &host));
        for row in &c.external_links {
            let live = row["enable"].as_bool().unwrap_or(true)
                && row["expiryTime"].as_i64().is_none_or(|t| t == 0 || t > now);
            if live && row["kind"] == "link" {
                out.push(row["value"].as_str().unwrap_or_default().to_owned());
            }
        }
    }
    answer(Ok(json!(out)))
}

pub async fn links(
    State(s): State<Shared>,
    Path(email): Path<String>,
    headers: HeaderMap,
) -> Response {
    let state = lock(&s);
    let host = request_host(&headers);
    answer(
        state
            .find(&email)
            .map(|c| json!(links_of(&state, c, &host)))
            .ok_or_else(|| format!("client not found: {email}")),
    )
}

/// `POST /clients/hwids/{email}` (HEAD): `ClientHwidInfo[]` or `null`; the simulator keeps no
/// devices, so `null` (facts §4.9).
pub async fn hwids(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    answer(
        state
            .find(&email)
            .map(|_| Value::Null)
            .ok_or_else(|| format!("client not found: {email}")),
    )
}
