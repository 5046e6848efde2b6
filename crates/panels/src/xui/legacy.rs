//! Panels before v3.1 have no `/panel/api/clients`: clients live inside inbounds and are
//! edited with `addClient`, `updateClient/:clientId`, `:id/delClient/:clientId` (clientId =
//! UUID for VLESS/VMess, password for Trojan, email for Shadowsocks), whose `settings` body
//! is a JSON-encoded STRING `{"clients":[…]}`.

use serde_json::{json, Value};

use super::{
    inbound::{ClientIps, ClientTraffic, Inbound, InboundClient, LegacyClientBody},
    wire::{seg, InboundId, LegacyClientKey, Protocol},
    XuiClient,
};
use crate::PanelError;

const BASE: &str = "panel/api/inbounds";

/// A client as the legacy API shows it: its entry in one inbound plus its traffic row.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyClient {
    pub inbound_id: InboundId,
    pub protocol: Protocol,
    pub client: InboundClient,
    pub traffic: Option<ClientTraffic>,
}

impl LegacyClient {
    /// The `:clientId` the legacy routes expect for this client.
    pub fn client_id(&self) -> Result<String, PanelError> {
        legacy_client_id(self.protocol, &self.client)
    }
}

/// UUID for VLESS/VMess, password for Trojan, email otherwise (Shadowsocks).
pub fn legacy_client_id(protocol: Protocol, client: &InboundClient) -> Result<String, PanelError> {
    let (value, what) = match protocol.legacy_client_key() {
        LegacyClientKey::Uuid => (client.uuid.clone(), "id (UUID)"),
        LegacyClientKey::Password => (client.password.clone(), "password"),
        LegacyClientKey::Email => (Some(client.email.clone()), "email"),
    };
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| PanelError::BadRequest {
            message: format!(
                "client {} on a {} inbound has no {what}",
                client.email,
                protocol.as_str()
            ),
        })
}

fn settings_body(inbound_id: InboundId, clients: &[InboundClient]) -> LegacyClientBody {
    LegacyClientBody {
        id: inbound_id,
        settings: json!({ "clients": clients }).to_string(),
    }
}

impl XuiClient {
    /// Every client of every inbound, joined with its `clientStats` row by email.
    pub async fn legacy_list_clients(&self) -> Result<Vec<LegacyClient>, PanelError> {
        let mut out = Vec::new();
        for inbound in self.inbounds_list().await? {
            out.extend(legacy_clients_of(&inbound)?);
        }
        Ok(out)
    }

    /// `POST /panel/api/inbounds/addClient` with `{id, settings:"{\"clients\":[…]}"}`.
    pub async fn legacy_add_client(
        &self,
        inbound_id: InboundId,
        clients: &[InboundClient],
    ) -> Result<(), PanelError> {
        let body = settings_body(inbound_id, clients);
        self.post_unit(&format!("{BASE}/addClient"), Some(&body))
            .await
    }

    /// `POST /panel/api/inbounds/updateClient/:clientId`: `client_id` is the CURRENT
    /// credential (see [`legacy_client_id`]); `client` is the full new entry.
    pub async fn legacy_update_client(
        &self,
        inbound_id: InboundId,
        client_id: &str,
        client: &InboundClient,
    ) -> Result<(), PanelError> {
        let body = settings_body(inbound_id, std::slice::from_ref(client));
        let route = format!("{BASE}/updateClient/{}", seg(client_id));
        self.post_unit(&route, Some(&body)).await
    }

    /// `POST /panel/api/inbounds/:id/delClient/:clientId`.
    pub async fn legacy_del_client(
        &self,
        inbound_id: InboundId,
        client_id: &str,
    ) -> Result<(), PanelError> {
        let route = format!("{BASE}/{}/delClient/{}", inbound_id.0, seg(client_id));
        self.post_unit::<Value>(&route, None).await
    }

    /// Enable or disable through `updateClient` (the legacy API has no toggle route): reads
    /// the inbound, flips `enable` on the entry and sends it back whole.
    pub async fn legacy_set_enable(
        &self,
        inbound_id: InboundId,
        email: &str,
        enable: bool,
    ) -> Result<(), PanelError> {
        let inbound = self.inbounds_get(inbound_id).await?;
        let current = legacy_clients_of(&inbound)?
            .into_iter()
            .find(|c| c.client.email == email)
            .ok_or_else(|| PanelError::NotFound {
                message: format!("no client {email} in inbound {}", inbound_id.0),
            })?;
        let client_id = current.client_id()?;
        let mut entry = current.client;
        entry.enable = enable;
        self.legacy_update_client(inbound_id, &client_id, &entry)
            .await
    }

    /// `POST /panel/api/inbounds/:id/resetClientTraffic/:email`.
    pub async fn legacy_reset_client_traffic(
        &self,
        inbound_id: InboundId,
        email: &str,
    ) -> Result<(), PanelError> {
        let route = format!("{BASE}/{}/resetClientTraffic/{}", inbound_id.0, seg(email));
        self.post_unit::<Value>(&route, None).await
    }

    /// `GET /panel/api/inbounds/getClientTraffics/:email`.
    pub async fn legacy_get_client_traffics(
        &self,
        email: &str,
    ) -> Result<ClientTraffic, PanelError> {
        self.get_obj(&format!("{BASE}/getClientTraffics/{}", seg(email)), &[])
            .await
    }

    /// `POST /panel/api/inbounds/onlines`.
    pub async fn legacy_onlines(&self) -> Result<Vec<String>, PanelError> {
        Ok(self
            .post_opt::<Vec<String>, Value>(&format!("{BASE}/onlines"), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/inbounds/clientIps/:email`.
    pub async fn legacy_client_ips(&self, email: &str) -> Result<ClientIps, PanelError> {
        Ok(self
            .post_opt::<ClientIps, Value>(&format!("{BASE}/clientIps/{}", seg(email)), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/inbounds/clearClientIps/:email`.
    pub async fn legacy_clear_client_ips(&self, email: &str) -> Result<(), PanelError> {
        self.post_unit::<Value>(&format!("{BASE}/clearClientIps/{}", seg(email)), None)
            .await
    }
}

/// The clients of one inbound with their traffic rows.
pub fn legacy_clients_of(inbound: &Inbound) -> Result<Vec<LegacyClient>, PanelError> {
    Ok(inbound
        .settings_clients()?
        .into_iter()
        .map(|client| LegacyClient {
            inbound_id: inbound.id,
            protocol: inbound.protocol,
            traffic: inbound
                .client_stats
                .iter()
                .find(|t| t.email == client.email)
                .cloned(),
            client,
        })
        .collect())
}
