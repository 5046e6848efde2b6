//! Reading a user-pass provider's sub-users, `USERPASS_PAGE` at a time, oldest first.

use std::collections::HashSet;

use paneldeck_panels::{
    userpass::{ListParams, OrderBy, SortBy, SubUser, UserpassClient},
    PanelError,
};

use super::convert;
use crate::{
    accounts::{
        convert::Converted,
        fetch::{pages, with_room, Fetched, IntoAccounts, Progress, Records},
    },
    error::Result,
    registry::{PanelId, PanelView},
};

/// User-pass sub-users per page (the provider's maximum).
pub const USERPASS_PAGE: u32 = 100;

struct SubUsers(Vec<SubUser>);

impl IntoAccounts for SubUsers {
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a> {
        Box::new(
            self.0
                .into_iter()
                .map(move |s| convert::from_sub_user(panel, &s, now_ms)),
        )
    }
}

pub(super) async fn fetch_all(
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
        records: Records::new(SubUsers(subs)),
        version: None,
        api_generation: Some("client/v1 user-passes".into()),
    })
}

/// Re-reads the sub-user `native_id`.
pub(super) async fn fetch_one(
    c: &UserpassClient,
    panel: &PanelView,
    native_id: &str,
    now_ms: i64,
) -> Result<Option<Converted>> {
    let Ok(wanted) = native_id.parse::<u64>() else {
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
    Ok(all
        .iter()
        .find(|s| s.id.0 == wanted)
        .map(|s| convert::from_sub_user(&panel.id, s, now_ms)))
}
