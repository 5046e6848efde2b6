//! PasarGuard's bulk routes (`/api/users/bulk/*`, v3.0.0+): items with the same operation go
//! together, `chunk_size` users per request, named by user id (looked up by username first).
//! Enable, disable, delete, reset and revoke take `{ids}` and name the users they changed;
//! relative expiry and data-limit changes take `{amount, users}`. What they cannot take, a
//! panel without the routes, and chunks whose answer was lost go item by item.

use std::collections::HashMap;

use paneldeck_panels::{
    pasarguard::{BulkAmount, BulkUsersAction, PasarguardClient, UserId, UserModify, UsersQuery},
    PanelError,
};

use super::actions::modify_keeping_plan;
use crate::{
    bulk::{
        done, failed, scrubbed, types::*, unsupported_op, Applied, ItemOutcome, ItemUpdate, Runner,
        Work,
    },
    error::{CoreError, Result},
    registry::PanelId,
};

#[derive(Debug, Clone, PartialEq)]
enum Route {
    Users(BulkUsersAction),
    AddDays(u32),
    AddBytes(u64),
}

fn route_of(w: &Work) -> Option<Route> {
    Some(match &w.rec.op {
        ItemOp::Enable => Route::Users(BulkUsersAction::Enable),
        ItemOp::Disable => Route::Users(BulkUsersAction::Disable),
        ItemOp::Delete { .. } => Route::Users(BulkUsersAction::Delete),
        ItemOp::ResetTraffic => Route::Users(BulkUsersAction::Reset),
        ItemOp::RevokeSubscription => Route::Users(BulkUsersAction::RevokeSub),
        // Relative changes only when certain they were not applied yet.
        ItemOp::SetExpiry {
            add_days: Some(d), ..
        } if !w.uncertain => Route::AddDays(*d),
        ItemOp::SetTrafficLimit {
            add_bytes: Some(b), ..
        } if !w.uncertain => Route::AddBytes(*b),
        _ => return None,
    })
}

/// Runs what the bulk routes can take; returns the rest for the item-by-item path.
pub(super) async fn run(
    c: &PasarguardClient,
    r: &Runner<'_>,
    panel: &PanelId,
    work: Vec<Work>,
) -> Vec<Work> {
    let mut groups: Vec<(Route, Vec<Work>)> = Vec::new();
    let mut rest = Vec::new();
    for w in work {
        match route_of(&w) {
            Some(route) => match groups.iter_mut().find(|(r, _)| *r == route) {
                Some((_, list)) => list.push(w),
                None => groups.push((route, vec![w])),
            },
            None => rest.push(w),
        }
    }
    let size = r.opts.chunk_size.max(1);
    for (route, items) in groups {
        let mut it = items.into_iter().peekable();
        while it.peek().is_some() {
            let chunk: Vec<Work> = it.by_ref().take(size).collect();
            if r.cancel.is_cancelled() {
                rest.extend(chunk);
                continue;
            }
            let by_name = match ids(c, &chunk).await {
                Ok(map) => map,
                Err(_) => {
                    rest.extend(chunk);
                    continue;
                }
            };
            let (mut found, mut missing): (Vec<(Work, UserId)>, Vec<Work>) =
                (Vec::new(), Vec::new());
            for w in chunk {
                match by_name.get(&w.rec.native_id) {
                    Some(id) => found.push((w, *id)),
                    None => missing.push(w),
                }
            }
            // Users the panel does not have (renamed, deleted): item by item, which says so.
            rest.extend(missing);
            if found.is_empty() {
                continue;
            }
            let recs: Vec<&ItemRecord> = found.iter().map(|(w, _)| &w.rec).collect();
            if let Err(err) = r.claim(&recs) {
                tracing::error!(%err, "could not write the bulk journal");
            }
            match send(c, &route, &found).await {
                Ok(mut updates) => r.record(panel, &mut updates),
                Err(err) => {
                    let unknown = matches!(
                        err,
                        PanelError::Timeout(_) | PanelError::Network(_) | PanelError::Server { .. }
                    );
                    let missing = matches!(
                        err,
                        PanelError::NotThisPanel { .. } | PanelError::NotFound { .. }
                    );
                    if unknown || missing || err.is_transient() {
                        rest.extend(found.into_iter().map(|(mut w, _)| {
                            w.uncertain = w.uncertain || unknown;
                            w
                        }));
                    } else {
                        let err = CoreError::Panel(err);
                        let mut updates: Vec<ItemUpdate> = found
                            .iter()
                            .map(|(w, _)| scrubbed(failed(w.rec.seq, 1, &err), w.kept.as_ref()))
                            .collect();
                        r.record(panel, &mut updates);
                    }
                }
            }
        }
    }
    rest
}

/// The user ids of the chunk's usernames (`GET /api/users?username=…`, exact names).
async fn ids(
    c: &PasarguardClient,
    chunk: &[Work],
) -> std::result::Result<HashMap<String, UserId>, PanelError> {
    let query = UsersQuery {
        usernames: chunk.iter().map(|w| w.rec.native_id.clone()).collect(),
        ..UsersQuery::default()
    };
    Ok(c.get_users(&query)
        .await?
        .users
        .into_iter()
        .map(|u| (u.username, u.id))
        .collect())
}

async fn send(
    c: &PasarguardClient,
    route: &Route,
    found: &[(Work, UserId)],
) -> std::result::Result<Vec<ItemUpdate>, PanelError> {
    let ids: Vec<UserId> = found.iter().map(|(_, id)| *id).collect();
    let all = |m: ItemOutcome| {
        found
            .iter()
            .map(|(w, _)| done(w.rec.seq, 1, Applied::message(m.clone())))
            .collect()
    };
    Ok(match route {
        Route::Users(action) => {
            let answer = c.bulk_users(*action, &ids).await?;
            let (ok, already) = match action {
                BulkUsersAction::Enable => (ItemOutcome::Enabled, "already enabled"),
                BulkUsersAction::Disable => (ItemOutcome::Disabled, "already disabled"),
                BulkUsersAction::Delete => (ItemOutcome::Deleted, ""),
                BulkUsersAction::Reset => (ItemOutcome::TrafficReset, ""),
                BulkUsersAction::RevokeSub => (
                    ItemOutcome::Action {
                        outcome: crate::actions::ActionMessage::SubscriptionRevoked,
                    },
                    "",
                ),
            };
            // Enable and disable name only the users they changed (step 75 of the recording).
            found
                .iter()
                .map(|(w, _)| {
                    let changed = already.is_empty() || answer.users.contains(&w.rec.native_id);
                    let outcome = if changed {
                        ok.clone()
                    } else {
                        ItemOutcome::NothingToDo {
                            reason: already.to_owned(),
                        }
                    };
                    done(w.rec.seq, 1, Applied::message(outcome))
                })
                .collect()
        }
        Route::AddDays(days) => {
            let body = BulkAmount {
                amount: i64::from(*days) * 86_400,
                users: ids,
                ..BulkAmount::default()
            };
            c.bulk_expire(&body).await?;
            all(ItemOutcome::ExpiryExtended { days: *days })
        }
        Route::AddBytes(bytes) => {
            let body = BulkAmount {
                amount: i64::try_from(*bytes).unwrap_or(i64::MAX),
                users: ids,
                ..BulkAmount::default()
            };
            c.bulk_data_limit(&body).await?;
            all(ItemOutcome::TrafficLimitRaised)
        }
    })
}

/// Absolute expiry and data limits, one user at a time (the bulk routes only add).
pub(super) async fn item(c: &PasarguardClient, username: &str, op: &ItemOp) -> Result<Applied> {
    use paneldeck_panels::pasarguard::Expire;
    let change = match op {
        ItemOp::SetExpiry { ms, .. } => UserModify {
            expire: Some(ms.map_or(Expire::Never, |ms| Expire::AtUtcSecs(ms.div_euclid(1000)))),
            ..UserModify::default()
        },
        ItemOp::SetTrafficLimit { bytes, .. } => UserModify {
            data_limit_bytes: Some(bytes.unwrap_or(0)),
            ..UserModify::default()
        },
        _ => return Err(unsupported_op(op)),
    };
    modify_keeping_plan(c, username, change).await?;
    Ok(Applied::message(match op {
        ItemOp::SetExpiry { .. } => ItemOutcome::ExpirySet,
        _ => ItemOutcome::TrafficLimitSet,
    }))
}

/// The user's name if the panel already has a user `username`.
pub(super) async fn existing(c: &PasarguardClient, username: &str) -> Result<Option<String>> {
    match c.get_user(username).await {
        Ok(u) => Ok(Some(u.username)),
        Err(PanelError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
