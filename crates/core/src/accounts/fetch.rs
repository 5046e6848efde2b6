//! Reading every account of one panel, kind by kind, with at most `concurrency` requests in
//! flight. Paged lists: the first page tells the total, the rest are fetched together.

use std::{
    collections::{HashMap, HashSet},
    future::Future,
};

use futures::{future::BoxFuture, stream::FuturesUnordered, FutureExt, StreamExt};
use paneldeck_panels::{
    marzban::{MarzbanClient, User, UsersQuery},
    pterodactyl::{PterodactylClient, Server, Subuser},
    userpass::{ListParams, OrderBy, SortBy, SubUser, UserpassClient},
    xui::{legacy::LegacyClient, ApiGeneration, ClientRecord, XuiClient},
    PanelError,
};

use super::{
    convert::{self, xui::XuiContext, Converted},
    model::{is_xui_legacy, AccountKey},
};
use crate::{
    connect::PanelClient,
    error::Result,
    registry::{PanelId, PanelView},
};

/// Marzban users per page.
pub const MARZBAN_PAGE: u64 = 500;
/// User-pass sub-users per page (the provider's maximum).
pub const USERPASS_PAGE: u32 = 100;
/// Pterodactyl servers per page (the panel's maximum).
pub const PTERO_SERVER_PAGE: u32 = 100;

/// Everything read from one panel.
pub struct Fetched {
    pub records: Records,
    pub version: Option<String>,
    pub api_generation: Option<String>,
}

/// The typed records a panel answered with, not yet converted: converting 25,000 of them is
/// CPU work the caller runs off the async threads ([`Records::into_converted`]).
pub enum Records {
    Xui(Vec<ClientRecord>, XuiContext),
    XuiLegacy(Vec<Vec<LegacyClient>>, XuiContext),
    /// Users and the panel's base URL (for relative subscription links).
    Marzban(Vec<User>, String),
    Userpass(Vec<SubUser>),
    Pterodactyl(Vec<(Server, Vec<Subuser>)>),
}

impl Records {
    /// The accounts one by one, each record dropped once converted, so a panel's records
    /// and its accounts never all exist in memory at once.
    pub fn into_converted(
        self,
        panel: &PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + '_> {
        match self {
            Records::Xui(list, ctx) => Box::new(
                list.into_iter()
                    .map(move |r| convert::xui::from_record(panel, &r, &ctx, now_ms)),
            ),
            Records::XuiLegacy(groups, ctx) => Box::new(
                groups
                    .into_iter()
                    .filter_map(move |g| convert::xui::from_legacy(panel, &g, &ctx, now_ms)),
            ),
            Records::Marzban(users, base) => Box::new(
                users
                    .into_iter()
                    .map(move |u| convert::marzban::from_user(panel, &base, &u, now_ms)),
            ),
            Records::Userpass(subs) => Box::new(
                subs.into_iter()
                    .map(move |s| convert::userpass::from_sub_user(panel, &s, now_ms)),
            ),
            Records::Pterodactyl(servers) => {
                Box::new(servers.into_iter().flat_map(move |(s, users)| {
                    users
                        .into_iter()
                        .map(move |u| convert::pterodactyl::from_subuser(panel, &s, &u, now_ms))
                }))
            }
        }
    }
}

/// Called after each page with (accounts so far, total if known).
pub type Progress<'a> = &'a (dyn Fn(u64, Option<u64>) + Send + Sync);

/// Boxed (and so checked `Send` here, once) to keep callers' futures `Send` for the app.
pub fn fetch_panel<'a>(
    client: &'a PanelClient,
    panel: &'a PanelView,
    concurrency: usize,
    progress: Progress<'a>,
) -> BoxFuture<'a, Result<Fetched>> {
    let concurrency = concurrency.max(1);
    async move {
        Ok(match client {
            PanelClient::Xui(c) => xui(c, concurrency, progress).await?,
            PanelClient::Marzban(c) => marzban(c, panel, concurrency, progress).await?,
            PanelClient::Userpass(c) => userpass(c, concurrency, progress).await?,
            PanelClient::Pterodactyl(c) => pterodactyl(c, concurrency, progress).await?,
        })
    }
    .boxed()
}

/// The first page, with room for the `total` its answer announced (within reason: the number
/// comes from the panel), so the pages to come are appended without copying the list again.
fn with_room<T>(mut first: Vec<T>, total: u64) -> Vec<T> {
    const MOST: u64 = 1_000_000;
    let more = total.min(MOST).saturating_sub(first.len() as u64);
    first.reserve(usize::try_from(more).unwrap_or(0));
    first
}

/// Fetches `rest` (each yields one page) with bounded concurrency and appends the pages to
/// `out` in order.
async fn pages<T, F, Fut>(
    concurrency: usize,
    mut out: Vec<T>,
    rest: impl Iterator<Item = u64>,
    fetch: F,
    mut on_page: impl FnMut(&[T]),
) -> std::result::Result<Vec<T>, PanelError>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = std::result::Result<Vec<T>, PanelError>>,
{
    let pages = in_order(concurrency, rest.map(fetch), |page| on_page(page)).await?;
    out.extend(pages.into_iter().flatten());
    Ok(out)
}

/// Runs `calls` with at most `concurrency` in flight; returns their answers in the calls'
/// order, and shows each to `on_answer` as it arrives.
///
/// A call starts as soon as any other finishes, not only when the oldest does (as with
/// `buffered`): one slow answer would otherwise hold back every call behind it while the
/// other slots sat idle.
async fn in_order<T, Fut>(
    concurrency: usize,
    calls: impl Iterator<Item = Fut>,
    mut on_answer: impl FnMut(&T),
) -> std::result::Result<Vec<T>, PanelError>
where
    Fut: Future<Output = std::result::Result<T, PanelError>>,
{
    async fn numbered<T, E>(
        i: usize,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<(usize, T), E> {
        call.await.map(|answer| (i, answer))
    }
    let mut calls = calls.enumerate();
    let mut running = FuturesUnordered::new();
    let mut arrived = Vec::new();
    loop {
        while running.len() < concurrency.max(1) {
            let Some((i, call)) = calls.next() else { break };
            running.push(numbered(i, call));
        }
        let Some(answer) = running.next().await else {
            break;
        };
        let (i, answer) = answer?;
        on_answer(&answer);
        arrived.push((i, answer));
    }
    arrived.sort_unstable_by_key(|(i, _)| *i);
    Ok(arrived.into_iter().map(|(_, answer)| answer).collect())
}

/// Both at once, or one after the other when only one request may be in flight.
async fn pair<A, B>(
    concurrency: usize,
    a: impl Future<Output = A>,
    b: impl Future<Output = B>,
) -> (A, B) {
    if concurrency > 1 {
        tokio::join!(a, b)
    } else {
        let a = a.await;
        (a, b.await)
    }
}

async fn xui(
    c: &XuiClient,
    concurrency: usize,
    progress: Progress<'_>,
) -> std::result::Result<Fetched, PanelError> {
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
            Records::Xui(list, ctx)
        }
        ApiGeneration::LegacyInbounds => {
            let (clients, online) =
                pair(concurrency, c.legacy_list_clients(), c.legacy_onlines()).await;
            if let Ok(online) = online {
                ctx.online = online.into_iter().collect();
                ctx.online_known = true;
            }
            let grouped = convert::xui::group_legacy(clients?);
            progress(grouped.len() as u64, Some(grouped.len() as u64));
            Records::XuiLegacy(grouped, ctx)
        }
    };
    Ok(Fetched {
        records,
        version: None,
        api_generation: Some(generation.label().to_owned()),
    })
}

async fn marzban(
    c: &MarzbanClient,
    panel: &PanelView,
    concurrency: usize,
    progress: Progress<'_>,
) -> std::result::Result<Fetched, PanelError> {
    let page = |offset: u64| UsersQuery {
        offset: Some(offset),
        limit: Some(MARZBAN_PAGE),
        ..UsersQuery::default()
    };
    let (probe, first) = pair(concurrency, c.probe(), c.get_users(&page(0))).await;
    let probe = probe.ok();
    let first = first?;
    let total = first.total;
    let mut fetched = first.users.len() as u64;
    progress(fetched, Some(total));
    let offsets = (1..total.div_ceil(MARZBAN_PAGE)).map(|i| i * MARZBAN_PAGE);
    let mut users = pages(
        concurrency,
        with_room(first.users, total),
        offsets,
        |offset| async move { c.get_users(&page(offset)).await.map(|r| r.users) },
        |p| {
            fetched += p.len() as u64;
            progress(fetched, Some(total));
        },
    )
    .await?;
    let mut seen = HashSet::new();
    users.retain(|u| seen.insert(u.username.clone()));
    Ok(Fetched {
        records: Records::Marzban(users, panel.base_url.clone()),
        version: probe.as_ref().and_then(|p| p.version.clone()),
        api_generation: probe.and_then(|p| p.api_generation),
    })
}

async fn userpass(
    c: &UserpassClient,
    concurrency: usize,
    progress: Progress<'_>,
) -> std::result::Result<Fetched, PanelError> {
    // Oldest first, so accounts created during the sync land on the last page, not in between.
    let params = |page: u64| ListParams {
        limit: Some(USERPASS_PAGE),
        page: Some(u32::try_from(page).unwrap_or(u32::MAX)),
        sort_by: Some(SortBy::Id),
        order_by: Some(OrderBy::Asc),
        keyword: None,
    };
    let first = c.get_list(&params(1)).await?;
    let total = first.total_items;
    let mut fetched = first.items.len() as u64;
    progress(fetched, Some(total));
    let mut subs = pages(
        concurrency,
        with_room(first.items, total),
        2..=first.total_pages.min(10_000),
        |p| async move { c.get_list(&params(p)).await.map(|r| r.items) },
        |p| {
            fetched += p.len() as u64;
            progress(fetched, Some(total));
        },
    )
    .await?;
    let mut seen = HashSet::new();
    subs.retain(|s| seen.insert(s.id));
    Ok(Fetched {
        records: Records::Userpass(subs),
        version: None,
        api_generation: Some("client/v1 user-passes".into()),
    })
}

async fn pterodactyl(
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
        records: Records::Pterodactyl(per_server),
        version: None,
        api_generation: Some("client API v1".into()),
    })
}

/// Re-reads one account from its panel. `Ok(None)` when the panel no longer has it.
pub async fn fetch_one(
    client: &PanelClient,
    panel: &PanelView,
    key: &AccountKey,
    api_generation: Option<&str>,
    now_ms: i64,
) -> Result<Option<Converted>> {
    let gone = |e: &PanelError| matches!(e, PanelError::NotFound { .. });
    let id = key.native_id.as_str();
    Ok(match client {
        PanelClient::Xui(c) => {
            let legacy = match api_generation {
                Some(g) => is_xui_legacy(g),
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
                    .filter(|e| e.client.email == id)
                    .collect();
                convert::xui::from_legacy(&panel.id, &entries, &ctx, now_ms)
            } else {
                let record = match c.get(id).await {
                    Ok(r) => r,
                    Err(e) if gone(&e) || is_missing_xui(&e) => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
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
                Some(convert::xui::from_record(&panel.id, &record, &ctx, now_ms))
            }
        }
        PanelClient::Marzban(c) => match c.get_user(id).await {
            Ok(u) => Some(convert::marzban::from_user(
                &panel.id,
                &panel.base_url,
                &u,
                now_ms,
            )),
            Err(e) if gone(&e) => None,
            Err(e) => return Err(e.into()),
        },
        PanelClient::Userpass(c) => {
            let Ok(wanted) = id.parse::<u64>() else {
                return Ok(None);
            };
            // The API has no "get one": read the list (by id, so the pages are stable).
            let all = c
                .get_list_all(&ListParams {
                    sort_by: Some(SortBy::Id),
                    order_by: Some(OrderBy::Asc),
                    ..ListParams::default()
                })
                .await?;
            all.iter()
                .find(|s| s.id.0 == wanted)
                .map(|s| convert::userpass::from_sub_user(&panel.id, s, now_ms))
        }
        PanelClient::Pterodactyl(c) => {
            let Some((server_id, user)) = convert::pterodactyl::parse_native_id(id) else {
                return Ok(None);
            };
            let servers = c.list_servers().await?;
            let Some(server) = servers.iter().find(|s| s.identifier == server_id) else {
                return Ok(None);
            };
            match c.get_subuser(&server_id, &user).await {
                Ok(s) => Some(convert::pterodactyl::from_subuser(
                    &panel.id, server, &s, now_ms,
                )),
                Err(e) if gone(&e) => None,
                Err(e) => return Err(e.into()),
            }
        }
    })
}

/// 3x-ui answers an unknown email with `success:false` (HTTP 200) and a "not found" message.
fn is_missing_xui(e: &PanelError) -> bool {
    matches!(e, PanelError::Api { message, .. } if message.to_lowercase().contains("not found"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use std::{
        sync::atomic::{AtomicUsize, Ordering},
        time::Duration,
    };

    use tokio::sync::Notify;

    use super::*;

    /// A page that is slow to answer does not hold back the requests behind it, and the
    /// pages still come out in order.
    #[tokio::test]
    async fn a_slow_page_does_not_hold_back_the_rest() {
        let (finished, released) = (&AtomicUsize::new(0), &Notify::new());
        // Page 2 answers only once 8 later pages have: twice the 4 allowed in flight, so
        // they can only finish if new requests start while page 2 is still waiting.
        let fetch = move |p: u64| async move {
            if p == 2 {
                released.notified().await;
            } else {
                tokio::task::yield_now().await;
                if finished.fetch_add(1, Ordering::SeqCst) + 1 == 8 {
                    released.notify_one();
                }
            }
            Ok::<_, PanelError>(vec![p * 10, p * 10 + 1])
        };
        let mut seen_pages = 0;
        let out = tokio::time::timeout(
            Duration::from_secs(10),
            pages(4, vec![1], 2..=12, fetch, |_| seen_pages += 1),
        )
        .await
        .expect("the requests behind a slow page waited for it");
        let expected: Vec<u64> = std::iter::once(1)
            .chain((2..=12).flat_map(|p| [p * 10, p * 10 + 1]))
            .collect();
        assert_eq!(out.expect("every page answered"), expected);
        assert_eq!(seen_pages, 11);
    }
}
