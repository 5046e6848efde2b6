//! Single-client routes of `/panel/api/clients/*` (v3.1+) and the read-only views.

use serde::Serialize;
use serde_json::Value;

use super::{
    inbound::{ClientIps, ClientTraffic},
    types::*,
    wire::{decode_envelope, seg, InboundId},
    XuiClient,
};
use crate::PanelError;

const BASE: &str = "panel/api/clients";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InboundIdsBody<'a> {
    inbound_ids: &'a [InboundId],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalLinksBody<'a> {
    external_links: &'a [ExternalLink],
}

/// Body of `updateTraffic/:email`: the new counters, in bytes.
#[derive(Debug, Clone, Copy, Serialize)]
struct TrafficBody {
    upload: i64,
    download: i64,
}

#[derive(Serialize)]
struct ImportBody {
    data: String,
}

impl XuiClient {
    /// `GET /panel/api/clients/list`: every client with inbound ids and traffic.
    pub async fn list(&self) -> Result<Vec<ClientRecord>, PanelError> {
        self.get_obj(&format!("{BASE}/list"), &[]).await
    }

    /// `GET /panel/api/clients/list/paged`: server-side filter, sort and paging.
    pub async fn list_paged(&self, query: &PagedQuery) -> Result<ClientPage, PanelError> {
        self.get_obj(&format!("{BASE}/list/paged"), &query.to_pairs())
            .await
    }

    /// `GET /panel/api/clients/get/:email`: `{client, inboundIds, usedTraffic?,
    /// externalLinks?}` (facts §4.4), as one record with its attachments. Its `traffic` is
    /// `None`: read it with [`traffic`](Self::traffic).
    pub async fn get(&self, email: &str) -> Result<ClientRecord, PanelError> {
        Ok(self.get_detail(email).await?.into_record())
    }

    /// `GET /panel/api/clients/get/:email` as the panel sends it.
    pub async fn get_detail(&self, email: &str) -> Result<ClientDetail, PanelError> {
        self.get_obj(&format!("{BASE}/get/{}", seg(email)), &[])
            .await
    }

    /// `POST /panel/api/clients/add`: creates the client (always enabled) on the inbounds.
    pub async fn add(
        &self,
        client: &ClientPayload,
        inbound_ids: &[InboundId],
    ) -> Result<(), PanelError> {
        let body = ClientWithInbounds {
            client: client.clone(),
            inbound_ids: inbound_ids.to_vec(),
        };
        self.post_unit(&format!("{BASE}/add"), Some(&body)).await
    }

    /// `POST /panel/api/clients/update/:email`: REPLACES the whole client — an omitted
    /// `enable` disables it, an omitted quota or expiry makes it unlimited (facts §4.7).
    /// Build the payload with [`ClientPayload::replacing`] from the live client; a payload
    /// without `enable`, `totalGB` and `expiryTime` is refused before it is sent.
    pub async fn update(&self, email: &str, client: &ClientPayload) -> Result<(), PanelError> {
        if !client.is_whole() {
            return Err(PanelError::BadRequest {
                message: format!(
                    "refusing to send a partial client for {email}: 3x-ui replaces the whole \
                     client, so a missing enable, totalGB or expiryTime would change it"
                ),
            });
        }
        self.post_unit(&format!("{BASE}/update/{}", seg(email)), Some(client))
            .await
    }

    /// `POST /panel/api/clients/del/:email?keepTraffic=0|1`.
    pub async fn del(&self, email: &str, keep_traffic: bool) -> Result<(), PanelError> {
        let route = format!("{BASE}/del/{}", seg(email));
        let keep = [("keepTraffic", u8::from(keep_traffic))];
        let raw = self
            .execute(reqwest::Method::POST, &route, |r| r.query(&keep))
            .await?;
        decode_envelope::<Value>(&raw.body).map(|_| ())
    }

    /// `POST /panel/api/clients/:email/attach`.
    pub async fn attach(&self, email: &str, inbound_ids: &[InboundId]) -> Result<(), PanelError> {
        let body = InboundIdsBody { inbound_ids };
        self.post_unit(&format!("{BASE}/{}/attach", seg(email)), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/:email/detach`.
    pub async fn detach(&self, email: &str, inbound_ids: &[InboundId]) -> Result<(), PanelError> {
        let body = InboundIdsBody { inbound_ids };
        self.post_unit(&format!("{BASE}/{}/detach", seg(email)), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/:email/externalLinks`: replaces the whole list.
    pub async fn external_links(
        &self,
        email: &str,
        links: &[ExternalLink],
    ) -> Result<(), PanelError> {
        let body = ExternalLinksBody {
            external_links: links,
        };
        self.post_unit(&format!("{BASE}/{}/externalLinks", seg(email)), Some(&body))
            .await
    }

    /// `GET /panel/api/clients/export`: `[{client, inboundIds}]`, the shape `import` takes.
    pub async fn export(&self) -> Result<Vec<ClientWithInbounds>, PanelError> {
        self.get_obj(&format!("{BASE}/export"), &[]).await
    }

    /// `POST /panel/api/clients/import` with `{data: "<json array>"}`; existing emails are
    /// skipped, never overwritten.
    pub async fn import(&self, items: &[ClientWithInbounds]) -> Result<CreatedResult, PanelError> {
        let data = serde_json::to_string(items).map_err(|e| PanelError::BadRequest {
            message: e.to_string(),
        })?;
        self.post_obj(&format!("{BASE}/import"), Some(&ImportBody { data }))
            .await
    }

    /// `POST /panel/api/clients/resetAllTraffics`.
    pub async fn reset_all_traffics(&self) -> Result<(), PanelError> {
        self.post_unit::<Value>(&format!("{BASE}/resetAllTraffics"), None)
            .await
    }

    /// `POST /panel/api/clients/delDepleted`: returns how many were deleted.
    pub async fn del_depleted(&self) -> Result<DeletedResult, PanelError> {
        self.post_obj::<_, Value>(&format!("{BASE}/delDepleted"), None)
            .await
    }

    /// `POST /panel/api/clients/delOrphans`.
    pub async fn del_orphans(&self) -> Result<DeletedResult, PanelError> {
        self.post_obj::<_, Value>(&format!("{BASE}/delOrphans"), None)
            .await
    }

    /// `POST /panel/api/clients/resetTraffic/:email` (also re-enables a depleted client).
    pub async fn reset_traffic(&self, email: &str) -> Result<(), PanelError> {
        self.post_unit::<Value>(&format!("{BASE}/resetTraffic/{}", seg(email)), None)
            .await
    }

    /// `POST /panel/api/clients/updateTraffic/:email`: sets the counters (bytes).
    pub async fn update_traffic(
        &self,
        email: &str,
        upload_bytes: i64,
        download_bytes: i64,
    ) -> Result<(), PanelError> {
        let body = TrafficBody {
            upload: upload_bytes,
            download: download_bytes,
        };
        self.post_unit(&format!("{BASE}/updateTraffic/{}", seg(email)), Some(&body))
            .await
    }

    /// `POST /panel/api/clients/ips/:email`: "ip (time)" strings; empty when none recorded.
    pub async fn ips(&self, email: &str) -> Result<ClientIps, PanelError> {
        Ok(self
            .post_opt::<ClientIps, Value>(&format!("{BASE}/ips/{}", seg(email)), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/clients/clearIps/:email`.
    pub async fn clear_ips(&self, email: &str) -> Result<(), PanelError> {
        self.post_unit::<Value>(&format!("{BASE}/clearIps/{}", seg(email)), None)
            .await
    }

    /// `POST /panel/api/clients/onlines`: emails connected now.
    pub async fn onlines(&self) -> Result<Vec<String>, PanelError> {
        Ok(self
            .post_opt::<Vec<String>, Value>(&format!("{BASE}/onlines"), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/clients/onlinesByGuid`.
    pub async fn onlines_by_guid(&self) -> Result<ByGuid, PanelError> {
        Ok(self
            .post_opt::<ByGuid, Value>(&format!("{BASE}/onlinesByGuid"), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/clients/clientIpsByGuid`.
    pub async fn client_ips_by_guid(&self) -> Result<IpsByGuid, PanelError> {
        Ok(self
            .post_opt::<IpsByGuid, Value>(&format!("{BASE}/clientIpsByGuid"), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/clients/activeInbounds`: inbound tags with recent traffic, per GUID.
    pub async fn active_inbounds(&self) -> Result<ByGuid, PanelError> {
        Ok(self
            .post_opt::<ByGuid, Value>(&format!("{BASE}/activeInbounds"), None)
            .await?
            .unwrap_or_default())
    }

    /// `POST /panel/api/clients/lastOnline`.
    pub async fn last_online(&self) -> Result<LastOnline, PanelError> {
        Ok(self
            .post_opt::<LastOnline, Value>(&format!("{BASE}/lastOnline"), None)
            .await?
            .unwrap_or_default())
    }

    /// `GET /panel/api/clients/traffic/:email`.
    pub async fn traffic(&self, email: &str) -> Result<ClientTraffic, PanelError> {
        self.get_obj(&format!("{BASE}/traffic/{}", seg(email)), &[])
            .await
    }

    /// The client's up/down counters; `None` when it has no traffic row (from v3.3.0 the
    /// panel answers `obj:null` then, facts §4.6).
    pub async fn traffic_counters(
        &self,
        email: &str,
    ) -> Result<Option<TrafficCounters>, PanelError> {
        let row: Option<ClientTraffic> = self
            .get_opt(&format!("{BASE}/traffic/{}", seg(email)), &[])
            .await?;
        Ok(row.map(|t| TrafficCounters {
            up_bytes: t.up_bytes,
            down_bytes: t.down_bytes,
            enable: t.enable,
        }))
    }

    /// `GET /panel/api/clients/subLinks/:subId`: every URL of the subscription.
    pub async fn sub_links(&self, sub_id: &str) -> Result<Vec<String>, PanelError> {
        self.get_obj(&format!("{BASE}/subLinks/{}", seg(sub_id)), &[])
            .await
    }

    /// `GET /panel/api/clients/links/:email`.
    pub async fn links(&self, email: &str) -> Result<Vec<String>, PanelError> {
        self.get_obj(&format!("{BASE}/links/{}", seg(email)), &[])
            .await
    }
}
