//! Single-client routes of `/panel/api/clients/*` and the read-only views.

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    answer, answer_msg,
    bulk::counted,
    lock, parse, records, render,
    state::{blank_client, OpResult, SimClient, State as Sim, DAY_MS},
    Shared,
};
use crate::seed::now_ms;

/// A client payload as `add`, `update`, `bulkCreate` and `import` accept it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayloadIn {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, rename = "id")]
    pub uuid: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub flow: Option<String>,
    #[serde(default)]
    pub security: Option<String>,
    #[serde(default)]
    pub sub_id: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub tg_id: Option<Value>,
    #[serde(default, rename = "totalGB")]
    pub total_bytes: Option<i64>,
    #[serde(default, rename = "expiryTime")]
    pub expiry_time_ms: Option<i64>,
    #[serde(default)]
    pub limit_ip: Option<i64>,
    #[serde(default)]
    pub limit_hwid: Option<i64>,
    #[serde(default, rename = "reset")]
    pub reset_days: Option<i64>,
    #[serde(default)]
    pub enable: Option<bool>,
}

fn tg_id(v: &Option<Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// A new client from a payload (fields the caller left out take the panel's defaults).
pub fn client_from(p: &PayloadIn) -> OpResult<SimClient> {
    client_with(p, true)
}

/// As [`client_from`]; `hwid`: whether the panel reads `limitHwid` (HEAD only, facts §4.7).
pub fn client_with(p: &PayloadIn, hwid: bool) -> OpResult<SimClient> {
    let email = nonempty(&p.email).ok_or("email is required")?;
    let mut c = blank_client(&email);
    c.uuid = nonempty(&p.uuid).unwrap_or_default();
    c.password = nonempty(&p.password).unwrap_or_default();
    c.sub_id = nonempty(&p.sub_id).unwrap_or_default();
    c.flow = p.flow.clone().unwrap_or_default();
    c.security = p.security.clone().unwrap_or_default();
    c.comment = p.comment.clone().unwrap_or_default();
    c.group = p.group.clone().unwrap_or_default();
    c.tg_id = tg_id(&p.tg_id);
    c.total_bytes = p.total_bytes.unwrap_or(0).max(0);
    c.expiry_time_ms = p.expiry_time_ms.unwrap_or(0);
    c.limit_ip = p.limit_ip.unwrap_or(0);
    c.limit_hwid = if hwid { p.limit_hwid.unwrap_or(0) } else { 0 };
    c.reset_days = p.reset_days.unwrap_or(0);
    c.enable = p.enable.unwrap_or(true);
    Ok(c)
}

/// `add`: needs an email and at least one existing inbound; always enables the client.
/// Re-adding an existing email WITH its stored subId reuses that identity (attaches).
pub fn add_client(
    state: &mut Sim,
    p: &PayloadIn,
    inbound_ids: &[i64],
    require_inbound: bool,
) -> OpResult<()> {
    if require_inbound && inbound_ids.is_empty() {
        return Err("at least one inbound is required".into());
    }
    state.check_inbounds(inbound_ids)?;
    let mut client = client_with(p, state.version.head())?;
    if require_inbound {
        client.enable = true;
    }
    if state.email_taken(&client.email) {
        let Some(existing) = state.find(&client.email) else {
            return Err(format!("email already in use: {}", client.email));
        };
        let same_identity = !client.sub_id.is_empty() && existing.sub_id == client.sub_id;
        if !same_identity {
            return Err(format!("email already in use: {}", client.email));
        }
        let email = existing.email.clone();
        return attach(state, &email, inbound_ids);
    }
    client.inbound_ids = dedup(inbound_ids);
    state.insert(client).map(|_| ())
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

pub fn attach(state: &mut Sim, email: &str, inbound_ids: &[i64]) -> OpResult<()> {
    state.check_inbounds(inbound_ids)?;
    let idx = state
        .position(email)
        .ok_or_else(|| format!("client not found: {email}"))?;
    for id in inbound_ids {
        if !state.clients[idx].inbound_ids.contains(id) {
            state.clients[idx].inbound_ids.push(*id);
        }
    }
    state.ensure_credentials(idx);
    Ok(())
}

/// `update/:email` REPLACES the row: only uuid, password and subId survive when omitted;
/// every other omitted field takes its zero value — `enable` false, `totalGB` 0, `group` ""
/// (facts §4.7, `HEAD:internal/web/service/client_crud.go` `Update`). The body's `email` is
/// required and renames the client when it differs.
pub fn update_client(state: &mut Sim, email: &str, p: &PayloadIn) -> OpResult<()> {
    let idx = state
        .position(email)
        .ok_or("Something went wrong (record not found)")?;
    let old = state.clients[idx].clone();
    let mut new = client_with(p, state.version.head())?;
    new.enable = p.enable.unwrap_or(false);
    if new.email != old.email && state.email_taken(&new.email) {
        return Err(format!("Duplicate email: {}", new.email));
    }
    if new.sub_id.is_empty() {
        new.sub_id = old.sub_id.clone();
    } else if state
        .clients
        .iter()
        .any(|c| c.id != old.id && c.sub_id == new.sub_id)
    {
        return Err(format!("subId already in use: {}", new.sub_id));
    }
    if new.uuid.is_empty() {
        new.uuid = old.uuid.clone();
    }
    if new.password.is_empty() {
        new.password = old.password.clone();
    }
    new.id = old.id;
    new.traffic_id = old.traffic_id;
    new.inbound_ids = old.inbound_ids.clone();
    new.up_bytes = old.up_bytes;
    new.down_bytes = old.down_bytes;
    new.last_online_ms = old.last_online_ms;
    new.created_at_ms = old.created_at_ms;
    new.updated_at_ms = now_ms();
    new.external_links = old.external_links.clone();
    if new.email != old.email {
        if state.online.remove(&old.email) {
            state.online.insert(new.email.clone());
        }
        if let Some(ips) = state.ips.remove(&old.email) {
            state.ips.insert(new.email.clone(), ips);
        }
    }
    let email = new.email.clone();
    state.clients[idx] = new;
    state.ensure_credentials(idx);
    state.enforce_limits(&email);
    Ok(())
}

pub async fn list(State(s): State<Shared>) -> Response {
    let body = {
        let state = lock(&s);
        let v = state.version;
        let records: Vec<_> = state
            .clients
            .iter()
            .map(|c| records::Record::listed(c, v))
            .collect();
        // A client renders to somewhat under 1 KiB.
        render::envelope_bytes(&records, records.len() * 1024)
    };
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

pub async fn get(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let state = lock(&s);
    // Unknown email: `success:false`, "Obtain (record not found)" (facts §4.4).
    answer(
        state
            .find(&email)
            .map(|c| records::detail(&state, c))
            .ok_or_else(|| "Obtain (record not found)".to_owned()),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddBody {
    #[serde(default)]
    client: PayloadIn,
    #[serde(default)]
    inbound_ids: Vec<i64>,
}

pub async fn add(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<AddBody>(&body)
        .and_then(|b| add_client(&mut state, &b.client, &b.inbound_ids, true));
    answer_msg(result, "Inbound client(s) have been added.")
}

pub async fn update(State(s): State<Shared>, Path(email): Path<String>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<PayloadIn>(&body).and_then(|p| update_client(&mut state, &email, &p));
    answer_msg(result, "Inbound client has been updated.")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DelQuery {
    #[serde(default)]
    keep_traffic: Option<String>,
}

pub async fn del(
    State(s): State<Shared>,
    Path(email): Path<String>,
    Query(q): Query<DelQuery>,
) -> Response {
    let mut state = lock(&s);
    // Exactly `1` keeps the traffic row (facts §4.1).
    let keep = q.keep_traffic.as_deref() == Some("1");
    answer_msg(state.remove(&email, keep).map(|_| ()), "Client deleted")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InboundIdsBody {
    #[serde(default)]
    inbound_ids: Vec<i64>,
}

pub async fn attach_route(
    State(s): State<Shared>,
    Path(email): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = lock(&s);
    let result = parse::<InboundIdsBody>(&body).and_then(|b| {
        if b.inbound_ids.is_empty() {
            return Err("inboundIds is required".into());
        }
        attach(&mut state, &email, &b.inbound_ids)
    });
    answer_msg(result, "")
}

pub async fn detach_route(
    State(s): State<Shared>,
    Path(email): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = lock(&s);
    let result = parse::<InboundIdsBody>(&body).and_then(|b| {
        let c = state
            .find_mut(&email)
            .ok_or_else(|| format!("client not found: {email}"))?;
        c.inbound_ids.retain(|id| !b.inbound_ids.contains(id));
        Ok(())
    });
    answer_msg(result, "")
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExternalLinksBody {
    external_links: Vec<Value>,
}

const LINK_SCHEMES: [&str; 8] = [
    "vless://",
    "vmess://",
    "trojan://",
    "ss://",
    "hysteria://",
    "hysteria2://",
    "hy2://",
    "wireguard://",
];

fn check_external(row: &Value) -> OpResult<Value> {
    let kind = row["kind"].as_str().unwrap_or_default();
    let value = row["value"].as_str().unwrap_or_default();
    match kind {
        "link" if LINK_SCHEMES.iter().any(|s| value.starts_with(s)) => {}
        "link" => return Err(format!("unsupported share link: {value}")),
        "subscription" if value.starts_with("http://") || value.starts_with("https://") => {}
        "subscription" => return Err(format!("subscription must be an http(s) URL: {value}")),
        other => return Err(format!("unknown external link kind: {other}")),
    }
    let expiry = row["expiryTime"].as_i64().unwrap_or(0);
    if expiry < 0 {
        return Err("expiryTime must not be negative".into());
    }
    Ok(json!({
        "kind": kind,
        "value": value,
        "remark": row["remark"].as_str().unwrap_or_default(),
        "enable": row["enable"].as_bool().unwrap_or(true),
        "expiryTime": expiry,
        "namePrefix": row["namePrefix"].as_str().unwrap_or_default(),
    }))
}

pub async fn external_links(
    State(s): State<Shared>,
    Path(email): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = lock(&s);
    let result = parse::<ExternalLinksBody>(&body).and_then(|b| {
        let rows = b
            .external_links
            .iter()
            .map(check_external)
            .collect::<OpResult<Vec<_>>>()?;
        let c = state
            .find_mut(&email)
            .ok_or_else(|| format!("client not found: {email}"))?;
        c.external_links = rows;
        c.updated_at_ms = now_ms();
        Ok(())
    });
    answer_msg(result, "")
}

/// Every client: up = down = 0 and enable = true (facts §4.1).
pub async fn reset_all_traffics(State(s): State<Shared>) -> Response {
    let mut state = lock(&s);
    for c in &mut state.clients {
        c.up_bytes = 0;
        c.down_bytes = 0;
        c.enable = true;
        c.auto_disabled = false;
    }
    answer_msg(Ok(()), "")
}

fn delete_where(state: &mut Sim, pred: impl Fn(&SimClient) -> bool) -> u64 {
    let doomed: Vec<String> = state
        .clients
        .iter()
        .filter(|c| pred(c))
        .map(|c| c.email.clone())
        .collect();
    for email in &doomed {
        let _ = state.remove(email, false);
    }
    doomed.len() as u64
}

pub async fn del_depleted(State(s): State<Shared>) -> Response {
    let mut state = lock(&s);
    let now = now_ms();
    // Over quota counts only when auto-renew is off.
    let deleted = delete_where(&mut state, |c| {
        (c.over_quota() && c.reset_days == 0) || c.expired(now)
    });
    answer(Ok(json!({ "deleted": deleted })))
}

pub async fn del_orphans(State(s): State<Shared>) -> Response {
    let mut state = lock(&s);
    let deleted = delete_where(&mut state, |c| c.inbound_ids.is_empty());
    answer(Ok(json!({ "deleted": deleted })))
}

pub async fn export(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let items: Vec<Value> = state
        .clients
        .iter()
        .map(|c| json!({ "client": records::payload(c, state.version), "inboundIds": c.inbound_ids }))
        .collect();
    answer(Ok(json!(items)))
}

#[derive(Deserialize)]
struct ImportBody {
    data: String,
}

pub async fn import(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<ImportBody>(&body).and_then(|b| {
        let items: Vec<AddBody> = serde_json::from_str(&b.data)
            .map_err(|e| format!("data is not an exported client list: {e}"))?;
        Ok(create_many(&mut state, &items, false))
    });
    answer(result)
}

/// `bulkCreate` / `import`: sequential, with per-email skip reasons.
fn create_many(state: &mut Sim, items: &[AddBody], require_inbound: bool) -> Value {
    let mut created = 0u64;
    let mut skipped = Vec::new();
    for item in items {
        let email = item.client.email.clone().unwrap_or_default();
        if !require_inbound && state.find(&email).is_some() {
            skipped.push(
                json!({ "email": email, "reason": format!("email already in use: {email}") }),
            );
            continue;
        }
        match add_client(state, &item.client, &item.inbound_ids, require_inbound) {
            Ok(()) => created += 1,
            Err(reason) => skipped.push(json!({ "email": email, "reason": reason })),
        }
    }
    counted("created", created, skipped)
}

pub async fn bulk_create(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<Vec<AddBody>>(&body).map(|items| create_many(&mut state, &items, true));
    answer(result)
}

/// Zeroes the counters. From v3.3.1 — and on the legacy per-inbound route — it also
/// re-enables the client, even one disabled by hand (facts §4.7, §5.1).
pub fn reset_one(state: &mut Sim, email: &str) -> OpResult<()> {
    let now = now_ms();
    let re_enable = state.version.v3_3_1() || !state.version.clients_api();
    let c = state
        .find_mut(email)
        .ok_or_else(|| format!("client not found: {email}"))?;
    c.up_bytes = 0;
    c.down_bytes = 0;
    if re_enable {
        c.enable = true;
        c.auto_disabled = false;
    } else {
        Sim::lift_if_recovered(c, now);
    }
    Ok(())
}

pub async fn reset_traffic(State(s): State<Shared>, Path(email): Path<String>) -> Response {
    let mut state = lock(&s);
    answer_msg(reset_one(&mut state, &email), "")
}

#[derive(Deserialize)]
struct TrafficBody {
    #[serde(default)]
    upload: i64,
    #[serde(default)]
    download: i64,
}

pub async fn update_traffic(
    State(s): State<Shared>,
    Path(email): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = lock(&s);
    let result = parse::<TrafficBody>(&body).and_then(|b| {
        let c = state
            .find_mut(&email)
            .ok_or_else(|| format!("client not found: {email}"))?;
        c.up_bytes = b.upload.max(0);
        c.down_bytes = b.download.max(0);
        let email = c.email.clone();
        state.enforce_limits(&email);
        Ok(())
    });
    answer_msg(result, "")
}

/// Days in ms, for bulkAdjust.
pub fn days_ms(days: i64) -> i64 {
    days.saturating_mul(DAY_MS)
}
