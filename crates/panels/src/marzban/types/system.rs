//! System stats, inbounds, hosts and the Xray core.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Extra, ProxyType};

/// `SystemStats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemStats {
    pub version: String,
    #[serde(rename = "mem_total")]
    pub mem_total_bytes: u64,
    #[serde(rename = "mem_used")]
    pub mem_used_bytes: u64,
    pub cpu_cores: u32,
    /// Percent.
    #[serde(rename = "cpu_usage")]
    pub cpu_usage_percent: f64,
    pub total_user: u64,
    pub users_active: u64,
    #[serde(rename = "incoming_bandwidth")]
    pub incoming_bandwidth_bytes: u64,
    #[serde(rename = "outgoing_bandwidth")]
    pub outgoing_bandwidth_bytes: u64,
    #[serde(rename = "incoming_bandwidth_speed")]
    pub incoming_bandwidth_speed_bytes_per_sec: u64,
    #[serde(rename = "outgoing_bandwidth_speed")]
    pub outgoing_bandwidth_speed_bytes_per_sec: u64,
    /// 0.8.x adds `online_users`, `users_on_hold`, `users_disabled`, `users_expired`,
    /// `users_limited`.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An inbound's port: a number, or a range/list string such as `"2000-2100"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum InboundPort {
    Number(u16),
    Text(String),
}

/// `ProxyInbound`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyInbound {
    pub tag: String,
    pub protocol: ProxyType,
    /// `tcp`, `ws`, `grpc`, …
    pub network: String,
    /// `none`, `tls`, `reality`.
    pub tls: String,
    pub port: InboundPort,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /api/inbounds`: inbounds per protocol.
pub type Inbounds = BTreeMap<ProxyType, Vec<ProxyInbound>>;

/// `ProxyHostSecurity`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyHostSecurity {
    #[default]
    InboundDefault,
    None,
    Tls,
}

/// `ProxyHost`: how links for one inbound are addressed. `remark` and `address` may contain
/// `{USERNAME}`, `{PROTOCOL}`, `{TRANSPORT}`, `{SERVER_IP}`…
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProxyHost {
    pub remark: String,
    pub address: String,
    /// `None` = the inbound's port.
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub sni: Option<String>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub security: ProxyHostSecurity,
    /// `""`, `h2`, `http/1.1`, `h2,http/1.1` (newer servers accept more).
    #[serde(default)]
    pub alpn: String,
    /// `""`, `chrome`, `firefox`, … (uTLS fingerprint).
    #[serde(default)]
    pub fingerprint: String,
    #[serde(default)]
    pub allowinsecure: Option<bool>,
    #[serde(default)]
    pub is_disabled: Option<bool>,
    /// 0.8.x adds `mux_enable`, `fragment_setting`, `noise_setting`, `random_user_agent`,
    /// `use_sni_as_host`; they are sent back unchanged on modify.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET|PUT /api/hosts`: hosts per inbound tag.
pub type Hosts = BTreeMap<String, Vec<ProxyHost>>;

/// `CoreStats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoreStats {
    /// Xray's version.
    pub version: String,
    pub started: bool,
    pub logs_websocket: String,
    #[serde(flatten)]
    pub extra: Extra,
}
