//! `/api/node*` and `/api/nodes*`: nodes (connect instantly in the simulator: `connecting` in
//! the answer that created or changed them, `connected` on the next read) and their usage.

use axum::{
    body::Bytes,
    extract::{Path, Query, State as AxState},
    http::{HeaderMap, StatusCode},
};
use serde_json::{json, Value};

use super::{
    common::{
        authenticate, detail, invalid_one, json_object, not_found, ok, Fields, Params, Reply, Sim,
    },
    core::host,
    state::NodeRec,
    usage::check_range,
};

const NODE_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUSIMULATEDMARZBANNODECERT0wCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";

fn node_json(n: &NodeRec) -> Value {
    json!({"name": n.name, "address": n.address, "port": n.port, "api_port": n.api_port,
           "usage_coefficient": n.usage_coefficient, "id": n.id,
           "xray_version": n.xray_version, "status": n.status, "message": n.message})
}

fn node_id(raw: &str) -> Result<i64, axum::response::Response> {
    raw.parse()
        .map_err(|_| invalid_one("node_id", "value is not a valid integer"))
}

pub async fn settings(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    ok(json!({"min_node_version": "v0.2.0", "certificate": NODE_CERTIFICATE}))
}

pub async fn add_node(AxState(sim): AxState<Sim>, headers: HeaderMap, body: Bytes) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj);
    let name = if f.required("name") {
        f.string("name")
    } else {
        None
    };
    let address = if f.required("address") {
        f.string("address")
    } else {
        None
    };
    let port = f.int("port", None).unwrap_or(62050);
    let api_port = f.int("api_port", None).unwrap_or(62051);
    // Checked, but 0.4.9's create_node does not store it: new nodes count traffic at 1.0
    // until modified.
    if f.float("usage_coefficient").is_some_and(|c| c <= 0.0) {
        f.error("usage_coefficient", "ensure this value is greater than 0");
    }
    let add_as_new_host = f.boolean("add_as_new_host").unwrap_or(true);
    f.finish()?;
    caller.require_sudo()?;
    let (name, address) = (name.unwrap_or_default(), address.unwrap_or_default());
    let mut db = sim.db();
    if db.nodes.values().any(|n| n.name == name) {
        return Err(detail(
            StatusCode::CONFLICT,
            format!("Node \"{name}\" already exists"),
        ));
    }
    let id = db.next_node_id;
    db.next_node_id += 1;
    let node = NodeRec {
        id,
        name: name.clone(),
        address: address.clone(),
        port,
        api_port,
        usage_coefficient: 1.0,
        status: "connecting",
        xray_version: None,
        message: None,
        uplink: 0,
        downlink: 0,
    };
    let out = node_json(&node);
    db.nodes.insert(id, node);
    if add_as_new_host {
        let remark = format!("{name} ({{USERNAME}}) [{{PROTOCOL}} - {{TRANSPORT}}]");
        let tags: Vec<String> = db.inbounds.iter().map(|i| i.tag.clone()).collect();
        for tag in tags {
            db.hosts
                .entry(tag)
                .or_default()
                .push(host(&remark, &address));
        }
    }
    ok(out)
}

pub async fn get_node(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id = node_id(&raw)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    db.review_all();
    let node = db.nodes.get(&id).ok_or_else(|| not_found("Node"))?;
    ok(node_json(node))
}

pub async fn modify_node(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
    body: Bytes,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id = node_id(&raw)?;
    let obj = json_object(&body)?;
    let mut f = Fields::new(&obj);
    let name = f.string("name");
    let address = f.string("address");
    let port = f.int("port", None);
    let api_port = f.int("api_port", None);
    let coefficient = f.float("usage_coefficient");
    let status = f.choice("status", &["connected", "connecting", "error", "disabled"]);
    f.finish()?;
    caller.require_sudo()?;
    let mut db = sim.db();
    let node = db.nodes.get_mut(&id).ok_or_else(|| not_found("Node"))?;
    if let Some(v) = name {
        node.name = v;
    }
    if let Some(v) = address {
        node.address = v;
    }
    node.port = port.unwrap_or(node.port);
    node.api_port = api_port.unwrap_or(node.api_port);
    // `if modify.usage_coefficient:` — 0 leaves it.
    if let Some(c) = coefficient.filter(|c| *c != 0.0) {
        node.usage_coefficient = c;
    }
    if status.as_deref() == Some("disabled") {
        node.status = "disabled";
        node.xray_version = None;
    } else {
        node.status = "connecting";
    }
    ok(node_json(node))
}

pub async fn remove_node(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id = node_id(&raw)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    db.nodes.remove(&id).ok_or_else(|| not_found("Node"))?;
    ok(json!({}))
}

pub async fn get_nodes(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    let mut db = sim.db();
    db.review_all();
    ok(Value::Array(db.nodes.values().map(node_json).collect()))
}

pub async fn reconnect(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let id = node_id(&raw)?;
    caller.require_sudo()?;
    let mut db = sim.db();
    let node = db.nodes.get_mut(&id).ok_or_else(|| not_found("Node"))?;
    node.status = "connected";
    node.xray_version = Some(super::XRAY_VERSION.to_owned());
    node.message = None;
    ok(json!({}))
}

/// `{usages: [{node_id, node_name, uplink, downlink}]}`: the master, then every node.
pub async fn usage(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    authenticate(&sim, &headers)?.require_sudo()?;
    let version = sim.db().version;
    check_range(version, &Params(params))?;
    let db = sim.db();
    let (node_up, node_down) = db
        .nodes
        .values()
        .fold((0, 0), |(u, d), n| (u + n.uplink, d + n.downlink));
    let mut usages = vec![json!({"node_id": null, "node_name": "Master",
        "uplink": db.incoming - node_up, "downlink": db.outgoing - node_down})];
    for n in db.nodes.values() {
        usages.push(
            json!({"node_id": n.id, "node_name": n.name, "uplink": n.uplink,
                           "downlink": n.downlink}),
        );
    }
    ok(json!({ "usages": usages }))
}
