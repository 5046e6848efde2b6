//! Reading a Pterodactyl panel's subusers: its servers page by page, then each server's
//! subusers.

use paneldeck_panels::{
    pterodactyl::{PterodactylClient, Server, Subuser},
    PanelError,
};

use super::{convert, ids::parse_pterodactyl_native_id};
use crate::{
    accounts::{
        convert::Converted,
        fetch::{in_order, pages, Fetched, IntoAccounts, Progress, Records},
    },
    error::Result,
    registry::{PanelId, PanelView},
};

/// Pterodactyl servers per page (the panel's maximum).
pub const PTERO_SERVER_PAGE: u32 = 100;

/// Each server with its subusers.
struct Subusers(Vec<(Server, Vec<Subuser>)>);

impl IntoAccounts for Subusers {
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a> {
        Box::new(self.0.into_iter().flat_map(move |(s, users)| {
            users
                .into_iter()
                .map(move |u| convert::from_subuser(panel, &s, &u, now_ms))
        }))
    }
}

pub(super) async fn fetch_all(
    c: &PterodactylClient,
    concurrency: usize,
    progress: Progress<'_>,
) -> std::result::Result<Fetched, PanelError> {
    let (first, pagination) = c.list_servers_page(1, PTERO_SERVER_PAGE).await?;
    let last = pagination.map_or(1, |p| p.total_pages.min(10_000));
    let servers = pages(
        concurrency,
        first,
        2..=last,
        |p| async move {
            c.list_servers_page(u32::try_from(p).unwrap_or(u32::MAX), PTERO_SERVER_PAGE)
                .await
                .map(|r| r.0)
        },
        |_| {},
    )
    .await?;
    let mut fetched = 0u64;
    let mut calls = Vec::with_capacity(servers.len());
    for s in &servers {
        calls.push(async move { c.list_subusers(&s.identifier).await.map(|users| (s, users)) });
    }
    let per_server = in_order(concurrency, calls.into_iter(), |(_, users)| {
        fetched += users.len() as u64;
        progress(fetched, None);
    })
    .await?;
    let per_server = per_server
        .into_iter()
        .map(|(s, users)| (s.clone(), users))
        .collect();
    Ok(Fetched {
        records: Records::new(Subusers(per_server)),
        version: None,
        api_generation: Some("client API v1".into()),
    })
}

/// Re-reads the subuser `native_id` (`<server>/<uuid>`).
pub(super) async fn fetch_one(
    c: &PterodactylClient,
    panel: &PanelView,
    native_id: &str,
    now_ms: i64,
) -> Result<Option<Converted>> {
    let Ok((server_id, user)) = parse_pterodactyl_native_id(native_id) else {
        return Ok(None);
    };
    let servers = c.list_servers().await?;
    let Some(server) = servers.iter().find(|s| s.identifier == server_id) else {
        return Ok(None);
    };
    match c.get_subuser(&server_id, &user).await {
        Ok(s) => Ok(Some(convert::from_subuser(&panel.id, server, &s, now_ms))),
        Err(PanelError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
