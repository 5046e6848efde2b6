//! `GET /api/users`: a page of users, filtered and sorted. The filters follow the version:
//! `username` is a substring on 0.4.9 when given once and `search` does not exist there; 0.8.4
//! compares `username` exactly and searches username and note with `search` (NOTES.md
//! "Measured on real 0.4.9 and 0.8.4 servers"; `crud.get_users` at v0.4.9 and v0.8.4).

use axum::{
    extract::{Query, State as AxState},
    http::{HeaderMap, StatusCode},
};
use serde::Serialize;
use serde_json::{json, Map};

use super::{
    common::{authenticate, detail, invalid, ok_serialized, Params, Reply, Sim},
    state::{user_key, State, Status, UserRec},
    user_view::{base_url, UserView},
};
use crate::clock::now_secs;

const SORT_KEYS: [&str; 5] = [
    "username",
    "used_traffic",
    "data_limit",
    "expire",
    "created_at",
];

/// Puts the users at positions `skip..skip + take` of id order in place, in order; the rest
/// only on the right side of them.
fn order_window_by_id(list: &mut [&UserRec], skip: usize, take: usize) {
    if skip >= list.len() {
        return;
    }
    list.select_nth_unstable_by_key(skip, |u| u.id);
    let rest = &mut list[skip..];
    let take = take.min(rest.len());
    if take < rest.len() {
        rest.select_nth_unstable_by_key(take, |u| u.id);
    }
    rest[..take].sort_unstable_by_key(|u| u.id);
}

pub async fn get_users(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(params): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let params = Params(params);
    let mut errors = Map::new();
    let offset = params.int("offset", &mut errors);
    let limit = params.int("limit", &mut errors);
    let status = params.get("status").map(|s| (s, Status::parse(s)));
    if let Some((_, None)) = status {
        errors.insert(
            "status".into(),
            json!("value is not a valid enumeration member; permitted: 'active', 'disabled', 'limited', 'expired', 'on_hold'"),
        );
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let mut sort = Vec::new();
    if let Some(raw) = params.get("sort") {
        for part in raw.trim_matches(',').split(',') {
            let (desc, key) = match part.strip_prefix('-') {
                Some(k) => (true, k),
                None => (false, part),
            };
            if !SORT_KEYS.contains(&key) {
                return Err(detail(
                    StatusCode::BAD_REQUEST,
                    format!("\"{part}\" is not a valid sort option"),
                ));
            }
            sort.push((key.to_owned(), desc));
        }
    }
    let version = sim.db().version;
    // 0.4.9: one `username` is a case-insensitive substring search, several an exact list;
    // 0.8.4: always the exact list (`User.username.in_`, case-insensitive by the column's
    // NOCASE collation), and `search` is a substring of username or note (`ilike`).
    let names: Vec<String> = params.all("username").iter().map(|n| user_key(n)).collect();
    let search = params
        .get("search")
        .filter(|s| version.is_0_8() && !s.is_empty())
        .map(str::to_lowercase);
    let name_matches = |u: &UserRec| {
        let key = user_key(&u.username);
        let by_name = match names.as_slice() {
            [] => true,
            [one] if !version.is_0_8() => key.contains(one.as_str()),
            many => many.contains(&key),
        };
        let note = |s: &str| {
            u.note
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(s))
        };
        by_name && search.as_deref().is_none_or(|s| key.contains(s) || note(s))
    };
    let skip = offset.unwrap_or(0).max(0) as usize;
    // `if limit:` — 0 (and SQLite's negative LIMIT) mean no limit.
    let take = limit.filter(|l| *l > 0).map_or(usize::MAX, |l| l as usize);
    let base = base_url(&headers);
    let mut db = sim.db();
    db.grow();
    if names.is_empty() && search.is_none() && status.is_none() && sort.is_empty() && caller.is_sudo
    {
        // Every user in id order, as a sync pages through them: only the page's users are
        // read, and reviewed (a review depends on the user and the time alone).
        let keys: Vec<String> = db
            .user_ids
            .values()
            .skip(skip)
            .take(take)
            .cloned()
            .collect();
        let now = now_secs();
        for key in &keys {
            db.review_user(key, now);
        }
        db.review_nodes();
        let page = keys.iter().filter_map(|k| db.users.get(k));
        return users_answer(&db, page, db.users.len(), &base);
    }
    db.review_all();
    let mut list: Vec<&UserRec> = db
        .users
        .values()
        .filter(|u| caller.may_touch(u.admin.as_deref()))
        .filter(|u| name_matches(u))
        .filter(|u| status.is_none_or(|(_, s)| Some(u.status) == s))
        .collect();
    if sort.is_empty() {
        // Id order: only the page itself needs sorting (a sync reads every page of thousands).
        order_window_by_id(&mut list, skip, take);
    } else {
        // Ids are unique: an unstable sort gives the same order, faster.
        list.sort_unstable_by_key(|u| u.id);
    }
    for (key, desc) in sort.iter().rev() {
        list.sort_by(|a, b| {
            let ord = match key.as_str() {
                "username" => user_key(&a.username).cmp(&user_key(&b.username)),
                "used_traffic" => a.used_traffic.cmp(&b.used_traffic),
                "data_limit" => a.data_limit.cmp(&b.data_limit),
                "expire" => a.expire.cmp(&b.expire),
                _ => a.created_micros.cmp(&b.created_micros),
            };
            if *desc {
                ord.reverse()
            } else {
                ord
            }
        });
    }
    let total = list.len();
    users_answer(&db, list.into_iter().skip(skip).take(take), total, &base)
}

/// `{"users": [...], "total": n}`.
fn users_answer<'a>(
    db: &'a State,
    page: impl Iterator<Item = &'a UserRec>,
    total: usize,
    base: &str,
) -> Reply {
    let users: Vec<UserView<'_>> = page.map(|u| UserView::of(db, u, base)).collect();
    #[derive(Serialize)]
    struct UsersResponse<'a> {
        users: Vec<UserView<'a>>,
        total: usize,
    }
    // A user with its links renders to about 1.5 KiB.
    let capacity = users.len() * 1536;
    ok_serialized(&UsersResponse { users, total }, capacity)
}
