//! Node routes: `/api/node*`, `/api/nodes*` (sudo only).

use reqwest::Method;

use super::{
    types::{Node, NodeCreate, NodeId, NodeModify, NodeSettings, NodesUsage, UsageRange},
    MarzbanClient,
};
use crate::PanelError;

impl MarzbanClient {
    /// `GET /api/node/settings`: the certificate nodes must trust.
    pub async fn get_node_settings(&self) -> Result<NodeSettings, PanelError> {
        self.call_json(Method::GET, "api/node/settings", |r| r)
            .await
    }

    /// `POST /api/node`.
    pub async fn add_node(&self, node: &NodeCreate) -> Result<Node, PanelError> {
        self.call_json(Method::POST, "api/node", |r| r.json(node))
            .await
    }

    /// `GET /api/node/{node_id}`.
    pub async fn get_node(&self, id: NodeId) -> Result<Node, PanelError> {
        self.call_json(Method::GET, &format!("api/node/{id}"), |r| r)
            .await
    }

    /// `PUT /api/node/{node_id}`.
    pub async fn modify_node(&self, id: NodeId, change: &NodeModify) -> Result<Node, PanelError> {
        self.call_json(Method::PUT, &format!("api/node/{id}"), |r| r.json(change))
            .await
    }

    /// `DELETE /api/node/{node_id}`.
    pub async fn remove_node(&self, id: NodeId) -> Result<(), PanelError> {
        self.call(Method::DELETE, &format!("api/node/{id}"), |r| r)
            .await
            .map(drop)
    }

    /// `GET /api/nodes`.
    pub async fn get_nodes(&self) -> Result<Vec<Node>, PanelError> {
        self.call_json(Method::GET, "api/nodes", |r| r).await
    }

    /// `POST /api/node/{node_id}/reconnect`.
    pub async fn reconnect_node(&self, id: NodeId) -> Result<(), PanelError> {
        self.call(Method::POST, &format!("api/node/{id}/reconnect"), |r| r)
            .await
            .map(drop)
    }

    /// `GET /api/nodes/usage?start&end`: up/down traffic per node (the master included).
    pub async fn get_nodes_usage(&self, range: &UsageRange) -> Result<NodesUsage, PanelError> {
        let pairs = range.pairs();
        self.call_json(Method::GET, "api/nodes/usage", |r| r.query(&pairs))
            .await
    }
}
