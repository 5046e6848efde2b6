//! One client-management surface over both API generations, so callers need not care
//! whether a panel is older than v3.1: `accounts`, `add_account`, `update_account`,
//! `delete_account`, `set_account_enabled`, `reset_account_traffic`.

use std::collections::BTreeMap;

use base64::Engine;

use super::{
    inbound::InboundClient,
    legacy::{legacy_client_id, LegacyClient},
    types::{ClientPayload, ClientRecord},
    wire::{InboundId, Protocol},
    ApiGeneration, XuiClient,
};
use crate::PanelError;

/// A client as either generation shows it (legacy entries merged by email).
#[derive(Debug, Clone, PartialEq)]
pub struct XuiAccount {
    pub email: String,
    pub enable: bool,
    /// Quota in bytes; 0 = unlimited.
    pub total_bytes: i64,
    /// Epoch ms; 0 = never; negative = starts at first use.
    pub expiry_time_ms: i64,
    pub up_bytes: i64,
    pub down_bytes: i64,
    pub sub_id: String,
    pub comment: String,
    /// Max concurrent IPs; 0 = unlimited.
    pub limit_ip: i64,
    /// Auto-renew period in days; 0 = off.
    pub reset_days: i64,
    pub inbound_ids: Vec<InboundId>,
}

impl From<&ClientRecord> for XuiAccount {
    fn from(r: &ClientRecord) -> Self {
        let traffic = r.traffic.clone().unwrap_or_default();
        XuiAccount {
            email: r.email.clone(),
            enable: r.enable,
            total_bytes: r.total_bytes,
            expiry_time_ms: r.expiry_time_ms,
            up_bytes: traffic.up_bytes,
            down_bytes: traffic.down_bytes,
            sub_id: r.sub_id.clone(),
            comment: r.comment.clone(),
            limit_ip: r.limit_ip,
            reset_days: r.reset_days,
            inbound_ids: r.inbound_ids.clone(),
        }
    }
}

fn merge_legacy(entries: Vec<LegacyClient>) -> Vec<XuiAccount> {
    let mut by_email: BTreeMap<String, XuiAccount> = BTreeMap::new();
    let mut order = Vec::new();
    for e in entries {
        let traffic = e.traffic.clone();
        let account = by_email.entry(e.client.email.clone()).or_insert_with(|| {
            order.push(e.client.email.clone());
            XuiAccount {
                email: e.client.email.clone(),
                enable: e.client.enable,
                total_bytes: e.client.total_bytes,
                expiry_time_ms: e.client.expiry_time_ms,
                up_bytes: traffic.as_ref().map_or(0, |t| t.up_bytes),
                down_bytes: traffic.as_ref().map_or(0, |t| t.down_bytes),
                sub_id: e.client.sub_id.clone(),
                comment: e.client.comment.clone(),
                limit_ip: e.client.limit_ip,
                reset_days: e.client.reset_days,
                inbound_ids: Vec::new(),
            }
        });
        account.inbound_ids.push(e.inbound_id);
    }
    order
        .into_iter()
        .filter_map(|email| by_email.remove(&email))
        .collect()
}

/// A legacy entry from a clients-API payload, with the credential the protocol needs
/// (old panels expect the caller to supply it).
fn legacy_entry(p: &ClientPayload, protocol: Protocol, ss_method: &str) -> InboundClient {
    let random = || {
        let mut bytes = uuid::Uuid::new_v4().as_bytes().to_vec();
        bytes.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
        bytes
    };
    let mut entry = InboundClient {
        uuid: p.uuid.clone(),
        password: p.password.clone(),
        flow: p.flow.clone(),
        security: p.security.clone(),
        email: p.email.clone(),
        limit_ip: p.limit_ip.unwrap_or(0),
        total_bytes: p.total_bytes.unwrap_or(0),
        expiry_time_ms: p.expiry_time_ms.unwrap_or(0),
        enable: p.enable.unwrap_or(true),
        tg_id: p.tg_id.unwrap_or(0),
        sub_id: p.sub_id.clone().unwrap_or_default(),
        comment: p.comment.clone().unwrap_or_default(),
        reset_days: p.reset_days.unwrap_or(0),
        extra: Default::default(),
    };
    match protocol {
        Protocol::Vless | Protocol::Vmess if entry.uuid.is_none() => {
            entry.uuid = Some(uuid::Uuid::new_v4().to_string());
        }
        Protocol::Trojan if entry.password.is_none() => {
            entry.password = Some(hex::encode(&random()[..12]));
        }
        Protocol::Shadowsocks if entry.password.is_none() => {
            let len = if ss_method == "2022-blake3-aes-128-gcm" {
                16
            } else {
                32
            };
            let key = base64::engine::general_purpose::STANDARD.encode(&random()[..len]);
            entry.password = Some(key);
        }
        _ => {}
    }
    entry
}

/// The legacy entry with every field `p` sets changed.
fn overlay_entry(entry: &mut InboundClient, p: &ClientPayload) {
    if !p.email.is_empty() {
        entry.email.clone_from(&p.email);
    }
    let text = |slot: &mut String, new: &Option<String>| {
        if let Some(v) = new {
            slot.clone_from(v);
        }
    };
    text(&mut entry.sub_id, &p.sub_id);
    text(&mut entry.comment, &p.comment);
    for (slot, new) in [
        (&mut entry.uuid, &p.uuid),
        (&mut entry.password, &p.password),
        (&mut entry.flow, &p.flow),
        (&mut entry.security, &p.security),
    ] {
        if new.is_some() {
            slot.clone_from(new);
        }
    }
    for (slot, new) in [
        (&mut entry.limit_ip, p.limit_ip),
        (&mut entry.total_bytes, p.total_bytes),
        (&mut entry.expiry_time_ms, p.expiry_time_ms),
        (&mut entry.tg_id, p.tg_id),
        (&mut entry.reset_days, p.reset_days),
    ] {
        if let Some(v) = new {
            *slot = v;
        }
    }
    if let Some(enable) = p.enable {
        entry.enable = enable;
    }
}

impl XuiClient {
    /// Every client, whatever the panel's API generation.
    pub async fn accounts(&self) -> Result<Vec<XuiAccount>, PanelError> {
        match self.api_generation().await? {
            ApiGeneration::ClientsApi => Ok(self.list().await?.iter().map(Into::into).collect()),
            ApiGeneration::LegacyInbounds => Ok(merge_legacy(self.legacy_list_clients().await?)),
        }
    }

    /// One client, whatever the panel's API generation (`get` plus its traffic row on the
    /// clients API; merged inbound entries before v3.1).
    pub async fn account(&self, email: &str) -> Result<XuiAccount, PanelError> {
        match self.api_generation().await? {
            ApiGeneration::ClientsApi => {
                let mut record = self.get(email).await?;
                record.traffic = self.traffic_counters(email).await?;
                Ok((&record).into())
            }
            ApiGeneration::LegacyInbounds => merge_legacy(self.legacy_entries(email).await?)
                .into_iter()
                .next()
                .ok_or_else(|| PanelError::NotFound {
                    message: format!("no client {email}"),
                }),
        }
    }

    /// The legacy entries of one email (one per inbound it is in).
    async fn legacy_entries(&self, email: &str) -> Result<Vec<LegacyClient>, PanelError> {
        let found: Vec<LegacyClient> = self
            .legacy_list_clients()
            .await?
            .into_iter()
            .filter(|c| c.client.email == email)
            .collect();
        if found.is_empty() {
            return Err(PanelError::NotFound {
                message: format!("no client {email}"),
            });
        }
        Ok(found)
    }

    /// Creates a client. Panels before v3.1 keep an email in ONE inbound only.
    pub async fn add_account(
        &self,
        client: &ClientPayload,
        inbound_ids: &[InboundId],
    ) -> Result<(), PanelError> {
        if self.api_generation().await? == ApiGeneration::ClientsApi {
            return self.add(client, inbound_ids).await;
        }
        let [inbound_id] = inbound_ids else {
            return Err(PanelError::Unsupported(
                "a 3x-ui panel before v3.1 puts each client email in exactly one inbound".into(),
            ));
        };
        let inbound = self.inbounds_get(*inbound_id).await?;
        let method = super::inbound::settings_object(&inbound.settings)?
            .get("method")
            .and_then(|m| m.as_str())
            .unwrap_or_default()
            .to_owned();
        let entry = legacy_entry(client, inbound.protocol, &method);
        self.legacy_add_client(*inbound_id, &[entry]).await
    }

    /// Changes the fields `changes` sets and keeps every other one: the panel replaces the
    /// whole client, so the live client is read first and sent back whole (facts §4.7).
    pub async fn update_account(
        &self,
        email: &str,
        changes: &ClientPayload,
    ) -> Result<(), PanelError> {
        if self.api_generation().await? == ApiGeneration::ClientsApi {
            let mut whole = ClientPayload::replacing(&self.get(email).await?);
            whole.overlay(changes);
            return self.update(email, &whole).await;
        }
        for current in self.legacy_entries(email).await? {
            let mut entry = current.client.clone();
            overlay_entry(&mut entry, changes);
            let id = current.client_id()?;
            self.legacy_update_client(current.inbound_id, &id, &entry)
                .await?;
        }
        Ok(())
    }

    pub async fn delete_account(&self, email: &str) -> Result<(), PanelError> {
        if self.api_generation().await? == ApiGeneration::ClientsApi {
            return self.del(email, false).await;
        }
        for current in self.legacy_entries(email).await? {
            let id = legacy_client_id(current.protocol, &current.client)?;
            self.legacy_del_client(current.inbound_id, &id).await?;
        }
        Ok(())
    }

    /// Enables or disables one client (read-modify-write on both generations: `bulkEnable`
    /// only exists from v3.5).
    pub async fn set_account_enabled(&self, email: &str, enable: bool) -> Result<(), PanelError> {
        if self.api_generation().await? == ApiGeneration::ClientsApi {
            let mut payload = ClientPayload::replacing(&self.get(email).await?);
            payload.enable = Some(enable);
            return self.update(email, &payload).await;
        }
        for current in self.legacy_entries(email).await? {
            self.legacy_set_enable(current.inbound_id, email, enable)
                .await?;
        }
        Ok(())
    }

    pub async fn reset_account_traffic(&self, email: &str) -> Result<(), PanelError> {
        if self.api_generation().await? == ApiGeneration::ClientsApi {
            return self.reset_traffic(email).await;
        }
        // One traffic row per email: resetting through its first inbound is enough.
        let first = self.legacy_entries(email).await?.remove(0);
        self.legacy_reset_client_traffic(first.inbound_id, email)
            .await
    }
}
