//! Reading a 3x-ui panel's clients: the clients API (v3.1+) answers every client in one
//! `list`; older panels list them inside their inbounds.

use std::collections::HashMap;

use paneldeck_panels::{
    xui::{legacy::LegacyClient, ApiGeneration, ClientRecord, XuiClient},
    PanelError,
};

use super::convert::{self, XuiContext};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{pair, Fetched, IntoAccounts, Progress, Records},
    },
    error::Result,
    registry::{PanelId, PanelView},
};

/// Clients of the clients API.
struct Clients(Vec<ClientRecord>, XuiContext);

impl IntoAccounts for Clients {
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a> {
        let Clients(list, ctx) = *self;
        Box::new(
            list.into_iter()
                .map(move |r| convert::from_record(panel, &r, &ctx, now_ms)),
        )
    }
}

/// Clients of a pre-3.1 panel, each as its entries in every inbound.
struct LegacyClients(Vec<Vec<LegacyClient>>, XuiContext);

impl IntoAccounts for LegacyClients {
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a> {
        let LegacyClients(groups, ctx) = *self;
        Box::new(
            groups
                .into_iter()
                .filter_map(move |g| convert::from_legacy(panel, &g, &ctx, now_ms)),
        )
    }
}

pub(super) async fn fetch_all(
    c: &XuiClient,
    concurrency: usize,
    progress: Progress<'_>,
) -> std::result::Result<Fetched, PanelError> {
    let detected = c.detect().await?;
    let generation = c.api_generation().await?;
    let mut ctx = XuiContext::default();
    let records = match generation {
        ApiGeneration::ClientsApi => {
            // `list` answers every client in full (uuid, comment, group) in one request;
            // presence and protocols come from three small calls beside it.
            let side = async {
                let (online, (last, options)) = pair(
                    concurrency,
                    c.onlines(),
                    pair(concurrency, c.last_online(), c.inbounds_options()),
                )
                .await;
                (online, last, options)
            };
            let (list, (online, last, options)) = pair(concurrency, c.list(), side).await;
            let list = list?;
            if let Ok(online) = online {
                ctx.online = online.into_iter().collect();
                ctx.online_known = true;
            }
            ctx.last_online_ms = last.unwrap_or_default();
            ctx.inbound_protocols = options
                .unwrap_or_default()
                .into_iter()
                .map(|o| (o.id, o.protocol))
                .collect();
            progress(list.len() as u64, Some(list.len() as u64));
            Records::new(Clients(list, ctx))
        }
        ApiGeneration::LegacyInbounds => {
            let (clients, online) =
                pair(concurrency, c.legacy_list_clients(), c.legacy_onlines()).await;
            if let Ok(online) = online {
                ctx.online = online.into_iter().collect();
                ctx.online_known = true;
            }
            let grouped = convert::group_legacy(clients?);
            progress(grouped.len() as u64, Some(grouped.len() as u64));
            Records::new(LegacyClients(grouped, ctx))
        }
    };
    Ok(Fetched {
        records,
        version: Some(detected.release.label()),
        api_generation: Some(generation.label().to_owned()),
    })
}

/// Re-reads the client `email`; `api_generation` is what the last sync recorded, if any.
pub(super) async fn fetch_one(
    c: &XuiClient,
    panel: &PanelView,
    email: &str,
    api_generation: Option<&str>,
    now_ms: i64,
) -> Result<Option<Converted>> {
    let legacy = match api_generation {
        Some(g) => super::is_legacy(g),
        None => c.api_generation().await? == ApiGeneration::LegacyInbounds,
    };
    if legacy {
        let mut ctx = XuiContext::default();
        if let Ok(online) = c.legacy_onlines().await {
            ctx.online = online.into_iter().collect();
            ctx.online_known = true;
        }
        let entries: Vec<_> = c
            .legacy_list_clients()
            .await?
            .into_iter()
            .filter(|e| e.client.email == email)
            .collect();
        return Ok(convert::from_legacy(&panel.id, &entries, &ctx, now_ms));
    }
    let mut record = match c.get(email).await {
        Ok(r) => r,
        Err(e) if matches!(e, PanelError::NotFound { .. }) || is_missing(&e) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    // `get` carries no counters (facts §4.4); the traffic row has them.
    record.traffic = c.traffic_counters(email).await?;
    let mut ctx = XuiContext::default();
    if let Ok(online) = c.onlines().await {
        ctx.online = online.into_iter().collect();
        ctx.online_known = true;
    }
    ctx.last_online_ms = c.last_online().await.unwrap_or_default();
    ctx.inbound_protocols = c
        .inbounds_options()
        .await
        .map(|o| {
            o.into_iter()
                .map(|o| (o.id, o.protocol))
                .collect::<HashMap<_, _>>()
        })
        .unwrap_or_default();
    Ok(Some(convert::from_record(&panel.id, &record, &ctx, now_ms)))
}

/// 3x-ui answers an unknown email with `success:false` (HTTP 200) and a "not found" message.
fn is_missing(e: &PanelError) -> bool {
    matches!(e, PanelError::Api { message, .. } if message.to_lowercase().contains("not found"))
}
