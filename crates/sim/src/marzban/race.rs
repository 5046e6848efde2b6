//! 0.8.4's create race. `crud.create_user` first inserts a `ProxyInbound` row for every tag the
//! new user is kept off (`get_or_create_inbound`, app/db/crud.py at v0.8.4); two creates
//! inserting the same missing row at once collide on its unique tag, and the route turns
//! every `IntegrityError` into 409 "User already exists" (app/routers/user.py at v0.8.4) for a
//! user that does not exist. Measured: 10–13 of 200 concurrent creates on a fresh 0.8.4 (issue
//! 19; NOTES.md, third row of the measured table). 0.4.9 answered all of them.

use std::time::Duration;

use axum::{http::StatusCode, response::Response};
use serde_json::{Map, Value};

use super::{
    common::{detail, Sim},
    user_body::parse_create,
    users::excluded_of,
};

/// How long a create's transaction holds its new rows before committing.
const ROW_INSERT: Duration = Duration::from_millis(5);

/// Inserts the inbound rows this create needs that nobody has inserted yet, taking as long as
/// a transaction does; 409 when another create is inserting one of them at that moment. A
/// body the server would refuse inserts nothing (its create answers the refusal).
pub async fn insert_inbound_rows(sim: &Sim, obj: &Map<String, Value>) -> Result<(), Response> {
    let rows = {
        let mut db = sim.db();
        if !db.version.is_0_8() {
            return Ok(());
        }
        let Ok(b) = parse_create(obj, &db) else {
            return Ok(());
        };
        let protos = b.proxies.clone().unwrap_or_default().into_keys();
        let rows: Vec<String> = excluded_of(&db, &b, protos)
            .into_values()
            .flatten()
            .filter(|t| !db.inbound_rows.contains(t))
            .collect();
        if rows.iter().any(|t| db.inserting_rows.contains(t)) {
            return Err(detail(StatusCode::CONFLICT, "User already exists"));
        }
        db.inserting_rows.extend(rows.iter().cloned());
        rows
    };
    if rows.is_empty() {
        return Ok(());
    }
    tokio::time::sleep(ROW_INSERT).await;
    let mut db = sim.db();
    for t in rows {
        db.inserting_rows.remove(&t);
        db.inbound_rows.insert(t);
    }
    Ok(())
}
