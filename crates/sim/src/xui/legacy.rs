//! The pre-3.1 client routes under `/panel/api/inbounds`: clients are edited inside one
//! inbound, the body's `settings` is a JSON-encoded string, and `:clientId` is the UUID
//! (VLESS/VMess), the password (Trojan) or the email (Shadowsocks).

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    answer, answer_msg,
    clients::{client_from, reset_one, update_client, PayloadIn},
    lock, parse, render,
    state::{OpResult, State as Sim},
    views::ips_of,
    Shared,
};

#[derive(Deserialize)]
struct ClientBody {
    id: i64,
    settings: String,
}

#[derive(Deserialize)]
struct Settings {
    #[serde(default)]
    clients: Vec<PayloadIn>,
}

fn settings(body: &ClientBody) -> OpResult<Vec<PayloadIn>> {
    let s: Settings = serde_json::from_str(&body.settings)
        .map_err(|e| format!("settings is not valid JSON: {e}"))?;
    Ok(s.clients)
}

/// The client of inbound `inbound_id` whose protocol credential equals `client_id`.
fn find_by_key(state: &Sim, inbound_id: i64, client_id: &str) -> OpResult<String> {
    let inbound = state
        .inbound(inbound_id)
        .ok_or_else(|| format!("inbound {inbound_id} not found"))?;
    state
        .clients
        .iter()
        .filter(|c| c.inbound_ids.contains(&inbound_id))
        .find(|c| match inbound.protocol.as_str() {
            "vless" | "vmess" => c.uuid == client_id,
            "trojan" => c.password == client_id,
            _ => c.email == client_id,
        })
        .map(|c| c.email.clone())
        .ok_or_else(|| format!("client {client_id} not found in inbound {inbound_id}"))
}

pub async fn add_client(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<ClientBody>(&body).and_then(|b| {
        state.check_inbounds(&[b.id])?;
        for p in settings(&b)? {
            let mut c = client_from(&p)?;
            if state.find(&c.email).is_some() {
                return Err(format!("Duplicate email: {}", c.email));
            }
            c.inbound_ids = vec![b.id];
            state.insert(c)?;
        }
        Ok(())
    });
    answer_msg(result, "Client(s) added")
}

pub async fn update_client_route(
    State(s): State<Shared>,
    Path(client_id): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = lock(&s);
    let result = parse::<ClientBody>(&body).and_then(|b| {
        let email = find_by_key(&state, b.id, &client_id)?;
        let entry = settings(&b)?
            .into_iter()
            .next()
            .ok_or("settings.clients is empty")?;
        // Legacy entries carry `enable`; an entry without it stays enabled.
        let entry = PayloadIn {
            enable: entry.enable.or(Some(true)),
            ..entry
        };
        update_client(&mut state, &email, &entry)
    });
    answer_msg(result, "Client updated")
}

pub async fn del_client(
    State(s): State<Shared>,
    Path((inbound_id, client_id)): Path<(i64, String)>,
) -> Response {
    let mut state = lock(&s);
    let result = find_by_key(&state, inbound_id, &client_id).and_then(|email| {
        let c = state.find_mut(&email).ok_or("client vanished")?;
        c.inbound_ids.retain(|id| *id != inbound_id);
        if c.inbound_ids.is_empty() {
            state.remove(&email, false)?;
        }
        Ok(())
    });
    answer_msg(result, "Client deleted")
}

pub async fn reset_client_traffic(
    State(s): State<Shared>,
    Path((inbound_id, email)): Path<(i64, String)>,
) -> Response {
    let mut state = lock(&s);
    let result = match state.find(&email) {
        Some(c) if c.inbound_ids.contains(&inbound_id) => reset_one(&mut state, &email),
        _ => Err(format!("client {email} not found in inbound {inbound_id}")),
    };
    answer_msg(result, "Traffic reset")
}

pub async fn get_client_traffics(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    // Old panels answer obj:null for an unknown email.
    answer(Ok(state.find(&email).map_or(Value::Null, render::traffic)))
}

pub async fn client_ips(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    // Pre-3.1 panels store the list as a JSON string.
    let ips = match ips_of(&state, &email) {
        Value::Array(list) => json!(Value::Array(list).to_string()),
        other => other,
    };
    answer(Ok(ips))
}
