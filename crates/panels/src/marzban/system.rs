//! System, inbounds, hosts and core routes.

use reqwest::Method;

use super::{
    types::{CoreStats, Hosts, Inbounds, SystemStats},
    MarzbanClient,
};
use crate::PanelError;

impl MarzbanClient {
    /// `GET /api/system`.
    pub async fn get_system_stats(&self) -> Result<SystemStats, PanelError> {
        self.call_json(Method::GET, "api/system", |r| r).await
    }

    /// `GET /api/inbounds`: inbounds per protocol.
    pub async fn get_inbounds(&self) -> Result<Inbounds, PanelError> {
        self.call_json(Method::GET, "api/inbounds", |r| r).await
    }

    /// `GET /api/hosts` (sudo only).
    pub async fn get_hosts(&self) -> Result<Hosts, PanelError> {
        self.call_json(Method::GET, "api/hosts", |r| r).await
    }

    /// `PUT /api/hosts`: replaces the hosts of the tags given; answers all hosts.
    pub async fn modify_hosts(&self, hosts: &Hosts) -> Result<Hosts, PanelError> {
        self.call_json(Method::PUT, "api/hosts", |r| r.json(hosts))
            .await
    }

    /// `GET /api/core`: the Xray core's version and state.
    pub async fn get_core_stats(&self) -> Result<CoreStats, PanelError> {
        self.call_json(Method::GET, "api/core", |r| r).await
    }

    /// `POST /api/core/restart` (sudo only).
    pub async fn restart_core(&self) -> Result<(), PanelError> {
        self.call(Method::POST, "api/core/restart", |r| r)
            .await
            .map(drop)
    }

    /// `GET /api/core/config`: the Xray JSON config (sudo only).
    pub async fn get_core_config(&self) -> Result<serde_json::Value, PanelError> {
        self.call_json(Method::GET, "api/core/config", |r| r).await
    }

    /// `PUT /api/core/config`: replaces the config and restarts the core; a config the server
    /// cannot use → `BadRequest`.
    pub async fn modify_core_config(
        &self,
        config: &serde_json::Value,
    ) -> Result<serde_json::Value, PanelError> {
        self.call_json(Method::PUT, "api/core/config", |r| r.json(config))
            .await
    }
}
