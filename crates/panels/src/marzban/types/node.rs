//! Nodes (remote Xray servers) and their usage.

use serde::{Deserialize, Serialize};

use super::Extra;

/// A node's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub i64);

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `NodeStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeStatus {
    Connected,
    Connecting,
    Error,
    Disabled,
}

/// `NodeResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    pub name: String,
    pub address: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default = "default_api_port")]
    pub api_port: u16,
    /// Multiplier applied to traffic through this node.
    #[serde(default = "one")]
    pub usage_coefficient: f64,
    #[serde(default)]
    pub xray_version: Option<String>,
    pub status: NodeStatus,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

fn default_port() -> u16 {
    62050
}

fn default_api_port() -> u16 {
    62051
}

fn one() -> f64 {
    1.0
}

/// `NodeCreate`. Unset fields take the server's defaults (ports 62050/62051, coefficient 1,
/// `add_as_new_host` true: a host with the node's address is added to every inbound).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NodeCreate {
    pub name: String,
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_coefficient: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add_as_new_host: Option<bool>,
}

/// `NodeModify`: `None` leaves a field; `status: Disabled` disconnects, anything else reconnects.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NodeModify {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_coefficient: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<NodeStatus>,
}

/// `NodeSettings`: what a node needs to trust the panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeSettings {
    #[serde(default)]
    pub min_node_version: String,
    /// PEM.
    pub certificate: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `NodeUsageResponse` (`node_id: None` = the master).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeUsage {
    #[serde(default)]
    pub node_id: Option<NodeId>,
    pub node_name: String,
    #[serde(rename = "uplink")]
    pub uplink_bytes: u64,
    #[serde(rename = "downlink")]
    pub downlink_bytes: u64,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `NodesUsageResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodesUsage {
    pub usages: Vec<NodeUsage>,
    #[serde(flatten)]
    pub extra: Extra,
}
