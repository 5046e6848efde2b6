//! Reading a Marzban panel's users, `MARZBAN_PAGE` at a time.

use std::collections::HashSet;

use paneldeck_panels::{
    marzban::{MarzbanClient, User, UsersQuery},
    PanelError,
};

use super::convert;
use crate::{
    accounts::{
        convert::Converted,
        fetch::{
            pages, pair, read_by_names, with_room, Fetched, IntoAccounts, Many, Progress, Records,
        },
    },
    error::Result,
    registry::{PanelId, PanelView},
};

/// Marzban users per page.
pub const MARZBAN_PAGE: u64 = 500;

/// Users and the panel's base URL (for relative subscription links).
struct Users {
    users: Vec<User>,
    base_url: String,
}

impl IntoAccounts for Users {
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a> {
        let Users { users, base_url } = *self;
        Box::new(
            users
                .into_iter()
                .map(move |u| convert::from_user(panel, &base_url, &u, now_ms)),
        )
    }
}

pub(super) async fn fetch_all(
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
        records: Records::new(Users {
            users,
            base_url: panel.base_url.clone(),
        }),
        version: probe.as_ref().and_then(|p| p.version.clone()),
        api_generation: probe.and_then(|p| p.api_generation),
    })
}

/// Re-reads the user `username`.
pub(super) async fn fetch_one(
    c: &MarzbanClient,
    panel: &PanelView,
    username: &str,
    now_ms: i64,
) -> Result<Option<Converted>> {
    match c.get_user(username).await {
        Ok(u) => Ok(Some(convert::from_user(
            &panel.id,
            &panel.base_url,
            &u,
            now_ms,
        ))),
        Err(PanelError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Re-reads the users named, `NAMES_PER_READ` per request: the `username` parameter repeated
/// is an exact list on 0.5+ (`User.username.in_`) and on 0.4.x when there are several; one
/// name alone is a substring search on 0.4.x, so the answer is matched by name exactly.
/// Facts: `GET /api/users` takes `username` as an array in both marzban-0.4.9-openapi.json
/// and marzban-0.8.4-openapi.json; the 0.4.x substring rule is NOTES.md's measured table.
pub(super) async fn fetch_many(
    c: &MarzbanClient,
    panel: &PanelView,
    names: &[&str],
    now_ms: i64,
) -> Result<Many> {
    let read = |usernames: Vec<String>| async move {
        let query = UsersQuery {
            usernames,
            ..UsersQuery::default()
        };
        c.get_users(&query).await.map(|page| page.users)
    };
    read_by_names(names, read, |u: &User| {
        let converted = convert::from_user(&panel.id, &panel.base_url, u, now_ms);
        (u.username.clone(), converted)
    })
    .await
}
