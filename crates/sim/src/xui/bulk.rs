//! Bulk and group routes: sequential, partial results with per-email reasons.

use axum::{
    body::Bytes,
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    answer,
    clients::{attach, days_ms, reset_one},
    lock, parse,
    state::{OpResult, State as Sim},
    Shared,
};
use crate::seed::now_ms;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Emails {
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    keep_traffic: bool,
    #[serde(default)]
    inbound_ids: Vec<i64>,
    #[serde(default)]
    group: String,
}

fn skip(email: &str, reason: &str) -> Value {
    json!({ "email": email, "reason": reason })
}

/// `{<key>: n, skipped: [...]}` with `skipped` omitted when empty (facts §4.7, omitempty).
pub fn counted(key: &str, n: u64, skipped: Vec<Value>) -> Value {
    let mut out = json!({ key: n });
    if !skipped.is_empty() {
        out["skipped"] = json!(skipped);
    }
    out
}

/// A Go `[]string` that was never appended to marshals as `null` (facts §4.1, §7.8).
fn list_or_null(items: Vec<String>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        json!(items)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Adjust {
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    add_days: i64,
    #[serde(default)]
    add_bytes: i64,
    #[serde(default)]
    flow: Option<String>,
}

/// Unlimited expiry/quota are never made limited: those fields are skipped and reported;
/// a client the traffic loop disabled is re-enabled once it is no longer depleted.
fn adjust(state: &mut Sim, body: &Adjust) -> Value {
    let now = now_ms();
    let mut adjusted = 0u64;
    let mut skipped = Vec::new();
    for email in &body.emails {
        let vless = state
            .find(email)
            .map(|c| state.protocols_of(c).iter().any(|p| p == "vless"));
        let Some(c) = state.find_mut(email) else {
            skipped.push(skip(email, "client not found"));
            continue;
        };
        let mut changed = false;
        if body.add_days != 0 {
            match c.expiry_time_ms {
                0 => skipped.push(skip(email, "unlimited expiry")),
                // Not started yet: the delay itself gets longer.
                t if t < 0 => {
                    c.expiry_time_ms = (t - days_ms(body.add_days)).min(-1);
                    changed = true;
                }
                t => {
                    c.expiry_time_ms = (t + days_ms(body.add_days)).max(1);
                    changed = true;
                }
            }
        }
        if body.add_bytes != 0 {
            if c.total_bytes == 0 {
                skipped.push(skip(email, "unlimited traffic"));
            } else {
                c.total_bytes = (c.total_bytes + body.add_bytes).max(1);
                changed = true;
            }
        }
        match body.flow.as_deref() {
            None | Some("") => {}
            Some("none") => {
                c.flow.clear();
                changed = true;
            }
            Some(flow) if vless == Some(true) => {
                c.flow = flow.to_owned();
                changed = true;
            }
            Some(_) => skipped.push(skip(email, "flow needs a VLESS inbound")),
        }
        if changed {
            Sim::lift_if_recovered(c, now);
            c.updated_at_ms = now;
            adjusted += 1;
        }
    }
    counted("adjusted", adjusted, skipped)
}

pub async fn bulk_adjust(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    answer(parse::<Adjust>(&body).map(|b| adjust(&mut state, &b)))
}

fn set_enable(state: &mut Sim, emails: &[String], enable: bool) -> Value {
    let mut changed = 0u64;
    let mut skipped = Vec::new();
    for email in emails {
        match state.find_mut(email) {
            None => skipped.push(skip(email, "client not found")),
            Some(c) if c.enable == enable => skipped.push(skip(
                email,
                if enable {
                    "already enabled"
                } else {
                    "already disabled"
                },
            )),
            Some(c) => {
                c.enable = enable;
                c.auto_disabled = false;
                c.updated_at_ms = now_ms();
                changed += 1;
            }
        }
    }
    counted("changed", changed, skipped)
}

pub async fn bulk_enable(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    answer(parse::<Emails>(&body).map(|b| set_enable(&mut state, &b.emails, true)))
}

pub async fn bulk_disable(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    answer(parse::<Emails>(&body).map(|b| set_enable(&mut state, &b.emails, false)))
}

pub async fn bulk_del(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    answer(parse::<Emails>(&body).map(|b| {
        let mut deleted = 0u64;
        let mut skipped = Vec::new();
        for email in &b.emails {
            match state.remove(email, b.keep_traffic) {
                Ok(_) => deleted += 1,
                Err(_) => skipped.push(skip(email, "client not found")),
            }
        }
        counted("deleted", deleted, skipped)
    }))
}

pub async fn bulk_attach(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<Emails>(&body).and_then(|b| {
        if b.inbound_ids.is_empty() {
            return Err("inboundIds is required".to_owned());
        }
        state.check_inbounds(&b.inbound_ids)?;
        let (mut attached, mut skipped, mut errors) = (vec![], vec![], vec![]);
        for email in &b.emails {
            let Some(c) = state.find(email) else {
                errors.push(format!("{email}: client not found"));
                continue;
            };
            let (present, missing): (Vec<i64>, Vec<i64>) = b
                .inbound_ids
                .iter()
                .partition(|id| c.inbound_ids.contains(id));
            if !present.is_empty() {
                skipped.push(email.clone());
            }
            if !missing.is_empty() {
                match attach(&mut state, email, &missing) {
                    Ok(()) => attached.push(email.clone()),
                    Err(e) => errors.push(format!("{email}: {e}")),
                }
            }
        }
        Ok(json!({ "attached": list_or_null(attached), "skipped": list_or_null(skipped), "errors": list_or_null(errors) }))
    });
    answer(result)
}

pub async fn bulk_detach(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<Emails>(&body).map(|b| {
        let (mut detached, mut skipped, mut errors) = (vec![], vec![], vec![]);
        for email in &b.emails {
            let Some(c) = state.find_mut(email) else {
                errors.push(format!("{email}: client not found"));
                continue;
            };
            let before = c.inbound_ids.len();
            c.inbound_ids.retain(|id| !b.inbound_ids.contains(id));
            if c.inbound_ids.len() < before {
                detached.push(email.clone());
            } else {
                skipped.push(email.clone());
            }
        }
        json!({ "detached": list_or_null(detached), "skipped": list_or_null(skipped), "errors": list_or_null(errors) })
    });
    answer(result)
}

pub async fn bulk_reset_traffic(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    answer(parse::<Emails>(&body).map(|b| {
        let affected = b
            .emails
            .iter()
            .filter(|e| reset_one(&mut state, e).is_ok())
            .count();
        json!({ "affected": affected })
    }))
}

pub async fn groups(State(s): State<Shared>) -> Response {
    let state = lock(&s);
    let rows: Vec<Value> = state
        .group_counts()
        .into_iter()
        .map(|(name, n)| {
            // GroupSummary: + trafficUsed (v3.3.0), + up/down (v3.3.1) (facts §4.10).
            let used: i64 = state
                .clients
                .iter()
                .filter(|c| c.group == name)
                .map(|c| c.used_bytes())
                .sum();
            let mut row = json!({ "name": name, "clientCount": n });
            if state.version.v3_3_1() {
                row["trafficUsed"] = json!(used);
                row["up"] = json!(state
                    .clients
                    .iter()
                    .filter(|c| c.group == name)
                    .map(|c| c.up_bytes)
                    .sum::<i64>());
                row["down"] = json!(state
                    .clients
                    .iter()
                    .filter(|c| c.group == name)
                    .map(|c| c.down_bytes)
                    .sum::<i64>());
            }
            row
        })
        .collect();
    answer(Ok(json!(rows)))
}

pub async fn group_emails(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    let state = lock(&s);
    let emails: Vec<&str> = state
        .clients
        .iter()
        .filter(|c| c.group == name)
        .map(|c| c.email.as_str())
        .collect();
    answer(Ok(json!(emails)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    old_name: String,
    #[serde(default)]
    new_name: String,
}

fn required_name(name: &str) -> OpResult<String> {
    let name = name.trim();
    if name.is_empty() {
        Err("group name is required".into())
    } else {
        Ok(name.to_owned())
    }
}

pub async fn groups_create(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<GroupBody>(&body).and_then(|b| {
        let name = required_name(&b.name)?;
        if state.group_exists(&name) {
            return Err(format!("group already exists: {name}"));
        }
        state.groups.insert(name.clone());
        Ok(json!({ "name": name }))
    });
    answer(result)
}

fn relabel(state: &mut Sim, from: &str, to: &str) -> u64 {
    let mut n = 0;
    for c in state.clients.iter_mut().filter(|c| c.group == from) {
        c.group = to.to_owned();
        n += 1;
    }
    n
}

pub async fn groups_rename(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<GroupBody>(&body).and_then(|b| {
        let old = required_name(&b.old_name)?;
        let new = required_name(&b.new_name)?;
        if !state.group_exists(&old) {
            return Err(format!("group not found: {old}"));
        }
        if old != new && state.group_exists(&new) {
            return Err(format!("group already exists: {new}"));
        }
        state.groups.remove(&old);
        state.groups.insert(new.clone());
        Ok(json!({ "affected": relabel(&mut state, &old, &new) }))
    });
    answer(result)
}

pub async fn groups_delete(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<GroupBody>(&body).and_then(|b| {
        let name = required_name(&b.name)?;
        if !state.group_exists(&name) {
            return Err(format!("group not found: {name}"));
        }
        state.groups.remove(&name);
        Ok(json!({ "affected": relabel(&mut state, &name, "") }))
    });
    answer(result)
}

pub async fn groups_bulk_add(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    let result = parse::<Emails>(&body).and_then(|b| {
        let group = required_name(&b.group)?;
        state.groups.insert(group.clone());
        let mut affected = 0u64;
        for email in &b.emails {
            if let Some(c) = state.find_mut(email) {
                c.group = group.clone();
                affected += 1;
            }
        }
        Ok(json!({ "affected": affected }))
    });
    answer(result)
}

pub async fn groups_bulk_remove(State(s): State<Shared>, body: Bytes) -> Response {
    let mut state = lock(&s);
    answer(parse::<Emails>(&body).map(|b| {
        let mut affected = 0u64;
        for email in &b.emails {
            if let Some(c) = state.find_mut(email).filter(|c| !c.group.is_empty()) {
                c.group.clear();
                affected += 1;
            }
        }
        json!({ "affected": affected })
    }))
}
