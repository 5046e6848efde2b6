//! The client shapes 3x-ui answers with, per version: `ClientRecord` (read shape, §4.2–4.3),
//! `ClientDetail` of `get/{email}` (§4.4), `ClientSlim` rows of `list/paged` (§4.5),
//! `ClientTraffic` (§4.6) and the write-shape `Client` of `export` (§4.8). Typed views rather
//! than `json!` maps: `list` renders every client, and 25,000 maps cost a second of CPU.

use serde::Serialize;
use serde_json::{json, Value};

use super::{
    state::{SimClient, State},
    version::XuiVersion,
};

/// A `client_traffics` row (`HEAD:internal/xray/client_traffic.go`): `allTime` up to v3.0.x,
/// the reset counters and `lastSubFetch` at HEAD only.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficRow<'a> {
    id: i64,
    inbound_id: i64,
    enable: bool,
    email: &'a str,
    uuid: &'a str,
    sub_id: &'a str,
    up: i64,
    down: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    all_time: Option<i64>,
    expiry_time: i64,
    total: i64,
    reset: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    reset_day: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reset_max: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reset_count: Option<i64>,
    last_online: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_sub_fetch: Option<i64>,
}

impl<'a> TrafficRow<'a> {
    pub fn of(c: &'a SimClient, v: XuiVersion) -> Self {
        let head = v.head().then_some(0);
        TrafficRow {
            id: c.traffic_id,
            inbound_id: c.inbound_ids.first().copied().unwrap_or(0),
            enable: c.enable,
            email: &c.email,
            uuid: &c.uuid,
            sub_id: &c.sub_id,
            up: c.up_bytes,
            down: c.down_bytes,
            all_time: (!v.clients_api()).then_some(c.used_bytes()),
            expiry_time: c.expiry_time_ms,
            total: c.total_bytes,
            reset: c.reset_days,
            reset_day: head,
            reset_max: head,
            reset_count: head,
            last_online: c.last_online_ms,
            last_sub_fetch: head,
        }
    }
}

pub fn traffic(c: &SimClient, v: XuiVersion) -> Value {
    serde_json::to_value(TrafficRow::of(c, v)).unwrap_or(Value::Null)
}

/// Keys every record has from v3.5.0 (WireGuard / MTProto), empty for our protocols.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireguardKeys {
    private_key: &'static str,
    public_key: &'static str,
    #[serde(rename = "allowedIPs")]
    allowed_ips: &'static str,
    pre_shared_key: &'static str,
    keep_alive: i64,
    secret: &'static str,
    ad_tag: &'static str,
}

/// HEAD-only client fields (HWID limit, per-client reset cycle).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HeadFields {
    limit_hwid: i64,
    reset_day: i64,
    reset_max: i64,
    traffic_reset: &'static str,
    traffic_reset_day: i64,
}

/// `ClientRecord` (every key always present, §4.3); with `inboundIds` and `traffic` it is a
/// `ClientWithAttachments` row of `/clients/list`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record<'a> {
    id: i64,
    email: &'a str,
    sub_id: &'a str,
    uuid: &'a str,
    password: &'a str,
    auth: &'static str,
    flow: &'a str,
    security: &'a str,
    reverse: Option<()>,
    #[serde(flatten)]
    wireguard: Option<WireguardKeys>,
    limit_ip: i64,
    #[serde(rename = "totalGB")]
    total_gb: i64,
    expiry_time: i64,
    enable: bool,
    tg_id: i64,
    group: &'a str,
    comment: &'a str,
    reset: i64,
    #[serde(flatten)]
    head: Option<HeadFields>,
    created_at: i64,
    updated_at: i64,
    /// `null` for a client attached to nothing (§4.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    inbound_ids: Option<Option<&'a [i64]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    traffic: Option<TrafficRow<'a>>,
}

impl<'a> Record<'a> {
    /// The bare `ClientRecord` (as inside `get/{email}`).
    pub fn of(c: &'a SimClient, v: XuiVersion) -> Self {
        Record {
            id: c.id,
            email: &c.email,
            sub_id: &c.sub_id,
            uuid: &c.uuid,
            password: &c.password,
            auth: "",
            flow: &c.flow,
            security: &c.security,
            reverse: None,
            wireguard: v.v3_5().then_some(WireguardKeys {
                private_key: "",
                public_key: "",
                allowed_ips: "",
                pre_shared_key: "",
                keep_alive: 0,
                secret: "",
                ad_tag: "",
            }),
            limit_ip: c.limit_ip,
            total_gb: c.total_bytes,
            expiry_time: c.expiry_time_ms,
            enable: c.enable,
            tg_id: c.tg_id,
            group: &c.group,
            comment: &c.comment,
            reset: c.reset_days,
            head: v.head().then_some(HeadFields {
                limit_hwid: c.limit_hwid,
                reset_day: 0,
                reset_max: 0,
                traffic_reset: "never",
                traffic_reset_day: 0,
            }),
            created_at: c.created_at_ms,
            updated_at: c.updated_at_ms,
            inbound_ids: None,
            traffic: None,
        }
    }

    /// A row of `/clients/list`: the record plus `inboundIds` and its traffic row.
    pub fn listed(c: &'a SimClient, v: XuiVersion) -> Self {
        Record {
            inbound_ids: Some(non_empty(&c.inbound_ids)),
            traffic: Some(TrafficRow::of(c, v)),
            ..Record::of(c, v)
        }
    }
}

fn non_empty(ids: &[i64]) -> Option<&[i64]> {
    (!ids.is_empty()).then_some(ids)
}

/// `obj` of `GET /clients/get/{email}` (§4.4): `usedTraffic` from v3.3.1, `externalLinks`
/// from v3.4.0.
pub fn detail(state: &State, c: &SimClient) -> Value {
    let v = state.version;
    let mut out = json!({
        "client": Record::of(c, v),
        "inboundIds": non_empty(&c.inbound_ids),
    });
    if v.v3_3_1() {
        out["usedTraffic"] = json!(c.used_bytes());
    }
    if v.v3_4() {
        let links: Vec<Value> = c
            .external_links
            .iter()
            .enumerate()
            .map(|(i, row)| external_link(c, i, row, v))
            .collect();
        out["externalLinks"] = json!(links);
    }
    out
}

/// A stored external link as `ClientExternalLink` (§4.4): HEAD adds enable/expiry/prefix and
/// fetch bookkeeping.
fn external_link(c: &SimClient, index: usize, row: &Value, v: XuiVersion) -> Value {
    let mut out = json!({
        "id": c.id * 1000 + index as i64 + 1,
        "clientId": c.id,
        "kind": row["kind"],
        "value": row["value"],
        "remark": row["remark"],
        "sortIndex": index,
        "createdAt": c.updated_at_ms,
    });
    if v.head() {
        for key in ["enable", "expiryTime", "namePrefix"] {
            out[key] = row[key].clone();
        }
        out["lastFetchAt"] = json!(0);
        out["lastFetchError"] = json!("");
    }
    out
}

/// A `ClientSlim` row of `list/paged` (§4.5): no id, no secrets; `group`, `comment` and
/// `traffic` omitted when empty; HEAD adds `limitHwid`, `resetDay`, `resetMax`.
pub fn row(c: &SimClient, v: XuiVersion) -> Value {
    let mut out = json!({
        "email": c.email,
        "subId": c.sub_id,
        "enable": c.enable,
        "totalGB": c.total_bytes,
        "expiryTime": c.expiry_time_ms,
        "limitIp": c.limit_ip,
        "reset": c.reset_days,
        "inboundIds": non_empty(&c.inbound_ids),
        "traffic": TrafficRow::of(c, v),
        "createdAt": c.created_at_ms,
        "updatedAt": c.updated_at_ms,
    });
    if !c.group.is_empty() {
        out["group"] = json!(c.group);
    }
    if !c.comment.is_empty() {
        out["comment"] = json!(c.comment);
    }
    if v.head() {
        out["limitHwid"] = json!(c.limit_hwid);
        out["resetDay"] = json!(0);
        out["resetMax"] = json!(0);
    }
    out
}

/// The write-shape `Client` of `export` (§4.2, §4.8): `id` is the UUID, timestamps are
/// `created_at`/`updated_at`, empty values omitted; `limitHwid` at HEAD only.
pub fn payload(c: &SimClient, v: XuiVersion) -> Value {
    let mut out = json!({
        "email": c.email,
        "limitIp": c.limit_ip,
        "totalGB": c.total_bytes,
        "expiryTime": c.expiry_time_ms,
        "enable": c.enable,
        "tgId": c.tg_id,
        "subId": c.sub_id,
        "reset": c.reset_days,
        "created_at": c.created_at_ms,
        "updated_at": c.updated_at_ms,
    });
    for (key, value) in [
        ("id", &c.uuid),
        ("password", &c.password),
        ("flow", &c.flow),
        ("security", &c.security),
        ("group", &c.group),
        ("comment", &c.comment),
    ] {
        if !value.is_empty() {
            out[key] = json!(value);
        }
    }
    if v.head() {
        out["limitHwid"] = json!(c.limit_hwid);
    }
    out
}
