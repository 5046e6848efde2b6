//! The pre-3.1 client routes under `/panel/api/inbounds`: clients are edited inside one
//! inbound, the body's `settings` is a JSON-encoded string, and `:clientId` is the UUID
//! (VLESS/VMess), the password (Trojan) or the email (Shadowsocks).

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap},
    response::Response,
};
use serde::Deserialize;

use super::{
    answer, answer_msg,
    clients::{client_from, reset_one, update_client, PayloadIn},
    lock, parse, records,
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

/// `addClient`/`updateClient` bind form or JSON by `Content-Type` (facts §5.1 legacy table).
fn client_body(headers: &HeaderMap, body: &Bytes) -> OpResult<ClientBody> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        return parse(body);
    }
    let mut id = None;
    let mut settings = String::new();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "id" => id = value.parse().ok(),
            "settings" => settings = value.into_owned(),
            _ => {}
        }
    }
    Ok(ClientBody {
        id: id.ok_or("Something went wrong (invalid inbound id)")?,
        settings,
    })
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

pub async fn add_client(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = client_body(&headers, &body).and_then(|b| {
        state.check_inbounds(&[b.id])?;
        let protocol = state
            .inbound(b.id)
            .map(|i| i.protocol.clone())
            .unwrap_or_default();
        for p in settings(&b)? {
            // Each entry brings its own credential (facts §5.1 legacy table).
            let credential = match protocol.as_str() {
                "vless" | "vmess" => &p.uuid,
                "trojan" => &p.password,
                _ => &p.email,
            };
            if credential.as_deref().is_none_or(str::is_empty) {
                return Err("Something went wrong (empty client ID\n)".into());
            }
            let mut c = client_from(&p)?;
            if state.email_taken(&c.email) {
                return Err(format!(
                    "Something went wrong (Duplicate email: {}\n)",
                    c.email
                ));
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
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut state = lock(&s);
    let result = client_body(&headers, &body).and_then(|b| {
        let email = find_by_key(&state, b.id, &client_id)?;
        let entry = settings(&b)?
            .into_iter()
            .next()
            .ok_or("settings.clients is empty")?;
        // The sent entry replaces the stored one and its traffic row takes the entry's Go
        // zero values, so an omitted `enable` disables (`web/service/inbound.go`
        // `UpdateInboundClient` of the v2 line: `interfaceClients[0]` replaces the entry,
        // `UpdateClientStat(.., &clients[0])`; not in the facts file).
        update_client(&mut state, &email, &entry)
    });
    answer_msg(result, "Client updated")
}

pub async fn del_client(
    State(s): State<Shared>,
    Path((inbound_id, client_id)): Path<(i64, String)>,
) -> Response {
    let mut state = lock(&s);
    let result = find_by_key(&state, inbound_id, &client_id)
        .and_then(|email| remove_from_inbound(&mut state, inbound_id, &email));
    answer_msg(result, "Client deleted")
}

/// `POST /inbounds/{id}/delClientByEmail/{email}` (v2.8.0+).
pub async fn del_client_by_email(
    State(s): State<Shared>,
    Path((inbound_id, email)): Path<(i64, String)>,
) -> Response {
    let mut state = lock(&s);
    let result = match state.find(&email) {
        Some(c) if c.inbound_ids.contains(&inbound_id) => {
            remove_from_inbound(&mut state, inbound_id, &email)
        }
        _ => Err(format!("Something went wrong (client {email} not found\n)")),
    };
    answer_msg(result, "Client deleted")
}

fn remove_from_inbound(state: &mut Sim, inbound_id: i64, email: &str) -> OpResult<()> {
    // The panel refuses to empty an inbound (facts §5.1 legacy table).
    let members = state
        .clients
        .iter()
        .filter(|c| c.inbound_ids.contains(&inbound_id))
        .count();
    if members <= 1 {
        return Err("Something went wrong (no client remained in Inbound\n)".into());
    }
    let c = state.find_mut(email).ok_or("client vanished")?;
    c.inbound_ids.retain(|id| *id != inbound_id);
    if c.inbound_ids.is_empty() {
        state.remove(email, false)?;
    }
    Ok(())
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

/// `ClientTraffic` with `allTime`; an unknown email is `success:false` (facts §5.1).
pub async fn get_client_traffics(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    answer(
        state
            .find(&email)
            .map(|c| records::traffic(c, state.version))
            .ok_or_else(|| format!("Error getting traffic. (record not found: {email})")),
    )
}

/// Same shape as v3.1–3.3 `ips`: "No IP Record", or "ip (time)" strings (facts §4.9).
pub async fn client_ips(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    answer(Ok(ips_of(&state, &email)))
}
