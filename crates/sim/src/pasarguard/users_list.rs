//! `GET /api/users` with `UserListQuery`, `/api/users/expired` and `/api/users/reset`
//! (steps 33–41, 57, 81–83).

use axum::{
    extract::{Query, State as AxState},
    http::{HeaderMap, StatusCode},
};
use serde_json::{json, Value};

use super::{
    http::{authenticate, detail, ok, Params, Reply, Sim},
    state::{State, Status, UserRec},
    user_json::user_json,
    users::reset,
};

const SORTS: [&str; 7] = [
    "username",
    "used_traffic",
    "data_limit",
    "expire",
    "created_at",
    "edit_at",
    "online_at",
];

fn sort_key(u: &UserRec, field: &str) -> (i64, String) {
    match field {
        "username" => (0, u.username.to_lowercase()),
        "used_traffic" => (u.used, String::new()),
        "data_limit" => (u.data_limit.unwrap_or(-1), String::new()),
        "expire" => (u.expire.unwrap_or(-1), String::new()),
        "edit_at" => (u.edited.unwrap_or(-1), String::new()),
        "online_at" => (u.online.unwrap_or(-1), String::new()),
        _ => (u.created, String::new()),
    }
}

/// `GET /api/users`: ordered by id unless sorted; `limit` 0 or negative returns every user
/// (steps 36, 39); `sort=bogus` is 400 (step 40, `build_query` turns query validation into 400).
pub async fn get_users(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let p = Params(q);
    let offset = p.int("offset")?.unwrap_or(0).max(0) as usize;
    let limit = p.int("limit")?.filter(|l| *l > 0).map(|l| l as usize);
    let mut sorts = Vec::new();
    for s in p.all("sort") {
        let (desc, field) = s
            .strip_prefix('-')
            .map_or((false, s.as_str()), |f| (true, f));
        if !SORTS.contains(&field) {
            return Err(detail(
                StatusCode::BAD_REQUEST,
                format!("Value error, '{s}' is not a valid UserSortOption"),
            ));
        }
        sorts.push((field.to_owned(), desc));
    }
    let usernames = p.all("username");
    let ids: Vec<i64> = p.all("ids").iter().filter_map(|i| i.parse().ok()).collect();
    let groups: Vec<i64> = p
        .all("group")
        .iter()
        .filter_map(|i| i.parse().ok())
        .collect();
    let statuses: Vec<Status> = p
        .all("status")
        .iter()
        .filter_map(|s| Status::parse(s))
        .collect();
    let search = p.get("search").map(str::to_lowercase);
    let db = sim.db();
    let mut users: Vec<&UserRec> = db
        .users
        .values()
        .filter(|u| caller.sees(u))
        .filter(|u| usernames.is_empty() || usernames.contains(&u.username))
        .filter(|u| ids.is_empty() || ids.contains(&u.id))
        .filter(|u| groups.is_empty() || u.group_ids.iter().any(|g| groups.contains(g)))
        .filter(|u| statuses.is_empty() || statuses.contains(&u.status))
        .filter(|u| {
            search.as_ref().is_none_or(|s| {
                u.username.to_lowercase().contains(s)
                    || u.note
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(s))
            })
        })
        .collect();
    for (field, desc) in sorts.iter().rev() {
        users.sort_by(|a, b| {
            let o = sort_key(a, field).cmp(&sort_key(b, field));
            if *desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let total = users.len();
    let load_sub = p.flag("load_sub");
    let page: Vec<Value> = users
        .into_iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|u| user_json(&db, u, load_sub))
        .collect();
    ok(json!({"users": page, "total": total}))
}

/// Users whose expiry has passed, whatever their status (`User.is_expired`,
/// `app/db/models.py`; step 81 lists a user still `active`).
fn expired(db: &State, caller_sees: impl Fn(&UserRec) -> bool) -> Vec<(i64, String)> {
    let now = db.now_micros();
    db.users
        .values()
        .filter(|u| caller_sees(u) && u.expire.is_some_and(|e| e <= now))
        .map(|u| (u.id, u.username.clone()))
        .collect()
}

/// `GET /api/users/expired` → `[username]`.
pub async fn get_expired(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let db = sim.db();
    let names: Vec<String> = expired(&db, |u| caller.sees(u))
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    ok(json!(names))
}

/// `DELETE /api/users/expired[?dry_run=true]` → `{users, count}` (steps 82, 83).
pub async fn delete_expired(
    AxState(sim): AxState<Sim>,
    headers: HeaderMap,
    Query(q): Query<Vec<(String, String)>>,
) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    let dry_run = Params(q).flag("dry_run");
    let mut db = sim.db();
    let found = expired(&db, |u| caller.sees(u));
    if !dry_run {
        for (id, _) in &found {
            db.users.remove(id);
        }
    }
    let names: Vec<String> = found.into_iter().map(|(_, n)| n).collect();
    ok(json!({"count": names.len(), "users": names}))
}

/// `POST /api/users/reset`: every user's traffic → 0 (owner scope).
pub async fn reset_users(AxState(sim): AxState<Sim>, headers: HeaderMap) -> Reply {
    let caller = authenticate(&sim, &headers)?;
    caller.require("users.reset_usage")?;
    let mut db = sim.db();
    db.users.values_mut().for_each(reset);
    ok(json!({}))
}
