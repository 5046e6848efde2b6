//! Reading a PasarGuard panel's users, `PAGE` at a time, with `load_sub=true` so list items
//! carry their subscription URL (it is `""` otherwise; steps 34, 35 of the recording).

use std::collections::{HashMap, HashSet};

use paneldeck_panels::{
    pasarguard::{GroupId, PasarguardClient, User, UsersQuery},
    PanelError,
};

use super::convert::{self, Context};
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

/// Users per page.
pub const PAGE: u64 = 500;

struct Users {
    users: Vec<User>,
    base_url: String,
    group_names: HashMap<GroupId, String>,
}

impl IntoAccounts for Users {
    fn into_accounts<'a>(
        self: Box<Self>,
        panel: &'a PanelId,
        now_ms: i64,
    ) -> Box<dyn Iterator<Item = Converted> + Send + 'a> {
        let Users {
            users,
            base_url,
            group_names,
        } = *self;
        Box::new(users.into_iter().map(move |u| {
            let cx = Context {
                panel,
                base_url: &base_url,
                group_names: &group_names,
            };
            convert::from_user(&cx, &u, now_ms)
        }))
    }
}

/// Group names by id; an admin who may not read groups gets none (ids are shown instead).
pub(super) async fn group_names(c: &PasarguardClient) -> HashMap<GroupId, String> {
    match c.get_groups().await {
        Ok(list) => list.groups.into_iter().map(|g| (g.id, g.name)).collect(),
        Err(err) => {
            tracing::debug!(%err, "PasarGuard groups unreadable; showing ids");
            HashMap::new()
        }
    }
}

pub(super) async fn fetch_all(
    c: &PasarguardClient,
    panel: &PanelView,
    concurrency: usize,
    progress: Progress<'_>,
) -> std::result::Result<Fetched, PanelError> {
    let page = |offset: u64| UsersQuery {
        offset: Some(offset),
        limit: Some(PAGE),
        load_sub: true,
        ..UsersQuery::default()
    };
    let (probe, first) = pair(concurrency, c.probe(), c.get_users(&page(0))).await;
    let probe = probe.ok();
    let first = first?;
    let total = first.total;
    let mut fetched = first.users.len() as u64;
    progress(fetched, Some(total));
    let offsets = (1..total.div_ceil(PAGE)).map(|i| i * PAGE);
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
    users.retain(|u| seen.insert(u.id));
    Ok(Fetched {
        records: Records::new(Users {
            users,
            base_url: panel.base_url.clone(),
            group_names: group_names(c).await,
        }),
        version: probe.as_ref().and_then(|p| p.version.clone()),
        api_generation: probe.and_then(|p| p.api_generation),
    })
}

/// Re-reads the user `username`.
pub(super) async fn fetch_one(
    c: &PasarguardClient,
    panel: &PanelView,
    username: &str,
    now_ms: i64,
) -> Result<Option<Converted>> {
    match c.get_user(username).await {
        Ok(u) => {
            let names = group_names(c).await;
            let cx = Context {
                panel: &panel.id,
                base_url: &panel.base_url,
                group_names: &names,
            };
            Ok(Some(convert::from_user(&cx, &u, now_ms)))
        }
        Err(PanelError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Re-reads the users named, `NAMES_PER_READ` per request (`username` repeated is an exact
/// list; `load_sub` fills their subscription URLs as a sync's pages have them). Fact:
/// `GET /api/users` takes `username` (array) and `load_sub` in pasarguard-openapi.json.
pub(super) async fn fetch_many(
    c: &PasarguardClient,
    panel: &PanelView,
    names: &[&str],
    now_ms: i64,
) -> Result<Many> {
    let groups = group_names(c).await;
    let cx = Context {
        panel: &panel.id,
        base_url: &panel.base_url,
        group_names: &groups,
    };
    let read = |usernames: Vec<String>| async move {
        let query = UsersQuery {
            usernames,
            load_sub: true,
            ..UsersQuery::default()
        };
        c.get_users(&query).await.map(|page| page.users)
    };
    read_by_names(names, read, |u: &User| {
        (u.username.clone(), convert::from_user(&cx, u, now_ms))
    })
    .await
}
