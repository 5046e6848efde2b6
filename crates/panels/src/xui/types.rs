//! Wire types of `/panel/api/clients/*` (v3.1+), field for field as 3x-ui sends them.
//! Units: `totalGB` is BYTES despite its name, `expiryTime`/`createdAt`/`updatedAt` are epoch ms.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::results::*;
use super::wire::{
    null_as_empty, ClientRowId, Expiry, InboundId, Protocol, SortKey, SortOrder, StatusFilter,
};

/// Up/down counters attached to a client row (`traffic` in `list`, `list/paged`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficCounters {
    #[serde(rename = "up", default)]
    pub up_bytes: i64,
    #[serde(rename = "down", default)]
    pub down_bytes: i64,
    #[serde(default = "yes")]
    pub enable: bool,
}

fn yes() -> bool {
    true
}

/// `obj` of `GET /clients/get/{email}` (facts §4.4): the record and its attachments;
/// `usedTraffic` from v3.3.1, `externalLinks` from v3.4.0.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientDetail {
    pub client: ClientRecord,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub inbound_ids: Vec<InboundId>,
    /// up + down in bytes.
    #[serde(rename = "usedTraffic", default)]
    pub used_traffic_bytes: Option<i64>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub external_links: Vec<ExternalLink>,
}

impl ClientDetail {
    /// The record with its attachments filled in (its traffic counters are not part of
    /// this answer: see `traffic/{email}`).
    pub fn into_record(self) -> ClientRecord {
        ClientRecord {
            inbound_ids: self.inbound_ids,
            external_links: self.external_links,
            ..self.client
        }
    }
}

/// One client as `list` and `get/:email` return it (a `ClientRecord` plus its attachments).
/// Older v3.x builds send fewer fields, so everything but `email` has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ClientRowId>,
    pub email: String,
    #[serde(default)]
    pub sub_id: String,
    /// VLESS/VMess credential.
    #[serde(default)]
    pub uuid: String,
    /// Trojan/Shadowsocks credential.
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub auth: String,
    #[serde(default)]
    pub flow: String,
    #[serde(default)]
    pub security: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub tg_id: i64,
    /// Quota in BYTES (the panel calls it `totalGB`); 0 = unlimited.
    #[serde(rename = "totalGB", default)]
    pub total_bytes: i64,
    /// Epoch ms; 0 = never; negative = duration starting at first use. See [`Expiry`].
    #[serde(rename = "expiryTime", default)]
    pub expiry_time_ms: i64,
    #[serde(default)]
    pub enable: bool,
    /// Max concurrent IPs; 0 = unlimited.
    #[serde(default)]
    pub limit_ip: i64,
    #[serde(default)]
    pub limit_hwid: i64,
    /// Auto-renew period in days; 0 = off.
    #[serde(rename = "reset", default)]
    pub reset_days: i64,
    #[serde(default)]
    pub reset_day: i64,
    #[serde(default)]
    pub reset_max: i64,
    #[serde(default)]
    pub reverse: Option<Value>,
    /// `null` for a client attached to nothing (facts §4.3).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub inbound_ids: Vec<InboundId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic: Option<TrafficCounters>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_links: Vec<ExternalLink>,
    #[serde(rename = "createdAt", default, skip_serializing_if = "Option::is_none")]
    pub created_at_ms: Option<i64>,
    #[serde(rename = "updatedAt", default, skip_serializing_if = "Option::is_none")]
    pub updated_at_ms: Option<i64>,
    /// Fields this client does not model (adTag, wireguard keys, trafficReset, …), kept so an
    /// update built from a record sends them back unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ClientRecord {
    pub fn expiry(&self) -> Expiry {
        Expiry::from_wire(self.expiry_time_ms)
    }

    pub fn used_bytes(&self) -> i64 {
        self.traffic
            .as_ref()
            .map_or(0, |t| t.up_bytes + t.down_bytes)
    }
}

/// The client body of `add`, `update/:email`, `bulkCreate`, `export`/`import`. Unset fields
/// are omitted; the server generates `id`/`password`/`subId` when they are missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientPayload {
    pub email: String,
    /// VLESS/VMess UUID (the wire name is `id`).
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tg_id: Option<i64>,
    /// Quota in BYTES (`totalGB` on the wire); 0 = unlimited.
    #[serde(rename = "totalGB", default, skip_serializing_if = "Option::is_none")]
    pub total_bytes: Option<i64>,
    /// Epoch ms; 0 = never; negative = start after first use.
    #[serde(
        rename = "expiryTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiry_time_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_ip: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_hwid: Option<i64>,
    #[serde(rename = "reset", default, skip_serializing_if = "Option::is_none")]
    pub reset_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ClientPayload {
    pub fn new(email: impl Into<String>) -> Self {
        ClientPayload {
            email: email.into(),
            ..ClientPayload::default()
        }
    }

    /// The full write-shape client of a read-shape record, for `update`, which replaces the
    /// whole client (facts §4.2, §4.7): every field the record has goes back, the ones this
    /// type does not model included; `allowedIPs` turns from a comma-joined string into an
    /// array. Start from this and change what you mean to change.
    pub fn replacing(r: &ClientRecord) -> Self {
        let mut payload = ClientPayload::from_record(r);
        let mut extra = r.extra.clone();
        if let Some(Value::String(joined)) = extra.remove("allowedIPs") {
            let ips: Vec<Value> = joined
                .split(',')
                .map(str::trim)
                .filter(|ip| !ip.is_empty())
                .map(Value::from)
                .collect();
            if !ips.is_empty() {
                extra.insert("allowedIPs".into(), Value::Array(ips));
            }
        }
        for (key, value) in [
            (
                "auth",
                (!r.auth.is_empty()).then(|| Value::from(r.auth.clone())),
            ),
            (
                "resetDay",
                (r.reset_day != 0).then_some(Value::from(r.reset_day)),
            ),
            (
                "resetMax",
                (r.reset_max != 0).then_some(Value::from(r.reset_max)),
            ),
            ("reverse", r.reverse.clone().filter(|v| !v.is_null())),
        ] {
            if let Some(value) = value {
                extra.insert(key.into(), value);
            }
        }
        payload.extra = extra;
        payload
    }

    /// Sets every field `changes` sets (the others keep their value here).
    pub fn overlay(&mut self, changes: &ClientPayload) {
        fn put<T: Clone>(slot: &mut Option<T>, new: &Option<T>) {
            if new.is_some() {
                slot.clone_from(new);
            }
        }
        if !changes.email.is_empty() {
            self.email.clone_from(&changes.email);
        }
        put(&mut self.uuid, &changes.uuid);
        put(&mut self.password, &changes.password);
        put(&mut self.flow, &changes.flow);
        put(&mut self.security, &changes.security);
        put(&mut self.sub_id, &changes.sub_id);
        put(&mut self.comment, &changes.comment);
        put(&mut self.group, &changes.group);
        put(&mut self.tg_id, &changes.tg_id);
        put(&mut self.total_bytes, &changes.total_bytes);
        put(&mut self.expiry_time_ms, &changes.expiry_time_ms);
        put(&mut self.limit_ip, &changes.limit_ip);
        put(&mut self.limit_hwid, &changes.limit_hwid);
        put(&mut self.reset_days, &changes.reset_days);
        put(&mut self.enable, &changes.enable);
        self.extra
            .extend(changes.extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    }

    /// Whether this payload carries the fields whose absence `update` would read as a
    /// change: an omitted `enable` disables, `totalGB`/`expiryTime` become unlimited/never.
    pub fn is_whole(&self) -> bool {
        self.enable.is_some() && self.total_bytes.is_some() && self.expiry_time_ms.is_some()
    }

    /// The modelled fields of a record (see [`replacing`](Self::replacing) for `update`).
    pub fn from_record(r: &ClientRecord) -> Self {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        ClientPayload {
            email: r.email.clone(),
            uuid: opt(&r.uuid),
            password: opt(&r.password),
            flow: opt(&r.flow),
            security: opt(&r.security),
            sub_id: opt(&r.sub_id),
            comment: Some(r.comment.clone()),
            group: Some(r.group.clone()),
            tg_id: Some(r.tg_id),
            total_bytes: Some(r.total_bytes),
            expiry_time_ms: Some(r.expiry_time_ms),
            limit_ip: Some(r.limit_ip),
            limit_hwid: Some(r.limit_hwid),
            reset_days: Some(r.reset_days),
            enable: Some(r.enable),
            extra: Map::new(),
        }
    }
}

/// `{client, inboundIds}`: the body of `add`, one item of `bulkCreate`, `export`, `import`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientWithInbounds {
    pub client: ClientPayload,
    #[serde(default)]
    pub inbound_ids: Vec<InboundId>,
}

/// Query of `list/paged`. Comma-list filters are OR-ed inside a field and AND-ed across.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PagedQuery {
    /// 1-based; the server defaults to 1.
    pub page: Option<u32>,
    /// Server default 25, capped at 200.
    pub page_size: Option<u32>,
    pub search: Option<String>,
    pub filter: Vec<StatusFilter>,
    pub protocol: Vec<Protocol>,
    pub inbound: Vec<InboundId>,
    pub group: Vec<String>,
    pub sort: Option<SortKey>,
    pub order: Option<SortOrder>,
    pub expiry_from_ms: Option<i64>,
    pub expiry_to_ms: Option<i64>,
    pub usage_from_bytes: Option<i64>,
    pub usage_to_bytes: Option<i64>,
}

impl PagedQuery {
    /// The query string pairs, with the panel's parameter names.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> Option<String> {
            (!items.is_empty()).then(|| items.iter().map(f).collect::<Vec<_>>().join(","))
        }
        let pairs: [(&'static str, Option<String>); 13] = [
            ("page", self.page.map(|v| v.to_string())),
            ("pageSize", self.page_size.map(|v| v.to_string())),
            ("search", self.search.clone().filter(|s| !s.is_empty())),
            ("filter", join(&self.filter, |f| f.as_str().to_owned())),
            ("protocol", join(&self.protocol, |p| p.as_str().to_owned())),
            ("inbound", join(&self.inbound, |i| i.0.to_string())),
            ("group", join(&self.group, Clone::clone)),
            ("sort", self.sort.map(|s| s.as_str().to_owned())),
            ("order", self.order.map(|o| o.as_str().to_owned())),
            ("expiryFrom", self.expiry_from_ms.map(|v| v.to_string())),
            ("expiryTo", self.expiry_to_ms.map(|v| v.to_string())),
            ("usageFrom", self.usage_from_bytes.map(|v| v.to_string())),
            ("usageTo", self.usage_to_bytes.map(|v| v.to_string())),
        ];
        pairs
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }
}

/// A slim row of `list/paged` (no uuid/password/flow/tgId).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientRow {
    pub email: String,
    #[serde(default)]
    pub sub_id: String,
    #[serde(default)]
    pub enable: bool,
    #[serde(rename = "totalGB", default)]
    pub total_bytes: i64,
    #[serde(rename = "expiryTime", default)]
    pub expiry_time_ms: i64,
    #[serde(default)]
    pub limit_ip: i64,
    #[serde(default)]
    pub limit_hwid: i64,
    #[serde(rename = "reset", default)]
    pub reset_days: i64,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub inbound_ids: Vec<InboundId>,
    /// The whole traffic row; absent when the client has none (facts §4.5).
    #[serde(default)]
    pub traffic: Option<TrafficCounters>,
    #[serde(rename = "createdAt", default)]
    pub created_at_ms: Option<i64>,
    #[serde(rename = "updatedAt", default)]
    pub updated_at_ms: Option<i64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Dashboard counters of `list/paged`, computed over ALL clients; email lists stop at 200.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageSummary {
    #[serde(default)]
    pub total: u64,
    #[serde(default)]
    pub active: u64,
    #[serde(default)]
    pub online_count: Option<u64>,
    #[serde(default)]
    pub depleted_count: Option<u64>,
    #[serde(default)]
    pub expiring_count: Option<u64>,
    #[serde(default)]
    pub deactive_count: Option<u64>,
    #[serde(default)]
    pub online: Vec<String>,
    #[serde(default)]
    pub depleted: Vec<String>,
    #[serde(default)]
    pub expiring: Vec<String>,
    #[serde(default)]
    pub deactive: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientPage {
    pub items: Vec<ClientRow>,
    /// All clients on the panel.
    pub total: u64,
    /// Clients matching the filters (before paging).
    pub filtered: u64,
    pub page: u32,
    pub page_size: u32,
    #[serde(default)]
    pub summary: PageSummary,
    /// Group names, sorted case-insensitively (v3.2.0+; absent before, facts §4.5).
    #[serde(default)]
    pub groups: Option<Vec<String>>,
}

/// `{kind, value, remark, enable, expiryTime, namePrefix}` rows of `externalLinks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalLink {
    pub kind: ExternalLinkKind,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    /// Epoch ms; 0 = never. Negative values are rejected by the panel.
    #[serde(
        rename = "expiryTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiry_time_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_prefix: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExternalLinkKind {
    Link,
    Subscription,
}

/// One source IP of `clientIpsByGuid` (`timestamp` in unix SECONDS, as the reference shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpSeen {
    pub ip: String,
    #[serde(rename = "timestamp")]
    pub timestamp_secs: i64,
}

/// `onlinesByGuid` / `activeInbounds`: panel GUID → emails or inbound tags.
pub type ByGuid = BTreeMap<String, Vec<String>>;
/// `clientIpsByGuid`: panel GUID → email → IPs.
pub type IpsByGuid = BTreeMap<String, BTreeMap<String, Vec<IpSeen>>>;
/// `lastOnline`: email → last-seen timestamp as the panel stores it (epoch ms on the
/// panels we know; the reference page's example shows seconds).
pub type LastOnline = BTreeMap<String, i64>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paged_query_uses_the_panel_parameter_names() {
        let q = PagedQuery {
            page: Some(2),
            page_size: Some(50),
            search: Some("ali".into()),
            filter: vec![StatusFilter::Online, StatusFilter::Expiring],
            protocol: vec![Protocol::Vless, Protocol::Trojan],
            inbound: vec![InboundId(3), InboundId(5)],
            group: vec!["a".into(), "b".into()],
            sort: Some(SortKey::Remaining),
            order: Some(SortOrder::Descend),
            expiry_from_ms: Some(1),
            expiry_to_ms: Some(2),
            usage_from_bytes: Some(3),
            usage_to_bytes: Some(4),
        };
        let owned = q.to_pairs();
        let pairs: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("page", "2"),
                ("pageSize", "50"),
                ("search", "ali"),
                ("filter", "online,expiring"),
                ("protocol", "vless,trojan"),
                ("inbound", "3,5"),
                ("group", "a,b"),
                ("sort", "remaining"),
                ("order", "descend"),
                ("expiryFrom", "1"),
                ("expiryTo", "2"),
                ("usageFrom", "3"),
                ("usageTo", "4"),
            ]
        );
        assert!(PagedQuery::default().to_pairs().is_empty());
    }

    #[test]
    fn payload_skips_unset_fields_and_renames_units() {
        let mut p = ClientPayload::new("a@b");
        p.total_bytes = Some(5);
        p.uuid = Some("u".into());
        let v = serde_json::to_value(&p).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"email": "a@b", "id": "u", "totalGB": 5})
        );
    }
}
